"""Reading the zone of an interception against the coastal state's maritime claims."""

from __future__ import annotations

import attrs

from somnet._codes import state_name
from somnet._i18n import Message, _
from somnet.directory.lookup import Directory
from somnet.directory.records import (
    ClaimName,
)
from somnet.routing.asks import joined
from somnet.routing.interception import (
    Interception,
)


def within_claims(directory: Directory, i: Interception) -> tuple[Interception, list[Message]]:
    """The interception read against the coastal state's maritime claims.

    A zone the coastal state does not claim is not applied: a contiguous zone it does not claim
    is its EEZ, or the high seas when it claims no EEZ either (UNCLOS arts. 33, 55, 86), and
    the plan treats the waters so, since acting "in its own contiguous zone" would be
    unfounded. "Archipelagic" waters of a state that is not archipelagic are its internal
    waters, and the plan treats them so. A claim recorded as uncertain (or an absence recorded
    as uncertain) is applied as recorded, with a warning that says so. A coastal state the
    directory holds no file of has no claims on record: a zone that not every coastal state
    has (a contiguous zone, an EEZ, archipelagic waters) is taken as given, with a warning that
    says so; every coastal state has a territorial sea and internal waters.
    """
    state = directory.state(i.coastal) if i.coastal else None
    if state is None:
        return i, _unknown_claims(i)
    claims = state.maritime
    why = joined(claims.notes) if claims.notes else ""
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
        unclaimed_texts = {
            # (the zone, doubt, to the EEZ)
            ("contiguous_zone_nm", False, True): _(
                "{coastal} claims no contiguous zone: beyond its {sea} nm territorial sea the "
                "waters are its EEZ, and this plan treats them so."
            ),
            ("contiguous_zone_nm", False, False): _(
                "{coastal} claims no contiguous zone: beyond its {sea} nm territorial sea the "
                "waters are the high seas, and this plan treats them so."
            ),
            ("contiguous_zone_nm", True, True): _(
                "{coastal} claims no contiguous zone on record: beyond its {sea} nm territorial "
                "sea the waters are its EEZ, and this plan treats them so."
            ),
            ("contiguous_zone_nm", True, False): _(
                "{coastal} claims no contiguous zone on record: beyond its {sea} nm territorial "
                "sea the waters are the high seas, and this plan treats them so."
            ),
            ("eez_nm", False, False): _(
                "{coastal} claims no EEZ: beyond its {sea} nm territorial sea the waters are the "
                "high seas, and this plan treats them so."
            ),
            ("eez_nm", True, False): _(
                "{coastal} claims no EEZ on record: beyond its {sea} nm territorial sea the "
                "waters are the high seas, and this plan treats them so."
            ),
        }
        warning = unclaimed_texts[(claim, doubt, to_eez)].format(
            coastal=i.coastal, sea=claims.territorial_sea_nm
        )
        if doubt:
            doubt_text = (
                _(
                    "The record of its claims is uncertain ({why}): if it does claim one, the "
                    "plan changes; check before relying on it."
                )
                if why
                else _(
                    "The record of its claims is uncertain: if it does claim one, the plan "
                    "changes; check before relying on it."
                )
            )
            warning = _("{first} {second}").format(first=warning, second=doubt_text.format(why=why))
        read = (
            attrs.evolve(i, zone="eez")
            if to_eez
            else attrs.evolve(i, zone="high-seas", coastal=None, coast=i.coastal)
        )
        return read, [warning]
    if claim == "archipelagic" and not claims.archipelagic:
        # Read as internal waters, so that what governs there (an agreement's zones) applies.
        return attrs.evolve(i, zone="internal"), [
            (
                _(
                    "{coastal} is not an archipelagic state on record (uncertain): waters inside "
                    "its baselines are internal waters (the plan is the same)."
                )
                if doubt
                else _(
                    "{coastal} is not an archipelagic state: waters inside its baselines are "
                    "internal waters (the plan is the same)."
                )
            ).format(coastal=i.coastal)
        ]
    if doubt:
        breadth = {
            "territorial_sea_nm": claims.territorial_sea_nm,
            "contiguous_zone_nm": claims.contiguous_zone_nm,
            "eez_nm": claims.eez_nm,
        }.get(claim)
        label = {
            "territorial_sea_nm": _("territorial sea"),
            "contiguous_zone_nm": _("contiguous zone"),
            "eez_nm": _("EEZ"),
            "archipelagic": _("archipelagic"),
        }[claim]
        if breadth is not None and why:
            text = _(
                "{coastal}'s {zone} claim ({breadth} nm) is uncertain ({why}): the plan applies "
                "it as recorded; confirm it before relying on the coastal state's powers there."
            )
        elif breadth is not None:
            text = _(
                "{coastal}'s {zone} claim ({breadth} nm) is uncertain: the plan applies it as "
                "recorded; confirm it before relying on the coastal state's powers there."
            )
        elif why:
            text = _(
                "{coastal}'s {zone} claim is uncertain ({why}): the plan applies it as recorded; "
                "confirm it before relying on the coastal state's powers there."
            )
        else:
            text = _(
                "{coastal}'s {zone} claim is uncertain: the plan applies it as recorded; confirm "
                "it before relying on the coastal state's powers there."
            )
        return i, [text.format(coastal=i.coastal, zone=label, breadth=breadth, why=why)]
    return i, []


def _unknown_claims(i: Interception) -> list[Message]:
    """What the plan says of a zone claimed by a coastal state whose claims it does not know.

    A contiguous zone (UNCLOS art. 33), an EEZ (arts. 55, 57) and archipelagic waters (arts.
    46, 47, 49) exist only as the coastal state claims or qualifies for them; the zone is
    applied as given, and the officer told to check it. A territorial sea (art. 3) and
    internal waters (art. 8) are every coastal state's, and the high seas no one's.
    """
    if i.coastal is None:
        return []
    text = {
        "contiguous": _(
            "The directory holds no maritime claims of {coastal} ({name}): the plan takes the "
            "waters as its contiguous zone, as given. Check that {coastal} claims one and how "
            "far it reaches (at most 24 nm from its baselines, UNCLOS art. 33(2)): if it claims "
            "none, the waters are its EEZ or the high seas, and the plan changes."
        ),
        "eez": _(
            "The directory holds no maritime claims of {coastal} ({name}): the plan takes the "
            "waters as its EEZ, as given. Check that {coastal} claims one and how far it "
            "reaches (at most 200 nm from its baselines, UNCLOS art. 57): if it claims none, "
            "the waters are the high seas, and the plan changes."
        ),
        "archipelagic": _(
            "The directory holds no maritime claims of {coastal} ({name}): the plan takes the "
            "waters as its archipelagic waters, as given. Check that {coastal} is an "
            "archipelagic state (UNCLOS arts. 46, 47): if it is not, the waters inside its "
            "baselines are its internal waters."
        ),
    }.get(i.zone)
    if text is None:
        return []
    return [text.format(coastal=i.coastal, name=state_name(i.coastal))]
