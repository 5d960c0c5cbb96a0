"""Routing: whom to contact for an interception, in what order, on what legal basis.

The rules of DESIGN section 3 are the table ``RULES`` below: one small object a rule, with its
id, its legal basis, when it applies and the steps it asks for. Adding or amending a rule is
one place. The planner resolves each step to an agency of the directory, and each agency to
its contacts and the channels open at the time of contact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from somnet._codes import state_name
from somnet._directory import Directory, days_before
from somnet._interception import (
    COASTAL_DISEMBARKATION_ZONES,
    CONDITIONS,
    SOVEREIGN_ZONES,
    Interception,
)
from somnet._model import Agency, Agreement, Contact

#: Where each purpose stands in a plan (DESIGN: SAR first, then authorisation and
#: notification, protection, consular, investigation, repatriation, anti-corruption).
PURPOSE_ORDER = (
    "sar-coordination",
    "coastal-state-authorization",
    "coastal-state-notification",
    "flag-state-authorization",
    "protection-referral",
    "child-protection",
    "trafficking-victim-referral",
    "consular-access",
    "consular-death-notification",
    "investigation",
    "repatriation",
    "anti-corruption",
)

DEFAULT_STALE_DAYS = 365

#: R7 has no step of its own: when asylum is claimed it qualifies every consular-access step
#: (R6) with this warning and basis.
R7_BASIS = ("1951 Convention art. 33", "SOM Protocol art. 19")
CONSENT_WARNING = (
    "Asylum is claimed: do not contact the authorities of the country of origin without the "
    "person's informed consent (1951 Convention art. 33; SOM Protocol art. 19)."
)


# The plan ------------------------------------------------------------------------------------


@attrs.frozen
class ChannelChoice:
    """A channel of a contact, and whether it is answered at the time of contact."""

    kind: str
    value: str
    available: bool
    #: When it is answered next (aware, in the agency's zone); None when available now.
    next_available: datetime | None
    always: bool
    hours: str


@attrs.frozen
class ContactChoice:
    """A contact of the step's agency, with its channels ordered best first."""

    contact: Contact
    channels: tuple[ChannelChoice, ...]
    shares_language: bool | None
    stale_days: int | None

    @property
    def available(self) -> bool:
        return any(c.available for c in self.channels)


@attrs.frozen
class Step:
    """One contact to make. ``order`` is set when the plan is assembled."""

    purpose: str
    rule: str
    action: str
    state: str | None
    role: str
    resolved: bool
    basis: tuple[str, ...]
    agency: Agency | None = None
    contacts: tuple[ContactChoice, ...] = ()
    agreement: Agreement | None = None
    requires_consent: bool = False
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    order: int = 0
    timezone: str | None = None
    #: The nationality a per-nationality step is for (R6, R8, R13), else None.
    nationality: str | None = None


@attrs.frozen
class PlanNote:
    """A rule that applies without asking for a contact (R5: a stateless vessel)."""

    rule: str
    text: str
    basis: tuple[str, ...]


