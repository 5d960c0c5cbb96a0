"""What every sync must hold, whatever it is sent or finds on disk: a published site damaged in
any byte, a manifest signed with any field changed, a sync folder damaged at random, and any
valid directory published. Each property runs against the real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from somnet import (
    BadInputError,
    SomnetError,
    VerificationError,
    load_directory,
    publish_directory,
)
from somnet.directory.files import shown_as_something
from somnet.sharing.install import MARK_NAME
from somnet.sharing.installed import (
    FILES_RECORD_NAME,
    SIGNED_RECORD_NAME,
    STATS_RECORD_NAME,
    installed_base,
)
from somnet.sharing.manifest import MAX_VERSION, SIGNED_MANIFEST_NAME, manifest_bytes
from somnet.sharing.state import read_state
from tests.cli import run
from tests.factories import sample_files, write_layer
from tests.sharing.helpers import (
    NOW,
    SIGNED,
    KeyPair,
    do_sync,
    leftovers,
    manifest_for,
    second_version,
    site_manifest,
    snapshot,
)
from tests.sharing.server import Fault, SiteServer

#: Each example syncs against the real server: few of them (the file runs in about a minute; each
#: property passed 250 to 300 when written), and the fixtures made once per test.
PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# Damage to bytes -----------------------------------------------------------------------------


@st.composite
def damaged(draw: st.DrawFn, content: bytes) -> bytes:
    """``content`` with a byte flipped, cut at any length, or with bytes added."""
    kind = draw(st.sampled_from(["flip", "truncate", "extend"]))
    if kind == "flip":
        at = draw(st.integers(0, len(content) - 1))
        mask = draw(st.integers(1, 255))
        return content[:at] + bytes([content[at] ^ mask]) + content[at + 1 :]
    if kind == "truncate":
        return content[: draw(st.integers(0, len(content) - 1))]
    return content + draw(st.binary(min_size=1, max_size=64))


def refused_unchanged(
    exc: SomnetError, folder: Path, before: dict[str, bytes], server: SiteServer
) -> None:
    """A refusal: one line naming the site, and the copy it had, byte for byte."""
    assert isinstance(exc, BadInputError), exc  # exit 2
    assert "\n" not in str(exc)
    assert server.url in str(exc)
    assert snapshot(folder) == before
    assert leftovers(folder) == []
    state = read_state(folder)
    assert state is not None and state.current.version == 1
    assert installed_base(folder) == folder / state.current.folder


class Folders:
    """Sync folders with version 1 installed: the same one while syncs refuse, a new one after
    a sync that installed (the damage was harmless)."""

    def __init__(self, root: Path, server: SiteServer, keys: KeyPair, v1: bytes) -> None:
        self.root = root
        self.server = server
        self.keys = keys
        self.v1 = v1
        self.v1_bundle = (server.root / site_manifest(server.root).bundle.name).read_bytes()
        self.count = 0
        self.folder = self._new()

    def _new(self) -> Path:
        self.count += 1
        folder = self.root / f"synced-{self.count}"
        self.server.clear()
        self.server.fault(SIGNED, Fault("content", content=self.v1))
        assert do_sync(self.server, self.keys, folder).outcome == "installed"
        self.server.clear()
        return folder

    def renew(self) -> None:
        self.folder = self._new()


def the_files(copy: Path) -> dict[str, bytes]:
    """The data files below ``copy``, as the commands read them (through links)."""
    found = {}
    for top, _folders, names in os.walk(copy, followlinks=True):
        for name in names:
            path = Path(top) / name
            if name.endswith(".toml") and not name.startswith("."):
                found[path.relative_to(copy).as_posix()] = path.read_bytes()
    return found


@pytest.fixture
def two_versions(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, tmp_path: Path
) -> tuple[Folders, bytes, str, bytes]:
    """Version 1 installed, version 2 published: (folders, v2's signed manifest, v2's bundle
    name, v2's bundle)."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    v1 = (site / SIGNED_MANIFEST_NAME).read_bytes()
    folders = Folders(tmp_path / "folders", server, keys, v1)
    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    name = site_manifest(site).bundle.name
    return folders, (site / SIGNED_MANIFEST_NAME).read_bytes(), name, (site / name).read_bytes()


# 1. A site damaged in any byte -----------------------------------------------------------------


@pytest.mark.parametrize("target", ["manifest", "bundle"])
def test_a_site_damaged_in_any_byte_installs_nothing_but_what_was_signed(
    two_versions: tuple[Folders, bytes, str, bytes],
    server: SiteServer,
    site: Path,
    target: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folders, signed, name, bundle = two_versions
    published = the_files(site.parent / "data")

    @PROPERTY
    @given(st.data())
    def check(draw_from: st.DataObject) -> None:
        original = signed if target == "manifest" else bundle
        content = draw_from.draw(damaged(original), label="damaged")
        path = SIGNED if target == "manifest" else "/" + name
        folder = folders.folder
        before = snapshot(folder)
        server.clear()
        server.fault(path, Fault("content", content=content))
        try:
            result = do_sync(server, folders.keys, folder)
        except SomnetError as exc:
            refused_unchanged(exc, folder, before, server)
            return
        # Harmless damage (the envelope's JSON spaced otherwise): exactly what was signed.
        assert target == "manifest", "a damaged bundle was installed"
        assert (result.outcome, result.version) == ("installed", 2)
        assert the_files(result.copy) == published
        folders.renew()

    check()
    # The commands read the copy each refusal kept.
    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folders.folder))
    shown = run(capsys, "directory", "show", "BS", "--format", "json")
    assert (shown.exit_code, shown.stderr) == (0, "")
    assert "Second version of the directory." not in shown.stdout
    assert installed_base(folders.folder) == folders.folder / "copies" / (
        f"1-{hashlib.sha256(folders.v1_bundle).hexdigest()[:12]}"
    )


