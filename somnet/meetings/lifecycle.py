"""Building and changing a meeting's record: a new meeting at SEQUENCE 0, a change or a
cancellation that raises the SEQUENCE under the same UID, who was added or removed, and the
attendees a list of participants makes (one per mailbox)."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs

from somnet._exceptions import MeetingError
from somnet._given import checked_kinds
from somnet._i18n import _, joined_messages, shown, shown_given
from somnet.meetings.errors import NothingChangesError
from somnet.meetings.inputs import DAY, check_whole
from somnet.meetings.participants import Participant
from somnet.meetings.records import Meeting, Method, Person


class Keep(enum.Enum):
    """The type of ``KEEP``: a value not given, kept as it is."""

    KEEP = "keep"


#: For ``changed_meeting``: the value was not given, keep it (None clears it).
KEEP = Keep.KEEP


def attendees_of(participants: Sequence[Participant]) -> tuple[Person, ...]:
    """The invite's attendees: each participant with their e-mail address. Participants who
    share one mailbox (a desk that serves two states) are one attendee, the first named: one
    ATTENDEE line and one message per address (``shared_mailboxes`` says who).

    Args:
        participants: who attends.

    Returns:
        The attendees.

    Raises:
        MeetingError: a participant without an e-mail channel (they could not be invited).
    """
    missing = [p.label for p in participants if not p.email]
    if missing:
        raise MeetingError(
            _(
                "no e-mail channel for {items}: an invite needs an address for every "
                "attendee; add one in the directory or leave them out"
            ).format(items=", ".join(missing))
        )
    return unique_people(
        [
            Person(
                email=p.email or "",
                name=p.name,
                contact=p.contact,
                state=p.state,
                timezone=p.timezone,
                illustrative=p.illustrative,
                languages=p.languages,
            )
            for p in participants
        ]
    )


def shared_mailboxes(participants: Sequence[Participant]) -> list[str]:
    """A note for each mailbox several participants share (``attendees_of`` invites it once).

    Args:
        participants: who attends.

    Returns:
        One note per shared mailbox.
    """
    by_address: dict[str, list[Participant]] = {}
    for p in participants:
        if p.email:
            by_address.setdefault(p.email.lower(), []).append(p)
    return [
        _("{items} share the mailbox {email}: invited once, as one attendee").format(
            items=joined_messages([p.label for p in sharing], _(" and ")), email=sharing[0].email
        )
        for sharing in by_address.values()
        if len(sharing) > 1
    ]


def unique_people(people: Sequence[Person]) -> tuple[Person, ...]:
    """People by address, the first of each (addresses compared without case)."""
    seen: set[str] = set()
    out = []
    for person in people:
        if person.email.lower() not in seen:
            seen.add(person.email.lower())
            out.append(person)
    return tuple(out)


@checked_kinds(MeetingError)
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

    Returns:
        The meeting, not recorded.

    Raises:
        MeetingError: naming the field: no attendees, an empty title (``title``), a bad
            address (``organizer``, or the attendee's name), an unknown zone (``timezone``),
            a bad duration (``duration``), a start without a zone, at an offset no zone
            keeps or out of the years (``start``), text an invite cannot carry: a control
            character or a byte that was not UTF-8 (``title``, ``location``,
            ``description``, ``organizer_name``).
    """
    uid = str(uid_factory())
    _check(
        title=title,
        timezone=timezone,
        duration=duration,
        start=start,
        location=location,
        description=description,
    )
    if not attendees:
        raise MeetingError(_("an invite needs at least one attendee"))
    check_address(organizer.email, field="organizer")
    _check_text(organizer.name, "organizer_name")
    for person in attendees:
        check_address(person.email, who=person.name)
    short = meeting_id(uid) if meeting_id else "".join(c for c in uid if c.isalnum())[:8].lower()
    stamp = now.astimezone(UTC).replace(microsecond=0)
    return Meeting(
        id=short,
        uid=uid,
        title=title.strip(),
        start=recordable(start),
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
    location: str | Keep | None = KEEP,
    description: str | Keep | None = KEEP,
    timezone: str | None = None,
    attendees: Sequence[Person] | None = None,
) -> Meeting:
    """The meeting with the given changes and SEQUENCE raised by one.

    Args:
        meeting: the recorded meeting.
        now: the clock (LAST-MODIFIED).
        start: the new start, or None to keep it.
        duration: the new duration, or None to keep it.
        title: the new title, or None to keep it.
        location: the new text; None or empty (blank) text clears it, ``KEEP`` (the default)
            keeps it.
        description: as ``location``.
        timezone: the new zone of the invite's times, or None to keep it.
        attendees: who attends from now on (all of them, not only those added); those no
            longer in it are uninvited when the new version is issued (``removed_attendees``).

    Returns:
        The changed meeting, not recorded.

    Raises:
        NothingChangesError: nothing would change.
        MeetingError: the meeting is cancelled, no attendee would be left, an attendee's
            address is bad, or a new value is (naming its field, as ``new_meeting``).
    """
    if meeting.status == "CANCELLED":
        raise MeetingError(
            _("meeting {id} is cancelled; invite a new one instead").format(id=meeting.id)
        )
    if attendees is not None:
        if not attendees:
            raise MeetingError(
                _("update {id}: a meeting needs at least one attendee").format(id=meeting.id)
            )
        for person in attendees:
            check_address(person.email, who=person.name)
        # Who attends, not in which order: the same people listed otherwise change nothing.
        if sorted(p.email.lower() for p in attendees) == sorted(
            p.email.lower() for p in meeting.attendees
        ):
            attendees = None
    check_zoned(start)  # before it is read, as UTC, on the machine's clock
    if duration is not None:
        check_whole(duration, field="duration")  # 60.0 would pass as no change
    from somnet._numbers import check_text

    # None keeps a value, and KEEP the location or description: anything else must be text.
    for field, given in [
        ("title", title),
        ("timezone", timezone),
        ("location", location),
        ("description", description),
    ]:
        if given is not None and not isinstance(given, Keep):
            check_text(given, field=field, error=MeetingError)
    changes: dict[str, Any] = {
        "start": recordable(start) if start is not None else None,
        "duration": duration,
        "title": title.strip() if title is not None else None,
        "timezone": timezone,
        "attendees": tuple(attendees) if attendees is not None else None,
    }
    changes = {k: v for k, v in changes.items() if v is not None and v != getattr(meeting, k)}
    for name, text in [("location", location), ("description", description)]:
        if isinstance(text, Keep):
            continue
        value = text if text and text.strip() else None
        if value != getattr(meeting, name):
            changes[name] = value
    if not changes:
        raise NothingChangesError(
            _(
                "update {id}: nothing changes; give a new start, duration, title, "
                "location, description, time zone or other attendees"
            ).format(id=meeting.id)
        )
    updated = attrs.evolve(meeting, **changes)
    _check(
        title=updated.title,
        # A zone recorded before somnet refused aliases and fixed offsets is kept as it is:
        # only a new one is checked.
        timezone=updated.timezone if "timezone" in changes else None,
        duration=updated.duration,
        start=updated.start,
        location=updated.location,
        description=updated.description,
    )
    return attrs.evolve(
        updated,
        sequence=meeting.sequence + 1,
        modified=now.astimezone(UTC).replace(microsecond=0),
    )


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

    Args:
        meeting: the recorded meeting.
        now: the clock (LAST-MODIFIED).

    Returns:
        The cancelled meeting, not recorded.

    Raises:
        MeetingError: it is already cancelled.
    """
    if meeting.status == "CANCELLED":
        raise MeetingError(_("meeting {id} is already cancelled").format(id=meeting.id))
    return attrs.evolve(
        meeting,
        status="CANCELLED",
        sequence=meeting.sequence + 1,
        modified=now.astimezone(UTC).replace(microsecond=0),
    )


def method_of(meeting: Meeting) -> Method:
    """The iTIP method of the meeting's current version: CANCEL once it is cancelled."""
    return "CANCEL" if meeting.status == "CANCELLED" else "REQUEST"


