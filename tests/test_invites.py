"""The invitation use cases called from Python, as a script would: through ``somnet``'s public
names only, against a real SMTP server (aiosmtpd) and Radicale on 127.0.0.1. Each gives what
the command line gives for the same request (the command line is run beside it), and each
error names the field at fault and carries what a hint needs."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

import somnet
from somnet import (
    INVITE_ILLUSTRATIVE_NOTE,
    AlreadyRecordedError,
    Channels,
    Directory,
    IncompleteDeliveryError,
    IncompleteSeriesError,
    Meeting,
    MeetingError,
    MeetingStore,
    NothingChangesError,
    NothingMissingError,
    NoticeError,
    NotRecordedError,
    Participant,
    Person,
    RecordError,
    StorageError,
    caldav_server,
    cancel_meeting,
    cancel_series,
    invite_meeting,
    invite_series,
    resend_meeting,
    resolve_participants,
    smtp_server,
    update_meeting,
)
from tests.meeting_fixtures import NOW, cli, parse_both
from tests.meeting_servers import USER, Flaky, Inbox, Refusing, _get, free_port

ORGANIZER = Person("unodc@example.org", "UNODC")


def _uids(prefix: str) -> Any:
    """UIDs made in order, so that a test knows them."""
    counter = iter(range(1000))
    return lambda: f"{prefix}-{next(counter):04d}"


def _same(record: dict[str, Any]) -> dict[str, Any]:
    """A record's JSON without what differs between two meetings asked for alike: ids, UIDs,
    and where its files went."""
    different = {"id", "uid", "history", "deliveries"}
    kept = {k: v for k, v in record.items() if k not in different}
    kept["delivered"] = [
        [d["channel"], d["to"], d["sequence"], d["method"], d["state"]]
        for d in record["deliveries"]
    ]
    return kept


# One meeting ---------------------------------------------------------------------------------


def _monthly_series(
    region: Directory,
    tmp_path: Path,
    port: int | None = None,
    *,
    out: Path | None = None,
    count: int = 3,
    now: datetime | None = NOW,
) -> tuple[list[Participant], MeetingStore, dict[str, Any]]:
    """BS, HT and PA, a store in ``tmp_path``, and ``invite_series``' arguments for ``count``
    monthly meetings from January 2027, e-mailed through the SMTP server on ``port`` (and
    written to ``out``) when given; ``now`` None leaves the clock to the caller."""
    ask: dict[str, Any] = {
        "first": date(2027, 1, 4),
        "every": "month",
        "count": count,
        "duration": 90,
        "within_days": 10,
        "title": "Monthly coordination",
        "organizer": ORGANIZER,
        "store": MeetingStore(tmp_path / "store"),
    }
    if now is not None:
        ask["now"] = now
    if port is not None:
        ask["channels"] = Channels(out=out, smtp=smtp_server(f"smtp://127.0.0.1:{port}"))
    return resolve_participants(region, states=["BS", "HT", "PA"]), ask["store"], ask


def test_an_invite_through_the_public_api_is_what_the_command_line_sends(
    region: Directory,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    meeting_clock: datetime,
) -> None:
    inbox, port = smtp
    people = resolve_participants(region, states=["BS", "HT", "PA", "DO"])
    store = MeetingStore(tmp_path / "api")
    issued = invite_meeting(
        people,
        title="Regional coordination",
        organizer=ORGANIZER,
        duration=90,
        store=store,
        start=datetime(2026, 12, 3, 15, tzinfo=UTC),
        now=NOW,
        channels=Channels(out=tmp_path / "api.ics", smtp=smtp_server(f"smtp://127.0.0.1:{port}")),
        uid_factory=_uids("api"),
    )
    assert issued.meeting.uid == "api-0000" and issued.again is None
    assert issued.record == store.path(issued.meeting.id) and issued.record.exists()
    assert store.get(issued.meeting.id) == issued.meeting
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == [p.email for p in people]
    ours, _ = parse_both((tmp_path / "api.ics").read_bytes())
    assert str(ours.walk("VEVENT")[0]["UID"]) == "api-0000"
    assert any("illustrative" in w for w in issued.warnings)

    result = cli(
        capsys,
        "meeting invite --states BS,HT,PA,DO --start 2026-12-03T15:00Z --duration 90m "
        f"--title 'Regional coordination' --organizer unodc@example.org --organizer-name UNODC "
        f"--store {tmp_path / 'cli'} --out {tmp_path / 'cli.ics'} "
        f"--send smtp://127.0.0.1:{port} --format json",
    )
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert _same(answer["meeting"]) == _same(issued.meeting.to_json())
    assert answer["warnings"] == list(issued.warnings)
    api_ics = (
        (tmp_path / "api.ics").read_bytes().replace(b"api-0000", answer["meeting"]["uid"].encode())
    )
    assert (tmp_path / "cli.ics").read_bytes() == api_ics
    assert [e.rcpt_tos for e in inbox.envelopes] == [envelope.rcpt_tos] * 2


def test_an_invite_at_the_best_slot_of_a_window_takes_the_plans_slot(
    region: Directory, tmp_path: Path
) -> None:
    people = resolve_participants(region, states=["BS", "PA"])
    window = somnet.Window(date(2026, 12, 24), date(2026, 12, 31), 60)
    plan = somnet.plan_meeting(people, window, count=2, now=NOW)
    issued = invite_meeting(
        people,
        title="T",
        organizer=ORGANIZER,
        duration=60,
        store=MeetingStore(tmp_path),
        first=window.first,
        last=window.last,
        pick=2,
        now=NOW,
    )
    assert issued.meeting.start == plan.slots[1].start == datetime(2026, 12, 24, 16, 15, tzinfo=UTC)
    assert issued.delivered == ()  # recorded only: no channel given


def test_a_start_by_hand_is_checked_against_the_notice_and_the_hours(
    region: Directory, tmp_path: Path
) -> None:
    people = resolve_participants(region, states=["BS", "PA"])
    ask: dict[str, Any] = {
        "title": "T",
        "organizer": ORGANIZER,
        "duration": 60,
        "store": MeetingStore(tmp_path / "store"),
        "now": NOW,
    }
    with pytest.raises(NoticeError) as raised:
        invite_meeting(people, start=datetime(2026, 11, 30, 16, tzinfo=UTC), **ask)
    assert (raised.value.field, raised.value.remedy) == ("start", "notice_days")
    with pytest.raises(NoticeError) as raised:
        invite_meeting(people, start=datetime(2026, 11, 26, 16, tzinfo=UTC), **ask)
    assert raised.value.remedy == "allow_past"
    assert not (tmp_path / "store").exists()
    christmas = invite_meeting(people, start=datetime(2026, 12, 25, 15, tzinfo=UTC), **ask)
    assert any("public holiday (Christmas Day)" in w for w in christmas.warnings)
    early = invite_meeting(
        people, start=datetime(2026, 11, 30, 16, tzinfo=UTC), notice_days=0, **ask
    )
    assert early.meeting.start == datetime(2026, 11, 30, 16, tzinfo=UTC)


def test_the_same_invite_asked_again_is_completed_not_recorded_twice(
    region: Directory, tmp_path: Path
) -> None:
    inbox = Refusing(refuse={"pa-focal@example.org"})
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        people = resolve_participants(region, states=["BS", "PA"])
        store = MeetingStore(tmp_path)
        ask: dict[str, Any] = {
            "title": "T",
            "organizer": ORGANIZER,
            "duration": 60,
            "store": store,
            "start": datetime(2026, 12, 3, 16, tzinfo=UTC),
            "now": NOW,
            "channels": Channels(smtp=smtp_server(f"smtp://127.0.0.1:{port}")),
        }
        with pytest.raises(IncompleteDeliveryError) as raised:
            invite_meeting(people, **ask)
        recorded = raised.value.meeting
        assert [d.to for d in recorded.undelivered] == ["pa-focal@example.org"]
        inbox.refuse = set()
        again = invite_meeting(people, **ask)
        assert again.again == "sent-missing" and again.meeting.uid == recorded.uid
        assert again.delivered == (f"smtp:127.0.0.1:{port} to pa-focal@example.org",)
        assert invite_meeting(people, **ask).again == "nothing-missing"
        assert len(store.all()) == 1
        with pytest.raises(AlreadyRecordedError) as other:
            invite_meeting(people, **{**ask, "location": "Room 2"})
        assert other.value.meeting_id == recorded.id
    finally:
        controller.stop()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", "ht"),
        ("timezone", "Mars/Olympus"),
        ("location", "Room\x1b[2K 2"),
        ("description", "Agenda\udcff"),
        ("title", "T\x07"),
    ],
)
def test_a_bad_value_asked_again_is_refused_naming_it_not_the_recorded_meeting(
    region: Directory, tmp_path: Path, field: str, value: str
) -> None:
    """An invite recorded already, asked again with a time zone that is none ("ht") or text
    an invite cannot carry, was refused as "recorded already with another time zone; change
    it with somnet meeting update": the value was compared with the record before it was
    checked. It is refused naming its field, as it is when nothing is recorded."""
    people = resolve_participants(region, states=["BS", "PA"])
    store = MeetingStore(tmp_path)
    ask: dict[str, Any] = {
        "title": "T",
        "organizer": ORGANIZER,
        "duration": 60,
        "store": store,
        "start": datetime(2026, 12, 3, 16, tzinfo=UTC),
        "now": NOW,
    }
    with pytest.raises(MeetingError) as fresh:
        invite_meeting(people, **{**ask, field: value})
    invite_meeting(people, **ask)
    with pytest.raises(MeetingError) as again:
        invite_meeting(people, **{**ask, field: value})
    assert type(again.value) is type(fresh.value) is MeetingError
    assert (again.value.field, str(again.value)) == (field, str(fresh.value))
    assert len(store.all()) == 1


def test_the_same_invite_run_again_repeats_the_warnings_that_still_hold(
    region: Directory, tmp_path: Path
) -> None:
    """Run again with nothing missing, an invite said nothing of the meeting it had warned
    of: Christmas Day in Nassau, the illustrative contacts it is addressed to. They still
    hold, and are said again, with or without a file written again."""
    people = resolve_participants(region, states=["BS", "PA"])
    ask: dict[str, Any] = {
        "title": "T",
        "organizer": ORGANIZER,
        "duration": 60,
        "store": MeetingStore(tmp_path / "store"),
        "start": datetime(2026, 12, 25, 15, tzinfo=UTC),
        "now": NOW,
    }
    first = invite_meeting(people, **ask)
    assert any("public holiday (Christmas Day)" in w for w in first.warnings)
    assert first.warnings[-1] == INVITE_ILLUSTRATIVE_NOTE
    again = invite_meeting(people, **ask)
    assert again.again == "nothing-missing"
    assert again.warnings == first.warnings
    written = invite_meeting(people, **ask, channels=Channels(out=tmp_path / "m.ics"))
    assert written.again == "nothing-missing" and (tmp_path / "m.ics").exists()
    assert written.warnings == first.warnings
    # Updated since: nothing is sent, and the note on its illustrative contacts still ends.
    update_meeting(ask["store"], first.meeting.id, title="U", now=NOW)
    since = invite_meeting(people, **ask)
    assert since.again == "updated-since"
    assert since.warnings[-1:] == (INVITE_ILLUSTRATIVE_NOTE,)


def test_someone_added_to_a_meeting_too_soon_is_refused_as_an_invite_would_be(
    region: Directory, smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    # Invited on Friday with no notice for Monday: BS and PA agreed to it. Adding HT is an
    # invite to HT, as short as one for Monday would be: refused unless the notice asked for
    # allows it, as invite_meeting refuses it; the others are not counted again.
    inbox, port = smtp
    store = MeetingStore(tmp_path)
    send = Channels(smtp=smtp_server(f"smtp://127.0.0.1:{port}"))
    monday = datetime(2026, 11, 30, 16, tzinfo=UTC)
    first = invite_meeting(
        resolve_participants(region, states=["BS", "PA"]),
        title="T",
        organizer=ORGANIZER,
        duration=60,
        store=store,
        start=monday,
        now=NOW,
        notice_days=0,
        channels=send,
    )
    inbox.envelopes.clear()
    everyone = resolve_participants(region, states=["BS", "PA", "HT"])
    with pytest.raises(NoticeError) as short:
        update_meeting(store, first.meeting.id, participants=everyone, now=NOW, channels=send)
    assert short.value.remedy == "notice_days" and short.value.field == "participants"
    assert "to HT " in short.value.reason and "BS " not in short.value.reason
    assert "--" not in short.value.reason
    assert inbox.envelopes == [] and store.get(first.meeting.id) == first.meeting
    # The same for an invite at that start: the refusal the update follows.
    with pytest.raises(NoticeError):
        invite_meeting(
            resolve_participants(region, states=["HT"]),
            title="T",
            organizer=ORGANIZER,
            duration=60,
            store=MeetingStore(tmp_path / "other"),
            start=monday,
            now=NOW,
        )
    # Held already: refused unless it is recorded as held (allow_past).
    after = datetime(2026, 12, 1, 12, tzinfo=UTC)
    with pytest.raises(NoticeError) as past:
        update_meeting(store, first.meeting.id, participants=everyone, now=after)
    assert past.value.remedy == "allow_past"
    # Removing someone gives nobody a new invite: no notice is counted.
    fewer = resolve_participants(region, states=["BS"])
    assert update_meeting(store, first.meeting.id, participants=fewer, now=NOW).removed
    # With the notice the organiser asks for, HT is invited.
    added = update_meeting(
        store, first.meeting.id, participants=everyone, now=NOW, notice_days=0, channels=send
    )
    assert sorted(p.contact for p in added.added) == ["ht-focal", "pa-focal"]


def test_an_update_through_the_public_api_invites_the_added_and_uninvites_the_removed(
    region: Directory, smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp
    store = MeetingStore(tmp_path)
    send = Channels(smtp=smtp_server(f"smtp://127.0.0.1:{port}"))
    first = invite_meeting(
        resolve_participants(region, states=["BS", "HT", "PA"]),
        title="T",
        organizer=ORGANIZER,
        duration=90,
        store=store,
        start=datetime(2026, 12, 3, 15, tzinfo=UTC),
        now=NOW,
        channels=send,
    )
    inbox.envelopes.clear()
    loads: list[int] = []

    def load() -> Directory:
        loads.append(1)
        return region

    moved = update_meeting(
        store,
        first.meeting.id[:5],
        participants=resolve_participants(region, states=["BS", "PA", "DO"]),
        now=NOW,
        channels=send,
    )
    assert [p.contact for p in moved.added] == ["do-focal"]
    assert [p.contact for p in moved.removed] == ["ht-focal"]
    assert moved.meeting.sequence == 1 and moved.uninvite is not None
    request, uninvite = inbox.envelopes
    assert uninvite.rcpt_tos == ["ht-focal@example.org"]
    assert "do-focal@example.org" in request.rcpt_tos
    # A new time: the attendees' hours are looked up in the directory, loaded once, if asked.
    later = update_meeting(
        store,
        first.meeting.id,
        start=datetime(2026, 12, 25, 15, tzinfo=UTC),
        directory=load,
        now=NOW,
    )
    assert loads == [1] and any("Christmas Day" in w for w in later.warnings)
    assert update_meeting(store, first.meeting.id, title="Renamed", directory=load, now=NOW)
    assert loads == [1]  # a new title needs nobody's hours
    with pytest.raises(NothingChangesError):
        update_meeting(store, first.meeting.id, title="Renamed", now=NOW)
    with pytest.raises(NotRecordedError) as missing:
        update_meeting(store, "deadbeef", title="X", now=NOW)
    assert missing.value.value == "deadbeef"
    # A start at an offset no time zone keeps is refused, naming it, and nothing is recorded.
    before = store.get(first.meeting.id)
    for odd in [timedelta(hours=14, minutes=30), timedelta(hours=1, seconds=1)]:
        with pytest.raises(MeetingError) as refused:
            update_meeting(
                store,
                first.meeting.id,
                start=datetime(2026, 12, 28, 15, tzinfo=timezone(odd)),
                now=NOW,
            )
        assert refused.value.field == "start"
    assert store.get(first.meeting.id) == before


def test_cancel_and_resend_through_the_public_api_find_the_calendar_in_the_record(
    region: Directory, calendar: str, tmp_path: Path
) -> None:
    store = MeetingStore(tmp_path)
    people = resolve_participants(region, states=["BS", "PA"])
    published = invite_meeting(
        people,
        title="T",
        organizer=ORGANIZER,
        duration=60,
        store=store,
        start=datetime(2026, 12, 3, 16, tzinfo=UTC),
        now=NOW,
        channels=Channels(caldav=caldav_server(calendar, user=USER, environ={})),
    )
    assert published.meeting.publication is not None
    url = published.meeting.publication.url
    assert _get(url).status_code == 200
    # Cancelled without a calendar: it stays there, and the result says where.
    cancelled = cancel_meeting(store, published.meeting.id, now=NOW)
    assert cancelled.calendar_behind == url and _get(url).status_code == 200
    # The calendar left out: the one in the record (somnet.meetings.invites.published_calendar).
    anywhere = Channels(caldav=caldav_server(None, user=USER, environ={}))
    removed = resend_meeting(store, published.meeting.id, now=NOW, channels=anywhere)
    assert removed.delivered == (f"caldav:DELETE {url}",)
    assert _get(url).status_code == 404
    with pytest.raises(MeetingError, match="already cancelled"):
        cancel_meeting(store, published.meeting.id, now=NOW, channels=anywhere)
    never = invite_meeting(
        people,
        title="Never published",
        organizer=ORGANIZER,
        duration=60,
        store=store,
        start=datetime(2026, 12, 3, 16, tzinfo=UTC),
        now=NOW,
    )
    with pytest.raises(MeetingError) as raised:
        resend_meeting(store, never.meeting.id, now=NOW, channels=anywhere)
    assert raised.value.field == "publish"


# A series ------------------------------------------------------------------------------------


def test_a_series_through_the_public_api_resumes_after_a_failure_without_duplicates(
    region: Directory, tmp_path: Path, flaky: tuple[Flaky, int]
) -> None:
    inbox, port = flaky
    people, store, ask = _monthly_series(region, tmp_path, port, out=tmp_path / "invites")
    with pytest.raises(IncompleteSeriesError) as raised:
        invite_series(people, uid_factory=_uids("series"), **ask)
    # Also the error of its cause: an incomplete delivery, with the meeting recorded.
    assert isinstance(raised.value, IncompleteDeliveryError)
    progress = raised.value.progress
    sent, failed = store.all()
    assert (progress.occurrence, progress.total, progress.series) == (2, 3, sent.series)
    assert progress.done == (sent,) and progress.partly is not None
    assert progress.partly.id == failed.id and len(progress.undone) == 1
    # Asked again as it was, it would be a second series.
    with pytest.raises(AlreadyRecordedError) as twin:
        invite_series(people, **ask)
    assert twin.value.series_id == sent.series
    inbox.accept = 10
    done = invite_series(people, resume=sent.series, **ask)
    assert done.id == sent.series and done.completed == (failed.id,)
    assert [m.id for m in done.sent_before] == [sent.id, failed.id]
    assert done.issued[0].meeting.uid == failed.uid
    assert done.created == 1 and len(store.series(done.id)) == 3
    assert len(inbox.envelopes) == 3  # one message per occurrence, none twice
    assert [o.fixed for o in done.series.occurrences] == [True, True, False]
    cancelled = cancel_series(store, done.id, now=NOW)
    assert len(cancelled.issued) == 3
    assert {m.status for m in store.series(done.id)} == {"CANCELLED"}


def test_a_series_resumed_after_an_occurrence_was_held_does_not_invite_to_it_again(
    region: Directory, tmp_path: Path, flaky: tuple[Flaky, int]
) -> None:
    """Resumed once the occurrence left half-sent has been held, its invitation goes to
    nobody (it would come after the meeting), a warning names it and who never had it, and
    the rest of the series is sent; resumed again, there is nothing left to send."""
    inbox, port = flaky
    people, store, ask = _monthly_series(region, tmp_path, port, now=None)
    with pytest.raises(IncompleteSeriesError):
        invite_series(people, now=NOW, uid_factory=_uids("series"), **ask)
    sent, held = store.all()
    inbox.accept = 10
    later = held.end + timedelta(days=1)
    done = invite_series(people, now=later, resume=sent.series, **ask)
    # One message for the first occurrence, one for the third: none for the one held.
    assert len(inbox.envelopes) == 2
    assert done.completed == () and done.created == 1
    (issued,) = done.issued
    assert issued.meeting.start > later
    warned = [w for w in done.warnings if held.id in w]
    assert len(warned) == 1 and "has begun already" in warned[0], done.warnings
    assert all(p.email in warned[0] for p in held.attendees)
    # The record of the one held still says who never had it.
    assert {d.state for d in store.get(held.id).deliveries} == {"failed"}
    with pytest.raises(MeetingError, match=f"nothing left to send: meeting {held.id} ") as again:
        invite_series(people, now=later, resume=sent.series, **ask)
    assert again.value.field == "resume" and len(inbox.envelopes) == 2


def test_a_series_run_again_with_nothing_left_to_send_repeats_the_warnings_that_still_hold(
    region: Directory, smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    """Run again, as it was or resumed, a series sent whole said nothing of what it had
    warned of: the illustrative contacts its invitations went to. They still hold, and are
    said again with the refusal; nothing is sent twice."""
    inbox, port = smtp
    people = resolve_participants(region, states=["BS", "HT", "PA"])
    ask: dict[str, Any] = {
        "first": date(2027, 1, 4),
        "every": "month",
        "count": 3,
        "duration": 90,
        "within_days": 10,
        "title": "Monthly coordination",
        "organizer": ORGANIZER,
        "store": MeetingStore(tmp_path / "store"),
        "now": NOW,
        "channels": Channels(smtp=smtp_server(f"smtp://127.0.0.1:{port}")),
    }
    first = invite_series(people, **ask)
    assert first.warnings[-1] == INVITE_ILLUSTRATIVE_NOTE
    assert len(inbox.envelopes) == 3
    with pytest.raises(AlreadyRecordedError) as again:
        invite_series(people, **ask)
    assert again.value.series_id == first.id
    assert again.value.warnings == first.warnings
    with pytest.raises(NothingMissingError) as resumed:
        invite_series(people, resume=first.id, **ask)
    assert resumed.value.field == "resume"
    assert resumed.value.warnings == first.warnings
    assert len(inbox.envelopes) == 3
    # Its first meeting moved, and sent, to a public holiday in Nassau: that holds now, and is
    # said too.
    moved = update_meeting(
        ask["store"],
        first.issued[0].meeting.id,
        start=datetime(2027, 1, 11, 15, tzinfo=UTC),
        now=NOW,
        channels=ask["channels"],
    )
    assert moved.meeting.start.day == 11 and len(inbox.envelopes) == 4
    with pytest.raises(AlreadyRecordedError) as again:
        invite_series(people, **ask)
    assert again.value.warnings == (
        "BS bs-focal: Mon 2027-01-11 10:00-11:30 America/Nassau is a public holiday "
        "(Majority Rule Day (observed))",
        INVITE_ILLUSTRATIVE_NOTE,
    )
    with pytest.raises(NothingMissingError) as resumed:
        invite_series(people, resume=first.id, **ask)
    assert resumed.value.warnings == again.value.warnings
    assert len(inbox.envelopes) == 4


def test_a_series_resumed_while_a_record_cannot_be_read_sends_nothing(
    region: Directory, tmp_path: Path, flaky: tuple[Flaky, int]
) -> None:
    """A record that cannot be read may be an occurrence sent already: resumed, its period
    would look empty and be sent a second meeting."""
    inbox, port = flaky
    inbox.accept = 2
    people, store, ask = _monthly_series(region, tmp_path, port)
    with pytest.raises(IncompleteSeriesError):
        invite_series(people, uid_factory=_uids("series"), **ask)
    first, second, _third = store.all()
    broken = store.path(second.id)
    broken.write_text(broken.read_text()[:200])
    inbox.accept = 10
    # Cut short by hand: the user's to repair (exit 2), not a failure of the world.
    with pytest.raises(RecordError) as raised:
        invite_series(people, resume=first.series, **ask)
    assert str(broken) in raised.value.reason and "nothing was sent" in raised.value.reason
    assert len(inbox.envelopes) == 2 and len(store.ids()) == 3


def test_a_series_cancelled_after_an_occurrence_was_held_cancels_only_the_rest(
    region: Directory, tmp_path: Path
) -> None:
    """A meeting that has begun is not cancelled with the rest of its series (its attendees
    would be told a meeting they held is cancelled): a warning names it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        people = resolve_participants(region, states=["BS", "HT", "PA"])
        store = MeetingStore(tmp_path / "store")
        send = Channels(smtp=smtp_server(f"smtp://127.0.0.1:{port}"))
        invited = invite_series(
            people,
            first=date(2027, 1, 4),
            every="month",
            count=3,
            duration=90,
            within_days=10,
            title="Monthly coordination",
            organizer=ORGANIZER,
            store=store,
            now=NOW,
            channels=send,
        )
        held, *rest = store.series(invited.id)
        later = held.end + timedelta(days=1)
        inbox.envelopes.clear()
        done = cancel_series(store, invited.id, now=later, channels=send)
        with pytest.raises(MeetingError, match=f"nothing left to cancel: meeting {held.id} "):
            cancel_series(store, invited.id, now=later, channels=send)
    finally:
        controller.stop()
    assert [i.meeting.id for i in done.issued] == [m.id for m in rest]
    assert len(inbox.envelopes) == 2
    assert store.get(held.id).status == "CONFIRMED" and store.get(held.id).sequence == 0
    warned = [w for w in done.warnings if held.id in w]
    assert len(warned) == 1 and "has begun already" in warned[0], done.warnings


