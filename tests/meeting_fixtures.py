"""What the meeting tests share: a small directory written into tmp_path (so that they do not
depend on the shipped data), the meeting commands' clock, participants and meetings made by
hand, and the checks every iCalendar object passes (CRLF, folding, two parsers).

Golden files are regenerated with ``SOMNET_UPDATE_GOLDEN=1``; review the diff before
committing them.
"""

from __future__ import annotations

import json
import os
import shlex
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from somnet import (
    Directory,
    Meeting,
    MeetingStore,
    Participant,
    Person,
    load_directory,
    new_meeting,
)
from somnet.directory.hours import parse_hours
from tests.cli import run

# A small directory: (code, names, zone, working hours, core hours, focal point) ------------------

STATES: dict[str, dict[str, Any]] = {
    "BS": {
        "name": "The Bahamas",
        "zone": "America/Nassau",
        "hours": "Mo-Fr 09:00-17:00",
        "core": "Mo-Fr 10:00-16:00",
        "lang": "en",
    },
    "DO": {
        "name": "Dominican Republic",
        "zone": "America/Santo_Domingo",
        "hours": "Mo-Fr 08:00-16:00",
        "core": "Mo-Fr 09:00-15:00",
        "lang": "es",
    },
    "HT": {
        "name": "Haiti",
        "zone": "America/Port-au-Prince",
        "hours": "Mo-Fr 08:00-16:00",
        "core": "Mo-Fr 09:00-15:00",
        "lang": "fr",
    },
    "PA": {
        "name": "Panama",
        "zone": "America/Panama",
        "hours": "Mo-Fr 08:00-16:00",
        "core": "Mo-Fr 09:00-15:00",
        "lang": "es",
    },
    "MX": {
        "name": "Mexico",
        "zone": "America/Mexico_City",
        "hours": "Mo-Fr 09:00-17:00",
        "core": "Mo-Fr 10:00-15:00",
        "lang": "es",
    },
    "JM": {
        "name": "Jamaica",
        "zone": "America/Jamaica",
        "hours": "Mo-Fr 08:30-16:30",
        "core": None,
        "lang": "en",
        "focal": False,
    },
    "US": {
        "name": "United States",
        "zone": "America/New_York",
        "hours": "Mo-Fr 08:00-16:30",
        "core": None,
        "lang": "en",
        "subdivision": "FL",
    },
}


VERIFIED = "2026-01-15"


def _state_toml(code: str, spec: dict[str, Any]) -> str:
    lower = code.lower()
    lines = [
        "[state]",
        f'code = "{code}"',
        f'names = {{ en = "{spec["name"]}", es = "{spec["name"]}", fr = "{spec["name"]}" }}',
        f'timezones = ["{spec["zone"]}"]',
        f'languages = ["{spec["lang"]}"]',
        f'working_hours = "{spec["hours"]}"',
    ]
    if spec.get("core"):
        lines.append(f'core_hours = "{spec["core"]}"')
    if spec.get("focal", True):
        lines.append(f'meeting_focal_point = "{lower}-focal"')
    if spec.get("subdivision"):
        lines.append(f'holiday_subdivision = "{spec["subdivision"]}"')
    lines += [
        f"last_verified = {VERIFIED}",
        'sources = [{ title = "test fixture", url = "https://example.gov/fixture" }]',
        "",
        "[state.maritime]",
        "territorial_sea_nm = 12",
        "contiguous_zone_nm = 24",
        "eez_nm = 200",
        "archipelagic = false",
        'sources = [{ title = "test fixture", url = "https://example.gov/fixture" }]',
        "",
        "[state.som_protocol]",
        'party = "yes"',
        'sources = [{ title = "test fixture", url = "https://example.gov/fixture" }]',
        "",
        _agency(
            f"{lower}-mfa",
            code,
            ["foreign-affairs"],
            [
                (f"{lower}-focal", "Regional desk", f"{lower}-focal@example.org"),
            ],
        ),
        _agency(
            f"{lower}-coastguard",
            code,
            ["maritime-law-enforcement"],
            [
                (f"{lower}-cg-ops", "Operations officer", f"{lower}-cg@example.org"),
            ],
        ),
    ]
    lines += spec.get("extra", [])
    return "\n".join(lines) + "\n"


