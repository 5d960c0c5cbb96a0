"""An interception: the facts an officer knows when deciding whom to contact."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import attrs

from somnet._exceptions import InterceptionError
from somnet._time import MAX_YEAR, MIN_YEAR

ZONES = ("internal", "territorial", "archipelagic", "contiguous", "eez", "high-seas")
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
        conditions: facts known (distress, minors, asylum...).
        return_considered: return or repatriation is being considered.
        at: when contact is made (aware).
    """

    zone: str
    at: datetime
    flag: str | None = None
    stateless: bool = False
    coastal: str | None = None
    acting: str | None = None
    disembark: str | None = None
    nationalities: tuple[str, ...] = ()
    conditions: frozenset[str] = frozenset()
    return_considered: bool = False

    def has(self, *conditions: str) -> bool:
        """Whether any of the conditions is known."""
        return any(c in self.conditions for c in conditions)


def make_interception(
    *,
    zone: str,
    flag: str | None = None,
    stateless: bool = False,
    coastal: str | None = None,
    acting: str | None = None,
    disembark: str | None = None,
    nationalities: Iterable[str] = (),
    conditions: Iterable[str] = (),
    return_considered: bool = False,
    at: datetime | None = None,
) -> Interception:
    """Check an interception's facts and fill its defaults.

    Codes must already be ISO 3166-1 alpha-2 (see ``somnet._codes.normalise_state_code``).
    The disembarkation state defaults to the coastal state for internal, territorial,
    archipelagic and contiguous waters, and to the acting state otherwise.

    Raises:
        InterceptionError: facts that contradict each other, naming the flags involved.
    """
    zone = zone.strip().lower()
    if zone not in ZONES:
        raise InterceptionError(f"--zone: {zone!r} is not a zone; choose one of {', '.join(ZONES)}")
    if flag and stateless:
        raise InterceptionError(
            "--flag and --stateless contradict each other: a vessel flies a flag or is stateless"
        )
    if zone == "high-seas" and coastal:
        raise InterceptionError(
            "--coastal does not apply with --zone high-seas: no state's zone covers the high seas"
        )
    unknown = sorted(set(conditions) - set(CONDITIONS))
    if unknown:
        raise InterceptionError(f"unknown conditions {', '.join(unknown)}")
    if at is None:
        at = datetime.now(UTC)
    elif at.tzinfo is None or at.utcoffset() is None:
        raise InterceptionError(
            "--at: give the time with its UTC offset, e.g. 2026-12-01T03:00-05:00"
        )
    if not MIN_YEAR <= at.year <= MAX_YEAR:
        raise InterceptionError(
            f"--at: {at.isoformat()} is outside the years {MIN_YEAR}-{MAX_YEAR}"
        )
    if disembark is None:
        disembark = coastal if zone in COASTAL_DISEMBARKATION_ZONES else acting
    return Interception(
        zone=zone,
        at=at,
        flag=flag or None,
        stateless=stateless,
        coastal=coastal or None,
        acting=acting or None,
        disembark=disembark,
        nationalities=tuple(dict.fromkeys(nationalities)),
        conditions=frozenset(conditions),
        return_considered=return_considered,
    )
