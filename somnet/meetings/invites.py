"""Invites for regional meetings (RFC 5545 and iTIP, RFC 5546) and their lifecycle.

A meeting is issued as ``METHOD:REQUEST`` when created or changed and as ``METHOD:CANCEL``
when cancelled, always with the same UID and a SEQUENCE raised on every change, so that
calendar clients replace what they hold instead of adding a second event. The times are
written in one IANA zone (by default the first participant's) with a VTIMEZONE generated for
the days around the meeting only: clients such as Outlook mishandle the 1970-2038 definitions
some generators emit, and a short definition is exact for the dates it covers.

``issue`` records a version, then delivers it (CalDAV, iMIP e-mail, an .ics file), marking in
the record what reached whom as it goes; after a failure, ``resend`` (or the same command run
again) delivers only what is missing, under the same UID and SEQUENCE, so that nobody is sent
a meeting twice and nobody is left without it.
"""

from __future__ import annotations

import enum
import os
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

import attrs

from somnet._exceptions import DeliveryError, MeetingError, SomnetError, StorageError
from somnet.meetings.planning import shown
from somnet.meetings.store import (
    Change,
    Delivery,
    DeliveryState,
    Meeting,
    MeetingStore,
    Method,
    Person,
    Publication,
)

if TYPE_CHECKING:
    import httpx

    from somnet.meetings.delivery import CaldavServer, SmtpServer
    from somnet.meetings.planning import Participant


class _Keep(enum.Enum):
    """The type of ``KEEP``."""

    KEEP = "keep"


#: For ``changed_meeting``: the value was not given, keep it (None clears it).
KEEP = _Keep.KEEP
PRODID = "-//somnet//regional meetings//EN"
ILLUSTRATIVE_NOTE = (
    "Contacts marked illustrative are made-up examples shipped with somnet (example.org "
    "addresses): lay your restricted directory over them (--data DIR) before inviting anyone."
)


# Building a meeting ---------------------------------------------------------------------------


def attendees_of(participants: Sequence[Participant]) -> tuple[Person, ...]:
    """The invite's attendees: each participant with their e-mail address. Participants who
    share one mailbox (a desk that serves two states) are one attendee, the first named: one
    ATTENDEE line and one message per address (``shared_mailboxes`` says who).

    Raises:
        MeetingError: a participant without an e-mail channel (they could not be invited).
    """
    missing = [p.label for p in participants if not p.email]
    if missing:
        raise MeetingError(
            f"no e-mail channel for {', '.join(missing)}: an invite needs an address for "
            "every attendee; add one in the directory or leave them out"
        )
    return _unique(
        [
            Person(
                email=p.email or "",
                name=p.name,
                contact=p.contact,
                state=p.state,
                timezone=p.timezone,
                illustrative=p.illustrative,
            )
            for p in participants
        ]
    )


def shared_mailboxes(participants: Sequence[Participant]) -> list[str]:
    """A note for each mailbox several participants share (``attendees_of`` invites it once)."""
    by_address: dict[str, list[Participant]] = {}
    for p in participants:
        if p.email:
            by_address.setdefault(p.email.lower(), []).append(p)
    return [
        f"{' and '.join(p.label for p in sharing)} share the mailbox {sharing[0].email}: "
        "invited once, as one attendee"
        for sharing in by_address.values()
        if len(sharing) > 1
    ]


def new_meeting(
    attendees: Sequence[Person],
    *,
    start: datetime,
    duration: int,
    title: str,
    organizer: Person,
    timezone: str,
    now: datetime,
    meeting_id: Callable[[str], str] | None = None,
    uid_factory: Callable[[], uuid.UUID | str] = uuid.uuid4,
    location: str | None = None,
    description: str | None = None,
    series: str | None = None,
) -> Meeting:
    """A new meeting at SEQUENCE 0, not yet issued.

    Args:
        attendees: who is invited.
        start: an aware instant.
        duration: minutes.
        title: the SUMMARY.
        organizer: who invites (ORGANIZER).
        timezone: the IANA zone DTSTART and DTEND are written in.
        now: the clock (DTSTAMP, CREATED).
        meeting_id: turns the UID into the short id people type (the store's ``new_id``);
            the first eight hex digits of the UID when None.
        uid_factory: makes the UID (a random UUID by default).
        location: LOCATION (a room, a call link).
        description: DESCRIPTION, before the list of local times.
        series: the id of the series this meeting is one occurrence of.

    Raises:
        MeetingError: no attendees, an empty title, a bad address, an unknown zone, a bad
            duration.
    """
    uid = str(uid_factory())
    _check(title=title, timezone=timezone, duration=duration, start=start)
    if not attendees:
        raise MeetingError("an invite needs at least one attendee")
    for person in (organizer, *attendees):
        check_address(person.email, what="--organizer" if person is organizer else person.name)
    short = meeting_id(uid) if meeting_id else "".join(c for c in uid if c.isalnum())[:8].lower()
    stamp = now.astimezone(UTC).replace(microsecond=0)
    return Meeting(
        id=short,
        uid=uid,
        title=title.strip(),
        start=start.astimezone(UTC),
        duration=duration,
        timezone=timezone,
        organizer=organizer,
        attendees=tuple(attendees),
        sequence=0,
        status="CONFIRMED",
        created=stamp,
        modified=stamp,
        location=location,
        description=description,
        series=series,
    )


