"""The synced copy as every command reads it: the installed copy's folder to load as the base
layer, the fall-back to the previous good copy and then to the shipped directory when it no
longer loads, and the warnings every command shows about it (expired, missing, damaged).

Every command that loads the directory imports this module when a copy is installed, so it
imports neither httpx nor cryptography.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import attrs

from somnet._config import SYNC_STATE_NAME
from somnet._exceptions import DirectoryError, StorageError
from somnet._given import checked_kinds
from somnet._i18n import Message, _, _n
from somnet.sharing.state import COPIES_NAME, InstalledCopy, SyncState, read_state

_Loaded = TypeVar("_Loaded")


@attrs.frozen
class SyncedCopyWarning:
    """What a user must know about the synced copy the commands read.

    Attributes:
        reason: what is wrong, for people.
        sync_again: whether syncing again is the remedy (an expired or missing copy); the
            command line then says which command to run.
    """

    reason: str
    sync_again: bool = False

    def __str__(self) -> str:
        return self.reason


def _folder(cache: Path | None) -> Path:
    from somnet._config import sync_dir

    if cache is None:
        return sync_dir()
    from somnet._files import refuse_not_a_path

    return Path(refuse_not_a_path(cache, "cache"))


def open_to_others(folder: Path, copy: Path | None = None) -> Path | None:
    """The first of the sync folder, its ``copies`` and ``copy`` that every user of the machine
    may write in, or the members of its group (whoever may can replace the state or a copy, and
    so the directory every command reads), or that another user owns, then its state file if
    they may change it, or None.
    A group that holds its owner alone is no one else, as ``sync`` takes it
    (:func:`somnet._groups.group_that_may_write`). The owners taken are this user, root and the
    sync folder's owner: the account that syncs there (a team's, whose folder the members'
    ``SOMNET_SYNC_DIR`` names), who may replace anything in it anyway; what another user owns
    in it, they may change whatever its mode, as ``sync`` refuses it. POSIX only; a folder
    that cannot be read is not judged here."""
    import stat

    from somnet._groups import who_may_change

    if os.name != "posix":  # pragma: no cover - permissions are ACLs elsewhere
        return None
    owners = _owners_taken(folder)
    for path in (folder, folder / COPIES_NAME, copy):
        if path is None:
            continue
        try:
            found = path.stat()
        except OSError:
            continue
        if who_may_change(found, owners) is not None:
            return path
    # The state names the copy read and its expiry: whoever may edit it moves either.
    state = folder / SYNC_STATE_NAME
    try:
        found = state.lstat()
    except OSError:
        return None
    if stat.S_ISREG(found.st_mode) and who_may_change(found, owners) is not None:
        return state
    return None


def _owners_taken(folder: Path) -> set[int]:
    """Who may own what the commands read in the sync folder ``folder``: this user, root, and
    the folder's owner (the account that syncs there)."""
    import contextlib

    owners = {0, os.geteuid()}
    with contextlib.suppress(OSError):
        owners.add(folder.stat().st_uid)
    return owners


def copy_on_disk(path: Path) -> bool:
    """Whether the folder of a copy, ``path``, is on disk: a folder, or one this user may not
    look at (a folder above it closed to them), which is then read as a copy is, so that what
    is said is that it cannot be read, not that it is missing (and never a traceback)."""
    import stat

    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True


