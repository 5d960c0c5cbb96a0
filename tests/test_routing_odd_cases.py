"""Legal rules applied to cases their authors did not picture: the acting state is the people's
own, or the flag state, or in a third state's waters; trafficking and children with a return
considered; stateless people; deaths with asylum claimed; landings in territories the refugee
instruments may not reach. On the fixture directory of tests/routing_fixture.py, and on the
shipped directory where a case needs its records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from somnet import Directory, load_directory, make_interception, plan_contacts
from tests.routing_fixture import AT, plan, steps, write_routing_directory


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    folder = write_routing_directory(tmp_path_factory.mktemp("routing-odd"))
    return load_directory(base=folder, use_env=False)


@pytest.fixture(scope="module")
def shipped() -> Directory:
    return load_directory(use_env=False)


def render(directory: Directory, **facts: Any) -> str:
    """The plan's text for ``facts`` (``plan``'s arguments), as ``somnet contact`` prints it."""
    from cli.contact import render_plan

    facts.setdefault("at", datetime.fromisoformat(AT))
    conditions = facts.pop("conditions", ())
    return render_plan(plan_contacts(directory, make_interception(conditions=conditions, **facts)))


def asylum_warnings(result: dict[str, Any]) -> list[str]:
    """The plan's warnings about asylum seekers landed in their own country."""
    return [w for w in result["warnings"] if "asylum" in w.lower()]


# 1. The acting state is the people's own, outside its waters ---------------------------------


@pytest.mark.parametrize(
    ("acting", "facts"),
    [
        ("CU", {"stateless": True, "zone": "high-seas", "disembark": "CU"}),
        ("HT", {"stateless": True, "zone": "high-seas", "disembark": "HT"}),
        ("CU", {"stateless": True, "zone": "eez", "coastal": "BS", "disembark": "CU"}),
        ("CU", {"flag": "CU", "zone": "contiguous", "coastal": "CU"}),
    ],
    ids=["Cuba, high seas", "Haiti, high seas", "Cuba, Bahamian EEZ", "Cuba, own contiguous"],
)
def test_a_state_holding_its_own_nationals_at_sea_is_not_the_one_to_screen_them(
    directory: Directory, acting: str, facts: dict[str, Any]
) -> None:
    """Cuba's coast guard stops Cubans on the high seas (or in a Bahamian EEZ, or in its own
    contiguous zone) and would land them in Cuba; one claims asylum. The plan warned
    "Refoulement: ... screen everyone first ... land in CU only those found to have no
    protection need": the state the protection is claimed against was told to screen the
    claims, as if it were a country of refuge. Outside its waters they have left their
    country, so they may be refugees (1951 Convention art. 1A(2)), and the claim is against
    the state that holds them: it must not decide the claims alone, every claim goes to UNHCR
    too, its other authorities are told nothing of them, and only those found, with UNHCR,
    to have no protection need are landed there: interception must not deny access to
    protection nor return those who need it to where they are threatened (UNHCR ExCom
    Conclusion No. 97 (LIV), 2003, (a)(iv)). Holding its own nationals back restricts their
    right to leave their own country (ICCPR art. 12(2), (3))."""
    result = plan(directory, acting=acting, nationalities=[acting], conditions=["asylum"], **facts)
    [warning] = asylum_warnings(result)
    assert not warning.startswith("Refoulement")
    assert "screen everyone first" not in warning
    assert f"nationals of {acting} " in warning
    assert "they have left their country and may be refugees (1951 Convention art. 1A(2))" in (
        warning
    )
    assert f"the protection they claim is against {acting} itself" in warning
    assert "must not decide the claims alone" in warning and "refer every claim to UNHCR" in (
        warning
    )
    assert "tell its other authorities nothing of who claimed asylum" in warning
    assert "(1951 Convention art. 33; UNHCR Executive Committee Conclusion No. 97 (LIV)" in (
        warning
    )
    assert f"land in {acting} only those found, with UNHCR, to have no protection need" in (warning)
    assert "ICCPR art. 12(3)" in warning and "(art. 12(2))" in warning
    # The screening steps go to the acting state and UNHCR, now, and warn it off deciding
    # alone, as before.
    referrals = steps(result, "protection-referral")
    assert {(s["state"], s["role"], s["action"], s["deferred"]) for s in referrals} == {
        (acting, "refugee-status", "request", False),
        (acting, "protection-partner", "request", False),
    }
    [refugee_status] = [s for s in referrals if s["role"] == "refugee-status"]
    assert any("must not decide it alone" in w for w in refugee_status["warnings"])


def test_nationals_held_in_waters_whose_coastal_state_is_not_given_may_be_at_home(
    directory: Directory,
) -> None:
    """Cuba's coast guard holds Cubans in a territorial sea whose coastal state is not given:
    it may be Cuba's own, where they have not left their country, or another's. The plan
    cannot say that they have left it: the refoulement warning stays, as before."""
    result = plan(
        directory, stateless=True, zone="territorial", acting="CU", disembark="CU",
        nationalities=["CU"], conditions=["asylum"],
    )  # fmt: skip
    [warning] = asylum_warnings(result)
    assert warning.startswith("Refoulement")
    assert "they have left their country" not in warning


def test_foreigners_held_with_the_acting_states_nationals_are_landed_as_in_a_country_of_refuge(
    directory: Directory,
) -> None:
    """Cuba's coast guard stops Cubans and Haitians in a Bahamian EEZ, asylum claimed, return
    considered, and lands them in Cuba. The warning speaks of the Cubans alone (Cuba is the
    Haitians' country of refuge, not the state they flee); the Haitians' return to Haiti waits
    for their claims, and Cuba's own step for it warns that nobody is returned before them."""
    result = plan(
        directory, stateless=True, zone="eez", coastal="BS", acting="CU", disembark="CU",
        nationalities=["CU", "HT"], conditions=["asylum"], return_considered=True,
    )  # fmt: skip
    [warning] = asylum_warnings(result)
    assert "nationals of CU (Cuba), the state that holds them" in warning
    assert "HT" not in warning
    returns = steps(result, "repatriation")
    assert {(s["state"], s["nationality"], s["deferred"]) for s in returns} == {
        ("CU", "HT", False),
        ("HT", "HT", True),
    }
    [now] = [s for s in returns if not s["deferred"]]
    assert any("no return before the claim is decided" in w for w in now["warnings"])


def test_a_state_landing_its_own_nationals_in_a_third_state_waits_for_their_claims(
    directory: Directory,
) -> None:
    """Cuba's coast guard lands Cubans who claim asylum in The Bahamas, return considered: the
    Bahamas is their country of refuge and screens them (R9), nobody is warned of a landing at
    home, and their return to Cuba, the acting state itself, waits for the claims (R13)."""
    result = plan(
        directory, stateless=True, zone="high-seas", acting="CU", disembark="BS",
        nationalities=["CU"], conditions=["asylum"], return_considered=True,
    )  # fmt: skip
    assert asylum_warnings(result) == []
    assert {s["state"] for s in steps(result, "protection-referral")} == {"BS"}
    returns = steps(result, "repatriation")
    assert {(s["state"], s["deferred"]) for s in returns} == {("BS", False), ("CU", True)}


