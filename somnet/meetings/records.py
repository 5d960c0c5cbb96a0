"""A meeting as it is recorded: its attendees, times, iCalendar UID and SEQUENCE, where it is
published, what became of each delivery of its current version, its history; and the JSON a
record is written as (``record_version`` 3), read back through the one converter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

import attrs

from somnet._i18n import Message, _, joined_messages

#: The version of the record's shape, written in every record; only this one is read.
RECORD_VERSION = 3

Status = Literal["CONFIRMED", "CANCELLED"]
Method = Literal["REQUEST", "CANCEL"]
DeliveryState = Literal["pending", "delivered", "failed", "unconfirmed"]


@attrs.frozen
class Person:
    """An organizer or attendee as the invite names them.

    Attributes:
        email: the bare address (``mailto:`` is added in the invite).
        name: the common name (CN).
        contact: the directory contact id, when from the directory.
        state: the state they represent.
        timezone: their IANA zone (for the times shown to them).
        illustrative: a made-up contact shipped as an example.
        languages: the languages they read (BCP 47, from the directory): the invite's text is
            written in each that somnet speaks, and in English.
    """

    email: str
    name: str
    contact: str | None = None
    state: str | None = None
    timezone: str | None = None
    illustrative: bool = False
    languages: tuple[str, ...] = ()


@attrs.frozen
class Publication:
    """Where the event sits on a CalDAV server, and the ETag of the copy we put there (None
    when the server gives none: the event is then known by its UID).

    Attributes:
        url: the event's URL.
        etag: its ETag, or None.
    """

    url: str
    etag: str | None


@attrs.frozen
class Delivery:
    """What became of the current version of a meeting for one recipient on one channel.

    Attributes:
        channel: ``email`` (iMIP) or ``caldav``.
        to: the attendee's address, or the URL of the event on the CalDAV server.
        sequence: the SEQUENCE of the version.
        method: ``REQUEST``, or ``CANCEL`` (the meeting cancelled, or this attendee uninvited).
        state: ``pending`` (recorded, not yet tried), ``delivered``, ``failed``, or
            ``unconfirmed`` (it went whole to the SMTP server, which gave no answer: it may
            have been delivered; a resend sends it again).
        via: the SMTP server (``host:port``) or the calendar collection.
        at: when it was delivered or last tried.
        reply: why it failed: the server's answer.
        digest: for a CalDAV PUT left ``unconfirmed`` or ``pending`` (a run killed before
            it recorded the answer), the SHA-256 of the events it sent: an event found there
            with this digest is the one somnet put, not a change made on the server. Such a
            PUT is kept in the record by the versions issued after it until the calendar is
            given one of them, as the server may hold its event.
    """

    channel: Literal["email", "caldav"]
    to: str
    sequence: int
    method: Method
    state: DeliveryState
    via: str
    at: datetime | None = None
    reply: str | None = None
    digest: str | None = None


@attrs.frozen
class Change:
    """One entry of a meeting's history: what was issued (or delivered again), when, and
    where it went.

    Attributes:
        at: when (UTC).
        action: ``created``, ``updated``, ``cancelled`` or ``resent``.
        sequence: the SEQUENCE issued.
        delivered: what went where (``smtp:host:port to ...``, ``file:PATH``, ...).
    """

    at: datetime
    action: Literal["created", "updated", "cancelled", "resent"]
    sequence: int
    delivered: tuple[str, ...] = ()


@attrs.frozen
class Asked:
    """What the invite that created a meeting asked for: by this, the same invite asked
    again once an update changed the meeting (its title, time, attendees...) is known as
    the meeting it made, not taken for another one.

    Attributes:
        title: the title.
        start: the start it was given (UTC).
        duration: minutes.
        attendees: the attendees' addresses, in lower case, sorted.
        location: LOCATION, if any.
        description: DESCRIPTION, if any.
        timezone: the zone of the invite's times.
    """

    title: str
    start: datetime
    duration: int
    attendees: tuple[str, ...]
    location: str | None = None
    description: str | None = None
    timezone: str | None = None


@attrs.frozen
class Meeting:
    """A meeting as it was last issued.

    Attributes:
        id: short, for people (``somnet meeting show 3f2a9c1e``).
        uid: the iCalendar UID, never changes.
        title: the SUMMARY.
        start: UTC.
        duration: minutes.
        timezone: the zone DTSTART and DTEND are written in.
        organizer: who invites.
        attendees: who is invited.
        sequence: the iCalendar SEQUENCE of the last issued version.
        status: ``CONFIRMED`` or ``CANCELLED``.
        created: when it was first issued (UTC).
        modified: when it was last issued (UTC).
        location: LOCATION, if any.
        description: the organizer's DESCRIPTION, if any.
        publication: where it is published on a CalDAV server, if it is.
        history: every version issued, and every resend.
        series: the id shared by the meetings of one series (each occurrence is a meeting of
            its own, with its own UID), or None.
        deliveries: what became of the current version, per attendee and channel; and a
            CalDAV PUT of an earlier version left unconfirmed, until the calendar holds a
            later one.
        uninvited: the attendees the current version took off the meeting (they are sent a
            CANCEL naming only them).
        asked: what the invite (or the series' invite) that created it asked for (None in
            records written before it was kept).
        missed: the addresses (lower case) an e-mailed invitation of the meeting (any
            version) did not reach in a run: the server refused it, or the run ended without
            sending it (a CalDAV failure stopped it). One left pending by a run that was
            killed may have gone, and is not missed.
        reached: the addresses an e-mailed invitation reached, or may have (unconfirmed, or
            left pending by a run killed once the calendar held the version).
            A removal (the meeting cancelled, or someone uninvited) is not e-mailed to an
            address ``missed`` and not ``reached``: no invitation of it reached them.
    """

    id: str
    uid: str
    title: str
    start: datetime
    duration: int
    timezone: str
    organizer: Person
    attendees: tuple[Person, ...]
    sequence: int
    status: Status
    created: datetime
    modified: datetime
    location: str | None = None
    description: str | None = None
    publication: Publication | None = None
    history: tuple[Change, ...] = ()
    series: str | None = None
    deliveries: tuple[Delivery, ...] = ()
    uninvited: tuple[Person, ...] = ()
    asked: Asked | None = None
    missed: tuple[str, ...] = ()
    reached: tuple[str, ...] = ()

    @property
    def never_reached(self) -> frozenset[str]:
        """The addresses (lower case) an e-mailed invitation of the meeting did not reach,
        and none reached since: they are sent no removal."""
        return frozenset(self.missed) - frozenset(self.reached)

    @property
    def end(self) -> datetime:
        """When it ends: ``start`` plus ``duration`` minutes (UTC)."""
        return self.start + timedelta(minutes=self.duration)

    def local_times(self) -> list[tuple[Person, datetime, datetime]]:
        """The meeting on each attendee's clock (the meeting's zone when theirs is unknown).

        Returns:
            (attendee, local start, local end) for each attendee.
        """
        from zoneinfo import ZoneInfo

        rows = []
        for person in self.attendees:
            zone = ZoneInfo(person.timezone or self.timezone)
            rows.append((person, self.start.astimezone(zone), self.end.astimezone(zone)))
        return rows

    @property
    def undelivered(self) -> tuple[Delivery, ...]:
        """The deliveries of the current version that were recorded and have not gone out."""
        return tuple(
            d for d in self.deliveries if d.state != "delivered" and d.sequence == self.sequence
        )

    def to_json(self) -> dict[str, Any]:
        """The record as it is written, and shown in JSON by the command line: its
        ``record_version``, every field (times as UTC ``...Z`` text), then its ``end``.

        Returns:
            JSON data.
        """
        from somnet._convert import converter
        from somnet._time import utc_text

        fields: dict[str, Any] = converter().unstructure(self)
        return {"record_version": RECORD_VERSION, **fields, "end": utc_text(self.end)}


class RecordFaults(ValueError):
    """What is wrong in a record's data (``meeting_from_json``): the message locates each
    fault (``... @ $.sequence; ...``); ``fields`` lists those places.

    Attributes:
        fields: where the faults are, as ``$.path.to.field``.
    """

    def __init__(self, message: str, fields: Sequence[str]) -> None:
        super().__init__(message)
        self.fields = tuple(fields)


def meeting_from_json(value: Any) -> Meeting:
    """Read a record written by ``Meeting.to_json``.

    Args:
        value: the JSON data.

    Returns:
        The meeting.

    Raises:
        RecordFaults: the data is not a meeting record of this version, each fault located
            (``... @ $.attendees[1].email``); a ``ValueError``.
    """
    import cattrs

    from somnet._convert import converter, refusal

    if not isinstance(value, dict):
        raise RecordFaults(_("not a JSON object"), ["$"])
    fields = dict(value)
    version = fields.pop("record_version", None)
    if version != RECORD_VERSION:
        raise RecordFaults(
            _("record_version {repr} is not {record_version} (a newer somnet wrote it?)").format(
                repr=repr(version), record_version=RECORD_VERSION
            ),
            ["$.record_version"],
        )
    # Derived from start and duration; one that says otherwise (edited to move the meeting)
    # would be ignored without a word, so it is refused below.
    end = fields.pop("end", None)
    # cattrs joins each message to its path as text, in its own English words: it is given
    # the place of somnet's message in ``said`` instead, and the message taken back.
    said: list[str] = []

    def formatted(exc: BaseException, type_: Any) -> str:
        said.append(refusal(exc, type_))
        return f"\x00{len(said) - 1}"

    try:
        meeting: Meeting = converter().structure(fields, Meeting)
    except cattrs.BaseValidationError as exc:
        faults = []
        places = []
        for text in cattrs.transform_error(exc, "$", formatted):
            token, _at, where = text.rpartition(" @ ")
            fault = said[int(token[1:])] if token.startswith("\x00") else token
            faults.append(joined_messages([fault, where], " @ "))
            places.append(where)
        raise RecordFaults(joined_messages(faults, _("; ")), places) from exc
    unknown = [*_out_of_range(meeting), *_sequence_back(meeting), *_unknown_zones(meeting)]
    if not unknown:
        # Only for a start and duration in range: their end is then a time.
        unknown = _end_not_derived(meeting, end)
    if unknown:
        raise RecordFaults(
            joined_messages([joined_messages(pair, " @ ") for pair in unknown], _("; ")),
            [where for _fault, where in unknown],
        )
    return meeting


def _out_of_range(meeting: Meeting) -> list[tuple[str, str]]:
    """The start and duration of a record that no command could have written (edited by
    hand, damaged): a year outside those somnet reads, a duration outside 1 minute to 24
    hours; every command that shows the meeting would fail on them. Each is located as the
    converter locates a fault."""
    from somnet._time import MAX_YEAR, MIN_YEAR

    found: list[tuple[str, str]] = []
    times = [("$", meeting.start, meeting.duration)]
    if meeting.asked is not None:
        times.append(("$.asked", meeting.asked.start, meeting.asked.duration))
    for where, start, duration in times:
        if not MIN_YEAR <= start.year <= MAX_YEAR:
            message = _("{value} is outside the years {min_year}-{max_year}").format(
                value=start.isoformat(), min_year=MIN_YEAR, max_year=MAX_YEAR
            )
            found.append((message, f"{where}.start"))
        if not 0 < duration <= 24 * 60:
            message = _("{duration} minutes is not between 1m and 24h").format(duration=duration)
            found.append((message, f"{where}.duration"))
    return found


def _sequence_back(meeting: Meeting) -> list[tuple[str, str]]:
    """The SEQUENCE numbers of a record that no command could have written (edited by hand,
    damaged): below 0, a history that goes back, a meeting's SEQUENCE below one it issued.
    Read, such a record would issue a SEQUENCE its attendees already have for another
    version, and their calendars would ignore it. Each is located as the converter locates
    a fault."""
    found: list[tuple[str, str]] = []

    def refuse(message: Message, where: str) -> None:
        found.append((message, where))

    below = _("SEQUENCE {sequence} is below 0")
    if meeting.sequence < 0:
        refuse(below.format(sequence=meeting.sequence), "$.sequence")
    issued: list[tuple[int, str]] = []
    last = 0
    for index, change in enumerate(meeting.history):
        where = f"$.history[{index}].sequence"
        if change.sequence < 0:
            refuse(below.format(sequence=change.sequence), where)
        elif change.sequence < last:
            refuse(
                _("SEQUENCE {sequence} goes back from {last}, issued before it").format(
                    sequence=change.sequence, last=last
                ),
                where,
            )
        last = max(last, change.sequence)
        issued.append((change.sequence, where))
    for index, delivery in enumerate(meeting.deliveries):
        where = f"$.deliveries[{index}].sequence"
        if delivery.sequence < 0:
            refuse(below.format(sequence=delivery.sequence), where)
        issued.append((delivery.sequence, where))
    highest = max(issued, default=None, key=lambda pair: pair[0])
    if meeting.sequence >= 0 and highest is not None and highest[0] > meeting.sequence:
        refuse(
            _(
                "SEQUENCE {sequence} is below {highest}, issued before it ({where}): a "
                "SEQUENCE never goes back"
            ).format(sequence=meeting.sequence, highest=highest[0], where=highest[1]),
            "$.sequence",
        )
    return found


def _end_not_derived(meeting: Meeting, end: object) -> list[tuple[str, str]]:
    """The ``end`` of a record that is not its start plus its duration (edited by hand): the
    meeting would keep its start and duration, and the edit be lost without a word. A record
    without one is read (it is derived)."""
    if end is None:
        return []
    from somnet._time import utc_text

    expected = utc_text(meeting.end)
    found = None
    if isinstance(end, str):
        try:
            found = datetime.fromisoformat(end)
        except ValueError:
            found = None
    if found is not None and found.tzinfo is not None and found == meeting.end:
        return []
    message = _(
        "{value} is not the start plus the duration, {expected}: change start or duration instead"
    ).format(value=repr(end), expected=expected)
    return [(message, "$.end")]


def _unknown_zones(meeting: Meeting) -> list[tuple[str, str]]:
    """The time zones of a record that this system does not know (a record written where
    the time zone database is newer, or edited by hand), each located as the converter
    locates a fault: every command that shows or sends the meeting needs them."""
    from zoneinfo import ZoneInfo

    people = [("$.organizer", meeting.organizer)]
    people += [(f"$.attendees[{i}]", p) for i, p in enumerate(meeting.attendees)]
    people += [(f"$.uninvited[{i}]", p) for i, p in enumerate(meeting.uninvited)]
    zones = [("$.timezone", meeting.timezone)]
    zones += [(f"{where}.timezone", p.timezone) for where, p in people if p.timezone is not None]
    found: list[tuple[str, str]] = []
    for where, name in zones:
        try:
            ZoneInfo(name)
        except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
            message = _("{value} is not an IANA time zone such as America/Panama")
            found.append((message.format(value=repr(name)), where))
    return found
