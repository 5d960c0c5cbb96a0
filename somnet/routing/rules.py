"""The routing rules R1-R15 (docs/routing.md): one small object a rule in ``RULES``, with its
id, its legal basis, when it applies and the steps it asks for. Adding or amending a rule is
one place."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

import attrs

from somnet._codes import state_name
from somnet._i18n import Message, _, _n, joined_messages, quoted
from somnet.directory.lookup import Directory, primary_first
from somnet.directory.records import (
    PROTOCOL_IN_FORCE,
    Agency,
    TreatyKey,
)
from somnet.routing.agreements import (
    carries_covered,
    covers_smuggling,
    in_force,
    named,
    nationalities_warning,
)
from somnet.routing.asks import (
    RESCUE,
    Ask,
    Missing,
    Rule,
    answering_state,
    disembark_missing,
    foreign_nationalities,
    found_in_landing_state,
    given,
    held_by_a_sister_territory,
    holds_them,
    joined,
    landed_where_they_may_flee,
    origin_unknown_landed_where_found,
    returning_home,
    some_unknown,
    stateless_landed_where_found,
    territory_with_its_own_law,
    under_another_law,
    unknown_nationalities,
)
from somnet.routing.instruments import protocol_unbound
from somnet.routing.interception import (
    COASTAL_DISEMBARKATION_ZONES,
    SOVEREIGN_ZONES,
    Interception,
)
from somnet.routing.safeguards import asylum_safeguard, not_bound_by_art_33

CONSENT_WARNING = _(
    "Asylum is claimed: do not contact the authorities of the country of origin without the "
    "person's informed consent (1951 Convention art. 33; SOM Protocol art. 19)."
)


#: R4 in the coastal state's own contiguous zone, whatever the flag: it tells the flag state.
OWN_CONTIGUOUS_ZONE_NOTE = _(
    "The coastal state acts in its own contiguous zone under UNCLOS art. 33 (control to "
    "prevent or punish infringements of its immigration laws), which needs no flag-state "
    "authorisation. Telling the flag state is good practice and lets it confirm the "
    "registry; art. 33 itself imposes no duty to notify."
)


#: R7 has no step of its own: when asylum is claimed it qualifies every consular-access step
#: (R6) with this warning and basis.
R7_BASIS = (_("1951 Convention art. 33"), _("SOM Protocol art. 19"))


#: What R4, R5 and R13 rest on where the SOM Protocol did not bind a state on the day of the
#: interception (``protocol_unbound``): the rule's basis without the Protocol's articles,
#: each step's note saying why.
R4_BASIS_WITHOUT_PROTOCOL = (_("UNCLOS art. 92"),)
#: What R4 rests on in the coastal state's own contiguous zone, where it only tells the flag
#: state: its control there (UNCLOS art. 33), the flag state's jurisdiction (art. 92).
R4_BASIS_IN_OWN_CONTIGUOUS_ZONE = (_("UNCLOS art. 33"), *R4_BASIS_WITHOUT_PROTOCOL)
#: R2's basis: the coastal state's sovereignty over its waters; the Protocol's cooperation.
R2_BASIS = (_("UNCLOS arts. 2, 49"), _("SOM Protocol art. 7"))
#: R9's basis: the protection of smuggled migrants; non-refoulement.
R9_BASIS = (_("SOM Protocol arts. 16, 19"), _("1951 Convention art. 33"))
R5_BASIS_WITHOUT_PROTOCOL = (_("UNCLOS art. 110(1)(d)"),)
#: R5 in a state's internal, territorial or archipelagic waters, where art. 8(7) of the SOM
#: Protocol and UNCLOS art. 110 do not reach: that state's sovereignty over its waters (the
#: coastal state's, through its authorisation, R2; the acting state's own jurisdiction).
R5_BASIS_IN_A_STATES_WATERS = (_("UNCLOS arts. 2, 49"),)
#: R5 in the waters of another territory of the acting state's sovereign under its own law
#: (a Cayman patrol off the Turks and Caicos Islands): one state, so not UNCLOS; that
#: territory's law, as for R2 there.
R5_BASIS_IN_A_SISTER_TERRITORYS_WATERS = (_("The law of the territory whose waters they are"),)
R13_BASIS_WITHOUT_PROTOCOL = (
    _("General international law (a state's duty to readmit its own nationals)"),
)
#: The same for people of a territory with its own immigration law (Caymanians): their
#: sovereign's duty, and the territory's law, which says who may enter it.
R13_BASIS_TO_A_TERRITORY_WITHOUT_PROTOCOL = (
    *R13_BASIS_WITHOUT_PROTOCOL,
    _("The territory's immigration law (who may enter it)"),
)
#: R13's basis: art. 18 of the SOM Protocol, and art. 18(8), which keeps the agreements on
#: the return of smuggled migrants in force beside it, only on a step under such an agreement
#: (one in force between the landing state and the state of nationality on the day, that
#: covers the people returned: the step's ``agreement``).
R13_BASIS = (_("SOM Protocol art. 18"),)
#: R13's basis for stateless persons' return on a day the SOM Protocol bound no state: no
#: state owes them readmission as its nationals, so it rests on one that agrees to admit them.
R13_STATELESS_BASIS_WITHOUT_PROTOCOL = (
    _("The consent of a state that admits them (no state must readmit stateless persons)"),
)
R13_BASIS_UNDER_AGREEMENT = (*R13_BASIS, _("SOM Protocol art. 18(8)"))
#: R13 for a return between two territories of one state (Caymanians from the Turks and
#: Caicos Islands): the SOM Protocol (art. 18, on migrants smuggled into a state of which they
#: are not nationals, art. 3(a)) and the duty to readmit nationals are owed between states,
#: not by a state to itself; each territory's own immigration law governs it.
R13_BASIS_WITHIN_ONE_STATE = (
    _("The immigration law of each territory (a return within one state)"),
)


#: A request for the rescue units' entry is no reason to wait: stopping to render assistance
#: to persons in danger or distress is part of passage (UNCLOS art. 18(2)), and the duty to
#: render it stands (art. 98(1)); the request is for the search and the coordinated rescue.
NO_WAIT_FOR_ENTRY = _(
    "Do not hold up assistance to people in immediate danger for the answer: passage includes "
    "stopping to render assistance to persons in danger or distress (UNCLOS art. 18(2)), and "
    "the duty to render it stands (UNCLOS art. 98(1))."
)


#: In the waters of another territory of the same sovereign there is no passage to speak of,
#: but the duty to render assistance stands as anywhere at sea.
NO_WAIT_IN_SISTER_WATERS = _(
    "Do not hold up assistance to people in immediate danger for their answer: the duty to "
    "render it stands (UNCLOS art. 98(1); SOLAS V/33)."
)


#: R4 in a rescue: the flag state's authorisation is asked for boarding and search for
#: smuggling and the measures that follow; the duty to render assistance to any person found
#: at sea in danger of being lost (UNCLOS art. 98(1)(a); SOLAS V/33.1) is not conditioned on
#: the flag state's consent, so the rescue does not wait for its answer. Beyond the
#: territorial sea there is no passage to speak of (art. 18(2) is not the ground).
NO_WAIT_FOR_FLAG_STATE = _(
    "Do not hold up assistance to people in immediate danger for the flag state's answer: the "
    "duty to render assistance to any person found at sea in danger of being lost stands "
    "whatever the vessel's flag (UNCLOS art. 98(1); SOLAS V/33). The authorisation asked here "
    "is for boarding and search for smuggling and for measures against the vessel, which the "
    "rescue does not reach."
)


#: R15 when another state lands people in their own country from outside its waters: the
#: landing is their return, so it comes after protection screening, as R13's does. Art. 33
#: as UNHCR Executive Committee Conclusion No. 97 (LIV), 2003, para. (a)(iv), applies it to
#: interception; its reach at sea outside a state's territory is disputed (UNHCR, Advisory
#: Opinion on the Extraterritorial Application of Non-Refoulement Obligations, 2007; Supreme
#: Court of the United States, Sale v. Haitian Centers Council, 509 U.S. 155 (1993)).
LANDING_AT_HOME_AFTER_SCREENING = _(
    "This landing returns them to {state}, which they have left: only after protection "
    "screening. Tell everyone aboard that they may ask for protection, and land in {state} "
    "nobody who fears return there until that fear is heard (1951 Convention art. 33, as UNHCR "
    "Executive Committee Conclusion No. 97 (LIV), 2003, para. (a)(iv), applies it to "
    "interception). Whether art. 33 binds a state at sea outside its territory is disputed: "
    "UNHCR holds that it does wherever the state exercises jurisdiction (Advisory Opinion on "
    "the Extraterritorial Application of Non-Refoulement Obligations, 2007); the Supreme Court "
    "of the United States held that it does not bind the United States on the high seas (Sale "
    "v. Haitian Centers Council, 509 U.S. 155 (1993))."
)
#: The same with the acting state not known: landed by their own state (or another of its
#: territories) nobody is returned from another state (the step is not needed then, it says);
#: landed by any other, the landing is their return, after screening.
LANDING_AT_HOME_AFTER_SCREENING_UNLESS_THEIR_OWN = _(
    "Unless {sovereign} itself or another of its territories intercepted them, this landing "
    "returns them to {state}, which they have left: only after protection screening. Tell "
    "everyone aboard that they may ask for protection, and land in {state} nobody who fears "
    "return there until that fear is heard (1951 Convention art. 33, as UNHCR Executive "
    "Committee Conclusion No. 97 (LIV), 2003, para. (a)(iv), applies it to interception). "
    "Whether art. 33 binds a state at sea outside its territory is disputed: UNHCR holds that "
    "it does wherever the state exercises jurisdiction (Advisory Opinion on the "
    "Extraterritorial Application of Non-Refoulement Obligations, 2007); the Supreme Court of "
    "the United States held that it does not bind the United States on the high seas (Sale v. "
    "Haitian Centers Council, 509 U.S. 155 (1993))."
)


#: What R15 rests on after a rescue; people landed in their own country have a right to enter
#: it (ICCPR art. 12(4)), with or without one.
R15_BASIS = (_("SOLAS V/33.1-1"), _("SAR Convention annex 3.1.9"), _("IMO res. MSC.167(78)"))
ICCPR_12_4 = _("ICCPR art. 12(4)")
#: Beside it for a territory's own people landed in it: its law says who belongs there, and
#: the British territories' constitutions guarantee those who do the right to enter it.
TERRITORY_RIGHT_TO_ENTER = _("The territory's law (its own people's right to enter it)")
#: What R15 rests on for people who are all nationals of the landing state and were found in
#: its own waters: they are in its territory (UNCLOS arts. 2(1), 49(1)) and have not left their
#: country, so nobody enters it or is returned to it; stopping them from leaving restricts
#: their right to leave it (ICCPR art. 12(2)), as only art. 12(3) allows.
FOUND_AT_HOME_BASIS = (_("UNCLOS arts. 2, 49"), _("ICCPR art. 12(2), (3)"))
#: What R15 rests on with no one rescued, people not all landed in their own country: the
#: landing state's consent alone, which is its sovereignty over its territory and its ports
#: (internal waters, under its sovereignty as UNCLOS art. 2(1) presupposes; it sets the
#: conditions on which ships are admitted to them, art. 25(2)). SOLAS V/33 and the SAR
#: Convention bind it only towards people rescued at sea, and MSC.167(78) guides their duties;
#: an agreement that provides for the landing is the step's ``agreement``, not its basis.
LANDING_BY_CONSENT_BASIS = (
    _("General international law (a state's sovereignty over its territory and ports)"),
    _("UNCLOS arts. 2(1), 25(2)"),
)


NOT_REVEALING_THE_CLAIM = _(
    "Asylum is claimed: the notice says only that a national is held (or has died); it must "
    "never reveal that anyone claimed asylum, nor where they come from beyond what the notice "
    "needs. Consult UNHCR first."
)


#: What must come before a return, by what is known of those aboard: (condition, warning,
#: basis). Each is a legal precondition, so it is a warning the officer cannot miss.
NO_REFOULEMENT = _(
    "Asylum is claimed: no return before the claim is decided; returning a refugee to danger "
    "breaches non-refoulement (1951 Convention art. 33)."
)
#: The asylum safeguard, the same before a return between states and within one
#: (``_rule_r13`` words it by where they were found).
ASYLUM_SAFEGUARD = ("asylum", NO_REFOULEMENT, ())
#: The victims' safeguard before a return between states (Trafficking in Persons Protocol
#: art. 8): the state of nationality verifies it and issues documents. Before it, what the
#: Protocol and the practice it rests on expect of the state that holds them: victims
#: identified and referred (art. 6; the R11 step), a stay considered (art. 7), no punishment
#: for their entry or for what they were compelled to do (OHCHR Recommended Principles and
#: Guidelines on Human Rights and Human Trafficking, E/2002/68/Add.1, principle 7; SOM
#: Protocol art. 5 for the smuggling), and their refugee claims heard (art. 14(1), which saves
#: the 1951 Convention and non-refoulement). The basis of the return stays art. 8: the others
#: are conditions of it, not its ground.
VICTIMS_RETURN = _(
    "Victims of trafficking: identify them and refer them first (see the "
    "trafficking-victim-referral step); the state that holds them considers letting them "
    "remain in its territory, temporarily or permanently (Trafficking in Persons Protocol art. "
    "7); they are not punished for their irregular entry or for what they were compelled to do "
    "as victims (OHCHR Recommended Principles and Guidelines on Human Rights and Human "
    "Trafficking, principle 7); and a victim may also be a refugee (Trafficking in Persons "
    "Protocol art. 14(1)). Return them with due regard for their safety and the status of any "
    "proceedings, preferably voluntary; their nationality is verified and documents issued "
    "without undue delay (Trafficking in Persons Protocol art. 8)."
)
#: The same for stateless victims: art. 8 binds, besides the state of nationality, the state
#: in which the victim had the right of permanent residence on entering the receiving state
#: (art. 8(1)); that state verifies the right (8(3)) and issues travel documents or another
#: authorisation (8(4)). The basis stays art. 8.
STATELESS_VICTIMS_RETURN = _(
    "Victims of trafficking: identify them and refer them first (see the "
    "trafficking-victim-referral step); the state that holds them considers letting them "
    "remain in its territory, temporarily or permanently (Trafficking in Persons Protocol art. "
    "7); they are not punished for their irregular entry or for what they were compelled to do "
    "as victims (OHCHR Recommended Principles and Guidelines on Human Rights and Human "
    "Trafficking, principle 7); and a victim may also be a refugee (Trafficking in Persons "
    "Protocol art. 14(1)). Return them with due regard for their safety and the status of any "
    "proceedings, preferably voluntary. Stateless, they have no state of nationality: the "
    "state where they had the right of permanent residence when they entered the landing "
    "state accepts them, verifies that right and issues travel documents or another "
    "authorisation without undue delay (Trafficking in Persons Protocol art. 8(1), (3), (4))."
)
#: The victims' safeguard of a landing that returns nationals to their own country (R15) when
#: stateless persons are landed with them: the landing is the nationals' return, and a
#: stateless victim's only where the landing state is the one in which they had the right of
#: permanent residence (art. 8(1), (3), (4)); elsewhere theirs rests on its consent, as the
#: step asks. The basis stays art. 8, which applies to the nationals.
VICTIMS_LANDED_WITH_NATIONALS = _(
    "Victims of trafficking: identify them and refer them first (see the "
    "trafficking-victim-referral step); the state that holds them considers letting them "
    "remain in its territory, temporarily or permanently (Trafficking in Persons Protocol art. "
    "7); they are not punished for their irregular entry or for what they were compelled to do "
    "as victims (OHCHR Recommended Principles and Guidelines on Human Rights and Human "
    "Trafficking, principle 7); and a victim may also be a refugee (Trafficking in Persons "
    "Protocol art. 14(1)). Return them with due regard for their safety and the status of any "
    "proceedings, preferably voluntary. Nationals landed in their own country: their "
    "nationality is verified and documents issued without undue delay (Trafficking in Persons "
    "Protocol art. 8). Stateless victims landed with them have no state of nationality: their "
    "landing is a return only if they had the right of permanent residence in {landing}, "
    "which then verifies that right and issues travel documents or another authorisation "
    "without undue delay (Trafficking in Persons Protocol art. 8(1), (3), (4)); otherwise it "
    "rests on {landing}'s consent."
)
RETURN_SAFEGUARDS = (
    ASYLUM_SAFEGUARD,
    (
        "unaccompanied",
        _(
            "Unaccompanied children: a best-interests determination comes before any return, "
            "and a child is returned only to a parent, a relative or another caregiver able to "
            "take charge (CRC art. 3(1); UNHCR best-interests guidelines)."
        ),
        (_("CRC art. 3(1)"),),
    ),
    ("trafficking", VICTIMS_RETURN, (_("Trafficking in Persons Protocol art. 8"),)),
)
#: What the return of stateless persons may rest on. No state owes them readmission as its
#: nationals, and general international law's duty to readmit covers nationals only; but the
#: SOM Protocol binds a state to accept the return of a smuggled person who has the right of
#: permanent residence in its territory at the time of return (art. 18(1)), national or not,
#: and to consider it for one who had that right on entering the receiving state (art. 18(2)).
#: So art. 18 stays the basis; the step says through which right.
STATELESS_RETURN = _(
    "Stateless persons aboard: no state must readmit them as its nationals. A state the SOM "
    "Protocol binds must accept their return only if they have the right of permanent "
    "residence in its territory at the time of return (SOM Protocol art. 18(1)), and need only "
    "consider it if they had that right when they entered the landing state (art. 18(2)). "
    "Without such a right, a return needs a state that agrees to admit them, and never to "
    "where they face persecution."
)

#: What a sovereign's own law says of its nationals connected with its territories with their
#: own law, landed in the sovereign itself (R15), by its code. The United Kingdom: a British
#: citizen has the right of abode (Immigration Act 1971, ss. 1(1), 2), and most British Overseas
#: Territories citizens became British citizens on 21 May 2002 (British Overseas Territories Act
#: 2002, s. 3), but not one naturalised as such after that day and not registered as one; the
#: directory cannot tell them apart, so the step says so rather than assert either. The
#: Netherlands: Dutch nationality is one for the whole Kingdom, and the Aliens Act reaches only
#: those who are not Dutch nationals (Vreemdelingenwet 2000, art. 1): every Dutch national,
#: from Aruba, Curaçao or Sint Maarten too, enters the Netherlands as one. Elsewhere (Bonaire,
#: under the Netherlands' law but not its Aliens Act) the step says only that they may not.
SOVEREIGN_ENTRY: dict[str, Message] = {
    "GB": _(
        "People of {territories} are nationals of {state}, but a national connected "
        "with one of its territories may not have the right to enter {landing} itself "
        "(a British Overseas Territories citizen who is not also a British citizen has "
        "no right of abode in the United Kingdom): verify that each may enter "
        "{landing}; the others are landed there only with its consent."
    ),
    "NL": _(
        "People of {territories} are nationals of {state}, which has one nationality for "
        "the whole Kingdom: its Aliens Act reaches only those who are not its nationals "
        "(Vreemdelingenwet 2000, art. 1), so each may enter {landing} as its national."
    ),
}

#: The same safeguards for people landed in their own country after being found in its own
#: waters: they have not left it, so nothing is a return (and Trafficking in Persons Protocol
#: art. 8, on repatriation, does not apply), but the children and the victims are owed the
#: same care ashore. So too for a landing at home by another territory of the same sovereign
#: (a Cayman patrol landing Turks and Caicos Islanders): art. 8 is owed between states.
STAYING_SAFEGUARDS = (
    (
        "unaccompanied",
        _(
            "Unaccompanied children: a best-interests determination comes before they are "
            "landed, and a child is handed over only to a parent, a relative or another "
            "caregiver able to take charge (CRC art. 3(1); UNHCR best-interests guidelines)."
        ),
        (_("CRC art. 3(1)"),),
    ),
    (
        "trafficking",
        _(
            "Victims of trafficking: the state they are landed in endeavours to provide for "
            "their physical safety while they are in its territory (Trafficking in Persons "
            "Protocol art. 6(5))."
        ),
        (_("Trafficking in Persons Protocol art. 6(5)"),),
    ),
)

#: The same safeguards for a return between two territories of one state (Caymanians from the
#: Turks and Caicos Islands): Trafficking in Persons Protocol art. 8, on the repatriation of
#: victims to the state of which they are nationals, is owed between states, not by a state to
#: itself; the victims stay in its territory, where it endeavours to provide for their safety
#: (art. 6(5)). The children's best-interests determination comes before the move as before
#: any return. The asylum safeguard is the same as before a return between states.
WITHIN_ONE_STATE_SAFEGUARDS = (
    ASYLUM_SAFEGUARD,
    (
        "unaccompanied",
        _(
            "Unaccompanied children: a best-interests determination comes before they are "
            "sent back to their own territory, within one state, and a child is handed over "
            "there only to a parent, a relative or another caregiver able to take charge (CRC "
            "art. 3(1); UNHCR best-interests guidelines)."
        ),
        (_("CRC art. 3(1)"),),
    ),
    (
        "trafficking",
        _(
            "Victims of trafficking: sent back to their own territory, within one state, they "
            "are not repatriated to another and remain in the territory of the state, which "
            "endeavours to provide for their physical safety (Trafficking in Persons Protocol "
            "art. 6(5)): move them only with due regard for their safety and the status of any "
            "proceedings, preferably voluntarily."
        ),
        (_("Trafficking in Persons Protocol art. 6(5)"),),
    ),
)


def _rcc_by_region(
    d: Directory, i: Interception, state: str, why: Message, *, off_its_coast: bool = False
) -> Ask | None:
    """The RCC whose SAR region covers ``state``'s waters, with the region named; None when no
    region covers them.

    ``off_its_coast``: the interception is off ``state``'s coast (the coastal state's), in
    the regions that cover its waters. Where confirmed regions of several RCCs share them, the
    step names the first and warns that the waters are divided, naming every region: which
    holds the position the directory cannot tell. Elsewhere (the acting state's own centre,
    on the high seas) that centre relays.

    Where several RCCs' regions cover the waters and none is confirmed (the sources disagree),
    the acting state's own centre comes first, then the coastal state's, and the step names
    every other candidate in a warning: alert both.
    """
    rccs = d.rccs_for(state)
    if not rccs:
        return None
    regions = d.sar_regions_for(state)

    def confirmed(rcc: Agency) -> bool:
        return any(r.status == "confirmed" for r in regions if r.rcc == rcc.id)

    rccs = sorted(rccs, key=lambda r: (not confirmed(r), r.state != i.acting, r.state != state))
    rcc, others = rccs[0], rccs[1:]
    chosen = [r for r in regions if r.rcc == rcc.id]
    warnings = [
        _(
            "The region's coverage of {state}'s waters is uncertain. If the RCC does not "
            "answer, call {state}'s own authorities."
        ).format(state=state)
        for r in chosen[:1]
        if any(x.status != "confirmed" for x in chosen)
    ]
    provenance = [
        _("Why {id} is uncertain: {notes}.").format(id=r.id, notes=joined(r.notes))
        for r in chosen
        if r.status != "confirmed" and r.notes
    ]
    # The other RCCs to call, with their channels in the plan: an officer at 3 a.m. does not
    # look them up.
    also: dict[str, tuple[Agency, str]] = {}
    if others and not confirmed(rcc):
        for o in others:
            also[o.id] = (
                o,
                _(
                    "Another candidate for {state}'s waters (the sources disagree): {regions}."
                ).format(
                    state=state,
                    regions=joined_messages(
                        [quoted(r.name) for r in regions if r.rcc == o.id], _("; ")
                    ),
                ),
            )
        named = joined_messages(
            [
                _("{where}: {message}").format(
                    where=f"{o.name_en} ({o.id}, {o.state})",
                    message=joined_messages([quoted(r.name) for r in regions if r.rcc == o.id]),
                )
                for o in others
            ],
            _("; "),
        )
        warnings.append(
            _(
                "The sources disagree on which RCC covers {state}'s waters. Other candidates: "
                "{candidates}. Alert them too until one confirms it coordinates the case."
            ).format(state=state, candidates=named)
        )
    by_id = {a.id: a for a in rccs}
    divided = [r for r in regions if r.status == "confirmed" and r.rcc in by_id]
    if off_its_coast and len({r.rcc for r in divided}) > 1:
        # Confirmed regions of several RCCs share the waters (a state with two coasts): which
        # holds the interception is the position's, which the directory does not know.
        divided.sort(key=lambda r: r.rcc != rcc.id)
        for other in dict.fromkeys(r.rcc for r in divided if r.rcc != rcc.id):
            also[other] = (
                by_id[other],
                _(
                    "Its SAR region shares {state}'s waters: {regions}. Call it if the "
                    "position is in its region."
                ).format(
                    state=state,
                    regions=joined_messages(
                        [quoted(r.name) for r in divided if r.rcc == other], _("; ")
                    ),
                ),
            )
        warnings.append(
            _(
                "{state}'s waters are divided between SAR regions: {regions}. This step names "
                "the first; call the RCC of the region that holds the position."
            ).format(
                state=state,
                regions=joined_messages(
                    [
                        _("{region} ({rcc}, {id})").format(
                            region=quoted(r.name), rcc=by_id[r.rcc].name_en, id=r.rcc
                        )
                        for r in divided
                    ],
                    _("; "),
                ),
            )
        )
    return Ask(
        "sar-coordination",
        "request",
        rcc.state,
        "sar",
        agency=rcc,
        notes=(
            _("{why}. SAR region covering {state}: {regions}.").format(
                why=why,
                state=state,
                regions=joined_messages([quoted(r.name) for r in chosen], _("; ")),
            ),
        ),
        warnings=tuple(warnings),
        provenance=tuple(provenance),
        also=tuple(also.values()),
    )


def _rule_r1(i: Interception, d: Directory) -> list[Ask]:
    # A SAR region is not a maritime zone: off a coast whose claims do not reach the position
    # (read as the high seas), the region covering that state's waters still covers it.
    coastal = i.coastal or i.coast
    if coastal:
        ask = _rcc_by_region(
            d, i, coastal, _("RCC of the coastal state's SAR region"), off_its_coast=True
        )
        if ask is not None:
            return [ask]
    if i.acting:
        if coastal:
            why = _(
                "Acting state's RCC (no SAR region in the directory covers {coastal}'s waters; "
                "it relays to the RCC responsible for the position if that is another)"
            ).format(coastal=coastal)
        elif i.zone == "high-seas":
            why = _(
                "Acting state's RCC (on the high seas; it relays to the RCC responsible for the "
                "position if that is another)"
            )
        else:
            why = _(
                "Acting state's RCC (coastal state unknown; it relays to the RCC responsible "
                "for the position if that is another)"
            )
        ask = _rcc_by_region(d, i, i.acting, why)
        if ask is not None and ask.state is not None and not d.same_state(ask.state, i.acting):
            # The acting state's waters are in another state's region (The Bahamas' in RCC
            # Miami's): the centre is that state's, named as such, not the acting state's.
            ask = _rcc_by_region(d, i, i.acting, _rcc_of_the_region(i, ask.state, coastal))
        own = d.agencies(state=i.acting, role="sar")
        # Its centre in the region (CROSS Antilles-Guyane for France) comes before a national
        # centre that only relays from here (one in Europe, whose region is at home).
        coordinating = {r.rcc for r in d.sar_regions}
        here = [a for a in own if a.id in coordinating and not _relays_only(d, i.acting, a)]
        if ask is not None and not (
            here and ask.agency is not None and _relays_only(d, i.acting, ask.agency)
        ):
            return [_relay_only(d, i, i.acting, ask)]
        own = here or own
        if own:
            return [
                Ask(
                    "sar-coordination",
                    "request",
                    i.acting,
                    "sar",
                    agency=own[0],
                    notes=(_("{why}.").format(why=why),),
                )
            ]
        return [Ask("sar-coordination", "request", i.acting, "sar")]
    if coastal:
        return [Ask("sar-coordination", "request", coastal, "sar")]
    # No state's zone covers the high seas: only the acting state can name the RCC there.
    missing = (
        Missing(("acting",), _("the acting state"))
        if i.zone == "high-seas"
        else Missing(("coastal", "acting"), _("the coastal or the acting state"))
    )
    return [Ask("sar-coordination", "request", None, "sar", missing=missing)]


def _relays_only(d: Directory, acting: str, rcc: Agency) -> bool:
    """Whether ``rcc``, the acting state's own, only relays an alert from these waters: the
    acting state is a sovereign of territories in the directory and its RCC's SAR regions
    cover its own waters and nothing else the directory holds (HM Coastguard, whose region
    is around the United Kingdom, for a British ship in the Caribbean). RCC Miami covers
    other states' waters here, and coordinates rescues in them."""
    if rcc.state != acting:
        return False
    territories = [code for code in d.states if code != acting and d.sovereign_of(code) == acting]
    covered = {code for r in d.sar_regions if r.rcc == rcc.id for code in r.covers}
    return bool(territories) and not covered - {acting}


