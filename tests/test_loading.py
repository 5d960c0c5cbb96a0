"""The strict loader: one test per class of problem, each reported as ``FILE: $.path: what``;
overlays; the cache; and the round trip records -> data -> records."""

from __future__ import annotations

import copy
import json
import os
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from somnet import DirectoryError
from somnet._convert import converter
from somnet.directory.files import structure_file, unstructure_file
from somnet.directory.loading import load_directory
from somnet.directory.records import Agency, Agreement, Channel, Contact, DirectoryFile
from tests.factories import (
    SAMPLE_COUNTS,
    TODAY,
    agencies,
    agreements_,
    bahamas,
    channels,
    consular_channels,
    contacts,
    fan_of_links,
    make_directory,
    sample_files,
    to_toml,
    united_states,
    write_layer,
)

BS = "states/BS.toml"
HT = "states/HT.toml"
#: The shape of every problem: the file, then a JSON path when the problem is in a field.
PROBLEM = re.compile(r"^\S+\.toml: (\$[\w.\[\]]*: )?\S.*$")


def load(base: Path, *overlays: Path, **options: Any):
    options.setdefault("use_env", False)
    options.setdefault("today", TODAY)
    return load_directory(list(overlays), base=base, **options)


def problems_of(base: Path, *overlays: Path) -> list[str]:
    with pytest.raises(DirectoryError) as info:
        load(base, *overlays)
    problems = info.value.problems
    for problem in problems:
        assert PROBLEM.match(problem), problem
        assert "\n" not in problem
    return problems


def broken(tmp_path: Path, change) -> tuple[Path, list[str]]:
    """Write the sample directory with one change, and the problems loading it gives."""
    files = sample_files()
    change(files)
    folder = write_layer(tmp_path / "base", files)
    return folder, problems_of(folder)


def test_the_sample_directory_loads(tmp_path):
    directory = load(make_directory(tmp_path / "base"))
    assert len(directory.states) == SAMPLE_COUNTS["states"]
    assert len(directory.all_agencies()) == SAMPLE_COUNTS["agencies"]
    assert len(list(directory.contacts())) == SAMPLE_COUNTS["contacts"]
    assert len(directory.all_agreements()) == SAMPLE_COUNTS["agreements"]
    assert len(directory.consular) == SAMPLE_COUNTS["consular_channels"]
    assert len(directory.sar_regions) == SAMPLE_COUNTS["sar_regions"]


def test_the_sample_toml_writer_writes_what_tomllib_reads():
    for name, document in sample_files().items():
        assert tomllib.loads(to_toml(document)) == document, name


# Types: unknown keys, missing fields, wrong types -------------------------------------------


def test_unknown_key_in_an_agency(tmp_path):
    folder, problems = broken(tmp_path, lambda f: f[BS]["agencies"][0].update(colour="blue"))
    assert f"{folder / BS}: $.agencies[0]: unknown key colour" in problems


def test_unknown_keys_at_the_top_of_a_file_are_all_named(tmp_path):
    folder = tmp_path / "base"
    make_directory(folder)
    (folder / "extra.toml").write_text('agency = 1\n[agencys]\nid = "x"\n')
    assert problems_of(folder) == [f"{folder / 'extra.toml'}: $: unknown keys agency, agencys"]


def test_missing_required_field(tmp_path):
    folder, problems = broken(tmp_path, lambda f: f[BS]["agencies"][0].pop("name_en"))
    assert f"{folder / BS}: $.agencies[0].name_en: required field missing" in problems


def test_missing_required_field_of_a_nested_table(tmp_path):
    folder, problems = broken(tmp_path, lambda f: f[BS]["state"]["maritime"].pop("archipelagic"))
    assert f"{folder / BS}: $.state.maritime.archipelagic: required field missing" in problems


def test_text_where_a_number_goes(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: f[BS]["state"]["maritime"].update(territorial_sea_nm="12")
    )
    assert (
        f"{folder / BS}: $.state.maritime.territorial_sea_nm: "
        "expected a whole number, got text '12'"
    ) in problems


def test_text_where_a_list_goes_is_not_split_into_letters(tmp_path):
    folder, problems = broken(tmp_path, lambda f: f[BS]["agencies"][0].update(roles="sar"))
    assert f"{folder / BS}: $.agencies[0].roles: expected a list, got text 'sar'" in problems


def test_true_where_a_number_goes(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: f[BS]["state"]["maritime"].update(territorial_sea_nm=True)
    )
    assert (
        f"{folder / BS}: $.state.maritime.territorial_sea_nm: "
        "expected a whole number, got true/false true"
    ) in problems


@pytest.mark.parametrize(
    ("change", "where", "said"),
    [
        (
            lambda a: a.update(status=True),
            "$.agencies[0].status",
            "expected text, got true/false true",
        ),
        (
            lambda a: a.update(roles=[False]),
            "$.agencies[0].roles[0]",
            "expected text, got true/false false",
        ),
        (
            lambda a: a.update(roles=[["sar"]]),
            "$.agencies[0].roles[0]",
            "expected text, got a list ['sar']",
        ),
        (
            lambda a: a.update(name=["RBDF", True, date(2026, 1, 1)]),
            "$.agencies[0].name",
            "expected text, got a list ['RBDF', true, 2026-01-01]",
        ),
        (
            lambda a: a.update(name={"en": True}),
            "$.agencies[0].name",
            "expected text, got a table {'en': true}",
        ),
        (
            lambda a: a.update(working_hours=True),
            "$.agencies[0].working_hours",
            "expected hours like 'Mo-Fr 08:00-16:00' or '24/7', got true/false true",
        ),
    ],
    ids=["status", "role", "list-role", "list", "table", "hours"],
)
def test_a_value_of_another_kind_is_shown_as_the_file_writes_it(tmp_path, change, where, said):
    """``status = true`` was told as "'True' is not one of confirmed, uncertain", a text the
    file does not hold; a list or a table where text goes showed Python's True and
    datetime.date(2026, 1, 1): the file says true and 2026-01-01."""
    folder, problems = broken(tmp_path, lambda f: change(f[BS]["agencies"][0]))
    assert f"{folder / BS}: {where}: {said}" in problems, problems


def test_number_where_text_goes(tmp_path):
    folder, problems = broken(tmp_path, lambda f: f[BS]["agencies"][0].update(name=5))
    assert f"{folder / BS}: $.agencies[0].name: expected text, got a number 5" in problems


def test_text_where_a_date_goes(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: f[BS]["agencies"][0].update(last_verified="2026-01-01")
    )
    assert (
        f"{folder / BS}: $.agencies[0].last_verified: "
        "expected a date like 2026-01-31, got text '2026-01-01'"
    ) in problems


@pytest.mark.parametrize("field", ["state", "covers"])
@pytest.mark.parametrize("value", ["Cuba", "Bs" + 50 * "x"])
def test_a_state_of_an_agency_that_is_not_a_code_is_named_not_a_crash(tmp_path, field, value):
    """Regression: a code in mixed case that is none ('Cuba') raised UnknownCodeError out of
    the check of role gaps, a traceback instead of the file and field."""

    def change(files):
        agency = files[BS]["agencies"][0]
        agency[field] = [value] if field == "covers" else value

    folder, problems = broken(tmp_path, change)
    where = f"$.agencies[0].{field}" + ("[0]" if field == "covers" else "")
    assert any(p.startswith(f"{folder / BS}: {where}: ") for p in problems), problems


def test_an_id_of_10_kb_is_refused_in_a_message_cut_short(tmp_path):
    """Regression: an id of the right letters but 10 kB long (a paste gone wrong) loaded."""
    value = "bs-rbdf" + 10_000 * "x"
    folder, problems = broken(tmp_path, lambda f: f[BS]["agencies"][0].update(id=value))
    assert problems == [
        f"{folder / BS}: $.agencies[0].id: {repr(value)[:67]}... is not an id: at most 64 "
        "characters (this one has 10007)"
    ]


def test_an_id_of_64_characters_is_accepted(tmp_path):
    files = sample_files()
    files[BS]["agencies"][0]["contacts"][0]["id"] = 64 * "x"
    assert load(write_layer(tmp_path / "base", files)).contact(64 * "x") is not None


def test_a_state_file_without_its_state_is_named_once(tmp_path):
    """Regression: a states/XX.toml without its [state] table (where no layer holds XX) was
    told only as every record of XX and every post there wanting hours and a time zone, and
    every agreement of XX naming a state the directory does not hold: dozens of problems, none
    at the table that is missing."""
    folder, problems = broken(tmp_path, lambda f: f[BS].pop("state"))
    assert problems == [
        f"{folder / BS}: $.state: required field missing: no layer holds the state of "
        "this state file, BS"
    ]


def test_a_state_code_typo_is_named_at_the_code_not_at_every_record_of_the_state(tmp_path):
    """Regression: 'Bs' for BS in states/BS.toml was told at the code and again at every
    agency of BS (no hours, no time zone: the directory held no BS)."""
    folder, problems = broken(tmp_path, lambda f: f[BS]["state"].update(code="Bs"))
    assert problems
    assert all(p.startswith(f"{folder / BS}: $.state.") for p in problems), problems
    assert problems == [
        f"{folder / BS}: $.state.code: 'Bs' is not an ISO 3166-1 alpha-2 state code (upper case)"
    ]


def test_an_overlay_state_file_of_agencies_alone_is_accepted(tmp_path):
    """An overlay may hold any subset: its states/BS.toml may add agencies without [state],
    the state being the base's."""
    base = make_directory(tmp_path / "base")
    files = sample_files()
    overlay = write_layer(tmp_path / "unit", {BS: {"agencies": files[BS]["agencies"][:1]}})
    assert load(base, overlay).agency("bs-rbdf") is not None


def test_value_outside_a_closed_choice(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: f[BS]["agencies"][0]["contacts"][0].update(kind="robot")
    )
    assert any(
        p.startswith(f"{folder / BS}: $.agencies[0].contacts[0].kind: ")
        and "is not one of person, desk, duty" in p
        for p in problems
    ), problems


