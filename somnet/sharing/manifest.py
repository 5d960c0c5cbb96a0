"""The signed manifest: what a publisher signs (which bundle is the directory, its version, its
lifetime), the envelope that carries it with its signature, and their strict reading.

A site's ``signed-manifest.json``::

    {"format": "somnet-signed-manifest/1", "manifest": "<the manifest's text>",
     "signature": "<base64 Ed25519 signature of the manifest's exact bytes>"}

and the manifest inside it::

    {"format": "somnet-directory-manifest/1", "version": 7,
     "created": "2026-11-27T10:00:00Z", "expires": "2026-12-27T10:00:00Z",
     "bundle": {"name": "directory-7-8ae8905f18fa.json", "sha256": "8ae8...", "size": 462590},
     "key_id": "c1c4a3f104d949ec", "directory": "caribbean-coast-guards"}

The manifest names the directory it is for, so that an office that signs several directories
with one key (a staging copy, another region's) cannot have one served in another's place: a
sync folder follows one directory, the one its first sync installed or the one it was told.

The manifest is embedded as text, not as an object, so that the bytes checked are the bytes
signed, with no canonical form to agree on; and the two travel in one file, which the publisher
replaces in one ``os.replace``, so that a client never reads one publication's manifest with
another's signature.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal, Protocol

import attrs

from somnet._exceptions import BadInputError, VerificationError
from somnet._i18n import _
from somnet.sharing import _json

#: What clients fetch: the manifest and its signature, in one file replaced atomically.
SIGNED_MANIFEST_NAME = "signed-manifest.json"
MANIFEST_FORMAT = "somnet-directory-manifest/1"
SIGNED_MANIFEST_FORMAT = "somnet-signed-manifest/1"
#: A signed manifest is under a kilobyte: anything much larger is refused unread.
MAX_MANIFEST_BYTES = 64 * 1024
#: Versions are whole numbers from 1 to 2**63 - 1 (a signed 64-bit integer, as most languages
#: read JSON numbers; a synced copy's folder is named after its version).
MAX_VERSION = 2**63 - 1

_HEX64 = re.compile(r"[0-9a-f]{64}")
_KEY_ID = re.compile(r"[0-9a-f]{16}")
_BUNDLE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
#: A directory's name: lower-case ASCII letters and digits, '.', '_' and '-', starting with a
#: letter or a digit, at most 64 characters (``caribbean-coast-guards``): one spelling only,
#: so that two names that look alike are the same name.
_DIRECTORY_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def is_version(value: Any) -> bool:
    """Whether ``value`` is a version: a whole number from 1 to ``MAX_VERSION``."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_VERSION


def version_fault(value: int) -> str | None:
    if is_version(value):
        return None
    return _("expected a whole number from 1 to {max_version}, got {value}").format(
        max_version=MAX_VERSION, value=shown(value)
    )


def sha256_fault(value: str) -> str | None:
    if _HEX64.fullmatch(value):
        return None
    return _("expected 64 lower-case hex digits, got {value}").format(value=shown(value))


def key_id_fault(value: str) -> str | None:
    if _KEY_ID.fullmatch(value):
        return None
    return _("expected 16 lower-case hex digits, got {value}").format(value=shown(value))


def directory_name_fault(value: str) -> str | None:
    """What is wrong with a directory's name, or None when it is one."""
    if _DIRECTORY_NAME.fullmatch(value):
        return None
    return _(
        "{value} is not a directory name (lower-case letters a-z, digits, '.', '_' and '-', "
        "starting with a letter or a digit, at most 64 characters)"
    ).format(value=shown(value))


def check_directory_name(name: object, field: str) -> str:
    """``name`` when it is a directory's name, given as the input ``field``.

    Raises:
        BadInputError: not text, or not a directory's name (field ``field``).
    """
    if not isinstance(name, str):
        raise BadInputError(
            _("{value} is not text: give the directory's name, like {example}").format(
                value=repr(name)[:40], example="caribbean-coast-guards"
            ),
            field=field,
            value=name,
        )
    fault = directory_name_fault(name)
    if fault is not None:
        raise BadInputError(fault, field=field, value=name)
    return name


def size_fault(value: int) -> str | None:
    if value >= 1:
        return None
    return _("expected a positive number of bytes, got {value}").format(value=value)


def _bundle_name_fault(value: str) -> str | None:
    if not _BUNDLE_NAME.fullmatch(value):
        return _("{value} is not a plain file name").format(value=shown(value))
    if value == SIGNED_MANIFEST_NAME:
        return _("{value} is the signed manifest's own name").format(value=shown(value))
    return None


