"""Protection first: what asylum changes in every step addressed to a country of nationality
of people aboard, and the plan's warning when asylum seekers would be landed at home."""

from __future__ import annotations

from datetime import date

import attrs

from somnet._codes import state_name
from somnet._i18n import Message, _, joined_messages
from somnet.directory.lookup import Directory
from somnet.routing.asks import (
    Ask,
    answering_state,
    found_in_landing_state,
    held_by_a_sister_territory,
    holds_them,
    landed_where_found,
    may_be_where_they_come_from,
    origin_unknown_landed_where_found,
    returning_home,
    stateless_landed_where_found,
    under_another_law,
)
from somnet.routing.interception import (
    SOVEREIGN_ZONES,
    Interception,
)

#: Steps about the vessel and the waters: the law requires them whoever is aboard, so asylum
#: qualifies them with a warning but never changes their action.
VESSEL_PURPOSES = frozenset(
    {
        "sar-coordination",
        "coastal-state-authorization",
        "coastal-state-notification",
        "flag-state-authorization",
    }
)


#: Steps of a vessel purpose that concern the people, not the vessel, and that no law
#: requires: R3's courtesy notice to the coastal state's migration authority. Asylum defers
#: them like any other step about the people to their country.
PEOPLE_COURTESIES = frozenset({("coastal-state-notification", "migration")})


#: Consular steps carry their own asylum warnings (consent, or a notice that must not reveal
#: the claim): see ``_consular_asks`` and ``_rule_r10``.
CONSULAR_PURPOSES = frozenset({"consular-access", "consular-death-notification"})


#: Referrals that hand children and victims to the landing state: with asylum claimed, from a
#: territory to another territory of its sovereign under another law they wait, as they would
#: to any state of the claimants (the acting territory's authorities take them meanwhile).
IN_CARE_PURPOSES = frozenset({"child-protection", "trafficking-victim-referral"})


#: Steps that share what concerns the smuggling: with asylum claimed, only that is shared.
OFFENCE_PURPOSES = frozenset({"investigation", "anti-corruption"})


def not_bound_by_art_33(i: Interception, d: Directory) -> tuple[Message, ...]:
    """What a step or warning that cites art. 33 of the 1951 Convention adds for each state
    that would hold the people and is recorded a party to neither the Convention nor its 1967
    Protocol (Cuba): art. 33 does not bind it as a treaty, but the prohibition of refoulement
    binds it as customary international law.

    The states that would hold them are the acting state and the landing state, unless the
    landing state is the one they may flee (their own, or, nobody's nationality known, where
    they were found): only the acting state holds them then. A party to the Protocol alone
    is bound by art. 33 through it (art. I(1)), and a status not recorded, or uncertain, adds
    nothing: the sentence says only what the directory shows.

    The status is read on the plan's day, on the acting state's calendar, as the SOM
    Protocol's is: a party is worded as a party to neither until one of the instruments it is
    a party to binds it (``State.refugee_treaty_party_on``): the Convention from the
    ninetieth day after its deposit (art. 43(2)), the Protocol from the day of its deposit
    (art. VIII(2))."""
    fled = (
        returning_home(i, d)
        or origin_unknown_landed_where_found(i, d)
        or stateless_landed_where_found(i, d)
    )
    holders = (i.acting,) if fled else (i.acting, i.disembark)
    day = d.today_in(i.acting, i.at)
    found = []
    for code in dict.fromkeys(c for c in holders if c):
        state = d.state(code)
        territory = _territory_outside_its_sovereigns_refugee_treaties(d, code, day)
        if territory is not None:
            found.append(territory)
        elif state is not None and state.refugee_treaty_party_on(day) == "no":
            found.append(
                _(
                    "{code} ({name}) is not a party to the 1951 Convention or its 1967 "
                    "Protocol: art. 33 does not bind it as a treaty, but the prohibition of "
                    "refoulement still binds it as customary international law."
                ).format(code=code, name=state_name(code))
            )
    return tuple(found)