def test_a_type_error_in_one_record_gives_no_problems_elsewhere(tmp_path):
    folder, problems = broken(tmp_path, lambda f: f[BS]["agencies"][0].update(colour="blue"))
    assert problems == [f"{folder / BS}: $.agencies[0]: unknown key colour"]


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        pytest.param(
            BS,
            lambda f: f[BS]["agencies"][2].update(colour="x"),
            "$.agencies[2]: unknown key colour",
            id="agency-holding-the-focal-point",
        ),
        pytest.param(
            "states/US.toml",
            lambda f: f["states/US.toml"]["agencies"][1].pop("name"),
            "$.agencies[1].name: required field missing",
            id="rcc-named-by-a-sar-region",
        ),
        pytest.param(
            HT,
            lambda f: f[HT]["agencies"][3].update(roles="consular"),
            "$.agencies[3].roles: expected a list, got text 'consular'",
            id="mission-named-by-a-consular-channel",
        ),
        pytest.param(
            BS,
            lambda f: f[BS]["state"].update(colour="x"),
            "$.state: unknown key colour",
            id="state-of-agencies",
        ),
        pytest.param(
            BS,
            lambda f: f[BS]["agencies"][2].update(contacts="x"),
            "$.agencies[2].contacts: expected a list, got text 'x'",
            id="contacts-not-a-list",
        ),
        pytest.param(
            BS,
            lambda f: f[BS].update(agencies="x"),
            "$.agencies: expected a list, got text 'x'",
            id="agencies-not-a-list",
        ),
    ],
)
def test_a_record_left_out_for_its_problems_is_not_reported_again_where_named(
    tmp_path, file, change, expected
):
    folder, problems = broken(tmp_path, change)
    assert problems == [f"{folder / file}: {expected}"]


# Duplicates and dangling references -----------------------------------------------------------


def test_duplicate_agency_id_across_two_files_of_a_layer(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: f[HT]["agencies"].append(bahamas()["agencies"][0])
    )
    assert (
        f"{folder / HT}: $.agencies[5].id: duplicate id 'bs-rbdf', "
        f"already used at {folder / BS}: $.agencies[0].id"
    ) in problems


def test_duplicate_contact_id_in_another_agency(tmp_path):
    duplicate = bahamas()["agencies"][0]["contacts"][0]
    folder, problems = broken(
        tmp_path, lambda f: f[HT]["agencies"][2]["contacts"].append(duplicate)
    )
    assert problems == [
        f"{folder / HT}: $.agencies[2].contacts[1].id: duplicate id 'bs-rbdf-ops', "
        f"already used at {folder / BS}: $.agencies[0].contacts[0].id"
    ]


def test_a_state_defined_in_two_files_of_a_layer(tmp_path):
    folder = make_directory(tmp_path / "base")
    (folder / "more-bahamas.toml").write_text(to_toml({"state": bahamas()["state"]}))
    problems = problems_of(folder)
    assert len(problems) == 1
    assert problems[0].startswith(f"{folder / BS}: $.state.code: duplicate state 'BS', ")
    assert "BS'" in problems[0]  # (the message says 'state:BS': see the report)
    assert str(folder / "more-bahamas.toml") in problems[0]


def test_dangling_parent_agency(tmp_path):
    folder, problems = broken(tmp_path, lambda f: f[HT]["agencies"][1].update(parent="ht-nope"))
    assert problems == [f"{folder / HT}: $.agencies[1].parent: no agency has id 'ht-nope'"]


def test_an_agency_cannot_be_its_own_parent(tmp_path):
    folder, problems = broken(tmp_path, lambda f: f[HT]["agencies"][0].update(parent="ht-pnh"))
    assert problems == [f"{folder / HT}: $.agencies[0].parent: an agency cannot be its own parent"]


def test_dangling_consular_mission(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: f["consular.toml"]["consular"][0].update(mission="ht-nope")
    )
    path = folder / "consular.toml"
    assert problems == [f"{path}: $.consular[0].mission: no agency has id 'ht-nope'"]


def test_consular_mission_of_another_state_or_without_the_consular_role(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: f["consular.toml"]["consular"][0].update(mission="bs-mofa")
    )
    path = folder / "consular.toml"
    assert problems == [
        f"{path}: $.consular[0].mission: agency 'bs-mofa' does not have the role 'consular'",
        f"{path}: $.consular[0].mission: agency 'bs-mofa' belongs to BS, not HT",
    ]


def test_consular_channel_with_no_mission_named(tmp_path):
    folder, problems = broken(tmp_path, lambda f: f["consular.toml"]["consular"][0].pop("mission"))
    path = folder / "consular.toml"
    assert problems == [f"{path}: $.consular[0].mission: a embassy needs the mission's agency id"]


def test_dangling_rcc_of_a_sar_region(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: f["sar.toml"]["sar_regions"][0].update(rcc="us-nope")
    )
    assert problems == [f"{folder / 'sar.toml'}: $.sar_regions[0].rcc: no agency has id 'us-nope'"]


def test_rcc_without_the_sar_role(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: f["sar.toml"]["sar_regions"][0].update(rcc="us-uscg-d7")
    )
    assert problems == [
        f"{folder / 'sar.toml'}: $.sar_regions[0].rcc: "
        "agency 'us-uscg-d7' does not have the role 'sar'"
    ]


def test_agreement_party_not_in_the_directory(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: f["agreements.toml"]["agreements"][0].update(parties=["US", "JM"])
    )
    assert problems == [
        f"{folder / 'agreements.toml'}: $.agreements[0].parties[1]: "
        "the directory holds no state 'JM'"
    ]


def test_dangling_meeting_focal_point(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: f[BS]["state"].update(meeting_focal_point="bs-nope")
    )
    assert problems == [f"{folder / BS}: $.state.meeting_focal_point: no contact has id 'bs-nope'"]


# References an overlay breaks -------------------------------------------------------------------


def agency_of(files: dict[str, Any], agency_id: str) -> dict[str, Any]:
    """The sample record of an agency, to lay changed in an overlay."""
    for content in files.values():
        for agency in content.get("agencies", []):
            if agency["id"] == agency_id:
                return agency
    raise KeyError(agency_id)


def overlaid(tmp_path: Path, agency_id: str, change) -> tuple[Path, Path, list[str]]:
    """The sample directory with an overlay that replaces one agency, changed: the base, the
    overlay's file and the problems loading both gives."""
    base = make_directory(tmp_path / "base")
    agency = agency_of(sample_files(), agency_id)
    change(agency)
    name = f"states/{agency['state']}-unit.toml"
    overlay = write_layer(tmp_path / "unit", {name: {"agencies": [agency]}})
    return base, overlay / name, problems_of(base, overlay)


def test_an_overlay_taking_the_sar_role_from_an_rcc_is_named_where_the_region_refers_to_it(
    tmp_path,
):
    """The region is in the shipped directory, which the overlay's maintainer cannot change:
    the problem names the overlay's record too, which caused it."""
    base, unit, problems = overlaid(
        tmp_path, "us-rcc-miami", lambda a: a.update(roles=["maritime-law-enforcement"])
    )
    assert problems == [
        f"{base / 'sar.toml'}: $.sar_regions[0].rcc: agency 'us-rcc-miami' (replaced by "
        f"{unit}: $.agencies[0]) does not have the role 'sar'"
    ]


def test_an_overlay_taking_the_consular_role_from_a_mission_is_named_where_a_channel_refers_to_it(
    tmp_path,
):
    base, unit, problems = overlaid(
        tmp_path, "ht-emb-bs", lambda a: a.update(roles=["protection-partner"])
    )
    assert problems == [
        f"{base / 'consular.toml'}: $.consular[0].mission: agency 'ht-emb-bs' (replaced by "
        f"{unit}: $.agencies[0]) does not have the role 'consular'"
    ]


def test_an_overlay_taking_a_states_only_agency_for_a_role_out_of_it_is_refused(tmp_path):
    """Haiti's coast guard replaced without its role would leave no one to ask for Haiti's
    consent to enter its waters: as good as moving it to another state."""
    base, unit, problems = overlaid(
        tmp_path, "ht-garde-cotes", lambda a: a.update(roles=["anti-trafficking"])
    )
    assert problems == [
        f"{unit}: $.agencies[0].roles: would leave HT with no agency for "
        f"'maritime-law-enforcement', which {base / HT}: $.agencies[1] has agency "
        "'ht-garde-cotes' hold; a later layer may replace a record, not take a role away from "
        "a state: keep the role, or record it in the role_gaps of HT with what was found"
    ]


def test_an_overlay_may_take_a_role_from_an_agency_that_another_holds_or_a_gap_records(
    tmp_path,
):
    base = make_directory(tmp_path / "base")
    files = sample_files()
    coast_guard = agency_of(files, "ht-garde-cotes")
    coast_guard["roles"] = ["anti-trafficking"]
    police = agency_of(files, "ht-pnh")
    police["roles"] = ["anti-trafficking", "maritime-law-enforcement"]
    taken_over = write_layer(tmp_path / "police", {HT: {"agencies": [police, coast_guard]}})
    assert load(base, taken_over).agency("ht-garde-cotes").roles == ("anti-trafficking",)
    state = files[HT]["state"]
    state["role_gaps"] = [
        {"roles": ["maritime-law-enforcement"], "note": "No coast guard operates: ask the PNH."}
    ]
    gap = write_layer(tmp_path / "gap", {HT: {"state": state, "agencies": [coast_guard]}})
    assert load(base, gap).agency("ht-garde-cotes").roles == ("anti-trafficking",)


def no_mission(nationality: str, receiving: list[str]) -> dict[str, Any]:
    """A proven "none": no mission of ``nationality`` covers ``receiving``."""
    [record] = [c for c in sample_files()["consular.toml"]["consular"] if c["type"] == "none"]
    record.update(nationality=nationality, receiving=receiving)
    return record


def test_an_overlay_saying_no_mission_serves_where_a_lower_layer_has_one_is_refused(tmp_path):
    """Routing takes the embassy of the layer below and never reads the overlay's "none":
    the overlay's maintainer would believe it recorded, and the consular list would show both."""
    base = make_directory(tmp_path / "base")
    unit = write_layer(
        tmp_path / "unit", {"consular.toml": {"consular": [no_mission("HT", ["US", "BS"])]}}
    )
    assert (
        problems_of(base, unit)
        == [
            f"{unit / 'consular.toml'}: $.consular[0].receiving[1]: HT nationals in BS are served "
            f"by ht-emb-bs at {base / 'consular.toml'}: $.consular[0], in a lower layer: a later "
            "layer may replace that record (the same nationality, mission and receiving states), "
            "not record that no mission serves them",
            f"{unit / 'consular.toml'}: $.consular[0].receiving[0]: HT nationals in US are served "
            f"by ht-cons-miami at {base / 'consular.toml'}: $.consular[1], in a lower layer: a "
            "later layer may replace that record (the same nationality, mission and receiving "
            "states), not record that no mission serves them",
        ][::-1]
    )


