"""Invites published on CalDAV (RFC 4791) against a real Radicale on 127.0.0.1 and scripted
servers: created, replaced by ETag, removed; never overwriting an event changed on the server
or one with another UID; failures recorded."""

from __future__ import annotations

import http.server
import re
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import attrs
import httpx
import icalendar
import pytest

from somnet import (
    CaldavConflictError,
    CaldavServer,
    Channels,
    DeliveryError,
    IncompleteDeliveryError,
    MeetingError,
    MeetingStore,
    calendar_bytes,
    issue,
)
from somnet.meetings.caldav import caldav_delete, caldav_put
from somnet.meetings.ical import ILLUSTRATIVE_NOTE
from somnet.meetings.issuing import cancel, resend
from somnet.meetings.lifecycle import cancelled_meeting, changed_meeting
from somnet.meetings.records import Publication
from tests.meeting_fixtures import (
    CREATED,
    parse_both,
    recorded_sample,
)
from tests.meeting_servers import (
    USER,
    Silent,
    _events,
    _get,
    _NoEtags,
    _Scripted,
    free_port,
)


def test_caldav_create_update_and_cancel_follow_the_etag(calendar: str, tmp_path: Path) -> None:
    store = MeetingStore(tmp_path)
    server = CaldavServer(calendar, USER, None, 5)
    meeting = recorded_sample(store)
    created = issue(
        meeting, "created", store=store, now=CREATED, channels=Channels(caldav=server)
    ).meeting
    assert created.publication is not None
    url, etag = created.publication.url, created.publication.etag
    assert url == f"{calendar}{meeting.uid}.ics"
    stored = _get(url)
    assert stored.headers["ETag"] == etag
    ours, _ = parse_both(stored.content.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert "METHOD" not in ours
    assert str(ours.walk("VEVENT")[0]["UID"]) == meeting.uid

    # A creation never overwrites another event where its own would go (If-None-Match: *).
    other = recorded_sample(MeetingStore(tmp_path / "other"), uid_factory=lambda: "another-event")
    foreign = calendar_bytes(other, method=None, now=CREATED)
    assert httpx.delete(url, auth=(USER, ""), timeout=5).is_success
    assert httpx.put(url, content=foreign, auth=(USER, ""), timeout=5).is_success
    again = recorded_sample(MeetingStore(tmp_path / "other"))
    with pytest.raises(DeliveryError, match="already exists"):
        issue(
            again,
            "created",
            store=MeetingStore(tmp_path / "other"),
            now=CREATED,
            channels=Channels(caldav=server),
        )
    assert b"UID:another-event" in _get(url).content
    assert httpx.delete(url, auth=(USER, ""), timeout=5).is_success
    assert httpx.put(url, content=stored.content, auth=(USER, ""), timeout=5).is_success
    etag = _get(url).headers["ETag"]
    created = attrs.evolve(created, publication=attrs.evolve(created.publication, etag=etag))

    moved = changed_meeting(created, now=CREATED, start=datetime(2027, 3, 16, 14, tzinfo=UTC))
    updated = issue(
        moved, "updated", store=store, now=CREATED, channels=Channels(caldav=server)
    ).meeting
    assert updated.publication is not None and updated.publication.url == url
    assert updated.publication.etag != etag
    event = icalendar.Calendar.from_ical(_get(url).content).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2027, 3, 16, 14, tzinfo=UTC)

    cancelled = issue(
        cancelled_meeting(updated, now=CREATED),
        "cancelled",
        store=store,
        now=CREATED,
        channels=Channels(caldav=server),
    ).meeting
    assert cancelled.publication is None
    assert _get(url).status_code == 404
    assert store.get(meeting.id).status == "CANCELLED"


def test_an_event_deleted_on_the_server_stops_an_update_and_a_cancel_says_it_was_gone(
    calendar: str, tmp_path: Path
) -> None:
    """Someone removed the event from the calendar: an update does not put it back (without
    force) and names the meeting; a cancellation finds it gone, and says so."""
    store = MeetingStore(tmp_path)
    server = CaldavServer(calendar, USER, None, 5)
    meeting = recorded_sample(store)
    created = issue(
        meeting, "created", store=store, now=CREATED, channels=Channels(caldav=server)
    ).meeting
    assert created.publication is not None
    url = created.publication.url
    assert httpx.delete(url, auth=(USER, ""), timeout=5).is_success
    moved = changed_meeting(created, now=CREATED, title="Moved")
    with pytest.raises(IncompleteDeliveryError) as raised:
        issue(moved, "updated", store=store, now=CREATED, channels=Channels(caldav=server))
    assert raised.value.conflict and raised.value.removed
    assert isinstance(raised.value.__cause__, CaldavConflictError)
    assert raised.value.__cause__.removed
    reason = raised.value.reason
    assert f"{url} was removed from the server since somnet published it" in reason, reason
    assert f"meeting {meeting.id} is recorded (UID {meeting.uid}, SEQUENCE 1)" in reason
    assert _get(url).status_code == 404  # not put back
    recorded = store.get(meeting.id)
    assert recorded.sequence == 1 and recorded.publication == created.publication
    assert [(d.channel, d.state) for d in recorded.undelivered] == [("caldav", "failed")]
    gone = issue(
        cancelled_meeting(recorded, now=CREATED),
        "cancelled",
        store=store,
        now=CREATED,
        channels=Channels(caldav=server),
    )
    assert f"{url} was already gone from the CalDAV server" in gone.warnings
    assert gone.meeting.publication is None and gone.meeting.sequence == 2


def test_a_publication_that_half_succeeded_is_completed_when_run_again(
    calendar: str, tmp_path: Path
) -> None:
    store = MeetingStore(tmp_path)
    server = CaldavServer(calendar, USER, None, 5)
    meeting = recorded_sample(store)
    url = f"{calendar}{meeting.uid}.ics"
    # An earlier run put the event there, then was killed before recording it.
    earlier = calendar_bytes(meeting, method=None, now=meeting.modified)
    assert httpx.put(url, content=earlier, auth=(USER, ""), timeout=5).is_success
    created = issue(
        meeting, "created", store=store, now=CREATED, channels=Channels(caldav=server)
    ).meeting
    assert created.publication is not None and created.publication.url == url
    stored = _get(url)
    assert stored.headers["ETag"] == created.publication.etag
    event = icalendar.Calendar.from_ical(stored.content).walk("VEVENT")[0]
    assert (str(event["UID"]), str(event["SUMMARY"])) == (meeting.uid, meeting.title)
    assert store.get(meeting.id).publication == created.publication


def test_an_event_with_our_uid_edited_on_the_server_before_anything_was_recorded_is_a_conflict(
    calendar: str, tmp_path: Path
) -> None:
    store = MeetingStore(tmp_path)
    server = CaldavServer(calendar, USER, None, 5)
    meeting = recorded_sample(store)
    url = f"{calendar}{meeting.uid}.ics"
    # A run put the event there and was killed before recording it; someone then edited it
    # in their calendar. The retry has no publication recorded, and must not replace it.
    put = calendar_bytes(meeting, method=None, now=meeting.modified)
    edited = put.replace(b"SUMMARY:", b"SUMMARY:Moved: ")
    assert httpx.put(url, content=edited, auth=(USER, ""), timeout=5).is_success
    with pytest.raises(IncompleteDeliveryError) as raised:
        issue(meeting, "created", store=store, now=CREATED, channels=Channels(caldav=server))
    assert raised.value.conflict and not raised.value.removed
    assert b"SUMMARY:Moved: " in _get(url).content
    recorded = store.get(meeting.id)
    assert recorded.publication is None
    (failed,) = recorded.undelivered
    assert (failed.channel, failed.to, failed.state) == ("caldav", url, "failed")
    # Forced, it is taken over, and said so.
    done = resend(recorded, store=store, now=CREATED, channels=Channels(caldav=server, force=True))
    assert any(url in w for w in done.warnings)
    assert b"SUMMARY:Moved: " not in _get(url).content
    assert done.meeting.publication is not None and not done.meeting.undelivered


