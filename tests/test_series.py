"""A series whose inconvenient hours rotate: its periods, the ledger (from the meetings
recorded), and a choice as a whole never less fair than one made period by period."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from somnet import (
    Directory,
    MeetingError,
    MeetingStore,
    NoSlotError,
    Participant,
    Person,
    Window,
    invite_series,
    new_meeting,
    plan_series,
    resolve_participants,
)
from somnet.meetings.lifecycle import attendees_of
from somnet.meetings.series import periods, recorded_ledger
from somnet.meetings.slots import candidate_slots
from tests.meeting_fixtures import (
    NOW,
    local_time,
    person,
)


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
        offsets.add(local_time(occurrence.slot.start, "America/Nassau").utcoffset())
    # The series crosses the change: Nassau's offset differs between its meetings.
    assert offsets == {timedelta(hours=-4), timedelta(hours=-5)}
    assert series.worst == 0


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
    with pytest.raises(MeetingError) as raised:
        periods(date(2027, 1, 4), "fortnight", 2)  # type: ignore[arg-type]
    assert raised.value.field == "every"
    with pytest.raises(MeetingError) as raised:
        periods(date(2027, 1, 4), "week", 0)
    assert raised.value.field == "count"


@pytest.mark.parametrize(
    ("first", "every", "count"),
    [
        (date(2027, 1, 31), "month", 26),
        (date(2028, 2, 29), "month", 25),
        (date(2027, 1, 31), "quarter", 12),
        (date(2028, 2, 29), "quarter", 9),
        (date(2027, 12, 31), "month", 3),
        (date(2027, 11, 30), "quarter", 5),
    ],
)
def test_periods_from_a_month_end_or_a_leap_day_skip_and_double_no_month(
    first: date, every: Any, count: int
) -> None:
    # Each period starts on the day of the month of the first, or on the month's last day
    # when it is shorter (never on the 1st of the next month: no month is skipped or has
    # two), across year ends and leap years; the periods follow one another without a gap.
    spans = periods(first, every, count)
    assert len(spans) == count
    step = 1 if every == "month" else 3
    for k, (a, b) in enumerate(spans):
        year, month = divmod(first.month - 1 + k * step, 12)
        assert (a.year, a.month) == (first.year + year, month + 1), (k, a)
        following = date(a.year + (a.month == 12), a.month % 12 + 1, 1)
        assert a.day == min(first.day, (following - timedelta(days=1)).day), (k, a)
        assert a <= b
        if k:
            assert a == spans[k - 1][1] + timedelta(days=1)


@pytest.mark.parametrize("every", ["week", "month", "quarter"])
def test_periods_that_would_end_after_the_year_9998_are_refused(every: Any) -> None:
    with pytest.raises(MeetingError, match="the series would run past the year 9998") as raised:
        periods(date(9998, 1, 4), every, 120)
    assert raised.value.field == "count"


@pytest.mark.parametrize(
    ("first", "every", "count"),
    [(date(9998, 12, 31), "quarter", 4), (date(9998, 12, 31), "month", 12)],
)
def test_a_series_into_the_year_9999_is_refused_not_a_traceback(
    first: date, every: Any, count: int
) -> None:
    # Its last period would end on 30 December 9999: as every date given, the years stop at 9998.
    panama = person("pa", "America/Panama", "Mo-Fr 08:00-16:00")
    with pytest.raises(MeetingError) as raised:
        plan_series([panama], first=first, every=every, count=count, duration=60)
    assert raised.value.field == "count"


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


def test_records_that_cannot_be_read_are_named_in_the_warnings_not_left_out_silently(
    region: Directory, tmp_path: Path
) -> None:
    """A record the store cannot read may be a meeting of these participants (the ledger
    before is then short), or one of the series resumed (its period is then planned anew):
    the plan says so, naming it."""
    people = resolve_participants(region, states=FIVE)
    store = MeetingStore(tmp_path / "store")
    invited = invite_series(
        people,
        first=date(2027, 1, 4),
        every="month",
        count=3,
        duration=240,
        within_days=14,
        title="Monthly",
        organizer=Person("o@example.org", "Organizer"),
        store=store,
        now=NOW,
    )
    damaged = invited.issued[1].record
    damaged.write_text('{"record_version": 3, "title": "half a rec')
    said = f"{damaged}: not a meeting record (broken JSON at line 1, column 32)"
    ledger = "the ledger before leaves it out (it may be a meeting of these participants)"
    resumed = f"if it is a meeting of series {invited.id}, its period is planned anew"
    found = plan_series(
        people, first=date(2027, 4, 5), every="month", count=2, duration=240, store=store
    )
    assert found.counted == (invited.issued[0].meeting.id, invited.issued[2].meeting.id)
    assert f"{said}; {ledger}" in found.warnings
    for counting, told in ((True, f"{said}; {ledger}; {resumed}"), (False, f"{said}; {resumed}")):
        found = plan_series(
            people,
            first=date(2027, 1, 4),
            every="month",
            count=3,
            duration=240,
            within_days=14,
            store=store,
            resume=invited.id,
            ledger_from_store=counting,
        )
        assert told in found.warnings
    found = plan_series(
        people,
        first=date(2027, 4, 5),
        every="month",
        count=2,
        duration=240,
        store=store,
        ledger_from_store=False,
    )
    assert not [w for w in found.warnings if str(damaged) in w]


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


@pytest.mark.parametrize("within", [400, 3_000_000, 10**12])
def test_days_to_search_longer_than_the_period_search_the_whole_period(within: int) -> None:
    panama = person("pa", "America/Panama", "Mo-Fr 08:00-16:00")
    whole = plan_series([panama], first=date(2027, 2, 1), every="week", count=2, duration=60)
    longer = plan_series(
        [panama], first=date(2027, 2, 1), every="week", count=2, duration=60, within_days=within
    )
    assert [(o.first, o.last) for o in longer.occurrences] == [
        (date(2027, 2, 1), date(2027, 2, 7)),
        (date(2027, 2, 8), date(2027, 2, 14)),
    ]
    assert [o.slot for o in longer.occurrences] == [o.slot for o in whole.occurrences]


@pytest.mark.parametrize("index", [2, -1, True, "0", 0.0])
def test_a_fixed_start_of_no_period_of_the_series_is_refused_naming_fixed(index: Any) -> None:
    # A fixed meeting of period 2 in a series of two (indexes 0 and 1), or under the key "0",
    # was ignored without a word: the series planned a new time for a meeting already sent.
    panama = person("pa", "America/Panama", "Mo-Fr 08:00-16:00")
    start = datetime(2026, 12, 8, 15, 0, tzinfo=UTC)
    with pytest.raises(MeetingError) as raised:
        plan_series(
            [panama],
            first=date(2026, 12, 7),
            every="week",
            count=2,
            duration=60,
            holidays={},
            fixed={index: start},
        )
    assert raised.value.field == "fixed"
    assert raised.value.value == index


@pytest.mark.parametrize(
    "start",
    [
        datetime(2026, 12, 8, 15),  # no zone: another instant on each machine
        datetime(2026, 12, 8, 15, tzinfo=timezone(timedelta(hours=15))),  # no zone keeps it
        datetime(1900, 12, 8, 15, tzinfo=UTC),  # outside the years 1971-9998
        "2026-12-08T15:00Z",  # a text, not a datetime
    ],
)
def test_a_fixed_start_is_refused_as_a_start_given_elsewhere_naming_fixed(start: Any) -> None:
    # invite_meeting and update_meeting refuse these starts (the start needs a zone, and the
    # checks of a time typed as text); a series' fixed meetings were taken as given.
    panama = person("pa", "America/Panama", "Mo-Fr 08:00-16:00")
    with pytest.raises(MeetingError) as raised:
        plan_series(
            [panama],
            first=date(2026, 12, 7),
            every="week",
            count=2,
            duration=60,
            holidays={},
            fixed={0: start},
        )
    assert raised.value.field == "fixed"
    assert raised.value.value == start


def test_resuming_a_series_without_its_store_is_refused_naming_the_field() -> None:
    # The series to resume is read from the store: without one, resume was left unread and
    # the whole series planned anew, its meetings sent already among them.
    nassau = person("bs", "America/Nassau", "Mo-Fr 09:00-17:00", seat="BS")
    series = {"first": date(2026, 12, 7), "every": "week", "count": 2, "duration": 60}
    with pytest.raises(MeetingError) as raised:
        plan_series([nassau], **series, holidays={}, resume="3f2a9c1e")
    assert (raised.value.field, raised.value.value) == ("resume", "3f2a9c1e")
    assert "store" in raised.value.reason and "--" not in raised.value.reason
    # Without resume, no store is needed.
    assert plan_series([nassau], **series, holidays={}).occurrences


def test_a_ledger_entry_of_someone_who_does_not_attend_is_refused_naming_the_field() -> None:
    # Left out without a word: a ledger from another series, or one whose contact ids changed,
    # made a series that looked fair and started someone from zero.
    from somnet import LedgerEntry

    a = person("a", "America/Panama", "Mo-Fr 08:00-16:00")
    b = person("b", "America/Panama", "Mo-Fr 08:00-16:00")
    stranger = person("c", "America/Panama", "Mo-Fr 08:00-16:00")
    asked: dict[str, Any] = {
        "first": date(2027, 1, 4),
        "every": "week",
        "count": 1,
        "duration": 60,
        "holidays": {},
    }
    with pytest.raises(MeetingError) as raised:
        plan_series([a, b], ledger=[LedgerEntry(a, 60, 1), LedgerEntry(stranger, 90, 2)], **asked)
    assert raised.value.field == "ledger"
    assert "PA c" in raised.value.reason and "--" not in raised.value.reason
    # Two entries for one participant: which one counts is not to be guessed.
    with pytest.raises(MeetingError) as raised:
        plan_series([a, b], ledger=[LedgerEntry(a, 60, 1), LedgerEntry(a, 0, 0)], **asked)
    assert raised.value.field == "ledger" and "PA a" in raised.value.reason
    # A participant without an entry starts from zero (someone new to the series).
    found = plan_series([a, b], ledger=[LedgerEntry(a, 60, 1)], **asked)
    assert [e.minutes_outside_core for e in found.ledger_before] == [60, 0]
