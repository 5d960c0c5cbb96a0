"""What the directory commands print as JSON (docs/json.md), as view records written by the
one converter: an agency as an officer reads it (its zone and hours resolved, its contacts'
channels with the hours that apply), the validation summary, the staleness report, the
consular posts found for a nationality in a place, and what an export holds.

Each function builds the view a command prints; ``somnet.to_json`` writes any of them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import attrs

# Records the views hold, needed at run time by the converter that writes them.
from somnet._given import checked_kinds
from somnet.directory.records import Agency, Source, State

if TYPE_CHECKING:
    from somnet.directory.files import Replacement
    from somnet.directory.lookup import Directory
    from somnet.directory.records import Contact


@attrs.frozen
class ChannelView:
    """A channel; ``availability`` is the hours that apply to it (its own, else its
    contact's or agency's), empty when none is recorded."""

    kind: str
    value: str
    availability: str
    dialable: bool
    note: str | None


@attrs.frozen
class ContactView:
    """A contact of an agency as the commands print it: its channels with their hours."""

    id: str
    kind: str
    name: str | None
    title: str | None
    languages: tuple[str, ...]
    illustrative: bool
    sensitivity: str
    last_verified: date
    channels: tuple[ChannelView, ...]
    roles: tuple[str, ...]
    notes: tuple[str, ...]


@attrs.frozen
class AgencyView:
    """An agency with its zone, working hours and holiday subdivision resolved (its own, else
    those of the state it sits in)."""

    id: str
    state: str
    name: str
    name_en: str
    acronym: str | None
    roles: tuple[str, ...]
    covers: tuple[str, ...]
    located_in: str | None
    timezone: str | None
    working_hours: str | None
    #: The python-holidays subdivision whose public holidays close its office hours.
    holiday_subdivision: str | None
    status: str
    last_verified: date
    sources: tuple[Source, ...]
    notes: tuple[str, ...]
    contacts: tuple[ContactView, ...]
    parent: str | None
    primary_for: tuple[str, ...]


def agency_view(directory: Directory, agency: Agency) -> AgencyView:
    """``agency`` as the directory commands show it in JSON."""
    from somnet._given import a_directory, one_of_kind

    a_directory(directory)
    one_of_kind(agency, Agency, field="agency")
    hours = directory.agency_hours(agency)
    return AgencyView(
        id=agency.id,
        state=agency.state,
        name=agency.name,
        name_en=agency.name_en,
        acronym=agency.acronym,
        roles=agency.roles,
        covers=agency.covers,
        located_in=agency.located_in,
        timezone=directory.agency_timezone(agency),
        working_hours=str(hours) if hours else None,
        holiday_subdivision=directory.agency_holiday_subdivision(agency),
        status=agency.status,
        last_verified=agency.last_verified,
        sources=agency.sources,
        notes=agency.notes,
        contacts=tuple(_contact_view(directory, agency, c) for c in agency.contacts),
        parent=agency.parent,
        primary_for=agency.primary_for,
    )


def _contact_view(directory: Directory, agency: Agency, contact: Contact) -> ContactView:
    return ContactView(
        id=contact.id,
        kind=contact.kind,
        name=contact.name,
        title=contact.title,
        languages=contact.languages,
        illustrative=contact.illustrative,
        sensitivity=contact.sensitivity,
        last_verified=contact.last_verified,
        channels=tuple(
            ChannelView(
                kind=ch.kind,
                value=ch.value,
                availability=str(directory.channel_hours(agency, ch) or ""),
                dialable=ch.dialable,
                note=ch.note,
            )
            for ch in contact.channels
        ),
        roles=contact.roles,
        notes=contact.notes,
    )


@attrs.frozen
class PlaceView:
    """Where a record is: its file and its path in the file."""

    file: str
    path: str


@attrs.frozen
class ReplacementView:
    """A record a later layer replaced in an earlier one: where it was, and where it is."""

    kind: str
    id: str
    replaced: PlaceView
    by: PlaceView


@attrs.frozen
class FilledGapView:
    """A gap one layer records for a state's role that an agency of another layer holds."""

    state: str
    role: str
    gap: PlaceView
    agency: str
    by: PlaceView


@attrs.frozen
class ValidationView:
    """What ``directory validate`` found: the layers read, the counts, the replacements, the
    gaps of one layer an agency of another fills."""

    valid: bool
    layers: tuple[str, ...]
    states: int
    agencies: int
    contacts: int
    agreements: int
    consular_channels: int
    sar_regions: int
    replacements: tuple[ReplacementView, ...]
    filled_gaps: tuple[FilledGapView, ...]


def validation_view(directory: Directory, replaced: Sequence[Replacement]) -> ValidationView:
    """The summary of a directory that validated, with the records later layers replaced and
    the gaps of one layer an agency of another fills.

    Raises:
        BadInputError: ``replaced`` is not a list of ``Replacement`` (field ``replaced``).
    """
    from somnet._given import a_directory

    a_directory(directory)
    from somnet._given import items_of_kind
    from somnet.directory.files import Replacement

    replaced = items_of_kind(replaced, Replacement, field="replaced")
    agencies = directory.all_agencies()
    return ValidationView(
        valid=True,
        layers=tuple(str(p) for p in directory.layers),
        states=len(directory.states),
        agencies=len(agencies),
        contacts=sum(len(a.contacts) for a in agencies),
        agreements=len(directory.all_agreements()),
        consular_channels=len(directory.consular),
        sar_regions=len(directory.sar_regions),
        replacements=tuple(
            ReplacementView(
                kind=r.kind,
                id=r.id,
                replaced=PlaceView(file=r.replaced[0], path=r.replaced[1]),
                by=PlaceView(file=r.by[0], path=r.by[1]),
            )
            for r in replaced
        ),
        filled_gaps=tuple(
            FilledGapView(
                state=g.state,
                role=g.role,
                gap=PlaceView(file=g.gap[0], path=g.gap[1]),
                agency=g.agency,
                by=PlaceView(file=g.by[0], path=g.by[1]),
            )
            for g in directory.filled_gaps
        ),
    )


