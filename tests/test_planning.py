"""Planning one meeting: the hard constraints (hours, holidays, daylight-saving changes), the
score and the ranking of ties, the notice, and the reasons when nothing fits."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import attrs
import pytest

from somnet import (
    Directory,
    DirectoryError,
    NoSlotError,
    WeeklyHours,
    Window,
    load_directory,
    plan_series,
    resolve_participants,
)
from somnet import plan_meeting as plan
from tests.meeting_fixtures import (
    STATES,
    local_time,
    person,
    write_region,
)


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
    assert local_time(before.start, "America/Nassau").utcoffset() == timedelta(hours=-4)
    assert local_time(after.start, "America/Nassau").utcoffset() == timedelta(hours=-5)
    for slot in (before, after):
        times = {t.participant.state: t for t in slot.local_times(people)}
        assert times["BS"].start.hour == 11  # inside Nassau's core hours on both sides
        assert times["PA"].start.utcoffset() == timedelta(hours=-5)
        assert times["DO"].start.utcoffset() == timedelta(hours=-4)
    # 2 November is a Haitian holiday (Day of the Dead), 3 November a Panamanian one.
    assert date(2026, 11, 2) not in by_day and date(2026, 11, 3) not in by_day


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


def _covers(code: str) -> str:
    """The years python-holidays has a calendar of ``code`` for, as a warning names them."""
    import holidays

    calendar = holidays.country_holidays(code)
    return f"{calendar.start_year}-{calendar.end_year}"


def test_a_year_python_holidays_has_no_calendar_of_is_a_warning_not_a_year_without_holidays(
    region: Directory,
) -> None:
    # python-holidays lists no holiday in a year after its calendar ends (2100): read as
    # "no holidays", a plan would offer Christmas Day without a word.
    people = resolve_participants(region, states=["BS", "PA"])
    found = plan(people, Window(date(2150, 12, 21), date(2150, 12, 25), 60))
    assert found.slots
    assert [w for w in found.warnings if "not checked" in w] == [
        f"BS bs-focal: public holidays of BS in 2150 are not checked (its calendar is known for "
        f"{_covers('BS')} only)",
        f"PA pa-focal: public holidays of PA in 2150 are not checked (its calendar is known for "
        f"{_covers('PA')} only)",
    ]
    assert found.to_json()["warnings"] == list(found.warnings)
    # Across the end of the calendar, the year it covers is still checked: Christmas Day 2100
    # is not offered, and only the year after is named.
    across = plan(people, Window(date(2100, 12, 24), date(2101, 1, 5), 60), count=200)
    assert date(2100, 12, 25) not in {s.start.date() for s in across.slots}
    assert [w for w in across.warnings if "not checked" in w] == [
        f"BS bs-focal: public holidays of BS in 2101 are not checked (its calendar is known for "
        f"{_covers('BS')} only)",
        f"PA pa-focal: public holidays of PA in 2101 are not checked (its calendar is known for "
        f"{_covers('PA')} only)",
    ]
    # A series over years after the calendar names them together.
    series = plan_series(people[:1], first=date(2150, 12, 1), every="month", count=14, duration=60)
    assert [w for w in series.warnings if "not checked" in w] == [
        f"BS bs-focal: public holidays of BS in 2150-2152 are not checked (its calendar is "
        f"known for {_covers('BS')} only)",
    ]


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


def test_a_coarse_grid_is_not_blamed_when_the_notice_rules_out_the_time_everyone_is_free() -> None:
    # Panama works 13:00-21:00 UTC; on a grid of whole days the only start, 00:00 UTC, is
    # outside it. A finer grid would not help: the notice allows nothing before Thursday.
    desk = person("desk", "America/Panama", "Mo-Fr 08:00-16:00")
    window = Window(date(2027, 3, 3), date(2027, 3, 3), 30, step=24 * 60)
    not_before = datetime(2027, 3, 4, 5, 0, tzinfo=UTC)
    with pytest.raises(NoSlotError) as raised:
        plan([desk], window, holidays={}, not_before=not_before)
    assert raised.value.reasons == [
        "every start that suits everyone is before the earliest start allowed, "
        "Thu 2027-03-04 05:00 UTC (now, and the notice)"
    ]
    # Without the notice, the grid is what rules it out: a finer one fits.
    with pytest.raises(NoSlotError, match="try a finer step"):
        plan([desk], window, holidays={})
    finer = Window(date(2027, 3, 3), date(2027, 3, 3), 30, step=15)
    with pytest.raises(NoSlotError, match="before the earliest start allowed"):
        plan([desk], finer, holidays={}, not_before=not_before)
    # Free after the earliest start, off the grid: the grid is to blame.
    early = datetime(2027, 3, 3, 14, 0, tzinfo=UTC)
    with pytest.raises(NoSlotError, match="try a finer step"):
        plan([desk], window, holidays={}, not_before=early)
    # So for a series' period.
    with pytest.raises(NoSlotError) as raised:
        plan_series(
            [desk], first=date(2027, 3, 3), every="week", count=1, duration=30,
            step=24 * 60, within_days=1, holidays={}, not_before=not_before,
        )  # fmt: skip
    assert raised.value.reasons == [
        "every start that suits everyone is before the earliest start allowed, "
        "Thu 2027-03-04 05:00 UTC (now, and the notice)"
    ]


def test_hours_and_pair_reasons_name_the_notice_where_it_rules_out_the_only_time_they_had() -> None:
    # Monday 1 to Friday 5 March 2027, all on UTC; the notice allows nothing before Wednesday.
    window = Window(date(2027, 3, 1), date(2027, 3, 5), 60)
    not_before = datetime(2027, 3, 3, 5, 0, tzinfo=UTC)
    earliest = "Wed 2027-03-03 05:00 UTC, the earliest start allowed (now, and the notice)"
    # Saturdays only: no time in the window, notice or not. Mondays only: some, all before it.
    weekend = person("weekend", "UTC", "Sa 08:00-16:00")
    monday = person("monday", "UTC", "Mo 08:00-16:00")
    week = person("week", "UTC", "Mo-Fr 08:00-16:00")
    hours = "PA weekend has no 1h within their working hours (Sa 08:00-16:00, UTC) in the window"
    with pytest.raises(NoSlotError) as raised:
        plan([weekend, monday, week], window, holidays={}, not_before=not_before)
    assert raised.value.reasons == [
        hours,
        "PA monday has 1h within their working hours (Mo 08:00-16:00, UTC) in the window only "
        f"before {earliest}",
    ]
    with pytest.raises(NoSlotError) as raised:
        plan([weekend, monday, week], window, holidays={})
    assert raised.value.reasons == [hours]
    # Each has time after it; a and b meet only on Monday, b and c never.
    a = person("a", "UTC", "Mo,Th 08:00-16:00")
    b = person("b", "UTC", "Mo,Fr 08:00-16:00")
    c = person("c", "UTC", "Tu,Th 08:00-16:00")
    pair = (
        "the working hours of PA b (Mo,Fr 08:00-16:00, UTC) and PA c (Tu,Th 08:00-16:00, UTC) "
        "never overlap for 1h on a day that is a working day and not a holiday for both"
    )
    with pytest.raises(NoSlotError) as raised:
        plan([a, b, c], window, holidays={}, not_before=not_before)
    assert raised.value.reasons == [
        "PA a (Mo,Th 08:00-16:00, UTC) and PA b (Mo,Fr 08:00-16:00, UTC) can meet for 1h "
        f"within their working hours only before {earliest}",
        pair,
    ]
    with pytest.raises(NoSlotError) as raised:
        plan([a, b, c], window, holidays={})
    assert raised.value.reasons == [pair]
    # So for a series' period.
    with pytest.raises(NoSlotError) as raised:
        plan_series(
            [weekend, monday, week], first=date(2027, 3, 1), every="week", count=1,
            duration=60, within_days=5, holidays={}, not_before=not_before,
        )  # fmt: skip
    assert raised.value.reasons == [
        hours,
        "PA monday has 1h within their working hours (Mo 08:00-16:00, UTC) in the window only "
        f"before {earliest}",
    ]


def test_what_everyone_has_together_is_told_from_the_earliest_start_allowed() -> None:
    """Every pair meets for an hour on Thursday, all three for 30 minutes; on Monday, before
    the notice, all three had 45. The reason named Monday's 45 minutes, a time nobody may
    choose."""
    times = "Mo 14:00-14:45; Th {}"
    a = person("a", "UTC", times.format("08:00-09:00,12:00-13:00,14:00-14:30"))
    b = person("b", "UTC", times.format("08:00-09:00,10:00-11:00,14:00-14:30"))
    c = person("c", "UTC", times.format("10:00-11:00,12:00-13:00,14:00-14:30"))
    window = Window(date(2027, 3, 1), date(2027, 3, 5), 60)
    with pytest.raises(NoSlotError) as raised:
        plan([a, b, c], window, holidays={}, not_before=datetime(2027, 3, 3, 5, 0, tzinfo=UTC))
    assert raised.value.reasons == [
        "every pair can meet, but all together at most 30m (2027-03-04 14:00-14:30 UTC)"
    ]
    # Without a notice, Monday's is the longest.
    with pytest.raises(NoSlotError) as raised:
        plan([a, b, c], window, holidays={})
    assert raised.value.reasons == [
        "every pair can meet, but all together at most 45m (2027-03-01 14:00-14:45 UTC)"
    ]


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


CENTRAL_AMERICA = ["GT", "SV", "NI", "CR", "HN", "PA", "MX", "BZ"]


def test_central_american_slots_are_exactly_the_starts_python_holidays_and_the_hours_allow() -> (
    None
):
    # On the shipped directory, every start of February 2027 worked out independently: the
    # meeting on one local working day, inside a window of its working hours, on no public
    # holiday of python-holidays (observed days included) for the seat of each participant.
    import holidays

    people = resolve_participants(load_directory(), states=CENTRAL_AMERICA)
    window = Window(date(2027, 2, 1), date(2027, 2, 26), 90)
    found = plan(people, window, count=10_000)
    calendars = {
        p.contact: holidays.country_holidays(p.seat, subdiv=p.holiday_subdivision, years=2027)
        for p in people
    }
    expected = set()
    start = datetime(2027, 2, 1, tzinfo=UTC)
    while start < datetime(2027, 2, 27, tzinfo=UTC) - timedelta(minutes=90):
        end = start + timedelta(minutes=90)
        for p in people:
            local, local_end = local_time(start, p.timezone), local_time(end, p.timezone)
            begins = local.hour * 60 + local.minute
            if (
                local.date() != local_end.date()
                or local.date() in calendars[p.contact]
                or not any(
                    a <= begins and begins + 90 <= b
                    for a, b in p.working_hours.windows(local.weekday())
                )
            ):
                break
        else:
            expected.add(start)
        start += timedelta(minutes=15)
    assert expected  # the check is not empty
    assert {s.start for s in found.slots} == expected
    assert found.feasible == len(expected)
    named = {(p.contact, day) for p, day, _name in found.holidays}
    assert named == {
        (p.contact, day)
        for p in people
        for day in calendars[p.contact]
        if date(2027, 1, 31) <= day <= date(2027, 2, 26)
    }


@pytest.mark.parametrize(
    ("state", "holiday"),
    [
        ("GB", date(2027, 3, 29)),  # Easter Monday, a bank holiday in England (not Scotland)
        ("GB", date(2027, 8, 30)),  # the Late Summer Bank Holiday of England
        ("BQ", date(2027, 4, 30)),  # Rincon Day, Bonaire
        ("BQ", date(2027, 9, 6)),  # Bonaire Day
    ],
)
def test_the_shipped_focal_points_keep_the_holidays_of_where_they_sit(
    state: str, holiday: date
) -> None:
    # The FCDO desk sits in London, the IND Caribisch Nederland in Kralendijk (Bonaire): a
    # bank holiday there is no day to meet them, though not one in every part of the state.
    people = resolve_participants(load_directory(), states=[state, "MX"])
    with pytest.raises(NoSlotError):
        plan(people, Window(holiday, holiday, 60))
    found = plan(people, Window(holiday - timedelta(days=7), holiday + timedelta(days=7), 60))
    assert any(p.state == people[0].state and day == holiday for p, day, _n in found.holidays)


def test_three_who_meet_pair_by_pair_but_never_all_at_once_are_told_so_in_any_language() -> None:
    from somnet._i18n import Message

    # Monday: a and c; Tuesday: a and b; Wednesday: b and c. Never the three of them.
    a = person("a", "America/Panama", "Mo-Tu 08:00-10:00")
    b = person("b", "America/Panama", "Tu-We 08:00-10:00")
    c = person("c", "America/Panama", "Mo,We 08:00-10:00")
    with pytest.raises(NoSlotError) as caught:
        plan([a, b, c], Window(date(2026, 11, 30), date(2026, 12, 2), 60), holidays={})
    (reason,) = caught.value.reasons
    assert "never all at once" in reason
    assert isinstance(reason, Message)  # a message the catalogs translate, not fixed English


def test_a_post_abroad_offered_a_national_day_of_the_state_it_represents_is_warned_of() -> None:
    # Haiti's consulate in Miami keeps Miami's holidays, so 18 May (Haitian Flag Day) is a
    # working day there; many posts close on their own national days, so the plan says so of
    # the slots it offers on one, as the contact plan does.
    directory = load_directory()
    people = resolve_participants(directory, states=["HT"], roles=["consular"])
    people += resolve_participants(directory, states=["MX"])
    assert people[0].seat == "US" and people[0].state == "HT"
    flag_day = plan(people, Window(date(2027, 5, 18), date(2027, 5, 18), 60))
    assert flag_day.slots
    named = [w for w in flag_day.warnings if "2027-05-18" in w and "HT" in w]
    assert len(named) == 1, flag_day.warnings
    assert flag_day.to_json()["warnings"] == list(flag_day.warnings)
    next_day = plan(people, Window(date(2027, 5, 19), date(2027, 5, 19), 60))
    assert not [w for w in next_day.warnings if "HT" in w]
    # The Mexican focal point sits in its own state: its national days are holidays already.
    assert people[1].seat == people[1].state
    # A series says the same of the meeting it chooses on such a day.
    from somnet import plan_series

    series = plan_series(
        people, first=date(2027, 5, 18), every="week", count=1, duration=60, within_days=1
    )
    [occurrence] = series.occurrences
    assert occurrence.slot is not None and occurrence.slot.start.date() == date(2027, 5, 18)
    assert len([w for w in series.warnings if "2027-05-18" in w and "HT" in w]) == 1


def test_a_national_day_of_a_post_abroad_is_named_in_the_language_of_the_text() -> None:
    # Haitian Flag Day was "Flag Day and University Day" in a French plan: python-holidays'
    # names were always taken in English, where it has Haiti's in French.
    from somnet import localized

    directory = load_directory()
    people = resolve_participants(directory, states=["HT"], roles=["consular"])
    flag_day = plan(people, Window(date(2027, 5, 18), date(2027, 5, 18), 60))
    [warning] = [w for w in flag_day.warnings if "2027-05-18" in w]
    assert "(Flag Day and University Day)" in warning
    assert "(Fête du Drapeau et de l'Université)" in localized(warning, "fr")
    assert "(Fiesta de la Bandera y la Universidad)" in localized(warning, "es")


def test_a_post_abroad_in_a_year_without_its_states_calendar_is_warned_of() -> None:
    # The national days of the state a post represents come from python-holidays too: a year
    # it has no calendar of is not a year without them.
    directory = load_directory()
    people = resolve_participants(directory, states=["HT"], roles=["consular"])
    assert people[0].seat == "US" and people[0].represents == "HT"
    found = plan(people, Window(date(2150, 5, 18), date(2150, 5, 18), 60))
    assert found.slots
    label = people[0].label
    assert (
        f"{label}: public holidays of HT, the state this post represents, are not known for "
        "2150: it may be closed on one of its national days; confirm the date with it"
    ) in found.warnings


CLOCKS_CHANGE = ["US", "BS", "CU", "HT", "TC"]
CLOCKS_STAY = ["MX", "JM", "PA", "DO"]


def _minutes_outside(hours: WeeklyHours, start: datetime, minutes: int, zone: str) -> int:
    """Minutes of a meeting outside ``hours``, counted one by one on the local clock."""
    outside = 0
    for k in range(minutes):
        local = local_time(start + timedelta(minutes=k), zone)
        minute = local.hour * 60 + local.minute
        outside += not any(a <= minute < b for a, b in hours.windows(local.weekday()))
    return outside


@pytest.mark.parametrize(
    ("first", "last"),
    [(date(2027, 3, 11), date(2027, 3, 17)), (date(2027, 11, 4), date(2027, 11, 10))],
)
def test_the_2027_clock_changes_keep_every_slot_in_everyones_hours_on_the_shipped_data(
    first: date, last: date
) -> None:
    # US, BS, CU, HT and TC move their clocks on 14 March and 7 November 2027 (tzdata); MX
    # (outside its border strip, since 2022), JM, PA and DO do not. Every slot offered either
    # side lies in each focal point's working hours on their own clock that day, and its score
    # is their minutes outside core hours counted minute by minute. The US focal point keeps
    # New York's zone, Mexico's Mexico City's: each slot names them.
    directory = load_directory()
    people = resolve_participants(directory, states=CLOCKS_CHANGE + CLOCKS_STAY)
    zones = {p.state: p.timezone for p in people}
    assert zones["US"] == "America/New_York" and zones["MX"] == "America/Mexico_City"
    before, after = datetime.combine(first, time(12), UTC), datetime.combine(last, time(12), UTC)
    for p in people:
        changes = (
            local_time(before, p.timezone).utcoffset() != local_time(after, p.timezone).utcoffset()
        )
        assert changes == (p.state in CLOCKS_CHANGE), p.label
    found = plan(people, Window(first, last, 120), count=10_000)
    days = {s.start.date() for s in found.slots}
    assert min(days) < date(first.year, first.month, 14 if first.month == 3 else 7) < max(days)
    holidays = {(p.contact, day) for p, day, _name in found.holidays}
    for slot in found.slots:
        for t in slot.local_times(people):
            p = t.participant
            assert t.start.utcoffset() == t.end.utcoffset(), (slot.start, p.label)
            assert (p.contact, t.start.date()) not in holidays
            assert _minutes_outside(p.working_hours, slot.start, 120, p.timezone) == 0
            burden = _minutes_outside(p.core_hours, slot.start, 120, p.timezone)
            assert t.minutes_outside_core == burden, (slot.start, p.label)
    data = found.to_json()
    assert {q["timezone"] for s in data["slots"] for q in s["participants"]} == set(zones.values())


def test_a_weekly_series_across_the_2027_clock_changes_counts_inconvenient_hours_either_side() -> (
    None
):
    # The ledger of a series across each change is the minutes outside core hours of its
    # meetings counted on each participant's clock, and how many of them were inconvenient.
    people = resolve_participants(load_directory(), states=CLOCKS_CHANGE + CLOCKS_STAY)
    for first in (date(2027, 2, 28), date(2027, 10, 24)):
        series = plan_series(people, first=first, every="week", count=5, duration=240)
        minutes = [0] * len(people)
        counts = [0] * len(people)
        for occurrence in series.occurrences:
            assert occurrence.slot is not None
            for i, p in enumerate(people):
                burden = _minutes_outside(p.core_hours, occurrence.slot.start, 240, p.timezone)
                assert (
                    _minutes_outside(p.working_hours, occurrence.slot.start, 240, p.timezone) == 0
                )
                minutes[i] += burden
                counts[i] += burden > 0
        assert [e.minutes_outside_core for e in series.ledger] == minutes
        assert [e.inconvenient_meetings for e in series.ledger] == counts
        assert any(minutes)  # four hours of nine offices: someone is put out


def test_a_holiday_the_window_touches_only_outside_working_hours_is_not_in_it() -> None:
    # The window starts at 00:00 UTC on 9 December: 19:00 on 8 December in Panama, a holiday
    # there. Office hours end at 16:00, so the holiday keeps no slot off and is not listed as
    # in the window; hours that run to 20:00 could have had a slot that evening, so for them
    # it is. A holiday inside the window is listed whatever the hours.
    office = person("office", "America/Panama", "Mo-Fr 08:00-16:00")
    late = person("late", "America/Panama", "Mo-Fr 08:00-20:00")
    calendar = {date(2026, 12, 8): "Mothers' Day", date(2026, 12, 10): "A day inside"}
    window = Window(date(2026, 12, 9), date(2026, 12, 11), 60)
    found = plan([office, late], window, holidays={"PA": calendar})
    assert [(p.contact, day) for p, day, _ in found.holidays] == [
        ("office", date(2026, 12, 10)),
        ("late", date(2026, 12, 8)),
        ("late", date(2026, 12, 10)),
    ]
    # The same at the window's end: it ends at 00:00 UTC on 11 December, 08:00 in Manila,
    # where the office opens; a holiday there on 11 December is after the window, one on
    # 9 December (from 08:00) in it.
    manila = person("manila", "Asia/Manila", "Mo-Fr 08:00-16:00", seat="PH")
    calendar = {date(2026, 12, 9): "A first day", date(2026, 12, 11): "A day after"}
    window = Window(date(2026, 12, 9), date(2026, 12, 10), 60)
    found = plan([manila], window, holidays={"PH": calendar})
    assert [(p.contact, day) for p, day, _ in found.holidays] == [("manila", date(2026, 12, 9))]


# Odd cases of a plan (and so of `meeting invite --pick`, which plans the same) -------------


def test_a_window_that_starts_in_a_clock_change_on_someones_clock_offers_only_clear_times() -> None:
    # Chisinau's clocks change at 00:00 UTC: on 28 March 2027 they jump from 02:00 to 03:00
    # (the window starts at the gap); on 31 October 2027 02:00-03:00 happens twice, 23:00 to
    # 01:00 UTC (the window starts inside the repeat).
    duty = person("duty", "Europe/Chisinau", "24/7", seat="MD")
    spring = plan([duty], Window(date(2027, 3, 28), date(2027, 3, 28), 60), count=100, holidays={})
    starts = sorted(s.start for s in spring.slots)
    # From 00:00 UTC, 03:00 on their clock, every quarter hour to 23:00 UTC.
    assert spring.feasible == 93 and starts[0] == datetime(2027, 3, 28, 0, 0, tzinfo=UTC)
    assert local_time(starts[0], "Europe/Chisinau").hour == 3
    autumn = plan(
        [duty], Window(date(2027, 10, 31), date(2027, 10, 31), 60), count=100, holidays={}
    )
    starts = sorted(s.start for s in autumn.slots)
    # Nothing before the repeat is over (01:00 UTC, 03:00 on their clock the second time).
    assert autumn.feasible == 89 and starts[0] == datetime(2027, 10, 31, 1, 0, tzinfo=UTC)
    # With someone on a clock that does not change, the same.
    utc = person("utc", "UTC", "24/7", seat="GB")
    both = plan([duty, utc], Window(date(2027, 10, 31), date(2027, 10, 31), 60), holidays={})
    assert both.feasible == 89


def test_a_post_abroad_with_a_friday_saturday_weekend_meets_on_the_days_both_work() -> None:
    # Cairo (UTC+2 in March) works Sunday to Thursday 08:00-16:00, 06:00-14:00 UTC; Panama
    # Monday to Friday 08:00-16:00, 13:00-21:00 UTC: an hour in common, Monday to Thursday.
    cairo = person("cairo", "Africa/Cairo", "Su,Mo-Th 08:00-16:00", seat="EG")
    panama = person("panama", "America/Panama", "Mo-Fr 08:00-16:00")
    # Wednesday 3 to Sunday 7 March 2027.
    found = plan(
        [cairo, panama], Window(date(2027, 3, 3), date(2027, 3, 7), 60), count=5, holidays={}
    )
    assert sorted(s.start for s in found.slots) == [
        datetime(2027, 3, 3, 13, 0, tzinfo=UTC),
        datetime(2027, 3, 4, 13, 0, tzinfo=UTC),
    ]
    # Friday to Sunday: Cairo's weekend, then Panama's.
    with pytest.raises(NoSlotError) as raised:
        plan([cairo, panama], Window(date(2027, 3, 5), date(2027, 3, 7), 60), holidays={})
    assert raised.value.reasons == [
        "the working hours of EG cairo (Mo-Th,Su 08:00-16:00, Africa/Cairo) and PA panama "
        "(Mo-Fr 08:00-16:00, America/Panama) never overlap for 1h on a day that is a working "
        "day and not a holiday for both"
    ]


def test_a_desk_open_around_the_clock_is_not_offered_its_public_holiday() -> None:
    # Christmas Day in Nassau (UTC-5) is 05:00 on 25 December to 05:00 on 26 December UTC: a
    # 24/7 desk keeps its public holidays as every participant does; the evening before
    # Christmas on its clock is free.
    duty = person("duty", "America/Nassau", "24/7", seat="BS")
    holidays = {"BS": {date(2026, 12, 25): "Christmas Day"}}
    window = Window(date(2026, 12, 25), date(2026, 12, 25), 60)
    found = plan([duty], window, count=100, holidays=holidays)
    assert found.feasible == 17  # 00:00 to 04:00 UTC, every quarter hour
    assert max(s.end for s in found.slots) == datetime(2026, 12, 25, 5, 0, tzinfo=UTC)
    assert [(p.contact, day) for p, day, _ in found.holidays] == [("duty", date(2026, 12, 25))]
    with pytest.raises(NoSlotError) as raised:
        plan([duty], Window(date(2026, 12, 25), date(2026, 12, 25), 6 * 60), holidays=holidays)
    assert raised.value.reasons == [
        "BS duty has public holidays (2026-12-25 Christmas Day) and no other 6h within their "
        "working hours (24/7, America/Nassau)"
    ]


def test_a_meeting_longer_than_anyones_working_day_names_each_of_them() -> None:
    # 9 hours: longer than the 8-hour days of Panama and Manila; the desk open around the clock
    # has them.
    panama = person("panama", "America/Panama", "Mo-Fr 08:00-16:00")
    manila = person("manila", "Asia/Manila", "Mo-Fr 08:00-16:00", seat="PH")
    duty = person("duty", "America/Nassau", "24/7", seat="BS")
    with pytest.raises(NoSlotError) as raised:
        plan(
            [panama, duty, manila], Window(date(2027, 3, 1), date(2027, 3, 5), 9 * 60), holidays={}
        )
    assert raised.value.reasons == [
        "PA panama has no 9h within their working hours (Mo-Fr 08:00-16:00, America/Panama) "
        "in the window",
        "PH manila has no 9h within their working hours (Mo-Fr 08:00-16:00, Asia/Manila) "
        "in the window",
    ]


def test_a_series_over_new_year_into_a_year_without_a_calendar_warns_once_and_plans() -> None:
    import holidays

    # python-holidays knows Panama's public holidays to 2100: the first period runs from
    # 29 December 2100 into 2101, the second is in 2101.
    panama = person("pa-office", "America/Panama", "Mo-Fr 08:00-16:00", seat="PA")
    known = holidays.country_holidays("PA")
    found = plan_series(
        [panama], first=date(2100, 12, 29), every="week", count=2, duration=60, within_days=7
    )
    assert found.warnings == (
        "PA pa-office: public holidays of PA in 2101 are not checked (its calendar is known "
        f"for {known.start_year}-{known.end_year} only)",
    )
    assert [o.slot is not None for o in found.occurrences] == [True, True]


def test_a_year_no_participants_clock_reaches_in_the_window_is_not_warned_of() -> None:
    """A window that ends on 31 December 2100 (UTC dates) ends at 19:00 in Nassau and Panama:
    their clocks never reach 2101 in it, so python-holidays' calendars ending in 2100 miss
    nothing of theirs; the plan and the series warned all the same that 2101 was not checked.
    Paris's clock reaches 1 January 2101 at 23:00 UTC: that one is still warned of, as
    an invite at a time given (check_slot) warns only of the years its dates fall in."""
    import holidays

    nassau = person("bs-office", "America/Nassau", "Mo-Fr 09:00-17:00", seat="BS")
    panama = person("pa-office", "America/Panama", "Mo-Fr 08:00-16:00", seat="PA")
    paris = person("fr-post", "Europe/Paris", "Mo-Fr 09:00-18:00", seat="FR")
    window = Window(date(2100, 12, 27), date(2100, 12, 31), 60)
    west = plan([nassau, panama], window)
    assert [w for w in west.warnings if "not checked" in w] == []
    found = plan_series(
        [nassau, panama], first=date(2100, 10, 1), every="month", count=3, duration=60
    )
    assert [w for w in found.warnings if "not checked" in w] == []
    known = holidays.country_holidays("FR")
    east = plan([nassau, paris], window)
    assert [w for w in east.warnings if "not checked" in w] == [
        "FR fr-post: public holidays of FR in 2101 are not checked (its calendar is known "
        f"for {known.start_year}-{known.end_year} only)"
    ]


def test_a_post_abroad_is_told_its_national_days_from_the_calendars_given() -> None:
    # A caller who gives the calendars plans on them (the slots, the notice): the national
    # days of the state a post abroad represents were still looked up in python-holidays,
    # so Haitian Flag Day was warned of though the calendars given hold no such day, and a
    # day the calendars given hold for Haiti was not.
    directory = load_directory()
    people = resolve_participants(directory, states=["HT"], roles=["consular"])
    assert people[0].represents == "HT" and people[0].seat == "US"
    flag_day = Window(date(2027, 5, 18), date(2027, 5, 18), 60)
    found = plan(people, flag_day, holidays={})
    assert found.slots
    assert not [w for w in found.warnings if "HT" in w], found.warnings
    other = Window(date(2027, 5, 19), date(2027, 5, 19), 60)
    given = plan(people, other, holidays={"HT": {date(2027, 5, 19): "A Day Given"}})
    assert [w for w in given.warnings if "2027-05-19" in w] == [
        f"{people[0].label}: 2027-05-19 is a public holiday in HT (A Day Given), the state "
        "this post represents: it may be closed; confirm the date with it"
    ]
    # A series plans on the calendars given as a plan does.
    series = plan_series(
        people,
        first=date(2027, 5, 18),
        every="week",
        count=1,
        duration=60,
        within_days=1,
        holidays={},
    )
    assert not [w for w in series.warnings if "HT" in w], series.warnings


def test_carnival_days_on_which_offices_close_are_not_offered() -> None:
    # Not public holidays, but offices close (the Office of the Prime Minister's list of
    # holidays: most close on Carnival Monday and Tuesday); python-holidays files them outside
    # its public category, and they were offered as working days.
    office = person("office", "America/Port_of_Spain", "Mo-Fr 08:00-16:00", seat="TT")
    for day in (date(2027, 2, 8), date(2027, 2, 9)):
        with pytest.raises(NoSlotError) as caught:
            plan([office], Window(day, day, 60))
        assert "days their offices close" in caught.value.reasons[0] and "Carnival" in str(
            caught.value.reasons[0]
        ), caught.value.reasons
    # The Monday before and the Wednesday after are working days.
    for day in (date(2027, 2, 1), date(2027, 2, 10)):
        assert plan([office], Window(day, day, 60)).slots
    # So are they for an office in Panama, whose public offices close on Carnival Monday by a
    # decree of each year (README, "Meetings"): not counted, and only Tuesday is a holiday.
    panama = person("pa", "America/Panama", "Mo-Fr 08:00-16:00", seat="PA")
    assert plan([panama], Window(date(2027, 2, 8), date(2027, 2, 8), 60)).slots


def test_carnival_days_are_told_as_days_offices_close_not_as_public_holidays() -> None:
    # Trinidad and Tobago's Carnival Monday and Tuesday are no public holidays, but its offices
    # close: the reason said "has public holidays (2027-02-08 Carnival Monday)".
    from somnet.meetings.slots import check_slot

    office = person("office", "America/Port_of_Spain", "Mo-Fr 08:00-16:00", seat="TT")
    with pytest.raises(NoSlotError) as caught:
        plan([office], Window(date(2027, 2, 8), date(2027, 2, 9), 60))
    assert caught.value.reasons == [
        f"{office.label} has days their offices close (2027-02-08 Carnival Monday, 2027-02-09 "
        "Carnival Tuesday) and no other 1h within their working hours (Mo-Fr 08:00-16:00, "
        "America/Port_of_Spain)"
    ]
    # A public holiday alone is still told as one.
    with pytest.raises(NoSlotError) as caught:
        plan([office], Window(date(2027, 1, 1), date(2027, 1, 1), 60))
    assert caught.value.reasons[0].startswith(
        f"{office.label} has public holidays (2027-01-01 New Year's Day)"
    )
    # With someone else free all day: the days are told as days offices close too.
    free = person("free", "UTC", "Mo-Su 00:00-24:00")
    with pytest.raises(NoSlotError) as caught:
        plan([office, free], Window(date(2027, 2, 8), date(2027, 2, 8), 60))
    assert not [r for r in caught.value.reasons if "public holiday" in r], caught.value.reasons
    # Where hours never overlap, the days the window holds are told the same way (a public
    # holiday beside them, Panama's Carnival Tuesday, is a day offices close too).
    night = person("night", "UTC", "Mo-Fr 00:00-06:00")
    with pytest.raises(NoSlotError) as caught:
        plan([office, night], Window(date(2027, 2, 8), date(2027, 2, 10), 60))
    assert caught.value.reasons[-1] == (
        f"days offices close in the window: {office.label} 2027-02-08 Carnival Monday, "
        f"{office.label} 2027-02-09 Carnival Tuesday, {night.label} 2027-02-09 Carnival Tuesday"
    )
    # An invite at a time given on the day says so too.
    [problem] = check_slot([office], datetime(2027, 2, 8, 14, tzinfo=UTC), 60)
    assert problem == (
        f"{office.label}: Mon 2027-02-08 10:00-11:00 America/Port_of_Spain is a day their "
        "offices close (Carnival Monday)"
    )
    [problem] = check_slot([office], datetime(2027, 1, 1, 14, tzinfo=UTC), 60)
    assert "is a public holiday (New Year's Day)" in problem


def test_a_slot_on_a_day_offices_close_by_a_decree_of_most_years_is_warned_of() -> None:
    # Panama closes its public offices on Carnival Monday by an executive decree each year
    # (python-holidays' bank category, with 4 November, closed in some years only): offered
    # as a working day without a word.
    from somnet import localized

    panama = person("pa", "America/Panama", "Mo-Fr 08:00-16:00", seat="PA")
    monday = plan([panama], Window(date(2027, 2, 8), date(2027, 2, 8), 60))
    assert monday.slots
    [warning] = [w for w in monday.warnings if "2027-02-08" in w]
    assert warning == (
        "PA pa: 2027-02-08 is Carnival Monday in PA, no public holiday, but its public "
        "offices are closed on it by a decree in most years: confirm the date with them"
    )
    assert "Lunes de Carnaval" in localized(warning, "es")
    # Not on the day after (a public holiday, not offered), nor on calendars given.
    assert not [w for w in monday.warnings if "2027-02-09" in w]
    given = plan([panama], Window(date(2027, 2, 8), date(2027, 2, 8), 60), holidays={})
    assert not given.warnings
    # A series says the same of the meeting it chooses on such a day.
    series = plan_series(
        [panama], first=date(2027, 2, 8), every="week", count=1, duration=60, within_days=1
    )
    assert [w for w in series.warnings if "2027-02-08" in w] == [warning]
