"""The bundle: a directory folder's data files as one deterministic JSON file, and its reading
with every path checked to stay inside the folder it is unpacked into::

    {"format": "somnet-directory-bundle/1", "files": {"states/BS.toml": "...", ...}}
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import attrs

from somnet._exceptions import StorageError, VerificationError
from somnet._i18n import _
from somnet.directory.layers import path_clash, plain_path, windows_reserved
from somnet.sharing import _json

BUNDLE_FORMAT = "somnet-directory-bundle/1"
#: The absolute cap on a bundle, whatever its manifest says (the shipped directory is ~500 kB).
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
MAX_BUNDLE_FILES = 10_000


@attrs.frozen
class Bundle:
    """A directory's data files by relative path (``/`` between folders), with their text."""

    format: Literal["somnet-directory-bundle/1"] = attrs.field(default=BUNDLE_FORMAT, kw_only=True)
    files: dict[str, str]


def carried(relative: str) -> bool:
    """Whether a bundle may carry a file at ``relative`` (``/`` between folders): a ``*.toml``
    path of plain names (:func:`plain_path`), which no client unpacks outside its folder, and
    which every client's file system can hold (:func:`windows_reserved`). The names a layer
    may hold are the same (``somnet.directory.layers.name_problems``)."""
    return plain_path(relative) and windows_reserved(relative) is None


def build_bundle(folder: Path) -> tuple[bytes, int]:
    """A directory folder as one deterministic bundle: its ``*.toml`` files, by relative path.

    Returns:
        The bundle's bytes and the number of files in it.

    Raises:
        BadInputError: a data file whose path a bundle cannot carry (:func:`carried`), two
            whose paths clash (:func:`path_clash`), more files or bytes than a client accepts
            (``MAX_BUNDLE_FILES``, ``MAX_BUNDLE_BYTES``): which every client would refuse
            (field ``data``).
        StorageError: a data file cannot be read.
    """
    from somnet._exceptions import BadInputError
    from somnet.directory.layers import data_files

    files: dict[str, str] = {}
    for path in data_files(folder):
        relative = path.relative_to(folder).as_posix()
        if not plain_path(relative):
            raise BadInputError(
                _(
                    "{path}: a bundle carries only paths of at most 255 characters whose "
                    "folder and file names are of letters a-z and A-Z, digits, '_', '.' and "
                    "'-' (every agency would refuse it): rename it"
                ).format(path=path),
                field="data",
                value=path,
            )
        reserved = windows_reserved(relative)
        if reserved is not None:
            raise BadInputError(
                _(
                    "{path}: {name} is a name Windows keeps for a device (CON, PRN, AUX, NUL, "
                    "COM0 to COM9, LPT0 to LPT9, in any case and with any extension) or ends in "
                    "a dot: an agency on Windows could not install it (every agency would "
                    "refuse it): rename it"
                ).format(path=path, name=repr(reserved)),
                field="data",
                value=path,
            )
        try:
            files[relative] = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:  # validation read it a moment ago
            raise StorageError(_("{path}: cannot read: {exc}").format(path=path, exc=exc)) from exc
    clash = path_clash(files)
    if clash is not None:
        raise BadInputError(
            _(
                "{first} and {second}: paths that differ only by case, or a file named as a "
                "folder but for case, cannot be unpacked side by side on a case-insensitive "
                "file system (macOS, Windows), so every agency would refuse the bundle: "
                "rename one"
            ).format(first=folder / clash[0], second=folder / clash[1]),
            field="data",
            value=folder / clash[1],
        )
    # The caps every client reads a bundle with: beyond them, a signed bundle none installs.
    if len(files) > MAX_BUNDLE_FILES:
        raise BadInputError(
            _(
                "{folder}: {count} data files, more than the {max_bundle_files} a bundle may "
                "carry (every agency would refuse it)"
            ).format(folder=folder, count=len(files), max_bundle_files=MAX_BUNDLE_FILES),
            field="data",
            value=folder,
        )
    content = _json.dumps(Bundle(files=files), ensure_ascii=False, separators=(",", ":"))
    if len(content) > MAX_BUNDLE_BYTES:
        raise BadInputError(
            _(
                "{folder}: a bundle of {size} bytes, more than the {max_bundle_bytes} every "
                "agency accepts"
            ).format(folder=folder, size=len(content), max_bundle_bytes=MAX_BUNDLE_BYTES),
            field="data",
            value=folder,
        )
    return content, len(files)


def parse_bundle(content: bytes, label: str) -> dict[str, str]:
    """The files of a bundle, by relative path, each path checked to stay inside its folder.

    Raises:
        VerificationError: not a bundle, a path that is not a plain relative ``*.toml`` path,
            or two paths that cannot be unpacked side by side (:func:`path_clash`).
    """

    def bad(what: str) -> VerificationError:
        return VerificationError(
            _("{label}: not a directory bundle: {what}").format(label=label, what=what)
        )

    try:
        files = _json.structure(_json.parse(content), Bundle).files
    except _json.Malformed as exc:
        raise bad(exc.message) from None
    if not files:
        raise bad(_("$.files: holds no file"))
    if len(files) > MAX_BUNDLE_FILES:
        raise bad(
            _("$.files: {len} files, more than {max_bundle_files}").format(
                len=len(files), max_bundle_files=MAX_BUNDLE_FILES
            )
        )
    for path, text in files.items():
        if not plain_path(path):
            raise bad(
                _("file name {repr} is not a relative path to a .toml file").format(repr=repr(path))
            )
        reserved = windows_reserved(path)
        if reserved is not None:
            raise bad(
                _(
                    "file name {repr} holds {name}, a name Windows keeps for a device or one "
                    "ending in a dot, which an agency on Windows cannot install"
                ).format(repr=repr(path), name=repr(reserved))
            )
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, which JSON can escape
            raise bad(
                _("{repr} is not valid Unicode text (a lone surrogate)").format(repr=repr(path))
            ) from None
    clash = path_clash(files)
    if clash is not None:
        raise bad(
            _(
                "{first} and {second} cannot be unpacked side by side: their paths differ "
                "only by case, or one is the other's folder"
            ).format(first=repr(clash[0]), second=repr(clash[1]))
        )
    return files