@attrs.frozen
class ContactPlan:
    """The ordered steps for an interception, with plan-wide notes and warnings."""

    interception: Interception
    steps: tuple[Step, ...]
    notes: tuple[PlanNote, ...]
    warnings: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The plan as the JSON contract of DESIGN section 3."""
        i = self.interception
        return {
            "interception": {
                "flag": i.flag,
                "stateless": i.stateless,
                "zone": i.zone,
                "coastal": i.coastal,
                "acting": i.acting,
                "disembark": i.disembark,
                "nationalities": list(i.nationalities),
                "conditions": [c for c in CONDITIONS if c in i.conditions],
                "return": i.return_considered,
                "at": i.at.isoformat(),
            },
            "steps": [_step_json(s) for s in self.steps],
            "notes": [{"rule": n.rule, "text": n.text, "basis": list(n.basis)} for n in self.notes],
            "warnings": list(self.warnings),
        }


def _step_json(step: Step) -> dict[str, Any]:
    agreement = None
    if step.agreement is not None:
        a = step.agreement
        agreement = {
            "id": a.id,
            "title": a.title,
            "kind": a.kind,
            "status": a.status,
            "notification_hours": a.provides.notification_hours,
            "return_days": a.provides.return_days,
        }
    return {
        "order": step.order,
        "purpose": step.purpose,
        "rule": step.rule,
        "action": step.action,
        "state": step.state,
        "role": step.role,
        "resolved": step.resolved,
        "agency": None
        if step.agency is None
        else {
            "id": step.agency.id,
            "name": step.agency.name,
            "name_en": step.agency.name_en,
            "acronym": step.agency.acronym,
            "timezone": step.timezone,
        },
        "contacts": [
            {
                "id": c.contact.id,
                "kind": c.contact.kind,
                "name": c.contact.name or c.contact.title,
                "languages": list(c.contact.languages),
                "illustrative": c.contact.illustrative,
                "stale": c.stale_days is not None,
                "channels": [
                    {
                        "kind": ch.kind,
                        "value": ch.value,
                        "hours": ch.hours,
                        "available": ch.available,
                        "next_available": None
                        if ch.next_available is None
                        else ch.next_available.isoformat(),
                    }
                    for ch in c.channels
                ],
            }
            for c in step.contacts
        ],
        "basis": list(step.basis),
        "agreement": agreement,
        "requires_consent": step.requires_consent,
        "nationality": step.nationality,
        "notes": list(step.notes),
        "warnings": list(step.warnings),
    }


# What a rule asks for --------------------------------------------------------------------


@attrs.frozen
class Ask:
    """A step a rule asks for, before it is resolved to an agency.

    ``state`` None means the rule needs a state that the interception does not name; ``missing``
    then says which flag would name it.
    """

    purpose: str
    action: str
    state: str | None
    role: str
    fallback_roles: tuple[str, ...] = ()
    missing: str | None = None
    agreement: Agreement | None = None
    requires_consent: bool = False
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    #: A consular step: resolved through consular channels of ``state`` covering ``receiving``.
    consular_receiving: str | None = None
    #: An RCC chosen by SAR region rather than by the state's own agencies.
    agency: Agency | None = None
    #: Serve-based look-up (UNHCR covering a state) rather than the state's own agencies.
    serving: bool = False
    #: Legal basis added by a rule that qualifies this step (R7 on consular access).
    extra_basis: tuple[str, ...] = ()
    #: The nationality a per-nationality step is for (consular access, repatriation).
    nationality: str | None = None


@attrs.frozen
class Rule:
    """A routing rule: its id, legal basis, when it applies and what it asks for."""

    id: str
    basis: tuple[str, ...]
    applies: Callable[[Interception], bool]
    asks: Callable[[Interception, Directory], list[Ask]]
    #: A rule that only notes something for the whole plan (R5), asking for no contact.
    note: Callable[[Interception], str] | None = None


def _in_force(
    directory: Directory,
    i: Interception,
    a: str | None,
    b: str | None,
    test: Callable[[Agreement], bool],
    *,
    better: Callable[[Agreement], Any] = lambda agreement: 0,
) -> tuple[Agreement | None, list[str]]:
    """The agreement between a and b that governs: in force on the day of the interception,
    passing ``test``, the first by ``better`` and then the most recent. Other agreements that
    pass are noted: those also in force as such, the others (signed, uncertain, terminated, not
    yet in force) as mentioned and never applied."""
    if not a or not b or a == b:
        return None, []
    day = i.at.date()
    applicable = []
    notes = []
    for agreement in directory.agreements_between(a, b):
        if not test(agreement):
            continue
        if agreement.status == "in-force" and (
            agreement.in_force is None or agreement.in_force <= day
        ):
            applicable.append(agreement)
        else:
            status = agreement.status if agreement.status != "in-force" else "not yet in force"
            notes.append(
                f"{agreement.title} ({agreement.id}) is {status}: "
                "mentioned, not applied; do not rely on it."
            )
    if not applicable:
        return None, notes
    # Most recent first, then the caller's preference (a stable sort keeps both orders).
    applicable.sort(key=lambda x: x.in_force or x.signed or date.min, reverse=True)
    applicable.sort(key=better)
    applied, *others = applicable
    notes += [f"Also in force: {x.title} ({x.id})." for x in others]
    return applied, notes


def _rcc_by_region(d: Directory, state: str, why: str) -> Ask | None:
    """The RCC whose SAR region covers ``state``'s waters, with the region named and any
    uncertainty about its coverage as a warning; None when no region covers them."""
    rccs = d.rccs_for(state)
    if rccs:
        rcc = rccs[0]
        regions = [r for r in d.sar_regions_for(state) if r.rcc == rcc.id]
        return Ask(
            "sar-coordination",
            "request",
            rcc.state,
            "sar",
            agency=rcc,
            notes=(f"{why}. SAR region covering {state}: {'; '.join(r.name for r in regions)}.",),
            warnings=tuple(
                f"The region's coverage of {state}'s waters is uncertain"
                + (f" ({_joined(r.notes)})" if r.notes else "")
                + f". If the RCC does not answer, call {state}'s own authorities."
                for r in regions
                if r.status != "confirmed"
            ),
        )
    return None


def _covers(agreement: Agreement, i: Interception) -> bool:
    """Whether an agreement covers migrant smuggling in the interception's zone."""
    zones = agreement.provides.zones
    return agreement.provides.covers_migrant_smuggling and (not zones or i.zone in zones)