# 2. A manifest signed with any field changed ----------------------------------------------------


def manifest_changes(bundle: bytes) -> st.SearchStrategy[dict[str, Any]]:
    """Changes to version 2's manifest: any version, dates a year either side, any digest or
    size (the right ones among them)."""
    digest = hashlib.sha256(bundle).hexdigest()
    hours = st.integers(-24 * 400, 24 * 400).map(lambda h: NOW + timedelta(hours=h))
    return st.fixed_dictionaries(
        {},
        optional={
            "version": st.one_of(st.integers(1, 3), st.integers(1, MAX_VERSION)),
            "created": hours,
            "expires": hours,
            "sha256": st.one_of(
                st.just(digest), st.text("0123456789abcdef", min_size=64, max_size=64)
            ),
            "size": st.one_of(
                st.just(len(bundle)), st.integers(1, len(bundle) * 2), st.integers(1, 2**40)
            ),
        },
    )


def test_a_manifest_signed_with_any_field_changed_installs_only_a_consistent_newer_one(
    two_versions: tuple[Folders, bytes, str, bytes],
    server: SiteServer,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
) -> None:
    from somnet.sharing.manifest import signed_manifest_bytes
    from somnet.sharing.signing import load_private_key, sign

    folders, _signed, name, bundle = two_versions
    published = the_files(site.parent / "data")
    digest = hashlib.sha256(bundle).hexdigest()

    @PROPERTY
    @given(manifest_changes(bundle), st.booleans())
    def check(changes: dict[str, Any], trusted: bool) -> None:
        manifest = manifest_for(bundle, keys, version=2)
        manifest = attrs.evolve(
            manifest,
            bundle=attrs.evolve(
                manifest.bundle,
                name=name,
                sha256=changes.pop("sha256", digest),
                size=changes.pop("size", len(bundle)),
            ),
            **changes,
        )
        text = manifest_bytes(manifest)
        signer = keys if trusted else other_keys
        signature = sign(load_private_key(signer.private), text)
        server.clear()
        server.fault(SIGNED, Fault("content", content=signed_manifest_bytes(text, signature)))
        folder = folders.folder
        before = snapshot(folder)
        consistent = (
            trusted
            and manifest.version >= 2
            and manifest.bundle.sha256 == digest
            and manifest.bundle.size == len(bundle)
            and manifest.created < manifest.expires
            and manifest.expires > NOW
            and manifest.created <= NOW + timedelta(hours=1)
        )
        try:
            result = do_sync(server, keys, folder)
        except SomnetError as exc:
            assert not consistent, exc
            refused_unchanged(exc, folder, before, server)
            return
        assert consistent, manifest
        assert (result.outcome, result.version) == ("installed", manifest.version)
        assert the_files(result.copy) == published
        folders.renew()

    check()


