"""Each routing rule R1-R15 (docs/routing.md), with its edges, on a fixture directory whose
facts do not move."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from somnet import (
    Directory,
    InterceptionError,
    UnknownCodeError,
    consular_posts,
    load_directory,
    make_interception,
    plan_contacts,
)
from somnet.routing.plan import PURPOSE_ORDER
from somnet.routing.rules import (
    FOUND_AT_HOME_BASIS,
    ICCPR_12_4,
    R4_BASIS_IN_OWN_CONTIGUOUS_ZONE,
    R5_BASIS_IN_A_STATES_WATERS,
    R7_BASIS,
    R13_BASIS_UNDER_AGREEMENT,
    RETURN_SAFEGUARDS,
    RULES,
)
from tests.routing_fixture import AT, STALE_CONTACT, STATES, plan, steps, write_routing_directory


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    folder = write_routing_directory(tmp_path_factory.mktemp("routing"))
    return load_directory(base=folder, use_env=False)


def purposes(result: dict[str, Any]) -> list[str]:
    return [s["purpose"] for s in result["steps"]]


@pytest.mark.parametrize("field", ["flag", "coastal", "acting", "disembark"])
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_code_is_refused_naming_its_field(
    directory: Directory, field: str, value: str
) -> None:
    # None is "not known"; an empty code is a mistake (a script's unset variable), refused as
    # an empty nationality is, never read as unknown.
    with pytest.raises(UnknownCodeError) as raised:
        make_interception(zone="territorial", directory=directory, **{field: value})
    assert raised.value.field == field


# R1 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("condition", ["distress", "injured", "deaths"])
def test_r1_sar_coordination_comes_first_for_distress_injuries_or_deaths(
    directory: Directory, condition: str
) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="contiguous",
        coastal="BS",
        acting="BS",
        conditions=[condition],
        nationalities=["HT"],
    )
    first = result["steps"][0]
    assert first["purpose"] == "sar-coordination"
    assert first["rule"] == "R1"
    # The RCC whose SAR region covers the coastal state's waters, not the coastal state itself.
    assert first["agency"]["id"] == "us-rcc-miami"
    assert first["state"] == "US"
    assert first["resolved"] is True
    assert "UNCLOS art. 98" in first["basis"]


def test_r1_no_sar_step_without_distress(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="contiguous", coastal="BS", acting="BS")
    assert "sar-coordination" not in purposes(result)


def test_r1_on_the_high_seas_uses_the_acting_states_rcc(directory: Directory) -> None:
    result = plan(directory, stateless=True, zone="high-seas", acting="JM", conditions=["distress"])
    first = result["steps"][0]
    assert (first["purpose"], first["agency"]["id"]) == ("sar-coordination", "jm-jdf-cg")


def test_r1_warns_when_the_sar_regions_coverage_is_uncertain(directory: Directory) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="DO",
        acting="DO",
        conditions=["distress"],
    )
    first = result["steps"][0]
    assert first["agency"]["id"] == "do-armada"
    assert any("uncertain" in w for w in first["warnings"])
    # The record's reasoning travels with the step (text: --explain; JSON: the notes).
    assert any("limits not notified" in n for n in first["notes"])
    confirmed = plan(
        directory,
        flag="HT",
        zone="contiguous",
        coastal="BS",
        acting="BS",
        conditions=["distress"],
    )
    assert not any("uncertain" in w for w in confirmed["steps"][0]["warnings"])


def test_r1_acting_states_rcc_is_found_through_its_sar_region(directory: Directory) -> None:
    result = plan(directory, stateless=True, zone="high-seas", acting="BS", conditions=["distress"])
    first = result["steps"][0]
    assert first["agency"]["id"] == "us-rcc-miami"  # BS has no RCC; Miami's region covers it
    # Whose RCC it is, and why: not the acting state's own.
    assert not any("Acting state's RCC" in n for n in first["notes"])
    assert first["notes"][0].startswith(
        "US's RCC: the acting state, BS, coordinates no SAR region of its own, and its waters "
        "are in this RCC's region (on the high seas; it relays to the RCC responsible for the "
        "position if that is another). SAR region covering BS: "
    )
    unknown = plan(directory, stateless=True, zone="eez", acting="BS", conditions=["distress"])
    assert unknown["steps"][0]["notes"][0].startswith(
        "US's RCC: the acting state, BS, coordinates no SAR region of its own, and its waters "
        "are in this RCC's region (coastal state unknown; it relays to the RCC responsible for "
        "the position if that is another). "
    )
    own = plan(directory, stateless=True, zone="high-seas", acting="US", conditions=["distress"])
    assert own["steps"][0]["notes"][0].startswith("Acting state's RCC (on the high seas; ")


def test_r1_unresolved_when_neither_coastal_nor_acting_state_is_known(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="eez", conditions=["distress"])
    first = result["steps"][0]
    assert first["purpose"] == "sar-coordination" and first["resolved"] is False
    # What would resolve it, by field: the library never speaks in command-line flags.
    assert first["missing"] == ["coastal", "acting"]


def test_on_the_high_seas_no_unresolved_step_asks_for_the_coastal_state(
    directory: Directory,
) -> None:
    # No state's zone covers the high seas, and a coastal state is refused there: a step that
    # asked for one would send the officer to an input that cannot be given.
    result = plan(directory, stateless=True, zone="high-seas", conditions=["distress", "deaths"])
    unresolved = [s for s in result["steps"] if s["missing"]]
    assert {s["purpose"] for s in unresolved} >= {"sar-coordination", "investigation"}
    assert all("coastal" not in s["missing"] for s in unresolved)
    assert [s["missing"] for s in steps(result, "sar-coordination")] == [["acting"]]
    assert [s["missing"] for s in steps(result, "investigation")] == [["acting"]]


@pytest.mark.parametrize(
    ("zone", "missing"), [("high-seas", ["acting"]), ("territorial", ["acting", "coastal"])]
)
def test_with_a_flag_but_nobody_to_investigate_the_investigation_step_stays_unresolved(
    directory: Directory, zone: str, missing: list[str]
) -> None:
    # Smugglers aboard a Haitian boat, the acting state not given: the flag state is only
    # informed, as a concurrent jurisdiction (R12). The request to investigate, the acting
    # state's (or the coastal state's in its waters), stays in the plan, unresolved, saying
    # what would name it, as it does for a vessel without nationality.
    result = plan(directory, flag="HT", zone=zone, conditions=["smugglers"])
    found = steps(result, "investigation")
    assert [(s["state"], s["action"], s["missing"]) for s in found] == [
        (None, "request", missing),
        ("HT", "inform", []),
    ]


def test_in_the_eez_the_investigation_step_does_not_ask_for_the_coastal_state(
    directory: Directory,
) -> None:
    # The coastal state has no jurisdiction over the offence in its EEZ (R12): naming it
    # would not resolve the step.
    result = plan(directory, stateless=True, zone="eez", conditions=["smugglers"])
    assert [s["missing"] for s in steps(result, "investigation")] == [["acting"]]
    territorial = plan(directory, stateless=True, zone="territorial", conditions=["smugglers"])
    assert [s["missing"] for s in steps(territorial, "investigation")] == [["acting", "coastal"]]


# R2 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["internal", "territorial", "archipelagic"])
def test_r2_foreign_acting_state_requests_entry_into_coastal_waters(
    directory: Directory, zone: str
) -> None:
    result = plan(directory, flag="HT", zone=zone, coastal="BS", acting="JM")
    [step] = steps(result, "coastal-state-authorization")
    assert (step["rule"], step["action"], step["state"]) == ("R2", "request", "BS")
    assert step["role"] == "maritime-law-enforcement"
    assert step["agency"]["id"] == "bs-rbdf"


def test_r2_in_force_agreement_authorising_entry_turns_request_into_notification(
    directory: Directory,
) -> None:
    result = plan(directory, flag="HT", zone="territorial", coastal="BS", acting="US")
    [step] = steps(result, "coastal-state-authorization")
    assert step["action"] == "notify"
    assert step["agreement"]["id"] == "us-bs-2004"


def test_r2_entry_authorisation_only_benefits_the_party_named(directory: Directory) -> None:
    # us-bs-2004 lets US vessels enter Bahamian waters, not Bahamian vessels US waters.
    result = plan(directory, flag="HT", zone="territorial", coastal="US", acting="BS")
    [step] = steps(result, "coastal-state-authorization")
    assert (step["action"], step["agreement"]) == ("request", None)


def test_r2_uncertain_agreement_is_mentioned_never_applied(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="territorial", coastal="JM", acting="US")
    [step] = steps(result, "coastal-state-authorization")
    assert step["action"] == "request"
    assert step["agreement"] is None
    assert any("us-jm-1997" in n and "uncertain" in n for n in step["notes"])


def test_r2_no_authorisation_in_own_waters_or_with_unknown_acting_state(
    directory: Directory,
) -> None:
    own = plan(directory, flag="HT", zone="territorial", coastal="BS", acting="BS")
    unknown = plan(directory, flag="HT", zone="territorial", coastal="BS")
    assert "coastal-state-authorization" not in purposes(own)
    assert "coastal-state-authorization" not in purposes(unknown)


def test_r2_never_in_the_contiguous_zone(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="contiguous", coastal="BS", acting="US")
    assert "coastal-state-authorization" not in purposes(result)


# R3 ------------------------------------------------------------------------------------------


def test_r3_foreign_acting_state_notifies_coastal_law_enforcement_and_migration(
    directory: Directory,
) -> None:
    result = plan(directory, flag="HT", zone="contiguous", coastal="BS", acting="US")
    found = steps(result, "coastal-state-notification")
    assert {(s["role"], s["agency"]["id"]) for s in found} == {
        ("maritime-law-enforcement", "bs-rbdf"),
        ("migration", "bs-immigration"),
    }
    assert all(s["rule"] == "R3" and s["state"] == "BS" for s in found)


def test_r3_applies_when_acting_state_unknown_and_says_what_is_missing(
    directory: Directory,
) -> None:
    result = plan(directory, flag="HT", zone="contiguous")
    found = steps(result, "coastal-state-notification")
    assert found and all(s["resolved"] is False for s in found)
    assert all(s["missing"] == ["coastal"] for s in found)


def test_r3_no_notification_by_the_coastal_state_itself(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="contiguous", coastal="BS", acting="BS")
    assert "coastal-state-notification" not in purposes(result)


# R4 ------------------------------------------------------------------------------------------


def test_a_contiguous_zone_the_coastal_state_does_not_claim_is_its_eez(
    directory: Directory,
) -> None:
    result = plan(directory, flag="HT", zone="contiguous", coastal="JM", acting="JM")
    assert result["interception"]["zone"] == "eez"
    assert any("claims no contiguous zone" in w for w in result["warnings"])
    [step] = steps(result, "flag-state-authorization")
    # Not "its own contiguous zone": there is none, so the flag state is asked.
    assert step["action"] == "request"
    assert "coastal-state-notification" not in purposes(
        plan(directory, flag="HT", zone="contiguous", coastal="JM", acting="US")
    )


@pytest.mark.parametrize("zone", ["contiguous", "eez", "high-seas"])
def test_r4_foreign_flag_beyond_territorial_sea_asks_the_flag_state(
    directory: Directory, zone: str
) -> None:
    coastal = None if zone == "high-seas" else "BS"
    result = plan(directory, flag="HT", zone=zone, coastal=coastal, acting="JM")
    [step] = steps(result, "flag-state-authorization")
    assert (step["rule"], step["action"], step["state"]) == ("R4", "request", "HT")
    assert "SOM Protocol art. 8(2), 8(4), 8(5), 8(6)" in step["basis"]
    # Cuba is not a party in the fixture: the request rests on UNCLOS, and so does the basis.
    [cuban] = steps(
        plan(directory, flag="CU", zone=zone, coastal=coastal, acting="JM"),
        "flag-state-authorization",
    )
    assert (cuban["action"], cuban["state"]) == ("request", "CU")
    assert cuban["basis"] == ["UNCLOS art. 92"], cuban["basis"]


def test_r4_falls_back_to_law_enforcement_without_an_art8_authority(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="high-seas", acting="JM")
    [step] = steps(result, "flag-state-authorization")
    assert step["resolved"] is True
    assert step["role"] == "maritime-law-enforcement"
    assert step["agency"]["id"] == "ht-gc"
    assert any("falling back" in n for n in step["notes"])


def test_r4_uses_the_art8_authority_when_the_directory_has_one(directory: Directory) -> None:
    result = plan(directory, flag="US", zone="high-seas", acting="BS")
    [step] = steps(result, "flag-state-authorization")
    assert (step["role"], step["agency"]["id"]) == ("som-art8-authority", "us-uscg")


def test_r4_in_force_pre_authorised_boarding_turns_request_into_notification(
    directory: Directory,
) -> None:
    result = plan(directory, flag="HT", zone="high-seas", acting="US")
    [step] = steps(result, "flag-state-authorization")
    assert step["action"] == "notify"
    assert step["agreement"]["id"] == "us-ht-1981"


def test_r4_pre_authorised_boarding_governs_over_a_newer_expedited_agreement(
    directory: Directory,
) -> None:
    result = plan(directory, flag="HT", zone="high-seas", acting="US")
    [step] = steps(result, "flag-state-authorization")
    assert (step["action"], step["agreement"]["id"]) == ("notify", "us-ht-1981")
    assert any("Also in force" in n and "us-ht-2000" in n for n in step["notes"])


def test_an_agreement_not_yet_in_force_on_the_day_is_not_applied(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="territorial", coastal="BS", acting="US")
    [step] = steps(result, "coastal-state-authorization")
    assert step["agreement"]["id"] == "us-bs-2004"
    assert any("us-bs-2030" in n and "not yet in force" in n for n in step["notes"])


def test_an_agreement_whose_entry_into_force_is_not_recorded_is_not_applied_before_signature(
    directory: Directory,
) -> None:
    # bs-cu-1998 is in force with no recorded date of entry into force, signed 1998-01-01: a
    # return considered in 1997 is not governed by it (nor by bs-cu-2013).
    result = plan(
        directory,
        flag="CU",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["CU"],
        return_considered=True,
        at=datetime.fromisoformat("1997-06-03T10:00:00-04:00"),
    )
    found = steps(result, "repatriation")
    assert found and all(s["agreement"] is None for s in found)
    assert all(
        any("bs-cu-1998" in n and "not yet in force" in n for n in s["notes"]) for s in found
    )
    signed = plan(
        directory,
        flag="CU",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["CU"],
        return_considered=True,
        at=datetime.fromisoformat("1998-01-01T10:00:00-05:00"),
    )
    assert {s["agreement"]["id"] for s in steps(signed, "repatriation")} == {"bs-cu-1998"}


def test_r13_the_agreement_with_deadlines_governs_the_return(directory: Directory) -> None:
    result = plan(
        directory,
        flag="CU",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["CU"],
        return_considered=True,
    )
    for step in steps(result, "repatriation"):
        assert step["agreement"]["id"] == "bs-cu-1998"
        assert any("Also in force" in n and "bs-cu-2013" in n for n in step["notes"])


def test_r4_pre_authorisation_only_benefits_the_party_named(directory: Directory) -> None:
    # The 1981 notes let US officers board Haitian vessels, not the reverse.
    result = plan(directory, flag="US", zone="high-seas", acting="HT")
    [step] = steps(result, "flag-state-authorization")
    assert step["action"] == "request" and step["agreement"] is None


def test_r4_expedited_agreement_still_requests(directory: Directory) -> None:
    result = plan(directory, flag="BS", zone="high-seas", acting="US")
    [step] = steps(result, "flag-state-authorization")
    assert step["action"] == "request"
    assert step["agreement"]["id"] == "us-bs-2004"


def test_r4_uncertain_agreement_never_changes_the_action(directory: Directory) -> None:
    result = plan(directory, flag="JM", zone="high-seas", acting="US")
    [step] = steps(result, "flag-state-authorization")
    assert step["action"] == "request" and step["agreement"] is None
    assert any("us-jm-1997" in n for n in step["notes"])


def test_r4_coastal_state_in_its_own_contiguous_zone_notifies(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="contiguous", coastal="BS", acting="BS")
    [step] = steps(result, "flag-state-authorization")
    assert step["action"] == "notify"


def test_r4_notes_a_flag_state_not_party_to_the_protocol(directory: Directory) -> None:
    result = plan(directory, flag="CU", zone="high-seas", acting="BS")
    [step] = steps(result, "flag-state-authorization")
    assert any("not a party" in n for n in step["notes"])


@pytest.mark.parametrize(
    ("flag", "at", "bound"),
    [
        # The Protocol entered into force on 2004-01-28 (art. 22(1)): a state that ratified
        # before was bound from then on.
        ("JM", "2004-01-27T12:00:00-05:00", False),
        ("JM", "2004-01-28T12:00:00-05:00", True),
        # After that, on the thirtieth day after its instrument was deposited (art. 22(2)).
        ("DO", "2007-12-10T12:00:00-04:00", False),
        ("DO", "2008-01-08T12:00:00-04:00", False),
        ("DO", "2008-01-09T12:00:00-04:00", True),
    ],
)
def test_r4_a_flag_state_is_a_party_only_from_the_protocols_entry_into_force_for_it(
    directory: Directory, flag: str, at: str, bound: bool
) -> None:
    # A plan for a past moment (a review of an interception, a training case) must not rest
    # art. 8 requests on the Protocol before it bound the flag state.
    result = plan(
        directory, flag=flag, zone="high-seas", acting="BS", at=datetime.fromisoformat(at)
    )
    [step] = steps(result, "flag-state-authorization")
    noted = [n for n in step["notes"] if "SOM Protocol" in n]
    assert bool(noted) is not bound, noted


@pytest.mark.parametrize(
    ("acting", "at", "noted"),
    [
        ("CU", AT, True),  # not a party
        ("DO", "2007-12-20T12:00:00-04:00", True),  # not yet bound
        ("DO", AT, False),
        ("BS", AT, False),
    ],
)
def test_r4_notes_an_acting_state_that_cannot_request_under_the_protocol(
    directory: Directory, acting: str, at: str, noted: bool
) -> None:
    # Art. 8(2) is a request by a State Party about a vessel of another: an acting state that
    # is not bound by the Protocol cannot rest its request on it.
    result = plan(
        directory, flag="HT", zone="high-seas", acting=acting, at=datetime.fromisoformat(at)
    )
    [step] = steps(result, "flag-state-authorization")
    assert any(acting in n and "SOM Protocol" in n for n in step["notes"]) is noted


def test_the_plans_json_says_on_which_day_the_flag_state_is_bound(directory: Directory) -> None:
    result = plan(
        directory,
        flag="DO",
        zone="high-seas",
        acting="BS",
        at=datetime.fromisoformat("2007-12-20T12:00:00-04:00"),
    )
    [step] = steps(result, "flag-state-authorization")
    assert any("2008-01-09" in n for n in step["notes"])


@pytest.mark.parametrize("zone", ["internal", "territorial", "archipelagic"])
def test_r4_no_flag_state_step_inside_the_coastal_states_waters(
    directory: Directory, zone: str
) -> None:
    result = plan(directory, flag="HT", zone=zone, coastal="BS", acting="BS")
    assert "flag-state-authorization" not in purposes(result)


def test_r4_no_flag_state_step_for_own_flag(directory: Directory) -> None:
    result = plan(directory, flag="BS", zone="high-seas", acting="BS")
    assert "flag-state-authorization" not in purposes(result)


def test_r4_unknown_acting_state_requests(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="contiguous")
    [step] = steps(result, "flag-state-authorization")
    assert (step["action"], step["resolved"], step["state"]) == ("request", True, "HT")


# R5 ------------------------------------------------------------------------------------------


def test_r5_stateless_vessel_needs_no_flag_state_request(directory: Directory) -> None:
    result = plan(directory, stateless=True, zone="high-seas", acting="BS")
    assert "flag-state-authorization" not in purposes(result)
    [note] = [n for n in result["notes"] if n["rule"] == "R5"]
    assert "permitted" in note["text"]
    assert "SOM Protocol art. 8(7)" in note["basis"]


# R6, R7 ----------------------------------------------------------------------------------------


def test_r6_consular_access_per_foreign_nationality_needs_consent(directory: Directory) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT", "CU", "BS"],
    )
    found = steps(result, "consular-access")
    assert {s["state"] for s in found} == {"HT", "CU"}  # not the disembarkation state's own
    assert all(s["requires_consent"] is True and s["rule"] == "R6" for s in found)
    assert {s["agency"]["id"] for s in found} == {"ht-emb-nassau", "cu-emb-nassau"}


def test_r6_concurrent_accreditation_when_no_resident_mission(directory: Directory) -> None:
    result = plan(
        directory, flag="JM", zone="territorial", coastal="BS", acting="BS", nationalities=["JM"]
    )
    [step] = steps(result, "consular-access")
    assert step["agency"]["id"] == "jm-emb-washington"
    assert any("accredited" in n for n in step["notes"])


def test_r6_honorary_consul_as_last_resort(directory: Directory) -> None:
    result = plan(
        directory, flag="DO", zone="territorial", coastal="BS", acting="BS", nationalities=["DO"]
    )
    [step] = steps(result, "consular-access")
    assert step["agency"]["id"] == "do-hon-nassau"
    assert any("honorary" in n for n in step["notes"])


def test_r6_warns_when_no_mission_covers_the_disembarkation_state(directory: Directory) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS", nationalities=["IN"]
    )
    [step] = steps(result, "consular-access")
    assert step["resolved"] is False
    # "None found", with the day the record was checked: never "there is none".
    assert any("was found" in w and "2026-11-01" in w for w in step["warnings"])


def test_r6_without_a_post_goes_to_the_nationalitys_foreign_ministry(
    directory: Directory,
) -> None:
    """No post of Haiti covers Jamaica in the fixture: notice goes through diplomatic channels,
    to Haiti's foreign ministry, with its contacts, and the step still says no post is known."""
    result = plan(
        directory, flag="HT", zone="territorial", coastal="JM", acting="JM", nationalities=["HT"]
    )
    [step] = steps(result, "consular-access")
    assert (step["resolved"], step["state"], step["role"]) == (True, "HT", "foreign-affairs")
    assert step["agency"]["id"] == "ht-mae" and step["contacts"]
    assert step["requires_consent"] is True  # the person's consent still comes first
    assert any("no consular mission" in w for w in step["warnings"])
    assert all(s["resolved"] for s in steps(result, "consular-access"))