def changed_meeting(
    meeting: Meeting,
    *,
    now: datetime,
    start: datetime | None = None,
    duration: int | None = None,
    title: str | None = None,
    location: str | _Keep | None = KEEP,
    description: str | _Keep | None = KEEP,
    timezone: str | None = None,
    attendees: Sequence[Person] | None = None,
) -> Meeting:
    """The meeting with the given changes and SEQUENCE raised by one.

    Args:
        location, description: the new text; None or empty (blank) text clears it, ``KEEP``
            (the default) keeps it. The other values are kept when None.
        attendees: who attends from now on (all of them, not only those added); those no
            longer in it are uninvited when the new version is issued (``removed_attendees``).

    Raises:
        MeetingError: the meeting is cancelled, nothing would change, no attendee would be
            left, or an attendee's address is bad.
    """
    if meeting.status == "CANCELLED":
        raise MeetingError(f"meeting {meeting.id} is cancelled; invite a new one instead")
    if attendees is not None:
        if not attendees:
            raise MeetingError(f"update {meeting.id}: a meeting needs at least one attendee")
        for person in attendees:
            check_address(person.email, what=person.name)
        # Who attends, not in which order: the same people listed otherwise change nothing.
        if sorted(p.email.lower() for p in attendees) == sorted(
            p.email.lower() for p in meeting.attendees
        ):
            attendees = None
    changes: dict[str, Any] = {
        "start": start.astimezone(UTC) if start is not None else None,
        "duration": duration,
        "title": title.strip() if title is not None else None,
        "timezone": timezone,
        "attendees": tuple(attendees) if attendees is not None else None,
    }
    changes = {k: v for k, v in changes.items() if v is not None and v != getattr(meeting, k)}
    for name, text in [("location", location), ("description", description)]:
        if isinstance(text, _Keep):
            continue
        value = text if text and text.strip() else None
        if value != getattr(meeting, name):
            changes[name] = value
    if not changes:
        raise NothingChangesError(
            f"update {meeting.id}: nothing changes; give --start, --duration, --title, "
            "--location, --description, --timezone or other attendees with a new value"
        )
    updated = attrs.evolve(meeting, **changes)
    _check(
        title=updated.title,
        timezone=updated.timezone,
        duration=updated.duration,
        start=updated.start,
    )
    return attrs.evolve(
        updated,
        sequence=meeting.sequence + 1,
        modified=now.astimezone(UTC).replace(microsecond=0),
    )


class NothingChangesError(MeetingError):
    """An update that would change nothing in the meeting."""


def removed_attendees(before: Meeting, after: Meeting) -> tuple[Person, ...]:
    """Who attended ``before`` and no longer attends ``after`` (compared by address)."""
    staying = {p.email.lower() for p in after.attendees}
    return tuple(p for p in before.attendees if p.email.lower() not in staying)


def added_attendees(before: Meeting, after: Meeting) -> tuple[Person, ...]:
    """Who attends ``after`` and did not attend ``before`` (compared by address)."""
    earlier = {p.email.lower() for p in before.attendees}
    return tuple(p for p in after.attendees if p.email.lower() not in earlier)


def cancelled_meeting(meeting: Meeting, *, now: datetime) -> Meeting:
    """The meeting cancelled, SEQUENCE raised by one.

    Raises:
        MeetingError: it is already cancelled.
    """
    if meeting.status == "CANCELLED":
        raise MeetingError(f"meeting {meeting.id} is already cancelled")
    return attrs.evolve(
        meeting,
        status="CANCELLED",
        sequence=meeting.sequence + 1,
        modified=now.astimezone(UTC).replace(microsecond=0),
    )


def _check(*, title: str, timezone: str, duration: int, start: datetime) -> None:
    if not title.strip():
        raise MeetingError("--title: a meeting needs a title")
    try:
        ZoneInfo(timezone)
    except (ValueError, KeyError, OSError):  # OSError: a name too long for a file name
        raise MeetingError(
            f"--timezone: {shown(timezone)} is not an IANA time zone such as America/Panama"
        ) from None
    if not 0 < duration <= 24 * 60:
        raise MeetingError(f"--duration: {duration} minutes is not between 1m and 24h")
    if start.tzinfo is None:
        raise MeetingError("--start: the start needs a zone")


def check_address(address: str, *, what: str) -> None:
    """Refuse what is not a bare e-mail address (``mailto:`` is added by the invite).

    Raises:
        MeetingError: naming ``what``.
    """
    from somnet.directory.validation import is_email_address

    # RFC 5321 section 4.5.3.1.3: a path holds at most 256 octets, so an address at most 254.
    if len(address) > 254 or not is_email_address(address):
        raise MeetingError(
            f"{what}: {shown(address)} is not an e-mail address like name@example.org"
        )


# iCalendar -----------------------------------------------------------------------------------


def calendar_bytes(meeting: Meeting, *, method: Method | None, now: datetime) -> bytes:
    """The meeting as an iCalendar object: CRLF line ends, lines folded at 75 octets.

    Args:
        meeting: the version to write.
        method: ``REQUEST`` or ``CANCEL`` for iTIP (a file, e-mail); None for the copy stored
            on a CalDAV server, which must not carry a METHOD (RFC 4791 section 4.1).
        now: DTSTAMP.

    Raises:
        MeetingError: the meeting cannot be written (icalendar refused a value).
    """
    return _calendar(meeting, method=method, now=now, uninvite=False)


def uninvite_bytes(meeting: Meeting, removed: Sequence[Person], *, now: datetime) -> bytes:
    """The ``METHOD:CANCEL`` that takes ``removed`` off a meeting that goes on without them.

    RFC 5546 section 3.2.5: a CANCEL sent only to the attendees removed, naming only them,
    with the UID and the SEQUENCE of the new version of the meeting, and without STATUS (which
    would cancel the whole meeting).

    Args:
        meeting: the new version (from ``changed_meeting``), without them.
        removed: who is uninvited (``removed_attendees``).
        now: DTSTAMP.
    """
    if not removed:
        raise MeetingError(f"meeting {meeting.id}: nobody to uninvite")
    return _calendar(
        attrs.evolve(meeting, attendees=tuple(removed)), method="CANCEL", now=now, uninvite=True
    )


def _calendar(meeting: Meeting, *, method: Method | None, now: datetime, uninvite: bool) -> bytes:
    from icalendar import Calendar, Event, vCalAddress, vText

    zone = ZoneInfo(meeting.timezone)
    start = _local_or_utc(meeting.start, zone)
    end = _local_or_utc(meeting.end, zone)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method is not None:
        cal.add("method", method)
    cal.add_component(vtimezone(meeting.timezone, *_vtimezone_dates(meeting)))
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", now.astimezone(UTC).replace(microsecond=0))
    event.add("created", meeting.created)
    event.add("last-modified", meeting.modified)
    event.add("sequence", meeting.sequence)
    if not uninvite:
        event.add("status", meeting.status)
    event.add("summary", meeting.title)
    event.add("dtstart", start)
    event.add("dtend", end)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", vText(description_text(meeting, uninvite=uninvite)))
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{meeting.organizer.email}")
    organizer.params["CN"] = meeting.organizer.name or meeting.organizer.email
    event.add("organizer", organizer)
    for person in meeting.attendees:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["CN"] = person.name or person.email
        attendee.params["CUTYPE"] = "INDIVIDUAL"
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "NEEDS-ACTION"
        attendee.params["RSVP"] = (
            "TRUE" if meeting.status != "CANCELLED" and not uninvite else "FALSE"
        )
        event.add("attendee", attendee)
    cal.add_component(event)
    try:
        content: bytes = cal.to_ical()
    except (ValueError, TypeError) as exc:  # pragma: no cover - every value is checked above
        raise MeetingError(f"meeting {meeting.id}: cannot be written as iCalendar: {exc}") from exc
    return content


