"""``somnet directory validate|show|search|stale|export``, ``--version`` and ``--help``, run the
way a user runs them, on the sample directory laid in place of the shipped one."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.cli import Result
from tests.cli import run as run_cli
from tests.factories import SAMPLE_COUNTS, make_directory, sample_files, write_layer

BS = "states/BS.toml"
HT = "states/HT.toml"


@pytest.fixture(autouse=True)
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample directory in place of the shipped one, for every command."""
    folder = make_directory(tmp_path / "shipped")
    monkeypatch.setattr("somnet.directory.loading.shipped_data_dir", lambda: folder)
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    result = run_cli(capsys, *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def one_line_error(result: Result) -> str:
    """The single line a failed command printed, without the ``somnet:`` prefix."""
    assert result.exit_code == 2, result
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("somnet: ")
    return lines[0].removeprefix("somnet: ")


def overlay(tmp_path: Path, name: str = BS, content: bytes | None = None) -> tuple[Path, Path]:
    """An overlay folder holding one file (by default a valid copy of the sample BS file)."""
    folder = tmp_path / "overlay"
    if content is None:
        write_layer(folder, {name: sample_files()[name]})
    else:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    return folder, folder / name


# --version, --help ---------------------------------------------------------------------------


def test_version(capsys):
    from somnet._version import __version__

    result = run(capsys, "--version")
    assert result.exit_code == 0
    assert result.stdout == f"somnet {__version__}\n"


def test_help_lists_the_commands_with_examples(capsys):
    result = run(capsys, "--help")
    assert result.exit_code == 0
    assert "directory" in result.stdout
    assert "examples:" in result.stdout
    assert "somnet directory show HT" in result.stdout


def test_directory_help_lists_its_subcommands(capsys):
    result = run(capsys, "directory", "--help")
    assert result.exit_code == 0
    for command in ("validate", "show", "search", "stale", "export"):
        assert command in result.stdout


def test_no_command_prints_help_and_exits_2(capsys):
    result = run(capsys)
    assert result.exit_code == 2
    assert "usage: somnet" in result.stdout


# validate ------------------------------------------------------------------------------------


def test_validate_counts_the_records(capsys, base):
    result = run(capsys, "directory", "validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "valid: 3 states, 10 agencies, 8 contacts, 2 agreements, 3 consular channels, "
        "1 SAR regions",
        f"  from {base}",
    ]
    assert result.stderr == ""


def test_validate_as_json(capsys, base, tmp_path):
    folder, _ = overlay(tmp_path)
    result = run(capsys, "directory", "validate", "--data", str(folder), "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    # The overlay is a copy of the BS file: it replaces the state and each of its agencies.
    replaced = report.pop("replacements")
    assert replaced[0]["kind"] == "state" and replaced[0]["id"] == "BS"
    assert {r["by"]["file"] for r in replaced} == {str(folder / BS)}
    assert report == {
        "valid": True,
        "layers": [str(base), str(folder)],
        **SAMPLE_COUNTS,
        "filled_gaps": [],
    }


def test_a_gap_an_overlay_fills_is_listed_by_validate_and_warned_of_by_no_command(
    capsys, tmp_path, monkeypatch
):
    """A unit's overlay adds an agency holding a role the shipped HT file records as a gap.
    Every command printed that the shipped file's note was out of date: a warning no officer
    can act on, above every plan. Only ``directory validate`` lists it, as information."""
    files = sample_files()
    files[HT]["state"]["role_gaps"] = [
        {"roles": ["ship-registry"], "note": "No register was found. Searched the gazette."}
    ]
    shipped = write_layer(tmp_path / "with-gap", files)
    monkeypatch.setattr("somnet.directory.loading.shipped_data_dir", lambda: shipped)
    registry = {
        "id": "ht-registry",
        "state": "HT",
        "name": "Registre maritime",
        "name_en": "Maritime registry",
        "roles": ["ship-registry"],
        "status": "uncertain",
        "last_verified": date(2026, 1, 5),
        "sources": [{"title": "The unit's own record"}],
    }
    unit = write_layer(tmp_path / "unit", {"states/HT-unit.toml": {"agencies": [registry]}})
    for command in (("directory", "show", "HT"), ("contact", "--flag", "HT", "--zone", "eez")):
        result = run(capsys, *command, "--data", str(unit))
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""
    result = run(capsys, "directory", "validate", "--data", str(unit))
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.splitlines()[-3:] == [
        "1 gap recorded in one layer is filled from another:",
        f"  HT ship-registry: ht-registry {unit / 'states/HT-unit.toml'} $.agencies[0]",
        f"    fills the gap at {shipped / HT} $.state.role_gaps[0]",
    ]
    result = run(capsys, "directory", "validate", "--data", str(unit), "--format", "json")
    assert json.loads(result.stdout)["filled_gaps"] == [
        {
            "state": "HT",
            "role": "ship-registry",
            "gap": {"file": str(shipped / HT), "path": "$.state.role_gaps[0]"},
            "agency": "ht-registry",
            "by": {"file": str(unit / "states/HT-unit.toml"), "path": "$.agencies[0]"},
        }
    ]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda valid: valid + b"\n@@@ garbage ###\n", "not valid TOML: Invalid statement"),
        (lambda valid: valid[: valid.index(b"Royal") + 5], "not valid TOML: Unterminated string"),
        (lambda valid: b"\x7fELF\x02\x01\x01\x00\x00\x00" + valid, "binary data (a NUL byte"),
        (lambda valid: valid.replace(b"Bahamas", b"Bahamas\xff", 1), "not UTF-8 text"),
        (lambda valid: b"", "the file is empty"),
    ],
    ids=["garbage-appended", "truncated", "binary", "not-utf8", "empty"],
)
def test_validate_names_the_corrupted_overlay_file(capsys, base, tmp_path, damage, message):
    folder, path = overlay(tmp_path, content=damage((base / BS).read_bytes()))
    line = one_line_error(run(capsys, "directory", "validate", "--data", str(folder)))
    assert line.startswith(f"{path}: {message}")


def test_every_command_refuses_a_corrupted_overlay(capsys, base, tmp_path):
    folder, path = overlay(tmp_path, content=(base / BS).read_bytes() + b"}}}")
    for command in (["show", "HT"], ["search", "rbdf"], ["stale"], ["export"]):
        line = one_line_error(run(capsys, "directory", *command, "--data", str(folder)))
        assert line.startswith(f"{path}: not valid TOML: "), command


@pytest.mark.parametrize(
    ("name", "reserved"),
    [
        ("CON.toml", "CON.toml"),
        ("states/aux.toml", "aux.toml"),
        ("states/Nul.backup.toml", "Nul.backup.toml"),
        ("COM1/extra.toml", "COM1"),
        ("extra./a.toml", "extra."),
    ],
)
def test_an_overlay_file_named_as_a_windows_device_is_refused_naming_it(
    capsys, base, tmp_path, monkeypatch, name, reserved
):
    """An overlay made on Linux holding a file or folder named as a device on Windows (CON,
    AUX, NUL, COM1..., in any case, with any extension) or ending in a dot loaded here, and
    broke on the Windows laptop it was copied to, while publish and sync refuse such names.
    Every command refuses it, naming the file, as validate does (exit 2)."""
    folder = write_layer(tmp_path / "unit", {name: {"agencies": []}})
    line = one_line_error(run(capsys, "directory", "validate", "--data", str(folder)))
    assert line.startswith(f"{folder / name}: {reserved!r} ") and "Windows" in line, line
    monkeypatch.setenv("SOMNET_DATA", str(folder))
    for command in (["validate"], ["show", "HT"]):
        assert one_line_error(run(capsys, "directory", *command)) == line, command
    # Renamed, it loads.
    named = folder / name[: name.index(reserved) + len(reserved)]
    named.rename(named.with_name("renamed.toml" if named.is_file() else "renamed"))
    assert run(capsys, "directory", "validate").exit_code == 0


LONG_NAME = "states/" + "a" * 245 + ".toml"  # 256 characters


@pytest.mark.parametrize(
    ("name", "renamed"),
    [
        ("états/HT.toml", "etats/HT.toml"),
        ("states/BS copy.toml", "states/BS-copy.toml"),
        ("states/BS:2.toml", "states/BS-2.toml"),
        ("states/-BS.toml", "states/BS.toml"),
        (LONG_NAME, "states/long.toml"),
    ],
    ids=["accented", "space", "colon", "dash-first", "too-long"],
)
def test_an_overlay_file_whose_name_a_bundle_may_not_carry_is_refused_naming_it(
    capsys, base, tmp_path, monkeypatch, name, renamed
):
    """An overlay made on Linux may hold names that another agency's system does not hold as it
    does (``états`` decomposed on macOS, ``:`` forbidden on Windows): it loaded here and not
    on the colleague's laptop it was copied to, while publish and sync refuse such names. Every
    command refuses it, naming the file (exit 2); renamed, it loads. The overlay's own folder
    may be named as its owner likes: only the names inside it are a layer's."""
    folder = write_layer(tmp_path / "unité de garde", {name: {"agencies": []}})
    line = one_line_error(run(capsys, "directory", "validate", "--data", str(folder)))
    assert line.startswith(f"{folder / name}: ") and "letters a-z and A-Z" in line, line
    monkeypatch.setenv("SOMNET_DATA", str(folder))
    for command in (["directory", "validate"], ["directory", "show", "HT"]):
        assert one_line_error(run(capsys, *command)) == line, command
    monkeypatch.delenv("SOMNET_DATA")
    contact = ["contact", "--flag", "HT", "--zone", "eez", "--data", str(folder)]
    assert one_line_error(run(capsys, *contact)) == line
    (folder / renamed).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).rename(folder / renamed)
    assert run(capsys, "directory", "validate", "--data", str(folder)).exit_code == 0
    assert run(capsys, *contact).exit_code == 0


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("states/BS.toml", "states/bs.toml"),
        ("Extra/more.toml", "extra/more.toml"),
    ],
    ids=["files", "folders"],
)
def test_overlay_files_whose_names_differ_only_by_case_are_refused_naming_both(
    capsys, base, tmp_path, monkeypatch, first, second
):
    """``states/BS.toml`` and ``states/bs.toml`` are two files on Linux and one on macOS and
    Windows: the overlay loaded here did not load, or loaded something else, on the laptop it
    was copied to, while publish and sync refuse such paths. Every command refuses it, naming
    both files (exit 2); one renamed, it loads."""
    (tmp_path / "probe").mkdir()
    if (tmp_path / "PROBE").exists():
        pytest.skip("a case-insensitive file system holds one of the two files only")
    folder = write_layer(tmp_path / "unit", {first: {"agencies": []}, second: {"agencies": []}})
    line = one_line_error(run(capsys, "directory", "validate", "--data", str(folder)))
    assert line.startswith(f"{folder / first} and {folder / second}: "), line
    assert "differ only by case" in line, line
    monkeypatch.setenv("SOMNET_DATA", str(folder))
    for command in (["directory", "validate"], ["directory", "show", "HT"]):
        assert one_line_error(run(capsys, *command)) == line, command
    monkeypatch.delenv("SOMNET_DATA")
    contact = ["contact", "--flag", "HT", "--zone", "eez", "--data", str(folder)]
    assert one_line_error(run(capsys, *contact)) == line
    (folder / first).rename(folder / "renamed.toml")
    assert run(capsys, "directory", "validate", "--data", str(folder)).exit_code == 0
    assert run(capsys, *contact).exit_code == 0