def test_an_event_changed_on_the_server_is_not_overwritten_without_force(
    calendar: str, tmp_path: Path
) -> None:
    from somnet.meetings.invites import cancel, resend

    store = MeetingStore(tmp_path)
    server = CaldavServer(calendar, USER, None, 5)
    meeting = issue(
        recorded_sample(store),
        "created",
        store=store,
        now=CREATED,
        channels=Channels(caldav=server),
    ).meeting
    assert meeting.publication is not None
    url = meeting.publication.url
    # Someone edits the event in their calendar client: its ETag changes.
    edited = _get(url).content.replace(b"TRANSP:OPAQUE", b"TRANSP:TRANSPARENT")
    response = httpx.put(url, content=edited, auth=(USER, ""), timeout=5)
    assert response.is_success
    moved = changed_meeting(meeting, now=CREATED, duration=60)
    with pytest.raises(IncompleteDeliveryError, match=r"changed on the server .*ETag mismatch"):
        issue(moved, "updated", store=store, now=CREATED, channels=Channels(caldav=server))
    recorded = store.get(meeting.id)
    assert recorded.sequence == 1 and recorded.publication == meeting.publication
    (failed,) = recorded.undelivered
    assert (failed.channel, failed.to, failed.state) == ("caldav", url, "failed")
    assert b"TRANSP:TRANSPARENT" in _get(url).content

    # Cancelled, it is not removed either, until forced.
    with pytest.raises(IncompleteDeliveryError, match="it was not removed") as raised:
        cancel(recorded, store=store, now=CREATED, channels=Channels(caldav=server))
    assert raised.value.conflict and not raised.value.removed
    assert b"TRANSP:TRANSPARENT" in _get(url).content
    recorded = store.get(meeting.id)
    assert recorded.status == "CANCELLED" and recorded.publication is not None
    done = resend(recorded, store=store, now=CREATED, channels=Channels(caldav=server, force=True))
    assert any("changed on the server" in w for w in done.warnings)
    assert _get(url).status_code == 404
    assert store.get(meeting.id).publication is None


def test_caldav_failures_are_recorded_and_say_nothing_was_delivered(
    radicale: str, tmp_path: Path
) -> None:
    store = MeetingStore(tmp_path)
    cases = [
        (CaldavServer(f"{radicale}/{USER}/no-such-calendar/", USER, None, 5), r"answered 409"),
        # Radicale forbids events deeper than a user's calendars.
        (
            CaldavServer(f"{radicale}/{USER}/no-such-calendar/below/", USER, None, 5),
            r"answered 403 Forbidden .* user name and the password in SOMNET_CALDAV_PASSWORD",
        ),
        (CaldavServer(f"http://127.0.0.1:{free_port()}/cal/", USER, None, 2), "cannot be reached"),
    ]
    for server, message in cases:
        meeting = recorded_sample(store, uid_factory=uuid.uuid4)
        with pytest.raises(DeliveryError, match=message + ".*; nothing was delivered; not "):
            issue(meeting, "created", store=store, now=CREATED, channels=Channels(caldav=server))
        (failed,) = store.get(meeting.id).deliveries
        assert (failed.channel, failed.state) == ("caldav", "failed")
        assert failed.reply is not None and re.search(message, failed.reply)


def test_a_new_event_on_a_silent_server_fails_after_one_wait(
    tmp_path: Path, silent_server: Silent
) -> None:
    # The calendar is asked whether it is one, and never answers: the server is not
    # reachable for this send, and no PUT is sent to wait a second time for.
    store = MeetingStore(tmp_path)
    silent = CaldavServer(f"http://127.0.0.1:{silent_server.port}/cal/", None, None, 0.3)
    meeting = recorded_sample(store, uid_factory=uuid.uuid4)
    with pytest.raises(DeliveryError, match=r"within 0\.3 s.*; nothing was delivered; not "):
        issue(meeting, "created", store=store, now=CREATED, channels=Channels(caldav=silent))
    assert silent_server.connections == 1
    (failed,) = store.get(meeting.id).deliveries
    assert (failed.channel, failed.state) == ("caldav", "failed")


def test_an_update_put_to_a_silent_server_is_unconfirmed(tmp_path: Path, silent_port: int) -> None:
    # A PUT sent and never answered may have been made (a slow server): not confirmed.
    store = MeetingStore(tmp_path)
    url = f"http://127.0.0.1:{silent_port}/cal/"
    silent = CaldavServer(url, None, None, 0.3)
    meeting = recorded_sample(store, uid_factory=uuid.uuid4)
    published = attrs.evolve(meeting, publication=Publication(f"{url}{meeting.uid}.ics", '"1"'))
    issue(published, "created", store=store, now=CREATED)
    moved = changed_meeting(store.get(meeting.id), now=CREATED, duration=60)
    with pytest.raises(DeliveryError, match=r"within 0\.3 s"):
        issue(moved, "updated", store=store, now=CREATED, channels=Channels(caldav=silent))
    (unsure,) = store.get(meeting.id).deliveries
    assert (unsure.channel, unsure.state) == ("caldav", "unconfirmed")


def _published_at(store: MeetingStore, url: str) -> Any:
    """A meeting recorded as published (with an ETag) in the calendar at ``url``."""
    meeting = recorded_sample(store, uid_factory=uuid.uuid4)
    published = attrs.evolve(meeting, publication=Publication(f"{url}{meeting.uid}.ics", '"1"'))
    return issue(published, "created", store=store, now=CREATED).meeting


def test_an_update_on_a_silent_server_waits_once_and_stays_unconfirmed(
    tmp_path: Path, silent_server: Silent
) -> None:
    # The PUT went and no answer came in time: asking the same silent server for the event
    # would wait as long again, and could only leave it as unsure.
    store = MeetingStore(tmp_path)
    url = f"http://127.0.0.1:{silent_server.port}/cal/"
    meeting = _published_at(store, url)
    moved = changed_meeting(meeting, now=CREATED, duration=60)
    silent = Channels(caldav=CaldavServer(url, None, None, 0.3))
    with pytest.raises(IncompleteDeliveryError, match=r"did not answer PUT within 0\.3 s"):
        issue(moved, "updated", store=store, now=CREATED, channels=silent)
    assert silent_server.connections == 1
    recorded = store.get(meeting.id)
    (unsure,) = recorded.undelivered
    assert (unsure.channel, unsure.method, unsure.state) == ("caldav", "REQUEST", "unconfirmed")
    # Not known to hold the update: the publication is still the one confirmed before.
    assert recorded.publication == meeting.publication


def test_a_cancel_on_a_silent_server_waits_once_and_leaves_the_event_recorded(
    tmp_path: Path, silent_server: Silent
) -> None:
    store = MeetingStore(tmp_path)
    url = f"http://127.0.0.1:{silent_server.port}/cal/"
    meeting = _published_at(store, url)
    silent = Channels(caldav=CaldavServer(url, None, None, 0.3))
    with pytest.raises(IncompleteDeliveryError, match=r"did not answer DELETE within 0\.3 s"):
        cancel(meeting, store=store, now=CREATED, channels=silent)
    assert silent_server.connections == 1
    recorded = store.get(meeting.id)
    assert recorded.status == "CANCELLED"
    (unsure,) = recorded.undelivered
    assert (unsure.channel, unsure.method, unsure.state) == ("caldav", "CANCEL", "unconfirmed")
    # The event may still be there: the record keeps where, for the next cancel to remove it.
    assert recorded.publication == meeting.publication


def test_a_server_error_is_a_delivery_error(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path
) -> None:
    url, handler = scripted
    handler.answers["PUT"] = (503, {})
    handler.answers["GET"] = (404, {})  # asked for after the failure: nothing was stored
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    with pytest.raises(DeliveryError, match=r"answered 503 Service Unavailable to PUT"):
        issue(
            meeting,
            "created",
            store=store,
            now=CREATED,
            channels=Channels(caldav=CaldavServer(url, None, None, 5)),
        )
    assert [d.state for d in store.get(meeting.id).deliveries] == ["failed"]


@pytest.mark.parametrize("status", [301, 307, 308])
def test_a_redirect_is_not_followed_and_names_where_it_leads(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path, status: int
) -> None:
    """A calendar that moved: the event is not put at an address somnet was not given (it
    would be recorded where no later version looks), and the message says where it leads."""
    url, handler = scripted
    elsewhere = "http://127.0.0.1:9/moved/cal/"
    handler.answers["PUT"] = (status, {"Location": elsewhere + "event.ics"})
    handler.answers["GET"] = (404, {})
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    with pytest.raises(DeliveryError) as raised:
        issue(
            meeting,
            "created",
            store=store,
            now=CREATED,
            channels=Channels(caldav=CaldavServer(url, None, None, 5)),
        )
    assert f"redirects to {elsewhere}event.ics" in raised.value.reason, raised.value.reason
    assert f"meeting {meeting.id} is recorded" in raised.value.reason
    assert [d.state for d in store.get(meeting.id).deliveries] == ["failed"]
    assert [m for m, _h in handler.seen].count("PUT") == 1