def test_an_overlay_recording_a_mission_where_a_lower_layer_found_none_supersedes_it(tmp_path):
    """A mission opened since the lower layer found none: the overlay cannot remove the
    "none", which would stand beside the mission in the consular list; the mission takes its
    place for that state alone, and validate lists it as a replacement."""
    from somnet.directory.loading import check_directory

    base = make_directory(tmp_path / "base")
    embassy = {
        **agency_of(sample_files(), "ht-emb-bs"),
        "id": "er-emb-bs",
        "state": "ER",
        "name": "Embassy of Eritrea",
        "name_en": "Embassy of Eritrea",
        "contacts": [],
    }
    channel = {
        **sample_files()["consular.toml"]["consular"][0],
        "nationality": "ER",
        "mission": "er-emb-bs",
    }
    unit = write_layer(
        tmp_path / "unit", {"consular.toml": {"agencies": [embassy], "consular": [channel]}}
    )
    directory, replaced = check_directory([unit], base=base, use_env=False, today=TODAY)
    assert [c.mission for c in directory.consular_channels(nationality="ER", receiving="BS")] == [
        "er-emb-bs"
    ]
    assert [c.type for c in directory.consular_channels(nationality="ER", receiving="HT")] == [
        "none"
    ]
    assert [(r.kind, r.id, r.replaced, r.by) for r in replaced] == [
        (
            "consular channel",
            "ER by no mission in BS",
            (str(base / "consular.toml"), "$.consular[2]"),
            (str(unit / "consular.toml"), "$.consular[0]"),
        )
    ]


def test_an_overlay_moving_an_embassy_is_named_where_a_channel_says_where_it_sits(tmp_path):
    base, unit, problems = overlaid(tmp_path, "ht-emb-bs", lambda a: a.update(located_in="US"))
    assert problems == [
        f"{base / 'consular.toml'}: $.consular[0].type: ht-emb-bs (replaced by {unit}: "
        '$.agencies[0]) sits in US, not in BS: a post elsewhere is "concurrent" there, in a '
        "record of its own"
    ]


def test_an_overlay_dropping_a_states_meeting_focal_point_is_named(tmp_path):
    base, unit, problems = overlaid(tmp_path, "bs-mofa", lambda a: a.update(contacts=[]))
    assert problems == [
        f"{base / BS}: $.state.meeting_focal_point: no contact has id 'bs-mofa-desk' (dropped "
        f"by {unit}: $.agencies[0])"
    ]


def test_an_overlay_adding_a_territory_is_named_where_an_agreement_extends_to_it(tmp_path):
    """A record the overlay adds, rather than replaces, is named as added."""
    files = sample_files()
    files["agreements.toml"]["agreements"][1]["extends_to"] = ["TC"]
    base = write_layer(tmp_path / "base", files)
    state = copy.deepcopy(files[HT]["state"])
    state.update(code="TC", names={"en": "Turks and Caicos", "es": "Turcas", "fr": "Turques"})
    unit = write_layer(tmp_path / "unit", {"states/TC.toml": {"state": state}})
    problems = problems_of(base, unit)
    assert problems == [
        f"{base / 'agreements.toml'}: $.agreements[1].extends_to[0]: TC (added by "
        f"{unit / 'states/TC.toml'}: $.state) is not a territory (it has no sovereign)"
    ]


def test_an_overlay_closing_a_loop_of_parents_is_named_in_the_shipped_agencys_chain(tmp_path):
    base, unit, problems = overlaid(
        tmp_path, "us-uscg-d7", lambda a: a.update(parent="us-rcc-miami")
    )
    assert problems == [
        f"{unit}: $.agencies[0].parent: an agency cannot be its own ancestor: us-uscg-d7 -> "
        "us-rcc-miami -> us-uscg-d7",
        f"{base / 'states/US.toml'}: $.agencies[1].parent: an agency cannot be its own "
        f"ancestor: us-rcc-miami -> us-uscg-d7 (replaced by {unit}: $.agencies[0]) -> "
        "us-rcc-miami",
    ]


def test_an_overlay_making_a_state_a_territory_is_refused_naming_its_sovereign(tmp_path):
    """An overlay making the Bahamas a territory of Haiti was told by what followed from it in
    the lower layer ("HT nationals in BS (replaced by ...) are in their own state and need no
    consular post"): the overlay's line is named, and nothing else."""
    base = make_directory(tmp_path / "base")
    state = sample_files()[BS]["state"]
    state["sovereign"] = "HT"
    unit = write_layer(tmp_path / "unit", {BS: {"state": state}})
    assert problems_of(base, unit) == [
        f"{unit / BS}: $.state.sovereign: 'HT' would put BS under another sovereign than "
        f"{base / BS}: $.state, which records none (a state of its own); a later layer may "
        "replace a record, not move it to another state"
    ]


def test_a_reference_within_one_layer_names_no_other_record(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: agency_of(f, "us-rcc-miami").update(roles=["maritime-law-enforcement"])
    )
    assert problems == [
        f"{folder / 'sar.toml'}: $.sar_regions[0].rcc: "
        "agency 'us-rcc-miami' does not have the role 'sar'"
    ]


# Values the types cannot check -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (
            lambda f: f[BS]["agencies"][0].update(covers=["XX"]),
            "$.agencies[0].covers[0]",
            "'XX' is not an ISO 3166-1 alpha-2 state code (upper case)",
        ),
        (
            lambda f: f["consular.toml"]["consular"][2].update(nationality="ERI"),
            "$.consular[2].nationality",
            "'ERI' is not an ISO 3166-1 alpha-2 state code (upper case)",
        ),
        (
            lambda f: f["sar.toml"]["sar_regions"][0].update(covers=["US", "bs"]),
            "$.sar_regions[0].covers[1]",
            "'bs' is not an ISO 3166-1 alpha-2 state code (upper case)",
        ),
    ],
)
def test_codes_that_are_not_iso_3166(tmp_path, change, path, message):
    folder, problems = broken(tmp_path, change)
    assert any(p.endswith(f": {path}: {message}") and str(folder) in p for p in problems), problems


def test_bad_iana_time_zone(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: f[BS]["state"].update(timezones=["America/Nasau"])
    )
    assert problems == [
        f"{folder / BS}: $.state.timezones[0]: "
        "'America/Nasau' is not an IANA time zone such as America/Panama"
    ]


def test_bad_agency_time_zone(tmp_path):
    folder, problems = broken(tmp_path, lambda f: f[BS]["agencies"][0].update(timezone="EST+5"))
    assert problems == [
        f"{folder / BS}: $.agencies[0].timezone: "
        "'EST+5' is not an IANA time zone such as America/Panama"
    ]


@pytest.mark.parametrize("zone", ["America/Nasau", "US/Eastern", "Etc/GMT+5", "Mars/" + "x" * 300])
def test_a_zone_is_refused_in_the_same_words_by_the_directory_a_participant_and_an_invite(
    tmp_path, zone
):
    """The directory, a meeting's participants and an invite's zone classify a zone name
    with one classifier and refuse it in one wording: the directory said "such as
    'America/Nassau'" where the others said "such as America/Panama", and repeated a long
    name whole where they cut it short."""
    from somnet import MeetingError
    from somnet.meetings.lifecycle import check_wording
    from tests.meeting_fixtures import person

    folder, problems = broken(tmp_path, lambda f: f[BS]["agencies"][0].update(timezone=zone))
    [problem] = problems
    prefix = f"{folder / BS}: $.agencies[0].timezone: "
    assert problem.startswith(prefix)
    with pytest.raises(MeetingError) as raised:
        check_wording(title="t", timezone=zone)
    assert raised.value.field == "timezone"
    assert problem == prefix + raised.value.reason
    with pytest.raises(MeetingError) as made:
        person("x", zone, "Mo-Fr 09:00-17:00")
    assert made.value.reason == raised.value.reason
    assert len(made.value.reason) < 200


@pytest.mark.parametrize("zone", ["EST", "EST5EDT", "US/Eastern", "Cuba", "Etc/GMT+5"])
def test_a_time_zone_that_names_no_place_is_refused(tmp_path, zone):
    """zoneinfo reads these all the same, but EST keeps UTC-5 all year where the Bahamas'
    clock goes forward in summer: the office's hours would be read an hour off for months."""
    folder, problems = broken(tmp_path, lambda f: f[BS]["agencies"][0].update(timezone=zone))
    assert problems == [
        f"{folder / BS}: $.agencies[0].timezone: {zone!r} is an old alias or a fixed offset, "
        "not the zone of a place: name the place's own, such as 'America/Nassau'"
    ]


@pytest.mark.parametrize("zone", ["UTC", "Etc/UTC"])
@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("agencies[0].timezone", lambda f, zone: f[BS]["agencies"][0].update(timezone=zone)),
        ("state.timezones[0]", lambda f, zone: f[BS]["state"].update(timezones=[zone])),
    ],
)
def test_utc_as_an_offices_zone_is_refused_as_the_zone_of_no_place(tmp_path, zone, where, change):
    """UTC is neither an old alias nor a fixed offset of a place: it is refused because an
    office keeps the clock of the place it sits in, and the refusal says that."""
    folder, problems = broken(tmp_path, lambda f: change(f, zone))
    assert problems == [
        f"{folder / BS}: $.{where}: {zone!r} is the zone of no place: an office keeps its "
        "place's zone, so that its hours follow the local clock; name it, such as "
        "'America/Nassau'"
    ]
    assert "alias" not in problems[0] and "fixed offset" not in problems[0]


@pytest.mark.parametrize("tag", ["english", "xx", "EN", "en_US", "es-\u0664\u0661\u0669"])
def test_bad_language_tag(tmp_path, tag):
    folder, problems = broken(
        tmp_path, lambda f: f[BS]["agencies"][0]["contacts"][0].update(languages=["en", tag])
    )
    assert problems == [
        f"{folder / BS}: $.agencies[0].contacts[0].languages[1]: "
        f"{tag!r} is not a BCP 47 language tag such as 'es'"
    ]


def test_good_language_tags_with_a_region_or_three_letters(tmp_path):
    files = sample_files()
    files[BS]["agencies"][0]["contacts"][0]["languages"] = ["en-BS", "es-419", "hat"]
    load(write_layer(tmp_path / "base", files))


def set_channel(value: str, index: int = 0):
    return lambda f: f[BS]["agencies"][0]["contacts"][0]["channels"][index].update(value=value)


CHANNEL = "$.agencies[0].contacts[0].channels"


def test_text_that_is_not_a_phone_number(tmp_path):
    folder, problems = broken(tmp_path, set_channel("call the duty officer"))
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{folder / BS}: {CHANNEL}[0].value: 'call the duty officer' is not a telephone number "
        "in E.164 form (+CCNNN...)"
    )


def test_phone_number_without_a_country_code(tmp_path):
    folder, problems = broken(tmp_path, set_channel("2423020000"))
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{folder / BS}: {CHANNEL}[0].value: '2423020000' is not a telephone number in E.164 form"
    )


def test_phone_number_not_written_in_e164(tmp_path):
    folder, problems = broken(tmp_path, set_channel("+1 (242) 302-0000"))
    assert problems == [
        f"{folder / BS}: {CHANNEL}[0].value: "
        "'+1 (242) 302-0000' must be written in E.164 form: +12423020000"
    ]