def _relay_only(d: Directory, i: Interception, acting: str, ask: Ask) -> Ask:
    """R1's step naming the acting state's own RCC, warned when that centre only relays
    (``_relays_only``): it cannot coordinate a rescue here, and the officer alerts the RCC
    of the position's region directly. Where a territory of the acting state in the case
    (its waters, the landing place) has an RCC of its own in the directory (the Cayman
    Islands Coast Guard), the step is left to the look-up that names it, as before the
    national centre was recorded."""
    rcc = ask.agency
    if rcc is None or not _relays_only(d, acting, rcc):
        return ask
    coordinating = {r.rcc for r in d.sar_regions}
    for place in dict.fromkeys((i.coastal, i.disembark)):
        if place is None or place == acting or d.sovereign_of(place) != acting:
            continue
        # As the look-up reads them: the acting state's agencies serving the territory, or
        # the territory's own (the Cayman Islands Coast Guard).
        serving = d.agencies(role="sar", serving=place)
        if any(a.id in coordinating and a.state in (acting, place) for a in serving):
            return Ask("sar-coordination", "request", acting, "sar")
    territories = sorted(
        code for code in d.states if code != acting and d.sovereign_of(code) == acting
    )
    warning = _(
        "{rcc} ({id}) is {acting}'s national RCC, and its SAR region covers none of "
        "{acting}'s territories here ({territories}): it only relays the alert. Alert the "
        "RCC of the SAR region that holds the position directly as soon as it is known."
    ).format(rcc=rcc.name_en, id=rcc.id, acting=acting, territories=", ".join(territories))
    return attrs.evolve(ask, warnings=(*ask.warnings, warning))


#: R2's (and a stateless vessel's R5) plan note in a rescue with the acting state unknown:
#: there is no entry step whose rescue note says it, and "only with its authorisation" must
#: not read as waiting for it to render assistance.
NO_WAIT_FOR_AUTHORISATION = _(
    "In a rescue, do not hold up assistance to people in immediate danger for that "
    "authorisation: passage includes stopping to render assistance to persons in danger or "
    "distress (UNCLOS art. 18(2)), and the duty to render it stands (UNCLOS art. 98(1))."
)


def _no_wait_when_acting_unknown(i: Interception, text: str) -> str:
    """``text``, a plan note that any state but the coastal one acts in its waters only with
    its authorisation, and, in a rescue, that the rescue does not wait for it."""
    if not i.has(*RESCUE):
        return text
    return joined_messages([text, NO_WAIT_FOR_AUTHORISATION], " ")


def _r2_acting_unknown_note(i: Interception, d: Directory) -> str:
    """What R2 says in a state's waters with the acting state unknown: no step, whose
    authorisation any other state needs there (and, in a rescue, that it does not wait)."""
    return _no_wait_when_acting_unknown(i, _r2_acting_unknown_text(i))


def _r2_acting_unknown_text(i: Interception) -> str:
    if i.coastal is None:
        return _(
            "Acting state unknown, in the coastal state's waters: any other state boards, "
            "searches or detains the vessel there only with the coastal state's authorisation "
            "(its maritime law enforcement); none is needed if the coastal state is the acting "
            "state itself."
        )
    return _(
        "Acting state unknown, in {coastal}'s waters: any other state boards, searches or "
        "detains the vessel there only with {coastal}'s authorisation (its maritime law "
        "enforcement); none is needed if {coastal} is the acting state itself."
    ).format(coastal=i.coastal)


def _rcc_of_the_region(i: Interception, rcc_state: str, coastal: str | None) -> Message:
    """Why R1 names another state's RCC for an acting state that coordinates no SAR region
    of its own: its waters are in that RCC's region."""
    if coastal:
        return _(
            "{rcc_state}'s RCC: the acting state, {acting}, coordinates no SAR region of its "
            "own, and its waters are in this RCC's region (no SAR region in the directory "
            "covers {coastal}'s waters; it relays to the RCC responsible for the position if "
            "that is another)"
        ).format(rcc_state=rcc_state, acting=i.acting, coastal=coastal)
    if i.zone == "high-seas":
        return _(
            "{rcc_state}'s RCC: the acting state, {acting}, coordinates no SAR region of its "
            "own, and its waters are in this RCC's region (on the high seas; it relays to the "
            "RCC responsible for the position if that is another)"
        ).format(rcc_state=rcc_state, acting=i.acting)
    return _(
        "{rcc_state}'s RCC: the acting state, {acting}, coordinates no SAR region of its "
        "own, and its waters are in this RCC's region (coastal state unknown; it relays to "
        "the RCC responsible for the position if that is another)"
    ).format(rcc_state=rcc_state, acting=i.acting)


def _rule_r2(i: Interception, d: Directory) -> list[Ask]:
    if not i.coastal:
        return [
            Ask(
                "coastal-state-authorization",
                "request",
                None,
                "maritime-law-enforcement",
                missing=Missing(("coastal",), _("whose waters they are")),
            )
        ]
    if _in_sister_waters(i, d):
        return [_sister_territory_waters(i, d, i.coastal)]
    notes: list[Message] = []
    agreement, mentioned = in_force(
        d,
        i,
        i.acting,
        i.coastal,
        lambda a: (
            named(d, i.acting, a.provides.entry_by)
            and a.kind in ("shiprider", "interdiction", "multilateral", "mou")
            and covers_smuggling(a, i)
            and carries_covered(d, a, i)
        ),
    )
    depends = nationalities_warning(agreement, i, d) if agreement else None
    extra_basis: tuple[str, ...] = ()
    rescue, rescue_mentioned = (
        in_force(
            d,
            i,
            i.acting,
            i.coastal,
            # A search and rescue agreement: entry of the acting state's rescue units only.
            lambda a: a.kind == "sar" and named(d, i.acting, a.provides.entry_by),
        )
        if i.has(*RESCUE)
        else (None, [])
    )
    mentioned += rescue_mentioned
    # SAR Convention 1979, annex 3.1.3: "Unless otherwise agreed between the States concerned,
    # the authorities of a Party which wishes its rescue units to enter into or over the
    # territorial sea or territory of another Party solely for the purpose of searching for
    # the position of maritime casualties and rescuing the survivors of such casualties, shall
    # transmit a request, giving full details of the projected mission and the need for it, to
    # the rescue co-ordination centre of that other Party, or to such other authority as has
    # been designated by that Party." (3.1.2: it should authorise immediate entry; 3.1.4: it
    # acknowledges the request at once.) With no agreement that lets the units in, the rescue
    # entry is asked of the coastal state's RCC, first; it is for the rescue alone, so the
    # authorisation of law enforcement is still asked of its maritime law enforcement. Where
    # the directory holds no RCC of the coastal state, the authorities asked here are asked
    # for the rescue entry too ("such other authority").
    unagreed_rescue = i.has(*RESCUE) and rescue is None
    rescue_entry = _rescue_entry(i, d, i.coastal) if unagreed_rescue else None
    if rescue_entry is not None and rescue_entry.agency is not None:
        notes.append(
            _(
                "The entry of the rescue units is asked of {rcc} ({id}) in its own step, and "
                "does not reach law enforcement: boarding, search or detention for smuggling "
                "needs this authorisation."
            ).format(rcc=rescue_entry.agency.name_en, id=rescue_entry.agency.id)
        )
    elif unagreed_rescue:
        notes.append(
            _(
                "No search and rescue agreement lets the rescue units of {acting} into "
                "{coastal}'s waters, and the directory holds no RCC of {coastal}: ask here, "
                "first, that they may enter solely to search for and rescue the people in "
                "distress, with the details of the mission and the need for it. That entry "
                "does not reach law enforcement: boarding, search or detention for smuggling "
                "needs this authorisation too."
            ).format(acting=i.acting, coastal=i.coastal)
        )
        notes.append(NO_WAIT_FOR_ENTRY)
        extra_basis = (_("SAR Convention 1979 annex 3.1.2, 3.1.3, 3.1.4"),)
    if rescue is not None:
        # SAR Convention 1979, annex 3.1.5: "Parties should enter into agreements with
        # neighbouring States setting forth the conditions for entry of each other's search and
        # rescue units into or over their respective territorial sea or territory. These
        # agreements should also provide for expediting entry of such units with the least
        # possible formalities." The request of 3.1.3 (quoted above) is sent "unless otherwise
        # agreed between the States concerned": the agreement takes its place, so the rescue
        # does not wait for this step. 3.1.2 (a Party should authorise immediate entry) yields
        # to what the states agreed too, and is not what the step rests on. The entry is
        # "solely for the purpose of" searching and rescuing (3.1.3): law enforcement is
        # another matter.
        notes.append(
            _(
                "{title} ({id}) lets the search and rescue units of {acting} enter {coastal}'s "
                "waters to search for and rescue people in distress: the rescue does not wait "
                "for this step; the RCC coordinates it. It does not reach law enforcement: "
                "boarding, search or detention for smuggling needs {coastal}'s authorisation."
            ).format(title=rescue.title, id=rescue.id, acting=i.acting, coastal=i.coastal)
        )
        extra_basis = (_("SAR Convention 1979 annex 3.1.3, 3.1.5"), rescue.title)
    # UNHCR Executive Committee Conclusion No. 97 (LIV), 2003, para. (a)(i): "The State
    # within whose sovereign territory, or territorial waters, interception takes place has
    # the primary responsibility for addressing any protection needs of intercepted
    # persons". Asylum seekers taken out of its waters to be landed elsewhere: the step that
    # asks its authorisation says to agree who screens them. Not where it may be the state
    # they flee (a nationality aboard, or, nobody's known, or stateless persons aboard, a
    # state they may come from): the asylum safeguard tells it nothing of the claims.
    if (
        i.has("asylum")
        and i.nationalities
        and not i.stateless_persons
        and not i.others_unknown
        and not any(d.same_state(n, i.coastal) for n in i.nationalities)
        and i.disembark
        and not d.same_state(i.disembark, i.coastal)
    ):
        notes.append(
            _(
                "Asylum is claimed: {coastal}, within whose waters they were intercepted, has "
                "the primary responsibility for addressing their protection needs (UNHCR "
                "Executive Committee Conclusion No. 97 (LIV), 2003, (a)(i)). In asking this "
                "authorisation, agree with it who screens the claims before anyone is taken "
                "out of its waters to {landing}."
            ).format(coastal=i.coastal, landing=i.disembark)
        )
    if agreement:
        hours = agreement.provides.notification_hours
        notes.insert(
            0,
            (
                _(
                    "Entry is authorised by {title}: notify before entering; it sets notice "
                    "within {hours} hours."
                )
                if hours
                else _("Entry is authorised by {title}: notify before entering.")
            ).format(title=agreement.title, hours=hours),
        )
    return [
        *([rescue_entry] if rescue_entry is not None else []),
        Ask(
            "coastal-state-authorization",
            "notify" if agreement else "request",
            i.coastal,
            "maritime-law-enforcement",
            agreement=agreement,
            mentioned=tuple(mentioned),
            notes=tuple(notes),
            warnings=(depends,) if depends else (),
            extra_basis=extra_basis,
        ),
    ]


def _rescue_entry(i: Interception, d: Directory, coastal: str) -> Ask | None:
    """The request to the coastal state's RCC to let the acting state's rescue units enter its
    waters to search and rescue (SAR Convention annex 3.1.3), where no agreement lets them
    in; None where the directory holds no RCC of the coastal state (its rescue service
    coordinates no SAR region, or it has none): the authorisation step is then the only one
    asked of it."""
    no_rcc, rcc = _rescue_unit(d, coastal)
    if no_rcc or rcc is None:
        return None
    return Ask(
        "coastal-state-authorization",
        "request",
        coastal,
        "sar",
        agency=rcc,
        # Entry needs the coastal state's leave (its sovereignty); the Convention says whom
        # to ask, and how.
        basis=(_("UNCLOS arts. 2, 49"), _("SAR Convention 1979 annex 3.1.2, 3.1.3, 3.1.4")),
        notes=(
            _(
                "No search and rescue agreement lets the rescue units of {acting} into "
                "{coastal}'s waters: ask {coastal}'s RCC to let them enter solely to search "
                "for and rescue the people in distress, with the details of the mission and "
                "the need for it; it acknowledges the request at once and says on what "
                "conditions, if any, they may enter. Boarding, search or detention for "
                "smuggling is authorised by {coastal}'s maritime law enforcement, in its own "
                "step."
            ).format(acting=i.acting, coastal=coastal),
            NO_WAIT_FOR_ENTRY,
            *(
                (
                    _("{rcc} also coordinates the rescue: make both requests in one call.").format(
                        rcc=rcc.name_en
                    ),
                )
                if (coordinating := _coordinating_rcc(i, d)) is not None
                and coordinating.id == rcc.id
                else ()
            ),
        ),
    )


