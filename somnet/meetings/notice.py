"""How much notice a meeting gives: the earliest start that gives every participant enough
working days, and a start refused because it is in the past or too soon."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta

from somnet._exceptions import MeetingError
from somnet._i18n import _
from somnet.meetings.errors import NoticeError
from somnet.meetings.inputs import check_whole
from somnet.meetings.intervals import zone
from somnet.meetings.participants import HolidayCalendar, Participant, public_holidays

#: Working days of notice a meeting needs by default: it may start, from local midnight, on the
#: second of each participant's working days after today (today not counted; their own week,
#: without their public holidays): planned on a Friday, on Tuesday at the earliest, with one
#: whole working day, Monday, between. ``notice_days`` in config.toml changes it.
DEFAULT_NOTICE_DAYS = 2


def check_notice_days(notice_days: object) -> None:
    """Refuse a notice that is not a whole number of working days, 0 or more (a bool, a
    float, a text read from a file, a negative number).

    Raises:
        MeetingError: naming the field ``notice_days``.
    """
    days = check_whole(notice_days, field="notice_days")
    if days < 0:
        raise MeetingError(
            _("{notice_days} must be 0 or more working days").format(notice_days=notice_days),
            field="notice_days",
            value=notice_days,
        )


def configured_notice_days(notice_days: int | None = None) -> int:
    """``notice_days`` when given, else the user's setting (``notice_days`` in config.toml),
    else ``DEFAULT_NOTICE_DAYS``.

    Args:
        notice_days: working days of notice asked for, or None.

    Returns:
        The working days of notice.

    Raises:
        MeetingError: ``notice_days`` is not a whole number of days, 0 or more (field
            ``notice_days``).
        BadInputError: the configuration cannot be read, or its ``notice_days`` is not a
            whole number of days, 0 or more.
    """
    if notice_days is not None:
        check_notice_days(notice_days)
        return notice_days
    from somnet._config import notice_days as configured

    found = configured()
    return DEFAULT_NOTICE_DAYS if found is None else found


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
    never before ``now``. ``notice_earliest`` also says which holidays it could not check.

    Args:
        participants: who attends.
        now: the clock.
        notice_days: working days of notice.
        holidays: calendars by ``holiday_key``; looked up with python-holidays when None.

    Returns:
        The earliest start, in UTC.

    Raises:
        MeetingError: naming the field ``notice_days`` (or, for the configuration's, the
            file and key): a notice that is not a whole number of days, a negative one, or
            more working days than a participant has within a year.
    """
    return notice_earliest(participants, now, notice_days, holidays)[0]


def notice_earliest(
    participants: Sequence[Participant],
    now: datetime,
    notice_days: int = DEFAULT_NOTICE_DAYS,
    holidays: Mapping[str, HolidayCalendar] | None = None,
) -> tuple[datetime, list[str]]:
    """``earliest_start``, and what it could not check: the days it counted in a year whose
    public holidays python-holidays has no calendar of (near the end of its calendars), or of
    a calendar it does not have, were counted as working days.

    Args:
        participants: who attends.
        now: the clock.
        notice_days: working days of notice.
        holidays: calendars by ``holiday_key``; looked up with python-holidays when None
            (given, they are taken as they are, and nothing is said of them).

    Returns:
        The earliest start, in UTC, and a warning for each calendar that did not cover the
        days counted (``public_holidays``' warnings, for those days only).

    Raises:
        MeetingError: as ``earliest_start``.
    """
    check_notice_days(notice_days)
    warned = False
    if holidays is None and notice_days and participants:
        holidays, lookup = notice_holidays(participants, now)
        warned = bool(lookup)
    return _counted(participants, now, notice_days, holidays or {}, check=warned)


def notice_holidays(
    participants: Sequence[Participant], now: datetime
) -> tuple[dict[str, dict[date, str]], list[str]]:
    """The public holidays a notice from ``now`` is counted on (``public_holidays`` over the
    days it may count), and the warnings of that look-up."""
    day = now.astimezone(UTC).date()
    return public_holidays(participants, day - timedelta(days=1), day + timedelta(days=400))


