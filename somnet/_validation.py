"""What the types alone cannot check: codes, zones, languages, phone numbers, e-mail syntax,
dates, the roles vocabulary, and references between records.

Each check returns problems as ``FILE: $.path: what is wrong`` and never stops at the first.
"""

from __future__ import annotations

import itertools
import re
import zoneinfo
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import PurePath
from types import ModuleType
from typing import TYPE_CHECKING

from somnet._codes import is_language_tag, is_state_code
from somnet._interception import ZONES
from somnet._model import (
    CHANNEL_KINDS,
    PHONE_KINDS,
    ROLES,
    Agency,
    Agreement,
    Contact,
    Source,
    State,
)

if TYPE_CHECKING:
    from somnet._loading import Merged

_ID = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
# Syntax only (no DNS): one @, a dotted domain, no spaces or angle brackets.
_EMAIL = re.compile(
    r"^[^@\s<>(),;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


def is_email_address(value: str) -> bool:
    """Whether ``value`` is an e-mail address by its syntax alone (no DNS look-up)."""
    return _EMAIL.fullmatch(value) is not None


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_timezone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone known to this machine (or to tzdata)."""
    return name in _zones()


def phone_problem(value: str) -> str | None:
    """Why ``value`` is not a valid telephone number in E.164 form, or None when it is."""
    if _plainly_valid_e164(value):
        return None
    phonenumbers = _phonenumbers()

    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        return f"{value!r} is not a telephone number in E.164 form (+CCNNN...): {exc._msg}"
    if not phonenumbers.is_valid_number(number):
        return f"{value!r} is not a valid telephone number for its country code"
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if e164 != value:
        return f"{value!r} must be written in E.164 form: {e164}"
    return None


_E164_SHAPE = re.compile(r"\+[1-9][0-9]{2,19}")


@cache
def _phonenumbers() -> ModuleType:
    import phonenumbers

    # A directory's numbers span many regions, whose metadata patterns outnumber the slots of
    # re's own cache: without phonenumbers' cache of compiled patterns, they are looked up
    # again and again (a fifth of the time of a check at global scale).
    enable_pattern_cache = getattr(phonenumbers, "enable_pattern_cache", None)
    if enable_pattern_cache is not None:
        enable_pattern_cache()
    return phonenumbers


def _plainly_valid_e164(value: str) -> bool:
    """Whether ``value`` is a number phonenumbers holds valid, already written in E.164 form.

    The common case, decided without ``phonenumbers.parse``: parsing handles any way of writing
    a number and costs more than half of a check, and a directory holds a hundred thousand
    numbers at global scale. Only values that parsing could not change qualify: "+", the
    country code parsing would read (the first one to three digits that form one), and a
    national number without a leading zero that the region's national prefix does not match
    (parsing strips such a prefix). The number is then exactly what parsing would produce, so
    validity is the same; anything else returns False and takes the full path, which also
    words the problem.
    """
    if not _E164_SHAPE.fullmatch(value):
        return False
    phonenumbers = _phonenumbers()
    digits = value[1:]
    for length in (1, 2, 3):
        country_code = int(digits[:length])
        if country_code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return False
    national = digits[length:]
    if national.startswith("0") or not 2 <= len(national) <= 17:
        return False
    region = phonenumbers.region_code_for_country_code(country_code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    if metadata is None:
        return False
    prefix = metadata.national_prefix_for_parsing
    if prefix and re.compile(prefix).match(national):
        return False
    number = phonenumbers.PhoneNumber(country_code=country_code, national_number=int(national))
    return bool(phonenumbers.is_valid_number(number))


class _Checker:
    def __init__(self, merged: Merged, today: date) -> None:
        self.merged = merged
        self.today = today
        self.problems: list[str] = []
        # Answers per value: a directory repeats numbers (a switchboard behind many desks).
        self._phones: dict[str, str | None] = {}
        self._contact_owners: dict[str, Agency] = {}

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def dangling(self, where: str, target: str, message: str) -> None:
        """A reference to a record that does not exist; silent when the record exists but was
        left out for problems of its own, which are reported already."""
        from somnet._loading import OPAQUE

        if target not in self.merged.broken and OPAQUE not in self.merged.broken:
            self.add(where, message)

    def code(self, where: str, value: str | None) -> None:
        if value is not None and not is_state_code(value):
            self.add(where, f"{value!r} is not an ISO 3166-1 alpha-2 state code (upper case)")

    def codes(self, where: str, values: Iterable[str]) -> None:
        for i, value in enumerate(values):
            self.code(f"{where}[{i}]", value)

    def languages(self, where: str, values: tuple[str, ...]) -> None:
        if not values:
            self.add(where, "at least one language is needed (BCP 47, e.g. 'es')")
        for i, tag in enumerate(values):
            if not is_language_tag(tag):
                self.add(f"{where}[{i}]", f"{tag!r} is not a BCP 47 language tag such as 'es'")

    def timezone(self, where: str, value: str | None) -> None:
        if value is not None and not is_timezone(value):
            self.add(where, f"{value!r} is not an IANA time zone such as 'America/Nassau'")

    def verified(self, where: str, value: date) -> None:
        if value > self.today:
            self.add(
                where,
                f"{value.isoformat()} is in the future (it is {self.today} at the latest, "
                "anywhere on Earth)",
            )

    def sources(self, where: str, values: tuple[Source, ...]) -> None:
        if not values:
            self.add(where, "at least one source is needed for an institutional fact")
        for i, source in enumerate(values):
            if not source.title.strip():
                self.add(f"{where}[{i}].title", "a source needs a title")
            if source.url is not None and not source.url.startswith(("https://", "http://")):
                self.add(f"{where}[{i}].url", f"{source.url!r} is not an http(s) address")

    def ident(self, where: str, value: str) -> None:
        if not _ID.match(value):
            self.add(where, f"{value!r} is not an id: lower-case letters, digits, '-' and '.'")

    # Records -------------------------------------------------------------------------------

    def run(self) -> list[str]:
        # Contact ids are unique across the merged directory: an overlay agency may not reuse a
        # contact id that an agency kept from another layer holds.
        owners: dict[str, str] = {}
        for agency, label, path in self.merged.agencies.values():
            for j, contact in enumerate(agency.contacts):
                where = f"{label}: {path}.contacts[{j}].id"
                if contact.id in owners and owners[contact.id] != where:
                    self.add(
                        where, f"duplicate id {contact.id!r}, already used at {owners[contact.id]}"
                    )
                owners.setdefault(contact.id, where)
                self._contact_owners.setdefault(contact.id, agency)
        for state, label, path in self.merged.states.values():
            self.state(state, f"{label}: {path}", label)
        for agency, label, path in self.merged.agencies.values():
            self.agency(agency, f"{label}: {path}")
        for agreement, label, path in self.merged.agreements.values():
            self.agreement(agreement, f"{label}: {path}")
        for channel, label, path in self.merged.consular.values():
            where = f"{label}: {path}"
            self.code(f"{where}.nationality", channel.nationality)
            if not channel.receiving:
                self.add(f"{where}.receiving", "at least one receiving state is needed")
            self.codes(f"{where}.receiving", channel.receiving)
            self.sources(f"{where}.sources", channel.sources)
            self.verified(f"{where}.last_verified", channel.last_verified)
            if channel.type == "none":
                if channel.mission is not None:
                    self.add(f"{where}.mission", "type 'none' records no mission; remove it")
            elif channel.mission is None:
                self.add(f"{where}.mission", f"a {channel.type} needs the mission's agency id")
            else:
                self.mission(
                    f"{where}.mission",
                    channel.mission,
                    channel.protecting_state or channel.nationality,
                )
            self.code(f"{where}.protecting_state", channel.protecting_state)
        for region, label, path in self.merged.sar_regions.values():
            where = f"{label}: {path}"
            self.ident(f"{where}.id", region.id)
            self.codes(f"{where}.covers", region.covers)
            self.sources(f"{where}.sources", region.sources)
            self.verified(f"{where}.last_verified", region.last_verified)
            rcc = self.merged.agencies.get(region.rcc)
            if rcc is None:
                self.dangling(f"{where}.rcc", region.rcc, f"no agency has id {region.rcc!r}")
            elif "sar" not in rcc[0].roles:
                self.add(f"{where}.rcc", f"agency {region.rcc!r} does not have the role 'sar'")
        return self.problems

    def state(self, state: State, where: str, label: str) -> None:
        self.code(f"{where}.code", state.code)
        stem = PurePath(label).stem
        if PurePath(label).parent.name == "states" and stem != state.code:
            self.add(f"{where}.code", f"{state.code!r} is filed in {stem}.toml; use one name")
        if not state.timezones:
            self.add(f"{where}.timezones", "at least one IANA time zone is needed")
        for i, zone in enumerate(state.timezones):
            self.timezone(f"{where}.timezones[{i}]", zone)
        self.languages(f"{where}.languages", state.languages)
        self.sources(f"{where}.sources", state.sources)
        self.sources(f"{where}.maritime.sources", state.maritime.sources)
        self.sources(f"{where}.som_protocol.sources", state.som_protocol.sources)
        self.verified(f"{where}.last_verified", state.last_verified)
        if state.som_protocol.date is not None and state.som_protocol.date > self.today:
            self.add(f"{where}.som_protocol.date", "is in the future")
        claims = state.maritime
        if claims.territorial_sea_nm <= 0 or claims.territorial_sea_nm > 12:
            self.add(f"{where}.maritime.territorial_sea_nm", "must be 1 to 12 (UNCLOS art. 3)")
        if claims.contiguous_zone_nm is not None and not (
            claims.territorial_sea_nm < claims.contiguous_zone_nm <= 24
        ):
            self.add(
                f"{where}.maritime.contiguous_zone_nm",
                "must be beyond the territorial sea and at most 24 (UNCLOS art. 33)",
            )
        if claims.eez_nm is not None and not (0 < claims.eez_nm <= 200):
            self.add(f"{where}.maritime.eez_nm", "must be at most 200 (UNCLOS art. 57)")
        if state.holiday_subdivision is not None:
            # Checked here, not when planning a meeting, where a typo would only silence the
            # holiday check. holidays is imported only for a state that names a subdivision.
            import holidays

            known = holidays.list_supported_countries().get(state.code, [])
            if state.holiday_subdivision not in known:
                self.add(
                    f"{where}.holiday_subdivision",
                    f"{state.holiday_subdivision!r} is not a python-holidays subdivision of "
                    f"{state.code}"
                    + (f"; it knows {', '.join(known)}" if known else "; it knows none"),
                )
        if state.meeting_focal_point is not None:
            found = self._contact_owner(state.meeting_focal_point)
            if found is None:
                self.dangling(
                    f"{where}.meeting_focal_point",
                    state.meeting_focal_point,
                    f"no contact has id {state.meeting_focal_point!r}",
                )

    def _contact_owner(self, contact_id: str) -> Agency | None:
        # Collected by run() first: scanning every agency for each state's focal point would
        # be quadratic at global scale.
        return self._contact_owners.get(contact_id)

    def agency(self, agency: Agency, where: str) -> None:
        self.ident(f"{where}.id", agency.id)
        self.code(f"{where}.state", agency.state)
        self.code(f"{where}.located_in", agency.located_in)
        self.codes(f"{where}.covers", agency.covers)
        self.timezone(f"{where}.timezone", agency.timezone)
        if not agency.roles:
            self.add(f"{where}.roles", "at least one role is needed")
        for i, role in enumerate(agency.roles):
            if role not in ROLES:
                self.add(
                    f"{where}.roles[{i}]",
                    f"{role!r} is not a role; the roles are {', '.join(sorted(ROLES))}",
                )
        self.sources(f"{where}.sources", agency.sources)
        self.verified(f"{where}.last_verified", agency.last_verified)
        if agency.parent is not None:
            if agency.parent not in self.merged.agencies:
                self.dangling(
                    f"{where}.parent", agency.parent, f"no agency has id {agency.parent!r}"
                )
            elif agency.parent == agency.id:
                self.add(f"{where}.parent", "an agency cannot be its own parent")
        # A state left out for its own problems counts as held: its problems are reported.
        held = any(
            code in self.merged.states or code in self.merged.broken
            for code in (agency.located_in, agency.state)
            if code
        )
        if agency.working_hours is None and not held:
            # Without hours a channel could not say whether it is answered now.
            self.add(
                f"{where}.working_hours",
                "needed: the directory holds neither the agency's state nor where it sits",
            )
        if agency.timezone is None and not held:
            self.add(
                f"{where}.timezone",
                "needed: the directory holds neither the agency's state nor where it sits",
            )
        for i, role in enumerate(agency.primary_for):
            if role not in agency.roles:
                self.add(f"{where}.primary_for[{i}]", f"{role!r} is not one of the agency's roles")
        for i, contact in enumerate(agency.contacts):
            self.contact(contact, f"{where}.contacts[{i}]")
            for j, role in enumerate(contact.roles):
                if role not in agency.roles:
                    self.add(
                        f"{where}.contacts[{i}].roles[{j}]",
                        f"{role!r} is not one of the agency's roles ({', '.join(agency.roles)})",
                    )

    def contact(self, contact: Contact, where: str) -> None:
        self.ident(f"{where}.id", contact.id)
        self.languages(f"{where}.languages", contact.languages)
        self.verified(f"{where}.last_verified", contact.last_verified)
        if not contact.channels:
            self.add(f"{where}.channels", "a contact needs at least one channel")
        if contact.kind == "person" and not contact.name:
            self.add(f"{where}.name", "a person needs a name")
        for i, channel in enumerate(contact.channels):
            at = f"{where}.channels[{i}]"
            if channel.kind not in CHANNEL_KINDS:
                self.add(
                    f"{at}.kind",
                    f"{channel.kind!r} is not a channel kind; "
                    f"use {', '.join(sorted(CHANNEL_KINDS))}",
                )
            elif channel.kind in PHONE_KINDS:
                if channel.value in self._phones:
                    problem = self._phones[channel.value]
                else:
                    problem = self._phones[channel.value] = phone_problem(channel.value)
                if problem:
                    self.add(f"{at}.value", problem)
            elif channel.kind == "email" and not is_email_address(channel.value):
                self.add(f"{at}.value", f"{channel.value!r} is not an e-mail address")
            elif channel.kind == "web" and not channel.value.startswith(("https://", "http://")):
                self.add(f"{at}.value", f"{channel.value!r} is not an http(s) address")
            elif not channel.value.strip():
                self.add(f"{at}.value", "is empty")

    def agreement(self, agreement: Agreement, where: str) -> None:
        self.ident(f"{where}.id", agreement.id)
        self.codes(f"{where}.parties", agreement.parties)
        if len(agreement.parties) < 2:
            self.add(f"{where}.parties", "an agreement needs at least two parties")
        if agreement.kind != "multilateral":
            for i, party in enumerate(agreement.parties):
                if is_state_code(party) and party not in self.merged.states:
                    self.dangling(
                        f"{where}.parties[{i}]", party, f"the directory holds no state {party!r}"
                    )
        self.sources(f"{where}.sources", agreement.sources)
        self.verified(f"{where}.last_verified", agreement.last_verified)
        dates = [(n, getattr(agreement, n)) for n in ("signed", "in_force", "ended")]
        known = [(n, d) for n, d in dates if d is not None]
        for (n1, d1), (n2, d2) in itertools.pairwise(known):
            if d2 < d1:
                self.add(f"{where}.{n2}", f"{d2} is before {n1.replace('_', ' ')} {d1}")
        if agreement.status == "terminated" and agreement.ended is None:
            self.add(f"{where}.ended", "a terminated agreement needs the date it ended")
        if agreement.status == "in-force" and agreement.ended is not None:
            self.add(f"{where}.status", "an agreement that ended is not in force")
        provides = agreement.provides
        for field in ("boarding_by", "entry_by"):
            for i, party in enumerate(getattr(provides, field)):
                if party not in agreement.parties:
                    self.add(f"{where}.provides.{field}[{i}]", f"{party!r} is not a party")
        self.codes(f"{where}.provides.nationalities", provides.nationalities)
        for i, zone in enumerate(provides.zones):
            if zone not in ZONES:
                self.add(
                    f"{where}.provides.zones[{i}]", f"{zone!r} is not one of {', '.join(ZONES)}"
                )
        for field in ("notification_hours", "return_days"):
            value = getattr(provides, field)
            if value is not None and value <= 0:
                self.add(f"{where}.provides.{field}", "must be a positive number")

    def mission(self, where: str, mission_id: str, nationality: str) -> None:
        found = self.merged.agencies.get(mission_id)
        if found is None:
            self.dangling(where, mission_id, f"no agency has id {mission_id!r}")
            return
        mission = found[0]
        if "consular" not in mission.roles:
            self.add(where, f"agency {mission_id!r} does not have the role 'consular'")
        if mission.state != nationality:
            self.add(where, f"agency {mission_id!r} belongs to {mission.state}, not {nationality}")


def validate(merged: Merged, *, today: date) -> list[str]:
    """Every problem in merged records that their types alone do not catch."""
    return _Checker(merged, today).run()
