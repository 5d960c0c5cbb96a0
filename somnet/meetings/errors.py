"""The errors of meetings that carry data beyond a field and a reason: the meeting a failed
delivery left recorded, the series an occurrence stopped, the option that would let a start
through. The command line composes its hints (what to run next) from these attributes.

Where they sit in the tree of ``somnet._exceptions``::

    MeetingError
    ├── NoSlotError               (somnet._exceptions)
    ├── NoticeError               a start in the past or with too little notice, a change
    │                             to a meeting that has begun
    ├── NothingChangesError       an update that changes nothing
    ├── NothingMissingError       a resend (or a series resumed) with nothing left to deliver
    ├── NotRecordedError          no meeting or series with this id in the store
    ├── AlreadyRecordedError      the same invite (or series) is recorded already
    └── RecordError               a record edited by hand (or damaged): not one somnet reads
    DeliveryError
    ├── IncompleteDeliveryError   a version recorded, some deliveries failed
    └── CaldavConflictError       the CalDAV copy was changed there: nothing overwritten
    IncompleteSeriesError         one occurrence of a series failed (also the error of its
                                  cause's kind: MeetingError, DeliveryError or StorageError)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

import attrs

from somnet._exceptions import DeliveryError, MeetingError, SomnetError, StorageError
from somnet._i18n import _, joined_messages

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from somnet.meetings.invites import SeriesCancellation, SeriesInvitation
    from somnet.meetings.issuing import Issued
    from somnet.meetings.records import Meeting


class NoticeError(MeetingError):
    """A start in the past, or with less notice than asked; or a change to a meeting that
    has begun (its start is past: ``allow_past`` records the change as a meeting held's).

    Attributes:
        remedy: the setting that would let it through: ``allow_past`` (a meeting recorded
            after it was held) or ``notice_days`` (fewer days of notice).
        earliest: for too little notice, the earliest start that gives enough (UTC); None
            for a start in the past.
        warnings: what the earliest start could not check (the public holidays of a year
            python-holidays has no calendar of, among the working days counted).
    """

    def __init__(
        self,
        reason: str,
        *,
        remedy: Literal["allow_past", "notice_days"],
        field: str | None = None,
        value: object = None,
        earliest: datetime | None = None,
        warnings: Sequence[str] = (),
    ) -> None:
        super().__init__(reason, field=field, value=value)
        self.remedy = remedy
        self.earliest = earliest
        self.warnings = tuple(warnings)


class NothingChangesError(MeetingError):
    """An update that would change nothing in the meeting.

    Attributes:
        warnings: what still holds of the meeting (its participants' shared mailboxes, hours
            and holidays, national days abroad, the note on illustrative contacts), when the
            same update is asked for again: as the run that made it warned of it.
    """

    def __init__(
        self,
        reason: str,
        *,
        field: str | None = None,
        value: object = None,
        warnings: Sequence[str] = (),
    ) -> None:
        super().__init__(reason, field=field, value=value)
        self.warnings = tuple(warnings)


class NothingMissingError(MeetingError):
    """A resend of a meeting whose current version has reached everyone on the channels given,
    or a series resumed with nothing left to send.

    Attributes:
        warnings: what still holds of the meetings recorded (a series': its participants'
            shared mailboxes, hours and holidays, national days abroad, the note on
            illustrative contacts), as the run that sent them warned of it.
    """

    def __init__(
        self,
        reason: str,
        *,
        field: str | None = None,
        value: object = None,
        warnings: Sequence[str] = (),
    ) -> None:
        super().__init__(reason, field=field, value=value)
        self.warnings = tuple(warnings)


class NotRecordedError(MeetingError):
    """No meeting (or series) with this id is recorded in the store."""


class RecordError(MeetingError):
    """A record of the store that is not a meeting record somnet reads: broken JSON, a
    field missing or wrong, a SEQUENCE gone back, an id that is not its file's name, a
    ``record_version`` of another somnet, a folder or a symbolic link named as a record. It
    was edited by hand (or damaged): it is the user's to repair, or to move out of the store.
    (A record the system cannot read at all, for a permission or a disk, is a
    ``StorageError``.)

    Attributes:
        path: the record's file.
        fields: where in it the faults are (``$.sequence``, ``$.attendees[1].email``), as
            far as they are known (none for broken JSON: the reason says its line).
        may_be_record: False when it cannot be a meeting record at all (a folder, a symbolic
            link that leads nowhere): it records no meeting, not even one it is named for.
    """

    def __init__(
        self,
        reason: str,
        *,
        path: Path,
        fields: Sequence[str] = (),
        value: object = None,
        may_be_record: bool = True,
    ) -> None:
        super().__init__(reason, value=str(path) if value is None else value)
        self.path = path
        self.fields = tuple(fields)
        self.may_be_record = may_be_record


class AlreadyRecordedError(MeetingError):
    """The invite (or series) asked for is recorded already, differently: it is changed (or
    resumed), not invited again.

    Attributes:
        meeting_id: the meeting recorded with this title, time and attendees, if one.
        series_id: the series recorded with this title, organizer and attendees, if one.
        warnings: what still holds of the series recorded (``series_id``), as the run that
            sent it warned of it.
    """

    def __init__(
        self,
        reason: str,
        *,
        meeting_id: str | None = None,
        series_id: str | None = None,
        field: str | None = None,
        value: object = None,
        warnings: Sequence[str] = (),
    ) -> None:
        super().__init__(reason, field=field, value=value)
        self.meeting_id = meeting_id
        self.series_id = series_id
        self.warnings = tuple(warnings)


class IncompleteDeliveryError(DeliveryError):
    """A version of a meeting was recorded, and some of its deliveries failed.

    Args:
        reason: what failed, who has the version and who has not.
        meeting: the record as it stands.
        conflict: the CalDAV server holds a copy changed there, or none: it was removed there.
        removed: the conflict is that the CalDAV server no longer holds the event.
        refused_only: every delivery went but to recipients the server refused.
        issued: what the run did, as a success reports it.
        field: the input at fault, when the failure says (``caldav_user``: none was given).

    Attributes:
        meeting: the record as it stands: who has the version, who has not (``deliveries``).
        conflict: the CalDAV server holds a copy changed there (``force`` takes it over),
            or none: it was removed there (``force`` puts this version back).
        removed: the conflict is that the event was removed from the CalDAV server.
        refused_only: nothing failed but the recipients the SMTP server refused (each by
            its answer, the conversation going on): the server itself works.
        issued: what the run did, as a success reports it (the record, its file, what was
            delivered, who was added and removed), with ``error`` the reason; None when
            not known.
    """

    def __init__(
        self,
        reason: str,
        meeting: Meeting,
        *,
        conflict: bool = False,
        removed: bool = False,
        refused_only: bool = False,
        issued: Issued | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(reason, field=field)
        self.meeting = meeting
        self.conflict = conflict
        self.removed = removed
        self.refused_only = refused_only
        self.issued = issued


class CaldavConflictError(DeliveryError):
    """The event on the CalDAV server is no longer the copy somnet put there: it was changed
    or removed there. Nothing was overwritten.

    Attributes:
        removed: it was removed there (there is no copy to replace: ``force`` puts the
            version back).
    """

    def __init__(
        self, reason: str, *, removed: bool = False, field: str | None = None, value: object = None
    ) -> None:
        super().__init__(reason, field=field, value=value)
        self.removed = removed


@attrs.frozen
class SeriesProgress:
    """How far a series got when one of its occurrences failed.

    Attributes:
        action: ``created`` (invited) or ``cancelled``.
        series: the series' id.
        occurrence: the number (from 1) of the occurrence that failed.
        total: how many occurrences were to go.
        done: the meetings delivered and recorded.
        partly: the one that failed, when it is recorded and reached some (or none) of its
            recipients; None when it was not recorded.
        undone: the meetings neither recorded nor delivered.
        refused: the others recorded and delivered but to recipients the SMTP server
            refused (such a refusal does not stop the series).
        issued: what was issued, by start: the meetings done, the one that failed when it
            is recorded and those refused, each with what it delivered.
    """

    action: Literal["created", "cancelled"]
    series: str | None
    occurrence: int
    total: int
    done: tuple[Meeting, ...]
    partly: Meeting | None
    undone: tuple[Meeting, ...]
    refused: tuple[Meeting, ...] = ()
    issued: tuple[Issued, ...] = ()

    def text(self, then: str | None = None) -> str:
        """The progress as the error's message ends: `` (occurrence 2 of 3; sent and
        recorded: ...; not sent: ...)``, with ``then`` (what to do next) before the bracket.

        Args:
            then: a last clause, or None.

        Returns:
            The text, starting with a space.
        """
        cancelled = self.action == "cancelled"
        none = _("none")
        done = ", ".join(f"{m.start.astimezone(UTC):%Y-%m-%d} ({m.id})" for m in self.done)
        undone = ", ".join(f"{m.start.astimezone(UTC):%Y-%m-%d}" for m in self.undone)
        parts: list[str] = [
            _("occurrence {occurrence} of {total}").format(
                occurrence=self.occurrence, total=self.total
            ),
            (
                _("cancelled and recorded: {dates}")
                if cancelled
                else _("sent and recorded: {dates}")
            ).format(dates=done or none),
        ]
        partly = [self.partly] if self.partly is not None else []
        for m in sorted([*partly, *self.refused], key=lambda m: (m.start, m.id)):
            parts.append(
                (
                    _("recorded, not cancelled to all: {date} ({id})")
                    if cancelled
                    else _("recorded, not sent to all: {date} ({id})")
                ).format(date=f"{m.start.astimezone(UTC):%Y-%m-%d}", id=m.id)
            )
        parts.append(
            (_("not cancelled: {dates}") if cancelled else _("not sent: {dates}")).format(
                dates=undone or none
            )
        )
        if then:
            parts.append(then)
        return _(" ({parts})").format(parts=joined_messages(parts, _("; ")))


class IncompleteSeriesError(SomnetError):
    """An occurrence of a series failed: those before it stay delivered and recorded, it may
    be recorded with who has it, those after are neither. Every such error is also the error
    of its cause's kind (a ``MeetingError``, ``DeliveryError``, ``StorageError`` or
    ``IncompleteDeliveryError``), and is caught as one.

    Attributes:
        progress: how far the series got.
        cause_reason: the reason of the error that stopped it (the message without the
            progress).
        done: what the series did, as a success reports it (``invite_series``: a
            ``SeriesInvitation``, ``cancel_series``: a ``SeriesCancellation``), with
            ``error`` the reason; None when not known.
    """

    progress: SeriesProgress
    cause_reason: str
    done: SeriesInvitation | SeriesCancellation | None = None


class _SeriesMeetingError(MeetingError, IncompleteSeriesError):
    """A series stopped by bad input met on the way (a file that cannot be written)."""


class _SeriesDeliveryError(DeliveryError, IncompleteSeriesError):
    """A series stopped by a delivery that failed before its occurrence was recorded."""


class _SeriesStorageError(StorageError, IncompleteSeriesError):
    """A series stopped by a record that could not be written."""


class _SeriesIncompleteDeliveryError(IncompleteDeliveryError, IncompleteSeriesError):
    """A series stopped by an occurrence recorded and not delivered to all."""


def series_error(cause: SomnetError, progress: SeriesProgress) -> SomnetError:
    """``cause`` with the series' progress added to its reason, as an error of its kind that
    is also an ``IncompleteSeriesError``.

    Args:
        cause: what stopped the series.
        progress: how far it got.

    Returns:
        The error to raise (from ``cause``).
    """
    reason = _("{reason}{progress}").format(reason=cause.reason, progress=progress.text())
    error: IncompleteSeriesError
    if isinstance(cause, IncompleteDeliveryError):
        error = _SeriesIncompleteDeliveryError(
            reason,
            cause.meeting,
            conflict=cause.conflict,
            removed=cause.removed,
            refused_only=cause.refused_only,
            issued=cause.issued,
            field=cause.field,
        )
    elif isinstance(cause, StorageError):
        error = _SeriesStorageError(reason, field=cause.field, value=cause.value)
    elif cause.exit_code == MeetingError.exit_code:
        error = _SeriesMeetingError(reason, field=cause.field, value=cause.value)
    else:
        error = _SeriesDeliveryError(reason, field=cause.field, value=cause.value)
    error.progress = progress
    error.cause_reason = cause.reason
    return error