# 7. Landing in a territory its sovereign's refugee treaties may not reach ---------------------


def everything_said(result: dict[str, Any]) -> list[str]:
    said = [*result["warnings"]]
    for step in result["steps"]:
        said += [*step["warnings"], *step["notes"]]
    return said


def test_a_territory_the_refugee_instruments_were_not_extended_to_is_named_with_its_sovereign(
    shipped: Directory,
) -> None:
    """A Dutch navy ship lands Venezuelan asylum seekers in Curaçao. The directory records
    neither the 1951 Convention nor its 1967 Protocol as applying in Curaçao, while the
    Netherlands is a party to both. The plan said "CW (Curaçao) is not a party to the 1951
    Convention or its 1967 Protocol ... binds it as customary international law", as of a state
    that never joined them: a territory is no party in its own right, and the state that
    answers for it, and is bound by custom there, is its sovereign, which did not extend the
    instruments to it (1951 Convention art. 40; 1967 Protocol art. VII(4))."""
    result = plan(
        shipped, stateless=True, zone="territorial", coastal="CW", acting="NL",
        nationalities=["VE"], conditions=["asylum"], return_considered=True,
    )  # fmt: skip
    said = [t for t in everything_said(result) if "is not a party to the 1951 Convention" in t]
    assert said, everything_said(result)
    for text in said:
        assert text.startswith("CW (Curaçao) is not a party to the 1951 Convention or its 1967")
        assert "NL (Netherlands), its sovereign, is bound by art. 33 as a party" in text
        assert "neither is recorded as extended to CW" in text
        assert "(1951 Convention art. 40; 1967 Protocol art. VII(4))" in text
        assert "art. 33 does not bind NL there as a treaty" in text
        assert "still binds NL there as customary international law" in text


@pytest.mark.parametrize(("coastal", "acting"), [("TC", "GB"), ("KY", "US")])
def test_a_territory_whose_extension_is_uncertain_is_said_to_be_uncertain(
    shipped: Directory, coastal: str, acting: str
) -> None:
    """A Royal Navy ship lands Haitian asylum seekers in the Turks and Caicos Islands (a U.S.
    cutter, in the Cayman Islands). The United Kingdom is a party to the Convention and the
    Protocol; whether it extended them to the territory is recorded as uncertain. The plan
    said nothing, as for any uncertain status: but here the uncertainty is the one thing a
    lawyer would check, since art. 33 binds the territory as a treaty only if the extension
    was made. Each step that cites art. 33 now says so, naming the sovereign; the basis is
    unchanged."""
    result = plan(
        shipped, stateless=True, zone="territorial", coastal=coastal, acting=acting,
        nationalities=["HT"], conditions=["asylum"], return_considered=True,
    )  # fmt: skip
    name = shipped.state(coastal)
    assert name is not None
    said = [t for t in everything_said(result) if "is not confirmed (1951 Convention art. 40" in t]
    assert said, everything_said(result)
    for text in said:
        assert text.startswith(f"{coastal} (")
        assert "GB (United Kingdom), its sovereign, is bound by art. 33 as a party" in text
        assert f"whether it extended either to {coastal} is not confirmed" in text
        assert "if it did not, art. 33 does not bind GB there as a treaty" in text
    # Where art. 33 is cited: R9's referral and R13's safeguard, in their notes or warnings.
    for step in steps(result, "protection-referral"):
        assert any(t in said for t in step["notes"]), step
    for step in steps(result, "repatriation"):
        assert any(t in said for t in step["warnings"]), step


# 4. Victims of trafficking and unaccompanied children with a return considered ---------------


@pytest.mark.parametrize(
    "facts",
    [
        {"nationalities": ["HT"]},
        {"nationalities": [], "stateless_persons": True},
    ],
    ids=["Haitians", "stateless"],
)
def test_a_return_of_victims_of_trafficking_waits_for_their_identification(
    directory: Directory, facts: dict[str, Any]
) -> None:
    """A U.S. cutter holds Haitians (or stateless persons) with signs of trafficking, and
    their return is considered. R13's safeguard said only what Trafficking in Persons Protocol
    art. 8 says of the return itself (safety, proceedings, preferably voluntary, documents).
    It did not say that the victims are identified and referred first (the R11 step), that
    the landing state considers letting them remain (art. 7), that they are not punished for
    their irregular entry or for what they were compelled to do (OHCHR Recommended Principles
    and Guidelines on Human Rights and Human Trafficking, principle 7), nor that a victim may
    also be a refugee (art. 14(1)). The basis of the return stays art. 8."""
    result = plan(
        directory, stateless=True, zone="high-seas", acting="US", disembark="US",
        conditions=["trafficking"], return_considered=True, **facts,
    )  # fmt: skip
    assert steps(result, "trafficking-victim-referral")
    returns = steps(result, "repatriation")
    assert returns
    for step in returns:
        [victims] = [w for w in step["warnings"] if w.startswith("Victims of trafficking")]
        assert "identify them and refer them first (see the trafficking-victim-referral" in (
            victims
        )
        assert "remain in its territory, temporarily or permanently" in victims
        assert "(Trafficking in Persons Protocol art. 7)" in victims
        assert "principle 7" in victims and "not punished" in victims
        assert "may also be a refugee (Trafficking in Persons Protocol art. 14(1))" in victims
        assert "preferably voluntary" in victims
        assert "Trafficking in Persons Protocol art. 8" in step["basis"]


def test_an_unaccompanied_childs_return_waits_for_a_best_interests_determination(
    directory: Directory,
) -> None:
    """Unaccompanied Haitian children held by a U.S. cutter, their return considered: each
    return step (to the landing state's authority and to Haiti's) says that a best-interests
    determination comes first and that a child is returned only to a caregiver able to take
    charge (CRC art. 3(1)), which its basis cites; the guardian notice goes to their post
    whatever their wish (VCCR art. 37(b)). A pin: it passed before."""
    result = plan(
        directory, stateless=True, zone="high-seas", acting="US", disembark="US",
        nationalities=["HT"], conditions=["unaccompanied"], return_considered=True,
    )  # fmt: skip
    returns = steps(result, "repatriation")
    assert {s["state"] for s in returns} == {"US", "HT"}
    for step in returns:
        assert "CRC art. 3(1)" in step["basis"]
        assert any(
            "best-interests determination comes before any return" in w for w in (step["warnings"])
        )
    [guardian] = [s for s in steps(result, "consular-access") if s["rule"] == "R10"]
    assert (guardian["action"], guardian["requires_consent"]) == ("notify", False)


