"""docs/json.md says what each command prints in JSON: its example for a command has exactly
the fields the command writes, with their types, and every time is ISO 8601 with its offset
(dates YYYY-MM-DD). The commands run on the shipped directory, the meeting commands on the
tests' region with real SMTP and CalDAV servers on 127.0.0.1 (the sharing commands:
tests/sharing/test_json_docs.py)."""

from __future__ import annotations

import json
import re
import shlex
from datetime import date, timedelta
from pathlib import Path
from typing import Any, get_args

import httpx
import pytest

from somnet import CONDITIONS, Directory
from somnet.meetings.series import Period
from tests.cli import run
from tests.json_docs import (
    bad_times,
    contradictions,
    differences,
    doc_examples,
    example,
    undocumented_deliveries,
)
from tests.meeting_servers import USER, Inbox, Refusing, free_port

AT = "--at 2026-12-01T03:00-05:00"


@pytest.mark.parametrize(
    ("name", "command"),
    [
        (
            "somnet contact",
            f"contact --stateless --zone high-seas --as BS --nationality CU --distress {AT}",
        ),
        (
            "somnet contact",
            f"contact --flag HT --zone contiguous --coastal BS --as US --nationality HT,CU "
            f"--asylum --minors --smugglers --return {AT}",
        ),
        (
            # A script's time (datetime.now().isoformat()) carries microseconds: the plan's
            # instants are still written to the second, as documented.
            "somnet contact",
            "contact --flag HT --zone eez --coastal BS --as US --nationality CU "
            "--at 2026-12-01T03:00:00.250001-05:00",
        ),
        ("somnet agreements", "agreements"),
        ("somnet consular", "consular --nationality HT --in BS"),
        ("somnet directory validate", "directory validate"),
        ("somnet directory show", "directory show HT"),
        ("somnet directory search", "directory search 'coast guard'"),
        ("somnet directory export", "directory export"),
        ("somnet directory stale", "directory stale --days 1"),
        ("somnet directory coverage", "directory coverage"),
    ],
)
def test_the_documented_fields_are_those_printed(
    capsys: pytest.CaptureFixture[str], name: str, command: str
) -> None:
    format_ = "" if command.startswith("directory export") else " --format json"
    result = run(capsys, *shlex.split(command + format_))
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    assert differences(example(name), printed) == []
    assert bad_times(printed) == []


def test_the_records_the_examples_name_are_as_printed(capsys: pytest.CaptureFixture[str]) -> None:
    """An example that names a record of the shipped directory (the Haitian embassy in Nassau,
    Haiti, RCC Miami...) says what the command prints for it, not another record's values."""

    def printed(command: str) -> Any:
        result = run(capsys, *shlex.split(command))
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    def by_code(states: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"id": s["code"], **s} for s in states]

    example = doc_examples().__getitem__  # placeholders left: each record is checked once
    exported = printed("directory export")
    state = example("<state>")
    problems = [
        *contradictions([example("<agency>")], exported["agencies"], "<agency>"),
        *contradictions(by_code([state]), by_code(exported["states"]), "<state>"),
        *contradictions(
            [example("<agreement>")], printed("agreements --format json"), "<agreement>"
        ),
        *contradictions(
            example("somnet consular"),
            printed("consular --nationality HT --in BS --format json"),
            "consular",
        ),
        *contradictions(
            example("somnet contact"),
            printed(
                "contact --stateless --zone high-seas --as BS --nationality CU --distress "
                f"{AT} --format json"
            ),
            "contact",
        ),
    ]
    assert problems == [], "\n".join(problems)


def test_a_plan_step_with_its_agreement_is_documented() -> None:
    """The golden plan (whose agreement the shipped data cannot produce) checks the step's
    ``agreement`` (tests/test_contact_cli.py proves the golden file is what is printed)."""
    golden = Path(__file__).parent / "golden"
    for name in ("contact-plan.json", "contact-plan-minimal.json"):
        printed = json.loads((golden / name).read_text(encoding="utf-8"))
        assert any(s["agreement"] for s in printed["steps"]) or name != "contact-plan.json"
        assert differences(example("somnet contact"), printed) == []


