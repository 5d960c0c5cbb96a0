"""What every plan must hold, whatever the interception: properties a lawyer and an officer
would require of any plan (docs/routing.md), checked over random interceptions among
sovereigns, their territories and foreign states, on the shipped directory.

Each property names the rule change that would break it."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from somnet import BadInputError, Directory, load_directory, make_interception, plan_contacts
from somnet._i18n import set_language
from somnet.routing.asks import territory_with_its_own_law, under_another_law
from somnet.routing.plan import PURPOSE_ORDER
from tests.cli import run

#: Sovereigns, territories with their own law and under their sovereign's, foreign states, and
#: a state the directory does not hold (SY).
_CODES = st.none() | st.sampled_from(
    [
        "GB", "KY", "TC", "VG", "NL", "AW", "CW", "BQ", "SX", "US", "PR", "VI", "FR", "GP",
        "MF", "HT", "CU", "BS", "DO", "JM", "MX", "VE", "SY",
    ]
)  # fmt: skip
_ZONES = st.sampled_from(
    ["internal", "territorial", "archipelagic", "contiguous", "eez", "high-seas"]
)
_CONDITIONS = st.lists(
    st.sampled_from(
        [
            "distress", "injured", "deaths", "minors", "unaccompanied", "asylum",
            "trafficking", "smugglers", "corruption",
        ]
    ),
    max_size=4,
    unique=True,
)  # fmt: skip
#: Today, a night on another calendar day, before the SOM Protocol bound anyone, and between.
_MOMENTS = st.sampled_from(
    [
        "2026-12-01T15:00:00-05:00",
        "2026-12-05T03:00:00-05:00",
        "2001-03-10T12:00:00-05:00",
        "2012-07-04T23:00:00-04:00",
    ]
)
#: The input fields a step may lack (docs/json.md, `missing`).
_FIELDS = {"flag", "stateless", "coastal", "acting", "disembark", "nationalities"}
_RESCUE = {"distress", "injured", "deaths"}
_CONSULAR = ("consular-access", "consular-death-notification")
#: Steps about the vessel and the waters, which keep the action the law requires whoever is
#: aboard ("Asylum: protection first").
_ABOUT_THE_VESSEL = (
    "sar-coordination",
    "coastal-state-authorization",
    "coastal-state-notification",
    "flag-state-authorization",
)

MAX_EXAMPLES = 400


@pytest.fixture(scope="module")
def shipped() -> Directory:
    return load_directory(use_env=False)


@st.composite
def interceptions(draw: st.DrawFn, **fixed: Any) -> dict[str, Any]:
    """The facts of an interception (``make_interception``'s arguments), any of them unknown."""
    stateless = draw(st.booleans())
    facts: dict[str, Any] = {
        "flag": None if stateless else draw(_CODES),
        "stateless": stateless,
        "zone": draw(_ZONES),
        "coastal": draw(_CODES),
        "acting": draw(_CODES),
        "disembark": draw(_CODES),
        "nationalities": draw(st.lists(_CODES.filter(bool), max_size=2, unique=True)),
        "stateless_persons": draw(st.booleans()),
        "conditions": draw(_CONDITIONS),
        "return_considered": draw(st.booleans()),
        "at": draw(_MOMENTS),
        "others_unknown": draw(st.booleans()),
    }
    facts.update(fixed)
    return facts


def _plan(directory: Directory, facts: dict[str, Any]) -> dict[str, Any] | None:
    """The plan's JSON, or None for facts that contradict each other (the check refuses them
    before any rule)."""
    try:
        interception = make_interception(
            **{**facts, "at": datetime.fromisoformat(facts["at"])}, directory=directory
        )
    except BadInputError:
        return None
    return plan_contacts(directory, interception).to_json()


def _texts(step: dict[str, Any]) -> str:
    return " ".join((*step["notes"], *step["warnings"]))


# 1. Asylum: protection first ------------------------------------------------------------------


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions(conditions=["asylum"]), more=_CONDITIONS)
def test_with_asylum_nothing_reaches_their_country_without_its_safeguard(
    shipped: Directory, facts: dict[str, Any], more: list[str]
) -> None:
    """With asylum, every consular step carries R7, whether or not the nationality is known:
    an offer needs the person's informed consent and cites art. 33 and art. 19; a notice owed
    whatever their wish says never to reveal the claim. Any other step to a country of
    nationality aboard (not the acting state) is about the vessel and the waters, or only
    informs, or waits for the claims, and says why. Broken by dropping R7's warning or
    basis, or by a rule that asks a state of nationality about its people before the asylum
    pass."""
    facts["conditions"] = ["asylum", *(c for c in more if c != "asylum")]
    result = _plan(shipped, facts)
    if result is None:
        return
    i = result["interception"]
    for step in result["steps"]:
        if step["purpose"] in _CONSULAR:
            if step["requires_consent"]:
                assert "informed consent" in _texts(step), step
                assert {"1951 Convention art. 33", "SOM Protocol art. 19"} <= set(step["basis"])
            else:
                assert "reveal" in _texts(step), step
        of_their_country = step["state"] is not None and any(
            shipped.same_state(n, step["state"]) for n in i["nationalities"]
        )
        acting = i["acting"] is not None and shipped.same_state(i["acting"], step["state"])
        if not of_their_country or acting or step["role"] == "protection-partner":
            continue
        assert step["warnings"], step
        if step["deferred"] or step["action"] != "request":
            continue
        # A request now: about the vessel and the waters (not R3's notice to the migration
        # authority, which concerns the people), or a landing in another territory of the
        # acting state's sovereign, which that territory decides.
        assert step["purpose"] in (*_ABOUT_THE_VESSEL, "disembarkation"), step
        assert step["role"] != "migration" or step["purpose"] != "coastal-state-notification"
        if step["purpose"] == "disembarkation":
            assert under_another_law(shipped, step["state"], i["acting"]), step


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions(return_considered=True))
def test_no_return_comes_before_protection_screening(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """Every repatriation step (R13) says it follows protection screening; with asylum it
    comes after the protection-referral steps and says no return comes before the claims
    are decided. Broken by an R13 without its screening note, or an order that puts R13
    before R9."""
    result = _plan(shipped, facts)
    if result is None:
        return
    screening = [s["order"] for s in result["steps"] if s["purpose"] == "protection-referral"]
    for step in result["steps"]:
        if step["purpose"] != "repatriation":
            continue
        assert "protection screening" in _texts(step), step
        if "asylum" in result["interception"]["conditions"]:
            assert screening and step["order"] > min(screening), result["steps"]
            assert "no return before the claim" in _texts(step).lower(), step


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions(conditions=["asylum"], nationalities=[], stateless_persons=False))
def test_with_nobodys_nationality_known_no_state_they_may_come_from_is_told_of_the_claims(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """Asylum claimed and nobody's nationality known: the coastal and the flag state are where
    the people most likely come from, wherever they would be landed. Every step to either
    (not the acting state, which holds them, nor UNHCR, nor a consular step, which carries
    its own safeguard) says it may be the claimants' country, and one about the smugglers
    only informs it. Broken by a safeguard that reads only the landing state."""
    result = _plan(shipped, facts)
    if result is None:
        return
    i = result["interception"]
    origins = [c for c in (i["coastal"], i["flag"]) if c]
    for step in result["steps"]:
        state = step["state"]
        if (
            state is None
            or not any(shipped.same_state(state, c) for c in origins)
            or (i["acting"] is not None and shipped.same_state(state, i["acting"]))
            or step["role"] == "protection-partner"
            or step["purpose"] in _CONSULAR
        ):
            continue
        assert any("may be the country of those who claim asylum" in w for w in step["warnings"]), (
            step
        )
        if step["purpose"] in ("investigation", "anti-corruption"):
            assert step["action"] == "inform", step


# 2. Rescue first ----------------------------------------------------------------------------


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions(), rescue=st.sampled_from(sorted(_RESCUE)))
def test_sar_coordination_is_first_whenever_lives_are_at_stake(
    shipped: Directory, facts: dict[str, Any], rescue: str
) -> None:
    """Distress, injured or deaths: R1's step comes first, whatever else is known; without
    them there is none. Broken by an order that puts another purpose first, or by R1 applying
    to another fact."""
    with_rescue = _plan(shipped, {**facts, "conditions": [*facts["conditions"], rescue]})
    if with_rescue is not None:
        assert with_rescue["steps"][0]["purpose"] == "sar-coordination", with_rescue["steps"]
        assert with_rescue["steps"][0]["rule"] == "R1"
    calm = [c for c in facts["conditions"] if c not in _RESCUE]
    without = _plan(shipped, {**facts, "conditions": calm})
    if without is not None:
        assert all(s["purpose"] != "sar-coordination" for s in without["steps"])


