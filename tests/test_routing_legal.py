"""Routing read as a lawyer would attack it: cases the rules' authors did not picture, on the
fixture directory of tests/routing_fixture.py."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from somnet import (
    BadInputError,
    Directory,
    load_directory,
    localized,
    make_interception,
    plan_contacts,
)
from somnet.directory.records import RefugeeInstrument, RefugeeTreatyStatus
from tests import routing_fixture
from tests.cli import run
from tests.routing_fixture import AT, SOURCE, plan, steps, write_routing_directory


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    folder = write_routing_directory(tmp_path_factory.mktemp("routing-legal"))
    return load_directory(base=folder, use_env=False)


# Children and trafficking victims who claim asylum and would be landed at home ---------------


@pytest.mark.parametrize(
    ("condition", "purpose"),
    [
        ("unaccompanied", "child-protection"),
        ("minors", "child-protection"),
        ("trafficking", "trafficking-victim-referral"),
    ],
)
def test_children_and_victims_landed_at_home_are_in_the_acting_states_care_now(
    directory: Directory, condition: str, purpose: str
) -> None:
    """Haitian children (or trafficking victims) claiming asylum aboard a U.S. cutter, whom
    the plan would land in Haiti: the referral to Haiti's authorities is deferred until the
    claims are decided, as protection first requires. Until then they are in the acting
    state's care: a referral to its authority is a step to take now, not one dropped with
    the landing."""
    facts: dict[str, Any] = {
        "zone": "high-seas",
        "stateless": True,
        "acting": "US",
        "disembark": "HT",
        "nationalities": ["HT"],
    }
    result = plan(directory, **facts, conditions=["asylum", condition])
    found = steps(result, purpose)
    now = [s for s in found if not s["deferred"]]
    assert [s["state"] for s in now] == ["US"], found
    assert now[0]["action"] == "request"
    # Haiti's referral waits for the claims, as before.
    later = [s for s in found if s["deferred"]]
    assert [s["state"] for s in later] == ["HT"]
    # Without asylum the landing state's authority is asked now, and nobody else.
    plain = steps(plan(directory, **facts, conditions=[condition]), purpose)
    assert [(s["state"], s["deferred"]) for s in plain] == [("HT", False)]


@pytest.mark.parametrize(
    ("condition", "purpose"),
    [("minors", "child-protection"), ("trafficking", "trafficking-victim-referral")],
)
def test_children_and_victims_of_unknown_nationality_are_in_the_acting_states_care_now(
    directory: Directory, condition: str, purpose: str
) -> None:
    """A Haitian boat in Haiti's waters, asylum claimed, nobody's nationality known: Haiti,
    where the plan would land them, may be the country they flee. Its refugee authority's
    referral waits for the nationalities, but its child-protection (or anti-trafficking)
    authority was asked now to take the children (the victims) in charge, and no authority of
    the acting state's was: children who may be fleeing Haiti were handed to it, and nobody
    had them in care meanwhile. The acting state's authority now takes them in charge, and
    Haiti's referral waits for the nationalities, as its refugee authority's does."""
    facts: dict[str, Any] = {
        "zone": "territorial",
        "flag": "HT",
        "coastal": "HT",
        "acting": "US",
    }
    result = plan(directory, **facts, conditions=["asylum", condition])
    found = steps(result, purpose)
    now = [s for s in found if not s["deferred"]]
    assert [(s["state"], s["action"]) for s in now] == [("US", "request")], found
    later = [s for s in found if s["deferred"]]
    assert [(s["state"], s["action"]) for s in later] == [("HT", "inform")], found
    # With the nationalities known and not Haitian, Haiti's authority takes them now.
    known = steps(plan(directory, **facts, nationalities=["CU"], conditions=["asylum", condition]),
                  purpose)  # fmt: skip
    assert [(s["state"], s["deferred"]) for s in known] == [("HT", False)], known
    # Without asylum, likewise.
    plain = steps(plan(directory, **facts, conditions=[condition]), purpose)
    assert [(s["state"], s["deferred"]) for s in plain] == [("HT", False)], plain


@pytest.mark.parametrize(
    ("condition", "purpose"),
    [("minors", "child-protection"), ("trafficking", "trafficking-victim-referral")],
)
def test_a_sister_territory_that_may_be_their_own_is_referred_to_once_they_are_known(
    directory: Directory, condition: str, purpose: str
) -> None:
    """A Cayman patrol off the Turks and Caicos Islands, asylum claimed, nobody's nationality
    known: the Turks and Caicos, where the plan would land them, may be their own country, and
    it is not the acting territory (another law, other authorities). Its referrals of the
    claims and of the children (the victims) were requests now, as if it held them; they now
    wait for the nationalities, as a foreign landing state's do, and the Cayman Islands'
    authorities, in whose care they are, take the children (the victims) now."""
    facts: dict[str, Any] = {"zone": "territorial", "flag": "TC", "coastal": "TC", "acting": "KY"}
    result = plan(directory, **facts, conditions=["asylum", condition])
    found = steps(result, purpose)
    assert [(s["state"], s["deferred"]) for s in found if not s["deferred"]] == [("KY", False)]
    assert [(s["state"], s["action"]) for s in found if s["deferred"]] == [("TC", "inform")]
    referral = [s for s in steps(result, "protection-referral") if s["role"] == "refugee-status"]
    assert [(s["state"], s["deferred"]) for s in referral] == [("TC", True)], referral


def test_children_landed_at_home_by_an_unknown_acting_state_ask_for_it(
    directory: Directory,
) -> None:
    """Without the acting state, the step that takes the children into care now says what is
    missing (``acting``) rather than disappearing."""
    result = plan(
        directory,
        zone="high-seas",
        stateless=True,
        disembark="HT",
        nationalities=["HT"],
        conditions=["asylum", "unaccompanied"],
    )
    now = [s for s in steps(result, "child-protection") if not s["deferred"]]
    assert len(now) == 1 and not now[0]["resolved"]
    assert now[0]["missing"] == ["acting"]


def test_children_screened_by_their_own_state_get_one_step(directory: Directory) -> None:
    """Cuban children claiming asylum intercepted by Cuba and landed in Cuba: the acting state
    is the landing state, so its child-protection step is the one to take now (no second)."""
    result = plan(
        directory,
        zone="high-seas",
        stateless=True,
        acting="CU",
        nationalities=["CU"],
        conditions=["asylum", "unaccompanied"],
    )
    found = steps(result, "child-protection")
    assert [(s["state"], s["deferred"]) for s in found] == [("CU", False)]


# Agreements on the day of the plan ------------------------------------------------------------

#: A repatriation memorandum that governed returns of Cubans from Jamaica from 2000 until the
#: day it ended (replaced, terminated): the fixture's facts, not the world's.
TERMINATED = f"""
[[agreements]]
id = "jm-cu-returns-2000"
title = "Jamaica-Cuba memorandum on returns (2000-2010)"
kind = "repatriation"
parties = ["JM", "CU"]
signed = 2000-01-01
in_force = 2000-03-01
ended = 2010-01-01
status = "terminated"
last_verified = 2026-11-01
sources = {SOURCE}
[agreements.provides]
notification_hours = 48
return_days = 30
nationalities = ["CU"]
"""


@pytest.fixture(scope="module")
def with_terminated(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    folder = write_routing_directory(tmp_path_factory.mktemp("routing-terminated"))
    (folder / "terminated.toml").write_text(TERMINATED, encoding="utf-8")
    return load_directory(base=folder, use_env=False)


def _returns(directory: Directory, at: str) -> list[dict[str, Any]]:
    result = plan(
        directory,
        zone="territorial",
        coastal="JM",
        acting="JM",
        flag="CU",
        nationalities=["CU"],
        return_considered=True,
        at=at,
    )
    return steps(result, "repatriation")


@pytest.mark.parametrize(
    ("at", "governs"),
    [
        ("2005-06-01T10:00:00-05:00", True),  # a review of a 2005 case: it governed then
        ("2000-03-01T10:00:00-05:00", True),  # the day it entered into force
        ("2000-02-01T10:00:00-05:00", False),  # signed, not yet in force
        ("2010-01-01T10:00:00-05:00", False),  # the day it ended
        ("2026-12-01T10:00:00-05:00", False),  # today
    ],
)
def test_a_terminated_agreement_governs_the_days_it_was_in_force(
    with_terminated: Directory, at: str, governs: bool
) -> None:
    """A plan for a past moment (a review, a training case) applies the agreements in force
    that day: one terminated since governed its days, from its entry into force to the day it
    ended; before and after it is mentioned, never applied."""
    returns = _returns(with_terminated, at)
    assert returns
    for step in returns:
        applied = (step["agreement"] or {}).get("id")
        assert (applied == "jm-cu-returns-2000") is governs, (at, step)
        if governs:
            # The step says it has ended since, so nobody relies on it for a case today.
            assert any("2010-01-01" in w for w in step["warnings"]), step["warnings"]
        else:
            assert applied is None
            assert any("jm-cu-returns-2000" in n for n in step["notes"]), step


# The SOM Protocol on the day of the plan ------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "noted"),
    [
        ("2001-06-01T12:00:00-04:00", True),  # adopted, not yet in force for anyone
        ("2004-01-27T12:00:00-05:00", True),
        ("2004-01-28T12:00:00-05:00", False),  # art. 22(1): in force
        ("2026-12-01T12:00:00-05:00", False),
    ],
)
def test_no_state_is_bound_by_the_protocol_before_it_entered_into_force(
    directory: Directory, at: str, noted: bool
) -> None:
    """Haiti and the United States are parties in the fixture, their instruments' dates not
    recorded. Whatever those dates, the Protocol bound nobody before 28 January 2004 (art.
    22(1)): a plan for 2001 must not rest the flag-state request on art. 8 as between
    parties, as it does for a party whose date is recorded (Jamaica, in test_routing)."""
    result = plan(
        directory, flag="HT", zone="high-seas", acting="US", at=datetime.fromisoformat(at)
    )
    [step] = steps(result, "flag-state-authorization")
    dated = [n for n in step["notes"] if "2004-01-28" in n]
    assert bool(dated) is noted, step["notes"]


# Investigation in the waters of another territory of the same sovereign ------------------------


def test_smuggling_in_a_sister_territorys_waters_goes_to_its_prosecutors_too(
    directory: Directory,
) -> None:
    """A Cayman patrol stops smugglers in the territorial sea of the Turks and Caicos Islands:
    one state in international law (the United Kingdom), but two jurisdictions, each with its
    own criminal law and prosecutors. The offence in TC's waters is TC's to prosecute: its
    prosecutors are asked beside the acting territory's, as any coastal state's are."""
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal="TC",
        acting="KY",
        conditions=["smugglers"],
    )
    found = {(s["state"], s["action"]) for s in steps(result, "investigation")}
    assert ("TC", "request") in found, found
    assert ("KY", "request") in found, found


@pytest.mark.parametrize(("acting", "flag"), [("TC", "KY"), ("KY", "TC")])
def test_a_territorys_patrol_is_not_the_flag_state_of_a_sister_territorys_vessel(
    directory: Directory, acting: str, flag: str
) -> None:
    """A Turks and Caicos patrol stops a Cayman-registered boat with smugglers on the high
    seas. The United Kingdom is the flag state of both (a territory's vessel flies its
    sovereign's flag, UNCLOS art. 92), but each territory with its own law is its own
    jurisdiction, as for an offence in its waters: the patrol's step said "Jurisdiction of the
    intercepting state as the flag state (UNTOC art. 15(1)(b))", and nobody of the vessel's
    territory was told. The step now says that the flag jurisdiction is the United Kingdom's,
    the vessel registered in the other territory, and that the patrol's own law reaches the
    offence only as far as it does; the vessel's territory's prosecutors are informed, as a
    flag state's are."""
    result = plan(
        directory, flag=flag, zone="high-seas", acting=acting, nationalities=["HT"],
        conditions=["smugglers"],
    )  # fmt: skip
    found = {s["state"]: s for s in steps(result, "investigation")}
    assert set(found) == {acting, flag}, found
    assert (found[acting]["action"], found[flag]["action"]) == ("request", "inform")
    [own] = _investigation_notes(result)[acting]
    assert not own.startswith("Jurisdiction of the intercepting state as the flag state"), own
    assert f"flies the flag of GB, on the registry of {flag}" in own, own
    assert f"{acting} is another territory with its own law" in own, own
    [theirs] = _investigation_notes(result)[flag]
    assert "flag state" in theirs, theirs
    # A Royal Navy ship stopping the Cayman boat is the flag state: one step, as before.
    navy = plan(
        directory, flag="KY", zone="high-seas", acting="GB", nationalities=["HT"],
        conditions=["smugglers"],
    )  # fmt: skip
    assert [s["state"] for s in steps(navy, "investigation")] == ["GB"]


@pytest.mark.parametrize(("acting", "coastal"), [("TC", "TC"), ("KY", "TC"), ("US", "TC")])
def test_a_territorys_prosecutors_are_told_untoc_may_not_extend_to_it(
    directory: Directory, acting: str, coastal: str
) -> None:
    """Smugglers stopped in the Turks and Caicos Islands' territorial sea: the territory's
    prosecutors were given "Jurisdiction ... over its waters (UNTOC art. 15(1)(a))" and the
    basis SOM Protocol art. 6 and UNTOC art. 15, though the directory records the Protocol's
    extension to the territory as uncertain and records nothing of UNTOC's (the United
    Kingdom extends a treaty to a territory by a notification of its own: UNTOC was extended
    to the British Virgin Islands on 17 May 2012). The step now says so, and that where they
    do not extend to it its jurisdiction over its waters rests on its sovereign's
    sovereignty over its territory (UNCLOS art. 2) and its own law. In the fixture, where the
    Protocol is recorded as extended to it, nothing is said."""
    facts: dict[str, Any] = dict(
        flag="HT", zone="territorial", coastal=coastal, acting=acting, nationalities=["HT"],
        conditions=["smugglers"],
    )  # fmt: skip
    shipped = load_directory(use_env=False)
    found = {s["state"]: s for s in steps(plan(shipped, **facts), "investigation")}
    said = [n for n in found["TC"]["notes"] if "not record that GB extended" in n]
    assert len(said) == 1, found["TC"]["notes"]
    assert "UNCLOS art. 2" in said[0] and "its own law" in said[0], said
    if acting == "KY":
        assert any("not record that GB extended" in n for n in found["KY"]["notes"])
    if acting == "US":
        assert not any("not record" in n for n in found["US"]["notes"])
    recorded = {s["state"]: s for s in steps(plan(directory, **facts), "investigation")}
    assert not any("not record" in n for n in recorded["TC"]["notes"]), recorded["TC"]["notes"]


@pytest.mark.parametrize("coastal", ["TC", "KY"])
def test_the_sovereigns_step_in_a_territorys_waters_is_told_untoc_may_not_extend_there(
    coastal: str,
) -> None:
    """A Royal Navy ship stops smugglers in the Turks and Caicos Islands' territorial sea: R12's
    step to the United Kingdom, "over its waters (UNTOC art. 15(1)(a))", resolves to the Turks
    and Caicos prosecutors, but it said nothing of UNTOC's extension, since the note keyed on
    the step's state (GB), not on where the offence is. It now follows the territory whose
    waters they are, as the territory's own step does. A Cayman patrol there is told of
    UNTOC's extension to the Cayman Islands for its own law, not of "its waters", which these
    are not."""
    shipped = load_directory(use_env=False)
    facts: dict[str, Any] = dict(
        flag="HT", zone="territorial", coastal=coastal, acting="GB", nationalities=["HT"],
        conditions=["smugglers"],
    )  # fmt: skip
    [navy] = [s for s in steps(plan(shipped, **facts), "investigation") if s["state"] == "GB"]
    said = [n for n in navy["notes"] if "not record that GB extended" in n]
    assert len(said) == 1, navy["notes"]
    assert f"UNTOC to {coastal}:" in said[0] and "UNCLOS art. 2" in said[0], said
    # On the high seas, aboard a Haitian boat, nothing of a territory's waters is said.
    high_seas = {**facts, "zone": "high-seas", "coastal": None}
    [far] = [s for s in steps(plan(shipped, **high_seas), "investigation") if s["state"] == "GB"]
    assert not any("not record" in n for n in far["notes"]), far["notes"]
    # A Cayman patrol in Turks and Caicos waters: its own law, not its waters.
    patrol = {**facts, "coastal": "TC", "acting": "KY"}
    found = {s["state"]: s for s in steps(plan(shipped, **patrol), "investigation")}
    [own] = [n for n in found["KY"]["notes"] if "not record that GB extended" in n]
    assert "UNTOC to KY:" in own and "over its waters" not in own, own
    [theirs] = [n for n in found["TC"]["notes"] if "not record that GB extended" in n]
    assert "UNTOC to TC:" in theirs and "over its waters" in theirs, theirs


@pytest.mark.parametrize(("acting", "flag"), [("TC", "KY"), ("KY", "GB")])
def test_a_territorys_patrol_in_waters_not_named_may_be_in_its_own_over_a_sister_vessel(
    directory: Directory, acting: str, flag: str
) -> None:
    """A Turks and Caicos patrol stops a Cayman-registered boat in a territorial sea, the coastal
    state not given. The step said only that the patrol is not the flag's jurisdiction and
    prosecutes as UNTOC art. 15(2), (6) allow: but the waters may be its own, where the offence
    is in its territory (art. 15(1)(a)), whatever the flag; or another's, where it acts only as
    far as their authorities authorise (R2). The step says both grounds, as for any vessel
    with the coastal state unknown, and still that the flag jurisdiction is not its own."""
    result = plan(
        directory, flag=flag, zone="territorial", acting=acting, nationalities=["HT"],
        conditions=["smugglers"],
    )  # fmt: skip
    [own] = _investigation_notes(result)[acting]
    assert own.startswith("Coastal state unknown: in its own waters"), own
    assert "UNTOC art. 15(1)(a)" in own and "entry authorisation step" in own, own
    assert "not the flag's own jurisdiction" in own, own
    # Named as the patrol's own waters: its own ground alone, as before.
    named = plan(
        directory, flag=flag, zone="territorial", coastal=acting, acting=acting,
        nationalities=["HT"], conditions=["smugglers"],
    )  # fmt: skip
    [here] = _investigation_notes(named)[acting]
    assert here.startswith("Jurisdiction of the intercepting state over its waters"), here


@pytest.mark.parametrize(
    ("acting", "flag", "coastal"),
    [
        # A U.S. cutter stopping a U.S. boat in a territorial sea not named: its own, or
        # another state's.
        ("US", "US", None),
        # In The Bahamas' territorial sea.
        ("US", "US", "BS"),
        # A Cayman patrol stopping a Cayman boat in the Turks and Caicos Islands' waters,
        # under another law.
        ("KY", "KY", "TC"),
    ],
)
def test_a_flag_state_in_waters_that_may_be_anothers_acts_there_as_they_authorise(
    acting: str, flag: str, coastal: str | None
) -> None:
    """A U.S. cutter stops smugglers aboard a U.S. boat in a territorial sea whose coastal
    state is not given: its step said "as the flag state (UNTOC art. 15(1)(b))" alone, where a
    foreign boat's step says that in another state's waters it acts only as far as the
    authorities that serve them authorise (R2). The flag state's jurisdiction over an offence
    aboard does not take the coastal state's over its territorial sea away (UNCLOS arts. 2,
    27): its step says that it acts there only as they authorise, and, the waters unknown,
    that in its own the offence is in its territory too (UNTOC art. 15(1)(a))."""
    shipped = load_directory(use_env=False)
    facts: dict[str, Any] = {
        "flag": flag, "zone": "territorial", "coastal": coastal, "acting": acting,
        "nationalities": ["HT"], "conditions": ["smugglers"],
    }  # fmt: skip
    [own] = _investigation_notes(plan(shipped, **facts))[acting]
    assert own.startswith("Jurisdiction of the intercepting state as the flag state"), own
    assert "as far as the authorities that serve them authorise" in own, own
    assert "entry authorisation step, R2" in own, own
    assert ("art. 15(1)(a)" in own) is (coastal is None), own
    # On the high seas, and in its own waters, the flag state's ground alone, as before.
    # (A territory's step also says whether UNTOC extends to it: not this case's.)
    far = plan(shipped, **{**facts, "zone": "high-seas", "coastal": None})
    assert _investigation_notes(far)[acting][0] == (
        "Jurisdiction of the intercepting state as the flag state (UNTOC art. 15(1)(b))."
    )
    home = plan(shipped, **{**facts, "coastal": acting})
    assert _investigation_notes(home)[acting][0] == (
        "Jurisdiction of the intercepting state over its waters (UNTOC art. 15(1)(a))."
    )


def test_a_territorys_patrol_in_its_contiguous_zone_keeps_its_control_over_a_sister_vessel(
    directory: Directory,
) -> None:
    """A Cayman patrol stops a Turks and Caicos boat in the Cayman Islands' own contiguous
    zone: not the flag's own jurisdiction, but its control there (UNCLOS art. 33(1)) is its
    own ground, and the step gives it rather than doubt whether its law reaches the boat. The
    Turks and Caicos prosecutors are informed, the flag's jurisdiction theirs."""
    result = plan(
        directory, flag="TC", zone="contiguous", coastal="KY", acting="KY",
        nationalities=["HT"], conditions=["smugglers"],
    )  # fmt: skip
    notes = _investigation_notes(result)
    assert set(notes) == {"KY", "TC"}, notes
    [own] = notes["KY"]
    assert own.startswith("Jurisdiction of the intercepting state in its contiguous zone"), own


def test_a_territorys_patrol_is_not_the_flag_state_of_its_sovereigns_own_vessel(
    directory: Directory,
) -> None:
    """A Cayman patrol stops a UK-registered boat on the high seas: the United Kingdom is the
    flag state, not the Cayman Islands' own jurisdiction, whose step said "as the flag
    state". It says whose flag jurisdiction it is and that the Cayman Islands' law reaches
    the offence only as far as it does. No step informs the United Kingdom: the directory
    holds no prosecutor of it at home, and one would resolve to the Cayman Islands' own."""
    result = plan(
        directory, flag="GB", zone="high-seas", acting="KY", nationalities=["HT"],
        conditions=["smugglers"],
    )  # fmt: skip
    assert [s["state"] for s in steps(result, "investigation")] == ["KY"]
    [own] = _investigation_notes(result)["KY"]
    assert own.startswith("The vessel flies the flag of GB, on its own registry"), own
    assert "KY is a territory with its own law, not the flag's own jurisdiction" in own, own


@pytest.mark.parametrize(("acting", "coastal"), [("US", "PR"), ("GB", "KY"), ("KY", "KY")])
def test_a_sovereign_acting_in_its_own_territory_still_gets_one_investigation_step(
    directory: Directory, acting: str, coastal: str
) -> None:
    """The United States off Puerto Rico (or the United Kingdom off the Cayman Islands) is
    answered by the authority competent there, in its own step: no second step to the
    territory's prosecutors."""
    result = plan(
        directory,
        flag="HT",
        zone="territorial",
        coastal=coastal,
        acting=acting,
        conditions=["smugglers"],
    )
    states = [s["state"] for s in steps(result, "investigation")]
    assert states == [acting, "HT"], states


# A stateless vessel in a coastal state's waters -----------------------------------------------


@pytest.mark.parametrize(
    ("coastal", "acting"),
    [("BS", None), (None, None), ("BS", "US"), (None, "US"), ("BS", "BS")],
)
def test_the_stateless_vessel_note_points_only_to_steps_in_the_plan(
    directory: Directory, coastal: str | None, acting: str | None
) -> None:
    """R5 in the coastal state's waters says its authorisation governs. It may point to the
    coastal-state-authorization step only when the plan has one: with the acting state
    unknown R2 gives none (it cannot tell whether the acting state is the coastal one)."""
    result = plan(directory, stateless=True, zone="territorial", coastal=coastal, acting=acting)
    [note] = [n for n in result["notes"] if n["rule"] == "R5"]
    has_step = bool(steps(result, "coastal-state-authorization"))
    if "coastal-state-authorization" in note["text"]:
        assert has_step, note["text"]


# What the flag-state step rests on -----------------------------------------------------------


def test_a_coastal_state_in_its_own_contiguous_zone_cites_article_33(
    directory: Directory,
) -> None:
    """The coastal state acting in its own contiguous zone only tells the flag state: its
    power there is UNCLOS art. 33, not an art. 8 authorisation, so the step cites art. 33.
    Elsewhere the step rests on art. 8 and does not cite art. 33."""
    result = plan(directory, flag="HT", zone="contiguous", coastal="BS", acting="BS")
    [step] = steps(result, "flag-state-authorization")
    assert step["action"] == "notify"
    assert "UNCLOS art. 33" in step["basis"], step["basis"]
    result = plan(directory, flag="HT", zone="contiguous", coastal="BS", acting="JM")
    [step] = steps(result, "flag-state-authorization")
    assert step["action"] == "request"
    assert "UNCLOS art. 33" not in step["basis"], step["basis"]


@pytest.mark.parametrize("flag", ["HT", "KY", "CU"])
def test_a_coastal_state_in_its_own_contiguous_zone_cites_no_article_8_request(
    directory: Directory, flag: str
) -> None:
    """The Bahamas in its own contiguous zone tells the flag state (and a territory's
    registry) of a boarding under UNCLOS art. 33: no art. 8 request is made there, so the
    step cited SOM Protocol art. 8(2), 8(4), 8(5), 8(6) and art. 17 for nothing. It rests on
    art. 33 and on the flag state's jurisdiction over its vessel (UNCLOS art. 92)."""
    result = plan(directory, flag=flag, zone="contiguous", coastal="BS", acting="BS")
    found = steps(result, "flag-state-authorization")
    assert found and {s["action"] for s in found} <= {"notify", "request"}
    for step in found:
        assert not [b for b in step["basis"] if "SOM Protocol" in b], step["basis"]
        assert set(step["basis"]) == {"UNCLOS art. 33", "UNCLOS art. 92"}, step["basis"]
        # Nor do its notes speak of the art. 8 request it does not make ("HT has uncertain
        # status under the SOM Protocol: art. 8 requests rest on ...").
        assert not [n for n in step["notes"] if "art. 8 request" in n], step["notes"]


def test_a_coastal_state_in_its_own_contiguous_zone_is_told_no_agreements_request(
    tmp_path: Path,
) -> None:
    """Under an agreement that gives an expedited reply, the step in the coastal state's own
    contiguous zone said "request, citing it", though it only notifies under UNCLOS art. 33."""
    folder = write_routing_directory(tmp_path / "d")
    directory = load_directory(base=folder, use_env=False)
    agreements = [a for a in directory.all_agreements() if a.provides.boarding != "none"]
    assert agreements, "the fixture holds a boarding agreement"
    for agreement in agreements:
        coastal, flag = agreement.parties[0], agreement.parties[-1]
        result = plan(directory, flag=flag, zone="contiguous", coastal=coastal, acting=coastal)
        for step in steps(result, "flag-state-authorization"):
            assert step["action"] == "notify", step
            assert not [n for n in step["notes"] if "request, citing it" in n], step["notes"]


# The courtesy notice to a country of nationality's migration authority -----------------------


def test_no_courtesy_notice_to_the_migration_authority_of_the_asylum_seekers_country(
    directory: Directory,
) -> None:
    """A U.S. cutter stops Cubans who claim asylum in Cuba's contiguous zone. R3's notices are
    a courtesy, which no law requires: the one to Cuba's maritime law enforcement concerns
    the vessel and stays, with its warning; the one to Cuba's migration authority concerns
    the people and is deferred until their claims are decided, as every other step about
    them to their country is."""
    facts: dict[str, Any] = {
        "flag": "CU",
        "zone": "contiguous",
        "coastal": "CU",
        "acting": "US",
        "disembark": "US",
        "nationalities": ["CU"],
    }
    by_role = {s["role"]: s for s in steps(plan(directory, **facts), "coastal-state-notification")}
    assert {r: (s["action"], s["deferred"]) for r, s in by_role.items()} == {
        "maritime-law-enforcement": ("notify", False),
        "migration": ("notify", False),
    }
    result = plan(directory, **facts, conditions=["asylum"])
    by_role = {s["role"]: s for s in steps(result, "coastal-state-notification")}
    assert {r: (s["action"], s["deferred"]) for r, s in by_role.items()} == {
        "maritime-law-enforcement": ("notify", False),
        "migration": ("inform", True),
    }
    # Not a country of nationality aboard: the courtesy stands.
    facts["nationalities"] = ["HT"]
    result = plan(directory, **facts, conditions=["asylum"])
    assert not any(s["deferred"] for s in steps(result, "coastal-state-notification"))


# The call list: what to do now, and what waits for the claims ---------------------------------


def test_the_call_list_sets_apart_the_calls_that_wait_for_the_asylum_claims(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The call list (all that --brief prints) is what an officer dials from. Steps deferred
    until the asylum claims are decided (the landing in Haiti, the returns) must not read as
    calls to make now: they come under a heading of their own, after every call to make now
    and apart from them."""
    args = ["--flag", "HT", "--zone", "territorial", "--coastal", "HT", "--as", "US"]
    args += ["--nationality", "HT,CU", "--asylum", "--return", "--at", "2026-12-01T10:00-05:00"]
    result = run(capsys, "contact", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)["steps"]
    deferred = {s["order"] for s in found if s["deferred"] and s["resolved"]}
    now = {s["order"] for s in found if not s["deferred"] and s["resolved"]}
    assert deferred and now
    brief = run(capsys, "contact", *args, "--brief")
    assert brief.exit_code == 0, brief.stderr
    lines = brief.stdout.splitlines()
    start = lines.index("CALL LIST")
    listed = lines[start + 1 :]

    def at(order: int) -> int:
        return next(n for n, line in enumerate(listed) if line[:3].strip() == str(order))

    last_now = max(at(o) for o in now)
    first_deferred = min(at(o) for o in deferred)
    between = listed[last_now + 1 : first_deferred]
    # A heading (not a step's line nor its continuation) stands between the two.
    headings = [
        line
        for line in between
        if line and not line[0].isspace() and not line[:3].strip().isdigit()
    ]
    assert headings, listed


def _waiting_lines(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> dict[int, tuple[bool, list[str]]]:
    """For each step that waits (``deferred``): whether it is resolved, and the lines of the
    call list that say why, the heading it is listed under when resolved, the lines under it
    when it is not."""
    args = [*args, "--at", "2026-12-01T10:00-05:00"]
    result = run(capsys, "contact", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)["steps"]
    lines = run(capsys, "contact", *args, "--brief").stdout.splitlines()
    listed = lines[lines.index("CALL LIST") + 1 :]

    def at(order: int) -> int:
        return next(n for n, line in enumerate(listed) if line[:3].strip() == str(order))

    said: dict[int, tuple[bool, list[str]]] = {}
    for step in (s for s in found if s["deferred"]):
        start = at(step["order"])
        if step["resolved"]:
            # The nearest heading above it (a line that is neither a step's nor under one).
            above = next(line for line in reversed(listed[:start]) if not line[:1].isspace())
            said[step["order"]] = (True, [above])
        else:
            rest = listed[start + 1 :]
            end = next((n for n, line in enumerate(rest) if not line[:1].isspace()), len(rest))
            said[step["order"]] = (False, [line.strip() for line in rest[:end]])
    return said


def test_the_call_list_says_what_each_waiting_step_waits_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Asylum claimed and nobody's nationality known, people to be landed in The Bahamas
    (whose waters they were found in): the referral of the claims to its refugee authority
    waits for the nationalities, not for the claims (the step's own note says so). It was
    listed under "NOT NOW: after the asylum claims are decided", the heading of a landing that
    waits for the claims of Haitians: a reason that is not the step's. Each waiting step is
    now listed under its own reason, resolved or not (Haiti holds no refugee authority)."""
    haitians = ["--flag", "HT", "--zone", "territorial", "--coastal", "HT", "--as", "US"]
    claims = _waiting_lines(capsys, [*haitians, "--nationality", "HT,CU", "--asylum"])
    # The heading of the landing in Haiti, resolved, that waits for the claims.
    claims_said = {lines[0] for resolved, lines in claims.values() if resolved}
    assert claims_said
    for facts in (
        ["--zone", "territorial", "--coastal", "BS", "--as", "US", "--asylum"],
        ["--flag", "HT", "--zone", "territorial", "--coastal", "HT", "--as", "US", "--asylum"],
    ):
        nationalities = _waiting_lines(capsys, facts)
        assert nationalities, facts
        for order, (_resolved, lines) in nationalities.items():
            # Something is said, and not the reason of a step that waits for the claims.
            assert lines and not claims_said & set(lines), (facts, order, lines)


# "Archipelagic" waters of a state that is not archipelagic ------------------------------------

#: A landing agreement limited to the waters inside the coast: Jamaica (not archipelagic in
#: the fixture) lands people in Haiti with notice only, for interceptions in its internal
#: waters or territorial sea.
INSIDE_ONLY = f"""
[[agreements]]
id = "jm-ht-landings"
title = "Jamaica-Haiti landings arrangement"
kind = "repatriation"
parties = ["JM", "HT"]
signed = 2020-01-01
in_force = 2020-01-01
status = "in-force"
last_verified = 2026-11-01
sources = {SOURCE}
[agreements.provides]
landing_by = ["JM"]
zones = ["internal", "territorial"]
"""


@pytest.fixture(scope="module")
def with_inside_only(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    folder = write_routing_directory(tmp_path_factory.mktemp("routing-inside"))
    (folder / "inside.toml").write_text(INSIDE_ONLY, encoding="utf-8")
    return load_directory(base=folder, use_env=False)


def test_archipelagic_waters_of_a_state_that_is_not_archipelagic_are_planned_as_internal(
    with_inside_only: Directory,
) -> None:
    """The plan says such waters are internal waters and "the plan is the same": an agreement
    covering internal waters must then govern there too, and the plan's interception shows
    the reading, as for any zone read against the coastal state's claims."""

    def planned(zone: str) -> dict[str, Any]:
        return plan(
            with_inside_only,
            stateless=True,
            zone=zone,
            coastal="JM",
            acting="JM",
            disembark="HT",
            nationalities=["CU"],
        )

    internal, archipelagic = planned("internal"), planned("archipelagic")
    [landing] = steps(internal, "disembarkation")
    assert (landing["action"], landing["agreement"]["id"]) == ("notify", "jm-ht-landings")

    def shape(result: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [
            (s["purpose"], s["action"], s["state"], (s["agreement"] or {}).get("id"))
            for s in result["steps"]
        ]

    assert shape(archipelagic) == shape(internal)
    assert archipelagic["interception"]["zone"] == "internal"


def test_the_call_list_says_which_calls_need_the_persons_consent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Consular access is the person's choice (VCCR art. 36(1)(b)); with asylum claimed,
    contacting their country's consulate without consent can endanger them. The call list
    (all that --brief prints) must say so under the step, as its details do, not present it
    as a call like any other; a mandatory notice (no consent) says nothing of the kind."""
    args = ["--flag", "HT", "--zone", "contiguous", "--coastal", "BS", "--as", "US"]
    args += ["--nationality", "HT,JM", "--asylum", "--at", "2026-12-01T10:00-05:00"]
    result = run(capsys, "contact", *args, "--format", "json")
    found = json.loads(result.stdout)["steps"]
    consent = [s["order"] for s in found if s["requires_consent"] and s["resolved"]]
    mandatory = [
        s["order"]
        for s in found
        if s["purpose"] == "consular-access" and not s["requires_consent"] and s["resolved"]
    ]
    assert consent and mandatory  # Haitians choose; Jamaicans' post is notified (US list)
    lines = run(capsys, "contact", *args, "--brief").stdout.splitlines()
    listed = lines[lines.index("CALL LIST") + 1 :]

    def block(order: int) -> list[str]:
        start = next(n for n, line in enumerate(listed) if line[:3].strip() == str(order))
        rest = listed[start + 1 :]
        # A step's own lines: its line, then those indented under it (not the next step's).
        end = next(
            (n for n, line in enumerate(rest) if not line[:1].isspace() or line[:3].strip()),
            len(rest),
        )
        return [listed[start], *rest[:end]]

    marker = "only with the person's consent"
    for order in consent:
        assert any(marker in line for line in block(order)), block(order)
    for order in mandatory:
        assert not any(marker in line for line in block(order)), block(order)


# Stateless persons aboard ----------------------------------------------------------------------


def test_stateless_persons_get_no_consular_step_and_are_not_asked_for_a_nationality(
    directory: Directory,
) -> None:
    """No state's post serves them: the plan neither offers them consular access nor asks
    for 'the nationalities aboard' as if they were unknown; UNHCR's step names its mandate."""
    only = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS",
        stateless_persons=True,
    )  # fmt: skip
    assert only["interception"]["stateless_persons"] is True
    assert not steps(only, "consular-access")
    assert "nationalities" not in only["missing"]
    [_authority, unhcr] = steps(only, "protection-referral")
    assert any("stateless" in n for n in unhcr["notes"])
    mixed = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS",
        nationalities=["HT"], stateless_persons=True,
    )  # fmt: skip
    assert [s["nationality"] for s in steps(mixed, "consular-access")] == ["HT"]
    # Without stateless persons the UNHCR step says nothing of them.
    plain = plan(directory, flag="HT", zone="territorial", coastal="BS", acting="BS",
                 nationalities=["HT"])  # fmt: skip
    notes = [n for s in steps(plain, "protection-referral") for n in s["notes"]]
    assert not any("stateless" in n for n in notes)


def test_unaccompanied_stateless_children_are_protected_with_no_consular_notice(
    directory: Directory,
) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS",
        stateless_persons=True, conditions=["unaccompanied"],
    )  # fmt: skip
    assert [s["state"] for s in steps(result, "child-protection")] == ["BS"]
    assert not steps(result, "consular-access")
    assert "nationalities" not in result["missing"]


def test_a_return_of_stateless_persons_asks_the_landing_state_alone_and_says_none_must_readmit(
    directory: Directory,
) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS",
        stateless_persons=True, return_considered=True,
    )  # fmt: skip
    [step] = steps(result, "repatriation")
    assert (step["state"], step["nationality"], step["missing"]) == ("BS", None, [])
    assert any("readmit" in w for w in step["warnings"])
    # With Haitians aboard too: their two steps, and the stateless persons' one.
    mixed = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS",
        nationalities=["HT"], stateless_persons=True, return_considered=True,
    )  # fmt: skip
    found = sorted((s["state"], s["nationality"] or "") for s in steps(mixed, "repatriation"))
    assert found == [("BS", ""), ("BS", "HT"), ("HT", "HT")]