def _local_or_utc(instant: datetime, zone: ZoneInfo) -> datetime:
    """``instant`` on the zone's clock, or in UTC when that clock shows it twice and this is
    the second time: a local time with a TZID means the first of the two (RFC 5545 section
    3.3.5), so the hour after a fall-back change can only be written in UTC."""
    local = instant.astimezone(zone)
    if local.fold and local.utcoffset() != local.replace(fold=0).utcoffset():
        return instant.astimezone(UTC)
    return local


def _vtimezone_dates(meeting: Meeting) -> tuple[date, date]:
    """The local dates the meeting's VTIMEZONE covers: from the day before the last change of
    offset before the meeting (within a year) to the day after it ends, so that the offset in
    force is described with its real onset, and a zone with daylight saving time gets both a
    STANDARD and a DAYLIGHT observance."""
    from somnet.meetings.planning import DAY, from_minute, offset_segments, to_minute

    zone = ZoneInfo(meeting.timezone)
    start = to_minute(meeting.start)
    first = meeting.start.astimezone(zone).date() - timedelta(days=1)
    last = meeting.end.astimezone(zone).date() + timedelta(days=1)
    segments = offset_segments(meeting.timezone, start - 366 * DAY, start + 1)
    if len(segments) > 1:
        change = from_minute(segments[-1][0]).astimezone(zone).date()
        first = min(first, change - timedelta(days=1))
    return first, last


def vtimezone(tzid: str, first: date, last: date) -> Any:
    """A VTIMEZONE for ``tzid`` that is exact from ``first`` to ``last`` (local dates).

    One observance for the offset in force at the start, and one for each change of offset
    in the range, with DTSTART the onset in the local time of the offset before it (RFC 5545
    section 3.6.5: ``TZOFFSETFROM`` applies to DTSTART).

    Returns:
        An ``icalendar.Timezone`` component.
    """
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    from somnet.meetings.planning import from_minute, offset_segments, to_minute

    zone = ZoneInfo(tzid)
    lo = to_minute(datetime.combine(first, time(), tzinfo=zone))
    hi = to_minute(datetime.combine(last + timedelta(days=1), time(), tzinfo=zone))
    component = Timezone()
    component.add("tzid", tzid)
    previous: int | None = None
    for seg_start, _seg_end, offset in offset_segments(tzid, lo, hi):
        instant = from_minute(seg_start).astimezone(zone)
        before = offset if previous is None else previous
        observance = TimezoneDaylight() if instant.dst() else TimezoneStandard()
        onset = from_minute(seg_start + before).replace(tzinfo=None)
        observance.add("dtstart", onset)
        observance.add("tzoffsetfrom", timedelta(minutes=before))
        observance.add("tzoffsetto", timedelta(minutes=offset))
        observance.add("tzname", instant.tzname() or _offset_name(offset))
        component.add_component(observance)
        previous = offset
    return component


def _offset_name(offset: int) -> str:
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(abs(offset), 60)
    return f"{sign}{hours:02d}{minutes:02d}" if minutes else f"{sign}{hours:02d}"


def local_times(meeting: Meeting) -> list[tuple[Person, datetime, datetime]]:
    """The meeting on each attendee's clock (the meeting's zone when theirs is unknown)."""
    rows = []
    for person in meeting.attendees:
        zone = ZoneInfo(person.timezone or meeting.timezone)
        rows.append((person, meeting.start.astimezone(zone), meeting.end.astimezone(zone)))
    return rows


def description_text(meeting: Meeting, *, uninvite: bool = False) -> str:
    """DESCRIPTION: the organizer's text, then the meeting on every attendee's clock."""
    lines = []
    if uninvite:
        lines += ["You are no longer invited to this meeting; it goes on without you.", ""]
    elif meeting.status == "CANCELLED":
        lines += ["This meeting is cancelled.", ""]
    if meeting.description:
        lines += [meeting.description.strip(), ""]
    lines.append(f"{meeting.start:%Y-%m-%d %H:%M}-{meeting.end:%H:%M} UTC; local times:")
    seen: set[tuple[str | None, str]] = set()
    for person, start, end in local_times(meeting):
        zone = person.timezone or meeting.timezone
        if (person.state, zone) in seen:
            continue
        seen.add((person.state, zone))
        where = f"{person.state} " if person.state else ""
        lines.append(f"- {where}{start:%a %d %b %H:%M}-{end:%H:%M} ({zone})")
    if any(p.illustrative for p in meeting.attendees):
        lines += ["", ILLUSTRATIVE_NOTE]
    return "\n".join(lines)


def message_text(meeting: Meeting, method: Method, *, uninvite: bool = False) -> str:
    """The text/plain part of an iMIP message: what a reader without a calendar sees."""
    organizer = meeting.organizer.name or meeting.organizer.email
    if uninvite:
        head = f"{organizer} has removed you from this meeting."
    elif method == "CANCEL":
        head = f"{organizer} has cancelled this meeting."
    elif meeting.sequence:
        head = f"{organizer} has changed this meeting."
    else:
        head = f"{organizer} invites you to this meeting."
    lines = [head, "", meeting.title]
    if meeting.location:
        lines.append(f"Where: {meeting.location}")
    lines += ["", description_text(meeting, uninvite=uninvite), ""]
    lines.append(f"Attendees: {', '.join(p.name for p in meeting.attendees)}")
    return "\n".join(lines) + "\n"