def _rule_r1(i: Interception, d: Directory) -> list[Ask]:
    relay = "it relays to the RCC responsible for the position if that is another"
    if i.coastal and i.zone != "high-seas":
        ask = _rcc_by_region(d, i.coastal, "RCC of the coastal state's SAR region")
        if ask is not None:
            return [ask]
    if i.acting:
        if i.zone == "high-seas":
            where = "on the high seas"
        elif i.coastal:
            where = f"no SAR region in the directory covers {i.coastal}'s waters"
        else:
            where = "coastal state unknown"
        why = f"Acting state's RCC ({where}; {relay})"
        ask = _rcc_by_region(d, i.acting, why)
        if ask is not None:
            return [ask]
        own = d.agencies(state=i.acting, role="sar")
        if own:
            return [
                Ask(
                    "sar-coordination",
                    "request",
                    i.acting,
                    "sar",
                    agency=own[0],
                    notes=(f"{why}.",),
                )
            ]
        return [Ask("sar-coordination", "request", i.acting, "sar")]
    if i.coastal:
        return [Ask("sar-coordination", "request", i.coastal, "sar")]
    return [Ask("sar-coordination", "request", None, "sar", missing="add --coastal XX or --as XX")]


def _rule_r2(i: Interception, d: Directory) -> list[Ask]:
    if not i.coastal:
        return [
            Ask(
                "coastal-state-authorization",
                "request",
                None,
                "maritime-law-enforcement",
                missing="add --coastal XX (whose waters)",
            )
        ]
    agreement, notes = _in_force(
        d,
        i,
        i.acting,
        i.coastal,
        lambda a: (
            i.acting in a.provides.entry_by
            and a.kind in ("shiprider", "interdiction", "multilateral", "mou")
            and _covers(a, i)
        ),
    )
    if agreement:
        notes.insert(0, f"Entry is authorised by {agreement.title}: notify before entering.")
    return [
        Ask(
            "coastal-state-authorization",
            "notify" if agreement else "request",
            i.coastal,
            "maritime-law-enforcement",
            agreement=agreement,
            notes=tuple(notes),
        )
    ]


def _rule_r3(i: Interception, d: Directory) -> list[Ask]:
    missing = None if i.coastal else "add --coastal XX (whose contiguous zone)"
    return [
        Ask("coastal-state-notification", "notify", i.coastal, role, missing=missing)
        for role in ("maritime-law-enforcement", "migration")
    ]


def _rule_r4(i: Interception, d: Directory) -> list[Ask]:
    if i.flag is None:
        return [
            Ask(
                "flag-state-authorization",
                "request",
                None,
                "som-art8-authority",
                missing="add --flag XX, or --stateless if the vessel has no nationality",
            )
        ]
    agreement, notes = _in_force(
        d,
        i,
        i.acting,
        i.flag,
        lambda a: (
            a.provides.boarding != "none"
            and (not a.provides.boarding_by or i.acting in a.provides.boarding_by)
            and _covers(a, i)
        ),
        # Pre-authorised boarding governs over an expedited reply.
        better=lambda a: a.provides.boarding != "pre-authorised",
    )
    pre_authorised = agreement is not None and agreement.provides.boarding == "pre-authorised"
    own_contiguous = i.zone == "contiguous" and i.acting is not None and i.acting == i.coastal
    if pre_authorised and agreement is not None:
        notes.insert(0, f"Boarding is pre-authorised by {agreement.title}: notify the flag state.")
    elif agreement is not None:
        hours = agreement.provides.notification_hours
        notes.insert(
            0,
            f"{agreement.title} provides an expedited reply"
            + (f" within {hours} hours" if hours else "")
            + ": request, citing it.",
        )
    if own_contiguous:
        notes.append(
            "Acting in its own contiguous zone, the coastal state notifies the flag state of "
            "measures it takes to prevent or punish infringement of its immigration laws "
            "(UNCLOS art. 33)."
        )
    if not i.acting:
        notes.append(
            "Acting state unknown (add --as XX or set SOMNET_HOME_STATE): "
            "no agreement can be applied."
        )
    state = d.state(i.flag)
    if state is not None and state.som_protocol.party != "yes":
        status = "is not a party" if state.som_protocol.party == "no" else "has uncertain status"
        notes.append(
            f"{i.flag} {status} under the SOM Protocol: art. 8 requests rest on UNCLOS and "
            "bilateral arrangements, not the Protocol."
        )
    return [
        Ask(
            "flag-state-authorization",
            "notify" if pre_authorised or own_contiguous else "request",
            i.flag,
            "som-art8-authority",
            fallback_roles=("maritime-law-enforcement", "foreign-affairs"),
            agreement=agreement,
            notes=(
                "Tell the flag state of the boarding and search, ask it to confirm the "
                "registry and what to do if evidence of smuggling is found."
                if pre_authorised or own_contiguous
                else "Ask the flag state to confirm the registry and to authorise boarding and "
                "search, and what to do if evidence of smuggling is found.",
                *notes,
            ),
        )
    ]


