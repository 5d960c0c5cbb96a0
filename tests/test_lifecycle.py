"""A meeting's record as it changes: updates and cancellations raise the SEQUENCE under the
same UID, nothing changing is refused, and what cannot be written is refused naming its
field."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from somnet import MeetingError, MeetingStore, Person, calendar_bytes, issue
from somnet.meetings.lifecycle import added_attendees, cancelled_meeting, changed_meeting
from tests.meeting_fixtures import (
    ATTENDEES,
    CREATED,
    ORGANIZER,
    sample_meeting,
)


def test_an_update_that_changes_nothing_or_a_cancelled_meeting_is_refused() -> None:
    meeting = sample_meeting()
    with pytest.raises(MeetingError, match="nothing changes"):
        changed_meeting(meeting, now=CREATED, title=meeting.title)
    cancelled = cancelled_meeting(meeting, now=CREATED)
    with pytest.raises(MeetingError, match="is cancelled"):
        changed_meeting(cancelled, now=CREATED, duration=60)
    with pytest.raises(MeetingError, match="already cancelled"):
        cancelled_meeting(cancelled, now=CREATED)


def test_an_update_can_clear_the_location_and_the_description() -> None:
    meeting = sample_meeting()
    cleared = changed_meeting(meeting, now=CREATED, location="", description=None)
    assert (cleared.location, cleared.description, cleared.sequence) == (None, None, 1)
    assert b"LOCATION" not in calendar_bytes(cleared, method="REQUEST", now=CREATED)
    kept = changed_meeting(meeting, now=CREATED, title="Another title")
    assert (kept.location, kept.description) == (meeting.location, meeting.description)
    with pytest.raises(MeetingError, match="nothing changes"):
        changed_meeting(cleared, now=CREATED, location="", description="  ")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "needs a title"),
        ({"timezone": "Mars/Olympus"}, "timezone", "not an IANA time zone"),
        ({"organizer": Person("not an address", "X")}, "organizer", "not an e-mail address"),
        ({"duration": 0}, "duration", "between 1m and 24h"),
        ({"start": datetime(2027, 3, 15, 14)}, "start", "needs a zone"),
        # What RFC 5545 text cannot hold: control characters, bytes that were not UTF-8.
        ({"title": "Agenda\x01"}, "title", "Agenda"),
        ({"title": "Agenda \x1b[31mred"}, "title", "Agenda"),
        ({"title": "Caf\udce9"}, "title", "Caf"),
        ({"location": "Room\x0b1"}, "location", "Room"),
        ({"description": "Line 1\nLine 2\x7f"}, "description", "Line 1"),
        ({"organizer": Person("o@example.org", "Desk\x1b[31m")}, "organizer_name", "Desk"),
        ({"organizer": Person("o\x1b[31m@example.org", "O")}, "organizer", "not an e-mail"),
        (
            {"start": datetime(2027, 3, 15, 14, tzinfo=timezone(timedelta(hours=15)))},
            "start",
            "keeps",
        ),
        (
            {"start": datetime(2027, 3, 15, 14, tzinfo=timezone(timedelta(seconds=1)))},
            "start",
            "keeps",
        ),
        (
            {"start": datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-1)))},
            "start",
            "years",
        ),
    ],
)
def test_a_meeting_that_cannot_be_written_is_refused_naming_the_field(
    changes: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(MeetingError, match=message) as raised:
        sample_meeting(**changes)
    assert raised.value.field == field
    assert "--" not in str(raised.value)


@pytest.mark.parametrize(
    "start",
    [
        datetime(2027, 3, 16, 14),
        datetime(2027, 3, 16, 14, tzinfo=timezone(timedelta(hours=-12, minutes=-30))),
        datetime(2027, 3, 16, 14, tzinfo=timezone(timedelta(minutes=59, seconds=59))),
        datetime(1, 1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
    ],
)
def test_a_new_start_that_is_not_one_instant_everywhere_is_refused_naming_it(
    start: datetime,
) -> None:
    with pytest.raises(MeetingError) as raised:
        changed_meeting(sample_meeting(), now=CREATED, start=start)
    assert raised.value.field == "start"


def test_text_with_line_breaks_and_tabs_is_kept_and_a_change_to_bad_text_is_refused() -> None:
    meeting = sample_meeting(title="Agenda\tone", description="Line 1\r\nLine 2\n\tend")
    assert meeting.description == "Line 1\r\nLine 2\n\tend"
    for changes, field in [
        ({"title": "New\x00"}, "title"),
        ({"location": "Room\x85"}, "location"),
        ({"description": "\udcff"}, "description"),
    ]:
        with pytest.raises(MeetingError) as raised:
            changed_meeting(meeting, now=CREATED, **changes)
        assert raised.value.field == field


def test_an_attendee_with_a_bad_address_is_named_without_a_field() -> None:
    with pytest.raises(MeetingError, match="Desk: 'desk at example' is not an e-mail") as raised:
        changed_meeting(
            sample_meeting(), now=CREATED, attendees=[Person("desk at example", "Desk")]
        )
    assert raised.value.field is None


def test_changing_attendees_raises_the_sequence_and_refuses_none_or_the_same(
    tmp_path: Path,
) -> None:
    first = sample_meeting()
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
            # Not a folder outside the test's: taking the store's lock makes it.
            store=MeetingStore(tmp_path / "store"),
            now=CREATED,
            removed=ATTENDEES[:1],
        )


def test_a_zone_recorded_before_aliases_were_refused_is_kept_and_a_new_one_is_checked() -> None:
    """A meeting recorded in ``EST`` (accepted before an invite's zone had to be a place's)
    is still moved and cancelled in it; an update to such a zone is refused naming it."""
    import attrs

    meeting = attrs.evolve(sample_meeting(), timezone="EST")
    moved = changed_meeting(meeting, now=CREATED, start=meeting.start + timedelta(days=1))
    assert moved.timezone == "EST" and moved.sequence == meeting.sequence + 1
    assert cancelled_meeting(moved, now=CREATED).timezone == "EST"
    with pytest.raises(MeetingError) as raised:
        changed_meeting(sample_meeting(), now=CREATED, timezone="Etc/GMT+5")
    assert raised.value.field == "timezone"
    assert changed_meeting(sample_meeting(), now=CREATED, timezone="UTC").timezone == "UTC"
