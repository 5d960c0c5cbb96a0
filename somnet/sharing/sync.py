"""Sharing the directory: a signed bundle published by a regional office, synced by agencies.

The threat model is TUF's in miniature. What the client refuses, each time keeping the copy it
has (the installed copy changes only by one ``os.replace`` of a state file, after every check):

* tampering: the manifest must carry a valid Ed25519 signature by a key in the trust files
  (read at every sync, so that removing a key revokes it), and the bundle must have the
  SHA-256 and size the manifest names;
* rollback: a version lower than the installed one, the same version with other content, or
  an older manifest of the installed version (which would move its expiry back);
* freeze: a manifest past its ``expires`` time (a server replaying an old, valid manifest),
  and a ``304 Not Modified`` once the installed copy has expired;
* slow retrieval: one wall-clock deadline for everything a sync fetches, headers included;
* endless data: the signed manifest and the bundle are read with size caps, the bundle never
  beyond the size its manifest announces;
* a stolen key: once the key that signed the installed copy is revoked, its version no longer
  bounds what a trusted key may install (TUF's rule for rotated keys), so a thief's inflated
  version locks no agency out;
* bad data: a bundle whose directory does not validate is never installed, and a copy that
  stops loading later gives way to the previous good one (:func:`load_over_installed`).

Nothing a server says is kept unless it can be sent back as it is (the ETag), redirects are
followed within the site's host only, and in its sync folder somnet deletes only what it
created (the folder is marked; links are never followed).

The site a publisher writes (``somnet directory publish``), served by any static web server::

    SITE/signed-manifest.json    {"format", "manifest": "<manifest.json's text>", "signature"}
    SITE/directory-N-HASH.json   the bundle: {"format", "files": {"states/BS.toml": "...", ...}}
    SITE/manifest.json           {"format", "version", "created", "expires", "bundle", "key_id"}
    SITE/manifest.json.sig       base64 Ed25519 signature of manifest.json's exact bytes

Clients read only ``signed-manifest.json``: the manifest and its signature in one file, which
the publisher replaces in one ``os.replace``, so that a client fetching it while a publication
is under way gets the old pair or the new pair, never a new signature with an old manifest
(which would read as tampering). ``manifest.json`` and ``manifest.json.sig`` hold the same
signed bytes and are still written for clients of earlier somnet versions, which fetch them one
after the other and so can still meet that race. The bundle is written before the manifest that
names it, and ``publish --keep N`` removes the bundles of older versions only after the new
manifest is in place, keeping those of the last N versions (3 by default) for clients that read
the previous manifest a moment before.

What a client keeps (``somnet directory sync``), by default below the user data directory::

    SYNC/.somnet-sync-folder     marks the folder as somnet's
    SYNC/state.json              source, trust files, ETag, the installed and previous copies
    SYNC/copies/N-HASH/          the installed directory (and the previous good one)
    SYNC/.lock                   held (flock) by the sync that runs, with its pid

This module is imported by every command (:func:`installed_base`), so it imports httpx and
cryptography only inside the functions that need them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeGuard, TypeVar

import attrs

from somnet._clock import CLOCK_SKEW, latest_date, utc_now
from somnet._config import SYNC_DIR_ENV, sync_dir
from somnet._config import SYNC_STATE_NAME as STATE_NAME
from somnet._exceptions import (
    BadInputError,
    DirectoryError,
    KeyFileError,
    NetworkError,
    StorageError,
    VerificationError,
)

if TYPE_CHECKING:
    import httpx

    from somnet.sharing.signing import TrustedKey

#: Environment variable naming the folder that holds the synced copy.
#: What clients read: the manifest and its signature, in one file replaced atomically.
SIGNED_MANIFEST_NAME = "signed-manifest.json"
#: The manifest and its detached signature as two files, for clients before signed-manifest.json.
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.json.sig"
COPIES_NAME = "copies"
LOCK_NAME = ".lock"
#: The file that marks a sync folder as somnet's: somnet deletes nothing in a folder without it.
MARK_NAME = ".somnet-sync-folder"
#: What somnet's temporary files and folders in a sync folder are named from.
_TEMPORARY_PREFIXES = (".download-", ".incoming-", ".probe-", f".{STATE_NAME}.")
MANIFEST_FORMAT = "somnet-directory-manifest/1"
SIGNED_MANIFEST_FORMAT = "somnet-signed-manifest/1"
BUNDLE_FORMAT = "somnet-directory-bundle/1"
STATE_FORMAT = 1

#: A signed manifest is under a kilobyte: anything much larger is refused unread.
MAX_MANIFEST_BYTES = 64 * 1024
#: The absolute cap on a bundle, whatever its manifest says (the shipped directory is ~200 kB).
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
MAX_BUNDLE_FILES = 10_000
DEFAULT_EXPIRES = "30d"
#: Redirects followed (within the site's host) before giving up.
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: Seconds a whole sync may spend fetching (``sync --deadline``).
DEFAULT_DEADLINE = 300.0
#: ``publish`` keeps the bundles of this many versions (the new one included).
DEFAULT_KEEP = 3

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
#: A copy's folder in copies/: VERSION-SHA256[:12].
_COPY_NAME = re.compile(r"^([1-9][0-9]{0,18})-([0-9a-f]{12})$")
#: Versions are whole numbers from 1 to 2**63 - 1 (a signed 64-bit integer, as most languages
#: read JSON numbers; a copy's folder is named after its version).
MAX_VERSION = 2**63 - 1
#: The longest ETag kept to send back.
MAX_ETAG = 256
_SAFE_ETAG = re.compile(rf"^[\x21-\x7e](?:[\x20-\x7e]{{0,{MAX_ETAG - 2}}}[\x21-\x7e])?$")
_KEY_ID = re.compile(r"^[0-9a-f]{16}$")
_BUNDLE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
#: The bundles ``publish`` writes (and may prune): directory-VERSION-HASH12.json.
_PUBLISHED_BUNDLE = re.compile(r"^directory-([1-9][0-9]*)-[0-9a-f]{12}\.json$")
_PATH_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_DURATION = re.compile(r"^(\d+)\s*([hdw])$")

Outcome = Literal["installed", "current", "not-modified"]
_Loaded = TypeVar("_Loaded")


def format_time(moment: datetime) -> str:
    """A time as written in manifests and state files: ``2026-11-27T10:00:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC)


# The manifest ------------------------------------------------------------------------------


