"""How much notice a meeting gives: each participant's working days after today, a start
refused in the past or too soon (naming what would let it through), and the default notice
read from the configuration."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from somnet import BadInputError, MeetingError, NoSlotError, NoticeError, Window, plan_meeting
from somnet.meetings.notice import (
    check_timing,
    configured_notice_days,
    earliest_start,
    notice_earliest,
)
from tests.meeting_fixtures import person


def test_notice_counts_each_participants_working_days_after_today() -> None:
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


def test_a_start_too_soon_names_the_field_and_the_setting_that_lets_it_through() -> None:
    nassau = person("bs", "America/Nassau", "Mo-Fr 09:00-17:00", seat="BS")
    friday = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    monday = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    with pytest.raises(NoticeError) as raised:
        check_timing([nassau], datetime(2026, 11, 26, 16, tzinfo=UTC), friday, holidays={})
    assert (raised.value.field, raised.value.remedy) == ("start", "allow_past")
    with pytest.raises(NoticeError) as raised:
        check_timing([nassau], monday, friday, notice_days=2, holidays={}, field="start")
    assert (raised.value.field, raised.value.remedy) == ("start", "notice_days")
    assert "BS bs" in raised.value.reason and "--" not in str(raised.value)
    check_timing([nassau], monday, friday, notice_days=1, holidays={})
    check_timing([nassau], datetime(2025, 6, 3, tzinfo=UTC), friday, allow_past=True)


@pytest.mark.parametrize(
    ("text", "days"), [("", 2), ("notice_days = 0\n", 0), ("notice_days = 5\n", 5)]
)
def test_the_default_notice_is_read_from_the_configuration(
    isolated_environment: Path, text: str, days: int
) -> None:
    (isolated_environment / "config.toml").write_text(text)
    assert configured_notice_days() == days
    assert configured_notice_days(3) == 3


@pytest.mark.parametrize("value", ['"two"', "-1", "true", "1.5"])
def test_a_notice_in_the_configuration_that_is_not_a_number_of_days_is_refused(
    isolated_environment: Path, value: str
) -> None:
    (isolated_environment / "config.toml").write_text(f"notice_days = {value}\n")
    with pytest.raises(BadInputError, match="notice_days"):
        configured_notice_days()


def test_the_earliest_start_a_refusal_names_is_the_one_plans_use() -> None:
    nassau = person("bs", "America/Nassau", "Mo-Fr 09:00-17:00", seat="BS")
    # Monday 21 December, five working days of notice: 22, 23, 24, then Christmas, the
    # weekend, Boxing Day observed on Monday 28 (python-holidays), 29 and 30. A start the
    # next day is refused, and the earliest it names is not the 28th, a holiday.
    now = datetime(2026, 12, 21, 12, 0, tzinfo=UTC)
    with pytest.raises(NoticeError) as raised:
        check_timing([nassau], datetime(2026, 12, 22, 16, tzinfo=UTC), now, notice_days=5)
    earliest = raised.value.earliest
    assert earliest == earliest_start([nassau], now, 5) == datetime(2026, 12, 30, 5, tzinfo=UTC)
    check_timing([nassau], earliest, now, notice_days=5)


def test_a_notice_longer_than_a_year_of_working_days_names_the_field() -> None:
    panama = person("pa", "America/Panama", "Mo-Fr 08:00-16:00", seat="PA")
    friday = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    with pytest.raises(MeetingError) as raised:
        earliest_start([panama], friday, 400, holidays={})
    assert raised.value.field == "notice_days" and raised.value.value == 400


def _notice_entry_points(tmp_path: Path) -> dict[str, Any]:
    """Each library function that takes ``notice_days``, called so that it would use it (or,
    before, would not look at it: no clock, a start allowed in the past, no new start)."""
    import somnet
    from somnet import MeetingStore, Person, Window, invite_meeting, plan_meeting, plan_series
    from somnet.meetings.invites import invite_series, update_meeting

    people = [person("pa", "America/Panama", "Mo-Fr 08:00-16:00", seat="PA")]
    friday = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    window = Window(date(2026, 12, 7), date(2026, 12, 9), 60)
    organizer = Person("o@example.org", "")
    store = MeetingStore(tmp_path / "store")
    recorded = invite_meeting(
        people,
        title="T",
        organizer=organizer,
        duration=60,
        store=store,
        start=datetime(2026, 12, 8, 15, 0, tzinfo=UTC),
        now=friday,
    ).meeting
    series = {"first": date(2026, 12, 7), "every": "week", "count": 2, "duration": 60}
    return {
        "plan": lambda n: plan_meeting(people, window, notice_days=n, holidays={}),
        "plan with now": lambda n: plan_meeting(
            people, window, notice_days=n, now=friday, holidays={}
        ),
        "plan_series": lambda n: plan_series(people, **series, notice_days=n, holidays={}),
        "plan_series with now": lambda n: plan_series(
            people, **series, notice_days=n, now=friday, holidays={}
        ),
        "invite_meeting allowing the past": lambda n: invite_meeting(
            people,
            title="Past",
            organizer=organizer,
            duration=60,
            store=store,
            start=datetime(2026, 11, 2, 15, 0, tzinfo=UTC),
            now=friday,
            notice_days=n,
            allow_past=True,
        ),
        "update_meeting of the title": lambda n: update_meeting(
            store, recorded.id, title="Renamed", now=friday, notice_days=n
        ),
        "invite_series": lambda n: invite_series(
            people,
            **series,
            title="S",
            organizer=organizer,
            store=store,
            now=friday,
            notice_days=n,
        ),
        "earliest_start": lambda n: earliest_start(people, friday, n, holidays={}),
        "configured_notice_days": lambda n: configured_notice_days(n),
        "somnet.plan_meeting": lambda n: somnet.plan_meeting(people, window, notice_days=n),
    }


@pytest.mark.parametrize("value", [-1, True, 1.5, "2"])
def test_every_function_taking_a_notice_refuses_one_that_is_not_a_whole_number_of_days(
    tmp_path: Path, value: Any
) -> None:
    # The command line refuses --notice -1 (and what is not a whole number); the library took
    # -1 wherever it did not count the days (no clock, a start in the past allowed, an
    # update that moves nothing), True as one day, and failed on "2" with a TypeError.
    for name, call in _notice_entry_points(tmp_path).items():
        with pytest.raises(BadInputError) as raised:
            call(value)
        assert raised.value.field == "notice_days", name
        assert raised.value.value == value, name
        assert "--" not in raised.value.reason, name


def _uncovered(code: str, label: str, years: str) -> str:
    """The warning of a year python-holidays has no calendar of ``code`` for."""
    import holidays

    calendar = holidays.country_holidays(code)
    return (
        f"{label}: public holidays of {code} in {years} are not checked (its calendar is known "
        f"for {calendar.start_year}-{calendar.end_year} only)"
    )


def test_a_notice_counted_into_a_year_without_a_holiday_calendar_is_warned_of() -> None:
    """Thursday 30 December 2100: the two working days of notice run into 2101, a year
    python-holidays has no calendar of (a holiday there is counted as a working day); the
    refusal naming the earliest start says so, where it said nothing."""
    nassau = person("bs", "America/Nassau", "Mo-Fr 09:00-17:00", seat="BS")
    now = datetime(2100, 12, 30, 12, 0, tzinfo=UTC)
    earliest, warnings = notice_earliest([nassau], now, 2)
    assert earliest == datetime(2101, 1, 3, 5, 0, tzinfo=UTC)
    assert warnings == [_uncovered("BS", "BS bs", "2101")]
    with pytest.raises(NoticeError) as raised:
        check_timing([nassau], datetime(2100, 12, 31, 15, 0, tzinfo=UTC), now)
    assert raised.value.warnings == (_uncovered("BS", "BS bs", "2101"),)
    # Counted within 2100 (the look-up reaches 2101, the count does not): nothing to say.
    june = datetime(2100, 6, 1, 12, 0, tzinfo=UTC)
    assert notice_earliest([nassau], june, 2)[1] == []
    with pytest.raises(NoticeError) as raised:
        check_timing([nassau], datetime(2100, 6, 1, 15, 0, tzinfo=UTC), june)
    assert raised.value.warnings == ()
    # The earliest start a plan refuses every slot for carries it too.
    with pytest.raises(NoSlotError) as no_slot:
        plan_meeting([nassau], Window(date(2100, 12, 31), date(2100, 12, 31), 60), now=now)
    assert _uncovered("BS", "BS bs", "2101") in no_slot.value.warnings
    # A plan offering slots after the earliest start names the year as its own look-up
    # does (its slots are in it too): once.
    found = plan_meeting([nassau], Window(date(2101, 1, 3), date(2101, 1, 7), 60), now=now)
    assert found.slots and found.warnings.count(_uncovered("BS", "BS bs", "2101")) == 1


def test_a_plan_counts_the_notice_on_the_calendars_it_is_given() -> None:
    """The holidays a script gives are those of the notice too, not python-holidays': an
    office's closure day is no working day of notice, and a day the script's calendar keeps
    open (a holiday python-holidays lists) is one."""
    nassau = person("bs", "America/Nassau", "Mo-Fr 09:00-17:00", seat="BS")
    # Friday 27 November; the office closes on Monday 30: Tuesday 1 December is the first
    # working day of notice, Wednesday 2 the second (python-holidays lists no holiday there).
    friday = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    closure = {"BS": {date(2026, 11, 30): "Office closure"}}
    window = Window(date(2026, 12, 1), date(2026, 12, 2), 60)
    found = plan_meeting([nassau], window, now=friday, notice_days=2, holidays=closure)
    wednesday = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
    assert found.slots and all(s.start >= wednesday for s in found.slots)
    assert earliest_start([nassau], friday, 2, holidays=closure) == wednesday
    # Thursday 24 December, on a calendar without Christmas and Boxing Day (python-holidays
    # has both, and Boxing Day observed on Monday 28): Friday 25 and Monday 28 are the two
    # working days, and a meeting may start on Tuesday 29.
    eve = datetime(2026, 12, 24, 15, 0, tzinfo=UTC)
    window = Window(date(2026, 12, 29), date(2026, 12, 29), 60)
    found = plan_meeting([nassau], window, now=eve, notice_days=2, holidays={"BS": {}})
    assert found.slots
    with pytest.raises(NoSlotError):
        # On python-holidays' calendar, the 29th is within the notice.
        plan_meeting([nassau], window, now=eve, notice_days=2)


def test_a_series_counts_the_notice_on_the_calendars_it_is_given() -> None:
    from somnet import plan_series

    nassau = person("bs", "America/Nassau", "Mo-Fr 09:00-17:00", seat="BS")
    friday = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    closure = {"BS": {date(2026, 11, 30): "Office closure"}}
    series = plan_series(
        [nassau],
        first=date(2026, 11, 30),
        every="week",
        count=1,
        duration=60,
        within_days=3,
        now=friday,
        notice_days=2,
        holidays=closure,
    )
    (occurrence,) = series.occurrences
    assert occurrence.slot is not None
    assert occurrence.slot.start >= datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