def test_phone_number_invalid_for_its_country_code(tmp_path):
    folder, problems = broken(tmp_path, set_channel("+12425550000"))
    assert problems == [
        f"{folder / BS}: {CHANNEL}[0].value: "
        "'+12425550000' is not a valid telephone number for its country code"
    ]


@pytest.mark.parametrize(
    "address",
    [
        "ops at rbdf.example.org",
        "ops@localhost",
        "<ops@x.org>",
        # Longer than SMTP carries (RFC 5321, 4.5.3.1.3): no server delivers it.
        "o" * 250 + "@example.org",
    ],
    ids=["words", "no-domain", "brackets", "too-long"],
)
def test_bad_email_address(tmp_path, address):
    folder, problems = broken(tmp_path, set_channel(address, index=1))
    # One longer than a line is told cut short, with its length.
    told = (
        repr(address) if len(address) <= 80 else f"{address[:80]!r}... ({len(address)} characters)"
    )
    assert problems == [f"{folder / BS}: {CHANNEL}[1].value: {told} is not an e-mail address"]


@pytest.mark.parametrize(
    ("index", "value", "char"),
    [
        (1, "ops\u200b@rbdf.example.org", "\\u200b"),
        (1, "ops@rbdf.example.org\u2060", "\\u2060"),
        (1, "o\u00adps@rbdf.example.org", "\\xad"),
        (0, "+1242555\u200b0100", "\\u200b"),
    ],
    ids=["zero-width-space", "word-joiner", "soft-hyphen", "in-a-number"],
)
def test_a_channel_holding_an_invisible_character_is_refused_naming_it(
    tmp_path, index, value, char
):
    """An e-mail address with a zero-width space, a word joiner or a soft hyphen in it loaded:
    shown, it reads as the address meant, but copied into a mail program it is another one,
    and the message to the duty officer bounces or goes astray. A number with one was called
    "not a valid telephone number for its country code", which it reads as."""
    folder, problems = broken(tmp_path, set_channel(value, index=index))
    assert problems == [
        f"{folder / BS}: {CHANNEL}[{index}].value: {value!r} holds an invisible character "
        f"('{char}'): copied, it is not the value shown; remove it"
    ]


def test_unknown_channel_kind(tmp_path):
    folder, problems = broken(
        tmp_path,
        lambda f: f[BS]["agencies"][0]["contacts"][0]["channels"][1].update(kind="pigeon"),
    )
    assert len(problems) == 1
    assert problems[0].startswith(f"{folder / BS}: {CHANNEL}[1].kind: 'pigeon' is not a channel")


def test_bad_availability(tmp_path):
    folder, problems = broken(
        tmp_path,
        lambda f: f[BS]["agencies"][0]["contacts"][0]["channels"][0].update(availability="9-5"),
    )
    assert (
        f"{folder / BS}: {CHANNEL}[0].availability: '9-5' needs days and times, "
        "e.g. 'Mo-Fr 08:00-16:00'"
    ) in problems


def test_overlapping_working_hours(tmp_path):
    folder, problems = broken(
        tmp_path,
        lambda f: f[BS]["state"].update(working_hours="Mo-Fr 09:00-17:00; Mo 16:00-18:00"),
    )
    assert any(
        p.startswith(f"{folder / BS}: $.state.working_hours: windows overlap on Mo")
        for p in problems
    ), problems


def test_last_verified_in_the_future(tmp_path):
    folder, problems = broken(
        tmp_path,
        lambda f: f[BS]["agencies"][0]["contacts"][0].update(last_verified=date(2026, 11, 28)),
    )
    assert problems == [
        f"{folder / BS}: $.agencies[0].contacts[0].last_verified: "
        "2026-11-28 is in the future (it is 2026-11-27 at the latest, anywhere on Earth)"
    ]


def test_last_verified_today_is_accepted(tmp_path):
    files = sample_files()
    files[BS]["agencies"][0]["last_verified"] = TODAY
    load(write_layer(tmp_path / "base", files))


def test_role_outside_the_vocabulary(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: f[BS]["agencies"][0].update(roles=["maritime-law-enforcement", "navy"])
    )
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{folder / BS}: $.agencies[0].roles[1]: 'navy' is not a role; the roles are "
    )
    assert "som-art8-authority" in problems[0]


def test_record_without_sources(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: f["agreements.toml"]["agreements"][0].update(sources=[])
    )
    assert problems == [
        f"{folder / 'agreements.toml'}: $.agreements[0].sources: "
        "at least one source is needed for an institutional fact"
    ]


def test_state_filed_under_another_code(tmp_path):
    files = sample_files()
    files["states/HN.toml"] = files.pop(BS)
    folder = write_layer(tmp_path / "base", files)
    problems = problems_of(folder)
    assert problems == [
        f"{folder / 'states/HN.toml'}: $.state.code: 'BS' is filed in HN.toml; use one name"
    ]


# Files that are not data -----------------------------------------------------------------------


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return make_directory(tmp_path / "base")


def overlay_with(tmp_path: Path, content: bytes, name: str = BS) -> tuple[Path, Path]:
    overlay = tmp_path / "overlay"
    path = overlay / name
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    return overlay, path


def test_empty_file(tmp_path, base):
    overlay, path = overlay_with(tmp_path, b"\n  \n")
    assert problems_of(base, overlay) == [f"{path}: the file is empty"]


