"""Finding times for the region's meetings: who attends, when everyone can, and fair series.

All arithmetic is in whole minutes since the Unix epoch, UTC. Each participant's working hours,
core hours and public holidays are wall-clock facts in their own IANA zone; they are turned into
UTC intervals once per plan, cut at every change of the zone's UTC offset, so that a meeting
never straddles a daylight-saving change and never starts or ends at a local time that does not
exist or that happens twice.

A *slot* is a grid start (every ``step`` minutes from UTC midnight) at which the whole meeting
lies inside every participant's working hours on a working day that is not a public holiday on
their local date, and not before the earliest start allowed (now, plus the notice: by default
two working days of every participant). Its *score* is the sum over participants of the
minutes outside their core hours (the preferred part of the working day); lower is better.
Among slots of equal score, a plan prefers the middle of the week (Tuesday to Thursday on
everyone's clock, then Monday and Friday), then fewer people outside their core hours, then
the middle of the core hours of those inside them, and only then the earliest.

A *series* picks one slot per period (week, month, quarter) so that inconvenience rotates: a
ledger keeps each participant's minutes outside core hours and how many meetings were
inconvenient for them, starting from the meetings already held; the whole series is chosen at
once to leave the worst-off participant best off, then to give nobody more inconvenient
meetings than needed (see ``plan_series``).
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import operator
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

import attrs

from somnet._exceptions import MeetingError, NoSlotError
from somnet.directory.hours import WeeklyHours
from somnet.directory.records import ROLES

if TYPE_CHECKING:
    from somnet.directory.lookup import Directory
    from somnet.directory.records import Agency, Contact

DAY = 24 * 60
#: 1970-01-01, day 0 of the epoch, was a Thursday (weekday 3).
_EPOCH_WEEKDAY = 3
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
#: The longest window a plan searches, so that a typo in a year does not run for minutes.
MAX_WINDOW_DAYS = 400
MAX_SERIES = 120
#: The years a date or instant may fall in: epoch-minute arithmetic, a plan's day either side
#: and a series' periods all stay inside what ``datetime`` can hold.
FIRST_YEAR, LAST_YEAR = 1971, 9998

Period = Literal["week", "month", "quarter"]
PERIODS: tuple[Period, ...] = ("week", "month", "quarter")

#: Holidays of one participant's calendar: local date -> name(s).
HolidayCalendar = Mapping[date, str]


#: How much of a value a user typed a message repeats (a 100 KB argument is not echoed whole).
SHOWN_LENGTH = 80


def shown(value: str, limit: int = SHOWN_LENGTH, *, quoted: bool = True) -> str:
    """``value`` as a message repeats it: quoted like ``repr`` (unless not ``quoted``), and
    when it is longer than ``limit`` characters, its beginning and how long it is."""
    head = value if len(value) <= limit else value[:limit]
    text = repr(head) if quoted else head
    return text if len(value) <= limit else f"{text}... ({len(value)} characters)"


# Participants ------------------------------------------------------------------------------


@attrs.frozen
class Participant:
    """Someone who attends, with the clock and calendar they live by.

    Attributes:
        contact: the contact id in the directory.
        name: how to address them (the contact's name, else title, else the agency's name).
        agency: the agency id.
        agency_name: the agency's English name.
        state: the state they represent (the agency's state).
        seat: the state whose public holidays they keep (where the agency sits).
        timezone: their IANA zone.
        working_hours: when they can meet, in their zone.
        core_hours: when they prefer to meet (the working hours when the state has none).
        holiday_subdivision: the python-holidays subdivision of their seat, if any.
        email: the first e-mail channel of the contact, if any.
        illustrative: a made-up contact shipped as an example.
    """

    contact: str
    name: str
    agency: str
    agency_name: str
    state: str
    seat: str
    timezone: str
    working_hours: WeeklyHours
    core_hours: WeeklyHours
    holiday_subdivision: str | None = None
    email: str | None = None
    illustrative: bool = False

    @property
    def holiday_key(self) -> str:
        """Which public-holiday calendar applies: ``HT`` or ``US-FL``."""
        if self.holiday_subdivision:
            return f"{self.seat}-{self.holiday_subdivision}"
        return self.seat

    @property
    def label(self) -> str:
        """``HT ht-mae-desk``: short enough for tables and messages."""
        return f"{self.state} {self.contact}"


def resolve_participants(
    directory: Directory,
    *,
    states: Sequence[str] = (),
    roles: Sequence[str] = (),
    contacts: Sequence[str] = (),
) -> list[Participant]:
    """The participants a meeting request names, in the order named, without duplicates.

    Args:
        directory: the loaded directory.
        states: state codes (any case). Without ``roles``, each state's meeting focal point.
        roles: agency roles; for each state in ``states`` and each role, the first contact of
            the first agency of that state with that role.
        contacts: contact ids, added after the states.

    Returns:
        The participants.

    Raises:
        UnknownCodeError: a code that is not ISO 3166-1 alpha-2.
        MeetingError: nobody named; a state the directory does not hold, or without a focal
            point; a role outside the vocabulary, or no agency with it; an unknown contact id;
            a contact whose hours are unknown.
    """
    from somnet._codes import normalise_state_code, state_name

    roles = list(dict.fromkeys(r.strip().lower() for r in roles))
    if roles and not states:
        raise MeetingError("--role needs --states to say whose agencies with that role attend")
    if not states and not contacts:
        raise MeetingError(
            "name the participants: --states XX,YY, --role with --states, or --contact ID"
        )
    for role in roles:
        if role not in ROLES:
            near = difflib.get_close_matches(role[:SHOWN_LENGTH], sorted(ROLES), n=1)
            hint = (
                f"; did you mean {near[0]!r}?"
                if near
                else f"; the roles are {', '.join(sorted(ROLES))}"
            )
            raise MeetingError(f"--role: {shown(role)} is not a role{hint}")
    found: dict[str, Participant] = {}
    codes: list[str] = []
    for text in states:
        if len(text.strip()) > SHOWN_LENGTH:  # not a code: not worth suggesting one
            raise MeetingError(f"--states: {shown(text.strip())} is not a state code like HT")
        code = normalise_state_code(text, what="--states", preferred=sorted(directory.states))
        if code not in codes:
            codes.append(code)
    for code in codes:
        state = directory.state(code)
        if state is None:
            raise MeetingError(
                f"--states: the directory holds no state {code} ({state_name(code)}); "
                f"it holds {', '.join(sorted(directory.states))}"
            )
        chosen: list[tuple[Agency, Contact]] = []
        if not roles:
            if state.meeting_focal_point is None:
                raise MeetingError(
                    f"--states: {code} ({state.names.en}) has no meeting_focal_point in the "
                    "directory; name a contact with --contact ID or choose agencies with --role"
                )
            owner = directory.contact(state.meeting_focal_point)
            if owner is None:  # pragma: no cover - the loader refuses a dangling focal point
                raise MeetingError(f"{code}: focal point {state.meeting_focal_point!r} not found")
            chosen.append(owner)
        for role in roles:
            agencies = [a for a in directory.agencies(state=code, role=role) if a.contacts]
            # An office at home before a mission abroad with the same role.
            agencies.sort(key=lambda a: a.located_in not in (None, code))
            if not agencies:
                raise MeetingError(
                    f"--role {role}: no agency of {code} ({state.names.en}) with that role has "
                    "a contact in the directory"
                )
            chosen.append((agencies[0], agencies[0].contacts[0]))
        for agency, contact in chosen:
            found.setdefault(contact.id, _participant(directory, agency, contact))
    for contact_id in contacts:
        owner = directory.contact(contact_id.strip())
        if owner is None:
            known = [c.id for _, c in directory.contacts()]
            near = difflib.get_close_matches(contact_id[:SHOWN_LENGTH], known, n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise MeetingError(f"--contact: no contact has id {shown(contact_id)}{hint}")
        found.setdefault(owner[1].id, _participant(directory, *owner))
    return list(found.values())


def _participant(directory: Directory, agency: Agency, contact: Contact) -> Participant:
    seat = agency.located_in or agency.state
    seat_state = directory.state(seat)
    hours = directory.agency_hours(agency)
    if hours is None:
        raise MeetingError(
            f"contact {contact.id}: the directory gives no working hours for {agency.id} or "
            f"its state {seat}; add working_hours to the agency"
        )
    core = seat_state.core_hours if seat_state and seat_state.core_hours else hours
    email = next((c.value for c in contact.channels if c.kind == "email"), None)
    return Participant(
        contact=contact.id,
        name=contact.name or contact.title or agency.name_en,
        agency=agency.id,
        agency_name=agency.name_en,
        state=agency.state,
        seat=seat,
        timezone=directory.agency_timezone(agency),
        working_hours=hours,
        core_hours=core,
        holiday_subdivision=seat_state.holiday_subdivision if seat_state else None,
        email=email,
        illustrative=contact.illustrative,
    )


# Holidays ------------------------------------------------------------------------------------


def public_holidays(
    participants: Iterable[Participant], first: date, last: date
) -> tuple[dict[str, dict[date, str]], list[str]]:
    """The public holidays (observed days included) of each participant's calendar.

    Args:
        participants: whose calendars; keyed by ``Participant.holiday_key``.
        first: the first local date that matters.
        last: the last local date that matters.

    Returns:
        The calendars by key (names in English where python-holidays has them), and a warning
        for each state or subdivision python-holidays does not cover (its days are then not
        checked).
    """
    import holidays

    years = list(range(first.year, last.year + 1))
    calendars: dict[str, dict[date, str]] = {}
    warnings: list[str] = []
    for participant in participants:
        key = participant.holiday_key
        if key in calendars:
            continue
        try:
            entity = holidays.country_holidays(
                participant.seat, subdiv=participant.holiday_subdivision, years=years
            )
        except NotImplementedError as exc:
            calendars[key] = {}
            warnings.append(
                f"{participant.label}: public holidays of {key} are not checked "
                f"(python-holidays: {exc})"
            )
            continue
        if "en_US" in getattr(entity, "supported_languages", ()):
            entity = holidays.country_holidays(
                participant.seat,
                subdiv=participant.holiday_subdivision,
                years=years,
                language="en_US",
            )
        calendars[key] = {
            day: "; ".join(entity.get_list(day)) for day in sorted(entity) if first <= day <= last
        }
    return calendars, warnings


# The request and its answers ------------------------------------------------------------------


@attrs.frozen
class Window:
    """Where to look: UTC dates ``first`` to ``last`` inclusive, a duration and a grid.

    Raises:
        MeetingError: a window that ends before it starts, or is too long; a duration or grid
            step that is not a positive number of minutes within a day.
    """

    first: date
    last: date
    duration: int
    step: int = 15

    def __attrs_post_init__(self) -> None:
        if self.last < self.first:
            raise MeetingError(
                f"--to {self.last} is before --from {self.first}: the window ends before it starts"
            )
        if (self.last - self.first).days + 1 > MAX_WINDOW_DAYS:
            raise MeetingError(
                f"--from {self.first} --to {self.last}: at most {MAX_WINDOW_DAYS} days at once"
            )
        if not 0 < self.duration <= DAY:
            raise MeetingError(f"--duration: {self.duration} minutes is not between 1m and 24h")
        if not 0 < self.step <= DAY:
            raise MeetingError(f"--step: {self.step} minutes is not between 1m and 24h")

    @property
    def start_minute(self) -> int:
        """The epoch minute the window starts at: 00:00 UTC of ``first``."""
        return _minute_of_date(self.first)

    @property
    def end_minute(self) -> int:
        """The epoch minute the window ends at (exclusive): 24:00 UTC of ``last``."""
        return _minute_of_date(self.last) + DAY


@attrs.frozen
class LocalTime:
    """One participant's view of a slot."""

    participant: Participant
    start: datetime
    end: datetime
    minutes_outside_core: int


@attrs.frozen
class Slot:
    """A start that suits everyone, and how much it costs each of them.

    Attributes:
        start: the UTC start.
        duration: minutes.
        burdens: minutes outside core hours, one per participant, in participant order.
        weekday_rank: 0 when it falls Tuesday to Thursday on every participant's clock, 1
            when on a Monday or Friday for someone, 2 on a weekend day.
        core_margin: the fewest minutes between the meeting and the edge of the core hours of
            a participant it lies within (0 when it lies within nobody's).
    """

    start: datetime
    duration: int
    burdens: tuple[int, ...]
    weekday_rank: int = 0
    core_margin: int = 0

    @property
    def end(self) -> datetime:
        """The UTC end: ``start`` plus ``duration`` minutes."""
        return self.start + timedelta(minutes=self.duration)

    @property
    def score(self) -> int:
        """Minutes outside core hours, summed over participants: lower is better."""
        return sum(self.burdens)

    @property
    def rank(self) -> tuple[int, int, int, int, datetime]:
        """How a plan orders slots, best first: the score; then mid-week before Monday and
        Friday (``weekday_rank``, on everyone's clock); then fewer people outside their core
        hours; then well inside the core hours of those within them (``core_margin``, up to
        ``CORE_MARGIN``: an hour from their edges is enough); then the earliest."""
        outside = sum(1 for b in self.burdens if b)
        margin = min(self.core_margin, CORE_MARGIN)
        return (self.score, self.weekday_rank, outside, -margin, self.start)

    def local_times(self, participants: Sequence[Participant]) -> list[LocalTime]:
        """The slot on each participant's clock."""
        return [
            LocalTime(
                p,
                self.start.astimezone(_zone(p.timezone)),
                self.end.astimezone(_zone(p.timezone)),
                burden,
            )
            for p, burden in zip(participants, self.burdens, strict=True)
        ]


@attrs.frozen
class Plan:
    """The answer to ``meeting plan``.

    Attributes:
        participants: who attends.
        window: where it looked.
        slots: the best slots, best first (``Slot.rank``).
        feasible: how many grid starts suit everyone in all.
        holidays: (participant, date, name) for each holiday in the window.
        warnings: what it could not check.
    """

    participants: tuple[Participant, ...]
    window: Window
    slots: tuple[Slot, ...]
    feasible: int
    holidays: tuple[tuple[Participant, date, str], ...]
    warnings: tuple[str, ...]


# Interval arithmetic ---------------------------------------------------------------------------

Interval = tuple[int, int]


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _minute_of_date(day: date) -> int:
    return (day.toordinal() - _EPOCH_ORDINAL) * DAY


def _date_of_day(day: int) -> date:
    return date.fromordinal(_EPOCH_ORDINAL + day)


def to_minute(instant: datetime) -> int:
    """Minutes since the epoch of an aware instant (seconds are dropped)."""
    return int(instant.timestamp()) // 60


def from_minute(minute: int) -> datetime:
    """The UTC instant of an epoch minute."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(minutes=minute)


def _offset(zone: ZoneInfo, minute: int) -> int:
    offset = from_minute(minute).astimezone(zone).utcoffset()
    return int(offset.total_seconds()) // 60 if offset is not None else 0


def offset_segments(zone_name: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """Split ``[start, end)`` (epoch minutes) where the zone's UTC offset changes.

    Returns:
        ``(from, to, offset)`` triples covering the span, offset in minutes east of UTC.
    """
    zone = _zone(zone_name)
    segments: list[tuple[int, int, int]] = []
    seg_start, current = start, _offset(zone, start)
    probe = start
    # Offsets change at most a few times a year, never twice within twelve hours.
    while probe < end:
        following = min(probe + DAY // 2, end)
        if _offset(zone, following) != current and following > probe:
            low, high = probe, following  # current offset at low, another one at high
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(zone, middle) == current:
                    low = middle
                else:
                    high = middle
            segments.append((seg_start, high, current))
            seg_start, current = high, _offset(zone, high)
        probe = following
    segments.append((seg_start, end, current))
    return segments


def _merge(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _subtract(intervals: list[Interval], holes: list[Interval]) -> list[Interval]:
    if not holes:
        return intervals
    out: list[Interval] = []
    for a, b in intervals:
        pieces = [(a, b)]
        for ha, hb in holes:
            pieces = [
                piece
                for pa, pb in pieces
                for piece in ((pa, min(pb, ha)), (max(pa, hb), pb))
                if piece[0] < piece[1]
            ]
        out.extend(pieces)
    return out


def _intersect(first: list[Interval], second: list[Interval]) -> list[Interval]:
    """Intersection of two sorted lists of closed intervals."""
    out: list[Interval] = []
    i = j = 0
    while i < len(first) and j < len(second):
        a = max(first[i][0], second[j][0])
        b = min(first[i][1], second[j][1])
        if a <= b:
            out.append((a, b))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return out


@attrs.frozen
class Availability:
    """One participant's usable time over a span, as UTC-minute intervals.

    Attributes:
        allowed: where a meeting may lie (working windows on working days that are not
            holidays, cut at offset changes, without the hours a fall-back repeats); a
            meeting is allowed when it lies inside one interval.
        core: the core hours over the same span (for the score).
    """

    allowed: tuple[Interval, ...]
    core: tuple[Interval, ...]
    core_starts: tuple[int, ...]

    def starts(self, duration: int) -> list[Interval]:
        """Closed intervals of allowed start minutes for a meeting of ``duration``."""
        return [(a, b - duration) for a, b in self.allowed if b - a >= duration]

    def core_margin(self, start: int, duration: int) -> int | None:
        """Minutes from ``[start, start + duration)`` to the nearer edge of the core-hours
        interval holding it, or None when no single one does."""
        end = start + duration
        i = max(bisect.bisect_right(self.core_starts, start) - 1, 0)
        if i < len(self.core) and self.core[i][0] <= start and end <= self.core[i][1]:
            return min(start - self.core[i][0], self.core[i][1] - end)
        return None

    def outside_core(self, start: int, duration: int) -> int:
        """Minutes of ``[start, start + duration)`` outside core hours."""
        end = start + duration
        i = max(bisect.bisect_right(self.core_starts, start) - 1, 0)
        inside = 0
        core = self.core
        while i < len(core) and core[i][0] < end:
            a, b = core[i]
            if b > start:
                inside += min(b, end) - max(a, start)
            i += 1
        return duration - inside


def availability(
    participant: Participant, start: int, end: int, holidays: HolidayCalendar
) -> Availability:
    """Work out where ``participant`` can meet within ``[start, end)`` (epoch minutes)."""
    segments = offset_segments(participant.timezone, start - DAY, end + DAY)
    allowed: list[Interval] = []
    core: list[Interval] = []
    for seg_start, seg_end, offset in segments:
        allowed += _merge(_windows(participant.working_hours, seg_start, seg_end, offset, holidays))
        core += _windows(participant.core_hours, seg_start, seg_end, offset, {})
    # When clocks go back by d minutes at T, the local times of [T - d, T + d) happen twice:
    # no meeting may start, run or end there. A meeting may not end at the very instant of any
    # change either (its local end would read an hour off), hence the extra minute.
    unclear = [
        (t - max(before - after, 0) - 1, t + max(before - after, 0))
        for (_, t, before), (_, _, after) in itertools.pairwise(segments)
    ]
    allowed = _subtract(allowed, unclear)
    core = _merge(core)
    return Availability(tuple(allowed), tuple(core), tuple(a for a, _ in core))


def _windows(
    hours: WeeklyHours, seg_start: int, seg_end: int, offset: int, holidays: HolidayCalendar
) -> list[Interval]:
    out: list[Interval] = []
    for day in range((seg_start + offset) // DAY, (seg_end - 1 + offset) // DAY + 1):
        if holidays and _date_of_day(day) in holidays:
            continue
        base = day * DAY - offset
        for a, b in hours.windows((day + _EPOCH_WEEKDAY) % 7):
            lo, hi = max(base + a, seg_start), min(base + b, seg_end)
            if lo < hi:
                out.append((lo, hi))
    return out


# Finding slots -------------------------------------------------------------------------------


def candidate_slots(
    participants: Sequence[Participant],
    window: Window,
    holidays: Mapping[str, HolidayCalendar],
    availabilities: Sequence[Availability] | None = None,
) -> list[Slot]:
    """Every grid start in the window that suits everyone, in time order, with its burdens."""
    if not participants:
        return []
    lo, hi = window.start_minute, window.end_minute
    if availabilities is None:
        availabilities = [
            availability(p, lo, hi, holidays.get(p.holiday_key, {})) for p in participants
        ]
    common = [(lo, hi - window.duration)] if hi - lo >= window.duration else []
    for avail in availabilities:
        common = _intersect(common, avail.starts(window.duration))
        if not common:
            return []
    slots: list[Slot] = []
    step = window.step
    zones = [_zone(p.timezone) for p in participants]
    for a, b in common:
        first = lo + -(-(a - lo) // step) * step  # the first grid point at or after a
        for minute in range(first, b + 1, step):
            duration = window.duration
            burdens = tuple(avail.outside_core(minute, duration) for avail in availabilities)
            start = from_minute(minute)
            margins = [
                m
                for m in (avail.core_margin(minute, duration) for avail in availabilities)
                if m is not None
            ]
            weekday = max(_WEEKDAY_RANK[start.astimezone(zone).weekday()] for zone in zones)
            slots.append(Slot(start, duration, burdens, weekday, min(margins, default=0)))
    return slots


#: How far inside the core hours a tie prefers a meeting to be: not first thing in the
#: morning for one participant nor last thing for another, an hour from either edge.
CORE_MARGIN = 60
#: Monday to Sunday: mid-week days are easiest to meet on (no long weekend, no Monday backlog).
_WEEKDAY_RANK = (1, 0, 0, 0, 1, 2, 2)


def best_slots(slots: Iterable[Slot], count: int, *, per_day: bool = False) -> list[Slot]:
    """The ``count`` best slots (``Slot.rank``); one per UTC day if ``per_day``."""
    ranked = sorted(slots, key=lambda s: s.rank)
    if per_day:
        seen: set[date] = set()
        unique = []
        for slot in ranked:
            if slot.start.date() not in seen:
                seen.add(slot.start.date())
                unique.append(slot)
        ranked = unique
    return ranked[:count]


def plan(
    participants: Sequence[Participant],
    window: Window,
    *,
    count: int = 5,
    per_day: bool = False,
    holidays: Mapping[str, HolidayCalendar] | None = None,
    warnings: Sequence[str] = (),
    not_before: datetime | None = None,
) -> Plan:
    """Find the best times for everyone to meet.

    Args:
        participants: who attends (``resolve_participants``).
        window: the UTC dates, duration and grid.
        count: how many slots to return.
        per_day: at most one slot per UTC day.
        holidays: calendars by ``holiday_key``; looked up with python-holidays when None.
        warnings: warnings from an earlier step, carried into the plan.
        not_before: the earliest start allowed (``earliest_start``: now and the notice);
            slots before it are not offered.

    Returns:
        The plan, best slots first.

    Raises:
        NoSlotError: nothing fits; its reasons say which constraint ruled out what.
        MeetingError: no participants, or a count below one.
    """
    if not participants:
        raise MeetingError("no participants: name states, roles or contacts")
    if count < 1:
        raise MeetingError(f"--count: {count} must be at least 1")
    notes = list(warnings)
    if holidays is None:
        holidays, found = public_holidays(
            participants, window.first - timedelta(days=1), window.last + timedelta(days=1)
        )
        notes += found
    lo, hi = window.start_minute, window.end_minute
    avails = [availability(p, lo, hi, holidays.get(p.holiday_key, {})) for p in participants]
    slots = candidate_slots(participants, window, holidays, avails)
    in_window = _holidays_in_window(participants, window, holidays)
    summary = (
        f"no {_duration_text(window.duration)} slot suits everyone from {window.first} to "
        f"{window.last} (UTC dates)"
    )
    if not slots:
        raise NoSlotError(summary, explain(participants, window, holidays, avails))
    if not_before is not None:
        slots = [s for s in slots if s.start >= not_before]
        if not slots:
            raise NoSlotError(summary, [_too_early(not_before)])
    return Plan(
        tuple(participants),
        window,
        tuple(best_slots(slots, count, per_day=per_day)),
        len(slots),
        tuple(in_window),
        tuple(notes),
    )


def _too_early(not_before: datetime) -> str:
    return (
        f"every start that suits everyone is before the earliest start allowed, "
        f"{not_before.astimezone(UTC):%a %Y-%m-%d %H:%M} UTC (now, and the notice: --notice)"
    )


def _holidays_in_window(
    participants: Sequence[Participant], window: Window, holidays: Mapping[str, HolidayCalendar]
) -> list[tuple[Participant, date, str]]:
    """Holidays on a local date that the window touches, for each participant."""
    found = []
    for p in participants:
        zone = _zone(p.timezone)
        first = from_minute(window.start_minute).astimezone(zone).date()
        last = from_minute(window.end_minute - 1).astimezone(zone).date()
        for day, name in sorted(holidays.get(p.holiday_key, {}).items()):
            if first <= day <= last:
                found.append((p, day, name))
    return found


def explain(
    participants: Sequence[Participant],
    window: Window,
    holidays: Mapping[str, HolidayCalendar],
    avails: Sequence[Availability],
) -> list[str]:
    """Why no slot fits: whose hours, which holidays, which pairs never overlap.

    Returns:
        One reason per line, the most specific first.
    """
    lo, hi = window.start_minute, window.end_minute
    duration = window.duration
    length = _duration_text(duration)
    if hi - lo < duration:  # pragma: no cover - a window is at least a day long
        return [f"the window is shorter than {length}"]
    span = [(lo, hi - duration)]
    alone = [_intersect(span, a.starts(duration)) for a in avails]
    reasons: list[str] = []
    in_window = _holidays_in_window(participants, window, holidays)
    for p, starts in zip(participants, alone, strict=True):
        if starts:
            continue
        days = [f"{day} {name}" for q, day, name in in_window if q is p]
        hours = f"working hours ({p.working_hours}, {p.timezone})"
        if days:
            reasons.append(
                f"{p.label} has public holidays ({', '.join(days)}) and no other {length} "
                f"within their {hours}"
            )
        else:
            reasons.append(f"{p.label} has no {length} within their {hours} in the window")
    if reasons:
        return reasons
    for i, p in enumerate(participants):
        for j in range(i + 1, len(participants)):
            if not _intersect(alone[i], alone[j]):
                q = participants[j]
                reasons.append(
                    f"the working hours of {p.label} ({p.working_hours}, {p.timezone}) and "
                    f"{q.label} ({q.working_hours}, {q.timezone}) never overlap for {length} "
                    "on a day that is a working day and not a holiday for both"
                )
    if not reasons:
        common: list[Interval] = [(lo, hi)]
        for avail in avails:
            common = _intersect(common, list(avail.allowed))
        a, b = max(common, key=lambda c: c[1] - c[0], default=(lo, lo))
        when = f"{from_minute(a):%Y-%m-%d %H:%M}-{from_minute(b):%H:%M} UTC"
        if b - a >= duration:
            reasons.append(
                f"everyone is free {when}, but no start on the {window.step}-minute grid "
                "fits it; try a finer --step"
            )
        elif b > a:
            reasons.append(
                f"every pair can meet, but all together at most {_duration_text(b - a)} ({when})"
            )
        else:
            reasons.append("every pair can meet, but never all at once")
    named = [f"{p.label} {day} {name}" for p, day, name in in_window]
    if named:
        reasons.append(f"public holidays in the window: {', '.join(named)}")
    return reasons


def check_slot(
    participants: Sequence[Participant],
    start: datetime,
    duration: int,
    holidays: Mapping[str, HolidayCalendar] | None = None,
) -> list[str]:
    """What is wrong with a given start for each participant (empty when it suits everyone).

    Used for invites at a time chosen by hand: they are sent, with these warnings.

    Args:
        participants: whose hours and holidays.
        start: an aware instant.
        duration: minutes.
        holidays: calendars by ``holiday_key``; looked up with python-holidays (for two days
            either side of the meeting) when None.

    Returns:
        The warnings of that lookup (a calendar python-holidays does not cover), then one
        problem per participant whom the time does not suit.
    """
    minute = to_minute(start)
    problems: list[str] = []
    if holidays is None:
        holidays, problems = public_holidays(
            participants,
            (start - timedelta(days=2)).date(),
            (start + timedelta(days=2, minutes=duration)).date(),
        )
    for p in participants:
        calendar = holidays.get(p.holiday_key, {})
        avail = availability(p, minute - DAY, minute + duration + DAY, calendar)
        if any(a <= minute and minute + duration <= b for a, b in avail.allowed):
            continue
        zone = _zone(p.timezone)
        local = start.astimezone(zone)
        local_end = (start + timedelta(minutes=duration)).astimezone(zone)
        names = [calendar[d] for d in {local.date(), local_end.date()} if d in calendar]
        if names:
            why = f"a public holiday ({'; '.join(sorted(names))})"
        elif local.utcoffset() != local_end.utcoffset() or _is_ambiguous(local, zone):
            why = "across a daylight-saving change or at a local time that happens twice"
        else:
            why = f"outside their working hours ({p.working_hours})"
        problems.append(
            f"{p.label}: {local:%a %Y-%m-%d %H:%M}-{local_end:%H:%M} {p.timezone} is {why}"
        )
    return problems


#: Working days of notice a meeting needs by default: every participant has two working days
#: (of their own week, without their public holidays) between the invite and the meeting day.
DEFAULT_NOTICE_DAYS = 2


def earliest_start(
    participants: Sequence[Participant],
    now: datetime,
    notice_days: int = DEFAULT_NOTICE_DAYS,
    holidays: Mapping[str, HolidayCalendar] | None = None,
) -> datetime:
    """The earliest a meeting may start, giving everyone ``notice_days`` working days' notice:
    for each participant, the start (local midnight) of the ``notice_days``-th of their working
    days after the day ``now`` falls on in their zone (today is not counted; weekends, days
    without working hours and their public holidays are skipped), the latest of these; and
    never before ``now``.

    Args:
        holidays: calendars by ``holiday_key``; looked up with python-holidays when None.

    Raises:
        MeetingError: a negative notice, or a participant who never works.
    """
    if notice_days < 0:
        raise MeetingError(f"--notice: {notice_days} must be 0 or more working days")
    now = now.astimezone(UTC)
    if notice_days == 0 or not participants:
        return now
    if holidays is None:
        holidays, _ = public_holidays(
            participants, now.date() - timedelta(days=1), now.date() + timedelta(days=400)
        )
    latest = now
    for p in participants:
        zone = _zone(p.timezone)
        calendar = holidays.get(p.holiday_key, {})
        day = now.astimezone(zone).date()
        counted = 0
        for _ in range(400):
            if counted == notice_days:
                break
            day += timedelta(days=1)
            if p.working_hours.windows(day.weekday()) and day not in calendar:
                counted += 1
        else:
            raise MeetingError(f"{p.label}: no {notice_days} working days within a year")
        latest = max(latest, datetime.combine(day, time(), tzinfo=zone).astimezone(UTC))
    return latest


def check_timing(
    participants: Sequence[Participant],
    start: datetime,
    now: datetime,
    *,
    notice_days: int = DEFAULT_NOTICE_DAYS,
    allow_past: bool = False,
    holidays: Mapping[str, HolidayCalendar] | None = None,
    flag: str = "--start",
) -> None:
    """Refuse a start in the past (unless ``allow_past``: a meeting recorded after it was
    held) or with less notice than ``notice_days`` working days (``earliest_start``).

    Raises:
        MeetingError: naming the start, now, or whose notice is too short and until when.
    """
    when = f"{start.astimezone(UTC):%a %Y-%m-%d %H:%M} UTC"
    if holidays is None and start >= now and notice_days:
        holidays, _ = public_holidays(
            participants, now.date() - timedelta(days=1), start.date() + timedelta(days=1)
        )
    if start < now:
        if allow_past:
            return
        raise MeetingError(
            f"{flag} {when} is in the past (it is {now.astimezone(UTC):%Y-%m-%d %H:%M} UTC); "
            "give --allow-past to record a meeting that was held"
        )
    earliest = earliest_start(participants, now, notice_days, holidays)
    if start < earliest:
        late = [p for p in participants if start < earliest_start([p], now, notice_days, holidays)]
        who = ", ".join(p.label for p in late)
        raise MeetingError(
            f"{flag} {when} gives less than {notice_days} working days' notice to {who} "
            f"(the earliest is {earliest:%a %Y-%m-%d %H:%M} UTC); give --notice with fewer "
            "days (0 for none) to send it anyway"
        )


def _is_ambiguous(local: datetime, zone: ZoneInfo) -> bool:
    naive = local.replace(tzinfo=None)
    return (
        naive.replace(tzinfo=zone, fold=0).utcoffset()
        != naive.replace(tzinfo=zone, fold=1).utcoffset()
    )


def _duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"


# Series --------------------------------------------------------------------------------------


@attrs.frozen
class LedgerEntry:
    """One participant's burden so far."""

    participant: Participant
    minutes_outside_core: int = 0
    inconvenient_meetings: int = 0


@attrs.frozen
class Occurrence:
    """One meeting of a series, or the reasons why its period has none.

    Attributes:
        fixed: its time was given (a meeting of the series sent already), not chosen.
    """

    index: int
    first: date
    last: date
    slot: Slot | None
    reasons: tuple[str, ...] = ()
    fixed: bool = False


@attrs.frozen
class Series:
    """The answer to ``meeting series``.

    Attributes:
        ledger_before: each participant's burden before the series (from the meetings already
            held, ``recorded_ledger``; zero when none are counted).
        ledger: each participant's burden after the whole series (``ledger_before`` included).
        greedy_worst: the worst-off participant's minutes had each period been chosen in turn,
            without looking ahead, to leave the worst-off best off (for comparison).
        greedy_most_inconvenient: the most inconvenient meetings of one participant then.
        earliest_worst: the worst-off participant's minutes had every period simply taken its
            best slot (for comparison).
    """

    participants: tuple[Participant, ...]
    every: Period
    duration: int
    occurrences: tuple[Occurrence, ...]
    ledger: tuple[LedgerEntry, ...]
    earliest_worst: int
    warnings: tuple[str, ...]
    ledger_before: tuple[LedgerEntry, ...] = ()
    greedy_worst: int = 0
    greedy_most_inconvenient: int = 0

    @property
    def worst(self) -> int:
        """Minutes outside core hours of the worst-off participant."""
        return max((e.minutes_outside_core for e in self.ledger), default=0)

    @property
    def most_inconvenient(self) -> int:
        """The most inconvenient meetings any one participant has."""
        return max((e.inconvenient_meetings for e in self.ledger), default=0)


def periods(first: date, every: Period, count: int) -> list[tuple[date, date]]:
    """The (first, last) dates of each of ``count`` periods starting at ``first``.

    Raises:
        MeetingError: a bad period or count, or periods that would end after the year 9999.
    """
    if every not in PERIODS:
        raise MeetingError(f"--every: {shown(every)} is not one of {', '.join(PERIODS)}")
    if not 1 <= count <= MAX_SERIES:
        raise MeetingError(f"--count: {count} must be between 1 and {MAX_SERIES}")
    try:
        starts = [_add_period(first, every, k) for k in range(count + 1)]
    except (ValueError, OverflowError):
        raise MeetingError(
            f"--from {first} --every {every} --count {count}: the series would run past "
            "the year 9999"
        ) from None
    return [(a, b - timedelta(days=1)) for a, b in itertools.pairwise(starts)]


def _add_period(first: date, every: Period, k: int) -> date:
    if every == "week":
        return first + timedelta(weeks=k)
    months = k * (1 if every == "month" else 3)
    year, month = divmod(first.month - 1 + months, 12)
    year += first.year
    # A series from the 31st keeps to the month's last day in shorter months.
    for day in range(first.day, 27, -1):
        try:
            return date(year, month + 1, day)
        except ValueError:
            continue
    return date(year, month + 1, first.day)


def plan_series(
    participants: Sequence[Participant],
    *,
    first: date,
    every: Period,
    count: int,
    duration: int,
    step: int = 15,
    within_days: int | None = None,
    fair: bool = True,
    holidays: Mapping[str, HolidayCalendar] | None = None,
    warnings: Sequence[str] = (),
    not_before: datetime | None = None,
    ledger: Sequence[LedgerEntry] = (),
    fixed: Mapping[int, datetime] | None = None,
) -> Series:
    """Choose one meeting per period so that the inconvenient hours rotate.

    The series is chosen as a whole (``_fairest``), not period by period: it minimises the
    worst-off participant's minutes outside core hours, then the most inconvenient meetings
    any one participant has, then the minutes outside core hours of all, then the slots'
    own ranking (``Slot.rank``). Choosing month by month cannot alternate two times that
    each put out a different participant (the same worst case, half the inconvenient
    meetings each): it keeps taking the slot that splits the burden. The choice is never
    worse for the worst-off than that period-by-period one (``Series.greedy_worst``).

    Args:
        participants: who attends.
        first: the first day of the first period.
        every: ``week``, ``month`` or ``quarter``.
        count: how many meetings.
        duration: minutes.
        step: grid step in minutes.
        within_days: search only the first days of each period (the whole period when None).
        fair: rotate as above; when False, take each period's best slot (``Slot.rank``).
        holidays: calendars by ``holiday_key``; looked up with python-holidays when None.
        warnings: carried into the answer.
        not_before: the earliest start allowed (``earliest_start``).
        ledger: each participant's burden before the series (``recorded_ledger``), in
            participant order; the series evens out the total.
        fixed: the periods (by index, from 0) whose meeting is given, at this start (the
            meetings of a series sent already, when the rest is sent).

    Returns:
        The series with its ledger before and after. A period without any slot is kept, with
        its reasons.

    Raises:
        MeetingError: a bad period or count; no participants.
        NoSlotError: no period of the series has a slot at all.
    """
    if not participants:
        raise MeetingError("no participants: name states, roles or contacts")
    if within_days is not None and within_days < 1:
        raise MeetingError(f"--within: {within_days} days must be at least 1")
    fixed = dict(fixed or {})
    spans = periods(first, every, count)
    if within_days is not None:
        spans = [(a, min(b, a + timedelta(days=within_days - 1))) for a, b in spans]
    notes = list(warnings)
    if holidays is None:
        holidays, found = public_holidays(
            participants, spans[0][0] - timedelta(days=1), spans[-1][1] + timedelta(days=1)
        )
        notes += found
    start_minutes = [0] * len(participants)
    start_counts = [0] * len(participants)
    by_contact = {e.participant.contact: e for e in ledger}
    for i, p in enumerate(participants):
        if p.contact in by_contact:
            start_minutes[i] = by_contact[p.contact].minutes_outside_core
            start_counts[i] = by_contact[p.contact].inconvenient_meetings
    choices: list[list[Slot]] = []  # each period's slots, best ranked first
    occurrences: list[Occurrence] = []
    for index, (a, b) in enumerate(spans):
        if index in fixed:
            slot = given_slot(participants, fixed[index], duration)
            choices.append([slot])
            occurrences.append(Occurrence(index + 1, a, b, slot, fixed=True))
            continue
        window = Window(a, b, duration, step)
        lo, hi = window.start_minute, window.end_minute
        avails = [availability(p, lo, hi, holidays.get(p.holiday_key, {})) for p in participants]
        slots = candidate_slots(participants, window, holidays, avails)
        reasons: tuple[str, ...] = ()
        if not slots:
            reasons = tuple(explain(participants, window, holidays, avails))
        elif not_before is not None:
            slots = [s for s in slots if s.start >= not_before]
            reasons = () if slots else (_too_early(not_before),)
        choices.append(sorted(slots, key=lambda s: s.rank))
        occurrences.append(Occurrence(index + 1, a, b, None, reasons))
    if all(not c for c in choices):
        raise NoSlotError(
            f"no {_duration_text(duration)} slot suits everyone in any of the {count} periods",
            next((o.reasons for o in occurrences if o.reasons), ()),
        )
    start = _Tally(tuple(start_minutes), tuple(start_counts))
    earliest = [c[0] if c else None for c in choices]
    greedy = _greedy(choices, start)
    chosen = _fairest(choices, start, greedy) if fair else earliest
    occurrences = [
        attrs.evolve(o, slot=slot) if slot is not None else o
        for o, slot in zip(occurrences, chosen, strict=True)
    ]
    after = start.adding(chosen)
    greedy_after = start.adding(greedy)
    return Series(
        tuple(participants),
        every,
        duration,
        tuple(occurrences),
        _ledger(participants, after),
        max(start.adding(earliest).minutes, default=0),
        tuple(notes),
        ledger_before=_ledger(participants, start),
        greedy_worst=max(greedy_after.minutes, default=0),
        greedy_most_inconvenient=max(greedy_after.counts, default=0),
    )


def given_slot(participants: Sequence[Participant], start: datetime, duration: int) -> Slot:
    """A meeting at a time given (not searched for), with its burden on each participant."""
    minute = to_minute(start)
    burdens = tuple(
        availability(p, minute - DAY, minute + duration + DAY, {}).outside_core(minute, duration)
        for p in participants
    )
    return Slot(start.astimezone(UTC), duration, burdens)


def recorded_ledger(
    participants: Sequence[Participant], meetings: Iterable[Any]
) -> tuple[tuple[LedgerEntry, ...], tuple[str, ...]]:
    """The burden that meetings already recorded put on the participants: those of the
    meetings (``Meeting`` records) held or planned for exactly these participants (the same
    contacts), not cancelled; each participant's minutes outside their core hours, and how
    many were inconvenient. A series that continues starts from it.

    Returns:
        The ledger, in participant order, and the ids of the meetings counted.
    """
    want = {p.contact for p in participants}
    minutes = [0] * len(participants)
    counts = [0] * len(participants)
    counted = []
    for meeting in meetings:
        contacts = {a.contact or a.email for a in meeting.attendees}
        if meeting.status == "CANCELLED" or contacts != want:
            continue
        slot = given_slot(participants, meeting.start, meeting.duration)
        for i, burden in enumerate(slot.burdens):
            minutes[i] += burden
            counts[i] += burden > 0
        counted.append(meeting.id)
    entries = tuple(
        LedgerEntry(p, m, n) for p, m, n in zip(participants, minutes, counts, strict=True)
    )
    return entries, tuple(counted)


@attrs.frozen
class _Tally:
    """Each participant's minutes outside core hours and inconvenient meetings so far."""

    minutes: tuple[int, ...]
    counts: tuple[int, ...]

    def add(self, slot: Slot) -> _Tally:
        return _Tally(
            tuple(m + b for m, b in zip(self.minutes, slot.burdens, strict=True)),
            tuple(n + (b > 0) for n, b in zip(self.counts, slot.burdens, strict=True)),
        )

    def adding(self, slots: Iterable[Slot | None]) -> _Tally:
        tally = self
        for slot in slots:
            if slot is not None:
                tally = tally.add(slot)
        return tally

    def key(self) -> tuple[int, int, int]:
        """Worst-off minutes, most inconvenient meetings, all minutes: lower is fairer."""
        return (max(self.minutes, default=0), max(self.counts, default=0), sum(self.minutes))


def _ledger(participants: Sequence[Participant], tally: _Tally) -> tuple[LedgerEntry, ...]:
    return tuple(
        LedgerEntry(p, m, n)
        for p, m, n in zip(participants, tally.minutes, tally.counts, strict=True)
    )


def _greedy(choices: Sequence[Sequence[Slot]], start: _Tally) -> list[Slot | None]:
    """Each period in turn, the slot that leaves the worst-off best off so far (then the
    fewest inconvenient meetings, the fewest minutes, the slot's rank): the choice of one
    who does not look ahead, and the yardstick of ``_fairest``."""
    tally = start
    chosen: list[Slot | None] = []
    for slots in choices:
        if not slots:
            chosen.append(None)
            continue
        best = min(slots, key=lambda s: (tally.add(s).key(), s.rank))
        chosen.append(best)
        tally = tally.add(best)
    return chosen


#: The work ``_fairest`` may spend on an exact answer (partial series extended by one slot):
#: a series of 12 with 5 kinds of slot a period takes some thousands. Beyond it, the best
#: series a narrower search finds is kept: still never less fair than the period-by-period
#: choice, and in the tests as fair as the exact one.
MAX_SEARCH_STEPS = 150_000
#: How many partial series the narrower search keeps after each period.
BEAM_WIDTH = 400


def _fairest(
    choices: Sequence[Sequence[Slot]], start: _Tally, greedy: Sequence[Slot | None]
) -> list[Slot | None]:
    """The series that minimises ``_Tally.key`` (then the sum of the slots' places in their
    period's ranking).

    Dynamic programming over the periods: only the ledger a partial series reaches matters to
    what follows, so partial series with the same ledger are one (the better ranked is kept).
    Of each period's slots, one per distinct burden (the best ranked) is tried, and none that
    another slot beats on every participant's burden. A partial series is dropped once even
    its most favourable completion (each participant's least burden in every period left)
    would be less fair than the best series known: first the period-by-period choice, then
    what a narrow search (the ``BEAM_WIDTH`` fairest partial series a period), polished one
    period at a time, finds. The exact search then runs within ``MAX_SEARCH_STEPS``.
    """
    options = [_options(slots) for slots in choices]
    known = _polish(choices, start, list(greedy))
    narrow = _search(options, start, _fairness(start, known, choices)[0], width=BEAM_WIDTH)
    if narrow is not None:
        narrow = _polish(choices, start, narrow)
        if _fairness(start, narrow, choices) < _fairness(start, known, choices):
            known = narrow
    exact = _search(options, start, _fairness(start, known, choices)[0], steps=MAX_SEARCH_STEPS)
    if exact is not None and _fairness(start, exact, choices) <= _fairness(start, known, choices):
        known = exact
    return known


def _search(
    options: Sequence[Sequence[tuple[Slot, int]]],
    start: _Tally,
    bound: tuple[int, int, int],
    *,
    width: int | None = None,
    steps: int | None = None,
) -> list[Slot | None] | None:
    """The fairest series no less fair than ``bound`` (see ``_fairest``): keeping only the
    ``width`` fairest partial series a period when given (then perhaps not the fairest), or
    None when none is found or it takes more than ``steps`` steps."""
    size = len(start.minutes)
    # A ledger as one flat tuple: minutes, then inconvenient meetings, participant by
    # participant; a slot as what it adds to it.
    adds = [
        [(*slot.burdens, *(int(b > 0) for b in slot.burdens)) for slot, _ in period]
        for period in options
    ]
    # The least each participant can still be given by the periods after each one.
    least = [tuple([0] * (2 * size))]
    for each in reversed(adds):
        floor = [min(add[d] for add in each) for d in range(2 * size)] if each else []
        least.append(tuple(map(operator.add, least[-1], floor)) if floor else least[-1])
    least.reverse()

    def key(ledger: tuple[int, ...]) -> tuple[int, int, int]:
        return (max(ledger[:size]), max(ledger[size:]), sum(ledger[:size]))

    # ledger -> (sum of places, the option chosen in each period so far, -1 for none)
    states: dict[tuple[int, ...], tuple[int, tuple[int, ...]]] = {
        (*start.minutes, *start.counts): (0, ())
    }
    done = 0
    for index, (period, period_adds) in enumerate(zip(options, adds, strict=True)):
        if not period:
            states = {t: (r, (*path, -1)) for t, (r, path) in states.items()}
            continue
        after = least[index + 1]
        following: dict[tuple[int, ...], tuple[int, tuple[int, ...]]] = {}
        for ledger, (places, path) in states.items():
            for k, add in enumerate(period_adds):
                reached = tuple(map(operator.add, ledger, add))
                hope = tuple(map(operator.add, reached, after))
                if key(hope) > bound:
                    continue  # even at best it would end less fair than a series known
                entry = (places + period[k][1], (*path, k))
                if reached not in following or entry < following[reached]:
                    following[reached] = entry
            done += len(period_adds)
            if steps is not None and done > steps:
                return None
        if width is not None and len(following) > width:
            ranked = sorted(
                following.items(),
                key=lambda kv: (key(tuple(map(operator.add, kv[0], after))), kv[1][0]),
            )
            following = dict(ranked[:width])
        states = following
        if not states:
            return None
    _, (_, path) = min(states.items(), key=lambda kv: (key(kv[0]), kv[1][0]))
    return [options[i][k][0] if k >= 0 else None for i, k in enumerate(path)]


def _fairness(
    start: _Tally, series: Sequence[Slot | None], choices: Sequence[Sequence[Slot]]
) -> tuple[tuple[int, int, int], int]:
    places = sum(_place(choices[i], s) for i, s in enumerate(series) if s is not None)
    return start.adding(series).key(), places


#: How many changes ``_polish`` tries before it stops (a series of 120 weeks with 5 kinds of
#: slot a week has some 180,000 changes of two periods).
MAX_POLISH_TRIES = 400_000


def _polish(
    choices: Sequence[Sequence[Slot]], start: _Tally, series: list[Slot | None]
) -> list[Slot | None]:
    """Change one period's slot, or two periods' at once, while that makes the series
    fairer. Two at once is what a choice made period by period misses: two meetings that
    each put two people out half an hour become one that puts out the first, one the second.
    """
    options = [[slot for slot, _ in _options(slots)] for slots in choices]
    places = [{id(slot): i for i, slot in enumerate(slots)} for slots in choices]
    size = len(start.minutes)
    minutes = list(start.adding(series).minutes)
    counts = list(start.adding(series).counts)
    rank = sum(places[i][id(s)] for i, s in enumerate(series) if s is not None)

    def score(
        out: Sequence[Slot | None], into: Sequence[Slot | None], ranks: int
    ) -> tuple[tuple[int, int, int], int]:
        m, c = list(minutes), list(counts)
        for old, new in zip(out, into, strict=True):
            for d in range(size):
                b_old = old.burdens[d] if old is not None else 0
                b_new = new.burdens[d] if new is not None else 0
                m[d] += b_new - b_old
                c[d] += (b_new > 0) - (b_old > 0)
        return (max(m, default=0), max(c, default=0), sum(m)), ranks

    best = score([], [], rank)
    moves: list[tuple[int, ...]] = [(i,) for i in range(len(series))]
    moves += list(itertools.combinations(range(len(series)), 2))
    tries = 0
    unchanged = 0  # moves tried in a row without a fairer series: all of them ends it
    position = 0
    while unchanged < len(moves) and tries < MAX_POLISH_TRIES:
        move = moves[position]
        position = (position + 1) % len(moves)
        unchanged += 1
        olds = [series[i] for i in move]
        for news in itertools.product(*(options[i] for i in move)):
            tries += 1
            if any(new is old for new, old in zip(news, olds, strict=True)):
                continue
            ranks = rank + sum(
                places[i][id(new)] - (places[i][id(old)] if old is not None else 0)
                for i, new, old in zip(move, news, olds, strict=True)
            )
            trial = score(olds, news, ranks)
            if trial < best:
                for i, new in zip(move, news, strict=True):
                    series[i] = new
                best, rank, unchanged = trial, ranks, 0
                tally = start.adding(series)
                minutes, counts = list(tally.minutes), list(tally.counts)
                break
    return series


def _options(slots: Sequence[Slot]) -> list[tuple[Slot, int]]:
    """A period's slots worth trying, with their place in its ranking: the best ranked of
    each burden, without those another beats (or equals) on every participant's burden."""
    seen: dict[tuple[int, ...], tuple[Slot, int]] = {}
    for place, slot in enumerate(slots):  # best ranked first
        seen.setdefault(slot.burdens, (slot, place))
    burdens = list(seen)
    kept = [
        b
        for b in burdens
        if not any(o != b and all(x <= y for x, y in zip(o, b, strict=True)) for o in burdens)
    ]
    return [seen[b] for b in kept]


def _place(slots: Sequence[Slot], slot: Slot) -> int:
    return next(i for i, s in enumerate(slots) if s is slot)


# Reading the command line's values --------------------------------------------------------------


def parse_duration(text: str, *, flag: str = "--duration") -> int:
    """Minutes in ``90m``, ``1h30m``, ``1h30``, ``2h`` or ``PT1H30M``.

    Raises:
        MeetingError: anything else, or a duration that is zero or longer than a day.
    """
    import re

    cleaned = text.strip().lower()
    match = re.fullmatch(r"(?:pt)?(?:(\d+)h)?(?:(\d+)(?:m|min)?)?", cleaned)
    if (
        not cleaned
        or not match
        or not any(match.groups())
        or (match.group(2) and not match.group(1) and not cleaned.endswith(("m", "min")))
    ):
        raise MeetingError(f"{flag}: {shown(text)} is not a duration; write e.g. 90m, 1h30m or 2h")
    minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if not 0 < minutes <= DAY:
        raise MeetingError(f"{flag}: {shown(text)} must be more than 0m and at most 24h")
    return minutes


def parse_date(text: str, *, flag: str) -> date:
    """A calendar date ``2026-12-01``, in the years 1971 to 9998.

    Raises:
        MeetingError: naming the flag: not a date, or a year outside that range.
    """
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise MeetingError(f"{flag}: {shown(text)} is not a date like 2026-12-01") from None
    _check_year(value.year, text, flag)
    return value


def _check_year(year: int, text: str, flag: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise MeetingError(f"{flag}: {shown(text)} is not in the years {FIRST_YEAR} to {LAST_YEAR}")


def parse_instant(text: str, *, flag: str = "--start") -> datetime:
    """An instant with its zone: ``2026-12-03T15:00Z`` or ``2026-12-03T10:00-05:00``, in UTC,
    in the years 1971 to 9998.

    Raises:
        MeetingError: not a date and time, no zone given, or a year outside that range.
    """
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise MeetingError(
            f"{flag}: {shown(text)} is not a date and time like 2026-12-03T15:00Z"
        ) from None
    if value.tzinfo is None:
        raise MeetingError(
            f"{flag}: {shown(text)} has no zone; add Z for UTC or an offset like -05:00"
        )
    # The year of the local date, before astimezone can overflow at either end of time.
    _check_year(value.year, text, flag)
    return value.astimezone(UTC).replace(second=0, microsecond=0)
