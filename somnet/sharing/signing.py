"""Ed25519 keys, trust files and signatures for the shared directory.

File formats (all text, so that they can be mailed, pasted and diffed):

* A **private key** (:func:`generate_key_pair`) is a PKCS#8 PEM block
  (``BEGIN PRIVATE KEY``), unencrypted, readable by its owner only (mode 0600).
  ``openssl pkey -in KEY -text`` reads it too.
* A **public key** (``KEY.pub``) and a **trust file** hold one Ed25519 public key a line: the
  base64 of its 32 raw bytes, optionally followed by a comment (UTF-8 text). Lines starting
  with ``#`` and blank lines are ignored, so a trust file is any number of ``.pub`` files put
  together: that is how a key is rotated (trust the old and the new key, publish with the new
  one, then drop the old one).
* A **signature** is the base64 of the 64-byte Ed25519 signature of the manifest's exact
  bytes: the ``signature`` of ``signed-manifest.json``.

A key's id is the first 16 hex digits of the SHA-256 of its raw public bytes; the manifest
names the id of the key that signed it, so that a refusal can say which key was used.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from somnet._exceptions import KeyExistsError, KeyFileError, StorageError, VerificationError
from somnet._files import (
    NotARegularFile,
    read_regular,
    refuse_empty,
    refuse_missing_folder,
    write_atomic,
)
from somnet._given import checked_kinds
from somnet._i18n import _

PUBLIC_SUFFIX = ".pub"
_PUBLIC_KEY_BYTES = 32
_SIGNATURE_BYTES = 64
#: Key and trust files are a few lines; anything bigger is not one.
_MAX_KEY_FILE_BYTES = 64 * 1024


@attrs.frozen
class TrustedKey:
    """A public key the user trusts to sign the shared directory.

    Attributes:
        key_id: 16 hex digits identifying the key.
        public: the 32 raw bytes of the Ed25519 public key.
        origin: where it was read (``FILE:LINE``), for messages.
    """

    key_id: str
    public: bytes
    origin: str

    def encoded(self) -> str:
        """The key as a trust-file line: base64 of its raw bytes."""
        return base64.b64encode(self.public).decode("ascii")


def key_id(public: bytes) -> str:
    """The id of a raw Ed25519 public key: 16 hex digits of its SHA-256."""
    return hashlib.sha256(public).hexdigest()[:16]


def _raw_public(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )


@attrs.frozen
class KeyPair:
    """A key pair written for publishing.

    Attributes:
        key_id: 16 hex digits identifying the public key (manifests name it).
        private: the private key file (mode 0600: it signs the directory).
        public: the public key file, ``private`` with ``.pub`` added: the trust file to hand to
            every agency.
    """

    key_id: str
    private: Path
    public: Path

    def to_json(self) -> dict[str, Any]:
        """The key pair as JSON: ``key_id``, ``private`` and ``public`` (paths as text)."""
        from somnet._convert import converter

        value: dict[str, Any] = converter().unstructure(self)
        return value


@checked_kinds(KeyFileError)
def generate_key_pair(
    out: Path, *, overwrite: bool = False, now: datetime | None = None
) -> KeyPair:
    """Write a new Ed25519 key pair: ``out`` (private, mode 0600) and ``out.pub`` (public).

    Args:
        out: the private key file to create; its folder must exist (it is never made: a
            mistyped path would hide the key).
        overwrite: replace existing files (a lost key cannot be recovered: off by default).
        now: the creation time written in the public key's comment (default: the clock).

    Returns:
        The key pair written.

    Raises:
        KeyExistsError: a key file is already there and ``overwrite`` is false (field ``out``).
        KeyFileError: the folder of ``out`` does not exist, ``out`` ends in ``.pub`` (the
            public key's name), or a key file would replace a folder, a device, a named pipe
            or a socket (field ``out``).
        StorageError: the files cannot be written.
    """
    from somnet._time import check_clock

    check_clock(now)  # a date or a text is refused, naming now
    from somnet._clock import utc_now
    from somnet._time import utc_text

    # Path("") is the working folder (a script's unset variable), and neither it nor "/" names a
    # file: refused here, not by with_name's ValueError (nor bytes or a number by Path's).
    refuse_empty(out, "out", KeyFileError)
    path = Path(out)

    def refused(reason: str) -> KeyFileError:
        return KeyFileError(reason, field="out", value=path)

    if not path.name:
        raise refused(_("{path}: a folder, not a key file").format(path=path))
    public_path = path.with_name(path.name + PUBLIC_SUFFIX)
    refuse_missing_folder(path, "out", KeyFileError)
    if path.name.lower().endswith(PUBLIC_SUFFIX) and len(path.name) > len(PUBLIC_SUFFIX):
        # The private key under the name every agency is handed: one mail away from stolen.
        suggested = path.with_name(path.name[: -len(PUBLIC_SUFFIX)])
        raise refused(
            _(
                "{path}: a .pub name is the public key's, the file handed to every agency; give "
                "the private key's name, such as {suggested} (keygen writes it and "
                "{suggested}.pub)"
            ).format(path=path, suggested=suggested)
        )
    for existing in (path, public_path):
        # Not a key that is already there (which overwrite replaces): a folder, never replaced.
        if existing.is_dir():
            raise refused(_("{path}: a folder, not a key file").format(path=existing))
        # Nor a device or a named pipe (/dev/null as root): replacing one breaks the system.
        if existing.exists() and not existing.is_file():
            raise refused(
                _(
                    "{path}: a device, a named pipe or a socket, not a key file; name a new "
                    "file or a key file"
                ).format(path=existing)
            )
    if not overwrite:
        for existing in (path, public_path):
            if existing.exists():
                raise KeyExistsError(
                    _("{existing}: already exists; keygen does not overwrite a key").format(
                        existing=existing
                    ),
                    path=existing,
                    field="out",
                )
    private_key = Ed25519PrivateKey.generate()
    pem = private_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    public = _raw_public(private_key)
    trusted = TrustedKey(key_id(public), public, f"{public_path}:2")
    stamp = utc_text(now or utc_now())
    public_text = (
        f"# somnet Ed25519 public key {trusted.key_id}, created {stamp}\n{trusted.encoded()}\n"
    )
    write_atomic(path, pem, mode=0o600)
    try:
        write_atomic(public_path, public_text.encode("ascii"), mode=0o644)
    except StorageError:
        path.unlink(missing_ok=True)
        raise
    return KeyPair(trusted.key_id, path, public_path)


def _read_key_file(path: Path, what: str, field: str) -> bytes:
    def bad(reason: str) -> KeyFileError:
        return KeyFileError(
            _("{path}: {reason}").format(path=path, reason=reason), field=field, value=path
        )

    try:
        if Path(path).is_dir():
            raise bad(_("is a folder, not a {what}").format(what=what))
        # Never waiting: a named pipe (a mistyped path) would block the command for ever.
        return read_regular(Path(path), limit=_MAX_KEY_FILE_BYTES)
    except FileNotFoundError:
        raise bad(_("no such {what}").format(what=what)) from None
    except OSError as exc:
        raise bad(
            _("cannot read the {what}: {value}").format(what=what, value=exc.strerror or exc)
        ) from exc
    except NotARegularFile as exc:
        if Path(path).is_file():  # a regular file over the limit
            raise bad(_("too large to be a {what}").format(what=what)) from None
        raise bad(exc.args[0]) from None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Read a private key written by :func:`generate_key_pair`.

    Raises:
        KeyFileError: the file is missing, unreadable, readable by other users (refused as ssh
            refuses it: whoever else can read it can sign the directory), or not an Ed25519
            private key in PEM form (field ``key``).
    """

    def bad(reason: str) -> KeyFileError:
        return KeyFileError(
            _("{path}: {reason}").format(path=path, reason=reason), field="key", value=path
        )

    content = _read_key_file(path, _("private key file"), "key")
    what = _("not an Ed25519 private key in PEM form (make a key pair to publish with)")
    if b"BEGIN PRIVATE KEY" not in content:
        if content.lstrip().startswith(b"#") or b"PUBLIC KEY" in content:
            what = _("a public key, not a private key: give the file without .pub")
        raise bad(what)
    try:
        key = serialization.load_pem_private_key(content, password=None)
    except (ValueError, TypeError) as exc:
        raise bad(what) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise bad(_("{what}; it holds a {name}").format(what=what, name=type(key).__name__))
    _check_private(Path(path))
    return key


def _check_private(path: Path) -> None:
    import os
    import stat

    if os.name != "posix":  # pragma: no cover - permissions are ACLs elsewhere
        return
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError as exc:
        raise KeyFileError(
            _("{path}: cannot read the private key file: {strerror}").format(
                path=path, strerror=exc.strerror
            ),
            field="key",
            value=path,
        ) from exc
    if mode & 0o077:
        raise KeyFileError(
            _(
                "{path}: mode {mode:04o} lets other users read or change the private "
                "key; it must be its owner's only (chmod 600 {path}), and if others may "
                "have read it, it is stolen: make a new one"
            ).format(path=path, mode=mode),
            field="key",
            value=path,
        )


def parse_public_keys(text: str, label: str) -> list[TrustedKey]:
    """The public keys in a trust file's text (see the module docstring for the format).

    Raises:
        KeyFileError: a line that is not a key, naming ``label`` and the line number (field
            ``trust``).
    """

    def refused(reason: str) -> KeyFileError:
        return KeyFileError(reason, field="trust", value=label)

    keys: list[TrustedKey] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0].startswith("-----"):
            raise refused(
                _(
                    "{label}: line {number}: a PEM block; a trust file holds public keys as "
                    "a key pair's .pub file holds them"
                ).format(label=label, number=number)
            )
        try:
            public = base64.b64decode(words[0], validate=True)
        except (binascii.Error, ValueError):
            public = b""
        if len(public) != _PUBLIC_KEY_BYTES:
            raise refused(
                _(
                    "{label}: line {number}: not an Ed25519 public key (expected the base64 "
                    "of 32 bytes, as in KEY.pub)"
                ).format(label=label, number=number)
            )
        keys.append(TrustedKey(key_id(public), public, f"{label}:{number}"))
    return keys


