"""Routing: whom to contact for an interception, in what order, on what legal basis.

The rules (docs/routing.md) are the table ``RULES`` below: one small object a rule, with its
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
from somnet.directory.lookup import Directory, days_before
from somnet.directory.records import (
    ILLUSTRATIVE_NOTICE,
    Agency,
    Agreement,
    ClaimName,
    ConsularChannel,
    Contact,
)
from somnet.routing.interception import (
    COASTAL_DISEMBARKATION_ZONES,
    CONDITIONS,
    SOVEREIGN_ZONES,
    Interception,
)

#: Where each purpose stands in a plan (SAR first, then authorisation and
#: notification, protection, consular, investigation, repatriation, anti-corruption).
PURPOSE_ORDER = (
    "sar-coordination",
    "coastal-state-authorization",
    "coastal-state-notification",
    "flag-state-authorization",
    "disembarkation",
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
#: Consular steps carry their own asylum warnings (consent, or a notice that must not reveal
#: the claim): see ``_consular_asks`` and ``_rule_r10``.
CONSULAR_PURPOSES = frozenset({"consular-access", "consular-death-notification"})
#: Steps that share what concerns the smuggling: with asylum claimed, only that is shared.
OFFENCE_PURPOSES = frozenset({"investigation", "anti-corruption"})
RESCUE = ("distress", "injured", "deaths")


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
    #: A telephone number that can be dialled; false for a placeholder (``+509 XXXX 0101``)
    #: and for channels that are not telephones.
    dialable: bool = False
    #: A telephone channel whose value is a placeholder: shown as not dialable.
    placeholder: bool = False


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
    #: Other agreements the rule considered and did not apply, with their status.
    mentioned: tuple[Mention, ...] = ()
    #: For an unresolved step: the fields of the interception, any one of which would resolve it.
    missing: tuple[str, ...] = ()
    #: Where the step's facts come from and why they are uncertain: the agreement's own notes,
    #: the records' reasoning. Shown on request (text) and with the notes (JSON).
    provenance: tuple[str, ...] = ()


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
    #: Fields of the interception the whole plan would gain from (``acting``).
    missing: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The plan as its JSON contract (docs/routing.md, the README's "The JSON contract")."""
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
            "missing": list(self.missing),
        }


def _step_json(step: Step) -> dict[str, Any]:
    from somnet._convert import to_json

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
                        "dialable": ch.dialable,
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
        "agreement": None if step.agreement is None else to_json(step.agreement),
        "requires_consent": step.requires_consent,
        "nationality": step.nationality,
        "missing": list(step.missing),
        "notes": [*step.notes, *step.provenance],
        "warnings": list(step.warnings),
    }


# What a rule asks for --------------------------------------------------------------------


@attrs.frozen
class Missing:
    """What an interception lacks for a step: ``fields``, any one of which would do, and what
    they would name, in words ("whose contiguous zone it is")."""

    fields: tuple[str, ...]
    what: str


@attrs.frozen
class Mention:
    """An agreement a rule considered but did not apply: also in force (another governs), or
    not in force on the day (signed, uncertain, terminated, not yet in force)."""

    agreement: Agreement
    status: str


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
    #: What the interception lacks for this step: the fields any one of which would name the
    #: state (``coastal``, ``acting``...), and what that is, in words.
    missing: Missing | None = None
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
    #: Other agreements between the two states that the rule considered (see ``Mention``).
    mentioned: tuple[Mention, ...] = ()
    #: Reasoning behind the step's facts, for ``Step.provenance``.
    provenance: tuple[str, ...] = ()


@attrs.frozen
class Rule:
    """A routing rule: its id, legal basis, when it applies and what it asks for."""

    id: str
    basis: tuple[str, ...]
    applies: Callable[[Interception, Directory], bool]
    asks: Callable[[Interception, Directory], list[Ask]]
    #: A rule that only notes something for the whole plan (R5), asking for no contact.
    note: Callable[[Interception, Directory], str] | None = None


def _in_force(
    directory: Directory,
    i: Interception,
    a: str | None,
    b: str | None,
    test: Callable[[Agreement], bool],
    *,
    better: Callable[[Agreement], Any] = lambda agreement: 0,
) -> tuple[Agreement | None, list[Mention]]:
    """The agreement between a and b that governs: in force on the day of the interception,
    passing ``test``, the first by ``better`` and then the most recent. The other agreements
    that pass are mentioned with their status: also in force, or (signed, uncertain,
    terminated, not yet in force) never applied."""
    if not a or not b or directory.same_state(a, b):
        return None, []
    day = i.at.date()
    applicable = []
    mentioned: list[Mention] = []
    for agreement in _agreements_for(directory, a, b):
        if not test(agreement):
            continue
        if agreement.status == "in-force" and (
            agreement.in_force is None or agreement.in_force <= day
        ):
            applicable.append(agreement)
        else:
            status = agreement.status if agreement.status != "in-force" else "not yet in force"
            mentioned.append(Mention(agreement, status))
    if not applicable:
        return None, mentioned
    # Most recent first, then the caller's preference (a stable sort keeps both orders).
    applicable.sort(key=lambda x: x.in_force or x.signed or date.min, reverse=True)
    applicable.sort(key=better)
    applied, *others = applicable
    return applied, [Mention(x, "also in force") for x in others] + mentioned


