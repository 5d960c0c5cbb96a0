"""Planning: the rules applied to an interception, each step resolved, ordered and checked;
the plan's own warnings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from somnet._codes import state_name
from somnet._exceptions import BadInputError
from somnet._given import checked_kinds
from somnet._i18n import _, _n
from somnet.directory.lookup import Directory
from somnet.routing.asks import Rule
from somnet.routing.claims import within_claims
from somnet.routing.instruments import unbound_instruments_warnings
from somnet.routing.interception import (
    Interception,
)
from somnet.routing.plan import DEFAULT_STALE_DAYS, PURPOSE_ORDER, ContactPlan, PlanNote, Step
from somnet.routing.resolve import resolve, unknown_holidays_warnings
from somnet.routing.rules import RULES, why_no_step
from somnet.routing.safeguards import (
    asylum_safeguard,
    departure_state_warnings,
    refoulement_warnings,
)


@checked_kinds()
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

    Raises:
        BadInputError: a ``stale_days`` that is not a whole number of days, or a negative
            one (field ``stale_days``).
    """
    from somnet._given import a_directory, one_of_kind

    a_directory(directory)
    one_of_kind(interception, Interception, field="interception")
    from somnet._numbers import check_whole

    # A script's "365" would fail deep in the plan.
    stale_days = check_whole(stale_days, field="stale_days")
    if stale_days < 0:
        raise BadInputError(
            _("{value}: days cannot be negative").format(value=stale_days),
            field="stale_days",
            value=stale_days,
        )
    interception, claim_warnings = within_claims(directory, interception)
    steps: list[Step] = []
    notes: list[PlanNote] = []
    # The states and years whose public holidays the steps needed and python-holidays does
    # not have: said once for the plan, not in each step.
    unknown_holidays: set[tuple[str, int]] = set()
    for rule in rules:
        if not rule.applies(interception, directory):
            continue
        if rule.note is not None:
            own = rule.note_basis(interception, directory) if rule.note_basis else None
            basis = rule.basis if own is None else own
            notes.append(PlanNote(rule.id, rule.note(interception, directory), basis))
        for ask in rule.asks(interception, directory):
            ask = asylum_safeguard(interception, directory, ask)
            basis = (rule.basis if ask.basis is None else ask.basis) + ask.extra_basis
            steps.append(
                resolve(directory, interception, rule.id, basis, ask, stale_days, unknown_holidays)
            )
    # What to do now first; steps deferred until the asylum claims are decided come last.
    steps.sort(key=lambda s: (s.deferred, PURPOSE_ORDER.index(s.purpose)))
    steps = _deduplicate(steps)
    ordered = tuple(attrs.evolve(s, order=n) for n, s in enumerate(steps, start=1))
    if not ordered and all(rule in rules for rule in RULES):
        # An empty call list must say why, or it reads as a failure. The reasons are R1-R15's:
        # another table leaves a plan empty for its own, and cites no rule it did not apply.
        notes += [PlanNote(*note) for note in why_no_step(interception, directory)]
    warnings = (
        *refoulement_warnings(interception, directory),
        *departure_state_warnings(interception, directory),
        *claim_warnings,
        *_plan_warnings(directory, interception, ordered),
        *unbound_instruments_warnings(
            directory,
            interception.acting,
            directory.today_in(interception.acting, interception.at),
            [(s.rule, s.basis) for s in ordered] + [(n.rule, n.basis) for n in notes],
        ),
        *unknown_holidays_warnings(unknown_holidays),
    )
    missing = ("acting",) if interception.acting is None else ()
    return ContactPlan(interception, ordered, tuple(notes), warnings, missing)


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
    # A state whose authorities are asked must have its file; a nationality is served by its
    # missions abroad (an embassy's record does not make a coast guard).
    authorities = {c for c in (i.flag, i.coastal, i.acting, i.disembark) if c}
    named = [i.flag, i.coastal, i.acting, i.disembark, *i.nationalities]
    for code in dict.fromkeys(c for c in named if c):
        if code in directory.states:
            continue
        held = directory.agencies(state=code)
        if not held:
            yield _(
                "The directory holds no authorities of {code} ({name}): steps that need them "
                "stay unresolved. Add them in an overlay directory."
            ).format(code=code, name=state_name(code))
        elif code in authorities:
            # Its foreign ministry and missions, from the consular records: the steps go to
            # them, the authorities of its own that the directory lacks are told. Those at
            # home are named, the missions abroad counted (China has some twenty).
            home = [a for a in held if (a.located_in or a.state) == code]
            abroad = len(held) - len(home)
            listed = ", ".join(f"{a.name_en} ({a.id})" for a in home)
            if home and abroad:
                listed = _n(
                    "{agencies} and {n} mission abroad",
                    "{agencies} and {n} missions abroad",
                    abroad,
                ).format(agencies=listed, n=abroad)
            elif abroad:
                listed = _n("{n} mission abroad", "{n} missions abroad", abroad).format(n=abroad)
            yield _(
                "The directory holds no file of {code} ({name}), only {agencies}: steps that "
                "need its other authorities go to them or stay unresolved. Add its "
                "authorities in an overlay directory."
            ).format(code=code, name=state_name(code), agencies=listed)
    if i.acting is None:
        yield _(
            "Acting state unknown: without it no agreement is applied and no language match "
            "is checked."
        )
    if any(
        c.contact.illustrative
        for s in steps
        for c in (*s.contacts, *(x for other in s.also for x in other.contacts))
    ):
        yield directory.illustrative_notice
    unresolved = sum(1 for s in steps if not s.resolved)
    if unresolved:
        yield _n(
            "{n} step unresolved: it says what is missing.",
            "{n} steps unresolved: each says what is missing.",
            unresolved,
        ).format(n=unresolved)