def _in_sister_waters(i: Interception, d: Directory) -> bool:
    """The acting state is in the waters of another territory of its sovereign, under another
    law (``under_another_law``), whose own authorities police them: a Cayman patrol, or a
    Royal Navy ship, in the Turks and Caicos Islands' territorial sea. Waters that the
    sovereign's own agencies police for the territory (the Dutch Caribbean Coast Guard in
    Aruba's) are the sovereign's to act in, with no one else to tell."""
    coastal, acting = i.coastal, i.acting
    if coastal is None or acting is None or not under_another_law(d, coastal, acting):
        return False
    return d.sovereign_of(acting) != acting or bool(d.at_home(coastal, "maritime-law-enforcement"))


def _sister_territory_waters(i: Interception, d: Directory, coastal: str) -> Ask:
    """R2 in the waters of another territory of the acting state's sovereign where either has
    its own law (a Cayman patrol in the Turks and Caicos Islands' territorial sea): one state
    in international law, so UNCLOS is not the basis, but the waters are policed by the
    authorities that serve that territory, under its law, and the acting state's officers
    have no powers of their own there."""
    return Ask(
        "coastal-state-authorization",
        "request",
        coastal,
        "maritime-law-enforcement",
        basis=(_("The law of the territory whose waters they are"),),
        notes=(
            _(
                "{coastal} ({name}) and {acting} are under one sovereign ({sovereign}): these "
                "are not a foreign state's waters in international law, but {coastal}'s law "
                "applies there and the authorities that serve {coastal} exercise jurisdiction; "
                "the officers of {acting} have no powers of their own there. Tell them now and "
                "ask them to act, or to authorise what is done, and act with them."
            ).format(
                coastal=coastal,
                name=state_name(coastal),
                acting=i.acting,
                sovereign=d.sovereign_of(coastal),
            ),
            *((NO_WAIT_IN_SISTER_WATERS,) if i.has(*RESCUE) else ()),
        ),
    )


def _rule_r3(i: Interception, d: Directory) -> list[Ask]:
    missing = None if i.coastal else Missing(("coastal",), _("whose contiguous zone it is"))
    note = _(
        "A courtesy and a practical need, not a duty: in its contiguous zone the coastal state "
        "may exercise the control needed to prevent and punish infringements of its "
        "immigration laws (UNCLOS art. 33), so it will act on the people and the vessel; "
        "UNCLOS imposes no duty on other states to notify it."
    )
    if _in_sister_waters(i, d):
        # One state, but the control there serves the waters' territory's own law.
        coastal = given(i.coastal, "_in_sister_waters holds with the coastal state")
        note = _(
            "{coastal} ({name}) and {acting} are under one sovereign ({sovereign}), which "
            "exercises the control of UNCLOS art. 33 here; but it serves {coastal}'s "
            "immigration law, applied by the authorities that serve {coastal}, and the "
            "officers of {acting} have no powers of their own under it. Tell them now and act "
            "with them."
        ).format(
            coastal=coastal,
            name=state_name(coastal),
            acting=i.acting,
            sovereign=d.sovereign_of(coastal),
        )
    # With the acting state unknown, it may be the coastal state itself, which tells nobody of
    # its own zone (as R15 says of a landing).
    unknown = (
        (_("Not needed if the acting state is {landing} itself.").format(landing=i.coastal),)
        if i.acting is None and i.coastal
        else ()
    )
    return [
        Ask(
            "coastal-state-notification",
            "notify",
            i.coastal,
            role,
            missing=missing,
            notes=(note, *unknown),
        )
        for role in ("maritime-law-enforcement", "migration")
    ]


def _protocol_notes(d: Directory, flag: str | None, acting: str | None, day: date) -> list[Message]:
    """What the flag-state step says when art. 8 of the SOM Protocol does not apply between the
    two states on the plan's day: art. 8(2) is a request by one State Party about a vessel of
    another, so both must be bound, and a plan for a past moment (a review, a training case)
    counts only the days since the Protocol bound each of them (none before the Protocol
    itself entered into force, whether or not a party's deposit date is recorded)."""
    if day < PROTOCOL_IN_FORCE:
        # Art. 22(1): it bound nobody before, whatever a state's deposit date (recorded or not).
        return [
            _(
                "The SOM Protocol was not yet in force on {day} (in force from {bound}, art. "
                "22(1)): art. 8 requests rest on UNCLOS and bilateral arrangements, not the "
                "Protocol."
            ).format(day=day.isoformat(), bound=PROTOCOL_IN_FORCE.isoformat())
        ]
    notes: list[Message] = []
    for code, is_flag in ((flag, True), (acting, False)):
        state = d.state(code) if code else None
        if state is None or (not is_flag and d.same_state(code, flag)):
            continue
        status = state.som_protocol
        bound_from = status.binding_from()
        if bound_from is not None and status.date is not None and day < bound_from:
            text = _(
                "{code} was not yet bound by the SOM Protocol on {day} (instrument deposited "
                "on {date}, binding from {bound}): art. 8 requests rest on UNCLOS and "
                "bilateral arrangements, not the Protocol."
            )
        elif status.party == "yes":
            continue
        elif is_flag:
            text = (
                _(
                    "{flag} is not a party to the SOM Protocol: art. 8 requests rest on UNCLOS "
                    "and bilateral arrangements, not the Protocol."
                )
                if status.party == "no"
                else _(
                    "{flag} has uncertain status under the SOM Protocol: art. 8 requests rest on "
                    "UNCLOS and bilateral arrangements, not the Protocol."
                )
            )
        elif state.sovereign:
            # A territory is never a party: its sovereign extends the Protocol to it or not.
            text = (
                _(
                    "The acting state, {code}, is a territory of {sovereign}, which has not "
                    "extended the SOM Protocol to it: art. 8 requests are between parties, so "
                    "its request rests on UNCLOS and bilateral arrangements."
                )
                if status.party == "no"
                else _(
                    "The acting state, {code}, is a territory of {sovereign}, whose extension "
                    "of the SOM Protocol to it is not confirmed: if it was not extended, its "
                    "request rests on UNCLOS and bilateral arrangements, not art. 8."
                )
            )
        else:
            text = (
                _(
                    "The acting state, {code}, is not a party to the SOM Protocol: art. 8 "
                    "requests are between parties, so its request rests on UNCLOS and "
                    "bilateral arrangements."
                )
                if status.party == "no"
                else _(
                    "The acting state, {code}, has uncertain status under the SOM Protocol: "
                    "if it is not a party, its request rests on UNCLOS and bilateral "
                    "arrangements, not art. 8."
                )
            )
        notes.append(
            text.format(
                code=code,
                flag=code,
                sovereign=state.sovereign,
                day=day.isoformat(),
                date=status.date.isoformat() if status.date else "",
                bound=bound_from.isoformat() if bound_from else "",
            )
        )
    return notes


def _r4_flag_unknown(i: Interception, d: Directory) -> Ask:
    """R4's step when the flag is not known: it asks for the flag, and says what it can
    without it. In the acting state's own contiguous zone the flag state, whoever it is, is
    told, not asked (UNCLOS art. 33). Elsewhere art. 8 of the SOM Protocol is a request
    between States Parties: on a day it bound nobody, or for an acting state it did not bind
    (or may not), the request rests on UNCLOS whatever the flag, as the step says once the
    flag is given (``_protocol_notes``)."""
    missing = Missing(("flag", "stateless"), _("the flag state, or that the vessel is stateless"))
    if i.zone == "contiguous" and i.acting is not None and d.same_state(i.acting, i.coastal):
        return Ask(
            "flag-state-authorization",
            "notify",
            None,
            "som-art8-authority",
            missing=missing,
            basis=R4_BASIS_IN_OWN_CONTIGUOUS_ZONE,
            notes=(OWN_CONTIGUOUS_ZONE_NOTE, *_no_wait_for_the_flag_state(i)),
        )
    unbound = _protocol_notes(d, None, i.acting, d.today_in(i.acting, i.at))
    return Ask(
        "flag-state-authorization",
        "request",
        None,
        "som-art8-authority",
        missing=missing,
        basis=R4_BASIS_WITHOUT_PROTOCOL if unbound else None,
        notes=(*_maybe_its_own_contiguous_zone(i), *unbound, *_no_wait_for_the_flag_state(i)),
    )


def _no_wait_for_the_flag_state(i: Interception) -> tuple[Message, ...]:
    """R4's note in a rescue (distress, injured, deaths): the rescue does not wait for the
    flag state's answer, which concerns boarding and search for smuggling."""
    return (NO_WAIT_FOR_FLAG_STATE,) if i.has(*RESCUE) else ()


def _maybe_its_own_contiguous_zone(i: Interception) -> tuple[Message, ...]:
    """R4's note when the acting state is unknown in a coastal state's contiguous zone: it may
    be the coastal state, in its own contiguous zone, where it asks the flag state nothing."""
    if i.acting or i.zone != "contiguous" or not i.coastal:
        return ()
    return (
        _(
            "If the acting state is {coastal} itself, in its own contiguous zone, it needs no "
            "authorisation: it tells the flag state and asks it to confirm the registry (UNCLOS "
            "arts. 33, 92)."
        ).format(coastal=i.coastal),
    )


def _rule_r4(i: Interception, d: Directory) -> list[Ask]:
    if i.flag is None:
        return [_r4_flag_unknown(i, d)]
    notes: list[Message] = []
    agreement, mentioned = in_force(
        d,
        i,
        i.acting,
        i.flag,
        lambda a: (
            a.provides.boarding != "none"
            and (not a.provides.boarding_by or named(d, i.acting, a.provides.boarding_by))
            and covers_smuggling(a, i)
            and carries_covered(d, a, i)
        ),
        # Pre-authorised boarding governs over an expedited reply.
        better=lambda a: a.provides.boarding != "pre-authorised",
    )
    pre_authorised = agreement is not None and agreement.provides.boarding == "pre-authorised"
    own_contiguous = i.zone == "contiguous" and d.same_state(i.acting, i.coastal)
    # Applied on what nobody knows yet: the step says what it depends on (no need in the
    # coastal state's own contiguous zone, where no authorisation is asked).
    depends = (
        None if agreement is None or own_contiguous else nationalities_warning(agreement, i, d)
    )
    warnings: list[Message] = [depends] if depends else []
    # In its own contiguous zone the coastal state asks nothing of the flag state (art. 33):
    # what an agreement or the Protocol says of a request (pre-authorised boarding, an
    # expedited reply, art. 8 between parties) is not this step's.
    if pre_authorised and agreement is not None and not own_contiguous:
        hours = agreement.provides.notification_hours
        notes.insert(
            0,
            (
                _(
                    "Boarding is pre-authorised by {title}: notify the flag state within "
                    "{hours} hours, as it provides."
                )
                if hours
                else _("Boarding is pre-authorised by {title}: notify the flag state.")
            ).format(title=agreement.title, hours=hours),
        )
    elif agreement is not None and not own_contiguous:
        # ``notification_hours`` is the notice a party owes the other, as in every agreement
        # (data/README.md), never the time the flag state has to answer.
        hours = agreement.provides.notification_hours
        notes.insert(
            0,
            _(
                "{title} provides an expedited reply: request, citing it. It also sets notice "
                "to the flag state within {hours} hours: the notice owed to it, not the time "
                "it has to answer."
            ).format(title=agreement.title, hours=hours)
            if hours
            else _("{title} provides an expedited reply: request, citing it.").format(
                title=agreement.title
            ),
        )
    if own_contiguous:
        notes.append(OWN_CONTIGUOUS_ZONE_NOTE)
    else:
        # A flag is a claim until the flag state confirms it: one refuted leaves a vessel
        # without nationality, which the Protocol and UNCLOS let any state board here.
        notes.append(
            _(
                "If the flag state answers that the vessel is not on its register, it is treated "
                "as a vessel without nationality: it may then be boarded and searched without "
                "any state's authorisation (UNCLOS art. 110(1)(d); art. 8(7) of the Protocol "
                "where it binds the acting state). No answer is not such an answer."
            )
        )
    if not i.acting:
        notes.append(_("Acting state unknown: no agreement can be applied."))
        notes.extend(_maybe_its_own_contiguous_zone(i))
    day = d.today_in(i.acting, i.at)
    unbound = [] if own_contiguous else _protocol_notes(d, i.flag, i.acting, day)
    notes.extend(unbound)
    notes.extend(_no_wait_for_the_flag_state(i))
    # Art. 8 (and art. 17) bind only parties to one another: where the note says the request
    # rests on UNCLOS and bilateral arrangements, so does the basis (an arrangement that
    # governs is the step's ``agreement``).
    basis: tuple[str, ...] | None = R4_BASIS_WITHOUT_PROTOCOL if unbound else None
    if own_contiguous:
        # No art. 8 request in the coastal state's own contiguous zone: its power there is
        # UNCLOS art. 33, and the flag state (or a territory's registry) is told, and asked to
        # confirm the registry, as the state whose flag the vessel flies (art. 92); art. 17
        # agreements enhance art. 8, and one that applies is the step's ``agreement``.
        basis = R4_BASIS_IN_OWN_CONTIGUOUS_ZONE
    # A territory's vessels fly its sovereign's flag (UNCLOS art. 92): the sovereign answers,
    # and the territory's own registry confirms the registration where it has one.
    flag_state = d.sovereign_of(i.flag)
    if flag_state != i.flag:
        notes.append(
            _(
                "{territory} ({name}) is a territory of {sovereign}: its vessels fly "
                "{sovereign}'s flag, and {sovereign} answers as the flag state."
            ).format(territory=i.flag, name=state_name(i.flag), sovereign=flag_state)
        )
    asks = [
        Ask(
            "flag-state-authorization",
            "notify" if pre_authorised or own_contiguous else "request",
            flag_state,
            "som-art8-authority",
            fallback_roles=("maritime-law-enforcement", "foreign-affairs"),
            agreement=agreement,
            mentioned=tuple(mentioned),
            warnings=tuple(warnings),
            basis=basis,
            notes=(
                _(
                    "Tell the flag state of the boarding and search, ask it to confirm the "
                    "registry and what to do if evidence of smuggling is found."
                )
                if pre_authorised or own_contiguous
                else _(
                    "Ask the flag state to confirm the registry and to authorise boarding and "
                    "search, and what to do if evidence of smuggling is found."
                ),
                *notes,
            ),
        )
    ]
    if flag_state != i.flag and d.agencies(state=i.flag, role="ship-registry"):
        asks.append(
            Ask(
                "flag-state-authorization",
                "request",
                i.flag,
                "ship-registry",
                basis=basis,
                notes=(
                    _(
                        "Ask {territory}'s registry to confirm the vessel's registration, beside "
                        "the request to {sovereign}."
                    ).format(territory=i.flag, sovereign=flag_state),
                ),
            )
        )
    return asks


def _mandatory_notification(
    d: Directory, i: Interception, nationality: str
) -> tuple[Message, bool] | None:
    """Why notifying ``nationality``'s consular post may be mandatory, and whether the record
    of that duty is confirmed; None when it is the person's choice (VCCR art. 36(1)(b)). The
    acting state detains the people aboard; the landing state may detain them after landing:
    a duty of either applies.

    Only a confirmed duty overrides the person's choice. An uncertain record (a convention
    whose notification article was not read) is said, as an uncertain agreement is, and not
    applied: a notice sent against the person's wish cannot be taken back (for someone who
    may claim asylum it tells their state where they are held), while a notice held back
    until the duty is checked can still be sent. So a confirmed duty of either state is
    taken before an uncertain one of the other."""
    duties = []
    for detaining in dict.fromkeys((i.acting, i.disembark)):
        if not detaining or d.same_state(detaining, nationality):
            continue
        state = d.notification_mandatory(detaining, nationality)
        if state is not None and state.mandatory_notification is not None:
            duties.append((state, state.mandatory_notification))
    if not duties:
        return None
    # min() takes the first of equals: the acting state's duty when both are confirmed.
    state, rule = min(duties, key=lambda duty: duty[1].status != "confirmed")
    source = rule.sources[0].title if rule.sources else _("a bilateral consular convention")
    confirmed = rule.status == "confirmed"
    return (
        (
            _(
                "Notification is mandatory: {detaining} must notify {nationality}'s "
                "consular post of a detained national without delay, even if the person "
                "objects ({source})."
            )
            if confirmed
            else _(
                "Notification may be mandatory: {detaining} may have to notify "
                "{nationality}'s consular post of a detained national without delay, "
                "even if the person objects ({source}); this record is uncertain. "
                "Until the duty is checked, the person decides, as for anyone."
            )
        ).format(
            # The duty is the state's that is bound (the United States, for Puerto
            # Rico), to its sovereign's post for a territory's people (the United
            # Kingdom's, for KY).
            detaining=state.code,
            nationality=d.sovereign_of(nationality),
            source=source,
        ),
        confirmed,
    )


def _mandatory_if_detained_by(d: Directory, i: Interception, nationality: str) -> Message | None:
    """With the acting or the landing state not known, the states that must notify
    ``nationality``'s consular post of a detained national whatever the person's wish (a
    confirmed duty): if one of them detains the people, the notice is owed. None when both
    are known, or no such state is recorded. The offer stays the person's choice until the
    state is known: a notice sent against their wish cannot be taken back."""
    unknown = [what for what, code in (("acting", i.acting), ("landing", i.disembark)) if not code]
    if not unknown:
        return None
    bound = sorted(
        code
        for code, state in d.states.items()
        if state.mandatory_notification is not None
        and state.mandatory_notification.status == "confirmed"
        and not d.same_state(code, nationality)
        and (
            nationality in state.mandatory_notification.nationalities
            or d.sovereign_of(nationality) in state.mandatory_notification.nationalities
        )
    )
    if not bound:
        return None
    if unknown == ["acting"]:
        which = _("The acting state is not known")
    elif unknown == ["landing"]:
        which = _("The landing state is not known")
    else:
        which = _("Neither the acting nor the landing state is known")
    return _(
        "{which}: if {states} detains them, notification of {nationality}'s consular post is "
        "mandatory, without delay, even if the person objects (a bilateral consular "
        "convention). Give the state; until then, the person decides."
    ).format(
        which=which,
        states=joined_messages(bound, _(" or ")),
        nationality=d.sovereign_of(nationality),
    )


def _mandatory_once_known(d: Directory, i: Interception) -> Message | None:
    """For a consular step waiting for the nationalities aboard: the states among the acting
    and the landing state (each read as its sovereign) whose confirmed list makes notifying
    some nationalities' posts mandatory whatever the person's wish. The step stays an offer
    until the nationalities are known, but must not read as though every notice waited for
    consent. None when neither has such a list."""
    bound: list[str] = []
    for code in (i.acting, i.disembark):
        if not code:
            continue
        sovereign = d.sovereign_of(code)
        state = d.states.get(sovereign)
        rule = state.mandatory_notification if state is not None else None
        if rule is not None and rule.status == "confirmed" and sovereign not in bound:
            bound.append(sovereign)
    if not bound:
        return None
    return _(
        "Once their nationalities are known, plan again: {states} must notify the consular "
        "post of a detained national of a state on its list of mandatory notifications "
        "without delay, even if the person objects (a bilateral consular convention)."
    ).format(states=joined_messages(bound, _(" or ")))


def _own_national(i: Interception, d: Directory, nationality: str) -> bool:
    """Whether people of ``nationality`` are the acting state's own nationals (its
    territories' people included): VCCR arts. 36(1)(b) and 37(a) bind a state towards
    another state's consular post, and the state whose officers hold them owes itself no
    notice."""
    return i.acting is not None and d.same_state(nationality, i.acting)


def _own_nationals_aboard(i: Interception, d: Directory) -> bool:
    """The acting state's own nationals are aboard and would be landed in another state (or
    the landing state is not known yet)."""
    return any(_own_national(i, d, n) for n in foreign_nationalities(i, d))


def _r6_own_nationals_note(i: Interception, d: Directory) -> str:
    """R6's plan note when the acting state holds its own nationals and would land them in
    another state: no consular step to its own post, and what the landing state owes them."""
    acting = d.sovereign_of(given(i.acting, "_own_nationals_aboard holds"))
    landing: Message
    if i.disembark is None:
        landing = _(
            "If they are landed in another state, its authorities must tell them without delay "
            "that they may have their consular post informed once it holds them."
        )
    else:
        landing = _(
            "Once {landing} holds them, its authorities must tell them without delay that they "
            "may have their consular post informed."
        ).format(landing=i.disembark)
    text = _(
        "Consular access for nationals of {acting}: {acting} is the acting state, and VCCR art. "
        "36(1)(b) binds a state that holds another state's nationals; no state owes such a "
        "notice to itself. {landing}"
    ).format(acting=acting, landing=landing)
    if not i.has("asylum"):
        return text
    claims = _(
        "As people aboard claim asylum, its officers must tell its post nothing of who "
        "claimed it or what they said."
    )
    return joined_messages([text, claims], " ")


def _own_nationals_note(i: Interception, d: Directory, unknown: Message, known: Message) -> str:
    """A plan note about the acting state's own nationals: ``unknown`` while the landing state
    is not given, else ``known``, with ``{acting}`` (its sovereign) and ``{landing}``."""
    acting = d.sovereign_of(given(i.acting, "_own_nationals_aboard holds"))
    return (unknown if i.disembark is None else known).format(acting=acting, landing=i.disembark)