@attrs.frozen
class Manifest:
    """What the publisher signs: which bundle is the directory, its version and its lifetime."""

    version: int
    created: datetime
    expires: datetime
    bundle_name: str
    bundle_sha256: str
    bundle_size: int
    key_id: str

    def to_bytes(self) -> bytes:
        """The manifest file: JSON with sorted keys (its exact bytes are what is signed)."""
        value = {
            "format": MANIFEST_FORMAT,
            "version": self.version,
            "created": format_time(self.created),
            "expires": format_time(self.expires),
            "bundle": {
                "name": self.bundle_name,
                "sha256": self.bundle_sha256,
                "size": self.bundle_size,
            },
            "key_id": self.key_id,
        }
        return (json.dumps(value, indent=2, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, content: bytes, label: str) -> Manifest:
        """Read a manifest strictly.

        Raises:
            VerificationError: ``label: malformed manifest: $.field: what``.
        """

        def bad(path: str, what: str) -> VerificationError:
            return VerificationError(f"{label}: malformed manifest: {path}: {what}")

        expected = {"format", "version", "created", "expires", "bundle", "key_id"}
        value = _json_object(content, expected, bad)
        if value["format"] != MANIFEST_FORMAT:
            raise bad("$.format", f"{value['format']!r} is not {MANIFEST_FORMAT!r}")
        version = value["version"]
        if not _is_version(version):
            raise bad(
                "$.version",
                f"expected a whole number from 1 to {MAX_VERSION}, got {_shown(version)}",
            )
        created = _parse_time(value["created"])
        if created is None:
            raise bad(
                "$.created", f"expected a time like 2026-11-27T10:00:00Z, got {value['created']!r}"
            )
        expires = _parse_time(value["expires"])
        if expires is None:
            raise bad(
                "$.expires", f"expected a time like 2026-12-27T10:00:00Z, got {value['expires']!r}"
            )
        if expires <= created:
            raise bad("$.expires", "is not after $.created")
        bundle = value["bundle"]
        if not isinstance(bundle, dict):
            raise bad("$.bundle", "expected an object with name, sha256 and size")
        _exact_keys(bundle, {"name", "sha256", "size"}, "$.bundle", bad)
        name, digest, size = bundle["name"], bundle["sha256"], bundle["size"]
        if not isinstance(name, str) or not _BUNDLE_NAME.match(name):
            raise bad("$.bundle.name", f"{name!r} is not a plain file name")
        if name in (MANIFEST_NAME, SIGNATURE_NAME, SIGNED_MANIFEST_NAME):
            raise bad("$.bundle.name", f"{name!r} is the manifest's own name")
        if not isinstance(digest, str) or not _HEX64.match(digest):
            raise bad("$.bundle.sha256", f"expected 64 lower-case hex digits, got {digest!r}")
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise bad("$.bundle.size", f"expected a positive number of bytes, got {size!r}")
        key = value["key_id"]
        if not isinstance(key, str) or not _KEY_ID.match(key):
            raise bad("$.key_id", f"expected 16 lower-case hex digits, got {key!r}")
        return cls(version, created, expires, name, digest, size, key)


def _json_object(
    content: bytes, expected: set[str], bad: Callable[[str, str], VerificationError]
) -> dict[str, Any]:
    """A JSON object with exactly the ``expected`` keys, or ``bad`` naming what is wrong."""
    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise bad("$", f"not JSON ({exc})") from None
    except RecursionError:
        raise bad("$", "not JSON somnet reads (values nested too deeply)") from None
    if not isinstance(value, dict):
        raise bad("$", "expected a JSON object")
    _exact_keys(value, expected, "$", bad)
    return value


def _exact_keys(
    value: dict[str, Any],
    expected: set[str],
    path: str,
    bad: Callable[[str, str], VerificationError],
) -> None:
    missing = sorted(expected - value.keys())
    if missing:
        raise bad(f"{path}.{missing[0]}", "required field missing")
    extra = sorted(value.keys() - expected)
    if extra:
        raise bad(path, f"unknown key {extra[0]!r}")


def _claimed_key_id(content: bytes) -> str | None:
    """The key id a manifest claims, read before its signature is checked (for messages only)."""
    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    key = value.get("key_id") if isinstance(value, dict) else None
    return key if isinstance(key, str) and _KEY_ID.match(key) else None


def signed_manifest_bytes(manifest: bytes, signature: bytes) -> bytes:
    """The ``signed-manifest.json`` file: a manifest's exact text and its signature together.

    The manifest is embedded as a string (not as an object) so that the bytes checked are the
    bytes signed, with no canonical form to agree on; they are also ``manifest.json``'s bytes.

    Args:
        manifest: the manifest file's bytes (ASCII JSON, as :meth:`Manifest.to_bytes` writes).
        signature: the detached signature file's content (base64, as ``_signing.sign`` writes).
    """
    value = {
        "format": SIGNED_MANIFEST_FORMAT,
        "manifest": manifest.decode("utf-8"),
        "signature": signature.decode("ascii").strip(),
    }
    return (json.dumps(value, indent=2, sort_keys=True) + "\n").encode("utf-8")


def split_signed_manifest(content: bytes, label: str) -> tuple[bytes, bytes]:
    """The manifest's bytes and its signature, read from a ``signed-manifest.json`` file.

    Only the envelope is checked here; the signature and the manifest are checked by the caller.

    Raises:
        VerificationError: ``label: malformed signed manifest: $.field: what``.
    """

    def bad(path: str, what: str) -> VerificationError:
        return VerificationError(f"{label}: malformed signed manifest: {path}: {what}")

    value = _json_object(content, {"format", "manifest", "signature"}, bad)
    if value["format"] != SIGNED_MANIFEST_FORMAT:
        raise bad("$.format", f"{value['format']!r} is not {SIGNED_MANIFEST_FORMAT!r}")
    encoded = []
    for field in ("manifest", "signature"):
        if not isinstance(value[field], str):
            raise bad(f"$.{field}", "expected a string")
        try:
            encoded.append(value[field].encode("utf-8"))
        except UnicodeEncodeError:  # a lone surrogate, which JSON can escape
            raise bad(f"$.{field}", "not valid Unicode text (a lone surrogate)") from None
    return encoded[0], encoded[1]


# The bundle --------------------------------------------------------------------------------


def build_bundle(folder: Path) -> tuple[bytes, int]:
    """A directory folder as one deterministic bundle: its ``*.toml`` files, by relative path.

    Returns:
        The bundle's bytes and the number of files in it.
    """
    from somnet.directory.files import data_files

    files: dict[str, str] = {}
    for path in data_files(folder):
        relative = path.relative_to(folder).as_posix()
        try:
            files[relative] = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:  # validation read it a moment ago
            raise StorageError(f"{path}: cannot read: {exc}") from exc
    value = {"format": BUNDLE_FORMAT, "files": files}
    content = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return content.encode("utf-8"), len(files)


def parse_bundle(content: bytes, label: str) -> dict[str, str]:
    """The files of a bundle, by relative path, each path checked to stay inside its folder.

    Raises:
        VerificationError: not a bundle, or a path that is not a plain relative ``*.toml`` path.
    """

    def bad(what: str) -> VerificationError:
        return VerificationError(f"{label}: not a directory bundle: {what}")

    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise bad(f"not JSON ({exc})") from None
    except RecursionError:
        raise bad("values nested too deeply") from None
    if not isinstance(value, dict) or set(value) != {"format", "files"}:
        raise bad("expected an object with format and files")
    if value["format"] != BUNDLE_FORMAT:
        raise bad(f"format {value['format']!r} is not {BUNDLE_FORMAT!r}")
    files = value["files"]
    if not isinstance(files, dict) or not files:
        raise bad("files is not a non-empty object")
    if len(files) > MAX_BUNDLE_FILES:
        raise bad(f"{len(files)} files, more than {MAX_BUNDLE_FILES}")
    for path, text in files.items():
        parts = path.split("/")
        if (
            not path.endswith(".toml")
            or len(path) > 255
            or not all(_PATH_PART.match(part) for part in parts)
        ):
            raise bad(f"file name {path!r} is not a relative path to a .toml file")
        if not isinstance(text, str):
            raise bad(f"{path!r} is not text")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, which JSON can escape
            raise bad(f"{path!r} is not valid Unicode text (a lone surrogate)") from None
    return files


# Publishing --------------------------------------------------------------------------------


@attrs.frozen
class PublishResult:
    """What ``publish`` wrote."""

    manifest: Manifest
    site: Path
    files: int
    #: Bundles of older versions removed from the site (``keep``).
    removed: tuple[str, ...] = ()
    #: Bundles that should have been removed but could not be (the publication stands).
    warnings: tuple[str, ...] = ()


def parse_expiry(text: str, now: datetime) -> datetime:
    """``30d``, ``12h``, ``2w``, a date (midnight UTC) or a time with its offset.

    Raises:
        BadInputError: not one of those, or not in the future.
    """
    value = text.strip()
    moment: datetime | None = None
    duration = _DURATION.match(value.lower())
    if duration:
        amount, unit = int(duration.group(1)), duration.group(2)
        hours = {"h": 1, "d": 24, "w": 24 * 7}[unit] * amount
        if hours > 24 * 366 * 10:
            raise BadInputError(f"--expires {text}: more than ten years")
        moment = now + timedelta(hours=hours)
    else:
        with contextlib.suppress(ValueError):
            moment = datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
        if moment is None:
            moment = _parse_time(value)
    if moment is None:
        raise BadInputError(
            f"--expires {text}: expected a duration like 30d, 12h or 2w, a date like "
            "2027-01-31, or a time with its offset like 2027-01-31T12:00:00Z"
        )
    if moment <= now:
        raise BadInputError(f"--expires {text}: {format_time(moment)} is not in the future")
    return moment.replace(microsecond=0)


def read_site_manifest(site: Path) -> Manifest | None:
    """The manifest already published in a site folder, if any: ``signed-manifest.json``, else
    the ``manifest.json`` of a site published before it existed (its signature is not checked:
    it is the publisher's own folder)."""
    for name in (SIGNED_MANIFEST_NAME, MANIFEST_NAME):
        path = Path(site) / name
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise StorageError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        try:
            if name == SIGNED_MANIFEST_NAME:
                content = split_signed_manifest(content, str(path))[0]
            return Manifest.from_bytes(content, str(path))
        except VerificationError as exc:
            raise BadInputError(f"{exc}; fix or remove it before publishing") from None
    return None


def prune_bundles(site: Path, keep: int, version: int) -> tuple[list[str], list[str]]:
    """Remove the bundles of versions older than the last ``keep`` ones up to ``version``.

    Only files named as ``publish`` names bundles (``directory-N-HASH.json``) are considered;
    bundles of versions above ``version`` are left alone.

    Returns:
        The names removed, and a message for each bundle that could not be removed.
    """
    by_version: dict[int, list[str]] = {}
    for item in Path(site).iterdir():
        match = _PUBLISHED_BUNDLE.match(item.name)
        if match and item.is_file() and int(match.group(1)) <= version:
            by_version.setdefault(int(match.group(1)), []).append(item.name)
    kept = sorted(by_version, reverse=True)[:keep]
    removed: list[str] = []
    problems: list[str] = []
    for old in sorted(set(by_version) - set(kept)):
        for name in sorted(by_version[old]):
            try:
                (Path(site) / name).unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                problems.append(f"{Path(site) / name}: cannot remove: {exc.strerror or exc}")
                continue
            removed.append(name)
    return removed, problems


def publish(
    data: Path,
    key: Path,
    site: Path,
    *,
    version: int | None = None,
    expires: str = DEFAULT_EXPIRES,
    keep: int = DEFAULT_KEEP,
    now: datetime | None = None,
) -> PublishResult:
    """Validate a directory folder and publish it, signed, into a site folder.

    The bundle is written first, then ``signed-manifest.json`` (what clients read: the manifest
    and its signature replaced together in one ``os.replace``), then ``manifest.json.sig`` and
    ``manifest.json`` for earlier clients, each atomically, so that a client never sees a
    manifest whose bundle is missing. Older bundles are removed last.

    Args:
        data: the directory folder to publish (the layout of ``data/``).
        key: the private key file (``somnet directory keygen``).
        site: the folder a web server serves.
        version: the new version; by default one more than the site's current version (or 1).
        expires: when clients stop trusting this manifest (``30d``, a date, a time).
        keep: keep the bundles of this many versions, the new one included (at least 1); the
            others are removed once the new manifest is in place.
        now: the publication time (default: now).

    Returns:
        What was published.

    Raises:
        KeyFileError: the key is missing or malformed.
        DirectoryError: the directory does not validate.
        BadInputError: a version that does not go up, a bad expiry, ``keep`` below 1.
        StorageError: the site cannot be written.
    """
    from somnet._files import write_atomic
    from somnet.directory.loading import load_directory
    from somnet.sharing import signing as _signing

    if keep < 1:
        raise BadInputError(f"--keep {keep}: keep at least 1 version (the one published)")
    now = (now or utc_now()).astimezone(UTC).replace(microsecond=0)
    expiry = parse_expiry(expires, now)
    private_key = _signing.load_private_key(Path(key))
    signer = _signing.public_key_of(private_key)
    site = Path(site)
    if not site.is_dir():
        # The project's rule for --out: the site folder may be made, never its parents.
        if site.exists():
            raise BadInputError(f"--out {site}: a file, not a folder")
        if not site.parent.is_dir():
            raise BadInputError(f"--out {site}: the folder {site.parent} does not exist")
    data = Path(data)
    if not data.is_dir():
        what = "a file, not a folder of data files" if data.exists() else "no such directory"
        raise BadInputError(f"--data {data}: {what}")
    load_directory(base=data, use_env=False, today=latest_date(now))
    content, count = build_bundle(data)
    digest = hashlib.sha256(content).hexdigest()
    try:
        site.mkdir(exist_ok=True)
    except OSError as exc:
        raise StorageError(f"{site}: cannot write: {exc.strerror or exc}") from exc
    current = read_site_manifest(site)
    if version is None:
        version = current.version + 1 if current else 1
    if version < 1:
        raise BadInputError(f"--version {version}: versions start at 1")
    if version > MAX_VERSION:
        raise BadInputError(f"--version {version}: versions go up to {MAX_VERSION}")
    if current is not None:
        if version < current.version:
            stolen = (
                f"; if key {current.key_id}, which signed it, was stolen, remove the "
                f"manifests ({SIGNED_MANIFEST_NAME}, {MANIFEST_NAME}, {SIGNATURE_NAME}) from "
                f"{site} and publish again: agencies that trust key {signer.key_id} instead "
                "accept its versions from 1"
                if current.key_id != signer.key_id
                else ""
            )
            raise BadInputError(
                f"--version {version}: {site} already publishes version {current.version}; "
                f"versions only go up (clients refuse an older one){stolen}"
            )
        if version == current.version and digest != current.bundle_sha256:
            raise BadInputError(
                f"--version {version}: {site} already publishes version {version} with other "
                f"content; publish it as --version {version + 1}"
            )
    manifest = Manifest(
        version=version,
        created=now,
        expires=expiry,
        bundle_name=f"directory-{version}-{digest[:12]}.json",
        bundle_sha256=digest,
        bundle_size=len(content),
        key_id=signer.key_id,
    )
    manifest_bytes = manifest.to_bytes()
    signature = _signing.sign(private_key, manifest_bytes)
    write_atomic(site / manifest.bundle_name, content, mode=0o644)
    # The one file new clients read: from this replace on, they see the new version.
    write_atomic(
        site / SIGNED_MANIFEST_NAME, signed_manifest_bytes(manifest_bytes, signature), mode=0o644
    )
    # The pair read by clients before signed-manifest.json (which can meet them out of step).
    write_atomic(site / SIGNATURE_NAME, signature, mode=0o644)
    write_atomic(site / MANIFEST_NAME, manifest_bytes, mode=0o644)
    removed, problems = prune_bundles(site, keep, manifest.version)
    return PublishResult(manifest, site, count, tuple(removed), tuple(problems))


# The client's state ------------------------------------------------------------------------


@attrs.frozen
class InstalledCopy:
    """One synced copy on disk and the manifest it was installed from."""

    version: int
    sha256: str
    size: int
    created: datetime
    expires: datetime
    key_id: str
    synced_at: datetime
    folder: str  # relative to the sync folder: copies/N-HASH

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "sha256": self.sha256,
            "size": self.size,
            "created": format_time(self.created),
            "expires": format_time(self.expires),
            "key_id": self.key_id,
            "synced_at": format_time(self.synced_at),
            "folder": self.folder,
        }

    @classmethod
    def from_json(cls, value: Any) -> InstalledCopy:
        """Read a copy recorded in the state file.

        Raises:
            ValueError: a field is missing or not as somnet writes it.
        """
        if not isinstance(value, dict):
            raise ValueError("expected an object")
        times = {name: _parse_time(value.get(name)) for name in ("created", "expires", "synced_at")}
        for name, moment in times.items():
            if moment is None:
                raise ValueError(f".{name}: not a time like 2026-11-27T10:00:00Z")
        version, sha256, folder = value.get("version"), value.get("sha256"), value.get("folder")
        if not _is_version(version):
            raise ValueError(f".version: {_shown(version)} is not a version")
        if not isinstance(sha256, str) or not _HEX64.match(sha256):
            raise ValueError(f".sha256: {_shown(sha256)} is not a SHA-256")
        if folder != f"{COPIES_NAME}/{version}-{sha256[:12]}":
            raise ValueError(f".folder: {_shown(folder)} is not the copy's folder")
        size, key = value.get("size"), value.get("key_id")
        return cls(
            version=version,
            sha256=sha256,
            size=size if isinstance(size, int) and not isinstance(size, bool) else 0,
            created=times["created"],  # type: ignore[arg-type]
            expires=times["expires"],  # type: ignore[arg-type]
            key_id=key if isinstance(key, str) and _KEY_ID.match(key) else "",
            synced_at=times["synced_at"],  # type: ignore[arg-type]
            folder=folder,
        )


