"""The sync folder on disk: a crash or a kill -9 at any moment leaves a copy that loads, one sync
at a time, leftovers removed only after a sync whose checks passed, and nothing deleted that
somnet did not create."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from somnet import (
    BadInputError,
    StorageError,
    VerificationError,
    load_directory,
    publish_directory,
    sync_directory,
)
from somnet.sharing.bundle import build_bundle
from somnet.sharing.install import MARK_NAME
from somnet.sharing.installed import SIGNED_RECORD_NAME, STATS_RECORD_NAME, installed_base
from somnet.sharing.manifest import manifest_bytes
from somnet.sharing.state import read_state
from tests.cli import run
from tests.factories import sample_files, write_layer
from tests.sharing.helpers import (
    NOW,
    OTHER_UID,
    SHARED_GROUP,
    KeyPair,
    Sleeps,
    assert_unchanged,
    do_sync,
    files_below,
    leftovers,
    manifest_for,
    publish_v2,
    rewrite_state,
    run_sync_process,
    second_version,
    signed_site,
    simulate_group,
    simulate_owner,
    snapshot,
    user_files,
    wait_for,
)
from tests.sharing.server import Fault, SiteServer


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


@pytest.mark.parametrize("fault", ["disk-full", "interrupted"])
def test_a_fault_between_the_files_of_the_new_copy_keeps_the_old_one(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
) -> None:
    """The bundle downloaded, its second file being unpacked: a full disk (ENOSPC) is one error
    naming the folder, an interruption (Ctrl-C) goes through; either way the installed copy is
    whole and in use, nothing half-written is left, and the next sync installs version 2."""
    import errno

    publish_v2(data, keys, site)
    real_fsync = os.fsync
    calls: list[int] = []

    def fsync(handle: int) -> None:
        calls.append(handle)
        if len(calls) == 3:  # the download's, the first file's, then the second file's
            if fault == "disk-full":
                raise OSError(errno.ENOSPC, "No space left on device")
            raise KeyboardInterrupt
        real_fsync(handle)

    monkeypatch.setattr(os, "fsync", fsync)
    if fault == "disk-full":
        with pytest.raises(
            StorageError,
            match=rf"{folder}: cannot install: No space left on device; the installed "
            r"directory is unchanged \(version 1\)",
        ):
            do_sync(server, keys, folder)
    else:
        with pytest.raises(KeyboardInterrupt):
            do_sync(server, keys, folder)
    monkeypatch.undo()
    assert len(calls) == 3
    assert_unchanged(folder, installed_v1)
    assert do_sync(server, keys, folder).version == 2
    assert leftovers(folder) == []


@pytest.mark.parametrize("moment", ["before", "after"])
def test_an_interrupt_at_the_rename_of_the_state_leaves_the_copy_it_names(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    moment: str,
) -> None:
    """A Ctrl-C in the instant after the rename of the state file (the install done) removed
    the new copy as a failed install's, leaving the state naming a copy gone from disk: every
    command fell back to version 1 and said version 2 was missing. Whichever side of the rename
    the interrupt lands on, the state names a copy that is on disk, whole, read without a
    warning, and nothing half-written is left."""
    from somnet._config import SYNC_STATE_NAME
    from somnet.sharing.installed import synced_copy_warnings

    publish_v2(data, keys, site)
    real_replace = os.replace
    interrupted: list[str] = []

    def replace(source: Any, target: Any) -> None:
        if Path(target).name != SYNC_STATE_NAME:
            real_replace(source, target)
            return
        interrupted.append(str(target))
        if moment == "after":
            real_replace(source, target)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        do_sync(server, keys, folder)
    monkeypatch.undo()
    assert interrupted == [str(folder / SYNC_STATE_NAME)]
    if moment == "before":
        assert_unchanged(folder, installed_v1)
    else:
        state = read_state(folder)
        assert state is not None and state.current.version == 2
        assert state.previous is not None and state.previous.version == 1
        assert installed_base(folder) == folder / state.current.folder
        assert synced_copy_warnings(folder, now=NOW) == []
        loaded = load_directory(base=folder / state.current.folder, use_env=False, today=NOW.date())
        assert loaded.states["BS"].notes == ("Second version of the directory.",)
        assert (folder / state.previous.folder).is_dir() and leftovers(folder) == []
    result = do_sync(server, keys, folder)
    assert result.version == 2 and result.outcome == (
        "installed" if moment == "before" else "not-modified"
    )
    assert leftovers(folder) == [] and synced_copy_warnings(folder, now=NOW) == []


@pytest.mark.parametrize(
    ("rename", "moment"),
    [("copy", "before"), ("copy", "after"), ("state", "before"), ("state", "after")],
)
def test_an_interrupt_in_a_reinstall_leaves_the_copy_the_state_names_whole(
    installed_v1: dict[str, bytes],
    keys: KeyPair,
    server: SiteServer,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    rename: str,
    moment: str,
) -> None:
    """The installed copy edited by hand is installed again, in a folder of its own. A Ctrl-C
    at the rename of the new copy into ``copies/``, or at the rename of the state, leaves the
    state naming a whole copy on disk: the old one, said to be edited, or the new one, said
    nothing of. The next sync leaves the signed copy and nothing else."""
    from somnet._config import SYNC_STATE_NAME
    from somnet.sharing.installed import synced_copy_warnings

    state = read_state(folder)
    assert state is not None
    bs = folder / state.current.folder / "states" / "BS.toml"
    pristine = bs.read_bytes()
    bs.write_bytes(pristine + b"\n# edited by hand\n")
    real_replace = os.replace
    interrupted: list[tuple[str, str]] = []

    def replace(source: Any, target: Any) -> None:
        renames = "state" if Path(target).name == SYNC_STATE_NAME else Path(target).parent.name
        if interrupted or renames != {"state": "state", "copy": "copies"}[rename]:
            real_replace(source, target)
            return
        interrupted.append((str(source), str(target)))
        if moment == "after":
            real_replace(source, target)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        do_sync(server, keys, folder)
    monkeypatch.undo()
    assert len(interrupted) == 1
    now = read_state(folder)
    assert now is not None
    copy = folder / now.current.folder
    assert installed_base(folder) == copy
    loaded = load_directory(base=copy, use_env=False, today=NOW.date())
    assert loaded.states["BS"].code == "BS"
    warnings = [str(warning) for warning in synced_copy_warnings(folder, now=NOW)]
    if (rename, moment) == ("state", "after"):  # the new copy is in
        assert now.current.folder != state.current.folder
        assert (copy / "states" / "BS.toml").read_bytes() == pristine
        assert warnings == []
    else:  # the old one, as it was
        assert now == state
        assert bs.read_bytes() == pristine + b"\n# edited by hand\n"
        [warning] = warnings
        assert "were changed since it was installed (states/BS.toml)" in warning, warning
    assert do_sync(server, keys, folder).version == 1
    after = read_state(folder)
    assert after is not None and leftovers(folder) == []
    assert (folder / after.current.folder / "states" / "BS.toml").read_bytes() == pristine
    assert [p.name for p in (folder / "copies").iterdir()] == [Path(after.current.folder).name]
    assert synced_copy_warnings(folder, now=NOW) == []


def test_a_sync_killed_at_any_instant_of_a_reinstall_leaves_a_whole_copy_in_use(
    installed_v1: dict[str, bytes],
    keys: KeyPair,
    server: SiteServer,
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The installed copy edited by hand is installed again. Its old folder was renamed aside,
    then the new copy renamed in: a kill -9 (or a power loss) between the two renames left the
    state naming a folder gone from disk, and every command read the shipped directory, saying
    version 1 was missing, until a sync could reach the site. The sync folder is taken as it is
    on disk at each instant a sync renames or removes something, as a kill there would leave it:
    the state names a whole copy on disk (the old one, said to be edited, or the new one, said
    nothing of), every command reads it, and the next sync leaves the signed copy and nothing
    else."""
    import shutil

    from somnet.sharing.installed import synced_copy_warnings

    state = read_state(folder)
    assert state is not None
    pristine = (folder / state.current.folder / "states" / "BS.toml").read_bytes()
    edited = pristine + b"\n# edited by hand\n"
    (folder / state.current.folder / "states" / "BS.toml").write_bytes(edited)
    instants: list[Path] = []

    def as_killed_now() -> None:
        kept = tmp_path / f"killed-{len(instants)}"
        real_copytree(folder, kept, symlinks=True)
        instants.append(kept)

    real_replace, real_rmtree, real_copytree = os.replace, shutil.rmtree, shutil.copytree

    def replace(source: Any, target: Any) -> None:
        as_killed_now()
        real_replace(source, target)

    def rmtree(path: Any, *args: Any, **kwargs: Any) -> None:
        as_killed_now()
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(shutil, "rmtree", rmtree)
    assert do_sync(server, keys, folder).version == 1
    monkeypatch.undo()
    as_killed_now()
    assert len(instants) >= 4
    for killed in instants:
        now_state = read_state(killed)
        assert now_state is not None and now_state.current.version == 1
        copy = killed / now_state.current.folder
        assert installed_base(killed) == copy, killed
        loaded = load_directory(base=copy, use_env=False, today=NOW.date())
        assert loaded.states["BS"].code == "BS"
        warnings = [str(warning) for warning in synced_copy_warnings(killed, now=NOW)]
        if (copy / "states" / "BS.toml").read_bytes() == pristine:  # the new copy is in
            assert warnings == [], killed
        else:  # the old one, as it was
            assert (copy / "states" / "BS.toml").read_bytes() == edited
            [warning] = warnings
            assert "were changed since it was installed (states/BS.toml)" in warning, warning
        result = do_sync(server, keys, killed)
        assert result.version == 1 and leftovers(killed) == [], killed
        after = read_state(killed)
        assert after is not None
        assert (killed / after.current.folder / "states" / "BS.toml").read_bytes() == pristine
        assert [p.name for p in (killed / "copies").iterdir()] == [Path(after.current.folder).name]
        assert synced_copy_warnings(killed, now=NOW) == []