def test_any_older_manifest_replayed_is_refused_as_the_docs_say(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, tmp_path: Path
) -> None:
    """Versions 1 to 4 published, each renewed once a day later: whatever version is
    installed, a genuine manifest of an older version is a rollback, and an older manifest of
    the installed version a replay that would move its expiry back; both refused, the copy
    unchanged. A later manifest of the same version renews it."""
    signed: dict[tuple[int, int], bytes] = {}
    for version in range(1, 5):
        files = sample_files()
        files["states/BS.toml"]["state"]["notes"] = [f"Version {version}."]
        write_layer(data, files)
        for renewal in range(2):
            moment = NOW + timedelta(days=version - 1 + renewal, hours=version)
            publish_directory(
                data, keys.private, site, version=version, keep=10, now=moment, name="caribbean"
            )
            signed[version, renewal] = (site / SIGNED_MANIFEST_NAME).read_bytes()
    today = NOW + timedelta(days=6)
    count = iter(range(1000))

    @PROPERTY
    @given(
        st.integers(1, 4),
        st.integers(0, 1),
        st.integers(1, 4),
        st.integers(0, 1),
    )
    def check(installed: int, renewed: int, offered: int, offered_renewal: int) -> None:
        folder = tmp_path / f"synced-{next(count)}"
        server.clear()
        server.fault(SIGNED, Fault("content", content=signed[installed, renewed]))
        assert do_sync(server, keys, folder, now=today).version == installed
        before = snapshot(folder)
        server.clear()
        server.fault(SIGNED, Fault("content", content=signed[offered, offered_renewal]))
        older = (offered, offered_renewal) < (installed, renewed)
        try:
            result = do_sync(server, keys, folder, now=today)
        except VerificationError as exc:
            assert older, exc
            assert str(exc).startswith(server.url + SIGNED_MANIFEST_NAME + ": ")
            if offered < installed:
                assert "rollback refused" in str(exc)
            else:
                assert "a replay that would move the expiry back" in str(exc)
            assert snapshot(folder) == before and leftovers(folder) == []
            return
        assert not older
        assert result.version == offered

    check()


# 3. A sync folder damaged at random -------------------------------------------------------------

#: What may be damaged in a sync folder with version 1 installed: the state, and in the copy a
#: data file and each record kept with it.
DAMAGED_PATHS = [
    "state.json",
    "COPY/states/BS.toml",
    f"COPY/{FILES_RECORD_NAME}",
    f"COPY/{STATS_RECORD_NAME}",
    f"COPY/{SIGNED_RECORD_NAME}",
    "COPY/states",
    "COPY",
    "copies",
    MARK_NAME,
]


#: Damage no sync repairs, as somnet removes nothing it did not make: the exit status and the
#: start of the message, which names the path.
NOT_REPAIRED = {
    ("state.json", "folder"): (
        1,
        "somnet: {path}: the sync state is damaged (a folder, not a file",
    ),
    ("copies", "file"): (2, "somnet: SOMNET_SYNC_DIR: {path}: not a folder"),
    ("copies", "link"): (2, "somnet: SOMNET_SYNC_DIR: {path}: a symbolic link"),
    ("copies", "dangling"): (2, "somnet: SOMNET_SYNC_DIR: {path}: a symbolic link"),
    (MARK_NAME, "folder"): (2, "somnet: SOMNET_SYNC_DIR: {path}: not the file somnet marks"),
    (MARK_NAME, "link"): (2, "somnet: SOMNET_SYNC_DIR: {path}: not the file somnet marks"),
    (MARK_NAME, "dangling"): (2, "somnet: SOMNET_SYNC_DIR: {path}: not the file somnet marks"),
}


def damage_in_place(path: Path, how: str, draw_from: st.DataObject, elsewhere: Path) -> None:
    """Damage ``path``: its bytes (a file's), or made a folder, a file, or a link."""
    if how == "bytes":
        if path.is_dir():
            how = "file"
        else:
            content = path.read_bytes()
            path.write_bytes(draw_from.draw(damaged(content), label="bytes"))
            return
    shutil.move(path, elsewhere / "moved")
    if how == "folder":
        path.mkdir()
    elif how == "file":
        path.write_bytes(b"not what was installed\n")
    elif how == "link":
        os.symlink(elsewhere / "moved", path)
    else:  # "dangling"
        os.symlink(elsewhere / "gone", path)