def shown(value: Any) -> str:
    """A value from a file, for a message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


@attrs.frozen
class BundleEntry:
    """The bundle a manifest names: a file next to the manifest, its SHA-256 and its size.

    Attributes:
        name: the bundle's file name on the site.
        sha256: the SHA-256 of its bytes, 64 lower-case hex digits.
        size: its size in bytes.
    """

    name: str = attrs.field(metadata=_json.checked(_bundle_name_fault))
    sha256: str = attrs.field(metadata=_json.checked(sha256_fault))
    size: int = attrs.field(metadata=_json.checked(size_fault))


@attrs.frozen
class Manifest:
    """What the publisher signs: which directory, in which bundle, its version and its lifetime.

    Attributes:
        version: goes up with every publication of new content.
        created: when it was published.
        expires: when clients stop trusting it (freeze protection).
        bundle: the bundle it names.
        key_id: the id of the key that signed it (for messages: every trusted key is tried).
        directory: the name of the directory it is for (``caribbean-coast-guards``): a sync
            folder installs only the directory it follows.
    """

    format: Literal["somnet-directory-manifest/1"] = attrs.field(
        default=MANIFEST_FORMAT, kw_only=True
    )
    version: int = attrs.field(metadata=_json.checked(version_fault))
    created: datetime
    expires: datetime
    bundle: BundleEntry
    key_id: str = attrs.field(metadata=_json.checked(key_id_fault))
    directory: str = attrs.field(kw_only=True, metadata=_json.checked(directory_name_fault))


class Dated(Protocol):
    """A manifest, or an installed copy's record of one: when it was created and expires."""

    @property
    def created(self) -> datetime: ...

    @property
    def expires(self) -> datetime: ...


def dated_before(created: datetime, expires: datetime, other: Dated) -> bool:
    """Whether a manifest of the same version created and expiring so is older than
    ``other`` (a manifest, or an installed copy's record of one): what an agency's sync
    refuses as a replay that would move the expiry back, and so what a publisher must not
    publish as a renewal."""
    return (created, expires) < (other.created, other.expires)


@attrs.frozen
class SignedManifest:
    """The envelope clients fetch: a manifest's exact text and its signature together.

    Attributes:
        manifest: the manifest file's text (:func:`manifest_bytes`).
        signature: the base64 of its Ed25519 signature.
    """

    format: Literal["somnet-signed-manifest/1"] = attrs.field(
        default=SIGNED_MANIFEST_FORMAT, kw_only=True
    )
    manifest: str
    signature: str


def manifest_bytes(manifest: Manifest) -> bytes:
    """The manifest file: JSON with sorted keys (its exact bytes are what is signed)."""
    return _json.dumps(manifest, indent=2) + b"\n"


def read_manifest(content: bytes, label: str) -> Manifest:
    """A manifest, read strictly.

    Args:
        content: the manifest's bytes, as signed.
        label: where it comes from, for messages.

    Raises:
        VerificationError: ``label: malformed manifest: $.field: what``.
    """
    try:
        manifest = _json.structure(_json.parse(content), Manifest)
        if manifest.expires <= manifest.created:
            raise _json.Malformed("$.expires", _("is not after $.created"))
    except _json.Malformed as exc:
        raise VerificationError(
            _("{label}: malformed manifest: {exc}").format(label=label, exc=exc.message)
        ) from None
    return manifest


def signed_manifest_bytes(manifest: bytes, signature: bytes) -> bytes:
    """The ``signed-manifest.json`` file of a manifest's bytes and its signature.

    Args:
        manifest: the manifest file's bytes (ASCII JSON, as :func:`manifest_bytes` writes).
        signature: the signature, base64 (as ``signing.sign`` writes it).
    """
    envelope = SignedManifest(
        manifest=manifest.decode("utf-8"), signature=signature.decode("ascii").strip()
    )
    return _json.dumps(envelope, indent=2) + b"\n"


def split_signed_manifest(content: bytes, label: str) -> tuple[bytes, bytes]:
    """The manifest's bytes and its signature, read from a ``signed-manifest.json`` file.

    Only the envelope is checked here; the signature and the manifest are checked by the caller.

    Raises:
        VerificationError: ``label: malformed signed manifest: $.field: what``.
    """
    try:
        envelope = _json.structure(_json.parse(content), SignedManifest)
        parts = []
        for field in ("manifest", "signature"):
            try:
                parts.append(getattr(envelope, field).encode("utf-8"))
            except UnicodeEncodeError:  # a lone surrogate, which JSON can escape
                raise _json.Malformed(
                    f"$.{field}", _("not valid Unicode text (a lone surrogate)")
                ) from None
    except _json.Malformed as exc:
        raise VerificationError(
            _("{label}: malformed signed manifest: {exc}").format(label=label, exc=exc.message)
        ) from None
    return parts[0], parts[1]


def claimed_key_id(content: bytes) -> str | None:
    """The key id a manifest claims, read before its signature is checked (for messages only)."""
    try:
        value = _json.parse(content)
    except _json.Malformed:
        return None
    key = value.get("key_id") if isinstance(value, dict) else None
    return key if isinstance(key, str) and key_id_fault(key) is None else None
