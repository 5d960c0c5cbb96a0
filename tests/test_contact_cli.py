"""``somnet contact``, ``agreements`` and ``consular`` through the command line: the JSON
contract, the table, bad input, the worked scenarios, and properties of every plan."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import somnet
from somnet import (
    CONDITIONS,
    ZONES,
    Directory,
    InterceptionError,
    load_directory,
    make_interception,
    plan_contacts,
)
from somnet.routing.asks import under_another_law
from somnet.routing.plan import PURPOSE_ORDER
from tests.cli import check_golden_json, run
from tests.routing_fixture import write_routing_directory

SCENARIOS = json.loads((Path(__file__).parent / "data" / "scenarios.json").read_text())

STEP_KEYS = {
    "order",
    "purpose",
    "rule",
    "action",
    "state",
    "role",
    "resolved",
    "agency",
    "contacts",
    "basis",
    "agreement",
    "requires_consent",
    "notes",
    "warnings",
    "deferred",
}
ACTIONS = {"request", "notify", "inform"}


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_routing_directory(tmp_path_factory.mktemp("routing-cli"))


@pytest.fixture
def fixture_base(fixture_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the fixture directory the base layer of CLI commands, instead of the shipped one."""
    monkeypatch.setattr("somnet.directory.loading.shipped_data_dir", lambda: fixture_dir)
    return fixture_dir


@pytest.fixture(scope="module")
def directory(fixture_dir: Path) -> Directory:
    return load_directory(base=fixture_dir, use_env=False)


