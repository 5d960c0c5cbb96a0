"""Keys and signatures: key pairs written for their owner only and never over another key, trust
files of several keys, key files refused with the field they were given for, and a signature
broken by any changed byte."""

from __future__ import annotations

import base64
import stat
from datetime import timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from somnet import (
    KeyExistsError,
    KeyFileError,
    VerificationError,
    generate_key_pair,
    load_trusted_keys,
)
from somnet.sharing.manifest import BundleEntry, Manifest, manifest_bytes
from somnet.sharing.signing import load_private_key, public_key_of, sign
from tests.sharing.helpers import NOW, KeyPair


def test_keygen_writes_a_private_key_only_its_owner_can_read(keys: KeyPair) -> None:
    assert stat.S_IMODE(keys.private.stat().st_mode) == 0o600
    assert keys.private.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    (trusted,) = load_trusted_keys([keys.public])
    assert trusted == attrs.evolve(
        public_key_of(load_private_key(keys.private)), origin=trusted.origin
    )
    assert f"public key {trusted.key_id}" in keys.public.read_text()


def test_keygen_says_which_files_it_wrote(tmp_path: Path) -> None:
    pair = generate_key_pair(tmp_path / "office", now=NOW)
    assert (pair.private, pair.public) == (tmp_path / "office", tmp_path / "office.pub")
    assert [key.key_id for key in load_trusted_keys([pair.public])] == [pair.key_id]
    assert pair.to_json() == {
        "key_id": pair.key_id,
        "private": str(tmp_path / "office"),
        "public": str(tmp_path / "office.pub"),
    }


@pytest.mark.parametrize("existing", ["office", "office.pub"])
def test_keygen_does_not_overwrite_a_key_unless_asked(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_text("precious\n")
    with pytest.raises(KeyExistsError) as caught:
        generate_key_pair(tmp_path / "office", now=NOW)
    assert (caught.value.field, caught.value.path) == ("out", tmp_path / existing)
    assert (tmp_path / existing).read_text() == "precious\n"
    pair = generate_key_pair(tmp_path / "office", overwrite=True, now=NOW)
    assert load_trusted_keys([pair.public])[0].key_id == pair.key_id


@pytest.mark.parametrize("overwrite", [False, True])
@pytest.mark.parametrize("folder", ["office", "office.pub"])
def test_keygen_onto_a_folder_is_bad_input_that_force_does_not_mend(
    tmp_path: Path, folder: str, overwrite: bool
) -> None:
    """A folder where a key file would go: no key is "already there" (--force cannot replace a
    folder, so it is not suggested), and with --force it is not a failure of the disk (exit 1)
    either. Exit 2 naming --out, and nothing written."""
    (tmp_path / folder).mkdir()
    with pytest.raises(KeyFileError) as caught:
        generate_key_pair(tmp_path / "office", overwrite=overwrite, now=NOW)
    assert not isinstance(caught.value, KeyExistsError)
    assert (caught.value.field, caught.value.exit_code) == ("out", 2)
    assert str(tmp_path / folder) in caught.value.reason
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]


def test_keygen_never_makes_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError) as caught:
        generate_key_pair(tmp_path / "missing" / "office", now=NOW)
    assert caught.value.field == "out" and str(tmp_path / "missing") in caught.value.reason
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such trust file"),
        ("", "holds no public key"),
        ("# only a comment\nnot-base64!\n", "line 2: not an Ed25519 public key"),
        (base64.b64encode(b"short").decode(), "line 1: not an Ed25519 public key"),
        ("-----BEGIN PUBLIC KEY-----\nMCow\n-----END PUBLIC KEY-----\n", "line 1: a PEM block"),
        ("-----BEGIN PRIVATE KEY-----\n", "a private key; give its public key"),
    ],
)
def test_a_missing_or_malformed_trust_file_is_named(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "trust"
    if content is not None:
        path.write_text(content)
    with pytest.raises(KeyFileError, match=message) as caught:
        load_trusted_keys([path])
    assert caught.value.field == "trust"
    assert caught.value.reason.startswith(str(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such private key file"),
        ("hello\n", "not an Ed25519 private key in PEM form"),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not an Ed25519"),
        ("# somnet Ed25519 public key\nAAAA\n", "a public key, not a private key"),
    ],
)
def test_a_missing_or_malformed_private_key_is_named(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "key"
    if content is not None:
        path.write_text(content)
    with pytest.raises(KeyFileError, match=message) as caught:
        load_private_key(path)
    assert caught.value.field == "key"
    assert caught.value.reason.startswith(str(path))


def test_a_private_key_others_can_read_is_refused(keys: KeyPair) -> None:
    keys.private.chmod(0o640)
    with pytest.raises(KeyFileError, match="mode 0640 lets other users") as caught:
        load_private_key(keys.private)
    assert caught.value.field == "key"
    keys.private.chmod(0o600)
    assert public_key_of(load_private_key(keys.private)).key_id


_SIGNED = manifest_bytes(
    Manifest(
        1,
        NOW,
        NOW + timedelta(days=1),
        BundleEntry("b.json", "0" * 64, 10),
        "0" * 16,
        directory="caribbean",
    )
)


@given(position=st.integers(min_value=0, max_value=len(_SIGNED) - 1), flip=st.integers(1, 255))
def test_any_changed_byte_of_a_signed_manifest_breaks_the_signature(
    position: int, flip: int
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from somnet.sharing.signing import TrustedKey, key_id, verify

    private_key = Ed25519PrivateKey.generate()
    public = public_key_of(private_key)
    trusted = [TrustedKey(key_id(public.public), public.public, "test")]
    signature = sign(private_key, _SIGNED)
    altered = bytearray(_SIGNED)
    altered[position] ^= flip
    with pytest.raises(VerificationError, match="bad signature"):
        verify(bytes(altered), signature, trusted, claimed_key_id=None, label="m")
    assert verify(_SIGNED, signature, trusted, claimed_key_id=None, label="m") == trusted[0]


@pytest.mark.parametrize(
    "comment",
    [
        "# Clé de l'office régional (2027)\n",
        "# clave de la oficina regional, rotación de 2027\n",
        "\ufeff# saved with a byte-order mark, as editors on Windows do\n",
    ],
    ids=["french", "spanish", "bom"],
)
def test_a_trust_file_commented_in_the_agency_s_language_is_read(
    keys: KeyPair, other_keys: KeyPair, tmp_path: Path, comment: str
) -> None:
    """An agency notes which key is which in its own language: a trust file whose comments
    are UTF-8 text (the keys are base64) was refused as "binary data", and every sync with it
    failed. Its keys are read."""
    path = tmp_path / "trust"
    path.write_text(
        comment
        + keys.public.read_text()
        + other_keys.public.read_text().rstrip("\n")
        + "  nueva clave, año 2027\n",
        encoding="utf-8",
    )
    found = load_trusted_keys([path])
    assert [key.public for key in found] == [
        key.public for key in load_trusted_keys([keys.public, other_keys.public])
    ]


def test_a_trust_file_that_is_not_utf_8_text_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "trust"
    path.write_bytes(b"\x00\xff\xfe binary \x80\n")
    with pytest.raises(KeyFileError, match="binary data") as caught:
        load_trusted_keys([path])
    assert caught.value.field == "trust"