def test_a_landing_agreement_for_some_nationalities_does_not_cover_stateless_persons(
    directory: Directory,
) -> None:
    # us-ht-1981 provides for landing Haitians in Haiti: stateless persons aboard are not
    # Haitians, so the landing is asked for, not notified.
    haitians = plan(
        directory, flag="HT", zone="high-seas", acting="US", disembark="HT", nationalities=["HT"]
    )
    [notified] = steps(haitians, "disembarkation")
    assert notified["action"] == "notify"
    result = plan(
        directory, flag="HT", zone="high-seas", acting="US", disembark="HT",
        nationalities=["HT"], stateless_persons=True,
    )  # fmt: skip
    [step] = steps(result, "disembarkation")
    assert (step["action"], step["agreement"]) == ("request", None)


def test_stateless_asylum_seekers_landed_where_they_were_found_are_warned_of(
    directory: Directory,
) -> None:
    # Found in the Dominican contiguous zone they have left the country they may have lived
    # in: landing them there may return them to it.
    result = plan(
        directory, stateless=True, zone="contiguous", coastal="DO", acting="US",
        stateless_persons=True, conditions=["asylum"],
    )  # fmt: skip
    assert any("non-refoulement" in w and "stateless" in w for w in result["warnings"])
    # Found in its territorial sea, they have not left it: no refoulement, but the claims may
    # still be against it, so it is told nothing of them.
    at_home = plan(
        directory, stateless=True, zone="territorial", coastal="DO", acting="US",
        stateless_persons=True, conditions=["asylum"],
    )  # fmt: skip
    [warning] = [w for w in at_home["warnings"] if "stateless" in w]
    assert "art. 1A(2)" in warning and "is no refoulement" in warning
    assert "art. 33" not in warning
    assert "tell it nothing of who claimed asylum" in warning


def test_the_command_line_reads_stateless_among_the_nationalities(
    capsys: pytest.CaptureFixture[str],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The fixture is the base layer: laid over the shipped directory it would move records
    # from one state to another, which an overlay may not do.
    folder = write_routing_directory(tmp_path_factory.mktemp("routing-stateless"))
    monkeypatch.setattr("somnet.directory.loading.shipped_data_dir", lambda: folder)
    result = run(
        capsys, "contact", "--flag", "HT", "--zone", "territorial", "--coastal", "BS",
        "--as", "BS", "--nationality", "Stateless,ht", "--no-cache", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)["interception"]
    assert (data["nationalities"], data["stateless_persons"]) == (["HT"], True)
    text = run(
        capsys, "contact", "--flag", "HT", "--zone", "territorial", "--coastal", "BS",
        "--as", "BS", "--nationality", "stateless", "--no-cache",
    )  # fmt: skip
    assert text.exit_code == 0 and "stateless" in text.stdout.split("\n")[1]


# Landing in another territory of the acting state's sovereign --------------------------------


@pytest.mark.parametrize(
    ("acting", "landing", "agency"),
    [
        ("KY", "TC", "tc-marine"),  # a Cayman patrol landing people in the Turks and Caicos
        ("GB", "TC", "tc-marine"),  # a Royal Navy ship landing them there
        ("CW", "AW", "cw-dccg"),  # a Curaçao patrol landing them in Aruba
    ],
)
def test_landing_in_a_territory_with_its_own_immigration_law_asks_its_consent(
    directory: Directory, acting: str, landing: str, agency: str
) -> None:
    """The British Overseas Territories and the Dutch Caribbean countries each admit people
    under their own immigration law, through their own authorities: being one state with the
    acting one in international law does not let its vessel land people there. The landing
    territory's consent and a place of safety are asked for, as from any other state."""
    result = plan(
        directory,
        stateless=True,
        zone="high-seas",
        acting=acting,
        disembark=landing,
        nationalities=["HT"],
    )
    [step] = steps(result, "disembarkation")
    assert (step["rule"], step["state"], step["action"], step["resolved"]) == (
        "R15",
        landing,
        "request",
        True,
    )
    assert step["agency"]["id"] == agency


def test_landing_in_a_territory_under_its_sovereigns_immigration_law_needs_no_consent(
    directory: Directory,
) -> None:
    """Puerto Rico has no immigration authority of its own (federal law applies there): the
    United States lands people there on its own authority."""
    result = plan(
        directory,
        stateless=True,
        zone="high-seas",
        acting="US",
        disembark="PR",
        nationalities=["HT"],
    )
    assert steps(result, "disembarkation") == []


def test_a_sovereign_screening_off_its_territory_is_joined_by_the_unhcr_office_covering_it(
    directory: Directory,
) -> None:
    """A Royal Navy ship off the Turks and Caicos Islands with Caymanians who claim asylum,
    whom the plan would land there: the screening falls to the United Kingdom, with UNHCR.
    The UNHCR office that covers the territory where the United Kingdom acts is the one to
    call; the directory records none serving the United Kingdom itself."""
    result = plan(
        directory, stateless=True, zone="territorial", coastal="TC", acting="GB",
        nationalities=["KY"], conditions=["asylum"],
    )  # fmt: skip
    [unhcr] = [s for s in steps(result, "protection-referral") if s["role"] == "protection-partner"]
    assert (unhcr["state"], unhcr["resolved"], unhcr["action"]) == ("GB", True, "request")
    assert unhcr["agency"]["id"] == "unhcr-washington"


def test_landing_asylum_seekers_in_a_territory_of_their_own_state_waits_for_the_claims(
    directory: Directory,
) -> None:
    """Caymanians who claim asylum, whom a Royal Navy ship would land in the Turks and Caicos
    Islands (their own state, the United Kingdom): the landing territory's consent is asked
    only once the claims are decided, as a landing in any country of nationality is."""
    result = plan(
        directory, stateless=True, zone="territorial", coastal="TC", acting="GB",
        nationalities=["KY"], conditions=["asylum"],
    )  # fmt: skip
    [landing] = steps(result, "disembarkation")
    assert (landing["state"], landing["action"], landing["deferred"]) == ("TC", "inform", True)
    # Haitians landed there are not in their own state: their landing is asked for now.
    [now] = steps(
        plan(
            directory, stateless=True, zone="territorial", coastal="TC", acting="GB",
            nationalities=["HT"], conditions=["asylum"],
        ),
        "disembarkation",
    )  # fmt: skip
    assert (now["action"], now["deferred"]) == ("request", False)


# A vessel of a territory, answered by its sovereign's authorities for that territory -------


def test_smugglers_aboard_a_territorys_vessel_go_to_the_prosecutors_of_that_territory(
    directory: Directory,
) -> None:
    """A Royal Navy ship stops a Cayman-registered boat with smugglers aboard on the high
    seas. The United Kingdom has no prosecutor of its own in the directory (the territories
    have theirs, with their own criminal law): the offence aboard the territory's vessel goes
    to that territory's prosecutors, not to an unresolved step."""
    result = plan(
        directory, flag="KY", zone="high-seas", acting="GB", nationalities=["HT"],
        conditions=["smugglers"],
    )  # fmt: skip
    [step] = steps(result, "investigation")
    assert (step["state"], step["action"], step["resolved"]) == ("GB", "request", True)
    assert step["agency"]["id"] == "ky-odpp"


def test_a_territorys_vessel_is_answered_for_by_its_sovereigns_authority_there(
    directory: Directory,
) -> None:
    """A Curaçao-registered boat on the high seas: the Kingdom of the Netherlands is the flag
    state, and its authority for Curaçao's waters and vessels answers the request, where the
    directory holds none of its own at home."""
    result = plan(directory, flag="CW", zone="high-seas", acting="US", nationalities=["HT"])
    [step] = steps(result, "flag-state-authorization")
    assert (step["state"], step["action"], step["resolved"]) == ("NL", "request", True)
    assert step["agency"]["id"] == "cw-dccg"


def test_the_call_list_keeps_its_warnings_on_steps_left_unresolved(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Eritreans and Haitians who claim asylum, to be returned: Eritrea's migration authority
    and consular post are not in the directory. Listed under "what to add", those steps must
    still say what the resolved ones say: the return waits for the claims (an officer who
    finds Eritrea's number must not call it now), and consular access is the person's
    choice."""
    args = ["--stateless", "--zone", "high-seas", "--as", "US", "--disembark", "BS"]
    args += ["--nationality", "ER,HT", "--asylum", "--return", "--at", "2026-12-01T10:00-05:00"]
    result = run(capsys, "contact", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)["steps"]
    waiting = [s["order"] for s in found if s["deferred"] and not s["resolved"]]
    consent = [s["order"] for s in found if s["requires_consent"] and not s["resolved"]]
    waiting_resolved = [s["order"] for s in found if s["deferred"] and s["resolved"]]
    assert waiting and consent and waiting_resolved
    lines = run(capsys, "contact", *args, "--brief").stdout.splitlines()
    listed = lines[lines.index("CALL LIST") + 1 :]

    def at(order: int) -> int:
        return next(n for n, line in enumerate(listed) if line[:3].strip() == str(order))

    def block(order: int) -> list[str]:
        start = at(order)
        rest = listed[start + 1 :]
        end = next(
            (n for n, line in enumerate(rest) if not line[:1].isspace() or line[:3].strip()),
            len(rest),
        )
        return [listed[start], *rest[:end]]

    # The heading the resolved steps that wait come under.
    heading = listed[min(at(o) for o in waiting_resolved) - 1].strip()
    for order in waiting:
        assert any(heading in line for line in block(order)), block(order)
    for order in consent:
        assert any("only with the person's consent" in line for line in block(order)), block(order)


# Mandatory consular notification, with territories ---------------------------------------------


@pytest.mark.parametrize(
    ("acting", "landing", "mandatory"),
    [
        ("PR", "PR", True),  # Puerto Rico's authorities detain with the United States' duty
        ("BS", "PR", True),  # landed there, they may be detained under it
        ("US", "TC", True),  # a U.S. cutter landing them in the Turks and Caicos Islands
        ("KY", "KY", False),  # the United Kingdom's duties are not on record
    ],
)
def test_a_mandatory_notification_follows_the_detaining_territorys_sovereign(
    directory: Directory, acting: str, landing: str, mandatory: bool
) -> None:
    """Jamaicans held by a territory's authorities, or landed in a territory: the duty to
    notify their consular post whatever their wish is the sovereign's (the United States'
    list names Jamaica), whoever of its territories detains them."""
    result = plan(
        directory, stateless=True, zone="high-seas", acting=acting, disembark=landing,
        nationalities=["JM"],
    )  # fmt: skip
    [step] = [s for s in steps(result, "consular-access") if s["nationality"] == "JM"]
    assert (step["action"], step["requires_consent"]) == (
        ("notify", False) if mandatory else ("inform", True)
    )


# Stateless asylum seekers landed where they were found ----------------------------------------


def test_stateless_asylum_seekers_are_not_landed_where_they_may_flee_before_screening(
    directory: Directory,
) -> None:
    """Stateless people found off the Dominican Republic claim asylum: it may be the country
    they lived in and flee (UNHCR's refugee definition reads a stateless person's claim against
    the country of former habitual residence), and the plan warns that landing them there
    before their claims are decided breaches non-refoulement, telling the officer to tell it
    only what concerns the vessel. The steps must not contradict it: the Dominican Republic's
    consent to the landing, its referrals and its return wait for the claims; the acting state
    screens them with UNHCR and takes the children in its care now."""
    facts: dict[str, Any] = dict(
        stateless=True, zone="territorial", coastal="DO", acting="US", stateless_persons=True,
        return_considered=True,
    )  # fmt: skip
    result = plan(directory, **facts, conditions=["asylum", "minors"])
    do_people = [
        s
        for s in result["steps"]
        if s["state"] == "DO"
        and s["purpose"] in ("disembarkation", "child-protection", "repatriation")
    ]
    assert {s["purpose"] for s in do_people} == {
        "disembarkation",
        "child-protection",
        "repatriation",
    }
    assert all(s["deferred"] and s["action"] == "inform" for s in do_people), do_people
    referrals = steps(result, "protection-referral")
    assert {s["state"] for s in referrals} == {"US"}
    assert [s["state"] for s in steps(result, "child-protection") if not s["deferred"]] == ["US"]
    # The waters are the Dominican Republic's: its authorisation is still asked for.
    [entry] = steps(result, "coastal-state-authorization")
    assert (entry["state"], entry["action"], entry["deferred"]) == ("DO", "request", False)
    # Without asylum, or with a nationality known that is not the Dominican Republic's, the
    # landing is asked for now.
    for changed in (
        dict(conditions=["minors"]),
        dict(conditions=["asylum", "minors"], nationalities=["HT"]),
    ):
        [landing] = steps(plan(directory, **facts, **changed), "disembarkation")
        assert (landing["action"], landing["deferred"]) == ("request", False), changed


def test_stateless_asylum_seekers_screened_by_the_state_they_may_flee_are_flagged(
    directory: Directory,
) -> None:
    """The Dominican Navy stops stateless people in its own waters who claim asylum: the
    state that would screen them may be the one they lived in and flee. As for nationals
    screened by their own state, its authorities must not decide the claims alone: the step
    says to refer every claim to UNHCR too. A U.S. cutter screening them is not so flagged."""

    def flagged(acting: str) -> list[str]:
        result = plan(
            directory, stateless=True, zone="territorial", coastal="DO", acting=acting,
            stateless_persons=True, conditions=["asylum"],
        )  # fmt: skip
        national = [
            s for s in steps(result, "protection-referral") if s["role"] == "refugee-status"
        ]
        assert national
        return [w for s in national for w in s["warnings"] if "UNHCR" in w]

    assert flagged("DO")
    assert not flagged("US")


def test_a_return_to_the_acting_state_of_people_landed_elsewhere_waits_for_the_claims(
    directory: Directory,
) -> None:
    """A U.S. cutter lands in The Bahamas a boat whose people include U.S. and Haitian nationals,
    and asylum is claimed: the return of the U.S. nationals is a return from The Bahamas to a
    country of nationality like any other, asked only once the claims are decided (the
    claimant may be one of them). The acting state's own steps done where it acts (screening
    aboard, the children in its care) are not deferred."""
    result = plan(
        directory, flag="HT", zone="high-seas", acting="US", disembark="BS",
        nationalities=["US", "HT"], conditions=["asylum"], return_considered=True,
    )  # fmt: skip
    returns = {s["state"]: s for s in steps(result, "repatriation")}
    assert (returns["US"]["action"], returns["US"]["deferred"]) == ("inform", True)
    assert (returns["HT"]["action"], returns["HT"]["deferred"]) == ("inform", True)
    # Without asylum claimed the return to the acting state is asked for now.
    plain = plan(
        directory, flag="HT", zone="high-seas", acting="US", disembark="BS",
        nationalities=["US", "HT"], return_considered=True,
    )  # fmt: skip
    [home] = [s for s in steps(plain, "repatriation") if s["state"] == "US"]
    assert (home["action"], home["deferred"]) == ("request", False)


def test_a_mandatory_notification_names_the_state_whose_duty_it_is() -> None:
    """Puerto Rico's authorities detain Jamaicans under the United States' list: the note says
    the United States must notify, not "PR", which no consular convention binds."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped, stateless=True, zone="high-seas", acting="PR", disembark="PR",
        nationalities=["JM"],
    )  # fmt: skip
    [step] = [s for s in steps(result, "consular-access") if s["nationality"] == "JM"]
    [note] = [n for n in step["notes"] if n.startswith("Notification is mandatory")]
    assert note.startswith("Notification is mandatory: US must notify JM's")


@pytest.mark.parametrize("asylum", [False, True])
def test_an_uncertain_duty_to_notify_is_said_not_applied(tmp_path: Path, asylum: bool) -> None:
    """The United States' list, confirmed, makes its notice of Jamaicans it detains mandatory
    whatever their wish. The same list recorded as uncertain (its convention's article not
    read) is said beside the offer of consular contact, not applied: the person decides, as an
    uncertain agreement is mentioned and never applied. A notice sent against their wish cannot
    be taken back; for someone who claims asylum it tells their state where they are held."""
    facts: dict[str, Any] = {
        "stateless": True,
        "zone": "high-seas",
        "acting": "US",
        "disembark": "US",
        "nationalities": ["JM"],
        "conditions": ["asylum"] if asylum else [],
    }
    folder = write_routing_directory(tmp_path / "d")
    directory = load_directory(base=folder, use_env=False)
    [confirmed] = steps(plan(directory, **facts), "consular-access")
    assert (confirmed["action"], confirmed["requires_consent"]) == ("notify", False)
    assert any(n.startswith("Notification is mandatory: US must") for n in confirmed["notes"])
    us = folder / "states" / "US.toml"
    text = us.read_text(encoding="utf-8")
    table = "[state.mandatory_notification]\n"
    assert table in text
    us.write_text(text.replace(table, table + 'status = "uncertain"\n'), encoding="utf-8")
    [unsure] = steps(plan(load_directory(base=folder, use_env=False), **facts), "consular-access")
    assert (unsure["action"], unsure["requires_consent"]) == ("inform", True)
    [note] = [n for n in unsure["notes"] if n.startswith("Notification may be mandatory")]
    assert note.startswith("Notification may be mandatory: US may have to notify JM's")
    assert "Bilateral consular convention (mandatory notification)" not in unsure["basis"]
    if asylum:  # R7: the consent warning, not the mandatory notice's
        assert "1951 Convention art. 33" in unsure["basis"]


def test_an_uncertain_duty_of_one_state_does_not_hide_a_confirmed_duty_of_the_other(
    tmp_path: Path,
) -> None:
    """A Haitian patrol lands Jamaicans in the United States: the United States' list,
    confirmed, makes its notice mandatory whatever their wish. Haiti's own list naming Jamaica,
    recorded as uncertain, is said and not applied, and must not hide the landing state's
    confirmed duty: the first record found (the acting state's) was taken, and the person was
    offered a choice the United States does not leave them."""
    facts: dict[str, Any] = {
        "stateless": True,
        "zone": "high-seas",
        "acting": "HT",
        "disembark": "US",
        "nationalities": ["JM"],
    }
    folder = write_routing_directory(tmp_path / "d")
    ht = folder / "states" / "HT.toml"
    ht.write_text(
        ht.read_text(encoding="utf-8")
        + f'\n[state.mandatory_notification]\nstatus = "uncertain"\nnationalities = ["JM"]\n'
        f"sources = {SOURCE}\n",
        encoding="utf-8",
    )
    directory = load_directory(base=folder, use_env=False)
    assert directory.state("HT").mandatory_notification is not None  # type: ignore[union-attr]
    [step] = steps(plan(directory, **facts), "consular-access")
    assert (step["action"], step["requires_consent"]) == ("notify", False)
    assert any(
        n.startswith("Notification is mandatory: US must notify JM's") for n in step["notes"]
    )
    assert "Bilateral consular convention (mandatory notification)" in step["basis"]


def test_a_territorys_uncertain_duty_does_not_hide_its_sovereigns_confirmed_one(
    tmp_path: Path,
) -> None:
    """Puerto Rico detains with the United States' duties: its own list naming Jamaica,
    recorded as uncertain, must not hide the United States' confirmed one (the territory's was
    found first and the person offered a choice the convention does not leave them)."""
    folder = write_routing_directory(tmp_path / "d")
    pr = folder / "states" / "PR.toml"
    pr.write_text(
        pr.read_text(encoding="utf-8")
        + f'\n[state.mandatory_notification]\nstatus = "uncertain"\nnationalities = ["JM"]\n'
        f"sources = {SOURCE}\n",
        encoding="utf-8",
    )
    directory = load_directory(base=folder, use_env=False)
    assert directory.state("PR").mandatory_notification is not None  # type: ignore[union-attr]
    result = plan(
        directory, stateless=True, zone="high-seas", acting="PR", disembark="PR",
        nationalities=["JM"],
    )  # fmt: skip
    [step] = steps(result, "consular-access")
    assert (step["action"], step["requires_consent"]) == ("notify", False)
    assert any(
        n.startswith("Notification is mandatory: US must notify JM's") for n in step["notes"]
    )


@pytest.mark.parametrize(
    ("facts", "basis"),
    [
        # Another state's waters: its sovereignty, through its authorisation (R2).
        ({"coastal": "BS", "acting": "JM"}, ["UNCLOS arts. 2, 49"]),
        ({"coastal": "BS", "acting": "US"}, ["UNCLOS arts. 2, 49"]),
        # The acting state unknown: the coastal state's, all the same.
        ({"coastal": "BS"}, ["UNCLOS arts. 2, 49"]),
        # The acting state's own waters: its own jurisdiction, a territory under its law too.
        ({"coastal": "BS", "acting": "BS"}, ["UNCLOS arts. 2, 49"]),
        ({"coastal": "PR", "acting": "US"}, ["UNCLOS arts. 2, 49"]),
        # Another territory of its sovereign, under its own law: that law, not UNCLOS.
        ({"coastal": "TC", "acting": "KY"}, ["The law of the territory whose waters they are"]),
    ],
)
@pytest.mark.parametrize("zone", ["territorial", "internal"])
def test_a_stateless_vessel_in_a_states_waters_cites_what_applies_there_not_art_8_7(
    directory: Directory, facts: dict[str, str], basis: list[str], zone: str
) -> None:
    """Art. 8(7) of the SOM Protocol and art. 110 of UNCLOS permit boarding a stateless vessel
    beyond the territorial sea only: the note says they do not apply in a state's waters, and
    its basis must not cite them."""
    result = plan(directory, stateless=True, zone=zone, **facts)
    [note] = [n for n in result["notes"] if n["rule"] == "R5"]
    assert note["basis"] == basis
    # Beyond the territorial sea, as before.
    [beyond] = [
        n
        for n in plan(directory, stateless=True, zone="high-seas", acting="US")["notes"]
        if n["rule"] == "R5"
    ]
    assert beyond["basis"] == ["SOM Protocol art. 8(7)", "UNCLOS art. 110(1)(d)"]


@pytest.mark.parametrize(("acting", "coastal"), [("KY", "TC"), ("GB", "TC"), ("TC", "KY")])
def test_a_stateless_vessel_in_a_sister_territorys_waters_is_not_the_acting_states_own(
    directory: Directory, acting: str, coastal: str
) -> None:
    """A Cayman patrol in the Turks and Caicos Islands' waters is under one sovereign, but not
    in its own waters: the note must not say its own jurisdiction applies there."""
    result = plan(directory, stateless=True, zone="territorial", coastal=coastal, acting=acting)
    notes = " ".join(str(n) for n in result["notes"])
    assert "acting state's own waters" not in notes
    assert f"waters of {coastal}" in notes and "no flag state to ask" in notes
    # In its own waters, it is.
    own = plan(directory, stateless=True, zone="territorial", coastal=acting, acting=acting)
    assert "acting state's own waters" in " ".join(str(n) for n in own["notes"])


@pytest.mark.parametrize("zone", ["territorial", "internal"])
def test_a_stateless_vessel_in_its_sovereigns_territory_under_its_law_is_in_its_own_waters(
    directory: Directory, zone: str
) -> None:
    """A U.S. cutter stopping a stateless vessel in Puerto Rico's waters: Puerto Rico is under
    the United States' own law (no immigration authority of its own), so its waters are the
    acting state's own, whose jurisdiction applies; it is not told to act with another
    territory's authorities, as a Cayman patrol off the Turks and Caicos Islands is."""
    result = plan(directory, stateless=True, zone=zone, coastal="PR", acting="US")
    notes = " ".join(str(n) for n in result["notes"])
    assert "acting state's own waters" in notes
    assert "waters of PR" not in notes
    # A territory with its own law, as before: its authorities act there.
    other = plan(directory, stateless=True, zone=zone, coastal="TC", acting="GB")
    assert "waters of TC" in " ".join(str(n) for n in other["notes"])


def test_a_territorys_patrol_with_its_own_law_is_not_at_home_in_a_territory_under_the_sovereign(
    directory: Directory,
) -> None:
    """An Aruban patrol (a territory with its own law) stopping a stateless vessel in the
    waters of a territory of the same sovereign under the sovereign's law (Curaçao, in the
    fixture, keeps no immigration authority of its own): those waters are not Aruba's, whose
    law does not run there; the note says to act with the authorities serving them."""
    result = plan(directory, stateless=True, zone="territorial", coastal="CW", acting="AW")
    notes = " ".join(str(n) for n in result["notes"])
    assert "acting state's own waters" not in notes
    assert "waters of CW" in notes
    # The sovereign itself there is at home.
    own = plan(directory, stateless=True, zone="territorial", coastal="CW", acting="NL")
    assert "acting state's own waters" in " ".join(str(n) for n in own["notes"])


def test_a_territory_with_its_own_law_landing_people_under_the_sovereigns_law_asks_consent(
    directory: Directory,
) -> None:
    """An Aruban patrol (a territory with its own immigration law) landing people in a
    territory under the sovereign's law (Bonaire; Curaçao in the fixture): Aruba's law and
    authorities decide nothing there, the sovereign's do. A landing there asks their consent
    (R15), as a landing in a territory with its own law does; the sovereign's own vessel lands
    people there as at home."""
    facts: dict[str, Any] = {
        "zone": "territorial",
        "flag": "HT",
        "coastal": "CW",
        "disembark": "CW",
        "nationalities": ["HT"],
    }
    landing = steps(plan(directory, **facts, acting="AW"), "disembarkation")
    assert [(s["rule"], s["state"], s["action"]) for s in landing] == [("R15", "CW", "request")]
    assert steps(plan(directory, **facts, acting="NL"), "disembarkation") == []


# A return between two territories of one sovereign --------------------------------------------


@pytest.mark.parametrize(
    ("nationality", "landing"),
    [
        ("KY", "TC"),  # Caymanians landed in the Turks and Caicos Islands
        ("TC", "KY"),  # Turks and Caicos Islanders landed in the Cayman Islands
        ("GB", "TC"),  # British citizens landed in a territory with its own immigration law
    ],
)
def test_a_return_from_a_territory_with_its_own_law_to_a_sister_jurisdiction_is_planned(
    directory: Directory, nationality: str, landing: str
) -> None:
    """Caymanians landed in the Turks and Caicos Islands are British nationals, so no consul
    is called, but the Turks and Caicos admit people under their own immigration law: a
    Caymanian is not at home there, and a return to the Cayman Islands is a return like any
    other, between the two migration authorities. It must not vanish from the plan."""
    facts: dict[str, Any] = {
        "zone": "territorial",
        "flag": "HT",
        "coastal": landing,
        "acting": landing,
        "nationalities": [nationality],
        "return_considered": True,
    }
    found = steps(plan(directory, **facts), "repatriation")
    assert {(s["state"], s["nationality"], s["action"]) for s in found} == {
        (landing, nationality, "request"),
        (nationality, nationality, "request"),
    }, found
    # Still no consular step: their consul is their own state's, which they are in.
    assert steps(plan(directory, **facts), "consular-access") == []


def test_a_territorys_people_landed_in_their_own_territory_are_not_returned(
    directory: Directory,
) -> None:
    """Caymanians landed in the Cayman Islands, or in a territory under the sovereign's own
    immigration law (Puerto Ricans landed in the United States), are at home: no return."""
    for nationality, landing in (("KY", "KY"), ("PR", "US"), ("US", "PR")):
        result = plan(
            directory, flag="HT", zone="territorial", coastal=landing, acting=landing,
            nationalities=[nationality], return_considered=True,
        )  # fmt: skip
        assert steps(result, "repatriation") == [], (nationality, landing)


def test_the_return_of_asylum_seekers_to_a_sister_territory_waits_for_the_claims(
    directory: Directory,
) -> None:
    """Caymanians who claim asylum, held by the Turks and Caicos Islands: the United Kingdom is
    both the acting state and their country, but the Cayman Islands are not the jurisdiction
    that holds them. Asking the Cayman authorities to take them back before the claims are
    decided is the return that non-refoulement forbids: it waits, as a return to any country
    of nationality does."""
    result = plan(
        directory, flag="HT", zone="territorial", coastal="TC", acting="TC",
        nationalities=["KY"], conditions=["asylum"], return_considered=True,
    )  # fmt: skip
    found = {s["state"]: s for s in steps(result, "repatriation")}
    assert (found["KY"]["action"], found["KY"]["deferred"]) == ("inform", True)
    # The acting territory's own authority, where they are, is asked now (with the warning).
    assert (found["TC"]["action"], found["TC"]["deferred"]) == ("request", False)


# Asylum with the nationalities unknown, landed where they may come from ------------------------


def _keyed(result: dict[str, Any]) -> dict[tuple[str, str, str | None], dict[str, Any]]:
    return {(s["purpose"], s["role"], s["state"]): s for s in result["steps"]}


def test_asylum_with_nationalities_unknown_the_steps_to_the_landing_state_agree_with_the_plan(
    directory: Directory,
) -> None:
    """A Haitian boat in Haiti's waters, stopped by a U.S. cutter; asylum is claimed and nobody's
    nationality is known yet. The plan still asks Haiti for the landing (the common case: it
    asks for the nationalities rather than defer), but Haiti may be the claimants' own country:
    the plan must not warn "tell Haiti only what concerns the vessel" while its steps ask Haiti
    to take the people, their claims, the children and the victims. Every step to Haiti says,
    in itself, what not to tell it; the plan-level warning says what the steps do."""
    facts: dict[str, Any] = {
        "flag": "HT",
        "zone": "territorial",
        "coastal": "HT",
        "acting": "US",
        "conditions": ["minors", "trafficking", "smugglers"],
    }
    bare = _keyed(plan(directory, **facts))
    facts["conditions"] = [*facts["conditions"], "asylum"]
    result = plan(directory, **facts)
    [landing] = steps(result, "disembarkation")
    assert (landing["state"], landing["action"], landing["deferred"]) == ("HT", "request", False)
    to_haiti = [
        s
        for s in result["steps"]
        if s["state"] == "HT" and s["purpose"] not in ("consular-access", "protection-referral")
    ]
    assert {s["purpose"] for s in to_haiti} >= {
        "coastal-state-authorization",
        "disembarkation",
        "child-protection",
        "trafficking-victim-referral",
        "investigation",
    }
    for step in to_haiti:
        before = bare[(step["purpose"], step["role"], step["state"])]
        assert len(step["warnings"]) > len(before["warnings"]), step
    # Its refugee authority is not sent the claims while they may be against Haiti: the
    # referral waits (the step cannot both refer the claims and warn not to).
    [refugee] = [s for s in steps(result, "protection-referral") if s["role"] == "refugee-status"]
    before = bare[("protection-referral", "refugee-status", "HT")]
    assert len(refugee["warnings"]) > len(before["warnings"]), refugee
    assert (refugee["action"], refugee["deferred"]) == ("inform", True), refugee
    assert before["deferred"] is False, before
    # UNHCR, serving Haiti, is where the claims go: it is not warned off.
    [unhcr] = [s for s in steps(result, "protection-referral") if s["role"] == "protection-partner"]
    before = bare[("protection-referral", "protection-partner", "HT")]
    assert len(unhcr["warnings"]) == len(before["warnings"]), unhcr
    assert not any("only what concerns the vessel" in w for w in result["warnings"])