@pytest.mark.parametrize("location", ["http://[::1", "http://xn--ls8h.la/cal/event.ics"])
def test_a_redirect_to_what_is_not_a_url_is_a_failed_put_told_in_somnets_words(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path, location: str
) -> None:
    """A PUT answered with a redirect whose Location is no URL was recorded ``unconfirmed``,
    with httpx's English words ("Invalid URL in location header"). The server answered, and a
    redirect stores nothing: the PUT failed, and the message says what the server did."""
    url, handler = scripted
    handler.answers["PUT"] = (307, {"Location": location})
    handler.answers["GET"] = (404, {})
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    with pytest.raises(DeliveryError) as raised:
        issue(
            meeting,
            "created",
            store=store,
            now=CREATED,
            channels=Channels(caldav=CaldavServer(url, None, None, 5)),
        )
    reason = raised.value.reason
    assert reason.startswith(
        f"CalDAV server answered 307 Temporary Redirect to PUT {url}{meeting.uid}.ics: it "
        f"redirects to {location!r}, which is not a URL; nothing was stored or removed: check "
        "the calendar's address; "
    ), reason
    assert "Invalid URL" not in reason and "not confirmed" not in reason, reason
    recorded = store.get(meeting.id)
    assert [d.state for d in recorded.deliveries] == ["failed"]
    assert recorded.publication is None
    assert [m for m, _h in handler.seen].count("PUT") == 1


def test_a_cancel_redirected_to_what_is_not_a_url_failed_and_the_event_stays_recorded(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path
) -> None:
    """A DELETE answered so removed nothing: failed, and the publication kept for the next
    cancel to remove."""
    url, handler = scripted
    handler.answers["DELETE"] = (308, {"Location": "http://[::1"})
    store = MeetingStore(tmp_path)
    meeting = _published_at(store, url)
    with pytest.raises(DeliveryError) as raised:
        cancel(
            meeting,
            store=store,
            now=CREATED,
            channels=Channels(caldav=CaldavServer(url, None, None, 5)),
        )
    assert raised.value.reason.startswith(
        f"CalDAV server answered 308 Permanent Redirect to DELETE {meeting.publication.url}: "
        "it redirects to 'http://[::1', which is not a URL; nothing was stored or removed"
    ), raised.value.reason
    recorded = store.get(meeting.id)
    (undone,) = recorded.undelivered
    assert (undone.method, undone.state) == ("CANCEL", "failed")
    assert recorded.publication == meeting.publication


def test_a_redirect_to_what_is_not_a_url_through_a_client_that_tells_no_headers_is_failed(
    tmp_path: Path,
) -> None:
    """A client given whose transport does not trace the answer (no Location to quote): still
    the server's answer in somnet's words, and failed."""

    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(307, headers={"Location": "http://[::1"})

    url = "http://127.0.0.1:9/cal/"
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    caldav = CaldavServer(url, None, None, 5)
    with (
        httpx.Client(transport=httpx.MockTransport(reply)) as client,
        pytest.raises(DeliveryError) as raised,
    ):
        issue(
            meeting,
            "created",
            store=store,
            now=CREATED,
            channels=Channels(caldav=caldav, http_client=client),
        )
    assert raised.value.reason.startswith(
        f"CalDAV server answered PUT {url}{meeting.uid}.ics with a redirect to what is not a "
        "URL; nothing was stored or removed"
    ), raised.value.reason
    assert [d.state for d in store.get(meeting.id).deliveries] == ["failed"]


def test_an_etag_missing_from_the_put_is_asked_for(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path
) -> None:
    url, handler = scripted
    handler.answers["PUT"] = (201, {})
    handler.answers["GET"] = (200, {"ETag": '"after-the-server-changed-it"'})
    store = MeetingStore(tmp_path)
    issued = issue(
        recorded_sample(store),
        "created",
        store=store,
        now=CREATED,
        channels=Channels(caldav=CaldavServer(url, None, None, 5)),
    )
    assert issued.meeting.publication is not None
    assert issued.meeting.publication.etag == '"after-the-server-changed-it"'
    (put, put_headers), (get, _) = handler.seen
    assert (put, get) == ("PUT", "GET")
    assert put_headers["If-None-Match"] == "*"
    assert put_headers["Content-Type"] == "text/calendar; charset=utf-8"


@pytest.mark.parametrize("get", [(500, {}), (403, {})])
def test_a_put_that_succeeded_is_published_though_its_etag_cannot_be_asked_for(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path, get: tuple[int, dict[str, str]]
) -> None:
    """The server took the event (201) and named no ETag, and asking for it fails: the event
    is on the calendar all the same, recorded without an ETag (a note says so), and the
    delivery goes on; it is not said to have failed."""
    url, handler = scripted
    handler.answers["PUT"] = (201, {})
    handler.answers["GET"] = get
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    issued = issue(
        meeting,
        "created",
        store=store,
        now=CREATED,
        channels=Channels(caldav=CaldavServer(url, None, None, 5)),
    )
    assert issued.meeting.publication == Publication(f"{url}{meeting.uid}.ics", None)
    assert any("gives no ETag" in w for w in issued.warnings), issued.warnings
    assert [d.state for d in store.get(meeting.id).deliveries] == ["delivered"]


