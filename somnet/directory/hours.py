"""Weekly opening hours: ``24/7`` or ``Mo-Fr 08:00-16:00; Sa 09:00-12:00``.

The grammar, kept small so that officers can write it by hand::

    hours   = "24/7" | rule *( ";" rule )
    rule    = days " " span *( "," span )
    days    = day-or-range *( "," day-or-range )     e.g. "Mo-Fr", "Mo,We,Fr", "Mo-Th,Sa"
    span    = HH:MM "-" HH:MM                         end after start; "24:00" closes the day

Hours are wall-clock times in the time zone of whoever keeps them (the agency or the state).
All questions are asked with an aware datetime and that zone, so that the answer is right on
both sides of a daylight-saving change.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Container, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

import attrs

from somnet._exceptions import HoursError
from somnet._i18n import _, joined_messages

DAY_NAMES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_SPAN = re.compile(r"^([0-2][0-9]):([0-5][0-9])-([0-2][0-9]):([0-5][0-9])$")


@attrs.frozen
class Span:
    """One opening window on one weekday, in minutes after local midnight."""

    weekday: int
    start: int
    end: int


@attrs.frozen
class WeeklyHours:
    """When something is open, week after week, in local wall-clock time.

    Attributes:
        always: open around the clock (``24/7``).
        spans: the opening windows, sorted by weekday and start.
    """

    always: bool
    spans: tuple[Span, ...] = ()

    def __str__(self) -> str:
        return self._text(DAY_NAMES, "; ")

    def localized(self, code: str | None = None) -> str:
        """The hours as ``str`` writes them, the days named in the language in use (or
        ``code``), its rules set apart as the language sets a list's items: ``lun.-jeu.
        09:00-17:00 ; ven. 09:00-13:00`` in French. English keeps the notation of the data
        files, ``Mo-Th 09:00-17:00; Fr 09:00-13:00``, which JSON output carries in every
        language."""
        from somnet._i18n import weekday_abbreviations

        names = weekday_abbreviations(code)
        if names is None:
            return str(self)
        return self._text(names, _("; ").localized(code))

    def _text(self, day_names: tuple[str, ...], separator: str) -> str:
        if self.always:
            return "24/7"
        # Group weekdays that share exactly the same windows, then write ranges of days.
        by_windows: dict[tuple[tuple[int, int], ...], list[int]] = {}
        for weekday in range(7):
            windows = tuple((s.start, s.end) for s in self.spans if s.weekday == weekday)
            if windows:
                by_windows.setdefault(windows, []).append(weekday)
        rules = []
        for windows, weekdays in by_windows.items():
            times = ",".join(f"{_hhmm(a)}-{_hhmm(b)}" for a, b in windows)
            rules.append(f"{_days_text(weekdays, day_names)} {times}")
        return separator.join(rules)

    def windows(self, weekday: int) -> list[tuple[int, int]]:
        """The (start, end) minute windows on a weekday (0 = Monday)."""
        if self.always:
            return [(0, 24 * 60)]
        return [(s.start, s.end) for s in self.spans if s.weekday == weekday]

    def is_open(self, at: datetime, zone: tzinfo, closed: Container[date] = ()) -> bool:
        """Whether it is open at the instant ``at`` (aware), read on the clock of ``zone``.

        Args:
            at: the instant.
            zone: the clock the hours are kept on.
            closed: local dates on which weekly hours do not open (public holidays); ``24/7``
                is open on them too.
        """
        if self.always:
            return True
        local = at.astimezone(zone)
        if local.date() in closed:
            return False
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.windows(local.weekday()))

    def next_opening(
        self, at: datetime, zone: tzinfo, closed: Container[date] = ()
    ) -> datetime | None:
        """The first instant at or after ``at`` when it is open, with the zone's UTC offset.

        A window that the clock skips (wholly inside a spring-forward gap) does not open that
        day; days in ``closed`` (local dates: public holidays) are passed over.

        Returns ``at`` itself when open now, and None when it does not open within a year and
        a week (never, or every day closed).
        """
        if self.is_open(at, zone, closed):
            return at
        if not self.spans:
            return None
        after = at.astimezone(UTC)
        local_day = after.astimezone(zone).date()
        for offset in range(_HORIZON_DAYS):
            day = local_day + timedelta(days=offset)
            if day in closed:
                continue
            # A window opens when the clock reaches its start, or when the clock is changed
            # into it: set back an hour at 02:00, it reads 01:00-01:59 again, and a window
            # 00:30-01:30 that closed at the first 01:30 is open again from the second 01:00.
            openings = sorted(
                {
                    instant
                    for start, _end in self.windows(day.weekday())
                    for instant in local_instants(day, start, zone)
                }
                | set(_clock_changes(day, zone))
            )
            for opening in openings:
                if opening > after and self.is_open(opening, zone, closed):
                    # A fixed offset rather than the zone: an instant in a repeated hour
                    # (fold=1) compares unequal to every instant of another zone (PEP 495).
                    utc_offset = opening.astimezone(zone).utcoffset()
                    return opening.astimezone(timezone(utc_offset or timedelta(0)))
        return None


#: How far ahead a next opening is looked for: a year of holidays and a week.
_HORIZON_DAYS = 366 + 8


#: The python-holidays categories, beside ``public``, whose days a meeting is not planned on
#: in a state's offices (the contact plan's open or closed counts ``public`` only): days that
#: are no public holiday by law, but on which its government offices close (README,
#: "Meetings", with the sources): Trinidad and Tobago's Carnival Monday and Tuesday
#: (``optional``: the Office of the Prime Minister's list says most offices close). Panama's
#: Carnival Monday is not among them: python-holidays files it as ``bank`` with 4 November,
#: a working day for public offices in some years.
CLOSURE_CATEGORIES: Mapping[str, tuple[str, ...]] = {"TT": ("optional",)}
#: The python-holidays categories, beside ``public``, of days a state's public offices are
#: closed on by a decree of the year in most years, not all (README, "Meetings"): a meeting
#: may be planned on them, and the plan warns. Panama's ``bank``: Carnival Monday, and 4
#: November (closed by decree in 2020 and 2021, not in 2025).
DECREED_CATEGORIES: Mapping[str, tuple[str, ...]] = {"PA": ("bank",)}


def holiday_calendar(
    code: str,
    subdivision: str | None,
    years: int | list[int],
    language: str = "en",
    *,
    also: Iterable[str] = (),
) -> Any:
    """python-holidays' calendar of a state (or a subdivision of it) for ``years``, its names
    in ``language`` (``en``, ``es``, ``fr``) where python-holidays has that language for the
    state (Haiti's French is its ``fr_HT``), else in English where it has English, else in the
    state's own language.

    Args:
        also: python-holidays categories counted beside ``public`` (``optional``), those of
            them it has for the state (an older python-holidays may have fewer).

    Raises:
        NotImplementedError: python-holidays has no calendar for the state or subdivision.
    """
    import holidays

    # Made without years, a calendar computes no holiday: it only says which languages it has.
    bare: Any = holidays.country_holidays(code, subdiv=subdivision)
    chosen = _calendar_language(bare.supported_languages, bare.default_language, language)
    supported = getattr(bare, "supported_categories", ())
    extra = tuple(c for c in also if c in supported)
    if extra:
        return holidays.country_holidays(
            code, subdiv=subdivision, years=years, language=chosen, categories=("public", *extra)
        )
    return holidays.country_holidays(code, subdiv=subdivision, years=years, language=chosen)


def _calendar_language(
    supported: Iterable[str], default: str | None, language: str = "en"
) -> str | None:
    """The language of python-holidays' names of a state for a reader of ``language``: the
    language itself (``es``), else one of its regional forms (``fr_HT``; the state's default
    first); for English, and a language python-holidays has not for the state, ``en_US`` where
    it has it, else the state's default (None: python-holidays' own choice, for a state whose
    names it has in one language only)."""
    supported = sorted(supported)
    if language != "en":
        if language in supported:
            return language
        regional = [code for code in supported if code.split("_")[0] == language]
        if regional:
            return default if default in regional else regional[0]
    return "en_US" if "en_US" in supported else default


def covered_years(entity: Any) -> tuple[int, int]:
    """The first and last years of a python-holidays calendar (``holiday_calendar``): outside
    them it lists no holiday, which is not a year without any (every year when python-holidays
    does not say)."""
    return getattr(entity, "start_year", date.min.year), getattr(entity, "end_year", date.max.year)


def public_holidays(code: str, subdivision: str | None, year: int) -> dict[date, str] | None:
    """The public holidays (observed days included) of a state in a year, by local date, named
    in English where python-holidays has the names (``holiday_names``); None when
    python-holidays has no calendar for the state (or the subdivision), or none for that year
    (its calendar's ``start_year`` to ``end_year``: outside them it lists no holiday)."""
    try:
        entity = holiday_calendar(code, subdivision, year)
    except NotImplementedError:
        return None
    first, last = covered_years(entity)
    if not first <= year <= last:
        return None
    return {day: holiday_names(entity.get_list(day)) for day in sorted(entity) if day.year == year}


def year_runs(years: Iterable[int]) -> str:
    """Years as a warning names them: runs of consecutive years as ``2150-2152``, apart as
    ``1990, 2150``."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def is_closure(name: object) -> bool:
    """Whether a day's holiday name (``HolidayName``, or a name given) is of a day offices
    close that is no public holiday (``CLOSURE_CATEGORIES``); a name given as text is a public
    holiday's."""
    return bool(getattr(name, "closure", False))


def holiday_names(names: list[str]) -> str:
    """The names of the holidays of one day as one text: a day's one name as it is, two
    ``"; "``-joined as python-holidays joins them (as JSON carries them), and told in the
    language in use with its separator (`` ; `` in French)."""
    if len(names) == 1:
        return names[0]
    return joined_messages(names, _("; "))


class HolidayName(str):
    """The name of a state's public holiday on a day, as a message names it: its value is the
    name python-holidays gives in English where it has English (as JSON carries it), and
    :meth:`localized` names it in Spanish or French where python-holidays has that language
    for the state, and as its value (English, with the language's separator between two
    names) where it has not.

    Attributes:
        state: the state whose calendar it is from.
        subdivision: the python-holidays subdivision of that calendar, if any.
        day: the local date.
        closure: True for a day its offices close that is no public holiday
            (``CLOSURE_CATEGORIES``: Trinidad and Tobago's Carnival Monday and Tuesday).
    """

    state: str
    subdivision: str | None
    day: date
    closure: bool
    #: The name as ``public_holidays`` gives it: text, or a day's names joined as a message.
    _english: str

    def __new__(
        cls, name: str, state: str, subdivision: str | None, day: date, closure: bool = False
    ) -> HolidayName:
        holiday = super().__new__(cls, name)
        holiday._english, holiday.state, holiday.subdivision, holiday.day = (
            name,
            state,
            subdivision,
            day,
        )
        holiday.closure = closure
        return holiday

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            HolidayName,
            (self._english, self.state, self.subdivision, self.day, self.closure),
        )

    def localized(self, code: str | None = None) -> str:
        """The name in the language in use (or ``code``), where python-holidays has it for
        the state; else as its value, the separator between two names the language's.

        Raises:
            UnknownLanguageError: somnet does not speak ``code``.
        """
        from somnet._i18n import SOURCE_LANGUAGE, localized, told_in

        code = told_in(code)
        if code != SOURCE_LANGUAGE:
            # English is the name itself: only another language asks python-holidays again.
            calendar = _calendar_in(self.state, self.subdivision, self.day.year, code)
            names = calendar.get_list(self.day) if calendar is not None else []
            if names:
                return localized(holiday_names(names), code)
        return localized(self._english, code)