# 3. No state asks itself --------------------------------------------------------------------


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions())
def test_no_step_asks_the_acting_state_for_its_own_authorisation(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """No authorisation, notification or landing step goes to the acting state itself, nor to
    another territory of its sovereign unless one of the two has its own law (R2, R3, R15
    between territories); a vessel of the acting state's own flag has no flag-state step, a
    stateless one none at all. Broken by R2-R4 or R15 applying without the state acting being
    another."""
    result = _plan(shipped, facts)
    if result is None:
        return
    i = result["interception"]
    for step in result["steps"]:
        if step["purpose"] not in (*_ABOUT_THE_VESSEL[1:], "disembarkation") or not step["state"]:
            continue
        if step["purpose"] == "flag-state-authorization":
            assert not i["stateless"], step
        if i["acting"] is None:
            continue
        assert step["state"] != i["acting"], step
        if step["purpose"] == "flag-state-authorization":
            assert not shipped.same_state(i["flag"], i["acting"]), step
        elif shipped.same_state(step["state"], i["acting"]):
            assert under_another_law(shipped, step["state"], i["acting"]), step


# 4. Each step is addressed as it says ---------------------------------------------------------


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions())
def test_each_step_is_addressed_to_the_state_it_names(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """A resolved step has an agency of the state it names (its own, its sovereign's, one
    that covers it, a consular post of the nationality; UNHCR's office and an RCC chosen by
    region excepted), a non-empty basis and nothing missing; an unresolved one no agency, and
    `missing` holds only input fields, none the officer gave; the plan counts the unresolved
    steps. Broken by a rule that resolves one state's role and names another, or a `Missing`
    naming something the officer cannot give or gave already."""
    result = _plan(shipped, facts)
    if result is None:
        return
    i = result["interception"]
    given_already = {
        "flag": i["flag"] is not None or i["stateless"],
        "stateless": i["flag"] is not None or i["stateless"],
        "coastal": i["coastal"] is not None,
        "acting": i["acting"] is not None,
        "disembark": i["disembark"] is not None,
        # Others aboard whose nationalities are not known yet: theirs are not given.
        "nationalities": (bool(i["nationalities"]) or i["stateless_persons"])
        and not i["others_unknown"],
    }
    unresolved = sum(not s["resolved"] for s in result["steps"])
    counted = [w for w in result["warnings"] if re.match(r"\d+ steps? unresolved", w)]
    assert counted == ([] if not unresolved else [counted[0]]), result["warnings"]
    assert not unresolved or counted[0].startswith(f"{unresolved} step"), counted
    for step in result["steps"]:
        assert set(step["missing"]) <= _FIELDS, step
        # A step never asks for a fact the officer gave.
        assert not any(given_already[f] for f in step["missing"]), step
        assert step["state"] is not None or step["missing"] or step["role"] == "sar", step
        if not step["resolved"]:
            assert step["agency"] is None, step
            continue
        assert step["basis"] and not step["missing"], step
        assert step["agency"] is not None, step
        if step["state"] is None or step["role"] in ("protection-partner", "sar"):
            continue
        agency = shipped.agency(step["agency"]["id"])
        assert agency is not None
        assert shipped.same_state(agency.state, step["state"]) or step["state"] in agency.covers, (
            step["purpose"],
            step["state"],
            agency.id,
        )
        if step["purpose"] in _CONSULAR:
            assert step["nationality"] == step["state"], step


def test_the_call_list_turns_each_missing_field_into_its_flag(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """What a step lacks is shown as the flag that gives it: nobody's nationality, the coastal
    state or the landing state unknown, and no acting state. Broken by a `missing` field the
    CLI has no flag for."""
    result = run(
        capsys, "contact", "--zone", "contiguous", "--flag", "HT", "--minors", "--deaths",
        "--return",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    for hint in ("--coastal XX", "--nationality XX[,YY]", "--as XX", "--disembark XX"):
        assert hint in result.stdout, result.stdout


# 5. The same facts, the same plan ---------------------------------------------------------------


@settings(max_examples=60)
@given(facts=interceptions())
def test_the_same_facts_give_the_same_plan_in_every_language(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """Twice, and in Spanish and French, the plan's JSON is the same: steps, order, notes
    (English in JSON). Broken by a rule that reads the language in use, or a set iterated in
    hash order."""
    first = _plan(shipped, facts)
    if first is None:
        return
    assert json.dumps(_plan(shipped, facts)) == json.dumps(first)
    try:
        for code in ("es", "fr"):
            set_language(code)
            assert json.dumps(_plan(shipped, facts)) == json.dumps(first), code
    finally:
        set_language("en")


# 6. No note or step contradicts another -------------------------------------------------------


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions())
def test_the_steps_are_in_the_documented_order(shipped: Directory, facts: dict[str, Any]) -> None:
    """Steps to take now in the order of "Order of the steps", then the deferred ones in the
    same order; a deferred step only informs, and only with asylum; consent only on an offer;
    `own_nationals` only on a landing. Broken by a rule's step sorted out of place."""
    result = _plan(shipped, facts)
    if result is None:
        return
    steps = result["steps"]
    assert [s["order"] for s in steps] == list(range(1, len(steps) + 1))
    keys = [(s["deferred"], PURPOSE_ORDER.index(s["purpose"])) for s in steps]
    assert keys == sorted(keys), [(s["purpose"], s["deferred"]) for s in steps]
    for step in steps:
        if step["deferred"]:
            assert step["action"] == "inform", step
            assert "asylum" in result["interception"]["conditions"], step
        if step["requires_consent"]:
            assert step["action"] == "inform", step
        if step["own_nationals"]:
            assert step["purpose"] == "disembarkation", step


#: The purpose each fact asks for, and the conditions that ask for it (docs/routing.md).
_ASKED_BY = {
    "consular-death-notification": {"deaths"},
    "child-protection": {"minors", "unaccompanied"},
    "trafficking-victim-referral": {"trafficking"},
    "investigation": {"smugglers", "deaths"},
    "anti-corruption": {"corruption"},
    "sar-coordination": _RESCUE,
}


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions())
def test_each_fact_gets_its_steps_and_no_step_comes_without_its_fact(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """Each condition given has its rule's step, and no step comes without its fact; each
    nationality foreign to the landing state has R6's step (R8's with deaths, R10's notice
    for unaccompanied children, R13's with a return), and anyone not at home R9's. Broken by
    a rule that forgets a nationality or applies to a fact it does not name."""
    result = _plan(shipped, facts)
    if result is None:
        return
    i = result["interception"]
    conditions = set(i["conditions"])
    purposes = [s["purpose"] for s in result["steps"]]
    for purpose, asked_by in _ASKED_BY.items():
        if purpose in purposes:
            assert conditions & asked_by, (purpose, purposes)
        elif conditions & asked_by:
            # Only the death notice is per nationality: none for stateless persons alone.
            assert purpose == "consular-death-notification", (purpose, purposes)
    assert ("repatriation" in purposes) <= i["return"]
    assert ("flag-state-authorization" in purposes) <= (not i["stateless"])
    landing = i["disembark"]
    foreign = [n for n in i["nationalities"] if not shipped.same_state(n, landing)]
    per_nationality = {(s["rule"], s["nationality"]) for s in result["steps"]}
    # The acting state owes its own post no consular access, death or guardian notice (VCCR
    # arts. 36(1)(b), 37(a), (b) bind a state towards another state's post): its own
    # nationals have plan notes instead.
    own = {n for n in foreign if i["acting"] and shipped.same_state(n, i["acting"])}
    notes = {n["rule"] for n in result["notes"]}
    for n in own:
        assert ("R6", n) not in per_nationality and "R6" in notes, n
        assert ("R8", n) not in per_nationality, n
        assert ("R10", n) not in per_nationality, n
        assert "R8" in notes or "deaths" not in conditions, n
        assert "R10" in notes or "unaccompanied" not in conditions, n
    for n in set(foreign) - own:
        assert ("R6", n) in per_nationality, n
        assert ("R8", n) in per_nationality or "deaths" not in conditions, n
        assert ("R10", n) in per_nationality or "unaccompanied" not in conditions, n
    for n in foreign:
        assert ("R13", n) in per_nationality or not i["return"], n
    unknown = (not i["nationalities"] and not i["stateless_persons"]) or i["others_unknown"]
    if set(foreign) - own or unknown:
        assert "consular-death-notification" in purposes or "deaths" not in conditions
    if foreign or unknown or i["stateless_persons"]:
        assert "protection-referral" in purposes
    for step in result["steps"]:
        if step["purpose"] in _CONSULAR and step["nationality"]:
            assert step["nationality"] in foreign, step


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions())
def test_no_note_contradicts_a_step(shipped: Directory, facts: dict[str, Any]) -> None:
    """Notes and steps agree: no "no landing request is owed" beside a landing request; a
    landing "at home" is in a state of their nationality; "not needed if the acting state is
    ..." only when the acting state is unknown; refoulement and "Asylum is claimed" only with
    asylum; a rescue's basis (SOLAS) on a landing only after a rescue; the R5 note exactly for
    a stateless vessel. Broken by a note written for other facts than the plan's."""
    result = _plan(shipped, facts)
    if result is None:
        return
    i = result["interception"]
    asylum = "asylum" in i["conditions"]
    rescue = bool(set(i["conditions"]) & _RESCUE)
    notes = {n["rule"]: n["text"] for n in result["notes"]}
    purposes = [s["purpose"] for s in result["steps"]]
    assert ("R5" in notes) == i["stateless"], notes
    for rule, text in notes.items():
        if "landing request is owed" in text:
            assert "disembarkation" not in purposes, (rule, text)
        for home in re.findall(r"landing them at home, in ([A-Z]{2}), is their return", text):
            assert all(shipped.same_state(n, home) for n in i["nationalities"]), text
            assert not any(
                n != home and territory_with_its_own_law(shipped, n) for n in i["nationalities"]
            ), text
    for text in [*notes.values(), *(_texts(s) for s in result["steps"])]:
        if i["acting"] is not None:
            assert not re.search(r"not needed if the acting state", text, re.IGNORECASE), text
    said = [*result["warnings"], *(w for s in result["steps"] for w in s["warnings"])]
    if not asylum:
        assert not any("refoulement" in w or w.startswith("Asylum is claimed") for w in said)
    for step in result["steps"]:
        if step["purpose"] == "disembarkation" and step["resolved"]:
            assert any("SOLAS" in b for b in step["basis"]) == rescue, step["basis"]
    assert result["steps"] or result["notes"], result


# A return considered says where each goes home -------------------------------------------------


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions(return_considered=True))
def test_a_return_considered_says_where_each_nationality_goes_home(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """With a return considered, each nationality aboard is returned by an R13 step, or is at
    home where it is landed, or the plan says that the landing is not their return home and
    where that is (a territory with its own law, whose people are landed in their sovereign
    or another of its territories). Broken by R13 saying so only in a plan with no step."""
    result = _plan(shipped, facts)
    if result is None:
        return
    i = result["interception"]
    landing = i["disembark"]
    returned = {s["nationality"] for s in result["steps"] if s["purpose"] == "repatriation"}
    said = [n["text"] for n in result["notes"] if n["rule"] == "R13"]
    for n in i["nationalities"]:
        if n in returned or landing is None or n == landing:
            continue
        if shipped.same_state(n, landing) and territory_with_its_own_law(shipped, n):
            named = rf"people of [A-Z, ]*\b{n}\b"
            assert any(
                "is not their return home" in text and re.search(named, text) for text in said
            ), (n, landing, result["notes"])


@pytest.mark.parametrize(
    ("facts", "nationality", "landing"),
    [
        # A U.S. cutter landing Caymanians in the United Kingdom.
        (dict(stateless=True, zone="high-seas", acting="US", disembark="GB"), "KY", "GB"),
        # A Royal Navy ship landing them there, with smugglers aboard: the investigation step
        # made the plan non-empty, and the note went with the emptiness.
        (
            dict(stateless=True, zone="high-seas", acting="GB", disembark="GB",
                 conditions=["smugglers"]),
            "KY",
            "GB",
        ),
        # Arubans landed in Bonaire, the acting state unknown (the shrunk example).
        (dict(stateless=True, zone="internal", disembark="BQ"), "AW", "BQ"),
    ],
)  # fmt: skip
def test_a_return_considered_says_where_a_territorys_people_go_home_in_any_plan(
    shipped: Directory, facts: dict[str, Any], nationality: str, landing: str
) -> None:
    """People of a territory with its own law landed in their sovereign (or in another of
    its territories under the sovereign's law), a return considered: landing them there is
    not their return home, which is their territory. R13 said so only in a plan with no step
    (a Royal Navy ship landing Caymanians in the United Kingdom, nothing else known): a plan
    with any step, a landing request, an investigation, said nothing of their return."""
    result = _plan(
        shipped,
        {"at": "2026-12-01T15:00:00-05:00", **facts, "nationalities": [nationality],
         "return_considered": True},
    )  # fmt: skip
    assert result is not None
    notes = [n for n in result["notes"] if n["rule"] == "R13"]
    assert [n["text"] for n in notes] == [
        "Return considered: no other state is asked to take them back, but landing them in "
        f"{landing} is not their return home: for people of {nationality}, their home is "
        f"{nationality}, whose own law admits those who belong there."
    ], result["notes"]
    assert notes[0]["basis"] == ["ICCPR art. 12(4)"]
    assert not any(s["purpose"] == "repatriation" for s in result["steps"])


def test_a_territorys_people_landed_with_foreigners_are_told_their_home_beside_the_return(
    shipped: Directory,
) -> None:
    """Caymanians and Haitians landed in the United Kingdom by a U.S. cutter, a return
    considered: the Haitians' return is asked (R13's step), and the note on the Caymanians
    does not say that no other state is asked to take anyone back."""
    result = _plan(
        shipped,
        {"at": "2026-12-01T15:00:00-05:00", "stateless": True, "zone": "high-seas",
         "acting": "US", "disembark": "GB", "nationalities": ["KY", "HT"],
         "return_considered": True},
    )  # fmt: skip
    assert result is not None
    returned = [s["nationality"] for s in result["steps"] if s["purpose"] == "repatriation"]
    assert set(returned) == {"HT"}
    notes = [n["text"] for n in result["notes"] if n["rule"] == "R13"]
    assert notes == [
        "Return considered: landing people of KY in GB is not their return home: their home "
        "is their own territory, whose own law admits those who belong there."
    ], result["notes"]


# The SOM Protocol cited only where it binds, whatever is unknown ----------------------------------


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions(at="2001-03-10T12:00:00-05:00"))
def test_before_the_protocol_was_in_force_no_step_rests_on_it(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """Before 28 January 2004 the SOM Protocol bound nobody: no flag-state request (R4), no
    return (R13) and no stateless vessel's boarding (R5) cites art. 8 or art. 18, whether or
    not the flag, the nationalities or the acting state are known, nor for stateless persons,
    whose return then rests on a state that agrees to admit them. Broken by a branch that
    keeps the rule's basis without reading the day."""
    result = _plan(shipped, facts)
    if result is None:
        return
    for step in result["steps"]:
        if step["rule"] in ("R4", "R13"):
            assert not any(
                b.startswith(
                    ("SOM Protocol art. 8", "SOM Protocol art. 17", "SOM Protocol art. 18")
                )
                for b in step["basis"]
            ), step
    for note in result["notes"]:
        if note["rule"] == "R5":
            assert not any(b.startswith("SOM Protocol") for b in note["basis"]), note


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions(zone="contiguous"))
def test_in_its_own_contiguous_zone_the_acting_state_asks_no_flag_state(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """In its own contiguous zone the coastal state acts under UNCLOS art. 33: it tells the
    flag state, whoever that is, and asks it nothing; the step rests on UNCLOS arts. 33 and
    92. Broken by a flag-state step that reads the zone only once the flag is known."""
    result = _plan(shipped, facts)
    if result is None:
        return
    i = result["interception"]
    if i["zone"] != "contiguous" or not shipped.same_state(i["acting"], i["coastal"]):
        return
    for step in result["steps"]:
        if step["purpose"] == "flag-state-authorization" and step["role"] != "ship-registry":
            assert step["action"] == "notify", step
            assert step["basis"] == ["UNCLOS art. 33", "UNCLOS art. 92"], step


@pytest.mark.parametrize(
    ("facts", "says"),
    [
        # A review of a 2001 case, the flag not known.
        (
            dict(zone="eez", acting="US", at="2001-03-10T12:00:00-05:00"),
            "The SOM Protocol was not yet in force on 2001-03-10",
        ),
        # Nobody knows who acts, nor the flag: the Protocol bound no one on the day either.
        (
            dict(zone="high-seas", at="2001-03-10T12:00:00-05:00"),
            "The SOM Protocol was not yet in force on 2001-03-10",
        ),
        # A Haitian patrol today: Haiti's status under the Protocol is uncertain, so its
        # request rests on UNCLOS whatever the flag.
        (
            dict(zone="high-seas", acting="HT", at="2026-12-01T15:00:00-05:00"),
            "The acting state, HT, has uncertain status under the SOM Protocol",
        ),
    ],
)
def test_a_flag_state_step_whose_flag_is_unknown_cites_the_protocol_only_where_it_binds(
    shipped: Directory, facts: dict[str, Any], says: str
) -> None:
    """The flag not known, R4's step stays (unresolved, asking for the flag) but cited art.
    8(2)-(6) and art. 17 of the SOM Protocol on a day it bound nobody, or for an acting state
    it may not bind: once the flag was given the same step rested on UNCLOS art. 92 alone and
    said why. Art. 8(2) is a request between States Parties: whoever the flag state, it does
    not apply then."""
    result = _plan(shipped, facts)
    assert result is not None
    (step,) = [s for s in result["steps"] if s["purpose"] == "flag-state-authorization"]
    assert step["missing"] == ["flag", "stateless"]
    assert step["basis"] == ["UNCLOS art. 92"], step["basis"]
    assert any(says in n for n in step["notes"]), step["notes"]


def test_the_flag_state_whoever_it_is_is_told_in_the_acting_states_own_contiguous_zone(
    shipped: Directory,
) -> None:
    """A U.S. cutter in the U.S. contiguous zone, the flag not known: the flag-state step
    asked for art. 8 authorisation (a request, citing the Protocol), where with any flag given
    it tells the flag state and asks it to confirm the registry (UNCLOS arts. 33, 92)."""
    result = _plan(
        shipped,
        {"zone": "contiguous", "coastal": "US", "acting": "US", "at": "2026-12-01T15:00:00-05:00"},
    )
    assert result is not None
    (step,) = [s for s in result["steps"] if s["purpose"] == "flag-state-authorization"]
    assert (step["action"], step["resolved"], step["missing"]) == (
        "notify", False, ["flag", "stateless"]
    )  # fmt: skip
    assert step["basis"] == ["UNCLOS art. 33", "UNCLOS art. 92"]
    assert any("its own contiguous zone under UNCLOS art. 33" in n for n in step["notes"])


def test_before_the_protocol_was_in_force_a_return_of_unknown_nationals_does_not_cite_it(
    shipped: Directory,
) -> None:
    """A return considered in 2001, nobody's nationality known: the step asking for the
    nationalities cited art. 18 of the SOM Protocol, which bound no state before 2004; with
    any nationality given, the step rests on a state's duty to readmit its own nationals."""
    result = _plan(
        shipped,
        {"zone": "high-seas", "stateless": True, "acting": "US", "return_considered": True,
         "at": "2001-03-10T12:00:00-05:00"},
    )  # fmt: skip
    assert result is not None
    (step,) = [s for s in result["steps"] if s["purpose"] == "repatriation"]
    assert step["missing"] == ["nationalities"]
    assert step["basis"] == [
        "General international law (a state's duty to readmit its own nationals)"
    ]
    assert any("The SOM Protocol was not yet in force on 2001-03-10" in n for n in step["notes"])


@pytest.mark.parametrize("flag", ["HT", None])
def test_with_the_acting_state_unknown_in_a_contiguous_zone_the_flag_step_says_it_may_need_none(
    shipped: Directory, flag: str | None
) -> None:
    """Acting state unknown in Mexico's contiguous zone: it may be Mexico, which asks
    the flag state nothing there. The step said so with the flag known, and not without it."""
    facts: dict[str, Any] = {
        "zone": "contiguous", "coastal": "MX", "flag": flag, "at": "2026-12-01T15:00:00-05:00"
    }  # fmt: skip
    result = _plan(shipped, facts)
    assert result is not None
    (step,) = [s for s in result["steps"] if s["rule"] == "R4"]
    assert any(
        n.startswith("If the acting state is MX itself, in its own contiguous zone, it needs no")
        for n in step["notes"]
    ), step["notes"]


def test_before_the_protocol_was_in_force_a_return_of_stateless_persons_does_not_cite_it(
    shipped: Directory,
) -> None:
    """Stateless persons aboard, a return considered in 2001: their step cited art. 18 of the
    SOM Protocol, which bound no state before 2004. No state owes them readmission as its
    nationals either: the return rests on a state that agrees to admit them."""
    result = _plan(
        shipped,
        {"zone": "high-seas", "stateless": True, "acting": "US", "disembark": "US",
         "stateless_persons": True, "return_considered": True,
         "at": "2001-03-10T12:00:00-05:00"},
    )  # fmt: skip
    assert result is not None
    (step,) = [s for s in result["steps"] if s["purpose"] == "repatriation"]
    assert not any(b.startswith("SOM Protocol") for b in step["basis"]), step["basis"]
    assert step["basis"] == [
        "The consent of a state that admits them (no state must readmit stateless persons)"
    ]
    assert any(
        "The SOM Protocol was not yet in force on 2001-03-10" in n
        and "the return of stateless persons" in n
        for n in step["notes"]
    ), step["notes"]
    # From 2004, art. 18 is their return's basis where it binds, as before.
    later = _plan(
        shipped,
        {"zone": "high-seas", "stateless": True, "acting": "US", "disembark": "US",
         "stateless_persons": True, "return_considered": True,
         "at": "2026-03-10T12:00:00-05:00"},
    )  # fmt: skip
    assert later is not None
    (step,) = [s for s in later["steps"] if s["purpose"] == "repatriation"]
    assert "SOM Protocol art. 18" in step["basis"]


# A territory is named with its state where a claim may be against it ----------------------------


_COUNTRY_OF = re.compile(
    r"\b([A-Z]{2})(,? where they would be landed,)? (may be the country|is a country of "
    r"nationality|may be their own country|, which would screen them, may be)"
)


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions(conditions=["asylum"]))
def test_a_territory_is_never_named_as_the_claimants_country(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """The state a claim may be against, or whose nationals are aboard, is a sovereign: a
    territory is named through it ("GB (through its territory TC)"), never as the country
    itself, in every step, note and warning ("Asylum: protection first"). Broken by a warning
    that formats the step's state as it is."""
    result = _plan(shipped, facts)
    if result is None:
        return
    said = [
        *result["warnings"],
        *(n["text"] for n in result["notes"]),
        *(t for s in result["steps"] for t in (*s["notes"], *s["warnings"])),
    ]
    for text in said:
        for match in _COUNTRY_OF.finditer(text):
            code = match.group(1)
            assert shipped.sovereign_of(code) == code, text


def test_a_territory_that_may_be_the_claimants_country_is_named_with_its_sovereign(
    shipped: Directory,
) -> None:
    """A U.S. cutter in the Turks and Caicos Islands' waters, asylum claimed, nobody's
    nationality known: the steps to the Turks and Caicos, where the plan would land them,
    warned that "TC may be the country of those who claim asylum", while the plan's warning
    and UNHCR's step named "GB (through its territory TC)": the claim would be against the
    United Kingdom, the territory says where."""
    result = _plan(
        shipped,
        {"zone": "territorial", "coastal": "TC", "acting": "US", "conditions": ["asylum"],
         "at": "2026-12-01T15:00:00-05:00"},
    )  # fmt: skip
    assert result is not None
    warned = [
        w
        for s in result["steps"]
        for w in s["warnings"]
        if "may be the country of those who claim asylum" in w
    ]
    assert warned, result["steps"]
    for warning in warned:
        assert warning.startswith(
            "The nationalities aboard are not known and GB (through its territory TC) may be "
        ), warning


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions(stateless_persons=False))
def test_a_territory_is_never_named_as_a_nationality(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """A territory's people are its sovereign's nationals: no note or step says "a national
    of" a territory (Turks and Caicos Islanders are "(TC) nationals of GB"). Broken by a note
    that formats the acting territory as the nationality of those aboard."""
    result = _plan(shipped, facts)
    if result is None:
        return
    said = [
        *result["warnings"],
        *(n["text"] for n in result["notes"]),
        *(t for s in result["steps"] for t in (*s["notes"], *s["warnings"])),
    ]
    for text in said:
        for code in re.findall(r"\bnationals? of ([A-Z]{2})\b", text):
            assert shipped.sovereign_of(code) == code, text


@pytest.mark.parametrize(
    ("acting", "landing", "state"),
    [("PR", "US", "US (through its territory PR)"), ("BQ", "NL", "NL (through its territory BQ)")],
)
def test_a_territorys_patrol_landing_its_sovereigns_nationals_at_home_names_their_state(
    shipped: Directory, acting: str, landing: str, state: str
) -> None:
    """A Puerto Rico patrol landing U.S. nationals in the United States, nothing else known:
    the plan's only note said "Everyone aboard is a national of PR, the acting state, landed
    in its own territory (US)". They are nationals of the United States, which the territory
    acts for, and the United States is not Puerto Rico's territory."""
    result = _plan(
        shipped,
        {"zone": "high-seas", "stateless": True, "acting": acting, "disembark": landing,
         "nationalities": [landing], "at": "2026-12-01T15:00:00-05:00"},
    )  # fmt: skip
    assert result is not None and not result["steps"]
    (r9,) = [n["text"] for n in result["notes"] if n["rule"] == "R9"]
    assert r9.startswith(
        f"Everyone aboard is a national of {state}, the acting state, landed in its own "
        f"territory ({landing}):"
    ), r9


#: Facts whose rule asks for a step of its own and changes no other step.
_SELF_CONTAINED = {
    "corruption": "anti-corruption",
    "smugglers": "investigation",
    "minors": "child-protection",
}


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions(), fact=st.sampled_from(sorted(_SELF_CONTAINED)))
def test_a_fact_that_asks_for_its_own_step_changes_no_other(
    shipped: Directory, facts: dict[str, Any], fact: str
) -> None:
    """Corruption, smugglers, minors: each adds its rule's steps (R14, R12, R10) and leaves
    every other step as it was (its state, agency, action, basis and warnings). Broken by a
    rule that reads a fact it does not name, or a safeguard keyed on the wrong condition."""
    purpose = _SELF_CONTAINED[fact]
    conditions = [c for c in facts["conditions"] if c != fact]
    if fact == "smugglers" and "deaths" in conditions:
        return  # deaths ask for the investigation already
    if fact == "minors" and "unaccompanied" in conditions:
        return  # so do unaccompanied children for child protection
    without = _plan(shipped, {**facts, "conditions": conditions})
    with_fact = _plan(shipped, {**facts, "conditions": [*conditions, fact]})
    if without is None or with_fact is None:
        return

    def others(result: dict[str, Any]) -> list[str]:
        kept = ("purpose", "rule", "state", "role", "action", "agency", "basis", "warnings")
        return sorted(
            json.dumps([s[k] for k in kept]) for s in result["steps"] if s["purpose"] != purpose
        )

    assert others(with_fact) == others(without)
    assert any(s["purpose"] == purpose for s in with_fact["steps"])


@settings(max_examples=MAX_EXAMPLES)
@given(facts=interceptions(stateless_persons=False, conditions=[]))
def test_a_zone_read_otherwise_than_given_is_said(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """A zone the coastal state does not claim is read as what it is (its EEZ, the high seas,
    its internal waters for "archipelagic" waters of a state that is not archipelagic), and a
    plan warning names the state and says why. Broken by a reading without its warning."""
    result = _plan(shipped, facts)
    if result is None or result["interception"]["zone"] == facts["zone"]:
        return
    assert facts["coastal"] is not None
    assert any(facts["coastal"] in w for w in result["warnings"]), result["warnings"]


def test_a_death_notice_to_a_nationality_not_yet_known_never_reveals_the_claim(
    shipped: Directory,
) -> None:
    """Asylum claimed and deaths aboard, nobody's nationality known: R8's step, unresolved
    until the nationalities are given, said nothing of the claim, while R6's offer beside it
    carried the consent warning and R10's guardian notice its own, and R8's step for a known
    nationality says never to reveal it. The notice will go to the consular post of a state
    the claim may be against."""
    result = _plan(
        shipped,
        {"zone": "high-seas", "stateless": True, "acting": "US",
         "conditions": ["asylum", "deaths"], "at": "2026-12-01T15:00:00-05:00"},
    )  # fmt: skip
    assert result is not None
    (step,) = [s for s in result["steps"] if s["purpose"] == "consular-death-notification"]
    assert step["missing"] == ["nationalities"]
    assert any("must never reveal that anyone claimed asylum" in w for w in step["warnings"])
    assert "Notify the death without delay." in step["notes"]