def test_asylum_with_nationalities_unknown_screened_by_the_landing_state_goes_to_unhcr_too(
    directory: Directory,
) -> None:
    """The Haitian coast guard stops a Haitian boat; asylum is claimed, nationalities unknown.
    Haiti is the acting state and the landing state: the plan cannot tell it to share "only what
    concerns the vessel" with itself. Its screening step says that, if the claims are against
    Haiti, its authorities must not decide them alone, as it does when they are known to be
    Haitians."""
    facts: dict[str, Any] = {"flag": "HT", "zone": "territorial", "coastal": "HT", "acting": "HT"}
    result = plan(directory, **facts, conditions=["asylum"])
    [refugee] = [s for s in steps(result, "protection-referral") if s["role"] == "refugee-status"]
    assert not any("only what concerns the vessel" in w for w in result["warnings"])
    # Cubans screened by Haiti: no claim against Haiti, no such warning.
    cubans = plan(directory, **facts, nationalities=["CU"], conditions=["asylum"])
    [plain] = [s for s in steps(cubans, "protection-referral") if s["role"] == "refugee-status"]
    assert refugee["state"] == plain["state"] == "HT"
    assert len(refugee["warnings"]) > len(plain["warnings"]), refugee


def test_with_nobodys_nationality_known_the_holding_landing_states_nationals_may_apply_too(
    directory: Directory,
) -> None:
    """Found off Cuba and landed in Cuba by Cuba, nobody's nationality known: R9's note said
    that everyone "who is not a national of the disembarkation state" may apply for asylum,
    excluding exactly those whose claims its warning says may be against Cuba. Everyone
    aboard may apply, its nationals included; the place is named through its state when it is
    a territory (a Cayman patrol landing them in the Cayman Islands)."""
    for code, named in (("CU", "CU"), ("KY", "GB (through its territory KY)")):
        result = plan(
            directory, flag=code, zone="territorial", coastal=code, acting=code,
            disembark=code, conditions=["asylum"],
        )  # fmt: skip
        referrals = steps(result, "protection-referral")
        assert [s["role"] for s in referrals] == ["refugee-status", "protection-partner"], code
        for step in referrals:
            assert step["notes"][0] == (
                f"The nationalities aboard are not known and {named}, where they would be "
                "landed, may be their own country: everyone aboard, its nationals included, "
                "gets orientation and the chance to apply for asylum, and is screened for "
                "protection needs with UNHCR before any landing there."
            ), (code, step["notes"])
    # Landed in Cuba by another state, the referral to Cuba's authorities waits for the
    # nationalities and is only for those who are not its nationals: the note is unchanged
    # there (UNHCR's step, which waits for nothing, is the next test's).
    other = plan(
        directory, flag="CU", zone="territorial", coastal="CU", acting="US", disembark="CU",
        conditions=["asylum"],
    )  # fmt: skip
    [refugee] = [s for s in steps(other, "protection-referral") if s["role"] == "refugee-status"]
    assert (
        "Everyone aboard who is not a national of the disembarkation state gets "
        "orientation and the chance to apply for asylum."
    ) in refugee["notes"], refugee


def test_with_nobodys_nationality_known_unhcr_serves_the_landing_states_nationals_too(
    directory: Directory,
) -> None:
    """Found off Cuba and landed in Cuba by another state (a U.S. cutter), nobody's
    nationality known: Cuba's refugee-status step waits for the nationalities, for those who
    are not its nationals, but UNHCR's step, asked now, said the same "who is not a national
    of the disembarkation state", leaving out the very people whose claims may be against
    Cuba. UNHCR's mandate covers every claimant: everyone aboard, its nationals included,
    gets orientation from it and the chance to apply for asylum, and Cuba's authorities hear
    of no claim meanwhile. The place is named through its state when it is a territory."""
    for code, named in (("CU", "CU"), ("KY", "GB (through its territory KY)")):
        result = plan(
            directory, flag=code, zone="territorial", coastal=code, acting="US",
            disembark=code, conditions=["asylum"],
        )  # fmt: skip
        referrals = {s["role"]: s for s in steps(result, "protection-referral")}
        partner = referrals["protection-partner"]
        assert (partner["state"], partner["action"], partner["deferred"]) == (
            code, "request", False,
        ), code  # fmt: skip
        assert partner["notes"][0] == (
            f"The nationalities aboard are not known and {named}, where they would be landed, "
            "may be their own country. UNHCR's mandate covers every claimant: everyone aboard, "
            "its nationals included, gets orientation from UNHCR and the chance to apply for "
            "asylum; the landing state's authorities are told of no claim until the "
            "nationalities are established (see the protection referral steps, R9)."
        ), (code, partner["notes"])
        assert not any(
            "who is not a national of the disembarkation state" in n for n in partner["notes"]
        ), code
        assert partner["basis"] == ["SOM Protocol arts. 16, 19", "1951 Convention art. 33"], code
    # No claim: nothing may be against the landing state, and the note stays as it was.
    plain = plan(
        directory, flag="CU", zone="territorial", coastal="CU", acting="US", disembark="CU",
    )  # fmt: skip
    for step in steps(plain, "protection-referral"):
        assert step["notes"][0] == (
            "Everyone aboard who is not a national of the disembarkation state gets "
            "orientation and the chance to apply for asylum."
        ), step


def test_stateless_asylum_seekers_held_where_they_were_found_are_not_told_to_keep_it_from_itself(
    directory: Directory,
) -> None:
    """The Dominican Navy holds stateless people claiming asylum in its own waters: the plan
    warned "tell DO only what concerns the vessel", DO being the acting state that screens
    them. The plan-level warning, like the screening step, sends the claims to UNHCR too."""
    for zone, law in (("contiguous", "art. 33"), ("territorial", "art. 1A(2)")):
        result = plan(
            directory, stateless=True, zone=zone, coastal="DO", acting="DO",
            stateless_persons=True, conditions=["asylum"],
        )  # fmt: skip
        [warning] = [w for w in result["warnings"] if law in w]
        assert "refer every claim to UNHCR as well" in warning, zone
        assert not any("only what concerns the vessel" in w for w in result["warnings"]), zone


# A territory's patrol in another territory's waters ------------------------------------------


@pytest.mark.parametrize("flag", ["KY", "HT"])
def test_a_territorys_patrol_in_a_sister_territorys_waters_asks_that_territorys_authorities(
    directory: Directory, flag: str
) -> None:
    """A Cayman patrol stops a vessel (Cayman-flagged, or Haitian) in the Turks and Caicos
    Islands' territorial sea. One state in international law, so UNCLOS art. 2 is not the
    basis; but the waters are the Turks and Caicos Islands', under their law, and Cayman
    officers have no powers there. The plan must say whom to tell: the authorities serving the
    Turks and Caicos Islands, in a step of its own, not resting on UNCLOS."""
    facts: dict[str, Any] = {
        "flag": flag,
        "zone": "territorial",
        "coastal": "TC",
        "acting": "KY",
        "nationalities": ["HT"],
    }
    [step] = steps(plan(directory, **facts), "coastal-state-authorization")
    assert (step["rule"], step["state"], step["action"], step["resolved"]) == (
        "R2",
        "TC",
        "request",
        True,
    )
    assert step["agency"]["id"] == "tc-marine"
    assert not any(b.startswith("UNCLOS") for b in step["basis"]), step["basis"]
    # In its own waters, and in a foreign state's, as before.
    assert steps(plan(directory, **{**facts, "coastal": "KY"}), "coastal-state-authorization") == []
    [foreign] = steps(plan(directory, **{**facts, "coastal": "BS"}), "coastal-state-authorization")
    assert "UNCLOS arts. 2, 49" in foreign["basis"]


def test_a_rescue_in_a_sister_territorys_waters_does_not_wait_for_its_authorities(
    directory: Directory,
) -> None:
    """People in distress in the Turks and Caicos Islands' waters, met by a Cayman patrol: the
    step asking the authorities serving those waters says the rescue does not wait for their
    answer, as the request to a foreign state's RCC does; the duty to render assistance stands
    (UNCLOS art. 98(1), SOLAS V/33). Passage (art. 18(2)) is not the ground: the waters are
    not a foreign state's."""
    facts: dict[str, Any] = {
        "flag": "HT",
        "zone": "territorial",
        "coastal": "TC",
        "acting": "KY",
        "nationalities": ["HT"],
    }
    [step] = steps(plan(directory, **facts, conditions=["distress"]), "coastal-state-authorization")
    [no_wait] = [n for n in step["notes"] if n.startswith("Do not hold up assistance")]
    assert "UNCLOS art. 98(1)" in no_wait and "SOLAS V/33" in no_wait, no_wait
    assert "18(2)" not in no_wait
    # Without distress there is no rescue to hold up.
    [plain] = steps(plan(directory, **facts), "coastal-state-authorization")
    assert not any(n.startswith("Do not hold up assistance") for n in plain["notes"])


def test_a_territorys_patrol_in_a_sister_territorys_contiguous_zone_tells_its_authorities(
    directory: Directory,
) -> None:
    """A Curaçao patrol stops a Haitian boat in Aruba's contiguous zone. The Kingdom is the
    coastal state in international law (the flag state is only told, UNCLOS art. 33), but the
    control there serves Aruba's immigration law, applied by Aruba's authorities: the plan
    must tell them (R3), as it tells any coastal state, not leave them out because the two
    are one state."""
    facts: dict[str, Any] = {
        "flag": "HT",
        "zone": "contiguous",
        "coastal": "AW",
        "acting": "CW",
        "nationalities": ["HT"],
    }
    found = steps(plan(directory, **facts), "coastal-state-notification")
    assert {(s["state"], s["role"], s["action"], s["resolved"]) for s in found} == {
        ("AW", "maritime-law-enforcement", "notify", True),
        ("AW", "migration", "notify", True),
    }, found
    # The sovereign itself, whose coast guard polices Aruba's waters, has no one else to tell.
    assert steps(plan(directory, **{**facts, "acting": "NL"}), "coastal-state-notification") == []


@pytest.mark.parametrize(
    ("condition", "purpose"),
    [("unaccompanied", "child-protection"), ("trafficking", "trafficking-victim-referral")],
)
def test_children_and_victims_a_territory_would_land_in_a_sister_territory_stay_in_its_care(
    directory: Directory, condition: str, purpose: str
) -> None:
    """A Cayman patrol in the Turks and Caicos Islands' waters with Caymanian children (or
    trafficking victims) who claim asylum: their landing in the Turks and Caicos waits for the
    claims (their own state), yet the plan referred them to the Turks and Caicos' authorities
    now and not to the Cayman Islands', in whose care they are aboard the patrol. As for any
    landing in their own country: the acting territory's authority takes them now, the landing
    territory's waits."""
    result = plan(
        directory, flag="HT", zone="territorial", coastal="TC", acting="KY",
        nationalities=["KY"], conditions=["asylum", condition],
    )  # fmt: skip
    [landing] = steps(result, "disembarkation")
    assert landing["deferred"]
    found = {(s["state"], s["deferred"]) for s in steps(result, purpose)}
    assert found == {("KY", False), ("TC", True)}, found
    # A U.S. cutter landing U.S. nationals in Puerto Rico, under U.S. law: no landing step, and
    # Puerto Rico's authority is the acting state's own, asked now.
    pr = plan(
        directory, flag="HT", zone="territorial", coastal="PR", acting="US",
        nationalities=["US"], conditions=["asylum", condition],
    )  # fmt: skip
    assert [(s["state"], s["deferred"]) for s in steps(pr, purpose)] == [("PR", False)]


def test_children_a_sovereign_would_land_in_its_territory_are_referred_there_once(
    directory: Directory,
) -> None:
    """A Royal Navy ship off the Turks and Caicos Islands with Caymanian children who claim
    asylum: the United Kingdom's authority for children where it acts is the territory's, so
    one step to take now, not the same authority asked now and again "after the claims"."""
    result = plan(
        directory, flag="HT", zone="territorial", coastal="TC", acting="GB",
        nationalities=["KY"], conditions=["asylum", "unaccompanied"],
    )  # fmt: skip
    found = steps(result, "child-protection")
    assert [s["deferred"] for s in found] == [False], found


@pytest.mark.parametrize(
    ("facts", "home"),
    [
        # British citizens landed in the Turks and Caicos Islands by their own patrol.
        ({"coastal": "TC", "acting": "TC", "nationalities": ["GB"]}, "GB"),
        # British citizens landed in the Cayman Islands by a Royal Navy ship on the high seas.
        ({"zone": "high-seas", "acting": "GB", "disembark": "KY", "nationalities": ["GB"]}, "GB"),
        # Dutch nationals found in Aruba's waters, the landing place not yet known.
        ({"coastal": "AW", "nationalities": ["NL"]}, "NL"),
    ],
)
def test_the_return_to_a_sovereign_is_not_asked_of_its_territory_where_they_are(
    directory: Directory, facts: dict[str, Any], home: str
) -> None:
    """The return of a sovereign's own nationals from one of its territories is asked of the
    country they go back to, at home: the territory's immigration office where they are found or
    landed is the other side of that return, never the one that takes them back. Where the
    directory holds no such authority at home, the step says what it lacks."""
    result = plan(
        directory, **{"zone": "territorial", "flag": "HT", "return_considered": True, **facts}
    )
    found = [s for s in steps(result, "repatriation") if s["state"] == home]
    assert found, steps(result, "repatriation")
    for step in found:
        agency = step["agency"] and directory.agency(step["agency"]["id"])
        assert agency is None or agency.state == home, step


@pytest.mark.parametrize("condition", ["smugglers", "corruption"])
def test_asylum_with_nationalities_unknown_the_offence_steps_to_the_landing_state_inform(
    directory: Directory, condition: str
) -> None:
    """Nobody's nationality is known and the people would be landed where they were found
    (Haiti), which may be the claimants' own country: the plan tells every step to Haiti to
    treat it as it would were they known to be Haitians. The steps about the smugglers then
    inform Haiti, to coordinate, and do not wait for the claims; asked of it as requests, they
    said the opposite of what the plan does once a claimant proves Haitian."""
    facts: dict[str, Any] = {
        "flag": "HT",
        "zone": "territorial",
        "coastal": "HT",
        "acting": "US",
        "conditions": ["asylum", condition],
    }
    known = plan(directory, **facts, nationalities=["HT"])
    unknown = plan(directory, **facts)
    purpose = "investigation" if condition == "smugglers" else "anti-corruption"

    def to_haiti(result: dict[str, Any]) -> list[tuple[str, bool]]:
        return [(s["action"], s["deferred"]) for s in steps(result, purpose) if s["state"] == "HT"]

    assert to_haiti(known) == [("inform", False)]
    assert to_haiti(unknown) == to_haiti(known)


# Boarding under an agreement limited to some nationalities ---------------------------------------


def test_boarding_pre_authorised_for_some_nationalities_is_not_claimed_for_others(
    directory: Directory,
) -> None:
    """us-ht-1981 pre-authorises U.S. boarding of Haitian vessels carrying Haitians (its
    ``nationalities``). A Haitian vessel known to carry only Cubans (or only stateless people)
    is outside it: the boarding rests on a request to Haiti, not a notice, and the step cites
    no agreement that does not cover it (it falls to the expedited arrangement, us-ht-2000,
    which covers every nationality). With a Haitian aboard, or nobody's nationality known, the
    pre-authorisation governs, and with nobody's known the step warns what it depends on."""
    facts: dict[str, Any] = {"flag": "HT", "zone": "high-seas", "acting": "US"}
    for outside in ({"nationalities": ["CU"]}, {"stateless_persons": True}):
        [step] = steps(plan(directory, **facts, **outside), "flag-state-authorization")
        assert (step["action"], step["agreement"]["id"]) == ("request", "us-ht-2000"), outside
    [mixed] = steps(
        plan(directory, **facts, nationalities=["CU", "HT"]), "flag-state-authorization"
    )
    assert (mixed["action"], mixed["agreement"]["id"]) == ("notify", "us-ht-1981")
    assert not any("us-ht-1981" in w for w in mixed["warnings"]), mixed["warnings"]
    [unknown] = steps(plan(directory, **facts), "flag-state-authorization")
    assert (unknown["action"], unknown["agreement"]["id"]) == ("notify", "us-ht-1981")
    assert any("us-ht-1981" in w and "HT" in w for w in unknown["warnings"]), unknown["warnings"]


# A flag claimed, not confirmed ---------------------------------------------------------------


def test_the_flag_state_step_says_what_follows_when_the_claimed_registry_is_refuted(
    directory: Directory,
) -> None:
    """A vessel flying Haiti's flag may not be on Haiti's register: the flag-state step asks
    Haiti to confirm the registry, and must say what follows when Haiti answers that the
    vessel is not on it (assimilated to a vessel without nationality: SOM Protocol art. 8(7),
    UNCLOS art. 110(1)(d)), so the officer neither waits for an authorisation nobody can give
    nor boards on the false flag's say-so. The coastal state in its own contiguous zone needs
    no flag state's authorisation (UNCLOS art. 33): no such note there."""
    claimed = steps(
        plan(directory, flag="HT", zone="high-seas", acting="JM"), "flag-state-authorization"
    )
    assert [s["action"] for s in claimed] == ["request"]
    assert any("8(7)" in n for n in claimed[0]["notes"]), claimed[0]["notes"]
    own = steps(
        plan(directory, flag="HT", zone="contiguous", coastal="BS", acting="BS"),
        "flag-state-authorization",
    )
    assert own and not any("8(7)" in n for s in own for n in s["notes"]), own


#: An entry agreement for operations against the smuggling of Haitians only.
ENTRY_FOR_HAITIANS = f"""
[[agreements]]
id = "us-jm-haitian-migrants"
title = "US-Jamaica arrangement on Haitian migrant vessels"
kind = "shiprider"
parties = ["US", "JM"]
signed = 2005-01-01
in_force = 2005-01-01
status = "in-force"
last_verified = 2026-11-01
sources = {SOURCE}
[agreements.provides]
entry_by = ["US"]
nationalities = ["HT"]
"""


def test_entry_authorised_for_some_nationalities_is_not_claimed_for_others(
    tmp_path: Any,
) -> None:
    """An agreement letting U.S. vessels enter Jamaica's waters after vessels carrying
    Haitians does not authorise entry after a vessel known to carry only Cubans: the
    coastal-state step asks Jamaica's authorisation. With a Haitian aboard it is a notice;
    with nobody's nationality known, a notice that warns what it depends on."""
    folder = write_routing_directory(tmp_path / "d")
    (folder / "entry.toml").write_text(ENTRY_FOR_HAITIANS, encoding="utf-8")
    directory = load_directory(base=folder, use_env=False)
    facts: dict[str, Any] = {
        "flag": "HT",
        "zone": "territorial",
        "coastal": "JM",
        "acting": "US",
    }

    def entry(**more: Any) -> dict[str, Any]:
        [step] = steps(plan(directory, **facts, **more), "coastal-state-authorization")
        return step

    outside = entry(nationalities=["CU"])
    assert (outside["action"], outside["agreement"]) == ("request", None)
    covered = entry(nationalities=["HT", "CU"])
    assert (covered["action"], covered["agreement"]["id"]) == ("notify", "us-jm-haitian-migrants")
    unknown = entry()
    assert (unknown["action"], unknown["agreement"]["id"]) == ("notify", "us-jm-haitian-migrants")
    assert any("us-jm-haitian-migrants" in w for w in unknown["warnings"]), unknown["warnings"]
    assert not any("us-jm-haitian-migrants" in w for w in covered["warnings"])


# The notice deadline of an agreement that turns a request into a notice --------------------------

#: An agreement that lets U.S. vessels enter Dominican waters, board Dominican vessels and land
#: people in the Dominican Republic, each on notice within 37 hours (a figure no other record
#: or rule of the fixture uses).
NOTICE_WITHIN_HOURS = f"""
[[agreements]]
id = "us-do-notice-37"
title = "US-Dominican Republic arrangement on migrant vessels"
kind = "interdiction"
parties = ["US", "DO"]
signed = 2010-01-01
in_force = 2010-01-01
status = "in-force"
last_verified = 2026-11-01
sources = {SOURCE}
[agreements.provides]
boarding = "pre-authorised"
boarding_by = ["US"]
entry_by = ["US"]
landing_by = ["US"]
notification_hours = 37
"""


@pytest.mark.parametrize(
    ("facts", "purpose"),
    [
        ({"zone": "territorial", "coastal": "DO"}, "coastal-state-authorization"),
        ({"zone": "territorial", "coastal": "DO"}, "disembarkation"),
        ({"zone": "high-seas", "disembark": "DO"}, "disembarkation"),
        ({"zone": "high-seas", "disembark": "DO"}, "flag-state-authorization"),
    ],
)
def test_a_notice_under_an_agreement_says_within_how_many_hours(
    tmp_path: Any, facts: dict[str, Any], purpose: str
) -> None:
    """An agreement that authorises entry (R2), a landing (R15) or a boarding (R4) turns the
    request into a notice, and sets the time within which the other party is to be told
    (``notification_hours``). The step the officer reads must say it, not only the
    agreement's record in the JSON: a notice given late breaks the agreement it relies on."""
    folder = write_routing_directory(tmp_path / "d")
    (folder / "notice.toml").write_text(NOTICE_WITHIN_HOURS, encoding="utf-8")
    directory = load_directory(base=folder, use_env=False)
    result = plan(directory, flag="DO", acting="US", nationalities=["DO"], **facts)
    [step] = steps(result, purpose)
    assert (step["action"], step["agreement"]["id"]) == ("notify", "us-do-notice-37")
    assert step["agreement"]["provides"]["notification_hours"] == 37
    assert any("37" in note for note in step["notes"]), step["notes"]


# People landed in a sovereign itself, found in its territory's waters ----------------------------


@pytest.mark.parametrize("acting", ["US", "GB", "KY"])
def test_people_landed_in_the_sovereign_itself_are_not_given_its_territorys_authorities(
    directory: Directory, acting: str
) -> None:
    """A vessel stopped in the Cayman Islands' waters whose people will be landed in the
    United Kingdom itself (`--coastal KY --disembark GB`): one sovereign, two jurisdictions.
    The landing, the protection referral, the children and the return on the landing side are
    for the United Kingdom's authorities, where the people will be; the Cayman Islands'
    authorities have no say in a landing in Britain. Where the directory holds no British
    authority for a role, the step says so (or falls back to the United Kingdom's own), never
    the Cayman Islands' office for it. The offence, committed in Cayman waters, stays with the
    Cayman Islands' prosecutor."""
    result = plan(
        directory, flag="HT", zone="territorial", coastal="KY", acting=acting, disembark="GB",
        nationalities=["HT"], return_considered=True, conditions=["minors", "smugglers"],
    )  # fmt: skip
    landing = [
        s
        for s in result["steps"]
        if s["state"] == "GB"
        and s["purpose"]
        in ("disembarkation", "protection-referral", "child-protection", "repatriation")
    ]
    # The United Kingdom landing people in Britain asks no one's consent to it (no R15).
    expected = {"repatriation", "protection-referral", "child-protection"}
    expected |= set() if acting == "GB" else {"disembarkation"}
    assert {s["purpose"] for s in landing} == expected, result["steps"]
    for step in landing:
        agency = step["agency"] and directory.agency(step["agency"]["id"])
        assert agency is None or agency.state == "GB", step
        # With no British authority for the role in the directory, its foreign ministry.
        assert step["resolved"] or step["role"] == "protection-partner", step
    prosecutors = [s["agency"]["id"] for s in steps(result, "investigation") if s["agency"]]
    assert "ky-odpp" in prosecutors, steps(result, "investigation")


# A rescue in another state's waters under a search and rescue agreement --------------------------

#: A search and rescue agreement letting the United States' SAR units enter Jamaica's waters to
#: search and rescue, and nothing else (as the 2020 U.S.-Bahamas agreement does in The Bahamas').
SAR_ENTRY = f"""
[[agreements]]
id = "us-jm-sar"
title = "US-Jamaica search and rescue agreement"
kind = "sar"
parties = ["US", "JM"]
signed = 2020-01-01
in_force = 2020-01-01
status = "in-force"
last_verified = 2026-11-01
sources = {SOURCE}
[agreements.provides]
entry_by = ["US"]
covers_migrant_smuggling = false
"""


@pytest.mark.parametrize("condition", ["distress", "injured", "deaths"])
def test_a_rescue_in_foreign_waters_names_the_sar_agreement_that_lets_the_units_in(
    tmp_path: Any, condition: str
) -> None:
    """A U.S. cutter going to a vessel in distress in Jamaica's territorial sea: a search and
    rescue agreement between the two lets U.S. rescue units enter to rescue (SAR Convention
    annex 3.1.3, 3.1.5), and the entry step must name it, or the officer waits for a consent
    the two states have already given. It does not reach law enforcement: boarding the vessel
    for smuggling is still asked of Jamaica (request, no agreement governing it). Without
    anyone in distress the SAR agreement has nothing to say."""
    folder = write_routing_directory(tmp_path / "d")
    (folder / "sar.toml").write_text(SAR_ENTRY, encoding="utf-8")
    directory = load_directory(base=folder, use_env=False)
    facts: dict[str, Any] = {"flag": "HT", "zone": "territorial", "coastal": "JM", "acting": "US"}
    [rescue] = steps(
        plan(directory, **facts, conditions=[condition]), "coastal-state-authorization"
    )
    assert (rescue["action"], rescue["agreement"]) == ("request", None)
    assert any("us-jm-sar" in n for n in rescue["notes"]), rescue["notes"]
    assert any("US-Jamaica search and rescue agreement" in b for b in rescue["basis"])
    [plain] = steps(plan(directory, **facts), "coastal-state-authorization")
    assert not any("us-jm-sar" in n for n in plain["notes"]), plain["notes"]
    assert not any("search and rescue" in b for b in plain["basis"]), plain["basis"]


def test_a_rescue_under_a_sar_agreement_cites_the_paragraphs_it_rests_on(tmp_path: Any) -> None:
    """A U.S. cutter's rescue in Jamaica's territorial sea under a search and rescue agreement
    between the two: the step cited SAR Convention annex 3.1.2, 3.1.5. What it relies on is
    that the request for the rescue units' entry (3.1.3) is sent "unless otherwise agreed
    between the States concerned", and the agreement that sets the conditions of entry
    (3.1.5); 3.1.2, that a Party should authorise immediate entry, also yields to what the
    states agreed."""
    folder = write_routing_directory(tmp_path / "d")
    (folder / "sar.toml").write_text(SAR_ENTRY, encoding="utf-8")
    directory = load_directory(base=folder, use_env=False)
    facts: dict[str, Any] = {"flag": "HT", "zone": "territorial", "coastal": "JM", "acting": "US"}
    [step] = steps(plan(directory, **facts, conditions=["distress"]), "coastal-state-authorization")
    sar = [b for b in step["basis"] if b.startswith("SAR Convention")]
    assert sar == ["SAR Convention 1979 annex 3.1.3, 3.1.5"], step["basis"]


@pytest.mark.parametrize("condition", ["distress", "injured", "deaths"])
def test_a_rescue_in_foreign_waters_without_a_sar_agreement_asks_the_coastal_rcc_to_let_units_in(
    directory: Directory, condition: str
) -> None:
    """A U.S. cutter going to a vessel in distress in Jamaica's territorial sea, with no search
    and rescue agreement between the two: the SAR Convention (annex 3.1.3) sends the request
    for rescue units to enter, solely to search and rescue, to the rescue co-ordination centre
    of the coastal state, which acknowledges it at once (3.1.4). The plan asked only Jamaica's
    maritime law enforcement to authorise entry. The RCC is asked now, first, for the rescue;
    the maritime law enforcement authorisation, which the rescue entry does not reach, is
    still requested for boarding, search or detention for smuggling."""
    facts: dict[str, Any] = {"flag": "HT", "zone": "territorial", "coastal": "JM", "acting": "US"}
    found = steps(plan(directory, **facts, conditions=[condition]), "coastal-state-authorization")
    assert [(s["role"], s["action"], s["state"]) for s in found] == [
        ("sar", "request", "JM"),
        ("maritime-law-enforcement", "request", "JM"),
    ], found
    rescue, enforcement = found
    assert rescue["agency"]["id"] == "jm-jdf-cg", rescue
    assert "SAR Convention 1979 annex 3.1.2, 3.1.3, 3.1.4" in rescue["basis"], rescue["basis"]
    assert any("solely to search for and rescue" in n for n in rescue["notes"]), rescue["notes"]
    # The same RCC coordinates the rescue (R1): one call.
    assert any("make both requests in one call" in n for n in rescue["notes"]), rescue["notes"]
    assert any("does not reach law enforcement" in n for n in enforcement["notes"]), enforcement
    # Asking is no reason to wait: the assistance to people in danger is not held up for the
    # answer (passage includes stopping to render it, UNCLOS art. 18(2); the duty, art. 98).
    assert any("UNCLOS art. 18(2)" in n and "art. 98" in n for n in rescue["notes"]), rescue
    # Without a rescue, only the authorisation is asked, as before.
    [plain] = steps(plan(directory, **facts), "coastal-state-authorization")
    assert plain["role"] == "maritime-law-enforcement"
    assert not any("SAR Convention" in b for b in plain["basis"]), plain["basis"]


def test_a_rescue_where_the_coastal_state_has_no_rcc_asks_its_authorities_for_the_entry(
    directory: Directory,
) -> None:
    """A Jamaican unit going to a vessel in distress in The Bahamas' territorial sea, with no
    search and rescue agreement, where the directory holds no RCC of The Bahamas (RCC Miami's
    region covers its waters): the authorisation step asks for the rescue entry too, first,
    under the Convention's "such other authority", and says that assistance is not held up
    for the answer."""
    facts: dict[str, Any] = {"flag": "HT", "zone": "territorial", "coastal": "BS", "acting": "JM"}
    [step] = steps(plan(directory, **facts, conditions=["distress"]), "coastal-state-authorization")
    assert (step["role"], step["agency"]["id"]) == ("maritime-law-enforcement", "bs-rbdf"), step
    assert "SAR Convention 1979 annex 3.1.2, 3.1.3, 3.1.4" in step["basis"], step["basis"]
    assert any("ask here, first" in n for n in step["notes"]), step["notes"]
    assert any("UNCLOS art. 18(2)" in n and "art. 98" in n for n in step["notes"]), step


@pytest.mark.parametrize(
    ("at", "named"),
    [("2026-12-01T03:00:00-05:00", True), ("2019-06-01T03:00:00-04:00", False)],
)
def test_a_us_rescue_in_bahamian_waters_names_the_2020_sar_agreement(at: str, named: bool) -> None:
    """The shipped case: a U.S. unit going to a vessel in distress in The Bahamas' territorial
    sea. The 2020 U.S.-Bahamas search and rescue agreement (in the data, with the permission
    for U.S. rescue units to enter read in its sources) lets them in to rescue: the entry step
    names it, while boarding for smuggling is still requested. Before it was signed (a review
    of a 2019 case) it is no basis (only mentioned as not yet in force)."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped, flag="HT", zone="territorial", coastal="BS", acting="US",
        nationalities=["HT"], conditions=["distress"], at=datetime.fromisoformat(at),
    )  # fmt: skip
    found = steps(result, "coastal-state-authorization")
    [step] = [s for s in found if s["role"] == "maritime-law-enforcement"]
    assert step["action"] == "request"
    # Without the agreement, the entry of the rescue units is asked too: The Bahamas keeps no
    # RCC of its own in the directory (RCC Miami's region covers its waters), so of this step.
    assert [s["role"] for s in found] == ["maritime-law-enforcement"], found
    asked = any("solely to search for and rescue" in n for n in step["notes"])
    assert asked is not named, step["notes"]
    assert ("SAR Convention 1979 annex 3.1.2, 3.1.3, 3.1.4" in step["basis"]) is not named
    sar = shipped.agreement("us-bs-sar-2020")
    assert sar is not None
    assert (sar.title in step["basis"]) is named, step["basis"]


# The landing after a rescue: asked of an authority that can consent -------------------------


@pytest.mark.parametrize(
    ("landing", "rcc"),
    [
        ("VG", "us-rsc-sanjuan"),
        ("AI", "fr-cross-ag"),
        # No search and rescue agency of its own: its authorities, and the RCC named.
        ("TC", "us-rcc-miami"),
        ("MS", "fr-cross-ag"),
    ],
)
def test_a_landing_after_a_rescue_is_not_asked_of_a_rescue_service(landing: str, rcc: str) -> None:
    """The British Virgin Islands' `sar` agency is VISAR, a volunteer charity, and Anguilla's
    its fire service's rescue unit: neither coordinates a SAR region, and neither can consent
    to a landing, a decision of the territory's government. After a rescue the consent is
    asked of the territory's authority, and the RCC whose region covers its waters (which
    finds the place of safety) is named, to be kept informed."""
    shipped = load_directory(use_env=False)
    rescue_units = {"vg-visar", "ai-afrs"}
    result = plan(
        shipped,
        zone="high-seas",
        stateless=True,
        acting="US",
        disembark=landing,
        nationalities=["HT"],
        conditions=["distress"],
    )
    [step] = steps(result, "disembarkation")
    assert step["resolved"] is True
    agency = shipped.agency(step["agency"]["id"])
    assert agency is not None and agency.id not in rescue_units
    assert agency.state == landing
    assert step["role"] in ("maritime-law-enforcement", "migration")
    assert step["role"] in agency.roles
    assert rcc in " ".join(step["notes"])
    # Without a rescue the step went to the same authority already.
    [plain] = steps(
        plan(
            shipped,
            zone="high-seas",
            stateless=True,
            acting="US",
            disembark=landing,
            nationalities=["HT"],
        ),
        "disembarkation",
    )
    assert plain["agency"]["id"] == step["agency"]["id"]


def test_a_landing_after_a_rescue_still_goes_to_a_coordinating_rcc() -> None:
    """Where the rescue is in the landing state's own SAR region (a U.S. cutter rescuing
    Haitians in Cuba's territorial sea), its RCC coordinates the rescue and finds the place of
    safety: the landing is asked of it, as before."""
    shipped = load_directory(use_env=False)
    [step] = steps(
        plan(
            shipped,
            flag="HT",
            zone="territorial",
            coastal="CU",
            acting="US",
            disembark="CU",
            nationalities=["HT"],
            conditions=["injured"],
        ),
        "disembarkation",
    )
    assert (step["role"], step["agency"]["id"]) == ("sar", "cu-mrcc")


def test_a_landing_after_a_rescue_another_rcc_coordinates_is_asked_of_the_authorities() -> None:
    """A U.S. cutter rescues Haitians on the high seas, coordinated by RCC Miami (R1), and
    would land them in Cuba. The place of safety is found by the RCC responsible for the
    rescue (SOLAS V/33.1-1; MSC.167(78) 6.7), not by Cuba's MRCC, whose region is not where
    they were rescued and which cannot consent to letting foreigners in: the landing step was
    addressed to it. It goes to Cuba's authorities, and names RCC Miami as the one that finds
    the place of safety with them."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped,
        zone="high-seas",
        stateless=True,
        acting="US",
        disembark="CU",
        nationalities=["HT"],
        conditions=["distress"],
    )
    [rcc] = steps(result, "sar-coordination")
    assert rcc["agency"]["id"] == "us-rcc-miami"
    [step] = steps(result, "disembarkation")
    assert step["action"] == "request"
    assert (step["role"], step["agency"]["id"]) == ("maritime-law-enforcement", "cu-tgf")
    assert any("us-rcc-miami" in n for n in step["notes"]), step["notes"]
    assert not any("cu-mrcc" in n for n in step["notes"]), step["notes"]