def _territory_outside_its_sovereigns_refugee_treaties(
    d: Directory, code: str, day: date
) -> Message | None:
    """For a territory whose sovereign art. 33 binds as a party to the 1951 Convention or its
    1967 Protocol, and to which neither instrument is recorded as extended (Curaçao), or whose
    extension is recorded as uncertain (the Turks and Caicos Islands): what a step or warning
    citing art. 33 adds. A territory is no party in its own right: its sovereign extends the
    instruments to it or not (1951 Convention art. 40; 1967 Protocol art. VII(4)), and is the
    state bound, as a treaty where it did, and by the customary prohibition of refoulement
    there where it did not. A territory that records no status adds nothing, as a state does."""
    sovereign = d.sovereign_of(code)
    state, bound = d.state(code), d.state(sovereign)
    if sovereign == code or state is None or bound is None:
        return None
    if state.refugee_convention is None and state.refugee_protocol is None:
        return None
    if bound.refugee_treaty_party_on(day) != "yes":
        return None
    status = state.refugee_treaty_party_on(day)
    values = {
        "code": code,
        "name": state_name(code),
        "sovereign": sovereign,
        "sovereign_name": state_name(sovereign),
    }
    if status == "no":
        return _(
            "{code} ({name}) is not a party to the 1951 Convention or its 1967 Protocol: "
            "{sovereign} ({sovereign_name}), its sovereign, is bound by art. 33 as a party, but "
            "neither is recorded as extended to {code} (1951 Convention art. 40; 1967 Protocol "
            "art. VII(4)): art. 33 does not bind {sovereign} there as a treaty, but the "
            "prohibition of refoulement still binds {sovereign} there as customary "
            "international law."
        ).format(**values)
    if status == "uncertain":
        return _(
            "{code} ({name}): {sovereign} ({sovereign_name}), its sovereign, is bound by art. "
            "33 as a party to the 1951 Convention or its 1967 Protocol, but whether it extended "
            "either to {code} is not confirmed (1951 Convention art. 40; 1967 Protocol art. "
            "VII(4)): if it did not, art. 33 does not bind {sovereign} there as a treaty, but "
            "the prohibition of refoulement still binds it there as customary international "
            "law."
        ).format(**values)
    return None


def asylum_safeguard(i: Interception, d: Directory, ask: Ask) -> Ask:
    """With asylum claimed, nothing is asked of a country of nationality of people aboard
    (other than the acting state itself) about them before their claims are decided (1951
    Convention art. 33; SOM Protocol art. 19).

    Steps about the vessel and the waters keep the action the law requires, with a warning
    not to disclose who is aboard; steps about the smuggling share only that; any other
    request about the people is deferred (action ``inform``), the courtesy notice to the
    coastal state's migration authority included. Consular steps carry their own warnings.
    One pass over every rule's steps, so that no rule can forget it.

    A state where stateless asylum seekers were found and would be landed (it may be the one
    they lived in and flee) is treated as their country of nationality; a landing in another
    territory of the acting state's sovereign, a return to the acting state of people landed
    elsewhere, and a territory's patrol's steps to another territory of its sovereign under
    another law, are not spared as the acting state's own steps (``_in_another_jurisdiction``).
    """
    if ask.state is None or not i.has("asylum"):
        return ask
    if (
        may_be_where_they_come_from(i, d, ask.state)
        and not holds_them(d, ask.state, i.acting)
        and ask.purpose not in CONSULAR_PURPOSES
        and ask.role != "protection-partner"
    ):
        # The coastal or the flag state may be the claimants' own, whether or not they would
        # be landed there: its steps stay (the plan asks for the nationalities), each saying
        # what it must not be told. UNHCR, serving it, is not it. The steps about the
        # smugglers inform it, as they would a country of nationality.
        warnings = (*ask.warnings, _origin_unknown_warning(i, d, ask))
        if ask.purpose == "protection-referral" or ask.purpose in IN_CARE_PURPOSES:
            # Referring the claims is the one thing it must not be told yet: the referral waits
            # for the nationalities (and, for its own nationals, for the claims). So does
            # handing it the children and the victims, who may flee it: the acting state's
            # authorities have them in care meanwhile (``_in_care``).
            waiting = (
                _(
                    "Take this step only once the nationalities aboard are established, and "
                    "only for claimants who are not its nationals."
                )
                if ask.purpose == "protection-referral"
                else _(
                    "Take this step only once the nationalities aboard are established, and "
                    "only for those who are not its nationals."
                )
            )
            return attrs.evolve(
                ask,
                action="inform",
                notes=(waiting, *ask.notes),
                warnings=warnings,
                deferred=True,
                waits_for="nationalities",
            )
        action = "inform" if ask.purpose in OFFENCE_PURPOSES else ask.action
        return attrs.evolve(ask, action=action, warnings=warnings)
    # Stateless asylum seekers landed where they were found: that state may be the one they
    # lived in and flee, and is treated as their country of nationality would be. So it is
    # in a step about the stateless persons alone (their return) landed with its nationals:
    # it is not their country of nationality, but they may have lived there (R13 says so).
    # Landed where nobody aboard is at home, that step waits for nothing.
    fled = d.same_state(ask.state, i.disembark) and (
        stateless_landed_where_found(i, d)
        or (ask.stateless_persons and any(d.same_state(ask.state, n) for n in i.nationalities))
    )
    if (
        not (fled or any(d.same_state(ask.state, n) for n in i.nationalities))
        or (d.same_state(ask.state, i.acting) and not _in_another_jurisdiction(i, d, ask))
        or ask.purpose in CONSULAR_PURPOSES
    ):
        return ask
    # Named as the state that answers for it, a territory's sovereign through the territory:
    # as a country of nationality of people aboard (Turks and Caicos Islanders and Caymanians
    # alike, for TC), and as the country stateless persons may have lived in and flee.
    state = answering_state(d, ask.state)
    # Stateless persons and others of nationalities not known, planned as stateless persons
    # landed where found: the others may be its nationals, and the warning says so.
    others = fled and i.others_unknown and not i.nationalities
    if ask.purpose in VESSEL_PURPOSES and (ask.purpose, ask.role) not in PEOPLE_COURTESIES:
        warning = (
            _(
                "{state} may be the country the stateless persons aboard lived in and flee, or "
                "the country of others aboard whose nationalities are not known: share what "
                "concerns the vessel and the waters, never who is aboard or who claimed asylum."
            )
            if others
            else _(
                "{state} may be the country the stateless persons aboard lived in and flee: "
                "share what concerns the vessel and the waters, never who is aboard or who "
                "claimed asylum."
            )
            if fled
            else _(
                "{state} is a country of nationality of people aboard who may claim asylum: "
                "share what concerns the vessel and the waters, never who is aboard or who "
                "claimed asylum."
            )
        ).format(state=state)
        return attrs.evolve(ask, warnings=(*ask.warnings, warning))
    if ask.purpose in OFFENCE_PURPOSES:
        warning = (
            _(
                "{state} may be the country the stateless persons aboard lived in and flee, or "
                "the country of others aboard whose nationalities are not known: inform it to "
                "coordinate, sharing what concerns the vessel and the smugglers only, never who "
                "claimed asylum or what they said."
            )
            if others
            else _(
                "{state} may be the country the stateless persons aboard lived in and flee: "
                "inform it to coordinate, sharing what concerns the vessel and the smugglers "
                "only, never who claimed asylum or what they said."
            )
            if fled
            else _(
                "{state} is a country of nationality of people aboard who may claim asylum: "
                "inform it to coordinate, sharing what concerns the vessel and the smugglers "
                "only, never who claimed asylum or what they said."
            )
        ).format(state=state)
    else:
        warning = (
            _(
                "Deferred: {state} may be the country the stateless persons aboard lived in and "
                "flee, or the country of others aboard whose nationalities are not known. Ask "
                "nothing of it about anyone aboard before their claims are decided; afterwards "
                "act only for those found to have no protection need."
            )
            if others
            else _(
                "Deferred: {state} may be the country the stateless persons aboard lived in and "
                "flee. Ask nothing of it about them before their claims are decided; afterwards "
                "act only for those found to have no protection need."
            )
            if fled
            else _(
                "Deferred: {state} is a country of nationality of people aboard who may claim "
                "asylum. Ask nothing of it about them before their claims are decided; "
                "afterwards act only for those found to have no protection need."
            )
        ).format(state=state)
        # Deferred whatever it was: a notice of a landing or a return says as much as a request.
        # The rule's instructions (ask for consent, notify the port) then describe what follows
        # the decisions, not what to do now: the first note says so, a sentence of its own that
        # stands whether or not other notes follow (a note ending with a colon, and at times
        # with nothing after it, read as cut short).
        waiting = _(
            "Take this step only once the claims are decided, and only for those found to "
            "have no protection need."
        )
        return attrs.evolve(
            ask,
            action="inform",
            notes=(waiting, *ask.notes),
            warnings=(*ask.warnings, warning),
            deferred=True,
            waits_for="claims",
        )
    action = "inform" if ask.action == "request" else ask.action
    return attrs.evolve(ask, action=action, warnings=(*ask.warnings, warning))


