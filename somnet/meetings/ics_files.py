"""Writing invites as ``.ics`` files: a file replaced whole and readable by all, written through
a link to a regular file but never over a device, a pipe or a folder; one file per occurrence
in a folder for a series; a mistyped folder never created.

Every error names the field ``out`` and the path.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Collection
from glob import escape as glob_escape
from pathlib import Path

from somnet._exceptions import MeetingError, StorageError
from somnet._i18n import N_, _
from somnet.meetings.records import Meeting, Method

#: An .ics file is meant to be shared: readable by all, like the published directory.
ICS_MODE = 0o644

#: What ``stat`` calls the files an .ics is never written over.
_NOT_REGULAR = {
    "S_ISFIFO": N_("a named pipe (FIFO)"),
    "S_ISCHR": N_("a character device"),
    "S_ISBLK": N_("a block device"),
    "S_ISSOCK": N_("a socket"),
}


def _refuse(path: Path, reason: str) -> MeetingError:
    return MeetingError(reason, field="out", value=str(path))


def _check_name(path: Path) -> None:
    """Refuse a name that is not UTF-8 (bytes from a shell in another encoding): the meeting's
    record, UTF-8 JSON, keeps where its invites went and could not say it."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise _refuse(
            path,
            _(
                "{path}: the name is not UTF-8, and the meeting's record could not keep it; "
                "name a file in UTF-8"
            ).format(path=path),
        ) from None


def uninvite_path(out: Path) -> Path:
    """Where the CANCEL for removed attendees goes when the invite goes to ``out``:
    ``FILE-uninvite.ics`` beside ``FILE.ics``."""
    out = Path(out)
    return out.with_name(f"{out.stem}-uninvite{out.suffix or '.ics'}")


def series_file(folder: Path, meeting: Meeting, method: Method) -> Path:
    """The file of one occurrence of a series in ``folder``: named by its UTC date (the
    occurrences of a series fall in different periods, so on different dates), ``-cancel``
    added for a CANCEL so that it does not replace the invite."""
    suffix = "-cancel" if method == "CANCEL" else ""
    return Path(folder) / f"{meeting.start:%Y-%m-%d}{suffix}.ics"