def subject(meeting: Meeting, method: Method, *, uninvite: bool = False) -> str:
    when = f"{meeting.start:%a %d %b %Y %H:%M} UTC"
    if uninvite:
        return f"Removed from: {meeting.title} ({when})"
    if method == "CANCEL":
        return f"Cancelled: {meeting.title} ({when})"
    if meeting.sequence:
        return f"Updated invitation: {meeting.title} ({when})"
    return f"Invitation: {meeting.title} ({when})"


# Issuing a version ---------------------------------------------------------------------------


@attrs.frozen
class Issued:
    """What ``issue`` or ``resend`` did.

    Attributes:
        meeting: the record as stored.
        ics: the iTIP object (with METHOD) of the version, as written or sent.
        delivered: what this run delivered, e.g. ``file:meeting.ics``,
            ``smtp:host:port to a@example.org, b@example.org``, ``caldav:PUT http://...``.
        warnings: what went right but deserves a look.
        uninvite: the CANCEL for the attendees the version took off the meeting, or None.
    """

    meeting: Meeting
    ics: bytes
    delivered: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    uninvite: bytes | None = None


class NothingMissingError(MeetingError):
    """A resend of a meeting whose current version has reached everyone on the channels given."""


def method_of(meeting: Meeting) -> Method:
    """The iTIP method of the meeting's current version: CANCEL once it is cancelled."""
    return "CANCEL" if meeting.status == "CANCELLED" else "REQUEST"


def uninvite_path(out: Path) -> Path:
    """Where ``--out FILE`` puts the CANCEL for removed attendees: ``FILE-uninvite.ics``."""
    out = Path(out)
    return out.with_name(f"{out.stem}-uninvite{out.suffix or '.ics'}")


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
        people = meeting.attendees
        if method == "CANCEL":
            people = _unique((*meeting.attendees, *meeting.uninvited))
        to_email = tuple(p for p in people if ("email", p.email.lower(), method) not in done)
        if method == "REQUEST":
            to_uninvite = tuple(
                p for p in meeting.uninvited if ("email", p.email.lower(), "CANCEL") not in done
            )
    on_caldav = False
    if caldav:
        if method == "CANCEL":
            on_caldav = meeting.publication is not None
        else:
            on_caldav = not any(c == "caldav" and m == method for c, _, m in done)
    return Missing(to_email, to_uninvite, on_caldav)


def _unique(people: Sequence[Person]) -> tuple[Person, ...]:
    """People by address, the first of each (addresses compared without case)."""
    seen: set[str] = set()
    out = []
    for person in people:
        if person.email.lower() not in seen:
            seen.add(person.email.lower())
            out.append(person)
    return tuple(out)


def issue(
    meeting: Meeting,
    action: Literal["created", "updated", "cancelled"],
    *,
    store: MeetingStore,
    now: datetime,
    out: Path | None = None,
    smtp: SmtpServer | None = None,
    caldav: CaldavServer | None = None,
    http_client: httpx.Client | None = None,
    ssl_context: Any = None,
    removed: Sequence[Person] = (),
    force: bool = False,
) -> Issued:
    """Record a new version of a meeting, then deliver it.

    The version (its UID and SEQUENCE) is recorded first, with one pending ``Delivery`` for
    each attendee to e-mail and one for CalDAV; each is marked delivered or failed as it goes,
    so that a run that fails halfway leaves a record of who has the version, and ``resend``
    (or the same command again) delivers only what is missing, under the same UID and
    SEQUENCE. The order: CalDAV first (a conflict there stops it before anyone is e-mailed a
    version the calendar does not hold), then e-mail, then the .ics files (``out``), written
    once the version is recorded, whatever became of the deliveries.

    When ``removed`` names attendees an update took off the meeting, they are uninvited: a
    ``METHOD:CANCEL`` naming only them (``uninvite_bytes``) is written next to ``out`` (see
    ``uninvite_path``) and e-mailed to them only, while the REQUEST goes to those who remain.
    Those an earlier version uninvited and who never got their CANCEL are uninvited again.

    Args:
        meeting: the new version (from ``new_meeting``, ``changed_meeting``,
            ``cancelled_meeting``).
        action: what this version is, for the history.
        store: where the record is kept.
        now: the clock (DTSTAMP, the e-mail's Date, the history).
        out: write the iTIP object to this file.
        smtp: send it as iMIP to every attendee.
        caldav: put it on (or, when cancelled, remove it from) a CalDAV server.
        http_client: for CalDAV (made from ``caldav`` when None).
        ssl_context: for SMTP STARTTLS or SMTPS (the system's defaults when None).
        removed: attendees of the previous version who no longer attend.
        force: replace (or remove) the CalDAV copy even when it was changed on the server.

    Returns:
        What was delivered and recorded.

    Raises:
        MeetingError: ``out`` cannot be written; CalDAV asked for a meeting never published
            (nothing recorded).
        IncompleteDeliveryError: the version is recorded; some deliveries failed (the message
            says who has it and who has not).
        StorageError: the record cannot be written.
    """
    method = method_of(meeting)
    if caldav is not None and method == "CANCEL" and meeting.publication is None:
        raise MeetingError(f"meeting {meeting.id} was never published to CalDAV: drop --publish")
    _check_calendar(meeting, caldav)
    if removed and method == "CANCEL":
        raise MeetingError(f"meeting {meeting.id}: a cancelled meeting uninvites everyone")
    # Those the last version uninvited and who never had their CANCEL stay uninvited.
    had_cancel = {
        d.to.lower() for d in meeting.deliveries if d.method == "CANCEL" and d.state == "delivered"
    }
    staying = {p.email.lower() for p in meeting.attendees}
    carried = [
        p
        for p in meeting.uninvited
        if p.email.lower() not in had_cancel and p.email.lower() not in staying
    ]
    stamp = now.astimezone(UTC).replace(microsecond=0)
    record = attrs.evolve(
        meeting,
        uninvited=_unique((*removed, *carried)),
        deliveries=(),
        history=(*meeting.history, Change(at=stamp, action=action, sequence=meeting.sequence)),
    )
    return _deliver(
        record,
        store=store,
        now=now,
        dtstamp=now,
        out=out,
        smtp=smtp,
        caldav=caldav,
        http_client=http_client,
        ssl_context=ssl_context,
        force=force,
        resent=False,
    )


