"""The directory's records: states, agencies, contacts, channels, agreements, consular channels,
SAR regions. Frozen attrs classes, built from the data files by the loader's converter.

Field names are the keys of the TOML files (see data/README.md), so that a record reads the
same in a file and in code.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Literal, get_args

import attrs

from somnet._i18n import _
from somnet.directory.hours import WeeklyHours
from somnet.directory.reserved import is_placeholder

#: The agency roles (docs/data.md). Closed: a role outside it is a data error.
Role = Literal[
    "sar",
    "maritime-law-enforcement",
    "som-art8-authority",
    "ship-registry",
    "migration",
    "refugee-status",
    "child-protection",
    "anti-trafficking",
    "prosecution",
    "anti-corruption",
    "mla-central-authority",
    "foreign-affairs",
    "consular",
    "protection-partner",
    "migration-partner",
    "regional-coordination",
]
ROLES: frozenset[str] = frozenset(get_args(Role))

#: The ways to reach a contact.
ChannelKind = Literal[
    "phone", "mobile", "email", "fax", "vhf", "hf", "satphone", "secure-message", "web"
]
CHANNEL_KINDS: frozenset[str] = frozenset(get_args(ChannelKind))
#: Where an interception happens (UNCLOS zones, plus the high seas).
Zone = Literal["internal", "territorial", "archipelagic", "contiguous", "eez", "high-seas"]
ZONES: tuple[str, ...] = get_args(Zone)
#: Channel kinds whose value is a telephone number, validated as E.164.
PHONE_KINDS = frozenset({"phone", "mobile", "fax", "satphone"})

ContactKind = Literal["person", "desk", "duty"]
Sensitivity = Literal["public", "restricted"]
#: Whether a fact was confirmed from its sources or could not be (and must not be relied on).
Certainty = Literal["confirmed", "uncertain"]
AgreementKind = Literal["repatriation", "interdiction", "shiprider", "sar", "mou", "multilateral"]
AgreementStatus = Literal["in-force", "signed", "uncertain", "terminated"]
Boarding = Literal["none", "expedited", "pre-authorised"]
#: ``office``: a representation without diplomatic or consular status (a trade development
#: office where two states have no relations), the last channel before none.
MissionType = Literal["embassy", "consulate", "honorary", "concurrent", "office", "none"]
ProtocolParty = Literal["yes", "no", "uncertain"]
#: The maritime claims a state records, by field name (for ``MaritimeClaims.uncertain``).
ClaimName = Literal["territorial_sea_nm", "contiguous_zone_nm", "eez_nm", "archipelagic"]
#: Negative evidence, what a source can prove absent: the sending state's official list of its
#: missions abroad, or the receiving state's official list of the missions accredited to it.
NegativeEvidence = Literal["mission-list", "diplomatic-list"]


#: What every output that shows an illustrative contact says once.
ILLUSTRATIVE_NOTICE = _(
    "ILLUSTRATIVE contacts: the shipped directory's contact details are made up. Never dial or "
    "write to them; lay your restricted directory over it as an overlay."
)
#: The notice where overlays are laid: the officer has done what the notice above asks.
ILLUSTRATIVE_OVERLAID_NOTICE = _(
    "ILLUSTRATIVE contacts: the details marked illustrative are made up, and your overlays do "
    "not replace them. Never dial or write to them."
)


@attrs.frozen
class Source:
    """Where a fact comes from: a law, a treaty record, an official page.

    ``accessed`` is when someone read the source; ``published`` and ``as_of`` date the evidence
    itself, which is what says how old a fact may be.
    """

    title: str
    url: str | None = None
    accessed: date | None = None
    note: str | None = None
    #: The date of the document: a law, a press release, a treaty action, an article.
    published: date | None = None
    #: Without a publication date: the date the page says it was last updated, or on which it
    #: was seen stating the fact.
    as_of: date | None = None
    #: Set when the source is a list that proves a mission absent (see ``NegativeEvidence``).
    evidence: NegativeEvidence | None = None

    @property
    def evidence_date(self) -> date | None:
        """The newest of ``published`` and ``as_of``; None when the source is undated."""
        dated = [d for d in (self.published, self.as_of) if d is not None]
        return max(dated) if dated else None


@attrs.frozen
class Names:
    """A name in English, Spanish and French."""

    en: str
    es: str
    fr: str


@attrs.frozen
class MaritimeClaims:
    """Breadths of the maritime zones a state claims, in nautical miles from its baselines."""

    territorial_sea_nm: int
    archipelagic: bool
    sources: tuple[Source, ...]
    #: None when the state claims no contiguous zone (or EEZ).
    contiguous_zone_nm: int | None = None
    eez_nm: int | None = None
    status: Certainty = "confirmed"
    #: With ``status = "uncertain"``, the claims that are uncertain (all of them when empty):
    #: routing warns when it relies on one, or on the absence of one.
    uncertain: tuple[ClaimName, ...] = ()
    notes: tuple[str, ...] = ()

    def is_uncertain(self, claim: ClaimName) -> bool:
        """Whether a claim (or the absence of one) is recorded as uncertain."""
        return self.status != "confirmed" and (not self.uncertain or claim in self.uncertain)


#: The day the Protocol against the Smuggling of Migrants entered into force (art. 22(1)).
PROTOCOL_IN_FORCE = date(2004, 1, 28)
#: ``date`` by another name, for the methods of a record whose field is called ``date``.
_Day = date


@attrs.frozen
class ProtocolStatus:
    """Party status to the Protocol against the Smuggling of Migrants by Land, Sea and Air."""

    party: ProtocolParty
    sources: tuple[Source, ...]
    #: Date of ratification or accession, where known: the day the instrument was deposited,
    #: as the UN Treaty Collection records it. None for a succession, as for the refugee
    #: instruments (``RefugeeTreatyStatus.date``).
    date: date | None = None
    notes: tuple[str, ...] = ()

    def binding_from(self) -> _Day | None:
        """The first day the Protocol bound a party (art. 22): the Protocol's own entry into
        force for an instrument deposited before it, else the thirtieth day after the deposit.
        None for a state that is not a recorded party or whose date is not recorded."""
        if self.party != "yes" or self.date is None:
            return None
        return max(PROTOCOL_IN_FORCE, self.date + timedelta(days=30))


#: The 1951 Refugee Convention or its 1967 Protocol.
RefugeeInstrument = Literal["convention", "protocol"]

#: When each refugee instrument binds a party: the day it entered into force, and how long
#: after a later deposit it enters into force for the depositing state. The Convention entered
#: into force on the ninetieth day after the sixth deposit (art. 43(1)), 1954-04-22, and enters
#: into force for a later party on the ninetieth day after its own (art. 43(2)); the Protocol
#: entered into force on the day of the sixth deposit (art. VIII(1)), 1967-10-04, and enters
#: into force for a later party on the day of its own (art. VIII(2)).
REFUGEE_INSTRUMENTS_IN_FORCE: dict[RefugeeInstrument, tuple[date, timedelta]] = {
    "convention": (date(1954, 4, 22), timedelta(days=90)),
    "protocol": (date(1967, 10, 4), timedelta(days=0)),
}


def _check_day(day: object) -> None:
    """Refuse a ``day`` that is not a day (a time, a text), as routing would compare it.

    Raises:
        BadInputError: naming ``day``.
    """
    if day is not None and (isinstance(day, datetime) or not isinstance(day, date)):
        from somnet._convert import not_a_date
        from somnet._exceptions import BadInputError

        raise BadInputError(str(not_a_date(day)), field="day", value=day)


def _check_instrument(instrument: object) -> None:
    """Refuse what is not ``convention`` or ``protocol``.

    Raises:
        BadInputError: naming ``instrument``.
    """
    if instrument not in REFUGEE_INSTRUMENTS_IN_FORCE:
        from somnet._exceptions import BadInputError
        from somnet._i18n import shown

        raise BadInputError(
            _("{value} is not one of {items}").format(
                value=shown(instrument) if isinstance(instrument, str) else repr(instrument),
                items=", ".join(REFUGEE_INSTRUMENTS_IN_FORCE),
            ),
            field="instrument",
            value=instrument,
        )


@attrs.frozen
class RefugeeTreatyStatus:
    """Party status to the 1951 Convention relating to the Status of Refugees, or to its 1967
    Protocol, whose parties apply arts. 2-34 of the Convention (Protocol art. I(1)). For a
    territory, whether its sovereign extended the instrument to it."""

    party: ProtocolParty
    sources: tuple[Source, ...]
    #: Date of ratification or accession, where known: the day the instrument was deposited,
    #: as the UN Treaty Collection records it. None for a succession, whose state is a party
    #: from the date of the succession of States (Vienna Convention on Succession of States
    #: in respect of Treaties, art. 23(1)), not from its notification: docs/data.md.
    date: date | None = None
    notes: tuple[str, ...] = ()

    def binding_from(self, instrument: RefugeeInstrument) -> _Day | None:
        """The first day ``instrument`` bound a party (``REFUGEE_INSTRUMENTS_IN_FORCE``): its
        own entry into force for an instrument deposited before it, else the ninetieth day
        after the deposit (Convention art. 43(2)) or the day of the deposit (Protocol art.
        VIII(2)). None for a state that is not a recorded party or whose date is not
        recorded. A notification of succession would be read as a deposit: the data records
        none (docs/data.md), so a successor is a party on any day.

        Raises:
            BadInputError: an ``instrument`` that is neither (field ``instrument``).
        """
        _check_instrument(instrument)
        if self.party != "yes" or self.date is None:
            return None
        in_force, delay = REFUGEE_INSTRUMENTS_IN_FORCE[instrument]
        return max(in_force, self.date + delay)

    def party_on(self, instrument: RefugeeInstrument, day: _Day | None) -> ProtocolParty:
        """``party`` on ``day`` (as recorded when None): a party is not one before the
        instrument binds it (a party is a state for which the treaty is in force, Vienna
        Convention on the Law of Treaties art. 2(1)(g)); a party whose date is not recorded
        is one on any day.

        Raises:
            BadInputError: a ``day`` that is not a day (field ``day``), an ``instrument``
                that is neither (field ``instrument``).
        """
        _check_day(day)
        bound_from = self.binding_from(instrument)
        if day is not None and bound_from is not None and day < bound_from:
            return "no"
        return self.party


#: The treaties a plan's steps cite that the directory records the parties of, besides the SOM
#: Protocol and the refugee instruments: the State field that records each.
TreatyKey = Literal["unclos", "crc"]


@attrs.frozen
class TreatyStatus:
    """Party status to the United Nations Convention on the Law of the Sea (UNCLOS) or to the
    Convention on the Rights of the Child (CRC), as recorded. A territory records none: its
    sovereign's status is read for it (``Directory.treaty_status``)."""

    party: ProtocolParty
    sources: tuple[Source, ...]
    #: Date of ratification or accession, where it was read: the day the instrument was
    #: deposited, as the UN Treaty Collection records it. None where it was not read (the
    #: notes say what was).
    date: date | None = None
    notes: tuple[str, ...] = ()


