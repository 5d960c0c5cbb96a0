"""The directory: every record, merged from its layers, with the indexes routing and meetings ask.

A Directory is built by the loader (``somnet.load_directory``) and never changes afterwards.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import attrs

from somnet._codes import is_state_code, state_code
from somnet._i18n import Message, _, available_languages
from somnet.directory.hours import WeeklyHours
from somnet.directory.records import (
    ILLUSTRATIVE_NOTICE,
    ILLUSTRATIVE_OVERLAID_NOTICE,
    Agency,
    Agreement,
    Channel,
    ConsularChannel,
    Contact,
    FilledGap,
    RefugeeTreatyStatus,
    SarRegion,
    Source,
    State,
    TreatyKey,
    TreatyStatus,
)

if TYPE_CHECKING:
    from somnet.sharing.installed import SyncedCopyWarning

#: Consular resolution order (rule R6): resident missions first, then concurrent
#: accreditation from a third state, then an honorary consul, then an office without consular
#: status (a trade office where there are no relations); "none" records no representation.
MISSION_PREFERENCE = {
    "embassy": 0,
    "consulate": 1,
    "concurrent": 2,
    "honorary": 3,
    "office": 4,
    "none": 9,
}


#: The records the staleness checks see. A state's maritime claims, its status under the
#: SOM Protocol and the refugee instruments and the nationalities it must notify whatever the
#: person's wish cite their own sources but share the state's ``last_verified``.
RecordKind = Literal[
    "state",
    "maritime-claims",
    "som-protocol",
    "refugee-convention",
    "refugee-protocol",
    "unclos",
    "crc",
    "mandatory-notification",
    "agency",
    "contact",
    "agreement",
    "consular",
    "sar-region",
]
_KIND_ORDER: tuple[RecordKind, ...] = (
    "state",
    "maritime-claims",
    "som-protocol",
    "refugee-convention",
    "refugee-protocol",
    "unclos",
    "crc",
    "mandatory-notification",
    "agency",
    "contact",
    "agreement",
    "consular",
    "sar-region",
)

#: The parts of a state's record verified with it.
_STATE_PARTS: tuple[RecordKind, ...] = (
    "maritime-claims",
    "som-protocol",
    "refugee-convention",
    "refugee-protocol",
    "unclos",
    "crc",
    "mandatory-notification",
)


@attrs.frozen
class DatedRecord:
    """A record as ``directory stale`` sees it: when it was verified and what it cites.

    ``state`` is the state it belongs to (the parties of an agreement, the states a SAR region
    covers, a consular channel's nationality, joined by commas). ``sources`` is None for a
    contact, which cites none; ``agency`` and ``illustrative`` are set for contacts only.
    """

    kind: RecordKind
    id: str
    state: str
    last_verified: date
    sources: tuple[Source, ...] | None = None
    agency: str | None = None
    illustrative: bool | None = None

    @property
    def verified_on_its_own(self) -> bool:
        """Whether the record has a ``last_verified`` of its own (not its state's)."""
        return self.kind not in _STATE_PARTS

    @property
    def newest_evidence(self) -> date | None:
        """The date of its newest dated source; None when no source is dated."""
        dated = [d for s in self.sources or () if (d := s.evidence_date) is not None]
        return max(dated) if dated else None


def primary_first(agencies: Iterable[Agency], role: str) -> list[Agency]:
    """``agencies`` with those marked primary for ``role`` first, in their order otherwise."""
    return sorted(agencies, key=lambda a: role not in a.primary_for)


class Directory:
    """The regional directory of states, agencies, contacts, agreements and channels.

    Attributes:
        layers: the folders it was merged from, first the base, then each overlay.
        warnings: what the loader noticed but did not refuse (an expired synced copy...).
        filled_gaps: the gaps of one layer (``role_gaps``) that an agency of another holds
            (``directory validate`` lists them; they are not warnings).
        validated_on: the day the loader validated it on (it accepts no date after that day);
            ``date.min`` for a directory not built by the loader.

    Every look-up that takes a state code reads it in any case and spacing (``ht``, `` HT``)
    and refuses one that names no state, with an ``UnknownCodeError`` (a ``BadInputError``)
    whose ``field`` is the parameter's name and whose ``reason`` suggests the codes meant:
    ``USA``, ``ZZ``, an empty text, a number. A state's ISO 3166-1 alpha-2 code that the
    directory does not hold is an answer, not an error: nothing is recorded for it (None, an
    empty list, False; ``sovereign_of`` answers the code itself, ``today_in`` the UTC date).
    None, where a caller has no code, finds nothing as such a code does (and, for the filters
    of ``agencies`` and ``agreements_of``, filters nothing).
    """

    def __init__(
        self,
        *,
        states: Iterable[State],
        agencies: Iterable[Agency],
        agreements: Iterable[Agreement],
        consular: Iterable[ConsularChannel],
        sar_regions: Iterable[SarRegion],
        layers: Iterable[Path] = (),
        warnings: Iterable[str] = (),
        filled_gaps: Iterable[FilledGap] = (),
        validated_on: date = date.min,
    ) -> None:
        self._states: dict[str, State] = {s.code: s for s in states}
        self._agencies: dict[str, Agency] = {a.id: a for a in agencies}
        self._agreements: dict[str, Agreement] = {a.id: a for a in agreements}
        self.consular: tuple[ConsularChannel, ...] = tuple(consular)
        self.sar_regions: tuple[SarRegion, ...] = tuple(sar_regions)
        self.layers = tuple(layers)
        # Tuples, as every record: a script that edits what it read leaves the directory whole.
        self.warnings: tuple[str, ...] = tuple(warnings)
        self.filled_gaps: tuple[FilledGap, ...] = tuple(filled_gaps)
        #: The day the loader validated it on (no date after it is accepted).
        self.validated_on = validated_on
        #: What concerns the synced copy the directory was read from (expired, missing): set by
        #: ``somnet.load_directory``; never cached.
        self.synced_copy_warnings: tuple[SyncedCopyWarning, ...] = ()
        #: Public holidays by (state, subdivision, year), looked up once (None: no calendar
        #: known).
        self._holidays: dict[tuple[str, str | None, int], dict[date, str] | None] = {}
        self._build_indexes()

    @property
    def states(self) -> Mapping[str, State]:
        """Every state the directory holds, by code: a read-only view, so that a script that
        edits what it read cannot change what the directory answers next."""
        return MappingProxyType(self._states)

    @property
    def illustrative_notice(self) -> Message:
        """What an output showing an illustrative contact says once: never to dial it, and,
        where no overlay is laid, to lay one (where one is, that the overlays do not replace
        the details marked illustrative: those may come from any layer)."""
        return ILLUSTRATIVE_OVERLAID_NOTICE if len(self.layers) > 1 else ILLUSTRATIVE_NOTICE

    def _build_indexes(self) -> None:
        """The indexes every question below is answered from, built once: a plan asks dozens
        of questions, and at global scale (10,000 agencies, 2,000 agreements) scanning and
        sorting every record for each would cost milliseconds."""
        self._contacts: dict[str, tuple[Agency, Contact]] = {}
        for agency in self._agencies.values():
            for contact in agency.contacts:
                self._contacts[contact.id] = (agency, contact)
        self._sorted_agencies = sorted(self._agencies.values(), key=lambda a: (a.state, a.id))
        # Oldest first: by signature, else entry into force; with neither date, last (an
        # agreement whose signature is not recorded is not the oldest).
        self._sorted_agreements = sorted(
            self._agreements.values(), key=lambda a: (a.signed or a.in_force or date.max, a.id)
        )
        # Agency pools are kept in the order ``agencies()`` returns (confirmed first, then by
        # id), so that a filtered pool needs no sorting. A role listed twice puts the agency in
        # a role pool twice, as filtering a list of the role's agencies always has.
        in_order = sorted(self._agencies.values(), key=_agency_order)
        self._by_role: dict[str | None, dict[str | None, list[Agency]]] = {}
        self._serving_role: dict[str | None, dict[str | None, list[Agency]]] = {}
        for agency in in_order:
            served = [
                s for s in dict.fromkeys((agency.state, *agency.covers)) if self._serves(agency, s)
            ]
            for role in (None, *agency.roles):
                self._by_role.setdefault(role, {}).setdefault(None, []).append(agency)
                self._by_role[role].setdefault(agency.state, []).append(agency)
                for state in served:
                    self._serving_role.setdefault(role, {}).setdefault(state, []).append(agency)
        by_party: dict[str, list[Agreement]] = {}
        for agreement in self._sorted_agreements:
            for party in dict.fromkeys(agreement.parties):
                by_party.setdefault(party, []).append(agreement)
        self._agreements_by_party = by_party
        consular: dict[tuple[str, str], list[ConsularChannel]] = {}
        for channel in self.consular:
            for receiving in dict.fromkeys(channel.receiving):
                consular.setdefault((channel.nationality, receiving), []).append(channel)
        self._consular = {
            key: sorted(
                found,
                key=lambda c: (
                    not c.serves_landings,
                    MISSION_PREFERENCE[c.type],
                    c.status != "confirmed",
                ),
            )
            for key, found in consular.items()
        }
        sar: dict[str, list[SarRegion]] = {}
        for region in self.sar_regions:
            for state in dict.fromkeys(region.covers):
                sar.setdefault(state, []).append(region)
        self._sar_regions = sar

    # The loader's cache keeps the records and the indexes built from them: pickle stores an
    # index as references to records it holds already, and reading them back costs less than
    # building them again. The cache key covers somnet's own code, so a cache is only ever read
    # by the code that wrote it: its indexes are always the ones this code asks.
    _RECORDS = (
        "_states",
        "_agencies",
        "_agreements",
        "consular",
        "sar_regions",
        "layers",
        "filled_gaps",
        "validated_on",
    )
    _INDEXES = (
        "_contacts",
        "_sorted_agencies",
        "_sorted_agreements",
        "_by_role",
        "_serving_role",
        "_agreements_by_party",
        "_consular",
        "_sar_regions",
    )

    def __getstate__(self) -> dict[str, object]:
        state = {name: getattr(self, name) for name in (*self._RECORDS, *self._INDEXES)}
        state["warnings"] = self.warnings
        state["_holidays"] = self._holidays
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self._holidays = {}
        self.__dict__.update(state)
        self.synced_copy_warnings = ()
        if any(name not in state for name in self._INDEXES):
            self._build_indexes()

    # Records by id ---------------------------------------------------------------------

    def state(self, code: str) -> State | None:
        """The state with this ISO code (in either case), or None when the directory does not
        hold it.

        Raises:
            UnknownCodeError: ``code`` is not an ISO 3166-1 alpha-2 code (field ``code``), as
                every look-up that takes a state code refuses it.
        """
        return self._states.get(_code(code, "code", self._states))

    def today_in(self, code: str | None, now: datetime | None = None) -> date:
        """The date on a state's clock (its first time zone) at ``now`` (default: the clock),
        or the UTC date when no state is given or the directory does not hold it: the date a
        contact plan acting for that state is made on."""
        from somnet._time import now_in

        state = None if code is None else self._states.get(_code(code, "code", self._states))
        return now_in(state.timezone if state else None, now).date()

    def agency(self, agency_id: str) -> Agency | None:
        """The agency with this id, or None."""
        return self._agencies.get(agency_id)

    def contact(self, contact_id: str) -> tuple[Agency, Contact] | None:
        """The contact with this id and the agency it belongs to, or None."""
        return self._contacts.get(contact_id)

    def agreement(self, agreement_id: str) -> Agreement | None:
        """The agreement with this id, or None."""
        return self._agreements.get(agreement_id)

    def all_agencies(self) -> list[Agency]:
        """Every agency, in a stable order (state, then id)."""
        return list(self._sorted_agencies)

    def all_agreements(self) -> list[Agreement]:
        """Every agreement, oldest first."""
        return list(self._sorted_agreements)

    def contacts(self) -> Iterator[tuple[Agency, Contact]]:
        """Every contact with its agency, in a stable order."""
        for agency in self.all_agencies():
            for contact in agency.contacts:
                yield agency, contact

    # The questions routing and meetings ask ---------------------------------------------

    def agencies(
        self, *, state: str | None = None, role: str | None = None, serving: str | None = None
    ) -> list[Agency]:
        """Agencies filtered by their own state, a role, and the state they serve.

        Args:
            state: the agency's own state (a consulate of Haiti has state HT).
            role: one of the roles vocabulary.
            serving: a state the agency serves: its own state when it sits there, or a state
                it ``covers`` (a consulate, a regional UN office).
        """
        # Confirmed agencies before uncertain ones, then by id for stable output: every pool is
        # kept in that order, so that the answer is a pool, or a pool filtered.
        if role is not None:
            from somnet._numbers import check_text

            check_text(role, field="role")  # a list of roles would fail as unhashable
        pools = self._by_role.get(role or None, {})
        state = None if state is None else _code(state, "state", self._states)
        if serving is not None:
            serving = _code(serving, "serving", self._states)
            pool = self._serving_role.get(role or None, {}).get(serving, [])
            if state is None:
                return list(pool)
            return [a for a in pool if a.state == state]
        return list(pools.get(state, []))

    @staticmethod
    def serves(agency: Agency, state: str) -> bool:
        """Whether the agency serves ``state``."""
        # The codes the agency names need no other check: every other one is looked up in ISO.
        named = dict.fromkeys((agency.state, *agency.covers))
        return Directory._serves(agency, _code(state, "state", named))

    @staticmethod
    def _serves(agency: Agency, state: str) -> bool:
        """``serves`` for a code read as the records hold it (the indexes ask it of theirs)."""
        if state in agency.covers:
            return True
        return agency.state == state and agency.located_in in (None, state)

    def consular_channels(self, *, nationality: str, receiving: str) -> list[ConsularChannel]:
        """How nationals of ``nationality`` reach their consular mission in ``receiving``.

        Returns the channels best first: the post that handles landings where the data names
        one, then resident embassies and consulates, concurrent accreditation, honorary consuls;
        a record of type ``none`` states that no mission covering ``receiving`` was found.
        Empty when the directory is silent.
        """
        key = (
            _code(nationality, "nationality", self._states),
            _code(receiving, "receiving", self._states),
        )
        return list(self._consular.get(key, []))

    def sovereign_of(self, code: str) -> str:
        """The state that answers for ``code`` in international law: its sovereign when it is
        a territory (GB for KY), else itself."""
        code = _code(code, "code", self._states)
        state = self._states.get(code)
        return state.sovereign if state is not None and state.sovereign else code

    def treaty_status(self, code: str, treaty: TreatyKey) -> TreatyStatus | None:
        """``code``'s recorded status under ``treaty`` (``unclos``, ``crc``): its own where
        its file records one, else its sovereign's (a territory's treaties are its
        sovereign's); None where neither is recorded."""
        code = _code(code, "code", self._states)
        state = self._states.get(code)
        own = getattr(state, treaty) if state is not None else None
        if own is not None or state is None or not state.sovereign:
            return own
        sovereign = self._states.get(state.sovereign)
        return getattr(sovereign, treaty) if sovereign is not None else None

    def same_state(self, first: str | None, second: str | None) -> bool:
        """Whether two codes are one state in international law (a territory and its
        sovereign, or two territories of one sovereign)."""
        if first is None or second is None:
            return False
        first, second = _code(first, "first", self._states), _code(second, "second", self._states)
        return first == second or self.sovereign_of(first) == self.sovereign_of(second)

    def foreign_ministry(self, code: str) -> Agency | None:
        """The foreign ministry that answers for ``code``'s nationals where no consular post
        serves them: for a territory's people its sovereign's, which protects them (a
        governor's office conducting a territory's external affairs is not a consular
        channel), and only if the directory holds none, the territory's own; at home, never a
        mission abroad. None when the directory holds neither."""
        code = _code(code, "code", self._states)
        for state in dict.fromkeys((self.sovereign_of(code), code)):
            found = self.at_home(state, "foreign-affairs")
            if found:
                return found[0]
        return None

    def at_home(self, state: str, role: str) -> list[Agency]:
        """``state``'s agencies with ``role`` that sit in it (not its missions abroad), the one
        marked primary for the role first."""
        state = _code(state, "state", self._states)
        return primary_first(
            [a for a in self.agencies(state=state, role=role) if a.located_in in (None, state)],
            role,
        )

    def notification_mandatory(self, detaining: str, nationality: str) -> State | None:
        """The state whose duty it is, when ``detaining`` must notify ``nationality``'s
        consular post of a detained national whatever the person's wish; else None.

        A territory detains with its sovereign's duties, and a territory's nationals are
        covered by their sovereign's entry in the list. A confirmed list is taken before an
        uncertain one (a territory's own, not read, does not hide its sovereign's).

        None means no duty recorded: for a state the directory does not hold, nothing is.

        Raises:
            UnknownCodeError: a code that is not ISO 3166-1 alpha-2 (``USA``), naming
                ``detaining`` or ``nationality``: it is never read as "no duty".
        """
        detaining, nationality = (
            _code(detaining, "detaining", self._states),
            _code(nationality, "nationality", self._states),
        )
        found: list[State] = []
        for code in dict.fromkeys((detaining, self.sovereign_of(detaining))):
            state = self._states.get(code)
            rule = state.mandatory_notification if state is not None else None
            if (
                state is not None
                and rule is not None
                and (
                    nationality in rule.nationalities
                    or self.sovereign_of(nationality) in rule.nationalities
                )
            ):
                found.append(state)
        # min() takes the first of equals: the territory's own when both are confirmed.
        return min(found, key=_unconfirmed_duty) if found else None

    def agreements_between(
        self, first: str, second: str, *, kind: str | None = None, extended: bool = False
    ) -> list[Agreement]:
        """Agreements to which both states are parties, optionally of one kind, oldest first.

        With ``extended``, also those binding them through a sovereign: an agreement of a
        territory's sovereign that is extended to the territory (its ``extends_to``), as
        routing applies them."""
        first, second = _code(first, "first", self._states), _code(second, "second", self._states)
        if extended:
            found: dict[str, Agreement] = {}
            for x in dict.fromkeys((first, self.sovereign_of(first))):
                for y in dict.fromkeys((second, self.sovereign_of(second))):
                    if x == y:
                        continue
                    for agreement in self.agreements_between(x, y, kind=kind):
                        if (x == first or first in agreement.extends_to) and (
                            y == second or second in agreement.extends_to
                        ):
                            found.setdefault(agreement.id, agreement)
            return [a for a in self._sorted_agreements if a.id in found]
        pool = min(
            self._agreements_by_party.get(first, []),
            self._agreements_by_party.get(second, []),
            key=len,
        )
        return [
            a
            for a in pool
            if first in a.parties and second in a.parties and (kind is None or a.kind == kind)
        ]

    def agreements_of(
        self, state: str | None = None, kind: str | None = None, *, extended: bool = False
    ) -> list[Agreement]:
        """Agreements a state is party to (all when None), optionally of one kind, oldest
        first; with ``extended``, also its sovereign's agreements extended to it."""
        state = None if state is None else _code(state, "state", self._states)
        pool = (
            self._sorted_agreements if state is None else self._agreements_by_party.get(state, [])
        )
        if extended and state is not None and self.sovereign_of(state) != state:
            sovereign = self._agreements_by_party.get(self.sovereign_of(state), [])
            ids = {a.id for a in pool} | {a.id for a in sovereign if state in a.extends_to}
            pool = [a for a in self._sorted_agreements if a.id in ids]
        return [a for a in pool if kind is None or a.kind == kind]

    def rccs_for(self, state: str) -> list[Agency]:
        """The RCCs whose SAR region covers the waters of ``state``, confirmed regions first."""
        regions = sorted(
            self._sar_regions.get(_code(state, "state", self._states), []),
            key=lambda r: (r.status != "confirmed", r.id),
        )
        found = [self._agencies[r.rcc] for r in regions if r.rcc in self._agencies]
        return list(dict.fromkeys(found))

    def sar_regions_for(self, state: str) -> list[SarRegion]:
        """The SAR regions covering the waters of ``state``."""
        return list(self._sar_regions.get(_code(state, "state", self._states), []))

    # Time zones and hours ----------------------------------------------------------------

    def agency_timezone(self, agency: Agency) -> str:
        """The IANA zone an agency keeps its hours in: its own, else where it sits, else its
        state's."""
        if agency.timezone:
            return agency.timezone
        for code in (agency.located_in, agency.state):
            state = self._states.get(code) if code else None
            if state is not None:
                return state.timezone
        return "UTC"  # the loader refuses such an agency; kept total for type checkers

    def agency_hours(self, agency: Agency) -> WeeklyHours | None:
        """The agency's working hours: its own, else those of the state it sits in; None
        (unknown) for a post abroad in a place the directory holds no file of, whose office
        week and hours are that place's, not its sending state's."""
        if agency.working_hours is not None:
            return agency.working_hours
        seat = agency.located_in or agency.state
        state = self._states.get(seat)
        return state.working_hours if state is not None else None

    def channel_hours(self, agency: Agency, channel: Channel) -> WeeklyHours | None:
        """When a channel is answered: its own availability, else the agency's hours."""
        return channel.availability or self.agency_hours(agency)

    def public_holidays(self, code: str | None, year: int) -> Mapping[date, str] | None:
        """The public holidays of ``code`` in ``year`` (observed days included, its
        ``holiday_subdivision`` applied), by local date.

        Args:
            code: the state, held by the directory or not.
            year: a year a local date may fall in when somnet reads the time (1970-9999: a
                time of 1971-9998 in UTC, as a contact plan's, is on a local day of the year
                before or after at the edges).

        Returns:
            The holidays, read-only (the directory keeps them for every plan); None when
            python-holidays has no calendar for the state, or none for
            that year (before the state's calendar begins, or after it ends: no holiday would
            be listed, read as a year without any).

        Raises:
            UnknownCodeError: ``code`` names no state (field ``code``).
            BadInputError: ``year`` is not a whole number (a bool, a text, a float), or is
                outside 1970-9999 (field ``year``).
        """
        code = _code(code, "code", self._states)
        _check_year(year)
        if code is None:  # no code: found nowhere, as every look-up answers it
            return None
        state = self._states.get(code)
        return self._calendar(code, state.holiday_subdivision if state else None, year)

    def agency_holiday_subdivision(self, agency: Agency) -> str | None:
        """The python-holidays subdivision whose public holidays close the agency's office
        hours: its own ``holiday_subdivision``, else that of the state it sits in."""
        if agency.holiday_subdivision is not None:
            return agency.holiday_subdivision
        state = self._states.get(agency.located_in or agency.state)
        return state.holiday_subdivision if state is not None else None

    def agency_holidays(self, agency: Agency, year: int) -> Mapping[date, str] | None:
        """The public holidays its office hours are closed on in ``year``: those of the
        place it sits in (``located_in``, else its state), of the subdivision
        ``agency_holiday_subdivision`` names, as ``public_holidays`` gives them.

        Raises:
            BadInputError: ``year`` is not a whole number, or is outside 1970-9999 (field
                ``year``).
        """
        _check_year(year)
        seat = agency.located_in or agency.state
        return self._calendar(seat, self.agency_holiday_subdivision(agency), year)

    def _calendar(self, code: str, subdivision: str | None, year: int) -> Mapping[date, str] | None:
        """``public_holidays`` of a state's subdivision, looked up once."""
        key = (code, subdivision, year)
        if key not in self._holidays:
            from somnet.directory.hours import public_holidays

            self._holidays[key] = public_holidays(code, subdivision, year)
        found = self._holidays[key]
        # Read-only: a script that edits what it read must not change every later plan's days.
        return None if found is None else MappingProxyType(found)

    def look_up_holidays(self, years: Iterable[int]) -> None:
        """Look up now the public holidays of every place an agency sits in (of the
        subdivision it keeps there), for ``years``: a directory cached after this answers
        contact plans for those years without python-holidays."""
        calendars = {
            (agency.located_in or agency.state, self.agency_holiday_subdivision(agency))
            for agency in self._agencies.values()
        }
        for code, subdivision in sorted(calendars, key=lambda c: (c[0], c[1] or "")):
            for year in years:
                self._calendar(code, subdivision, year)

    # Look-ups for people -----------------------------------------------------------------

    def search(self, text: str) -> list[Agency]:
        """Agencies whose name, English name, acronym, id or role contains ``text``, and those
        with a contact whose name, title or e-mail address does. Case, accents, the form of an
        apostrophe, hyphens and runs of spaces do not count: "mexico" finds "México",
        "d'haiti" finds "d’Haïti", "refugee status" finds the role ``refugee-status``. A role
        is also found by its name in every language somnet speaks ("statut de réfugié"),
        whichever is in use.

        ``text`` written as a telephone number (digits, at least four, with spaces, hyphens,
        dots, slashes or brackets, after an optional "+") also finds the agencies with a
        contact whose number it is, however it is written: "+1 242 555 0100", "(242)
        555-0100", "12425550100", or its end, "555-0100" (phonenumbers compares them).

        Raises:
            BadInputError: ``text`` is not text (None, bytes, a number), naming ``text``.
        """
        from somnet._numbers import check_text

        needle = _folded(check_text(text, field="text"))
        if not needle:
            return []
        is_number = _telephone_matcher(text)
        languages = available_languages()
        found = []
        for agency in self.all_agencies():
            haystack = [agency.id, agency.name, agency.name_en, agency.acronym or ""]
            haystack += [c.name or "" for c in agency.contacts]
            haystack += [c.title or "" for c in agency.contacts]
            channels = [channel for contact in agency.contacts for channel in contact.channels]
            haystack += [channel.value for channel in channels if channel.kind == "email"]
            if (
                any(needle in _folded(field) for field in haystack)
                or any(
                    needle in words
                    for role in agency.roles
                    for words in _role_words(role, languages)
                )
                or (
                    is_number is not None
                    and any(is_number(c.value) for c in channels if c.dialable)
                )
            ):
                found.append(agency)
        return found

    def stale_contacts(self, *, days: int, today: date) -> list[tuple[Agency, Contact]]:
        """Contacts whose ``last_verified`` is more than ``days`` days before ``today``."""
        _check_day(today, "today")
        limit = days_before(today, days)
        return [(a, c) for a, c in self.contacts() if c.last_verified < limit]

    def dated_records(self) -> list[DatedRecord]:
        """Every record that carries a ``last_verified`` or cites sources, in a stable order:
        states (with their maritime claims, SOM Protocol status and, where recorded, their
        status under the refugee instruments and the nationalities they must notify whatever
        the person's wish), agencies, contacts, agreements, consular
        channels, SAR regions."""
        found: list[DatedRecord] = []
        for code in sorted(self._states):
            state = self._states[code]
            verified = state.last_verified
            found.append(DatedRecord("state", code, code, verified, state.sources))
            found.append(
                DatedRecord("maritime-claims", code, code, verified, state.maritime.sources)
            )
            found.append(
                DatedRecord("som-protocol", code, code, verified, state.som_protocol.sources)
            )
            refugee_tables: tuple[tuple[RecordKind, RefugeeTreatyStatus | None], ...] = (
                ("refugee-convention", state.refugee_convention),
                ("refugee-protocol", state.refugee_protocol),
            )
            for kind, status in refugee_tables:
                if status is not None:
                    found.append(DatedRecord(kind, code, code, verified, status.sources))
            treaty_tables: tuple[tuple[RecordKind, TreatyStatus | None], ...] = (
                ("unclos", state.unclos),
                ("crc", state.crc),
            )
            for kind, treaty in treaty_tables:
                if treaty is not None:
                    found.append(DatedRecord(kind, code, code, verified, treaty.sources))
            if state.mandatory_notification is not None:
                found.append(
                    DatedRecord(
                        "mandatory-notification",
                        code,
                        code,
                        verified,
                        state.mandatory_notification.sources,
                    )
                )
        for agency in self.all_agencies():
            found.append(
                DatedRecord("agency", agency.id, agency.state, agency.last_verified, agency.sources)
            )
        for agency, contact in self.contacts():
            found.append(
                DatedRecord(
                    "contact",
                    contact.id,
                    agency.state,
                    contact.last_verified,
                    agency=agency.id,
                    illustrative=contact.illustrative,
                )
            )
        for agreement in self.all_agreements():
            parties = ",".join(agreement.parties)
            found.append(
                DatedRecord(
                    "agreement", agreement.id, parties, agreement.last_verified, agreement.sources
                )
            )
        for channel in self.consular:
            what = channel.mission or channel.type
            record_id = f"{channel.nationality}->{','.join(channel.receiving)}/{what}"
            found.append(
                DatedRecord(
                    "consular",
                    record_id,
                    channel.nationality,
                    channel.last_verified,
                    channel.sources,
                )
            )
        for region in self.sar_regions:
            found.append(
                DatedRecord(
                    "sar-region",
                    region.id,
                    ",".join(region.covers),
                    region.last_verified,
                    region.sources,
                )
            )
        return found

    def unverified(self, *, days: int, today: date) -> list[DatedRecord]:
        """Records whose ``last_verified`` is more than ``days`` days before ``today``, the
        oldest first (every kind with a ``last_verified`` of its own, contacts included)."""
        _check_day(today, "today")
        limit = days_before(today, days)
        found = [
            r for r in self.dated_records() if r.verified_on_its_own and r.last_verified < limit
        ]
        return sorted(found, key=lambda r: (r.last_verified, _KIND_ORDER.index(r.kind), r.id))

    def old_evidence(self, *, years: int, today: date) -> list[DatedRecord]:
        """Records that cite sources whose newest evidence (``published`` or ``as_of``) is more
        than ``years`` years before ``today``, and those whose sources carry no date at all:
        the undated first, then the oldest evidence first."""
        _check_day(today, "today")
        limit = years_before(today, years)
        found = [
            r
            for r in self.dated_records()
            if r.sources is not None and ((newest := r.newest_evidence) is None or newest < limit)
        ]
        return sorted(
            found,
            key=lambda r: (
                r.newest_evidence is not None,
                r.newest_evidence or date.min,
                _KIND_ORDER.index(r.kind),
                r.id,
            ),
        )


def _check_year(year: object) -> None:
    """Refuse a ``year`` given to a look-up that is not a whole number, or outside the years a
    local date may fall in when somnet reads the time (a year either side of the years it reads
    times in: 1971-01-01 00:30 UTC is 31 December 1970 in the Caribbean, and the next opening
    after 9998-12-31 23:00 there is in 9999).

    Raises:
        BadInputError: naming the field ``year``.
    """
    from somnet._exceptions import BadInputError
    from somnet._i18n import _
    from somnet._numbers import check_whole
    from somnet._time import MAX_YEAR, MIN_YEAR

    first, last = MIN_YEAR - 1, MAX_YEAR + 1
    if not first <= check_whole(year, field="year") <= last:
        raise BadInputError(
            _("{value} is outside the years {min_year}-{max_year}").format(
                value=year, min_year=first, max_year=last
            ),
            field="year",
            value=year,
        )


#: Apostrophes as typeset or typed, all read as the one on the keyboard; dashes as hyphens.
_AS_TYPED = str.maketrans(
    {**dict.fromkeys("\u2019\u2018\u02bc\u00b4\u0060", "'"), **dict.fromkeys("\u2010\u2011", "-")}
)


def _code(code: str | None, field: str, held: Mapping[str, object]) -> Any:
    """A state code as the records hold it (``HT``), written as a library user may pass it
    (``ht``, `` HT ``): every look-up reads it so, as an interception reads the codes given.

    Args:
        code: the code given.
        field: the look-up's parameter that gave it, for the error.
        held: the directory's states (a code they hold needs no other check).

    Raises:
        UnknownCodeError: ``code`` is not an ISO 3166-1 alpha-2 code (``USA``, ``ZZ``, ``""``,
            not text), naming ``field``; a code that names a state is never refused, whether
            or not the directory holds it. None, where a caller has no code (the acting state
            when none is configured), is left as it is: found nowhere.
    """
    if code is None:
        return code
    if isinstance(code, str):
        cleaned = code.strip().upper()
        if cleaned in held or is_state_code(cleaned):
            return cleaned
    return state_code(code, field=field, preferred=sorted(held))


def _folded(text: str) -> str:
    """``text`` as search compares it: without accents (a keyboard may have none) nor
    characters shown as nothing (a zero-width space, a soft hyphen, a word joiner, pasted with
    a name), case folded, one kind of apostrophe, hyphens as spaces, single spaces."""
    if text.isascii():  # most names: nothing to take off
        return " ".join(text.casefold().replace("`", "'").replace("-", " ").split())
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.translate(_AS_TYPED))
    bare = "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    return " ".join(bare.casefold().replace("-", " ").split())


#: Text written as a telephone number: digits (of any script: phonenumbers reads them all),
#: spaces, hyphens, dots, slashes and brackets, after an optional "+".
_TELEPHONE_TEXT = re.compile(r"\+?[\d\s().\-/]+")
#: The fewest digits a search reads as (the end of) a telephone number: fewer would find every
#: number that ends with a channel's "16" or a year.
_TELEPHONE_DIGITS = 4


def _telephone_matcher(text: str) -> Callable[[str], bool] | None:
    """When ``text`` is written as a telephone number, whether a directory number (E.164) is
    that number or ends with it; else None.

    phonenumbers compares them (``is_number_match``): a country code given must be the same,
    a number without one is read in the country of the number it is compared with (its trunk
    prefix, its international prefix), and a number's end matches the whole number.
    """
    written = text.strip()
    if not _TELEPHONE_TEXT.fullmatch(written):
        return None
    import phonenumbers

    digits = phonenumbers.normalize_digits_only(written)
    if len(digits) < _TELEPHONE_DIGITS:
        return None
    same = {
        phonenumbers.MatchType.EXACT_MATCH,
        phonenumbers.MatchType.NSN_MATCH,
        phonenumbers.MatchType.SHORT_NSN_MATCH,
    }
    last = digits[-_TELEPHONE_DIGITS:]

    def is_number(value: str) -> bool:
        # Numbers that do not end in the same digits are none of those matches: the cheap test
        # first, as a directory holds a hundred thousand numbers at global scale.
        if not phonenumbers.normalize_digits_only(value).endswith(last):
            return False
        return phonenumbers.is_number_match(value, written) in same

    return is_number


@functools.cache
def _role_words(role: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    """A role as search compares it: its code and its name in each of ``languages`` (those
    somnet speaks: a part of the key, so that a change of catalogs is never served from an
    earlier answer)."""
    from somnet._terms import term

    name = term("role", role)
    return tuple(
        dict.fromkeys([_folded(role), *(_folded(name.localized(code)) for code in languages)])
    )


def _agency_order(agency: Agency) -> tuple[bool, str]:
    return (agency.status != "confirmed", agency.id)


def years_before(day: date, years: int) -> date:
    """The same day ``years`` years before ``day`` (28 February for 29 February); the first
    representable date for absurd limits.

    Raises:
        BadInputError: ``day`` is not a date (field ``day``), or ``years`` not a whole number
            (field ``years``).
    """
    _check_day(day, "day")
    _check_count(years, "years")
    year = day.year - years
    if year < date.min.year:
        return date.min
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=year, day=28)


def days_before(day: date, days: int) -> date:
    """The date ``days`` days before ``day``; the first representable date for absurd limits.

    Raises:
        BadInputError: ``day`` is not a date (field ``day``), or ``days`` not a whole number
            (field ``days``).
    """
    _check_day(day, "day")
    _check_count(days, "days")
    try:
        return day - timedelta(days=days)
    except OverflowError:
        return date.min


def _check_day(day: object, field: str) -> None:
    """Refuse a day that is not a date (a time, a text), naming ``field``. A contact plan asks
    it: the converter that tells the kind of a value (``not_a_date``) is not loaded for it."""
    if isinstance(day, datetime) or not isinstance(day, date):
        from somnet._exceptions import BadInputError

        raise BadInputError(
            _("expected a date like 2026-01-31, got {describe}").format(describe=repr(day)[:40]),
            field=field,
            value=day,
        )


def _check_count(count: object, field: str) -> None:
    """Refuse a number of days or years that is not a whole number, naming ``field``."""
    from somnet._numbers import check_whole

    check_whole(count, field=field)


def _unconfirmed_duty(state: State) -> bool:
    """Sorts a state whose mandatory-notification list is confirmed first."""
    rule = state.mandatory_notification
    return rule is None or rule.status != "confirmed"
