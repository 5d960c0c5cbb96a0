"""A small, made-up directory that exercises every routing rule, written as TOML into a folder.

The shipped directory is real and will change as facts are verified; the rules' tests need
facts that do not move: an agreement in force and one uncertain, a state without an
anti-corruption agency, a consulate of each type. Codes are real ISO codes, the records are not.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from somnet import Directory, make_interception, plan_contacts

VERIFIED = "2026-11-01"
SOURCE = (
    '[{ title = "routing test fixture", url = "https://example.gov/fixture", '
    "published = 2026-01-15 }]"
)
#: Negative evidence of the fixture's "none" records: the sending state's list of its missions
#: and the receiving state's diplomatic list.
MISSION_LIST = (
    '{ title = "missions abroad", url = "https://example.gov/missions", published = 2026-01-15, '
    'evidence = "mission-list" }'
)
DIPLOMATIC_LIST = (
    '{ title = "diplomatic list", url = "https://example.gov/diplomatic-list", '
    'published = 2026-01-15, evidence = "diplomatic-list" }'
)

# code: (zone, languages, SOM party, [(id, roles, contact languages, duty 24/7?)])
STATES: dict[str, tuple[str, list[str], str, list[tuple[str, list[str], list[str], bool]]]] = {
    "BS": (
        "America/Nassau",
        ["en"],
        "yes",
        [
            ("bs-rbdf", ["maritime-law-enforcement"], ["en"], True),
            ("bs-immigration", ["migration", "refugee-status"], ["en"], False),
            ("bs-social", ["child-protection"], ["en"], False),
            ("bs-tip", ["anti-trafficking"], ["en"], False),
            ("bs-ag", ["prosecution"], ["en"], False),
            ("bs-mofa", ["foreign-affairs"], ["en"], False),
        ],
    ),
    "HT": (
        "America/Port-au-Prince",
        ["fr", "ht"],
        "yes",
        [
            ("ht-gc", ["maritime-law-enforcement"], ["fr", "ht"], True),
            ("ht-onm", ["migration"], ["fr"], False),
            ("ht-parquet", ["prosecution"], ["fr"], False),
            ("ht-mjsp", ["prosecution"], ["fr"], False),
            ("ht-mae", ["foreign-affairs"], ["fr"], False),
        ],
    ),
    "US": (
        "America/New_York",
        ["en"],
        "yes",
        [
            ("us-rcc-miami", ["sar"], ["en", "es"], True),
            ("us-uscg", ["maritime-law-enforcement", "som-art8-authority"], ["en"], True),
            ("us-uscis", ["refugee-status"], ["en"], False),
            ("us-ice", ["migration"], ["en"], False),
            ("us-doj", ["prosecution"], ["en"], False),
            ("us-usao-pr", ["prosecution"], ["en", "es"], False),
            ("us-uscg-sanjuan", ["maritime-law-enforcement"], ["en", "es"], True),
            ("us-cbp-pr", ["maritime-law-enforcement"], ["en", "es"], True),
        ],
    ),
    "CU": (
        "America/Havana",
        ["es"],
        "no",
        [
            ("cu-tgf", ["maritime-law-enforcement"], ["es"], True),
            ("cu-minint", ["migration"], ["es"], False),
            ("cu-fgr", ["prosecution"], ["es"], False),
        ],
    ),
    "JM": (
        "America/Jamaica",
        ["en"],
        "yes",
        [
            ("jm-jdf-cg", ["sar", "maritime-law-enforcement"], ["en"], True),
            ("jm-pica", ["migration"], ["en"], False),
        ],
    ),
    "DO": (
        "America/Santo_Domingo",
        ["es"],
        "yes",
        [
            ("do-armada", ["maritime-law-enforcement", "sar"], ["es"], True),
            ("do-dgm", ["migration"], ["es"], False),
        ],
    ),
    "TC": (
        "America/Grand_Turk",
        ["en"],
        "yes",
        [
            ("tc-marine", ["maritime-law-enforcement"], ["en"], True),
            ("tc-immigration", ["migration"], ["en"], False),
        ],
    ),
    "GB": (
        "Europe/London",
        ["en"],
        "yes",
        [
            ("gb-mca", ["som-art8-authority"], ["en"], True),
            ("gb-fcdo", ["foreign-affairs"], ["en"], False),
        ],
    ),
    "KY": (
        "America/Cayman",
        ["en"],
        "yes",
        [
            ("ky-coastguard", ["maritime-law-enforcement", "sar"], ["en"], True),
            ("ky-registry", ["ship-registry"], ["en"], False),
            ("ky-immigration", ["migration"], ["en"], False),
            ("ky-odpp", ["prosecution"], ["en"], False),
            # External affairs on the sovereign's behalf: never the consular channel of
            # Caymanians abroad, which is the United Kingdom's.
            ("ky-governor", ["foreign-affairs"], ["en"], False),
        ],
    ),
    "PR": (
        "America/Puerto_Rico",
        ["es", "en"],
        "yes",
        [("pr-police-maritime", ["maritime-law-enforcement"], ["es", "en"], True)],
    ),
    "CW": (
        "America/Curacao",
        ["nl", "pap", "en"],
        "yes",
        [("cw-dccg", ["maritime-law-enforcement", "sar"], ["nl", "en"], True)],
    ),
    "AW": (
        "America/Aruba",
        ["nl", "pap"],
        "yes",
        [("aw-immigration", ["migration"], ["nl", "pap"], False)],
    ),
}
#: Territories and the states that answer for them in international law.
SOVEREIGNS = {"TC": "GB", "KY": "GB", "PR": "US", "CW": "NL", "AW": "NL"}
#: Agencies that act for other jurisdictions too (the Dutch Caribbean Coast Guard).
AGENCY_COVERS = {
    "cw-dccg": ["AW"],
    "us-usao-pr": ["PR"],
    "us-uscg-sanjuan": ["PR"],
    "us-cbp-pr": ["PR"],
}
#: Agencies seated in another jurisdiction than their state's (a federal prosecutor's office).
AGENCY_LOCATED = {"us-usao-pr": "PR", "us-uscg-sanjuan": "PR", "us-cbp-pr": "PR"}

# Numbers that ring no one, one an agency: NANP lines reserved for fiction, and placeholders
# that cannot be dialled where the numbering plan reserves none ({n}: the agency's number).
PHONES = {
    "BS": "+1242555{n:04d}",
    "HT": "+509 XXXX {n:04d}",
    "US": "+1305555{n:04d}",
    "CU": "+53 XXXX {n:04d}",
    "JM": "+1876555{n:04d}",
    "DO": "+1809555{n:04d}",
    "TC": "+1649555{n:04d}",
    "GB": "+44207946{n:04d}",
    "KY": "+1345555{n:04d}",
    "PR": "+1787555{n:04d}",
    "CW": "+599 XXXX {n:04d}",
    "AW": "+297 XXXX {n:04d}",
}

STALE_CONTACT = "bs-ag-desk"
#: States that claim no contiguous zone (as The Bahamas does in the shipped data).
NO_CONTIGUOUS_ZONE = {"JM"}
#: Maritime claims recorded as uncertain: the uncertain ones, and the zones not claimed at all.
UNCERTAIN_CLAIMS = {"HT": ["contiguous_zone_nm"], "TC": ["contiguous_zone_nm", "eez_nm"]}
NO_EEZ = {"TC"}
#: Nationalities the United States must notify of a detained national whatever their wish.
US_MANDATORY_NOTIFICATION = ["BS", "JM", "GB", "TC"]
#: Agencies first to contact for a role their state's other agencies hold too.
PRIMARY_FOR = {
    "ht-parquet": ["prosecution"],
    # The sovereign's coast guard sector stationed in Puerto Rico acts there at sea; the
    # other federal unit stationed there is not marked primary.
    "us-uscg-sanjuan": ["maritime-law-enforcement"],
    "us-uscg": ["maritime-law-enforcement"],
}

EXTRA = f"""
[[agencies]]
id = "unhcr-washington"
state = "US"
name = "UNHCR Multi-Country Office, Washington"
name_en = "UNHCR Multi-Country Office, Washington"
roles = ["protection-partner"]
covers = ["US", "BS", "JM", "TC"]
last_verified = {VERIFIED}
sources = {SOURCE}
[[agencies.contacts]]
id = "unhcr-washington-desk"
kind = "desk"
languages = ["en", "es"]
last_verified = {VERIFIED}
illustrative = true
[[agencies.contacts.channels]]
kind = "email"
value = "protection.washington@example.org"