@attrs.frozen
class MandatoryNotification:
    """Nationalities whose consular post a state must notify when it detains one of them,
    whether or not the person asks (bilateral consular conventions that go beyond VCCR art.
    36(1)(b), which leaves the choice to the person)."""

    nationalities: tuple[str, ...]
    sources: tuple[Source, ...]
    status: Certainty = "confirmed"
    notes: tuple[str, ...] = ()


#: The end of a sentence: a full stop after a small letter or a closing bracket, before a
#: capital ("art. 8(6)", "U.S. Coast Guard" and "No. 40" do not end one).
_SENTENCE_END = re.compile(r"(?<=[a-z)\]'])[.]\s+(?=[A-Z(])")


@attrs.frozen
class RoleGap:
    """Roles no agency of the directory holds for a state, and what was searched for them: the
    note an officer is shown when a step needs one of these roles."""

    roles: tuple[Role, ...]
    note: str

    @property
    def summary(self) -> str:
        """The note's first sentence: what an officer reads on a step the gap leaves
        unresolved (the rest says what was searched)."""
        match = _SENTENCE_END.search(self.note)
        return self.note if match is None else self.note[: match.start()] + "."


@attrs.frozen
class FilledGap:
    """A role one layer records as a gap of a state (``role_gaps``) and an agency of another
    layer holds for it: an overlay's agency filling a gap of the directory below it, or a gap
    an overlay copied that the directory below it now fills. Not loaded from a file: the
    loader finds it, and ``directory validate`` lists it. Plans use the agency; the gap's
    note is not shown. (Within one layer it is a warning instead: the layer contradicts
    itself.)

    Attributes:
        state: the state's code.
        role: the role.
        gap: the file and JSON path of the gap (``$.state.role_gaps[0]``).
        agency: the id of the agency that holds the role.
        by: the file and JSON path of that agency.
    """

    state: str
    role: str
    gap: tuple[str, str]
    agency: str
    by: tuple[str, str]