@pytest.mark.parametrize("conditions", [[], ["distress"], ["injured"]])
def test_a_landing_under_an_agreement_is_notified_to_the_authorities_that_apply_it(
    conditions: list[str],
) -> None:
    """Cubans intercepted by a U.S. cutter and landed in Cuba: the 1995 Joint Statement
    provides for the landing, so Cuba is notified. The notice is owed under a migration
    agreement to the authorities that receive the people (the Border Guard), rescue or not:
    after a rescue it went to Cuba's MRCC, which coordinates rescues, not returns, and is not
    where the rescue was coordinated either (RCC Miami, R1)."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped,
        zone="high-seas",
        flag="CU",
        acting="US",
        disembark="CU",
        nationalities=["CU"],
        conditions=conditions,
    )
    [step] = steps(result, "disembarkation")
    assert step["action"] == "notify"
    assert step["agreement"]["id"] == "us-cu-migration-1995"
    assert (step["role"], step["agency"]["id"]) == ("maritime-law-enforcement", "cu-tgf")


def test_a_landing_after_a_rescue_never_says_the_agency_it_asks_cannot_consent() -> None:
    """The Royal Bahamas Defence Force holds The Bahamas' `sar` role without coordinating a
    SAR region, and is also its maritime law enforcement: the landing step is asked of it as
    that authority, and must not say in the same breath that it cannot consent."""
    shipped = load_directory(use_env=False)
    [step] = steps(
        plan(
            shipped,
            zone="high-seas",
            stateless=True,
            acting="US",
            disembark="BS",
            nationalities=["HT"],
            conditions=["distress"],
        ),
        "disembarkation",
    )
    assert step["agency"]["id"] == "bs-rbdf"
    assert not any("bs-rbdf" in n for n in step["notes"]), step["notes"]
    # The RCC whose region covers Bahamian waters is still named, to be kept informed.
    assert any("us-rcc-miami" in n for n in step["notes"])


def test_a_territorys_patrol_landing_people_in_its_sovereign_is_told_so(
    directory: Directory,
) -> None:
    """A Cayman patrol landing people in the United Kingdom itself: the landing note said "GB
    is under the immigration law of GB, not that of KY, a territory with its own", which
    tells the officer nothing. It says that the sovereign's own law and authorities decide."""
    result = plan(
        directory, flag="HT", zone="territorial", coastal="KY", acting="KY", disembark="GB",
        nationalities=["HT"],
    )  # fmt: skip
    (landing,) = steps(result, "disembarkation")
    notes = " ".join(landing["notes"])
    assert "immigration law of GB, not that of KY, a territory" not in notes, notes
    assert "GB" in notes and "KY" in notes, notes


# Agreements that give a notice deadline, on the day of the interception ----------------------

#: Two Jamaica-Haiti arrangements that would let Jamaica enter Haiti's waters, board its
#: vessels and land people there on notice within 168 hours: one ended in 2010, one in force
#: only from 2030 (the fixture's facts, not the world's).
DATED_NOTICES = f"""
[[agreements]]
id = "jm-ht-ended-2010"
title = "Jamaica-Haiti interdiction arrangement (2000-2010)"
kind = "interdiction"
parties = ["JM", "HT"]
signed = 2000-01-01
in_force = 2000-01-01
ended = 2010-01-01
status = "terminated"
last_verified = 2026-11-01
sources = {SOURCE}
[agreements.provides]
boarding = "pre-authorised"
entry_by = ["JM"]
landing_by = ["JM"]
notification_hours = 168

[[agreements]]
id = "jm-ht-from-2030"
title = "Jamaica-Haiti interdiction arrangement (from 2030)"
kind = "interdiction"
parties = ["JM", "HT"]
signed = 2026-01-01
in_force = 2030-01-01
status = "in-force"
last_verified = 2026-11-01
sources = {SOURCE}
[agreements.provides]
boarding = "pre-authorised"
entry_by = ["JM"]
landing_by = ["JM"]
notification_hours = 168
"""


@pytest.fixture(scope="module")
def with_dated_notices(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    folder = write_routing_directory(tmp_path_factory.mktemp("routing-dated-notices"))
    (folder / "dated.toml").write_text(DATED_NOTICES, encoding="utf-8")
    return load_directory(base=folder, use_env=False)


@pytest.mark.parametrize(
    ("zone", "purpose"),
    [
        ("territorial", "coastal-state-authorization"),  # R2: entry into Haiti's waters
        ("high-seas", "flag-state-authorization"),  # R4: boarding a Haitian vessel
        ("high-seas", "disembarkation"),  # R15: landing in Haiti
    ],
)
@pytest.mark.parametrize(
    ("at", "governs"),
    [
        # Terminated since, but in force on the day of the interception: it applied then.
        ("2005-06-01T10:00:00-05:00", "jm-ht-ended-2010"),
        ("2009-12-31T10:00:00-05:00", "jm-ht-ended-2010"),
        # Terminated before the interception, and the other not yet in force.
        ("2010-01-01T10:00:00-05:00", None),
        ("2026-12-01T10:00:00-05:00", None),
        ("2029-12-31T10:00:00-05:00", None),
        # A plan for a day after the other entered into force.
        ("2030-01-01T10:00:00-05:00", "jm-ht-from-2030"),
    ],
)
def test_only_an_agreement_in_force_on_the_day_gives_a_notice_deadline(
    with_dated_notices: Directory, zone: str, purpose: str, at: str, governs: str | None
) -> None:
    """Entry (R2), boarding (R4) and landing (R15) read an agreement's notice deadline only
    from one in force on the day of the interception (`at`, not today): one terminated before
    it, or entering into force after it, turns no request into a notice and sets no deadline;
    it is mentioned, saying so. One terminated since applied on its days."""
    result = plan(
        with_dated_notices,
        flag="HT",
        zone=zone,
        coastal="HT" if zone == "territorial" else None,
        acting="JM",
        disembark="HT",
        nationalities=["HT"],
        at=datetime.fromisoformat(at),
    )
    [step] = steps(result, purpose)
    applied = (step["agreement"] or {}).get("id")
    assert applied == governs, (at, step)
    deadline = [n for n in step["notes"] if "168 hours" in n]
    if governs is None:
        assert step["action"] == "request", step
        assert not deadline, step["notes"]
        # Both are mentioned as context, with what they are that day.
        mentions = " ".join(step["notes"])
        ended = "not yet in force" if at < "2000" else "terminated"
        assert f"(jm-ht-ended-2010) is {ended}: mentioned, not applied" in mentions, mentions
        assert "(jm-ht-from-2030) is not yet in force: mentioned, not applied" in mentions
    else:
        assert step["action"] == "notify", step
        assert deadline, step["notes"]
    if governs == "jm-ht-ended-2010":
        assert any("ended on 2010-01-01" in w for w in step["warnings"]), step["warnings"]


@pytest.mark.parametrize(
    ("at", "governs"),
    [
        ("1999-04-14T10:00:00-05:00", None),  # the day before the 1999 memorandum was signed
        ("2010-06-01T10:00:00-05:00", "ky-cu-migration-1999"),  # a review of a 2010 case
        ("2015-04-17T10:00:00-05:00", "ky-cu-migration-2015"),  # the day it was replaced
        ("2026-12-01T10:00:00-05:00", "ky-cu-migration-2015"),
    ],
)
def test_the_terminated_cayman_cuba_memorandum_sets_its_seven_days_only_on_its_own_days(
    at: str, governs: str | None
) -> None:
    """The shipped Cayman Islands-Cuba memorandum of 1999 (notice within 168 hours) was
    replaced on 17 April 2015 by one whose text sets no deadline. A Cayman patrol landing
    Cubans in Cuba (R15), or returning Cubans it lands (R13), gets the 168 hours only for an
    interception on the 1999 memorandum's own days."""
    shipped = load_directory(use_env=False)
    common: dict[str, Any] = dict(
        flag="CU", zone="territorial", coastal="KY", acting="KY", nationalities=["CU"]
    )
    when = datetime.fromisoformat(at)
    landing = steps(plan(shipped, **common, disembark="CU", at=when), "disembarkation")
    returns = steps(plan(shipped, **common, return_considered=True, at=when), "repatriation")
    assert landing and returns
    for step in [*landing, *returns]:
        assert (step["agreement"] or {}).get("id") == governs, (at, step)
        deadline = any("168 hours" in n for n in step["notes"])
        assert deadline is (governs == "ky-cu-migration-1999"), (at, step["notes"])


@pytest.mark.parametrize(
    ("acting", "at", "rests_on_unclos"),
    [
        # Cuba acceded on 20 June 2013: bound from the thirtieth day after (art. 22(2)).
        ("CU", "2013-07-19T12:00:00-04:00", True),
        ("CU", "2013-07-20T12:00:00-04:00", False),
        # Before the Protocol entered into force it bound nobody (art. 22(1)), whoever acts,
        # a state not named included.
        ("MX", "2004-01-27T12:00:00-06:00", True),
        ("MX", "2004-01-28T12:00:00-06:00", False),
        (None, "2004-01-27T12:00:00+00:00", True),
        (None, "2004-01-28T12:00:00+00:00", False),
        # Colombia is not a party.
        ("CO", "2026-12-01T12:00:00-05:00", True),
    ],
)
def test_a_stateless_vessel_is_boarded_under_article_8_7_only_where_the_protocol_binds(
    acting: str | None, at: str, rests_on_unclos: bool
) -> None:
    """R5 cites art. 8(7) of the SOM Protocol for boarding a stateless vessel beyond the
    territorial sea. The Protocol is a basis only for a state it bound on the day of the
    interception: for Cuba on the day before its accession took effect, for anyone before 28
    January 2004, for a state that is not a party, the note says the boarding rests on UNCLOS
    art. 110(1)(d), not the Protocol, as the flag-state step (R4) does for art. 8."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped, stateless=True, zone="high-seas", acting=acting, at=datetime.fromisoformat(at)
    )
    [note] = [n for n in result["notes"] if n["rule"] == "R5"]
    says = "rests on UNCLOS art. 110(1)(d)" in note["text"]
    assert says is rests_on_unclos, note["text"]


@pytest.mark.parametrize("conditions", [[], ["distress"]])
def test_people_landed_in_their_own_country_are_not_left_to_its_consent(
    conditions: list[str],
) -> None:
    """Haitians landed in Haiti by a U.S. cutter, with no agreement that provides for it: the
    landing step asked Haiti "to consent to the landing ... people are not landed without
    it", and said the landing "rests on its consent alone". Nobody needs their own country's
    consent to enter it (ICCPR art. 12(4)); the step asks Haiti to verify their nationality
    and to name the port. With a foreigner aboard, Haiti's consent is asked, as before."""
    shipped = load_directory(use_env=False)
    common: dict[str, Any] = dict(
        stateless=True, zone="high-seas", acting="US", disembark="HT", conditions=conditions
    )
    [home] = steps(plan(shipped, **common, nationalities=["HT"]), "disembarkation")
    notes = " ".join(home["notes"])
    assert home["action"] == "request"
    assert "not landed without it" not in notes, notes
    assert "consent alone" not in notes, notes
    assert "decide whether people are landed" not in notes, notes
    assert "ICCPR art. 12(4)" in notes, notes
    # The basis says so too: without a rescue it cited SOLAS V/33, the SAR Convention and
    # MSC.167(78) alone, which the step's own note says bind towards people rescued at sea.
    rescued = bool(conditions)
    assert "ICCPR art. 12(4)" in home["basis"], home["basis"]
    assert ("SOLAS V/33.1-1" in home["basis"]) == rescued, home["basis"]
    [mixed] = steps(plan(shipped, **common, nationalities=["HT", "CU"]), "disembarkation")
    assert any("not landed without it" in n for n in mixed["notes"]), mixed["notes"]
    assert not any("ICCPR art. 12(4)" in n for n in mixed["notes"]), mixed["notes"]


@pytest.mark.parametrize("conditions", [[], ["distress"]])
def test_a_landing_without_a_rescue_rests_on_the_landing_states_sovereignty(
    conditions: list[str],
) -> None:
    """Cubans landed in Haiti by a U.S. cutter, no one in distress: the step's note says SOLAS
    V/33 and the SAR Convention bind Haiti towards people rescued at sea and that the landing
    rests on Haiti's consent alone, yet its basis was SOLAS V/33.1-1, SAR Convention annex
    3.1.9 and MSC.167(78) alone. A landing by consent rests on the landing state's sovereignty
    over its territory and ports; after a rescue, on the three instruments, as before."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped,
        stateless=True,
        zone="high-seas",
        acting="US",
        disembark="HT",
        nationalities=["CU"],
        conditions=conditions,
    )
    [step] = steps(result, "disembarkation")
    rescued = bool(conditions)
    assert any("consent alone" in n for n in step["notes"]) is not rescued, step["notes"]
    assert "ICCPR art. 12(4)" not in step["basis"], step["basis"]
    for instrument in ("SOLAS V/33.1-1", "SAR Convention annex 3.1.9", "IMO res. MSC.167(78)"):
        assert (instrument in step["basis"]) is rescued, step["basis"]
    for ground in (
        "General international law (a state's sovereignty over its territory and ports)",
        "UNCLOS arts. 2(1), 25(2)",
    ):
        assert (ground in step["basis"]) is not rescued, step["basis"]


@pytest.mark.parametrize(
    ("landing", "nationalities", "at_home"),
    [
        # Under the sovereign's immigration law: home to its nationals, named as its.
        ("PR", ["US"], True),
        # A territory with its own immigration law decides who lands there: the sovereign's
        # other nationals are not at home in it (its own people are, below).
        ("TC", ["GB"], False),
        ("TC", ["KY"], False),
    ],
)
def test_a_territorys_landing_of_its_sovereigns_nationals_follows_its_law(
    landing: str, nationalities: list[str], at_home: bool
) -> None:
    """U.S. nationals landed in Puerto Rico by a Dominican patrol are at home (Puerto Rico is
    under U.S. immigration law), and the step names their state, not the territory; a
    territory with its own immigration law (the Turks and Caicos Islands) is still asked to
    consent, since its law says who belongs there."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped,
        stateless=True,
        zone="high-seas",
        acting="DO",
        disembark=landing,
        nationalities=nationalities,
    )
    [step] = steps(result, "disembarkation")
    notes = " ".join(step["notes"])
    assert ("ICCPR art. 12(4)" in notes) is at_home, notes
    assert ("not landed without it" in notes) is not at_home, notes
    if at_home:
        assert "a national of US" in notes, notes


@pytest.mark.parametrize("acting", ["KY", "GB", "DO"])
def test_a_territorys_own_people_landed_there_are_at_home_not_asked_consent(acting: str) -> None:
    """Turks and Caicos Islanders landed in the Turks and Caicos Islands by a Cayman patrol, a
    Royal Navy ship or a Dominican one were asked for as foreigners are: "Ask TC to consent to
    the landing ...; people are not landed without it". The territory's constitution guarantees
    its own people the right to enter it and lets a law restrict only those who do not belong
    there (Turks and Caicos Islands Constitution 2006, s. 14(1), (2)(d); Cayman Islands
    Constitution 2009, s. 13(1), (2)(d)): they are at home, as the plan already holds them for
    non-refoulement and the return. The step asks the territory to verify that each belongs
    there (a British Overseas Territories citizen connected with it may not: its law says who
    does) and to name the port, as for nationals landed in their own country."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped, stateless=True, zone="high-seas", acting=acting, disembark="TC",
        nationalities=["TC"],
    )  # fmt: skip
    [step] = steps(result, "disembarkation")
    notes = " ".join(step["notes"])
    assert step["own_nationals"] is True, notes
    assert step["action"] == "request"
    assert "not landed without it" not in notes, notes
    assert "verify that each belongs there" in notes, notes
    assert "not every national of GB connected with TC does" in notes, notes
    assert "consent to the landing" not in notes and "decide who is landed" not in notes, notes
    assert step["basis"] == [
        "ICCPR art. 12(4)",
        "The territory's law (its own people's right to enter it)",
    ]
    # Caymanians landed there are not at home: consent, as before.
    [caymanians] = steps(
        plan(
            shipped, stateless=True, zone="high-seas", acting=acting, disembark="TC",
            nationalities=["KY"],
        ),
        "disembarkation",
    )  # fmt: skip
    assert caymanians["own_nationals"] is False
    assert any("not landed without it" in n for n in caymanians["notes"])


@pytest.mark.parametrize("acting", ["KY", "US"])
def test_a_territorys_people_landed_in_the_sovereign_are_verified_to_have_the_right_to_enter(
    acting: str,
) -> None:
    """Caymanians landed in the United Kingdom are planned as nationals at home (no consent),
    which holds for a British citizen, as most British Overseas Territories citizens have
    been since 21 May 2002 (British Overseas Territories Act 2002, s. 3), with the right of
    abode (Immigration Act 1971, ss. 1(1), 2). One who is only a British Overseas Territories
    citizen (naturalised as one after that day and not registered as a British citizen) has
    no right of abode and needs leave to enter; the directory records nothing that tells them
    apart. The step keeps the landing at home but says what it cannot know: verify that each
    may enter; the others land only with the United Kingdom's consent."""
    shipped = load_directory(use_env=False)
    [step] = steps(
        plan(
            shipped, stateless=True, zone="high-seas", acting=acting, disembark="GB",
            nationalities=["KY"],
        ),
        "disembarkation",
    )  # fmt: skip
    notes = " ".join(step["notes"])
    assert step["own_nationals"] is True, notes
    assert "right of abode" in notes and "verify that each may enter GB" in notes, notes
    assert "only with its consent" in notes, notes
    # British nationals of the United Kingdom itself are not warned.
    [britons] = steps(
        plan(
            shipped, stateless=True, zone="high-seas", acting=acting, disembark="GB",
            nationalities=["GB"],
        ),
        "disembarkation",
    )  # fmt: skip
    assert not any("right of abode" in n for n in britons["notes"]), britons["notes"]


@pytest.mark.parametrize(
    ("nationality", "landing", "verify", "example", "absent"),
    [
        # A British Overseas Territories citizen who is not a British citizen has no right of
        # abode: verify, with the British example.
        ("KY", "GB", True, "no right of abode in the United Kingdom", ""),
        # Every Dutch national may enter the Netherlands, whichever country of the Kingdom
        # they are connected with: the Aliens Act reaches only those who are not Dutch.
        ("AW", "NL", False, "Vreemdelingenwet 2000, art. 1", "right of abode"),
        # Bonaire is under the Netherlands' law but not its Aliens Act: the rule, no example.
        ("AW", "BQ", True, "", "right of abode"),
    ],
)
def test_a_territorys_people_landed_with_their_sovereign_are_told_its_own_rule(
    nationality: str, landing: str, verify: bool, example: str, absent: str
) -> None:
    """Arubans landed in the Netherlands were told that "a British Overseas Territories
    citizen who is not also a British citizen has no right of abode in the United Kingdom",
    and to verify that each may enter the Netherlands: the example is the United Kingdom's,
    and a Dutch national may enter the Netherlands, wherever in the Kingdom they come from
    (its Aliens Act reaches only those who are not Dutch nationals, Vreemdelingenwet 2000,
    art. 1). The note follows the sovereign: the United Kingdom's example for Caymanians;
    for Arubans in the Netherlands, that they enter as its nationals; where the directory
    holds no such rule (Bonaire), the rule without an example."""
    shipped = load_directory(use_env=False)
    [step] = steps(
        plan(
            shipped, stateless=True, zone="high-seas", acting="US", disembark=landing,
            nationalities=[nationality],
        ),
        "disembarkation",
    )  # fmt: skip
    notes = " ".join(step["notes"])
    assert step["own_nationals"] is True, notes
    assert (f"verify that each may enter {landing}" in notes) is verify, notes
    assert example in notes, notes
    if absent:
        assert absent not in notes, notes
    if not verify:
        assert "only with its consent" not in notes, notes


@pytest.mark.parametrize(
    ("acting", "landing", "nationalities", "between_states"),
    [
        # One state: a Cayman patrol (or a Turks and Caicos one) landing Caymanians, Britons,
        # or both, in the United Kingdom.
        ("KY", "GB", ["KY"], False),
        ("TC", "GB", ["GB"], False),
        ("TC", "GB", ["GB", "KY"], False),
        # Between states: a U.S. cutter landing Caymanians in the United Kingdom.
        ("US", "GB", ["KY"], True),
    ],
)
def test_a_landing_of_nationals_within_one_state_cites_no_return_between_states(
    acting: str, landing: str, nationalities: list[str], between_states: bool
) -> None:
    """A Cayman patrol landing Caymanians in the United Kingdom was told that "where the SOM
    Protocol binds GB, art. 18(1) commits it to accept their return": art. 18 is owed between
    States Parties (the state of nationality accepts the return of its nationals from
    another state), and here nobody comes from another state. Within one state the note rests
    on the right to enter one's own country (ICCPR art. 12(4)) alone; a foreign ship landing
    them still cites art. 18(1)."""
    shipped = load_directory(use_env=False)
    [step] = steps(
        plan(
            shipped, stateless=True, zone="high-seas", acting=acting, disembark=landing,
            nationalities=nationalities,
        ),
        "disembarkation",
    )  # fmt: skip
    notes = " ".join(step["notes"])
    assert step["own_nationals"] is True, notes
    assert "ICCPR art. 12(4)" in notes, notes
    assert ("art. 18(1)" in notes) is between_states, notes
    assert not any("18" in b for b in step["basis"]), step["basis"]


@pytest.mark.parametrize(
    ("acting", "nationality", "landing", "says", "absent"),
    [
        # A Royal Navy ship landing Caymanians in the United Kingdom: the British example.
        ("GB", "KY", "GB", "verify that each may enter GB", ""),
        # A Dutch navy ship landing Arubans in the Netherlands: each enters as a Dutch
        # national (Vreemdelingenwet 2000, art. 1), not the British example.
        ("NL", "AW", "NL", "Vreemdelingenwet 2000, art. 1", "right of abode"),
        # In Bonaire, under the Netherlands' law: the rule without an example.
        ("NL", "AW", "BQ", "verify that each may enter BQ", "right of abode"),
    ],
)
def test_a_sovereign_landing_its_territorys_people_at_home_is_told_who_may_enter(
    acting: str, nationality: str, landing: str, says: str, absent: str
) -> None:
    """A Cayman patrol landing Caymanians in the United Kingdom is told that a British
    Overseas Territories citizen who is not also a British citizen has no right of abode
    there; a Royal Navy ship landing them was told nothing: it lands them in its own
    territory, so no landing step is made, and the caution, which the step carried, never
    reached the plan. Its officers need it as much: the plan says it in a note of R15, with
    each sovereign's own rule (the Netherlands': each enters as its national)."""
    shipped = load_directory(use_env=False)
    facts: dict[str, Any] = {
        "stateless": True, "zone": "high-seas", "acting": acting, "disembark": landing,
        "nationalities": [nationality],
    }  # fmt: skip
    for conditions in ([], ["smugglers"]):
        result = plan(shipped, **facts, conditions=conditions)
        assert steps(result, "disembarkation") == []
        [note] = [n for n in result["notes"] if n["rule"] == "R15"]
        assert says in note["text"] and f"People of {nationality}" in note["text"], note
        if absent:
            assert absent not in note["text"], note
        assert note["basis"] == ["ICCPR art. 12(4)"]
    # The sovereign's own nationals landed at home are told nothing of the kind.
    home = plan(shipped, **{**facts, "nationalities": [acting]})
    assert not [n for n in home["notes"] if n["rule"] == "R15"], home["notes"]
    # A Cayman patrol is told it in its landing step, as before, and not twice.
    if acting == "GB":
        patrol = plan(shipped, **{**facts, "acting": "KY"})
        assert not [n for n in patrol["notes"] if n["rule"] == "R15"], patrol["notes"]
        [step] = steps(patrol, "disembarkation")
        assert any(says in n for n in step["notes"]), step["notes"]


@pytest.mark.parametrize("rescued", [False, True])
def test_nationals_landed_at_home_by_a_state_not_given_are_told_art_18_only_if_another_lands_them(
    rescued: bool,
) -> None:
    """Haitians landed in Haiti, the acting state not given: the landing step said that "where
    the SOM Protocol binds HT, art. 18(1) commits it to accept their return". Art. 18 is owed
    between States Parties (the state of nationality accepts its nationals' return from
    another state); the step exists only because the acting state may be another, and it may
    be Haiti itself, whose landing returns nobody from another state. The step says the clause
    only as a condition: if another state lands them."""
    shipped = load_directory(use_env=False)
    facts: dict[str, Any] = {
        "stateless": True, "zone": "high-seas", "disembark": "HT", "nationalities": ["HT"],
    }  # fmt: skip
    conditions = ["distress"] if rescued else []
    [step] = steps(plan(shipped, **facts, conditions=conditions), "disembarkation")
    notes = " ".join(step["notes"])
    assert step["own_nationals"] is True, notes
    assert "ICCPR art. 12(4)" in notes, notes
    assert "where the SOM Protocol binds HT, art. 18(1) commits it" not in notes, notes
    assert "If a state other than HT lands them" in notes and "art. 18(1)" in notes, notes
    assert "Not needed if the acting state is HT itself." in notes, notes
    assert not any("18" in b for b in step["basis"]), step["basis"]
    # A foreign ship landing them: the clause as before.
    [us] = steps(plan(shipped, **facts, acting="US", conditions=conditions), "disembarkation")
    assert any("where the SOM Protocol binds HT, art. 18(1)" in n for n in us["notes"]), us


@pytest.mark.parametrize(
    ("condition", "says", "basis"),
    [
        ("unaccompanied", "best-interests determination", "CRC art. 3(1)"),
        ("trafficking", "Trafficking in Persons Protocol art. 8", None),
    ],
)
def test_landing_people_in_their_own_country_is_a_return_with_its_safeguards(
    condition: str, says: str, basis: str | None
) -> None:
    """Unaccompanied Cuban children (or victims of trafficking) intercepted by a U.S. cutter
    and landed in Cuba are returned to their country by the landing itself: no repatriation
    step (R13) follows, so the safeguards that come before a return (a best-interests
    determination, a safe return of victims) were nowhere in the plan. The landing step
    carries them, as a return does; landed in The Bahamas, the return step carries them."""
    shipped = load_directory(use_env=False)
    common: dict[str, Any] = dict(
        flag="CU", zone="high-seas", acting="US", nationalities=["CU"], conditions=[condition]
    )
    [landing] = steps(plan(shipped, **common, disembark="CU"), "disembarkation")
    assert any(says in w for w in landing["warnings"]), landing["warnings"]
    if basis:
        assert basis in landing["basis"], landing["basis"]
    # Landed where they are foreigners, the landing is no return: the warning is not there.
    [abroad] = steps(plan(shipped, **common, disembark="BS"), "disembarkation")
    assert not any(says in w for w in abroad["warnings"]), abroad["warnings"]


@pytest.mark.parametrize(
    ("nationality", "at", "unbound"),
    [
        # Cuba acceded on 20 June 2013: bound from 20 July 2013 (art. 22(2)).
        ("CU", "2013-07-19T12:00:00-04:00", True),
        ("CU", "2013-07-20T12:00:00-04:00", False),
        # Colombia is not a party.
        ("CO", "2026-12-01T12:00:00-05:00", True),
    ],
)
def test_a_return_cites_article_18_only_where_the_protocol_binds_the_state_of_nationality(
    nationality: str, at: str, unbound: bool
) -> None:
    """R13 rests a return on art. 18 of the SOM Protocol, the state of nationality's
    commitment to accept its smuggled nationals back. A return of Cubans from The Bahamas
    planned for the day before Cuba's accession took effect, or of Colombians (Colombia is not
    a party), cannot rest on it: the step says so, and what the return rests on instead."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped,
        flag="BS",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=[nationality],
        return_considered=True,
        at=datetime.fromisoformat(at),
    )
    found = steps(result, "repatriation")
    assert found
    for step in found:
        says = any("art. 18 does not oblige" in n for n in step["notes"])
        assert says is unbound, step["notes"]


def test_a_landing_where_no_rcc_answers_names_the_rcc_that_coordinates_the_rescue() -> None:
    """A U.S. cutter rescues Haitians on the high seas (coordinated by RCC Miami, R1) and
    would land them in Anguilla, whose rescue service coordinates no SAR region. The landing
    step said that CROSS Antilles-Guyane, the RCC for Anguilla's waters, "finds the place of
    safety": the RCC that coordinates the rescue does (MSC.167(78) 6.7). It names RCC Miami
    for that, and keeps CROSS Antilles-Guyane informed. Rescued in Anguilla's waters, CROSS
    Antilles-Guyane coordinates, and is named for the place of safety as before."""
    shipped = load_directory(use_env=False)
    common: dict[str, Any] = dict(
        acting="US", disembark="AI", nationalities=["HT"], conditions=["distress"]
    )
    [far] = steps(plan(shipped, stateless=True, zone="high-seas", **common), "disembarkation")
    safety = [n for n in far["notes"] if "finds the place of safety" in n]
    assert len(safety) == 1 and "us-rcc-miami" in safety[0], far["notes"]
    assert any("fr-cross-ag" in n for n in far["notes"]), far["notes"]
    near = plan(shipped, flag="HT", zone="territorial", coastal="AI", **common)
    [step] = steps(near, "disembarkation")
    safety = [n for n in step["notes"] if "finds the place of safety" in n]
    assert len(safety) == 1 and "fr-cross-ag" in safety[0], step["notes"]


# The basis of a step on the day of the plan ---------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "acting", "at", "bound"),
    [
        # Before the Protocol entered into force it bound nobody (art. 22(1)).
        ("JM", "US", "2001-06-01T12:00:00-04:00", False),
        ("JM", "US", "2026-12-01T12:00:00-05:00", True),
        # Haiti's status is uncertain.
        ("HT", "US", "2026-12-01T12:00:00-05:00", False),
        # Cuba acceded on 20 June 2013: bound from 20 July 2013 (art. 22(2)).
        ("CU", "US", "2013-07-19T12:00:00-04:00", False),
        ("CU", "US", "2013-07-20T12:00:00-04:00", True),
        # Colombia is not a party, as flag state or as acting state.
        ("CO", "US", "2026-12-01T12:00:00-05:00", False),
        ("HT", "CO", "2026-12-01T12:00:00-05:00", False),
    ],
)
def test_a_flag_state_request_cites_article_8_only_where_the_protocol_binds_both_states(
    flag: str, acting: str, at: str, bound: bool
) -> None:
    """R4's note says that art. 8 requests rest on UNCLOS and bilateral arrangements, not the
    Protocol, when it did not bind the flag state or the acting state on the day; its basis
    still listed SOM Protocol art. 8(2) and art. 17. It lists UNCLOS art. 92 alone then."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped, flag=flag, zone="high-seas", acting=acting, at=datetime.fromisoformat(at)
    )
    found = [s for s in steps(result, "flag-state-authorization") if s["role"] != "ship-registry"]
    assert found
    for step in found:
        protocol = [b for b in step["basis"] if "SOM Protocol" in b]
        assert bool(protocol) is bound, step["basis"]
        assert "UNCLOS art. 92" in step["basis"], step["basis"]
        says = any("on UNCLOS and bilateral arrangements" in n for n in step["notes"])
        assert says is not bound, step["notes"]


@pytest.mark.parametrize(
    ("acting", "at", "bound"),
    [
        ("CU", "2013-07-19T12:00:00-04:00", False),
        ("CU", "2013-07-20T12:00:00-04:00", True),
        ("MX", "2004-01-27T12:00:00-06:00", False),
        ("MX", "2004-01-28T12:00:00-06:00", True),
        ("CO", "2026-12-01T12:00:00-05:00", False),
        # The acting state not given: before 28 January 2004 the Protocol bound nobody.
        (None, "2004-01-27T12:00:00+00:00", False),
        (None, "2004-01-28T12:00:00+00:00", True),
    ],
)
def test_a_stateless_vessels_boarding_rests_on_article_8_7_only_where_the_protocol_binds(
    acting: str | None, at: str, bound: bool
) -> None:
    """R5's note says the boarding rests on UNCLOS art. 110(1)(d), not art. 8(7) of the
    Protocol, where the Protocol did not bind the acting state on the day; its basis still
    listed SOM Protocol art. 8(7). It lists UNCLOS art. 110(1)(d) alone then."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped, stateless=True, zone="high-seas", acting=acting, at=datetime.fromisoformat(at)
    )
    [note] = [n for n in result["notes"] if n["rule"] == "R5"]
    if bound:
        assert note["basis"] == ["SOM Protocol art. 8(7)", "UNCLOS art. 110(1)(d)"], note
    else:
        assert note["basis"] == ["UNCLOS art. 110(1)(d)"], note


@pytest.mark.parametrize(
    ("nationality", "at", "bound"),
    [
        ("CU", "2013-07-19T12:00:00-04:00", False),
        ("CU", "2013-07-20T12:00:00-04:00", True),
        ("CO", "2026-12-01T12:00:00-05:00", False),
    ],
)
def test_a_return_rests_on_article_18_only_where_the_protocol_binds_the_state_of_nationality(
    nationality: str, at: str, bound: bool
) -> None:
    """R13's note says art. 18 does not oblige a state the Protocol did not bind on the day to
    accept the return, which rests on its duty under general international law to readmit its
    own nationals and on any agreement; its basis still listed SOM Protocol art. 18. It lists
    that duty instead, and keeps the safeguards' bases (CRC art. 3(1))."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped,
        flag="BS",
        zone="territorial",
        coastal="BS",
        acting="BS",
        nationalities=[nationality],
        conditions=["unaccompanied"],
        return_considered=True,
        at=datetime.fromisoformat(at),
    )
    found = [s for s in steps(result, "repatriation") if s["nationality"] == nationality]
    assert len(found) == 2
    for step in found:
        article_18 = [b for b in step["basis"] if "SOM Protocol art. 18" in b]
        assert bool(article_18) is bound, step["basis"]
        assert "CRC art. 3(1)" in step["basis"], step["basis"]
        if not bound:
            assert step["basis"][0] == (
                "General international law (a state's duty to readmit its own nationals)"
            ), step["basis"]


