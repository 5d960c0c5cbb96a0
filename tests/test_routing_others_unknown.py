"""Nationalities partly known (``--nationality HT,unknown``, ``others_unknown``): Haitians
aboard, and others whose nationality is not known yet. Nothing that holds only if everyone
aboard is Haitian may be planned for them all, on the fixture directory of
tests/routing_fixture.py."""

from __future__ import annotations

import json
from typing import Any

import pytest

import somnet
from somnet import Directory, InterceptionError, load_directory, make_interception
from tests.cli import run
from tests.routing_fixture import plan, steps, write_routing_directory


@pytest.fixture(scope="module")
def shipped() -> Directory:
    return load_directory(use_env=False)


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    folder = write_routing_directory(tmp_path_factory.mktemp("routing-others-unknown"))
    return load_directory(base=folder, use_env=False)


def unresolved(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps that wait for the nationalities (no state, ``missing`` names them)."""
    return [s for s in found if s["state"] is None and s["missing"] == ["nationalities"]]


# The input ------------------------------------------------------------------------------------


def test_others_unknown_is_kept_beside_the_nationalities_known(directory: Directory) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS",
        nationalities=["HT"], others_unknown=True,
    )  # fmt: skip
    interception = result["interception"]
    assert (interception["nationalities"], interception["others_unknown"]) == (["HT"], True)
    plain = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS", nationalities=["HT"]
    )
    assert plain["interception"]["others_unknown"] is False


@pytest.mark.parametrize("stateless_persons", [False, True])
def test_others_unknown_beside_nobody_known_is_nobody_known(
    directory: Directory, stateless_persons: bool
) -> None:
    """Alone it says what an empty list says: the plan is the same, field for field. With
    stateless persons it is kept: some are stateless, the others' nationality is not known."""
    facts: dict[str, Any] = {
        "flag": "HT", "zone": "territorial", "coastal": "BS", "acting": "BS",
        "stateless_persons": stateless_persons, "conditions": ["asylum", "unaccompanied"],
        "return_considered": True,
    }  # fmt: skip
    result = plan(directory, **facts, others_unknown=True)
    if stateless_persons:
        # No post serves the stateless persons; the others' posts wait for their nationality.
        assert result["interception"]["others_unknown"] is True
        assert len(unresolved(steps(result, "consular-access"))) == 2  # R6, R10's notice
        assert not steps(plan(directory, **facts), "consular-access")
    else:
        assert result == plan(directory, **facts)


@pytest.mark.parametrize("word", ["unknown", "Unknown", " UNKNOWN "])
def test_make_interception_refuses_unknown_as_a_nationality(word: str) -> None:
    with pytest.raises(InterceptionError) as raised:
        make_interception(zone="eez", flag="HT", nationalities=["HT", word])
    assert raised.value.field == "nationalities"
    assert "others_unknown=True" in str(raised.value)
    assert "--" not in str(raised.value)


def test_make_interception_refuses_others_unknown_that_is_not_a_bool() -> None:
    with pytest.raises(InterceptionError) as raised:
        make_interception(zone="eez", flag="HT", nationalities=["HT"], others_unknown="no")  # type: ignore[arg-type]
    assert (raised.value.field, raised.value.value) == ("others_unknown", "no")


def _contact(capsys: pytest.CaptureFixture[str], *nationality: str, json_: bool = True) -> Any:
    args = ["contact", "--flag", "HT", "--zone", "territorial", "--coastal", "BS", "--as", "BS"]
    for value in nationality:
        args += ["--nationality", value]
    args += ["--no-cache", "--at", "2026-12-01T15:00-05:00"]
    result = run(capsys, *args, *(["--format", "json"] if json_ else []))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout) if json_ else result.stdout


@pytest.fixture
def fixture_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_routing_directory(tmp_path_factory.mktemp("routing-others-unknown-cli"))
    monkeypatch.setattr("somnet.directory.loading.shipped_data_dir", lambda: folder)


