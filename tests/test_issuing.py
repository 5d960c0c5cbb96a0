"""Issuing a version: recorded before it is delivered, each delivery marked as it goes, a
failure leaving a record of who has it, a resend delivering only what is missing, a series
stopped midway saying what was sent."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

import somnet
from somnet import (
    CaldavServer,
    Channels,
    DeliveryError,
    IncompleteSeriesError,
    Meeting,
    MeetingError,
    MeetingStore,
    NoSlotError,
    SmtpServer,
    SomnetError,
    StorageError,
    issue,
)
from somnet.meetings.lifecycle import cancelled_meeting, changed_meeting
from tests.meeting_fixtures import (
    CREATED,
    UID,
    parse_both,
    recorded_sample,
    sample_meeting,
)
from tests.meeting_servers import (
    USER,
    Inbox,
    Refusing,
    free_port,
)


def test_the_record_is_written_only_after_delivery(tmp_path: Path) -> None:
    store = MeetingStore(tmp_path / "store")
    meeting = sample_meeting(meeting_id=store.new_id)
    issued = issue(
        meeting, "created", store=store, now=CREATED, channels=Channels(out=tmp_path / "m.ics")
    )
    assert (tmp_path / "m.ics").read_bytes() == issued.ics
    recorded = store.get(meeting.id)
    assert recorded == issued.meeting
    assert recorded.history[0].delivered == (f"file:{tmp_path / 'm.ics'}",)
    assert store.get(meeting.id[:4]) == recorded
    assert store.get(str(UID)) == recorded


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
    from somnet.meetings import issuing

    store = MeetingStore(tmp_path)
    first = sample_meeting(series="5e1e5", meeting_id=store.new_id)
    second = sample_meeting(
        series="5e1e5", start=first.start + timedelta(days=7), uid_factory=lambda: "other-uid"
    )
    real = issuing.issue

    def issue_then_fail(meeting: Meeting, *args: Any, **kwargs: Any) -> Any:
        if meeting is second:
            raise error
        return real(meeting, *args, **kwargs)

    monkeypatch.setattr(issuing, "issue", issue_then_fail)
    with pytest.raises(IncompleteSeriesError) as raised:
        issuing.issue_series([first, second], "created", store=store, now=CREATED)
    # Caught as the error of its cause's kind, with its exit status.
    assert isinstance(raised.value, kind) and raised.value.__cause__ is error
    assert raised.value.exit_code == error.exit_code
    assert str(raised.value).startswith(f"{error} (occurrence 2 of 2; sent and recorded: ")
    progress = raised.value.progress
    assert (progress.series, progress.occurrence, progress.total) == ("5e1e5", 2, 2)
    assert [m.id for m in progress.done] == [first.id] and progress.partly is None
    assert progress.undone == (second,)
    assert raised.value.cause_reason == error.reason
    # What to run next is the command line's to say: the library says how far it got.
    assert "--" not in str(raised.value)


def test_an_unreachable_or_silent_smtp_server_leaves_the_version_recorded_as_not_sent(
    smtp: tuple[Inbox, int], tmp_path: Path, silent_port: int
) -> None:
    from somnet.meetings.issuing import resend

    inbox, port = smtp
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    issue(
        meeting,
        "created",
        store=store,
        now=CREATED,
        channels=Channels(smtp=SmtpServer("127.0.0.1", port)),
    )
    moved = changed_meeting(store.get(meeting.id), now=CREATED, duration=60)
    refused = SmtpServer("127.0.0.1", free_port(), timeout=2)
    with pytest.raises(DeliveryError, match=r"refused the connection; nothing was delivered"):
        issue(moved, "updated", store=store, now=CREATED, channels=Channels(smtp=refused))
    recorded = store.get(meeting.id)
    assert (recorded.sequence, recorded.duration) == (1, 60)
    assert {d.state for d in recorded.deliveries} == {"failed"}
    assert recorded.undelivered == recorded.deliveries
    silent = SmtpServer("127.0.0.1", silent_port, timeout=0.3)
    with pytest.raises(DeliveryError, match=r"did not answer within 0\.3 s"):
        resend(recorded, store=store, now=CREATED, channels=Channels(smtp=silent))
    assert store.get(meeting.id).sequence == 1
    # Once the server answers, the same version goes out, once.
    resend(
        store.get(meeting.id),
        store=store,
        now=CREATED,
        channels=Channels(smtp=SmtpServer("127.0.0.1", port)),
    )
    assert len(inbox.envelopes) == 2
    assert {d.state for d in store.get(meeting.id).deliveries} == {"delivered"}
    with pytest.raises(MeetingError, match="nothing to send") as nothing:
        resend(
            store.get(meeting.id),
            store=store,
            now=CREATED,
            channels=Channels(smtp=SmtpServer("127.0.0.1", port)),
        )
    # Told in the language in use, as every other refusal.
    somnet.set_language("es")
    try:
        assert somnet.localized(nothing.value.reason) != str(nothing.value.reason)
    finally:
        somnet.set_language("en")


def _folder(path: Path) -> dict[str, bytes]:
    """Every file in a folder (hidden ones too) and its bytes."""
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


@contextlib.contextmanager
def _held_by_another_run(store: MeetingStore) -> Iterator[None]:
    """While inside, another run holds the store's lock (a thread, as a second script would)."""
    holding, release = threading.Event(), threading.Event()

    def other_run() -> None:
        with store.lock():
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=other_run)
    thread.start()
    try:
        assert holding.wait(10)
        yield
    finally:
        release.set()
        thread.join()


