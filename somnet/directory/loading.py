"""Reading the directory from its layers of TOML files, strictly.

A layer is a folder with the layout of ``data/``: any ``*.toml`` files below it, each of the
shape of ``DirectoryFile``. The shipped directory is the first layer; overlays (``--data DIR``,
``SOMNET_DATA``) come after it, and a later layer replaces records by id and adds new ones.

Every problem found is reported, not only the first, as ``FILE: $.path.to.field: what``.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from somnet._convert import FieldError, converter, describe, make_converter
from somnet._exceptions import DirectoryError
from somnet.directory.lookup import Directory
from somnet.directory.records import (
    Agency,
    Agreement,
    ChannelKind,
    ConsularChannel,
    DirectoryFile,
    Role,
    SarRegion,
    State,
    Zone,
)

if TYPE_CHECKING:
    import cattrs

#: Environment variable naming overlay folders, separated by ``os.pathsep``.
DATA_ENV = "SOMNET_DATA"


def shipped_data_dir() -> Path:
    """The directory shipped with somnet: inside the installed package, else the source tree."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "data"
    if (packaged / "states").is_dir():
        return packaged
    try:
        from importlib.resources import files

        resource = Path(str(files("somnet.data")))
        if (resource / "states").is_dir():
            return resource
    except (ModuleNotFoundError, TypeError):
        pass
    return package.parent / "data"


def overlay_dirs_from_env(environ: dict[str, str] | None = None) -> list[Path]:
    """The overlay folders named in ``SOMNET_DATA`` (empty parts ignored)."""
    value = (os.environ if environ is None else environ).get(DATA_ENV, "")
    return [Path(part) for part in value.split(os.pathsep) if part.strip()]


#: Vocabularies named in messages: "'navy' is not a role; the roles are ...".
VOCABULARIES: dict[Any, tuple[str, str]] = {
    Role: ("a role", "the roles are"),
    ChannelKind: ("a channel kind", "use"),
}


def _format_exception(exc: BaseException, type_: Any) -> str:
    import cattrs
    from cattrs.errors import ForbiddenExtraKeysError

    if isinstance(exc, FieldError):
        return str(exc)
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = ", ".join(sorted(exc.extra_fields))
        return f"unknown key{'s' if len(exc.extra_fields) > 1 else ''} {keys}"
    if isinstance(exc, KeyError):
        return "required field missing"
    text = str(exc)
    literal = re.match(r"(.*) not in literal (.*)", text)
    if literal:
        choices = re.findall(r"'([^']*)'", literal.group(2))
        named = VOCABULARIES.get(type_)
        if named is not None:
            return (
                f"'{literal.group(1)}' is not {named[0]}; {named[1]} {', '.join(sorted(choices))}"
            )
        return f"'{literal.group(1)}' is not one of {', '.join(choices)}"
    return cattrs.v.format_exception(exc, type_)


@functools.cache
def lenient_converter() -> cattrs.Converter:
    """The converter's twin for a record that failed: unknown keys ignored and any text taken
    for a vocabulary (roles, channel kinds, zones), so that the record's other problems are
    still checked and one run reports every problem. Its faults were reported already."""
    converter = make_converter(forbid_extra_keys=False)

    def any_text(value: Any, _type: Any) -> str:
        if not isinstance(value, str):
            raise FieldError(f"expected text, got {describe(value)}")
        return value

    converter.register_structure_hook_func(lambda t: t in (Role, ChannelKind, Zone), any_text)
    return converter


#: Marks, among the ids of records left out, that some left-out content could not even be
#: enumerated (a list that is not a list): any reference may then point into it.
OPAQUE = "\x00opaque"

#: The sections of a data file and the record each list holds.
SECTIONS: dict[str, type] = {
    "agencies": Agency,
    "agreements": Agreement,
    "consular": ConsularChannel,
    "sar_regions": SarRegion,
}