def test_r6_a_territorys_people_without_a_post_go_to_the_sovereigns_foreign_ministry(
    directory: Directory,
) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="JM", acting="JM", nationalities=["KY"]
    )
    [step] = steps(result, "consular-access")
    assert (step["resolved"], step["nationality"], step["agency"]["id"]) == (True, "KY", "gb-fcdo")


def test_r6_a_proven_absence_still_goes_to_the_foreign_ministry_where_there_is_one(
    directory: Directory,
) -> None:
    # India: proven "none" in The Bahamas, and no file of India: nothing to fall back on.
    [india] = steps(
        plan(
            directory,
            flag="HT",
            zone="territorial",
            coastal="BS",
            acting="BS",
            nationalities=["IN"],
        ),
        "consular-access",
    )
    assert (india["resolved"], india["agency"]) == (False, None)
    # A death notice for Haitians landed in Jamaica goes to Haiti's foreign ministry as well.
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="JM",
        acting="JM",
        nationalities=["HT"],
        conditions=["deaths"],
    )
    [notice] = steps(result, "consular-death-notification")
    assert (notice["resolved"], notice["agency"]["id"]) == (True, "ht-mae")


def test_r6_a_state_the_directory_does_not_hold_stays_unresolved_with_a_warning(
    directory: Directory,
) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS", nationalities=["GT"]
    )
    [step] = steps(result, "consular-access")
    assert step["resolved"] is False and step["state"] == "GT"
    assert any("GT" in w for w in result["warnings"])


def test_r7_asylum_warns_on_every_consular_access_step(directory: Directory) -> None:
    with_asylum = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT", "CU"],
        conditions=["asylum"],
    )
    without = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT", "CU"],
    )
    for step in steps(with_asylum, "consular-access"):
        assert any("informed consent" in w for w in step["warnings"])
        assert "1951 Convention art. 33" in step["basis"]
    for step in steps(without, "consular-access"):
        assert not any("informed consent" in w for w in step["warnings"])


def test_r6_uncertain_absence_of_a_mission_is_said_to_be_uncertain(directory: Directory) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS", nationalities=["ER"]
    )
    [step] = steps(result, "consular-access")
    assert any("was found" in w and "uncertain" in w for w in step["warnings"])


def test_r7_and_r13_warnings_reach_steps_unresolved_for_want_of_nationalities(
    directory: Directory,
) -> None:
    result = plan(
        directory,
        stateless=True,
        zone="territorial",
        coastal="US",
        acting="BS",
        conditions=["asylum"],
        return_considered=True,
    )
    [consular] = steps(result, "consular-access")
    assert consular["resolved"] is False
    assert any("informed consent" in w for w in consular["warnings"])
    [repatriation] = steps(result, "repatriation")
    assert any("non-refoulement" in w for w in repatriation["warnings"])
    assert any("protection screening" in n for n in repatriation["notes"])


def test_per_nationality_steps_name_their_nationality(directory: Directory) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT", "GT", "IN"],
        return_considered=True,
    )
    landing = [s for s in steps(result, "repatriation") if s["state"] == "BS"]
    assert sorted(s["nationality"] for s in landing) == ["GT", "HT", "IN"]
    assert {s["nationality"] for s in steps(result, "consular-access")} == {"HT", "GT", "IN"}
    assert all(s["nationality"] is None for s in steps(result, "protection-referral"))


# R8 ------------------------------------------------------------------------------------------


