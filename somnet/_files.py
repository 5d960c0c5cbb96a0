"""Writing files so that nothing on disk is ever half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from somnet._exceptions import StorageError
from somnet._i18n import _


def write_atomic(path: Path, content: bytes, *, mode: int | None = None) -> None:
    """Write ``content`` to ``path`` all or nothing: a temporary file in the same folder,
    flushed to disk, then renamed over the target.

    Args:
        path: the file to write; its folder is created if missing.
        content: the bytes.
        mode: permission bits for the new file (e.g. 0o600 for a private key).

    Raises:
        StorageError: the folder or file cannot be written; no temporary file is left behind.
    """
    path = Path(path)
    try:
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