def _agency(
    agency_id: str,
    state: str,
    roles: Sequence[str],
    contacts: Sequence[tuple[str, str, str | None]],
    *,
    hours: str | None = None,
    zone: str | None = None,
) -> str:
    lines = [
        "[[agencies]]",
        f'id = "{agency_id}"',
        f'state = "{state}"',
        f'name = "Agency {agency_id}"',
        f'name_en = "Agency {agency_id}"',
        f"roles = {json.dumps(list(roles))}",
        f"last_verified = {VERIFIED}",
        'sources = [{ title = "test fixture", url = "https://example.gov/fixture" }]',
    ]
    if hours:
        lines.append(f'working_hours = "{hours}"')
    if zone:
        lines.append(f'timezone = "{zone}"')
    for contact_id, title, email in contacts:
        lines += [
            "",
            "[[agencies.contacts]]",
            f'id = "{contact_id}"',
            'kind = "desk"',
            f'title = "{title}"',
            'languages = ["en"]',
            f"last_verified = {VERIFIED}",
            "illustrative = true",
            "",
            "[[agencies.contacts.channels]]",
        ]
        if email:
            lines += ['kind = "email"', f'value = "{email}"']
        else:
            lines += ['kind = "phone"', 'value = "+12025550143"']
    return "\n".join(lines) + "\n"


def write_region(folder: Path, states: dict[str, dict[str, Any]] | None = None) -> Path:
    """Write a small valid directory (one file a state) into ``folder``."""
    specs = {code: dict(spec) for code, spec in STATES.items()}
    specs["MX"]["extra"] = [
        _agency(
            "mx-semar",
            "MX",
            ["maritime-law-enforcement", "sar"],
            [("mx-semar-duty", "Duty officer", "mx-semar@example.org")],
            hours="24/7",
        ),
        _agency(
            "mx-cancun",
            "MX",
            ["migration"],
            [("mx-cancun-desk", "Migration desk", "mx-cancun@example.org")],
            zone="America/Cancun",
        ),
        _agency(
            "mx-registry", "MX", ["ship-registry"], [("mx-registry-phone", "Registry desk", None)]
        ),
    ]
    specs.update(states or {})
    (folder / "states").mkdir(parents=True, exist_ok=True)
    for code, spec in specs.items():
        (folder / "states" / f"{code}.toml").write_text(_state_toml(code, spec), encoding="utf-8")
    return folder


#: The clock of the meeting commands in the tests: a Friday before every date they plan for.
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture
def meeting_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The meeting commands read ``NOW`` as the time (``pytestmark`` of the modules that run
    them asks for it)."""
    monkeypatch.setattr("somnet_cli.meeting._now", lambda: NOW)
    return NOW


@pytest.fixture
def region(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Directory]:
    """The small directory, also as the CLI's base directory (in place of the shipped one)."""
    folder = write_region(tmp_path / "region")
    monkeypatch.setattr("somnet.directory.loading.shipped_data_dir", lambda: folder)
    yield load_directory(base=folder, use_env=False)


def person(
    contact: str,
    zone: str,
    hours: str,
    core: str | None = None,
    *,
    seat: str = "PA",
) -> Participant:
    """A participant made by hand, for tests that need no directory."""
    return Participant(
        contact=contact,
        name=contact,
        agency=f"{contact}-agency",
        agency_name="Agency",
        state=seat,
        seat=seat,
        timezone=zone,
        working_hours=parse_hours(hours),
        core_hours=parse_hours(core or hours),
        email=f"{contact}@example.org",
    )


