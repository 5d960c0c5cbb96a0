"""Instants as somnet writes and reads them: UTC text in files and records, times given by
people read with their offset or in a named zone, and the years somnet accepts."""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Literal

from somnet._exceptions import BadInputError
from somnet._i18n import _

#: The years a time may fall in: time-zone arithmetic at the ends of Python's calendar
#: overflows, and no directory or meeting is valid there.
MIN_YEAR, MAX_YEAR = 1971, 9998
#: The offsets time zones keep, from Baker Island's to Kiribati's Line Islands'.
LOWEST_OFFSET, HIGHEST_OFFSET = timedelta(hours=-12), timedelta(hours=14)


def check_clock(moment: object, *, field: str = "now") -> None:
    """Refuse a clock given to the library that is not a time: a date (``date.today()`` where
    ``datetime.now()`` was meant), a text, a number. None, the clock itself, is one.

    Raises:
        BadInputError: naming ``field``.
    """
    if moment is not None and not isinstance(moment, datetime):
        raise _not_a_time(moment, field)


def _not_a_time(moment: object, field: str) -> BadInputError:
    found = repr(moment)
    found = found if len(found) <= 80 else found[:77] + "..."
    return BadInputError(
        _("expected a time like 2026-12-03T15:00:00Z, got {found}").format(found=found),
        field=field,
        value=moment,
    )


def aware(moment: datetime | None) -> datetime | None:
    """``moment`` as given when it has its offset; without one, read as the machine's local
    time, as ``datetime.astimezone`` reads it (``datetime.now()`` is that time), in UTC; None
    stays None. The sharing functions read a clock given without offset so too.

    Raises:
        BadInputError: ``moment`` is not a time (field ``now``).
    """
    check_clock(moment)
    if moment is None or moment.utcoffset() is not None:
        return moment
    return moment.astimezone(UTC)


def now_in(zone: str | None, now: datetime | None = None) -> datetime:
    """``now`` (default: the clock) on a zone's clock, or in UTC when the zone is unknown.

    Every command that needs "today" for a state reads it here: a contact plan on the acting
    state's clock, ``directory stale`` on the home state's. The machine's own zone is never
    used: an officer's laptop set to another zone must not change an answer.
    """
    from zoneinfo import ZoneInfo

    check_clock(now)
    moment = datetime.now(UTC) if now is None else now
    return moment.astimezone(ZoneInfo(zone) if zone else UTC)


#: The zones that are of no place and still a zone to write times in: the planner's own.
UNIVERSAL_ZONES = frozenset({"UTC", "Etc/UTC"})


@cache
def _tzdata_list(name: str) -> str:
    from importlib.resources import files

    return files("tzdata").joinpath(*name.split("/")).read_text(encoding="utf-8")


@cache
def _place_zones() -> frozenset[str]:
    table = _tzdata_list("zoneinfo/zone.tab")
    return frozenset(
        line.split("\t")[2] for line in table.splitlines() if line and not line.startswith("#")
    )


def is_place_zone(name: str) -> bool:
    """Whether ``name`` is the IANA time zone of a place, as tzdata's ``zone.tab`` lists them
    for each country (``America/Nassau``): not an old alias (``US/Eastern``, ``Cuba``), a
    fixed offset (``EST``, ``Etc/GMT+5``), nor a file of the system's zone folder that
    ``zoneinfo`` reads all the same (``localtime``, the machine's own zone; ``posixrules``;
    ``right/...``)."""
    return name in _place_zones()


def is_iana_zone(name: str) -> bool:
    """Whether ``name`` is a zone IANA's database names at all (a place's, an alias, a fixed
    offset), as the ``tzdata`` package lists them: not ``localtime`` nor any other file a
    system's zone folder holds beside them."""
    return name in _tzdata_list("zones").split()


#: What a time-zone name is (``zone_kind``): the zone of a place, UTC, another name IANA's
#: database holds (an old alias such as ``US/Eastern``, a fixed offset such as ``EST`` or
#: ``Etc/GMT+5``), or none of its names (``localtime``, a typo).
ZoneKind = Literal["place", "universal", "alias", "unknown"]


def zone_kind(name: str) -> ZoneKind:
    """Which kind of time-zone name ``name`` is (``ZoneKind``): the one classification the
    directory's offices, a meeting's participants and an invite's zone are checked with."""
    if is_place_zone(name):
        return "place"
    if name in UNIVERSAL_ZONES:
        return "universal"
    if is_iana_zone(name):
        return "alias"
    return "unknown"