# 2. The acting state is the flag state -------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "coastal", "asked"),
    [
        ("high-seas", None, set()),
        ("eez", "DO", set()),
        ("contiguous", "DO", {("R3", "coastal-state-notification", "notify", "DO")}),
        ("territorial", "DO", {("R2", "coastal-state-authorization", "request", "DO")}),
    ],
)
def test_a_state_stopping_a_vessel_of_its_own_flag_asks_only_the_coastal_state_it_must(
    directory: Directory, zone: str, coastal: str | None, asked: set[tuple[str, ...]]
) -> None:
    """A U.S. cutter stops a U.S.-flagged boat carrying Haitians. Its flag is the acting
    state's: no flag-state request (R4) anywhere. On the high seas and in another state's EEZ
    nobody else is asked; in another state's contiguous zone the coastal state is told (R3, a
    courtesy: it controls immigration there, UNCLOS art. 33); in its territorial sea the
    coastal state's authorisation is asked (R2: its sovereignty, UNCLOS art. 2), and the
    flag state's own investigation acts there only as far as it authorises. A pin: it passed
    before."""
    facts: dict[str, Any] = {"coastal": coastal} if coastal else {}
    result = plan(
        directory, flag="US", zone=zone, acting="US", disembark="US", nationalities=["HT"],
        conditions=["smugglers"], **facts,
    )  # fmt: skip
    found = {
        (s["rule"], s["purpose"], s["action"], s["state"])
        for s in result["steps"]
        if s["rule"] in ("R2", "R3", "R4")
    }
    # R3 gives two steps (maritime law enforcement and migration), each a notice to DO.
    assert found == asked
    [own] = [s for s in steps(result, "investigation") if s["state"] == "US"]
    assert "as the flag state (UNTOC art. 15(1)(b))" in own["notes"][0]
    if zone == "territorial":
        assert "only as far as the authorities that serve them authorise" in own["notes"][0]


# 3. A third state's waters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("coastal", "acting", "authority"),
    [("JM", "US", "JM"), ("KY", "US", "KY"), ("PR", "DO", "PR")],
    ids=["a state", "a territory with its own law", "a territory under its sovereign's law"],
)
def test_a_stateless_vessel_in_another_states_territorial_sea_is_boarded_only_with_its_consent(
    directory: Directory, coastal: str, acting: str, authority: str
) -> None:
    """A stateless boat in a third state's territorial sea (Jamaica's; the Cayman Islands';
    Puerto Rico's, stopped by the Dominican Navy): art. 8(7) of the SOM Protocol and UNCLOS
    art. 110 reach only beyond the territorial sea, so R5's note says the coastal state's
    authorisation governs and R2 asks for it, of the authorities that police those waters (the
    territory's own, or the sovereign's agency that acts for it). No flag-state step. A pin:
    it passed before."""
    result = plan(
        directory, stateless=True, zone="territorial", coastal=coastal, acting=acting,
        disembark=acting, nationalities=["HT"],
    )  # fmt: skip
    [r2] = steps(result, "coastal-state-authorization")
    assert (r2["action"], r2["state"]) == ("request", authority)
    assert r2["basis"][0] == "UNCLOS arts. 2, 49"
    assert not steps(result, "flag-state-authorization")
    [r5] = [n for n in result["notes"] if n["rule"] == "R5"]
    assert "the coastal state's authorisation governs" in r5["text"]
    assert r5["basis"] == ["UNCLOS arts. 2, 49"]


# 5. Stateless people aboard ------------------------------------------------------------------


@pytest.mark.parametrize("asylum", [False, True])
def test_the_return_of_stateless_persons_invents_no_state_of_nationality(
    directory: Directory, asylum: bool
) -> None:
    """Stateless persons held by a U.S. cutter, their return considered (and asylum claimed):
    no consular step, no step to a "state of nationality"; the one return step goes to the
    landing state's migration authority, on SOM Protocol art. 18 (the right of permanent
    residence, never the duty to readmit nationals), and says that a return needs a state
    that agrees to admit them, never to where they face persecution; with asylum, none before
    the claims are decided. UNHCR's step names its statelessness mandate. A pin: it passed
    before."""
    result = plan(
        directory, stateless=True, zone="high-seas", acting="US", disembark="US",
        nationalities=[], stateless_persons=True, return_considered=True,
        conditions=["asylum"] if asylum else [],
    )  # fmt: skip
    assert not steps(result, "consular-access")
    [back] = steps(result, "repatriation")
    assert (back["state"], back["role"], back["nationality"]) == ("US", "migration", None)
    assert back["basis"] == ["SOM Protocol art. 18"]
    said = " ".join(back["warnings"])
    assert "no state must readmit them as its nationals" in said
    assert "never to where they face persecution" in said
    assert ("no return before the claim is decided" in said) is asylum
    [unhcr] = [s for s in steps(result, "protection-referral") if s["role"] != "refugee-status"]
    assert any("mandate for stateless persons" in n for n in unhcr["notes"])


# 6. Deaths aboard with asylum claimed --------------------------------------------------------


def test_a_death_is_notified_to_the_state_the_claims_are_against_without_the_claims(
    directory: Directory,
) -> None:
    """A Cuban died aboard a boat of Cubans who claim asylum, stopped by a U.S. cutter: the
    death notice to Cuba's post is owed whatever anyone's wish (VCCR art. 37(a)), so it stays
    a notice, now, without consent; it says only that a national has died and never reveals
    the claims (consult UNHCR first). Stopped by Cuba's own coast guard and landed in Cuba,
    no consular notice is owed (the receiving state's duty to a sending state's post), and
    none is planned. A pin: it passed before."""
    result = plan(
        directory, stateless=True, zone="high-seas", acting="US", disembark="US",
        nationalities=["CU"], conditions=["deaths", "asylum"],
    )  # fmt: skip
    [notice] = steps(result, "consular-death-notification")
    assert (notice["state"], notice["action"], notice["deferred"]) == ("CU", "notify", False)
    assert notice["requires_consent"] is False
    assert any("must never reveal that anyone claimed asylum" in w for w in notice["warnings"])
    home = plan(
        directory, stateless=True, zone="high-seas", acting="CU", disembark="CU",
        nationalities=["CU"], conditions=["deaths", "asylum"],
    )  # fmt: skip
    assert not steps(home, "consular-death-notification")


@pytest.mark.parametrize("asylum", [False, True])
def test_the_acting_state_owes_no_consular_death_notice_to_itself(
    directory: Directory, asylum: bool
) -> None:
    """Cuba's coast guard finds Cubans and Haitians on the high seas, some dead, and lands
    them in The Bahamas. The plan notified the death to "CU's consular post" on VCCR art.
    37(a), without consent (and, asylum claimed, warned the notice not to reveal the claims):
    a notice from Cuba to Cuba. Art. 37(a) binds a receiving state towards another state's
    post; the acting state, whose officers found the dead, owes itself none. Haiti's post is
    notified as before; a plan note says why Cuba's is not, and that its post in the landing
    state may help with the remains."""
    result = plan(
        directory, stateless=True, zone="high-seas", acting="CU", disembark="BS",
        nationalities=["CU", "HT"], conditions=["deaths", "asylum"] if asylum else ["deaths"],
    )  # fmt: skip
    notices = steps(result, "consular-death-notification")
    assert [s["state"] for s in notices] == ["HT"]
    [note] = [n for n in result["notes"] if n["rule"] == "R8"]
    assert "CU is the acting state" in note["text"]
    assert "no state owes such a notice to itself" in note["text"]
    assert note["basis"] == ["VCCR art. 37(a)"]
    # Nobody else's death: no note.
    alone = plan(
        directory, stateless=True, zone="high-seas", acting="US", disembark="BS",
        nationalities=["HT"], conditions=["deaths"],
    )  # fmt: skip
    assert not [n for n in alone["notes"] if n["rule"] == "R8"]