def _agreements_for(d: Directory, a: str, b: str) -> list[Agreement]:
    """Agreements binding ``a`` and ``b``: their own, and their sovereigns' where extended to
    them (a territory acts with its sovereign's treaty capacity, for what was extended)."""
    found: dict[str, Agreement] = {}
    for x in dict.fromkeys((a, d.sovereign_of(a))):
        for y in dict.fromkeys((b, d.sovereign_of(b))):
            if x == y:
                continue
            for agreement in d.agreements_between(x, y):
                if (x != a and a not in agreement.extends_to) or (
                    y != b and b not in agreement.extends_to
                ):
                    continue
                found.setdefault(agreement.id, agreement)
    return list(found.values())


def _named(d: Directory, code: str | None, codes: tuple[str, ...]) -> bool:
    """Whether ``code`` (or its sovereign, for a territory) is among an agreement's parties
    named for a provision."""
    return code is not None and (code in codes or d.sovereign_of(code) in codes)


def _rcc_by_region(d: Directory, i: Interception, state: str, why: str) -> Ask | None:
    """The RCC whose SAR region covers ``state``'s waters, with the region named; None when no
    region covers them.

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
        f"The region's coverage of {state}'s waters is uncertain. If the RCC does not answer, "
        f"call {state}'s own authorities."
        for r in chosen[:1]
        if any(x.status != "confirmed" for x in chosen)
    ]
    provenance = [
        f"Why {r.id} is uncertain: {_joined(r.notes)}."
        for r in chosen
        if r.status != "confirmed" and r.notes
    ]
    if others and not confirmed(rcc):
        named = "; ".join(
            f"{o.name_en} ({o.id}, {o.state}): "
            + ", ".join(r.name for r in regions if r.rcc == o.id)
            for o in others
        )
        warnings.append(
            f"The sources disagree on which RCC covers {state}'s waters. Other candidates: "
            f"{named}. Alert them too until one confirms it coordinates the case."
        )
    return Ask(
        "sar-coordination",
        "request",
        rcc.state,
        "sar",
        agency=rcc,
        notes=(f"{why}. SAR region covering {state}: {'; '.join(r.name for r in chosen)}.",),
        warnings=tuple(warnings),
        provenance=tuple(provenance),
    )


def _covers(agreement: Agreement, i: Interception) -> bool:
    """Whether an agreement covers migrant smuggling in the interception's zone."""
    zones = agreement.provides.zones
    return agreement.provides.covers_migrant_smuggling and (not zones or i.zone in zones)


def _rule_r1(i: Interception, d: Directory) -> list[Ask]:
    relay = "it relays to the RCC responsible for the position if that is another"
    if i.coastal and i.zone != "high-seas":
        ask = _rcc_by_region(d, i, i.coastal, "RCC of the coastal state's SAR region")
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
        ask = _rcc_by_region(d, i, i.acting, why)
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
    return [
        Ask(
            "sar-coordination",
            "request",
            None,
            "sar",
            missing=Missing(("coastal", "acting"), "the coastal or the acting state"),
        )
    ]


def _rule_r2(i: Interception, d: Directory) -> list[Ask]:
    if not i.coastal:
        return [
            Ask(
                "coastal-state-authorization",
                "request",
                None,
                "maritime-law-enforcement",
                missing=Missing(("coastal",), "whose waters they are"),
            )
        ]
    notes: list[str] = []
    agreement, mentioned = _in_force(
        d,
        i,
        i.acting,
        i.coastal,
        lambda a: (
            _named(d, i.acting, a.provides.entry_by)
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
            mentioned=tuple(mentioned),
            notes=tuple(notes),
        )
    ]


