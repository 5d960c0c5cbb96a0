"""What the types alone cannot check: codes, zones, languages, phone numbers, e-mail syntax,
dates, the roles vocabulary, and references between records.

Each check returns problems as ``FILE: $.path: what is wrong`` and never stops at the first. A
reference that a later layer broke (an overlay's agency replacing the RCC a shipped SAR region
names, without the role 'sar') names the later layer's record too: its maintainer can act.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import PurePath
from types import ModuleType
from typing import TYPE_CHECKING

from somnet._codes import is_language_tag, is_state_code
from somnet._i18n import _, shown
from somnet._time import zone_refusal
from somnet.directory.evidence import host_of, invisible_character, is_http_address, is_tertiary
from somnet.directory.files import CONTROL_CHARACTERS, located
from somnet.directory.records import (
    PHONE_KINDS,
    Agency,
    Agreement,
    ConsularChannel,
    Contact,
    FilledGap,
    RefugeeTreatyStatus,
    Source,
    State,
    TreatyStatus,
)
from somnet.directory.reserved import (
    is_fiction_number,
    is_placeholder,
    is_reserved_address,
    placeholder_problem,
)

if TYPE_CHECKING:
    from somnet.directory.files import Merged

#: The earliest date of evidence: a source's dates, the day a record was checked.
EARLIEST_EVIDENCE = date(1900, 1, 1)

_ID = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
#: The longest deadlines an agreement may give: notice of a year (the shipped ones give 72 and
#: 168 hours), a return within ten years (15 and 21 days). Beyond, a typo.
MAX_DEADLINES = {"notification_hours": 8760, "return_days": 3660}
#: The longest e-mail address SMTP delivers to (RFC 5321, 4.5.3.1.3: a path of 256 octets, its
#: angle brackets included).
MAX_EMAIL_CHARS = 254
#: The longest id: the shipped ones are of at most 44 characters.
MAX_ID_CHARS = 64
_DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")
# Syntax only (no DNS): one @, a dotted domain, no spaces or angle brackets.
_EMAIL = re.compile(
    r"^[^@\s<>(),;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


#: A secure-message channel's value that is a telephone number: a '+' and a digit first.
_MESSENGER_NUMBER = re.compile(r"\+\d")


def is_email_address(value: str) -> bool:
    """Whether ``value`` is an e-mail address by its syntax alone (no DNS look-up)."""
    return _EMAIL.fullmatch(value) is not None


def phone_problem(value: str) -> str | None:
    """Why ``value`` is not a valid telephone number in E.164 form, or None when it is."""
    if _plainly_valid_e164(value):
        return None
    phonenumbers = _phonenumbers()

    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        return _("{value} is not a telephone number in E.164 form (+CCNNN...): {reason}").format(
            value=shown(value), reason=_parse_reason(exc.error_type)
        )
    if not phonenumbers.is_valid_number(number):
        return _("{value} is not a valid telephone number for its country code").format(
            value=shown(value)
        )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if e164 != value:
        return _("{value} must be written in E.164 form: {e164}").format(
            value=shown(value), e164=e164
        )
    return None


def _parse_reason(error_type: int) -> str:
    """Why phonenumbers could not read a number, by its public error type (its own text is
    English, and private)."""
    phonenumbers = _phonenumbers()
    errors = phonenumbers.NumberParseException
    reasons = {
        errors.INVALID_COUNTRY_CODE: _("no valid country calling code after the +"),
        errors.NOT_A_NUMBER: _("not a telephone number"),
        errors.TOO_SHORT_AFTER_IDD: _("too short after the international prefix"),
        errors.TOO_SHORT_NSN: _("too short"),
        errors.TOO_LONG: _("too long"),
    }
    return reasons.get(error_type, _("not a telephone number"))


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
        #: What is suspicious but not refused (two unrelated agencies sharing a number).
        self.warnings: list[str] = []
        #: Gaps of one layer that an agency of another fills (not warnings: see role_gaps).
        self.filled_gaps: list[FilledGap] = []
        # Answers per value: a directory repeats numbers (a switchboard behind many desks).
        self._phones: dict[str, str | None] = {}
        self._contact_owners: dict[str, Agency] = {}
        #: The records that replace one of an earlier layer, by file and path.
        self._replacing = {replacement.by for replacement in merged.replacements}
        #: Every dated citation of each source url in each layer: where, its published and
        #: as_of dates (see one_date_a_document).
        self._citations: dict[tuple[int, str], list[tuple[str, date | None, date | None]]] = {}

    def add(self, where: str, message: str) -> None:
        self.problems.append(_("{where}: {message}").format(where=located(where), message=message))

    def referred(
        self,
        where: str,
        name: str,
        record: tuple[object, str, str] | None,
        *,
        dropped: bool = False,
    ) -> str:
        """``name`` of a record that the record at ``where`` refers to, as a problem of the
        reference words it: with the place of that record when a later layer than ``where``'s
        gave it (an overlay that replaced it, or added it; or, ``dropped``, that left it out),
        which caused the problem. The record at ``where`` may be one the officer cannot change
        (the shipped directory): the problem names what the overlay's maintainer can fix.

        ``record`` is the merged record with its file and path (for ``dropped``, the record
        that left it out).
        """
        if record is None:
            return name
        _record, label, path = record
        if self._layer(label) <= self._layer(where):
            return name
        at = located(f"{label}: {path}")
        if dropped:
            return _("{name} (dropped by {record})").format(name=name, record=at)
        if (label, path) in self._replacing:
            return _("{name} (replaced by {record})").format(name=name, record=at)
        return _("{name} (added by {record})").format(name=name, record=at)

    def dangling(self, where: str, target: str, message: str) -> None:
        """A reference to a record that does not exist; silent when the record exists but was
        left out for problems of its own, which are reported already."""
        from somnet.directory.files import OPAQUE

        if target not in self.merged.broken and OPAQUE not in self.merged.broken:
            self.add(where, message)

    def code(self, where: str, value: str | None) -> None:
        if value is not None and not is_state_code(value):
            self.add(
                where,
                _("{repr} is not an ISO 3166-1 alpha-2 state code (upper case)").format(
                    repr=shown(value)
                ),
            )

    def codes(self, where: str, values: Iterable[str]) -> None:
        values = list(values)
        for i, value in enumerate(values):
            self.code(f"{where}[{i}]", value)
        self.once(where, values)

    def once(self, where: str, values: Iterable[str]) -> None:
        """Each value of a list once: a repeat is a typo more often than not ("US", "US" for
        "US", "BS": two parties counted where there is one)."""
        seen: set[str] = set()
        for i, value in enumerate(values):
            if value in seen:
                self.add(
                    f"{where}[{i}]",
                    _("{repr} is listed already").format(repr=shown(value)),
                )
            seen.add(value)

    def languages(self, where: str, values: tuple[str, ...]) -> None:
        if not values:
            self.add(where, _("at least one language is needed (BCP 47, e.g. 'es')"))
        self.once(where, values)
        for i, tag in enumerate(values):
            if not is_language_tag(tag):
                self.add(
                    f"{where}[{i}]",
                    _("{repr} is not a BCP 47 language tag such as 'es'").format(repr=shown(tag)),
                )

    def timezone(self, where: str, value: str | None) -> None:
        """An office's zone: a place's (``zone_refusal``); an alias, a fixed offset or UTC
        would read its hours an hour off half the year, or name no place."""
        refusal = None if value is None else zone_refusal(value, ("place",))
        if refusal is not None:
            self.add(where, refusal)

    def verified(self, where: str, value: date) -> None:
        """Refuse a date after the latest date on Earth: ``last_verified``, a source's dates.
        Told so, not as "today": the publisher's today may be a day earlier. Refuse one before
        1900 too: nothing the directory cites was published, read or checked then, and such a
        year is a typo for a later one (1899 for 1999)."""
        if value < EARLIEST_EVIDENCE:
            self.add(
                where,
                _("{value} is before {year}: a typo for a later year?").format(
                    value=value.isoformat(), year=EARLIEST_EVIDENCE.year
                ),
            )
        elif value > self.today:
            self.add(
                where,
                _(
                    "{value} is in the future (it is {today} at the latest, anywhere on Earth)"
                ).format(value=value.isoformat(), today=self.today),
            )

    def checked_after_its_evidence(
        self, where: str, verified: date, sources: tuple[Source, ...]
    ) -> None:
        """Refuse a record's ``last_verified`` (at ``where``) before the newest date of
        evidence of its ``sources`` (``published``, ``as_of``): it cannot have been checked
        against a document that did not exist yet, and ``directory stale`` would count it as
        checked since. Dates out of range are told as such, once."""
        if not EARLIEST_EVIDENCE <= verified <= self.today:
            return
        newest = max(
            (
                (day, i, field)
                for i, source in enumerate(sources)
                for field in ("published", "as_of")
                if (day := getattr(source, field)) is not None and verified < day <= self.today
            ),
            default=None,
        )
        if newest is not None:
            day, i, field = newest
            record = where.rpartition(": $")[2].rpartition(".")[0]
            self.add(
                where,
                _(
                    "{value} is before {field} = {date} of {source}: a record is checked "
                    "against evidence that exists; give the day it was last checked"
                ).format(
                    value=verified.isoformat(),
                    field=field,
                    date=day.isoformat(),
                    source=f"${record}.sources[{i}]",
                ),
            )

    def sources(
        self, where: str, values: tuple[Source, ...], *, confirmed: str | None = None
    ) -> None:
        """A record's sources. ``confirmed``, for a record that asserts its fact, says how to
        mark it doubtful instead (empty when it cannot be): such a record needs a source with a
        url, and one that is not an encyclopaedia mirror or a directory site."""
        if not values:
            self.add(where, _("at least one source is needed for an institutional fact"))
        elif confirmed is not None:
            urls = [s.url for s in values if s.url]
            if not urls:
                self.add(
                    where,
                    _(
                        "a confirmed record needs a source with a url (an official page, a "
                        "treaty record, a gazette, an article): add one, or mark it {confirmed}"
                    ).format(confirmed=confirmed)
                    if confirmed
                    else _(
                        "a confirmed record needs a source with a url (an official page, a "
                        "treaty record, a gazette, an article): add one"
                    ),
                )
            elif len(urls) == len(values) and all(is_tertiary(u) for u in urls):
                hosts = ", ".join(sorted({host_of(u) for u in urls}))
                self.add(
                    where,
                    _(
                        "rests only on encyclopaedia mirrors or directory sites ({hosts}): being "
                        "confirmed needs an official or primary source, or two independent "
                        "secondary ones; mark it {confirmed}"
                    ).format(hosts=hosts, confirmed=confirmed)
                    if confirmed
                    else _(
                        "rests only on encyclopaedia mirrors or directory sites ({hosts}): being "
                        "confirmed needs an official or primary source, or two independent "
                        "secondary ones"
                    ).format(hosts=hosts),
                )
        cited: dict[str, int] = {}
        for i, source in enumerate(values):
            if not source.title.strip():
                self.add(f"{where}[{i}].title", _("a source needs a title"))
            if source.url is not None and cited.setdefault(source.url, i) != i:
                # One document counted as two, whose titles and dates drift apart.
                self.add(
                    f"{where}[{i}].url",
                    _("{url} is cited already at {first}: cite a document once").format(
                        url=shown(source.url),
                        first=f"${where.rpartition(': $')[2]}[{cited[source.url]}]",
                    ),
                )
            if (
                source.url is not None
                and not is_http_address(source.url)
                # A control character is named where the file is read, once.
                and not CONTROL_CHARACTERS.search(source.url)
            ):
                self.add(
                    f"{where}[{i}].url",
                    _("{repr} is not an http(s) address").format(repr=shown(source.url)),
                )
            for field in ("published", "as_of", "accessed"):
                day = getattr(source, field)
                if day is not None:
                    self.verified(f"{where}[{i}].{field}", day)
            for field in ("published", "as_of"):
                day = getattr(source, field)
                # A date in the future is told as such above, once.
                if (
                    source.accessed is not None
                    and day is not None
                    and EARLIEST_EVIDENCE <= source.accessed < day <= self.today
                ):
                    self.add(
                        f"{where}[{i}].accessed",
                        _(
                            "{accessed} is before {field} = {date}: a document is read after it "
                            "exists"
                        ).format(accessed=source.accessed, field=field, date=day),
                    )
                    break
            if source.url is not None and (source.published or source.as_of) is not None:
                self._citations.setdefault((self._layer(where), source.url), []).append(
                    (f"{where}[{i}]", source.published, source.as_of)
                )

    def one_date_a_document(self) -> None:
        """A url names one document, and a document has one publication date: citing it on
        two dates, or as undated (``as_of``) where another citation gives its publication
        date, tells two ages of the same evidence, one of them wrong. Within a layer only: an
        overlay's maintainer cannot correct the layer below. A citation without any date is
        left alone (``directory stale`` lists its record)."""
        for (_layer, url), citations in self._citations.items():
            dated = [(where, published) for where, published, _as_of in citations if published]
            if not dated:
                continue
            first, published = dated[0]
            for where, other, as_of in citations:
                if other is not None and other != published:
                    self.one_date_problem(f"{where}.published", url, first, published)
                elif other is None and as_of is not None:
                    self.one_date_problem(f"{where}.as_of", url, first, published)

    def one_date_problem(self, where: str, url: str, first: str, published: date) -> None:
        self.add(
            where,
            _(
                "{url} is cited at {other} as published on {date}: one document has one "
                "date; give the same one in both places"
            ).format(
                url=shown(url), other=located(f"{first}.published"), date=published.isoformat()
            ),
        )

    def ident(self, where: str, value: str) -> None:
        if len(value) > MAX_ID_CHARS:
            # A paste gone wrong: told cut short, not written out whole.
            written = repr(value)
            self.add(
                where,
                _("{repr} is not an id: at most {limit} characters (this one has {count})").format(
                    repr=written[:67] + "..." if len(written) > 70 else written,
                    limit=MAX_ID_CHARS,
                    count=len(value),
                ),
            )
        elif not _ID.match(value):
            self.add(
                where,
                _("{repr} is not an id: lower-case letters, digits, '-' and '.'").format(
                    repr=shown(value)
                ),
            )

    # Records -------------------------------------------------------------------------------

    def _not_an_agency_of_another_layer(self, contact_id: str, label: str, where: str) -> None:
        """Refuse a contact whose id is an agency's of another layer: ids are one namespace (a
        meeting participant names either), as the merge holds them within a layer. Named at
        the later layer's record, the one an overlay's author wrote."""
        held = self.merged.agencies.get(contact_id)
        if held is None:
            return
        _agency, agency_label, agency_path = held
        layers = self.merged.layer_of
        if layers.get(agency_label) == layers.get(label):
            return  # within one layer: the merge said so
        agency_where = f"{agency_label}: {agency_path}.id"
        later, earlier = (
            (where, agency_where)
            if layers.get(label, 0) > layers.get(agency_label, 0)
            else (agency_where, where)
        )
        self.add(
            later,
            _("duplicate id {repr}, already used at {value}").format(
                repr=shown(contact_id), value=located(earlier)
            ),
        )

    def run(self) -> list[str]:
        # Contact ids are unique across the merged directory: an overlay agency may not reuse a
        # contact id that an agency kept from another layer holds.
        owners: dict[str, tuple[str, str]] = {}
        layers = self.merged.layer_of
        for agency, label, path in self.merged.agencies.values():
            for j, contact in enumerate(agency.contacts):
                where = f"{label}: {path}.contacts[{j}].id"
                owner = owners.get(contact.id)
                if owner is not None and owner[1] != where:
                    # Named at the later layer's record, the one an overlay's author wrote:
                    # an agency an overlay replaces keeps its place, before the base's next.
                    owner_label, owner_where = owner
                    later, earlier = (
                        (owner_where, where)
                        if layers.get(owner_label, 0) > layers.get(label, 0)
                        else (where, owner_where)
                    )
                    self.add(
                        later,
                        _("duplicate id {repr}, already used at {value}").format(
                            repr=shown(contact.id), value=located(earlier)
                        ),
                    )
                owners.setdefault(contact.id, (label, where))
                self._contact_owners.setdefault(contact.id, agency)
                self._not_an_agency_of_another_layer(contact.id, label, where)
        for state, label, path in self.merged.states.values():
            self.state(state, f"{label}: {path}", label)
        for agency, label, path in self.merged.agencies.values():
            self.agency(agency, f"{label}: {path}")
        self.shared_numbers()
        self.one_first_a_role()
        self.role_gaps()
        for agreement, label, path in self.merged.agreements.values():
            self.agreement(agreement, f"{label}: {path}")
        for channel, label, path in self.merged.consular.values():
            where = f"{label}: {path}"
            self.code(f"{where}.nationality", channel.nationality)
            if not channel.receiving:
                self.add(f"{where}.receiving", _("at least one receiving state is needed"))
            self.codes(f"{where}.receiving", channel.receiving)
            for i, receiving in enumerate(channel.receiving):
                # As `consular` refuses to look them up: a record no one can ask for.
                if self._sovereign(receiving) == self._sovereign(channel.nationality):
                    self.add(
                        f"{where}.receiving[{i}]",
                        _(
                            "{nationality} nationals in {code} are in their own state and need "
                            "no consular post"
                        ).format(
                            nationality=self._territory(where, channel.nationality),
                            code=self._territory(where, receiving),
                        ),
                    )
            self.sources(f"{where}.sources", channel.sources, confirmed=_confirmed(channel.status))
            self.verified(f"{where}.last_verified", channel.last_verified)
            self.checked_after_its_evidence(
                f"{where}.last_verified", channel.last_verified, channel.sources
            )
            if channel.type == "none":
                if channel.mission is not None:
                    self.add(f"{where}.mission", _("type 'none' records no mission; remove it"))
                self.negative_evidence(channel, where)
            elif channel.mission is None:
                self.add(
                    f"{where}.mission",
                    _("a {type} needs the mission's agency id").format(type=channel.type),
                )
            else:
                self.mission(
                    f"{where}.mission",
                    channel.mission,
                    channel.protecting_state or channel.nationality,
                )
                self.resident(channel, where)
            self.code(f"{where}.protecting_state", channel.protecting_state)
            if channel.serves_landings and channel.type not in ("embassy", "consulate"):
                self.add(
                    f"{where}.serves_landings",
                    _("only a resident embassy or consulate can be the post for landings"),
                )
        for region, label, path in self.merged.sar_regions.values():
            where = f"{label}: {path}"
            self.ident(f"{where}.id", region.id)
            self.codes(f"{where}.covers", region.covers)
            self.sources(f"{where}.sources", region.sources, confirmed=_confirmed(region.status))
            self.verified(f"{where}.last_verified", region.last_verified)
            self.checked_after_its_evidence(
                f"{where}.last_verified", region.last_verified, region.sources
            )
            rcc = self.merged.agencies.get(region.rcc)
            if rcc is None:
                self.dangling(
                    f"{where}.rcc",
                    region.rcc,
                    _("no agency has id {repr}").format(repr=shown(region.rcc)),
                )
            elif "sar" not in rcc[0].roles:
                self.add(
                    f"{where}.rcc",
                    _("agency {repr} does not have the role 'sar'").format(
                        repr=self.referred(f"{where}.rcc", shown(region.rcc), rcc)
                    ),
                )
        self.one_date_a_document()
        return self.problems

    def one_first_a_role(self) -> None:
        """Refuse two agencies of one state, sitting in one place, both ``primary_for`` a role:
        plans would address the one read first, and the other's mark (an overlay's own desk,
        most often) would be dropped in silence. Named at the one of the later layer."""
        first: dict[tuple[str, str, str], tuple[Agency, str, str]] = {}
        layers = self.merged.layer_of
        ordered = sorted(self.merged.agencies.values(), key=lambda held: layers.get(held[1], 0))
        for agency, label, path in ordered:
            for i, role in enumerate(agency.primary_for):
                key = (agency.state, agency.located_in or agency.state, role)
                other = first.setdefault(key, (agency, label, path))
                if other[0] is agency:
                    continue
                self.add(
                    f"{label}: {path}.primary_for[{i}]",
                    _(
                        "agency {agency} and agency {other} ({where}) are both first for "
                        "{role} in {place}: plans would address the one read first; mark one "
                        "of them, replacing the other by its id to drop its primary_for"
                    ).format(
                        agency=shown(agency.id),
                        other=shown(other[0].id),
                        where=located(f"{other[1]}: {other[2]}"),
                        role=shown(role),
                        place=key[1],
                    ),
                )

    def shared_numbers(self) -> None:
        """Warn where two agencies that are not one another's parent (or ancestor) give the
        same number: a caller following the directory may reach the wrong office.

        The warning names the place in the later layer of the two: that layer gave the number
        again, and its maintainer can act (an overlay's agency replacing one read early keeps
        that one's place in the order, before the agency of the layer below it)."""
        first: dict[str, tuple[Agency, str]] = {}
        for agency, label, path in self.merged.agencies.values():
            for i, contact in enumerate(agency.contacts):
                for j, channel in enumerate(contact.channels):
                    if channel.kind not in PHONE_KINDS:
                        continue
                    where = f"{label}: {path}.contacts[{i}].channels[{j}].value"
                    holder, held_at = first.setdefault(channel.value, (agency, where))
                    if holder.id != agency.id and not self._related(holder, agency):
                        if self._layer(held_at) > self._layer(where):
                            holder, held_at, where = agency, where, held_at
                        self.warnings.append(
                            _(
                                "{where}: {number} is also the number of {agency} ({held_at}), "
                                "an unrelated agency: a caller may reach the wrong office"
                            ).format(
                                where=located(where),
                                number=shown(channel.value),
                                agency=shown(holder.id),
                                held_at=located(held_at),
                            )
                        )

    def _layer(self, where: str) -> int:
        """The layer of a file, named alone or as ``file: $.path``: 0 for the base."""
        return self.merged.layer_of.get(where.partition(": $")[0], 0)

    def role_gaps(self) -> None:
        """A gap names each role once and says what was searched. A gap an agency of the same
        layer holds is a warning: the layer contradicts itself, and its note is out of date.
        One an agency of another layer holds is a filled gap, listed by ``directory
        validate`` only: an overlay filling a gap of the directory below it is what overlays
        are for, and the officer running a plan can change neither layer (plans use the
        agency; the gap's note is not shown)."""
        from somnet.directory.lookup import Directory

        serving: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        for agency, label, path in self.merged.agencies.values():
            # As the directory serves it (its own state when it sits there, what it covers),
            # its codes read as written: one that is none is named by the agency's check.
            for code in dict.fromkeys((agency.state, *agency.covers)):
                if Directory._serves(agency, code):
                    for role in dict.fromkeys(agency.roles):
                        serving.setdefault((code, role), []).append((agency.id, label, path))
        for state, label, path in self.merged.states.values():
            seen: set[str] = set()
            layer = self._layer(label)
            for i, gap in enumerate(state.role_gaps):
                where = f"{label}: {path}.role_gaps[{i}]"
                if not gap.roles:
                    self.add(f"{where}.roles", _("name at least one role"))
                if not gap.note.strip():
                    self.add(f"{where}.note", _("say what was searched and what was found"))
                for role in gap.roles:
                    if role in seen:
                        self.add(
                            f"{where}.roles",
                            _("{role} is in another gap of {code} already").format(
                                role=shown(role), code=state.code
                            ),
                        )
                    seen.add(role)
                    holders = serving.get((state.code, role), [])
                    own = [h for h in holders if self._layer(h[1]) == layer]
                    if own:
                        self.warnings.append(
                            _(
                                "{where}.roles: {role} is held for {code} by {agency}: the gap's "
                                "note is out of date"
                            ).format(
                                where=located(where),
                                role=shown(role),
                                code=state.code,
                                agency=own[0][0],
                            )
                        )
                    elif holders:
                        agency_id, agency_label, agency_path = holders[0]
                        self.filled_gaps.append(
                            FilledGap(
                                state=state.code,
                                role=role,
                                gap=(label, f"{path}.role_gaps[{i}]"),
                                agency=agency_id,
                                by=(agency_label, agency_path),
                            )
                        )

    def _related(self, one: Agency, other: Agency) -> bool:
        return one.id in self._ancestors(other) or other.id in self._ancestors(one)

    def _ancestors(self, agency: Agency) -> set[str]:
        """The ids of the agency's parents, and theirs, to the top or round a loop."""
        return set(self._lineage(agency)[1:])

    def _lineage(self, agency: Agency) -> list[str]:
        """The agency's id and its parents' up to the first one repeated (a loop)."""
        chain = [agency.id]
        parent = agency.parent
        while parent is not None and parent not in chain:
            chain.append(parent)
            record = self.merged.agencies.get(parent)
            parent = record[0].parent if record else None
        return [*chain, parent] if parent is not None else chain

    def _chain(self, where: str, lineage: list[str]) -> str:
        """An agency's lineage round a loop, each parent named with the later layer that gave
        it (the first and last are the agency itself)."""
        parents = [self.referred(where, p, self.merged.agencies.get(p)) for p in lineage[1:-1]]
        return " -> ".join([lineage[0], *parents, lineage[-1]])

    def refugee_treaty(self, where: str, status: RefugeeTreatyStatus | TreatyStatus) -> None:
        """A state's status under the 1951 Refugee Convention or its 1967 Protocol, UNCLOS or
        the CRC: sourced as the SOM Protocol's is, and a date only for a party (the day its
        instrument was deposited)."""
        self.sources(
            f"{where}.sources",
            status.sources,
            confirmed=None if status.party == "uncertain" else 'party = "uncertain"',
        )
        if status.date is None:
            return
        if status.party != "yes":
            self.add(
                f"{where}.date",
                _('is the day a party deposited its instrument: give it only with party = "yes"'),
            )
        elif status.date > self.today:
            self.add(f"{where}.date", _("is in the future"))

    def state(self, state: State, where: str, label: str) -> None:
        self.code(f"{where}.code", state.code)
        stem = PurePath(label).stem
        # A code mistyped is one slip, named once: not again as filed under another name, nor
        # at the focal point, which is the file's state's own and compared with the typo.
        mistyped = not is_state_code(state.code)
        if not mistyped and PurePath(label).parent.name == "states" and stem != state.code:
            mistyped = True
            self.add(
                f"{where}.code",
                _("{repr} is filed in {stem}.toml; use one name").format(
                    repr=shown(state.code), stem=stem
                ),
            )
        if not state.timezones:
            self.add(f"{where}.timezones", _("at least one IANA time zone is needed"))
        for i, zone in enumerate(state.timezones):
            self.timezone(f"{where}.timezones[{i}]", zone)
        self.once(f"{where}.timezones", state.timezones)
        self.once(f"{where}.official_domains", state.official_domains)
        self.languages(f"{where}.languages", state.languages)
        for i, domain in enumerate(state.official_domains):
            if not _DOMAIN.fullmatch(domain):
                self.add(
                    f"{where}.official_domains[{i}]",
                    _(
                        "{repr} is not a host name such as 'gov.jm' (lower case, no scheme or path)"
                    ).format(repr=shown(domain)),
                )
        self.sources(f"{where}.sources", state.sources, confirmed="")
        self.sources(
            f"{where}.maritime.sources",
            state.maritime.sources,
            confirmed=_confirmed(state.maritime.status),
        )
        self.sources(
            f"{where}.som_protocol.sources",
            state.som_protocol.sources,
            confirmed=None if state.som_protocol.party == "uncertain" else 'party = "uncertain"',
        )
        self.verified(f"{where}.last_verified", state.last_verified)
        self.checked_after_its_evidence(
            f"{where}.last_verified", state.last_verified, state.sources
        )
        if state.som_protocol.date is not None and state.som_protocol.date > self.today:
            self.add(f"{where}.som_protocol.date", _("is in the future"))
        for key, status in (
            ("refugee_convention", state.refugee_convention),
            ("refugee_protocol", state.refugee_protocol),
        ):
            if status is not None:
                self.refugee_treaty(f"{where}.{key}", status)
        for key, treaty in (("unclos", state.unclos), ("crc", state.crc)):
            if treaty is not None:
                self.refugee_treaty(f"{where}.{key}", treaty)
        claims = state.maritime
        if claims.territorial_sea_nm <= 0 or claims.territorial_sea_nm > 12:
            self.add(f"{where}.maritime.territorial_sea_nm", _("must be 1 to 12 (UNCLOS art. 3)"))
        if claims.contiguous_zone_nm is not None and not (
            claims.territorial_sea_nm < claims.contiguous_zone_nm <= 24
        ):
            self.add(
                f"{where}.maritime.contiguous_zone_nm",
                _("must be beyond the territorial sea and at most 24 (UNCLOS art. 33)"),
            )
        if claims.eez_nm is not None and not (0 < claims.eez_nm <= 200):
            self.add(f"{where}.maritime.eez_nm", _("must be at most 200 (UNCLOS art. 57)"))
        if claims.uncertain and claims.status == "confirmed":
            self.add(
                f"{where}.maritime.uncertain",
                _('names uncertain claims, so the status must be "uncertain"'),
            )
        self.code(f"{where}.sovereign", state.sovereign)
        if state.sovereign == state.code:
            self.add(f"{where}.sovereign", _("a state cannot be its own sovereign"))
        elif state.sovereign is not None:
            held = self.merged.states.get(state.sovereign)
            if held is not None and held[0].sovereign is not None:
                self.add(
                    f"{where}.sovereign",
                    _(
                        "{sovereign} is itself a territory of {sovereign2}: name the state that "
                        "answers for both"
                    ).format(
                        sovereign=self.referred(where, state.sovereign, held),
                        sovereign2=held[0].sovereign,
                    ),
                )
        notification = state.mandatory_notification
        if notification is not None:
            at = f"{where}.mandatory_notification"
            if not notification.nationalities:
                self.add(f"{at}.nationalities", _("at least one nationality is needed"))
            self.codes(f"{at}.nationalities", notification.nationalities)
            if state.code in notification.nationalities:
                self.add(
                    f"{at}.nationalities", _("{code} cannot notify itself").format(code=state.code)
                )
            self.sources(f"{at}.sources", notification.sources)
        # Checked here, not when planning a meeting, where a typo would only silence the
        # holiday check.
        self.holiday_subdivision(
            f"{where}.holiday_subdivision", state.holiday_subdivision, state.code
        )
        if state.meeting_focal_point is not None:
            found = self._contact_owner(state.meeting_focal_point)
            if found is None:
                self.dangling(
                    f"{where}.meeting_focal_point",
                    state.meeting_focal_point,
                    _("no contact has id {repr}").format(
                        repr=self.referred(
                            where,
                            shown(state.meeting_focal_point),
                            self.merged.dropped_contacts.get(state.meeting_focal_point),
                            dropped=True,
                        )
                    ),
                )
            elif not mistyped and self._sovereign(found.state) != self._sovereign(state.code):
                # A meeting invitation to the state would go to another state's agency (a
                # territory's may be its sovereign's: Puerto Rico's is a U.S. desk).
                self.add(
                    f"{where}.meeting_focal_point",
                    _(
                        "{repr} is a contact of {agency}, an agency of {other}, not of {code}"
                    ).format(
                        repr=shown(state.meeting_focal_point),
                        agency=self.referred(where, found.id, self.merged.agencies.get(found.id)),
                        other=found.state,
                        code=state.code,
                    ),
                )

    def _territory(self, where: str, code: str) -> str:
        """A state's code, named with the later layer that made it a territory (whose
        sovereign a check compared)."""
        held = self.merged.states.get(code)
        if held is None or held[0].sovereign is None:
            return code
        return self.referred(where, code, held)

    def _sovereign(self, code: str) -> str:
        """The state that answers for ``code``: its sovereign when it is a territory."""
        held = self.merged.states.get(code)
        return held[0].sovereign or code if held is not None else code

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
            self.add(f"{where}.roles", _("at least one role is needed"))
        self.once(f"{where}.roles", agency.roles)
        self.once(f"{where}.primary_for", agency.primary_for)
        self.sources(f"{where}.sources", agency.sources, confirmed=_confirmed(agency.status))
        self.verified(f"{where}.last_verified", agency.last_verified)
        self.checked_after_its_evidence(
            f"{where}.last_verified", agency.last_verified, agency.sources
        )
        if agency.parent is not None:
            if agency.parent not in self.merged.agencies:
                self.dangling(
                    f"{where}.parent",
                    agency.parent,
                    _("no agency has id {repr}").format(repr=shown(agency.parent)),
                )
            elif agency.parent == agency.id:
                self.add(f"{where}.parent", _("an agency cannot be its own parent"))
            elif agency.id in self._ancestors(agency):
                self.add(
                    f"{where}.parent",
                    _("an agency cannot be its own ancestor: {chain}").format(
                        chain=self._chain(where, self._lineage(agency))
                    ),
                )
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
                _("needed: the directory holds neither the agency's state nor where it sits"),
            )
        if agency.timezone is None and not held:
            self.add(
                f"{where}.timezone",
                _("needed: the directory holds neither the agency's state nor where it sits"),
            )
        elif (
            agency.timezone is None
            and agency.located_in not in (None, agency.state)
            and agency.located_in not in self.merged.states
            and agency.located_in not in self.merged.broken
        ):
            # A post abroad keeps the clock of where it sits, never its sending state's.
            self.add(
                f"{where}.timezone",
                _("needed: the directory holds no file of {code}, where the agency sits").format(
                    code=agency.located_in
                ),
            )
        seat = agency.located_in or agency.state
        if seat in self.merged.states or seat in self.merged.broken:
            self.holiday_subdivision(
                f"{where}.holiday_subdivision", agency.holiday_subdivision, seat
            )
        elif agency.holiday_subdivision is not None and is_state_code(seat):
            # A part of a place whose calendar, office week and hours the directory does not
            # hold (a code that is none is named once, at the code).
            self.add(
                f"{where}.holiday_subdivision",
                _("needs a file of {code}, where the agency sits, in the directory").format(
                    code=seat
                ),
            )
        for i, role in enumerate(agency.primary_for):
            if role not in agency.roles:
                self.add(
                    f"{where}.primary_for[{i}]",
                    _("{repr} is not one of the agency's roles").format(repr=shown(role)),
                )
        for i, contact in enumerate(agency.contacts):
            self.contact(contact, f"{where}.contacts[{i}]")
            self.once(f"{where}.contacts[{i}].roles", contact.roles)
            for j, role in enumerate(contact.roles):
                if role not in agency.roles:
                    self.add(
                        f"{where}.contacts[{i}].roles[{j}]",
                        _("{repr} is not one of the agency's roles ({items})").format(
                            repr=shown(role), items=", ".join(agency.roles)
                        ),
                    )

    def holiday_subdivision(self, where: str, subdivision: str | None, code: str) -> None:
        """A python-holidays subdivision of the state ``code`` (a state's own, or the one an
        agency sitting there keeps)."""
        if subdivision is None:
            return
        # holidays is imported only for a record that names a subdivision.
        import holidays

        known = holidays.list_supported_countries().get(code, [])
        if subdivision not in known:
            self.add(
                where,
                (
                    _("{value} is not a python-holidays subdivision of {code}; it knows {known}")
                    if known
                    else _("{value} is not a python-holidays subdivision of {code}; it knows none")
                ).format(value=shown(subdivision), code=code, known=", ".join(known)),
            )

    def contact(self, contact: Contact, where: str) -> None:
        self.ident(f"{where}.id", contact.id)
        self.languages(f"{where}.languages", contact.languages)
        self.verified(f"{where}.last_verified", contact.last_verified)
        if not contact.channels:
            self.add(f"{where}.channels", _("a contact needs at least one channel"))
        if contact.kind == "person" and not contact.name:
            self.add(f"{where}.name", _("a person needs a name"))
        for i, channel in enumerate(contact.channels):
            at = f"{where}.channels[{i}]"
            hidden = invisible_character(channel.value)
            if hidden is not None:
                # A control character is named where the file is read, once.
                if not CONTROL_CHARACTERS.search(channel.value):
                    # Shown, the address or number reads as meant; copied into a mail program
                    # or a telephone, it is another (a bounce, or a stranger's mailbox).
                    self.add(
                        f"{at}.value",
                        _(
                            "{repr} holds an invisible character ({char}): copied, it is not "
                            "the value shown; remove it"
                        ).format(repr=shown(channel.value), char=repr(hidden)),
                    )
            elif channel.kind in PHONE_KINDS or (
                # A secure messenger reached by a telephone number (Signal, WhatsApp) rings
                # whoever holds it: held to the telephone's rules.
                channel.kind == "secure-message" and _MESSENGER_NUMBER.match(channel.value)
            ):
                self.number(contact, channel.value, f"{at}.value")
            elif channel.kind == "email" and (
                # Longer than SMTP carries a path (RFC 5321, 4.5.3.1.3): never delivered.
                len(channel.value) > MAX_EMAIL_CHARS or not is_email_address(channel.value)
            ):
                self.add(
                    f"{at}.value",
                    _("{repr} is not an e-mail address").format(repr=shown(channel.value)),
                )
            elif channel.kind == "email" or (
                # One reached by an address (a secure mail system) delivers to its mailbox.
                channel.kind == "secure-message" and is_email_address(channel.value)
            ):
                self.address(contact, channel.value, f"{at}.value")
            elif (
                channel.kind == "web"
                and not is_http_address(channel.value)
                # A control character is named where the file is read, once.
                and not CONTROL_CHARACTERS.search(channel.value)
            ):
                self.add(
                    f"{at}.value",
                    _("{repr} is not an http(s) address").format(repr=shown(channel.value)),
                )
            elif not channel.value.strip():
                self.add(f"{at}.value", _("is empty"))

    def address(self, contact: Contact, value: str, where: str) -> None:
        """An e-mail address. An illustrative contact's reaches no one (a domain reserved for
        examples); a real contact's is a real one."""
        if not contact.illustrative:
            if is_reserved_address(value):
                self.add(
                    where,
                    _(
                        "{repr} is at a domain reserved for examples and reaches no one: give "
                        "the real address, or mark the contact illustrative = true"
                    ).format(repr=shown(value)),
                )
        elif not is_reserved_address(value):
            # Made up, as its numbers are: whoever writes to it by mistake reaches no one.
            self.add(
                where,
                _(
                    "{repr} could reach a real mailbox: an illustrative contact needs an "
                    "address at a domain reserved for examples, such as example.org"
                ).format(repr=shown(value)),
            )

    def number(self, contact: Contact, value: str, where: str) -> None:
        """A telephone number. The shipped contacts are made up, so an illustrative contact's
        number must ring no one: a range reserved for fiction, or a placeholder that cannot be
        dialled. A real contact needs a real number."""
        if is_placeholder(value):
            problem = placeholder_problem(value)
            if problem:
                self.add(where, problem)
            elif not contact.illustrative:
                self.add(
                    where,
                    _(
                        "{repr} is a placeholder that cannot be dialled: only an illustrative "
                        "contact may have one; give the real number"
                    ).format(repr=shown(value)),
                )
            return
        if is_fiction_number(value):
            # Accepted as it is: a NANP area code's fiction lines are reserved even where
            # phonenumbers' metadata (+1 242 555 01XX) holds them invalid.
            if not contact.illustrative:
                self.add(
                    where,
                    _(
                        "{repr} is reserved for fiction and rings no one: give the real number, "
                        "or mark the contact illustrative = true"
                    ).format(repr=shown(value)),
                )
            return
        if value in self._phones:
            problem = self._phones[value]
        else:
            problem = self._phones[value] = phone_problem(value)
        if problem:
            self.add(where, problem)
        elif contact.illustrative:
            self.add(
                where,
                _(
                    "{repr} could ring a real subscriber: an illustrative contact needs a "
                    "number reserved for fiction (NANP +1 NPA 555 0100-0199, the UK's drama "
                    "ranges...) or a placeholder that cannot be dialled, such as '+509 XXXX "
                    "0101'"
                ).format(repr=shown(value)),
            )

    def agreement(self, agreement: Agreement, where: str) -> None:
        self.ident(f"{where}.id", agreement.id)
        self.codes(f"{where}.parties", agreement.parties)
        if len(agreement.parties) < 2:
            self.add(f"{where}.parties", _("an agreement needs at least two parties"))
        if agreement.kind != "multilateral":
            for i, party in enumerate(agreement.parties):
                if is_state_code(party) and party not in self.merged.states:
                    self.dangling(
                        f"{where}.parties[{i}]",
                        party,
                        _("the directory holds no state {repr}").format(repr=shown(party)),
                    )
        self.sources(
            f"{where}.sources",
            agreement.sources,
            confirmed=None if agreement.status == "uncertain" else 'status = "uncertain"',
        )
        self.verified(f"{where}.last_verified", agreement.last_verified)
        self.checked_after_its_evidence(
            f"{where}.last_verified", agreement.last_verified, agreement.sources
        )
        if agreement.signed is not None and agreement.signed > self.today:
            # Entry into force and end may be ahead (a ratification, a denunciation taking
            # effect); a signature may not: routing would hold the agreement not yet in force.
            self.add(f"{where}.signed", _("is in the future"))
        dates = [(n, getattr(agreement, n)) for n in ("signed", "in_force", "ended")]
        known = [(n, d) for n, d in dates if d is not None]
        for (n1, d1), (n2, d2) in itertools.pairwise(known):
            if d2 < d1:
                self.add(
                    f"{where}.{n2}",
                    _("{date} is before {field} = {other}").format(date=d2, field=n1, other=d1),
                )
        if agreement.status == "terminated" and agreement.ended is None:
            self.add(f"{where}.ended", _("a terminated agreement needs the date it ended"))
        if agreement.status == "in-force" and agreement.ended is not None:
            self.add(f"{where}.status", _("an agreement that ended is not in force"))
        provides = agreement.provides
        if provides.condition is not None and not provides.condition.strip():
            self.add(f"{where}.provides.condition", _("is empty; omit it when there is none"))
        if agreement.in_force_from_practice and agreement.status != "in-force":
            self.add(
                f"{where}.in_force_from_practice",
                _(
                    'only an agreement with status "in-force" can be in force from practice '
                    "(this one is {repr})"
                ).format(repr=shown(agreement.status)),
            )
        for i, territory in enumerate(agreement.extends_to):
            at = f"{where}.extends_to[{i}]"
            self.code(at, territory)
            held = self.merged.states.get(territory)
            if held is None:
                continue
            sovereign = held[0].sovereign
            if sovereign is None:
                self.add(
                    at,
                    _("{territory} is not a territory (it has no sovereign)").format(
                        territory=self.referred(where, territory, held)
                    ),
                )
            elif sovereign not in agreement.parties:
                self.add(
                    at,
                    _("{territory}'s sovereign {sovereign} is not a party").format(
                        territory=self.referred(where, territory, held), sovereign=sovereign
                    ),
                )
        self.once(f"{where}.extends_to", agreement.extends_to)
        for field in ("boarding_by", "entry_by", "landing_by"):
            self.once(f"{where}.provides.{field}", getattr(provides, field))
            for i, party in enumerate(getattr(provides, field)):
                if party not in agreement.parties:
                    self.add(
                        f"{where}.provides.{field}[{i}]",
                        _("{repr} is not a party").format(repr=shown(party)),
                    )
        self.codes(f"{where}.provides.nationalities", provides.nationalities)
        for field in ("notification_hours", "return_days"):
            value = getattr(provides, field)
            if value is not None and value <= 0:
                self.add(f"{where}.provides.{field}", _("must be a positive number"))
            elif value is not None and value > MAX_DEADLINES[field]:
                # Told to the officer as it is written ("notify the flag state within
                # 99999999999 hours, as it provides").
                self.add(
                    f"{where}.provides.{field}",
                    (
                        _(
                            "{value} is more than any agreement gives; at most {limit} (a "
                            "year): a typo?"
                        )
                        if field == "notification_hours"
                        else _(
                            "{value} is more than any agreement gives; at most {limit} (ten "
                            "years): a typo?"
                        )
                    ).format(value=value, limit=MAX_DEADLINES[field]),
                )

    def negative_evidence(self, channel: ConsularChannel, where: str) -> None:
        """A "none" is proven by a list: the sending state's list of its missions, or the
        receiving state's list of the missions accredited to it; confirmed only when both
        kinds are cited (and agree, which the notes say)."""
        kinds = {s.evidence for s in channel.sources if s.evidence is not None}
        if not kinds:
            self.add(
                f"{where}.sources",
                _(
                    "a 'none' record needs negative evidence: a source with evidence = "
                    '"mission-list" (the sending state\'s official list of its missions) or '
                    '"diplomatic-list" (the receiving state\'s list of the missions '
                    "accredited to it); without one, record nothing"
                ),
            )
        elif channel.status == "confirmed" and len(kinds) < 2:
            (kind,) = kinds
            self.add(
                f"{where}.status",
                _(
                    "a 'none' record is confirmed only when a mission list and a diplomatic "
                    'list both show no mission; it cites a {kind} only: mark it "uncertain"'
                ).format(kind=kind),
            )

    def resident(self, channel: ConsularChannel, where: str) -> None:
        """An embassy, a consulate or an honorary consul is a resident post: it sits in each
        receiving state (in one of its territories, or its metropolitan territory, for the
        state is one); a post elsewhere that serves a state is concurrent there, and comes
        after those that sit in it (an honorary consul abroad too: the plan says where it
        sits, where for an honorary consul it would say only that one covers the state)."""
        found = self.merged.agencies.get(channel.mission or "")
        if channel.type not in ("embassy", "consulate", "honorary") or found is None:
            return
        post = found[0]
        sits = post.located_in or post.state
        if sits in self.merged.broken:
            return  # whose territory it is cannot be told: the state's problems are named
        home = self._sovereign(channel.nationality)  # its own state: refused on its own
        away = [
            r
            for r in channel.receiving
            if self._sovereign(r) not in (self._sovereign(sits), home)
            and r not in self.merged.broken
        ]
        if away:
            self.add(
                f"{where}.type",
                _(
                    "{mission} sits in {place}, not in {states}: a post elsewhere is "
                    '"concurrent" there, in a record of its own'
                ).format(
                    mission=self.referred(where, post.id, found),
                    place=sits,
                    states=", ".join(away),
                ),
            )

    def mission(self, where: str, mission_id: str, nationality: str) -> None:
        found = self.merged.agencies.get(mission_id)
        if found is None:
            self.dangling(
                where, mission_id, _("no agency has id {repr}").format(repr=shown(mission_id))
            )
            return
        mission = found[0]
        name = self.referred(where, shown(mission_id), found)
        if "consular" not in mission.roles:
            self.add(where, _("agency {repr} does not have the role 'consular'").format(repr=name))
        if mission.state != nationality:
            self.add(
                where,
                _("agency {repr} belongs to {state}, not {nationality}").format(
                    repr=name, state=mission.state, nationality=nationality
                ),
            )


def _confirmed(status: str) -> str | None:
    """How a record with this status would be marked doubtful; None when it already is."""
    return None if status == "uncertain" else 'status = "uncertain"'


def validate(
    merged: Merged,
    *,
    today: date,
    warnings: list[str] | None = None,
    filled_gaps: list[FilledGap] | None = None,
) -> list[str]:
    """Every problem in merged records that their types alone do not catch.

    What is suspicious but not refused is appended to ``warnings``, when given; the gaps of
    one layer that an agency of another holds, to ``filled_gaps``.
    """
    checker = _Checker(merged, today)
    problems = checker.run()
    if warnings is not None:
        warnings += checker.warnings
    if filled_gaps is not None:
        filled_gaps += checker.filled_gaps
    return problems