def test_a_failed_delivery_writes_the_recorded_version_to_out_and_a_resend_completes_it(
    smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    from somnet.meetings.issuing import resend

    inbox, port = smtp
    store, folder = MeetingStore(tmp_path / "store"), tmp_path / "out"
    folder.mkdir()
    out = folder / "m.ics"
    meeting = recorded_sample(store)
    issue(
        meeting,
        "created",
        store=store,
        now=CREATED,
        channels=Channels(out=out, smtp=SmtpServer("127.0.0.1", port)),
    )
    refused = SmtpServer("127.0.0.1", free_port(), timeout=2)
    later = CREATED + timedelta(hours=1)

    # A new time, and one attendee fewer: the version is recorded, its files written whole
    # (they are the invite of the recorded version, to hand on), nothing else left there.
    fewer = changed_meeting(meeting, now=later, duration=60, attendees=meeting.attendees[:3])
    removed = meeting.attendees[3:]
    with pytest.raises(DeliveryError, match="refused the connection") as raised:
        issue(
            fewer,
            "updated",
            store=store,
            now=later,
            removed=removed,
            channels=Channels(out=out, smtp=refused),
        )
    recorded = store.get(meeting.id)
    assert raised.value.meeting == recorded  # type: ignore[attr-defined]
    assert (recorded.sequence, recorded.uninvited) == (1, removed)
    files = _folder(folder)
    assert sorted(files) == ["m-uninvite.ics", "m.ics"]
    ours, _ = parse_both(files["m.ics"])
    assert ours.walk("VEVENT")[0]["SEQUENCE"] == 1
    assert "not delivered: e-mail to" in str(raised.value) and "uninvite to" in str(raised.value)

    # Delivered later, the same version: same SEQUENCE and DTSTAMP, the uninvite included.
    envelopes = len(inbox.envelopes)
    done = resend(
        recorded,
        store=store,
        now=later + timedelta(days=1),
        channels=Channels(out=out, smtp=SmtpServer("127.0.0.1", port)),
    )
    assert [e.rcpt_tos for e in inbox.envelopes[envelopes:]] == [
        [p.email for p in fewer.attendees],
        [p.email for p in removed],
    ]
    assert done.ics == files["m.ics"] and done.uninvite == files["m-uninvite.ics"]
    assert _folder(folder) == files
    assert store.get(meeting.id).undelivered == ()

    # A cancel to a file that did not exist: written once the cancellation is recorded.
    cancelled = cancelled_meeting(store.get(meeting.id), now=later)
    with pytest.raises(DeliveryError, match="refused the connection"):
        issue(
            cancelled,
            "cancelled",
            store=store,
            now=later,
            channels=Channels(out=folder / "c.ics", smtp=refused),
        )
    assert sorted(_folder(folder)) == ["c.ics", "m-uninvite.ics", "m.ics"]
    assert store.get(meeting.id).status == "CANCELLED"


def test_a_resend_by_e_mail_alone_does_not_call_the_current_calendar_copy_stale(
    refusing: tuple[Refusing, int], calendar: str, tmp_path: Path
) -> None:
    from somnet.meetings.issuing import resend

    inbox, port = refusing
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    inbox.refuse = {meeting.attendees[0].email}
    server = CaldavServer(calendar, USER, None, 5)
    with pytest.raises(DeliveryError, match="published on CalDAV"):
        issue(
            meeting,
            "created",
            store=store,
            now=CREATED,
            channels=Channels(caldav=server, smtp=SmtpServer("127.0.0.1", port)),
        )
    inbox.refuse = set()
    done = resend(
        store.get(meeting.id),
        store=store,
        now=CREATED,
        channels=Channels(smtp=SmtpServer("127.0.0.1", port)),
    )
    assert done.calendar_behind is None, done.warnings
    # A version the calendar does not hold yet, or a cancelled meeting still there, is named.
    moved = changed_meeting(done.meeting, now=CREATED, duration=45)
    changed = issue(
        moved,
        "updated",
        store=store,
        now=CREATED,
        channels=Channels(smtp=SmtpServer("127.0.0.1", port)),
    )
    # (the command line says which flag does it: the library says where)
    assert changed.meeting.publication is not None
    assert changed.calendar_behind == changed.meeting.publication.url
    gone = issue(
        cancelled_meeting(changed.meeting, now=CREATED), "cancelled", store=store, now=CREATED
    )
    assert gone.calendar_behind == changed.meeting.publication.url
    assert gone.meeting.publication == changed.meeting.publication


@dataclass
class _GrumpyAtQuit(Inbox):
    """An inbox whose server takes every message, then answers QUIT with an error."""

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        return "421 4.3.2 Shutting down for this test"


@pytest.mark.parametrize("per_attendee", [False, True])
def test_an_error_answered_to_quit_after_every_message_was_taken_is_no_failure(
    tmp_path: Path, per_attendee: bool
) -> None:
    inbox = _GrumpyAtQuit()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        server = SmtpServer("127.0.0.1", port, per_attendee=per_attendee)
        issued = issue(meeting, "created", store=store, now=CREATED, channels=Channels(smtp=server))
    finally:
        controller.stop()
    assert sorted(a for e in inbox.envelopes for a in e.rcpt_tos) == sorted(
        p.email for p in meeting.attendees
    )
    assert not store.get(meeting.id).undelivered
    assert issued.meeting == store.get(meeting.id)


def test_a_record_that_cannot_be_written_after_sending_says_who_was_sent_it(
    smtp: tuple[Inbox, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The disk fills up once the version is recorded as pending: a fault no server makes.
    inbox, port = smtp
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    real = MeetingStore.save
    saves: list[Meeting] = []

    def save_then_fail(self: MeetingStore, record: Meeting) -> Path:
        saves.append(record)
        if len(saves) > 1:
            raise StorageError(f"{self.path(record.id)}: cannot write: No space left on device")
        return real(self, record)

    monkeypatch.setattr(MeetingStore, "save", save_then_fail)
    with pytest.raises(StorageError) as raised:
        issue(
            meeting,
            "created",
            store=store,
            now=CREATED,
            channels=Channels(smtp=SmtpServer("127.0.0.1", port)),
        )
    (envelope,) = inbox.envelopes
    # The record on disk still says pending: the error says who has it all the same, so that
    # nobody resends it to them blindly.
    assert {d.state for d in store.get(meeting.id).deliveries} == {"pending"}
    for address in envelope.rcpt_tos:
        assert address in str(raised.value)
    # Told in the language in use, what was delivered included.
    from somnet import localized
    from somnet._i18n import _

    said = localized(raised.value.reason, "fr")
    e_mailed = localized(_("e-mail to {items}").format(items=envelope.rcpt_tos[0]), "fr")
    assert e_mailed.split(envelope.rcpt_tos[0])[0] in said and "e-mail to" not in said


@dataclass
class _ClosingAtRcpt(Inbox):
    """An inbox whose server answers 421 (closing) to the RCPT of ``closing_at``."""

    closing_at: str = ""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address == self.closing_at:
            return "421 4.3.2 Service shutting down for this test"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_server_closing_halfway_through_the_recipients_delivered_to_none_of_them(
    tmp_path: Path,
) -> None:
    from somnet.meetings.issuing import resend

    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    inbox = _ClosingAtRcpt(closing_at=meeting.attendees[1].email)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        channels = Channels(smtp=SmtpServer("127.0.0.1", port))
        with pytest.raises(DeliveryError):
            issue(meeting, "created", store=store, now=CREATED, channels=channels)
        assert inbox.envelopes == []  # the message never went
        recorded = store.get(meeting.id)
        assert recorded.undelivered == recorded.deliveries
        assert {d.to for d in recorded.undelivered} == {p.email for p in meeting.attendees}
        inbox.closing_at = ""
        resend(recorded, store=store, now=CREATED, channels=channels)
    finally:
        controller.stop()
    (envelope,) = inbox.envelopes
    assert sorted(envelope.rcpt_tos) == sorted(p.email for p in meeting.attendees)
    assert not store.get(meeting.id).undelivered


@pytest.mark.parametrize("call", ["issue", "resend", "cancel", "issue_series"])
def test_the_library_calls_that_send_wait_for_no_other_run_of_the_store(
    tmp_path: Path, call: str
) -> None:
    """``somnet.issue`` (and the module's ``resend``, ``cancel`` and ``issue_series``) record
    and send as the commands do: while another run holds the store (here a thread, as a second
    script would), each is refused before it records or sends anything. In one run they nest
    (an invite issues)."""
    from somnet.meetings import issuing

    store = MeetingStore(tmp_path / "store")
    recorded = issue(sample_meeting(meeting_id=store.new_id), "created", store=store, now=CREATED)
    with _held_by_another_run(store):
        before = _folder(store.root)
        fresh = sample_meeting(meeting_id=store.new_id)
        calls = {
            "issue": lambda: somnet.issue(fresh, "created", store=store, now=CREATED),
            "resend": lambda: issuing.resend(recorded.meeting, store=store, now=CREATED),
            "cancel": lambda: issuing.cancel(recorded.meeting, store=store, now=CREATED),
            "issue_series": lambda: issuing.issue_series(
                [fresh], "created", store=store, now=CREATED
            ),
        }
        with pytest.raises(StorageError, match="another somnet command"):
            calls[call]()
        assert _folder(store.root) == before
    # Once the other run is over, the same call goes through (a resend of a version that
    # reached everyone then finds nothing to send).
    if call == "resend":
        with pytest.raises(MeetingError, match="nothing to send"):
            calls[call]()
    else:
        calls[call]()


@pytest.mark.parametrize("refusal", ["ENOLCK", "EOPNOTSUPP"])
def test_a_store_on_a_filesystem_without_locks_still_records_and_sends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusal: str
) -> None:
    """flock refused because the filesystem has no locks (some network shares) is not another
    run holding the store: the invite is recorded, instead of every run being told forever that
    another command is sending from it."""
    import errno
    import fcntl
    import os

    def no_locks(handle: int, operation: int) -> None:
        code = getattr(errno, refusal)
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    store = MeetingStore(tmp_path / "store")
    recorded = issue(sample_meeting(meeting_id=store.new_id), "created", store=store, now=CREATED)
    assert store.get(recorded.meeting.id).sequence == recorded.meeting.sequence
    # Sending, it says that another run at the same time would not be kept out (it could send
    # the same version again), as a sync on such a filesystem does.
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        channels = Channels(smtp=SmtpServer("127.0.0.1", port))
        sent = issue(
            sample_meeting(meeting_id=store.new_id, uid_factory=lambda: "other-uid"),
            "created",
            store=store,
            now=CREATED,
            channels=channels,
        )
        monkeypatch.undo()
        locked = issue(
            sample_meeting(meeting_id=store.new_id, uid_factory=lambda: "third-uid"),
            "created",
            store=store,
            now=CREATED,
            channels=channels,
        )
    finally:
        controller.stop()
    assert len(inbox.envelopes) == 2
    assert len(sent.warnings) == len(locked.warnings) + 1
    assert set(locked.warnings) < set(sent.warnings)


def test_a_held_stores_lock_file_names_who_holds_it(tmp_path: Path) -> None:
    """The lock file says which process holds the store and since when, for the message of a
    run refused meanwhile."""
    import os
    import re

    store = MeetingStore(tmp_path / "store")
    with store.lock():
        holder = (store.root / ".lock").read_text()
    assert re.fullmatch(rf"pid {os.getpid()}, since \S+Z\n", holder)


@dataclass
class _HangsUpAfterData(Inbox):
    """An inbox whose server takes the ``hang_up_at``-th message whole (it is delivered) and
    then closes the connection without answering the end of its data."""

    hang_up_at: int = 1

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        if len(self.envelopes) == self.hang_up_at:
            server.transport.close()
        return "250 Message accepted for delivery"


@pytest.mark.parametrize("per_attendee", [False, True])
def test_a_server_that_hangs_up_after_taking_a_message_is_not_said_to_have_delivered_nothing(
    tmp_path: Path, per_attendee: bool
) -> None:
    from somnet.meetings.issuing import missing_deliveries, resend

    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    inbox = _HangsUpAfterData(hang_up_at=2 if per_attendee else 1)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        channels = Channels(smtp=SmtpServer("127.0.0.1", port, per_attendee=per_attendee))
        with pytest.raises(DeliveryError):
            issue(meeting, "created", store=store, now=CREATED, channels=channels)
        took = [a for e in inbox.envelopes for a in e.rcpt_tos]
        recorded = store.get(meeting.id)
        states = {d.to: d.state for d in recorded.deliveries}
        # What the server took may have been delivered: neither delivered nor failed.
        if per_attendee:
            first, second, *never = [p.email for p in meeting.attendees]
            assert took == [first, second]
            assert states == {first: "delivered", second: "unconfirmed"} | {
                a: "failed" for a in never
            }
        else:
            assert sorted(took) == sorted(p.email for p in meeting.attendees)
            assert set(states.values()) == {"unconfirmed"}
        # Not known to have it: a resend sends it (same UID and SEQUENCE) to them.
        unsure = {a for a, s in states.items() if s != "delivered"}
        missing = missing_deliveries(recorded, email=True, caldav=False)
        assert {p.email for p in missing.email} == unsure
        inbox.hang_up_at = 0
        again = resend(recorded, store=store, now=CREATED, channels=channels)
    finally:
        controller.stop()
    assert not store.get(meeting.id).undelivered
    # The run that sends it again says to whom it may have gone twice, and why that is safe.
    twice = {a for a, s in states.items() if s == "unconfirmed"}
    (told,) = [w for w in again.warnings if "not confirm" in w]
    assert all(a in told for a in twice) and "same UID and SEQUENCE" in told, told
    assert not any(a in told for a in states if a not in twice)


@dataclass
class _FewRecipients(Inbox):
    """An inbox whose server takes at most ``limit`` recipients a message, answering 452 to
    the others (RFC 5321 section 4.5.3.1.10)."""

    limit: int = 2

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if len(envelope.rcpt_tos) >= self.limit:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_recipients_over_the_servers_limit_a_message_go_in_further_messages(
    tmp_path: Path,
) -> None:
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    inbox = _FewRecipients(limit=3)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        channels = Channels(smtp=SmtpServer("127.0.0.1", port))
        issued = issue(meeting, "created", store=store, now=CREATED, channels=channels)
    finally:
        controller.stop()
    everyone = [p.email for p in meeting.attendees]
    assert [e.rcpt_tos for e in inbox.envelopes] == [everyone[:3], everyone[3:]]
    # The same message each time: one invite, whoever it reached first.
    assert len({m["Message-ID"] for m in inbox.messages()}) == 1
    assert not store.get(meeting.id).undelivered and not issued.meeting.undelivered


def test_a_version_issued_without_e_mail_after_one_e_mailed_says_the_attendees_are_behind(
    smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    """As a calendar copy left behind is named: attendees e-mailed an earlier version whose
    calendars a version sent nowhere (or only to a file, or to CalDAV) does not reach."""
    from somnet.meetings.issuing import resend

    inbox, port = smtp
    store = MeetingStore(tmp_path)
    by_mail = Channels(smtp=SmtpServer("127.0.0.1", port))
    first = issue(recorded_sample(store), "created", store=store, now=CREATED, channels=by_mail)
    assert not first.emailed_before
    moved = changed_meeting(first.meeting, now=CREATED, duration=45)
    recorded_only = issue(moved, "updated", store=store, now=CREATED)
    assert recorded_only.emailed_before
    again = issue(
        changed_meeting(recorded_only.meeting, now=CREATED, title="Retitled"),
        "updated",
        store=store,
        now=CREATED,
        channels=Channels(out=tmp_path / "m.ics"),
    )
    assert again.emailed_before
    # Once this version is e-mailed, it is no longer behind.
    sent = resend(again.meeting, store=store, now=CREATED, channels=by_mail)
    assert not sent.emailed_before
    written = resend(
        sent.meeting, store=store, now=CREATED, channels=Channels(out=tmp_path / "n.ics")
    )
    assert not written.emailed_before
    cancelled = issue(
        cancelled_meeting(sent.meeting, now=CREATED), "cancelled", store=store, now=CREATED
    )
    assert cancelled.emailed_before
    # A meeting never e-mailed is behind nowhere.
    other = issue(
        sample_meeting(meeting_id=store.new_id, uid_factory=lambda: "other"),
        "created",
        store=store,
        now=CREATED,
    )
    moved = changed_meeting(other.meeting, now=CREATED, duration=45)
    assert not issue(moved, "updated", store=store, now=CREATED).emailed_before
    assert len(inbox.envelopes) == 2


def test_the_same_version_issued_again_delivers_only_what_it_missed(tmp_path: Path) -> None:
    """``issue`` called again with the version it recorded (a script retrying after a refused
    recipient) sent it to everyone a second time; a version made from a record that has moved
    on since (two runs that read the same record) replaced the later one and was sent."""
    inbox = Refusing()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        inbox.refuse = {meeting.attendees[0].email}
        channels = Channels(smtp=SmtpServer("127.0.0.1", port))
        with pytest.raises(DeliveryError):
            issue(meeting, "created", store=store, now=CREATED, channels=channels)
        inbox.refuse = set()
        again = issue(meeting, "created", store=store, now=CREATED, channels=channels)
        assert not again.meeting.undelivered
        # Two runs read the same record and cancel it: the second cancels nothing again.
        stale = store.get(meeting.id)
        later = CREATED + timedelta(hours=1)
        issue(
            cancelled_meeting(stale, now=later),
            "cancelled",
            store=store,
            now=later,
            channels=channels,
        )
        with pytest.raises(MeetingError):
            issue(
                cancelled_meeting(stale, now=later + timedelta(minutes=1)),
                "cancelled",
                store=store,
                now=later,
                channels=channels,
            )
        # Nor is an update made from a record older than the one on disk.
        with pytest.raises(MeetingError):
            issue(
                changed_meeting(stale, now=later, duration=45),
                "updated",
                store=store,
                now=later,
                channels=channels,
            )
    finally:
        controller.stop()
    received = inbox.received()
    assert all(len(got) == len(set(got)) for got in received.values()), received
    assert sorted(received) == sorted(p.email for p in meeting.attendees)
    recorded = store.get(meeting.id)
    assert recorded.status == "CANCELLED" and recorded.sequence == 1
    assert [c.action for c in recorded.history] == ["created", "resent", "cancelled"]


def test_the_temporary_file_of_an_invite_killed_while_written_is_removed_by_the_next(
    tmp_path: Path,
) -> None:
    import signal
    import subprocess
    import sys

    from somnet.meetings.ics_files import stage_ics

    target = tmp_path / "meeting.ics"
    # A run killed (kill -9) while it wrote the invite beside its place: its files stay.
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from somnet.meetings.ics_files import stage_ics\n"
        "os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
        "stage_ics(Path(sys.argv[1]), b'BEGIN:VCALENDAR')\n"
    )
    killed = subprocess.run([sys.executable, "-c", script, str(target)], cwd=tmp_path, check=False)
    assert killed.returncode == -signal.SIGKILL
    (left,) = tmp_path.iterdir()
    assert left.name.endswith(".tmp")
    theirs = tmp_path / ".meeting.ics.notes.tmp"  # not one of somnet's: left alone
    theirs.write_text("kept")
    pending, _target = stage_ics(target, b"BEGIN:VCALENDAR")
    assert sorted(tmp_path.iterdir()) == sorted([pending, theirs])


def test_a_resend_after_a_run_killed_once_the_server_took_the_message_says_it_is_sent_again(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    """A run killed (kill -9) after the SMTP server took the message (250 to its data) and
    before the record said so leaves the invitations pending: the next run sends them again,
    with the same UID, SEQUENCE and Message-ID (a calendar keeps one copy), and says so, as it
    does for a message the server never confirmed."""

    from somnet.meetings.issuing import resend

    inbox, port = smtp
    store = MeetingStore(tmp_path / "store")
    # The record is saved once with the invitations pending, then after the server's answer:
    # the run is killed there, before that second save.
    _issue_killed_at_its_second_save(store, port)
    (first,) = inbox.envelopes
    (recorded,) = store.all()
    assert {d.state for d in recorded.deliveries} == {"pending"}
    again = resend(
        recorded, store=store, now=CREATED, channels=Channels(smtp=SmtpServer("127.0.0.1", port))
    )
    assert len(inbox.envelopes) == 2
    ids = [m["Message-ID"] for m in inbox.messages()]
    assert ids[0] == ids[1]
    (told,) = [w for w in again.warnings if w.startswith("sent again to")]
    assert all(a in told for a in first.rcpt_tos) and "same UID and SEQUENCE" in told, told


def test_invitations_a_caldav_failure_kept_from_going_are_not_said_to_be_sent_again(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    """Invitations left pending by a run that a CalDAV failure stopped before any e-mail went
    never reached anyone: the run that sends them does not call them sent again."""
    from somnet.meetings.issuing import resend

    inbox, port = smtp
    store = MeetingStore(tmp_path / "store")
    calendar = CaldavServer(f"http://127.0.0.1:{free_port()}/cal/", None, None, 5)
    channels = Channels(smtp=SmtpServer("127.0.0.1", port), caldav=calendar)
    with pytest.raises(DeliveryError, match="cannot be reached"):
        issue(recorded_sample(store), "created", store=store, now=CREATED, channels=channels)
    assert not inbox.envelopes
    (recorded,) = store.all()
    sent = resend(recorded, store=store, now=CREATED, channels=Channels(smtp=channels.smtp))
    assert len(inbox.envelopes) == 1
    assert not [w for w in sent.warnings if w.startswith("sent again")], sent.warnings


def test_invitations_pending_behind_a_caldav_put_a_killed_run_never_finished_are_not_sent_again(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    """A run killed at its CalDAV PUT had e-mailed nobody (e-mail goes once the calendar has
    the version): the run that sends the invitations does not call them sent again."""
    import signal
    import subprocess
    import sys

    from somnet.meetings.issuing import resend

    inbox, port = smtp
    store = MeetingStore(tmp_path / "store")
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from somnet import CaldavServer, Channels, MeetingStore, SmtpServer, issue\n"
        "from somnet.meetings import caldav\n"
        "from tests.meeting_fixtures import CREATED, recorded_sample\n"
        "caldav.caldav_put = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        "store = MeetingStore(Path(sys.argv[1]))\n"
        "channels = Channels(smtp=SmtpServer('127.0.0.1', int(sys.argv[2])),\n"
        "                    caldav=CaldavServer('http://127.0.0.1:9/cal/', None, None, 5))\n"
        "issue(recorded_sample(store), 'created', store=store, now=CREATED, channels=channels)\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, str(store.root), str(port)],
        cwd=Path(__file__).parent.parent,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    assert not inbox.envelopes
    (recorded,) = store.all()
    sent = resend(
        recorded, store=store, now=CREATED, channels=Channels(smtp=SmtpServer("127.0.0.1", port))
    )
    assert len(inbox.envelopes) == 1
    assert not [w for w in sent.warnings if w.startswith("sent again")], sent.warnings


@pytest.mark.parametrize("call", ["update_meeting", "cancel_meeting", "resend_meeting"])
def test_a_meeting_call_given_its_store_first_waits_for_no_other_run_either(
    tmp_path: Path, call: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``update_meeting(store, id, ...)``, ``cancel_meeting`` and ``resend_meeting`` take the
    store as their first argument. Given so (not by keyword), each read the record without the
    store's lock once the check of its arguments' kinds wrapped it, and took the lock only to
    send: two runs at the same time could both read the version not yet sent, and both send
    it. Each is refused, as by keyword, before it reads the record."""
    store = MeetingStore(tmp_path / "store")
    recorded = issue(sample_meeting(meeting_id=store.new_id), "created", store=store, now=CREATED)
    read: list[str] = []
    reading = store.get

    def get(reference: str) -> Any:
        read.append(reference)
        return reading(reference)

    monkeypatch.setattr(store, "get", get)
    with _held_by_another_run(store):
        before = _folder(store.root)
        meeting_id = recorded.meeting.id
        calls = {
            "update_meeting": lambda: somnet.update_meeting(
                store, meeting_id, title="Moved", now=CREATED
            ),
            "cancel_meeting": lambda: somnet.cancel_meeting(store, meeting_id, now=CREATED),
            "resend_meeting": lambda: somnet.resend_meeting(store, meeting_id, now=CREATED),
        }
        with pytest.raises(StorageError, match="another somnet command"):
            calls[call]()
        assert read == []
        assert _folder(store.root) == before


def test_a_record_that_could_not_be_written_once_then_could_tells_what_it_now_shows(
    smtp: tuple[Inbox, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk refuses the record once, after the first message went (it was full, then
    freed): the sending stops there, the run records what went and what did not, and says so;
    the next run sends the rest, once each, and calls none of it sent again."""
    from somnet.meetings.issuing import resend

    inbox, port = smtp
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    real = MeetingStore.save
    saves: list[Meeting] = []

    def save_failing_once(self: MeetingStore, record: Meeting) -> Path:
        saves.append(record)
        if len(saves) == 2:  # the save after the first message
            raise StorageError(f"{self.path(record.id)}: cannot write: No space left on device")
        return real(self, record)

    monkeypatch.setattr(MeetingStore, "save", save_failing_once)
    channels = Channels(smtp=SmtpServer("127.0.0.1", port, per_attendee=True))
    with pytest.raises(StorageError) as raised:
        issue(meeting, "created", store=store, now=CREATED, channels=channels)
    first, *rest = [p.email for p in meeting.attendees]
    assert [e.rcpt_tos for e in inbox.envelopes] == [[first]]
    recorded = store.get(meeting.id)
    # What the disk holds now: the first has it, the others were never sent it.
    assert {d.to: d.state for d in recorded.deliveries} == {first: "delivered"} | {
        a: "failed" for a in rest
    }
    assert any(first in entry for entry in recorded.history[-1].delivered)
    said = str(raised.value)
    assert "No space left on device" in said
    assert "shows them as not delivered" not in said, said
    assert f"delivered by e-mail to {first}" in said, said
    assert f"not delivered: e-mail to {', '.join(rest)}" in said, said
    again = resend(recorded, store=store, now=CREATED, channels=channels)
    assert sorted(a for e in inbox.envelopes for a in e.rcpt_tos) == sorted([first, *rest])
    assert not [w for w in again.warnings if w.startswith("sent again")], again.warnings
    assert not store.get(meeting.id).undelivered


def test_a_record_that_could_not_be_written_once_after_the_caldav_put_keeps_it_in_history(
    smtp: tuple[Inbox, int], calendar: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk refuses the record once, after the CalDAV PUT: the record written at last
    shows the PUT (in its history too), and no e-mail went, so none is called sent again."""
    from somnet.meetings.issuing import resend

    inbox, port = smtp
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    real = MeetingStore.save
    saves: list[Meeting] = []

    def save_failing_once(self: MeetingStore, record: Meeting) -> Path:
        saves.append(record)
        if len(saves) == 2:  # the save after the PUT
            raise StorageError(f"{self.path(record.id)}: cannot write: No space left on device")
        return real(self, record)

    monkeypatch.setattr(MeetingStore, "save", save_failing_once)
    channels = Channels(
        smtp=SmtpServer("127.0.0.1", port), caldav=CaldavServer(calendar, USER, None, 5)
    )
    with pytest.raises(StorageError, match="published on CalDAV"):
        issue(meeting, "created", store=store, now=CREATED, channels=channels)
    assert not inbox.envelopes
    recorded = store.get(meeting.id)
    assert recorded.publication is not None
    assert [e.split()[0] for e in recorded.history[-1].delivered] == ["caldav:PUT"]
    again = resend(recorded, store=store, now=CREATED, channels=channels)
    assert len(inbox.envelopes) == 1
    assert not [w for w in again.warnings if w.startswith("sent again")], again.warnings


def test_an_uninvite_a_failed_invitation_kept_from_going_is_not_said_to_be_sent_again(
    smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    """An update that takes someone off the meeting, sent through an SMTP server that cannot
    be reached: the invitations fail, and the uninvite that was to follow them never went.
    The record says it did not go (not pending, as a killed run leaves what may have gone),
    and the run that sends it does not call it sent again."""
    from somnet.meetings.issuing import resend

    inbox, port = smtp
    store = MeetingStore(tmp_path)
    channels = Channels(smtp=SmtpServer("127.0.0.1", port))
    first = issue(recorded_sample(store), "created", store=store, now=CREATED, channels=channels)
    *staying, gone = first.meeting.attendees
    update = changed_meeting(first.meeting, now=CREATED, attendees=tuple(staying))
    unreachable = Channels(smtp=SmtpServer("127.0.0.1", free_port()))
    with pytest.raises(DeliveryError, match="refused the connection"):
        issue(update, "updated", store=store, now=CREATED, channels=unreachable, removed=[gone])
    recorded = store.get(update.id)
    assert {(d.to, d.method): d.state for d in recorded.deliveries} == {
        (p.email, "REQUEST"): "failed" for p in staying
    } | {(gone.email, "CANCEL"): "failed"}
    inbox.envelopes.clear()
    again = resend(recorded, store=store, now=CREATED, channels=channels)
    assert not [w for w in again.warnings if w.startswith("sent again")], again.warnings
    assert sorted(a for e in inbox.envelopes for a in e.rcpt_tos) == sorted(
        p.email for p in first.meeting.attendees
    )


@pytest.mark.parametrize("then", ["update", "resend twice"])
def test_a_cancel_reaches_whom_a_killed_runs_invitation_may_have_reached_though_a_later_failed(
    tmp_path: Path, refusing: tuple[Refusing, int], then: str
) -> None:
    """A run killed once the SMTP server took the invitation leaves it pending: it may have
    reached them (here it did). An update, or resends, the server then refuses for one of them
    do not make that invitation one that never reached them: the cancellation goes to them
    too."""

    from somnet.meetings.issuing import cancel, resend

    inbox, port = refusing
    store = MeetingStore(tmp_path / "store")
    _issue_killed_at_its_second_save(store, port)
    (recorded,) = store.all()
    refused = recorded.attendees[-1].email
    assert refused in inbox.received()  # the killed run's invitation reached them
    channels = Channels(smtp=SmtpServer("127.0.0.1", port))
    inbox.refuse = {refused}
    if then == "update":
        update = changed_meeting(recorded, now=CREATED, title="Moved to the afternoon")
        with pytest.raises(DeliveryError, match="refused"):
            issue(update, "updated", store=store, now=CREATED, channels=channels)
    else:
        for _time in range(2):
            with pytest.raises(DeliveryError, match="refused"):
                resend(store.get(recorded.id), store=store, now=CREATED, channels=channels)
    inbox.refuse = set()
    done = cancel(store.get(recorded.id), store=store, now=CREATED, channels=channels)
    assert [m for _u, _s, m in inbox.received()[refused]] == ["REQUEST", "CANCEL"]
    assert not [w for w in done.warnings if "no CANCEL" in w], done.warnings


def test_a_series_stopped_by_a_record_written_at_last_says_that_occurrence_is_recorded(
    smtp: tuple[Inbox, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk refuses the second occurrence's record once, after its first message went,
    then takes it: the series' error counts that occurrence as recorded and not sent to all,
    not as one never sent (its record says who has it; a resumed series completes it)."""
    from somnet.meetings import issuing

    inbox, port = smtp
    store = MeetingStore(tmp_path)
    first = sample_meeting(series="5e1e5", meeting_id=store.new_id)
    second = sample_meeting(
        series="5e1e5",
        start=first.start + timedelta(days=7),
        uid_factory=lambda: "other-uid",
        meeting_id=lambda uid: "0123abcd",
    )
    real = MeetingStore.save
    saves: list[str] = []

    def save_failing_once(self: MeetingStore, record: Meeting) -> Path:
        saves.append(record.id)
        if record.id == second.id and saves.count(second.id) == 2:
            raise StorageError(f"{self.path(record.id)}: cannot write: No space left on device")
        return real(self, record)

    monkeypatch.setattr(MeetingStore, "save", save_failing_once)
    channels = Channels(smtp=SmtpServer("127.0.0.1", port, per_attendee=True))
    with pytest.raises(IncompleteSeriesError) as raised:
        issuing.issue_series(
            [first, second], "created", store=store, now=CREATED, channels=channels
        )
    assert isinstance(raised.value, StorageError)
    progress = raised.value.progress
    assert [m.id for m in progress.done] == [first.id]
    assert progress.partly is not None and progress.partly.id == second.id
    assert progress.undone == ()
    assert f"recorded, not sent to all: 2027-03-22 ({second.id})" in str(raised.value)
    assert len(inbox.envelopes) == len(first.attendees) + 1


def _issue_killed_at_its_second_save(store: MeetingStore, port: int) -> None:
    """Issue the recorded sample to the SMTP server on ``port`` in another process, killed
    (SIGKILL) as it saves the record the second time: after the server's answer, before that
    answer is recorded (the first save holds the invitations pending)."""
    import signal
    import subprocess
    import sys

    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from somnet import Channels, MeetingStore, SmtpServer, issue\n"
        "from somnet.meetings import issuing\n"
        "from tests.meeting_fixtures import CREATED, recorded_sample\n"
        "saves = []\n"
        "real = issuing._Record.save\n"
        "def save(self):\n"
        "    saves.append(1)\n"
        "    if len(saves) == 2:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real(self)\n"
        "issuing._Record.save = save\n"
        "store = MeetingStore(Path(sys.argv[1]))\n"
        "smtp = SmtpServer('127.0.0.1', int(sys.argv[2]))\n"
        "issue(recorded_sample(store), 'created', store=store, now=CREATED,\n"
        "      channels=Channels(smtp=smtp))\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, str(store.root), str(port)],
        cwd=Path(__file__).parent.parent,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL


@pytest.mark.parametrize("again", [False, True], ids=["new", "resent"])
def test_a_record_that_cannot_be_written_before_anything_went_says_so_and_sends_nothing(
    smtp: tuple[Inbox, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, again: bool
) -> None:
    """The disk refuses the record before anything goes (full): nothing is sent, and the
    error is the store's, saying nothing of a delivery. It said 'sending stopped there, as
    what went could not be recorded; nothing was delivered; ... meeting X is recorded', of a
    meeting no record holds (a new one) or whose record did not change."""
    from somnet.meetings.issuing import resend

    inbox, port = smtp
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    if again:
        meeting = issue(meeting, "created", store=store, now=CREATED).meeting
    before = {p.name: p.read_bytes() for p in tmp_path.glob("*.json")}
    full = f"{store.path(meeting.id)}: cannot write: No space left on device"

    def refuse(self: MeetingStore, record: Meeting) -> Path:
        raise StorageError(full)

    monkeypatch.setattr(MeetingStore, "save", refuse)
    channels = Channels(smtp=SmtpServer("127.0.0.1", port))
    with pytest.raises(StorageError) as raised:
        if again:
            resend(meeting, store=store, now=CREATED, channels=channels)
        else:
            issue(meeting, "created", store=store, now=CREATED, channels=channels)
    assert str(raised.value) == full
    assert not inbox.envelopes
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.json")} == before
