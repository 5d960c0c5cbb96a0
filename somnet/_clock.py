"""One clock for every date and time somnet checks.

A synced directory is validated when it is installed and again by every command that reads
it; a manifest's times are compared with the machine's clock. Each of these asks the same
clock (the UTC time) and allows the same skew, so that a check passed by ``sync`` is not failed
by a command a moment later because the two used different clocks (the UTC date and the local
date differ every evening in the Americas).

A date in the data (``last_verified``, a treaty's date) has no time zone: it is "in the future"
only once no place on Earth has reached it yet, that is after the date at UTC+14 (the Line
Islands), with the skew on top. A publisher in Panama who writes today's date is therefore
never refused by an agency whose clock is still on yesterday, or by one a few minutes behind.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

#: How far two honest clocks may disagree: a manifest created up to this far ahead of this
#: machine's clock is accepted, and a date in the data up to this far ahead of the latest
#: date on Earth.
CLOCK_SKEW = timedelta(hours=1)
#: The furthest ahead of UTC any place keeps its clocks (UTC+14, Kiritimati).
_EARTH_AHEAD = timedelta(hours=14)


def utc_now() -> datetime:
    """The current time, in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def latest_date(now: datetime | None = None) -> date:
    """The latest calendar date anywhere on Earth at ``now`` (default: the clock), skew included:
    the last date a record may carry without being in the future.

    Args:
        now: an aware time in any zone (the instant is what counts), or None for the clock.
    """
    moment = utc_now() if now is None else now.astimezone(UTC)
    return (moment + _EARTH_AHEAD + CLOCK_SKEW).date()