def test_a_copy_left_aside_by_an_earlier_somnet_is_said_missing_and_installed_by_the_next_sync(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    folder: Path,
) -> None:
    """An earlier somnet renamed the copy it installed again aside (``.incoming-HEX``) before
    renaming the new one in: killed between the two, it left the state naming a folder gone
    from disk. The commands say so (and read the shipped directory, there being no previous
    copy), and the next sync installs the copy again and removes the one left aside."""
    import secrets

    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
    state = read_state(folder)
    assert state is not None
    os.replace(folder / state.current.folder, folder / f".incoming-{secrets.token_hex(8)}")
    missing = f"the synced directory (version 1) is missing from {folder / state.current.folder}"
    for command in (
        ["contact", "--flag", "HT", "--zone", "contiguous", "--brief"],
        ["directory", "validate"],
        ["directory", "status"],
    ):
        result = run(capsys, *command)
        assert result.exit_code == 0, result.stderr
        assert missing in result.stderr and "somnet directory sync" in result.stderr
    result = run(capsys, "directory", "sync")
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    assert leftovers(folder) == [] and installed_base(folder) == folder / state.current.folder
    result = run(capsys, "contact", "--flag", "HT", "--zone", "contiguous", "--brief")
    assert (result.exit_code, result.stderr) == (0, "")


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