def _origin_unknown_warning(i: Interception, d: Directory, ask: Ask) -> str:
    """What a step to a landing state that may be the claimants' own country (their
    nationalities unknown) says it must not be told. A territory is named through its
    sovereign, the state a claim would be against ("GB (through its territory TC)"). With
    some nationalities known (``others_unknown``), it speaks of the others'."""
    state = answering_state(d, ask.state) if ask.state else ask.state
    if i.nationalities:
        # Cubans aboard, and others: "the nationalities aboard are not known" is untrue.
        return _others_unknown_warning(ask).format(state=state)
    if ask.purpose in VESSEL_PURPOSES and (ask.purpose, ask.role) not in PEOPLE_COURTESIES:
        return _(
            "The nationalities aboard are not known and {state} may be the country of those "
            "who claim asylum: share what concerns the vessel and the waters, never who is "
            "aboard or who claimed asylum."
        ).format(state=state)
    if ask.purpose in OFFENCE_PURPOSES:
        return _(
            "The nationalities aboard are not known and {state} may be the country of those "
            "who claim asylum: inform it to coordinate, sharing what concerns the vessel and "
            "the smugglers only, never who claimed asylum or what they said."
        ).format(state=state)
    return _(
        "The nationalities aboard are not known and {state} may be the country of those who "
        "claim asylum: until the nationalities are established, tell it nothing of who claimed "
        "asylum or what they said, and refer no claim to it. If a claimant proves to be its "
        "national, this step waits for the claims."
    ).format(state=state)


