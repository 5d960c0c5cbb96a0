"""Reading what a meeting request is given as text (durations, dates, instants, whole numbers,
timeouts) into numbers and times, with errors that name the field."""

from __future__ import annotations

from datetime import UTC, date, datetime

from somnet._exceptions import BadInputError, MeetingError
from somnet._i18n import SHOWN_LENGTH, _, shown
from somnet._numbers import check_text, read_seconds, read_whole_number
from somnet._numbers import check_whole as check_whole_number
from somnet._time import MAX_YEAR, MIN_YEAR, read_time

#: Minutes in a day: the longest meeting, and the step of every grid.
DAY = 24 * 60
#: The longest network timeout, in seconds, a delivery accepts.
MAX_TIMEOUT = 600


def duration_text(minutes: int) -> str:
    """A number of minutes as people write it: ``1h30m``, ``2h``, ``45m``.

    Args:
        minutes: a whole number of minutes, 0 or more.

    Returns:
        The text.
    """
    hours, rest = divmod(check_whole(minutes, field="minutes"), 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"


def parse_duration(text: str, *, field: str = "duration") -> int:
    """Minutes in ``90m``, ``1h30m``, ``1h30``, ``2h`` or ``PT1H30M``; minutes written beside
    hours are 0 to 59.

    Args:
        text: what was given.
        field: the name of the input, for the error.

    Returns:
        The minutes, more than 0 and at most a day.

    Raises:
        MeetingError: naming ``field``: anything else, minutes beside hours above 59
            (``1h90``), or a duration that is zero or longer than a day.
    """
    import re

    cleaned = check_text(text, field=field, error=MeetingError).strip().lower()
    # ASCII digits only (re's \d also matches other scripts' digits, which int() reads).
    match = re.fullmatch(r"(?:pt)?(?:([0-9]+)h)?(?:([0-9]+)(?:m|min)?)?", cleaned)
    if (
        not cleaned
        or not match
        or not any(match.groups())
        or (match.group(2) and not match.group(1) and not cleaned.endswith(("m", "min")))
    ):
        raise MeetingError(
            _("{value} is not a duration; write e.g. 90m, 1h30m or 2h").format(value=shown(text)),
            field=field,
            value=text,
        )
    if match.group(1) and _count(match.group(2)) > 59:
        # 1h90 is a typo (for 1h30, 1h09?), not 150 minutes: only minutes alone count past 59.
        raise MeetingError(
            _("{value}: minutes beside hours must be 0 to 59; write e.g. 2h30m or 150m").format(
                value=shown(text)
            ),
            field=field,
            value=text,
        )
    minutes = _count(match.group(1)) * 60 + _count(match.group(2))
    if not 0 < minutes <= DAY:
        raise MeetingError(
            _("{value} must be more than 0m and at most 24h").format(value=shown(text)),
            field=field,
            value=text,
        )
    return minutes


def _count(digits: str | None) -> int:
    """The number ``digits`` write, or more than a day of hours or minutes when it has too
    many digits to be one (Python reads no more than 4300 digits as a number)."""
    significant = (digits or "0").lstrip("0") or "0"
    return int(significant) if len(significant) <= len(str(DAY)) else DAY + 1


def parse_date(text: str, *, field: str) -> date:
    """A calendar date ``2026-12-01``, in the years 1971 to 9998.

    Args:
        text: what was given.
        field: the name of the input, for the error (``first``, ``last``).

    Returns:
        The date.

    Raises:
        MeetingError: naming ``field``: not a date, or a year outside that range.
    """
    try:
        value = date.fromisoformat(check_text(text, field=field, error=MeetingError).strip())
    except ValueError:
        raise MeetingError(
            _("{value} is not a date like 2026-12-01").format(value=shown(text)),
            field=field,
            value=text,
        ) from None
    _check_year(value.year, text, field)
    return value


def _check_year(year: int, text: str, field: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise MeetingError(
            _("{value} is outside the years {min_year}-{max_year}").format(
                value=shown(text), min_year=MIN_YEAR, max_year=MAX_YEAR
            ),
            field=field,
            value=text,
        )


def parse_instant(text: str, *, field: str = "start") -> datetime:
    """An instant with its zone: ``2026-12-03T15:00Z`` or ``2026-12-03T10:00-05:00``, in UTC,
    in the years 1971 to 9998, to the minute.

    Args:
        text: what was given.
        field: the name of the input, for the error.

    Returns:
        The instant in UTC, its seconds dropped.

    Raises:
        MeetingError: naming ``field``: not a date and time (a date alone), no zone given, or
            a year outside that range (on its own clock, or in UTC).
    """
    if len(check_text(text, field=field, error=MeetingError).strip()) > SHOWN_LENGTH:
        # No time is this long: not worth reading it.
        raise MeetingError(
            _("{value} is not a date and time like 2026-12-03T15:00Z").format(value=shown(text)),
            field=field,
            value=text,
        )
    if _is_date(text):  # midnight of no zone: the day is not the meeting's time
        raise MeetingError(
            _(
                "{value} is a date without a time; give the start with its UTC offset, e.g. "
                "2026-12-03T15:00Z or 2026-12-03T10:00-05:00"
            ).format(value=shown(text)),
            field=field,
            value=text,
        )
    try:
        value = read_time(text, None, field=field)
    except BadInputError as exc:
        raise MeetingError(exc.reason, field=field, value=text) from None
    value = value.astimezone(UTC).replace(second=0, microsecond=0)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        # In range on its own clock, not in UTC, where records and checks read it.
        raise MeetingError(
            _(
                "{value} is {utc:%Y-%m-%d %H:%M} UTC, outside the years {min_year}-{max_year}"
            ).format(value=shown(text), utc=value, min_year=MIN_YEAR, max_year=MAX_YEAR),
            field=field,
            value=text,
        )
    return value


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


def parse_whole(text: str, *, field: str, minimum: int = 1) -> int:
    """A whole number, at least ``minimum``: a count, a number of days.

    Args:
        text: what was given.
        field: the name of the input, for the error.
        minimum: the least accepted.

    Returns:
        The number.

    Raises:
        MeetingError: naming ``field``: not a whole number in ASCII digits (no spaces, ``_``
            or ``+``), or less than ``minimum``.
    """
    check_whole(minimum, field="minimum")
    value = read_whole_number(check_text(text, field=field, error=MeetingError))
    if value is None:
        raise MeetingError(
            _("{value} is not a whole number").format(value=shown(text)), field=field, value=text
        )
    if value < minimum:
        raise MeetingError(
            _("{value}: give at least {minimum}").format(value=shown(text), minimum=minimum),
            field=field,
            value=text,
        )
    return value


def check_whole(value: object, *, field: str) -> int:
    """Refuse a count, or a number of minutes or days, given to the library as something
    other than a whole number (``somnet._numbers.check_whole``), as a ``MeetingError``.

    Raises:
        MeetingError: naming ``field``.
    """
    return check_whole_number(value, field=field, error=MeetingError)


def parse_timeout(text: str, *, field: str = "timeout") -> float:
    """A network timeout in seconds: more than 0, at most ``MAX_TIMEOUT``.

    Args:
        text: what was given.
        field: the name of the input, for the error.

    Returns:
        The seconds.

    Raises:
        MeetingError: naming ``field``: not a number, or out of range.
    """
    value = read_seconds(text, field=field, error=MeetingError)
    if not 0 < value <= MAX_TIMEOUT:
        raise MeetingError(
            _("{value}: give more than 0 and at most {max_timeout} seconds").format(
                value=shown(text), max_timeout=MAX_TIMEOUT
            ),
            field=field,
            value=text,
        )
    return value