def test_r8_deaths_are_notified_to_consuls_without_consent(directory: Directory) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT"],
        conditions=["deaths"],
    )
    [step] = steps(result, "consular-death-notification")
    assert (step["rule"], step["state"], step["requires_consent"]) == ("R8", "HT", False)
    assert step["agency"]["id"] == "ht-emb-nassau"
    # Deaths without distress still bring in the RCC (R1) and an investigation (R12).
    assert result["steps"][0]["purpose"] == "sar-coordination"
    assert steps(result, "investigation")


def test_r8_no_death_notification_without_deaths(directory: Directory) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS", nationalities=["HT"]
    )
    assert "consular-death-notification" not in purposes(result)


# R9 ------------------------------------------------------------------------------------------


def test_r9_protection_referral_to_refugee_authority_and_unhcr(directory: Directory) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS", nationalities=["HT"]
    )
    found = steps(result, "protection-referral")
    assert {(s["role"], s["agency"]["id"]) for s in found} == {
        ("refugee-status", "bs-immigration"),
        ("protection-partner", "unhcr-washington"),
    }
    assert all(s["state"] == "BS" and s["action"] == "inform" for s in found)


def test_r9_asylum_makes_the_referral_a_request(directory: Directory) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT"],
        conditions=["asylum"],
    )
    assert {s["action"] for s in steps(result, "protection-referral")} == {"request"}


def test_r9_no_referral_when_everyone_is_a_national_of_the_disembarkation_state(
    directory: Directory,
) -> None:
    result = plan(
        directory, flag="BS", zone="territorial", coastal="BS", acting="BS", nationalities=["BS"]
    )
    assert "protection-referral" not in purposes(result)


def test_r9_referral_when_nationalities_are_unknown(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="territorial", coastal="BS", acting="BS")
    assert steps(result, "protection-referral")


# R10, R11 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("condition", ["minors", "unaccompanied"])
def test_r10_children_aboard_bring_in_child_protection(
    directory: Directory, condition: str
) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT"],
        conditions=[condition],
    )
    [step] = steps(result, "child-protection")
    assert (step["rule"], step["state"], step["agency"]["id"]) == ("R10", "BS", "bs-social")


def test_r11_trafficking_signs_bring_in_the_anti_trafficking_authority(
    directory: Directory,
) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT"],
        conditions=["trafficking"],
    )
    [step] = steps(result, "trafficking-victim-referral")
    assert (step["rule"], step["agency"]["id"]) == ("R11", "bs-tip")
    clean = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS", nationalities=["HT"]
    )
    assert "trafficking-victim-referral" not in purposes(clean)


# R12 -----------------------------------------------------------------------------------------


def test_r12_smugglers_bring_in_prosecutors_of_acting_coastal_and_flag_states(
    directory: Directory,
) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="contiguous",
        coastal="BS",
        acting="US",
        nationalities=["HT"],
        conditions=["smugglers"],
    )
    found = steps(result, "investigation")
    assert [(s["state"], s["action"]) for s in found] == [
        ("US", "request"),
        ("BS", "request"),
        ("HT", "inform"),
    ]
    assert all(s["rule"] == "R12" for s in found)


def test_the_agency_primary_for_a_role_is_chosen_among_several(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="high-seas", acting="US", conditions=["smugglers"])
    [step] = [s for s in steps(result, "investigation") if s["state"] == "HT"]
    # ht-mjsp sorts first by id; ht-parquet is marked primary for prosecution.
    assert step["agency"]["id"] == "ht-parquet"
    assert any("ht-mjsp" in n for n in step["notes"])


def test_r12_the_coastal_state_has_no_jurisdiction_in_its_eez(directory: Directory) -> None:
    result = plan(
        directory, flag="HT", zone="eez", coastal="BS", acting="US", conditions=["smugglers"]
    )
    assert [s["state"] for s in steps(result, "investigation")] == ["US", "HT"]


def test_r12_no_investigation_step_without_smugglers_or_deaths(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="contiguous", coastal="BS", acting="US")
    assert "investigation" not in purposes(result)


# R13 -----------------------------------------------------------------------------------------


def test_r13_repatriation_applies_the_in_force_agreement_with_its_deadlines(
    directory: Directory,
) -> None:
    result = plan(
        directory,
        flag="CU",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["CU"],
        return_considered=True,
    )
    found = steps(result, "repatriation")
    assert {(s["state"], s["agency"]["id"]) for s in found} == {
        ("BS", "bs-immigration"),
        ("CU", "cu-minint"),
    }
    for step in found:
        assert step["agreement"]["id"] == "bs-cu-1998"
        assert step["agreement"]["provides"]["return_days"] == 15
        assert any("72 hours" in n and "15 days" in n for n in step["notes"])
        assert any("protection screening" in n for n in step["notes"])


def test_r13_without_an_agreement_no_deadlines(directory: Directory) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT"],
        return_considered=True,
    )
    assert all(s["agreement"] is None for s in steps(result, "repatriation"))


def test_r13_asylum_with_return_warns_against_refoulement(directory: Directory) -> None:
    result = plan(
        directory,
        flag="CU",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["CU"],
        return_considered=True,
        conditions=["asylum"],
    )
    for step in steps(result, "repatriation"):
        assert any("non-refoulement" in w for w in step["warnings"])


def test_r13_no_repatriation_step_unless_return_is_considered(directory: Directory) -> None:
    result = plan(
        directory, flag="CU", zone="territorial", coastal="BS", acting="BS", nationalities=["CU"]
    )
    assert "repatriation" not in purposes(result)


# R14 -----------------------------------------------------------------------------------------


def test_r14_corruption_step_stays_unresolved_when_the_role_is_missing(
    directory: Directory,
) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT"],
        conditions=["corruption"],
    )
    [step] = steps(result, "anti-corruption")
    assert (step["rule"], step["state"], step["resolved"]) == ("R14", "BS", False)
    assert any("anti-corruption" in w for w in step["warnings"])
    assert result["steps"][-1]["purpose"] == "anti-corruption"


# Channels, languages, staleness ------------------------------------------------------------------


def test_closed_channels_say_when_they_open_next_across_a_dst_change(
    directory: Directory,
) -> None:
    # Saturday night before the US clock change: the Nassau desk opens Monday 09:00 EDT.
    at = datetime.fromisoformat("2027-03-13T23:00:00-05:00")
    result = plan(directory, flag="HT", zone="contiguous", coastal="BS", acting="US", at=at)
    step = steps(result, "coastal-state-notification")[0]
    duty = step["contacts"][0]
    phone, email = duty["channels"]
    assert (phone["kind"], phone["available"], phone["next_available"]) == ("phone", True, None)
    assert email["available"] is False
    assert email["next_available"] == "2027-03-15T09:00:00-04:00"


def _migration_channels(result: dict[str, Any]) -> list[dict[str, Any]]:
    [step] = [s for s in steps(result, "coastal-state-notification") if s["role"] == "migration"]
    return [ch for c in step["contacts"] for ch in c["channels"]]


def test_a_desk_is_closed_on_a_public_holiday_of_its_state(directory: Directory) -> None:
    # Christmas Day 2026, a Friday, 10:00 in Nassau; the Monday after is Boxing Day (observed).
    at = datetime.fromisoformat("2026-12-25T10:00:00-05:00")
    result = plan(directory, flag="HT", zone="contiguous", coastal="BS", acting="US", at=at)
    channels = _migration_channels(result)
    assert channels and not any(ch["available"] for ch in channels)
    assert {ch["next_available"] for ch in channels} == {"2026-12-29T09:00:00-05:00"}
    [step] = [s for s in steps(result, "coastal-state-notification") if s["role"] == "migration"]
    assert any("Christmas Day" in note for note in step["notes"])  # the holiday, named
    # A 24/7 duty post answers on a holiday too.
    duty = steps(result, "coastal-state-notification")[0]["contacts"][0]
    assert duty["channels"][0]["available"] is True


def test_the_next_opening_after_new_years_eve_passes_over_new_years_day(
    directory: Directory,
) -> None:
    # 31 December 2026 is a Thursday; 1 January 2027, a Friday, is a holiday in Nassau: the
    # calendar of the next year is asked for.
    at = datetime.fromisoformat("2026-12-31T18:00:00-05:00")
    result = plan(directory, flag="HT", zone="contiguous", coastal="BS", acting="US", at=at)
    channels = _migration_channels(result)
    assert {ch["next_available"] for ch in channels} == {"2027-01-04T09:00:00-05:00"}


def test_a_year_without_a_holiday_calendar_is_said_once_and_the_plan_still_made(
    directory: Directory,
) -> None:
    # python-holidays has no calendar of 2150: its look-up lists no holiday, which read as a
    # working day showed the Nassau desk open on Christmas Day without a word.
    at = datetime.fromisoformat("2150-12-25T10:00:00-05:00")
    result = plan(directory, flag="HT", zone="contiguous", coastal="BS", acting="US", at=at)
    unknown = [w for w in result["warnings"] if "not known" in w]
    # Once for each state whose offices' hours were asked about (the flag state's too).
    assert unknown == [
        f"Public holidays of {code} in 2150 are not known: an office shown open may be closed "
        "on a holiday."
        for code in ("BS", "HT", "US")
    ]
    # Still planned: the desk keeps its weekly hours.
    assert any(ch["available"] for ch in _migration_channels(result))
    # No step repeats it.
    assert not [w for s in result["steps"] for w in s["warnings"] if "not known" in w]
    # A year the calendar has: nothing to say.
    known = plan(
        directory,
        flag="HT",
        zone="contiguous",
        coastal="BS",
        acting="US",
        at=datetime.fromisoformat("2026-12-24T10:00:00-05:00"),
    )
    assert not [w for w in known["warnings"] if "not known" in w]


#: Haitians found in Bahamian waters, landed in The Bahamas: the consular step goes to Haiti's
#: embassy in Nassau.
HAITIANS_IN_NASSAU: dict[str, Any] = {
    "flag": "HT",
    "zone": "territorial",
    "coastal": "BS",
    "acting": "BS",
    "nationalities": ["HT"],
}


def test_a_consular_post_keeps_the_holidays_of_the_place_where_it_sits(
    directory: Directory,
) -> None:
    # Haiti's embassy in Nassau: 18 November (a Haitian holiday) is a working day in Nassau;
    # Monday 11 January 2027 (Majority Rule Day, observed, in The Bahamas) is not.
    open_day = plan(
        directory, **HAITIANS_IN_NASSAU, at=datetime.fromisoformat("2026-11-18T10:00:00-05:00")
    )
    [step] = steps(open_day, "consular-access")
    assert step["agency"]["id"] == "ht-emb-nassau"
    assert all(ch["available"] for c in step["contacts"] for ch in c["channels"])
    # Missions often close on their own national days too, which python-holidays cannot say
    # for each post: open or closed keeps the host's calendar, and the step says so.
    assert [n for n in step["notes"] if "HT" in n and "2026" not in n and "18" in n]
    working_day = plan(
        directory, **HAITIANS_IN_NASSAU, at=datetime.fromisoformat("2026-11-19T10:00:00-05:00")
    )
    [step] = steps(working_day, "consular-access")
    assert not [n for n in step["notes"] if "holiday" in n]
    closed = plan(
        directory, **HAITIANS_IN_NASSAU, at=datetime.fromisoformat("2027-01-11T10:00:00-05:00")
    )
    [step] = steps(closed, "consular-access")
    channels = [ch for c in step["contacts"] for ch in c["channels"]]
    assert channels and not any(ch["available"] for ch in channels)
    assert {ch["next_available"] for ch in channels} == {"2027-01-12T09:00:00-05:00"}


def test_open_desk_channels_are_available_in_office_hours(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="contiguous", coastal="BS", acting="US")
    migration = [s for s in steps(result, "coastal-state-notification") if s["role"] == "migration"]
    assert all(ch["available"] for ch in migration[0]["contacts"][0]["channels"])


def test_interpreter_needed_when_no_contact_shares_a_language(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="high-seas", acting="US")
    [step] = steps(result, "flag-state-authorization")
    assert any(n.startswith("Interpreter needed") for n in step["notes"])
    same = plan(directory, flag="CU", zone="high-seas", acting="DO")
    [step] = steps(same, "flag-state-authorization")
    assert not any(n.startswith("Interpreter needed") for n in step["notes"])


def test_a_contact_that_handles_the_steps_role_comes_first(directory: Directory) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT"],
        return_considered=True,
    )
    [referral] = [s for s in steps(result, "protection-referral") if s["role"] == "refugee-status"]
    assert referral["contacts"][0]["id"] == "bs-immigration-rsd"
    repatriation = [s for s in steps(result, "repatriation") if s["state"] == "BS"]
    # The desk with no roles handles all of the agency's; the refugee desk is for refugees only.
    assert repatriation[0]["contacts"][0]["id"] == "bs-immigration-desk"


