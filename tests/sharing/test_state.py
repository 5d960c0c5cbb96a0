"""The sync state file: a damaged one falls back to the shipped directory, a value that cannot be
used is ignored with a warning, and what a server says is kept only when it can be sent back."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from somnet import (
    StorageError,
    VerificationError,
    publish_directory,
    sync_directory,
    sync_folder,
    synced_copy_warnings,
)
from somnet.sharing.installed import installed_base
from somnet.sharing.state import (
    InstalledCopy,
    SyncState,
    copy_folder,
    load_state,
    read_state,
    write_state,
)
from tests.cli import run
from tests.sharing.helpers import (
    NOW,
    SIGNED,
    KeyPair,
    do_sync,
    publish_v2,
    rewrite_state,
    server_get_v1,
)
from tests.sharing.server import Fault, SiteServer


def test_a_damaged_state_file_falls_back_to_the_shipped_directory_with_a_warning(
    installed_v1: dict[str, bytes], folder: Path
) -> None:
    (folder / "state.json").write_text("{")
    assert installed_base(folder) is None
    (warning,) = synced_copy_warnings(folder)
    assert "the sync state is damaged" in warning.reason
    assert "using the shipped directory" in warning.reason and not warning.sync_again
    with pytest.raises(StorageError, match="the sync state is damaged"):
        sync_directory(cache=folder, now=NOW)


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
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    rewrite_state(sync_folder(), **{field: value})
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"$.{field}" in result.stderr and "ignored" in result.stderr
    # The next sync finds a clean state.
    result = run(capsys, "directory", "sync", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["warnings"] == []


@pytest.mark.parametrize(
    ("field", "value", "flag"),
    [("trust", "/etc/somnet/trust.pub", "--trust"), ("source", 12, "URL")],
    ids=["trust", "source"],
)
def test_a_recorded_value_that_cannot_be_used_is_named_by_status_and_by_a_bare_sync(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    field: str,
    value: Any,
    flag: str,
) -> None:
    """The trust files or the source recorded by the last sync, damaged on disk: ``status``
    says the value is left out (not a bare "-"), and a sync without URL and --trust says
    which value of which file cannot be used rather than "none is recorded"."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    rewrite_state(sync_folder(), **{field: value})
    result = run(capsys, "directory", "status", "--format", "json")
    assert result.exit_code == 0, result.stderr
    warnings = json.loads(result.stdout)["warnings"]
    assert [w for w in warnings if "state.json" in w and f"$.{field}" in w], warnings
    result = run(capsys, "directory", "sync")
    assert result.exit_code == 2, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"somnet: {flag}: ")
    assert "state.json" in line and f"$.{field}" in line