def _is_version(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_VERSION


def _shown(value: Any) -> str:
    """A value from a file, for a message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def safe_etag(value: Any) -> str | None:
    """``value`` if it can be sent back in ``If-None-Match`` as it is (printable ASCII, at most
    ``MAX_ETAG`` characters), else None. A server, or whoever answers in its name, chooses
    the ETag: stored unchecked, one odd value would break every later sync."""
    return value if isinstance(value, str) and _SAFE_ETAG.match(value) else None


@attrs.frozen
class SyncState:
    """``state.json``: where the copy comes from, which trust files to read, what is installed.

    The trust files are recorded by name, never their keys: each sync reads them again, so
    that a key added to a trust file is followed and a key removed from it is revoked.
    ``ignored`` lists the values of the file that could not be used (each ``$.field: why``);
    they are left out, so that no saved value can make a sync impossible.
    """

    source: str
    trust: tuple[str, ...]
    current: InstalledCopy
    previous: InstalledCopy | None = None
    etag: str | None = None
    checked_at: datetime | None = None
    ignored: tuple[str, ...] = attrs.field(default=(), eq=False)

    def to_bytes(self) -> bytes:
        value = {
            "format": STATE_FORMAT,
            "source": self.source,
            "trust": list(self.trust),
            "etag": self.etag,
            "checked_at": format_time(self.checked_at) if self.checked_at else None,
            "current": self.current.to_json(),
            "previous": self.previous.to_json() if self.previous else None,
        }
        return (json.dumps(value, indent=2, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, content: bytes) -> SyncState:
        """Read a state file. Only the installed copy is indispensable; any other value that
        cannot be used is left out and named in ``ignored``.

        Raises:
            ValueError: not a state file, or its installed copy cannot be read.
        """
        try:
            value = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise ValueError("not JSON") from None
        if not isinstance(value, dict) or value.get("format") != STATE_FORMAT:
            raise ValueError(f"not a somnet sync state (format {STATE_FORMAT})")
        try:
            current = InstalledCopy.from_json(value.get("current"))
        except ValueError as exc:
            raise ValueError(f"$.current{exc}") from None
        ignored: list[str] = []

        def ignore(field: str, why: str) -> None:
            ignored.append(f"$.{field}: {why}")

        source = value.get("source")
        if not isinstance(source, str) or not source.isascii() or not source.strip():
            ignore("source", f"{_shown(source)} is not a URL")
            source = ""
        trust = value.get("trust", [])
        if not isinstance(trust, list) or not all(isinstance(t, str) and t.strip() for t in trust):
            ignore("trust", f"{_shown(trust)} is not a list of trust files")
            trust = []
        if "trusted_keys" in value:
            ignore(
                "trusted_keys",
                "keys copied here by an earlier somnet no longer decide what is trusted: the "
                "trust files are read at each sync",
            )
        etag = value.get("etag")
        if etag is not None and safe_etag(etag) is None:
            ignore(
                "etag",
                f"{_shown(etag)} cannot be sent back to the server "
                f"(printable ASCII, at most {MAX_ETAG} characters)",
            )
            etag = None
        checked_at = value.get("checked_at")
        if checked_at is not None and _parse_time(checked_at) is None:
            ignore("checked_at", f"{_shown(checked_at)} is not a time")
        previous = value.get("previous")
        if previous is not None:
            try:
                previous = InstalledCopy.from_json(previous)
            except ValueError as exc:
                ignore(
                    f"previous{str(exc).split(':')[0]}", f"the previous copy cannot be read ({exc})"
                )
                previous = None
        return cls(
            source=source,
            trust=tuple(trust),
            current=current,
            previous=previous,
            etag=etag,
            checked_at=_parse_time(checked_at),
            ignored=tuple(ignored),
        )


def read_state(folder: Path) -> SyncState | None:
    """The sync state in ``folder``, or None when nothing was ever synced there.

    Raises:
        StorageError: the state file exists but cannot be read, or its installed copy cannot
            be understood.
    """
    path = Path(folder) / STATE_NAME
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None
    except OSError as exc:
        raise StorageError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return SyncState.from_bytes(content)
    except ValueError as exc:
        raise StorageError(f"{path}: the sync state is damaged ({exc})") from exc


def _salvaged_floor(folder: Path) -> tuple[int, str] | None:
    """The highest version among the copies kept in ``folder`` and its SHA-256 prefix, when
    the state file is damaged: a fresh sync must still not install an older version."""
    found: list[tuple[int, str]] = []
    with contextlib.suppress(OSError):
        for item in (folder / COPIES_NAME).iterdir():
            match = _COPY_NAME.match(item.name)
            if match and _is_version(int(match.group(1))) and not item.is_symlink():
                found.append((int(match.group(1)), match.group(2)))
    return max(found) if found else None


# Loading: cheap, called by every command ---------------------------------------------------


def installed_base(folder: Path | None = None) -> Path | None:
    """The installed synced copy, to load as the base layer; None means the shipped directory.

    Cheap (reads one small JSON file) and never raises: a damaged state is reported by
    :func:`installed_warnings`.
    """
    folder = sync_dir() if folder is None else Path(folder)
    try:
        state = read_state(folder)
    except StorageError:
        return None
    if state is None:
        return None
    copy = folder / state.current.folder
    return copy if copy.is_dir() else None


def installed_warnings(folder: Path | None = None, *, now: datetime | None = None) -> list[str]:
    """What a user must know about the synced copy the commands are reading: that it expired,
    or that it cannot be used (so the shipped directory is read instead)."""
    folder = sync_dir() if folder is None else Path(folder)
    try:
        state = read_state(folder)
    except StorageError as exc:
        return [f"{exc}; using the shipped directory"]
    if state is None:
        return []
    copy = state.current
    if not (folder / copy.folder).is_dir():
        return [
            f"the synced directory (version {copy.version}) is missing from "
            f"{folder / copy.folder}; using the shipped directory (run: somnet directory sync)"
        ]
    now = now or utc_now()
    if copy.expires <= now:
        days = (now - copy.expires).days
        ago = f"{days} day{'s' if days != 1 else ''} ago" if days else "today"
        return [
            f"the synced directory (version {copy.version} from {state.source}) expired on "
            f"{format_time(copy.expires)} ({ago}): it may be out of date; "
            "run: somnet directory sync"
        ]
    return []


def load_over_installed(
    load: Callable[[Path | None], _Loaded], base: Path, folder: Path | None = None
) -> tuple[_Loaded, list[str]]:
    """Load with the installed synced copy as the base layer, never failing because of it.

    A synced copy validated when it was installed, but it can fail later: a newer somnet checks
    more, a library's answers change (which phone numbers are valid), a file is damaged on
    disk. The commands must still run, so the previous good copy is tried next, then the
    shipped directory (``base=None``), and a warning says which copy failed and why.

    Args:
        load: loads the directory over a base folder (None: the shipped one), with the user's
            overlays; raises DirectoryError when the result does not validate.
        base: the installed copy (:func:`installed_base`).
        folder: the sync folder (default :func:`sync_dir`), to find the previous good copy.

    Returns:
        What ``load`` returned for the first base that loads, and the warnings to show.

    Raises:
        DirectoryError: no base loads; the error is the installed copy's (the overlays are
            then the likely cause, and that is the directory the user expects).
    """
    folder = sync_dir() if folder is None else Path(folder)
    try:
        state = read_state(folder)
    except StorageError:
        state = None
    candidates: list[tuple[Path | None, str]] = [(base, "the synced directory")]
    if state is not None and base == folder / state.current.folder:
        candidates[0] = (base, f"the synced directory (version {state.current.version})")
        previous = state.previous
        if previous is not None and (folder / previous.folder).is_dir():
            label = f"version {previous.version}, the previous good copy"
            candidates.append((folder / previous.folder, label))
    candidates.append((None, "the shipped directory"))
    failures: list[str] = []
    first: DirectoryError | None = None
    for path, label in candidates:
        try:
            loaded = load(path)
        except DirectoryError as exc:
            first = first or exc
            failures.append(f"{label} does not load now ({_first_problem(exc, path)})")
            continue
        if not failures:
            return loaded, []
        return loaded, ["; ".join([*failures, f"using {label}"])]
    assert first is not None
    raise first


def _first_problem(error: DirectoryError, folder: Path | None) -> str:
    """The first problem of a load, with the copy's folder left out of its file name."""
    first = error.problems[0] if error.problems else str(error)
    if folder is not None:
        first = first.replace(f"{folder}{os.sep}", "")
    more = len(error.problems) - 1
    return first + (f", and {more} more problem{'s' if more > 1 else ''}" if more > 0 else "")


