"""What every meeting plan and invite must hold, whatever the participants and the window:
properties an organiser would require of any result (README "Meetings", docs/json.md), checked
over random participants of the shipped directory (focal points, posts abroad, a 24/7 duty desk,
a Sunday-to-Thursday week, Nepal's +05:45), windows across daylight-saving changes and year
ends, durations, grids, notice and series: (1) every slot suits everyone and the plan counts
and ranks every start that does; (2) when nothing fits, each reason is true; (3) the same
inputs give the same plan in every language; (4) an invite's .ics, its update and its
cancellation say what the record says, a series' meetings too; (5) a record reads back as
saved, and a damaged one is refused naming its file; (6) the command line prints the plan the
library makes.

Each property is checked against facts worked out here minute by minute on each participant's
own clock (python-holidays for their public holidays), not against the planner's own intervals.
"""

from __future__ import annotations

import itertools
import json
import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import icalendar
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from somnet import (
    Directory,
    MeetingStore,
    NoSlotError,
    Participant,
    Person,
    Window,
    calendar_bytes,
    load_directory,
    new_meeting,
    plan_meeting,
    plan_series,
    resolve_participants,
)
from somnet._i18n import set_language
from somnet.directory.hours import CLOSURE_CATEGORIES, holiday_calendar
from tests.cli import run
from tests.meeting_fixtures import parse_both

#: Contacts of the shipped directory with the clocks and calendars a plan must get right: focal
#: points of states on and off daylight saving, a 24/7 duty desk in London, Bangladesh's Sunday
#: to Thursday week, Nepal's +05:45, posts abroad (which keep their host's holidays) in Paris,
#: London, Chicago, Merida and Nassau, and offices with a lunch break.
_CONTACTS = (
    "bs-mofa-desk", "do-mirex-desk", "ht-maec-desk", "hn-sreci-desk", "jm-mfaft-desk",
    "mx-sre-desk", "pa-mire-desk", "us-state-desk", "cu-minrex-desk", "gb-fcdo-caribbean-desk",
    "nl-minbuza-desk", "aw-dimas-desk", "bz-mfa-desk", "gy-mofaic-desk", "tc-mibs-desk",
    "us-uscg-sector-sanjuan-desk", "gb-fcdo-london.duty", "bd-mofa.desk", "np-mofa.desk",
    "sv-emb-paris.desk", "ve-emb-london.desk", "sv-cons-omaha.desk", "us-cons-merida.desk",
    "tt-hon-nassau.desk", "mf-crip-desk",
)  # fmt: skip
#: Those an invite can reach (the duty desk in London has no e-mail address).
_MAILED = tuple(c for c in _CONTACTS if c != "gb-fcdo-london.duty")
#: First dates near what a plan must get right: the United States' and Europe's clock changes
#: of 2026 and 2027, year ends (2099's, past the 2037 of older time-zone tables), a leap day,
#: the last of a long month (a series from it keeps to each month's last day); and any date of
#: 2026 to 2028.
_ANCHORS = st.sampled_from(
    [
        date(2026, 3, 6), date(2026, 3, 27), date(2026, 10, 23), date(2026, 10, 30),
        date(2026, 12, 20), date(2026, 12, 28), date(2027, 3, 12), date(2027, 3, 26),
        date(2027, 10, 29), date(2027, 11, 5), date(2027, 12, 24), date(2028, 2, 27),
        date(2099, 12, 27), date(2027, 1, 31), date(2028, 2, 29),
    ]
) | st.dates(date(2026, 1, 1), date(2028, 12, 1))  # fmt: skip
#: Whole multiples of 5 minutes (``_GRAIN``), up to a whole day (the duty desk is open 24/7).
_DURATIONS = st.sampled_from([15, 30, 45, 60, 90, 120, 180, 240, 25, 480, 1440])
_STEPS = st.sampled_from([15, 30, 60, 10, 24 * 60])