@pytest.mark.parametrize("installed", ["installed", "previous"])
def test_records_a_killed_command_was_writing_in_a_kept_copy_are_removed_by_the_next_sync(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    installed: str,
) -> None:
    """A command killed while it wrote a record into an installed copy (its record of sizes,
    written again by any command that read the copy whole, or the signed manifest that renewed
    it) leaves that record's temporary file in a copy the next sync keeps: it is removed there,
    and nothing else in the copy is."""
    publish_v2(data, keys, site)
    assert do_sync(server, keys, folder).version == 2
    state = read_state(folder)
    assert state is not None and state.previous is not None
    copy = folder / (state.current.folder if installed == "installed" else state.previous.folder)
    litter = [
        copy / f".{STATS_RECORD_NAME}.k1ll3d.tmp",  # as write_atomic names them
        copy / f".{SIGNED_RECORD_NAME}.k1ll3d.tmp",
    ]
    for path in litter:
        path.write_bytes(b"{")
    kept = copy / "notes.txt.tmp"  # not a name somnet gives: not somnet's to remove
    kept.write_bytes(b"mine")
    assert do_sync(server, keys, folder).outcome == "not-modified"
    assert [path for path in litter if path.exists()] == []
    assert kept.read_bytes() == b"mine"


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


def test_an_empty_folder_is_taken_and_marked_as_somnet_s(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    assert do_sync(server, keys, empty).version == 1
    marks = [p.name for p in empty.iterdir() if p.name.startswith(".somnet")]
    assert len(marks) == 1 and (empty / marks[0]).is_file()
    # Marked, it is accepted again although it is no longer empty.
    assert do_sync(server, keys, empty).outcome == "not-modified"


def test_a_sync_folder_without_its_mark_is_refused_and_nothing_deleted(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    """Without the mark, somnet cannot tell the folder is its own: it deletes nothing there."""
    (folder / MARK_NAME).unlink()
    (folder / ".download-abc.tmp").write_bytes(b"partial")
    before = files_below(folder)
    publish_v2(data, keys, site)
    with pytest.raises(BadInputError, match="not a sync folder somnet created") as caught:
        do_sync(server, keys, folder)
    assert caught.value.field == "cache"
    assert files_below(folder) == before


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


def test_a_copies_folder_that_is_a_file_is_refused_naming_it_and_kept(
    installed_v1: dict[str, bytes],
    keys: KeyPair,
    server: SiteServer,
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A file where somnet keeps its copies: refused as the user's mistake (exit 2), naming
    the file, not a disk failure of the whole folder ("File exists"); the file is not removed."""
    import shutil

    shutil.rmtree(folder / "copies")
    (folder / "copies").write_bytes(b"not a folder\n")
    with pytest.raises(BadInputError, match=r"copies: not a folder") as caught:
        do_sync(server, keys, folder)
    assert caught.value.field == "cache"
    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
    done = run(capsys, "directory", "sync")
    assert done.exit_code == 2
    assert done.stderr.splitlines() == [
        f"somnet: SOMNET_SYNC_DIR: {folder / 'copies'}: not a folder; somnet keeps its copies "
        "there and removes nothing it did not make (move it away)"
    ]
    assert (folder / "copies").read_bytes() == b"not a folder\n"


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
    publish_directory(
        second_version(data), other_keys.private, site, version=2, now=NOW, name="caribbean"
    )
    with pytest.raises(VerificationError, match="not a trusted key"):
        do_sync(server, keys, folder)
    assert (folder / ".download-abc.tmp").exists()
    assert (folder / "copies" / "9-0123456789ab").is_dir()
    publish_directory(
        second_version(data), keys.private, site, version=3, now=NOW, name="caribbean"
    )
    assert do_sync(server, keys, folder).version == 3
    assert not (folder / ".download-abc.tmp").exists()
    assert not (folder / "copies" / "9-0123456789ab").exists()
    assert (folder / "copies" / "contracts" / "a.pdf").read_bytes() == b"pdf"


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
    signed_site(site, keys, manifest_bytes(manifest), (manifest.bundle.name, content))
    with pytest.raises(VerificationError, match=r"is not a relative path to a \.toml file"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)
    assert not (folder.parent / "escape.toml").exists()


@pytest.mark.parametrize("path", ["states/CON.toml", "aux.toml", "lpt1/a.toml", "states./a.toml"])
def test_a_bundle_naming_a_windows_device_is_refused_on_every_platform(
    installed_v1: dict[str, bytes],
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    path: str,
) -> None:
    """A signed bundle whose file is named as a device on Windows (or ends in a dot) is
    refused wherever the sync runs, naming the entry: one directory installs on every
    agency's machine or on none."""
    content = json.dumps(
        {"format": "somnet-directory-bundle/1", "files": {path: "x = 1\n"}}
    ).encode()
    manifest = manifest_for(content, keys, version=2)
    signed_site(site, keys, manifest_bytes(manifest), (manifest.bundle.name, content))
    with pytest.raises(VerificationError, match=rf"file name {re.escape(repr(path))} .*Windows"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_a_signed_bundle_that_lists_a_file_twice_is_refused(
    installed_v1: dict[str, bytes], keys: KeyPair, site: Path, server: SiteServer, folder: Path
) -> None:
    """JSON lets a name appear twice in one object, and readers differ on which value they
    keep: a bundle listing a file twice is two directories under one hash, and is refused
    rather than read as the last one."""
    files = json.loads(build_bundle(second_version(site.parent / "data2"))[0])["files"]
    edited = files["states/BS.toml"].replace("Second version", "Another text")
    pairs = [json.dumps(path) + ":" + json.dumps(text) for path, text in files.items()]
    pairs.append(json.dumps("states/BS.toml") + ":" + json.dumps(edited))
    content = ('{"files":{' + ",".join(pairs) + '},"format":"somnet-directory-bundle/1"}').encode()
    manifest = manifest_for(content, keys, version=2)
    signed_site(site, keys, manifest_bytes(manifest), (manifest.bundle.name, content))
    with pytest.raises(
        VerificationError,
        match=r"not a directory bundle: \$\.files: 'states/BS\.toml' appears twice",
    ):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_a_signed_bundle_with_a_lone_surrogate_is_refused(
    installed_v1: dict[str, bytes], keys: KeyPair, site: Path, server: SiteServer, folder: Path
) -> None:
    content = json.dumps(
        {"format": "somnet-directory-bundle/1", "files": {"states/BS.toml": "x = '\ud800'\n"}}
    ).encode()
    manifest = manifest_for(content, keys, version=2)
    signed_site(site, keys, manifest_bytes(manifest), (manifest.bundle.name, content))
    with pytest.raises(VerificationError, match="not a directory bundle"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


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
    signed_site(site, keys, manifest_bytes(manifest), (manifest.bundle.name, content))
    with pytest.raises(
        VerificationError,
        match=r"bundle directory-2-\w+\.json \(version 2\) holds an invalid directory: "
        r"states/BS.toml: \$\.agencies\[0\]\.roles\[0\]: 'wizardry' is not a role",
    ):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


@pytest.mark.skipif(os.name != "posix", reason="a file size limit (RLIMIT_FSIZE) is POSIX")
@pytest.mark.parametrize("limit", [0, 4096], ids=["no-byte", "4-KiB"])
def test_a_disk_that_fills_during_the_sync_is_one_line_exit_1_and_keeps_the_copy(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    limit: int,
) -> None:
    """A real write fault, not a mock: the sync runs in a process whose files may not grow past
    ``limit`` bytes (the kernel answers EFBIG, as a full disk answers ENOSPC): with no byte, the
    lock file cannot say who holds it; with 4 KiB, the bundle (about 11 kB) cannot be written
    while it downloads."""
    import subprocess
    import sys

    publish_v2(data, keys, site)
    code = (
        f"import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit})); "
        "from somnet_cli.main import main; sys.exit(main(sys.argv[1:]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "directory", "sync", "--cache", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert_unchanged(folder, installed_v1)


def _writable_by_others(folder: Path) -> list[str]:
    """The folders and files below ``folder`` (itself included) that other users may change."""
    import stat

    items = [folder, *folder.rglob("*")]
    return sorted(
        str(p) for p in items if not p.is_symlink() and stat.S_IMODE(p.stat().st_mode) & 0o022
    )


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_sync_folder_other_users_can_write_is_refused_and_nothing_written(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, tmp_path: Path
) -> None:
    """Whoever may write in the sync folder can replace state.json or a copy, and every command
    would read their directory: a folder open to every user is refused, as ssh refuses one."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    with pytest.raises(BadInputError) as caught:
        do_sync(server, keys, shared)
    assert caught.value.field == "cache"
    assert list(shared.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_state_file_other_users_can_change_is_refused_and_nothing_installed(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    """The state names the site and the trust files the scheduled sync uses: whoever may edit
    it names their own key, and the next bare sync installed their directory (as a recovery
    from a revoked key). A state file open to every user is refused as a trust file is, before
    anything is fetched."""
    state = folder / "state.json"
    state.chmod(0o666)
    rewrite_state(folder, trust=[str(other_keys.public)])  # another user, editing in place
    edited = snapshot(folder)
    publish_directory(
        second_version(data), other_keys.private, site, version=2, now=NOW, name="caribbean"
    )
    with pytest.raises(BadInputError) as caught:
        sync_directory(cache=folder, now=NOW, sleep=Sleeps())
    assert caught.value.field == "cache"
    assert str(caught.value) == (
        f"cache: {state}: mode 0666 lets every user of this machine change the site and the "
        f"keys the next sync trusts; somnet reads its sync state only from a file others "
        f"cannot change (check it, then chmod o-w {state})"
    )
    assert server.paths() == [] and snapshot(folder) == edited


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("group", ["shared", "none"])
@pytest.mark.parametrize("opened", ["folder", "copies", "state"])
def test_a_sync_folder_or_state_its_group_can_change_is_refused_and_nothing_installed(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    opened: str,
    group: str,
) -> None:
    """A member of the folder's group who may write in it (or in copies, or change the state)
    can name their own key in the state, and the next bare sync installs their directory: as
    ssh refuses a group-writable authorized_keys, the sync refuses them where the group holds
    another user than the owner (or the system has no entry for it), naming the path, its
    mode and its group, and how to close it (chmod g-w), before anything is fetched."""
    simulate_group(monkeypatch, group)
    target = {"folder": folder, "copies": folder / "copies", "state": folder / "state.json"}[opened]
    target.chmod(target.stat().st_mode | 0o020)
    mode = f"{target.stat().st_mode & 0o7777:04o}"
    named = SHARED_GROUP if group == "shared" else str(target.stat().st_gid)
    if opened == "state":
        rewrite_state(folder, trust=[str(other_keys.public)])  # a member, editing in place
        before = snapshot(folder)
        publish_directory(
            second_version(data), other_keys.private, site, version=2, now=NOW, name="caribbean"
        )
        with pytest.raises(BadInputError) as caught:
            sync_directory(cache=folder, now=NOW, sleep=Sleeps())
    else:
        before = snapshot(folder)
        publish_v2(data, keys, site)
        with pytest.raises(BadInputError) as caught:
            do_sync(server, keys, folder)
    assert caught.value.field == "cache"
    if opened == "state":
        assert caught.value.reason == (
            f"{target}: mode {mode} lets the members of group {named} change the site and the "
            f"keys the next sync trusts; somnet reads its sync state only from a file no other "
            f"user can change (check it, then chmod g-w {target})"
        )
    else:
        assert caught.value.reason == (
            f"{target}: mode {mode} lets the members of group {named} replace the synced "
            f"directory; somnet keeps it only in a folder no other user can write in (chmod "
            f"g-w {target}; to share it, let one account sync and the group read)"
        )
    assert server.paths() == [] and snapshot(folder) == before


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("opened", ["folder", "copies", "state"])
def test_a_sync_folder_or_state_only_its_owners_private_group_can_change_is_used(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    opened: str,
) -> None:
    """A group with no member but the owner (the group of their own Debian and Ubuntu give
    each user, which their umask 002 lets write) lets no one else write: the sync goes on, as
    ssh on Debian reads such an authorized_keys."""
    simulate_group(monkeypatch, "private")
    target = {"folder": folder, "copies": folder / "copies", "state": folder / "state.json"}[opened]
    target.chmod(target.stat().st_mode | 0o020)
    publish_v2(data, keys, site)
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version) == ("installed", 2)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_new_sync_folder_its_group_can_write_in_is_refused_and_nothing_written(
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
) -> None:
    """An empty folder made beforehand under umask 002 (0775) whose group is a team's: refused
    as one open to every user is, with nothing written in it."""
    simulate_group(monkeypatch, "shared")
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o775)
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    with pytest.raises(BadInputError) as caught:
        do_sync(server, keys, shared)
    assert caught.value.field == "cache"
    assert f"group {SHARED_GROUP}" in caught.value.reason
    assert f"chmod g-w {shared}" in caught.value.reason
    assert list(shared.iterdir()) == []
    assert server.paths() == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_new_sync_folder_only_its_owners_private_group_can_write_in_is_used(
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
) -> None:
    """The same folder whose group is its owner's own (Debian's and Ubuntu's users under their
    umask 002): the sync installs into it, and leaves its mode as the user made it."""
    simulate_group(monkeypatch, "private")
    mine = tmp_path / "mine"
    mine.mkdir()
    mine.chmod(0o775)
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    result = do_sync(server, keys, mine)
    assert (result.outcome, result.version) == ("installed", 1)
    assert installed_base(mine) == result.copy
    assert mine.stat().st_mode & 0o7777 == 0o775


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown: root only")
@pytest.mark.parametrize("owned", ["folder", "copies", "state"])
def test_a_sync_folder_or_state_owned_by_another_user_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    owned: str,
) -> None:
    """Another user who owns the sync folder (or its state) may replace the copy, or edit the
    keys the next sync trusts, without any mode open to others; as ssh refuses files owned by
    another user, the sync refuses them, naming the path and its owner (root's are taken)."""
    target = {"folder": folder, "copies": folder / "copies", "state": folder / "state.json"}[owned]
    publish_v2(data, keys, site)
    os.chown(target, 65534, -1)
    with pytest.raises(BadInputError) as caught:
        do_sync(server, keys, folder)
    assert caught.value.field == "cache"
    assert str(caught.value).startswith(f"cache: {target}: owned by another user (uid 65534)")
    assert server.paths() == []
    os.chown(target, 0, -1)
    assert_unchanged(folder, installed_v1)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_sync_under_umask_0_leaves_nothing_other_users_can_change(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, folder: Path
) -> None:
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    before = os.umask(0)
    try:
        assert do_sync(server, keys, folder).outcome == "installed"
    finally:
        os.umask(before)
    assert _writable_by_others(folder) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("opened", ["", "copies", "copy", "state.json"])
def test_a_synced_copy_other_users_can_change_is_not_read(
    installed_v1: dict[str, bytes],
    folder: Path,
    opened: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Opened to every user after the sync (a chmod -R 777 to share it): the commands read the
    shipped directory with a warning, and status says the copy is not in use. The state file
    too: it names the copy read and its expiry, which another user could move back or on."""
    from somnet import sync_status
    from somnet.sharing.installed import installed_base, synced_copy_warnings

    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))  # the folder the commands read
    base = installed_base(folder)
    assert base is not None and sync_status(now=NOW).in_use
    target = {"": folder, "copies": folder / "copies", "copy": base}.get(opened, folder / opened)
    target.chmod(0o777)
    assert installed_base(folder) is None
    (warning,) = synced_copy_warnings(folder, now=NOW)
    assert str(target) in warning.reason
    status = sync_status(now=NOW)
    assert not status.in_use and "shipped directory" in status.note
    assert str(target) in " ".join(warning.reason for warning in status.warnings)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("group", ["shared", "none"])
@pytest.mark.parametrize("opened", ["", "copies", "copy", "state.json"])
def test_a_synced_copy_the_members_of_its_group_can_change_is_not_read(
    installed_v1: dict[str, bytes],
    folder: Path,
    opened: str,
    group: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Made writable by a group that holds another user (or one the system has no entry for)
    after the sync (a chmod -R g+w to share it): the sync would refuse to write there, and the
    commands read it all the same. They read the shipped directory instead, saying so as for
    every user (the path, its mode, its group and chmod g-w), and status says the copy is not
    in use."""
    from somnet import sync_status
    from somnet.sharing.installed import copy_warnings, installed_base, synced_copy_warnings

    simulate_group(monkeypatch, group)
    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))  # the folder the commands read
    base = installed_base(folder)
    assert base is not None and sync_status(now=NOW).in_use
    target = {"": folder, "copies": folder / "copies", "copy": base}.get(opened, folder / opened)
    target.chmod(target.stat().st_mode | 0o020)
    mode = f"{target.stat().st_mode & 0o7777:04o}"
    named = SHARED_GROUP if group == "shared" else str(target.stat().st_gid)
    assert installed_base(folder) is None
    (warning,) = synced_copy_warnings(folder, now=NOW)
    assert warning.reason == (
        f"{target}: mode {mode} lets the members of group {named} change the synced directory: "
        f"it is not read, using the shipped directory (chmod g-w {target}, then sync again)"
    )
    # Of a folder the commands do not look in (status --cache), what they read is not told.
    assert [warning.reason for warning in copy_warnings(folder, now=NOW, read=False)] == [
        f"{target}: mode {mode} lets the members of group {named} change the synced directory: "
        f"the commands would not read it (chmod g-w {target}, then sync again)"
    ]
    status = sync_status(now=NOW)
    assert not status.in_use and "shipped directory" in status.note
    assert str(target) in " ".join(warning.reason for warning in status.warnings)
    assert load_directory().layers[0] != base


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("opened", ["", "copies", "copy", "state.json"])
def test_a_synced_copy_only_its_owners_private_group_can_change_is_read(
    installed_v1: dict[str, bytes],
    folder: Path,
    opened: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same, where the group holds its owner alone (Debian's and Ubuntu's user groups, under
    their umask 002): no one else may change it, so the commands read it, with no warning."""
    from somnet import sync_status
    from somnet.sharing.installed import installed_base, synced_copy_warnings

    simulate_group(monkeypatch, "private")
    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
    base = installed_base(folder)
    assert base is not None
    target = {"": folder, "copies": folder / "copies", "copy": base}.get(opened, folder / opened)
    target.chmod(target.stat().st_mode | 0o020)
    assert installed_base(folder) == base
    assert synced_copy_warnings(folder, now=NOW) == []
    assert sync_status(now=NOW).in_use
    assert load_directory().layers[0] == base


_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
_OWNERS = [
    "patched",
    pytest.param("chowned", marks=pytest.mark.skipif(not _AS_ROOT, reason="chown: root only")),
]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("how", _OWNERS)
@pytest.mark.parametrize("owned", ["copies", "copy", "state.json"])
def test_a_synced_copy_another_user_owns_is_not_read(
    installed_v1: dict[str, bytes],
    folder: Path,
    owned: str,
    how: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Owned by another user than this one, root or the sync folder's owner (chowned after the
    sync, or left by an earlier account): its owner may change the copy, or the state that
    names it, whatever its mode, as sync refuses it. The commands read the shipped directory,
    saying so (the path, its owner's uid), and status says the copy is not in use."""
    from somnet import sync_status
    from somnet.sharing.installed import copy_warnings, synced_copy_warnings

    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))  # the folder the commands read
    base = installed_base(folder)
    assert base is not None and sync_status(now=NOW).in_use
    target = {"copies": folder / "copies", "copy": base}.get(owned, folder / owned)
    owner = simulate_owner(monkeypatch, target, how)
    assert installed_base(folder) is None
    (warning,) = synced_copy_warnings(folder, now=NOW)
    assert warning.reason == (
        f"{target}: owned by another user (uid {owner}) than the sync folder's owner, who may "
        "change the synced directory whatever its mode: it is not read, using the shipped "
        "directory (chown it to the sync folder's owner, then sync again)"
    )
    assert [warning.reason for warning in copy_warnings(folder, now=NOW, read=False)] == [
        f"{target}: owned by another user (uid {owner}) than the sync folder's owner, who may "
        "change the synced directory whatever its mode: the commands would not read it (chown "
        "it to the sync folder's owner, then sync again)"
    ]
    status = sync_status(now=NOW)
    assert not status.in_use and "shipped directory" in status.note
    assert str(target) in status.note
    assert load_directory().layers[0] != base


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("how", _OWNERS)
def test_a_synced_copy_the_account_that_syncs_owns_is_read(
    installed_v1: dict[str, bytes], folder: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A team shares one synced directory: a service account syncs into a folder of its own,
    and the members' SOMNET_SYNC_DIR names it. Its owner is the one who syncs, who may replace
    anything in it anyway: what it owns there is read, with no warning; what root owns too."""
    from somnet import sync_status
    from somnet.sharing.installed import synced_copy_warnings

    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
    base = installed_base(folder)
    assert base is not None
    for path in (folder, folder / "copies", base, folder / "state.json"):
        simulate_owner(monkeypatch, path, how)
    assert installed_base(folder) == base
    assert synced_copy_warnings(folder, now=NOW) == []
    assert sync_status(now=NOW).in_use
    assert load_directory().layers[0] == base
    simulate_owner(monkeypatch, base, "patched", uid=0)
    assert installed_base(folder) == base
    assert synced_copy_warnings(folder, now=NOW) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_copy_a_third_user_owns_in_the_syncing_accounts_folder_is_not_read(
    installed_v1: dict[str, bytes], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a folder another account syncs into, a copy owned by yet another user (neither this
    one, root nor the folder's owner) is theirs to change: not read."""
    from somnet.sharing.installed import synced_copy_warnings

    base = installed_base(folder)
    assert base is not None
    for path in (folder, folder / "copies", folder / "state.json"):
        simulate_owner(monkeypatch, path, "patched")
    simulate_owner(monkeypatch, base, "patched", uid=OTHER_UID + 1)
    assert installed_base(folder) is None
    (warning,) = synced_copy_warnings(folder, now=NOW)
    assert warning.reason.startswith(f"{base}: owned by another user (uid {OTHER_UID + 1})")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_previous_copy_the_members_of_its_group_can_change_is_no_fallback(
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The previous good copy, read when the installed one is gone, is no fallback once a group
    with another user in it may change it: the shipped directory is read, and the warning says
    why, naming the group."""
    import shutil

    from somnet import sync_status
    from somnet.directory.loading import shipped_data_dir
    from somnet.sharing.installed import synced_copy_warnings

    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    do_sync(server, keys, folder)
    publish_v2(data, keys, site)
    do_sync(server, keys, folder)
    state = read_state(folder)
    assert state is not None and state.previous is not None
    current, previous = folder / state.current.folder, folder / state.previous.folder
    shutil.rmtree(current)
    assert load_directory().layers == (previous,)
    simulate_group(monkeypatch, "shared")
    previous.chmod(0o775)
    assert load_directory().layers == (shipped_data_dir(),)
    (_missing, warning) = synced_copy_warnings(folder, now=NOW)
    assert warning.reason == (
        f"{previous}: mode 0775 lets the members of group {SHARED_GROUP} change the synced "
        f"directory: it is not read, using the shipped directory (chmod g-w {previous}, then "
        "sync again)"
    )
    status = sync_status()
    assert status.synced is not None and status.synced.previous_version is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_synced_copy_is_readable_as_its_files_are(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, folder: Path
) -> None:
    """A service account syncs, the officers' accounts read (SOMNET_SYNC_DIR shared): the copy's
    folders must be as readable as its files (0644) and its state (0644), not 0700."""
    import stat

    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    copy = do_sync(server, keys, folder).copy
    closed = sorted(
        str(p)
        for p in [folder, folder / "copies", copy, *copy.rglob("*")]
        if stat.S_IMODE(p.stat().st_mode) & 0o005 != (0o005 if p.is_dir() else 0o004)
    )
    assert closed == []


def test_a_sync_folder_on_a_filesystem_without_locks_still_syncs(
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """flock refused because the filesystem has no locks (ENOLCK, EOPNOTSUPP) is not another
    sync holding the folder: the sync goes on, with a warning, instead of saying forever that
    another sync is running there."""
    import errno
    import fcntl

    def no_locks(handle: int, operation: int) -> None:
        raise OSError(errno.EOPNOTSUPP, os.strerror(errno.EOPNOTSUPP))

    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    monkeypatch.setattr(fcntl, "flock", no_locks)
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version) == ("installed", 1)
    assert len(result.warnings) == 2  # plain http, and no lock


@pytest.mark.parametrize("where", ["file", "below-a-file"])
def test_a_sync_folder_that_is_a_file_is_bad_input_naming_it(
    keys: KeyPair, server: SiteServer, tmp_path: Path, where: str
) -> None:
    """--cache naming a file (or a path below one) is the user's mistake, not a failure of the
    disk: exit 2, naming the flag's field, and the file untouched."""
    taken = tmp_path / "notes.txt"
    taken.write_text("mine\n")
    cache = taken if where == "file" else taken / "synced"
    with pytest.raises(BadInputError) as caught:
        do_sync(server, keys, cache)
    assert (caught.value.field, caught.value.exit_code) == ("cache", 2)
    assert taken.read_text() == "mine\n"


def test_a_sync_without_a_lock_leaves_the_files_of_another_sync_alone(
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the filesystem has no locks, another sync may be running in the folder: its
    download and its copy being unpacked are not a killed sync's leftovers, and a sync that
    ends must not remove them from under it."""
    import errno
    import fcntl

    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    do_sync(server, keys, folder)  # the folder is a sync folder, version 1 installed
    running = [folder / ".download-abc123.tmp", folder / ".incoming-0123456789abcdef"]
    running[0].write_bytes(b"half a bundle")
    running[1].mkdir()

    def no_locks(handle: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    assert do_sync(server, keys, folder).version == 2
    assert all(path.exists() for path in running)


@pytest.mark.parametrize("moment", ["is_file", "iterdir"])
def test_two_first_syncs_into_a_new_folder_never_call_it_someone_elses(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
    moment: str,
) -> None:
    """Two first syncs into a new folder (a cron job and a person, both starting): one marks
    it as somnet's and syncs while the other is between finding no mark and listing the folder.
    The second said the folder was "not a sync folder somnet created: it holds
    '.somnet-sync-folder'", or that the mark "is not the file somnet marks its sync folders
    with", exit 2: bad input, about somnet's own mark. It must see the folder is somnet's and
    sync in turn (or, while the first still runs, say that another sync is running, exit 1).
    The other sync is run at that moment of this one, as a race would have it."""
    from somnet.sharing import install

    new = tmp_path / "new"
    mark = new / install.MARK_NAME
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    raced: list[Any] = []
    real = getattr(Path, moment)

    def other_sync() -> None:
        raced.append(None)  # once
        raced[0] = do_sync(server, keys, new)

    def racing(self: Path, *args: Any) -> Any:
        if moment == "is_file":
            found = real(self, *args)
            if self == mark and not raced:
                other_sync()  # right after this one looked for the mark
            return found
        if self == new and not raced:
            other_sync()  # right before this one lists the folder
        return real(self, *args)

    monkeypatch.setattr(Path, moment, racing)
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(keys.public), "--cache", str(new)
    )
    assert [r.outcome for r in raced] == ["installed"]
    assert result.exit_code == 0, result.stderr
    assert leftovers(new) == []


def test_a_first_sync_while_another_first_sync_runs_says_so_exit_1(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
) -> None:
    """Two first syncs into a new folder, the first still downloading: the second is told that
    another sync is running there (a world failure, exit 1), nothing of the first disturbed."""
    import threading

    new = tmp_path / "new"
    result = publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    bundle = "/" + result.bundle
    server.fault(bundle, Fault("hold", times=1))  # the first sync waits there, holding the lock
    outcome: list[Any] = []
    first = threading.Thread(target=lambda: outcome.append(do_sync(server, keys, new)))
    first.start()
    try:
        wait_for(lambda: bundle in server.paths(), "the first sync to ask for the bundle")
        second = run(
            capsys,
            "directory",
            "sync",
            server.url,
            "--trust",
            str(keys.public),
            "--cache",
            str(new),
        )
    finally:
        server.release.set()
        first.join()
    assert second.exit_code == 1, second.stderr
    assert "another sync is running there" in second.stderr
    assert [r.outcome for r in outcome] == ["installed"]
    assert leftovers(new) == []


@pytest.mark.parametrize("how", ["missing", "not loading"])
def test_a_previous_copy_other_users_can_change_is_no_fallback(
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    """A copy every user may change is not read: the installed one was refused, but the
    previous good copy, read when the installed one stops loading (or is gone), was read
    whatever its mode. Opened to every user, it is no fallback: the shipped directory is read,
    and status says so."""
    import shutil

    from somnet import sync_status
    from somnet.directory.loading import shipped_data_dir
    from tests.sharing.helpers import stricter_checks

    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))  # the folder the commands read
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    do_sync(server, keys, folder)
    publish_v2(data, keys, site)
    do_sync(server, keys, folder)
    state = read_state(folder)
    assert state is not None and state.previous is not None
    current, previous = folder / state.current.folder, folder / state.previous.folder
    if how == "missing":
        shutil.rmtree(current)
    else:
        stricter_checks(current)
    assert load_directory().layers == (previous,)
    previous.chmod(0o777)
    assert load_directory().layers == (shipped_data_dir(),)
    status = sync_status()
    assert "shipped directory" in status.note and str(previous) not in status.note
    assert status.synced is not None and status.synced.previous_version is None