def _rule_r3(i: Interception, d: Directory) -> list[Ask]:
    missing = None if i.coastal else Missing(("coastal",), "whose contiguous zone it is")
    note = (
        "A courtesy and a practical need, not a duty: in its contiguous zone the coastal state "
        "may exercise the control needed to prevent and punish infringements of its "
        "immigration laws (UNCLOS art. 33), so it will act on the people and the vessel; "
        "UNCLOS imposes no duty on other states to notify it."
    )
    return [
        Ask("coastal-state-notification", "notify", i.coastal, role, missing=missing, notes=(note,))
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
                missing=Missing(
                    ("flag", "stateless"), "the flag state, or that the vessel is stateless"
                ),
            )
        ]
    notes: list[str] = []
    agreement, mentioned = _in_force(
        d,
        i,
        i.acting,
        i.flag,
        lambda a: (
            a.provides.boarding != "none"
            and (not a.provides.boarding_by or _named(d, i.acting, a.provides.boarding_by))
            and _covers(a, i)
        ),
        # Pre-authorised boarding governs over an expedited reply.
        better=lambda a: a.provides.boarding != "pre-authorised",
    )
    pre_authorised = agreement is not None and agreement.provides.boarding == "pre-authorised"
    own_contiguous = i.zone == "contiguous" and d.same_state(i.acting, i.coastal)
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
            "The coastal state acts in its own contiguous zone under UNCLOS art. 33 (control to "
            "prevent or punish infringements of its immigration laws), which needs no flag-state "
            "authorisation. Telling the flag state is good practice and lets it confirm the "
            "registry; art. 33 itself imposes no duty to notify."
        )
    if not i.acting:
        notes.append("Acting state unknown: no agreement can be applied.")
    state = d.state(i.flag)
    if state is not None and state.som_protocol.party != "yes":
        status = "is not a party" if state.som_protocol.party == "no" else "has uncertain status"
        notes.append(
            f"{i.flag} {status} under the SOM Protocol: art. 8 requests rest on UNCLOS and "
            "bilateral arrangements, not the Protocol."
        )
    # A territory's vessels fly its sovereign's flag (UNCLOS art. 92): the sovereign answers,
    # and the territory's own registry confirms the registration where it has one.
    flag_state = d.sovereign_of(i.flag)
    if flag_state != i.flag:
        notes.append(
            f"{i.flag} ({state_name(i.flag)}) is a territory of {flag_state}: its vessels fly "
            f"{flag_state}'s flag, and {flag_state} answers as the flag state."
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
    if flag_state != i.flag and d.agencies(state=i.flag, role="ship-registry"):
        asks.append(
            Ask(
                "flag-state-authorization",
                "request",
                i.flag,
                "ship-registry",
                notes=(
                    f"Ask {i.flag}'s registry to confirm the vessel's registration, beside the "
                    f"request to {flag_state}.",
                ),
            )
        )
    return asks


def _foreign_nationalities(i: Interception, d: Directory) -> list[str]:
    """Nationalities aboard that are foreign to the landing state (a territory's people are
    at home in its sovereign's territory)."""
    return [n for n in i.nationalities if not d.same_state(n, i.disembark)]


def _disembark_missing(i: Interception) -> Missing | None:
    if i.disembark:
        return None
    # The landing state defaults to the coastal state near the coast, else the acting state.
    default = "coastal" if i.zone in COASTAL_DISEMBARKATION_ZONES else "acting"
    return Missing(("disembark", default), "where people will be landed")


def _mandatory_notification(d: Directory, i: Interception, nationality: str) -> str | None:
    """Why notifying ``nationality``'s consular post is mandatory, or None when it is the
    person's choice (VCCR art. 36(1)(b)). The acting state detains the people aboard; the
    landing state may detain them after landing: a duty of either applies."""
    for detaining in dict.fromkeys((i.acting, i.disembark)):
        if not detaining or d.same_state(detaining, nationality):
            continue
        state = d.notification_mandatory(detaining, nationality)
        if state is not None and state.mandatory_notification is not None:
            rule = state.mandatory_notification
            source = rule.sources[0].title if rule.sources else "a bilateral consular convention"
            return (
                f"Notification is mandatory: {detaining} must notify {nationality}'s consular "
                f"post of a detained national without delay, even if the person objects "
                f"({source})."
                + (" This record is uncertain: check it." if rule.status != "confirmed" else "")
            )
    return None


NOT_REVEALING_THE_CLAIM = (
    "Asylum is claimed: the notice says only that a national is held (or has died); it must "
    "never reveal that anyone claimed asylum, nor where they come from beyond what the notice "
    "needs. Consult UNHCR first."
)


def _consular_asks(purpose: str, consent: bool) -> Callable[[Interception, Directory], list[Ask]]:
    """R6 (consent, unless notification is mandatory between the detaining state and the
    nationality) and R8 (deaths: never consent)."""

    def asks(i: Interception, d: Directory) -> list[Ask]:
        asylum = i.has("asylum")
        if not i.nationalities:
            # R7: asylum claimed, so consular access carries the consent warning and its basis.
            r7 = consent and asylum
            return [
                Ask(
                    purpose,
                    "inform" if consent else "notify",
                    None,
                    "consular",
                    missing=Missing(("nationalities",), "the nationalities aboard"),
                    requires_consent=consent,
                    warnings=(CONSENT_WARNING,) if r7 else (),
                    extra_basis=R7_BASIS if r7 else (),
                )
            ]
        found = []
        for n in _foreign_nationalities(i, d):
            mandatory = _mandatory_notification(d, i, n) if consent else None
            if consent and mandatory is None:
                found.append(
                    Ask(
                        purpose,
                        "inform",
                        n,
                        "consular",
                        consular_receiving=i.disembark,
                        missing=_disembark_missing(i),
                        nationality=n,
                        requires_consent=True,
                        notes=(
                            "Offer the person consular contact; contact the consulate only if "
                            "they ask for it.",
                        ),
                        warnings=(CONSENT_WARNING,) if asylum else (),
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
                    missing=_disembark_missing(i),
                    nationality=n,
                    requires_consent=False,
                    notes=(mandatory,) if mandatory else ("Notify the death without delay.",),
                    warnings=(NOT_REVEALING_THE_CLAIM,) if asylum else (),
                    extra_basis=(
                        ("Bilateral consular convention (mandatory notification)",)
                        if mandatory
                        else ()
                    ),
                )
            )
        return found

    return asks


def _returning_home(i: Interception, d: Directory) -> bool:
    """Asylum is claimed and people would be landed in their own country."""
    return i.has("asylum") and any(d.same_state(n, i.disembark) for n in i.nationalities)


def _rule_r9(i: Interception, d: Directory) -> list[Ask]:
    action = "request" if i.has("asylum") else "inform"
    if _returning_home(i, d):
        # Landing asylum seekers in their own country is refoulement: they are screened by
        # the acting state, with UNHCR, before any landing there.
        state = i.acting
        missing = None if i.acting else Missing(("acting",), "the acting state, which screens them")
        note = (
            f"Asylum is claimed and people aboard are nationals of {i.disembark}, where they "
            "would be landed: screen everyone aboard for protection needs, with UNHCR, before "
            "any landing there."
        )
    else:
        state, missing = i.disembark, _disembark_missing(i)
        note = (
            "Everyone aboard who is not a national of the disembarkation state gets "
            "orientation and the chance to apply for asylum."
        )
    return [
        Ask("protection-referral", action, state, "refugee-status", missing=missing, notes=(note,)),
        Ask(
            "protection-referral",
            action,
            state,
            "protection-partner",
            missing=missing,
            serving=True,
            notes=(note,),
        ),
    ]


def _rule_r10(i: Interception, d: Directory) -> list[Ask]:
    asks = [
        Ask(
            "child-protection",
            "request",
            i.disembark,
            "child-protection",
            missing=_disembark_missing(i),
        )
    ]
    if not i.has("unaccompanied"):
        return asks
    # VCCR art. 37(b): the receiving state informs the consular post whenever a guardian is to
    # be appointed for a minor national of the sending state, whatever the child's wish.
    notice = dict(
        requires_consent=False,
        notes=(
            "A guardian is to be appointed for unaccompanied children: inform their consular "
            "post without delay.",
        ),
        warnings=(
            (
                "Asylum is claimed: the notice concerns the guardianship only and must not "
                "reveal the asylum claim. Consult UNHCR first.",
            )
            if i.has("asylum")
            else ()
        ),
        extra_basis=("VCCR art. 37(b)",),
    )
    if not i.nationalities:
        return [
            *asks,
            Ask(
                "consular-access",
                "notify",
                None,
                "consular",
                missing=Missing(("nationalities",), "the children's nationality"),
                **notice,  # type: ignore[arg-type]
            ),
        ]
    return asks + [
        Ask(
            "consular-access",
            "notify",
            n,
            "consular",
            consular_receiving=i.disembark,
            missing=_disembark_missing(i),
            nationality=n,
            **notice,  # type: ignore[arg-type]
        )
        for n in _foreign_nationalities(i, d)
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
    if (
        i.coastal
        and i.zone in COASTAL_DISEMBARKATION_ZONES
        and not any(d.same_state(i.coastal, s) for s in seen)
    ):
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
    if i.flag and not any(d.same_state(i.flag, s) for s in seen):
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
                missing=Missing(("acting", "coastal"), "the state with jurisdiction"),
            )
        )
    return asks


