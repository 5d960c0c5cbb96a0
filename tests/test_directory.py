"""The Directory's indexes: the questions routing and meetings ask of it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

from somnet import Directory, UnknownCodeError, load_directory
from somnet.directory.hours import parse_hours
from somnet.directory.lookup import years_before
from somnet.directory.records import ConsularChannel, SarRegion, Source
from tests.factories import (
    PUBLISHED,
    STALE_VERIFIED,
    TODAY,
    VERIFIED,
    make_directory,
    sample_files,
    write_layer,
)


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    folder = make_directory(tmp_path_factory.mktemp("directory") / "base")
    return load_directory(base=folder, use_env=False, today=TODAY)


def ids(records) -> list[str]:
    return [r.id for r in records]


def rebuilt(directory: Directory, **changes) -> Directory:
    """The same records with some kinds replaced, as a new Directory."""
    records = {
        "states": list(directory.states.values()),
        "agencies": directory.all_agencies(),
        "agreements": directory.all_agreements(),
        "consular": list(directory.consular),
        "sar_regions": list(directory.sar_regions),
    }
    records.update(changes)
    return Directory(**records)


SOURCE = (Source(title="Official page"),)


# Records by id ----------------------------------------------------------------------------------


def test_records_are_found_by_id(directory):
    assert directory.state("BS").names.en == "The Bahamas"
    assert directory.agency("bs-rbdf").acronym == "RBDF"
    agency, contact = directory.contact("us-rcc-miami-duty")
    assert agency.id == "us-rcc-miami"
    assert contact.name == "RCC Miami watch"
    assert directory.agreement("us-ht-interdiction-1981").parties == ("US", "HT")


def test_unknown_ids_give_none(directory):
    assert directory.state("JM") is None
    assert directory.agency("jm-jdf") is None
    assert directory.contact("bs-rbdf") is None  # an agency id is not a contact id
    assert directory.agreement("nope") is None


def test_all_agencies_are_ordered_by_state_then_id(directory):
    assert ids(directory.all_agencies()) == [
        "bs-immigration",
        "bs-mofa",
        "bs-rbdf",
        "ht-cons-miami",
        "ht-emb-bs",
        "ht-garde-cotes",
        "ht-onm",
        "ht-pnh",
        "us-rcc-miami",
        "us-uscg-d7",
    ]


def test_contacts_come_with_their_agency_in_a_stable_order(directory):
    pairs = [(a.id, c.id) for a, c in directory.contacts()]
    assert pairs[:3] == [
        ("bs-immigration", "bs-immigration-desk"),
        ("bs-mofa", "bs-mofa-desk"),
        ("bs-rbdf", "bs-rbdf-ops"),
    ]
    assert len(pairs) == 8


def test_the_main_time_zone_of_a_state_is_the_first_listed(directory):
    assert directory.state("US").timezones == ("America/New_York", "America/Puerto_Rico")
    assert directory.state("US").timezone == "America/New_York"


# Agencies by role, state and the state they serve -----------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("BS", date(2027, 2, 28)),
        ("HT", date(2027, 2, 28)),
        ("KY", date(2027, 3, 1)),
        (None, date(2027, 3, 1)),
    ],
)
def test_today_is_read_on_the_states_clock_else_in_utc(directory, code, expected):
    """03:00 UTC on 1 March is still 28 February in Nassau and Port-au-Prince; a state the
    directory does not hold, or none, gets the UTC date."""
    assert directory.today_in(code, datetime(2027, 3, 1, 3, 0, tzinfo=UTC)) == expected


def test_agencies_by_role(directory):
    assert ids(directory.agencies(role="maritime-law-enforcement")) == [
        "bs-rbdf",
        "ht-garde-cotes",
        "us-uscg-d7",
    ]
    assert ids(directory.agencies(role="sar")) == ["us-rcc-miami"]
    assert directory.agencies(role="child-protection") == []


def test_agencies_by_state_include_its_missions_abroad(directory):
    assert ids(directory.agencies(state="HT")) == [
        "ht-cons-miami",
        "ht-emb-bs",
        "ht-garde-cotes",
        "ht-onm",
        "ht-pnh",
    ]
    assert ids(directory.agencies(state="HT", role="consular")) == ["ht-cons-miami", "ht-emb-bs"]
    assert ids(directory.agencies(state="BS", role="som-art8-authority")) == ["bs-rbdf"]


def test_agencies_serving_a_state_include_foreign_missions_there(directory):
    serving_bs = ids(directory.agencies(serving="BS"))
    assert serving_bs == ["bs-immigration", "bs-mofa", "bs-rbdf", "ht-emb-bs"]
    assert ids(directory.agencies(role="consular", serving="US")) == ["ht-cons-miami"]


def test_a_mission_abroad_does_not_serve_its_own_state(directory):
    serving_ht = ids(directory.agencies(serving="HT"))
    assert "ht-emb-bs" not in serving_ht
    assert "ht-cons-miami" not in serving_ht
    assert serving_ht == ["ht-garde-cotes", "ht-onm", "ht-pnh"]


def test_confirmed_agencies_come_before_uncertain_ones(directory):
    uncertain = attrs.evolve(directory.agency("bs-immigration"), status="uncertain")
    others = [a for a in directory.all_agencies() if a.id != "bs-immigration"]
    changed = rebuilt(directory, agencies=[*others, uncertain])
    assert ids(changed.agencies(state="BS")) == ["bs-mofa", "bs-rbdf", "bs-immigration"]


# Consular channels --------------------------------------------------------------------------------


def channel(kind: str, mission: str | None, *, status: str = "confirmed", receiving=("US",)):
    return ConsularChannel(
        nationality="HT",
        receiving=tuple(receiving),
        type=kind,
        mission=mission,
        status=status,
        sources=SOURCE,
        last_verified=VERIFIED,
    )


def test_consular_channel_of_a_resident_embassy(directory):
    found = directory.consular_channels(nationality="HT", receiving="BS")
    assert [(c.type, c.mission) for c in found] == [("embassy", "ht-emb-bs")]


def test_consular_channels_are_ordered_embassy_consulate_concurrent_honorary():
    records = [
        channel("honorary", "ht-hon-ny"),
        channel("concurrent", "ht-emb-ca"),
        channel("none", None),
        channel("consulate", "ht-cons-miami"),
        channel("embassy", "ht-emb-us", status="uncertain"),
        channel("embassy", "ht-emb-us-2"),
    ]
    directory = Directory(states=[], agencies=[], agreements=[], consular=records, sar_regions=[])
    found = directory.consular_channels(nationality="HT", receiving="US")
    assert [(c.type, c.mission) for c in found] == [
        ("embassy", "ht-emb-us-2"),
        ("embassy", "ht-emb-us"),
        ("consulate", "ht-cons-miami"),
        ("concurrent", "ht-emb-ca"),
        ("honorary", "ht-hon-ny"),
        ("none", None),
    ]


def test_no_mission_is_recorded_explicitly(directory):
    for receiving in ("BS", "HT"):
        found = directory.consular_channels(nationality="ER", receiving=receiving)
        assert [(c.type, c.mission) for c in found] == [("none", None)]


def test_a_silent_directory_gives_no_consular_channel(directory):
    assert directory.consular_channels(nationality="ER", receiving="US") == []
    assert directory.consular_channels(nationality="CU", receiving="BS") == []
    assert directory.consular_channels(nationality="BS", receiving="HT") == []


def test_a_mission_covering_several_states_is_found_for_each():
    directory = Directory(
        states=[],
        agencies=[],
        agreements=[],
        consular=[channel("concurrent", "ht-emb-jm", receiving=("JM", "TC", "KY"))],
        sar_regions=[],
    )
    for receiving in ("JM", "TC", "KY"):
        assert len(directory.consular_channels(nationality="HT", receiving=receiving)) == 1
    assert directory.consular_channels(nationality="HT", receiving="BS") == []


# Agreements --------------------------------------------------------------------------------------


def test_agreements_between_two_states_in_either_order(directory):
    assert ids(directory.agreements_between("US", "HT")) == ["us-ht-interdiction-1981"]
    assert ids(directory.agreements_between("HT", "US")) == ["us-ht-interdiction-1981"]
    assert directory.agreements_between("BS", "HT") == []


def test_agreements_between_filtered_by_kind(directory):
    assert ids(directory.agreements_between("US", "BS", kind="interdiction")) == [
        "us-bs-maritime-2004"
    ]
    assert directory.agreements_between("US", "BS", kind="repatriation") == []


def test_agreements_are_listed_oldest_first(directory):
    assert ids(directory.all_agreements()) == ["us-ht-interdiction-1981", "us-bs-maritime-2004"]
    assert ids(directory.agreements_of("US")) == ["us-ht-interdiction-1981", "us-bs-maritime-2004"]
    assert ids(directory.agreements_of("BS")) == ["us-bs-maritime-2004"]
    assert directory.agreements_of("US", kind="sar") == []


def test_an_agreement_without_a_signature_date_is_placed_by_its_entry_into_force_else_last(
    directory,
):
    """Oldest first: one whose signature is not recorded is not the oldest (the shipped 2024
    tripartite agreement was listed before the 1981 one). It is placed by its entry into
    force, and with neither date after every dated one."""
    old = directory.agreement("us-ht-interdiction-1981")
    in_force_only = attrs.evolve(
        directory.agreement("us-bs-maritime-2004"), signed=None, in_force=date(1990, 1, 1)
    )
    changed = rebuilt(directory, agreements=[old, in_force_only])
    assert ids(changed.all_agreements()) == ["us-ht-interdiction-1981", "us-bs-maritime-2004"]
    undated = attrs.evolve(in_force_only, in_force=None)
    changed = rebuilt(directory, agreements=[undated, old])
    assert ids(changed.all_agreements()) == ["us-ht-interdiction-1981", "us-bs-maritime-2004"]
    assert ids(changed.agreements_of("US")) == ["us-ht-interdiction-1981", "us-bs-maritime-2004"]


# SAR regions -------------------------------------------------------------------------------------


def test_the_rcc_for_a_states_waters(directory):
    assert ids(directory.rccs_for("BS")) == ["us-rcc-miami"]
    assert ids(directory.rccs_for("US")) == ["us-rcc-miami"]
    assert directory.rccs_for("HT") == []
    assert [r.id for r in directory.sar_regions_for("BS")] == ["srr-miami"]


def test_confirmed_sar_regions_come_first_and_an_rcc_is_named_once(directory):
    def region(region_id: str, rcc: str, status: str = "confirmed") -> SarRegion:
        return SarRegion(
            id=region_id,
            name=region_id,
            rcc=rcc,
            covers=("HT",),
            status=status,
            sources=SOURCE,
            last_verified=VERIFIED,
        )

    second_rcc = attrs.evolve(directory.agency("us-rcc-miami"), id="us-rcc-san-juan")
    changed = rebuilt(
        directory,
        agencies=[*directory.all_agencies(), second_rcc],
        sar_regions=[
            region("a-uncertain", "us-rcc-san-juan", status="uncertain"),
            region("b-miami", "us-rcc-miami"),
            region("c-miami-again", "us-rcc-miami"),
        ],
    )
    assert ids(changed.rccs_for("HT")) == ["us-rcc-miami", "us-rcc-san-juan"]


# Time zones and hours ---------------------------------------------------------------------------


def test_an_agency_keeps_the_time_zone_of_where_it_sits(directory):
    assert directory.agency_timezone(directory.agency("bs-rbdf")) == "America/Nassau"
    assert directory.agency_timezone(directory.agency("ht-onm")) == "America/Port-au-Prince"
    # The Haitian embassy in Nassau keeps Nassau time; the Miami consulate names its own zone.
    assert directory.agency_timezone(directory.agency("ht-emb-bs")) == "America/Nassau"
    assert directory.agency_timezone(directory.agency("ht-cons-miami")) == "America/New_York"


def test_agency_hours_default_to_those_of_the_state_it_sits_in(directory):
    immigration = directory.agency("bs-immigration")
    assert str(directory.agency_hours(immigration)) == "Mo-Th 09:00-17:00; Fr 09:00-16:00"
    assert directory.agency_hours(directory.agency("ht-onm")) == parse_hours("Mo-Fr 09:00-17:00")
    assert (
        directory.agency_hours(directory.agency("ht-emb-bs")) == directory.state("BS").working_hours
    )


def test_a_channel_is_answered_in_its_own_hours_else_the_agencys(directory):
    rbdf = directory.agency("bs-rbdf")
    phone, email = rbdf.contacts[0].channels
    assert directory.channel_hours(rbdf, phone).always
    assert directory.channel_hours(rbdf, email) == directory.state("BS").working_hours


# Search and stale contacts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rbdf", ["bs-rbdf"]),  # acronym (and id), any case
        ("RBDF", ["bs-rbdf"]),
        ("coast guard", ["ht-garde-cotes", "us-uscg-d7"]),  # English name
        ("Garde-côtes", ["ht-garde-cotes"]),  # official name
        # Accents and case as an officer types them: without accents, or with other ones.
        ("police nationale d'haiti", ["ht-pnh"]),
        ("GARDE-COTES D'HAITI", ["ht-garde-cotes"]),
        ("Políce Natíonale", ["ht-pnh"]),
        ("d'haiti", ["ht-cons-miami", "ht-emb-bs", "ht-garde-cotes", "ht-pnh"]),
        ("d\u2019Haïti", ["ht-cons-miami", "ht-emb-bs", "ht-garde-cotes", "ht-pnh"]),  # typeset
        ("coast  guard", ["ht-garde-cotes", "us-uscg-d7"]),  # spaces inside
        # A role or a hyphenated name typed as words, and the reverse.
        ("refugee status", ["bs-immigration"]),
        ("garde cotes", ["ht-garde-cotes"]),
        ("coast-guard", ["ht-garde-cotes", "us-uscg-d7"]),
        # A role by its name in any language somnet speaks, as text output shows it.
        ("statut de réfugié", ["bs-immigration"]),
        ("condicion de refugiado", ["bs-immigration"]),
        ("refugee-status", ["bs-immigration"]),  # role
        ("Returns desk", ["ht-onm"]),  # a contact's title
        ("RCC Miami watch", ["us-rcc-miami"]),  # a contact's name
        ("  onm  ", ["ht-onm"]),  # surrounding spaces
        ("no such agency", []),
        ("", []),
        ("   ", []),
    ],
)
def test_search_by_name_acronym_role_or_contact(directory, text, expected):
    assert ids(directory.search(text)) == expected


@pytest.mark.parametrize(
    "text",
    ["garde-\u200bcotes", "Garde-C\u00f4\u00adtes", "\u2060garde cotes", "garde\ufeff-cotes"],
)
def test_search_reads_no_invisible_character(tmp_path: Path, text: str) -> None:
    """A name holding a zero-width space, a soft hyphen or a word joiner (pasted from a web
    page) was found by no search typed as it reads ("Garde-Côtes"), and a search pasted with
    one found nothing: what cannot be seen is not compared."""
    files = sample_files()
    agency = next(a for a in files["states/HT.toml"]["agencies"] if a["id"] == "ht-garde-cotes")
    agency["name"] = agency["name"].replace("Garde-côtes", "Garde\u00ad-c\u00f4\u200btes", 1)
    assert "\u200b" in agency["name"]
    loaded = load_directory(base=write_layer(tmp_path / "base", files), use_env=False, today=TODAY)
    assert "ht-garde-cotes" in ids(loaded.search(text))
    assert "ht-garde-cotes" in ids(loaded.search("Garde-Côtes"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A telephone number, as an officer holding it writes it: with its country code or
        # without, with spaces, hyphens, dots or brackets, or its digits alone.
        ("+1 242 555 0100", ["bs-rbdf"]),
        ("+1-242-555-0100", ["bs-rbdf"]),
        ("12425550100", ["bs-rbdf"]),
        ("+12425550100", ["bs-rbdf"]),
        ("(242) 555-0100", ["bs-rbdf"]),
        ("242.555.0100", ["bs-rbdf"]),
        ("1 (305) 555-0101", ["us-rcc-miami"]),
        ("011 1 305 555 0101", ["us-rcc-miami"]),  # dialled from the United States
        ("+1 242 \u0665\u0665\u0665 0100", ["bs-rbdf"]),  # digits of another script
        # The end of a number: every number it ends.
        ("555-0100", ["bs-rbdf", "us-uscg-d7"]),
        # Not the same number: another line, another country code with the same digits.
        ("+1 242 555 0199", []),
        ("+44 242 555 0100", []),
        ("+1 242 555", []),
        # An e-mail address, in any case, or part of one.
        ("ops@rbdf.example.org", ["bs-rbdf"]),
        ("OPS@RBDF.Example.ORG", ["bs-rbdf"]),
        ("Retours@ONM", ["ht-onm"]),
        ("enforcement@", ["bs-immigration"]),
    ],
)
def test_search_by_telephone_number_or_email_address(directory, text, expected):
    """An officer holding a number or an address wants to know whose it is: search found
    neither (it read names, roles and contacts' names only)."""
    assert ids(directory.search(text)) == expected


def test_stale_contacts_are_those_verified_before_the_limit(directory):
    found = directory.stale_contacts(days=365, today=TODAY)
    assert [(a.id, c.id) for a, c in found] == [("bs-immigration", "bs-immigration-desk")]


def test_a_contact_verified_exactly_at_the_limit_is_not_stale(directory):
    age = (TODAY - STALE_VERIFIED).days
    assert directory.stale_contacts(days=age, today=TODAY) == []
    assert len(directory.stale_contacts(days=age - 1, today=TODAY)) == 1


def test_with_a_limit_of_zero_days_every_contact_verified_before_today_is_stale(directory):
    assert len(directory.stale_contacts(days=0, today=TODAY)) == 8
    assert directory.stale_contacts(days=0, today=VERIFIED - timedelta(days=1)) == [
        (a, c) for a, c in directory.contacts() if c.last_verified < VERIFIED - timedelta(days=1)
    ]


# Unverified records and old evidence ----------------------------------------------------------


def with_sources(tmp_path: Path, **sources: list[dict[str, Any]]) -> Directory:
    """The sample directory with these BS agencies' sources replaced."""
    files = sample_files()
    for agency in files["states/BS.toml"]["agencies"]:
        if agency["id"] in sources:
            agency["sources"] = sources[agency["id"]]
    return load_directory(base=write_layer(tmp_path, files), use_env=False, today=TODAY)


def test_every_kind_of_record_that_is_verified_can_be_unverified(directory):
    kinds = {r.kind for r in directory.unverified(days=0, today=TODAY)}
    assert kinds == {"state", "agency", "contact", "agreement", "consular", "sar-region"}


def test_maritime_claims_and_the_protocol_status_are_verified_with_their_state(directory):
    records = directory.dated_records()
    claims = [r for r in records if r.kind in ("maritime-claims", "som-protocol")]
    assert {r.id for r in claims} == {"BS", "HT", "US"}
    assert not any(r.verified_on_its_own for r in claims)


def test_unverified_records_are_those_verified_before_the_limit_the_oldest_first(directory):
    found = directory.unverified(days=365, today=TODAY)
    assert [(r.kind, r.id, r.agency) for r in found] == [
        ("contact", "bs-immigration-desk", "bs-immigration")
    ]
    everything = directory.unverified(days=0, today=TODAY)
    assert everything[0].id == "bs-immigration-desk"
    assert len(everything) == len([r for r in directory.dated_records() if r.verified_on_its_own])


def test_recent_evidence_is_not_old(directory):
    assert directory.old_evidence(years=5, today=TODAY) == []
    assert all(r.newest_evidence == PUBLISHED for r in directory.dated_records() if r.sources)


def test_a_record_whose_newest_evidence_is_older_than_the_limit_is_reported(tmp_path: Path):
    old = {"title": "Old page", "url": "https://example.gov/old", "published": date(2015, 1, 1)}
    older = {
        "title": "Older page",
        "url": "https://example.gov/older",
        "published": date(2010, 6, 1),
    }
    directory = with_sources(tmp_path, **{"bs-rbdf": [old, older]})
    [found] = directory.old_evidence(years=5, today=TODAY)
    assert (found.kind, found.id, found.newest_evidence) == ("agency", "bs-rbdf", date(2015, 1, 1))
    assert directory.old_evidence(years=12, today=TODAY) == []


def test_as_of_counts_as_evidence_and_the_newest_date_wins(tmp_path: Path):
    seen = {"title": "Undated page", "url": "https://example.gov/p", "as_of": date(2025, 1, 1)}
    old = {"title": "Old law", "url": "https://example.gov/law", "published": date(1990, 1, 1)}
    directory = with_sources(tmp_path, **{"bs-rbdf": [old, seen]})
    assert directory.old_evidence(years=5, today=TODAY) == []


def test_a_record_without_any_dated_source_is_reported_first(tmp_path: Path):
    undated = {"title": "Undated page", "url": "https://example.gov/undated"}
    old = {"title": "Old page", "url": "https://example.gov/old", "published": date(2001, 1, 1)}
    directory = with_sources(tmp_path, **{"bs-rbdf": [old], "bs-immigration": [undated]})
    found = directory.old_evidence(years=5, today=TODAY)
    assert [(r.id, r.newest_evidence) for r in found] == [
        ("bs-immigration", None),
        ("bs-rbdf", date(2001, 1, 1)),
    ]


def test_evidence_exactly_at_the_limit_is_not_old(tmp_path: Path):
    exact = {"title": "Page", "url": "https://example.gov/p", "published": date(2021, 11, 27)}
    directory = with_sources(tmp_path, **{"bs-rbdf": [exact]})
    assert directory.old_evidence(years=5, today=TODAY) == []
    assert [r.id for r in directory.old_evidence(years=5, today=date(2026, 11, 28))] == ["bs-rbdf"]


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2026, 11, 27), 5, date(2021, 11, 27)),
        (date(2024, 2, 29), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 4, date(2020, 2, 29)),
        (date(2026, 11, 27), 0, date(2026, 11, 27)),
        (date(2026, 11, 27), 10**6, date.min),
    ],
)
def test_years_before(day, years, expected):
    assert years_before(day, years) == expected