def contact_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    result = run(capsys, "contact", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def check_contract(plan: dict[str, Any]) -> None:
    assert set(plan) >= {"interception", "steps", "warnings"}
    assert set(plan["interception"]) >= {
        "flag",
        "zone",
        "coastal",
        "acting",
        "disembark",
        "nationalities",
        "conditions",
        "at",
    }
    for step in plan["steps"]:
        assert set(step) >= STEP_KEYS
        assert step["action"] in ACTIONS
        assert isinstance(step["resolved"], bool)
        assert isinstance(step["requires_consent"], bool)
        assert step["basis"], step
        assert step["rule"].startswith("R")
        if step["resolved"]:
            assert step["agency"]["id"] and step["agency"]["name"]
        if step["agreement"] is not None:
            assert step["agreement"]["id"]
        for contact in step["contacts"]:
            assert {"id", "name", "languages", "illustrative", "channels"} <= set(contact)
            for channel in contact["channels"]:
                assert {"kind", "value", "available", "next_available"} <= set(channel)


# The worked scenarios, on the shipped directory ------------------------------------------------


def _matches(step: dict[str, Any], want: dict[str, Any]) -> bool:
    return all(step.get(k) == v for k, v in want.items())


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_worked_scenario(capsys: pytest.CaptureFixture[str], scenario: dict[str, Any]) -> None:
    if "exit" in scenario:
        result = run(capsys, "contact", *scenario["args"])
        assert result.exit_code == scenario["exit"]
        for text in scenario.get("stderr_contains", []):
            assert text.lower() in (result.stderr + result.stdout).lower()
        assert "Traceback" not in result.stderr
        return
    plan = contact_json(capsys, *scenario["args"])
    check_contract(plan)
    steps = plan["steps"]
    if "first" in scenario:
        assert steps[0]["purpose"] == scenario["first"]
    for want in scenario.get("expect", []):
        assert any(_matches(s, want) for s in steps), want
    for unwanted in scenario.get("forbid", []):
        assert not any(_matches(s, unwanted) for s in steps), unwanted


def test_first_readme_command_gives_a_useful_plan(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "contact", "--flag", "HT", "--zone", "contiguous")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    # The one real contact comes first in the call list; the unresolved steps follow it.
    start = lines.index("CALL LIST (details below)")
    assert "Flag state" in lines[start + 1] and "GCdH" in lines[start + 1]
    assert lines[start + 2] == "NOT RESOLVED (what to add)"
    assert "--coastal" in result.stdout
    assert "ILLUSTRATIVE" in result.stdout
    assert max(len(line) for line in lines) <= 80


README_EXAMPLES = [
    ["--flag", "HT", "--zone", "contiguous"],
    [
        "--flag",
        "HT",
        "--zone",
        "contiguous",
        "--coastal",
        "BS",
        "--as",
        "US",
        "--nationality",
        "HT",
        "--distress",
        "--asylum",
        "--at",
        "2026-12-01T03:00-05:00",
    ],
    ["--stateless", "--zone", "high-seas", "--as", "BS", "--nationality", "CU", "--distress"],
]


@pytest.mark.parametrize("args", README_EXAMPLES)
def test_the_text_plan_starts_with_the_call_list_within_80_columns(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    full = run(capsys, "contact", *args)
    brief = run(capsys, "contact", *args, "--brief")
    assert full.exit_code == brief.exit_code == 0
    lines = full.stdout.splitlines()
    start = lines.index("CALL LIST (details below)")
    # Before the list: only the facts and the plan's warnings (a step's line is its number in
    # the first two columns; a warning's wrapped line is indented by two and may start with one).
    assert not [line for line in lines[:start] if re.match(r"[ \d]\d\.? ", line)]
    # --brief is the same text up to the end of the call list, and nothing else: its heading
    # promises no details.
    shown = brief.stdout.splitlines()
    assert shown[start] == "CALL LIST"
    assert full.stdout.startswith("\n".join([*shown[:start], lines[start], *shown[start + 1 :]]))
    assert len(shown) < len(lines)
    steps = [line for line in brief.stdout.splitlines() if line[:2].strip().isdigit()]
    plan = contact_json(capsys, *args)
    assert len(steps) == len(plan["steps"])
    assert max(len(line) for line in lines) <= 80


def test_explain_adds_the_provenance_that_the_plain_text_leaves_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A Bahamian patrol in the Turks and Caicos Islands' waters: the shiprider agreement applies.
    args = ["--flag", "BS", "--zone", "territorial", "--coastal", "TC", "--as", "BS"]
    args += ["--nationality", "HT"]
    plain = run(capsys, "contact", *args)
    explained = run(capsys, "contact", *args, "--explain")
    plan = contact_json(capsys, *args)
    [step] = [s for s in plan["steps"] if s["purpose"] == "coastal-state-authorization"]
    agreement = step["agreement"]["id"]
    # The agreement's own notes: in JSON and with --explain, not in the plain text.
    provenance = [n for n in step["notes"] if n.startswith(f"{agreement}: ")]
    assert provenance
    assert "why: " + provenance[0][:30] in explained.stdout.replace("\n      ", " ")
    assert "why: " not in plain.stdout
    assert len(plain.stdout.splitlines()) < len(explained.stdout.splitlines())


def test_a_plan_in_a_year_without_a_holiday_calendar_says_so_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Christmas Day 2150: python-holidays has no calendar of the year, and the Nassau desks
    showed "open now" without a word; the plan says so once, in JSON and in the text, and is
    still made."""
    args = ("--flag", "HT", "--zone", "territorial", "--coastal", "BS", "--as", "BS")
    # The Bahamas' desks, and the UNHCR office in Washington.
    warnings = [
        f"Public holidays of {code} in 2150 are not known: an office shown open may be closed "
        "on a holiday."
        for code in ("BS", "US")
    ]
    plan = contact_json(capsys, *args, "--at", "2150-12-25T10:00-05:00")
    assert [w for w in plan["warnings"] if "not known" in w] == warnings
    assert any(
        ch["available"] for s in plan["steps"] for c in s["contacts"] for ch in c["channels"]
    )
    text = run(capsys, "contact", *args, "--at", "2150-12-25T10:00-05:00")
    assert text.exit_code == 0, text.stderr
    for warning in warnings:
        assert " ".join(text.stdout.split()).count(warning) == 1, text.stdout
    assert "open now" in text.stdout
    covered = contact_json(capsys, *args, "--at", "2026-12-24T10:00-05:00")
    assert not [w for w in covered["warnings"] if "not known" in w]


@pytest.mark.parametrize("at", ["2027-03-01T04:30Z", "2027-03-01T13:30+09:00", "2027-02-28T23:30"])
def test_the_time_of_a_plan_is_shown_on_the_acting_states_clock(
    capsys: pytest.CaptureFixture[str], at: str
) -> None:
    # A plan is made on the acting state's day (agreements in force, stale contacts), but its
    # time was shown as typed: --at 2027-03-01T04:30Z for the Bahamas printed "at Mon 01 Mar",
    # over a plan made on Sunday 28 February, Nassau's date, half an hour before midnight.
    args = ("--flag", "HT", "--zone", "high-seas", "--as", "BS", "--at", at)
    result = run(capsys, "contact", *args)
    assert result.exit_code == 0, result.stderr
    shown = next(line for line in result.stdout.splitlines() if line.startswith("at "))
    assert shown.startswith("at Sun 28 Feb 2027 23:30 (UTC-5)")
    # The JSON keeps the instant as given, with its offset.
    plan = contact_json(capsys, *args)
    assert datetime.fromisoformat(plan["interception"]["at"]) == datetime(
        2027, 3, 1, 4, 30, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("at", "line"),
    [
        # A U.S. cutter off Puerto Rico: its officer's clock is UTC-4, the plan's New York's.
        ("2026-12-01T03:00-04:00", "at Tue 01 Dec 2026 02:00 (UTC-5); 03:00 (UTC-4) as given"),
        ("2026-12-01T08:00Z", "at Tue 01 Dec 2026 03:00 (UTC-5); 08:00 (UTC+0) as given"),
        # On the acting state's clock already (or read on it): said once.
        ("2026-12-01T03:00-05:00", "at Tue 01 Dec 2026 03:00 (UTC-5)"),
    ],
)
def test_a_time_given_on_another_clock_is_shown_as_given_too(
    capsys: pytest.CaptureFixture[str], at: str, line: str
) -> None:
    """The plan's time is shown on the acting state's clock, the day it is made on; for the
    United States that is New York's. An officer off Puerto Rico who gave 03:00-04:00 read
    "at ... 02:00 (UTC-5)", an hour that is nobody's aboard: the time as given follows."""
    args = ("--flag", "HT", "--zone", "high-seas", "--as", "US", "--at", at)
    result = run(capsys, "contact", *args)
    assert result.exit_code == 0, result.stderr
    assert next(x for x in result.stdout.splitlines() if x.startswith("at ")) == line


def test_the_default_time_is_the_acting_states(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "contact", "--flag", "HT", "--zone", "high-seas", "--as", "MX")
    assert result.exit_code == 0
    at = next(line for line in result.stdout.splitlines() if line.startswith("at "))
    assert at.endswith("(UTC-6)")  # Mexico City keeps no daylight saving time since 2022
    plan = contact_json(capsys, "--flag", "HT", "--zone", "high-seas", "--as", "MX")
    assert plan["interception"]["at"].endswith("-06:00")


# The table -----------------------------------------------------------------------------------


def test_table_shows_numbered_steps_best_channel_and_basis(
    capsys: pytest.CaptureFixture[str], fixture_base: Path
) -> None:
    result = run(
        capsys,
        "contact",
        "--flag",
        "HT",
        "--zone",
        "contiguous",
        "--coastal",
        "bs",
        "--as",
        "us",
        "--nationality",
        "HT",
        "--distress",
        "--asylum",
        "--at",
        "2026-12-01T03:00-05:00",
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith(" 1. SAR coordination (request)") for line in lines)
    assert "basis: SAR Convention 1979 annex 2.1, 4.3" in result.stdout
    assert "24/7" in result.stdout
    assert "closed, opens" in result.stdout  # desks at 03:00
    assert "informed consent" in result.stdout
    assert max(len(line) for line in lines) <= 80


def test_acting_state_defaults_to_the_configured_home_state(
    capsys: pytest.CaptureFixture[str],
    fixture_base: Path,
    monkeypatch: pytest.MonkeyPatch,
    isolated_environment: Path,
) -> None:
    (isolated_environment / "config.toml").write_text('home_state = "us"\n')
    plan = contact_json(capsys, "--flag", "HT", "--zone", "high-seas")
    assert plan["interception"]["acting"] == "US"
    monkeypatch.setenv("SOMNET_HOME_STATE", "JM")
    plan = contact_json(capsys, "--flag", "HT", "--zone", "high-seas")
    assert plan["interception"]["acting"] == "JM"


def test_at_keeps_the_given_offset_and_naive_time_is_the_acting_states(
    capsys: pytest.CaptureFixture[str], fixture_base: Path
) -> None:
    plan = contact_json(
        capsys,
        "--flag",
        "HT",
        "--zone",
        "eez",
        "--coastal",
        "BS",
        "--as",
        "BS",
        "--at",
        "2026-12-01T03:00-05:00",
    )
    assert plan["interception"]["at"] == "2026-12-01T03:00:00-05:00"
    plan = contact_json(
        capsys,
        "--flag",
        "HT",
        "--zone",
        "eez",
        "--coastal",
        "BS",
        "--as",
        "BS",
        "--at",
        "2026-07-01T03:00",
    )
    assert plan["interception"]["at"] == "2026-07-01T03:00:00-04:00"  # Nassau in summer


# Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--flag", "XQ", "--zone", "contiguous"], ["--flag", "XQ"]),
        (["--flag", "HTI", "--zone", "contiguous"], ["--flag", "HTI", "HT (Haiti)"]),
        (["--flag", "HT", "--zone", "offshore"], ["--zone", "offshore", "contiguous"]),
        (["--flag", "HT", "--stateless", "--zone", "eez"], ["--stateless"]),
        (["--flag", "HT", "--zone", "high-seas", "--coastal", "BS"], ["--coastal", "high-seas"]),
        (["--flag", "HT", "--zone", "eez", "--at", "tomorrow"], ["--at", "tomorrow"]),
        (["--flag", "HT", "--zone", "eez", "--at", "2026-12-01T03:00"], ["--at", "offset"]),
        (["--flag", "HT", "--zone", "eez", "--nationality", "HT,,CU"], ["--nationality"]),
        (["--flag", "HT", "--zone", "eez", "--nationality", "H@"], ["--nationality", "H@"]),
        (["--flag", "HT", "--zone", "eez", "--as", "Hati"], ["--as", "Haiti"]),
        (["--flag", "HT"], ["--zone"]),
        (["--flag", "UK", "--zone", "eez"], ["--flag", "'UK'", "GB (United Kingdom)"]),
        (["--flag", "HT", "--zone", "eez", "--at", "0001-01-01T00:30+05:00"], ["--at", "1971"]),
        (["--flag", "HT", "--zone", "eez", "--at", "9999-12-31T23:00-05:00"], ["--at", "9998"]),
        (
            ["--flag", "HT", "--zone", "eez", "--as", "BS", "--at", "2027-03-14T02:30"],
            ["--at", "does not exist in America/Nassau", "-04:00 or -05:00"],
        ),
        (
            ["--flag", "HT", "--zone", "eez", "--as", "BS", "--at", "2026-11-01T01:30"],
            ["--at", "happens twice in America/Nassau"],
        ),
        (
            ["--flag", "HT", "--zone", "eez", "--as", "ER", "--at", "2026-12-01T03:00"],
            ["--at", "no time zone for the acting state ER"],
        ),
        (["--flag", "HT", "--zone", "eez", "--data", "/nonexistent/overlay"], ["--data"]),
        # An empty code (a script's unset variable) is refused like an empty nationality, not
        # read as "unknown" (nor, for --as, replaced by the configured home state).
        (["--flag", "", "--zone", "eez"], ["--flag"]),
        (["--flag", " ", "--zone", "eez"], ["--flag"]),
        (["--flag", "HT", "--zone", "territorial", "--coastal", ""], ["--coastal"]),
        (["--flag", "HT", "--zone", "eez", "--as", ""], ["--as"]),
        (["--flag", "HT", "--zone", "eez", "--as", "BS", "--disembark", ""], ["--disembark"]),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], names: list[str]
) -> None:
    result = run(capsys, "contact", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for name in names:
        assert name in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["contact", "--flag", "", "--zone", "eez"], "--flag"),
        (["contact", "--flag", "HT", "--zone", "eez", "--coastal", ""], "--coastal"),
        (["contact", "--flag", "HT", "--zone", "eez", "--as", ""], "--as"),
        (["contact", "--flag", "HT", "--zone", "eez", "--disembark", ""], "--disembark"),
        (["agreements", "--state", ""], "--state"),
        (["agreements", "--between", "US", "HT", "--state", ""], "--state"),
        (["consular", "--nationality", "", "--in", "BS"], "--nationality"),
        (["directory", "export", "--state", ""], "--state"),
    ],
)
def test_an_empty_code_is_refused_not_taken_for_no_code(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str], flag: str
) -> None:
    """``--as "$ACTING"`` with the variable unset must not quietly plan as the home state (or
    list every state's agreements): an empty code is a mistake, named like any other."""
    monkeypatch.setenv("SOMNET_HOME_STATE", "BS")
    result = run(capsys, *args)
    assert result.exit_code == 2, result.stdout[:200]
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"somnet: {flag}: "), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["contact", "--flag", "HT", "--zone", "eez", "--flag", "DO"], "--flag"),
        (["contact", "--flag", "HT", "--zone", "eez", "--as", "BS", "--as", "US"], "--as"),
        (["contact", "--flag", "HT", "--zone", "eez", "--zone", "territorial"], "--zone"),
        (["consular", "--nationality", "HT", "--in", "BS", "--in", "US"], "--in"),
        (["directory", "stale", "--days", "30", "--days", "400"], "--days"),
    ],
)
def test_an_option_given_twice_with_two_values_is_refused(
    capsys: pytest.CaptureFixture[str], args: list[str], flag: str
) -> None:
    """Which of two flag states (or acting states) is meant cannot be guessed: the last one
    quietly winning would plan for the wrong state."""
    result = run(capsys, *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert flag in result.stderr and "Traceback" not in result.stderr


def test_an_option_given_twice_with_the_same_value_is_taken_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    once = run(capsys, "contact", "--flag", "HT", "--zone", "eez", "--format", "json")
    twice = run(
        capsys, "contact", "--flag", "HT", "--zone", "eez", "--flag", "ht", "--format", "json"
    )
    assert twice.exit_code == 0, twice.stderr
    assert json.loads(twice.stdout)["steps"] == json.loads(once.stdout)["steps"]


@pytest.mark.parametrize(("lang", "name"), [("fr", "Haïti"), ("es", "México")])
def test_the_codes_suggested_for_a_mistyped_one_are_named_in_the_language_in_use(
    capsys: pytest.CaptureFixture[str], lang: str, name: str
) -> None:
    code = {"Haïti": "HX", "México": "MXX"}[name]
    result = run(capsys, "--lang", lang, "contact", "--flag", code, "--zone", "eez")
    # French sets a space before the colon: "somnet : --flag : ...".
    assert result.exit_code == 2 and re.match(r"somnet ?: --flag ?: ", result.stderr)
    assert name in result.stderr, result.stderr


def test_an_empty_home_state_in_the_configuration_is_named(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path
) -> None:
    config = isolated_environment / "config.toml"
    config.write_text('home_state = ""\n')
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez")
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{config}: home_state" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_home_state_that_is_not_a_code_names_where_it_was_set(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOMNET_HOME_STATE", "XQ")
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez")
    assert result.exit_code == 2
    assert "SOMNET_HOME_STATE" in result.stderr