[[sar_regions]]
id = "srr-miami"
name = "Miami SRR"
rcc = "us-rcc-miami"
covers = ["US", "BS", "TC"]
last_verified = {VERIFIED}
sources = {SOURCE}

[[sar_regions]]
id = "srr-kingston"
name = "Kingston SRR"
rcc = "jm-jdf-cg"
covers = ["JM"]
last_verified = {VERIFIED}
sources = {SOURCE}

[[agencies]]
id = "us-rsc-sanjuan"
state = "US"
name = "Rescue Sub-Center San Juan"
name_en = "Rescue Sub-Center San Juan"
roles = ["sar"]
last_verified = {VERIFIED}
sources = {SOURCE}
[[agencies.contacts]]
id = "us-rsc-sanjuan-duty"
kind = "duty"
languages = ["en", "es"]
last_verified = {VERIFIED}
illustrative = true
[[agencies.contacts.channels]]
kind = "phone"
value = "+17875550100"
availability = "24/7"

[[sar_regions]]
id = "srr-sanjuan"
name = "San Juan SAR sub-region"
rcc = "us-rsc-sanjuan"
covers = ["PR"]
last_verified = {VERIFIED}
sources = {SOURCE}

[[sar_regions]]
id = "srr-sanjuan-do"
name = "San Juan SAR sub-region, Dominican waters"
rcc = "us-rsc-sanjuan"
covers = ["DO"]
status = "uncertain"
notes = ["placed in Miami's region by a 2003 agreement"]
last_verified = {VERIFIED}
sources = {SOURCE}

