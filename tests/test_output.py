"""Standard output that cannot be written: every command, run as a user runs it (a separate
process, its output sent to a full device or to a pipe whose reader has gone), says so in one
line and exits 1, or, for a closed pipe (``somnet ... | head -1``), exits quietly."""

from __future__ import annotations

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
