"""Writing files so that nothing on disk is ever half-written, and reading the small files
somnet keeps without ever waiting on one."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from somnet._exceptions import BadInputError, StorageError
from somnet._i18n import _


def one_or_many(paths: object, field: str) -> list[str | os.PathLike[str]]:
    """The paths given: one path given alone is that path, not a sequence of one-letter
    names (a script's ``"office.key.pub"`` where a list was expected).

    Raises:
        BadInputError: naming ``field``: neither a path nor a collection of paths (None,
            bytes, a number), or an item that is not a path.
    """
    given: list[object] = (
        list(paths)
        if isinstance(paths, Iterable) and not isinstance(paths, str | bytes | os.PathLike)
        else [paths]
    )
    return [refuse_not_a_path(path, field) for path in given]


def refuse_not_a_path(
    path: object, field: str, error: type[BadInputError] = BadInputError
) -> str | os.PathLike[str]:
    """Refuse a path given to the library as something else (None, bytes, a number, a text
    that holds a NUL character), naming ``field``: ``Path()`` or the system would fail with a
    ``TypeError`` or ``ValueError`` deep inside.

    Returns:
        ``path``, known to be one.

    Raises:
        BadInputError: (or ``error``, one of its kinds) naming ``field``.
    """
    # A NUL character ends a name for the system: Python refuses it with a ValueError.
    if (
        not isinstance(path, str | os.PathLike)
        or not isinstance(os.fspath(path), str)
        or "\x00" in os.fspath(path)
    ):
        raise error(
            _("{value} is not a path").format(value=repr(path)[:40]), field=field, value=path
        )
    return path


def refuse_dangling_link(path: Path, field: str) -> None:
    """Refuse a symbolic link to nowhere where a folder is to be made: it would not be made
    where the link points, and the error would be the disk's, not the user's.

    Raises:
        BadInputError: naming ``field``.
    """
    if path.is_symlink() and not path.exists():
        raise BadInputError(
            _("{path}: a symbolic link to {value}, which does not exist").format(
                path=path, value=os.readlink(path)
            ),
            field=field,
            value=path,
        )


def refuse_file_for_folder(folder: Path, field: str, value: object = None) -> None:
    """Refuse a file where ``folder``, or a folder above it, belongs: the folder could never
    be made, and the error would be the disk's (or an empty folder), not the user's.

    A folder this user may not look into (a service account's) hides what is in it: that is
    not judged here, and the folder is used, or not, as if this were not asked.

    Raises:
        BadInputError: naming ``field`` and the file (``value``: what the user gave, by
            default ``folder``).
    """
    import stat

    def is_file(path: Path) -> bool:
        try:
            return not stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:  # missing, or hidden from this user
            return False

    taken = next((p for p in (folder, *folder.parents) if is_file(p)), None)
    if taken is not None:
        raise BadInputError(
            _("{path}: a file, not a folder").format(path=taken),
            field=field,
            value=folder if value is None else value,
        )


def refuse_missing_folder(
    path: Path, field: str, error: type[BadInputError] = BadInputError
) -> None:
    """Refuse a path whose folder is missing, or is a file: that folder is never made (a
    mistyped path would hide what is written there).

    Raises:
        BadInputError: (or ``error``, one of its kinds) naming ``field`` and ``path``.
    """
    parent = path.parent
    if parent.is_dir():
        return
    raise error(
        _("{site}: a file, not a folder").format(site=parent)
        if parent.exists()
        else _("the folder {parent} does not exist").format(parent=parent),
        field=field,
        value=path,
    )


def refuse_empty(path: str | Path, field: str, error: type[BadInputError] = BadInputError) -> None:
    """Refuse an empty path given for ``field``: ``Path("")`` is the working folder, and an
    unset variable in a script would read it, or write into it; and what is not a path.

    Raises:
        BadInputError: (or ``error``, one of its kinds) the path is empty, or not a path.
    """
    refuse_not_a_path(path, field, error)
    if not str(path).strip():
        raise error(_("an empty path; give a file or folder"), field=field, value=str(path))


def write_atomic(
    path: Path, content: bytes, *, mode: int | None = None, make_folder: bool = True
) -> None:
    """Write ``content`` to ``path`` all or nothing: a temporary file in the same folder,
    flushed to disk, then renamed over the target.

    Args:
        path: the file to write; its folder is created if missing (unless ``make_folder`` is
            false: a file kept inside a folder that someone else may remove meanwhile, which
            must not be made again).
        content: the bytes.
        mode: permission bits for the new file (e.g. 0o600 for a private key).

    Raises:
        StorageError: the folder or file cannot be written; no temporary file is left behind.
    """
    import tempfile

    path = Path(path)
    try:
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise StorageError(
            _("{path}: cannot write: {error}").format(path=path, error=exc.strerror or exc)
        ) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise StorageError(
                _("{path}: cannot write: {error}").format(path=path, error=exc.strerror or exc)
            ) from exc
        raise
    # The rename itself is kept in the folder's entry: without this, a power cut soon after
    # could bring back the file's earlier version (whole, never half-written).
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


class NotARegularFile(ValueError):
    """A file somnet keeps is something else (a named pipe, a device), or too large to be one."""


def read_regular(path: Path, *, limit: int, follow: bool = True) -> bytes:
    """The bytes of a small file somnet keeps (a record, a state), read without ever waiting:
    a named pipe is opened without waiting for a writer and refused, as is a device (a link to
    ``/dev/zero`` would be read without end) and a file longer than ``limit`` bytes.

    Args:
        path: the file.
        limit: the most bytes such a file may hold.
        follow: follow a symbolic link at ``path`` (else opening one fails).

    Raises:
        OSError: it cannot be opened or read (FileNotFoundError when there is none).
        NotARegularFile: not a regular file, or longer than ``limit`` (the reason, a message).
    """
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise NotARegularFile(_("not a regular file"))
        with os.fdopen(os.dup(handle), "rb") as stream:
            content = stream.read(limit + 1)
    finally:
        os.close(handle)
    if len(content) > limit:
        raise NotARegularFile(_("larger than {limit} bytes").format(limit=limit))
    return content
