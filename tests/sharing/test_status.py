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
