"""Where a meeting can lie: the window, every grid start that suits everyone (against a
minute-by-minute reference), daylight-saving changes, and a start chosen by hand."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from somnet import Directory, MeetingError, Participant, Window, resolve_participants
from somnet.meetings.participants import public_holidays
from somnet.meetings.slots import candidate_slots, check_slot
from tests.meeting_fixtures import (
    person,
)


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(MeetingError, match="ends before it starts"):
        Window(date(2026, 12, 18), date(2026, 12, 1), 90)
    with pytest.raises(MeetingError, match="at most"):
        Window(date(2026, 1, 1), date(2028, 1, 1), 90)


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


def test_a_start_chosen_by_hand_in_a_year_without_calendars_warns_that_holidays_are_unchecked(
    region: Directory,
) -> None:
    import holidays

    people = resolve_participants(region, states=["BS"])
    warnings = check_slot(people, datetime(2150, 12, 25, 15, tzinfo=UTC), 60)
    bahamas = holidays.country_holidays("BS")
    assert warnings == [
        "BS bs-focal: public holidays of BS in 2150 are not checked (its calendar is known for "
        f"{bahamas.start_year}-{bahamas.end_year} only)"
    ]


def test_a_start_chosen_by_hand_is_refused_for_its_true_reason() -> None:
    office = person("office", "America/Panama", "Mo-Fr 08:00-16:00")
    calendars = {"PA": {date(2026, 12, 25): "Christmas Day"}}
    # Thursday 24 December 20:00 to midnight: after hours, and over before Christmas Day.
    (evening,) = check_slot([office], datetime(2026, 12, 25, 1, tzinfo=UTC), 240, calendars)
    assert "outside their working hours" in evening and "Christmas" not in evening
    # On the night New York's clocks go back (1 November 2026, 02:00 EDT to 01:00 EST), a duty
    # post open around the clock: a meeting ending at 01:00 or 01:30 ends at a time that
    # happens twice, it is not outside "24/7".
    duty = person("duty", "America/New_York", "24/7", seat="US")
    for start in (datetime(2026, 11, 1, 4, tzinfo=UTC), datetime(2026, 11, 1, 4, 30, tzinfo=UTC)):
        (repeated,) = check_slot([duty], start, 60, {})
        assert "daylight-saving change" in repeated and "working hours" not in repeated
    assert check_slot([duty], datetime(2026, 11, 1, 3, tzinfo=UTC), 60, {}) == []


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [
        (date(9999, 12, 31), date(9999, 12, 31), "first"),
        (date(9998, 12, 30), date(9999, 1, 2), "last"),
        (date(1, 1, 1), date(1, 1, 2), "first"),
    ],
)
def test_a_window_outside_the_years_of_every_date_is_refused_naming_its_end(
    first: date, last: date, field: str
) -> None:
    # As the dates the command line reads (1971-9998): a plan there would run past what a
    # date can hold, a day either side.
    with pytest.raises(MeetingError) as raised:
        Window(first, last, 60)
    assert raised.value.field == field


def test_a_start_chosen_by_hand_warns_only_of_the_years_its_local_dates_fall_in() -> None:
    import holidays

    # Panama keeps UTC-5 all year, Santo Domingo UTC-4; python-holidays' calendars of both end
    # in 2100 (and Panama's begins in 1948).
    panama = person("pa-office", "America/Panama", "24/7", seat="PA")
    santo_domingo = person("do-office", "America/Santo_Domingo", "24/7", seat="DO")
    pa, do = holidays.country_holidays("PA"), holidays.country_holidays("DO")

    def unchecked(key: str, year: int, calendar: holidays.HolidayBase) -> str:
        return (
            f"{key} {key.lower()}-office: public holidays of {key} in {year} are not checked "
            f"(its calendar is known for {calendar.start_year}-{calendar.end_year} only)"
        )

    # Thursday 30 December 2100, and the first days of Panama's calendar: every local date
    # of the meeting is in a year the calendar covers, whatever lies two days away.
    assert check_slot([panama], datetime(2100, 12, 30, 15, tzinfo=UTC), 60) == []
    assert check_slot([panama], datetime(1948, 1, 2, 15, tzinfo=UTC), 60) == []
    # 23:30 to midnight on 31 December 2100 in Panama is 2101 in UTC, not in Panama.
    new_year = datetime(2101, 1, 1, 4, 30, tzinfo=UTC)
    assert check_slot([panama], new_year, 30) == []
    # An hour long, it runs into 2101 in Panama; half an hour long, in Santo Domingo only,
    # whose calendar alone is then unchecked.
    assert check_slot([panama], new_year, 60) == [unchecked("PA", 2101, pa)]
    assert check_slot([panama, santo_domingo], new_year, 30) == [unchecked("DO", 2101, do)]
    assert check_slot([santo_domingo, panama], new_year, 60) == [
        unchecked("DO", 2101, do),
        unchecked("PA", 2101, pa),
    ]