@pytest.mark.usefixtures("fixture_data")
def test_the_command_line_reads_unknown_among_the_nationalities_in_any_case(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = _contact(capsys, "HT,Unknown")["interception"]
    assert (data["nationalities"], data["others_unknown"]) == (["HT"], True)
    # Twice is once, as a code given twice is.
    assert _contact(capsys, "unknown,HT", "UNKNOWN") == _contact(capsys, "HT,unknown")
    both = _contact(capsys, "stateless,unknown")["interception"]
    assert (both["nationalities"], both["stateless_persons"], both["others_unknown"]) == (
        [],
        True,
        True,
    )
    text = _contact(capsys, "ht,unknown", json_=False)
    assert "aboard: HT, others unknown" in text.split("\n")[1]
    text = _contact(capsys, "unknown,stateless,HT", json_=False)
    assert "aboard: HT, stateless, others unknown" in text.split("\n")[1]


@pytest.mark.usefixtures("fixture_data")
def test_unknown_alone_on_the_command_line_is_no_nationality(
    capsys: pytest.CaptureFixture[str],
) -> None:
    alone = _contact(capsys, "unknown")
    assert alone == _contact(capsys)
    assert alone["interception"]["others_unknown"] is False
    assert "aboard:" not in _contact(capsys, "Unknown", json_=False)


# The rules ------------------------------------------------------------------------------------

#: Haitians and others stopped in The Bahamas' territorial sea by its own defence force.
IN_BAHAMAS = {"flag": "HT", "zone": "territorial", "coastal": "BS", "acting": "BS"}
#: Haitians and others aboard a Haitian boat stopped on the high seas by a U.S. cutter, landed
#: in Haiti.
TO_HAITI = {"flag": "HT", "zone": "high-seas", "acting": "US", "disembark": "HT"}


@pytest.mark.parametrize(
    ("purpose", "conditions"),
    [
        ("consular-access", []),
        ("consular-death-notification", ["deaths"]),
    ],
)
def test_consular_steps_go_to_the_states_known_and_ask_for_the_others(
    directory: Directory, purpose: str, conditions: list[str]
) -> None:
    """R6, R8: Haiti's post is offered or notified; the others' posts cannot be named, so a
    step waits for their nationalities, as it does when nobody's is known."""
    result = plan(
        directory, **IN_BAHAMAS, nationalities=["HT"], others_unknown=True, conditions=conditions
    )
    found = steps(result, purpose)
    assert [s["nationality"] for s in found if s["state"]] == ["HT"]
    [other] = unresolved(found)
    assert other["rule"] in ("R6", "R8")
    # Haitians alone: Haiti's step, and nothing asked for.
    known = plan(directory, **IN_BAHAMAS, nationalities=["HT"], conditions=conditions)
    assert not unresolved(steps(known, purpose))


def test_consular_steps_for_the_others_are_asked_where_everyone_known_is_at_home(
    directory: Directory,
) -> None:
    """Haitians landed in Haiti need no consular step; the others may: R6 applies for them."""
    result = plan(directory, **TO_HAITI, nationalities=["HT"], others_unknown=True)
    assert len(unresolved(steps(result, "consular-access"))) == 1
    assert not steps(plan(directory, **TO_HAITI, nationalities=["HT"]), "consular-access")


def test_the_guardian_notice_for_unaccompanied_children_asks_for_the_others_nationality(
    directory: Directory,
) -> None:
    """R10: the notice goes to Haiti's post, and waits for the other children's."""
    result = plan(
        directory, **IN_BAHAMAS, nationalities=["HT"], others_unknown=True,
        conditions=["unaccompanied"],
    )  # fmt: skip
    found = [s for s in steps(result, "consular-access") if s["rule"] == "R10"]
    assert [s["nationality"] for s in found if s["state"]] == ["HT"]
    assert len(unresolved(found)) == 1
    known = plan(directory, **IN_BAHAMAS, nationalities=["HT"], conditions=["unaccompanied"])
    assert not unresolved([s for s in steps(known, "consular-access") if s["rule"] == "R10"])


def test_a_return_asks_for_the_others_nationalities(directory: Directory) -> None:
    """R13: the Haitians' return is asked of both states; the others' waits for who they are."""
    result = plan(
        directory, **IN_BAHAMAS, nationalities=["HT"], others_unknown=True,
        return_considered=True,
    )  # fmt: skip
    found = steps(result, "repatriation")
    assert sorted((s["state"], s["nationality"]) for s in found if s["state"]) == [
        ("BS", "HT"),
        ("HT", "HT"),
    ]
    [other] = unresolved(found)
    assert any("protection screening" in n for n in other["notes"])


def test_landing_haitians_in_haiti_is_not_everyones_return_home(directory: Directory) -> None:
    """R13: landed in Haiti, the Haitians are home, and no return is asked for them; the others
    may not be Haitians, and their return is still to be asked once they are known."""
    result = plan(
        directory, **TO_HAITI, nationalities=["HT"], others_unknown=True, return_considered=True
    )
    assert len(unresolved(steps(result, "repatriation"))) == 1
    known = plan(directory, **TO_HAITI, nationalities=["HT"], return_considered=True)
    assert not steps(known, "repatriation")


def test_people_of_unknown_nationality_landed_among_nationals_are_screened(
    directory: Directory,
) -> None:
    """R9: Haitians landed in Haiti without asylum need no protection referral; the others may
    be non-nationals, owed orientation and the chance to apply for asylum there."""
    result = plan(directory, **TO_HAITI, nationalities=["HT"], others_unknown=True)
    assert [s["state"] for s in steps(result, "protection-referral")] == ["HT", "HT"]
    assert not steps(plan(directory, **TO_HAITI, nationalities=["HT"]), "protection-referral")


def test_the_screening_of_nationals_found_at_home_cites_art_33_for_the_others(
    directory: Directory,
) -> None:
    """R9: Haitians found in Haiti's waters and landed there have not left their country: art.
    33 protects none of them, and the screening rests on the Protocol alone. Others aboard may
    have: the basis is the rule's, art. 33 with it."""
    facts: dict[str, Any] = {
        "flag": "HT", "zone": "territorial", "coastal": "HT", "acting": "US",
        "nationalities": ["HT"], "conditions": ["asylum"],
    }  # fmt: skip
    [known, _unhcr] = steps(plan(directory, **facts), "protection-referral")
    assert not any("1951" in b for b in known["basis"]), known["basis"]
    [mixed, _unhcr] = steps(plan(directory, **facts, others_unknown=True), "protection-referral")
    assert any("1951" in b for b in mixed["basis"]), mixed["basis"]


def test_a_landing_of_nationals_and_others_asks_consent_not_only_verification(
    directory: Directory,
) -> None:
    """R15: a landing of Haitians alone in Haiti asks it to verify who they are and name the
    port; with others aboard whose nationality is not known, it asks Haiti's consent."""
    facts: dict[str, Any] = {
        "flag": "HT", "zone": "high-seas", "acting": "BS", "disembark": "HT",
        "nationalities": ["HT"],
    }  # fmt: skip
    [known] = steps(plan(directory, **facts), "disembarkation")
    assert known["own_nationals"] is True
    [mixed] = steps(plan(directory, **facts, others_unknown=True), "disembarkation")
    assert mixed["own_nationals"] is False
    assert any("consent" in n for n in mixed["notes"]), mixed["notes"]


def test_a_landing_agreement_for_haitians_does_not_cover_others_unknown(
    directory: Directory,
) -> None:
    """R15: us-ht-1981 provides for landing Haitians in Haiti; others aboard may not be
    Haitians, so the landing is asked for, not notified under it."""
    [known] = steps(plan(directory, **TO_HAITI, nationalities=["HT"]), "disembarkation")
    assert (known["action"], known["agreement"]["id"]) == ("notify", "us-ht-1981")
    [mixed] = steps(
        plan(directory, **TO_HAITI, nationalities=["HT"], others_unknown=True), "disembarkation"
    )
    assert (mixed["action"], mixed["agreement"]) == ("request", None)


def test_a_boarding_agreement_for_haitians_may_cover_a_vessel_with_others_unknown(
    directory: Directory,
) -> None:
    """R4: us-ht-1981 covers vessels carrying Haitians. Cubans alone are outside it; Cubans and
    others whose nationality is not known may include Haitians: it may apply, and the step
    warns that it does not if none is aboard, as with nobody's nationality known."""
    facts: dict[str, Any] = {"flag": "HT", "zone": "high-seas", "acting": "US"}
    [cubans] = steps(plan(directory, **facts, nationalities=["CU"]), "flag-state-authorization")
    assert (cubans["agreement"] or {}).get("id") != "us-ht-1981"
    [mixed] = steps(
        plan(directory, **facts, nationalities=["CU"], others_unknown=True),
        "flag-state-authorization",
    )
    assert mixed["agreement"]["id"] == "us-ht-1981"
    assert any("if none is aboard, it does not apply" in w for w in mixed["warnings"])
    [nobody] = steps(plan(directory, **facts), "flag-state-authorization")
    assert nobody["agreement"]["id"] == "us-ht-1981"


def test_the_coastal_state_is_not_told_of_claims_that_may_be_against_it(
    directory: Directory,
) -> None:
    """R2: Haitians claiming asylum in The Bahamas' territorial sea, to be landed in the United
    States: the authorisation step asks The Bahamas to agree who screens the claims (UNHCR
    ExCom Conclusion No. 97). Others aboard may be Bahamians fleeing it: it is told nothing of
    the claims, as when nobody's nationality is known."""
    facts: dict[str, Any] = {
        "stateless": True, "zone": "territorial", "coastal": "BS", "acting": "US",
        "disembark": "US", "nationalities": ["HT"], "conditions": ["asylum"],
    }  # fmt: skip
    [known] = steps(plan(directory, **facts), "coastal-state-authorization")
    assert [n for n in known["notes"] if "primary responsibility" in n]
    [mixed] = steps(plan(directory, **facts, others_unknown=True), "coastal-state-authorization")
    assert not [n for n in mixed["notes"] if "primary responsibility" in n]


def test_others_landed_with_nationals_in_their_departure_state_are_warned_of(
    directory: Directory,
) -> None:
    """Haitians claiming asylum, landed in Haiti, whose flag the boat flies: the refoulement
    warning speaks of them. Others aboard may not be Haitians: Haiti is a country they may
    have left or crossed, and the screening asks whether anyone fears it."""
    facts = {**TO_HAITI, "nationalities": ["HT"], "conditions": ["asylum"]}
    departure = "frontiers of territories where life"
    assert not [w for w in plan(directory, **facts)["warnings"] if departure in w]
    mixed = plan(directory, **facts, others_unknown=True)
    assert [w for w in mixed["warnings"] if departure in w]
    assert any(w.startswith("Refoulement:") for w in mixed["warnings"]), mixed["warnings"]


def test_others_unknown_landed_where_they_were_found_are_not_referred_to_it_yet(
    directory: Directory,
) -> None:
    """Cubans and others claiming asylum, found in Haiti's contiguous zone by a U.S. cutter,
    to be landed in Haiti. Haiti is no Cuban's country; but the others may be Haitians who flee
    it. As when nobody's nationality is known, the plan warns that Haiti may be their own
    country, and refers no claim to it until the nationalities are established."""
    facts: dict[str, Any] = {
        "stateless": True, "zone": "contiguous", "coastal": "HT", "acting": "US",
        "nationalities": ["CU"], "conditions": ["asylum"],
    }  # fmt: skip
    own_country = "may be the others' own country"
    cubans = plan(directory, **facts)
    assert not [w for w in cubans["warnings"] if "own country" in w]
    referral = [s for s in steps(cubans, "protection-referral") if s["role"] == "refugee-status"]
    assert [(s["state"], s["deferred"]) for s in referral] == [("HT", False)]
    mixed = plan(directory, **facts, others_unknown=True)
    assert [w for w in mixed["warnings"] if own_country in w], mixed["warnings"]
    referral = [s for s in steps(mixed, "protection-referral") if s["role"] == "refugee-status"]
    assert ("HT", True) in [(s["state"], s["deferred"]) for s in referral], referral


def test_others_unknown_found_in_the_landing_states_waters_are_spoken_of(
    directory: Directory,
) -> None:
    """Cubans and others claiming asylum, found in Haiti's territorial sea and landed there:
    the others may be Haitians, who have not left their country but whose claims may be
    against it."""
    facts: dict[str, Any] = {
        "stateless": True, "zone": "territorial", "coastal": "HT", "acting": "US",
        "nationalities": ["CU"], "conditions": ["asylum"],
    }  # fmt: skip
    at_home = "have not left their country"
    assert not [w for w in plan(directory, **facts)["warnings"] if at_home in w]
    mixed = plan(directory, **facts, others_unknown=True)
    assert [w for w in mixed["warnings"] if at_home in w], mixed["warnings"]


def test_a_territorys_people_landed_with_others_unknown_are_not_told_no_state_is_asked(
    shipped: Directory,
) -> None:
    """R13: Caymanians landed in the United Kingdom by a Royal Navy ship, a return considered:
    no other state is asked to take them back, the note says. With others aboard whose
    nationalities are not known, a return step waits for theirs: the note speaks of the
    Caymanians alone."""
    facts: dict[str, Any] = {
        "stateless": True, "zone": "high-seas", "acting": "GB", "disembark": "GB",
        "nationalities": ["KY"], "return_considered": True,
    }  # fmt: skip

    def r13_notes(result: dict[str, Any]) -> list[str]:
        return [n["text"] for n in result["notes"] if n["rule"] == "R13"]

    [alone] = r13_notes(plan(shipped, **facts))
    assert "no other state is asked to take them back" in alone
    mixed = plan(shipped, **facts, others_unknown=True)
    assert len(unresolved(steps(mixed, "repatriation"))) == 1
    [note] = r13_notes(mixed)
    assert "no other state is asked" not in note, note
    assert "landing people of KY in GB is not their return home" in note, note


@pytest.mark.usefixtures("fixture_data")
@pytest.mark.parametrize("word", ["unknown", "Unknown"])
def test_consular_for_an_unknown_nationality_says_to_find_it_not_a_code_suggestion(
    capsys: pytest.CaptureFixture[str], directory: Directory, word: str
) -> None:
    # The contact plan takes --nationality unknown; the same word here was answered "did you
    # mean RE (Réunion)?", steering an officer to a consul of a state nobody named.
    result = run(capsys, "consular", "--nationality", word, "--in", "BS", "--no-cache")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("somnet: --nationality: ")
    assert "did you mean" not in result.stderr and "RE" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with pytest.raises(InterceptionError) as raised:
        somnet.consular_posts(directory, word, "BS")
    assert raised.value.field == "nationality"


def _texts(value: Any) -> list[str]:
    """Every text of a plan's JSON: its warnings, notes and steps' notes and warnings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


_LANDED_WHERE_FOUND: list[dict[str, Any]] = [
    {"stateless": True, "zone": "contiguous", "coastal": "HT", "acting": "US"},
    {"stateless": True, "zone": "contiguous", "coastal": "HT", "acting": "HT"},
    {"stateless": True, "zone": "territorial", "coastal": "HT", "acting": "US"},
    {"stateless": True, "zone": "territorial", "coastal": "HT", "acting": "HT"},
    {"flag": "HT", "zone": "high-seas", "acting": "US", "disembark": "HT"},
    {"flag": "HT", "zone": "territorial", "coastal": "BS", "acting": "BS"},
]


@pytest.mark.parametrize("facts", _LANDED_WHERE_FOUND)
@pytest.mark.parametrize("conditions", [["asylum"], ["asylum", "unaccompanied"]])
def test_others_of_nationalities_not_known_beside_known_ones_are_told_as_the_others(
    directory: Directory, facts: dict[str, Any], conditions: list[str]
) -> None:
    """Cubans and others claiming asylum, landed where they were found (off Haiti, in Haiti):
    the plan said "The nationalities aboard are not known", which is untrue with Cubans
    listed. It speaks of the others' nationalities, and keeps the words where nobody's
    nationality is known."""
    mixed = _texts(plan(directory, **facts, nationalities=["CU"], others_unknown=True,
                        conditions=conditions))  # fmt: skip
    untrue = [t for t in mixed if "nationalities aboard are not known" in t.lower()]
    assert not untrue, untrue
    assert not [t for t in mixed if "Establish the nationalities aboard" in t], mixed
    assert [t for t in mixed if "nationalities of others aboard are not known" in t.lower()]
    nobody = _texts(plan(directory, **facts, conditions=conditions))
    assert [t for t in nobody if "nationalities aboard are not known" in t.lower()]
    assert not [t for t in nobody if "others aboard" in t]


@pytest.mark.parametrize("facts", _LANDED_WHERE_FOUND[:4])
def test_the_refoulement_warning_speaks_of_stateless_persons_and_others_not_known(
    directory: Directory, facts: dict[str, Any]
) -> None:
    """Stateless persons and others whose nationalities are not known (``--nationality
    stateless,unknown``), landed in Haiti where they were found: planned as stateless persons
    landed where found, the refoulement warning spoke of stateless persons alone, though the
    others may be Haitians who flee Haiti."""
    both = plan(directory, **facts, stateless_persons=True, others_unknown=True,
                conditions=["asylum"])  # fmt: skip
    [warning] = [w for w in both["warnings"] if w.startswith("Asylum is claimed")]
    assert "stateless persons and others whose nationalities are not known" in warning, warning
    assert "or the others' own" in warning, warning
    # So does every step that says where the stateless persons may have lived.
    for conditions in (["asylum"], ["asylum", "unaccompanied"]):
        both = plan(directory, **facts, stateless_persons=True, others_unknown=True,
                    conditions=conditions)  # fmt: skip
        flee = [t for t in _texts(both) if "lived in and flee" in t or "may have lived" in t]
        assert flee and not [t for t in flee if "others" not in t], flee
    alone = plan(directory, **facts, stateless_persons=True, conditions=["asylum"])
    [warning] = [w for w in alone["warnings"] if w.startswith("Asylum is claimed")]
    assert warning.startswith("Asylum is claimed by stateless persons"), warning
    assert "others" not in warning