def _half_sent(
    region: Directory, inbox: Refusing, port: int, store: MeetingStore
) -> tuple[Meeting, Channels]:
    """A meeting whose invitation the SMTP server refused for PA: recorded, not sent to all."""
    inbox.refuse = {"pa-focal@example.org"}
    send = Channels(smtp=smtp_server(f"smtp://127.0.0.1:{port}"))
    with pytest.raises(IncompleteDeliveryError) as raised:
        invite_meeting(
            resolve_participants(region, states=["BS", "PA"]),
            title="T",
            organizer=ORGANIZER,
            duration=60,
            store=store,
            start=datetime(2026, 12, 3, 16, tzinfo=UTC),
            now=NOW,
            channels=send,
        )
    inbox.refuse = set()
    inbox.envelopes.clear()
    return raised.value.meeting, send


@pytest.mark.parametrize("held", [False, True], ids=["being-held", "held"])
def test_a_meeting_that_has_begun_is_not_resent_to_those_it_did_not_reach(
    region: Directory, refusing: tuple[Refusing, int], tmp_path: Path, held: bool
) -> None:
    """Its invitation would come once the meeting is held (or being held): as for an
    occurrence of a series resumed, it goes to nobody, and the refusal names the meeting and
    who never had it."""
    inbox, port = refusing
    store = MeetingStore(tmp_path)
    meeting, send = _half_sent(region, inbox, port, store)
    later = meeting.end + timedelta(days=1) if held else meeting.start
    with pytest.raises(MeetingError) as raised:
        resend_meeting(store, meeting.id, now=later, channels=send)
    assert raised.value.reason == (
        f"meeting {meeting.id} of 2026-12-03 16:00 UTC has begun already, so it is not sent "
        "to those it did not reach: pa-focal@example.org"
    )
    assert inbox.envelopes == [] and store.get(meeting.id) == meeting
    # Before it begins, it is sent as ever.
    resend_meeting(store, meeting.id, now=NOW, channels=send)
    assert sorted(inbox.received()) == ["pa-focal@example.org"]