@attrs.frozen
class UnverifiedRecord:
    """A record not verified for longer than the limit; ``agency`` and ``illustrative`` are
    set for contacts only."""

    kind: str
    id: str
    state: str
    last_verified: date
    days: int
    agency: str | None
    illustrative: bool | None


@attrs.frozen
class OldEvidenceRecord:
    """A record whose newest evidence is older than the limit (``newest_evidence`` and
    ``years`` None: no source of it carries a date)."""

    kind: str
    id: str
    state: str
    newest_evidence: date | None
    years: int | None
    last_verified: date


@attrs.frozen
class UnverifiedSection:
    """The records not verified for more than ``days`` (``directory stale``)."""

    days: int
    records: tuple[UnverifiedRecord, ...]


@attrs.frozen
class OldEvidenceSection:
    """The records whose newest evidence is older than ``years`` (``directory stale``)."""

    years: int
    records: tuple[OldEvidenceRecord, ...]


@attrs.frozen
class StaleReport:
    """Both kinds of staleness of ``directory stale``, as of ``today``."""

    today: date
    unverified: UnverifiedSection
    old_evidence: OldEvidenceSection


def stale_report(
    directory: Directory, *, days: int, evidence_years: int, today: date
) -> StaleReport:
    """The records not verified for more than ``days`` days, and those whose newest evidence
    is more than ``evidence_years`` years old or undated, as of ``today``.

    Raises:
        BadInputError: a negative limit (field ``days`` or ``evidence_years``), a ``today``
            that is not a date (field ``today``).
    """
    from somnet._given import a_directory

    a_directory(directory)
    from somnet._convert import not_a_date
    from somnet._exceptions import BadInputError
    from somnet._i18n import _

    refusal = not_a_date(today)
    if refusal is not None:
        raise BadInputError(refusal, field="today", value=today)
    from somnet._numbers import check_whole

    if check_whole(days, field="days") < 0:
        raise BadInputError(
            _("{value}: days cannot be negative").format(value=days), field="days", value=days
        )
    if check_whole(evidence_years, field="evidence_years") < 0:
        raise BadInputError(
            _("{value}: years cannot be negative").format(value=evidence_years),
            field="evidence_years",
            value=evidence_years,
        )
    unverified = tuple(
        UnverifiedRecord(
            kind=r.kind,
            id=r.id,
            state=r.state,
            last_verified=r.last_verified,
            days=(today - r.last_verified).days,
            agency=r.agency,
            illustrative=r.illustrative,
        )
        for r in directory.unverified(days=days, today=today)
    )
    old = tuple(
        OldEvidenceRecord(
            kind=r.kind,
            id=r.id,
            state=r.state,
            newest_evidence=r.newest_evidence,
            years=None if r.newest_evidence is None else whole_years(r.newest_evidence, today),
            last_verified=r.last_verified,
        )
        for r in directory.old_evidence(years=evidence_years, today=today)
    )
    return StaleReport(
        today=today,
        unverified=UnverifiedSection(days=days, records=unverified),
        old_evidence=OldEvidenceSection(years=evidence_years, records=old),
    )


def whole_years(since: date, today: date) -> int:
    """Whole years from ``since`` to ``today``."""
    years = today.year - since.year
    return years - ((today.month, today.day) < (since.month, since.day))


@attrs.frozen
class DirectoryExport:
    """What ``directory export`` writes: the states and agencies chosen, each agency with the
    contacts that may leave the directory.

    Attributes:
        states: the states exported (one, or all the directory holds).
        agencies: the agencies exported; without ``include_restricted``, their restricted
            contacts are taken out (the agency's public facts stay).
        include_restricted: whether restricted contacts were kept.
        restricted: how many restricted contacts the selection holds: written when
            ``include_restricted``, else left out.
    """

    states: tuple[State, ...]
    agencies: tuple[Agency, ...]
    include_restricted: bool
    restricted: int


@checked_kinds()
def export_directory(
    directory: Directory, *, state: str | None = None, include_restricted: bool = False
) -> DirectoryExport:
    """The states and agencies an export writes: all of them, or with ``state`` (an ISO code,
    in any case) that state and the agencies serving it (its consulates abroad and the
    foreign missions and UN offices that cover it).

    A file exported is passed around: restricted contacts (``sensitivity = "restricted"``, a
    deployment's overlay) stay out of it unless ``include_restricted`` is true; ``restricted``
    counts them either way, so that the caller can say what was left out or written.

    Raises:
        UnknownCodeError: ``state`` is not an ISO 3166-1 alpha-2 code (field ``state``).
    """
    from somnet._given import a_directory

    a_directory(directory)
    agencies = directory.all_agencies()
    states = sorted(directory.states.items())
    if state is not None:
        from somnet._codes import state_code

        state = state_code(state, field="state", preferred=directory.states)
        agencies = [a for a in agencies if a.state == state or state in a.covers]
        states = [(code, s) for code, s in states if code == state]
    restricted = sum(c.sensitivity == "restricted" for a in agencies for c in a.contacts)
    if not include_restricted and restricted:
        agencies = [
            attrs.evolve(a, contacts=tuple(c for c in a.contacts if c.sensitivity != "restricted"))
            for a in agencies
        ]
    return DirectoryExport(
        states=tuple(s for _code, s in states),
        agencies=tuple(agencies),
        include_restricted=include_restricted,
        restricted=restricted,
    )