def _open_warning(folder: Path, path: Path, read: bool = True) -> SyncedCopyWarning:
    """Why ``path``, found by :func:`open_to_others` in the sync folder ``folder``, is not
    read."""
    import stat

    from somnet._groups import who_may_change

    # Judged as open_to_others judged it: its owner first, as sync refuses it (they may change
    # its mode, and then it), then every user, then a team's group.
    found = path.stat()
    opening = who_may_change(found, _owners_taken(folder))
    mode = stat.S_IMODE(found.st_mode)
    if opening is not None and opening.kind == "owner":
        if not read:
            return SyncedCopyWarning(
                _(
                    "{path}: owned by another user (uid {owner}) than the sync folder's owner, "
                    "who may change the synced directory whatever its mode: the commands would "
                    "not read it (chown it to the sync folder's owner, then sync again)"
                ).format(path=path, owner=found.st_uid)
            )
        return SyncedCopyWarning(
            _(
                "{path}: owned by another user (uid {owner}) than the sync folder's owner, who "
                "may change the synced directory whatever its mode: it is not read, using the "
                "shipped directory (chown it to the sync folder's owner, then sync again)"
            ).format(path=path, owner=found.st_uid)
        )
    group = opening.group if opening is not None and opening.kind == "group" else None
    if group is not None and not read:
        return SyncedCopyWarning(
            _(
                "{path}: mode {mode:04o} lets the members of group {group} change the synced "
                "directory: the commands would not read it (chmod g-w {path}, then sync again)"
            ).format(path=path, mode=mode, group=group)
        )
    if group is not None:
        return SyncedCopyWarning(
            _(
                "{path}: mode {mode:04o} lets the members of group {group} change the synced "
                "directory: it is not read, using the shipped directory (chmod g-w {path}, then "
                "sync again)"
            ).format(path=path, mode=mode, group=group)
        )
    if not read:  # a folder the commands do not look in: what they read is not told here
        return SyncedCopyWarning(
            _(
                "{path}: mode {mode:04o} lets every user of this machine change the synced "
                "directory: the commands would not read it (chmod o-w {path}, then sync again)"
            ).format(path=path, mode=mode)
        )
    return SyncedCopyWarning(
        _(
            "{path}: mode {mode:04o} lets every user of this machine change the synced "
            "directory: it is not read, using the shipped directory (chmod o-w {path}, then "
            "sync again)"
        ).format(path=path, mode=mode)
    )


def installed_base(cache: Path | None = None) -> Path | None:
    """The installed synced copy, to load as the base layer; None means the shipped directory.
    When the installed copy's folder is gone from disk, the previous good copy still there.

    Cheap (reads one small JSON file) and never raises: a damaged state is reported by
    :func:`synced_copy_warnings`.

    Args:
        cache: the sync folder (default: ``SOMNET_SYNC_DIR``, else ``synced`` in the user data
            folder).
    """
    folder = _folder(cache)
    try:
        state = read_state(folder)
    except StorageError:
        return None
    if state is None:
        return None
    current = folder / state.current.folder
    # Gone from disk (a clean-up, a disk fault): the previous good copy, newer than the shipped
    # directory, is read in its place (load_over_installed says so).
    copy = current if copy_on_disk(current) else kept_previous(folder, state)
    if copy is None or open_to_others(folder, copy) is not None:
        return None
    return copy


def kept_previous(folder: Path, state: SyncState) -> Path | None:
    """The folder of the previous good copy, when the state names one, it is on disk, and no
    one but its owner may change it (a copy every user, or a group with another user in it,
    may change is never read)."""
    path = _previous_on_disk(folder, state)
    return path if path is not None and open_to_others(folder, path) is None else None


def _previous_on_disk(folder: Path, state: SyncState) -> Path | None:
    if state.previous is None:
        return None
    path = folder / state.previous.folder
    return path if copy_on_disk(path) else None


@checked_kinds()
def synced_copy_warnings(
    cache: Path | None = None, *, now: datetime | None = None, reading: Path | None = None
) -> list[SyncedCopyWarning]:
    """What a user must know about the synced copy the commands read: that it expired, that
    its files were changed since it was installed (no longer what its key signed), or that it
    cannot be used (so another copy is read instead). Empty when all is well or nothing was
    synced.

    Args:
        cache: the sync folder (default: ``SOMNET_SYNC_DIR``, else ``synced`` in the user data
            folder).
        now: the time to judge expiry by (default: the clock); without a zone, the machine's
            local time, as ``sync_directory`` reads it.
        reading: the folder the directory was read from, when :func:`load_over_installed`
            fell back from the installed copy to the previous good one: the previous copy's
            files changed since it was installed are told too.

    Returns:
        The warnings, each with whether syncing again is the remedy.
    """
    from somnet._time import check_clock

    check_clock(now)  # a date or a text is refused, naming now
    return copy_warnings(_folder(cache), now=now, reading=reading)