def test_every_command_names_the_overlay_that_broke_a_reference_of_the_shipped_directory(
    capsys, base, tmp_path
):
    """An overlay replaces the RCC without the role 'sar': the shipped SAR region's reference
    breaks. The message names the overlay's record, which its maintainer can fix, beside the
    shipped file, which no one at sea can change."""
    [rcc] = [a for a in sample_files()["states/US.toml"]["agencies"] if a["id"] == "us-rcc-miami"]
    rcc["roles"] = ["maritime-law-enforcement"]
    folder = write_layer(tmp_path / "unit", {"states/US.toml": {"agencies": [rcc]}})
    expected = (
        f"{base / 'sar.toml'}: $.sar_regions[0].rcc: agency 'us-rcc-miami' (replaced by "
        f"{folder / 'states/US.toml'}: $.agencies[0]) does not have the role 'sar'"
    )
    for command in (["validate"], ["show", "HT"], ["search", "rbdf"], ["export"]):
        line = one_line_error(run(capsys, "directory", *command, "--data", str(folder)))
        assert line == expected, command


def test_validate_lists_each_problem_on_its_own_line(capsys, tmp_path):
    files = {BS: sample_files()[BS], "agreements.toml": sample_files()["agreements.toml"]}
    files[BS]["agencies"][0]["roles"] = ["navy"]
    files["agreements.toml"]["agreements"][0]["parties"] = ["US", "JM"]
    # A new agreement (under the old id it would take the US-Haiti one away from Haiti).
    files["agreements.toml"]["agreements"][0]["id"] = "us-jm-interdiction"
    folder = write_layer(tmp_path / "overlay", files)
    (folder / "states/HT.toml").write_bytes(b"\x00\x01")
    result = run(capsys, "directory", "validate", "--data", str(folder))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "somnet: 3 problems in the directory:"
    problems = lines[1:]
    assert len(problems) == 3
    binary = f"{folder / 'states/HT.toml'}: binary data (a NUL byte at offset 0), not TOML"
    assert binary in problems
    assert any(
        p.startswith(f"{folder / BS}: $.agencies[0].roles[0]: 'navy' is not a role")
        for p in problems
    )
    assert (
        f"{folder / 'agreements.toml'}: $.agreements[0].parties[1]: "
        "the directory holds no state 'JM'"
    ) in problems


def test_a_missing_data_folder_is_named(capsys, tmp_path):
    missing = tmp_path / "nowhere"
    line = one_line_error(run(capsys, "directory", "validate", "--data", str(missing)))
    assert line == f"--data: {missing}: no such directory"


def test_an_empty_data_folder_name_is_refused_not_read_as_the_working_folder(
    capsys, tmp_path, monkeypatch
):
    """``--data "$OVERLAY"`` with the variable unset must not lay whatever folder the officer
    stands in over the directory."""
    here = write_layer(tmp_path / "here", {BS: sample_files()[BS]})
    monkeypatch.chdir(here)
    result = run(capsys, "directory", "validate", "--data", "")
    assert result.exit_code == 2 and result.stdout == ""
    assert one_line_error(result).startswith("--data: ")


def test_a_missing_somnet_data_folder_names_the_variable(capsys, tmp_path, monkeypatch):
    missing = tmp_path / "nowhere"
    monkeypatch.setenv("SOMNET_DATA", str(missing))
    for command in (["directory", "validate"], ["contact", "--flag", "HT", "--zone", "eez"]):
        line = one_line_error(run(capsys, *command))
        assert line.startswith("SOMNET_DATA: ") and str(missing) in line, line


def test_somnet_data_overlays_are_read_by_the_commands(capsys, tmp_path, monkeypatch):
    files = {BS: sample_files()[BS]}
    files[BS]["agencies"][0]["name_en"] = "RBDF from SOMNET_DATA"
    one = write_layer(tmp_path / "one", files)
    empty_part = ""
    monkeypatch.setenv("SOMNET_DATA", f"{one}{os.pathsep}{empty_part}")
    result = run(capsys, "directory", "search", "SOMNET_DATA")
    assert result.exit_code == 0, result.stderr
    assert "bs-rbdf" in result.stdout


def test_repeated_data_options_are_laid_in_order(capsys, tmp_path):
    first, second = sample_files()[BS], sample_files()[BS]
    first["agencies"][0]["name_en"] = "RBDF first"
    second["agencies"][0]["name_en"] = "RBDF second"
    one = write_layer(tmp_path / "one", {BS: first})
    two = write_layer(tmp_path / "two", {BS: second})
    result = run(capsys, "directory", "show", "BS", "--data", str(one), "--data", str(two))
    assert "RBDF second (RBDF)" in result.stdout
    assert "RBDF first" not in result.stdout


def test_an_overlay_given_twice_is_laid_once_where_it_was_given_last(
    capsys, base, tmp_path, monkeypatch
):
    """An officer whose profile sets SOMNET_DATA to the agency's overlay runs the documented
    ``directory validate --data OVERLAY``: the folder was laid twice, and validate listed each
    record of the overlay as replaced by a later layer, by itself (``x.toml replaces x.toml``),
    doubling the count and burying the replacements it exists to show. A folder given twice
    is laid once, where it was given last, which reads every record as before."""
    first, second = sample_files()[BS], sample_files()[BS]
    first["agencies"][0]["name_en"] = "RBDF first"
    second["agencies"][0]["name_en"] = "RBDF second"
    one = write_layer(tmp_path / "one", {BS: first})
    two = write_layer(tmp_path / "two", {BS: second})
    monkeypatch.setenv("SOMNET_DATA", str(one))
    result = run(capsys, "directory", "validate", "--data", str(one), "--format", "json")
    assert result.exit_code == 0, result.stderr
    value = json.loads(result.stdout)
    assert value["layers"] == [str(base), str(one)]
    replaced = [(r["id"], r["replaced"]["file"]) for r in value["replacements"]]
    assert all(file.startswith(str(base)) for _id, file in replaced), replaced
    alone = run(capsys, "directory", "validate", "--format", "json")
    assert json.loads(alone.stdout)["replacements"] == value["replacements"]
    # One, two, one: the first one's records still win, as when it was laid twice.
    result = run(
        capsys, "directory", "show", "BS", "--data", str(two), "--data", str(tmp_path / "one")
    )
    assert "RBDF first (RBDF)" in result.stdout and "RBDF second" not in result.stdout
    result = run(capsys, "directory", "validate", "--data", str(two), "--data", str(one))
    assert result.exit_code == 0, result.stderr


def test_validate_leaves_the_shipped_files_untouched(capsys, base, tmp_path):
    before = {p: p.read_bytes() for p in base.rglob("*.toml")}
    folder, _ = overlay(tmp_path)
    run(capsys, "directory", "validate", "--data", str(folder))
    run(capsys, "directory", "show", "BS", "--data", str(folder))
    assert {p: p.read_bytes() for p in base.rglob("*.toml")} == before


# show ------------------------------------------------------------------------------------------


SHIPPED_NOTICE = (
    "ILLUSTRATIVE contacts: the shipped directory's contact details are made up. Never dial or "
    "write to them; lay your restricted directory over it as an overlay."
)
OVERLAID_NOTICE = (
    "ILLUSTRATIVE contacts: the details marked illustrative are made up, and your overlays do "
    "not replace them. Never dial or write to them."
)


def words(text: str) -> str:
    """Text as one line, however it was wrapped."""
    return " ".join(text.split())


def test_show_tells_an_officer_with_an_overlay_that_illustrative_contacts_are_not_replaced(
    capsys, tmp_path
):
    """An officer who laid the unit's overlay is not told to lay one: the illustrative contacts
    shown are the shipped directory's, which the overlay does not replace."""
    assert SHIPPED_NOTICE in words(run(capsys, "directory", "show", "HT").stdout)
    folder, _ = overlay(tmp_path)
    out = words(run(capsys, "directory", "show", "HT", "--data", str(folder)).stdout)
    assert OVERLAID_NOTICE in out
    assert "lay your restricted directory" not in out


def test_show_a_state_as_a_table(capsys):
    result = run(capsys, "directory", "show", "HT")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("HT  Haiti / Haití / Haïti\n")
    assert "  time zones         America/Port-au-Prince\n" in out
    assert "  maritime           territorial sea 12 nm, contiguous zone 24 nm, EEZ 200 nm\n" in out
    assert "  SOM Protocol       party since 2008-10-26 (deposited 2008-09-26)\n" in out
    assert "Haitian Coast Guard   id ht-garde-cotes\n  Garde-côtes d'Haïti\n" in out
    assert "  hours: Mo-Fr 09:00-17:00 (America/Port-au-Prince)\n" in out
    assert "  - ht-garde-cotes-duty (duty, fr/ht) [illustrative]\n" in out
    assert "+509 XXXX 0100" in out
    assert "Never dial or write to them" in out
    # Haiti's missions abroad are shown with the states they serve, and named here.
    assert "Embassy of Haiti in The Bahamas" not in out
    assert "ht-cons-miami (US)" in out and "ht-emb-bs (BS)" in out
    shown = json.loads(run(capsys, "directory", "show", "HT", "--format", "json").stdout)
    assert [a["id"] for a in shown["missions_abroad"]] == ["ht-cons-miami", "ht-emb-bs"]
    assert "ht-emb-bs" not in {a["id"] for a in shown["agencies"]}


