"""Finding times for regional meetings: participants, hard constraints (hours, holidays, daylight
saving changes), the score, explanations when nothing fits, fair series, and the CLI.

The directory used here is a small one written into tmp_path (``write_region``), so that the
tests do not depend on the contents of the shipped data; one test runs on the shipped data too
when it is there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from somnet import Directory, DirectoryError, MeetingError, UnknownCodeError, load_directory
from somnet.directory.hours import parse_hours
from somnet.meetings.planning import (
    NoSlotError,
    Participant,
    Window,
    candidate_slots,
    check_slot,
    from_minute,
    offset_segments,
    parse_date,
    parse_duration,
    parse_instant,
    periods,
    plan,
    plan_series,
    public_holidays,
    resolve_participants,
    to_minute,
)
from tests.cli import run

# A small directory: (code, names, zone, working hours, core hours, focal point) ------------------

STATES: dict[str, dict[str, Any]] = {
    "BS": {
        "name": "The Bahamas",
        "zone": "America/Nassau",
        "hours": "Mo-Fr 09:00-17:00",
        "core": "Mo-Fr 10:00-16:00",
        "lang": "en",
    },
    "DO": {
        "name": "Dominican Republic",
        "zone": "America/Santo_Domingo",
        "hours": "Mo-Fr 08:00-16:00",
        "core": "Mo-Fr 09:00-15:00",
        "lang": "es",
    },
    "HT": {
        "name": "Haiti",
        "zone": "America/Port-au-Prince",
        "hours": "Mo-Fr 08:00-16:00",
        "core": "Mo-Fr 09:00-15:00",
        "lang": "fr",
    },
    "PA": {
        "name": "Panama",
        "zone": "America/Panama",
        "hours": "Mo-Fr 08:00-16:00",
        "core": "Mo-Fr 09:00-15:00",
        "lang": "es",
    },
    "MX": {
        "name": "Mexico",
        "zone": "America/Mexico_City",
        "hours": "Mo-Fr 09:00-17:00",
        "core": "Mo-Fr 10:00-15:00",
        "lang": "es",
    },
    "JM": {
        "name": "Jamaica",
        "zone": "America/Jamaica",
        "hours": "Mo-Fr 08:30-16:30",
        "core": None,
        "lang": "en",
        "focal": False,
    },
    "US": {
        "name": "United States",
        "zone": "America/New_York",
        "hours": "Mo-Fr 08:00-16:30",
        "core": None,
        "lang": "en",
        "subdivision": "FL",
    },
}

VERIFIED = "2026-01-15"


def _state_toml(code: str, spec: dict[str, Any]) -> str:
    lower = code.lower()
    lines = [
        "[state]",
        f'code = "{code}"',
        f'names = {{ en = "{spec["name"]}", es = "{spec["name"]}", fr = "{spec["name"]}" }}',
        f'timezones = ["{spec["zone"]}"]',
        f'languages = ["{spec["lang"]}"]',
        f'working_hours = "{spec["hours"]}"',
    ]
    if spec.get("core"):
        lines.append(f'core_hours = "{spec["core"]}"')
    if spec.get("focal", True):
        lines.append(f'meeting_focal_point = "{lower}-focal"')
    if spec.get("subdivision"):
        lines.append(f'holiday_subdivision = "{spec["subdivision"]}"')
    lines += [
        f"last_verified = {VERIFIED}",
        'sources = [{ title = "test fixture", url = "https://example.gov/fixture" }]',
        "",
        "[state.maritime]",
        "territorial_sea_nm = 12",
        "contiguous_zone_nm = 24",
        "eez_nm = 200",
        "archipelagic = false",
        'sources = [{ title = "test fixture", url = "https://example.gov/fixture" }]',
        "",
        "[state.som_protocol]",
        'party = "yes"',
        'sources = [{ title = "test fixture", url = "https://example.gov/fixture" }]',
        "",
        _agency(
            f"{lower}-mfa",
            code,
            ["foreign-affairs"],
            [
                (f"{lower}-focal", "Regional desk", f"{lower}-focal@example.org"),
            ],
        ),
        _agency(
            f"{lower}-coastguard",
            code,
            ["maritime-law-enforcement"],
            [
                (f"{lower}-cg-ops", "Operations officer", f"{lower}-cg@example.org"),
            ],
        ),
    ]
    lines += spec.get("extra", [])
    return "\n".join(lines) + "\n"


def _agency(
    agency_id: str,
    state: str,
    roles: Sequence[str],
    contacts: Sequence[tuple[str, str, str | None]],
    *,
    hours: str | None = None,
    zone: str | None = None,
) -> str:
    lines = [
        "[[agencies]]",
        f'id = "{agency_id}"',
        f'state = "{state}"',
        f'name = "Agency {agency_id}"',
        f'name_en = "Agency {agency_id}"',
        f"roles = {json.dumps(list(roles))}",
        f"last_verified = {VERIFIED}",
        'sources = [{ title = "test fixture", url = "https://example.gov/fixture" }]',
    ]
    if hours:
        lines.append(f'working_hours = "{hours}"')
    if zone:
        lines.append(f'timezone = "{zone}"')
    for contact_id, title, email in contacts:
        lines += [
            "",
            "[[agencies.contacts]]",
            f'id = "{contact_id}"',
            'kind = "desk"',
            f'title = "{title}"',
            'languages = ["en"]',
            f"last_verified = {VERIFIED}",
            "illustrative = true",
            "",
            "[[agencies.contacts.channels]]",
        ]
        if email:
            lines += ['kind = "email"', f'value = "{email}"']
        else:
            lines += ['kind = "phone"', 'value = "+12025550143"']
    return "\n".join(lines) + "\n"


def write_region(folder: Path, states: dict[str, dict[str, Any]] | None = None) -> Path:
    """Write a small valid directory (one file a state) into ``folder``."""
    specs = {code: dict(spec) for code, spec in STATES.items()}
    specs["MX"]["extra"] = [
        _agency(
            "mx-semar",
            "MX",
            ["maritime-law-enforcement", "sar"],
            [("mx-semar-duty", "Duty officer", "mx-semar@example.org")],
            hours="24/7",
        ),
        _agency(
            "mx-cancun",
            "MX",
            ["migration"],
            [("mx-cancun-desk", "Migration desk", "mx-cancun@example.org")],
            zone="America/Cancun",
        ),
        _agency(
            "mx-registry", "MX", ["ship-registry"], [("mx-registry-phone", "Registry desk", None)]
        ),
    ]
    specs.update(states or {})
    (folder / "states").mkdir(parents=True, exist_ok=True)
    for code, spec in specs.items():
        (folder / "states" / f"{code}.toml").write_text(_state_toml(code, spec), encoding="utf-8")
    return folder


#: The clock of the meeting commands in the tests: a Friday before every date they plan for.
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def meeting_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The meeting commands read ``NOW`` as the time (modules that import it use it too)."""
    monkeypatch.setattr("somnet_cli.meeting._now", lambda: NOW)
    return NOW


