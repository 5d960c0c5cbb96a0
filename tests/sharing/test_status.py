"""The status of a sync folder: what is there, whether the commands read it, and the JSON of
``somnet directory status``."""

from __future__ import annotations

import shutil
from pathlib import Path

from somnet import sync_folder, sync_status
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

    publish_directory(data, keys.private, site, version=1, now=NOW)
    do_sync(server, keys, sync_folder())
    publish_directory(second_version(data), keys.private, site, version=2, now=NOW)
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