# Syncing -----------------------------------------------------------------------------------


@attrs.frozen
class SyncResult:
    """What a sync did.

    Attributes:
        outcome: ``installed`` (a new version), ``current`` (the same version: nothing to
            download; a renewed manifest extends the expiry), ``not-modified`` (the server
            answered 304).
        version: the version installed now.
        previous_version: the version installed before, if any.
        expires: when the installed copy expires.
        source: the manifest's URL.
        folder: the installed copy.
        warnings: what the user must know although the sync succeeded.
    """

    outcome: Outcome
    version: int
    previous_version: int | None
    expires: datetime
    source: str
    folder: Path
    #: What the user must know although the sync succeeded (a state value ignored...).
    warnings: tuple[str, ...] = ()


#: Called with (bytes received, bytes expected) while the bundle downloads.
Progress = Callable[[int, int], None]


class _ServerError(Exception):
    """A 5xx answer: worth another attempt."""

    def __init__(self, status: int, phrase: str) -> None:
        super().__init__(f"HTTP {status} {phrase}".strip())


def manifest_url(url: str) -> str:
    """The signed manifest's URL for what the user typed: a site URL or a manifest's own.

    ``.../manifest.json`` (the manifest alone, which a user may have typed or an earlier somnet
    recorded as the source) means the ``signed-manifest.json`` next to it; another ``.json``
    URL is taken as the signed manifest's own.

    Raises:
        BadInputError: not an http(s) URL with a host.
    """
    import httpx

    text = url.strip()
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise BadInputError(f"{url!r}: not a URL ({exc})") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise BadInputError(
            f"{url!r}: not an http(s) URL; give the site, e.g. https://example.org/somnet/"
        )
    if parsed.path.endswith("/" + MANIFEST_NAME):
        return str(parsed.join(SIGNED_MANIFEST_NAME))
    if parsed.path.endswith(".json"):
        return str(parsed)
    path = parsed.path if parsed.path.endswith("/") else parsed.path + "/"
    return str(parsed.copy_with(path=path + SIGNED_MANIFEST_NAME, query=None, fragment=None))