def _r8_own_dead_note(i: Interception, d: Directory) -> str:
    """R8's plan note when the acting state's own nationals died and would be landed in
    another state: no death notice to its own post, and why."""
    return _own_nationals_note(
        i,
        d,
        _(
            "Deaths of nationals of {acting}: {acting} is the acting state, and VCCR art. 37(a) "
            "binds a receiving state towards another state's consular post; no state owes such "
            "a notice to itself. Its own authorities tell the families, and, if the dead are "
            "landed in another state, its post there may be asked to help with the remains."
        ),
        _(
            "Deaths of nationals of {acting}: {acting} is the acting state, and VCCR art. 37(a) "
            "binds a receiving state towards another state's consular post; no state owes such a "
            "notice to itself. Its own authorities tell the families, and its post covering "
            "{landing} may be asked to help with the remains there."
        ),
    )


def _consular_asks(purpose: str, consent: bool) -> Callable[[Interception, Directory], list[Ask]]:
    """R6 (consent, unless notification is mandatory between the detaining state and the
    nationality) and R8 (deaths: never consent)."""

    def asks(i: Interception, d: Directory) -> list[Ask]:
        asylum = i.has("asylum")
        # R7's warning cites art. 33: it says what binds the states that would hold them where
        # one is a party to neither refugee instrument.
        r7_warnings = (CONSENT_WARNING, *not_bound_by_art_33(i, d))

        def waiting(what: Message) -> Ask:
            # R7: asylum claimed, so consular access carries the consent warning and its basis;
            # the death notice, owed whatever anyone's wish, that it must never reveal the
            # claim, as it does once the nationalities are known.
            r7 = consent and asylum
            once_known = _mandatory_once_known(d, i) if consent else None
            return Ask(
                purpose,
                "inform" if consent else "notify",
                None,
                "consular",
                missing=Missing(("nationalities",), what),
                requires_consent=consent,
                notes=(
                    (() if once_known is None else (once_known,))
                    if consent
                    else (_("Notify the death without delay."),)
                ),
                warnings=(r7_warnings if r7 else (NOT_REVEALING_THE_CLAIM,) if asylum else ()),
                extra_basis=R7_BASIS if r7 else (),
            )

        if unknown_nationalities(i):
            return [waiting(_("the nationalities aboard"))]
        found = []
        for n in foreign_nationalities(i, d):
            if _own_national(i, d, n):
                # R6, R8: the acting state owes itself no consular notice
                # (``_r6_own_nationals_note``, ``_r8_own_dead_note``).
                continue
            duty = _mandatory_notification(d, i, n) if consent else None
            mandatory = duty[0] if duty is not None and duty[1] else None
            if consent and mandatory is None:
                # An uncertain duty is said beside the offer, not applied; so is a confirmed
                # one of a state that may be the one detaining them, not known yet.
                unsure: tuple[Message, ...] = (duty[0],) if duty is not None else ()
                if_bound = _mandatory_if_detained_by(d, i, n)
                if if_bound is not None:
                    unsure += (if_bound,)
                found.append(
                    Ask(
                        purpose,
                        "inform",
                        n,
                        "consular",
                        consular_receiving=i.disembark,
                        missing=disembark_missing(i),
                        nationality=n,
                        requires_consent=True,
                        notes=(
                            _(
                                "Offer the person consular contact; contact the consulate only "
                                "if they ask for it."
                            ),
                            *unsure,
                        ),
                        warnings=r7_warnings if asylum else (),
                        extra_basis=R7_BASIS if asylum else (),
                    )
                )
                continue
            found.append(
                Ask(
                    purpose,
                    "notify",
                    n,
                    "consular",
                    consular_receiving=i.disembark,
                    missing=disembark_missing(i),
                    nationality=n,
                    requires_consent=False,
                    notes=(mandatory,) if mandatory else (_("Notify the death without delay."),),
                    warnings=(NOT_REVEALING_THE_CLAIM,) if asylum else (),
                    extra_basis=(
                        (_("Bilateral consular convention (mandatory notification)"),)
                        if mandatory
                        else ()
                    ),
                )
            )
        if i.others_unknown:
            # The posts of the others aboard, whose nationalities are not known yet, cannot be
            # named: a step waits for them, as for everyone's when nobody's is known.
            found.append(waiting(_("the other nationalities aboard")))
        return found

    return asks


def _rule_r9(i: Interception, d: Directory) -> list[Ask]:
    action = "request" if i.has("asylum") else "inform"
    if stateless_landed_where_found(i, d):
        # It may be the country they lived in and flee: screened first, as nationals landed
        # at home are.
        state = i.acting
        missing = (
            None if i.acting else Missing(("acting",), _("the acting state, which screens them"))
        )
        note = (
            _(
                "Asylum is claimed aboard, where there are stateless persons and others whose "
                "nationalities are not known, and {landing}, where they would be landed, may "
                "be the country the stateless persons lived in and flee, or the others' own: "
                "screen everyone aboard for protection needs, with UNHCR, before any landing "
                "there."
            )
            if i.others_unknown
            else _(
                "Asylum is claimed by stateless persons, and {landing}, where they would be "
                "landed, may be the country they lived in and flee: screen everyone aboard for "
                "protection needs, with UNHCR, before any landing there."
            )
        ).format(
            landing=answering_state(
                d, given(i.disembark, "stateless_landed_where_found holds with the landing")
            )
        )
    elif returning_home(i, d):
        # Landing asylum seekers in their own country is refoulement: they are screened by
        # the acting state, with UNHCR, before any landing there.
        state = i.acting
        missing = (
            None if i.acting else Missing(("acting",), _("the acting state, which screens them"))
        )
        landing = given(i.disembark, "returning_home holds with the landing state")
        sovereign = d.sovereign_of(landing)
        nationals = [n for n in i.nationalities if d.same_state(n, landing)]
        if sovereign != landing:
            # Landed in a territory of their own state (Caymanians, or Turks and Caicos
            # Islanders, in the Turks and Caicos): name their state, never the territory as
            # their nationality.
            note = _(
                "Asylum is claimed and people aboard ({nationals}) are nationals of "
                "{sovereign}, and {landing}, where they would be landed, is its territory: "
                "screen everyone aboard for protection needs, with UNHCR, before any landing "
                "there."
            ).format(nationals=", ".join(nationals), sovereign=sovereign, landing=landing)
        else:
            note = _(
                "Asylum is claimed and people aboard are nationals of {landing}, where they "
                "would be landed: screen everyone aboard for protection needs, with UNHCR, "
                "before any landing there."
            ).format(landing=landing)
    elif origin_unknown_landed_where_found(i, d) and holds_them(d, i.disembark, i.acting):
        # Nobody's nationality is known and the landing state, which holds them, may be their
        # own: its nationals are the ones whose claims may be against it, so nobody is left out.
        state, missing = i.disembark, disembark_missing(i)
        note = (
            _(
                "The nationalities of others aboard are not known and {landing}, where they "
                "would be landed, may be the others' own country: everyone aboard, its "
                "nationals included, gets orientation and the chance to apply for asylum, and "
                "is screened for protection needs with UNHCR before any landing there."
            )
            if i.nationalities
            else _(
                "The nationalities aboard are not known and {landing}, where they would be "
                "landed, may be their own country: everyone aboard, its nationals included, "
                "gets orientation and the chance to apply for asylum, and is screened for "
                "protection needs with UNHCR before any landing there."
            )
        ).format(
            landing=answering_state(
                d, given(i.disembark, "origin_unknown_landed_where_found holds with the landing")
            )
        )
    else:
        state, missing = i.disembark, disembark_missing(i)
        note = _(
            "Everyone aboard who is not a national of the disembarkation state gets "
            "orientation and the chance to apply for asylum."
        )
    partner_note = note
    if origin_unknown_landed_where_found(i, d) and not holds_them(d, i.disembark, i.acting):
        # Nobody's nationality is known and another state lands them where they may come from:
        # the landing state's own refugee-status step waits for the nationalities, for those
        # who are not its nationals, but UNHCR's, asked now, serves every claimant, its
        # nationals included, whose claims may be against it.
        partner_note = (
            _(
                "The nationalities of others aboard are not known and {landing}, where they "
                "would be landed, may be the others' own country. UNHCR's mandate covers every "
                "claimant: everyone aboard, its nationals included, gets orientation from UNHCR "
                "and the chance to apply for asylum; the landing state's authorities are told "
                "of no claim until the others' nationalities are established (see the "
                "protection referral steps, R9)."
            )
            if i.nationalities
            else _(
                "The nationalities aboard are not known and {landing}, where they would be "
                "landed, may be their own country. UNHCR's mandate covers every claimant: "
                "everyone aboard, its nationals included, gets orientation from UNHCR and the "
                "chance to apply for asylum; the landing state's authorities are told of no "
                "claim until the nationalities are established (see the protection referral "
                "steps, R9)."
            )
        ).format(
            landing=answering_state(
                d, given(i.disembark, "origin_unknown_landed_where_found holds with the landing")
            )
        )
    own = [n for n in i.nationalities if state and d.same_state(n, state)]
    # Screened by their own state: the protection they claim is against it. Stateless persons
    # aboard with its nationals may have lived there: a stateless person's claim is read
    # against the country of former habitual residence (1951 Convention art. 1A(2)), so
    # theirs may be against it too. The nationals' state is named, not the territory that
    # acts for it (a Cayman patrol screening Turks and Caicos Islanders screens them for the
    # United Kingdom). Where the stateless persons may have lived is a place, the one the
    # plan's warning names (where they were found in its waters, else where they would be
    # landed) when it is of that state, and their claims are against its sovereign through it
    # ("GB (through its territory TC)").
    found = i.coastal if found_in_landing_state(i, d) else i.disembark
    lived = found if found and state and d.same_state(found, state) else ""
    if not lived:
        lived = d.sovereign_of(state) if state else ""
    against = (
        (
            joined_messages(
                (
                    _(
                        "People aboard ({nationals}) are nationals of {state}, which would "
                        "screen them: the protection they claim is against their own state, so "
                        "its authorities must not decide it alone. Refer every claim to UNHCR "
                        "as well, before any landing."
                    ).format(
                        nationals=", ".join(own),
                        state=d.sovereign_of(
                            given(state, "its nationals are found only with the state given")
                        ),
                    ),
                    *(
                        (
                            _(
                                "The stateless persons aboard may have lived in {place} too: if "
                                "it is the country they lived in, their claims are against "
                                "{state} as well."
                            ).format(place=lived, state=answering_state(d, lived)),
                        )
                        if i.stateless_persons
                        else ()
                    ),
                ),
                " ",
            ),
        )
        if own and i.has("asylum")
        else ()
    )
    if (
        origin_unknown_landed_where_found(i, d)
        and state
        and d.same_state(state, i.disembark)
        and holds_them(d, state, i.acting)
    ):
        # Nobody's nationality is known and the state that holds them is where they may
        # come from: the claims may be against it.
        against = (
            (
                _(
                    "The nationalities of others aboard are not known and {state}, which would "
                    "screen them, may be the others' own country: if the claims are against "
                    "it, its authorities must not decide them alone. Refer every claim to UNHCR "
                    "as well, before any landing."
                )
                if i.nationalities
                else _(
                    "The nationalities aboard are not known and {state}, which would screen "
                    "them, may be their own country: if the claims are against it, its "
                    "authorities must not decide them alone. Refer every claim to UNHCR as "
                    "well, before any landing."
                )
            ).format(state=d.sovereign_of(state)),
        )
    if stateless_landed_where_found(i, d) and state and d.same_state(state, i.disembark):
        # The acting state is where they were found: it may be the one they flee.
        against = (
            (
                _(
                    "Asylum is claimed aboard, where there are stateless persons and others "
                    "whose nationalities are not known, and {state}, which would screen them, "
                    "may be the country the stateless persons lived in and flee, or the others' "
                    "own: its authorities must not decide the claims alone. Refer every claim "
                    "to UNHCR as well, before any landing."
                )
                if i.others_unknown
                else _(
                    "Asylum is claimed by stateless persons, and {state}, which would screen "
                    "them, may be the country they lived in and flee: its authorities must not "
                    "decide the claims alone. Refer every claim to UNHCR as well, before any "
                    "landing."
                )
            ).format(
                # Named through the territory where they would be landed, when it screens them
                # (a Cayman patrol landing them in the Cayman Islands); a territory that hands
                # them to another (the Turks and Caicos Islands) screens them as its sovereign,
                # as the nationals' warning says: the landing place is named in the note.
                state=answering_state(d, state) if state == i.disembark else d.sovereign_of(state)
            ),
        )
    # Everyone aboard is a national of the landing state, found in its waters: nobody has
    # left their country, so nobody is a refugee yet (1951 Convention art. 1A(2)) and art. 33
    # protects no one; the screening rests on the Protocol's protection alone.
    basis = (
        (_("SOM Protocol arts. 16, 19"),)
        if i.nationalities
        and not i.stateless_persons
        and not i.others_unknown
        and found_in_landing_state(i, d)
        and all(d.same_state(n, i.disembark) for n in i.nationalities)
        else None
    )
    # Its basis cites art. 33 (unless it protects no one aboard): the step says what binds the
    # states that would hold them where one is a party to neither refugee instrument.
    bound = not_bound_by_art_33(i, d) if basis is None else ()
    return [
        Ask(
            "protection-referral",
            action,
            state,
            "refugee-status",
            missing=missing,
            notes=(note, *bound),
            warnings=against,
            basis=basis,
        ),
        Ask(
            "protection-referral",
            action,
            state,
            "protection-partner",
            missing=missing,
            serving=True,
            notes=(partner_note, *_stateless_mandate(i), *bound),
            basis=basis,
        ),
    ]


def _stateless_mandate(i: Interception) -> tuple[Message, ...]:
    """What the UNHCR step says of stateless persons aboard: they are in its mandate."""
    if not i.stateless_persons:
        return ()
    return (
        _(
            "Stateless persons aboard are within UNHCR's mandate for stateless persons (UN "
            "General Assembly resolutions 3274 (XXIX) and 50/152), whether or not they claim "
            "asylum: refer them too."
        ),
    )


def _in_care(i: Interception, d: Directory, purpose: str, role: str) -> list[Ask]:
    """A referral of the people aboard to the landing state's authority, and, when asylum
    seekers would be landed in their own country (where that referral waits for the claims to
    be decided), or, nobody's nationality known, where they may come from (where it waits for
    the nationalities), to the acting state's: until then they are in its care."""
    asks = [Ask(purpose, "request", i.disembark, role, missing=disembark_missing(i))]
    # The acting state's own territory is its own care; when the acting state is a territory,
    # another territory of its sovereign under another law (Caymanians to be landed in the
    # Turks and Caicos Islands) is not.
    if (landed_where_they_may_flee(i, d) or origin_unknown_landed_where_found(i, d)) and (
        not d.same_state(i.acting, i.disembark)
        or held_by_a_sister_territory(d, i.disembark, i.acting)
    ):
        asks.append(
            Ask(
                purpose,
                "request",
                i.acting,
                role,
                missing=(
                    None
                    if i.acting
                    else Missing(("acting",), _("the acting state, in whose care they are"))
                ),
                notes=(
                    # Stateless persons landed with them have no country of their own: they
                    # are landed where they may have lived (R13's return waits as one).
                    _(
                        "Asylum is claimed and people aboard would be landed in their own "
                        "country, the stateless persons aboard where they may have lived: "
                        "until the claims are decided they are all in the acting state's "
                        "care, and its authority takes them in charge now."
                    )
                    if returning_home(i, d) and i.stateless_persons
                    else _(
                        "Asylum is claimed and people aboard would be landed in their own "
                        "country: until the claims are decided they are in the acting state's "
                        "care, and its authority takes them in charge now."
                    )
                    if returning_home(i, d)
                    else _(
                        "Asylum is claimed aboard, where there are stateless persons and others "
                        "whose nationalities are not known, and they would be landed where the "
                        "stateless persons may have lived and flee, which may be the others' "
                        "own country: until the claims are decided they are in the acting "
                        "state's care, and its authority takes them in charge now."
                    )
                    if stateless_landed_where_found(i, d) and i.others_unknown
                    else _(
                        "Asylum is claimed by stateless persons who would be landed where they "
                        "may have lived and flee: until the claims are decided they are in the "
                        "acting state's care, and its authority takes them in charge now."
                    )
                    if stateless_landed_where_found(i, d)
                    # The landing state named as the plan's warning names it, through its
                    # territory where it is one: its nationals are the sovereign's.
                    else (
                        _(
                            "Asylum is claimed, the nationalities of others aboard are not "
                            "known, and people aboard would be landed in {landing}, which may "
                            "be the others' own country: until the others' nationalities are "
                            "established, and for those who prove to be its nationals until "
                            "the claims are decided, they are in the acting state's care, and "
                            "its authority takes them in charge now."
                        )
                        if i.nationalities
                        else _(
                            "Asylum is claimed, the nationalities aboard are not known, and "
                            "people aboard would be landed in {landing}, which may be their "
                            "own country: until the nationalities are established, and for "
                            "those who prove to be its nationals until the claims are decided, "
                            "they are in the acting state's care, and its authority takes them "
                            "in charge now."
                        )
                    ).format(
                        landing=answering_state(
                            d,
                            given(
                                i.disembark,
                                "origin_unknown_landed_where_found holds with the landing",
                            ),
                        )
                    ),
                ),
            )
        )
    return [_cared_for_by_whom_they_may_flee(i, d, ask) for ask in asks]


def _holder_they_may_flee(i: Interception, d: Directory, state: str) -> bool:
    """Whether asylum is claimed and ``state``, which holds the people, is one the protection
    claimed aboard may be against: a country of nationality of people aboard, or, landed
    where they may flee (the country stateless persons may have lived in, or nobody's
    nationality known), the landing state (Cuba's coast guard landing Cubans in Cuba)."""
    if not i.has("asylum") or not holds_them(d, state, i.acting):
        return False
    return any(d.same_state(state, n) for n in i.nationalities) or (
        (landed_where_they_may_flee(i, d) or origin_unknown_landed_where_found(i, d))
        and d.same_state(state, i.disembark)
    )


def _cared_for_by_whom_they_may_flee(i: Interception, d: Directory, ask: Ask) -> Ask:
    """``ask`` (a referral of the children or the victims) with a warning where the state
    whose authority takes them in charge now is one the protection claimed aboard may be
    against: a country of nationality of people aboard, or, landed where they may flee (the
    country stateless persons may have lived in, or nobody's nationality known), the landing
    state, when it holds them (Cuba's coast guard landing Cubans in Cuba). Its care is owed
    all the same (CRC arts. 3(1), 20, 22; Trafficking in Persons Protocol art. 6), so the
    step stays a request now, with its basis; but the claims are not for that state to decide
    alone, and its authority is told what they need, not what they claimed. A referral to
    such a state that does not hold them waits for the claims (``asylum_safeguard``)."""
    state = ask.state
    if state is None or not _holder_they_may_flee(i, d, state):
        return ask
    # The state, named alone as R9 names the state that screens them: a territory's authority
    # (a Cayman patrol's) takes them in charge for its sovereign, and "through its territory
    # KY" would read as where they come from, when they may have been found in the Turks and
    # Caicos Islands' waters.
    named = d.sovereign_of(state)
    warning = (
        _(
            "The protection claimed aboard may be against {state}, whose authority takes the "
            "children in charge now: it owes them care and protection all the same (CRC arts. "
            "20, 22), their best interests first (art. 3(1)). But their claims are not for "
            "{state} to decide alone: refer them to UNHCR as well (see the protection-referral "
            "steps), and tell this authority what the children need, never what they claimed "
            "or said."
        )
        if ask.purpose == "child-protection"
        else _(
            "The protection claimed aboard may be against {state}, whose authority takes the "
            "victims in charge now: it owes them assistance and protection all the same, their "
            "privacy and identity protected and their physical safety assured (Trafficking in "
            "Persons Protocol art. 6(1), (3), (5)). But their claims are not for {state} to "
            "decide alone: refer them to UNHCR as well (see the protection-referral steps), "
            "and tell this authority what the victims need, never what they claimed or said."
        )
    ).format(state=named)
    return attrs.evolve(ask, warnings=(*ask.warnings, warning))