@attrs.frozen
class State:
    """A participating state or territory."""

    code: str
    names: Names
    timezones: tuple[str, ...]
    languages: tuple[str, ...]
    working_hours: WeeklyHours
    maritime: MaritimeClaims
    som_protocol: ProtocolStatus
    sources: tuple[Source, ...]
    last_verified: date
    #: Preferred meeting hours, a subset of the working hours; the working hours when absent.
    core_hours: WeeklyHours | None = None
    #: The contact who represents the state in regional coordination meetings.
    meeting_focal_point: str | None = None
    #: Subdivision used for public holidays (python-holidays code), where it matters.
    holiday_subdivision: str | None = None
    #: Whose nationals this state must report to their consulate when it detains them.
    mandatory_notification: MandatoryNotification | None = None
    #: For a territory, the state that answers for it in international law (GB for the
    #: Cayman Islands): its treaties, its flag and its consular protection. None for a state.
    sovereign: str | None = None
    notes: tuple[str, ...] = ()
    #: The roles of the vocabulary no agency holds for it, each gap with what was searched.
    role_gaps: tuple[RoleGap, ...] = ()
    #: Domains of the state's official bodies, each with its subdomains (``gov.jm``,
    #: ``jdfweb.com``): a source on one of them is official (data/README.md, "Sources").
    official_domains: tuple[str, ...] = ()
    #: Its status under the 1951 Refugee Convention and under the 1967 Protocol; None where
    #: the layer does not record it (read as uncertain).
    refugee_convention: RefugeeTreatyStatus | None = None
    refugee_protocol: RefugeeTreatyStatus | None = None
    #: Its status under UNCLOS and under the CRC; None where the layer does not record it
    #: (read as uncertain; for a territory, its sovereign's is read).
    unclos: TreatyStatus | None = None
    crc: TreatyStatus | None = None

    @property
    def timezone(self) -> str:
        """The state's main time zone (the first listed)."""
        return self.timezones[0]

    @property
    def refugee_treaty_party(self) -> ProtocolParty:
        """Whether art. 33 of the 1951 Convention binds it as a treaty, as recorded: ``yes``
        for a party to the Convention or to its 1967 Protocol (art. I(1)), ``no`` for a state
        recorded a party to neither, ``uncertain`` otherwise. ``refugee_treaty_party_on``
        reads it on a plan's day."""
        return self.refugee_treaty_party_on(None)

    def refugee_treaty_party_on(self, day: date | None) -> ProtocolParty:
        """``refugee_treaty_party`` on ``day`` (as recorded when None): a party to an
        instrument is read as not a party to it before the instrument binds it
        (``RefugeeTreatyStatus.party_on``), as the SOM Protocol is (``binding_from``).

        Raises:
            BadInputError: a ``day`` that is not a day (field ``day``).
        """
        _check_day(day)
        tables: tuple[tuple[RefugeeInstrument, RefugeeTreatyStatus | None], ...] = (
            ("convention", self.refugee_convention),
            ("protocol", self.refugee_protocol),
        )
        found = [
            "uncertain" if status is None else status.party_on(instrument, day)
            for instrument, status in tables
        ]
        if "yes" in found:
            return "yes"
        return "no" if found == ["no", "no"] else "uncertain"

    def gap_for(self, role: str) -> RoleGap | None:
        """The documented gap for ``role``, if the state records one."""
        return next((gap for gap in self.role_gaps if role in gap.roles), None)