def sync(
    url: str | None = None,
    trust: Sequence[Path] = (),
    *,
    folder: Path | None = None,
    client: httpx.Client | None = None,
    now: datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
    attempts: int = 3,
    backoff: float = 1.0,
    timeout: float = 20.0,
    deadline: float = DEFAULT_DEADLINE,
    max_bundle_bytes: int = MAX_BUNDLE_BYTES,
    progress: Progress | None = None,
) -> SyncResult:
    """Fetch the published directory, check everything, and install it atomically.

    Any failure leaves the installed copy as it was and no temporary file behind; the error says
    which check failed.

    Args:
        url: the site (or its manifest); by default the source of the last sync.
        trust: trust files (public keys); by default the trust files named at the last sync.
            They are read at every sync (never copied), so that adding a key to a trust file
            rotates to it and removing a key revokes it. When the key that signed the
            installed copy has been revoked, its version no longer bounds what a trusted key
            may install: that is how agencies recover from a stolen key.
        folder: where the synced copy lives (default :func:`sync_dir`).
        client: the HTTP client (default: a new one with ``timeout``); not closed here if given.
        now: the current time, for expiry (default: the clock).
        sleep: how to wait between attempts (tests pass a function that does not).
        attempts: how many times to try a request that fails on the network or with a 5xx.
        backoff: the first wait between attempts in seconds, doubled each time.
        timeout: seconds to connect, and without a byte, before a request fails.
        deadline: seconds the whole sync may spend fetching: the manifest and the bundle,
            headers and bodies, every attempt and the waits between them; past it the sync
            stops, whatever the server still sends (a byte at a time never trips ``timeout``).
            Validating and installing the bundle, on this machine, come after it.
        max_bundle_bytes: the largest bundle accepted, whatever the manifest says.
        progress: called as the bundle arrives.

    Returns:
        What was done.

    Raises:
        BadInputError: a bad URL, no URL or no trust file given and none recorded.
        KeyFileError: a trust file missing or malformed.
        VerificationError: a check failed (signature, rollback, expiry, size, hash, data).
        NetworkError: the server could not be reached or answered with an error.
        StorageError: the sync folder cannot be written.
    """
    from somnet.sharing import signing as _signing

    folder = sync_dir() if folder is None else Path(folder)
    now = (now or utc_now()).astimezone(UTC)
    # Bad input first: nothing is written for a mistyped URL or a missing trust file.
    source = manifest_url(url) if url is not None else None
    trust_files = tuple(os.path.abspath(path) for path in trust)
    trusted = _signing.load_trusted_keys([Path(t) for t in trust_files]) if trust_files else None
    warnings: list[str] = []
    if source is None or trusted is None:
        recorded = _state_or_none(folder, fresh=False)
        if source is None and (recorded is None or not recorded.source):
            why = "nothing was synced before" if recorded is None else "none is recorded"
            raise BadInputError(f"sync: give the site's URL ({why})")
        if trusted is None:
            trust_files = recorded.trust if recorded is not None else ()
            trusted = _recorded_trust(trust_files, recorded)
    _prepare_folder(folder)
    with _locked(folder):
        fresh = url is not None and bool(trust)
        state = _state_or_none(folder, fresh=fresh, warnings=warnings)
        floor = None
        if state is None and (folder / STATE_NAME).exists():
            floor = _salvaged_floor(folder)
        kept = (
            f"the installed directory is unchanged (version {state.current.version})"
            if state and (folder / state.current.folder).is_dir()
            else "nothing was installed"
        )
        if source is None:
            if state is None or not state.source:  # changed by someone else meanwhile
                raise BadInputError("sync: give the site's URL and --trust FILE")
            source = manifest_url(state.source)
        elif source.startswith("http://") and (state is None or state.source != source):
            # Said once, when the source is new; the scheduled syncs that follow stay quiet.
            warnings.append(
                f"{source}: plain http: the signature still guards the directory's content, "
                "but anyone on the way sees what is fetched and can hold updates back until "
                "the copy expires; use https if the site offers it"
            )
        try:
            result = _sync(
                source,
                trusted,
                trust_files,
                folder=folder,
                state=state,
                floor=floor,
                client=client,
                now=now,
                sleep=sleep,
                attempts=max(1, attempts),
                backoff=backoff,
                timeout=timeout,
                deadline=deadline,
                max_bundle_bytes=max_bundle_bytes,
                progress=progress,
            )
        except (VerificationError, NetworkError, StorageError) as exc:
            raise type(exc)(f"{exc}; {kept}") from exc
        # Only now that every check passed: what killed syncs left behind.
        with contextlib.suppress(StorageError):
            _remove_leftovers(folder, read_state(folder))
        return attrs.evolve(result, warnings=(*warnings, *result.warnings))


def _recorded_trust(trust_files: Sequence[str], state: SyncState | None) -> list[TrustedKey]:
    """The keys of the trust files recorded by an earlier sync, read now.

    Raises:
        KeyFileError: none recorded, or one is gone or malformed.
    """
    from somnet.sharing import signing as _signing

    if not trust_files:
        earlier = state is not None and any(w.startswith("$.trusted_keys") for w in state.ignored)
        why = (
            " (an earlier somnet kept a copy of the keys; somnet now reads the trust file at "
            "every sync, so that removing a key from it revokes the key)"
            if earlier
            else ""
        )
        raise KeyFileError(f"sync: give --trust FILE, the publisher's public key (KEY.pub){why}")
    try:
        return _signing.load_trusted_keys([Path(t) for t in trust_files])
    except KeyFileError as exc:
        raise KeyFileError(
            f"{exc} (a trust file named at an earlier sync; give --trust FILE to name another)"
        ) from None


def _state_or_none(
    folder: Path, *, fresh: bool, warnings: list[str] | None = None
) -> SyncState | None:
    """The state in ``folder`` for a sync. Values that cannot be used are reported in
    ``warnings``; with ``fresh`` (the URL and the keys were given), a state damaged beyond use
    is reported there too and the sync starts afresh, else it stops the sync."""
    try:
        state = read_state(folder)
    except StorageError as exc:
        if not fresh:
            raise StorageError(
                f"{exc}; give the site's URL and --trust FILE to sync afresh"
            ) from exc
        if warnings is not None:
            warnings.append(
                f"{exc}; syncing afresh (versions older than the copies kept there "
                "are still refused)"
            )
        return None
    if state is not None and warnings is not None:
        warnings.extend(f"{folder / STATE_NAME}: {why}; ignored" for why in state.ignored)
    return state


