"""The record of meetings: what was sent to whom, so that updates and cancellations carry the
same UID and a higher SEQUENCE, and CalDAV updates the copy it published (by its ETag).

One JSON file a meeting, ``<id>.json``, in the store folder (``--store DIR``; by default
``meetings/`` in somnet's data home). Files are replaced whole and atomically. A version of a
meeting is recorded *before* it is delivered, with one ``Delivery`` per attendee and channel,
each marked as it goes out: so a run that fails halfway leaves a record of who has the
version and who has not, and the next run delivers only what is missing, under the same UID
and SEQUENCE.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

import attrs

from somnet._exceptions import MeetingError, StorageError
from somnet.meetings.planning import shown

#: Bumped when the record's shape changes in a way old versions cannot read.
#: 2 added ``series`` (the meetings of one ``meeting series --invite`` share it); 3 added
#: ``deliveries`` and ``uninvited``, and a publication whose server gives no ETag.
RECORD_VERSION = 3
#: The versions this one reads: each is the next one without what it added.
READABLE_VERSIONS = (1, 2, 3)

Status = Literal["CONFIRMED", "CANCELLED"]
Method = Literal["REQUEST", "CANCEL"]
DeliveryState = Literal["pending", "delivered", "failed"]


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
    """

    email: str
    name: str
    contact: str | None = None
    state: str | None = None
    timezone: str | None = None
    illustrative: bool = False


@attrs.frozen
class Publication:
    """Where the event sits on a CalDAV server, and the ETag of the copy we put there (None
    when the server gives none: the event is then known by its UID)."""

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
        state: ``pending`` (recorded, not yet tried), ``delivered`` or ``failed``.
        via: the SMTP server (``host:port``) or the calendar collection.
        at: when it was delivered or last tried.
        reply: why it failed: the server's answer.
    """

    channel: Literal["email", "caldav"]
    to: str
    sequence: int
    method: Method
    state: DeliveryState
    via: str
    at: datetime | None = None
    reply: str | None = None


@attrs.frozen
class Change:
    """One entry of a meeting's history: what was issued (or delivered again), when, and
    where it went."""

    at: datetime
    action: Literal["created", "updated", "cancelled", "resent"]
    sequence: int
    delivered: tuple[str, ...] = ()


@attrs.frozen
class Meeting:
    """A meeting as it was last issued.

    Attributes:
        id: short, for people (``somnet meeting show 3f2a9c1e``).
        uid: the iCalendar UID, never changes.
        start: UTC.
        duration: minutes.
        timezone: the zone DTSTART and DTEND are written in.
        sequence: the iCalendar SEQUENCE of the last issued version.
        created: when it was first issued (UTC).
        modified: when it was last issued (UTC).
        series: the id shared by the meetings of one series (each occurrence is a meeting of
            its own, with its own UID), or None.
        deliveries: what became of the current version, per attendee and channel.
        uninvited: the attendees the current version took off the meeting (they are sent a
            CANCEL naming only them).
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

    @property
    def end(self) -> datetime:
        """When it ends: ``start`` plus ``duration`` minutes (UTC)."""
        return self.start + timedelta(minutes=self.duration)

    @property
    def undelivered(self) -> tuple[Delivery, ...]:
        """The deliveries of the current version that were recorded and have not gone out."""
        return tuple(d for d in self.deliveries if d.state != "delivered")


# JSON ------------------------------------------------------------------------------------------


@cache
def _converter() -> Any:
    """The one converter for records: made on first use (cattrs is imported then), kept."""
    import cattrs

    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_unstructure_hook(datetime, _instant_text)
    converter.register_structure_hook(datetime, lambda value, _: _instant(value))
    return converter