def _rule_r10(i: Interception, d: Directory) -> list[Ask]:
    asks = _in_care(i, d, "child-protection", "child-protection")
    if not i.has("unaccompanied"):
        return asks
    # VCCR art. 37(b): the receiving state informs the consular post whenever a guardian is to
    # be appointed for a minor national of the sending state, whatever the child's wish.
    notice = dict(
        requires_consent=False,
        notes=(
            _(
                "A guardian is to be appointed for unaccompanied children: inform their "
                "consular post without delay."
            ),
        ),
        warnings=(
            (
                _(
                    "Asylum is claimed: the notice concerns the guardianship only and must not "
                    "reveal the asylum claim. Consult UNHCR first."
                ),
            )
            if i.has("asylum")
            else ()
        ),
        extra_basis=(_("VCCR art. 37(b)"),),
    )
    if unknown_nationalities(i):
        return [
            *asks,
            Ask(
                "consular-access",
                "notify",
                None,
                "consular",
                missing=Missing(("nationalities",), _("the children's nationality")),
                **notice,  # type: ignore[arg-type]
            ),
        ]
    # The other children's post, their nationality not known yet, waits for it.
    others = (
        [
            Ask(
                "consular-access",
                "notify",
                None,
                "consular",
                missing=Missing(("nationalities",), _("the other children's nationality")),
                **notice,  # type: ignore[arg-type]
            )
        ]
        if i.others_unknown
        else []
    )
    return (
        asks
        + [
            Ask(
                "consular-access",
                "notify",
                n,
                "consular",
                consular_receiving=i.disembark,
                missing=disembark_missing(i),
                nationality=n,
                **notice,  # type: ignore[arg-type]
            )
            for n in foreign_nationalities(i, d)
            # The acting state owes itself no notice (``_r10_own_children_note``).
            if not _own_national(i, d, n)
        ]
        + others
    )


def _r10_own_children_note(i: Interception, d: Directory) -> str:
    """R10's plan note when the acting state's own unaccompanied children would be landed in
    another state: no guardian notice to its own post, and who owes it."""
    return _own_nationals_note(
        i,
        d,
        _(
            "Unaccompanied children who are nationals of {acting}: VCCR art. 37(b) binds the "
            "state that appoints their guardian to inform their consular post; {acting}, the "
            "acting state, owes itself no such notice. If they are landed in another state, "
            "that state owes it."
        ),
        _(
            "Unaccompanied children who are nationals of {acting}: VCCR art. 37(b) binds the state "
            "that appoints their guardian to inform their consular post; {acting}, the acting "
            "state, owes itself no such notice. Once landed, {landing} owes it."
        ),
    )


def _rule_r14(i: Interception, d: Directory) -> list[Ask]:
    # The landing state's anti-corruption agency. Where that is the acting state's own and
    # the protection claimed may be against it (Cuba's coast guard landing Cubans who claim
    # asylum in Cuba), it looks into the corruption all the same, but, as its prosecutors
    # (R12), is not told the claims: they stay with the screening. Another territory of its
    # sovereign under its own law, which a territory's patrol would land them in, does not
    # hold them: the asylum safeguard informs its agency, as another state's.
    warnings = (
        (
            _(
                "Asylum is claimed and the protection claimed aboard may be against {state}, "
                "whose anti-corruption agency this step asks: it looks into the corruption all "
                "the same, but share with it what concerns the vessel, the smugglers and the "
                "officials involved only, never who claimed asylum, their claims or what they "
                "said in them (see the protection-referral steps)."
            ).format(state=d.sovereign_of(i.disembark)),
        )
        if i.disembark and _holder_they_may_flee(i, d, i.disembark)
        else ()
    )
    return [
        Ask(
            "anti-corruption",
            "request",
            i.disembark,
            "anti-corruption",
            missing=disembark_missing(i),
            warnings=warnings,
        )
    ]


def _acting_jurisdiction(i: Interception, d: Directory) -> Message:
    """On what ground the intercepting state investigates (R12). UNTOC art. 15(1) gives a
    state jurisdiction over an offence in its territory (a) or aboard a vessel flying its
    flag (b); in its own contiguous zone it has the control of UNCLOS art. 33. Elsewhere,
    aboard another state's vessel or in another state's waters (another territory of its
    sovereign with its own law included), art. 15(1) gives it nothing: it prosecutes under
    its own law as art. 15(2) and (6) allow; in those waters it acts as far as their
    authorities authorise (R2); beyond them it takes only the measures the flag state
    authorises (SOM Protocol art. 8(2)(c)), or, aboard a vessel without nationality, those
    domestic and international law allow (art. 8(7)). With the flag unknown (neither a flag
    nor statelessness given) it may be the flag state, and with the coastal state unknown in a
    state's waters they may be its own: the note says each ground."""
    acting = i.acting or ""
    # A sovereign's waters include those of its territories with their own law (a Royal Navy
    # ship off the Turks and Caicos Islands: the offence is in the United Kingdom's territory,
    # and the territory's prosecutors answer its step); another territory's patrol there is in
    # waters under another law.
    own = (
        i.coastal is not None
        and d.same_state(acting, i.coastal)
        and (d.sovereign_of(acting) == acting or not _in_sister_waters(i, d))
    )
    if own and i.zone in SOVEREIGN_ZONES:
        return _("Jurisdiction of the intercepting state over its waters (UNTOC art. 15(1)(a)).")
    # A vessel of another territory of its sovereign under another law (below) is not the
    # patrol's own flag; in its own contiguous zone the patrol has the control of art. 33.
    sister_flag = i.flag is not None and held_by_a_sister_territory(d, i.flag, acting)
    if sister_flag and not (own and i.zone == "contiguous"):
        assert i.flag is not None
        # A territory's patrol and a vessel of another territory of its sovereign under
        # another law (a Turks and Caicos patrol, a Cayman-registered boat): the sovereign is
        # the flag state of both (UNCLOS art. 92), but each territory with its own law is its
        # own jurisdiction, as for an offence in its waters; the patrol's own law reaches an
        # offence aboard only as far as it does.
        # A vessel of the sovereign itself (a UK-registered boat stopped by a Cayman patrol):
        # the directory holds no prosecutor of the sovereign at home, so no step informs it.
        # With the coastal state unknown in a state's waters, they may be the patrol's own,
        # where the offence is in its territory whatever the flag (art. 15(1)(a)), or under
        # another jurisdiction, where it acts as far as their authorities authorise (R2).
        if i.coastal is None and i.zone in SOVEREIGN_ZONES:
            return (
                _(
                    "Coastal state unknown: in its own waters {acting} has jurisdiction over "
                    "the offence in its territory (UNTOC art. 15(1)(a)). Elsewhere, the vessel "
                    "flies the flag of {sovereign}, on the registry of {flag}: an offence aboard "
                    "is within {sovereign}'s jurisdiction as the flag state (art. 15(1)(b)), "
                    "but {acting} is another territory with its own law, not the flag's own "
                    "jurisdiction; whether the law of {acting} reaches an offence aboard a "
                    "vessel of {flag} is for that law, otherwise {acting} prosecutes only as "
                    "UNTOC art. 15(2), (6) allow. In waters under another jurisdiction it acts "
                    "only as far as the authorities that serve them authorise (see the entry "
                    "authorisation step, R2). Act with the prosecutors of {flag} (see the step "
                    "informing them)."
                )
                if d.sovereign_of(i.flag) != i.flag
                else _(
                    "Coastal state unknown: in its own waters {acting} has jurisdiction over "
                    "the offence in its territory (UNTOC art. 15(1)(a)). Elsewhere, the vessel "
                    "flies the flag of {sovereign}, on its own registry: an offence aboard is "
                    "within {sovereign}'s jurisdiction as the flag state (art. 15(1)(b)), but "
                    "{acting} is a territory with its own law, not the flag's own jurisdiction; "
                    "whether the law of {acting} reaches an offence aboard a vessel of "
                    "{sovereign} is for that law, otherwise {acting} prosecutes only as UNTOC "
                    "art. 15(2), (6) allow. In waters under another jurisdiction it acts only as "
                    "far as the authorities that serve them authorise (see the entry "
                    "authorisation step, R2)."
                )
            ).format(sovereign=d.sovereign_of(acting), flag=i.flag, acting=acting)
        return (
            _(
                "The vessel flies the flag of {sovereign}, on the registry of {flag}: an offence "
                "aboard is within {sovereign}'s jurisdiction as the flag state (UNTOC art. "
                "15(1)(b)), but {acting} is another territory with its own law, not the flag's "
                "own jurisdiction. Whether the law of {acting} reaches an offence aboard a "
                "vessel of {flag} is for that law; otherwise {acting} prosecutes only as UNTOC "
                "art. 15(2), (6) allow. Act with the prosecutors of {flag} (see the step "
                "informing them)."
            )
            if d.sovereign_of(i.flag) != i.flag
            else _(
                "The vessel flies the flag of {sovereign}, on its own registry: an offence "
                "aboard is within {sovereign}'s jurisdiction as the flag state (UNTOC art. "
                "15(1)(b)), but {acting} is a territory with its own law, not the flag's own "
                "jurisdiction. Whether the law of {acting} reaches an offence aboard a vessel of "
                "{sovereign} is for that law; otherwise {acting} prosecutes only as UNTOC art. "
                "15(2), (6) allow."
            )
        ).format(sovereign=d.sovereign_of(acting), flag=i.flag, acting=acting)
    if i.flag and d.same_state(i.flag, acting) and not sister_flag:
        # The flag state's jurisdiction over an offence aboard does not take away the coastal
        # state's over its territorial sea (UNCLOS arts. 2, 27): in waters that are, or may
        # be, another's, it acts only as far as their authorities authorise (R2), as for any
        # vessel there.
        if i.zone in SOVEREIGN_ZONES and i.coastal is None:
            return _(
                "Jurisdiction of the intercepting state as the flag state (UNTOC art. "
                "15(1)(b)). Coastal state unknown: in its own waters the offence is also in its "
                "territory (art. 15(1)(a)); in waters under another jurisdiction it acts only "
                "as far as the authorities that serve them authorise (see the entry "
                "authorisation step, R2)."
            )
        if i.zone in SOVEREIGN_ZONES and not own:
            return _(
                "Jurisdiction of the intercepting state as the flag state (UNTOC art. "
                "15(1)(b)). In waters under another jurisdiction it acts only as far as the "
                "authorities that serve them authorise (see the entry authorisation step, R2)."
            )
        return _("Jurisdiction of the intercepting state as the flag state (UNTOC art. 15(1)(b)).")
    if own and i.zone == "contiguous":
        return _(
            "Jurisdiction of the intercepting state in its contiguous zone: the control needed "
            "to prevent infringements of its immigration laws in its territory or territorial "
            "sea, and to punish those committed there (UNCLOS art. 33(1))."
        )
    if i.coastal is None and i.zone in SOVEREIGN_ZONES:
        # The coastal state unknown: the waters may be the intercepting state's own.
        return _(
            "Coastal state unknown: in its own waters the intercepting state has jurisdiction "
            "over the offence in its territory (UNTOC art. 15(1)(a)); in another state's "
            "waters, as the flag state if the vessel flies its flag (art. 15(1)(b)), else under "
            "its own law, as UNTOC art. 15(2), (6) allow, and it acts there only as far as the "
            "authorities that serve them authorise (see the entry authorisation step, R2)."
        )
    if i.flag is None and not i.stateless:
        # The flag unknown: the vessel may fly the intercepting state's own, another's, or none.
        if i.zone in SOVEREIGN_ZONES:
            return _(
                "Flag unknown: if the vessel flies the intercepting state's flag, it has "
                "jurisdiction as the flag state (UNTOC art. 15(1)(b)); otherwise under its own "
                "law, as UNTOC art. 15(2), (6) allow. In waters under another jurisdiction it "
                "acts only as far as the authorities that serve them authorise (see the entry "
                "authorisation step, R2)."
            )
        return _(
            "Flag unknown: if the vessel flies the intercepting state's flag, it has "
            "jurisdiction as the flag state (UNTOC art. 15(1)(b)); otherwise under its own law, "
            "as UNTOC art. 15(2), (6) allow, taking aboard another state's vessel only the "
            "measures the flag state authorises (SOM Protocol art. 8(2)(c)), aboard a vessel "
            "without nationality those that its law and international law allow (art. 8(7))."
        )
    if i.zone in SOVEREIGN_ZONES:
        return _(
            "Jurisdiction of the intercepting state under its own law, as UNTOC art. 15(2), (6) "
            "allow: the offence is neither in its territory nor aboard a vessel flying its flag "
            "(art. 15(1)). In waters under another jurisdiction it acts only as far as the "
            "authorities that serve them authorise (see the entry authorisation step, R2)."
        )
    if i.stateless:
        return _(
            "Jurisdiction of the intercepting state under its own law, as UNTOC art. 15(2), (6) "
            "allow: the offence is neither in its territory nor aboard a vessel flying its flag "
            "(art. 15(1)). Aboard a vessel without nationality it takes the measures that its "
            "law and international law allow (SOM Protocol art. 8(7))."
        )
    return _(
        "Jurisdiction of the intercepting state under its own law, as UNTOC art. 15(2), (6) "
        "allow: the offence is neither in its territory nor aboard a vessel flying its flag "
        "(art. 15(1)). Aboard another state's vessel it takes only the measures the flag state "
        "authorises (SOM Protocol art. 8(2)(c))."
    )


def _r12_unbound(i: Interception, d: Directory, ask: Ask) -> Ask:
    """``ask`` to another state's prosecutors (the coastal or the flag state's), where the SOM
    Protocol did not bind that state on the day: art. 6, which obliges States Parties to make
    smuggling an offence, is not the ground of its jurisdiction. Not a party, or not yet bound,
    the step cites UNTOC art. 15 alone (its jurisdiction note says on what ground it acts: in
    its contiguous zone, UNCLOS art. 33(1)); with its status uncertain it says so, its basis
    unchanged. The acting state's own step keeps the rule's basis: the plan's warning says
    what bound it (``unbound_instruments_warnings``); a territory's steps say what is
    recorded of the Protocol's extension to it; before the Protocol bound anyone, the plan's
    warning says so for every step."""
    state = ask.state
    if state is None or state == i.acting or d.sovereign_of(state) != state:
        return ask
    unbound = protocol_unbound(d, state, d.today_in(i.acting, i.at))
    if unbound is None or unbound[0] == "not-in-force":
        return ask
    why, _deposited, bound = unbound
    if why == "uncertain":
        note = _(
            "{state} has uncertain status under the SOM Protocol: if it is not a party, art. 6, "
            "which obliges a State Party to make smuggling an offence, does not bind it, and it "
            "acts on the ground above under its own law."
        ).format(state=state)
        return attrs.evolve(ask, notes=(*ask.notes, note))
    note = (
        _(
            "{state} was not yet bound by the SOM Protocol on {day} (binding from {bound}): "
            "art. 6, which obliges a State Party to make smuggling an offence, did not bind it "
            "that day; it acts on the ground above under its own law."
        )
        if why == "not-yet-bound"
        else _(
            "{state} is not a party to the SOM Protocol: art. 6, which obliges a State Party to "
            "make smuggling an offence, does not bind it; it acts on the ground above under its "
            "own law."
        )
    ).format(
        state=state,
        day=d.today_in(i.acting, i.at).isoformat(),
        bound=bound.isoformat() if bound else "",
    )
    return attrs.evolve(ask, notes=(*ask.notes, note), basis=(_("UNTOC art. 15"),))


def _rule_r12(i: Interception, d: Directory) -> list[Ask]:
    asks = []
    seen: set[str] = set()
    if i.acting:
        asks.append(
            Ask(
                "investigation",
                "request",
                i.acting,
                "prosecution",
                notes=(_acting_jurisdiction(i, d),),
                # Its own prosecutors, when the protection claimed may be against it (Cuba's
                # coast guard stopping Cubans who claim asylum): the investigation goes on,
                # its jurisdiction, but the claims stay with the screening.
                warnings=(
                    (
                        _(
                            "Asylum is claimed and the protection claimed aboard may be against "
                            "{state}, whose prosecutors this step asks: it investigates the "
                            "smugglers all the same, but share with them what concerns the "
                            "vessel and the smugglers only, never who claimed asylum, their "
                            "claims or what they said in them (see the protection-referral "
                            "steps)."
                        ).format(state=d.sovereign_of(i.acting)),
                    )
                    if _holder_they_may_flee(i, d, i.acting)
                    else ()
                ),
            )
        )
        seen.add(i.acting)
    # The coastal state's jurisdiction covers its waters, and in its contiguous zone the
    # smuggling into its territory; the EEZ gives it none over this offence. A sovereign
    # acting off its own territory is answered there by its own step; another territory of
    # the same sovereign (a Cayman patrol in Turks and Caicos waters) is another jurisdiction,
    # with its own criminal law and prosecutors.
    if (
        i.coastal
        and i.zone in COASTAL_DISEMBARKATION_ZONES
        and i.coastal not in seen
        and d.sovereign_of(i.coastal) not in seen
    ):
        asks.append(
            Ask(
                "investigation",
                "request",
                i.coastal,
                "prosecution",
                notes=(
                    _(
                        "Jurisdiction of the coastal state in its contiguous zone: the control "
                        "needed to prevent infringements of its immigration laws in its "
                        "territory or territorial sea, and to punish those committed there "
                        "(UNCLOS art. 33(1))."
                    )
                    if i.zone == "contiguous"
                    else _(
                        "Jurisdiction of the coastal state over its waters (UNTOC art. 15(1)(a))."
                    ),
                ),
            )
        )
        seen.add(i.coastal)
    if not asks:
        # Nobody is asked to investigate: the acting state (or, in its waters and contiguous
        # zone, the coastal state) is not given. The request stays, unresolved, before the
        # flag state's notice, which does not replace it. On the high seas naming the coastal
        # state would not resolve it.
        fields = ("acting", "coastal") if i.zone in COASTAL_DISEMBARKATION_ZONES else ("acting",)
        asks.append(
            Ask(
                "investigation",
                "request",
                None,
                "prosecution",
                missing=Missing(fields, _("the state with jurisdiction")),
            )
        )
    elif i.acting is None and all(asylum_safeguard(i, d, ask).action != "request" for ask in asks):
        # The coastal state alone is asked, and the claims may be against it (its nationals
        # aboard, or nobody's nationality known where they would be landed): with asylum
        # claimed it is only informed, to coordinate. That does not replace the request to
        # the acting state, whose own it is: it stays, unresolved, as with no state given.
        asks.insert(
            0,
            Ask(
                "investigation",
                "request",
                None,
                "prosecution",
                missing=Missing(("acting",), _("the state with jurisdiction")),
            ),
        )
    # The flag state is asked unless a step already goes to it: a territory's patrol is not
    # the flag's jurisdiction for a vessel of another territory of its sovereign under another
    # law (a Turks and Caicos patrol, a Cayman-registered boat), which is informed as a flag
    # state is, through the territory of its registry.
    sister_flag = (
        i.flag is not None
        and d.sovereign_of(i.flag) != i.flag
        and held_by_a_sister_territory(d, i.flag, i.acting)
    )
    if i.flag and not any(
        d.same_state(i.flag, s) and not (sister_flag and s == i.acting) for s in seen
    ):
        asks.append(
            Ask(
                "investigation",
                "inform",
                i.flag,
                "prosecution",
                notes=(
                    _(
                        "Jurisdiction of the flag state, {sovereign}, through {flag}, the "
                        "territory of the vessel's registry, under its own law (UNTOC art. "
                        "15(1)(b)); coordinate."
                    ).format(sovereign=d.sovereign_of(i.flag), flag=i.flag)
                    if sister_flag
                    else _(
                        "Concurrent jurisdiction of the flag state (UNTOC art. 15(1)(b)); "
                        "coordinate (UNTOC art. 15(5))."
                    ),
                ),
            )
        )
        seen.add(i.flag)
    return [_r12_unbound(i, d, _untoc_extension_unrecorded(i, d, ask)) for ask in asks]


def _untoc_extension_unrecorded(i: Interception, d: Directory, ask: Ask) -> Ask:
    """``ask`` with a note where its jurisdiction rests on a territory with its own law whose
    SOM Protocol status is not recorded as extended to it. A sovereign extends a treaty to such
    a territory by a notification of its own (UNTOC was extended to the British Virgin Islands
    on 17 May 2012); the directory records the Protocol's extension and not the Convention's,
    which a Protocol supposes (only a party to the Convention may be a party to a Protocol,
    UNTOC art. 37(2)): a Protocol recorded as extended is read as the Convention too. Where
    neither extends to it, its jurisdiction over its waters rests on its sovereign's
    sovereignty over its territory (UNCLOS art. 2), and the investigation on its own law: the
    step says so rather than assert UNTOC art. 15 or drop it. The note follows where the
    offence is: in a territory's waters, the step of the territory or of its sovereign (a Royal
    Navy ship off the Turks and Caicos Islands, whose step goes to the territory's prosecutors)
    is told of the territory's waters; any other step of a territory (a Cayman patrol there, a
    territory's vessel on the high seas) of its own law. The basis is unchanged."""
    code = ask.state
    if code is None:
        return ask
    coastal = i.coastal
    waters = (
        coastal is not None
        and i.zone in SOVEREIGN_ZONES
        and territory_with_its_own_law(d, coastal)
        and code in (coastal, d.sovereign_of(coastal))
    )
    territory = coastal if waters else code
    assert territory is not None  # the coastal state, given, or the step's state
    if not territory_with_its_own_law(d, territory):
        return ask
    state = d.state(territory)
    if state is not None and state.som_protocol.party == "yes":
        return ask
    return attrs.evolve(
        ask,
        notes=(
            *ask.notes,
            (
                _(
                    "The directory does not record that {sovereign} extended the SOM Protocol "
                    "or UNTOC to {territory}: where they do not extend to it, the jurisdiction "
                    "of {territory} over its waters rests on its sovereign's sovereignty over "
                    "its territory (UNCLOS art. 2), and the investigation on its own law, not "
                    "on UNTOC art. 15."
                )
                if waters
                else _(
                    "The directory does not record that {sovereign} extended the SOM Protocol "
                    "or UNTOC to {territory}: where they do not extend to it, the investigation "
                    "of {territory} rests on its own law, not on UNTOC art. 15."
                )
            ).format(sovereign=d.sovereign_of(territory), territory=territory),
        ),
    )