def _sync(
    source: str,
    trusted: Sequence[TrustedKey],
    trust_files: Sequence[str],
    *,
    folder: Path,
    state: SyncState | None,
    floor: tuple[int, str] | None,
    client: httpx.Client | None,
    now: datetime,
    sleep: Callable[[float], None],
    attempts: int,
    backoff: float,
    timeout: float,
    deadline: float,
    max_bundle_bytes: int,
    progress: Progress | None,
) -> SyncResult:
    import httpx

    from somnet.sharing import signing as _signing

    installed = state is not None and (folder / state.current.folder).is_dir()
    warnings: list[str] = []
    own_client = client is None
    if client is None:
        from somnet._version import __version__

        client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,  # followed by _Fetcher, within the site's host only
            headers={"User-Agent": f"somnet/{__version__}"},
        )
    clock = _Deadline(deadline)
    fetch = _Fetcher(
        client, sleep=sleep, attempts=attempts, backoff=backoff, timeout=timeout, deadline=clock
    )
    clock.__enter__()  # the watchdog runs from here to the finally below
    try:
        expired = installed and state is not None and state.current.expires <= now
        revoked = state is not None and _revoked(state.current, trusted)
        # Once the copy has expired, or its key is revoked, a 304 would prove nothing (it says
        # the manifest is the one seen before): ask for the manifest whole.
        conditional = (
            installed
            and state is not None
            and state.source == source
            and not expired
            and not revoked
        )
        etag = state.etag if conditional and state is not None else None
        # One file holds the manifest and its signature: never one publication's manifest with
        # another's signature, however a publication and this sync interleave.
        answer = fetch.small(source, MAX_MANIFEST_BYTES, "the signed manifest", etag=etag)
        if answer is None:  # 304 Not Modified
            if expired and state is not None:
                raise VerificationError(
                    f"{source}: the server answers 304 Not Modified, but the installed copy "
                    f"(version {state.current.version}) expired on "
                    f"{format_time(state.current.expires)}: a 304 proves nothing once a copy "
                    "has expired (a server replaying old answers: freeze attack)"
                )
            if etag is None or state is None:
                raise NetworkError(
                    f"{source}: fetching the signed manifest: the server answered 304 Not "
                    "Modified to a request that was not conditional"
                )
            _write_state(
                folder, attrs.evolve(state, source=source, trust=tuple(trust_files), checked_at=now)
            )
            return SyncResult(
                "not-modified",
                state.current.version,
                state.current.version,
                state.current.expires,
                source,
                folder / state.current.folder,
            )
        signed_bytes, received_etag, found_at = answer
        new_etag = safe_etag(received_etag)
        manifest_bytes, signature = split_signed_manifest(signed_bytes, source)
        signer = _signing.verify(
            manifest_bytes,
            signature,
            trusted,
            claimed_key_id=_claimed_key_id(manifest_bytes),
            label=source,
        )
        manifest = Manifest.from_bytes(manifest_bytes, source)
        if revoked and state is not None:
            # Recovery from a stolen key: once the key that signed the installed copy is no
            # longer trusted, its version no longer bounds what a trusted key may install.
            floor = None
            warnings.append(
                f"the installed version {state.current.version} was signed by key "
                f"{state.current.key_id}, which is no longer trusted: its version no longer "
                f"bounds what is installed, and version {manifest.version} signed by key "
                f"{signer.key_id} replaces it"
            )
        elif state is not None:
            floor = (state.current.version, state.current.sha256[:12])
        _check_manifest(manifest, floor, now, max_bundle_bytes, source)
        trust = tuple(trust_files)
        same = installed and state is not None and manifest.version == state.current.version
        if same and state is not None and manifest.bundle_sha256 == state.current.sha256:
            installed_manifest = (state.current.created, state.current.expires)
            if not revoked and (manifest.created, manifest.expires) < installed_manifest:
                raise VerificationError(
                    f"{source}: the server offers an older manifest of version "
                    f"{manifest.version} (created {format_time(manifest.created)}, expiring "
                    f"{format_time(manifest.expires)}) than the one installed (created "
                    f"{format_time(state.current.created)}): a replay that would move the "
                    "expiry back"
                )
            # The same bundle again, perhaps with a later expiry: keep the files, renew.
            current = attrs.evolve(
                state.current,
                created=manifest.created,
                expires=manifest.expires,
                key_id=signer.key_id,
            )
            _write_state(
                folder,
                attrs.evolve(
                    state,
                    source=source,
                    trust=trust,
                    current=current,
                    previous=None if revoked else state.previous,
                    etag=new_etag,
                    checked_at=now,
                ),
            )
            return SyncResult(
                "current",
                manifest.version,
                manifest.version,
                manifest.expires,
                source,
                folder / current.folder,
                tuple(warnings),
            )
        # Next to the manifest where it was found, after any redirect within the site.
        bundle_url = str(httpx.URL(found_at).join(manifest.bundle_name))
        with _temporary_file(folder, ".download-") as download:
            fetch.bundle(bundle_url, download, manifest, progress)
            copy = _unpack_and_validate(download, folder, manifest, now)
        installed_copy = InstalledCopy(
            version=manifest.version,
            sha256=manifest.bundle_sha256,
            size=manifest.bundle_size,
            created=manifest.created,
            expires=manifest.expires,
            key_id=signer.key_id,
            synced_at=now,
            folder=copy,
        )
        new_state = SyncState(
            source=source,
            trust=trust,
            current=installed_copy,
            # The previous good copy is kept to fall back on, unless a revoked key signed it.
            previous=state.current if installed and state is not None and not revoked else None,
            etag=new_etag,
            checked_at=now,
        )
        try:
            _write_state(folder, new_state)
        except BaseException:
            kept_copies = (
                {state.current.folder, getattr(state.previous, "folder", None)} if state else set()
            )
            if copy not in kept_copies:
                shutil.rmtree(folder / copy, ignore_errors=True)
            raise
        _fsync_folder(folder)
        _remove_unused_copies(folder, new_state)
        return SyncResult(
            "installed",
            manifest.version,
            state.current.version if installed and state is not None else None,
            manifest.expires,
            source,
            folder / copy,
            tuple(warnings),
        )
    finally:
        clock.__exit__()
        if own_client:
            client.close()


def _revoked(copy: InstalledCopy, trusted: Sequence[TrustedKey]) -> bool:
    """Whether the key that signed ``copy`` has been removed from the trust files (a copy
    whose key is not recorded, from a damaged state, keeps its version floor)."""
    return bool(copy.key_id) and copy.key_id not in {key.key_id for key in trusted}


def _check_manifest(
    manifest: Manifest,
    floor: tuple[int, str] | None,
    now: datetime,
    max_bundle_bytes: int,
    source: str,
) -> None:
    """Refuse an expired manifest, a version below ``floor`` (the installed version and its
    SHA-256 prefix, when its key is still trusted), or a bundle larger than accepted."""
    if manifest.expires <= now:
        raise VerificationError(
            f"{source}: the manifest (version {manifest.version}) expired on "
            f"{format_time(manifest.expires)}: a server replaying an old directory (freeze "
            "attack) or a publisher who has not renewed it"
        )
    if manifest.created > now + CLOCK_SKEW:
        raise VerificationError(
            f"{source}: the manifest (version {manifest.version}) is dated "
            f"{format_time(manifest.created)}, ahead of this machine's clock "
            f"({format_time(now)}) by more than {CLOCK_SKEW}: the publisher's clock or this "
            "one is wrong, or a stolen key signed it"
        )
    if floor is not None:
        version, prefix = floor
        if manifest.version < version:
            raise VerificationError(
                f"{source}: rollback refused: the server offers version {manifest.version}, "
                f"older than the installed version {version}"
            )
        if manifest.version == version and manifest.bundle_sha256[:12] != prefix:
            raise VerificationError(
                f"{source}: version {manifest.version} is already installed with other content "
                f"(SHA-256 {prefix}..., now {manifest.bundle_sha256[:12]}...); "
                "a publisher must raise the version for new content"
            )
    cap = max_bundle_bytes
    if manifest.bundle_size > cap:
        raise VerificationError(
            f"{source}: the manifest announces a bundle of {manifest.bundle_size} bytes, more "
            f"than the {cap} bytes accepted"
        )


class _Deadline:
    """One wall-clock deadline for everything a sync fetches, headers and bodies included.

    httpx's timeout bounds each wait for a byte: a server that sends a byte a second never
    trips it, in the headers as in the body. So the deadline is checked between the reads of
    a body, and when it passes a watchdog thread shuts down every connection the sync opened
    (httpx hands each one over through its ``trace`` extension), so that a read stuck in the
    middle of the headers returns too.
    """

    def __init__(self, seconds: float) -> None:
        import threading

        self.seconds = seconds
        self._ends = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[Any] = []
        self._expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        if self._timer.ident is not None:
            self._timer.join()

    @property
    def passed(self) -> bool:
        return self._expired or time.monotonic() >= self._ends

    def remaining(self) -> float:
        return max(0.0, self._ends - time.monotonic())

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpx's ``trace`` extension: keep each connection the sync opens."""
        if not event.endswith((".connect_tcp.complete", ".start_tls.complete")):
            return
        stream = info.get("return_value")
        connection = stream.get_extra_info("socket") if stream is not None else None
        if connection is None:
            return
        with self._lock:
            self._sockets.append(connection)
            expired = self._expired
        if expired:
            _shut_down(connection)

    def _expire(self) -> None:
        with self._lock:
            self._expired = True
            connections = list(self._sockets)
        for connection in connections:
            _shut_down(connection)

    def message(self, url: str, what: str) -> str:
        return (
            f"{url}: {what}: the sync took longer than the deadline of {self.seconds:g} s "
            "(a server too slow, or sending a byte at a time)"
        )


def _shut_down(connection: Any) -> None:
    """End a connection's reads and writes at once, from any thread (the socket's own method,
    not ``SSLSocket.shutdown``, which would pull the TLS state from under a reading thread)."""
    import socket

    with contextlib.suppress(OSError):
        socket.socket.shutdown(connection, socket.SHUT_RDWR)