# Which return agreement covers the people returned ---------------------------------------------

#: Return agreements of a sovereign extended to its territory, for its nationals: the Bahamas
#: and the United Kingdom (Turks and Caicos Islanders are British nationals; the Bahamas may
#: land them in the Turks and Caicos Islands on notice), the Dominican
#: Republic and the United States (Puerto Ricans are U.S. nationals); and one of the Cayman
#: Islands and Cuba for migrants found in Cayman waters only (as the 1999 memorandum, within
#: the 12-mile limit), more recent than the fixture's general one.
RETURNS_OF_A_SOVEREIGNS_NATIONALS = f"""
[[agreements]]
id = "bs-gb-returns"
title = "Bahamas-United Kingdom readmission agreement"
kind = "repatriation"
parties = ["BS", "GB"]
signed = 2010-01-01
in_force = 2010-01-01
status = "in-force"
extends_to = ["TC"]
last_verified = 2026-11-01
sources = {SOURCE}
[agreements.provides]
landing_by = ["BS"]
return_days = 9
nationalities = ["GB"]

[[agreements]]
id = "do-us-returns"
title = "Dominican Republic-United States readmission agreement"
kind = "repatriation"
parties = ["DO", "US"]
signed = 2010-01-01
in_force = 2010-01-01
status = "in-force"
extends_to = ["PR"]
last_verified = 2026-11-01
sources = {SOURCE}
[agreements.provides]
return_days = 9
nationalities = ["US"]

[[agreements]]
id = "ky-cu-coastal"
title = "Cayman Islands-Cuba memorandum on migrants in Cayman waters"
kind = "repatriation"
parties = ["KY", "CU"]
signed = 2020-01-01
in_force = 2020-01-01
status = "in-force"
last_verified = 2026-11-01
sources = {SOURCE}
[agreements.provides]
return_days = 5
nationalities = ["CU"]
zones = ["territorial", "internal"]
"""


@pytest.fixture(scope="module")
def with_returns(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    folder = write_routing_directory(tmp_path_factory.mktemp("returns"))
    (folder / "returns.toml").write_text(RETURNS_OF_A_SOVEREIGNS_NATIONALS, encoding="utf-8")
    return load_directory(base=folder, use_env=False)


@pytest.mark.parametrize(
    ("landing", "nationality", "governs"),
    [("BS", "TC", "bs-gb-returns"), ("DO", "PR", "do-us-returns")],
)
def test_a_return_agreement_for_a_sovereigns_nationals_covers_its_territorys_people(
    with_returns: Directory, landing: str, nationality: str, governs: str
) -> None:
    """A readmission agreement of the United Kingdom, extended to the Turks and Caicos
    Islands, for British nationals: Turks and Caicos Islanders are British nationals, as
    Puerto Ricans are U.S. nationals. The entry, boarding and landing steps (R2, R4, R15) read
    an agreement's nationalities so (a territory's people under its sovereign's code); the
    return (R13) compared the codes as written and applied no agreement."""
    result = plan(
        with_returns,
        flag=landing,
        zone="territorial",
        coastal=landing,
        acting=landing,
        nationalities=[nationality],
        return_considered=True,
    )
    found = steps(result, "repatriation")
    assert found
    for step in found:
        assert (step["agreement"] or {}).get("id") == governs, step
        assert any("return within 9 days" in n for n in step["notes"]), step["notes"]


@pytest.mark.parametrize(
    ("facts", "governs"),
    [
        ({"zone": "territorial", "coastal": "KY"}, "ky-cu-coastal"),
        ({"zone": "high-seas"}, "ky-cu-returns"),
    ],
)
def test_a_return_agreement_covers_only_the_zones_it_names(
    with_returns: Directory, facts: dict[str, Any], governs: str
) -> None:
    """A Cayman patrol lands Cubans in the Cayman Islands and their return is considered. An
    agreement that covers migrants found in Cayman waters only (``zones``) governs the return
    of those found there, not of those found on the high seas: the entry, boarding and
    landing steps (R2, R4, R15) read ``zones`` so; the return (R13) ignored it, and applied
    the more recent agreement wherever they were found."""
    result = plan(
        with_returns,
        flag="CU",
        acting="KY",
        disembark="KY",
        nationalities=["CU"],
        return_considered=True,
        **facts,
    )
    found = steps(result, "repatriation")
    assert found
    for step in found:
        assert (step["agreement"] or {}).get("id") == governs, step


def test_a_landing_agreement_for_a_sovereigns_nationals_covers_its_territorys_people(
    with_returns: Directory,
) -> None:
    """A Bahamian patrol lands Turks and Caicos Islanders in the Turks and Caicos Islands,
    under an agreement of the United Kingdom extended to them that provides for the landing of
    British nationals. The landing (R15) compared the codes as written, where the entry and
    boarding steps (R2, R4) read a territory's people under its sovereign's code, and asked
    for consent the agreement already gives."""
    result = plan(
        with_returns,
        stateless=True,
        zone="high-seas",
        acting="BS",
        disembark="TC",
        nationalities=["TC"],
    )
    [step] = steps(result, "disembarkation")
    assert (step["action"], (step["agreement"] or {}).get("id")) == ("notify", "bs-gb-returns")


# Art. 18(8): a return under an agreement between the states ----------------------------------

ARTICLE_18 = "SOM Protocol art. 18"
ARTICLE_18_8 = "SOM Protocol art. 18(8)"


@pytest.mark.parametrize(
    ("landing", "nationality", "governs"),
    [
        ("BS", "TC", "bs-gb-returns"),  # the United Kingdom's, extended to TC
        ("DO", "PR", "do-us-returns"),  # the United States', extended to PR
        ("BS", "JM", None),  # no agreement between them
        ("BS", "KY", None),  # the United Kingdom's is not extended to KY
    ],
)
def test_a_return_cites_article_18_8_only_under_an_agreement_that_governs_it(
    with_returns: Directory, landing: str, nationality: str, governs: str | None
) -> None:
    """Art. 18(8) of the SOM Protocol keeps the agreements that govern the return of smuggled
    migrants in force beside art. 18. Every return step cited it, also where no agreement
    between the landing state and the state of nationality governs the return (Jamaicans
    returned from The Bahamas; Caymanians, to whom the United Kingdom's agreement with The
    Bahamas is not extended): it is cited only with the agreement the step applies."""
    result = plan(
        with_returns,
        flag=landing,
        zone="territorial",
        coastal=landing,
        acting=landing,
        nationalities=[nationality],
        return_considered=True,
    )
    found = steps(result, "repatriation")
    assert len(found) == 2
    for step in found:
        assert (step["agreement"] or {}).get("id") == governs, step
        expected = [ARTICLE_18, ARTICLE_18_8] if governs else [ARTICLE_18]
        assert step["basis"] == expected, step["basis"]


@pytest.mark.parametrize(
    ("facts", "at", "governs"),
    [
        # The 1999 memorandum, for Cubans found in Cayman waters, until 17 April 2015.
        ({"zone": "territorial", "coastal": "KY"}, "2014-06-01T12:00:00-05:00", "1999"),
        ({"zone": "high-seas"}, "2014-06-01T12:00:00-05:00", None),
        # The 2015 memorandum, wherever they were found, from that day.
        ({"zone": "high-seas"}, "2015-04-17T12:00:00-05:00", "2015"),
        ({"zone": "high-seas"}, "2026-12-01T12:00:00-05:00", "2015"),
        # The Cayman Islands' memorandums are not the Turks and Caicos Islands'.
        ({"zone": "high-seas", "disembark": "TC"}, "2026-12-01T12:00:00-05:00", None),
    ],
)
def test_a_return_cites_article_18_8_only_under_an_agreement_in_force_on_the_day(
    facts: dict[str, Any], at: str, governs: str | None
) -> None:
    """A Cayman patrol lands Cubans and their return is considered. The shipped memorandums
    between the Cayman Islands and Cuba governed the return on some days, in some waters, of
    people landed in the Cayman Islands only: art. 18(8) is cited on those steps alone,
    beside art. 18, which binds Cuba from 20 July 2013 whatever the agreement."""
    shipped = load_directory(use_env=False)
    facts.setdefault("disembark", "KY")
    result = plan(
        shipped,
        flag="CU",
        acting="KY",
        nationalities=["CU"],
        return_considered=True,
        at=datetime.fromisoformat(at),
        **facts,
    )
    found = steps(result, "repatriation")
    assert len(found) == 2
    for step in found:
        applied = (step["agreement"] or {}).get("id")
        assert applied == (governs and f"ky-cu-migration-{governs}"), step
        expected = [ARTICLE_18, ARTICLE_18_8] if governs else [ARTICLE_18]
        assert step["basis"] == expected, step["basis"]


def test_a_return_under_an_agreement_with_a_state_the_protocol_did_not_bind_cites_no_18_8() -> None:
    """Cubans landed in the Cayman Islands in 2013, before the Protocol bound Cuba (20 July
    2013): the 1999 memorandum governs, but the return rests on general international law and
    the agreement (the step's ``agreement``), not on the Protocol's art. 18 or 18(8)."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped, flag="CU", zone="territorial", coastal="KY", acting="KY", disembark="KY",
        nationalities=["CU"], return_considered=True,
        at=datetime.fromisoformat("2013-07-19T12:00:00-05:00"),
    )  # fmt: skip
    found = steps(result, "repatriation")
    assert len(found) == 2
    for step in found:
        assert step["agreement"]["id"] == "ky-cu-migration-1999", step
        assert step["basis"] == [
            "General international law (a state's duty to readmit its own nationals)"
        ], step["basis"]


@pytest.mark.parametrize(
    ("args", "cited"),
    [
        # No agreement between the United States and the Dominican Republic governs a return.
        (["--flag", "US", "--coastal", "PR", "--as", "US", "--nationality", "DO"], False),
        (["--flag", "CU", "--coastal", "KY", "--as", "KY", "--nationality", "CU"], True),
    ],
)
def test_the_json_cites_article_18_8_only_under_an_agreement(
    capsys: pytest.CaptureFixture[str], args: list[str], cited: bool
) -> None:
    """``somnet contact --return --format json``: each return step's ``basis`` lists art.
    18(8) where its ``agreement`` governs the return, and only there."""
    result = run(
        capsys, "contact", *args, "--zone", "territorial", "--return",
        "--at", "2026-12-01T10:00-05:00", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    found = [s for s in json.loads(result.stdout)["steps"] if s["purpose"] == "repatriation"]
    assert len(found) == 2
    for step in found:
        assert bool(step["agreement"]) is cited, step
        assert ARTICLE_18 in step["basis"], step["basis"]
        assert (ARTICLE_18_8 in step["basis"]) is cited, step["basis"]


# People found in their own country's waters ------------------------------------------------


def home_warnings(result: dict[str, Any]) -> list[str]:
    """Plan-level warnings about landing asylum seekers in their own country: the refoulement
    warning (art. 33) and the one for people who never left it (art. 1A(2))."""
    return [
        w
        for w in result["warnings"]
        if ("art. 33" in w or "art. 1A(2)" in w) and not not_bound([w])
    ]


def test_a_coast_guard_holding_its_own_nationals_in_its_own_waters_is_not_told_it_refoules(
    directory: Directory,
) -> None:
    """Cuba's coast guard stops Cubans in Cuba's territorial sea and one claims asylum. They
    have not left their country, so they are not refugees (1951 Convention art. 1A(2)) and
    landing them in Cuba returns nobody across a border. The plan called it refoulement under
    art. 33 and told Cuba to land only those found to have no protection need, which it
    cannot do with its own nationals in its own waters. The claim still matters: Cuba must not
    decide it alone, and UNHCR is asked to screen with it."""
    result = plan(
        directory, flag="CU", zone="territorial", coastal="CU", acting="CU",
        nationalities=["CU"], conditions=["asylum"],
    )  # fmt: skip
    [warning] = home_warnings(result)
    assert "art. 1A(2)" in warning and "is no refoulement" in warning
    assert "art. 33" not in warning and "Refoulement" not in warning
    assert "only those found to have no protection need" not in warning
    assert "CU holds them" in warning and "UNHCR" in warning
    referrals = steps(result, "protection-referral")
    assert {(s["state"], s["role"], s["action"]) for s in referrals} == {
        ("CU", "refugee-status", "request"),
        ("CU", "protection-partner", "request"),
    }
    # Art. 33 protects no one aboard: the screening rests on the Protocol alone.
    assert all(s["basis"] == ["SOM Protocol arts. 16, 19"] for s in referrals)
    # The warning is told in the language in use, each of its sentences.
    held = plan_contacts(
        directory,
        make_interception(
            flag="CU", zone="territorial", coastal="CU", acting="CU", nationalities=["CU"],
            conditions=["asylum"], at=datetime.fromisoformat(AT),
        ),
    )  # fmt: skip
    [french] = [localized(w, "fr") for w in held.warnings if "art. 1A(2)" in w]
    assert "n'ont pas quitté leur pays" in french and "au sens de la Convention" in french
    assert "transmettez aussi chaque demande au HCR" in french


@pytest.mark.parametrize("zone", ["contiguous", "high-seas"])
def test_nationals_found_outside_their_own_waters_have_left_their_country(
    directory: Directory, zone: str
) -> None:
    # Beyond the territorial sea they are outside their country: they may be refugees (art.
    # 1A(2)), held by the state they claim protection against (see
    # tests/test_routing_odd_cases.py), and the screening rests on art. 33 too.
    facts: dict[str, Any] = {"coastal": "CU"} if zone == "contiguous" else {"disembark": "CU"}
    result = plan(
        directory, flag="CU", zone=zone, acting="CU", nationalities=["CU"],
        conditions=["asylum"], **facts,
    )  # fmt: skip
    [warning] = home_warnings(result)
    assert "they have left their country and may be refugees" in warning
    for step in steps(result, "protection-referral"):
        assert "1951 Convention art. 33" in step["basis"]


def test_foreigners_found_with_nationals_in_their_waters_keep_the_refugee_law_basis(
    directory: Directory,
) -> None:
    # Dominicans and Haitians stopped in Dominican waters by the Dominican Navy: the
    # Dominicans are at home, the Haitians have left Haiti and may be refugees.
    result = plan(
        directory, flag="DO", zone="territorial", coastal="DO", acting="DO",
        nationalities=["DO", "HT"], conditions=["asylum"],
    )  # fmt: skip
    [warning] = home_warnings(result)
    assert "nationals of DO" in warning and "art. 1A(2)" in warning
    assert "HT" not in warning
    for step in steps(result, "protection-referral"):
        assert "1951 Convention art. 33" in step["basis"]


def test_a_territorys_people_found_in_its_waters_are_in_their_sovereigns_country(
    directory: Directory,
) -> None:
    # Caymanians (British) found in the Turks and Caicos Islands' territorial sea, landed
    # there by a US cutter: within the United Kingdom's territory all along.
    result = plan(
        directory, stateless=True, zone="territorial", coastal="TC", acting="US",
        nationalities=["KY"], conditions=["asylum"],
    )  # fmt: skip
    [warning] = home_warnings(result)
    assert "nationals of GB" in warning and "TC (" in warning and "its territory" in warning
    assert "art. 1A(2)" in warning and "may be against GB" in warning
    assert "the steps to TC tell it nothing" in warning
    assert "the landing in TC waits for them" in warning


def test_nationals_found_at_home_but_landed_abroad_are_not_landed_at_home(
    directory: Directory,
) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="HT", acting="US",
        disembark="BS", nationalities=["HT"], conditions=["asylum"],
    )  # fmt: skip
    assert home_warnings(result) == []


def test_without_asylum_nationals_found_at_home_need_no_warning(directory: Directory) -> None:
    result = plan(
        directory, flag="CU", zone="territorial", coastal="CU", acting="CU",
        nationalities=["CU"],
    )  # fmt: skip
    assert home_warnings(result) == []


def test_nationals_found_in_their_own_waters_are_landed_with_no_return_nor_entry(
    directory: Directory,
) -> None:
    """A U.S. cutter stops Haitians in Haiti's territorial sea and lands them in Haiti. They
    are in Haiti's territory (UNCLOS art. 2(1)) and have not left it: the landing step said
    that nobody needs their own country's consent to enter it (ICCPR art. 12(4)) and that SOM
    Protocol art. 18(1) commits Haiti to accept their return, and warned of the safeguards of
    a return (Trafficking in Persons Protocol art. 8, on repatriation). Nobody enters or is
    returned: stopping them restricts their right to leave their country (ICCPR art. 12(2)),
    which only what art. 12(3) allows may do. The children's and the victims' safeguards stay,
    worded for a landing at home."""
    result = plan(
        directory, flag="HT", zone="territorial", coastal="HT", acting="US",
        nationalities=["HT"], conditions=["unaccompanied", "trafficking"],
    )  # fmt: skip
    [step] = steps(result, "disembarkation")
    assert step["own_nationals"] and step["state"] == "HT"
    said = " ".join(step["notes"])
    assert "have not left their country" in said
    assert "ICCPR art. 12(2)" in said and "art. 12(3)" in said
    for wrong in ("12(4)", "18(1)", "their return", "to enter", "right to enter"):
        assert wrong not in said, wrong
    assert "ICCPR art. 12(4)" not in step["basis"]
    assert {"UNCLOS arts. 2, 49", "ICCPR art. 12(2), (3)"} <= set(step["basis"])
    assert "Trafficking in Persons Protocol art. 8" not in step["basis"]
    assert {"CRC art. 3(1)", "Trafficking in Persons Protocol art. 6(5)"} <= set(step["basis"])
    warned = " ".join(step["warnings"])
    assert "return" not in warned
    assert "best-interests determination" in warned and "caregiver" in warned
    assert "physical safety" in warned
    # Rescued there: a place of safety is asked for, with no return either.
    rescued = plan(
        directory, flag="HT", zone="territorial", coastal="HT", acting="US",
        nationalities=["HT"], conditions=["distress"],
    )  # fmt: skip
    [step] = steps(rescued, "disembarkation")
    said = " ".join(step["notes"])
    assert "have not left their country" in said and "place of safety" in said
    assert "12(4)" not in said and "their return" not in said
    assert "ICCPR art. 12(4)" not in step["basis"] and "UNCLOS arts. 2, 49" in step["basis"]
    # Found in the contiguous zone they have left it: the landing is their return home.
    left = plan(
        directory, flag="HT", zone="contiguous", coastal="HT", acting="US",
        nationalities=["HT"], conditions=["unaccompanied", "trafficking"],
    )  # fmt: skip
    [step] = steps(left, "disembarkation")
    assert "ICCPR art. 12(4)" in step["basis"]
    assert "Trafficking in Persons Protocol art. 8" in step["basis"]


def test_people_found_in_one_territorys_waters_and_landed_in_another_are_told_where_each_is(
    directory: Directory,
) -> None:
    """A Cayman patrol stops Turks and Caicos Islanders in the Turks and Caicos Islands'
    territorial sea and would land them in the Cayman Islands: within the United Kingdom's
    territory all along. The warning said they were found in the waters of KY, where they
    were not."""
    for nationalities in (["TC"], ["KY"], []):
        result = plan(
            directory, stateless=True, zone="territorial", coastal="TC", acting="KY",
            disembark="KY", nationalities=nationalities, conditions=["asylum"],
        )  # fmt: skip
        [warning] = home_warnings(result)
        assert "art. 1A(2)" in warning, nationalities
        assert "found in the waters of TC (" in warning, nationalities
        assert "land them in KY (" in warning, nationalities
        assert "waters of KY" not in warning and "in its waters" not in warning, nationalities
    stateless = plan(
        directory, stateless=True, zone="territorial", coastal="TC", acting="KY",
        disembark="KY", stateless_persons=True, conditions=["asylum"],
    )  # fmt: skip
    [warning] = [w for w in home_warnings(stateless) if "stateless" in w]
    assert "found in the waters of TC (" in warning and "land them in KY (" in warning


def test_a_return_within_the_state_they_were_found_in_is_not_called_refoulement(
    directory: Directory,
) -> None:
    """Caymanians found in the Turks and Caicos Islands' territorial sea, landed there, their
    return to the Cayman Islands considered: they have not left the United Kingdom, and the
    plan says they are not refugees (1951 Convention art. 1A(2)); the return steps warned
    that returning a refugee breaches art. 33. They still wait for the claims."""
    result = plan(
        directory, stateless=True, zone="territorial", coastal="TC", acting="US",
        nationalities=["KY"], conditions=["asylum"], return_considered=True,
    )  # fmt: skip
    returns = steps(result, "repatriation")
    assert {s["state"] for s in returns} == {"TC", "KY"}
    for step in returns:
        warned = " ".join(step["warnings"])
        assert "art. 33" not in warned and "refugee to danger" not in warned, step["state"]
        assert "no return before the claim is decided" in warned, step["state"]
        assert "art. 1A(2)" in warned, step["state"]
        assert step["deferred"], step["state"]
    # Found in the contiguous zone, they had left it; landed in the Turks and Caicos Islands
    # they are back in it, and the return within it is no refugee's either: the landing is
    # what the plan warns of as refoulement.
    left = plan(
        directory, stateless=True, zone="contiguous", coastal="TC", acting="US",
        nationalities=["KY"], conditions=["asylum"], return_considered=True,
    )  # fmt: skip
    assert any(w.startswith("Refoulement") for w in left["warnings"]), left["warnings"]
    for step in steps(left, "repatriation"):
        warned = " ".join(step["warnings"])
        assert "art. 33" not in warned, step["state"]
        assert "Landed in their own state (GB) and returned within it" in warned, step["state"]


@pytest.mark.parametrize(
    ("facts", "said"),
    [
        # "Archipelagic" waters of a state that is not archipelagic are read as its internal
        # waters: its territory still.
        (
            dict(flag="HT", zone="archipelagic", coastal="HT", acting="US", nationalities=["HT"]),
            "nationals of HT (",
        ),
        # The landing state given as the coastal state it defaults to: the same plan.
        (
            dict(
                flag="HT",
                zone="territorial",
                coastal="HT",
                acting="US",
                disembark="HT",
                nationalities=["HT"],
            ),
            "nationals of HT (",
        ),
        # U.S. nationals found in Puerto Rico's waters and landed there: in the United States.
        (
            dict(
                flag="US",
                zone="territorial",
                coastal="PR",
                acting="US",
                nationalities=["US"],
            ),
            "nationals of US (",
        ),
    ],
)
def test_people_found_at_home_are_read_so_whatever_the_zones_name_or_the_landing_given(
    directory: Directory, facts: dict[str, Any], said: str
) -> None:
    result = plan(directory, conditions=["asylum"], **facts)
    [warning] = home_warnings(result)
    assert "art. 1A(2)" in warning and said in warning
    assert "art. 33" not in warning


def test_nationals_found_in_one_territorys_waters_and_landed_elsewhere_at_home_are_told_where(
    directory: Directory,
) -> None:
    # U.S. nationals stopped by a Dominican patrol in Puerto Rico's territorial sea, landed in
    # the United States: found in Puerto Rico's waters, not in the landing place's.
    result = plan(
        directory, flag="US", zone="territorial", coastal="PR", acting="DO", disembark="US",
        nationalities=["US"],
    )  # fmt: skip
    [step] = steps(result, "disembarkation")
    said = " ".join(step["notes"])
    assert "found in the waters of PR, its territory" in said
    assert "have not left their country" in said


def test_the_at_home_warning_names_who_holds_them_and_whom_the_claim_may_be_against(
    directory: Directory,
) -> None:
    # A U.S. cutter holds U.S. nationals found in Puerto Rico's waters and lands them there:
    # the United States holds them, not "PR". Stateless persons found in the Turks and Caicos
    # Islands' waters and landed in the Cayman Islands may have lived in the Turks and Caicos
    # Islands: the claim may be against the place they were found, not the landing place.
    held = plan(
        directory, stateless=True, zone="territorial", coastal="PR", acting="US",
        disembark="PR", nationalities=["US"], conditions=["asylum"],
    )  # fmt: skip
    [warning] = home_warnings(held)
    assert "US holds them" in warning and "PR holds them" not in warning
    # Refugee law rules out refoulement here, not every protection against a transfer.
    assert "is no refoulement under it" in warning
    found_elsewhere = plan(
        directory, stateless=True, zone="territorial", coastal="TC", acting="US",
        disembark="KY", stateless_persons=True, conditions=["asylum"],
    )  # fmt: skip
    [warning] = home_warnings(found_elsewhere)
    assert "may be against GB (through its territory TC)" in warning


def test_a_return_between_two_territories_of_one_state_rests_on_their_own_law(
    directory: Directory,
) -> None:
    """Caymanians stopped by the Turks and Caicos Islands, to be returned to the Cayman
    Islands: both are British. The SOM Protocol's art. 18 (on migrants smuggled into a state
    of which they are not nationals) and the duty to readmit one's nationals are owed between
    states; the return cited one or the other, and a note on the Cayman Islands' status under
    the Protocol."""
    result = plan(
        directory, stateless=True, zone="territorial", coastal="TC", acting="TC",
        nationalities=["KY"], return_considered=True,
    )  # fmt: skip
    returns = steps(result, "repatriation")
    assert {s["state"] for s in returns} == {"TC", "KY"}
    for step in returns:
        assert step["basis"] == [
            "The immigration law of each territory (a return within one state)"
        ]
        assert not any("art. 18 does not oblige" in n for n in step["notes"]), step["notes"]
        assert any("A return within one state" in n for n in step["notes"])
    # Between two states the duty stays the basis.
    abroad = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS",
        nationalities=["HT"], return_considered=True,
    )  # fmt: skip
    for step in steps(abroad, "repatriation"):
        assert "immigration law of each territory" not in " ".join(step["basis"])


def test_a_return_between_two_territories_of_one_state_keeps_its_safeguards_without_art_8(
    directory: Directory,
) -> None:
    """Caymanians landed in the Turks and Caicos Islands and returned to the Cayman Islands,
    both British: the trafficking safeguard cited Trafficking in Persons Protocol art. 8 (the
    repatriation of victims to the state of which they are nationals, owed between states) and
    added it to the basis; the children's said "before any return", as if across a border.
    The protection stays: the victims' safety (art. 6(5), the state's territory being both),
    the best-interests determination (CRC art. 3(1))."""
    for zone, coastal in (("territorial", {"coastal": "TC"}), ("high-seas", {})):
        result = plan(
            directory, stateless=True, zone=zone, acting="TC", disembark="TC",
            nationalities=["KY"], return_considered=True,
            conditions=["unaccompanied", "trafficking"], **coastal,
        )  # fmt: skip
        returns = steps(result, "repatriation")
        assert {s["state"] for s in returns} == {"TC", "KY"}, zone
        for step in returns:
            text = " ".join(step["warnings"])
            assert "art. 8" not in text, (zone, text)
            assert "Trafficking in Persons Protocol art. 8" not in step["basis"], zone
            assert "Trafficking in Persons Protocol art. 6(5)" in step["basis"], zone
            assert "CRC art. 3(1)" in step["basis"], zone
            assert "before any return" not in text, (zone, text)
            assert "best-interests determination" in text, zone
            assert "within one state" in text, (zone, text)
    # Between two states art. 8 stays.
    abroad = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS",
        nationalities=["HT"], return_considered=True, conditions=["trafficking"],
    )  # fmt: skip
    for step in steps(abroad, "repatriation"):
        assert "Trafficking in Persons Protocol art. 8" in step["basis"]


def test_stateless_persons_found_at_home_with_its_nationals_are_spoken_of_too(
    directory: Directory,
) -> None:
    """Bahamians and stateless persons found in the Bahamas' territorial sea, asylum claimed,
    landed there: the at-home warning spoke only of the Bahamians. The stateless persons may
    have lived there too (and then have not left it either): one warning says so. Haitians and
    stateless persons found there get none, as when landed where found from outside: the plan
    reads the place they were found as the stateless persons' own only when nobody's
    nationality is known but theirs (its steps to the Bahamas are not deferred for them)."""
    result = plan(
        directory, flag="BS", stateless_persons=True, zone="territorial", coastal="BS",
        acting="BS", nationalities=["BS"], conditions=["asylum"],
    )  # fmt: skip
    [warning] = home_warnings(result)
    assert "nationals of BS" in warning
    assert "stateless persons aboard" in warning
    assert "if it is the country they lived in, they have not left it either" in warning
    foreigners = plan(
        directory, flag="BS", stateless_persons=True, zone="territorial", coastal="BS",
        acting="BS", nationalities=["HT"], conditions=["asylum"],
    )  # fmt: skip
    assert home_warnings(foreigners) == []


# Stateless persons and territories in the asylum wording -------------------------------------


def test_stateless_persons_screened_by_the_state_of_its_nationals_aboard_are_spoken_of_too(
    directory: Directory,
) -> None:
    """Cuba's coast guard takes Cubans and stateless persons aboard on the high seas, asylum
    claimed, to land them in Cuba. R9's warning said the Cubans' claim is against their own
    state, which screens them, and the plan's warning that landing Cubans there is refoulement:
    both were silent on the stateless persons, who may have lived in Cuba, the country their
    claim is then read against (1951 Convention art. 1A(2)). Each warning now speaks of them,
    in the same one warning (the JSON keeps its shape)."""
    facts: dict[str, Any] = {
        "stateless": True, "zone": "high-seas", "acting": "CU",
        "nationalities": ["CU"], "conditions": ["asylum"],
    }  # fmt: skip
    result = plan(directory, **facts, stateless_persons=True)
    [authority, _unhcr] = steps(result, "protection-referral")
    [against] = [w for w in authority["warnings"] if "against their own state" in w]
    assert "The stateless persons aboard may have lived in CU too" in against
    assert "their claims are against CU as well" in against
    [landing] = home_warnings(result)
    assert "The stateless persons aboard may have lived in CU too" in landing
    assert "their claims are against it as well, and the same holds for them" in landing
    # Without stateless persons aboard, neither says anything of them.
    plain = plan(directory, **facts)
    [authority, _unhcr] = steps(plain, "protection-referral")
    assert not any("stateless" in w for w in authority["warnings"])
    assert not any("stateless" in w for w in home_warnings(plain))
    # Landed in Haiti with Haitians by a U.S. cutter: the plan's warning speaks of them too;
    # the United States screens them, and is nobody's own state aboard.
    haiti = plan(
        directory, stateless=True, zone="high-seas", acting="US", disembark="HT",
        nationalities=["HT"], stateless_persons=True, conditions=["asylum"],
    )  # fmt: skip
    [landing] = home_warnings(haiti)
    assert "The stateless persons aboard may have lived in HT too" in landing
    for step in steps(haiti, "protection-referral"):
        assert not any("against" in w for w in step["warnings"]), step
    # A Cayman patrol screening Turks and Caicos Islanders found in their waters, and the
    # stateless persons with them, screens them as the United Kingdom: R9 names it, never the
    # Cayman Islands as where the stateless persons may have lived, but the place they were
    # found, and the state through it.
    cayman = plan(
        directory, flag="GB", zone="territorial", coastal="TC", acting="KY", disembark="KY",
        nationalities=["TC"], stateless_persons=True, conditions=["asylum"],
    )  # fmt: skip
    [authority, _unhcr] = steps(cayman, "protection-referral")
    [against] = [w for w in authority["warnings"] if "against their own state" in w]
    assert "The stateless persons aboard may have lived in TC too" in against
    assert "their claims are against GB (through its territory TC) as well" in against
    assert "lived in KY" not in against


def test_a_return_of_stateless_persons_rests_on_a_right_of_permanent_residence_not_nationality(
    directory: Directory,
) -> None:
    """The stateless persons' return step said no state must readmit them, and that a return
    needs a state "that agrees to admit them (where they lived, if it will)": but a state the
    SOM Protocol binds must accept the return of a smuggled person who has the right of
    permanent residence in its territory (art. 18(1)), national or not, and no state owes it
    to a stateless person without that right. Its victims' safeguard said "their nationality
    is verified", when Trafficking in Persons Protocol art. 8 asks the state where they had
    the right of permanent residence to verify that right and issue travel documents."""
    result = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS",
        nationalities=["HT"], stateless_persons=True, return_considered=True,
        conditions=["trafficking"],
    )  # fmt: skip
    [stateless] = [s for s in steps(result, "repatriation") if s["nationality"] is None]
    warned = " ".join(stateless["warnings"])
    assert "if it will" not in warned
    assert "nationality is verified" not in warned
    assert "right of permanent residence in its territory at the time of return" in warned
    assert "SOM Protocol art. 18(1)" in warned and "art. 18(2)" in warned
    assert "verifies that right and issues travel documents" in warned
    assert "Trafficking in Persons Protocol art. 8(1), (3), (4)" in warned
    # The law cited applies to them through that right: the basis stays, and never the duty
    # to readmit one's own nationals.
    assert stateless["basis"] == [
        "SOM Protocol art. 18",
        "Trafficking in Persons Protocol art. 8",
    ]
    # The Haitians' return keeps the wording made for nationals.
    for step in steps(result, "repatriation"):
        if step["nationality"] == "HT":
            assert "their nationality is verified" in " ".join(step["warnings"])


@pytest.mark.parametrize(
    ("territory", "sovereign", "flag"),
    [("TC", "GB", "GB"), ("PR", "US", "US")],
)
def test_a_territorys_people_are_named_as_its_sovereigns_nationals_in_deferrals(
    directory: Directory, territory: str, sovereign: str, flag: str
) -> None:
    """Turks and Caicos Islanders (or Puerto Ricans) claiming asylum aboard a Cuban patrol on
    the high seas, to be landed at home: the deferred landing said "TC is a country of
    nationality of people aboard", and the plan's warning and R9's note "nationals of TC",
    while the landing step says everyone aboard is a national of the sovereign. A territory's
    people are its sovereign's nationals: each names both."""
    result = plan(
        directory, flag=flag, zone="high-seas", acting="CU", disembark=territory,
        nationalities=[territory], conditions=["asylum"],
    )  # fmt: skip
    both = f"{sovereign} (through its territory {territory})"
    [landing] = steps(result, "disembarkation")
    assert landing["deferred"]
    warned = " ".join(landing["warnings"])
    assert f"Deferred: {both} is a country of nationality of people aboard" in warned
    assert f"Deferred: {territory} is a country" not in warned
    [warning] = home_warnings(result)
    assert f"people aboard ({territory}) are nationals of {sovereign} " in warning
    assert f"nationals of {territory} " not in warning
    for step in steps(result, "protection-referral"):
        [note] = [n for n in step["notes"] if n.startswith("Asylum is claimed")]
        assert f"nationals of {sovereign}, and {territory}" in note
    # Found in the territory's own waters, the at-home warning names the sovereign too.
    home = plan(
        directory, flag=flag, zone="territorial", coastal=territory, acting="CU",
        nationalities=[territory], conditions=["asylum"],
    )  # fmt: skip
    [warning] = home_warnings(home)
    assert f"people aboard ({territory}) are nationals of {sovereign} " in warning
    [entry] = steps(home, "coastal-state-authorization")
    assert f"{both} is a country of nationality" in " ".join(entry["warnings"])


