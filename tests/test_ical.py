"""Invites as iCalendar: RFC 5545 output (golden files, CRLF, folding, VTIMEZONE), read back
the same by icalendar and by vobject, and the uninvite of removed attendees."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from somnet import calendar_bytes
from somnet.meetings.ical import uninvite_bytes, vtimezone
from somnet.meetings.intervals import from_minute, offset_segments, to_minute
from somnet.meetings.lifecycle import (
    added_attendees,
    cancelled_meeting,
    changed_meeting,
    removed_attendees,
)
from tests.meeting_fixtures import (
    ATTENDEES,
    CREATED,
    ORGANIZER,
    UID,
    check_golden,
    parse_both,
    sample_meeting,
)


def test_golden_request() -> None:
    data = calendar_bytes(sample_meeting(), method="REQUEST", now=CREATED)
    check_golden("request.ics", data)
    parse_both(data)


def test_golden_update_and_cancel_keep_the_uid_and_raise_the_sequence() -> None:
    first = sample_meeting()
    moved = changed_meeting(
        first, now=CREATED + timedelta(days=4), start=datetime(2027, 3, 16, 14, tzinfo=UTC)
    )
    cancelled = cancelled_meeting(moved, now=CREATED + timedelta(days=5))
    update = calendar_bytes(moved, method="REQUEST", now=CREATED + timedelta(days=4))
    cancel = calendar_bytes(cancelled, method="CANCEL", now=CREATED + timedelta(days=5))
    check_golden("update.ics", update)
    check_golden("cancel.ics", cancel)
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
    data = calendar_bytes(sample_meeting(), method=None, now=CREATED)
    check_golden("caldav.ics", data)
    ours, theirs = parse_both(data)
    assert "METHOD" not in ours
    assert not hasattr(theirs, "method")


def test_the_request_names_organizer_and_attendees_as_bare_mailto_with_their_parameters() -> None:
    ours, theirs = parse_both(calendar_bytes(sample_meeting(), method="REQUEST", now=CREATED))
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
    ours, _ = parse_both(calendar_bytes(sample_meeting(), method="REQUEST", now=CREATED))
    text = str(ours.walk("VEVENT")[0]["DESCRIPTION"])
    assert "- BS Mon 15 Mar 10:00-11:30 (America/Nassau)" in text
    assert "- PA Mon 15 Mar 09:00-10:30 (America/Panama)" in text
    assert "- DO Mon 15 Mar 10:00-11:30 (America/Santo_Domingo)" in text
    assert "illustrative" in text


def test_the_vtimezone_covers_only_the_meetings_dates() -> None:
    ours, _ = parse_both(calendar_bytes(sample_meeting(), method="REQUEST", now=CREATED))
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
    # Any text an invite can carry: no control character but tabs and line breaks.
    description=st.none()
    | st.text(
        st.characters(exclude_categories=("Cc", "Cs"), include_characters="\t\n\r"),
        max_size=400,
    ),
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
    meeting = sample_meeting(
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
    meeting = sample_meeting(start=start, duration=360)
    data = calendar_bytes(meeting, method="REQUEST", now=CREATED)
    assert b"DTSTART;TZID=America/Nassau:20261031T200000\r\n" in data
    assert b"DTEND:20261101T060000Z\r\n" in data
    ours, theirs = parse_both(data)
    event = ours.walk("VEVENT")[0]
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=6)
    assert theirs.vevent.dtend.value == start + timedelta(hours=6)


def test_golden_uninvite_names_only_the_removed_and_does_not_cancel_the_meeting() -> None:
    first = sample_meeting()
    fewer = changed_meeting(first, now=CREATED + timedelta(days=1), attendees=ATTENDEES[:2])
    assert fewer.sequence == 1
    removed = removed_attendees(first, fewer)
    assert removed == ATTENDEES[2:] and added_attendees(first, fewer) == ()
    data = uninvite_bytes(fewer, removed, now=CREATED + timedelta(days=1))
    check_golden("uninvite.ics", data)
    ours, theirs = parse_both(data)
    (event,) = ours.walk("VEVENT")
    # RFC 5546 3.2.5: the removed attendees only, the new SEQUENCE, no STATUS.
    assert (ours["METHOD"], str(event["UID"]), event["SEQUENCE"]) == ("CANCEL", str(UID), 1)
    assert "STATUS" not in event
    assert [str(a) for a in event["ATTENDEE"]] == [f"mailto:{p.email}" for p in removed]
    assert {a.params["RSVP"] for a in event["ATTENDEE"]} == {"FALSE"}
    assert theirs.method.value == "CANCEL"
    assert "no longer invited" in str(event["DESCRIPTION"])