@pytest.mark.parametrize("asylum", [False, True])
def test_the_acting_state_offers_no_consular_access_to_its_own_post(
    directory: Directory, asylum: bool
) -> None:
    """Cuba's coast guard holds Cubans and Haitians on the high seas and lands them in The
    Bahamas. The plan offered the Cubans "consular access" to Cuba's post on VCCR art.
    36(1)(b): a state informing itself, under a rule that binds a state holding another
    state's nationals; with asylum claimed, an offer of the persecuting state's post. No step
    for them now; Haiti's post is offered as before, and a plan note says why, that the
    landing state owes them the art. 36 notice once it holds them, and, asylum claimed, that
    the acting state's officers pass nothing of them to its post."""
    result = plan(
        directory, stateless=True, zone="high-seas", acting="CU", disembark="BS",
        nationalities=["CU", "HT"], conditions=["asylum"] if asylum else [],
    )  # fmt: skip
    access = steps(result, "consular-access")
    assert [s["state"] for s in access] == ["HT"]
    [note] = [n for n in result["notes"] if n["rule"] == "R6"]
    assert "CU is the acting state" in note["text"]
    assert "BS" in note["text"]
    assert note["basis"] == ["VCCR art. 36(1)(b)"]
    assert ("claim asylum" in note["text"]) is asylum
    # Only its own nationals aboard: no consular step at all, the note alone.
    own = plan(
        directory, stateless=True, zone="high-seas", acting="CU", disembark="BS",
        nationalities=["CU"], conditions=[],
    )  # fmt: skip
    assert not steps(own, "consular-access")
    assert [n["rule"] for n in own["notes"] if n["rule"] == "R6"] == ["R6"]
    # Foreigners alone: no note.
    alone = plan(
        directory, stateless=True, zone="high-seas", acting="US", disembark="BS",
        nationalities=["HT"], conditions=[],
    )  # fmt: skip
    assert not [n for n in alone["notes"] if n["rule"] == "R6"]


def test_the_acting_state_owes_itself_no_guardian_notice(directory: Directory) -> None:
    """Cuba's coast guard lands unaccompanied Cuban and Haitian children in The Bahamas. The
    plan notified Cuba's post of the guardianship on VCCR art. 37(b), a rule binding the state
    that appoints the guardian (here The Bahamas) towards another state's post. Haiti's post
    is notified as before; for the Cuban children, a plan note says who owes the notice."""
    result = plan(
        directory, stateless=True, zone="high-seas", acting="CU", disembark="BS",
        nationalities=["CU", "HT"], conditions=["unaccompanied"],
    )  # fmt: skip
    guardian = [s for s in steps(result, "consular-access") if s["rule"] == "R10"]
    assert [s["state"] for s in guardian] == ["HT"]
    [note] = [n for n in result["notes"] if n["rule"] == "R10"]
    assert "owes itself no such notice" in note["text"]
    assert "BS owes it" in note["text"]
    assert note["basis"] == ["VCCR art. 37(b)"]


def test_the_own_nationals_note_is_told_whole_in_the_language_in_use(
    directory: Directory,
) -> None:
    """The R6 note for the acting state's own nationals, asylum claimed, is told in Spanish
    and French to its last sentence, the one about the claims included."""
    facts = make_interception(
        stateless=True, zone="high-seas", acting="CU", disembark="BS", nationalities=["CU"],
        conditions=["asylum"], at=datetime.fromisoformat(AT),
    )  # fmt: skip
    [note] = [n for n in plan_contacts(directory, facts).notes if n.rule == "R6"]
    english = str(note.text)
    assert english.endswith("who claimed it or what they said.")
    for code, claims in (("es", "solicitan asilo"), ("fr", "demandent l'asile")):
        told = note.text.localized(code)
        assert claims in told, told
        assert "claim asylum" not in told and "acting state" not in told, told


@pytest.mark.parametrize("rule", ["R6", "R8", "R10"])
def test_the_own_nationals_notes_name_no_landing_state_before_it_is_known(
    directory: Directory, rule: str
) -> None:
    """Cuba's coast guard in a territorial sea whose state is not given, Cubans aboard, some
    dead: the R8 note said "its post covering None may be asked to help". With the landing
    state unknown the notes say what holds if they are landed in another state."""
    result = plan(
        directory, flag="CU", zone="territorial", acting="CU",
        nationalities=["CU"], conditions=["deaths", "unaccompanied"],
    )  # fmt: skip
    [note] = [n for n in result["notes"] if n["rule"] == rule]
    assert "None" not in note["text"]
    assert "another state" in note["text"]


def test_asylum_seekers_taken_out_of_another_states_waters_are_its_primary_responsibility(
    directory: Directory,
) -> None:
    """A U.S. cutter stops Haitians who claim asylum in The Bahamas' territorial sea and would
    land them in the United States. The authorisation step (R2) said nothing of the claims:
    but the state within whose territorial waters interception takes place has the primary
    responsibility for addressing the protection needs of those intercepted (UNHCR Executive
    Committee Conclusion No. 97 (LIV), 2003, para. (a)(i)), so the step asking its
    authorisation says to agree with it who screens them before they are taken out of its
    waters. Not when they are landed there (its own referral follows), nor when the coastal
    state may be the one they flee (Haitians found in Haiti's waters: it is told nothing of
    the claims)."""
    facts: dict[str, Any] = {
        "stateless": True, "zone": "territorial", "acting": "US", "disembark": "US",
        "nationalities": ["HT"], "conditions": ["asylum"],
    }  # fmt: skip
    [r2] = steps(plan(directory, coastal="BS", **facts), "coastal-state-authorization")
    [said] = [n for n in r2["notes"] if "primary responsibility" in n]
    assert "BS, within whose waters they were intercepted" in said
    assert "Conclusion No. 97 (LIV), 2003, (a)(i)" in said
    assert "before anyone is taken out of its waters to US" in said
    landed_there = plan(directory, coastal="BS", **{**facts, "disembark": "BS"})
    [r2] = steps(landed_there, "coastal-state-authorization")
    assert not [n for n in r2["notes"] if "primary responsibility" in n]
    [r2] = steps(plan(directory, coastal="HT", **facts), "coastal-state-authorization")
    assert not [n for n in r2["notes"] if "primary responsibility" in n]
    plain = plan(directory, coastal="BS", **{**facts, "conditions": []})
    [r2] = steps(plain, "coastal-state-authorization")
    assert not [n for n in r2["notes"] if "primary responsibility" in n]


