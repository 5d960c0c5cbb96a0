"""The cache of the validated directory: keyed on every data file's identity, somnet's code and
the libraries validation depends on; read back only if this user wrote it (owner, mode and an
HMAC keyed by a per-user secret), through an unpickler that builds directory records only."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from somnet._i18n import Message, _
from somnet.directory.lookup import Directory

if TYPE_CHECKING:
    pass


def cache_key(folders: Sequence[Path], years: range) -> str:
    """Identifies the exact files a directory was read from: any edit, addition or removal of a
    data file, or a change of somnet's own code, changes it; so do the ``years`` whose public
    holidays the cache keeps with it.

    A file is known by its size, inode and times, and a file changed in the last minute by its
    content as well: a file system that keeps times to a second or two (a FAT stick, a network
    share) leaves them as they were when a file is edited twice in one tick keeping its size (a
    digit of a phone number corrected twice), and that second edit must not be served the
    directory read before it. Older files are not read: a later edit gets a later time.
    """
    import hashlib
    import time

    from somnet._version import __version__
    from somnet.directory.layers import layer_files

    recent = time.time_ns() - _RECENT_NS
    parts = [__version__, f"holidays {years.start}-{years.stop - 1}", *_code_fingerprint()]
    for folder in folders:
        parts.append(f"layer {folder.resolve()}")
        # A link broken since the cache was written must be reported, not served around.
        # os.path.isdir: a folder this user may not look at is no folder here (loading says
        # why), where Path.is_dir raises.
        paths, problems = layer_files(folder) if os.path.isdir(folder) else ([], [])
        parts += problems
        for path in paths:
            parts.append(f"{path} {_file_fingerprint(path, recent)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


#: How long after a change a file is known by its content too: far longer than the tick of
#: any file system's clock, so that no edit can fall in the tick of the one before it unseen.
_RECENT_NS = 60 * 1_000_000_000


def _file_fingerprint(path: Path, recent: int) -> str:
    """What changes whenever a file's content does: its size, inode and times, and its content
    when it changed at or after ``recent`` (nanoseconds since the epoch). The status-change
    time is set by the system on every write and cannot be set back by a tool that restores
    the modification time (touch, git, rsync), so a changed file is never mistaken for the one
    the cache was built from."""
    try:
        stat = path.stat()
        fingerprint = (
            f"{stat.st_size} {stat.st_mtime_ns} {stat.st_ctime_ns} {stat.st_ino} {stat.st_dev}"
        )
        if max(stat.st_mtime_ns, stat.st_ctime_ns) >= recent:
            import hashlib

            with path.open("rb") as stream:
                fingerprint += " " + hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return "unreadable"  # never cached: the load reports it
    return fingerprint


def _code_fingerprint() -> list[str]:
    """Somnet's own modules, by size and time: a cache written by other code (a development
    checkout, an upgrade that kept the version number) may hold records of another shape, or
    records that other checks would refuse."""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    parts = []
    # os.walk rather than Path.rglob: the key is computed on every command, and a walk of the
    # package's sixty modules through pathlib costs three times as much.
    for folder, subfolders, names in os.walk(package):
        subfolders.sort()
        relative = os.path.relpath(folder, package)
        for name in sorted(n for n in names if n.endswith(".py")):
            with contextlib.suppress(OSError):
                stat = os.stat(os.path.join(folder, name))
                module = name if relative == "." else f"{relative}/{name}"
                parts.append(f"{module} {stat.st_size} {stat.st_mtime_ns}")
    # The libraries whose answers validation depends on: an upgrade of phonenumbers (which
    # numbers are valid), pycountry (which codes exist), tzdata or holidays (the public
    # holidays kept in the cache) must revalidate. Their
    # metadata files change on every install; finding them imports nothing.
    from importlib.util import find_spec

    for name in ("phonenumbers", "pycountry", "tzdata", "cattrs", "holidays"):
        with contextlib.suppress(ImportError, ValueError, OSError, AttributeError):
            spec = find_spec(name)
            origin = spec.origin if spec else None
            if origin:
                stat = Path(origin).stat()
                parts.append(f"{name} {origin} {stat.st_size} {stat.st_mtime_ns}")
    return parts


def cache_file(cache_dir: Path, folders: Sequence[Path]) -> Path:
    """The cache file of one set of layers in ``cache_dir``: each set (the shipped directory
    alone, the same with an overlay, another install's) keeps its own, so that using them in
    turn rebuilds none. At most ``KEEP`` are kept; the one used longest ago goes first."""
    import hashlib

    layers = "\n".join(os.path.realpath(folder) for folder in folders)
    return cache_dir / f"directory-{hashlib.sha256(layers.encode()).hexdigest()[:16]}.pickle"


#: How many sets of layers keep a cache file (each the size of its directory: 1.7 MB for the
#: shipped one, 75 MB at global scale).
KEEP = 4


#: The one cache file of the versions before each set of layers had its own: read by none.
_SINGLE_FILE = "directory.pickle"


def _forget_older(kept: Path) -> None:
    """Remove the cache files beyond the ``KEEP`` used last (``kept`` is one of them), and the
    single cache file older versions wrote."""
    files = []
    for path in [*kept.parent.glob("directory-*.pickle"), kept.parent / _SINGLE_FILE]:
        with contextlib.suppress(OSError):
            status = path.lstat()
            # In a cache folder shared by mistake, another user's files are theirs to keep.
            if not hasattr(os, "geteuid") or status.st_uid == os.geteuid():
                files.append((status.st_mtime_ns, path))
    files.sort(reverse=True)
    stale = [path for _time, path in files if path.name == _SINGLE_FILE]
    stale += [path for _time, path in files if path.name != _SINGLE_FILE][KEEP:]
    for path in stale:
        if path != kept:
            with contextlib.suppress(OSError):
                path.unlink()


#: A file served is marked used (its time set to now) when it was last marked this long ago:
#: an hour is fine enough to tell which sets of layers are in use, and spares a write per run.
_MARK_NS = 3600 * 1_000_000_000


_CACHE_MAGIC = b"somnet-cache 2"


_SECRET_BYTES = 32


_HEADER_BYTES = len(_CACHE_MAGIC) + 1 + 2 * (64 + 1)


def cache_secret() -> tuple[bytes | None, str | None]:
    """The user's cache secret, made on first use; or None and why it cannot be used (a
    message, in the language in use when shown)."""
    from somnet._config import cache_key_path

    path = cache_key_path()
    try:
        handle = os.open(path, os.O_RDONLY | _NO_FOLLOW)
    except FileNotFoundError:
        return _new_secret(path), None
    except OSError as exc:
        return None, _unreadable_key(path, exc)
    try:
        status = os.fstat(handle)
        problem = _not_private(status, 0o077)
        secret = os.read(handle, _SECRET_BYTES + 1) if problem is None else b""
    except OSError as exc:
        return None, _unreadable_key(path, exc)
    finally:
        os.close(handle)
    if problem == "type":
        return None, _(
            "{path}: not a regular file; the directory cache is not used (remove it: somnet "
            "makes a new cache key)"
        ).format(path=path)
    if problem == "owner":
        return None, _(
            "{path}: owned by user {user}, not by this user; the directory cache is not used "
            "(remove the file: somnet makes a new one)"
        ).format(path=path, user=status.st_uid)
    if problem == "mode":
        return None, _(
            "{path}: mode {mode} lets other users in; the directory cache is not used (remove "
            "the file: somnet makes a new one)"
        ).format(path=path, mode=f"{status.st_mode & 0o7777:04o}")
    if len(secret) != _SECRET_BYTES:
        return None, _(
            "{path}: not a cache key; the directory cache is not used (remove the file: somnet "
            "makes a new one)"
        ).format(path=path)
    return secret, None


def _unreadable_key(path: Path, exc: OSError) -> str:
    return _(
        "{path}: cannot read the cache key ({reason}); the directory cache is not used"
    ).format(path=path, reason=exc.strerror or exc)


# Opening a named pipe would wait for a writer for ever: opened without waiting, it is then
# refused as not a regular file. Reads from a regular file never wait.
_NO_FOLLOW = (
    getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
)


def _not_private(status: os.stat_result, others: int) -> str | None:
    """Why a file is not this user's own (``others``: the mode bits no one else may have):
    ``type`` (not a regular file), ``owner`` or ``mode``; None when it is."""
    import stat

    if not stat.S_ISREG(status.st_mode):
        return "type"
    if hasattr(os, "geteuid") and status.st_uid != os.geteuid():
        return "owner"
    if status.st_mode & others:
        return "mode"
    return None


def _new_secret(path: Path) -> bytes | None:
    """Write a new secret, readable by this user only, unless another process just did."""
    import tempfile

    secret = os.urandom(_SECRET_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError:
        return None  # a cache that cannot be kept only costs time
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(secret)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, path)  # never replaces a secret another process made meanwhile
        except FileExistsError:
            return None  # this load goes without the cache; the next one reads that secret
        except OSError:
            os.replace(temporary, path)
        return secret
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def read_cache(cache_file: Path, key: str, secret: bytes) -> Directory | None:
    import hashlib
    import hmac

    try:
        handle = os.open(cache_file, os.O_RDONLY | _NO_FOLLOW)
    except OSError:
        return None
    try:
        # Checked on the file opened, then read from it: no swap between check and read.
        status = os.fstat(handle)
        if _not_private(status, 0o022) is not None:
            return None
        with os.fdopen(os.dup(handle), "rb") as stream:
            header = stream.read(_HEADER_BYTES)
            magic, _, rest = header.partition(b"\n")
            stored_key, _, mac = rest.partition(b"\n")
            if magic != _CACHE_MAGIC or stored_key != key.encode() or len(mac) != 65:
                return None
            payload = stream.read()
    except OSError:
        return None
    finally:
        os.close(handle)
    expected = hmac.new(secret, magic + b"\n" + stored_key + b"\n" + payload, hashlib.sha256)
    if not hmac.compare_digest(mac[:64], expected.hexdigest().encode()):
        return None
    try:
        directory = _RecordUnpickler(payload).load()
    except Exception:
        return None
    if not isinstance(directory, Directory):
        return None
    import time

    now = time.time_ns()
    if now - status.st_mtime_ns > _MARK_NS:
        # Used now: the files of other sets of layers go before it (see ``cache_file``).
        with contextlib.suppress(OSError):
            os.utime(cache_file, ns=(now, now))
    return directory


class _RecordUnpickler:
    """Unpickles only what a cached directory is made of: the records of ``_model`` and
    ``_hours``, the Directory, dates, paths and the loader's warnings. Any other name in the
    pickle stops it."""

    def __init__(self, payload: bytes) -> None:
        import io
        import pickle

        allowed = _allowed_classes()

        class Restricted(pickle.Unpickler):
            def find_class(self, module: str, name: str) -> Any:
                found = allowed.get((module, name))
                if found is None:
                    raise pickle.UnpicklingError(
                        _("{module}.{name} is not a directory record").format(
                            module=module, name=name
                        )
                    )
                return found

        self._unpickler = Restricted(io.BytesIO(payload))

    def load(self) -> Any:
        return self._unpickler.load()


@functools.cache
def _allowed_classes() -> dict[tuple[str, str], type]:
    import pathlib

    from somnet.directory import hours as _hours
    from somnet.directory import records as _model

    allowed: dict[tuple[str, str], Any] = {
        ("datetime", "date"): date,
        ("somnet.directory.lookup", "Directory"): Directory,
        # The loader's warnings, kept as messages: told in the language in use when shown.
        (__name__, "_message"): _message,
        (__name__, "_same"): _same,
    }
    for name in ("PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath"):
        allowed[("pathlib", name)] = getattr(pathlib, name)
    for module in (_model, _hours):
        for cls in vars(module).values():
            if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == module.__name__:
                allowed[(module.__name__, cls.__name__)] = cls
    return allowed


def _message(
    template: str, plural: str | None, count: int, values: dict[str, Any], literal: bool
) -> Message:
    """A warning read back from the cache: the message it was, not its English text."""
    return Message.make(template, plural, count, values, literal)


def _write_message(message: Message) -> tuple[Any, ...]:
    # A message pickles by itself as a call through getattr, which the cache never runs.
    return (
        _message,
        (message._template, message._plural, message._count, message._values, message._literal),
    )


def _same(record: Any) -> Any:
    """A record read back as one read before it: the cache writes a record equal to one it
    wrote already as a reference to that one (see ``write_cache``)."""
    return record


def write_cache(cache_file: Path, key: str, directory: Directory, secret: bytes) -> None:
    import hashlib
    import hmac
    import io
    import pickle

    from somnet._exceptions import StorageError
    from somnet._files import write_atomic

    reducers = _record_reducers()
    written: dict[Any, Any] = {}

    class RecordPickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            # The same source cited by forty records is forty equal records in the files: each
            # after the first is written as the first, so that reading the cache builds it once
            # (a third of the sources of the shipped directory). Records are frozen values, so
            # one can stand for every record equal to it.
            if type(obj) in reducers and type(obj) is not Message:
                try:
                    first = written.setdefault(obj, obj)
                except TypeError:  # a record holding a list or a dict: written as itself
                    return NotImplemented
                if first is not obj:
                    return _same, (first,)
            return NotImplemented

    buffer = io.BytesIO()
    pickler = RecordPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = reducers
    pickler.dump(directory)
    payload = buffer.getvalue()
    signed = _CACHE_MAGIC + b"\n" + key.encode() + b"\n"
    mac = hmac.new(secret, signed + payload, hashlib.sha256).hexdigest().encode()
    # A cache that cannot be written only costs time. Written 0600: it may hold a restricted
    # overlay's contacts.
    with contextlib.suppress(StorageError):
        write_atomic(cache_file, signed + mac + b"\n" + payload, mode=0o600)
        _forget_older(cache_file)


@functools.cache
def _record_reducers() -> dict[type, Callable[[Any], Any]]:
    """How the cache writes records: as the class and its field values, read back by calling
    the class. The default pickling of a frozen attrs class stores a dict of field names per
    record and sets each field on reading it; at global scale (250,000 records) that doubles
    the size of the cache and the time to read it. Classes whose constructor does more than
    store its arguments (converters, keyword-only fields, fields outside it) keep the default.
    """
    import copyreg
    import operator

    from somnet.directory import hours as _hours
    from somnet.directory import records as _model

    table: dict[type, Callable[[Any], Any]] = dict(copyreg.dispatch_table)
    table[Message] = _write_message
    for module in (_model, _hours):
        for cls in vars(module).values():
            if not (isinstance(cls, type) and attrs.has(cls)) or cls.__module__ != module.__name__:
                continue
            fields = attrs.fields(cls)
            if not fields or any(f.converter or f.kw_only or not f.init for f in fields):
                continue
            table[cls] = _reducer(cls, operator.attrgetter(*(f.name for f in fields)), len(fields))
    return table


def _reducer(
    cls: type, values: Callable[[Any], Any], count: int
) -> Callable[[Any], tuple[Any, ...]]:
    if count == 1:
        return lambda record: (cls, (values(record),))
    return lambda record: (cls, values(record))
