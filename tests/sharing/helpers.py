"""What the sharing tests share: a publisher's keys, sites and syncs against the real HTTP
server of tests/sharing/server.py, and the snapshots that prove a sync folder unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs

from somnet import SyncedCopyStatus, publish_directory, sync_directory, sync_status
from somnet.sharing.install import MARK_NAME
from somnet.sharing.installed import (
    FILES_RECORD_NAME,
    SIGNED_RECORD_NAME,
    STATS_RECORD_NAME,
    installed_base,
)
from somnet.sharing.manifest import (
    SIGNED_MANIFEST_NAME,
    BundleEntry,
    Manifest,
    read_manifest,
    signed_manifest_bytes,
    split_signed_manifest,
)
from somnet.sharing.signing import load_private_key, public_key_of, sign
from somnet.sharing.state import read_state
from tests.factories import sample_files, write_layer
from tests.sharing.server import Fault, SiteServer

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


SIGNED = "/" + SIGNED_MANIFEST_NAME


@attrs.frozen
class KeyPair:
    private: Path
    public: Path


class Sleeps(list[float]):
    """Records the waits between attempts instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def do_sync(server: SiteServer, keys: KeyPair, folder: Path, **options: Any) -> Any:
    options.setdefault("now", NOW)
    options.setdefault("sleep", Sleeps())
    options.setdefault("timeout", 2.0)
    return sync_directory(server.url, [keys.public], cache=folder, **options)


def synced(folder: Path) -> SyncedCopyStatus:
    """The status of the copy synced in ``folder`` (one must be)."""
    status = sync_status(folder, now=NOW)
    assert status.synced is not None
    return status.synced


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
        if (
            p.name.startswith(".")
            and p.name
            not in (".lock", MARK_NAME, FILES_RECORD_NAME, STATS_RECORD_NAME, SIGNED_RECORD_NAME)
        )
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


def site_manifest(site: Path) -> Manifest:
    """The manifest a client reads from the site."""
    manifest, _ = split_signed_manifest((site / SIGNED_MANIFEST_NAME).read_bytes(), "site")
    return read_manifest(manifest, "site")


def manifest_for(bundle: bytes, keys: KeyPair, *, version: int, **changes: Any) -> Manifest:
    import hashlib

    digest = hashlib.sha256(bundle).hexdigest()
    manifest = Manifest(
        version=version,
        created=NOW,
        expires=NOW + timedelta(days=30),
        bundle=BundleEntry(f"directory-{version}-{digest[:12]}.json", digest, len(bundle)),
        key_id=public_key_of(load_private_key(keys.private)).key_id,
        directory="caribbean",
    )
    return attrs.evolve(manifest, **changes)


def assert_unchanged(folder: Path, before: dict[str, bytes]) -> None:
    assert snapshot(folder) == before
    assert leftovers(folder) == []
    state = read_state(folder)
    assert state is not None and state.current.version == 1
    assert installed_base(folder) == folder / state.current.folder


def bundles(site: Path) -> list[str]:
    return sorted(p.name for p in site.glob("directory-*.json"))


def publish_versions(data: Path, keys: KeyPair, site: Path, versions: range, **options: Any) -> Any:
    """Publish one new content per version; returns the last result."""
    result = None
    for version in versions:
        files = sample_files()
        files["states/BS.toml"]["state"]["notes"] = [f"Version {version}."]
        result = publish_directory(
            write_layer(data, files),
            keys.private,
            site,
            version=version,
            **options,
            name="caribbean",
        )
    return result


def publish_v2(data: Path, keys: KeyPair, site: Path) -> str:
    """Publish version 2; returns the bundle's path on the server."""
    result = publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    return "/" + result.bundle


def server_get(server: SiteServer, name: str) -> bytes:
    import httpx

    with httpx.Client(trust_env=False) as client:
        response = client.get(server.url + name)
    response.raise_for_status()
    return response.content


def server_get_v1(site: Path, keys: KeyPair, data: Path) -> bytes:
    """Version 1's signed manifest, as a replaying server keeps it."""
    other = site.parent / "site-v1"
    other.mkdir(exist_ok=True)
    publish_directory(data, keys.private, other, version=1, now=NOW, name="caribbean")
    bundle = site_manifest(other).bundle.name
    (site / bundle).write_bytes((other / bundle).read_bytes())
    return (other / SIGNED_MANIFEST_NAME).read_bytes()


def serve_site_of(server: SiteServer, site: Path, other: Path) -> None:
    """Serve the signed manifest of another site folder (its bundles copied over)."""
    for bundle in other.glob("directory-*.json"):
        (site / bundle.name).write_bytes(bundle.read_bytes())
    server.fault(SIGNED, Fault("content", content=(other / SIGNED_MANIFEST_NAME).read_bytes()))