def test_stale_and_illustrative_contacts_are_flagged(directory: Directory) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT"],
        conditions=["smugglers"],
    )
    [step] = [s for s in steps(result, "investigation") if s["state"] == "BS"]
    contact = step["contacts"][0]
    assert contact["id"] == STALE_CONTACT and contact["stale"] is True
    assert any(STALE_CONTACT in w and "last verified" in w for w in step["warnings"])
    assert contact["illustrative"] is True
    assert any("ILLUSTRATIVE" in w for w in result["warnings"])


def test_the_plans_day_is_the_acting_states_whatever_offset_the_time_is_written_in(
    directory: Directory,
) -> None:
    # 21:00 on 1 December in Nassau is 02:00 on 2 December UTC: one instant, one plan. The
    # day that decides staleness and agreements in force is the acting state's (as the plan's
    # default time and `directory stale` read it), not the date of the offset typed.
    def bahamas_plan(at: str, stale_days: int = 365) -> dict[str, Any]:
        interception = make_interception(
            flag="HT",
            zone="territorial",
            coastal="BS",
            acting="BS",
            nationalities=["HT"],
            at=datetime.fromisoformat(at),
        )
        return plan_contacts(directory, interception, stale_days=stale_days).to_json()

    def stale(result: dict[str, Any]) -> set[str]:
        return {c["id"] for s in result["steps"] for c in s["contacts"] if c["stale"]}

    # The fixture's contacts were verified on 1 November: 30 days before 1 December, so none
    # is stale on 1 December and some are on the 2nd.
    local = bahamas_plan("2026-12-01T21:00:00-05:00", stale_days=30)
    utc = bahamas_plan("2026-12-02T02:00:00+00:00", stale_days=30)
    assert stale(local) == stale(utc) == set()
    assert stale(bahamas_plan("2026-12-02T21:00:00-05:00", stale_days=30))

    # us-bs-2030 enters into force on 1 January 2030: not yet at 21:00 on 31 December in
    # Washington, however the instant is written.
    def entry(at: str) -> str | None:
        interception = make_interception(
            flag="HT", zone="territorial", coastal="BS", acting="US", at=datetime.fromisoformat(at)
        )
        result = plan_contacts(directory, interception).to_json()
        [step] = steps(result, "coastal-state-authorization")
        return step["agreement"]["id"] if step["agreement"] else None

    assert entry("2029-12-31T21:00:00-05:00") == entry("2030-01-01T02:00:00+00:00")


def test_steps_come_in_the_documented_order(directory: Directory) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="contiguous",
        coastal="BS",
        acting="US",
        nationalities=["HT", "CU"],
        return_considered=True,
        conditions=[
            "distress",
            "deaths",
            "minors",
            "trafficking",
            "smugglers",
            "corruption",
            "asylum",
        ],
    )
    seen = purposes(result)
    # The documented order, the steps deferred until the claims are decided last.
    ranks = [(s["deferred"], PURPOSE_ORDER.index(s["purpose"])) for s in result["steps"]]
    assert ranks == sorted(ranks)
    now = [s["purpose"] for s in result["steps"] if not s["deferred"]]
    assert now[0] == "sar-coordination" and now[-1] == "anti-corruption"
    assert [s["order"] for s in result["steps"]] == list(range(1, len(seen) + 1))


def test_fixture_directory_validates(tmp_path: Path) -> None:
    folder = write_routing_directory(tmp_path / "d")
    assert len(load_directory(base=folder, use_env=False).states) == len(STATES)


# Asylum seekers and their country of nationality -----------------------------------------------

PEOPLE = ("consular-access", "protection-referral", "repatriation", "investigation")
VESSEL_AND_WATERS = (
    "flag-state-authorization",
    "coastal-state-authorization",
    "coastal-state-notification",
)


def refoulement_warnings(result: dict[str, Any], code: str) -> list[str]:
    """Plan-level warnings that cite non-refoulement and name the landing state as the
    claimants' own country (not the one that asks whether foreigners fear the country they
    may have left, landed there)."""
    return [
        w
        for w in result["warnings"]
        if "art. 33" in w and code in w and "a country they may have left or crossed" not in w
    ]


def still_at_home_warnings(result: dict[str, Any], code: str) -> list[str]:
    """Plan-level warnings that people found in the landing state's own waters have not left
    their country (and so are not refugees yet)."""
    return [w for w in result["warnings"] if "art. 1A(2)" in w and code in w]


def test_asylum_with_nationalities_unknown_warns_that_the_landing_state_may_be_theirs(
    directory: Directory,
) -> None:
    # A Haitian boat off Haiti, asylum claimed, nobody's nationality known yet: the plan lands
    # them in Haiti. Without nationalities the refoulement check cannot run, so the plan says
    # so rather than stay silent.
    facts: dict[str, Any] = dict(flag="HT", zone="contiguous", coastal="HT", acting="US")
    unknown = plan(directory, conditions=["asylum"], **facts)
    assert unknown["interception"]["disembark"] == "HT"
    assert refoulement_warnings(unknown, "HT")
    assert not refoulement_warnings(plan(directory, **facts), "HT")
    assert not refoulement_warnings(
        plan(directory, conditions=["asylum"], nationalities=["CU"], **facts), "HT"
    )
    # In Haiti's own waters those who are Haitians have not left their country: the warning
    # says what the claims still change (the nationalities first, Haiti told nothing of the
    # claims), without calling the landing refoulement.
    at_home = plan(directory, conditions=["asylum"], **{**facts, "zone": "territorial"})
    assert not refoulement_warnings(at_home, "HT")
    [warning] = still_at_home_warnings(at_home, "HT")
    assert "Establish the nationalities aboard before any landing" in warning
    assert "tell it nothing of who claimed asylum" in warning
    # Off a coast whose claims do not reach the position (read as the high seas), landed
    # on that coast: the same.
    off_tc = plan(directory, stateless=True, zone="contiguous", coastal="TC", conditions=["asylum"])
    assert off_tc["interception"]["disembark"] == "TC"
    assert refoulement_warnings(off_tc, "TC")
    # Nowhere to land them yet: nothing to warn of.
    nowhere = plan(directory, flag="HT", zone="high-seas", conditions=["asylum"])
    assert not [w for w in nowhere["warnings"] if "art. 33" in w]


def test_landing_asylum_seekers_in_their_own_country_is_warned_as_refoulement(
    directory: Directory,
) -> None:
    result = plan(
        directory,
        flag="CU",
        zone="contiguous",
        coastal="CU",
        acting="US",
        nationalities=["CU"],
        conditions=["asylum"],
        return_considered=True,
    )
    assert result["interception"]["disembark"] == "CU"
    assert refoulement_warnings(result, "CU")
    # Screening falls to the acting state's refugee authority and UNHCR, not to Cuba's.
    referrals = steps(result, "protection-referral")
    assert {(s["state"], s["role"], s["action"]) for s in referrals} == {
        ("US", "refugee-status", "request"),
        ("US", "protection-partner", "request"),
    }
    assert all(s["resolved"] for s in referrals)
    assert not [
        s
        for s in result["steps"]
        if s["state"] == "CU" and s["action"] == "request" and s["purpose"] not in VESSEL_AND_WATERS
    ]


def test_caymanians_landed_in_the_turks_and_caicos_are_landed_in_their_own_state(
    directory: Directory,
) -> None:
    # KY and TC are both territories of GB: Caymanians with asylum claims landed in TC are
    # landed in their country of nationality (the United Kingdom), and the warnings name it,
    # never TC as their nationality.
    result = plan(
        directory,
        zone="high-seas",
        stateless=True,
        acting="US",
        disembark="TC",
        nationalities=["KY", "HT"],
        conditions=["asylum"],
        return_considered=True,
    )
    [warning] = refoulement_warnings(result, "TC")
    assert "GB" in warning and "KY" in warning
    assert "nationals of TC" not in warning
    # Steps to TC's authorities are deferred, and say whose nationals make them so.
    to_tc = [
        s for s in result["steps"] if s["state"] == "TC" and s["purpose"] not in VESSEL_AND_WATERS
    ]
    assert to_tc
    for step in to_tc:
        assert step["action"] != "request", step["purpose"]
        deferrals = [w for w in step["warnings"] if "country of nationality" in w]
        assert deferrals and all("GB" in w for w in deferrals), step["warnings"]


@pytest.mark.parametrize(
    ("acting", "nationalities", "own"),
    [
        ("HT", ["HT"], True),  # Haiti's coast guard screening Haitians for Haiti
        ("HT", ["CU", "HT"], True),
        ("US", ["HT"], False),  # the United States screening Haitians before a return
    ],
)
def test_screening_by_the_state_the_claimants_are_nationals_of_is_flagged(
    directory: Directory, acting: str, nationalities: list[str], own: bool
) -> None:
    """Asylum seekers landed at home are screened by the acting state. When that state is
    their own, the claim is against it: its own authorities cannot be the ones who decide it
    alone, and the step says so; UNHCR's step stays in the plan."""
    result = plan(
        directory,
        zone="high-seas",
        stateless=True,
        acting=acting,
        disembark="HT",
        nationalities=nationalities,
        conditions=["asylum"],
    )
    referrals = steps(result, "protection-referral")
    national = [s for s in referrals if s["role"] == "refugee-status"]
    partner = [s for s in referrals if s["role"] == "protection-partner"]
    assert national and partner
    flagged = [w for s in national for w in s["warnings"] if "HT" in w and "UNHCR" in w]
    assert bool(flagged) is own, national
    assert not any("UNHCR" in w and "HT" in w for s in partner for w in s["warnings"])


def test_the_sovereigns_agency_stationed_in_a_territory_and_primary_there_acts_for_it(
    directory: Directory,
) -> None:
    """Landing consent in Puerto Rico is asked of the U.S. Coast Guard sector stationed there
    (primary for the role where it serves), before Puerto Rico's own police marine unit; the
    other federal unit stationed there, not primary, does not come before it."""
    result = plan(directory, zone="high-seas", flag="DO", acting="DO", disembark="PR")
    (landing,) = steps(result, "disembarkation")
    assert landing["state"] == "PR"
    assert landing["agency"]["id"] == "us-uscg-sanjuan"
    # The step says whose agency it is and for whom it acts.
    assert any("(US)" in n and "PR" in n for n in landing["notes"]), landing["notes"]
    # A stationed agency not marked primary never comes before the territory's own.
    result = plan(directory, zone="territorial", coastal="PR", flag="DO", acting="DO")
    waters = [s for s in result["steps"] if s["state"] == "PR" and s["agency"]]
    assert waters and all(s["agency"]["id"] != "us-cbp-pr" for s in waters)


def test_a_deferred_steps_instructions_are_said_to_wait_for_the_claims(
    directory: Directory,
) -> None:
    """With asylum claimed, the landing in the claimants' own country is deferred: its notes
    (ask for consent, notify the port) must not read as what to do now. They come after one
    that says they wait for the claims to be decided, and apply only to those found to have
    no protection need."""
    facts: dict[str, Any] = {
        "zone": "high-seas",
        "stateless": True,
        "acting": "US",
        "disembark": "HT",
        "nationalities": ["HT"],
    }
    (plain,) = steps(plan(directory, **facts), "disembarkation")
    (deferred,) = steps(plan(directory, **facts, conditions=["asylum"]), "disembarkation")
    assert deferred["action"] == "inform" and plain["action"] != "inform"
    assert deferred["notes"][1:] == plain["notes"]
    assert deferred["notes"][0] not in plain["notes"]


def test_deferred_steps_come_after_the_steps_to_take_now(directory: Directory) -> None:
    """The call list is the order of contact: a landing deferred until the claims are decided
    must not be the first call. Deferred steps say so (``deferred``) and come last, in the
    documented order among themselves; without asylum nothing is deferred."""
    facts: dict[str, Any] = {
        "zone": "high-seas",
        "stateless": True,
        "acting": "US",
        "disembark": "HT",
        "nationalities": ["HT"],
    }
    result = plan(directory, **facts, conditions=["asylum"])
    flags = [s["deferred"] for s in result["steps"]]
    assert True in flags and False in flags
    assert flags == sorted(flags)  # every step to take now before any deferred one
    assert [s["order"] for s in result["steps"]] == list(range(1, len(flags) + 1))
    deferred = [s for s in result["steps"] if s["deferred"]]
    assert {s["purpose"] for s in deferred} == {"disembarkation"}
    # Without the deferral the landing comes before the protection referrals.
    assert purposes(plan(directory, **facts))[0] == "disembarkation"
    assert all(s["action"] == "inform" for s in deferred)
    assert not any(s["deferred"] for s in plan(directory, **facts)["steps"])


@pytest.mark.parametrize("field", ["coastal", "flag", "disembark"])
def test_a_state_known_only_by_its_missions_abroad_is_warned_of(
    directory: Directory, field: str
) -> None:
    """ER has an embassy in the directory but no file: its coast guard, registry or landing
    authority are not there, whatever its missions (a mistyped code often lands here)."""
    facts: dict[str, Any] = {"zone": "territorial", "flag": "HT", "coastal": "BS", "acting": "US"}
    facts[field] = "ER"
    result = plan(directory, **facts)
    assert any("ER" in w for w in result["warnings"]), result["warnings"]
    # A nationality is served by its missions: no such warning for ER nationals in the US.
    result = plan(directory, zone="high-seas", stateless=True, acting="US", nationalities=["ER"])
    assert not any("ER (" in w for w in result["warnings"]), result["warnings"]