def test_binary_file(tmp_path, base):
    overlay, path = overlay_with(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert problems_of(base, overlay) == [f"{path}: binary data (a NUL byte at offset 8), not TOML"]


def test_non_utf8_file(tmp_path, base):
    content = (base / BS).read_bytes().replace(b"Bahamas", "Bahamás".encode("latin-1"), 1)
    overlay, path = overlay_with(tmp_path, content)
    problems = problems_of(base, overlay)
    assert len(problems) == 1
    assert re.fullmatch(
        rf"{re.escape(str(path))}: not UTF-8 text \(invalid byte at offset \d+\)", problems[0]
    )


def test_truncated_file(tmp_path, base):
    content = (base / BS).read_bytes()
    overlay, path = overlay_with(tmp_path, content[: content.index(b"Royal Bahamas") + 5])
    assert problems_of(base, overlay) == [
        f"{path}: not valid TOML: Unterminated string (at end of document)"
    ]


def test_garbage_appended_to_a_valid_file(tmp_path, base):
    content = (base / BS).read_bytes()
    lines = content.count(b"\n")
    overlay, path = overlay_with(tmp_path, content + b"@@@ not toml ###\n")
    assert problems_of(base, overlay) == [
        f"{path}: not valid TOML: Invalid statement (at line {lines + 1}, column 1)"
    ]


def test_a_file_nested_too_deeply_is_one_problem(tmp_path, base):
    overlay, path = overlay_with(tmp_path, b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n")
    problems = problems_of(base, overlay)
    assert problems == [f"{path}: not valid TOML: values nested too deeply"]


def test_a_key_given_twice(tmp_path, base):
    overlay, path = overlay_with(tmp_path, b'[state]\ncode = "BS"\ncode = "HT"\n')
    problems = problems_of(base, overlay)
    assert problems == [f"{path}: not valid TOML: Cannot overwrite a value (at line 3, column 12)"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path, base):
    overlay, path = overlay_with(tmp_path, (base / BS).read_bytes())
    path.chmod(0)
    try:
        assert problems_of(base, overlay) == [f"{path}: cannot be read: Permission denied"]
    finally:
        path.chmod(0o644)


def test_unreadable_file_even_as_root(tmp_path, base, monkeypatch):
    # Root reads a chmod 000 file, so make the read fail the way it fails for everyone else.
    overlay, path = overlay_with(tmp_path, (base / BS).read_bytes())
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert problems_of(base, overlay) == [f"{path}: cannot be read: Permission denied"]


def test_every_problem_of_every_file_is_reported(tmp_path, base):
    overlay = tmp_path / "overlay"
    (overlay / "states").mkdir(parents=True)
    (overlay / BS).write_bytes((base / BS).read_bytes() + b"}}}\n")
    (overlay / HT).write_bytes(b"")
    files = {"agreements.toml": sample_files()["agreements.toml"]}
    files["agreements.toml"]["agreements"][0]["parties"] = ["US", "JM"]
    # A new agreement (under the old id it would take the US-Haiti one away from Haiti).
    files["agreements.toml"]["agreements"][0]["id"] = "us-jm-interdiction"
    files["agreements.toml"]["agreements"][1]["kind"] = "treaty"
    write_layer(overlay, files)
    problems = problems_of(base, overlay)
    assert len(problems) == 4, problems
    assert problems[0].startswith(f"{overlay / 'agreements.toml'}: $.agreements[1].kind: ")
    assert problems[1].startswith(f"{overlay / BS}: not valid TOML: ")
    assert problems[2] == f"{overlay / HT}: the file is empty"
    # The file's other, well-formed agreement is still checked (records are structured one
    # by one), so its dangling party is reported too.
    assert problems[3] == (
        f"{overlay / 'agreements.toml'}: $.agreements[0].parties[1]: "
        "the directory holds no state 'JM'"
    )


def test_two_problems_in_one_file_are_both_reported(tmp_path):
    def change(files):
        files[BS]["agencies"][0]["roles"] = ["navy"]
        files[BS]["agencies"][1]["covers"] = ["XX"]

    _, problems = broken(tmp_path, change)
    assert [p.split(": ")[1] for p in problems] == [
        "$.agencies[0].roles[0]",
        "$.agencies[1].covers[0]",
    ]


def test_the_error_message_lists_every_problem_on_its_own_line(tmp_path):
    files = sample_files()
    files[BS]["agencies"][0]["roles"] = ["navy"]
    files[BS]["agencies"][1]["covers"] = ["XX"]
    folder = write_layer(tmp_path / "base", files)
    with pytest.raises(DirectoryError) as info:
        load(folder)
    lines = str(info.value).splitlines()
    assert lines[0] == "2 problems in the directory:"
    assert lines[1:] == info.value.problems


def test_a_missing_overlay_folder(tmp_path, base):
    assert problems_of_any(base, tmp_path / "nowhere") == [
        f"{tmp_path / 'nowhere'}: no such directory"
    ]


def test_an_overlay_folder_without_data_files(tmp_path, base):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert problems_of_any(base, empty) == [f"{empty}: holds no *.toml data files"]


def problems_of_any(base: Path, *overlays: Path) -> list[str]:
    with pytest.raises(DirectoryError) as info:
        load(base, *overlays)
    return info.value.problems


# Overlays ---------------------------------------------------------------------------------------


def restricted_rbdf() -> dict[str, Any]:
    """The RBDF as a national directory knows it: one real-looking restricted contact."""
    agency = bahamas()["agencies"][0]
    agency["name_en"] = "Royal Bahamas Defence Force (restricted)"
    agency["contacts"] = [
        {
            "id": "bs-rbdf-watch-officer",
            "kind": "person",
            "name": "Lt. A. Watch",
            "languages": ["en"],
            "last_verified": TODAY,
            "sensitivity": "restricted",
            "channels": [{"kind": "mobile", "value": "+12424241234", "availability": "24/7"}],
        }
    ]
    return agency


def test_a_later_layer_replaces_a_whole_agency_and_adds_new_ones(tmp_path, base):
    new_agency = {
        "id": "bs-new-unit",
        "state": "BS",
        "name": "Maritime Intelligence Unit",
        "name_en": "Maritime Intelligence Unit",
        "roles": ["maritime-law-enforcement"],
        "last_verified": TODAY,
        "sources": [{"title": "National directory", "url": "https://example.gov/national"}],
    }
    overlay = write_layer(
        tmp_path / "national", {"restricted.toml": {"agencies": [restricted_rbdf(), new_agency]}}
    )
    directory = load(base, overlay)
    rbdf = directory.agency("bs-rbdf")
    assert rbdf.name_en == "Royal Bahamas Defence Force (restricted)"
    assert [c.id for c in rbdf.contacts] == ["bs-rbdf-watch-officer"]
    assert directory.contact("bs-rbdf-ops") is None  # replaced with its agency
    assert directory.agency("bs-new-unit") is not None
    assert len(directory.all_agencies()) == SAMPLE_COUNTS["agencies"] + 1
    assert directory.state("BS") is not None  # the overlay holds no state record
    assert directory.layers == (base, overlay)


def test_an_overlay_holding_one_file_may_replace_a_state(tmp_path, base):
    state_file = {"state": bahamas()["state"]}
    state_file["state"]["working_hours"] = "Mo-Fr 08:00-16:00"
    overlay = write_layer(tmp_path / "overlay", {BS: state_file})
    directory = load(base, overlay)
    assert str(directory.state("BS").working_hours) == "Mo-Fr 08:00-16:00"
    assert directory.agency("bs-rbdf") is not None  # the rest of the base file stays


def test_later_overlays_win_over_earlier_ones(tmp_path, base):
    first, second = restricted_rbdf(), restricted_rbdf()
    second["name_en"] = "RBDF, second overlay"
    one = write_layer(tmp_path / "one", {"a.toml": {"agencies": [first]}})
    two = write_layer(tmp_path / "two", {"a.toml": {"agencies": [second]}})
    assert load(base, one, two).agency("bs-rbdf").name_en == "RBDF, second overlay"
    assert load(base, two, one).agency("bs-rbdf").name_en == first["name_en"]


def test_somnet_data_lists_overlays_separated_by_pathsep(tmp_path, base, monkeypatch):
    first, second = restricted_rbdf(), restricted_rbdf()
    second["name_en"] = "RBDF, from the second SOMNET_DATA folder"
    one = write_layer(tmp_path / "one", {"a.toml": {"agencies": [first]}})
    two = write_layer(tmp_path / "two", {"a.toml": {"agencies": [second]}})
    monkeypatch.setenv("SOMNET_DATA", f"{one}{os.pathsep}{os.pathsep}{two}")
    directory = load(base, use_env=True)
    assert directory.agency("bs-rbdf").name_en == second["name_en"]
    assert directory.layers == (base, one, two)


def test_overlays_given_explicitly_come_after_somnet_data(tmp_path, base, monkeypatch):
    from_env, explicit = restricted_rbdf(), restricted_rbdf()
    explicit["name_en"] = "RBDF, --data"
    env_folder = write_layer(tmp_path / "env", {"a.toml": {"agencies": [from_env]}})
    data_folder = write_layer(tmp_path / "data", {"a.toml": {"agencies": [explicit]}})
    monkeypatch.setenv("SOMNET_DATA", str(env_folder))
    directory = load(base, data_folder, use_env=True)
    assert directory.agency("bs-rbdf").name_en == "RBDF, --data"
    assert directory.layers == (base, env_folder, data_folder)


def test_somnet_data_is_ignored_when_asked(tmp_path, base, monkeypatch):
    monkeypatch.setenv("SOMNET_DATA", str(tmp_path / "nowhere"))
    load(base, use_env=False)


def test_a_duplicate_within_an_overlay_is_still_an_error(tmp_path, base):
    overlay = write_layer(
        tmp_path / "overlay",
        {"a.toml": {"agencies": [restricted_rbdf()]}, "b.toml": {"agencies": [restricted_rbdf()]}},
    )
    problems = problems_of(base, overlay)
    assert problems[0] == (
        f"{overlay / 'b.toml'}: $.agencies[0].id: duplicate id 'bs-rbdf', "
        f"already used at {overlay / 'a.toml'}: $.agencies[0].id"
    )


def test_an_overlay_cannot_reuse_a_contact_id_of_an_agency_it_keeps(tmp_path, base):
    agency = restricted_rbdf()
    agency["id"] = "bs-other-unit"
    agency["contacts"][0]["id"] = "bs-mofa-desk"  # held by bs-mofa, kept from the base
    overlay = write_layer(tmp_path / "overlay", {"a.toml": {"agencies": [agency]}})
    problems = problems_of_any(base, overlay)
    assert any("duplicate id 'bs-mofa-desk'" in p for p in problems)


def test_an_overlay_contact_may_not_take_the_id_of_an_agency_below_it(tmp_path, base):
    """Ids are one namespace (a meeting participant names an agency or a contact by id): a
    contact named as an agency of another layer loaded, where the same clash within one layer
    is a duplicate. Named at the overlay's record, either way round."""
    contact_as_agency = restricted_rbdf()
    contact_as_agency["id"] = "bs-other-unit"
    contact_as_agency["contacts"][0]["id"] = "bs-mofa"  # an agency of the base
    agency_as_contact = restricted_rbdf()
    agency_as_contact["id"] = "bs-mofa-desk"  # a contact of the base's bs-mofa
    agency_as_contact["contacts"][0]["id"] = "bs-mofa-desk-2"
    overlay = write_layer(
        tmp_path / "overlay",
        {"a.toml": {"agencies": [contact_as_agency]}, "b.toml": {"agencies": [agency_as_contact]}},
    )
    problems = problems_of_any(base, overlay)
    assert any(
        p.startswith(
            f"{overlay / 'a.toml'}: $.agencies[0].contacts[0].id: duplicate id 'bs-mofa', "
            "already used at "
        )
        for p in problems
    ), problems
    assert any(
        p.startswith(
            f"{overlay / 'b.toml'}: $.agencies[0].id: duplicate id 'bs-mofa-desk', already used at "
        )
        for p in problems
    ), problems


def test_a_replaced_agency_is_validated_against_the_merged_directory(tmp_path, base):
    agency = restricted_rbdf()
    agency["parent"] = "bs-mns"  # held by no layer
    overlay = write_layer(tmp_path / "overlay", {"a.toml": {"agencies": [agency]}})
    assert problems_of(base, overlay) == [
        f"{overlay / 'a.toml'}: $.agencies[0].parent: no agency has id 'bs-mns'"
    ]


def haitian_coast_guard_in(state: str) -> dict[str, Any]:
    from tests.factories import haiti

    agency = next(a for a in haiti()["agencies"] if a["id"] == "ht-garde-cotes")
    agency["state"] = state
    return agency


def test_an_overlay_may_not_move_a_record_to_another_state(tmp_path, base):
    """An agency of another state's id in an overlay would silently take its place: Haiti's
    24/7 coast guard would vanish from every plan. Replacing is allowed; moving is not."""
    overlay = write_layer(
        tmp_path / "overlay", {"gt.toml": {"agencies": [haitian_coast_guard_in("US")]}}
    )
    problems = problems_of(base, overlay)
    assert len(problems) == 1
    (problem,) = problems
    assert problem.startswith(f"{overlay / 'gt.toml'}: $.agencies[0].state: ")
    assert str(base / HT) in problem and "ht-garde-cotes" in problem


def test_an_overlay_may_not_move_a_sar_region_to_another_states_rcc(tmp_path, base):
    """A SAR region is its RCC's: an overlay region with the id of another state's, handed to
    its own RCC, would silently take those waters from RCC Miami (and the distress call with
    them). Replacing the region with one of the same state's RCCs stays allowed."""
    from tests.factories import bahamas, sar

    rbdf = next(a for a in bahamas()["agencies"] if a["id"] == "bs-rbdf")
    rbdf["roles"] = [*rbdf["roles"], "sar"]
    region = sar()["sar_regions"][0]
    region.update(rcc="bs-rbdf", covers=["BS"])
    overlay = write_layer(
        tmp_path / "overlay", {"bs.toml": {"agencies": [rbdf], "sar_regions": [region]}}
    )
    problems = problems_of(base, overlay)
    assert len(problems) == 1, problems
    (problem,) = problems
    assert problem.startswith(f"{overlay / 'bs.toml'}: $.sar_regions[0].rcc: "), problem
    assert "srr-miami" in problem and str(base / "sar.toml") in problem


def test_an_overlay_may_not_take_an_agreement_away_from_a_party(tmp_path, base):
    """The United States-Haiti agreement replaced by one between the United States and The
    Bahamas would vanish from Haiti's plans; a replacement may add parties, not drop one."""
    from tests.factories import agreements

    moved = agreements()["agreements"][0]
    moved["parties"] = ["US", "BS"]
    overlay = write_layer(tmp_path / "overlay", {"agreements.toml": {"agreements": [moved]}})
    problems = problems_of(base, overlay)
    assert len(problems) == 1, problems
    (problem,) = problems
    assert problem.startswith(f"{overlay / 'agreements.toml'}: $.agreements[0].parties: ")
    assert "us-ht-interdiction-1981" in problem and str(base / "agreements.toml") in problem
    joined = agreements()["agreements"][0]
    joined["parties"] = ["US", "HT", "BS"]
    widened = write_layer(tmp_path / "widened", {"agreements.toml": {"agreements": [joined]}})
    assert load(base, widened).agreements_between("BS", "HT")


def shipped_agency(state: str, agency_id: str) -> dict[str, Any]:
    from somnet.directory.loading import shipped_data_dir

    records = tomllib.loads((shipped_data_dir() / "states" / f"{state}.toml").read_text())
    return next(a for a in records["agencies"] if a["id"] == agency_id)


def test_every_replacement_is_listed_by_validate(capsys, tmp_path):
    from tests.cli import run

    rbdf, coast_guard = shipped_agency("BS", "bs-rbdf"), shipped_agency("HT", "ht-garde-cotes")
    rbdf["name_en"] = "Royal Bahamas Defence Force (restricted)"
    overlay = write_layer(
        tmp_path / "overlay", {"national.toml": {"agencies": [rbdf, coast_guard]}}
    )
    result = run(capsys, "directory", "validate", "--data", str(overlay), "--format", "json")
    assert result.exit_code == 0, result.stderr
    replaced = json.loads(result.stdout)["replacements"]
    assert [(r["kind"], r["id"]) for r in replaced] == [
        ("agency", "bs-rbdf"),
        ("agency", "ht-garde-cotes"),
    ]
    assert [r["by"] for r in replaced] == [
        {"file": str(overlay / "national.toml"), "path": "$.agencies[0]"},
        {"file": str(overlay / "national.toml"), "path": "$.agencies[1]"},
    ]
    assert [Path(r["replaced"]["file"]).name for r in replaced] == ["BS.toml", "HT.toml"]
    table = run(capsys, "directory", "validate", "--data", str(overlay)).stdout
    assert "bs-rbdf" in table and "ht-garde-cotes" in table
    coast_guard["state"] = "US"
    moved = write_layer(tmp_path / "moved", {"gt.toml": {"agencies": [coast_guard]}})
    result = run(capsys, "directory", "validate", "--data", str(moved))
    assert result.exit_code == 2 and str(moved / "gt.toml") in result.stderr
    assert "HT.toml" in result.stderr


def test_a_broken_link_in_an_overlay_is_named(tmp_path, base):
    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": []}})
    (overlay / "states").mkdir()
    (overlay / "states" / "GT.toml").symlink_to(tmp_path / "gone" / "GT.toml")
    problems = problems_of_any(base, overlay)
    assert len(problems) == 1 and problems[0].startswith(f"{overlay / 'states' / 'GT.toml'}: ")
    assert "does not exist" in problems[0]


def test_hidden_files_and_folders_of_a_layer_are_not_data(tmp_path, base):
    """What editors, file managers and version control leave in a folder is not data: an
    Emacs lock (a dangling link ``.#BS.toml`` while the file is being edited), the macOS
    AppleDouble ``._BS.toml`` a USB copy leaves, a ``.git`` folder. Read as data, the first
    stopped every command until the file was closed and the second made the overlay invalid."""
    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": []}})
    (overlay / ".#extra.toml").symlink_to("officer@patrol-boat.4242:1700000000")
    (overlay / "._extra.toml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    (overlay / ".git").mkdir()
    (overlay / ".git" / "config.toml").write_text("[core]\nbare = false\n")
    assert load(base, overlay).agency("bs-rbdf") is not None  # loads, no problem reported
    from somnet.directory.layers import layer_files

    files, problems = layer_files(overlay)
    assert (files, problems) == ([overlay / "extra.toml"], [])


def test_a_link_that_goes_away_while_the_layer_is_read_is_named_not_a_crash(tmp_path, monkeypatch):
    """A dangling link removed between the look at where it leads and the read of what it
    names (an editor's lock file released, ``/dev/fd/N`` closed while ``SOMNET_DATA=/`` is
    walked): ``os.readlink`` raised FileNotFoundError out of the walk, a traceback."""
    from somnet.directory import layers

    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": []}})
    (overlay / "gone.toml").symlink_to(tmp_path / "nowhere.toml")

    def vanished(path: object) -> str:
        raise FileNotFoundError(2, "No such file or directory", str(path))

    monkeypatch.setattr(layers.os, "readlink", vanished)
    files, problems = layers.layer_files(overlay)
    assert files == [overlay / "extra.toml"]
    assert problems == [f"{overlay / 'gone.toml'}: cannot be read: No such file or directory"]


def test_a_link_loop_in_an_overlay_is_named(tmp_path, base):
    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": []}})
    (overlay / "self.toml").symlink_to(overlay / "self.toml")
    (overlay / "states").mkdir()
    (overlay / "states" / "back").symlink_to(overlay)
    problems = problems_of_any(base, overlay)
    assert [p.split(": ")[0] for p in problems] == [
        str(overlay / "self.toml"),
        str(overlay / "states" / "back"),
    ]
    assert all("loop" in p for p in problems)


def test_folders_nested_deeper_than_python_recurses_are_named_not_a_crash(capsys, tmp_path, base):
    """Folders nested a thousand deep below an overlay (a tool's runaway copy into itself)
    stopped every command that reads the overlay with a RecursionError's traceback: the walk
    stops at a depth no directory reaches, naming the folder."""
    from tests.cli import run

    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": []}})
    folders = [overlay]
    for _level in range(1100):
        folders.append(folders[-1] / "a")
        folders[-1].mkdir()
    (folders[-1] / "deep.toml").write_text("")
    try:
        problems = problems_of_any(base, overlay)
        assert problems == [
            f"{overlay}: folders nested more than 128 deep below it (links followed); a layer "
            "holds the directory's data files: is it the folder meant?"
        ]
        result = run(capsys, "directory", "validate", "--data", str(overlay))
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr == f"somnet: --data: {problems[0]}\n"
    finally:
        # Removed here, deepest first: pytest's own removal recurses, as the walk did.
        (folders[-1] / "deep.toml").unlink()
        for folder in reversed(folders[1:]):
            folder.rmdir()


def test_a_layer_whose_links_lead_to_more_folders_than_any_directory_is_refused_at_once(
    capsys, tmp_path, base
):
    """``--data /`` (or links that fan out: two links from each folder to the next lead to
    2**N folders) walked for ever, /proc and every disk included: the walk stops past more
    files and folders than any directory holds, in one message naming the layer."""
    from tests.cli import run

    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": []}})
    fan_of_links(overlay)
    problems = problems_of_any(base, overlay)
    assert problems == [
        f"{overlay}: more than 2000 folders or 50000 files below it (links followed); a "
        "layer holds the directory's data files: is it the folder meant?"
    ]
    for words in (
        ["directory", "validate", "--data", str(overlay)],
        ["contact", "--flag", "HT", "--zone", "contiguous", "--as", "BS", "--data", str(overlay)],
    ):
        result = run(capsys, *words)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr == f"somnet: --data: {problems[0]}\n"


def test_a_file_named_with_a_terminal_command_is_named_escaped(capsys, tmp_path):
    """An overlay handed on by another agency may hold a file whose name carries an escape
    sequence: its name was refused, but printed as it is in the message that refused it,
    where ``ESC[1A ESC[2K`` erased the line above (the count of problems) on the officer's
    terminal. It is shown escaped, as Python writes it."""
    from tests.cli import run

    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": []}})
    (overlay / "\x1b[1A\x1b[2Kstates.toml").write_text("")
    (overlay / "notes\u202elmth.toml").write_text("")
    result = run(capsys, "directory", "validate", "--data", str(overlay))
    assert result.exit_code == 2
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", result.stderr)
    assert f"{overlay}/\\x1b[1A\\x1b[2Kstates.toml: " in result.stderr
    assert f"{overlay}/notes\\u202elmth.toml: " in result.stderr


def test_a_contact_id_an_overlay_takes_from_another_agency_is_named_in_the_overlay(tmp_path, base):
    """An overlay that replaces an agency (which keeps its place among the agencies) giving
    one of its contacts the id of a contact of an agency listed after it: the duplicate was
    named at the base file, which the overlay's author cannot change and did not, as though
    the base had taken the overlay's id. The record of the later layer is named, whatever
    the order the agencies come in (as for a new agency, appended after them all)."""
    agency = bahamas()["agencies"][0]  # bs-rbdf, the first agency of the base
    agency["contacts"][0]["id"] = "us-rcc-miami-duty"  # a contact of the base's last agency
    overlay = write_layer(tmp_path / "overlay", {"national.toml": {"agencies": [agency]}})
    problems = problems_of_any(base, overlay)
    assert problems == [
        f"{overlay / 'national.toml'}: $.agencies[0].contacts[0].id: duplicate id "
        f"'us-rcc-miami-duty', already used at {base / 'states' / 'US.toml'}: "
        "$.agencies[1].contacts[0].id"
    ]


def test_a_linked_folder_in_an_overlay_is_read(tmp_path, base):
    kept = write_layer(tmp_path / "kept", {"restricted.toml": {"agencies": [restricted_rbdf()]}})
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "national").symlink_to(kept)
    assert load(base, overlay).agency("bs-rbdf").name_en.endswith("(restricted)")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_folder_in_an_overlay_is_named(tmp_path, base):
    overlay = write_layer(tmp_path / "overlay", {"states/BS.toml": {"agencies": []}})
    (overlay / "states").chmod(0)
    try:
        assert problems_of_any(base, overlay) == [
            f"{overlay / 'states'}: cannot be read: Permission denied"
        ]
    finally:
        (overlay / "states").chmod(0o755)


def test_an_unreadable_folder_in_an_overlay_is_named_even_as_root(tmp_path, base, monkeypatch):
    # Root reads a chmod 000 folder, so make the listing fail the way it fails for others.
    overlay = write_layer(tmp_path / "overlay", {"states/BS.toml": {"agencies": []}})
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if Path(path) == overlay / "states":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert problems_of_any(base, overlay) == [
        f"{overlay / 'states'}: cannot be read: Permission denied"
    ]


def test_a_file_given_as_an_overlay_folder_is_named_as_a_file(capsys, tmp_path, base, monkeypatch):
    from tests.cli import run

    file = tmp_path / "overlay.toml"
    file.write_text("")
    line = run(capsys, "directory", "validate", "--data", str(file)).stderr
    assert line.startswith(f"somnet: --data: {file}: ") and "not a folder" in line
    assert problems_of_any(base, file) == [f"{file}: a file, not a folder of data files"]


def test_loading_with_overlays_leaves_the_base_files_untouched(tmp_path, base):
    before = snapshot(base)
    overlay = write_layer(tmp_path / "overlay", {"a.toml": {"agencies": [restricted_rbdf()]}})
    load(base, overlay, cache_dir=tmp_path / "cache")
    (overlay / "a.toml").write_text("broken = [")
    with pytest.raises(DirectoryError):
        load(base, overlay, cache_dir=tmp_path / "cache")
    assert snapshot(base) == before


def snapshot(folder: Path) -> dict[Path, tuple[bytes, int]]:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


# The cache --------------------------------------------------------------------------------------


def forbid_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("a data file was read although the cache was fresh")

    monkeypatch.setattr("somnet.directory.files.read_toml", fail)


def summary(directory) -> tuple:
    return (
        sorted(directory.states.items()),
        directory.all_agencies(),
        directory.all_agreements(),
        directory.consular,
        directory.sar_regions,
    )


def test_a_second_load_is_served_from_the_cache(tmp_path, base, monkeypatch):
    cache = tmp_path / "cache"
    first = load(base, cache_dir=cache)
    assert len(list(cache.glob("directory-*.pickle"))) == 1
    forbid_reading(monkeypatch)
    second = load(base, cache_dir=cache)
    assert summary(second) == summary(first)


def test_without_a_cache_folder_every_load_reads_the_files(tmp_path, base, monkeypatch):
    load(base)
    forbid_reading(monkeypatch)
    with pytest.raises(AssertionError, match="a data file was read"):
        load(base)


def test_editing_a_data_file_invalidates_the_cache(tmp_path, base):
    cache = tmp_path / "cache"
    load(base, cache_dir=cache)
    path = base / BS
    stat = path.stat()
    path.write_text(path.read_text().replace("Ministry of Foreign Affairs", "Foreign Ministry"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load(base, cache_dir=cache).agency("bs-mofa").name == "Foreign Ministry"


def test_touching_a_file_without_changing_its_size_invalidates_the_cache(tmp_path, base):
    cache = tmp_path / "cache"
    load(base, cache_dir=cache)
    path = base / BS
    stat = path.stat()
    path.write_text(path.read_text().replace("Regional affairs desk", "Regional Affairs Desk"))
    assert path.stat().st_size == stat.st_size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load(base, cache_dir=cache).contact("bs-mofa-desk")[1].title == "Regional Affairs Desk"


def test_a_new_data_file_invalidates_the_cache(tmp_path, base):
    cache = tmp_path / "cache"
    load(base, cache_dir=cache)
    agency = restricted_rbdf()
    agency["id"] = "bs-new-unit"
    agency["contacts"] = []
    write_layer(base, {"more/new.toml": {"agencies": [agency]}})
    assert load(base, cache_dir=cache).agency("bs-new-unit") is not None


def test_a_removed_data_file_invalidates_the_cache(tmp_path, base):
    cache = tmp_path / "cache"
    assert load(base, cache_dir=cache).sar_regions
    (base / "sar.toml").unlink()
    assert load(base, cache_dir=cache).sar_regions == ()


def test_a_different_set_of_overlays_is_not_served_the_cached_directory(tmp_path, base):
    cache = tmp_path / "cache"
    load(base, cache_dir=cache)
    overlay = write_layer(tmp_path / "overlay", {"a.toml": {"agencies": [restricted_rbdf()]}})
    assert load(base, overlay, cache_dir=cache).contact("bs-rbdf-watch-officer") is not None
    assert load(base, cache_dir=cache).contact("bs-rbdf-watch-officer") is None


def test_an_invalid_directory_is_never_cached(tmp_path, base):
    cache = tmp_path / "cache"
    overlay = write_layer(tmp_path / "overlay", {"a.toml": {"agencies": [restricted_rbdf()]}})
    (overlay / "a.toml").write_text("broken = [")
    with pytest.raises(DirectoryError):
        load(base, overlay, cache_dir=cache)
    with pytest.raises(DirectoryError):
        load(base, overlay, cache_dir=cache)
    assert not list(cache.glob("directory-*.pickle"))


@pytest.mark.parametrize(
    "content", [b"", b"not a pickle", b"\x80\x05garbage", b"\x80\x04\x95\x05\x00\x00\x00"]
)
def test_a_corrupt_cache_file_is_ignored_and_rebuilt(tmp_path, base, monkeypatch, content):
    cache = tmp_path / "cache"
    cache.mkdir()
    from somnet.directory.cache import cache_file

    cache_file(cache, [base]).write_bytes(content)
    directory = load(base, cache_dir=cache)
    assert len(directory.all_agencies()) == SAMPLE_COUNTS["agencies"]
    forbid_reading(monkeypatch)
    assert summary(load(base, cache_dir=cache)) == summary(directory)


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path, base):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    directory = load(base, cache_dir=blocker / "cache")
    assert len(directory.all_agencies()) == SAMPLE_COUNTS["agencies"]


# Round trips: records -> data -> records --------------------------------------------------------


@given(agencies)
def test_agency_round_trips_through_the_converter(agency):
    c = converter()
    assert c.structure(c.unstructure(agency), Agency) == agency


@given(contacts)
def test_contact_round_trips_through_the_converter(contact):
    c = converter()
    assert c.structure(c.unstructure(contact), Contact) == contact


@given(channels)
def test_channel_round_trips_through_the_converter(channel):
    c = converter()
    assert c.structure(c.unstructure(channel), Channel) == channel


@given(agreements_)
def test_agreement_round_trips_through_the_converter(agreement):
    c = converter()
    assert c.structure(c.unstructure(agreement), Agreement) == agreement


@given(
    st.lists(agencies, max_size=3).map(tuple),
    st.lists(agreements_, max_size=2).map(tuple),
    st.lists(consular_channels, max_size=2).map(tuple),
)
def test_a_data_file_round_trips_through_toml_text(agency_records, agreement_records, consular):
    record = DirectoryFile(agencies=agency_records, agreements=agreement_records, consular=consular)
    text = to_toml(unstructure_file(record))
    again, problems = structure_file(tomllib.loads(text), "file.toml")
    assert problems == []
    assert again == record


def test_every_sample_file_round_trips_through_toml_text():
    for name, document in sample_files().items():
        record, problems = structure_file(document, name)
        assert problems == []
        text = to_toml(unstructure_file(record))
        assert structure_file(tomllib.loads(text), name) == (record, [])


def test_an_unknown_key_does_not_hide_the_records_other_problems(tmp_path):
    def change(files):
        agency = files[BS]["agencies"][0]
        agency["colour"] = "blue"
        agency["timezone"] = "Nassau"
        agency["roles"] = ["pirates"]

    folder, problems = broken(tmp_path, change)
    where = f"{folder / BS}: $.agencies[0]"
    assert f"{where}: unknown key colour" in problems
    assert any(p.startswith(f"{where}.timezone: 'Nassau' is not an IANA") for p in problems)
    assert any(p.startswith(f"{where}.roles[0]: 'pirates' is not a role") for p in problems)


def test_a_holiday_subdivision_python_holidays_does_not_know_is_refused(tmp_path):
    folder, problems = broken(tmp_path, lambda f: f[BS]["state"].update(holiday_subdivision="XX"))
    assert problems == [
        f"{folder / BS}: $.state.holiday_subdivision: 'XX' is not a python-holidays subdivision "
        "of BS; it knows none"
    ]
    # The reason was written without the catalogs: English in every language.
    from somnet import localized

    for language in ("es", "fr"):
        assert "is not a python-holidays subdivision" not in localized(problems[0], language)


def test_a_known_holiday_subdivision_is_accepted(tmp_path):
    files = sample_files()
    files["states/US.toml"]["state"]["holiday_subdivision"] = "FL"
    directory = load(write_layer(tmp_path / "base", files))
    assert directory.states["US"].holiday_subdivision == "FL"


def test_an_agencys_holiday_subdivision_python_holidays_does_not_know_is_refused(tmp_path):
    """A post's subdivision is one of the state it sits in (Miami's consulate: the United
    States), not of the state it represents."""
    # Haiti's consulate in Miami (the sample's HT file, its fifth agency) sits in the US.
    folder, problems = broken(
        tmp_path, lambda f: agency_of(f, "ht-cons-miami").update(holiday_subdivision="OU")
    )
    (problem,) = problems
    assert problem.startswith(
        f"{folder / HT}: $.agencies[4].holiday_subdivision: 'OU' is not a python-holidays "
        "subdivision of US; it knows AK, AL, "
    )


def test_an_agencys_holiday_subdivision_where_python_holidays_knows_none_is_refused(tmp_path):
    # Haiti's embassy in Nassau sits in the Bahamas, which python-holidays does not divide.
    folder, problems = broken(
        tmp_path, lambda f: agency_of(f, "ht-emb-bs").update(holiday_subdivision="NP")
    )
    assert problems == [
        f"{folder / HT}: $.agencies[3].holiday_subdivision: 'NP' is not a python-holidays "
        "subdivision of BS; it knows none"
    ]


def test_an_agencys_holiday_subdivision_where_the_directory_holds_no_file_of_its_seat_is_refused(
    tmp_path,
):
    """A post in Toronto: Ontario is a python-holidays subdivision of Canada, but the directory
    holds no file of Canada, whose office hours and holidays it would be a part of."""

    def change(files: dict[str, Any]) -> None:
        toronto = {
            **agency_of(files, "ht-cons-miami"),
            "id": "ht-cons-toronto",
            "located_in": "CA",
            "covers": [],
            "timezone": "America/Toronto",
            "holiday_subdivision": "ON",
        }
        files[HT]["agencies"].append(toronto)

    folder, problems = broken(tmp_path, change)
    assert problems == [
        f"{folder / HT}: $.agencies[5].holiday_subdivision: needs a file of CA, where the "
        "agency sits, in the directory"
    ]


def test_an_agencys_known_holiday_subdivision_is_accepted_and_read_for_its_hours(tmp_path):
    files = sample_files()
    agency_of(files, "ht-cons-miami")["holiday_subdivision"] = "PR"
    directory = load(write_layer(tmp_path / "base", files))
    consulate = directory.agency("ht-cons-miami")
    assert consulate is not None and consulate.holiday_subdivision == "PR"
    assert directory.agency_holiday_subdivision(consulate) == "PR"
    # Three Kings Day is a holiday in Puerto Rico, not a federal one.
    kings = date(2026, 1, 6)
    assert kings in (directory.agency_holidays(consulate, 2026) or {})
    assert kings not in (directory.public_holidays("US", 2026) or {})
    # The state's own calendar, and another agency's there, are the state's.
    miami = directory.agency("us-rcc-miami")
    assert miami is not None and directory.agency_holiday_subdivision(miami) is None
    assert directory.agency_holidays(miami, 2026) == directory.public_holidays("US", 2026)


def test_a_record_left_out_does_not_shift_the_paths_of_the_next(tmp_path):
    def change(files):
        files[BS]["agencies"][0]["roles"] = 5  # not even a list: the record is left out
        files[BS]["agencies"][1]["covers"] = ["XX"]

    _, problems = broken(tmp_path, change)
    assert [p.split(": ")[1] for p in problems] == [
        "$.agencies[0].roles",
        "$.agencies[1].covers[0]",
    ]


def test_a_post_in_a_state_the_directory_does_not_hold_needs_its_own_time_zone(tmp_path):
    # Haiti's embassy moved to Ottawa: its sending state's zone (Port-au-Prince) is not its
    # clock, and the directory holds no Canadian file to take one from.
    def change(files):
        embassy = next(a for a in files[HT]["agencies"] if a["id"] == "ht-emb-bs")
        embassy["located_in"] = "CA"
        embassy["working_hours"] = "Mo-Fr 09:00-17:00"
        # Serving the Bahamas from Ottawa: concurrent, no longer a resident embassy.
        files["consular.toml"]["consular"][0]["type"] = "concurrent"

    folder, problems = broken(tmp_path, change)
    index = next(i for i, a in enumerate(sample_files()[HT]["agencies"]) if a["id"] == "ht-emb-bs")
    assert [p.split(": ")[1] for p in problems] == [f"$.agencies[{index}].timezone"]
    assert problems[0].startswith(f"{folder / HT}: ")


def test_a_post_in_a_state_the_directory_does_not_hold_keeps_the_zone_it_names(tmp_path):
    files = sample_files()
    embassy = next(a for a in files[HT]["agencies"] if a["id"] == "ht-emb-bs")
    embassy.update(located_in="CA", timezone="America/Toronto")
    files["consular.toml"]["consular"][0]["type"] = "concurrent"
    directory = load(write_layer(tmp_path / "base", files))
    assert directory.agency_timezone(directory.agency("ht-emb-bs")) == "America/Toronto"


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("agencies = [1]", "$.agencies[0]"),
        ('agencies = ["bs-rbdf"]', "$.agencies[0]"),
        ("agencies = [[1]]", "$.agencies[0]"),
        ('consular = ["x"]', "$.consular[0]"),
        ("sar_regions = [2026-01-01]", "$.sar_regions[0]"),
        ('[state]\nmaritime = "12 nm"', "$.state.maritime"),
        ('[[agencies]]\nid = "bs-x"\ncontacts = ["bs-x-desk"]', "$.agencies[0].contacts[0]"),
        ('[[agencies]]\nid = "bs-x"\nsources = [[]]', "$.agencies[0].sources[0]"),
    ],
)
def test_a_value_where_a_table_goes_is_named_in_words(tmp_path, text, path):
    """A record written as a number, a text or a list (a record's id where the record goes) is
    told as the other wrong types are ("expected text, got a number 5"), not in the converter's
    words ("invalid value for type, expected Agency") or Python's ("'list' object has no
    attribute 'keys'")."""
    folder = make_directory(tmp_path / "base")
    (folder / "extra.toml").write_text(text + "\n")
    problems = problems_of(folder)
    [problem] = [p for p in problems if p.startswith(f"{folder / 'extra.toml'}: {path}: ")]
    for python in ("invalid value", "unknown error", "attribute", "'keys'"):
        assert python not in problem
    assert "expected a table" in problem


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"last_verified": "2026-11-27T10:00:00"}, "$.agencies[0].last_verified"),
        ({"last_verified": "2026-11-27T10:00:00-05:00"}, "$.agencies[0].last_verified"),
        ({"name": "2026-11-27"}, "$.agencies[0].name"),
        ({"name": "10:00:00"}, "$.agencies[0].name"),
    ],
)
def test_a_date_or_time_where_another_type_goes_is_shown_as_written(tmp_path, change, path):
    """TOML dates and times are shown as the file writes them, not as Python's repr
    ("datetime.datetime(2026, 11, 27, 10, 0)")."""
    folder = make_directory(tmp_path / "base")
    [(key, value)] = change.items()
    text = f'[[agencies]]\nid = "bs-x"\n{key} = {value}\n'
    (folder / "extra.toml").write_text(text)
    [problem] = [
        p for p in problems_of(folder) if p.startswith(f"{folder / 'extra.toml'}: {path}: ")
    ]
    assert "datetime" not in problem and "(" not in problem.partition(f"{path}: ")[2]
    assert value.replace("T", " ") in problem.replace("T", " ")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_named_like_a_data_file_is_named_not_skipped(tmp_path, base):
    """A ``*.toml`` that is not a regular file (a named pipe left in a shared overlay folder)
    was skipped without a word: the overlay loaded without it and was called valid."""
    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": []}})
    os.mkfifo(overlay / "BS.toml")
    problems = problems_of_any(base, overlay)
    assert len(problems) == 1 and problems[0].startswith(f"{overlay / 'BS.toml'}: "), problems