def _foreign_nationalities(i: Interception) -> list[str]:
    return [n for n in i.nationalities if n != i.disembark]


def _disembark_missing(i: Interception) -> str | None:
    if i.disembark:
        return None
    default = "--coastal XX" if i.zone in COASTAL_DISEMBARKATION_ZONES else "--as XX"
    return f"add --disembark XX (or {default}, from which it defaults)"


def _consular_asks(purpose: str, consent: bool) -> Callable[[Interception, Directory], list[Ask]]:
    def asks(i: Interception, d: Directory) -> list[Ask]:
        # R7: asylum claimed, so consular access carries the consent warning and its basis.
        r7 = consent and i.has("asylum")
        qualified = {
            "warnings": (CONSENT_WARNING,) if r7 else (),
            "extra_basis": R7_BASIS if r7 else (),
            "requires_consent": consent,
        }
        if not i.nationalities:
            return [
                Ask(
                    purpose,
                    "inform" if consent else "notify",
                    None,
                    "consular",
                    missing="add --nationality XX[,YY] (nationalities aboard)",
                    **qualified,  # type: ignore[arg-type]
                )
            ]
        return [
            Ask(
                purpose,
                "inform" if consent else "notify",
                n,
                "consular",
                consular_receiving=i.disembark,
                missing=_disembark_missing(i),
                nationality=n,
                notes=(
                    "Offer the person consular contact; contact the consulate only if they "
                    "ask for it.",
                )
                if consent
                else ("Notify the death without delay.",),
                **qualified,  # type: ignore[arg-type]
            )
            for n in _foreign_nationalities(i)
        ]

    return asks


def _rule_r9(i: Interception, d: Directory) -> list[Ask]:
    action = "request" if i.has("asylum") else "inform"
    note = (
        "Everyone aboard who is not a national of the disembarkation state gets orientation "
        "and the chance to apply for asylum."
    )
    missing = _disembark_missing(i)
    return [
        Ask(
            "protection-referral",
            action,
            i.disembark,
            "refugee-status",
            missing=missing,
            notes=(note,),
        ),
        Ask(
            "protection-referral",
            action,
            i.disembark,
            "protection-partner",
            missing=missing,
            serving=True,
            notes=(note,),
        ),
    ]


def _single(
    purpose: str, role: str, action: str = "request"
) -> Callable[[Interception, Directory], list[Ask]]:
    def asks(i: Interception, d: Directory) -> list[Ask]:
        return [Ask(purpose, action, i.disembark, role, missing=_disembark_missing(i))]

    return asks


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
                notes=("Jurisdiction of the intercepting state (UNTOC art. 15(1)).",),
            )
        )
        seen.add(i.acting)
    # The coastal state's jurisdiction covers its waters, and in its contiguous zone the
    # smuggling into its territory; the EEZ gives it none over this offence.
    if i.coastal and i.zone in COASTAL_DISEMBARKATION_ZONES and i.coastal not in seen:
        asks.append(
            Ask(
                "investigation",
                "request",
                i.coastal,
                "prosecution",
                notes=("Jurisdiction of the coastal state over its waters (UNTOC art. 15(1)(a)).",),
            )
        )
        seen.add(i.coastal)
    if i.flag and i.flag not in seen:
        asks.append(
            Ask(
                "investigation",
                "inform",
                i.flag,
                "prosecution",
                notes=(
                    "Concurrent jurisdiction of the flag state (UNTOC art. 15(1)(b)); "
                    "coordinate (UNTOC art. 15(5)).",
                ),
            )
        )
        seen.add(i.flag)
    if not asks:
        asks.append(
            Ask(
                "investigation",
                "request",
                None,
                "prosecution",
                missing="add --as XX or --coastal XX (the state with jurisdiction)",
            )
        )
    return asks