#: What must come before a return, by what is known of those aboard: (condition, warning,
#: basis). Each is a legal precondition, so it is a warning the officer cannot miss.
RETURN_SAFEGUARDS = (
    (
        "asylum",
        "Asylum is claimed: no return before the claim is decided; returning a refugee to "
        "danger breaches non-refoulement (1951 Convention art. 33).",
        (),
    ),
    (
        "unaccompanied",
        "Unaccompanied children: a best-interests determination comes before any return, and a "
        "child is returned only to a parent, a relative or another caregiver able to take "
        "charge (CRC art. 3(1); UNHCR best-interests guidelines).",
        ("CRC art. 3(1)",),
    ),
    (
        "trafficking",
        "Victims of trafficking: return with due regard for their safety and the status of any "
        "proceedings, preferably voluntary; their nationality is verified and documents issued "
        "without undue delay (Trafficking in Persons Protocol art. 8).",
        ("Trafficking in Persons Protocol art. 8",),
    ),
)


def _return_safeguards(i: Interception) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The warnings and added legal basis of every return safeguard that applies."""
    found = [(w, b) for condition, w, b in RETURN_SAFEGUARDS if i.has(condition)]
    return tuple(w for w, _ in found), tuple(x for _, b in found for x in b)


def _rule_r13(i: Interception, d: Directory) -> list[Ask]:
    warnings, extra_basis = _return_safeguards(i)
    screening = "Only after protection screening: nobody with a protection need is returned."
    if not i.nationalities:
        return [
            Ask(
                "repatriation",
                "request",
                None,
                "migration",
                missing=Missing(("nationalities",), "whose return is considered"),
                warnings=warnings,
                extra_basis=extra_basis,
                notes=(screening,),
            )
        ]
    asks = []
    for n in _foreign_nationalities(i, d):
        notes: list[str] = []
        agreement, mentioned = _in_force(
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
                    mentioned=tuple(mentioned),
                    nationality=n,
                    warnings=warnings,
                    extra_basis=extra_basis,
                    notes=tuple(notes),
                )
            )
    return asks


def _rule_r15(i: Interception, d: Directory) -> list[Ask]:
    landing = i.disembark
    assert landing is not None  # the rule applies only when the landing state is known
    rescued = i.has(*RESCUE)
    # After a rescue the landing state's RCC finds the place of safety (MSC.167(78) 6.7);
    # otherwise its maritime law enforcement answers for the port.
    role, fallbacks = (
        ("sar", ("maritime-law-enforcement", "foreign-affairs"))
        if rescued
        else ("maritime-law-enforcement", ("foreign-affairs",))
    )
    notes: list[str] = []
    agreement, mentioned = _in_force(
        d,
        i,
        i.acting,
        landing,
        lambda a: (
            _named(d, i.acting, a.provides.landing_by)
            and _covers(a, i)
            # An agreement limited to some nationalities covers the landing only when every
            # nationality aboard is known and covered.
            and (
                not a.provides.nationalities
                or (bool(i.nationalities) and set(i.nationalities) <= set(a.provides.nationalities))
            )
        ),
    )
    if agreement is not None:
        notes.insert(
            0,
            f"The landing is provided for by {agreement.title}: notify {landing} of it and of "
            "the port.",
        )
    else:
        notes.insert(
            0,
            f"Ask {landing} to consent to the landing and to name a place of safety"
            + (" for those rescued" if rescued else "")
            + "; people are not landed without it.",
        )
    if i.acting is None:
        notes.append(f"Not needed if the acting state is {landing} itself.")
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
        )
    ]


def _r5_note(i: Interception, d: Directory) -> str:
    if i.zone in SOVEREIGN_ZONES:
        if d.same_state(i.acting, i.coastal):
            return (
                "Stateless vessel in the acting state's own waters: its jurisdiction applies; "
                "there is no flag state to ask."
            )
        return (
            f"Stateless vessel in {i.coastal or 'the coastal state'}'s waters: SOM Protocol "
            "art. 8(7) and UNCLOS art. 110 permit boarding only beyond the territorial sea. "
            "Here the coastal state's authorisation governs (see the "
            "coastal-state-authorization step); there is no flag state to ask."
        )
    return (
        "Stateless vessel beyond the territorial sea: no flag state to ask. Boarding and search "
        "are permitted; if evidence of smuggling is found, take appropriate measures under "
        "domestic and international law."
    )


#: The rules R1-R15 (docs/routing.md). Each carries its legal basis.
RULES: tuple[Rule, ...] = (
    Rule(
        "R1",
        ("SAR Convention 1979 annex 2.1, 4.3", "SOLAS V/33", "UNCLOS art. 98"),
        lambda i, d: i.has(*RESCUE),
        _rule_r1,
    ),
    Rule(
        "R2",
        ("UNCLOS arts. 2, 49", "SOM Protocol art. 7"),
        lambda i, d: (
            i.zone in SOVEREIGN_ZONES
            and i.acting is not None
            and not d.same_state(i.acting, i.coastal)
        ),
        _rule_r2,
    ),
    Rule(
        "R3",
        ("UNCLOS art. 33",),
        lambda i, d: (
            i.zone == "contiguous" and (i.acting is None or not d.same_state(i.acting, i.coastal))
        ),
        _rule_r3,
    ),
    Rule(
        "R4",
        ("SOM Protocol art. 8(2), 8(4), 8(5), 8(6)", "SOM Protocol art. 17", "UNCLOS art. 92"),
        lambda i, d: (
            not i.stateless
            and i.zone in ("contiguous", "eez", "high-seas")
            and (i.acting is None or not d.same_state(i.flag, i.acting))
        ),
        _rule_r4,
    ),
    Rule(
        "R5",
        ("SOM Protocol art. 8(7)", "UNCLOS art. 110(1)(d)"),
        lambda i, d: i.stateless,
        lambda i, d: [],
        note=_r5_note,
    ),
    Rule(
        "R6",
        ("VCCR art. 36(1)(b)", "SOM Protocol art. 16(5)"),
        lambda i, d: not i.nationalities or bool(_foreign_nationalities(i, d)),
        _consular_asks("consular-access", consent=True),
    ),
    # R7 (asylum) qualifies R6: its warning is attached by _consular_asks.
    Rule(
        "R8",
        ("VCCR art. 37(a)",),
        lambda i, d: (
            i.has("deaths") and (not i.nationalities or bool(_foreign_nationalities(i, d)))
        ),
        _consular_asks("consular-death-notification", consent=False),
    ),
    Rule(
        "R9",
        ("SOM Protocol arts. 16, 19", "1951 Convention art. 33"),
        lambda i, d: (
            not i.nationalities or bool(_foreign_nationalities(i, d)) or _returning_home(i, d)
        ),
        _rule_r9,
    ),
    Rule(
        "R10",
        ("SOM Protocol art. 16(4)", "CRC arts. 20, 22"),
        lambda i, d: i.has("minors", "unaccompanied"),
        _rule_r10,
    ),
    Rule(
        "R11",
        ("Trafficking in Persons Protocol art. 6",),
        lambda i, d: i.has("trafficking"),
        _single("trafficking-victim-referral", "anti-trafficking"),
    ),
    Rule(
        "R12",
        ("SOM Protocol art. 6", "UNTOC art. 15"),
        lambda i, d: i.has("smugglers", "deaths"),
        _rule_r12,
    ),
    Rule(
        "R13",
        ("SOM Protocol art. 18", "SOM Protocol art. 18(8)"),
        lambda i, d: (
            i.return_considered and (not i.nationalities or bool(_foreign_nationalities(i, d)))
        ),
        _rule_r13,
    ),
    Rule(
        "R14",
        ("UNCAC", "UNTOC art. 9"),
        lambda i, d: i.has("corruption"),
        _single("anti-corruption", "anti-corruption"),
    ),
    Rule(
        "R15",
        ("SOLAS V/33.1-1", "SAR Convention annex 3.1.9", "IMO res. MSC.167(78)"),
        lambda i, d: i.disembark is not None and not d.same_state(i.disembark, i.acting),
        _rule_r15,
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
        rules: the rule table (the default is R1-R15, docs/routing.md).

    Returns:
        The plan: steps in the documented order, each with its basis, agency, contacts and
        channels open at ``interception.at``; unresolved steps say what is missing.
    """
    interception, claim_warnings = _within_claims(directory, interception)
    steps: list[Step] = []
    notes: list[PlanNote] = []
    for rule in rules:
        if not rule.applies(interception, directory):
            continue
        if rule.note is not None:
            notes.append(PlanNote(rule.id, rule.note(interception, directory), rule.basis))
        for ask in rule.asks(interception, directory):
            ask = _asylum_safeguard(interception, directory, ask)
            basis = rule.basis + ask.extra_basis
            steps.append(_resolve(directory, interception, rule.id, basis, ask, stale_days))
    steps.sort(key=lambda s: PURPOSE_ORDER.index(s.purpose))
    steps = _deduplicate(steps)
    ordered = tuple(attrs.evolve(s, order=n) for n, s in enumerate(steps, start=1))
    warnings = (
        *_refoulement_warnings(interception, directory),
        *claim_warnings,
        *_plan_warnings(directory, interception, ordered),
    )
    missing = ("acting",) if interception.acting is None else ()
    return ContactPlan(interception, ordered, tuple(notes), warnings, missing)