def test_the_directory_remembers_its_layers(tmp_path: Path):
    base = make_directory(tmp_path / "base")
    assert load_directory(base=base, use_env=False, today=TODAY).layers == (base,)


# State codes as a library user writes them -----------------------------------------------------


@pytest.mark.parametrize(
    ("ask", "code"),
    [
        (lambda d, c: d.state(c), "HT"),
        (lambda d, c: d.today_in(c, datetime(2026, 11, 27, 3, 0, tzinfo=UTC)), "HT"),
        (lambda d, c: ids(d.agencies(state=c)), "HT"),
        (lambda d, c: ids(d.agencies(serving=c, role="consular")), "BS"),
        (lambda d, c: ids(d.agencies(state="HT", serving=c)), "BS"),
        (lambda d, c: d.serves(d.agency("ht-emb-bs"), c), "BS"),
        (lambda d, c: d.consular_channels(nationality=c, receiving="BS"), "HT"),
        (lambda d, c: d.consular_channels(nationality="HT", receiving=c), "BS"),
        (lambda d, c: d.sovereign_of(c), "HT"),
        (lambda d, c: d.same_state(c, "HT"), "HT"),
        (lambda d, c: d.foreign_ministry(c), "BS"),
        (lambda d, c: ids(d.at_home(c, "maritime-law-enforcement")), "HT"),
        (lambda d, c: ids(d.agreements_between(c, "US")), "HT"),
        (lambda d, c: ids(d.agreements_between("US", c, extended=True)), "HT"),
        (lambda d, c: ids(d.agreements_of(c)), "HT"),
        (lambda d, c: ids(d.agreements_of(c, extended=True)), "HT"),
        (lambda d, c: ids(d.rccs_for(c)), "BS"),
        (lambda d, c: ids(d.sar_regions_for(c)), "BS"),
        (lambda d, c: d.public_holidays(c, 2026), "HT"),
    ],
)
def test_a_state_code_in_lower_case_is_the_same_state(
    directory: Directory, ask: Any, code: str
) -> None:
    """Every look-up of a state answers ``ht`` as it answers ``HT``, as the library's other
    entry points (an interception, a consular look-up) read a code: a library user who
    passes what an officer typed must not be told that Haiti has no agency."""
    assert ask(directory, code) not in (None, [], (), False)  # the question has an answer
    assert ask(directory, code.lower()) == ask(directory, code)