def _others_unknown_warning(ask: Ask) -> str:
    """``_origin_unknown_warning`` where some nationalities aboard are known and others are
    not: the others may be the landing state's nationals."""
    if ask.purpose in VESSEL_PURPOSES and (ask.purpose, ask.role) not in PEOPLE_COURTESIES:
        return _(
            "The nationalities of others aboard are not known and {state} may be the country "
            "of those of them who claim asylum: share what concerns the vessel and the waters, "
            "never who is aboard or who claimed asylum."
        )
    if ask.purpose in OFFENCE_PURPOSES:
        return _(
            "The nationalities of others aboard are not known and {state} may be the country "
            "of those of them who claim asylum: inform it to coordinate, sharing what concerns "
            "the vessel and the smugglers only, never who claimed asylum or what they said."
        )
    return _(
        "The nationalities of others aboard are not known and {state} may be the country of "
        "those of them who claim asylum: until their nationalities are established, tell it "
        "nothing of who claimed asylum or what they said, and refer no claim to it. If a "
        "claimant proves to be its national, this step waits for the claims."
    )


def _in_another_jurisdiction(i: Interception, d: Directory, ask: Ask) -> bool:
    """A step of the acting state's own that is still addressed to another jurisdiction, one
    that may be the claimants' state through it, and is treated as another state's would be:

    - a landing step to another territory of its sovereign (R15 asks one only of a territory
      with its own immigration law), and a return (R13) anywhere but from the acting state's
      own jurisdiction where people are landed: to the acting state of people landed in
      another state (a return from there like any other, the claimant may be among them), or
      to another territory of its sovereign (Caymanians held in the Turks and Caicos
      Islands). They wait for the claims, though the acting state is that state too. The
      landing side of a return where the acting state lands people under its own law (a U.S.
      cutter landing people in Puerto Rico, as in the United States) is its own, as in its
      own territory;
    - from a territory's patrol, the authorities of another territory of its sovereign under
      another law (``held_by_a_sister_territory``: a Cayman patrol's steps to the Turks and
      Caicos Islands'): the referrals of the children and the victims to it wait (they stay
      in the acting territory's care meanwhile), and its prosecutors (R12, the offence in its
      waters, under its own criminal law) and anti-corruption agency (R14, where it would
      land them) are informed, as another state's are. A sovereign acting off its own
      territory (a Royal Navy ship off the Turks and Caicos Islands) is answered there by the
      authorities that serve it: its own;
    - the steps about the vessel and the waters to the authorities of another territory of
      its sovereign under another law, whose waters they are (R2, R3: the acting state's
      officers, a territory's or the sovereign's, have no powers of their own there): they
      keep their action with the warning another state's get, and R3's courtesy notice to its
      migration authority waits, as to another state."""
    if ask.purpose == "disembarkation" or ask.purpose in VESSEL_PURPOSES:
        return under_another_law(d, ask.state, i.acting)
    if ask.purpose in IN_CARE_PURPOSES or ask.purpose in OFFENCE_PURPOSES:
        return held_by_a_sister_territory(d, ask.state, i.acting)
    landing_side_at_home = (
        not ask.home
        and ask.state == i.disembark
        and d.same_state(ask.state, i.acting)
        and not under_another_law(d, ask.state, i.acting)
    )
    return ask.purpose == "repatriation" and not landing_side_at_home