def _rule_r13(i: Interception, d: Directory) -> list[Ask]:
    warnings = (
        (
            "Asylum is claimed: no return before the claim is decided; returning a refugee to "
            "danger breaches non-refoulement (1951 Convention art. 33).",
        )
        if i.has("asylum")
        else ()
    )
    screening = "Only after protection screening: nobody with a protection need is returned."
    if not i.nationalities:
        return [
            Ask(
                "repatriation",
                "request",
                None,
                "migration",
                missing="add --nationality XX (whose return is considered)",
                warnings=warnings,
                notes=(screening,),
            )
        ]
    asks = []
    for n in _foreign_nationalities(i):
        agreement, notes = _in_force(
            d,
            i,
            i.disembark,
            n,
            lambda a, n=n: (  # type: ignore[misc]
                (a.provides.return_days is not None or a.kind == "repatriation")
                and (not a.provides.nationalities or n in a.provides.nationalities)
            ),
            # One that sets deadlines governs the procedure over one that does not.
            better=lambda a: (
                a.provides.return_days is None and a.provides.notification_hours is None
            ),
        )
        if agreement is not None:
            deadlines = []
            if agreement.provides.notification_hours:
                deadlines.append(f"notice within {agreement.provides.notification_hours} hours")
            if agreement.provides.return_days:
                deadlines.append(f"return within {agreement.provides.return_days} days")
            notes.insert(
                0, f"Under {agreement.title}" + (f": {', '.join(deadlines)}." if deadlines else ".")
            )
        notes = [f"Return of {n} ({state_name(n)}) nationals.", screening, *notes]
        for state, missing in ((i.disembark, _disembark_missing(i)), (n, None)):
            asks.append(
                Ask(
                    "repatriation",
                    "request",
                    state,
                    "migration",
                    missing=missing,
                    agreement=agreement,
                    nationality=n,
                    warnings=warnings,
                    notes=tuple(notes),
                )
            )
    return asks


def _r5_note(i: Interception) -> str:
    return (
        "Stateless vessel: no flag state to ask. Boarding and search are permitted; if evidence "
        "of smuggling is found, take appropriate measures under domestic and international law."
    )


#: The rules, in the order of DESIGN section 3. Each carries its legal basis.
RULES: tuple[Rule, ...] = (
    Rule(
        "R1",
        ("SAR Convention 1979 annex 2.1, 4.3", "SOLAS V/33", "UNCLOS art. 98"),
        lambda i: i.has("distress", "injured", "deaths"),
        _rule_r1,
    ),
    Rule(
        "R2",
        ("UNCLOS arts. 2, 49", "SOM Protocol art. 7"),
        lambda i: i.zone in SOVEREIGN_ZONES and i.acting is not None and i.acting != i.coastal,
        _rule_r2,
    ),
    Rule(
        "R3",
        ("UNCLOS art. 33",),
        lambda i: i.zone == "contiguous" and (i.acting is None or i.acting != i.coastal),
        _rule_r3,
    ),
    Rule(
        "R4",
        ("SOM Protocol art. 8(2), 8(4), 8(5), 8(6)", "SOM Protocol art. 17", "UNCLOS art. 92"),
        lambda i: (
            not i.stateless
            and i.zone in ("contiguous", "eez", "high-seas")
            and (i.acting is None or i.flag != i.acting)
        ),
        _rule_r4,
    ),
    Rule(
        "R5",
        ("SOM Protocol art. 8(7)", "UNCLOS art. 110(1)(d)"),
        lambda i: i.stateless,
        lambda i, d: [],
        note=_r5_note,
    ),
    Rule(
        "R6",
        ("VCCR art. 36(1)(b)", "SOM Protocol art. 16(5)"),
        lambda i: not i.nationalities or bool(_foreign_nationalities(i)),
        _consular_asks("consular-access", consent=True),
    ),
    # R7 (asylum) qualifies R6: its warning is attached by _consular_asks.
    Rule(
        "R8",
        ("VCCR art. 37(a)",),
        lambda i: i.has("deaths") and (not i.nationalities or bool(_foreign_nationalities(i))),
        _consular_asks("consular-death-notification", consent=False),
    ),
    Rule(
        "R9",
        ("SOM Protocol arts. 16, 19", "1951 Convention art. 33"),
        lambda i: not i.nationalities or bool(_foreign_nationalities(i)),
        _rule_r9,
    ),
    Rule(
        "R10",
        ("SOM Protocol art. 16(4)", "CRC arts. 20, 22"),
        lambda i: i.has("minors", "unaccompanied"),
        _single("child-protection", "child-protection"),
    ),
    Rule(
        "R11",
        ("Trafficking in Persons Protocol art. 6",),
        lambda i: i.has("trafficking"),
        _single("trafficking-victim-referral", "anti-trafficking"),
    ),
    Rule(
        "R12",
        ("SOM Protocol art. 6", "UNTOC art. 15"),
        lambda i: i.has("smugglers", "deaths"),
        _rule_r12,
    ),
    Rule(
        "R13",
        ("SOM Protocol art. 18", "SOM Protocol art. 18(8)"),
        lambda i: i.return_considered and (not i.nationalities or bool(_foreign_nationalities(i))),
        _rule_r13,
    ),
    Rule(
        "R14",
        ("UNCAC", "UNTOC art. 9"),
        lambda i: i.has("corruption"),
        _single("anti-corruption", "anti-corruption"),
    ),
)


