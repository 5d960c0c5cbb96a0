"""The sync state (``state.json`` in the sync folder): where the copy comes from, which trust
files to read, the ETag to send back, and the installed and previous copies.

Only the installed copy is indispensable (it also names the directory the folder follows): a
state file whose installed copy cannot be read is damaged. Any other value that cannot be used
is left out with a warning, so that no saved value can make a sync impossible.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import attrs

from somnet._config import SYNC_STATE_NAME
from somnet._exceptions import StorageError
from somnet._i18n import Message, _
from somnet.sharing import _json
from somnet.sharing.manifest import (
    directory_name_fault,
    key_id_fault,
    sha256_fault,
    shown,
    size_fault,
    version_fault,
)

STATE_FORMAT = 1
#: The folder of the sync folder that holds the copies, each named ``VERSION-SHA256[:12]``
#: (``VERSION-SHA256[:12]-N`` for a copy installed again beside the one it replaces).
COPIES_NAME = "copies"
#: A copy's folder name in ``copies/``: its version, its SHA-256 prefix, and which install.
COPY_NAME = re.compile(r"([1-9][0-9]{0,18})-([0-9a-f]{12})(?:-([2-9]|[1-9][0-9]{1,2}))?")
#: The most folders one bundle may have at once: the installed copy and those replacing it.
MAX_INSTALLS = 999
#: The longest ETag kept to send back.
MAX_ETAG = 256
_SAFE_ETAG = re.compile(rf"[\x21-\x7e](?:[\x20-\x7e]{{0,{MAX_ETAG - 2}}}[\x21-\x7e])?")


def copy_folder(version: int, sha256: str, install: int = 1) -> str:
    """The folder of a copy, relative to the sync folder: ``copies/VERSION-SHA256[:12]``, with
    ``-N`` after it for the ``install`` N (2 to ``MAX_INSTALLS``) of a bundle installed again
    while a copy of it is on disk (its files were changed): the new copy is never renamed over
    the one the state names, so that a sync killed at any instant leaves that one whole."""
    name = f"{COPIES_NAME}/{version}-{sha256[:12]}"
    return name if install == 1 else f"{name}-{install}"


def copy_folder_of(folder: str) -> tuple[int, str] | None:
    """The version and the SHA-256 prefix of the copy whose folder (relative to the sync
    folder) is ``folder``, or None when somnet does not name a copy's folder so."""
    parent, _slash, name = folder.partition("/")
    match = COPY_NAME.fullmatch(name) if parent == COPIES_NAME else None
    return (int(match.group(1)), match.group(2)) if match else None


def safe_etag(value: Any) -> str | None:
    """``value`` if it can be sent back in ``If-None-Match`` as it is (printable ASCII, at most
    ``MAX_ETAG`` characters), else None. A server, or whoever answers in its name, chooses
    the ETag: stored unchecked, one odd value would break every later sync."""
    return value if isinstance(value, str) and _SAFE_ETAG.fullmatch(value) else None


def _etag_fault(value: str | None) -> str | None:
    if value is None or safe_etag(value) is not None:
        return None
    return _(
        "{value} cannot be sent back to the server (printable ASCII, at most {max_etag} characters)"
    ).format(value=shown(value), max_etag=MAX_ETAG)


def _source_fault(value: str) -> str | None:
    if value.isascii() and value.startswith(("http://", "https://")):
        return None
    return _("{value} is not an http(s) URL").format(value=shown(value))


def _trust_fault(value: tuple[str, ...]) -> str | None:
    if all(path.strip() for path in value):
        return None
    return _("{value} is not a list of trust files").format(value=shown(list(value)))


@attrs.frozen
class InstalledCopy:
    """One synced copy on disk and the manifest it was installed from.

    Attributes:
        version, sha256, size, created, expires: the manifest's (sha256 and size of the bundle).
        key_id: the key that signed the manifest (its revocation lifts the version floor).
        directory: the directory the manifest names: the installed copy's is the one the sync
            folder follows, from its first sync on (a manifest that names another is refused).
        synced_at: when it was installed.
        folder: where it is, relative to the sync folder: ``copies/VERSION-SHA256[:12]``
            (:func:`copy_folder`).
    """

    version: int = attrs.field(metadata=_json.checked(version_fault))
    sha256: str = attrs.field(metadata=_json.checked(sha256_fault))
    size: int = attrs.field(metadata=_json.checked(size_fault))
    created: datetime
    expires: datetime
    key_id: str = attrs.field(metadata=_json.checked(key_id_fault))
    directory: str = attrs.field(metadata=_json.checked(directory_name_fault))
    synced_at: datetime
    folder: str

    def folder_fault(self) -> str | None:
        """What is wrong with ``folder``, which must be the folder of this version and hash."""
        if copy_folder_of(self.folder) == (self.version, self.sha256[:12]):
            return None
        return _("{value} is not the copy's folder").format(value=shown(self.folder))


