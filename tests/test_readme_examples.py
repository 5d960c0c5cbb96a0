"""The README's examples print what it shows: each ``$ somnet ...`` of a ``text`` block that
needs no server is run on the shipped directory, at the instant the README was written (Monday
30 November 2026), and its output compared with the lines shown under it.

A line ``...`` (indented or not) stands for any number of lines, and ``...`` within a line for
any text; ``/…/somnet/data`` is the shipped directory wherever it is installed,
``/home/officer/.local/share/somnet`` the user data directory; a meeting's id and UID are the
ones the run made. Shown lines that start with ``warning:`` are looked for on standard error;
the rest of a command that succeeds is its standard output, and one that fails says everything
on standard error. The examples of a series, of an update that changes who attends and of
"When a delivery fails" are run against an SMTP server (and a Radicale calendar) on
127.0.0.1; the sharing examples, against a web server, in tests/sharing/test_readme_examples.py.
The others (a stolen key, a proxy, a slow server) are not run: tests/sharing/ tests what they
do."""

from __future__ import annotations

import json
import os
import re
import shlex
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from aiosmtpd.controller import Controller

from somnet.directory.loading import shipped_data_dir
from tests.cli import run
from tests.meeting_servers import USER, Inbox, Refusing, free_port

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

#: When the README's examples were run: its meeting plans count the notice from then, and
#: `directory stale` counts the days to its date.
WRITTEN = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

#: What an example that needs something this test does not give looks like.
_NEEDS_MORE = re.compile(
    r"smtp://|https?://|--publish|--resume|\s\.\.\.(\s|$)|"
    r"^somnet directory (keygen|publish|sync|status)|"
    r"^somnet meeting (update|cancel|list|show|resend)\b"
)


@attrs.frozen
class Example:
    line: int
    command: str
    shown: tuple[str, ...]


def _text_blocks() -> list[list[tuple[int, str]]]:
    """The README's ``text``, ``console`` and unlabelled blocks, each line with its number."""
    blocks: list[list[tuple[int, str]]] = []
    block: list[tuple[int, str]] | None = None
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```") and block is None:
            block = []
            if line in ("```text", "```console", "```"):
                blocks.append(block)
        elif line.startswith("```"):
            block = None
        elif block is not None:
            block.append((number, line))
    return blocks


def readme_examples() -> list[Example]:
    """Every ``$ somnet`` command of the README's ``text`` blocks, with the lines shown under
    it (a command continued with ``\\`` joined into one)."""
    examples: list[Example] = []
    for block in _text_blocks():
        commands = [n for n, (_number, line) in enumerate(block) if line.startswith("$ ")]
        for n, end in zip(commands, [*commands[1:], len(block)], strict=True):
            number, command = block[n][0], block[n][1][2:]
            n += 1
            while command.endswith("\\") and n < end:
                command = f"{command[:-1].rstrip()} {block[n][1].strip()}"
                n += 1
            examples.append(Example(number, command, tuple(line for _, line in block[n:end])))
    return examples


def runnable() -> list[Example]:
    return [
        e
        for e in readme_examples()
        if e.command.startswith("somnet ") and not _NEEDS_MORE.search(e.command)
    ]


def same(shown: str, printed: str) -> bool:
    """Whether a shown line is the printed one, a ``...`` within it standing for any text (a
    list of addresses cut short)."""
    if "..." not in shown:
        return shown == printed
    return re.fullmatch(".*".join(map(re.escape, shown.split("..."))), printed) is not None


def mismatch(shown: list[str], printed: list[str]) -> str | None:
    """Where ``printed`` departs from ``shown`` (``...`` lines skipping any number of printed
    ones, ``...`` within a line any text), or None when it does not."""

    def match(i: int, j: int) -> int | None:
        # The index of shown[i:] that cannot be matched from printed[j:], or None.
        while i < len(shown):
            if shown[i].strip() == "...":
                if i + 1 == len(shown):
                    return None
                furthest = i + 1
                for k in range(j, len(printed) + 1):
                    failed = match(i + 1, k)
                    if failed is None:
                        return None
                    furthest = max(furthest, failed)
                return furthest
            if j >= len(printed) or not same(shown[i], printed[j]):
                return i
            i, j = i + 1, j + 1
        return None if j == len(printed) else len(shown)

    failed = match(0, 0)
    if failed is None:
        return None
    if failed < len(shown):
        return f"shown line {failed + 1} not printed: {shown[failed]!r}"
    return f"printed more than shown: {printed[len([s for s in shown if s.strip() != '...']) :]!r}"