# Planning --------------------------------------------------------------------------------


def plan_contacts(
    directory: Directory,
    interception: Interception,
    *,
    stale_days: int = DEFAULT_STALE_DAYS,
    rules: tuple[Rule, ...] = RULES,
) -> ContactPlan:
    """Turn an interception into an ordered contact plan.

    Args:
        directory: the loaded directory.
        interception: the facts (see ``make_interception``).
        stale_days: contacts verified longer ago than this are flagged.
        rules: the rule table (the default is DESIGN section 3's).

    Returns:
        The plan: steps in the documented order, each with its basis, agency, contacts and
        channels open at ``interception.at``; unresolved steps say what is missing.
    """
    interception, claim_warnings = _within_claims(directory, interception)
    steps: list[Step] = []
    notes: list[PlanNote] = []
    for rule in rules:
        if not rule.applies(interception):
            continue
        if rule.note is not None:
            notes.append(PlanNote(rule.id, rule.note(interception), rule.basis))
        for ask in rule.asks(interception, directory):
            basis = rule.basis + ask.extra_basis
            steps.append(_resolve(directory, interception, rule.id, basis, ask, stale_days))
    steps.sort(key=lambda s: PURPOSE_ORDER.index(s.purpose))
    steps = _deduplicate(steps)
    ordered = tuple(attrs.evolve(s, order=n) for n, s in enumerate(steps, start=1))
    warnings = (*claim_warnings, *_plan_warnings(directory, interception, ordered))
    return ContactPlan(interception, ordered, tuple(notes), warnings)


def _within_claims(directory: Directory, i: Interception) -> tuple[Interception, list[str]]:
    """The interception read against the coastal state's maritime claims.

    A contiguous zone the coastal state does not claim is its EEZ (UNCLOS arts. 33, 55): the
    plan treats it so, since acting there "in its own contiguous zone" would be unfounded.
    Archipelagic waters of a state that is not archipelagic are noted (the routing of its
    internal and territorial waters is the same). Uncertain claims are left as given.
    """
    state = directory.state(i.coastal) if i.coastal else None
    if state is None or state.maritime.status != "confirmed":
        return i, []
    claims = state.maritime
    if i.zone == "contiguous" and claims.contiguous_zone_nm is None:
        return attrs.evolve(i, zone="eez"), [
            f"{i.coastal} claims no contiguous zone: beyond its {claims.territorial_sea_nm} nm "
            "territorial sea the waters are its EEZ, and this plan treats them so."
        ]
    if i.zone == "archipelagic" and not claims.archipelagic:
        return i, [
            f"{i.coastal} is not an archipelagic state: waters inside its baselines are "
            "internal waters (the plan is the same)."
        ]
    return i, []


def _deduplicate(steps: list[Step]) -> list[Step]:
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for step in steps:
        key = (
            step.purpose,
            step.state,
            step.role,
            step.agency.id if step.agency else None,
            step.agreement.id if step.agreement else None,
            step.nationality,
        )
        if key in seen:
            continue
        seen.add(key)
        unique.append(step)
    return unique


def _plan_warnings(directory: Directory, i: Interception, steps: tuple[Step, ...]) -> Iterator[str]:
    named = [i.flag, i.coastal, i.acting, i.disembark, *i.nationalities]
    for code in dict.fromkeys(c for c in named if c):
        if code not in directory.states and not directory.agencies(state=code):
            yield (
                f"The directory holds no authorities of {code} ({state_name(code)}): steps "
                "that need them stay unresolved. Add them in an overlay (--data DIR)."
            )
    if i.acting is None:
        yield (
            "Acting state unknown: add --as XX or set SOMNET_HOME_STATE. Without it no "
            "agreement is applied and no language match is checked."
        )
    if any(c.contact.illustrative for s in steps for c in s.contacts):
        yield (
            "ILLUSTRATIVE contacts: the shipped directory's contact details are made up. Never "
            "dial or write to them; lay your restricted directory over it (--data DIR)."
        )
    unresolved = sum(1 for s in steps if not s.resolved)
    if unresolved:
        yield f"{unresolved} step(s) unresolved: each says what is missing."