NEED_PRIVILEGES = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<D:error xmlns:D="DAV:"><D:need-privileges><D:resource><D:href>/cal/</D:href>'
    b"<D:privilege><D:bind/></D:privilege></D:resource></D:need-privileges></D:error>"
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b"",
            "either user officer may not write in that calendar (read-only for it), or the "
            "server refuses the login: check the CalDAV user name and the password in "
            "SOMNET_CALDAV_PASSWORD",
        ),
        (
            NEED_PRIVILEGES,
            "the server says user officer has no right to write in that calendar "
            "(DAV:need-privileges): the login is not at fault; ask for that right, or publish "
            "in a calendar it may write in",
        ),
    ],
    ids=["login-or-rights", "need-privileges"],
)
@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_a_change_forbidden_says_the_login_or_the_right_to_write_as_the_server_tells(
    scripted: tuple[str, type[_Scripted]],
    tmp_path: Path,
    body: bytes,
    message: str,
    method: str,
) -> None:
    """A 403 may be a login refused or a calendar read-only for that user: both are said,
    unless the server's answer (RFC 3744 section 7.1.1) tells which."""
    url, handler = scripted
    handler.answers[method] = (403, {"Content-Type": "application/xml; charset=utf-8"})
    handler.bodies[method] = body
    server = CaldavServer(url, "officer", "secret", 5)
    event = f"{url}event.ics"
    with pytest.raises(DeliveryError) as raised:
        if method == "PUT":
            caldav_put(server, "event", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", previous=None)
        else:
            caldav_delete(server, Publication(event, '"1"'), uid="event")
    assert (
        str(raised.value) == f"CalDAV server answered 403 Forbidden to {method} {event}: {message}"
    )


def test_a_put_forbidden_is_recorded_as_failed_with_what_to_check(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path
) -> None:
    url, handler = scripted
    handler.answers["PUT"] = (403, {})
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    server = CaldavServer(url, "officer", "secret", 5)
    with pytest.raises(DeliveryError) as raised:
        issue(meeting, "created", store=store, now=CREATED, channels=Channels(caldav=server))
    assert str(raised.value).startswith(
        f"CalDAV server answered 403 Forbidden to PUT {url}{meeting.uid}.ics: either user "
        "officer may not write in that calendar"
    )
    (failed,) = store.get(meeting.id).deliveries
    assert failed.state == "failed" and "may not write in that calendar" in (failed.reply or "")


def test_an_etag_with_bytes_beyond_ascii_is_sent_back_as_the_server_gave_it(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path
) -> None:
    """An ETag may hold bytes beyond ASCII (obs-text, RFC 9110 section 8.8.3). Recorded as
    given, the update and the cancellation that sent it back in If-Match failed with
    Python's UnicodeEncodeError, a traceback, halfway through their delivery. They send the
    very bytes the server gave."""
    url, handler = scripted
    handler.answers["PUT"] = (201, {"ETag": '"v1-\u00e9"'})  # sent as the byte 0xE9
    store = MeetingStore(tmp_path)
    server = CaldavServer(url, None, None, 5)
    issued = issue(
        recorded_sample(store),
        "created",
        store=store,
        now=CREATED,
        channels=Channels(caldav=server),
    )
    assert issued.meeting.publication is not None
    handler.answers["PUT"] = (204, {"ETag": '"v2-\u00e9"'})
    moved = changed_meeting(store.get(issued.meeting.id), now=CREATED, duration=60)
    issue(moved, "updated", store=store, now=CREATED, channels=Channels(caldav=server))
    handler.answers["DELETE"] = (204, {})
    cancelled = cancelled_meeting(store.get(issued.meeting.id), now=CREATED)
    done = issue(cancelled, "cancelled", store=store, now=CREATED, channels=Channels(caldav=server))
    # http.server reads header bytes as Latin-1: the byte 0xE9 is "\u00e9".
    sent = [(method, headers.get("If-Match")) for method, headers in handler.seen]
    assert sent[-2:] == [("PUT", '"v1-\u00e9"'), ("DELETE", '"v2-\u00e9"')], sent
    assert done.meeting.publication is None
    assert {d.state for d in store.get(issued.meeting.id).deliveries} == {"delivered"}


def test_a_put_answered_202_accepted_is_unconfirmed_not_published(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path
) -> None:
    """202 Accepted says the server took the event to act on later, and may never (RFC 9110
    section 15.3.3): it was recorded as published, with a note that the server gives no
    ETag. Looked for at once and not there, it is unconfirmed, as a PUT left unanswered."""
    url, handler = scripted
    handler.answers["PUT"] = (202, {})
    handler.answers["GET"] = (404, {})
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    with pytest.raises(IncompleteDeliveryError) as raised:
        issue(
            meeting,
            "created",
            store=store,
            now=CREATED,
            channels=Channels(caldav=CaldavServer(url, None, None, 5)),
        )
    assert (
        f"CalDAV server answered 202 Accepted to PUT {url}{meeting.uid}.ics: it took it to do "
        "later, and does not say it is done"
    ) in raised.value.reason, raised.value.reason
    recorded = store.get(meeting.id)
    assert recorded.publication is None
    assert [d.state for d in recorded.deliveries] == ["unconfirmed"]


def test_a_delete_answered_202_accepted_with_the_event_still_there_is_unconfirmed(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path
) -> None:
    """202 Accepted to a DELETE says it is not yet done (RFC 9110 section 9.3.5): the event
    was recorded as removed, though the calendar still showed it. Looked for at once and
    still there, the cancellation's removal is unconfirmed, and the publication kept."""
    url, handler = scripted
    handler.answers["PUT"] = (201, {"ETag": '"1"'})
    store = MeetingStore(tmp_path)
    server = CaldavServer(url, None, None, 5)
    issued = issue(
        recorded_sample(store),
        "created",
        store=store,
        now=CREATED,
        channels=Channels(caldav=server),
    )
    handler.answers["DELETE"] = (202, {})
    handler.answers["GET"] = (200, {"ETag": '"1"'})
    handler.bodies["GET"] = calendar_bytes(issued.meeting, method=None, now=CREATED)
    cancelled = cancelled_meeting(store.get(issued.meeting.id), now=CREATED)
    with pytest.raises(IncompleteDeliveryError) as raised:
        issue(cancelled, "cancelled", store=store, now=CREATED, channels=Channels(caldav=server))
    assert (
        f"CalDAV server answered 202 Accepted to DELETE {url}{issued.meeting.uid}.ics: it took "
        "it to do later, and does not say it is done"
    ) in raised.value.reason, raised.value.reason
    recorded = store.get(issued.meeting.id)
    assert recorded.publication is not None
    assert [(d.method, d.state) for d in recorded.deliveries][-1] == ("CANCEL", "unconfirmed")


def test_a_server_that_gives_no_etag_keeps_one_event_adopted_by_its_uid(
    no_etags: tuple[str, type[_NoEtags]], tmp_path: Path
) -> None:
    url, handler = no_etags
    server = CaldavServer(url, None, None, 5)
    store = MeetingStore(tmp_path)
    issued = issue(
        recorded_sample(store),
        "created",
        store=store,
        now=CREATED,
        channels=Channels(caldav=server),
    )
    assert issued.meeting.publication is not None
    assert issued.meeting.publication.url == f"{url}{issued.meeting.uid}.ics"
    assert issued.meeting.publication.etag is None
    assert any("no ETag" in w for w in issued.warnings)
    assert list(handler.stored) == [f"/cal/{issued.meeting.uid}.ics"]

    # Changed and cancelled through the same event: its UID says it is ours.
    moved = changed_meeting(store.get(issued.meeting.id), now=CREATED, duration=60)
    issue(moved, "updated", store=store, now=CREATED, channels=Channels(caldav=server))
    assert list(handler.stored) == [f"/cal/{issued.meeting.uid}.ics"]
    event = icalendar.Calendar.from_ical(handler.stored[f"/cal/{issued.meeting.uid}.ics"])
    assert event.walk("VEVENT")[0]["SEQUENCE"] == 1
    cancelled = cancelled_meeting(store.get(issued.meeting.id), now=CREATED)
    issue(cancelled, "cancelled", store=store, now=CREATED, channels=Channels(caldav=server))
    assert handler.stored == {}

    # An event with another UID where ours would go is never overwritten.
    other = recorded_sample(MeetingStore(tmp_path / "other"), uid_factory=lambda: "theirs")
    handler.stored[f"/cal/{issued.meeting.uid}.ics"] = calendar_bytes(
        other, method=None, now=CREATED
    )
    again = attrs.evolve(store.get(issued.meeting.id), status="CONFIRMED", publication=None)
    with pytest.raises(DeliveryError, match="nothing was overwritten"):
        issue(
            changed_meeting(again, now=CREATED, duration=45),
            "updated",
            store=store,
            now=CREATED,
            channels=Channels(caldav=server),
        )
    assert b"UID:theirs" in handler.stored[f"/cal/{issued.meeting.uid}.ics"]


class _LosesAnswers(http.server.BaseHTTPRequestHandler):
    """A loopback proxy to a CalDAV server that passes every request on, and drops the
    connection instead of passing back the answer to the methods in ``lose`` (once each):
    the server made the change, and the client never hears of it."""

    upstream: ClassVar[str] = ""
    lose: ClassVar[set[str]] = set()
    #: The methods answered 500 (once each) once the server has made them.
    fail: ClassVar[set[str]] = set()

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        skip = {"host", "content-length", "connection"}
        headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
        answer = httpx.request(
            self.command,
            self.upstream + self.path,
            headers=headers,
            content=body or None,
            auth=(USER, ""),
            timeout=5,
        )
        if self.command in self.lose:
            self.lose.discard(self.command)
            self.close_connection = True
            return
        if self.command in self.fail:
            self.fail.discard(self.command)
            answer = httpx.Response(500, content=b"")
        self.send_response(answer.status_code)
        for name in ("ETag", "Content-Type"):
            if name in answer.headers:
                self.send_header(name, answer.headers[name])
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    do_PUT = do_GET = do_DELETE = _forward

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_an_update_made_on_the_server_whose_answer_was_lost_is_completed_without_force(
    radicale: str, calendar: str, tmp_path: Path
) -> None:
    from somnet.meetings.invites import resend

    handler = type("Handler", (_LosesAnswers,), {"upstream": radicale, "lose": set()})
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        through = f"http://127.0.0.1:{proxy.server_address[1]}{calendar.removeprefix(radicale)}"
        server = CaldavServer(through, USER, None, 5)
        store = MeetingStore(tmp_path)
        meeting = issue(
            recorded_sample(store),
            "created",
            store=store,
            now=CREATED,
            channels=Channels(caldav=server),
        ).meeting
        moved = changed_meeting(meeting, now=CREATED, duration=60)
        # The server makes the update, and neither its answer nor that of the GET asking
        # for it comes back.
        handler.lose = {"PUT", "GET"}
        with pytest.raises(IncompleteDeliveryError):
            issue(moved, "updated", store=store, now=CREATED, channels=Channels(caldav=server))
        assert not handler.lose  # the server has SEQUENCE 1; the record does not know it
        assert [d.state for d in store.get(meeting.id).deliveries] == ["unconfirmed"]
        done = resend(
            store.get(meeting.id), store=store, now=CREATED, channels=Channels(caldav=server)
        )
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(5)
    assert done.warnings == (ILLUSTRATIVE_NOTE,)  # no conflict, nothing taken over
    recorded = store.get(meeting.id)
    assert not recorded.undelivered and recorded.publication is not None
    stored = _get(f"{calendar}{meeting.uid}.ics")
    assert recorded.publication.etag == stored.headers["ETag"]
    event = icalendar.Calendar.from_ical(stored.content).walk("VEVENT")[0]
    assert (event["SEQUENCE"], event.decoded("DTEND") - event.decoded("DTSTART")) == (
        1,
        moved.end - moved.start,
    )


def test_an_event_with_the_same_uid_under_another_name_is_named_as_such(
    calendar: str, tmp_path: Path
) -> None:
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    # A calendar client imported the e-mailed invite into the calendar, under a name of its own.
    imported = calendar_bytes(meeting, method=None, now=CREATED)
    assert httpx.put(f"{calendar}imported.ics", content=imported, auth=(USER, "")).is_success
    with pytest.raises(DeliveryError) as raised:
        issue(
            meeting,
            "created",
            store=store,
            now=CREATED,
            channels=Channels(caldav=CaldavServer(calendar, USER, None, 5)),
        )
    # The error names the copy that holds this UID, left as it was.
    assert f"{calendar}imported.ics" in raised.value.reason
    assert _get(f"{calendar}imported.ics").is_success
    assert _get(f"{calendar}{meeting.uid}.ics").status_code == 404


def test_a_meeting_put_on_the_calendar_by_a_put_whose_answer_was_lost_is_removed_when_cancelled(
    calendar: str, tmp_path: Path
) -> None:
    from somnet.meetings.issuing import cancel

    origin, path = calendar.split("/", 3)[:3], "/" + calendar.split("/", 3)[3]
    lose = {"PUT", "GET"}  # and the GET that would find it there
    handler = type("Handler", (_LosesAnswers,), {"upstream": "/".join(origin), "lose": lose})
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        server = CaldavServer(f"http://127.0.0.1:{proxy.server_address[1]}{path}", USER, None, 5)
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        with pytest.raises(IncompleteDeliveryError):
            issue(meeting, "created", store=store, now=CREATED, channels=Channels(caldav=server))
        event = f"{calendar}{meeting.uid}.ics"
        assert _get(event).status_code == 200  # the server made it
        (put,) = store.get(meeting.id).deliveries
        assert (put.channel, put.state) == ("caldav", "unconfirmed")
        # Cancelled without CalDAV: the calendar may still show it, and the result says where.
        first = cancel(store.get(meeting.id), store=store, now=CREATED)
        assert first.calendar_behind == put.to
        # With CalDAV, the cancellation removes it, as it would a published meeting.
        cancel(store.get(meeting.id), store=store, now=CREATED, channels=Channels(caldav=server))
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(5)
    assert _get(event).status_code == 404
    recorded = store.get(meeting.id)
    assert recorded.status == "CANCELLED" and recorded.publication is None
    assert not recorded.undelivered


def test_an_update_the_server_made_without_answering_is_found_there_and_the_next_goes_through(
    calendar: str, tmp_path: Path
) -> None:
    origin, path = calendar.split("/", 3)[:3], "/" + calendar.split("/", 3)[3]
    handler = type("Handler", (_LosesAnswers,), {"upstream": "/".join(origin), "lose": set()})
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        server = CaldavServer(f"http://127.0.0.1:{proxy.server_address[1]}{path}", USER, None, 5)
        channels = Channels(caldav=server)
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        issue(meeting, "created", store=store, now=CREATED, channels=channels)
        handler.lose = {"PUT"}  # the server makes the update; its answer never comes back
        moved = changed_meeting(store.get(meeting.id), now=CREATED, duration=60)
        updated = issue(moved, "updated", store=store, now=CREATED, channels=channels).meeting
        event = f"{calendar}{meeting.uid}.ics"
        assert updated.publication is not None
        assert updated.publication.etag == _get(event).headers["ETag"]
        assert not updated.undelivered
        # The next version replaces it: nobody changed it on the server.
        retitled = changed_meeting(updated, now=CREATED, title="Retitled")
        issue(retitled, "updated", store=store, now=CREATED, channels=channels)
        handler.lose = {"DELETE"}
        cancelled = cancelled_meeting(store.get(meeting.id), now=CREATED)
        done = issue(cancelled, "cancelled", store=store, now=CREATED, channels=channels)
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(5)
    assert _get(event).status_code == 404
    assert done.meeting.publication is None and not done.meeting.undelivered


def _losing_proxy(
    calendar: str,
) -> tuple[http.server.ThreadingHTTPServer, type[_LosesAnswers], str]:
    """A ``_LosesAnswers`` proxy to ``calendar``'s server, serving; and the calendar's URL
    through it."""
    origin, path = calendar.split("/", 3)[:3], "/" + calendar.split("/", 3)[3]
    handler = type(
        "Handler", (_LosesAnswers,), {"upstream": "/".join(origin), "lose": set(), "fail": set()}
    )
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    return proxy, handler, f"http://127.0.0.1:{proxy.server_address[1]}{path}"


def test_the_next_version_after_an_update_left_unconfirmed_is_no_conflict(
    calendar: str, tmp_path: Path
) -> None:
    proxy, handler, through = _losing_proxy(calendar)
    try:
        channels = Channels(caldav=CaldavServer(through, USER, None, 5))
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        issue(meeting, "created", store=store, now=CREATED, channels=channels)
        # The server makes the update; neither its answer nor the GET's comes back.
        handler.lose = {"PUT", "GET"}
        moved = changed_meeting(store.get(meeting.id), now=CREATED, duration=60)
        with pytest.raises(IncompleteDeliveryError):
            issue(moved, "updated", store=store, now=CREATED, channels=channels)
        assert not handler.lose
        # The next version is issued (not a resend): the copy there is our own update.
        retitled = changed_meeting(store.get(meeting.id), now=CREATED, title="Retitled")
        done = issue(retitled, "updated", store=store, now=CREATED, channels=channels)
        # And so after one more lost update, for the cancellation.
        handler.lose = {"PUT", "GET"}
        again = changed_meeting(store.get(meeting.id), now=CREATED, title="Again")
        with pytest.raises(IncompleteDeliveryError):
            issue(again, "updated", store=store, now=CREATED, channels=channels)
        cancelled = cancelled_meeting(store.get(meeting.id), now=CREATED)
        gone = issue(cancelled, "cancelled", store=store, now=CREATED, channels=channels)
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert done.warnings == (ILLUSTRATIVE_NOTE,)  # no conflict, nothing taken over
    assert not done.meeting.undelivered
    assert gone.warnings == (ILLUSTRATIVE_NOTE,)
    assert _get(f"{calendar}{meeting.uid}.ics").status_code == 404
    assert gone.meeting.publication is None and not gone.meeting.undelivered


def test_an_event_edited_on_the_server_after_a_put_left_unconfirmed_is_a_conflict(
    calendar: str, tmp_path: Path
) -> None:
    proxy, handler, through = _losing_proxy(calendar)
    try:
        channels = Channels(caldav=CaldavServer(through, USER, None, 5))
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        issue(meeting, "created", store=store, now=CREATED, channels=channels)
        handler.lose = {"PUT", "GET"}
        moved = changed_meeting(store.get(meeting.id), now=CREATED, duration=60)
        with pytest.raises(IncompleteDeliveryError):
            issue(moved, "updated", store=store, now=CREATED, channels=channels)
        # Someone edits the update the server made, in their calendar.
        event = f"{calendar}{meeting.uid}.ics"
        edited = _get(event).content.replace(b"SUMMARY:", b"SUMMARY:Moved: ")
        assert httpx.put(event, content=edited, auth=(USER, "")).is_success
        retitled = changed_meeting(store.get(meeting.id), now=CREATED, title="Retitled")
        with pytest.raises(IncompleteDeliveryError) as raised:
            issue(retitled, "updated", store=store, now=CREATED, channels=channels)
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert raised.value.conflict
    assert b"SUMMARY:Moved: " in _get(event).content


def test_a_put_left_unconfirmed_is_remembered_by_the_versions_issued_without_caldav(
    calendar: str, tmp_path: Path
) -> None:
    proxy, handler, through = _losing_proxy(calendar)
    try:
        channels = Channels(caldav=CaldavServer(through, USER, None, 5))
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        handler.lose = {"PUT", "GET"}  # the server creates it, and nobody hears of it
        with pytest.raises(IncompleteDeliveryError):
            issue(meeting, "created", store=store, now=CREATED, channels=channels)
        event = f"{calendar}{meeting.uid}.ics"
        assert _get(event).status_code == 200
        # The next version goes without CalDAV (by e-mail, say; here to a file).
        moved = changed_meeting(store.get(meeting.id), now=CREATED, duration=60)
        issue(moved, "updated", store=store, now=CREATED, channels=Channels(out=tmp_path / "m.ics"))
        # Cancelled without CalDAV, the result says the calendar may still show it...
        cancelled = cancelled_meeting(store.get(meeting.id), now=CREATED)
        first = issue(cancelled, "cancelled", store=store, now=CREATED)
        assert first.calendar_behind == f"{through}{meeting.uid}.ics"
        # ... and with CalDAV, the cancellation removes it.
        cancel(store.get(meeting.id), store=store, now=CREATED, channels=channels)
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert _get(event).status_code == 404
    assert not store.get(meeting.id).undelivered


def test_an_update_left_unconfirmed_then_one_without_caldav_is_no_conflict_after(
    calendar: str, tmp_path: Path
) -> None:
    proxy, handler, through = _losing_proxy(calendar)
    try:
        channels = Channels(caldav=CaldavServer(through, USER, None, 5))
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        issue(meeting, "created", store=store, now=CREATED, channels=channels)
        handler.lose = {"PUT", "GET"}
        moved = changed_meeting(store.get(meeting.id), now=CREATED, duration=60)
        with pytest.raises(IncompleteDeliveryError):
            issue(moved, "updated", store=store, now=CREATED, channels=channels)
        # One version without CalDAV, the next with it.
        titled = changed_meeting(store.get(meeting.id), now=CREATED, title="Retitled")
        issue(titled, "updated", store=store, now=CREATED)
        longer = changed_meeting(store.get(meeting.id), now=CREATED, duration=90)
        done = issue(longer, "updated", store=store, now=CREATED, channels=channels)
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert done.warnings == (ILLUSTRATIVE_NOTE,)
    stored = icalendar.Calendar.from_ical(_get(f"{calendar}{meeting.uid}.ics").content)
    assert stored.walk("VEVENT")[0]["SEQUENCE"] == 3
    assert not done.meeting.undelivered


def test_a_put_left_unconfirmed_in_one_calendar_keeps_the_meeting_from_another(
    calendar: str, radicale: str, tmp_path: Path
) -> None:
    other = f"{radicale}/{USER}/{uuid.uuid4().hex}/"
    assert httpx.request("MKCALENDAR", other, auth=(USER, ""), timeout=5).status_code == 201
    elsewhere = Channels(caldav=CaldavServer(other, USER, None, 5))
    proxy, handler, through = _losing_proxy(calendar)
    try:
        channels = Channels(caldav=CaldavServer(through, USER, None, 5))
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        handler.lose = {"PUT", "GET"}  # the first calendar holds it; nobody heard of it
        with pytest.raises(IncompleteDeliveryError):
            issue(meeting, "created", store=store, now=CREATED, channels=channels)
        event = f"{calendar}{meeting.uid}.ics"
        assert _get(event).status_code == 200
        # Sent again, or changed, to another calendar: refused, naming the first.
        with pytest.raises(MeetingError) as refused:
            resend(store.get(meeting.id), store=store, now=CREATED, channels=elsewhere)
        assert refused.value.field == "publish"
        moved = changed_meeting(store.get(meeting.id), now=CREATED, duration=60)
        with pytest.raises(MeetingError) as refused:
            issue(moved, "updated", store=store, now=CREATED, channels=elsewhere)
        assert refused.value.field == "publish"
        assert _get(f"{other}{meeting.uid}.ics").status_code == 404
        # The first calendar's copy is still known: the cancellation removes it.
        cancel(store.get(meeting.id), store=store, now=CREATED, channels=channels)
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert _get(event).status_code == 404
    assert _get(f"{other}{meeting.uid}.ics").status_code == 404


def test_a_put_the_server_made_and_answered_500_is_found_there_and_the_next_goes_through(
    calendar: str, tmp_path: Path
) -> None:
    proxy, handler, through = _losing_proxy(calendar)
    try:
        channels = Channels(caldav=CaldavServer(through, USER, None, 5))
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        event = f"{calendar}{meeting.uid}.ics"
        # The server stores the event, then answers 500: this very version is there.
        handler.fail = {"PUT"}
        created = issue(meeting, "created", store=store, now=CREATED, channels=channels)
        assert not handler.fail
        assert created.meeting.publication == Publication(
            f"{through}{meeting.uid}.ics", _get(event).headers["ETag"]
        )
        assert not store.get(meeting.id).undelivered
        # An update stored, then answered 500: the same, and the next update is no conflict.
        handler.fail = {"PUT"}
        moved = changed_meeting(created.meeting, now=CREATED, duration=60)
        issue(moved, "updated", store=store, now=CREATED, channels=channels)
        assert not handler.fail
        again = changed_meeting(store.get(meeting.id), now=CREATED, duration=45)
        done = issue(again, "updated", store=store, now=CREATED, channels=channels)
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert done.warnings == (ILLUSTRATIVE_NOTE,)
    assert not done.meeting.undelivered
    assert _events(calendar) == {meeting.uid: 2}


def test_a_put_answered_500_that_cannot_be_looked_for_is_removed_when_cancelled(
    calendar: str, tmp_path: Path
) -> None:
    proxy, handler, through = _losing_proxy(calendar)
    try:
        channels = Channels(caldav=CaldavServer(through, USER, None, 5))
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        event = f"{calendar}{meeting.uid}.ics"
        # Stored, then 500; and the GET asking for it fails too: it may be there.
        handler.fail = {"PUT", "GET"}
        with pytest.raises(IncompleteDeliveryError):
            issue(meeting, "created", store=store, now=CREATED, channels=channels)
        assert _get(event).status_code == 200
        (put,) = store.get(meeting.id).deliveries
        assert (put.channel, put.to, put.state) == (
            "caldav",
            f"{through}{meeting.uid}.ics",
            "unconfirmed",
        )
        # Resent: the event is taken as this meeting's, not made twice.
        resent = resend(store.get(meeting.id), store=store, now=CREATED, channels=channels)
        assert not resent.meeting.undelivered
        assert _events(calendar) == {meeting.uid: 0}
        # The same again (stored, 500, lost look), then cancelled: the event is removed.
        handler.fail = {"PUT", "GET"}
        moved = changed_meeting(resent.meeting, now=CREATED, duration=60)
        with pytest.raises(IncompleteDeliveryError):
            issue(moved, "updated", store=store, now=CREATED, channels=channels)
        cancel(store.get(meeting.id), store=store, now=CREATED, channels=channels)
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert _get(event).status_code == 404
    assert store.get(meeting.id).publication is None


def test_a_removal_the_server_made_and_answered_500_is_recorded_as_done(
    calendar: str, tmp_path: Path
) -> None:
    proxy, handler, through = _losing_proxy(calendar)
    try:
        channels = Channels(caldav=CaldavServer(through, USER, None, 5))
        store = MeetingStore(tmp_path)
        meeting = issue(
            recorded_sample(store), "created", store=store, now=CREATED, channels=channels
        ).meeting
        # The server removes the event, then answers 500: it is gone, as asked.
        handler.fail = {"DELETE"}
        done = cancel(meeting, store=store, now=CREATED, channels=channels)
        assert not handler.fail
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert _events(calendar) == {}
    assert done.meeting.publication is None and not done.meeting.undelivered


def test_a_collection_that_is_not_a_calendar_is_refused_before_anything_is_put_there(
    radicale: str, tmp_path: Path
) -> None:
    # The user's own folder (a principal), given where its calendar's URL belongs: a lenient
    # server would keep the event there, where no calendar shows it.
    store = MeetingStore(tmp_path)
    for collection in (f"{radicale}/{USER}/", f"{radicale}/"):  # and the server's root
        meeting = recorded_sample(store, uid_factory=uuid.uuid4)
        with pytest.raises(DeliveryError) as raised:
            issue(
                meeting,
                "created",
                store=store,
                now=CREATED,
                channels=Channels(caldav=CaldavServer(collection, USER, None, 5)),
            )
        assert collection in raised.value.reason
        assert _get(f"{collection}{meeting.uid}.ics").status_code == 404
        (failed,) = store.get(meeting.id).deliveries
        assert (failed.channel, failed.state) == ("caldav", "failed")


@pytest.mark.parametrize(
    ("kinds", "a_calendar"),
    [
        ('<D:collection/><C:calendar xmlns:C="urn:ietf:params:xml:ns:caldav"/>', True),
        # A proxy group of Apple's servers, and an element named "calendar" in another
        # namespace: neither is CalDAV's calendar.
        ('<D:collection/><S:calendar-proxy-read xmlns:S="http://calendarserver.org/ns/"/>', False),
        ('<D:collection/><X:calendar xmlns:X="urn:example:other"/>', False),
        ("<D:collection/>", False),
    ],
)
def test_a_collection_is_a_calendar_only_by_caldavs_own_element(
    kinds: str, a_calendar: bool
) -> None:
    # Resource types Radicale never answers with: a scripted answer stands in for the server.
    from somnet.meetings.caldav import CaldavServer, _check_calendar_collection

    answer = (
        '<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>/c/</D:href>'
        f"<D:propstat><D:prop><D:resourcetype>{kinds}</D:resourcetype></D:prop>"
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>"
    )

    def reply(request: httpx.Request) -> httpx.Response:
        assert request.method == "PROPFIND"
        return httpx.Response(207, content=answer.encode())

    server = CaldavServer("http://127.0.0.1:9/c/", None, None, 5)
    with httpx.Client(transport=httpx.MockTransport(reply)) as client:
        if a_calendar:
            _check_calendar_collection(server, client, "http://127.0.0.1:9/c/")
        else:
            with pytest.raises(DeliveryError):
                _check_calendar_collection(server, client, "http://127.0.0.1:9/c/")


def test_what_a_failed_run_did_carries_the_warnings_a_success_would(tmp_path: Path) -> None:
    # `--format json` prints a failed run's document (the attendees' illustrative addresses
    # included): it said nothing of their being made up, which a success's document says.
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    assert any(p.illustrative for p in meeting.attendees)
    server = CaldavServer(f"http://127.0.0.1:{free_port()}/cal/", USER, None, 2)
    with pytest.raises(IncompleteDeliveryError) as failed:
        issue(meeting, "created", store=store, now=CREATED, channels=Channels(caldav=server))
    assert failed.value.issued is not None
    assert failed.value.issued.warnings == (ILLUSTRATIVE_NOTE,)
    assert failed.value.issued.error == str(failed.value)


@pytest.mark.parametrize("readable", [True, False])
@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_a_multistatus_that_reports_a_failure_is_no_success(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path, method: str, readable: bool
) -> None:
    """A 207 to a PUT or a DELETE says in its body what became of the event: one that says
    423 Locked is a failure, recorded as such, not an event put there or removed (a removal
    taken for done would leave the meeting on the calendar with nothing left to remove it);
    so is one whose body cannot be read."""
    url, handler = scripted
    handler.answers["PUT"] = (201, {"ETag": '"1"'})
    handler.answers["GET"] = (404, {})
    store = MeetingStore(tmp_path)
    channels = Channels(caldav=CaldavServer(url, None, None, 5))
    meeting = recorded_sample(store)
    event = f"{url}{meeting.uid}.ics"
    multistatus = (
        '<?xml version="1.0" encoding="utf-8"?><D:multistatus xmlns:D="DAV:"><D:response>'
        f"<D:href>{event}</D:href><D:status>HTTP/1.1 423 Locked</D:status>"
        "</D:response></D:multistatus>"
    ).encode()
    handler.answers[method] = (207, {"Content-Type": "application/xml; charset=utf-8"})
    handler.bodies[method] = multistatus if readable else b"<D:multistatus"
    said = "423 Locked" if readable else "with no status that can be read"
    if method == "DELETE":
        meeting = issue(meeting, "created", store=store, now=CREATED, channels=channels).meeting
    with pytest.raises(IncompleteDeliveryError, match=said) as raised:
        cancel(meeting, store=store, now=CREATED, channels=channels) if method == "DELETE" else (
            issue(meeting, "created", store=store, now=CREATED, channels=channels)
        )
    assert f"meeting {meeting.id} is recorded" in raised.value.reason
    recorded = store.get(meeting.id)
    (failed,) = recorded.undelivered
    assert (failed.channel, failed.to, failed.state) == ("caldav", event, "failed")
    assert recorded.publication == (Publication(event, '"1"') if method == "DELETE" else None)


class _Dripping(http.server.BaseHTTPRequestHandler):
    """A CalDAV server that takes a PUT, then sends its answer a byte at a time, each well
    within the client's timeout: in its headers, or in a body that would take long to end."""

    where: ClassVar[str] = "body"
    puts: ClassVar[int] = 0

    def do_PUT(self) -> None:
        import time

        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).puts += 1
        head = b'HTTP/1.1 201 Created\r\nETag: "1"\r\n'
        slow = b"X-Slow: " + b"." * 60 + b"\r\n"
        body = b"." * 60
        if self.where == "headers":
            self.wfile.write(head)
            dripped, rest = slow, b"Content-Length: 0\r\n\r\n"
        else:
            self.wfile.write(head + f"Content-Length: {len(body)}\r\n\r\n".encode())
            dripped, rest = body, b""
        try:
            for byte in dripped:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.25)
            self.wfile.write(rest)
        except OSError:
            pass  # the client gave up

    def do_PROPFIND(self) -> None:
        self.send_response(501)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.parametrize("where", ["headers", "body"])