# Hours of a post abroad --------------------------------------------------------------------------


def _post_where_no_file_is(folder: Path) -> Path:
    """An overlay of the routing fixture: an embassy of the Dominican Republic in Ottawa, which
    serves the Bahamas concurrently, with its zone and no hours of its own; the directory holds
    no file of Canada."""
    from tests.routing_fixture import SOURCE, VERIFIED

    folder.mkdir(parents=True)
    (folder / "ottawa.toml").write_text(
        f"""
[[agencies]]
id = "do-emb-ottawa"
state = "DO"
name = "Embajada en Ottawa"
name_en = "Embassy in Ottawa"
roles = ["consular"]
located_in = "CA"
timezone = "America/Toronto"
covers = ["BS"]
last_verified = {VERIFIED}
sources = {SOURCE}
[[agencies.contacts]]
id = "do-emb-ottawa-desk"
kind = "desk"
languages = ["es"]
last_verified = {VERIFIED}
illustrative = true
[[agencies.contacts.channels]]
kind = "email"
value = "do-emb-ottawa@example.org"

[[consular]]
nationality = "DO"
receiving = ["BS"]
type = "concurrent"
mission = "do-emb-ottawa"
last_verified = {VERIFIED}
sources = {SOURCE}
""",
        encoding="utf-8",
    )
    return folder


