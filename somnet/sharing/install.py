"""The sync folder on disk: marked as somnet's, one sync at a time in it, a verified bundle
unpacked and validated into a new copy, and only what somnet made removed, never through a
link.

The installed copy changes only by the one ``os.replace`` of the state file, after every
check (:func:`somnet.sharing.state.write_state`): a sync killed at any moment leaves the state
naming a whole, valid copy. A new copy is never renamed over another (the copy of the same
bundle installed again has a folder of its own: :func:`unpack_and_validate`), and the copies
the state no longer names are removed after it. Its layout::

    SYNC/.somnet-sync-folder     marks the folder as somnet's
    SYNC/state.json              the sync state (somnet.sharing.state)
    SYNC/copies/N-HASH/          the installed directory (and the previous good one), with
                                 .somnet-files.json, the SHA-256 of each file as installed,
                                 and .somnet-signed-manifest.json, what signed it
    SYNC/.lock                   held (flock) by the sync that runs, with its pid
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from somnet._config import SYNC_STATE_NAME
from somnet._exceptions import BadInputError, DirectoryError, StorageError, VerificationError
from somnet._files import fsync_folder
from somnet._i18n import _, _n
from somnet.sharing.bundle import parse_bundle
from somnet.sharing.installed import SIGNED_RECORD_NAME, STATS_RECORD_NAME
from somnet.sharing.manifest import Manifest, is_version
from somnet.sharing.state import (
    COPIES_NAME,
    COPY_NAME,
    MAX_INSTALLS,
    SyncState,
    copy_folder,
    copy_folder_of,
)

if TYPE_CHECKING:
    from somnet.sharing.signing import TrustedKey

LOCK_NAME = ".lock"
#: The file that marks a sync folder as somnet's: somnet deletes nothing in a folder without it.
MARK_NAME = ".somnet-sync-folder"
#: What somnet's temporary files and folders in a sync folder are named from.
TEMPORARY_PREFIXES = (".download-", ".incoming-", ".probe-", f".{SYNC_STATE_NAME}.")


def prepare_folder(folder: Path, *, given: bool = True) -> None:
    """Make ``folder`` a sync folder, or check that it is one, before anything is written.

    somnet deletes files only in a folder it marked as its own (``MARK_NAME``) when it created
    it, or took it empty, and there only what it names itself. A folder that holds anything
    else is refused. Links are never followed: a ``copies`` that is a link is refused.

    Args:
        folder: the sync folder.
        given: whether the caller gave it; not given, it is the default one, and its errors
            name what moves it (:func:`default_folder_error`), not ``cache``.

    Raises:
        BadInputError: a file where the folder or its ``copies`` belongs, a folder somnet did
            not create, links where its folders belong, a folder every user may write in, or
            one or a state that another user owns or every user may change (field ``cache``).
        StorageError: the folder cannot be created or written (field ``cache``).
    """
    try:
        _prepare_folder(folder)
    except (BadInputError, StorageError) as exc:
        if given:
            raise
        raise default_folder_error(exc) from exc


def default_folder_error(error: BadInputError | StorageError) -> BadInputError | StorageError:
    """``error``, which names the sync folder as ``cache``, told of the default sync folder,
    which the caller did not give: naming ``SOMNET_SYNC_DIR`` when that set it, else saying
    that it is the default and that the variable names another (no field: nothing was given).
    """
    from somnet._config import SYNC_DIR_ENV

    if error.field != "cache":
        return error
    kind = BadInputError if isinstance(error, BadInputError) else StorageError
    value = os.environ.get(SYNC_DIR_ENV)
    if value:
        return kind(error.reason, field=SYNC_DIR_ENV, value=value)
    return kind(
        _("{reason}; this is the default sync folder ({variable} names another)").format(
            reason=error.reason, variable=SYNC_DIR_ENV
        ),
        value=error.value,
    )


def _prepare_folder(folder: Path) -> None:
    from somnet._files import refuse_dangling_link, refuse_file_for_folder

    mark = folder / MARK_NAME

    def refused(reason: str) -> BadInputError:
        return BadInputError(reason, field="cache", value=folder)

    refuse_dangling_link(folder, "cache")  # the folder would not be made there
    # A file where the folder (or one above it) belongs is the user's mistake, not the disk's.
    refuse_file_for_folder(folder, "cache")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o755)
        _refuse_open(folder)
        entries = [] if _marked(mark) else sorted(item.name for item in folder.iterdir())
        # Looked for again after the listing: another sync starting there marks the folder
        # before it puts anything in it, so what it put there is never taken for the user's.
        if not _marked(mark):
            if mark.is_symlink() or mark.exists():
                raise refused(
                    _("{mark}: not the file somnet marks its sync folders with").format(mark=mark)
                )
            if entries:
                shown = ", ".join(repr(name) for name in entries[:3])
                raise refused(
                    _(
                        "{folder}: not a sync folder somnet created: it holds {shown}; somnet "
                        "keeps its copy only in a new or empty folder, and deletes nothing else"
                    ).format(folder=folder, shown=shown)
                )
            _write_mark(mark)
        copies = folder / COPIES_NAME
        if copies.is_symlink():
            raise refused(
                _(
                    "{copies}: a symbolic link; somnet follows no link in its sync folder "
                    "(remove it)"
                ).format(copies=copies)
            )
        if copies.exists() and not copies.is_dir():
            # Another's file, or one damaged: never removed, and named, not "File exists".
            raise refused(
                _(
                    "{copies}: not a folder; somnet keeps its copies there and removes "
                    "nothing it did not make (move it away)"
                ).format(copies=copies)
            )
        copies.mkdir(exist_ok=True, mode=0o755)
        _refuse_open(copies)
        _refuse_open_state(folder)
        probe = tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-", delete=True)  # noqa: SIM115
        probe.close()
    except OSError as exc:
        raise StorageError(
            _("{folder}: cannot write the synced directory there: {value}").format(
                folder=folder, value=exc.strerror or exc
            ),
            field="cache",
            value=folder,
        ) from exc


def _marked(mark: Path) -> bool:
    """Whether ``mark`` is the file somnet marks its sync folders with (never a link)."""
    return mark.is_file() and not mark.is_symlink()


def _refuse_open(path: Path) -> None:
    """Refuse a folder of the sync folder that every user may write in, or the members of its
    group, or that another user owns: whoever may can replace the directory every command
    reads, or the state that names the keys the next sync trusts (the commands do not read a
    copy open to every user either).

    A group is refused as ssh's StrictModes refuses a group-writable ``authorized_keys`` (its
    members are other users), unless it holds the owner alone: a user's private group, as ssh
    on Debian takes it. somnet never makes these group-writable itself (whatever the umask); a
    team shares a synced directory by one account syncing and the group reading.

    Raises:
        BadInputError: field ``cache``.
    """

    if os.name != "posix":  # pragma: no cover - permissions are ACLs elsewhere
        return
    found = path.stat()
    _refuse_writable_by_others(
        path,
        found,
        every_user=_(
            "{path}: mode {mode:04o} lets every user of this machine replace the synced "
            "directory; somnet keeps it only in a folder others cannot write in (chmod o-w "
            "{path})"
        ),
        group=_(
            "{path}: mode {mode:04o} lets the members of group {group} replace the synced "
            "directory; somnet keeps it only in a folder no other user can write in (chmod "
            "g-w {path}; to share it, let one account sync and the group read)"
        ),
    )


def _refuse_writable_by_others(
    path: Path, found: os.stat_result, *, every_user: str, group: str
) -> None:
    """Refuse ``path`` (``found`` its status) when another user than this one (or root) owns
    it, or every user, or the members of its group, may write in it, with the message of each
    of the last two cases (``{path}``, ``{mode}``, ``{group}``). Its owner is judged first, as
    ssh refuses an ``authorized_keys`` of another user's: they may change it whatever its
    mode. A group that holds its owner alone is no one else
    (:func:`somnet._groups.who_may_change`, the rule trust files and the commands that read
    the copy follow too).

    Raises:
        BadInputError: field ``cache``.
    """
    from somnet._groups import who_may_change

    opening = who_may_change(found, (0, os.geteuid()))
    if opening is None:
        return
    if opening.kind == "owner":
        reason: str = _(
            "{path}: owned by another user (uid {owner}), who may replace the synced directory "
            "or change the keys the next sync trusts; somnet syncs only into a folder of its "
            "own user's (or root's): sync into another folder, or chown it"
        ).format(path=path, owner=opening.owner)
    elif opening.kind == "every-user":
        reason = every_user.format(path=path, mode=opening.mode)
    else:
        reason = group.format(path=path, mode=opening.mode, group=opening.group)
    raise BadInputError(reason, field="cache", value=path)


def _refuse_open_state(folder: Path) -> None:
    """Refuse a sync state that every user may change, or the members of its group, or that
    another user owns: it names the site and the trust files the next sync uses, so whoever
    may edit it names their own key (a trust file open to others is refused likewise).

    Raises:
        BadInputError: field ``cache``.
    """
    import stat

    if os.name != "posix":  # pragma: no cover - permissions are ACLs elsewhere
        return
    path = folder / SYNC_STATE_NAME
    try:
        found = path.lstat()
    except FileNotFoundError:
        return
    if not stat.S_ISREG(found.st_mode):
        return  # no regular file: read as a damaged state, never followed
    _refuse_writable_by_others(
        path,
        found,
        every_user=_(
            "{path}: mode {mode:04o} lets every user of this machine change the site and "
            "the keys the next sync trusts; somnet reads its sync state only from a file "
            "others cannot change (check it, then chmod o-w {path})"
        ),
        group=_(
            "{path}: mode {mode:04o} lets the members of group {group} change the site and "
            "the keys the next sync trusts; somnet reads its sync state only from a file no "
            "other user can change (check it, then chmod g-w {path})"
        ),
    )


def _write_mark(mark: Path) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(mark, flags, 0o644)
    except FileExistsError:  # another sync marked it a moment ago
        return
    with os.fdopen(handle, "w", encoding="ascii") as stream:
        stream.write(
            "This folder holds a directory synced by somnet (somnet directory sync).\n"
            "somnet created it and deletes here only what it created itself.\n"
        )


@contextlib.contextmanager
def locked(folder: Path, now: datetime, *, given: bool = True) -> Iterator[bool]:
    """One sync at a time in a folder (a cron job and a person, say); yields False where the
    filesystem has no locks (the sync goes on, and warns).

    The lock is the kernel's (``flock``) on ``.lock``: it ends with the process that holds it,
    so a sync killed with ``kill -9`` leaves no lock that blocks the next one, and a running
    sync ends by its deadline. The file says who holds it, for the message of the next one.

    Raises:
        BadInputError: ``.lock`` is a link (field ``cache``; of a folder not ``given``, as
            :func:`default_folder_error` tells it).
        StorageError: another sync holds the folder, or it cannot be locked.
    """
    from somnet._lock import held

    def busy(who: str) -> StorageError:
        return StorageError(
            _(
                "{folder}: another sync is running there{who}; it ends by its deadline "
                "at the latest: sync again then"
            ).format(folder=folder, who=who)
        )

    def link() -> BadInputError | StorageError:
        error = BadInputError(
            _(
                "{path}: a symbolic link; somnet follows no link in its sync folder (remove it)"
            ).format(path=folder / LOCK_NAME),
            field="cache",
            value=folder,
        )
        return error if given else default_folder_error(error)

    with held(folder / LOCK_NAME, since=now, busy=busy, link=link) as holding:
        yield holding


def copies_kept(folder: Path) -> bool:
    """Whether ``folder`` keeps a copy somnet installed (a folder named as it names copies, not
    a link) beside a state file, which may be damaged: a refusal then says that the installed
    directory is unchanged, not that nothing was installed. Without a state file no sync was
    completed there (a copy left by a first sync killed before it wrote one is no install)."""
    if not os.path.lexists(folder / SYNC_STATE_NAME):
        return False
    with contextlib.suppress(OSError):
        return any(
            COPY_NAME.fullmatch(item.name) and not item.is_symlink() and item.is_dir()
            for item in (folder / COPIES_NAME).iterdir()
        )
    return False


def salvaged_floor(folder: Path, trusted: Sequence[TrustedKey]) -> tuple[int, str] | None:
    """The highest version among the copies kept in ``folder`` and its SHA-256 prefix, when
    the state file is damaged: a fresh sync must still not install an older version. A copy
    signed by a key no longer in ``trusted`` (revoked: perhaps stolen) bounds nothing, as with
    a state that can be read."""
    found: list[tuple[int, str]] = []
    with contextlib.suppress(OSError):
        for item in (folder / COPIES_NAME).iterdir():
            match = COPY_NAME.fullmatch(item.name)
            if (
                match
                and is_version(int(match.group(1)))
                and not item.is_symlink()
                and not _signed_by_a_revoked_key(item, trusted)
            ):
                found.append((int(match.group(1)), match.group(2)))
    return max(found) if found else None


def salvaged_directory(folder: Path, trusted: Sequence[TrustedKey]) -> str | None:
    """The directory the copies kept in ``folder`` name, when the state file is damaged: a
    fresh sync must still install only the directory the folder follows. A copy tells it by
    the signed manifest recorded in it, when that is the copy's own and verifies under a key of
    ``trusted`` (the highest version's, should copies differ). None when no copy tells (none
    kept, or each installed by an earlier somnet)."""
    from somnet.sharing import signing

    found: list[tuple[int, str]] = []
    with contextlib.suppress(OSError):
        for item in (folder / COPIES_NAME).iterdir():
            if not COPY_NAME.fullmatch(item.name) or item.is_symlink():
                continue
            recorded = _recorded_manifest(item)
            if recorded is None:
                continue
            manifest, signed, signature = recorded
            label = str(item / SIGNED_RECORD_NAME)
            with contextlib.suppress(VerificationError):
                signing.verify(signed, signature, trusted, claimed_key_id=None, label=label)
                found.append((manifest.version, manifest.directory))
    return max(found)[1] if found else None


def _signed_by_a_revoked_key(copy: Path, trusted: Sequence[TrustedKey]) -> bool:
    """Whether the signed manifest recorded in ``copy`` is this copy's and verifies under none
    of the ``trusted`` keys. False when the copy holds no such record (an earlier somnet
    installed it) or it cannot be read: the copy then bounds the version, as before."""
    from somnet.sharing import signing

    recorded = _recorded_manifest(copy)
    if recorded is None:
        return False
    _manifest, signed, signature = recorded
    label = str(copy / SIGNED_RECORD_NAME)
    try:
        signing.verify(signed, signature, trusted, claimed_key_id=None, label=label)
    except VerificationError:
        return True
    return False


def _recorded_manifest(copy: Path) -> tuple[Manifest, bytes, bytes] | None:
    """The manifest recorded in ``copy``, its bytes and its signature, when the record can be
    read and is this copy's (its version and hash name the copy's folder); else None."""
    from somnet._files import NotARegularFile, read_regular
    from somnet.sharing.manifest import MAX_MANIFEST_BYTES, read_manifest, split_signed_manifest

    label = str(copy / SIGNED_RECORD_NAME)
    try:
        content = read_regular(copy / SIGNED_RECORD_NAME, limit=MAX_MANIFEST_BYTES, follow=False)
        signed, signature = split_signed_manifest(content, label)
        manifest = read_manifest(signed, label)
    except (OSError, NotARegularFile, VerificationError):
        return None
    named = copy_folder_of(f"{COPIES_NAME}/{copy.name}")
    if named != (manifest.version, manifest.bundle.sha256[:12]):
        return None  # another copy's record: it tells nothing of this one
    return manifest, signed, signature


def record_signed_manifest(copy: Path, signed: bytes) -> None:
    """Record in an installed copy the signed manifest that renewed it (the same bundle signed
    again, perhaps by a new key). A record that cannot be written leaves the one it had."""
    from somnet._files import write_atomic

    with contextlib.suppress(StorageError, OSError):
        if not (copy / SIGNED_RECORD_NAME).is_symlink():
            write_atomic(copy / SIGNED_RECORD_NAME, signed, mode=0o644)


@contextlib.contextmanager
def temporary_file(folder: Path, prefix: str) -> Iterator[Path]:
    """A new empty file in ``folder``, removed on leaving."""
    try:
        handle, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
        os.close(handle)
    except OSError as exc:
        raise StorageError(
            _("{folder}: cannot write: {value}").format(folder=folder, value=exc.strerror or exc)
        ) from exc
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def unpack_and_validate(
    download: Path, folder: Path, manifest: Manifest, now: datetime, signed: bytes
) -> str:
    """Unpack the verified bundle into a temporary folder, validate it as a directory, and move
    it into ``copies/``, with ``signed`` (the signed manifest that named it) recorded in it.

    Returns:
        The new copy's folder, relative to ``folder``.

    Raises:
        VerificationError: not a bundle, or its directory does not validate.
        StorageError: the copy cannot be written.
    """
    from somnet._clock import latest_date
    from somnet.directory.loading import load_directory
    from somnet.sharing.installed import (
        FILES_RECORD_NAME,
        STATS_RECORD_NAME,
        files_record,
        stats_record,
        without_prefix,
    )

    label = _("bundle {name} (version {version})").format(
        name=manifest.bundle.name, version=manifest.version
    )
    files = parse_bundle(download.read_bytes(), label)
    import secrets

    try:
        # Not mkdtemp, which makes it 0700: the copy is as readable as its files and the state,
        # by the umask (a service account may sync for the officers' accounts), and never
        # writable by others.
        incoming = folder / f".incoming-{secrets.token_hex(8)}"
        incoming.mkdir(mode=0o755)
    except OSError as exc:
        raise StorageError(
            _("{folder}: cannot write: {value}").format(folder=folder, value=exc.strerror or exc)
        ) from exc
    try:
        for relative, text in files.items():
            path = incoming.joinpath(*relative.split("/"))
            for parent in reversed(path.relative_to(incoming).parents[:-1]):
                (incoming / parent).mkdir(mode=0o755, exist_ok=True)
            # Readable by every user, changed by the owner only, whatever the umask.
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            with os.fdopen(os.open(path, flags, 0o644), "wb") as stream:
                stream.write(text.encode("utf-8"))
                stream.flush()
                os.fsync(stream.fileno())
        # What the files are as installed: a sync or status tells a copy changed since.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(incoming / FILES_RECORD_NAME, flags, 0o644), "wb") as stream:
            stream.write(files_record(files))
            stream.flush()
            os.fsync(stream.fileno())
        # Their sizes and times, which every command compares, as the digests cost a read.
        with os.fdopen(os.open(incoming / STATS_RECORD_NAME, flags, 0o644), "wb") as stream:
            stream.write(stats_record(incoming))
            stream.flush()
            os.fsync(stream.fileno())
        # Which key signed it, for a sync that finds the state damaged (salvaged_floor).
        with os.fdopen(os.open(incoming / SIGNED_RECORD_NAME, flags, 0o644), "wb") as stream:
            stream.write(signed)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            load_directory(base=incoming, use_env=False, today=latest_date(now))
        except DirectoryError as exc:
            first = without_prefix(exc.problems[0], f"{incoming}{os.sep}") if exc.problems else ""
            more = len(exc.problems) - 1
            text = (
                _n(
                    "{label} holds an invalid directory: {first} (and {more} more problem)",
                    "{label} holds an invalid directory: {first} (and {more} more problems)",
                    more,
                )
                if more
                else _("{label} holds an invalid directory: {first}")
            )
            raise VerificationError(text.format(label=label, first=first, more=more)) from exc
        # Never renamed over a folder of the same bundle (the installed copy whose files were
        # changed, or a leftover): the state names that one until it is written, and a sync
        # killed at any instant must leave it whole. The next free name; the one the state no
        # longer names is removed once it is written (remove_unused_copies).
        relative_copy = _free_copy_folder(folder, manifest)
        os.replace(incoming, folder / relative_copy)
        fsync_folder(folder / COPIES_NAME)
        return relative_copy
    except OSError as exc:
        raise StorageError(
            _("{folder}: cannot install: {value}").format(folder=folder, value=exc.strerror or exc)
        ) from exc
    finally:
        if incoming.exists():
            shutil.rmtree(incoming, ignore_errors=True)


def _free_copy_folder(folder: Path, manifest: Manifest) -> str:
    """The first folder for a copy of ``manifest``'s bundle that is not on disk.

    Raises:
        OSError: every one is (leftovers no sync could remove).
    """
    for install in range(1, MAX_INSTALLS + 1):
        relative = copy_folder(manifest.version, manifest.bundle.sha256, install)
        if not os.path.lexists(folder / relative):
            return relative
    raise OSError(errno.EEXIST, os.strerror(errno.EEXIST), str(folder / COPIES_NAME))


def remove_leftovers(folder: Path, state: SyncState | None) -> None:
    """After a sync whose checks passed: the temporary files and folders of earlier syncs
    that were killed, and the copies no state refers to (moved into place just before a
    crash). Only names somnet gives, in the folder it marked; links are removed, never
    followed."""
    for item in folder.iterdir():
        if item.name.startswith(TEMPORARY_PREFIXES):
            _remove(item)
    remove_unused_copies(folder, state)
    for relative in _kept_copies(state):
        copy = folder / relative
        if copy.is_symlink() or not copy.is_dir():
            continue
        for item in copy.iterdir():
            if item.name.startswith(_RECORD_TEMPORARY_PREFIXES) and item.name.endswith(".tmp"):
                _remove(item)


#: The temporary files of the records written into an installed copy after its install (as
#: ``write_atomic`` names them): a command killed while writing one leaves it in a copy that
#: is kept. Another command writing one at this moment then fails to, and says nothing: the
#: record is written again by the next.
_RECORD_TEMPORARY_PREFIXES = (f".{STATS_RECORD_NAME}.", f".{SIGNED_RECORD_NAME}.")


def _kept_copies(state: SyncState | None) -> set[str]:
    """The copies a state refers to (the installed one and the previous good one)."""
    if state is None:
        return set()
    kept = {state.current.folder}
    if state.previous is not None:
        kept.add(state.previous.folder)
    return kept


def remove_unused_copies(folder: Path, state: SyncState | None) -> None:
    """Keep the installed copy and the previous good one; remove the other copies (folders
    named as somnet names copies, never a link or anything else in ``copies/``)."""
    keep = _kept_copies(state)
    copies = folder / COPIES_NAME
    if copies.is_symlink() or not copies.is_dir():
        return
    for item in copies.iterdir():
        name = f"{COPIES_NAME}/{item.name}"
        if COPY_NAME.fullmatch(item.name) and not item.is_symlink() and name not in keep:
            _remove(item)


def remove_copy(folder: Path, relative: str) -> None:
    """Remove one copy (a new one whose install failed)."""
    shutil.rmtree(folder / relative, ignore_errors=True)


def _remove(item: Path) -> None:
    """Remove a file, a link (not its target) or a folder of somnet's."""
    with contextlib.suppress(OSError):
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item)  # does not follow the links inside
        else:
            item.unlink()
