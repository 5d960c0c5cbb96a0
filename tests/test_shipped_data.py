"""The shipped regional directory (data/) against its contract (data/README.md). Every file valid
and sourced, every state with the roles routing asks for (or a note naming what is missing),
illustrative contacts only, and the facts already gathered. The lists of states and
nationalities are read from the data: a state file added is checked like the others."""

from __future__ import annotations

import json
import re
import zoneinfo
from pathlib import Path

import attrs
import pytest

from somnet import Directory, DirectoryError, load_directory, shipped_data_dir
from somnet.directory.files import read_toml, structure_file
from somnet.directory.records import DirectoryFile
from tests.cli import run

DATA = shipped_data_dir()
FILES = sorted(DATA.rglob("*.toml"))
#: Every state and territory of the directory: one file each in data/states.
STATES = sorted(path.stem for path in (DATA / "states").glob("*.toml"))
#: Nationalities with a consular file but no state file: those common aboard in the region's
#: mixed flows (Ecuadorians, Indians, Eritreans...), whose missions the directory records.
EXTRA_REGIONAL = sorted(
    path.stem for path in (DATA / "consular").glob("*.toml") if path.stem not in STATES
)
#: Roles every state needs an agency for (its own, or one of another state that covers it), or
#: a state note saying why there is none.
REQUIRED_ROLES = (
    "sar",
    "maritime-law-enforcement",
    "som-art8-authority",
    "migration",
    "refugee-status",
    "child-protection",
    "anti-trafficking",
    "prosecution",
    "anti-corruption",
    "mla-central-authority",
    "foreign-affairs",
    "ship-registry",
)
#: Facts checked against sources for the first states: the main time zone first, then others.
TIMEZONES = {
    "BS": ["America/Nassau"],
    "DO": ["America/Santo_Domingo"],
    "HT": ["America/Port-au-Prince"],
    "HN": ["America/Tegucigalpa"],
    "JM": ["America/Jamaica"],
    "MX": ["America/Mexico_City", "America/Cancun"],
    "PA": ["America/Panama"],
    "US": ["America/New_York", "America/Chicago", "America/Puerto_Rico"],
    "CU": ["America/Havana"],
    "TC": ["America/Grand_Turk"],
}
#: Territorial sea, contiguous zone (None: none claimed or recorded) and archipelagic claim, as
#: the sources read for these states say (their notes give the references).
MARITIME_CLAIMS = {
    "BS": (12, None, True),
    "DO": (12, 24, True),
    "HT": (12, 24, False),
    "HN": (12, 24, False),
    "JM": (12, 24, True),
    "MX": (12, 24, False),
    "PA": (12, 24, False),
    "US": (12, 24, False),
    "CU": (12, 24, False),
    "TC": (12, None, False),
    "AG": (12, 24, True),  # Limits in the Seas No. 133 (Maritime Areas Act 1982)
}


def label(path: Path) -> str:
    return str(path.relative_to(DATA))


@pytest.fixture(scope="module")
def loaded() -> tuple[Directory | None, list[str]]:
    """The shipped directory, or the problems loading it gave."""
    try:
        return load_directory(use_env=False), []
    except DirectoryError as exc:
        return None, exc.problems


@pytest.fixture(scope="module")
def directory(loaded) -> Directory:
    found, problems = loaded
    if found is None:
        pytest.fail("the shipped directory does not load:\n" + "\n".join(problems))
    return found


def read(path: Path) -> DirectoryFile:
    raw, problems = read_toml(path, str(path))
    assert problems == []
    record, problems = structure_file(raw, str(path))
    assert problems == [], "\n".join(problems)
    return record


# Every file ------------------------------------------------------------------------------------


def test_the_directory_holds_one_state_for_each_state_file(directory):
    assert sorted(directory.states) == STATES


def refugee_treaties(state):
    """(key, status) of a state's two refugee instruments: the 1951 Convention, the 1967
    Protocol (None where the file does not record it)."""
    return (
        ("refugee_convention", state.refugee_convention),
        ("refugee_protocol", state.refugee_protocol),
    )


def other_treaties(state):
    """(key, status) of a state's UNCLOS and CRC tables (None where the file does not record
    them: a territory, whose sovereign's are read)."""
    return (("unclos", state.unclos), ("crc", state.crc))


@pytest.mark.parametrize("path", FILES, ids=label)
def test_shipped_file(path, loaded):
    """Valid (alone and merged with the rest), every record sourced, every contact
    illustrative with reserved e-mail addresses."""
    record = read(path)
    _, problems = loaded
    assert [p for p in problems if p.startswith(f"{path}:")] == []

    unsourced = []
    if record.state is not None:
        state = record.state
        for where, sources in (
            ("state", state.sources),
            ("state.maritime", state.maritime.sources),
            ("state.som_protocol", state.som_protocol.sources),
            *(
                (f"state.{key}", status.sources if status else ())
                for key, status in refugee_treaties(state)
            ),
            *(
                (f"state.{key}", status.sources)
                for key, status in other_treaties(state)
                if status is not None
            ),
        ):
            if not sources:
                unsourced.append(where)
    kinds = {
        "agencies": [(a.id, a.sources) for a in record.agencies],
        "agreements": [(a.id, a.sources) for a in record.agreements],
        "consular": [
            (f"{c.nationality}->{','.join(c.receiving)}", c.sources) for c in record.consular
        ],
        "sar_regions": [(r.id, r.sources) for r in record.sar_regions],
    }
    for kind, items in kinds.items():
        unsourced += [f"{kind}: {name}" for name, sources in items if not sources]
        unsourced += [
            f"{kind}: {name}: a source without a title"
            for name, sources in items
            if any(not s.title.strip() for s in sources)
        ]
    assert unsourced == []

    not_illustrative = []
    for agency in record.agencies:
        for contact in agency.contacts:
            if not contact.illustrative:
                not_illustrative.append(f"{contact.id}: illustrative is not true")
            # The flag says it, in the reader's language: a name that says it in English
            # hides the translated tag from the plan.
            if "illustrative" in (contact.name or "").lower():
                not_illustrative.append(f"{contact.id}: the name says illustrative")
            for channel in contact.channels:
                if channel.kind == "email":
                    domain = channel.value.rpartition("@")[2].lower()
                    if domain != "example.org" and not domain.endswith(".example.org"):
                        not_illustrative.append(f"{contact.id}: {channel.value}")
    assert not_illustrative == []


def test_the_shipped_directory_validates(loaded):
    _, problems = loaded
    assert problems == []