# agreements, consular ------------------------------------------------------------------------


def test_agreements_between_two_states(
    capsys: pytest.CaptureFixture[str], fixture_base: Path
) -> None:
    result = run(
        capsys,
        "agreements",
        "--between",
        "ht",
        "US",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    ids = {a["id"] for a in json.loads(result.stdout)}
    assert "us-ht-1981" in ids and "bs-cu-1998" not in ids
    table = run(capsys, "agreements", "--state", "BS", "--kind", "repatriation")
    assert "bs-cu-1998" in table.stdout and "72 h" in table.stdout


def test_agreements_say_whom_and_where_their_provisions_cover(
    capsys: pytest.CaptureFixture[str], fixture_base: Path
) -> None:
    # The US-Haiti notes cover Haitians beyond the territorial sea only, and the counter-drug
    # agreement no migrant case: the table said "boarding pre-authorised for US" and "entry into
    # waters by US" alone, read as covering any vessel anywhere. The JSON has the scope.
    found = json.loads(run(capsys, "agreements", "--state", "US", "--format", "json").stdout)
    provides = {a["id"]: a["provides"] for a in found}
    assert provides["us-ht-1981"]["nationalities"] == ["HT"]
    assert provides["us-do-counter-drug"]["covers_migrant_smuggling"] is False
    text = run(capsys, "agreements", "--state", "US").stdout
    blocks = {
        block.split("id ", 1)[1].split()[0]: block
        for block in re.split(r"\n(?=\S)", text)
        if "id " in block
    }
    haiti = " ".join(blocks["us-ht-1981"].split())
    assert "HT" in haiti.split("provides:", 1)[1]
    assert all(zone in haiti for zone in ("high-seas", "eez", "contiguous"))
    drugs = " ".join(blocks["us-do-counter-drug"].split()).split("provides:", 1)[1]
    boarding_only = " ".join(blocks["us-gb-caribbean"].split()).split("provides:", 1)[1]
    assert len(drugs.split(";")) == 2 and len(boarding_only.split(";")) == 1


def test_agreements_of_a_territory_include_its_sovereign_s_extended_to_it(
    capsys: pytest.CaptureFixture[str], fixture_base: Path
) -> None:
    # The US-UK agreement extended to the Cayman Islands governs a US boarding of a Caymanian
    # vessel in a contact plan: the look-up between the US and KY must list it too.
    plan = contact_json(capsys, "--flag", "KY", "--zone", "high-seas", "--as", "US")
    assert {s["agreement"]["id"] for s in plan["steps"] if s["agreement"]} == {"us-gb-caribbean"}
    for args in (
        ("--between", "US", "ky"),
        ("--between", "KY", "US"),
        ("--state", "KY"),
        ("--between", "US", "KY", "--state", "KY"),
    ):
        result = run(capsys, "agreements", *args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert "us-gb-caribbean" in {a["id"] for a in json.loads(result.stdout)}, args
    table = run(capsys, "agreements", "--between", "US", "KY")
    assert "us-gb-caribbean" in table.stdout and "KY" in table.stdout
    # Not extended to another territory of the same sovereign, nor listed for GB's partners.
    for args in (("--between", "US", "TC"), ("--between", "CU", "KY")):
        found = json.loads(run(capsys, "agreements", *args, "--format", "json").stdout)
        assert "us-gb-caribbean" not in {a["id"] for a in found}, args


DENOUNCED = """
[[agreements]]
id = "us-bs-denounced"
title = "US-Bahamas arrangement denounced, its end still ahead"
kind = "shiprider"
parties = ["US", "BS"]
signed = 2010-01-01
in_force = 2010-01-01
ended = 2099-01-01
status = "terminated"
last_verified = 2026-11-01
sources = [{ title = "x", url = "https://example.gov/x", published = 2026-01-15 }]
[agreements.provides]
entry_by = ["US"]
"""


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (
            datetime(2026, 12, 1, 15, tzinfo=UTC),
            {"us-bs-2004": "in-force", "us-bs-2030": "not yet in force"},
        ),
        (
            datetime(2031, 1, 1, 15, tzinfo=UTC),
            {"us-bs-2004": "in-force", "us-bs-2030": "in-force"},
        ),
    ],
)
def test_agreements_show_each_status_on_the_day_as_a_plan_applies_it(
    capsys: pytest.CaptureFixture[str],
    fixture_base: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    now: datetime,
    expected: dict[str, str],
) -> None:
    """us-bs-2030 is recorded in force from 2030: a plan made today mentions it as not yet in
    force and never applies it, while ``agreements --between US BS`` printed IN-FORCE. So too
    an agreement denounced with effect from a day still ahead (``terminated``, ``ended`` in
    the future): a plan applies it today, the table said TERMINATED. The table now says
    what a plan made that day reads; the JSON keeps the record as it is."""
    (tmp_path / "agreements.toml").write_text(DENOUNCED, encoding="utf-8")
    expected = {**expected, "us-bs-denounced": "in-force"}
    monkeypatch.setattr("somnet_cli._common.now", lambda: now)
    args = ("agreements", "--between", "US", "BS", "--data", str(tmp_path), "--no-cache")
    text = run(capsys, *args).stdout
    shown = {
        found.group(1): found.group(2).lower()
        for found in re.finditer(r"id (\S+) .*?status (.+?)\n", text, re.DOTALL)
    }
    assert {k: shown[k] for k in expected} == expected, text
    records = {
        a["id"]: a["status"] for a in json.loads(run(capsys, *args, "--format", "json").stdout)
    }
    assert (records["us-bs-2030"], records["us-bs-denounced"]) == ("in-force", "terminated")
    # The same reading as the plan of that day: applied, or mentioned as not yet in force.
    result = contact_json(
        capsys,
        *("--flag", "HT", "--zone", "territorial", "--coastal", "BS", "--as", "US"),
        *("--at", now.isoformat(), "--data", str(tmp_path), "--no-cache"),
    )
    [step] = [s for s in result["steps"] if s["purpose"] == "coastal-state-authorization"]
    mentioned_not_yet = any("us-bs-2030" in n and "not yet in force" in n for n in step["notes"])
    assert mentioned_not_yet is (expected["us-bs-2030"] == "not yet in force"), step["notes"]
    # The denounced one governs until the newer one enters into force (the most recent
    # governs), and its end is still ahead: the step must not say it ended.
    governs = "us-bs-2030" if expected["us-bs-2030"] == "in-force" else "us-bs-denounced"
    assert step["agreement"]["id"] == governs
    about_it = [w for w in step["warnings"] if "us-bs-denounced" in w]
    assert bool(about_it) is (governs == "us-bs-denounced"), step["warnings"]
    assert not any("ended" in w for w in about_it), about_it


def test_consular_lookup_follows_the_resolution_order(
    capsys: pytest.CaptureFixture[str], fixture_base: Path
) -> None:
    result = run(
        capsys,
        "consular",
        "--nationality",
        "JM",
        "--in",
        "BS",
        "--format",
        "json",
    )
    [row] = json.loads(result.stdout)
    assert (row["type"], row["mission"]["id"]) == ("concurrent", "jm-emb-washington")
    none = run(capsys, "consular", "--nationality", "IN", "--in", "BS")
    assert "no representation" in none.stdout
    bad = run(capsys, "consular", "--nationality", "ZZ", "--in", "BS")
    assert bad.exit_code == 2 and "--nationality" in bad.stderr


def test_consular_tells_an_officer_with_an_overlay_that_illustrative_contacts_are_not_replaced(
    capsys: pytest.CaptureFixture[str], fixture_base: Path, tmp_path: Path
) -> None:
    """With an overlay laid (here a copy of one file: it replaces records with themselves), the
    notice no longer tells the officer to lay one, and still says never to dial."""
    shipped = " ".join(run(capsys, "consular", "--nationality", "HT", "--in", "BS").stdout.split())
    assert "lay your restricted directory over it as an overlay" in shipped
    overlay = tmp_path / "unit"
    (overlay / "states").mkdir(parents=True)
    (overlay / "states/JM.toml").write_bytes((fixture_base / "states/JM.toml").read_bytes())
    result = run(capsys, "consular", "--nationality", "HT", "--in", "BS", "--data", str(overlay))
    assert result.exit_code == 0, result.stderr
    assert (
        "ILLUSTRATIVE contacts: the details marked illustrative are made up, and your overlays "
        "do not replace them. Never dial or write to them."
    ) in " ".join(result.stdout.split())


def test_consular_names_the_foreign_ministry_where_no_post_serves(
    capsys: pytest.CaptureFixture[str], fixture_base: Path
) -> None:
    # No post of Haiti covers Jamaica: notice goes through diplomatic channels, so the
    # command names Haiti's foreign ministry; India's proven "none" in The Bahamas has no
    # ministry on file to name. Where a post serves, no ministry line.
    directory = somnet.load_directory(base=fixture_base, use_env=False)
    ministry = directory.foreign_ministry("HT")
    assert ministry is not None and ministry.state == "HT"
    without = run(capsys, "consular", "--nationality", "HT", "--in", "JM")
    assert without.exit_code == 0 and f"id {ministry.id}" in without.stdout
    assert directory.foreign_ministry("IN") is None
    proven = run(capsys, "consular", "--nationality", "IN", "--in", "BS")
    assert proven.exit_code == 0 and "no representation" in proven.stdout
    served = run(capsys, "consular", "--nationality", "HT", "--in", "BS")
    assert served.exit_code == 0 and f"id {ministry.id}" not in served.stdout