def refoulement_warnings(i: Interception, d: Directory) -> list[str]:
    """The plan's warning when asylum seekers would be landed in their own country, or may be
    (nobody's nationality known, or stateless persons, landed where they were found); where
    it cites art. 33 and the acting state, which would land them, is a party to neither
    refugee instrument, what binds it instead (``not_bound_by_art_33``)."""
    if found_in_landing_state(i, d):
        return _still_at_home_warnings(i, d)
    if (
        i.has("asylum")
        and i.disembark
        and landed_where_found(i, d)
        and (not i.nationalities or origin_unknown_landed_where_found(i, d))
    ):
        # Nobody's nationality is known, and they would be landed where they most likely come
        # from (the coast they were found off, the flag's state): the check below cannot run,
        # so the plan says what it cannot rule out. Stateless persons have no country of
        # nationality, but the place they lived may be the one they flee.
        # What the landing state is told meanwhile follows what the steps ask of it; when it
        # is the acting state itself, it holds them and screens them: it decides no claim
        # alone.
        held = holds_them(d, i.disembark, i.acting)
        if i.stateless_persons and not i.nationalities and i.others_unknown:
            # Planned as stateless persons landed where found; the others may be its nationals.
            text = (
                _(
                    "Asylum is claimed aboard, where there are stateless persons and others "
                    "whose nationalities are not known: {country}, where this plan would land "
                    "them, may be the country the stateless persons lived in and flee, or the "
                    "others' own, and landing them there before their claims are decided "
                    "breaches non-refoulement (1951 Convention art. 33; SOM Protocol art. 19). "
                    "{holder} holds them: its authorities must not decide the claims alone; "
                    "refer every claim to UNHCR as well."
                )
                if held
                else _(
                    "Asylum is claimed aboard, where there are stateless persons and others "
                    "whose nationalities are not known: {country}, where this plan would land "
                    "them, may be the country the stateless persons lived in and flee, or the "
                    "others' own, and landing them there before their claims are decided "
                    "breaches non-refoulement (1951 Convention art. 33; SOM Protocol art. 19). "
                    "Until then tell {code} only what concerns the vessel."
                )
            )
        elif i.stateless_persons and not i.nationalities:
            text = (
                _(
                    "Asylum is claimed by stateless persons: {country}, where this plan would "
                    "land them, may be the country they lived in and flee, and landing "
                    "them there before their claims are decided breaches non-refoulement (1951 "
                    "Convention art. 33; SOM Protocol art. 19). {holder} holds them: its "
                    "authorities must not decide the claims alone; refer every claim to UNHCR "
                    "as well."
                )
                if held
                else _(
                    "Asylum is claimed by stateless persons: {country}, where this plan would "
                    "land them, may be the country they lived in and flee, and landing "
                    "them there before their claims are decided breaches non-refoulement (1951 "
                    "Convention art. 33; SOM Protocol art. 19). Until then tell {code} only what "
                    "concerns the vessel."
                )
            )
        elif i.nationalities:
            # Some nationalities are known (Cubans), none of them its own, and others are not.
            text = (
                _(
                    "Asylum is claimed and the nationalities of others aboard are not known: "
                    "{country}, where this plan would land them, may be the others' own "
                    "country, and landing asylum seekers there before their claims are decided "
                    "breaches non-refoulement (1951 Convention art. 33; SOM Protocol art. 19). "
                    "Establish the others' nationalities before any landing. {holder} holds "
                    "them: if the claims are against it, its authorities must not decide them "
                    "alone; refer every claim to UNHCR as well."
                )
                if held
                else _(
                    "Asylum is claimed and the nationalities of others aboard are not known: "
                    "{country}, where this plan would land them, may be the others' own "
                    "country, and landing asylum seekers there before their claims are decided "
                    "breaches non-refoulement (1951 Convention art. 33; SOM Protocol art. 19). "
                    "Establish the others' nationalities before any landing; until then the "
                    "steps to {code}, the landing request included, tell it nothing of who "
                    "claimed asylum or what they said."
                )
            )
        else:
            text = (
                _(
                    "Asylum is claimed and the nationalities aboard are not known: {country}, "
                    "where this plan would land them, may be their own country, and landing "
                    "asylum seekers there before their claims are decided breaches "
                    "non-refoulement (1951 Convention art. 33; SOM Protocol art. 19). Establish "
                    "the nationalities aboard before any landing. {holder} holds them: if the "
                    "claims are against it, its authorities must not decide them alone; refer "
                    "every claim to UNHCR as well."
                )
                if held
                else _(
                    "Asylum is claimed and the nationalities aboard are not known: {country}, "
                    "where this plan would land them, may be their own country, and landing "
                    "asylum seekers there before their claims are decided breaches "
                    "non-refoulement (1951 Convention art. 33; SOM Protocol art. 19). Establish "
                    "the nationalities aboard before any landing; until then the steps to "
                    "{code}, the landing request included, tell it nothing of who claimed "
                    "asylum or what they said."
                )
            )
        # The acting state, which holds them and would land them, is bound by art. 33 as a
        # treaty or, a party to neither instrument, by the customary prohibition: the warning
        # says which where the directory shows it (and so below).
        # The country stateless persons may have lived in and flee, or that may be the
        # claimants' own, is a state: a territory is named as its sovereign's, through it
        # ("GB (through its territory TC)"), as in the steps to it. Who holds them is the
        # acting state, named so too (a Cayman patrol: "GB (through its territory KY)"; a
        # Royal Navy ship: GB); who is told is the landing territory, whose steps they are.
        country = (
            answering_state(d, i.disembark)
            if d.sovereign_of(i.disembark) != i.disembark
            else Message.make(
                "{code} ({name})",
                values={"code": i.disembark, "name": state_name(i.disembark)},
                literal=True,
            )
        )
        return [
            text.format(
                code=i.disembark,
                country=country,
                holder=answering_state(d, i.acting) if held and i.acting else "",
            ),
            *not_bound_by_art_33(i, d),
        ]
    if not returning_home(i, d):
        return []
    code = i.disembark or ""
    sovereign = d.sovereign_of(code)
    nationals = [n for n in i.nationalities if d.same_state(n, code)]
    # Stateless persons aboard with its nationals may have lived there: a stateless person's
    # claim is read against the country of former habitual residence (1951 Convention art.
    # 1A(2)), and landing them there may be refoulement too.
    stateless = (
        (
            _(
                "The stateless persons aboard may have lived in {state} too: if it is the "
                "country they lived in, landing them there before their claims are decided "
                "breaches non-refoulement for them as well."
            ).format(state=code),
        )
        if i.stateless_persons
        else ()
    )
    # Held by their own state outside its waters (in a state's waters whose coastal state is
    # not given, they may be in its own: the warning below stays).
    if (
        i.acting
        and holds_them(d, code, i.acting)
        and not (i.zone in SOVEREIGN_ZONES and not i.coastal)
    ):
        return _held_by_their_own_state_warnings(i, d, nationals)
    if sovereign != code:
        # Landed in a territory of their own state: name the state, and who is its national
        # (Caymanians, or Turks and Caicos Islanders, landed in the Turks and Caicos Islands),
        # never the territory as their nationality.
        warning = _(
            "Refoulement: asylum is claimed and people aboard ({nationals}) are nationals of "
            "{sovereign} ({sovereign_name}), and {code} ({name}), where this plan would land "
            "them, is its territory. Landing asylum seekers in their own country before "
            "their claims are decided breaches non-refoulement (1951 Convention art. 33; SOM "
            "Protocol art. 19): screen everyone first (see the protection-referral steps) "
            "and land in {code} only those found to have no protection need."
        ).format(
            nationals=", ".join(nationals),
            sovereign=sovereign,
            sovereign_name=state_name(sovereign),
            code=code,
            name=state_name(code),
        )
    else:
        warning = _(
            "Refoulement: asylum is claimed and people aboard are nationals of {code} ({name}), "
            "where this plan would land them. Landing asylum seekers in their own country "
            "before their claims are decided breaches non-refoulement (1951 Convention art. 33; "
            "SOM Protocol art. 19): screen everyone first (see the protection-referral steps) "
            "and land in {code} only those found to have no protection need."
        ).format(code=code, name=state_name(code))
    return [
        joined_messages((warning, *stateless), " ") if stateless else warning,
        *not_bound_by_art_33(i, d),
    ]