def test_an_agency_acting_for_a_territory_is_said_to_once(directory: Directory) -> None:
    """The federal prosecutor stationed in Puerto Rico (not marked primary) answers for it,
    found by what it covers: the step says so, once."""
    result = plan(
        directory,
        zone="territorial",
        coastal="PR",
        flag="DO",
        acting="DO",
        conditions=["smugglers"],
    )
    (step,) = [s for s in steps(result, "investigation") if s["state"] == "PR"]
    assert step["agency"]["id"] == "us-usao-pr"
    acting_for = [n for n in step["notes"] if "(US)" in n and "PR" in n]
    assert len(acting_for) == 1, step["notes"]


def test_the_screening_step_names_the_caymanians_state_not_the_landing_territory(
    directory: Directory,
) -> None:
    # The protection referral's note says why screening falls to the acting state: it must
    # name the nationals aboard and their state, as the plan's warning does, not call
    # Caymanians "nationals of TC".
    result = plan(
        directory,
        zone="high-seas",
        stateless=True,
        acting="US",
        disembark="TC",
        nationalities=["KY", "HT"],
        conditions=["asylum"],
    )
    referrals = steps(result, "protection-referral")
    assert referrals and all(s["state"] == "US" for s in referrals)
    for step in referrals:
        assert not any("nationals of TC" in n for n in step["notes"]), step["notes"]
        assert any("GB" in n and "KY" in n for n in step["notes"]), step["notes"]
    at_home = plan(
        directory,
        zone="high-seas",
        stateless=True,
        acting="US",
        disembark="TC",
        nationalities=["TC"],
        conditions=["asylum"],
    )
    # Turks and Caicos Islanders are British nationals too: named so, with their territory.
    for step in steps(at_home, "protection-referral"):
        assert not any("nationals of TC" in n for n in step["notes"]), step["notes"]
        assert any("(TC) are nationals of GB" in n for n in step["notes"]), step["notes"]


def test_the_landing_territorys_own_people_are_named_as_its_sovereigns_nationals(
    directory: Directory,
) -> None:
    """A territory's people are its sovereign's nationals: Turks and Caicos Islanders landed
    at home are "(TC) nationals of GB", with TC named as its territory, as the landing step
    says everyone aboard is a national of GB; never "nationals of TC"."""
    result = plan(
        directory,
        zone="high-seas",
        stateless=True,
        acting="US",
        disembark="TC",
        nationalities=["TC"],
        conditions=["asylum"],
    )
    [warning] = refoulement_warnings(result, "TC")
    assert "people aboard (TC) are nationals of GB (" in warning
    assert "nationals of TC" not in warning


def test_without_asylum_landing_nationals_at_home_needs_no_refoulement_warning(
    directory: Directory,
) -> None:
    result = plan(
        directory,
        flag="CU",
        zone="contiguous",
        coastal="CU",
        acting="US",
        nationalities=["CU"],
        return_considered=True,
    )
    assert not refoulement_warnings(result, "CU")
    assert "protection-referral" not in purposes(result)


def test_haitians_landed_in_haiti_with_asylum_children_and_return(directory: Directory) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="high-seas",
        acting="US",
        nationalities=["HT"],
        disembark="HT",
        conditions=["asylum", "minors"],
        return_considered=True,
    )
    assert refoulement_warnings(result, "HT")
    assert {s["state"] for s in steps(result, "protection-referral")} == {"US"}
    for step in result["steps"]:
        if step["state"] == "HT" and step["purpose"] not in VESSEL_AND_WATERS:
            assert step["action"] != "request", step["purpose"]
            assert step["warnings"], step["purpose"]
    [landing] = steps(result, "disembarkation")
    assert (landing["state"], landing["action"]) == ("HT", "inform")


def test_asylum_defers_the_return_request_to_the_country_of_nationality(
    directory: Directory,
) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="high-seas",
        acting="US",
        nationalities=["HT"],
        conditions=["asylum"],
        return_considered=True,
    )
    by_state = {s["state"]: s for s in steps(result, "repatriation")}
    assert by_state["US"]["action"] == "request"
    deferred = by_state["HT"]
    assert (deferred["action"], deferred["resolved"]) == ("inform", True)
    assert deferred["warnings"]
    without = plan(
        directory,
        flag="HT",
        zone="high-seas",
        acting="US",
        nationalities=["HT"],
        return_considered=True,
    )
    assert {s["action"] for s in steps(without, "repatriation")} == {"request"}


def test_investigation_with_a_flag_state_that_is_a_country_of_nationality_warns(
    directory: Directory,
) -> None:
    facts: dict[str, Any] = dict(
        flag="HT", zone="eez", coastal="JM", acting="JM", nationalities=["HT"]
    )
    result = plan(directory, conditions=["deaths", "asylum"], **facts)
    [to_haiti] = [s for s in steps(result, "investigation") if s["state"] == "HT"]
    assert to_haiti["action"] != "request"
    assert to_haiti["warnings"]
    without = plan(directory, conditions=["deaths"], **facts)
    [plain] = [s for s in steps(without, "investigation") if s["state"] == "HT"]
    assert not plain["warnings"]


def test_a_coastal_state_that_is_a_country_of_nationality_is_not_asked_to_prosecute(
    directory: Directory,
) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="CU",
        acting="US",
        nationalities=["CU"],
        conditions=["smugglers", "asylum"],
    )
    by_state = {s["state"]: s for s in steps(result, "investigation")}
    assert by_state["US"]["action"] == "request"
    assert by_state["CU"]["action"] == "inform" and by_state["CU"]["warnings"]
    # Coordinated now, not deferred until the claims are decided: an offence is no landing.
    assert by_state["CU"]["deferred"] is False


def test_vessel_and_waters_steps_to_a_country_of_nationality_warn_but_keep_their_action(
    directory: Directory,
) -> None:
    facts: dict[str, Any] = dict(flag="HT", zone="high-seas", acting="JM", nationalities=["HT"])
    result = plan(directory, conditions=["asylum"], **facts)
    without = plan(directory, **facts)
    [flag_step] = steps(result, "flag-state-authorization")
    [plain] = steps(without, "flag-state-authorization")
    assert flag_step["action"] == plain["action"] == "request"
    assert len(flag_step["warnings"]) > len(plain["warnings"])


# Mandatory consular notification ----------------------------------------------------------------


def test_mandatory_notification_needs_no_consent(directory: Directory) -> None:
    result = plan(
        directory,
        flag="JM",
        zone="high-seas",
        acting="US",
        nationalities=["JM", "BS", "TC", "CU"],
        conditions=["smugglers"],
    )
    by_nationality = {s["nationality"]: s for s in steps(result, "consular-access")}
    for code in ("JM", "BS", "TC"):
        step = by_nationality[code]
        assert (step["requires_consent"], step["action"]) == (False, "notify"), code
    assert by_nationality["CU"]["requires_consent"] is True


def test_mandatory_notification_by_the_landing_state_after_landing(directory: Directory) -> None:
    result = plan(
        directory,
        flag="JM",
        zone="high-seas",
        acting="BS",
        disembark="US",
        nationalities=["JM"],
    )
    [step] = steps(result, "consular-access")
    assert step["requires_consent"] is False


def test_mandatory_notification_with_asylum_warns_not_to_reveal_the_claim(
    directory: Directory,
) -> None:
    facts: dict[str, Any] = dict(flag="JM", zone="high-seas", acting="US", nationalities=["JM"])
    [with_asylum] = steps(plan(directory, conditions=["asylum"], **facts), "consular-access")
    [plain] = steps(plan(directory, **facts), "consular-access")
    assert with_asylum["requires_consent"] is False and with_asylum["action"] == "notify"
    assert len(with_asylum["warnings"]) > len(plain["warnings"])


# R10: unaccompanied children and their consulate ------------------------------------------------


def test_unaccompanied_children_bring_a_mandatory_consular_notice(directory: Directory) -> None:
    facts: dict[str, Any] = dict(
        flag="HT", zone="territorial", coastal="BS", acting="BS", nationalities=["HT"]
    )
    result = plan(directory, conditions=["unaccompanied"], **facts)
    [notice] = [s for s in steps(result, "consular-access") if s["rule"] == "R10"]
    assert (notice["state"], notice["action"], notice["requires_consent"]) == (
        "HT",
        "notify",
        False,
    )
    assert notice["agency"]["id"] == "ht-emb-nassau"
    assert "VCCR art. 37(b)" in notice["basis"]
    assert not notice["warnings"]
    # The adults' consent-based access stays beside it.
    assert [s for s in steps(result, "consular-access") if s["rule"] == "R6"]
    with_asylum = plan(directory, conditions=["unaccompanied", "asylum"], **facts)
    [warned] = [s for s in steps(with_asylum, "consular-access") if s["rule"] == "R10"]
    assert warned["warnings"]
    minors = plan(directory, conditions=["minors"], **facts)
    assert not [s for s in steps(minors, "consular-access") if s["rule"] == "R10"]


# R13: before any return --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "basis"),
    [("unaccompanied", "CRC art. 3(1)"), ("trafficking", "Trafficking in Persons Protocol art. 8")],
)
def test_returns_of_children_and_trafficking_victims_carry_their_safeguards(
    directory: Directory, condition: str, basis: str
) -> None:
    facts: dict[str, Any] = dict(
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT"],
        return_considered=True,
    )
    found = steps(plan(directory, conditions=[condition], **facts), "repatriation")
    plain = steps(plan(directory, **facts), "repatriation")
    assert found and all(basis in s["basis"] and s["warnings"] for s in found)
    assert all(basis not in s["basis"] for s in plain)


# R15: disembarkation ------------------------------------------------------------------------------


def test_r15_landing_in_another_state_requests_its_consent(directory: Directory) -> None:
    result = plan(
        directory, flag="HT", zone="contiguous", coastal="BS", acting="US", nationalities=["HT"]
    )
    [step] = steps(result, "disembarkation")
    assert (step["rule"], step["state"], step["action"], step["role"]) == (
        "R15",
        "BS",
        "request",
        "maritime-law-enforcement",
    )
    # No one rescued: the landing rests on the Bahamas' consent, not on SOLAS V/33.
    assert "UNCLOS arts. 2(1), 25(2)" in step["basis"], step["basis"]
    assert "SOLAS V/33.1-1" not in step["basis"], step["basis"]
    order = purposes(result)
    assert order.index("disembarkation") < order.index("protection-referral")


def test_r15_says_the_rescue_instruments_it_cites_bind_only_after_a_rescue(
    directory: Directory,
) -> None:
    """SOLAS V/33 and the SAR Convention oblige a landing state towards people rescued at sea:
    without distress the landing rests on its consent alone, and the step says so."""
    facts: dict[str, Any] = dict(
        flag="HT", zone="contiguous", coastal="BS", acting="US", nationalities=["HT"]
    )
    [plain] = steps(plan(directory, **facts), "disembarkation")
    [rescue] = steps(plan(directory, conditions=["distress"], **facts), "disembarkation")
    consent_alone = [n for n in plain["notes"] if "consent alone" in n]
    assert consent_alone and "SOLAS V/33.1-1" not in plain["basis"], plain["basis"]
    assert not [n for n in rescue["notes"] if "consent alone" in n]
    assert "SOLAS V/33.1-1" in rescue["basis"], rescue["basis"]


def test_r15_no_step_when_the_acting_state_lands_them_itself(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="high-seas", acting="US", nationalities=["HT"])
    assert result["interception"]["disembark"] == "US"
    assert "disembarkation" not in purposes(result)


def test_r15_asks_the_landing_states_rcc_after_a_rescue(directory: Directory) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="JM",
        acting="US",
        nationalities=["HT"],
        conditions=["distress"],
    )
    [step] = steps(result, "disembarkation")
    assert (step["role"], step["agency"]["id"]) == ("sar", "jm-jdf-cg")


def test_r15_an_agreement_providing_for_the_landing_turns_it_into_a_notice(
    directory: Directory,
) -> None:
    facts: dict[str, Any] = dict(flag="HT", zone="high-seas", acting="US", disembark="HT")
    [covered] = steps(plan(directory, nationalities=["HT"], **facts), "disembarkation")
    assert (covered["action"], covered["agreement"]["id"]) == ("notify", "us-ht-1981")
    # The agreement covers Haitians only: with Cubans aboard the landing is asked for.
    [mixed] = steps(plan(directory, nationalities=["HT", "CU"], **facts), "disembarkation")
    assert (mixed["action"], mixed["agreement"]) == ("request", None)


# Claims read as they are -------------------------------------------------------------------------


