"""Invites: RFC 5545 output (golden files, CRLF, folding, VTIMEZONE), parsed by icalendar and by
vobject; the lifecycle (update, cancel) and the meeting store; the invite commands of the CLI.

Golden files are regenerated with ``SOMNET_UPDATE_GOLDEN=1 pytest tests/test_invites.py``;
review the diff before committing them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from hypothesis import example, given, settings
from hypothesis import strategies as st

from somnet import DeliveryError, Directory, MeetingError, SomnetError, StorageError
from somnet._exceptions import NoSlotError
from somnet.meetings.invites import (
    added_attendees,
    calendar_bytes,
    cancelled_meeting,
    changed_meeting,
    issue,
    new_meeting,
    removed_attendees,
    uninvite_bytes,
    vtimezone,
)
from somnet.meetings.planning import Slot, Window, from_minute, offset_segments, to_minute
from somnet.meetings.store import (
    Meeting,
    MeetingStore,
    Person,
    meeting_from_json,
    meeting_to_json,
)
from tests.cli import run
from tests.test_meetings import meeting_clock, region  # noqa: F401 - fixtures used here

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


def _meeting(**changes: Any) -> Meeting:
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


def _golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("SOMNET_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert path.read_bytes() == data, f"{name} differs; regenerate with SOMNET_UPDATE_GOLDEN=1"


# Golden files ---------------------------------------------------------------------------------


def test_golden_request() -> None:
    data = calendar_bytes(_meeting(), method="REQUEST", now=CREATED)
    _golden("request.ics", data)
    parse_both(data)


def test_golden_update_and_cancel_keep_the_uid_and_raise_the_sequence() -> None:
    first = _meeting()
    moved = changed_meeting(
        first, now=CREATED + timedelta(days=4), start=datetime(2027, 3, 16, 14, tzinfo=UTC)
    )
    cancelled = cancelled_meeting(moved, now=CREATED + timedelta(days=5))
    update = calendar_bytes(moved, method="REQUEST", now=CREATED + timedelta(days=4))
    cancel = calendar_bytes(cancelled, method="CANCEL", now=CREATED + timedelta(days=5))
    _golden("update.ics", update)
    _golden("cancel.ics", cancel)
    for data, method, sequence, status in [
        (update, "REQUEST", 1, "CONFIRMED"),
        (cancel, "CANCEL", 2, "CANCELLED"),
    ]:
        ours, theirs = parse_both(data)
        (event,) = ours.walk("VEVENT")
        assert ours["METHOD"] == method == theirs.method.value
        assert str(event["UID"]) == str(UID) == theirs.vevent.uid.value
        assert event["SEQUENCE"] == sequence == int(theirs.vevent.sequence.value)
        assert event["STATUS"] == status
        assert event.decoded("DTSTART") == datetime(
            2027, 3, 16, 10, tzinfo=ZoneInfo("America/Nassau")
        )


def test_golden_caldav_copy_has_no_method() -> None:
    data = calendar_bytes(_meeting(), method=None, now=CREATED)
    _golden("caldav.ics", data)
    ours, theirs = parse_both(data)
    assert "METHOD" not in ours
    assert not hasattr(theirs, "method")


# What the invite says -------------------------------------------------------------------------


def test_the_request_names_organizer_and_attendees_as_bare_mailto_with_their_parameters() -> None:
    ours, theirs = parse_both(calendar_bytes(_meeting(), method="REQUEST", now=CREATED))
    (event,) = ours.walk("VEVENT")
    assert str(event["ORGANIZER"]) == "mailto:unodc-rop@example.org"
    assert event["ORGANIZER"].params["CN"] == ORGANIZER.name
    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == [f"mailto:{p.email}" for p in ATTENDEES]
    for attendee, person in zip(attendees, ATTENDEES, strict=True):
        assert attendee.params["CN"] == person.name
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "TRUE"
    assert [a.value for a in theirs.vevent.attendee_list] == [
        f"mailto:{p.email}" for p in ATTENDEES
    ]
    assert theirs.vevent.attendee_list[2].params["CN"] == [ATTENDEES[2].name]
    assert event["DTSTAMP"].dt == CREATED
    assert theirs.vevent.dtstart.value == datetime(2027, 3, 15, 14, tzinfo=UTC)
    assert theirs.vevent.dtend.value - theirs.vevent.dtstart.value == timedelta(minutes=90)


def test_the_description_gives_every_attendees_local_time() -> None:
    ours, _ = parse_both(calendar_bytes(_meeting(), method="REQUEST", now=CREATED))
    text = str(ours.walk("VEVENT")[0]["DESCRIPTION"])
    assert "- BS Mon 15 Mar 10:00-11:30 (America/Nassau)" in text
    assert "- PA Mon 15 Mar 09:00-10:30 (America/Panama)" in text
    assert "- DO Mon 15 Mar 10:00-11:30 (America/Santo_Domingo)" in text
    assert "illustrative" in text


def test_the_vtimezone_covers_only_the_meetings_dates() -> None:
    ours, _ = parse_both(calendar_bytes(_meeting(), method="REQUEST", now=CREATED))
    (zone,) = ours.walk("VTIMEZONE")
    assert zone["TZID"] == "America/Nassau"
    onsets = [c.decoded("DTSTART") for c in zone.subcomponents]
    assert min(onsets).year == 2027 and max(onsets) < datetime(2027, 3, 17)
    assert not any("RRULE" in c for c in zone.subcomponents)
    # The change of 14 March is described with its onset in the offset before it (02:00 EST).
    daylight = zone.walk("DAYLIGHT")[0]
    assert daylight.decoded("DTSTART") == datetime(2027, 3, 14, 2, 0)
    assert daylight["TZOFFSETFROM"].td == timedelta(hours=-5)
    assert daylight["TZOFFSETTO"].td == timedelta(hours=-4)


ZONES = [
    "America/Nassau",
    "America/Port-au-Prince",
    "America/Havana",
    "America/New_York",
    "America/Grand_Turk",
    "America/Panama",
    "America/Santo_Domingo",
    "America/Mexico_City",
    "Australia/Lord_Howe",
]


@pytest.mark.parametrize("tzid", ZONES)
def test_generated_vtimezones_agree_with_zoneinfo_in_both_parsers(tzid: str) -> None:
    first, last = date(2026, 10, 1), date(2027, 11, 30)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//test//EN")
    calendar.add("version", "2.0")
    calendar.add_component(vtimezone(tzid, first, last))
    data = calendar.to_ical()
    ours, theirs = parse_both(data)
    their_zone = theirs.vtimezone.gettzinfo()
    our_zone = ours.walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    reference = ZoneInfo(tzid)
    start = datetime.combine(first, datetime.min.time(), tzinfo=reference).astimezone(UTC)
    end = datetime.combine(last, datetime.min.time(), tzinfo=reference).astimezone(UTC)
    # Every six hours, and on both sides of every change, to the minute.
    instants = [start + timedelta(hours=h) for h in range(0, int((end - start).days * 24), 6)]
    segments = offset_segments(tzid, to_minute(start), to_minute(end))
    for change, _, _ in segments[1:]:
        instants += [from_minute(change + m) for m in (-61, -1, 0, 1, 59)]
    assert len(segments) > 1 or tzid in (
        "America/Panama",
        "America/Santo_Domingo",
        "America/Mexico_City",
    )
    for instant in instants:
        expected = instant.astimezone(reference).utcoffset()
        assert instant.astimezone(their_zone).utcoffset() == expected, instant
        assert instant.astimezone(our_zone).utcoffset() == expected, instant


@settings(max_examples=40, deadline=None)
# A fall-back night in Nassau: an end at the first 01:00 (EDT), and one just after the change.
@example(
    title="x",
    location=None,
    description=None,
    start=datetime(2026, 11, 1, tzinfo=UTC),
    duration=300,
    tzid="America/Nassau",
)
@example(
    title="x",
    location=None,
    description=None,
    start=datetime(2026, 11, 1, tzinfo=UTC),
    duration=420,
    tzid="America/Nassau",
)
@given(
    title=st.text(min_size=1, max_size=200).filter(lambda t: t.strip() and t.isprintable()),
    location=st.none() | st.text(min_size=1, max_size=120).filter(str.isprintable),
    description=st.none() | st.text(max_size=400),
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
    ),
    duration=st.integers(min_value=1, max_value=24 * 60),
    tzid=st.sampled_from(ZONES),
)
def test_an_invite_reads_back_the_same_in_both_parsers(
    title: str,
    location: str | None,
    description: str | None,
    start: datetime,
    duration: int,
    tzid: str,
) -> None:
    start = start.replace(second=0, microsecond=0)
    meeting = _meeting(
        title=title,
        location=location,
        description=description,
        start=start,
        duration=duration,
        timezone=tzid,
    )
    ours, theirs = parse_both(calendar_bytes(meeting, method="REQUEST", now=CREATED))
    event = ours.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == meeting.title == theirs.vevent.summary.value
    if meeting.location:
        assert str(event["LOCATION"]) == meeting.location == theirs.vevent.location.value
    # Compared in UTC: Python calls a time in a repeated hour unequal to any time in another
    # zone (PEP 495), and subtracts two times of one zone without their offsets.
    end = start + timedelta(minutes=duration)
    assert event.decoded("DTSTART").astimezone(UTC) == start
    assert event.decoded("DTEND").astimezone(UTC) == end
    assert theirs.vevent.dtstart.value.astimezone(UTC) == start
    assert theirs.vevent.dtend.value.astimezone(UTC) == end
    local = start.astimezone(ZoneInfo(tzid))
    if local.fold and local.utcoffset() != local.replace(fold=0).utcoffset():
        # The second 01:30 of a fall-back night: a TZID would mean the first, so UTC.
        assert event["DTSTART"].to_ical().endswith(b"Z")
    else:
        assert str(event["DTSTART"].params["TZID"]) == tzid
    assert {str(z["TZID"]) for z in ours.walk("VTIMEZONE")} == {tzid}


def test_an_end_in_the_repeated_hour_of_a_fall_back_night_is_written_in_utc() -> None:
    # 20:00 EDT on 31 October to 01:00 EST on 1 November: 01:00 happens twice in Nassau.
    start = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
    meeting = _meeting(start=start, duration=360)
    data = calendar_bytes(meeting, method="REQUEST", now=CREATED)
    assert b"DTSTART;TZID=America/Nassau:20261031T200000\r\n" in data
    assert b"DTEND:20261101T060000Z\r\n" in data
    ours, theirs = parse_both(data)
    event = ours.walk("VEVENT")[0]
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=6)
    assert theirs.vevent.dtend.value == start + timedelta(hours=6)


# The lifecycle --------------------------------------------------------------------------------


def test_an_update_that_changes_nothing_or_a_cancelled_meeting_is_refused() -> None:
    meeting = _meeting()
    with pytest.raises(MeetingError, match="nothing changes"):
        changed_meeting(meeting, now=CREATED, title=meeting.title)
    cancelled = cancelled_meeting(meeting, now=CREATED)
    with pytest.raises(MeetingError, match="is cancelled"):
        changed_meeting(cancelled, now=CREATED, duration=60)
    with pytest.raises(MeetingError, match="already cancelled"):
        cancelled_meeting(cancelled, now=CREATED)


def test_an_update_can_clear_the_location_and_the_description() -> None:
    meeting = _meeting()
    cleared = changed_meeting(meeting, now=CREATED, location="", description=None)
    assert (cleared.location, cleared.description, cleared.sequence) == (None, None, 1)
    assert b"LOCATION" not in calendar_bytes(cleared, method="REQUEST", now=CREATED)
    kept = changed_meeting(meeting, now=CREATED, title="Another title")
    assert (kept.location, kept.description) == (meeting.location, meeting.description)
    with pytest.raises(MeetingError, match="nothing changes"):
        changed_meeting(cleared, now=CREATED, location="", description="  ")


def test_cli_update_clears_the_location_and_the_description(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 90m --title T "
        f"--organizer o@example.org --location Room --description Notes --store {store} "
        "--format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    result = cli(
        capsys,
        f"meeting update {meeting_id} --location '' --description '' --store {store} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting = json.loads(result.stdout)["meeting"]
    assert (meeting["location"], meeting["description"], meeting["sequence"]) == (None, None, 1)


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (NoSlotError("no slot", ["BS has no hours"]), MeetingError),
        (DeliveryError("SMTP refused"), DeliveryError),
        (StorageError("disk full"), StorageError),
    ],
)
def test_a_series_failing_midway_says_what_was_sent_whatever_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: SomnetError, kind: type
) -> None:
    from somnet.meetings import invites as _invites

    store = MeetingStore(tmp_path)
    first = _meeting(series="5e1e5", meeting_id=store.new_id)
    second = _meeting(
        series="5e1e5", start=first.start + timedelta(days=7), uid_factory=lambda: "other-uid"
    )
    real = _invites.issue

    def issue_then_fail(meeting: Meeting, *args: Any, **kwargs: Any) -> Any:
        if meeting is second:
            raise error
        return real(meeting, *args, **kwargs)

    monkeypatch.setattr(_invites, "issue", issue_then_fail)
    with pytest.raises(SomnetError) as raised:
        _invites.issue_series([first, second], "created", store=store, now=CREATED)
    assert type(raised.value) is kind and raised.value.__cause__ is error
    assert str(raised.value).startswith(f"{error} (occurrence 2 of 2; sent and recorded: ")
    assert "--resume 5e1e5" in str(raised.value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "needs a title"),
        ({"timezone": "Mars/Olympus"}, "not an IANA time zone"),
        ({"organizer": Person("not an address", "X")}, "not an e-mail address"),
        ({"duration": 0}, "between 1m and 24h"),
    ],
)
def test_a_meeting_that_cannot_be_written_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(MeetingError, match=message):
        _meeting(**changes)


def test_the_record_is_written_only_after_delivery(tmp_path: Path) -> None:
    store = MeetingStore(tmp_path / "store")
    meeting = _meeting(meeting_id=store.new_id)
    issued = issue(meeting, "created", store=store, now=CREATED, out=tmp_path / "m.ics")
    assert (tmp_path / "m.ics").read_bytes() == issued.ics
    recorded = store.get(meeting.id)
    assert recorded == issued.meeting
    assert recorded.history[0].delivered == (f"file:{tmp_path / 'm.ics'}",)
    assert store.get(meeting.id[:4]) == recorded
    assert store.get(str(UID)) == recorded


def test_the_store_refuses_unknown_ambiguous_and_broken_records(tmp_path: Path) -> None:
    store = MeetingStore(tmp_path)
    with pytest.raises(MeetingError, match="no meeting with id 'abc'"):
        store.get("abc")
    (tmp_path / "ab12.json").write_text("{}")
    (tmp_path / "ab34.json").write_text("not json")
    with pytest.raises(MeetingError, match="ambiguous"):
        store.get("ab")
    with pytest.raises(StorageError, match=r"ab34\.json: not a meeting record"):
        store.get("ab34")
    with pytest.raises(StorageError, match="record_version"):
        store.get("ab12")
    with pytest.raises(ValueError, match="not a JSON object"):
        meeting_from_json([])


def test_a_new_id_is_longer_when_the_short_one_is_taken(tmp_path: Path) -> None:
    store = MeetingStore(tmp_path)
    (tmp_path / "5f0c3a52.json").write_text("{}")
    assert store.new_id(str(UID)) == "5f0c3a528d1e"


def test_a_new_series_id_is_longer_when_the_short_one_is_taken(tmp_path: Path) -> None:
    store = MeetingStore(tmp_path)
    store.save(_meeting(series="5f0c3a52", meeting_id=store.new_id))
    assert store.new_series_id(UID.hex) == "5f0c3a528d1e"
    assert store.new_series_id("xyz") == "series"
    assert store.new_id("xyz") == "meeting"


def test_the_store_makes_its_converter_once() -> None:
    from somnet.meetings.store import _converter

    assert _converter() is _converter()
    assert meeting_from_json(meeting_to_json(_meeting())) == _meeting()


@pytest.mark.parametrize(
    "member",
    [
        Meeting.end,
        MeetingStore.path,
        MeetingStore.ids,
        Slot.end,
        Window.start_minute,
        Window.end_minute,
    ],
    ids=lambda m: getattr(m, "__qualname__", None) or m.fget.__qualname__,
)
def test_the_public_members_have_docstrings(member: Any) -> None:
    assert (member.__doc__ or "").strip()


# The command line -----------------------------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], command: str) -> Any:
    return run(capsys, *shlex.split(command))


def test_cli_invite_update_cancel_list_and_show(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    out = tmp_path / "out" / "meeting.ics"
    out.parent.mkdir()
    result = cli(
        capsys,
        f"meeting invite --states BS,HT,PA,DO --start 2026-12-03T15:00Z --duration 90m "
        f"--title 'Regional coordination' --organizer unodc@example.org --organizer-name UNODC "
        f"--store {store} --out {out} --format json",
    )
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    meeting = answer["meeting"]
    assert meeting["sequence"] == 0 and meeting["status"] == "CONFIRMED"
    assert meeting["start"] == "2026-12-03T15:00:00Z" and meeting["end"] == "2026-12-03T16:30:00Z"
    assert meeting["timezone"] == "America/Nassau"
    assert [a["contact"] for a in meeting["attendees"]] == [
        "bs-focal",
        "ht-focal",
        "pa-focal",
        "do-focal",
    ]
    ours, _ = parse_both(out.read_bytes())
    uid = str(ours.walk("VEVENT")[0]["UID"])
    assert uid == meeting["uid"]
    meeting_id = meeting["id"]

    result = cli(
        capsys,
        f"meeting update {meeting_id} --start 2026-12-04T15:00Z --store {store} --out {out}",
    )
    assert result.exit_code == 0, result.stderr
    assert f"meeting {meeting_id} updated" in result.stdout and "SEQUENCE 1" in result.stdout
    ours, _ = parse_both(out.read_bytes())
    event = ours.walk("VEVENT")[0]
    assert (str(event["UID"]), event["SEQUENCE"], ours["METHOD"]) == (uid, 1, "REQUEST")

    result = cli(capsys, f"meeting cancel {meeting_id[:5]} --store {store} --out {out}")
    assert result.exit_code == 0, result.stderr
    ours, _ = parse_both(out.read_bytes())
    event = ours.walk("VEVENT")[0]
    assert (str(event["UID"]), event["SEQUENCE"], ours["METHOD"], event["STATUS"]) == (
        uid,
        2,
        "CANCEL",
        "CANCELLED",
    )

    result = cli(capsys, f"meeting list --store {store}")
    assert result.exit_code == 0
    assert f"{meeting_id}  2026-12-04 15:00-16:30 UTC  seq 2  cancelled" in result.stdout

    result = cli(capsys, f"meeting show {meeting_id} --store {store}")
    assert result.exit_code == 0
    assert "created (SEQUENCE 0)" in result.stdout and "cancelled (SEQUENCE 2)" in result.stdout
    assert "BS bs-focal" in result.stdout and "Fri 10:00-11:30 America/Nassau" in result.stdout

    result = cli(capsys, f"meeting show {meeting_id} --store {store} --ics")
    ours, _ = parse_both(result.stdout.replace("\r\n", "\n").replace("\n", "\r\n").encode())
    assert ours["METHOD"] == "CANCEL"

    result = cli(capsys, f"meeting update {meeting_id} --title Again --store {store}")
    assert result.exit_code == 2 and "is cancelled" in result.stderr


def test_cli_out_files_are_readable_by_all_and_leave_nothing_else(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import stat

    store, out = tmp_path / "store", tmp_path / "out"
    out.mkdir()
    result = cli(
        capsys,
        "meeting invite --states BS,HT,PA --start 2026-12-03T15:00Z --duration 90m --title T "
        f"--organizer o@example.org --store {store} --out {out / 'm.ics'} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    result = cli(
        capsys,
        f"meeting update {meeting_id} --states BS,PA --store {store} --out {out / 'm.ics'}",
    )
    assert result.exit_code == 0, result.stderr
    result = cli(capsys, f"meeting cancel {meeting_id} --store {store} --out {out / 'c.ics'}")
    assert result.exit_code == 0, result.stderr
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert modes == {"m.ics": 0o644, "m-uninvite.ics": 0o644, "c.ics": 0o644}


def test_cli_invite_takes_the_best_slot_of_a_window(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = cli(
        capsys,
        f"meeting invite --states BS,PA --from 2026-12-24 --to 2026-12-31 --pick 2 --duration 1h "
        f"--title T --organizer o@example.org --store {tmp_path} --timezone America/Panama "
        "--format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting = json.loads(result.stdout)["meeting"]
    # Core hours common to Nassau (10-16, UTC-5) and Panama (9-15, UTC-5): 15:00-20:00 UTC;
    # the best an hour inside them, the second a quarter of an hour after it.
    assert meeting["start"] == "2026-12-24T16:15:00Z"
    assert meeting["timezone"] == "America/Panama"


def test_cli_invite_at_a_time_outside_someones_hours_warns(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = cli(
        capsys,
        f"meeting invite --states BS,PA --start 2026-12-25T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {tmp_path}",
    )
    assert result.exit_code == 0
    assert (
        "warning: BS bs-focal: Fri 2026-12-25 10:00-11:00 America/Nassau is a public holiday "
        "(Christmas Day)" in result.stderr
    )
    assert "illustrative" in result.stderr


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("--out {tmp}/file.txt/meeting.ics", "--out {tmp}/file.txt/meeting.ics: cannot write"),
        ("--out {tmp}", "is a directory"),
        (
            "--out {tmp}/missing/m.ics",
            "--out {tmp}/missing/m.ics: the folder {tmp}/missing does not",
        ),
        ("--duration 0m", "--duration: '0m' must be more than 0m"),
        ("--start 2026-12-03T15:00", "has no zone"),
        ("--organizer 'Jane <jane@example.org>'", "is not an e-mail address"),
        ("--contact mx-registry-phone", "no e-mail channel for MX mx-registry-phone"),
        ("--send smtp://u:secret@127.0.0.1:25", "do not put a password in the address"),
        ("--send smtp://mail.example.org --smtp-user me", "SOMNET_SMTP_PASSWORD"),
        ("--publish ftp://example.org/cal/", "must look like"),
        ("--starttls", "need --send"),
        ("--from 2026-12-01", "give either --start or --from/--to"),
        ("--timeout 0", "--timeout"),
        ("--timeout 0", "--timeout: '0': give more than 0 and at most 600 seconds"),
        ("--timeout 601", "--timeout: '601': give more than 0 and at most 600 seconds"),
        ("--timeout soon", "--timeout: 'soon' is not a number of seconds"),
        ("--pick 0", "--pick: '0': give at least 1"),
        ("--pick first", "--pick: 'first' is not a whole number"),
    ],
)
def test_cli_bad_invite_input_is_one_line_and_exit_2(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    message: str,
) -> None:
    (tmp_path / "file.txt").write_text("a file, not a folder")
    base = {
        "--states": "BS,PA",
        "--start": "2026-12-03T15:00Z",
        "--duration": "90m",
        "--title": "T",
        "--organizer": "o@example.org",
        "--store": str(tmp_path / "store"),
    }
    extra = command.format(tmp=tmp_path)
    flags = " ".join(f"{k} {v}" for k, v in base.items() if k not in shlex.split(extra))
    result = cli(capsys, f"meeting invite {flags} {extra}")
    assert result.exit_code == 2, result.stdout
    assert message.format(tmp=tmp_path) in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "store").exists()
    assert not (tmp_path / "missing").exists()


INVITE = (
    "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 90m --title T "
    "--organizer o@example.org"
)


def _make_special(kind: str, path: Path) -> Path:
    """Make at ``path`` something --out must not replace; returns what a link points to."""
    import stat

    target = path.parent / "elsewhere"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        try:  # a copy of /dev/null, made in tmp_path (as root only)
            os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device needs root")
    elif kind == "link-to-device":
        target = Path("/dev/null")
        path.symlink_to(target)
    elif kind == "link-to-fifo":
        os.mkfifo(target)
        path.symlink_to(target)
    elif kind == "dangling-link":
        path.symlink_to(target)
    elif kind == "link-to-folder":
        target.mkdir()
        path.symlink_to(target)
    return target


def _kind(path: Path) -> tuple[int, str | None]:
    import stat

    info = os.lstat(path)
    return stat.S_IFMT(info.st_mode), os.readlink(path) if stat.S_ISLNK(info.st_mode) else None


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("fifo", "is a named pipe (FIFO), not a regular file"),
        ("device", "is a character device, not a regular file"),
        ("link-to-device", "links to /dev/null, a character device, not a regular file"),
        ("link-to-fifo", "a named pipe (FIFO), not a regular file"),
        ("dangling-link", "links to {tmp}/elsewhere, which does not exist"),
        ("link-to-folder", "is a directory"),
    ],
)
def test_cli_out_refuses_what_is_not_a_regular_file_and_leaves_it_alone(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    message: str,
) -> None:
    out = tmp_path / "meeting.ics"
    _make_special(kind, out)
    before = _kind(out)
    result = cli(capsys, f"{INVITE} --store {tmp_path / 'store'} --out {out}")
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith(f"somnet: --out {out}: ")
    assert message.format(tmp=tmp_path) in result.stderr
    assert result.stderr.count("\n") == 1
    assert _kind(out) == before
    assert not (tmp_path / "store").exists()


def test_cli_out_writes_through_a_link_to_a_regular_file(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import stat

    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "invite.ics"
    target.write_bytes(b"the last invite\r\n")
    out = tmp_path / "meeting.ics"
    out.symlink_to(Path("shared") / "invite.ics")  # relative, as people make them
    result = cli(capsys, f"{INVITE} --store {tmp_path / 'store'} --out {out} --format json")
    assert result.exit_code == 0, result.stderr
    assert os.readlink(out) == str(Path("shared") / "invite.ics")
    ours, _ = parse_both(target.read_bytes())
    assert str(ours.walk("VEVENT")[0]["UID"]) == json.loads(result.stdout)["meeting"]["uid"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    # Replaced whole, in its own folder: nothing else is left there or beside the link.
    assert sorted(p.name for p in shared.iterdir()) == ["invite.ics"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "meeting.ics",
        "region",
        "shared",
        "store",
    ]


def test_cli_series_out_refuses_a_folder_whose_parent_is_missing(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "missing" / "invites"
    result = cli(
        capsys,
        "meeting series --states BS,PA --duration 1h --from 2027-01-04 --every month --count 2 "
        f"--invite --title T --organizer o@example.org --store {tmp_path / 'store'} --out {out}",
    )
    assert result.exit_code == 2, result.stdout
    assert f"--out {out}: the folder {out.parent} does not exist" in result.stderr
    assert not (tmp_path / "missing").exists() and not (tmp_path / "store").exists()


@pytest.mark.parametrize("subcommand", ["update", "cancel", "show"])
def test_cli_unknown_meeting_id_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], subcommand: str
) -> None:
    extra = " --title X" if subcommand == "update" else ""
    result = cli(capsys, f"meeting {subcommand} deadbeef --store {tmp_path}{extra}")
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"somnet: no meeting with id 'deadbeef' in {tmp_path} (see: somnet meeting list)\n"
    )


def test_cli_list_with_no_meetings_and_the_default_store(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path
) -> None:
    result = cli(capsys, "meeting list")
    assert result.exit_code == 0
    assert (
        result.stdout
        == f"no meetings recorded in {isolated_environment / 'data-home' / 'meetings'}\n"
    )
    assert json.loads(cli(capsys, "meeting list --format json").stdout) == []


# Changing who attends, series ------------------------------------------------------------------


def test_golden_uninvite_names_only_the_removed_and_does_not_cancel_the_meeting() -> None:
    first = _meeting()
    fewer = changed_meeting(first, now=CREATED + timedelta(days=1), attendees=ATTENDEES[:2])
    assert fewer.sequence == 1
    removed = removed_attendees(first, fewer)
    assert removed == ATTENDEES[2:] and added_attendees(first, fewer) == ()
    data = uninvite_bytes(fewer, removed, now=CREATED + timedelta(days=1))
    _golden("uninvite.ics", data)
    ours, theirs = parse_both(data)
    (event,) = ours.walk("VEVENT")
    # RFC 5546 3.2.5: the removed attendees only, the new SEQUENCE, no STATUS.
    assert (ours["METHOD"], str(event["UID"]), event["SEQUENCE"]) == ("CANCEL", str(UID), 1)
    assert "STATUS" not in event
    assert [str(a) for a in event["ATTENDEE"]] == [f"mailto:{p.email}" for p in removed]
    assert {a.params["RSVP"] for a in event["ATTENDEE"]} == {"FALSE"}
    assert theirs.method.value == "CANCEL"
    assert "no longer invited" in str(event["DESCRIPTION"])


def test_changing_attendees_raises_the_sequence_and_refuses_none_or_the_same() -> None:
    first = _meeting()
    more = changed_meeting(first, now=CREATED, attendees=[*ATTENDEES, ORGANIZER])
    assert more.sequence == 1 and added_attendees(first, more) == (ORGANIZER,)
    with pytest.raises(MeetingError, match="nothing changes"):
        changed_meeting(first, now=CREATED, attendees=list(ATTENDEES))
    # The order of the attendees is not a change.
    with pytest.raises(MeetingError, match="nothing changes"):
        changed_meeting(first, now=CREATED, attendees=list(reversed(ATTENDEES)))
    moved = changed_meeting(first, now=CREATED, duration=60, attendees=list(reversed(ATTENDEES)))
    assert moved.attendees == first.attendees and moved.sequence == 1
    with pytest.raises(MeetingError, match="at least one attendee"):
        changed_meeting(first, now=CREATED, attendees=[])
    with pytest.raises(MeetingError, match="a cancelled meeting uninvites everyone"):
        issue(
            cancelled_meeting(first, now=CREATED),
            "cancelled",
            store=MeetingStore(Path("/nonexistent")),
            now=CREATED,
            removed=ATTENDEES[:1],
        )


def test_records_of_versions_1_and_2_are_read_without_series_or_deliveries(
    tmp_path: Path,
) -> None:
    store = MeetingStore(tmp_path)
    meeting = _meeting(meeting_id=store.new_id)
    old = meeting_to_json(meeting)
    assert old.pop("deliveries") == [] and old.pop("uninvited") == []
    old["record_version"] = 2
    assert meeting_from_json(old) == meeting
    assert old.pop("series") is None
    old["record_version"] = 1
    assert meeting_from_json(old) == meeting
    with pytest.raises(ValueError, match="record_version 4 is not one of 1, 2, 3"):
        meeting_from_json({**old, "record_version": 4})


def test_cli_update_that_moves_or_adds_someone_outside_their_hours_warns(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {tmp_path} --format json",
    )
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    result = cli(
        capsys, f"meeting update {meeting_id} --start 2026-12-25T15:00Z --store {tmp_path}"
    )
    assert result.exit_code == 0, result.stderr
    assert (
        "warning: BS bs-focal: Fri 2026-12-25 10:00-11:00 America/Nassau is a public holiday "
        "(Christmas Day)" in result.stderr
    )
    # Mexico City is an hour behind Panama: 15:00 UTC is 09:00 there, before core but inside
    # working hours (09-17); 14:00 UTC would be 08:00, outside them.
    result = cli(
        capsys, f"meeting update {meeting_id} --start 2026-12-29T14:00Z --store {tmp_path}"
    )
    assert [line for line in result.stderr.splitlines() if "made-up" not in line] == []
    result = cli(capsys, f"meeting update {meeting_id} --states BS,PA,MX --store {tmp_path}")
    assert result.exit_code == 0, result.stderr
    assert "warning: MX mx-focal: Tue 2026-12-29 08:00-09:00 America/Mexico_City is outside" in (
        result.stderr
    )
    assert "BS bs-focal" not in result.stderr  # only those added are checked when time stays


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("meeting cancel --store {tmp}", "give a meeting id or --series ID"),
        ("meeting cancel abc --series def --store {tmp}", "give a meeting id or --series ID"),
        ("meeting cancel --series deadbeef --store {tmp}", "no series with id 'deadbeef'"),
        ("meeting list --series deadbeef --store {tmp}", "no series with id 'deadbeef'"),
        (
            "meeting series --states BS,PA --duration 1h --from 2027-01-04 --every week "
            "--count 2 --title T",
            "--title: add --invite",
        ),
        (
            "meeting series --states BS,PA --duration 1h --from 2027-01-04 --every week "
            "--count 2 --invite --title T --store {tmp}",
            "--invite needs --title and --organizer",
        ),
        (
            "meeting series --states BS,PA --duration 1h --from 2027-01-04 --every week "
            "--count 2 --invite --title T --organizer nobody --store {tmp}",
            "--organizer: 'nobody' is not an e-mail address",
        ),
        ("meeting update {id} --contact nobody-here --store {tmp}", "nobody-here"),
        ("meeting update {id} --role sar --store {tmp}", "--role needs --states"),
    ],
)
def test_cli_bad_series_cancel_and_attendee_input_is_one_line_and_exit_2(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    message: str,
) -> None:
    store = tmp_path / "store"
    result = cli(
        capsys,
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {store} --format json",
    )
    meeting_id = json.loads(result.stdout)["meeting"]["id"]
    before = sorted(p.read_bytes() for p in store.iterdir())
    result = cli(capsys, command.format(tmp=store, id=meeting_id))
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert sorted(p.read_bytes() for p in store.iterdir()) == before


# Smaller defects ------------------------------------------------------------------------------


def test_cli_contacts_sharing_a_mailbox_are_one_attendee(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_meetings import STATES, write_region

    # Haiti's focal point uses the Bahamas desk's mailbox (a shared regional inbox).
    folder = write_region(tmp_path / "region")
    text = (folder / "states" / "HT.toml").read_text()
    (folder / "states" / "HT.toml").write_text(
        text.replace('value = "ht-focal@example.org"', 'value = "BS-focal@example.org"')
    )
    assert "HT" in STATES
    monkeypatch.setattr("somnet.directory.loading.shipped_data_dir", lambda: folder)
    out = tmp_path / "m.ics"
    result = cli(
        capsys,
        f"meeting invite --states BS,HT,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {tmp_path / 'store'} --out {out} --format json",
    )
    assert result.exit_code == 0, result.stderr
    ours, _ = parse_both(out.read_bytes())
    attendees = [str(a) for a in ours.walk("VEVENT")[0]["ATTENDEE"]]
    assert attendees == ["mailto:bs-focal@example.org", "mailto:pa-focal@example.org"]
    meeting = json.loads(result.stdout)["meeting"]
    assert [a["email"] for a in meeting["attendees"]] == [
        "bs-focal@example.org",
        "pa-focal@example.org",
    ]
    assert "BS bs-focal and HT ht-focal share the mailbox bs-focal@example.org" in result.stdout


def _invite_into(store: Path, capsys: pytest.CaptureFixture[str], title: str) -> str:
    result = cli(
        capsys,
        f"meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title {title} "
        f"--organizer o@example.org --store {store} --format json",
    )
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["meeting"]["id"])


def test_cli_list_shows_the_readable_meetings_and_names_the_broken_record(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    first = _invite_into(store, capsys, "First")
    second = _invite_into(store, capsys, "Second")
    (store / f"{second}.json").write_text('{"record_version": 3, "title": "half a rec')
    result = cli(capsys, f"meeting list --store {store}")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{first}  2026-12-03 15:00-16:00 UTC  seq 0  confirmed")
    assert result.stdout.count("\n") == 1
    assert result.stderr.startswith(f"somnet: {store / second}.json: not a meeting record")
    assert result.stderr.count("\n") == 1
    answer = cli(capsys, f"meeting list --store {store} --format json")
    assert [m["id"] for m in json.loads(answer.stdout)] == [first] and answer.exit_code == 1
    # The others can still be shown, changed and cancelled.
    assert cli(capsys, f"meeting show {first} --store {store}").exit_code == 0


@pytest.mark.parametrize("what", ["file", "folder of other JSON"])
def test_cli_list_of_something_that_is_not_a_meeting_store_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str
) -> None:
    if what == "file":
        store = tmp_path / "passwd"
        store.write_text("root:x:0:0:root:/root:/bin/bash\n")
    else:
        store = tmp_path / "config"
        store.mkdir()
        (store / "settings.json").write_text('{"theme": "dark"}')
    for command in ("list", "show abc", "cancel abc"):
        result = cli(capsys, f"meeting {command} --store {store}")
        assert result.exit_code == 2, (command, result.stdout)
        assert result.stderr.startswith(f"somnet: {store} is not a meeting store")
        assert result.stderr.count("\n") == 1 and result.stdout == ""


LONG = "x" * 100_000


@pytest.mark.parametrize(
    "command",
    [
        "meeting plan --states BS,PA --duration {long} --from 2026-12-01 --to 2026-12-04",
        "meeting plan --states BS,PA --duration 1h --from {long} --to 2026-12-04",
        "meeting plan --states {long} --duration 1h --from 2026-12-01 --to 2026-12-04",
        "meeting plan --states BS --role {long} --duration 1h --from 2026-12-01 --to 2026-12-04",
        "meeting plan --contact {long} --duration 1h --from 2026-12-01 --to 2026-12-04",
        "meeting invite --states BS,PA --start {long} --duration 1h --title T --organizer o@x.org",
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        "--organizer {long}@example.org",
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        "--organizer o@example.org --timezone {long}",
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        "--organizer o@example.org --send {long}",
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        "--organizer o@example.org --timeout {long}",
        "meeting show {long}",
        "meeting series --states BS,PA --duration 1h --from 2027-01-04 --every month "
        "--count {long}",
    ],
)
def test_cli_a_huge_argument_is_not_echoed_whole(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    words = [word.replace("LONG", LONG) for word in shlex.split(command.format(long="LONG"))]
    if words[1] in ("invite", "show"):
        words += ["--store", str(tmp_path / "store")]
    result = run(capsys, *words)
    assert result.exit_code == 2, result.stdout[:200]
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert len(result.stderr) < 600, result.stderr[:600]
    assert re.search(r"\.\.\. \(1000\d\d characters\)", result.stderr), result.stderr