def structure_file(
    raw: dict[str, Any],
    label: str,
    broken: set[str] | None = None,
    positions: dict[str, list[int]] | None = None,
) -> tuple[DirectoryFile, list[str]]:
    """Turn a parsed TOML document into a DirectoryFile, record by record.

    A record with problems is left out and its problems reported; the file's other records are
    kept, so that one typo does not make every reference to the file's records dangle. The ids
    (and contact ids, state codes) of records left out are added to ``broken``, so that the
    validation does not report references to them as dangling as well. ``positions``, when
    given, receives each kept record's index in its list in the file, so that the paths of
    later checks name the record where it is written.
    """
    import cattrs
    from cattrs.errors import ClassValidationError, IterableValidationError

    problems: list[str] = []
    broken = broken if broken is not None else set()

    def structure(value: Any, type_: type, path: str) -> Any:
        try:
            return converter().structure(value, type_)
        except (ClassValidationError, IterableValidationError) as exc:
            messages = cattrs.transform_error(exc, path, _format_exception)
        except Exception as exc:  # the converter's own errors for a value of the wrong shape
            messages = [f"{_format_exception(exc, type_)} @ {path}"]
        for message in messages:
            text, _, where = message.rpartition(" @ ")
            problems.append(f"{label}: {where}: {text}")
        # When unknown keys were the only fault, keep the record for the other checks, so
        # that one run reports every problem (the load fails anyway on the ones above).
        with contextlib.suppress(Exception):
            return lenient_converter().structure(value, type_)
        if isinstance(value, dict):
            for key in ("id", "code"):
                if isinstance(value.get(key), str):
                    broken.add(value[key])
            contacts = value.get("contacts", [])
            if not isinstance(contacts, list):
                broken.add(OPAQUE)
                contacts = []
            for contact in contacts:
                if isinstance(contact, dict) and isinstance(contact.get("id"), str):
                    broken.add(contact["id"])
                else:
                    broken.add(OPAQUE)
        else:
            broken.add(OPAQUE)
        return None

    unknown = sorted(set(raw) - {"state", *SECTIONS})
    if unknown:
        problems.append(
            f"{label}: $: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}"
        )
    state = None
    if "state" in raw:
        if isinstance(raw["state"], dict):
            state = structure(raw["state"], State, "$.state")
        else:
            problems.append(f"{label}: $.state: expected a table, got {describe(raw['state'])}")
            broken.add(OPAQUE)
    sections: dict[str, tuple[Any, ...]] = {}
    for section, record_type in SECTIONS.items():
        items = raw.get(section, [])
        if not isinstance(items, list):
            problems.append(f"{label}: $.{section}: expected a list, got {describe(items)}")
            broken.add(OPAQUE)
            continue
        kept = [
            (i, r)
            for i, item in enumerate(items)
            if (r := structure(item, record_type, f"$.{section}[{i}]")) is not None
        ]
        sections[section] = tuple(r for _, r in kept)
        if positions is not None:
            positions[section] = [i for i, _ in kept]
    return DirectoryFile(state=state, **sections), problems


# Reading files -----------------------------------------------------------------------------