def _counted(
    participants: Sequence[Participant],
    now: datetime,
    notice_days: int,
    holidays: Mapping[str, HolidayCalendar],
    *,
    check: bool,
) -> tuple[datetime, list[str]]:
    """``notice_earliest`` on calendars looked up; ``check`` when the look-up warned of some
    (only then are the days counted looked at again, for their warnings)."""
    check_notice_days(notice_days)
    now = now.astimezone(UTC)
    if notice_days == 0 or not participants:
        return now, []
    latest = now
    counted_days: dict[str, tuple[Participant, date, date]] = {}
    for p in participants:
        tz = zone(p.timezone)
        calendar = holidays.get(p.holiday_key, {})
        today = day = now.astimezone(tz).date()
        counted = 0
        for _day in range(400):
            if counted == notice_days:
                break
            day += timedelta(days=1)
            if p.working_hours.windows(day.weekday()) and day not in calendar:
                counted += 1
        else:
            raise MeetingError(
                _("{label}: no {notice_days} working days within a year").format(
                    label=p.label, notice_days=notice_days
                ),
                # The file and key when the notice is the configuration's (config.toml).
                field=getattr(notice_days, "where", "notice_days"),
                value=int(notice_days),
            )
        latest = max(latest, datetime.combine(day, time(), tzinfo=tz).astimezone(UTC))
        # The days counted on this participant's calendar (the first participant of each
        # calendar names it, as the look-up does).
        first, last = today + timedelta(days=1), day
        if p.holiday_key in counted_days:
            owner, was_first, was_last = counted_days[p.holiday_key]
            first, last, p = min(first, was_first), max(last, was_last), owner
        counted_days[p.holiday_key] = (p, first, last)
    warnings: list[str] = []
    if check:
        for p, first, last in counted_days.values():
            warnings += public_holidays([p], first, last)[1]
    return latest, warnings


def check_timing(
    participants: Sequence[Participant],
    start: datetime,
    now: datetime,
    *,
    notice_days: int = DEFAULT_NOTICE_DAYS,
    allow_past: bool = False,
    holidays: Mapping[str, HolidayCalendar] | None = None,
    field: str = "start",
) -> None:
    """Refuse a start in the past (unless ``allow_past``: a meeting recorded after it was
    held) or with less notice than ``notice_days`` working days (``earliest_start``).

    Args:
        participants: whose notice.
        start: the start asked for.
        now: the clock.
        notice_days: working days of notice.
        allow_past: accept a start in the past.
        holidays: calendars by ``holiday_key``; looked up with python-holidays when None.
        field: the name of the start, for the error.

    Raises:
        NoticeError: naming ``field``, the start, now, or whose notice is too short and until
            when; its ``remedy`` names the setting that would let it through.
    """
    when = start.astimezone(UTC)
    warned = False
    if holidays is None and start >= now and notice_days:
        # The days earliest_start counts (as it looks them up itself): the earliest start
        # named in the refusal is then the one plans use, holidays after the start included.
        holidays, lookup = notice_holidays(participants, now)
        warned = bool(lookup)
    if start < now:
        if allow_past:
            return
        raise NoticeError(
            _(
                "{when:%a %Y-%m-%d %H:%M} UTC is in the past (it is {value:%Y-%m-%d %H:%M} UTC)"
            ).format(when=when, value=now.astimezone(UTC)),
            remedy="allow_past",
            field=field,
            value=start,
        )
    earliest, warnings = _counted(participants, now, notice_days, holidays or {}, check=warned)
    if start < earliest:
        late = [p for p in participants if start < earliest_start([p], now, notice_days, holidays)]
        who = ", ".join(p.label for p in late)
        raise NoticeError(
            _(
                "{when:%a %Y-%m-%d %H:%M} UTC gives less than {notice_days} working days' notice "
                "to {who} (the "
                "earliest is {earliest:%a %Y-%m-%d %H:%M} UTC)"
            ).format(when=when, notice_days=notice_days, who=who, earliest=earliest),
            remedy="notice_days",
            field=field,
            value=start,
            earliest=earliest,
            warnings=warnings,
        )