def test_a_post_where_the_directory_holds_no_file_keeps_no_hours_of_its_sending_state(
    tmp_path: Path,
) -> None:
    """A post abroad with its own zone and no hours of its own, in a place the directory holds
    no file of (an embassy in Ottawa): its hours were its sending state's, read on Ottawa's
    clock, and the contact plan said "open now" on them. Its hours are unknown (those of
    where it sits are), and the plan says so rather than open or closed."""
    from tests.routing_fixture import plan, steps, write_routing_directory

    base = write_routing_directory(tmp_path / "base")
    overlay = _post_where_no_file_is(tmp_path / "overlay")
    directory = load_directory(base=base, overlays=[overlay], use_env=False, today=TODAY)
    post = directory.agency("do-emb-ottawa")
    assert post is not None and directory.state("DO") is not None
    assert directory.agency_hours(post) is None
    assert directory.channel_hours(post, post.contacts[0].channels[0]) is None
    # A post that sits where the directory holds a file keeps that place's hours.
    nassau = directory.agency("do-hon-nassau")
    assert nassau is not None
    assert directory.agency_hours(nassau) == directory.states["BS"].working_hours
    [step] = steps(
        plan(
            directory,
            flag="DO",
            zone="territorial",
            coastal="BS",
            acting="BS",
            nationalities=["DO"],
        ),
        "consular-access",
    )
    assert step["agency"]["id"] == "do-emb-ottawa"
    [channel] = step["contacts"][0]["channels"]
    assert channel["available"] is False and channel["next_available"] is None