def test_an_update_run_again_once_the_meeting_has_begun_sends_nothing(
    region: Directory, refusing: tuple[Refusing, int], tmp_path: Path
) -> None:
    """The same update after it failed halfway completes what it did not reach, unless the
    meeting has begun by then: refused as a resend is."""
    inbox, port = refusing
    store = MeetingStore(tmp_path)
    meeting, send = _half_sent(region, inbox, port, store)
    inbox.refuse = {"bs-focal@example.org"}
    with pytest.raises(IncompleteDeliveryError):
        update_meeting(store, meeting.id, title="T2", now=NOW, channels=send)
    inbox.refuse = set()
    inbox.envelopes.clear()
    updated = store.get(meeting.id)
    with pytest.raises(MeetingError, match="has begun already") as raised:
        update_meeting(store, meeting.id, title="T2", now=updated.end, channels=send)
    assert "bs-focal@example.org" in raised.value.reason
    assert "--" not in raised.value.reason
    assert inbox.envelopes == [] and store.get(meeting.id) == updated


def test_the_same_update_run_again_repeats_the_hours_and_holidays_that_still_hold(
    region: Directory, refusing: tuple[Refusing, int], tmp_path: Path
) -> None:
    """Moved onto Christmas Day, the update one recipient refused is completed by the same
    update asked again: it warns again that the meeting is on a public holiday for its
    attendees (looked up in the directory), as the run that failed did."""
    inbox, port = refusing
    store = MeetingStore(tmp_path)
    send = Channels(smtp=smtp_server(f"smtp://127.0.0.1:{port}"))
    meeting = invite_meeting(
        resolve_participants(region, states=["BS", "PA"]),
        title="T",
        organizer=ORGANIZER,
        duration=60,
        store=store,
        start=datetime(2026, 12, 3, 16, tzinfo=UTC),
        now=NOW,
        channels=send,
    ).meeting
    christmas = datetime(2026, 12, 25, 15, tzinfo=UTC)
    inbox.refuse = {"pa-focal@example.org"}
    with pytest.raises(IncompleteDeliveryError) as raised:
        update_meeting(store, meeting.id, start=christmas, directory=region, now=NOW, channels=send)
    assert raised.value.issued is not None
    warned = raised.value.issued.warnings
    assert [w for w in warned if "Christmas Day" in w] == [
        "BS bs-focal: Fri 2026-12-25 10:00-11:00 America/Nassau is a public holiday "
        "(Christmas Day)",
        "PA pa-focal: Fri 2026-12-25 10:00-11:00 America/Panama is a public holiday "
        "(Christmas Day)",
    ]
    inbox.refuse = set()
    again = update_meeting(
        store, meeting.id, start=christmas, directory=region, now=NOW, channels=send
    )
    assert again.warnings == warned
    assert again.warnings[-1] == INVITE_ILLUSTRATIVE_NOTE