@functools.lru_cache(maxsize=64)
def _calendar_in(state: str, subdivision: str | None, year: int, language: str) -> Any:
    """python-holidays' calendar of a state in a year with its names in ``language``, made once
    for every holiday it names; None when python-holidays has not that language for the state
    (or has no calendar of it)."""
    try:
        # The days a meeting is not planned on are named too (their names are only looked
        # up for a day a calendar holds).
        also = (*CLOSURE_CATEGORIES.get(state, ()), *DECREED_CATEGORIES.get(state, ()))
        calendar = holiday_calendar(state, subdivision, year, language, also=also)
    except NotImplementedError:
        return None
    told = getattr(calendar, "language", None) or ""
    return calendar if told.split("_")[0] == language else None


def local_instant(day: date, minute: int, zone: tzinfo) -> datetime:
    """The first aware instant at which the clock of ``zone`` reads a wall-clock minute of a
    local day (24:00 is next midnight).

    A wall time skipped by a spring-forward change does not exist: the answer is the instant the
    clock jumps past it. A wall time repeated by a fall-back change happens twice: this is the
    first; ``local_instants`` gives both.
    """
    return local_instants(day, minute, zone)[0].astimezone(zone)


def local_instants(day: date, minute: int, zone: tzinfo) -> list[datetime]:
    """Every instant (in UTC, earliest first) at which ``zone``'s clock reads the wall-clock
    minute of a local day: one, two in a repeated hour, or the jump itself in a skipped one."""
    if minute >= 24 * 60:
        day, minute = day + timedelta(days=1), minute - 24 * 60
    wall = datetime.combine(day, time(minute // 60, minute % 60))
    first = wall.replace(tzinfo=zone).astimezone(UTC)
    second = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) != wall:
        # Skipped: step back to the first instant whose wall time is not before ``wall``.
        probe = max(first, second)
        while (probe - _MINUTE).astimezone(zone).replace(tzinfo=None) >= wall:
            probe -= _MINUTE
        return [probe]
    return sorted({first, second})


_MINUTE = timedelta(minutes=1)


def _clock_changes(day: date, zone: tzinfo) -> list[datetime]:
    """The instant (in UTC) at which ``zone``'s clock changes its UTC offset during a local
    day, to the minute, when it does (a day whose offset is the same at its end as at its
    start has none: no zone changes twice in a day)."""
    low = local_instants(day, 0, zone)[0]
    high = local_instants(day, 24 * 60, zone)[0]
    before = low.astimezone(zone).utcoffset()
    if high.astimezone(zone).utcoffset() == before:
        return []
    # The offset is ``before`` ``first`` minutes after ``low``, another ``last`` minutes after
    # it: halve until they are one minute apart.
    first, last = 0, (high - low) // _MINUTE
    while last - first > 1:
        middle = (first + last) // 2
        if (low + middle * _MINUTE).astimezone(zone).utcoffset() == before:
            first = middle
        else:
            last = middle
    return [low + last * _MINUTE]


def parse_hours(text: str, *, field: str = "hours") -> WeeklyHours:
    """Weekly opening hours written as the data files write them: ``24/7``, or days and
    spans such as ``Mo-Fr 08:00-16:00; Sa 09:00-12:00`` (the grammar of
    ``somnet.directory.hours``).

    Args:
        text: the hours, e.g. ``Mo-Fr 08:00-16:00`` or ``24/7``.

    Returns:
        The hours, in the wall-clock time of whoever keeps them.
        field: the name of the input that gave them, for the error.

    Raises:
        HoursError: a ``BadInputError`` (and a ``ValueError``) naming ``field``, with what is
            wrong and an example of the right form.
    """
    try:
        return read_hours(text)
    except ValueError as exc:
        raise HoursError(exc.args[0], field=field, value=text) from None


def read_hours(text: str) -> WeeklyHours:
    """:func:`parse_hours` for the data files' converter: the same, refused with a bare
    ``ValueError`` whose message the converter places at the file and field."""
    if not isinstance(text, str):
        raise ValueError(
            _("hours must be text like 'Mo-Fr 08:00-16:00' or '24/7', not {repr}").format(
                repr=repr(text)
            )
        )
    cleaned = text.strip()
    if cleaned == "24/7":
        return WeeklyHours(always=True)
    if not cleaned:
        raise ValueError(_("hours are empty; write '24/7' or e.g. 'Mo-Fr 08:00-16:00'"))
    spans: set[Span] = set()
    for rule in cleaned.split(";"):
        rule = rule.strip()
        days_text, _sep, spans_text = rule.partition(" ")
        if not spans_text.strip():
            raise ValueError(
                _("{repr} needs days and times, e.g. 'Mo-Fr 08:00-16:00'").format(repr=repr(rule))
            )
        weekdays = _parse_days(days_text)
        for span_text in spans_text.replace(" ", "").split(","):
            start, end = _parse_span(span_text)
            for weekday in weekdays:
                spans.add(Span(weekday, start, end))
    ordered = sorted(spans, key=lambda s: (s.weekday, s.start, s.end))
    for previous, current in itertools.pairwise(ordered):
        if previous.weekday == current.weekday and current.start < previous.end:
            raise ValueError(
                _(
                    "windows overlap on {value} in {repr}: {hhmm}-{hhmm2} and {hhmm3}-{hhmm4}"
                ).format(
                    value=DAY_NAMES[current.weekday],
                    repr=repr(text),
                    hhmm=_hhmm(previous.start),
                    hhmm2=_hhmm(previous.end),
                    hhmm3=_hhmm(current.start),
                    hhmm4=_hhmm(current.end),
                )
            )
    return WeeklyHours(always=False, spans=tuple(ordered))


def _parse_days(text: str) -> list[int]:
    weekdays: list[int] = []
    for part in text.split(","):
        first, dash, last = part.partition("-")
        if first not in DAY_NAMES or (dash and last not in DAY_NAMES):
            raise ValueError(
                _("unknown days {repr}; use {items} and ranges like 'Mo-Fr'").format(
                    repr=repr(part), items=", ".join(DAY_NAMES)
                )
            )
        a = DAY_NAMES.index(first)
        b = DAY_NAMES.index(last) if dash else a
        if b < a:
            raise ValueError(
                _("day range {repr} runs backwards; write it from Monday on").format(
                    repr=repr(part)
                )
            )
        weekdays.extend(range(a, b + 1))
    return weekdays


def _parse_span(text: str) -> tuple[int, int]:
    match = _SPAN.match(text)
    if not match:
        raise ValueError(_("time span {repr} must look like '08:00-16:00'").format(repr=repr(text)))
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if h1 > 23 or h2 > 24 or end > 24 * 60:
        raise ValueError(
            _("time span {repr} has an hour outside 00:00-24:00").format(repr=repr(text))
        )
    if end <= start:
        raise ValueError(
            _(
                "time span {repr} must end after it starts; split a window that crosses "
                "midnight in two ('Fr 22:00-24:00; Sa 00:00-06:00')"
            ).format(repr=repr(text))
        )
    return start, end


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _days_text(weekdays: list[int], names: tuple[str, ...] = DAY_NAMES) -> str:
    parts: list[str] = []
    run_start = previous = weekdays[0]
    for weekday in [*weekdays[1:], None]:
        if weekday is not None and weekday == previous + 1:
            previous = weekday
            continue
        if run_start == previous:
            parts.append(names[run_start])
        else:
            parts.append(f"{names[run_start]}-{names[previous]}")
        if weekday is not None:
            run_start = previous = weekday
    return ",".join(parts)