@attrs.frozen
class SyncState:
    """``state.json``: where the copy comes from, which trust files to read, what is installed.

    The trust files are recorded by name, never their keys: each sync reads them again, so
    that a key added to a trust file is followed and a key removed from it is revoked.

    Attributes:
        source: the signed manifest's URL ("" when the recorded one could not be used).
        trust: the trust files, as absolute paths.
        current: the installed copy.
        previous: the previous good copy, kept to fall back on.
        etag: the signed manifest's ETag, sent back in ``If-None-Match``.
        checked_at: when the server was last asked.
    """

    format: Literal[1] = attrs.field(default=STATE_FORMAT, kw_only=True)
    source: str = attrs.field(metadata=_json.checked(_source_fault))
    trust: tuple[str, ...] = attrs.field(metadata=_json.checked(_trust_fault))
    current: InstalledCopy
    previous: InstalledCopy | None = None
    etag: str | None = attrs.field(default=None, metadata=_json.checked(_etag_fault))
    checked_at: datetime | None = None


#: What an unusable value of the state file is replaced with.
_FALLBACKS: dict[str, Any] = {
    "source": "",
    "trust": (),
    "previous": None,
    "etag": None,
    "checked_at": None,
}


def state_bytes(state: SyncState) -> bytes:
    """The state file's content."""
    return _json.dumps(state, indent=2) + b"\n"


def parse_state(content: bytes) -> tuple[SyncState, list[str]]:
    """A state file, and its values that could not be used (each ``$.field: why``), which are
    left out.

    Raises:
        ValueError: not a state file, or its installed copy cannot be read.
    """
    try:
        value = _json.parse(content)
    except _json.Malformed as exc:
        # Why, where: a name twice in one object is JSON, and which name is what to mend.
        raise ValueError(exc.message) from None
    if not isinstance(value, dict) or type(value.get("format")) is not int:
        raise ValueError(
            _("not a somnet sync state (format {state_format})").format(state_format=STATE_FORMAT)
        )
    if value["format"] != STATE_FORMAT:
        # Written by another somnet (a newer one, after a downgrade): its format, not "not one".
        raise ValueError(
            _(
                "format {found}, which this somnet does not read: it reads format {state_format}"
            ).format(found=value["format"], state_format=STATE_FORMAT)
        )
    try:
        current = _copy(value.get("current"), "$.current")
    except _json.Malformed as exc:
        raise ValueError(exc.message) from None
    types = attrs.fields_dict(attrs.resolve_types(SyncState))
    usable: dict[str, Any] = {}
    ignored: list[str] = []
    for name, fallback in _FALLBACKS.items():
        if name not in value:
            ignored.append(_json.Malformed(f"$.{name}", _("missing")).message)
            usable[name] = fallback
            continue
        try:
            if name == "previous":
                usable[name] = None if value[name] is None else _copy(value[name], "$.previous")
                continue
            usable[name] = _json.structure_value(value[name], types[name].type, f"$.{name}")
            check = types[name].metadata.get("check")
            fault = check(usable[name]) if check is not None else None
            if fault is not None:
                raise _json.Malformed(f"$.{name}", fault)
        except _json.Malformed as exc:
            ignored.append(exc.message)
            usable[name] = fallback
    for unknown in sorted(set(value) - set(types)):
        ignored.append(_json.Malformed(f"$.{unknown}", _("unknown key")).message)
    return SyncState(current=current, **usable), ignored


def _copy(value: Any, where: str) -> InstalledCopy:
    copy = _json.structure(value, InstalledCopy, where)
    fault = copy.folder_fault()
    if fault is not None:
        raise _json.Malformed(f"{where}.folder", fault)
    return copy