def cli(capsys: pytest.CaptureFixture[str], command: str) -> Any:
    """Run ``somnet COMMAND`` (split like a shell would)."""
    return run(capsys, *shlex.split(command))


def error_line(stderr: str) -> str:
    """The one error line a failed run's text ends with (and its newline), after the warnings
    the run that completes it would give, each once and none of them an error."""
    *warnings, error = stderr.splitlines()
    assert len(set(warnings)) == len(warnings), stderr
    assert not any(w.startswith("somnet: ") for w in warnings), stderr
    assert "Traceback" not in stderr, stderr
    return f"{error}\n"


def local_time(slot_start: datetime, zone: str) -> datetime:
    """``slot_start`` on the clock of ``zone``."""
    return slot_start.astimezone(ZoneInfo(zone))


# A meeting made by hand ---------------------------------------------------------------------

GOLDEN = Path(__file__).parent / "golden"
UID = uuid.UUID("5f0c3a52-8d1e-4c9b-9a53-0d9e1c7b2a41")
CREATED = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
ORGANIZER = Person("unodc-rop@example.org", "UNODC Regional Office for Central America")
ATTENDEES = (
    Person(
        "bs-focal@example.org",
        "Regional desk, Ministry of Foreign Affairs",
        "bs-focal",
        "BS",
        "America/Nassau",
        True,
    ),
    Person(
        "ht-focal@example.org",
        "Direction des Affaires juridiques et consulaires",
        "ht-focal",
        "HT",
        "America/Port-au-Prince",
        True,
    ),
    Person(
        "pa-focal@example.org",
        "Dirección de Asuntos Jurídicos — Cancillería",
        "pa-focal",
        "PA",
        "America/Panama",
        True,
    ),
    Person(
        "do-focal@example.org",
        "Dirección General de Migración",
        "do-focal",
        "DO",
        "America/Santo_Domingo",
        True,
    ),
)


def sample_meeting(**changes: Any) -> Meeting:
    """The sample meeting (UID ``UID``, created ``CREATED``), with ``changes``."""
    values: dict[str, Any] = {
        "start": datetime(2027, 3, 15, 14, 0, tzinfo=UTC),
        "duration": 90,
        "title": "Regional coordination meeting on migrant smuggling by sea",
        "organizer": ORGANIZER,
        "timezone": "America/Nassau",
        "now": CREATED,
        "uid_factory": lambda: UID,
        "location": "Video call (link sent separately)",
        "description": "Quarterly meeting of the focal points, following the Panama workshop.",
    }
    values.update(changes)
    return new_meeting(ATTENDEES, **values)


def recorded_sample(store: MeetingStore, **changes: Any) -> Meeting:
    """The sample meeting with an id ``store`` has not given out (not recorded yet)."""
    return sample_meeting(meeting_id=store.new_id, **changes)


def parse_both(data: bytes) -> tuple[icalendar.Calendar, Any]:
    """Check the octets (CRLF, 75-octet lines) and parse with icalendar and vobject."""
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a character
    ours = icalendar.Calendar.from_ical(data)
    # vobject keeps the first definition it saw for each TZID, process-wide; each of our
    # VTIMEZONEs covers only its meeting's dates, so read every object with a clean slate.
    registry = vars(vobject.icalendar)["__tzidMap"]
    registry.clear()
    vobject.icalendar.registerTzid("UTC", vobject.icalendar.utc)
    theirs = vobject.readOne(data.decode("utf-8"))
    return ours, theirs


def check_golden(name: str, data: bytes) -> None:
    """``data`` is the golden file ``name`` (rewritten with ``SOMNET_UPDATE_GOLDEN=1``)."""
    path = GOLDEN / name
    if os.environ.get("SOMNET_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert path.read_bytes() == data, f"{name} differs; regenerate with SOMNET_UPDATE_GOLDEN=1"
