"""Time as whole minutes since the Unix epoch, UTC: the instants of a zone's offset changes, and
intervals of minutes merged, subtracted and intersected.

A wall-clock fact in an IANA zone (working hours, a public holiday) becomes UTC intervals once,
cut at every change of the zone's UTC offset (``offset_segments``), so that a meeting never
straddles a daylight-saving change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from somnet.meetings.inputs import DAY

#: 1970-01-01, day 0 of the epoch, was a Thursday (weekday 3).
EPOCH_WEEKDAY = 3
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

#: A half-open ``[start, end)`` (or, for start times, closed) span of epoch minutes.
Interval = tuple[int, int]


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name`` (made once)."""
    return ZoneInfo(name)


def minute_of_date(day: date) -> int:
    """The epoch minute of 00:00 UTC of ``day``."""
    return (day.toordinal() - _EPOCH_ORDINAL) * DAY


def date_of_day(day: int) -> date:
    """The date of the ``day``-th day since the epoch."""
    return date.fromordinal(_EPOCH_ORDINAL + day)


def to_minute(instant: datetime) -> int:
    """Minutes since the epoch of an aware instant (seconds are dropped)."""
    return int(instant.timestamp()) // 60


def from_minute(minute: int) -> datetime:
    """The UTC instant of an epoch minute."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(minutes=minute)


def _offset(tz: ZoneInfo, minute: int) -> int:
    offset = from_minute(minute).astimezone(tz).utcoffset()
    return int(offset.total_seconds()) // 60 if offset is not None else 0


def offset_segments(zone_name: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """Split ``[start, end)`` (epoch minutes) where the zone's UTC offset changes.

    Args:
        zone_name: the IANA zone.
        start: the first minute.
        end: the minute after the last.

    Returns:
        ``(from, to, offset)`` triples covering the span, offset in minutes east of UTC.
    """
    tz = zone(zone_name)
    segments: list[tuple[int, int, int]] = []
    seg_start, current = start, _offset(tz, start)
    probe = start
    # Offsets change at most a few times a year, never twice within twelve hours.
    while probe < end:
        following = min(probe + DAY // 2, end)
        if _offset(tz, following) != current and following > probe:
            low, high = probe, following  # current offset at low, another one at high
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(tz, middle) == current:
                    low = middle
                else:
                    high = middle
            segments.append((seg_start, high, current))
            seg_start, current = high, _offset(tz, high)
        probe = following
    segments.append((seg_start, end, current))
    return segments


def merge(intervals: list[Interval]) -> list[Interval]:
    """The union of ``intervals``, sorted, touching ones joined."""
    merged: list[Interval] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def subtract(intervals: list[Interval], holes: list[Interval]) -> list[Interval]:
    """``intervals`` without the minutes of ``holes``."""
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


def intersect(first: list[Interval], second: list[Interval]) -> list[Interval]:
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


def is_ambiguous(local: datetime, tz: ZoneInfo) -> bool:
    """Whether the wall-clock time of ``local`` happens twice in ``tz`` (a fall-back night)."""
    naive = local.replace(tzinfo=None)
    return (
        naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset()
    )