def read_toml(path: Path, label: str) -> tuple[dict[str, Any] | None, list[str]]:
    """Parse one data file; unreadable, empty, binary, non-UTF-8 or broken files are problems."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        return None, [f"{label}: cannot be read: {exc.strerror or exc}"]
    if not content.strip():
        return None, [f"{label}: the file is empty"]
    if b"\x00" in content:
        return None, [f"{label}: binary data (a NUL byte at offset {content.index(0)}), not TOML"]
    try:
        # utf-8-sig: editors on Windows save a byte-order mark, which TOML would refuse.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [f"{label}: not UTF-8 text (invalid byte at offset {exc.start})"]
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        return None, [f"{label}: not valid TOML: {exc}"]
    except RecursionError:
        return None, [f"{label}: not valid TOML: values nested too deeply"]


def data_files(layer: Path) -> list[Path]:
    """The data files of a layer, in a stable order."""
    return layer_files(layer)[0]


def layer_files(layer: Path) -> tuple[list[Path], list[str]]:
    """The data files of a layer in a stable order, and what stood in the way of finding
    them: a link that leads nowhere or in a loop, a folder that cannot be read. Skipping
    those silently would load part of an overlay and call it valid.

    Links to files and folders are followed (a national directory may link its restricted
    part in); every ``*.toml`` below the layer is a data file.
    """
    import errno
    import stat

    files: list[Path] = []
    problems: list[str] = []

    def visit(folder: Path, ancestors: frozenset[tuple[int, int]]) -> None:
        try:
            status = os.stat(folder)
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            problems.append(f"{folder}: cannot be read: {exc.strerror or exc}")
            return
        inside = ancestors | {(status.st_dev, status.st_ino)}
        for entry in entries:
            path = Path(entry.path)
            try:
                target = os.stat(path)  # through a link, to what it leads to
            except OSError as exc:
                if not entry.is_symlink():
                    problems.append(f"{path}: cannot be read: {exc.strerror or exc}")
                elif exc.errno == errno.ELOOP:
                    problems.append(f"{path}: a symbolic link loop")
                elif isinstance(exc, FileNotFoundError):
                    problems.append(
                        f"{path}: a symbolic link to {os.readlink(path)}, which does not exist"
                    )
                else:
                    problems.append(f"{path}: cannot follow the link: {exc.strerror or exc}")
                continue
            if stat.S_ISDIR(target.st_mode):
                if (target.st_dev, target.st_ino) in inside:
                    problems.append(
                        f"{path}: a symbolic link loop (it leads back to a folder above)"
                    )
                else:
                    visit(path, inside)
            elif stat.S_ISREG(target.st_mode) and entry.name.endswith(".toml"):
                files.append(path)

    visit(layer, frozenset())
    return sorted(files), problems


@attrs.define
class _Layer:
    """What one folder contributed, with where each record came from (for messages)."""

    folder: Path
    #: Each file: its label, its records, and where each kept record sits in its list.
    files: list[tuple[str, DirectoryFile, dict[str, list[int]]]] = attrs.Factory(list)
    #: Ids of records left out for their problems (references to them are not reported).
    broken: set[str] = attrs.Factory(set)


def read_layer(folder: Path) -> tuple[_Layer, list[str]]:
    """Read and structure every file in a folder, collecting all problems."""
    layer = _Layer(folder)
    if not folder.is_dir():
        if folder.exists():
            return layer, [f"{folder}: a file, not a folder of data files"]
        return layer, [f"{folder}: no such directory"]
    paths, problems = layer_files(folder)
    if not paths and not problems:
        return layer, [f"{folder}: holds no *.toml data files"]
    for path in paths:
        label = str(path)
        raw, found = read_toml(path, label)
        problems += found
        if raw is None:
            continue
        positions: dict[str, list[int]] = {}
        record, found = structure_file(raw, label, layer.broken, positions)
        problems += found
        layer.files.append((label, record, positions))
    return layer, problems


# Merging layers --------------------------------------------------------------------------


@attrs.frozen
class Replacement:
    """A record of an earlier layer replaced by the record with the same id in a later one.

    Attributes:
        kind: ``state``, ``agency``, ``agreement``, ``consular channel`` or ``SAR region``.
        id: the record's id (a state's code; for a consular channel, its nationality,
            mission and receiving states).
        replaced: the file and JSON path of the record replaced.
        by: the file and JSON path of the record that replaces it.
    """

    kind: str
    id: str
    replaced: tuple[str, str]
    by: tuple[str, str]


@attrs.define
class Merged:
    """Records merged from all layers, each with the file and path it came from."""

    states: dict[str, tuple[State, str, str]] = attrs.Factory(dict)
    agencies: dict[str, tuple[Agency, str, str]] = attrs.Factory(dict)
    agreements: dict[str, tuple[Agreement, str, str]] = attrs.Factory(dict)
    consular: dict[tuple[str, str, str], tuple[ConsularChannel, str, str]] = attrs.Factory(dict)
    sar_regions: dict[str, tuple[SarRegion, str, str]] = attrs.Factory(dict)
    broken: set[str] = attrs.Factory(set)
    #: Every record a later layer replaced, in the order the layers were read.
    replacements: list[Replacement] = attrs.Factory(list)


def merge_layers(layers: Sequence[_Layer]) -> tuple[Merged, list[str]]:
    """Merge layers in order. Within a layer an id may appear once; across layers the later
    record replaces the earlier one."""
    merged = Merged()
    problems: list[str] = []

    def replacing(
        kind: str, key: str, earlier: tuple[Any, str, str] | None, label: str, path: str
    ) -> None:
        if earlier is not None:
            merged.replacements.append(
                Replacement(kind, key, (earlier[1], earlier[2]), (label, path))
            )

    for layer in layers:
        merged.broken |= layer.broken
        # Ids are one namespace across kinds within a layer: a contact id can be named wherever
        # an agency id can (meeting participants), so they must not collide.
        seen: dict[str, str] = {}

        def claim(key: str, where: str, seen: dict[str, str] = seen) -> bool:
            if key in seen:
                # Keys of records without an id of their own carry a kind prefix.
                kind, _, name = key.rpartition(":") if ":" in key else ("id", "", key)
                shown = f"state {name!r}" if kind == "state" else f"id {name!r}"
                if kind == "consular":
                    shown = "consular channel (same nationality, mission and receiving states)"
                problems.append(f"{where}: duplicate {shown}, already used at {seen[key]}")
                return False
            seen[key] = where
            return True

        for label, record, positions in layer.files:
            if record.state is not None:
                where = f"{label}: $.state.code"
                if claim(f"state:{record.state.code}", where):
                    code = record.state.code
                    replacing("state", code, merged.states.get(code), label, "$.state")
                    merged.states[code] = (record.state, label, "$.state")
            for i, agency in zip(positions.get("agencies", []), record.agencies, strict=True):
                path = f"$.agencies[{i}]"
                if claim(agency.id, f"{label}: {path}.id"):
                    earlier = merged.agencies.get(agency.id)
                    if earlier is not None and earlier[0].state != agency.state:
                        # Replacing is allowed; moving another state's agency away is not
                        # (an overlay could silently take Haiti's coast guard out of plans).
                        problems.append(
                            f"{label}: {path}.state: {agency.state!r} would move agency "
                            f"{agency.id!r} out of {earlier[0].state}, where {earlier[1]}: "
                            f"{earlier[2]} has it; a later layer may replace a record, not "
                            "move it to another state"
                        )
                    else:
                        replacing("agency", agency.id, earlier, label, path)
                        merged.agencies[agency.id] = (agency, label, path)
                for j, contact in enumerate(agency.contacts):
                    claim(contact.id, f"{label}: {path}.contacts[{j}].id")
            for i, agreement in zip(
                positions.get("agreements", []), record.agreements, strict=True
            ):
                path = f"$.agreements[{i}]"
                if claim(agreement.id, f"{label}: {path}.id"):
                    earlier_agreement = merged.agreements.get(agreement.id)
                    replacing("agreement", agreement.id, earlier_agreement, label, path)
                    merged.agreements[agreement.id] = (agreement, label, path)
            for i, channel in zip(positions.get("consular", []), record.consular, strict=True):
                path = f"$.consular[{i}]"
                key = (channel.nationality, channel.mission or "", ",".join(channel.receiving))
                if claim(f"consular:{key}", f"{label}: {path}"):
                    shown = f"{key[0]} by {key[1] or 'no mission'} in {key[2]}"
                    replacing("consular channel", shown, merged.consular.get(key), label, path)
                    merged.consular[key] = (channel, label, path)
            for i, region in zip(positions.get("sar_regions", []), record.sar_regions, strict=True):
                path = f"$.sar_regions[{i}]"
                if claim(region.id, f"{label}: {path}.id"):
                    earlier_region = merged.sar_regions.get(region.id)
                    replacing("SAR region", region.id, earlier_region, label, path)
                    merged.sar_regions[region.id] = (region, label, path)
    return merged, problems


def load_directory(
    overlays: Iterable[str | Path] = (),
    *,
    base: str | Path | None = None,
    use_env: bool = True,
    today: date | None = None,
    cache_dir: str | Path | None = None,
) -> Directory:
    """Load, merge and validate the directory.

    Args:
        overlays: folders laid over the base, in order; later ones win.
        base: the first layer; the shipped directory when None.
        use_env: also lay the folders named in ``SOMNET_DATA`` over the base, before
            ``overlays``.
        today: the date ``last_verified`` may not be after (default: the latest date anywhere
            on Earth now, by the one clock of ``somnet._clock``, as ``sync`` validates).
        cache_dir: where to keep the validated directory between runs, keyed on the path,
            size, modification time and content of every file of every layer (and on
            somnet's own code); no cache when None.

    Returns:
        The merged, validated Directory.

    Raises:
        DirectoryError: with every problem found, each naming its file and field.
    """
    folders = _folders(overlays, base, use_env)
    with _collector_paused():
        return _load(folders, today, cache_dir)


def _folders(overlays: Iterable[str | Path], base: str | Path | None, use_env: bool) -> list[Path]:
    folders = [Path(base) if base is not None else shipped_data_dir()]
    if use_env:
        folders += overlay_dirs_from_env()
    return folders + [Path(o) for o in overlays]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading allocates hundreds of thousands of objects at global scale and leaves no garbage
    cycles: the cyclic garbage collector would only scan the growing heap again and again (a
    tenth of a first load, two thirds of reading the cache). Reference counting still frees
    everything dropped; collections resume, if they were on, when the load is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(folders: list[Path], today: date | None, cache_dir: str | Path | None) -> Directory:
    if today is None:
        from somnet._clock import latest_date

        today = latest_date()
    cache_file = key = secret = None
    warnings: list[str] = []
    if cache_dir is not None:
        cache_file = Path(cache_dir) / CACHE_NAME
        secret, problem = _cache_secret()
        if problem is not None:
            warnings.append(problem)
        if secret is not None:
            # The day is part of the key: validation refuses dates after it, so a directory
            # validated on another day (a test's, or tomorrow's) is validated again.
            key = _cache_key(folders, today)
            cached = _read_cache(cache_file, key, secret)
            if cached is not None:
                return cached
    directory, _ = _build(folders, today)
    if cache_file is not None and key is not None and secret is not None:
        _write_cache(cache_file, key, directory, secret)
    directory.warnings.extend(warnings)  # after the cache is written: never served from it
    return directory


def _build(folders: list[Path], today: date) -> tuple[Directory, list[Replacement]]:
    """Read, merge and validate the layers (no cache), and what later layers replaced."""
    from somnet.directory.validation import validate  # not needed when the cache serves

    layers: list[_Layer] = []
    problems: list[str] = []
    for folder in folders:
        layer, found = read_layer(folder)
        layers.append(layer)
        problems += found
    merged, found = merge_layers(layers)
    problems += found
    warnings: list[str] = []
    problems += validate(merged, today=today, warnings=warnings)
    if problems:
        # The merge and the validation can see the same duplicate: report it once.
        raise DirectoryError(list(dict.fromkeys(problems)))
    directory = Directory(
        states=(s for s, _, _ in merged.states.values()),
        agencies=(a for a, _, _ in merged.agencies.values()),
        agreements=(a for a, _, _ in merged.agreements.values()),
        consular=(c for c, _, _ in merged.consular.values()),
        sar_regions=(r for r, _, _ in merged.sar_regions.values()),
        layers=folders,
        warnings=warnings,
    )
    return directory, merged.replacements


def check_directory(
    overlays: Iterable[str | Path] = (),
    *,
    base: str | Path | None = None,
    use_env: bool = True,
    today: date | None = None,
) -> tuple[Directory, list[Replacement]]:
    """Load the directory as :func:`load_directory` does, reading every file (no cache), and
    say which records the later layers replaced (``somnet directory validate``).

    Returns:
        The directory, and every replacement, in the order the layers were read.

    Raises:
        DirectoryError: with every problem found, each naming its file and field.
    """
    from somnet._clock import latest_date

    folders = _folders(overlays, base, use_env)
    with _collector_paused():
        return _build(folders, today or latest_date())


def _cache_key(folders: Sequence[Path], today: date) -> str:
    """Identifies the exact files a directory was read from: any edit, addition or removal of a
    data file, or a change of somnet's own code, changes it.

    The content is hashed as well as the size and modification time compared: an edit that
    keeps the size within the resolution of a file system's clock (a digit of a phone number
    corrected twice in a second), or a copy that keeps the time, must not be served the
    directory read before it. Hashing costs about 20 ms for the 22 MB of a global directory.
    """
    import hashlib

    from somnet._version import __version__

    parts = [__version__, f"today {today.isoformat()}", *_code_fingerprint()]
    for folder in folders:
        parts.append(f"layer {folder.resolve()}")
        # A link broken since the cache was written must be reported, not served around.
        paths, problems = layer_files(folder) if folder.is_dir() else ([], [])
        parts += problems
        for path in paths:
            parts.append(f"{path} {_file_fingerprint(path)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _file_fingerprint(path: Path) -> str:
    import hashlib

    try:
        stat = path.stat()
        with path.open("rb") as stream:
            content = hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return "unreadable"  # never cached: the load reports it
    return f"{stat.st_size} {stat.st_mtime_ns} {content}"


def _code_fingerprint() -> list[str]:
    """Somnet's own modules, by size and time: a cache written by other code (a development
    checkout, an upgrade that kept the version number) may hold records of another shape, or
    records that other checks would refuse."""
    package = Path(__file__).resolve().parent.parent
    parts = []
    for module in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            stat = module.stat()
            parts.append(f"{module.relative_to(package)} {stat.st_size} {stat.st_mtime_ns}")
    # The libraries whose answers validation depends on: an upgrade of phonenumbers (which
    # numbers are valid), pycountry (which codes exist) or tzdata must revalidate. Their
    # metadata files change on every install; finding them imports nothing.
    from importlib.util import find_spec

    for name in ("phonenumbers", "pycountry", "tzdata", "cattrs"):
        with contextlib.suppress(ImportError, ValueError, OSError, AttributeError):
            spec = find_spec(name)
            origin = spec.origin if spec else None
            if origin:
                stat = Path(origin).stat()
                parts.append(f"{name} {origin} {stat.st_size} {stat.st_mtime_ns}")
    return parts


# The cache file. Unpickling runs whatever code a pickle names, so the cache is never unpickled
# unless this user wrote it: the file must be this user's and writable by no one else, and an
# HMAC keyed by a secret only this user can read (cache.key in the data home) must match its
# content. Even then, only the directory's own record classes may be built from it.
#
#     somnet-cache 2\n
#     KEY\n      the cache key (64 hex digits): a stale cache is recognised by it alone
#     HMAC\n     HMAC-SHA256 of everything else (64 hex digits)
#     PAYLOAD    the pickled Directory

CACHE_NAME = "directory.pickle"
_CACHE_MAGIC = b"somnet-cache 2"
_SECRET_BYTES = 32
_HEADER_BYTES = len(_CACHE_MAGIC) + 1 + 2 * (64 + 1)


def _cache_secret() -> tuple[bytes | None, str | None]:
    """The user's cache secret, made on first use; or None and why it cannot be used."""
    from somnet._config import cache_key_path

    path = cache_key_path()
    try:
        handle = os.open(path, os.O_RDONLY | _NO_FOLLOW)
    except FileNotFoundError:
        return _new_secret(path), None
    except OSError as exc:
        return None, f"{path}: cannot read the cache key ({exc.strerror or exc}); {_NO_CACHE}"
    try:
        problem = _not_private(os.fstat(handle), 0o077)
        secret = os.read(handle, _SECRET_BYTES + 1) if problem is None else b""
    except OSError as exc:
        return None, f"{path}: cannot read the cache key ({exc.strerror or exc}); {_NO_CACHE}"
    finally:
        os.close(handle)
    if problem is None and len(secret) != _SECRET_BYTES:
        problem = "not a cache key"
    if problem is not None:
        return None, f"{path}: {problem}; {_NO_CACHE} (remove the file: somnet makes a new one)"
    return secret, None


