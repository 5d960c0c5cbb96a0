"""docs/json.md says what the sharing commands print in JSON (keygen, publish, sync, status):
each example has exactly the fields the command writes, with their types (see
tests/json_docs.py), against a site served on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli import run
from tests.json_docs import bad_times, differences, example
from tests.sharing.helpers import KeyPair
from tests.sharing.server import SiteServer


def printed(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    result = run(capsys, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    value = json.loads(result.stdout)
    assert bad_times(value) == []
    return value


def test_the_documented_sharing_fields_are_those_printed(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    made = printed(capsys, "directory", "keygen", "--out", str(tmp_path / "k"))
    assert differences(example("somnet directory keygen"), made) == []
    status = [printed(capsys, "directory", "status")]  # nothing synced yet
    publish = [
        "directory",
        "publish",
        "--name",
        "caribbean",
        "--data",
        str(data),
        "--key",
        str(keys.private),
    ]
    published = [
        printed(capsys, *publish, "--out", str(site), "--version", str(version), "--keep", "1")
        for version in (1, 2)
    ]
    assert published[1]["removed"]
    assert differences([example("somnet directory publish")], published) == []
    synced = [printed(capsys, "directory", "sync", server.url, "--trust", str(keys.public))]
    printed(capsys, *publish, "--out", str(site), "--version", "3")
    synced += [printed(capsys, "directory", "sync"), printed(capsys, "directory", "sync")]
    assert [s["outcome"] for s in synced] == ["installed", "installed", "not-modified"]
    assert differences([example("somnet directory sync")], synced) == []
    status.append(printed(capsys, "directory", "status"))
    assert [s["installed"] for s in status] == [False, True]
    assert differences([example("somnet directory status")], status) == []