def copy_warnings(
    folder: Path,
    *,
    now: datetime | None = None,
    thorough: bool = False,
    read: bool = True,
    reading: Path | None = None,
) -> list[SyncedCopyWarning]:
    """:func:`synced_copy_warnings` for the sync folder ``folder``; with ``thorough``, the
    copy's files are read whole to tell a change (``status``), else only their sizes and times
    are compared with those recorded at install (every command). Without ``read`` (a folder
    the commands do not look in), no warning says what the commands read instead. With
    ``reading`` the previous good copy (read in place of an installed copy that does not load),
    its changes are told as the installed copy's are."""
    from somnet._clock import utc_now
    from somnet._time import utc_text

    try:
        state = read_state(folder)
    except StorageError as exc:
        from somnet.sharing.state import recorded_source_and_trust

        # A bare sync starts afresh from the source and trust files still readable in it.
        return [
            SyncedCopyWarning(
                _("{exc}; using the shipped directory").format(exc=exc.reason)
                if read
                else exc.reason,
                sync_again=recorded_source_and_trust(folder) is not None,
            )
        ]
    if state is None:
        return []
    copy = state.current
    if not copy_on_disk(folder / copy.folder):
        previous = kept_previous(folder, state)
        kept = previous is not None and state.previous is not None
        if kept or not read:
            # What is read in its place, and whether that loads, load_over_installed says;
            # whether its files are still what its key signed, here.
            return [
                SyncedCopyWarning(
                    _("the synced directory (version {version}) is missing from {folder}").format(
                        version=copy.version, folder=folder / copy.folder
                    ),
                    sync_again=True,
                ),
                *(
                    changed_warnings(state.previous, previous, thorough)
                    if previous is not None and state.previous is not None
                    else []
                ),
            ]
        on_disk = _previous_on_disk(folder, state)
        opened = open_to_others(folder, on_disk) if on_disk is not None else None
        return [
            SyncedCopyWarning(
                _(
                    "the synced directory (version {version}) is missing from {folder}; using "
                    "the shipped directory"
                ).format(version=copy.version, folder=folder / copy.folder),
                sync_again=True,
            ),
            # Why the previous good copy, still there, is not read in its place.
            *([] if opened is None else [_open_warning(folder, opened)]),
        ]
    opened = open_to_others(folder, folder / copy.folder)
    if opened is not None:
        return [_open_warning(folder, opened, read)]
    now = (now or utc_now()).astimezone(UTC)
    warnings: list[SyncedCopyWarning] = []
    if copy.expires <= now:
        # On the UTC dates, as the expiry is shown: not "today" once the UTC date has changed.
        days = (now.astimezone(UTC).date() - copy.expires.astimezone(UTC).date()).days
        ago = _n("{n} day ago", "{n} days ago", days).format(n=days) if days else _("today")
        warnings.append(
            SyncedCopyWarning(
                _(
                    "the synced directory (version {version} from {source}) expired on {text} "
                    "({ago}): it may be out of date"
                ).format(
                    version=copy.version,
                    source=state.source,
                    text=utc_text(copy.expires),
                    ago=ago,
                ),
                sync_again=True,
            )
        )
    warnings += changed_warnings(copy, folder / copy.folder, thorough)
    read_elsewhere = reading is not None and not _same(reading, folder / copy.folder)
    previous = kept_previous(folder, state) if read_elsewhere else None
    if previous is not None and state.previous is not None and _same(reading, previous):
        # What the plans rest on in place of the installed copy: a hand edit there is told too.
        warnings += changed_warnings(state.previous, previous, thorough)
    return warnings


def _same(path: Path | None, other: Path) -> bool:
    try:
        return path is not None and os.path.samefile(path, other)
    except OSError:
        return False


def changed_warnings(
    copy: InstalledCopy, path: Path, thorough: bool = False
) -> list[SyncedCopyWarning]:
    """That the files of a copy (at ``path``) were changed since it was installed, if they were:
    read whole with ``thorough``, else told by their sizes and times."""
    changed = changed_files(path) if thorough else changed_since_install(path)
    if not changed:
        return []
    return [
        SyncedCopyWarning(
            _(
                "the files of the synced directory (version {version}) were changed since "
                "it was installed ({files}): they are not what key {key_id} signed"
            ).format(version=copy.version, files=changed_text(changed), key_id=copy.key_id),
            sync_again=True,
        )
    ]