def test_a_look_up_without_a_code_still_finds_nothing(directory: Directory) -> None:
    """Callers that have no code (None) were answered "none" before codes were read in
    either case, and still are."""
    assert directory.state(None) is None  # type: ignore[arg-type]
    assert directory.rccs_for(None) == []  # type: ignore[arg-type]
    assert directory.same_state(None, "HT") is False


# State codes a script gives a look-up ------------------------------------------------------------

#: Every public look-up of a Directory that takes a state code: how to call it with ``code``
#: in the named parameter, and what it answers for a well-formed code the directory does not
#: hold (JM in the sample directory): nothing recorded.
_CODE_LOOKUPS: dict[tuple[str, str], tuple[Any, Any]] = {
    ("state", "code"): (lambda d, c: d.state(c), None),
    ("today_in", "code"): (
        lambda d, c: d.today_in(c, datetime(2027, 3, 1, 3, 0, tzinfo=UTC)),
        date(2027, 3, 1),
    ),
    ("agencies", "state"): (lambda d, c: d.agencies(state=c), []),
    ("agencies", "serving"): (lambda d, c: d.agencies(serving=c), []),
    ("serves", "state"): (lambda d, c: d.serves(d.agency("bs-rbdf"), c), False),
    ("consular_channels", "nationality"): (
        lambda d, c: d.consular_channels(nationality=c, receiving="BS"),
        [],
    ),
    ("consular_channels", "receiving"): (
        lambda d, c: d.consular_channels(nationality="HT", receiving=c),
        [],
    ),
    ("sovereign_of", "code"): (lambda d, c: d.sovereign_of(c), "JM"),
    ("same_state", "first"): (lambda d, c: d.same_state(c, "BS"), False),
    ("same_state", "second"): (lambda d, c: d.same_state("BS", c), False),
    ("foreign_ministry", "code"): (lambda d, c: d.foreign_ministry(c), None),
    ("at_home", "state"): (lambda d, c: d.at_home(c, "sar"), []),
    ("notification_mandatory", "detaining"): (
        lambda d, c: d.notification_mandatory(c, "HT"),
        None,
    ),
    ("notification_mandatory", "nationality"): (
        lambda d, c: d.notification_mandatory("BS", c),
        None,
    ),
    ("agreements_between", "first"): (lambda d, c: d.agreements_between(c, "US"), []),
    ("agreements_between", "second"): (lambda d, c: d.agreements_between("US", c), []),
    ("agreements_of", "state"): (lambda d, c: d.agreements_of(c), []),
    ("rccs_for", "state"): (lambda d, c: d.rccs_for(c), []),
    ("sar_regions_for", "state"): (lambda d, c: d.sar_regions_for(c), []),
    ("public_holidays", "code"): (lambda d, c: d.public_holidays(c, 2026) is not None, True),
    ("treaty_status", "code"): (lambda d, c: d.treaty_status(c, "unclos"), None),
}