def resend(
    meeting: Meeting,
    *,
    store: MeetingStore,
    now: datetime,
    out: Path | None = None,
    smtp: SmtpServer | None = None,
    caldav: CaldavServer | None = None,
    http_client: httpx.Client | None = None,
    ssl_context: Any = None,
    force: bool = False,
) -> Issued:
    """Deliver what the current version of a recorded meeting has not reached, on the
    channels given (``missing_deliveries``): after a failed run, the attendees not e-mailed
    and the CalDAV copy, with the same UID, SEQUENCE and DTSTAMP as the others got; and for a
    cancelled meeting still published, the removal of its CalDAV copy. ``out`` writes the
    version's file again.

    Raises:
        NothingMissingError: nothing is missing on the channels given (and no ``out``).
        MeetingError: ``caldav`` is not the calendar the meeting is published in.
        IncompleteDeliveryError: some deliveries failed again (the record says which).
        StorageError: the record cannot be written.
    """
    _check_calendar(meeting, caldav)
    missing = missing_deliveries(meeting, email=smtp is not None, caldav=caldav is not None)
    if not missing and out is None:
        channels = [c for c, given in [("e-mail", smtp), ("CalDAV", caldav)] if given]
        where = f" by {' or '.join(channels)}" if channels else ""
        raise NothingMissingError(
            f"meeting {meeting.id}: SEQUENCE {meeting.sequence} is missing nowhere{where}; "
            "nothing to send (give --send or --publish for a channel it has not gone to)"
            if not channels
            else f"meeting {meeting.id}: SEQUENCE {meeting.sequence} has reached everyone"
            f"{where} already; nothing to send"
        )
    return _deliver(
        meeting,
        store=store,
        now=now,
        dtstamp=meeting.modified,
        out=out,
        smtp=smtp,
        caldav=caldav,
        http_client=http_client,
        ssl_context=ssl_context,
        force=force,
        resent=True,
    )


def recorded_twin(
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
) -> Meeting | None:
    """The meeting already recorded for this invite, when the same invite is asked for again
    (a run that failed halfway, run again): not cancelled, outside any series, with the same
    title, organizer, attendees (by address, in any order) and duration, starting between
    ``first`` and ``last`` (the same instant for a given start). Its missing deliveries are
    then sent (``resend``) instead of a second meeting with a new UID.

    Raises:
        MeetingError: such a meeting differs in location, description or time zone: it is
            changed with an update, not invited again.
    """
    want = sorted(p.email.lower() for p in attendees)
    for meeting in store.all():
        if (
            meeting.status == "CANCELLED"
            or meeting.series is not None
            or meeting.title != title.strip()
            or meeting.organizer.email.lower() != organizer.strip().lower()
            or meeting.duration != duration
            or not first <= meeting.start <= last
            or sorted(p.email.lower() for p in meeting.attendees) != want
        ):
            continue
        differs = [
            what
            for what, value, recorded in [
                ("location", location, meeting.location),
                ("description", description, meeting.description),
                ("time zone", timezone, meeting.timezone),
            ]
            if value is not None and value != recorded
        ]
        if differs:
            raise MeetingError(
                f"meeting {meeting.id} with this title, time and attendees is recorded already "
                f"with another {' and '.join(differs)}; change it with: somnet meeting update "
                f"{meeting.id}"
            )
        return meeting
    return None


def cancel(
    meeting: Meeting,
    *,
    store: MeetingStore,
    now: datetime,
    out: Path | None = None,
    smtp: SmtpServer | None = None,
    caldav: CaldavServer | None = None,
    http_client: httpx.Client | None = None,
    ssl_context: Any = None,
    force: bool = False,
) -> Issued:
    """Cancel a recorded meeting (``cancelled_meeting``, then ``issue``), or complete the
    cancellation of one cancelled already: its CANCEL to whoever has not had it, and the
    removal of the copy it left on a CalDAV server (cancelled without ``caldav``, or when the
    removal failed).

    Raises:
        MeetingError: it is cancelled already and nothing is missing on the channels given.
        IncompleteDeliveryError, StorageError: as ``issue``.
    """
    delivery: dict[str, Any] = {
        "store": store,
        "now": now,
        "out": out,
        "smtp": smtp,
        "caldav": caldav,
        "http_client": http_client,
        "ssl_context": ssl_context,
        "force": force,
    }
    if meeting.status == "CANCELLED":
        if not missing_deliveries(meeting, email=smtp is not None, caldav=caldav is not None):
            cancelled_meeting(meeting, now=now)  # raises: already cancelled
        return resend(meeting, **delivery)
    return issue(cancelled_meeting(meeting, now=now), "cancelled", **delivery)


def recorded_series(
    store: MeetingStore,
    *,
    title: str,
    organizer: str,
    attendees: Sequence[Person],
    periods: Sequence[tuple[date, date]],
) -> str | None:
    """The id of a series recorded already with this title, organizer and attendees and a
    meeting in one of ``periods``: the same ``series --invite`` run again (after a failure),
    which would otherwise send a second series."""
    want = sorted(p.email.lower() for p in attendees)
    for meeting in store.all():
        day = meeting.start.astimezone(UTC).date()
        if (
            meeting.series is not None
            and meeting.title == title.strip()
            and meeting.organizer.email.lower() == organizer.strip().lower()
            and sorted(p.email.lower() for p in meeting.attendees) == want
            and any(first <= day <= last for first, last in periods)
        ):
            return meeting.series
    return None


def _check_calendar(meeting: Meeting, caldav: CaldavServer | None) -> None:
    if (
        caldav is not None
        and meeting.publication is not None
        and not meeting.publication.url.startswith(caldav.collection)
    ):
        raise MeetingError(
            f"--publish {caldav.collection}: meeting {meeting.id} is published at "
            f"{meeting.publication.url}; give that calendar (or --publish alone)"
        )