@pytest.mark.parametrize("given", ["--data", "SOMNET_DATA"])
def test_an_empty_overlay_folder_is_refused_naming_where_it_was_given(
    capsys, tmp_path, monkeypatch, given
):
    """An overlay folder with no data files said only "FOLDER: holds no *.toml data files",
    where a file given for it names ``--data`` or ``SOMNET_DATA``, whichever gave it."""
    from tests.cli import run

    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "notes.txt").write_text("to do\n")
    words = ["contact", "--flag", "HT", "--zone", "eez"]
    if given == "--data":
        words += ["--data", str(overlay)]
    else:
        monkeypatch.setenv("SOMNET_DATA", str(overlay))
    result = run(capsys, *words)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"somnet: {given}: {overlay}: holds no *.toml data files\n"


def test_a_folder_named_like_a_data_file_is_named_not_read_as_a_folder(tmp_path, base):
    """A folder named ``BS.toml`` in an overlay (what a container makes when the file it was
    to mount is missing) was walked as any folder: empty, it was skipped without a word, and
    the overlay was called valid without the file it was meant to be. One that holds data
    files is refused too (``MORE.toml/extra.toml`` beside ``more.toml`` is one path on macOS
    and Windows)."""
    overlay = write_layer(
        tmp_path / "overlay",
        {"more.toml": {"agencies": []}, "MORE.toml/extra.toml": {"agencies": []}},
    )
    (overlay / "BS.toml").mkdir()
    (overlay / "states" / "HT.toml").mkdir(parents=True)
    problems = problems_of_any(base, overlay)
    reason = "a folder named as a data file (*.toml); a data file must be a regular file"
    assert problems == [
        f"{overlay / 'BS.toml'}: {reason}",
        f"{overlay / 'MORE.toml'}: {reason}",
        f"{overlay / 'states' / 'HT.toml'}: {reason}",
    ]


