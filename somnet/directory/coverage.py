"""What the directory covers for each jurisdiction: the agencies acting for it by status, its
maritime claims and Smuggling of Migrants Protocol status, the roles no agency holds, whether
a SAR region covers its waters, and how many nationalities' consular posts serve it."""

from __future__ import annotations

import attrs

from somnet.directory.lookup import Directory
from somnet.directory.records import Certainty, ProtocolParty

#: The roles every jurisdiction should have an agency for (or a note naming the gap): what
#: routing asks of a coastal, flag, acting or landing state.
CORE_ROLES = (
    "sar",
    "maritime-law-enforcement",
    "migration",
    "refugee-status",
    "child-protection",
    "anti-trafficking",
    "prosecution",
    "anti-corruption",
    "mla-central-authority",
    "foreign-affairs",
    "ship-registry",
)


@attrs.frozen
class Coverage:
    """What the directory holds for one jurisdiction.

    Attributes:
        code: its ISO code; name: its English name.
        sovereign: for a territory, the state that answers for it.
        agencies_confirmed, agencies_uncertain: agencies acting for it (its own, and another
            jurisdiction's that cover it), consular posts left out.
        maritime: whether its maritime claims are confirmed.
        som_protocol: its Smuggling of Migrants Protocol status.
        missing_roles: the core roles no agency acting for it holds.
        sar_region: whether an RCC's SAR region covers its waters.
        consular_nationalities: how many nationalities have a consular record serving it.
    """

    code: str
    name: str
    sovereign: str | None
    agencies_confirmed: int
    agencies_uncertain: int
    maritime: Certainty
    som_protocol: ProtocolParty
    missing_roles: tuple[str, ...]
    sar_region: bool
    consular_nationalities: int


def coverage(directory: Directory) -> list[Coverage]:
    """What the directory covers, one entry a jurisdiction it holds, by code."""
    from somnet._given import a_directory

    a_directory(directory)
    served: dict[str, set[str]] = {}
    for channel in directory.consular:
        for receiving in channel.receiving:
            if channel.type != "none":
                served.setdefault(receiving, set()).add(channel.nationality)
    found = []
    for code, state in sorted(directory.states.items()):
        acting = [
            a
            for a in directory.all_agencies()
            if a.roles != ("consular",)
            and (code in a.covers or (a.state == code and a.located_in in (None, code)))
        ]
        held = {role for a in acting for role in a.roles}
        confirmed = sum(a.status == "confirmed" for a in acting)
        found.append(
            Coverage(
                code=code,
                name=state.names.en,
                sovereign=state.sovereign,
                agencies_confirmed=confirmed,
                agencies_uncertain=len(acting) - confirmed,
                maritime=state.maritime.status,
                som_protocol=state.som_protocol.party,
                missing_roles=tuple(r for r in CORE_ROLES if r not in held),
                sar_region=bool(directory.sar_regions_for(code)),
                consular_nationalities=len(served.get(code, ())),
            )
        )
    return found