@pytest.mark.parametrize(
    "facts",
    [
        {"flag": "CU", "coastal": "CU", "nationalities": ["CU"]},
        {"stateless": True, "coastal": "TC", "nationalities": ["KY"]},
        {"flag": "DO", "coastal": "DO", "stateless_persons": True},
    ],
    ids=["cubans", "caymanians-in-tc", "stateless"],
)
def test_the_at_home_warning_does_not_send_a_landing_request_that_waits_for_the_claims(
    directory: Directory, facts: dict[str, Any]
) -> None:
    """People found in the waters of the state that would land them, a U.S. cutter holding
    them, asylum claimed: the landing step waits for the claims (deferred), but the plan's
    warning said "until the claims are decided, the steps to CU, the landing request
    included, tell it nothing", as if the request went now. It now says the landing waits."""
    result = plan(directory, zone="territorial", acting="US", conditions=["asylum"], **facts)
    [landing] = steps(result, "disembarkation")
    assert landing["deferred"]
    [warning] = home_warnings(result)
    assert "the landing request included" not in warning
    assert f"and the landing in {landing['state']} waits for them" in warning


def test_a_sovereign_holding_people_in_its_territory_is_not_deferred_as_their_own_country(
    directory: Directory,
) -> None:
    """A U.S. cutter holds Puerto Ricans and stateless persons found in Puerto Rico's waters,
    landed there, asylum claimed, their return considered. The stateless persons' return is
    asked of the landing side, the United States' own authorities in Puerto Rico, which hold
    and screen them (the plan's warning says so): the step was deferred as a request to "US
    (through its territory PR)", a country of nationality to ask nothing of. It waits for the
    claims as any return does, without being told not to ask the state that holds them, as
    when Cuba lands Cubans and stateless persons in Cuba."""
    result = plan(
        directory, flag="US", zone="territorial", coastal="PR", acting="US",
        nationalities=["PR"], stateless_persons=True, return_considered=True,
        conditions=["asylum"],
    )  # fmt: skip
    [warning] = home_warnings(result)
    assert "US holds them" in warning
    [stateless] = [s for s in steps(result, "repatriation") if s["nationality"] is None]
    assert stateless["state"] == "PR"
    assert not stateless["deferred"]
    warned = " ".join(stateless["warnings"])
    assert "Deferred:" not in warned
    assert "no return before the claim is decided" in warned
    cuba = plan(
        directory, stateless=True, zone="high-seas", acting="CU", nationalities=["CU"],
        stateless_persons=True, return_considered=True, conditions=["asylum"],
    )  # fmt: skip
    [stateless] = [s for s in steps(cuba, "repatriation") if s["nationality"] is None]
    assert (stateless["state"], stateless["deferred"]) == ("CU", False)


# Non-refoulement for a state not party to the 1951 Convention or its 1967 Protocol ----------

#: What a step or warning citing art. 33 adds for Cuba, a party to neither instrument.
CUBA_NOT_BOUND = (
    "CU (Cuba) is not a party to the 1951 Convention or its 1967 Protocol: art. 33 does not "
    "bind it as a treaty, but the prohibition of refoulement still binds it as customary "
    "international law."
)


def not_bound(texts: list[str]) -> list[str]:
    """The sentences saying a state is not a party to the refugee instruments (not the
    directory's own notes, which may say so in other words)."""
    return [t for t in texts if re.match(r"[A-Z]{2} \(.+\) is not a party to the 1951 ", t)]