def zone_refusal(name: str, allowed: Collection[str]) -> str | None:
    """Why ``name`` is refused where only the kinds ``allowed`` are (``zone_kind``), in the
    one wording every context uses, or None when it is allowed: an office keeps a place's
    zone; an invite, and a participant (whose zone an invite is written in unless told
    another), a place's or UTC.

    Args:
        name: the zone as given.
        allowed: the kinds accepted there.

    Returns:
        The refusal (the name quoted, cut short when long), or None.
    """
    kind = zone_kind(name)
    if kind in allowed:
        return None
    from somnet._i18n import shown

    if kind == "unknown":
        return _("{value} is not an IANA time zone such as America/Panama").format(
            value=shown(name)
        )
    if kind == "universal":
        # Neither an alias nor an offset of a place: refused only where an office's zone is
        # asked for, whose hours are kept on the clock of the place it sits in.
        return _(
            "{repr} is the zone of no place: an office keeps its place's zone, so that its "
            "hours follow the local clock; name it, such as 'America/Nassau'"
        ).format(repr=shown(name))
    # EST keeps UTC-5 all year, where New York's clock goes forward in summer: hours would be
    # read an hour off half the year; Etc/GMT-5 is UTC+5.
    return _(
        "{repr} is an old alias or a fixed offset, not the zone of a place: name the "
        "place's own, such as 'America/Nassau'"
    ).format(repr=shown(name))


