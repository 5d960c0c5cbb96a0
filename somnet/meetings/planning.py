"""Planning one meeting: the best slots of a window for everyone, not before the notice they
are owed, or why no time fits (whose hours, which holidays, which pairs never overlap).

All arithmetic is in whole minutes since the Unix epoch, UTC (``somnet.meetings.intervals``);
each participant's working hours, core hours and public holidays are wall-clock facts in their
own IANA zone, correct on both sides of a daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import attrs

from somnet._exceptions import MeetingError, NoSlotError
from somnet._given import checked_kinds
from somnet._i18n import _, joined_messages, summarised
from somnet.meetings.availability import Availability, availability
from somnet.meetings.inputs import check_whole, duration_text
from somnet.meetings.intervals import Interval, from_minute, intersect, to_minute, zone
from somnet.meetings.notice import check_notice_days, configured_notice_days, notice_earliest
from somnet.meetings.participants import (
    HolidayCalendar,
    Participant,
    ParticipantView,
    decreed_closures,
    given_participants,
    national_days_abroad,
)
from somnet.meetings.slots import (
    Slot,
    SlotView,
    Window,
    best_slots,
    candidate_slots,
    holidays_on_their_dates,
)


@attrs.frozen
class Interpretation:
    """The languages of a meeting's participants.

    Attributes:
        languages: every language a participant speaks (primary subtags, sorted).
        common: the languages every participant speaks; none means interpretation is needed.
        by_participant: each participant's languages, in the order of the participants.
    """

    languages: tuple[str, ...]
    common: tuple[str, ...]
    by_participant: tuple[tuple[Participant, tuple[str, ...]], ...]

    @property
    def needed(self) -> bool:
        """Whether no language is common to every participant."""
        return not self.common

    def view(self) -> InterpretationView:
        """The interpretation in JSON: whether it is needed, every language, the common ones."""
        return InterpretationView(needed=self.needed, languages=self.languages, common=self.common)


@attrs.frozen
class InterpretationView:
    """The interpretation a meeting needs, in JSON (primary language subtags)."""

    needed: bool
    languages: tuple[str, ...]
    common: tuple[str, ...]


def interpretation(participants: Sequence[Participant]) -> Interpretation:
    """Which interpretation a meeting needs: the languages of its participants (their
    contacts' ``languages``, primary subtags) and those all of them speak.

    Args:
        participants: who attends.

    Returns:
        The languages; a participant whose contact records none is left out of ``common``.
    """
    from somnet._given import items_of_kind

    spoken = [
        (p, tuple(dict.fromkeys(tag.split("-")[0].lower() for tag in p.languages)))
        for p in items_of_kind(participants, Participant, field="participants", error=MeetingError)
    ]
    known = [langs for _p, langs in spoken if langs]
    common = set(known[0]).intersection(*known[1:]) if known else set()
    every = sorted({code for langs in known for code in langs})
    return Interpretation(tuple(every), tuple(sorted(common)), tuple(spoken))


@attrs.frozen
class Plan:
    """The best times for everyone to meet (``plan``).

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

    @property
    def interpretation(self) -> Interpretation:
        """The languages the meeting is held in: those every participant speaks, and the rest
        (interpretation is needed when no language is common to all)."""
        return interpretation(self.participants)

    def to_json(self) -> dict[str, Any]:
        """The plan in JSON, as the command line prints it: the window, the participants,
        each slot in UTC and on every participant's clock, the holidays, the interpretation
        the meeting needs, the warnings.

        Returns:
            JSON data.
        """
        from somnet.meetings.views import WindowView, unstructure

        view = PlanView(
            window=WindowView(
                first=self.window.first.isoformat(),
                last=self.window.last.isoformat(),
                duration_minutes=self.window.duration,
                step_minutes=self.window.step,
            ),
            participants=tuple(p.view() for p in self.participants),
            feasible_starts=self.feasible,
            slots=tuple(s.view(self.participants) for s in self.slots),
            holidays=tuple(
                HolidayView(contact=p.contact, state=p.seat, date=day.isoformat(), name=name)
                for p, day, name in self.holidays
            ),
            interpretation=self.interpretation.view(),
            warnings=self.warnings,
        )
        data: dict[str, Any] = unstructure(view)
        return data

    @staticmethod
    def no_slot_json(error: NoSlotError) -> dict[str, Any]:
        """The JSON the command line prints when nothing fits: no slots, and why.

        Args:
            error: what ``plan`` raised.

        Returns:
            JSON data: ``{"slots": [], "reasons": [...]}``.
        """
        from somnet.meetings.views import unstructure

        data: dict[str, Any] = unstructure(NoPlanView(reasons=tuple(error.reasons)))
        return data


@attrs.frozen
class HolidayView:
    """A public holiday in a plan's window, in JSON."""

    contact: str
    state: str
    date: str
    name: str


@attrs.frozen
class PlanView:
    """A plan in JSON (``window`` is a ``somnet.meetings.views.WindowView``)."""

    window: Any
    participants: tuple[ParticipantView, ...]
    feasible_starts: int
    slots: tuple[SlotView, ...]
    holidays: tuple[HolidayView, ...]
    interpretation: InterpretationView
    warnings: tuple[str, ...]


@attrs.frozen
class NoPlanView:
    """No plan, in JSON: no slots, and the reasons."""

    reasons: tuple[str, ...]
    slots: tuple[SlotView, ...] = ()


@checked_kinds(MeetingError)
def plan(
    participants: Sequence[Participant],
    window: Window,
    *,
    count: int = 5,
    per_day: bool = False,
    holidays: Mapping[str, HolidayCalendar] | None = None,
    warnings: Sequence[str] = (),
    not_before: datetime | None = None,
    now: datetime | None = None,
    notice_days: int | None = None,
) -> Plan:
    """Find the best times for everyone to meet.

    Args:
        participants: who attends (``resolve_participants``).
        window: the UTC dates, duration and grid.
        count: how many slots to return.
        per_day: at most one slot per UTC day.
        holidays: calendars by ``holiday_key``, for the window's dates and, with ``now``,
            the days of the notice (counted on them, not on python-holidays'), and the
            national days of the state a post abroad represents (``national_days_abroad``);
            looked up with python-holidays when None. A participant whose key has no
            calendar there has no holidays.
        warnings: warnings from an earlier step, carried into the plan.
        not_before: the earliest start allowed, with its zone; slots before it are not
            offered.
        now: the clock: when given, nothing is offered before ``now`` and the notice
            (``earliest_start``), as the command line plans.
        notice_days: working days of notice with ``now``; None for the configured default
            (``notice_days`` in config.toml, else 2).

    Returns:
        The plan, best slots first.

    Raises:
        NoSlotError: nothing fits; its reasons say which constraint ruled out what, its
            warnings what could not be checked (as a plan's).
        MeetingError: no participants, or a count below one (field ``count``); a notice
            that is not a whole number of days, 0 or more (field ``notice_days``), with or
            without ``now``; an earliest start without a zone (field ``not_before``).
    """
    participants = given_participants(participants)
    from somnet._given import one_of_kind
    from somnet._numbers import check_text

    one_of_kind(window, Window, field="window", error=MeetingError)
    given: Iterable[object] = (
        warnings
        if isinstance(warnings, Iterable) and not isinstance(warnings, str | bytes)
        else (warnings,)  # one alone is that one (not its letters), or refused below
    )
    warnings = tuple(check_text(w, field="warnings", error=MeetingError) for w in given)
    check_whole(count, field="count")
    if count < 1:
        raise MeetingError(
            _("{count} must be at least 1").format(count=count), field="count", value=count
        )
    if notice_days is not None:
        # Refused even when there is no clock to count it from: it is a mistake all the same.
        check_notice_days(notice_days)
    from somnet._time import aware

    # A clock without offset (datetime.now()) is the machine's local time, as the sharing
    # functions read it; an earliest start the caller wrote needs its zone, as a start does.
    check_not_before(not_before)
    now = aware(now)
    # What the notice's earliest start could not check: said when it refuses slots.
    notice_warnings: list[str] = []
    if now is not None:
        notice = configured_notice_days(notice_days)
        # Counted on the calendars the slots are (those given; else python-holidays').
        earliest, notice_warnings = notice_earliest(participants, now, notice, holidays)
        not_before = earliest if not_before is None else max(not_before, earliest)
    notes = list(warnings)
    lo, hi = window.start_minute, window.end_minute
    given_holidays = holidays
    if holidays is None:
        # The local dates the window covers on each one's clock: a year none of them reaches
        # is not warned of.
        holidays, found = holidays_on_their_dates(participants, from_minute(lo), hi - lo)
        notes += found
    avails = [availability(p, lo, hi, holidays.get(p.holiday_key, {})) for p in participants]
    slots = candidate_slots(participants, window, holidays, avails)
    in_window = holidays_in_window(participants, window, holidays)
    summary = _("no {duration} slot suits everyone from {first} to {last} (UTC dates)").format(
        duration=duration_text(window.duration), first=window.first, last=window.last
    )
    if not slots:
        reasons = explain(participants, window, holidays, avails, not_before=not_before)
        raise NoSlotError(summary, reasons, reason=summarised(summary, reasons), warnings=notes)
    if not_before is not None:
        slots = [s for s in slots if s.start >= not_before]
        if not slots:
            reasons = [too_early(not_before)]
            raise NoSlotError(
                summary,
                reasons,
                reason=summarised(summary, reasons),
                warnings=merged(notes, notice_warnings),
            )
    chosen = tuple(best_slots(slots, count, per_day=per_day))
    notes += national_days_abroad(
        participants, (s.start for s in chosen), window.duration, holidays=given_holidays
    )
    if given_holidays is None:
        # Calendars given are taken as they are.
        notes += decreed_closures(participants, (s.start for s in chosen), window.duration)
    return Plan(
        tuple(participants),
        window,
        chosen,
        len(slots),
        tuple(in_window),
        tuple(notes),
    )


def check_not_before(not_before: object) -> None:
    """Refuse an earliest start that a meeting's start is refused as (``check_given_start``):
    read on the machine's clock, one without a zone would plan the same call from another
    instant on each machine.

    Raises:
        MeetingError: naming the field ``not_before``.
    """
    if not_before is not None:
        from somnet.meetings.lifecycle import check_given_start

        check_given_start(not_before, field="not_before")


def too_early(not_before: datetime) -> str:
    """The reason no slot is offered when every one is before ``not_before``."""
    return _(
        "every start that suits everyone is before the earliest start allowed, "
        "{earliest:%a %Y-%m-%d %H:%M} UTC (now, and the notice)"
    ).format(earliest=not_before.astimezone(UTC))


def _first_minute(instant: datetime) -> int:
    """The first whole UTC minute at or after ``instant``."""
    return -(-int(instant.timestamp()) // 60)


def merged(warnings: Sequence[str], more: Sequence[str]) -> list[str]:
    """``warnings``, then those of ``more`` not among them."""
    return [*warnings, *(w for w in more if w not in warnings)]


def holidays_in_window(
    participants: Sequence[Participant], window: Window, holidays: Mapping[str, HolidayCalendar]
) -> list[tuple[Participant, date, str]]:
    """Holidays on a local date in the window, for each participant. The window is UTC dates:
    a local date it covers only in part (the evening before ``first`` west of UTC) holds a
    holiday of the window only when that part holds some of their working hours: there a
    slot could have started but for the holiday."""
    lo, hi = window.start_minute, window.end_minute
    found = []
    for p in participants:
        tz = zone(p.timezone)
        first = from_minute(lo).astimezone(tz).date()
        last = from_minute(hi - 1).astimezone(tz).date()
        working: list[Interval] | None = None
        for day, name in sorted(holidays.get(p.holiday_key, {}).items()):
            if not first <= day <= last:
                continue
            start = to_minute(datetime.combine(day, time(), tz))
            end = to_minute(datetime.combine(day + timedelta(days=1), time(), tz))
            if start < lo or end > hi:
                if working is None:
                    # Their working hours as if they had no holiday.
                    working = list(availability(p, lo, hi, {}).allowed)
                # Some working time within both the date and the window (not a mere instant).
                since, until = max(start, lo), min(end, hi)
                if not any(max(a, since) < min(b, until) for a, b in working):
                    continue
            found.append((p, day, name))
    return found


def explain(
    participants: Sequence[Participant],
    window: Window,
    holidays: Mapping[str, HolidayCalendar],
    avails: Sequence[Availability],
    *,
    not_before: datetime | None = None,
) -> list[str]:
    """Why no slot fits: whose hours, which holidays, which pairs never overlap.

    Args:
        participants: who attends.
        window: where it looked.
        holidays: calendars by ``holiday_key``.
        avails: each participant's availability over the window.
        not_before: the earliest start allowed (now and the notice), if any. When it rules
            out all the time everyone has free (on the grid or off it), it is the one reason;
            otherwise it is named for each participant, and each pair, it leaves none of the
            time they had, beside those the hours rule out in the whole window.

    Returns:
        One reason per line, the most specific first.
    """
    from somnet.directory.hours import is_closure

    lo, hi = window.start_minute, window.end_minute
    duration = window.duration
    length = duration_text(duration)
    if hi - lo < duration:  # pragma: no cover - a window is at least a day long
        return [f"the window is shorter than {length}"]
    span = [(lo, hi - duration)]
    alone = [intersect(span, a.starts(duration)) for a in avails]
    # The starts the notice allows (from its first whole minute): where it leaves someone, or
    # a pair, none of the starts they had, it is what rules them out.
    earliest = lo if not_before is None else max(lo, _first_minute(not_before))
    allowed = [intersect([(earliest, hi - duration)], starts) for starts in alone]
    common: list[Interval] = [(lo, hi)]
    for avail in avails:
        common = intersect(common, list(avail.allowed))
    a, b = max(common, key=lambda c: c[1] - c[0], default=(lo, lo))
    if not_before is not None:
        # Everyone has time free (off the grid): when the notice rules all of it out, that is
        # the one reason, as when it rules out every slot. A finer grid helps only after it,
        # and what everyone has together is told from the earliest start allowed.
        later = intersect(common, [(earliest, hi)])
        before = b - a
        a, b = max(later, key=lambda c: c[1] - c[0], default=(lo, lo))
        if before >= duration and b - a < duration:
            return [too_early(not_before)]
    reasons: list[str] = []
    in_window = holidays_in_window(participants, window, holidays)
    for p, starts, later in zip(participants, alone, allowed, strict=True):
        if later:
            continue
        if starts:
            assert not_before is not None  # nothing after the notice, some before it
            reasons.append(
                _(
                    "{label} has {length} within their working hours ({hours}, {timezone}) "
                    "in the window only before {earliest:%a %Y-%m-%d %H:%M} UTC, the earliest "
                    "start allowed (now, and the notice)"
                ).format(
                    label=p.label,
                    length=length,
                    hours=p.working_hours,
                    timezone=p.timezone,
                    earliest=not_before.astimezone(UTC),
                )
            )
            continue
        # Joined as messages: whose calendar a holiday is from is told in the language in use.
        theirs = [(day, name) for q, day, name in in_window if q is p]
        days = [joined_messages([day, p.holiday_text(name)], " ") for day, name in theirs]
        hours = {"hours": p.working_hours, "timezone": p.timezone}
        if any(is_closure(name) for _day, name in theirs):
            # Carnival in Trinidad and Tobago: no public holiday, but its offices close (as
            # they do on a public holiday, which the list may hold beside it).
            reasons.append(
                _(
                    "{label} has days their offices close ({items}) and no other {length} "
                    "within their working hours ({hours}, {timezone})"
                ).format(label=p.label, items=joined_messages(days), length=length, **hours)
            )
        elif days:
            reasons.append(
                _(
                    "{label} has public holidays ({items}) and no other {length} within "
                    "their working hours ({hours}, {timezone})"
                ).format(label=p.label, items=joined_messages(days), length=length, **hours)
            )
        else:
            reasons.append(
                _(
                    "{label} has no {length} within their working hours ({hours}, {timezone}) "
                    "in the window"
                ).format(label=p.label, length=length, **hours)
            )
    if reasons:
        return reasons
    for i, p in enumerate(participants):
        for j in range(i + 1, len(participants)):
            if intersect(allowed[i], allowed[j]):
                continue
            q = participants[j]
            pair = {
                "label": p.label,
                "working_hours": p.working_hours,
                "timezone": p.timezone,
                "label2": q.label,
                "working_hours2": q.working_hours,
                "timezone2": q.timezone,
                "length": length,
            }
            if intersect(alone[i], alone[j]):
                assert not_before is not None  # they meet before the notice, not after it
                reasons.append(
                    _(
                        "{label} ({working_hours}, {timezone}) and {label2} ({working_hours2}, "
                        "{timezone2}) can meet for {length} within their working hours only "
                        "before {earliest:%a %Y-%m-%d %H:%M} UTC, the earliest start allowed "
                        "(now, and the notice)"
                    ).format(earliest=not_before.astimezone(UTC), **pair)
                )
            else:
                reasons.append(
                    _(
                        "the working hours of {label} ({working_hours}, {timezone}) and {label2} "
                        "({working_hours2}, {timezone2}) never overlap for {length} on a day "
                        "that is a working day and not a holiday for both"
                    ).format(**pair)
                )
    if not reasons:
        when = f"{from_minute(a):%Y-%m-%d %H:%M}-{from_minute(b):%H:%M} UTC"
        if b - a >= duration:
            reasons.append(
                _(
                    "everyone is free {when}, but no start on the {step}-minute grid fits "
                    "it; try a finer step"
                ).format(when=when, step=window.step)
            )
        elif b > a:
            reasons.append(
                _("every pair can meet, but all together at most {duration_text} ({when})").format(
                    duration_text=duration_text(b - a), when=when
                )
            )
        else:
            reasons.append(_("every pair can meet, but never all at once"))
    named = [
        joined_messages([p.label, day, p.holiday_text(name)], " ") for p, day, name in in_window
    ]
    if any(is_closure(name) for _p, _day, name in in_window):
        reasons.append(
            _("days offices close in the window: {items}").format(items=joined_messages(named))
        )
    elif named:
        reasons.append(
            _("public holidays in the window: {items}").format(items=joined_messages(named))
        )
    return reasons
