"""Sharing the directory (DESIGN section 5): keys, publishing, and a sync that installs only a
verified directory and otherwise keeps the copy it had.

Every sync goes to a real HTTP server on 127.0.0.1 (tests/sync_server.py). After each fault the
installed copy must be byte for byte what it was, no temporary file may be left in the sync
folder, and the message must say which check failed.
"""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from somnet_cli.sync import DownloadProgress

from somnet import (
    BadInputError,
    DirectoryError,
    KeyFileError,
    NetworkError,
    StorageError,
    VerificationError,
    load_directory,
)
from somnet.directory.loading import shipped_data_dir
from somnet.sharing.signing import (
    generate_key_pair,
    load_private_key,
    load_trusted_keys,
    public_key_of,
    sign,
)
from somnet.sharing.sync import (
    MANIFEST_NAME,
    MARK_NAME,
    SIGNATURE_NAME,
    SIGNED_MANIFEST_NAME,
    Manifest,
    build_bundle,
    installed_base,
    installed_warnings,
    parse_bundle,
    publish,
    read_state,
    signed_manifest_bytes,
    split_signed_manifest,
    sync,
    sync_dir,
    sync_status,
)
from tests.cli import run
from tests.factories import make_directory, sample_files, write_layer
from tests.sync_server import Fault, SiteServer, etag_of, serving

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
#: What a client fetches first: the manifest and its signature in one file.
SIGNED = "/" + SIGNED_MANIFEST_NAME


@attrs.frozen
class KeyPair:
    private: Path
    public: Path


@pytest.fixture(autouse=True)
def no_proxy_no_sync_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    """Traffic stays on loopback (no proxy from the environment), and the synced copy lives
    below the per-test data home."""
    for name in ("SOMNET_SYNC_DIR", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def keys(tmp_path: Path) -> KeyPair:
    private = tmp_path / "keys" / "office"
    private.parent.mkdir(exist_ok=True)
    generate_key_pair(private, now=NOW)
    return KeyPair(private, private.with_name("office.pub"))


@pytest.fixture
def other_keys(tmp_path: Path) -> KeyPair:
    private = tmp_path / "keys" / "intruder"
    private.parent.mkdir(exist_ok=True)
    generate_key_pair(private, now=NOW)
    return KeyPair(private, private.with_name("intruder.pub"))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return make_directory(tmp_path / "data")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    return folder


@pytest.fixture
def server(site: Path) -> Iterator[SiteServer]:
    with serving(site) as running:
        yield running


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "synced"


class Sleeps(list[float]):
    """Records the waits between attempts instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def do_sync(server: SiteServer, keys: KeyPair, folder: Path, **options: Any) -> Any:
    options.setdefault("now", NOW)
    options.setdefault("sleep", Sleeps())
    options.setdefault("timeout", 2.0)
    return sync(server.url, [keys.public], folder=folder, **options)


def second_version(data: Path) -> Path:
    """Change a record of the directory, as a publisher does between versions."""
    files = sample_files()
    files["states/BS.toml"]["state"]["notes"] = ["Second version of the directory."]
    write_layer(data, files)
    return data


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below the sync folder with its content (the lock file aside)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def leftovers(folder: Path) -> list[str]:
    """Temporary files or folders of a sync."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if (p.name.startswith(".") and p.name not in (".lock", MARK_NAME))
        or p.name.endswith(".tmp")
    )


def signed_site(
    site: Path, keys: KeyPair, manifest: bytes, bundle: tuple[str, bytes] | None
) -> None:
    """Write a site by hand: any manifest bytes, correctly signed by ``keys``."""
    if bundle is not None:
        (site / bundle[0]).write_bytes(bundle[1])
    signature = sign(load_private_key(keys.private), manifest)
    (site / SIGNED_MANIFEST_NAME).write_bytes(signed_manifest_bytes(manifest, signature))
    (site / MANIFEST_NAME).write_bytes(manifest)
    (site / SIGNATURE_NAME).write_bytes(signature)


def site_manifest(site: Path) -> Manifest:
    """The manifest a client reads from the site."""
    manifest, _ = split_signed_manifest((site / SIGNED_MANIFEST_NAME).read_bytes(), "site")
    return Manifest.from_bytes(manifest, "site")


def manifest_for(bundle: bytes, keys: KeyPair, *, version: int, **changes: Any) -> Manifest:
    import hashlib

    digest = hashlib.sha256(bundle).hexdigest()
    manifest = Manifest(
        version=version,
        created=NOW,
        expires=NOW + timedelta(days=30),
        bundle_name=f"directory-{version}-{digest[:12]}.json",
        bundle_sha256=digest,
        bundle_size=len(bundle),
        key_id=public_key_of(load_private_key(keys.private)).key_id,
    )
    return attrs.evolve(manifest, **changes)


@pytest.fixture
def installed_v1(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, folder: Path
) -> dict[str, bytes]:
    """Version 1 published and synced: the copy every fault test must find unchanged."""
    publish(data, keys.private, site, version=1, now=NOW)
    result = do_sync(server, keys, folder)
    assert result.outcome == "installed"
    server.clear()
    return snapshot(folder)


def assert_unchanged(folder: Path, before: dict[str, bytes]) -> None:
    assert snapshot(folder) == before
    assert leftovers(folder) == []
    state = read_state(folder)
    assert state is not None and state.current.version == 1
    assert installed_base(folder) == folder / state.current.folder


# Keys ----------------------------------------------------------------------------------------


def test_keygen_writes_a_private_key_only_its_owner_can_read(keys: KeyPair) -> None:
    assert stat.S_IMODE(keys.private.stat().st_mode) == 0o600
    assert keys.private.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    (trusted,) = load_trusted_keys([keys.public])
    assert trusted == attrs.evolve(
        public_key_of(load_private_key(keys.private)), origin=trusted.origin
    )
    assert f"public key {trusted.key_id}" in keys.public.read_text()


def test_keygen_does_not_overwrite_a_key(capsys: pytest.CaptureFixture[str], keys: KeyPair) -> None:
    before = keys.private.read_bytes()
    result = run(capsys, "directory", "keygen", "--out", str(keys.private))
    assert result.exit_code == 2
    assert (
        result.stderr == f"somnet: {keys.private}: already exists; keygen does not overwrite "
        "a key (move it away, or pass --force)\n"
    )
    assert keys.private.read_bytes() == before