[[sar_regions]]
id = "srr-santo-domingo"
name = "Santo Domingo SRR"
rcc = "do-armada"
covers = ["DO"]
status = "uncertain"
notes = ["limits not notified"]
last_verified = {VERIFIED}
sources = {SOURCE}

[[agreements]]
id = "us-ht-1981"
title = "US-Haiti interdiction exchange of notes"
kind = "interdiction"
parties = ["US", "HT"]
signed = 1981-09-23
in_force = 1981-09-23
status = "in-force"
last_verified = {VERIFIED}
sources = {SOURCE}
[agreements.provides]
boarding = "pre-authorised"
boarding_by = ["US"]
landing_by = ["US"]
nationalities = ["HT"]
zones = ["high-seas", "eez", "contiguous"]

[[agreements]]
id = "us-gb-caribbean"
title = "US-UK Caribbean maritime agreement"
kind = "interdiction"
parties = ["US", "GB"]
signed = 1990-01-01
in_force = 1990-01-01
status = "in-force"
extends_to = ["KY"]
last_verified = {VERIFIED}
sources = {SOURCE}
[agreements.provides]
boarding = "pre-authorised"
boarding_by = ["US", "GB"]

[[agreements]]
id = "ky-cu-returns"
title = "Cayman Islands-Cuba memorandum on returns"
kind = "repatriation"
parties = ["KY", "CU"]
signed = 1999-04-01
in_force = 1999-04-01
status = "in-force"
last_verified = {VERIFIED}
sources = {SOURCE}
[agreements.provides]
notification_hours = 24
return_days = 21
nationalities = ["CU"]

[[agreements]]
id = "bs-tc-shiprider"
title = "Bahamas-Turks and Caicos shiprider agreement"
kind = "shiprider"
parties = ["BS", "TC"]
signed = 2021-12-02
status = "in-force"
in_force_from_practice = true
last_verified = {VERIFIED}
sources = {SOURCE}
[agreements.provides]
entry_by = ["BS"]
condition = "a TCI shiprider is aboard"

