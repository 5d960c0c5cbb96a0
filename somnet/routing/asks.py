"""What a rule asks for before it is resolved (``Ask``), the rule object itself, and the
facts about the people aboard that several rules share."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from somnet._i18n import _, joined_messages
from somnet.directory.lookup import Directory
from somnet.directory.records import (
    Agency,
    Agreement,
)
from somnet.routing.interception import (
    COASTAL_DISEMBARKATION_ZONES,
    SOVEREIGN_ZONES,
    Interception,
)

RESCUE = ("distress", "injured", "deaths")


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
    #: The step's own basis, in place of the rule's, where the rule's does not apply to this
    #: case (R2 between two territories of one sovereign: not UNCLOS, their own laws; R4 and
    #: R13 when the SOM Protocol did not bind a state on the day). ``extra_basis`` is added to
    #: it as to the rule's.
    basis: tuple[str, ...] | None = None
    #: The nationality a per-nationality step is for (consular access, repatriation).
    nationality: str | None = None
    #: Other agreements between the two states that the rule considered (see ``Mention``).
    mentioned: tuple[Mention, ...] = ()
    #: Reasoning behind the step's facts, for ``Step.provenance``.
    provenance: tuple[str, ...] = ()
    #: Put off until asylum claims are decided (a request of a country of nationality).
    deferred: bool = False
    #: What a deferred step waits for: ``claims``, or, with nobody's nationality known,
    #: ``nationalities``; None when it is not deferred.
    waits_for: str | None = None
    #: Asked of the state at home, never of its authority for a territory where it acts: the
    #: country people are returned to (British citizens removed from the Turks and Caicos
    #: Islands go back to the United Kingdom, not to the Turks and Caicos' own office).
    home: bool = False
    #: A landing (R15) of people who are all nationals of the landing state, at home there:
    #: it is asked to verify their nationality and to name the port (or a place of safety),
    #: not to consent.
    own_nationals: bool = False
    #: A step about the stateless persons aboard alone (their return, R13): a state it is
    #: asked of may be the country they lived in, never their country of nationality.
    stateless_persons: bool = False
    #: Other agencies to call for the same step, each with why (R1: the RCC of another region
    #: sharing the waters, another candidate where the sources disagree); resolved to their
    #: contacts with the step.
    also: tuple[tuple[Agency, str], ...] = ()


@attrs.frozen
class Rule:
    """A routing rule: its id, legal basis, when it applies and what it asks for."""

    id: str
    basis: tuple[str, ...]
    applies: Callable[[Interception, Directory], bool]
    asks: Callable[[Interception, Directory], list[Ask]]
    #: A rule that only notes something for the whole plan (R5), asking for no contact.
    note: Callable[[Interception, Directory], str] | None = None
    #: The note's own basis, in place of the rule's, where the rule's does not apply on the
    #: day (R5 when the SOM Protocol did not bind the acting state); None keeps the rule's.
    note_basis: Callable[[Interception, Directory], tuple[str, ...] | None] | None = None


def foreign_nationalities(i: Interception, d: Directory) -> list[str]:
    """Nationalities aboard that are foreign to the landing state (a territory's people are
    at home in its sovereign's territory)."""
    return [n for n in i.nationalities if not d.same_state(n, i.disembark)]


def unknown_nationalities(i: Interception) -> bool:
    """Nobody's nationality is known: neither a state's nor "stateless"."""
    return not i.nationalities and not i.stateless_persons


def some_unknown(i: Interception) -> bool:
    """Someone aboard is of a nationality not known: nobody's is known, or others' are not
    besides those known (``others_unknown``). What holds of every nationality known does not
    hold of them."""
    return unknown_nationalities(i) or i.others_unknown


def returning_home(i: Interception, d: Directory) -> bool:
    """Asylum is claimed and people would be landed in their own country."""
    return i.has("asylum") and any(d.same_state(n, i.disembark) for n in i.nationalities)


def found_in_landing_state(i: Interception, d: Directory) -> bool:
    """People were found in the internal, archipelagic or territorial waters of the state they
    would be landed in (or of another territory of its sovereign): in its territory (UNCLOS
    arts. 2(1), 49(1)). The landing returns nobody across a border: its own people aboard have
    not left their country, so they are not refugees under the 1951 Convention (art. 1A(2)),
    and the others are not sent to theirs."""
    return (
        i.zone in SOVEREIGN_ZONES
        and bool(i.coastal)
        and bool(i.disembark)
        and d.same_state(i.coastal, i.disembark)
    )


def is_where_found(i: Interception, d: Directory, state: str | None) -> bool:
    """``state`` is where people most likely come from: the state of the coast they were found
    off, or the flag's state."""
    return state is not None and any(d.same_state(state, s) for s in (i.coastal or i.coast, i.flag))


def landed_where_found(i: Interception, d: Directory) -> bool:
    """People would be landed where they most likely come from (``is_where_found``)."""
    return bool(i.disembark) and is_where_found(i, d, i.disembark)


def stateless_landed_where_found(i: Interception, d: Directory) -> bool:
    """Asylum is claimed by stateless persons, nobody's nationality is known but theirs, and
    they would be landed where they were found (``landed_where_found``): it may be the country
    they lived in and flee, against which a stateless person's claim is read (1951 Convention
    art. 1A(2))."""
    return (
        i.has("asylum") and i.stateless_persons and not i.nationalities and landed_where_found(i, d)
    )


def origin_unknown_landed_where_found(i: Interception, d: Directory) -> bool:
    """Asylum is claimed, nobody's nationality is known (nor that they are stateless), and
    they would be landed where they most likely come from (``may_be_where_they_come_from``
    of the landing state): it may be the country the claimants flee. The plan asks for the
    nationalities rather than defer the landing, and tells the landing state nothing of the
    claims meanwhile."""
    return bool(i.disembark) and may_be_where_they_come_from(i, d, i.disembark)


def may_be_where_they_come_from(i: Interception, d: Directory, state: str | None) -> bool:
    """Asylum is claimed, nobody's nationality is known (nor that they are stateless), and
    ``state`` is where they most likely come from (``is_where_found``), whether or not they
    would be landed there. It may be the country the claimants flee, and is told nothing of
    the claims. So too with some nationalities known, none of them its own, and others not
    known (``others_unknown``): the others may be its nationals. (A country of nationality
    aboard is one already, ``returning_home``; stateless persons alone beside the unknown are
    planned as stateless persons landed where they were found, ``stateless_landed_where_found``,
    whose protection covers the others.)"""
    if not (i.has("asylum") and is_where_found(i, d, state)):
        return False
    if unknown_nationalities(i):
        return True
    return (
        i.others_unknown
        and bool(i.nationalities)
        and not any(d.same_state(state, n) for n in i.nationalities)
    )


def landed_where_they_may_flee(i: Interception, d: Directory) -> bool:
    """Asylum seekers would be landed in their own country, or stateless ones where they were
    found: they are screened, and in the acting state's care, before any landing there."""
    return returning_home(i, d) or stateless_landed_where_found(i, d)


def given(code: str | None, why: str) -> str:
    """``code``, which the caller's condition shows is given (``why`` says which condition):
    the directory's look-ups refuse an empty code, so a condition that did not hold is told
    here, by name, rather than read as a code that names no state."""
    if not code:
        raise AssertionError(f"no state code where {why}")
    return code


def answering_state(d: Directory, code: str) -> str:
    """The state that answers for ``code``, named with it: itself, or, for a territory, its
    sovereign through the territory ("GB (through its territory TC)"). A territory's people
    are its sovereign's nationals, and the state a claim is against, or that a place someone
    lived in belongs to, is the sovereign: the territory says which place is meant."""
    sovereign = d.sovereign_of(code) if code else code  # no code: none named
    if sovereign == code:
        return code
    return _("{sovereign} (through its territory {code})").format(sovereign=sovereign, code=code)


def under_another_law(d: Directory, place: str | None, acting: str | None) -> bool:
    """Whether ``place`` is another territory of the acting state's sovereign whose law is not
    the acting state's: either of the two is a territory with its own law."""
    return (
        place is not None
        and acting is not None
        and place != acting
        and d.same_state(place, acting)
        and (territory_with_its_own_law(d, place) or territory_with_its_own_law(d, acting))
    )


def held_by_a_sister_territory(d: Directory, place: str | None, acting: str | None) -> bool:
    """Whether people landed in ``place`` pass from the care of a territory (the acting state)
    to another territory of its sovereign, under another law: a Cayman patrol landing people
    in the Turks and Caicos Islands. Its own authorities are not the landing place's; a
    sovereign's authorities where it acts are (a Royal Navy ship off the Turks and Caicos)."""
    return (
        acting is not None
        and d.sovereign_of(acting) != acting
        and under_another_law(d, place, acting)
    )


def holds_them(d: Directory, place: str | None, acting: str | None) -> bool:
    """Whether the people aboard, landed in ``place``, stay with the acting state: ``place``
    is the acting state's own, and not another territory of its sovereign under another law
    that a territory's patrol lands them in (``held_by_a_sister_territory``: Caymanians
    landed in the Turks and Caicos Islands pass to its authorities)."""
    return d.same_state(place, acting) and not held_by_a_sister_territory(d, place, acting)


def territory_with_its_own_law(d: Directory, code: str) -> bool:
    """Whether ``code`` is a territory with its own immigration law and authorities (it keeps
    a migration authority of its own in the directory), not one under its sovereign's law."""
    return d.sovereign_of(code) != code and bool(d.at_home(code, "migration"))


def disembark_missing(i: Interception) -> Missing | None:
    if i.disembark:
        return None
    # The landing state defaults to the coastal state near the coast, else the acting state.
    default = "coastal" if i.zone in COASTAL_DISEMBARKATION_ZONES else "acting"
    return Missing(("disembark", default), _("where people will be landed"))


def joined(notes: tuple[str, ...] | list[str]) -> str:
    """Data notes run into one clause of a sentence: without their final stops, set apart by
    the language's separator ("; ", " ; " in French)."""
    return joined_messages([note.strip().rstrip(".") for note in notes], _("; "))