def test_a_sync_folder_damaged_anyhow_is_told_in_one_line_and_a_sync_repairs_it(
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    count = iter(range(1000))
    # A byte of the recorded source changed may name another host: a proxy on a closed port
    # of loopback stands in the way, so that nothing leaves the machine (nor asks its DNS).
    for variable in ("HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(variable, "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")

    @PROPERTY
    @given(
        st.sampled_from(DAMAGED_PATHS),
        st.sampled_from(["bytes", "folder", "file", "link", "dangling"]),
        st.data(),
    )
    def check(target: str, how: str, draw_from: st.DataObject) -> None:
        n = next(count)
        folder = tmp_path / f"synced-{n}"
        elsewhere = tmp_path / f"elsewhere-{n}"
        elsewhere.mkdir()
        monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
        monkeypatch.setenv("SOMNET_CACHE_DIR", str(tmp_path / f"cache-{n}"))
        server.clear()
        result = do_sync(server, keys, folder)
        copy = result.copy.relative_to(folder).as_posix()
        parts = [copy if part == "COPY" else part for part in target.split("/")]
        damage_in_place(folder.joinpath(*parts), how, draw_from, elsewhere)
        for args in (("directory", "show", "BS", "--format", "json"), ("directory", "status")):
            done = run(capsys, *args)
            assert "Traceback" not in done.stderr, (args, done.stderr)
            assert done.exit_code == 0, (args, done.exit_code, done.stderr)
        # The scheduled sync, of what the state recorded: done, or refused in one line that
        # names what is wrong.
        scheduled = run(capsys, "directory", "sync", "--attempts", "1")
        assert "Traceback" not in scheduled.stderr
        if scheduled.exit_code != 0:
            assert scheduled.exit_code in (1, 2)
            error = [
                line
                for line in scheduled.stderr.splitlines()
                if not line.startswith("somnet: warning:")
            ]
            assert len(error) == 1, scheduled.stderr
            # The site's URL as the damaged state now records it, or a file of the folder.
            assert str(folder) in error[0] or "http" in error[0], error
        again = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
        assert "Traceback" not in again.stderr
        refused = NOT_REPAIRED.get((target, "file" if how == "bytes" else how))
        if refused is not None and (target != MARK_NAME or how != "bytes"):
            # What somnet did not make is never removed: named, and the sync refused.
            code, start = refused
            assert again.exit_code == code, again.stderr
            line = again.stderr.splitlines()[-1]
            assert line.startswith(start.format(path=folder / target)), line
            return
        assert again.exit_code == 0, again.stderr
        shown = run(capsys, "directory", "show", "BS", "--format", "json")
        assert shown.exit_code == 0
        assert shown.stderr == "", (target, how, shown.stderr)
        base = installed_base(folder)
        assert base is not None and the_files(base) == the_files(data)

    check()


# 4. Any valid directory, published and synced ---------------------------------------------------

_names = st.text("abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=8)
_notes = st.lists(
    # Never blank: the directory refuses a note of nothing.
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
        shown_as_something
    ),
    max_size=3,
)


@st.composite
def directories(draw: st.DrawFn) -> tuple[dict[str, dict[str, Any]], bool]:
    """The sample directory with other notes, extra files of no agency in folders of any name,
    and perhaps Windows line ends."""
    files = sample_files()
    for name in ("states/BS.toml", "states/HT.toml"):
        notes = draw(_notes)
        if notes:
            files[name]["state"]["notes"] = notes
    for folder, name in draw(st.lists(st.tuples(st.lists(_names, max_size=2), _names), max_size=3)):
        path = "/".join(["x-" + f for f in folder] + ["x-" + name + ".toml"])
        files[path] = {"agencies": []}
    return files, draw(st.booleans())


def test_any_valid_directory_published_is_synced_exactly(
    keys: KeyPair, site: Path, server: SiteServer, tmp_path: Path
) -> None:
    versions = iter(range(1, 1000))
    folder = tmp_path / "synced"

    @PROPERTY
    @given(directories())
    def check(generated: tuple[dict[str, dict[str, Any]], bool]) -> None:
        files, crlf = generated
        version = next(versions)
        data = write_layer(tmp_path / f"data-{version}", files)
        if crlf:
            for path in data.rglob("*.toml"):
                path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
        publish_directory(data, keys.private, site, version=version, now=NOW, name="caribbean")
        result = do_sync(server, keys, folder)
        assert (result.outcome, result.version) == ("installed", version)
        assert the_files(result.copy) == the_files(data)
        today = NOW.date()
        synced = load_directory(base=result.copy, use_env=False, today=today)
        published = load_directory(base=data, use_env=False, today=today)
        assert synced.states == published.states
        assert synced.all_agencies() == published.all_agencies()
        assert synced.all_agreements() == published.all_agreements()

    check()


#: What may be damaged with version 2 installed and version 1 kept to fall back on.
DAMAGED_WITH_PREVIOUS = [
    *DAMAGED_PATHS,
    "PREVIOUS/states/BS.toml",
    f"PREVIOUS/{FILES_RECORD_NAME}",
    f"PREVIOUS/{SIGNED_RECORD_NAME}",
    "PREVIOUS",
]


def test_a_sync_folder_with_a_previous_copy_damaged_anyhow_still_serves_and_is_repaired(
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Version 2 installed, version 1 kept, one or two things damaged in the folder: every
    command still answers (the copy, the previous one or the shipped directory), and a sync
    with URL and key puts version 2 back, whole, unless what is damaged is what somnet never
    removes."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    v1 = (site / SIGNED_MANIFEST_NAME).read_bytes()
    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    count = iter(range(1000))
    for variable in ("HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(variable, "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")

    @PROPERTY
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(DAMAGED_WITH_PREVIOUS),
                st.sampled_from(["bytes", "folder", "file", "link", "dangling"]),
            ),
            min_size=1,
            max_size=2,
            unique_by=lambda damage: damage[0],
        ),
        st.data(),
    )
    def check(damages: list[tuple[str, str]], draw_from: st.DataObject) -> None:
        n = next(count)
        folder = tmp_path / f"synced-{n}"
        monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
        monkeypatch.setenv("SOMNET_CACHE_DIR", str(tmp_path / f"cache-{n}"))
        server.clear()
        server.fault(SIGNED, Fault("content", content=v1))
        previous = do_sync(server, keys, folder).copy.relative_to(folder).as_posix()
        server.clear()
        current = do_sync(server, keys, folder).copy.relative_to(folder).as_posix()
        for i, (target, how) in enumerate(damages):
            parts = [
                {"COPY": current, "PREVIOUS": previous}.get(part, part)
                for part in target.split("/")
            ]
            path = folder.joinpath(*parts)
            if not os.path.lexists(path):
                continue  # inside a folder damaged before
            elsewhere = tmp_path / f"elsewhere-{n}-{i}"
            elsewhere.mkdir()
            damage_in_place(path, how, draw_from, elsewhere)
        for args in (("directory", "show", "BS", "--format", "json"), ("directory", "status")):
            done = run(capsys, *args)
            assert "Traceback" not in done.stderr, (args, done.stderr)
            assert done.exit_code == 0, (args, done.exit_code, done.stderr)
        again = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
        assert "Traceback" not in again.stderr
        if any(
            (target, "file" if how == "bytes" else how) in NOT_REPAIRED
            and (target != MARK_NAME or how != "bytes")
            for target, how in damages
        ):
            assert again.exit_code in (1, 2), again.stderr
            errors = [
                line for line in again.stderr.splitlines() if not line.startswith("somnet: warning")
            ]
            assert len(errors) == 1 and str(folder) in errors[0], again.stderr
            return
        assert again.exit_code == 0, (damages, again.stderr)
        shown = run(capsys, "directory", "show", "BS", "--format", "json")
        assert shown.exit_code == 0
        assert shown.stderr == "", (damages, shown.stderr)
        assert "Second version of the directory." in shown.stdout
        base = installed_base(folder)
        assert base is not None and the_files(base) == the_files(data)

    check()