def test_an_overlay_folder_that_is_a_link_loop_or_leads_nowhere_says_so(capsys, tmp_path):
    """``--data`` naming a link that loops (or leads nowhere) was refused as "no such
    directory", like a folder never made: the link is named as what it is."""
    from tests.cli import run

    overlay = tmp_path / "overlay"
    missing = run(capsys, "directory", "validate", "--data", str(overlay))
    overlay.symlink_to(overlay)
    loop = run(capsys, "directory", "validate", "--data", str(overlay))
    overlay.unlink()
    overlay.symlink_to(tmp_path / "gone")
    dangling = run(capsys, "directory", "validate", "--data", str(overlay))
    for result in (missing, loop, dangling):
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.startswith(f"somnet: --data: {overlay}: "), result.stderr
        assert result.stderr.count("\n") == 1
    assert len({missing.stderr, loop.stderr, dangling.stderr}) == 3


@pytest.mark.parametrize("char", ["\x1b", "\x9b", "\x07", "\x00", "\u202e", "\u2066"])
def test_text_carrying_a_terminal_command_is_refused(tmp_path, base, char):
    """An overlay (or a synced copy) whose text carries an escape sequence reached the
    officer's terminal as a command: "\\x1b[1A\\x1b[2K" in a name erases the line above it, a
    warning or a step of the plan; a right-to-left override shows what follows it reversed.
    Control characters in text are refused, at their path."""
    agency = restricted_rbdf()
    agency["name"] = f"Royal{char}[1A{char}[2KFake Defence Force"
    overlay = write_layer(tmp_path / "overlay", {"national.toml": {"agencies": [agency]}})
    problems = problems_of_any(base, overlay)
    assert [p.split(": ")[1] for p in problems] == ["$.agencies[0].name"], problems
    assert problems[0].startswith(str(overlay / "national.toml"))