@pytest.mark.parametrize("held", [False, True], ids=["being-held", "held"])
@pytest.mark.parametrize(
    "change",
    [
        {"title": "Renamed"},
        {"states": ["BS"]},  # PA removed: they would be sent a CANCEL of it
        {"duration": 90},
        {"start": datetime(2026, 12, 3, 15, tzinfo=UTC)},  # when it was held, in truth
    ],
    ids=["title", "someone-removed", "duration", "start-corrected"],
)
def test_a_meeting_that_has_begun_is_changed_only_as_a_record_of_a_meeting_held(
    region: Directory,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    change: dict[str, Any],
    held: bool,
) -> None:
    """Its attendees would be sent a new version of a meeting they are holding (or held),
    those removed a CANCEL of it: refused, nothing sent or rewritten, as resend and cancel
    refuse such a meeting; unless ``allow_past`` says the change records a meeting held, as
    for an invite or a start in the past."""
    inbox, port = smtp
    store = MeetingStore(tmp_path)
    send = Channels(smtp=smtp_server(f"smtp://127.0.0.1:{port}"))
    meeting = invite_meeting(
        resolve_participants(region, states=["BS", "PA"]),
        title="T",
        organizer=ORGANIZER,
        duration=60,
        store=store,
        start=datetime(2026, 12, 3, 16, tzinfo=UTC),
        now=NOW,
        channels=send,
    ).meeting
    inbox.envelopes.clear()
    record = store.path(meeting.id).read_bytes()
    later = meeting.end + timedelta(days=1) if held else meeting.start
    asked = dict(change)
    if "states" in asked:
        asked["participants"] = resolve_participants(region, states=asked.pop("states"))
    with pytest.raises(NoticeError) as raised:
        update_meeting(store, meeting.id, now=later, channels=send, **asked)
    assert raised.value.reason == (
        f"meeting {meeting.id} of 2026-12-03 16:00 UTC has begun already, so it is not changed"
    )
    assert raised.value.remedy == "allow_past" and raised.value.value == meeting.id
    assert inbox.envelopes == [] and store.path(meeting.id).read_bytes() == record
    # Recorded as held, when asked.
    updated = update_meeting(
        store, meeting.id, now=later, allow_past=True, channels=send, **asked
    ).meeting
    assert updated.sequence == 1 and inbox.envelopes != []


