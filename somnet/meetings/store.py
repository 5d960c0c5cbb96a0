"""The folder where meetings are recorded: what was sent to whom, so that updates and
cancellations carry the same UID and a higher SEQUENCE, and CalDAV updates the copy it
published (by its ETag).

One JSON file a meeting, ``<id>.json`` (``Meeting.to_json``), in the store folder (by default
``meetings/`` in somnet's data home). Files are replaced whole and atomically. A version of a
meeting is recorded *before* it is delivered, with one ``Delivery`` per attendee and channel,
each marked as it goes out: so a run that fails halfway leaves a record of who has the
version and who has not, and the next run delivers only what is missing, under the same UID
and SEQUENCE. One run at a time records and sends (``MeetingStore.lock``, on ``.lock`` in the
folder), so that two runs never both send what neither has recorded as sent.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import itertools
import json
import os
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import ParamSpec, TypeVar

from somnet._exceptions import BadInputError, MeetingError, StorageError
from somnet._files import NotARegularFile, read_regular
from somnet._i18n import Message, _, _n, joined_messages, shown
from somnet.meetings.errors import NotRecordedError, RecordError
from somnet.meetings.records import Meeting, RecordFaults, meeting_from_json

#: The file in a store that one issuing run at a time holds a lock on.
LOCK_NAME = ".lock"
#: The stores whose lock a thread of this process holds: (folder, thread).
_HELD: set[tuple[Path, int]] = set()

_P = ParamSpec("_P")
_R = TypeVar("_R")


def one_run_at_a_time(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` holding its ``store``'s lock (``MeetingStore.lock``), from reading
    what is recorded to recording what was delivered: another run at the same time is
    refused instead of sending what this one is sending. Nested calls in one run (an invite
    that issues) hold it once."""

    # ``store`` is keyword-only, or the first argument (not ``inspect``: it is slow to load),
    # read off the function itself, not off a wrapper that takes ``*args`` (the check of its
    # arguments' kinds): there a store given first would run without the lock.
    inner: Callable[..., object] = function
    while hasattr(inner, "__wrapped__"):
        inner = inner.__wrapped__
    code = inner.__code__
    positional = code.co_argcount > 0 and code.co_varnames[0] == "store"

    @functools.wraps(function)
    def locked(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if "store" in kwargs:
            given = kwargs["store"]
        elif positional and args:
            given = args[0]
        else:
            return function(*args, **kwargs)  # Python names the missing argument
        with checked_store(given).lock():
            return function(*args, **kwargs)

    return locked


def checked_store(store: object) -> MeetingStore:
    """``store``, refused unless it is a :class:`MeetingStore` (a folder given in its place
    would otherwise fail deep inside, in Python's words)."""
    if not isinstance(store, MeetingStore):
        raise MeetingError(
            _("{value} is not a meeting store; give somnet.MeetingStore(folder)").format(
                value=shown(str(store))
            ),
            field="store",
            value=store,
        )
    return store


class MeetingStore:
    """The meetings recorded in one folder.

    Args:
        root: the folder, created on the first save; None for ``meetings`` in somnet's data
            home (``SOMNET_DATA_HOME``, else the user data folder). A folder refused names the
            field ``store`` when it was given; the default one names the variable that set
            it (``SOMNET_DATA_HOME``, ``XDG_DATA_HOME``), else none, the reason saying it is
            the default store.

    Raises:
        MeetingError: an empty ``root`` (field ``store``), never read as the working folder.

    Attributes:
        root: the folder.
        given: whether ``root`` was given (False: the default store).
    """

    def __init__(self, root: Path | str | None = None) -> None:
        self.given = root is not None
        if root is None:
            from somnet._config import data_home

            root = data_home() / "meetings"
        else:
            from somnet._files import refuse_empty

            refuse_empty(root, "store", MeetingError)  # never the working folder
        self.root = Path(root)
        #: True while a run goes on without the lock (a filesystem without locks).
        self.unlocked = False

    def path(self, meeting_id: str) -> Path:
        """The record file of the meeting ``meeting_id`` (whether it exists or not)."""
        return self.root / f"{meeting_id}.json"

    def new_id(self, uid: str, *, taken: Collection[str] = ()) -> str:
        """A short id for a new meeting: the first hex digits of its UID, longer on a clash
        with a recorded meeting or one of ``taken`` (ids given out but not yet recorded).

        Args:
            uid: the meeting's UID.
            taken: ids given out already.

        Returns:
            The id.

        Raises:
            MeetingError: every length clashes (a meeting with this UID is recorded).
        """
        # Whatever is there is taken: a link that leads nowhere too (the user's, not renamed over).
        found = _short_id(
            uid, "meeting", lambda c: c not in taken and not os.path.lexists(self.path(c))
        )
        if found is None:
            raise MeetingError(
                _("a meeting with UID {repr} is already recorded in {root}").format(
                    repr=repr(uid), root=self.root
                )
            )
        return found

    def save(self, meeting: Meeting) -> Path:
        """Write the record, all or nothing (a temporary file renamed over it). Save while
        holding ``lock``, as every somnet run does: taking the lock removes the temporary
        files of records, taken for those of a writer that was killed.

        Args:
            meeting: the record.

        Returns:
            Its file.

        Raises:
            StorageError: the folder or file cannot be written.
        """
        from somnet._files import write_atomic

        text = json.dumps(meeting.to_json(), ensure_ascii=False, indent=2) + "\n"
        path = self.path(meeting.id)
        write_atomic(path, text.encode("utf-8"))
        return path

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """One run at a time that records and sends from this store: two runs of the same
        invite (a cron job and a person, say) would otherwise both read a version that has
        not reached everyone yet, and both send it.

        The lock is the kernel's (``flock``) on ``.lock`` in the folder: it ends with the
        process that holds it, so a run killed with ``kill -9`` leaves nothing that blocks the
        next. The folders it had to create are removed again when nothing was recorded in them.
        The temporary file a run killed while it wrote a record left is removed on taking it.

        Raises:
            MeetingError: the store is a file, not a folder (field ``store``).
            StorageError: another run holds the store, or it cannot be locked.
        """
        from somnet._clock import utc_now
        from somnet._lock import held

        # Held already by this thread (an invite that issues, a series that resends): the same
        # run. Another thread of this process takes its own flock, which this one's refuses.
        key = (self.root.absolute(), threading.get_ident())
        if key in _HELD:
            yield
            return
        self.ids()  # a file, not a folder: refused, naming the field
        # The folders it creates (the store's, and those above it that are missing).
        created = list(
            itertools.takewhile(lambda d: not d.exists(), (self.root, *self.root.parents))
        )
        path = self.root / LOCK_NAME

        def busy(who: str) -> StorageError:
            return StorageError(
                _(
                    "{root}: another somnet command is recording and sending meetings from "
                    "this store{who}; run this one again once it has finished"
                ).format(root=self.root, who=who)
            )

        def link() -> StorageError:
            return StorageError(
                _("{folder}: cannot lock: {value}").format(
                    folder=self.root, value=os.strerror(errno.ELOOP)
                )
            )

        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                _("{folder}: cannot lock: {value}").format(
                    folder=self.root, value=exc.strerror or exc
                )
            ) from exc
        # Where the filesystem has no locks (some network shares), the run goes on: two
        # runs at once are then not kept apart, as on a system without flock.
        with held(path, since=utc_now(), busy=busy, link=link) as holding:
            _HELD.add(key)
            self.unlocked = not holding
            if holding:
                self._remove_abandoned()
            try:
                yield
            finally:
                _HELD.discard(key)
                self.unlocked = False
                # Still holding the lock: a run that took it once this one let go would
                # otherwise see its lock file (and folder) removed, and a third let in.
                if created:
                    with contextlib.suppress(OSError):
                        if [p.name for p in self.root.iterdir()] == [LOCK_NAME]:
                            path.unlink()
                            for folder in created:
                                folder.rmdir()

    def _remove_abandoned(self) -> None:
        """Remove the temporary files of records whose writer was killed half-way (``kill
        -9``, a power cut: ``save`` writes ``.<id>.json.<random>.tmp``, then renames it over
        the record). Called holding the lock: every run that records holds it, so such a
        file is no run's any more. The record it was to replace is still whole."""
        import re

        with contextlib.suppress(OSError):
            for found in self.root.glob(".*.json.*.tmp"):
                if re.fullmatch(r"\.[0-9a-z]+\.json\.[0-9a-z_]{8}\.tmp", found.name):
                    with contextlib.suppress(OSError):
                        found.unlink()

    def get(self, reference: str) -> Meeting:
        """The meeting with this id, a unique beginning of an id, or its UID.

        Args:
            reference: what identifies it.

        Returns:
            The meeting.

        Raises:
            NotRecordedError: no such meeting.
            MeetingError: the beginning matches several; the folder is not a meeting store
                (field ``store``).
            RecordError: its record is not one somnet reads (edited by hand, damaged); or,
                given a UID no readable record has, a record named as it begins (which may
                be it) is not, named with why.
            StorageError: the system cannot read its record, or such a record.
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
                _("meeting id {value} is ambiguous: {items}; give more of it").format(
                    value=shown(reference), items=", ".join(matches[:5])
                )
            )
        unread: list[tuple[Path, RecordError | StorageError]] = []
        for meeting_id in ids:
            path = self.path(meeting_id)
            try:
                meeting = self._read(path)
            except (RecordError, StorageError) as exc:
                unread.append((path, exc))
                continue
            if meeting.uid == reference:
                return meeting
        self.check()  # a folder that is no meeting store is named as such
        maybe = _maybe_recording(reference, unread)
        if maybe:
            reason = _n(
                "meeting {value} may be recorded in a file that cannot be read (named as its "
                "UID begins; no other record is that meeting): {reasons}",
                "meeting {value} may be recorded in one of {count} files that cannot be read "
                "(named as its UID begins; no other record is that meeting): {reasons}",
                len(maybe),
            ).format(
                value=shown(reference),
                count=len(maybe),
                reasons=joined_messages([p.reason for p in maybe], _("; ")),
            )
            # The world's failure when the system could not read one: running again may be
            # what it takes. Else the user's, to repair.
            failed = [p for p in maybe if isinstance(p, StorageError)]
            if failed:
                raise StorageError(reason, value=reference) from failed[0]
            edited = [p for p in maybe if isinstance(p, RecordError)]
            raise RecordError(reason, path=edited[0].path, value=reference) from edited[0]
        raise NotRecordedError(
            _("no meeting with id {value} in {root}").format(
                value=shown(reference), root=self.root
            ),
            value=reference,
        )

    def ids(self) -> list[str]:
        """The ids of the recorded meetings, sorted (none when the folder is not there).

        Returns:
            The ids.

        Raises:
            MeetingError: the store is a file, not a folder (field ``store``, or as the class
                says of the default store).
        """
        if not self.root.is_dir():
            if self.root.exists():
                raise self._refused(
                    _("{root} is not a meeting store: it is a file, not a folder").format(
                        root=self.root
                    )
                )
            self._refuse_unmakeable()
            return []
        return sorted(p.stem for p in self.root.glob("*.json") if not p.name.startswith("."))

    def _refuse_unmakeable(self) -> None:
        """Refuse a store folder that is missing and could never be made: a link to nowhere
        (or to itself) there, or a file above it. It would read as a store with no meetings,
        and fail to lock, as if the disk had, the first time something is recorded.

        Raises:
            MeetingError: naming the field ``store``.
        """
        from somnet._files import refuse_dangling_link, refuse_file_for_folder

        try:
            refuse_dangling_link(self.root, "store")
            refuse_file_for_folder(self.root, "store")
        except BadInputError as exc:
            raise self._refused(exc.reason) from None

    def _refused(self, reason: str) -> MeetingError:
        """The error that refuses this store for ``reason`` (which names its folder): field
        ``store`` when it was given. The default one the user never gave: named by the
        variable that set it, else said to be the default, and what moves it."""
        if self.given:
            return MeetingError(reason, field="store", value=str(self.root))
        from somnet._config import DATA_HOME_ENV, XDG_DATA_HOME_ENV

        # As data_home reads them: SOMNET_DATA_HOME whenever set, XDG_DATA_HOME where the
        # user data folder is inside it (on Linux and the BSDs).
        value = os.environ.get(DATA_HOME_ENV)
        if value:
            return MeetingError(reason, field=DATA_HOME_ENV, value=value)
        value = os.environ.get(XDG_DATA_HOME_ENV, "")
        if value.strip() and self.root.is_relative_to(value):
            return MeetingError(reason, field=XDG_DATA_HOME_ENV, value=value)
        return MeetingError(
            _("{reason}; this is the default meeting store ({variable} moves it)").format(
                reason=reason, variable=DATA_HOME_ENV
            ),
            value=str(self.root),
        )

    def all(self) -> list[Meeting]:
        """Every recorded meeting that can be read, by start time (``scan`` also says which
        records cannot be read)."""
        return self.scan()[0]

    def scan(self) -> tuple[list[Meeting], list[RecordError | StorageError]]:
        """Every recorded meeting that can be read, by start time, and for each record that
        cannot, the error that names it: one broken file does not hide the others.

        Returns:
            The meetings, and the errors: a ``RecordError`` for a record edited by hand or
            damaged, a ``StorageError`` for one the system cannot read.
        """
        meetings: list[Meeting] = []
        problems: list[RecordError | StorageError] = []
        for meeting_id in self.ids():
            try:
                meetings.append(self._read(self.path(meeting_id)))
            except (RecordError, StorageError) as exc:
                problems.append(exc)
        return sorted(meetings, key=lambda m: (m.start, m.id)), problems

    def check(self) -> None:
        """Refuse a folder that is not a meeting store: a file, or a folder whose ``.json``
        files are none of them meeting records (a store that does not exist yet is empty).
        A record that cannot be read but says it is one (its ``record_version``) makes the
        folder a store: ``scan`` names it and what is wrong with it.

        Raises:
            MeetingError: naming the folder and why (field ``store``).
        """
        ids = self.ids()
        if ids and not self.scan()[0] and not any(map(self._says_record, ids)):
            raise self._refused(
                _n(
                    "{root} is not a meeting store: its {n} .json file is not a meeting record",
                    "{root} is not a meeting store: none of its {n} .json files is a "
                    "meeting record",
                    len(ids),
                ).format(root=self.root, n=len(ids))
            )

    def series(self, series_id: str) -> list[Meeting]:
        """The meetings of a series, by start time.

        Args:
            series_id: the series' id.

        Returns:
            Its meetings, cancelled ones included.

        Raises:
            NotRecordedError: no meeting belongs to a series with this id (field ``series``).
        """
        series_id = series_id.strip().lower()
        meetings = [m for m in self.all() if m.series is not None and m.series == series_id]
        if not meetings:
            raise NotRecordedError(
                _("no series with id {value} in {root}").format(
                    value=shown(series_id), root=self.root
                ),
                field="series",
                value=series_id,
            )
        return meetings

    def new_series_id(self, uid: str) -> str:
        """A short id for a new series: the first hex digits of ``uid``, longer on a clash.

        Args:
            uid: a fresh UID.

        Returns:
            The id.

        Raises:
            MeetingError: every length clashes (a series with this id is recorded).
        """
        taken = {m.series for m in self.all() if m.series}
        found = _short_id(uid, "series", lambda c: c not in taken)
        if found is None:
            raise MeetingError(
                _("a series with id {repr} is already recorded in {root}").format(
                    repr=repr(_hex_digits(uid, "series")), root=self.root
                )
            )
        return found

    def _says_record(self, meeting_id: str) -> bool:
        """Whether the file of ``meeting_id`` names a ``record_version``, as every record
        does from its first line, though it cannot be read (cut short, a field wrong)."""
        try:
            # Through a link, as its record is named by it (not read as a record: ``_read``).
            content = read_regular(self.path(meeting_id), limit=RECORD_BYTES)
        except (OSError, NotARegularFile):
            return False
        return b'"record_version"' in content[:4096]

    def _read(self, path: Path) -> Meeting:
        """The meeting recorded in ``path``.

        Raises:
            RecordError: it is not a meeting record somnet reads (edited by hand, damaged,
                a folder, a symbolic link): the user's to repair (naming the file, and where
                in it).
            StorageError: the system cannot read it (a permission, a disk).
        """
        if path.is_symlink():
            # Someone made it: somnet writes one file a meeting, never a link. Not followed:
            # a new version, renamed over the link, would leave the record it leads to behind
            # (in another store, say), and the two would differ. Theirs to move.
            if path.exists():
                raise RecordError(
                    _("{path}: not a meeting record (a symbolic link, not a file)").format(
                        path=path
                    ),
                    path=path,
                )
            raise RecordError(
                _("{path}: not a meeting record (a symbolic link that leads nowhere)").format(
                    path=path
                ),
                path=path,
                may_be_record=False,
            )
        # A key twice is refused as in a manifest (imported here: the converter comes with it).
        from somnet.sharing._json import Malformed, loads_once

        try:
            # Read without waiting: a named pipe named as a record would wait for a writer for
            # ever, a device never end.
            # utf-8-sig: an editor on Windows saves a byte-order mark, which JSON would refuse.
            value = loads_once(
                read_regular(path, limit=RECORD_BYTES, follow=False).decode("utf-8-sig")
            )
        except Malformed as exc:
            # A key twice (edited by hand, a merge that kept both sides): which value was
            # meant cannot be told, as in a data file.
            raise RecordError(
                _("{path}: not a meeting record ({exc})").format(
                    path=path, exc=joined_messages([exc.what, exc.where], " @ ")
                ),
                path=path,
                fields=[exc.where],
            ) from exc
        except NotARegularFile as exc:
            # Someone made it (a folder, a named pipe, a device) or it grew beyond any record:
            # theirs to move. Only a regular file may be a record somnet wrote.
            reason = _("a folder, not a file") if path.is_dir() else exc.args[0]
            raise RecordError(
                _("{path}: not a meeting record ({exc})").format(path=path, exc=reason),
                path=path,
                may_be_record=path.is_file(),
            ) from exc
        except OSError as exc:
            if path.is_dir():
                # Someone made it: somnet writes one file a meeting. Theirs to move.
                raise RecordError(
                    _("{path}: not a meeting record (a folder, not a file)").format(path=path),
                    path=path,
                    may_be_record=False,
                ) from exc
            raise StorageError(
                _("{path}: cannot read: {value}").format(path=path, value=exc.strerror or exc)
            ) from exc
        except json.JSONDecodeError as exc:
            # Where it breaks, not json's English words (kept as the cause).
            raise RecordError(
                _(
                    "{path}: not a meeting record (broken JSON at line {line}, column {column})"
                ).format(path=path, line=exc.lineno, column=exc.colno),
                path=path,
            ) from exc
        except UnicodeDecodeError as exc:
            # Where, as for a data file, not the codec's English words (kept as the cause).
            raise RecordError(
                _(
                    "{path}: not a meeting record (not UTF-8 text: invalid byte at offset {offset})"
                ).format(path=path, offset=exc.start),
                path=path,
            ) from exc
        try:
            meeting = meeting_from_json(value)
        except RecordFaults as exc:
            # Its message as made (told in the language in use), not str(): that is English.
            said = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else str(exc)
            raise RecordError(
                _("{path}: not a meeting record ({exc})").format(path=path, exc=said),
                path=path,
                fields=exc.fields,
            ) from exc
        if meeting.id != path.stem:
            # Edited by hand, or copied under another name: its next version would be
            # written to the file of its id, and the meeting recorded twice.
            fault = joined_messages(
                [
                    _("{value} is not the id its file is named for, {name}").format(
                        value=repr(meeting.id), name=repr(path.stem)
                    ),
                    "$.id",
                ],
                " @ ",
            )
            raise RecordError(
                _("{path}: not a meeting record ({exc})").format(path=path, exc=fault),
                path=path,
                fields=["$.id"],
            )
        return meeting


#: The most bytes a meeting record may hold: far beyond any (a record of a meeting with a
#: thousand attendees and their deliveries is under a megabyte), so that a file that is
#: not one is never read whole into memory.
RECORD_BYTES = 16 * 1024 * 1024


def _maybe_recording(
    uid: str, unread: Sequence[tuple[Path, RecordError | StorageError]]
) -> list[RecordError | StorageError]:
    """Of the records that cannot be read (each file with its error), those that may record
    the meeting with this UID, none of the readable records being it: a record is named as
    its meeting's UID begins (``MeetingStore.new_id``), and one whose UID can still be read
    is that UID's meeting or another's.

    Raises:
        RecordError: one still names this UID: that meeting's record, and what is wrong
            with it.
    """
    if not uid:
        return []
    digits = _hex_digits(uid, "meeting")
    maybe: list[RecordError | StorageError] = []
    for path, problem in unread:
        if isinstance(problem, RecordError) and not problem.may_be_record:
            continue  # a folder, a link that leads nowhere: it records no meeting
        named = _uid_in(path)
        if named == uid and isinstance(problem, RecordError):
            raise problem  # under whatever name it was copied
        if named is None and digits.startswith(path.stem):
            maybe.append(problem)
    return maybe


def _uid_in(path: Path) -> str | None:
    """The UID a record that cannot be read as a meeting still names (its JSON whole, a
    field wrong), or None (broken JSON, a file the system cannot read)."""
    try:
        # Through a link: one that leads to a record names that record's meeting.
        value = json.loads(read_regular(path, limit=RECORD_BYTES).decode("utf-8-sig"))
    except (OSError, ValueError):  # NotARegularFile and UnicodeDecodeError among them
        return None
    uid = value.get("uid") if isinstance(value, dict) else None
    return uid if isinstance(uid, str) else None


def may_record(problem: RecordError | StorageError) -> bool:
    """Whether a record that cannot be read (``problem``, from ``MeetingStore.scan``) may
    record a meeting: not a folder, nor a symbolic link that leads nowhere (somnet writes
    neither: someone made it)."""
    return not isinstance(problem, RecordError) or problem.may_be_record


def restated(problem: RecordError | StorageError, reason: str) -> RecordError | StorageError:
    """A record that cannot be read (``problem``, from ``MeetingStore.scan``) told as
    ``reason`` says, as an error of its kind: the user's (a record edited by hand), or the
    world's (the system cannot read it).

    Args:
        problem: the record's error.
        reason: what to say (the problem's reason, and what it stopped).

    Returns:
        The error to raise (from ``problem``).
    """
    if isinstance(problem, RecordError):
        return RecordError(
            reason, path=problem.path, fields=problem.fields, may_be_record=problem.may_be_record
        )
    return StorageError(reason, field=problem.field, value=problem.value)


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