def load_trusted_keys(paths: Iterable[str | Path] | str | Path) -> list[TrustedKey]:
    """Every key in the given trust files (duplicates once).

    Args:
        paths: public key files (``KEY.pub``) or trust files of several keys (one file may
            be given alone).

    Returns:
        The keys, each once, in the order first found.

    Raises:
        KeyFileError: a file is missing, unreadable, holds no key or a malformed line, or
            another user owns it, or every user may change it, or the members of its group
            with another user in it, or replace it through a folder on its path (field
            ``trust``).
    """
    from somnet._files import one_or_many

    keys: dict[str, TrustedKey] = {}
    for given in one_or_many(paths, "trust"):  # as its other errors name it
        path = Path(given)

        def bad(reason: str, path: Path = path) -> KeyFileError:
            return KeyFileError(
                _("{path}: {reason}").format(path=path, reason=reason), field="trust", value=path
            )

        content = _read_key_file(path, _("trust file"), "trust")
        opened = _open_to_others(Path(path))
        if opened is not None:
            raise opened
        if b"PRIVATE KEY" in content:
            raise bad(_("a private key; give its public key (KEY.pub) or a trust file"))
        try:
            # The keys are base64; the comments are the agency's, in its language (UTF-8, and
            # the byte-order mark editors on Windows write).
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise bad(_("not a trust file (binary data)")) from None
        found = parse_public_keys(text, str(path))
        if not found:
            raise bad(_("holds no public key"))
        for key in found:
            keys.setdefault(key.key_id, key)
    return list(keys.values())


