"""``somnet meeting``: plan, series, invite, update, cancel, resend, list and show run as a
user runs them, against a small directory, and real SMTP and CalDAV servers on 127.0.0.1. Bad
input is one line naming the flag, exit 2, nothing on disk; a failed delivery is one line that
says who has it and what to run next, exit 1."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import shlex
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import attrs
import httpx
import icalendar
import pytest
from aiosmtpd.controller import Controller

import somnet
from somnet import Directory, MeetingStore
from somnet.meetings.records import Publication
from tests.cli import check_golden_json, run
from tests.meeting_fixtures import (
    NOW,
    STATES,
    cli,
    error_line,
    parse_both,
    write_region,
)
from tests.meeting_servers import (
    SMTPS_WARNING,
    USER,
    Flaky,
    Inbox,
    Refusing,
    Silent,
    _events,
    _get,
    calendar_part,
    free_port,
    serving,
    storage_of,
)

# The meeting commands read the tests' clock: a Friday before every date they plan for.
pytestmark = pytest.mark.usefixtures("meeting_clock")


def test_cli_plan_json_lists_each_slot_in_utc_and_local_time(
    region: Directory, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(
        capsys,
        "meeting plan --states BS,DO --states HT,PA --duration 90m --from "
        "2026-12-01 --to 2026-12-18 --count 2 --format json",
    )
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    first = answer["slots"][0]
    assert first["start"] == "2026-12-01T16:00:00Z" and first["end"] == "2026-12-01T17:30:00Z"
    assert first["score"] == 0
    bahamas = first["participants"][0]
    assert bahamas == {
        "contact": "bs-focal",
        "state": "BS",
        "timezone": "America/Nassau",
        "local_start": "2026-12-01T11:00:00-05:00",
        "local_end": "2026-12-01T12:30:00-05:00",
        "minutes_outside_core": 0,
    }
    assert answer["holidays"] == [
        {"contact": "pa-focal", "state": "PA", "date": "2026-12-08", "name": "Mother's Day"}
    ]
    assert "2026-12-08" not in {s["start"][:10] for s in answer["slots"]}
    assert answer["window"] == {
        "from": "2026-12-01",
        "to": "2026-12-18",
        "duration_minutes": 90,
        "step_minutes": 15,
    }


def test_cli_plan_json_says_which_interpretation_the_meeting_needs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # As the table does, on the shipped directory: each participant's languages, and those
    # all of them speak.
    mixed = cli(
        capsys,
        "meeting plan --states BS,DO,HT --duration 90m --from 2027-02-02 --to 2027-02-04 "
        "--format json --no-cache",
    )
    assert mixed.exit_code == 0, mixed.stderr
    answer = json.loads(mixed.stdout)
    spoken = [set(p["languages"]) for p in answer["participants"]]
    assert "en" in spoken[0] and "es" in spoken[1] and "fr" in spoken[2]
    interpretation = answer["interpretation"]
    assert interpretation["needed"] is True and interpretation["common"] == []
    assert {"en", "es", "fr"} <= set(interpretation["languages"])
    same = cli(
        capsys,
        "meeting plan --states DO,PA --duration 90m --from 2027-02-02 --to 2027-02-04 "
        "--format json --no-cache",
    )
    assert json.loads(same.stdout)["interpretation"] == {
        "needed": False,
        "languages": ["es"],
        "common": ["es"],
    }


def test_cli_plan_json_matches_its_snapshot(
    region: Directory, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole contract at once, reviewed as a diff (SOMNET_UPDATE_GOLDEN=1 rewrites it)."""
    result = cli(
        capsys,
        "meeting plan --states BS,HT --contact mx-semar-duty --duration 2h --from 2026-12-07 "
        "--to 2026-12-08 --count 2 --per-day --format json",
    )
    assert result.exit_code == 0, result.stderr
    check_golden_json("plan.json", result.stdout)