def test_an_answer_dripped_a_byte_at_a_time_ends_at_the_timeout(tmp_path: Path, where: str) -> None:
    """The timeout bounds the whole answer, not each wait for a byte: a server that drips
    its answer is given up on at the timeout, and the PUT, which went whole, is recorded as
    unconfirmed (the server may hold the event), not published and not failed."""
    handler = type("Handler", (_Dripping,), {"where": where, "puts": 0})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/cal/"
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    try:
        with pytest.raises(IncompleteDeliveryError) as raised:
            issue(
                meeting,
                "created",
                store=store,
                now=CREATED,
                channels=Channels(caldav=CaldavServer(url, None, None, 1)),
            )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert "did not answer PUT within 1 s" in raised.value.reason, raised.value.reason
    assert handler.puts == 1
    recorded = store.get(meeting.id)
    assert recorded.publication is None
    assert [d.state for d in recorded.deliveries] == ["unconfirmed"]


@pytest.mark.parametrize(
    ("challenge", "said"),
    [
        ("Negotiate", "it asks for a login by Negotiate"),
        ('Digest realm="cal", nonce="1", qop="auth"', "it asks for a login by Digest"),
        ('Bearer realm="cal", Negotiate', "it asks for a login by Bearer, Negotiate"),
        ('Basic realm="cal"', "check the CalDAV user name and the password in"),
    ],
)
def test_a_login_the_client_cannot_give_is_named_not_blamed_on_the_password(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path, challenge: str, said: str
) -> None:
    """A 401 whose WWW-Authenticate offers no scheme somnet speaks (it logs in with Basic)
    says so: checking the password would not help. A Basic challenge is about the login."""
    url, handler = scripted
    handler.answers["PUT"] = (401, {"WWW-Authenticate": challenge})
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    with pytest.raises(IncompleteDeliveryError) as raised:
        issue(
            meeting,
            "created",
            store=store,
            now=CREATED,
            channels=Channels(caldav=CaldavServer(url, USER, "secret", 5)),
        )
    assert said in raised.value.reason, raised.value.reason
    assert [d.state for d in store.get(meeting.id).deliveries] == ["failed"]


