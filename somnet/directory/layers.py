"""Finding a layer's data files: every ``*.toml`` below a folder, in a stable order, and what
stood in the way (a link that leads nowhere or in a loop, a folder that cannot be read); and
the names no layer may hold, as some agency's system could not hold them as another does
(:func:`name_problems`), the same a bundle may not carry.
Light on purpose: the cache key is computed from these names on every command."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from somnet._i18n import _


def not_a_folder(folder: Path) -> str | None:
    """Why ``folder`` cannot be read as a layer (a file, a link that loops or leads nowhere,
    nothing there), or None when it is a folder."""
    import errno

    try:
        if os.path.isdir(folder):
            return None
        os.stat(folder)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _("{path}: a symbolic link loop").format(path=folder)
        if os.path.islink(folder):
            return _("{path}: a symbolic link to {value}, which does not exist").format(
                path=folder, value=os.readlink(folder)
            )
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
            # There, as far as can be told, but closed to this user (a folder above it).
            return _("{folder}: cannot be read: {value}").format(
                folder=folder, value=exc.strerror or exc
            )
        return _("{folder}: no such directory").format(folder=folder)
    return _("{folder}: a file, not a folder of data files").format(folder=folder)


def data_files(layer: Path) -> list[Path]:
    """The data files of a layer, in a stable order."""
    return layer_files(layer)[0]


def layer_files(layer: Path) -> tuple[list[Path], list[str]]:
    """The data files of a layer in a stable order, and what stood in the way of finding them
    (:func:`_walk`)."""
    files, problems, _refused = _walk(layer)
    return files, problems


def layer_refusal(layer: Path) -> str | None:
    """Why the folder ``layer`` is no layer, found in one walk of it: more folders or files
    than any directory holds, or nested deeper (:func:`_walk`), or no data file nor problem
    at all; None when it is one."""
    files, problems, refused = _walk(layer)
    if refused:
        return problems[0]
    if not files and not problems:
        return _("{folder}: holds no *.toml data files").format(folder=layer)
    return None


def _walk(layer: Path) -> tuple[list[Path], list[str], bool]:
    """The data files of a layer in a stable order, and what stood in the way of finding
    them: a link that leads nowhere or in a loop, a folder that cannot be read. Skipping
    those silently would load part of an overlay and call it valid.

    Links to files and folders are followed (a national directory may link its restricted
    part in); every ``*.toml`` below the layer is a data file, except hidden files and folders
    (names that start with a dot); a folder named ``*.toml`` is a problem, not walked.

    A folder no directory resembles (``/``, a home folder, links that fan out to 2**N
    folders, folders nested a thousand deep) is not walked to its end: past
    ``MAX_LAYER_FOLDERS`` folders or ``MAX_LAYER_ENTRIES`` files, or ``MAX_LAYER_DEPTH``
    folders deep, the walk stops, and that is the one problem told.
    """
    import errno
    import stat

    files: list[Path] = []
    problems: list[str] = []
    #: Folders walked, and files and folders found in them.
    seen = [0, 0]

    def visit(folder: Path, ancestors: frozenset[tuple[int, int]]) -> None:
        if len(ancestors) > MAX_LAYER_DEPTH:
            raise _NotALayer(
                _(
                    "{folder}: folders nested more than {depth} deep below it (links "
                    "followed); a layer holds the directory's data files: is it the folder "
                    "meant?"
                ).format(folder=layer, depth=MAX_LAYER_DEPTH)
            )
        try:
            status = os.stat(folder)
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            problems.append(
                _("{folder}: cannot be read: {value}").format(
                    folder=folder, value=exc.strerror or exc
                )
            )
            return
        inside = ancestors | {(status.st_dev, status.st_ino)}
        seen[0] += 1
        seen[1] += len(entries)
        if seen[0] > MAX_LAYER_FOLDERS or seen[1] > MAX_LAYER_ENTRIES:
            raise _NotALayer(
                _(
                    "{folder}: more than {folders} folders or {entries} files below it (links "
                    "followed); a layer holds the directory's data files: is it the folder "
                    "meant?"
                ).format(folder=layer, folders=MAX_LAYER_FOLDERS, entries=MAX_LAYER_ENTRIES)
            )
        for entry in entries:
            if entry.name.startswith("."):
                # Hidden: what editors, file managers and version control leave (an Emacs
                # lock ``.#BS.toml``, a macOS ``._BS.toml``, ``.git``), never data.
                continue
            path = Path(entry.path)
            try:
                target = os.stat(path)  # through a link, to what it leads to
            except OSError as exc:
                if not entry.is_symlink():
                    problems.append(
                        _("{path}: cannot be read: {value}").format(
                            path=path, value=exc.strerror or exc
                        )
                    )
                elif exc.errno == errno.ELOOP:
                    problems.append(_("{path}: a symbolic link loop").format(path=path))
                elif isinstance(exc, FileNotFoundError):
                    try:
                        leads_to = os.readlink(path)
                    except OSError as gone:  # removed since: said as what cannot be read
                        problems.append(
                            _("{path}: cannot be read: {value}").format(
                                path=path, value=gone.strerror or gone
                            )
                        )
                        continue
                    problems.append(
                        _("{path}: a symbolic link to {value}, which does not exist").format(
                            path=path, value=leads_to
                        )
                    )
                else:
                    problems.append(
                        _("{path}: cannot follow the link: {value}").format(
                            path=path, value=exc.strerror or exc
                        )
                    )
                continue
            if stat.S_ISDIR(target.st_mode) and entry.name.endswith(".toml"):
                # What a container makes where the file it was to mount is missing: walked as
                # any folder, it would load (empty, without a word) without the file it stands for.
                problems.append(
                    _(
                        "{path}: a folder named as a data file (*.toml); a data file must be a "
                        "regular file"
                    ).format(path=path)
                )
            elif stat.S_ISDIR(target.st_mode):
                if (target.st_dev, target.st_ino) in inside:
                    problems.append(
                        _("{path}: a symbolic link loop (it leads back to a folder above)").format(
                            path=path
                        )
                    )
                else:
                    visit(path, inside)
            elif entry.name.endswith(".toml"):
                if stat.S_ISREG(target.st_mode):
                    files.append(path)
                else:
                    # Skipped, the layer would load without it and be called valid.
                    problems.append(
                        _(
                            "{path}: not a regular file (a named pipe, a device or a socket); "
                            "a data file must be one"
                        ).format(path=path)
                    )

    try:
        visit(layer, frozenset())
    except _NotALayer as refused:
        return [], [refused.args[0]], True
    return sorted(files), problems, False


#: The most folders a layer's walk goes into, and files and folders it looks at (links
#: followed): a directory holds a few hundred data files in a few folders, and a bundle at
#: most ``MAX_BUNDLE_FILES`` (10,000) files.
MAX_LAYER_FOLDERS = 2_000
MAX_LAYER_ENTRIES = 50_000
#: The most folders deep a layer's walk goes: a data file's path below its layer is at most
#: ``MAX_PATH_CHARS`` (255) characters long, so no carried file lies deeper than 128.
MAX_LAYER_DEPTH = 128


class _NotALayer(Exception):
    """Raised out of a layer's walk at the first sign that the folder is no layer; its one
    argument is the message."""


#: A folder or file name every system holds alike: ASCII letters, digits, '_', '.' and '-', not
#: first a dot (hidden) or a dash (an option to a command that is given it).
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
#: The longest path of a data file, relative to its layer.
MAX_PATH_CHARS = 255


def plain_path(relative: str) -> bool:
    """Whether ``relative`` (``/`` between folders) is a ``*.toml`` path of at most 255
    characters whose folder and file names are plain (letters a-z and A-Z, digits, ``_``,
    ``.`` and ``-``, not a dot or a dash first): never outside the folder it is unpacked into,
    and held alike by every system. Another name may be held otherwise or not at all: macOS
    decomposes an accented letter (``états``, which then differs from the same name written
    composed), Windows refuses ``:``, ``?``, ``*``, ``"``, ``<``, ``>``, ``|`` and ``\\``."""
    return (
        relative.endswith(".toml")
        and len(relative) <= MAX_PATH_CHARS
        and all(_PLAIN_NAME.fullmatch(part) for part in relative.split("/"))
    )