def _open_to_others(path: Path) -> KeyFileError | None:
    """The error for a trust file that another user than this one (or root) owns, that every
    user of the machine, or the members of its group, may change, or replace through a folder
    on its path: whoever may add a key to it may sign the directory the agency installs. ssh
    refuses such an authorized_keys likewise (its StrictModes look at every folder up to the
    home); a group that holds the file's (or folder's) owner alone, a user's private group, is
    no one else, as ssh on Debian takes it and the sync folder's checks do.

    Every folder from the file's (its link followed) up to ``/`` is judged, not its own alone:
    whoever may rename a folder on the path may put one of their own, with their keys, in its
    place. Its owner, if another user than this one (or root), may, whatever its mode; every
    user, or a group with another user in it, may where they may write in it, unless it has the
    sticky bit (as /tmp: only the owner of the entry below, or of the folder, may rename it
    there, and both are judged)."""
    import os

    from somnet._groups import who_may_change

    if os.name != "posix":  # pragma: no cover - permissions are ACLs elsewhere
        return None
    try:
        found = os.stat(path)
        real = Path(os.path.realpath(path))
    except OSError:
        return None
    owners = (0, os.geteuid())
    opening = who_may_change(found, owners)
    if opening is None:
        opened = _folder_open_to_others(real.parent, owners) or _link_open_to_others(path, owners)
        if opened is None:
            return None
        reason: str = opened
    elif opening.kind == "owner":
        # Its owner may change its mode, and then it, whatever its mode now (the sync folder
        # refuses what another user owns likewise).
        reason = _(
            "owned by another user (uid {owner}), who may add a key that signs the directory "
            "whatever its mode; somnet trusts only a file of its own user's (or root's): copy "
            "it to a file of yours, or chown it"
        ).format(owner=opening.owner)
    elif opening.kind == "every-user":
        reason = _(
            "mode {mode:04o} lets every user of this machine add a key that signs the "
            "directory; make it its owner's to change (chmod o-w {path})"
        ).format(mode=opening.mode, path=path)
    else:
        reason = _(
            "mode {mode:04o} lets the members of group {group} add a key that signs the "
            "directory; make it its owner's to change (chmod g-w {path})"
        ).format(mode=opening.mode, group=opening.group, path=path)
    return KeyFileError(
        _("{path}: {reason}").format(path=path, reason=reason), field="trust", value=path
    )


