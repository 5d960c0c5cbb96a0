"""A small, valid directory written as TOML files, for tests that need real files on disk.

Three states (BS, HT, US) with their agencies and contacts, two agreements, consular channels
(an embassy, a consulate, an explicit "no mission") and a SAR region. Tests take the records
as plain dicts (``sample_files()``), change what they test, and write them with
``write_layer()``. The standard library reads TOML but does not write it, so ``to_toml()``
writes the small subset the data files use. Hypothesis strategies for records are at the end.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from somnet.directory.files import shown_as_something
from somnet.directory.hours import Span, WeeklyHours
from somnet.directory.records import (
    CHANNEL_KINDS,
    ROLES,
    Agency,
    Agreement,
    Channel,
    ConsularChannel,
    Contact,
    Provisions,
    Source,
)

#: The date every sample record was last verified; tests load with ``today=TODAY``.
VERIFIED = date(2026, 6, 1)
TODAY = date(2026, 11, 27)
#: A contact verified long ago, reported by ``stale``.
STALE_VERIFIED = date(2024, 1, 15)

#: When the sample sources were published: recent evidence, which ``stale`` does not report.
PUBLISHED = date(2025, 3, 1)

_SOURCE = {
    "title": "Official page",
    "url": "https://example.gov/source",
    "published": PUBLISHED,
    "accessed": VERIFIED,
}


def _source(title: str = "Official page") -> list[dict[str, Any]]:
    return [{**_SOURCE, "title": title}]


def _contact(
    contact_id: str,
    *,
    kind: str = "desk",
    languages: list[str] | None = None,
    channels: list[dict[str, Any]],
    name: str | None = None,
    title: str | None = None,
    verified: date = VERIFIED,
) -> dict[str, Any]:
    contact: dict[str, Any] = {
        "id": contact_id,
        "kind": kind,
        "languages": languages or ["en"],
        "last_verified": verified,
        "illustrative": True,
    }
    if name:
        contact["name"] = name
    if title:
        contact["title"] = title
    contact["channels"] = channels
    return contact


def _state(
    code: str, names: tuple[str, str, str], zone: str, languages: list[str]
) -> dict[str, Any]:
    en, es, fr = names
    return {
        "code": code,
        "names": {"en": en, "es": es, "fr": fr},
        "timezones": [zone],
        "languages": languages,
        "working_hours": "Mo-Fr 09:00-17:00",
        "last_verified": VERIFIED,
        "sources": _source(f"{en}: government portal"),
        "maritime": {
            "territorial_sea_nm": 12,
            "contiguous_zone_nm": 24,
            "eez_nm": 200,
            "archipelagic": code == "BS",
            "sources": _source("Maritime zones law"),
        },
        "som_protocol": {
            "party": "yes",
            "date": date(2008, 9, 26),
            "sources": _source("UN Treaty Collection, XVIII-12-b"),
        },
    }


def bahamas() -> dict[str, Any]:
    state = _state("BS", ("The Bahamas", "Bahamas", "Bahamas"), "America/Nassau", ["en"])
    state["meeting_focal_point"] = "bs-mofa-desk"
    return {
        "state": state,
        "agencies": [
            {
                "id": "bs-rbdf",
                "state": "BS",
                "name": "Royal Bahamas Defence Force",
                "name_en": "Royal Bahamas Defence Force",
                "acronym": "RBDF",
                "roles": ["maritime-law-enforcement", "som-art8-authority"],
                "last_verified": VERIFIED,
                "sources": _source("RBDF official page"),
                "contacts": [
                    _contact(
                        "bs-rbdf-ops",
                        kind="duty",
                        name="RBDF Operations Centre, duty officer",
                        channels=[
                            {"kind": "phone", "value": "+12425550100", "availability": "24/7"},
                            {"kind": "email", "value": "ops@rbdf.example.org"},
                        ],
                    )
                ],
            },
            {
                "id": "bs-immigration",
                "state": "BS",
                "name": "Department of Immigration",
                "name_en": "Department of Immigration",
                "roles": ["migration", "refugee-status"],
                "working_hours": "Mo-Th 09:00-17:00; Fr 09:00-16:00",
                "last_verified": VERIFIED,
                "sources": _source(),
                "contacts": [
                    _contact(
                        "bs-immigration-desk",
                        title="Enforcement unit desk",
                        verified=STALE_VERIFIED,
                        channels=[
                            {"kind": "email", "value": "enforcement@immigration.example.org"}
                        ],
                    )
                ],
            },
            {
                "id": "bs-mofa",
                "state": "BS",
                "name": "Ministry of Foreign Affairs",
                "name_en": "Ministry of Foreign Affairs",
                "acronym": "MOFA",
                "roles": ["foreign-affairs"],
                "last_verified": VERIFIED,
                "sources": _source(),
                "contacts": [
                    _contact(
                        "bs-mofa-desk",
                        title="Regional affairs desk",
                        channels=[{"kind": "email", "value": "regional@mofa.example.org"}],
                    )
                ],
            },
        ],
    }


def haiti() -> dict[str, Any]:
    return {
        "state": _state("HT", ("Haiti", "Haití", "Haïti"), "America/Port-au-Prince", ["fr", "ht"]),
        "agencies": [
            {
                "id": "ht-pnh",
                "state": "HT",
                "name": "Police nationale d'Haïti",
                "name_en": "Haitian National Police",
                "acronym": "PNH",
                "roles": ["anti-trafficking"],
                "last_verified": VERIFIED,
                "sources": _source(),
            },
            {
                "id": "ht-garde-cotes",
                "state": "HT",
                "name": "Garde-côtes d'Haïti",
                "name_en": "Haitian Coast Guard",
                "parent": "ht-pnh",
                "roles": ["maritime-law-enforcement"],
                "last_verified": VERIFIED,
                "sources": _source(),
                "contacts": [
                    _contact(
                        "ht-garde-cotes-duty",
                        kind="duty",
                        languages=["fr", "ht"],
                        channels=[
                            {"kind": "phone", "value": "+509 XXXX 0100", "availability": "24/7"}
                        ],
                    )
                ],
            },
            {
                "id": "ht-onm",
                "state": "HT",
                "name": "Office national de la migration",
                "name_en": "National Office for Migration",
                "acronym": "ONM",
                "roles": ["migration"],
                "last_verified": VERIFIED,
                "sources": _source(),
                "contacts": [
                    _contact(
                        "ht-onm-desk",
                        languages=["fr"],
                        title="Returns desk",
                        channels=[{"kind": "email", "value": "retours@onm.example.org"}],
                    )
                ],
            },
            {
                "id": "ht-emb-bs",
                "state": "HT",
                "name": "Ambassade d'Haïti aux Bahamas",
                "name_en": "Embassy of Haiti in The Bahamas",
                "roles": ["consular"],
                "located_in": "BS",
                "covers": ["BS"],
                "last_verified": VERIFIED,
                "sources": _source(),
                "contacts": [
                    _contact(
                        "ht-emb-bs-consular",
                        languages=["fr", "en"],
                        title="Consular section",
                        channels=[{"kind": "email", "value": "consulat@ht-nassau.example.org"}],
                    )
                ],
            },
            {
                "id": "ht-cons-miami",
                "state": "HT",
                "name": "Consulat général d'Haïti à Miami",
                "name_en": "Consulate General of Haiti in Miami",
                "roles": ["consular"],
                "located_in": "US",
                "covers": ["US"],
                "timezone": "America/New_York",
                "last_verified": VERIFIED,
                "sources": _source(),
            },
        ],
    }


def united_states() -> dict[str, Any]:
    state = _state(
        "US",
        ("United States", "Estados Unidos", "États-Unis"),
        "America/New_York",
        ["en"],
    )
    state["timezones"] = ["America/New_York", "America/Puerto_Rico"]
    state["maritime"]["archipelagic"] = False
    return {
        "state": state,
        "agencies": [
            {
                "id": "us-uscg-d7",
                "state": "US",
                "name": "U.S. Coast Guard Seventh District",
                "name_en": "U.S. Coast Guard Seventh District",
                "acronym": "USCG D7",
                "roles": ["maritime-law-enforcement", "som-art8-authority"],
                "last_verified": VERIFIED,
                "sources": _source(),
                "contacts": [
                    _contact(
                        "us-uscg-d7-command-center",
                        kind="duty",
                        channels=[
                            {"kind": "phone", "value": "+13055550100", "availability": "24/7"}
                        ],
                    )
                ],
            },
            {
                "id": "us-rcc-miami",
                "state": "US",
                "name": "Rescue Coordination Center Miami",
                "name_en": "Rescue Coordination Center Miami",
                "acronym": "RCC Miami",
                "parent": "us-uscg-d7",
                "roles": ["sar"],
                "last_verified": VERIFIED,
                "sources": _source(),
                "contacts": [
                    _contact(
                        "us-rcc-miami-duty",
                        kind="duty",
                        name="RCC Miami watch",
                        channels=[
                            {"kind": "phone", "value": "+13055550101", "availability": "24/7"},
                            {"kind": "vhf", "value": "Channel 16", "availability": "24/7"},
                        ],
                    )
                ],
            },
        ],
    }


def agreements() -> dict[str, Any]:
    return {
        "agreements": [
            {
                "id": "us-ht-interdiction-1981",
                "title": "United States-Haiti migrant interdiction agreement",
                "kind": "interdiction",
                "parties": ["US", "HT"],
                "signed": date(1981, 9, 23),
                "in_force": date(1981, 9, 23),
                "status": "in-force",
                "last_verified": VERIFIED,
                "sources": _source("Exchange of notes, 33 UST 3559"),
                "provides": {"boarding": "pre-authorised", "boarding_by": ["US"]},
            },
            {
                "id": "us-bs-maritime-2004",
                "title": "United States-Bahamas maritime law enforcement agreement",
                "kind": "interdiction",
                "parties": ["US", "BS"],
                "signed": date(2004, 6, 29),
                "status": "in-force",
                "last_verified": VERIFIED,
                "sources": _source(),
                "provides": {"boarding": "expedited", "notification_hours": 2},
            },
        ]
    }


def consular() -> dict[str, Any]:
    return {
        "consular": [
            {
                "nationality": "HT",
                "receiving": ["BS"],
                "type": "embassy",
                "mission": "ht-emb-bs",
                "last_verified": VERIFIED,
                "sources": _source(),
            },
            {
                "nationality": "HT",
                "receiving": ["US"],
                "type": "consulate",
                "mission": "ht-cons-miami",
                "last_verified": VERIFIED,
                "sources": _source(),
            },
            {
                "nationality": "ER",
                "receiving": ["BS", "HT"],
                "type": "none",
                "last_verified": VERIFIED,
                "sources": [
                    {
                        **_SOURCE,
                        "title": "Eritrea: missions abroad",
                        "url": "https://example.gov/missions",
                        "evidence": "mission-list",
                    },
                    {
                        **_SOURCE,
                        "title": "Diplomatic list",
                        "url": "https://example.gov/diplomatic-list",
                        "evidence": "diplomatic-list",
                    },
                ],
                "notes": ["No Eritrean mission is accredited to The Bahamas or Haiti."],
            },
        ]
    }


def sar() -> dict[str, Any]:
    return {
        "sar_regions": [
            {
                "id": "srr-miami",
                "name": "Miami SRR (RCC Miami)",
                "rcc": "us-rcc-miami",
                "covers": ["US", "BS"],
                "last_verified": VERIFIED,
                "sources": _source(),
            }
        ]
    }


def sample_files() -> dict[str, dict[str, Any]]:
    """The sample directory as {relative file name: records}; a fresh copy each call."""
    return copy.deepcopy(
        {
            "states/BS.toml": bahamas(),
            "states/HT.toml": haiti(),
            "states/US.toml": united_states(),
            "agreements.toml": agreements(),
            "consular.toml": consular(),
            "sar.toml": sar(),
        }
    )


#: What the sample directory holds, for exact counts.
SAMPLE_COUNTS = {
    "states": 3,
    "agencies": 10,
    "contacts": 8,
    "agreements": 2,
    "consular_channels": 3,
    "sar_regions": 1,
}


def write_layer(folder: Path, files: dict[str, dict[str, Any]]) -> Path:
    """Write each document as TOML under ``folder`` (created); returns ``folder``."""
    for name, document in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(to_toml(document), encoding="utf-8")
    return folder


def make_directory(folder: Path) -> Path:
    """Write the sample directory into ``folder``; returns ``folder``."""
    return write_layer(folder, sample_files())


# A TOML writer for the subset the data files use -----------------------------------------


def to_toml(document: dict[str, Any]) -> str:
    """TOML text for nested dicts of text, numbers, booleans, dates and lists.

    Lists of tables become arrays of tables (``[[agencies]]``), except lists of flat tables
    (sources), written inline as the shipped files do.
    """
    lines: list[str] = []
    _table(document, [], lines, array=False)
    return "\n".join(lines).lstrip("\n") + "\n"


def _table(table: dict[str, Any], path: list[str], lines: list[str], *, array: bool) -> None:
    if path:
        header = ".".join(path)
        lines += ["", f"[[{header}]]" if array else f"[{header}]"]
    nested: list[tuple[str, Any]] = []
    for key, value in table.items():
        if isinstance(value, dict) and not _is_flat(value):
            nested.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            if all(_is_flat(v) for v in value) and key in ("sources", "names"):
                lines.append(f"{key} = {_value(value)}")
            else:
                nested.append((key, value))
        else:
            lines.append(f"{key} = {_value(value)}")
    for key, value in nested:
        if isinstance(value, dict):
            _table(value, [*path, key], lines, array=False)
        else:
            for item in value:
                _table(item, [*path, key], lines, array=True)


def _is_flat(table: dict[str, Any]) -> bool:
    return not any(isinstance(v, dict | list) for v in table.values()) and len(table) <= 4


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        # JSON string escapes are valid TOML basic-string escapes.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


# Hypothesis strategies for records -------------------------------------------------------

_boundaries = st.lists(
    st.integers(min_value=0, max_value=24 * 60 // 5).map(lambda m: m * 5),
    unique=True,
    max_size=6,
).map(sorted)


@st.composite
def weekly_hours(draw: st.DrawFn) -> WeeklyHours:
    """Valid opening hours: 24/7, or non-overlapping windows on some weekdays."""
    if draw(st.integers(0, 9)) == 0:
        return WeeklyHours(always=True)
    spans = []
    for weekday in range(7):
        points = draw(_boundaries)
        for start, end in zip(points[::2], points[1::2], strict=False):
            spans.append(Span(weekday, start, end))
    if not spans:
        spans.append(Span(draw(st.integers(0, 6)), 0, 24 * 60))
    return WeeklyHours(always=False, spans=tuple(spans))


# Printable text: TOML basic strings cannot hold raw control characters; and never blank (white
# space and characters shown as nothing alone), which the directory refuses in a name or a note.
texts = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
    shown_as_something
)
ids = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
codes = st.sampled_from(["BS", "DO", "HT", "HN", "JM", "MX", "PA", "US", "CU", "TC", "VE"])
dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2026, 11, 27))


def _tuple(elements: st.SearchStrategy[Any], *, min_size: int = 0) -> st.SearchStrategy[Any]:
    return st.lists(elements, min_size=min_size, max_size=3).map(tuple)


sources = _tuple(
    st.builds(
        Source,
        title=texts.filter(str.strip),
        url=st.none() | st.just("https://example.gov/page"),
        accessed=st.none() | dates,
        note=st.none() | texts,
        published=st.none() | dates,
        as_of=st.none() | dates,
        evidence=st.none() | st.sampled_from(["mission-list", "diplomatic-list"]),
    ),
    min_size=1,
)
channels = st.builds(
    Channel,
    kind=st.sampled_from(sorted(CHANNEL_KINDS)),
    value=texts,
    availability=st.none() | weekly_hours(),
    note=st.none() | texts,
)
contacts = st.builds(
    Contact,
    id=ids,
    kind=st.sampled_from(["person", "desk", "duty"]),
    languages=_tuple(st.sampled_from(["en", "es", "fr", "ht"]), min_size=1),
    channels=_tuple(channels, min_size=1),
    last_verified=dates,
    name=st.none() | texts,
    title=st.none() | texts,
    sensitivity=st.sampled_from(["public", "restricted"]),
    illustrative=st.booleans(),
    notes=_tuple(texts),
)
agencies = st.builds(
    Agency,
    id=ids,
    state=codes,
    name=texts,
    name_en=texts,
    roles=_tuple(st.sampled_from(sorted(ROLES)), min_size=1),
    sources=sources,
    last_verified=dates,
    acronym=st.none() | texts,
    parent=st.none() | ids,
    covers=_tuple(codes),
    located_in=st.none() | codes,
    timezone=st.none() | st.sampled_from(["America/Nassau", "America/Panama"]),
    holiday_subdivision=st.none() | st.sampled_from(["973", "FL"]),
    working_hours=st.none() | weekly_hours(),
    contacts=_tuple(contacts),
    status=st.sampled_from(["confirmed", "uncertain"]),
    notes=_tuple(texts),
)
agreements_ = st.builds(
    Agreement,
    id=ids,
    title=texts,
    kind=st.sampled_from(["repatriation", "interdiction", "shiprider", "sar", "mou"]),
    parties=_tuple(codes, min_size=2),
    status=st.sampled_from(["in-force", "signed", "uncertain", "terminated"]),
    sources=sources,
    last_verified=dates,
    signed=st.none() | dates,
    in_force=st.none() | dates,
    ended=st.none() | dates,
    provides=st.builds(
        Provisions,
        boarding=st.sampled_from(["none", "expedited", "pre-authorised"]),
        boarding_by=_tuple(codes),
        entry_by=_tuple(codes),
        notification_hours=st.none() | st.integers(1, 240),
        return_days=st.none() | st.integers(1, 90),
        nationalities=_tuple(codes),
        zones=_tuple(st.sampled_from(["territorial", "contiguous", "high-seas"])),
        covers_migrant_smuggling=st.booleans(),
    ),
    notes=_tuple(texts),
)
consular_channels = st.builds(
    ConsularChannel,
    nationality=codes,
    receiving=_tuple(codes, min_size=1),
    type=st.sampled_from(["embassy", "consulate", "honorary", "concurrent", "none"]),
    sources=sources,
    last_verified=dates,
    mission=st.none() | ids,
    status=st.sampled_from(["confirmed", "uncertain"]),
    notes=_tuple(texts),
)


def fan_of_links(folder: Path, levels: int = 40) -> None:
    """Below ``folder``, a chain of ``levels`` folders, each reached from the one above by two
    links: a walk that follows links meets 2**``levels`` folders (``--data /`` in small)."""
    above = folder
    for level in range(levels):
        below = folder / f"level-{level}"
        below.mkdir()
        (above / f"left-{level}").symlink_to(below)
        (above / f"right-{level}").symlink_to(below)
        above = below