def load_state(folder: Path) -> tuple[SyncState | None, list[str]]:
    """The sync state in ``folder`` (None when nothing was ever synced there), and its values
    that could not be used (:func:`parse_state`).

    Raises:
        StorageError: the state file exists but cannot be read, or its installed copy cannot
            be understood.
    """
    path = Path(folder) / SYNC_STATE_NAME
    try:
        content = _state_bytes_on_disk(path)
    except (FileNotFoundError, NotADirectoryError) as exc:
        target = _dangling_target(path)
        if target is None:
            return None, []
        # A link to a file gone: a state that cannot be read, not "nothing synced" with a copy
        # installed there (a sync with URL and keys replaces the link, never what it named).
        raise StorageError(
            _("{path}: a symbolic link to {value}, which does not exist").format(
                path=path, value=target
            )
        ) from exc
    except OSError as exc:
        raise StorageError(
            _("{path}: cannot read: {value}").format(path=path, value=exc.strerror or exc)
        ) from exc
    except ValueError as exc:
        why = exc.args[0]
        if is_folder(path):
            # A sync cannot write the state in its place either: somnet removes no folder it
            # did not make, so it says what will.
            why = _(
                "a folder, not a file: somnet removes only what it made; remove it, then sync "
                "with the site's URL and the trust files"
            )
        raise StorageError(
            _("{path}: the sync state is damaged ({exc})").format(path=path, exc=why)
        ) from exc
    try:
        return parse_state(content)
    except ValueError as exc:
        # The reason itself, a message told in the language in use (not str(exc), English).
        why = exc.args[0] if exc.args else str(exc)
        raise StorageError(
            _("{path}: the sync state is damaged ({exc})").format(path=path, exc=why)
        ) from exc


def is_folder(path: Path) -> bool:
    """Whether ``path`` is itself a folder (not a link to one, which a file can replace)."""
    import stat

    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _dangling_target(path: Path) -> str | None:
    """Where ``path`` points when it is a symbolic link to nothing, else None."""
    try:
        return os.readlink(path)
    except OSError:  # not a link (or gone meanwhile)
        return None


#: The largest state file read: one is a few hundred bytes.
MAX_STATE_BYTES = 1024 * 1024


def _state_bytes_on_disk(path: Path) -> bytes:
    """The state file's bytes, read as every command reads them: never waiting on a named
    pipe, nor reading a device (a link to /dev/zero) or a file past ``MAX_STATE_BYTES``
    without end.

    Raises:
        OSError: it cannot be read (FileNotFoundError when there is none).
        ValueError: it is not a regular file, or too large to be a state file.
    """
    from somnet._files import read_regular

    return read_regular(path, limit=MAX_STATE_BYTES)


def recorded_source_and_trust(folder: Path) -> tuple[str, tuple[str, ...]] | None:
    """The source and the trust files recorded in a state file damaged elsewhere (its
    installed copy unreadable), when both can still be used: a scheduled sync starts afresh
    from them. None when the file is missing, not a state file, or either is unusable."""
    try:
        value = _json.parse(_state_bytes_on_disk(Path(folder) / SYNC_STATE_NAME))
    except (OSError, ValueError, _json.Malformed):
        return None
    if not isinstance(value, dict) or value.get("format") != STATE_FORMAT:
        return None
    types = attrs.fields_dict(attrs.resolve_types(SyncState))
    found: list[Any] = []
    for name in ("source", "trust"):
        try:
            usable = _json.structure_value(value.get(name), types[name].type, f"$.{name}")
        except _json.Malformed:
            return None
        if not usable or types[name].metadata["check"](usable) is not None:
            return None
        found.append(usable)
    return found[0], tuple(found[1])


def ignored_warning(path: Path, why: str) -> Message:
    """What to say of a value of the state file ``path`` that cannot be used (``why``, as
    :func:`load_state` lists it): the next sync writes the state without it."""
    return _("{path}: {why}; ignored").format(path=path, why=why)


def read_state(folder: Path) -> SyncState | None:
    """The sync state in ``folder``, or None when nothing was ever synced there.

    Raises:
        StorageError: as :func:`load_state`.
    """
    return load_state(folder)[0]


def write_state(folder: Path, state: SyncState) -> None:
    """Replace the state file atomically: the moment a sync's install happens.

    Raises:
        StorageError: it cannot be written.
    """
    from somnet._files import write_atomic

    write_atomic(Path(folder) / SYNC_STATE_NAME, state_bytes(state), mode=0o644)


def state_written(folder: Path, state: SyncState) -> bool:
    """Whether the state file in ``folder`` is ``state`` as :func:`write_state` writes it: after
    an interruption (Ctrl-C) around its rename, whether the rename took place. False when the
    file cannot be read."""
    try:
        return _state_bytes_on_disk(Path(folder) / SYNC_STATE_NAME) == state_bytes(state)
    except (OSError, ValueError):
        return False
