"""The contact plan: its steps in order, each with the agency, the contacts and the channels
open at the time of contact, and the plan as JSON (docs/json.md)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from somnet.directory.records import (
    Agency,
    Agreement,
    Contact,
)
from somnet.routing.interception import Interception

if TYPE_CHECKING:
    from somnet.routing.asks import Mention


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


@attrs.frozen
class ChannelChoice:
    """A channel of a contact, and whether it is answered at the time of contact."""

    kind: str
    value: str
    available: bool
    #: When it is answered next (aware, in the agency's zone); None when available now.
    next_available: datetime | None
    always: bool
    #: The hours that apply to it as the data files write them (``Mo-Fr 09:00-17:00``,
    #: ``24/7``); empty when unknown.
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
class OtherAgency:
    """Another agency to call for the same step, reachable from the plan: the RCC of another
    SAR region that shares the coastal state's waters, or another candidate where the sources
    disagree on which RCC covers them (R1). ``notes`` say why it is there."""

    state: str
    agency: Agency
    contacts: tuple[ContactChoice, ...]
    timezone: str | None
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


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
    #: For a step the directory could not resolve: the warning that says what it lacks (no
    #: agency for the role, no consular post); None when resolved or when the interception
    #: lacks a fact (``missing``).
    unresolved_because: str | None = None
    #: Put off until asylum claims are decided: listed after the steps to take now.
    deferred: bool = False
    #: What a deferred step waits for: ``claims`` (the asylum claims to be decided) or
    #: ``nationalities`` (those aboard to be established: a referral of the claims to a
    #: landing state that may be their own country); None when it is not deferred.
    waits_for: str | None = None
    #: A landing (R15) of people who are all nationals of the landing state, at home there:
    #: it is asked to verify their nationality and to name the port, not to consent (under
    #: an agreement that provides for the landing, it is notified of it).
    own_nationals: bool = False
    #: Other agencies to call for the same step (``OtherAgency``), each with its contacts and
    #: channels; empty for most steps.
    also: tuple[OtherAgency, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The step as a contact plan's JSON writes it (one of its ``steps``, docs/json.md)."""
        from somnet.routing.views import step_json

        return step_json(self)


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
        """The plan as its JSON contract (docs/json.md), written by the one converter from the
        views of ``somnet.routing.views``."""
        from somnet.routing.views import plan_json

        return plan_json(self)