def test_an_uncertain_contiguous_zone_claim_is_applied_with_a_warning(
    directory: Directory,
) -> None:
    result = plan(directory, flag="CU", zone="contiguous", coastal="HT", acting="US")
    assert result["interception"]["zone"] == "contiguous"
    assert steps(result, "coastal-state-notification")
    assert any("HT" in w and "uncertain" in w for w in result["warnings"])
    confirmed = plan(directory, flag="CU", zone="contiguous", coastal="DO", acting="US")
    assert not any("uncertain" in w and "DO" in w for w in confirmed["warnings"])


def test_a_contiguous_zone_not_on_record_is_not_applied(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="contiguous", coastal="TC", acting="US")
    # TC records neither a contiguous zone nor an EEZ: beyond its territorial sea, high seas.
    assert result["interception"]["zone"] == "high-seas"
    assert "coastal-state-notification" not in purposes(result)
    assert any("TC" in w and "uncertain" in w for w in result["warnings"])
    assert result["interception"]["disembark"] == "TC"


@pytest.mark.parametrize("acting", [None, "JM"])
def test_r1_uses_the_sar_region_off_a_coast_whose_claims_do_not_reach_the_position(
    directory: Directory, acting: str | None
) -> None:
    # TC claims no contiguous zone and no EEZ: the waters are read as the high seas, but a SAR
    # region is not a maritime zone, and Miami's covers the waters off TC.
    result = plan(
        directory,
        flag="HT",
        zone="contiguous",
        coastal="TC",
        acting=acting,
        conditions=["distress"],
    )
    assert result["interception"]["zone"] == "high-seas"
    first = result["steps"][0]
    assert (first["purpose"], first["resolved"]) == ("sar-coordination", True)
    assert (first["state"], first["agency"]["id"]) == ("US", "us-rcc-miami")
    assert first["missing"] == []


# R5 in another state's waters --------------------------------------------------------------------


def test_r5_stateless_vessel_in_foreign_waters_defers_to_the_coastal_state(
    directory: Directory,
) -> None:
    territorial = plan(directory, stateless=True, zone="territorial", coastal="BS", acting="JM")
    high_seas = plan(directory, stateless=True, zone="high-seas", acting="JM")
    [inside] = [n for n in territorial["notes"] if n["rule"] == "R5"]
    [outside] = [n for n in high_seas["notes"] if n["rule"] == "R5"]
    assert inside["text"] != outside["text"]
    assert "coastal-state-authorization" in inside["text"]
    [step] = steps(territorial, "coastal-state-authorization")
    assert step["action"] == "request"


# SAR regions whose coverage the sources dispute ---------------------------------------------------


def test_r1_names_every_candidate_rcc_when_coverage_is_disputed(directory: Directory) -> None:
    result = plan(
        directory,
        stateless=True,
        zone="contiguous",
        coastal="DO",
        acting="US",
        nationalities=["HT"],
        conditions=["distress"],
    )
    first = result["steps"][0]
    assert first["agency"]["id"] == "us-rsc-sanjuan"  # the acting state's own centre first
    assert any("do-armada" in w for w in first["warnings"])
    dominican = plan(
        directory,
        stateless=True,
        zone="territorial",
        coastal="DO",
        acting="DO",
        conditions=["distress"],
    )
    assert dominican["steps"][0]["agency"]["id"] == "do-armada"
    assert any("us-rsc-sanjuan" in w for w in dominican["steps"][0]["warnings"])


# Agreements' conditions in the step -----------------------------------------------------------


def test_an_agreements_condition_and_inferred_status_are_in_the_step(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="territorial", coastal="TC", acting="BS")
    [step] = steps(result, "coastal-state-authorization")
    assert (step["action"], step["agreement"]["id"]) == ("notify", "bs-tc-shiprider")
    assert any("a TCI shiprider is aboard" in w for w in step["warnings"])
    assert len(step["warnings"]) >= 2  # the condition, and the status inferred from practice


# Consular post for landings -----------------------------------------------------------------------


def test_the_post_that_handles_landings_is_preferred(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="high-seas", acting="US", nationalities=["HT"])
    [step] = steps(result, "consular-access")
    assert step["agency"]["id"] == "ht-cons-miami"
    assert any("ht-emb-washington" in n for n in step["notes"])


# Territories and their sovereigns -----------------------------------------------------------------


def test_a_territory_flagged_vessel_is_its_sovereigns_with_the_registry_asked_too(
    directory: Directory,
) -> None:
    result = plan(directory, flag="KY", zone="high-seas", acting="US")
    by_state = {s["state"]: s for s in steps(result, "flag-state-authorization")}
    sovereign = by_state["GB"]
    assert (sovereign["agency"]["id"], sovereign["role"]) == ("gb-mca", "som-art8-authority")
    # The US-UK agreement extends to the Cayman Islands: boarding is pre-authorised.
    assert (sovereign["action"], sovereign["agreement"]["id"]) == ("notify", "us-gb-caribbean")
    registry = by_state["KY"]
    assert (registry["role"], registry["agency"]["id"]) == ("ship-registry", "ky-registry")
    # Not extended to the Turks and Caicos Islands: there the flag state is asked.
    [tc] = [
        s
        for s in steps(
            plan(directory, flag="TC", zone="high-seas", acting="US"), "flag-state-authorization"
        )
        if s["state"] == "GB"
    ]
    assert (tc["action"], tc["agreement"]) == ("request", None)


def test_the_sovereigns_vessel_in_its_territorys_waters_needs_no_authorisation(
    directory: Directory,
) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="PR", acting="US", nationalities=["HT"]
    )
    assert "coastal-state-authorization" not in purposes(result)
    assert "disembarkation" not in purposes(result)  # landed in the United States' own territory
    foreign = plan(directory, flag="HT", zone="territorial", coastal="PR", acting="BS")
    assert steps(foreign, "coastal-state-authorization")


def test_a_vessel_of_a_territory_intercepted_by_its_sovereign_needs_no_flag_state_step(
    directory: Directory,
) -> None:
    result = plan(directory, flag="PR", zone="high-seas", acting="US")
    assert "flag-state-authorization" not in purposes(result)


def test_the_coastal_rcc_of_a_territory_is_found_by_its_sar_region(directory: Directory) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="PR", acting="US", conditions=["distress"]
    )
    assert result["steps"][0]["agency"]["id"] == "us-rsc-sanjuan"


def test_an_agency_that_covers_a_territory_acts_for_it_at_sea(directory: Directory) -> None:
    result = plan(directory, flag="VE", zone="territorial", coastal="AW", acting="US")
    [step] = steps(result, "coastal-state-authorization")
    assert (step["state"], step["agency"]["id"], step["resolved"]) == ("AW", "cw-dccg", True)


def test_consular_protection_of_a_territorys_people_is_its_sovereigns(
    directory: Directory,
) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS", nationalities=["KY"]
    )
    [step] = steps(result, "consular-access")
    assert (step["state"], step["nationality"], step["agency"]["id"]) == (
        "KY",
        "KY",
        "gb-hc-nassau",
    )
    # Its people landed in its sovereign's territory are at home: no consular step.
    home = plan(directory, flag="HT", zone="high-seas", acting="GB", nationalities=["KY"])
    assert "consular-access" not in purposes(home)


def test_mandatory_notification_follows_the_sovereign(directory: Directory) -> None:
    # The fixture's U.S. list names GB, not the Cayman Islands.
    result = plan(directory, flag="HT", zone="high-seas", acting="US", nationalities=["KY"])
    [step] = steps(result, "consular-access")
    assert (step["requires_consent"], step["action"]) == (False, "notify")


def test_a_territory_acting_has_its_sovereigns_treaty_capacity(directory: Directory) -> None:
    result = plan(directory, flag="US", zone="high-seas", acting="KY")
    [step] = steps(result, "flag-state-authorization")
    assert (step["action"], step["agreement"]["id"]) == ("notify", "us-gb-caribbean")
    not_extended = plan(directory, flag="US", zone="high-seas", acting="TC")
    [tc] = steps(not_extended, "flag-state-authorization")
    assert (tc["action"], tc["agreement"]) == ("request", None)


def test_a_territory_acting_applies_its_own_agreements(directory: Directory) -> None:
    result = plan(
        directory,
        flag="CU",
        zone="territorial",
        coastal="KY",
        acting="KY",
        nationalities=["CU"],
        return_considered=True,
    )
    found = steps(result, "repatriation")
    assert found and all(s["agreement"]["id"] == "ky-cu-returns" for s in found)
    assert all(s["resolved"] for s in found)


def test_a_sovereign_acting_off_its_territory_asks_the_authority_competent_there(
    directory: Directory,
) -> None:
    # The Cayman Islands have their own prosecutor; the United Kingdom has none for them.
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="KY",
        acting="GB",
        conditions=["smugglers"],
    )
    [gb] = [s for s in steps(result, "investigation") if s["state"] == "GB"]
    assert (gb["resolved"], gb["agency"]["id"]) == (True, "ky-odpp")
    # The federal prosecutor seated in Puerto Rico, before the department in Washington.
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="PR",
        acting="US",
        conditions=["smugglers"],
    )
    [us] = [s for s in steps(result, "investigation") if s["state"] == "US"]
    assert us["agency"]["id"] == "us-usao-pr"
    # The step says who acts for whom, naming the agency it gives.
    assert any(us["agency"]["name_en"] in note and "PR" in note for note in us["notes"])
    # At home, the state's own.
    result = plan(directory, flag="HT", zone="high-seas", acting="US", conditions=["smugglers"])
    [us] = [s for s in steps(result, "investigation") if s["state"] == "US"]
    assert us["agency"]["id"] == "us-doj"


def test_a_territory_without_an_authority_of_its_own_is_given_its_sovereigns_with_a_warning(
    directory: Directory,
) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="PR", acting="US", nationalities=["HT"]
    )
    [refugee] = [s for s in steps(result, "protection-referral") if s["role"] == "refugee-status"]
    assert (refugee["state"], refugee["agency"]["id"]) == ("PR", "us-uscis")
    # Said as a warning naming both: the sovereign's authority may not act in the territory.
    assert any("PR" in w and "US" in w for w in refugee["warnings"])
    # Neither the Cayman Islands nor the United Kingdom has one here: still unresolved.
    result = plan(
        directory, flag="HT", zone="territorial", coastal="KY", acting="KY", nationalities=["HT"]
    )
    [refugee] = [s for s in steps(result, "protection-referral") if s["role"] == "refugee-status"]
    assert refugee["agency"] is None


# Documented gaps ---------------------------------------------------------------------------------


def test_an_unresolved_step_shows_what_the_directory_records_about_the_gap(
    directory: Directory,
) -> None:
    result = plan(
        directory,
        flag="JM",
        zone="territorial",
        coastal="JM",
        acting="JM",
        nationalities=["HT"],
        conditions=["asylum", "unaccompanied"],
    )
    referral = next(
        s
        for s in steps(result, "protection-referral")
        if s["state"] == "JM" and s["role"] == "refugee-status"
    )
    assert referral["resolved"] is False
    # The first sentence in the notes; the whole note (what was searched) with the provenance.
    assert any(
        n.endswith("UNHCR processes them at the request of the government.")
        for n in referral["notes"]
    )
    assert any("Searched the gazette" in n for n in referral["notes"])
    [children] = [s for s in steps(result, "child-protection") if s["state"] == "JM"]
    assert not children["resolved"]
    assert any("UNHCR processes them" in n for n in children["notes"])


def test_a_step_without_a_documented_gap_says_only_what_is_missing(directory: Directory) -> None:
    result = plan(
        directory,
        flag="CU",
        zone="territorial",
        coastal="CU",
        acting="CU",
        nationalities=["HT"],
        conditions=["asylum"],
    )
    [referral] = [s for s in steps(result, "protection-referral") if s["role"] == "refugee-status"]
    assert not referral["resolved"]
    assert not any("gap" in n for n in referral["notes"])


def test_a_plan_made_now_gives_its_time_to_the_second_on_the_acting_states_clock(
    directory: Directory,
) -> None:
    interception = make_interception(
        flag="HT", zone="contiguous", coastal="BS", acting="BS", directory=directory
    )
    at = datetime.fromisoformat(
        plan_contacts(directory, interception).to_json()["interception"]["at"]
    )
    assert at.microsecond == 0
    assert at.utcoffset() == at.astimezone(ZoneInfo("America/Nassau")).utcoffset()


# Edges a rule could lose without any other test noticing -----------------------------------------


def test_r2_an_agreement_that_does_not_cover_migrant_smuggling_is_not_applied(
    directory: Directory,
) -> None:
    # us-do-counter-drug lets US vessels enter Dominican waters, but only against drugs.
    result = plan(directory, flag="HT", zone="territorial", coastal="DO", acting="US")
    [step] = steps(result, "coastal-state-authorization")
    assert (step["action"], step["agreement"]) == ("request", None)


def test_r2_cites_its_legal_basis(directory: Directory) -> None:
    result = plan(directory, flag="HT", zone="territorial", coastal="BS", acting="JM")
    [step] = steps(result, "coastal-state-authorization")
    assert {"UNCLOS arts. 2, 49", "SOM Protocol art. 7"} <= set(step["basis"])


