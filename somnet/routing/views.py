"""The contact plan as its JSON contract (docs/json.md): one view record per object of the
contract, written by the one converter. A view holds exactly the contract's fields, in its
order; the plan's own records (``Step``, ``ContactChoice``) hold more, for the text output.

The plan's text output needs neither these classes nor cattrs: ``ContactPlan.to_json`` imports
this module when it is asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from somnet.directory.records import Agency, Agreement

if TYPE_CHECKING:
    from somnet.routing.interception import Interception
    from somnet.routing.plan import ContactChoice, ContactPlan, Step


@attrs.frozen
class InterceptionView:
    """The interception as routing read it; ``at`` with its UTC offset."""

    flag: str | None
    stateless: bool
    zone: str
    coastal: str | None
    acting: str | None
    disembark: str | None
    nationalities: tuple[str, ...]
    stateless_persons: bool
    #: Others aboard are of nationalities not known, besides those of ``nationalities``.
    others_unknown: bool
    #: In the order of the vocabulary, not the order given.
    conditions: tuple[str, ...]
    #: ``return`` in JSON (a Python keyword).
    return_considered: bool
    at: str


@attrs.frozen
class AgencyRefView:
    """The agency a step names, with the zone its hours are read in."""

    id: str
    name: str
    name_en: str
    acronym: str | None
    timezone: str | None


@attrs.frozen
class ChannelChoiceView:
    """A channel; ``next_available`` in the agency's zone, with its offset."""

    kind: str
    value: str
    hours: str
    available: bool
    dialable: bool
    next_available: str | None


@attrs.frozen
class ContactChoiceView:
    """A contact of the step's agency; ``name`` is the title when the contact has no name."""

    id: str
    kind: str
    name: str | None
    languages: tuple[str, ...]
    illustrative: bool
    stale: bool
    channels: tuple[ChannelChoiceView, ...]


@attrs.frozen
class OtherAgencyView:
    """Another agency to call for the same step, with its contacts as the step's own."""

    state: str
    agency: AgencyRefView
    contacts: tuple[ContactChoiceView, ...]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]


@attrs.frozen
class StepView:
    """One step; ``agreement`` has the shape of the data files; ``notes`` carries the
    provenance after the notes."""

    order: int
    purpose: str
    rule: str
    action: str
    state: str | None
    role: str
    resolved: bool
    agency: AgencyRefView | None
    contacts: tuple[ContactChoiceView, ...]
    basis: tuple[str, ...]
    agreement: Agreement | None
    requires_consent: bool
    nationality: str | None
    missing: tuple[str, ...]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]
    deferred: bool
    own_nationals: bool
    also: tuple[OtherAgencyView, ...]


@attrs.frozen
class PlanNoteView:
    rule: str
    text: str
    basis: tuple[str, ...]


@attrs.frozen
class ContactPlanView:
    interception: InterceptionView
    steps: tuple[StepView, ...]
    notes: tuple[PlanNoteView, ...]
    warnings: tuple[str, ...]
    missing: tuple[str, ...]


def plan_view(plan: ContactPlan) -> ContactPlanView:
    """The view of ``plan`` that its JSON is written from."""
    return ContactPlanView(
        interception=_interception_view(plan.interception),
        steps=tuple(_step_view(s) for s in plan.steps),
        notes=tuple(PlanNoteView(rule=n.rule, text=n.text, basis=n.basis) for n in plan.notes),
        warnings=plan.warnings,
        missing=plan.missing,
    )


def _interception_view(i: Interception) -> InterceptionView:
    return InterceptionView(
        flag=i.flag,
        stateless=i.stateless,
        zone=i.zone,
        coastal=i.coastal,
        acting=i.acting,
        disembark=i.disembark,
        nationalities=i.nationalities,
        stateless_persons=i.stateless_persons,
        others_unknown=i.others_unknown,
        conditions=i.ordered_conditions,
        return_considered=i.return_considered,
        at=i.at.isoformat(timespec="seconds"),  # to the second, as documented
    )


def _agency_view(agency: Agency, timezone: str | None) -> AgencyRefView:
    return AgencyRefView(
        id=agency.id,
        name=agency.name,
        name_en=agency.name_en,
        acronym=agency.acronym,
        timezone=timezone,
    )


def _step_view(step: Step) -> StepView:
    agency = step.agency
    return StepView(
        order=step.order,
        purpose=step.purpose,
        rule=step.rule,
        action=step.action,
        state=step.state,
        role=step.role,
        resolved=step.resolved,
        agency=None if agency is None else _agency_view(agency, step.timezone),
        contacts=tuple(_contact_view(c) for c in step.contacts),
        basis=step.basis,
        agreement=step.agreement,
        requires_consent=step.requires_consent,
        nationality=step.nationality,
        missing=step.missing,
        notes=(*step.notes, *step.provenance),
        warnings=step.warnings,
        deferred=step.deferred,
        own_nationals=step.own_nationals,
        also=tuple(
            OtherAgencyView(
                state=other.state,
                agency=_agency_view(other.agency, other.timezone),
                contacts=tuple(_contact_view(c) for c in other.contacts),
                notes=other.notes,
                warnings=other.warnings,
            )
            for other in step.also
        ),
    )


def _contact_view(choice: ContactChoice) -> ContactChoiceView:
    contact = choice.contact
    return ContactChoiceView(
        id=contact.id,
        kind=contact.kind,
        name=contact.name or contact.title,
        languages=contact.languages,
        illustrative=contact.illustrative,
        stale=choice.stale_days is not None,
        channels=tuple(
            ChannelChoiceView(
                kind=ch.kind,
                value=ch.value,
                hours=ch.hours,
                available=ch.available,
                dialable=ch.dialable,
                next_available=(
                    None
                    if ch.next_available is None
                    else ch.next_available.isoformat(timespec="seconds")
                ),
            )
            for ch in choice.channels
        ),
    )


def _register() -> None:
    from cattrs.gen import make_dict_unstructure_fn, override

    from somnet._convert import json_converter

    shared = json_converter()
    shared.register_unstructure_hook(
        InterceptionView,
        make_dict_unstructure_fn(
            InterceptionView, shared, return_considered=override(rename="return")
        ),
    )


# When the class exists and before any view holding it can be written (``somnet.to_json`` of a
# plan's view included): cattrs makes a class's hook from the hooks of its fields' types as they
# are then.
_register()


def plan_json(plan: ContactPlan) -> dict[str, Any]:
    """``plan`` as its JSON contract."""
    from somnet._convert import to_json

    data: dict[str, Any] = to_json(plan_view(plan))
    return data


def step_json(step: Step) -> dict[str, Any]:
    """``step`` as a plan's JSON writes it (one of its ``steps``)."""
    from somnet._convert import to_json

    data: dict[str, Any] = to_json(_step_view(step))
    return data


def interception_json(interception: Interception) -> dict[str, Any]:
    """``interception`` as a plan's JSON writes it (its ``interception``)."""
    from somnet._convert import to_json

    data: dict[str, Any] = to_json(_interception_view(interception))
    return data