def _check(
    *,
    title: str,
    timezone: str | None,
    duration: int,
    start: datetime,
    location: str | None = None,
    description: str | None = None,
) -> None:
    check_wording(title=title, timezone=timezone, location=location, description=description)
    check_whole(duration, field="duration")
    if not 0 < duration <= DAY:
        raise MeetingError(
            _("{duration} minutes is not between 1m and 24h").format(duration=duration),
            field="duration",
            value=duration,
        )
    check_zoned(start)


def check_wording(
    *,
    title: str,
    timezone: str | None,
    location: str | None = None,
    description: str | None = None,
) -> None:
    """Refuse a meeting's title, time zone (None: the participants' to come), location or
    description that no meeting can have: checked before a meeting asked for is compared
    with those recorded, which would otherwise blame the record ("recorded already with
    another time zone") for a value that is none.

    Raises:
        MeetingError: naming the field: not text, an empty title, a control character or a
            byte that was not UTF-8, a zone that is no IANA zone.
    """
    from somnet._numbers import check_text

    # A script's None, bytes or number: refused naming it, not failing in the checks below.
    check_text(title, field="title", error=MeetingError)
    for field, optional in [
        ("timezone", timezone),
        ("location", location),
        ("description", description),
    ]:
        if optional is not None:
            check_text(optional, field=field, error=MeetingError)
    if not title.strip():
        raise MeetingError(_("a meeting needs a title"), field="title", value=title)
    for field, text in [("title", title), ("location", location), ("description", description)]:
        _check_text(text, field)
    if timezone is None:
        return
    from somnet._time import zone_refusal

    # A place's zone, as the directory's offices keep, or UTC: zoneinfo also reads the
    # machine's own zone (localtime), files of the system's zone folder that are no zone
    # (posixrules, right/...), and fixed offsets that read an hour or ten off (EST keeps UTC-5
    # in summer; Etc/GMT-5 is UTC+5).
    refusal = zone_refusal(timezone, ("place", "universal"))
    if refusal is not None:
        raise MeetingError(refusal, field="timezone", value=timezone)


