"""The status of a sync folder: what is there, whether the commands read it, and the JSON of
``somnet directory status``."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from somnet import sync_folder, sync_status
from tests.cli import run
from tests.sharing.helpers import NOW, KeyPair, do_sync
from tests.sharing.server import SiteServer


def test_nothing_synced_is_said_with_the_folder_only() -> None:
    status = sync_status(now=NOW)
    assert (status.installed, status.in_use, status.synced) == (False, False, None)
    assert status.to_json() == {
        "folder": str(sync_folder()),
        "installed": False,
        "in_use": False,
        "note": "nothing synced: commands read the shipped directory",
        "warnings": [],
    }


def test_a_copy_in_the_default_folder_is_in_use(
    keys: KeyPair, site: Path, server: SiteServer, installed_v1: dict[str, bytes]
) -> None:
    result = do_sync(server, keys, sync_folder())
    status = sync_status(now=NOW)
    assert status.in_use and status.synced is not None and status.synced.copy == result.copy
    value = status.to_json()
    assert value["copy"] == str(result.copy) and value["version"] == 1
    assert value["expires"] == "2026-12-27T12:00:00Z" and value["expired"] is False
    assert value["previous_version"] is None and value["key_trusted"] is True


def test_a_copy_kept_elsewhere_is_not_in_use(installed_v1: dict[str, bytes], folder: Path) -> None:
    status = sync_status(folder, now=NOW)
    assert status.installed and not status.in_use
    assert f"set SOMNET_SYNC_DIR={folder}" in status.note


def test_a_missing_copy_is_said_and_warned_about(
    installed_v1: dict[str, bytes], folder: Path
) -> None:
    status = sync_status(folder, now=NOW)
    assert status.synced is not None
    shutil.rmtree(status.synced.copy)
    status = sync_status(folder, now=NOW)
    assert not status.installed and "missing" in status.note
    (warning,) = status.warnings
    assert warning.sync_again and "is missing from" in warning.reason


def test_status_says_which_copy_the_commands_read_when_the_synced_one_no_longer_loads(
    data: Path, keys: KeyPair, site: Path, server: SiteServer
) -> None:
    """A copy that validated when installed can stop loading (a newer somnet checks more, a
    file is damaged): the commands then read the previous good copy, else the shipped
    directory, and status must say so rather than call the broken copy in use."""
    from somnet import load_directory, publish_directory
    from somnet.directory.loading import shipped_data_dir
    from somnet.sharing.state import read_state
    from tests.sharing.helpers import second_version, stricter_checks

    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    do_sync(server, keys, sync_folder())
    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    do_sync(server, keys, sync_folder())
    state = read_state(sync_folder())
    assert state is not None and state.previous is not None
    current, previous = sync_folder() / state.current.folder, sync_folder() / state.previous.folder
    assert sync_status(now=NOW).in_use and sync_status(now=NOW).warnings == ()

    stricter_checks(current)
    assert load_directory().layers == (previous,)  # what the commands read
    status = sync_status(now=NOW)
    assert not status.in_use and status.to_json()["in_use"] is False
    assert status.synced is not None and status.synced.loads is False
    assert str(previous) in status.note
    assert len(status.warnings) == 1 and not status.warnings[0].sync_again

    stricter_checks(previous)  # the previous good copy is no fallback either
    assert load_directory().layers == (shipped_data_dir(),)
    status = sync_status(now=NOW)
    assert not status.in_use and "shipped directory" in status.note
    assert len(status.warnings) == 2


def test_status_reads_the_copy_with_the_overlays_of_somnet_data_as_the_commands_do(
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The agency lays its own overlay over the synced copy (``SOMNET_DATA``). A new version
    from the office clashes with it (the office now has, in another state, an agency under the
    id the overlay gave its own): the commands, which read the overlay, fall back to the
    previous good copy. ``status`` must say what they read, not call the new copy in use."""
    import copy

    from somnet import load_directory, publish_directory
    from somnet.sharing.state import read_state
    from tests.factories import sample_files, write_layer
    from tests.sharing.helpers import synced

    files = sample_files()
    liaison = copy.deepcopy(files["states/BS.toml"]["agencies"][2])
    liaison["id"], liaison["contacts"][0]["id"] = "bs-liaison", "bs-liaison-desk"
    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": [liaison]}})
    monkeypatch.setenv("SOMNET_DATA", str(overlay))
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    do_sync(server, keys, sync_folder())
    assert sync_status(now=NOW).in_use
    other = copy.deepcopy(files["states/HT.toml"]["agencies"][0])
    other["id"], other["contacts"] = "bs-liaison", []
    files["states/HT.toml"]["agencies"].append(other)
    publish_directory(
        write_layer(data, files), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    result = do_sync(server, keys, sync_folder())
    assert result.version == 2 and synced(sync_folder()).previous_version == 1
    state = read_state(sync_folder())
    assert state is not None and state.previous is not None
    previous = sync_folder() / state.previous.folder
    loaded = load_directory(today=NOW.date())
    assert loaded.layers == (previous, overlay) and loaded.warnings  # what the commands read

    status = sync_status(now=NOW)
    assert status.synced is not None and status.synced.loads is False
    assert not status.in_use and status.to_json()["in_use"] is False
    assert len(status.warnings) == 1 and "extra.toml" in status.warnings[0].reason
    assert str(previous) in status.note
    # Without the overlay, the new copy is read again, and status says so.
    monkeypatch.delenv("SOMNET_DATA")
    assert load_directory(today=NOW.date()).layers == (result.copy,)
    status = sync_status(now=NOW)
    assert status.in_use and status.warnings == ()


def test_a_previous_copy_gone_from_disk_is_not_said_to_be_kept(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    """``status`` said "previous: version 1 kept" (``previous_version`` 1) after the previous
    copy's folder was removed (a disk clean-up): there is nothing to fall back on."""
    from somnet import publish_directory
    from somnet.sharing.state import read_state
    from tests.sharing.helpers import second_version

    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    do_sync(server, keys, folder)
    state = read_state(folder)
    assert state is not None and state.previous is not None
    status = sync_status(folder, now=NOW)
    assert status.synced is not None and status.synced.previous_version == 1
    shutil.rmtree(folder / state.previous.folder)
    status = sync_status(folder, now=NOW)
    assert status.synced is not None and status.synced.previous_version is None


def test_an_overlay_that_loads_over_nothing_is_not_blamed_on_the_synced_copy(
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An overlay of ``SOMNET_DATA`` broken by itself (a file that is not TOML) loads over no
    copy: the commands stop with its error, they do not fall back to the shipped directory.
    ``status`` said the synced copy does not load and that the commands read the shipped
    directory (``in_use`` false): both untrue. The copy stays the one they read."""
    from somnet import DirectoryError, load_directory, publish_directory

    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "broken.toml").write_text("this is [ not toml\n", encoding="utf-8")
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    do_sync(server, keys, sync_folder())
    monkeypatch.setenv("SOMNET_DATA", str(overlay))
    with pytest.raises(DirectoryError):
        load_directory(today=NOW.date())  # what the commands do: they stop
    status = sync_status(now=NOW)
    assert status.in_use and status.to_json()["in_use"] is True
    assert status.synced is not None and status.synced.loads is False
    assert any("broken.toml" in w.reason for w in status.warnings)


@pytest.mark.parametrize("how", ["missing", "not loading"])
def test_status_says_when_the_previous_copy_the_commands_read_has_expired(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, how: str
) -> None:
    """Version 2 (valid 90 days) is gone or no longer loads; the commands read version 1,
    which expired on day 30, and say so ("it expired on ...: it may be out of date"). On day
    40 ``status`` named version 1 as what they read without a word of its expiry: the officer
    who looks there to know what the plans rest on was told less than the plans say."""
    from datetime import timedelta

    from somnet import publish_directory
    from somnet.sharing.state import read_state
    from tests.sharing.helpers import second_version, stricter_checks

    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    do_sync(server, keys, sync_folder())
    publish_directory(
        second_version(data),
        keys.private,
        site,
        version=2,
        expires="90d",
        now=NOW,
        name="caribbean",
    )
    do_sync(server, keys, sync_folder())
    state = read_state(sync_folder())
    assert state is not None and state.previous is not None
    current = sync_folder() / state.current.folder
    if how == "missing":
        shutil.rmtree(current)
    else:
        stricter_checks(current)
    later = NOW + timedelta(days=40)
    status = sync_status(now=later)
    assert str(sync_folder() / state.previous.folder) in status.note
    said = " ".join([status.note, *(w.reason for w in status.warnings)])
    assert "2026-12-27T12:00:00Z" in said  # version 1's expiry
    # Before its expiry, none is mentioned.
    said = " ".join([sync_status(now=NOW).note, *(w.reason for w in sync_status(now=NOW).warnings)])
    assert "2026-12-27" not in said


@pytest.mark.parametrize("case", ["nothing", "damaged", "missing"])
def test_the_status_of_another_folder_claims_nothing_of_what_the_commands_read(
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    installed_v1: dict[str, bytes],
    folder: Path,
    tmp_path: Path,
    case: str,
) -> None:
    """``--cache OTHER``: the commands never look in OTHER, so what is wrong there changes
    nothing of what they read; the status says what is true of OTHER and where they look, and
    claims neither the shipped directory nor a copy of OTHER as what they read."""
    if case == "nothing":
        folder = tmp_path / "empty"
    elif case == "damaged":
        (folder / "state.json").write_text("{")
    else:
        synced_copy = sync_status(folder, now=NOW).synced
        assert synced_copy is not None
        shutil.rmtree(synced_copy.copy)
    # The default folder holds a synced copy: what the commands read is not the shipped one.
    do_sync(server, keys, sync_folder())
    status = sync_status(folder, now=NOW)
    assert not status.in_use
    assert str(sync_folder()) in status.note
    said = [status.note, *(warning.reason for warning in status.warnings)]
    assert not any("shipped directory" in text or "commands read" in text for text in said)


def _closed_to_this_user(monkeypatch: pytest.MonkeyPatch, closed: Path) -> None:
    """Make ``closed`` a folder this user may not look into (mode 000, another user's), as it
    is for every user but root, who reads any folder and runs the tests: nothing inside it can
    be looked at or opened, and it cannot be listed."""
    inside = f"{closed}{os.sep}"

    def refusing(real: Any) -> Any:
        def call(path: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(path, str | os.PathLike):
                name = os.fspath(path)
                if isinstance(name, str) and (
                    name.startswith(inside) or (real in listing and name == str(closed))
                ):
                    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
            return real(path, *args, **kwargs)

        return call

    listing = (os.scandir, os.listdir)
    for name in ("stat", "lstat", "open", "scandir", "listdir"):
        monkeypatch.setattr(os, name, refusing(getattr(os, name)))


@pytest.mark.parametrize("closed", ["sync-folder", "copies"])
def test_a_sync_folder_closed_to_this_user_is_a_warning_never_a_traceback(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    installed_v1: dict[str, bytes],
    closed: str,
) -> None:
    """The sync folder (or its copies) closed to the user running a command, as a service
    account's may be: Path.exists and Path.is_dir raise PermissionError there (Python 3.11),
    and ``directory show HT`` failed with a traceback. Each command reads the shipped
    directory, saying why."""
    result = do_sync(server, keys, sync_folder())
    folder = sync_folder()
    _closed_to_this_user(monkeypatch, folder if closed == "sync-folder" else folder / "copies")
    if closed == "sync-folder":
        said = f"{folder / 'state.json'}: cannot read: Permission denied"
    else:
        said = (
            "the synced directory (version 1) does not load now "
            f"({result.copy}: cannot be read: Permission denied)"
        )
    for words in (
        ["contact", "--flag", "HT", "--zone", "eez"],
        ["directory", "show", "HT"],
        ["directory", "status"],
        ["directory", "validate"],
    ):
        answer = run(capsys, *words)
        assert answer.exit_code == 0, (words, answer.stderr)
        assert "Traceback" not in answer.stderr and answer.stdout, words
        warnings = [line for line in answer.stderr.splitlines() if said in line]
        assert warnings, (words, answer.stderr)
        if words[-1] != "status":
            assert warnings[0] == f"somnet: warning: {said}; using the shipped directory", words