def check_own_file(path: Path, uid: str, replaceable: Collection[str] = ()) -> None:
    """Refuse to write a series' file over one that holds another meeting's invite (a file
    of another series in the same folder, on the same date), or anything but an invite.

    Args:
        path: the occurrence's file (``series_file``).
        uid: the occurrence's UID.
        replaceable: the UIDs of meetings whose invites may be replaced (cancelled ones).

    Raises:
        MeetingError: naming the file (field ``out``).
    """
    from icalendar import Calendar

    target = out_target(path)
    try:
        content = target.read_bytes()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _refuse(
            path, _("cannot write {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from None
    try:
        uids = {str(event.get("UID", "")) for event in Calendar.from_ical(content).walk("VEVENT")}
    except ValueError:
        uids = set()
    if not uids or not uids <= {uid, *replaceable}:
        raise _refuse(
            path,
            _(
                "{path} holds another meeting's invite, or another file: it is not replaced; "
                "give a folder of this series' own"
            ).format(path=path),
        )


def check_folder(folder: Path, *, create: bool = True) -> None:
    """Refuse a folder for a series' files that is not a folder that can be written. It is
    created when missing, but not its parent: a mistyped path is not created.

    Args:
        folder: where the files go.
        create: create it when missing; when False, only its parent is checked (nothing is
            written yet: a record may still be refused).

    Raises:
        MeetingError: naming the folder and why (field ``out``).
    """
    folder = Path(folder)
    _check_name(folder)
    if folder.exists() and not folder.is_dir():
        raise _refuse(
            folder,
            _("{folder} is a file; a series needs a folder (one .ics each)").format(folder=folder),
        )
    if not folder.exists():
        _check_parent(folder, folder.parent)
        if not create:
            return
        try:
            folder.mkdir()
        except OSError as exc:
            raise _refuse(
                folder,
                _("cannot create {folder}: {error}").format(
                    folder=folder, error=exc.strerror or exc
                ),
            ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _refuse(
            folder, _("cannot write in {folder}: permission denied").format(folder=folder)
        )


def out_target(path: Path) -> Path:
    """The file that writing ``path`` replaces: ``path`` itself when it is a regular file or
    does not exist yet (its folder must exist: a mistyped folder is not created), or the
    regular file a symbolic link at ``path`` leads to (the link stays, the file is replaced).

    Args:
        path: where the invite is to be written.

    Returns:
        The file replaced.

    Raises:
        MeetingError: (field ``out``) ``path`` is a folder, a device, a named pipe, a socket,
            a link to one of them or to nothing, or its folder is missing or cannot be
            written.
    """
    import stat

    path = Path(path)
    _check_name(path)
    try:
        info: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _refuse(
            path, _("cannot write {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from None
    target = path
    if info is not None and stat.S_ISLNK(info.st_mode):
        target = Path(os.path.realpath(path))
        try:
            info = os.stat(target)
        except OSError:
            raise _refuse(
                path,
                _("{path} links to {target}, which does not exist; name the file itself").format(
                    path=path, target=target
                ),
            ) from None
        what = _file_kind(info)
        if what is not None and not stat.S_ISDIR(info.st_mode):
            raise _refuse(
                path,
                _("{path} links to {target}, {what}, not a regular file").format(
                    path=path, target=target, what=what
                ),
            )
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise _refuse(
            path, _("{path} is a directory; name a file such as meeting.ics").format(path=path)
        )
    what = _file_kind(info) if info is not None else None
    if what is not None:
        raise _refuse(
            path,
            _("{path} is {what}, not a regular file; name a regular file or a new one").format(
                path=path, what=what
            ),
        )
    _check_parent(path, target.parent)
    return target


def _file_kind(info: os.stat_result) -> str | None:
    """What a file that is neither regular nor a folder is (None for those two)."""
    import stat

    return next(
        (_(what) for test, what in _NOT_REGULAR.items() if getattr(stat, test)(info.st_mode)),
        None,
    )


def _check_parent(path: Path, parent: Path) -> None:
    if not parent.exists():
        raise _refuse(path, _("the folder {parent} does not exist").format(parent=parent))
    if not parent.is_dir():
        raise _refuse(
            path,
            _("cannot write {path}: {parent} is not a directory").format(path=path, parent=parent),
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _refuse(
            path,
            _("cannot write {path}: permission denied in {parent}").format(
                path=path, parent=parent
            ),
        )


def check_writable(path: Path) -> None:
    """Refuse a path for an invite that cannot be written, before anything is sent (see
    ``out_target``).

    Args:
        path: where the invite is to be written.

    Raises:
        MeetingError: naming the path and why (field ``out``).
    """
    out_target(path)


def write_ics(path: Path, ics: bytes) -> None:
    """Write an .ics file atomically, readable by all (``ICS_MODE``), through a link to a
    regular file (see ``out_target``).

    Args:
        path: where.
        ics: the iCalendar object.

    Raises:
        MeetingError: the file cannot be written (the user named it: bad input).
    """
    commit_ics(*stage_ics(path, ics))


def stage_ics(path: Path, ics: bytes) -> tuple[Path, Path]:
    """Write ``ics`` whole to a hidden file beside the file ``path`` names, for
    ``commit_ics`` to move there (or for the caller to remove).

    Args:
        path: where the invite is to be written.
        ics: the iCalendar object.

    Returns:
        The hidden file, and the file it is to replace.

    Raises:
        MeetingError: it cannot be written (field ``out``).
    """
    from somnet._files import write_atomic

    path = Path(path)
    target = out_target(path)
    _remove_abandoned(target)
    pending = target.with_name(f".{target.name}.{_owner()}.{uuid.uuid4().hex[:12]}.pending")
    try:
        write_atomic(pending, ics, mode=ICS_MODE)
    except StorageError as exc:
        cause = exc.__cause__
        raise _refuse(
            path,
            _("{path}: cannot write: {error}").format(
                path=path, error=getattr(cause, "strerror", None) or cause or exc
            ),
        ) from exc
    return pending, target


def _owner() -> str:
    """Who writes a hidden file: this machine's name and this process's id, with no dot."""
    import socket

    host = "".join(c if c.isalnum() or c == "-" else "-" for c in socket.gethostname())
    return f"{host or 'host'}-{os.getpid()}"


def _remove_abandoned(target: Path) -> None:
    """Remove the hidden files that ``stage_ics`` wrote for ``target`` in a run that was
    killed before it could move or remove them (``kill -9``, a power cut): those of a
    process of this machine that is no longer running. The invite they hold was never put
    in its place; the run that completes the delivery writes its own."""
    if os.name != "posix":
        return
    host = _owner().rsplit("-", 1)[0]
    pattern = f".{glob_escape(target.name)}.{glob_escape(host)}-*.pending"
    # And the temporary file of one killed while it was written (``write_atomic``'s).
    for found in [*target.parent.glob(pattern), *target.parent.glob(f".{pattern}.*.tmp")]:
        name = found.name
        if name.endswith(".tmp"):
            name, _dot, random = name[1:].removesuffix(".tmp").rpartition(".")
            if len(random) != 8 or not name.endswith(".pending"):
                continue
        rest = name[len(f".{target.name}.{host}-") : -len(".pending")]
        pid, dot, digits = rest.partition(".")
        if not (pid.isdigit() and dot and len(digits) == 12 and _is_hex(digits)):
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            found.unlink(missing_ok=True)
        except OSError:
            continue  # running, as another user


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


def commit_ics(pending: Path, path: Path) -> None:
    """Move the file ``stage_ics`` wrote to its place.

    Args:
        pending: the hidden file.
        path: the file it replaces.

    Raises:
        MeetingError: it cannot be moved there (field ``out``); the hidden file is removed.
    """
    try:
        os.replace(pending, path)
    except OSError as exc:
        pending.unlink(missing_ok=True)
        raise _refuse(
            path, _("cannot write {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from exc