def load_over_installed(
    load: Callable[[Path | None], _Loaded],
    base: Path,
    cache: Path | None = None,
    *,
    now: datetime | None = None,
) -> tuple[_Loaded, list[str]]:
    """Load with the installed synced copy as the base layer, never failing because of it.

    A synced copy validated when it was installed, but it can fail later: a newer somnet checks
    more, a library's answers change (which phone numbers are valid), a file is damaged on
    disk. The commands must still run, so the previous good copy is tried next, then the
    shipped directory (``base=None``), and a warning says which copy failed and why.

    Args:
        load: loads the directory over a base folder (None: the shipped one), with the user's
            overlays; raises DirectoryError when the result does not validate.
        base: the installed copy, or the previous good copy when the installed one is gone
            from disk (:func:`installed_base`); a warning then says so.
        cache: the sync folder (default as :func:`installed_base`), to find the previous good
            copy.
        now: the time to judge the previous copy's expiry by, when it is the one read
            (default: the clock); without a zone, the machine's local time.

    Returns:
        What ``load`` returned for the first base that loads, and the warnings to show.

    Raises:
        DirectoryError: no base loads; the error is the installed copy's (the overlays are
            then the likely cause, and that is the directory the user expects).
    """
    folder = _folder(cache)
    try:
        state = read_state(folder)
    except StorageError:
        state = None
    candidates: list[tuple[Path | None, str]] = [(base, _("the synced directory"))]
    expired: set[Path | None] = set()
    failures: list[str] = []
    previous = kept_previous(folder, state) if state is not None else None
    if state is not None and base in (folder / state.current.folder, previous):
        if base == previous:
            # The current copy is gone from disk: the previous good copy is read in its place.
            candidates = []
            failures.append(
                _("the synced directory (version {version}) is missing").format(
                    version=state.current.version
                )
            )
        else:
            candidates[0] = (
                base,
                _("the synced directory (version {version})").format(version=state.current.version),
            )
        if previous is not None and state.previous is not None:
            from somnet._clock import utc_now

            if state.previous.expires <= (now or utc_now()).astimezone(UTC):
                # Read in place of the current copy, it is what the plans rest on.
                expired.add(previous)
            candidates.append((previous, previous_copy_label(state.previous.version)))
    candidates.append((None, _("the shipped directory")))
    first: DirectoryError | None = None
    for path, label in candidates:
        try:
            loaded = load(path)
        except DirectoryError as exc:
            first = first or exc
            failures.append(
                _("{label} does not load now ({problem})").format(
                    label=label, problem=first_problem(exc, path)
                )
            )
            continue
        if not failures:
            return loaded, []
        if path in expired and state is not None and state.previous is not None:
            from somnet._time import utc_text

            using = _("using {label} (it expired on {text}: it may be out of date)").format(
                label=label, text=utc_text(state.previous.expires)
            )
        else:
            using = _("using {label}").format(label=label)
        said = failures[0]
        for then in [*failures[1:], using]:
            said = _("{first}; {then}").format(first=said, then=then)
        return loaded, [said]
    assert first is not None
    raise first


def first_problem(error: DirectoryError, folder: Path | None) -> str:
    """The first problem of a load, with the copy's folder left out of its file name."""
    first = error.problems[0] if error.problems else str(error)
    if folder is not None:
        first = without_prefix(first, f"{folder}{os.sep}")
    more = len(error.problems) - 1
    if more <= 0:
        return first
    return _n("{first}, and {n} more problem", "{first}, and {n} more problems", more).format(
        first=first, n=more
    )


#: The file of a copy that records the SHA-256 of each of its data files as installed, by
#: relative path: a copy whose files were changed since (damaged on disk, edited by hand) is
#: no longer the directory its key signed. Hidden, so never read as data.
FILES_RECORD_NAME = ".somnet-files.json"


def _digests_fault(value: dict[str, str]) -> str | None:
    from somnet.sharing.manifest import sha256_fault

    return next((fault for digest in value.values() if (fault := sha256_fault(digest))), None)


@attrs.frozen
class InstalledFiles:
    """What a copy's data files were as installed: the SHA-256 of each, by relative path."""

    files: dict[str, str] = attrs.field(metadata={"check": _digests_fault})