def test_a_basic_login_asked_when_no_user_was_given_says_so_naming_the_user_field(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path
) -> None:
    """A 401 asking for Basic when no user was given asked to check the user name and the
    password: there was none to check. It says no user was given, naming the field."""
    url, handler = scripted
    handler.answers["PUT"] = (401, {"WWW-Authenticate": 'Basic realm="cal"'})
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    with pytest.raises(IncompleteDeliveryError) as raised:
        issue(
            meeting,
            "created",
            store=store,
            now=CREATED,
            channels=Channels(caldav=CaldavServer(url, None, None, 5)),
        )
    assert (
        f"CalDAV server answered 401 Unauthorized to PUT {url}{meeting.uid}.ics: it asks for a "
        "login, and no CalDAV user was given (nor in the address or SOMNET_CALDAV_USER; its "
        "password would be read from SOMNET_CALDAV_PASSWORD)"
    ) in raised.value.reason, raised.value.reason
    assert "check the CalDAV user name" not in raised.value.reason
    assert raised.value.field == "caldav_user"
    assert [d.state for d in store.get(meeting.id).deliveries] == ["failed"]


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_a_change_forbidden_when_no_user_was_given_says_so_naming_the_user_field(
    scripted: tuple[str, type[_Scripted]], method: str
) -> None:
    """A 403 to a client that gave no login asked to check the user name and the password:
    there was none of either. It says the server refuses that to a client with no login,
    naming the field that was left out."""
    url, handler = scripted
    handler.answers[method] = (403, {})
    server = CaldavServer(url, None, None, 5)
    event = f"{url}event.ics"
    with pytest.raises(DeliveryError) as raised:
        if method == "PUT":
            caldav_put(server, "event", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", previous=None)
        else:
            caldav_delete(server, Publication(event, '"1"'), uid="event")
    assert raised.value.reason == (
        f"CalDAV server answered 403 Forbidden to {method} {event}: it refuses that to a "
        "client that gave no login, and no CalDAV user was given (nor in the address or "
        "SOMNET_CALDAV_USER): give one it lets do that (its password would be read from "
        "SOMNET_CALDAV_PASSWORD)"
    )
    assert "check the CalDAV user name" not in raised.value.reason
    assert raised.value.field == "caldav_user"


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("http://cal:s3cret@127.0.0.1:9/cal/e.ics", "http://127.0.0.1:9/cal/e.ics, which somnet"),
        ("http://cal:s3cret@[::1/cal/e.ics", "'http://[::1/cal/e.ics', which is not a URL"),
    ],
)
def test_a_redirect_whose_location_carries_a_password_never_shows_it(
    scripted: tuple[str, type[_Scripted]], location: str, shown: str
) -> None:
    """A PUT answered 307 to an address with a user and password in it (a URL, or text that
    is none): the error named the address as the server wrote it, password and all, on the
    terminal and in the record."""
    url, handler = scripted
    handler.answers["PUT"] = (307, {"Location": location})
    server = CaldavServer(url, None, None, 5)
    with pytest.raises(DeliveryError) as raised:
        caldav_put(server, "event", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", previous=None)
    assert "s3cret" not in str(raised.value), raised.value
    assert f"it redirects to {shown}" in str(raised.value), raised.value


@pytest.mark.parametrize("follows", [False, True])
def test_a_redirect_to_another_server_is_not_followed_whatever_the_client_given(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path, follows: bool
) -> None:
    """A PUT redirected (307) to another server is not sent there, with or without the
    login, even through an HTTP client given that follows redirects: the event would be put
    where the record does not say, by a server nobody named."""
    url, handler = scripted
    other = type("Other", (_Scripted,), {"answers": {}, "bodies": {}, "seen": []})
    other.answers = {"PUT": (201, {"ETag": '"elsewhere"'}), "GET": (404, {})}
    elsewhere = http.server.ThreadingHTTPServer(("127.0.0.1", 0), other)
    thread = threading.Thread(target=elsewhere.serve_forever, daemon=True)
    thread.start()
    target = f"http://127.0.0.1:{elsewhere.server_address[1]}/cal/event.ics"
    handler.answers["PUT"] = (307, {"Location": target})
    handler.answers["GET"] = (404, {})
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    client = httpx.Client(follow_redirects=follows, timeout=5)
    try:
        with pytest.raises(IncompleteDeliveryError, match="which somnet does not follow"):
            issue(
                meeting,
                "created",
                store=store,
                now=CREATED,
                channels=Channels(caldav=CaldavServer(url, USER, "secret", 5), http_client=client),
            )
    finally:
        client.close()
        elsewhere.shutdown()
        elsewhere.server_close()
        thread.join(5)
    assert other.seen == []
    assert [m for m, _h in handler.seen].count("PUT") == 1
    assert store.get(meeting.id).publication is None


@pytest.mark.parametrize("then", ["update", "cancel"])
def test_an_update_put_on_the_calendar_by_a_run_killed_before_recording_it_is_no_conflict(
    calendar: str, tmp_path: Path, then: str
) -> None:
    """A run killed (kill -9) once the server made its update (PUT answered 204) and before
    the record said so: the calendar holds that version, which the record does not know.
    The next change (another update, or the cancellation) finds it as somnet's own, not as
    an event changed on the server, and replaces (or removes) it without --force."""
    import signal
    import subprocess
    import sys

    store = MeetingStore(tmp_path / "store")
    server = CaldavServer(calendar, USER, None, 5)
    meeting = issue(
        recorded_sample(store),
        "created",
        store=store,
        now=CREATED,
        channels=Channels(caldav=server),
    ).meeting
    # The update's record is saved once with its PUT pending, then after the server's answer:
    # the run is killed there, before that second save.
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from somnet import CaldavServer, Channels, MeetingStore, issue\n"
        "from somnet.meetings import issuing\n"
        "from somnet.meetings.lifecycle import changed_meeting\n"
        "from tests.meeting_fixtures import CREATED\n"
        "saves = []\n"
        "real = issuing._Record.save\n"
        "def save(self):\n"
        "    saves.append(1)\n"
        "    if len(saves) == 2:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real(self)\n"
        "issuing._Record.save = save\n"
        "store = MeetingStore(Path(sys.argv[1]))\n"
        "(meeting,) = store.all()\n"
        "moved = changed_meeting(meeting, now=CREATED, duration=60)\n"
        "server = CaldavServer(sys.argv[2], 'somnet', None, 5)\n"
        "issue(moved, 'updated', store=store, now=CREATED, channels=Channels(caldav=server))\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, str(store.root), calendar],
        cwd=Path(__file__).parent.parent,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    recorded = store.get(meeting.id)
    assert recorded.sequence == 1 and [d.state for d in recorded.deliveries] == ["pending"]
    assert meeting.publication is not None
    url = meeting.publication.url
    assert b"SEQUENCE:1" in _get(url).content  # made on the server, unknown to the record
    if then == "update":
        done = issue(
            changed_meeting(recorded, now=CREATED, title="Moved"),
            "updated",
            store=store,
            now=CREATED,
            channels=Channels(caldav=server),
        )
        assert b"SUMMARY:Moved" in _get(url).content
    else:
        done = cancel(recorded, store=store, now=CREATED, channels=Channels(caldav=server))
        assert _get(url).status_code == 404
    assert done.warnings == (ILLUSTRATIVE_NOTE,)  # no conflict, nothing taken over
    assert not store.get(meeting.id).undelivered


class _Late(threading.Timer):
    """A timer whose limit has passed when it starts, from the ``first`` one made: what a
    request meets whose server name took the whole timeout to resolve (the connect timeout
    does not bound the lookup)."""

    first: ClassVar[int] = 0
    made: ClassVar[int] = 0

    def start(self) -> None:
        type(self).made += 1
        if type(self).made > self.first:
            self.function(*self.args, **self.kwargs)
            self.finished.set()
        super().start()


@pytest.mark.parametrize("listening", [False, True])
def test_a_put_the_limit_overtook_before_it_was_sent_is_failed_not_unanswered(
    scripted: tuple[str, type[_Scripted]], monkeypatch: pytest.MonkeyPatch, listening: bool
) -> None:
    """The limit on the whole answer passed before the request went (the server's name took
    the whole timeout to resolve): refused at connect, the server cannot be reached;
    connected only then, the connection is shut down before a byte of the request is sent.
    Either way the server has nothing: a PUT failed, and is not one the server may have
    acted on (``UnansweredError``, recorded as unconfirmed)."""
    from somnet.meetings.caldav import UnansweredError

    url, handler = scripted
    handler.answers["PUT"] = (201, {"ETag": '"1"'})
    if not listening:
        url = f"http://127.0.0.1:{free_port()}/cal/"
    # Listening, the PROPFIND before the PUT is answered in time (501: not asked again).
    late = type("Late", (_Late,), {"first": 1 if listening else 0, "made": 0})
    monkeypatch.setattr(threading, "Timer", late)
    ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    with pytest.raises(DeliveryError) as raised:
        caldav_put(CaldavServer(url, None, None, 5), "event", ics, previous=None)
    assert not isinstance(raised.value, UnansweredError), raised.value
    said = "did not answer PUT within 5 s" if listening else "cannot be reached"
    assert said in raised.value.reason, raised.value.reason
    assert [method for method, _headers in handler.seen if method == "PUT"] == []


def test_a_server_built_with_a_user_in_its_collection_publishes_as_its_factory_would(
    calendar: str, tmp_path: Path
) -> None:
    """``caldav_server`` takes the user out of the collection's URL and logs in as them; a
    CaldavServer built directly kept ``user@`` in the URL it published to, recorded and
    showed (the login went only as httpx read it from there). It builds what its factory
    builds: the same collection, the same login, and records the event's URL without it."""
    from somnet import caldav_server

    written = calendar.replace("://", f"://{USER}@").removesuffix("/")
    server = CaldavServer(written, None, None, 5)
    assert server == caldav_server(written, timeout=5, environ={})
    assert (server.collection, server.user) == (calendar, USER)
    assert f"{USER}@" not in repr(server)
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    created = issue(
        meeting, "created", store=store, now=CREATED, channels=Channels(caldav=server)
    ).meeting
    assert created.publication is not None
    assert created.publication.url == f"{calendar}{meeting.uid}.ics"
    assert f"{USER}@" not in store.path(meeting.id).read_text(encoding="utf-8")