def test_somnet_directory_validate_passes_on_the_shipped_data(capsys):
    result = run(capsys, "directory", "validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"valid: {len(STATES)} states, ")


def test_somnet_directory_show_ht_on_the_shipped_data(capsys):
    result = run(capsys, "directory", "show", "HT")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("HT  Haiti / ")
    assert "[illustrative]" in result.stdout
    assert "Never dial or write to them" in result.stdout


# Every state -----------------------------------------------------------------------------------


def noted(state, role: str) -> bool:
    """Whether the state records the gap for a role (``role_gaps``), with what was searched."""
    gap = state.gap_for(role)
    return gap is not None and len(gap.note.split()) >= 5


def test_a_gap_counts_only_with_a_note_that_says_something():
    from somnet.directory.records import RoleGap

    state = attrs.evolve(
        load_directory(use_env=False).state("AG"),
        role_gaps=(RoleGap(roles=("prosecution",), note="none"),),
    )
    assert not noted(state, "prosecution")
    assert not noted(state, "sar")


def serving_agencies(directory: Directory, code: str, role: str):
    """The agencies with the role that act for a state: its own, and those of another state
    (a sovereign's coast guard, a regional office) that cover it."""
    return directory.agencies(role=role, serving=code)


@pytest.mark.parametrize("code", STATES)
def test_every_state_has_the_roles_routing_needs_or_a_note_naming_the_gap(directory, code):
    state = directory.state(code)
    missing = []
    for role in REQUIRED_ROLES:
        if serving_agencies(directory, code, role):
            continue
        if role == "sar" and directory.rccs_for(code):
            continue  # a foreign RCC's region covers its waters
        if not noted(state, role):
            missing.append(role)
    assert missing == [], f"{code}: no agency and no state note for {missing}"


def duty_contacts(directory: Directory, agency) -> list[str]:
    return [
        contact.id
        for contact in agency.contacts
        if contact.kind == "duty"
        and any(
            (hours := directory.channel_hours(agency, channel)) is not None and hours.always
            for channel in contact.channels
        )
    ]


AT_SEA = sorted(
    (agency.id, role)
    for path in (DATA / "states").glob("*.toml")
    for agency in read(path).agencies
    for role in ("sar", "maritime-law-enforcement")
    if role in agency.roles
)


@pytest.mark.parametrize(("agency_id", "role"), AT_SEA)
def test_every_sar_and_maritime_law_enforcement_agency_has_a_24_7_duty_contact(
    directory, agency_id, role
):
    agency = directory.agency(agency_id)
    assert duty_contacts(directory, agency), f"{agency_id}: no 24/7 duty contact for {role}"


@pytest.mark.parametrize("code", STATES)
@pytest.mark.parametrize("role", ["sar", "maritime-law-enforcement"])
def test_every_state_has_a_24_7_duty_contact_or_a_note_naming_the_gap(directory, code, role):
    agencies = serving_agencies(directory, code, role)
    if role == "sar" and not agencies:
        agencies = directory.rccs_for(code)
    if not agencies:
        assert noted(directory.state(code), role), f"{code}: no {role} agency and no note"
        return
    duty = [f"{a.id}/{c}" for a in agencies for c in duty_contacts(directory, a)]
    assert duty, f"{code}: no 24/7 duty contact for {role} among {[a.id for a in agencies]}"


@pytest.mark.parametrize("code", STATES)
def test_a_sar_region_covers_every_states_waters_or_a_note_says_why_not(directory, code):
    rccs = directory.rccs_for(code)
    assert rccs or noted(directory.state(code), "sar"), f"no SAR region covers {code}"
    assert all("sar" in rcc.roles for rcc in rccs)


def test_waters_in_the_confirmed_regions_of_two_rccs_are_those_of_the_us_and_said_divided(
    directory,
):
    # Two confirmed regions of different RCCs over one state's waters: the first listed is
    # named, and the step says the waters are divided, naming every region's RCC. Only the
    # United States' are (Miami's Atlantic and Florida waters, New Orleans's in the Gulf): a
    # new case is reviewed here.
    from somnet import make_interception, plan_contacts

    divided = {}
    for code in STATES:
        confirmed = [r for r in directory.sar_regions_for(code) if r.status == "confirmed"]
        if len({r.rcc for r in confirmed}) > 1:
            divided[code] = {r.rcc for r in confirmed}
    assert divided == {"US": {"us-rcc-miami", "us-rcc-neworleans"}}
    for code, rccs in divided.items():
        plan = plan_contacts(
            directory,
            make_interception(flag="HT", zone="territorial", coastal=code, conditions=["distress"]),
        ).to_json()
        (rescue,) = [s for s in plan["steps"] if s["rule"] == "R1"]
        (warning,) = [w for w in rescue["warnings"] if "divided between SAR regions" in w]
        assert all(rcc in warning for rcc in rccs), warning


def test_a_rescue_on_the_high_seas_by_a_us_cutter_is_coordinated_by_rcc_miami_alone(capsys):
    # RSC San Juan's sub-region covers the waters of Puerto Rico and the U.S. Virgin Islands
    # (their own codes), not those of the United States.
    result = run(capsys, "directory", "validate")
    assert result.exit_code == 0, result.stderr
    result = run(
        capsys, "contact", "--as", "US", "--zone", "high-seas", "--distress", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    (rescue,) = [s for s in json.loads(result.stdout)["steps"] if s["rule"] == "R1"]
    assert rescue["agency"]["id"] == "us-rcc-miami"
    assert rescue["warnings"] == []
    assert "San Juan" not in json.dumps(rescue)
    result = run(
        capsys,
        "contact",
        "--as",
        "US",
        "--coastal",
        "PR",
        "--zone",
        "territorial",
        "--distress",
        "--format",
        "json",
    )
    (rescue,) = [s for s in json.loads(result.stdout)["steps"] if s["rule"] == "R1"]
    assert rescue["agency"]["id"] == "us-rsc-sanjuan"


@pytest.mark.parametrize("code", STATES)
def test_every_state_has_names_zones_languages_hours_and_sources(directory, code):
    state = directory.state(code)
    assert state is not None
    assert all((state.names.en, state.names.es, state.names.fr))
    assert state.languages
    assert state.working_hours.spans
    assert state.sources
    assert state.maritime.sources
    assert state.som_protocol.sources
    if state.som_protocol.party == "uncertain":
        assert state.som_protocol.notes, f"{code}: an uncertain SOM Protocol status needs a note"
    for key, status in refugee_treaties(state):
        assert status is not None, f"{code}: [state.{key}] is missing"
        assert status.sources
        if status.party == "uncertain":
            assert status.notes, f"{code}: an uncertain {key} status needs a note"
    if state.maritime.status == "uncertain":
        assert state.maritime.notes, f"{code}: uncertain maritime claims need a note"


@pytest.mark.parametrize("code", STATES)
def test_every_state_time_zone_is_an_iana_zone(directory, code):
    zones = directory.state(code).timezones
    assert zones
    for zone in zones:
        zoneinfo.ZoneInfo(zone)  # raises for a zone this machine's tz database lacks


@pytest.mark.parametrize("code", sorted(TIMEZONES))
def test_time_zones_are_those_checked(directory, code):
    assert list(directory.state(code).timezones) == TIMEZONES[code]


def test_an_agency_away_from_its_seat_states_main_clock_says_whose_holidays_it_keeps(directory):
    """Office hours close on the public holidays of where the agency sits, of the seat state's
    ``holiday_subdivision`` (that of its capital): an agency on another clock than that
    state's main one sits in another part of it (Cayenne in France, Houston in the United
    States), which may keep other holidays. It names the python-holidays subdivision it keeps
    (``holiday_subdivision``), or a note of its says why the state's calendar is kept. Where
    python-holidays divides the state into no subdivisions (Mexico), the state's calendar is
    the only one there is."""
    import holidays

    divided = holidays.list_supported_countries()
    silent = []
    for agency in directory.all_agencies():
        seat = directory.state(agency.located_in or agency.state)
        if seat is None or directory.agency_timezone(agency) == seat.timezone:
            continue
        if agency.holiday_subdivision is not None or not divided.get(seat.code):
            continue
        if not any("holiday" in note.lower() for note in agency.notes):
            silent.append(f"{agency.id} ({directory.agency_timezone(agency)}, in {seat.code})")
    assert silent == []


def test_an_agency_keeping_a_subdivisions_holidays_says_which_and_why(directory):
    """As a state's ``holiday_subdivision`` is explained in its notes, so is an agency's."""
    unexplained = [
        agency.id
        for agency in directory.all_agencies()
        if agency.holiday_subdivision is not None
        and not any(
            note.startswith(f"holiday_subdivision = '{agency.holiday_subdivision}' (")
            for note in agency.notes
        )
    ]
    assert unexplained == []


def test_the_consulate_in_cayenne_closes_on_french_guianas_holidays(capsys) -> None:
    """Suriname's consulate general sits in French Guiana: 10 June, the abolition of slavery
    there, is no holiday in metropolitan France."""

    def consular(at: str) -> dict:
        result = run(
            capsys,
            *("contact", "--flag", "SR", "--zone", "territorial", "--coastal", "FR"),
            *("--as", "FR", "--nationality", "SR", "--at", at, "--format", "json"),
        )
        assert result.exit_code == 0, result.stderr
        (step,) = [
            s
            for s in json.loads(result.stdout)["steps"]
            if s["agency"] and s["agency"]["id"] == "sr-cons-cayenne"
        ]
        return step

    step = consular("2026-06-10T10:00-03:00")
    channels = [ch for c in step["contacts"] for ch in c["channels"]]
    assert channels and not any(ch["available"] for ch in channels)
    assert any("public holiday in FR (Abolition of Slavery)" in n for n in step["notes"])
    step = consular("2026-06-11T10:00-03:00")
    assert all(ch["available"] for c in step["contacts"] for ch in c["channels"])


def test_the_rescue_sub_centre_in_san_juan_sits_in_puerto_rico_and_keeps_its_holidays(directory):
    """Sector San Juan's command centre is in Puerto Rico, as the sector is: it serves Puerto
    Rico and the U.S. Virgin Islands, which it covers, not the mainland, and keeps Puerto
    Rico's calendar (Three Kings Day), not the federal one alone."""
    from datetime import date

    rsc = directory.agency("us-rsc-sanjuan")
    assert rsc.located_in == "PR"
    assert rsc in directory.agencies(role="sar", serving="PR")
    assert rsc not in directory.agencies(role="sar", serving="US")
    assert date(2026, 1, 6) in directory.agency_holidays(rsc, 2026)
    assert date(2026, 1, 6) not in directory.public_holidays("US", 2026)


def uncertain_with_a_note(claims) -> bool:
    return claims.status == "uncertain" and bool(claims.notes)


@pytest.mark.parametrize("code", sorted(MARITIME_CLAIMS))
def test_territorial_sea_is_as_claimed(directory, code):
    assert directory.state(code).maritime.territorial_sea_nm == MARITIME_CLAIMS[code][0]


@pytest.mark.parametrize("code", sorted(MARITIME_CLAIMS))
def test_contiguous_zone_is_as_claimed(directory, code):
    claims = directory.state(code).maritime
    expected = MARITIME_CLAIMS[code][1]
    assert claims.contiguous_zone_nm == expected or uncertain_with_a_note(claims)


@pytest.mark.parametrize("code", sorted(MARITIME_CLAIMS))
def test_archipelagic_claim_is_as_claimed(directory, code):
    claims = directory.state(code).maritime
    expected = MARITIME_CLAIMS[code][2]
    assert claims.archipelagic == expected or uncertain_with_a_note(claims)


# The refugee instruments -----------------------------------------------------------------------

#: Statuses under the 1951 Convention and its 1967 Protocol as the sources read for them say
#: (their notes quote the words read).
REFUGEE_STATUSES = {
    ("GB", "refugee_convention"): "yes",  # the Bashir judgments, as law reports summarise them
    ("GD", "refugee_convention"): "no",  # the Global Detention Project (2020), a list's silence
    ("HT", "refugee_protocol"): "yes",  # the Global Detention Project: acceded in 1984
    ("KN", "refugee_protocol"): "no",  # not acceded in 2010 (State Department) nor in 2021
    ("AW", "refugee_protocol"): "yes",  # R4V: "Aruba is bound by the 1967 Protocol"
    ("CW", "refugee_protocol"): "no",  # R4V: "Curaçao does not consider itself bound by either"
}


@pytest.mark.parametrize(("code", "key"), sorted(REFUGEE_STATUSES))
def test_refugee_status_is_as_read(directory, code, key):
    assert getattr(directory.state(code), key).party == REFUGEE_STATUSES[code, key]


def test_no_refugee_instrument_held_by_succession_is_read_from_a_deposit_date(directory):
    """Routing reads a refugee instrument's ``date`` as a deposit: binding from the ninetieth
    day after it for the Convention (art. 43(2)), from that day for the Protocol (art.
    VIII(2)). A successor state is a party from the date of the succession of States (Vienna
    Convention on Succession of States in respect of Treaties, art. 23(1)), whenever it
    notified it: a notification of succession recorded as ``date`` would put it outside the
    instrument for the years between its independence and its notice. docs/data.md says to
    leave ``date`` out for a succession, the notes saying both days; the shipped records held
    by succession (Jamaica's and Suriname's Convention) record none, nor does any SOM Protocol
    record. A pin: it passed before."""
    held = [
        (state.code, key)
        for state in directory.states.values()
        for key in ("refugee_convention", "refugee_protocol", "som_protocol")
        if (status := getattr(state, key)) is not None
        and any("succession" in note.lower() for note in status.notes)
    ]
    assert {("JM", "refugee_convention"), ("SR", "refugee_convention")} <= set(held), held
    for code, key in held:
        assert getattr(directory.state(code), key).date is None, (code, key)


# UNCLOS and the CRC ----------------------------------------------------------------------------

#: The states the sources read record as not parties: to UNCLOS, the United States and
#: Venezuela (neither signed nor ratified, as the Factbook's lists read), Colombia and El
#: Salvador (signed, not ratified); to the CRC, the United States (signed, not ratified).
NOT_PARTIES = {"unclos": {"CO", "SV", "US", "VE"}, "crc": {"US"}}


@pytest.mark.parametrize("key", sorted(NOT_PARTIES))
def test_every_sovereign_state_records_its_unclos_and_crc_status_as_read(directory, key):
    """Derived from the files: each state that is not a territory records the table, a
    party with its sources and notes; a territory records none (its sovereign's is read)."""
    sovereigns = [c for c in STATES if directory.state(c).sovereign is None]
    assert len(sovereigns) == 29
    found = {c: getattr(directory.state(c), key) for c in sovereigns}
    assert [c for c, status in found.items() if status is None] == []
    assert {c for c, status in found.items() if status.party == "no"} == NOT_PARTIES[key]
    assert {c for c, status in found.items() if status.party == "uncertain"} == set()
    for code, status in found.items():
        assert status.sources and status.notes, code
        assert status.date is None or status.party == "yes", code
    for code in STATES:
        state = directory.state(code)
        if state.sovereign is not None:
            assert getattr(state, key) is None, code
            assert directory.treaty_status(code, key) is found[state.sovereign], code


def test_a_curacao_patrol_screening_asylum_seekers_is_told_what_binds_it(capsys):
    """Curaçao is bound by neither refugee instrument: the steps that cite art. 33 say that the
    customary prohibition of refoulement binds it instead."""
    args = ("--flag", "VE", "--zone", "territorial", "--coastal", "CW", "--as", "CW")
    result = run(capsys, "contact", *args, "--nationality", "VE", "--asylum", "--format", "json")
    assert result.exit_code == 0, result.stderr
    said = json.dumps(json.loads(result.stdout), ensure_ascii=False)
    assert re.search(r"CW \([^)]+\) is not a party to the 1951 Convention or its 1967", said)


# Territories and their sovereigns ------------------------------------------------------------

TERRITORIES = sorted(
    path.stem for path in (DATA / "states").glob("*.toml") if read(path).state.sovereign
)


def test_the_directory_holds_territories():
    assert TERRITORIES


@pytest.mark.parametrize("code", TERRITORIES)
def test_every_territory_names_a_sovereign_that_the_directory_holds(directory, code):
    sovereign = directory.state(code).sovereign
    assert directory.state(sovereign) is not None, f"{code}: sovereign {sovereign} not held"
    assert directory.state(sovereign).sovereign is None
    assert directory.same_state(code, sovereign)


@pytest.mark.parametrize("code", TERRITORIES)
def test_every_territory_has_an_agency_acting_at_sea_for_it(directory, code):
    """Its own maritime police or coast guard, or one of another jurisdiction that covers it
    (the Dutch Caribbean Coast Guard for Aruba, the U.S. Coast Guard for Puerto Rico)."""
    at_sea = serving_agencies(directory, code, "maritime-law-enforcement")
    assert at_sea, f"{code}: no maritime-law-enforcement agency acts for it"


SOVEREIGNS = sorted(
    {state.sovereign for state in (read(p).state for p in (DATA / "states").glob("*.toml"))}
    - {None}
)


@pytest.mark.parametrize("code", SOVEREIGNS)
def test_every_sovereign_of_a_territory_can_answer_a_flag_state_request(directory, code):
    """A territory's vessels fly its sovereign's flag: the sovereign's own art. 8(6) authority,
    maritime law enforcement or foreign ministry answers for them."""
    roles = ("som-art8-authority", "maritime-law-enforcement", "foreign-affairs")
    assert any(serving_agencies(directory, code, role) for role in roles), code


@pytest.mark.parametrize("code", TERRITORIES)
def test_a_territory_records_whether_the_smuggling_protocol_reaches_it(directory, code):
    protocol = directory.state(code).som_protocol
    assert protocol.sources
    assert protocol.party == "yes" or protocol.notes, f"{code}: say what was checked"


@pytest.mark.parametrize(
    ("code", "term", "role"),
    [
        ("BS", "RBDF", "maritime-law-enforcement"),
        ("DO", "Armada", "maritime-law-enforcement"),
        ("DO", "Dirección General de Migración", "migration"),
        ("HT", "Office National de la Migration", "migration"),
        ("HT", "POLIFRONT", None),
        ("HN", "INM", "migration"),
        ("HN", "INM", "refugee-status"),  # Honduras' INM also receives refugee claims
        ("JM", "Coast Guard", "maritime-law-enforcement"),
        ("JM", "PICA", "migration"),
        ("MX", "SEMAR", "maritime-law-enforcement"),
        ("MX", "INM", "migration"),
        ("MX", "COMAR", "refugee-status"),
        ("MX", "DIF", "child-protection"),
        ("PA", "SENAN", "maritime-law-enforcement"),
        ("PA", "Servicio Nacional de Migración", "migration"),
        ("PA", "ONPAR", "refugee-status"),
        ("US", "Seventh District", "maritime-law-enforcement"),
        ("CU", "MININT", None),
        ("CU", "Guardafronteras", "maritime-law-enforcement"),
        ("TC", "Marine Branch", "maritime-law-enforcement"),
        ("TC", "Border Force", None),
        ("BZ", "Coast Guard", "maritime-law-enforcement"),
        ("GT", "Marina de la Defensa Nacional", "maritime-law-enforcement"),
        ("GT", "IGM", "migration"),
        ("CR", "Guardacostas", "maritime-law-enforcement"),
        ("CO", "Migración Colombia", "migration"),
        ("VE", "Armada", "maritime-law-enforcement"),
        ("TT", "Coast Guard", "maritime-law-enforcement"),
        ("KY", "Customs and Border Control", "migration"),
        ("KY", "Coast Guard", "maritime-law-enforcement"),
        ("NL", "Kustwacht", "maritime-law-enforcement"),  # the Dutch Caribbean Coast Guard
        ("FR", "CROSS", "sar"),
        ("US", "Sector San Juan", "maritime-law-enforcement"),
    ],
)
def test_agencies_named_in_public_sources_are_in_the_directory(directory, code, term, role):
    found = [a for a in directory.search(term) if a.state == code]
    if role is not None:
        found = [a for a in found if role in a.roles]
    assert found, f"{code}: no agency matching {term!r} with role {role}"


# Regional partners, agreements, consular channels ----------------------------------------------


@pytest.mark.parametrize("role", ["protection-partner", "migration-partner"])
@pytest.mark.parametrize("code", STATES)
def test_every_state_is_served_by_unhcr_and_iom_or_a_note_says_why_not(directory, code, role):
    served = directory.agencies(role=role, serving=code)
    assert served or noted(directory.state(code), role), f"no {role} serves {code}"


@pytest.mark.parametrize(("code", "term"), [("PA", "ROPAN"), ("MX", "UNODC")])
def test_the_unodc_offices_are_in_the_directory(directory, code, term):
    found = [a for a in directory.search(term) if a.state == code]
    assert any("regional-coordination" in a.roles for a in found)


def dated(agreement, year: int) -> bool:
    return (
        any(d is not None and d.year == year for d in (agreement.signed, agreement.in_force))
        or str(year) in agreement.id
    )


@pytest.mark.parametrize(
    ("parties", "year", "kind"),
    [
        ({"US", "HT"}, 1981, None),
        ({"US", "CU"}, 1994, None),
        ({"US", "CU"}, 1995, None),
        ({"BS", "CU"}, 1996, None),
        ({"US", "BS"}, 2004, None),
        ({"US", "DO"}, 1995, None),
        ({"US", "JM"}, 1997, None),
        ({"US", "PA"}, 2002, None),
        ({"US", "CU"}, 2017, "sar"),
        ({"US", "BS"}, 2020, "sar"),
        ({"KY", "CU"}, 1999, "repatriation"),
        ({"KY", "CU"}, 2015, "repatriation"),
        ({"AG", "BB", "DM", "GD", "KN", "LC", "VC"}, 1996, "multilateral"),  # the RSS treaty
        ({"US", "GT"}, 2003, None),
        ({"US", "CR"}, 1999, None),
        ({"US", "NI"}, 2001, None),
    ],
    ids=lambda v: "-".join(sorted(v)) if isinstance(v, set) else str(v),
)
def test_the_agreements_of_the_design_are_recorded(directory, parties, year, kind):
    found = [
        a
        for a in directory.all_agreements()
        if parties <= set(a.parties) and dated(a, year) and (kind is None or a.kind == kind)
    ]
    assert found, f"no agreement between {sorted(parties)} of {year}"


def test_the_us_haiti_interdiction_agreement(directory):
    [agreement] = [a for a in directory.agreements_between("US", "HT") if a.kind == "interdiction"]
    assert str(agreement.signed) == "1981-09-23"


def test_the_bahamas_cuba_agreement_has_the_1998_deadlines(directory):
    found = [
        a
        for a in directory.agreements_between("BS", "CU")
        if a.provides.notification_hours == 72 and a.provides.return_days == 15
    ]
    assert found


def test_the_cayman_cuba_memorandum_of_2015_replaced_that_of_1999(directory):
    by_year = {a.signed.year: a for a in directory.agreements_between("KY", "CU") if a.signed}
    assert by_year[1999].status == "terminated"
    assert by_year[1999].ended == by_year[2015].signed
    assert by_year[2015].status == "in-force"


@pytest.mark.parametrize("landing", ["US", "PR", "VI"])
def test_cubans_landed_by_a_us_cutter_in_puerto_rico_are_returned_under_the_migration_accords(
    capsys, landing
):
    # The accords bind the United States in the whole of its territory (no other intention
    # appears, VCLT art. 29): they speak of entering the United States in violation of its law,
    # and that law's "United States" includes Puerto Rico and the U.S. Virgin Islands.
    result = run(
        capsys,
        "contact",
        "--stateless",
        "--zone",
        "high-seas",
        "--as",
        "US",
        "--disembark",
        landing,
        "--nationality",
        "CU",
        "--return",
        "--at",
        "2026-11-30T12:00:00-05:00",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    returns = [s for s in json.loads(result.stdout)["steps"] if s["rule"] == "R13"]
    assert [s["state"] for s in returns] == [landing, "CU"]
    assert {s["agreement"]["id"] for s in returns if s["agreement"]} == {"us-cu-migration-2017"}
    assert all(s["agreement"] for s in returns)
    assert all("SOM Protocol art. 18(8)" in s["basis"] for s in returns)


@pytest.mark.parametrize("parties", [{"US", "GT"}, {"US", "CR"}, {"US", "NI"}, {"US", "BB"}])
def test_the_counter_drug_agreements_do_not_authorise_migrant_boardings(directory, parties):
    first, second = sorted(parties)
    found = directory.agreements_between(first, second)
    assert found
    assert not any(a.provides.covers_migrant_smuggling for a in found if a.kind == "shiprider")


def test_the_caricom_maritime_security_agreement_is_not_applied_as_in_force(directory):
    found = [a for a in directory.all_agreements() if "caricom" in (a.id + a.title).lower()]
    assert found
    assert all(a.status != "in-force" or a.notes for a in found)


# Mandatory consular notification -------------------------------------------------------------

#: The parties to the United States' bilateral consular conventions in this directory (the
#: 1951 U.S.-U.K. convention, in force for the Commonwealth Caribbean states by succession, and
#: the 1948 convention with Costa Rica): each binds both parties, so each of these states must
#: notify the U.S. consular post of a detained U.S. national whatever the person's wish.
US_CONVENTION_PARTIES = ["AG", "BB", "BS", "BZ", "CR", "DM", "GB", "GD", "GY", "JM", "KN", "LC"]
US_CONVENTION_PARTIES += ["TT", "VC"]


@pytest.mark.parametrize("code", US_CONVENTION_PARTIES)
def test_a_party_to_a_us_consular_convention_must_notify_the_us_post(directory, code):
    found = directory.notification_mandatory(code, "US")
    assert found is not None and found.code == code
    # Its duty is toward the United States: Haitians, who have no such convention with it,
    # choose; a U.S. territory's people are covered through their sovereign.
    assert directory.notification_mandatory(code, "HT") is None
    assert directory.notification_mandatory(code, "PR") is found


#: A patrol of a state or territory holding U.S. nationals in its own waters, and the state
#: whose duty it is (a territory detains with its sovereign's): every party above, and the
#: United Kingdom's Caribbean territories.
HOLDING_AMERICANS = [(code, code) for code in US_CONVENTION_PARTIES]
HOLDING_AMERICANS += [(code, "GB") for code in ["AI", "KY", "MS", "TC", "VG"]]


@pytest.mark.parametrize(("acting", "bound"), HOLDING_AMERICANS)
def test_a_patrol_holding_us_nationals_is_told_the_notice_may_be_mandatory(capsys, acting, bound):
    """A Turks and Caicos (or Bahamian...) patrol holding Americans: the convention's duty to
    notify their post whatever their wish is recorded, but uncertain (its article was not read
    for any of these states). It is said beside the offer of consular contact, not applied: the
    person still decides until the duty is checked, as with an uncertain agreement. A state
    whose record is confirmed leaves this list for a test that it notifies without consent."""
    args = ("--flag", "HT", "--zone", "territorial", "--coastal", acting, "--as", acting)
    result = run(capsys, "contact", *args, "--nationality", "US,HT", "--format", "json")
    assert result.exit_code == 0, result.stderr
    consular = [s for s in json.loads(result.stdout)["steps"] if s["purpose"] == "consular-access"]
    by_nationality = {s["nationality"]: s for s in consular if s["rule"] == "R6"}
    us = by_nationality["US"]
    assert (us["action"], us["requires_consent"]) == ("inform", True)
    assert "Bilateral consular convention (mandatory notification)" not in us["basis"]
    [note] = [n for n in us["notes"] if n.startswith("Notification may be mandatory")]
    assert note.startswith(f"Notification may be mandatory: {bound} may have to notify US's")
    assert note.endswith("Until the duty is checked, the person decides, as for anyone.")
    haitians = by_nationality["HT"]
    assert (haitians["action"], haitians["requires_consent"]) == ("inform", True)
    assert not any(n.startswith("Notification may") for n in haitians["notes"])


def test_us_nationals_claiming_asylum_are_offered_consular_contact_with_the_consent_warning(
    capsys,
):
    args = ("--flag", "HT", "--zone", "territorial", "--coastal", "TC", "--as", "TC")
    result = run(capsys, "contact", *args, "--nationality", "US", "--asylum", "--format", "json")
    assert result.exit_code == 0, result.stderr
    [us] = [
        s
        for s in json.loads(result.stdout)["steps"]
        if s["purpose"] == "consular-access" and s["nationality"] == "US"
    ]
    assert (us["action"], us["requires_consent"]) == ("inform", True)
    # R7: the consent path's warning and its basis, as for any nationality that may be fled.
    assert "1951 Convention art. 33" in us["basis"], us["basis"]
    assert any(n.startswith("Notification may be mandatory") for n in us["notes"])


def test_show_tells_a_territory_the_duty_to_notify_it_detains_with_as_its_sovereigns(capsys):
    """The Turks and Caicos Islands record no list of their own: they detain with the United
    Kingdom's duty, which routing applies to them, and show says so."""
    result = run(capsys, "directory", "show", "TC")
    assert result.exit_code == 0, result.stderr
    assert "  must notify        US  [uncertain] (as GB)\n" in result.stdout, result.stdout
    assert "  must notify        US  [uncertain]\n" in run(capsys, "directory", "show", "GB").stdout


#: Whose consular coverage is checked: every state that is not a territory (a territory's people
#: are protected by its sovereign's posts, so its pairs are its sovereign's), and the
#: extra-regional nationalities.
NATIONALITIES = [
    code for code in STATES if not read(DATA / "states" / f"{code}.toml").state.sovereign
] + EXTRA_REGIONAL


def consular_pairs(directory) -> list[tuple[str, str]]:
    """Every (nationality, landing state or territory) pair but those within one state."""
    return [
        (nationality, receiving)
        for nationality in NATIONALITIES
        for receiving in STATES
        if not directory.same_state(nationality, receiving)
    ]


NO_RECORD = re.compile(
    r"^# No record for ([A-Z]{2}) -> ([A-Z, ]+) \(checked (\d{4}-\d{2}-\d{2})\)", re.M
)
#: "# Not recorded (DATE): XX -> AA, BB,\n#   CC: why" - pairs the directory does not cover yet.
NOT_RECORDED = re.compile(
    r"^# Not recorded \((\d{4}-\d{2}-\d{2})\): ([A-Z]{2}) -> ((?:[A-Z]{2},?\s*(?:#\s+)?)+):",
    re.M,
)


def documented_gaps() -> set[tuple[str, str]]:
    """Pairs that a nationality's consular file says it records nothing for, and why: a "none"
    needs negative evidence, and where none was found the file says what was checked."""
    gaps = set()
    for path in (DATA / "consular").glob("*.toml"):
        for nationality, receiving, _ in NO_RECORD.findall(path.read_text(encoding="utf-8")):
            gaps |= {(nationality, code.strip()) for code in receiving.split(",")}
    return gaps


def not_recorded() -> set[tuple[str, str]]:
    """Pairs that a nationality's consular file lists as not recorded yet: no mission was found
    in the sources read, nor the negative evidence a "none" needs, or none was sought."""
    pairs = set()
    for path in (DATA / "consular").glob("*.toml"):
        for _, nationality, receiving in NOT_RECORDED.findall(path.read_text(encoding="utf-8")):
            pairs |= {(nationality, code) for code in re.findall(r"[A-Z]{2}", receiving)}
    return pairs


def test_a_not_recorded_comment_is_read():
    text = "# Not recorded (2026-11-29): GT -> AG, AI,\n#   BB: no mission found.\n"
    [(day, nationality, receiving)] = NOT_RECORDED.findall(text)
    assert (day, nationality, re.findall(r"[A-Z]{2}", receiving)) == (
        "2026-11-29",
        "GT",
        ["AG", "AI", "BB"],
    )


def test_every_nationality_has_a_consular_record_in_every_state_or_a_documented_gap(directory):
    """A mission, a concurrent accreditation, an honorary consul, a proven "none", or a
    comment in the nationality's file saying what was checked or that nothing is recorded
    yet: the directory is never silent without saying so."""
    gaps = documented_gaps() | not_recorded()
    silent = [
        f"{n}->{r}"
        for n, r in consular_pairs(directory)
        if not directory.consular_channels(nationality=n, receiving=r) and (n, r) not in gaps
    ]
    assert silent == [], f"{len(silent)} pairs without a consular record: {', '.join(silent)}"


def test_a_documented_gap_is_not_also_a_record(directory):
    stale_gaps = [
        f"{n}->{r}"
        for n, r in sorted(documented_gaps() | not_recorded())
        if directory.consular_channels(nationality=n, receiving=r)
    ]
    assert stale_gaps == []


def test_a_gap_is_documented_once(directory):
    assert documented_gaps() & not_recorded() == set()


@pytest.mark.parametrize("code", [c for c in STATES if c not in NATIONALITIES])
def test_a_territorys_consular_pairs_are_those_of_its_sovereign(directory, code):
    """Its sovereign's posts protect them: the pairs checked are the sovereign's."""
    assert directory.state(code).sovereign in NATIONALITIES


def test_the_high_commission_in_kingston_serves_indians_in_the_turks_and_caicos(capsys):
    result = run(capsys, "consular", "--nationality", "IN", "--in", "TC", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "in-emb-kingston" in result.stdout


def test_no_two_unrelated_agencies_share_a_number(directory):
    assert directory.warnings == ()


# Evidence dates as the data says they were read -----------------------------------------------

#: A year in a source's title: 1900 to 2099, not part of a longer number, a date or a path.
TITLE_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d\d)(?!\d)")


def all_sources(directory):
    """(what, source) of every source of every record."""
    for state in directory.states.values():
        for part, sources in (
            ("", state.sources),
            (" maritime", state.maritime.sources),
            (" som_protocol", state.som_protocol.sources),
            *((f" {key}", status.sources) for key, status in refugee_treaties(state) if status),
            *((f" {key}", status.sources) for key, status in other_treaties(state) if status),
        ):
            yield from ((f"state {state.code}{part}", s) for s in sources)
    for kind, records in (
        ("agency", directory.all_agencies()),
        ("agreement", directory.all_agreements()),
        ("SAR region", directory.sar_regions),
    ):
        for record in records:
            yield from ((f"{kind} {record.id}", s) for s in record.sources)
    for channel in directory.consular:
        what = f"consular {channel.nationality}->{','.join(channel.receiving)}"
        yield from ((what, s) for s in channel.sources)


def test_an_as_of_taken_from_a_title_is_the_latest_year_it_records(directory):
    """Sources dated 'as_of ... the latest date its title records' (data/README.md, "Sources")
    are no earlier than any year the title names: an earlier one is before the page could be
    written."""
    early = [
        f"{what}: as_of {source.as_of} but the title names {max(years)}: {source.title}"
        for what, source in all_sources(directory)
        if source.as_of is not None
        and "latest date its title records" in (source.note or "")
        and (years := [int(y) for y in TITLE_YEAR.findall(source.title)])
        and max(years) > source.as_of.year
    ]
    assert early == []


# Confidence no higher than the source ---------------------------------------------------------


def all_official_domains(directory) -> tuple[str, ...]:
    from somnet.directory.evidence import FOREIGN_OFFICIAL_DOMAINS

    found = [d for state in directory.states.values() for d in state.official_domains]
    found += [d for domains in FOREIGN_OFFICIAL_DOMAINS.values() for d in domains]
    return tuple(found)


def asserted_records(directory):
    """(what, sources) of every record that asserts its fact."""
    for state in directory.states.values():
        yield f"state {state.code}", state.sources
        if state.maritime.status == "confirmed":
            yield f"maritime claims of {state.code}", state.maritime.sources
        if state.som_protocol.party != "uncertain":
            yield f"SOM Protocol status of {state.code}", state.som_protocol.sources
        for key, status in (*refugee_treaties(state), *other_treaties(state)):
            if status is not None and status.party != "uncertain":
                yield f"{key} status of {state.code}", status.sources
    for agency in directory.all_agencies():
        if agency.status == "confirmed":
            yield f"agency {agency.id}", agency.sources
    for agreement in directory.all_agreements():
        if agreement.status != "uncertain":
            yield f"agreement {agreement.id}", agreement.sources
    for channel in directory.consular:
        if channel.status == "confirmed":
            receiving = ",".join(channel.receiving)
            yield f"consular {channel.nationality}->{receiving} {channel.mission}", channel.sources
    for region in directory.sar_regions:
        if region.status == "confirmed":
            yield f"SAR region {region.id}", region.sources


@pytest.mark.parametrize("code", STATES)
def test_every_state_lists_its_official_domains(directory, code):
    assert directory.state(code).official_domains


#: Records whose one source is a copy of a primary text on a site that is not official: a
#: person judged them (data/README.md, "Sources"); the test below checks they still need it.
READ_AS_PRIMARY = {
    "agreement us-do-sar-2003": "TIAS 03-521, the agreement as the Department of State published "
    "it (copy on vdocument.in)",
    "agency gb-fcdo-london": "the FCDO's own guide to its consular support (copy on docslib.org)",
    "maritime claims of AG": "Limits in the Seas No. 133, the U.S. Department of State's study of "
    "the Maritime Areas Act 1982 (copy on docslib.org)",
    "maritime claims of VC": "Limits in the Seas No. 144, the U.S. Department of State's study of "
    "the Maritime Areas Act 1983 (copy on docslib.org)",
    "agency sr-police-tip": "the U.S. Department of State's Trafficking in Persons Report on "
    "Suriname (copy on ecoi.net)",
    "agency ve-emb-port-of-spain": "a release of Trinidad and Tobago's Ministry of National "
    "Security (distributed by EIN Presswire)",
    "consular VE->TT ve-emb-port-of-spain": "the same release of Trinidad and Tobago's Ministry "
    "of National Security (distributed by EIN Presswire)",
    "agency cn-emb-port-of-spain": "the embassy's own site (tt.china-embassy.org); China has no "
    "state file to list its official domains",
    "consular CN->TT cn-emb-port-of-spain": "the embassy's own site (tt.china-embassy.org)",
}
#: UNHCR's own table of the parties to the refugee instruments, the annex of its Global Appeal
#: 2021 Update (copy on vdocuments.net): the supervising body's publication, years only.
UNHCR_PARTIES_ANNEX = (
    "UNHCR's annex of the parties to the refugee instruments (copy on vdocuments.net)"
)
READ_AS_PRIMARY |= {
    f"{key} status of {code}": UNHCR_PARTIES_ANNEX
    for key, code in (
        ("refugee_convention", "FR"),
        ("refugee_protocol", "FR"),
        ("refugee_convention", "KN"),
        ("refugee_convention", "SR"),
        ("refugee_protocol", "SR"),
    )
}

#: The CIA World Factbook's list of the international agreements each state is party to (a U.S.
#: government publication, copy in the factbook/factbook.json mirror): the one source read of
#: the UNCLOS status of most states; the UNTC record was not read (the notes say so).
FACTBOOK_AGREEMENTS = (
    "the CIA World Factbook, International environmental agreements (copy in the "
    "factbook/factbook.json mirror)"
)
READ_AS_PRIMARY |= {
    f"unclos status of {code}": FACTBOOK_AGREEMENTS
    for code in (
        "AG", "BB", "BS", "BZ", "CO", "CR", "CU", "DM", "DO", "FR", "GB", "GD", "GT", "HN",
        "HT", "JM", "KN", "LC", "MX", "NI", "NL", "PA", "SR", "SV", "TT", "VC", "VE",
    )
}  # fmt: skip


def test_every_confirmed_record_rests_on_an_official_source_or_two_independent_ones(directory):
    """What can be checked mechanically of 'confidence no higher than the source': a url on an
    official domain (a state's list, an international organisation, a public-sector domain),
    or urls on two independent hosts that are not encyclopaedia mirrors."""
    from somnet.directory.evidence import confirmation_problem

    domains = all_official_domains(directory)
    weak = {
        what: problem
        for what, sources in asserted_records(directory)
        if (problem := confirmation_problem(sources, domains))
    }
    unjudged = [f"{w}: {problem}" for w, problem in weak.items() if w not in READ_AS_PRIMARY]
    assert unjudged == [], f"{len(unjudged)} beyond their sources:\n" + "\n".join(unjudged)
    assert sorted(READ_AS_PRIMARY) == sorted(w for w in weak if w in READ_AS_PRIMARY)


# The foreign ministry: the diplomatic channel where no post serves ---------------------------

#: "# No foreign ministry recorded (checked DATE): why" in a nationality's consular file: its
#: foreign ministry is left out on purpose (no recognised government to notify, or no source
#: read), and the comment says what was checked.
NO_MINISTRY = re.compile(
    r"^# No foreign ministry recorded \(checked (\d{4}-\d{2}-\d{2})\): \S", re.M
)


def without_a_ministry() -> dict[str, str]:
    """The nationalities whose consular file says why no foreign ministry is recorded, with the
    day it was checked."""
    found = {}
    for path in (DATA / "consular").glob("*.toml"):
        for day in NO_MINISTRY.findall(path.read_text(encoding="utf-8")):
            found[path.stem] = day
    return found


def test_a_no_foreign_ministry_comment_is_read():
    text = "# No foreign ministry recorded (checked 2026-11-29): no recognised government.\n"
    assert NO_MINISTRY.findall(text) == ["2026-11-29"]
    # A comment that says nothing after the colon does not count.
    assert NO_MINISTRY.findall("# No foreign ministry recorded (checked 2026-11-29):\n") == []


def test_every_nationality_has_a_foreign_ministry_or_a_comment_saying_why_not(directory):
    """Without a post, a consular notice goes through diplomatic channels to the nationality's
    foreign ministry: every nationality checked has one at home, or its file says why not."""
    documented = without_a_ministry()
    missing = [
        code
        for code in NATIONALITIES
        if directory.foreign_ministry(code) is None and code not in documented
    ]
    assert missing == [], f"no foreign ministry and no comment saying why: {', '.join(missing)}"
    stale = sorted(code for code in documented if directory.foreign_ministry(code) is not None)
    assert stale == [], f"a foreign ministry is recorded despite the comment: {', '.join(stale)}"


def test_a_nationality_without_a_post_in_the_landing_state_is_sent_to_its_foreign_ministry(capsys):
    """For each extra-regional nationality with a foreign ministry (recorded in its consular
    file), the first landing state where the directory holds no consular record of it: the
    plan addresses the consular step to that ministry."""
    directory = load_directory(use_env=False)
    checked = 0
    for nationality in EXTRA_REGIONAL:
        ministry = directory.foreign_ministry(nationality)
        if ministry is None:
            continue
        landing = next(
            (
                code
                for code in STATES
                if not directory.same_state(nationality, code)
                and not directory.consular_channels(nationality=nationality, receiving=code)
                and not directory.consular_channels(
                    nationality=nationality, receiving=directory.sovereign_of(code)
                )
            ),
            None,
        )
        if landing is None:
            continue
        args = ("--flag", landing, "--zone", "territorial", "--coastal", landing, "--as", landing)
        result = run(capsys, "contact", *args, "--nationality", nationality, "--format", "json")
        assert result.exit_code == 0, result.stderr
        [step] = [
            s for s in json.loads(result.stdout)["steps"] if s["purpose"] == "consular-access"
        ]
        assert (step["resolved"], step["role"], step["agency"]["id"]) == (
            True,
            "foreign-affairs",
            ministry.id,
        ), f"{nationality} landed in {landing}"
        assert step["contacts"] and step["requires_consent"] is True
        checked += 1
    assert checked


def test_the_readme_shows_what_validate_prints_on_the_shipped_directory(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The README's `directory validate` examples count the shipped records as the command
    does: one consular channel added to the data left them saying 715 for a day."""
    from tests.cli import run

    result = run(capsys, "directory", "validate")
    assert result.exit_code == 0, result.stderr
    printed = result.stdout.splitlines()[0]
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    shown = [line for line in readme.splitlines() if line.startswith("valid: ")]
    assert shown and all(line == printed for line in shown), (printed, shown)


# The sovereigns' RCC on the high seas ------------------------------------------------------


def _high_seas_rescue(capsys: pytest.CaptureFixture[str], acting: str, *more: str) -> str:
    result = run(
        capsys,
        *("contact", "--flag", "HT", "--zone", "high-seas", "--as", acting, "--distress"),
        *("--at", "2026-12-02T03:00-04:00", *more),
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("acting", "rcc"),
    [("FR", "fr-cross-ag"), ("NL", "nl-kustwacht-carib"), ("GB", "gb-hmcg")],
)
def test_a_european_sovereigns_ship_in_distress_on_the_high_seas_has_an_rcc(
    capsys: pytest.CaptureFixture[str], acting: str, rcc: str
) -> None:
    """A French, Dutch or British naval ship rescuing on the high seas of the Caribbean: R1
    named no centre for the United Kingdom (the directory held none), and must keep naming
    France's and the Kingdom's own centres in the region, CROSS Antilles-Guyane and the Dutch
    Caribbean Coast Guard's JRCC, before any national centre in Europe."""
    plan = json.loads(_high_seas_rescue(capsys, acting, "--format", "json"))
    (step,) = [s for s in plan["steps"] if s["rule"] == "R1"]
    assert step["resolved"] is True and step["missing"] == []
    assert step["agency"]["id"] == rcc
    assert step["contacts"] and all(c["illustrative"] for c in step["contacts"])


def test_the_united_kingdoms_centre_is_named_as_a_relay_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """HM Coastguard's region is around the United Kingdom: for a British ship in the
    Caribbean it only relays the alert, and the step says so and tells the officer to alert
    the position's RCC directly; France's and the Kingdom's centres in the region are not
    marked so."""
    plan = json.loads(_high_seas_rescue(capsys, "GB", "--format", "json"))
    (step,) = [s for s in plan["steps"] if s["rule"] == "R1"]
    relay = [w for w in step["warnings"] if "relays" in w]
    assert len(relay) == 1, step["warnings"]
    assert "AI, KY, MS, TC, VG" in relay[0] and "directly" in relay[0]
    table = _high_seas_rescue(capsys, "GB")
    assert re.search(r"1 request SAR coordination +HMCG +phone \+442079460160", table), table
    assert "only relays the alert" in " ".join(table.split())
    for acting in ("FR", "NL", "US"):
        plan = json.loads(_high_seas_rescue(capsys, acting, "--format", "json"))
        (step,) = [s for s in plan["steps"] if s["rule"] == "R1"]
        assert not any("relays the alert" in w for w in step["warnings"]), step["warnings"]


def test_a_centre_that_only_relays_is_not_said_to_coordinate_the_landing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """People rescued by a British ship on the high seas and landed in the Turks and Caicos
    Islands: HM Coastguard, which only relays from there, is not the RCC that finds the place
    of safety; the landing step keeps RCC Miami, whose region covers those waters, as the
    one that does."""
    plan = json.loads(
        _high_seas_rescue(
            capsys, "GB", "--nationality", "HT", "--disembark", "TC", "--format", "json"
        )
    )
    (landing,) = [s for s in plan["steps"] if s["purpose"] == "disembarkation"]
    notes = " ".join(landing["notes"])
    assert "gb-hmcg" not in notes and "HM Coastguard" not in notes, notes
    assert "us-rcc-miami" in notes and "finds the place of safety" in notes, notes


def test_a_british_ship_landing_in_the_cayman_islands_keeps_their_coast_guard(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The Cayman Islands Coast Guard coordinates SAR in the Cayman Islands' waters: R1 keeps
    naming it, acting for the United Kingdom there, for a British ship landing people in the
    Cayman Islands, not the national centre in Europe."""
    plan = json.loads(
        _high_seas_rescue(
            capsys, "GB", "--nationality", "KY", "--disembark", "KY", "--format", "json"
        )
    )
    (step,) = [s for s in plan["steps"] if s["rule"] == "R1"]
    assert step["agency"]["id"] == "ky-cicg"
    assert not any("relays the alert" in w for w in step["warnings"])


def test_a_national_centre_in_europe_does_not_displace_the_centre_in_the_region(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An overlay recording the Kingdom's national centre, JRCC Den Helder, with a region
    around the European Netherlands: R1 for a Dutch ship on the high seas of the Caribbean
    still names the Dutch Caribbean Coast Guard's JRCC, the Kingdom's centre in the region,
    not the centre in Europe that would only relay."""
    states = tmp_path / "states"
    states.mkdir()
    (states / "NL.toml").write_text(
        """
[[agencies]]
id = "nl-jrcc-den-helder"
state = "NL"
name = "Kustwacht Nederland, JRCC Den Helder"
name_en = "Netherlands Coastguard, JRCC Den Helder"
roles = ["sar"]
status = "confirmed"
last_verified = 2026-12-02
sources = [{ title = "test", url = "https://example.org/den-helder", accessed = 2026-12-02 }]

[[agencies.contacts]]
id = "nl-jrcc-den-helder-duty"
kind = "duty"
name = "JRCC Den Helder, duty officer"
languages = ["nl", "en"]
last_verified = 2026-12-02
sensitivity = "public"
illustrative = true

[[agencies.contacts.channels]]
kind = "email"
value = "duty.jrcc.nl@example.org"
availability = "24/7"

[[sar_regions]]
id = "srr-netherlands"
name = "Netherlands SRR (JRCC Den Helder)"
rcc = "nl-jrcc-den-helder"
covers = ["NL"]
status = "confirmed"
last_verified = 2026-12-02
sources = [{ title = "test", url = "https://example.org/srr-nl", accessed = 2026-12-02 }]
""",
        encoding="utf-8",
    )
    plan = json.loads(_high_seas_rescue(capsys, "NL", "--data", str(tmp_path), "--format", "json"))
    (step,) = [s for s in plan["steps"] if s["rule"] == "R1"]
    assert step["agency"]["id"] == "nl-kustwacht-carib"
    assert not any("relays the alert" in w for w in step["warnings"]), step["warnings"]
