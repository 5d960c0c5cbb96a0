"""When one participant can meet, as UTC-minute intervals: their working hours on working days
that are not their public holidays, without the hours a daylight-saving change makes unclear,
and their core hours for the score."""

from __future__ import annotations

import bisect
import itertools

import attrs

from somnet.directory.hours import WeeklyHours
from somnet.meetings.inputs import DAY
from somnet.meetings.intervals import (
    EPOCH_WEEKDAY,
    Interval,
    date_of_day,
    merge,
    offset_segments,
    subtract,
)
from somnet.meetings.participants import HolidayCalendar, Participant


@attrs.frozen
class Availability:
    """One participant's usable time over a span, as UTC-minute intervals.

    Attributes:
        allowed: where a meeting may lie (working windows on working days that are not
            holidays, cut at offset changes, without the hours a fall-back repeats); a
            meeting is allowed when it lies inside one interval.
        core: the core hours over the same span (for the score).
        core_starts: the start of each interval of ``core`` (for bisection).
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
    """Work out where ``participant`` can meet within ``[start, end)`` (epoch minutes).

    Args:
        participant: whose hours and zone.
        start: the first minute.
        end: the minute after the last.
        holidays: their public holidays (local dates).

    Returns:
        Their availability over the span.
    """
    segments = offset_segments(participant.timezone, start - DAY, end + DAY)
    allowed: list[Interval] = []
    core: list[Interval] = []
    for seg_start, seg_end, offset in segments:
        allowed += merge(_windows(participant.working_hours, seg_start, seg_end, offset, holidays))
        core += _windows(participant.core_hours, seg_start, seg_end, offset, {})
    # When clocks go back by d minutes at T, the local times of [T - d, T + d) happen twice:
    # no meeting may start, run or end there. A meeting may not end at the very instant of any
    # change either (its local end would read an hour off), hence the extra minute.
    unclear = [
        (t - max(before - after, 0) - 1, t + max(before - after, 0))
        for (_, t, before), (_, _, after) in itertools.pairwise(segments)
    ]
    allowed = subtract(allowed, unclear)
    core = merge(core)
    return Availability(tuple(allowed), tuple(core), tuple(a for a, _ in core))


def _windows(
    hours: WeeklyHours, seg_start: int, seg_end: int, offset: int, holidays: HolidayCalendar
) -> list[Interval]:
    out: list[Interval] = []
    for day in range((seg_start + offset) // DAY, (seg_end - 1 + offset) // DAY + 1):
        if holidays and date_of_day(day) in holidays:
            continue
        base = day * DAY - offset
        for a, b in hours.windows((day + EPOCH_WEEKDAY) % 7):
            lo, hi = max(base + a, seg_start), min(base + b, seg_end)
            if lo < hi:
                out.append((lo, hi))
    return out