@pytest.fixture
def region(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Directory]:
    """The small directory, also as the CLI's base directory (in place of the shipped one)."""
    folder = write_region(tmp_path / "region")
    monkeypatch.setattr("somnet.directory.loading.shipped_data_dir", lambda: folder)
    yield load_directory(base=folder, use_env=False)


def person(
    contact: str,
    zone: str,
    hours: str,
    core: str | None = None,
    *,
    seat: str = "PA",
) -> Participant:
    """A participant made by hand, for tests that need no directory."""
    return Participant(
        contact=contact,
        name=contact,
        agency=f"{contact}-agency",
        agency_name="Agency",
        state=seat,
        seat=seat,
        timezone=zone,
        working_hours=parse_hours(hours),
        core_hours=parse_hours(core or hours),
        email=f"{contact}@example.org",
    )


def cli(capsys: pytest.CaptureFixture[str], command: str) -> Any:
    """Run ``somnet COMMAND`` (split like a shell would)."""
    import shlex

    return run(capsys, *shlex.split(command))


def _local(slot_start: datetime, zone: str) -> datetime:
    return slot_start.astimezone(ZoneInfo(zone))


# Reading values -------------------------------------------------------------------------------


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
def test_bad_durations_are_refused_with_an_example(text: str) -> None:
    with pytest.raises(MeetingError, match="--duration"):
        parse_duration(text)


def test_a_start_without_a_zone_is_refused() -> None:
    with pytest.raises(MeetingError, match="no zone"):
        parse_instant("2026-12-03T15:00")
    assert parse_instant("2026-12-03T10:00-05:00") == datetime(2026, 12, 3, 15, tzinfo=UTC)


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
def test_dates_outside_the_years_1971_to_9998_are_refused_naming_the_flag(
    text: str, parse: Any
) -> None:
    with pytest.raises(MeetingError, match=re.escape(f"--flag: '{text}' is not in the years")):
        parse(text, flag="--flag")


def test_the_first_and_last_years_are_accepted() -> None:
    assert parse_date("1971-01-01", flag="--from") == date(1971, 1, 1)
    assert parse_instant("9998-12-31T23:00-05:00") == datetime(9999, 1, 1, 4, tzinfo=UTC)


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(MeetingError, match="ends before it starts"):
        Window(date(2026, 12, 18), date(2026, 12, 1), 90)
    with pytest.raises(MeetingError, match="at most"):
        Window(date(2026, 1, 1), date(2028, 1, 1), 90)


# Participants ---------------------------------------------------------------------------------


def test_states_send_their_meeting_focal_points(region: Directory) -> None:
    people = resolve_participants(region, states=["bs", "DO", "BS", " ht "])
    assert [p.contact for p in people] == ["bs-focal", "do-focal", "ht-focal"]
    bahamas = people[0]
    assert bahamas.timezone == "America/Nassau"
    assert str(bahamas.working_hours) == "Mo-Fr 09:00-17:00"
    assert str(bahamas.core_hours) == "Mo-Fr 10:00-16:00"
    assert bahamas.email == "bs-focal@example.org"
    assert bahamas.illustrative


def test_roles_choose_each_states_agency_with_that_role(region: Directory) -> None:
    people = resolve_participants(
        region, states=["PA", "MX"], roles=["Maritime-Law-Enforcement "], contacts=["bs-focal"]
    )
    assert [p.contact for p in people] == ["pa-cg-ops", "mx-cg-ops", "bs-focal"]


def test_hours_and_zone_come_from_the_agency_before_the_state(region: Directory) -> None:
    duty, cancun = resolve_participants(region, contacts=["mx-semar-duty", "mx-cancun-desk"])
    assert duty.working_hours.always and duty.timezone == "America/Mexico_City"
    assert cancun.timezone == "America/Cancun"
    # No core hours of its own: the state's core hours are what it prefers.
    assert str(duty.core_hours) == "Mo-Fr 10:00-15:00"