def _settings(max_examples: int) -> Any:
    """Examples enough to find a fault on a shared machine in under a minute for the file;
    the fixtures (the directory, a folder per example, the clock) hold nothing between
    examples."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.fixture(scope="module")
def people() -> dict[str, Participant]:
    directory: Directory = load_directory(use_env=False)
    return {c: resolve_participants(directory, contacts=[c])[0] for c in _CONTACTS}


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    """``plan_meeting``'s arguments (participants by contact id), with a clock and notice or
    none."""
    first = draw(_ANCHORS)
    days = draw(st.integers(0, 20))
    args: dict[str, Any] = {
        "contacts": draw(st.lists(st.sampled_from(_CONTACTS), min_size=1, max_size=5, unique=True)),
        "first": first,
        "last": first + timedelta(days=days),
        "duration": draw(_DURATIONS),
        "step": draw(_STEPS),
        "count": draw(st.integers(1, 6)),
        "per_day": draw(st.booleans()),
        "now": None,
        "notice_days": None,
    }
    if draw(st.booleans()):
        hours = draw(st.integers(-72, 24 * 8))
        args["now"] = datetime.combine(first, time(), UTC) + timedelta(hours=hours, minutes=7)
        args["notice_days"] = draw(st.integers(0, 3))
    return args


def _plan(people: dict[str, Participant], args: dict[str, Any]) -> Any:
    who = [people[c] for c in args["contacts"]]
    window = Window(args["first"], args["last"], duration=args["duration"], step=args["step"])
    return plan_meeting(
        who,
        window,
        count=args["count"],
        per_day=args["per_day"],
        now=args["now"],
        notice_days=args["notice_days"],
    )


def _calendar(p: Participant, first: date, last: date) -> dict[date, str]:
    """Their public holidays (observed days included), straight from python-holidays, and
    the days their offices close that are none (``CLOSURE_CATEGORIES``)."""
    try:
        entity = holiday_calendar(
            p.seat,
            p.holiday_subdivision,
            list(range(first.year, last.year + 1)),
            also=CLOSURE_CATEGORIES.get(p.seat, ()),
        )
    except NotImplementedError:
        return {}
    return {day: name for day, name in entity.items() if first <= day <= last}


def _inside(hours: Any, local: datetime) -> bool:
    minute = local.hour * 60 + local.minute
    return any(a <= minute < b for a, b in hours.windows(local.weekday()))


def _problems(
    p: Participant, start: datetime, duration: int, calendar: dict[date, str]
) -> list[str]:
    """What is wrong with ``[start, start + duration)`` for ``p``, minute by minute on their own
    clock: outside their working hours, on their public holiday, across a clock change."""
    tz = ZoneInfo(p.timezone)
    found = []
    for m in range(duration):
        local = (start + timedelta(minutes=m)).astimezone(tz)
        if not _inside(p.working_hours, local):
            found.append(f"{local:%a %Y-%m-%d %H:%M %z} outside {p.working_hours}")
            break
        if local.date() in calendar:
            found.append(f"{local.date()} is {calendar[local.date()]}")
            break
    end = (start + timedelta(minutes=duration)).astimezone(tz)
    if start.astimezone(tz).utcoffset() != end.utcoffset():
        found.append(f"across a clock change ({start.astimezone(tz)} to {end})")
    return found


def _check_national_days(who: Sequence[Participant], slot: Any, warnings: Sequence[str]) -> None:
    """A meeting on a national day of the state a post abroad represents is warned of
    (README: many posts close on their own national days too)."""
    for p in who:
        if p.represents is None:
            continue
        tz = ZoneInfo(p.timezone)
        for moment in (slot.start, slot.end - timedelta(minutes=1)):
            day = moment.astimezone(tz).date()
            try:
                home = holiday_calendar(p.represents, p.represents_subdivision, [day.year])
            except NotImplementedError:
                continue
            if day in home:
                assert any(p.label in w and day.isoformat() in w for w in warnings), (p.label, day)


def _outside_core(p: Participant, start: datetime, duration: int) -> int:
    tz = ZoneInfo(p.timezone)
    return sum(
        not _inside(p.core_hours, (start + timedelta(minutes=m)).astimezone(tz))
        for m in range(duration)
    )


def _earliest(
    participants: Sequence[Participant], now: datetime, notice: int, calendars: dict[str, Any]
) -> datetime:
    """Local midnight of each one's ``notice``-th working day after today, the latest; never
    before now (README: "counted on their own working week and public holidays")."""
    latest = now
    for p in participants:
        tz = ZoneInfo(p.timezone)
        day = now.astimezone(tz).date()
        counted = 0
        while counted < notice:
            day += timedelta(days=1)
            if p.working_hours.windows(day.weekday()) and day not in calendars[p.contact]:
                counted += 1
        latest = max(latest, datetime.combine(day, time(), tz))
    return latest


# 1. Every slot offered suits everyone ----------------------------------------------------------


@_settings(200)
@given(args=plans())
def test_every_slot_lies_in_everyones_hours_off_their_holidays_in_the_window(
    people: dict[str, Participant], args: dict[str, Any]
) -> None:
    """Each slot lies, minute by minute on each participant's own clock, inside their working
    hours, on none of their public holidays, on one side of a clock change; inside the window
    (UTC dates), on the grid, after now and the notice; its local times are its UTC times in
    their zones, its score the minutes outside their core hours; the plan offers ``count``
    slots when that many starts suit, best first."""
    try:
        plan = _plan(people, args)
    except NoSlotError as error:
        assert error.reasons, args
        return
    who = [people[c] for c in args["contacts"]]
    lo = datetime.combine(args["first"], time(), UTC)
    hi = datetime.combine(args["last"] + timedelta(days=1), time(), UTC)
    calendars = {
        p.contact: _calendar(
            p, args["first"] - timedelta(days=400), args["last"] + timedelta(days=400)
        )
        for p in who
    }
    document = plan.to_json()
    assert document["feasible_starts"] == plan.feasible >= len(plan.slots) >= 1
    if not args["per_day"]:
        assert len(plan.slots) == min(args["count"], plan.feasible)
    assert len(plan.slots) <= args["count"]
    assert [s.rank for s in plan.slots] == sorted(s.rank for s in plan.slots)
    if args["per_day"]:
        days = [s.start.date() for s in plan.slots]
        assert len(set(days)) == len(days)
    for slot, shown in zip(plan.slots, document["slots"], strict=True):
        assert lo <= slot.start and slot.end <= hi, (slot.start, args)
        assert (slot.start - lo) % timedelta(minutes=args["step"]) == timedelta(0)
        assert shown["start"] == f"{slot.start:%Y-%m-%dT%H:%M:%SZ}"
        assert shown["end"] == f"{slot.end:%Y-%m-%dT%H:%M:%SZ}"
        if args["now"] is not None:
            earliest = _earliest(who, args["now"], args["notice_days"], calendars)
            assert slot.start >= earliest, (slot.start, earliest, args)
        burdens = []
        for p, local in zip(who, shown["participants"], strict=True):
            assert _problems(p, slot.start, slot.duration, calendars[p.contact]) == [], (
                p.label,
                slot.start,
                args,
            )
            tz = ZoneInfo(p.timezone)
            assert local["contact"] == p.contact and local["timezone"] == p.timezone
            assert local["local_start"] == slot.start.astimezone(tz).isoformat()
            assert local["local_end"] == slot.end.astimezone(tz).isoformat()
            outside = _outside_core(p, slot.start, slot.duration)
            assert local["minutes_outside_core"] == outside, (p.label, slot.start, args)
            burdens.append(outside)
        assert shown["score"] == slot.score == sum(burdens)
        _check_national_days(who, slot, plan.warnings)
    # The languages: every participant's, those all speak, interpretation when none is common.
    spoken = [{tag.split("-")[0].lower() for tag in p.languages} for p in who]
    known = [langs for langs in spoken if langs]
    common = set.intersection(*known) if known else set()
    assert document["interpretation"] == {
        "needed": not common,
        "languages": sorted(set().union(*spoken)),
        "common": sorted(common),
    }
    for listed in document["holidays"]:
        p = people[listed["contact"]]
        day = date.fromisoformat(listed["date"])
        assert day in calendars[p.contact], listed
        tz = ZoneInfo(p.timezone)
        assert lo.astimezone(tz).date() <= day <= (hi - timedelta(minutes=1)).astimezone(tz).date()
    for p in who:
        # A holiday on a local date wholly inside the window is listed.
        tz = ZoneInfo(p.timezone)
        listed = {d["date"] for d in document["holidays"] if d["contact"] == p.contact}
        for day in calendars[p.contact]:
            begins = datetime.combine(day, time(), tz)
            ends = datetime.combine(day + timedelta(days=1), time(), tz)
            if lo <= begins and ends <= hi:
                assert day.isoformat() in listed, (p.label, day, args)
            elif begins < hi and lo < ends:
                # Covered in part (the evening before the window west of UTC): listed when
                # that part holds some of their working hours.
                since, until = max(begins, lo), min(ends, hi)
                quarters = int((until - since) / timedelta(minutes=15))
                working = any(
                    _inside(p.working_hours, (since + timedelta(minutes=15 * q)).astimezone(tz))
                    for q in range(quarters)
                )
                assert (day.isoformat() in listed) == working, (p.label, day, args)


#: The grain of the feasibility count: every working hour, core hour and clock change of the
#: directory is on a quarter hour of UTC (offsets are quarter hours too, Nepal's +05:45), and
#: every start and duration drawn is a multiple of 5 minutes.
_GRAIN = 5


def _blocks(p: Participant, lo: datetime, count: int, calendar: dict[date, str]) -> Any:
    """For each ``_GRAIN``-minute block from ``lo``: whether ``p`` can be in a meeting then
    (working hours, not a holiday, not a local time that happens twice), its minutes outside
    their core hours, and the UTC offset at its first minute."""
    tz = ZoneInfo(p.timezone)
    usable, outside, offsets = [], [], []
    for i in range(count):
        local = (lo + timedelta(minutes=_GRAIN * i)).astimezone(tz)
        twice = local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()
        usable.append(
            _inside(p.working_hours, local) and local.date() not in calendar and not twice
        )
        outside.append(0 if _inside(p.core_hours, local) else _GRAIN)
        offsets.append((local.utcoffset(), twice))
    return usable, outside, offsets


def _feasible(
    who: Sequence[Participant], args: dict[str, Any], calendars: dict[str, Any]
) -> list[tuple[datetime, int, list[int]]]:
    """Every grid start of the window that suits everyone, worked out block by block on each
    one's clock, with its score: a meeting lies in usable blocks, starts and ends at the same
    UTC offset, and does not end at a local time that happens twice; nothing before now and
    the notice."""
    lo = datetime.combine(args["first"], time(), UTC)
    minutes = ((args["last"] - args["first"]).days + 1) * 24 * 60
    duration, step = args["duration"], args["step"]
    count = minutes // _GRAIN + 1
    tables = [_blocks(p, lo, count, calendars[p.contact]) for p in who]
    bad = []  # prefix sums of unusable blocks, per participant
    core = []
    for usable, outside, _offsets in tables:
        bad.append([0, *itertools.accumulate(not u for u in usable)])
        core.append([0, *itertools.accumulate(outside)])
    earliest = None
    if args["now"] is not None:
        earliest = _earliest(who, args["now"], args["notice_days"], calendars)
    found = []
    for s in range(0, minutes - duration + 1, step):
        if earliest is not None and lo + timedelta(minutes=s) < earliest:
            continue
        a, b = s // _GRAIN, (s + duration) // _GRAIN
        fits = all(
            bad[k][b] - bad[k][a] == 0
            and tables[k][2][a][0] == tables[k][2][b][0]
            and not tables[k][2][b][1]
            for k in range(len(who))
        )
        if fits:
            burdens = [core[k][b] - core[k][a] for k in range(len(who))]
            found.append((lo + timedelta(minutes=s), sum(burdens), burdens))
    return found


@_settings(200)
@given(args=plans())
def test_the_plan_counts_every_start_that_suits_everyone_and_offers_the_best_first(
    people: dict[str, Participant], args: dict[str, Any]
) -> None:
    """``feasible_starts`` is the number of grid starts that suit everyone, counted here block
    by block on each participant's clock; nothing fits (``NoSlotError``) only when there is
    none; the best slot ranks first of them all (``_rank``)."""
    who = [people[c] for c in args["contacts"]]
    calendars = {
        p.contact: _calendar(
            p, args["first"] - timedelta(days=400), args["last"] + timedelta(days=400)
        )
        for p in who
    }
    found = _feasible(who, args, calendars)
    try:
        plan = _plan(people, args)
    except NoSlotError as error:
        assert found == [], (found[:3], list(error.reasons), args)
        return
    assert plan.feasible == len(found), args
    assert {s.start for s in plan.slots} <= {start for start, _score, _burdens in found}
    best = plan.slots[0]
    assert _rank(who, best.start, best.score, list(best.burdens)) == min(
        _rank(who, *start) for start in found
    ), args


def _rank(
    who: Sequence[Participant], start: datetime, score: int, burdens: list[int]
) -> tuple[int, int, int]:
    """How the README ranks slots, without the margin inside core hours: the lowest score;
    then Tuesday to Thursday on everyone's clock, before Monday and Friday, before the
    weekend; then the fewest outside their core hours."""
    days = [start.astimezone(ZoneInfo(p.timezone)).weekday() for p in who]
    week = max(2 if day >= 5 else 1 if day in (0, 4) else 0 for day in days)
    return (score, week, sum(1 for b in burdens if b))


# 2. When nothing fits, the reasons are true ---------------------------------------------------


@_settings(200)
@given(args=plans())
def test_when_nothing_fits_each_reason_names_a_real_cause(
    people: dict[str, Participant], args: dict[str, Any]
) -> None:
    """A participant said to have no time in the window has none even alone, and one said to
    have it only before the earliest start allowed has some without the clock; the earliest
    start said to rule out every slot does (without the clock, some slot fits); a coarse grid
    said to miss the time everyone has free does; a pair said never to overlap cannot meet, one
    said to meet only before the earliest start can without the clock, and every pair said to
    meet can."""
    try:
        _plan(people, args)
    except NoSlotError as error:
        reasons = list(error.reasons)
    else:
        return
    assert reasons
    named = [
        c for c in args["contacts"] if any(r.startswith(people[c].label + " has ") for r in reasons)
    ]
    free = {**args, "now": None, "notice_days": None, "step": 5}
    for contact in named:
        said = people[contact].label + " has "
        if any(r.startswith(said) and ", the earliest start allowed" in r for r in reasons):
            # Some time alone, all of it before the earliest start allowed.
            assert _plan(people, {**free, "contacts": [contact]}).slots
            continue
        with pytest.raises(NoSlotError):
            _plan(people, {**args, "contacts": [contact]})
    if any("before the earliest start allowed" in r for r in reasons):
        # Every time that suits everyone is before it (on any grid).
        assert _plan(people, {**args, "now": None, "notice_days": None, "step": 5}).slots
    if any("try a finer step" in r for r in reasons):
        assert _plan(people, {**args, "step": 5}).slots
    elif args["now"] is None and not named:
        # Nobody alone is short of time: so the cause is between them.
        assert len(args["contacts"]) > 1, reasons
    # A pair said never to overlap cannot meet alone together, on any grid; one said to meet
    # only before the earliest start allowed can without it; when every pair is said to be
    # able to meet, each can.
    pairs = [(a, b) for i, a in enumerate(args["contacts"]) for b in args["contacts"][i + 1 :]]
    for a, b in pairs:
        if any(
            r.startswith(f"{people[a].label} (") and f" and {people[b].label} (" in r
            for r in reasons
        ):
            assert _plan(people, {**free, "contacts": [a, b]}).slots
        if any(
            r.startswith(f"the working hours of {people[a].label} (")
            and f" and {people[b].label} (" in r
            for r in reasons
        ):
            with pytest.raises(NoSlotError):
                _plan(people, {**free, "contacts": [a, b]})
    if any(r.startswith("every pair can meet") for r in reasons):
        for a, b in pairs:
            assert _plan(people, {**free, "contacts": [a, b]}).slots, (a, b)


def _feasible_count(people: dict[str, Participant], args: dict[str, Any]) -> int:
    try:
        count: int = _plan(people, args).feasible
    except NoSlotError:
        return 0
    return count


@_settings(200)
@given(args=plans(), more=st.integers(1, 10), extra=st.sampled_from(_CONTACTS))
def test_a_wider_window_or_fewer_participants_never_fit_fewer_starts(
    people: dict[str, Participant], args: dict[str, Any], more: int, extra: str
) -> None:
    """Every start that suits everyone still does in a window that ends later, and when one of
    them is not invited; none more does when someone is added."""
    fits = _feasible_count(people, args)
    wider = {**args, "last": args["last"] + timedelta(days=more)}
    assert _feasible_count(people, wider) >= fits
    if len(args["contacts"]) > 1:
        assert _feasible_count(people, {**args, "contacts": args["contacts"][1:]}) >= fits
    if extra not in args["contacts"]:
        assert _feasible_count(people, {**args, "contacts": [*args["contacts"], extra]}) <= fits


# 3. The same inputs, the same plan ------------------------------------------------------------


def _document(people: dict[str, Participant], args: dict[str, Any]) -> dict[str, Any]:
    try:
        document: dict[str, Any] = _plan(people, args).to_json()
    except NoSlotError as error:
        return {"reasons": list(error.reasons), "warnings": list(error.warnings)}
    return document


@_settings(50)
@given(args=plans())
def test_the_same_inputs_give_the_same_plan_in_every_language(
    people: dict[str, Participant], args: dict[str, Any]
) -> None:
    """Twice, and in Spanish and French, the plan's JSON (or why nothing fits) is the same
    (docs/json.md: English in JSON)."""
    first = json.dumps(_document(people, args))
    assert json.dumps(_document(people, args)) == first
    try:
        for code in ("es", "fr"):
            set_language(code)
            assert json.dumps(_document(people, args)) == first, code
    finally:
        set_language("en")


# 4. An invite's .ics says what the record says ------------------------------------------------

#: The clock of the invites: before every start drawn.
NOW = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
ORGANIZER = Person("focal@example.org", "Regional focal point")

_TITLES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)


#: How far an update moves a meeting, in quarter hours: hours, or months (across a clock
#: change, which the VTIMEZONE must then cover).
_QUARTERS = st.integers(-200, 200) | st.integers(-20000, 20000)


@st.composite
def invites(draw: st.DrawFn) -> dict[str, Any]:
    """``invite_meeting``'s arguments at a time given by hand (any time: a time that does not
    suit someone is sent with a warning), and a new start for an update."""
    first = draw(_ANCHORS)
    start = datetime.combine(first, time(), UTC) + timedelta(minutes=15 * draw(st.integers(0, 95)))
    return {
        "contacts": draw(st.lists(st.sampled_from(_MAILED), min_size=1, max_size=4, unique=True)),
        "start": start,
        # Hours or months away: across a clock change, which the VTIMEZONE must then cover.
        "moved": start + timedelta(minutes=15 * draw(_QUARTERS.filter(bool))),
        "then": draw(st.lists(st.sampled_from(_MAILED), min_size=1, max_size=4, unique=True)),
        "lasting": draw(st.none() | _DURATIONS),
        "duration": draw(_DURATIONS),
        "title": draw(_TITLES),
        "timezone": draw(st.none() | st.sampled_from(["UTC", "Europe/London", "America/Havana"])),
    }


def _event(data: bytes) -> tuple[Any, Any]:
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def _check_ics(data: bytes, meeting: Any, method: str) -> None:
    """The .ics holds the record: METHOD, UID, SEQUENCE, the instants (UTC or in a zone its
    VTIMEZONE defines), the attendees and organizer, the title."""
    calendar, event = _event(data)
    _ours, theirs = parse_both(data)  # CRLF, folding, and a second parser
    # The wall-clock times read on the VTIMEZONE the invite carries (vobject would read a
    # zone it knows on pytz's rules, which stop in 2037).
    zones = {str(z.tzid.value): z.gettzinfo() for z in theirs.contents.get("vtimezone", [])}
    for line, instant in (
        (theirs.vevent.dtstart, meeting.start),
        (theirs.vevent.dtend, meeting.start + timedelta(minutes=meeting.duration)),
    ):
        # vobject renames the TZID of a zone it resolves on its own.
        tzid = (line.params.get("TZID") or line.params.get("X-VOBJ-ORIGINAL-TZID") or [None])[0]
        value = line.value
        if tzid is not None:
            # A local time that happens twice is its first occurrence (RFC 5545 3.3.5); the
            # second is written in UTC.
            wall = value.replace(tzinfo=None)
            assert wall.replace(tzinfo=ZoneInfo(tzid), fold=0) == instant, (line, instant)
            twice = (
                wall.replace(tzinfo=ZoneInfo(tzid), fold=1).utcoffset()
                != wall.replace(tzinfo=ZoneInfo(tzid)).utcoffset()
            )
            if twice:
                continue
            value = wall.replace(tzinfo=zones[tzid])
        assert value == instant, (line, instant)
    assert calendar["METHOD"] == method
    assert str(event["UID"]) == meeting.uid
    assert int(event["SEQUENCE"]) == meeting.sequence
    # A line break in the title is any of CR LF, CR, LF: the invite writes each as RFC 5545's.
    title = meeting.title.replace("\r\n", "\n").replace("\r", "\n")
    assert str(event["SUMMARY"]) == title
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == meeting.start and end == meeting.start + timedelta(minutes=meeting.duration)
    tzid = event["DTSTART"].params.get("TZID")
    if tzid is None:
        assert start.utcoffset() == timedelta(0)
    else:
        assert tzid == meeting.timezone
        assert tzid in {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    attendees = event.get("ATTENDEE", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    addresses = sorted(str(a).removeprefix("mailto:").lower() for a in attendees)
    if method == "REQUEST" or str(event.get("STATUS", "")) == "CANCELLED":
        assert addresses == sorted(a.email.lower() for a in meeting.attendees)
    assert str(event["ORGANIZER"]).removeprefix("mailto:") == meeting.organizer.email


@_settings(40)
@given(args=invites())
def test_an_invite_its_update_and_its_cancellation_say_what_the_record_says(
    people: dict[str, Participant], args: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The invite's .ics (``--out``) and ``calendar_bytes`` match the record; an update raises
    SEQUENCE by one and keeps the UID; a cancellation is METHOD:CANCEL, STATUS:CANCELLED, the
    same UID, SEQUENCE one more; the record read back from the store is the meeting."""
    from somnet import Channels, MeetingError, cancel_meeting, invite_meeting, update_meeting

    folder = tmp_path_factory.mktemp("invite")
    store = MeetingStore(folder / "meetings")
    out = folder / "meeting.ics"
    who = [people[c] for c in args["contacts"]]
    try:
        issued = invite_meeting(
            who,
            title=args["title"],
            organizer=ORGANIZER,
            duration=args["duration"],
            start=args["start"],
            store=store,
            now=NOW,
            notice_days=0,
            timezone=args["timezone"],
            channels=Channels(out=out),
        )
    except MeetingError as refused:
        # A blank title, or one with a character an invite cannot carry: refused, naming it,
        # with nothing written.
        assert refused.field == "title", refused
        assert not args["title"].strip() or any(
            unicodedata.category(c) == "Cc" for c in args["title"]
        )
        assert not out.exists() and not store.ids()
        return
    meeting = issued.meeting
    assert meeting.sequence == 0 and meeting.start == args["start"]
    # Sent at a time given by hand, with a warning for each one whom it does not suit.
    for p in who:
        calendar = _calendar(
            p, args["start"].date() - timedelta(days=2), args["start"].date() + timedelta(days=3)
        )
        unsuited = _problems(p, args["start"], args["duration"], calendar)
        warned = [
            w for w in issued.warnings
            if w.startswith(f"{p.label}: ")
            and any(k in w for k in ("outside their working", "is a public holiday (", "daylight"))
        ]  # fmt: skip
        assert bool(warned) == bool(unsuited), (p.label, unsuited, warned, args)
    _check_ics(out.read_bytes(), meeting, "REQUEST")
    written = calendar_bytes(meeting, method="REQUEST", now=NOW)
    _check_ics(written, meeting, "REQUEST")
    # Written for its attendees, in their languages: the same whatever the organiser's.
    try:
        for code in ("es", "fr"):
            set_language(code)
            assert calendar_bytes(meeting, method="REQUEST", now=NOW) == written, code
    finally:
        set_language("en")
    assert store.get(meeting.id) == meeting

    then = [people[c] for c in args["then"]]
    moved = update_meeting(
        store, meeting.id, start=args["moved"], duration=args["lasting"], participants=then,
        now=NOW, notice_days=0, allow_past=True, channels=Channels(out=out),
    ).meeting  # fmt: skip
    assert (moved.uid, moved.sequence, moved.start) == (meeting.uid, 1, args["moved"])
    assert moved.duration == (args["lasting"] or args["duration"])
    assert {a.email for a in moved.attendees} == {p.email for p in then}
    _check_ics(out.read_bytes(), moved, "REQUEST")
    assert store.get(meeting.id) == moved
    # Those taken off get a CANCEL naming only them, with no STATUS: the meeting goes on.
    removed = {p.email for p in who} - {p.email for p in then}
    uninvite = folder / "meeting-uninvite.ics"
    assert uninvite.exists() == bool(removed)
    if removed:
        calendar, event = _event(uninvite.read_bytes())
        assert calendar["METHOD"] == "CANCEL" and "STATUS" not in event
        assert (str(event["UID"]), int(event["SEQUENCE"])) == (meeting.uid, 1)
        named = event.get("ATTENDEE", [])
        named = named if isinstance(named, list) else [named]
        assert {str(a).removeprefix("mailto:") for a in named} == removed

    if moved.start <= NOW:
        # Held (recorded with allow_past): a meeting that has begun is not cancelled.
        with pytest.raises(MeetingError, match="has begun already"):
            cancel_meeting(store, meeting.id, now=NOW, channels=Channels(out=out))
        assert store.get(meeting.id) == moved
        return
    cancelled = cancel_meeting(store, meeting.id, now=NOW, channels=Channels(out=out)).meeting
    assert (cancelled.uid, cancelled.sequence, cancelled.status) == (meeting.uid, 2, "CANCELLED")
    _check_ics(out.read_bytes(), cancelled, "CANCEL")
    assert str(_event(out.read_bytes())[1]["STATUS"]) == "CANCELLED"
    assert store.get(meeting.id) == cancelled