def user_files(folder: Path) -> dict[str, bytes]:
    """A user's own folder: files and a folder named like somnet's."""
    (folder / "copies" / "contracts").mkdir(parents=True)
    (folder / "copies" / "contracts" / "2026.pdf").write_bytes(b"signed contract")
    (folder / "notes.txt").write_text("my notes\n")
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def files_below(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def rewrite_state(folder: Path, **values: Any) -> None:
    state = json.loads((folder / "state.json").read_bytes())
    state.update(values)
    (folder / "state.json").write_text(json.dumps(state))


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


class HangingResolver:
    """A resolver that does not answer (a satellite link's), in place of ``socket.getaddrinfo``
    once :meth:`hang` is called: every lookup waits until :meth:`answer` (or ``give_up``
    seconds), then fails as a resolver that timed out does. The machine's resolver is never
    asked."""

    def __init__(self, monkeypatch: Any, give_up: float = 5.0) -> None:
        import threading

        self._monkeypatch = monkeypatch
        self._give_up = give_up
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._real: Any = None
        self.asked: list[str] = []
        self.waiting = 0

    def hang(self) -> None:
        import socket

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self.asked.append(str(host))
                self.waiting += 1
            try:
                self._released.wait(self._give_up)
            finally:
                with self._lock:
                    self.waiting -= 1
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

        self._real = socket.getaddrinfo
        self._monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    def answer(self) -> None:
        """Let every waiting lookup end, wait until they have, and give the machine's resolver
        back."""
        import socket

        self._released.set()
        wait_for(lambda: self.waiting == 0, "the lookups to end")
        if self._real is not None:
            self._monkeypatch.setattr(socket, "getaddrinfo", self._real)


def break_copy(path: Path) -> None:
    """A synced copy that no longer validates (as after an upgrade with stricter checks)."""
    bs = path / "states" / "BS.toml"
    bs.write_text(bs.read_text().replace('roles = ["', 'roles = ["wizardry", "', 1))


def stricter_checks(path: Path) -> None:
    """A synced copy whose files are as installed, but that no longer validates (as after an
    upgrade with stricter checks): broken, and its record of files made to match."""
    from somnet.sharing.bundle import build_bundle, parse_bundle
    from somnet.sharing.installed import files_record

    break_copy(path)
    bundle, _count = build_bundle(path)
    (path / FILES_RECORD_NAME).write_bytes(files_record(parse_bundle(bundle, "copy")))


def verified_on(day: Any, folder: Path) -> Path:
    """The sample directory with one contact verified on ``day``."""
    files = sample_files()
    files["states/BS.toml"]["agencies"][0]["contacts"][0]["last_verified"] = day
    return write_layer(folder, files)


def english_left(text: str) -> list[str]:
    """The English words of ``text`` in the pseudo language: what no catalog can translate.
    Paths, file names, URLs, times, hashes, an HTTP status with the server's phrase, the
    system's error, a value the server sent, and the words of data (a state's roles) are not
    words."""
    import re

    from somnet import ROLES
    from tests.i18n_helpers import ascii_words

    text = re.sub(
        r"\S*/\S*|\S*\.json\b|\$\.\S*|\b[0-9a-f]{8,}\b|\S*\d{4}-\d\d-\d\dT\S*"
        r"|(?:HTTP )?\b[1-5]\d\d(?: [A-Z][a-z]+)+"  # a status and the server's phrase
        r"|\[Errno \d+\][^)]*"  # the system's own words for a failed connection
        r"|'[^'\s]*'",  # a value the server sent, shown as it sent it (a Content-Encoding)
        " ",
        text,
    )
    text = re.sub("|".join(sorted(map(re.escape, ROLES), key=len, reverse=True)), " ", text)
    return [w for w in ascii_words(text) if w != "wizardry"]


@attrs.frozen
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> Any:
        import ssl

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_certificate(cert: Path, key_file: Path, names: list[str]) -> Certificate:
    """A self-signed certificate for ``names`` (IP addresses or host names)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def alternative(name: str) -> x509.GeneralName:
        try:
            return x509.IPAddress(ipaddress.ip_address(name))
        except ValueError:
            return x509.DNSName(name)

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.now(UTC)
    built = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([alternative(name) for name in names]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    paths = Certificate(cert, key_file)
    paths.cert.write_bytes(built.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


#: The group a simulated group-writable file has (simulate_group): its name, as messages name it.
SHARED_GROUP = "crew"
PRIVATE_GROUP = "officer"


def simulate_group(monkeypatch: Any, kind: str) -> None:
    """Make every group the system is asked about (somnet._groups.group_of) a user's private
    group (``private``: its owner alone in it), a team's (``shared``: another user in it too)
    or one the system has no entry for (``none``): the tests never depend on the machine's."""
    from somnet import _groups

    entries = {
        "private": _groups.Group(PRIVATE_GROUP, others=(), has_owner=True),
        "shared": _groups.Group(SHARED_GROUP, others=("bob",), has_owner=True),
        "none": None,
    }
    monkeypatch.setattr(_groups, "group_of", lambda gid, owner: entries[kind])


#: The user a simulated file of another user's belongs to (simulate_owner): neither this one
#: nor root.
OTHER_UID = 4242 if getattr(os, "geteuid", lambda: 0)() != 4242 else 4243


def simulate_owner(
    monkeypatch: Any, path: Path, how: str, uid: int = OTHER_UID, *, link: bool = False
) -> int:
    """Make ``path`` user ``uid``'s (by default another user's than this one, not root's):
    chowned to them (``chowned``: root only, as CI runs the tests), or so reported by
    ``os.stat`` (``patched``: any user); returns the uid. With ``link``, the symbolic link
    ``path`` itself, not what it points at (``os.lchown``, ``os.lstat``)."""
    if how == "chowned":
        (os.lchown if link else os.chown)(path, uid, -1)
        return uid
    name = "lstat" if link else "stat"
    real_stat = getattr(os, name)

    def stat(target: Any, *args: Any, **options: Any) -> os.stat_result:
        found = real_stat(target, *args, **options)
        if isinstance(target, int) or os.path.abspath(target) != os.path.abspath(path):
            return found
        fields = list(found)
        fields[4] = uid  # st_uid
        return os.stat_result(fields)

    monkeypatch.setattr(os, name, stat)
    return uid