[[agreements]]
id = "us-do-counter-drug"
title = "US-Dominican Republic counter-drug shiprider agreement"
kind = "shiprider"
parties = ["US", "DO"]
signed = 2003-03-15
in_force = 2003-03-15
status = "in-force"
last_verified = {VERIFIED}
sources = {SOURCE}
[agreements.provides]
entry_by = ["US"]
covers_migrant_smuggling = false

[[agreements]]
id = "bs-ht-third-country"
title = "Bahamas-Haiti readmission of third-country nationals"
kind = "repatriation"
parties = ["BS", "HT"]
signed = 2015-06-01
in_force = 2015-06-01
status = "in-force"
last_verified = {VERIFIED}
sources = {SOURCE}
[agreements.provides]
return_days = 10
nationalities = ["DO"]

[[agreements]]
id = "us-jm-1997"
title = "US-Jamaica maritime agreement"
kind = "shiprider"
parties = ["US", "JM"]
signed = 1997-05-06
status = "uncertain"
last_verified = {VERIFIED}
sources = {SOURCE}
[agreements.provides]
boarding = "pre-authorised"
entry_by = ["US"]

[[agreements]]
id = "us-bs-2004"
title = "US-Bahamas maritime law enforcement agreement"
kind = "shiprider"
parties = ["US", "BS"]
signed = 2004-06-29
status = "in-force"
last_verified = {VERIFIED}
sources = {SOURCE}
[agreements.provides]
boarding = "expedited"
boarding_by = ["US"]
entry_by = ["US"]
notification_hours = 4

[[agreements]]
id = "us-ht-2000"
title = "US-Haiti expedited boarding arrangement"
kind = "interdiction"
parties = ["US", "HT"]
signed = 2000-01-01
in_force = 2000-01-01
status = "in-force"
last_verified = {VERIFIED}
sources = {SOURCE}
[agreements.provides]
boarding = "expedited"
boarding_by = ["US"]

[[agreements]]
id = "us-bs-2030"
title = "US-Bahamas shiprider protocol of 2030"
kind = "shiprider"
parties = ["US", "BS"]
signed = 2026-01-01
in_force = 2030-01-01
status = "in-force"
last_verified = {VERIFIED}
sources = {SOURCE}
[agreements.provides]
entry_by = ["US"]

[[agreements]]
id = "bs-cu-2013"
title = "Bahamas-Cuba expedited repatriation agreement"
kind = "repatriation"
parties = ["BS", "CU"]
signed = 2013-10-01
in_force = 2013-10-01
status = "in-force"
last_verified = {VERIFIED}
sources = {SOURCE}
[agreements.provides]
nationalities = ["CU"]

[[agreements]]
id = "bs-cu-1998"
title = "Bahamas-Cuba migration memorandum and protocol"
kind = "repatriation"
parties = ["BS", "CU"]
signed = 1998-01-01
status = "in-force"
last_verified = {VERIFIED}
sources = {SOURCE}
[agreements.provides]
notification_hours = 72
return_days = 15
nationalities = ["CU"]
"""

MISSIONS = [
    # (id, sending, located_in, covers, type, receiving, the post for landings)
    ("ht-emb-nassau", "HT", "BS", ["BS"], "embassy", ["BS"], False),
    # Listed before the embassy: the ladder, not the order of the records, puts it after.
    ("cu-hon-freeport", "CU", "BS", ["BS"], "honorary", ["BS"], False),
    ("cu-emb-nassau", "CU", "BS", ["BS"], "embassy", ["BS"], False),
    ("do-hon-nassau", "DO", "BS", ["BS"], "honorary", ["BS"], False),
    ("jm-emb-washington", "JM", "US", ["US", "BS"], "concurrent", ["BS"], False),
    ("ht-emb-washington", "HT", "US", ["US"], "embassy", ["US"], False),
    ("ht-cons-miami", "HT", "US", ["US"], "consulate", ["US"], True),
    ("gb-hc-nassau", "GB", "BS", ["BS"], "embassy", ["BS"], False),
    # A state the directory holds no file of, only a mission abroad.
    ("er-emb-washington", "ER", "US", ["US"], "embassy", ["US"], False),
]


def _contact(agency_id: str, code: str, languages: list[str], duty: bool, n: int) -> str:
    kind = "duty" if duty else "desk"
    verified = "2020-01-01" if f"{agency_id}-{kind}" == STALE_CONTACT else VERIFIED
    phone = PHONES[code].format(n=100 + n)
    lines = f"""