@pytest.mark.parametrize("allow_past", [False, True])
def test_a_meeting_that_has_begun_is_not_moved_to_a_time_to_come(
    region: Directory, smtp: tuple[Inbox, int], tmp_path: Path, allow_past: bool
) -> None:
    """A new time for a meeting held (or being held) is another meeting: its attendees
    would find the one they held moved to next week. Refused, even as a record."""
    inbox, port = smtp
    store = MeetingStore(tmp_path)
    send = Channels(smtp=smtp_server(f"smtp://127.0.0.1:{port}"))
    meeting = invite_meeting(
        resolve_participants(region, states=["BS", "PA"]),
        title="T",
        organizer=ORGANIZER,
        duration=60,
        store=store,
        start=datetime(2026, 12, 3, 16, tzinfo=UTC),
        now=NOW,
        channels=send,
    ).meeting
    inbox.envelopes.clear()
    record = store.path(meeting.id).read_bytes()
    with pytest.raises(MeetingError) as raised:
        update_meeting(
            store,
            meeting.id,
            start=datetime(2026, 12, 10, 16, tzinfo=UTC),
            now=meeting.start + timedelta(minutes=5),
            allow_past=allow_past,
            channels=send,
        )
    assert not isinstance(raised.value, NoticeError)  # no setting lets it through
    assert raised.value.reason == (
        f"meeting {meeting.id} of 2026-12-03 16:00 UTC has begun already, so it is not moved: "
        "to meet at another time, invite a new meeting"
    )
    assert raised.value.exit_code == 2 and raised.value.value == meeting.id
    assert inbox.envelopes == [] and store.path(meeting.id).read_bytes() == record


def test_a_meeting_that_has_begun_is_not_cancelled(
    region: Directory, refusing: tuple[Refusing, int], tmp_path: Path
) -> None:
    """Its attendees would be told that a meeting they held is cancelled (as cancel_series
    leaves such a meeting); nor is a cancellation that did not reach everyone completed."""
    inbox, port = refusing
    store = MeetingStore(tmp_path)
    meeting, send = _half_sent(region, inbox, port, store)
    resend_meeting(store, meeting.id, now=NOW, channels=send)
    inbox.envelopes.clear()
    with pytest.raises(MeetingError) as raised:
        cancel_meeting(store, meeting.id, now=meeting.start, channels=send)
    assert raised.value.reason == (
        f"meeting {meeting.id} of 2026-12-03 16:00 UTC has begun already, so it is not cancelled"
    )
    assert inbox.envelopes == [] and store.get(meeting.id).status == "CONFIRMED"
    inbox.refuse = {"bs-focal@example.org"}
    with pytest.raises(IncompleteDeliveryError):
        cancel_meeting(store, meeting.id, now=NOW, channels=send)
    inbox.refuse = set()
    inbox.envelopes.clear()
    cancelled = store.get(meeting.id)
    for again in (cancel_meeting, resend_meeting):
        with pytest.raises(MeetingError, match="has begun already") as raised:
            again(store, meeting.id, now=meeting.end, channels=send)
        assert "not sent to those it did not reach: bs-focal@example.org" in raised.value.reason
    assert inbox.envelopes == [] and store.get(meeting.id) == cancelled


def test_a_series_with_a_record_that_cannot_be_read_is_not_cancelled_in_part(
    region: Directory, tmp_path: Path
) -> None:
    """A record of the store that cannot be read may be one of the series: cancelling the
    others and saying the series is cancelled would leave that meeting in every calendar."""
    people = resolve_participants(region, states=["BS", "HT", "PA"])
    store = MeetingStore(tmp_path / "store")
    invited = invite_series(
        people,
        first=date(2027, 1, 4),
        every="month",
        count=3,
        duration=90,
        within_days=10,
        title="Monthly coordination",
        organizer=ORGANIZER,
        store=store,
        now=NOW,
    )
    first, second, third = store.series(invited.id)
    broken = store.path(second.id)
    broken.write_text(broken.read_text()[:200])
    kept = {m.id: store.path(m.id).read_bytes() for m in (first, third)}
    with pytest.raises(RecordError) as raised:
        cancel_series(store, invited.id, now=NOW)
    assert str(broken) in raised.value.reason and "nothing was" in raised.value.reason
    assert {i: store.path(i).read_bytes() for i in kept} == kept
    # Repaired (here: moved out), the others are cancelled.
    broken.rename(tmp_path / "aside.json")
    assert len(cancel_series(store, invited.id, now=NOW).issued) == 2


def test_a_mailbox_refused_at_each_occurrence_does_not_keep_a_series_from_the_others(
    region: Directory, tmp_path: Path
) -> None:
    """A mailbox the server refuses is refused at every occurrence: the others are sent each
    one (as a single invite goes to the others), and the error names each occurrence that
    did not reach everyone; resumed, it does not stop at the first either."""
    inbox = Refusing(refuse={"ht-focal@example.org"})
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        people, store, ask = _monthly_series(region, tmp_path, port)
        with pytest.raises(IncompleteSeriesError) as raised:
            invite_series(people, **ask)
        assert isinstance(raised.value, IncompleteDeliveryError)
        meetings = store.all()
        assert len(meetings) == 3
        for meeting in meetings:
            states = {d.to: d.state for d in meeting.deliveries}
            assert states == {
                "bs-focal@example.org": "delivered",
                "ht-focal@example.org": "failed",
                "pa-focal@example.org": "delivered",
            }
        progress = raised.value.progress
        assert progress.undone == () and progress.done == ()
        partly = (progress.partly, *progress.refused)
        assert sorted(m.id for m in partly if m) == sorted(m.id for m in meetings)
        assert all(m.id in raised.value.reason for m in meetings)
        # Resumed: each occurrence is tried again for the mailbox, none twice for the others.
        inbox.envelopes.clear()
        with pytest.raises(IncompleteSeriesError):
            invite_series(people, resume=meetings[0].series, **ask)
    finally:
        controller.stop()
    assert inbox.envelopes == []  # the server refused it again: nobody else was sent anything
    assert len(store.all()) == 3