class _Record:
    """The record of the version being delivered, saved after each step."""

    def __init__(self, meeting: Meeting, store: MeetingStore, now: datetime) -> None:
        self.meeting = meeting
        self.store = store
        self.stamp = now.astimezone(UTC).replace(microsecond=0)

    def save(self) -> None:
        self.store.save(self.meeting)

    def expect(
        self, channel: Literal["email", "caldav"], to: str, method: Method, via: str
    ) -> None:
        """Record that ``to`` is to be sent the version (pending) before anything goes."""
        self._set(Delivery(channel, to, self.meeting.sequence, method, "pending", via))

    def mark(
        self,
        channel: Literal["email", "caldav"],
        to: str,
        method: Method,
        via: str,
        reply: str | None = None,
    ) -> None:
        """Record that ``to`` has the version (no ``reply``) or that it failed (why)."""
        state: DeliveryState = "failed" if reply is not None else "delivered"
        self._set(
            Delivery(
                channel, to, self.meeting.sequence, method, state, via, at=self.stamp, reply=reply
            )
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
    out: Path | None,
    smtp: SmtpServer | None,
    caldav: CaldavServer | None,
    http_client: httpx.Client | None,
    ssl_context: Any,
    force: bool,
    resent: bool,
) -> Issued:
    """Record the version with what it is missing as pending, then CalDAV, e-mail and the
    files, marking each delivery as it goes (see ``issue``)."""
    from somnet.meetings.delivery import CaldavConflictError, IncompleteDeliveryError

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
    cause: DeliveryError | None = None
    # Written first, so that a file that cannot be written stops it before anything is
    # recorded or sent, but beside its place, and moved there once the rest was tried.
    staged: list[tuple[Path, Path]] = []
    try:
        for path, content in files:
            staged.append(_stage_ics(path, content))
        event_url = _event_url(meeting, caldav)
        if missing.caldav and caldav is not None:
            record.expect("caldav", event_url, method, caldav.collection)
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
                delivered.append(_caldav(record, caldav, method, http_client, force, warnings))
            except DeliveryError as exc:
                record.mark("caldav", event_url, method, caldav.collection, reply=str(exc))
                record.save()
                cause = exc
                failures.append(str(exc))
        elif (
            caldav is None
            and meeting.publication is not None
            and method == "REQUEST"
            and not any(
                d.channel == "caldav" and d.state == "delivered" and d.sequence == meeting.sequence
                for d in meeting.deliveries
            )
        ):
            warnings.append(
                f"meeting {meeting.id} is published at {meeting.publication.url}; "
                "add --publish to change it there too"
            )
        elif caldav is None and meeting.publication is not None and method == "CANCEL":
            warnings.append(
                f"meeting {meeting.id} is still published at {meeting.publication.url}; "
                "add --publish to remove it from there"
            )
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
                    record, smtp, kind, payload, people, now, ssl_context, delivered, failures
                )
                if stop is not None:
                    cause = stop
                    break
            if failures and cause is None:
                cause = DeliveryError(failures[0])
        for pending, target in staged:
            _commit_ics(pending, target)
        delivered += [f"file:{path}" for path, _ in files]
        staged = []
    finally:
        for pending, _ in staged:
            pending.unlink(missing_ok=True)
        if saved:
            record.log(delivered, resent=resent)
            record.save()
    if cause is not None:
        raise IncompleteDeliveryError(
            _incomplete(record.meeting, "; ".join(failures)),
            record.meeting,
            conflict=isinstance(cause, CaldavConflictError),
        ) from cause
    if any(p.illustrative for p in meeting.attendees):
        warnings.append(ILLUSTRATIVE_NOTE)
    return Issued(record.meeting, ics, tuple(delivered), tuple(warnings), uninvite)


def _event_url(meeting: Meeting, caldav: CaldavServer | None) -> str:
    """Where the event is (or will be) on the CalDAV server."""
    from urllib.parse import quote

    if meeting.publication is not None:
        return meeting.publication.url
    collection = caldav.collection if caldav is not None else ""
    return collection + quote(meeting.uid, safe="") + ".ics"


def _caldav(
    record: _Record,
    caldav: CaldavServer,
    method: Method,
    http_client: httpx.Client | None,
    force: bool,
    warnings: list[str],
) -> str:
    """Put the version on the CalDAV server, or remove the event of a cancelled meeting;
    mark it in the record. Returns what was delivered."""
    from somnet.meetings.delivery import caldav_delete, caldav_put

    meeting = record.meeting
    publication = meeting.publication
    if method == "CANCEL":
        assert publication is not None
        gone, notes = caldav_delete(
            caldav, publication, uid=meeting.uid, client=http_client, force=force
        )
        warnings += notes
        if not gone:
            warnings.append(f"{publication.url} was already gone from the CalDAV server")
        record.publish(None)
        record.mark("caldav", publication.url, method, caldav.collection)
        record.save()
        return f"caldav:DELETE {publication.url}"
    stored_copy = calendar_bytes(meeting, method=None, now=meeting.modified)
    published = caldav_put(
        caldav, meeting.uid, stored_copy, previous=publication, client=http_client, force=force
    )
    warnings += published.notes
    record.publish(published.publication)
    record.mark("caldav", published.publication.url, method, caldav.collection)
    record.save()
    return f"caldav:PUT {published.publication.url}"


_Kind = Literal["REQUEST", "CANCEL", "uninvite"]


def _email(
    record: _Record,
    smtp: SmtpServer,
    kind: _Kind,
    content: bytes,
    people: Sequence[Person],
    now: datetime,
    ssl_context: Any,
    delivered: list[str],
    failures: list[str],
) -> DeliveryError | None:
    """E-mail ``content`` to ``people``, marking each in the record as the server answers.

    Returns:
        The failure that stopped it before every message was sent, or None.
    """
    from somnet.meetings.delivery import send_imip

    method: Method = "REQUEST" if kind == "REQUEST" else "CANCEL"
    uninvite = kind == "uninvite"
    version = record.meeting
    if uninvite:
        version = attrs.evolve(version, attendees=version.uninvited)

    def progress(sent: Sequence[str], refused: Mapping[str, str]) -> None:
        for address in sent:
            record.mark("email", address, method, smtp.address)
        for address, reply in refused.items():
            record.mark("email", address, method, smtp.address, reply=reply)
        record.save()

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
    if result.sent:
        verb = "uninvited" if uninvite else "to"
        delivered.append(f"smtp:{smtp.address} {verb} {', '.join(result.sent)}")
    if result.refused:
        failures.append(
            f"SMTP server {smtp.address} refused "
            + ", ".join(f"{address} ({reply})" for address, reply in result.refused.items())
        )
    if result.error is not None:
        for address in result.unsent:
            record.mark("email", address, method, smtp.address, reply=str(result.error))
        record.save()
        failures.append(str(result.error))
    return result.error