_NO_CACHE = "the directory cache is not used"
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _not_private(status: os.stat_result, others: int) -> str | None:
    """Why a file is not this user's own (``others``: the mode bits no one else may have)."""
    import stat

    if not stat.S_ISREG(status.st_mode):
        return "not a regular file"
    if hasattr(os, "geteuid") and status.st_uid != os.geteuid():
        return f"owned by user {status.st_uid}, not by this user"
    if status.st_mode & others:
        return f"mode {stat.S_IMODE(status.st_mode):04o} lets other users in"
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


def _read_cache(cache_file: Path, key: str, secret: bytes) -> Directory | None:
    import hashlib
    import hmac

    try:
        handle = os.open(cache_file, os.O_RDONLY | _NO_FOLLOW)
    except OSError:
        return None
    try:
        # Checked on the file opened, then read from it: no swap between check and read.
        if _not_private(os.fstat(handle), 0o022) is not None:
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
    return directory if isinstance(directory, Directory) else None


class _RecordUnpickler:
    """Unpickles only what a cached directory is made of: the records of ``_model`` and
    ``_hours``, the Directory, dates and paths. Any other name in the pickle stops it."""

    def __init__(self, payload: bytes) -> None:
        import io
        import pickle

        allowed = _allowed_classes()

        class Restricted(pickle.Unpickler):
            def find_class(self, module: str, name: str) -> Any:
                found = allowed.get((module, name))
                if found is None:
                    raise pickle.UnpicklingError(f"{module}.{name} is not a directory record")
                return found

        self._unpickler = Restricted(io.BytesIO(payload))

    def load(self) -> Any:
        return self._unpickler.load()