def test_a_start_with_microseconds_asked_again_is_the_same_invite_and_the_same_update(
    region: Directory, tmp_path: Path
) -> None:
    """A start computed in Python (now plus three days) has microseconds, which the record
    does not keep: asked again, it is the meeting recorded, not a second one sent."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        people = resolve_participants(region, states=["BS", "PA"])
        store = MeetingStore(tmp_path / "store")
        send = Channels(smtp=smtp_server(f"smtp://127.0.0.1:{port}"))
        ask: dict[str, Any] = {
            "title": "T",
            "organizer": ORGANIZER,
            "duration": 60,
            "store": store,
            "now": NOW,
            "channels": send,
            "start": datetime(2026, 12, 3, 16, 0, 0, 500000, tzinfo=UTC),
        }
        first = invite_meeting(people, **ask)
        assert invite_meeting(people, **ask).again == "nothing-missing"
        later = datetime(2026, 12, 4, 16, 0, 0, 250000, tzinfo=UTC)
        update_meeting(store, first.meeting.id, start=later, now=NOW, channels=send)
        with pytest.raises(NothingChangesError):
            update_meeting(store, first.meeting.id, start=later, now=NOW, channels=send)
    finally:
        controller.stop()
    (recorded,) = store.all()
    assert recorded.sequence == 1
    assert len(inbox.envelopes) == 2  # the invite, the update: each once


def test_a_series_plan_reads_its_ledger_from_the_store(region: Directory, tmp_path: Path) -> None:
    people = resolve_participants(region, states=["BS", "DO", "HT", "PA", "MX"])
    store = MeetingStore(tmp_path)
    for day in (2, 9):
        invite_meeting(
            people,
            title="Earlier",
            organizer=ORGANIZER,
            duration=240,
            store=store,
            start=datetime(2026, 12, day, 16, tzinfo=UTC),
            now=NOW,
        )
    ask: dict[str, Any] = {
        "first": date(2027, 1, 4),
        "every": "month",
        "count": 2,
        "duration": 240,
        "within_days": 14,
        "now": NOW,
    }
    from_store = somnet.plan_series(people, store=store, **ask)
    assert len(from_store.counted) == 2 and from_store.recorded_in == str(store.root)
    assert {e.participant.state: e.minutes_outside_core for e in from_store.ledger_before}[
        "DO"
    ] == 120
    fresh = somnet.plan_series(people, store=store, ledger_from_store=False, **ask)
    assert fresh.counted == () and {e.minutes_outside_core for e in fresh.ledger_before} == {0}
    with pytest.raises(NotRecordedError) as raised:
        somnet.plan_series(people, store=store, resume="deadbeef", **ask)
    assert raised.value.field == "resume"


# Errors name their field -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ask", "field"),
    [
        ({"start": datetime(2026, 12, 3, 16, tzinfo=UTC), "first": date(2026, 12, 1)}, "start"),
        ({}, "start"),
        ({"first": date(2026, 12, 18), "last": date(2026, 12, 1)}, "last"),
        ({"first": date(2026, 12, 1), "last": date(2026, 12, 18), "pick": 0}, "pick"),
        ({"first": date(2026, 12, 1), "last": date(2026, 12, 2), "pick": 900}, "pick"),
        ({"start": datetime(2026, 12, 3, 16, tzinfo=UTC), "timezone": "Mars/Olympus"}, "timezone"),
        # Offsets no time zone keeps, and years outside those somnet reads, as in text.
        ({"start": datetime(2026, 12, 3, 16, tzinfo=timezone(timedelta(hours=15)))}, "start"),
        ({"start": datetime(2026, 12, 3, 16, tzinfo=timezone(timedelta(hours=-13)))}, "start"),
        ({"start": datetime(2026, 12, 3, 16, tzinfo=timezone(timedelta(seconds=30)))}, "start"),
        ({"start": datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))}, "start"),
        ({"start": datetime(1, 1, 1, 1, tzinfo=timezone(timedelta(hours=5)))}, "start"),
        ({"start": datetime(2026, 12, 3, 16, tzinfo=UTC), "title": " "}, "title"),
        ({"start": datetime(2026, 12, 3, 16, tzinfo=UTC), "notice_days": -1}, "notice_days"),
        (
            {
                "start": datetime(2026, 12, 3, 16, tzinfo=UTC),
                "organizer": Person("nobody", "Nobody"),
            },
            "organizer",
        ),
        (
            {
                "start": datetime(2026, 12, 3, 16, tzinfo=UTC),
                "channels": Channels(out=Path("/nonexistent/folder/m.ics")),
            },
            "out",
        ),
        (
            {
                "start": datetime(2026, 12, 3, 16, tzinfo=UTC),
                "channels": Channels(caldav=caldav_server(None, environ={})),
            },
            "publish",
        ),
    ],
)
def test_an_invite_that_cannot_be_made_names_its_field_and_records_nothing(
    region: Directory, tmp_path: Path, ask: dict[str, Any], field: str
) -> None:
    people = resolve_participants(region, states=["BS", "PA"])
    request: dict[str, Any] = {
        "title": "T",
        "organizer": ORGANIZER,
        "duration": 60,
        "store": MeetingStore(tmp_path / "store"),
        "now": NOW,
        "uid_factory": uuid.uuid4,
        **ask,
    }
    with pytest.raises(MeetingError) as raised:
        invite_meeting(people, **request)
    assert raised.value.field == field
    assert "--" not in raised.value.reason
    assert not (tmp_path / "store").exists()


def test_a_store_that_is_a_file_names_the_field(region: Directory, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    people = resolve_participants(region, states=["BS", "PA"])
    with pytest.raises(MeetingError) as raised:
        invite_meeting(
            people,
            title="T",
            organizer=ORGANIZER,
            duration=60,
            store=MeetingStore(tmp_path / "file"),
            start=datetime(2026, 12, 3, 16, tzinfo=UTC),
            now=NOW,
        )
    assert raised.value.field == "store"
    assert (tmp_path / "file").read_text() == "not a folder"


def test_a_day_later_the_same_call_is_refused_as_in_the_past(
    region: Directory, tmp_path: Path
) -> None:
    people = resolve_participants(region, states=["BS", "PA"])
    start = datetime(2026, 12, 3, 16, tzinfo=UTC)
    with pytest.raises(NoticeError):
        invite_meeting(
            people,
            title="T",
            organizer=ORGANIZER,
            duration=60,
            store=MeetingStore(tmp_path),
            start=start,
            now=start + timedelta(days=1),
        )


# The README's example ------------------------------------------------------------------------


def _readme_example() -> str:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Meetings from Python", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_example_plans_as_the_command_line_and_invites_through_smtp(
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = smtp
    monkeypatch.chdir(tmp_path)
    code = _readme_example().replace("127.0.0.1:8025", f"127.0.0.1:{port}")
    namespace: dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    issued, plan, window = namespace["issued"], namespace["plan"], namespace["window"]
    assert str(issued.meeting.id) in capsys.readouterr().out
    # One message to the three focal points, the invite written, the meeting recorded.
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == [p.email for p in issued.meeting.attendees]
    assert len(envelope.rcpt_tos) == 3
    assert (tmp_path / "meeting.ics").read_bytes() == issued.ics
    assert MeetingStore(tmp_path / "meetings").get(issued.meeting.id) == issued.meeting
    # The plan is the command line's for the same request.
    result = cli(
        capsys,
        f"meeting plan --states BS,DO,HT --duration 90m --from {window.first} --to {window.last} "
        "--count 3 --format json",
    )
    assert result.exit_code == 0, result.stderr
    assert [s["start"] for s in json.loads(result.stdout)["slots"]] == [
        f"{s.start:%Y-%m-%dT%H:%M:%SZ}" for s in plan.slots
    ]


# Two runs at once ----------------------------------------------------------------------------


@dataclass
class _Holding(Inbox):
    """An inbox that keeps the first message waiting (its DATA unanswered) until ``release``."""

    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self.arrived.is_set():
            self.arrived.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
        return await super().handle_DATA(server, session, envelope)


def test_the_same_invite_run_twice_at_once_is_sent_once(region: Directory, tmp_path: Path) -> None:
    inbox = _Holding()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    people = resolve_participants(region, states=["BS", "PA"])
    store = MeetingStore(tmp_path / "store")
    ask: dict[str, Any] = {
        "title": "T",
        "organizer": ORGANIZER,
        "duration": 60,
        "store": store,
        "start": datetime(2026, 12, 3, 16, tzinfo=UTC),
        "now": NOW,
        "channels": Channels(smtp=smtp_server(f"smtp://127.0.0.1:{port}")),
    }
    first: list[Any] = []
    running = threading.Thread(target=lambda: first.append(invite_meeting(people, **ask)))
    running.start()
    try:
        assert inbox.arrived.wait(60)  # the first run is sending, its record written
        # The second (another process, a cron job and a person) is refused while it sends.
        with pytest.raises(StorageError):
            invite_meeting(people, **ask)
        with pytest.raises(StorageError):
            resend_meeting(store, store.ids()[0], now=NOW, channels=ask["channels"])
    finally:
        inbox.release.set()
        running.join()
        controller.stop()
    (issued,) = first
    assert len(inbox.envelopes) == 1  # one message to both, sent once
    assert sorted(inbox.envelopes[0].rcpt_tos) == sorted(p.email for p in issued.meeting.attendees)
    assert len(store.all()) == 1 and not store.all()[0].undelivered
    # Once it has finished, the same run again finds nothing to send.
    assert invite_meeting(people, **ask).again == "nothing-missing"
    assert len(inbox.envelopes) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("timezone", "ht"), ("location", "Room\x1b[2K 2"), ("description", "Agenda\udcff")],
)
def test_a_series_asked_again_with_a_bad_value_is_refused_naming_it(
    region: Directory, tmp_path: Path, field: str, value: str
) -> None:
    """As for one meeting: a series recorded already, asked again with a zone that is none or
    text no invite carries, was refused as "recorded already for these dates; add --resume",
    and the resume then failed on the value. It is refused naming its field."""
    people, _store, ask = _monthly_series(region, tmp_path, count=2)
    with pytest.raises(MeetingError) as fresh:
        invite_series(people, **{**ask, field: value})
    invite_series(people, **ask)
    with pytest.raises(MeetingError) as again:
        invite_series(people, **{**ask, field: value})
    assert type(again.value) is type(fresh.value) is MeetingError
    assert (again.value.field, str(again.value)) == (field, str(fresh.value))


def test_a_series_cancelled_whole_can_be_invited_again(region: Directory, tmp_path: Path) -> None:
    people, store, ask = _monthly_series(region, tmp_path, count=2)
    first = invite_series(people, uid_factory=_uids("first"), **ask)
    cancel_series(store, first.id, now=NOW)
    # As for one meeting: a cancelled series is no twin of the one asked for now.
    again = invite_series(people, uid_factory=_uids("again"), **ask)
    assert again.id != first.id and again.created == 2
    assert {m.status for m in store.series(again.id)} == {"CONFIRMED"}
    assert {m.status for m in store.series(first.id)} == {"CANCELLED"}
    # Asked for again as it was, the live one is the twin.
    with pytest.raises(AlreadyRecordedError) as twin:
        invite_series(people, uid_factory=_uids("third"), **ask)
    assert twin.value.series_id == again.id


@pytest.mark.parametrize("damage", ["truncated", "newer format"])
def test_the_same_invite_is_not_sent_again_when_a_record_cannot_be_read(
    region: Directory, tmp_path: Path, smtp: tuple[Inbox, int], damage: str
) -> None:
    inbox, port = smtp
    people = resolve_participants(region, states=["BS", "PA"])
    store = MeetingStore(tmp_path / "store")
    ask: dict[str, Any] = {
        "title": "T",
        "organizer": ORGANIZER,
        "duration": 60,
        "store": store,
        "start": datetime(2026, 12, 3, 16, tzinfo=UTC),
        "now": NOW,
    }
    first = invite_meeting(people, **ask)
    record = store.path(first.meeting.id)
    text = record.read_text(encoding="utf-8")
    if damage == "truncated":
        record.write_text(text[: len(text) // 2], encoding="utf-8")
    else:
        data = json.loads(text)
        data["record_version"] += 1
        record.write_text(json.dumps(data), encoding="utf-8")
    before = sorted(p.name for p in store.root.iterdir())
    # That record may be this very invite: it cannot tell, so it sends nothing.
    with pytest.raises(RecordError) as raised:
        invite_meeting(
            people, **ask, channels=Channels(smtp=smtp_server(f"smtp://127.0.0.1:{port}"))
        )
    assert str(record) in str(raised.value)
    assert inbox.envelopes == []
    assert sorted(p.name for p in store.root.iterdir()) == before


def test_a_new_invite_names_the_first_records_that_cannot_be_read_and_how_many_more(
    region: Directory,
    tmp_path: Path,
    smtp: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each may record this very invite: the first five are named, then how many more; one
    the system cannot read makes the refusal the world's (running again may be what it
    takes)."""
    import errno
    import os

    inbox, port = smtp
    people = resolve_participants(region, states=["BS", "PA"])
    store = MeetingStore(tmp_path / "store")
    ask: dict[str, Any] = {
        "title": "T",
        "organizer": ORGANIZER,
        "duration": 60,
        "store": store,
        "start": datetime(2026, 12, 3, 16, tzinfo=UTC),
        "now": NOW,
    }
    invite_meeting(people, **ask)
    damaged = [store.root / f"{n:08x}.json" for n in range(7)]
    for record in damaged:
        record.write_text('{"record_version": 3, "title": "half')
    (store.root / "0000000a.json").mkdir()  # records no meeting: not named
    again = {
        **ask,
        "title": "Another",
        "channels": Channels(smtp=smtp_server(f"smtp://127.0.0.1:{port}")),
    }
    with pytest.raises(RecordError) as raised:
        invite_meeting(people, **again)
    said = str(raised.value)
    assert said.startswith(f"7 records cannot be read: {damaged[0]}: not a meeting record"), said
    assert all(str(r) in said for r in damaged[:5]) and str(damaged[5]) not in said
    assert "; and 2 more; any of them may record this very invite" in said
    assert "0000000a.json" not in said and raised.value.path == damaged[0]
    from somnet.meetings import store as store_module

    read_regular = store_module.read_regular

    def refusing(path: Path, *args: Any, **kwargs: Any) -> bytes:
        if Path(path) == damaged[6]:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return read_regular(path, *args, **kwargs)

    monkeypatch.setattr(store_module, "read_regular", refusing)
    with pytest.raises(StorageError) as failed:
        invite_meeting(people, **again)
    assert str(failed.value).startswith("7 records cannot be read: ")
    assert failed.value.exit_code == 1
    assert inbox.envelopes == []