@pytest.mark.parametrize("damaged", [True, False], ids=["state-damaged", "state-read"])
def test_a_recorded_source_that_is_no_url_is_named_in_the_state_by_a_bare_sync(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    damaged: bool,
) -> None:
    """The source recorded by the last sync, damaged on disk into an http URL that is no URL
    (a byte of its host changed): a bare sync names the state file and its value, not the
    URL the user never gave, and a sync with URL and key repairs it. Whether the state reads
    or only its source and trust files are salvaged from it (its copy damaged too)."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    bad = server.url.replace("127.", "027.", 1) + "signed-manifest.json"
    rewrite_state(sync_folder(), source=bad)
    if damaged:
        state = json.loads((sync_folder() / "state.json").read_bytes())
        state["current"]["version"] = "one"
        (sync_folder() / "state.json").write_text(json.dumps(state))
    result = run(capsys, "directory", "sync")
    assert result.exit_code == 2, result.stderr
    line = result.stderr.splitlines()[-1]
    path = sync_folder() / "state.json"
    assert line.startswith(
        f"somnet: URL: give the site's URL (the one recorded cannot be used: {path}: $.source: "
        f"{bad!r}: not a URL"
    ), line
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    assert run(capsys, "directory", "sync").exit_code == 0


def test_a_state_whose_installed_copy_is_damaged_does_not_stop_the_scheduled_sync(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    """The installed copy's record is damaged, but the source and the trust files recorded
    beside it can still be read: the scheduled sync (no URL, no --trust) starts afresh from
    them, saying so, instead of failing at every run until someone types them again. The
    version floor of the copies kept still holds."""
    state = json.loads((folder / "state.json").read_bytes())
    state["current"]["version"] = "one"
    (folder / "state.json").write_text(json.dumps(state))
    publish_v2(data, keys, site)
    result = sync_directory(cache=folder, now=NOW)
    assert (result.outcome, result.version) == ("installed", 2)
    assert any("state.json" in w and "$.current.version" in w for w in result.warnings)
    state_after = read_state(folder)
    assert state_after is not None and state_after.current.version == 2
    # The copies kept bound what a fresh start installs: version 1 replayed is refused.
    state = json.loads((folder / "state.json").read_bytes())
    state["current"]["version"] = "two"
    (folder / "state.json").write_text(json.dumps(state))
    server.fault(SIGNED, Fault("content", content=server_get_v1(site, keys, data)))
    with pytest.raises(VerificationError, match="rollback refused"):
        sync_directory(cache=folder, now=NOW)


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


# The state file's format ------------------------------------------------------------------------


def a_copy(version: int = 3, **changes: Any) -> InstalledCopy:
    sha256 = "ab" * 32
    fields: dict[str, Any] = {
        "version": version,
        "sha256": sha256,
        "size": 1234,
        "created": NOW,
        "expires": NOW + timedelta(days=30),
        "key_id": "0123456789abcdef",
        "directory": "caribbean",
        "synced_at": NOW + timedelta(minutes=5),
        "folder": copy_folder(version, sha256),
    }
    return InstalledCopy(**{**fields, **changes})


def a_state(**changes: Any) -> SyncState:
    fields: dict[str, Any] = {
        "source": "https://office.example.org/somnet/signed-manifest.json",
        "trust": ("/etc/somnet/trust.pub",),
        "current": a_copy(3),
        "previous": a_copy(2),
        "etag": '"abc"',
        "checked_at": NOW + timedelta(minutes=5),
    }
    return SyncState(**{**fields, **changes})


@pytest.mark.parametrize(
    "state",
    [
        a_state(),
        a_state(previous=None, etag=None, checked_at=None, trust=()),
        # A copy installed again beside the one it replaced, under a folder of its own.
        a_state(current=a_copy(3, folder=copy_folder(3, "ab" * 32, 2))),
        a_state(current=a_copy(3, folder=copy_folder(3, "ab" * 32, 999))),
    ],
)
def test_a_state_reads_back_as_written(tmp_path: Path, state: SyncState) -> None:
    write_state(tmp_path, state)
    assert load_state(tmp_path) == (state, [])
    value = json.loads((tmp_path / "state.json").read_bytes())
    assert value["format"] == 1 and value["current"]["created"] == "2026-11-27T12:00:00Z"


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("version", "3", "$.current.version: expected a whole number, got text '3'"),
        ("version", 0, "$.current.version: expected a whole number from 1 to"),
        ("sha256", "xyz", "$.current.sha256: expected 64 lower-case hex digits"),
        ("size", None, "$.current.size: expected a whole number, got NoneType None"),
        ("key_id", "", "$.current.key_id: expected 16 lower-case hex digits"),
        ("expires", "soon", "$.current.expires: expected a time like"),
        ("folder", "../../elsewhere", "$.current.folder: '../../elsewhere' is not the copy's"),
        ("folder", "copies/2-abababababab", "$.current.folder: 'copies/2-abababababab' is not"),
        ("folder", "copies/3-abababababab-1", "$.current.folder: 'copies/3-abababababab-1' is"),
        ("folder", "copies/3-abababababab-02", "$.current.folder: 'copies/3-abababababab-02'"),
        ("folder", "copies/3-abababababab-1000", "$.current.folder: 'copies/3-abababababab-100"),
        ("folder", "other/3-abababababab", "$.current.folder: 'other/3-abababababab' is not"),
        ("directory", "Caribbean", "$.current.directory: 'Caribbean' is not a directory name"),
        ("directory", None, "$.current.directory: expected text, got NoneType None"),
        ("extra", 1, "$.current: unknown key extra"),
    ],
)
def test_an_installed_copy_that_cannot_be_read_makes_the_state_damaged(
    tmp_path: Path, field: str, value: Any, where: str
) -> None:
    write_state(tmp_path, a_state())
    state = json.loads((tmp_path / "state.json").read_bytes())
    state["current"][field] = value
    (tmp_path / "state.json").write_text(json.dumps(state))
    with pytest.raises(StorageError, match="the sync state is damaged") as caught:
        load_state(tmp_path)
    assert where in str(caught.value)


@pytest.mark.parametrize(
    ("change", "ignored"),
    [
        ({"trust": "/etc/somnet/trust.pub"}, "$.trust: expected a list, got text"),
        ({"trust": [""]}, "$.trust: [''] is not a list of trust files"),
        ({"source": "file:///etc/passwd"}, "$.source: 'file:///etc/passwd' is not an http(s)"),
        ({"checked_at": 12}, "$.checked_at: expected a time like"),
        ({"trusted_keys": ["AAAA"]}, "$.trusted_keys: unknown key"),
        ({"etag": None, "previous": None}, None),
    ],
)
def test_a_value_that_cannot_be_used_is_left_out_and_named(
    tmp_path: Path, change: dict[str, Any], ignored: str | None
) -> None:
    write_state(tmp_path, a_state())
    state = json.loads((tmp_path / "state.json").read_bytes())
    state.update(change)
    (tmp_path / "state.json").write_text(json.dumps(state))
    read, problems = load_state(tmp_path)
    assert read is not None and read.current == a_copy(3)
    if ignored is None:
        assert problems == []
        return
    (problem,) = problems
    assert problem.startswith(ignored)
    name = next(iter(change))
    if name in ("trust", "source", "checked_at"):
        assert getattr(read, name) in ((), "", None)


def test_a_missing_value_is_named_and_left_out(tmp_path: Path) -> None:
    write_state(tmp_path, a_state())
    state = json.loads((tmp_path / "state.json").read_bytes())
    del state["source"]
    (tmp_path / "state.json").write_text(json.dumps(state))
    read, problems = load_state(tmp_path)
    assert read is not None and read.source == "" and problems == ["$.source: missing"]


@pytest.mark.parametrize("content", [b"", b"[]", b'{"format": 2}', b'{"format": true}'])
def test_what_is_not_a_state_file_is_damaged(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "state.json").write_bytes(content)
    with pytest.raises(StorageError, match="the sync state is damaged"):
        read_state(tmp_path)


def test_a_damaged_state_that_a_bare_sync_repairs_says_to_sync(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    """The installed copy's record in the state is damaged (a disk fault), its source and trust
    files still readable: every command reads the shipped directory and says the state is
    damaged, but not what to do, though a bare ``somnet directory sync`` starts afresh from
    them. The warning now ends with that command, as for a copy expired or missing. A state
    damaged beyond that still does not (a bare sync cannot repair it)."""
    from somnet import publish_directory, sync_folder
    from tests.cli import run

    publish_directory(data, keys.private, site, version=1, name="caribbean")
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    path = sync_folder() / "state.json"
    state = json.loads(path.read_bytes())
    state["current"]["version"] = "one"
    path.write_text(json.dumps(state))
    result = run(capsys, "directory", "show", "BS", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (warning,) = result.stderr.splitlines()
    assert "damaged" in warning and warning.endswith("run: somnet directory sync")
    assert run(capsys, "directory", "sync").exit_code == 0  # what it says to do works
    assert run(capsys, "directory", "show", "BS", "--format", "json").stderr == ""
    path.write_text("{")
    (warning,) = run(capsys, "directory", "show", "BS", "--format", "json").stderr.splitlines()
    assert "damaged" in warning and "directory sync" not in warning


@pytest.mark.parametrize(
    "damage",
    [
        lambda content: content[: len(content) // 2],
        lambda content: content.replace(b'"version": 1', b'"version": "1"'),
        lambda content: content.replace(b'"format": 1', b'"format": 2'),
    ],
    ids=["truncated", "wrong-type", "unknown-format"],
)
def test_status_reports_a_damaged_state_and_which_directory_the_commands_read(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    damage: Any,
) -> None:
    """The sync state damaged on disk: every command warns, naming the file, and reads the
    shipped directory; ``directory status``, where an officer looks when in doubt, failed
    (exit 1) and said neither that nor which directory the commands read. It reports the
    folder, nothing in use, and the warning naming the file (exit 0, JSON as documented)."""
    from somnet import publish_directory, sync_folder, sync_status

    publish_directory(data, keys.private, site, version=1, name="caribbean")
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    path = sync_folder() / "state.json"
    path.write_bytes(damage(path.read_bytes()))
    damaged = path.read_bytes()
    shown = run(capsys, "directory", "show", "BS", "--format", "json")
    assert shown.exit_code == 0 and str(path) in shown.stderr
    status = sync_status()
    assert (status.installed, status.in_use, status.synced) == (False, False, None)
    assert [w for w in status.warnings if str(path) in w.reason]
    result = run(capsys, "directory", "status", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["installed"], report["in_use"]) == (False, False)
    assert [w for w in report["warnings"] if str(path) in w], report
    result = run(capsys, "directory", "status")
    assert result.exit_code == 0, result.stderr
    assert str(path) in result.stderr
    # Not what it says of a folder where nothing was ever synced.
    damaged_status = result.stdout
    path.unlink()
    assert damaged_status != run(capsys, "directory", "status").stdout
    path.write_bytes(damaged)
    # Nothing of the state was rewritten by looking.
    assert path.read_bytes() == damaged


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and devices are POSIX")
@pytest.mark.parametrize("kind", ["named-pipe", "device"])
def test_a_state_file_that_is_no_regular_file_is_damaged_and_nothing_waits_on_it(
    installed_v1: dict[str, bytes], folder: Path, kind: str
) -> None:
    """Every command reads the state: a named pipe in its place made every command wait for
    a writer (forever), and a link to a device such as /dev/zero read it without end. It is
    a state that cannot be read: the commands warn, naming the file, and read the shipped
    directory; ``status`` says so; a sync with URL and key starts afresh."""
    from somnet import sync_status

    path = folder / "state.json"
    path.unlink()
    if kind == "named-pipe":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    assert installed_base(folder) is None
    (warning,) = synced_copy_warnings(folder, now=NOW)
    assert str(path) in warning.reason
    status = sync_status(folder, now=NOW)
    assert (status.installed, status.in_use) == (False, False)
    with pytest.raises(StorageError, match=str(path)):
        sync_directory(cache=folder, now=NOW)


def test_a_state_file_that_is_a_link_to_nowhere_is_damaged_not_nothing_synced(
    installed_v1: dict[str, bytes],
    keys: KeyPair,
    server: SiteServer,
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A link to a file gone in place of the state (its target moved or deleted): a state that
    cannot be read, told as such, not "nothing was synced before" with a copy installed there;
    a sync with URL and key starts afresh and replaces the link, never what it named."""
    from somnet import sync_status

    path = folder / "state.json"
    path.unlink()
    path.symlink_to(folder.parent / "moved-state.json")
    (warning,) = synced_copy_warnings(folder, now=NOW)
    assert str(path) in warning.reason and "does not exist" in warning.reason
    status = sync_status(folder, now=NOW)
    assert (status.installed, status.in_use) == (False, False)
    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
    # The commands that read the directory say so too, where they read the shipped directory
    # without a word (the stat that tells them a copy was ever installed followed the link).
    read = run(capsys, "directory", "show", "HT", "--format", "json")
    assert read.exit_code == 0, read.stderr
    assert str(path) in read.stderr and "does not exist" in read.stderr, read.stderr
    done = run(capsys, "directory", "sync")
    assert done.exit_code == 1  # as for any state that cannot be read
    assert done.stderr.splitlines() == [
        f"somnet: {path}: a symbolic link to {folder.parent / 'moved-state.json'}, which does "
        "not exist; give the site's URL and the trust files to sync afresh"
    ]
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version) == ("installed", 1)
    assert not path.is_symlink() and not (folder.parent / "moved-state.json").exists()
    assert installed_base(folder) == result.copy


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("{", '{"etag": "old",', "$: 'etag' appears twice"),
        ('"current": {', '"current": {"sha256": "x",', "$.current: 'sha256' appears twice"),
    ],
    ids=["top-level", "nested"],
)
def test_a_state_file_with_a_key_twice_names_the_key_not_just_not_json(
    tmp_path: Path, old: str, new: str, reason: str
) -> None:
    """A state file edited by hand, or merged keeping both sides, with a name twice in one
    object is JSON: the state is damaged because of that key, not "not JSON"."""
    write_state(tmp_path, a_state())
    text = (tmp_path / "state.json").read_text()
    (tmp_path / "state.json").write_text(text.replace(old, new, 1))
    with pytest.raises(StorageError) as caught:
        load_state(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'state.json'}: the sync state is damaged ({reason}"
        " in one object (readers differ on which one they take))"
    )