# 8. A territory whose RCC is another jurisdiction's, acting for it ------------------------------


@pytest.mark.parametrize(
    ("coastal", "acting", "rcc"),
    [
        ("AW", "VE", "nl-kustwacht-carib"),
        ("PR", "DO", "us-rsc-sanjuan"),
        ("GP", "DM", "fr-cross-ag"),
    ],
)
def test_a_rescue_in_a_territorys_waters_asks_the_rcc_that_acts_for_it_to_let_units_in(
    shipped: Directory, coastal: str, acting: str, rcc: str
) -> None:
    """A Venezuelan unit going to a vessel in distress in Aruba's territorial sea (a Dominican
    one in Puerto Rico's, Dominica's in Guadeloupe's): R1 named the RCC whose region covers
    the territory's waters (the Dutch Caribbean Coast Guard, which `covers` Aruba; RSC San
    Juan; CROSS Antilles-Guyane), yet R2's step said "the directory holds no RCC of AW" and
    asked law enforcement for the rescue units' entry. The RCC that acts for the territory is
    its RCC: the entry is asked of it (SAR Convention annex 3.1.3), in a step of its own, as
    for a state whose RCC is its own."""
    result = plan(
        shipped, flag=acting, zone="territorial", coastal=coastal, acting=acting,
        nationalities=[acting], conditions=["distress"],
    )  # fmt: skip
    [first, *_] = result["steps"]
    assert (first["rule"], first["agency"]["id"]) == ("R1", rcc)
    entry = steps(result, "coastal-state-authorization")
    (rescue_entry, *_) = entry
    assert (rescue_entry["role"], rescue_entry["agency"]["id"]) == ("sar", rcc), entry
    texts = " ".join(n for s in entry for n in s["notes"])
    assert "holds no RCC" not in texts, texts


@pytest.mark.parametrize(
    ("landing", "rcc"),
    [("AW", "nl-kustwacht-carib"), ("BQ", "nl-kustwacht-carib"), ("GP", "fr-cross-ag")],
)
def test_a_landing_after_a_rescue_another_rcc_coordinates_names_it_in_a_territory_too(
    shipped: Directory, landing: str, rcc: str
) -> None:
    """A U.S. cutter rescues Haitians on the high seas (RCC Miami coordinates, R1) and would
    land them in Aruba (Bonaire, Guadeloupe), whose RCC is another jurisdiction's acting for
    it. The landing step asked that RCC, which does not coordinate the rescue, for the place
    of safety, and never named RCC Miami, which finds it (SOLAS V/33.1-1; MSC.167(78) 6.7),
    where a landing in Curaçao, the same RCC's seat, asked Curaçao's authorities and named
    RCC Miami. It reads as for Curaçao."""
    result = plan(
        shipped, flag="HT", zone="high-seas", acting="US", disembark=landing,
        nationalities=["HT"], conditions=["distress"],
    )  # fmt: skip
    assert result["steps"][0]["agency"]["id"] == "us-rcc-miami"
    [landing_step] = steps(result, "disembarkation")
    assert landing_step["role"] != "sar", landing_step
    assert any(
        n.startswith("Rescue Coordination Center Miami (us-rcc-miami) coordinates this rescue")
        for n in landing_step["notes"]
    ), landing_step["notes"]
    assert rcc  # the territory's RCC, which is not asked for the place of safety


# 9. Nobody's nationality known, landed elsewhere: the flag and coastal states may be theirs -----