def test_a_new_meeting_is_never_recorded_over_a_link_named_as_its_id(
    region: Directory, tmp_path: Path
) -> None:
    """A link that leads nowhere stops no invite (it records no meeting), and is the user's:
    the new meeting takes a longer id rather than be renamed over it."""
    people = resolve_participants(region, states=["BS", "PA"])
    store = MeetingStore(tmp_path / "store")
    store.root.mkdir()
    link = store.root / "abcdef01.json"
    link.symlink_to(tmp_path / "gone.json")
    made = invite_meeting(
        people,
        title="T",
        organizer=ORGANIZER,
        duration=60,
        store=store,
        start=datetime(2026, 12, 3, 16, tzinfo=UTC),
        now=NOW,
        uid_factory=lambda: "abcdef01-0000-4000-8000-000000000000",
    )
    assert made.meeting.id == "abcdef010000"
    assert link.is_symlink() and not link.exists()
    assert store.path(made.meeting.id).is_file()


def test_the_same_invite_asked_again_after_an_address_changed_is_not_sent_as_a_new_meeting(
    region: Directory, tmp_path: Path
) -> None:
    import attrs

    inbox = Refusing(refuse={"pa-focal@example.org"})
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        people = resolve_participants(region, states=["BS", "HT", "PA"])
        store = MeetingStore(tmp_path)
        ask: dict[str, Any] = {
            "title": "T",
            "organizer": ORGANIZER,
            "duration": 60,
            "store": store,
            "start": datetime(2026, 12, 3, 16, tzinfo=UTC),
            "now": NOW,
            "channels": Channels(smtp=smtp_server(f"smtp://127.0.0.1:{port}")),
        }
        with pytest.raises(IncompleteDeliveryError) as raised:
            invite_meeting(people, **ask)
        sent = len(inbox.envelopes)
        # Run again once the directory gave Haiti's desk a new address: the meeting recorded
        # is this one, for people who have it already; it is changed, not sent anew.
        moved = [
            attrs.evolve(p, email="ht-desk@example.org") if p.state == "HT" else p for p in people
        ]
        with pytest.raises(AlreadyRecordedError) as again:
            invite_meeting(moved, **ask)
        assert again.value.meeting_id == raised.value.meeting.id
        # Another meeting of that title at that time, for other people, is another meeting.
        others = resolve_participants(region, states=["MX"])
        assert invite_meeting(others, **ask).meeting.id != raised.value.meeting.id
    finally:
        controller.stop()
    assert len(inbox.envelopes) == sent + 1 and inbox.envelopes[-1].rcpt_tos == [
        "mx-focal@example.org"
    ]
    assert len(store.all()) == 2