def test_consular_text_marks_a_placeholder_number_as_not_dialable(
    capsys: pytest.CaptureFixture[str], fixture_base: Path, tmp_path: Path
) -> None:
    # A mission whose number is a placeholder ("+509 XXXX ..."): directory show and the
    # contact plan say it cannot be dialled, and so must consular.
    (tmp_path / "consular.toml").write_text(
        """
[[agencies]]
id = "ht-emb-nassau"
state = "HT"
name = "Ambassade d'Haiti aux Bahamas"
name_en = "Embassy of Haiti in The Bahamas"
roles = ["consular"]
located_in = "BS"
covers = ["BS"]
last_verified = 2026-11-01
[[agencies.sources]]
title = "Haitian foreign ministry, missions abroad"
url = "https://www.mae.gouv.ht/"
[[agencies.contacts]]
id = "ht-emb-nassau-desk"
kind = "desk"
languages = ["fr", "en"]
last_verified = 2026-11-01
illustrative = true
[[agencies.contacts.channels]]
kind = "phone"
value = "+509 XXXX 0177"
[[agencies.contacts.channels]]
kind = "email"
value = "ht-emb-nassau@example.org"
""",
        encoding="utf-8",
    )
    args = ["consular", "--nationality", "HT", "--in", "BS", "--data", str(tmp_path)]
    as_json = run(capsys, *args, "--format", "json")
    assert as_json.exit_code == 0, as_json.stderr
    placeholders = [
        ch["value"]
        for post in json.loads(as_json.stdout)
        for contact in post["mission"]["contacts"]
        for ch in contact["channels"]
        if ch["kind"] in ("phone", "mobile", "fax", "satphone") and not ch["dialable"]
    ]
    assert placeholders
    lines = run(capsys, *args).stdout.splitlines()
    for value in placeholders:
        [line] = [line for line in lines if value in line]
        assert "(not dialable)" in line


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["agreements", "--state", ""], "--state"),
        (["agreements", "--between", "US", " "], "--between"),
        (["consular", "--nationality", "", "--in", "BS"], "--nationality"),
        (["consular", "--nationality", "HT", "--in", ""], "--in"),
    ],
)
def test_look_ups_refuse_an_empty_code(
    capsys: pytest.CaptureFixture[str], fixture_base: Path, args: list[str], flag: str
) -> None:
    # An empty --state (a script's unset variable) listed every agreement, as if no state had
    # been given; every look-up now refuses an empty code as contact does.
    result = run(capsys, *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"somnet: {flag}: "), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("nationality", "receiving"), [("KY", "GB"), ("KY", "TC"), ("GB", "KY")])
def test_a_territory_s_people_in_their_own_state_need_no_consular_post(
    capsys: pytest.CaptureFixture[str],
    fixture_base: Path,
    directory: Directory,
    nationality: str,
    receiving: str,
) -> None:
    # Caymanians in the United Kingdom or in another British territory are in their own state:
    # there is no consular access to look for, and no "foreign ministry of KY" to ask.
    result = run(capsys, "consular", "--nationality", nationality, "--in", receiving)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("somnet: --in: ") and "GB" in result.stderr
    with pytest.raises(InterceptionError) as raised:
        somnet.consular_posts(directory, nationality, receiving)
    assert raised.value.field == "receiving"