def _resolve(
    directory: Directory,
    i: Interception,
    rule: str,
    basis: tuple[str, ...],
    ask: Ask,
    stale_days: int,
) -> Step:
    base = Step(
        purpose=ask.purpose,
        rule=rule,
        action=ask.action,
        state=ask.state,
        role=ask.role,
        resolved=False,
        basis=basis,
        agreement=ask.agreement,
        requires_consent=ask.requires_consent,
        notes=ask.notes,
        warnings=ask.warnings,
        nationality=ask.nationality,
    )
    if ask.missing is not None or ask.state is None:
        missing = ask.missing or "the state whose authority is needed is not known"
        return attrs.evolve(base, notes=(*ask.notes, f"Unresolved: {missing}."))
    notes = list(ask.notes)
    if ask.agreement is not None:
        # An agreement's own notes carry its conditions (a shiprider aboard, a time limit).
        notes += [f"{ask.agreement.id}: {note}" for note in ask.agreement.notes]
    warnings = list(ask.warnings)
    agency: Agency | None = ask.agency
    role = ask.role
    if agency is None and ask.consular_receiving is not None:
        agency, found_notes, found_warnings = _consular_mission(
            directory, ask.state, ask.consular_receiving
        )
        notes += found_notes
        warnings += found_warnings
    elif agency is None:
        candidates_roles = (ask.role, *ask.fallback_roles)
        for candidate in candidates_roles:
            found = (
                directory.agencies(role=candidate, serving=ask.state)
                if ask.serving
                else [
                    a
                    for a in directory.agencies(state=ask.state, role=candidate)
                    if a.located_in in (None, ask.state)
                ]
            )
            if found:
                # The agency marked primary for the role first (stable: then confirmed, by id).
                found = sorted(found, key=lambda a, r=candidate: r not in a.primary_for)  # type: ignore[misc]
                agency, role = found[0], candidate
                if candidate != ask.role:
                    notes.append(
                        f"No {ask.role} agency of {ask.state} in the directory: "
                        f"falling back to its {candidate} authority."
                    )
                if len(found) > 1:
                    others = ", ".join(a.id for a in found[1:])
                    notes.append(f"Also with this role: {others}.")
                break
        else:
            roles = " or ".join(candidates_roles)
            warnings.append(
                f"The directory has no {roles} agency for {ask.state} ({state_name(ask.state)})."
            )
    if agency is None:
        return attrs.evolve(base, role=role, notes=tuple(notes), warnings=tuple(warnings))
    if agency.status != "confirmed":
        warnings.append(
            f"{agency.name_en}: the record is uncertain"
            + (f" ({_joined(agency.notes)})" if agency.notes else "")
            + "."
        )
    contacts, contact_notes, contact_warnings = _choose_contacts(
        directory, agency, i, stale_days, role
    )
    return attrs.evolve(
        base,
        role=role,
        resolved=True,
        agency=agency,
        contacts=contacts,
        notes=tuple(notes + contact_notes),
        warnings=tuple(warnings + contact_warnings),
        timezone=directory.agency_timezone(agency),
    )


def _consular_mission(
    directory: Directory, nationality: str, receiving: str
) -> tuple[Agency | None, list[str], list[str]]:
    """DESIGN R6: resident embassy or consulate, else concurrent accreditation, else an
    honorary consul, else an explicit warning that nobody covers the receiving state."""
    channels = directory.consular_channels(nationality=nationality, receiving=receiving)
    for channel in channels:
        if channel.type == "none" or channel.mission is None:
            continue
        mission = directory.agency(channel.mission)
        if mission is None:
            continue
        notes = []
        if channel.protecting_state:
            notes.append(
                f"Consular protection of {nationality} nationals is given by "
                f"{channel.protecting_state} ({state_name(channel.protecting_state)})."
            )
        if channel.type == "concurrent":
            notes.append(
                f"No resident mission of {nationality} in {receiving}: {mission.name_en} is "
                f"accredited to {receiving} from {mission.located_in or mission.state}."
            )
        elif channel.type == "honorary":
            notes.append(f"Only an honorary consul of {nationality} covers {receiving}.")
        warnings = []
        if channel.status != "confirmed":
            warnings.append(
                "This consular channel is uncertain"
                + (f": {_joined(channel.notes)}" if channel.notes else "")
                + "."
            )
        return mission, notes, warnings
    name = f"{nationality} ({state_name(nationality)})"
    nones = [c for c in channels if c.type == "none"]
    if nones:
        if all(c.status != "confirmed" for c in nones):
            why = _joined([n for c in nones for n in c.notes])
            return (
                None,
                [],
                [
                    f"{name} may have no consular representation covering {receiving}: this is "
                    "uncertain" + (f" ({why})" if why else "") + ". Ask its foreign ministry."
                ],
            )
        return None, [], [f"{name} has no consular representation covering {receiving}."]
    return (
        None,
        [],
        [
            f"The directory records no consular mission of {name} covering {receiving}: "
            f"ask {name}'s foreign ministry or the nearest mission."
        ],
    )