def _asylum_safeguard(i: Interception, d: Directory, ask: Ask) -> Ask:
    """With asylum claimed, nothing is asked of a country of nationality of people aboard
    (other than the acting state itself) about them before their claims are decided (1951
    Convention art. 33; SOM Protocol art. 19).

    Steps about the vessel and the waters keep the action the law requires, with a warning
    not to disclose who is aboard; steps about the smuggling share only that; any other
    request about the people is deferred (action ``inform``). Consular steps carry their own
    warnings. One pass over every rule's steps, so that no rule can forget it.
    """
    if (
        not i.has("asylum")
        or ask.state is None
        or not any(d.same_state(ask.state, n) for n in i.nationalities)
        or d.same_state(ask.state, i.acting)
        or ask.purpose in CONSULAR_PURPOSES
    ):
        return ask
    who = f"{ask.state} is a country of nationality of people aboard who may claim asylum"
    if ask.purpose in VESSEL_PURPOSES:
        warning = (
            f"{who}: share what concerns the vessel and the waters, never who is aboard or who "
            "claimed asylum."
        )
        return attrs.evolve(ask, warnings=(*ask.warnings, warning))
    if ask.purpose in OFFENCE_PURPOSES:
        warning = (
            f"{who}: inform it to coordinate, sharing what concerns the vessel and the "
            "smugglers only, never who claimed asylum or what they said."
        )
    else:
        warning = (
            f"Deferred: {who}. Ask nothing of it about them before their claims are decided; "
            "afterwards act only for those found to have no protection need."
        )
        # Deferred whatever it was: a notice of a landing or a return says as much as a request.
        return attrs.evolve(ask, action="inform", warnings=(*ask.warnings, warning))
    action = "inform" if ask.action == "request" else ask.action
    return attrs.evolve(ask, action=action, warnings=(*ask.warnings, warning))