def _instant_text(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _instant(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"expected a UTC time like 2026-12-03T15:00:00Z, got {value!r}")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no zone")
    return parsed.astimezone(UTC)


def meeting_to_json(meeting: Meeting) -> dict[str, Any]:
    """The record as plain JSON data (times as UTC ``...Z`` text)."""
    value: dict[str, Any] = _converter().unstructure(meeting)
    value["end"] = _instant_text(meeting.end)
    return {"record_version": RECORD_VERSION, **value}


def meeting_from_json(value: Any) -> Meeting:
    """Read a record written by ``meeting_to_json``.

    Raises:
        ValueError: the data is not a meeting record this version can read.
    """
    import cattrs

    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    fields = dict(value)
    version = fields.pop("record_version", None)
    if version not in READABLE_VERSIONS:
        raise ValueError(
            f"record_version {version!r} is not one of "
            f"{', '.join(map(str, READABLE_VERSIONS))} (a newer somnet wrote it?)"
        )
    fields.pop("end", None)
    try:
        meeting: Meeting = _converter().structure(fields, Meeting)
    except (cattrs.BaseValidationError, ValueError, TypeError) as exc:
        messages = (
            cattrs.transform_error(exc)
            if isinstance(exc, cattrs.BaseValidationError)
            else [str(exc)]
        )
        raise ValueError("; ".join(messages)) from exc
    return meeting


# The store -------------------------------------------------------------------------------------


class MeetingStore:
    """The meetings recorded in one folder.

    Args:
        root: the folder; created on the first save.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, meeting_id: str) -> Path:
        """The record file of the meeting ``meeting_id`` (whether it exists or not)."""
        return self.root / f"{meeting_id}.json"

    def new_id(self, uid: str, *, taken: Collection[str] = ()) -> str:
        """A short id for a new meeting: the first hex digits of its UID, longer on a clash
        with a recorded meeting or one of ``taken`` (ids given out but not yet recorded).

        Raises:
            MeetingError: every length clashes (a meeting with this UID is recorded).
        """
        found = _short_id(uid, "meeting", lambda c: c not in taken and not self.path(c).exists())
        if found is None:
            raise MeetingError(f"a meeting with UID {uid!r} is already recorded in {self.root}")
        return found

    def save(self, meeting: Meeting) -> Path:
        """Write the record, all or nothing.

        Raises:
            StorageError: the folder or file cannot be written.
        """
        from somnet._files import write_atomic

        text = json.dumps(meeting_to_json(meeting), ensure_ascii=False, indent=2) + "\n"
        path = self.path(meeting.id)
        write_atomic(path, text.encode("utf-8"))
        return path

    def get(self, reference: str) -> Meeting:
        """The meeting with this id, a unique beginning of an id, or its UID.

        Raises:
            MeetingError: no such meeting, or the beginning matches several.
            StorageError: its record cannot be read.
        """
        reference = reference.strip()
        if reference and "/" not in reference and _is_file(self.path(reference)):
            return self._read(self.path(reference))
        ids = self.ids()
        matches = [i for i in ids if reference and i.startswith(reference.lower())]
        if len(matches) == 1:
            return self._read(self.path(matches[0]))
        if len(matches) > 1:
            raise MeetingError(
                f"meeting id {shown(reference)} is ambiguous: {', '.join(matches[:5])}; give more "
                "of it"
            )
        for meeting in self.all():
            if meeting.uid == reference:
                return meeting
        self.check()  # a folder that is no meeting store is named as such
        raise MeetingError(
            f"no meeting with id {shown(reference)} in {self.root} (see: somnet meeting list)"
        )

    def ids(self) -> list[str]:
        """The ids of the recorded meetings, sorted (none when the folder is not there)."""
        if not self.root.is_dir():
            return []
        return sorted(p.stem for p in self.root.glob("*.json") if not p.name.startswith("."))

    def all(self) -> list[Meeting]:
        """Every recorded meeting that can be read, by start time (``scan`` also says which
        records cannot be read)."""
        return self.scan()[0]

    def scan(self) -> tuple[list[Meeting], list[StorageError]]:
        """Every recorded meeting that can be read, by start time, and for each record that
        cannot, the error that names it: one broken file does not hide the others."""
        meetings: list[Meeting] = []
        problems: list[StorageError] = []
        for meeting_id in self.ids():
            try:
                meetings.append(self._read(self.path(meeting_id)))
            except StorageError as exc:
                problems.append(exc)
        return sorted(meetings, key=lambda m: (m.start, m.id)), problems

    def check(self) -> None:
        """Refuse a folder that is not a meeting store: a file, or a folder whose ``.json``
        files are none of them meeting records (a store that does not exist yet is empty).

        Raises:
            MeetingError: naming the folder and why.
        """
        if self.root.exists() and not self.root.is_dir():
            raise MeetingError(f"{self.root} is not a meeting store: it is a file, not a folder")
        ids = self.ids()
        if ids and not self.scan()[0]:
            raise MeetingError(
                f"{self.root} is not a meeting store: none of its {len(ids)} .json files is a "
                "meeting record"
            )

    def series(self, series_id: str) -> list[Meeting]:
        """The meetings of a series, by start time.

        Raises:
            MeetingError: no meeting belongs to a series with this id.
        """
        series_id = series_id.strip().lower()
        meetings = [m for m in self.all() if m.series is not None and m.series == series_id]
        if not meetings:
            raise MeetingError(
                f"no series with id {shown(series_id)} in {self.root} (see: somnet meeting list)"
            )
        return meetings

    def new_series_id(self, uid: str) -> str:
        """A short id for a new series: the first hex digits of ``uid``, longer on a clash.

        Raises:
            MeetingError: every length clashes (a series with this id is recorded).
        """
        taken = {m.series for m in self.all() if m.series}
        found = _short_id(uid, "series", lambda c: c not in taken)
        if found is None:
            raise MeetingError(
                f"a series with id {_hex_digits(uid, 'series')!r} is already recorded in "
                f"{self.root}"
            )
        return found

    def _read(self, path: Path) -> Meeting:
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise StorageError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise StorageError(f"{path}: not a meeting record (broken JSON: {exc})") from exc
        try:
            return meeting_from_json(value)
        except ValueError as exc:
            raise StorageError(f"{path}: not a meeting record ({exc})") from exc


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False for a name the system cannot hold (too long)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _hex_digits(uid: str, fallback: str) -> str:
    return "".join(c for c in uid.lower() if c in "0123456789abcdef") or fallback


def _short_id(uid: str, fallback: str, free: Callable[[str], bool]) -> str | None:
    """The first 8, 12 or 16 hex digits of ``uid``, or all of them, whichever is ``free``
    first (``fallback`` when it has none); None when none is."""
    digits = _hex_digits(uid, fallback)
    return next((digits[:n] for n in (8, 12, 16, len(digits)) if free(digits[:n])), None)