def _incomplete(meeting: Meeting, cause: str) -> str:
    """The one line that says what failed, who has the version and who has not, and that
    it is recorded."""
    current = [d for d in meeting.deliveries if d.sequence == meeting.sequence]
    got = [d for d in current if d.state == "delivered"]
    not_yet = [d for d in current if d.state != "delivered"]
    uninvited = {p.email.lower() for p in meeting.uninvited}
    cancel = meeting.status == "CANCELLED"

    def emails(items: Sequence[Delivery], uninvites: bool) -> list[str]:
        return [
            d.to
            for d in items
            if d.channel == "email"
            and (d.method == "CANCEL" and not cancel and d.to.lower() in uninvited) == uninvites
        ]

    parts = [cause]
    said = []
    if any(d.channel == "caldav" for d in got):
        said.append("removed from CalDAV" if cancel else "published on CalDAV")
    for uninvites, label in [(False, "delivered by e-mail to"), (True, "uninvited by e-mail")]:
        if emails(got, uninvites):
            said.append(f"{label} {', '.join(emails(got, uninvites))}")
    parts += said or ["nothing was delivered"]
    missing = ["CalDAV"] if any(d.channel == "caldav" for d in not_yet) else []
    for uninvites, label in [(False, "e-mail to"), (True, "uninvite to")]:
        if emails(not_yet, uninvites):
            missing.append(f"{label} {', '.join(emails(not_yet, uninvites))}")
    if missing:
        parts.append(f"not delivered: {', '.join(missing)}")
    parts.append(
        f"meeting {meeting.id} is recorded (UID {meeting.uid}, SEQUENCE {meeting.sequence})"
    )
    return "; ".join(parts)


def series_file(folder: Path, meeting: Meeting, method: Method) -> Path:
    """The file of one occurrence in ``--out DIR``: named by its UTC date (the occurrences of
    a series fall in different periods, so on different dates), ``-cancel`` added for a
    CANCEL so that it does not replace the invite."""
    suffix = "-cancel" if method == "CANCEL" else ""
    return Path(folder) / f"{meeting.start:%Y-%m-%d}{suffix}.ics"


def issue_series(
    meetings: Sequence[Meeting],
    action: Literal["created", "cancelled"],
    *,
    store: MeetingStore,
    now: datetime,
    out_dir: Path | None = None,
    smtp: SmtpServer | None = None,
    caldav: CaldavServer | None = None,
    http_client: httpx.Client | None = None,
    ssl_context: Any = None,
    force: bool = False,
    recorded: Collection[str] = (),
) -> list[Issued]:
    """Issue the meetings of a series one after the other (``issue`` for each, or
    ``resend`` for those whose id is in ``recorded``: versions recorded by an earlier run
    that did not reach everyone).

    Each occurrence is a meeting of its own: its file in ``out_dir`` (``series_file``), its
    messages, its CalDAV event and its record. When the delivery of one fails, the ones
    before it stay as they are, it stays recorded with who has it and who has not, and those
    after it are neither recorded nor sent.

    Raises:
        MeetingError: ``out_dir`` is not a folder that can be written (nothing sent).
        DeliveryError: the delivery of one occurrence failed; the message names the
            occurrences sent, the one recorded but not delivered to all, and those not sent.
        StorageError: as DeliveryError, when a record cannot be written.
    """
    from somnet.meetings.delivery import IncompleteDeliveryError

    if out_dir is not None:
        check_folder(out_dir)
    method: Method = "CANCEL" if action == "cancelled" else "REQUEST"
    done: list[Issued] = []
    for index, meeting in enumerate(meetings):
        path = series_file(out_dir, meeting, method) if out_dir is not None else None
        delivery: dict[str, Any] = {
            "store": store,
            "now": now,
            "out": path,
            "smtp": smtp,
            "caldav": caldav,
            "http_client": http_client,
            "ssl_context": ssl_context,
            "force": force,
        }
        try:
            if meeting.id in recorded:
                done.append(resend(meeting, **delivery))
            else:
                done.append(issue(meeting, action, **delivery))
        except SomnetError as exc:
            half = isinstance(exc, IncompleteDeliveryError)
            if (index == 0 and not half) or not isinstance(
                exc, DeliveryError | StorageError | MeetingError
            ):
                raise
            verb = "cancelled" if action == "cancelled" else "sent"
            sent = ", ".join(f"{i.meeting.start:%Y-%m-%d} ({i.meeting.id})" for i in done) or "none"
            later = meetings[index + 1 :] if half else meetings[index:]
            missed = ", ".join(f"{m.start:%Y-%m-%d}" for m in later) or "none"
            partly = (
                f"recorded, not {verb} to all: {meeting.start:%Y-%m-%d} ({meeting.id}); "
                if half
                else ""
            )
            # Running the same command again would send a second series; --resume sends the
            # rest under this one. A series cancel completes what is cancelled already.
            then = (
                "run the same command again to cancel the rest"
                if action == "cancelled"
                else f"to send the rest, run the same command with --resume {meeting.series}"
            )
            progress = (
                f" (occurrence {index + 1} of {len(meetings)}; {verb} and recorded: {sent}; "
                f"{partly}not {verb}: {missed}; {then})"
            )
            raise _with_progress(exc, progress) from exc
    return done


def _with_progress(exc: SomnetError, progress: str) -> SomnetError:
    """``exc`` with ``progress`` added to its message: an error of the same class when its
    constructor takes one message, else of the nearest class that does and has the same exit
    code (NoSlotError takes a summary and reasons, DirectoryError a list of problems)."""
    from somnet.meetings.delivery import IncompleteDeliveryError

    message = f"{exc}{progress}"
    kind = type(exc)
    if isinstance(exc, IncompleteDeliveryError):
        return IncompleteDeliveryError(message, exc.meeting, conflict=exc.conflict)
    if kind.__init__ is SomnetError.__init__:
        return kind(message)
    if isinstance(exc, StorageError):
        return StorageError(message)
    if exc.exit_code == MeetingError.exit_code:
        return MeetingError(message)
    return DeliveryError(message)