#: The names Windows keeps for devices, in any case and with any extension (``nul.toml``,
#: ``Con.backup.toml``): a file or folder there so named cannot be written, or writes to the
#: device.
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))}
)


def windows_reserved(relative: str) -> str | None:
    """The first folder or file name of ``relative`` (``/`` between folders) that Windows
    cannot hold, or None: a device's name (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9) in any
    case, with or without an extension, or a name ending in a dot or a space, which Windows
    drops. Refused on every platform, in a published bundle, a synced one and an overlay, so
    that a directory loads on every agency's machine or on none."""
    for part in relative.split("/"):
        if part.endswith((".", " ")) or part.split(".", 1)[0].rstrip(" ").lower() in (
            _WINDOWS_DEVICES
        ):
            return part
    return None


def path_clashes(paths: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Each two of ``paths`` (``/`` between folders) that cannot lie side by side on every
    system: two that differ only by the case of their letters (``states/BS.toml`` and
    ``states/bs.toml``), which a case-insensitive file system (macOS, Windows) holds as one
    file, or a file whose path is, but for case, the folder of another (``a.toml`` and
    ``A.toml/b.toml``). Plain paths (:func:`plain_path`) are ASCII: none differ only by
    Unicode normalisation."""
    files: dict[str, str] = {}
    folders: dict[str, str] = {}
    for path in sorted(paths):
        key = path.lower()
        if key in files:
            yield files[key], path
            continue
        files[key] = path
        parts = key.split("/")
        for n in range(1, len(parts)):
            folders.setdefault("/".join(parts[:n]), path)
    for key, path in files.items():
        if key in folders:
            yield path, folders[key]


def path_clash(paths: Iterable[str]) -> tuple[str, str] | None:
    """The first two of ``paths`` that clash (:func:`path_clashes`), or None."""
    return next(path_clashes(paths), None)


def name_problems(layer: Path, paths: Sequence[Path]) -> list[str]:
    """Why the names of the data files ``paths`` of ``layer`` cannot be those of any layer: the
    names a bundle may not carry (:func:`plain_path`, :func:`windows_reserved`,
    :func:`path_clashes`), refused in every layer as publish and sync refuse them, so that a
    directory loads on every agency's machine or on none. Empty when every name is fine.

    Only the names below the layer are its: the layer's own folder may be named as its owner
    likes (``/home/josé/unité de garde``)."""
    problems: list[str] = []
    plain: dict[str, Path] = {}
    for path in paths:
        relative = path.relative_to(layer).as_posix()
        if not plain_path(relative):
            problems.append(
                _(
                    "{path}: the folder and file names of a data file are of letters a-z and "
                    "A-Z, digits, '_', '.' and '-' (not '-' first), at most 255 characters in "
                    "all, which every system holds alike: copied to a computer on macOS or "
                    "Windows, the folder might not load (publish and sync refuse other names "
                    "too): rename it"
                ).format(path=path)
            )
            continue
        reserved = windows_reserved(relative)
        if reserved is not None:
            problems.append(
                _(
                    "{path}: {name} is a name Windows keeps for a device (CON, PRN, AUX, NUL, "
                    "COM0 to COM9, LPT0 to LPT9, in any case and with any extension) or ends "
                    "in a dot: copied to a computer on Windows, the folder would not load "
                    "(publish and sync refuse such names too): rename it"
                ).format(path=path, name=repr(reserved))
            )
            continue
        plain[relative] = path
    for first, second in path_clashes(plain):
        problems.append(
            _(
                "{first} and {second}: paths that differ only by case, or a file named as a "
                "folder but for case, are one on a case-insensitive file system (macOS, "
                "Windows): copied to a computer there, the folder would not load (publish and "
                "sync refuse them too): rename one"
            ).format(first=plain[first], second=plain[second])
        )
    return problems