def _choose_contacts(
    directory: Directory, agency: Agency, i: Interception, stale_days: int, role: str
) -> tuple[tuple[ContactChoice, ...], list[str], list[str]]:
    """The agency's contacts, best first: those dedicated to the step's role, then general
    ones, then those for other roles; within each, those who
    share a language with the acting state's officers, then those answering now (24/7 first),
    duty posts before desks before persons."""
    zone = ZoneInfo(directory.agency_timezone(agency))
    acting = directory.state(i.acting) if i.acting else None
    officer_languages = {_primary(t) for t in acting.languages} if acting else set()
    limit = days_before(i.at.date(), stale_days)
    choices = []
    # Most channels keep their agency's hours: each distinct hours is asked about once (by
    # identity: the directory holds them for the whole plan).
    answers: dict[int, tuple[bool, datetime | None, bool, str]] = {}
    latest = datetime.max.replace(tzinfo=zone)
    for contact in agency.contacts:
        channels = []
        for channel in contact.channels:
            hours = directory.channel_hours(agency, channel)
            if hours is None:
                # Unknown hours are not presented as open (the loader requires hours).
                available, nxt, always, text = False, None, False, "hours unknown"
            elif id(hours) in answers:
                available, nxt, always, text = answers[id(hours)]
            else:
                available = hours.is_open(i.at, zone)
                opening = None if available else hours.next_opening(i.at, zone)
                nxt = opening.astimezone(zone) if opening else None
                always, text = hours.always, str(hours)
                answers[id(hours)] = (available, nxt, always, text)
            channels.append(
                ChannelChoice(channel.kind, channel.value, available, nxt, always, text)
            )
        channels.sort(key=lambda c: (not c.available, not c.always, c.next_available or latest))
        shares = (
            bool(officer_languages & {_primary(t) for t in contact.languages})
            if officer_languages
            else None
        )
        stale = (
            (i.at.date() - contact.last_verified).days if contact.last_verified < limit else None
        )
        choices.append(ContactChoice(contact, tuple(channels), shares, stale))
    choices.sort(
        key=lambda c: (
            # A contact dedicated to the role, then a general one, then one for other roles.
            0 if role in c.contact.roles else 2 if c.contact.roles else 1,
            c.shares_language is False,
            not c.available,
            not any(ch.always for ch in c.channels),
            {"duty": 0, "desk": 1, "person": 2}[c.contact.kind],
        )
    )
    notes: list[str] = []
    warnings: list[str] = []
    if not choices:
        warnings.append(f"{agency.name_en} has no contact in the directory.")
    elif not any(c.available for c in choices):
        openings = [ch.next_available for c in choices for ch in c.channels if ch.next_available]
        if openings:
            first = min(openings)
            notes.append(
                f"No channel is answered now; the first opens {first:%a %d %b %H:%M} ({zone.key})."
            )
    spoken = sorted({t for c in choices for t in c.contact.languages})
    if officer_languages and choices and not any(c.shares_language for c in choices):
        notes.append(
            "Interpreter needed: no contact speaks "
            + "/".join(sorted(officer_languages))
            + f" (they speak {'/'.join(spoken)})."
        )
    for c in choices:
        if c.stale_days is not None:
            warnings.append(
                f"Contact {c.contact.id} was last verified {c.stale_days} days ago "
                f"(limit {stale_days}): confirm the details."
            )
    return tuple(choices), notes, warnings


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def _joined(notes: tuple[str, ...] | list[str]) -> str:
    """Data notes run into one clause of a sentence: '; '-joined, without their final stops."""
    return "; ".join(note.strip().rstrip(".") for note in notes)