def departure_state_warnings(i: Interception, d: Directory) -> list[str]:
    """The plan's warning when asylum seekers who are not its nationals would be landed in the
    state whose flag the vessel flies or off whose coast they were found, outside its own
    waters: most likely the country they sailed from or through.

    Art. 33(1) of the 1951 Convention bars return "to the frontiers of territories" where a
    refugee's life or freedom would be threatened, any territory, not only the country of
    nationality, and UNHCR's Executive Committee asks that interception return nobody in need
    of protection there, directly or indirectly (Conclusion No. 97 (LIV), 2003, para. (a)(iv)):
    the country they left may be one they fear, or one that would send them on. The plan does
    not know it is, so it warns and asks the screening to cover it; it defers no step. Found in
    that state's own waters they are in its territory and returned nowhere
    (``found_in_landing_state``); its own nationals landed there are warned of by
    ``refoulement_warnings``; with nobody's nationality known, that warning says the landing
    state may be their own country.
    """
    landing = i.disembark
    if (
        not i.has("asylum")
        or landing is None
        or not i.nationalities
        or found_in_landing_state(i, d)
        or (
            all(d.same_state(n, landing) for n in i.nationalities)
            and not i.stateless_persons
            and not i.others_unknown
        )
    ):
        return []
    flag = i.flag == landing
    coast = (i.coastal or i.coast) == landing
    if not (flag or coast):
        return []
    situation = (
        _(
            "Asylum is claimed and this plan would land people in {code} ({name}), whose flag "
            "the vessel flies and off whose coast they were found: a country they may have "
            "left or crossed, which a claim may concern too."
        )
        if flag and coast
        else _(
            "Asylum is claimed and this plan would land people in {code} ({name}), whose flag "
            "the vessel flies: a country they may have left or crossed, which a claim may "
            "concern too."
        )
        if flag
        else _(
            "Asylum is claimed and this plan would land people in {code} ({name}), off whose "
            "coast they were found: a country they may have left or crossed, which a claim may "
            "concern too."
        )
    )
    screening = _(
        "The screening asks whether anyone fears {code} itself, or being sent on from it, "
        "before anyone is landed there: the 1951 Convention bars return to the frontiers of "
        "territories where life or freedom would be threatened, not only to the country of "
        "nationality (art. 33(1)), and interception should return nobody there, directly or "
        "indirectly (UNHCR Executive Committee Conclusion No. 97 (LIV), 2003, para. (a)(iv))."
    )
    name = state_name(landing)
    text = _("{first} {second}").format(
        first=situation.format(code=landing, name=name), second=screening.format(code=landing)
    )
    # Where the acting or the landing state is a party to neither refugee instrument, what
    # binds it instead; said once, with the refoulement warning when it is there.
    return [text, *(() if returning_home(i, d) else not_bound_by_art_33(i, d))]