def test_show_a_nationality_known_only_by_its_missions_abroad(capsys, tmp_path):
    # India has no state file, but its missions in the region are in the directory (as
    # `consular --nationality IN` shows): `show IN` names them rather than "holds nothing".
    mission = {
        "id": "in-hc-nassau",
        "state": "IN",
        "name": "High Commission of India, Nassau",
        "name_en": "High Commission of India, Nassau",
        "roles": ["consular"],
        "located_in": "BS",
        "covers": ["BS"],
        "last_verified": date(2026, 6, 1),
        "sources": [{"title": "Official page", "url": "https://www.mea.gov.in/"}],
    }
    folder = write_layer(tmp_path / "india", {"consular/IN.toml": {"agencies": [mission]}})
    result = run(capsys, "directory", "show", "IN", "--data", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "in-hc-nassau (BS)" in result.stdout
    shown = json.loads(
        run(capsys, "directory", "show", "IN", "--format", "json", "--data", str(folder)).stdout
    )
    assert shown["state"] is None and shown["agencies"] == []
    assert [a["id"] for a in shown["missions_abroad"]] == ["in-hc-nassau"]


def test_show_counts_an_agency_in_the_states_own_territory_as_its_own(capsys, tmp_path):
    # The U.S. Coast Guard sector in San Juan sits in Puerto Rico, a U.S. territory: one of the
    # United States' own agencies, not a mission abroad (docs/json.md: embassies and
    # consulates in other states).
    files = sample_files()
    territory = sample_files()["states/US.toml"]["state"]
    territory.update(
        code="PR",
        names={"en": "Puerto Rico", "es": "Puerto Rico", "fr": "Porto Rico"},
        timezones=["America/Puerto_Rico"],
        sovereign="US",
    )
    sector = dict(
        files["states/US.toml"]["agencies"][0],
        id="us-uscg-sector-sanjuan",
        name="U.S. Coast Guard Sector San Juan",
        name_en="U.S. Coast Guard Sector San Juan",
        acronym=None,
        located_in="PR",
        covers=["PR"],
        contacts=[],
    )
    del sector["acronym"]
    files["states/US.toml"]["agencies"].append(sector)
    folder = write_layer(
        tmp_path / "overlay",
        {"states/US.toml": files["states/US.toml"], "states/PR.toml": {"state": territory}},
    )
    shown = json.loads(
        run(capsys, "directory", "show", "US", "--format", "json", "--data", str(folder)).stdout
    )
    assert "us-uscg-sector-sanjuan" in {a["id"] for a in shown["agencies"]}
    assert shown["missions_abroad"] == []
    text = run(capsys, "directory", "show", "US", "--data", str(folder)).stdout
    assert "id us-uscg-sector-sanjuan" in text and "(PR)" not in text
    # Puerto Rico's own view still lists it, as serving it from elsewhere.
    shown = json.loads(
        run(capsys, "directory", "show", "PR", "--format", "json", "--data", str(folder)).stdout
    )
    assert [a["id"] for a in shown["serving_from_elsewhere"]] == ["us-uscg-sector-sanjuan"]


def test_show_names_the_roles_a_contact_handles_when_not_all_its_agencys(capsys, tmp_path):
    # The immigration department's desk handles refugee status only: the table, like the
    # JSON, must say so, or an officer calls it about a removal.
    files = sample_files()
    files[BS]["agencies"][1]["contacts"][0]["roles"] = ["refugee-status"]
    folder = write_layer(tmp_path / "overlay", {BS: files[BS]})
    out = run(capsys, "directory", "show", "BS", "--data", str(folder)).stdout
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  - Enforcement unit desk"))
    block = lines[start + 1 : start + 3]
    roles = run(capsys, "directory", "show", "BS", "--data", str(folder), "--format", "json")
    [desk] = [
        c
        for a in json.loads(roles.stdout)["agencies"]
        for c in a["contacts"]
        if c["id"] == "bs-immigration-desk"
    ]
    assert desk["roles"] == ["refugee-status"]
    assert any("refugee" in line and "migration" not in line for line in block), block
    # A contact for all its agency's roles adds no line.
    start = next(i for i, line in enumerate(lines) if line.startswith("  - Regional affairs desk"))
    assert lines[start + 1].split()[0] == "email"


def test_show_lists_foreign_missions_serving_the_state(capsys):
    out = run(capsys, "directory", "show", "BS").stdout
    own, _, elsewhere = out.partition("Serving BS from elsewhere:")
    assert "archipelagic state" in own
    assert "id bs-rbdf" in own
    assert "24/7" in own
    assert "Embassy of Haiti in The Bahamas   id ht-emb-bs" in elsewhere
    assert "hours: Mo-Fr 09:00-17:00 (America/Nassau)" in elsewhere


def test_show_accepts_lower_case_and_spaces(capsys):
    assert (
        run(capsys, "directory", "show", " ht ").stdout
        == run(capsys, "directory", "show", "HT").stdout
    )


def test_show_as_json(capsys):
    result = run(capsys, "directory", "show", "BS", "--format", "json")
    assert result.exit_code == 0
    shown = json.loads(result.stdout)
    assert shown["state"]["code"] == "BS"
    assert shown["state"]["last_verified"] == "2026-06-01"
    assert shown["state"]["maritime"]["archipelagic"] is True
    assert [a["id"] for a in shown["agencies"]] == ["bs-immigration", "bs-mofa", "bs-rbdf"]
    assert [a["id"] for a in shown["serving_from_elsewhere"]] == ["ht-emb-bs"]
    rbdf = shown["agencies"][2]
    assert rbdf["roles"] == ["maritime-law-enforcement", "som-art8-authority"]
    assert rbdf["timezone"] == "America/Nassau"
    [contact] = rbdf["contacts"]
    assert contact["illustrative"] is True
    assert contact["channels"] == [
        {
            "kind": "phone",
            "value": "+12425550100",
            "availability": "24/7",
            "dialable": True,
            "note": None,
        },
        {
            "kind": "email",
            "value": "ops@rbdf.example.org",
            "availability": "Mo-Fr 09:00-17:00",
            "dialable": False,
            "note": None,
        },
    ]


def test_show_marks_a_placeholder_number_as_not_dialable(capsys):
    out = run(capsys, "directory", "show", "HT").stdout
    [line] = [line for line in out.splitlines() if "+509 XXXX 0100" in line]
    assert "(not dialable)" in line
    assert "not dialable" not in out.replace(line, "")
    shown = json.loads(run(capsys, "directory", "show", "HT", "--format", "json").stdout)
    coast_guard = next(a for a in shown["agencies"] if a["id"] == "ht-garde-cotes")
    assert coast_guard["contacts"][0]["channels"][0] == {
        "kind": "phone",
        "value": "+509 XXXX 0100",
        "availability": "24/7",
        "dialable": False,
        "note": None,
    }


def test_show_an_unknown_code_names_the_nearest_codes(capsys):
    line = one_line_error(run(capsys, "directory", "show", "HX"))
    assert line.startswith(
        "directory show: 'HX' is not an ISO 3166-1 alpha-2 state code; did you mean "
    )
    assert "HT (Haiti)" in line


def test_show_a_mistyped_name_suggests_the_state(capsys):
    line = one_line_error(run(capsys, "directory", "show", "Hati"))
    assert "did you mean HT (Haiti)" in line


def test_show_a_valid_code_the_directory_does_not_hold(capsys):
    line = one_line_error(run(capsys, "directory", "show", "JM"))
    assert (
        line == "directory show: the directory holds nothing for JM (Jamaica); it holds BS, HT, US"
    )


def test_show_needs_a_state(capsys):
    result = run(capsys, "directory", "show")
    assert result.exit_code == 2
    assert "XX" in result.stderr


def test_show_reads_a_changed_overlay_after_a_cached_run(capsys, tmp_path):
    folder, path = overlay(tmp_path)
    assert "Royal Bahamas" in run(capsys, "directory", "show", "BS", "--data", str(folder)).stdout
    changed = path.read_text().replace("Royal Bahamas Defence Force", "RBDF, renamed")
    path.write_text(changed)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    out = run(capsys, "directory", "show", "BS", "--data", str(folder)).stdout
    assert "RBDF, renamed" in out
    path.write_bytes(path.read_bytes() + b"\x00")
    one_line_error(run(capsys, "directory", "show", "BS", "--data", str(folder)))


# search ----------------------------------------------------------------------------------------


def test_search_by_name(capsys):
    result = run(capsys, "directory", "search", "coast guard")
    assert result.exit_code == 0
    # One entry an agency, wrapped within 80 columns (its continuation lines indented).
    entries = "\n".join(result.stdout.splitlines()).replace("\n    ", " ").splitlines()
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert len(entries) == 2
    assert entries[0].startswith("HT  ht-garde-cotes")
    assert "Haitian Coast Guard" in entries[0]
    assert entries[1].startswith("US  us-uscg-d7")
    assert "(USCG D7)" in entries[1]


def test_search_words_need_no_quotes(capsys):
    # `somnet directory search coast guard`, as typed: was "unrecognized arguments: guard".
    unquoted = run(capsys, "directory", "search", "coast", "guard", "--format", "json")
    assert unquoted.exit_code == 0, unquoted.stderr
    quoted = run(capsys, "directory", "search", "coast guard", "--format", "json")
    assert unquoted.stdout == quoted.stdout and json.loads(quoted.stdout)


def test_search_by_role_as_json(capsys):
    result = run(capsys, "directory", "search", "sar", "--format", "json")
    assert result.exit_code == 0
    assert [a["id"] for a in json.loads(result.stdout)] == ["us-rcc-miami"]


def test_search_by_a_telephone_number_typed_as_words(capsys):
    result = run(capsys, "directory", "search", "+1", "242", "555", "0100", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [a["id"] for a in json.loads(result.stdout)] == ["bs-rbdf"]


def test_search_without_a_match(capsys):
    result = run(capsys, "directory", "search", "zzz")
    assert (result.exit_code, result.stdout) == (0, "no agency matches 'zzz'\n")
    assert json.loads(run(capsys, "directory", "search", "zzz", "--format", "json").stdout) == []


@pytest.mark.parametrize("text", ["\u200b", " \u2060 ", "\u00ad"])
def test_a_search_of_invisible_characters_alone_is_refused_as_no_text(capsys, text):
    """A zero-width space or a soft hyphen alone, pasted, read as a search for nothing and
    answered "no agency matches" with exit 0, where an empty search is refused."""
    result = run(capsys, "directory", "search", text)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "somnet: directory search: give some text to look for (a name, an acronym, a role)\n"
    ), result.stderr


# stale -----------------------------------------------------------------------------------------


def test_stale_lists_contacts_older_than_a_year(capsys):
    result = run(capsys, "directory", "stale")
    assert result.exit_code == 0
    header, line, evidence = result.stdout.splitlines()
    assert header.startswith("not verified for more than 365 days (last verified before ")
    assert header.endswith("): 1")
    assert line.split()[:3] == ["BS", "contact", "bs-immigration-desk"]
    assert "verified 2024-01-15" in line
    assert evidence == "every record has evidence from the last 5 years"


def test_stale_with_a_longer_limit(capsys):
    result = run(capsys, "directory", "stale", "--days", "100000")
    assert result.stdout.splitlines()[0] == "no record is older than 100000 days"


def test_stale_as_json(capsys):
    report = json.loads(run(capsys, "directory", "stale", "--days", "0", "--format", "json").stdout)
    rows = [r for r in report["unverified"]["records"] if r["kind"] == "contact"]
    assert len(rows) == SAMPLE_COUNTS["contacts"]
    row = next(r for r in rows if r["id"] == "bs-immigration-desk")
    assert row["agency"] == "bs-immigration"
    assert row["state"] == "BS"
    assert row["last_verified"] == "2024-01-15"
    assert row["illustrative"] is True
    assert row["days"] > 365


#: An instant when the dates disagree: 1 March at UTC, still 28 February in Nassau (UTC-5).
EVENING_IN_NASSAU = datetime(2027, 3, 1, 3, 0, tzinfo=UTC)
#: bs-immigration-desk was verified on 2024-01-15: this many days before 28 February 2027.
DAYS_TO_NASSAU_DATE = (date(2027, 2, 28) - date(2024, 1, 15)).days


@pytest.fixture
def machine_in_kiritimati() -> Iterator[None]:
    """The machine's own clock set to UTC+14, where it is already 1 March."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Kiritimati"
    time.tzset()
    yield
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


@pytest.mark.parametrize(
    ("home", "today", "listed"),
    [
        # With a home state, its calendar: as `contact` reads the date when --as is left out.
        ("BS", "2027-02-28", False),
        # Without one, the UTC date, as the other commands.
        (None, "2027-03-01", True),
    ],
)
def test_stale_counts_days_on_the_calendar_contact_uses(
    capsys, monkeypatch, isolated_environment, machine_in_kiritimati, home, today, listed
):
    """Never the machine's own date: the contact verified exactly the limit ago is not stale in
    Nassau's evening, whatever zone the machine is set to."""
    monkeypatch.setattr("somnet_cli._common.now", lambda: EVENING_IN_NASSAU)
    if home:
        (isolated_environment / "config.toml").write_text(f'home_state = "{home.lower()}"\n')
    args = ("directory", "stale", "--days", str(DAYS_TO_NASSAU_DATE), "--format", "json")
    report = json.loads(run(capsys, *args).stdout)
    assert report["today"] == today
    ids = {r["id"] for r in report["unverified"]["records"]}
    assert ("bs-immigration-desk" in ids) is listed
    text = run(capsys, *args[:-2]).stdout
    assert ("bs-immigration-desk" in text) is listed


#: 23:30 on 28 February in Nassau (UTC-5), 04:30 on 1 March at UTC.
LATE_EVENING_IN_NASSAU = datetime(2027, 3, 1, 4, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("days", "stale"), [(DAYS_TO_NASSAU_DATE, False), (DAYS_TO_NASSAU_DATE - 1, True)]
)
def test_stale_and_a_contact_plan_at_the_same_instant_count_to_the_same_day(
    capsys, monkeypatch, isolated_environment, machine_in_kiritimati, days, stale
):
    """Half an hour before midnight in Nassau, UTC already on the next day, the machine on
    UTC+14: ``directory stale`` and a contact plan made then (acting for the home state) count
    the days to the same date, Nassau's, and flag the same contact."""
    monkeypatch.setattr("somnet_cli._common.now", lambda: LATE_EVENING_IN_NASSAU)
    (isolated_environment / "config.toml").write_text('home_state = "bs"\n')
    report = json.loads(
        run(capsys, "directory", "stale", "--days", str(days), "--format", "json").stdout
    )
    assert report["today"] == "2027-02-28"
    listed = "bs-immigration-desk" in {r["id"] for r in report["unverified"]["records"]}
    assert listed is stale
    result = run(
        capsys,
        *("contact", "--flag", "HT", "--zone", "territorial", "--coastal", "BS"),
        *("--nationality", "HT", "--asylum", "--at", "2027-03-01T04:30Z"),
        *("--stale-days", str(days), "--format", "json"),
    )
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    flagged = {
        c["id"]: c["stale"]
        for s in plan["steps"]
        for c in s["contacts"]
        if c["id"] == "bs-immigration-desk"
    }
    assert flagged == {"bs-immigration-desk": stale}


def test_stale_with_an_unknown_home_state_uses_the_utc_date(
    capsys, monkeypatch, isolated_environment
):
    monkeypatch.setattr("somnet_cli._common.now", lambda: EVENING_IN_NASSAU)
    monkeypatch.setenv("SOMNET_HOME_STATE", "KY")  # not in the sample directory
    report = json.loads(run(capsys, "directory", "stale", "--format", "json").stdout)
    assert report["today"] == "2027-03-01"


def old_sources(tmp_path: Path, **sources: list[dict[str, object]]) -> Path:
    """An overlay holding the sample BS file with these agencies' sources replaced."""
    files = sample_files()
    for agency in files[BS]["agencies"]:
        if agency["id"] in sources:
            agency["sources"] = sources[agency["id"]]
    return write_layer(tmp_path / "overlay", {BS: files[BS]})


OLD = {"title": "Old page", "url": "https://example.gov/old", "published": date(2012, 10, 4)}
UNDATED = {"title": "Undated page", "url": "https://example.gov/undated"}


def test_stale_reports_every_kind_of_record_not_verified(capsys):
    report = json.loads(run(capsys, "directory", "stale", "--days", "0", "--format", "json").stdout)
    kinds = {r["kind"] for r in report["unverified"]["records"]}
    assert kinds == {"state", "agency", "contact", "agreement", "consular", "sar-region"}


def test_stale_reports_records_whose_newest_evidence_is_old_or_undated(capsys, tmp_path):
    folder = old_sources(tmp_path, **{"bs-rbdf": [OLD], "bs-immigration": [UNDATED]})
    result = run(capsys, "directory", "stale", "--data", str(folder))
    lines = result.stdout.splitlines()
    at = lines.index(next(x for x in lines if x.startswith("newest evidence older than 5 years")))
    assert lines[at].endswith("or undated: 2")
    undated, old = lines[at + 1 :]
    assert undated.split()[:3] == ["BS", "agency", "bs-immigration"]
    assert "no dated evidence" in undated
    assert old.split()[:3] == ["BS", "agency", "bs-rbdf"]
    assert "evidence 2012-10-04 (" in old


def with_refugee_tables(tmp_path: Path) -> Path:
    """An overlay holding the sample BS file with its status under the 1951 Convention (a party,
    from an old source) and the 1967 Protocol (uncertain, from an undated one)."""
    files = sample_files()
    files[BS]["state"]["refugee_convention"] = {
        "party": "yes",
        "date": date(1993, 9, 15),
        "sources": [OLD],
    }
    files[BS]["state"]["refugee_protocol"] = {
        "party": "uncertain",
        "sources": [UNDATED],
        "notes": ["The UNTC entry was not read."],
    }
    return write_layer(tmp_path / "overlay", {BS: files[BS]})


def test_stale_reports_the_refugee_instruments_evidence_as_the_som_protocols(capsys, tmp_path):
    """A state's status under the refugee instruments cites its own sources: stale looked at
    its SOM Protocol status only, so a refugee status read from a page of 2012 went unreported."""
    folder = with_refugee_tables(tmp_path)
    result = run(capsys, "directory", "stale", "--data", str(folder))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    convention = next(x for x in lines if x.split()[:2] == ["BS", "refugee-convention"])
    assert convention.split()[2] == "BS"
    assert "evidence 2012-10-04 (" in convention
    protocol = next(x for x in lines if x.split()[:2] == ["BS", "refugee-protocol"])
    assert "no dated evidence" in protocol
    report = json.loads(
        run(capsys, "directory", "stale", "--data", str(folder), "--format", "json").stdout
    )
    rows = {r["kind"]: r for r in report["old_evidence"]["records"] if r["state"] == "BS"}
    assert rows["refugee-convention"] == {
        "kind": "refugee-convention",
        "id": "BS",
        "state": "BS",
        "newest_evidence": "2012-10-04",
        "years": rows["refugee-convention"]["years"],
        "last_verified": "2026-06-01",
    }
    assert rows["refugee-protocol"]["newest_evidence"] is None
    # Verified with their state, as its SOM Protocol status: never listed as unverified.
    report = json.loads(
        run(
            capsys, "directory", "stale", "--days", "0", "--data", str(folder), "--format", "json"
        ).stdout
    )
    kinds = {r["kind"] for r in report["unverified"]["records"]}
    assert not kinds & {"refugee-convention", "refugee-protocol"}


def test_stale_reports_a_mandatory_notification_records_evidence_as_the_som_protocols(
    capsys, tmp_path
):
    """A state's list of nationalities it must notify whatever the person's wish cites its own
    sources, and routing relies on it to skip consent: stale did not look at them, so a list
    read from a page of 2012 went unreported."""
    files = sample_files()
    files[BS]["state"]["mandatory_notification"] = {
        "nationalities": ["HT"],
        "status": "uncertain",
        "sources": [OLD],
    }
    folder = write_layer(tmp_path / "overlay", {BS: files[BS]})
    result = run(capsys, "directory", "stale", "--data", str(folder))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    at = next(n for n, x in enumerate(lines) if x.split()[:2] == ["BS", "mandatory-notification"])
    assert "evidence 2012-10-04 (" in " ".join(lines[at : at + 2])
    report = json.loads(
        run(capsys, "directory", "stale", "--data", str(folder), "--format", "json").stdout
    )
    rows = {r["kind"]: r for r in report["old_evidence"]["records"] if r["state"] == "BS"}
    assert rows["mandatory-notification"]["newest_evidence"] == "2012-10-04"
    assert rows["mandatory-notification"]["id"] == "BS"
    # Verified with its state: never listed as unverified on its own.
    report = json.loads(
        run(
            capsys, "directory", "stale", "--days", "0", "--data", str(folder), "--format", "json"
        ).stdout
    )
    assert "mandatory-notification" not in {r["kind"] for r in report["unverified"]["records"]}


def test_show_tells_the_states_status_under_the_refugee_instruments(capsys, tmp_path):
    """The officer reading a state's record saw its SOM Protocol status, not whether it is a
    party to the 1951 Convention or its 1967 Protocol (what art. 33 binds it by)."""
    folder = with_refugee_tables(tmp_path)
    out = run(capsys, "directory", "show", "BS", "--data", str(folder)).stdout
    # Bound from the day the instrument binds it, as routing reads it: the Protocol on the
    # thirtieth day after the deposit (art. 22(2)), the Convention on the ninetieth (art. 43(2)).
    assert "  SOM Protocol       party since 2008-10-26 (deposited 2008-09-26)\n" in out
    assert "  Refugee Convention party since 1993-12-14 (deposited 1993-09-15)\n" in out
    assert "  Refugee Protocol   status uncertain\n" in out
    # A state whose layer does not record them: uncertain, as the routing reads it.
    out = run(capsys, "directory", "show", "HT").stdout
    assert "  Refugee Convention status uncertain\n" in out
    assert "  Refugee Protocol   status uncertain\n" in out


def test_show_tells_the_states_status_under_unclos_and_the_crc(capsys, tmp_path, monkeypatch):
    """The record of a state told nothing of UNCLOS or the CRC, which plans cite for states
    that are not parties. It now tells both; a deposit read is shown as a deposit, not as the
    day the treaty bound the state; a state whose file records neither, as uncertain."""
    files = sample_files()
    source = [{"title": "UN Treaty Collection", "url": "https://treaties.un.org/"}]
    files[BS]["state"]["unclos"] = {"party": "no", "sources": source, "notes": ["read"]}
    files[BS]["state"]["crc"] = {"party": "yes", "date": date(1991, 2, 20), "sources": source}
    shipped = write_layer(tmp_path / "with-treaties", files)
    monkeypatch.setattr("somnet.directory.loading.shipped_data_dir", lambda: shipped)
    out = run(capsys, "directory", "show", "BS").stdout
    assert "  UNCLOS             not a party\n" in out
    assert "  CRC                party (deposited 1991-02-20)\n" in out
    out = run(capsys, "directory", "show", "HT").stdout
    assert "  UNCLOS             status uncertain\n" in out
    assert "  CRC                status uncertain\n" in out
    # A territory's are its sovereign's, as the shipped Puerto Rico file shows.
    real = Path(__file__).resolve().parent.parent / "data"
    monkeypatch.setattr("somnet.directory.loading.shipped_data_dir", lambda: real)
    out = run(capsys, "directory", "show", "PR").stdout
    assert "  UNCLOS             not a party (as US)\n" in out
    assert "  CRC                not a party (as US)\n" in out


def test_show_tells_whose_consular_post_a_state_must_notify_whatever_the_persons_wish(
    capsys, tmp_path
):
    """The list on which routing skips a detained person's consent (R6) was in the JSON only:
    the officer reading a state's record could not see it, nor that it is uncertain."""
    files = sample_files()
    files[BS]["state"]["mandatory_notification"] = {
        "nationalities": ["HT", "CU"],
        "status": "uncertain",
        "sources": [OLD],
    }
    folder = write_layer(tmp_path / "overlay", {BS: files[BS]})
    out = run(capsys, "directory", "show", "BS", "--data", str(folder)).stdout
    assert "  must notify        CU, HT  [uncertain]\n" in out, out
    out = run(capsys, "directory", "show", "BS", "--data", str(folder), "--lang", "es").stdout
    assert "  debe notificar a   CU, HT  [incierto]\n" in out, out
    # A state that records no such list says nothing of it.
    assert "must notify" not in run(capsys, "directory", "show", "HT").stdout


def test_stale_text_fits_80_columns_with_long_ids(capsys, tmp_path):
    # The shipped directory's ids run to 37 characters: the rows were padded to 111 columns.
    files = sample_files()
    files[BS]["agencies"][1]["id"] = "bs-immigration-refugee-status-intake-x"
    files[BS]["agencies"][1]["contacts"][0]["id"] = "bs-immigration-refugee-status-desk-x"
    files[BS]["agencies"][1]["sources"] = [UNDATED]
    files[BS]["agencies"][0]["sources"] = [OLD]
    folder = write_layer(tmp_path / "overlay", {BS: files[BS]})
    result = run(capsys, "directory", "stale", "--days", "0", "--data", str(folder))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    # Each row still starts with its state, kind and id.
    assert any(line.split()[:3] == ["BS", "agency", "bs-rbdf"] for line in lines)
    assert any(
        line.split()[:3] == ["BS", "agency", "bs-immigration-refugee-status-intake-x"]
        for line in lines
    )


def test_stale_evidence_years_sets_the_limit(capsys, tmp_path):
    folder = old_sources(tmp_path, **{"bs-rbdf": [OLD]})
    args = ("directory", "stale", "--data", str(folder), "--format", "json")
    report = json.loads(run(capsys, *args, "--evidence-years", "50").stdout)
    assert report["old_evidence"] == {"years": 50, "records": []}
    report = json.loads(run(capsys, *args).stdout)
    assert report["old_evidence"]["years"] == 5
    assert [r["id"] for r in report["old_evidence"]["records"]] == ["bs-rbdf"]


def test_stale_json_has_stable_fields(capsys, tmp_path):
    folder = old_sources(tmp_path, **{"bs-rbdf": [OLD], "bs-immigration": [UNDATED]})
    args = ("directory", "stale", "--days", "0", "--data", str(folder), "--format", "json")
    report = json.loads(run(capsys, *args).stdout)
    assert sorted(report) == ["old_evidence", "today", "unverified"]
    assert sorted(report["unverified"]) == ["days", "records"]
    assert sorted(report["old_evidence"]) == ["records", "years"]
    for row in report["unverified"]["records"]:
        assert sorted(row) == [
            "agency",
            "days",
            "id",
            "illustrative",
            "kind",
            "last_verified",
            "state",
        ]
    undated, old = report["old_evidence"]["records"]
    assert undated == {
        "kind": "agency",
        "id": "bs-immigration",
        "state": "BS",
        "newest_evidence": None,
        "years": None,
        "last_verified": "2026-06-01",
    }
    assert old["newest_evidence"] == "2012-10-04"
    assert isinstance(old["years"], int) and old["years"] >= 14


@pytest.mark.parametrize("years", ["-1", "abc", "2.5"])
def test_stale_refuses_a_bad_number_of_evidence_years(capsys, years):
    result = run(capsys, "directory", "stale", "--evidence-years", years)
    assert result.exit_code == 2
    assert "--evidence-years" in result.stderr
    assert repr(years) in result.stderr


@pytest.mark.parametrize("days", ["-1", "abc", "1.5"])
def test_stale_refuses_a_bad_number_of_days(capsys, days):
    result = run(capsys, "directory", "stale", "--days", days)
    assert result.exit_code == 2
    assert "--days" in result.stderr
    assert repr(days) in result.stderr


# export ----------------------------------------------------------------------------------------


def test_export_as_json(capsys):
    result = run(capsys, "directory", "export")
    assert result.exit_code == 0
    exported = json.loads(result.stdout)
    assert [s["code"] for s in exported["states"]] == ["BS", "HT", "US"]
    assert len(exported["agencies"]) == SAMPLE_COUNTS["agencies"]


def test_export_json_carries_everything_the_data_says_of_agencies_contacts_and_channels(
    capsys, tmp_path
):
    # "The directory as JSON": which desk handles which role, a channel's note ("Spanish
    # after 18:00"), an agency's parent and primary roles must survive the export.
    files = sample_files()
    immigration = files[BS]["agencies"][1]
    immigration["primary_for"] = ["migration"]
    immigration["parent"] = "bs-mofa"
    desk = immigration["contacts"][0]
    desk["roles"] = ["refugee-status"]
    desk["notes"] = ["Asylum claims only"]
    desk["channels"][0]["note"] = "Answered in English and Spanish"
    immigration["sources"][0]["published"] = date(2025, 3, 1)
    folder = write_layer(tmp_path / "overlay", {BS: files[BS]})
    exported = json.loads(run(capsys, "directory", "export", "--data", str(folder)).stdout)
    [agency] = [a for a in exported["agencies"] if a["id"] == "bs-immigration"]
    assert agency["primary_for"] == ["migration"] and agency["parent"] == "bs-mofa"
    [contact] = agency["contacts"]
    assert contact["roles"] == ["refugee-status"] and contact["notes"] == ["Asylum claims only"]
    assert contact["channels"][0]["note"] == "Answered in English and Spanish"
    # And every key of every record's data is in its export (the view adds, never drops).
    from somnet import to_json
    from somnet._convert import converter

    directory = __import__("somnet").load_directory([folder], cache_dir=None)
    by_id = {a["id"]: a for a in exported["agencies"]}
    for record in directory.all_agencies():
        data = converter().unstructure(record)
        view = by_id[record.id]
        assert set(data) - {"contacts"} <= set(view), record.id
        # Its sources as the data gives them: the dates that say how old a fact is included.
        assert view["sources"] == to_json(record.sources), record.id
        for c_data, c_view in zip(data["contacts"], view["contacts"], strict=True):
            assert set(c_data) - {"channels"} <= set(c_view), c_data["id"]
            for ch_data, ch_view in zip(c_data["channels"], c_view["channels"], strict=True):
                assert set(ch_data) <= set(ch_view), ch_data


def test_export_one_state_includes_the_missions_serving_it(capsys):
    exported = json.loads(run(capsys, "directory", "export", "--state", "bs").stdout)
    assert [s["code"] for s in exported["states"]] == ["BS"]
    assert [a["id"] for a in exported["agencies"]] == [
        "bs-immigration",
        "bs-mofa",
        "bs-rbdf",
        "ht-emb-bs",
    ]


def test_export_refuses_an_unknown_state(capsys):
    line = one_line_error(run(capsys, "directory", "export", "--state", "XX"))
    assert line.startswith("--state: 'XX' is not an ISO 3166-1 alpha-2 state code; did you mean")


@pytest.mark.parametrize("fmt", ["json", "vcard"])
def test_export_of_a_state_the_directory_holds_nothing_for_is_refused(capsys, fmt):
    # As `directory show JM` is: an empty file made from a mistyped code (JM for a directory
    # without Jamaica) would be passed around as that state's contacts.
    line = one_line_error(run(capsys, "directory", "export", "--format", fmt, "--state", "JM"))
    assert line.startswith("--state: ") and "JM" in line


def test_export_vcards_of_a_state_without_contacts_says_the_file_is_empty(capsys, tmp_path):
    # An empty .vcf passed around as "the U.S. contacts" would be read as "nobody to call".
    files = sample_files()
    for agency in files["states/US.toml"]["agencies"]:
        agency.pop("contacts", None)
    folder = write_layer(tmp_path / "bare", {"states/US.toml": files["states/US.toml"]})
    args = ("directory", "export", "--state", "US", "--data", str(folder))
    result = run(capsys, *args, "--format", "vcard")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    # The JSON still holds the state and its agencies: nothing to say.
    assert run(capsys, *args).stderr == ""


def test_export_refuses_an_unknown_format(capsys):
    result = run(capsys, "directory", "export", "--format", "csv")
    assert result.exit_code == 2
    assert "invalid choice: 'csv'" in result.stderr


def parse_vcards(text: str) -> list:
    import vobject

    return list(vobject.readComponents(text))


def test_export_vcards_read_back_with_a_vcard_parser(capsys):
    result = run(capsys, "directory", "export", "--format", "vcard")
    assert result.exit_code == 0
    assert "\r\n" in result.stdout  # RFC 6350 lines end in CRLF
    cards = parse_vcards(result.stdout)
    assert len(cards) == SAMPLE_COUNTS["contacts"]
    by_uid = {card.uid.value: card for card in cards}
    rbdf = by_uid["urn:somnet:bs-rbdf-ops"]
    assert rbdf.fn.value == "RBDF Operations Centre, duty officer (ILLUSTRATIVE)"
    assert rbdf.org.value == ["Royal Bahamas Defence Force"]
    assert rbdf.tel.value == "+12425550100"
    assert rbdf.email.value == "ops@rbdf.example.org"
    assert rbdf.categories.value == ["maritime-law-enforcement", "som-art8-authority"]
    assert "ILLUSTRATIVE" in rbdf.note.value
    # The e-mail is answered in office hours only; the phone is 24/7 and needs no hours.
    [hours] = rbdf.contents["x-somnet-hours"]
    assert hours.value == "email ops@rbdf.example.org: Mo-Fr 09:00-17:00 (America/Nassau)"
    haiti = by_uid["urn:somnet:ht-emb-bs-consular"]
    assert haiti.org.value == ["Ambassade d'Haïti aux Bahamas", "Embassy of Haiti in The Bahamas"]
    assert [lang.value for lang in haiti.contents["lang"]] == ["fr", "en"]
    vhf = by_uid["urn:somnet:us-rcc-miami-duty"].contents["x-somnet-channel"][0]
    assert vhf.value == "vhf: Channel 16"


def test_export_vcards_never_give_a_placeholder_as_a_telephone(capsys):
    cards = parse_vcards(run(capsys, "directory", "export", "--format", "vcard").stdout)
    coast_guard = next(c for c in cards if c.uid.value == "urn:somnet:ht-garde-cotes-duty")
    assert "tel" not in coast_guard.contents
    [channel] = coast_guard.contents["x-somnet-channel"]
    assert channel.value == "phone: +509 XXXX 0100 (not dialable)"
    exported = json.loads(run(capsys, "directory", "export", "--format", "json").stdout)
    channels = [ch for a in exported["agencies"] for c in a["contacts"] for ch in c["channels"]]
    assert [ch["value"] for ch in channels if ch["kind"] == "phone" and not ch["dialable"]] == [
        "+509 XXXX 0100"
    ]


#: A content line (RFC 6350 3.3): a name, parameters (quoted or not), a colon, the value.
_CONTENT_LINE = re.compile(
    r'(?P<name>[A-Za-z0-9-]+)(?P<params>(?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:]*))*):(?P<value>.*)'
)
#: Text escapes (RFC 6350 3.4): a backslash before \\, a comma, a semicolon or n only.
_ESCAPED_TEXT = r"(?:[^\\,;]|\\[\\,;nN])*"


def strict_vcards(text: str) -> list[list[tuple[str, str, str]]]:
    """vCards read strictly (RFC 6350 3.2-3.4): CRLF only, physical lines of at most 75 octets
    that are each whole UTF-8 (a character never split by a fold), one BEGIN/VERSION/FN/END per
    card, single-text values with every comma, semicolon and backslash escaped, a TEL only with a
    number that can be dialled. Returns each card's (name, parameters, value) lines, unfolded."""
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n")
    assert b"\r" not in raw.replace(b"\r\n", b"") and b"\n" not in raw.replace(b"\r\n", b"")
    logical: list[bytes] = []
    for line in raw[:-2].split(b"\r\n"):
        assert len(line) <= 75, (len(line), line)
        line.decode("utf-8")  # a multi-octet character is never split across lines
        if line[:1] == b" ":
            logical[-1] += line[1:]
        else:
            logical.append(line)
    cards: list[list[tuple[str, str, str]]] = []
    card: list[tuple[str, str, str]] | None = None
    for line in logical:
        match = _CONTENT_LINE.fullmatch(line.decode("utf-8"))
        assert match, line
        name, params, value = match["name"].upper(), match["params"], match["value"]
        if (name, value.upper()) == ("BEGIN", "VCARD"):
            assert card is None, "BEGIN inside a card"
            card = []
        elif (name, value.upper()) == ("END", "VCARD"):
            assert card is not None, "END outside a card"
            names = [n for n, _p, _v in card]
            assert names.count("VERSION") == 1 and names.count("FN") == 1, names
            cards.append(card)
            card = None
        else:
            assert card is not None, f"{name} outside a card"
            if name in ("FN", "NOTE", "TITLE", "UID", "EMAIL", "URL") or name.startswith("X-"):
                assert re.fullmatch(_ESCAPED_TEXT, value), (name, value)
            elif name in ("N", "ORG"):
                assert all(re.fullmatch(_ESCAPED_TEXT, part) for part in _split(value)), value
            if name == "TEL":
                assert re.fullmatch(r"\+[1-9][0-9]{6,14}", value), value
            if name == "LANG":  # one language tag a property (RFC 6350 6.4.4)
                assert re.fullmatch(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*", value), value
            card.append((name, params, value))
    assert card is None, "a card without END"
    return cards


def _split(value: str) -> list[str]:
    """A structured value's components (separated by unescaped semicolons)."""
    return re.split(r"(?<!\\);", value)


def test_export_vcards_are_strict_rfc_6350_text_whatever_the_names(capsys, tmp_path):
    # Names in wide scripts (more octets than characters), and commas, semicolons and a
    # backslash in a name, a title and a channel value: each must be escaped, and every line
    # folded at 75 octets without splitting a character.
    files = sample_files()
    rbdf = files[BS]["agencies"][0]
    rbdf["name"] = "বাংলাদেশ দূতাবাস, মেক্সিকো সিটি; 中华人民共和国驻巴哈马联邦大使馆海事处"
    rbdf["contacts"][0]["name"] = "Ops; night desk, watch \\ 2 " + "中华人民共和国" * 4
    rbdf["contacts"][0]["title"] = "Officer; of the watch, acting"
    rbdf["contacts"][0]["channels"].append({"kind": "vhf", "value": "Channel 16; 2182 kHz, HF"})
    folder = write_layer(tmp_path / "overlay", {BS: files[BS]})
    result = run(capsys, "directory", "export", "--format", "vcard", "--data", str(folder))
    assert result.exit_code == 0, result.stderr
    cards = strict_vcards(result.stdout)
    assert len(cards) == SAMPLE_COUNTS["contacts"]
    [card] = [c for c in cards if ("UID", "", "urn:somnet:bs-rbdf-ops") in c]
    [fn] = [v for n, _p, v in card if n == "FN"]
    unescaped = fn.replace("\\\\", "\\").replace("\\;", ";").replace("\\,", ",")
    assert unescaped.startswith(rbdf["contacts"][0]["name"])
    # And a reader finds the same values.
    [read] = [c for c in parse_vcards(result.stdout) if c.uid.value == "urn:somnet:bs-rbdf-ops"]
    assert read.fn.value == unescaped
    assert read.org.value[0] == rbdf["name"]


def test_export_vcards_name_an_illustrative_contact_as_such(capsys, tmp_path):
    # A phone's contact list and dialler show the name, not the NOTE: an imported illustrative
    # card must not look like a real contact where the officer picks whom to call.
    files = sample_files()
    real = {
        "id": "bs-rbdf-web",
        "kind": "desk",
        "name": "RBDF public enquiries",
        "languages": ["en"],
        "last_verified": files[BS]["agencies"][0]["last_verified"],
        "illustrative": False,
        "channels": [{"kind": "web", "value": "https://www.rbdf.gov.bs/"}],
    }
    files[BS]["agencies"][0]["contacts"].append(real)
    folder = write_layer(tmp_path / "overlay", {BS: files[BS]})
    result = run(capsys, "directory", "export", "--format", "vcard", "--data", str(folder))
    assert result.exit_code == 0, result.stderr
    exported = json.loads(run(capsys, "directory", "export", "--data", str(folder)).stdout)
    illustrative = {
        f"urn:somnet:{c['id']}": c["illustrative"]
        for a in exported["agencies"]
        for c in a["contacts"]
    }
    cards = parse_vcards(result.stdout)
    assert {card.uid.value for card in cards} == set(illustrative)
    assert not illustrative["urn:somnet:bs-rbdf-web"]
    for card in cards:
        shown = [card.fn.value, card.n.value.family]
        assert all(
            ("illustrative" in text.lower()) == illustrative[card.uid.value] for text in shown
        )


def test_export_vcards_categorise_a_contact_by_the_roles_it_handles(capsys, tmp_path):
    # The immigration department's desk handles refugee status only: a phone listing the
    # "migration" category must not offer it for a removal.
    files = sample_files()
    files[BS]["agencies"][1]["contacts"][0]["roles"] = ["refugee-status"]
    folder = write_layer(tmp_path / "overlay", {BS: files[BS]})
    result = run(capsys, "directory", "export", "--format", "vcard", "--data", str(folder))
    assert result.exit_code == 0, result.stderr
    by_uid = {card.uid.value: card for card in parse_vcards(result.stdout)}
    assert by_uid["urn:somnet:bs-immigration-desk"].categories.value == ["refugee-status"]
    # A contact without roles of its own handles all of its agency's.
    assert by_uid["urn:somnet:bs-mofa-desk"].categories.value == ["foreign-affairs"]


def test_export_vcards_of_one_state(capsys):
    cards = parse_vcards(
        run(capsys, "directory", "export", "--format", "vcard", "--state", "US").stdout
    )
    assert sorted(card.uid.value for card in cards) == [
        "urn:somnet:us-rcc-miami-duty",
        "urn:somnet:us-uscg-d7-command-center",
    ]


def test_export_one_state_accepts_the_code_as_show_does(capsys):
    exported = json.loads(run(capsys, "directory", "export", "--state", " bs ").stdout)
    assert [s["code"] for s in exported["states"]] == ["BS"]


def restricted_overlay(tmp_path: Path) -> Path:
    """An overlay that adds a restricted contact (a named officer's mobile) to the RBDF."""
    files = sample_files()
    rbdf = files[BS]["agencies"][0]
    rbdf["contacts"].append(
        {
            "id": "bs-rbdf-commander",
            "kind": "person",
            "name": "Commander on watch",
            "languages": ["en"],
            "last_verified": rbdf["last_verified"],
            "sensitivity": "restricted",
            "illustrative": True,
            "channels": [{"kind": "mobile", "value": "+12425550199", "availability": "24/7"}],
        }
    )
    return write_layer(tmp_path / "restricted", {BS: files[BS]})


def _exported_ids(fmt: str, stdout: str) -> set[str]:
    if fmt == "json":
        return {c["id"] for a in json.loads(stdout)["agencies"] for c in a["contacts"]}
    return {card.uid.value.removeprefix("urn:somnet:") for card in parse_vcards(stdout)}


@pytest.mark.parametrize("fmt", ["json", "vcard"])
def test_export_leaves_restricted_contacts_out_and_says_how_many(capsys, tmp_path, fmt):
    # A file exported to pass around must not carry a restricted contact unless asked; the
    # officer is told on standard error that some were left out, and how to include them.
    folder = restricted_overlay(tmp_path)
    result = run(capsys, "directory", "export", "--format", fmt, "--data", str(folder))
    assert result.exit_code == 0, result.stderr
    ids = _exported_ids(fmt, result.stdout)
    assert "bs-rbdf-commander" not in ids
    assert "bs-rbdf-ops" in ids  # the public contacts of the same agency stay
    [line] = result.stderr.splitlines()
    assert "1" in line and "--include-restricted" in line
    if fmt == "json":  # the agency itself (public facts) is still exported
        assert "bs-rbdf" in {a["id"] for a in json.loads(result.stdout)["agencies"]}


@pytest.mark.parametrize("fmt", ["json", "vcard"])
def test_export_includes_restricted_contacts_when_asked_and_says_so(capsys, tmp_path, fmt):
    folder = restricted_overlay(tmp_path)
    result = run(
        capsys,
        "directory",
        "export",
        "--format",
        fmt,
        "--include-restricted",
        "--data",
        str(folder),
    )
    assert result.exit_code == 0, result.stderr
    assert "bs-rbdf-commander" in _exported_ids(fmt, result.stdout)
    [line] = result.stderr.splitlines()
    assert "1" in line
    if fmt == "json":
        [commander] = [
            c
            for a in json.loads(result.stdout)["agencies"]
            for c in a["contacts"]
            if c["id"] == "bs-rbdf-commander"
        ]
        assert commander["sensitivity"] == "restricted"
    else:
        # vCard 3.0 CLASS (RFC 2426 3.7.1): the card says it is confidential; public cards do not.
        classes = {
            card.uid.value: card.contents.get("class", [None])[0]
            for card in parse_vcards(result.stdout)
        }
        assert classes.pop("urn:somnet:bs-rbdf-commander").value == "CONFIDENTIAL"
        assert set(classes.values()) == {None}


def test_export_of_another_state_says_nothing_of_restricted_contacts_it_does_not_hold(
    capsys, tmp_path
):
    folder = restricted_overlay(tmp_path)
    for extra in ([], ["--include-restricted"]):
        result = run(capsys, "directory", "export", "--state", "US", *extra, "--data", str(folder))
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""


def test_export_of_a_directory_without_restricted_contacts_prints_only_the_export(capsys):
    for fmt in ("json", "vcard"):
        result = run(capsys, "directory", "export", "--format", fmt)
        assert result.exit_code == 0
        assert result.stderr == ""


def test_show_marks_a_restricted_contact_as_such(capsys, tmp_path):
    # What an officer copies from the screen into an e-mail must say which contact is not for
    # passing on, as the export does.
    folder = restricted_overlay(tmp_path)
    out = run(capsys, "directory", "show", "BS", "--data", str(folder)).stdout
    contacts = [line for line in out.splitlines() if line.startswith("  - ")]
    assert [line for line in contacts if "restricted" in line] == [
        line for line in contacts if "Commander on watch" in line
    ]


def test_consular_marks_a_restricted_contact_as_such(capsys, tmp_path):
    files = sample_files()
    [embassy] = [a for a in files["states/HT.toml"]["agencies"] if a["id"] == "ht-emb-bs"]
    embassy["contacts"][0]["sensitivity"] = "restricted"
    folder = write_layer(tmp_path / "restricted", {"states/HT.toml": files["states/HT.toml"]})
    args = ("consular", "--nationality", "HT", "--in", "BS", "--data", str(folder))
    out = run(capsys, *args).stdout
    contacts = [line for line in out.splitlines() if line.startswith("    - ")]
    assert len(contacts) == 1 and "restricted" in contacts[0]


def test_the_library_export_leaves_restricted_contacts_out_unless_asked(tmp_path):
    import somnet

    directory = somnet.load_directory([restricted_overlay(tmp_path)], cache_dir=None)
    kept = somnet.export_directory(directory)
    assert kept.restricted == 1 and not kept.include_restricted
    assert all(c.sensitivity == "public" for a in kept.agencies for c in a.contacts)
    assert "bs-rbdf" in {a.id for a in kept.agencies}
    with pytest.raises(somnet.UnknownCodeError) as refused:
        somnet.export_directory(directory, state="XX")
    assert refused.value.field == "state"
    full = somnet.export_directory(directory, state=" bs", include_restricted=True)
    assert full.restricted == 1
    assert [s.code for s in full.states] == ["BS"]
    assert "bs-rbdf-commander" in {c.id for a in full.agencies for c in a.contacts}
    assert "BEGIN:VCARD" in somnet.vcards(directory, full.agencies)


def test_stale_with_an_absurd_number_of_days_gives_no_traceback(capsys):
    result = run(capsys, "directory", "stale", "--days", "800000")
    assert result.exit_code in (0, 2)


def test_commands_are_served_from_the_cache_unless_told_not_to(capsys, monkeypatch):
    first = run(capsys, "directory", "show", "HT")

    def fail(*args: object) -> None:
        raise AssertionError("a data file was read")

    monkeypatch.setattr("somnet.directory.files.read_toml", fail)
    assert run(capsys, "directory", "show", "HT").stdout == first.stdout
    with pytest.raises(AssertionError, match="a data file was read"):
        run_cli(capsys, "directory", "show", "HT", "--no-cache")
    monkeypatch.setenv("SOMNET_NO_CACHE", "1")
    with pytest.raises(AssertionError, match="a data file was read"):
        run_cli(capsys, "directory", "show", "HT")


def test_validate_always_reads_every_file(capsys, monkeypatch):
    run(capsys, "directory", "show", "HT")  # fills the cache
    read = []
    from somnet.directory.files import read_toml

    def counting(path, label):
        read.append(path)
        return read_toml(path, label)

    monkeypatch.setattr("somnet.directory.files.read_toml", counting)
    assert run(capsys, "directory", "validate").exit_code == 0
    assert len(read) == len(sample_files())


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["directory", "status", "--cache", ""], "--cache"),
        (["directory", "sync", "https://example.org/somnet/", "--cache", " "], "--cache"),
        (["directory", "sync", "https://example.org/somnet/", "--trust", ""], "--trust"),
        (["directory", "keygen", "--out", ""], "--out"),
        (
            ["directory", "publish", "--name", "c", "--data", "", "--key", "k", "--out", "s"],
            "--data",
        ),
        (["meeting", "list", "--store", ""], "--store"),
    ],
)
def test_an_empty_path_is_refused_not_read_as_the_working_folder_or_the_default(
    capsys, tmp_path, monkeypatch, args, flag
):
    """A path given empty (a script's unset variable) is a mistake: read as the working folder
    it would write the synced copy, a key or a site there; ignored, it would quietly use the
    default store. One line naming the flag, exit 2, nothing written."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = run(capsys, *args)
    assert result.exit_code == 2, result.stderr
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert f"{flag}: " in result.stderr
    assert list(work.iterdir()) == []


# Output encodings --------------------------------------------------------------------------


def _somnet_process(*args: str, encoding: str) -> tuple[int, bytes, str]:
    """``somnet ARGS`` in a process whose standard output encoding is ``encoding`` (a Windows
    file redirect, a C locale without UTF-8), on the shipped directory."""
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": encoding, "SOMNET_NO_CACHE": "1"}
    env.pop("SOMNET_DATA", None)
    result = subprocess.run(
        [sys.executable, "-m", "somnet_cli.main", *args],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout, result.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize("fmt", ["json", "vcard"])
def test_export_is_utf_8_whatever_the_output_encoding(fmt):
    # RFC 6350 and RFC 8259: vCard and JSON are UTF-8. On a stream that cannot encode a
    # Bengali name (cp1252 on Windows, ASCII), the export crashed with a traceback half-way.
    args = ("directory", "export", "--format", fmt, "--state", "BS")
    code, expected, _err = _somnet_process(*args, encoding="utf-8")
    assert code == 0 and "বাংলাদেশ".encode() in expected
    for encoding in ("ascii", "cp1252"):
        code, written, stderr = _somnet_process(*args, encoding=encoding)
        assert code == 0, stderr
        assert "Traceback" not in stderr
        assert written == expected


def test_text_output_on_a_narrow_encoding_replaces_what_it_cannot_write():
    code, written, stderr = _somnet_process("directory", "show", "HT", encoding="ascii")
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert written.decode("ascii").startswith("HT  Haiti / Hait")


def test_a_closed_standard_output_is_one_line_and_exit_1():
    # `somnet directory show HT >&-` (a cron job, a service without a stdout): no traceback.
    import subprocess
    import sys

    command = f"'{sys.executable}' -m somnet_cli.main directory show HT >&-"
    env = {**os.environ, "SOMNET_NO_CACHE": "1"}
    result = subprocess.run(
        ["sh", "-c", command], capture_output=True, env=env, timeout=120, check=False
    )
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr
    [line] = stderr.splitlines()
    assert line.startswith("somnet: ")


def test_export_vcards_keep_crlf_on_a_stream_that_translates_newlines(monkeypatch):
    # Standard output in text mode on Windows turns "\n" into "\r\n": the vCard's own CRLF
    # became CR CR LF, which readers take for blank lines inside a card.
    import io

    from somnet_cli.main import main

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="\r\n")
    monkeypatch.setattr("sys.stdout", stream)
    assert main(["directory", "export", "--format", "vcard"]) == 0
    stream.flush()
    written = raw.getvalue()
    assert b"BEGIN:VCARD\r\n" in written and b"\r\r" not in written
    assert len(parse_vcards(written.decode("utf-8"))) == SAMPLE_COUNTS["contacts"]


def test_a_post_whose_hours_are_unknown_is_shown_so(capsys, tmp_path):
    """A post abroad where the directory holds no file of the place it sits (Haiti's in
    Ottawa, serving the Bahamas) and no hours of its own: its hours are unknown, not its
    sending state's on Ottawa's clock; ``show`` printed "hours: None"."""
    folder = tmp_path / "overlay"
    write_layer(
        folder,
        {
            "ottawa.toml": {
                "agencies": [
                    {
                        **{k: v for k, v in _agency("ht-emb-bs").items() if k != "working_hours"},
                        "id": "ht-emb-ottawa",
                        "located_in": "CA",
                        "timezone": "America/Toronto",
                        "contacts": [
                            {**contact, "id": "ht-emb-ottawa-desk"}
                            for contact in _agency("ht-emb-bs")["contacts"]
                        ],
                    }
                ]
            }
        },
    )
    result = run(capsys, "directory", "show", "BS", "--data", str(folder))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout[result.stdout.index("id ht-emb-ottawa") :].split("\n\n")[0]
    assert "None" not in lines and "America/Toronto" in lines
    shown = json.loads(
        run(capsys, "directory", "show", "BS", "--data", str(folder), "--format", "json").stdout
    )
    [post] = [a for a in shown["serving_from_elsewhere"] if a["id"] == "ht-emb-ottawa"]
    assert post["working_hours"] is None
    assert {c["availability"] for c in post["contacts"][0]["channels"]} == {""}


def _agency(agency_id: str) -> dict:
    """The sample record of an agency, as written in its data file."""
    for files in sample_files().values():
        for agency in files.get("agencies", []):
            if agency["id"] == agency_id:
                return agency
    raise KeyError(agency_id)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_vocabulary_value_with_a_line_break_is_one_line_naming_the_vocabulary(
    capsys, tmp_path, lang
):
    # TOML writes a line break in a string as "\n": a role "navy\nforce" (or a status) was told
    # as "unknown error (navy" then "force not in literal typing.Literal[...])": Python's words,
    # in English, on two lines. It is told as any other value outside its vocabulary.
    files = {BS: sample_files()[BS]}
    files[BS]["agencies"][0]["roles"] = ["navy\nforce"]
    files[BS]["agencies"][0]["status"] = "sure\nish"
    folder = write_layer(tmp_path / "overlay", files)
    result = run(capsys, "--lang", lang, "directory", "validate", "--data", str(folder))
    assert result.exit_code == 2 and result.stdout == ""
    problems = result.stderr.splitlines()[1:]
    assert len(problems) == 2, problems
    for problem in problems:
        assert "Literal" not in problem and "unknown error" not in problem
        assert repr("navy\nforce") in problem or repr("sure\nish") in problem
    [role] = [p for p in problems if "roles[0]" in p]
    assert "sar" in role and "consular" in role  # the roles there are, named


def test_an_overlay_may_not_take_an_agency_away_from_a_state_it_covers(capsys, tmp_path):
    # An overlay replaces Haiti's embassy in Nassau (covering The Bahamas) to add a restricted
    # desk, and leaves covers empty: The Bahamas would lose it ("serving from elsewhere"), as
    # an overlay of Aruba's listing only Aruba in the Dutch Caribbean Coast Guard's covers
    # would take it from Curacao's plans, "replaced" with no word but a listing, where an
    # agreement dropping a party is refused. Refused too, naming the file and the field;
    # adding a covered state stays a replacement like any other.
    [embassy] = [a for a in sample_files()["states/HT.toml"]["agencies"] if a["id"] == "ht-emb-bs"]
    assert embassy["covers"] == ["BS"]
    embassy["covers"] = []
    folder = write_layer(tmp_path / "overlay", {"national.toml": {"agencies": [embassy]}})
    line = one_line_error(run(capsys, "directory", "validate", "--data", str(folder)))
    assert line.startswith(f"{folder / 'national.toml'}: $.agencies[0].covers: "), line
    assert "BS" in line and "ht-emb-bs" in line
    embassy["covers"] = ["BS", "HT"]
    folder = write_layer(tmp_path / "overlay-2", {"national.toml": {"agencies": [embassy]}})
    assert run(capsys, "directory", "validate", "--data", str(folder)).exit_code == 0


def test_the_base_folder_named_again_as_an_overlay_is_laid_once(capsys, base, monkeypatch):
    # A data maintainer in the source tree runs "somnet directory validate --data data" (the
    # shipped folder itself): it was laid twice, and every record was listed as replaced by a
    # later layer, by itself, burying any real replacement. It is laid once, as the base.
    result = run(capsys, "directory", "validate", "--data", str(base), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["layers"] == [str(base)] and report["replacements"] == []
    monkeypatch.setenv("SOMNET_DATA", str(base))
    result = run(capsys, "directory", "validate", "--format", "json")
    assert json.loads(result.stdout)["replacements"] == []


def test_an_overlay_may_not_take_a_sar_region_from_waters_it_covers(capsys, tmp_path):
    # The Miami region covers The Bahamas' waters; an overlay replacing it with covers = ["US"]
    # took those waters out of every SAR region (distress calls off The Bahamas without an
    # RCC), though handing the region to another state's RCC is refused. Refused too.
    [region] = sample_files()["sar.toml"]["sar_regions"]
    assert region["covers"] == ["US", "BS"]
    region["covers"] = ["US"]
    folder = write_layer(tmp_path / "overlay", {"sar.toml": {"sar_regions": [region]}})
    line = one_line_error(run(capsys, "directory", "validate", "--data", str(folder)))
    assert line.startswith(f"{folder / 'sar.toml'}: $.sar_regions[0].covers: "), line
    assert "BS" in line and "srr-miami" in line


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_stale_limits_of_one_day_and_one_year_are_told_in_the_singular(capsys, language):
    # "not verified for more than 1 days", "older than 1 years", "no record is older than
    # 1 days": each count takes its own plural.
    one = r"\b1 (days|years|días|años|jours|ans)\b"
    for days in ("1", "100000"):
        result = run(
            capsys, "--lang", language, "directory", "stale", "--days", days,
            "--evidence-years", "1",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert not re.search(one, result.stdout), result.stdout


# The words ``directory stale --help`` gives each kind of record it reports.
_KIND_WORDS = {
    "state": "states",
    "maritime-claims": "maritime claims",
    "som-protocol": "SOM Protocol status",
    "refugee-convention": "refugee convention",
    "refugee-protocol": "refugee protocol",
    "unclos": "UNCLOS",
    "crc": "CRC",
    "mandatory-notification": "mandatory-notification list",
    "agency": "agencies",
    "contact": "contacts",
    "agreement": "agreements",
    "consular": "consular channels",
    "sar-region": "SAR regions",
}


def test_stale_help_lists_the_kinds_of_record_each_check_reports(capsys):
    """The help listed the kinds the --days check reports, and none for the old-evidence
    check, which reports a state's maritime claims, SOM Protocol status, refugee instruments
    and mandatory notification too (verified with their state, so not in the first list)."""
    from datetime import date
    from typing import get_args

    from somnet.directory.lookup import DatedRecord, RecordKind

    kinds = get_args(RecordKind)
    assert sorted(_KIND_WORDS) == sorted(kinds)
    result = run(capsys, "directory", "stale", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    verified_part = text.split("--days days old (", 1)[1].split(")", 1)[0]
    evidence_part = text.split("or undated (", 1)[1].split(")", 1)[0]
    for kind in kinds:
        record = DatedRecord(kind, "X", "XX", date(2026, 1, 1), ())
        words = _KIND_WORDS[kind]
        assert (words in verified_part) is record.verified_on_its_own, (kind, verified_part)
        # Every kind cites sources but a contact (an agency's, whose sources are its agency's).
        assert (words in evidence_part) is (kind != "contact"), (kind, evidence_part)