class _Fetcher:
    """HTTP GETs with bounded retries (network errors and 5xx), size caps and one deadline."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        sleep: Callable[[float], None],
        attempts: int,
        backoff: float,
        timeout: float,
        deadline: _Deadline,
    ) -> None:
        self.client = client
        self.sleep = sleep
        self.attempts = attempts
        self.backoff = backoff
        self.timeout = timeout
        self.deadline = deadline

    def _retrying(self, url: str, what: str, action: Callable[[], Any]) -> Any:
        import httpx

        for attempt in range(1, self.attempts + 1):
            if self.deadline.passed:
                raise NetworkError(self.deadline.message(url, what))
            try:
                return action()
            except (httpx.TransportError, _ServerError) as exc:
                if self.deadline.passed:
                    raise NetworkError(self.deadline.message(url, what)) from exc
                refused = _certificate_failure(exc)
                if refused is not None:  # another attempt would meet the same certificate
                    raise NetworkError(
                        f"{url}: {what}: the server's certificate cannot be verified "
                        f"({refused}); not tried again"
                    ) from exc
                tries = f" (after {attempt} attempts)" if attempt > 1 else ""
                failure = f"{url}: {what}: {_describe_failure(exc)}{tries}"
                if attempt == self.attempts:
                    raise NetworkError(failure) from exc
                wait = self.backoff * 2 ** (attempt - 1)
                if wait >= self.deadline.remaining():
                    raise NetworkError(
                        f"{failure}; no time is left for another attempt before the deadline "
                        f"of {self.deadline.seconds:g} s"
                    ) from exc
                self.sleep(wait)
            except (httpx.HTTPError, httpx.InvalidURL) as exc:  # redirects, decoding: not retried
                raise NetworkError(f"{url}: {what}: {_describe_failure(exc)}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    @contextlib.contextmanager
    def _open(self, url: str, headers: dict[str, str], what: str) -> Iterator[httpx.Response]:
        """A streamed GET whose every wait ends by the deadline, following redirects only
        within the URL's host and never from https to plain http.

        Raises:
            VerificationError: a redirect elsewhere (not retried).
            NetworkError: too many redirects, or a Location that is not a URL.
        """
        import httpx

        current = httpx.URL(url)
        for _ in range(MAX_REDIRECTS + 1):
            timeout = httpx.Timeout(min(self.timeout, max(self.deadline.remaining(), 0.001)))
            with self.client.stream(
                "GET",
                current,
                headers=headers,
                timeout=timeout,
                follow_redirects=False,
                extensions={"trace": self.deadline.trace},
            ) as response:
                if response.status_code not in _REDIRECTS or "Location" not in response.headers:
                    yield response
                    return
                location = response.headers["Location"]
            try:
                target = current.join(location)
            except (httpx.InvalidURL, ValueError):
                raise NetworkError(
                    f"{url}: {what}: the server redirects to {_shown(location)}, not a URL"
                ) from None
            problem = _redirect_problem(current, target)
            if problem is not None:
                raise VerificationError(
                    f"{url}: {what}: the server redirects to {target}: {problem}"
                )
            current = target
        raise NetworkError(f"{url}: {what}: more than {MAX_REDIRECTS} redirects")

    def _check_status(self, response: httpx.Response, url: str, doing: str) -> None:
        if response.status_code >= 500:
            raise _ServerError(response.status_code, response.reason_phrase)
        if response.status_code != 200:
            raise NetworkError(
                f"{url}: {doing}: HTTP {response.status_code} {response.reason_phrase}".rstrip()
            )

    def _chunks(self, response: httpx.Response, url: str, what: str) -> Iterator[bytes]:
        """The body as it arrives (each read, not 64 KiB at a time), up to the deadline."""
        for chunk in response.iter_raw():
            if self.deadline.passed:
                raise NetworkError(self.deadline.message(url, what))
            yield chunk

    def small(
        self, url: str, cap: int, what: str, *, etag: str | None = None
    ) -> tuple[bytes, str | None, str] | None:
        """A small file, whole, refused past ``cap`` bytes, with its ETag and the URL it was
        found at (after redirects); None for 304 Not Modified."""
        headers = {"Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        doing = f"fetching {what}"

        def action() -> tuple[bytes, str | None, str] | None:
            with self._open(url, headers, doing) as response:
                if response.status_code == 304:
                    return None
                self._check_status(response, url, doing)
                content = bytearray()
                for chunk in self._chunks(response, url, doing):
                    content += chunk
                    if len(content) > cap:
                        raise VerificationError(
                            f"{url}: {what} is larger than {cap} bytes; not read further"
                        )
                return bytes(content), response.headers.get("ETag"), str(response.url)

        result: tuple[bytes, str | None, str] | None = self._retrying(url, doing, action)
        return result

    def bundle(self, url: str, target: Path, manifest: Manifest, progress: Progress | None) -> None:
        """Stream the bundle into ``target``, checking size and SHA-256 as it arrives."""
        size = manifest.bundle_size
        what = "downloading the bundle"

        def action() -> None:
            digest = hashlib.sha256()
            received = 0
            with (
                self._open(url, {"Accept-Encoding": "identity"}, what) as response,
                target.open("wb") as stream,
            ):
                if response.status_code in (404, 410):
                    raise NetworkError(
                        f"{url}: {what}: HTTP {response.status_code} "
                        f"{response.reason_phrase}: the site was being updated (the bundle this "
                        "manifest names is gone, pruned after newer versions); sync again"
                    )
                self._check_status(response, url, what)
                for chunk in self._chunks(response, url, what):
                    received += len(chunk)
                    if received > size:
                        raise VerificationError(
                            f"{url}: the bundle is larger than the {size} bytes its manifest "
                            "announces; download stopped"
                        )
                    digest.update(chunk)
                    stream.write(chunk)
                    if progress is not None:
                        progress(received, size)
                stream.flush()
                os.fsync(stream.fileno())
            if received != size:
                raise VerificationError(
                    f"{url}: the bundle has {received} bytes, its manifest announces {size}"
                )
            if digest.hexdigest() != manifest.bundle_sha256:
                raise VerificationError(
                    f"{url}: the bundle's SHA-256 {digest.hexdigest()[:12]}... does not match "
                    f"the manifest's {manifest.bundle_sha256[:12]}... (altered or corrupted)"
                )

        self._retrying(url, what, action)


def _certificate_failure(exc: BaseException) -> str | None:
    """Why the server's TLS certificate was refused, if that is what ``exc`` comes from."""
    import ssl

    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause.verify_message or str(cause)
        cause = cause.__cause__ or cause.__context__
    return None


def _redirect_problem(source: httpx.URL, target: httpx.URL) -> str | None:
    """Why a redirect from ``source`` to ``target`` is not followed, or None.

    The content is signed, so a redirect cannot alter it; but a site's own host is the one the
    agency chose, a redirect elsewhere is someone else's server (if the site moved, the agency
    syncs with the new URL), and a redirect to plain http would give up the privacy and the
    integrity of the connection the agency asked for.
    """
    if target.scheme not in ("http", "https"):
        return f"not http(s) ({target.scheme})"
    if source.scheme == "https" and target.scheme == "http":
        return "from https to plain http, which somnet refuses"
    if (target.host or "").lower() != (source.host or "").lower():
        return (
            "another host; somnet follows redirects within the site's host only (if the site "
            "moved, sync with its new URL)"
        )
    if target.scheme == source.scheme and target.port != source.port:
        return "another port of the host; somnet follows redirects within the site only"
    return None


def _describe_failure(exc: Exception) -> str:
    import httpx

    if isinstance(exc, _ServerError):
        return f"the server answered {exc}"
    if isinstance(exc, httpx.TimeoutException):
        kind = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for data"
        return f"timed out {kind} (the server is too slow or unreachable)"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc or 'connection refused'})"
    if isinstance(exc, httpx.RemoteProtocolError) and "complete message body" in str(exc):
        counts = re.search(r"received (\d+) bytes, expected (\d+)", str(exc))
        detail = f" ({counts.group(1)} of {counts.group(2)} bytes)" if counts else ""
        return f"the connection closed before the whole file arrived{detail}"
    if isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError):
        return f"the connection was reset or closed by the server ({exc or type(exc).__name__})"
    return f"{type(exc).__name__}: {exc}"


# Installing --------------------------------------------------------------------------------