def test_consular_names_a_territorys_people_as_their_sovereigns_nationals(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Caymanians in the United States: the title said "Cayman Islands nationals", a
    nationality no state grants; they are British nationals, which is why a British post
    serves them."""
    result = run(capsys, "consular", "--nationality", "KY", "--in", "US")
    assert result.exit_code == 0, result.stderr
    title = result.stdout.splitlines()[0]
    assert title == "People of Cayman Islands (nationals of GB) in United States", title
    sovereign = run(capsys, "consular", "--nationality", "GB", "--in", "US")
    assert sovereign.stdout.splitlines()[0] == "United Kingdom nationals in United States"


@pytest.mark.parametrize("word", ["stateless", "Stateless"])
def test_consular_for_stateless_persons_says_no_consul_serves_them_not_a_code_suggestion(
    capsys: pytest.CaptureFixture[str], fixture_base: Path, directory: Directory, word: str
) -> None:
    # The contact plan takes --nationality stateless; the same word here was answered "did you
    # mean US (United States)?", steering an officer to a consul for people who have none.
    result = run(capsys, "consular", "--nationality", word, "--in", "BS")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("somnet: --nationality: ")
    assert "US" not in result.stderr and "UNHCR" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with pytest.raises(InterceptionError) as raised:
        somnet.consular_posts(directory, word, "BS")
    assert raised.value.field == "nationality"


def test_the_not_resolved_list_says_what_the_directory_lacks_not_the_first_warning(
    capsys: pytest.CaptureFixture[str], fixture_base: Path
) -> None:
    # With asylum claimed, the consular step's first warning is the consent warning; the list
    # of unresolved steps must say what is missing (no post of IN covering DO, and no foreign
    # ministry of India in the directory to turn to).
    result = run(
        capsys, "contact", "--flag", "DO", "--zone", "territorial", "--coastal", "DO",
        "--as", "DO", "--nationality", "IN", "--asylum",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    section = result.stdout.split("NOT RESOLVED", 1)[1].split("\n\n", 1)[0]
    consular = section.split("Consular access", 1)[1]
    assert "consular mission of IN" in consular
    assert "informed consent" not in consular


# Properties of every plan ------------------------------------------------------------------


codes = st.sampled_from(["BS", "HT", "US", "CU", "JM", "DO", "TC", "KY", "PR", "GT", "ER", "IN"])


@st.composite
def interceptions(draw: st.DrawFn) -> Any:
    zone = draw(st.sampled_from(ZONES))
    stateless = draw(st.booleans())
    return make_interception(
        zone=zone,
        flag=None if stateless else draw(st.none() | codes),
        stateless=stateless,
        coastal=None if zone == "high-seas" else draw(st.none() | codes),
        acting=draw(st.none() | codes),
        disembark=draw(st.none() | codes),
        nationalities=draw(st.lists(codes, max_size=3)),
        stateless_persons=draw(st.booleans()),
        conditions=draw(st.sets(st.sampled_from(CONDITIONS))),
        return_considered=draw(st.booleans()),
        at=draw(
            st.datetimes(
                min_value=datetime(2026, 1, 1),
                max_value=datetime(2028, 1, 1),
                timezones=st.just(UTC),
            )
        ),
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(interception=interceptions())
def test_every_plan_is_ordered_based_unique_and_matches_the_contract(
    directory: Directory, interception: Any
) -> None:
    plan = plan_contacts(directory, interception).to_json()
    check_contract(plan)
    purposes = [s["purpose"] for s in plan["steps"]]
    # The documented order, the steps deferred until asylum claims are decided last.
    ranks = [(s["deferred"], PURPOSE_ORDER.index(s["purpose"])) for s in plan["steps"]]
    assert ranks == sorted(ranks)
    keys = [
        (
            s["purpose"],
            s["state"],
            s["role"],
            (s["agency"] or {}).get("id"),
            (s["agreement"] or {}).get("id"),
            s["nationality"],
            # Two rules may ask one mission for different reasons (R6 access, R10 guardianship).
            s["rule"],
        )
        for s in plan["steps"]
    ]
    assert len(keys) == len(set(keys))
    if "sar-coordination" in purposes:
        assert purposes[0] == "sar-coordination"
    if interception.stateless:
        assert "flag-state-authorization" not in purposes
    if interception.stateless_persons:
        # People known to have no nationality are never asked for as if it were unknown.
        assert "nationalities" not in plan["missing"]
    for step in plan["steps"]:
        if step["purpose"] == "consular-access":
            # The person's choice is offered (inform); a mandatory notice is sent (notify).
            assert step["requires_consent"] is (step["action"] == "inform")
            if step["state"] is not None:
                assert step["state"] != interception.disembark
    json.dumps(plan)  # serialisable as it is


ABOUT_THE_PEOPLE = {"consular-access", "protection-referral", "repatriation", "investigation"}
ABOUT_THE_VESSEL = {
    "flag-state-authorization",
    "coastal-state-authorization",
    "coastal-state-notification",
}


@pytest.fixture(scope="module")
def shipped() -> Directory:
    return load_directory(use_env=False)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(interception=interceptions(), which=st.sampled_from(["fixture", "shipped"]))
def test_with_asylum_nothing_is_asked_of_a_country_of_nationality_about_the_people(
    directory: Directory, shipped: Directory, interception: Any, which: str
) -> None:
    source = directory if which == "fixture" else shipped
    asylum = attrs.evolve(interception, conditions=interception.conditions | {"asylum"})
    without = attrs.evolve(interception, conditions=interception.conditions - {"asylum"})
    plan = plan_contacts(source, asylum).to_json()
    plain = plan_contacts(source, without).to_json()
    read = plan["interception"]
    # A territory and its sovereign are one state: the Cayman Islands acting for Turks and
    # Caicos Islanders is the United Kingdom acting for its own nationals.
    origins = {n for n in read["nationalities"] if not source.same_state(n, read["acting"])}

    def key(step: dict[str, Any]) -> tuple[Any, ...]:
        return (step["purpose"], step["rule"], step["state"], step["nationality"], step["role"])

    plain_steps = {key(s): s for s in plain["steps"]}
    landed_elsewhere = read["disembark"] is not None and read["disembark"] != read["acting"]
    for step in plan["steps"]:
        # The landing side of a return in a place under the acting state's own law (a U.S.
        # cutter landing Bahamians in Puerto Rico: the United States' own authorities there
        # arrange their return) is the acting state's own, as at home: it is asked now, with
        # the asylum safeguard, as any landing state's is.
        landing_side_at_home = (
            step["state"] == read["disembark"]
            and not source.same_state(step["nationality"], step["state"])
            and not under_another_law(source, read["disembark"], read["acting"])
        )
        # A return to the acting state of people landed in another state is a return from
        # there: it waits for the claims like any other.
        if (
            step["purpose"] == "repatriation"
            and landed_elsewhere
            and not landing_side_at_home
            and source.same_state(step["state"], read["acting"])
            and any(source.same_state(step["state"], n) for n in read["nationalities"])
        ):
            assert step["action"] != "request", step
        if not any(source.same_state(step["state"], n) for n in origins):
            continue
        # R3's courtesy notice to the migration authority concerns the people: deferred.
        courtesy = (step["purpose"], step["role"]) == ("coastal-state-notification", "migration")
        if courtesy:
            assert step["deferred"] and step["action"] == "inform", step
        if step["purpose"] in ABOUT_THE_PEOPLE:
            assert step["action"] != "request" or step["requires_consent"], step
        if step["purpose"] in ABOUT_THE_VESSEL and not courtesy:
            before = plain_steps[key(step)]
            # The law requires these whoever is aboard; asylum only adds a warning.
            assert step["action"] == before["action"], step
            assert len(step["warnings"]) > len(before["warnings"]), step
    if any(source.same_state(read["disembark"], n) for n in read["nationalities"]):
        added = set(plan["warnings"]) - set(plain["warnings"])
        # Found in the landing state's own waters, its nationals have not left their country:
        # the warning says so (1951 Convention art. 1A(2)) instead of calling it refoulement.
        at_home = read["zone"] in ("internal", "territorial", "archipelagic") and (
            source.same_state(read["coastal"], read["disembark"])
        )
        law = "art. 1A(2)" if at_home else "art. 33"
        assert [w for w in added if read["disembark"] in w and law in w]


def test_warnings_about_the_synced_copy_reach_stderr_of_every_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from somnet import SyncedCopyWarning

    # A sync folder whose state cannot be read: the shipped directory is used, with a warning.
    monkeypatch.setenv("SOMNET_SYNC_DIR", str(tmp_path))
    (tmp_path / "state.json").write_text("")
    monkeypatch.setattr(
        "somnet.sharing.installed.synced_copy_warnings",
        lambda **_options: [SyncedCopyWarning("the synced directory expired on 2026-01-01")],
    )
    result = run(capsys, "contact", "--flag", "HT", "--zone", "contiguous", "--format", "json")
    assert result.exit_code == 0
    assert "warning: the synced directory expired on 2026-01-01" in result.stderr
    json.loads(result.stdout)  # stdout stays pure JSON


def test_a_command_group_without_subcommand_shows_its_own_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = run(capsys, "directory")
    assert result.exit_code == 2
    assert "usage: somnet directory" in result.stdout
    assert "somnet directory show HT" in result.stdout


@pytest.mark.parametrize("command", ["contact", "directory", "meeting"])
def test_the_help_is_wrapped_to_the_terminals_width(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    # The parsers are built without asking the terminal's width (it costs every command an
    # import): the help still asks it.
    shown = {}
    for columns in (40, 120):
        monkeypatch.setenv("COLUMNS", str(columns))
        result = run(capsys, command, "--help")
        assert result.exit_code == 0 and result.stdout.startswith(f"usage: somnet {command}")
        lang = result.stdout[result.stdout.index("\n  --lang") + 1 :].split("\n  -")[0]
        lang = lang.split("\n\n")[0]  # not the examples below it
        assert max(map(len, lang.splitlines())) <= columns - 2, lang
        shown[columns] = result.stdout.splitlines()
    assert len(shown[40]) > len(shown[120])


@pytest.mark.usefixtures("fixture_base")
@pytest.mark.parametrize(
    ("name", "args"),
    [
        (
            "contact-plan.json",
            [
                "--flag",
                "HT",
                "--zone",
                "contiguous",
                "--coastal",
                "BS",
                "--as",
                "US",
                "--nationality",
                "HT,CU,IN",
                "--distress",
                "--asylum",
                "--minors",
                "--smugglers",
                "--return",
                "--at",
                "2026-12-01T03:00-05:00",
            ],
        ),
        (
            "contact-plan-minimal.json",
            ["--flag", "HT", "--zone", "contiguous", "--at", "2027-03-14T06:30Z"],
        ),
    ],
)
def test_contact_plan_json_matches_its_snapshot(
    capsys: pytest.CaptureFixture[str], name: str, args: list[str]
) -> None:
    """The whole contract at once, reviewed as a diff (SOMNET_UPDATE_GOLDEN=1 rewrites it)."""
    result = run(capsys, "contact", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    check_golden_json(name, result.stdout)


def test_a_mistyped_key_in_the_config_file_is_named(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path
) -> None:
    config = isolated_environment / "config.toml"
    config.write_text('home_stat = "BS"\n')
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez")
    assert result.exit_code == 2
    assert f"{config}: $.home_stat: unknown key" in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["agreements", "--between", "US", "us"], "two different states"),
        (["consular", "--nationality", "BS", "--in", "BS"], "own state"),
        (["directory", "search", "  "], "give some text"),
    ],
)
def test_look_ups_that_cannot_mean_anything_say_so(
    capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    result = run(capsys, *args)
    assert result.exit_code == 2
    assert words in result.stderr and "Traceback" not in result.stderr


def test_a_placeholder_number_is_shown_as_not_dialable(
    capsys: pytest.CaptureFixture[str], fixture_base: Path
) -> None:
    args = ["--flag", "HT", "--zone", "high-seas", "--as", "JM", "--at", "2026-12-01T15:00-05:00"]
    plan = contact_json(capsys, *args)
    [step] = [s for s in plan["steps"] if s["purpose"] == "flag-state-authorization"]
    phones = [ch for c in step["contacts"] for ch in c["channels"] if ch["kind"] == "phone"]
    assert phones and all(ch["dialable"] is False for ch in phones)  # the fixture's +509 XXXX
    text = run(capsys, "contact", *args).stdout
    placeholder = phones[0]["value"]
    assert f"{placeholder} (not dialable)" in text
    assert all("(not dialable)" in line for line in text.splitlines() if placeholder in line)


@pytest.mark.parametrize(
    ("args", "meant"),
    [
        (["--flag", "\u041d\u0422"], "HT (Haiti)"),  # Cyrillic En and Te: look like HT
        (["--flag", "HT", "--as", "B\u0405"], "BS (Bahamas)"),  # Cyrillic Dze: looks like S
        (["--flag", "HT", "--as", "\uff22\uff33"], "BS (Bahamas)"),  # full-width letters
        (["--flag", "\u0397\u03a4"], "HT (Haiti)"),  # Greek Eta and Tau
    ],
)
def test_a_code_typed_with_letters_that_look_latin_suggests_the_code_it_looks_like(
    capsys: pytest.CaptureFixture[str], args: list[str], meant: str
) -> None:
    """A code copied from Cyrillic or Greek text, or typed with a full-width keyboard, looks
    like the code meant: the refusal suggests that code (and names the letters), not codes
    that share no letter with it."""
    result = run(capsys, "contact", *args, "--zone", "eez")
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    flag = args[-2]
    assert result.stderr.startswith(f"somnet: {flag}: "), result.stderr
    suggested = re.findall(r"\b[A-Z]{2} \([^)]*\)", result.stderr)
    assert suggested and suggested[0] == meant, result.stderr


@pytest.mark.parametrize("where", ["config", "environment", "flag"])
@pytest.mark.parametrize("code", ["\u0416", "1", "-", "\u4e2d"])
def test_a_code_with_no_code_near_it_is_refused_without_an_empty_or_arbitrary_suggestion(
    capsys: pytest.CaptureFixture[str],
    isolated_environment: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    code: str,
) -> None:
    """A home state written "1" or with a Cyrillic letter was refused with "did you mean
    ?" (nothing to suggest) from the configuration, and with the directory's first five states
    in alphabetical order from a flag: neither helps."""
    args = ["contact", "--flag", "HT", "--zone", "eez"]
    if where == "config":
        (isolated_environment / "config.toml").write_text(f'home_state = "{code}"\n')
    elif where == "environment":
        monkeypatch.setenv("SOMNET_HOME_STATE", code)
    else:
        args += ["--as", code]
    result = run(capsys, *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not re.search(r"\b[A-Z]{2} \(", result.stderr), result.stderr
    assert "mean ?" not in result.stderr


def test_brief_and_explain_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """--brief prints only the call list and --explain adds provenance to the details: given
    both, the provenance asked for was dropped without a word."""
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez", "--brief", "--explain")
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "--brief" in result.stderr and "--explain" in result.stderr


def test_brief_with_json_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """--brief asks for the call list alone; the JSON holds every step whatever is asked, so
    a script given both got every detail it did not ask for without a word."""
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez", "--brief", "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "--brief" in result.stderr


@pytest.mark.parametrize("offset", ["+15:00", "-13:00", "+23:59"])
def test_a_time_at_an_offset_no_time_zone_uses_is_refused(
    capsys: pytest.CaptureFixture[str], offset: str
) -> None:
    """Offsets run from -12:00 to +14:00: '+15:00', a slip for '-05:00' or '+05:00', would
    plan a moment a day away from the one meant."""
    result = run(
        capsys, "contact", "--flag", "HT", "--zone", "eez", "--at", f"2026-12-01T10:00{offset}",
    )  # fmt: skip
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("somnet: --at: "), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    for edge in ("-12:00", "+14:00"):
        result = run(
            capsys, "contact", "--flag", "HT", "--zone", "eez", "--at", f"2026-12-01T10:00{edge}",
            "--format", "json",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("offset", ["-05:00:30", "+05:30:45", "-04:00:00.5"])
def test_a_time_at_an_offset_of_seconds_is_refused(
    capsys: pytest.CaptureFixture[str], offset: str
) -> None:
    """No time zone of today keeps an offset of seconds: '+05:30:45' was taken, and the plan
    then said 'UTC+5:30', another instant than the one planned."""
    result = run(
        capsys, "contact", "--flag", "HT", "--zone", "eez", "--at", f"2026-12-01T10:00{offset}",
    )  # fmt: skip
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("somnet: --at: "), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_time_without_offset_for_a_state_of_several_zones_that_disagree_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """France keeps Paris and Martinique: "--as FR --at 2026-12-01T10:00" was read as 10:00 in
    Paris, five hours from the Caribbean officer's 10:00, with nothing but "(UTC+1)" to say
    so. Which zone is meant cannot be guessed: the offset is asked for."""
    result = run(
        capsys, "contact", "--flag", "HT", "--zone", "eez", "--as", "FR",
        "--at", "2026-12-01T10:00",
    )  # fmt: skip
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("somnet: --at: "), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    # The United States keeps New York, Chicago (the Gulf) and Puerto Rico: in July New York
    # and Puerto Rico agree, Chicago does not, and the offset is asked for too.
    result = run(
        capsys, "contact", "--flag", "HT", "--zone", "eez", "--as", "US",
        "--at", "2026-07-01T10:00",
    )  # fmt: skip
    assert result.exit_code == 2 and "America/Chicago -05:00" in result.stderr, result.stderr
    # With the offset, or for a state of one zone, the time is read.
    for acting, at in (
        ("FR", "2026-12-01T10:00-04:00"),
        ("US", "2026-07-01T10:00-05:00"),
        ("BS", "2026-12-01T10:00"),
    ):
        result = run(
            capsys, "contact", "--flag", "HT", "--zone", "eez", "--as", acting, "--at", at,
            "--format", "json",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr


def test_the_offset_suggested_for_a_time_of_several_zones_is_one_of_the_states(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The refusal of "--as FR --at 2026-12-01T10:00" suggested "2026-12-01T03:00-05:00": an
    offset no French zone keeps, and another time. The suggestions are the time typed with
    the offsets of the state's own zones then, each one accepted as typed."""
    result = run(
        capsys, "contact", "--flag", "HT", "--zone", "eez", "--as", "FR",
        "--at", "2026-12-01T10:00",
    )  # fmt: skip
    assert result.exit_code == 2
    suggested = re.findall(r"2026-12-01T10:00[+-]\d\d:\d\d", result.stderr)
    assert suggested, result.stderr
    assert {s[-6:] for s in suggested} <= {"+01:00", "-04:00"}
    assert "+01:00" in {s[-6:] for s in suggested} and "-04:00" in {s[-6:] for s in suggested}
    for at in suggested:
        accepted = run(
            capsys, "contact", "--flag", "HT", "--zone", "eez", "--as", "FR", "--at", at,
            "--format", "json",
        )  # fmt: skip
        assert accepted.exit_code == 0, accepted.stderr


@pytest.mark.parametrize(
    ("command", "help_of"),
    [
        (["agreements", "--between", "US", "HT", "BS"], "somnet agreements"),
        (["contact", "--zone", "eez", "--bogus"], "somnet contact"),
        (["directory", "show", "HT", "extra"], "somnet directory show"),
    ],
)
def test_a_word_too_many_points_to_the_help_of_the_command_given(
    capsys: pytest.CaptureFixture[str], command: list[str], help_of: str
) -> None:
    """A third state after --between was refused with "see somnet --help", the help of every
    command but the one the officer typed."""
    result = run(capsys, *command)
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.strip().endswith(f"(see {help_of} --help)"), result.stderr


def test_the_call_list_says_whose_nationals_each_consular_call_is_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """British, Caymanian and Turks and Caicos Islanders landed in the United States: their
    consular post is the same British consulate (a territory's people are its sovereign's), in
    three steps, one a nationality, as the JSON contract has it (``nationality`` is one code a
    step). The call list, all that ``--brief`` prints, showed three identical lines: it must
    say whom each call is for."""
    result = run(
        capsys, "contact", "--flag", "HT", "--zone", "high-seas", "--as", "US",
        "--disembark", "US", "--nationality", "GB,KY,TC", "--at", "2026-12-01T10:00-05:00",
        "--brief",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "Consular access" in line]
    assert len(lines) == 3, result.stdout
    for code, line in zip(("GB", "KY", "TC"), lines, strict=True):
        assert re.search(rf"\b{code}\b", line), line


def test_the_call_list_tells_the_guardian_notice_from_the_offer_of_consular_access(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Unaccompanied Dominican children landed in the United States: R10's notice to their
    post (a guardian is to be appointed, VCCR art. 37(b): no consent asked) and R6's offer of
    consular access (the person's choice) were both "Consular access DO" in the call list, one
    "notify" and one "inform ... only with the person's consent", read at a glance as one call
    said twice, once without the consent it needs. The notice has its own name; the JSON keeps
    both steps' purpose, ``consular-access``."""
    args = ["--flag", "DO", "--zone", "high-seas", "--as", "US", "--disembark", "US"]
    args += ["--nationality", "DO", "--unaccompanied", "--at", "2026-12-01T10:00-05:00"]
    found = json.loads(run(capsys, "contact", *args, "--format", "json").stdout)["steps"]
    consular = [(s["rule"], s["purpose"]) for s in found if s["nationality"] == "DO"]
    assert ("R10", "consular-access") in consular and ("R6", "consular-access") in consular
    listed = run(capsys, "contact", *args, "--brief").stdout.splitlines()
    offers = [line for line in listed if "Consular access DO" in line]
    notices = [line for line in listed if "Guardian notice DO" in line]
    assert len(offers) == 1 and " inform " in offers[0], listed
    assert len(notices) == 1 and " notify " in notices[0], listed


def test_the_call_list_says_a_notice_to_asylum_seekers_state_must_not_reveal_the_claim(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Unaccompanied children claiming asylum, one dead, Haitians and Chinese landed in the
    United States: the notices that go to their posts whatever their wish (a guardian to be
    appointed, the death, and China's mandatory notification) each warn in their details
    that the notice must not reveal the asylum claim and that UNHCR is consulted first. The
    call list, all that ``--brief`` prints, showed them as plain "notify" lines: the officer who
    reads only it calls the consulate of the state the children may be fleeing with nothing to
    hold back. It now says so under each."""
    args = ["--flag", "HT", "--zone", "high-seas", "--as", "US", "--disembark", "US"]
    args += ["--nationality", "HT,CN", "--unaccompanied", "--deaths", "--asylum"]
    args += ["--at", "2026-12-01T10:00-05:00"]
    found = json.loads(run(capsys, "contact", *args, "--format", "json").stdout)["steps"]
    notices = [
        s["order"]
        for s in found
        if s["purpose"] in ("consular-access", "consular-death-notification")
        and not s["requires_consent"]
    ]
    assert len(notices) >= 5, found  # two guardian notices, two deaths, China's notification
    listed = run(capsys, "contact", *args, "--brief").stdout.splitlines()
    listed = listed[listed.index("CALL LIST") + 1 :]
    for order in notices:
        start = next(n for n, line in enumerate(listed) if line[:3].strip() == str(order))
        under = " ".join(line.strip() for line in listed[start + 1 : start + 3])
        assert "never reveal the asylum claim" in under, (order, listed)
    # Without a claim nothing is held back, and nothing is said.
    plain = [a for a in args if a != "--asylum"]
    assert "reveal" not in run(capsys, "contact", *plain, "--brief").stdout


@pytest.mark.parametrize("acting", ["GB", "NL"])
def test_a_time_without_offset_for_a_sovereign_acting_in_the_caribbean_is_refused(
    capsys: pytest.CaptureFixture[str], acting: str
) -> None:
    """A Royal Navy ship off the Turks and Caicos Islands (or a Dutch one off Bonaire): the
    United Kingdom's own zone is London's, so "--as GB --at 2026-12-01T08:30" was read as 08:30
    in London, 03:30 for the officer, and the plan said the offices open at 08:00 were closed.
    Its territories keep other zones: which is meant cannot be guessed, as for France."""
    result = run(
        capsys, "contact", "--flag", "HT", "--zone", "territorial", "--coastal", "TC",
        "--as", acting, "--at", "2026-12-01T08:30",
    )  # fmt: skip
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("somnet: --at: "), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    # With the offset it is read; a territory of one zone reads its own clock.
    for who, at in ((acting, "2026-12-01T08:30-05:00"), ("KY", "2026-12-01T08:30")):
        result = run(
            capsys, "contact", "--flag", "HT", "--zone", "territorial", "--coastal", "TC",
            "--as", who, "--at", at, "--format", "json",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["interception"]["at"].endswith("-05:00")


def test_unresolved_steps_for_two_authorities_are_told_apart_in_the_call_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Whose contiguous zone it is, and where people land, are not given: the coastal notice
    # goes to two authorities of the coastal state, the protection referral to two bodies.
    args = ["--flag", "HT", "--zone", "contiguous", "--at", "2026-12-01T03:00-05:00"]
    plan = contact_json(capsys, *args)
    unresolved = [s for s in plan["steps"] if s["agency"] is None]
    assert len({(s["purpose"], s["role"]) for s in unresolved}) == len(unresolved)
    assert len({s["purpose"] for s in unresolved}) < len(unresolved)
    brief = run(capsys, "contact", *args, "--brief").stdout.splitlines()
    listed = brief[brief.index("NOT RESOLVED (what to add)") + 1 :]
    # Each step's line (the first of its lines), its number aside, is its own.
    firsts = [line[2:].strip() for line in listed if line[:2].strip().isdigit()]
    assert len(firsts) == len(unresolved)
    assert len(set(firsts)) == len(firsts), firsts


def test_consular_json_names_the_foreign_ministry_the_text_names_for_a_proven_none(
    capsys: pytest.CaptureFixture[str], fixture_base: Path, tmp_path: Path
) -> None:
    # A proven "none" (no post of Haiti covers Jamaica): the text names Haiti's foreign
    # ministry, the diplomatic channel; the JSON names it too, in the row without a mission.
    # A row with a mission names none.
    (tmp_path / "consular.toml").write_text(
        """
[[consular]]
nationality = "HT"
receiving = ["JM"]
type = "none"
status = "confirmed"
last_verified = 2026-11-01
notes = ["No Haitian mission is accredited to Jamaica."]
[[consular.sources]]
title = "Haiti: missions abroad"
url = "https://www.mae.gouv.ht/"
evidence = "mission-list"
[[consular.sources]]
title = "Jamaica: diplomatic list"
url = "https://mfaft.gov.jm/"
evidence = "diplomatic-list"
""",
        encoding="utf-8",
    )
    directory = somnet.load_directory(base=fixture_base, use_env=False)
    ministry = directory.foreign_ministry("HT")
    assert ministry is not None
    args = ["consular", "--nationality", "HT", "--in", "JM", "--data", str(tmp_path)]
    text = run(capsys, *args)
    assert text.exit_code == 0, text.stderr
    assert f"id {ministry.id}" in text.stdout
    as_json = run(capsys, *args, "--format", "json")
    [row] = json.loads(as_json.stdout)
    assert row["mission"] is None and row["foreign_ministry"]["id"] == ministry.id
    served = json.loads(
        run(capsys, "consular", "--nationality", "HT", "--in", "BS", "--format", "json").stdout
    )
    assert served and all(r["foreign_ministry"] is None for r in served)


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_a_steps_count_of_source_notes_takes_its_own_plural(
    language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A step with one source note said "(1 source note(s): --explain)", "1 nota(s)",
    "1 note(s)": the count takes the singular or the plural, as every other count does."""
    case = (
        "contact", "--flag", "HT", "--zone", "territorial", "--coastal", "BS", "--as", "US",
        "--distress", "--nationality", "HT", "--at", "2026-12-01T03:00-05:00",
    )  # fmt: skip
    result = run(capsys, "--lang", language, *case)
    assert result.exit_code == 0, result.stderr
    # The case's first step (SAR coordination) has one note, told only with --explain.
    assert re.search(r"\(1 \w.*: --explain\)", result.stdout), result.stdout
    assert "(s)" not in result.stdout, result.stdout
    assert not re.search(r"\b1 (source notes|notas|notes)\b", result.stdout), result.stdout


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_one_contact_beyond_the_three_shown_is_counted_in_the_singular(
    language: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A step shows three contacts and counts the rest: with four it said "(+1 more contacts:
    --format json)". An overlay gives the RBDF three more duty contacts (four in all)."""
    shipped = (Path(__file__).parent.parent / "data" / "states" / "BS.toml").read_text()
    start = shipped.index('[[agencies.contacts]]\nid = "bs-rbdf-occ"')
    end = shipped.index("\n[[agencies]]", start)
    block = shipped[start:end]
    more = "".join(
        "\n"
        + block.replace('"bs-rbdf-occ"', f'"bs-rbdf-occ-{i}"').replace(
            "+12425550108", f"+1242555019{i}"
        )
        for i in (2, 3, 4)
    )
    (tmp_path / "states").mkdir()
    (tmp_path / "states" / "BS.toml").write_text(shipped[:end] + more + shipped[end:])
    result = run(
        capsys, "--lang", language, "contact", "--flag", "HT", "--zone", "territorial",
        "--coastal", "BS", "--as", "US", "--nationality", "HT", "--at", "2026-12-01T03:00-05:00",
        "--data", str(tmp_path), "--no-cache",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert re.search(r"\(\+1 \w", result.stdout), result.stdout  # the fourth contact is counted
    assert not re.search(r"\(\+1 (more contacts|contactos|autres contacts)\b", result.stdout), (
        result.stdout
    )


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # The options after "--" are words the command does not take: said so, where it said
        # that --zone, given after "--", was missing.
        (
            ["contact", "--", "--flag", "HT", "--zone", "contiguous"],
            "somnet contact: unrecognized arguments: -- --flag HT --zone contiguous "
            "(see somnet contact --help)\n",
        ),
        (
            ["contact", "--flag", "HT", "--", "--zone", "contiguous"],
            "somnet contact: unrecognized arguments: -- --zone contiguous "
            "(see somnet contact --help)\n",
        ),
        (
            ["contact", "--flag", "HT", "--zone", "contiguous", "--", "--coastal", "BS"],
            "somnet contact: unrecognized arguments: -- --coastal BS (see somnet contact --help)\n",
        ),
        # Before the command, "--" is no command.
        (
            ["--", "contact", "--flag", "HT", "--zone", "contiguous"],
            "somnet: argument COMMAND: invalid choice: '--' (choose from 'contact', "
            "'agreements', 'consular', 'directory', 'meeting') (see somnet --help)\n",
        ),
    ],
)
def test_a_double_dash_is_refused_where_no_words_follow_the_options(
    capsys: pytest.CaptureFixture[str], words: list[str], expected: str
) -> None:
    """``somnet contact -- --flag HT --zone contiguous`` (the POSIX end of options, where
    somnet's commands take no words) must be refused as argparse refuses words, exit 2, never a
    plan made without the options given after it."""
    result = run(capsys, *words)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", expected)


def test_a_double_dash_still_ends_the_options_of_a_command_that_takes_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    shown = run(capsys, "directory", "show", "--", "HT")
    assert shown.exit_code == 0 and shown.stdout.startswith("HT  "), shown.stderr
    found = run(capsys, "directory", "search", "--format", "json", "--", "-0100")
    assert found.exit_code == 0, found.stderr


@pytest.mark.parametrize(
    ("option", "flag"),
    [
        ("--at=--", "--at"),
        ("--stale-days=--", "--stale-days"),
        ("--nationality=--", "--nationality"),
        ("--coastal=--", "--coastal"),
    ],
)
def test_a_double_dash_given_as_an_options_value_is_that_value(
    capsys: pytest.CaptureFixture[str], option: str, flag: str
) -> None:
    """``--at=--`` gives the option the value "--", refused as its other bad values are,
    naming the option: Python's argparse dropped it and handed the command an empty list,
    which it met with a traceback (or "stale_days: [] is not a whole number")."""
    result = run(capsys, "contact", "--flag", "HT", "--zone", "contiguous", "--as", "BS", option)
    assert result.exit_code == 2, result.stderr
    assert f"{flag}: " in result.stderr, result.stderr
    assert "'--'" in result.stderr and "[]" not in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr


@pytest.mark.parametrize(
    "words",
    [
        ["contact", "--la", "es", "--flag", "HT", "--zone", "contiguous", "--as", "BS"],
        ["contact", "--lan=es", "--flag", "HT", "--zone", "contiguous", "--as", "BS"],
        ["contact", "--l", "es", "--flag", "HT", "--zone", "contiguous", "--as", "BS"],
        ["--la", "es", "contact", "--flag", "HT", "--zone", "contiguous", "--as", "BS"],
    ],
)
def test_an_abbreviated_lang_chooses_the_language_as_lang_does(
    capsys: pytest.CaptureFixture[str], words: list[str]
) -> None:
    """argparse takes ``--la es`` for ``--lang es`` (an option may be abbreviated): the plan is
    then in Spanish, as with ``--lang es``, where it was in English (or, before the command,
    the main help, exit 2)."""
    plan = ["contact", "--flag", "HT", "--zone", "contiguous", "--as", "BS"]
    spanish, english = run(capsys, "--lang", "es", *plan), run(capsys, *plan)
    assert spanish.exit_code == 0 and spanish.stdout != english.stdout
    result = run(capsys, *words)
    assert (result.exit_code, result.stdout) == (0, spanish.stdout), result.stderr


def test_an_abbreviated_lang_given_beside_lang_with_another_value_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = run(
        capsys, "contact", "--la", "es", "--lang", "fr", "--flag", "HT", "--zone", "contiguous",
    )  # fmt: skip
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "somnet: --lang: given twice, as 'es' and 'fr'; give it once\n"


@pytest.mark.parametrize("rescue", [[], ["--distress"]])
def test_a_landing_where_the_directory_holds_no_authority_says_what_to_add(
    capsys: pytest.CaptureFixture[str], fixture_base: Path, rescue: list[str]
) -> None:
    """People to be landed in Peru, whose authorities the directory does not hold: the landing
    step names no agency and borrows none (not the RCC that coordinates the rescue, not the
    acting state's), its JSON says which roles it needs, and the call list puts it under what
    to add."""
    args = ["contact", "--flag", "HT", "--zone", "high-seas", "--as", "US",
            "--disembark", "PE", "--nationality", "HT", *rescue,
            "--at", "2026-12-01T15:00-05:00"]  # fmt: skip
    result = run(capsys, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    [step] = [s for s in json.loads(result.stdout)["steps"] if s["purpose"] == "disembarkation"]
    assert (step["state"], step["resolved"], step["agency"]) == ("PE", False, None)
    assert step["role"] == "maritime-law-enforcement"
    assert any(
        w.startswith("The directory has no maritime-law-enforcement / ")
        and "foreign-affairs agency for PE" in w
        for w in step["warnings"]
    ), step["warnings"]
    text = run(capsys, *args)
    assert text.exit_code == 0, text.stderr
    section = text.stdout.split("NOT RESOLVED (what to add)", 1)[1].split("\n\n", 1)[0]
    assert "Landing consent" in section, section
    assert "agency for PE" in section, section


@pytest.mark.parametrize(("asylum", "action"), [([], "notify"), (["--asylum"], "inform")])
def test_a_landing_notified_under_an_agreement_is_not_called_a_consent(
    capsys: pytest.CaptureFixture[str], asylum: list[str], action: str
) -> None:
    """Cubans landed in Cuba by a U.S. cutter under the 1995 Joint Statement: the step
    notifies, asking no consent, yet the call list and the step's title read "Landing
    consent (notify)". They say it is a notice; so does the step deferred until asylum claims
    are decided (its action is then "inform": it read "Landing consent" again)."""
    result = run(
        capsys, "contact", "--flag", "CU", "--zone", "high-seas", "--as", "US",
        "--disembark", "CU", "--nationality", "CU", "--at", "2026-12-01T15:00-05:00", *asylum,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Landing consent" not in result.stdout, result.stdout
    assert re.search(rf"^ +\d+ {action} +Landing notice ", result.stdout, re.M), result.stdout
    assert re.search(rf"^ +\d+\. Landing notice \({action}\)", result.stdout, re.M), result.stdout


def test_an_overlay_filling_a_gap_of_the_shipped_directory_puts_no_warning_above_the_plan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A unit's restricted overlay adds an agency for a role the shipped directory records as
    a gap (Antigua and Barbuda's refugee-status, say). Every command printed "the gap's note
    is out of date" about the shipped file, which no officer can change, above the plan; the
    plan now uses the agency, with nothing on standard error."""
    shipped = load_directory(use_env=False, cache_dir=None)
    code, role = next(
        (state.code, gap.roles[0])
        for state in sorted(shipped.states.values(), key=lambda s: s.code)
        for gap in state.role_gaps
        if gap.roles[0] == "refugee-status"
    )
    unit = tmp_path / "unit" / "states"
    unit.mkdir(parents=True)
    (unit / f"{code}-unit.toml").write_text(
        f"""[[agencies]]
id = "unit-{code.lower()}-refugee-desk"
state = "{code}"
name = "Refugee desk"
name_en = "Refugee desk"
roles = ["{role}"]
status = "uncertain"
last_verified = 2026-11-01
sources = [{{ title = "The unit's own record" }}]

[[agencies.contacts]]
id = "unit-{code.lower()}-refugee-desk.duty"
kind = "duty"
languages = ["en"]
last_verified = 2026-11-01
illustrative = true

[[agencies.contacts.channels]]
kind = "email"
value = "refugee-desk@unit.example.org"
availability = "24/7"
""",
        encoding="utf-8",
    )
    result = run(
        capsys,
        *("contact", "--flag", "HT", "--zone", "territorial", "--coastal", code),
        *("--nationality", "HT", "--asylum", "--data", str(tmp_path / "unit")),
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert f"unit-{code.lower()}-refugee-desk" in result.stdout
    # With an overlay laid, the plan's notice told the officer to lay one; and the overlay's
    # own contact here is illustrative too, so the notice may not say where they come from.
    said = " ".join(result.stdout.split())
    assert "Never dial or write to them" in said, said
    assert "lay your restricted directory over it" not in said, said
    assert "come from the shipped directory" not in said, said


@pytest.mark.parametrize(
    ("nationalities", "label", "own"),
    [("HT", "Nationals' landing", True), ("HT,CU", "Landing consent", False)],
)
def test_a_landing_of_a_states_own_nationals_is_not_called_a_consent(
    capsys: pytest.CaptureFixture[str], nationalities: str, label: str, own: bool
) -> None:
    """Haitians landed in Haiti by a U.S. cutter, with no agreement that provides for it: the
    step asks Haiti to verify their nationality and to name the port, no consent (nobody needs
    their own country's consent to enter it), yet the call list and the step's title read
    "Landing consent". They say it is a landing of the state's own nationals, and the JSON
    says so (``own_nationals``) for a script to show the same. With a Cuban aboard, Haiti's
    consent is asked, as before."""
    args = [
        "contact", "--stateless", "--zone", "high-seas", "--as", "US", "--disembark", "HT",
        "--nationality", nationalities, "--at", "2026-12-01T15:00-05:00",
    ]  # fmt: skip
    result = run(capsys, *args)
    assert result.exit_code == 0, result.stderr
    assert re.search(rf"^ +\d+ request +{label} ", result.stdout, re.M), result.stdout
    assert re.search(rf"^ +\d+\. {label} \(request\)", result.stdout, re.M), result.stdout
    if own:
        assert "Landing consent" not in result.stdout, result.stdout
    data = run(capsys, *args, "--format", "json")
    [step] = [s for s in json.loads(data.stdout)["steps"] if s["purpose"] == "disembarkation"]
    assert step["own_nationals"] is own, step


def test_the_rescue_units_entry_is_told_apart_from_the_entry_authorisation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A U.S. cutter going to a vessel in distress in Jamaica's territorial sea, with no search
    and rescue agreement: the entry of its rescue units is asked of Jamaica's RCC, and the
    authorisation to board, search or detain of its maritime law enforcement. Both read
    "Entry authorisation" in the call list; the first says it is the rescue entry."""
    result = run(
        capsys, "contact", "--flag", "HT", "--zone", "territorial", "--coastal", "JM",
        "--as", "US", "--distress", "--at", "2026-12-01T15:00-05:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    listed = re.findall(r"^ +\d+ request +(Rescue entry|Entry authorisation) ", result.stdout, re.M)
    assert listed == ["Rescue entry", "Entry authorisation"], result.stdout


@pytest.mark.parametrize("brief", [False, True])
def test_an_empty_call_list_says_why(capsys: pytest.CaptureFixture[str], brief: bool) -> None:
    args = ["--as", "US", "--flag", "US", "--zone", "high-seas", "--nationality", "US"]
    result = run(capsys, "contact", *args, "--return", *(["--brief"] if brief else []))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("CALL LIST" if brief else "CALL LIST (details below)")
    # Said in the call list itself, where an empty list would read as a failure; alone
    # (--brief), with the notes that say why.
    assert lines[start + 1] == (
        "No step is owed on these facts:"
        if brief
        else "No step is owed on these facts: the notes below say why."
    )
    text = " ".join(result.stdout.split())
    assert "Everyone aboard is a national of US, the acting state" in text
    assert "no flag state to ask" in text and "is their return" in text
    assert max(len(line) for line in lines) <= 80
    payload = json.loads(run(capsys, "contact", *args, "--return", "--format", "json").stdout)
    assert payload["steps"] == []
    assert [n["rule"] for n in payload["notes"]] == ["R4", "R9", "R13"]


def test_at_help_says_a_time_without_offset_is_read_in_the_acting_states_zone(capsys):
    """--at's line said "ISO 8601 with offset", yet a time without one is taken, in the acting
    state's zone."""
    result = run(capsys, "contact", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    line = text.split("--at TIME ", 1)[1].split(" --", 1)[0]
    assert "with offset" not in line
    assert "without an offset, in the acting state's zone" in line, line


def test_an_office_closed_on_a_holiday_names_it_in_the_language_of_the_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A Spanish plan said "Christmas Day" of Mexico's 25 December: python-holidays' names were
    # always taken in English. The United States' keeps English: python-holidays has no
    # Spanish names of it.
    args = ("--flag", "MX", "--zone", "territorial", "--coastal", "MX", "--as", "MX")
    args += ("--at", "2026-12-25T10:00-06:00")
    result = run(capsys, "--lang", "es", "contact", *args)
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "es feriado en MX (Navidad)" in text, text
    assert "MX (Christmas Day)" not in text
    english = " ".join(run(capsys, "contact", *args).stdout.split())
    assert "is a public holiday in MX (Christmas Day)" in english
    # JSON's notes stay English in every language.
    plans = [contact_json(capsys, "--lang", language, *args) for language in ("en", "es", "fr")]
    assert plans[0] == plans[1] == plans[2]
    notes = [n for s in plans[0]["steps"] for n in s["notes"] if "public holiday in MX" in n]
    assert notes and all("(Christmas Day)" in n for n in notes)