def _refoulement_warnings(i: Interception, d: Directory) -> list[str]:
    if not _returning_home(i, d):
        return []
    code = i.disembark
    return [
        f"Refoulement: asylum is claimed and people aboard are nationals of {code} "
        f"({state_name(code or '')}), where this plan would land them. Landing asylum seekers in "
        "their own country before their claims are decided breaches non-refoulement (1951 "
        "Convention art. 33; SOM Protocol art. 19): screen everyone first (see the "
        "protection-referral steps) and land in "
        f"{code} only those found to have no protection need."
    ]


def _within_claims(directory: Directory, i: Interception) -> tuple[Interception, list[str]]:
    """The interception read against the coastal state's maritime claims.

    A zone the coastal state does not claim is not applied: a contiguous zone it does not claim
    is its EEZ, or the high seas when it claims no EEZ either (UNCLOS arts. 33, 55, 86), and
    the plan treats the waters so, since acting "in its own contiguous zone" would be
    unfounded. A claim recorded as uncertain (or an absence recorded as uncertain) is applied
    as recorded, with a warning that says so.
    """
    state = directory.state(i.coastal) if i.coastal else None
    if state is None:
        return i, []
    claims = state.maritime
    why = f" ({_joined(claims.notes)})" if claims.notes else ""
    claim: ClaimName | None = {
        "territorial": "territorial_sea_nm",
        "contiguous": "contiguous_zone_nm",
        "eez": "eez_nm",
        "archipelagic": "archipelagic",
    }.get(i.zone)  # type: ignore[assignment]
    if claim is None:
        return i, []
    doubt = claims.is_uncertain(claim)
    unclaimed = {
        "contiguous_zone_nm": claims.contiguous_zone_nm is None,
        "eez_nm": claims.eez_nm is None,
    }.get(claim, False)
    if unclaimed:
        to_eez = claim == "contiguous_zone_nm" and claims.eez_nm is not None
        label = {"contiguous_zone_nm": "contiguous zone", "eez_nm": "EEZ"}[claim]
        warning = (
            f"{i.coastal} claims no {label}"
            + (" on record" if doubt else "")
            + f": beyond its {claims.territorial_sea_nm} nm territorial sea the waters are "
            + ("its EEZ" if to_eez else "the high seas")
            + ", and this plan treats them so."
        )
        if doubt:
            warning += (
                f" The record of its claims is uncertain{why}: if it does claim one, the plan "
                "changes; check before relying on it."
            )
        read = (
            attrs.evolve(i, zone="eez")
            if to_eez
            else attrs.evolve(i, zone="high-seas", coastal=None)
        )
        return read, [warning]
    if claim == "archipelagic" and not claims.archipelagic:
        return i, [
            f"{i.coastal} is not an archipelagic state"
            + (" on record (uncertain)" if doubt else "")
            + ": waters inside its baselines are internal waters (the plan is the same)."
        ]
    if doubt:
        breadth = {
            "territorial_sea_nm": f" ({claims.territorial_sea_nm} nm)",
            "contiguous_zone_nm": f" ({claims.contiguous_zone_nm} nm)",
            "eez_nm": f" ({claims.eez_nm} nm)",
        }.get(claim, "")
        label = {
            "territorial_sea_nm": "territorial sea",
            "contiguous_zone_nm": "contiguous zone",
            "eez_nm": "EEZ",
            "archipelagic": "archipelagic",
        }[claim]
        return i, [
            f"{i.coastal}'s {label} claim{breadth} is uncertain{why}: the plan applies it as "
            "recorded; confirm it before relying on the coastal state's powers there."
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
            step.rule,
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
                "that need them stay unresolved. Add them in an overlay directory."
            )
    if i.acting is None:
        yield (
            "Acting state unknown: without it no agreement is applied and no language match "
            "is checked."
        )
    if any(c.contact.illustrative for s in steps for c in s.contacts):
        yield ILLUSTRATIVE_NOTICE
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
        mentioned=ask.mentioned,
        provenance=(*ask.provenance, *(_mention_text(m) for m in ask.mentioned)),
    )
    if ask.missing is not None or ask.state is None:
        what = ask.missing.what if ask.missing else "the state whose authority is needed"
        return attrs.evolve(
            base,
            missing=ask.missing.fields if ask.missing else (),
            notes=(*ask.notes, f"Unresolved: the interception does not say {what}."),
        )
    notes = list(ask.notes)
    warnings = list(ask.warnings)
    provenance = list(base.provenance)
    if ask.agreement is not None:
        agreement = ask.agreement
        provenance[:0] = [f"{agreement.id}: {note}" for note in agreement.notes]
        # The condition an agreement's provisions depend on belongs in the step itself.
        if agreement.provides.condition:
            warnings.append(
                f"Only if {agreement.provides.condition} ({agreement.id}); otherwise the "
                "agreement does not apply: request instead."
            )
        if agreement.in_force_from_practice:
            warnings.append(
                f"{agreement.id} is treated as in force because it is applied in practice; no "
                "record of its entry into force was seen."
            )
    agency: Agency | None = ask.agency
    role = ask.role
    if agency is None and ask.consular_receiving is not None:
        agency, found_notes, found_warnings, found_provenance = _consular_mission(
            directory, ask.state, ask.consular_receiving
        )
        notes += found_notes
        warnings += found_warnings
        provenance += found_provenance
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
            if not found and not ask.serving:
                # Another jurisdiction's agency that acts for this one (the Dutch Caribbean
                # Coast Guard for Aruba): its ``covers`` says so.
                found = [
                    a
                    for a in directory.agencies(role=candidate, serving=ask.state)
                    if a.state != ask.state
                ]
                if found:
                    notes.append(
                        f"{found[0].name_en} ({found[0].state}) acts for {ask.state} as its "
                        f"{candidate} authority."
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
        return attrs.evolve(
            base,
            role=role,
            notes=tuple(notes),
            warnings=tuple(warnings),
            provenance=tuple(provenance),
        )
    if agency.status != "confirmed":
        warnings.append(f"{agency.name_en}: the record is uncertain; confirm before relying on it.")
        if agency.notes:
            provenance.append(f"Why {agency.id} is uncertain: {_joined(agency.notes)}.")
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
        provenance=tuple(provenance),
        timezone=directory.agency_timezone(agency),
    )