@attrs.frozen
class Channel:
    """One way to reach a contact."""

    kind: ChannelKind
    value: str
    #: When the channel is answered, in the agency's time zone; the agency's hours when absent.
    availability: WeeklyHours | None = None
    note: str | None = None

    @property
    def telephone(self) -> bool:
        """Whether the channel is a telephone number (phone, mobile, fax, satphone)."""
        return self.kind in PHONE_KINDS

    @property
    def dialable(self) -> bool:
        """Whether the channel is a telephone number that can be dialled: false for a
        placeholder such as ``+509 XXXX 0101`` (and for channels that are not telephones).
        A number in a range reserved for fiction can be dialled, and rings no one."""
        return self.telephone and not is_placeholder(self.value)


@attrs.frozen
class Contact:
    """A person, a desk or a 24/7 duty post inside an agency."""

    id: str
    kind: ContactKind
    languages: tuple[str, ...]
    channels: tuple[Channel, ...]
    last_verified: date
    name: str | None = None
    title: str | None = None
    sensitivity: Sensitivity = "public"
    #: Made-up details for the shipped directory: never dial or write to them.
    illustrative: bool = False
    #: The agency roles this contact handles (a refugee desk in a migration department); all
    #: the agency's roles when empty.
    roles: tuple[Role, ...] = ()
    notes: tuple[str, ...] = ()


