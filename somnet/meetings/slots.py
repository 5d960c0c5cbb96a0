"""Where a meeting can lie: the window searched, the slots in it that suit every participant
and what each costs them, and what is wrong with a start chosen by hand.

A *slot* is a grid start (every ``step`` minutes from UTC midnight) at which the whole meeting
lies inside every participant's working hours on a working day that is not a public holiday on
their local date. Its *score* is the sum over participants of the minutes outside their core
hours (the preferred part of the working day); lower is better. Among slots of equal score, a
plan prefers the middle of the week (Tuesday to Thursday on everyone's clock, then Monday and
Friday), then fewer people outside their core hours, then the middle of the core hours of those
inside them, and only then the earliest (``Slot.rank``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

import attrs

from somnet._exceptions import MeetingError
from somnet._i18n import _, joined_messages
from somnet._time import MAX_YEAR, MIN_YEAR
from somnet.meetings.availability import Availability, availability
from somnet.meetings.inputs import DAY, check_whole
from somnet.meetings.intervals import (
    from_minute,
    intersect,
    is_ambiguous,
    minute_of_date,
    to_minute,
    zone,
)
from somnet.meetings.participants import HolidayCalendar, Participant, public_holidays

#: The longest window a plan searches, so that a typo in a year does not run for minutes.
MAX_WINDOW_DAYS = 400
#: How far inside the core hours a tie prefers a meeting to be: not first thing in the
#: morning for one participant nor last thing for another, an hour from either edge.
CORE_MARGIN = 60
#: Monday to Sunday: mid-week days are easiest to meet on (no long weekend, no Monday backlog).
_WEEKDAY_RANK = (1, 0, 0, 0, 1, 2, 2)


@attrs.frozen
class DateSpan:
    """First and last dates, written ``{"from": "2026-12-01", "to": "2026-12-18"}`` (a
    series' period)."""

    first: str
    last: str


@attrs.frozen
class Window:
    """Where to look: UTC dates ``first`` to ``last`` inclusive, a duration and a grid.

    Attributes:
        first: the first UTC date.
        last: the last UTC date.
        duration: minutes.
        step: minutes between two starts of the grid (from UTC midnight).

    Raises:
        MeetingError: naming the field: not a date (a time, a text), or a date outside the
            years ``MIN_YEAR`` to ``MAX_YEAR`` (``first``, ``last``); a window that ends before
            it starts, or is too long (``last``); a duration or grid step that is not a
            whole, positive number of minutes within a day (``duration``, ``step``).
    """

    first: date
    last: date
    duration: int
    step: int = 15

    def __attrs_post_init__(self) -> None:
        for name, day in (("first", self.first), ("last", self.last)):
            from somnet._convert import not_a_date

            refusal = not_a_date(day)
            if refusal is not None:
                raise MeetingError(refusal, field=name, value=day)
            if not MIN_YEAR <= day.year <= MAX_YEAR:
                raise MeetingError(
                    _("{value} is outside the years {min_year}-{max_year}").format(
                        value=day, min_year=MIN_YEAR, max_year=MAX_YEAR
                    ),
                    field=name,
                    value=str(day),
                )
        if self.last < self.first:
            raise MeetingError(
                _(
                    "{last} is before the first date, {first}: the window ends before it starts"
                ).format(last=self.last, first=self.first),
                field="last",
                value=str(self.last),
            )
        if (self.last - self.first).days + 1 > MAX_WINDOW_DAYS:
            raise MeetingError(
                _("{first} to {last}: at most {max_window_days} days at once").format(
                    first=self.first, last=self.last, max_window_days=MAX_WINDOW_DAYS
                ),
                field="last",
                value=str(self.last),
            )
        check_whole(self.duration, field="duration")
        check_whole(self.step, field="step")
        if not 0 < self.duration <= DAY:
            raise MeetingError(
                _("{duration} minutes is not between 1m and 24h").format(duration=self.duration),
                field="duration",
                value=self.duration,
            )
        if not 0 < self.step <= DAY:
            raise MeetingError(
                _("{step} minutes is not between 1m and 24h").format(step=self.step),
                field="step",
                value=self.step,
            )

    @property
    def start_minute(self) -> int:
        """The epoch minute the window starts at: 00:00 UTC of ``first``."""
        return minute_of_date(self.first)

    @property
    def end_minute(self) -> int:
        """The epoch minute the window ends at (exclusive): 24:00 UTC of ``last``."""
        return minute_of_date(self.last) + DAY


@attrs.frozen
class LocalTime:
    """One participant's view of a slot.

    Attributes:
        participant: whose clock.
        start: the start on their clock.
        end: the end on their clock.
        minutes_outside_core: how much of it lies outside their core hours.
    """

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
        """The slot on each participant's clock.

        Args:
            participants: the participants it was found for, in their order.

        Returns:
            One local time per participant.
        """
        return [
            LocalTime(
                p,
                self.start.astimezone(zone(p.timezone)),
                self.end.astimezone(zone(p.timezone)),
                burden,
            )
            for p, burden in zip(participants, self.burdens, strict=True)
        ]

    def view(self, participants: Sequence[Participant]) -> SlotView:
        """The slot as plans and series show it in JSON: UTC, and on each participant's clock.

        Args:
            participants: the participants it was found for, in their order.

        Returns:
            The view.
        """
        return SlotView(
            start=self.start,
            end=self.end,
            score=self.score,
            participants=tuple(
                LocalTimeView(
                    contact=t.participant.contact,
                    state=t.participant.state,
                    timezone=t.participant.timezone,
                    local_start=t.start.isoformat(),
                    local_end=t.end.isoformat(),
                    minutes_outside_core=t.minutes_outside_core,
                )
                for t in self.local_times(participants)
            ),
        )


@attrs.frozen
class LocalTimeView:
    """A slot on one participant's clock, in JSON (local times with their UTC offset)."""

    contact: str
    state: str
    timezone: str
    local_start: str
    local_end: str
    minutes_outside_core: int


@attrs.frozen
class SlotView:
    """A slot in JSON: UTC start and end (``...Z``), score, and each participant's clock."""

    start: datetime
    end: datetime
    score: int
    participants: tuple[LocalTimeView, ...]


def candidate_slots(
    participants: Sequence[Participant],
    window: Window,
    holidays: Mapping[str, HolidayCalendar],
    availabilities: Sequence[Availability] | None = None,
) -> list[Slot]:
    """Every grid start in the window that suits everyone, in time order, with its burdens.

    Args:
        participants: who attends.
        window: the dates, duration and grid.
        holidays: calendars by ``holiday_key``.
        availabilities: each participant's availability over the window, when known.

    Returns:
        The slots, earliest first.
    """
    if not participants:
        return []
    lo, hi = window.start_minute, window.end_minute
    if availabilities is None:
        availabilities = [
            availability(p, lo, hi, holidays.get(p.holiday_key, {})) for p in participants
        ]
    common = [(lo, hi - window.duration)] if hi - lo >= window.duration else []
    for avail in availabilities:
        common = intersect(common, avail.starts(window.duration))
        if not common:
            return []
    slots: list[Slot] = []
    step = window.step
    zones = [zone(p.timezone) for p in participants]
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
            weekday = max(_WEEKDAY_RANK[start.astimezone(tz).weekday()] for tz in zones)
            slots.append(Slot(start, duration, burdens, weekday, min(margins, default=0)))
    return slots


def best_slots(slots: Iterable[Slot], count: int, *, per_day: bool = False) -> list[Slot]:
    """The ``count`` best slots (``Slot.rank``); one per UTC day if ``per_day``.

    Args:
        slots: the candidates.
        count: how many.
        per_day: at most one a UTC day.

    Returns:
        The best, best first.
    """
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


def given_slot(participants: Sequence[Participant], start: datetime, duration: int) -> Slot:
    """A meeting at a time given (not searched for), with its burden on each participant.

    Args:
        participants: who attends.
        start: an aware instant.
        duration: minutes.

    Returns:
        The slot (its weekday rank and core margin are not worked out).
    """
    minute = to_minute(start)
    burdens = tuple(
        availability(p, minute - DAY, minute + duration + DAY, {}).outside_core(minute, duration)
        for p in participants
    )
    return Slot(start.astimezone(UTC), duration, burdens)


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
        holidays: calendars by ``holiday_key``; looked up with python-holidays (for the
            local dates the meeting runs on) when None.

    Returns:
        The warnings of that lookup (a calendar python-holidays does not cover, or not in a
        year the meeting runs in on its participants' clocks), then one problem per
        participant whom the time does not suit.
    """
    minute = to_minute(start)
    problems: list[str] = []
    if holidays is None:
        holidays, problems = holidays_on_their_dates(participants, start, duration)
    for p in participants:
        calendar = holidays.get(p.holiday_key, {})
        avail = availability(p, minute - DAY, minute + duration + DAY, calendar)
        if any(a <= minute and minute + duration <= b for a, b in avail.allowed):
            continue
        tz = zone(p.timezone)
        local = start.astimezone(tz)
        local_end = (start + timedelta(minutes=duration)).astimezone(tz)
        # The dates it runs on: a meeting ending at midnight is over before the next day.
        last_day = (start + timedelta(minutes=duration - 1)).astimezone(tz).date()
        from somnet.directory.hours import is_closure

        days = [d for d in {local.date(), last_day} if d in calendar]
        names = [p.holiday_text(calendar[d]) for d in days]
        if any(is_closure(calendar[d]) for d in days):
            # No public holiday, but their offices close (Carnival in Trinidad and Tobago).
            text = _(
                "{label}: {start:%a %Y-%m-%d %H:%M}-{end:%H:%M} {timezone} is a day their "
                "offices close ({holidays})"
            ).format(holidays=joined_messages(sorted(names), _("; ")))
        elif names:
            text = _(
                "{label}: {start:%a %Y-%m-%d %H:%M}-{end:%H:%M} {timezone} is a public holiday "
                "({holidays})"
            ).format(holidays=joined_messages(sorted(names), _("; ")))
        elif (
            local.utcoffset() != local_end.utcoffset()
            or is_ambiguous(local, tz)
            or is_ambiguous(local_end, tz)
        ):
            text = _(
                "{label}: {start:%a %Y-%m-%d %H:%M}-{end:%H:%M} {timezone} is across a "
                "daylight-saving change or at a local time that happens twice"
            )
        else:
            text = _(
                "{label}: {start:%a %Y-%m-%d %H:%M}-{end:%H:%M} {timezone} is outside their "
                "working hours ({hours})"
            ).format(hours=p.working_hours)
        end = _Until(local, local_end)
        problems.append(text.format(label=p.label, start=local, end=end, timezone=p.timezone))
    return problems


def holidays_on_their_dates(
    participants: Sequence[Participant], start: datetime, duration: int
) -> tuple[dict[str, HolidayCalendar], list[str]]:
    """``public_holidays`` of each calendar over the local dates ``[start, start + duration
    minutes)`` runs on for the participants who keep it (a meeting, or a window searched): a
    year it does not touch on their clocks (2101 for a meeting on 30 December 2100, or a
    window ending on 31 December 2100 west of UTC) is not one whose holidays matter, nor one
    to warn of."""
    last_minute = start + timedelta(minutes=max(duration - 1, 0))
    spans: dict[str, tuple[list[Participant], date, date]] = {}
    for p in participants:
        tz = zone(p.timezone)
        first, last = start.astimezone(tz).date(), last_minute.astimezone(tz).date()
        if p.holiday_key in spans:
            keeping, low, high = spans[p.holiday_key]
            first, last = min(first, low), max(last, high)
        else:
            keeping = []
        keeping.append(p)
        spans[p.holiday_key] = (keeping, first, last)
    calendars: dict[str, HolidayCalendar] = {}
    warnings: list[str] = []
    for keeping, first, last in spans.values():
        found, unchecked = public_holidays(keeping, first, last)
        calendars.update(found)
        warnings += unchecked
    return calendars, warnings


@attrs.frozen
class _Until:
    """The end of a meeting in a message: a time of day when it ends on the date it starts,
    else with its date (a 24-hour meeting is not ``10:00-10:00``)."""

    start: datetime
    end: datetime

    def __format__(self, spec: str) -> str:
        if self.end.date() == self.start.date():
            return format(self.end, spec)
        return format(self.end, "%Y-%m-%d %H:%M")

    def __str__(self) -> str:
        return format(self, "%H:%M")