def test_every_look_up_that_takes_a_state_code_is_checked_here():
    import inspect

    codes = {"code", "state", "serving", "nationality", "receiving", "detaining", "first", "second"}
    taking = {
        (name, parameter)
        for name, method in inspect.getmembers(Directory, inspect.isfunction)
        if not name.startswith("_")
        for parameter in inspect.signature(method).parameters
        if parameter in codes
    }
    assert taking == set(_CODE_LOOKUPS)


@pytest.mark.parametrize("code", ["USA", "ZZ", "", "H", "H T", 509, b"HT"])
@pytest.mark.parametrize("lookup", sorted(_CODE_LOOKUPS), ids=lambda x: "-".join(x))
def test_a_look_up_refuses_a_code_that_names_no_state_naming_the_parameter(directory, lookup, code):
    # notification_mandatory("USA", "CN") (a typo) answered None, read as "no duty"; every
    # look-up answered a code that is no ISO 3166-1 code as one the directory does not hold.
    call, _nothing = _CODE_LOOKUPS[lookup]
    with pytest.raises(UnknownCodeError) as raised:
        call(directory, code)
    assert raised.value.field == lookup[1]
    assert raised.value.value == code


@pytest.mark.parametrize("lookup", sorted(_CODE_LOOKUPS), ids=lambda x: "-".join(x))
def test_a_look_up_answers_nothing_recorded_for_a_state_the_directory_does_not_hold(
    directory, lookup
):
    call, nothing = _CODE_LOOKUPS[lookup]
    assert call(directory, "JM") == nothing
    assert call(directory, " jm") == nothing


