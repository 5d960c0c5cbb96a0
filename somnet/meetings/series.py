"""A series of meetings, one a period (week, month, quarter), whose inconvenient hours rotate
fairly: a ledger keeps each participant's minutes outside core hours and how many meetings were
inconvenient for them, starting from the meetings already recorded; the whole series is chosen
at once to leave the worst-off participant best off, then to give nobody more inconvenient
meetings than needed (see ``plan_series``).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

import attrs

from somnet._exceptions import MeetingError, NoSlotError, StorageError
from somnet._given import checked_kinds
from somnet._i18n import _, _n, joined_messages, shown, summarised
from somnet._time import MAX_YEAR, aware
from somnet.meetings.availability import availability
from somnet.meetings.errors import NotRecordedError, RecordError
from somnet.meetings.inputs import DAY, check_whole, duration_text
from somnet.meetings.intervals import from_minute, minute_of_date
from somnet.meetings.notice import check_notice_days, configured_notice_days, notice_earliest
from somnet.meetings.participants import (
    HolidayCalendar,
    Participant,
    ParticipantView,
    decreed_closures,
    given_participants,
    national_days_abroad,
)
from somnet.meetings.planning import check_not_before, explain, merged, too_early
from somnet.meetings.slots import (
    DateSpan,
    Slot,
    SlotView,
    Window,
    candidate_slots,
    given_slot,
    holidays_on_their_dates,
)

if TYPE_CHECKING:
    from somnet.meetings.records import Meeting
    from somnet.meetings.store import MeetingStore

#: The most meetings a series may have.
MAX_SERIES = 120

Period = Literal["week", "month", "quarter"]
PERIODS: tuple[Period, ...] = ("week", "month", "quarter")


@attrs.frozen
class LedgerEntry:
    """One participant's burden so far.

    Attributes:
        participant: whose.
        minutes_outside_core: minutes of their meetings outside their core hours.
        inconvenient_meetings: how many of their meetings were partly outside them.
    """

    participant: Participant
    minutes_outside_core: int = 0
    inconvenient_meetings: int = 0

    def view(self) -> LedgerView:
        """The entry in JSON."""
        return LedgerView(
            contact=self.participant.contact,
            state=self.participant.state,
            minutes_outside_core=self.minutes_outside_core,
            inconvenient_meetings=self.inconvenient_meetings,
        )


@attrs.frozen
class LedgerView:
    """A ledger entry in JSON."""

    contact: str
    state: str
    minutes_outside_core: int
    inconvenient_meetings: int


@attrs.frozen
class Occurrence:
    """One meeting of a series, or the reasons why its period has none.

    Attributes:
        index: its number, from 1.
        first: the first UTC date of its period (searched).
        last: the last UTC date of its period (searched).
        slot: its time, or None when no time fits.
        reasons: why no time fits (when ``slot`` is None).
        fixed: its time was given (a meeting of the series sent already), not chosen.
    """

    index: int
    first: date
    last: date
    slot: Slot | None
    reasons: tuple[str, ...] = ()
    fixed: bool = False


@attrs.frozen
class Series:
    """A series chosen so that the inconvenient hours rotate (``plan_series``).

    Attributes:
        participants: who attends.
        every: ``week``, ``month`` or ``quarter``.
        duration: minutes.
        occurrences: one per period.
        ledger: each participant's burden after the whole series (``ledger_before``
            included).
        earliest_worst: the worst-off participant's minutes had every period simply taken its
            best slot (for comparison).
        warnings: what could not be checked.
        ledger_before: each participant's burden before the series (from the meetings already
            held, ``recorded_ledger``; zero when none are counted).
        greedy_worst: the worst-off participant's minutes had each period been chosen in turn,
            without looking ahead, to leave the worst-off best off (for comparison).
        greedy_most_inconvenient: the most inconvenient meetings of one participant then.
        recorded_in: the meeting store the ledger and a resumed series were read from, or
            None.
        counted: the ids of the recorded meetings counted in ``ledger_before``.
    """

    participants: tuple[Participant, ...]
    every: Period
    duration: int
    occurrences: tuple[Occurrence, ...]
    ledger: tuple[LedgerEntry, ...]
    earliest_worst: int
    warnings: tuple[str, ...]
    ledger_before: tuple[LedgerEntry, ...] = ()
    greedy_worst: int = 0
    greedy_most_inconvenient: int = 0
    recorded_in: str | None = None
    counted: tuple[str, ...] = ()

    @property
    def worst(self) -> int:
        """Minutes outside core hours of the worst-off participant."""
        return max((e.minutes_outside_core for e in self.ledger), default=0)

    @property
    def most_inconvenient(self) -> int:
        """The most inconvenient meetings any one participant has."""
        return max((e.inconvenient_meetings for e in self.ledger), default=0)

    def view(self) -> SeriesView:
        """The series as its JSON shows it."""
        return SeriesView(
            every=self.every,
            duration_minutes=self.duration,
            participants=tuple(p.view() for p in self.participants),
            occurrences=tuple(
                OccurrenceView(
                    index=o.index,
                    period=DateSpan(o.first.isoformat(), o.last.isoformat()),
                    slot=o.slot.view(self.participants) if o.slot else None,
                    reasons=o.reasons,
                    sent_before=o.fixed,
                )
                for o in self.occurrences
            ),
            ledger_before=tuple(e.view() for e in self.ledger_before),
            ledger_from=LedgerSourceView(store=self.recorded_in, meetings=self.counted),
            ledger=tuple(e.view() for e in self.ledger),
            worst_minutes_outside_core=self.worst,
            most_inconvenient_meetings=self.most_inconvenient,
            period_by_period_worst_minutes=self.greedy_worst,
            period_by_period_most_inconvenient_meetings=self.greedy_most_inconvenient,
            earliest_slot_series_worst_minutes=self.earliest_worst,
            warnings=self.warnings,
        )

    def to_json(self) -> dict[str, Any]:
        """The series in JSON, as the command line prints it: each occurrence in UTC
        and on every participant's clock, the ledger before and after, how fair it is.

        Returns:
            JSON data.
        """
        from somnet.meetings.views import unstructure

        data: dict[str, Any] = unstructure(self.view())
        return data

    @staticmethod
    def no_slot_json(error: NoSlotError) -> dict[str, Any]:
        """The JSON the command line prints when no period has a slot: no occurrences, and
        why (as ``Plan.no_slot_json`` for one meeting).

        Args:
            error: what ``plan_series`` raised.

        Returns:
            JSON data: ``{"reasons": [...], "occurrences": []}``.
        """
        from somnet.meetings.views import unstructure

        data: dict[str, Any] = unstructure(NoSeriesView(reasons=tuple(error.reasons)))
        return data


@attrs.frozen
class NoSeriesView:
    """No series, in JSON: no occurrences, and the reasons."""

    reasons: tuple[str, ...]
    occurrences: tuple[OccurrenceView, ...] = ()


@attrs.frozen
class OccurrenceView:
    """An occurrence in JSON."""

    index: int
    period: DateSpan
    slot: SlotView | None
    reasons: tuple[str, ...]
    sent_before: bool


@attrs.frozen
class LedgerSourceView:
    """Where the ledger before started from, in JSON."""

    store: str | None
    meetings: tuple[str, ...]


@attrs.frozen
class SeriesView:
    """A series in JSON."""

    every: str
    duration_minutes: int
    participants: tuple[ParticipantView, ...]
    occurrences: tuple[OccurrenceView, ...]
    ledger_before: tuple[LedgerView, ...]
    ledger_from: LedgerSourceView
    ledger: tuple[LedgerView, ...]
    worst_minutes_outside_core: int
    most_inconvenient_meetings: int
    period_by_period_worst_minutes: int
    period_by_period_most_inconvenient_meetings: int
    earliest_slot_series_worst_minutes: int
    warnings: tuple[str, ...]


def periods(first: date, every: Period, count: int) -> list[tuple[date, date]]:
    """The (first, last) dates of each of ``count`` periods starting at ``first``.

    Args:
        first: the first day of the first period.
        every: ``week``, ``month`` or ``quarter``.
        count: how many periods.

    Returns:
        The periods, in order.

    Raises:
        MeetingError: a bad period (field ``every``) or count (field ``count``), or periods
            that would end after the year ``MAX_YEAR``, 9998 (field ``count``).
    """
    if every not in PERIODS:
        raise MeetingError(
            _("{value} is not one of {items}").format(value=shown(every), items=", ".join(PERIODS)),
            field="every",
            value=every,
        )
    check_whole(count, field="count")
    if not 1 <= count <= MAX_SERIES:
        raise MeetingError(
            _("{count} must be between 1 and {max_series}").format(
                count=count, max_series=MAX_SERIES
            ),
            field="count",
            value=count,
        )
    try:
        starts = [_add_period(first, every, k) for k in range(count + 1)]
    except (ValueError, OverflowError):
        starts = []
    # As every date given, the periods end by the year MAX_YEAR (the arithmetic of a day
    # spans a day either side of it).
    if not starts or starts[-1] - timedelta(days=1) > date(MAX_YEAR, 12, 31):
        raise MeetingError(
            _n(
                "{count} meeting every {every} from {first}: the series would run past "
                "the year {max_year}",
                "{count} meetings every {every} from {first}: the series would run past "
                "the year {max_year}",
                count,
            ).format(count=count, every=every, first=first, max_year=MAX_YEAR),
            field="count",
            value=count,
        )
    return [(a, b - timedelta(days=1)) for a, b in itertools.pairwise(starts)]


def _add_period(first: date, every: Period, k: int) -> date:
    if every == "week":
        return first + timedelta(weeks=k)
    months = k * (1 if every == "month" else 3)
    year, month = divmod(first.month - 1 + months, 12)
    year += first.year
    # A series from the 31st keeps to the month's last day in shorter months.
    for day in range(first.day, 27, -1):
        try:
            return date(year, month + 1, day)
        except ValueError:
            continue
    return date(year, month + 1, first.day)


@checked_kinds(MeetingError)
def plan_series(
    participants: Sequence[Participant],
    *,
    first: date,
    every: Period,
    count: int,
    duration: int,
    step: int = 15,
    within_days: int | None = None,
    fair: bool = True,
    holidays: Mapping[str, HolidayCalendar] | None = None,
    warnings: Sequence[str] = (),
    not_before: datetime | None = None,
    ledger: Sequence[LedgerEntry] | None = None,
    fixed: Mapping[int, datetime] | None = None,
    now: datetime | None = None,
    notice_days: int | None = None,
    store: MeetingStore | None = None,
    ledger_from_store: bool = True,
    resume: str | None = None,
) -> Series:
    """Choose one meeting per period so that the inconvenient hours rotate.

    The series is chosen as a whole (``_fairest``), not period by period: it minimises the
    worst-off participant's minutes outside core hours, then the most inconvenient meetings
    any one participant has, then the minutes outside core hours of all, then the slots'
    own ranking (``Slot.rank``). Choosing month by month cannot alternate two times that
    each put out a different participant (the same worst case, half the inconvenient
    meetings each): it keeps taking the slot that splits the burden. The choice is never
    worse for the worst-off than that period-by-period one (``Series.greedy_worst``).

    Args:
        participants: who attends.
        first: the first day of the first period.
        every: ``week``, ``month`` or ``quarter``.
        count: how many meetings.
        duration: minutes.
        step: grid step in minutes.
        within_days: search only the first days of each period (the whole period when None).
        fair: rotate as above; when False, take each period's best slot (``Slot.rank``).
        holidays: calendars by ``holiday_key``, for the periods' dates and, with ``now``,
            the days of the notice (counted on them, not on python-holidays'); looked
            up with python-holidays when None. A participant whose key has no
            calendar there has no holidays.
        warnings: carried into the answer.
        not_before: the earliest start allowed, with its zone.
        ledger: each participant's burden before the series (``recorded_ledger``), in
            participant order; the series evens out the total. A participant without an
            entry starts from zero.
        fixed: the periods (by index, from 0) whose meeting is given, at this start (the
            meetings of a series sent already, when the rest is sent): an aware datetime,
            checked as a meeting's start is.
        now: the clock: when given, nothing is offered before ``now`` and the notice
            (``earliest_start``), as the command line plans.
        notice_days: working days of notice with ``now``; None for the configured default
            (``notice_days`` in config.toml, else 2).
        store: the recorded meetings: unless ``ledger`` is given (or ``ledger_from_store``
            is False), the ledger starts from those of the same participants there. A record
            there that cannot be read is left out (of the ledger, of the series resumed),
            and named in the warnings with what it may have changed.
        ledger_from_store: start the ledger from ``store``.
        resume: the id of a series recorded in ``store`` whose rest is planned: the periods
            its meetings fall in keep their recorded start (``fixed``), and they are not
            counted in the ledger.

    Returns:
        The series with its ledger before and after. A period without any slot is kept, with
        its reasons.

    Raises:
        MeetingError: a bad period (field ``every``), count (``count``), days to search
            (``within_days``) or notice (``notice_days``); a fixed start without a zone, with
            an offset no zone keeps or outside the years 1971-9998, or the index of no period
            (``fixed``); an earliest start so refused too (``not_before``); no participants;
            a ``store`` that is not one (field ``store``); ``resume`` without a
            ``store`` to read the series from (field ``resume``); a ledger entry of someone
            who does not attend, or two of one participant (field ``ledger``).
        NotRecordedError: no series ``resume`` in ``store`` (field ``resume``).
        NoSlotError: no period of the series has a slot at all.
    """
    participants = given_participants(participants)
    from somnet._convert import not_a_date

    refusal = not_a_date(first)
    if refusal is not None:
        raise MeetingError(refusal, field="first", value=first)
    # A clock without offset (datetime.now()) is the machine's local time, as the sharing
    # functions read it; an earliest start the caller wrote needs its zone, as a start does.
    check_not_before(not_before)
    now = aware(now)
    check_whole(duration, field="duration")
    check_whole(step, field="step")
    if within_days is not None:
        check_whole(within_days, field="within_days")
    if within_days is not None and within_days < 1:
        raise MeetingError(
            _("{within_days} days must be at least 1").format(within_days=within_days),
            field="within_days",
            value=within_days,
        )
    if notice_days is not None:
        check_notice_days(notice_days)  # with or without a clock to count it from
    fixed = dict(fixed or {})
    from somnet.meetings.lifecycle import check_given_start

    for given in fixed.values():
        check_given_start(given, field="fixed")
    spans = periods(first, every, count)
    for index in fixed:
        # A meeting sent already, left out without a word, would be planned again.
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
            raise MeetingError(
                _("{index} is no period of the series: give 0 to {last}").format(
                    index=repr(index), last=count - 1
                ),
                field="fixed",
                value=index,
            )
    if within_days is not None:
        # No longer than the period (a number of days past the year 9999 is not a date).
        spans = [(a, a + timedelta(days=min(within_days, (b - a).days + 1) - 1)) for a, b in spans]
    counted: tuple[str, ...] = ()
    if resume is not None and store is None:
        # Its meetings are read from the store: without one, the whole series would be
        # planned anew, the meetings sent already among them.
        raise MeetingError(
            _("series {series} is resumed from the store it is recorded in: give the store").format(
                series=shown(resume)
            ),
            field="resume",
            value=resume,
        )
    if store is not None:
        from somnet.meetings.store import checked_store

        store = checked_store(store)
    if store is not None and resume is not None:
        resumed = _recorded_series(store, resume)
        for meeting in resumed:
            # In the period it was invited in, wherever an update moved it since.
            day = (meeting.asked.start if meeting.asked else meeting.start).astimezone(UTC).date()
            for index, (a, b) in enumerate(spans):
                if a <= day <= b:
                    fixed.setdefault(index, meeting.start)
    # The records that cannot be read: left out of the ledger, and of the series resumed.
    unread: Sequence[RecordError | StorageError] = ()
    leave_out = (resume or "").strip().lower()
    counting = False
    if store is not None and ledger is None and ledger_from_store:
        store.check()
        recorded, unread = store.scan()
        earlier = [m for m in recorded if not leave_out or m.series != leave_out]
        ledger, counted = recorded_ledger(participants, earlier)
        counting = True
    elif store is not None and resume is not None:
        unread = store.scan()[1]
    # What the notice's earliest start could not check: said when it refuses a period's slots.
    notice_warnings: list[str] = []
    if now is not None:
        notice = configured_notice_days(notice_days)
        # Counted on the calendars the slots are (those given; else python-holidays').
        earliest, notice_warnings = notice_earliest(participants, now, notice, holidays)
        not_before = earliest if not_before is None else max(not_before, earliest)
    notes = list(warnings)
    # Planned all the same (nothing is sent: invite_series refuses), and said: which record,
    # why it cannot be read, and what leaving it out may have got wrong.
    if unread:
        from somnet.meetings.store import may_record
    for problem in unread:
        left_out: list[str] = [problem.reason]
        if not may_record(problem):
            # A folder, a link that leads nowhere: no meeting, so nothing left out.
            notes.append(problem.reason)
            continue
        if counting:
            left_out.append(
                _("the ledger before leaves it out (it may be a meeting of these participants)")
            )
        if resume is not None:
            left_out.append(
                _("if it is a meeting of series {series}, its period is planned anew").format(
                    series=leave_out
                )
            )
        notes.append(joined_messages(left_out, _("; ")))
    given_holidays = holidays
    if holidays is None:
        # The local dates the periods cover on each one's clock (as a plan's window).
        lo, hi = minute_of_date(spans[0][0]), minute_of_date(spans[-1][1]) + DAY
        holidays, found = holidays_on_their_dates(participants, from_minute(lo), hi - lo)
        notes += found
    start_minutes = [0] * len(participants)
    start_counts = [0] * len(participants)
    by_contact = _ledger_by_contact(participants, ledger or ())
    for i, p in enumerate(participants):
        if p.contact in by_contact:
            start_minutes[i] = by_contact[p.contact].minutes_outside_core
            start_counts[i] = by_contact[p.contact].inconvenient_meetings
    choices: list[list[Slot]] = []  # each period's slots, best ranked first
    occurrences: list[Occurrence] = []
    for index, (a, b) in enumerate(spans):
        if index in fixed:
            slot = given_slot(participants, fixed[index], duration)
            choices.append([slot])
            occurrences.append(Occurrence(index + 1, a, b, slot, fixed=True))
            continue
        window = Window(a, b, duration, step)
        lo, hi = window.start_minute, window.end_minute
        avails = [availability(p, lo, hi, holidays.get(p.holiday_key, {})) for p in participants]
        slots = candidate_slots(participants, window, holidays, avails)
        reasons: tuple[str, ...] = ()
        if not slots:
            reasons = tuple(explain(participants, window, holidays, avails, not_before=not_before))
        elif not_before is not None:
            slots = [s for s in slots if s.start >= not_before]
            reasons = () if slots else (too_early(not_before),)
            if not slots:
                notes = merged(notes, notice_warnings)
        choices.append(sorted(slots, key=lambda s: s.rank))
        occurrences.append(Occurrence(index + 1, a, b, None, reasons))
    if all(not c for c in choices):
        summary = _n(
            "no {duration_text} slot suits everyone in the period",
            "no {duration_text} slot suits everyone in any of the {count} periods",
            count,
        ).format(duration_text=duration_text(duration), count=count)
        reasons = next((o.reasons for o in occurrences if o.reasons), ())
        raise NoSlotError(
            summary,
            reasons,
            reason=summarised(summary, reasons) if reasons else summary,
            warnings=notes,
        )
    start = _Tally(tuple(start_minutes), tuple(start_counts))
    earliest_slots = [c[0] if c else None for c in choices]
    greedy = _greedy(choices, start)
    chosen = _fairest(choices, start, greedy) if fair else earliest_slots
    occurrences = [
        attrs.evolve(o, slot=slot) if slot is not None else o
        for o, slot in zip(occurrences, chosen, strict=True)
    ]
    after = start.adding(chosen)
    greedy_after = start.adding(greedy)
    notes += national_days_abroad(
        participants, (s.start for s in chosen if s), duration, holidays=given_holidays
    )
    if given_holidays is None:
        notes += decreed_closures(participants, (s.start for s in chosen if s), duration)
    return Series(
        tuple(participants),
        every,
        duration,
        tuple(occurrences),
        _ledger(participants, after),
        max(start.adding(earliest_slots).minutes, default=0),
        tuple(notes),
        ledger_before=_ledger(participants, start),
        greedy_worst=max(greedy_after.minutes, default=0),
        greedy_most_inconvenient=max(greedy_after.counts, default=0),
        recorded_in=str(store.root) if store is not None else None,
        counted=counted,
    )


def _ledger_by_contact(
    participants: Sequence[Participant], ledger: Iterable[LedgerEntry]
) -> dict[str, LedgerEntry]:
    """The ledger given, by contact. A participant without an entry starts from zero.

    Raises:
        MeetingError: naming the field ``ledger``: an entry of someone who does not attend
            (the ledger of another series, or contact ids changed since: left out, the series
            would look fair and start a participant from zero), two entries of one
            participant.
    """
    attending = {p.contact for p in participants}
    found: dict[str, LedgerEntry] = {}
    for entry in ledger:
        contact = entry.participant.contact
        if contact not in attending:
            raise MeetingError(
                _(
                    "the ledger has an entry for {label}, who does not attend: give the "
                    "entries of these participants only"
                ).format(label=entry.participant.label),
                field="ledger",
                value=contact,
            )
        if contact in found:
            raise MeetingError(
                _("the ledger has two entries for {label}: give one").format(
                    label=entry.participant.label
                ),
                field="ledger",
                value=contact,
            )
        found[contact] = entry
    return found


def _recorded_series(store: MeetingStore, series_id: str) -> list[Meeting]:
    """The meetings of the series to resume (field ``resume`` when there is none)."""
    try:
        return store.series(series_id)
    except NotRecordedError as exc:
        raise NotRecordedError(exc.reason, field="resume", value=series_id) from None


def recorded_ledger(
    participants: Sequence[Participant], meetings: Iterable[Meeting]
) -> tuple[tuple[LedgerEntry, ...], tuple[str, ...]]:
    """The burden that meetings already recorded put on the participants: those of the
    meetings held or planned for exactly these participants (the same contacts), not
    cancelled; each participant's minutes outside their core hours, and how many were
    inconvenient. A series that continues starts from it.

    Args:
        participants: whose burden.
        meetings: the recorded meetings.

    Returns:
        The ledger, in participant order, and the ids of the meetings counted.
    """
    want = {p.contact for p in participants}
    minutes = [0] * len(participants)
    counts = [0] * len(participants)
    counted = []
    for meeting in meetings:
        contacts = {a.contact or a.email for a in meeting.attendees}
        if meeting.status == "CANCELLED" or contacts != want:
            continue
        slot = given_slot(participants, meeting.start, meeting.duration)
        for i, burden in enumerate(slot.burdens):
            minutes[i] += burden
            counts[i] += burden > 0
        counted.append(meeting.id)
    entries = tuple(
        LedgerEntry(p, m, n) for p, m, n in zip(participants, minutes, counts, strict=True)
    )
    return entries, tuple(counted)


@attrs.frozen
class _Tally:
    """Each participant's minutes outside core hours and inconvenient meetings so far."""

    minutes: tuple[int, ...]
    counts: tuple[int, ...]

    def add(self, slot: Slot) -> _Tally:
        return _Tally(
            tuple(m + b for m, b in zip(self.minutes, slot.burdens, strict=True)),
            tuple(n + (b > 0) for n, b in zip(self.counts, slot.burdens, strict=True)),
        )

    def adding(self, slots: Iterable[Slot | None]) -> _Tally:
        tally = self
        for slot in slots:
            if slot is not None:
                tally = tally.add(slot)
        return tally

    def key(self) -> tuple[int, int, int]:
        """Worst-off minutes, most inconvenient meetings, all minutes: lower is fairer."""
        return (max(self.minutes, default=0), max(self.counts, default=0), sum(self.minutes))


def _ledger(participants: Sequence[Participant], tally: _Tally) -> tuple[LedgerEntry, ...]:
    return tuple(
        LedgerEntry(p, m, n)
        for p, m, n in zip(participants, tally.minutes, tally.counts, strict=True)
    )


def _greedy(choices: Sequence[Sequence[Slot]], start: _Tally) -> list[Slot | None]:
    """Each period in turn, the slot that leaves the worst-off best off so far (then the
    fewest inconvenient meetings, the fewest minutes, the slot's rank): the choice of one
    who does not look ahead, and the yardstick of ``_fairest``."""
    tally = start
    chosen: list[Slot | None] = []
    for slots in choices:
        if not slots:
            chosen.append(None)
            continue
        best = min(slots, key=lambda s: (tally.add(s).key(), s.rank))
        chosen.append(best)
        tally = tally.add(best)
    return chosen


#: The work ``_fairest`` may spend on an exact answer (partial series extended by one slot):
#: a series of 12 with 5 kinds of slot a period takes some thousands. Beyond it, the best
#: series a narrower search finds is kept: still never less fair than the period-by-period
#: choice, and in the tests as fair as the exact one.
MAX_SEARCH_STEPS = 150_000
#: How many partial series the narrower search keeps after each period.
BEAM_WIDTH = 400


def _fairest(
    choices: Sequence[Sequence[Slot]], start: _Tally, greedy: Sequence[Slot | None]
) -> list[Slot | None]:
    """The series that minimises ``_Tally.key`` (then the sum of the slots' places in their
    period's ranking).

    Dynamic programming over the periods: only the ledger a partial series reaches matters to
    what follows, so partial series with the same ledger are one (the better ranked is kept).
    Of each period's slots, one per distinct burden (the best ranked) is tried, and none that
    another slot beats on every participant's burden. A partial series is dropped once even
    its most favourable completion (each participant's least burden in every period left)
    would be less fair than the best series known: first the period-by-period choice, then
    what a narrow search (the ``BEAM_WIDTH`` fairest partial series a period), polished one
    period at a time, finds. The exact search then runs within ``MAX_SEARCH_STEPS``.
    """
    options = [_options(slots) for slots in choices]
    known = _polish(choices, start, list(greedy))
    narrow = _search(options, start, _fairness(start, known, choices)[0], width=BEAM_WIDTH)
    if narrow is not None:
        narrow = _polish(choices, start, narrow)
        if _fairness(start, narrow, choices) < _fairness(start, known, choices):
            known = narrow
    exact = _search(options, start, _fairness(start, known, choices)[0], steps=MAX_SEARCH_STEPS)
    if exact is not None and _fairness(start, exact, choices) <= _fairness(start, known, choices):
        known = exact
    return known


def _search(
    options: Sequence[Sequence[tuple[Slot, int]]],
    start: _Tally,
    bound: tuple[int, int, int],
    *,
    width: int | None = None,
    steps: int | None = None,
) -> list[Slot | None] | None:
    """The fairest series no less fair than ``bound`` (see ``_fairest``): keeping only the
    ``width`` fairest partial series a period when given (then perhaps not the fairest), or
    None when none is found or it takes more than ``steps`` steps."""
    size = len(start.minutes)
    # A ledger as one flat tuple: minutes, then inconvenient meetings, participant by
    # participant; a slot as what it adds to it.
    adds = [
        [(*slot.burdens, *(int(b > 0) for b in slot.burdens)) for slot, _ in period]
        for period in options
    ]
    # The least each participant can still be given by the periods after each one.
    least = [tuple([0] * (2 * size))]
    for each in reversed(adds):
        floor = [min(add[d] for add in each) for d in range(2 * size)] if each else []
        least.append(tuple(map(operator.add, least[-1], floor)) if floor else least[-1])
    least.reverse()

    def key(ledger: tuple[int, ...]) -> tuple[int, int, int]:
        return (max(ledger[:size]), max(ledger[size:]), sum(ledger[:size]))

    # ledger -> (sum of places, the option chosen in each period so far, -1 for none)
    states: dict[tuple[int, ...], tuple[int, tuple[int, ...]]] = {
        (*start.minutes, *start.counts): (0, ())
    }
    done = 0
    for index, (period, period_adds) in enumerate(zip(options, adds, strict=True)):
        if not period:
            states = {t: (r, (*path, -1)) for t, (r, path) in states.items()}
            continue
        after = least[index + 1]
        following: dict[tuple[int, ...], tuple[int, tuple[int, ...]]] = {}
        for ledger, (places, path) in states.items():
            for k, add in enumerate(period_adds):
                reached = tuple(map(operator.add, ledger, add))
                hope = tuple(map(operator.add, reached, after))
                if key(hope) > bound:
                    continue  # even at best it would end less fair than a series known
                entry = (places + period[k][1], (*path, k))
                if reached not in following or entry < following[reached]:
                    following[reached] = entry
            done += len(period_adds)
            if steps is not None and done > steps:
                return None
        if width is not None and len(following) > width:
            ranked = sorted(
                following.items(),
                key=lambda kv: (key(tuple(map(operator.add, kv[0], after))), kv[1][0]),
            )
            following = dict(ranked[:width])
        states = following
        if not states:
            return None
    _, (_, path) = min(states.items(), key=lambda kv: (key(kv[0]), kv[1][0]))
    return [options[i][k][0] if k >= 0 else None for i, k in enumerate(path)]


def _fairness(
    start: _Tally, series: Sequence[Slot | None], choices: Sequence[Sequence[Slot]]
) -> tuple[tuple[int, int, int], int]:
    places = sum(_place(choices[i], s) for i, s in enumerate(series) if s is not None)
    return start.adding(series).key(), places


#: How many changes ``_polish`` tries before it stops (a series of 120 weeks with 5 kinds of
#: slot a week has some 180,000 changes of two periods).
MAX_POLISH_TRIES = 400_000


def _polish(
    choices: Sequence[Sequence[Slot]], start: _Tally, series: list[Slot | None]
) -> list[Slot | None]:
    """Change one period's slot, or two periods' at once, while that makes the series
    fairer. Two at once is what a choice made period by period misses: two meetings that
    each put two people out half an hour become one that puts out the first, one the second.
    """
    options = [[slot for slot, _ in _options(slots)] for slots in choices]
    places = [{id(slot): i for i, slot in enumerate(slots)} for slots in choices]
    size = len(start.minutes)
    minutes = list(start.adding(series).minutes)
    counts = list(start.adding(series).counts)
    rank = sum(places[i][id(s)] for i, s in enumerate(series) if s is not None)

    def score(
        out: Sequence[Slot | None], into: Sequence[Slot | None], ranks: int
    ) -> tuple[tuple[int, int, int], int]:
        m, c = list(minutes), list(counts)
        for old, new in zip(out, into, strict=True):
            for d in range(size):
                b_old = old.burdens[d] if old is not None else 0
                b_new = new.burdens[d] if new is not None else 0
                m[d] += b_new - b_old
                c[d] += (b_new > 0) - (b_old > 0)
        return (max(m, default=0), max(c, default=0), sum(m)), ranks

    best = score([], [], rank)
    moves: list[tuple[int, ...]] = [(i,) for i in range(len(series))]
    moves += list(itertools.combinations(range(len(series)), 2))
    tries = 0
    unchanged = 0  # moves tried in a row without a fairer series: all of them ends it
    position = 0
    while unchanged < len(moves) and tries < MAX_POLISH_TRIES:
        move = moves[position]
        position = (position + 1) % len(moves)
        unchanged += 1
        olds = [series[i] for i in move]
        for news in itertools.product(*(options[i] for i in move)):
            tries += 1
            if any(new is old for new, old in zip(news, olds, strict=True)):
                continue
            ranks = rank + sum(
                places[i][id(new)] - (places[i][id(old)] if old is not None else 0)
                for i, new, old in zip(move, news, olds, strict=True)
            )
            trial = score(olds, news, ranks)
            if trial < best:
                for i, new in zip(move, news, strict=True):
                    series[i] = new
                best, rank, unchanged = trial, ranks, 0
                tally = start.adding(series)
                minutes, counts = list(tally.minutes), list(tally.counts)
                break
    return series


def _options(slots: Sequence[Slot]) -> list[tuple[Slot, int]]:
    """A period's slots worth trying, with their place in its ranking: the best ranked of
    each burden, without those another beats (or equals) on every participant's burden."""
    seen: dict[tuple[int, ...], tuple[Slot, int]] = {}
    for place, slot in enumerate(slots):  # best ranked first
        seen.setdefault(slot.burdens, (slot, place))
    burdens = list(seen)
    kept = [
        b
        for b in burdens
        if not any(o != b and all(x <= y for x, y in zip(o, b, strict=True)) for o in burdens)
    ]
    return [seen[b] for b in kept]


def _place(slots: Sequence[Slot], slot: Slot) -> int:
    return next(i for i, s in enumerate(slots) if s is slot)