def test_a_start_by_hand_on_a_national_day_of_a_post_abroad_is_warned_of_as_in_a_plan(
    tmp_path: Path,
) -> None:
    # Haiti's consulate in Miami keeps Miami's holidays; 18 May is Haitian Flag Day, when it
    # may be closed. A plan offering that day says so; an invite or an update at a start given
    # by hand said nothing.
    directory = somnet.load_directory()
    people = resolve_participants(directory, states=["HT"], roles=["consular"])
    people += resolve_participants(directory, states=["MX"])
    assert people[0].represents == "HT"
    flag_day = datetime(2027, 5, 18, 15, tzinfo=UTC)
    ask: dict[str, Any] = {
        "title": "T",
        "organizer": ORGANIZER,
        "duration": 60,
        "store": MeetingStore(tmp_path / "store"),
        "now": NOW,
    }

    def named(warnings: Sequence[str]) -> list[str]:
        return [w for w in warnings if "2027-05-18" in w and "HT" in w]

    planned = invite_meeting(people, first=flag_day.date(), last=flag_day.date(), **ask)
    assert len(named(planned.warnings)) == 1
    by_hand = invite_meeting(people, start=flag_day, **{**ask, "title": "U"})
    assert named(by_hand.warnings) == named(planned.warnings)
    day_after = flag_day + timedelta(days=1)
    assert not named(invite_meeting(people, start=day_after, **{**ask, "title": "V"}).warnings)
    moved = update_meeting(
        ask["store"], planned.meeting.id, start=day_after, directory=directory, now=NOW
    )
    assert not named(moved.warnings)
    back = update_meeting(
        ask["store"], planned.meeting.id, start=flag_day, directory=directory, now=NOW
    )
    assert len(named(back.warnings)) == 1


def test_a_series_resumes_after_one_of_its_meetings_was_updated(
    region: Directory, tmp_path: Path, flaky: tuple[Flaky, int]
) -> None:
    """After a failure halfway, the organizer retitles (or changes the attendees of) a meeting
    the series sent; the series could then never be resumed, whatever title was asked: each
    meeting recorded was compared with the series as asked, the updated one included."""
    inbox, port = flaky
    people, store, ask = _monthly_series(region, tmp_path, port)
    with pytest.raises(IncompleteSeriesError):
        invite_series(people, uid_factory=_uids("series"), **ask)
    sent, failed = store.all()
    inbox.accept = 10
    update_meeting(
        store,
        sent.id,
        title="Monthly coordination (interpretation arranged)",
        now=NOW,
        channels=ask["channels"],
    )
    done = invite_series(people, resume=sent.series, **ask)
    assert done.completed == (failed.id,) and done.created == 1
    meetings = store.series(done.id)
    assert len(meetings) == 3
    assert meetings[0].title == "Monthly coordination (interpretation arranged)"
    # The first meeting twice (invite, update), the others once.
    assert len(inbox.envelopes) == 4


def test_a_series_never_writes_over_the_invite_file_of_another_meeting(
    region: Directory, tmp_path: Path
) -> None:
    """One folder for every series' files (as the README's ``--out invites``): a second
    series with a meeting on a date the first has one replaced that meeting's file."""
    people = resolve_participants(region, states=["BS", "HT", "PA"])
    store = MeetingStore(tmp_path / "store")
    folder = tmp_path / "invites"
    ask: dict[str, Any] = {
        "first": date(2027, 1, 4),
        "every": "month",
        "count": 2,
        "duration": 90,
        "organizer": ORGANIZER,
        "store": store,
        "now": NOW,
        "ledger_from_store": False,
        "channels": Channels(out=folder),
    }
    first = invite_series(people, title="Monthly coordination", **ask)
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(files) == 2
    with pytest.raises(MeetingError) as raised:
        invite_series(people, title="Legal working group", **ask)
    assert raised.value.field == "out"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files
    assert [m.id for m in store.all()] == [m.meeting.id for m in first.issued]
    # The same series' files are its own: written again when it is cancelled or resumed.
    cancel_series(store, first.id, now=NOW, channels=Channels(out=folder))
    assert len(list(folder.iterdir())) == 4
    # Once it is cancelled, its invites may make way for another series' (as it may be
    # invited again).
    second = invite_series(people, title="Legal working group", **ask)
    assert len(list(folder.iterdir())) == 4
    assert {p.read_bytes() for p in folder.iterdir() if "cancel" not in p.name} == {
        i.ics for i in second.issued
    }


def test_a_series_stopped_at_a_put_the_calendar_refused_is_cancelled_on_every_channel(
    region: Directory, tmp_path: Path, calendar: str
) -> None:
    """A series whose second PUT the calendar refused (another event at its address) stops
    there: the first occurrence sent and published, the second recorded and sent nowhere.
    Cancelled with the same channels, the first gets its CANCEL and leaves the calendar, and
    the second, which no calendar holds and no invitation reached, is cancelled all the
    same, in one run (not refused as never published, the series left on the calendar)."""
    uids = _uids("series")
    # The UIDs in the order the series takes them: its id, then one per occurrence.
    _series_id, first_uid, second_uid = uids(), uids(), uids()
    other = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:someone-else\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:20270301T150000Z\r\n"
        "DURATION:PT1H\r\nSUMMARY:Not ours\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    import httpx

    put = httpx.put(
        f"{calendar}{second_uid}.ics",
        content=other.encode(),
        headers={"Content-Type": "text/calendar"},
        auth=(USER, ""),
        timeout=5,
    )
    assert put.status_code == 201, put.text
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        people = resolve_participants(region, states=["BS", "HT", "PA"])
        store = MeetingStore(tmp_path / "store")
        send = Channels(
            smtp=smtp_server(f"smtp://127.0.0.1:{port}"),
            caldav=caldav_server(calendar, user=USER, environ={}),
        )
        with pytest.raises(IncompleteSeriesError, match="another UID"):
            invite_series(
                people,
                first=date(2027, 1, 4),
                every="month",
                count=3,
                duration=90,
                within_days=10,
                title="Monthly coordination",
                organizer=ORGANIZER,
                store=store,
                now=NOW,
                channels=send,
                uid_factory=_uids("series"),
            )
        sent, stopped = store.all()
        assert (sent.uid, stopped.uid) == (first_uid, second_uid)
        assert sent.publication is not None and stopped.publication is None
        assert len(inbox.envelopes) == 1
        inbox.envelopes.clear()
        done = cancel_series(store, sent.series or "", now=NOW, channels=send)
    finally:
        controller.stop()
    assert sorted(i.meeting.id for i in done.issued) == sorted([sent.id, stopped.id])
    assert {m.status for m in store.series(sent.series or "")} == {"CANCELLED"}
    assert store.get(sent.id).publication is None
    assert _get(f"{calendar}{first_uid}.ics").status_code == 404
    # The event of another that stood in the way is left alone.
    assert b"someone-else" in _get(f"{calendar}{second_uid}.ics").content
    # One CANCEL: for the occurrence that reached its attendees.
    (cancel,) = inbox.messages()
    assert first_uid in cancel.as_string()
