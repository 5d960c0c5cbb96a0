"""Which time-zone database somnet reads: zoneinfo reads the system's before the tzdata
package somnet depends on, whatever their ages. A machine whose system database predates
Mexico's end of daylight saving time (2022) would plan Mexico an hour off, with the newer
package installed beside it. ``use_newest_time_zone_data`` has zoneinfo read the newer."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import tzdata

import somnet


@pytest.fixture
def restored() -> Iterator[None]:
    """zoneinfo's search path and cache as they were, whatever the test does to them."""
    before = zoneinfo.TZPATH
    try:
        yield
    finally:
        zoneinfo.reset_tzpath(to=before)
        zoneinfo.ZoneInfo.clear_cache()


def _system(folder: Path, version: str | None) -> Path:
    """A system database of ``version`` (None: no version file) whose Mexico City keeps
    UTC-5 in January (a zone file no real database holds), so that reading it shows."""
    folder.mkdir()
    if version is not None:
        (folder / "tzdata.zi").write_text(f"# version {version}\n", encoding="ascii")
    (folder / "America").mkdir()
    source = Path(tzdata.__file__).parent / "zoneinfo" / "America" / "Bogota"  # UTC-5
    (folder / "America" / "Mexico_City").write_bytes(source.read_bytes())
    return folder


def _offset() -> str:
    zoneinfo.ZoneInfo.clear_cache()
    zone = zoneinfo.ZoneInfo("America/Mexico_City")
    return datetime(2027, 1, 15, 12, tzinfo=UTC).astimezone(zone).strftime("%z")


@pytest.mark.parametrize("version", ["2020a", None])
def test_an_older_or_unknown_system_database_gives_way_to_the_package(
    tmp_path: Path, restored: None, version: str | None
) -> None:
    zoneinfo.reset_tzpath(to=[str(_system(tmp_path / "zoneinfo", version))])
    assert _offset() == "-0500"  # the system's, as zoneinfo reads it by default
    assert somnet.use_newest_time_zone_data() == tzdata.IANA_VERSION
    assert _offset() == "-0600"  # the package's


def test_a_newer_system_database_is_kept(tmp_path: Path, restored: None) -> None:
    zoneinfo.reset_tzpath(to=[str(_system(tmp_path / "zoneinfo", "9999z"))])
    assert somnet.use_newest_time_zone_data() == "9999z"
    assert _offset() == "-0500"


def test_the_program_reads_the_newer_database(tmp_path: Path) -> None:
    """The ``somnet`` program, on a machine whose system database is older than the package:
    Mexico City's noon UTC of 15 January 2027 is 06:00 (UTC-6), not the old system's."""
    import os
    import subprocess
    import sys

    old = _system(tmp_path / "zoneinfo", "2020a")
    env = {
        **os.environ,
        "PYTHONTZPATH": str(old),
        "SOMNET_CACHE_DIR": str(tmp_path / "cache"),
        "SOMNET_CONFIG": str(tmp_path / "none.toml"),
    }
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "somnet_cli.main", "contact", "--flag", "MX", "--zone",
         "territorial", "--coastal", "MX", "--as", "MX", "--at", "2027-01-15T12:00Z"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "06:00 (UTC-6)" in result.stdout.splitlines()[1], result.stdout