def _check_text(text: str | None, field: str) -> None:
    """Refuse text an invite cannot carry: a control character other than a tab or a line
    break (RFC 5545 text holds none; a terminal would act on one when the meeting is shown),
    or a byte that was not UTF-8 (Python reads one from the command line as a lone
    surrogate, which no file or message can be written with).

    Raises:
        MeetingError: naming ``field``.
    """
    import unicodedata

    for char in text or "":
        kind = unicodedata.category(char)
        if (kind == "Cc" and char not in "\t\n\r") or kind == "Cs":
            raise MeetingError(
                _(
                    "{value} holds the character U+{code:04X}, which an invite cannot carry "
                    "(a control character, or a byte that is not UTF-8 text)"
                ).format(value=shown(text or ""), code=ord(char)),
                field=field,
                value=text,
            )


def recordable(start: datetime) -> datetime:
    """``start`` as a record holds it: in UTC, to the second (a record keeps no fraction of
    a second; a start computed in Python has one, and asked for again it must be the start
    recorded, not another)."""
    return start.astimezone(UTC).replace(microsecond=0)


def check_zoned(start: datetime | None) -> None:
    """Refuse a start without a zone: read on the machine's clock, it would be another
    instant on each machine; and one a start given as text would be refused as (``read_time``):
    an offset no time zone keeps (of seconds, or beyond -12:00 and +14:00), a year outside
    1971-9998.

    Raises:
        MeetingError: it has no UTC offset, or one no zone keeps, or its year is out of range
            (field ``start``).
    """
    if start is None:
        return
    if start.utcoffset() is None:
        raise MeetingError(_("the start needs a zone"), field="start", value=start)
    from somnet._exceptions import BadInputError
    from somnet._time import check_instant

    try:
        check_instant(start, field="start")
    except BadInputError as exc:
        raise MeetingError(exc.reason, field="start", value=start) from None


def check_given_start(value: object, *, field: str) -> None:
    """Refuse a start given to the library (a series' fixed meeting, an earliest start) that
    a meeting's start is refused as (``check_zoned``), or that is not a datetime.

    Raises:
        MeetingError: naming ``field``.
    """
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise MeetingError(
            _("give the time with its UTC offset, e.g. 2026-12-01T03:00-05:00"),
            field=field,
            value=value,
        )
    try:
        check_zoned(value)
    except MeetingError as exc:
        raise MeetingError(exc.reason, field=field, value=value) from None


def check_address(address: str, *, field: str | None = None, who: str | None = None) -> None:
    """Refuse what is not a bare e-mail address (``mailto:`` is added by the invite).

    Args:
        address: the address.
        field: the input it was given as (``organizer``), for the error.
        who: whose address it is, named in the error when there is no field (an attendee).

    Raises:
        MeetingError: naming ``field`` (or ``who``).
    """
    from somnet.directory.validation import is_email_address

    if not isinstance(address, str):  # a Person made by a script with None, or bytes
        raise MeetingError(
            _("{value} is not an e-mail address like name@example.org").format(
                value=shown_given(address)
            ),
            field=field,
            value=address,
        )
    # RFC 5321 section 4.5.3.1.3: a path holds at most 256 octets, so an address at most 254.
    # No control character either: it would go into the envelope and the headers as it is.
    if len(address) > 254 or not address.isprintable() or not is_email_address(address):
        text = (
            _("{who}: {value} is not an e-mail address like name@example.org").format(who=who)
            if who and not field
            else _("{value} is not an e-mail address like name@example.org")
        )
        raise MeetingError(
            text.format(value=shown(address)),
            field=field,
            value=address,
        )
