"""Time as UTC minutes: the exact minute of each change of a zone's offset."""

from __future__ import annotations

from datetime import UTC, datetime

from somnet.meetings.intervals import from_minute, offset_segments, to_minute


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