def utc_text(moment: datetime) -> str:
    """An instant as files and records hold it: ``2026-11-27T10:00:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(value: object) -> datetime:
    """The instant ``utc_text`` wrote (any ISO 8601 time with its zone), in UTC.

    Raises:
        ValueError: not a text, not a time, or no zone.
    """
    # What was found, cut short: the value may come from a server.
    found = repr(value)
    found = found if len(found) <= 80 else found[:77] + "..."
    expected = _("expected a time like 2026-12-03T15:00:00Z, got {found}").format(found=found)
    if not isinstance(value, str):
        raise ValueError(expected)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(expected) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(_("{found} has no zone").format(found=found))
    # A record edited by hand to -05:90 is read by Python as -06:30: refused as a start given is.
    try:
        _check_offset_minutes(value, value, field="")
    except BadInputError as exc:
        raise ValueError(str(exc)) from None
    return parsed.astimezone(UTC)


def utc_offset(moment: datetime) -> str:
    """The UTC offset of an aware time as people read it beside a local time: ``UTC-5``,
    ``UTC+5:30``, ``UTC+0``; not a zone's abbreviation (CST is Havana's and Guatemala's).

    Raises:
        BadInputError: ``moment`` is not a time with its UTC offset (field ``moment``).
    """
    if not isinstance(moment, datetime):  # None too: no clock stands in for it here
        raise _not_a_time(moment, "moment")
    offset = moment.utcoffset()
    if offset is None:
        raise BadInputError(
            _("give the time with its UTC offset, e.g. 2026-12-01T03:00-05:00"),
            field="moment",
            value=moment,
        )
    minutes = int(offset.total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'-' if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")


def _offset_text(offset: timedelta) -> str:
    """An offset as ISO 8601 writes it: ``+15:00``, ``-13:30``."""
    minutes = int(offset.total_seconds()) // 60
    hours, minutes = divmod(abs(minutes), 60)
    return f"{'-' if offset < timedelta(0) else '+'}{hours:02d}:{minutes:02d}"


def _check_offset_minutes(written: str, text: str, *, field: str) -> None:
    """Refuse an offset written with minutes above 59 (``-05:90``), which Python reads as
    more hours (``-06:30``): a typo, not an offset.

    Raises:
        BadInputError: naming ``field``.
    """
    import re

    found = re.search(r"[+-][0-9]{2}:?([0-9]{2})(?::?[0-9]{2}(?:\.[0-9]+)?)?$", written)
    if found and int(found.group(1)) > 59:
        raise BadInputError(
            _(
                "{text}: the minutes of its UTC offset must be 0 to 59, e.g. 2026-12-01T03:00-05:30"
            ).format(text=repr(text[:60])),
            field=field,
            value=text,
        )


def check_offset(at: datetime, text: str, *, field: str = "at") -> None:
    """Refuse ``at``, given as ``text``, when no time zone keeps its UTC offset: one of seconds,
    or one beyond -12:00 and +14:00. A time read from text and one given as a datetime pass
    this one check.

    Raises:
        BadInputError: the offset is one no time zone keeps.
    """
    offset = at.utcoffset()
    if offset is None:
        return
    if offset % timedelta(minutes=1):
        raise BadInputError(
            _(
                "{text}: no time zone keeps an offset of seconds; write it in hours and "
                "minutes, e.g. 2026-12-01T03:00-05:00"
            ).format(text=repr(text[:60])),
            field=field,
            value=text,
        )
    if not LOWEST_OFFSET <= offset <= HIGHEST_OFFSET:
        raise BadInputError(
            _(
                "{text}: no time zone keeps the offset {offset} (they run from -12:00 to "
                "+14:00); check its sign"
            ).format(text=repr(text[:60]), offset=_offset_text(offset)),
            field=field,
            value=text,
        )


def check_instant(at: datetime, *, field: str) -> None:
    """Refuse a time given as a datetime that the same time given as text would be refused as
    (:func:`read_time`): a year outside 1971-9998, an offset no time zone keeps.

    Raises:
        BadInputError: naming ``field``.
    """
    text = at.isoformat()
    _check_year(at, text, field=field)
    check_offset(at, text, field=field)


def _check_year(at: datetime, text: str, *, field: str) -> None:
    if not MIN_YEAR <= at.year <= MAX_YEAR:
        raise BadInputError(
            _("{text} is outside the years {first}-{last}").format(
                text=repr(text[:60]), first=MIN_YEAR, last=MAX_YEAR
            ),
            field=field,
            value=text,
        )


def read_time(text: str, zone: str | None = None, *, field: str = "at") -> datetime:
    """A time a person gave: ISO 8601 with its offset (``2026-12-01T03:00-05:00``, ``...Z``),
    or without one, read as the wall-clock time of ``zone``.

    A wall-clock time that the zone skips or repeats at a daylight-saving change is not one
    instant: it is refused, naming the offsets that would make it one.

    Args:
        text: what was given.
        zone: the IANA zone a time without offset is read in; None when there is none.
        field: the name of the input, for the error.

    Raises:
        BadInputError: not a time, a year outside 1971-9998, no offset and no zone, or a
            wall-clock time that does not exist or happens twice in ``zone``.
    """
    written = text.strip()
    if written.endswith("z"):
        # RFC 3339 lets "Z" be written "z", as "T" "t": Python's reader takes only the "t".
        written = written[:-1] + "Z"
    try:
        at = datetime.fromisoformat(written)
    except ValueError:
        raise BadInputError(
            _(
                "{text} is not a time; write ISO 8601 with its offset, e.g. "
                "2026-12-01T03:00-05:00 or 2026-12-01T08:00Z"
            ).format(text=repr(text[:60])),
            field=field,
            value=text,
        ) from None
    _check_year(at, text, field=field)
    if at.tzinfo is not None:
        _check_offset_minutes(written, text, field=field)
        check_offset(at, text, field=field)
        return at
    if zone is None:
        raise BadInputError(
            _(
                "{text} has no UTC offset and no time zone to read it in; add the offset, e.g. "
                "2026-12-01T03:00-05:00"
            ).format(text=repr(text[:60])),
            field=field,
            value=text,
        )
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    first, second = at.replace(tzinfo=tz), at.replace(tzinfo=tz, fold=1)
    if first.astimezone(UTC) != second.astimezone(UTC):
        skipped = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != at
        # The two offsets differ: the instants do.
        earlier, later = sorted(t.isoformat(timespec="minutes")[-6:] for t in (first, second))
        raise BadInputError(
            (
                _(
                    "{text} does not exist in {zone} (a daylight-saving change); add the UTC "
                    "offset ({earlier} or {later})"
                )
                if skipped
                else _(
                    "{text} happens twice in {zone} (a daylight-saving change); add the UTC "
                    "offset ({earlier} or {later})"
                )
            ).format(text=repr(text[:60]), zone=zone, earlier=earlier, later=later),
            field=field,
            value=text,
        )
    return first


def use_newest_time_zone_data() -> str | None:
    """Have zoneinfo read the newer of the system's time-zone database and the tzdata
    package's, and say which version it now reads.

    zoneinfo reads the system's database first, whatever its age: a machine not updated
    since 2022 would keep Mexico on daylight saving time beside a newer tzdata package. The
    system's is kept when it says it is as new as the package or newer (the version line of
    its ``tzdata.zi``); an older one, or one that does not say, gives way to the package. The
    somnet program does this at start; a script may call it once, before reading any time.

    Returns:
        The version zoneinfo reads (``2026a``), or None when the tzdata package is missing
        (zoneinfo then reads the system's, as before).
    """
    import zoneinfo

    try:
        import tzdata  # type: ignore[import-untyped]  # no stubs: a version string is read
    except ImportError:
        return None
    packaged = str(getattr(tzdata, "IANA_VERSION", ""))
    if not _TZ_VERSION.fullmatch(packaged):
        return None
    system = _system_tz_version(zoneinfo.TZPATH)
    if system is not None and system >= packaged:
        return system
    # The package's own folder of zone files, read as the system's are (no search path at all
    # reads it through importlib.resources, slower at every start).
    folder = os.path.join(os.path.dirname(tzdata.__file__), "zoneinfo")
    zoneinfo.reset_tzpath(to=(folder,) if os.path.isdir(folder) else ())
    zoneinfo.ZoneInfo.clear_cache()
    return packaged


#: An IANA time-zone database release: a year and a letter (2026a).
_TZ_VERSION = re.compile(r"\d{4}[a-z]")


def _system_tz_version(paths: Sequence[str]) -> str | None:
    """The version of the database zoneinfo reads first: that of the first folder of
    ``paths`` that exists, from its ``tzdata.zi`` (``# version 2025b``); None when it does
    not say."""
    for folder in paths:
        if not os.path.isdir(folder):
            continue
        try:
            with open(os.path.join(folder, "tzdata.zi"), encoding="ascii", errors="replace") as f:
                line = f.readline(64)
        except OSError:
            return None
        found = re.fullmatch(r"# version (\S+)\s*", line)
        if found and _TZ_VERSION.fullmatch(found.group(1)):
            return found.group(1)
        return None
    return None