def test_a_state_without_core_hours_prefers_its_working_hours(region: Directory) -> None:
    (us,) = resolve_participants(region, states=["US"])
    assert us.core_hours == us.working_hours
    assert us.holiday_key == "US-FL"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"states": ["GT"]}, MeetingError, "holds no state GT"),
        ({"states": ["QQ"]}, UnknownCodeError, "not an ISO 3166-1"),
        ({"states": ["JM"]}, MeetingError, "JM .*no meeting_focal_point"),
        ({"states": ["PA"], "roles": ["ship-registry"]}, MeetingError, "no agency of PA"),
        ({"states": ["PA"], "roles": ["coastguard"]}, MeetingError, "not a role"),
        ({"roles": ["sar"]}, MeetingError, "--role needs --states"),
        ({"contacts": ["bs-focl"]}, MeetingError, "did you mean bs-focal"),
        ({}, MeetingError, "name the participants"),
    ],
)
def test_participants_that_cannot_be_found_are_clear_errors(
    region: Directory, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        resolve_participants(region, **kwargs)


# The hard constraints and the score -----------------------------------------------------------


def test_the_best_slot_is_inside_everyones_core_hours(region: Directory) -> None:
    people = resolve_participants(region, states=["BS", "DO", "HT", "PA"])
    found = plan(people, Window(date(2026, 12, 1), date(2026, 12, 4), 90), count=3)
    # December: Nassau and Port-au-Prince on EST (-5), Santo Domingo -4, Panama -5. Common
    # core hours: 15:00-19:00 UTC; the best start an hour inside them, Tuesday to Thursday.
    first = found.slots[0]
    assert first.start == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert first.score == 0
    for slot in found.slots:
        assert slot.score == 0 and slot.start.hour * 60 + slot.start.minute >= 15 * 60
        assert slot.end.hour * 60 + slot.end.minute <= 19 * 60
    keys = [s.rank for s in found.slots]
    assert keys == sorted(keys)


def test_a_slot_outside_core_hours_scores_its_minutes_outside() -> None:
    early = person("early", "America/Panama", "Mo-Fr 08:00-16:00", "Mo-Fr 08:00-10:00")
    late = person("late", "America/Panama", "Mo-Fr 08:00-16:00", "Mo-Fr 14:00-16:00")
    found = plan([early, late], Window(date(2026, 12, 1), date(2026, 12, 1), 60), holidays={})
    best = found.slots[0]
    assert best.score == 60 and sorted(best.burdens) == [0, 60]
    # Ties go further inside the core hours of the one within them, then to the earliest:
    # 08:30 Panama (13:30 UTC), half an hour from either edge of early's 08:00-10:00.
    assert best.start == datetime(2026, 12, 1, 13, 30, tzinfo=UTC)


def _oracle(
    people: Sequence[Participant], window: Window, holidays: dict[str, dict[date, str]]
) -> list[tuple[datetime, tuple[int, ...]]]:
    """Minute by minute with zoneinfo: independent of the interval arithmetic under test."""
    found = []
    start = datetime.combine(window.first, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(window.last + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    t = start
    while t + timedelta(minutes=window.duration) <= end:
        burdens: list[int] = []
        for p in people:
            zone = ZoneInfo(p.timezone)
            days = holidays.get(p.holiday_key, {})
            meeting_end = t + timedelta(minutes=window.duration)
            if t.astimezone(zone).utcoffset() != meeting_end.astimezone(zone).utcoffset():
                break
            minutes = [t + timedelta(minutes=m) for m in range(window.duration + 1)]
            if any(_ambiguous(m.astimezone(zone)) for m in minutes):
                break
            inside = minutes[:-1]
            if not all(
                p.working_hours.is_open(m, zone) and m.astimezone(zone).date() not in days
                for m in inside
            ):
                break
            burdens.append(sum(not p.core_hours.is_open(m, zone) for m in inside))
        else:
            found.append((t, tuple(burdens)))
        t += timedelta(minutes=window.step)
    return found


def _ambiguous(local: datetime) -> bool:
    naive = local.replace(tzinfo=None)
    zone = local.tzinfo
    return (
        naive.replace(tzinfo=zone, fold=0).utcoffset()
        != naive.replace(tzinfo=zone, fold=1).utcoffset()
    )


ZONES = [
    "America/Nassau",
    "America/Panama",
    "America/Havana",
    "America/Port-au-Prince",
    "America/Santo_Domingo",
    "America/Mexico_City",
    "Asia/Kolkata",
    "Pacific/Chatham",
]
HOURS = [
    "Mo-Fr 08:00-16:00",
    "24/7",
    "Mo-Sa 00:00-03:00,22:00-24:00",
    "Mo-Th 08:00-12:00,12:00-17:00",
    "Su 01:00-04:00",
    "Mo-Su 00:30-02:30",
]
DAYS = [date(2026, 11, 1), date(2027, 3, 14), date(2026, 12, 24), date(2026, 4, 5)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    zones=st.lists(st.sampled_from(ZONES), min_size=1, max_size=3),
    hours=st.lists(st.sampled_from(HOURS), min_size=3, max_size=3),
    cores=st.lists(st.sampled_from(HOURS), min_size=3, max_size=3),
    day=st.sampled_from(DAYS),
    duration=st.sampled_from([30, 45, 90]),
    step=st.sampled_from([15, 20, 30]),
    holiday=st.booleans(),
)
def test_slots_agree_with_a_minute_by_minute_reference(
    zones: list[str],
    hours: list[str],
    cores: list[str],
    day: date,
    duration: int,
    step: int,
    holiday: bool,
) -> None:
    people = [
        person(f"p{i}", zone, hours[i], cores[i], seat=f"X{i}") for i, zone in enumerate(zones)
    ]
    calendars = {"X0": {day: "A holiday"}} if holiday else {}
    window = Window(day - timedelta(days=1), day, duration, step)
    fast = [(s.start, s.burdens) for s in candidate_slots(people, window, calendars)]
    assert fast == _oracle(people, window, calendars)


# Daylight saving time --------------------------------------------------------------------------


def test_utc_slots_follow_the_us_clock_change_of_nassau_and_port_au_prince(
    region: Directory,
) -> None:
    people = resolve_participants(region, states=["BS", "HT", "PA", "DO"])
    found = plan(people, Window(date(2026, 10, 26), date(2026, 11, 6), 90), count=20, per_day=True)
    by_day = {s.start.date(): s for s in found.slots}
    before, after = by_day[date(2026, 10, 30)], by_day[date(2026, 11, 4)]
    # Before 1 November Nassau is on EDT (-4): the common core hours are 14:00-19:00 UTC; after
    # it, on EST (-5), they start at 15:00 UTC. Panama and Santo Domingo do not change. The
    # best slot starts an hour inside them on both sides.
    assert before.start.hour == 15 and after.start.hour == 16
    assert _local(before.start, "America/Nassau").utcoffset() == timedelta(hours=-4)
    assert _local(after.start, "America/Nassau").utcoffset() == timedelta(hours=-5)
    for slot in (before, after):
        times = {t.participant.state: t for t in slot.local_times(people)}
        assert times["BS"].start.hour == 11  # inside Nassau's core hours on both sides
        assert times["PA"].start.utcoffset() == timedelta(hours=-5)
        assert times["DO"].start.utcoffset() == timedelta(hours=-4)
    # 2 November is a Haitian holiday (Day of the Dead), 3 November a Panamanian one.
    assert date(2026, 11, 2) not in by_day and date(2026, 11, 3) not in by_day


@pytest.mark.parametrize("first", [date(2026, 10, 19), date(2027, 3, 1)])
def test_a_weekly_series_across_the_us_clock_change_keeps_everyone_in_hours(
    region: Directory, first: date
) -> None:
    people = resolve_participants(region, states=["BS", "HT", "PA", "DO"])
    series = plan_series(people, first=first, every="week", count=4, duration=90)
    assert all(o.slot is not None for o in series.occurrences)
    offsets = set()
    for occurrence in series.occurrences:
        assert occurrence.slot is not None
        for t in occurrence.slot.local_times(people):
            hours = t.participant.working_hours
            zone = ZoneInfo(t.participant.timezone)
            assert hours.is_open(t.start, zone)
            assert hours.is_open(t.end - timedelta(minutes=1), zone)
            assert t.start.utcoffset() == t.end.utcoffset()
        offsets.add(_local(occurrence.slot.start, "America/Nassau").utcoffset())
    # The series crosses the change: Nassau's offset differs between its meetings.
    assert offsets == {timedelta(hours=-4), timedelta(hours=-5)}
    assert series.worst == 0


@pytest.mark.parametrize(
    ("day", "change", "unclear"),
    [
        # Fall back at 06:00 UTC: 01:00-02:00 happens twice in Nassau (05:00-07:00 UTC).
        (date(2026, 11, 1), datetime(2026, 11, 1, 6, tzinfo=UTC), (5 * 60, 7 * 60)),
        # Spring forward at 07:00 UTC: 02:00-03:00 does not exist.
        (date(2027, 3, 14), datetime(2027, 3, 14, 7, tzinfo=UTC), (7 * 60, 7 * 60)),
    ],
)
def test_no_slot_straddles_a_change_or_uses_a_local_time_that_happens_twice(
    day: date, change: datetime, unclear: tuple[int, int]
) -> None:
    duty = person("duty", "America/Nassau", "24/7")
    found = candidate_slots([duty], Window(day, day, 60, 15), {})
    assert found
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    lo, hi = (midnight + timedelta(minutes=m) for m in unclear)
    for slot in found:
        assert not slot.start < change <= slot.end
        assert not (lo <= slot.start < hi or lo <= slot.end < hi)
    # Just outside: a meeting may start at the change (spring) or when the repeat is over.
    assert any(s.start == hi for s in found)


def test_offset_segments_find_the_exact_minute_of_each_change() -> None:
    start = to_minute(datetime(2026, 10, 1, tzinfo=UTC))
    end = to_minute(datetime(2027, 4, 1, tzinfo=UTC))
    segments = offset_segments("America/Port-au-Prince", start, end)
    assert [(from_minute(a), offset) for a, _, offset in segments] == [
        (datetime(2026, 10, 1, tzinfo=UTC), -240),
        (datetime(2026, 11, 1, 6, tzinfo=UTC), -300),
        (datetime(2027, 3, 14, 7, tzinfo=UTC), -240),
    ]
    assert offset_segments("America/Panama", start, end) == [(start, end, -300)]


# Holidays -------------------------------------------------------------------------------------


def test_no_slot_falls_on_a_participants_local_public_holiday(region: Directory) -> None:
    people = resolve_participants(region, states=["BS", "DO", "HT", "PA"])
    found = plan(people, Window(date(2026, 12, 21), date(2026, 12, 31), 90), count=50, per_day=True)
    named = {(p.state, day, name) for p, day, name in found.holidays}
    assert ("BS", date(2026, 12, 25), "Christmas Day") in named
    assert ("BS", date(2026, 12, 26), "Boxing Day") in named
    assert ("BS", date(2026, 12, 28), "Boxing Day (observed)") in named
    holidays_by_state: dict[str, set[date]] = {}
    for p, day, _ in found.holidays:
        holidays_by_state.setdefault(p.state, set()).add(day)
    for slot in found.slots:
        for t in slot.local_times(people):
            assert t.start.date() not in holidays_by_state.get(t.participant.state, set())
    assert date(2026, 12, 28) not in {s.start.date() for s in found.slots}
    assert date(2026, 12, 24) in {s.start.date() for s in found.slots}


def test_dominican_and_haitian_holidays_in_early_january(region: Directory) -> None:
    people = resolve_participants(region, states=["DO", "HT", "PA"])
    calendars, warnings = public_holidays(people, date(2027, 1, 1), date(2027, 1, 10))
    assert warnings == []
    assert calendars["DO"][date(2027, 1, 4)] == "Epiphany"
    assert "National Independence Day" in calendars["HT"][date(2027, 1, 1)]
    assert calendars["HT"][date(2027, 1, 2)] == "Ancestry Day"
    assert calendars["PA"][date(2027, 1, 9)] == "Martyrs' Day"
    with pytest.raises(NoSlotError) as caught:
        plan(people, Window(date(2027, 1, 4), date(2027, 1, 4), 90))
    message = str(caught.value)
    assert "DO do-focal" in message and "2027-01-04 Epiphany" in message
    assert "\n" not in message


def test_a_subdivision_python_holidays_does_not_know_is_a_warning(
    tmp_path: Path,
) -> None:
    # The loader refuses such a directory (tests/test_loading.py); a participant built by other
    # means still plans, with a warning that its holidays are not checked.
    folder = write_region(tmp_path / "r", {"US": {**STATES["US"], "subdivision": "ZZ"}})
    with pytest.raises(DirectoryError, match="holiday_subdivision"):
        load_directory(base=folder, use_env=False)
    unknown = attrs.evolve(
        person("miami", "America/New_York", "Mo-Fr 08:00-17:00", seat="US"),
        holiday_subdivision="ZZ",
    )
    found = plan(
        [unknown, person("panama", "America/Panama", "Mo-Fr 08:00-16:00")],
        Window(date(2026, 12, 1), date(2026, 12, 2), 60),
    )
    assert found.slots
    assert any("US-ZZ are not checked" in w for w in found.warnings)


# Nothing fits ---------------------------------------------------------------------------------


def test_hours_that_never_overlap_are_named_pair_by_pair() -> None:
    panama = person("panama", "America/Panama", "Mo-Fr 08:00-16:00")
    manila = person("manila", "Asia/Manila", "Mo-Fr 08:00-16:00", seat="PH")
    with pytest.raises(NoSlotError) as caught:
        plan([panama, manila], Window(date(2026, 12, 1), date(2026, 12, 4), 60), holidays={})
    (reason,) = caught.value.reasons
    assert "PA panama" in reason and "PH manila" in reason and "never overlap" in reason


def test_a_weekend_window_says_whose_hours_rule_it_out(region: Directory) -> None:
    people = resolve_participants(region, states=["BS", "PA"])
    with pytest.raises(NoSlotError) as caught:
        plan(people, Window(date(2026, 12, 5), date(2026, 12, 6), 60))
    assert len(caught.value.reasons) == 2
    assert "BS bs-focal has no 1h within their working hours (Mo-Fr 09:00-17:00" in str(
        caught.value
    )


def test_a_common_window_too_short_for_the_meeting_says_how_long_it_is() -> None:
    a = person("a", "America/Panama", "Mo-Fr 08:00-11:00")
    b = person("b", "America/Panama", "Mo-Fr 10:00-14:00")
    c = person("c", "America/Panama", "Mo-Fr 08:00-10:30,13:00-14:00")
    with pytest.raises(NoSlotError) as caught:
        plan([a, b, c], Window(date(2026, 12, 1), date(2026, 12, 1), 60), holidays={})
    assert "all together at most 30m" in str(caught.value)


def test_a_window_that_only_misses_the_grid_says_so() -> None:
    a = person("a", "America/Panama", "Mo-Fr 08:05-09:10")
    b = person("b", "America/Panama", "Mo-Fr 08:00-10:00")
    window = Window(date(2026, 12, 1), date(2026, 12, 1), 60, 15)
    with pytest.raises(NoSlotError, match="no start on the 15-minute grid fits it"):
        plan([a, b], window, holidays={})
    assert plan([a, b], Window(window.first, window.last, 60, 5), holidays={}).slots


def test_hours_that_never_overlap_name_the_holidays_too(region: Directory) -> None:
    people = resolve_participants(region, states=["BS", "DO"])
    # 7 hours: BS and DO share 6 (Nassau 09:00-17:00 UTC-5, Santo Domingo 08:00-16:00 UTC-4:
    # 14:00-20:00 UTC), and 25 December is Christmas Day for both.
    with pytest.raises(NoSlotError) as caught:
        plan(people, Window(date(2026, 12, 24), date(2026, 12, 25), 7 * 60))
    assert "never overlap for 7h" in str(caught.value)
    assert caught.value.reasons[-1] == (
        "public holidays in the window: BS bs-focal 2026-12-25 Christmas Day, "
        "DO do-focal 2026-12-25 Christmas Day"
    )


def test_a_start_chosen_by_hand_is_checked_against_hours_and_holidays(region: Directory) -> None:
    people = resolve_participants(region, states=["BS", "PA"])
    calendars, _ = public_holidays(people, date(2026, 12, 24), date(2026, 12, 26))
    christmas = check_slot(people, datetime(2026, 12, 25, 15, tzinfo=UTC), 60, calendars)
    assert len(christmas) == 2 and all("Christmas Day" in w for w in christmas)
    late = check_slot(people, datetime(2026, 12, 24, 21, 30, tzinfo=UTC), 60, calendars)
    assert [w.split(":")[0] for w in late] == ["BS bs-focal", "PA pa-focal"]
    assert "outside their working hours" in late[0]
    assert check_slot(people, datetime(2026, 12, 24, 15, tzinfo=UTC), 60, calendars) == []


def test_a_start_chosen_by_hand_looks_up_the_holidays_itself(region: Directory) -> None:
    people = resolve_participants(region, states=["BS", "PA"])
    christmas = check_slot(people, datetime(2026, 12, 25, 15, tzinfo=UTC), 60)
    assert len(christmas) == 2 and all("Christmas Day" in w for w in christmas)
    unknown = attrs.evolve(
        person("zz", "America/Panama", "Mo-Fr 08:00-17:00", seat="US"), holiday_subdivision="ZZ"
    )
    warnings = check_slot([unknown], datetime(2026, 12, 25, 15, tzinfo=UTC), 60)
    assert len(warnings) == 1 and "public holidays of US-ZZ are not checked" in warnings[0]


# Series ---------------------------------------------------------------------------------------


def test_periods_keep_to_the_calendar() -> None:
    assert periods(date(2027, 1, 31), "month", 3) == [
        (date(2027, 1, 31), date(2027, 2, 27)),
        (date(2027, 2, 28), date(2027, 3, 30)),
        (date(2027, 3, 31), date(2027, 4, 29)),
    ]
    assert periods(date(2027, 1, 4), "quarter", 2) == [
        (date(2027, 1, 4), date(2027, 4, 3)),
        (date(2027, 4, 4), date(2027, 7, 3)),
    ]
    with pytest.raises(MeetingError, match="--every"):
        periods(date(2027, 1, 4), "fortnight", 2)  # type: ignore[arg-type]
    with pytest.raises(MeetingError, match="--count"):
        periods(date(2027, 1, 4), "week", 0)


@pytest.mark.parametrize("every", ["week", "month", "quarter"])
def test_periods_that_would_end_after_the_year_9999_are_refused(every: Any) -> None:
    with pytest.raises(MeetingError, match="the series would run past the year 9999"):
        periods(date(9998, 1, 4), every, 120)


def test_a_fair_series_rotates_the_inconvenience() -> None:
    early = person("early", "America/Panama", "Mo-Fr 08:00-18:00", "Mo-Fr 08:00-10:00")
    late = person("late", "America/Panama", "Mo-Fr 08:00-18:00", "Mo-Fr 16:00-18:00")
    fair = plan_series(
        [early, late], first=date(2026, 12, 7), every="week", count=4, duration=60, holidays={}
    )
    naive = plan_series(
        [early, late],
        first=date(2026, 12, 7),
        every="week",
        count=4,
        duration=60,
        holidays={},
        fair=False,
    )
    assert [(e.minutes_outside_core, e.inconvenient_meetings) for e in naive.ledger] == [
        (0, 0),
        (240, 4),
    ]
    assert [(e.minutes_outside_core, e.inconvenient_meetings) for e in fair.ledger] == [
        (120, 2),
        (120, 2),
    ]
    assert fair.worst == 120 < naive.worst == fair.earliest_worst == 240


def test_a_fair_series_is_never_worse_for_the_worst_off_than_the_earliest_slots(
    region: Directory,
) -> None:
    people = resolve_participants(
        region, states=["BS", "DO", "MX", "PA"], contacts=["mx-cancun-desk"]
    )
    fair = plan_series(
        people, first=date(2027, 1, 4), every="month", count=6, duration=120, within_days=10
    )
    assert fair.worst <= fair.earliest_worst
    assert [o.index for o in fair.occurrences] == [1, 2, 3, 4, 5, 6]
    assert all(o.slot is not None for o in fair.occurrences)


# The command line -----------------------------------------------------------------------------


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


def test_cli_plan_json_matches_its_snapshot(
    region: Directory, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole contract at once, reviewed as a diff (SOMNET_UPDATE_GOLDEN=1 rewrites it)."""
    import os

    result = cli(
        capsys,
        "meeting plan --states BS,HT --contact mx-semar-duty --duration 2h --from 2026-12-07 "
        "--to 2026-12-08 --count 2 --per-day --format json",
    )
    assert result.exit_code == 0, result.stderr
    golden = Path(__file__).parent / "golden" / "plan.json"
    if os.environ.get("SOMNET_UPDATE_GOLDEN"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert json.loads(result.stdout) == json.loads(golden.read_text(encoding="utf-8"))


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
            ["--states", "BS,PA", "--from", "2026-12-18", "--to", "2026-12-01"],
            "ends before it starts",
        ),
        (["--states", "BS,PA", "--from", "2026-13-01"], "--from: '2026-13-01' is not a date"),
        (["--states", "BS,GT"], "holds no state GT"),
        (["--states", "BS,QQ"], "not an ISO 3166-1 alpha-2"),
        (["--contact", "nobody"], "no contact has id 'nobody'"),
        (["--states", "PA", "--role", "ship-registry"], "no agency of PA (Panama) with that role"),
        (["--states", "JM"], "no meeting_focal_point"),
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
            "--from: '9999-12-30' is not in the years 1971 to 9998",
        ),
        (
            "plan --states BS,PA --duration 90m --from 0001-01-01 --to 0001-01-02",
            "--from: '0001-01-01' is not in the years 1971 to 9998",
        ),
        (
            "plan --states BS,PA --duration 90m --from 2026-12-01 --to 9999-01-01",
            "--to: '9999-01-01' is not in the years 1971 to 9998",
        ),
        (
            "series --states BS,PA --duration 90m --from 9999-01-04 --every quarter --count 8",
            "--from: '9999-01-04' is not in the years 1971 to 9998",
        ),
        (
            "series --states BS,PA --duration 90m --from 9998-01-04 --every quarter --count 8",
            "the series would run past the year 9999",
        ),
        (
            "invite --states BS,PA --duration 90m --start 9999-12-31T20:00Z --title T "
            "--organizer o@example.org",
            "--start: '9999-12-31T20:00Z' is not in the years 1971 to 9998",
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


# The shipped directory (once it is there) ------------------------------------------------------

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


# Notice, past starts, and the ranking of ties ------------------------------------------------


def test_notice_counts_each_participants_working_days_after_today() -> None:
    from somnet.meetings.planning import earliest_start

    nassau = person("bs", "America/Nassau", "Mo-Fr 09:00-17:00", seat="BS")
    panama = person("pa", "America/Panama", "Mo-Fr 08:00-16:00", seat="PA")
    # Friday 27 November: Monday 30 is the first working day, Tuesday 1 December the second.
    friday = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert earliest_start([nassau, panama], friday, 2, holidays={}) == datetime(
        2026, 12, 1, 5, 0, tzinfo=UTC
    )
    assert earliest_start([nassau], friday, 1, holidays={}) == datetime(
        2026, 11, 30, 5, 0, tzinfo=UTC
    )
    assert earliest_start([nassau], friday, 0, holidays={}) == friday
    # Christmas Eve, a Thursday: Christmas and Boxing Day are holidays in Nassau (not in
    # Panama), then the weekend; the second working day there is Tuesday 29.
    eve = datetime(2026, 12, 24, 15, 0, tzinfo=UTC)
    holidays = {"BS": {date(2026, 12, 25): "Christmas Day", date(2026, 12, 26): "Boxing Day"}}
    assert earliest_start([nassau, panama], eve, 2, holidays=holidays) == datetime(
        2026, 12, 29, 5, 0, tzinfo=UTC
    )


def test_a_plan_offers_no_slot_before_the_notice_or_in_the_past(region: Directory) -> None:
    people = resolve_participants(region, states=["BS", "PA"])
    not_before = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
    window = Window(date(2026, 11, 20), date(2026, 12, 4), 60)
    found = plan(people, window, count=500, not_before=not_before)
    assert found.slots and min(s.start for s in found.slots) >= not_before
    assert found.feasible == len([s for s in found.slots])
    with pytest.raises(NoSlotError, match="before the earliest start allowed") as raised:
        plan(people, Window(date(2026, 11, 23), date(2026, 11, 27), 60), not_before=not_before)
    assert "Tue 2026-12-01 05:00 UTC" in str(raised.value)


def test_ties_go_to_mid_week_and_the_middle_of_everyones_core_hours(region: Directory) -> None:
    people = resolve_participants(region, states=["BS", "DO", "HT", "PA"])
    # Monday 30 November to Friday 4 December; common core hours 15:00-19:00 UTC every day.
    found = plan(people, Window(date(2026, 11, 30), date(2026, 12, 4), 90), count=3)
    assert {s.score for s in found.slots} == {0}
    # Not Monday's 15:00: Tuesday first, an hour inside everyone's core hours.
    assert [s.start for s in found.slots] == [
        datetime(2026, 12, 1, 16, minute, tzinfo=UTC) for minute in (0, 15, 30)
    ]
    per_day = plan(people, Window(date(2026, 11, 30), date(2026, 12, 4), 90), count=5, per_day=True)
    assert [s.start.day for s in per_day.slots] == [1, 2, 3, 30, 4]


def test_a_tie_prefers_fewer_people_outside_their_core_hours() -> None:
    wide = person("wide", "America/Panama", "Mo-Fr 08:00-16:00", "Mo-Fr 08:30-16:00")
    dawn = person("dawn", "America/Panama", "Mo-Fr 08:00-16:00", "Mo-Fr 07:00-08:30")
    found = plan([wide, dawn], Window(date(2026, 12, 2), date(2026, 12, 2), 60), holidays={})
    # Every start costs 60 minutes: 08:00 (Panama) half an hour to each of them, from 08:30
    # an hour to dawn alone. One person put out, and an hour inside wide's core hours.
    assert {s.score for s in found.slots} == {60}
    best = found.slots[0]
    assert best.burdens == (0, 60)
    assert best.start == datetime(2026, 12, 2, 14, 30, tzinfo=UTC)  # 09:30-10:30 in Panama


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


# A series chosen as a whole ----------------------------------------------------------------------

FIVE = ["BS", "DO", "HT", "PA", "MX"]


def test_a_series_alternates_the_inconvenient_hours_instead_of_splitting_them_every_time(
    region: Directory,
) -> None:
    people = resolve_participants(region, states=FIVE)
    found = plan_series(
        people,
        first=date(2027, 1, 4),
        every="month",
        count=12,
        duration=240,
        within_days=14,
    )
    # 4 hours fit 15:00-20:00 UTC: from 15:00 Mexico City starts before its core hours, to
    # 20:00 Santo Domingo runs past them, 15:30 puts both out half an hour. Taken month by
    # month, 15:30 wins every time: both are inconvenienced in all twelve meetings.
    assert (found.greedy_worst, found.greedy_most_inconvenient) == (360, 12)
    ledger = {e.participant.state: e for e in found.ledger}
    assert (ledger["DO"].minutes_outside_core, ledger["DO"].inconvenient_meetings) == (360, 6)
    assert (ledger["MX"].minutes_outside_core, ledger["MX"].inconvenient_meetings) == (360, 6)
    assert found.worst == 360 and found.most_inconvenient == 6
    starts = sorted({(o.slot.start.hour, o.slot.start.minute) for o in found.occurrences if o.slot})
    assert starts == [(15, 0), (16, 0)]


def _meeting_record(people: Sequence[Participant], start: datetime, duration: int) -> Any:
    from somnet.meetings.invites import attendees_of, new_meeting

    return new_meeting(
        attendees_of(people),
        start=start,
        duration=duration,
        title="Earlier",
        organizer=attendees_of(people)[0],
        timezone="UTC",
        now=NOW,
    )


def test_the_ledger_starts_from_the_meetings_already_recorded(region: Directory) -> None:
    from somnet.meetings.planning import recorded_ledger

    people = resolve_participants(region, states=FIVE)
    # Two earlier 16:00-20:00 meetings kept Santo Domingo an hour late each time.
    earlier = [
        _meeting_record(people, datetime(2026, 12, day, 16, 0, tzinfo=UTC), 240) for day in (2, 9)
    ]
    others = [_meeting_record(people[:2], datetime(2026, 12, 3, 16, 0, tzinfo=UTC), 240)]
    ledger, counted = recorded_ledger(people, [*earlier, *others])
    assert counted == tuple(m.id for m in earlier)
    by_state = {e.participant.state: e for e in ledger}
    assert (by_state["DO"].minutes_outside_core, by_state["DO"].inconvenient_meetings) == (120, 2)
    assert by_state["MX"].minutes_outside_core == 0
    found = plan_series(
        people,
        first=date(2027, 1, 4),
        every="month",
        count=2,
        duration=240,
        ledger=ledger,
        within_days=14,
    )
    # Mexico's turn: both meetings at 15:00; 120 minutes each, before and after together.
    assert [o.slot.start.hour for o in found.occurrences if o.slot] == [15, 15]
    assert found.ledger_before == ledger
    after = {e.participant.state: e.minutes_outside_core for e in found.ledger}
    assert (after["DO"], after["MX"]) == (120, 120)
    fresh = plan_series(
        people, first=date(2027, 1, 4), every="month", count=2, duration=240, within_days=14
    )
    assert sorted(o.slot.start.hour for o in fresh.occurrences if o.slot) == [15, 16]


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


def _series_by_brute_force(
    people: Sequence[Participant], options: Sequence[Sequence[Any]]
) -> tuple[int, bool, int]:
    """Over every choice of one slot per period: the least worst-off minutes, whether a series
    with that worst case leaves nobody inconvenienced in every meeting, and the worst-off
    minutes of the period-by-period choice."""
    import itertools as it

    best = None
    nobody_always = False
    for combo in it.product(*options):
        minutes = [sum(s.burdens[i] for s in combo) for i in range(len(people))]
        always = any(all(s.burdens[i] for s in combo) for i in range(len(people)))
        worst = max(minutes)
        if best is None or worst < best:
            best, nobody_always = worst, not always
        elif worst == best:
            nobody_always = nobody_always or not always
    minutes, counts = [0] * len(people), [0] * len(people)
    for slots in options:
        chosen = min(
            slots,
            key=lambda s: (
                max(m + b for m, b in zip(minutes, s.burdens, strict=True)),
                max(n + (b > 0) for n, b in zip(counts, s.burdens, strict=True)),
                sum(minutes) + s.score,
                s.rank,  # ties as a plan ranks them
            ),
        )
        minutes = [m + b for m, b in zip(minutes, chosen.burdens, strict=True)]
        counts = [n + (b > 0) for n, b in zip(counts, chosen.burdens, strict=True)]
    assert best is not None
    return best, nobody_always, max(minutes)


ZONES_FOR_SERIES = ["America/Panama", "America/Santo_Domingo", "America/Mexico_City"]


@st.composite
def _series_people(draw: Any) -> list[Participant]:
    people = []
    for n in range(draw(st.integers(2, 4))):
        zone = draw(st.sampled_from(ZONES_FOR_SERIES))
        core_start = draw(st.integers(8, 13))
        core_end = draw(st.integers(core_start + 1, 16))
        people.append(
            person(
                f"p{n}",
                zone,
                "Mo-Fr 08:00-16:00",
                f"Mo-Fr {core_start:02d}:00-{core_end:02d}:00",
            )
        )
    return people


@settings(max_examples=60)
@given(people=_series_people(), count=st.integers(2, 4), duration=st.sampled_from([60, 120]))
def test_a_series_is_never_less_fair_than_choosing_period_by_period(
    people: list[Participant], count: int, duration: int
) -> None:
    # Weekly on Tuesdays (one day a period), on the hour: small enough to try every series.
    first = date(2027, 1, 5)
    try:
        found = plan_series(
            people,
            first=first,
            every="week",
            count=count,
            duration=duration,
            step=60,
            within_days=1,
            holidays={},
        )
    except NoSlotError:
        return  # the working hours of these zones never overlap long enough
    options = [
        candidate_slots(people, Window(o.first, o.last, duration, 60), {})
        for o in found.occurrences
    ]
    best, nobody_always, greedy = _series_by_brute_force(people, options)
    assert found.worst <= greedy and found.greedy_worst == greedy
    assert found.worst == best
    if nobody_always:
        assert found.most_inconvenient < count, "someone is put out every time needlessly"