def _link_open_to_others(path: Path, owners: tuple[int, ...]) -> str | None:
    """Why a trust file named through a symbolic link (``~/keys/agency.pub``, a link) may be
    changed by another user through that link, or None: the folders holding each link on the
    way (the one named, a link it points at, a folder of its path that is a link) are judged
    as the file's own are, since whoever may write in one may point the link at their own
    keys; and a link another user owns is refused (in a sticky folder, as /tmp, its owner
    may still remove it and make another)."""
    import os

    for link in _links_on_the_way(path):
        try:
            found = os.lstat(link)
        except OSError:
            continue
        if found.st_uid not in owners:
            return _(
                "the symbolic link {link} is owned by another user (uid {owner}), who may "
                "point it at a trust file of their own keys (make a link of your own in its "
                "place, or name the file it points at)"
            ).format(link=link, owner=found.st_uid)
        opened = _folder_open_to_others(Path(os.path.realpath(link.parent)), owners)
        if opened is not None:
            return opened
    return None


def _links_on_the_way(path: Path) -> list[Path]:
    """The symbolic links met in following ``path``, nearest the file first: the path itself
    and each folder of it that is a link, then those of what each link points at (at most
    40, as the kernel follows)."""
    import os

    found: list[Path] = []
    pending = [Path(os.path.abspath(path))]
    while pending and len(found) < 40:
        current = pending.pop(0)
        for entry in (current, *current.parents):
            if entry in found or not entry.is_symlink():
                continue
            found.append(entry)
            try:
                target = os.readlink(entry)
            except OSError:
                continue
            pending.append(Path(os.path.abspath(entry.parent / target)))
    return found