@st.composite
def series_args(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "contacts": draw(st.lists(st.sampled_from(_MAILED), min_size=1, max_size=4, unique=True)),
        "first": draw(_ANCHORS),
        "every": draw(st.sampled_from(["week", "month", "quarter"])),
        "count": draw(st.integers(1, 5)),
        "duration": draw(st.sampled_from([30, 60, 90, 120])),
        "within_days": draw(st.none() | st.integers(1, 10)),
        # The clock: long before, or within days of the first period (which the notice may
        # then leave without a slot).
        "after": draw(st.none() | st.integers(-2 * 24 * 60, 6 * 24 * 60)),
        "notice_days": draw(st.integers(0, 3)),
    }


@_settings(40)
@given(args=series_args())
def test_a_series_puts_each_meeting_in_its_period_in_everyones_hours_with_its_own_uid(
    people: dict[str, Participant], args: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each occurrence lies in its period (within ``within_days`` of its first day), inside
    everyone's working hours and off their holidays; invited, each is a meeting of its own with
    its own UID at SEQUENCE 0, its .ics at the date of its slot."""
    from somnet import Channels, invite_series
    from somnet._exceptions import MeetingError

    who = [people[c] for c in args["contacts"]]
    now = NOW
    if args["after"] is not None:
        now = datetime.combine(args["first"], time(), UTC) + timedelta(minutes=args["after"])
    common: dict[str, Any] = {
        "first": args["first"],
        "every": args["every"],
        "count": args["count"],
        "duration": args["duration"],
        "within_days": args["within_days"],
        "now": now,
        "notice_days": args["notice_days"],
        "ledger_from_store": False,
    }
    try:
        series = plan_series(who, **common)
    except MeetingError as error:
        assert str(error)
        return
    calendars = {
        p.contact: _calendar(
            p, args["first"] - timedelta(days=2), args["first"] + timedelta(days=500)
        )
        for p in who
    }
    earliest = _earliest(who, now, args["notice_days"], calendars)
    # The same inputs, the same series, in every language.
    document = json.dumps(series.to_json())
    try:
        for code in ("en", "es", "fr"):
            set_language(code)
            assert json.dumps(plan_series(who, **common).to_json()) == document, code
    finally:
        set_language("en")
    for occurrence in series.occurrences:
        if occurrence.slot is None:
            assert occurrence.reasons
            continue
        slot = occurrence.slot
        lo = datetime.combine(occurrence.first, time(), UTC)
        hi = datetime.combine(occurrence.last + timedelta(days=1), time(), UTC)
        if args["within_days"] is not None:
            hi = min(hi, lo + timedelta(days=args["within_days"]))
        assert lo <= slot.start and slot.end <= hi, (occurrence, args)
        assert slot.start >= earliest, (occurrence, earliest, args)
        _check_national_days(who, slot, series.warnings)
        for p in who:
            assert _problems(p, slot.start, slot.duration, calendars[p.contact]) == [], (
                p.label,
                slot.start,
                args,
            )
    # Periods follow one another from ``first``, each on its day of the month (or the month's
    # last day when it is shorter).
    assert series.occurrences[0].first == args["first"]
    months = {"month": 1, "quarter": 3}.get(args["every"])
    for before, after in zip(series.occurrences, series.occurrences[1:], strict=False):
        assert before.last < after.first
        if months is None:
            assert after.first - before.first == timedelta(weeks=1)
        else:
            assert (after.first.year * 12 + after.first.month) - (
                before.first.year * 12 + before.first.month
            ) == months
            last_day = (after.first + timedelta(days=1)).day == 1
            assert after.first.day == args["first"].day or (
                last_day and after.first.day < args["first"].day
            )
    # The ledger after is the ledger before plus each meeting's burden; no worse for the
    # worst-off than choosing period by period.
    for k, (before, after) in enumerate(zip(series.ledger_before, series.ledger, strict=True)):
        burdens = [o.slot.burdens[k] for o in series.occurrences if o.slot]
        assert after.minutes_outside_core == before.minutes_outside_core + sum(burdens)
        assert after.inconvenient_meetings == before.inconvenient_meetings + sum(
            1 for b in burdens if b
        )
    assert series.to_json()["worst_minutes_outside_core"] <= series.greedy_worst
    if not any(o.slot for o in series.occurrences):
        return
    folder = tmp_path_factory.mktemp("series")
    (folder / "out").mkdir()
    invited = invite_series(
        who,
        **common,
        title="Regional coordination",
        organizer=ORGANIZER,
        store=MeetingStore(folder / "meetings"),
        channels=Channels(out=folder / "out"),
    )
    meetings = [m.meeting for m in invited.issued]
    starts = [o.slot.start for o in series.occurrences if o.slot]
    assert [m.start for m in meetings] == starts
    assert len({m.uid for m in meetings}) == len(meetings)
    assert all(m.sequence == 0 and m.series for m in meetings)
    for m in meetings:
        _check_ics((folder / "out" / f"{m.start:%Y-%m-%d}.ics").read_bytes(), m, "REQUEST")
    # The next series of the same participants starts its ledger from these meetings, and not
    # from them once they are cancelled (they were not held).
    from somnet import cancel_series

    store = MeetingStore(folder / "meetings")
    following = {**common, "first": series.occurrences[-1].last + timedelta(days=1)}
    following.update(ledger_from_store=True, store=store)
    try:
        then = plan_series(who, **following)
    except MeetingError:
        then = None
    if then is not None:
        assert sorted(then.counted) == sorted(m.id for m in meetings)
        assert [(e.minutes_outside_core, e.inconvenient_meetings) for e in then.ledger_before] == [
            (e.minutes_outside_core, e.inconvenient_meetings) for e in series.ledger
        ]
    # Cancelled as a whole: each meeting its CANCEL, its UID, SEQUENCE 1.
    cancelled = cancel_series(store, invited.id, now=NOW, channels=Channels(out=folder / "out"))
    assert sorted(i.meeting.uid for i in cancelled.issued) == sorted(m.uid for m in meetings)
    for issued in cancelled.issued:
        m = issued.meeting
        assert (m.sequence, m.status) == (1, "CANCELLED")
        data = (folder / "out" / f"{m.start:%Y-%m-%d}-cancel.ics").read_bytes()
        _check_ics(data, m, "CANCEL")
        assert str(_event(data)[1]["STATUS"]) == "CANCELLED"
    if then is not None:
        again = plan_series(who, **following)
        assert again.counted == ()
        assert {(e.minutes_outside_core, e.inconvenient_meetings) for e in again.ledger_before} == {
            (0, 0)
        }


# 5. A record reads back as it was; a damaged one is refused naming its file -------------------


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(data, list):
        return [leaf for i, value in enumerate(data) for leaf in _leaves(value, (*path, i))]
    return [path]


@_settings(50)
@given(args=invites(), data=st.data())
def test_a_record_with_a_value_of_the_wrong_kind_is_refused_naming_its_file(
    people: dict[str, Participant],
    args: dict[str, Any],
    data: st.DataObject,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A record whose value is replaced by one of another JSON type (a text by a number, a
    number by a text, null by a list), or cut short, is refused as a ``RecordError`` naming
    its file."""
    from somnet import RecordError

    assume(
        args["title"].strip() and not any(unicodedata.category(c) == "Cc" for c in args["title"])
    )
    store = MeetingStore(tmp_path_factory.mktemp("store"))
    who = [people[c] for c in args["contacts"]]
    meeting = new_meeting(
        [Person(p.email or f"{p.contact}@example.org", p.name, p.contact, p.state, p.timezone)
         for p in who],
        start=args["start"], duration=args["duration"], title=args["title"], organizer=ORGANIZER,
        timezone=args["timezone"] or who[0].timezone, now=NOW, meeting_id=store.new_id,
    )  # fmt: skip
    path = store.save(meeting)
    assert store.get(meeting.id) == meeting
    record = json.loads(path.read_text(encoding="utf-8"))
    where = data.draw(st.sampled_from(_leaves(record)))
    holder = record
    for key in where[:-1]:
        holder = holder[key]
    value = holder[where[-1]]
    wrong: Any = (
        7
        if isinstance(value, str)
        else []
        if value is None
        else "x"
        if not isinstance(value, bool)
        else "yes"
    )
    holder[where[-1]] = wrong
    path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(RecordError) as refused:
        store.get(meeting.id)
    assert refused.value.path == path, where
    # Cut short anywhere (a disk full, a copy stopped): refused too, naming the file.
    text = json.dumps(record)
    path.write_text(text[: data.draw(st.integers(0, len(text) - 1))], encoding="utf-8")
    with pytest.raises(RecordError) as refused:
        store.get(meeting.id)
    assert refused.value.path == path


@_settings(40)
@given(args=plans(), pick=st.integers(1, 4))
def test_an_invite_from_a_window_takes_the_slot_the_plan_offers_in_that_place(
    people: dict[str, Participant],
    args: dict[str, Any],
    pick: int,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """``invite --from --to --pick N`` is the plan's Nth best slot, with the same clock and
    notice; when the plan has none there, nothing is recorded."""
    from somnet import Channels, MeetingError, invite_meeting

    assume(all(c in _MAILED for c in args["contacts"]))
    args = {**args, "count": pick, "per_day": False}
    if args["now"] is None:
        args["now"] = NOW
        args["notice_days"] = 0
    try:
        offered = _plan(people, args).slots
    except NoSlotError:
        offered = ()
    store = MeetingStore(tmp_path_factory.mktemp("pick"))
    call = {
        "title": "Regional coordination", "organizer": ORGANIZER, "duration": args["duration"],
        "store": store, "first": args["first"], "last": args["last"], "step": args["step"],
        "pick": pick, "now": args["now"], "notice_days": args["notice_days"],
        "channels": Channels(),
    }  # fmt: skip
    who = [people[c] for c in args["contacts"]]
    if len(offered) < pick:
        with pytest.raises(MeetingError):
            invite_meeting(who, **call)
        assert store.ids() == []
        return
    issued = invite_meeting(who, **call)
    assert issued.meeting.start == offered[pick - 1].start
    assert issued.meeting.duration == args["duration"]


@_settings(50)
@given(
    args=invites(),
    before=st.integers(-3 * 24 * 60, 12 * 24 * 60),
    notice=st.integers(0, 4),
)
def test_an_invite_is_refused_exactly_when_it_gives_too_little_notice(
    people: dict[str, Participant],
    args: dict[str, Any],
    before: int,
    notice: int,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A start given by hand is refused, naming ``start`` and recording nothing, exactly when
    it is in the past or before the earliest start that gives everyone ``notice`` working
    days (counted here on their own week and holidays)."""
    from somnet import Channels, NoticeError, invite_meeting

    assume(
        args["title"].strip() and not any(unicodedata.category(c) == "Cc" for c in args["title"])
    )
    who = [people[c] for c in args["contacts"]]
    now = args["start"] - timedelta(minutes=before)
    day = now.date()
    calendars = {
        p.contact: _calendar(p, day - timedelta(days=2), day + timedelta(days=60)) for p in who
    }
    earliest = _earliest(who, now, notice, calendars)
    store = MeetingStore(tmp_path_factory.mktemp("notice"))
    call = {
        "title": args["title"], "organizer": ORGANIZER, "duration": args["duration"],
        "start": args["start"], "store": store, "now": now, "notice_days": notice,
        "channels": Channels(),
    }  # fmt: skip
    if args["start"] < earliest:
        with pytest.raises(NoticeError) as refused:
            invite_meeting(who, **call)
        assert refused.value.field == "start"
        assert store.ids() == []
    else:
        assert invite_meeting(who, **call).meeting.start == args["start"]


# 6. The command line prints the plan the library makes, in every language ---------------------


@_settings(50)
@given(args=plans(), language=st.sampled_from(["en", "es", "fr"]))
def test_the_command_line_prints_the_plan_of_the_library_in_every_language(
    people: dict[str, Participant],
    args: dict[str, Any],
    language: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``meeting plan --format json`` is ``Plan.to_json`` (or, exit 2, the reasons nothing
    fits) whatever ``--lang``, on the command line's clock."""
    now = args["now"] or NOW
    notice = 0 if args["notice_days"] is None else args["notice_days"]
    monkeypatch.setattr("somnet_cli.meeting._now", lambda: now)
    argv = ["--lang", language, "meeting", "plan"]
    for contact in args["contacts"]:
        argv += ["--contact", contact]
    argv += [
        "--duration", f"{args['duration']}m", "--step", f"{args['step']}m",
        "--from", args["first"].isoformat(), "--to", args["last"].isoformat(),
        "--notice", str(notice), "--count", str(args["count"]), "--format", "json",
    ]  # fmt: skip
    if args["per_day"]:
        argv.append("--per-day")
    result = run(capsys, *argv)
    expected = _document(people, {**args, "now": now, "notice_days": notice})
    if "reasons" in expected:
        assert result.exit_code == 2, result.stderr
        assert json.loads(result.stdout) == {"reasons": expected["reasons"], "slots": []}
    else:
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout) == expected


@_settings(40)
@given(args=invites(), before=st.integers(1, 12 * 24 * 60), notice=st.integers(1, 4))
def test_an_update_refuses_short_notice_only_for_those_it_adds_at_the_same_time(
    people: dict[str, Participant],
    args: dict[str, Any],
    before: int,
    notice: int,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """An update that keeps the time and changes who attends is refused, naming ``participants``
    and changing nothing, exactly when it gives someone it adds less notice than ``notice``
    working days; those invited before are not counted."""
    from somnet import Channels, NoticeError, invite_meeting, update_meeting

    assume(
        args["title"].strip() and not any(unicodedata.category(c) == "Cc" for c in args["title"])
    )
    assume(set(args["then"]) != set(args["contacts"]))
    who = [people[c] for c in args["contacts"]]
    store = MeetingStore(tmp_path_factory.mktemp("added"))
    meeting = invite_meeting(
        who, title=args["title"], organizer=ORGANIZER, duration=args["duration"],
        start=args["start"], store=store, now=NOW, notice_days=0,
    ).meeting  # fmt: skip
    now = args["start"] - timedelta(minutes=before)
    day = now.date()
    added = [people[c] for c in args["then"] if c not in args["contacts"]]
    calendars = {
        p.contact: _calendar(p, day - timedelta(days=2), day + timedelta(days=60)) for p in added
    }
    short = [p for p in added if args["start"] < _earliest([p], now, notice, calendars)]
    then = [people[c] for c in args["then"]]
    if short:
        with pytest.raises(NoticeError) as refused:
            update_meeting(
                store, meeting.id, participants=then, now=now, notice_days=notice,
                channels=Channels(),
            )  # fmt: skip
        assert refused.value.field == "participants"  # the command line: who it adds
        assert all(p.label in str(refused.value) for p in short), str(refused.value)
        assert store.get(meeting.id) == meeting
    else:
        updated = update_meeting(
            store, meeting.id, participants=then, now=now, notice_days=notice, channels=Channels()
        ).meeting
        assert updated.start == meeting.start and updated.sequence == 1


_TEXTS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_INSTANTS = st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC)).map(
    lambda t: t.replace(microsecond=0)
)


@st.composite
def records(draw: st.DrawFn, meeting: Any) -> Any:
    """``meeting`` with what a run can leave in its record: a location and description of
    any text, a publication, a series, deliveries in any state."""
    from somnet.meetings.records import Delivery, Publication

    deliveries = tuple(
        Delivery(
            channel=draw(st.sampled_from(["email", "caldav"])),
            to=draw(_TEXTS),
            sequence=0,
            method=draw(st.sampled_from(["REQUEST", "CANCEL"])),
            state=draw(st.sampled_from(["pending", "delivered", "failed", "unconfirmed"])),
            via=draw(_TEXTS),
            at=draw(st.none() | _INSTANTS),
            reply=draw(st.none() | _TEXTS),
            digest=draw(st.none() | st.text("0123456789abcdef", min_size=64, max_size=64)),
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    etag = draw(st.none() | _TEXTS)
    return attrs.evolve(
        meeting,
        location=draw(st.none() | _TEXTS),
        description=draw(st.none() | _TEXTS),
        publication=draw(st.none() | st.just(Publication("https://cal.example.org/x.ics", etag))),
        series=draw(st.none() | st.text("0123456789abcdef", min_size=8, max_size=8)),
        deliveries=deliveries,
    )


@_settings(50)
@given(args=invites(), data=st.data())
def test_a_record_saved_and_read_back_is_the_meeting(
    people: dict[str, Participant],
    args: dict[str, Any],
    data: st.DataObject,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Whatever a run leaves in a record (texts, deliveries, a publication, a series), the
    store reads back the meeting it saved."""
    assume(
        args["title"].strip() and not any(unicodedata.category(c) == "Cc" for c in args["title"])
    )
    store = MeetingStore(tmp_path_factory.mktemp("record"))
    who = [people[c] for c in args["contacts"]]
    meeting = new_meeting(
        [Person(p.email or "", p.name, p.contact, p.state, p.timezone, p.illustrative, p.languages)
         for p in who],
        start=args["start"], duration=args["duration"], title=args["title"], organizer=ORGANIZER,
        timezone=args["timezone"] or who[0].timezone, now=NOW, meeting_id=store.new_id,
    )  # fmt: skip
    meeting = data.draw(records(meeting))
    store.save(meeting)
    assert store.get(meeting.id) == meeting
    assert store.get(meeting.uid) == meeting
