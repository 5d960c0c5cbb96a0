"""One run at a time in a folder: a sync in its sync folder, a publication in its site, the
runs that record and send from a meeting store.

The lock is the kernel's (``flock``) on a file of the folder: it ends with the process that
holds it, so a run killed with ``kill -9`` leaves nothing that blocks the next. The file says
who holds it (``pid N, since TIME``), for the message of a run refused meanwhile. On a
filesystem without locks (some network shares) the run goes on unlocked, and says so.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from somnet._exceptions import SomnetError, StorageError
from somnet._i18n import _
from somnet._time import utc_text

#: How many times a lock file removed by the run that held it is opened again.
_REOPENS = 5
#: What flock answers where another process holds the lock; anything else means the
#: filesystem cannot lock (ENOLCK, EOPNOTSUPP...).
_HELD_ELSEWHERE = frozenset({errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES})


@contextlib.contextmanager
def held(
    path: Path,
    *,
    since: datetime,
    busy: Callable[[str], SomnetError],
    link: Callable[[], SomnetError],
    remove: bool = False,
) -> Iterator[bool]:
    """Hold the lock on ``path`` (created if missing), or refuse at once.

    Args:
        path: the lock file.
        since: when this run began: the file says who holds it, ``pid N, since TIME``.
        busy: the error when another run holds it, given `` (pid N, since TIME)`` or "".
        link: the error when ``path`` is a symbolic link (never followed).
        remove: remove the file on leaving (a folder that others serve, a site, keeps no
            file of somnet's between runs); a run that opened it meanwhile opens it again.

    Yields:
        True, or False where the filesystem has no locks (the caller warns: two runs at once
        are not kept apart there).

    Raises:
        StorageError: the lock cannot be taken (or what ``busy`` and ``link`` return).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory lock
        yield True
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(_REOPENS):
        try:
            handle = os.open(path, flags, 0o600)
        except OSError as exc:
            if path.is_symlink():
                raise link() from None
            raise StorageError(
                _("{folder}: cannot lock: {value}").format(
                    folder=path.parent, value=exc.strerror or exc
                )
            ) from exc
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            refusal = None
        except OSError as exc:
            refusal = exc.errno
        if refusal is not None and refusal not in _HELD_ELSEWHERE:
            os.close(handle)
            if remove:
                with contextlib.suppress(OSError):
                    path.unlink()
            yield False
            return
        if refusal is not None:
            holder = os.pread(handle, 200, 0).decode("ascii", "replace").strip()
            os.close(handle)
            # The lock file's own words, "pid 123, since 2026-...Z", told in the language in use.
            words = re.fullmatch(r"pid (\d+), since ([0-9T:Z-]+)", holder)
            who = (
                " (" + _("pid {pid}, since {time}").format(pid=words[1], time=words[2]) + ")"
                if words
                else ""
            )
            raise busy(who)
        try:
            # A file removed by the run that held it locks nothing: the one at the path counts.
            current = os.path.samestat(os.fstat(handle), os.stat(path, follow_symlinks=False))
        except OSError:
            current = False
        if current:
            break
        os.close(handle)
    else:  # pragma: no cover - removed under this run five times in a row
        raise busy("")
    try:
        # Who holds the lock, for the message of the next run only: a full disk that cannot
        # take these few bytes does not stop this one (the lock is held all the same).
        with contextlib.suppress(OSError):
            os.ftruncate(handle, 0)
            os.pwrite(handle, f"pid {os.getpid()}, since {utc_text(since)}\n".encode(), 0)
        yield True
    finally:
        if remove:
            with contextlib.suppress(OSError):
                path.unlink()
        os.close(handle)