def test_keygen_through_the_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    result = run(capsys, "directory", "keygen", "--out", str(tmp_path / "k"), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["public"] == str(tmp_path / "k.pub")
    assert len(load_trusted_keys([tmp_path / "k.pub"])) == 1


def test_a_trust_file_lists_several_keys_for_rotation(
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    tmp_path: Path,
) -> None:
    trust = tmp_path / "trust"
    trust.write_text(keys.public.read_text() + "\n" + other_keys.public.read_text())
    publish(data, keys.private, site, version=1, now=NOW)
    assert sync(server.url, [trust], folder=folder, now=NOW).version == 1
    # The office rotates to the new key: clients that trust both follow.
    publish(second_version(data), other_keys.private, site, version=2, now=NOW)
    result = sync(server.url, [trust], folder=folder, now=NOW)
    assert (result.outcome, result.version) == ("installed", 2)
    new_key = load_trusted_keys([other_keys.public])[0].key_id
    assert sync_status(folder, now=NOW)["key_id"] == new_key


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such trust file"),
        ("", "holds no public key"),
        ("# only a comment\nnot-base64!\n", "line 2: not an Ed25519 public key"),
        (base64.b64encode(b"short").decode(), "line 1: not an Ed25519 public key"),
        ("-----BEGIN PUBLIC KEY-----\nMCow\n-----END PUBLIC KEY-----\n", "line 1: a PEM block"),
        ("-----BEGIN PRIVATE KEY-----\n", "a private key; --trust takes the public key"),
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
    assert str(caught.value).startswith(str(path))


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
    assert str(caught.value).startswith(str(path))


@given(
    version=st.integers(min_value=1, max_value=2**53),
    lifetime=st.integers(min_value=1, max_value=10 * 366 * 86400),
    size=st.integers(min_value=1, max_value=2**40),
    digest=st.binary(min_size=32, max_size=32),
)
def test_a_manifest_reads_back_as_written(
    version: int, lifetime: int, size: int, digest: bytes
) -> None:
    manifest = Manifest(
        version, NOW, NOW + timedelta(seconds=lifetime), "b.json", digest.hex(), size, "a" * 16
    )
    assert Manifest.from_bytes(manifest.to_bytes(), "m") == manifest


_SIGNED = Manifest(1, NOW, NOW + timedelta(days=1), "b.json", "0" * 64, 10, "0" * 16).to_bytes()


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


_PATH_PART = st.from_regex(r"\A[a-z0-9_][a-z0-9_.-]{0,12}\Z")


@given(
    files=st.dictionaries(
        st.lists(_PATH_PART, min_size=0, max_size=3)
        .map(lambda parts: "/".join([*parts, "f"]))
        .map(lambda path: path + ".toml"),
        st.text(max_size=200),
        min_size=1,
        max_size=5,
    )
)
def test_a_bundle_reads_back_as_its_files(files: dict[str, str]) -> None:
    content = json.dumps({"format": "somnet-directory-bundle/1", "files": files}).encode()
    assert parse_bundle(content, "b") == files


# Publishing ----------------------------------------------------------------------------------


def test_publish_writes_a_signed_manifest_of_the_bundle(
    data: Path, keys: KeyPair, site: Path
) -> None:
    from somnet.sharing.signing import verify

    result = publish(data, keys.private, site, version=4, expires="30d", now=NOW)
    manifest = Manifest.from_bytes((site / MANIFEST_NAME).read_bytes(), "site")
    assert manifest == result.manifest
    assert (manifest.version, manifest.created, manifest.expires) == (
        4,
        NOW,
        NOW + timedelta(days=30),
    )
    bundle = (site / manifest.bundle_name).read_bytes()
    assert len(bundle) == manifest.bundle_size
    assert sorted(parse_bundle(bundle, "bundle")) == sorted(sample_files())
    signer = verify(
        (site / MANIFEST_NAME).read_bytes(),
        (site / SIGNATURE_NAME).read_bytes(),
        load_trusted_keys([keys.public]),
        claimed_key_id=manifest.key_id,
        label="site",
    )
    assert signer.key_id == manifest.key_id
    assert leftovers(site) == []
    # What clients read: the same manifest bytes and signature, in one file.
    assert split_signed_manifest((site / SIGNED_MANIFEST_NAME).read_bytes(), "site") == (
        (site / MANIFEST_NAME).read_bytes(),
        (site / SIGNATURE_NAME).read_bytes().strip(),
    )


def bundles(site: Path) -> list[str]:
    return sorted(p.name for p in site.glob("directory-*.json"))


def publish_versions(data: Path, keys: KeyPair, site: Path, versions: range, **options: Any) -> Any:
    """Publish one new content per version; returns the last result."""
    result = None
    for version in versions:
        files = sample_files()
        files["states/BS.toml"]["state"]["notes"] = [f"Version {version}."]
        result = publish(write_layer(data, files), keys.private, site, version=version, **options)
    return result


def test_publish_keeps_the_bundles_of_the_last_three_versions(
    data: Path, keys: KeyPair, site: Path
) -> None:
    publish_versions(data, keys, site, range(1, 4), now=NOW)
    assert [name.split("-")[1] for name in bundles(site)] == ["1", "2", "3"]
    result = publish_versions(data, keys, site, range(4, 6), now=NOW)
    assert [name.split("-")[1] for name in bundles(site)] == ["3", "4", "5"]
    assert [name.split("-")[1] for name in result.removed] == ["2"]
    # Files publish did not write, and renewing the same version, remove nothing.
    (site / "index.html").write_text("hello\n")
    (site / "directory-notes.json").write_text("{}\n")
    renewed = publish(data, keys.private, site, version=5, expires="60d", now=NOW)
    assert renewed.removed == ()
    assert (site / "index.html").exists() and (site / "directory-notes.json").exists()


def test_publish_keep_1_leaves_only_the_new_bundle(data: Path, keys: KeyPair, site: Path) -> None:
    from somnet import BadInputError

    publish_versions(data, keys, site, range(1, 4), now=NOW)
    result = publish_versions(data, keys, site, range(4, 5), keep=1, now=NOW)
    assert bundles(site) == [result.manifest.bundle_name]
    assert len(result.removed) == 3
    with pytest.raises(BadInputError, match="--keep 0: keep at least 1 version"):
        publish(data, keys.private, site, keep=0, now=NOW)


def test_publish_prunes_only_once_the_new_manifest_is_in_place(
    data: Path, keys: KeyPair, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_versions(data, keys, site, range(1, 2), now=NOW)
    events: list[str] = []
    real_replace, real_unlink = os.replace, Path.unlink

    def replace(source: Any, target: Any) -> None:
        if Path(target).parent == site:
            events.append("write " + Path(target).name)
        real_replace(source, target)

    def unlink(path: Path, missing_ok: bool = False) -> None:
        if path.parent == site:
            events.append("remove " + "-".join(path.name.split("-")[:2]))
        real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(Path, "unlink", unlink)
    result = publish_versions(data, keys, site, range(2, 3), keep=1, now=NOW)
    monkeypatch.undo()
    assert events == [
        f"write {result.manifest.bundle_name}",
        f"write {SIGNED_MANIFEST_NAME}",
        f"write {SIGNATURE_NAME}",
        f"write {MANIFEST_NAME}",
        "remove directory-1",
    ]


def test_publish_keep_through_the_cli(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, site: Path
) -> None:
    publish_versions(data, keys, site, range(1, 3))
    args = ["--data", str(data), "--key", str(keys.private), "--out", str(site)]
    result = run(capsys, "directory", "publish", *args, "--keep", "2", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["version"] == 3
    assert [name.split("-")[1] for name in report["removed"]] == ["1"]
    result = run(capsys, "directory", "publish", *args, "--version", "4", "--keep", "1")
    assert result.exit_code == 0, result.stderr
    assert "  removed  2 older bundles (keeping the last 1 version)\n" in result.stdout
    result = run(capsys, "directory", "publish", *args, "--keep", "0")
    assert result.exit_code == 2
    assert "--keep: '0': keep at least 1 version" in result.stderr


def test_the_bundle_is_the_same_bytes_for_the_same_files(data: Path, tmp_path: Path) -> None:
    copy = make_directory(tmp_path / "copy")
    for path in copy.rglob("*.toml"):
        os.utime(path, (0, 0))
    assert build_bundle(data) == build_bundle(copy)


def test_publish_counts_versions_up_and_refuses_to_go_back(
    data: Path, keys: KeyPair, site: Path
) -> None:
    from somnet import BadInputError

    assert publish(data, keys.private, site, now=NOW).manifest.version == 1
    # Same content again: the same version, renewed.
    renewed = publish(data, keys.private, site, version=1, expires="60d", now=NOW)
    assert renewed.manifest.expires == NOW + timedelta(days=60)
    with pytest.raises(BadInputError, match="with other content; publish it as --version 2"):
        publish(second_version(data), keys.private, site, version=1, now=NOW)
    assert publish(data, keys.private, site, now=NOW).manifest.version == 2
    with pytest.raises(BadInputError, match="already publishes version 2; versions only go up"):
        publish(data, keys.private, site, version=1, now=NOW)


@pytest.mark.parametrize(
    ("expires", "message"),
    [("yesterday", "expected a duration like 30d"), ("2020-01-01", "is not in the future")],
)
def test_publish_refuses_a_bad_expiry(
    data: Path, keys: KeyPair, site: Path, expires: str, message: str
) -> None:
    from somnet import BadInputError

    with pytest.raises(BadInputError, match=message):
        publish(data, keys.private, site, expires=expires, now=NOW)
    assert list(site.iterdir()) == []


def test_publish_of_an_invalid_directory_is_bad_input(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, site: Path
) -> None:
    (data / "states" / "BS.toml").write_text('[state]\ncode = "BS"\n')
    result = run(
        capsys,
        "directory",
        "publish",
        "--data",
        str(data),
        "--key",
        str(keys.private),
        "--out",
        str(site),
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("somnet: ")
    assert "BS.toml" in result.stderr and "Traceback" not in result.stderr
    assert list(site.iterdir()) == []
    with pytest.raises(DirectoryError):
        publish(data, keys.private, site, now=NOW)


@pytest.mark.parametrize("key", ["missing", "malformed"])
def test_publish_with_a_missing_or_malformed_key_is_one_line(
    capsys: pytest.CaptureFixture[str], data: Path, site: Path, tmp_path: Path, key: str
) -> None:
    path = tmp_path / "key"
    if key == "malformed":
        path.write_text("not a key\n")
    result = run(
        capsys,
        "directory",
        "publish",
        "--data",
        str(data),
        "--key",
        str(path),
        "--out",
        str(site),
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"somnet: {path}: ")


# Syncing -------------------------------------------------------------------------------------


def test_sync_installs_the_published_directory_as_the_base_layer(
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    tmp_path: Path,
) -> None:
    publish(data, keys.private, site, version=1, now=NOW)
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version, result.previous_version) == ("installed", 1, None)
    base = installed_base(folder)
    assert base == result.folder
    directory = load_directory(base=base, use_env=False, today=NOW.date())
    assert set(directory.states) == {"BS", "HT", "US"}
    # Overlays still lie on top of the synced copy.
    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": []}})
    layered = load_directory([overlay], base=base, use_env=False, today=NOW.date())
    assert layered.layers == (base, overlay)
    state = read_state(folder)
    assert state is not None
    assert state.source == server.url + SIGNED_MANIFEST_NAME
    assert state.etag == etag_of((site / SIGNED_MANIFEST_NAME).read_bytes())
    assert leftovers(folder) == []


def test_an_unchanged_manifest_is_answered_304_and_keeps_the_copy(
    installed_v1: dict[str, bytes], keys: KeyPair, server: SiteServer, folder: Path
) -> None:
    result = do_sync(server, keys, folder, now=NOW + timedelta(hours=1))
    assert result.outcome == "not-modified"
    assert server.paths() == [SIGNED]
    assert server.requests[0].headers["if-none-match"].startswith('"')
    after = snapshot(folder)
    assert {k: v for k, v in after.items() if k != "state.json"} == {
        k: v for k, v in installed_v1.items() if k != "state.json"
    }
    state = read_state(folder)
    assert state is not None and state.checked_at == NOW + timedelta(hours=1)


def test_a_new_version_replaces_the_copy_and_keeps_the_previous_one(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    first = installed_base(folder)
    publish(second_version(data), keys.private, site, version=2, now=NOW)
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version, result.previous_version) == ("installed", 2, 1)
    assert installed_base(folder) == result.folder != first
    assert first is not None and first.is_dir()
    loaded = load_directory(base=result.folder, use_env=False, today=NOW.date())
    assert loaded.states["BS"].notes == ("Second version of the directory.",)
    # A third version: the first copy goes, the second is kept as the previous good one.
    files = sample_files()
    files["states/BS.toml"]["state"]["notes"] = ["Third."]
    publish(write_layer(data, files), keys.private, site, version=3, now=NOW)
    third = do_sync(server, keys, folder)
    assert not first.exists() and result.folder.is_dir() and third.folder.is_dir()
    assert sync_status(folder, now=NOW)["previous_version"] == 2


def test_a_renewed_manifest_extends_the_expiry_without_downloading(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish(data, keys.private, site, version=1, expires="90d", now=NOW)
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.expires) == ("current", NOW + timedelta(days=90))
    assert all(not p.startswith("/directory-") for p in server.paths())


def test_sync_again_uses_the_recorded_source_and_keys(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish(second_version(data), keys.private, site, version=2, now=NOW)
    result = sync(folder=folder, now=NOW)
    assert (result.outcome, result.version) == ("installed", 2)


def test_a_server_error_is_retried_with_backoff(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish(second_version(data), keys.private, site, version=2, now=NOW)
    bundle = "/" + site_manifest(site).bundle_name
    server.fault(SIGNED, Fault("status", status=503, times=1))
    server.fault(bundle, Fault("reset", times=1))
    sleeps = Sleeps()
    result = do_sync(server, keys, folder, sleep=sleeps, backoff=0.5)
    assert result.version == 2
    assert sleeps == [0.5, 0.5]
    assert server.paths().count(SIGNED) == 2
    assert server.paths().count(bundle) == 2


# Each fault: the installed copy is unchanged, nothing temporary is left, the message says why.


def publish_v2(data: Path, keys: KeyPair, site: Path) -> str:
    """Publish version 2; returns the bundle's path on the server."""
    result = publish(second_version(data), keys.private, site, version=2, now=NOW)
    return "/" + result.manifest.bundle_name


@pytest.mark.parametrize(
    ("where", "fault", "error", "message", "attempts"),
    [
        (
            "manifest",
            Fault("status", status=500),
            NetworkError,
            r"signed-manifest.json: fetching the signed manifest: the server answered HTTP 500 "
            r"Internal Server Error \(after 3 attempts\); the installed directory is unchanged "
            r"\(version 1\)",
            3,
        ),
        (
            "manifest",
            Fault("status", status=404),
            NetworkError,
            r"signed-manifest.json: fetching the signed manifest: HTTP 404 Not Found; the "
            r"installed directory is unchanged \(version 1\)",
            1,
        ),
        (
            "bundle",
            Fault("status", status=404),
            NetworkError,
            r"downloading the bundle: HTTP 404 Not Found: the site was being updated \(the bundle "
            r"this manifest names is gone, pruned after newer versions\); sync again; the "
            r"installed directory is unchanged \(version 1\)",
            1,
        ),
        (
            "manifest",
            Fault("reset"),
            NetworkError,
            r"fetching the signed manifest: the connection was reset or closed by the server",
            3,
        ),
        (
            "bundle",
            Fault("reset"),
            NetworkError,
            r"downloading the bundle: the connection was reset or closed by the server",
            3,
        ),
        (
            "manifest",
            Fault("slow", seconds=5),
            NetworkError,
            r"fetching the signed manifest: timed out waiting for data \(the server is too slow",
            3,
        ),
        (
            "bundle",
            Fault("truncate"),
            NetworkError,
            r"downloading the bundle: the connection closed before the whole file arrived",
            3,
        ),
        (
            "bundle",
            Fault("endless"),
            VerificationError,
            r"the bundle is larger than the \d+ bytes its manifest announces; download stopped",
            1,
        ),
        (
            "manifest",
            Fault("endless"),
            VerificationError,
            r"the signed manifest is larger than 65536 bytes; not read further",
            1,
        ),
    ],
    ids=[
        "500",
        "404-manifest",
        "404-bundle",
        "reset-manifest",
        "reset-bundle",
        "timeout",
        "truncated-body",
        "endless-bundle",
        "endless-manifest",
    ],
)
def test_a_network_fault_keeps_the_installed_copy(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    where: str,
    fault: Fault,
    error: type[Exception],
    message: str,
    attempts: int,
) -> None:
    bundle = publish_v2(data, keys, site)
    path = {"manifest": SIGNED, "bundle": bundle}
    server.fault(path[where], fault)
    sleeps = Sleeps()
    with pytest.raises(error, match=message):
        do_sync(server, keys, folder, sleep=sleeps, timeout=0.3)
    assert server.paths().count(path[where]) == attempts
    assert sleeps == [1.0, 2.0][: attempts - 1]
    assert_unchanged(folder, installed_v1)


def test_a_bundle_with_the_wrong_hash_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    bundle = publish_v2(data, keys, site)
    original = (site / bundle.lstrip("/")).read_bytes()
    # Same size, one byte changed: only the hash can tell.
    altered = original.replace(b"Second version", b"Second versiox")
    assert len(altered) == len(original) and altered != original
    server.fault(bundle, Fault("content", content=altered))
    with pytest.raises(VerificationError, match=r"the bundle's SHA-256 \w+\.\.\. does not match"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_a_bundle_of_another_size_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    bundle = publish_v2(data, keys, site)
    server.fault(bundle, Fault("content", content=b"{}"))
    with pytest.raises(VerificationError, match=r"the bundle has 2 bytes, its manifest announces"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_a_tampered_manifest_fails_its_signature(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_v2(data, keys, site)
    manifest, signature = split_signed_manifest((site / SIGNED_MANIFEST_NAME).read_bytes(), "s")
    tampered = manifest.replace(b'"version": 2', b'"version": 9')
    assert tampered != manifest
    server.fault(SIGNED, Fault("content", content=signed_manifest_bytes(tampered, signature)))
    with pytest.raises(VerificationError, match=r"bad signature: it does not match the manifest"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_a_garbled_signature_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_v2(data, keys, site)
    manifest, _ = split_signed_manifest((site / SIGNED_MANIFEST_NAME).read_bytes(), "s")
    garbled = signed_manifest_bytes(manifest, b"not a signature\n")
    server.fault(SIGNED, Fault("content", content=garbled))
    with pytest.raises(VerificationError, match=r"bad signature: the signature is not"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize("newer", ["signature", "manifest"])
def test_a_publish_racing_a_sync_installs_the_consistent_new_version(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    newer: str,
) -> None:
    """Mid-publication, manifest.json and manifest.json.sig are of different publications; a
    client that read them would find a bad signature. The signed manifest is never mixed."""
    from somnet.sharing.signing import verify

    old_pair = {n: (site / n).read_bytes() for n in (MANIFEST_NAME, SIGNATURE_NAME)}
    publish_v2(data, keys, site)
    stale = MANIFEST_NAME if newer == "signature" else SIGNATURE_NAME
    server.fault("/" + stale, Fault("content", content=old_pair[stale]))
    # The race is real for a client of the two files:
    served = {n: server_get(server, n) for n in (MANIFEST_NAME, SIGNATURE_NAME)}
    with pytest.raises(VerificationError, match="bad signature"):
        verify(
            served[MANIFEST_NAME],
            served[SIGNATURE_NAME],
            load_trusted_keys([keys.public]),
            claimed_key_id=None,
            label="old client",
        )
    server.clear()
    server.fault("/" + stale, Fault("content", content=old_pair[stale]))
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version, result.previous_version) == ("installed", 2, 1)
    assert "/" + MANIFEST_NAME not in server.paths()
    assert "/" + SIGNATURE_NAME not in server.paths()


def server_get(server: SiteServer, name: str) -> bytes:
    import httpx

    with httpx.Client(trust_env=False) as client:
        response = client.get(server.url + name)
    response.raise_for_status()
    return response.content


def test_a_sync_that_read_the_previous_manifest_still_finds_its_bundle(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, folder: Path
) -> None:
    publish(data, keys.private, site, version=1, now=NOW)
    previous = (site / SIGNED_MANIFEST_NAME).read_bytes()
    publish_v2(data, keys, site)
    server.fault(SIGNED, Fault("content", content=previous, times=1))
    assert do_sync(server, keys, folder).version == 1  # consistent, if one version behind
    assert do_sync(server, keys, folder).version == 2


def test_a_bundle_pruned_during_a_sync_says_the_site_was_being_updated(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_v2(data, keys, site)
    read_by_the_client = (site / SIGNED_MANIFEST_NAME).read_bytes()
    publish_versions(data, keys, site, range(3, 6), now=NOW)  # keeps 3, 4 and 5 only
    server.fault(SIGNED, Fault("content", content=read_by_the_client))
    with pytest.raises(NetworkError) as caught:
        do_sync(server, keys, folder)
    message = str(caught.value)
    assert "the site was being updated" in message and "bad signature" not in message
    assert message.endswith("; sync again; the installed directory is unchanged (version 1)")
    assert_unchanged(folder, installed_v1)


def test_syncs_during_real_publications_never_see_a_bad_signature(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    import threading

    last = 12
    publisher = threading.Thread(
        target=publish_versions, args=(data, keys, site, range(2, last + 1)), kwargs={"now": NOW}
    )
    outcomes: list[str] = []
    publisher.start()
    try:
        while publisher.is_alive():
            try:
                outcomes.append(str(do_sync(server, keys, folder).version))
            except NetworkError as exc:  # the bundle read was pruned meanwhile
                assert "the site was being updated" in str(exc)
                assert read_state(folder) is not None
                outcomes.append("retry")
    finally:
        publisher.join()
    assert outcomes  # at least one sync ran during the publications
    assert do_sync(server, keys, folder).version == last
    assert leftovers(folder) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", r"malformed signed manifest: \$: not JSON"),
        (b'{"format": "somnet-signed-manifest/1"}', r"\$\.manifest: required field missing"),
        (
            b'{"format": "somnet-signed-manifest/9", "manifest": "", "signature": ""}',
            r"\$\.format: 'somnet-signed-manifest/9' is not 'somnet-signed-manifest/1'",
        ),
        (
            b'{"format": "somnet-signed-manifest/1", "manifest": {}, "signature": ""}',
            r"\$\.manifest: expected a string",
        ),
    ],
)
def test_a_malformed_signed_manifest_is_refused(
    installed_v1: dict[str, bytes],
    server: SiteServer,
    keys: KeyPair,
    folder: Path,
    content: bytes,
    message: str,
) -> None:
    server.fault(SIGNED, Fault("content", content=content))
    with pytest.raises(VerificationError, match=message):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_a_manifest_json_url_or_recorded_source_reads_the_signed_manifest(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    # A state recorded by an earlier somnet names manifest.json as the source.
    state = read_state(folder)
    assert state is not None
    old = attrs.evolve(state, source=server.url + MANIFEST_NAME)
    (folder / "state.json").write_bytes(old.to_bytes())
    publish_v2(data, keys, site)
    assert sync(folder=folder, now=NOW).version == 2
    state = read_state(folder)
    assert state is not None and state.source == server.url + SIGNED_MANIFEST_NAME
    server.clear()
    result = sync(server.url + MANIFEST_NAME, [keys.public], folder=folder, now=NOW)
    assert result.outcome == "not-modified"
    assert server.paths() == [SIGNED]


def test_a_manifest_signed_by_an_untrusted_key_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish(second_version(data), other_keys.private, site, version=2, now=NOW)
    intruder = load_trusted_keys([other_keys.public])[0].key_id
    with pytest.raises(
        VerificationError, match=rf"signed by key {intruder}, which is not a trusted"
    ):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_an_older_version_is_refused_as_a_rollback(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    # The server (or an attacker replaying a genuine old manifest) offers version 1 after 2.
    old_signed = (site / SIGNED_MANIFEST_NAME).read_bytes()
    publish_v2(data, keys, site)
    assert do_sync(server, keys, folder).version == 2
    before = snapshot(folder)
    (site / SIGNED_MANIFEST_NAME).write_bytes(old_signed)
    with pytest.raises(
        VerificationError,
        match=r"rollback refused: the server offers version 1, older than the installed "
        r"version 2; the installed directory is unchanged \(version 2\)",
    ):
        do_sync(server, keys, folder)
    assert snapshot(folder) == before and leftovers(folder) == []


def test_the_same_version_with_other_content_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    content, _ = build_bundle(second_version(data))
    manifest = manifest_for(content, keys, version=1)
    signed_site(site, keys, manifest.to_bytes(), (manifest.bundle_name, content))
    with pytest.raises(VerificationError, match=r"version 1 is already installed with other"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_an_expired_manifest_is_refused_as_a_freeze(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    # Version 2 was genuine, but expired before the client sees it (a replayed old manifest).
    publish(second_version(data), keys.private, site, version=2, expires="1d", now=NOW)
    with pytest.raises(
        VerificationError,
        match=r"the manifest \(version 2\) expired on 2026-11-28T12:00:00Z: a server replaying",
    ):
        do_sync(server, keys, folder, now=NOW + timedelta(days=2))
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (b"not json", r"malformed manifest: \$: not JSON"),
        (b"[1, 2]", r"malformed manifest: \$: expected a JSON object"),
        (b'{"format": "somnet-directory-manifest/1"}', r"\$\.bundle: required field missing"),
    ],
)
def test_a_malformed_manifest_is_refused_even_when_signed(
    installed_v1: dict[str, bytes],
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    manifest: bytes,
    message: str,
) -> None:
    signed_site(site, keys, manifest, None)
    with pytest.raises(VerificationError, match=message):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("version", "2", r"\$\.version: expected a whole number from 1"),
        ("version", True, r"\$\.version: expected a whole number from 1"),
        ("expires", "next month", r"\$\.expires: expected a time"),
        ("extra", 1, r"\$: unknown key 'extra'"),
        (
            "bundle",
            {"name": "../x.json", "sha256": "0" * 64, "size": 1},
            r"\$\.bundle\.name: '\.\./x\.json' is not a plain file name",
        ),
    ],
)
def test_each_manifest_field_is_checked(field: str, value: Any, message: str) -> None:
    content = json.loads(
        Manifest(2, NOW, NOW + timedelta(days=1), "b.json", "0" * 64, 10, "0" * 16).to_bytes()
    )
    content[field] = value
    with pytest.raises(VerificationError, match=message):
        Manifest.from_bytes(json.dumps(content).encode(), "m")


def test_a_signed_bundle_holding_an_invalid_directory_is_refused(
    installed_v1: dict[str, bytes],
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    tmp_path: Path,
) -> None:
    # The publisher's own tool refuses this; a forged or buggy publisher might not.
    files = sample_files()
    files["states/BS.toml"]["agencies"][0]["roles"] = ["wizardry"]
    content, _ = build_bundle(write_layer(tmp_path / "bad", files))
    manifest = manifest_for(content, keys, version=2)
    signed_site(site, keys, manifest.to_bytes(), (manifest.bundle_name, content))
    with pytest.raises(
        VerificationError,
        match=r"bundle directory-2-\w+\.json \(version 2\) holds an invalid directory: "
        r"states/BS.toml: \$\.agencies\[0\]\.roles\[0\]: 'wizardry' is not a role",
    ):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize(
    "path", ["../escape.toml", "/etc/passwd.toml", "states/../../x.toml", "a//b.toml", "x.py"]
)
def test_a_bundle_cannot_write_outside_its_folder(
    installed_v1: dict[str, bytes],
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    path: str,
) -> None:
    content = json.dumps(
        {"format": "somnet-directory-bundle/1", "files": {path: "x = 1\n"}}
    ).encode()
    manifest = manifest_for(content, keys, version=2)
    signed_site(site, keys, manifest.to_bytes(), (manifest.bundle_name, content))
    with pytest.raises(VerificationError, match=r"is not a relative path to a \.toml file"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)
    assert not (folder.parent / "escape.toml").exists()


def test_a_bundle_larger_than_the_cap_is_not_downloaded(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    bundle = publish_v2(data, keys, site)
    with pytest.raises(
        VerificationError, match=r"announces a bundle of \d+ bytes, more than the 100"
    ):
        do_sync(server, keys, folder, max_bundle_bytes=100)
    assert bundle not in server.paths()
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize("failing_call", [1, 2])
def test_a_crash_between_writing_and_replacing_keeps_the_old_copy(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    failing_call: int,
) -> None:
    """The first os.replace moves the new copy into copies/, the second replaces state.json
    (the moment the install happens): a failure at either leaves version 1 in place."""
    publish_v2(data, keys, site)
    real_replace = os.replace
    calls: list[tuple[str, str]] = []

    def replace(source: Any, target: Any) -> None:
        calls.append((str(source), str(target)))
        if len(calls) == failing_call:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(
        StorageError,
        match=r"No space left on device; the installed directory is unchanged \(version 1\)",
    ):
        do_sync(server, keys, folder)
    monkeypatch.undo()
    assert len(calls) == failing_call
    assert_unchanged(folder, installed_v1)


def test_leftovers_of_a_killed_sync_are_removed_by_the_next(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    (folder / ".download-abc.tmp").write_bytes(b"partial")
    (folder / ".incoming-xyz").mkdir()
    (folder / "copies" / "9-0123456789ab").mkdir()  # a copy moved in just before a crash
    publish_v2(data, keys, site)
    assert do_sync(server, keys, folder).version == 2
    assert leftovers(folder) == []
    assert not (folder / "copies" / "9-0123456789ab").exists()


def test_a_damaged_state_file_falls_back_to_the_shipped_directory_with_a_warning(
    installed_v1: dict[str, bytes], folder: Path
) -> None:
    (folder / "state.json").write_text("{")
    assert installed_base(folder) is None
    (warning,) = installed_warnings(folder)
    assert "the sync state is damaged" in warning and "using the shipped directory" in warning
    with pytest.raises(StorageError, match="the sync state is damaged"):
        sync(folder=folder, now=NOW)


# What a server says is stored only when it is safe to send back --------------------------------


@pytest.mark.parametrize(
    "etag",
    [b'"caf\xe9"', b'"' + b"a" * 5000 + b'"', '"\u00e9t\u00e9"'.encode()],
    ids=["latin-1", "5000-bytes", "utf-8"],
)
def test_an_odd_etag_is_not_kept_and_later_syncs_still_work(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    etag: bytes,
) -> None:
    # A replayed manifest with an ETag httpx cannot send back in If-None-Match.
    server.fault(SIGNED, Fault("headers", headers=(b"ETag: " + etag,)))
    assert do_sync(server, keys, folder).outcome == "current"
    state = read_state(folder)
    assert state is not None and state.etag is None
    server.clear()
    publish_v2(data, keys, site)
    assert do_sync(server, keys, folder).version == 2
    assert do_sync(server, keys, folder).outcome == "not-modified"


def rewrite_state(folder: Path, **values: Any) -> None:
    state = json.loads((folder / "state.json").read_bytes())
    state.update(values)
    (folder / "state.json").write_text(json.dumps(state))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("etag", '"caf\u00e9"'),
        ("etag", "x" * 5000),
        ("etag", 12),
        ("checked_at", "yesterday"),
        ("previous", {"version": "one"}),
        ("source", ["not", "a", "url"]),
    ],
    ids=["non-ascii-etag", "long-etag", "number-etag", "checked-at", "previous", "source"],
)
def test_a_bad_value_in_the_state_file_is_ignored_with_a_warning(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    field: str,
    value: Any,
) -> None:
    publish(data, keys.private, site, version=1)
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    rewrite_state(sync_dir(), **{field: value})
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"$.{field}" in result.stderr and "ignored" in result.stderr
    # The next sync finds a clean state.
    result = run(capsys, "directory", "sync", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["warnings"] == []


def test_a_state_file_damaged_beyond_use_still_lets_a_sync_with_url_and_key_start_afresh(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_v2(data, keys, site)
    assert do_sync(server, keys, folder).version == 2
    (folder / "state.json").write_text("{")
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version) == ("installed", 2)
    assert any("state.json" in w and "damaged" in w for w in result.warnings)
    # The copies it finds keep the version floor: a replayed version 1 is still refused.
    (folder / "state.json").write_text("{")
    server.fault(SIGNED, Fault("content", content=server_get_v1(site, keys, data)))
    with pytest.raises(VerificationError, match="rollback refused"):
        do_sync(server, keys, folder)


def server_get_v1(site: Path, keys: KeyPair, data: Path) -> bytes:
    """Version 1's signed manifest, as a replaying server keeps it."""
    other = site.parent / "site-v1"
    other.mkdir(exist_ok=True)
    publish(data, keys.private, other, version=1, now=NOW)
    bundle = site_manifest(other).bundle_name
    (site / bundle).write_bytes((other / bundle).read_bytes())
    return (other / SIGNED_MANIFEST_NAME).read_bytes()


# Key rotation, revocation and recovery from a stolen key ----------------------------------------


@pytest.fixture
def trust_file(tmp_path: Path, keys: KeyPair) -> Path:
    """The agency's trust file, named once to sync and edited as keys rotate."""
    path = tmp_path / "agency" / "trust"
    path.parent.mkdir()
    path.write_text(keys.public.read_text())
    return path


def test_the_trust_file_is_read_again_at_each_sync_so_a_new_key_is_followed(
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
) -> None:
    publish(data, keys.private, site, version=1, now=NOW)
    assert sync(server.url, [trust_file], folder=folder, now=NOW).version == 1
    state_text = (folder / "state.json").read_text()
    assert keys.public.read_text().split()[-1] not in state_text  # no copy of the keys
    # The office announces its new key: the agency adds it to its trust file, nothing else.
    trust_file.write_text(keys.public.read_text() + other_keys.public.read_text())
    publish(second_version(data), other_keys.private, site, version=2, now=NOW)
    result = sync(folder=folder, now=NOW)
    assert (result.outcome, result.version) == ("installed", 2)


def test_a_key_removed_from_the_trust_file_is_revoked_for_the_scheduled_sync(
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
) -> None:
    trust_file.write_text(keys.public.read_text() + other_keys.public.read_text())
    publish(data, other_keys.private, site, version=1, now=NOW)
    assert sync(server.url, [trust_file], folder=folder, now=NOW).version == 1
    # The old key is retired (or stolen): removed from the trust file.
    trust_file.write_text(other_keys.public.read_text())
    publish(second_version(data), keys.private, site, version=2, now=NOW)
    before = snapshot(folder)
    old_key = load_trusted_keys([keys.public])[0].key_id
    with pytest.raises(
        VerificationError, match=rf"signed by key {old_key}, which is not a trusted"
    ):
        sync(folder=folder, now=NOW)
    assert snapshot(folder) == before


def test_recovery_from_a_stolen_key_that_signed_the_highest_version(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    trust_file: Path,
    tmp_path: Path,
) -> None:
    """The thief signs the highest version there is, and agencies install it (the key was
    trusted). The office makes a new key; each agency puts it in its trust file in place of
    the stolen one, and the next plain sync installs the office's directory again."""
    from somnet.sharing.sync import MAX_VERSION

    publish(data, keys.private, site, version=1)
    assert run(capsys, "directory", "sync", server.url, "--trust", str(trust_file)).exit_code == 0
    thief = tmp_path / "thief"
    publish(second_version(data), keys.private, thief, version=MAX_VERSION, expires="52w")
    serve_site_of(server, site, thief)
    assert run(capsys, "directory", "sync").exit_code == 0
    assert read_state(sync_dir()).current.version == MAX_VERSION  # type: ignore[union-attr]
    # The office cleans its server, and its new key publishes version 2 of the directory.
    server.clear()
    publish(data, other_keys.private, site, version=2)
    refused = run(capsys, "directory", "sync")
    assert refused.exit_code == 2 and "not a trusted key" in refused.stderr
    trust_file.write_text(other_keys.public.read_text())  # revoke the stolen key, trust the new
    status = json.loads(run(capsys, "directory", "status", "--format", "json").stdout)
    assert status["key_trusted"] is False and status["trust"] == [str(trust_file)]
    result = run(capsys, "directory", "sync", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["outcome"], report["version"]) == ("installed", 2)
    assert any("no longer trusted" in w for w in report["warnings"])
    state = read_state(sync_dir())
    assert state is not None and state.previous is None  # nothing the thief signed is kept
    status = json.loads(run(capsys, "directory", "status", "--format", "json").stdout)
    assert status["key_trusted"] is True
    # From then on the floor holds again, for the new key: version 1 is a rollback...
    replay = tmp_path / "replay"
    publish(data, other_keys.private, replay, version=1)
    serve_site_of(server, site, replay)
    assert "rollback refused" in run(capsys, "directory", "sync").stderr
    # ...and whatever the thief signs is refused.
    publish(second_version(data), keys.private, tmp_path / "thief-2", version=3)
    thief = tmp_path / "thief-2"
    serve_site_of(server, site, thief)
    assert "not a trusted key" in run(capsys, "directory", "sync").stderr


def serve_site_of(server: SiteServer, site: Path, other: Path) -> None:
    """Serve the signed manifest of another site folder (its bundles copied over)."""
    for bundle in other.glob("directory-*.json"):
        (site / bundle.name).write_bytes(bundle.read_bytes())
    server.fault(SIGNED, Fault("content", content=(other / SIGNED_MANIFEST_NAME).read_bytes()))


def test_publishing_below_a_manifest_of_another_key_says_how_to_recover(
    data: Path, keys: KeyPair, other_keys: KeyPair, site: Path
) -> None:
    publish(data, keys.private, site, version=50, now=NOW)
    with pytest.raises(BadInputError, match=r"already publishes version 50.*was stolen, remove"):
        publish(data, other_keys.private, site, version=2, now=NOW)
    with pytest.raises(BadInputError) as same_key:
        publish(data, keys.private, site, version=2, now=NOW)
    assert "stolen" not in str(same_key.value)


def test_a_recorded_trust_file_that_is_gone_is_named(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    trust_file: Path,
) -> None:
    publish(data, keys.private, site, version=1)
    assert run(capsys, "directory", "sync", server.url, "--trust", str(trust_file)).exit_code == 0
    trust_file.unlink()
    result = run(capsys, "directory", "sync")
    assert result.exit_code == 2
    assert str(trust_file) in result.stderr and result.stderr.count("\n") == 1


def test_keys_copied_into_the_state_by_an_earlier_somnet_do_not_govern(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    trust_file: Path,
) -> None:
    publish(data, keys.private, site, version=1)
    assert run(capsys, "directory", "sync", server.url, "--trust", str(trust_file)).exit_code == 0
    state = json.loads((sync_dir() / "state.json").read_bytes())
    state.pop("trust", None)
    state["trusted_keys"] = [keys.public.read_text().split()[-1]]
    (sync_dir() / "state.json").write_text(json.dumps(state))
    result = run(capsys, "directory", "sync")
    assert result.exit_code == 2 and "--trust" in result.stderr
    result = run(capsys, "directory", "sync", "--trust", str(trust_file))
    assert result.exit_code == 0, result.stderr
    assert run(capsys, "directory", "sync").exit_code == 0


# One deadline for the whole sync ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "fault"),
    [
        ("manifest", Fault("drip", seconds=0.02, part="body")),
        ("manifest", Fault("drip", seconds=0.02, part="headers")),
        ("manifest", Fault("endless-headers", seconds=0.005)),
        ("bundle", Fault("drip", seconds=0.002, part="body")),
        ("bundle", Fault("drip", seconds=0.002, part="headers")),
    ],
    ids=["manifest-body", "manifest-headers", "endless-headers", "bundle-body", "bundle-headers"],
)
def test_a_server_that_drips_is_stopped_by_the_deadline(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    where: str,
    fault: Fault,
) -> None:
    """A byte at a time never trips the timeout between bytes; the deadline bounds the whole
    sync, headers included, and a sync past it is not tried again."""
    bundle = publish_v2(data, keys, site)
    path = {"manifest": SIGNED, "bundle": bundle}[where]
    server.fault(path, fault)
    with pytest.raises(NetworkError, match=r"took longer than the deadline of 1\.5 s") as caught:
        do_sync(server, keys, folder, timeout=5.0, deadline=1.5)
    assert str(caught.value).endswith("; the installed directory is unchanged (version 1)")
    assert server.paths().count(path) == 1
    assert_unchanged(folder, installed_v1)
    # Nothing is left holding the folder: the next sync, to an honest server, goes through.
    server.clear()
    assert do_sync(server, keys, folder).version == 2


def test_sync_deadline_through_the_cli_is_one_line_exit_1(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    publish(data, keys.private, site, version=1)
    server.fault(SIGNED, Fault("drip", seconds=0.05, part="headers"))
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(keys.public), "--deadline", "0.5"
    )
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "deadline of 0.5 s" in result.stderr
    assert not (sync_dir() / "state.json").exists()


def test_endless_headers_sent_quickly_are_a_network_error(
    installed_v1: dict[str, bytes], keys: KeyPair, server: SiteServer, folder: Path
) -> None:
    server.fault(SIGNED, Fault("endless-headers"))
    with pytest.raises(NetworkError, match="fetching the signed manifest"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_the_deadline_leaves_no_time_for_another_attempt(
    installed_v1: dict[str, bytes], keys: KeyPair, server: SiteServer, folder: Path
) -> None:
    server.fault(SIGNED, Fault("status", status=503))
    sleeps = Sleeps()
    with pytest.raises(NetworkError, match=r"HTTP 503 .*no time is left for another attempt"):
        do_sync(server, keys, folder, sleep=sleeps, backoff=10.0, deadline=5.0)
    assert server.paths().count(SIGNED) == 1 and sleeps == []


def run_sync_process(*args: str) -> subprocess.Popen[bytes]:
    """``somnet directory sync ARGS`` in a process of its own, as cron runs it."""
    code = "import sys; from somnet_cli.main import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen(
        [sys.executable, "-c", code, "directory", "sync", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for(condition: Any, what: str) -> None:
    import time

    for _ in range(3000):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError(f"gave up waiting for {what}")


def test_a_second_sync_is_refused_while_one_runs_and_the_first_completes(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    import threading

    bundle = publish_v2(data, keys, site)
    server.fault(bundle, Fault("hold", times=1))  # the first sync waits there, holding the lock
    outcome: list[Any] = []
    first = threading.Thread(target=lambda: outcome.append(do_sync(server, keys, folder)))
    first.start()
    try:
        wait_for(lambda: bundle in server.paths(), "the first sync to ask for the bundle")
        with pytest.raises(StorageError, match=r"another sync is running there \(pid \d+"):
            do_sync(server, keys, folder)
    finally:
        server.release.set()
        first.join()
    assert [r.version for r in outcome] == [2]
    assert leftovers(folder) == []


def test_a_lock_left_by_a_killed_sync_is_taken_over(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    bundle = publish_v2(data, keys, site)
    server.fault(bundle, Fault("drip", seconds=0.05))
    process = run_sync_process(server.url, "--trust", str(keys.public), "--cache", str(folder))
    try:
        wait_for(lambda: bundle in server.paths(), "the process to ask for the bundle")
    finally:
        process.kill()  # SIGKILL: no clean-up, the lock file stays
        process.communicate()
    assert (folder / ".lock").exists()
    server.clear()
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version) == ("installed", 2)
    assert leftovers(folder) == []


def test_syncs_killed_at_any_moment_leave_a_copy_that_loads(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    tmp_path: Path,
) -> None:
    """kill -9 at moments spread over a whole sync: the state names version 1 or 2, that copy
    is whole and valid, and the next sync cleans up and installs version 2."""
    import shutil
    import time

    publish_v2(data, keys, site)
    pristine = tmp_path / "pristine"
    shutil.copytree(folder, pristine, symlinks=True)
    args = (server.url, "--trust", str(keys.public), "--cache", str(folder))
    started = time.monotonic()
    process = run_sync_process(*args)
    assert process.wait() == 0, process.communicate()
    process.communicate()
    duration = time.monotonic() - started
    seen: set[int] = set()
    for step in range(10):
        shutil.rmtree(folder)
        shutil.copytree(pristine, folder, symlinks=True)
        process = run_sync_process(*args)
        time.sleep(duration * (0.35 + 0.065 * step))
        process.kill()
        process.communicate()
        state = read_state(folder)
        assert state is not None and state.current.version in (1, 2)
        seen.add(state.current.version)
        base = installed_base(folder)
        assert base is not None
        load_directory(base=base, use_env=False, today=NOW.date())
        result = do_sync(server, keys, folder)
        assert result.version == 2 and leftovers(folder) == []


# A 304 proves nothing once the copy has expired ---------------------------------------------------


def test_a_304_after_expiry_reports_the_copy_expired_and_is_not_a_check(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(days=10)
    publish(data, keys.private, site, version=1, expires="5d", now=past)
    sync(server.url, [keys.public], now=past + timedelta(days=1))
    checked = read_state(sync_dir())
    assert checked is not None
    # An attacker (or a stale cache) answers 304 to everything, forever.
    server.fault(SIGNED, Fault("not-modified"))
    result = run(capsys, "directory", "sync")
    assert result.exit_code == 2
    assert "expired" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    after = read_state(sync_dir())
    assert after is not None and after.checked_at == checked.checked_at
    # Once expired, the client asks unconditionally: a renewed manifest would be served whole.
    assert all("if-none-match" not in r.headers for r in server.requests)


# somnet deletes only what it created ---------------------------------------------------------


def user_files(folder: Path) -> dict[str, bytes]:
    """A user's own folder: files and a folder named like somnet's."""
    (folder / "copies" / "contracts").mkdir(parents=True)
    (folder / "copies" / "contracts" / "2026.pdf").write_bytes(b"signed contract")
    (folder / "notes.txt").write_text("my notes\n")
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def files_below(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("trusted", [True, False], ids=["good-key", "untrusted-key"])
def test_sync_refuses_a_cache_folder_it_did_not_create_and_deletes_nothing(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
    trusted: bool,
) -> None:
    project = tmp_path / "project"
    before = user_files(project)
    publish(data, keys.private, site, version=1)
    pub = keys.public if trusted else other_keys.public
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(pub), "--cache", str(project)
    )
    assert result.exit_code == 2
    assert str(project) in result.stderr and result.stderr.count("\n") == 1
    assert files_below(project) == before
    assert sorted(p.name for p in project.iterdir()) == ["copies", "notes.txt"]


def test_an_empty_folder_is_taken_and_marked_as_somnet_s(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    publish(data, keys.private, site, version=1, now=NOW)
    assert do_sync(server, keys, empty).version == 1
    marks = [p.name for p in empty.iterdir() if p.name.startswith(".somnet")]
    assert len(marks) == 1 and (empty / marks[0]).is_file()
    # Marked, it is accepted again although it is no longer empty.
    assert do_sync(server, keys, empty).outcome == "not-modified"


def test_a_sync_folder_of_an_earlier_somnet_is_adopted(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    for mark in folder.glob(".somnet*"):
        mark.unlink()  # as an earlier somnet left it: state.json, copies/, .lock
    publish_v2(data, keys, site)
    assert do_sync(server, keys, folder).version == 2


def test_a_copies_folder_that_is_a_link_is_refused_and_its_target_kept(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    tmp_path: Path,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    before = user_files(elsewhere)
    import shutil

    shutil.copytree(folder / "copies", elsewhere / "copies", dirs_exist_ok=True)
    shutil.rmtree(folder / "copies")
    (folder / "copies").symlink_to(elsewhere / "copies")
    publish_v2(data, keys, site)
    with pytest.raises(BadInputError, match=r"copies: a symbolic link"):
        do_sync(server, keys, folder)
    assert {k: v for k, v in files_below(elsewhere).items() if k in before} == before


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_untouched(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    tmp_path: Path,
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (folder / ".lock").unlink()
    (folder / ".lock").symlink_to(victim)
    dangling = tmp_path / "not-there"
    publish_v2(data, keys, site)
    with pytest.raises(BadInputError, match=r"\.lock: a symbolic link"):
        do_sync(server, keys, folder)
    assert victim.read_text() == "precious\n"
    (folder / ".lock").unlink()
    (folder / ".lock").symlink_to(dangling)
    with pytest.raises(BadInputError, match=r"\.lock: a symbolic link"):
        do_sync(server, keys, folder)
    assert not dangling.exists()


def test_nothing_is_cleaned_up_before_the_checks_pass(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    (folder / ".download-abc.tmp").write_bytes(b"partial")
    (folder / "copies" / "9-0123456789ab").mkdir()  # moved in just before a crash
    (folder / "copies" / "contracts").mkdir()  # not somnet's
    (folder / "copies" / "contracts" / "a.pdf").write_bytes(b"pdf")
    publish(second_version(data), other_keys.private, site, version=2, now=NOW)
    with pytest.raises(VerificationError, match="not a trusted key"):
        do_sync(server, keys, folder)
    assert (folder / ".download-abc.tmp").exists()
    assert (folder / "copies" / "9-0123456789ab").is_dir()
    publish(second_version(data), keys.private, site, version=3, now=NOW)
    assert do_sync(server, keys, folder).version == 3
    assert not (folder / ".download-abc.tmp").exists()
    assert not (folder / "copies" / "9-0123456789ab").exists()
    assert (folder / "copies" / "contracts" / "a.pdf").read_bytes() == b"pdf"


# Smaller defects under attack ------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b'{"format": "somnet-signed-manifest/1", "manifest": "\\ud800", "signature": "AA=="}',
        b'{"format": "somnet-signed-manifest/1", "manifest": "{}", "signature": "\\udfff"}',
        b'{"format": "somnet-signed-manifest/1", "manifest": '
        + b"[" * 20_000
        + b"]" * 20_000
        + b"}",
    ],
    ids=["surrogate-in-manifest", "surrogate-in-signature", "nested-too-deeply"],
)
def test_a_hostile_envelope_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    content: bytes,
) -> None:
    publish(data, keys.private, site, version=1)
    server.fault(SIGNED, Fault("content", content=content))
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 2
    assert "malformed signed manifest" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_signed_bundle_with_a_lone_surrogate_is_refused(
    installed_v1: dict[str, bytes], keys: KeyPair, site: Path, server: SiteServer, folder: Path
) -> None:
    content = json.dumps(
        {"format": "somnet-directory-bundle/1", "files": {"states/BS.toml": "x = '\ud800'\n"}}
    ).encode()
    manifest = manifest_for(content, keys, version=2)
    signed_site(site, keys, manifest.to_bytes(), (manifest.bundle_name, content))
    with pytest.raises(VerificationError, match="not a directory bundle"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_a_version_of_301_digits_is_refused_as_malformed(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    content, _ = build_bundle(data)
    manifest = manifest_for(content, keys, version=10**300, bundle_name="huge.json")
    signed_site(site, keys, manifest.to_bytes(), (manifest.bundle_name, content))
    with pytest.raises(VerificationError, match=r"\$\.version: expected a whole number from 1 to"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)
    with pytest.raises(BadInputError, match="--version"):
        publish(data, keys.private, site.parent / "another-site", version=2**63, now=NOW)


def test_a_replayed_older_manifest_of_the_same_version_cannot_move_its_expiry_back(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    older = (site / SIGNED_MANIFEST_NAME).read_bytes()
    # The office renews version 1 for 90 days; the agency syncs it.
    later = NOW + timedelta(days=1)
    publish(data, keys.private, site, version=1, expires="90d", now=later)
    assert do_sync(server, keys, folder, now=later).expires == NOW + timedelta(days=91)
    before = snapshot(folder)
    # An attacker replays the first manifest of version 1, which expires 60 days earlier.
    server.fault(SIGNED, Fault("content", content=older))
    with pytest.raises(VerificationError, match="older manifest of version 1"):
        do_sync(server, keys, folder, now=later)
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    ("ahead", "accepted"),
    [(timedelta(days=365), False), (timedelta(hours=2), False), (timedelta(minutes=30), True)],
    ids=["a-year", "two-hours", "half-an-hour"],
)
def test_a_manifest_dated_ahead_of_the_clock_is_refused_beyond_the_skew(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    ahead: timedelta,
    accepted: bool,
) -> None:
    publish(second_version(data), keys.private, site, version=2, now=NOW + ahead)
    if accepted:
        assert do_sync(server, keys, folder).version == 2
        return
    with pytest.raises(VerificationError, match="ahead of this machine's clock"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_a_private_key_others_can_read_is_refused(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, site: Path
) -> None:
    keys.private.chmod(0o644)
    result = run(
        capsys,
        "directory",
        "publish",
        "--data",
        str(data),
        "--key",
        str(keys.private),
        "--out",
        str(site),
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"somnet: {keys.private}: ") and "0644" in result.stderr
    assert list(site.iterdir()) == []
    keys.private.chmod(0o600)
    assert publish(data, keys.private, site, version=1, now=NOW).manifest.version == 1


def test_keygen_and_publish_refuse_an_out_in_a_missing_folder(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, tmp_path: Path
) -> None:
    missing = tmp_path / "nonexistent"
    result = run(capsys, "directory", "keygen", "--out", str(missing / "k"))
    assert result.exit_code == 2 and str(missing) in result.stderr
    result = run(
        capsys,
        "directory",
        "publish",
        "--data",
        str(data),
        "--key",
        str(keys.private),
        "--out",
        str(missing / "site"),
    )
    assert result.exit_code == 2 and str(missing) in result.stderr
    assert not missing.exists()
    # The site folder itself is made, in a folder that exists.
    result = run(
        capsys,
        "directory",
        "publish",
        "--data",
        str(data),
        "--key",
        str(keys.private),
        "--out",
        str(tmp_path / "site-new"),
    )
    assert result.exit_code == 0, result.stderr


# Redirects and TLS ------------------------------------------------------------------------------


@attrs.frozen
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> Any:
        import ssl

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


@pytest.fixture
def certificate(tmp_path: Path) -> Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    paths = Certificate(tmp_path / "cert.pem", tmp_path / "key.pem")
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


@pytest.fixture
def https_server(site: Path, certificate: Certificate) -> Iterator[SiteServer]:
    with serving(site, tls=certificate.server_context()) as running:
        yield running


def test_a_certificate_that_does_not_verify_is_not_tried_again(
    data: Path, keys: KeyPair, site: Path, https_server: SiteServer, folder: Path
) -> None:
    publish(data, keys.private, site, version=1, now=NOW)
    sleeps = Sleeps()
    with pytest.raises(NetworkError, match="certificate") as caught:
        do_sync(https_server, keys, folder, sleep=sleeps)
    assert "attempts" not in str(caught.value)
    assert https_server.connections == 1 and sleeps == []


def test_a_redirect_from_https_to_plain_http_is_refused(
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    https_server: SiteServer,
    certificate: Certificate,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    publish(data, keys.private, site, version=1, now=NOW)
    assert do_sync(https_server, keys, folder).version == 1  # the certificate is trusted
    publish_v2(data, keys, site)
    https_server.fault(SIGNED, Fault("redirect", status=302, location=server.url + SIGNED[1:]))
    with pytest.raises(VerificationError, match=r"redirects .* plain http"):
        do_sync(https_server, keys, folder)
    assert server.paths() == []


def test_a_redirect_to_another_host_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_v2(data, keys, site)
    elsewhere = f"http://localhost:{server.port}{SIGNED}"
    server.fault(SIGNED, Fault("redirect", status=301, location=elsewhere))
    with pytest.raises(VerificationError, match="another host"):
        do_sync(server, keys, folder)
    assert server.paths() == [SIGNED]
    assert_unchanged(folder, installed_v1)


def test_a_redirect_within_the_site_s_host_is_followed(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, folder: Path
) -> None:
    """A site that moved on its own host: the manifest is found, and its bundle beside it."""
    publish(data, keys.private, site, version=1, now=NOW)
    server.fault("/old/" + SIGNED_MANIFEST_NAME, Fault("redirect", status=301, location=SIGNED))
    result = sync(server.url + "old/", [keys.public], folder=folder, now=NOW, sleep=Sleeps())
    assert result.version == 1
    assert not any(p.startswith("/old/directory-") for p in server.paths())


def test_plain_http_is_warned_about_once(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, site: Path, server: SiteServer
) -> None:
    publish(data, keys.private, site, version=1)
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 0
    (warning,) = result.stderr.splitlines()
    assert warning.startswith("somnet: warning: ") and "plain http" in warning
    # The scheduled syncs that follow do not repeat it.
    assert run(capsys, "directory", "sync").stderr == ""


# Offline use and expiry ----------------------------------------------------------------------


def test_the_copy_loads_offline_and_warns_once_expired(
    installed_v1: dict[str, bytes], server: SiteServer, folder: Path
) -> None:
    server.stop()
    base = installed_base(folder)
    assert base is not None
    assert set(load_directory(base=base, use_env=False, today=NOW.date()).states) == {
        "BS",
        "HT",
        "US",
    }
    assert installed_warnings(folder, now=NOW + timedelta(days=29)) == []
    (warning,) = installed_warnings(folder, now=NOW + timedelta(days=33))
    assert warning.startswith(
        f"the synced directory (version 1 from {server.url}signed-manifest.json) expired on "
        "2026-12-27T12:00:00Z (3 days ago): it may be out of date"
    )
    # Still the base layer: an expired copy is better than none at sea.
    assert installed_base(folder) == base
    with pytest.raises(NetworkError, match="cannot connect"):
        sync(folder=folder, now=NOW, sleep=Sleeps())
    assert_unchanged(folder, installed_v1)


# One clock for every date check ----------------------------------------------------------------


@pytest.fixture
def local_date_behind_utc() -> Iterator[None]:
    """The machine's local date is the day before the UTC date, as in Mexico City from 18:00
    (the whole region is UTC-4 to UTC-6): a zone 24 hours behind UTC, whatever the hour."""
    import time

    before = os.environ.get("TZ")
    os.environ["TZ"] = "XXX+24"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def verified_on(day: Any, folder: Path) -> Path:
    """The sample directory with one contact verified on ``day``."""
    files = sample_files()
    files["states/BS.toml"]["agencies"][0]["contacts"][0]["last_verified"] = day
    return write_layer(folder, files)


def test_a_copy_synced_in_the_evening_west_of_utc_serves_every_command(
    capsys: pytest.CaptureFixture[str],
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
    local_date_behind_utc: None,
) -> None:
    """Verified "today" by the UTC date, synced when the local date is still yesterday: the
    commands judge dates by the same clock as the sync, so they accept what it installed."""
    from datetime import date

    utc_today = datetime.now(UTC).date()
    assert date.today() < utc_today  # the evening in Mexico City
    publish(verified_on(utc_today, tmp_path / "data"), keys.private, site, version=1)
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 0, result.stderr
    result = run(capsys, "directory", "show", "BS", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr and "in the future" not in result.stderr


def test_a_date_is_in_the_future_only_once_no_place_on_earth_has_reached_it() -> None:
    from datetime import date

    from somnet._clock import latest_date

    # 08:59 UTC on 27 November: 22:59 in Kiritimati (UTC+14), 23:59 with an hour of skew.
    assert latest_date(datetime(2026, 11, 27, 8, 59, tzinfo=UTC)) == date(2026, 11, 27)
    # From 09:00 UTC, the 28th may have begun somewhere (skew included).
    assert latest_date(datetime(2026, 11, 27, 9, 0, tzinfo=UTC)) == date(2026, 11, 28)
    # The zone of the time given does not matter: the same instant is the same date.
    mexico = datetime(2026, 11, 27, 4, 0, tzinfo=UTC).astimezone(ZoneInfo("America/Mexico_City"))
    assert latest_date(mexico) == latest_date(datetime(2026, 11, 27, 4, 0, tzinfo=UTC))


def break_copy(path: Path) -> None:
    """A synced copy that no longer validates (as after an upgrade with stricter checks)."""
    bs = path / "states" / "BS.toml"
    bs.write_text(bs.read_text().replace('roles = ["', 'roles = ["wizardry", "', 1))


def test_a_synced_copy_that_stops_validating_falls_back_to_the_previous_then_the_shipped(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    publish(data, keys.private, site, version=1)
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    publish(second_version(data), keys.private, site, version=2)
    assert run(capsys, "directory", "sync").exit_code == 0
    state = read_state(sync_dir())
    assert state is not None and state.previous is not None
    break_copy(sync_dir() / state.current.folder)
    result = run(capsys, "directory", "validate", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["layers"] == [str(sync_dir() / state.previous.folder)]
    (warning,) = result.stderr.splitlines()
    assert warning.startswith("somnet: warning: the synced directory (version 2")
    assert "wizardry" in warning and "version 1" in warning
    # Both synced copies broken: the shipped directory, still with a warning.
    break_copy(sync_dir() / state.previous.folder)
    result = run(capsys, "directory", "show", "BS", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "shipped directory" in result.stderr
    layers = json.loads(run(capsys, "directory", "validate", "--format", "json").stdout)["layers"]
    assert layers == [str(shipped_data_dir())]


# The command line ----------------------------------------------------------------------------


def test_publish_sync_and_status_through_the_cli(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    result = run(
        capsys,
        "directory",
        "publish",
        "--data",
        str(data),
        "--key",
        str(keys.private),
        "--out",
        str(site),
        "--version",
        "3",
        "--expires",
        "2w",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"published version 3 to {site}\n")
    result = run(capsys, "directory", "status")
    assert result.exit_code == 0
    assert result.stdout.startswith("nothing synced in ")
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("installed version 3, expires ")
    (warning,) = result.stderr.splitlines()  # the one warning: the test server is plain http
    assert "plain http" in warning
    result = run(capsys, "directory", "sync")
    assert result.stdout.startswith("version 3 is current (not modified)")
    result = run(capsys, "directory", "sync", "--format", "json")
    assert json.loads(result.stdout)["outcome"] == "not-modified"
    result = run(capsys, "directory", "status", "--format", "json")
    report = json.loads(result.stdout)
    assert report["version"] == 3 and report["in_use"] is True and report["expired"] is False
    assert report["source"] == server.url + SIGNED_MANIFEST_NAME
    assert report["warnings"] == []
    table = run(capsys, "directory", "status").stdout
    assert "in use    yes: commands read this copy as the base layer" in table
    # Every command now reads the synced copy.
    result = run(capsys, "directory", "validate", "--format", "json")
    assert json.loads(result.stdout)["layers"][0] == report["copy"]


def test_a_copy_kept_elsewhere_is_not_in_use(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
) -> None:
    publish(data, keys.private, site, version=1)
    elsewhere = tmp_path / "elsewhere"
    result = run(
        capsys,
        "directory",
        "sync",
        server.url,
        "--trust",
        str(keys.public),
        "--cache",
        str(elsewhere),
    )
    assert result.exit_code == 0, result.stderr
    assert f"commands read it only with SOMNET_SYNC_DIR={elsewhere}" in result.stdout
    report = json.loads(
        run(capsys, "directory", "status", "--cache", str(elsewhere), "--format", "json").stdout
    )
    assert report["version"] == 1 and report["in_use"] is False
    assert "set SOMNET_SYNC_DIR=" in report["note"]


def test_status_warns_of_an_expired_copy(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(days=10)
    publish(data, keys.private, site, version=1, expires="5d", now=past)
    sync(server.url, [keys.public], now=past + timedelta(days=1))
    result = run(capsys, "directory", "status")
    assert result.exit_code == 0
    assert "EXPIRED" in result.stdout
    assert result.stderr.startswith("somnet: warning: the synced directory (version 1 from ")
    assert "(5 days ago): it may be out of date; run: somnet directory sync" in result.stderr


@pytest.mark.parametrize(
    ("args", "exit_code", "message"),
    [
        (["ftp://127.0.0.1/site/"], 2, "'ftp://127.0.0.1/site/': not an http(s) URL"),
        (["not a url at all"], 2, "not an http(s) URL"),
        ([], 2, "sync: give the site's URL (nothing was synced before)"),
        (["{server}", "--trust", "{missing}"], 2, "{missing}: no such trust file"),
        (["{server}"], 2, "sync: give --trust FILE, the publisher's public key (KEY.pub)"),
        (["{server}missing/", "--trust", "{pub}"], 1, "HTTP 404 Not Found; nothing was installed"),
        (
            ["{server}", "--trust", "{pub}", "--cache", "{file}/sub"],
            1,
            "{file}/sub: cannot write the synced directory there",
        ),
        (
            ["{server}", "--trust", "{pub}", "--timeout", "0"],
            2,
            "'0': give more than 0 and at most 3600 seconds",
        ),
        (
            ["{server}", "--trust", "{pub}", "--timeout", "3601"],
            2,
            "'3601': give more than 0 and at most 3600 seconds",
        ),
        (
            ["{server}", "--trust", "{pub}", "--deadline", "0"],
            2,
            "'0': give more than 0 and at most 3600 seconds",
        ),
    ],
    ids=[
        "ftp",
        "not-a-url",
        "no-url",
        "missing-trust",
        "no-trust",
        "404",
        "unwritable-cache",
        "zero-timeout",
        "long-timeout",
        "zero-deadline",
    ],
)
def test_bad_sync_input_is_one_line_without_traceback(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
    args: list[str],
    exit_code: int,
    message: str,
) -> None:
    publish(data, keys.private, site, version=1)
    (tmp_path / "file").write_text("a file, not a folder\n")
    values = {
        "server": server.url,
        "pub": str(keys.public),
        "missing": str(tmp_path / "nope.pub"),
        "file": str(tmp_path / "file"),
    }
    result = run(capsys, "directory", "sync", *[a.format(**values) for a in args])
    assert result.exit_code == exit_code
    assert message.format(**values) in result.stderr
    assert "Traceback" not in result.stderr
    if "--timeout" not in args and "--deadline" not in args:  # argparse adds its usage line
        assert result.stderr.count("\n") == 1
    assert result.stdout == ""
    if exit_code == 2:  # bad input is refused before anything is written
        assert not sync_dir().exists()


def test_a_refused_sync_exits_2_naming_the_check(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    publish(data, other_keys.private, site, version=1)
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 2
    assert "which is not a trusted key" in result.stderr
    assert result.stderr.endswith("; nothing was installed\n")


# The progress display ------------------------------------------------------------------------


class FakeTerminal:
    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.text = ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("tty", [True, False])
def test_progress_is_shown_on_a_terminal_only(tty: bool) -> None:
    stream = FakeTerminal(tty)
    progress = DownloadProgress(stream, after=0.0)  # type: ignore[arg-type]
    progress(500_000, 2_000_000)
    progress(2_000_000, 2_000_000)
    progress.finish()
    if tty:
        assert "\rdownloading the directory:  25% (0.5 of 2.0 MB)" in stream.text
        assert stream.text.endswith("100% (2.0 of 2.0 MB)\n")
    else:
        assert stream.text == ""


def test_a_quick_download_shows_no_progress() -> None:
    stream = FakeTerminal(True)
    progress = DownloadProgress(stream, after=60.0)  # type: ignore[arg-type]
    progress(2_000_000, 2_000_000)
    progress.finish()
    assert stream.text == ""