def files_record(files: dict[str, str]) -> bytes:
    """The record of a copy's data files (``files``: text by relative path, as unpacked)."""
    import hashlib

    from somnet.sharing import _json

    digests = {
        path: hashlib.sha256(text.encode("utf-8")).hexdigest() for path, text in files.items()
    }
    return _json.dumps(InstalledFiles(digests), indent=1) + b"\n"


def changed_files(copy: Path) -> list[str] | None:
    """The data files of ``copy`` changed, added or removed since it was installed, by relative
    path; None when it cannot tell (the copy holds no record: an earlier somnet installed it).
    A record that is damaged (unreadable, not a record, or gone while the records installed
    with it are there, or while the copy holds no data file, which no bundle is) vouches for
    nothing: it is the change, ``[FILES_RECORD_NAME]``.
    """
    import hashlib

    from somnet._files import read_regular
    from somnet.directory.layers import layer_files
    from somnet.sharing import _json

    try:
        # A named pipe there must not make the command wait for a writer.
        content = read_regular(copy / FILES_RECORD_NAME, limit=_RECORD_BYTES, follow=False)
        expected = _json.structure(_json.parse(content), InstalledFiles).files
    except FileNotFoundError:
        # Written after it at every install since it was introduced: with either there, the
        # record was removed, not never written.
        later = (copy / STATS_RECORD_NAME, copy / SIGNED_RECORD_NAME)
        if any(os.path.lexists(path) for path in later):
            return [FILES_RECORD_NAME]
        # A copy emptied with its records (a clean-up): every bundle holds a file, so it is
        # not the directory its key signed, whichever somnet installed it.
        data, unreadable = layer_files(copy)
        return [FILES_RECORD_NAME] if not data and not unreadable else None
    except (OSError, ValueError, _json.Malformed):
        return [FILES_RECORD_NAME]
    found: dict[str, str | None] = {}
    for path in layer_files(copy)[0]:
        try:
            digest: str | None = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = None
        found[path.relative_to(copy).as_posix()] = digest
    return sorted(name for name in {*expected, *found} if found.get(name) != expected.get(name))


#: The file of a copy that holds the signed manifest it was installed (or last renewed) by:
#: which key signed it is known without the state, once the state is damaged. Hidden, so never
#: read as data.
SIGNED_RECORD_NAME = ".somnet-signed-manifest.json"

#: The most bytes a copy's record of its files may hold (a few hundred per file).
_RECORD_BYTES = 16 * 1024 * 1024


#: The file of a copy that records, for each of its data files as installed, by relative path:
#: its size and modification time (``files``), and its inode number and the time of the
#: inode's last change (``inodes``), which no one can set back without privilege (a file
#: edited and its time restored: ``touch -r``, ``rsync -t``, ``cp -p``). What every command
#: compares, cheaply, to tell a copy changed since (the digests of ``FILES_RECORD_NAME`` then
#: confirm it). Two keys, so that an earlier somnet, which compares ``files`` alone, still
#: reads it cheaply. Hidden, so never read as data.
STATS_RECORD_NAME = ".somnet-stats.json"


def file_stats(copy: Path) -> dict[str, list[int]]:
    """The size, modification time (ns), inode number and time of the inode's last change (ns)
    of each data file of ``copy``, by relative path.

    On Windows the last is the file's creation time (until Python reports the change time
    there): an edit there with its time restored is told by the digests (``status``, ``sync``)
    only; a copy restored from a backup or moved to another disk still differs, as on POSIX,
    and costs one read of the digests."""
    from somnet.directory.layers import layer_files

    found: dict[str, list[int]] = {}
    for path in layer_files(copy)[0]:
        try:
            status = path.stat()
        except OSError:
            continue  # told from the record as removed; the digests then say what it is
        found[path.relative_to(copy).as_posix()] = [
            status.st_size,
            status.st_mtime_ns,
            status.st_ino,
            status.st_ctime_ns,
        ]
    return found