@attrs.frozen
class Agency:
    """An office with a mandate: coast guard, navy, RCC, migration authority, consulate..."""

    id: str
    state: str
    name: str
    name_en: str
    roles: tuple[Role, ...]
    sources: tuple[Source, ...]
    last_verified: date
    acronym: str | None = None
    parent: str | None = None
    #: States the agency serves besides its own (consulates, regional offices).
    covers: tuple[str, ...] = ()
    #: Where the office sits, when not in its own state (a mission abroad, a UN office).
    located_in: str | None = None
    #: The agency's time zone; by default the first of the state it sits in.
    timezone: str | None = None
    #: The python-holidays subdivision of the state it sits in whose public holidays close its
    #: office hours, where its seat keeps other holidays than that state's own
    #: ``holiday_subdivision`` (a consulate in Cayenne keeps French Guiana's, not Paris's).
    holiday_subdivision: str | None = None
    working_hours: WeeklyHours | None = None
    contacts: tuple[Contact, ...] = ()
    #: Roles for which this agency is the first to contact when several agencies of its state
    #: hold the role (the operational unit rather than its ministry).
    primary_for: tuple[Role, ...] = ()
    status: Certainty = "confirmed"
    notes: tuple[str, ...] = ()


@attrs.frozen
class Provisions:
    """What an agreement provides, as far as routing is concerned."""

    #: Boarding of the other parties' vessels: not provided, expedited reply, or pre-authorised.
    boarding: Boarding = "none"
    #: Parties whose officers the boarding provision benefits; all parties when empty.
    boarding_by: tuple[str, ...] = ()
    #: Parties whose vessels may enter the others' waters under the agreement (shiprider, pursuit).
    entry_by: tuple[str, ...] = ()
    #: Parties who may land the people they intercept in the other parties' territory under
    #: the agreement (a return arrangement): they notify rather than request consent.
    landing_by: tuple[str, ...] = ()
    #: A condition every provision above depends on ("a TCI shiprider is aboard"): routing puts
    #: it in the step itself.
    condition: str | None = None
    notification_hours: int | None = None
    return_days: int | None = None
    #: Nationalities covered (repatriation); all when empty.
    nationalities: tuple[str, ...] = ()
    #: Maritime zones covered; all when empty.
    zones: tuple[Zone, ...] = ()
    covers_migrant_smuggling: bool = True


@attrs.frozen
class Agreement:
    """A bilateral or regional instrument."""

    id: str
    title: str
    kind: AgreementKind
    parties: tuple[str, ...]
    status: AgreementStatus
    sources: tuple[Source, ...]
    last_verified: date
    signed: date | None = None
    in_force: date | None = None
    ended: date | None = None
    provides: Provisions = Provisions()
    #: Territories of a party to which the agreement was extended (a sovereign's agreement
    #: applies to a territory only when listed here, or when the territory is a party itself).
    extends_to: tuple[str, ...] = ()
    #: ``status = "in-force"`` inferred from the agreement being applied, not from a published
    #: instrument or record of its entry into force: routing applies it, with a warning.
    in_force_from_practice: bool = False
    notes: tuple[str, ...] = ()


@attrs.frozen
class ConsularChannel:
    """Which mission of a state serves its nationals in the receiving states.

    ``type = "none"`` records, explicitly, that no mission of the nationality covers them.
    """

    nationality: str
    receiving: tuple[str, ...]
    type: MissionType
    sources: tuple[Source, ...]
    last_verified: date
    mission: str | None = None
    #: The state whose missions protect these nationals, when not their own (the United
    #: Kingdom for Turks and Caicos Islanders).
    protecting_state: str | None = None
    #: The part of the receiving state the post serves (its consular district), where known.
    district: str | None = None
    #: The post that handles nationals landed from the sea in the receiving state (its district
    #: covers where people are usually landed): preferred over the others there.
    serves_landings: bool = False
    status: Certainty = "confirmed"
    notes: tuple[str, ...] = ()


@attrs.frozen
class SarRegion:
    """The search and rescue region of an RCC and the coastal states whose waters it covers."""

    id: str
    name: str
    rcc: str
    covers: tuple[str, ...]
    sources: tuple[Source, ...]
    last_verified: date
    status: Certainty = "confirmed"
    notes: tuple[str, ...] = ()


@attrs.frozen
class DirectoryFile:
    """What one data file may hold. Every file has this shape; the layout of data/ (one file a
    state, agreements.toml...) is a convention for people, not a rule for the loader.
    """

    state: State | None = None
    agencies: tuple[Agency, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    consular: tuple[ConsularChannel, ...] = ()
    sar_regions: tuple[SarRegion, ...] = ()