def test_cli_plan_table_shows_every_participants_local_time(
    region: Directory, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(
        capsys,
        "meeting plan --states BS,PA --contact mx-semar-duty --duration 1h "
        "--from 2026-12-24 --to 2026-12-28 --per-day",
    )
    assert result.exit_code == 0, result.stderr
    # Mexico City's core hours (10:00-15:00, UTC-6) start last: 16:00 UTC; the best slot
    # starts an hour inside everyone's.
    assert "1  Thu 2026-12-24 17:00-18:00 UTC   score 0" in result.stdout
    assert "BS bs-focal" in result.stdout and "Thu 12:00-13:00  America/Nassau" in result.stdout
    assert "MX mx-semar-duty" in result.stdout
    assert "2026-12-25  Christmas Day" in result.stdout
    assert "illustrative" in result.stdout


def test_cli_series_json_shows_the_ledger(
    region: Directory, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(
        capsys,
        "meeting series --states BS,HT,PA,DO --duration 90m --from 2027-01-04 "
        "--every quarter --count 4 --within 14 --format json",
    )
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert len(answer["occurrences"]) == 4
    assert [e["contact"] for e in answer["ledger"]] == [
        "bs-focal",
        "ht-focal",
        "pa-focal",
        "do-focal",
    ]
    assert set(answer["ledger"][0]) == {
        "contact",
        "state",
        "minutes_outside_core",
        "inconvenient_meetings",
    }
    assert answer["worst_minutes_outside_core"] <= answer["earliest_slot_series_worst_minutes"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--states", "BS,PA", "--duration", "ninety"], "--duration: 'ninety' is not a duration"),
        (
            ["--states", "BS,PA", "--duration", "1h90"],
            "--duration: '1h90': minutes beside hours must be 0 to 59",
        ),
        (
            ["--states", "BS,PA", "--step", "0h90m"],
            "--step: '0h90m': minutes beside hours must be 0 to 59",
        ),
        (
            ["--states", "BS,PA", "--from", "2026-12-18", "--to", "2026-12-01"],
            "ends before it starts",
        ),
        (["--states", "BS,PA", "--from", "2026-13-01"], "--from: '2026-13-01' is not a date"),
        (["--states", "BS,GT"], "--states: the directory holds no state GT"),
        (["--states", "BS,QQ"], "--states: 'QQ' is not an ISO 3166-1 alpha-2"),
        # An empty item (a script's unset variable) is refused, as --nationality refuses it.
        (["--states", "BS,,PA"], "--states: empty code in 'BS,,PA'"),
        (["--states", "BS,"], "--states: empty code in 'BS,'"),
        (["--contact", "nobody"], "--contact: no contact has id 'nobody'"),
        (["--states", "PA", "--role", "ship-registry"], "--role: no agency of PA (Panama)"),
        (["--states", "JM"], "--states: JM (Jamaica) has no meeting_focal_point"),
        (["--states", "BS", "--count", "many"], "--count: 'many' is not a whole number"),
        (["--states", "BS,PA", "--from", "2026-12-05", "--to", "2026-12-06"], "no 1h30m slot"),
    ],
)
def test_cli_bad_plan_input_is_one_line_and_exit_2(
    region: Directory, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    defaults = {"--duration": "90m", "--from": "2026-12-01", "--to": "2026-12-18"}
    for flag, value in defaults.items():
        if flag not in args:
            args = [*args, flag, value]
    result = run(capsys, "meeting", "plan", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            "plan --states BS,PA --duration 90m --from 9999-12-30 --to 9999-12-31",
            "--from: '9999-12-30' is outside the years 1971-9998",
        ),
        (
            "plan --states BS,PA --duration 90m --from 0001-01-01 --to 0001-01-02",
            "--from: '0001-01-01' is outside the years 1971-9998",
        ),
        (
            "plan --states BS,PA --duration 90m --from 2026-12-01 --to 9999-01-01",
            "--to: '9999-01-01' is outside the years 1971-9998",
        ),
        (
            "series --states BS,PA --duration 90m --from 9999-01-04 --every quarter --count 8",
            "--from: '9999-01-04' is outside the years 1971-9998",
        ),
        (
            "series --states BS,PA --duration 90m --from 9998-01-04 --every quarter --count 8",
            "the series would run past the year 9998",
        ),
        (
            "invite --states BS,PA --duration 90m --start 9999-12-31T20:00Z --title T "
            "--organizer o@example.org",
            "--start: '9999-12-31T20:00Z' is outside the years 1971-9998",
        ),
    ],
)
def test_cli_dates_out_of_range_are_one_line_and_exit_2(
    region: Directory, capsys: pytest.CaptureFixture[str], command: str, message: str
) -> None:
    result = cli(capsys, f"meeting {command}")
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("option", ["--role=--", "--count=--", "--states=--", "--step=--"])
def test_cli_a_double_dash_as_an_options_value_is_refused_naming_the_option(
    region: Directory, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    """``--role=--``: the value "--", which Python's argparse dropped, handing the command an
    empty list (a traceback, or "[] is not a whole number")."""
    result = run(
        capsys, "meeting", "plan", "--states", "BS,PA", "--duration", "90m",
        "--from", "2026-12-01", "--to", "2026-12-18", option,
    )  # fmt: skip
    flag = option.partition("=")[0]
    assert result.exit_code == 2, result.stderr
    assert f"{flag}: " in result.stderr, result.stderr
    assert "[]" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_cli_no_slot_in_json_still_gives_the_reasons(
    region: Directory, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(
        capsys,
        "meeting plan --states DO,PA --duration 90m --from 2027-01-04 --to "
        "2027-01-04 --format json",
    )
    assert result.exit_code == 2
    answer = json.loads(result.stdout)
    assert answer["slots"] == [] and any("Epiphany" in r for r in answer["reasons"])


def test_cli_a_series_with_no_slot_in_json_still_gives_the_reasons(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As plan does: a script reading the JSON learns that nothing fits, and why.
    result = cli(
        capsys,
        "meeting series --states DO,PA --duration 90m --from 2027-01-04 --every week "
        f"--count 1 --within 1 --store {tmp_path / 'store'} --format json",
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    answer = json.loads(result.stdout)
    assert answer["occurrences"] == [] and any("Epiphany" in r for r in answer["reasons"])
    assert not (tmp_path / "store").exists()


WORKSHOP = ["BS", "DO", "HT", "HN", "JM", "MX", "PA"]


def _shipped_states() -> set[str]:
    from somnet import shipped_data_dir

    return {p.stem for p in (shipped_data_dir() / "states").glob("*.toml")}


@pytest.mark.skipif(
    not set(WORKSHOP) <= _shipped_states(), reason="the shipped directory has not landed yet"
)
def test_the_workshop_states_can_plan_on_the_shipped_directory(
    capsys: pytest.CaptureFixture[str],
) -> None:
    states = ",".join(WORKSHOP)
    result = cli(
        capsys,
        f"meeting plan --states {states} --duration 90m --from 2026-12-01 --to 2026-12-18 "
        "--format json --no-cache",
    )
    # The data is someone else's to write: a plan, or a reasoned "nothing fits", never a crash.
    assert result.exit_code in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    answer = json.loads(result.stdout) if result.stdout else {"slots": []}
    if result.exit_code == 0:
        assert {p["state"] for p in answer["participants"]} == set(WORKSHOP)
        for slot in answer["slots"]:
            assert len(slot["participants"]) == len(WORKSHOP)
            assert slot["start"].endswith("Z")
    else:
        assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("--start 2025-06-03T16:00Z", "is in the past"),
        ("--start 2026-11-27T11:00Z", "is in the past"),
        ("--start 2026-11-30T16:00Z", "less than 2 working days' notice"),
        ("--start 2026-11-30T16:00Z --notice 3", "less than 3 working days' notice"),
        ("--start 2026-12-01T16:00Z --notice 3", "less than 3 working days' notice"),
        ("--start 2026-12-01T16:00Z --notice two", "--notice: 'two' is not a whole number"),
        ("--from 2026-11-20 --to 2026-11-27", "before the earliest start allowed"),
        ("--start 2027-12-01T16:00Z --notice 400", "--notice: "),
        ("--from 2027-02-01 --to 2027-02-05 --notice 10000000000", "--notice: "),
    ],
)
def test_cli_past_starts_and_too_little_notice_are_refused(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: str, message: str
) -> None:
    result = cli(
        capsys,
        f"meeting invite --states BS,PA --duration 1h --title T --organizer o@example.org "
        f"--store {tmp_path / 'store'} {extra}",
    )
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize(
    "extra",
    [
        "--start 2025-06-03T16:00Z --allow-past",
        "--start 2026-11-30T16:00Z --notice 1",
        "--start 2026-11-27T16:00Z --notice 0",
        "--start 2026-12-01T16:00Z",
    ],
)
def test_cli_past_starts_and_short_notice_are_accepted_when_asked(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: str
) -> None:
    result = cli(
        capsys,
        f"meeting invite --states BS,PA --duration 1h --title T --organizer o@example.org "
        f"--store {tmp_path / 'store'} {extra}",
    )
    assert result.exit_code == 0, result.stderr


def test_cli_update_to_a_past_start_is_refused_and_other_changes_are_not_checked(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {store} --format json",
    )
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    result = cli(capsys, f"meeting update {meeting_id} --start 2026-11-26T15:00Z --store {store}")
    assert result.exit_code == 2 and "is in the past" in result.stderr
    result = cli(capsys, f"meeting update {meeting_id} --start 2026-11-30T15:00Z --store {store}")
    assert result.exit_code == 2 and "working days' notice" in result.stderr
    assert (
        json.loads(cli(capsys, f"meeting show {meeting_id} --store {store} --format json").stdout)[
            "sequence"
        ]
        == 0
    )
    result = cli(capsys, f"meeting update {meeting_id} --title Renamed --store {store}")
    assert result.exit_code == 0, result.stderr


def test_cli_plan_skips_the_past_and_the_notice(
    region: Directory, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(
        capsys,
        "meeting plan --states BS,PA --duration 1h --from 2026-11-20 --to 2026-12-04 "
        "--count 500 --format json",
    )
    assert result.exit_code == 0, result.stderr
    starts = [s["start"] for s in json.loads(result.stdout)["slots"]]
    assert starts and min(starts) >= "2026-12-01T05:00:00Z"
    # Without notice, the rest of today (a Friday, 12:00 UTC) is offered, not its morning.
    today = "meeting plan --states BS,PA --duration 1h --from 2026-11-27 --to 2026-11-27"
    result = cli(capsys, f"{today} --count 500 --format json --notice 0")
    assert result.exit_code == 0, result.stderr
    starts = [s["start"] for s in json.loads(result.stdout)["slots"]]
    assert starts and min(starts) >= "2026-11-27T12:00:00Z"
    result = cli(capsys, today)
    assert result.exit_code == 2 and "before the earliest start allowed" in result.stderr


FIVE = ["BS", "DO", "HT", "PA", "MX"]


def test_cli_series_shows_the_ledger_before_and_after_from_the_store(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    for day in ("2026-12-02", "2026-12-09"):
        result = cli(
            capsys,
            f"meeting invite --states {','.join(FIVE)} --start {day}T16:00Z --duration 4h "
            f"--title Earlier --organizer o@example.org --store {store}",
        )
        assert result.exit_code == 0, result.stderr
    series = (
        f"meeting series --states {','.join(FIVE)} --duration 4h --from 2027-01-04 "
        f"--every month --count 2 --within 14 --store {store}"
    )
    answer = json.loads(cli(capsys, f"{series} --format json").stdout)
    before = {e["state"]: e["minutes_outside_core"] for e in answer["ledger_before"]}
    after = {e["state"]: e["minutes_outside_core"] for e in answer["ledger"]}
    assert (before["DO"], before["MX"], after["DO"], after["MX"]) == (120, 0, 120, 120)
    assert len(answer["ledger_from"]["meetings"]) == 2
    assert [o["slot"]["start"][11:16] for o in answer["occurrences"]] == ["15:00", "15:00"]
    text = cli(capsys, series).stdout
    assert "before" in text and "after" in text
    assert f"Before: 2 meetings of these participants recorded in {store}" in text
    fresh = json.loads(cli(capsys, f"{series} --no-ledger-from-store --format json").stdout)
    assert {e["minutes_outside_core"] for e in fresh["ledger_before"]} == {0}
    assert fresh["ledger_from"]["meetings"] == []


def test_cli_series_says_its_periods_are_utc_dates(
    region: Directory, capsys: pytest.CaptureFixture[str]
) -> None:
    # `meeting plan` says "(UTC dates)" in its header; a series printed "period 2027-01-04 to
    # 2027-01-17" with nothing to say whose dates, though they are read as `plan`'s are.
    result = cli(
        capsys,
        "meeting series --states BS,PA --duration 90m --from 2027-01-04 --every month --count 2",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].endswith("; periods in UTC dates"), result.stdout


def test_cli_series_warns_of_a_record_it_could_not_count_in_the_ledger(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A record that cannot be read may be a meeting of these participants: the ledger
    before, counted without it, may be short. The series is planned all the same (it sends
    nothing), and the record is named in a warning, not left out without a word."""
    store = tmp_path / "store"
    for day in ("2026-12-02", "2026-12-09"):
        result = cli(
            capsys,
            f"meeting invite --states {','.join(FIVE)} --start {day}T16:00Z --duration 4h "
            f"--title Earlier --organizer o@example.org --store {store}",
        )
        assert result.exit_code == 0, result.stderr
    first, second = MeetingStore(store).all()
    record = MeetingStore(store).path(second.id)
    record.write_text('{"record_version": 3, "title": "half a rec')
    series = (
        f"meeting series --states {','.join(FIVE)} --duration 4h --from 2027-01-04 "
        f"--every month --count 2 --within 14 --store {store}"
    )
    warning = (
        f"{record}: not a meeting record (broken JSON at line 1, column 32); the ledger before "
        "leaves it out (it may be a meeting of these participants)"
    )
    result = cli(capsys, series)
    assert result.exit_code == 0, result.stderr
    assert f"warning: {warning}\n" in result.stderr, result.stderr
    assert f"Before: 1 meeting of these participants recorded in {store}" in result.stdout
    answer = json.loads(cli(capsys, f"{series} --format json").stdout)
    assert answer["ledger_from"]["meetings"] == [first.id]
    assert warning in answer["warnings"]
    # Not read, not warned of.
    fresh = cli(capsys, f"{series} --no-ledger-from-store")
    assert fresh.exit_code == 0 and str(record) not in fresh.stderr, fresh.stderr


def test_cli_plan_series_and_invite_warn_of_a_year_without_holiday_calendars(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """python-holidays has no calendar of 2150 (its calendars end in 2100): Christmas Day is
    offered and invited to as any Friday, and each command says the holidays are not
    checked, and still plans."""
    import holidays

    bahamas = holidays.country_holidays("BS")
    warning = (
        "BS bs-focal: public holidays of BS in 2150 are not checked (its calendar is known for "
        f"{bahamas.start_year}-{bahamas.end_year} only)"
    )
    commands = [
        "meeting plan --states BS --duration 1h --from 2150-12-25 --to 2150-12-25",
        "meeting series --states BS --duration 1h --from 2150-12-25 --every week --count 1 "
        "--within 1",
        "meeting invite --states BS --start 2150-12-25T15:00Z --duration 1h --title T "
        "--organizer o@example.org --store {store}",
    ]
    for command in commands:
        result = cli(capsys, command.format(store=tmp_path / "text"))
        assert result.exit_code == 0, result.stderr
        assert f"warning: {warning}\n" in result.stderr, (command, result.stderr)
        assert "2150-12-25" in result.stdout
        # Its own store: the same invite again would be the one recorded, not a new one.
        answer = cli(capsys, f"{command.format(store=tmp_path / 'json')} --format json")
        assert answer.exit_code == 0, answer.stderr
        assert warning in json.loads(answer.stdout)["warnings"], command


def test_cli_an_invite_warns_only_of_the_years_its_local_dates_fall_in(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """30 December 2100 is two days from 2101, a year python-holidays has no calendar of; the
    meeting is not in it, on anyone's clock: nothing to warn of. 23:30 on 31 December in
    Panama is 2101 in UTC, and on the clock of Santo Domingo, whose holidays alone are then
    unchecked."""
    invite = (
        "meeting invite --states {states} --start {start} --duration 30m --title {title} "
        f"--organizer o@example.org --store {tmp_path} --format json"
    )
    result = cli(capsys, invite.format(states="PA", start="2100-12-30T10:00-05:00", title="A"))
    assert result.exit_code == 0, result.stderr
    assert "not checked" not in result.stdout + result.stderr
    start = "2100-12-31T23:30-05:00"
    result = cli(capsys, invite.format(states="PA", start=start, title="B"))
    assert result.exit_code == 0, result.stderr
    assert "not checked" not in result.stdout + result.stderr
    result = cli(capsys, invite.format(states="PA,DO", start=start, title="C"))
    assert result.exit_code == 0, result.stderr
    unchecked = [w for w in json.loads(result.stdout)["warnings"] if "not checked" in w]
    assert len(unchecked) == 1 and unchecked[0].startswith(
        "DO do-focal: public holidays of DO in 2101 are not checked"
    )


def test_cli_a_notice_counted_into_a_year_without_holiday_calendars_is_warned_of(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On Thursday 30 December 2100 the notice runs into 2101, a year python-holidays has no
    calendar of: a start refused as too soon, and a plan whose every slot is before the
    earliest start, say that the earliest they name did not check its holidays."""
    import holidays

    monkeypatch.setattr(
        "somnet_cli.meeting._now", lambda: datetime(2100, 12, 30, 12, 0, tzinfo=UTC)
    )
    bahamas = holidays.country_holidays("BS")
    warning = (
        "BS bs-focal: public holidays of BS in 2101 are not checked (its calendar is known for "
        f"{bahamas.start_year}-{bahamas.end_year} only)"
    )
    commands = [
        "meeting invite --states BS --start 2100-12-31T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {tmp_path / 'store'}",
        "meeting plan --states BS --duration 1h --from 2100-12-31 --to 2100-12-31",
    ]
    for command in commands:
        for json_args in ("", " --format json"):
            result = cli(capsys, command + json_args)
            assert result.exit_code == 2, result.stderr
            assert f"warning: {warning}\n" in result.stderr, (command, result.stderr)
            assert "2101-01-03" in result.stderr
            assert result.stderr.count(warning) == 1
    assert not (tmp_path / "store").exists() or not list((tmp_path / "store").glob("*.json"))


def test_cli_invite_update_cancel_list_and_show(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    out = tmp_path / "out" / "meeting.ics"
    out.parent.mkdir()
    result = cli(
        capsys,
        f"meeting invite --states BS,HT,PA,DO --start 2026-12-03T15:00Z --duration 90m "
        f"--title 'Regional coordination' --organizer unodc@example.org --organizer-name UNODC "
        f"--store {store} --out {out} --format json",
    )
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    meeting = answer["meeting"]
    assert meeting["sequence"] == 0 and meeting["status"] == "CONFIRMED"
    assert meeting["start"] == "2026-12-03T15:00:00Z" and meeting["end"] == "2026-12-03T16:30:00Z"
    assert meeting["timezone"] == "America/Nassau"
    assert [a["contact"] for a in meeting["attendees"]] == [
        "bs-focal",
        "ht-focal",
        "pa-focal",
        "do-focal",
    ]
    ours, _ = parse_both(out.read_bytes())
    uid = str(ours.walk("VEVENT")[0]["UID"])
    assert uid == meeting["uid"]
    meeting_id = meeting["id"]

    result = cli(
        capsys,
        f"meeting update {meeting_id} --start 2026-12-04T15:00Z --store {store} --out {out}",
    )
    assert result.exit_code == 0, result.stderr
    assert f"meeting {meeting_id} updated" in result.stdout and "SEQUENCE 1" in result.stdout
    ours, _ = parse_both(out.read_bytes())
    event = ours.walk("VEVENT")[0]
    assert (str(event["UID"]), event["SEQUENCE"], ours["METHOD"]) == (uid, 1, "REQUEST")

    result = cli(capsys, f"meeting cancel {meeting_id[:5]} --store {store} --out {out}")
    assert result.exit_code == 0, result.stderr
    ours, _ = parse_both(out.read_bytes())
    event = ours.walk("VEVENT")[0]
    assert (str(event["UID"]), event["SEQUENCE"], ours["METHOD"], event["STATUS"]) == (
        uid,
        2,
        "CANCEL",
        "CANCELLED",
    )

    result = cli(capsys, f"meeting list --store {store}")
    assert result.exit_code == 0
    assert f"{meeting_id}  2026-12-04 15:00-16:30 UTC  seq 2  cancelled" in result.stdout

    result = cli(capsys, f"meeting show {meeting_id} --store {store}")
    assert result.exit_code == 0
    assert "created (SEQUENCE 0)" in result.stdout and "cancelled (SEQUENCE 2)" in result.stdout
    assert "BS bs-focal" in result.stdout and "Fri 10:00-11:30 America/Nassau" in result.stdout

    result = cli(capsys, f"meeting show {meeting_id} --store {store} --ics")
    ours, _ = parse_both(result.stdout.replace("\r\n", "\n").replace("\n", "\r\n").encode())
    assert ours["METHOD"] == "CANCEL"

    result = cli(capsys, f"meeting update {meeting_id} --title Again --store {store}")
    assert result.exit_code == 2 and "is cancelled" in result.stderr


def test_cli_update_clears_the_location_and_the_description(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 90m --title T "
        f"--organizer o@example.org --location Room --description Notes --store {store} "
        "--format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    result = cli(
        capsys,
        f"meeting update {meeting_id} --location '' --description '' --store {store} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting = json.loads(result.stdout)["meeting"]
    assert (meeting["location"], meeting["description"], meeting["sequence"]) == (None, None, 1)


def test_cli_text_an_invite_cannot_hold_is_refused_naming_its_flag(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, out = tmp_path / "store", tmp_path / "m.ics"
    invite = [
        "meeting", "invite", "--states", "BS,PA", "--start", "2026-12-03T15:00Z",
        "--duration", "90m", "--organizer", "o@example.org", "--store", str(store),
    ]  # fmt: skip
    # A control character (a terminal's colour code), or bytes that were not UTF-8 (as
    # Python reads them from the command line).
    for flag, value in [
        ("--title", "T\x1b[31m"),
        ("--title", "Caf\udce9"),
        ("--organizer-name", "Desk\udcff"),
    ]:
        title = ["--title", "T"] if flag != "--title" else []
        result = run(capsys, *invite, *title, flag, value, "--out", str(out))
        assert result.exit_code == 2
        assert result.stderr.startswith(f"somnet: {flag}")
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert not out.exists() and not list(store.glob("*.json"))
    result = run(capsys, *invite, "--title", "T", "--format", "json")
    assert result.exit_code == 0, result.stderr
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    before = (store / f"{meeting_id}.json").read_bytes()
    for flag, value in [("--location", "Room\x0b1"), ("--description", "Notes\x07")]:
        result = run(capsys, "meeting", "update", meeting_id, flag, value, "--store", str(store))
        assert result.exit_code == 2
        assert result.stderr.startswith(f"somnet: {flag}")
        assert result.stderr.count("\n") == 1
    assert (store / f"{meeting_id}.json").read_bytes() == before


def test_cli_out_files_are_readable_by_all_and_leave_nothing_else(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import stat

    store, out = tmp_path / "store", tmp_path / "out"
    out.mkdir()
    result = cli(
        capsys,
        "meeting invite --states BS,HT,PA --start 2026-12-03T15:00Z --duration 90m --title T "
        f"--organizer o@example.org --store {store} --out {out / 'm.ics'} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    result = cli(
        capsys,
        f"meeting update {meeting_id} --states BS,PA --store {store} --out {out / 'm.ics'}",
    )
    assert result.exit_code == 0, result.stderr
    result = cli(capsys, f"meeting cancel {meeting_id} --store {store} --out {out / 'c.ics'}")
    assert result.exit_code == 0, result.stderr
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert modes == {"m.ics": 0o644, "m-uninvite.ics": 0o644, "c.ics": 0o644}


def test_cli_invite_takes_the_best_slot_of_a_window(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = cli(
        capsys,
        f"meeting invite --states BS,PA --from 2026-12-24 --to 2026-12-31 --pick 2 --duration 1h "
        f"--title T --organizer o@example.org --store {tmp_path} --timezone America/Panama "
        "--format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting = json.loads(result.stdout)["meeting"]
    # Core hours common to Nassau (10-16, UTC-5) and Panama (9-15, UTC-5): 15:00-20:00 UTC;
    # the best an hour inside them, the second a quarter of an hour after it.
    assert meeting["start"] == "2026-12-24T16:15:00Z"
    assert meeting["timezone"] == "America/Panama"


def test_cli_invite_at_a_time_outside_someones_hours_warns(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = cli(
        capsys,
        f"meeting invite --states BS,PA --start 2026-12-25T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {tmp_path}",
    )
    assert result.exit_code == 0
    assert (
        "warning: BS bs-focal: Fri 2026-12-25 10:00-11:00 America/Nassau is a public holiday "
        "(Christmas Day)" in result.stderr
    )
    assert "illustrative" in result.stderr


def test_cli_the_same_invite_run_again_warns_again_of_what_still_holds(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Run again, the invite recorded already said nothing of Christmas Day in Nassau nor of
    the illustrative contacts it is addressed to: both still hold, and are said again, in
    the text and in JSON."""
    invite = (
        "meeting invite --states BS,PA --start 2026-12-25T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {tmp_path / 'store'}"
    )
    first = cli(capsys, invite)
    assert first.exit_code == 0, first.stderr
    holiday = (
        "warning: BS bs-focal: Fri 2026-12-25 10:00-11:00 America/Nassau is a public holiday "
        "(Christmas Day)"
    )
    for run_again in (invite, f"{invite} --out {tmp_path / 'm.ics'}"):
        again = cli(capsys, run_again)
        assert again.exit_code == 0, again.stderr
        assert "nothing sent again" in again.stdout
        assert again.stderr == first.stderr
        assert holiday in again.stderr and "illustrative" in again.stderr
    answer = json.loads(cli(capsys, f"{invite} --format json").stdout)
    assert answer["again"] == "nothing-missing"
    assert any("Christmas Day" in w for w in answer["warnings"])
    assert answer["warnings"][-1] == somnet.INVITE_ILLUSTRATIVE_NOTE


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("--out {tmp}/file.txt/meeting.ics", "--out: cannot write {tmp}/file.txt/meeting.ics"),
        ("--out {tmp}", "is a directory"),
        (
            "--out {tmp}/missing/m.ics",
            "--out: the folder {tmp}/missing does not exist",
        ),
        ("--duration 0m", "--duration: '0m' must be more than 0m"),
        ("--start 2026-12-03T15:00", "--start: '2026-12-03T15:00' has no UTC offset"),
        ("--organizer 'Jane <jane@example.org>'", "is not an e-mail address"),
        ("--contact mx-registry-phone", "no e-mail channel for MX mx-registry-phone"),
        ("--send smtp://u:secret@127.0.0.1:25", "do not put a password in the address"),
        ("--send smtp://mail.example.org --smtp-user me", "SOMNET_SMTP_PASSWORD"),
        ("--publish ftp://example.org/cal/", "must look like"),
        # Port 0 was taken for no port (the scheme's: an invite sent to port 25, exit 1); one
        # past 65535 was refused in Python's English words.
        (
            "--send smtp://127.0.0.1:0",
            "--send: 'smtp://127.0.0.1:0' is not a valid address: "
            "port 0 is not one from 1 to 65535",
        ),
        # Their reasons were Python's English words: "Port could not be cast to integer value
        # as '1:1'", "Invalid IPv6 URL".
        (
            "--send smtp://127.0.0.1:1:1",
            "--send: 'smtp://127.0.0.1:1:1' is not a valid address: port '1:1' is not a number",
        ),
        (
            "--publish https://[::1/cal/",
            "--publish: 'https://[::1/cal/' is not a valid address: '[' and ']' go in pairs, "
            "around an IPv6 address (as in [2001:db8::1])",
        ),
        (
            "--publish https://[zz]/cal/",
            "--publish: 'https://[zz]/cal/' is not a valid address: 'zz' is not an IPv6 address",
        ),
        (
            "--send smtp://[fe80::1%25eth0]:25",
            "--send: 'smtp://[fe80::1%25eth0]:25' is not a valid address: 'fe80::1%25eth0' is "
            "an address with a zone ('eth0'), which holds on this machine's own link only: give "
            "the server's name or another of its addresses",
        ),
        (
            "--send smtp://127.0.0.1:65536",
            "--send: 'smtp://127.0.0.1:65536' is not a valid "
            "address: port 65536 is not one from 1 to 65535",
        ),
        (
            "--publish https://127.0.0.1:0/cal/",
            "--publish: 'https://127.0.0.1:0/cal/' is not a "
            "valid address: port 0 is not one from 1 to 65535",
        ),
        (
            "--publish https://[::1]:99999/cal/",
            "--publish: 'https://[::1]:99999/cal/' is not a "
            "valid address: port 99999 is not one from 1 to 65535",
        ),
        # A host no resolver takes (a part past 63 characters; one IDNA 2008 cannot write):
        # the meeting was recorded, then the delivery failed with Python's UnicodeError or
        # httpx's InvalidURL, a traceback. (A long address is cut where it is shown.)
        (
            f"--send smtp://{'a' * 64}.example.org:25",
            f"{'a' * 64}.example.org' is not a host name: a part between dots is empty, longer "
            "than 63 characters, or holds what no host name may",
        ),
        (
            f"--publish https://{'a' * 64}.example.org/cal/",
            f"{'a' * 64}.example.org' is not a host name: a part between dots is empty",
        ),
        (
            "--publish https://\u2603.example.org/cal/",
            "--publish: 'https://\u2603.example.org/cal/' is not a valid address: "
            "'\u2603.example.org' is not a host name: a part between dots is empty",
        ),
        # A punycode name IDNA cannot read: the meeting was recorded, then the delivery
        # failed, with a traceback in idna's English (CalDAV), or the name looked up in vain
        # (SMTP; CalDAV with a part before it, which httpx does not read), exit 1.
        (
            "--send smtp://xn--a.example:25",
            "--send: 'smtp://xn--a.example:25' is not a valid address: 'xn--a.example' is not "
            "a host name: IDNA cannot read it",
        ),
        (
            "--publish https://xn--a.example/cal/",
            "--publish: 'https://xn--a.example/cal/' is not a valid address: 'xn--a.example' "
            "is not a host name: IDNA cannot read it",
        ),
        (
            "--publish https://dav.XN--A.example/cal/",
            "--publish: 'https://dav.XN--A.example/cal/' is not a valid address: "
            "'dav.XN--A.example' is not a host name: IDNA cannot read it",
        ),
        ("--starttls", "need --send"),
        ("--force", "--force needs --publish"),
        ("--from 2026-12-01", "--start: give either a start, or first and last dates"),
        ("--timeout 0", "--timeout"),
        ("--timeout 0", "--timeout: '0': give more than 0 and at most 600 seconds"),
        ("--timeout 601", "--timeout: '601': give more than 0 and at most 600 seconds"),
        ("--timeout soon", "--timeout: 'soon' is not a number of seconds"),
        ("--pick 0", "--pick: '0': give at least 1"),
        ("--pick first", "--pick: 'first' is not a whole number"),
        # With a start there is no window to take a slot of: the 3rd best slot, or a grid of
        # 30 minutes, was silently dropped and the meeting put at the start given.
        ("--pick 3", "--pick: 3: the Nth best slot is taken of a window"),
        ("--step 30m", "--step: 30: the grid of start times is a window's"),
    ],
)
def test_cli_bad_invite_input_is_one_line_and_exit_2(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    message: str,
) -> None:
    (tmp_path / "file.txt").write_text("a file, not a folder")
    base = {
        "--states": "BS,PA",
        "--start": "2026-12-03T15:00Z",
        "--duration": "90m",
        "--title": "T",
        "--organizer": "o@example.org",
        "--store": str(tmp_path / "store"),
    }
    extra = command.format(tmp=tmp_path)
    flags = " ".join(f"{k} {v}" for k, v in base.items() if k not in shlex.split(extra))
    result = cli(capsys, f"meeting invite {flags} {extra}")
    assert result.exit_code == 2, result.stdout
    assert message.format(tmp=tmp_path) in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "store").exists()
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize(
    ("command", "flag"),
    [
        ("plan --duration 90m --duration 30m", "--duration"),
        ("plan --count 1 --count 3", "--count"),
        ("invite --organizer o@example.org --organizer p@example.org", "--organizer"),
        ("invite --title T --title U", "--title"),
        ("invite --out {tmp}/a.ics --out {tmp}/b.ics", "--out"),
        ("invite --send smtp://127.0.0.1:1 --send smtp://127.0.0.1:2", "--send"),
        ("invite --store {tmp}/store --store {tmp}/other", "--store"),
        ("list --store {tmp}/store --store {tmp}/other", "--store"),
        ("cancel abc --out {tmp}/a.ics --out {tmp}/b.ics", "--out"),
    ],
)
def test_cli_a_meeting_option_given_twice_with_two_values_is_refused(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    flag: str,
) -> None:
    """``meeting plan --duration 90m ... --duration 30m`` planned 30-minute slots, and
    ``invite --organizer A ... --organizer B`` sent from B: the last value quietly won, where
    ``contact`` and ``directory`` refuse two values. Which one is meant cannot be guessed."""
    base = {
        "--states": "BS,PA",
        "--duration": "90m",
        "--title": "T",
        "--organizer": "o@example.org",
        "--store": str(tmp_path / "store"),
    }
    name, *extra = shlex.split(command.format(tmp=tmp_path))
    if name == "plan":
        base = {"--states": "BS,PA", "--from": "2026-12-01", "--to": "2026-12-18"}
    elif name == "invite":
        base["--start"] = "2026-12-03T15:00Z"
    else:
        base = {} if name == "list" else {"--store": str(tmp_path / "store")}
    words = [word for key, value in base.items() if key not in extra for word in (key, value)]
    result = run(capsys, "meeting", name, *words, *extra)
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and flag in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not [*tmp_path.glob("*.ics"), *tmp_path.glob("store*"), *tmp_path.glob("other")]


@pytest.mark.parametrize("command", ["plan", "series", "invite"])
def test_cli_a_bad_data_folder_is_named_as_the_data_flag(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """``meeting plan --data FILE`` named the library's field, ``somnet: overlays: FILE: a
    file, not a folder of data files``, where every other command names ``--data``."""
    (tmp_path / "file.txt").write_text("a file, not a folder")
    words = {
        "plan": "--duration 90m --from 2026-12-01 --to 2026-12-18",
        "series": "--duration 90m --from 2027-01-04 --every month --count 2",
        "invite": f"--start 2026-12-03T15:00Z --duration 90m --title T --organizer o@example.org "
        f"--store {tmp_path / 'store'}",
    }[command]
    result = cli(capsys, f"meeting {command} --states BS,PA {words} --data {tmp_path / 'file.txt'}")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"somnet: --data: {tmp_path / 'file.txt'}: "), result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("command", ["list", "show abc", "cancel abc"])
def test_cli_a_store_path_longer_than_the_system_allows_is_refused_naming_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """``--store`` of thousands of characters (a runaway script variable) ended with the
    traceback of the system's "File name too long": it is exit 2 naming ``--store``."""
    result = cli(capsys, f"meeting {command} --store {tmp_path / ('A' * 5000)}")
    assert result.exit_code == 2, result.stderr
    assert "--store" in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("out", ["", " "])
@pytest.mark.parametrize("command", ["invite", "cancel"])
def test_cli_an_empty_out_is_refused_before_anything_is_recorded(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    out: str,
) -> None:
    """``--out "$FILE"`` with the variable unset: ``invite`` recorded the meeting and wrote no
    invite, saying nothing (``--out ""`` was taken as no --out), and ``--out " "`` wrote a
    file named " " in the working folder. An empty path is a mistake, as for --store."""
    store = tmp_path / "store"
    monkeypatch.chdir(tmp_path)
    if command == "cancel":
        made = cli(capsys, f"{INVITE} --store {store}")
        assert made.exit_code == 0, made.stderr
        (meeting,) = MeetingStore(store).all()
        before = sorted(p.name for p in tmp_path.rglob("*"))
        result = run(capsys, "meeting", "cancel", meeting.id, "--store", str(store), "--out", out)
        assert MeetingStore(store).get(meeting.id).status != "CANCELLED"
    else:
        before = sorted(p.name for p in tmp_path.rglob("*"))
        result = run(capsys, *shlex.split(INVITE), "--store", str(store), "--out", out)
        assert not store.exists()
    assert result.exit_code == 2, result.stderr
    assert "--out" in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("command", ["invite", "cancel", "series"])
def test_cli_an_out_of_a_dash_is_refused_not_written_as_a_file_named_dash(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    """``--out -`` (standard output, to many programs) wrote a file named '-' in the working
    folder, and the officer looked for the invite on the screen. Standard output tells what
    was done (the table or the JSON): the invite is not mixed into it, and '-' is refused
    before anything is recorded; ``./-`` still names such a file."""
    store = tmp_path / "store"
    monkeypatch.chdir(tmp_path)
    words = [*shlex.split(INVITE), "--store", str(store)]
    if command == "cancel":
        assert cli(capsys, f"{INVITE} --store {store}").exit_code == 0
        (meeting,) = MeetingStore(store).all()
        words = ["meeting", "cancel", meeting.id, "--store", str(store)]
    elif command == "series":
        words = [
            *("meeting", "series", "--states", "BS,PA", "--duration", "90m", "--from"),
            *("2027-01-04", "--every", "month", "--count", "2", "--title", "T"),
            *("--organizer", "o@example.org", "--invite", "--store", str(store)),
        ]
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = run(capsys, *words, "--out", "-")
    assert result.exit_code == 2 and result.stdout == "", result.stderr
    assert result.stderr.count("\n") == 1 and "argument --out: '-' would be" in result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    if command == "cancel":
        assert MeetingStore(store).get(meeting.id).status != "CANCELLED"
    if command == "invite":
        assert run(capsys, *words, "--out", "./-").exit_code == 0
        assert (tmp_path / "-").read_text().startswith("BEGIN:VCALENDAR")


def test_cli_a_calendar_that_asks_for_a_login_when_no_user_was_given_names_caldav_user(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    scripted: tuple[str, type[Any]],
) -> None:
    """A 401 asking for Basic, with no --caldav-user given, asked to check the user name and
    the password: the message names --caldav-user, the flag that was missing."""
    url, handler = scripted
    handler.answers["PUT"] = (401, {"WWW-Authenticate": 'Basic realm="cal"'})
    result = cli(capsys, f"{INVITE} --store {tmp_path / 'store'} --publish {url}")
    assert result.exit_code == 1, result.stderr
    assert error_line(result.stderr).startswith(
        "somnet: --caldav-user: CalDAV server answered 401 "
    )
    assert "it asks for a login, and no CalDAV user was given" in result.stderr
    assert error_line(result.stderr).count("\n") == 1


def test_cli_a_calendar_that_refuses_a_client_with_no_login_names_caldav_user(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    scripted: tuple[str, type[Any]],
) -> None:
    """A 403 with no --caldav-user given asked to check the user name and the password:
    the message says the server refuses a client with no login, naming --caldav-user."""
    url, handler = scripted
    handler.answers["PUT"] = (403, {})
    result = cli(capsys, f"{INVITE} --store {tmp_path / 'store'} --publish {url}")
    assert result.exit_code == 1, result.stderr
    assert error_line(result.stderr).startswith(
        "somnet: --caldav-user: CalDAV server answered 403 "
    )
    assert "it refuses that to a client that gave no login" in result.stderr
    assert "check the CalDAV user name" not in result.stderr
    assert error_line(result.stderr).count("\n") == 1


def test_cli_a_series_whose_calendar_asks_for_a_login_when_no_user_was_given_names_caldav_user(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    scripted: tuple[str, type[Any]],
) -> None:
    """As for one invite: a series stopped at its first occurrence by a 401 asking for Basic,
    with no --caldav-user given, names --caldav-user (the series' error dropped the field its
    cause had)."""
    url, handler = scripted
    handler.answers["PUT"] = (401, {"WWW-Authenticate": 'Basic realm="cal"'})
    result = cli(capsys, f"{SERIES} --store {tmp_path / 'store'} --publish {url}")
    assert result.exit_code == 1, result.stderr
    assert error_line(result.stderr).startswith(
        "somnet: --caldav-user: CalDAV server answered 401 "
    )
    assert "it asks for a login, and no CalDAV user was given" in result.stderr


@pytest.mark.parametrize("command", ["invite", "resend"])
def test_cli_an_empty_send_is_refused_not_taken_as_no_send(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """``--send "$SMTP"`` with the variable unset: ``invite`` recorded the meeting, sent it to
    no one and said nothing (exit 0), as if --send had not been given; the officer believes
    the invites went out. An empty address is refused naming --send, before anything is
    recorded."""
    store = tmp_path / "store"
    if command == "resend":
        made = cli(capsys, f"{INVITE} --store {store}")
        assert made.exit_code == 0, made.stderr
        (meeting,) = MeetingStore(store).all()
        before = sorted(p.name for p in store.iterdir())
        result = run(capsys, "meeting", "resend", meeting.id, "--store", str(store), "--send", "")
        assert sorted(p.name for p in store.iterdir()) == before
    else:
        result = run(capsys, *shlex.split(INVITE), "--store", str(store), "--send", "")
        assert not store.exists()
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("somnet: --send: "), result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("user", ["", " "])
@pytest.mark.parametrize(
    ("option", "flag"),
    [
        ("--send smtp://127.0.0.1:{port} --smtp-user", "--smtp-user"),
        ("--caldav-user", "--caldav-user"),
    ],
)
def test_cli_an_empty_login_is_refused_not_taken_as_no_login(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    smtp: tuple[Inbox, int],
    option: str,
    flag: str,
    user: str,
) -> None:
    """``--smtp-user "$USER"`` with the variable unset sent the invite without logging in, as
    if --smtp-user had not been given (and ``--caldav-user ""`` took SOMNET_CALDAV_USER
    instead), where every other empty value is refused: no server has a user with no name.
    It is refused naming the flag, before anything is recorded or sent."""
    inbox, port = smtp
    monkeypatch.setenv("SOMNET_SMTP_PASSWORD", "secret")
    monkeypatch.setenv("SOMNET_CALDAV_USER", "someone")
    store = tmp_path / "store"
    words = [*shlex.split(INVITE), "--store", str(store), *option.format(port=port).split(), user]
    if flag == "--caldav-user":
        words += ["--publish", f"http://127.0.0.1:{port}/calendar/"]
    result = run(capsys, *words)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"somnet: {flag}: "), result.stderr
    assert result.stderr.count("\n") == 1
    assert not store.exists()
    assert inbox.envelopes == []


def test_cli_an_empty_smtp_user_without_send_is_refused(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--smtp-user ""`` without --send was ignored where ``--smtp-user me`` is refused."""
    store = tmp_path / "store"
    result = run(capsys, *shlex.split(INVITE), "--store", str(store), "--smtp-user", "")
    assert result.exit_code == 2, result.stderr
    assert "--smtp-user" in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert not store.exists()


@pytest.mark.parametrize(
    ("words", "flag"),
    [
        (["--caldav-user", "me"], "--caldav-user"),
        (["--caldav-password-env", "MY_PASSWORD"], "--caldav-password-env"),
        (["--smtp-password-env", "MY_PASSWORD"], "--smtp-password-env"),
    ],
)
def test_cli_a_login_option_without_its_server_is_refused(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    words: list[str],
    flag: str,
) -> None:
    """``--caldav-user me`` without --publish was ignored without a word (the organiser
    believes the calendar is written as them), where ``--smtp-user me`` without --send is
    refused; so were the password variables of a server not used."""
    store = tmp_path / "store"
    result = run(capsys, *shlex.split(INVITE), "--store", str(store), *words)
    assert result.exit_code == 2, result.stderr
    assert flag in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert not store.exists()


@pytest.mark.parametrize("variable", ["", " "])
@pytest.mark.parametrize(
    ("option", "flag"),
    [
        (
            "--send smtp://127.0.0.1:{port} --smtp-user me --smtp-password-env",
            "--smtp-password-env",
        ),
        (
            "--publish http://127.0.0.1:{port}/calendar/ --caldav-password-env",
            "--caldav-password-env",
        ),
    ],
)
def test_cli_an_empty_password_variable_is_refused_naming_the_flag(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    smtp: tuple[Inbox, int],
    option: str,
    flag: str,
    variable: str,
) -> None:
    """``--caldav-password-env "$VAR"`` with VAR unset logged in with no password without a
    word, and ``--smtp-password-env ""`` said that a variable with no name is not set."""
    _inbox, port = smtp
    store = tmp_path / "store"
    words = [*shlex.split(INVITE), "--store", str(store), *option.format(port=port).split()]
    result = run(capsys, *words, variable)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"somnet: {flag}: "), result.stderr
    assert result.stderr.count("\n") == 1
    assert not store.exists()


def test_cli_an_empty_timezone_is_refused_as_a_blank_one_is(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--timezone "$ZONE"`` with the variable unset wrote the invite in the first
    participant's zone without a word, where ``--timezone " "`` is refused: both name no zone."""
    store = tmp_path / "store"
    for zone in ["", " "]:
        result = run(capsys, *shlex.split(INVITE), "--store", str(store), "--timezone", zone)
        assert result.exit_code == 2, result.stderr
        assert "--timezone" in result.stderr and result.stderr.count("\n") == 1, result.stderr
        assert not store.exists()


@pytest.mark.parametrize(
    "zone",
    ["localtime", "Factory", "posixrules", "right/America/Nassau", "EST", "Etc/GMT-5", "Cuba"],
)
def test_cli_a_timezone_that_is_no_place_is_refused_as_the_directory_refuses_it(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str], zone: str
) -> None:
    """``--timezone localtime`` wrote the invite in the machine's own zone (UTC on a server,
    Panama's on an officer's laptop), under a TZID no other machine reads alike; ``Factory``
    and ``posixrules`` are files of the system's zone folder, no zone; ``EST`` keeps UTC-5 in
    summer and ``Etc/GMT-5`` is UTC+5 (the sign is POSIX's): an invite for 11:00 in Nassau
    in July read 10:00 or 20:00. The directory refuses such zones for an office; an invite's
    is refused too, naming the flag, before anything is recorded. UTC is a zone, and kept."""
    store = tmp_path / "store"
    result = run(capsys, *shlex.split(INVITE), "--store", str(store), "--timezone", zone)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("somnet: --timezone: "), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert not store.exists()
    made = run(capsys, *shlex.split(INVITE), "--store", str(store), "--timezone", "UTC")
    assert made.exit_code == 0, made.stderr
    (meeting,) = MeetingStore(store).all()
    moved = run(capsys, "meeting", "update", meeting.id, "--store", str(store), "--timezone", zone)
    assert moved.exit_code == 2, moved.stderr
    assert moved.stderr.startswith("somnet: --timezone: "), moved.stderr
    assert MeetingStore(store).get(meeting.id) == meeting


@pytest.mark.parametrize("flag", ["--start", "--duration"])
def test_cli_update_refuses_an_empty_start_or_duration_with_another_change(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str
) -> None:
    """``meeting update ID --start "$WHEN" --title New`` with WHEN unset changed the title and
    kept the old time without a word (the empty start was read as "not given"): the meeting
    the officer meant to move was sent, unmoved, to everyone. It is refused naming the flag,
    and the record is left as it was."""
    store = tmp_path / "store"
    made = cli(capsys, f"{INVITE} --store {store}")
    assert made.exit_code == 0, made.stderr
    (meeting,) = MeetingStore(store).all()
    result = run(
        capsys, "meeting", "update", meeting.id, "--store", str(store), flag, "", "--title", "New"
    )
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"somnet: {flag}: "), result.stderr
    assert result.stderr.count("\n") == 1
    assert MeetingStore(store).get(meeting.id) == meeting


@pytest.mark.parametrize(
    ("command", "flag"),
    [
        (
            "meeting invite --states BS,PA --duration 90m --title T --organizer o@example.org "
            "--from 2026-12-01 --to 2026-12-18 --start ''",
            "--start",
        ),
        (
            "meeting series --states BS,PA --duration 1h --from 2027-01-04 --every month --count 2 "
            "--within ''",
            "--within",
        ),
        ("meeting list --series ''", "--series"),
    ],
)
def test_cli_an_empty_value_is_refused_not_taken_as_not_given(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, flag: str
) -> None:
    """A script's unset variable: ``invite --start ""`` with --from/--to invited at the best
    slot of the plan instead (the start given was meant), ``series --within ""`` searched
    whole periods, ``list --series ""`` listed every meeting as if they were the series'.
    Each is refused naming its flag, and nothing is recorded."""
    store = tmp_path / "store"
    result = cli(capsys, f"{command} --store {store}")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"somnet: {flag}: "), result.stderr
    assert result.stderr.count("\n") == 1
    assert not list(store.glob("*.json"))


@pytest.mark.parametrize(
    "command",
    [
        "invite --states BS,PA --start 2030-01-08T15:00Z --duration 90m --title T "
        "--organizer o@example.org",
        "invite --states XX --start 2030-01-08T15:00Z --duration 90m --title T "
        "--organizer o@example.org",
        "update 65b3dbd3 --title New --states BS,PA",
        "update 65b3dbd3 --title New --states XX",
        "update 65b3dbd3 --title New --contact no-such-contact",
        "cancel 65b3dbd3",
        "resend 65b3dbd3",
    ],
    ids=[
        "invite",
        "invite-unknown-state",
        "update",
        "update-unknown-state",
        "update-unknown-contact",
        "cancel",
        "resend",
    ],
)
def test_cli_a_default_store_that_cannot_be_is_refused_alone_before_the_participants(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    """With XDG_DATA_HOME a file, the store never given cannot be: invite refuses it alone,
    before the directory is read. update read the directory first: it warned that the cache
    key could not be kept there, then refused the store; given a state or contact that is not
    one, it named that instead, and the next run the store. Every command that records
    refuses the store first, alone, and writes nothing."""
    taken = tmp_path / "notes.txt"
    taken.write_text("mine\n")
    monkeypatch.delenv("SOMNET_DATA_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(taken))
    out = tmp_path / "meeting.ics"
    result = cli(capsys, f"meeting {command} --out {out}")
    assert result.exit_code == 2, result.stderr
    assert result.stderr == f"somnet: XDG_DATA_HOME: {taken}: a file, not a folder\n"
    assert result.stdout == ""
    assert taken.read_text() == "mine\n"
    assert not out.exists()


@pytest.mark.parametrize(
    "command",
    [
        "invite --states BS,PA --start 2030-01-08T15:00Z --duration 90m --title T "
        "--organizer o@example.org",
        "update {id} --title New",
        "cancel {id}",
        "resend {id}",
    ],
    ids=["invite", "update", "cancel", "resend"],
)
def test_cli_a_store_that_is_a_file_is_named_before_an_out_that_cannot_be_written(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Both the store and --out bad: every command that records names the store (checked as
    the run takes the store's lock, before anything is read, written or sent), and leaves
    the file as it was; the next run names --out."""
    recorded = cli(capsys, f"{INVITE} --store {tmp_path / 'store'} --format json")
    assert recorded.exit_code == 0, recorded.stderr
    command = command.format(id=json.loads(recorded.stdout)["meeting"]["id"])
    taken = tmp_path / "notes.txt"
    taken.write_text("mine\n")
    out = tmp_path / "no-such-folder" / "meeting.ics"
    result = cli(capsys, f"meeting {command} --store {taken} --out {out}")
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        f"somnet: --store: {taken} is not a meeting store: it is a file, not a folder\n"
    )
    assert taken.read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "region", "store"]
    result = cli(capsys, f"meeting {command} --store {tmp_path / 'store'} --out {out}")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("somnet: --out: "), result.stderr


def test_cli_a_meeting_option_given_twice_with_the_same_value_is_taken_once(
    region: Directory, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = "meeting plan --states BS,PA --from 2026-12-01 --to 2026-12-18 --format json"
    once = cli(capsys, f"{plan} --duration 90m")
    twice = cli(capsys, f"{plan} --duration 90m --duration 90m")
    assert twice.exit_code == 0, twice.stderr
    assert json.loads(twice.stdout) == json.loads(once.stdout)


INVITE = (
    "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 90m --title T "
    "--organizer o@example.org"
)


def _make_special(kind: str, path: Path) -> Path:
    """Make at ``path`` something --out must not replace; returns what a link points to."""
    import stat

    target = path.parent / "elsewhere"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        try:  # a copy of /dev/null, made in tmp_path (as root only)
            os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device needs root")
    elif kind == "link-to-device":
        target = Path("/dev/null")
        path.symlink_to(target)
    elif kind == "link-to-fifo":
        os.mkfifo(target)
        path.symlink_to(target)
    elif kind == "dangling-link":
        path.symlink_to(target)
    elif kind == "link-to-folder":
        target.mkdir()
        path.symlink_to(target)
    return target


def _kind(path: Path) -> tuple[int, str | None]:
    import stat

    info = os.lstat(path)
    return stat.S_IFMT(info.st_mode), os.readlink(path) if stat.S_ISLNK(info.st_mode) else None


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("fifo", "is a named pipe (FIFO), not a regular file"),
        ("device", "is a character device, not a regular file"),
        ("link-to-device", "links to /dev/null, a character device, not a regular file"),
        ("link-to-fifo", "a named pipe (FIFO), not a regular file"),
        ("dangling-link", "links to {tmp}/elsewhere, which does not exist"),
        ("link-to-folder", "is a directory"),
    ],
)
def test_cli_out_refuses_what_is_not_a_regular_file_and_leaves_it_alone(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    message: str,
) -> None:
    out = tmp_path / "meeting.ics"
    _make_special(kind, out)
    before = _kind(out)
    result = cli(capsys, f"{INVITE} --store {tmp_path / 'store'} --out {out}")
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith(f"somnet: --out: {out} ")
    assert message.format(tmp=tmp_path) in result.stderr
    assert result.stderr.count("\n") == 1
    assert _kind(out) == before
    assert not (tmp_path / "store").exists()


def test_cli_out_writes_through_a_link_to_a_regular_file(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import stat

    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "invite.ics"
    target.write_bytes(b"the last invite\r\n")
    out = tmp_path / "meeting.ics"
    out.symlink_to(Path("shared") / "invite.ics")  # relative, as people make them
    result = cli(capsys, f"{INVITE} --store {tmp_path / 'store'} --out {out} --format json")
    assert result.exit_code == 0, result.stderr
    assert os.readlink(out) == str(Path("shared") / "invite.ics")
    ours, _ = parse_both(target.read_bytes())
    assert str(ours.walk("VEVENT")[0]["UID"]) == json.loads(result.stdout)["meeting"]["uid"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    # Replaced whole, in its own folder: nothing else is left there or beside the link.
    assert sorted(p.name for p in shared.iterdir()) == ["invite.ics"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "meeting.ics",
        "region",
        "shared",
        "store",
    ]


def test_cli_series_out_refuses_a_folder_whose_parent_is_missing(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "missing" / "invites"
    result = cli(
        capsys,
        "meeting series --states BS,PA --duration 1h --from 2027-01-04 --every month --count 2 "
        f"--invite --title T --organizer o@example.org --store {tmp_path / 'store'} --out {out}",
    )
    assert result.exit_code == 2, result.stdout
    assert f"--out: the folder {out.parent} does not exist" in result.stderr
    assert not (tmp_path / "missing").exists() and not (tmp_path / "store").exists()


@pytest.mark.parametrize("series", [False, True], ids=["invite", "series"])
def test_cli_out_whose_name_is_not_utf8_is_refused_before_anything_is_written(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    series: bool,
) -> None:
    # A name of bytes that are not UTF-8 (made in a Latin-1 shell): the record of the meeting,
    # UTF-8 JSON, could not say where the invite went.
    out = tmp_path / os.fsdecode(b"r\xe9union.ics")
    command = (
        "meeting series --states BS,PA --duration 1h --from 2027-01-04 --every month "
        "--count 2 --invite --title T --organizer o@example.org"
        if series
        else INVITE
    )
    # Python's own standard error writes such a name with backslashes; capsys's would fail.
    sys.stderr.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    store = str(tmp_path / "store")
    result = run(capsys, *shlex.split(command), "--store", store, "--out", str(out))
    assert result.exit_code == 2, result.stderr
    shown = str(out).encode("utf-8", "backslashreplace").decode("utf-8")
    assert result.stderr.startswith(f"somnet: --out: {shown}: the name is not UTF-8")
    assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["region"]


@pytest.mark.parametrize(
    ("flags", "environ", "message"),
    [
        (
            ["--send", "smtp://r\udce9gion.example.org:25"],
            {},
            "--send: 'smtp://r\\udce9gion.example.org:25' is not a valid address: it holds a "
            "byte that is not UTF-8 text",
        ),
        (
            ["--publish", "https://127.0.0.1:9/r\udce9gion/"],
            {},
            "--publish: 'https://127.0.0.1:9/r\\udce9gion/' is not a valid address: it holds "
            "a byte that is not UTF-8 text",
        ),
        (
            ["--send", "smtp://127.0.0.1:9", "--smtp-user", "r\udce9gion"],
            {"SOMNET_SMTP_PASSWORD": "x"},
            "--smtp-user: 'r\\udce9gion': it holds a byte that is not UTF-8 text",
        ),
        (
            ["--publish", "https://127.0.0.1:9/cal/", "--caldav-user", "r\udce9gion"],
            {"SOMNET_CALDAV_PASSWORD": "x"},
            "--caldav-user: 'r\\udce9gion': it holds a byte that is not UTF-8 text",
        ),
        (
            ["--send", "smtp://127.0.0.1:9", "--smtp-user", "u"],
            {"SOMNET_SMTP_PASSWORD": "r\udce9gion"},
            "SOMNET_SMTP_PASSWORD: the password holds a byte that is not UTF-8 text, which no "
            "login can carry",
        ),
        (
            ["--publish", "https://127.0.0.1:9/cal/", "--caldav-user", "u"],
            {"SOMNET_CALDAV_PASSWORD": "r\udce9gion"},
            "SOMNET_CALDAV_PASSWORD: the password holds a byte that is not UTF-8 text, which "
            "no login can carry",
        ),
        (
            ["--publish", "https://127.0.0.1:9/cal/"],
            {"SOMNET_CALDAV_PASSWORD": "x", "SOMNET_CALDAV_USER": "r\udce9gion"},
            "SOMNET_CALDAV_USER: 'r\\udce9gion': it holds a byte that is not UTF-8 text",
        ),
        # The same bytes as --smtp-user's and --caldav-user's, written in the address as
        # RFC 3986 writes them: they were sent as the letters "r%E9gion".
        (
            ["--send", "smtp://r%E9gion@127.0.0.1:9"],
            {"SOMNET_SMTP_PASSWORD": "x"},
            "--send: 'smtp://r%E9gion@127.0.0.1:9' is not a valid address: its user name holds "
            "a byte that is not UTF-8 text",
        ),
        (
            ["--publish", "https://r%E9gion@127.0.0.1:9/cal/"],
            {"SOMNET_CALDAV_PASSWORD": "x"},
            "--publish: 'https://r%E9gion@127.0.0.1:9/cal/' is not a valid address: its user "
            "name holds a byte that is not UTF-8 text",
        ),
    ],
    ids=[
        "smtp-host",
        "caldav-path",
        "smtp-user",
        "caldav-user",
        "smtp-password",
        "caldav-password",
        "caldav-user-variable",
        "smtp-user-in-address",
        "caldav-user-in-address",
    ],
)
def test_cli_a_server_address_or_login_that_is_not_utf8_is_refused_before_anything_is_recorded(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
    environ: dict[str, str],
    message: str,
) -> None:
    """Bytes that are not UTF-8 in a server's address, a user name or a password (typed in
    a Latin-1 shell): the meeting was recorded, then saving what it was to reach failed with a
    traceback (the record is UTF-8 JSON), or httpx failed with one building the login."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    # Python's own standard error writes such a value with backslashes; capsys's would fail.
    sys.stderr.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    store = tmp_path / "store"
    result = run(capsys, *shlex.split(INVITE), "--store", str(store), *flags)
    assert result.exit_code == 2, result.stderr
    assert result.stderr == f"somnet: {message}\n"
    assert not store.exists()


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        (
            "HTTPS_PROXY",
            "http://officer:s3cret@xn--a.example:3128",
            " ('xn--a.example' is not a host name: IDNA cannot read it)",
        ),
        (
            "https_proxy",
            "http://officer:s3cret@proxy..example:3128",
            " ('proxy..example' is not a host name: a part between dots is empty, longer than "
            "63 characters, or holds what no host name may)",
        ),
        ("ALL_PROXY", "ftp://officer:s3cret@127.0.0.1:21", ""),
    ],
    ids=["punycode", "empty-part", "ftp"],
)
def test_cli_a_proxy_the_calendar_cannot_be_reached_through_is_refused_before_anything_is_recorded(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    problem: str,
) -> None:
    """The CalDAV client takes up the proxy of the environment, as a sync does, but it was not
    checked: the meeting was recorded, then publishing it failed with a traceback (idna's or
    the codec's English, "Unknown scheme for proxy URL"), or the proxy's name looked up in
    vain. Refused as a sync refuses it: the variable named, the password never shown, exit 2,
    nothing recorded."""
    monkeypatch.setenv(variable, value)
    monkeypatch.setenv("SOMNET_CALDAV_PASSWORD", "x")
    store = tmp_path / "store"
    flags = ["--publish", "https://dav.example.org/cal/", "--caldav-user", "u"]
    result = run(capsys, *shlex.split(INVITE), "--store", str(store), *flags)
    assert result.exit_code == 2, result.stderr
    bare = value.replace("officer:s3cret@", "")
    assert result.stderr == (
        f"somnet: {variable}: {bare!r}: not a proxy somnet can use{problem}; give an http "
        "proxy's URL, e.g. http://proxy.example.org:3128 (with credentials "
        "http://user:password@proxy.example.org:3128)\n"
    )
    assert not store.exists()


@pytest.mark.parametrize("subcommand", ["update", "cancel", "show"])
def test_cli_unknown_meeting_id_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], subcommand: str
) -> None:
    extra = " --title X" if subcommand == "update" else ""
    result = cli(capsys, f"meeting {subcommand} deadbeef --store {tmp_path}{extra}")
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"somnet: no meeting with id 'deadbeef' in {tmp_path} (see: somnet meeting list)\n"
    )


def test_cli_list_with_no_meetings_and_the_default_store(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path
) -> None:
    result = cli(capsys, "meeting list")
    assert result.exit_code == 0
    assert (
        result.stdout
        == f"no meetings recorded in {isolated_environment / 'data-home' / 'meetings'}\n"
    )
    assert json.loads(cli(capsys, "meeting list --format json").stdout) == []


def test_cli_update_that_moves_or_adds_someone_outside_their_hours_warns(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {tmp_path} --format json",
    )
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    result = cli(
        capsys, f"meeting update {meeting_id} --start 2026-12-25T15:00Z --store {tmp_path}"
    )
    assert result.exit_code == 0, result.stderr
    assert (
        "warning: BS bs-focal: Fri 2026-12-25 10:00-11:00 America/Nassau is a public holiday "
        "(Christmas Day)" in result.stderr
    )
    # Mexico City is an hour behind Panama: 15:00 UTC is 09:00 there, before core but inside
    # working hours (09-17); 14:00 UTC would be 08:00, outside them.
    result = cli(
        capsys, f"meeting update {meeting_id} --start 2026-12-29T14:00Z --store {tmp_path}"
    )
    assert [line for line in result.stderr.splitlines() if "made-up" not in line] == []
    result = cli(capsys, f"meeting update {meeting_id} --states BS,PA,MX --store {tmp_path}")
    assert result.exit_code == 0, result.stderr
    assert "warning: MX mx-focal: Tue 2026-12-29 08:00-09:00 America/Mexico_City is outside" in (
        result.stderr
    )
    assert "BS bs-focal" not in result.stderr  # only those added are checked when time stays


@pytest.mark.parametrize(
    "moved",
    ["2026-12-25T15:00Z", "2026-12-29T21:30Z", "2026-12-03T18:00Z"],
    ids=["christmas", "after-hours", "suits-everyone"],
)
def test_cli_update_to_a_new_time_alone_warns_as_an_invite_at_that_time_would(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    moved: str,
) -> None:
    """No participants given: the attendees recorded are looked up in the directory, and the
    new time is checked against their hours and holidays, as an invite there is."""
    result = cli(
        capsys,
        "meeting invite --states BS,PA,MX --start 2026-12-03T16:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {tmp_path / 'store'} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    invited = f"meeting invite --states BS,PA,MX --start {moved} --duration 1h --title U "
    invited += f"--organizer o@example.org --store {tmp_path / 'other'}"
    update = f"meeting update {meeting_id} --start {moved} --store {tmp_path / 'store'}"
    as_invited = cli(capsys, invited)
    assert as_invited.exit_code == 0, as_invited.stderr
    result = cli(capsys, update)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == as_invited.stderr
    if moved != "2026-12-03T18:00Z":
        assert "public holiday (Christmas Day)" in result.stderr or (
            "outside their working hours" in result.stderr
        )
    back = f"meeting update {meeting_id} --start 2026-12-03T16:00Z --store {tmp_path / 'store'}"
    assert cli(capsys, back).exit_code == 0
    as_invited = json.loads(cli(capsys, f"{invited} --format json").stdout)
    result = cli(capsys, f"{update} --format json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["warnings"] == as_invited["warnings"]


def test_cli_the_same_update_run_again_with_nothing_missing_warns_again_of_what_holds(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A meeting moved onto Christmas Day, delivered: the same update run again changes
    nothing (exit 2, as before), and says again, as an invite or a series run again does, what
    still holds of it: the holiday in Nassau and Panama, and the note on illustrative
    contacts."""
    store = tmp_path / "store"
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T16:00Z --duration 1h --title T "
        f"--organizer unodc@example.org --store {store} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    update = f"meeting update {meeting_id} --start 2026-12-25T15:00Z --store {store}"
    first = cli(capsys, update)
    assert first.exit_code == 0, first.stderr
    assert "public holiday (Christmas Day)" in first.stderr
    again = cli(capsys, update)
    assert again.exit_code == 2, again.stderr
    assert "Traceback" not in again.stderr
    told = [line for line in again.stderr.splitlines() if "public holiday (Christmas Day)" in line]
    assert len(told) == 2, again.stderr  # BS and PA, once each
    assert "illustrative" in again.stderr
    assert again.stderr.splitlines()[-1].startswith("somnet: "), again.stderr


@pytest.mark.parametrize("json_output", [False, True], ids=["text", "json"])
def test_cli_the_same_update_run_again_after_a_refused_recipient_warns_again_of_what_holds(
    region: Directory,
    refusing: tuple[Refusing, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    json_output: bool,
) -> None:
    """A meeting moved onto Christmas Day, whose update one recipient refused: the failure is
    one line; the same update run again, which completes it, says (as an invite run again
    does) that the meeting is on a public holiday in Nassau and Panama."""
    inbox, port = refusing
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port}"
    fmt = " --format json" if json_output else ""
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T16:00Z --duration 1h --title T "
        f"--organizer unodc@example.org {send} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    inbox.envelopes.clear()
    inbox.refuse = {"pa-focal@example.org"}
    update = f"meeting update {meeting_id} --start 2026-12-25T15:00Z {send}{fmt}"
    first = cli(capsys, update)
    assert first.exit_code == 1, first.stderr
    inbox.refuse = set()
    again = cli(capsys, update)
    assert again.exit_code == 0, again.stderr
    holidays = [
        "BS bs-focal: Fri 2026-12-25 10:00-11:00 America/Nassau is a public holiday "
        "(Christmas Day)",
        "PA pa-focal: Fri 2026-12-25 10:00-11:00 America/Panama is a public holiday "
        "(Christmas Day)",
    ]
    if json_output:
        warned = json.loads(first.stdout)["warnings"]
        assert warned[:2] == holidays
        assert json.loads(again.stdout)["warnings"] == warned
    else:
        assert again.stderr == "".join(
            f"warning: {w}\n" for w in [*holidays, somnet.INVITE_ILLUSTRATIVE_NOTE]
        )
    uid = MeetingStore(store).all()[0].uid
    assert inbox.received() == {
        "bs-focal@example.org": [(uid, 1, "REQUEST")],
        "pa-focal@example.org": [(uid, 1, "REQUEST")],
    }
    # Nothing left to deliver: nothing changes, nothing is sent.
    assert cli(capsys, update).exit_code == 2


@pytest.mark.parametrize("json_output", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("failure", ["refused", "smtp-down", "conflict"])
def test_cli_a_delivery_that_fails_halfway_warns_as_the_run_that_completes_it_would(
    region: Directory,
    refusing: tuple[Refusing, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    failure: str,
    json_output: bool,
) -> None:
    """A meeting on Christmas Day whose delivery fails halfway (one recipient refused, the SMTP
    server down after the calendar took it, the calendar's copy changed there): the text
    output says, before its error line and once each, what the run that completes it says (a
    public holiday in Nassau and Panama, illustrative contacts), as its JSON does."""
    inbox, port = refusing
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port}"
    publish = f"--publish {calendar} --caldav-user {USER}"
    fmt = " --format json" if json_output else ""
    invite = (
        "meeting invite --states BS,PA --duration 1h --title T --organizer unodc@example.org "
        f"--start 2026-12-{'03T16' if failure == 'conflict' else '25T15'}:00Z"
    )
    if failure == "refused":
        inbox.refuse = {"pa-focal@example.org"}
        result = cli(capsys, f"{invite} {send}{fmt}")
    elif failure == "smtp-down":
        down = f"--store {store} --send smtp://127.0.0.1:{free_port()}"
        result = cli(capsys, f"{invite} {down} {publish}{fmt}")
        assert len(_events(calendar)) == 1  # the calendar took it before the SMTP server failed
    else:
        created = cli(capsys, f"{invite} {send} {publish} --format json")
        assert created.exit_code == 0, created.stderr
        meeting = json.loads(created.stdout)["meeting"]
        url = meeting["publication"]["url"]
        edited = _get(url).content.replace(b"TRANSP:OPAQUE", b"TRANSP:TRANSPARENT")
        assert httpx.put(url, content=edited, auth=(USER, ""), timeout=5).is_success
        update = f"meeting update {meeting['id']} --start 2026-12-25T15:00Z"
        result = cli(capsys, f"{update} {send} {publish}{fmt}")
    assert result.exit_code == 1, result.stderr
    warnings = [
        "BS bs-focal: Fri 2026-12-25 10:00-11:00 America/Nassau is a public holiday "
        "(Christmas Day)",
        "PA pa-focal: Fri 2026-12-25 10:00-11:00 America/Panama is a public holiday "
        "(Christmas Day)",
        somnet.INVITE_ILLUSTRATIVE_NOTE,
    ]
    error = result.stderr.splitlines()[-1]
    assert error.startswith("somnet: ") and "Traceback" not in result.stderr
    if json_output:
        assert json.loads(result.stdout)["warnings"] == warnings
        assert result.stderr == f"{error}\n"
    else:
        assert result.stdout == ""
        assert result.stderr == "".join(f"warning: {w}\n" for w in warnings) + f"{error}\n"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("meeting cancel --store {tmp}", "give a meeting id or --series ID"),
        ("meeting cancel abc --series def --store {tmp}", "give a meeting id or --series ID"),
        ("meeting cancel --series deadbeef --store {tmp}", "no series with id 'deadbeef'"),
        ("meeting list --series deadbeef --store {tmp}", "no series with id 'deadbeef'"),
        (
            "meeting series --states BS,PA --duration 1h --from 2027-01-04 --every week "
            "--count 2 --title T",
            "--title: add --invite",
        ),
        (
            "meeting series --states BS,PA --duration 1h --from 2027-01-04 --every week "
            "--count 2 --invite --title T --store {tmp}",
            "--invite: add --organizer",
        ),
        (
            "meeting series --states BS,PA --duration 1h --from 2027-01-04 --every week "
            "--count 2 --invite --title T --organizer nobody --store {tmp}",
            "--organizer: 'nobody' is not an e-mail address",
        ),
        ("meeting update {id} --contact nobody-here --store {tmp}", "nobody-here"),
        ("meeting update {id} --role sar --store {tmp}", "--role: give the states"),
    ],
)
def test_cli_bad_series_cancel_and_attendee_input_is_one_line_and_exit_2(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    message: str,
) -> None:
    store = tmp_path / "store"
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {store} --format json",
    )
    meeting_id = json.loads(result.stdout)["meeting"]["id"]

    def records() -> list[bytes]:
        # The meeting records; the lock file says which run held the store last, and when.
        return sorted(p.read_bytes() for p in store.iterdir() if p.name != ".lock")

    before = records()
    result = cli(capsys, command.format(tmp=store, id=meeting_id))
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert records() == before and (store / ".lock").exists()


def test_cli_contacts_sharing_a_mailbox_are_one_attendee(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Haiti's focal point uses the Bahamas desk's mailbox (a shared regional inbox).
    folder = write_region(tmp_path / "region")
    text = (folder / "states" / "HT.toml").read_text()
    (folder / "states" / "HT.toml").write_text(
        text.replace('value = "ht-focal@example.org"', 'value = "BS-focal@example.org"')
    )
    assert "HT" in STATES
    monkeypatch.setattr("somnet.directory.loading.shipped_data_dir", lambda: folder)
    out = tmp_path / "m.ics"
    result = cli(
        capsys,
        f"meeting invite --states BS,HT,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {tmp_path / 'store'} --out {out} --format json",
    )
    assert result.exit_code == 0, result.stderr
    ours, _ = parse_both(out.read_bytes())
    attendees = [str(a) for a in ours.walk("VEVENT")[0]["ATTENDEE"]]
    assert attendees == ["mailto:bs-focal@example.org", "mailto:pa-focal@example.org"]
    meeting = json.loads(result.stdout)["meeting"]
    assert [a["email"] for a in meeting["attendees"]] == [
        "bs-focal@example.org",
        "pa-focal@example.org",
    ]
    assert "BS bs-focal and HT ht-focal share the mailbox bs-focal@example.org" in result.stdout


def _invite_into(store: Path, capsys: pytest.CaptureFixture[str], title: str) -> str:
    result = cli(
        capsys,
        f"meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title {title} "
        f"--organizer o@example.org --store {store} --format json",
    )
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["meeting"]["id"])


def test_cli_list_shows_the_readable_meetings_and_names_the_broken_record(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    first = _invite_into(store, capsys, "First")
    second = _invite_into(store, capsys, "Second")
    (store / f"{second}.json").write_text('{"record_version": 3, "title": "half a rec')
    result = cli(capsys, f"meeting list --store {store}")
    assert result.exit_code == 2  # cut short by hand: the user's to repair
    assert result.stdout.startswith(f"{first}  2026-12-03 15:00-16:00 UTC  seq 0  confirmed")
    assert result.stdout.count("\n") == 1
    assert result.stderr.startswith(f"somnet: {store / second}.json: not a meeting record")
    assert result.stderr.count("\n") == 1
    answer = cli(capsys, f"meeting list --store {store} --format json")
    assert [m["id"] for m in json.loads(answer.stdout)] == [first] and answer.exit_code == 2
    # The others can still be shown, changed and cancelled.
    assert cli(capsys, f"meeting show {first} --store {store}").exit_code == 0


def test_cli_update_of_a_record_whose_end_was_edited_is_refused_naming_the_file_and_end(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    meeting = _invite_into(store, capsys, "Moved")
    path = store / f"{meeting}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["end"] = "2026-12-03T17:00:00Z"  # moved by hand: the start and duration say 16:00
    path.write_text(json.dumps(record), encoding="utf-8")
    result = cli(capsys, f"meeting update {meeting} --title Later --store {store}")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"somnet: {path}: not a meeting record")
    assert "@ $.end" in result.stderr and result.stderr.count("\n") == 1
    assert json.loads(path.read_text(encoding="utf-8")) == record  # nothing written


@pytest.mark.parametrize("what", ["file", "folder of other JSON"])
def test_cli_list_of_something_that_is_not_a_meeting_store_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str
) -> None:
    if what == "file":
        store = tmp_path / "passwd"
        store.write_text("root:x:0:0:root:/root:/bin/bash\n")
    else:
        store = tmp_path / "config"
        store.mkdir()
        (store / "settings.json").write_text('{"theme": "dark"}')
    for command in ("list", "show abc", "cancel abc"):
        result = cli(capsys, f"meeting {command} --store {store}")
        assert result.exit_code == 2, (command, result.stdout)
        assert result.stderr.startswith(f"somnet: --store: {store} is not a meeting store")
        assert result.stderr.count("\n") == 1 and result.stdout == ""


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        (1, "its 1 .json file is not a meeting record"),
        (2, "none of its 2 .json files is a meeting record"),
    ],
)
def test_cli_a_folder_of_json_that_is_not_a_store_is_counted_in_words_that_fit_the_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: int, reason: str
) -> None:
    """One .json file that is no meeting record was "none of its 1 .json files is a meeting
    record": the count chooses the words."""
    store = tmp_path / "config"
    store.mkdir()
    for n in range(files):
        (store / f"settings{n}.json").write_text('{"theme": "dark"}')
    result = cli(capsys, f"meeting list --store {store}")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"somnet: --store: {store} is not a meeting store: {reason}\n"
    assert sorted(p.name for p in store.iterdir()) == [f"settings{n}.json" for n in range(files)]


@pytest.mark.parametrize("what", ["dangling-link", "link-loop", "inside-a-file"])
def test_cli_a_store_that_can_never_be_a_folder_is_refused_naming_store(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str
) -> None:
    """--store naming a link to nowhere, a link to itself, or a folder inside a file was a
    store with no meetings to ``meeting list``, and failed to lock with exit 1 ("File
    exists", "Not a directory") in ``meeting invite``, after the plan was made."""
    taken = tmp_path / "notes.txt"
    taken.write_text("mine\n")
    if what == "inside-a-file":
        store, message = taken / "store", f"{taken}: a file, not a folder"
    else:
        store = tmp_path / "store"
        target = tmp_path / "nowhere" if what == "dangling-link" else store
        store.symlink_to(target)
        message = f"{store}: a symbolic link to {target}, which does not exist"
    for command in ("meeting list", INVITE):
        result = cli(capsys, f"{command} --store {store}")
        assert result.exit_code == 2, (command, result.stdout)
        assert result.stderr == f"somnet: --store: {message}\n", command
        assert result.stdout == ""
    assert taken.read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "region") == sorted(
        ["notes.txt", *(["store"] if what != "inside-a-file" else [])]
    )


LONG = "x" * 100_000


@pytest.mark.parametrize(
    "command",
    [
        "meeting plan --states BS,PA --duration {long} --from 2026-12-01 --to 2026-12-04",
        "meeting plan --states BS,PA --duration 1h --from {long} --to 2026-12-04",
        "meeting plan --states {long} --duration 1h --from 2026-12-01 --to 2026-12-04",
        "meeting plan --states BS --role {long} --duration 1h --from 2026-12-01 --to 2026-12-04",
        "meeting plan --contact {long} --duration 1h --from 2026-12-01 --to 2026-12-04",
        "meeting invite --states BS,PA --start {long} --duration 1h --title T --organizer o@x.org",
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        "--organizer {long}@example.org",
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        "--organizer o@example.org --timezone {long}",
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        "--organizer o@example.org --send {long}",
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        "--organizer o@example.org --timeout {long}",
        "meeting show {long}",
        "meeting series --states BS,PA --duration 1h --from 2027-01-04 --every month "
        "--count {long}",
    ],
)
def test_cli_a_huge_argument_is_not_echoed_whole(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    words = [word.replace("LONG", LONG) for word in shlex.split(command.format(long="LONG"))]
    if words[1] in ("invite", "show"):
        words += ["--store", str(tmp_path / "store")]
    result = run(capsys, *words)
    assert result.exit_code == 2, result.stdout[:200]
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert len(result.stderr) < 600, result.stderr[:600]
    assert re.search(r"\.\.\. \(1000\d\d characters\)", result.stderr), result.stderr


def test_cli_sends_publishes_updates_and_cancels(
    region: Directory,
    smtp: tuple[Inbox, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = smtp
    store = tmp_path / "store"
    send = f"--send smtp://127.0.0.1:{port} --caldav-user {USER} --store {store}"
    result = cli(
        capsys,
        "meeting invite --states BS,HT,PA,DO --from 2026-12-01 --to 2026-12-18 --duration 90m "
        f"--title 'Regional coordination' --organizer unodc@example.org {send} "
        f"--publish {calendar} --format json",
    )
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    meeting_id = answer["meeting"]["id"]
    publication = answer["meeting"]["publication"]
    assert publication["url"].startswith(calendar) and publication["etag"]
    assert len(inbox.envelopes) == 1 and len(inbox.envelopes[0].rcpt_tos) == 4

    result = cli(capsys, f"meeting update {meeting_id} --duration 1h {send} --publish")
    assert result.exit_code == 0, result.stderr
    assert "SEQUENCE 1" in result.stdout and f"CalDAV PUT {publication['url']}" in result.stdout
    event = icalendar.Calendar.from_ical(_get(publication["url"]).content).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1

    result = cli(capsys, f"meeting update {meeting_id} --title Renamed --store {store}")
    assert result.exit_code == 0
    assert "add --publish to change it there too" in result.stderr
    # The attendees were e-mailed the versions before: this one went to none of them.
    assert "add --send" in result.stderr

    result = cli(
        capsys,
        f"meeting cancel {meeting_id} --store {store} --send smtp://127.0.0.1:{free_port()} "
        f"--publish --caldav-user {USER}",
    )
    assert result.exit_code == 1
    assert (
        error_line(result.stderr).startswith("somnet: SMTP server 127.0.0.1:")
        and "refused" in result.stderr
    )
    assert error_line(result.stderr).count("\n") == 1
    assert "; removed from CalDAV; not delivered: e-mail to " in result.stderr
    # CalDAV went first and is recorded: the re-run only e-mails.
    assert _get(publication["url"]).status_code == 404
    result = cli(capsys, f"meeting cancel {meeting_id} {send} --publish")
    assert result.exit_code == 0, result.stderr
    assert len(inbox.envelopes) == 3
    last = inbox.messages()[-1]
    assert calendar_part(last).get_param("method") == "CANCEL"
    shown = json.loads(
        cli(capsys, f"meeting show {meeting_id} --store {store} --format json").stdout
    )
    assert shown["status"] == "CANCELLED" and shown["sequence"] == 3
    assert shown["publication"] is None
    assert [c["action"] for c in shown["history"]] == [
        "created",
        "updated",
        "updated",
        "cancelled",
        "resent",
    ]
    assert {d["state"] for d in shown["deliveries"]} == {"delivered"}


@pytest.mark.filterwarnings(SMTPS_WARNING)
def test_cli_sends_over_smtps_with_the_password_from_the_environment(
    region: Directory,
    smtps: tuple[Inbox, int, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, port, cert_file = smtps
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))  # the system's trust, for the CLI
    monkeypatch.setenv("SOMNET_SMTP_PASSWORD", "correct horse")
    base = (
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {tmp_path} --send smtps://127.0.0.1:{port}"
    )
    result = cli(capsys, f"{base} --smtp-user officer")
    assert result.exit_code == 0, result.stderr
    assert f"e-mailed via 127.0.0.1:{port} to" in result.stdout
    assert [e.rcpt_tos for e in inbox.envelopes] == [
        ["bs-focal@example.org", "pa-focal@example.org"]
    ]

    monkeypatch.setenv("SOMNET_SMTP_PASSWORD", "wrong")
    result = cli(capsys, f"{base.replace('--title T', '--title Other')} --smtp-user officer")
    assert result.exit_code == 1
    assert error_line(result.stderr).startswith(
        f"somnet: SMTP server 127.0.0.1:{port} refused the login of officer: "
        "535 5.7.8 Authentication credentials invalid (the password is read from "
        "SOMNET_SMTP_PASSWORD); nothing was delivered; not delivered: e-mail to "
    )
    assert f"--send smtps://127.0.0.1:{port} --smtp-user officer (or the same" in result.stderr
    assert error_line(result.stderr).count("\n") == 1
    result = cli(capsys, f"{base} --starttls")
    assert result.exit_code == 2
    assert "smtps:// is TLS from the start" in result.stderr


SERIES = (
    "meeting series --states BS,HT,PA --duration 90m --from 2027-01-04 --every month --count 3 "
    "--within 10 --invite --title 'Monthly coordination' --organizer unodc@example.org"
)


def test_cli_a_series_is_sent_one_meeting_per_occurrence_and_cancelled_as_one(
    region: Directory,
    smtp: tuple[Inbox, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = smtp
    store, out = tmp_path / "store", tmp_path / "invites"
    result = cli(
        capsys,
        f"{SERIES} --store {store} --out {out} --send smtp://127.0.0.1:{port} "
        f"--publish {calendar} --caldav-user {USER} --format json",
    )
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    series_id = answer["series"]
    meetings = [m["meeting"] for m in answer["meetings"]]
    starts = [o["slot"]["start"] for o in answer["occurrences"]]
    assert [m["start"] for m in meetings] == starts and len(starts) == 3
    assert len({m["uid"] for m in meetings}) == 3
    assert {(m["series"], m["sequence"], m["status"]) for m in meetings} == {
        (series_id, 0, "CONFIRMED")
    }
    # One file per occurrence, named by its date, each a complete invite of its own.
    assert sorted(p.name for p in out.iterdir()) == [f"{s[:10]}.ics" for s in starts]
    for m in meetings:
        ours, _ = parse_both((out / f"{m['start'][:10]}.ics").read_bytes())
        (event,) = ours.walk("VEVENT")
        assert (ours["METHOD"], str(event["UID"]), event["SEQUENCE"]) == ("REQUEST", m["uid"], 0)
        assert _get(m["publication"]["url"]).status_code == 200
    assert len(inbox.envelopes) == 3
    assert all(len(e.rcpt_tos) == 3 for e in inbox.envelopes)

    listed = cli(capsys, f"meeting list --store {store} --series {series_id}").stdout
    assert listed.count(f"(series {series_id})") == 3
    cli(
        capsys,
        f"meeting invite --states BS --start 2027-01-05T15:00Z --duration 1h --title X "
        f"--organizer o@example.org --store {store}",
    )
    assert len(cli(capsys, f"meeting list --store {store}").stdout.splitlines()) == 4
    assert (
        len(cli(capsys, f"meeting list --store {store} --series {series_id}").stdout.splitlines())
        == 3
    )

    # One occurrence can be changed on its own: it is a meeting like any other.
    first = meetings[0]["id"]
    result = cli(capsys, f"meeting update {first} --title Moved --store {store} --publish")
    assert result.exit_code == 0, result.stderr

    result = cli(
        capsys,
        f"meeting cancel --series {series_id} --store {store} --out {out} "
        f"--send smtp://127.0.0.1:{port} --publish --caldav-user {USER}",
    )
    assert result.exit_code == 0, result.stderr
    assert f"series {series_id}: 3 meetings cancelled" in result.stdout
    assert len(inbox.envelopes) == 3 + 3
    for m in meetings:
        ours, _ = parse_both((out / f"{m['start'][:10]}-cancel.ics").read_bytes())
        event = ours.walk("VEVENT")[0]
        sequence = 2 if m["id"] == first else 1
        assert (ours["METHOD"], str(event["UID"]), event["SEQUENCE"], event["STATUS"]) == (
            "CANCEL",
            m["uid"],
            sequence,
            "CANCELLED",
        )
        assert _get(m["publication"]["url"]).status_code == 404
    result = cli(capsys, f"meeting cancel --series {series_id} --store {store}")
    assert result.exit_code == 2 and "already cancelled" in result.stderr


def test_cli_a_series_whose_delivery_fails_midway_keeps_what_was_sent_and_says_so(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flaky: tuple[Flaky, int],
) -> None:
    inbox, port = flaky
    store, out = tmp_path / "store", tmp_path / "invites"
    result = cli(
        capsys,
        f"{SERIES} --store {store} --out {out} --send smtp://127.0.0.1:{port}",
    )
    assert result.exit_code == 1
    assert error_line(result.stderr).count("\n") == 1 and "Traceback" not in result.stderr
    # What the series run that completes it would say, before the error: here that its
    # contacts are illustrative (in the text of a series sent, the note that ends it).
    assert result.stderr.splitlines()[:-1] == [f"warning: {somnet.INVITE_ILLUSTRATIVE_NOTE}"]
    recorded, failed = MeetingStore(store).all()
    day, second = f"{recorded.start:%Y-%m-%d}", f"{failed.start:%Y-%m-%d}"
    assert error_line(result.stderr).startswith(
        f"somnet: SMTP server 127.0.0.1:{port} answered 554 5.3.4 Message refused for this test; "
        "nothing was delivered; not delivered: e-mail to bs-focal@example.org, "
    )
    assert (
        f"; meeting {failed.id} is recorded (UID {failed.uid}, SEQUENCE 0) (occurrence 2 of 3; "
        f"sent and recorded: {day} ({recorded.id}); recorded, not sent to all: {second} "
        f"({failed.id}); not sent: 2027-03-"
    ) in result.stderr
    # The occurrence sent has its file and record; the one that failed is recorded with what
    # it did not reach, its file written; the last has neither.
    assert sorted(p.name for p in out.iterdir()) == [f"{day}.ics", f"{second}.ics"]
    assert recorded.series and recorded.history[-1].delivered[-1] == f"file:{out / day}.ics"
    assert {d.state for d in failed.deliveries} == {"failed"}
    assert len(inbox.envelopes) == 1


def test_cli_a_series_whose_delivery_failed_is_resumed_without_duplicates(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flaky: tuple[Flaky, int],
) -> None:
    inbox, port = flaky
    store, out = tmp_path / "store", tmp_path / "invites"
    command = f"{SERIES} --store {store} --out {out} --send smtp://127.0.0.1:{port}"
    result = cli(capsys, command)
    assert result.exit_code == 1
    first, failed = MeetingStore(store).all()
    assert result.stderr.endswith(
        f"; to send the rest, run the same command with --resume {first.series})\n"
    )
    assert error_line(result.stderr).count("\n") == 1

    # The same command again would send a second series: refused, naming --resume.
    result = cli(capsys, command)
    assert result.exit_code == 2, result.stderr
    assert f"add --resume {first.series}" in result.stderr
    assert len(MeetingStore(store).all()) == 2

    # Not this series: refused before anything is sent.
    other = command.replace("--title 'Monthly coordination'", "--title Other")
    result = cli(capsys, f"{other} --resume {first.series}")
    assert result.exit_code == 2, result.stderr
    assert f"its meeting {first.id} has another title" in result.stderr
    result = cli(
        capsys,
        f"meeting series --states BS --duration 1h --from 2027-01-04 "
        f"--every month --count 3 --resume {first.series}",
    )
    assert result.exit_code == 2 and "--resume: add --invite" in result.stderr

    inbox.accept = 10
    result = cli(capsys, f"{command} --resume {first.series} --format json")
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["series"] == first.series
    assert [m["id"] for m in answer["sent_before"]] == [first.id, failed.id]
    # The occurrence recorded by the failed run keeps its UID: completed, not sent anew.
    assert answer["meetings"][0]["meeting"]["uid"] == failed.uid
    meetings = MeetingStore(store).series(first.series or "")
    starts = [o["slot"]["start"] for o in answer["occurrences"]]
    assert [f"{m.start:%Y-%m-%dT%H:%M:%SZ}" for m in meetings] == starts
    assert len(MeetingStore(store).all()) == 3
    assert sorted(p.name for p in out.iterdir()) == [f"{s[:10]}.ics" for s in starts]
    # One message per occurrence: the first one was not sent again.
    assert len(inbox.envelopes) == 3
    subjects = [m["Subject"] for m in inbox.messages()]
    assert len(set(subjects)) == 3

    result = cli(capsys, f"{command} --resume {first.series}")
    assert result.exit_code == 2
    assert f"--resume: every meeting of series {first.series} was sent" in result.stderr
    assert len(inbox.envelopes) == 3


def test_cli_a_series_run_again_with_nothing_left_to_send_warns_again_of_what_still_holds(
    region: Directory,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Run again, as it was or with --resume, a series sent whole said nothing of the
    illustrative contacts it went to; the same invite run again says it. Said again before
    the refusal, and nothing is sent twice."""
    inbox, port = smtp
    command = f"{SERIES} --store {tmp_path / 'store'} --send smtp://127.0.0.1:{port}"
    first = cli(capsys, command)
    assert first.exit_code == 0, first.stderr
    assert len(inbox.envelopes) == 3
    (series,) = {m.series for m in MeetingStore(tmp_path / "store").all()}
    note = f"warning: {somnet.INVITE_ILLUSTRATIVE_NOTE}\n"
    again = cli(capsys, command)
    assert again.exit_code == 2
    assert again.stderr.startswith(note), again.stderr
    assert again.stderr.count("\n") == 2 and f"add --resume {series}" in again.stderr
    resumed = cli(capsys, f"{command} --resume {series}")
    assert resumed.exit_code == 2
    assert resumed.stderr == (
        f"{note}somnet: --resume: every meeting of series {series} was sent already\n"
    )
    assert len(inbox.envelopes) == 3


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("--out {tmp}/file.txt", "is a file; a series needs a folder"),
        ("--send smtp://u:secret@127.0.0.1:25", "do not put a password in the address"),
    ],
)
def test_cli_bad_series_delivery_is_refused_before_anything_is_sent(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: str,
    message: str,
) -> None:
    (tmp_path / "file.txt").write_text("a file")
    result = cli(capsys, f"{SERIES} --store {tmp_path / 'store'} {extra.format(tmp=tmp_path)}")
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "store").exists()


def test_cli_update_invites_those_added_and_uninvites_those_removed(
    region: Directory,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = smtp
    common = f"--store {tmp_path / 'store'} --send smtp://127.0.0.1:{port}"
    result = cli(
        capsys,
        "meeting invite --states BS,HT,PA --start 2026-12-03T15:00Z --duration 90m --title T "
        f"--organizer unodc@example.org {common} --format json",
    )
    meeting = json.loads(result.stdout)["meeting"]
    inbox.envelopes.clear()
    out = tmp_path / "update.ics"
    result = cli(capsys, f"meeting update {meeting['id']} --states BS,PA,DO {common} --out {out}")
    assert result.exit_code == 0, result.stderr
    assert "added DO do-focal <do-focal@example.org>" in result.stdout
    assert "removed HT ht-focal <ht-focal@example.org>" in result.stdout
    request, uninvite = inbox.envelopes
    assert request.rcpt_tos == [
        "bs-focal@example.org",
        "pa-focal@example.org",
        "do-focal@example.org",
    ]
    assert uninvite.rcpt_tos == ["ht-focal@example.org"]
    _, uninvite_message = inbox.messages()
    # In English, then in the languages the attendee reads.
    assert re.match(r"Removed from( / [^:]+)?: T \(", uninvite_message["Subject"])
    part = calendar_part(uninvite_message)
    assert part.get_param("method") == "CANCEL"
    data = part.get_payload(decode=True)
    assert data == (tmp_path / "update-uninvite.ics").read_bytes()
    ours, theirs = parse_both(data)
    (event,) = ours.walk("VEVENT")
    assert (ours["METHOD"], str(event["UID"]), event["SEQUENCE"]) == ("CANCEL", meeting["uid"], 1)
    assert "STATUS" not in event  # the meeting goes on: only HT is taken off it
    assert str(event["ATTENDEE"]) == "mailto:ht-focal@example.org"  # one: not a list
    assert theirs.method.value == "CANCEL"
    ours, _ = parse_both(out.read_bytes())
    event = ours.walk("VEVENT")[0]
    assert (ours["METHOD"], event["SEQUENCE"], event["STATUS"]) == ("REQUEST", 1, "CONFIRMED")
    assert [str(a) for a in event["ATTENDEE"]] == [
        "mailto:bs-focal@example.org",
        "mailto:pa-focal@example.org",
        "mailto:do-focal@example.org",
    ]
    shown = json.loads(
        cli(
            capsys, f"meeting show {meeting['id']} {common.split(' --send')[0]} --format json"
        ).stdout
    )
    assert [a["contact"] for a in shown["attendees"]] == ["bs-focal", "pa-focal", "do-focal"]
    assert shown["sequence"] == 1

    # The same attendees again change nothing, in any order, and nothing is sent.
    for states in ("BS,PA,DO", "DO,BS,PA"):
        result = cli(capsys, f"meeting update {meeting['id']} --states {states} {common}")
        assert result.exit_code == 2 and "nothing changes" in result.stderr
    assert len(inbox.envelopes) == 2


SEVEN = "--states BS,DO,HT,PA,MX,US --contact mx-cancun-desk"


SEVEN_ADDRESSES = [
    "bs-focal@example.org",
    "do-focal@example.org",
    "ht-focal@example.org",
    "pa-focal@example.org",
    "mx-focal@example.org",
    "us-focal@example.org",
    "mx-cancun@example.org",
]


@pytest.mark.parametrize("per_attendee", [False, True], ids=["one-message", "per-attendee"])
@pytest.mark.parametrize("again", ["same command", "resend"])
def test_cli_a_refused_recipient_then_a_rerun_reaches_everyone_exactly_once(
    region: Directory,
    refusing: tuple[Refusing, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    per_attendee: bool,
    again: str,
) -> None:
    inbox, port = refusing
    inbox.refuse = {"pa-focal@example.org"}
    store, out = tmp_path / "store", tmp_path / "meeting.ics"
    send = f"--send smtp://127.0.0.1:{port}" + (" --per-attendee" if per_attendee else "")
    command = (
        f"meeting invite {SEVEN} --start 2026-12-03T16:00Z --duration 90m --title T "
        f"--organizer unodc@example.org --store {store} --out {out} {send}"
    )
    result = cli(capsys, command)
    assert result.exit_code == 1, result.stderr
    assert error_line(result.stderr).count("\n") == 1 and "Traceback" not in result.stderr
    (meeting,) = MeetingStore(store).all()
    others = [a for a in SEVEN_ADDRESSES if a != "pa-focal@example.org"]
    # Who got it and who did not, exactly.
    assert "refused pa-focal@example.org (550 5.1.1 Mailbox unavailable" in result.stderr
    assert f"delivered by e-mail to {', '.join(others)}" in result.stderr
    assert "not delivered: e-mail to pa-focal@example.org" in result.stderr
    assert f"meeting {meeting.id} is recorded (UID {meeting.uid}, SEQUENCE 0)" in result.stderr
    assert f"somnet meeting resend {meeting.id} --store {store} {send}" in result.stderr
    # The version was recorded before it was sent, with what became of each attendee.
    states = {d.to: d.state for d in meeting.deliveries if d.channel == "email"}
    assert states == {
        a: "failed" if a == "pa-focal@example.org" else "delivered" for a in SEVEN_ADDRESSES
    }
    ours, _ = parse_both(out.read_bytes())
    assert str(ours.walk("VEVENT")[0]["UID"]) == meeting.uid
    assert sorted(inbox.received()) == sorted(others)

    inbox.refuse = set()
    rerun = (
        command
        if again == "same command"
        else f"meeting resend {meeting.id} --store {store} {send}"
    )
    result = cli(capsys, rerun)
    assert result.exit_code == 0, result.stderr
    assert "to pa-focal@example.org" in result.stdout
    received = inbox.received()
    assert received == {a: [(meeting.uid, 0, "REQUEST")] for a in SEVEN_ADDRESSES}
    (after,) = MeetingStore(store).all()
    assert (after.uid, after.sequence) == (meeting.uid, 0)
    assert {d.state for d in after.deliveries} == {"delivered"}
    assert [c.action for c in after.history] == ["created", "resent"]
    listed = cli(capsys, f"meeting list --store {store}")
    assert listed.stdout.count("\n") == 1 and "missing" not in listed.stdout

    # Once everyone has it, running it again sends nothing.
    result = cli(capsys, rerun)
    assert len(inbox.envelopes) == (7 if per_attendee else 2)
    assert "nothing" in (result.stdout + result.stderr)


def test_cli_a_meeting_that_has_begun_is_neither_resent_nor_cancelled(
    region: Directory,
    refusing: tuple[Refusing, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, port = refusing
    inbox.refuse = {"pa-focal@example.org"}
    store = tmp_path / "store"
    send = f"--send smtp://127.0.0.1:{port}"
    result = cli(
        capsys,
        f"meeting invite --states BS,PA --start 2026-12-03T16:00Z --duration 90m --title T "
        f"--organizer unodc@example.org --store {store} {send}",
    )
    assert result.exit_code == 1, result.stderr
    (meeting,) = MeetingStore(store).all()
    inbox.refuse = set()
    inbox.envelopes.clear()
    monkeypatch.setattr("somnet_cli.meeting._now", lambda: meeting.end)
    for command, what in [
        ("resend", "not sent to those it did not reach: pa-focal@example.org"),
        ("cancel", "not cancelled"),
    ]:
        result = cli(capsys, f"meeting {command} {meeting.id} --store {store} {send}")
        assert result.exit_code == 2, result.stderr
        assert result.stderr == (
            f"somnet: meeting {meeting.id} of 2026-12-03 16:00 UTC has begun already, so it "
            f"is {what}\n"
        )
    assert inbox.envelopes == [] and MeetingStore(store).all() == [meeting]


def test_cli_a_meeting_that_has_begun_is_not_changed_nor_moved(
    region: Directory,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, port = smtp
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port}"
    result = cli(
        capsys,
        f"meeting invite --states BS,PA --start 2026-12-03T16:00Z --duration 90m --title T "
        f"--organizer unodc@example.org {send}",
    )
    assert result.exit_code == 0, result.stderr
    (meeting,) = MeetingStore(store).all()
    record = MeetingStore(store).path(meeting.id).read_bytes()
    inbox.envelopes.clear()
    monkeypatch.setattr("somnet_cli.meeting._now", lambda: meeting.end)
    begun = f"somnet: meeting {meeting.id} of 2026-12-03 16:00 UTC has begun already, so it is"
    for change in ("--title Renamed", "--states BS", "--duration 2h"):
        result = cli(capsys, f"meeting update {meeting.id} {change} {send}")
        assert result.exit_code == 2, result.stderr
        assert result.stderr == (
            f"{begun} not changed; give --allow-past to record a meeting that was held\n"
        )
    for moved in ("--start 2026-12-10T16:00Z", "--start 2026-12-10T16:00Z --allow-past"):
        result = cli(capsys, f"meeting update {meeting.id} {moved} {send}")
        assert result.exit_code == 2, result.stderr
        assert result.stderr == (
            f"{begun} not moved: to meet at another time, invite a new meeting\n"
        )
    assert inbox.envelopes == []
    assert MeetingStore(store).path(meeting.id).read_bytes() == record
    # As a record of the meeting held, it is changed.
    result = cli(capsys, f"meeting update {meeting.id} --title Renamed --allow-past {send}")
    assert result.exit_code == 0, result.stderr
    assert MeetingStore(store).get(meeting.id).title == "Renamed"


def test_cli_an_update_resumed_after_a_partial_send_raises_sequence_once_and_the_cancel_next(
    region: Directory,
    refusing: tuple[Refusing, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = refusing
    store = tmp_path / "store"
    send = f"--send smtp://127.0.0.1:{port} --per-attendee"
    invite = (
        f"meeting invite {SEVEN} --start 2026-12-03T16:00Z --duration 90m --title T "
        f"--organizer unodc@example.org --store {store} {send} --format json"
    )
    result = cli(capsys, invite)
    assert result.exit_code == 0, result.stderr
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    inbox.refuse = {"pa-focal@example.org"}
    update = f"meeting update {meeting_id} --title Moved --store {store} {send}"
    assert cli(capsys, update).exit_code == 1
    inbox.refuse = set()
    # The same update again, then a resend: each completes SEQUENCE 1, neither makes a 2.
    assert cli(capsys, update).exit_code == 0
    again = cli(capsys, f"meeting resend {meeting_id} --store {store} {send}")
    assert again.exit_code == 2 and "SEQUENCE 1" in again.stderr, again
    assert cli(capsys, f"meeting cancel {meeting_id} --store {store} {send}").exit_code == 0
    got: dict[str, list[tuple[int, str, str, str]]] = {}
    for envelope, message in zip(inbox.envelopes, inbox.messages(), strict=True):
        ours, theirs = parse_both(calendar_part(message).get_payload(decode=True))
        event = ours.walk("VEVENT")[0]
        seen = (
            int(event["SEQUENCE"]),
            str(ours["METHOD"]),
            str(event["SUMMARY"]),
            event["DTSTAMP"].to_ical().decode(),
        )
        # vobject reads the same version.
        assert int(theirs.vevent.sequence.value) == seen[0]
        assert theirs.vevent.uid.value == str(event["UID"])
        assert theirs.method.value == seen[1]
        for address in envelope.rcpt_tos:
            got.setdefault(address, []).append(seen)
    (record,) = MeetingStore(store).all()
    assert record.sequence == 2 and record.status == "CANCELLED"
    stamps = {seen[3] for seen in got["pa-focal@example.org"] if seen[0] == 1}
    for address in SEVEN_ADDRESSES:
        # One invitation, one update (SEQUENCE 1, the same DTSTAMP for the one sent late),
        # one cancellation (SEQUENCE 2): none twice.
        assert [(s, m, t) for s, m, t, _d in got[address]] == [
            (0, "REQUEST", "T"),
            (1, "REQUEST", "Moved"),
            (2, "CANCEL", "Moved"),
        ], address
        assert {seen[3] for seen in got[address] if seen[0] == 1} == stamps


def test_cli_a_caldav_500_then_a_rerun_publishes_once_and_e_mails_once(
    region: Directory,
    refusing: tuple[Refusing, int],
    radicale_server: tuple[str, Path],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = refusing
    # A file where Radicale keeps its cache folder: it stores the event, then fails to cache
    # it and answers 500 Internal Server Error.
    broken = storage_of(radicale_server, calendar) / ".Radicale.cache"
    broken.write_text("in the way")
    store = tmp_path / "store"
    command = (
        f"meeting invite {SEVEN} --start 2026-12-03T16:00Z --duration 90m --title T "
        f"--organizer unodc@example.org --store {store} --send smtp://127.0.0.1:{port} "
        f"--publish {calendar} --caldav-user {USER}"
    )
    result = cli(capsys, command)
    assert result.exit_code == 1, result.stderr
    assert (
        error_line(result.stderr).count("\n") == 1
        and "answered 500 Internal Server Error" in result.stderr
    )
    (meeting,) = MeetingStore(store).all()
    # CalDAV goes first: nobody was e-mailed a version the calendar may not hold.
    assert inbox.envelopes == []
    assert "e-mail to bs-focal@example.org" in result.stderr
    # The server stored it, and failed to say so (or to show it): not taken as failed.
    assert (storage_of(radicale_server, calendar) / f"{meeting.uid}.ics").is_file()
    (put,) = [d for d in meeting.deliveries if d.channel == "caldav"]
    assert put.state == "unconfirmed"
    assert f"meeting {meeting.id} is recorded (UID {meeting.uid}, SEQUENCE 0)" in result.stderr

    broken.unlink()
    result = cli(capsys, command)
    assert result.exit_code == 0, result.stderr
    assert _events(calendar) == {meeting.uid: 0}
    assert inbox.received() == {a: [(meeting.uid, 0, "REQUEST")] for a in SEVEN_ADDRESSES}
    (after,) = MeetingStore(store).all()
    assert after.publication is not None and after.publication.url == f"{calendar}{meeting.uid}.ics"
    assert after.publication.etag == _get(after.publication.url).headers["ETag"]


def test_cli_update_adding_someone_too_soon_is_refused_until_notice_allows_it(
    region: Directory,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Monday's meeting was invited on Friday with --notice 0; adding HT on Friday gives HT
    # the notice an invite for Monday would: refused, as invite refuses it, until --notice.
    inbox, port = smtp
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port}"
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-11-30T16:00Z --duration 1h --title T "
        f"--organizer unodc@example.org --notice 0 {send} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    before = MeetingStore(store).get(meeting_id)
    inbox.envelopes.clear()

    result = cli(capsys, f"meeting update {meeting_id} --states BS,PA,HT {send}")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "gives less than 2 working days' notice to HT " in result.stderr
    assert "give --notice with fewer days (0 for none)" in result.stderr
    assert inbox.envelopes == [] and MeetingStore(store).get(meeting_id) == before

    result = cli(capsys, f"meeting update {meeting_id} --states BS,PA,HT --notice 0 {send}")
    assert result.exit_code == 0, result.stderr
    (request,) = inbox.envelopes
    assert sorted(request.rcpt_tos) == [
        "bs-focal@example.org",
        "ht-focal@example.org",
        "pa-focal@example.org",
    ]


def test_cli_update_and_cancel_on_a_silent_calendar_wait_once_and_e_mail_nobody(
    region: Directory,
    smtp: tuple[Inbox, int],
    silent_server: Silent,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # As a new event waits once (the calendar check) and is not PUT, an update's PUT and a
    # cancel's DELETE that the server never answers wait once each: the silent server is
    # not asked a second time whether it made them. Neither is confirmed, and nobody is
    # e-mailed a version the calendar may not show.
    inbox, port = smtp
    store = tmp_path / "store"
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T16:00Z --duration 1h --title T "
        f"--organizer unodc@example.org --store {store} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    calendar = f"http://127.0.0.1:{silent_server.port}/cal/"
    recorded = MeetingStore(store).get(meeting_id)
    url = f"{calendar}{recorded.uid}.ics"
    MeetingStore(store).save(attrs.evolve(recorded, publication=Publication(url, '"1"')))
    send = f"--store {store} --send smtp://127.0.0.1:{port} --publish --timeout 0.3"

    result = cli(capsys, f"meeting update {meeting_id} --duration 90m {send}")
    assert result.exit_code == 1, result.stderr
    assert (
        error_line(result.stderr).count("\n") == 1
        and "did not answer PUT within 0.3 s" in result.stderr
    )
    assert silent_server.connections == 1
    assert inbox.envelopes == []
    updated = MeetingStore(store).get(meeting_id)
    assert updated.sequence == 1
    assert {(d.channel, d.state) for d in updated.undelivered} == {
        ("caldav", "unconfirmed"),
        ("email", "pending"),
    }
    assert not updated.reached and updated.publication == Publication(url, '"1"')

    result = cli(capsys, f"meeting cancel {meeting_id} {send}")
    assert result.exit_code == 1, result.stderr
    assert "did not answer DELETE within 0.3 s" in result.stderr
    assert silent_server.connections == 2
    assert inbox.envelopes == []
    cancelled = MeetingStore(store).get(meeting_id)
    assert cancelled.status == "CANCELLED" and cancelled.publication is not None
    assert not any(d.state == "delivered" for d in cancelled.deliveries if d.sequence == 2)


def test_cli_an_event_changed_on_the_server_stops_the_update_until_force_takes_it_over(
    region: Directory,
    refusing: tuple[Refusing, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = refusing
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port} --caldav-user {USER}"
    result = cli(
        capsys,
        f"meeting invite --states BS,HT,PA --start 2026-12-03T16:00Z --duration 90m --title T "
        f"--organizer unodc@example.org {send} --publish {calendar} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting = json.loads(result.stdout)["meeting"]
    url = meeting["publication"]["url"]
    # Someone edits the event in their calendar client: its ETag changes.
    edited = _get(url).content.replace(b"TRANSP:OPAQUE", b"TRANSP:TRANSPARENT")
    assert httpx.put(url, content=edited, auth=(USER, ""), timeout=5).is_success
    inbox.envelopes.clear()

    update = f"meeting update {meeting['id']} --duration 1h {send} --publish"
    result = cli(capsys, update)
    assert result.exit_code == 1, result.stderr
    assert error_line(result.stderr).count("\n") == 1
    assert "changed on the server" in result.stderr and "nothing was overwritten" in result.stderr
    assert f"somnet meeting resend {meeting['id']} --store {store}" in result.stderr
    assert "--force" in result.stderr
    assert inbox.envelopes == []  # nobody has SEQUENCE 1 while the calendar holds the edit
    assert b"TRANSP:TRANSPARENT" in _get(url).content
    # The record says what the update is and that it is not delivered.
    listed = cli(capsys, f"meeting list --store {store}").stdout
    assert "seq 1" in listed and "missing" in listed
    (record,) = MeetingStore(store).all()
    assert record.sequence == 1 and record.duration == 60

    result = cli(capsys, f"{update} --force")
    assert result.exit_code == 0, result.stderr
    assert "replaced the copy changed on the server" in (result.stdout + result.stderr)
    event = icalendar.Calendar.from_ical(_get(url).content).walk("VEVENT")[0]
    assert (event["SEQUENCE"], str(event["TRANSP"])) == (1, "OPAQUE")
    assert inbox.received() == {
        a: [(meeting["uid"], 1, "REQUEST")]
        for a in ["bs-focal@example.org", "ht-focal@example.org", "pa-focal@example.org"]
    }
    (record,) = MeetingStore(store).all()
    assert record.publication is not None
    assert record.publication.etag == _get(url).headers["ETag"]
    assert {d.state for d in record.deliveries} == {"delivered"}


def test_cli_a_cancelled_meeting_can_later_be_removed_from_the_calendar(
    region: Directory,
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    result = cli(
        capsys,
        f"meeting invite --states BS,PA --start 2026-12-03T16:00Z --duration 1h --title T "
        f"--organizer unodc@example.org --store {store} --publish {calendar} "
        f"--caldav-user {USER} --format json",
    )
    meeting = json.loads(result.stdout)["meeting"]
    url = meeting["publication"]["url"]
    result = cli(capsys, f"meeting cancel {meeting['id']} --store {store}")
    assert result.exit_code == 0, result.stderr
    assert "add --publish" in result.stderr
    assert _get(url).status_code == 200

    result = cli(capsys, f"meeting cancel {meeting['id']} --store {store} --publish")
    assert result.exit_code == 0, result.stderr
    assert f"CalDAV DELETE {url}" in result.stdout
    assert _get(url).status_code == 404
    (record,) = MeetingStore(store).all()
    assert (record.status, record.sequence, record.publication) == ("CANCELLED", 1, None)
    # Nothing left to do: it says so.
    result = cli(capsys, f"meeting cancel {meeting['id']} --store {store} --publish")
    assert result.exit_code == 2 and "already cancelled" in result.stderr


# Partial failures of an update and a cancel -------------------------------------------------


@pytest.mark.parametrize("per_attendee", [False, True], ids=["one-message", "per-attendee"])
@pytest.mark.parametrize(
    ("change", "refused", "method", "missing"),
    [
        ("--start 2026-12-10T16:00Z", "pa-focal@example.org", "REQUEST", "e-mail"),
        ("--states BS,PA", "ht-focal@example.org", "CANCEL", "uninvite"),
    ],
    ids=["moved", "uninvited"],
)
def test_cli_an_update_refused_for_one_recipient_names_them_and_a_rerun_sends_to_them_alone(
    region: Directory,
    refusing: tuple[Refusing, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    per_attendee: bool,
    change: str,
    refused: str,
    method: str,
    missing: str,
) -> None:
    inbox, port = refusing
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port}" + (
        " --per-attendee" if per_attendee else ""
    )
    result = cli(
        capsys,
        "meeting invite --states BS,HT,PA --start 2026-12-03T16:00Z --duration 1h --title T "
        f"--organizer unodc@example.org {send} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting = json.loads(result.stdout)["meeting"]
    inbox.envelopes.clear()
    # The server takes the others, then answers 550 for one of them.
    inbox.refuse = {refused}
    update = f"meeting update {meeting['id']} {change} {send}"
    result = cli(capsys, update)
    assert result.exit_code == 1, result.stderr
    assert error_line(result.stderr).count("\n") == 1 and "Traceback" not in result.stderr
    assert f"refused {refused} (550 5.1.1 Mailbox unavailable" in result.stderr
    assert f"not delivered: {missing} to {refused}" in result.stderr
    assert f"somnet meeting resend {meeting['id']} --store {store}" in result.stderr
    reached = {a: got for a, got in inbox.received().items()}
    assert refused not in reached and reached
    # The record says who has SEQUENCE 1 and who does not.
    (record,) = MeetingStore(store).all()
    assert record.sequence == 1
    states = {d.to: (d.sequence, d.method, d.state) for d in record.deliveries}
    assert states[refused] == (1, method, "failed")
    assert {a: states[a] for a in reached} == {a: (1, "REQUEST", "delivered") for a in reached}
    listed = cli(capsys, f"meeting list --store {store}").stdout
    assert "missing" in listed

    # Run again once the server takes it: the refused one alone gets it, SEQUENCE 1 still.
    inbox.refuse = set()
    inbox.envelopes.clear()
    result = cli(capsys, update)
    assert result.exit_code == 0, result.stderr
    assert "delivered where it was missing" in result.stdout and refused in result.stdout
    assert inbox.received() == {refused: [(meeting["uid"], 1, method)]}
    (record,) = MeetingStore(store).all()
    assert record.sequence == 1 and {d.state for d in record.deliveries} == {"delivered"}
    # And once more: nothing is sent.
    inbox.envelopes.clear()
    result = cli(capsys, update)
    assert result.exit_code == 2 and "nothing" in result.stderr, result
    assert inbox.envelopes == []


@pytest.mark.parametrize("json_output", [False, True], ids=["text", "json"])
def test_cli_a_cancel_of_an_event_changed_on_the_server_says_so_and_keeps_the_record_true(
    region: Directory,
    refusing: tuple[Refusing, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    json_output: bool,
) -> None:
    inbox, port = refusing
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port} --caldav-user {USER}"
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T16:00Z --duration 1h --title T "
        f"--organizer unodc@example.org {send} --publish {calendar} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting = json.loads(result.stdout)["meeting"]
    url = meeting["publication"]["url"]
    # Someone edits the event in their calendar client: its ETag changes, and the server
    # answers 412 Precondition Failed to a DELETE that names the ETag recorded.
    edited = _get(url).content.replace(b"TRANSP:OPAQUE", b"TRANSP:TRANSPARENT")
    assert httpx.put(url, content=edited, auth=(USER, ""), timeout=5).is_success
    inbox.envelopes.clear()
    cancel = f"meeting cancel {meeting['id']} {send} --publish"
    result = cli(capsys, cancel + (" --format json" if json_output else ""))
    assert result.exit_code == 1, result.stderr
    assert error_line(result.stderr).count("\n") == 1 and "Traceback" not in result.stderr
    if json_output:
        answer = json.loads(result.stdout)
        assert "changed on the server" in answer["error"]
        assert answer["meeting"]["status"] == "CANCELLED"
    assert f"{url} was changed on the server since somnet published it" in result.stderr
    assert "it was not removed; nothing was delivered" in result.stderr
    assert "not delivered: CalDAV, e-mail to bs-focal@example.org, pa-focal@example.org" in (
        result.stderr
    )
    # What --force does to a cancelled meeting's event: it removes it (it has no version to
    # put in its place).
    resend = (
        f"somnet meeting resend {meeting['id']} --store {store} --send smtp://127.0.0.1:{port} "
        f"--publish {calendar} --caldav-user {USER} --force"
    )
    assert result.stderr.endswith(
        f"; to remove the calendar's copy, and what was changed in it, run: {resend}\n"
    )
    # Nothing removed, nobody told: the record says the cancellation is recorded, and where
    # it is missing.
    assert b"TRANSP:TRANSPARENT" in _get(url).content
    assert inbox.envelopes == []
    (record,) = MeetingStore(store).all()
    assert (record.status, record.sequence) == ("CANCELLED", 1)
    assert record.publication is not None and record.publication.url == url
    assert {(d.channel, d.method, d.state) for d in record.undelivered} == {
        ("caldav", "CANCEL", "failed"),
        ("email", "CANCEL", "pending"),
    }
    assert "missing" in cli(capsys, f"meeting list --store {store}").stdout
    # Forced, the edited copy is removed and each attendee told once.
    result = cli(capsys, f"{cancel} --force")
    assert result.exit_code == 0, result.stderr
    assert _get(url).status_code == 404
    both = ("bs-focal@example.org", "pa-focal@example.org")
    assert inbox.received() == {a: [(meeting["uid"], 1, "CANCEL")] for a in both}
    (record,) = MeetingStore(store).all()
    assert record.publication is None and not record.undelivered


def test_cli_an_update_of_an_event_removed_on_the_server_says_force_puts_it_back(
    region: Directory,
    refusing: tuple[Refusing, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Someone deleted the event from the calendar: an update stops before anyone is e-mailed,
    and its hint says that --force puts this version back (there is no copy to replace); the
    forced run says so too, and does it."""
    inbox, port = refusing
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port} --caldav-user {USER}"
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T16:00Z --duration 1h --title T "
        f"--organizer unodc@example.org {send} --publish {calendar} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting = json.loads(result.stdout)["meeting"]
    url = meeting["publication"]["url"]
    assert httpx.delete(url, auth=(USER, ""), timeout=5).is_success
    inbox.envelopes.clear()
    update = f"meeting update {meeting['id']} --start 2026-12-03T17:00Z {send} --publish"
    result = cli(capsys, update)
    assert result.exit_code == 1, result.stderr
    assert f"{url} was removed from the server since somnet published it" in result.stderr
    resend = (
        f"somnet meeting resend {meeting['id']} --store {store} --send smtp://127.0.0.1:{port} "
        f"--publish {calendar} --caldav-user {USER} --force"
    )
    assert result.stderr.endswith(f"; to put this version back on the calendar, run: {resend}\n")
    assert "replace the calendar's copy" not in result.stderr
    assert _get(url).status_code == 404 and inbox.envelopes == []
    result = cli(capsys, f"{update} --force")
    assert result.exit_code == 0, result.stderr
    assert f"CalDAV: {url} had been removed from the server; put this version back" in (
        result.stderr
    )
    assert "replaced the copy changed on the server" not in result.stderr
    assert _get(url).status_code == 200


def test_cli_a_cancel_of_an_event_already_deleted_on_the_server_says_it_was_gone(
    region: Directory,
    refusing: tuple[Refusing, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = refusing
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port} --caldav-user {USER}"
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T16:00Z --duration 1h --title T "
        f"--organizer unodc@example.org {send} --publish {calendar} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting = json.loads(result.stdout)["meeting"]
    url = meeting["publication"]["url"]
    # Someone removed it from the calendar: a DELETE now answers 404 Not Found.
    assert httpx.delete(url, auth=(USER, ""), timeout=5).is_success
    inbox.envelopes.clear()
    result = cli(capsys, f"meeting cancel {meeting['id']} {send} --publish --format json")
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    answer = json.loads(result.stdout)
    assert f"{url} was already gone from the CalDAV server" in answer["warnings"]
    (record,) = MeetingStore(store).all()
    assert (record.status, record.sequence, record.publication) == ("CANCELLED", 1, None)
    assert not record.undelivered
    both = ("bs-focal@example.org", "pa-focal@example.org")
    assert inbox.received() == {a: [(meeting["uid"], 1, "CANCEL")] for a in both}
    result = cli(capsys, f"meeting cancel {meeting['id']} {send} --publish")
    assert result.exit_code == 2 and "already cancelled" in result.stderr


def _killed_after_its_put(tmp_path: Path, command: str) -> None:
    """Run ``command`` in a child process and kill it (SIGKILL: no ``finally`` runs in it) once
    the CalDAV server has answered its PUT, before the record says so: the calendar holds
    the new version, the record has it pending, and nobody was e-mailed."""
    import signal

    script = (
        "import os, signal, sys; from pathlib import Path; import somnet_cli.meeting as m; "
        "import somnet.directory.loading as l; from somnet.meetings import issuing; "
        "from tests.meeting_fixtures import NOW; "
        f"m._now = lambda: NOW; l.shipped_data_dir = lambda: Path({str(tmp_path / 'region')!r}); "
        "saves = []; real = issuing._Record.save\n"
        "def save(self):\n"
        "    saves.append(1)\n"
        "    if len(saves) == 2:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real(self)\n"
        "issuing._Record.save = save\n"
        "from somnet_cli.main import main; sys.exit(main(sys.argv[1:]))"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, *shlex.split(command)],
        cwd=Path(__file__).parent.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL


@pytest.mark.parametrize("how", ["smtp-down", "killed-after-put"])
def test_cli_an_update_interrupted_between_caldav_and_e_mail_is_completed_with_no_older_put(
    region: Directory,
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    how: str,
) -> None:
    inbox = Refusing()
    port = free_port()
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port} --caldav-user {USER}"
    invite = (
        "meeting invite --states BS,PA --start 2026-12-03T16:00Z --duration 1h --title T "
        f"--organizer unodc@example.org {send} --publish {calendar}"
    )
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        result = cli(capsys, f"{invite} --format json")
        assert result.exit_code == 0, result.stderr
    finally:
        if how == "smtp-down":
            controller.stop()
    meeting = json.loads(result.stdout)["meeting"]
    url = meeting["publication"]["url"]
    inbox.envelopes.clear()
    update = f"meeting update {meeting['id']} --start 2026-12-10T16:00Z {send} --publish"
    if how == "smtp-down":
        # The SMTP server is down: the calendar gets SEQUENCE 1, nobody's mailbox does.
        result = cli(capsys, update)
        assert result.exit_code == 1, result.stderr
        assert error_line(result.stderr).count("\n") == 1 and "Traceback" not in result.stderr
        assert "; published on CalDAV; not delivered: e-mail to bs-focal@example.org, " in (
            result.stderr
        )
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
    else:
        _killed_after_its_put(tmp_path, update)
    stored = _get(url)
    assert icalendar.Calendar.from_ical(stored.content).walk("VEVENT")[0]["SEQUENCE"] == 1
    (record,) = MeetingStore(store).all()
    assert record.sequence == 1 and record.undelivered
    assert inbox.envelopes == []

    # The server is back. The invite asked again sends nothing (an update has changed it);
    # the same update completes SEQUENCE 1; a resend finds nothing missing: each attendee
    # gets SEQUENCE 1 once, and the calendar never an older version.
    try:
        result = cli(capsys, invite)
        assert result.exit_code == 0, result.stderr
        assert "updated since" in result.stdout and inbox.envelopes == []
        result = cli(capsys, update)
        assert result.exit_code == 0, result.stderr
        assert "changed on the server" not in result.stdout + result.stderr
        again = cli(capsys, f"meeting resend {meeting['id']} {send} --publish")
        assert again.exit_code == 2 and "SEQUENCE 1" in again.stderr, again
    finally:
        controller.stop()
    assert inbox.received() == {
        a: [(meeting["uid"], 1, "REQUEST")]
        for a in ("bs-focal@example.org", "pa-focal@example.org")
    }
    event = icalendar.Calendar.from_ical(_get(url).content).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2026, 12, 10, 16, tzinfo=UTC)
    (record,) = MeetingStore(store).all()
    assert record.sequence == 1 and not record.undelivered
    assert record.publication is not None
    assert record.publication.etag == _get(url).headers["ETag"]


# The library names fields; the command line shows their flags -----------------------------


def _invite(directory: Directory, tmp: Path, **ask: Any) -> Any:
    people = somnet.resolve_participants(directory, states=["BS", "PA"])
    request: dict[str, Any] = {
        "title": "T",
        "organizer": somnet.Person("o@example.org", ""),
        "duration": 60,
        "store": MeetingStore(tmp / "store"),
        "now": NOW,
    }
    return somnet.invite_meeting(people, **{**request, **ask})


INVITE_TO = "meeting invite --states BS,PA --duration 1h --title T --organizer o@example.org"


@pytest.mark.parametrize(
    ("call", "command", "flag"),
    [
        (
            lambda d, tmp: _invite(d, tmp, first=date(2026, 12, 18), last=date(2026, 12, 1)),
            f"{INVITE_TO} --from 2026-12-18 --to 2026-12-01 --store {{tmp}}/store",
            "--to",
        ),
        (
            lambda d, tmp: _invite(
                d,
                tmp,
                start=datetime(2026, 12, 3, 16, tzinfo=UTC),
                channels=somnet.Channels(out=tmp / "missing" / "m.ics"),
            ),
            f"{INVITE_TO} --start 2026-12-03T16:00Z --out {{tmp}}/missing/m.ics "
            "--store {tmp}/store",
            "--out",
        ),
        (
            lambda d, tmp: _invite(
                d, tmp, start=datetime(2026, 12, 3, 16, tzinfo=UTC), timezone="Mars/Olympus"
            ),
            f"{INVITE_TO} --start 2026-12-03T16:00Z --store {{tmp}}/store --timezone Mars/Olympus",
            "--timezone",
        ),
        (
            lambda d, tmp: somnet.resolve_participants(d, roles=["sar"]),
            "meeting plan --role sar --duration 1h --from 2026-12-01 --to 2026-12-04",
            "--role",
        ),
        (
            lambda d, tmp: somnet.parse_duration("ninety"),
            "meeting plan --states BS --duration ninety --from 2026-12-01 --to 2026-12-04",
            "--duration",
        ),
        (
            lambda d, tmp: somnet.smtp_server("smtp://127.0.0.1:25", user="me", environ={}),
            f"{INVITE_TO} --start 2026-12-03T16:00Z --send smtp://127.0.0.1:25 --smtp-user me",
            "--smtp-user",
        ),
    ],
)
def test_cli_shows_the_flag_of_the_field_the_library_names(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    call: Any,
    command: str,
    flag: str,
) -> None:
    monkeypatch.delenv("SOMNET_SMTP_PASSWORD", raising=False)
    with pytest.raises(somnet.SomnetError) as raised:
        call(region, tmp_path)
    error = raised.value
    assert error.field is not None and "--" not in str(error)
    result = cli(capsys, command.format(tmp=tmp_path))
    assert result.exit_code == error.exit_code == 2
    assert result.stderr == f"somnet: {flag}: {error.reason}\n"
    assert not (tmp_path / "store").exists()


def test_cli_composes_what_to_run_from_what_the_error_carries(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    past = datetime(2026, 11, 26, 16, tzinfo=UTC)
    with pytest.raises(somnet.NoticeError) as raised:
        _invite(region, tmp_path, start=past)
    result = cli(capsys, f"{INVITE_TO} --start 2026-11-26T16:00Z --store {store}")
    assert result.stderr == (
        f"somnet: --start: {raised.value.reason}; give --allow-past to record a meeting that "
        "was held\n"
    )
    soon = datetime(2026, 11, 30, 16, tzinfo=UTC)
    with pytest.raises(somnet.NoticeError) as raised:
        _invite(region, tmp_path, start=soon)
    result = cli(capsys, f"{INVITE_TO} --start 2026-11-30T16:00Z --store {store}")
    assert result.stderr == (
        f"somnet: --start: {raised.value.reason}; give --notice with fewer days (0 for none) "
        "to send it anyway\n"
    )
    recorded = _invite(region, tmp_path, start=datetime(2026, 12, 3, 16, tzinfo=UTC))
    with pytest.raises(somnet.AlreadyRecordedError) as twin:
        _invite(region, tmp_path, start=recorded.meeting.start, location="Room 2")
    result = cli(
        capsys, f"{INVITE_TO} --start 2026-12-03T16:00Z --location 'Room 2' --store {store}"
    )
    assert result.stderr == (
        f"somnet: {twin.value.reason}; change it with: somnet meeting update "
        f"{recorded.meeting.id}\n"
    )


def test_cli_notice_defaults_to_the_configured_notice_days(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    isolated_environment: Path,
) -> None:
    monday = f"{INVITE_TO} --start 2026-11-30T16:00Z --store {tmp_path / 'store'}"
    result = cli(capsys, monday)
    assert result.exit_code == 2 and "2 working days' notice" in result.stderr
    (isolated_environment / "config.toml").write_text("notice_days = 0\n")
    result = cli(capsys, monday)
    assert result.exit_code == 0, result.stderr
    # --notice wins over the configuration.
    result = cli(capsys, monday.replace("T16:00Z", "T17:00Z") + " --notice 2")
    assert result.exit_code == 2 and "2 working days' notice" in result.stderr
    (isolated_environment / "config.toml").write_text("notice_days = -1\n")
    result = cli(capsys, f"{INVITE_TO} --start 2026-12-03T16:00Z --store {tmp_path / 'store'}")
    assert result.exit_code == 2 and "notice_days" in result.stderr
    assert result.stderr.count("\n") == 1


def test_cli_show_ics_keeps_crlf_on_a_stream_that_translates_newlines(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Standard output in text mode on Windows turns "\n" into "\r\n": the calendar's own CRLF
    # (RFC 5545) became CR CR LF, which readers take for blank lines inside the object.
    import io

    from somnet_cli.main import main

    store = tmp_path / "store"
    result = cli(
        capsys,
        f"meeting invite --states BS,HT --start 2026-12-03T15:00Z --duration 90m "
        f"--title 'Regional coordination' --organizer unodc@example.org "
        f"--store {store} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="\r\n")
    monkeypatch.setattr("sys.stdout", stream)
    assert main(["meeting", "show", meeting_id, "--store", str(store), "--ics"]) == 0
    stream.flush()
    written = raw.getvalue()
    assert written.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\r" not in written
    ours, _ = parse_both(written)
    assert ours["METHOD"] == "REQUEST"


def test_cli_a_series_of_one_meeting_is_told_in_the_singular(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "1 meetings", "1 participants": a series of one, for one desk, invited and cancelled.
    import re

    store = tmp_path / "store"
    series = "meeting series --states BS --duration 1h --from 2027-01-04 --every month --count 1"
    planned = cli(capsys, series)
    assert planned.exit_code == 0, planned.stderr
    invited = cli(capsys, f"{series} --invite --title T --organizer o@example.org --store {store}")
    assert invited.exit_code == 0, invited.stderr
    listed = cli(capsys, f"meeting list --store {store} --format json")
    [meeting] = json.loads(listed.stdout)
    cancelled = cli(capsys, f"meeting cancel --series {meeting['series']} --store {store}")
    assert cancelled.exit_code == 0, cancelled.stderr
    far = cli(
        capsys,
        "meeting series --states BS --duration 1h --from 9998-12-31 --every quarter --count 1",
    )
    none = cli(
        capsys,
        "meeting series --states BS --duration 1h --from 2027-12-25 --every week "
        "--count 1 --within 1",
    )
    assert (far.exit_code, none.exit_code) == (2, 2), (far.stderr, none.stderr)
    for output in (planned.stdout, invited.stdout, cancelled.stdout, far.stderr, none.stderr):
        assert not re.search(r"\b1 (meetings|participants|periods)\b", output), output


def test_cli_a_series_asked_again_is_not_sent_when_a_record_cannot_be_read(
    region: Directory, smtp: tuple[Inbox, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, port = smtp
    store = tmp_path / "store"
    series = SERIES.replace("--count 3", "--count 1")
    assert cli(capsys, f"{series} --store {store}").exit_code == 0
    (damaged,) = store.glob("*.json")
    other = (
        f"meeting invite --states BS --start 2027-01-05T15:00Z --duration 1h --title X "
        f"--organizer o@example.org --store {store}"
    )
    assert cli(capsys, other).exit_code == 0
    damaged.write_bytes(damaged.read_bytes()[:100])  # cut short
    before = sorted(p.name for p in store.iterdir())
    result = cli(capsys, f"{series} --store {store} --send smtp://127.0.0.1:{port}")
    # It may be this very series: nothing is sent, the record is named, exit 2 (the record
    # was cut short by hand: the user's to repair).
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and str(damaged) in result.stderr
    assert "Traceback" not in result.stderr
    assert inbox.envelopes == []
    assert sorted(p.name for p in store.iterdir()) == before


def test_cli_a_series_asked_again_for_attendees_that_changed_is_not_sent_again(
    region: Directory, smtp: tuple[Inbox, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, port = smtp
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port}"
    assert cli(capsys, f"{SERIES} {send}").exit_code == 0
    sent = len(inbox.envelopes)
    # Mexico joins: the series recorded is the same one, for people who have it already.
    again = cli(capsys, f"{SERIES.replace('BS,HT,PA', 'BS,HT,PA,MX')} {send}")
    assert again.exit_code == 2, again.stderr
    assert len(again.stderr.strip().splitlines()) == 1 and "mx-focal@example.org" in again.stderr
    assert "--resume" not in again.stderr and "None" not in again.stderr
    assert len(inbox.envelopes) == sent and len(list(store.glob("*.json"))) == 3


def test_cli_show_names_a_caldav_put_of_an_earlier_version_left_unconfirmed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The record keeps such a PUT until the calendar has a later version (the server may
    hold its event); ``show`` listed the current version's deliveries only, and hid it."""
    import attrs

    from somnet.meetings.records import Delivery
    from tests.meeting_fixtures import CREATED, sample_meeting

    store = MeetingStore(tmp_path)
    url = "http://127.0.0.1:5232/officer/coordination/5f0c3a52.ics"
    put = Delivery(
        "caldav",
        url,
        0,
        "REQUEST",
        "unconfirmed",
        "http://127.0.0.1:5232/officer/coordination/",
        at=CREATED,
        reply="CalDAV server did not answer PUT",
        digest="0" * 64,
    )
    meeting = attrs.evolve(sample_meeting(), sequence=1, deliveries=(put,))
    store.save(meeting)
    result = cli(capsys, f"meeting show {meeting.id} --store {tmp_path}")
    assert result.exit_code == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if url in line]
    assert "SEQUENCE 0" in line


def test_cli_a_meeting_of_a_whole_day_shows_the_day_it_ends(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 24h --title Day "
        f"--organizer o@example.org --store {store}",
    )
    assert result.exit_code == 0, result.stderr
    meeting_id = MeetingStore(store).all()[0].id
    listed = cli(capsys, f"meeting list --store {store}")
    assert "2026-12-03 15:00-2026-12-04 15:00 UTC" in listed.stdout
    shown = cli(capsys, f"meeting show {meeting_id} --store {store}")
    assert "15:00-15:00" not in shown.stdout
    assert "2026-12-03 15:00-Fri 2026-12-04 15:00 UTC" in shown.stdout
    # Each attendee's local times end on the next day too (Thu 10:00 to Fri 10:00 in Nassau).
    assert re.search(r"Thu 10:00-\S*Fri\S* 10:00 America/Nassau", shown.stdout), shown.stdout
    # The warning that it runs outside working hours says so too.
    assert "10:00-10:00" not in result.stderr and "-2026-12-04 10:00" in result.stderr
    ics = cli(capsys, f"meeting show {meeting_id} --store {store} --ics").stdout
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    text = str(event["DESCRIPTION"])
    assert "15:00-15:00" not in text and "10:00-10:00" not in text


def test_cli_list_of_a_store_whose_only_record_is_broken_names_it(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    only = _invite_into(store, capsys, "Only")
    record = store / f"{only}.json"
    value = json.loads(record.read_text())
    value["duration"] = "an hour"
    record.write_text(json.dumps(value))
    shown = cli(capsys, f"meeting show {only} --store {store}")
    listed = cli(capsys, f"meeting list --store {store}")
    assert listed.exit_code == shown.exit_code != 0
    assert listed.stderr.startswith(f"somnet: {record}: not a meeting record")
    assert "$.duration" in listed.stderr and listed.stderr.count("\n") == 1
    # Cut short, it is still named, not taken for a folder of other JSON.
    record.write_text('{"record_version": 3, "title": "half a rec')
    listed = cli(capsys, f"meeting list --store {store}")
    assert listed.stderr.startswith(f"somnet: {record}: not a meeting record")
    assert listed.exit_code == cli(capsys, f"meeting show {only} --store {store}").exit_code


@dataclass
class _Stalling(Inbox):
    """An inbox whose server holds the first message at DATA until ``release`` is set."""

    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.arrived.set()
        self.release.wait(60)
        return "451 4.3.0 Try again later"


@contextlib.contextmanager
def _held_while_sending(tmp_path: Path, command: str) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` (its SMTP port left as ``{port}``) in a child process against a server
    that holds its message: the child, once its message is with the server; at the end the
    server refuses it (451) and the child is waited for."""
    stalling = _Stalling()
    script = (
        "import sys; from pathlib import Path; import somnet_cli.meeting as m; "
        "import somnet.directory.loading as l; from tests.meeting_fixtures import NOW; "
        f"m._now = lambda: NOW; l.shipped_data_dir = lambda: Path({str(tmp_path / 'region')!r}); "
        "from somnet_cli.main import main; sys.exit(main(sys.argv[1:]))"
    )
    with serving(stalling) as port:
        child = subprocess.Popen(
            [sys.executable, "-c", script, *shlex.split(command.format(port=port))],
            cwd=Path(__file__).parent.parent,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert stalling.arrived.wait(60)
            yield child
        finally:
            stalling.release.set()
            child.wait(60)


def _kill_while_sending(tmp_path: Path, command: str) -> None:
    """Run ``command`` as ``_held_while_sending`` does, and kill it while the server holds its
    message (SIGKILL: no ``finally`` runs in it): the invitation may have gone, and the run
    recorded nothing after it."""
    with _held_while_sending(tmp_path, command) as child:
        child.kill()


def test_cli_an_invite_killed_while_sending_is_completed_by_the_next_run(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    smtp: tuple[Inbox, int],
) -> None:
    store, out = tmp_path / "store", tmp_path / "out"
    out.mkdir()
    command = (
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {store} --out {out / 'meeting.ics'} "
        "--send smtp://127.0.0.1:{port}"
    )
    _kill_while_sending(tmp_path, command)
    assert [p.name for p in out.iterdir() if p.name.endswith(".pending")]
    inbox, good = smtp
    result = cli(capsys, command.format(port=good))
    assert result.exit_code == 0, result.stderr
    assert sorted(r for e in inbox.envelopes for r in e.rcpt_tos) == [
        "bs-focal@example.org",
        "pa-focal@example.org",
    ]
    assert [p.name for p in out.iterdir()] == ["meeting.ics"]


def test_cli_invite_json_says_whether_the_meeting_was_new_or_asked_again(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    smtp: tuple[Inbox, int],
) -> None:
    """A script re-running an invite must tell a new meeting from one recorded already, and
    "nothing was missing" from "an update has changed it since": `again` says which."""
    _, port = smtp
    store = tmp_path / "store"
    invite = (
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {store} --send smtp://127.0.0.1:{port} --format json"
    )
    first = json.loads(cli(capsys, invite).stdout)
    assert first["again"] is None
    assert json.loads(cli(capsys, invite).stdout)["again"] == "nothing-missing"
    update = (
        f"meeting update {first['meeting']['id']} --title U --store {store} --format json "
        f"--send smtp://127.0.0.1:{port}"
    )
    assert json.loads(cli(capsys, update).stdout)["again"] is None
    assert json.loads(cli(capsys, invite).stdout)["again"] == "updated-since"


@pytest.mark.parametrize(
    "change",
    [
        "--title 'New title'",
        "--start 2026-12-04T15:00Z",
        "--duration 2h",
        "--location 'Room 2'",
        "--states BS,PA,DO",
        "--states BS",
    ],
)
def test_cli_the_original_invite_asked_again_after_an_update_sends_nothing(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    smtp: tuple[Inbox, int],
    change: str,
) -> None:
    inbox, port = smtp
    store = tmp_path / "store"
    invite = (
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--location 'Room 1' --organizer o@example.org --store {store} "
        f"--send smtp://127.0.0.1:{port} --format json"
    )
    result = cli(capsys, invite)
    assert result.exit_code == 0, result.stderr
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    result = cli(
        capsys,
        f"meeting update {meeting_id} {change} --store {store} --send smtp://127.0.0.1:{port}",
    )
    assert result.exit_code == 0, result.stderr
    sent = len(inbox.envelopes)
    again = cli(capsys, invite)
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["meeting"]["id"] == meeting_id
    assert json.loads(again.stdout)["delivered"] == []
    assert len(inbox.envelopes) == sent
    assert [p.name for p in store.glob("*.json")] == [f"{meeting_id}.json"]
    text = cli(capsys, invite.replace(" --format json", ""))
    assert text.exit_code == 0 and meeting_id in text.stdout and "SEQUENCE 1" in text.stdout
    assert len(inbox.envelopes) == sent


@pytest.mark.parametrize("removal", ["cancel", "uninvite"])
def test_cli_no_removal_notice_reaches_someone_no_invitation_reached(
    region: Directory,
    refusing: tuple[Refusing, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    removal: str,
) -> None:
    inbox, port = refusing
    inbox.refuse = {"pa-focal@example.org"}
    store = tmp_path / "store"
    send = f"--send smtp://127.0.0.1:{port}"
    result = cli(
        capsys,
        "meeting invite --states BS,PA,DO --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {store} {send}",
    )
    assert result.exit_code == 1
    (meeting,) = MeetingStore(store).all()
    inbox.refuse = set()
    if removal == "cancel":
        result = cli(capsys, f"meeting cancel {meeting.id} --store {store} {send}")
    else:
        result = cli(capsys, f"meeting update {meeting.id} --states BS,DO --store {store} {send}")
    assert result.exit_code == 0, result.stderr
    got = inbox.received()
    assert "pa-focal@example.org" not in got, got
    method = "CANCEL" if removal == "cancel" else "REQUEST"
    assert got["bs-focal@example.org"] == [(meeting.uid, 0, "REQUEST"), (meeting.uid, 1, method)]
    # Nothing is left to send them: the record says so, and a resend sends nothing more.
    (after,) = MeetingStore(store).all()
    assert not after.undelivered
    assert "pa-focal@example.org" in result.stdout + result.stderr
    again = cli(capsys, f"meeting resend {meeting.id} --store {store} {send}")
    assert "pa-focal@example.org" not in inbox.received()
    # ... and does not claim that everyone was reached: it names whom it never reached.
    assert "pa-focal@example.org" in again.stdout + again.stderr, again


@pytest.mark.parametrize("change", ["--title Renamed", "--states BS,HT", "--start +1d"])
def test_cli_a_series_asked_again_after_each_meeting_was_updated_is_not_sent_again(
    region: Directory,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: str,
) -> None:
    inbox, port = smtp
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port}"
    assert cli(capsys, f"{SERIES} {send}").exit_code == 0
    for meeting in MeetingStore(store).all():
        how = change
        if change == "--start +1d":
            how = f"--start {meeting.start.replace(day=meeting.start.day + 1):%Y-%m-%dT%H:%MZ}"
        result = cli(capsys, f"meeting update {meeting.id} {how} --notice 0 {send}")
        assert result.exit_code == 0, result.stderr
    sent = len(inbox.envelopes)
    again = cli(capsys, f"{SERIES} {send}")
    assert again.exit_code != 0
    assert len(inbox.envelopes) == sent and len(list(store.glob("*.json"))) == 3


@pytest.mark.parametrize("moved_to", ["2027-02-09T15:00Z", "2027-01-20T15:00Z"])
def test_cli_a_series_resumed_after_a_meeting_was_moved_does_not_invite_its_period_again(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    moved_to: str,
    flaky: tuple[Flaky, int],
) -> None:
    inbox, port = flaky
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port}"
    assert cli(capsys, f"{SERIES} {send}").exit_code == 1
    first, _failed = MeetingStore(store).all()
    inbox.accept = 10
    # The first meeting is moved by hand: to the next period's dates, or between two.
    moved = cli(capsys, f"meeting update {first.id} --start {moved_to} {send}")
    assert moved.exit_code == 0, moved.stderr
    result = cli(capsys, f"{SERIES} {send} --resume {first.series}")
    assert result.exit_code == 0, result.stderr
    meetings = MeetingStore(store).all()
    # The moved meeting keeps its period: no second meeting for it, one for the third.
    assert len(meetings) == 3
    assert sorted(m.uid for m in meetings if m.start.month == 1 and m.start.day < 15) == []
    assert first.uid in {m.uid for m in meetings}


def test_cli_no_cancellation_reaches_those_a_caldav_failure_left_uninvited(
    region: Directory,
    refusing: tuple[Refusing, int],
    radicale_server: tuple[str, Path],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = refusing
    # Radicale stores the event, fails to cache it and answers 500: nobody is e-mailed.
    broken = storage_of(radicale_server, calendar) / ".Radicale.cache"
    broken.write_text("in the way")
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port}"
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T16:00Z --duration 1h --title T "
        f"--organizer o@example.org {send} --publish {calendar} --caldav-user {USER}",
    )
    assert result.exit_code == 1 and inbox.envelopes == []
    (meeting,) = MeetingStore(store).all()
    result = cli(capsys, f"meeting cancel {meeting.id} {send}")
    assert result.exit_code == 0, result.stderr
    assert inbox.envelopes == []
    assert "bs-focal@example.org" in result.stderr and "pa-focal@example.org" in result.stderr


def test_cli_a_failed_delivery_is_told_in_the_language_in_use(
    region: Directory,
    refusing: tuple[Refusing, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from somnet import _i18n
    from tests.i18n_helpers import ascii_words, pseudo_catalog

    pseudo_catalog("xx", tmp_path / "locale")
    monkeypatch.setattr(_i18n, "LOCALE_DIR", str(tmp_path / "locale"))
    monkeypatch.setattr(_i18n, "_catalogs", {})
    inbox, port = refusing
    inbox.refuse = {"pa-focal@example.org"}
    store = tmp_path / "store"
    result = cli(
        capsys,
        "meeting invite --lang xx --states BS,PA --start 2026-12-03T15:00Z --duration 1h "
        f"--title T --organizer o@example.org --store {store} --send smtp://127.0.0.1:{port}",
    )
    assert result.exit_code == 1 and error_line(result.stderr).count("\n") == 1
    # What is not a message: the server's answer, addresses and domains, ids, the command to
    # run (the warnings before the error line are messages too).
    told = re.sub(
        r"\(550[^)]*\)|\S+@\S+|example\.org|\S*[/:]\S*|\b[0-9a-f-]{8,}\b", " ", result.stderr
    )
    told = re.sub(r"\b(somnet|meeting|resend|store|send|UID|SEQUENCE|SMTP)\b", " ", told)
    assert sorted(set(ascii_words(told))) == []


def test_a_record_whose_start_has_an_offset_with_minutes_above_59_is_refused_naming_it(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A record's start edited by hand to 10:00-05:90 was read as 10:00-06:30 (Python's
    reader): the meeting shown, cancelled and resent an hour and a half from where it was
    meant. It is refused as --start is, naming the file and $.start."""
    store = tmp_path / "store"
    only = _invite_into(store, capsys, "Only")
    record = store / f"{only}.json"
    value = json.loads(record.read_text())
    value.update(start="2026-12-03T10:00:00-05:90")
    value.pop("end", None)
    record.write_text(json.dumps(value))
    for command in (f"meeting show {only}", "meeting list"):
        result = cli(capsys, f"{command} --store {store}")
        assert result.exit_code == 2, (command, result)
        assert str(record) in result.stderr and "$.start" in result.stderr, result.stderr
        assert "minutes of its UTC offset must be 0 to 59" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_cli_a_damaged_record_is_told_in_the_language_in_use_naming_file_and_fields(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from somnet import _i18n
    from tests.i18n_helpers import ascii_words, pseudo_catalog

    store = tmp_path / "store"
    only = _invite_into(store, capsys, "Only")
    record = store / f"{only}.json"
    intact = record.read_text()
    value = json.loads(intact)
    # Every kind of fault: a wrong type, a missing field, a value outside the vocabulary,
    # an unknown key, a time that is not one, an attendee that is not an object.
    value.update(duration="an hour", status="MAYBE", extra=1, start="tomorrow")
    value["attendees"][0].pop("email")
    value["attendees"][1] = "someone"
    record.write_text(json.dumps(value))
    pseudo_catalog("xx", tmp_path / "locale")
    monkeypatch.setattr(_i18n, "LOCALE_DIR", str(tmp_path / "locale"))
    monkeypatch.setattr(_i18n, "_catalogs", {})
    for command in (f"meeting show {only}", "meeting list"):
        result = cli(capsys, f"{command} --lang xx --store {store}")
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, (command, result)
        assert str(record) in result.stderr
        for where in ("$.duration", "$.status", "$.start", "$.attendees[0].email"):
            assert where in result.stderr
        # What is not a message: the file, the fields, the values found in the record.
        told = re.sub(r"\S*[/$]\S*|'[^']*'|\bsomnet\b|\bextra\b", " ", result.stderr)
        assert sorted(set(ascii_words(told))) == [], result.stderr
    # A time zone this system does not know, and then cut short: in the language in use too.
    record.write_text(json.dumps({**json.loads(intact), "timezone": "Mars/Olympus_Mons"}))
    result = cli(capsys, f"meeting show {only} --lang xx --store {store}")
    assert result.exit_code == 2 and "$.timezone" in result.stderr, result
    told = re.sub(r"\S*[/$]\S*|\bsomnet\b|\b[A-Z][a-z]+/[A-Za-z_/]+", " ", result.stderr)
    assert sorted(set(ascii_words(told))) == [], result.stderr
    record.write_text('{"record_version": 3, "title": "half a rec')
    for command in (f"meeting show {only}", "meeting list"):
        result = cli(capsys, f"{command} --lang xx --store {store}")
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, (command, result)
        assert str(record) in result.stderr
        told = re.sub(r"\S*/\S*|\bsomnet\b|\bJSON\b", " ", result.stderr)
        assert sorted(set(ascii_words(told))) == [], result.stderr


def test_cli_a_record_whose_sequence_was_edited_back_is_refused_and_not_sent_or_rewritten(
    region: Directory,
    refusing: tuple[Refusing, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = refusing
    store = tmp_path / "store"
    send = f"--send smtp://127.0.0.1:{port}"
    only = _invite_into(store, capsys, "Only")
    assert cli(capsys, f"meeting update {only} --title Moved --store {store} {send}").exit_code == 0
    record = store / f"{only}.json"
    value = json.loads(record.read_text())
    assert value["sequence"] == 1
    # Edited back by hand: the next update would be a second SEQUENCE 1, which every
    # attendee's calendar holds already for the title Moved.
    value["sequence"] = 0
    record.write_text(json.dumps(value))
    edited = record.read_bytes()
    sent = len(inbox.envelopes)
    for command in (
        f"meeting update {only} --title Again --store {store} {send}",
        f"meeting cancel {only} --store {store} {send}",
        f"meeting show {only} --store {store}",
    ):
        result = cli(capsys, command)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, (command, result)
        assert result.stderr.startswith(f"somnet: {record}: not a meeting record"), result
        assert "$.sequence" in result.stderr and "$.history[1].sequence" in result.stderr
        assert "Traceback" not in result.stderr
    assert record.read_bytes() == edited and len(inbox.envelopes) == sent


def test_cli_an_smtp_server_that_cannot_be_reached_is_told_in_the_language_in_use(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from somnet import _i18n
    from tests.i18n_helpers import ascii_words, pseudo_catalog

    pseudo_catalog("xx", tmp_path / "locale")
    monkeypatch.setattr(_i18n, "LOCALE_DIR", str(tmp_path / "locale"))
    monkeypatch.setattr(_i18n, "_catalogs", {})
    result = cli(
        capsys,
        "meeting invite --lang xx --states BS,PA --start 2026-12-03T15:00Z --duration 1h "
        f"--title T --organizer o@example.org --store {tmp_path / 'store'} "
        f"--send smtp://127.0.0.1:{free_port()}",
    )
    assert result.exit_code == 1 and error_line(result.stderr).count("\n") == 1, result
    # What is not a message: addresses and domains, ids, the command to run, the protocol's
    # name (the warnings before the error line are messages too).
    told = re.sub(r"\S+@\S+|example\.org|\S*[/:]\S*|\b[0-9a-f-]{8,}\b", " ", result.stderr)
    told = re.sub(r"\b(somnet|meeting|resend|store|send|UID|SEQUENCE|SMTP)\b", " ", told)
    assert sorted(set(ascii_words(told))) == [], result.stderr


def test_cli_a_shared_mailbox_is_told_in_the_language_in_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from somnet import _i18n
    from tests.i18n_helpers import ascii_words, pseudo_catalog

    folder = write_region(tmp_path / "region")
    text = (folder / "states" / "HT.toml").read_text()
    (folder / "states" / "HT.toml").write_text(
        text.replace('value = "ht-focal@example.org"', 'value = "bs-focal@example.org"')
    )
    monkeypatch.setattr("somnet.directory.loading.shipped_data_dir", lambda: folder)
    pseudo_catalog("xx", tmp_path / "locale")
    monkeypatch.setattr(_i18n, "LOCALE_DIR", str(tmp_path / "locale"))
    monkeypatch.setattr(_i18n, "_catalogs", {})
    result = cli(
        capsys,
        "meeting invite --lang xx --states BS,HT --start 2026-12-03T15:00Z --duration 1h "
        f"--title T --organizer o@example.org --store {tmp_path / 'store'}",
    )
    assert result.exit_code == 0, result.stderr
    (line,) = [w for w in result.stderr.splitlines() if "bs-focal@example.org" in w]
    told = re.sub(r"\S+@\S+|\b(BS|HT|bs|ht|focal|somnet)\b", " ", line)
    assert sorted(set(ascii_words(told))) == []


def test_cli_someone_no_invitation_reached_is_told_of_once_when_uninvited(
    region: Directory,
    refusing: tuple[Refusing, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = refusing
    inbox.refuse = {"pa-focal@example.org"}
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port}"
    cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org {send}",
    )
    (meeting,) = MeetingStore(store).all()
    inbox.refuse = set()
    removed = cli(capsys, f"meeting update {meeting.id} --states BS {send}")
    assert removed.exit_code == 0 and "pa-focal@example.org" in removed.stderr
    later = cli(capsys, f"meeting update {meeting.id} --title Later {send}")
    assert later.exit_code == 0, later.stderr
    assert "pa-focal@example.org" not in later.stdout + later.stderr
    assert "pa-focal@example.org" not in inbox.received()


def test_cli_a_series_cancelled_into_a_folder_keeps_a_file_for_each_meeting(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, out = tmp_path / "store", tmp_path / "invites"
    assert cli(capsys, f"{SERIES} --store {store}").exit_code == 0
    first, second, _third = MeetingStore(store).all()
    # The first meeting is moved by hand to the day of the second, two hours earlier.
    moved = f"{second.start.replace(hour=second.start.hour - 2):%Y-%m-%dT%H:%MZ}"
    result = cli(capsys, f"meeting update {first.id} --start {moved} --store {store}")
    assert result.exit_code == 0, result.stderr
    result = cli(capsys, f"meeting cancel --series {first.series} --store {store} --out {out}")
    assert result.exit_code == 0, result.stderr
    uids = set()
    for path in out.iterdir():
        ours, _ = parse_both(path.read_bytes())
        uids |= {str(e["UID"]) for e in ours.walk("VEVENT")}
    assert uids == {m.uid for m in MeetingStore(store).all()}


def test_cli_an_invitation_a_killed_run_left_pending_still_gets_the_removal(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    smtp: tuple[Inbox, int],
) -> None:
    """An invitation a killed run left pending may have gone: a later run that a CalDAV
    failure stops before its e-mail must not count it as never sent, or the cancellation
    skips attendees whose calendars may show the meeting."""
    store = tmp_path / "store"
    command = (
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {store} --send smtp://127.0.0.1:{{port}}"
    )
    _kill_while_sending(tmp_path, command)
    (meeting,) = MeetingStore(store).all()
    inbox, good = smtp
    send = f"--store {store} --send smtp://127.0.0.1:{good}"
    # A calendar that cannot be reached stops the resend before any e-mail goes.
    result = cli(
        capsys,
        f"meeting resend {meeting.id} {send} --publish http://127.0.0.1:{free_port()}/cal/",
    )
    assert result.exit_code == 1, result.stderr
    assert not inbox.envelopes
    result = cli(capsys, f"meeting cancel {meeting.id} {send}")
    assert result.exit_code == 0, result.stderr
    assert sorted(r for e in inbox.envelopes for r in e.rcpt_tos) == [
        "bs-focal@example.org",
        "pa-focal@example.org",
    ]


def test_cli_resend_names_only_those_the_version_would_remove_as_never_reached(
    region: Directory,
    refusing: tuple[Refusing, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Someone no invitation reached, taken off the meeting, is no longer among those a later
    version is for: a resend finding nothing to send does not name them as its exception."""
    inbox, port = refusing
    inbox.refuse = {"pa-focal@example.org"}
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port}"
    result = cli(
        capsys,
        "meeting invite --states BS,PA,DO --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org {send}",
    )
    assert result.exit_code == 1
    (meeting,) = MeetingStore(store).all()
    inbox.refuse = set()
    assert cli(capsys, f"meeting update {meeting.id} --states BS,DO {send}").exit_code == 0
    assert cli(capsys, f"meeting update {meeting.id} --title U {send}").exit_code == 0
    (after,) = MeetingStore(store).all()
    assert not after.uninvited
    again = cli(capsys, f"meeting resend {meeting.id} {send}")
    assert "pa-focal@example.org" not in again.stdout + again.stderr, again


def test_cli_show_in_french_sets_the_deliveries_colons_as_french_does(
    region: Directory,
    refusing: tuple[Refusing, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # "CalDAV  délivré ... : http://...", "... via 127.0.0.1:N : 550 ...": the e-mail refused
    # with the server's reply and the calendar copy, each with the language's own colon.
    inbox, port = refusing
    inbox.refuse = {"pa-focal@example.org"}
    store = tmp_path / "store"
    command = (
        f"meeting invite {SEVEN} --start 2026-12-03T16:00Z --duration 90m --title T "
        f"--organizer unodc@example.org --store {store} --send smtp://127.0.0.1:{port} "
        f"--publish {calendar} --caldav-user {USER}"
    )
    assert cli(capsys, command).exit_code == 1
    (meeting,) = MeetingStore(store).all()
    shown = cli(capsys, f"meeting show {meeting.id} --store {store} --lang fr")
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    deliveries = [line for line in lines if line.startswith(("    CalDAV", "    courriel"))]
    assert any("CalDAV" in line for line in deliveries)
    assert any("550" in line for line in deliveries)
    assert [line for line in deliveries if re.search(r"\S: ", line)] == []


def test_cli_a_plan_for_one_participant_and_one_start_is_told_in_the_singular(
    region: Directory, capsys: pytest.CaptureFixture[str]
) -> None:
    # One desk (BS works 09:00-17:00), a meeting of its whole working day, on one day: one
    # possible start, one participant; each count takes its own plural, in every language.
    for language in ("en", "es", "fr"):
        result = cli(
            capsys,
            f"--lang {language} meeting plan --states BS --duration 8h --from 2026-12-02 "
            "--to 2026-12-02",
        )
        assert result.exit_code == 0, result.stderr
        head = result.stdout.splitlines()[0]
        assert not re.search(r"\b1 (participants|participantes|possible starts)\b", head), head
        assert not re.search(r"\b1 (inicios|débuts) possibles?\b", head), head
        several = cli(
            capsys,
            f"--lang {language} meeting plan --states BS,DO --duration 1h --from 2026-12-02 "
            "--to 2026-12-02",
        )
        assert re.search(r"\b2 particip", several.stdout.splitlines()[0]), several.stdout


@pytest.mark.parametrize("language", ["es", "fr"])
def test_cli_a_resumed_series_counts_one_meeting_sent_before_in_the_singular(
    language: str,
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flaky: tuple[Flaky, int],
) -> None:
    # The first run sends one meeting and records a second that fails; resumed, the series says
    # "1 sent before; 1 recorded before, sent where it was missing": it said "1 enviadas",
    # "1 registradas", "1 envoyées", "1 enregistrées".
    inbox, port = flaky
    store = tmp_path / "store"
    command = f"{SERIES} --store {store} --send smtp://127.0.0.1:{port}"
    assert cli(capsys, command).exit_code == 1
    (series,) = {m.series for m in MeetingStore(store).all()}
    inbox.accept = 10
    result = cli(capsys, f"--lang {language} {command} --resume {series}")
    assert result.exit_code == 0, result.stderr
    assert f"{series}" in result.stdout and "(1 " in result.stdout, result.stdout
    assert "sent before" not in result.stdout and "recorded before" not in result.stdout
    plural = r"\b1 (enviadas|registradas|envoyées|enregistrées)\b"
    assert not re.search(plural, result.stdout), result.stdout


@pytest.mark.parametrize("command", ["plan", "series", "invite"])
def test_every_from_date_of_the_meeting_commands_is_told_as_a_utc_date(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    # The dates of --from/--to are UTC dates for every meeting command (periods of a series
    # too), but `meeting series --help` said "first day", leaving whose day unsaid: at 23:30 in
    # Panama, 2027-01-04 begins in 30 minutes there and began 4 h 30 min ago in UTC.
    result = run(capsys, "meeting", command, "--help")
    assert result.exit_code == 0
    [line] = [x for x in result.stdout.splitlines() if x.strip().startswith("--from")]
    assert "UTC date" in line, result.stdout


def _option_help(text: str, option: str) -> str:
    """What ``--help`` says of ``option``: its lines up to the next option, joined."""
    lines = text.splitlines()
    start = next(i for i, x in enumerate(lines) if (x.strip() + " ").startswith(option + " "))
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith(" " * 10)), len(lines)
    )
    return " ".join(" ".join(lines[start:end]).split())


def test_series_help_says_when_a_month_or_quarter_from_a_month_end_begins(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A series every month from 31 January has a period from 28 February, then 31 March: the
    # rule kept every month, but `meeting series --help` said nothing of --every at all.
    result = run(capsys, "meeting", "series", "--help")
    assert result.exit_code == 0
    every = _option_help(result.stdout, "--every {week,month,quarter}")
    assert "last day" in every and "--from" in every, every


def test_the_start_of_invite_and_update_is_told_the_same_with_its_offset(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Both read --start one way (ISO 8601 with its UTC offset or Z; none is refused), but
    # `meeting update --help` said nothing of --start: a user who moves a meeting had to guess
    # whether 2026-12-04T10:00 is UTC, their own clock or the invite's zone.
    helps = []
    for command in ("invite", "update"):
        result = run(capsys, "meeting", command, "--help")
        assert result.exit_code == 0
        helps.append(_option_help(result.stdout, "--start START"))
    assert helps[0] == helps[1], helps
    assert "UTC offset" in helps[0] and "2026-12-03T15:00Z" in helps[0], helps[0]


@pytest.mark.parametrize(
    "command",
    [
        "invite --states BS,PA --duration 90m --start 2026-12-03T15:00 --title T "
        "--organizer o@example.org",
        "update 3f2a9c1e --start 2026-12-04T15:00",
    ],
)
def test_cli_a_start_without_offset_is_refused_naming_start(
    region: Directory, capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    # A meeting's participants keep several zones and none is the meeting's own: a start
    # without offset is not read in any of them, nor on the machine's clock (contact --at is,
    # in the one acting state's zone). Nothing is recorded.
    store = tmp_path / "store"
    result = cli(capsys, f"meeting {command} --store {store}")
    assert result.exit_code == 2
    assert result.stderr.startswith("somnet: --start: '2026-12-0"), result.stderr
    assert "has no UTC offset" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not store.exists() or not any(store.rglob("*.json"))


@pytest.mark.parametrize(
    "command",
    [
        "invite --states BS,PA --duration 90m --start 2026-12-03 --title T "
        "--organizer o@example.org",
        "update 3f2a9c1e --start 2026-12-04",
    ],
)
def test_cli_a_start_given_as_a_date_alone_is_refused_asking_for_a_time(
    region: Directory, capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    # A date alone was refused as a time without offset, told to "add the offset": but
    # 2026-12-03-05:00 is no start either, and the day is not the meeting's time.
    store = tmp_path / "store"
    result = cli(capsys, f"meeting {command} --store {store}")
    assert result.exit_code == 2
    assert result.stderr.startswith("somnet: --start: '2026-12-0"), result.stderr
    assert "is a date without a time" in result.stderr, result.stderr
    assert "T15:00Z" in result.stderr and "add the offset" not in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not store.exists() or not any(store.rglob("*.json"))


@pytest.mark.parametrize(
    ("start", "utc"),
    [
        ("9998-12-31T20:30-05:00", "9999-01-01 01:30 UTC"),
        ("1971-01-01T00:30+01:00", "1970-12-31 23:30 UTC"),
    ],
)
@pytest.mark.parametrize("command", ["invite", "update"])
def test_cli_a_start_whose_utc_year_is_out_of_range_is_refused_as_typed(
    region: Directory,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    command: str,
    start: str,
    utc: str,
) -> None:
    # The year of a start was read on its own clock when it was parsed (9998: in range) and
    # in UTC when it was checked (9999: out), and the refusal quoted '9999-01-01T01:30:00+00:00',
    # a time nobody typed. It now quotes what was typed and says what it is in UTC.
    store = tmp_path / "store"
    args = (
        "invite --states BS,PA --duration 90m --title T --organizer o@example.org"
        if command == "invite"
        else "update 3f2a9c1e"
    )
    result = cli(capsys, f"meeting {args} --start {start} --allow-past --store {store}")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"somnet: --start: '{start}' is {utc}"), result.stderr
    assert "outside the years 1971-9998" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not store.exists() or not any(store.rglob("*.json"))


# A record edited by hand is the user's input; one the system cannot read is the world's ---------


def _damage(record: Path, how: str) -> str:
    """Edit ``record`` by hand as ``how`` says; returns what the refusal must name in it."""
    if how == "broken-json":
        record.write_text('{"record_version": 3, "title": "half a rec')
        return "broken JSON at line 1"
    value = json.loads(record.read_text())
    if how == "wrong-field":
        value["duration"] = "an hour"
        where = "$.duration"
    elif how == "sequence-back":
        # Updated once, then its SEQUENCE edited back to what it was before.
        value["history"].append({**value["history"][-1], "action": "updated", "sequence": 1})
        where = "$.sequence"
    else:
        value["id"] = "0123abcd"
        where = "$.id"
    record.write_text(json.dumps(value))
    return where


@pytest.mark.parametrize("how", ["broken-json", "wrong-field", "sequence-back", "id-not-file"])
@pytest.mark.parametrize(
    "command",
    [
        "meeting list",
        "meeting show {id}",
        "meeting update {id} --title Again {send}",
        "meeting cancel {id} {send}",
        "meeting resend {id} {send}",
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title New "
        "--organizer o@example.org {send}",
        f"{SERIES} --resume {{series}} {{send}}",
        "meeting cancel --series {series} {send}",
    ],
    ids=["list", "show", "update", "cancel", "resend", "invite", "series-resume", "cancel-series"],
)
def test_cli_a_record_edited_by_hand_is_exit_2_naming_file_and_field_nothing_sent_or_written(
    region: Directory,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    how: str,
) -> None:
    inbox, port = smtp
    store = tmp_path / "store"
    send = f"--send smtp://127.0.0.1:{port}"
    result = cli(capsys, f"{SERIES} --store {store} {send}")
    assert result.exit_code == 0, result.stderr
    first, second, third = MeetingStore(store).all()
    record = MeetingStore(store).path(second.id)
    where = _damage(record, how)
    edited = record.read_bytes()
    files = sorted(p.name for p in store.iterdir())
    inbox.envelopes.clear()
    asked = command.format(id=second.id, series=second.series, send=send)
    result = cli(capsys, f"{asked} --store {store}")
    assert result.exit_code == 2, result
    assert result.stderr.startswith(f"somnet: {record}: not a meeting record"), result.stderr
    assert where in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert inbox.envelopes == [] and record.read_bytes() == edited
    assert sorted(p.name for p in store.iterdir()) == files
    if command == "meeting list":  # the others are listed
        assert [line.split()[0] for line in result.stdout.splitlines()] == [first.id, third.id]


@pytest.mark.parametrize(
    "command",
    [
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title New "
        "--organizer o@example.org",
        "meeting update {id} --title Again",
        "meeting cancel {id}",
        "meeting resend {id}",
        f"{SERIES} --resume {{series}}",
        "meeting cancel --series {series}",
    ],
    ids=["invite", "update", "cancel", "resend", "series-resume", "cancel-series"],
)
def test_cli_a_bad_out_is_named_before_a_damaged_record_by_every_command(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Two things to fix, each exit 2 and nothing written: every command names the --out just
    typed first, as invite did and as the other delivery flags are (update, cancel and resend
    named the record first), then the record once --out is right (a series' folder is not
    created for it: a resumed series made it before naming the record)."""
    store = tmp_path / "store"
    assert cli(capsys, f"{SERIES} --store {store}").exit_code == 0
    _first, second, _third = MeetingStore(store).all()
    record = MeetingStore(store).path(second.id)
    _damage(record, "broken-json")
    edited = record.read_bytes()
    files = sorted(p.name for p in store.iterdir())
    asked = command.format(id=second.id, series=second.series) + f" --store {store}"
    out = tmp_path / "missing" / "invites"
    result = cli(capsys, f"{asked} --out {out}")
    assert result.exit_code == 2, result
    assert result.stderr.startswith("somnet: --out: "), result.stderr
    assert result.stderr.count("\n") == 1 and str(record) not in result.stderr, result.stderr
    assert record.read_bytes() == edited and sorted(p.name for p in store.iterdir()) == files
    assert not out.parent.exists()
    # --out right, the record is named.
    result = cli(capsys, f"{asked} --out {tmp_path / 'invites'}")
    assert result.exit_code == 2, result
    assert result.stderr.startswith(f"somnet: {record}: not a meeting record"), result.stderr
    assert record.read_bytes() == edited and sorted(p.name for p in store.iterdir()) == files
    assert not (tmp_path / "invites").exists()


@pytest.mark.parametrize("how", ["broken-json", "wrong-field"])
@pytest.mark.parametrize(
    "command",
    [
        "meeting show {uid}",
        "meeting update {uid} --title Again {send}",
        "meeting cancel {uid} {send}",
        "meeting resend {uid} {send}",
    ],
    ids=["show", "update", "cancel", "resend"],
)
def test_cli_a_uid_whose_record_is_damaged_names_that_record_not_no_meeting(
    region: Directory,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    how: str,
) -> None:
    """Given by its UID, a meeting whose record cannot be read is not said to be missing: the
    record is named. Its UID still in it, it is that meeting's; cut short, the record named
    as the UID begins may be it (which cannot be told for sure), and the others are not."""
    inbox, port = smtp
    store = tmp_path / "store"
    send = f"--send smtp://127.0.0.1:{port}"
    assert cli(capsys, f"{SERIES} --store {store} {send}").exit_code == 0
    _first, second, third = MeetingStore(store).all()
    record = MeetingStore(store).path(second.id)
    where = _damage(record, how)
    _damage(MeetingStore(store).path(third.id), "broken-json")  # not named: not that UID's
    edited = record.read_bytes()
    inbox.envelopes.clear()
    result = cli(capsys, command.format(uid=second.uid, send=send) + f" --store {store}")
    assert result.exit_code == 2, result
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    if how == "wrong-field":
        assert result.stderr.startswith(f"somnet: {record}: not a meeting record"), result.stderr
    else:
        assert result.stderr == (
            f"somnet: meeting '{second.uid}' may be recorded in a file that cannot be read (named "
            "as its UID begins; no other record is that meeting): "
            f"{record}: not a meeting record (broken JSON at line 1, column 32)\n"
        )
    assert where in result.stderr and "no meeting with id" not in result.stderr
    assert inbox.envelopes == [] and record.read_bytes() == edited
    # A UID recorded nowhere is still no meeting, whatever records cannot be read.
    missing = cli(capsys, f"meeting show 0123abcd-0000-4000-8000-000000000000 --store {store}")
    assert missing.exit_code == 2
    assert missing.stderr.startswith("somnet: no meeting with id"), missing.stderr


def test_cli_a_folder_named_as_a_record_is_exit_2_naming_it(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Someone made a folder ``<id>.json`` in the store: it is theirs to move (exit 2), not
    a failure of the disk (exit 1); the meetings beside it are listed."""
    store = tmp_path / "store"
    assert cli(capsys, f"{SERIES} --store {store}").exit_code == 0
    first, second, third = MeetingStore(store).all()
    folder = store / "0123abcd.json"
    folder.mkdir()
    for command in ("meeting list", "meeting show 0123abcd"):
        result = cli(capsys, f"{command} --store {store}")
        assert result.exit_code == 2, result
        assert result.stderr == f"somnet: {folder}: not a meeting record (a folder, not a file)\n"
    listed = cli(capsys, f"meeting list --store {store}")
    assert [line.split()[0] for line in listed.stdout.splitlines()] == [
        first.id,
        second.id,
        third.id,
    ]


@pytest.mark.parametrize("leads", ["nowhere", "to-a-record"])
def test_cli_a_link_named_as_a_record_is_exit_2_naming_it(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str], leads: str
) -> None:
    """somnet records each meeting in a file of its own: a symbolic link ``<id>.json`` in the
    store is someone's doing, theirs to move (exit 2), whether it leads nowhere or to a record
    elsewhere (never followed: a new version, renamed over the link, would leave the record it
    leads to behind); the meetings beside it are listed."""
    store = tmp_path / "store"
    assert cli(capsys, f"{SERIES} --store {store}").exit_code == 0
    first, second, third = MeetingStore(store).all()
    link = store / "0123abcd.json"
    if leads == "nowhere":
        link.symlink_to(tmp_path / "gone.json")
        said = "a symbolic link that leads nowhere"
    else:
        # A record of the store, moved elsewhere and linked back.
        moved = tmp_path / "elsewhere" / f"{second.id}.json"
        moved.parent.mkdir()
        MeetingStore(store).path(second.id).rename(moved)
        link = MeetingStore(store).path(second.id)
        link.symlink_to(moved)
        said = "a symbolic link, not a file"
    for command in ("meeting list", f"meeting show {link.stem}"):
        result = cli(capsys, f"{command} --store {store}")
        assert result.exit_code == 2, result
        assert result.stderr == f"somnet: {link}: not a meeting record ({said})\n"
    listed = cli(capsys, f"meeting list --store {store}")
    shown = [line.split()[0] for line in listed.stdout.splitlines()]
    if leads == "nowhere":
        assert shown == [first.id, second.id, third.id]
    else:
        assert shown == [first.id, third.id]
    assert link.is_symlink()


@contextlib.contextmanager
def _no_waiting(seconds: int = 20) -> Iterator[None]:
    """Fail, rather than hang the suite, if the command waits (a named pipe read as a file
    waits for a writer for ever)."""
    import signal

    def waited(*_: object) -> None:
        raise AssertionError(f"the command waited more than {seconds} s")

    before = signal.signal(signal.SIGALRM, waited)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_cli_a_named_pipe_named_as_a_record_is_named_not_waited_on(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """somnet writes no named pipe: one named ``<id>.json`` in the store is someone's doing.
    Read as a file it would wait for a writer for ever (``meeting list`` hung): refused at
    once, exit 2 naming it, the meetings beside it listed; asked for by its name's UID, it is
    named as what it is."""
    store = tmp_path / "store"
    assert cli(capsys, f"{SERIES} --store {store}").exit_code == 0
    meetings = MeetingStore(store).all()
    pipe = store / "0123abcd.json"
    os.mkfifo(pipe)
    with _no_waiting():
        listed = cli(capsys, f"meeting list --store {store}")
        shown = cli(capsys, f"meeting show {pipe.stem} --store {store}")
    assert listed.exit_code == 2, listed
    assert listed.stderr == f"somnet: {pipe}: not a meeting record (not a regular file)\n"
    assert [line.split()[0] for line in listed.stdout.splitlines()] == [m.id for m in meetings]
    assert shown.exit_code == 2, shown
    assert shown.stderr == f"somnet: {pipe}: not a meeting record (not a regular file)\n"


NEW_INVITE = (
    "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title New "
    "--organizer o@example.org"
)
NEW_SERIES = SERIES.replace("'Monthly coordination'", "'Another series'")


@pytest.mark.parametrize("command", [NEW_INVITE, NEW_SERIES], ids=["invite", "series"])
def test_cli_a_new_invite_names_every_record_that_cannot_be_read_in_one_go(
    region: Directory,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    """Any of them may record this very invite: each is named, so that the organiser repairs
    the store in one go, and nothing is sent."""
    inbox, port = smtp
    store = tmp_path / "store"
    send = f"--send smtp://127.0.0.1:{port}"
    assert cli(capsys, f"{SERIES} --store {store} {send}").exit_code == 0
    first, _second, third = MeetingStore(store).all()
    records = sorted(MeetingStore(store).path(m.id) for m in (first, third))  # as listed
    for record in records:
        _damage(record, "broken-json")
    files = sorted(p.name for p in store.iterdir())
    inbox.envelopes.clear()
    result = cli(capsys, f"{command} --store {store} {send}")
    assert result.exit_code == 2, result
    assert "Traceback" not in result.stderr
    refusal = result.stderr.splitlines()[-1]
    assert refusal.startswith(f"somnet: 2 records cannot be read: {records[0]}: "), refusal
    for record in records:
        assert f"{record}: not a meeting record (broken JSON at line 1" in refusal
    assert refusal.endswith(
        "; any of them may record this very invite, so nothing was sent: repair them, or "
        f"move them out of {store}"
    ), refusal
    assert inbox.envelopes == [] and sorted(p.name for p in store.iterdir()) == files


@pytest.mark.parametrize("command", [NEW_INVITE, NEW_SERIES], ids=["invite", "series"])
@pytest.mark.parametrize("entry", ["folder", "link-to-nowhere", "fifo"])
def test_cli_a_folder_or_dead_link_named_as_a_record_does_not_block_a_new_invite(
    region: Directory,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    entry: str,
) -> None:
    """somnet writes no folder and no link: such an entry cannot record this very invite (nor
    any meeting), so the invite is sent; the entry is left as it is, for the organiser to
    move (``meeting list`` names it)."""
    inbox, port = smtp
    store = tmp_path / "store"
    send = f"--send smtp://127.0.0.1:{port}"
    assert cli(capsys, f"{SERIES} --store {store} {send}").exit_code == 0
    odd = store / "0123abcd.json"
    if entry == "folder":
        odd.mkdir()
    elif entry == "fifo":
        os.mkfifo(odd)  # read as a file, it would wait for a writer for ever
    else:
        odd.symlink_to(tmp_path / "gone.json")
    inbox.envelopes.clear()
    with _no_waiting():
        result = cli(capsys, f"{command} --store {store} {send}")
    assert result.exit_code == 0, result
    assert "may record this very invite" not in result.stdout + result.stderr
    if command == NEW_SERIES:  # told as it is, and as nothing the ledger left out
        said = {
            "folder": "a folder, not a file",
            "fifo": "not a regular file",
            "link-to-nowhere": "a symbolic link that leads nowhere",
        }[entry]
        assert result.stderr == f"warning: {odd}: not a meeting record ({said})\n"
    assert inbox.envelopes
    if entry == "fifo":
        import stat

        assert stat.S_ISFIFO(os.lstat(odd).st_mode)
    else:
        assert odd.is_dir() if entry == "folder" else odd.is_symlink()
    assert len(MeetingStore(store).all()) == (4 if command == NEW_INVITE else 6)


def test_cli_a_record_the_system_cannot_read_is_exit_1_and_list_says_so_among_damaged_ones(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not the user's input but the world's: a permission (faked: the tests may run as root,
    who reads every file), a disk. Listed with a damaged record, the world's failure sets
    the status: running again may be what it takes."""
    import errno

    store = tmp_path / "store"
    assert cli(capsys, f"{SERIES} --store {store}").exit_code == 0
    first, second, third = MeetingStore(store).all()
    unreadable = MeetingStore(store).path(first.id)
    from somnet.meetings import store as store_module

    read_regular = store_module.read_regular

    def refusing(path: Path, *args: Any, **kwargs: Any) -> bytes:
        if Path(path) == unreadable:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return read_regular(path, *args, **kwargs)

    monkeypatch.setattr(store_module, "read_regular", refusing)
    for command in (f"meeting show {first.id}", f"meeting cancel --series {first.series}"):
        result = cli(capsys, f"{command} --store {store}")
        assert result.exit_code == 1, result
        assert result.stderr.startswith(f"somnet: {unreadable}: cannot read: Permission denied")
        assert result.stderr.count("\n") == 1
    listed = cli(capsys, f"meeting list --store {store}")
    assert listed.exit_code == 1 and listed.stderr.count("\n") == 1, listed
    _damage(MeetingStore(store).path(second.id), "wrong-field")
    listed = cli(capsys, f"meeting list --store {store}")
    assert listed.exit_code == 1 and listed.stderr.count("\n") == 2, listed
    assert [line.split()[0] for line in listed.stdout.splitlines()] == [third.id]


def test_cli_carnival_days_are_told_as_days_offices_close_in_table_and_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Trinidad and Tobago's offices close on Carnival Monday and Tuesday, which are no public
    # holidays: the plan listed them under "Public holidays in the window" and the reason said
    # "has public holidays (2027-02-08 Carnival Monday)", in the table and in JSON.
    plan = "meeting plan --states TT --duration 1h --count 1"
    result = cli(capsys, f"{plan} --from 2027-02-08 --to 2027-02-10")
    assert result.exit_code == 0, result.stderr
    assert "Public holidays" not in result.stdout
    assert "Days offices close in the window (no meeting on them):" in result.stdout
    result = cli(capsys, f"{plan} --from 2027-02-08 --to 2027-02-10 --format json")
    assert result.exit_code == 0, result.stderr
    holidays = json.loads(result.stdout)["holidays"]
    assert [(h["date"], h["name"]) for h in holidays] == [
        ("2027-02-08", "Carnival Monday"),
        ("2027-02-09", "Carnival Tuesday"),
    ]
    reason = (
        "TT tt-mns-desk has days their offices close (2027-02-08 Carnival Monday, 2027-02-09 "
        "Carnival Tuesday) and no other 1h within their working hours"
    )
    result = cli(capsys, f"{plan} --from 2027-02-08 --to 2027-02-09")
    assert result.exit_code == 2
    assert reason in result.stderr and "public holiday" not in result.stderr, result.stderr
    result = cli(capsys, f"{plan} --from 2027-02-08 --to 2027-02-09 --format json")
    assert result.exit_code == 2
    [told] = json.loads(result.stdout)["reasons"]
    assert told.startswith(reason), told
    # A public holiday alone keeps its heading.
    result = cli(capsys, f"{plan} --from 2027-01-01 --to 2027-01-04")
    assert result.exit_code == 0, result.stderr
    assert "Public holidays in the window (no meeting on them):" in result.stdout


def test_cli_a_territorys_holiday_that_moves_a_slot_names_whose_calendar_it_is(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # On the shipped directory, Puerto Rico's Coast Guard sector is a US participant that
    # keeps Puerto Rico's public holidays: Emancipation Day (22 March) is no US federal
    # holiday, so "US us-uscg-sector-sanjuan-desk ... Emancipation Day" left the reader
    # wondering why the day was ruled out. Each place a holiday is named says it is PR's.
    plan = "meeting plan --states PR,BS --duration 1h --count 1"
    result = cli(capsys, f"{plan} --from 2027-03-22 --to 2027-03-23")
    assert result.exit_code == 0, result.stderr
    assert "Tue 2027-03-23" in result.stdout  # moved off the holiday
    [line] = [x for x in result.stdout.splitlines() if "Emancipation Day" in x]
    assert line.split() == [
        "US",
        "us-uscg-sector-sanjuan-desk",
        "Mon",
        "2027-03-22",
        "Emancipation",
        "Day",
        "in",
        "PR",
    ]
    result = cli(capsys, f"{plan} --from 2027-03-22 --to 2027-03-22")
    assert result.exit_code == 2
    assert "(2027-03-22 Emancipation Day in PR)" in result.stderr, result.stderr
    result = cli(
        capsys,
        "meeting invite --states PR,BS --duration 1h --start 2027-03-22T15:00Z --title T "
        f"--organizer o@example.org --store {tmp_path / 'store'}",
    )
    assert result.exit_code == 0, result.stderr
    assert "is a public holiday (Emancipation Day in PR)" in result.stderr, result.stderr
    # A participant who keeps their own state's calendar is not told whose it is.
    result = cli(
        capsys, "meeting plan --states PA,BS --duration 1h --from 2026-12-08 --to 2026-12-09"
    )
    [line] = [x for x in result.stdout.splitlines() if "Mother's Day" in x]
    assert line.endswith("Mother's Day"), line


@pytest.mark.parametrize(
    ("language", "named"),
    [
        ("es", "Emancipation Day (calendario de PR)"),
        ("fr", "Emancipation Day (calendrier de PR)"),
    ],
)
def test_cli_whose_calendar_a_holiday_is_from_is_said_in_the_language_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, language: str, named: str
) -> None:
    # "Emancipation Day in PR" was said in English in a Spanish or French plan, refusal and
    # invite warning alike: the words were flattened into text before they were translated.
    plan = f"--lang {language} meeting plan --states PR,BS --duration 1h --count 1"
    result = cli(capsys, f"{plan} --from 2027-03-22 --to 2027-03-23")
    assert result.exit_code == 0, result.stderr
    [line] = [x for x in result.stdout.splitlines() if "Emancipation Day" in x]
    assert line.endswith(named), line
    result = cli(capsys, f"{plan} --from 2027-03-22 --to 2027-03-22")
    assert result.exit_code == 2
    assert "in PR" not in result.stderr and f"2027-03-22 {named}" in result.stderr, result.stderr
    result = cli(
        capsys,
        f"--lang {language} meeting invite --states PR,BS --duration 1h "
        "--start 2027-03-22T15:00Z --title T "
        f"--organizer o@example.org --store {tmp_path / 'store'}",
    )
    assert result.exit_code == 0, result.stderr
    assert "in PR" not in result.stderr and f"({named})" in result.stderr, result.stderr


def test_cli_the_same_invite_run_twice_at_once_is_sent_once(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    smtp: tuple[Inbox, int],
) -> None:
    """Two runs of the same invite at once (a cron job and a person): the second, started
    while the first holds the store and its message is with the server, sends nothing and
    says another command is sending (exit 1); the first ends; the invite run again after
    finds the meeting it made (whose message the first run's server refused, 451), so each
    attendee is sent one invitation."""
    inbox, port = smtp
    store = tmp_path / "store"
    command = (
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {store} --send smtp://127.0.0.1:{{port}}"
    )
    with _held_while_sending(tmp_path, command):
        second = cli(capsys, command.format(port=port))
    assert second.exit_code == 1, second.stderr
    assert "another somnet command is recording and sending meetings" in second.stderr
    assert inbox.envelopes == []
    (meeting,) = MeetingStore(store).all()
    again = cli(capsys, command.format(port=port))
    assert again.exit_code == 0, again.stderr
    assert MeetingStore(store).all() == [MeetingStore(store).get(meeting.id)]
    assert sorted(r for e in inbox.envelopes for r in e.rcpt_tos) == [
        "bs-focal@example.org",
        "pa-focal@example.org",
    ]


def test_cli_an_smtp_server_that_never_answers_ends_the_invite_at_the_timeout(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    smtp: tuple[Inbox, int],
    silent_server: Silent,
) -> None:
    """A server that takes the connection and never says a word: the invite ends at
    --timeout, exit 1, one line saying so and that nothing was delivered; the meeting is
    recorded, and a resend to a server that answers sends it once."""
    inbox, port = smtp
    store = tmp_path / "store"
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {store} --timeout 0.3 "
        f"--send smtp://127.0.0.1:{silent_server.port}",
    )
    assert result.exit_code == 1, result.stderr
    (meeting,) = MeetingStore(store).all()
    assert error_line(result.stderr) == (
        f"somnet: SMTP server 127.0.0.1:{silent_server.port} did not answer within 0.3 s; "
        "nothing was delivered; not delivered: e-mail to bs-focal@example.org, "
        f"pa-focal@example.org; meeting {meeting.id} is recorded (UID {meeting.uid}, "
        f"SEQUENCE 0); to deliver the rest, run: somnet meeting resend {meeting.id} --store "
        f"{store} --send smtp://127.0.0.1:{silent_server.port} --timeout 0.3 (or the same "
        "command again)\n"
    )
    assert {d.state for d in meeting.deliveries} == {"failed"}
    resent = cli(
        capsys, f"meeting resend {meeting.id} --store {store} --send smtp://127.0.0.1:{port}"
    )
    assert resent.exit_code == 0, resent.stderr
    assert sorted(r for e in inbox.envelopes for r in e.rcpt_tos) == [
        "bs-focal@example.org",
        "pa-focal@example.org",
    ]


def test_a_store_whose_name_is_not_utf8_is_said_in_json_as_a_script_can_find_it(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A store folder named in another encoding (a Latin-1 shell's "réunions") is used, as
    it is in the text output; its JSON said where the record is with a traceback, after the
    meeting was recorded. The name is written as JSON escapes it (``\\udce9``), from which
    Python's ``os.fsencode`` gives back the folder's very bytes."""
    store = Path(os.fsdecode(bytes(tmp_path) + b"/r\xe9unions"))
    result = run(capsys, *shlex.split(INVITE), "--store", str(store), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "\\udce9" in result.stdout
    record = Path(json.loads(result.stdout)["record"])
    assert os.fsencode(record.parent) == bytes(tmp_path) + b"/r\xe9unions"
    assert record.is_file()


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (
            ["meeting", "invite", *shlex.split(INVITE)[2:], "--send", "smtp://127.0.0.1:0"],
            "le port 0 n'est pas compris entre 1 et 65535",
        ),
        (
            ["meeting", "invite", *shlex.split(INVITE)[2:], "--publish", "https://h/r\udce9/"],
            "il contient un octet qui n'est pas du texte UTF-8",
        ),
        (
            ["directory", "sync", "https://127.0.0.1:0/somnet/", "--trust", "/dev/null"],
            "le port 0 n'est pas compris entre 1 et 65535",
        ),
        (
            ["directory", "sync", "https://h/r\udce9/", "--trust", "/dev/null"],
            "il contient un octet qui n'est pas du texte UTF-8",
        ),
    ],
    ids=["send-port", "publish-bytes", "sync-port", "sync-bytes"],
)
def test_why_an_address_is_refused_is_told_in_the_language_in_use(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    words: list[str],
    said: str,
) -> None:
    """Why an address is refused (port 0, a byte that is not UTF-8) was told in English in
    a French sentence: the reason went through a ValueError, whose text is the English."""
    sys.stderr.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    kept = ["--cache", str(tmp_path / "sync")] if words[0] == "directory" else []
    kept = kept or ["--store", str(tmp_path / "store")]
    result = run(capsys, "--lang", "fr", *words, *kept)
    assert result.exit_code == 2, result.stderr
    assert said in result.stderr, result.stderr
    assert "is not one" not in result.stderr and "holds a byte" not in result.stderr


@pytest.mark.parametrize("where", ["SOMNET_DATA_HOME", "XDG_DATA_HOME", "default"])
@pytest.mark.parametrize(
    "command",
    [
        "list",
        "show abc",
        "invite --states BS,PA --start 2030-01-08T15:00Z --duration 90m --title T "
        "--organizer o@example.org",
        "update abc --title New",
        "cancel abc",
        "resend abc",
    ],
    ids=["list", "show", "invite", "update", "cancel", "resend"],
)
def test_cli_a_default_store_refused_names_what_moves_it_not_store(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    command: str,
) -> None:
    """The default store (``meetings`` in the data home) a file: the refusal was labelled
    ``--store``, which the user never typed. It names the variable that set the folder, else
    says it is the default store and what moves it; --store typed is still named."""
    if where == "SOMNET_DATA_HOME":
        home = Path(os.environ["SOMNET_DATA_HOME"])
        store = home / "meetings"
    else:
        monkeypatch.delenv("SOMNET_DATA_HOME")
        if where == "XDG_DATA_HOME":
            monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
        else:
            monkeypatch.delenv("XDG_DATA_HOME", raising=False)
            monkeypatch.setenv("HOME", str(tmp_path / "user"))
        store = somnet.MeetingStore().root
        assert store.is_relative_to(tmp_path), store
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text("mine\n")
    result = cli(capsys, f"meeting {command}")
    assert result.exit_code == 2 and result.stdout == ""
    refusal = f"{store} is not a meeting store: it is a file, not a folder"
    if where == "default":
        assert result.stderr == (
            f"somnet: {refusal}; this is the default meeting store (SOMNET_DATA_HOME moves it)\n"
        )
    else:
        assert result.stderr == f"somnet: {where}: {refusal}\n"
    assert store.read_text() == "mine\n"
    typed = cli(capsys, f"meeting {command} --store {store}")
    assert typed.exit_code == 2
    assert typed.stderr == f"somnet: --store: {refusal}\n"


@pytest.mark.parametrize(
    ("duration", "pick", "reason"),
    [("7h", 2, "--pick: 2: only 1 slot fits"), ("6h", 9, "--pick: 9: only 5 slots fit")],
)
def test_cli_invite_picking_past_the_slots_that_fit_counts_them_in_words_that_fit(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    duration: str,
    pick: int,
    reason: str,
) -> None:
    """One slot fit the window, and --pick 2 said "only 1 slots fit": the count chooses the
    words."""
    result = cli(
        capsys,
        f"meeting invite --states BS,PA --from 2026-12-24 --to 2026-12-24 --pick {pick} "
        f"--duration {duration} --title T --organizer o@example.org --store {tmp_path / 'store'}",
    )
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"somnet: {reason}\n"
    assert not (tmp_path / "store").exists()


def test_cli_invite_picking_a_meeting_longer_than_anyones_working_day_names_each_of_them(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """9 hours, longer than the working day of Nassau (8 hours) and of Panama: refused as a plan
    is, naming the hours of each, and nothing recorded."""
    window = "--states BS,PA --from 2026-12-01 --to 2026-12-04 --duration 9h"
    result = cli(
        capsys,
        f"meeting invite {window} --pick 1 --title T --organizer o@example.org "
        f"--store {tmp_path / 'store'}",
    )
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "somnet: no 9h slot suits everyone from 2026-12-01 to 2026-12-04 (UTC dates): "
        "BS bs-focal has no 9h within their working hours (Mo-Fr 09:00-17:00, America/Nassau) "
        "in the window; PA pa-focal has no 9h within their working hours (Mo-Fr 08:00-16:00, "
        "America/Panama) in the window\n"
    )
    assert not (tmp_path / "store").exists()
    planned = cli(capsys, f"meeting plan {window}")
    assert planned.exit_code == 2 and planned.stderr == result.stderr


CHRISTMAS_PLAN = "meeting plan --states MX,BS,DO,CU,JM,HT --duration 1h"


@pytest.mark.parametrize(
    ("language", "named"),
    [
        (
            "es",
            {
                "MX mx-sre-desk": "Navidad",
                "DO do-mirex-desk": "Día de Navidad",
                "CU cu-minrex-desk": "Día de Navidad",
                "HT ht-maec-desk": "Navidad",
                "BS bs-mofa-desk": "Christmas Day",
                "JM jm-mfaft-desk": "Christmas Day",
            },
        ),
        (
            "fr",
            {
                "HT ht-maec-desk": "Noël",
                "MX mx-sre-desk": "Christmas Day",
                "DO do-mirex-desk": "Christmas Day",
                "BS bs-mofa-desk": "Christmas Day",
            },
        ),
    ],
)
def test_cli_a_holiday_is_named_in_the_language_of_the_text_where_python_holidays_has_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, language: str, named: dict[str, str]
) -> None:
    # A Spanish plan said "Christmas Day" of Mexico's 25 December, a French one of Haiti's:
    # python-holidays' names were always taken in English. A state python-holidays has no
    # names of in the language keeps English.
    plan = f"--lang {language} {CHRISTMAS_PLAN}"
    result = cli(capsys, f"{plan} --from 2026-12-24 --to 2026-12-28")
    assert result.exit_code == 0, result.stderr
    lines = [x.strip() for x in result.stdout.splitlines() if "2026-12-25" in x]
    for label, name in named.items():
        [line] = [x for x in lines if x.startswith(f"{label} ")]
        assert line.endswith(f"2026-12-25  {name}"), line
    # When nothing fits, the refusal names them so too.
    result = cli(capsys, f"{plan} --from 2026-12-25 --to 2026-12-25")
    assert result.exit_code == 2
    for name in named.values():
        assert f"2026-12-25 {name}" in result.stderr, result.stderr
    # And an invite at a time chosen by hand warns of them so.
    result = cli(
        capsys,
        f"--lang {language} meeting invite --states MX,BS,DO,HT --duration 1h "
        "--start 2026-12-25T17:00Z --title T "
        f"--organizer o@example.org --store {tmp_path / 'store'}",
    )
    assert result.exit_code == 0, result.stderr
    for label in ("MX", "DO", "HT", "BS"):
        [name] = [n for key, n in named.items() if key.startswith(f"{label} ")]
        assert f"({name})" in result.stderr, result.stderr


def test_cli_a_holiday_in_json_keeps_its_english_name_in_every_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # JSON is the same whatever the language of text output: scripts compare the names.
    answers = [
        json.loads(
            cli(
                capsys,
                f"--lang {language} {CHRISTMAS_PLAN} --from 2026-12-24 --to 2026-12-28 "
                "--format json",
            ).stdout
        )
        for language in ("en", "es", "fr")
    ]
    assert answers[0] == answers[1] == answers[2]
    named = {(h["state"], h["date"]): h["name"] for h in answers[0]["holidays"]}
    assert named[("MX", "2026-12-25")] == named[("HT", "2026-12-25")] == "Christmas Day"
    invites = [
        json.loads(
            cli(
                capsys,
                f"--lang {language} meeting invite --states MX,HT --duration 1h "
                "--start 2026-12-25T17:00Z --title T --organizer o@example.org "
                f"--store {tmp_path / language} --format json",
            ).stdout
        )["warnings"]
        for language in ("en", "es", "fr")
    ]
    assert invites[0] == invites[1] == invites[2]
    assert len([w for w in invites[0] if "public holiday (Christmas Day)" in w]) == 2


@pytest.mark.parametrize(
    ("flag", "url", "char"),
    [
        ("--publish", "https://cal\tdav.example/x/", "\t"),
        ("--publish", "https://officer:s3cret@cal\ndav.example/x/", "\n"),
        ("--publish", "https://127.0.0.1/x\r/", "\r"),
        ("--publish", "https://127.0.0.1/x/\x7f", "\x7f"),
        ("--publish", "https://dav.example\u2028org/cal/", "\u2028"),
        ("--send", "smtp://mail\t.example.org:25", "\t"),
        ("--send", "smtps://officer:s3cret@127.0.0.1:4\n65", "\n"),
    ],
    ids=[
        "tab-host",
        "newline-host-password",
        "cr-path",
        "del",
        "line-separator",
        "smtp-tab",
        "smtp-port",
    ],
)
def test_cli_a_server_address_holding_a_control_character_is_refused_before_anything_is_recorded(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    flag: str,
    url: str,
    char: str,
) -> None:
    """urllib drops a tab, a carriage return or a line feed wherever it is in a URL (as
    browsers do): ``https://cal\\tdav.example/`` was published to ``caldav.example``, a server
    the officer never named. An address holding any control character, or a blank other than
    the space, is refused naming the flag, the password never shown, exit 2, nothing
    recorded."""
    monkeypatch.setenv("SOMNET_CALDAV_PASSWORD", "x")
    store = tmp_path / "store"
    result = run(capsys, *shlex.split(INVITE), "--store", str(store), flag, url)
    assert result.exit_code == 2, result.stderr
    shown = url.replace("officer:s3cret@", "")
    assert result.stderr == (
        f"somnet: {flag}: {shown!r} is not a valid address: it holds {char!r}, a control or "
        "blank character, which no URL may hold\n"
    )
    assert not store.exists()


def test_cli_a_caldav_user_other_than_the_addresss_is_refused_before_anything_is_recorded(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--publish https://alice@cal.example/c/ --caldav-user bob``: the address's user was
    dropped without a word for bob's login. Which is meant cannot be told: refused naming
    --caldav-user, exit 2, nothing recorded."""
    store = tmp_path / "store"
    result = run(
        capsys, *shlex.split(INVITE), "--store", str(store),
        "--publish", "https://alice@cal.example/c/", "--caldav-user", "bob",
    )  # fmt: skip
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        "somnet: --caldav-user: the calendar's address names the user alice, and the user bob "
        "is given too: give one of them\n"
    )
    assert not store.exists()


def test_cli_a_caldav_user_with_a_colon_is_refused_before_anything_is_recorded(
    region: Directory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--caldav-user duty:desk``: HTTP Basic would send ``duty:desk:password``, which the
    server splits at the first colon. Refused naming the flag, exit 2, nothing recorded."""
    store = tmp_path / "store"
    result = cli(
        capsys,
        f"{INVITE} --store {store} --publish http://127.0.0.1:1/cal/ --caldav-user duty:desk",
    )
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        "somnet: --caldav-user: 'duty:desk': a user name for an HTTP login cannot hold a colon "
        "(RFC 7617): the server would read what follows it as the password\n"
    )
    assert not store.exists() or not any(store.rglob("*.json"))


def test_cli_a_series_cancel_stopped_by_a_calendar_copy_changed_there_says_how_to_go_on(
    region: Directory,
    smtp: tuple[Inbox, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Cancelling a series whose first event someone changed on the calendar stops there
    (nothing of theirs is removed without --force). The same command again would stop there
    again: the error says to give --force, and with it the series is cancelled."""
    inbox, port = smtp
    store = tmp_path / "store"
    send = f"--send smtp://127.0.0.1:{port} --caldav-user {USER} --store {store}"
    result = cli(capsys, f"{SERIES} {send} --publish {calendar}")
    assert result.exit_code == 0, result.stderr
    first, *_rest = MeetingStore(store).all()
    assert first.publication is not None
    url = first.publication.url
    changed = _get(url).content.replace(b"SUMMARY:", b"SUMMARY:Moved by the host - ")
    put = httpx.put(
        url,
        content=changed,
        headers={"Content-Type": "text/calendar"},
        auth=(USER, ""),
        timeout=5,
    )
    assert put.is_success, put.text
    inbox.envelopes.clear()
    cancel = f"meeting cancel --series {first.series} {send} --publish"
    result = cli(capsys, cancel)
    assert result.exit_code == 1, result.stderr
    said = error_line(result.stderr)
    assert "was changed on the server" in said and "--force" in said, said
    assert not inbox.envelopes
    result = cli(capsys, f"{cancel} --force")
    assert result.exit_code == 0, result.stderr
    assert len(inbox.envelopes) == 3  # one CANCEL each, none twice
    assert {m.status for m in MeetingStore(store).all()} == {"CANCELLED"}
    assert _get(url).status_code == 404


def test_cli_a_series_invite_stopped_by_a_calendar_copy_there_says_to_resume_with_force(
    region: Directory,
    smtp: tuple[Inbox, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The calendar already holds, at the second occurrence's address, an event with its UID
    that is not this version (put there by a killed run and edited since, or by a client): the
    series stops there, nothing of it overwritten. "--resume" alone would stop there again for
    ever: the error says to add --force, and with both the rest is sent, none twice."""
    known = ["5e21e5", "occurrence-one", "occurrence-two", "occurrence-three"]
    uids = itertools.chain(known, (uuid.uuid4().hex for _ in itertools.count()))
    real = somnet.invite_series

    def with_known_uids(*args: Any, **kwargs: Any) -> Any:
        return real(*args, **{**kwargs, "uid_factory": lambda: next(uids)})

    monkeypatch.setattr(somnet, "invite_series", with_known_uids)
    theirs = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//another client//EN\r\nBEGIN:VEVENT\r\n"
        "UID:occurrence-two\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:20270201T150000Z\r\n"
        "DURATION:PT1H\r\nSUMMARY:Moved by the host\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    put = httpx.put(
        f"{calendar}occurrence-two.ics",
        content=theirs,
        headers={"Content-Type": "text/calendar"},
        auth=(USER, ""),
        timeout=5,
    )
    assert put.is_success, put.text
    inbox, port = smtp
    store = tmp_path / "store"
    send = f"--send smtp://127.0.0.1:{port} --caldav-user {USER} --store {store}"
    result = cli(capsys, f"{SERIES} {send} --publish {calendar}")
    assert result.exit_code == 1, result.stderr
    said = " ".join(result.stderr.split())
    assert "already holds an event with this meeting's UID" in said, said
    series = next(iter({m.series for m in MeetingStore(store).all()}))
    assert f"--resume {series} --force" in said, said
    assert b"Moved by the host" in _get(f"{calendar}occurrence-two.ics").content
    sent_before = len(inbox.envelopes)
    result = cli(capsys, f"{SERIES} {send} --publish {calendar} --resume {series} --force")
    assert result.exit_code == 0, result.stderr
    records = MeetingStore(store).all()
    assert len(records) == 3 and all(m.publication is not None for m in records)
    assert b"Moved by the host" not in _get(f"{calendar}occurrence-two.ics").content
    # The first occurrence's invitations are not sent again.
    first_uids = [
        e for e in inbox.envelopes[sent_before:] if b"occurrence-one" in (e.original_content or b"")
    ]
    assert first_uids == []


def test_an_invite_on_a_day_offices_close_by_a_decree_of_most_years_warns_of_it(
    region: Directory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A plan warned of a slot in Panama on 4 November (National Symbols Day: offices closed
    by a decree in most years); an invite at that time, given by hand, went without a word,
    where one on a public holiday or on Trinidad's Carnival is warned of."""
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2027-11-04T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {tmp_path / 'store'} --out {tmp_path / 'x.ics'}",
    )
    assert result.exit_code == 0, result.stderr
    assert (
        "2027-11-04 is National Symbols Day in PA, no public holiday, but its public offices "
        "are closed on it by a decree in most years: confirm the date with them"
    ) in result.stderr, result.stderr