@pytest.mark.usefixtures("meeting_clock")
def test_the_documented_meeting_fields_are_those_printed(
    region: Directory,
    smtp: tuple[Inbox, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _inbox, port = smtp
    store = tmp_path / "store"
    send = f"--send smtp://127.0.0.1:{port} --store {store} --format json"
    # --caldav-user goes with --publish: without it nothing is published, and it is refused.
    publish = f"--caldav-user {USER} --publish"

    def printed(command: str, exit_code: int = 0) -> Any:
        result = run(capsys, *shlex.split(command))
        assert result.exit_code == exit_code, result.stderr
        value = json.loads(result.stdout)
        assert bad_times(value) == []
        return value

    window = "--states BS,HT,PA,DO --from 2026-12-01 --to 2026-12-18 --duration 90m"
    # A plan, and a plan that found nothing: the documented fields are those of both.
    plans = [
        printed(f"meeting plan {window} --format json"),
        printed(
            "meeting plan --states BS,HT --from 2026-12-05 --to 2026-12-06 --duration 90m "
            "--format json",
            exit_code=2,
        ),
    ]
    assert differences([example("somnet meeting plan")], plans) == []
    # A series planned, a series recorded (written to files), and a series whose ledger starts
    # from the meetings recorded, then from zero.
    series = "--states BS,HT,PA,DO --duration 90m --from 2027-01-04 --every quarter --count 2"
    every = [
        printed(f"meeting series {series} --store {store} --format json"),
        printed(
            f"meeting series {series} --invite --title Quarterly --organizer unodc@example.org "
            f"--out {tmp_path / 'series'} --store {store} --format json"
        ),
    ]
    every.append(printed(f"meeting series {series} --store {store} --format json"))
    every.append(
        printed(f"meeting series {series} --store {store} --no-ledger-from-store --format json")
    )
    assert every[2]["ledger_from"]["meetings"] and not every[3]["ledger_from"]["meetings"]
    assert differences([example("somnet meeting series")], every) == []
    series_id = every[1]["series"]
    ended = printed(
        f"meeting cancel --series {series_id} --out {tmp_path / 'cancelled'} --store {store} "
        "--format json"
    )
    assert len(ended["meetings"]) == 2
    assert differences(example("somnet meeting cancel --series"), ended) == []

    invited = printed(
        f"meeting invite {window} --title 'Regional coordination' "
        f"--organizer unodc@example.org {send} {publish} {calendar}"
    )
    assert differences(example("somnet meeting invite"), invited) == []
    meeting_id = invited["meeting"]["id"]
    updated = printed(f"meeting update {meeting_id} --duration 1h --states BS,HT,PA {send}")
    assert differences(example("somnet meeting invite"), updated) == []
    shown = printed(f"meeting show {meeting_id} --store {store} --format json")
    assert differences(example("<meeting>"), shown) == []
    listed = printed(f"meeting list --store {store} --format json")
    assert differences([example("<meeting>")], listed) == []
    cancelled = printed(f"meeting cancel {meeting_id} {send} --publish")
    assert differences(example("somnet meeting invite"), cancelled) == []
    # Each entry of `delivered` (and of a history's) has one of the documented forms: the
    # update e-mailed the attendee it took off, the cancellation removed the published event.
    entries = [
        *(e for i in (invited, updated, cancelled) for e in i["delivered"]),
        *(e for m in every[1]["meetings"] for e in m["delivered"]),
        *(e for m in ended["meetings"] for e in m["delivered"]),
        *(e for c in cancelled["meeting"]["history"] for e in c["delivered"]),
    ]
    assert {e.split(" ", 1)[0] for e in entries} >= {"smtp:127.0.0.1:" + str(port)}
    assert any(" uninvited " in e for e in entries) and any("caldav:DELETE" in e for e in entries)
    assert undocumented_deliveries(entries) == []


def test_the_source_files_the_documents_name_exist() -> None:
    """A reader sent to ``somnet/....py`` for a table (the rules, the fiction ranges) finds it."""
    root = Path(__file__).parents[1]
    documents = [root / "README.md", root / "data" / "README.md", *sorted(root.glob("docs/*.md"))]
    named = {
        (document.relative_to(root).as_posix(), path)
        for document in documents
        for path in re.findall(
            r"\b(?:somnet|cli|tests|benchmarks)/[\w/]+\.py\b", document.read_text()
        )
    }
    assert named, "the pattern finds the files the documents name"
    assert sorted((doc, path) for doc, path in named if not (root / path).exists()) == []


def test_the_contract_names_the_module_of_every_view() -> None:
    """A contributor adding a field to a command's JSON finds its view where the contract says
    ("Where the contract is written")."""
    root = Path(__file__).parents[1]
    contract = (root / "docs" / "json.md").read_text(encoding="utf-8")
    named = contract.split("## Where the contract is written", 1)[1]
    views = sorted(
        path.relative_to(root).as_posix()
        for path in (root / "somnet").rglob("*.py")
        if re.search(r"^class \w+View\b", path.read_text(encoding="utf-8"), flags=re.M)
    )
    assert views and [v for v in views if f"`{v}`" not in named] == []


def test_the_readme_names_the_fields_of_a_plan() -> None:
    """README's "The JSON contract" names the plan's top-level fields and each step's."""
    root = Path(__file__).parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The JSON contract", 1)[1].split("\n#", 1)[0]
    printed = json.loads((root / "tests" / "golden" / "contact-plan.json").read_text())
    top = re.search(r"prints `(\{.*?\})`", section, flags=re.S)
    assert top is not None
    assert re.findall(r'"(\w+)":', top.group(1)) == list(printed)
    step = re.search(r"Each step has (.*?)\.", section, flags=re.S)
    assert step is not None
    assert re.findall(r"`(\w+)`", step.group(1)) == list(printed["steps"][0])


@pytest.mark.usefixtures("meeting_clock")
@pytest.mark.parametrize(
    ("states", "day", "contact", "own", "calendar"),
    [
        # A U.S. Coast Guard office in Puerto Rico keeps Puerto Rico's Emancipation Day.
        ("PR,BS", "2027-03-22", "us-uscg-sector-sanjuan-desk", "US", "PR"),
        # The FCDO in London keeps England's Late Summer Bank Holiday (calendar GB-ENG).
        ("GB,BS", "2027-08-30", "gb-fcdo-caribbean-desk", "GB", "GB"),
    ],
)
def test_a_plans_holiday_is_under_the_code_of_the_state_whose_holiday_it_is(
    capsys: pytest.CaptureFixture[str], states: str, day: str, contact: str, own: str, calendar: str
) -> None:
    # The day after is free: the plan is printed whole, with its holidays.
    result = run(
        capsys,
        *shlex.split(
            f"meeting plan --states {states} --duration 60m --from {day} "
            f"--to {date.fromisoformat(day) + timedelta(days=1)} --count 1 --format json"
        ),
    )
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    [holiday] = [h for h in printed["holidays"] if h["date"] == day]
    assert (holiday["contact"], holiday["state"]) == (contact, calendar)
    [participant] = [p for p in printed["participants"] if p["contact"] == contact]
    assert participant["state"] == own


def test_the_documented_conditions_are_those_an_interception_carries(
    capsys: pytest.CaptureFixture[str],
) -> None:
    contract = (Path(__file__).parents[1] / "docs" / "json.md").read_text(encoding="utf-8")
    said = re.search(
        r"`conditions` are the facts\s+given.*?in this order: (.*?) \(", contract, re.S
    )
    assert said is not None, "docs/json.md lists the conditions"
    documented = re.findall(r"`([\w-]+)`", said.group(1))
    assert tuple(documented) == CONDITIONS
    flags = " ".join(f"--{name}" for name in reversed(CONDITIONS))
    result = run(
        capsys,
        *shlex.split(f"contact --stateless --zone high-seas --as BS {flags} {AT} --format json"),
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["interception"]["conditions"] == list(documented)


@pytest.mark.usefixtures("meeting_clock")
def test_the_readme_names_the_fields_of_a_meeting_plan(
    region: Directory, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    said = re.search(r"`--format json` gives `(\{\"window\".*?)`", readme, flags=re.S)
    assert said is not None, "README says what meeting plan --format json gives"
    top = re.findall(r'"(\w+)": ', re.sub(r"\[\{.*?\}\]", "", said.group(1), flags=re.S))
    window = "--states BS,HT --from 2026-12-01 --to 2026-12-18 --duration 90m --format json"
    result = run(capsys, *shlex.split(f"meeting plan {window}"))
    assert result.exit_code == 0, result.stderr
    assert top == list(json.loads(result.stdout))
    slot = re.findall(r'"(\w+)"', said.group(1).split('"slots": [{', 1)[1].split("}]}]", 1)[0])
    printed = json.loads(result.stdout)["slots"][0]
    assert slot == [*printed, *printed["participants"][0]][: len(slot)]


@pytest.mark.usefixtures("meeting_clock")
def test_the_documented_periods_of_a_series_are_those_printed(
    region: Directory, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = (Path(__file__).parents[1] / "docs" / "json.md").read_text(encoding="utf-8")
    said = re.search(r"\(`every`: (.*?)\)", contract, flags=re.S)
    assert said is not None, "docs/json.md says what a series' every holds"
    documented = re.findall(r"`(\w+)`", said.group(1))
    assert documented == list(get_args(Period))
    for every in documented:
        result = run(
            capsys,
            *shlex.split(
                "meeting series --states BS,HT --duration 90m --from 2027-01-04 "
                f"--every {every} --count 1 --format json"
            ),
        )
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["every"] == every


def test_the_readme_and_the_contract_call_the_same_step_fields_stable() -> None:
    """A script's author reads one or the other: both promise the same fields."""
    root = Path(__file__).parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The JSON contract", 1)[1].split("\n#", 1)[0]
    promised = section.split(" are stable: script against them", 1)[0].rsplit(".\n", 1)[1]
    in_readme = set(re.findall(r"`([\w.]+)`", promised))
    contract = (root / "docs" / "json.md").read_text(encoding="utf-8")
    in_contract = set(re.findall(r"^\| `([\w.]+)` \| yes \|", contract, flags=re.M))
    assert in_contract and in_readme == in_contract


@pytest.mark.usefixtures("meeting_clock")
def test_a_delivery_that_fails_prints_its_json_and_records_why_in_english(
    region: Directory,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The meeting is recorded: a script gets the document a success prints (exit 1), with
    # what went and why the rest did not, in English as JSON always is; the error goes to
    # standard error in the user's language.
    store, out = tmp_path / "store", tmp_path / "m.ics"
    refused = f"smtp://127.0.0.1:{free_port()}"
    result = run(
        capsys,
        *shlex.split(
            "--lang es meeting invite --states BS,HT --start 2026-12-03T15:00Z --duration 90m "
            f"--title T --organizer o@example.org --send {refused} --out {out} "
            f"--store {store} --format json"
        ),
    )
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert "rechazó la conexión" in line
    printed = json.loads(result.stdout)
    assert differences(example("somnet meeting invite"), printed) == []
    meeting = printed["meeting"]
    assert printed["delivered"] == [f"file:{out}"]
    assert printed["record"] == str(store / f"{meeting['id']}.json")
    via = meeting["deliveries"][0]["via"]
    assert printed["error"].startswith(f"SMTP server {via} refused the connection")
    assert {(d["state"], d["reply"]) for d in meeting["deliveries"]} == {
        ("failed", f"SMTP server {via} refused the connection")
    }
    listed = run(
        capsys, "--lang", "es", "meeting", "list", "--store", str(store), "--format", "json"
    )
    assert json.loads(listed.stdout) == [meeting]
    contract = (Path(__file__).parents[1] / "docs" / "json.md").read_text(encoding="utf-8")
    assert re.search(r"`reply` the server's answer when it failed \(or why no answer", contract)
    # The id it printed is the one resend completes.
    _inbox, port = smtp
    result = run(
        capsys,
        *shlex.split(
            f"meeting resend {meeting['id']} --send smtp://127.0.0.1:{port} --store {store} "
            "--format json"
        ),
    )
    assert result.exit_code == 0, result.stderr
    resent = json.loads(result.stdout)
    assert resent["error"] is None
    assert resent["delivered"] == [
        f"smtp:127.0.0.1:{port} to bs-focal@example.org, ht-focal@example.org"
    ]
    assert {d["state"] for d in resent["meeting"]["deliveries"]} == {"delivered"}


@pytest.mark.usefixtures("meeting_clock")
def test_a_recipient_refused_halfway_is_printed_with_what_went(
    region: Directory,
    refusing: tuple[Refusing, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = refusing
    inbox.refuse = {"ht-focal@example.org"}
    store = tmp_path / "store"
    result = run(
        capsys,
        *shlex.split(
            "meeting invite --states BS,HT,PA --start 2026-12-03T15:00Z --duration 90m "
            f"--title T --organizer o@example.org --send smtp://127.0.0.1:{port} "
            f"--caldav-user {USER} --publish {calendar} --store {store} --format json"
        ),
    )
    assert result.exit_code == 1
    assert "ht-focal@example.org" in result.stderr
    printed = json.loads(result.stdout)
    assert differences(example("somnet meeting invite"), printed) == []
    meeting = printed["meeting"]
    assert printed["delivered"] == [
        f"caldav:PUT {meeting['publication']['url']}",
        f"smtp:127.0.0.1:{port} to bs-focal@example.org, pa-focal@example.org",
    ]
    assert "ht-focal@example.org" in printed["error"]
    assert {(d["to"], d["state"]) for d in meeting["deliveries"] if d["channel"] == "email"} == {
        ("bs-focal@example.org", "delivered"),
        ("ht-focal@example.org", "failed"),
        ("pa-focal@example.org", "delivered"),
    }
    inbox.refuse = set()
    result = run(
        capsys,
        *shlex.split(
            f"meeting resend {meeting['id']} --send smtp://127.0.0.1:{port} --store {store} "
            "--format json"
        ),
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["delivered"] == [
        f"smtp:127.0.0.1:{port} to ht-focal@example.org"
    ]


@pytest.mark.usefixtures("meeting_clock")
def test_an_update_stopped_by_a_calendar_copy_changed_there_is_printed_as_recorded(
    region: Directory,
    smtp: tuple[Inbox, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A CalDAV 412: the update is recorded, nothing delivered; the JSON says so, with who
    # the update added and removed, and resend --force completes it.
    inbox, port = smtp
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port} --caldav-user {USER} --format json"
    result = run(
        capsys,
        *shlex.split(
            "meeting invite --states BS,HT --start 2026-12-03T16:00Z --duration 90m --title T "
            f"--organizer o@example.org {send} --publish {calendar}"
        ),
    )
    assert result.exit_code == 0, result.stderr
    meeting = json.loads(result.stdout)["meeting"]
    url = meeting["publication"]["url"]
    edited = httpx.get(url, auth=(USER, ""), timeout=5).content
    edited = edited.replace(b"TRANSP:OPAQUE", b"TRANSP:TRANSPARENT")
    assert httpx.put(url, content=edited, auth=(USER, ""), timeout=5).is_success
    inbox.envelopes.clear()
    result = run(
        capsys,
        *shlex.split(f"meeting update {meeting['id']} --states BS,PA {send} --publish"),
    )
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert differences(example("somnet meeting invite"), printed) == []
    assert (printed["meeting"]["id"], printed["meeting"]["sequence"]) == (meeting["id"], 1)
    assert printed["delivered"] == [] and inbox.envelopes == []
    assert (printed["added"], printed["removed"]) == (
        ["pa-focal@example.org"],
        ["ht-focal@example.org"],
    )
    assert "changed on the server" in printed["error"]
    result = run(capsys, *shlex.split(f"meeting resend {meeting['id']} {send} --publish --force"))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["delivered"][0] == f"caldav:PUT {url}"


@pytest.mark.usefixtures("meeting_clock")
def test_a_series_whose_delivery_fails_prints_what_it_recorded_and_resumes(
    region: Directory,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _inbox, port = smtp
    store = tmp_path / "store"
    series = (
        "meeting series --states BS,HT --duration 90m --from 2027-01-04 --every quarter "
        f"--count 2 --invite --title Q --organizer o@example.org --store {store} --format json"
    )
    result = run(capsys, *shlex.split(f"{series} --send smtp://127.0.0.1:{free_port()}"))
    assert result.exit_code == 1
    assert "occurrence 1 of 2" in result.stderr
    printed = json.loads(result.stdout)
    assert differences(example("somnet meeting series"), printed) == []
    [first] = printed["meetings"]
    assert first["delivered"] == [] and first["meeting"]["series"] == printed["series"]
    assert first["record"] == str(store / f"{first['meeting']['id']}.json")
    assert "refused the connection" in printed["error"] and "not sent: " in printed["error"]
    result = run(
        capsys,
        *shlex.split(f"{series} --send smtp://127.0.0.1:{port} --resume {printed['series']}"),
    )
    assert result.exit_code == 0, result.stderr
    resumed = json.loads(result.stdout)
    assert resumed["error"] is None
    # The meeting recorded before is completed, the next one recorded now.
    ids = [m["meeting"]["id"] for m in resumed["meetings"]]
    assert len(ids) == 2 and ids[0] == first["meeting"]["id"]

    # Its cancellation, failing likewise, prints what it cancelled; run again, it completes.
    cancel = f"meeting cancel --series {printed['series']} --store {store} --format json"
    result = run(capsys, *shlex.split(f"{cancel} --send smtp://127.0.0.1:{free_port()}"))
    assert result.exit_code == 1
    ended = json.loads(result.stdout)
    assert differences(example("somnet meeting cancel --series"), ended) == []
    assert ended["series"] == printed["series"]
    [partly] = ended["meetings"]
    assert partly["meeting"]["status"] == "CANCELLED" and partly["delivered"] == []
    assert "refused the connection" in ended["error"]
    result = run(capsys, *shlex.split(f"{cancel} --send smtp://127.0.0.1:{port}"))
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["meetings"]) == 2


@pytest.mark.usefixtures("meeting_clock")
def test_meeting_show_ics_with_format_json_is_refused_not_answered_in_icalendar(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A script that asks for JSON must get JSON or an error, never an iCalendar file.
    store = tmp_path / "store"
    result = run(
        capsys,
        *shlex.split(
            "meeting invite --states BS,HT --start 2026-12-03T15:00Z --duration 90m --title T "
            f"--organizer o@example.org --out {tmp_path / 'm.ics'} --store {store} --format json"
        ),
    )
    assert result.exit_code == 0, result.stderr
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    result = run(
        capsys, "meeting", "show", meeting_id, "--ics", "--store", str(store), "--format", "json"
    )
    assert (result.exit_code, result.stdout) == (2, "")
    [line] = result.stderr.splitlines()
    assert "--ics" in line and "--format" in line
    # Each alone still works.
    result = run(capsys, "meeting", "show", meeting_id, "--ics", "--store", str(store))
    assert result.exit_code == 0 and result.stdout.startswith("BEGIN:VCALENDAR")


def test_the_documented_replacements_are_those_printed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # An overlay holding a shipped state file replaces its records: each is listed.
    shipped = Path(__file__).parents[1] / "data" / "states" / "BS.toml"
    overlay = tmp_path / "overlay" / "states"
    overlay.mkdir(parents=True)
    (overlay / "BS.toml").write_bytes(shipped.read_bytes())
    result = run(capsys, "directory", "validate", "--data", str(overlay.parent), "--format", "json")
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["replacements"]
    assert differences(example("somnet directory validate"), printed) == []


@pytest.mark.usefixtures("meeting_clock")
def test_a_series_with_a_recipient_refused_prints_every_meeting_it_delivered(
    region: Directory,
    refusing: tuple[Refusing, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A refused mailbox does not stop the series: each meeting is recorded and delivered to
    # the others, and the JSON lists them all, with the error naming the address.
    inbox, port = refusing
    inbox.refuse = {"ht-focal@example.org"}
    store = tmp_path / "store"
    result = run(
        capsys,
        *shlex.split(
            "meeting series --states BS,HT --duration 90m --from 2027-01-04 --every quarter "
            "--count 2 --invite --title Q --organizer o@example.org "
            f"--send smtp://127.0.0.1:{port} --store {store} --format json"
        ),
    )
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert differences(example("somnet meeting series"), printed) == []
    assert [m["delivered"] for m in printed["meetings"]] == [
        [f"smtp:127.0.0.1:{port} to bs-focal@example.org"]
    ] * 2
    assert "ht-focal@example.org" in printed["error"]
    assert "occurrence 1 of 2" in printed["error"]


def test_a_plans_channel_is_dialable_as_documented(capsys: pytest.CaptureFixture[str]) -> None:
    """A plan's `dialable` is false for a placeholder number and for a channel that is not a
    telephone, as docs/json.md says (it said only the first: a script took a VHF channel or an
    e-mail address for a number to dial)."""
    contract = (Path(__file__).parents[1] / "docs" / "json.md").read_text(encoding="utf-8")
    plan_table = contract.split("Each step:", 1)[1].split("\n\n", 2)[1]
    assert re.search(r"`dialable` \(false for a placeholder .*? not a telephone", plan_table)
    result = run(
        capsys,
        *shlex.split(
            "contact --flag HT --zone contiguous --coastal BS --as US --nationality HT "
            f"--distress {AT} --format json"
        ),
    )
    assert result.exit_code == 0, result.stderr
    channels = [
        c for s in json.loads(result.stdout)["steps"] for k in s["contacts"] for c in k["channels"]
    ]
    telephones = {"phone", "mobile", "fax", "satphone"}
    assert {c["kind"] for c in channels} >= {"phone", "email", "vhf"}
    for channel in channels:
        placeholder = "X" in channel["value"]
        assert channel["dialable"] is (channel["kind"] in telephones and not placeholder), channel
    assert any(c["dialable"] for c in channels) and any(
        c["kind"] == "phone" and not c["dialable"] for c in channels
    )


def test_the_readme_names_the_fields_of_a_steps_agency_contacts_and_channels() -> None:
    """README's "The JSON contract" lists an agency's, a contact's and a channel's fields of a
    plan step: they are the ones printed, in order."""
    root = Path(__file__).parents[1]
    section = (root / "README.md").read_text(encoding="utf-8").split("### The JSON contract", 1)[1]
    section = " ".join(section.split("\n#", 1)[0].split())
    printed = json.loads((root / "tests" / "golden" / "contact-plan.json").read_text())
    step = next(s for s in printed["steps"] if s["agency"] and s["contacts"])
    agency = re.search(r"`agency` has its (.*?), or is null", section)
    contact = re.search(r"each contact has its (.*?) and `channels` \((.*?)\)", section)
    assert agency is not None and contact is not None
    assert re.findall(r"`(\w+)`", agency.group(1)) == list(step["agency"])
    assert [*re.findall(r"`(\w+)`", contact.group(1)), "channels"] == list(step["contacts"][0])
    assert re.findall(r"`(\w+)`", contact.group(2)) == list(step["contacts"][0]["channels"][0])


def test_the_contracts_table_of_a_step_names_every_field_a_step_has() -> None:
    """docs/json.md's "Each step" table has one row for each field of a step (``agreement.id``
    standing for ``agreement``), as the golden plan has them."""
    root = Path(__file__).parents[1]
    contract = (root / "docs" / "json.md").read_text(encoding="utf-8")
    table = contract.split("Each step:", 1)[1].split("\n\n", 2)[1]
    rows = re.findall(r"^\| ((?:`[\w.]+`(?:, )?)+) \|", table, flags=re.M)
    documented = {name.split(".")[0] for row in rows for name in re.findall(r"`([\w.]+)`", row)}
    printed = json.loads((root / "tests" / "golden" / "contact-plan.json").read_text())
    assert documented == set(printed["steps"][0])


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("somnet agreements", "agreements"),
        ("somnet consular", "consular --nationality HT --in BS"),
        ("somnet directory validate", "directory validate"),
        ("somnet directory show XX", "directory show HT"),
        ("somnet directory export", "directory export"),
        ("somnet directory stale", "directory stale --days 1"),
    ],
)
def test_the_contracts_table_of_the_other_commands_names_the_fields_they_print(
    capsys: pytest.CaptureFixture[str], name: str, command: str
) -> None:
    """The table of "The other commands" names each field the command prints (at the top, or
    of each record of a list)."""
    contract = (Path(__file__).parents[1] / "docs" / "json.md").read_text(encoding="utf-8")
    [row] = re.findall(rf"^\| `{re.escape(name)}` \| (.*) \|$", contract, flags=re.M)
    named = set(re.findall(r"`([\w-]+)`", row))
    format_ = "" if command.startswith("directory export") else " --format json"
    result = run(capsys, *shlex.split(command + format_))
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    fields = set(printed[0] if isinstance(printed, list) else printed)
    assert fields <= named, sorted(fields - named)