def test_r4_the_protocol_binds_from_a_day_on_the_acting_states_calendar(
    directory: Directory,
) -> None:
    # The Protocol bound DO from 2008-01-09. 03:00 UTC on that day is still 8 January in
    # Nassau: on the acting state's calendar the flag state was not yet bound.
    at = datetime.fromisoformat("2008-01-09T03:00:00+00:00")
    result = plan(directory, flag="DO", zone="high-seas", acting="BS", at=at)
    [step] = steps(result, "flag-state-authorization")
    assert any("DO" in n and "SOM Protocol" in n for n in step["notes"])


def test_r5_a_stateless_vessel_in_the_acting_states_own_waters_points_to_no_missing_step(
    directory: Directory,
) -> None:
    result = plan(directory, stateless=True, zone="territorial", coastal="BS", acting="BS")
    assert "coastal-state-authorization" not in purposes(result)
    [note] = [n for n in result["notes"] if n["rule"] == "R5"]
    assert "coastal-state-authorization" not in note["text"]


def test_mandatory_notification_by_the_acting_state_landing_elsewhere(
    directory: Directory,
) -> None:
    # The United States detains Jamaicans aboard its cutter: its duty applies even though
    # they will be landed in The Bahamas, which has none.
    result = plan(
        directory, flag="JM", zone="high-seas", acting="US", disembark="BS", nationalities=["JM"]
    )
    [step] = steps(result, "consular-access")
    assert (step["requires_consent"], step["action"]) == (False, "notify")


def test_mandatory_notification_cites_the_bilateral_convention(directory: Directory) -> None:
    result = plan(directory, flag="JM", zone="high-seas", acting="US", nationalities=["JM", "CU"])
    by_nationality = {s["nationality"]: s for s in steps(result, "consular-access")}
    bilateral = "Bilateral consular convention (mandatory notification)"
    assert bilateral in by_nationality["JM"]["basis"]
    assert bilateral not in by_nationality["CU"]["basis"]
    assert "VCCR art. 36(1)(b)" in by_nationality["CU"]["basis"]


def test_r10_unaccompanied_children_of_unknown_nationality_keep_their_consular_notice(
    directory: Directory,
) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        conditions=["unaccompanied"],
    )
    [notice] = [s for s in steps(result, "consular-access") if s["rule"] == "R10"]
    assert (notice["action"], notice["requires_consent"], notice["resolved"]) == (
        "notify",
        False,
        False,
    )
    assert "nationalities" in notice["missing"]
    assert "VCCR art. 37(b)" in notice["basis"]


def test_r11_and_r14_ask_the_landing_state_not_the_acting_state(directory: Directory) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="high-seas",
        acting="US",
        disembark="BS",
        nationalities=["HT"],
        conditions=["trafficking", "corruption"],
    )
    [victims] = steps(result, "trafficking-victim-referral")
    [corruption] = steps(result, "anti-corruption")
    assert (victims["rule"], victims["action"], victims["state"]) == ("R11", "request", "BS")
    assert (corruption["rule"], corruption["action"], corruption["state"]) == (
        "R14",
        "request",
        "BS",
    )


def test_r12_a_territorys_vessel_prosecuted_by_its_sovereign_has_no_separate_flag_state(
    directory: Directory,
) -> None:
    # A Puerto Rican vessel flies the US flag: the US prosecutors are the flag state's too.
    result = plan(directory, flag="PR", zone="high-seas", acting="US", conditions=["smugglers"])
    assert [s["state"] for s in steps(result, "investigation")] == ["US"]


def test_r13_the_repatriation_agreement_is_the_landing_states_not_the_acting_states(
    directory: Directory,
) -> None:
    # US officers land Cubans in The Bahamas: the Bahamas-Cuba agreement governs the return.
    result = plan(
        directory,
        flag="CU",
        zone="high-seas",
        acting="US",
        disembark="BS",
        nationalities=["CU"],
        return_considered=True,
    )
    found = steps(result, "repatriation")
    assert {s["state"] for s in found} == {"BS", "CU"}
    assert {s["agreement"]["id"] for s in found} == {"bs-cu-1998"}


def test_r13_cites_article_18_and_its_bilateral_agreements(directory: Directory) -> None:
    result = plan(
        directory,
        flag="CU",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT", "CU"],
        return_considered=True,
    )
    found = steps(result, "repatriation")
    assert {s["nationality"] for s in found} == {"HT", "CU"}
    for step in found:
        article_18 = {"SOM Protocol art. 18", "SOM Protocol art. 18(8)"}
        # Cuba is not a party in the fixture: the return rests on general international law.
        if step["nationality"] == "CU":
            assert not article_18 & set(step["basis"]), step["basis"]
        else:
            # No agreement between The Bahamas and Haiti governs the return of Haitians (the
            # fixture's covers Dominicans): art. 18 alone, without 18(8).
            assert step["agreement"] is None, step
            assert step["basis"] == ["SOM Protocol art. 18"], step["basis"]


def test_r15_a_landing_agreement_for_some_nationalities_needs_them_known(
    directory: Directory,
) -> None:
    # us-ht-1981 provides for landing Haitians in Haiti: with nobody's nationality known, the
    # landing is asked for, not notified.
    result = plan(directory, flag="HT", zone="high-seas", acting="US", disembark="HT")
    [step] = steps(result, "disembarkation")
    assert (step["action"], step["agreement"]) == ("request", None)


def test_r15_falls_back_to_foreign_affairs_without_maritime_law_enforcement(
    directory: Directory,
) -> None:
    result = plan(directory, stateless=True, zone="high-seas", acting="US", disembark="GB")
    [step] = steps(result, "disembarkation")
    assert (step["state"], step["resolved"], step["agency"]["id"]) == ("GB", True, "gb-fcdo")


def test_r15_cites_its_legal_basis(directory: Directory) -> None:
    facts: dict[str, Any] = dict(stateless=True, zone="high-seas", acting="US", disembark="BS")
    [step] = steps(plan(directory, conditions=["distress"], **facts), "disembarkation")
    assert {
        "SOLAS V/33.1-1",
        "SAR Convention annex 3.1.9",
        "IMO res. MSC.167(78)",
    } <= set(step["basis"])
    # No one rescued: the landing rests on the landing state's consent.
    [plain] = steps(plan(directory, **facts), "disembarkation")
    assert plain["basis"] == [
        "General international law (a state's sovereignty over its territory and ports)",
        "UNCLOS arts. 2(1), 25(2)",
    ]


def test_asylum_defers_nothing_asked_of_the_acting_state_itself(directory: Directory) -> None:
    # Haitian officers intercept Haitians who claim asylum: its own prosecutors still act.
    result = plan(
        directory,
        flag="HT",
        zone="high-seas",
        acting="HT",
        nationalities=["HT"],
        conditions=["asylum", "smugglers"],
    )
    [step] = steps(result, "investigation")
    assert (step["state"], step["action"], step["deferred"]) == ("HT", "request", False)


def test_asylum_with_nationalities_unknown_landed_in_the_flag_state_is_warned(
    directory: Directory,
) -> None:
    # A Haitian boat on the high seas, asylum claimed, landed in Haiti: the flag's state is
    # where they most likely come from.
    facts: dict[str, Any] = dict(flag="HT", zone="high-seas", acting="US", disembark="HT")
    assert refoulement_warnings(plan(directory, conditions=["asylum"], **facts), "HT")
    assert not refoulement_warnings(plan(directory, **facts), "HT")


#: The order docs/routing.md gives ("Order of the steps"), written out here rather than read
#: from the code, so that a plan's order is checked against the reference.
DOCUMENTED_ORDER = (
    "sar-coordination",  # R1
    "coastal-state-authorization",  # R2
    "coastal-state-notification",  # R3
    "flag-state-authorization",  # R4
    "disembarkation",  # R15
    "protection-referral",  # R9
    "child-protection",  # R10
    "trafficking-victim-referral",  # R11
    "consular-access",  # R6 (and R10's notice)
    "consular-death-notification",  # R8
    "investigation",  # R12
    "repatriation",  # R13
    "anti-corruption",  # R14
)


@pytest.mark.parametrize(
    ("zone", "absent"),
    [
        # Inside the coastal state's waters no flag-state step (R4) and no notice (R3).
        ("territorial", {"coastal-state-notification", "flag-state-authorization"}),
        ("contiguous", {"coastal-state-authorization"}),
    ],
)
def test_every_step_comes_in_the_documented_order(
    directory: Directory, zone: str, absent: set[str]
) -> None:
    result = plan(
        directory,
        flag="HT",
        zone=zone,
        coastal="BS",
        acting="US",
        nationalities=["HT", "CU"],
        return_considered=True,
        conditions=["distress", "deaths", "minors", "trafficking", "smugglers", "corruption"],
    )
    seen = list(dict.fromkeys(purposes(result)))
    assert seen == [p for p in DOCUMENTED_ORDER if p in seen]
    assert set(DOCUMENTED_ORDER) - set(seen) == absent


def test_of_two_agreements_in_force_alike_the_most_recent_governs(directory: Directory) -> None:
    # In 2031 both us-bs-2004 and us-bs-2030 authorise US entry into Bahamian waters.
    at = datetime.fromisoformat("2031-03-04T15:00:00-05:00")
    result = plan(directory, flag="HT", zone="territorial", coastal="BS", acting="US", at=at)
    [step] = steps(result, "coastal-state-authorization")
    assert (step["action"], step["agreement"]["id"]) == ("notify", "us-bs-2030")
    assert any("us-bs-2004" in n for n in step["notes"])


def test_r15_a_landing_agreement_applies_only_in_the_zones_it_covers(
    directory: Directory,
) -> None:
    # us-ht-1981 provides for landing Haitians intercepted beyond Haiti's territorial sea.
    facts: dict[str, Any] = dict(flag="HT", acting="US", disembark="HT", nationalities=["HT"])
    [inside] = steps(plan(directory, zone="territorial", coastal="HT", **facts), "disembarkation")
    [outside] = steps(plan(directory, zone="high-seas", **facts), "disembarkation")
    assert (inside["action"], inside["agreement"]) == ("request", None)
    assert (outside["action"], outside["agreement"]["id"]) == ("notify", "us-ht-1981")


@pytest.mark.parametrize(("nationality", "receiving"), [("KY", "GB"), ("KY", "TC"), ("GB", "KY")])
def test_consular_posts_refuses_nationals_in_their_own_state(
    directory: Directory, nationality: str, receiving: str
) -> None:
    # Caymanians in the United Kingdom or the Turks and Caicos are in their own state.
    with pytest.raises(InterceptionError) as raised:
        consular_posts(directory, nationality, receiving)
    assert raised.value.field == "receiving"


def test_r13_a_repatriation_agreement_for_other_nationalities_is_not_applied(
    directory: Directory,
) -> None:
    # bs-ht-third-country covers Dominicans readmitted to Haiti, not Haitians going home.
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=["HT"],
        return_considered=True,
    )
    found = steps(result, "repatriation")
    assert found and all(s["agreement"] is None for s in found)


def test_r15_after_a_rescue_falls_back_to_law_enforcement_where_the_landing_state_has_no_rcc(
    directory: Directory,
) -> None:
    # The Bahamas has no RCC of its own (Miami's region covers it): its defence force answers.
    result = plan(
        directory,
        stateless=True,
        zone="high-seas",
        acting="US",
        disembark="BS",
        conditions=["distress"],
    )
    [step] = steps(result, "disembarkation")
    assert (step["state"], step["role"], step["agency"]["id"]) == (
        "BS",
        "maritime-law-enforcement",
        "bs-rbdf",
    )


def test_r10_child_protection_is_requested(directory: Directory) -> None:
    result = plan(
        directory,
        flag="HT",
        zone="high-seas",
        acting="US",
        disembark="BS",
        nationalities=["HT"],
        conditions=["minors"],
    )
    [step] = steps(result, "child-protection")
    assert (step["action"], step["state"]) == ("request", "BS")


@pytest.mark.parametrize(
    ("facts", "purpose", "missing"),
    [
        (
            dict(flag="HT", zone="territorial", acting="US"),
            "coastal-state-authorization",
            "coastal",
        ),
        (dict(zone="high-seas", acting="US"), "flag-state-authorization", "flag"),
        (
            dict(
                flag="HT",
                zone="high-seas",
                disembark="HT",
                nationalities=["HT"],
                conditions=["asylum"],
            ),
            "protection-referral",
            "acting",
        ),
        # R6, R8 and R13 with nobody's nationality known: one step each, asking for them.
        (
            dict(flag="HT", zone="territorial", coastal="BS", acting="BS"),
            "consular-access",
            "nationalities",
        ),
        (
            dict(flag="HT", zone="territorial", coastal="BS", acting="BS", conditions=["deaths"]),
            "consular-death-notification",
            "nationalities",
        ),
        (
            dict(flag="HT", zone="territorial", coastal="BS", acting="BS", return_considered=True),
            "repatriation",
            "nationalities",
        ),
    ],
)
def test_a_step_whose_addressee_is_not_known_stays_in_the_plan_unresolved(
    directory: Directory, facts: dict[str, Any], purpose: str, missing: str
) -> None:
    found = steps(plan(directory, **facts), purpose)
    assert found
    for step in found:
        assert (step["state"], step["resolved"]) == (None, False)
        assert missing in step["missing"]


