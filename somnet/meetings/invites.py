"""The invitation use cases, as the command line runs them: invite people to a meeting (at a
start given, checked against everyone's hours and notice, or at the best slot of a window),
update, cancel or resend a recorded meeting, and invite or cancel a whole series (resuming one
that stopped halfway without sending anything twice).

Each records a version before delivering it (``somnet.meetings.issuing``); each asked for
again after a failure delivers only what is missing. None of them prints: what happened is in
the ``Issued`` (or series) result, and the hints of what to run next are the caller's to
compose from the errors' attributes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs

from somnet._exceptions import MeetingError, SomnetError, StorageError
from somnet._given import checked_kinds
from somnet._i18n import _, _n, joined_messages
from somnet.meetings.errors import (
    AlreadyRecordedError,
    IncompleteDeliveryError,
    IncompleteSeriesError,
    NothingChangesError,
    NothingMissingError,
    NoticeError,
    NotRecordedError,
    RecordError,
)
from somnet.meetings.ical import ILLUSTRATIVE_NOTE, calendar_bytes
from somnet.meetings.ics_files import check_folder, check_writable
from somnet.meetings.inputs import check_whole
from somnet.meetings.intervals import from_minute
from somnet.meetings.issuing import (
    RECORD_ONLY,
    Channels,
    Issued,
    begun_unsent,
    cancel,
    issue,
    issue_series,
    missing_deliveries,
    resend,
    unconfirmed_publication,
)
from somnet.meetings.lifecycle import (
    KEEP,
    Keep,
    added_attendees,
    attendees_of,
    cancelled_meeting,
    changed_meeting,
    check_wording,
    check_zoned,
    method_of,
    new_meeting,
    recordable,
    removed_attendees,
    shared_mailboxes,
)
from somnet.meetings.notice import check_timing, configured_notice_days
from somnet.meetings.participants import (
    Participant,
    decreed_closures,
    given_participants,
    national_days_abroad,
    resolve_participants,
)
from somnet.meetings.planning import plan
from somnet.meetings.records import Asked, Meeting, Person
from somnet.meetings.series import Period, Series, SeriesView, plan_series
from somnet.meetings.slots import Window, check_slot
from somnet.meetings.store import MeetingStore, may_record, one_run_at_a_time, restated

if TYPE_CHECKING:
    from somnet.directory.lookup import Directory


def _clock(now: datetime | None) -> datetime:
    from somnet._clock import utc_now
    from somnet._time import aware

    # Without offset (datetime.now()): the machine's local time, as the sharing functions read it.
    return aware(now) or utc_now()


# One meeting ---------------------------------------------------------------------------------


@one_run_at_a_time
@checked_kinds(MeetingError)
def invite_meeting(
    participants: Sequence[Participant],
    *,
    title: str,
    organizer: Person,
    duration: int,
    store: MeetingStore,
    start: datetime | None = None,
    first: date | None = None,
    last: date | None = None,
    step: int = 15,
    pick: int = 1,
    now: datetime | None = None,
    notice_days: int | None = None,
    allow_past: bool = False,
    timezone: str | None = None,
    location: str | None = None,
    description: str | None = None,
    channels: Channels = RECORD_ONLY,
    uid_factory: Callable[[], uuid.UUID | str] = uuid.uuid4,
) -> Issued:
    """Invite the participants to a meeting: record it, then deliver it.

    The time is ``start`` (checked: not in the past unless ``allow_past``, not within the
    notice, and each participant whose hours or holidays it does not suit is a warning, as
    is a post abroad on a national day of the state it represents), or
    the ``pick``-th best slot from ``first`` to ``last`` (UTC dates) after the notice. The
    same invite asked for again (a run that failed halfway: the same title, organizer,
    attendees, duration and time) is not recorded twice: what it has not reached is sent
    (``Issued.again``).

    Args:
        participants: who attends (``resolve_participants``); each needs an e-mail channel.
        title: the SUMMARY.
        organizer: who invites.
        duration: minutes.
        store: where meetings are recorded.
        start: the start (an aware instant), or None to take a slot of the window.
        first: the window's first UTC date (with ``last``, instead of ``start``).
        last: the window's last UTC date.
        step: the window's grid of start times, in minutes.
        pick: take the window's ``pick``-th best slot.
        now: the clock (the current time when None).
        notice_days: working days of notice; None for the configured default
            (``notice_days`` in config.toml, else 2).
        allow_past: accept a ``start`` in the past (a meeting recorded after it was held).
        timezone: the zone of the invite's times (the first participant's when None).
        location: LOCATION.
        description: DESCRIPTION.
        channels: where the invite goes (a CalDAV calendar must have its URL).
        uid_factory: makes the UID.

    Returns:
        What was recorded and delivered; ``warnings`` says whose hours the start does not
        suit, which mailboxes are shared, what could not be checked.

    Raises:
        MeetingError: naming the field: both or neither of a start and a window, a ``pick``
            or a ``step`` other than the default with a start (they apply to a window), or a start
            without a zone (``start``),
            a bad window (``first``, ``last``, ``duration``, ``step``), ``pick`` beyond the
            slots that fit, a bad ``out``, a calendar without URL (``publish``), a bad
            ``title``, ``organizer`` or ``timezone``; a participant without e-mail.
        NoticeError: ``start`` in the past or within the notice (its ``remedy`` says which
            setting would let it through).
        NoSlotError: no slot in the window.
        AlreadyRecordedError: the same invite is recorded with another location,
            description or zone, or for attendees that differ but share someone (its
            ``meeting_id``: update that meeting instead).
        IncompleteDeliveryError: recorded; some deliveries failed.
        StorageError: the record cannot be written; or the system cannot read a record of
            the store, which may be this invite's (nothing is sent).
        RecordError: a record of the store is not one somnet reads (edited by hand,
            damaged), and may be this invite's (nothing is sent).
    """
    check_zoned(start)
    for field, number in (("duration", duration), ("step", step), ("pick", pick)):
        check_whole(number, field=field)
    start = recordable(start) if start is not None else None
    if start is not None and (first is not None or last is not None):
        raise MeetingError(
            _(
                "give either a start, or first and last dates to take the best slot "
                "between, not both"
            ),
            field="start",
        )
    if start is None and (first is None or last is None):
        raise MeetingError(
            _("when? give a start, or first and last dates to take the best slot between"),
            field="start",
        )
    if start is not None and pick != 1:
        # Neither has a window to apply to: dropped in silence, the meeting went to the start.
        raise MeetingError(
            _(
                "{pick}: the Nth best slot is taken of a window (first and last dates); "
                "with a start, give none"
            ).format(pick=pick),
            field="pick",
            value=pick,
        )
    if start is not None and step != 15:
        raise MeetingError(
            _(
                "{step}: the grid of start times is a window's (first and last dates); "
                "with a start, give none"
            ).format(step=step),
            field="step",
            value=step,
        )
    window = Window(first, last, duration, step) if first is not None and last is not None else None
    if pick < 1:
        raise MeetingError(_("{pick}: give at least 1").format(pick=pick), field="pick", value=pick)
    participants = given_participants(participants)
    notice = configured_notice_days(notice_days)
    check_out(channels.out)
    channels = resolve_channels(channels, None)
    attendees = attendees_of(participants)
    now = _clock(now)
    # Checked before the comparison with what is recorded, which would blame the record.
    check_wording(title=title, timezone=timezone, location=location, description=description)
    # The same invite asked for again (a run that failed halfway): complete it, same UID.
    twin, changed_since = _twin(
        store,
        title=title,
        organizer=organizer.email,
        attendees=attendees,
        duration=duration,
        first=start or from_minute(window.start_minute if window else 0),
        last=start or from_minute(window.end_minute if window else 0),
        location=location,
        description=description,
        timezone=timezone,
    )
    if twin is not None and changed_since:
        # The invite that made it, asked again after an update: it was sent, and the update
        # went its own way; nothing is sent (a resend delivers what the update missed). The
        # meeting is now the update's (its time and attendees): only the note on its
        # illustrative contacts is the invite's to repeat.
        ics = calendar_bytes(twin, method=method_of(twin), now=twin.modified)
        return Issued(
            twin,
            ics,
            (),
            tuple(_with_illustrative_note([twin], [])),
            record=store.path(twin.id),
            again="updated-since",
        )
    if twin is not None:
        # What the first run warned of the meeting still holds (its participants' mailboxes,
        # hours and holidays, the illustrative contacts), whatever this run has to deliver.
        standing = _still_holding(participants, [twin])

        def told(issued: Issued) -> Issued:
            warnings = [*standing, *(w for w in issued.warnings if w not in standing)]
            return attrs.evolve(issued, warnings=tuple(_with_illustrative_note([twin], warnings)))

        try:
            return told(_complete(twin, store=store, now=now, channels=channels))
        except IncompleteDeliveryError as exc:
            _amend(exc, told)
            raise
    warnings = shared_mailboxes(participants)
    if window is not None:
        # Not before now and the notice unless a meeting held is recorded (as plan_meeting
        # refuses them with its clock).
        clock = None if allow_past else now
        found = plan(participants, window, count=pick, now=clock, notice_days=notice)
        if len(found.slots) < pick:
            raise MeetingError(
                _n(
                    "{pick}: only {n} slot fits", "{pick}: only {n} slots fit", len(found.slots)
                ).format(pick=pick, n=len(found.slots)),
                field="pick",
                value=pick,
            )
        start = found.slots[pick - 1].start
        warnings += found.warnings
    else:
        assert start is not None
        check_timing(participants, start, now, notice_days=notice, allow_past=allow_past)
        warnings += check_slot(participants, start, duration)
        warnings += national_days_abroad(participants, [start], duration)
        warnings += decreed_closures(participants, [start], duration)
    meeting = new_meeting(
        attendees,
        start=start,
        duration=duration,
        title=title,
        organizer=organizer,
        timezone=timezone or participants[0].timezone,
        now=now,
        meeting_id=store.new_id,
        uid_factory=uid_factory,
        location=location,
        description=description,
    )
    meeting = _as_asked(meeting)
    try:
        issued = issue(meeting, "created", store=store, now=now, channels=channels)
    except IncompleteDeliveryError as exc:
        _amend(exc, lambda i: attrs.evolve(i, warnings=(*warnings, *i.warnings)))
        raise
    return attrs.evolve(issued, warnings=(*warnings, *issued.warnings))


def _still_holding(participants: Sequence[Participant], meetings: Sequence[Meeting]) -> list[str]:
    """What the run that sent ``meetings`` warned of them that still holds, as a run again
    repeats it: the participants' shared mailboxes, their hours and holidays at each meeting's
    time, national days of a post abroad, days offices close by a decree of most years (the
    note on illustrative contacts is ``_with_illustrative_note``'s)."""
    warnings = list(shared_mailboxes(participants))
    for m in meetings:
        warnings += check_slot(participants, m.start, m.duration)
        warnings += national_days_abroad(participants, [m.start], m.duration)
        warnings += decreed_closures(participants, [m.start], m.duration)
    return warnings


def _with_illustrative_note(meetings: Sequence[Meeting], warnings: Sequence[str]) -> list[str]:
    """``warnings``, ending with the note on illustrative contacts when one of ``meetings``
    has one among its attendees (as every delivery's warnings end)."""
    found = [w for w in warnings if w != ILLUSTRATIVE_NOTE]
    if any(p.illustrative for m in meetings for p in m.attendees):
        found.append(ILLUSTRATIVE_NOTE)
    return found


def _amend(exc: IncompleteDeliveryError, change: Callable[[Issued], Issued]) -> None:
    """What a run that failed did (``exc.issued``) told as its success would be."""
    if exc.issued is not None:
        exc.issued = change(exc.issued)


def _as_asked(meeting: Meeting) -> Meeting:
    """A new meeting keeping what its invite asked for (``Meeting.asked``): itself."""
    return attrs.evolve(
        meeting,
        asked=Asked(
            title=meeting.title,
            start=meeting.start,
            duration=meeting.duration,
            attendees=tuple(sorted(p.email.lower() for p in meeting.attendees)),
            location=meeting.location,
            description=meeting.description,
            timezone=meeting.timezone,
        ),
    )


def _complete(
    meeting: Meeting, *, store: MeetingStore, now: datetime, channels: Channels
) -> Issued:
    """An invite asked for again for a meeting it recorded: deliver what it has not reached."""
    smtp, caldav = channels.smtp, channels.caldav
    if not missing_deliveries(meeting, email=smtp is not None, caldav=caldav is not None):
        if channels.out is None:
            ics = calendar_bytes(meeting, method=method_of(meeting), now=meeting.modified)
            return Issued(meeting, ics, (), record=store.path(meeting.id), again="nothing-missing")
        issued = resend(meeting, store=store, now=now, channels=Channels(out=channels.out))
        return attrs.evolve(issued, warnings=(), calendar_behind=None, again="nothing-missing")
    try:
        issued = resend(meeting, store=store, now=now, channels=channels)
    except IncompleteDeliveryError as exc:
        _amend(exc, lambda i: attrs.evolve(i, again="sent-missing"))
        raise
    return attrs.evolve(issued, again="sent-missing")


@one_run_at_a_time
@checked_kinds(MeetingError)
def update_meeting(
    store: MeetingStore,
    meeting_id: str,
    *,
    start: datetime | None = None,
    duration: int | None = None,
    title: str | None = None,
    location: str | Keep | None = KEEP,
    description: str | Keep | None = KEEP,
    timezone: str | None = None,
    participants: Sequence[Participant] | None = None,
    directory: Directory | Callable[[], Directory] | None = None,
    now: datetime | None = None,
    notice_days: int | None = None,
    allow_past: bool = False,
    channels: Channels = RECORD_ONLY,
) -> Issued:
    """Change a recorded meeting and deliver the new version: same UID, SEQUENCE + 1.

    ``participants`` name who attends from now on: those added get the invite with the rest,
    those removed a CANCEL naming only them (``Issued.uninvite``). A new start is refused in
    the past (unless ``allow_past``) or within the notice, and so is someone added to a
    meeting that keeps its time (their notice, as an invite's); a new time, or someone added, is
    checked against the working hours and holidays of the attendees the directory knows
    (warnings). The same update asked for again after a failure delivers what the recorded
    version has not reached, and warns again of what still holds of its attendees' hours and
    holidays at its time (as the same invite asked again does).

    Args:
        store: where meetings are recorded.
        meeting_id: the meeting's id, a unique beginning of it, or its UID.
        start: the new start, or None.
        duration: the new duration in minutes, or None.
        title: the new title, or None.
        location: the new location; None or blank clears it; ``KEEP`` keeps it.
        description: as ``location``.
        timezone: the new zone of the invite's times, or None.
        participants: who attends from now on, or None to keep the attendees.
        directory: where the attendees' hours are looked up when ``participants`` is None:
            the directory, or a function that loads it (called only when needed); None not
            to check them.
        now: the clock (the current time when None).
        notice_days: working days of notice; None for the configured default.
        allow_past: accept a start in the past, and a change to a meeting that has begun
            (a record of a meeting held).
        channels: where the new version goes (a CalDAV calendar without URL: the one it is
            published in).

    Returns:
        What was recorded and delivered, with who was ``added`` and ``removed``.

    Raises:
        NotRecordedError: no such meeting.
        NothingChangesError: nothing would change and nothing is missing.
        NoticeError: a new start in the past or within the notice (field ``start``); the
            meeting's start, for someone added, in the past or within the notice (field
            ``participants``); a change to a meeting that has begun at ``now`` (held, or being
            held), unless ``allow_past`` records it as held: nothing is sent or recorded.
        MeetingError: naming the field: a cancelled meeting, a bad new value (a start without
            a zone), a bad ``out``,
            a calendar it is not published in (``publish``); a new start to come for a
            meeting that has begun at ``now`` (another meeting: ``allow_past`` or not), or the
            same update run again once it has: nothing is sent or recorded, as
            ``resend_meeting``.
        IncompleteDeliveryError: recorded; some deliveries failed.
        StorageError: the record cannot be written.
    """
    if directory is not None and not callable(directory):
        from somnet._given import a_directory

        a_directory(directory)  # a Directory, or a function that loads one
    check_zoned(start)
    if participants is not None:
        participants = given_participants(participants)  # read once: each check reads it
    notice = configured_notice_days(notice_days)
    check_out(channels.out)
    meeting = store.get(meeting_id)
    channels = resolve_channels(channels, meeting)
    now = _clock(now)
    try:
        changed = changed_meeting(
            meeting,
            now=now,
            start=start,
            duration=duration,
            title=title,
            location=location,
            description=description,
            timezone=timezone,
            attendees=attendees_of(participants) if participants is not None else None,
        )
    except NothingChangesError as exc:
        # The same update run again: what the run before it warned of still holds (the
        # attendees' hours and holidays at the meeting's time), as an invite run again repeats
        # it. Worked out before anything is sent.
        standing = shared_mailboxes(participants) if participants is not None else []
        standing += _Attendees(participants, directory).check(meeting, meeting.attendees)
        smtp, caldav = channels.smtp, channels.caldav
        if not missing_deliveries(meeting, email=smtp is not None, caldav=caldav is not None):
            raise NothingChangesError(
                exc.reason,
                field=exc.field,
                value=exc.value,
                warnings=_with_illustrative_note([meeting], standing),
            ) from exc
        # It failed halfway: deliver what it did not reach.

        def told(issued: Issued) -> Issued:
            warnings = [*standing, *(w for w in issued.warnings if w not in standing)]
            return attrs.evolve(
                issued, warnings=tuple(_with_illustrative_note([meeting], warnings))
            )

        try:
            return told(resend(meeting, store=store, now=now, channels=channels))
        except IncompleteDeliveryError as exc:
            _amend(exc, told)
            raise
    if meeting.start <= now and changed.start > now:
        # Held, or being held: another time for it is another meeting (its attendees would
        # find the one they held moved), whatever ``allow_past`` lets a start be.
        raise MeetingError(
            _(
                "meeting {id} of {start} UTC has begun already, so it is not moved: to meet "
                "at another time, invite a new meeting"
            ).format(id=meeting.id, start=f"{meeting.start:%Y-%m-%d %H:%M}"),
            value=meeting.id,
        )
    if meeting.start <= now and not allow_past:
        # Its attendees would be sent a new version of a meeting they held, those removed a
        # CANCEL of it (as resend and cancel refuse); ``allow_past`` records it as held.
        raise NoticeError(
            _("meeting {id} of {start} UTC has begun already, so it is not changed").format(
                id=meeting.id, start=f"{meeting.start:%Y-%m-%d %H:%M}"
            ),
            remedy="allow_past",
            value=meeting.id,
        )
    known = _Attendees(participants, directory)
    if changed.start != meeting.start:
        check_timing(
            known.of(changed.attendees),
            changed.start,
            now,
            notice_days=notice,
            allow_past=allow_past,
        )
    removed = removed_attendees(meeting, changed)
    added = added_attendees(meeting, changed)
    if added and changed.start == meeting.start:
        # Those added are invited now, to a meeting that keeps its time: the notice they get
        # is an invite's, refused as invite_meeting refuses it (the others had theirs).
        check_timing(
            known.of(added),
            changed.start,
            now,
            notice_days=notice,
            allow_past=allow_past,
            field="participants",
        )
    warnings = shared_mailboxes(participants) if participants is not None else []
    if (changed.start, changed.duration) != (meeting.start, meeting.duration):
        warnings += known.check(changed, changed.attendees)
    elif added:
        warnings += known.check(changed, added)
    try:
        issued = issue(changed, "updated", store=store, now=now, channels=channels, removed=removed)
    except IncompleteDeliveryError as exc:
        _amend(
            exc,
            lambda i: attrs.evolve(
                i, warnings=(*warnings, *i.warnings), added=added, removed=removed
            ),
        )
        raise
    return attrs.evolve(
        issued, warnings=(*warnings, *issued.warnings), added=added, removed=removed
    )


class _Attendees:
    """Attendees as the directory knows them (their hours, zone, holidays): from the
    participants just resolved, else looked up by contact id, the directory loaded once."""

    def __init__(
        self,
        participants: Sequence[Participant] | None,
        directory: Directory | Callable[[], Directory] | None,
    ) -> None:
        self.participants = participants
        self.directory = directory
        self.looked_up: dict[str, list[Participant]] = {}

    def of(self, people: Sequence[Person]) -> list[Participant]:
        """The participants ``people`` are; those no longer in the directory are left out."""
        emails = {p.email.lower() for p in people}
        found = self.participants
        if found is None:
            found = []
            for person in people:
                if person.contact is not None:
                    found += self._look_up(person.contact)
        return [p for p in found if (p.email or "").lower() in emails]

    def _look_up(self, contact: str) -> list[Participant]:
        if contact not in self.looked_up:
            directory = self.directory
            if directory is None:
                return []
            if callable(directory):
                directory = self.directory = directory()
            try:
                self.looked_up[contact] = resolve_participants(directory, contacts=[contact])
            except SomnetError:
                self.looked_up[contact] = []  # no longer in the directory: hours unknown
        return self.looked_up[contact]

    def check(self, meeting: Meeting, people: Sequence[Person]) -> list[str]:
        """Warnings for the attendees ``people`` whom the meeting's time does not suit
        (outside their hours, on a holiday; a post abroad on a national day of the state it
        represents; an office on a day closed by a decree of most years), as for an invite at
        a start given."""
        chosen = self.of(people)
        if not chosen:
            return []
        return [
            *check_slot(chosen, meeting.start, meeting.duration),
            *national_days_abroad(chosen, [meeting.start], meeting.duration),
            *decreed_closures(chosen, [meeting.start], meeting.duration),
        ]


@one_run_at_a_time
@checked_kinds(MeetingError)
def cancel_meeting(
    store: MeetingStore,
    meeting_id: str,
    *,
    now: datetime | None = None,
    channels: Channels = RECORD_ONLY,
) -> Issued:
    """Cancel a recorded meeting (``METHOD:CANCEL``, SEQUENCE + 1), or complete a
    cancellation that did not reach everyone (or left the event on a CalDAV server).

    Args:
        store: where meetings are recorded.
        meeting_id: the meeting's id, a unique beginning of it, or its UID.
        now: the clock (the current time when None).
        channels: where the CANCEL goes (a CalDAV calendar without URL: the one it is, or
            was, published in).

    Returns:
        What was recorded and delivered.

    Raises:
        NotRecordedError: no such meeting.
        MeetingError: it is cancelled already and nothing is missing on the channels given;
            it has begun (held, or being held): it is not cancelled, nor is its cancellation
            completed; a bad ``out``; a calendar it is not published in (``publish``).
        IncompleteDeliveryError: recorded; some deliveries failed.
        StorageError: the record cannot be written.
    """
    check_out(channels.out)
    meeting = store.get(meeting_id)
    if meeting.status == "CANCELLED" and not missing_deliveries(
        meeting, email=channels.smtp is not None, caldav=channels.caldav is not None
    ):
        raise MeetingError(_("meeting {id} is already cancelled").format(id=meeting.id))
    channels = resolve_channels(channels, meeting)
    return cancel(meeting, store=store, now=_clock(now), channels=channels)


@one_run_at_a_time
@checked_kinds(MeetingError)
def resend_meeting(
    store: MeetingStore,
    meeting_id: str,
    *,
    now: datetime | None = None,
    channels: Channels = RECORD_ONLY,
) -> Issued:
    """Deliver the current version of a recorded meeting (same UID, same SEQUENCE) to whoever
    it has not reached on the channels given: the attendees not e-mailed, the CalDAV copy not
    published (or, for a cancelled meeting, not removed). Nothing is sent twice.

    Args:
        store: where meetings are recorded.
        meeting_id: the meeting's id, a unique beginning of it, or its UID.
        now: the clock (the current time when None).
        channels: where it goes (a CalDAV calendar without URL: the one it is published in).

    Returns:
        What was delivered.

    Raises:
        NotRecordedError: no such meeting.
        NothingMissingError: nothing is missing on the channels given.
        MeetingError: a bad ``out``; a calendar it is not published in (``publish``); it has
            begun (held, or being held) and something is missing: nothing is sent (an
            invitation would come too late, a cancellation tell of a meeting held).
        IncompleteDeliveryError: some deliveries failed again.
        StorageError: the record cannot be written.
    """
    check_out(channels.out)
    meeting = store.get(meeting_id)
    channels = resolve_channels(channels, meeting)
    return resend(meeting, store=store, now=_clock(now), channels=channels)


# Channels ------------------------------------------------------------------------------------


def published_calendar(meeting: Meeting) -> str | None:
    """The CalDAV calendar collection a meeting is published in, or was last published in (a
    meeting whose event was removed); None when it never was.

    Args:
        meeting: the recorded meeting.

    Returns:
        The collection's URL, ending in ``/``, or None.
    """
    if meeting.publication is not None:
        # The event is the collection's member: <collection>/<uid>.ics.
        return meeting.publication.url.rsplit("/", 1)[0] + "/"
    calendars = [d.via for d in meeting.deliveries if d.channel == "caldav"]
    return calendars[-1] if calendars else None


def check_out(out: Path | None, *, folder: bool = False, create: bool = True) -> None:
    """Refuse an ``out`` that cannot be written, before anything is recorded or sent, and
    before the store is read: each command names the path just given before a record that
    cannot be read, as an invite does (the record is named once ``out`` is right).

    Args:
        out: the file (or a series' folder) asked for, or None.
        folder: ``out`` is a folder (a series: one file per occurrence); it is created when
            missing (not its parent) if ``create``.
        create: create a missing folder.

    Raises:
        MeetingError: ``out`` cannot be written (field ``out``).
    """
    if out is None:
        return
    from somnet._files import refuse_not_a_path

    refuse_not_a_path(out, "out", MeetingError)  # Channels(out=...) takes what it is given
    if folder:
        check_folder(out, create=create)
    else:
        check_writable(out)


def resolve_channels(channels: Channels, meeting: Meeting | None) -> Channels:
    """``channels`` with the CalDAV calendar found in ``meeting``'s record when none is given,
    checked before anything is recorded or sent (``out`` is checked by ``check_out``).

    Args:
        channels: as asked.
        meeting: the recorded meeting they are for, or None for a new one.

    Returns:
        The channels to deliver on.

    Raises:
        MeetingError: no calendar given and none in the record, or one that cannot be used
            (field ``publish``).
    """
    caldav = channels.caldav
    if caldav is not None and caldav.collection is None:
        url = published_calendar(meeting) if meeting is not None else None
        if url is None:
            raise MeetingError(
                _("give the calendar's URL: this meeting was never published"), field="publish"
            )
        caldav = caldav.at(url)
    return attrs.evolve(channels, caldav=caldav)


# Finding what is recorded ---------------------------------------------------------------------


#: The records that cannot be read an invite's refusal names at most (then how many more).
_NAMED_AT_MOST = 5


def _unreadable(store: MeetingStore, problems: Sequence[RecordError | StorageError]) -> None:
    """Refuse to go on when no recorded meeting is the one an invite asked again made, but a
    record that cannot be read (cut short, written by a newer somnet) may be: sending it
    anew would send it twice. Each such record is named (the first few, and how many more),
    so that the store is repaired in one go. A folder, or a link that leads nowhere, named
    as a record records no meeting: it does not stop the invite.

    Raises:
        RecordError: a record is not one somnet reads (named; edited by hand, damaged).
        StorageError: the system cannot read a record (named; this kind before the other:
            running again may be what it takes).
    """
    problems = [p for p in problems if may_record(p)]
    if not problems:
        return
    if len(problems) == 1:
        reason = _(
            "{reason}; it may record this very invite, so nothing was sent: repair that "
            "record, or move it out of {root}"
        ).format(reason=problems[0].reason, root=store.root)
    else:
        named: list[object] = [p.reason for p in problems[:_NAMED_AT_MOST]]
        more = len(problems) - len(named)
        if more:
            named.append(_n("and {count} more", "and {count} more", more).format(count=more))
        reason = _n(
            "{count} record cannot be read: {reasons}; any of them may record this very "
            "invite, so nothing was sent: repair them, or move them out of {root}",
            "{count} records cannot be read: {reasons}; any of them may record this very "
            "invite, so nothing was sent: repair them, or move them out of {root}",
            len(problems),
        ).format(count=len(problems), reasons=joined_messages(named, _("; ")), root=store.root)
    failed = [p for p in problems if isinstance(p, StorageError)]
    first = failed[0] if failed else problems[0]
    raise restated(first, reason) from first


def _twin(
    store: MeetingStore,
    *,
    title: str,
    organizer: str,
    attendees: Sequence[Person],
    duration: int,
    first: datetime,
    last: datetime,
    location: str | None = None,
    description: str | None = None,
    timezone: str | None = None,
) -> tuple[Meeting | None, bool]:
    """The meeting already recorded for this invite, when the same invite is asked for again
    (a run that failed halfway, run again): not cancelled, outside any series, with the same
    title, organizer, attendees (by address, in any order) and duration, starting between
    ``first`` and ``last`` (the same instant for a given start). Its missing deliveries are
    then sent (``resend``) instead of a second meeting with a new UID. Failing that, the
    meeting this invite made (``Meeting.asked``) that an update changed since: nothing is
    sent for it.

    Args:
        store: where meetings are recorded.
        title: the invite's title.
        organizer: the organizer's address.
        attendees: who is invited.
        duration: minutes.
        first: the earliest start it may have.
        last: the latest start it may have.
        location: the location asked for, if any.
        description: the description asked for, if any.
        timezone: the zone asked for, if any.

    Returns:
        The meeting, or None; and whether it is the one this invite made and an update
        changed since (it is no longer as the invite asks).

    Raises:
        AlreadyRecordedError: such a meeting differs in location, description or time zone;
            or none is found, and one with the same title, organizer, duration and time has
            attendees that differ from these but share someone (an address the directory
            changed since): it is changed with an update, not invited again (its
            ``meeting_id``).
        RecordError, StorageError: none is found, and a record cannot be read (it may be
            this one): edited by hand or damaged, or the system cannot read it.
    """
    want = sorted(p.email.lower() for p in attendees)
    meetings, problems = store.scan()
    overlapping: Meeting | None = None
    original: Meeting | None = None
    for meeting in meetings:
        if original is None and _asked_by(
            meeting,
            title=title,
            organizer=organizer,
            attendees=want,
            duration=duration,
            first=first,
            last=last,
            location=location,
            description=description,
            timezone=timezone,
        ):
            original = meeting
        if (
            meeting.status == "CANCELLED"
            or meeting.series is not None
            or meeting.title != title.strip()
            or meeting.organizer.email.lower() != organizer.strip().lower()
            or meeting.duration != duration
            or not first <= meeting.start <= last
        ):
            continue
        if sorted(p.email.lower() for p in meeting.attendees) != want:
            if overlapping is None and _overlap(meeting.attendees, attendees):
                overlapping = meeting
            continue
        differs = [
            what
            for what, value, recorded in [
                (_("location"), location, meeting.location),
                (_("description"), description, meeting.description),
                (_("time zone"), timezone, meeting.timezone),
            ]
            if value is not None and value != recorded
        ]
        if differs and meeting is original:
            return meeting, True  # as the invite asked, before an update changed that
        if differs:
            raise AlreadyRecordedError(
                _(
                    "meeting {id} with this title, time and attendees is recorded already "
                    "with another {items}"
                ).format(id=meeting.id, items=joined_messages(differs, _(" and "))),
                meeting_id=meeting.id,
            )
        return meeting, False
    if original is not None:
        # The invite that made a meeting, asked again after an update changed it.
        return original, True
    if overlapping is not None:
        # The same meeting, its attendees changed since (an address the directory changed,
        # a state added): sent anew, it would reach those who have it a second time.
        raise AlreadyRecordedError(
            _(
                "meeting {id} with this title and time is recorded already, for attendees "
                "that differ ({items})"
            ).format(id=overlapping.id, items=_differing(overlapping.attendees, attendees)),
            meeting_id=overlapping.id,
        )
    _unreadable(store, problems)
    return None, False


def _asked_by(
    meeting: Meeting,
    *,
    title: str,
    organizer: str,
    attendees: Sequence[str],
    duration: int,
    first: datetime,
    last: datetime,
    location: str | None,
    description: str | None,
    timezone: str | None,
) -> bool:
    """Whether ``meeting`` (not cancelled, outside any series, changed since) was made by
    this invite, as it asked (``Meeting.asked``): the same title, organizer, attendees'
    addresses (``attendees``: lower case, sorted) and duration, a start between ``first``
    and ``last``, and the location, description and zone given."""
    asked = meeting.asked
    return (
        asked is not None
        and meeting.status != "CANCELLED"
        and meeting.series is None
        and meeting.sequence > 0
        and meeting.organizer.email.lower() == organizer.strip().lower()
        and asked.title == title.strip()
        and asked.duration == duration
        and first <= asked.start <= last
        and list(asked.attendees) == list(attendees)
        and all(
            value is None or value == recorded
            for value, recorded in [
                (location, asked.location),
                (description, asked.description),
                (timezone, asked.timezone),
            ]
        )
    )


def _overlap(recorded: Sequence[Person], asked: Sequence[Person]) -> bool:
    """Whether two lists of attendees share someone: an address, or a directory contact."""
    emails = {p.email.lower() for p in recorded}
    contacts = {p.contact for p in recorded if p.contact}
    return any(p.email.lower() in emails or (p.contact and p.contact in contacts) for p in asked)


def _differing(recorded: Sequence[Person], asked: Sequence[Person]) -> str:
    """The addresses in one list of attendees and not in the other."""
    before = {p.email.lower() for p in recorded}
    now = {p.email.lower() for p in asked}
    return ", ".join(sorted(before ^ now))


def recorded_series(
    store: MeetingStore,
    *,
    title: str,
    organizer: str,
    attendees: Sequence[Person],
    periods: Sequence[tuple[date, date]],
) -> str | None:
    """The id of a series recorded already with this title, organizer and attendees and a
    meeting not cancelled in one of ``periods``: the same series invited again (after a
    failure), which would otherwise send a second series. A series cancelled whole is no
    twin: it is invited anew, as a meeting cancelled is.

    Args:
        store: where meetings are recorded.
        title: the series' title.
        organizer: the organizer's address.
        attendees: who is invited.
        periods: the first and last UTC dates of each period planned.

    Returns:
        The series' id, or None.

    Raises:
        AlreadyRecordedError: none is found, and a series in these periods has the same title
            and organizer, and attendees that differ from these but share someone (no
            ``series_id``: it cannot be resumed with other attendees).
        RecordError, StorageError: none is found, and a record cannot be read (it may be
            one of it): edited by hand or damaged, or the system cannot read it.
    """
    want = sorted(p.email.lower() for p in attendees)
    meetings, problems = store.scan()
    overlapping: Meeting | None = None
    for meeting in meetings:
        if (
            meeting.series is not None
            and meeting.status != "CANCELLED"
            and meeting.organizer.email.lower() == organizer.strip().lower()
            and meeting.asked is not None
            and meeting.asked.title == title.strip()
            and list(meeting.asked.attendees) == want
            and any(first <= meeting.asked.start.date() <= last for first, last in periods)
        ):
            # As its invite asked, before an update changed it.
            return meeting.series
        day = meeting.start.astimezone(UTC).date()
        if (
            meeting.series is not None
            and meeting.status != "CANCELLED"
            and meeting.title == title.strip()
            and meeting.organizer.email.lower() == organizer.strip().lower()
            and any(first <= day <= last for first, last in periods)
        ):
            if sorted(p.email.lower() for p in meeting.attendees) == want:
                return meeting.series
            if overlapping is None and _overlap(meeting.attendees, attendees):
                overlapping = meeting
    if overlapping is not None:
        # Its attendees changed since: sent anew, it would reach those who have it again.
        raise AlreadyRecordedError(
            _(
                "series {series} with this title and organizer is recorded already for these "
                "dates, for attendees that differ ({items}); cancel it before inviting "
                "these, or give another title"
            ).format(
                series=overlapping.series,
                items=_differing(overlapping.attendees, attendees),
            )
        )
    _unreadable(store, problems)
    return None


def sent_periods(
    recorded: Sequence[Meeting],
    *,
    title: str,
    organizer: str,
    attendees: Sequence[Person],
    periods: Sequence[tuple[date, date]],
) -> set[int]:
    """For a series resumed: which of its periods already have their meeting.

    Args:
        recorded: the meetings recorded with the series' id (``MeetingStore.series``).
        title: the series' title as asked for now: it must be the recorded meetings' (those
            not updated since they were sent).
        organizer: the organizer's address, likewise (every meeting's).
        attendees: the attendees, likewise (by address, in any order; those of the meetings
            not updated since).
        periods: the first and last UTC dates of each period of the plan.

    Returns:
        The indices (in ``periods``) of the periods a recorded meeting was invited to start
        in (``Meeting.asked``; an update may have moved it since).

    Raises:
        MeetingError: the recorded meetings are not this series (another title, organizer or
            attendees, or a meeting outside every period); field ``resume``.
    """
    series = recorded[0].series if recorded else "?"
    want = sorted(p.email.lower() for p in attendees)
    done: set[int] = set()
    for meeting in recorded:
        # A meeting updated since it was sent (its title, its attendees changed by hand) is
        # the series' all the same: only what an update cannot change is compared.
        as_sent = meeting.sequence == 0
        differs = [
            what
            for what, same in [
                (_("title"), meeting.title == title.strip() or not as_sent),
                (_("organizer"), meeting.organizer.email.lower() == organizer.strip().lower()),
                (
                    _("attendees"),
                    sorted(p.email.lower() for p in meeting.attendees) == want or not as_sent,
                ),
            ]
            if not same
        ]
        if differs:
            raise MeetingError(
                _(
                    "series {series}: its meeting {id} has another {items}; ask for the "
                    "series as it was sent"
                ).format(series=series, id=meeting.id, items=joined_messages(differs, _(" and "))),
                field="resume",
                value=series,
            )
        # Its period is the one it was invited in, wherever an update moved it since.
        day = (meeting.asked.start if meeting.asked else meeting.start).astimezone(UTC).date()
        found = [i for i, (first, last) in enumerate(periods) if first <= day <= last]
        if not found:
            raise MeetingError(
                _(
                    "series {series}: its meeting {id} on {day} is in none of the periods "
                    "planned; ask for the series as it was sent"
                ).format(series=series, id=meeting.id, day=day),
                field="resume",
                value=series,
            )
        done.add(found[0])
    return done


# A series ------------------------------------------------------------------------------------


@attrs.frozen
class SeriesInvitation:
    """What ``invite_series`` did.

    Attributes:
        series: the plan (``plan_series``), occurrences sent before included.
        id: the series' id, shared by its meetings.
        sent_before: the meetings of the series recorded before (when resumed).
        completed: the ids of those among them recorded and not delivered to all, delivered
            now where they were missing.
        issued: what was recorded and delivered now, by start.
        warnings: the plan's, shared mailboxes, periods without a meeting, the deliveries'.
        store: the folder the meetings are recorded in.
        error: why an occurrence failed (in English), for what a series that failed did
            (``IncompleteSeriesError.done``); None when all went.
    """

    series: Series
    id: str
    sent_before: tuple[Meeting, ...]
    completed: tuple[str, ...]
    issued: tuple[Issued, ...]
    warnings: tuple[str, ...]
    store: Path
    error: str | None = None

    @property
    def created(self) -> int:
        """How many meetings were recorded now (not completed)."""
        return len(self.issued) - len(self.completed)

    def to_json(self, *, warnings: Sequence[str] | None = None) -> dict[str, Any]:
        """The invited series in JSON, as the command line prints it: the plan as ``Series``
        shows it, then the series' id, the meetings sent before and those issued now.

        Args:
            warnings: the warnings to list (``warnings`` when None).

        Returns:
            JSON data.
        """
        from somnet.meetings.views import unstructure

        plan_view = attrs.asdict(self.series.view(), recurse=False)
        plan_view["warnings"] = tuple(self.warnings if warnings is None else warnings)
        view = SeriesInvitationView(
            **plan_view,
            series=self.id,
            sent_before=tuple(m.to_json() for m in self.sent_before),
            meetings=tuple(
                IssuedInSeriesView(
                    meeting=i.meeting.to_json(), record=str(i.record), delivered=i.delivered
                )
                for i in self.issued
            ),
            error=self.error,
        )
        data: dict[str, Any] = unstructure(view)
        return data


@attrs.frozen
class IssuedInSeriesView:
    """A meeting of a series issued, in JSON."""

    meeting: dict[str, Any]
    record: str
    delivered: tuple[str, ...]


@attrs.frozen
class SeriesInvitationView(SeriesView):
    """A series invited, in JSON: the plan, then what was sent."""

    series: str
    sent_before: tuple[dict[str, Any], ...]
    meetings: tuple[IssuedInSeriesView, ...]
    error: str | None = None


@one_run_at_a_time
@checked_kinds(MeetingError)
def invite_series(
    participants: Sequence[Participant],
    *,
    first: date,
    every: Period,
    count: int,
    duration: int,
    title: str,
    organizer: Person,
    store: MeetingStore,
    step: int = 15,
    within_days: int | None = None,
    now: datetime | None = None,
    notice_days: int | None = None,
    ledger_from_store: bool = True,
    resume: str | None = None,
    timezone: str | None = None,
    location: str | None = None,
    description: str | None = None,
    channels: Channels = RECORD_ONLY,
    uid_factory: Callable[[], uuid.UUID | str] = uuid.uuid4,
) -> SeriesInvitation:
    """Plan a series (``plan_series``, its ledger from ``store``) and invite the participants
    to each occurrence: one meeting each, with its own UID, all recorded with one series id.

    When one occurrence fails, those before it stay delivered and recorded, and the error
    (an ``IncompleteSeriesError``) says how far it got. The same series asked for again is
    refused (``AlreadyRecordedError`` with its ``series_id``): with ``resume`` set to that
    id, the periods it sent keep their meetings, the occurrence recorded and not delivered to
    all is completed (same UID), and the rest is sent under that id.

    Args:
        participants: who attends; each needs an e-mail channel.
        first: the first day of the first period.
        every: ``week``, ``month`` or ``quarter``.
        count: how many meetings.
        duration: minutes.
        title: the SUMMARY of each.
        organizer: who invites.
        store: where meetings are recorded (and the ledger read).
        step: grid of start times, in minutes.
        within_days: search only the first days of each period.
        now: the clock (the current time when None).
        notice_days: working days of notice; None for the configured default.
        ledger_from_store: start the ledger from the meetings of these participants in
            ``store``.
        resume: the id of the series to complete (after a failure).
        timezone: the zone of the invites' times (the first participant's when None).
        location: LOCATION.
        description: DESCRIPTION.
        channels: where the invites go; ``out`` is a folder (one ``YYYY-MM-DD.ics`` each).
        uid_factory: makes the UIDs (and the series' id).

    Returns:
        The plan, and what was recorded and delivered.

    Raises:
        MeetingError: naming the field: a bad series (``every``, ``count``, ``within_days``,
            ``notice_days``), a bad ``out``, a calendar without URL (``publish``), a
            ``resume`` that is not this series; a participant without e-mail.
        NothingMissingError: the series ``resume`` has nothing left to send (field
            ``resume``); its ``warnings`` are those that still hold of its meetings.
        NotRecordedError: no series ``resume`` (field ``resume``).
        AlreadyRecordedError: this series is recorded already (resume it; its ``warnings``
            are those that still hold of its meetings), or for attendees that differ but
            share someone (no ``series_id``: cancel it first).
        NoSlotError: no period has a slot.
        IncompleteSeriesError: an occurrence failed (also the error of its cause's kind).
        DeliveryError, StorageError: the first occurrence failed before anything went.
        RecordError, StorageError: a record of the store cannot be read, and may be this
            series' (nothing is sent): edited by hand or damaged, or the system cannot read
            it.
    """
    # Not created yet: a record that cannot be read, or nothing left to send, still stops it.
    check_out(channels.out, folder=True, create=False)
    channels = resolve_channels(channels, None)
    now = _clock(now)
    # Checked before the comparison with what is recorded, which would blame the record.
    check_wording(title=title, timezone=timezone, location=location, description=description)
    participants = given_participants(participants)  # read once: planned, then invited
    found = plan_series(
        participants,
        first=first,
        every=every,
        count=count,
        duration=duration,
        step=step,
        within_days=within_days,
        now=now,
        notice_days=notice_days,
        store=store,
        ledger_from_store=ledger_from_store,
        resume=resume,
    )
    attendees = attendees_of(participants)
    earlier: list[Meeting] = []
    unfinished: list[Meeting] = []
    begun: list[str] = []  # what was not sent of the occurrences that have begun
    sent: set[int] = set()
    spans = [(o.first, o.last) for o in found.occurrences]
    smtp, caldav = channels.smtp, channels.caldav
    if resume is not None:
        try:
            earlier = store.series(resume)
        except NotRecordedError as exc:
            raise NotRecordedError(exc.reason, field="resume", value=resume) from None
        # One that cannot be read may be an occurrence sent already: its period would be
        # sent a second meeting.
        _unreadable(store, store.scan()[1])
        series_id = earlier[0].series or resume
        sent = sent_periods(
            earlier, title=title, organizer=organizer.email, attendees=attendees, periods=spans
        )
        # Recorded by the run that failed, and not delivered to all: completed first,
        # unless it has begun (held, or being held): an invitation to it would come late.
        for m in earlier:
            missing = missing_deliveries(m, email=smtp is not None, caldav=caldav is not None)
            if m.status == "CANCELLED" or not missing:
                continue
            if m.start > now:
                unfinished.append(m)
            else:
                begun.append(begun_unsent(m, missing))
    else:
        twin = recorded_series(
            store, title=title, organizer=organizer.email, attendees=attendees, periods=spans
        )
        if twin is not None:
            raise AlreadyRecordedError(
                _(
                    "series {twin} with this title, organizer and attendees is recorded "
                    "already for these dates"
                ).format(twin=twin),
                series_id=twin,
                warnings=_standing_in_series(participants, store.series(twin)),
            )
        series_id = store.new_series_id(str(uid_factory()))
    chosen: set[str] = set()

    def meeting_id(uid: str) -> str:
        # Unique on disk and among this series' occurrences, none of which is recorded yet.
        candidate = store.new_id(uid, taken=chosen)
        chosen.add(candidate)
        return candidate

    warnings = [*found.warnings, *shared_mailboxes(participants)]
    meetings = []
    for number, o in enumerate(found.occurrences):
        if number in sent:
            continue
        if o.slot is None:
            warnings.append(
                _("period {index} ({first} to {last}) has no slot, so no meeting: {items}").format(
                    index=o.index,
                    first=o.first,
                    last=o.last,
                    items=joined_messages(o.reasons, _("; ")),
                )
            )
            continue
        meetings.append(
            _as_asked(
                new_meeting(
                    attendees,
                    start=o.slot.start,
                    duration=found.duration,
                    title=title,
                    organizer=organizer,
                    timezone=timezone or participants[0].timezone,
                    now=now,
                    meeting_id=meeting_id,
                    uid_factory=uid_factory,
                    location=location,
                    description=description,
                    series=series_id,
                )
            )
        )
    if resume is not None and not meetings and not unfinished:
        reason = _("every meeting of series {series_id} was sent already")
        if begun:
            reason = _("series {series_id} has nothing left to send: {items}")
        raise NothingMissingError(
            reason.format(series_id=series_id, items=joined_messages(begun, _("; "))),
            field="resume",
            value=resume,
            warnings=_standing_in_series(participants, earlier),
        )
    warnings += begun
    check_out(channels.out, folder=True)

    def invitation(issued: Sequence[Issued], error: str | None = None) -> SeriesInvitation:
        went = {i.meeting.id for i in issued}
        return SeriesInvitation(
            series=found,
            id=series_id,
            sent_before=tuple(earlier),
            completed=tuple(m.id for m in unfinished if m.id in went),
            issued=tuple(issued),
            warnings=(*warnings, *dict.fromkeys(w for i in issued for w in i.warnings)),
            store=store.root,
            error=error,
        )

    return _series_issued(
        sorted([*unfinished, *meetings], key=lambda m: (m.start, m.id)),
        "created",
        invitation,
        store=store,
        now=now,
        channels=channels,
        recorded={m.id for m in unfinished},
    )


def _standing_in_series(
    participants: Sequence[Participant], meetings: Sequence[Meeting]
) -> list[str]:
    """What the run that sent a series warned of its meetings (not cancelled) that still
    holds, each once, ending with the note on illustrative contacts when an attendee is one
    (as the same invite run again repeats them)."""
    held = [m for m in meetings if m.status != "CANCELLED"]
    return _with_illustrative_note(held, list(dict.fromkeys(_still_holding(participants, held))))


@attrs.frozen
class SeriesCancellation:
    """What ``cancel_series`` did.

    Attributes:
        series: the series' id.
        issued: each meeting cancelled (or whose cancellation was completed), by start.
        warnings: the deliveries' warnings, each once.
        error: why a cancellation failed (in English), for what a cancellation that failed
            did (``IncompleteSeriesError.done``); None when all went.
    """

    series: str
    issued: tuple[Issued, ...]
    warnings: tuple[str, ...]
    error: str | None = None

    def to_json(self, *, warnings: Sequence[str] | None = None) -> dict[str, Any]:
        """The cancelled series in JSON, as the command line prints it.

        Args:
            warnings: the warnings to list (``warnings`` when None).

        Returns:
            JSON data.
        """
        from somnet.meetings.views import unstructure

        view = SeriesCancellationView(
            series=self.series,
            meetings=tuple(
                CancelledInSeriesView(meeting=i.meeting.to_json(), delivered=i.delivered)
                for i in self.issued
            ),
            warnings=tuple(self.warnings if warnings is None else warnings),
            error=self.error,
        )
        data: dict[str, Any] = unstructure(view)
        return data


@attrs.frozen
class CancelledInSeriesView:
    """A meeting of a series cancelled, in JSON."""

    meeting: dict[str, Any]
    delivered: tuple[str, ...]


@attrs.frozen
class SeriesCancellationView:
    """A series cancelled, in JSON."""

    series: str
    meetings: tuple[CancelledInSeriesView, ...]
    warnings: tuple[str, ...]
    error: str | None = None


@one_run_at_a_time
@checked_kinds(MeetingError)
def cancel_series(
    store: MeetingStore,
    series_id: str,
    *,
    now: datetime | None = None,
    channels: Channels = RECORD_ONLY,
) -> SeriesCancellation:
    """Cancel every meeting of a series that is still on, one CANCEL each, and complete the
    cancellations an earlier run left undelivered on the channels given.

    Args:
        store: where meetings are recorded.
        series_id: the series' id.
        now: the clock (the current time when None).
        channels: where the CANCELs go; ``out`` is a folder (``YYYY-MM-DD-cancel.ics``); a
            CalDAV calendar without URL is the one the series is published in.

    Returns:
        What was cancelled.

    Raises:
        NotRecordedError: no such series (field ``series``).
        MeetingError: every meeting is cancelled already; CalDAV is asked and none of the
            meetings to cancel was ever published (field ``publish``; those never published
            among others that were, their PUT failed, are cancelled on the other channels);
            a bad ``out``.
        IncompleteSeriesError: a cancellation failed (also the error of its cause's kind).
        DeliveryError, StorageError: the first failed before anything went.
        RecordError, StorageError: a record of the store cannot be read, and may be one of
            the series (nothing is cancelled): edited by hand or damaged, or the system
            cannot read it.
    """
    # Not created yet: a record that cannot be read still stops the cancellation.
    check_out(channels.out, folder=True, create=False)
    meetings = store.series(series_id)
    problems = store.scan()[1]
    if problems:
        # It may be a meeting of the series: the others cancelled, the series would be said
        # cancelled, and that meeting left in every calendar.
        raise restated(
            problems[0],
            _(
                "{reason}; it may record a meeting of series {series_id}, so nothing was "
                "cancelled: repair that record, or move it out of {root}"
            ).format(reason=problems[0].reason, series_id=series_id, root=store.root),
        ) from problems[0]
    now = _clock(now)
    live: list[Meeting] = []
    unfinished: list[Meeting] = []
    # Those that have begun (held, or being held) are left as they are: their attendees
    # would be told that a meeting they held is cancelled.
    begun: list[str] = []
    for m in meetings:
        lacking = missing_deliveries(
            m, email=channels.smtp is not None, caldav=channels.caldav is not None
        )
        if m.status == "CANCELLED" and not lacking:
            continue
        if m.start > now:
            (live if m.status != "CANCELLED" else unfinished).append(m)
        elif m.status != "CANCELLED":
            begun.append(
                _(
                    "meeting {id} of {start} UTC has begun already, so it is not cancelled "
                    "with the rest of the series"
                ).format(id=m.id, start=f"{m.start:%Y-%m-%d %H:%M}")
            )
        else:
            begun.append(begun_unsent(m, lacking))
    if not live and not unfinished:
        if begun:
            raise MeetingError(
                _("series {series_id} has nothing left to cancel: {items}").format(
                    series_id=series_id, items=joined_messages(begun, _("; "))
                )
            )
        raise MeetingError(
            _("every meeting of series {series_id} is already cancelled").format(
                series_id=series_id
            )
        )
    # A meeting whose PUT the server never answered may be there: it is removed as the others.
    published = [
        m for m in live + unfinished if m.publication is not None or unconfirmed_publication(m)
    ]
    check_out(channels.out, folder=True)
    channels = resolve_channels(channels, published[0] if published else None)
    never = [m.id for m in live if m not in published]
    # None of them on the calendar: the calendar given is a mistake. Some: those never put
    # there (their PUT failed, which stopped the series) are cancelled on the other channels.
    if channels.caldav is not None and never and not published:
        missing = ", ".join(never)
        raise MeetingError(
            _("meetings {missing} of the series were never published").format(missing=missing),
            field="publish",
        )
    todo = sorted(
        [cancelled_meeting(m, now=now) for m in live] + unfinished, key=lambda m: (m.start, m.id)
    )

    def cancellation(issued: Sequence[Issued], error: str | None = None) -> SeriesCancellation:
        warnings = tuple(dict.fromkeys([*begun, *(w for i in issued for w in i.warnings)]))
        return SeriesCancellation(series_id, tuple(issued), warnings, error)

    return _series_issued(
        todo,
        "cancelled",
        cancellation,
        store=store,
        now=now,
        channels=channels,
        recorded={m.id for m in unfinished},
    )


#: What a series run reports: an invitation's or a cancellation's.
_SeriesReport = TypeVar("_SeriesReport", "SeriesInvitation", "SeriesCancellation")


def _series_issued(
    meetings: Sequence[Meeting],
    action: Literal["created", "cancelled"],
    report: Callable[..., _SeriesReport],
    *,
    store: MeetingStore,
    now: datetime,
    channels: Channels,
    recorded: set[str],
) -> _SeriesReport:
    """``issue_series``, told by ``report`` (what was issued, and why it stopped): its report,
    or, when the series stops part-way, the error carrying what the run did as a success
    would report it (``done``)."""
    try:
        issued = issue_series(
            meetings, action, store=store, now=now, channels=channels, recorded=recorded
        )
    except IncompleteSeriesError as exc:
        exc.done = report(exc.progress.issued, exc.reason)
        raise
    return report(issued)