@pytest.mark.parametrize(
    "facts",
    [
        dict(flag="HT", zone="high-seas", acting="US", disembark="US"),
        dict(flag="HT", zone="territorial", coastal="BS", acting="US", disembark="US"),
        dict(stateless=True, zone="contiguous", coastal="CU", acting="US", disembark="US"),
    ],
    ids=["Haitian flag, high seas", "Haitian flag, Bahamian waters", "Cuba's contiguous zone"],
)
def test_with_nobodys_nationality_known_the_states_they_may_come_from_are_told_nothing_of_claims(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """A U.S. cutter stops a Haitian boat (or a boat in Bahamian waters, or in Cuba's
    contiguous zone), someone claims asylum, nobody's nationality is known yet, and the people
    would be landed in the United States. The flag and coastal states are where they most
    likely come from, as the plan says when it would land them there; but landed elsewhere,
    the steps to those states (the flag state's authorisation, the coastal state's, the
    investigation) carried no word of it, where the same steps with Haitians known to be
    aboard warn to share what concerns the vessel only and never who claimed asylum. Every
    step to such a state now says that it may be the claimants' country and what it must not
    be told; the steps about the smugglers inform it."""
    result = plan(shipped, conditions=["asylum", "smugglers"], **facts)
    origins = {c for c in (facts.get("flag"), facts.get("coastal")) if c}
    to_origins = [s for s in result["steps"] if s["state"] in origins]
    assert to_origins
    for step in to_origins:
        assert any(
            w.startswith("The nationalities aboard are not known and ")
            and "may be the country of those who claim asylum" in w
            for w in step["warnings"]
        ), step
        if step["purpose"] == "investigation":
            assert step["action"] == "inform", step


# 10. The flag state answers for its register wherever the people are landed ---------------------


@pytest.mark.parametrize("landing", ["BS", "VI", "PR"])
def test_the_flag_states_authority_does_not_depend_on_where_people_are_landed(
    shipped: Directory, landing: str
) -> None:
    """A Bahamian patrol stops a U.S.-registered boat on the high seas. Landing the people in
    The Bahamas, the flag-state request went to the U.S. Coast Guard's district at home;
    landing them in the U.S. Virgin Islands or Puerto Rico, to Coast Guard Sector San Juan,
    "acting for US in VI", as if the flag state's answer on its register and on boarding a
    vessel on the high seas (UNCLOS art. 92; SOM Protocol art. 8(2)) were given where the
    people will be landed, after the boarding it authorises. The same authority answers."""
    result = plan(shipped, flag="US", zone="high-seas", acting="BS", disembark=landing)
    [flag_step] = steps(result, "flag-state-authorization")
    assert flag_step["agency"]["id"] == "us-uscg-d7", flag_step["agency"]
    assert not any(" acts for US in " in n for n in flag_step["notes"]), flag_step["notes"]


# 11. A return within the people's own state, wherever they were found ---------------------------


@pytest.mark.parametrize(
    ("acting", "nationality", "landing"),
    [("US", "KY", "TC"), ("KY", "GB", "KY"), ("TC", "KY", "TC")],
    ids=["Caymanians landed in TC", "Britons landed in KY", "TC patrol, Caymanians"],
)
def test_a_return_within_their_own_state_is_no_refoulement_wherever_they_were_found(
    shipped: Directory, acting: str, nationality: str, landing: str
) -> None:
    """Caymanians stopped on the high seas, asylum claimed, landed in the Turks and Caicos
    Islands and to be returned to the Cayman Islands (Britons landed in the Cayman Islands, to
    be returned to the United Kingdom): the return is within their own state. Found in its
    waters, the step said they have not left their country and are not refugees (1951
    Convention art. 1A(2)); found on the high seas, it said "returning a refugee to danger
    breaches non-refoulement (1951 Convention art. 33)". Whoever is returned from one
    territory of their state to another is in their country, and no refugee there: art. 33
    forbids returning a refugee, who is outside the country of nationality (art. 1A(2)). The
    landing in their own state is what the plan warns of as refoulement; the return after it
    still waits for the claims, which may be against their state."""
    result = plan(
        shipped, stateless=True, zone="high-seas", acting=acting, disembark=landing,
        nationalities=[nationality], conditions=["asylum"], return_considered=True,
    )  # fmt: skip
    returns = steps(result, "repatriation")
    assert returns
    for step in returns:
        text = " ".join(step["warnings"])
        assert "art. 33" not in text, text
        assert "no return before the claim is decided" in text, text
        assert "are not refugees (1951 Convention art. 1A(2))" in text, text
        assert "the protection they claim may be against it" in text, text
    # Between states, art. 33 stays.
    abroad = plan(
        shipped, stateless=True, zone="high-seas", acting="US", disembark="US",
        nationalities=["KY"], conditions=["asylum"], return_considered=True,
    )  # fmt: skip
    for step in steps(abroad, "repatriation"):
        assert any("(1951 Convention art. 33)" in w for w in step["warnings"]), step


# A state's waters divided between SAR regions ----------------------------------------------


def test_waters_divided_between_confirmed_regions_name_every_rcc_and_where_each_applies(
    tmp_path: Any,
) -> None:
    """Two confirmed SAR regions, of two RCCs, cover JM's waters (a state with two coasts, each
    in its own region). R1 named the first and said nothing of the other: an officer off the
    other coast was sent to the wrong centre. The step now names every region that covers
    those waters, with its RCC, and says to call the one whose region holds the position."""
    folder = write_routing_directory(tmp_path / "divided")
    (folder / "divided.toml").write_text(
        '[[sar_regions]]\nid = "srr-jm-south"\nname = "Miami SRR: waters south of JM"\n'
        'rcc = "us-rcc-miami"\ncovers = ["JM"]\nlast_verified = 2026-11-01\n'
        'sources = [{ title = "routing test fixture", url = "https://example.gov/fixture", '
        "published = 2026-01-15 }]\n",
        encoding="utf-8",
    )
    divided = load_directory(base=folder, use_env=False)
    result = plan(
        divided, flag="HT", zone="territorial", coastal="JM", acting="JM", conditions=["distress"]
    )
    (sar,) = steps(result, "sar-coordination")
    assert sar["agency"]["id"] == "jm-jdf-cg"  # the coastal state's own centre first
    (divided_warning,) = [w for w in sar["warnings"] if "divided" in w]
    assert "Kingston SRR" in divided_warning and "jm-jdf-cg" in divided_warning
    assert "Miami SRR: waters south of JM" in divided_warning
    assert "us-rcc-miami" in divided_warning
    assert "holds the position" in divided_warning
    # One region alone: no such warning.
    alone = plan(
        load_directory(base=write_routing_directory(tmp_path / "one"), use_env=False),
        flag="HT",
        zone="territorial",
        coastal="JM",
        acting="JM",
        conditions=["distress"],
    )
    (sar,) = steps(alone, "sar-coordination")
    assert not [w for w in sar["warnings"] if "divided" in w]


def test_us_gulf_waters_are_not_sent_to_rcc_miami_alone(shipped: Directory) -> None:
    """A Mexican launch stopped off Texas: the U.S. waters were all recorded as RCC Miami's,
    whose Southeast District ends at the Chattahoochee; the Gulf coast west of it is the
    Heartland District's (New Orleans). The step names both and where each applies."""
    result = plan(
        shipped, flag="MX", zone="territorial", coastal="US", acting="US", conditions=["distress"]
    )
    (sar,) = steps(result, "sar-coordination")
    (divided_warning,) = [w for w in sar["warnings"] if "divided" in w]
    assert "us-rcc-miami" in divided_warning and "us-rcc-neworleans" in divided_warning
    assert "Gulf of Mexico" in divided_warning


def test_the_other_rcc_of_divided_waters_is_reachable_from_the_plan(shipped: Directory) -> None:
    """A Mexican launch in distress off Texas, at 03:00: R1 named RCC Miami and warned that
    the U.S. waters are divided with the Heartland District's command centre in New Orleans,
    but the plan held no way to reach New Orleans: the officer had to look it up. The step now
    carries the other RCC in ``also``, with its contacts and whether each channel is answered
    now, in JSON as in the text."""
    facts = {
        "flag": "MX", "zone": "territorial", "coastal": "US", "acting": "US",
        "conditions": ["distress"], "at": datetime.fromisoformat("2026-12-02T03:00:00-06:00"),
    }  # fmt: skip
    result = plan(shipped, **facts)
    (sar,) = steps(result, "sar-coordination")
    assert sar["agency"]["id"] == "us-rcc-miami"
    (other,) = sar["also"]
    assert other["state"] == "US" and other["agency"]["id"] == "us-rcc-neworleans"
    assert other["agency"]["timezone"]
    channels = [ch for c in other["contacts"] for ch in c["channels"]]
    assert channels and any(ch["available"] for ch in channels), other
    assert any("New Orleans maritime SRR" in n for n in other["notes"]), other
    # Every other step has an empty list: the field is always there.
    assert all(s["also"] == [] for s in result["steps"] if s is not sar)
    # The text shows it beside the step, with its channels.
    text = render(shipped, **facts)
    block = text.split(" 1. SAR coordination")[1].split("\n\n")[0]
    assert "also call: US: U.S. Coast Guard Heartland District Command Center" in block, block
    number = other["contacts"][0]["channels"][0]["value"]
    assert number in block, block
    # One RCC alone (Jamaica's waters): nothing else to call.
    alone = plan(shipped, flag="HT", zone="territorial", coastal="JM", acting="JM",
                 conditions=["distress"])  # fmt: skip
    (sar,) = steps(alone, "sar-coordination")
    assert sar["also"] == []


def test_the_other_candidate_rcc_where_the_sources_disagree_is_reachable(
    shipped: Directory,
) -> None:
    """Distress in Dominican waters: the sources disagree on which RCC covers them, and the
    step said "Alert them too" naming the other candidate by name and id only. The other
    candidate is now in ``also`` with its contacts."""
    result = plan(
        shipped, flag="HT", zone="territorial", coastal="DO", acting="US", conditions=["distress"]
    )
    (sar,) = steps(result, "sar-coordination")
    (warning,) = [w for w in sar["warnings"] if "Alert them too" in w]
    others = [a["agency"]["id"] for a in sar["also"]]
    assert others and all(o in warning for o in others), (others, warning)
    assert sar["agency"]["id"] not in others
    assert all(a["contacts"] for a in sar["also"]), sar["also"]


def test_a_state_with_no_file_but_a_foreign_ministry_is_not_said_to_have_no_authorities(
    shipped: Directory,
) -> None:
    """A Chinese-flagged vessel: the directory holds no file of China, only its foreign
    ministry (from the consular records), which the flag-state step goes to. The plan warned
    "The directory holds no authorities of CN (China): steps that need them stay unresolved"
    above a call list whose first line was that ministry. It now names what the directory
    holds of the state, and says its other authorities are missing."""
    result = plan(shipped, flag="CN", zone="high-seas", acting="US", nationalities=["CN"])
    (flag_step,) = steps(result, "flag-state-authorization")
    assert flag_step["resolved"] and flag_step["agency"]["id"] == "cn-mfa"
    (warning,) = [w for w in result["warnings"] if "(China)" in w]
    assert "holds no authorities" not in warning, warning
    assert "cn-mfa" in warning and "no file" in warning, warning
    # Its missions abroad are counted, not listed (some twenty of them filled the screen).
    assert "cn-emb-" not in warning and " missions abroad" in warning, warning
    # A state of which it holds nothing keeps the warning as it was.
    nothing = plan(shipped, flag="KP", zone="high-seas", acting="US")
    assert any("holds no authorities of KP" in w for w in nothing["warnings"]), nothing


@pytest.mark.parametrize(
    ("zone", "given"),
    [("contiguous", "contiguous zone"), ("eez", "EEZ"), ("archipelagic", "archipelagic waters")],
)
@pytest.mark.parametrize("acting", ["US", None])
def test_a_zone_of_a_coastal_state_whose_claims_are_not_held_is_taken_as_given(
    directory: Directory, zone: str, given: str, acting: str | None
) -> None:
    """A Haitian boat in "the contiguous zone of ER", a state the directory holds no file of:
    the zone was applied as given, without a word that the directory does not know whether
    Eritrea claims a contiguous zone (or an EEZ, or is an archipelagic state), as it says
    when a state it knows claims none ("BS claims no contiguous zone..."). The plan now says
    that it takes the zone as given and that the claims are unknown."""
    result = plan(directory, flag="HT", zone=zone, coastal="ER", acting=acting)
    assert result["interception"]["zone"] == zone  # taken as given
    (warning,) = [w for w in result["warnings"] if "maritime claims of ER" in w]
    assert "holds no maritime claims" in warning and given in warning, warning
    assert "as given" in warning, warning
    assert "UNCLOS" in warning, warning


@pytest.mark.parametrize(
    "facts",
    [
        # Territorial sea and internal waters are every coastal state's: nothing to doubt.
        {"zone": "territorial", "coastal": "ER"},
        {"zone": "internal", "coastal": "ER"},
        # A state the directory holds: its claims are read as recorded.
        {"zone": "contiguous", "coastal": "DO"},
        {"zone": "contiguous", "coastal": "BS"},
        # The high seas: no coastal state's claims.
        {"zone": "high-seas"},
    ],
)
def test_no_unknown_claims_warning_where_the_claims_are_known_or_universal(
    directory: Directory, facts: dict[str, Any]
) -> None:
    result = plan(directory, flag="HT", acting="US", **facts)
    assert not any("holds no maritime claims" in w for w in result["warnings"]), result["warnings"]


# A mandatory consular notification with the detaining state not known -----------------------


@pytest.mark.parametrize(
    "facts",
    [
        {"flag": "JM", "zone": "high-seas", "disembark": "BS"},
        {"flag": "JM", "zone": "territorial", "acting": "BS"},
    ],
    ids=["acting unknown", "landing unknown"],
)
def test_an_unknown_detaining_state_does_not_hide_a_mandatory_notification(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """Jamaicans landed in The Bahamas, the acting state not given (no home state set), or
    stopped by The Bahamas in waters whose coastal state is not given (the landing state
    unknown). The United States must notify Jamaica's post of a detained Jamaican whatever
    the person's wish (its list of mandatory notifications), and a U.S. cutter, or a landing
    in the United States, may be the case: the step said only "contact the consulate only
    if they ask for it", so an officer of such a state skipped a notice its treaty makes
    mandatory. The step stays an offer (a notice sent against the person's wish cannot be
    taken back) and says which states it is mandatory for, and to give the state."""
    result = plan(shipped, nationalities=["JM"], **facts)
    (step,) = steps(result, "consular-access")
    assert step["requires_consent"], step
    (note,) = [n for n in step["notes"] if "is not known" in n]
    assert "US" in note and "mandatory" in note, note
    # The state known and bound says it as before; one known and not bound says nothing.
    known = plan(shipped, nationalities=["JM"], **{**facts, "acting": "US", "disembark": "US"})
    (step,) = steps(known, "consular-access")
    assert step["action"] == "notify" and not [n for n in step["notes"] if "is not known" in n]
    free = plan(shipped, nationalities=["JM"], **{**facts, "acting": "BS", "disembark": "BS"})
    (step,) = steps(free, "consular-access")
    assert not [n for n in step["notes"] if "is not known" in n], step


# The injured do not wait for a landing ---------------------------------------------------------


@pytest.mark.parametrize(
    "facts",
    [
        {"flag": "HT", "zone": "high-seas", "acting": "US", "disembark": "BS"},
        {
            "flag": "HT",
            "zone": "high-seas",
            "acting": "US",
            "disembark": "HT",
            "conditions": ["injured", "asylum"],
        },
    ],
    ids=["landing consent", "landing at home, deferred"],
)
def test_the_injured_are_not_held_aboard_for_the_landing_answer(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """Injured Haitians rescued on the high seas by a U.S. cutter, to be landed in The
    Bahamas (or in Haiti, the landing deferred for the asylum claims). The landing step said
    "people are not landed without it", and nothing of the injured: an officer read it as
    keeping a casualty aboard until the landing state answered (or the claims were
    decided). A rescue provides for their initial medical needs (SAR Convention annex
    1.3.2): the step now says that a medical evacuation the RCC arranges does not wait for
    it."""
    facts.setdefault("conditions", ["injured"])
    result = plan(shipped, nationalities=["HT"], **facts)
    (landing,) = steps(result, "disembarkation")
    (note,) = [n for n in landing["notes"] if "medical evacuation" in n]
    assert "SAR Convention 1979 annex 1.3.2" in note and "does not wait" in note, note
    # Without injured people, no such note.
    calm = plan(shipped, nationalities=["HT"], **{**facts, "conditions": ["distress"]})
    (landing,) = steps(calm, "disembarkation")
    assert not [n for n in landing["notes"] if "medical evacuation" in n], landing


# The SOM Protocol cited to a state it does not bind -------------------------------------------


def test_an_investigation_step_to_a_state_the_protocol_does_not_bind_does_not_cite_it(
    shipped: Directory,
) -> None:
    """A U.S. cutter stops smugglers in Colombia's territorial sea (and a Colombian boat on
    the high seas). Colombia is not a party to the SOM Protocol (it declared in 2006 that it
    would not ratify it), yet the step asking its prosecutors cited "SOM Protocol art. 6" as
    the basis of their jurisdiction, and the plan warned only of the acting state's status,
    which is a party. The step now cites UNTOC art. 15 alone and says why; a state whose
    status is uncertain (Haiti) is told so, its basis unchanged; a party (Mexico) as before."""
    waters = plan(
        shipped, flag="CO", zone="territorial", coastal="CO", acting="US", disembark="US",
        conditions=["smugglers"],
    )  # fmt: skip
    high_seas = plan(shipped, flag="CO", zone="high-seas", acting="US", conditions=["smugglers"])
    for result in (waters, high_seas):
        (colombia,) = [s for s in steps(result, "investigation") if s["state"] == "CO"]
        assert colombia["basis"] == ["UNTOC art. 15"], colombia
        assert any("CO is not a party to the SOM Protocol" in n for n in colombia["notes"])
        (own,) = [s for s in steps(result, "investigation") if s["state"] == "US"]
        assert own["basis"] == ["SOM Protocol art. 6", "UNTOC art. 15"], own
    haiti = plan(shipped, flag="HT", zone="high-seas", acting="US", conditions=["smugglers"])
    (flag_step,) = [s for s in steps(haiti, "investigation") if s["state"] == "HT"]
    assert flag_step["basis"] == ["SOM Protocol art. 6", "UNTOC art. 15"], flag_step
    assert any("uncertain status under the SOM Protocol" in n for n in flag_step["notes"])
    mexico = plan(shipped, flag="MX", zone="high-seas", acting="US", conditions=["smugglers"])
    (flag_step,) = [s for s in steps(mexico, "investigation") if s["state"] == "MX"]
    assert flag_step["basis"] == ["SOM Protocol art. 6", "UNTOC art. 15"], flag_step
    assert not any("SOM Protocol:" in n or "SOM Protocol (" in n for n in flag_step["notes"])


# A rescue in a state's waters with the acting state not known ---------------------------------


@pytest.mark.parametrize("coastal", ["BS", None])
def test_a_rescue_in_a_states_waters_with_the_acting_state_unknown_does_not_wait_for_it(
    shipped: Directory, coastal: str | None
) -> None:
    """A boat in distress in Bahamian waters (or a state's waters, the coastal state not
    given), the acting state not given. R2's plan note said that any other state boards,
    searches or detains the vessel there only with the coastal state's authorisation, and
    nothing of the rescue: with no R2 step (whose rescue note says so), an officer of another
    state read it as waiting for that authorisation before rendering assistance. The note now
    says that assistance to people in immediate danger is not held up for it (UNCLOS arts.
    18(2), 98(1)); without a rescue it says nothing of the kind. So does a stateless vessel's
    note (R5), which stands for R2's."""
    facts = {"flag": "HT", "zone": "territorial", "coastal": coastal, "nationalities": ["HT"]}
    result = plan(shipped, conditions=["distress"], **facts)
    (note,) = [n for n in result["notes"] if n["rule"] == "R2"]
    assert "do not hold up assistance to people in immediate danger" in note["text"], note
    assert "UNCLOS art. 18(2)" in note["text"] and "art. 98(1)" in note["text"], note
    calm = plan(shipped, **facts)
    (note,) = [n for n in calm["notes"] if n["rule"] == "R2"]
    assert "do not hold up assistance" not in note["text"], note
    # A stateless vessel's note (R5) stands for R2's: it says the same.
    stateless = {**facts, "flag": None, "stateless": True}
    result = plan(shipped, conditions=["distress"], **stateless)
    (note,) = [n for n in result["notes"] if n["rule"] == "R5"]
    assert "do not hold up assistance to people in immediate danger" in note["text"], note
    calm = plan(shipped, **stateless)
    (note,) = [n for n in calm["notes"] if n["rule"] == "R5"]
    assert "do not hold up assistance" not in note["text"], note


def test_the_states_a_notice_is_mandatory_for_are_joined_in_the_readers_language(
    shipped: Directory,
) -> None:
    """Jamaicans stopped with the acting state not given, on a directory where two states
    must notify Jamaica's post (the United States' confirmed list, and, hypothetically here,
    a restricted overlay's confirmed list for the United Kingdom). The note named both
    joined by an English " or " in a Spanish plan ("GB or US"), where every other list is
    joined in the reader's language."""
    import attrs

    from somnet._i18n import localized

    gb = shipped.states["GB"]
    assert gb.mandatory_notification is not None
    confirmed = attrs.evolve(
        gb,
        mandatory_notification=attrs.evolve(
            gb.mandatory_notification, nationalities=("JM",), status="confirmed"
        ),
    )
    directory = Directory(
        states=[confirmed if s.code == "GB" else s for s in shipped.states.values()],
        agencies=shipped.agencies(),
        agreements=shipped.all_agreements(),
        consular=shipped.consular,
        sar_regions=shipped.sar_regions,
    )
    interception = make_interception(
        flag="HT", zone="high-seas", disembark="BS", nationalities=["JM"],
        at=datetime.fromisoformat(AT),
    )  # fmt: skip
    result = plan_contacts(directory, interception)
    (step,) = [s for s in result.steps if s.purpose == "consular-access"]
    (note,) = [n for n in step.notes if "is not known" in n]
    assert "GB or " in note, note
    spanish = localized(note, "es")
    assert "GB o " in spanish and " or " not in spanish, spanish


@pytest.mark.parametrize(
    "facts",
    [
        {"flag": "HT", "zone": "high-seas", "acting": "US", "nationalities": ["HT"],
         "others_unknown": True},
        {"flag": "HT", "zone": "high-seas", "acting": "PR"},
        {"flag": "HT", "zone": "high-seas", "acting": "BS", "disembark": "US"},
    ],
    ids=["U.S. cutter, Haitians and others", "Puerto Rico, nobody's known", "landed in the U.S."],
)  # fmt: skip
def test_a_consular_step_waiting_for_nationalities_says_a_notice_may_not_wait_for_consent(
    shipped: Directory, facts: dict[str, Any]
) -> None:
    """A U.S. cutter holds Haitians and others whose nationalities are not known (or nobody's
    is; or people are to be landed in the United States). The step waiting for their posts
    said 'only with the person's consent' and nothing else, though the United States must
    notify the post of a national of a state on its list (Jamaicans, Bahamians...) whatever
    the person's wish: an officer who learned a nationality without planning again waited for
    a consent the notice does not need. The step now says so; a state with no confirmed list
    (The Bahamas landing in The Bahamas) says nothing."""
    result = plan(shipped, at=datetime.fromisoformat(AT), **facts)
    (step,) = [s for s in steps(result, "consular-access") if s["agency"] is None]
    assert step["requires_consent"], step
    (note,) = [n for n in step["notes"] if "mandatory" in n]
    assert "US" in note and "plan again" in note, note
    free = plan(
        shipped, flag="HT", zone="high-seas", acting="BS", nationalities=["HT"],
        others_unknown=True, at=datetime.fromisoformat(AT),
    )  # fmt: skip
    (step,) = [s for s in steps(free, "consular-access") if s["agency"] is None]
    assert not [n for n in step["notes"] if "mandatory" in n], step