def _held_by_their_own_state_warnings(
    i: Interception, d: Directory, nationals: list[str]
) -> list[str]:
    """Asylum seekers held outside its waters by their own state, which would land them at home
    (Cuba's coast guard stopping Cubans on the high seas). They have left their country, so they
    may be refugees (1951 Convention art. 1A(2)), and the protection they claim is against the
    state that holds them: it is not a country of refuge that screens them and lands the others,
    so the plan does not tell it to screen them as one. Its authorities decide no claim alone,
    every claim goes to UNHCR too, and its other authorities are told nothing of them; the
    interception must not deny them access to protection, nor return those who need it to
    where they are threatened (1951 Convention art. 33, as UNHCR Executive Committee Conclusion
    No. 97 (LIV), 2003, para. (a)(iv) applies it to every interception; UNHCR, EC/50/SC/CRP.17,
    2000; SOM Protocol art. 19, which saves the 1951 Convention); and stopping its own
    nationals from leaving is a restriction of their right to leave their own country (ICCPR
    art. 12(2)) that only art. 12(3) allows. Where the acting state is a party to neither
    refugee instrument, what binds it instead follows (``not_bound_by_art_33``)."""
    code = i.disembark or ""
    sovereign = d.sovereign_of(code)
    values = {
        "nationals": ", ".join(nationals),
        "sovereign": sovereign,
        "sovereign_name": state_name(sovereign),
        "code": code,
        "name": state_name(code),
        "holder": answering_state(d, i.acting or ""),
    }
    if sovereign != code:
        # Landed in a territory of their own state (a Cayman patrol landing Caymanians in the
        # Cayman Islands): the state is named, and the territory as the landing place.
        held = _(
            "Asylum is claimed by people aboard ({nationals}) who are nationals of {sovereign} "
            "({sovereign_name}): {holder} holds them and would land them in {code} ({name}), "
            "its territory. Outside its waters they have left their country and may be "
            "refugees (1951 Convention art. 1A(2)); the protection they claim is against "
            "{sovereign} itself."
        )
    else:
        held = _(
            "Asylum is claimed by people aboard who are nationals of {code} ({name}), the state "
            "that holds them and would land them there. Outside its waters they have left "
            "their country and may be refugees (1951 Convention art. 1A(2)); the protection "
            "they claim is against {code} itself."
        )
    owed = _(
        "Its authorities must not decide the claims alone: refer every claim to UNHCR as well "
        "(see the protection-referral steps), and tell its other authorities nothing of who "
        "claimed asylum or what they said. Interception must not deny them access to "
        "international protection, nor return those who need it to where their life or freedom "
        "is threatened (1951 Convention art. 33; UNHCR Executive Committee Conclusion No. 97 "
        "(LIV), 2003, (a)(iv); SOM Protocol art. 19): land in {code} only those found, with "
        "UNHCR, to have no protection need. Holding them back restricts their right to leave "
        "their own country, which only ICCPR art. 12(3) allows (art. 12(2))."
    )
    # Stateless persons aboard with its nationals may have lived there: their claims are read
    # against the country of former habitual residence (art. 1A(2)), so against it too.
    stateless = (
        (
            _(
                "The stateless persons aboard may have lived in {code} too: if it is the country "
                "they lived in, their claims are against it as well, and the same holds for them."
            ),
        )
        if i.stateless_persons
        else ()
    )
    return [
        joined_messages(
            [part.format(**values) for part in (held, *stateless, owed)],
            " ",
        ),
        *not_bound_by_art_33(i, d),
    ]