def _mention_text(mention: Mention) -> str:
    a = mention.agreement
    if mention.status == "also in force":
        return f"Also in force: {a.title} ({a.id})."
    return f"{a.title} ({a.id}) is {mention.status}: mentioned, not applied; do not rely on it."


def _consular_channels(
    directory: Directory, nationality: str, receiving: str
) -> tuple[list[ConsularChannel], list[str], list[str]]:
    """The consular channels for ``nationality`` in ``receiving``, with what was inferred.

    A territory's people are protected by its sovereign's missions; a territory with no
    record of its own is looked up under its sovereign, whose missions are accredited to it
    unless the record says otherwise, with a warning to check the post covers it."""
    nationalities = dict.fromkeys((nationality, directory.sovereign_of(nationality)))
    receivings = dict.fromkeys((receiving, directory.sovereign_of(receiving)))
    for rec in receivings:
        for nat in nationalities:
            found = directory.consular_channels(nationality=nat, receiving=rec)
            if not found:
                continue
            notes, warnings = [], []
            if nat != nationality:
                notes.append(
                    f"{nationality} ({state_name(nationality)}) is a territory of {nat}: its "
                    f"people are protected by {nat}'s consular posts."
                )
            if rec != receiving:
                warnings.append(
                    f"The directory records no post of {nat} for {receiving} itself: these are "
                    f"{nat}'s posts in {rec}, its sovereign; check which covers {receiving}."
                )
            return found, notes, warnings
    return [], [], []