def stats_record(copy: Path, stats: dict[str, list[int]] | None = None) -> bytes:
    """The record of the sizes, times and inodes of ``copy``'s data files: ``stats`` (as
    :func:`file_stats` gives them), else as they are now."""
    import json

    found = file_stats(copy) if stats is None else stats
    record = {
        "files": {path: entry[:2] for path, entry in found.items()},
        "inodes": {path: entry[2:] for path, entry in found.items()},
    }
    return json.dumps(record, sort_keys=True, indent=1).encode() + b"\n"


def _recorded_stats(content: bytes) -> dict[str, list[int]] | None:
    """What :func:`stats_record` wrote, as :func:`file_stats` gives it; None for a record that
    is damaged, or without the inodes (written by an earlier somnet): it cannot tell a file
    edited with its time restored, so the digests tell, once, and the record is written again.
    """
    import json

    try:
        record = json.loads(content)
        inodes = record["inodes"]
        return {path: [*entry, *inodes[path]] for path, entry in record["files"].items()}
    except (ValueError, TypeError, KeyError, AttributeError):  # "files" not an object: damaged
        return None


def changed_since_install(copy: Path) -> list[str] | None:
    """:func:`changed_files`, and the same answer, cheaply: the files are read whole only when
    a data file's size, time or inode differs from those recorded at install (or a file was
    added or removed), or when that record cannot be read (gone, damaged, written by an
    earlier somnet: it only spares the read), and a file touched without a change is none.
    Found unchanged so, the copy's sizes, times and inodes are recorded again
    (:func:`record_stats`), so that the next command reads no file whole. None when it cannot
    tell (no record of digests)."""
    from somnet._files import read_regular

    # Read on every command: a named pipe there must not make it wait for a writer.
    try:
        content = read_regular(copy / STATS_RECORD_NAME, limit=_RECORD_BYTES, follow=False)
    except (OSError, ValueError):
        recorded = None
    else:
        recorded = _recorded_stats(content)
    seen = file_stats(copy)
    if seen == recorded:
        return []
    # Without the sizes, the digests tell, as they do for status: a file edited by hand since
    # the record went is said by every command, not by status alone.
    changed = changed_files(copy)
    if changed == []:
        record_stats(copy, seen)
    return changed


def record_stats(copy: Path, seen: dict[str, list[int]] | None = None) -> None:
    """Record again the sizes, times and inodes of a copy's data files once their digests have
    shown them unchanged (the record gone or damaged, a copy installed by an earlier somnet,
    files touched, restored from a backup or moved to another disk): the commands then tell the
    copy intact without reading it whole. ``seen``: what :func:`file_stats` gave before the
    digests were read (by default, taken now); a file changed since is not recorded as intact.

    Never raises: where the copy cannot be written (a service account's, a read-only disk),
    the next command only reads the digests again."""
    import contextlib

    from somnet._files import read_regular, write_atomic

    stats = file_stats(copy)
    if seen is not None and stats != seen:
        return  # changed while the digests were read: what they showed is not what is there
    path = copy / STATS_RECORD_NAME
    content = stats_record(copy, stats)
    with contextlib.suppress(OSError, ValueError):
        if read_regular(path, limit=_RECORD_BYTES, follow=False) == content:
            return
    # In the copy itself, never made again if a sync removed it meanwhile; readable by every
    # user, as the copy's other records; a link or a named pipe there is replaced, not followed.
    with contextlib.suppress(StorageError):
        write_atomic(path, content, mode=0o644, make_folder=False)


def changed_text(changed: list[str]) -> str:
    """The changed files of a copy, for a message: the first three, and how many more."""
    shown = ", ".join(changed[:3])
    more = len(changed) - 3
    if more <= 0:
        return shown
    return _n("{files} and {n} more", "{files} and {n} more", more).format(files=shown, n=more)


def previous_copy_label(version: int) -> str:
    """How the previous good copy is named in warnings."""
    return _("version {version}, the previous good copy").format(version=version)


def without_prefix(text: str, prefix: str) -> str:
    """``text`` with ``prefix`` (a copy's folder) left out of its file names; a message stays
    a message, told in the language in use (``str.replace`` would make it English text)."""
    if isinstance(text, Message):
        values = {
            name: without_prefix(value, prefix) if isinstance(value, str) else value
            for name, value in text._values.items()
        }
        return text.format(**values)
    return text.replace(prefix, "")