def _folder_open_to_others(folder: Path, owners: tuple[int, ...]) -> str | None:
    """Why a trust file below ``folder`` may be replaced by another user through it or a
    folder above it (the first found, nearest first), or None."""
    import os

    from somnet._groups import who_may_change

    for current in (folder, *folder.parents):
        try:
            found = os.stat(current)
        except OSError:
            continue  # not judged here, as a trust file that cannot be read
        # Its owner may clear a sticky bit, and remove any entry of the folder whatever it; a
        # sticky bit excuses the others (as in /tmp: only the owner of the entry below may
        # replace it there).
        opening = who_may_change(found, owners, sticky_excuses=True)
        if opening is None:
            continue
        if opening.kind == "owner":
            return _(
                "its folder {folder} is owned by another user (uid {owner}), who may replace it "
                "with a trust file of their own keys whatever the folder's mode (keep it in a "
                "folder of yours, or chown {folder})"
            ).format(folder=current, owner=opening.owner)
        if opening.kind == "every-user":
            return _(
                "its folder {folder} (mode {mode:04o}) lets every user of this machine replace "
                "it with a trust file of their own keys (chmod o-w {folder})"
            ).format(folder=current, mode=opening.mode)
        return _(
            "its folder {folder} (mode {mode:04o}) lets the members of group {group} "
            "replace it with a trust file of their own keys (chmod g-w {folder})"
        ).format(folder=current, mode=opening.mode, group=opening.group)
    return None


def sign(private_key: Ed25519PrivateKey, message: bytes) -> bytes:
    """The signature of ``message``: base64, with a newline."""
    return base64.b64encode(private_key.sign(message)) + b"\n"


def public_key_of(private_key: Ed25519PrivateKey) -> TrustedKey:
    """The public half of a private key."""
    public = _raw_public(private_key)
    return TrustedKey(key_id(public), public, "the signing key")


def verify(
    message: bytes,
    signature_file: bytes,
    trusted: Sequence[TrustedKey],
    *,
    claimed_key_id: str | None,
    label: str,
) -> TrustedKey:
    """Check a detached signature against the trusted keys.

    Args:
        message: the exact bytes that were signed.
        signature_file: the content of the signature file.
        trusted: the keys the user trusts.
        claimed_key_id: the key id the message says signed it, if it could be read (only used
            to explain a refusal: every trusted key is tried).
        label: what was signed, for messages (e.g. the manifest's URL).

    Returns:
        The trusted key whose signature it is.

    Raises:
        VerificationError: the signature is malformed, by an untrusted key, or does not match.
    """
    try:
        signature = base64.b64decode(signature_file.strip(), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if len(signature) != _SIGNATURE_BYTES:
        raise VerificationError(
            _(
                "{label}: bad signature: the signature is not an Ed25519 signature "
                "(expected the base64 of 64 bytes)"
            ).format(label=label)
        )
    for key in trusted:
        try:
            Ed25519PublicKey.from_public_bytes(key.public).verify(signature, message)
        except InvalidSignature:
            continue
        return key
    ids = ", ".join(k.key_id for k in trusted)
    if claimed_key_id is not None and claimed_key_id not in {k.key_id for k in trusted}:
        raise VerificationError(
            _(
                "{label}: signed by key {claimed_key_id}, which is not a trusted key "
                "(trusted: {ids})"
            ).format(label=label, claimed_key_id=claimed_key_id, ids=ids)
        )
    raise VerificationError(
        _(
            "{label}: bad signature: it does not match the manifest under any "
            "trusted key ({ids}); the manifest or its signature was altered"
        ).format(label=label, ids=ids)
    )