def test_a_folder_in_place_of_the_state_file_is_named_with_what_to_do_and_what_is_read(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A folder where the sync state belongs (made by hand, or by a restore gone wrong): the
    commands said it was "not a regular file", a bare sync said to give the URL and trust
    files, and that sync, after fetching and checking everything, said "cannot write: Is a
    directory; nothing was installed", each time, as somnet never removes a folder it did not
    make. Each now names the file, says it is a folder and what to do (remove it, then sync
    with the URL and trust files), and that the commands read the shipped directory
    meanwhile; a sync says so before fetching anything. Once it is removed, a sync works."""
    path = folder / "state.json"
    path.unlink()
    path.mkdir()
    (path / "notes.txt").write_text("not somnet's")
    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
    damaged = (
        f"{path}: the sync state is damaged (a folder, not a file: somnet removes only what it "
        "made; remove it, then sync with the site's URL and the trust files)"
    )
    status = run(capsys, "directory", "status")
    assert status.exit_code == 0, status.stderr
    assert status.stderr.splitlines() == [
        f"somnet: warning: {damaged}; using the shipped directory"
    ]
    contact = run(capsys, "contact", "--flag", "HT", "--zone", "contiguous", "--brief")
    assert contact.exit_code == 0 and contact.stdout
    assert contact.stderr.splitlines() == [
        f"somnet: warning: {damaged}; using the shipped directory"
    ]
    refused = (
        f"somnet: {damaged}; the installed directory is unchanged: the commands read the "
        "shipped directory"
    )
    bare = run(capsys, "directory", "sync")
    assert (bare.exit_code, bare.stdout, bare.stderr.splitlines()) == (1, "", [refused])
    publish_v2(data, keys, site)
    given = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert (given.exit_code, given.stdout, given.stderr.splitlines()) == (1, "", [refused])
    assert server.paths() == []  # said before anything is fetched
    assert (path / "notes.txt").read_text() == "not somnet's"
    assert sorted(p.name for p in (folder / "copies").iterdir()) == [
        name.split("/")[1] for name in installed_v1 if name.endswith("/states/HT.toml")
    ]
    import shutil

    shutil.rmtree(path)
    again = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert again.exit_code == 0, again.stderr
    state = read_state(folder)
    assert state is not None and state.current.version == 2