@pytest.mark.parametrize("year", [True, "2026", 2026.0, None])
def test_public_holidays_refuses_a_year_that_is_not_a_whole_number(directory, year):
    """A bool, a text or a float was looked up as a year with no holidays (an empty calendar,
    read as "every day a working day")."""
    from somnet import BadInputError

    with pytest.raises(BadInputError) as raised:
        directory.public_holidays("BS", year)
    assert (raised.value.field, raised.value.value) == ("year", year)
    assert raised.value.reason == f"{year!r} is not a whole number"


@pytest.mark.parametrize("year", [1969, 10000, 0, -2026])
def test_public_holidays_refuses_a_year_outside_the_years_somnet_reads(directory, year):
    """The years a local date may fall in (1970-9999) when the time given to somnet is one it
    reads (1971-9998 in UTC, as ``contact --at`` reads them): outside them, an empty calendar
    was answered."""
    from somnet import BadInputError

    with pytest.raises(BadInputError) as raised:
        directory.public_holidays("BS", year)
    assert (raised.value.field, raised.value.value) == ("year", year)
    assert raised.value.reason == f"{year} is outside the years 1970-9999"


@pytest.mark.parametrize(
    "at", ["9998-12-31T23:00-05:00", "9998-12-31T23:59-12:00", "1971-01-01T00:30+00:00"]
)
def test_a_plan_at_the_edge_of_the_years_looks_up_the_holidays_of_the_local_days(
    capsys: pytest.CaptureFixture[str], at: str
) -> None:
    """A plan made at the last (or first) time somnet reads finds the offices' next opening on
    a local day of the next (or previous) year: the holidays of 9999 (or 1970) are looked up.
    The look-up's year check refused them, and the plan failed with "year: 9999 is outside
    the years 1971-9998", a flag the officer never gave."""
    from tests.cli import run

    result = run(
        capsys, "contact", "--flag", "HT", "--zone", "territorial", "--coastal", "BS",
        "--as", "BS", "--nationality", "HT,CU", "--at", at, "--brief",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "CALL LIST" in result.stdout


def test_public_holidays_is_none_for_a_year_python_holidays_has_no_calendar_of():
    """Before a state's calendar begins in python-holidays, or after it ends, python-holidays
    lists no holiday: that was answered as a year without holidays, not as no calendar."""
    import holidays

    directory = load_directory()
    calendar = type(holidays.country_holidays("BS"))
    first, last = calendar.start_year, calendar.end_year
    assert first > 1971 and last < 9998  # as of python-holidays 0.109: 1974-2100
    assert directory.public_holidays("BS", first - 1) is None
    assert directory.public_holidays("BS", last + 1) is None
    assert directory.public_holidays("BS", first)
    assert directory.public_holidays("BS", last)