@pytest.fixture(scope="module")
def unrecorded(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    """The fixture directory without any status under the refugee instruments."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(routing_fixture, "REFUGEE_TREATIES", {})
        folder = write_routing_directory(tmp_path_factory.mktemp("routing-unrecorded"))
    return load_directory(base=folder, use_env=False)


def bases(result: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Each step's purpose, state, role and basis: the JSON contract the status must not
    change."""
    return [(s["purpose"], s["state"], s["role"], s["basis"]) for s in result["steps"]]


def everything_said(result: dict[str, Any]) -> list[str]:
    """Every warning and note of a plan: its own and its steps'."""
    said = [*result["warnings"]]
    for step in result["steps"]:
        said += [*step["warnings"], *step["notes"]]
    return said


@pytest.mark.parametrize(
    ("acting", "aboard", "says"),
    [("CU", "HT", [CUBA_NOT_BOUND]), ("HT", "CU", [])],
    ids=["Cuban coast guard", "Haitian coast guard"],
)
def test_a_coast_guard_returning_asylum_seekers_home_is_told_what_binds_it(
    directory: Directory, unrecorded: Directory, acting: str, aboard: str, says: list[str]
) -> None:
    """A Cuban coast guard cutter stops Haitians on the high seas, one claims asylum, and the
    plan would land them in Haiti: landing them there before their claims are decided is
    refoulement, 'in breach of 1951 Convention art. 33'. Cuba is a party to neither the
    Convention nor its Protocol, so a lawyer would object that art. 33 does not bind it as a
    treaty: the warning says so, and that the prohibition binds it as customary law. A Haitian
    cutter landing Cubans in Cuba is bound by art. 33 itself: nothing more is said."""
    facts: dict[str, Any] = {
        "zone": "high-seas", "stateless": True, "acting": acting, "disembark": aboard,
        "nationalities": [aboard], "conditions": ["asylum"],
    }  # fmt: skip
    result = plan(directory, **facts)
    # The basis of every step is the JSON contract: the status changes no word of it.
    assert bases(result) == bases(plan(unrecorded, **facts))
    refoulement = [w for w in result["warnings"] if w.startswith("Refoulement")]
    assert len(refoulement) == 1 and "1951 Convention art. 33" in refoulement[0]
    assert not_bound(result["warnings"]) == says
    if says:
        # Right after the warning that cites art. 33.
        at = result["warnings"].index(refoulement[0])
        assert result["warnings"][at + 1] == CUBA_NOT_BOUND
    # The acting state screens them (R9): its steps cite art. 33, and say the same.
    referrals = steps(result, "protection-referral")
    assert {s["state"] for s in referrals} == {acting}
    for step in referrals:
        assert step["basis"] == ["SOM Protocol arts. 16, 19", "1951 Convention art. 33"]
        assert not_bound(step["notes"]) == says
        assert not_bound(step["warnings"]) == []


@pytest.mark.parametrize(
    ("acting", "aboard", "says"),
    [("CU", "HT", [CUBA_NOT_BOUND]), ("HT", "CU", [])],
    ids=["Cuban coast guard", "Haitian coast guard"],
)
def test_asylum_seekers_landed_by_a_state_not_party_are_told_so_where_art_33_is_cited(
    directory: Directory, unrecorded: Directory, acting: str, aboard: str, says: list[str]
) -> None:
    """A Cuban coast guard lands Haitian asylum seekers in Cuba, and their return is
    considered. The consular-access step (R7's consent warning), the protection referral (R9)
    and the return (R13's safeguard) all cite art. 33: each says that Cuba is not a party to
    the Convention or its Protocol and what binds it instead. The Haitian coast guard landing
    Cubans in Haiti gets the same steps without it. The JSON's basis is the same for both."""
    facts: dict[str, Any] = {
        "zone": "high-seas", "stateless": True, "acting": acting, "disembark": acting,
        "nationalities": [aboard], "conditions": ["asylum"], "return_considered": True,
    }  # fmt: skip
    result = plan(directory, **facts)
    assert bases(result) == bases(plan(unrecorded, **facts))
    [consular] = steps(result, "consular-access")
    assert consular["state"] == aboard and consular["requires_consent"]
    assert consular["basis"] == [
        "VCCR art. 36(1)(b)",
        "SOM Protocol art. 16(5)",
        "1951 Convention art. 33",
        "SOM Protocol art. 19",
    ]
    assert "1951 Convention art. 33" in consular["warnings"][0]
    assert not_bound(consular["warnings"]) == says
    referrals = steps(result, "protection-referral")
    assert {s["state"] for s in referrals} == {acting}
    for step in referrals:
        assert step["basis"] == ["SOM Protocol arts. 16, 19", "1951 Convention art. 33"]
        assert not_bound(step["notes"]) == says
    returns = [s for s in steps(result, "repatriation") if s["state"] == acting]
    assert returns
    for step in returns:
        assert any("1951 Convention art. 33" in w for w in step["warnings"])
        assert not_bound(step["warnings"]) == says
    # Said once a step, never at the plan's level here (nobody is landed at home).
    assert not_bound(result["warnings"]) == []


def test_a_party_to_the_protocol_alone_is_bound_by_art_33_and_told_nothing_more(
    directory: Directory,
) -> None:
    """The United States is a party to the 1967 Protocol only, which binds it to apply arts.
    2-34 of the Convention (Protocol art. I(1)): art. 33 binds it, so a U.S. cutter returning
    Haitian asylum seekers, or landing them in Puerto Rico, is told nothing more."""
    for disembark in ("HT", "US"):
        result = plan(
            directory, zone="high-seas", stateless=True, acting="US", disembark=disembark,
            nationalities=["HT"], conditions=["asylum"], return_considered=True,
        )  # fmt: skip
        assert any("1951 Convention art. 33" in w for w in everything_said(result))
        assert not_bound(everything_said(result)) == []


def test_a_state_whose_status_is_not_recorded_is_told_nothing_new(directory: Directory) -> None:
    """Jamaica's file records no status under the refugee instruments (uncertain): the plan
    says nothing new of it, as before."""
    result = plan(
        directory, zone="high-seas", stateless=True, acting="JM", disembark="HT",
        nationalities=["HT"], conditions=["asylum"],
    )  # fmt: skip
    assert any(w.startswith("Refoulement") for w in result["warnings"])
    assert not_bound(everything_said(result)) == []


def test_without_asylum_the_referral_that_cites_art_33_still_says_what_binds_cuba(
    directory: Directory,
) -> None:
    """With nobody claiming asylum yet, Cuba's protection referral (R9) still cites art. 33,
    and says that Cuba is bound by customary law, not by the Convention. No warning about
    asylum is added anywhere."""
    result = plan(
        directory, zone="high-seas", stateless=True, acting="CU", disembark="CU",
        nationalities=["HT"],
    )  # fmt: skip
    referrals = steps(result, "protection-referral")
    assert referrals and all(s["action"] == "inform" for s in referrals)
    for step in referrals:
        assert step["basis"] == ["SOM Protocol arts. 16, 19", "1951 Convention art. 33"]
        assert not_bound(step["notes"]) == [CUBA_NOT_BOUND]
    assert not_bound(result["warnings"]) == []
    assert all(not_bound(s["warnings"]) == [] for s in result["steps"])


def test_the_shipped_directory_tells_a_cuban_cutter_what_binds_cuba(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """On the shipped data: a Cuban coast guard returning Haitian asylum seekers to Haiti is
    told that Cuba is a party to neither instrument; a Haitian one returning Cubans to Cuba is
    told nothing more (Haiti's status is not confirmed in the data: nothing new is said)."""
    said = {}
    for acting, aboard in (("CU", "HT"), ("HT", "CU")):
        result = run(
            capsys, "contact", "--stateless", "--zone", "high-seas", "--as", acting,
            "--disembark", aboard, "--nationality", aboard, "--asylum",
            "--at", AT, "--format", "json",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        said[acting] = not_bound(everything_said(json.loads(result.stdout)))
    assert said["CU"] and set(said["CU"]) == {CUBA_NOT_BOUND}
    assert said["HT"] == []


# The refugee instruments on the plan's day -----------------------------------------------

#: Deposits the ``dated`` directory records: the Bahamas a party to the Convention alone
#: (bound from the ninetieth day after its deposit, Convention art. 43(2)), Haiti to both on
#: one day (bound from that day, through the Protocol, art. VIII(2) and I(1)), Jamaica to the
#: Protocol alone (bound from the day of its deposit). Their real days of accession, but the
#: Bahamas acceded to both instruments on that day, and Jamaica succeeded to the Convention
#: long before it acceded to the Protocol.
REFUGEE_DEPOSITS = {
    ("BS", "convention"): "1993-09-15",
    ("HT", "convention"): "1984-09-25",
    ("HT", "protocol"): "1984-09-25",
    ("JM", "protocol"): "1980-10-30",
}


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    """The fixture directory with the days the parties deposited their refugee instruments
    (``REFUGEE_DEPOSITS``), the Bahamas a party to the Convention alone and Jamaica to the
    Protocol alone."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(routing_fixture.REFUGEE_TREATIES, "BS", ("yes", "no"))
        patch.setitem(routing_fixture.REFUGEE_TREATIES, "JM", ("no", "yes"))
        patch.setattr(routing_fixture, "REFUGEE_DATES", REFUGEE_DEPOSITS)
        folder = write_routing_directory(tmp_path_factory.mktemp("routing-refugee-dates"))
    return load_directory(base=folder, use_env=False)


def not_bound_sentence(code: str, name: str) -> str:
    """What a step or warning citing art. 33 adds for ``code``, as ``CUBA_NOT_BOUND`` for Cuba."""
    return CUBA_NOT_BOUND.replace("CU (Cuba)", f"{code} ({name})")


def told_where(result: dict[str, Any]) -> tuple[set[str], set[str]]:
    """Where a plan says a state is not a party to the refugee instruments (``plan`` for its own
    warnings, else the steps' purposes), and the sentences it says."""
    where = {"plan"} if not_bound(result["warnings"]) else set()
    for step in result["steps"]:
        if not_bound([*step["warnings"], *step["notes"]]):
            where.add(step["purpose"])
    return where, set(not_bound(everything_said(result)))


@pytest.mark.parametrize(
    ("instrument", "deposited", "bound_from"),
    [
        # Denmark's ratification, the first, and Australia's accession, the sixth: the
        # Convention entered into force for both on 1954-04-22 (art. 43(1)).
        ("convention", date(1952, 12, 4), date(1954, 4, 22)),
        ("convention", date(1954, 1, 22), date(1954, 4, 22)),
        # The United Kingdom's ratification, after the sixth: the ninetieth day (art. 43(2)).
        ("convention", date(1954, 3, 11), date(1954, 6, 9)),
        # The Central African Republic's accession, before the sixth: the Protocol entered
        # into force on 1967-10-04 (art. VIII(1)); the United States', after it: that day
        # (art. VIII(2)).
        ("protocol", date(1967, 8, 30), date(1967, 10, 4)),
        ("protocol", date(1968, 11, 1), date(1968, 11, 1)),
    ],
)
def test_a_refugee_instrument_binds_a_party_from_its_entry_into_force_for_it(
    instrument: RefugeeInstrument, deposited: date, bound_from: date
) -> None:
    """The first day each instrument binds a party, from the day it deposited its instrument:
    never before the instrument's own entry into force."""
    status = RefugeeTreatyStatus(party="yes", sources=(), date=deposited)
    assert status.binding_from(instrument) == bound_from
    assert status.party_on(instrument, bound_from - timedelta(days=1)) == "no"
    assert status.party_on(instrument, bound_from) == "yes"
    assert RefugeeTreatyStatus(party="yes", sources=()).binding_from(instrument) is None


@pytest.mark.parametrize(
    ("acting", "name", "aboard", "at", "bound"),
    [
        # Deposited on 1993-09-15: the Convention binds it from the ninetieth day after.
        ("BS", "Bahamas", "CU", "1993-09-15T12:00:00-04:00", False),
        ("BS", "Bahamas", "CU", "1993-12-13T12:00:00-05:00", False),
        ("BS", "Bahamas", "CU", "1993-12-14T12:00:00-05:00", True),
        # Both deposited on 1984-09-25: the Protocol binds it from that day.
        ("HT", "Haiti", "CU", "1984-09-24T12:00:00-04:00", False),
        ("HT", "Haiti", "CU", "1984-09-25T12:00:00-04:00", True),
        # The Protocol deposited on 1980-10-30: on the acting state's calendar, whatever the
        # UTC date (already 30 October at 23:30 in Kingston on the 29th).
        ("JM", "Jamaica", "HT", "1980-10-29T23:30:00-05:00", False),
        ("JM", "Jamaica", "HT", "1980-10-30T00:30:00-05:00", True),
    ],
    ids=[
        "BS deposit day",
        "BS day 89",
        "BS day 90",
        "HT day before",
        "HT deposit day",
        "JM day before (local)",
        "JM deposit day (local)",
    ],
)
def test_a_party_is_told_what_binds_it_as_a_non_party_before_its_instrument_binds_it(
    dated: Directory, acting: str, name: str, aboard: str, at: str, bound: bool
) -> None:
    """A plan for a past moment (a review, a training case) read the refugee instruments as
    recorded today: a Bahamian patrol landing Cuban asylum seekers in Cuba in 1992, a year
    before the Bahamas acceded, was said to be bound by art. 33. Before the day an instrument
    binds a party (the ninetieth day after its deposit for the Convention, art. 43(2); the day
    of its deposit for the Protocol, art. VIII(2)), the state is worded as a party to neither:
    the customary prohibition binds it; from that day, as a party. Every place that cites art.
    33 says it: the refoulement warning and R9's referral when it lands them in their own
    country, R7's consent warning, R9 and R13's safeguard when it lands them at home."""
    sentence = not_bound_sentence(acting, name)
    common: dict[str, Any] = {
        "zone": "high-seas", "stateless": True, "acting": acting, "nationalities": [aboard],
        "conditions": ["asylum"], "at": datetime.fromisoformat(at),
    }  # fmt: skip
    home = plan(dated, **common, disembark=aboard)
    landed = plan(dated, **common, disembark=acting, return_considered=True)
    if bound:
        assert told_where(home) == (set(), set())
        assert told_where(landed) == (set(), set())
    else:
        assert told_where(home) == ({"plan", "protection-referral"}, {sentence})
        assert told_where(landed) == (
            {"consular-access", "protection-referral", "repatriation"},
            {sentence},
        )


@pytest.mark.parametrize(
    ("at", "bound"),
    [("1993-12-13T12:00:00-05:00", False), ("1993-12-14T12:00:00-05:00", True)],
    ids=["day 89", "day 90"],
)
def test_a_landing_state_is_read_on_the_plans_day_too(
    dated: Directory, at: str, bound: bool
) -> None:
    """A U.S. cutter, bound by the Protocol since 1968, lands Cuban asylum seekers in the
    Bahamas, a party to the Convention alone since its deposit of 1993-09-15: until the
    Convention binds the Bahamas, the steps that cite art. 33 say what binds it instead."""
    result = plan(
        dated, zone="high-seas", stateless=True, acting="US", disembark="BS",
        nationalities=["CU"], conditions=["asylum"], at=datetime.fromisoformat(at),
    )  # fmt: skip
    _, said = told_where(result)
    assert said == (set() if bound else {not_bound_sentence("BS", "Bahamas")})


def test_a_party_whose_deposit_is_not_recorded_is_a_party_on_any_day(directory: Directory) -> None:
    """Haiti's deposits are not recorded in the fixture: a plan for 1975 reads it as a party,
    as a plan for today does; Cuba, a party to neither, is worded as such then too."""
    for acting, aboard, says in (("HT", "CU", []), ("CU", "HT", [CUBA_NOT_BOUND])):
        result = plan(
            directory, zone="high-seas", stateless=True, acting=acting, disembark=aboard,
            nationalities=[aboard], conditions=["asylum"],
            at=datetime.fromisoformat("1975-06-01T12:00:00-05:00"),
        )  # fmt: skip
        assert not_bound(result["warnings"]) == says


@pytest.mark.parametrize(
    ("at", "says"),
    [("1993-09-14T12:00-04:00", True), ("1993-09-15T12:00-04:00", False)],
    ids=["day before its accession", "day of its accession"],
)
def test_the_shipped_directory_reads_the_bahamas_accession_on_the_plans_day(
    capsys: pytest.CaptureFixture[str], at: str, says: bool
) -> None:
    """On the shipped data: the Bahamas acceded to the Convention and the Protocol on
    1993-09-15. A Bahamian patrol landing Cuban asylum seekers in Cuba the day before is told
    that the customary prohibition binds it; on that day the Protocol binds it (art. VIII(2)),
    and with it art. 33 (art. I(1))."""
    result = run(
        capsys, "contact", "--stateless", "--zone", "high-seas", "--as", "BS",
        "--disembark", "CU", "--nationality", "CU", "--asylum", "--at", at, "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    said = set(not_bound(everything_said(json.loads(result.stdout))))
    assert said == ({not_bound_sentence("BS", "Bahamas")} if says else set())


# Stateless persons landed with nationals in the nationals' own country ----------------------


def test_stateless_victims_landed_with_nationals_at_home_are_not_told_of_a_nationality(
    directory: Directory,
) -> None:
    """A U.S. cutter lands Haitians and stateless persons in Haiti, with signs of trafficking.
    The landing is the Haitians' return, so the landing step carried the victims' safeguard
    before a return (Trafficking in Persons Protocol art. 8): "their nationality is verified",
    presuming a nationality for the stateless victims landed with them. Art. 8 binds a state
    towards a stateless victim only as the state where the victim had the right of permanent
    residence (art. 8(1), (3), (4)): the warning now says both, and the basis, which applies
    to the Haitians, is unchanged."""
    facts: dict[str, Any] = {
        "stateless": True, "zone": "high-seas", "acting": "US", "disembark": "HT",
        "nationalities": ["HT"], "conditions": ["trafficking"],
    }  # fmt: skip
    [landing] = steps(plan(directory, **facts, stateless_persons=True), "disembarkation")
    [victims] = [w for w in landing["warnings"] if w.startswith("Victims of trafficking")]
    assert "Nationals landed in their own country: their nationality is verified" in victims
    assert "Stateless victims landed with them have no state of nationality" in victims
    assert "right of permanent residence in HT" in victims
    assert "Trafficking in Persons Protocol art. 8(1), (3), (4)" in victims
    assert "Trafficking in Persons Protocol art. 8" in landing["basis"]
    # Haitians alone keep the nationals' wording, and the same basis.
    [alone] = steps(plan(directory, **facts), "disembarkation")
    [victims] = [w for w in alone["warnings"] if w.startswith("Victims of trafficking")]
    assert "their nationality is verified" in victims
    assert "stateless" not in victims.lower()
    assert "Trafficking in Persons Protocol art. 8" in alone["basis"]


def test_the_return_of_stateless_persons_landed_where_they_may_live_is_only_for_those_who_do_not(
    directory: Directory,
) -> None:
    """The same landing, return considered: the stateless persons' return step asked Haiti's
    migration authority to return them onward, as if none of them could live in Haiti, where
    the Haitians landed with them are at home. For those with the right of permanent residence
    there, the landing is their return and nothing onward is asked. The step stays, for those
    without that right (its screening and its safeguards protect them), and says so; the JSON
    keeps its shape."""
    facts: dict[str, Any] = {
        "stateless": True, "zone": "high-seas", "acting": "US", "disembark": "HT",
        "nationalities": ["HT"], "stateless_persons": True, "return_considered": True,
    }  # fmt: skip
    [stateless] = [
        s for s in steps(plan(directory, **facts), "repatriation") if s["nationality"] is None
    ]
    assert (stateless["state"], stateless["action"]) == ("HT", "request")
    [note] = [n for n in stateless["notes"] if "may have lived in HT" in n]
    assert "the landing is their return and no return onward is asked" in note
    assert "this step is for those without it" in note
    # With asylum claimed it still waits for the claims, and still says so.
    [waiting] = [
        s
        for s in steps(plan(directory, **facts, conditions=["asylum"]), "repatriation")
        if s["nationality"] is None
    ]
    assert waiting["deferred"]
    assert any("may have lived in HT" in n for n in waiting["notes"])
    # Landed in The Bahamas, where nobody aboard is at home, the step says nothing of it.
    [abroad] = [
        s
        for s in steps(plan(directory, **{**facts, "disembark": "BS"}), "repatriation")
        if s["nationality"] is None
    ]
    assert not any("may have lived" in n for n in abroad["notes"])
    # Found in Haiti's waters, those who live there have not left it: nothing is a return.
    [home] = [
        s
        for s in steps(
            plan(directory, **{**facts, "zone": "territorial", "coastal": "HT"}), "repatriation"
        )
        if s["nationality"] is None
    ]
    [note] = [n for n in home["notes"] if "may live in HT" in n]
    assert "have not left it and no return onward is asked" in note
    assert "the landing is their return" not in note


def said_anywhere(result: dict[str, Any]) -> str:
    """Everything the plan says, its warnings and each step's notes and warnings, as one text."""
    texts = [*result["warnings"]]
    for step in result["steps"]:
        texts += [*step["notes"], *step["warnings"]]
    return "\n".join(texts)


@pytest.mark.parametrize(
    "facts",
    [
        # A Cayman patrol stops Turks and Caicos Islanders and stateless persons in their
        # waters, landed there or in the Cayman Islands; a Royal Navy ship lands them there.
        dict(flag="GB", zone="territorial", coastal="TC", acting="KY", nationalities=["TC"]),
        dict(
            flag="GB", zone="territorial", coastal="TC", acting="KY", disembark="KY",
            nationalities=["TC"],
        ),
        dict(flag="GB", zone="high-seas", acting="GB", disembark="TC", nationalities=["TC"]),
    ],
)  # fmt: skip
def test_where_stateless_persons_may_have_lived_is_named_as_one_place_and_its_state(
    directory: Directory, facts: dict[str, Any]
) -> None:
    """The plan's warning said the stateless persons aboard "may have lived in TC", R9's
    warning in the same plan "may have lived in GB ... their claims are against it". Where they
    lived is a place, the Turks and Caicos Islands, each time; the state their claims are
    against is the United Kingdom, named with the place: "GB (through its territory TC)"."""
    said = said_anywhere(plan(directory, **facts, stateless_persons=True, conditions=["asylum"]))
    assert set(re.findall(r"may have lived in (\w+)", said)) == {"TC"}, said
    assert "their claims are against GB (through its territory TC) as well" in said


def test_the_state_stateless_persons_may_flee_is_named_with_the_place_they_lived(
    directory: Directory,
) -> None:
    """Stateless persons alone, stopped by a Cayman patrol in the Turks and Caicos Islands'
    waters, asylum claimed: the steps to the Turks and Caicos Islands said "TC may be the
    country ... they lived in and flee", and the plan's warning "the protection claimed may be
    against TC": a state is meant, the United Kingdom, through its territory. Landed in the
    Cayman Islands, R9 said "KY, which would screen them, may be the country they lived in
    and flee": so too."""
    said = said_anywhere(
        plan(
            directory, flag="GB", zone="territorial", coastal="TC", acting="KY",
            stateless_persons=True, conditions=["asylum"],
        )
    )  # fmt: skip
    assert "Deferred: GB (through its territory TC) may be the country the stateless" in said
    assert "may be against GB (through its territory TC)." in said
    assert not re.search(r"\b(TC|KY)(, where they would be landed,| may be the country)", said)
    landed = said_anywhere(
        plan(
            directory, flag="GB", zone="territorial", coastal="TC", acting="KY",
            disembark="KY", stateless_persons=True, conditions=["asylum"],
        )
    )  # fmt: skip
    assert "GB (through its territory KY), which would screen them, may be the country" in landed
    assert "may be against GB (through its territory TC)." in landed
    assert not re.search(r"\b(TC|KY)(, where they would be landed,|, which would screen)", landed)
    # Screened by the Cayman Islands and landed in the Turks and Caicos Islands: screened as the
    # United Kingdom, never "through its territory KY" as where they may have lived and flee.
    handed = said_anywhere(
        plan(
            directory, flag="GB", zone="high-seas", acting="KY", disembark="TC",
            stateless_persons=True, conditions=["asylum"],
        )
    )  # fmt: skip
    assert "GB, which would screen them, may be the country they lived in and flee" in handed
    assert "GB (through its territory TC), where they would be landed, may be the" in handed
    assert "through its territory KY" not in handed


@pytest.mark.parametrize("stateless_persons", [False, True])
def test_a_landing_in_another_territory_of_the_same_state_keeps_its_safeguards_without_art_8(
    directory: Directory, stateless_persons: bool
) -> None:
    """A Cayman patrol lands Turks and Caicos Islanders (and stateless persons with them) in
    the Turks and Caicos Islands, with signs of trafficking: the landing step cited
    Trafficking in Persons Protocol art. 8, on the return of victims to another state, and
    said their nationality is verified. Both territories are the United Kingdom's: nobody is
    repatriated to another state (art. 8 is owed between states), as R13 already says of a
    return between two territories. The victims are owed their safety in its territory
    (art. 6(5)), in the landing step's warning and basis alike."""
    [landing] = steps(
        plan(
            directory, flag="GB", zone="high-seas", acting="KY", disembark="TC",
            nationalities=["TC"], stateless_persons=stateless_persons,
            conditions=["trafficking"],
        ),
        "disembarkation",
    )  # fmt: skip
    [victims] = [w for w in landing["warnings"] if w.startswith("Victims of trafficking")]
    assert "art. 8" not in victims and "nationality is verified" not in victims
    assert "Trafficking in Persons Protocol art. 6(5)" in victims
    assert "Trafficking in Persons Protocol art. 8" not in landing["basis"]
    assert "Trafficking in Persons Protocol art. 6(5)" in landing["basis"]


# Children and victims in the care of the state they may flee ---------------------------------


def test_the_acting_states_care_note_speaks_of_the_stateless_persons_and_names_the_landing(
    directory: Directory,
) -> None:
    """The acting state's care note said "people aboard would be landed in their own country"
    when stateless persons, who have none, are landed with them (a U.S. cutter landing
    Haitians and stateless persons in Haiti); and, nobody's nationality known, "(for its
    nationals, ...)" with no state for "its" (a Cayman patrol landing them in the Turks and
    Caicos Islands). The note speaks of the stateless persons, and names the landing state."""

    def note(**facts: Any) -> str:
        result = plan(directory, conditions=["asylum", "minors"], **facts)
        [care] = [s for s in steps(result, "child-protection") if s["state"] == facts["acting"]]
        [text] = care["notes"]
        return str(text)

    haitians: dict[str, Any] = dict(
        flag="HT", zone="high-seas", acting="US", disembark="HT", nationalities=["HT"]
    )
    assert note(**haitians) == (
        "Asylum is claimed and people aboard would be landed in their own country: until the "
        "claims are decided they are in the acting state's care, and its authority takes them "
        "in charge now."
    )
    assert note(**haitians, stateless_persons=True) == (
        "Asylum is claimed and people aboard would be landed in their own country, the "
        "stateless persons aboard where they may have lived: until the claims are decided they "
        "are all in the acting state's care, and its authority takes them in charge now."
    )
    for acting, landing, named in (
        ("KY", "TC", "GB (through its territory TC)"),
        ("US", "CU", "CU"),
    ):
        assert note(
            flag=landing, zone="territorial", coastal=landing, acting=acting, disembark=landing
        ) == (
            "Asylum is claimed, the nationalities aboard are not known, and people aboard "
            f"would be landed in {named}, which may be their own country: until the "
            "nationalities are established, and for those who prove to be its nationals until "
            "the claims are decided, they are in the acting state's care, and its authority "
            "takes them in charge now."
        ), landing


def test_the_acting_states_own_prosecutors_are_not_told_the_claims_of_its_nationals(
    directory: Directory,
) -> None:
    """Cuba's coast guard stops Cubans who claim asylum, with smugglers aboard: its own
    prosecutors investigate (a request, its jurisdiction), but the protection claimed may be
    against Cuba, so the claims and what the claimants said stay out of what they are told.
    Landed anywhere: in The Bahamas or, screened first, in Cuba."""
    warning = (
        "Asylum is claimed and the protection claimed aboard may be against CU, whose "
        "prosecutors this step asks: it investigates the smugglers all the same, but share "
        "with them what concerns the vessel and the smugglers only, never who claimed asylum, "
        "their claims or what they said in them (see the protection-referral steps)."
    )
    for landing in ("BS", "CU"):
        result = plan(
            directory, flag="CU", zone="high-seas", acting="CU", disembark=landing,
            nationalities=["CU"], conditions=["asylum", "smugglers"],
        )  # fmt: skip
        [own] = steps(result, "investigation")
        assert (own["state"], own["action"], own["deferred"]) == ("CU", "request", False)
        assert own["warnings"] == [warning], (landing, own["warnings"])
        assert own["basis"] == ["SOM Protocol art. 6", "UNTOC art. 15"], landing
    # No claim, or claimants who are not its nationals: nothing to keep from it.
    for nationalities, conditions in ((["CU"], ["smugglers"]), (["HT"], ["asylum", "smugglers"])):
        result = plan(
            directory, flag="CU", zone="high-seas", acting="CU", disembark="BS",
            nationalities=nationalities, conditions=conditions,
        )  # fmt: skip
        [own] = steps(result, "investigation")
        assert not own["warnings"], (nationalities, conditions)


def test_the_acting_states_own_anti_corruption_agency_is_not_told_the_claims(
    directory: Directory,
) -> None:
    """Cuba's coast guard lands Cubans who claim asylum in Cuba, with corruption suspected:
    R14 asks Cuba's own anti-corruption agency (a request, as before), but the protection
    claimed may be against Cuba, so the claims stay out of what it is told, as with its
    prosecutors (R12). So too with nobody's nationality known, found off Cuba and landed
    there by Cuba."""
    warning = (
        "Asylum is claimed and the protection claimed aboard may be against CU, whose "
        "anti-corruption agency this step asks: it looks into the corruption all the same, but "
        "share with it what concerns the vessel, the smugglers and the officials involved only, "
        "never who claimed asylum, their claims or what they said in them (see the "
        "protection-referral steps)."
    )
    for zone, coastal, nationalities in (
        ("high-seas", None, ["CU"]),
        ("territorial", "CU", []),
    ):
        result = plan(
            directory, flag="CU", zone=zone, coastal=coastal, acting="CU", disembark="CU",
            nationalities=nationalities, conditions=["asylum", "corruption"],
        )  # fmt: skip
        [own] = steps(result, "anti-corruption")
        assert (own["state"], own["action"], own["deferred"]) == ("CU", "request", False)
        assert warning in own["warnings"], (nationalities, own["warnings"])
        assert own["basis"] == ["UNCAC", "UNTOC art. 9"], nationalities
    # No claim, claimants who are not its nationals, or another state's agency (landed in The
    # Bahamas): nothing to keep from it here.
    for landing, nationalities, conditions in (
        ("CU", ["CU"], ["corruption"]),
        ("CU", ["HT"], ["asylum", "corruption"]),
        ("BS", ["CU"], ["asylum", "corruption"]),
    ):
        result = plan(
            directory, flag="CU", zone="high-seas", acting="CU", disembark=landing,
            nationalities=nationalities, conditions=conditions,
        )  # fmt: skip
        [step] = steps(result, "anti-corruption")
        assert not any("anti-corruption agency this step asks" in w for w in step["warnings"]), (
            landing, nationalities, conditions,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("condition", "purpose", "law"),
    [
        ("minors", "child-protection", "CRC arts. 20, 22"),
        ("unaccompanied", "child-protection", "CRC arts. 20, 22"),
        ("trafficking", "trafficking-victim-referral", "Trafficking in Persons Protocol art. 6"),
    ],
)
def test_children_and_victims_in_the_care_of_the_state_they_may_flee_are_spoken_of(
    directory: Directory, condition: str, purpose: str, law: str
) -> None:
    """Cuba's coast guard lands Cubans and stateless persons in Cuba, asylum claimed: R9 warns
    that the protection claimed is against the state that screens them, but the children (the
    victims) went to Cuba's own child-protection (anti-trafficking) authority with no word of
    it. Care ashore is still owed (CRC arts. 20, 22; Trafficking in Persons Protocol art. 6),
    so the step stays a request now, with its basis; it now says that the claims are not for
    that state to decide alone, and what its authority is told: what they need, not what they
    claimed."""
    facts: dict[str, Any] = {
        "stateless": True, "zone": "high-seas", "acting": "CU", "nationalities": ["CU"],
        "stateless_persons": True,
    }  # fmt: skip
    result = plan(directory, **facts, conditions=["asylum", condition])
    [step] = steps(result, purpose)
    assert (step["state"], step["action"], step["deferred"]) == ("CU", "request", False)
    [flee] = [w for w in step["warnings"] if "may be against" in w]
    assert "The protection claimed aboard may be against CU," in flee
    assert law in flee and "UNHCR" in flee
    assert "not for CU to decide alone" in flee
    assert "never what they claimed or said" in flee
    plain = plan(directory, **facts, conditions=[condition])
    [before] = steps(plain, purpose)
    assert step["basis"] == before["basis"]
    # Without asylum nothing is claimed against anyone.
    assert not any("may be against" in w for w in before["warnings"])
    # Stateless persons alone, found off Cuba and landed there by its coast guard: Cuba may be
    # the country they lived in and flee.
    alone = plan(
        directory, stateless=True, zone="territorial", coastal="CU", acting="CU",
        stateless_persons=True, conditions=["asylum", condition],
    )  # fmt: skip
    [step] = steps(alone, purpose)
    assert any("may be against CU" in w for w in step["warnings"]), step
    # A U.S. cutter landing Cubans in Cuba takes them in its own care: nobody flees it.
    us = plan(
        directory, stateless=True, zone="high-seas", acting="US", disembark="CU",
        nationalities=["CU"], conditions=["asylum", condition],
    )  # fmt: skip
    for s in steps(us, purpose):
        assert not any("may be against" in w for w in s["warnings"]), s
    # A Cayman patrol landing Caymanians in the Turks and Caicos Islands keeps them in its own
    # care, the United Kingdom's, which they may flee; the Turks and Caicos' referral waits.
    cayman = plan(
        directory, flag="GB", zone="high-seas", acting="KY", disembark="TC",
        nationalities=["KY"], conditions=["asylum", condition],
    )  # fmt: skip
    [now] = [s for s in steps(cayman, purpose) if not s["deferred"]]
    assert now["state"] == "KY"
    assert any("may be against GB," in w for w in now["warnings"]), now
    # Nobody's nationality known, found in the Turks and Caicos Islands' waters and landed in
    # the Cayman Islands by its patrol: they may come from the United Kingdom, through the
    # Turks and Caicos Islands, not through the Cayman Islands, whose authority has them.
    found = plan(
        directory, flag="GB", zone="territorial", coastal="TC", acting="KY", disembark="KY",
        conditions=["asylum", condition],
    )  # fmt: skip
    [now] = steps(found, purpose)
    [flee] = [w for w in now["warnings"] if "may be against" in w]
    assert "may be against GB," in flee and "territory KY" not in flee


def test_the_stateless_persons_return_waits_as_a_return_to_where_they_may_have_lived(
    directory: Directory,
) -> None:
    """A U.S. cutter lands Haitians and stateless persons in Haiti, asylum claimed, a return
    considered: the stateless persons' return step was deferred because "HT is a country of
    nationality of people aboard", which is not what makes it wait for them, who have no
    nationality. It waits because Haiti may be the country they lived in and flee, as the
    step's own note says they may have lived there."""
    result = plan(
        directory, stateless=True, zone="high-seas", acting="US", disembark="HT",
        nationalities=["HT"], stateless_persons=True, conditions=["asylum"],
        return_considered=True,
    )  # fmt: skip
    [stateless] = [
        s for s in steps(result, "repatriation") if "Return of stateless persons." in s["notes"]
    ]
    assert stateless["deferred"] and stateless["state"] == "HT"
    [deferred] = [w for w in stateless["warnings"] if w.startswith("Deferred:")]
    assert deferred.startswith(
        "Deferred: HT may be the country the stateless persons aboard lived in and flee."
    )
    assert "country of nationality" not in deferred
    # The landing, which concerns the Haitians too, still waits for Haiti as their country of
    # nationality.
    [landing] = steps(result, "disembarkation")
    assert any("HT is a country of nationality of people aboard" in w for w in landing["warnings"])
    # Landed with Haitians in The Bahamas, where nobody aboard is at home, their return is
    # asked of it now, after screening, as before.
    bahamas = plan(
        directory, stateless=True, zone="high-seas", acting="US", disembark="BS",
        nationalities=["HT"], stateless_persons=True, conditions=["asylum"],
        return_considered=True,
    )  # fmt: skip
    [stateless] = [
        s for s in steps(bahamas, "repatriation") if "Return of stateless persons." in s["notes"]
    ]
    assert (stateless["state"], stateless["deferred"]) == ("BS", False)
    assert not any(w.startswith("Deferred:") for w in stateless["warnings"])


def test_with_nobodys_nationality_known_the_warnings_name_the_state_through_its_territory(
    directory: Directory,
) -> None:
    """Nobody's nationality known, asylum claimed, landed in the Turks and Caicos Islands
    where they were found off: the plan's warning said "TC (Turks and Caicos Islands) may be
    their own country", a territory as a country, where the stateless persons' warning names
    "GB (through its territory TC)"; and it said "TC holds them" when a Royal Navy ship
    holds them. The at-home warning said "KY holds them" of a Cayman patrol, where R9 names
    the state that screens them, GB. The state is named as answering_state names it, and who
    holds them is the acting state, named so too."""
    off_tc = plan(
        directory, flag="GB", zone="eez", coastal="TC", acting="GB", disembark="TC",
        conditions=["asylum"],
    )  # fmt: skip
    [warning] = home_warnings(off_tc)
    assert "not known: GB (through its territory TC), where this plan would land them" in warning
    assert "TC (Turks and Caicos Islands), where" not in warning
    assert "GB holds them" in warning and "TC holds them" not in warning
    # A Cayman patrol landing them in the Cayman Islands, where it found them off.
    off_ky = plan(
        directory, flag="GB", zone="eez", coastal="KY", acting="KY", disembark="KY",
        conditions=["asylum"],
    )  # fmt: skip
    [warning] = home_warnings(off_ky)
    assert "GB (through its territory KY), where this plan would land them" in warning
    assert "GB (through its territory KY) holds them" in warning
    # Stateless persons alike: the place they lived was named through its state already.
    stateless = plan(
        directory, flag="GB", zone="eez", coastal="KY", acting="KY", disembark="KY",
        stateless_persons=True, conditions=["asylum"],
    )  # fmt: skip
    [warning] = home_warnings(stateless)
    assert "GB (through its territory KY) holds them" in warning
    assert "KY holds them" not in warning.replace("territory KY) holds", "")
    # Found in the Turks and Caicos Islands' waters, landed in the Cayman Islands by its
    # patrol: the at-home warning names the state that holds them as R9 names it, GB.
    found_at_home = plan(
        directory, flag="GB", zone="territorial", coastal="TC", acting="KY", disembark="KY",
        conditions=["asylum"],
    )  # fmt: skip
    [warning] = home_warnings(found_at_home)
    assert "GB (through its territory KY) holds them" in warning
    [authority, _unhcr] = steps(found_at_home, "protection-referral")
    assert any("GB, which would screen them" in w for w in authority["warnings"])
    # Caymanians found at home: so too.
    caymanians = plan(
        directory, flag="GB", zone="territorial", coastal="KY", acting="KY", disembark="KY",
        nationalities=["KY"], conditions=["asylum"],
    )  # fmt: skip
    [warning] = home_warnings(caymanians)
    assert "GB (through its territory KY) holds them" in warning
    # A sovereign state holding them is named alone, as before.
    held = plan(
        directory, stateless=True, zone="territorial", coastal="PR", acting="US",
        disembark="PR", nationalities=["US"], conditions=["asylum"],
    )  # fmt: skip
    [warning] = home_warnings(held)
    assert "US holds them" in warning


def claims_warnings(step: dict[str, Any]) -> list[str]:
    """A step's warnings about the asylum claims (not those about the directory)."""
    return [w for w in step["warnings"] if "asylum" in w]


def test_a_sister_territorys_anti_corruption_agency_is_informed_not_told_the_claims(
    directory: Directory,
) -> None:
    """A Cayman patrol lands Turks and Caicos Islanders who claim asylum in the Turks and Caicos
    Islands, corruption suspected: R14 asks the Turks and Caicos' own agency. The territory,
    under its own law, decides the landing (which waits for the claims, as in another state)
    and does not hold them: its agency is informed, to coordinate, sharing what concerns the
    vessel and the smugglers only, as another state's would be (a U.S. cutter landing
    Haitians in Haiti). It was asked, as the acting state's own agency is, where they are
    landed in its territory."""
    result = plan(
        directory, flag="KY", zone="high-seas", acting="KY", disembark="TC",
        nationalities=["TC"], conditions=["asylum", "corruption"],
    )  # fmt: skip
    [step] = steps(result, "anti-corruption")
    assert (step["state"], step["action"], step["basis"]) == (
        "TC", "inform", ["UNCAC", "UNTOC art. 9"],
    )  # fmt: skip
    assert claims_warnings(step) == [
        "GB (through its territory TC) is a country of nationality of people aboard who may "
        "claim asylum: inform it to coordinate, sharing what concerns the vessel and the "
        "smugglers only, never who claimed asylum or what they said."
    ], step["warnings"]
    # Caymanians landed there: the protection they claim may be against GB as well.
    caymanians = plan(
        directory, flag="KY", zone="high-seas", acting="KY", disembark="TC",
        nationalities=["KY"], conditions=["asylum", "corruption"],
    )  # fmt: skip
    [theirs] = steps(caymanians, "anti-corruption")
    assert theirs["action"] == "inform"
    assert any("GB (through its territory TC) is a country" in w for w in theirs["warnings"])
    # Haitians landed there: nothing to keep from the Turks and Caicos' agency.
    haitians = plan(
        directory, flag="KY", zone="high-seas", acting="KY", disembark="TC",
        nationalities=["HT"], conditions=["asylum", "corruption"],
    )  # fmt: skip
    [other] = steps(haitians, "anti-corruption")
    assert (other["action"], claims_warnings(other)) == ("request", [])
    # Landed in the Cayman Islands, which hold them: its own agency is asked, with the warning.
    held = plan(
        directory, flag="KY", zone="high-seas", acting="KY", disembark="KY",
        nationalities=["TC"], conditions=["asylum", "corruption"],
    )  # fmt: skip
    [own] = steps(held, "anti-corruption")
    assert (own["state"], own["action"]) == ("KY", "request")
    assert any("anti-corruption agency this step asks" in w for w in own["warnings"])


@pytest.mark.parametrize(("acting", "coastal"), [("KY", "TC"), ("CW", "AW")])
@pytest.mark.parametrize("landing", ["coastal", "acting"])
def test_a_sister_territorys_prosecutors_are_informed_not_told_the_claims(
    directory: Directory, acting: str, coastal: str, landing: str
) -> None:
    """A Cayman patrol stops smugglers in the Turks and Caicos Islands' waters (a Curaçao one
    in Aruba's), and the territory's people aboard claim asylum. The waters' territory, under
    its own criminal law, has jurisdiction (R12), but the protection claimed may be against
    its state, through it: its prosecutors are informed, to coordinate, sharing what concerns
    the vessel and the smugglers only, as another coastal state's would be (a U.S. cutter in
    Haiti's waters). They were asked to investigate, and told nothing of what to keep from
    them, wherever the people were landed. The acting territory's own prosecutors are still
    asked, with their warning."""
    facts: dict[str, Any] = {
        "flag": acting, "zone": "territorial", "coastal": coastal, "acting": acting,
        "disembark": coastal if landing == "coastal" else acting,
    }  # fmt: skip
    sovereign = {"TC": "GB", "AW": "NL"}[coastal]
    result = plan(directory, **facts, nationalities=[coastal], conditions=["asylum", "smugglers"])
    found = {s["state"]: s for s in steps(result, "investigation")}
    assert set(found) == {acting, coastal}, found
    theirs = found[coastal]
    assert (theirs["action"], theirs["basis"]) == (
        "inform", ["SOM Protocol art. 6", "UNTOC art. 15"],
    )  # fmt: skip
    assert claims_warnings(theirs) == [
        f"{sovereign} (through its territory {coastal}) is a country of nationality of people "
        "aboard who may claim asylum: inform it to coordinate, sharing what concerns the "
        "vessel and the smugglers only, never who claimed asylum or what they said."
    ], theirs["warnings"]
    own = found[acting]
    assert own["action"] == "request"
    assert any(f"may be against {sovereign}, whose prosecutors" in w for w in own["warnings"])
    # Without asylum, or with only foreigners claiming it, the waters' prosecutors are asked.
    plain = (([coastal], ["smugglers"]), (["HT"], ["asylum", "smugglers"]))
    for nationalities, conditions in plain:
        other = plan(directory, **facts, nationalities=nationalities, conditions=conditions)
        [asked] = [s for s in steps(other, "investigation") if s["state"] == coastal]
        assert (asked["action"], claims_warnings(asked)) == ("request", []), nationalities


def test_a_sister_territory_stateless_persons_may_flee_is_informed_of_the_offence(
    directory: Directory,
) -> None:
    """A Cayman patrol finds stateless persons who claim asylum in the Turks and Caicos
    Islands' waters and would land them there, smugglers aboard, corruption suspected: the
    Turks and Caicos Islands may be where they lived and flee. Their prosecutors and
    anti-corruption agency are informed, sharing only what concerns the vessel and the
    smugglers, as they are when nobody's nationality is known; they were asked, and told
    nothing of what to keep from them."""
    facts: dict[str, Any] = {
        "flag": "KY", "zone": "territorial", "coastal": "TC", "acting": "KY", "disembark": "TC",
        "conditions": ["asylum", "smugglers", "corruption"],
    }  # fmt: skip
    result = plan(directory, **facts, stateless_persons=True)
    unknown = plan(directory, **facts)
    for purpose in ("investigation", "anti-corruption"):
        [step] = [s for s in steps(result, purpose) if s["state"] == "TC"]
        assert step["action"] == "inform", (purpose, step)
        assert claims_warnings(step) == [
            "GB (through its territory TC) may be the country the stateless persons aboard "
            "lived in and flee: inform it to coordinate, sharing what concerns the vessel and "
            "the smugglers only, never who claimed asylum or what they said."
        ], step["warnings"]
        [same] = [s for s in steps(unknown, purpose) if s["state"] == "TC"]
        assert same["action"] == "inform", (purpose, same)


def test_a_sovereign_acting_off_its_territory_asks_the_authorities_that_serve_it_there(
    directory: Directory,
) -> None:
    """A Royal Navy ship stops smugglers in the Turks and Caicos Islands' waters, Turks and
    Caicos Islanders aboard claim asylum, corruption suspected. The territory's authorities
    answer for the sovereign where it acts (R12 asks it in one step): they are the acting
    state's own, asked to act with the warning about the claims, not informed as another
    state's would be. Only a territory's patrol acts in another jurisdiction there."""
    result = plan(
        directory, flag="KY", zone="territorial", coastal="TC", acting="GB", disembark="TC",
        nationalities=["TC"], conditions=["asylum", "smugglers", "corruption"],
    )  # fmt: skip
    [investigation] = steps(result, "investigation")
    assert (investigation["state"], investigation["action"]) == ("GB", "request")
    assert any("whose prosecutors this step asks" in w for w in investigation["warnings"])
    [corruption] = steps(result, "anti-corruption")
    assert (corruption["state"], corruption["action"]) == ("TC", "request")
    assert any(
        "may be against GB, whose anti-corruption agency this step asks" in w
        for w in corruption["warnings"]
    ), corruption["warnings"]


@pytest.mark.parametrize("acting", ["KY", "GB"])
def test_a_sister_territorys_waters_step_is_told_nothing_of_the_claims(
    directory: Directory, acting: str
) -> None:
    """A Cayman patrol (or a Royal Navy ship) in the Turks and Caicos Islands' waters, Turks
    and Caicos Islanders aboard who claim asylum, to be landed in the Cayman Islands: R2 asks
    the authorities that serve the Turks and Caicos Islands, under their own law, to act or to
    authorise what is done. The protection claimed may be against their state, through them:
    the step keeps its action, with the warning another coastal state's gets (a U.S. cutter in
    Haiti's waters), to share what concerns the vessel and the waters only. It had none."""
    facts: dict[str, Any] = {
        "flag": "KY", "zone": "territorial", "coastal": "TC", "acting": acting,
        "disembark": "KY",
    }  # fmt: skip
    result = plan(directory, **facts, nationalities=["TC"], conditions=["asylum"])
    [step] = steps(result, "coastal-state-authorization")
    assert (step["state"], step["action"], step["deferred"]) == ("TC", "request", False)
    assert claims_warnings(step) == [
        "GB (through its territory TC) is a country of nationality of people aboard who may "
        "claim asylum: share what concerns the vessel and the waters, never who is aboard or "
        "who claimed asylum."
    ], step["warnings"]
    # Haitians claiming asylum: nothing to keep from the Turks and Caicos' authorities.
    haitians = plan(directory, **facts, nationalities=["HT"], conditions=["asylum"])
    [other] = steps(haitians, "coastal-state-authorization")
    assert claims_warnings(other) == [], other["warnings"]


def test_a_sister_territorys_migration_authority_gets_no_courtesy_notice_of_its_claimants(
    directory: Directory,
) -> None:
    """A Curaçao patrol in Aruba's contiguous zone, Arubans aboard who claim asylum: R3 tells
    the authorities that serve Aruba's immigration law. The notice to its migration authority
    concerns the people and no law requires it: to another state of the claimants it waits for
    the claims, and so it does here; the notice to its maritime law enforcement stays, with
    the warning to share what concerns the vessel and the waters only. Both went out now,
    with no warning."""
    facts: dict[str, Any] = {"flag": "HT", "zone": "contiguous", "coastal": "AW", "acting": "CW"}
    result = plan(directory, **facts, nationalities=["AW"], conditions=["asylum"])
    found = {s["role"]: s for s in steps(result, "coastal-state-notification")}
    assert {r: (s["state"], s["action"], s["deferred"]) for r, s in found.items()} == {
        "maritime-law-enforcement": ("AW", "notify", False),
        "migration": ("AW", "inform", True),
    }
    assert any(
        "NL (through its territory AW) is a country of nationality of people aboard" in w
        for w in found["maritime-law-enforcement"]["warnings"]
    ), found["maritime-law-enforcement"]["warnings"]
    # Haitians claiming asylum: the courtesy stands.
    haitians = plan(directory, **facts, nationalities=["HT"], conditions=["asylum"])
    assert not any(s["deferred"] for s in steps(haitians, "coastal-state-notification"))


# Whose jurisdiction over the smuggling, and on what ground (R12) -------------------------------


def _investigation_notes(result: dict[str, Any]) -> dict[str, list[str]]:
    """Each investigation step's notes on jurisdiction, by the state it asks."""
    return {
        s["state"]: [n for n in s["notes"] if "jurisdiction" in n.lower()]
        for s in steps(result, "investigation")
    }


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        # In its own territorial sea: the offence is in its territory.
        ({"flag": "HT", "zone": "territorial", "coastal": "CU", "acting": "CU"}, "15(1)(a)"),
        # Off Puerto Rico, the sovereign's own territory.
        ({"flag": "HT", "zone": "territorial", "coastal": "PR", "acting": "US"}, "15(1)(a)"),
        # Off a territory of its own with its own law, whose authorities police its waters and
        # answer the step (a Royal Navy ship off the Turks and Caicos Islands, or the Cayman
        # Islands): they are still the sovereign's territory.
        ({"flag": "HT", "zone": "territorial", "coastal": "TC", "acting": "GB"}, "15(1)(a)"),
        ({"flag": "HT", "zone": "internal", "coastal": "KY", "acting": "GB"}, "15(1)(a)"),
        # Its own vessel (or its territory's) on the high seas: the flag.
        ({"flag": "US", "zone": "high-seas", "acting": "US"}, "15(1)(b)"),
        ({"flag": "KY", "zone": "high-seas", "acting": "GB"}, "15(1)(b)"),
        # In its own contiguous zone: the control of UNCLOS art. 33, not its territory.
        ({"flag": "HT", "zone": "contiguous", "coastal": "CU", "acting": "CU"}, "art. 33"),
    ],
)
def test_the_intercepting_states_jurisdiction_cites_the_ground_it_has(
    directory: Directory, facts: dict[str, Any], expected: str
) -> None:
    """UNTOC art. 15(1) gives a state jurisdiction over an offence in its territory (a) or
    aboard a vessel flying its flag (b); the intercepting state's step says which it has."""
    result = plan(directory, **facts, conditions=["smugglers"])
    [note] = _investigation_notes(result)[facts["acting"]]
    assert expected in note, note


@pytest.mark.parametrize(
    "facts",
    [
        {"flag": "HT", "zone": "high-seas", "acting": "US"},
        {"stateless": True, "zone": "high-seas", "acting": "US"},
        {"flag": "HT", "zone": "territorial", "coastal": "BS", "acting": "US"},
        {"flag": "HT", "zone": "contiguous", "coastal": "CU", "acting": "US"},
    ],
)
def test_an_intercepting_state_neither_territorial_nor_flag_does_not_cite_art_15_1(
    directory: Directory, facts: dict[str, Any]
) -> None:
    """A U.S. cutter stopping a Haitian (or a stateless) boat on the high seas, or in another
    state's waters, is neither the state whose territory the offence is in nor the flag state:
    art. 15(1) gives it nothing. It prosecutes under its own law as art. 15(2) and (6) allow.
    In another state's waters it acts as far as that state authorises (R2); beyond them,
    aboard a foreign vessel it takes only the measures the flag state authorises (SOM Protocol
    art. 8(2)(c)), aboard a stateless one those its law and international law allow
    (art. 8(7))."""
    result = plan(directory, **facts, conditions=["smugglers"])
    [note] = _investigation_notes(result)["US"]
    assert "(UNTOC art. 15(1))" not in note, note
    assert "neither in its territory nor aboard a vessel flying its flag" in note, note
    assert "UNTOC art. 15(2), (6)" in note, note
    measures = (
        "see the entry authorisation step, R2"
        if facts["zone"] == "territorial"
        else "art. 8(7)"
        if facts.get("stateless")
        else "art. 8(2)(c)"
    )
    assert measures in note, note


@pytest.mark.parametrize(
    ("facts", "measures"),
    [
        ({"zone": "high-seas", "acting": "US"}, "art. 8(2)(c)"),
        ({"zone": "eez", "coastal": "BS", "acting": "US"}, "art. 8(2)(c)"),
        ({"zone": "territorial", "coastal": "BS", "acting": "US"}, "entry authorisation step, R2"),
    ],
)
def test_with_the_flag_unknown_the_intercepting_state_is_not_said_to_lack_the_flag(
    directory: Directory, facts: dict[str, Any], measures: str
) -> None:
    """Neither the flag nor statelessness given: the vessel may fly the intercepting state's
    own flag (UNTOC art. 15(1)(b)), another state's, or none. Its step does not say that the
    offence is not aboard a vessel flying its flag, nor that the vessel is another state's:
    it says on what ground in each case."""
    result = plan(directory, **facts, conditions=["smugglers"])
    [note] = _investigation_notes(result)["US"]
    assert "neither in its territory nor aboard a vessel flying its flag" not in note, note
    assert note.startswith("Flag unknown"), note
    assert "UNTOC art. 15(1)(b)" in note and "UNTOC art. 15(2), (6)" in note, note
    assert measures in note, note
    if facts["zone"] != "territorial":
        assert "art. 8(7)" in note, note


@pytest.mark.parametrize("flag", ["HT", None])
@pytest.mark.parametrize("zone", ["territorial", "internal", "archipelagic"])
def test_with_the_coastal_state_unknown_its_waters_may_be_the_intercepting_states_own(
    directory: Directory, zone: str, flag: str | None
) -> None:
    """In a state's waters with the coastal state not given, they may be the intercepting
    state's own (the offence in its territory, UNTOC art. 15(1)(a)) or another's: its step
    does not say that the offence is not in its territory, nor that the waters are under
    another jurisdiction."""
    result = plan(directory, zone=zone, acting="US", flag=flag, conditions=["smugglers"])
    [note] = _investigation_notes(result)["US"]
    assert "neither in its territory" not in note, note
    assert note.startswith("Coastal state unknown"), note
    assert "UNTOC art. 15(1)(a)" in note and "15(2), (6)" in note, note
    assert "see the entry authorisation step, R2" in note, note


@pytest.mark.parametrize(
    "facts",
    [
        # Cubans claim asylum in Cuba's contiguous zone; Turks and Caicos Islanders in their
        # territory's waters; nobody's nationality known, in Cuba's territorial sea, landed
        # there. Who stops them is not given.
        {"flag": "CU", "zone": "contiguous", "coastal": "CU", "nationalities": ["CU"]},
        {"flag": "HT", "zone": "territorial", "coastal": "TC", "nationalities": ["TC"]},
        {"flag": "CU", "zone": "territorial", "coastal": "CU"},
    ],
)
def test_with_the_acting_state_unknown_a_coastal_state_only_informed_leaves_the_request(
    directory: Directory, facts: dict[str, Any]
) -> None:
    """Smugglers aboard, asylum claimed, the acting state not given: the coastal state, which
    the claims may be against, is only informed of the offence (to coordinate), and the plan
    asked nobody to investigate. The acting state's own request stays, unresolved, as it does
    with no state given: an informed coastal state does not replace it, as the flag state's
    notice does not."""
    result = plan(directory, **facts, conditions=["asylum", "smugglers"])
    investigation = steps(result, "investigation")
    requests = [(s["state"], s["resolved"]) for s in investigation if s["action"] == "request"]
    assert requests == [(None, False)], investigation
    [coastal] = [s for s in investigation if s["state"] == facts["coastal"]]
    assert coastal["action"] == "inform"
    # Told nothing of the claims, the coastal state is asked to investigate as before.
    plain = steps(plan(directory, **facts, conditions=["smugglers"]), "investigation")
    assert [(s["state"], s["action"]) for s in plain if s["action"] == "request"] == [
        (facts["coastal"], "request")
    ]


def test_the_coastal_states_jurisdiction_in_its_contiguous_zone_is_art_33(
    directory: Directory,
) -> None:
    """The contiguous zone is not the coastal state's territory (UNTOC art. 15(1)(a) does not
    reach it): there it has the control needed to prevent and punish infringements of its
    immigration laws in its territory or territorial sea (UNCLOS art. 33(1)). In its
    territorial sea the offence is in its territory."""
    facts: dict[str, Any] = {"flag": "HT", "coastal": "CU", "acting": "US"}
    contiguous = plan(directory, **facts, zone="contiguous", conditions=["smugglers"])
    [note] = _investigation_notes(contiguous)["CU"]
    assert "15(1)(a)" not in note and "over its waters" not in note, note
    assert "UNCLOS art. 33(1)" in note, note
    territorial = plan(directory, **facts, zone="territorial", conditions=["smugglers"])
    [note] = _investigation_notes(territorial)["CU"]
    assert "UNTOC art. 15(1)(a)" in note, note


# A plan with no step ------------------------------------------------------------------------------


def test_a_plan_with_no_step_says_why_from_the_facts(directory: Directory) -> None:
    """Everyone aboard a national of the acting state, aboard its own vessel, landed at home:
    no step is owed, and an empty call list must not read as a failure."""
    result = plan(
        directory,
        flag="US",
        zone="high-seas",
        acting="US",
        nationalities=["US"],
        return_considered=True,
    )
    assert result["steps"] == []
    notes = {n["rule"]: n for n in result["notes"]}
    assert sorted(notes) == ["R13", "R4", "R9"]
    assert notes["R4"]["text"] == (
        "The vessel flies the acting state's own flag (US): no flag state to ask."
    )
    assert notes["R4"]["basis"] == ["UNCLOS art. 92"]
    assert notes["R9"]["text"].startswith(
        "Everyone aboard is a national of US, the acting state, landed in its own territory "
        "(US): no consular access, protection referral or landing request is owed."
    )
    assert "asylum" in notes["R9"]["text"]
    assert notes["R13"]["text"] == (
        "Return considered: landing them at home, in US, is their return; no other state is "
        "asked to take them back."
    )
    assert notes["R13"]["basis"] == ["ICCPR art. 12(4)"]
    # In the acting state's own waters, too; the note on the return only when it is considered.
    home = plan(
        directory, flag="US", zone="territorial", coastal="PR", acting="US", nationalities=["US"]
    )
    assert home["steps"] == []
    assert sorted(n["rule"] for n in home["notes"]) == ["R4", "R9"]
    assert "landed in its own territory (PR)" in home["notes"][-1]["text"]
    # A plan with steps gets none of these notes.
    busy = plan(
        directory,
        flag="US",
        zone="high-seas",
        acting="US",
        nationalities=["US"],
        return_considered=True,
        conditions=["distress"],
    )
    assert busy["steps"] and busy["notes"] == []


def test_a_plan_empty_under_another_rule_table_is_given_no_reason_of_r1_r15(
    directory: Directory,
) -> None:
    """The reasons an empty plan gives are R1-R15's: a rule table without them (a caller's
    own, or a part of R1-R15) leaves a plan empty for its own reasons, and the plan does not
    cite rules that were not applied."""
    from somnet.routing.rules import RULES

    facts = make_interception(
        flag="US",
        zone="high-seas",
        acting="US",
        nationalities=["US"],
        return_considered=True,
        at=datetime.fromisoformat(AT),
    )
    assert [n.rule for n in plan_contacts(directory, facts).notes] == ["R4", "R9", "R13"]
    for table in ((), tuple(r for r in RULES if r.id == "R1"), RULES[:-1]):
        result = plan_contacts(directory, facts, rules=table)
        assert result.steps == () and result.notes == (), [r.id for r in table]


@pytest.mark.parametrize("zone", ["territorial", "internal", "archipelagic"])
def test_with_the_acting_state_unknown_a_flagged_vessel_in_a_states_waters_is_told_whose_consent(
    directory: Directory, zone: str
) -> None:
    """R2 asks for the coastal state's authorisation only with the acting state known; with it
    unknown, R3, R4 and R15 still plan, and the plan must still say that any other state acts
    in those waters only with the coastal state's authorisation."""
    result = plan(directory, flag="HT", zone=zone, coastal="BS", nationalities=["HT"])
    assert steps(result, "coastal-state-authorization") == []
    [note] = [n for n in result["notes"] if n["rule"] == "R2"]
    assert note["text"] == (
        "Acting state unknown, in BS's waters: any other state boards, searches or detains the "
        "vessel there only with BS's authorisation (its maritime law enforcement); none is "
        "needed if BS is the acting state itself."
    )
    assert note["basis"] == ["UNCLOS arts. 2, 49", "SOM Protocol art. 7"]
    # Whose waters unknown, too.
    unnamed = plan(directory, flag="HT", zone="territorial", nationalities=["HT"])
    [note] = [n for n in unnamed["notes"] if n["rule"] == "R2"]
    assert note["text"].startswith("Acting state unknown, in the coastal state's waters: ")
    # With the acting state known, the step asks instead; a stateless vessel's note (R5)
    # says it already.
    known = plan(directory, flag="HT", zone=zone, coastal="BS", acting="US", nationalities=["HT"])
    assert not [n for n in known["notes"] if n["rule"] == "R2"]
    stateless = plan(directory, stateless=True, zone=zone, coastal="BS", nationalities=["HT"])
    assert [n["rule"] for n in stateless["notes"]] == ["R5"]
    # Beyond the coastal state's waters, nothing of the kind.
    beyond = plan(directory, flag="HT", zone="eez", coastal="BS", nationalities=["HT"])
    assert not [n for n in beyond["notes"] if n["rule"] == "R2"]


@pytest.mark.parametrize(
    ("coastal", "acting", "said"),
    [
        # The sovereign acting in its own territory's waters is no "same sovereign as" itself.
        ("AW", "NL", "Stateless vessel in the waters of AW, a territory of NL under its own law:"),
        ("TC", "GB", "Stateless vessel in the waters of TC, a territory of GB under its own law:"),
        # Two territories of one sovereign.
        ("AW", "CW", "Stateless vessel in the waters of AW, under the same sovereign (NL) as CW:"),
    ],
)
def test_a_stateless_vessel_in_a_territorys_waters_names_the_sovereign_once(
    coastal: str, acting: str, said: str
) -> None:
    """The Netherlands acting in Aruba's waters read "in the waters of AW, under the same
    sovereign (NL) as NL"."""
    shipped = load_directory(use_env=False)
    result = plan(shipped, stateless=True, zone="territorial", coastal=coastal, acting=acting)
    [note] = [n["text"] for n in result["notes"] if n["rule"] == "R5"]
    assert note.startswith(said), note


# A return asked of the landing state, in the call list ----------------------------------------


def _under(lines: list[str], order: int) -> list[str]:
    """The lines the call list prints under a step (indented), up to the next step or heading."""
    start = next(n for n, line in enumerate(lines) if line[:3].strip() == str(order))
    rest = lines[start + 1 :]
    end = next((n for n, line in enumerate(rest) if not line[:1].isspace()), len(rest))
    return [line.strip() for line in rest[:end]]


@pytest.mark.parametrize(
    ("asylum", "caveat"),
    [
        (True, "no return before the asylum claims are decided"),
        (False, "only after protection screening"),
    ],
)
def test_the_call_list_says_a_return_waits_for_screening_and_claims(
    capsys: pytest.CaptureFixture[str], asylum: bool, caveat: str
) -> None:
    """Haitians found in Turks and Caicos waters, to be landed there, return considered: the
    landing state's own return authority is a step to take now (it holds the people), so the
    call list gave it as "request Repatriation HT", the Border Force's 24/7 line beside it,
    with nothing to say that no one may be returned before screening, nor, asylum claimed,
    before the claims are decided: that was in the details only, which `--brief` leaves out.
    The list now says it under the step, as it says consent under consular access."""
    args = ["--flag", "HT", "--zone", "territorial", "--coastal", "TC", "--as", "TC"]
    args += ["--nationality", "HT", "--return", "--at", "2026-12-01T10:00-05:00"]
    args += ["--asylum"] if asylum else []
    found = json.loads(run(capsys, "contact", *args, "--format", "json").stdout)["steps"]
    [landing_state] = [s for s in found if s["purpose"] == "repatriation" and s["state"] == "TC"]
    assert not landing_state["deferred"]
    lines = run(capsys, "contact", *args, "--brief").stdout.splitlines()
    listed = lines[lines.index("CALL LIST") + 1 :]
    assert caveat in _under(listed, landing_state["order"])


# Codes the rules know are given where their conditions hold ----------------------------------


@pytest.mark.parametrize(
    ("facts", "purpose", "says"),
    [
        # R3 in a sister territory's contiguous zone: the coastal state is given.
        (
            dict(flag="HT", zone="contiguous", coastal="AW", acting="CW", nationalities=["HT"]),
            "coastal-state-notification",
            "AW (Aruba) and CW are under one sovereign (NL)",
        ),
        # R9, stateless claimants landed where they were found: the landing state is given.
        (
            dict(zone="territorial", coastal="HT", acting="US", disembark="HT",
                 stateless_persons=True, conditions=["asylum"]),
            "protection-referral",
            "Asylum is claimed by stateless persons, and HT",
        ),
        # R9, claimants landed in their own country (a territory of it): the landing is given.
        (
            dict(zone="high-seas", stateless=True, acting="US", disembark="TC",
                 nationalities=["TC"], conditions=["asylum"]),
            "protection-referral",
            "are nationals of GB, and TC, where they would be landed",
        ),
        # R9, nobody's nationality known, landed by the state whose waters they were found in.
        (
            dict(zone="territorial", coastal="HT", acting="HT", disembark="HT",
                 conditions=["asylum"]),
            "protection-referral",
            "The nationalities aboard are not known and HT",
        ),
        # R9's UNHCR step, the same landed by another state.
        (
            dict(zone="territorial", coastal="HT", acting="US", disembark="HT",
                 conditions=["asylum"]),
            "protection-referral",
            "UNHCR's mandate covers every claimant",
        ),
        # R9, nationals screened by their own state: the screening state is given.
        (
            dict(zone="territorial", coastal="HT", acting="HT", disembark="HT",
                 nationalities=["HT"], conditions=["asylum"]),
            "protection-referral",
            "are nationals of HT, which would screen them",
        ),
        # The acting state's care, nobody's nationality known, landed where found.
        (
            dict(zone="territorial", coastal="HT", acting="US", disembark="HT",
                 conditions=["asylum", "minors"]),
            "child-protection",
            "would be landed in HT, which may be their own country",
        ),
        # R13 between two territories of one state: the landing is given.
        (
            dict(zone="high-seas", stateless=True, acting="TC", disembark="TC",
                 nationalities=["KY"], return_considered=True),
            "repatriation",
            "TC (Turks and Caicos Islands) admits people under its own immigration law",
        ),
    ],
)  # fmt: skip
def test_each_rule_that_names_a_state_its_condition_implies_names_it(
    facts: dict[str, Any], purpose: str, says: str
) -> None:
    """The rules pass to the directory's look-ups, which refuse an empty code, a code that
    their branch's condition implies is given (the coastal state in a sister territory's
    waters, the landing state where people are landed where they were found or in their own
    country, the state that screens its own nationals). Each branch, reached, names it."""
    shipped = load_directory(use_env=False)
    found = steps(plan(shipped, **facts), purpose)
    said = [n for s in found for n in (*s["notes"], *s["warnings"])]
    assert any(says in n for n in said), said


#: States and territories whose codes meet in the rules' odd cases: sovereigns, territories
#: with their own law and under their sovereign's, and foreign states.
_CODES = st.none() | st.sampled_from(
    ["GB", "KY", "TC", "VG", "NL", "AW", "CW", "BQ", "US", "PR", "HT", "CU", "BS", "DO", "JM"]
)
_ZONES = st.sampled_from(
    ["internal", "territorial", "archipelagic", "contiguous", "eez", "high-seas"]
)
_CONDITIONS = st.lists(
    st.sampled_from(
        ["distress", "minors", "unaccompanied", "asylum", "trafficking", "smugglers", "deaths"]
    ),
    max_size=3,
    unique=True,
)


@pytest.fixture(scope="module")
def shipped() -> Directory:
    return load_directory(use_env=False)


@settings(max_examples=300)
@given(
    flag=_CODES, stateless=st.booleans(), zone=_ZONES, coastal=_CODES, acting=_CODES,
    disembark=_CODES, nationalities=st.lists(_CODES.filter(bool), max_size=2, unique=True),
    stateless_persons=st.booleans(), conditions=_CONDITIONS, return_considered=st.booleans(),
)  # fmt: skip
def test_any_interception_among_territories_is_planned_without_a_code_missing(
    shipped: Directory,
    flag: str | None,
    stateless: bool,
    zone: str,
    coastal: str | None,
    acting: str | None,
    disembark: str | None,
    nationalities: list[str],
    stateless_persons: bool,
    conditions: list[str],
    return_considered: bool,
) -> None:
    """Whatever is known or not of an interception among sovereigns, their territories and
    foreign states, the plan is made: no rule passes the directory a code its condition did
    not give (a look-up refuses an empty one), and nothing but the facts' own check refuses."""
    try:
        interception = make_interception(
            flag=None if stateless else flag, stateless=stateless, zone=zone, coastal=coastal,
            acting=acting, disembark=disembark, nationalities=nationalities,
            stateless_persons=stateless_persons, conditions=conditions,
            return_considered=return_considered, at=datetime.fromisoformat(AT),
            directory=shipped,
        )  # fmt: skip
    except BadInputError:
        return  # facts that contradict each other: the check says so, before any rule
    assert plan_contacts(shipped, interception).to_json()["steps"] is not None


@pytest.mark.parametrize(("acting", "nationality"), [("GB", "KY"), ("NL", "AW")])
def test_a_sovereign_landing_its_territorys_people_does_not_call_its_own_country_their_home(
    acting: str, nationality: str
) -> None:
    """A Royal Navy ship landing Caymanians in the United Kingdom: R15's note says that whether
    each may enter is the United Kingdom's law, and that the others are landed only with its
    consent; R9's note then said that no landing request is owed, and, a return considered,
    R13's that landing them "at home, in GB, is their return". A Caymanian's home is the Cayman
    Islands, under their own law: R9 names who verifies the entry (the landing state's own
    immigration authorities) and R13 where a return home goes."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped, stateless=True, zone="high-seas", acting=acting, disembark=acting,
        nationalities=[nationality], return_considered=True,
    )  # fmt: skip
    notes = {n["rule"]: n["text"] for n in result["notes"]}
    assert "landing request is owed" not in notes["R9"], notes["R9"]
    assert f"its own immigration authorities verify that each may enter {acting}" in notes["R9"]
    assert f"in {acting}, is their return" not in notes["R13"], notes["R13"]
    assert f"their home is {nationality}" in notes["R13"], notes["R13"]
    # The sovereign's own nationals, landed at home: as before.
    home = plan(
        shipped, stateless=True, zone="high-seas", acting=acting, disembark=acting,
        nationalities=[acting], return_considered=True,
    )  # fmt: skip
    home_notes = {n["rule"]: n["text"] for n in home["notes"]}
    assert "landing request is owed" in home_notes["R9"], home_notes
    assert f"in {acting}, is their return" in home_notes["R13"], home_notes


@pytest.mark.parametrize(
    ("territory", "name", "sovereign"), [("KY", "Cayman Islands", "GB"), ("AW", "Aruba", "NL")]
)
def test_a_return_of_a_territorys_people_names_their_state_and_the_territorys_law(
    territory: str, name: str, sovereign: str
) -> None:
    """Caymanians (or Arubans) landed in the United States, a return considered. The steps said
    "Return of KY (Cayman Islands) nationals" and that KY, "if it is not a party" to the SOM
    Protocol, has a duty to readmit "its own nationals": a territory is never a party (its
    sovereign extends the Protocol to it or not), its people are its sovereign's nationals,
    and its own immigration law says who may enter it."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped, flag="US", zone="high-seas", acting="US", disembark="US",
        nationalities=[territory], return_considered=True,
        at=datetime.fromisoformat("2026-12-01T15:00:00-05:00"),
    )  # fmt: skip
    found = [s for s in steps(result, "repatriation") if s["nationality"] == territory]
    assert [s["state"] for s in found] == ["US", territory]
    for step in found:
        notes = step["notes"]
        assert f"Return of people of {territory} ({name}), nationals of {sovereign}." in notes
        assert not any("nationals." in n and n.startswith("Return of") and "people" not in n
                       for n in notes), notes  # fmt: skip
        assert not any("is not a party" in n or "if it is not a party" in n for n in notes), notes
        (status,) = [n for n in notes if "SOM Protocol" in n]
        assert status.startswith(
            f"Whether {sovereign} extended the SOM Protocol to {territory} ({name}) is not "
            "confirmed: if it did not,"
        ), status
        assert f"the immigration law of {territory}" in status, status
        assert step["basis"] == [
            "General international law (a state's duty to readmit its own nationals)",
            "The territory's immigration law (who may enter it)",
        ], step["basis"]


@pytest.mark.parametrize("vessel", [{"flag": "HT"}, {"stateless": True}])
def test_a_territory_acting_is_not_called_a_party_to_the_protocol(vessel: dict[str, Any]) -> None:
    """The Cayman Islands Coast Guard boards a Haitian or a stateless vessel on the high seas.
    R4's and R5's notes said "The acting state, KY, has uncertain status under the SOM
    Protocol: if it is not a party, ...": a territory is never a party; its sovereign extends
    the Protocol to it or not."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped, zone="high-seas", acting="KY", nationalities=["HT"],
        at=datetime.fromisoformat("2026-12-01T15:00:00-05:00"), **vessel,
    )  # fmt: skip
    notes = [
        *(n["text"] for n in result["notes"]),
        *(n for s in result["steps"] for n in s["notes"]),
    ]
    assert not any("if it is not a party" in n or "KY is not a party" in n for n in notes), notes
    assert any(
        "The acting state, KY, is a territory of GB, whose extension of the SOM Protocol to it "
        "is not confirmed: if it was not extended," in n
        for n in notes
    ), notes


# Treaties cited on a day they did not bind ---------------------------------------------------

#: Facts that make nearly every rule cite its instruments: a rescue, children, victims,
#: smugglers, officials involved, a return, Haitians landed in The Bahamas.
EVERY_INSTRUMENT: dict[str, Any] = {
    "zone": "high-seas",
    "flag": "HT",
    "disembark": "BS",
    "nationalities": ["HT"],
    "conditions": ["distress", "minors", "unaccompanied", "trafficking", "smugglers", "corruption"],
    "return_considered": True,
}


def _unbound_warnings(result: dict[str, Any]) -> list[str]:
    return [w for w in result["warnings"] if "Not yet in force on" in w or "the SOM Protocol" in w]


def test_a_state_the_som_protocol_does_not_bind_is_told_that_its_articles_do_not_bind_it(
    directory: Directory,
) -> None:
    """Cuba acting, recorded as no party: its steps cite the Protocol's arts. 16, 19 (R9),
    16(4) (R10), 16(5) (R6), 6 (R12) as if they bound it, with no word that they do not. The
    plan now says so once, naming the rules and the articles; a party's plan says nothing."""
    result = plan(directory, acting="CU", **{**EVERY_INSTRUMENT, "conditions": ["minors",
        "unaccompanied", "smugglers"]})  # fmt: skip
    cited = {
        b
        for s in result["steps"]
        if s["rule"] not in ("R4", "R5", "R13")
        for b in s["basis"]
        if b.startswith("SOM Protocol")
    }
    assert cited, result["steps"]  # the case cites the Protocol
    [warning] = _unbound_warnings(result)
    assert "The acting state, CU, is not a party to the SOM Protocol" in warning
    assert all(b in warning for b in cited), (cited, warning)
    rules = {s["rule"] for s in result["steps"] if set(s["basis"]) & cited}
    assert all(r in warning for r in rules)
    assert "R13" not in warning  # art. 18 binds the state of nationality, read by R13 itself
    # The same case for a party: nothing.
    party = plan(directory, acting="US", **{**EVERY_INSTRUMENT, "conditions": ["minors",
        "unaccompanied", "smugglers"]})  # fmt: skip
    assert _unbound_warnings(party) == []


def test_a_state_not_yet_bound_on_the_plans_day_is_told_from_when(directory: Directory) -> None:
    # The Dominican Republic's instrument is recorded as deposited on 2007-12-10: bound from
    # the thirtieth day after (art. 22(2)), so not on 2007-12-20.
    at = datetime.fromisoformat("2007-12-20T12:00:00-04:00")
    [warning] = _unbound_warnings(plan(directory, acting="DO", at=at, **EVERY_INSTRUMENT))
    assert warning.startswith("DO was not yet bound by the SOM Protocol on 2007-12-20")
    later = datetime.fromisoformat("2008-02-01T12:00:00-04:00")
    assert _unbound_warnings(plan(directory, acting="DO", at=later, **EVERY_INSTRUMENT)) == []


@pytest.mark.parametrize(
    ("day", "not_yet", "in_force"),
    [
        # Before UNCLOS and the CRC: the rescue's UNCLOS art. 98, the children's CRC articles.
        (
            "1990-06-01",
            ["UNCLOS art. 98 (from 1994-11-16)", "CRC arts. 20, 22 (from 1990-09-02)",
             "UNTOC art. 15 (from 2003-09-29)", "SOM Protocol art. 6 (from 2004-01-28)",
             "UNCAC (from 2005-12-14)"],
            ["SOLAS V/33 (", "SAR Convention 1979 annex 2.1, 4.3 (", "VCCR"],
        ),
        # After UNTOC and the Trafficking Protocol, before the SOM Protocol and UNCAC.
        (
            "2004-01-10",
            ["SOM Protocol art. 6 (from 2004-01-28)", "UNCAC (from 2005-12-14)",
             "SOLAS V/33.1-1 (from 2006-07-01)"],
            ["UNCLOS", "CRC", "UNTOC", "Trafficking in Persons Protocol"],
        ),
        # Only the 2004 amendments to SOLAS and the SAR annex were not yet in force.
        (
            "2006-03-01",
            ["SOLAS V/33.1-1 (from 2006-07-01)", "SAR Convention annex 3.1.9 (from 2006-07-01)"],
            ["UNCAC", "SOM Protocol", "IMO res. MSC.167(78)"],
        ),
    ],
)  # fmt: skip
def test_a_plan_for_a_day_before_an_instrument_entered_into_force_says_so(
    directory: Directory, day: str, not_yet: list[str], in_force: list[str]
) -> None:
    """A plan for a past moment (a review, a training case) cited UNCLOS in 1990 and the SOM
    Protocol in 2001 as binding: it now names each instrument not yet in force that day."""
    at = datetime.fromisoformat(f"{day}T12:00:00-05:00")
    result = plan(directory, acting="US", at=at, **EVERY_INSTRUMENT)
    [warning] = [w for w in result["warnings"] if "Not yet in force on" in w]
    assert warning.startswith(f"Not yet in force on {day}, so binding no state that day: ")
    for item in not_yet:
        assert item in warning, (item, warning)
    for name in in_force:
        assert name not in warning, (name, warning)
    # Whatever the warning names, a step cites.
    cited = {b for s in result["steps"] for b in s["basis"]}
    named = re.findall(r"(?:: |; )([^;]+?) \(from \d{4}-\d\d-\d\d\)", warning)
    assert named and set(named) <= cited, (named, cited)


def test_a_plan_made_today_names_no_instrument_as_not_yet_in_force(directory: Directory) -> None:
    result = plan(directory, acting="US", **EVERY_INSTRUMENT)
    assert not [w for w in result["warnings"] if "Not yet in force on" in w]


def test_a_note_pointing_at_a_step_names_a_step_the_plan_has(directory: Directory) -> None:
    """Nobody's nationality known, landed where they may come from: UNHCR's note pointed at
    "the refugee-status step", a role, which no call list labels (the step is a protection
    referral, R9)."""
    result = plan(
        directory,
        stateless=True,
        zone="internal",
        coastal="KY",
        acting="BS",
        disembark="GB",
        conditions=["asylum"],
    )
    texts = [*result["warnings"], *(n["text"] for n in result["notes"])]
    texts += [note for s in result["steps"] for note in s["notes"]]
    joined = " ".join(texts)
    assert "refugee-status step" not in joined
    pointers = re.findall(r"\(see the [a-z -]+? steps?, (R\d+)\)", joined)
    assert pointers, joined
    assert all(any(s["rule"] == rule for s in result["steps"]) for rule in pointers)


# A rescue does not wait for the flag state --------------------------------------------------


@pytest.mark.parametrize("rescue", ["distress", "injured", "deaths"])
@pytest.mark.parametrize(
    "facts",
    [
        # A U.S. cutter meets a Haitian boat on the high seas.
        {"flag": "HT", "zone": "high-seas", "acting": "US"},
        # The flag not known yet: the step asks for it.
        {"zone": "eez", "coastal": "BS", "acting": "US"},
        # The coastal state in its own contiguous zone tells the flag state rather than asks.
        {"flag": "HT", "zone": "contiguous", "coastal": "US", "acting": "US"},
    ],
)
def test_a_rescue_does_not_wait_for_the_flag_states_answer(
    directory: Directory, facts: dict[str, Any], rescue: str
) -> None:
    """People in danger aboard a foreign boat beyond the territorial sea: the flag-state step
    asks for authorisation to board and search for smuggling, and an officer must not read it
    as a condition of the rescue. The duty to render assistance to any person found at sea in
    danger of being lost is not conditioned on the flag state's consent (UNCLOS art. 98(1);
    SOLAS V/33), as R2's rescue steps already say of a coastal state's answer."""
    [step] = steps(plan(directory, **facts, conditions=[rescue]), "flag-state-authorization")
    [no_wait] = [n for n in step["notes"] if n.startswith("Do not hold up assistance")]
    assert "flag state" in no_wait, no_wait
    assert "UNCLOS art. 98(1)" in no_wait and "SOLAS V/33" in no_wait, no_wait
    assert "18(2)" not in no_wait  # no passage on the high seas
    # The step's basis is the authorisation's, not the rescue's.
    assert not any("98" in b for b in step["basis"]), step["basis"]
    # Without a rescue there is nothing to hold up.
    [plain] = steps(plan(directory, **facts), "flag-state-authorization")
    assert not any(n.startswith("Do not hold up assistance") for n in plain["notes"])


# A landing that returns people to their own country comes after protection screening -------


@pytest.mark.parametrize("rescue", [[], ["distress"]])
def test_nationals_landed_at_home_by_another_state_are_screened_first(
    directory: Directory, rescue: list[str]
) -> None:
    """A U.S. cutter stops a Haitian boat on the high seas and would land everyone, all
    Haitians, in Haiti; nobody has claimed asylum yet. The landing is their return (no R13
    step follows it), and they have left their country: nobody may be landed there before
    being heard on a fear of return (1951 Convention art. 33, as UNHCR Executive Committee
    Conclusion No. 97 (LIV), 2003, para. (a)(iv), applies it to interception). Whether art. 33
    binds a state outside its territory is disputed, and the step says so. With asylum claimed
    the deferred landing says it too."""
    facts: dict[str, Any] = {
        "flag": "HT",
        "zone": "high-seas",
        "acting": "US",
        "disembark": "HT",
        "nationalities": ["HT"],
        "conditions": rescue,
    }
    [step] = steps(plan(directory, **facts), "disembarkation")
    [screening] = [n for n in step["notes"] if "protection screening" in n]
    assert "Conclusion No. 97" in screening and "art. 33" in screening, screening
    assert "disputed" in screening, screening
    # Landed by their own state, or found in its waters, they are not returned across a
    # border by another state: no such note.
    for other in (
        {**facts, "acting": "HT"},
        {**facts, "zone": "territorial", "coastal": "HT"},
    ):
        landing = steps(plan(directory, **other), "disembarkation")
        assert not any("protection screening" in n for s in landing for n in s["notes"])


def test_a_deferred_landing_at_home_still_comes_after_screening(directory: Directory) -> None:
    """Asylum claimed, the landing of Haitians in Haiti by a U.S. cutter is deferred until the
    claims are decided; when it is taken it is still their return, after screening."""
    facts: dict[str, Any] = {
        "flag": "HT",
        "zone": "high-seas",
        "acting": "US",
        "disembark": "HT",
        "nationalities": ["HT"],
    }
    [step] = steps(plan(directory, **facts, conditions=["asylum"]), "disembarkation")
    assert step["deferred"], step
    assert any("protection screening" in n for n in step["notes"]), step["notes"]


@pytest.mark.parametrize(
    ("conditions", "return_considered"),
    [([], False), ([], True), (["asylum"], True), (["distress"], False)],
)
def test_nationals_landed_at_home_by_a_state_not_known_are_screened_first_unless_it_is_theirs(
    directory: Directory, conditions: list[str], return_considered: bool
) -> None:
    """Haitians stopped on the high seas, landed in Haiti, the acting state not given: the
    landing step said nothing of screening, though any state other than Haiti that lands
    them returns them to the country they have left (1951 Convention art. 33, as UNHCR
    Executive Committee Conclusion No. 97 (LIV), 2003, para. (a)(iv), applies it to
    interception). The step now says it, conditionally: unless Haiti itself intercepted them.
    The note for a known acting state is unchanged."""
    facts: dict[str, Any] = {
        "flag": "HT",
        "zone": "high-seas",
        "disembark": "HT",
        "nationalities": ["HT"],
        "conditions": conditions,
        "return_considered": return_considered,
    }
    [step] = steps(plan(directory, **facts), "disembarkation")
    [screening] = [n for n in step["notes"] if "protection screening" in n]
    assert screening.startswith("Unless HT itself or another of its territories"), screening
    assert "Conclusion No. 97" in screening and "art. 33" in screening, screening
    assert "disputed" in screening and "Sale v. Haitian Centers Council" in screening
    # Known to be another state: the note as it was, with no condition.
    [known] = steps(plan(directory, **facts, acting="US"), "disembarkation")
    [note] = [n for n in known["notes"] if "protection screening" in n]
    assert note.startswith("This landing returns them to HT, which they have left"), note
    # Found in Haiti's own waters they have not left their country: no note, acting known
    # or not.
    home = {**facts, "zone": "territorial", "coastal": "HT"}
    for acting in (None, "US"):
        landing = steps(plan(directory, **home, acting=acting), "disembarkation")
        assert not any("protection screening" in n for s in landing for n in s["notes"])


# Asylum seekers landed in the country they came from or crossed ------------------------------


def departure_warnings(result: dict[str, Any]) -> list[str]:
    return [w for w in result["warnings"] if "frontiers of territories where life" in w]


@pytest.mark.parametrize(
    ("facts", "whence"),
    [
        # A U.S. cutter stops a Dominican boat carrying Haitians on the high seas.
        ({"flag": "DO", "zone": "high-seas"}, "whose flag the vessel flies"),
        # A Bahamian boat in the Dominican EEZ.
        ({"flag": "BS", "zone": "eez", "coastal": "DO"}, "off whose coast they were found"),
        # A Dominican boat in the Dominican contiguous zone.
        (
            {"flag": "DO", "zone": "contiguous", "coastal": "DO"},
            "whose flag the vessel flies and off whose coast they were found",
        ),
    ],
)
@pytest.mark.parametrize("acting", ["US", "DO", None])
def test_asylum_seekers_landed_where_they_came_from_may_fear_it_too(
    directory: Directory, facts: dict[str, Any], whence: str, acting: str | None
) -> None:
    """Haitians aboard a Dominican boat who claim asylum, landed in the Dominican Republic:
    the plan treated only Haiti as a country they may flee. Art. 33(1) of the 1951 Convention
    bars return "to the frontiers of territories" where life or freedom would be threatened,
    any territory, and UNHCR's Executive Committee asks that interception return nobody there
    directly or indirectly (Conclusion No. 97 (LIV), 2003, para. (a)(iv)). The country they
    sailed from or through may be one they fear, or one that would send them on: one
    warning asks the screening to cover it. The steps are unchanged."""
    base = {**facts, "acting": acting, "disembark": "DO", "nationalities": ["HT"]}
    result = plan(directory, **base, conditions=["asylum"])
    (warning,) = departure_warnings(result)
    assert f"DO (Dominican Republic), {whence}" in warning, warning
    assert "art. 33(1)" in warning and "Conclusion No. 97 (LIV)" in warning, warning
    assert "(a)(iv)" in warning, warning
    # A warning, not a deferral: the landing is asked for now, and nothing waits for the
    # claims but what did before (the return to Haiti, the Haitian consulate).
    assert not any(s["deferred"] for s in steps(result, "disembarkation"))
    assert all(s["state"] == "HT" for s in result["steps"] if s["deferred"]), result["steps"]


@pytest.mark.parametrize(
    "facts",
    [
        # No asylum claimed.
        {"flag": "DO", "zone": "high-seas", "acting": "US", "disembark": "DO", "conditions": []},
        # Found in the Dominican territorial sea: in its territory, returned nowhere.
        {
            "flag": "DO",
            "zone": "territorial",
            "coastal": "DO",
            "acting": "US",
            "disembark": "DO",
        },
        {
            "flag": "DO",
            "zone": "territorial",
            "coastal": "DO",
            "acting": "DO",
            "disembark": "DO",
        },
        # Landed in a third state, neither the flag's nor the coast's.
        {"flag": "DO", "zone": "high-seas", "acting": "US", "disembark": "US"},
        # Everyone aboard is a national of the landing state: the refoulement warning says it.
        {
            "flag": "DO",
            "zone": "high-seas",
            "acting": "US",
            "disembark": "DO",
            "nationalities": ["DO"],
        },
        # Nobody's nationality known: the plan's own warning says the landing state may be
        # their country.
        {"flag": "DO", "zone": "high-seas", "acting": "US", "disembark": "DO", "nationalities": []},
    ],
)
def test_no_departure_state_warning_where_nobody_is_returned_to_it(
    directory: Directory, facts: dict[str, Any]
) -> None:
    facts = {"nationalities": ["HT"], "conditions": ["asylum"], **facts}
    assert departure_warnings(plan(directory, **facts)) == []


def test_the_departure_state_warning_is_one_with_its_own_nationals_aboard(
    directory: Directory,
) -> None:
    """Haitians and Dominicans aboard a Dominican boat, landed in the Dominican Republic:
    the Dominicans' refoulement warning stands, and the Haitians' one more."""
    result = plan(
        directory,
        flag="DO",
        zone="high-seas",
        acting="US",
        disembark="DO",
        nationalities=["HT", "DO"],
        conditions=["asylum"],
    )
    assert len(departure_warnings(result)) == 1
    assert any(w.startswith("Refoulement:") for w in result["warnings"]), result["warnings"]


@pytest.mark.parametrize("nationalities", [["HT"], ["HT", "DO"]])
def test_the_departure_state_warning_says_once_what_binds_a_state_party_to_neither(
    directory: Directory, nationalities: list[str]
) -> None:
    """Cuba's coast guard (Cuba is a party to neither refugee instrument) would land the
    people of a Dominican boat in the Dominican Republic: the warning cites art. 33, so the
    plan says what binds Cuba instead, once, whether or not the refoulement warning says it
    too."""
    result = plan(
        directory,
        flag="DO",
        zone="high-seas",
        acting="CU",
        disembark="DO",
        nationalities=nationalities,
        conditions=["asylum"],
    )
    assert len(departure_warnings(result)) == 1
    bound = [w for w in result["warnings"] if "not a party to the 1951 Convention" in w]
    assert len(bound) == 1 and bound[0].startswith("CU (Cuba)"), result["warnings"]


# UNCLOS and the CRC where a state the step concerns is not a party ---------------------------


def _treaty_notes(result: dict[str, Any], rule: str, words: str) -> list[list[str]]:
    """For each step of ``rule``, its notes that contain ``words``."""
    return [[n for n in s["notes"] if words in n] for s in result["steps"] if s["rule"] == rule]


def test_a_step_citing_the_crc_says_the_united_states_is_not_bound_by_it() -> None:
    """The United States signed the CRC and did not ratify it. R10's step for children held
    by a U.S. cutter cited CRC arts. 20, 22 as if they bound it, without a word; it now says,
    once, that the United States is not a party and not bound by them."""
    shipped = load_directory(use_env=False)
    result = plan(shipped, flag="HT", zone="high-seas", acting="US", conditions=["minors"])
    [said] = _treaty_notes(result, "R10", "Convention on the Rights of the Child")
    assert said == [
        "US is not a party to the Convention on the Rights of the Child: it is not bound by "
        "CRC arts. 20, 22."
    ]
    # A party acting, and landing in its own territory, is told nothing.
    jamaica = plan(shipped, flag="HT", zone="high-seas", acting="JM", conditions=["minors"])
    assert _treaty_notes(jamaica, "R10", "Rights of the Child") in ([], [[]])


def test_a_step_citing_unclos_art_33_says_it_binds_neither_state_as_a_treaty() -> None:
    """Neither Colombia nor the United States is a party to UNCLOS. A U.S. patrol in
    Colombia's contiguous zone was told to inform Colombia under UNCLOS art. 33, and to ask
    it under art. 92, as though the Convention bound them; each step now says, once, that it
    binds neither as a treaty and is applied as customary international law."""
    shipped = load_directory(use_env=False)
    result = plan(shipped, flag="CO", zone="contiguous", coastal="CO", acting="US")
    for rule, article in (("R3", "UNCLOS art. 33"), ("R4", "UNCLOS art. 92")):
        for said in _treaty_notes(result, rule, "UNCLOS:"):
            assert said == [
                "US and CO are not parties to UNCLOS: they are not bound as a treaty by "
                f"{article}; the step applies the rule to them as customary international law."
            ]
    assert _treaty_notes(result, "R3", "UNCLOS:") and _treaty_notes(result, "R4", "UNCLOS:")


def test_colombia_in_its_own_contiguous_zone_is_told_art_33_binds_it_only_as_custom() -> None:
    """Colombia acting in its own contiguous zone against a Haitian vessel: R4's step cites
    UNCLOS art. 33 and art. 92 for it, and now says Colombia is not a party (Haiti, the flag
    state asked, is one, so it is not named)."""
    shipped = load_directory(use_env=False)
    result = plan(shipped, flag="HT", zone="contiguous", coastal="CO", acting="CO")
    [said] = [n for n in _treaty_notes(result, "R4", "UNCLOS:") if n]
    assert said == [
        "CO is not a party to UNCLOS: it is not bound as a treaty by UNCLOS art. 33; UNCLOS "
        "art. 92; the step applies the rule to it as customary international law."
    ]


def test_an_unclos_article_outside_navigation_and_rescue_is_not_called_custom() -> None:
    """R15's landing step cites UNCLOS arts. 2(1), 25(2): the United States acting is told it
    is not bound by them as a treaty, and nothing about customary law."""
    shipped = load_directory(use_env=False)
    result = plan(shipped, flag="CO", zone="contiguous", coastal="CO", acting="US")
    notes = [n for said in _treaty_notes(result, "R15", "UNCLOS:") for n in said]
    assert notes == [
        "US is not a party to UNCLOS: it is not bound as a treaty by UNCLOS arts. 2(1), 25(2)."
    ]


def test_a_territory_reads_its_sovereigns_unclos_status() -> None:
    """Puerto Rico records no UNCLOS status: its sovereign's, the United States', is read."""
    shipped = load_directory(use_env=False)
    assert shipped.treaty_status("PR", "unclos") is shipped.state("US").unclos
    assert shipped.treaty_status("PR", "unclos").party == "no"
    assert shipped.treaty_status("KY", "crc").party == "yes"


def test_a_consular_notice_of_us_children_does_not_say_the_united_states_is_not_bound() -> None:
    """Mexico holding unaccompanied U.S. children tells the U.S. consulate (R10, VCCR art.
    37(b)): the CRC duties the step cites are Mexico's, a party, so nothing is said of the
    United States; its own child-protection step says nothing either."""
    shipped = load_directory(use_env=False)
    result = plan(
        shipped, flag="MX", zone="high-seas", acting="MX", nationalities=["US"],
        conditions=["unaccompanied"],
    )  # fmt: skip
    assert _treaty_notes(result, "R10", "Rights of the Child") == [[], []]
