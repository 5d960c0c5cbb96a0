"""Standard output that cannot be written: every command, run as a user runs it (a separate
process, its output sent to a full device or to a pipe whose reader has gone), says so in one
line and exits 1, or, for a closed pipe (``somnet ... | head -1``), exits quietly. Standard
error that cannot be written changes nothing: the exit status is the command's, and its
output is written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = [
    "contact --flag HT --zone contiguous --coastal BS --as US --nationality HT --distress",
    "directory export --format json",
    "directory export --format vcard --state BS",
    "directory validate",
    "directory show HT",
    "directory search coast",
    "agreements --between BS CU",
    "consular --nationality HT --in BS",
    "consular --nationality HT --in BS --format json",
    "contact --flag HT --zone contiguous --format json",
    "meeting list",
    "meeting plan --states BS,PA --duration 90m --from 2027-03-01 --to 2027-03-05",
    "--help",
]


def _somnet(command: str, stdout: int) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "somnet_cli.main", *command.split()],
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_device_on_stdout_is_one_line_and_exit_1(command: str) -> None:
    with open("/dev/full", "wb") as full:
        result = _somnet(command, full.fileno())
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    lines = [line for line in stderr.splitlines() if "warning" not in line]
    assert lines == [lines[0]] and lines[0].startswith("somnet: ")
    assert "standard output" in lines[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_closed_pipe_on_stdout_exits_quietly(command: str) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader has gone before the first line (`| head -0`)
    try:
        result = _somnet(command, writer)
    finally:
        os.close(writer)
    assert result.returncode == 0, result.stderr.decode()
    assert [line for line in result.stderr.decode().splitlines() if "warning" not in line] == []


def test_a_reader_that_stops_after_one_line_ends_the_command_quietly() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "somnet_cli.main", "directory", "export", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline().strip() == b"{"
        process.stdout.close()  # `| head -1`
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=120) == 0, stderr
    assert [line for line in stderr.splitlines() if "warning" not in line] == []


# Standard error that cannot be written ---------------------------------------------------------

#: Bad input: exit 2, whether or not its one line can be written.
BAD_INPUT = [
    "contact --flag XX --zone eez",
    "contact --flag HT --zone nowhere",
    "consular --nationality HT --in XX --format json",
    "directory show --no-such-flag",
]


SOMNET = [sys.executable, "-m", "somnet_cli.main"]


def _sh(command: str, redirect: str) -> subprocess.CompletedProcess[bytes]:
    """``somnet COMMAND REDIRECT`` run by the shell, as a user types it (``2>&-``)."""
    return subprocess.run(
        ["/bin/sh", "-c", f'exec "$@" {redirect}', "sh", *SOMNET, *command.split()],
        stdout=subprocess.PIPE,
        timeout=120,
        check=False,
    )


def _with_stderr_gone(command: str, stdout: int) -> subprocess.CompletedProcess[bytes]:
    """``somnet COMMAND`` whose standard error is a pipe whose reader has gone."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run(
            [sys.executable, "-m", "somnet_cli.main", *command.split()],
            stdout=stdout,
            stderr=writer,
            timeout=120,
            check=False,
        )
    finally:
        os.close(writer)


@pytest.mark.parametrize("command", BAD_INPUT)
def test_bad_input_exits_2_when_stderr_is_a_closed_pipe(command: str) -> None:
    assert _with_stderr_gone(command, subprocess.DEVNULL).returncode == 2


@pytest.mark.parametrize("command", BAD_INPUT)
def test_bad_input_exits_2_when_both_streams_go_to_a_closed_pipe(command: str) -> None:
    """``somnet ... 2>&1 | head -0``."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "somnet_cli.main", *command.split()],
            stdout=writer,
            stderr=writer,
            timeout=120,
            check=False,
        )
    finally:
        os.close(writer)
    assert result.returncode == 2


@pytest.mark.parametrize("command", BAD_INPUT)
def test_bad_input_exits_2_with_stderr_closed_and_nothing_on_stdout(command: str) -> None:
    """``somnet ... 2>&-``: the message has nowhere to go, and is not written to standard
    output in its place (a script reading the output would take it for the answer)."""
    result = _sh(command, "2>&-")
    assert (result.returncode, result.stdout) == (2, b"")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("command", BAD_INPUT)
def test_bad_input_exits_2_when_stderr_is_a_full_device(command: str) -> None:
    assert _sh(command, "2>/dev/full").returncode == 2


@pytest.fixture
def a_warning(isolated_environment: Path) -> str:
    """A directory warning every command prints (a cache key other users can read), and its
    text."""
    key = isolated_environment / "data-home" / "cache.key"
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_bytes(b"\0" * 32)
    key.chmod(0o644)
    return "the directory cache is not used"


PLAN = (
    "contact --flag HT --zone contiguous --coastal BS --as US --at 2026-12-01T03:00-05:00 "
    "--format json"
)


def test_a_warning_that_cannot_be_written_does_not_stop_the_command(a_warning: str) -> None:
    """Standard error gone (``2> >(head -0)``): the plan is still written, exit 0."""
    printed = subprocess.run(
        [sys.executable, "-m", "somnet_cli.main", *PLAN.split()],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert a_warning in printed.stderr.decode()
    result = _with_stderr_gone(PLAN, subprocess.PIPE)
    assert result.returncode == 0
    assert result.stdout == printed.stdout


def test_a_warning_with_stderr_closed_is_not_written_to_stdout(a_warning: str) -> None:
    result = _sh(PLAN, "2>&-")
    assert result.returncode == 0
    assert json.loads(result.stdout)["interception"]["flag"] == "HT"


def test_a_broken_pipe_that_is_not_standard_output_is_a_failure_not_done(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A closed standard output is caught as such (exit 0, the reader stopped). Any other
    broken pipe (a socket to a mail or calendar server, a pipe a command writes to) was taken
    for it: exit 0, "done", with nothing said, after a delivery that did not happen."""
    import argparse

    from somnet_cli import _common

    def command(args: argparse.Namespace) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    status = _common.with_guarded_output(lambda: _common.run(command, argparse.Namespace()))
    captured = capsys.readouterr()
    assert status == 1
    assert captured.err.startswith("somnet: "), captured.err
    assert "Broken pipe" in captured.err and captured.err.count("\n") == 1, captured.err
    assert captured.out == ""