def sent_periods(
    recorded: Sequence[Meeting],
    *,
    title: str,
    organizer: str,
    attendees: Sequence[Person],
    periods: Sequence[tuple[date, date]],
) -> set[int]:
    """For ``series --invite --resume``: which periods of a series already have their meeting.

    Args:
        recorded: the meetings recorded with the series' id (``MeetingStore.series``).
        title, organizer, attendees: the series as asked for now; they must be those of the
            recorded meetings, or it is another series.
        periods: the first and last UTC dates of each period of the plan.

    Returns:
        The indices (in ``periods``) of the periods a recorded meeting starts in.

    Raises:
        MeetingError: the recorded meetings are not this series (another title, organizer or
            attendees, or a meeting outside every period).
    """
    series = recorded[0].series if recorded else "?"
    want = sorted(p.email.lower() for p in attendees)
    done: set[int] = set()
    for meeting in recorded:
        differs = [
            what
            for what, same in [
                ("title", meeting.title == title.strip()),
                ("organizer", meeting.organizer.email.lower() == organizer.strip().lower()),
                ("attendees", sorted(p.email.lower() for p in meeting.attendees) == want),
            ]
            if not same
        ]
        if differs:
            raise MeetingError(
                f"--resume {series}: its meeting {meeting.id} has another "
                f"{' and '.join(differs)}; give the options the series was sent with"
            )
        day = meeting.start.astimezone(UTC).date()
        found = [i for i, (first, last) in enumerate(periods) if first <= day <= last]
        if not found:
            raise MeetingError(
                f"--resume {series}: its meeting {meeting.id} on {day} is in none of the "
                "periods planned; give the options the series was sent with"
            )
        done.add(found[0])
    return done


def check_folder(folder: Path) -> None:
    """Refuse an ``--out DIR`` for a series that is not a folder that can be written. It is
    created when missing, but not its parent: a mistyped path is not created.

    Raises:
        MeetingError: naming the folder and why.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise MeetingError(f"--out {folder}: is a file; a series needs a folder (one .ics each)")
    if not folder.exists():
        _check_parent(folder, folder.parent)
        try:
            folder.mkdir()
        except OSError as exc:
            raise MeetingError(f"--out {folder}: cannot create: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise MeetingError(f"--out {folder}: cannot write: permission denied")


#: An .ics file is meant to be shared: readable by all, like the published directory.
ICS_MODE = 0o644

#: What ``stat`` calls the files an .ics is never written over.
_NOT_REGULAR = {
    "S_ISFIFO": "a named pipe (FIFO)",
    "S_ISCHR": "a character device",
    "S_ISBLK": "a block device",
    "S_ISSOCK": "a socket",
}


def out_target(path: Path) -> Path:
    """The file that writing ``--out PATH`` replaces: PATH itself when it is a regular file
    or does not exist yet (its folder must exist: a mistyped folder is not created), or the
    regular file a symbolic link at PATH leads to (the link stays, the file is replaced).

    Raises:
        MeetingError: PATH is a folder, a device, a named pipe, a socket, a link to one of
            them or to nothing, or its folder is missing or cannot be written.
    """
    import stat

    path = Path(path)
    try:
        info: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise MeetingError(f"--out {path}: cannot write: {exc.strerror or exc}") from None
    target = path
    if info is not None and stat.S_ISLNK(info.st_mode):
        target = Path(os.path.realpath(path))
        try:
            info = os.stat(target)
        except OSError:
            raise MeetingError(
                f"--out {path}: links to {target}, which does not exist; name the file itself"
            ) from None
        what = _file_kind(info)
        if what is not None and not stat.S_ISDIR(info.st_mode):
            raise MeetingError(f"--out {path}: links to {target}, {what}, not a regular file")
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise MeetingError(f"--out {path}: is a directory; name a file such as meeting.ics")
    what = _file_kind(info) if info is not None else None
    if what is not None:
        raise MeetingError(
            f"--out {path}: is {what}, not a regular file; name a regular file or a new one"
        )
    _check_parent(path, target.parent)
    return target


def _file_kind(info: os.stat_result) -> str | None:
    """What a file that is neither regular nor a folder is (None for those two)."""
    import stat

    return next(
        (what for test, what in _NOT_REGULAR.items() if getattr(stat, test)(info.st_mode)),
        None,
    )


def _check_parent(path: Path, parent: Path) -> None:
    if not parent.exists():
        raise MeetingError(f"--out {path}: the folder {parent} does not exist")
    if not parent.is_dir():
        raise MeetingError(f"--out {path}: cannot write: {parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise MeetingError(f"--out {path}: cannot write: permission denied in {parent}")


def check_writable(path: Path) -> None:
    """Refuse an --out path that cannot be written, before anything is sent (see
    ``out_target``).

    Raises:
        MeetingError: naming the path and why.
    """
    out_target(path)


def write_ics(path: Path, ics: bytes) -> None:
    """Write an .ics file atomically, readable by all (``ICS_MODE``), through a link to a
    regular file (see ``out_target``).

    Raises:
        MeetingError: the file cannot be written (the user named it: bad input).
    """
    _commit_ics(*_stage_ics(path, ics))


def _stage_ics(path: Path, ics: bytes) -> tuple[Path, Path]:
    """Write ``ics`` whole to a hidden file beside the file ``path`` names, for
    ``_commit_ics`` to move there (or for the caller to remove).

    Returns:
        The hidden file, and the file it is to replace.
    """
    from somnet._files import write_atomic

    path = Path(path)
    target = out_target(path)
    pending = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.pending")
    try:
        write_atomic(pending, ics, mode=ICS_MODE)
    except StorageError as exc:
        raise MeetingError(f"--out {path}: {str(exc).removeprefix(f'{pending}: ')}") from exc
    return pending, target


def _commit_ics(pending: Path, path: Path) -> None:
    try:
        os.replace(pending, path)
    except OSError as exc:
        pending.unlink(missing_ok=True)
        raise MeetingError(f"--out {path}: cannot write: {exc.strerror or exc}") from exc