@pytest.fixture
def as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The clock at WRITTEN, and a working folder holding the README's overlays: `overlay`
    replacing the Royal Bahamas Defence Force, `moved` giving Haiti's coast guard to another
    state."""
    monkeypatch.setattr("somnet_cli.meeting._now", lambda: WRITTEN)
    monkeypatch.setattr("somnet_cli._common.now", lambda: WRITTEN)
    shipped = shipped_data_dir() / "states"
    for name, state, folder, changed in (
        ("BS", "BS", tmp_path / "overlay" / "states", "BS"),
        ("HT", "HT", tmp_path / "moved", "DO"),
    ):
        text = (shipped / f"{name}.toml").read_text(encoding="utf-8")
        first = text.split("\n[[agencies]]\n", 2)[1]
        folder.mkdir(parents=True)
        agency = "[[agencies]]\n" + first.replace(f'state = "{state}"', f'state = "{changed}"', 1)
        (folder / ("GT.toml" if folder.name == "moved" else f"{name}.toml")).write_text(
            agency, encoding="utf-8"
        )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_readme_has_the_examples_this_test_runs() -> None:
    commands = [e.command for e in runnable()]
    assert len(commands) >= 20
    for expected in ("somnet meeting invite", "somnet directory validate --data moved"):
        assert any(c.startswith(expected) for c in commands), expected


@pytest.mark.parametrize("example", runnable(), ids=lambda e: f"README.md:{e.line}")
def test_the_readmes_example_prints_what_it_shows(
    as_written: Path, capsys: pytest.CaptureFixture[str], example: Example
) -> None:
    command = example.command.split("  #", 1)[0]
    words = shlex.split(command)[1:]
    redirected = ">" in words
    if redirected:
        words = words[: words.index(">")]
    result = run(capsys, *words)
    assert result.exit_code in (0, 2), result.stderr
    if redirected:
        assert result.exit_code == 0 and result.stdout and not example.shown
        return
    shipped = str(shipped_data_dir())
    # A meeting's id and UID are made by the run: those shown stand for those printed.
    made = re.search(r"meeting ([0-9a-f]{8}) recorded \(UID ([0-9a-f-]{36})", result.stdout)
    said = re.search(
        r"meeting ([0-9a-f]{8}) recorded \(UID ([0-9a-f-]{36})", "\n".join(example.shown)
    )

    home = os.environ["SOMNET_DATA_HOME"]

    def normal(text: str) -> list[str]:
        # The shipped directory and the user data directory, as the README writes them.
        text = text.replace(shipped, "/…/somnet/data")
        text = text.replace(home, "/home/officer/.local/share/somnet")
        if made and said:
            text = text.replace(made.group(2), said.group(2)).replace(made.group(1), said.group(1))
        return text.rstrip("\n").splitlines()

    shown = list(example.shown)
    if result.exit_code == 0:
        warned = [s for s in shown if s.startswith("warning: ")]
        assert [w for w in warned if w not in normal(result.stderr)] == []
        shown = [s for s in shown if s not in warned]
        printed = normal(result.stdout)
    else:
        printed = normal(result.stderr) + normal(result.stdout)
    assert mismatch(shown, printed) is None, (command, mismatch(shown, printed))


def test_the_readme_names_the_fields_and_kinds_of_the_stale_records(
    as_written: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What README says of `directory stale --format json`'s rows is what each check prints:
    its fields, and the kinds of record found there (every record once made stale)."""
    text = README.read_text(encoding="utf-8")
    said = re.search(
        r"An unverified row has (.*?)\. An old-evidence row has (.*?)\. A consular", text, re.S
    )
    assert said is not None, "README describes the rows of directory stale"
    unverified_text, old_text = said.groups()
    result = run(
        capsys, "directory", "stale", "--days", "0", "--evidence-years", "0", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    for rows, described in (
        (printed["unverified"]["records"], unverified_text),
        (printed["old_evidence"]["records"], old_text),
    ):
        named = re.findall(r"`([\w-]+)`", described)
        fields = {key for row in rows for key in row}
        assert fields <= set(named), sorted(fields - set(named))
    # The kinds each row names, and the ones it says it has not.
    unverified_kinds = set(re.findall(r"`([\w-]+)`", unverified_text.split("one of", 1)[1]))
    assert unverified_kinds == {row["kind"] for row in printed["unverified"]["records"]}
    old_kinds = {row["kind"] for row in printed["old_evidence"]["records"]}
    assert old_kinds == (unverified_kinds - {"contact"}) | set(
        re.findall(r"`([\w-]+)`", old_text.split("a state's", 1)[1])
    )


def test_the_readmes_delivery_failure_examples_print_what_they_show(
    as_written: Path,
    refusing: tuple[Refusing, int],
    calendar: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """README's "When a delivery fails" examples, one after the other, against an SMTP server
    that refuses one mailbox until it takes mail and a Radicale calendar whose copy of the event
    is edited before the update: each prints what README shows under it."""
    inbox, port = refusing
    monkeypatch.setenv("SOMNET_CALDAV_USER", USER)
    text = README.read_text(encoding="utf-8")
    first = text.index("### When a delivery fails")
    last = text.index("### Meetings from Python")
    examples = [
        e for e in readme_examples() if first < len("\n".join(text.splitlines()[: e.line])) < last
    ]
    assert [e.command.split()[2] for e in examples] == [
        "invite", "list", "resend", "invite", "update", "list", "resend", "cancel", "cancel",
    ]  # fmt: skip
    shown_url = "http://127.0.0.1:5232/officer/coordination/"
    said = re.search(r"meeting (\w{8}) is recorded \(UID ([\w-]{36})", examples[0].shown[0])
    assert said is not None
    home = os.environ["SOMNET_DATA_HOME"]
    made: list[str] = []  # the id and UID the first invite made

    def to_run(command: str) -> list[str]:
        command = command.replace("127.0.0.1:8025", f"127.0.0.1:{port}")
        command = command.replace(shown_url, calendar)
        if made:
            command = command.replace(said.group(1), made[0])
        return shlex.split(command.split("  #", 1)[0])[1:]

    def as_shown(output: str) -> list[str]:
        output = output.replace(f"127.0.0.1:{port}", "127.0.0.1:8025").replace(calendar, shown_url)
        output = output.replace(home, "/home/officer/.local/share/somnet")
        output = output.replace("Mailbox unavailable for this test", "Mailbox unavailable")
        if made:
            output = output.replace(made[1], said.group(2)).replace(made[0], said.group(1))
        return output.rstrip("\n").splitlines()

    invite = ""
    inbox.refuse = {"regional.mfaft.jm@example.org"}
    for example in examples:
        command = example.command
        if command.startswith("somnet meeting invite ..."):
            command = invite  # "the same command again"
        elif command.startswith("somnet meeting invite"):
            invite = command
        if command.startswith("somnet meeting resend") and not made[2:]:
            inbox.refuse = set()  # "once the mailbox takes mail"
            made.append("resent")
        if command.startswith("somnet meeting update"):
            # Someone edits the event in their calendar.
            url = f"{calendar}{made[1]}.ics"
            edited = httpx.get(url, auth=(USER, ""), timeout=5).content
            edited = edited.replace(b"TRANSP:OPAQUE", b"TRANSP:TRANSPARENT")
            assert httpx.put(url, content=edited, auth=(USER, ""), timeout=5).is_success
        result = run(capsys, *to_run(command))
        if not made:
            found = re.search(r"meeting (\w{8}) is recorded \(UID ([\w-]{36})", result.stderr)
            assert found is not None, result.stderr
            made.extend(found.groups())
        shown = list(example.shown)
        warned = [s for s in shown if s.startswith("warning: ")]
        assert [w for w in warned if w not in as_shown(result.stderr)] == [], command
        shown = [s for s in shown if s not in warned]
        if result.exit_code == 0:
            printed = as_shown(result.stdout)
        else:
            printed = [
                line for line in as_shown(result.stderr) if not line.startswith("warning: ")
            ] + as_shown(result.stdout)
        assert mismatch(shown, printed) is None, (command, mismatch(shown, printed))


def test_the_readmes_example_of_an_update_that_changes_who_attends_prints_what_it_shows(
    as_written: Path,
    smtp: tuple[Inbox, int],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """README's `meeting update c97eaa23 --states ... --contact mx-semar-cc2`, run on a meeting
    of the seven states e-mailed before (Tuesday 6 April 2027, 15:00-19:00 UTC)."""
    _inbox, port = smtp
    [example] = [e for e in readme_examples() if e.command.startswith("somnet meeting update c97")]
    made = run(
        capsys,
        *shlex.split(
            "meeting invite --states BS,DO,HT,HN,JM,MX,PA --start 2027-04-06T15:00Z "
            "--duration 4h --title 'Regional coordination' --organizer unodc-rop@example.org "
            f"--send smtp://127.0.0.1:{port}"
        ),
    )
    assert made.exit_code == 0, made.stderr
    found = re.search(r"meeting (\w{8}) recorded \(UID ([\w-]{36})", made.stdout)
    said = re.search(r"meeting (\w{8}) updated \(UID ([\w-]{36})", "\n".join(example.shown))
    assert found is not None and said is not None
    command = example.command.replace("c97eaa23", found.group(1))
    command = command.replace("127.0.0.1:8025", f"127.0.0.1:{port}")
    result = run(capsys, *shlex.split(command)[1:])
    assert result.exit_code == 0, result.stderr
    home = os.environ["SOMNET_DATA_HOME"]

    def as_shown(output: str) -> list[str]:
        output = output.replace(f"127.0.0.1:{port}", "127.0.0.1:8025")
        output = output.replace(home, "/home/officer/.local/share/somnet")
        output = output.replace(found.group(2), said.group(2))
        return output.replace(found.group(1), said.group(1)).rstrip("\n").splitlines()

    warned = [s for s in example.shown if s.startswith("warning: ")]
    assert warned and mismatch([*warned, "..."], as_shown(result.stderr)) is None
    shown = [s for s in example.shown if s not in warned and s != "..."]
    assert mismatch(shown, as_shown(result.stdout)) is None, mismatch(
        shown, as_shown(result.stdout)
    )


@dataclass
class _Busy(Inbox):
    """An inbox whose server takes the first ``accept`` messages, then answers 451 (a full
    queue) until ``accept`` is raised."""

    accept: int = 1

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if len(self.envelopes) >= self.accept:
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


def test_the_readmes_series_examples_print_what_they_show(
    as_written: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """README's series sent with a failure at its second occurrence, sent again, resumed, then
    listed and cancelled (`meeting list --series`, `meeting cancel --series`), against an SMTP
    server on 127.0.0.1 that answers 451 after the first message."""
    inbox = _Busy()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        _run_the_series_examples(inbox, port, as_written, capsys)
    finally:
        controller.stop()


def _run_the_series_examples(
    inbox: _Busy, port: int, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = readme_examples()
    [failed, again, resumed] = [
        e
        for e in examples
        if e.command.startswith("somnet meeting series")
        and ("--invite" in e.command or e.command.startswith("somnet meeting series ..."))
    ]
    [listed] = [e for e in examples if e.command.startswith("somnet meeting list --series")]
    [cancelled] = [e for e in examples if e.command.startswith("somnet meeting cancel --series")]
    (folder / "invites").mkdir()
    home = os.environ["SOMNET_DATA_HOME"]
    # An id or UID (an id may be all digits: 64963400).
    ids = r"\b[0-9a-f]{8}(?:-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?\b"
    names: dict[str, str] = {}  # each id or UID printed: the one README shows in its place

    def learn(shown: tuple[str, ...], printed: list[str]) -> None:
        for said, got in zip(shown, printed, strict=False):
            for a, b in zip(re.findall(ids, said), re.findall(ids, got), strict=False):
                names.setdefault(b, a)

    def as_shown(output: str) -> list[str]:
        output = output.replace(f"127.0.0.1:{port}", "127.0.0.1:8025")
        output = output.replace(home, "/home/officer/.local/share/somnet")
        output = re.sub(ids, lambda m: names.get(m.group(0), m.group(0)), output)
        return output.rstrip("\n").splitlines()

    def check(example: Example, command: str, exit_code: int) -> None:
        command = command.replace("127.0.0.1:8025", f"127.0.0.1:{port}")
        for printed_id, shown_id in names.items():
            command = command.replace(shown_id, printed_id)
        result = run(capsys, *shlex.split(command.split("  #", 1)[0])[1:])
        assert result.exit_code == exit_code, result.stderr
        said = result.stderr if exit_code else result.stdout
        lines = [line for line in said.rstrip("\n").splitlines() if not line.startswith("warning")]
        learn(example.shown, lines)
        printed = [line for line in as_shown(said) if not line.startswith("warning")]
        assert mismatch(list(example.shown), printed) is None, (
            command,
            mismatch(list(example.shown), printed),
        )

    first = failed.command
    check(failed, first, 1)
    check(again, first, 2)
    inbox.accept = 100
    check(resumed, f"{first} --resume 09af71a6", 0)
    check(listed, listed.command, 0)
    check(cancelled, cancelled.command, 0)