[[agencies.contacts]]
id = "{agency_id}-{kind}"
kind = "{kind}"
name = "{agency_id} {kind}"
languages = {languages!r}
last_verified = {verified}
illustrative = true
[[agencies.contacts.channels]]
kind = "phone"
value = "{phone}"
"""
    if duty:
        lines += 'availability = "24/7"\n'
    lines += f"""[[agencies.contacts.channels]]
kind = "email"
value = "{agency_id}.{n}@example.org"
availability = "Mo-Fr 09:00-17:00"
"""
    return lines.replace("'", '"')


REFUGEE_DESK = """
[[agencies.contacts]]
id = "bs-immigration-rsd"
kind = "desk"
name = "refugee status desk"
roles = ["refugee-status"]
languages = ["en"]
last_verified = 2026-11-01
illustrative = true
[[agencies.contacts.channels]]
kind = "email"
value = "rsd.immigration@example.org"
"""


def _claims_status(code: str) -> str:
    if code not in UNCERTAIN_CLAIMS:
        return ""
    claims = UNCERTAIN_CLAIMS[code]
    return f'status = "uncertain"\nuncertain = {claims!r}\nnotes = ["not confirmed"]'


def _mandatory_notification(code: str) -> str:
    if code != "US":
        return ""
    return f"""[state.mandatory_notification]
nationalities = {US_MANDATORY_NOTIFICATION!r}
sources = {SOURCE}"""


#: Documented role gaps: what was searched for a role no agency holds (shown on unresolved steps).
ROLE_GAPS = {
    "JM": [
        (
            ["refugee-status", "child-protection"],
            "No national body decides asylum claims in JM: UNHCR processes them at the "
            "request of the government. Searched the gazette and the ministry pages (2026).",
        )
    ]
}


def _role_gaps(code: str) -> str:
    gaps = ROLE_GAPS.get(code)
    if not gaps:
        return ""
    entries = ", ".join(f"{{ roles = {roles!r}, note = {note!r} }}" for roles, note in gaps)
    return f"role_gaps = [{entries}]"


#: The day a state became a party to the SOM Protocol, where the fixture records it: Jamaica's
#: real date (2003-09-29, before the Protocol entered into force on 2004-01-28) and a date
#: after it for the Dominican Republic (its real one, 2007-12-10).
PROTOCOL_DATES = {"JM": "2003-09-29", "DO": "2007-12-10"}


#: Status under the 1951 Refugee Convention and its 1967 Protocol, where the fixture records
#: it, as the shipped data does: Cuba a party to neither, Haiti to both, the United States to
#: the Protocol only. Every other state records none (read as uncertain).
REFUGEE_TREATIES = {"CU": ("no", "no"), "HT": ("yes", "yes"), "US": ("no", "yes")}

#: The day a party deposited its instrument, by state and instrument (``convention``,
#: ``protocol``), where the fixture records it: none (tests that need one patch it in).
REFUGEE_DATES: dict[tuple[str, str], str] = {}


def _refugee_treaties(code: str) -> str:
    if code not in REFUGEE_TREATIES:
        return ""
    convention, protocol = REFUGEE_TREATIES[code]

    def dated(instrument: str) -> str:
        day = REFUGEE_DATES.get((code, instrument))
        return "" if day is None else f"date = {day}"

    return f"""[state.refugee_convention]
party = "{convention}"
{dated("convention")}
sources = {SOURCE}
[state.refugee_protocol]
party = "{protocol}"
{dated("protocol")}
sources = {SOURCE}"""


def write_routing_directory(folder: Path) -> Path:
    """Write the fixture directory into ``folder`` (created) and return it."""
    (folder / "states").mkdir(parents=True, exist_ok=True)
    n = 0
    for code, (zone, languages, party, agencies) in STATES.items():
        sovereign = f'sovereign = "{SOVEREIGNS[code]}"' if code in SOVEREIGNS else ""
        text = f"""[state]