def test_people_landed_in_a_territory_without_posts_of_its_own_get_the_sovereigns_posts(
    directory: Directory,
) -> None:
    # No Haitian post is recorded for Puerto Rico itself: Haiti's posts in the United States
    # are given, with a warning to check which covers Puerto Rico.
    result = plan(
        directory, flag="HT", zone="territorial", coastal="PR", acting="US", nationalities=["HT"]
    )
    [step] = steps(result, "consular-access")
    assert (step["state"], step["resolved"], step["agency"]["id"]) == ("HT", True, "ht-cons-miami")
    assert step["warnings"]
    at_home = plan(
        directory, flag="HT", zone="territorial", coastal="US", acting="US", nationalities=["HT"]
    )
    [direct] = steps(at_home, "consular-access")
    assert direct["agency"]["id"] == "ht-cons-miami" and not direct["warnings"]


#: Each rule's action and legal basis as the table in docs/routing.md gives them, for a case
#: that brings no agreement, no asylum and no mandatory notification into play.
DOCUMENTED_RULES = {
    "R1": ({"request"}, {"SAR Convention 1979 annex 2.1, 4.3", "SOLAS V/33", "UNCLOS art. 98"}),
    "R3": ({"notify"}, {"UNCLOS art. 33"}),
    "R4": ({"request"}, {"SOM Protocol art. 8(2), 8(4), 8(5), 8(6)", "UNCLOS art. 92"}),
    "R6": ({"inform"}, {"VCCR art. 36(1)(b)", "SOM Protocol art. 16(5)"}),
    "R8": ({"notify"}, {"VCCR art. 37(a)"}),
    "R9": ({"inform"}, {"SOM Protocol arts. 16, 19", "1951 Convention art. 33"}),
    "R10": ({"request"}, {"SOM Protocol art. 16(4)", "CRC arts. 20, 22"}),
    "R11": ({"request"}, {"Trafficking in Persons Protocol art. 6"}),
    "R12": ({"request", "inform"}, {"SOM Protocol art. 6", "UNTOC art. 15"}),
    "R13": ({"request"}, {"SOM Protocol art. 18"}),
    "R14": ({"request"}, {"UNCAC", "UNTOC art. 9"}),
    "R15": ({"request"}, {"SOLAS V/33.1-1", "IMO res. MSC.167(78)"}),
}


def test_each_rule_acts_and_cites_as_documented(directory: Directory) -> None:
    result = plan(
        directory,
        flag="JM",
        zone="contiguous",
        coastal="BS",
        acting="US",
        nationalities=["HT", "CU"],
        return_considered=True,
        conditions=["distress", "deaths", "minors", "trafficking", "smugglers", "corruption"],
    )
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for step in result["steps"]:
        by_rule.setdefault(step["rule"], []).append(step)
    assert set(by_rule) == set(DOCUMENTED_RULES)
    for rule, (actions, basis) in DOCUMENTED_RULES.items():
        assert {s["action"] for s in by_rule[rule]} == actions, rule
        for step in by_rule[rule]:
            if rule == "R13" and step["nationality"] == "CU":
                # Cuba is not a party in the fixture: art. 18 does not bind it.
                assert not basis & set(step["basis"]), step["basis"]
                continue
            assert basis <= set(step["basis"]), rule
    # R12: the acting and the coastal state's prosecutors asked, the flag state's informed.
    assert {(s["state"], s["action"]) for s in by_rule["R12"]} == {
        ("US", "request"),
        ("BS", "request"),
        ("JM", "inform"),
    }


def _rule_table(document: str) -> dict[str, list[str]]:
    """The rows of a document's table of the rules (``| R1 | when | step | ... |``) by rule."""
    text = (Path(__file__).parents[1] / document).read_text(encoding="utf-8")
    rows = re.findall(r"^\| (R\d+) \|(.*)\|$", text, flags=re.M)
    return {rule: [cell.strip() for cell in cells.split(" | ")] for rule, cells in rows}


def test_the_rules_documented_are_the_rules_applied(directory: Directory) -> None:
    """docs/routing.md's table ("when", "step", "whom", "basis") and the README's ("when",
    "step", "basis") name the rules of ``RULES`` (and R7, which qualifies R6 and asks nobody),
    each with the purpose of the steps it gives and every article its basis cites: a rule
    added, renamed, given another purpose or another basis, and not documented, fails here."""
    routing, readme = _rule_table("docs/routing.md"), _rule_table("README.md")
    applied = {rule.id for rule in RULES}
    assert set(routing) == set(readme) == applied | {"R7"}
    # The purpose of the steps each rule gives, in the case above and in another state's
    # waters (R2).
    facts: dict[str, Any] = {"flag": "JM", "coastal": "BS", "acting": "US"}
    given = [
        *plan(
            directory, zone="contiguous", nationalities=["HT", "CU"], return_considered=True,
            conditions=["distress", "deaths", "minors", "trafficking", "smugglers", "corruption"],
            **facts,
        )["steps"],
        *plan(directory, zone="territorial", **facts)["steps"],
    ]  # fmt: skip
    purposes_of: dict[str, set[str]] = {}
    for step in given:
        purposes_of.setdefault(step["rule"], set()).add(step["purpose"])
    assert set(purposes_of) == applied - {"R5"}  # R5 asks nobody: a note
    for rule, found in purposes_of.items():
        documented = set(re.findall(r"`([a-z-]+)`", routing[rule][1]))
        assert found <= documented, (rule, found, documented)
        assert found <= set(re.findall(r"`([a-z-]+)`", readme[rule][1])), rule
    # Every article a rule cites is in the documents' basis of that rule: its own, and what
    # its steps add where they do (R2's rescue, R4 in one's own contiguous zone, R5 in a
    # state's waters, R13 under an agreement and its safeguards, R15 at home).
    cited = {rule.id: [str(b) for b in rule.basis] for rule in RULES}
    cited["R7"] = [str(b) for b in R7_BASIS]
    cited["R2"] += ["SAR Convention 1979 annex 3.1.2, 3.1.3, 3.1.4, 3.1.5"]
    cited["R4"] += [str(b) for b in R4_BASIS_IN_OWN_CONTIGUOUS_ZONE]
    cited["R5"] += [str(b) for b in R5_BASIS_IN_A_STATES_WATERS]
    cited["R13"] += [str(b) for b in R13_BASIS_UNDER_AGREEMENT]
    cited["R13"] += [str(b) for _c, _w, basis in RETURN_SAFEGUARDS for b in basis]
    cited["R15"] += [str(ICCPR_12_4), *(str(b) for b in FOUND_AT_HOME_BASIS)]
    for rule, basis in cited.items():
        for citation in basis:
            for token in _citations(citation):
                assert token in routing[rule][-1], (rule, citation, token, "docs/routing.md")
                assert token in readme[rule][-1], (rule, citation, token, "README.md")
    # The two tables cite the same for each rule, and say alike when a rule applies with
    # nobody's nationality known.
    for rule in applied | {"R7"}:
        assert _citations(routing[rule][-1]) == _citations(readme[rule][-1]), rule
        unknown = ["nationalities unknown" in table[rule][0] for table in (routing, readme)]
        assert unknown[0] == unknown[1], (rule, routing[rule][0], readme[rule][0])


def _citations(text: str) -> set[str]:
    """The instruments and article numbers a citation, or a table's basis cell, names."""
    return set(re.findall(r"[A-Z]{3,}|\d+(?:\.\d+)*(?:\([\w-]+\))*", text))


def test_r8_no_death_notification_for_nationals_of_the_landing_state(
    directory: Directory,
) -> None:
    # R8 is per nationality other than the landing state's: Bahamians who died, landed in The
    # Bahamas, are its own to notify; the Haitians' consul is notified.
    result = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS",
        nationalities=["HT", "BS"], conditions=["deaths"],
    )  # fmt: skip
    notices = steps(result, "consular-death-notification")
    assert [(s["rule"], s["nationality"]) for s in notices] == [("R8", "HT")]


# The time of contact --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "offset",
    [
        timedelta(hours=-5, seconds=30),  # no zone keeps an offset of seconds
        timedelta(hours=5, minutes=30, seconds=45),
        timedelta(hours=-13),  # none keeps one beyond -12:00 or +14:00
        timedelta(hours=15),
    ],
)
def test_a_datetime_is_refused_where_the_same_time_as_text_is(
    directory: Directory, offset: timedelta
) -> None:
    """One check for a time given as text and as a datetime: an offset no time zone keeps was
    refused in '2026-12-01T10:00-04:59:30' but taken from the same datetime, and the plan then
    spoke of another instant than the one meant."""
    at = datetime(2026, 12, 1, 10, 0, tzinfo=timezone(offset))
    for given in (at, at.isoformat()):
        with pytest.raises(InterceptionError) as raised:
            make_interception(zone="eez", flag="HT", acting="BS", at=given, directory=directory)
        assert raised.value.field == "at", given
    # The edges of the offsets kept are taken, as text and as a datetime.
    for edge in (timedelta(hours=-12), timedelta(hours=14)):
        at = datetime(2026, 12, 1, 10, 0, tzinfo=timezone(edge))
        for given in (at, at.isoformat()):
            made = make_interception(zone="eez", flag="HT", at=given, directory=directory)
            assert made.at == at


@pytest.mark.parametrize(("acting", "landing"), [("BS", "BS"), ("TC", "TC")])
def test_r13_a_return_to_a_state_without_a_migration_authority_goes_to_its_foreign_ministry(
    directory: Directory, acting: str, landing: str
) -> None:
    """British citizens to be returned from The Bahamas, or from the Turks and Caicos Islands
    (which admit people under their own law): the directory holds no migration authority of
    the United Kingdom at home. The step was left unresolved, with the directory's note that
    the territory's authorities handle migration: no one to ask for a return to the United
    Kingdom itself. The request goes through diplomatic channels, as a consular notice without
    a post does: to the United Kingdom's foreign ministry, saying that it falls back to it."""
    result = plan(
        directory, zone="territorial", coastal=landing, acting=acting, nationalities=["GB"],
        return_considered=True,
    )  # fmt: skip
    [home] = [s for s in steps(result, "repatriation") if s["state"] == "GB"]
    assert (home["resolved"], home["role"], home["action"]) == (True, "foreign-affairs", "request")
    assert home["agency"]["id"] == "gb-fcdo"
    # The landing side is still asked of the landing state's own migration authority.
    [landing_side] = [s for s in steps(result, "repatriation") if s["state"] == landing]
    assert (landing_side["resolved"], landing_side["role"]) == (True, "migration")


def test_r4_expedited_agreement_hours_are_the_notice_owed_not_the_flag_states_reply(
    directory: Directory,
) -> None:
    """``notification_hours`` is the notice a party owes the other (data/README.md: the
    Bahamas-Cuba protocol's 72 hours to report detained Cubans). An expedited boarding
    agreement that sets it (us-bs-2004, 4 hours) does not thereby give the flag state 4 hours
    to answer: the step must not promise the officer a reply within them."""
    [step] = steps(
        plan(directory, flag="BS", zone="high-seas", acting="US"), "flag-state-authorization"
    )
    assert step["agreement"]["provides"]["notification_hours"] == 4
    [note] = [n for n in step["notes"] if step["agreement"]["title"] in n]
    assert "4" in note
    assert "reply within" not in note


def test_with_the_acting_state_unknown_the_contiguous_zone_steps_say_what_the_coastal_state_needs(
    directory: Directory,
) -> None:
    # A Haitian boat in Cuba's contiguous zone, the acting state not given: R3 tells Cuba, and
    # R4 asks Haiti to authorise the boarding, as another state's officers must. If Cuba itself
    # acts, it notifies nobody of its own zone (R3), and under UNCLOS art. 33 it asks Haiti for
    # no authorisation, it tells it (R4): each step says so, as the landing step does.
    facts: dict[str, Any] = {"flag": "HT", "zone": "contiguous", "coastal": "CU"}
    result = plan(directory, **facts)
    for step in steps(result, "coastal-state-notification"):
        assert "Not needed if the acting state is CU itself." in step["notes"], step["notes"]
    [flag] = steps(result, "flag-state-authorization")
    assert flag["action"] == "request"
    assert any(
        n.startswith("If the acting state is CU itself") and "UNCLOS arts. 33, 92" in n
        for n in flag["notes"]
    ), flag["notes"]
    # With the acting state given, neither note.
    known = plan(directory, **facts, acting="US")
    for step in [
        *steps(known, "coastal-state-notification"),
        *steps(known, "flag-state-authorization"),
    ]:
        assert not any(
            "If the acting state is CU" in n or "Not needed if" in n for n in step["notes"]
        )
