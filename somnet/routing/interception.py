"""An interception: the facts an officer knows when deciding whom to contact."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from somnet._codes import state_code
from somnet._exceptions import BadInputError, InterceptionError
from somnet._i18n import _
from somnet._time import MAX_YEAR, MIN_YEAR, check_instant, now_in, read_time
from somnet.directory.records import ZONES

if TYPE_CHECKING:
    from somnet.directory.lookup import Directory

#: Zones within the coastal state's sovereignty: its jurisdiction applies, no flag-state step.
SOVEREIGN_ZONES = frozenset({"internal", "territorial", "archipelagic"})
#: Zones where people are landed in the coastal state unless said otherwise.
COASTAL_DISEMBARKATION_ZONES = SOVEREIGN_ZONES | {"contiguous"}
CONDITIONS = (
    "distress",
    "injured",
    "deaths",
    "minors",
    "unaccompanied",
    "asylum",
    "trafficking",
    "smugglers",
    "corruption",
)


@attrs.frozen
class Interception:
    """What is known about an interception at the time contact is made.

    Build it with :func:`make_interception`, which checks the facts against each other and
    fills the defaults of the routing rules (docs/routing.md).

    Attributes:
        zone: internal, territorial, archipelagic, contiguous, eez or high-seas.
        flag: the flag state, None when stateless or not known.
        stateless: the vessel has no nationality (or is assimilated to one without).
        coastal: the state whose zone it is (None on the high seas or when not known).
        acting: the intercepting state, None when not known.
        disembark: where people will be landed, None when not known.
        nationalities: nationalities of those aboard, in the order given.
        stateless_persons: some aboard have no nationality (stateless persons): no state's
            consular post serves them and none must readmit them as its nationals.
        others_unknown: besides those of ``nationalities`` (and the stateless persons), others
            aboard are of nationalities not known yet: what holds of the nationalities known
            does not hold of everyone. False when nobody's nationality is known (both of those
            empty), which says it already.
        conditions: facts known (distress, minors, asylum...).
        return_considered: return or repatriation is being considered.
        at: when contact is made (aware).
        coast: the coastal state named, kept when its claims do not reach the waters (read
            as the high seas, ``coastal`` None): a SAR region is not a maritime zone, and the
            one covering that state's waters still covers them.
    """

    zone: str
    at: datetime
    flag: str | None = None
    stateless: bool = False
    coastal: str | None = None
    acting: str | None = None
    disembark: str | None = None
    nationalities: tuple[str, ...] = ()
    stateless_persons: bool = False
    conditions: frozenset[str] = frozenset()
    return_considered: bool = False
    others_unknown: bool = False
    coast: str | None = None

    def has(self, *conditions: str) -> bool:
        """Whether any of the conditions is known."""
        return any(c in self.conditions for c in conditions)

    @property
    def ordered_conditions(self) -> tuple[str, ...]:
        """The conditions known, in the order of ``CONDITIONS`` (not the order given)."""
        return tuple(c for c in CONDITIONS if c in self.conditions)

    def to_json(self) -> dict[str, Any]:
        """The interception as a contact plan's JSON writes it (docs/json.md): conditions in
        the order of ``CONDITIONS``, ``return`` for ``return_considered``, ``at`` with its
        offset."""
        from somnet.routing.views import interception_json

        return interception_json(self)


def make_interception(
    *,
    zone: str,
    flag: str | None = None,
    stateless: bool = False,
    coastal: str | None = None,
    acting: str | None = None,
    disembark: str | None = None,
    nationalities: Iterable[str] = (),
    stateless_persons: bool = False,
    conditions: Iterable[str] = (),
    return_considered: bool = False,
    others_unknown: bool = False,
    at: datetime | str | None = None,
    directory: Directory | None = None,
) -> Interception:
    """Check an interception's facts, normalise its codes and fill its defaults.

    Codes are ISO 3166-1 alpha-2, in any case (``ht`` is HT). The disembarkation state
    defaults to the coastal state for internal, territorial, archipelagic and contiguous
    waters, and to the acting state otherwise. The time defaults to now, on the acting state's
    clock when the directory holds it.

    Args:
        zone: internal, territorial, archipelagic, contiguous, eez or high-seas.
        flag, coastal, acting, disembark: state codes, or None when not known.
        stateless: the vessel has no nationality.
        nationalities: nationalities of those aboard (one code may be given alone, as text).
        stateless_persons: some aboard are stateless persons (with ``nationalities`` empty:
            all of them are).
        others_unknown: others aboard are of nationalities not known yet, besides those of
            ``nationalities`` and the stateless persons. With neither of those it changes
            nothing: nobody's nationality is known (and the field is False).
        conditions: facts known (``CONDITIONS``; one may be given alone, as text).
        return_considered: return or repatriation is being considered.
        at: when contact is made: an aware datetime, or ISO 8601 text, with its offset or read
            in the acting state's time zone; None for now.
        directory: the directory, to read a time without offset in the acting state's zone and
            to suggest the codes it holds for a mistyped one.

    Returns:
        The interception.

    Raises:
        UnknownCodeError: an empty code, or one that is not ISO 3166-1 alpha-2 (its ``field``
            names the input).
        InterceptionError: facts that contradict each other, a time that cannot be read, or
            a fact of the wrong type (a code that is not text, a yes-or-no that is not a
            ``bool``: ``"false"`` would read as true), its ``field`` naming the input at fault.
    """
    if directory is not None:
        from somnet._given import a_directory

        a_directory(directory)
    known = tuple(directory.states) if directory is not None else ()
    # A script's facts may come from a file or a form: "false" is truthy and 509 has no
    # letters, and either would be planned as something else or fail deep inside.
    for field, fact in (
        ("stateless", stateless),
        ("stateless_persons", stateless_persons),
        ("return_considered", return_considered),
        ("others_unknown", others_unknown),
    ):
        if not isinstance(fact, bool):
            raise InterceptionError(
                _("{value} is not True or False").format(value=repr(fact)[:40]),
                field=field,
                value=fact,
            )
    _refuse_unless_text(zone, "zone")  # the codes are checked by state_code
    # One code or condition given alone is that one, not its letters.
    if isinstance(nationalities, str):
        nationalities = (nationalities,)
    if isinstance(conditions, str):
        conditions = (conditions,)
    nationalities, conditions = (
        _texts(nationalities, "nationalities"),
        _texts(conditions, "conditions"),
    )

    def code(value: str | None, field: str) -> str | None:
        # None is "not known"; an empty text is a mistake, refused by state_code.
        return None if value is None else state_code(value, field=field, preferred=known)

    zone = zone.strip().lower()
    if zone not in ZONES:
        raise InterceptionError(
            _("{zone} is not a zone; choose one of {zones}").format(
                zone=repr(zone[:40]), zones=", ".join(ZONES)
            ),
            field="zone",
            value=zone,
        )
    flag, coastal = code(flag, "flag"), code(coastal, "coastal")
    acting, disembark = code(acting, "acting"), code(disembark, "disembark")
    nationalities = list(nationalities)
    for n in nationalities:
        if isinstance(n, str) and n.strip().lower() == "stateless":
            # The command line's word for them; here they have a field of their own.
            raise InterceptionError(
                _(
                    "'stateless' is not a nationality: say that stateless persons are aboard "
                    "with stateless_persons=True"
                ),
                field="nationalities",
                value=n,
            )
        if isinstance(n, str) and n.strip().lower() == "unknown":
            raise InterceptionError(
                _(
                    "'unknown' is not a nationality: say that others aboard are of "
                    "nationalities not known with others_unknown=True"
                ),
                field="nationalities",
                value=n,
            )
    nationalities = [state_code(n, field="nationalities", preferred=known) for n in nationalities]
    if flag and stateless:
        raise InterceptionError(
            _("a vessel flies a flag or is stateless, not both"), field="stateless", value=flag
        )
    if zone == "high-seas" and coastal:
        raise InterceptionError(
            _("does not apply with the zone high-seas: no state's zone covers the high seas"),
            field="coastal",
            value=coastal,
        )
    unknown = sorted(set(conditions) - set(CONDITIONS))
    if unknown:
        raise InterceptionError(
            _("unknown conditions {unknown}; they are {conditions}").format(
                unknown=", ".join(unknown)[:80], conditions=", ".join(CONDITIONS)
            ),
            field="conditions",
            value=unknown,
        )
    moment = _moment(at, acting, _acting_zones(directory, acting))
    if disembark is None:
        disembark = coastal if zone in COASTAL_DISEMBARKATION_ZONES else acting
    return Interception(
        zone=zone,
        at=moment,
        flag=flag,
        stateless=stateless,
        coastal=coastal,
        acting=acting,
        disembark=disembark,
        nationalities=tuple(dict.fromkeys(nationalities)),
        stateless_persons=stateless_persons,
        conditions=frozenset(conditions),
        return_considered=return_considered,
        # Others unknown beside nobody known is nobody known: one way to say it.
        others_unknown=others_unknown and bool(nationalities or stateless_persons),
    )


def _refuse_unless_text(value: object, field: str) -> None:
    if not isinstance(value, str):
        raise InterceptionError(
            _("{value} is not text").format(value=repr(value)[:40]), field=field, value=value
        )


def _texts(values: Iterable[str], field: str) -> tuple[str, ...]:
    """The codes or conditions of an iterable, each checked to be text."""
    if not isinstance(values, Iterable) or isinstance(values, (bytes, Mapping)):
        raise InterceptionError(
            _("{value} is not a list of texts").format(value=repr(values)[:40]),
            field=field,
            value=values,
        )
    values = tuple(values)
    for value in values:
        _refuse_unless_text(value, field)
    return values


def _acting_zones(directory: Directory | None, acting: str | None) -> tuple[str, ...]:
    """The time zones an officer of the acting state may keep: its own (the first is the one
    its times are read in), then those of its territories in the directory. A sovereign acts
    in and off its territories (a Royal Navy ship off the Turks and Caicos Islands keeps their
    clock, not London's)."""
    state = directory.state(acting) if directory is not None and acting else None
    if directory is None or state is None:
        return ()
    zones = list(state.timezones)
    for code, other in directory.states.items():
        if code != acting and directory.sovereign_of(code) == acting:
            zones.extend(other.timezones)
    return tuple(dict.fromkeys(zones))


def _moment(at: datetime | str | None, acting: str | None, zones: Sequence[str]) -> datetime:
    """When contact is made: as given, read in the acting state's zone, or now on its clock.
    A time without offset for a state whose zones then disagree (Paris and Martinique) is
    refused: which one is meant cannot be guessed."""
    zone = zones[0] if zones else None
    if isinstance(at, str) and len(zones) > 1 and not _has_offset(at):
        _refuse_ambiguous_zones(at, acting, zones)
    if at is None:
        # To the second, as every time somnet writes (docs/json.md).
        return now_in(zone).replace(microsecond=0)
    if isinstance(at, str):
        if zone is None and not _has_offset(at):
            raise InterceptionError(
                (
                    _(
                        "{time} has no UTC offset and the directory holds no time zone for the "
                        "acting state {acting}; add the offset, e.g. 2026-12-01T03:00-05:00"
                    )
                    if acting
                    else _(
                        "{time} has no UTC offset and the acting state is unknown; add the "
                        "offset, e.g. 2026-12-01T03:00-05:00"
                    )
                ).format(time=repr(at.strip()[:60]), acting=acting),
                field="at",
                value=at,
            )
        try:
            at = read_time(at, zone, field="at")
        except BadInputError as exc:
            raise InterceptionError(exc.reason, field="at", value=at) from None
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        # A day (a date), a number, or a time without offset: which instant is meant?
        raise InterceptionError(
            _("give the time with its UTC offset, e.g. 2026-12-01T03:00-05:00"),
            field="at",
            value=at,
        )
    try:
        # The checks a time read from text passed (read_time): the same for a datetime.
        check_instant(at, field="at")
    except BadInputError as exc:
        raise InterceptionError(exc.reason, field="at", value=at) from None
    return at


def _refuse_ambiguous_zones(text: str, acting: str | None, zones: Sequence[str]) -> None:
    """Refuse ``text``, a time without offset, when ``zones`` give it different offsets."""
    from zoneinfo import ZoneInfo

    try:
        wall = datetime.fromisoformat(text.strip())
    except ValueError:
        return  # not a time at all: read_time says so
    if not MIN_YEAR <= wall.year <= MAX_YEAR:
        return  # read_time says so
    offsets = {zone: wall.replace(tzinfo=ZoneInfo(zone)).strftime("%z") for zone in zones}
    if len(set(offsets.values())) > 1:
        shown = ", ".join(f"{zone} {offset[:3]}:{offset[3:]}" for zone, offset in offsets.items())
        # The time typed, with each offset the state's zones keep then (its main zone's first).
        typed = wall.isoformat(
            timespec="minutes" if wall.second == wall.microsecond == 0 else "auto"
        )
        examples = ", ".join(
            f"{typed}{offset[:3]}:{offset[3:]}" for offset in dict.fromkeys(offsets.values())
        )
        raise InterceptionError(
            _(
                "{time} has no UTC offset and {acting} keeps time zones that differ then "
                "({zones}); add the offset: {examples}"
            ).format(time=repr(text.strip()[:60]), acting=acting, zones=shown, examples=examples),
            field="at",
            value=text,
        )


def _has_offset(text: str) -> bool:
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        return True  # not a time at all: read_time says so
    return parsed.tzinfo is not None