@functools.cache
def _allowed_classes() -> dict[tuple[str, str], type]:
    import pathlib

    from somnet.directory import hours as _hours
    from somnet.directory import records as _model

    allowed: dict[tuple[str, str], type] = {
        ("datetime", "date"): date,
        ("somnet.directory.lookup", "Directory"): Directory,
    }
    for name in ("PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath"):
        allowed[("pathlib", name)] = getattr(pathlib, name)
    for module in (_model, _hours):
        for cls in vars(module).values():
            if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == module.__name__:
                allowed[(module.__name__, cls.__name__)] = cls
    return allowed


def _write_cache(cache_file: Path, key: str, directory: Directory, secret: bytes) -> None:
    import hashlib
    import hmac
    import io
    import pickle

    from somnet._exceptions import StorageError
    from somnet._files import write_atomic

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _record_reducers()
    pickler.dump(directory)
    payload = buffer.getvalue()
    signed = _CACHE_MAGIC + b"\n" + key.encode() + b"\n"
    mac = hmac.new(secret, signed + payload, hashlib.sha256).hexdigest().encode()
    # A cache that cannot be written only costs time. Written 0600: it may hold a restricted
    # overlay's contacts.
    with contextlib.suppress(StorageError):
        write_atomic(cache_file, signed + mac + b"\n" + payload, mode=0o600)


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


def unstructure_file(record: DirectoryFile) -> dict[str, Any]:
    """A DirectoryFile as plain data (the inverse of structuring), without empty defaults."""
    plain: dict[str, Any] = _drop_defaults(converter().unstructure(record))
    return plain


def _drop_defaults(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _drop_defaults(v) for k, v in value.items() if v is not None and v != () and v != []
        }
    if isinstance(value, list | tuple):
        return [_drop_defaults(v) for v in value]
    return value
