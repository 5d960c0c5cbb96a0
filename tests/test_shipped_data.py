"""The shipped regional directory (data/) against its contract: DESIGN section 2, issue 2 and
data/README.md. Every file valid and sourced, every state with the roles routing asks for (or
a note naming what is missing), illustrative contacts only, and the facts already gathered."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from somnet import Directory, DirectoryError, load_directory, shipped_data_dir
from somnet._loading import read_toml, structure_file
from somnet._model import DirectoryFile
from tests.cli import run

DATA = shipped_data_dir()
FILES = sorted(DATA.rglob("*.toml"))
TEN = ("BS", "DO", "HT", "HN", "JM", "MX", "PA", "US", "CU", "TC")
#: Nationalities common in the region's mixed flows (issue 2), besides the ten.
COMMON_NATIONALITIES = ("VE", "CO", "EC", "IN", "BD", "NP", "LK", "ER", "SO", "ET", "CM", "GH")
#: Roles every state needs an agency for, or a state note saying why there is none.
REQUIRED_ROLES = (
    "sar",
    "maritime-law-enforcement",
    "som-art8-authority",
    "migration",
    "refugee-status",
    "child-protection",
    "anti-trafficking",
    "prosecution",
    "foreign-affairs",
)
#: DESIGN section 2: the main time zone first, then the others.
TIMEZONES = {
    "BS": ["America/Nassau"],
    "DO": ["America/Santo_Domingo"],
    "HT": ["America/Port-au-Prince"],
    "HN": ["America/Tegucigalpa"],
    "JM": ["America/Jamaica"],
    "MX": ["America/Mexico_City", "America/Cancun"],
    "PA": ["America/Panama"],
    "US": ["America/New_York", "America/Puerto_Rico"],
    "CU": ["America/Havana"],
    "TC": ["America/Grand_Turk"],
}
CONTIGUOUS_ZONE_24 = {"DO", "HT", "HN", "MX", "PA", "US", "CU"}
ARCHIPELAGIC = {"BS", "DO", "JM"}


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


def test_the_shipped_directory_has_a_file_for_each_state():
    assert sorted(p.stem for p in (DATA / "states").glob("*.toml")) == sorted(TEN)


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
    assert result.stdout.startswith("valid: 10 states, ")


def test_somnet_directory_show_ht_on_the_shipped_data(capsys):
    result = run(capsys, "directory", "show", "HT")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("HT  Haiti / ")
    assert "[illustrative]" in result.stdout
    assert "never dial or write to them" in result.stdout


# Every state -----------------------------------------------------------------------------------


def noted(state, role: str) -> bool:
    """Whether a state note is about the role: it starts with the role ("refugee-status: ...",
    "SAR: ...") or says "Missing role: refugee-status"."""
    pattern = rf"^(missing role: )?{re.escape(role)}\b"
    return any(re.match(pattern, note, flags=re.IGNORECASE) for note in state.notes)


def own_agencies(directory: Directory, code: str, role: str):
    return [a for a in directory.agencies(state=code, role=role) if a.located_in in (None, code)]


@pytest.mark.parametrize("code", TEN)
def test_every_state_has_the_roles_routing_needs_or_a_note_naming_the_gap(directory, code):
    state = directory.state(code)
    missing = []
    for role in REQUIRED_ROLES:
        if own_agencies(directory, code, role):
            continue
        if role == "sar" and directory.rccs_for(code):
            continue  # a foreign RCC's region covers its waters
        if not noted(state, role):
            missing.append(role)
    assert missing == [], f"{code}: no agency and no state note for {missing}"


@pytest.mark.parametrize("code", TEN)
@pytest.mark.parametrize("role", ["sar", "maritime-law-enforcement"])
def test_every_state_has_a_24_7_duty_contact(directory, code, role):
    agencies = own_agencies(directory, code, role)
    if role == "sar" and not agencies:
        agencies = directory.rccs_for(code)
    duty = [
        f"{agency.id}/{contact.id}"
        for agency in agencies
        for contact in agency.contacts
        if contact.kind == "duty"
        and any(
            (hours := directory.channel_hours(agency, channel)) is not None and hours.always
            for channel in contact.channels
        )
    ]
    assert duty, f"{code}: no 24/7 duty contact for {role} among {[a.id for a in agencies]}"


@pytest.mark.parametrize("code", TEN)
def test_a_sar_region_covers_every_states_waters(directory, code):
    rccs = directory.rccs_for(code)
    assert rccs, f"no SAR region covers {code}"
    assert all("sar" in rcc.roles for rcc in rccs)


@pytest.mark.parametrize("code", TEN)
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


@pytest.mark.parametrize("code", TEN)
def test_time_zones_are_those_of_the_design(directory, code):
    assert list(directory.state(code).timezones) == TIMEZONES[code]


def uncertain_with_a_note(claims) -> bool:
    return claims.status == "uncertain" and bool(claims.notes)


@pytest.mark.parametrize("code", TEN)
def test_territorial_sea_is_12_nautical_miles(directory, code):
    assert directory.state(code).maritime.territorial_sea_nm == 12


@pytest.mark.parametrize("code", sorted(CONTIGUOUS_ZONE_24))
def test_contiguous_zone_is_24_nautical_miles(directory, code):
    claims = directory.state(code).maritime
    assert claims.contiguous_zone_nm == 24 or uncertain_with_a_note(claims)


@pytest.mark.parametrize("code", TEN)
def test_archipelagic_states_are_bs_do_jm(directory, code):
    claims = directory.state(code).maritime
    assert claims.archipelagic == (code in ARCHIPELAGIC) or uncertain_with_a_note(claims)


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
    ],
)
def test_agencies_named_in_public_sources_are_in_the_directory(directory, code, term, role):
    found = [a for a in directory.search(term) if a.state == code]
    if role is not None:
        found = [a for a in found if role in a.roles]
    assert found, f"{code}: no agency matching {term!r} with role {role}"


# Regional partners, agreements, consular channels ----------------------------------------------


@pytest.mark.parametrize("role", ["protection-partner", "migration-partner"])
@pytest.mark.parametrize("code", TEN)
def test_every_state_is_served_by_unhcr_and_iom(directory, code, role):
    assert directory.agencies(role=role, serving=code), f"no {role} serves {code}"


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


def test_the_caricom_maritime_security_agreement_is_not_applied_as_in_force(directory):
    found = [a for a in directory.all_agreements() if "caricom" in (a.id + a.title).lower()]
    assert found
    assert all(a.status != "in-force" or a.notes for a in found)


CONSULAR_PAIRS = [
    (nationality, receiving)
    for nationality in (*TEN, *COMMON_NATIONALITIES)
    for receiving in TEN
    if nationality != receiving
]


NO_RECORD = re.compile(
    r"^# No record for ([A-Z]{2}) -> ([A-Z, ]+) \(checked (\d{4}-\d{2}-\d{2})\)", re.M
)


def documented_gaps() -> set[tuple[str, str]]:
    """Pairs that a nationality's consular file says it records nothing for, and why: a "none"
    needs negative evidence, and where none was found the file says what was checked."""
    gaps = set()
    for path in (DATA / "consular").glob("*.toml"):
        for nationality, receiving, _ in NO_RECORD.findall(path.read_text(encoding="utf-8")):
            gaps |= {(nationality, code.strip()) for code in receiving.split(",")}
    return gaps


def test_every_nationality_has_a_consular_record_in_every_state_or_a_documented_gap(directory):
    """A mission, a concurrent accreditation, an honorary consul, a proven "none", or a
    comment in the nationality's file saying what was checked: the directory is never silent
    without saying why."""
    gaps = documented_gaps()
    silent = [
        f"{n}->{r}"
        for n, r in CONSULAR_PAIRS
        if not directory.consular_channels(nationality=n, receiving=r) and (n, r) not in gaps
    ]
    assert silent == [], f"{len(silent)} pairs without a consular record: {', '.join(silent)}"


def test_a_documented_gap_is_not_also_a_record(directory):
    stale_gaps = [
        f"{n}->{r}"
        for n, r in sorted(documented_gaps())
        if directory.consular_channels(nationality=n, receiving=r)
    ]
    assert stale_gaps == []


def test_the_high_commission_in_kingston_serves_indians_in_the_turks_and_caicos(capsys):
    result = run(capsys, "consular", "--nationality", "IN", "--in", "TC", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "in-emb-kingston" in result.stdout


def test_no_two_unrelated_agencies_share_a_number(directory):
    assert directory.warnings == []


# Confidence no higher than the source ---------------------------------------------------------


def all_official_domains(directory) -> tuple[str, ...]:
    from somnet._evidence import FOREIGN_OFFICIAL_DOMAINS

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


@pytest.mark.parametrize("code", TEN)
def test_every_state_lists_its_official_domains(directory, code):
    assert directory.state(code).official_domains


#: Records whose one source is a copy of a primary text on a site that is not official: a
#: person judged them (data/README.md, "Sources"); the test below checks they still need it.
READ_AS_PRIMARY = {
    "agreement us-do-sar-2003": "TIAS 03-521, the agreement as the Department of State published "
    "it (copy on vdocument.in)",
    "agency gb-fcdo-london": "the FCDO's own guide to its consular support (copy on docslib.org)",
}


def test_every_confirmed_record_rests_on_an_official_source_or_two_independent_ones(directory):
    """What can be checked mechanically of 'confidence no higher than the source': a url on an
    official domain (a state's list, an international organisation, a public-sector domain),
    or urls on two independent hosts that are not encyclopaedia mirrors."""
    from somnet._evidence import confirmation_problem

    domains = all_official_domains(directory)
    weak = {
        what: problem
        for what, sources in asserted_records(directory)
        if (problem := confirmation_problem(sources, domains))
    }
    unjudged = [f"{w}: {problem}" for w, problem in weak.items() if w not in READ_AS_PRIMARY]
    assert unjudged == [], f"{len(unjudged)} beyond their sources:\n" + "\n".join(unjudged)
    assert sorted(READ_AS_PRIMARY) == sorted(w for w in weak if w in READ_AS_PRIMARY)