def _prepare_folder(folder: Path) -> None:
    """Make ``folder`` a sync folder, or check that it is one, before anything is written.

    somnet deletes files only in a folder it marked as its own (``MARK_NAME``) when it created
    it, or took it empty, and there only what it names itself. A folder that holds anything
    else (``--cache ~/project``) is refused, unless it is a sync folder of an earlier somnet
    (``state.json``, ``copies/`` and somnet's temporary files only), which is marked. Links
    are never followed: a ``copies`` that is a link is refused.

    Raises:
        BadInputError: a folder somnet did not create, or links where its folders belong.
        StorageError: the folder cannot be created or written.
    """
    mark = folder / MARK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not mark.is_file() or mark.is_symlink():
            if mark.is_symlink() or mark.exists():
                raise BadInputError(f"{mark}: not the file somnet marks its sync folders with")
            entries = sorted(item.name for item in folder.iterdir())
            foreign = [name for name in entries if not _somnet_names(name)]
            if foreign or (entries and STATE_NAME not in entries):
                shown = ", ".join(repr(name) for name in (foreign or entries)[:3])
                raise BadInputError(
                    f"{folder}: not a sync folder somnet created: it holds {shown}; somnet "
                    "keeps its copy only in a new or empty folder, and deletes nothing else"
                )
            _write_mark(mark)
        copies = folder / COPIES_NAME
        if copies.is_symlink():
            raise BadInputError(
                f"{copies}: a symbolic link; somnet follows no link in its sync folder (remove it)"
            )
        copies.mkdir(exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-", delete=True)  # noqa: SIM115
        probe.close()
    except OSError as exc:
        raise StorageError(
            f"{folder}: cannot write the synced directory there: {exc.strerror or exc}"
        ) from exc


def _somnet_names(name: str) -> bool:
    """Whether ``name``, in a sync folder, is one somnet gives (to adopt an earlier one)."""
    return name in (STATE_NAME, COPIES_NAME, LOCK_NAME, MARK_NAME) or name.startswith(
        _TEMPORARY_PREFIXES
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
def _locked(folder: Path) -> Iterator[None]:
    """One sync at a time in a folder (a cron job and a person, say).

    The lock is the kernel's (``flock``) on ``.lock``: it ends with the process that holds it,
    so a sync killed with ``kill -9`` leaves no lock that blocks the next one, and a running
    sync ends by its deadline. The file says who holds it, for the message of the next one.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory lock
        yield
        return
    path = folder / LOCK_NAME
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(path, flags, 0o600)
    except OSError as exc:
        if path.is_symlink():
            raise BadInputError(
                f"{path}: a symbolic link; somnet follows no link in its sync folder (remove it)"
            ) from None
        raise StorageError(f"{folder}: cannot lock: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(handle, 200, 0).decode("ascii", "replace").strip()
            who = f" ({holder})" if re.fullmatch(r"pid \d+, since [0-9T:Z-]+", holder) else ""
            raise StorageError(
                f"{folder}: another sync is running there{who}; it ends by its deadline at "
                "the latest: sync again then"
            ) from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"pid {os.getpid()}, since {format_time(utc_now())}\n".encode(), 0)
        yield
    finally:
        os.close(handle)


def _remove_leftovers(folder: Path, state: SyncState | None) -> None:
    """After a sync whose checks passed: the temporary files and folders of earlier syncs
    that were killed, and the copies no state refers to (moved into place just before a
    crash). Only names somnet gives, in the folder it marked; links are removed, never
    followed."""
    for item in folder.iterdir():
        if item.name.startswith(_TEMPORARY_PREFIXES):
            _remove(item)
    _remove_unused_copies(folder, state)


def _remove(item: Path) -> None:
    """Remove a file, a link (not its target) or a folder of somnet's."""
    with contextlib.suppress(OSError):
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item)  # does not follow the links inside
        else:
            item.unlink()


@contextlib.contextmanager
def _temporary_file(folder: Path, prefix: str) -> Iterator[Path]:
    try:
        handle, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
        os.close(handle)
    except OSError as exc:
        raise StorageError(f"{folder}: cannot write: {exc.strerror or exc}") from exc
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def _unpack_and_validate(download: Path, folder: Path, manifest: Manifest, now: datetime) -> str:
    """Unpack the verified bundle into a temporary folder, validate it, and move it into
    ``copies/``. Returns its folder relative to ``folder``."""
    from somnet.directory.loading import load_directory

    label = f"bundle {manifest.bundle_name} (version {manifest.version})"
    files = parse_bundle(download.read_bytes(), label)
    try:
        incoming = Path(tempfile.mkdtemp(dir=folder, prefix=".incoming-"))
    except OSError as exc:
        raise StorageError(f"{folder}: cannot write: {exc.strerror or exc}") from exc
    try:
        for relative, text in files.items():
            path = incoming.joinpath(*relative.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as stream:
                stream.write(text.encode("utf-8"))
                stream.flush()
                os.fsync(stream.fileno())
        try:
            load_directory(base=incoming, use_env=False, today=latest_date(now))
        except DirectoryError as exc:
            first = exc.problems[0].replace(f"{incoming}{os.sep}", "") if exc.problems else ""
            more = len(exc.problems) - 1
            extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
            raise VerificationError(f"{label} holds an invalid directory: {first}{extra}") from exc
        relative_copy = f"{COPIES_NAME}/{manifest.version}-{manifest.bundle_sha256[:12]}"
        target = folder / relative_copy
        if target.exists() or target.is_symlink():  # the same content, no longer referenced
            _remove(target)
        os.replace(incoming, target)
        _fsync_folder(folder / COPIES_NAME)
        return relative_copy
    except OSError as exc:
        raise StorageError(f"{folder}: cannot install: {exc.strerror or exc}") from exc
    finally:
        if incoming.exists():
            shutil.rmtree(incoming, ignore_errors=True)


def _write_state(folder: Path, state: SyncState) -> None:
    from somnet._files import write_atomic

    write_atomic(folder / STATE_NAME, state.to_bytes(), mode=0o644)


def _fsync_folder(folder: Path) -> None:
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


def _remove_unused_copies(folder: Path, state: SyncState | None) -> None:
    """Keep the installed copy and the previous good one; remove the other copies (folders
    named as somnet names copies, never a link or anything else in ``copies/``)."""
    keep = set()
    if state is not None:
        keep.add(state.current.folder)
        if state.previous is not None:
            keep.add(state.previous.folder)
    copies = folder / COPIES_NAME
    if copies.is_symlink() or not copies.is_dir():
        return
    for item in copies.iterdir():
        name = f"{COPIES_NAME}/{item.name}"
        if _COPY_NAME.match(item.name) and not item.is_symlink() and name not in keep:
            _remove(item)


# Status ------------------------------------------------------------------------------------


def _key_trusted(copy: InstalledCopy, trust: Sequence[str]) -> bool | None:
    """Whether the key that signed ``copy`` is in the trust files now (None: cannot tell)."""
    from somnet.sharing import signing as _signing

    if not trust or not copy.key_id:
        return None
    try:
        keys = _signing.load_trusted_keys([Path(t) for t in trust])
    except KeyFileError:
        return None
    return not _revoked(copy, keys)


def sync_status(folder: Path | None = None, *, now: datetime | None = None) -> dict[str, Any]:
    """The synced copy as a plain dict: source, version, when synced, expiry, whether in use.

    Raises:
        StorageError: the state file is damaged.
    """
    default = sync_dir()
    folder = default if folder is None else Path(folder)
    now = (now or utc_now()).astimezone(UTC)
    state = read_state(folder)
    report: dict[str, Any] = {"folder": str(folder), "installed": False, "in_use": False}
    if state is None:
        report["note"] = "nothing synced: commands read the shipped directory"
        return report
    copy = state.current
    path = folder / copy.folder
    in_use_path = installed_base()
    in_use = in_use_path is not None and in_use_path.resolve() == path.resolve()
    report.update(
        {
            "installed": path.is_dir(),
            "in_use": in_use,
            "source": state.source,
            "version": copy.version,
            "sha256": copy.sha256,
            "created": format_time(copy.created),
            "expires": format_time(copy.expires),
            "expired": copy.expires <= now,
            "synced_at": format_time(copy.synced_at),
            "checked_at": format_time(state.checked_at) if state.checked_at else None,
            "key_id": copy.key_id,
            "trust": list(state.trust),
            "key_trusted": _key_trusted(copy, state.trust),
            "copy": str(path),
            "previous_version": state.previous.version if state.previous else None,
        }
    )
    if in_use:
        report["note"] = "commands read this copy as the base layer (overlays on top)"
    elif not path.is_dir():
        report["note"] = "the copy is missing: commands read the shipped directory"
    else:
        report["note"] = (
            f"commands do not read it: they look in {default}; set {SYNC_DIR_ENV}={folder}"
        )
    return report
