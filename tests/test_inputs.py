"""Reading what a meeting request is given as text: durations, dates, instants, whole numbers
and timeouts; each error names its field."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest

from somnet import (
    MeetingError,
    parse_date,
    parse_duration,
    parse_instant,
    parse_timeout,
    parse_whole,
)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90m", 90),
        ("1h30m", 90),
        ("1h30", 90),
        ("2h", 120),
        ("PT1H30M", 90),
        ("45min", 45),
        ("24h", 1440),
    ],
)
def test_durations_are_read_in_hours_and_minutes(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "90", "0m", "-5m", "ninety", "1.5h", "25h", "m", "1h-30m"])
def test_bad_durations_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(MeetingError) as raised:
        parse_duration(text)
    assert (raised.value.field, raised.value.value) == ("duration", text)
    with pytest.raises(MeetingError) as raised:
        parse_duration(text, field="step")
    assert raised.value.field == "step"


@pytest.mark.parametrize("text", ["1h90", "1h90m", "PT1H90M", "1h60", "0h90m", "2h75min"])
def test_minutes_beside_hours_above_59_are_refused(text: str) -> None:
    # 1h90 read as 150 minutes: a typo for 1h30 (or 1h09) planned a meeting an hour long
    # more than meant. 90m alone, with no hours, is still 90 minutes.
    for field in ("duration", "step"):
        with pytest.raises(MeetingError, match="minutes beside hours must be 0 to 59") as raised:
            parse_duration(text, field=field)
        assert (raised.value.field, raised.value.value) == (field, text)
    assert parse_duration("90m") == 90
    assert parse_duration("1h59") == 119
    assert parse_duration("1h0m") == 60


@pytest.mark.parametrize(
    "text", ["2026-12-03T10:00-05:90", "2026-12-03T10:00-0590", "2026-12-03T10:00:00.5+05:75"]
)
def test_an_offset_with_minutes_above_59_is_refused(text: str) -> None:
    # Python reads -05:90 as -06:30: a typo for -05:00 (or -05:30) moved the meeting an hour.
    with pytest.raises(MeetingError, match="minutes of its UTC offset must be 0 to 59") as raised:
        parse_instant(text)
    assert (raised.value.field, raised.value.value) == ("start", text)
    assert parse_instant("2026-12-03T10:00-05:30") == datetime(2026, 12, 3, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["1h0m0", "1h30m30", "25:00", "1:30"])
def test_durations_with_a_part_after_the_minutes_or_a_clock_are_refused(text: str) -> None:
    with pytest.raises(MeetingError, match="is not a duration") as raised:
        parse_duration(text)
    assert raised.value.field == "duration"


def test_a_start_without_a_zone_is_refused() -> None:
    with pytest.raises(MeetingError, match="no UTC offset") as raised:
        parse_instant("2026-12-03T15:00")
    assert raised.value.field == "start"
    assert parse_instant("2026-12-03T10:00-05:00") == datetime(2026, 12, 3, 15, tzinfo=UTC)
    assert parse_instant("2026-12-03T10:00:59-05:00") == datetime(2026, 12, 3, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "parse"),
    [
        ("9999-12-30", parse_date),
        ("0001-01-01", parse_date),
        ("1970-12-31", parse_date),
        ("9999-12-31T20:00Z", parse_instant),
        ("0001-01-01T00:00+05:00", parse_instant),
        ("9999-12-31T23:00-05:00", parse_instant),
    ],
)
def test_dates_outside_the_years_1971_to_9998_are_refused_naming_the_field(
    text: str, parse: Any
) -> None:
    with pytest.raises(MeetingError, match=re.escape(f"'{text}' is outside the years")) as raised:
        parse(text, field="first")
    assert raised.value.field == "first"
    assert "--" not in str(raised.value)


def test_the_first_and_last_years_are_accepted() -> None:
    assert parse_date("1971-01-01", field="first") == date(1971, 1, 1)
    assert parse_instant("9998-12-31T18:59-05:00") == datetime(9998, 12, 31, 23, 59, tzinfo=UTC)
    assert parse_instant("1971-01-01T00:00Z") == datetime(1971, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-12-03T15:00z", "2026-12-03t15:00z", " 2026-12-03T15:00z "])
def test_an_instant_in_utc_may_be_written_with_a_lower_case_z_as_with_a_lower_case_t(
    text: str,
) -> None:
    """RFC 3339 lets "T" and "Z" be written "t" and "z": ``2026-12-03t15:00Z`` was read, and
    ``2026-12-03T15:00z`` refused as "not a time" (Python's reader takes the one, not the
    other)."""
    assert parse_instant(text) == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["9998-12-31T23:00-05:00", "1971-01-01T00:30+01:00"])
def test_an_instant_is_in_the_years_in_utc_as_it_is_recorded(text: str) -> None:
    # Accepted here in its own clock's year, it was refused as soon as it was used (a record
    # holds it in UTC), quoting its UTC text: it is refused here, as typed.
    with pytest.raises(MeetingError, match="UTC, outside the years 1971-9998") as raised:
        parse_instant(text)
    assert raised.value.field == "start" and raised.value.value == text


def test_durations_with_thousands_of_digits_are_read_or_refused_naming_the_field() -> None:
    # Python refuses to read more than 4300 digits as a number: a duration is not one.
    for text in ("9" * 5000 + "m", "1" * 4400 + "h", "1h" + "9" * 5000 + "m"):
        with pytest.raises(MeetingError) as raised:
            parse_duration(text)
        assert raised.value.field == "duration"
    assert parse_duration("0" * 5000 + "90m") == 90


def test_a_huge_value_is_not_repeated_whole() -> None:
    huge = "9" * 100_000
    for parse in (parse_duration, parse_instant):
        with pytest.raises(MeetingError, match=r"\.\.\. \(100000 characters\)"):
            parse(huge)


@pytest.mark.parametrize(
    ("text", "minimum", "reason"),
    [("many", 1, "is not a whole number"), ("0", 1, "give at least 1"), ("-1", 0, "at least 0")],
)
def test_whole_numbers_are_refused_naming_the_field(text: str, minimum: int, reason: str) -> None:
    with pytest.raises(MeetingError, match=reason) as raised:
        parse_whole(text, field="count", minimum=minimum)
    assert raised.value.field == "count"
    assert parse_whole("0", field="notice_days", minimum=0) == 0


@pytest.mark.parametrize("text", ["soon", "0", "-1", "601", "nan", "inf"])
def test_timeouts_are_between_0_and_600_seconds(text: str) -> None:
    with pytest.raises(MeetingError) as raised:
        parse_timeout(text)
    assert raised.value.field == "timeout"
    assert parse_timeout("2.5") == 2.5


def _counting_entry_points(tmp_path: Any) -> dict[str, Any]:
    """Each library function of meetings that takes a count, a number of minutes or days,
    as ``(field, call)``: the command line reads these with parse_whole and parse_duration,
    which give whole numbers only."""
    from somnet import (
        MeetingStore,
        Person,
        Window,
        invite_meeting,
        new_meeting,
        plan_meeting,
        plan_series,
    )
    from somnet.meetings.invites import update_meeting
    from somnet.meetings.series import periods
    from tests.meeting_fixtures import NOW, person

    people = [person("pa", "America/Panama", "Mo-Fr 08:00-16:00", seat="PA")]
    window = Window(date(2026, 12, 7), date(2026, 12, 9), 60)
    organizer = Person("o@example.org", "")
    store = MeetingStore(tmp_path / "store")
    start = datetime(2026, 12, 8, 15, 0, tzinfo=UTC)
    recorded = invite_meeting(
        people, title="T", organizer=organizer, duration=60, store=store, start=start, now=NOW
    ).meeting
    series: dict[str, Any] = {"first": date(2026, 12, 7), "every": "week", "count": 2}
    series |= {"duration": 60, "holidays": {}}
    invite: dict[str, Any] = {"title": "N", "organizer": organizer, "store": store, "now": NOW}

    def window_of(**given: Any) -> Any:
        return Window(date(2026, 12, 7), date(2026, 12, 9), **({"duration": 60} | given))

    return {
        "Window duration": ("duration", lambda v: window_of(duration=v)),
        "Window step": ("step", lambda v: window_of(step=v)),
        "plan_meeting count": ("count", lambda v: plan_meeting(people, window, count=v)),
        "periods count": ("count", lambda v: periods(date(2026, 12, 7), "week", v)),
        "plan_series count": ("count", lambda v: plan_series(people, **(series | {"count": v}))),
        "plan_series duration": (
            "duration",
            lambda v: plan_series(people, **(series | {"duration": v})),
        ),
        "plan_series step": ("step", lambda v: plan_series(people, **series, step=v)),
        "plan_series within_days": (
            "within_days",
            lambda v: plan_series(people, **series, within_days=v),
        ),
        "invite_meeting duration": (
            "duration",
            lambda v: invite_meeting(people, **invite, duration=v, start=start),
        ),
        "invite_meeting pick": (
            "pick",
            lambda v: invite_meeting(
                people,
                **invite,
                duration=60,
                first=date(2026, 12, 7),
                last=date(2026, 12, 9),
                pick=v,
            ),
        ),
        "invite_meeting step": (
            "step",
            lambda v: invite_meeting(
                people,
                **invite,
                duration=60,
                first=date(2026, 12, 7),
                last=date(2026, 12, 9),
                step=v,
            ),
        ),
        "update_meeting duration": (
            "duration",
            lambda v: update_meeting(store, recorded.id, duration=v, now=NOW),
        ),
        "new_meeting duration": (
            "duration",
            lambda v: new_meeting(
                recorded.attendees,
                start=start,
                duration=v,
                title="T",
                organizer=organizer,
                timezone="UTC",
                now=NOW,
            ),
        ),
    }


@pytest.mark.parametrize("value", [True, 1.5, "2"])
def test_counts_and_minutes_that_are_not_whole_numbers_are_refused_naming_the_field(
    tmp_path: Any, value: Any
) -> None:
    # The command line reads them as whole numbers; the library took True as 1, ran on
    # 1.5 minutes or days, or stopped on a TypeError from deep inside.
    for name, (field, call) in _counting_entry_points(tmp_path).items():
        with pytest.raises(MeetingError) as raised:
            call(value)
        assert (raised.value.field, raised.value.value) == (field, value), name
        assert "--" not in raised.value.reason, name


#: What Python's int() and float() read as ten, and a person would not type as a number: a
#: digit separator, spaces around it, digits of other scripts (Arabic-Indic, fullwidth), a plus
#: sign, an exponent.
NOT_PLAIN_NUMBERS = ["1_0", " 10 ", "10 ", "\u0661\u0660", "\uff11\uff10", "+10", "1e1"]


@pytest.mark.parametrize("text", NOT_PLAIN_NUMBERS)
def test_numbers_are_plain_ascii_digits(text: str) -> None:
    with pytest.raises(MeetingError, match="is not a whole number") as raised:
        parse_whole(text, field="count")
    assert raised.value.field == "count"
    with pytest.raises(MeetingError, match="is not a number of seconds"):
        parse_timeout(text)
    assert parse_whole("10", field="count") == 10
    assert parse_timeout("10") == 10.0


@pytest.mark.parametrize(
    "text", ["\u0661\u0660m", "\uff11h", "1\u0660m", "1_0m", "\u0661h\u0663\u0660"]
)
def test_durations_are_written_in_ascii_digits(text: str) -> None:
    with pytest.raises(MeetingError, match="is not a duration") as raised:
        parse_duration(text)
    assert raised.value.field == "duration"


_MEETING = "meeting plan --states BS,PA --duration 90m --from 2026-12-01 --to 2026-12-18"
_SERIES = "meeting series --states BS,PA --duration 1h --from 2027-01-04 --every month"
_INVITE = (
    "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 90m --title T "
    "--organizer o@example.org"
)
_INVITE_BEST = _INVITE.replace("--start 2026-12-03T15:00Z", "--from 2026-12-01 --to 2026-12-18")
_PUBLISH = "directory publish --data /tmp/d --key /tmp/k --out /tmp/s --name caribbean"

#: Every number a command takes, with the rest of a command that would otherwise run (up to
#: reading it): the flag, and the command with {} where its value goes.
NUMBER_FLAGS = [
    ("--stale-days", "contact --flag HT --zone contiguous --stale-days {}"),
    ("--days", "directory stale --days {}"),
    ("--evidence-years", "directory stale --evidence-years {}"),
    ("--notice", f"{_MEETING} --notice {{}}"),
    ("--count", f"{_MEETING} --count {{}}"),
    ("--count", f"{_SERIES} --count {{}}"),
    ("--within", f"{_SERIES} --count 2 --within {{}}"),
    ("--pick", f"{_INVITE_BEST} --pick {{}}"),
    ("--timeout", f"{_INVITE} --timeout {{}}"),
    ("--version", f"{_PUBLISH} --version {{}}"),
    ("--keep", f"{_PUBLISH} --keep {{}}"),
    ("--attempts", "directory sync --attempts {}"),
    ("--timeout", "directory sync --timeout {}"),
    ("--deadline", "directory sync --deadline {}"),
]


#: The durations: their text is read without the spaces around it (as dates are), but its
#: digits are ASCII ones.
DURATION_FLAGS = [
    ("--duration", "meeting plan --states BS,PA --from 2026-12-01 --to 2026-12-18 --duration {}m"),
    ("--step", f"{_MEETING} --step {{}}m"),
    ("--expires", f"{_PUBLISH} --expires {{}}d"),
]


@pytest.mark.parametrize(
    ("flag", "command", "text"),
    [
        *(
            (flag, command, text)
            for flag, command in NUMBER_FLAGS
            for text in ["1_0", " 10", "\u0661\u0660", "\uff11\uff10"]
        ),
        *(
            (flag, command, text)
            for flag, command in DURATION_FLAGS
            for text in ["1_0", "\u0661\u0660", "\uff11\uff10"]
        ),
    ],
)
def test_every_number_flag_takes_plain_ascii_digits_only(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Any,
    isolated_environment: Any,
    monkeypatch: pytest.MonkeyPatch,
    flag: str,
    command: str,
    text: str,
) -> None:
    """Python reads ``1_0``, `` 10``, Arabic-Indic ``١٠`` and fullwidth ``１０`` as ten: a
    number flag took them, where a person who typed them did not mean a number (a pasted value,
    a keyboard in another script). Each is refused naming the flag, exit 2, one line."""
    import shlex

    from tests.cli import run

    monkeypatch.chdir(tmp_path)
    words = [w.replace("{}", text) for w in shlex.split(command)]
    result = run(capsys, *words)
    assert result.exit_code == 2, (result.stdout[-300:], result.stderr)
    assert flag in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert not list((isolated_environment / "data-home").rglob("*.json"))
