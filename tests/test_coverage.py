"""``somnet directory coverage``: what the directory holds for each jurisdiction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from somnet import CORE_ROLES, coverage
from somnet.directory.loading import load_directory
from tests.cli import run
from tests.routing_fixture import STATES, write_routing_directory


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_routing_directory(tmp_path_factory.mktemp("coverage"))


def test_every_jurisdiction_is_listed_with_its_gaps(fixture_dir: Path) -> None:
    rows = {r.code: r for r in coverage(load_directory(base=fixture_dir, use_env=False))}
    assert set(rows) == set(STATES)
    # Aruba has no maritime agency of its own: the Dutch Caribbean Coast Guard covers it.
    assert "maritime-law-enforcement" not in rows["AW"].missing_roles
    assert rows["AW"].sovereign == "NL"
    # The fixture's Haiti holds no SAR agency and no refugee authority.
    assert {"sar", "refugee-status"} <= set(rows["HT"].missing_roles)
    assert all(set(r.missing_roles) <= set(CORE_ROLES) for r in rows.values())
    # Consular posts of other nationalities serving The Bahamas are counted.
    assert rows["BS"].consular_nationalities >= 4


def test_coverage_of_the_shipped_directory_in_every_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    as_json = run(capsys, "directory", "coverage", "--format", "json")
    rows = json.loads(as_json.stdout)
    codes = sorted(
        p.stem for p in (Path(__file__).parent.parent / "data" / "states").glob("*.toml")
    )
    assert [r["code"] for r in rows] == codes
    assert {"missing_roles", "sovereign", "maritime", "som_protocol"} <= set(rows[0])
    table = run(capsys, "directory", "coverage")
    assert table.exit_code == 0
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    assert sum(line[:2] in codes for line in table.stdout.splitlines()) == len(codes)
    markdown = run(capsys, "directory", "coverage", "--format", "markdown")
    assert len(markdown.stdout.splitlines()) == len(codes) + 2


def test_the_readme_shows_one_coverage_table_the_command_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The README's table is the output of ``coverage --format markdown``; no other table of
    coverage (an older one with other counts and claims) sits beside it."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    tables = [
        block.strip()
        for block in readme.split("\n\n")
        if block.lstrip().startswith("| code | sovereign |")
    ]
    markdown = run(capsys, "directory", "coverage", "--format", "markdown")
    assert tables == [markdown.stdout.strip()]