code = "{code}"
{sovereign}
names = {{ en = "{code} en", es = "{code} es", fr = "{code} fr" }}
timezones = ["{zone}"]
languages = {languages!r}
working_hours = "Mo-Fr 09:00-17:00"
last_verified = {VERIFIED}
sources = {SOURCE}
{_role_gaps(code)}
[state.maritime]
territorial_sea_nm = 12
{"" if code in NO_CONTIGUOUS_ZONE | NO_EEZ else "contiguous_zone_nm = 24"}
{"" if code in NO_EEZ else "eez_nm = 200"}
archipelagic = false
{_claims_status(code)}
sources = {SOURCE}
[state.som_protocol]
party = "{party}"
{f"date = {PROTOCOL_DATES[code]}" if code in PROTOCOL_DATES else ""}
sources = {SOURCE}
{_refugee_treaties(code)}
{_mandatory_notification(code)}
""".replace("'", '"')
        for agency_id, roles, contact_languages, duty in agencies:
            n += 1
            text += f"""
[[agencies]]
id = "{agency_id}"
state = "{code}"
name = "{agency_id} name"
name_en = "{agency_id} English name"
roles = {roles!r}
covers = {AGENCY_COVERS.get(agency_id, [])!r}
{f'located_in = "{AGENCY_LOCATED[agency_id]}"' if agency_id in AGENCY_LOCATED else ""}
primary_for = {PRIMARY_FOR.get(agency_id, [])!r}
last_verified = {VERIFIED}
sources = {SOURCE}
""".replace("'", '"')
            text += _contact(agency_id, code, contact_languages, duty, n)
            if agency_id == "bs-immigration":
                text += REFUGEE_DESK
        (folder / "states" / f"{code}.toml").write_text(text, encoding="utf-8")
    consular = ""
    for mission_id, sending, located, covers, kind, receiving, landings in MISSIONS:
        consular += f"""
[[agencies]]
id = "{mission_id}"
state = "{sending}"
name = "{mission_id} name"
name_en = "{mission_id} English name"
roles = ["consular"]
located_in = "{located}"
covers = {covers!r}
last_verified = {VERIFIED}
sources = {SOURCE}
[[agencies.contacts]]
id = "{mission_id}-desk"
kind = "desk"
languages = ["en"]
last_verified = {VERIFIED}
illustrative = true
[[agencies.contacts.channels]]
kind = "email"
value = "{mission_id}@example.org"

[[consular]]
nationality = "{sending}"
receiving = {receiving!r}
type = "{kind}"
mission = "{mission_id}"
serves_landings = {str(landings).lower()}
last_verified = {VERIFIED}
sources = {SOURCE}
""".replace("'", '"')
    consular += f"""
[[consular]]
nationality = "ER"
receiving = ["BS"]
type = "none"
status = "uncertain"
notes = ["no mission found in the sources searched"]
last_verified = {VERIFIED}
sources = [{MISSION_LIST}]

[[consular]]
nationality = "IN"
receiving = ["BS"]
type = "none"
last_verified = {VERIFIED}
sources = [{MISSION_LIST}, {DIPLOMATIC_LIST}]
"""
    (folder / "consular.toml").write_text(consular, encoding="utf-8")
    (folder / "extra.toml").write_text(EXTRA, encoding="utf-8")
    return folder


#: When the rules' tests plan by default: a Tuesday afternoon in Nassau, offices open.
AT = "2026-12-01T15:00:00-05:00"


def plan(directory: Directory, **facts: Any) -> dict[str, Any]:
    """The JSON of the plan for ``facts`` (``make_interception``'s arguments, ``conditions``
    among them), at ``AT`` unless ``at`` is given."""
    facts.setdefault("at", datetime.fromisoformat(AT))
    conditions = facts.pop("conditions", ())
    return plan_contacts(directory, make_interception(conditions=conditions, **facts)).to_json()


def steps(result: dict[str, Any], purpose: str) -> list[dict[str, Any]]:
    """The plan's steps with ``purpose``, in order."""
    return [s for s in result["steps"] if s["purpose"] == purpose]