def _return_safeguards(
    i: Interception, within_one_state: bool = False
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The warnings and added legal basis of every return safeguard that applies: for a
    return between two territories of one state, those worded and cited for it (the asylum
    one stays, ``_rule_r13`` words it by where they were found)."""
    table = WITHIN_ONE_STATE_SAFEGUARDS if within_one_state else RETURN_SAFEGUARDS
    found = [(w, b) for condition, w, b in table if i.has(condition)]
    return tuple(w for w, _basis in found), tuple(x for _warning, b in found for x in b)


def _within_their_state(d: Directory, nationality: str, found_there: bool) -> Message:
    """R13's asylum safeguard for a return within the state of the people's nationality: not a
    refugee's return (art. 33), but one that still waits for the claim. Found in its waters
    (``found_there``, ``found_in_landing_state``) they have not left it; found elsewhere, they
    are back in it once landed there (the landing is what the plan warns of), and a refugee is
    outside the country of nationality (art. 1A(2))."""
    return (
        _(
            "Asylum is claimed: no return before the claim is decided. Found in the waters of "
            "their own state ({state}) and returned within it, they have not left their "
            "country and are not refugees (1951 Convention art. 1A(2)), but the protection "
            "they claim may be against it."
        )
        if found_there
        else _(
            "Asylum is claimed: no return before the claim is decided. Landed in their own "
            "state ({state}) and returned within it, they are in their country and are not "
            "refugees (1951 Convention art. 1A(2)), but the protection they claim may be "
            "against it."
        )
    ).format(state=d.sovereign_of(nationality))


def _after_art_33(warnings: tuple[str, ...], bound: tuple[Message, ...]) -> tuple[str, ...]:
    """``warnings`` with ``bound`` (``not_bound_by_art_33``) right after the asylum safeguard,
    which cites art. 33; unchanged where it is not among them or nothing is to be said."""
    if not bound or NO_REFOULEMENT not in warnings or bound[0] in warnings:
        return warnings
    at = warnings.index(NO_REFOULEMENT) + 1
    return (*warnings[:at], *bound, *warnings[at:])


def _before_the_protocol(i: Interception, d: Directory, note: Message) -> tuple[Message, ...]:
    """``note`` told with the day of the interception and the day the SOM Protocol entered
    into force, when it bound no state yet on that day; else nothing."""
    day = d.today_in(i.acting, i.at)
    if day >= PROTOCOL_IN_FORCE:
        return ()
    return (note.format(day=day.isoformat(), bound=PROTOCOL_IN_FORCE.isoformat()),)


def _rule_r13(i: Interception, d: Directory) -> list[Ask]:
    warnings, extra_basis = _return_safeguards(i)
    # The asylum safeguard cites art. 33: where a state that would hold them is a party to
    # neither refugee instrument, what binds it instead follows it.
    warnings = _after_art_33(warnings, not_bound_by_art_33(i, d))
    screening = _("Only after protection screening: nobody with a protection need is returned.")

    def waiting(what: Message) -> Ask:
        # Whoever they are, art. 18 bound no state before the Protocol entered into force:
        # the return rests on the duty to readmit one's nationals, as once they are known.
        not_in_force = _before_the_protocol(
            i,
            d,
            _(
                "The SOM Protocol was not yet in force on {day} (in force from {bound}, "
                "art. 22(1)): art. 18 does not oblige any state to accept the return, which "
                "rests on a state's duty under general international law to readmit its own "
                "nationals and on any agreement between the states."
            ),
        )
        return Ask(
            "repatriation",
            "request",
            None,
            "migration",
            missing=Missing(("nationalities",), what),
            warnings=warnings,
            extra_basis=extra_basis,
            basis=R13_BASIS_WITHOUT_PROTOCOL if not_in_force else None,
            notes=(screening, *not_in_force),
        )

    if unknown_nationalities(i):
        return [waiting(_("whose return is considered"))]
    asks = []
    for n in _returned_nationalities(i, d):
        notes: list[Message] = []
        # Returned within their own state (Caymanians landed in the Turks and Caicos
        # Islands): found in its waters they have not left their country; found elsewhere
        # and landed in it, they are back in it. Either way they are not refugees there (1951
        # Convention art. 1A(2), a refugee is outside the country of nationality) and art. 33
        # does not protect them from a return within it (the landing is what the plan warns
        # of); the return still waits for the claim, which may be against that state.
        one_state = d.same_state(n, i.disembark)
        found_there = found_in_landing_state(i, d)
        # Between two territories of one state, the children's and the victims' safeguards
        # are worded and cited for a move within it (``WITHIN_ONE_STATE_SAFEGUARDS``).
        safeguards, safeguards_basis = (
            _return_safeguards(i, within_one_state=True) if one_state else (warnings, extra_basis)
        )
        if not one_state:
            # Returned within their own state, they are not refugees: art. 33 is not cited.
            safeguards = _after_art_33(safeguards, not_bound_by_art_33(i, d))
        returning = (
            tuple(
                _within_their_state(d, n, found_there) if w == NO_REFOULEMENT else w
                for w in safeguards
            )
            if one_state
            else safeguards
        )
        agreement, mentioned = in_force(
            d,
            i,
            i.disembark,
            n,
            # Read as the entry, boarding and landing steps read them: a territory's people
            # are its sovereign's nationals (Turks and Caicos Islanders under a British
            # agreement), and an agreement limited to some zones (the Cayman-Cuban memorandum
            # of 1999: within the 12-mile limit) covers only people found there.
            lambda a, n=n: (  # type: ignore[misc]
                (a.provides.return_days is not None or a.kind == "repatriation")
                and covers_smuggling(a, i)
                and (not a.provides.nationalities or named(d, n, a.provides.nationalities))
            ),
            # One that sets deadlines governs the procedure over one that does not.
            better=lambda a: (
                a.provides.return_days is None and a.provides.notification_hours is None
            ),
        )
        if agreement is not None:
            deadlines = []
            if agreement.provides.notification_hours:
                deadlines.append(
                    _("notice within {hours} hours").format(
                        hours=agreement.provides.notification_hours
                    )
                )
            if agreement.provides.return_days:
                deadlines.append(
                    _("return within {days} days").format(days=agreement.provides.return_days)
                )
            notes.insert(
                0,
                _("Under {title}: {deadlines}.").format(
                    title=agreement.title, deadlines=joined_messages(deadlines)
                )
                if deadlines
                else _("Under {title}.").format(title=agreement.title),
            )
        sovereign = d.sovereign_of(n)
        notes = [
            _("Return of {code} ({name}) nationals.").format(code=n, name=state_name(n))
            if sovereign == n
            # A territory is never a nationality of its own: its people are its sovereign's
            # nationals (Caymanians are British nationals).
            else _("Return of people of {code} ({name}), nationals of {sovereign}.").format(
                code=n, name=state_name(n), sovereign=sovereign
            ),
            screening,
            *notes,
        ]
        unbound = None if one_state else _article_18_unbound(d, i, n)
        if unbound is not None:
            notes.append(unbound)
        # Art. 18 binds only a state the Protocol bound on the day: the note says what the
        # return rests on instead, and so does the basis (an agreement that governs is the
        # step's ``agreement``). Between two territories of one state neither art. 18 nor the
        # duty to readmit applies: the territories' own law does. Art. 18(8) is cited only
        # where an agreement governs the return, in force on the day and covering them.
        basis = (
            R13_BASIS_WITHIN_ONE_STATE
            if one_state
            else R13_BASIS_TO_A_TERRITORY_WITHOUT_PROTOCOL
            if unbound is not None and territory_with_its_own_law(d, n)
            else R13_BASIS_WITHOUT_PROTOCOL
            if unbound is not None
            else R13_BASIS
            if agreement is None
            else R13_BASIS_UNDER_AGREEMENT
        )
        if one_state:
            notes.append(
                _(
                    "{landing} ({name}) admits people under its own immigration law: people "
                    "from {code}, though of the same state ({sovereign}), are not at home there."
                ).format(
                    landing=i.disembark,
                    name=state_name(given(i.disembark, "one_state holds with the landing")),
                    code=n,
                    sovereign=d.sovereign_of(n),
                )
            )
            notes.append(
                _(
                    "A return within one state: the SOM Protocol (art. 18) and the duty to "
                    "readmit one's nationals are owed between states, not between the "
                    "territories of one; each territory's immigration law governs it."
                )
            )
        # The landing side, and the country they go back to: asked at home, never through
        # its authority for a territory where it acts (that is the landing side again). A
        # country whose migration authority the directory does not hold (the United Kingdom,
        # France) is asked through diplomatic channels: its foreign ministry.
        for state, missing, home in ((i.disembark, disembark_missing(i), False), (n, None, True)):
            asks.append(
                Ask(
                    "repatriation",
                    "request",
                    state,
                    "migration",
                    fallback_roles=("foreign-affairs",) if home else (),
                    missing=missing,
                    agreement=agreement,
                    mentioned=tuple(mentioned),
                    nationality=n,
                    warnings=returning,
                    basis=basis,
                    extra_basis=safeguards_basis,
                    notes=tuple(notes),
                    home=home,
                )
            )
    if i.stateless_persons:
        # No state must readmit them as its nationals: the landing state's authority decides,
        # and a return rests on a right of permanent residence somewhere (``STATELESS_RETURN``)
        # or on a state that agrees to admit them. The victims' safeguard is worded for them.
        # Landed where people aboard are at home (Haitians and stateless persons landed in
        # Haiti), they may live there too: for those who have the right of permanent residence
        # there the landing is their return, and only the others' return onward is asked. The
        # step stays for them: its screening and safeguards protect them.
        returned = _returned_nationalities(i, d)
        # Found in its waters, those who live there have not left it: nothing is a return.
        lived = (
            (
                (
                    _(
                        "Found in the waters of {coastal} and landed in {landing} with people "
                        "aboard who are at home there, the stateless persons may live in "
                        "{landing} too: those with the right of permanent residence there have "
                        "not left it and no return onward is asked; this step is for those "
                        "without it."
                    )
                    if found_in_landing_state(i, d)
                    else _(
                        "Landed in {landing} with people aboard who are at home there, the "
                        "stateless persons may have lived in {landing} too: for those with the "
                        "right of permanent residence there, the landing is their return and no "
                        "return onward is asked; this step is for those without it."
                    )
                ).format(landing=i.disembark, coastal=i.coastal),
            )
            if any(n not in returned for n in i.nationalities)
            else ()
        )
        # Art. 18 bound no state before the Protocol entered into force.
        not_in_force = _before_the_protocol(
            i,
            d,
            _(
                "The SOM Protocol was not yet in force on {day} (in force from {bound}, "
                "art. 22(1)): art. 18 obliges no state to accept the return of stateless "
                "persons, which rests on a state that agrees to admit them and on any "
                "agreement between the states."
            ),
        )
        asks.append(
            Ask(
                "repatriation",
                "request",
                i.disembark,
                "migration",
                missing=disembark_missing(i),
                warnings=(
                    *(STATELESS_VICTIMS_RETURN if w == VICTIMS_RETURN else w for w in warnings),
                    STATELESS_RETURN,
                ),
                extra_basis=extra_basis,
                basis=R13_STATELESS_BASIS_WITHOUT_PROTOCOL if not_in_force else None,
                notes=(_("Return of stateless persons."), *lived, screening, *not_in_force),
                stateless_persons=True,
            )
        )
    if i.others_unknown:
        # Landed among nationals at home, the others are not home for all that: their return,
        # if any, waits for who they are.
        asks.append(waiting(_("the nationalities of the others whose return is considered")))
    return asks


def _admits_under_its_own_law(i: Interception, d: Directory) -> bool:
    """Whether people are landed in another territory of the acting state's sovereign that
    admits people under its own immigration law, through its own authorities (a British
    Overseas Territory, a country of the Kingdom of the Netherlands): one state in
    international law, but the acting state's vessel lands no one there without its consent.
    So too when the acting state is such a territory and the landing place is under the
    sovereign's law (an Aruban patrol landing people in Bonaire): Aruba's law decides nothing
    there. A territory under its sovereign's immigration law (Puerto Rico, Guadeloupe) keeps no
    migration authority of its own in the directory."""
    return under_another_law(d, i.disembark, i.acting)


def _rescue_unit(d: Directory, landing: str) -> tuple[bool, Agency | None]:
    """Whether the landing state's `sar` role names no RCC, and the agency it names.

    (True, agency): its first `sar` agency coordinates no SAR region in the directory (VISAR,
    a volunteer charity in the British Virgin Islands; Anguilla's fire service), and cannot
    consent to a landing. (True, None): it has no `sar` agency at all, here or acting for it
    (the Turks and Caicos Islands): the step falls back to its other authorities. (False,
    rcc): its RCC, its own or another jurisdiction's acting for it (the Dutch Caribbean Coast
    Guard for Aruba, CROSS Antilles-Guyane for Guadeloupe), the one the step's look-up
    finds."""
    # Its own, and another jurisdiction's stationed there and primary for the role; failing
    # those, another jurisdiction's that covers it (as the step's look-up reads them).
    serving = d.agencies(role="sar", serving=landing)
    stationed = [
        a
        for a in serving
        if a.state != landing and a.located_in == landing and "sar" in a.primary_for
    ]
    own = primary_first([*d.at_home(landing, "sar"), *stationed], "sar") or primary_first(
        [a for a in serving if a.state != landing], "sar"
    )
    coordinating = {region.rcc for region in d.sar_regions}
    if own:
        return (True, own[0]) if own[0].id not in coordinating else (False, own[0])
    return (True, None)


def _coordinating_rcc(i: Interception, d: Directory) -> Agency | None:
    """The RCC that coordinates the rescue (R1's), or None when R1 cannot name it."""
    asks = _rule_r1(i, d)
    rcc = asks[0].agency if asks else None
    if rcc is not None and i.acting and _relays_only(d, i.acting, rcc):
        return None  # a centre that only relays coordinates nothing here
    return rcc


def _landing_after_a_rescue(
    i: Interception,
    d: Directory,
    landing: str,
    coordinating: Agency | None,
    notes: list[Message],
    at_home: bool,
) -> tuple[str, tuple[str, ...]]:
    """The role (and fallbacks) R15 asks for a landing after a rescue with no agreement that
    provides for it, adding what the step says of the RCCs to ``notes``.

    The RCC responsible for the rescue finds the place of safety (SOLAS V/33.1-1; MSC.167(78)
    6.7): the landing state's RCC is asked when it is that RCC (or R1 cannot name one).
    Otherwise the consent is the landing state's authorities' (an RCC that coordinates no
    rescue there, or a rescue service that coordinates no SAR region, cannot give it)."""
    authorities = ("maritime-law-enforcement", ("migration", "foreign-affairs"))
    no_rcc, responder = _rescue_unit(d, landing)
    if not no_rcc:
        if responder is None or coordinating is None or coordinating.id == responder.id:
            return "sar", ("maritime-law-enforcement", "foreign-affairs")
        # Its RCC does not coordinate this rescue: the one that does finds the place of
        # safety, with the landing state's authorities.
        notes.append(_coordinating_note(coordinating, landing, at_home))
        return authorities
    role, fallbacks = authorities
    if responder is not None and not {role, *fallbacks} & set(responder.roles):
        # Its `sar` agency coordinates no SAR region (a volunteer service, a fire service's
        # boat): it cannot consent to a landing, a decision of the state's government. One
        # that is also the state's authority (the Royal Bahamas Defence Force) is asked as that
        # authority: nothing to explain.
        notes.append(
            _(
                "{agency} ({id}) is {landing}'s search and rescue service but coordinates "
                "no SAR region: it cannot consent to a landing, and {landing}'s "
                "authorities are asked."
            ).format(agency=responder.name_en, id=responder.id, landing=landing)
        )
    rccs = d.rccs_for(landing)
    named_rccs = ", ".join(f"{a.name_en} ({a.id})" for a in rccs)
    if coordinating is not None and coordinating.id not in {a.id for a in rccs}:
        # Another RCC coordinates the rescue (on the high seas, the acting state's): it finds
        # the place of safety; the one for the landing state's waters is kept informed.
        notes.append(_coordinating_note(coordinating, landing, at_home))
        if rccs:
            notes.append(
                _("Keep {rccs}, the RCC for the waters of {landing}, informed.").format(
                    rccs=named_rccs, landing=landing
                )
            )
    elif rccs:
        # The step goes to no RCC: the one whose region covers the landing state's waters
        # (coordinating the rescue, or R1 names none) finds the place of safety, and is kept
        # informed.
        notes.append(
            _(
                "Keep {rccs}, the RCC for the waters of {landing}, informed: after a rescue it "
                "finds the place of safety."
            ).format(rccs=named_rccs, landing=landing)
        )
    return role, fallbacks


def _coordinating_note(coordinating: Agency, landing: str, at_home: bool) -> Message:
    """What a landing step says of the RCC that coordinates the rescue, when it asks the
    landing state's authorities."""
    return (
        _(
            "{rcc} ({id}) coordinates this rescue and finds the place of safety with "
            "{landing}'s authorities: keep it informed."
        )
        if at_home
        else _(
            "{rcc} ({id}) coordinates this rescue and finds the place of safety with "
            "{landing}'s authorities, who decide whether people are landed there: keep it "
            "informed."
        )
    ).format(rcc=coordinating.name_en, id=coordinating.id, landing=landing)


def _sovereign_entry(i: Interception, d: Directory) -> Message | None:
    """What a landing at home says of people of a territory with its own law landed in its
    sovereign (Caymanians in the United Kingdom, Arubans in the Netherlands), or in another of
    its territories under its law (Arubans in Bonaire): they are its nationals, at home if
    they may enter it. Whether they may is the sovereign's law (``SOVEREIGN_ENTRY``); where
    the directory holds none, the note says that they may not and to verify. None when
    someone aboard is not at home there, or nobody is of such a territory."""
    landing = i.disembark
    if landing is None or not i.nationalities or i.stateless_persons or i.others_unknown:
        return None
    if _returned_nationalities(i, d):
        return None
    from_territories = sorted(
        n for n in i.nationalities if n != landing and territory_with_its_own_law(d, n)
    )
    if not from_territories:
        return None
    entry = SOVEREIGN_ENTRY.get(landing)
    return (
        entry
        if entry is not None
        else _(
            "People of {territories} are nationals of {state}, but a national connected "
            "with one of its territories may not have the right to enter {landing}: "
            "verify that each may enter {landing}; the others are landed there only "
            "with its consent."
        )
    ).format(
        territories=", ".join(from_territories),
        state=d.sovereign_of(landing),
        landing=landing,
    )


def _r15_applies(i: Interception, d: Directory) -> bool:
    """People are landed in another state, or in another territory of the acting state's
    sovereign where either admits people under its own immigration law: a step asks for the
    landing (R15)."""
    return i.disembark is not None and (
        not d.same_state(i.disembark, i.acting) or _admits_under_its_own_law(i, d)
    )


def _landed_at_home_by_their_sovereign(i: Interception, d: Directory) -> bool:
    """The acting state lands people of a territory with its own law in its own territory
    (a Royal Navy ship landing Caymanians in the United Kingdom, a Dutch navy ship landing
    Arubans in the Netherlands): no step asks for the landing, but whether each may enter is
    the sovereign's law, as the step says when another lands them (``_sovereign_entry``)."""
    return (
        i.acting is not None
        and i.disembark is not None
        and not _r15_applies(i, d)
        and _sovereign_entry(i, d) is not None
    )


def _r15_entry_note(i: Interception, d: Directory) -> str:
    """The plan note of R15 where no landing step carries ``_sovereign_entry``: the acting
    state lands them in its own territory."""
    entry = _sovereign_entry(i, d)
    assert entry is not None  # _landed_at_home_by_their_sovereign holds
    return _(
        "No step asks for the landing: {acting} lands them in its own territory ({landing}). "
        "{entry}"
    ).format(acting=i.acting, landing=i.disembark, entry=entry)


def _rule_r15(i: Interception, d: Directory) -> list[Ask]:
    landing = i.disembark
    assert landing is not None  # the rule applies only when the landing state is known
    rescued = i.has(*RESCUE)
    agreement, mentioned = in_force(
        d,
        i,
        i.acting,
        landing,
        lambda a: (
            named(d, i.acting, a.provides.landing_by)
            and covers_smuggling(a, i)
            # An agreement limited to some nationalities covers the landing only when every
            # nationality aboard is known and covered (a territory's people under its
            # sovereign's code, as for R2 and R4).
            and (
                not a.provides.nationalities
                or (
                    bool(i.nationalities)
                    and not i.stateless_persons
                    and not i.others_unknown
                    and all(named(d, n, a.provides.nationalities) for n in i.nationalities)
                )
            )
        ),
    )
    notes: list[Message] = []
    # Everyone aboard is a national of the landing state, at home there: it does not consent
    # to their entry, it verifies who they are (ICCPR art. 12(4); from another state, SOM
    # Protocol art. 18(1), owed between States Parties).
    # Found in its own waters they entered nothing and are returned nowhere: it names the
    # port, and stopping them restricts their right to leave (ICCPR art. 12(2), (3)).
    # A territory's own law says who may land there (a British Overseas Territories citizen
    # may not belong to the Turks and Caicos Islands): its consent is asked for the sovereign's
    # other nationals (``_returned_nationalities``). Its own people are at home in it: its
    # constitution guarantees those who belong there the right to enter it and lets a law
    # restrict only those who do not (Turks and Caicos Islands Constitution 2006, s. 14(1),
    # (2)(d); Cayman Islands Constitution 2009, s. 13(1), (2)(d)), as ICCPR art. 12(4) does
    # their own country; it verifies that each belongs there. One under its sovereign's law
    # (Puerto Rico) is home to the sovereign's nationals.
    returned = _returned_nationalities(i, d)
    at_home = (
        bool(i.nationalities) and not i.stateless_persons and not i.others_unknown and not returned
    )
    belongers = at_home and territory_with_its_own_law(d, landing)
    # Found in the landing state's own waters (internal, archipelagic or territorial: its
    # territory, UNCLOS arts. 2(1), 49(1)), its nationals have not left their country: landing
    # them there is neither an entry nor a return.
    never_left = found_in_landing_state(i, d)
    # Without a rescue, or under an agreement that provides for the landing (a return
    # arrangement: the notice is owed to the authorities that apply it, rescue or not), the
    # landing state's maritime law enforcement answers for the port.
    role: str = "maritime-law-enforcement"
    fallbacks: tuple[str, ...] = ("foreign-affairs",)
    coordinating = _coordinating_rcc(i, d) if rescued else None
    if rescued and agreement is not None and coordinating is not None:
        notes.append(
            _(
                "The notice is owed under {id} to the authorities that apply it, rescue or "
                "not; keep {rcc} ({rcc_id}), which coordinates the rescue, informed."
            ).format(id=agreement.id, rcc=coordinating.name_en, rcc_id=coordinating.id)
        )
    elif rescued and agreement is None:
        role, fallbacks = _landing_after_a_rescue(i, d, landing, coordinating, notes, at_home)
    if agreement is not None:
        hours = agreement.provides.notification_hours
        notes.insert(
            0,
            (
                _(
                    "The landing is provided for by {title}: notify {landing} of it and of the "
                    "port, within {hours} hours as it provides."
                )
                if hours
                else _(
                    "The landing is provided for by {title}: notify {landing} of it and of the "
                    "port."
                )
            ).format(title=agreement.title, landing=landing, hours=hours),
        )
    elif at_home and never_left:
        notes.insert(
            0,
            (
                _(
                    "Everyone aboard is a national of {state}, found in the waters of "
                    "{coastal}, its territory: they have not left their country, so nobody "
                    "enters it or is returned to it. Ask {landing} to name a place of safety "
                    "for those rescued."
                )
                if rescued
                else _(
                    "Everyone aboard is a national of {state}, found in the waters of "
                    "{coastal}, its territory: they have not left their country, so nobody "
                    "enters it or is returned to it. Stopping them from leaving restricts their "
                    "right to leave their own country (ICCPR art. 12(2)): only as provided by "
                    "law and where necessary to protect national security, public order, public "
                    "health or morals or the rights and freedoms of others (art. 12(3)). Ask "
                    "{landing} to name the port of landing."
                )
            ).format(landing=landing, state=d.sovereign_of(landing), coastal=i.coastal),
        )
    elif belongers:
        notes.insert(
            0,
            (
                _(
                    "Everyone aboard is one of {landing}'s own people ({landing} nationals of "
                    "{state}), at home there: a territory's own law says who belongs there, "
                    "and those who do have the right to enter it (ICCPR art. 12(4); the "
                    "British territories' constitutions let a law restrict only those who do "
                    "not belong there). Ask {landing} to verify that each belongs there (not "
                    "every national of {state} connected with {landing} does) and to name a "
                    "place of safety for those rescued."
                )
                if rescued
                else _(
                    "Everyone aboard is one of {landing}'s own people ({landing} nationals of "
                    "{state}), at home there: a territory's own law says who belongs there, "
                    "and those who do have the right to enter it (ICCPR art. 12(4); the "
                    "British territories' constitutions let a law restrict only those who do "
                    "not belong there). Ask {landing} to verify that each belongs there (not "
                    "every national of {state} connected with {landing} does) and to name the "
                    "port of landing."
                )
            ).format(landing=landing, state=d.sovereign_of(landing)),
        )
    elif at_home and d.same_state(i.acting, landing):
        # Landed by their own state (or another territory of it): nobody is returned from
        # another state, so SOM Protocol art. 18, owed between States Parties, has no place.
        notes.insert(
            0,
            (
                _(
                    "Everyone aboard is a national of {state}, landed by {acting}, part of the "
                    "same state: nobody needs their own country's consent to enter it (ICCPR "
                    "art. 12(4)). Ask {landing} to verify their nationality and to name a place "
                    "of safety for those rescued."
                )
                if rescued
                else _(
                    "Everyone aboard is a national of {state}, landed by {acting}, part of the "
                    "same state: nobody needs their own country's consent to enter it (ICCPR "
                    "art. 12(4)). Ask {landing} to verify their nationality and to name the "
                    "port of landing."
                )
            ).format(landing=landing, state=d.sovereign_of(landing), acting=i.acting),
        )
    elif at_home and i.acting is None:
        # Whether the acting state is another is not known (the step says it is not needed
        # if the landing state acts): art. 18(1), owed between States Parties, only if another
        # state lands them; landed by their own state or another territory of it, nobody
        # returns from another state.
        notes.insert(
            0,
            (
                _(
                    "Everyone aboard is a national of {state}: nobody needs their own "
                    "country's consent to enter it (ICCPR art. 12(4)). If a state other than "
                    "{state} lands them, art. 18(1) of the SOM Protocol, where it binds "
                    "{state}, commits {state} to accept their return without undue delay; "
                    "landed by {state} itself or another of its territories, nobody returns "
                    "from another state. Ask {landing} to verify their nationality and to name "
                    "a place of safety for those rescued."
                )
                if rescued
                else _(
                    "Everyone aboard is a national of {state}: nobody needs their own "
                    "country's consent to enter it (ICCPR art. 12(4)). If a state other than "
                    "{state} lands them, art. 18(1) of the SOM Protocol, where it binds "
                    "{state}, commits {state} to accept their return without undue delay; "
                    "landed by {state} itself or another of its territories, nobody returns "
                    "from another state. Ask {landing} to verify their nationality and to name "
                    "the port of landing."
                )
            ).format(landing=landing, state=d.sovereign_of(landing)),
        )
    elif at_home:
        notes.insert(
            0,
            (
                _(
                    "Everyone aboard is a national of {state}: nobody needs their own "
                    "country's consent to enter it (ICCPR art. 12(4)), and where the SOM "
                    "Protocol binds {state}, art. 18(1) commits it to accept their return "
                    "without undue delay. Ask {landing} to verify their nationality and to "
                    "name a place of safety for those rescued."
                )
                if rescued
                else _(
                    "Everyone aboard is a national of {state}: nobody needs their own "
                    "country's consent to enter it (ICCPR art. 12(4)), and where the SOM "
                    "Protocol binds {state}, art. 18(1) commits it to accept their return "
                    "without undue delay. Ask {landing} to verify their nationality and to "
                    "name the port of landing."
                )
            ).format(landing=landing, state=d.sovereign_of(landing)),
        )
    else:
        notes.insert(
            0,
            (
                _(
                    "Ask {landing} to consent to the landing and to name a place of safety for "
                    "those rescued; people are not landed without it."
                )
                if rescued
                else _(
                    "Ask {landing} to consent to the landing and to name a place of safety; "
                    "people are not landed without it."
                )
            ).format(landing=landing),
        )
    entry = _sovereign_entry(i, d)
    if entry is not None:
        notes.insert(1, entry)
    if at_home and not never_left and i.acting is not None and not d.same_state(i.acting, landing):
        # Another state lands them in their own country from outside its waters, under an
        # agreement or not: the landing is their return (no R13 step follows it), and they
        # have left their country (1951 Convention art. 1A(2)), so nobody is landed there
        # before being heard on a fear of return, claimed or not yet (with asylum claimed the
        # step is deferred as well, and the plan warns of refoulement).
        notes.append(LANDING_AT_HOME_AFTER_SCREENING.format(state=landing))
    elif at_home and not never_left and i.acting is None:
        # Whether another state lands them is not known: the same note, on that condition.
        notes.append(
            LANDING_AT_HOME_AFTER_SCREENING_UNLESS_THEIR_OWN.format(
                state=landing, sovereign=d.sovereign_of(landing)
            )
        )
    if not rescued:
        # SOLAS V/33 and the SAR Convention's duties are owed to people rescued at sea.
        notes.append(
            (
                _(
                    "SOLAS V/33 and the SAR Convention bind {landing} towards people rescued at "
                    "sea; with no one in distress the landing rests on {landing}'s sovereignty "
                    "over its territory, where they were found. If the vessel or anyone aboard "
                    "is in distress (unseaworthy, overloaded, short of water), plan it as a "
                    "rescue."
                )
                if at_home and never_left
                else _(
                    "SOLAS V/33 and the SAR Convention bind {landing} towards people rescued at "
                    "sea; with no one in distress the landing rests on their right to enter "
                    "their own country. If the vessel or anyone aboard is in distress "
                    "(unseaworthy, overloaded, short of water), plan it as a rescue."
                )
                if at_home
                else _(
                    "SOLAS V/33 and the SAR Convention bind {landing} towards people rescued at "
                    "sea; with no one in distress the landing rests on its consent alone. If "
                    "the vessel or anyone aboard is in distress (unseaworthy, overloaded, short "
                    "of water), plan it as a rescue."
                )
            ).format(landing=landing)
        )
    # Its own people landed at home are verified, not admitted: the note above says so.
    if _admits_under_its_own_law(i, d) and not (belongers and not never_left):
        notes.append(
            (
                _(
                    "{landing} ({name}) is a territory of {sovereign} with its own immigration "
                    "law: its authorities decide who is landed there, even from a vessel of "
                    "{acting}."
                )
                if territory_with_its_own_law(d, landing)
                else _(
                    "{landing} ({name}) is the sovereign itself, under its own immigration law, "
                    "not that of {acting}, its territory: its authorities decide who is landed "
                    "there."
                )
                if d.sovereign_of(landing) == landing
                else _(
                    "{landing} ({name}) is under the immigration law of {sovereign}, not that of "
                    "{acting}, a territory with its own: the authorities that serve {landing} "
                    "decide who is landed there."
                )
            ).format(
                landing=landing,
                name=state_name(landing),
                sovereign=d.sovereign_of(landing),
                acting=i.acting,
            )
        )
    if i.has("injured"):
        # "Not landed without it" is about everyone's landing: a casualty is not kept aboard
        # for the answer (or, deferred, for the claims). A rescue provides for the initial
        # medical needs of those it retrieves (SAR Convention annex 1.3.2).
        notes.append(
            _(
                "Injured or ill people who need urgent care: ask the RCC coordinating the "
                "rescue for their medical evacuation now, which it arranges with the state "
                "receiving them; it does not wait for this step (a rescue provides for their "
                "initial medical needs: SAR Convention 1979 annex 1.3.2)."
            )
        )
    if i.acting is None:
        notes.append(
            _("Not needed if the acting state is {landing} itself.").format(landing=landing)
        )
    # Landing people in their own country returns them there, with no repatriation step
    # (R13) to follow: the safeguards that come before a return come before this landing (the
    # asylum one defers the step, see safeguards.py). Found in its own waters, they are not
    # returned, but the children and the victims are owed the same care ashore.
    # Landed by another territory of the same sovereign (a Cayman patrol landing Turks and
    # Caicos Islanders at home), nobody is returned to another state either: art. 8 is owed
    # between states, and the victims are owed their safety in its territory (art. 6(5)).
    home = any(n not in returned for n in i.nationalities)
    within_one_state = never_left or d.same_state(i.acting, landing)
    found = [
        (w, b)
        for condition, w, b in (STAYING_SAFEGUARDS if within_one_state else RETURN_SAFEGUARDS)
        if home and condition != "asylum" and i.has(condition)
    ]
    if i.stateless_persons:
        # The landing returns the nationals, not the stateless victims landed with them: the
        # victims' safeguard speaks of both (``VICTIMS_LANDED_WITH_NATIONALS``).
        found = [
            (VICTIMS_LANDED_WITH_NATIONALS.format(landing=landing) if w == VICTIMS_RETURN else w, b)
            for w, b in found
        ]
    return [
        Ask(
            "disembarkation",
            "notify" if agreement else "request",
            landing,
            role,
            fallback_roles=fallbacks,
            agreement=agreement,
            mentioned=tuple(mentioned),
            notes=tuple(notes),
            warnings=tuple(w for w, _basis in found),
            extra_basis=tuple(x for _warning, b in found for x in b),
            # At home, the landing rests on their right to enter their own country; SOLAS, the
            # SAR Convention and MSC.167(78) bind towards people rescued at sea, and only then:
            # with no one rescued, elsewhere, on the landing state's consent, as the note says.
            basis=(
                ((*R15_BASIS, FOUND_AT_HOME_BASIS[0]) if rescued else FOUND_AT_HOME_BASIS)
                if at_home and never_left
                else (
                    (*R15_BASIS, ICCPR_12_4, TERRITORY_RIGHT_TO_ENTER)
                    if rescued
                    else (ICCPR_12_4, TERRITORY_RIGHT_TO_ENTER)
                )
                if belongers
                else ((*R15_BASIS, ICCPR_12_4) if rescued else (ICCPR_12_4,))
                if at_home
                else None
                if rescued
                else LANDING_BY_CONSENT_BASIS
            ),
            own_nationals=at_home,
        )
    ]


def _r5_note(i: Interception, d: Directory) -> str:
    if i.zone in SOVEREIGN_ZONES:
        if i.coastal is not None and under_another_law(d, i.coastal, i.acting):
            # One state in international law, but a territory's waters are policed by the
            # authorities that serve it, under its own law (a Cayman patrol has no powers in the
            # Turks and Caicos Islands), and a territory's own law runs in no other's. Waters
            # under the sovereign's law, patrolled under that law (a U.S. cutter off Puerto
            # Rico), are the acting state's own.
            sovereign = d.sovereign_of(i.coastal)
            if sovereign == i.acting:
                return _(
                    "Stateless vessel in the waters of {coastal}, a territory of {acting} under "
                    "its own law: jurisdiction there is exercised by the authorities that serve "
                    "{coastal}, under its law; act with them. There is no flag state to ask."
                ).format(coastal=i.coastal, acting=i.acting)
            return _(
                "Stateless vessel in the waters of {coastal}, under the same sovereign "
                "({sovereign}) as {acting}: jurisdiction there is exercised by the "
                "authorities that serve {coastal}, under its law; act with them. There is "
                "no flag state to ask."
            ).format(coastal=i.coastal, acting=i.acting, sovereign=sovereign)
        if d.same_state(i.acting, i.coastal):
            return _(
                "Stateless vessel in the acting state's own waters: its jurisdiction applies; "
                "there is no flag state to ask."
            )
        if i.acting is None:
            # R2 asks for no authorisation without the acting state: point to no step.
            text = (
                _(
                    "Stateless vessel in {coastal}'s waters: SOM Protocol art. 8(7) and UNCLOS "
                    "art. 110 permit boarding only beyond the territorial sea. Here {coastal}'s "
                    "jurisdiction applies: any other state boards only with its authorisation; "
                    "there is no flag state to ask."
                )
                if i.coastal
                else _(
                    "Stateless vessel in the coastal state's waters: SOM Protocol art. 8(7) and "
                    "UNCLOS art. 110 permit boarding only beyond the territorial sea. Here the "
                    "coastal state's jurisdiction applies: any other state boards only with its "
                    "authorisation; there is no flag state to ask."
                )
            ).format(coastal=i.coastal)
            return _no_wait_when_acting_unknown(i, text)
        if not i.coastal:
            return _(
                "Stateless vessel in the coastal state's waters: SOM Protocol art. 8(7) and "
                "UNCLOS art. 110 permit boarding only beyond the territorial sea. Here the "
                "coastal state's authorisation governs (see the coastal-state-authorization "
                "step); there is no flag state to ask."
            )
        return _(
            "Stateless vessel in {coastal}'s waters: SOM Protocol art. 8(7) and UNCLOS art. 110 "
            "permit boarding only beyond the territorial sea. Here the coastal state's "
            "authorisation governs (see the coastal-state-authorization step); there is no flag "
            "state to ask."
        ).format(coastal=i.coastal)
    text = _(
        "Stateless vessel beyond the territorial sea: no flag state to ask. Boarding and search "
        "are permitted; if evidence of smuggling is found, take appropriate measures under "
        "domestic and international law."
    )
    unbound = _article_8_7_unbound(d, i.acting, d.today_in(i.acting, i.at))
    # Two messages, each told in the reader's language (an f-string would keep both English).
    return joined_messages([text, unbound], " ") if unbound else text


def _r5_basis(i: Interception, d: Directory) -> tuple[str, ...] | None:
    """R5's basis where the rule's does not apply: in a state's waters, where its note says
    art. 8(7) and UNCLOS art. 110 do not reach, what does (as the note says); beyond the
    territorial sea, UNCLOS art. 110(1)(d) alone where the Protocol did not bind the acting
    state on the day. None keeps the rule's."""
    if i.zone in SOVEREIGN_ZONES:
        if i.coastal is not None and under_another_law(d, i.coastal, i.acting):
            return R5_BASIS_IN_A_SISTER_TERRITORYS_WATERS
        return R5_BASIS_IN_A_STATES_WATERS
    unbound = protocol_unbound(d, i.acting, d.today_in(i.acting, i.at))
    return None if unbound is None else R5_BASIS_WITHOUT_PROTOCOL


def _article_8_7_unbound(d: Directory, acting: str | None, day: date) -> Message | None:
    """What R5 says when art. 8(7) of the SOM Protocol did not bind the acting state on the
    plan's day: the boarding then rests on UNCLOS art. 110(1)(d). None when it bound it, or
    the acting state is unknown on a day the Protocol was in force."""
    unbound = protocol_unbound(d, acting, day)
    if unbound is None:
        return None
    why, deposited, bound = unbound
    text = {
        "not-in-force": _(
            "The SOM Protocol was not yet in force on {day} (in force from {bound}, art. "
            "22(1)): the boarding rests on UNCLOS art. 110(1)(d), not art. 8(7) of the "
            "Protocol."
        ),
        "not-yet-bound": _(
            "{code} was not yet bound by the SOM Protocol on {day} (instrument deposited on "
            "{date}, binding from {bound}): the boarding rests on UNCLOS art. 110(1)(d), not "
            "art. 8(7) of the Protocol."
        ),
        "not-party": _(
            "The acting state, {code}, is not a party to the SOM Protocol: the boarding rests "
            "on UNCLOS art. 110(1)(d), not art. 8(7) of the Protocol."
        ),
        "uncertain": _(
            "The acting state, {code}, has uncertain status under the SOM Protocol: if it is "
            "not a party, the boarding rests on UNCLOS art. 110(1)(d) alone, not art. 8(7) of "
            "the Protocol."
        ),
    }[why]
    sovereign = d.sovereign_of(acting) if acting is not None else None
    if sovereign != acting and why in ("not-party", "uncertain"):
        # A territory is never a party: its sovereign extends the Protocol to it or not.
        text = (
            _(
                "The acting state, {code}, is a territory of {sovereign}, which has not "
                "extended the SOM Protocol to it: the boarding rests on UNCLOS art. 110(1)(d), "
                "not art. 8(7) of the Protocol."
            )
            if why == "not-party"
            else _(
                "The acting state, {code}, is a territory of {sovereign}, whose extension of "
                "the SOM Protocol to it is not confirmed: if it was not extended, the boarding "
                "rests on UNCLOS art. 110(1)(d) alone, not art. 8(7) of the Protocol."
            )
        )
        return text.format(code=acting, sovereign=sovereign)
    return _told(text, acting, day, deposited, bound)


def _article_18_unbound(d: Directory, i: Interception, nationality: str) -> Message | None:
    """What a return step says when art. 18 of the SOM Protocol did not bind the state of
    nationality on the plan's day: a state's duty to readmit its own nationals, and any
    agreement, remain. None when it bound it."""
    day = d.today_in(i.acting, i.at)
    state = d.sovereign_of(nationality) if d.state(nationality) is None else nationality
    unbound = protocol_unbound(d, state, day)
    if unbound is None:
        return None
    why, deposited, bound = unbound
    sovereign = d.sovereign_of(state)
    if sovereign != state:
        return _article_18_unbound_in_a_territory(d, state, sovereign, why, day, deposited, bound)
    # The return still rests on the state's duty under general international law to readmit
    # its own nationals, and on any agreement between the states.
    text = {
        "not-in-force": _(
            "The SOM Protocol was not yet in force on {day} (in force from {bound}, art. "
            "22(1)): art. 18 does not oblige {code} to accept the return, which rests on its "
            "duty under general international law to readmit its own nationals and on any "
            "agreement between the states."
        ),
        "not-yet-bound": _(
            "{code} was not yet bound by the SOM Protocol on {day} (instrument deposited on "
            "{date}, binding from {bound}): art. 18 does not oblige it to accept the return, "
            "which rests on its duty under general international law to readmit its own "
            "nationals and on any agreement between the states."
        ),
        "not-party": _(
            "{code} is not a party to the SOM Protocol: art. 18 does not oblige it to accept "
            "the return, which rests on its duty under general international law to readmit "
            "its own nationals and on any agreement between the states."
        ),
        "uncertain": _(
            "{code} has uncertain status under the SOM Protocol: if it is not a party, art. 18 "
            "does not oblige it to accept the return, which then rests on its duty under "
            "general international law to readmit its own nationals and on any agreement "
            "between the states."
        ),
    }[why]
    return _told(text, state, day, deposited, bound)


def _article_18_unbound_in_a_territory(
    d: Directory,
    code: str,
    sovereign: str,
    why: str,
    day: date,
    deposited: date | None,
    bound: date | None,
) -> Message:
    """``_article_18_unbound`` for a territory's people: a territory is never a party to the
    Protocol (its sovereign extends it there, or not), the duty to readmit nationals is its
    sovereign's, and a territory with its own immigration law (the Cayman Islands) says by
    that law who may enter it."""
    status = {
        "not-in-force": _(
            "The SOM Protocol was not yet in force on {day} (in force from {bound}, art. "
            "22(1)): art. 18 does not oblige {sovereign} to accept the return to {code} "
            "({name})."
        ),
        "not-yet-bound": _(
            "The SOM Protocol did not yet bind {code} ({name}) on {day} ({sovereign}'s "
            "instrument deposited on {date}, binding from {bound}): art. 18 does not oblige "
            "{sovereign} to accept the return there."
        ),
        "not-party": _(
            "{sovereign} has not extended the SOM Protocol to {code} ({name}): art. 18 does not "
            "oblige it to accept the return there."
        ),
        "uncertain": _(
            "Whether {sovereign} extended the SOM Protocol to {code} ({name}) is not "
            "confirmed: if it did not, art. 18 does not oblige it to accept the return there."
        ),
    }[why]
    rests = (
        _(
            "The return then rests on the immigration law of {code}, on {sovereign}'s duty "
            "under general international law to readmit its own nationals and on any "
            "agreement between the states."
        )
        if territory_with_its_own_law(d, code)
        else _(
            "The return then rests on {sovereign}'s duty under general international law to "
            "readmit its own nationals and on any agreement between the states."
        )
    )
    fields = {
        "code": code,
        "name": state_name(code),
        "sovereign": sovereign,
        "day": day.isoformat(),
        "date": deposited.isoformat() if deposited else "",
        "bound": bound.isoformat() if bound else "",
    }
    return _("{first} {second}").format(
        first=status.format(**fields), second=rests.format(**fields)
    )


def _told(
    text: Message, code: str | None, day: date, deposited: date | None, bound: date | None
) -> Message:
    """A note on the SOM Protocol not binding ``code`` on ``day``, its dates filled in."""
    return text.format(
        code=code,
        day=day.isoformat(),
        date=deposited.isoformat() if deposited else "",
        bound=bound.isoformat() if bound else "",
    )


def _returned_nationalities(i: Interception, d: Directory) -> list[str]:
    """The nationalities aboard whose return from the landing place is a return: those foreign
    to it, and, where it is a territory that admits people under its own immigration law (the
    Turks and Caicos Islands), those of its sovereign and of the sovereign's other
    jurisdictions (Caymanians, British citizens): one state, but not at home there."""
    landing = i.disembark
    return [
        n
        for n in i.nationalities
        if not d.same_state(n, landing)
        or (landing is not None and n != landing and territory_with_its_own_law(d, landing))
    ]


def _homes_elsewhere(i: Interception, d: Directory) -> list[str]:
    """With a return considered, the people aboard of a territory with its own law landed in
    another place of their state that returns nobody to it (Caymanians landed in the United
    Kingdom, Arubans in Bonaire): nationals, at home in their state, but their home, where a
    return goes, is their territory, whose own law says who belongs there. No R13 step asks
    for it (``_returned_nationalities``)."""
    landing = i.disembark
    if not i.return_considered or landing is None:
        return []
    returned = _returned_nationalities(i, d)
    return sorted(
        n
        for n in i.nationalities
        if n != landing
        and n not in returned
        and d.same_state(n, landing)
        and territory_with_its_own_law(d, n)
    )


def _r13_home_note(i: Interception, d: Directory) -> str:
    """R13's note on where a territory's people landed elsewhere in their state go home: in
    any plan, not only in one with no step (a landing request, an investigation, another
    nationality's return beside it)."""
    homes = _homes_elsewhere(i, d)
    if len(homes) > 1 or i.stateless_persons or i.others_unknown or _returned_nationalities(i, d):
        # Others aboard are returned (R13's steps; for those whose nationality is not known,
        # one that waits for it), or the people are of several territories,
        # each at home in its own: the note speaks of them alone, and names no one home.
        return _(
            "Return considered: landing people of {territories} in {landing} is not their "
            "return home: their home is their own territory, whose own law admits those who "
            "belong there."
        ).format(territories=", ".join(homes), landing=i.disembark)
    return _(
        "Return considered: no other state is asked to take them back, but landing them in "
        "{landing} is not their return home: for people of {territories}, their home is "
        "{territories}, whose own law admits those who belong there."
    ).format(landing=i.disembark, territories=homes[0])


def _someone_not_at_home(i: Interception, d: Directory) -> bool:
    """Someone aboard is not a national of the landing state: a foreign national, a stateless
    person, or anyone whose nationality is not known (everyone, when nobody's is)."""
    return some_unknown(i) or i.stateless_persons or bool(foreign_nationalities(i, d))


def why_no_step(i: Interception, d: Directory) -> list[tuple[str, str, tuple[str, ...]]]:
    """Why a plan has no step, from the facts, as (rule, text, basis): the reasons of the rules
    that would otherwise have asked for one. An empty call list, at 3 a.m., reads as a failure.

    With the rules R1-R15 a plan has no step only when everyone aboard is a national of the
    acting state, landed in its own territory, in nothing but the facts a step needs (no
    distress, children, smugglers, asylum...): R9 says so; R4, when the vessel flies the acting
    state's own flag; R13, when a return was considered. Another rule table may leave a plan
    empty for other reasons: ``plan_contacts`` gives these only under a table that holds
    every rule of R1-R15."""
    notes: list[tuple[str, str, tuple[str, ...]]] = []
    if i.flag is not None and i.acting is not None and d.same_state(i.flag, i.acting):
        notes.append(
            (
                "R4",
                _(
                    "The vessel flies the acting state's own flag ({flag}): no flag state to ask."
                ).format(flag=i.flag),
                R4_BASIS_WITHOUT_PROTOCOL,
            )
        )
    at_home = (
        i.acting is not None
        and i.disembark is not None
        and bool(i.nationalities)
        and not i.stateless_persons
        and not i.others_unknown
        and all(d.same_state(n, i.acting) for n in i.nationalities)
        and d.same_state(i.disembark, i.acting)
    )
    # People of a territory with its own law landed in their sovereign, or in another of its
    # territories (Caymanians in the United Kingdom): nationals, but their home is their
    # territory, and whether each may enter the landing place is its own law (R15's note).
    territories = (
        sorted(n for n in i.nationalities if n != i.disembark and territory_with_its_own_law(d, n))
        if at_home
        else []
    )
    # They are the sovereign's nationals, named through the territory that acts for it (a
    # Puerto Rico patrol landing U.S. nationals): never "nationals of PR".
    acting = answering_state(d, i.acting) if i.acting is not None else None
    if at_home and territories:
        notes.append(
            (
                "R9",
                _(
                    "Everyone aboard is a national of {acting}, the acting state, landed in its "
                    "own territory ({landing}): no consular access or protection referral is "
                    "owed, and no other state is asked to land them; its own immigration "
                    "authorities verify that each may enter {landing} (R15). If anyone asks "
                    "for asylum or fears return, or other facts become known (distress, "
                    "children, smugglers, signs of trafficking), plan again with them."
                ).format(acting=acting, landing=i.disembark),
                R9_BASIS,
            )
        )
    elif at_home:
        notes.append(
            (
                "R9",
                _(
                    "Everyone aboard is a national of {acting}, the acting state, landed in its "
                    "own territory ({landing}): no consular access, protection referral or "
                    "landing request is owed. If anyone asks for asylum or fears return, or "
                    "other facts become known (distress, children, smugglers, signs of "
                    "trafficking), plan again with them."
                ).format(acting=acting, landing=i.disembark),
                R9_BASIS,
            )
        )
    # People of a territory with its own law landed elsewhere in their state have R13's note
    # on where their home is, in any plan (``_r13_home_note``).
    if at_home and i.return_considered and not territories:
        notes.append(
            (
                "R13",
                _(
                    "Return considered: landing them at home, in {landing}, is their "
                    "return; no other state is asked to take them back."
                ).format(landing=i.disembark),
                (ICCPR_12_4,),
            )
        )
    return notes


#: UNCLOS's navigation and rescue articles that a plan applies to a state not a party as
#: customary international law (innocent passage, the contiguous zone, the flag state, the
#: duty to render assistance, the right of visit, hot pursuit). Other articles are said only
#: not to bind it as a treaty.
UNCLOS_CUSTOMARY_ARTICLES = frozenset({17, 18, 19, 33, 92, 98, 110, 111})


def _articles(basis: str) -> set[int]:
    """The article numbers a basis cites ("UNCLOS arts. 2(1), 25(2)": 2 and 25)."""
    return {int(n) for n in re.findall(r"\d+", re.sub(r"\([^)]*\)", "", basis))}


def _not_parties(d: Directory, codes: Iterable[str | None], treaty: TreatyKey) -> list[str]:
    """The states among ``codes`` (each read as its sovereign, whose treaties bind a
    territory) recorded as not parties to ``treaty``, in order, each once."""
    found: list[str] = []
    for code in codes:
        if code is None:
            continue
        sovereign = d.sovereign_of(code)
        status = d.treaty_status(sovereign, treaty)
        if status is not None and status.party == "no" and sovereign not in found:
            found.append(sovereign)
    return found


def _treaties_unbound(
    rule: str, rule_basis: tuple[str, ...], i: Interception, d: Directory, ask: Ask
) -> Ask:
    """``ask`` with one note where its basis cites UNCLOS or the CRC and a state whose conduct
    the step concerns is recorded as not a party: the acting state, and for UNCLOS the coastal
    or flag state R2-R4 ask, for the CRC the state R10 asks to take charge of children (not the
    state whose consulate it tells) and the landing state of R13 and R15, which determines
    their best interests before a return. A
    state not recorded, or uncertain, is not named: the step keeps its basis."""
    # Each basis as the step tells it (a message, in the reader's language), found by its
    # English text.
    basis = (rule_basis if ask.basis is None else ask.basis) + ask.extra_basis
    unclos = [b for b in basis if str(b).startswith("UNCLOS")]
    crc = [b for b in basis if str(b).startswith("CRC")]
    said: list[Message] = []
    if unclos:
        asked = ask.state if rule in ("R2", "R3", "R4") else None
        states = _not_parties(d, (i.acting, asked), "unclos")
        if states:
            cited = joined_messages(unclos, _("; "))
            customary = all(
                _articles(str(b)) and _articles(str(b)) <= UNCLOS_CUSTOMARY_ARTICLES for b in unclos
            )
            said.append(
                (
                    _n(
                        "{states} is not a party to UNCLOS: it is not bound as a treaty by "
                        "{basis}; the step applies the rule to it as customary international "
                        "law.",
                        "{states} are not parties to UNCLOS: they are not bound as a treaty by "
                        "{basis}; the step applies the rule to them as customary international "
                        "law.",
                        len(states),
                    )
                    if customary
                    else _n(
                        "{states} is not a party to UNCLOS: it is not bound as a treaty by "
                        "{basis}.",
                        "{states} are not parties to UNCLOS: they are not bound as a treaty by "
                        "{basis}.",
                        len(states),
                    )
                ).format(states=joined_messages(states, _(" and ")), basis=cited)
            )
    if crc:
        # The state that takes charge of the children (R10's), the one that returns or lands
        # them after a best-interests determination (R13's, R15's).
        # A consular notice (R10's to the children's state) concerns the notifying state only.
        taking_charge = ask.state if ask.purpose == "child-protection" else None
        other = {"R10": taking_charge, "R13": i.disembark, "R15": i.disembark}.get(rule)
        states = _not_parties(d, (i.acting, other), "crc")
        if states:
            said.append(
                _n(
                    "{states} is not a party to the Convention on the Rights of the Child: it "
                    "is not bound by {basis}.",
                    "{states} are not parties to the Convention on the Rights of the Child: "
                    "they are not bound by {basis}.",
                    len(states),
                ).format(
                    states=joined_messages(states, _(" and ")), basis=joined_messages(crc, _("; "))
                )
            )
    if not said:
        return ask
    return attrs.evolve(ask, notes=(*ask.notes, joined_messages(said, " ")))


def _noting_unbound_treaties(rule: Rule) -> Rule:
    """``rule`` whose steps say where UNCLOS or the CRC, cited in their basis, does not bind
    a state they concern (``_treaties_unbound``)."""
    asks = rule.asks

    def noted(i: Interception, d: Directory) -> list[Ask]:
        return [_treaties_unbound(rule.id, rule.basis, i, d, ask) for ask in asks(i, d)]

    return attrs.evolve(rule, asks=noted)


#: The rules R1-R15 (docs/routing.md). Each carries its legal basis.
RULES: tuple[Rule, ...] = (
    Rule(
        "R1",
        (_("SAR Convention 1979 annex 2.1, 4.3"), _("SOLAS V/33"), _("UNCLOS art. 98")),
        lambda i, d: i.has(*RESCUE),
        _rule_r1,
    ),
    Rule(
        "R2",
        R2_BASIS,
        lambda i, d: (
            i.zone in SOVEREIGN_ZONES
            and i.acting is not None
            and (not d.same_state(i.acting, i.coastal) or _in_sister_waters(i, d))
        ),
        _rule_r2,
    ),
    # R2 with the acting state unknown asks nobody (whether it is another state is not known),
    # but says that any other state needs the coastal state's authorisation there, as R3, R4
    # and R15 plan for an unknown acting state. A stateless vessel's note (R5) says it already.
    Rule(
        "R2",
        R2_BASIS,
        lambda i, d: i.zone in SOVEREIGN_ZONES and i.acting is None and not i.stateless,
        lambda i, d: [],
        note=_r2_acting_unknown_note,
    ),
    Rule(
        "R3",
        (_("UNCLOS art. 33"),),
        lambda i, d: (
            i.zone == "contiguous"
            and (
                i.acting is None or not d.same_state(i.acting, i.coastal) or _in_sister_waters(i, d)
            )
        ),
        _rule_r3,
    ),
    Rule(
        "R4",
        (
            _("SOM Protocol art. 8(2), 8(4), 8(5), 8(6)"),
            _("SOM Protocol art. 17"),
            *R4_BASIS_WITHOUT_PROTOCOL,
        ),
        lambda i, d: (
            not i.stateless
            and i.zone in ("contiguous", "eez", "high-seas")
            and (i.acting is None or not d.same_state(i.flag, i.acting))
        ),
        _rule_r4,
    ),
    Rule(
        "R5",
        (_("SOM Protocol art. 8(7)"), *R5_BASIS_WITHOUT_PROTOCOL),
        lambda i, d: i.stateless,
        lambda i, d: [],
        note=_r5_note,
        note_basis=_r5_basis,
    ),
    Rule(
        "R6",
        (_("VCCR art. 36(1)(b)"), _("SOM Protocol art. 16(5)")),
        lambda i, d: (
            some_unknown(i) or any(not _own_national(i, d, n) for n in foreign_nationalities(i, d))
        ),
        _consular_asks("consular-access", consent=True),
    ),
    # R6 with the acting state's own nationals aboard, to be landed in another state, asks
    # nobody for them, but says why and what the landing state owes them.
    Rule(
        "R6",
        (_("VCCR art. 36(1)(b)"), _("SOM Protocol art. 16(5)")),
        _own_nationals_aboard,
        lambda i, d: [],
        note=_r6_own_nationals_note,
        note_basis=lambda i, d: (_("VCCR art. 36(1)(b)"),),
    ),
    # R7 (asylum) qualifies R6: its warning is attached by _consular_asks.
    Rule(
        "R8",
        (_("VCCR art. 37(a)"),),
        lambda i, d: (
            i.has("deaths")
            and (
                some_unknown(i)
                or any(not _own_national(i, d, n) for n in foreign_nationalities(i, d))
            )
        ),
        _consular_asks("consular-death-notification", consent=False),
    ),
    # R8 with the acting state's own nationals dead and landed in another state asks nobody
    # for them, but says why: it owes itself no notice.
    Rule(
        "R8",
        (_("VCCR art. 37(a)"),),
        lambda i, d: i.has("deaths") and _own_nationals_aboard(i, d),
        lambda i, d: [],
        note=_r8_own_dead_note,
    ),
    Rule(
        "R9",
        R9_BASIS,
        lambda i, d: _someone_not_at_home(i, d) or returning_home(i, d),
        _rule_r9,
    ),
    Rule(
        "R10",
        (_("SOM Protocol art. 16(4)"), _("CRC arts. 20, 22")),
        lambda i, d: i.has("minors", "unaccompanied"),
        _rule_r10,
    ),
    # R10 with the acting state's own unaccompanied children to be landed in another state
    # asks nobody for their guardian notice, but says who owes it.
    Rule(
        "R10",
        (_("VCCR art. 37(b)"),),
        lambda i, d: i.has("unaccompanied") and _own_nationals_aboard(i, d),
        lambda i, d: [],
        note=_r10_own_children_note,
    ),
    Rule(
        "R11",
        (_("Trafficking in Persons Protocol art. 6"),),
        lambda i, d: i.has("trafficking"),
        lambda i, d: _in_care(i, d, "trafficking-victim-referral", "anti-trafficking"),
    ),
    Rule(
        "R12",
        (_("SOM Protocol art. 6"), _("UNTOC art. 15")),
        lambda i, d: i.has("smugglers", "deaths"),
        _rule_r12,
    ),
    Rule(
        "R13",
        # Art. 18(8) only on a step under an agreement (``R13_BASIS_UNDER_AGREEMENT``).
        R13_BASIS,
        lambda i, d: (
            i.return_considered
            and (_someone_not_at_home(i, d) or bool(_returned_nationalities(i, d)))
        ),
        _rule_r13,
    ),
    # R13 with people of a territory with its own law landed elsewhere in their state asks
    # nobody for them, but says where their home is, in any plan.
    Rule(
        "R13",
        R13_BASIS,
        lambda i, d: bool(_homes_elsewhere(i, d)),
        lambda i, d: [],
        note=_r13_home_note,
        note_basis=lambda i, d: (ICCPR_12_4,),
    ),
    Rule(
        "R14",
        (_("UNCAC"), _("UNTOC art. 9")),
        lambda i, d: i.has("corruption"),
        _rule_r14,
    ),
    Rule("R15", R15_BASIS, _r15_applies, _rule_r15),
    # R15 with the acting state landing people of a territory with its own law in its own
    # territory asks nobody, but says what the step would: whether each may enter is the
    # sovereign's law (a British Overseas Territories citizen without British citizenship has
    # no right of abode in the United Kingdom).
    Rule(
        "R15",
        R15_BASIS,
        _landed_at_home_by_their_sovereign,
        lambda i, d: [],
        note=_r15_entry_note,
        note_basis=lambda i, d: (ICCPR_12_4,),
    ),
)
#: Each rule's steps say where UNCLOS or the CRC does not bind a state they concern.
RULES = tuple(_noting_unbound_treaties(rule) for rule in RULES)
