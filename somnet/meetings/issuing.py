"""Issuing a version of a meeting: recorded first, then delivered on every channel asked (CalDAV,
iMIP e-mail, an .ics file), each delivery marked in the record as it goes; delivering again
only what a version has not reached; a series issued one occurrence after the other.

After a failure, ``resend`` (or the same request again) delivers only what is missing, under
the same UID and SEQUENCE, so that nobody is sent a meeting twice and nobody is left without
it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from somnet._exceptions import DeliveryError, MeetingError, SomnetError, StorageError
from somnet._given import checked_kinds
from somnet._i18n import _, joined_messages
from somnet.meetings.caldav import CaldavServer
from somnet.meetings.errors import (
    CaldavConflictError,
    IncompleteDeliveryError,
    NothingMissingError,
    SeriesProgress,
    series_error,
)
from somnet.meetings.ical import ILLUSTRATIVE_NOTE, calendar_bytes, uninvite_bytes
from somnet.meetings.ics_files import (
    check_folder,
    check_own_file,
    commit_ics,
    series_file,
    stage_ics,
    uninvite_path,
)
from somnet.meetings.lifecycle import cancelled_meeting, method_of, unique_people
from somnet.meetings.records import (
    Change,
    Delivery,
    DeliveryState,
    Meeting,
    Method,
    Person,
    Publication,
)
from somnet.meetings.smtp import SmtpServer
from somnet.meetings.store import MeetingStore, one_run_at_a_time

if TYPE_CHECKING:
    import ssl

    import httpx


@attrs.frozen
class Channels:
    """Where and how a version of a meeting is delivered.

    Attributes:
        out: write the iTIP object to this file (for a series: one file per occurrence in
            this folder, ``series_file``).
        smtp: e-mail it (iMIP) to every attendee through this server.
        caldav: put it in (or, when cancelled, remove it from) this CalDAV calendar; with no
            ``collection``, the calendar the meeting is published in.
        force: replace (or remove) the CalDAV copy even when it was changed on the server.
        http_client: the HTTP client for CalDAV (one is made when None).
        ssl_context: for SMTP STARTTLS or SMTPS (the system's defaults when None).
    """

    out: Path | None = None
    smtp: SmtpServer | None = None
    caldav: CaldavServer | None = None
    force: bool = False
    http_client: httpx.Client | None = None
    ssl_context: ssl.SSLContext | None = None


#: No channel: the version is recorded, and goes nowhere.
RECORD_ONLY = Channels()


@attrs.frozen
class Issued:
    """What issuing or delivering a version of a meeting did.

    Attributes:
        meeting: the record as stored.
        ics: the iTIP object (with METHOD) of the version, as written or sent.
        delivered: what this run delivered, e.g. ``file:meeting.ics``,
            ``smtp:host:port to a@example.org, b@example.org``, ``caldav:PUT http://...``.
        warnings: what went right but deserves a look.
        uninvite: the CANCEL for the attendees the version took off the meeting, or None.
        record: the file the meeting is recorded in.
        added: the attendees an update added.
        removed: the attendees an update took off (they are sent ``uninvite``).
        calendar_behind: the URL of the meeting's copy on a CalDAV server that this version
            did not go to (no calendar was given): it still shows the previous version, or,
            for a cancelled meeting, the meeting.
        again: for an invite asked for again (``invite_meeting``): ``nothing-missing`` when
            the meeting recorded already had reached everyone on the channels given,
            ``sent-missing`` when what it had not reached was sent, ``updated-since`` when
            it is the invite that made a meeting an update has changed since (nothing is
            sent); None for a new meeting.
        emailed_before: the attendees were e-mailed an earlier version, and this version
            has gone to none of them by e-mail (no SMTP server was given): their calendars
            still show that version, or, for a cancelled meeting, the meeting.
        error: why some deliveries failed (in English), for what a run that failed did
            (``IncompleteDeliveryError.issued``); None when all went.
    """

    meeting: Meeting
    ics: bytes
    delivered: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    uninvite: bytes | None = None
    record: Path | None = None
    added: tuple[Person, ...] = ()
    removed: tuple[Person, ...] = ()
    calendar_behind: str | None = None
    again: Literal["nothing-missing", "sent-missing", "updated-since"] | None = None
    emailed_before: bool = False
    error: str | None = None

    def to_json(self, *, warnings: Sequence[str] | None = None) -> dict[str, Any]:
        """The issued version in JSON, as the command line prints it after an invite,
        update, cancel or resend: the record, its file, what was delivered, who was added
        and removed, and why some deliveries failed (``error``, null when none did).

        Args:
            warnings: the warnings to list (``warnings`` when None).

        Returns:
            JSON data.
        """
        from somnet.meetings.views import unstructure

        view = IssuedView(
            meeting=self.meeting.to_json(),
            record=str(self.record) if self.record is not None else None,
            delivered=self.delivered,
            added=tuple(p.email for p in self.added),
            removed=tuple(p.email for p in self.removed),
            warnings=tuple(self.warnings if warnings is None else warnings),
            again=self.again,
            error=self.error,
        )
        data: dict[str, Any] = unstructure(view)
        return data


@attrs.frozen
class IssuedView:
    """An issued version in JSON (``meeting`` is the record's JSON)."""

    meeting: dict[str, Any]
    record: str | None
    delivered: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    warnings: tuple[str, ...]
    again: Literal["nothing-missing", "sent-missing", "updated-since"] | None = None
    error: str | None = None


@attrs.frozen
class Missing:
    """What the current version of a meeting has not reached yet, on the channels asked.

    Attributes:
        email: who has not been e-mailed the version (for a cancelled meeting: the CANCEL).
        uninvite: who the version took off the meeting and has not been e-mailed their CANCEL.
        caldav: the CalDAV server does not hold the version (cancelled: still holds the event).
    """

    email: tuple[Person, ...] = ()
    uninvite: tuple[Person, ...] = ()
    caldav: bool = False

    def __bool__(self) -> bool:
        return bool(self.email or self.uninvite or self.caldav)


def missing_deliveries(meeting: Meeting, *, email: bool, caldav: bool) -> Missing:
    """What the current version of ``meeting`` has not reached on the channels asked
    (``email``, ``caldav``), from its record of deliveries: a re-run sends only this.

    An attendee has the version by e-mail once a delivery of this SEQUENCE and method to their
    address is recorded as delivered; CalDAV holds it once its PUT is (a cancelled meeting is
    missing from CalDAV while the event is still published).

    Args:
        meeting: the recorded meeting.
        email: ask about e-mail.
        caldav: ask about CalDAV.

    Returns:
        What is missing (false when nothing is).
    """
    done = {
        (d.channel, d.to.lower(), d.method)
        for d in meeting.deliveries
        if d.sequence == meeting.sequence and d.state == "delivered"
    }
    method = method_of(meeting)
    to_email: tuple[Person, ...] = ()
    to_uninvite: tuple[Person, ...] = ()
    if email:
        # No removal goes to someone no invitation reached: for them there is no meeting.
        unreached = meeting.never_reached
        people = meeting.attendees
        if method == "CANCEL":
            people = tuple(
                p
                for p in unique_people((*meeting.attendees, *meeting.uninvited))
                if p.email.lower() not in unreached
            )
        to_email = tuple(p for p in people if ("email", p.email.lower(), method) not in done)
        if method == "REQUEST":
            to_uninvite = tuple(
                p
                for p in meeting.uninvited
                if ("email", p.email.lower(), "CANCEL") not in done
                and p.email.lower() not in unreached
            )
    on_caldav = False
    if caldav:
        if method == "CANCEL":
            on_caldav = meeting.publication is not None
        else:
            on_caldav = not any(c == "caldav" and m == method for c, _, m in done)
    return Missing(to_email, to_uninvite, on_caldav)


def begun_unsent(meeting: Meeting, missing: Missing) -> str:
    """Why what ``meeting`` has not reached (``missing``) is not sent: it has begun.

    Args:
        meeting: the recorded meeting, held or being held.
        missing: what it has not reached.

    Returns:
        The sentence, naming the meeting and those it did not reach.
    """
    items = [p.email for p in (*missing.email, *missing.uninvite)]
    if missing.caldav:
        items.append("CalDAV")
    return _(
        "meeting {id} of {start} UTC has begun already, so it is not sent to those it did "
        "not reach: {items}"
    ).format(id=meeting.id, start=f"{meeting.start:%Y-%m-%d %H:%M}", items=", ".join(items))


def _unconfirmed_puts(meeting: Meeting) -> tuple[Delivery, ...]:
    """The CalDAV PUTs of the meeting left unconfirmed (of this version or earlier ones), or
    left pending: a run that ends marks its PUT, so one still pending is a killed run's, which
    the server may have made."""
    return tuple(
        d
        for d in meeting.deliveries
        if d.channel == "caldav" and d.method == "REQUEST" and d.state in ("unconfirmed", "pending")
    )


def unconfirmed_publication(meeting: Meeting) -> Publication | None:
    """Where the meeting's event may be on a CalDAV server though none is recorded: the URL
    of a PUT of its current version that the server never answered (the connection dropped,
    or the answer did not come in time), which may have created it. Its ETag is unknown.

    Args:
        meeting: the recorded meeting.

    Returns:
        The possible publication, or None.
    """
    urls = [d.to for d in _unconfirmed_puts(meeting)]
    return Publication(url=urls[-1], etag=None) if urls else None


@one_run_at_a_time
@checked_kinds(MeetingError)
def issue(
    meeting: Meeting,
    action: Literal["created", "updated", "cancelled"],
    *,
    store: MeetingStore,
    now: datetime,
    channels: Channels = RECORD_ONLY,
    removed: Sequence[Person] = (),
) -> Issued:
    """Record a new version of a meeting, then deliver it.

    The version (its UID and SEQUENCE) is recorded first, with one pending ``Delivery`` for
    each attendee to e-mail and one for CalDAV; each is marked delivered or failed as it goes,
    so that a run that fails halfway leaves a record of who has the version, and ``resend``
    (or the same request again) delivers only what is missing, under the same UID and
    SEQUENCE. The order: CalDAV first (a conflict there stops it before anyone is e-mailed a
    version the calendar does not hold), then e-mail, then the .ics files (``out``), written
    once the version is recorded, whatever became of the deliveries.

    When ``removed`` names attendees an update took off the meeting, they are uninvited: a
    ``METHOD:CANCEL`` naming only them (``uninvite_bytes``) is written next to ``out`` (see
    ``uninvite_path``) and e-mailed to them only, while the REQUEST goes to those who remain.
    Those an earlier version uninvited and who never got their CANCEL are uninvited again.

    The same version issued again (its record holds it: a run that failed halfway, run again)
    is a ``resend``: it delivers only what the version has not reached.

    Args:
        meeting: the new version (from ``new_meeting``, ``changed_meeting``,
            ``cancelled_meeting``).
        action: what this version is, for the history.
        store: where the record is kept.
        now: the clock (DTSTAMP, the e-mail's Date, the history).
        channels: where it goes (its CalDAV calendar must be known).
        removed: attendees of the previous version who no longer attend.

    Returns:
        What was delivered and recorded.

    Raises:
        MeetingError: ``out`` cannot be written (field ``out``); CalDAV asked for a meeting
            never published, or another calendar than its own (field ``publish``); the record
            holds a later version, or another one of this SEQUENCE (another run issued it
            since this one was read); nothing is recorded then.
        NothingMissingError: the same version issued again has reached everyone on the
            channels given.
        IncompleteDeliveryError: the version is recorded; some deliveries failed (the message
            says who has it and who has not).
        StorageError: the record cannot be written.
    """
    recorded = _recorded_version(store, meeting)
    if recorded is not None:
        # The same version issued again (a run that failed halfway): what it has not reached.
        return resend(recorded, store=store, now=now, channels=channels)
    method = method_of(meeting)
    if method == "CANCEL" and meeting.publication is None:
        # A PUT the server never answered may have put the event there: it is removed (or
        # said to be behind) as a published one is.
        meeting = attrs.evolve(meeting, publication=unconfirmed_publication(meeting))
    if channels.caldav is not None and method == "CANCEL" and meeting.publication is None:
        raise MeetingError(
            _("meeting {id} was never published to CalDAV: there is nothing to remove").format(
                id=meeting.id
            ),
            field="publish",
        )
    _check_calendar(meeting, channels.caldav)
    if removed and method == "CANCEL":
        raise MeetingError(
            _("meeting {id}: a cancelled meeting uninvites everyone").format(id=meeting.id)
        )
    # Those the last version uninvited and who never had their CANCEL stay uninvited (not
    # those no invitation reached: they are sent none, and were told of once).
    had_cancel = {
        d.to.lower() for d in meeting.deliveries if d.method == "CANCEL" and d.state == "delivered"
    }
    staying = {p.email.lower() for p in meeting.attendees}
    carried = [
        p
        for p in meeting.uninvited
        if p.email.lower() not in had_cancel
        and p.email.lower() not in staying
        and p.email.lower() not in meeting.never_reached
    ]
    stamp = now.astimezone(UTC).replace(microsecond=0)
    record = attrs.evolve(
        meeting,
        # Whom a killed run's invitation may have reached stays so once its deliveries go.
        reached=_with_maybe_reached(meeting),
        uninvited=unique_people((*removed, *carried)),
        # A PUT of an earlier version left unconfirmed may have put it on the server: kept,
        # until the calendar is given a later version.
        deliveries=_unconfirmed_puts(meeting),
        history=(*meeting.history, Change(at=stamp, action=action, sequence=meeting.sequence)),
    )
    return _deliver(record, store=store, now=now, dtstamp=now, channels=channels, resent=False)


def _with_maybe_reached(meeting: Meeting) -> tuple[str, ...]:
    """``meeting.reached`` with the addresses the invitation of the version its deliveries
    are of (the one recorded: a new version made from it carries them) may have reached
    though no answer was recorded: a run killed after the SMTP server took it left it pending
    (not one a CalDAV failure or kill kept from going: e-mail goes once the calendar holds the
    version; nor one a run that ended counted as missed)."""
    sequence = max((d.sequence for d in meeting.deliveries), default=meeting.sequence)
    current = [d for d in meeting.deliveries if d.sequence == sequence]
    stopped = any(d.channel == "caldav" and d.state != "delivered" for d in current)
    if stopped:
        return meeting.reached
    maybe = [
        d.to.lower()
        for d in current
        if d.channel == "email"
        and d.method == "REQUEST"
        and d.state == "pending"
        and d.to.lower() not in meeting.missed
    ]
    return tuple(dict.fromkeys((*meeting.reached, *maybe)))


def _recorded_version(store: MeetingStore, meeting: Meeting) -> Meeting | None:
    """The record of ``meeting`` when it holds this very version already (the same UID,
    SEQUENCE and content, whenever it was made); None when it holds an earlier one, or none.

    Raises:
        MeetingError: the record holds another meeting, or a version this one was not made
            from (another run issued one since this one was read).
    """
    if not store.path(meeting.id).is_file():
        return None
    recorded = store.get(meeting.id)
    if recorded.uid == meeting.uid and recorded.sequence < meeting.sequence:
        return None
    if recorded.uid == meeting.uid and _version(recorded) == _version(meeting):
        return recorded
    raise MeetingError(
        _(
            "meeting {id} is recorded at SEQUENCE {recorded} (UID {uid}): this version, "
            "SEQUENCE {sequence}, was not made from that record; read the meeting again and "
            "make the change from it"
        ).format(
            id=meeting.id, recorded=recorded.sequence, uid=recorded.uid, sequence=meeting.sequence
        )
    )


def _version(meeting: Meeting) -> tuple[object, ...]:
    """What a version of a meeting says: the same for the same change made twice."""
    return (
        meeting.sequence,
        meeting.status,
        meeting.title,
        meeting.start,
        meeting.duration,
        meeting.timezone,
        meeting.location,
        meeting.description,
        meeting.series,
        meeting.organizer.email.lower(),
        sorted(p.email.lower() for p in meeting.attendees),
    )


@one_run_at_a_time
def resend(
    meeting: Meeting, *, store: MeetingStore, now: datetime, channels: Channels = RECORD_ONLY
) -> Issued:
    """Deliver what the current version of a recorded meeting has not reached, on the
    channels given (``missing_deliveries``): after a failed run, the attendees not e-mailed
    and the CalDAV copy, with the same UID, SEQUENCE and DTSTAMP as the others got; and for a
    cancelled meeting still published, the removal of its CalDAV copy. ``out`` writes the
    version's file again.

    Args:
        meeting: the recorded meeting.
        store: where it is recorded.
        now: the clock (the e-mail's Date, the history).
        channels: where it goes.

    Returns:
        What was delivered and recorded.

    Raises:
        NothingMissingError: nothing is missing on the channels given (and no ``out``).
        MeetingError: the CalDAV calendar is not the one the meeting is published in (field
            ``publish``); something is missing but the meeting has begun at ``now``.
        IncompleteDeliveryError: some deliveries failed again (the record says which).
        StorageError: the record cannot be written.
    """
    _check_calendar(meeting, channels.caldav)
    smtp, caldav = channels.smtp, channels.caldav
    missing = missing_deliveries(meeting, email=smtp is not None, caldav=caldav is not None)
    if missing and meeting.start <= now:
        # Held, or being held: an invitation would come too late, and a cancellation would
        # tell its attendees that a meeting they held is cancelled (as for a series).
        raise MeetingError(begun_unsent(meeting, missing), value=meeting.id)
    if not missing and channels.out is None:
        if smtp is not None and caldav is not None:
            reason = _(
                "meeting {id}: SEQUENCE {sequence} has reached everyone by e-mail and CalDAV "
                "already; nothing to send"
            )
        elif smtp is not None:
            reason = _(
                "meeting {id}: SEQUENCE {sequence} has reached everyone by e-mail already; "
                "nothing to send"
            )
        elif caldav is not None:
            reason = _(
                "meeting {id}: SEQUENCE {sequence} has reached everyone by CalDAV already; "
                "nothing to send"
            )
        else:
            reason = _(
                "meeting {id}: SEQUENCE {sequence} is missing nowhere; nothing to send (give a "
                "channel it has not gone to: e-mail or CalDAV)"
            )
        # Of those this version would remove (a cancelled meeting: everyone it was for).
        removes = meeting.uninvited
        if meeting.status == "CANCELLED":
            removes = unique_people((*meeting.attendees, *meeting.uninvited))
        never = sorted(
            p.email.lower()
            for p in removes
            if smtp is not None and p.email.lower() in meeting.never_reached
        )
        if never:
            # Those a removal skipped: no invitation of it ever reached them (not "everyone").
            reason = _(
                "meeting {id}: nothing to send; SEQUENCE {sequence} has gone to everyone it "
                "is for, except {items}: no invitation of this meeting ever reached them, so "
                "no removal is sent to them"
            )
        raise NothingMissingError(
            reason.format(id=meeting.id, sequence=meeting.sequence, items=", ".join(never))
        )
    # Whom a killed run's invitation may have reached: so, whatever this run does (``issue``
    # counts them in the version it makes).
    meeting = attrs.evolve(meeting, reached=_with_maybe_reached(meeting))
    return _deliver(
        meeting, store=store, now=now, dtstamp=meeting.modified, channels=channels, resent=True
    )


@one_run_at_a_time
def cancel(
    meeting: Meeting, *, store: MeetingStore, now: datetime, channels: Channels = RECORD_ONLY
) -> Issued:
    """Cancel a recorded meeting (``cancelled_meeting``, then ``issue``), or complete the
    cancellation of one cancelled already: its CANCEL to whoever has not had it, and the
    removal of the copy it left on a CalDAV server (cancelled without CalDAV, or when the
    removal failed).

    Args:
        meeting: the recorded meeting.
        store: where it is recorded.
        now: the clock.
        channels: where the CANCEL goes.

    Returns:
        What was delivered and recorded.

    Raises:
        MeetingError: it is cancelled already and nothing is missing on the channels given;
            it has begun at ``now`` (as ``resend``, for a cancellation to complete).
        IncompleteDeliveryError, StorageError: as ``issue``.
    """
    if meeting.status != "CANCELLED" and meeting.start <= now:
        raise MeetingError(
            _("meeting {id} of {start} UTC has begun already, so it is not cancelled").format(
                id=meeting.id, start=f"{meeting.start:%Y-%m-%d %H:%M}"
            ),
            value=meeting.id,
        )
    if meeting.status == "CANCELLED":
        if not missing_deliveries(
            meeting, email=channels.smtp is not None, caldav=channels.caldav is not None
        ):
            cancelled_meeting(meeting, now=now)  # raises: already cancelled
        return resend(meeting, store=store, now=now, channels=channels)
    return issue(
        cancelled_meeting(meeting, now=now), "cancelled", store=store, now=now, channels=channels
    )


def _check_calendar(meeting: Meeting, caldav: CaldavServer | None) -> None:
    """Refuse a calendar other than the one the meeting is published in, or may be (a PUT
    the server never answered may have put it there): it would hold a second copy, which
    no later version or cancellation would reach."""
    if caldav is None:
        return
    if meeting.publication is None:
        maybe = unconfirmed_publication(meeting)
        if maybe is not None and not maybe.url.startswith(caldav.calendar):
            raise MeetingError(
                _(
                    "meeting {id} may be published at {url} (the server did not answer its "
                    "PUT), not in {calendar}; give that calendar, or none to use it"
                ).format(id=meeting.id, url=maybe.url, calendar=caldav.calendar),
                field="publish",
                value=caldav.calendar,
            )
    elif not meeting.publication.url.startswith(caldav.calendar):
        raise MeetingError(
            _(
                "meeting {id} is published at {url}, not in {calendar}; give that "
                "calendar, or none to use it"
            ).format(id=meeting.id, url=meeting.publication.url, calendar=caldav.calendar),
            field="publish",
            value=caldav.calendar,
        )


class _Record:
    """The record of the version being delivered, saved after each step."""

    def __init__(self, meeting: Meeting, store: MeetingStore, now: datetime) -> None:
        self.meeting = meeting
        self.store = store
        self.stamp = now.astimezone(UTC).replace(microsecond=0)
        self.recorded = meeting  # what the record on disk says was delivered
        # Invitations a run that was killed left pending: they may have gone, so they are
        # never counted as missed (those a failed run left pending are counted already).
        self.maybe_sent = {
            d.to.lower()
            for d in meeting.deliveries
            if d.channel == "email" and d.method == "REQUEST" and d.state == "pending"
        }
        # The deliveries of this version an earlier run left pending (it was killed): they
        # may have gone.
        self.left_pending = {
            (d.channel, d.to.lower(), d.method)
            for d in meeting.deliveries
            if d.sequence == meeting.sequence and d.state == "pending"
        }
        #: The store's error when the record could not be written (what went is not on disk).
        self.unsaved: StorageError | None = None

    def save(self) -> None:
        """Write the record; when it cannot be written once something went out, the error
        says what: the record on disk does not show it, and a resend would send it again."""
        try:
            self.store.save(self.meeting)
        except StorageError as exc:
            self.unsaved = exc
            unrecorded = self._unrecorded()
            if not unrecorded:
                raise
            raise StorageError(
                _(
                    "{reason}; delivered before it could be recorded: {items}; the record of "
                    "meeting {id} shows them as not delivered, and a resend would deliver "
                    "SEQUENCE {sequence} to them again"
                ).format(
                    reason=exc.reason,
                    items=joined_messages(unrecorded, _("; ")),
                    id=self.meeting.id,
                    sequence=self.meeting.sequence,
                ),
                field=exc.field,
                value=exc.value,
            ) from exc
        self.recorded = self.meeting

    def _unrecorded(self) -> list[str]:
        """What the version reached that the record on disk does not show."""

        def reached(meeting: Meeting) -> list[Delivery]:
            return [
                d
                for d in meeting.deliveries
                if d.state == "delivered" and d.sequence == self.meeting.sequence
            ]

        shown = {(d.channel, d.to.lower(), d.method) for d in reached(self.recorded)}
        new = [d for d in reached(self.meeting) if (d.channel, d.to.lower(), d.method) not in shown]
        emails = [d.to for d in new if d.channel == "email"]
        items: list[str] = [f"CalDAV {d.to}" for d in new if d.channel == "caldav"]
        if emails:  # told in the language in use
            items.append(_("e-mail to {items}").format(items=", ".join(emails)))
        return items

    def expect(
        self,
        channel: Literal["email", "caldav"],
        to: str,
        method: Method,
        via: str,
        *,
        digest: str | None = None,
    ) -> None:
        """Record that ``to`` is to be sent the version (pending) before anything goes; for
        a CalDAV PUT, with the ``digest`` of what it sends, by which the event a run killed
        after the PUT leaves on the server is known as somnet's own."""
        self._set(
            Delivery(channel, to, self.meeting.sequence, method, "pending", via, digest=digest)
        )

    def mark(
        self,
        channel: Literal["email", "caldav"],
        to: str,
        method: Method,
        via: str,
        reply: str | None = None,
        *,
        unconfirmed: bool = False,
        digest: str | None = None,
    ) -> None:
        """Record that ``to`` has the version (no ``reply``), that it failed (why), or that
        it went and the server did not confirm it (``unconfirmed``, why; for a CalDAV PUT,
        the ``digest`` of what it sent)."""
        state: DeliveryState = "failed" if reply is not None else "delivered"
        if unconfirmed:
            state = "unconfirmed"
        if channel == "email" and method == "REQUEST":
            self.invitation(to, reached=state != "failed")
        self._set(
            Delivery(
                channel,
                to,
                self.meeting.sequence,
                method,
                state,
                via,
                at=self.stamp,
                reply=reply,
                digest=digest if unconfirmed else None,
            )
        )

    def invitation(self, to: str, *, reached: bool) -> None:
        """Keep that an e-mailed invitation reached ``to`` (or may have), or did not."""
        address = to.lower()
        if reached and address not in self.meeting.reached:
            self.meeting = attrs.evolve(self.meeting, reached=(*self.meeting.reached, address))
        if not reached and address not in self.meeting.missed and address not in self.maybe_sent:
            self.meeting = attrs.evolve(self.meeting, missed=(*self.meeting.missed, address))

    def settle(self) -> None:
        """Forget the CalDAV PUTs of earlier versions left unconfirmed: the calendar holds
        this version now (or no longer the event)."""
        self.meeting = attrs.evolve(
            self.meeting,
            deliveries=tuple(
                d
                for d in self.meeting.deliveries
                if d.sequence == self.meeting.sequence or d not in _unconfirmed_puts(self.meeting)
            ),
        )

    def _set(self, delivery: Delivery) -> None:
        key = (delivery.channel, delivery.to.lower(), delivery.method, delivery.sequence)
        kept = [
            d
            for d in self.meeting.deliveries
            if (d.channel, d.to.lower(), d.method, d.sequence) != key
        ]
        # In the order first expected: the attendees' order.
        position = next(
            (
                i
                for i, d in enumerate(self.meeting.deliveries)
                if (d.channel, d.to.lower(), d.method, d.sequence) == key
            ),
            len(kept),
        )
        kept.insert(position, delivery)
        self.meeting = attrs.evolve(self.meeting, deliveries=tuple(kept))

    def never_sent(self, reason: str) -> None:
        """Mark failed, for ``reason``, what this run was to deliver and left pending: a run
        that stops marks each delivery as the server answers it, so these never went (not
        those an earlier run that was killed left pending: they may have)."""
        for d in self.meeting.deliveries:
            key = (d.channel, d.to.lower(), d.method)
            if (
                d.sequence == self.meeting.sequence
                and d.state == "pending"
                and key not in self.left_pending
            ):
                self.mark(d.channel, d.to, d.method, d.via, reason)

    def publish(self, publication: Publication | None) -> None:
        self.meeting = attrs.evolve(self.meeting, publication=publication)

    def log(self, delivered: Sequence[str], *, resent: bool) -> None:
        """Add what this run delivered to the history: to the version's entry, or for a
        resend, as an entry of its own (none when nothing went)."""
        history = list(self.meeting.history)
        if resent:
            if not delivered:
                return
            history.append(Change(self.stamp, "resent", self.meeting.sequence, tuple(delivered)))
        else:
            last = history[-1]
            history[-1] = attrs.evolve(last, delivered=(*last.delivered, *delivered))
        self.meeting = attrs.evolve(self.meeting, history=tuple(history))


def _deliver(
    meeting: Meeting,
    *,
    store: MeetingStore,
    now: datetime,
    dtstamp: datetime,
    channels: Channels,
    resent: bool,
) -> Issued:
    """Record the version with what it is missing as pending, then CalDAV, e-mail and the
    files, marking each delivery as it goes (see ``issue``)."""
    smtp, caldav, out = channels.smtp, channels.caldav, channels.out
    method = method_of(meeting)
    ics = calendar_bytes(meeting, method=method, now=dtstamp)
    uninvite = None
    if meeting.uninvited and method == "REQUEST":
        uninvite = uninvite_bytes(meeting, meeting.uninvited, now=dtstamp)
    missing = missing_deliveries(meeting, email=smtp is not None, caldav=caldav is not None)
    files: list[tuple[Path, bytes]] = []
    if out is not None:
        files.append((Path(out), ics))
        if uninvite is not None:
            files.append((uninvite_path(out), uninvite))
    record = _Record(meeting, store, now)
    saved = False
    delivered: list[str] = []
    warnings: list[str] = []
    failures: list[str] = []
    behind: str | None = None
    cause: DeliveryError | None = None
    stopped: StorageError | None = None  # the record could not be written; sending stopped
    refused_only = False  # nothing failed but recipients the SMTP server refused
    # Written first, so that a file that cannot be written stops it before anything is
    # recorded or sent, but beside its place, and moved there once the rest was tried.
    staged: list[tuple[Path, Path]] = []
    try:
        for path, content in files:
            staged.append(stage_ics(path, content))
        event_url = _event_url(meeting, caldav)
        if missing.caldav and caldav is not None:
            from somnet.meetings.caldav import events_digest

            put = events_digest(_stored_copy(meeting)) if method == "REQUEST" else None
            record.expect("caldav", event_url, method, caldav.calendar, digest=put)
        if smtp is not None:
            for person in missing.email:
                record.expect("email", person.email, method, smtp.address)
            for person in missing.uninvite:
                record.expect("email", person.email, "CANCEL", smtp.address)
        # The version and what it is to reach are on disk before anything goes out.
        record.save()
        saved = True
        if missing.caldav and caldav is not None:
            try:
                http, force = channels.http_client, channels.force
                _caldav(record, caldav, method, http, force, warnings, delivered)
            except DeliveryError as exc:
                from somnet.meetings.caldav import UnansweredError, events_digest

                unsure = isinstance(exc, UnansweredError)
                digest = None
                if unsure and method == "REQUEST":
                    digest = events_digest(_stored_copy(meeting))
                record.mark(
                    "caldav",
                    event_url,
                    method,
                    caldav.calendar,
                    exc.reason,
                    unconfirmed=unsure,
                    digest=digest,
                )
                record.save()
                cause = exc
                failures.append(exc.reason)
        elif caldav is None:
            # Published, or perhaps by a PUT left unconfirmed.
            on_server = meeting.publication or unconfirmed_publication(meeting)
            current = any(
                d.channel == "caldav" and d.state == "delivered" and d.sequence == meeting.sequence
                for d in meeting.deliveries
            )
            if on_server is not None and (method == "CANCEL" or not current):
                behind = on_server.url
        # E-mail only once the calendar holds the version: after a CalDAV failure, nobody is
        # sent a version the calendar does not show.
        if smtp is not None and cause is None:
            sends: list[tuple[tuple[Person, ...], _Kind, bytes | None]] = [
                (missing.email, method, ics),
                (missing.uninvite, "uninvite", uninvite),
            ]
            for people, kind, payload in sends:
                if not people or payload is None:
                    continue
                stop = _email(
                    record,
                    smtp,
                    kind,
                    payload,
                    people,
                    now,
                    channels.ssl_context,
                    delivered,
                    failures,
                )
                if stop is not None:
                    cause = stop
                    # What was to follow (the uninvites) never went.
                    record.never_sent(stop.reason)
                    break
            if failures and cause is None:
                cause = DeliveryError(failures[0])
                refused_only = True
        warnings += _sent_again(meeting, record.meeting)
        # The invitations this run was to send and left unsent (a CalDAV failure stopped
        # it) did not go.
        left = {
            d.to.lower()
            for d in record.meeting.undelivered
            if d.channel == "email" and d.method == "REQUEST" and d.state == "pending"
        }
        for person in missing.email if smtp is not None and method == "REQUEST" else ():
            if person.email.lower() in left:
                record.invitation(person.email, reached=False)
        for pending, target in staged:
            commit_ics(pending, target)
        delivered += [f"file:{path}" for path, _ in files]
        staged = []
    except StorageError:
        if record.unsaved is None or not saved:
            # Not written before anything went (the version is not recorded, or its record
            # did not change): the store's error alone, nothing sent.
            raise
        # The record could not be written once something went: the run stopped there, and
        # what it had not sent never went.
        stopped = record.unsaved
        record.never_sent(stopped.reason)
    finally:
        for pending, _target in staged:
            pending.unlink(missing_ok=True)
        if saved:
            record.log(delivered, resent=resent)
            record.save()
    if stopped is not None:
        # Written at last (the disk had room again): what the record shows now is told, not
        # that it shows nothing of what went.
        raise StorageError(
            _incomplete(
                record.meeting,
                _("{reason} (sending stopped there, as what went could not be recorded)").format(
                    reason=stopped.reason
                ),
            ),
            field=stopped.field,
            value=stopped.value,
        ) from stopped
    reason = (
        None if cause is None else _incomplete(record.meeting, joined_messages(failures, _("; ")))
    )
    if smtp is not None and cause is None:
        warnings += _no_removal(record.meeting, method)
    if store.unlocked and (smtp is not None or caldav is not None):
        warnings.append(_unlocked(store))
    if any(p.illustrative for p in meeting.attendees):
        warnings.append(ILLUSTRATIVE_NOTE)
    # A run that failed is told as a success would be, with why the rest did not go: a
    # script that asked for JSON learns the meeting recorded and what went.
    issued = Issued(
        record.meeting,
        ics,
        tuple(delivered),
        tuple(warnings),
        uninvite,
        record=store.path(meeting.id),
        calendar_behind=behind,
        emailed_before=cause is None and smtp is None and _emailed_before(record.meeting),
        error=reason,
    )
    if cause is None:
        return issued
    assert reason is not None  # told whenever there is a cause
    raise IncompleteDeliveryError(
        reason,
        record.meeting,
        conflict=isinstance(cause, CaldavConflictError),
        removed=isinstance(cause, CaldavConflictError) and cause.removed,
        refused_only=refused_only,
        issued=issued,
        field=cause.field,
    ) from cause


def _sent_again(before: Meeting, after: Meeting) -> list[str]:
    """Who this run e-mailed the version (``after``) that an earlier run's message may have
    reached already (``before``): the server took it whole and did not confirm it, or the
    run was killed before it recorded the server's answer (its delivery left pending)."""
    current = [
        d for d in before.deliveries if d.channel == "email" and d.sequence == before.sequence
    ]
    unsure = {(d.to.lower(), d.method) for d in current if d.state == "unconfirmed"}
    # E-mail goes once CalDAV has the version: none went while its CalDAV delivery is not
    # done (it failed, or a run was killed at it). Invitations a run that ended left pending
    # are those a CalDAV failure kept from going, which it counted as missed.
    stopped = any(
        d.channel == "caldav" and d.sequence == before.sequence and d.state != "delivered"
        for d in before.deliveries
    )
    killed = {
        (d.to.lower(), d.method)
        for d in current
        if d.state == "pending"
        and not stopped
        and not (d.method == "REQUEST" and d.to.lower() in before.missed)
    }

    def again(earlier: Collection[tuple[str, str]]) -> str:
        return ", ".join(
            d.to
            for d in after.deliveries
            if d.channel == "email"
            and d.state == "delivered"
            and d.sequence == after.sequence
            and (d.to.lower(), d.method) in earlier
        )

    told: list[str] = []
    if again(unsure):
        told.append(
            _(
                "sent again to {items}: the message of an earlier run may have reached them (the "
                "SMTP server took it whole and did not confirm it); both carry the same UID and "
                "SEQUENCE, so a calendar keeps one copy"
            ).format(items=again(unsure))
        )
    if again(killed):
        told.append(
            _(
                "sent again to {items}: the message of an earlier run may have reached them (that "
                "run was stopped before it recorded what the SMTP server answered); both carry "
                "the same UID and SEQUENCE, so a calendar keeps one copy"
            ).format(items=again(killed))
        )
    return told


def _no_removal(meeting: Meeting, method: Method) -> list[str]:
    """Who this version removes and is e-mailed no CANCEL, as no invitation reached them."""
    removed = meeting.uninvited
    if method == "CANCEL":
        removed = unique_people((*meeting.attendees, *meeting.uninvited))
    unreached = meeting.never_reached
    left = [p.email for p in removed if p.email.lower() in unreached]
    if not left:
        return []
    return [
        _("no CANCEL e-mailed to {items}: no invitation to meeting {id} ever reached them").format(
            items=", ".join(left), id=meeting.id
        )
    ]


def _emailed_before(meeting: Meeting) -> bool:
    """Whether an earlier version of the meeting was e-mailed and the current one has been
    e-mailed to nobody."""
    earlier = any(
        entry.startswith("smtp:")
        for change in meeting.history
        if change.sequence < meeting.sequence
        for entry in change.delivered
    )
    return earlier and not any(
        d.channel == "email" and d.state == "delivered" and d.sequence == meeting.sequence
        for d in meeting.deliveries
    )


def _unlocked(store: MeetingStore) -> str:
    """The warning for a delivery from a store its filesystem cannot lock."""
    return _(
        "{root}: its filesystem has no locks: another command sending from this store at the "
        "same time would not be kept out, and could send the same version again"
    ).format(root=store.root)


def _event_url(meeting: Meeting, caldav: CaldavServer | None) -> str:
    """Where the event is (or will be) on the CalDAV server."""
    from urllib.parse import quote

    if meeting.publication is not None:
        return meeting.publication.url
    collection = caldav.calendar if caldav is not None else ""
    return collection + quote(meeting.uid, safe="") + ".ics"


def _caldav(
    record: _Record,
    caldav: CaldavServer,
    method: Method,
    http_client: httpx.Client | None,
    force: bool,
    warnings: list[str],
    delivered: list[str],
) -> None:
    """Put the version on the CalDAV server, or remove the event of a cancelled meeting;
    mark it in the record, and add it to ``delivered`` (before the record is written: a
    record that cannot be written then still keeps it in its history once it can)."""
    from somnet.meetings.caldav import caldav_delete, caldav_put

    meeting = record.meeting
    publication = meeting.publication
    ours = {d.digest for d in _unconfirmed_puts(meeting) if d.digest is not None}
    if method == "CANCEL":
        assert publication is not None
        gone, notes = caldav_delete(
            caldav, publication, uid=meeting.uid, client=http_client, force=force, ours=ours
        )
        warnings += notes
        if not gone:
            warnings.append(
                _("{url} was already gone from the CalDAV server").format(url=publication.url)
            )
        record.publish(None)
        record.mark("caldav", publication.url, method, caldav.calendar)
        record.settle()
        delivered.append(f"caldav:DELETE {publication.url}")
        record.save()
        return
    published = caldav_put(
        caldav,
        meeting.uid,
        _stored_copy(meeting),
        previous=publication,
        client=http_client,
        force=force,
        ours=ours,
    )
    warnings += published.notes
    record.publish(published.publication)
    record.mark("caldav", published.publication.url, method, caldav.calendar)
    record.settle()
    delivered.append(f"caldav:PUT {published.publication.url}")
    record.save()


def _stored_copy(meeting: Meeting) -> bytes:
    """The version as it is put on a CalDAV server (no METHOD; DTSTAMP when it was issued)."""
    return calendar_bytes(meeting, method=None, now=meeting.modified)


_Kind = Literal["REQUEST", "CANCEL", "uninvite"]


def _email(
    record: _Record,
    smtp: SmtpServer,
    kind: _Kind,
    content: bytes,
    people: Sequence[Person],
    now: datetime,
    ssl_context: ssl.SSLContext | None,
    delivered: list[str],
    failures: list[str],
) -> DeliveryError | None:
    """E-mail ``content`` to ``people``, marking each in the record as the server answers.

    Returns:
        The failure that stopped it before every message was sent, or None.
    """
    from somnet.meetings.smtp import message_text, send_imip, subject

    method: Method = "REQUEST" if kind == "REQUEST" else "CANCEL"
    uninvite = kind == "uninvite"
    version = record.meeting
    if uninvite:
        version = attrs.evolve(version, attendees=version.uninvited)

    verb = "uninvited" if uninvite else "to"
    went: list[str] = []

    def progress(sent: Sequence[str], refused: Mapping[str, str]) -> None:
        for address in sent:
            record.mark("email", address, method, smtp.address)
        for address, reply in refused.items():
            record.mark("email", address, method, smtp.address, reply=reply)
        went.extend(sent)
        record.save()

    try:
        result = send_imip(
            version,
            content,
            method,
            smtp,
            now=now,
            text=message_text(version, method, uninvite=uninvite),
            subject=subject(version, method, uninvite=uninvite),
            recipients=people,
            ssl_context=ssl_context,
            progress=progress,
        )
    except StorageError:
        # The record could not be written after a message went: the sending stopped there.
        if went:
            delivered.append(f"smtp:{smtp.address} {verb} {', '.join(went)}")
        raise
    if result.sent:
        delivered.append(f"smtp:{smtp.address} {verb} {', '.join(result.sent)}")
    if result.refused:
        failures.append(
            _("SMTP server {server} refused {items}").format(
                server=smtp.address,
                items=", ".join(
                    f"{address} ({reply})" for address, reply in result.refused.items()
                ),
            )
        )
    if result.error is not None:
        for address in result.unconfirmed:
            record.mark(
                "email", address, method, smtp.address, reply=result.error.reason, unconfirmed=True
            )
        for address in result.unsent:
            record.mark("email", address, method, smtp.address, reply=result.error.reason)
        record.save()
        failures.append(result.error.reason)
    return result.error


def _incomplete(meeting: Meeting, cause: str) -> str:
    """The one line that says what failed, who has the version and who has not, and that
    it is recorded (told in the language in use)."""
    current = [d for d in meeting.deliveries if d.sequence == meeting.sequence]
    got = [d for d in current if d.state == "delivered"]
    unsure = [d for d in current if d.state == "unconfirmed"]
    not_yet = [d for d in current if d.state not in ("delivered", "unconfirmed")]
    uninvited = {p.email.lower() for p in meeting.uninvited}
    cancel = meeting.status == "CANCELLED"

    def emails(items: Sequence[Delivery], uninvites: bool) -> str:
        return ", ".join(
            d.to
            for d in items
            if d.channel == "email"
            and (d.method == "CANCEL" and not cancel and d.to.lower() in uninvited) == uninvites
        )

    def sent(items: Sequence[Delivery]) -> list[str]:
        """CalDAV, the e-mails and the uninvites among ``items``."""
        found = ["CalDAV"] if any(d.channel == "caldav" for d in items) else []
        if emails(items, False):
            found.append(_("e-mail to {items}").format(items=emails(items, False)))
        if emails(items, True):
            found.append(_("uninvite to {items}").format(items=emails(items, True)))
        return found

    parts: list[str] = [cause]
    said: list[str] = []
    if any(d.channel == "caldav" for d in got):
        said.append(_("removed from CalDAV") if cancel else _("published on CalDAV"))
    if emails(got, False):
        said.append(_("delivered by e-mail to {items}").format(items=emails(got, False)))
    if emails(got, True):
        said.append(_("uninvited by e-mail {items}").format(items=emails(got, True)))
    # The server took these whole and did not confirm them (no answer, or a CalDAV server
    # error it could not be asked about): neither delivered nor not.
    if sent(unsure):
        said.append(
            _(
                "not confirmed: {items} (sent whole, and the server did not confirm it: it "
                "may have been delivered; a resend delivers it again, with the same UID and "
                "SEQUENCE)"
            ).format(items=joined_messages(sent(unsure)))
        )
    parts += said or [_("nothing was delivered")]
    if sent(not_yet):
        parts.append(_("not delivered: {items}").format(items=joined_messages(sent(not_yet))))
    parts.append(
        _("meeting {id} is recorded (UID {uid}, SEQUENCE {sequence})").format(
            id=meeting.id, uid=meeting.uid, sequence=meeting.sequence
        )
    )
    return joined_messages(parts, _("; "))


@one_run_at_a_time
def issue_series(
    meetings: Sequence[Meeting],
    action: Literal["created", "cancelled"],
    *,
    store: MeetingStore,
    now: datetime,
    channels: Channels = RECORD_ONLY,
    recorded: Collection[str] = (),
) -> list[Issued]:
    """Issue the meetings of a series one after the other (``issue`` for each, or
    ``resend`` for those whose id is in ``recorded``: versions recorded by an earlier run
    that did not reach everyone).

    Each occurrence is a meeting of its own: its file in the folder ``channels.out``
    (``series_file``), its messages, its CalDAV event and its record. When the delivery of
    one fails, the ones before it stay as they are, it stays recorded with who has it and
    who has not, and those after it are neither recorded nor sent; except when all that
    failed is recipients the SMTP server refused (a mailbox it does not know: refused at
    every occurrence, it would keep the others from the series): the next ones are issued,
    and the error comes at the end, naming each occurrence not delivered to all.

    Args:
        meetings: the versions to issue, in order.
        action: ``created`` or ``cancelled``.
        store: where they are recorded.
        now: the clock.
        channels: where they go; ``out`` is a folder.
        recorded: the ids of meetings recorded already, to complete.

    Returns:
        What was issued, in order.

    Raises:
        MeetingError: ``out`` is not a folder that can be written, or an occurrence's file
            there holds the invite of another meeting not cancelled (field ``out``; nothing
            sent).
        IncompleteSeriesError: one occurrence failed after others went, or was recorded and
            not delivered to all; it is also the error of its cause's kind (a
            ``DeliveryError``, ``StorageError``, ``MeetingError``), and says what was sent
            (``progress``).
        DeliveryError, StorageError, MeetingError: the first failed before anything went.
    """
    out_dir = channels.out
    method: Method = "CANCEL" if action == "cancelled" else "REQUEST"
    files: dict[str, Path] = {}
    if out_dir is not None:
        check_folder(out_dir)
        files = _series_files(out_dir, meetings, method)
        # Each occurrence's file, named by its date, may be one of another series there:
        # refused before anything is recorded or sent, unless that meeting is cancelled.
        cancelled: set[str] | None = None
        for meeting in meetings:
            own = files[meeting.id]
            try:
                check_own_file(own, meeting.uid)
            except MeetingError:
                if cancelled is None:
                    cancelled = {m.uid for m in store.all() if m.status == "CANCELLED"}
                check_own_file(own, meeting.uid, cancelled)
    done: list[Issued] = []
    # Occurrences delivered but to recipients the server refused, with their error.
    refused: list[tuple[int, IncompleteDeliveryError]] = []
    for index, meeting in enumerate(meetings):
        each = attrs.evolve(channels, out=files.get(meeting.id))
        never_published = meeting.publication is None and not unconfirmed_publication(meeting)
        if method == "CANCEL" and never_published:
            # Never on the calendar (its PUT failed, and stopped the series): nothing to
            # remove there; cancelled on the other channels.
            each = attrs.evolve(each, caldav=None)
        try:
            if meeting.id in recorded:
                done.append(resend(meeting, store=store, now=now, channels=each))
            else:
                done.append(issue(meeting, action, store=store, now=now, channels=each))
        except SomnetError as exc:
            half = isinstance(exc, IncompleteDeliveryError) or _recorded_after(store, meeting, exc)
            if isinstance(exc, IncompleteDeliveryError) and exc.refused_only:
                refused.append((index, exc))
                continue
            if (index == 0 and not half) or not isinstance(
                exc, DeliveryError | StorageError | MeetingError
            ):
                raise
            progress = SeriesProgress(
                action=action,
                series=meeting.series,
                occurrence=index + 1,
                total=len(meetings),
                done=tuple(i.meeting for i in done),
                partly=meeting if half else None,
                undone=tuple(meetings[index + 1 :] if half else meetings[index:]),
                refused=tuple(e.meeting for _i, e in refused),
                issued=_by_start(
                    [
                        *done,
                        *(e.issued for _i, e in refused),
                        exc.issued if isinstance(exc, IncompleteDeliveryError) else None,
                    ]
                ),
            )
            raise series_error(exc, progress) from exc
    if refused:
        index, first = refused[0]
        progress = SeriesProgress(
            action=action,
            series=first.meeting.series,
            occurrence=index + 1,
            total=len(meetings),
            done=tuple(i.meeting for i in done),
            partly=first.meeting,
            undone=(),
            refused=tuple(e.meeting for _i, e in refused[1:]),
            issued=_by_start([*done, *(e.issued for _i, e in refused)]),
        )
        raise series_error(first, progress) from first
    return done


def _recorded_after(store: MeetingStore, meeting: Meeting, exc: SomnetError) -> bool:
    """Whether a record that could not be written (``exc``) stopped the delivery of
    ``meeting`` once its version was recorded: the record holds this version (written at
    last, with who has it), so the occurrence is recorded and not sent to all."""
    if not isinstance(exc, StorageError):
        return False
    try:
        recorded = store.get(meeting.id)
    except SomnetError:
        return False
    return recorded.uid == meeting.uid and recorded.sequence == meeting.sequence


def _by_start(issued: Sequence[Issued | None]) -> tuple[Issued, ...]:
    """The versions issued (those known), by their meeting's start."""
    known = [i for i in issued if i is not None]
    return tuple(sorted(known, key=lambda i: (i.meeting.start, i.meeting.id)))


def _series_files(folder: Path, meetings: Sequence[Meeting], method: Method) -> dict[str, Path]:
    """Each meeting's file (``series_file``, by its date); meetings on the same date (one
    moved by an update to the day of another) each have their id added to its name, so that
    none replaces the other's."""
    by_date: dict[Path, list[Meeting]] = {}
    for meeting in meetings:
        by_date.setdefault(series_file(folder, meeting, method), []).append(meeting)
    files = {}
    for path, sharing in by_date.items():
        for meeting in sharing:
            own = path if len(sharing) == 1 else path.with_name(f"{path.stem}-{meeting.id}.ics")
            files[meeting.id] = own
    return files