def _consular_mission(
    directory: Directory, nationality: str, receiving: str
) -> tuple[Agency | None, list[str], list[str], list[str]]:
    """R6: the post that handles landings where the data names one, else a resident embassy
    or consulate, else concurrent accreditation, else an honorary consul, else a warning that
    no mission covering the receiving state was found. Other resident posts are named, with
    their districts, so the officer can choose the nearest."""
    channels, fallback_notes, fallback_warnings = _consular_channels(
        directory, nationality, receiving
    )
    usable = [
        (channel, mission)
        for channel in channels
        if channel.type != "none" and channel.mission is not None
        for mission in [directory.agency(channel.mission)]
        if mission is not None
    ]
    if usable:
        (channel, mission), others = usable[0], usable[1:]
        notes = list(fallback_notes)
        if channel.protecting_state:
            notes.append(
                f"Consular protection of {nationality} nationals is given by "
                f"{channel.protecting_state} ({state_name(channel.protecting_state)})."
            )
        if channel.serves_landings:
            notes.append(
                "The post that handles nationals landed from the sea"
                + (f" (district: {channel.district})" if channel.district else "")
                + "."
            )
        if channel.type == "concurrent":
            notes.append(
                f"No resident mission of {nationality} in {receiving}: {mission.name_en} is "
                f"accredited to {receiving} from {mission.located_in or mission.state}."
            )
        elif channel.type == "honorary":
            notes.append(f"Only an honorary consul of {nationality} covers {receiving}.")
        elif channel.type == "office":
            warnings_office = (
                f"{mission.name_en} is not a consular post: an office without diplomatic or "
                "consular status, which can pass a message on but cannot exercise consular "
                f"functions. Also ask {nationality}'s foreign ministry."
            )
            notes.append(warnings_office)
        resident = [
            f"{m.name_en} ({m.id}" + (f"; district: {c.district}" if c.district else "") + ")"
            for c, m in others
            if c.type in ("embassy", "consulate")
        ]
        if resident:
            notes.append(f"Other posts of {nationality} in {receiving}: {'; '.join(resident)}.")
        warnings = list(fallback_warnings)
        provenance = []
        if channel.status != "confirmed":
            warnings.append("This consular channel is uncertain: confirm it with the mission.")
            if channel.notes:
                provenance.append(
                    f"Why the consular channel is uncertain: {_joined(channel.notes)}."
                )
        return mission, notes, warnings, provenance
    name = f"{nationality} ({state_name(nationality)})"
    nones = [c for c in channels if c.type == "none"]
    if nones:
        checked = max(c.last_verified for c in nones)
        why = _joined([n for c in nones for n in c.notes])
        certainty = "" if any(c.status == "confirmed" for c in nones) else "; this is uncertain"
        return (
            None,
            [],
            [
                f"No consular mission of {name} covering {receiving} was found (checked "
                f"{checked.isoformat()}{certainty}). Ask {name}'s foreign ministry or its "
                "nearest mission."
            ],
            [f"How it was concluded: {why}."] if why else [],
        )
    return (
        None,
        [],
        [
            f"The directory records no consular mission of {name} covering {receiving}: "
            f"ask {name}'s foreign ministry or the nearest mission."
        ],
        [],
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
                ChannelChoice(
                    channel.kind,
                    channel.value,
                    available,
                    nxt,
                    always,
                    text,
                    dialable=channel.dialable,
                    placeholder=channel.telephone and not channel.dialable,
                )
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