def _still_at_home_warnings(i: Interception, d: Directory) -> list[str]:
    """Found in the waters of the state that would land them (``found_in_landing_state``):
    those of its own people who claim asylum have not left their country. They are not
    refugees (1951 Convention art. 1A(2)) and the landing is no refoulement, so the plan does
    not say it is; but their claim is against that state, which is told nothing of it, or
    decides nothing alone, as when they are landed there from outside it."""
    if not i.has("asylum"):
        return []
    code = i.disembark or ""
    sovereign = d.sovereign_of(code)
    nationals = [n for n in i.nationalities if d.same_state(n, code)]
    # Others aboard whose nationalities are not known may be its own (``others_unknown``).
    partly = bool(i.nationalities) and not nationals and i.others_unknown
    if i.nationalities and not nationals and not partly:
        # Everyone aboard is foreign to the landing state: nobody is landed at home.
        return []
    # Found in the waters of one territory of the state and landed in another (Turks and
    # Caicos Islanders stopped in their waters, landed in the Cayman Islands): each is named.
    coastal = i.coastal or code
    if coastal != code:
        if nationals:
            found = _(
                "Asylum is claimed and people aboard ({nationals}) are nationals of {sovereign} "
                "({sovereign_name}), found in the waters of {coastal} ({coastal_name}), its "
                "territory, and this plan would land them in {code} ({name}), its territory "
                "too: they have not left their country."
            )
        elif i.stateless_persons and not i.nationalities and i.others_unknown:
            found = _(
                "Asylum is claimed aboard, where there are stateless persons and others whose "
                "nationalities are not known, found in the waters of {coastal} ({coastal_name}), "
                "and this plan would land them in {code} ({name}), of the same state: if it is "
                "the country the stateless persons lived in, or the others' own, they have not "
                "left it."
            )
        elif i.stateless_persons and not i.nationalities:
            found = _(
                "Asylum is claimed by stateless persons found in the waters of {coastal} "
                "({coastal_name}), and this plan would land them in {code} ({name}), of the "
                "same state: if it is the country they lived in, they have not left it."
            )
        elif partly:
            found = _(
                "Asylum is claimed and the nationalities of others aboard are not known; they "
                "were found in the waters of {coastal} ({coastal_name}), and this plan would "
                "land them in {code} ({name}), of the same state: those of them who are its "
                "nationals have not left their country."
            )
        else:
            found = _(
                "Asylum is claimed and the nationalities aboard are not known; they were found "
                "in the waters of {coastal} ({coastal_name}), and this plan would land them in "
                "{code} ({name}), of the same state: those who are its nationals have not left "
                "their country."
            )
    elif nationals:
        if sovereign != code:
            found = _(
                "Asylum is claimed and people aboard ({nationals}) are nationals of {sovereign} "
                "({sovereign_name}), found in the waters of {code} ({name}), its territory, "
                "where this plan would land them: they have not left their country."
            )
        else:
            found = _(
                "Asylum is claimed and people aboard are nationals of {code} ({name}), found in "
                "its waters, where this plan would land them: they have not left their country."
            )
    elif i.stateless_persons and not i.nationalities and i.others_unknown:
        found = _(
            "Asylum is claimed aboard, where there are stateless persons and others whose "
            "nationalities are not known, found in the waters of {code} ({name}), where this "
            "plan would land them: if it is the country the stateless persons lived in, or the "
            "others' own, they have not left it."
        )
    elif i.stateless_persons and not i.nationalities:
        found = _(
            "Asylum is claimed by stateless persons found in the waters of {code} ({name}), "
            "where this plan would land them: if it is the country they lived in, they have "
            "not left it."
        )
    elif partly:
        found = _(
            "Asylum is claimed and the nationalities of others aboard are not known; they were "
            "found in the waters of {code} ({name}), where this plan would land them: those of "
            "them who are its nationals have not left their country."
        )
    else:
        found = _(
            "Asylum is claimed and the nationalities aboard are not known; they were found in "
            "the waters of {code} ({name}), where this plan would land them: those who are its "
            "nationals have not left their country."
        )
    # Stateless persons aboard with its nationals may have lived where they were found too:
    # the warning speaks of them (with foreigners aboard, the plan does not read that place as
    # theirs, ``stateless_landed_where_found``, and there is no warning).
    stateless = (
        _(
            "The stateless persons aboard may have lived in {coastal} ({coastal_name}) too: if "
            "it is the country they lived in, they have not left it either."
        )
        if nationals and i.stateless_persons
        else None
    )
    law = _(
        "Someone who has not left their country is not a refugee under the 1951 Convention "
        "(art. 1A(2)), and landing them there is no refoulement under it; but the protection "
        "claimed may be against {state}."
    ).format(state=sovereign if nationals else answering_state(d, coastal))
    unknown = (not i.nationalities and not i.stateless_persons) or partly
    # Who holds them is the acting state (a U.S. cutter landing people in Puerto Rico);
    # who is told nothing is the landing place.
    held = holds_them(d, code, i.acting)
    if held:
        last = (
            _(
                "Establish the others' nationalities before any landing. {code} holds them: "
                "its authorities must not decide the claims alone; refer every claim to UNHCR "
                "as well (see the protection-referral steps)."
            )
            if partly
            else _(
                "Establish the nationalities aboard before any landing. {code} holds them: its "
                "authorities must not decide the claims alone; refer every claim to UNHCR as "
                "well (see the protection-referral steps)."
            )
            if unknown
            else _(
                "{code} holds them: its authorities must not decide the claims alone; refer "
                "every claim to UNHCR as well (see the protection-referral steps)."
            )
        )
    else:
        last = (
            _(
                "Establish the others' nationalities before any landing; until then the steps "
                "to {code}, the landing request included, tell it nothing of who claimed asylum "
                "or what they said."
            )
            if partly
            else _(
                "Establish the nationalities aboard before any landing; until then the steps to "
                "{code}, the landing request included, tell it nothing of who claimed asylum or "
                "what they said."
            )
            if unknown
            # Its landing step is deferred (a country of nationality, or the one stateless
            # persons may have lived in): no landing request goes before the claims.
            else _(
                "Until the claims are decided, the steps to {code} tell it nothing of who "
                "claimed asylum or what they said, and the landing in {code} waits for them."
            )
        )
    opening = found.format(
        nationals=", ".join(nationals),
        sovereign=sovereign,
        sovereign_name=state_name(sovereign),
        code=code,
        name=state_name(code),
        coastal=coastal,
        coastal_name=state_name(coastal),
    )
    # Who holds them is a state, named as answering_state names it (a Cayman patrol holds
    # them for "GB (through its territory KY)"); who is told is the landing place.
    told = last.format(code=answering_state(d, i.acting) if held and i.acting else code)
    also = (
        ()
        if stateless is None
        else (stateless.format(coastal=coastal, coastal_name=state_name(coastal)),)
    )
    return [joined_messages((opening, *also, law, told), " ")]