def test_text_on_several_lines_is_not_a_terminal_command(tmp_path, base):
    agency = restricted_rbdf()
    agency["notes"] = ["First line.\nSecond line,\ttabbed.\r\nThird."]
    overlay = write_layer(tmp_path / "overlay", {"national.toml": {"agencies": [agency]}})
    assert load(base, overlay).agency("bs-rbdf").notes == tuple(agency["notes"])


def _agency_covering(roles: list[str], covers: list[str]) -> dict[str, Any]:
    agency = copy.deepcopy(united_states()["agencies"][0])
    agency.update(id="us-haiti-desk", name="Haiti desk", name_en="Haiti desk", roles=roles)
    agency.update(covers=covers, contacts=[])
    return agency


def test_an_overlay_agency_may_not_answer_for_another_sovereigns_authorities(tmp_path, base):
    """An overlay adding a U.S. desk that covers Haiti as a maritime authority took Haiti's
    entry authorisation and landing consent away from Haiti's coast guard, without a word:
    another state's agency, in effect, replaced. Refused, naming the field."""
    agency = _agency_covering(["maritime-law-enforcement"], ["HT"])
    overlay = write_layer(tmp_path / "overlay", {"desk.toml": {"agencies": [agency]}})
    problems = problems_of_any(base, overlay)
    assert [p.split(": ")[:2] for p in problems] == [
        [str(overlay / "desk.toml"), "$.agencies[0].covers[0]"]
    ], problems


def test_an_overlay_partner_or_mission_may_cover_other_states(tmp_path, base):
    """A regional office of a partner (UNHCR, IOM) or a consulate serves several states."""
    agency = _agency_covering(["protection-partner"], ["HT", "BS"])
    overlay = write_layer(tmp_path / "overlay", {"desk.toml": {"agencies": [agency]}})
    assert load(base, overlay).agency("us-haiti-desk").covers == ("HT", "BS")


def test_a_layer_named_with_a_nul_byte_is_refused_naming_it(capsys):
    """``--data=HT\\x00`` (or a script's ``load_directory(["HT\\x00"])``) left os.stat's
    ValueError as a traceback."""
    from tests.cli import run

    result = run(capsys, "directory", "validate", "--data=HT\x00")
    assert result.exit_code == 2
    assert result.stderr == "somnet: --data: 'HT\\x00' is not a path\n"


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("notification_hours", 99_999_999_999, "at most 8760 (a year): a typo?"),
        ("notification_hours", 8761, "at most 8760 (a year): a typo?"),
        ("return_days", 100_000_000, "at most 3660 (ten years): a typo?"),
    ],
)
def test_an_agreements_deadline_beyond_any_treaty_is_refused(tmp_path, field, value, said):
    """notification_hours = 99999999999 loaded, and the plan told the officer to notify the
    flag state "within 99999999999 hours, as it provides"; a return within 100000000 days
    too. No agreement gives a year's notice, or ten years to return people."""

    def change(files):
        files["agreements.toml"]["agreements"][1]["provides"][field] = value

    folder, problems = broken(tmp_path, change)
    assert problems == [
        f"{folder / 'agreements.toml'}: $.agreements[1].provides.{field}: {value} is more than "
        f"any agreement gives; {said}"
    ]
