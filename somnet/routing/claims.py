"""Reading the zone of an interception against the coastal state's maritime claims."""

from __future__ import annotations

import attrs

from somnet.directory.lookup import Directory
from somnet.directory.records import (
    ClaimName,
)
from somnet.routing.asks import joined
from somnet.routing.interception import (
    Interception,
)


def within_claims(directory: Directory, i: Interception) -> tuple[Interception, list[str]]:
    """The interception read against the coastal state's maritime claims.

    A zone the coastal state does not claim is not applied: a contiguous zone it does not claim
    is its EEZ, or the high seas when it claims no EEZ either (UNCLOS arts. 33, 55, 86), and
    the plan treats the waters so, since acting "in its own contiguous zone" would be
    unfounded. A claim recorded as uncertain (or an absence recorded as uncertain) is applied
    as recorded, with a warning that says so.
    """
    state = directory.state(i.coastal) if i.coastal else None
    if state is None:
        return i, []
    claims = state.maritime
    why = f" ({joined(claims.notes)})" if claims.notes else ""
    claim: ClaimName | None = {
        "territorial": "territorial_sea_nm",
        "contiguous": "contiguous_zone_nm",
        "eez": "eez_nm",
        "archipelagic": "archipelagic",
    }.get(i.zone)  # type: ignore[assignment]
    if claim is None:
        return i, []
    doubt = claims.is_uncertain(claim)
    unclaimed = {
        "contiguous_zone_nm": claims.contiguous_zone_nm is None,
        "eez_nm": claims.eez_nm is None,
    }.get(claim, False)
    if unclaimed:
        to_eez = claim == "contiguous_zone_nm" and claims.eez_nm is not None
        label = {"contiguous_zone_nm": "contiguous zone", "eez_nm": "EEZ"}[claim]
        warning = (
            f"{i.coastal} claims no {label}"
            + (" on record" if doubt else "")
            + f": beyond its {claims.territorial_sea_nm} nm territorial sea the waters are "
            + ("its EEZ" if to_eez else "the high seas")
            + ", and this plan treats them so."
        )
        if doubt:
            warning += (
                f" The record of its claims is uncertain{why}: if it does claim one, the plan "
                "changes; check before relying on it."
            )
        read = (
            attrs.evolve(i, zone="eez")
            if to_eez
            else attrs.evolve(i, zone="high-seas", coastal=None)
        )
        return read, [warning]
    if claim == "archipelagic" and not claims.archipelagic:
        return i, [
            f"{i.coastal} is not an archipelagic state"
            + (" on record (uncertain)" if doubt else "")
            + ": waters inside its baselines are internal waters (the plan is the same)."
        ]
    if doubt:
        breadth = {
            "territorial_sea_nm": f" ({claims.territorial_sea_nm} nm)",
            "contiguous_zone_nm": f" ({claims.contiguous_zone_nm} nm)",
            "eez_nm": f" ({claims.eez_nm} nm)",
        }.get(claim, "")
        label = {
            "territorial_sea_nm": "territorial sea",
            "contiguous_zone_nm": "contiguous zone",
            "eez_nm": "EEZ",
            "archipelagic": "archipelagic",
        }[claim]
        return i, [
            f"{i.coastal}'s {label} claim{breadth} is uncertain{why}: the plan applies it as "
            "recorded; confirm it before relying on the coastal state's powers there."
        ]
    return i, []
