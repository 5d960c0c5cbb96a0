"""Delivery against real servers on loopback: iMIP to an aiosmtpd server (plain, STARTTLS with
login), CalDAV to a Radicale started for these tests; and every failure a user can meet:
refused, silent (timeout), an error status, a changed ETag. A failed delivery leaves the
meeting's record as it was.
"""

from __future__ import annotations

import email
import email.policy
import http.server
import json
import re
import shlex
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import attrs
import httpx
import icalendar
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from somnet import DeliveryError, Directory, MeetingError
from somnet.meetings.delivery import (
    CaldavServer,
    SmtpServer,
    caldav_server,
    smtp_server,
)
from somnet.meetings.invites import calendar_bytes, cancelled_meeting, changed_meeting, issue
from somnet.meetings.store import Meeting, MeetingStore
from tests.cli import run
from tests.test_invites import CREATED, _meeting, parse_both
from tests.test_meetings import meeting_clock, region  # noqa: F401 - fixtures used here

USER = "somnet"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word (for timeouts)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


# A real SMTP server ---------------------------------------------------------------------------


@dataclass
class Inbox:
    """What the SMTP server received."""

    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[email.message.EmailMessage]:
        parsed = []
        for envelope in self.envelopes:
            content = envelope.original_content or b""
            parsed.append(email.message_from_bytes(content, policy=email.policy.default))
        return parsed  # type: ignore[return-value]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made for these tests."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _authenticator(
    server: SMTPServer, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        b"officer",
        b"correct horse",
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


@pytest.fixture
def smtp_tls(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int, ssl.SSLContext]]:
    """An SMTP server that requires STARTTLS and a login; and a client context trusting it."""
    cert_file, key_file = certificate
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_file, key_file)
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=server_context,
        require_starttls=True,
        authenticator=_authenticator,
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield inbox, port, ssl.create_default_context(cafile=str(cert_file))
    finally:
        controller.stop()


# A real CalDAV server -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def radicale_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Radicale on loopback: its base URL, and the folder its collections are stored in."""
    folder = tmp_path_factory.mktemp("radicale")
    port = free_port()
    log = (folder / "radicale.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--config=",
            f"--storage-filesystem-folder={folder / 'collections'}",
            "--auth-type=none",
            f"--server-hosts=127.0.0.1:{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                pytest.fail(f"Radicale exited: {(folder / 'radicale.log').read_text()}")
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail("Radicale did not start within 20 s")
                time.sleep(0.1)
        yield base, folder / "collections" / "collection-root"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def radicale(radicale_server: tuple[str, Path]) -> str:
    return radicale_server[0]


def storage_of(radicale_server: tuple[str, Path], calendar: str) -> Path:
    """The folder where Radicale stores the collection at the URL ``calendar``."""
    base, root = radicale_server
    return root / calendar.removeprefix(base).strip("/")


@pytest.fixture
def calendar(radicale: str) -> str:
    """A new, empty calendar collection (MKCALENDAR) for one test."""
    url = f"{radicale}/{USER}/{uuid.uuid4().hex}/"
    response = httpx.request("MKCALENDAR", url, auth=(USER, ""), timeout=5)
    assert response.status_code == 201, response.text
    return url


def _get(url: str) -> httpx.Response:
    return httpx.get(url, auth=(USER, ""), timeout=5)


def _new(store: MeetingStore, **changes: Any) -> Meeting:
    return _meeting(meeting_id=store.new_id, **changes)


def _record_bytes(store: MeetingStore, meeting: Meeting) -> bytes:
    return store.path(meeting.id).read_bytes()


# iMIP ----------------------------------------------------------------------------------------


def calendar_part(message: email.message.EmailMessage) -> email.message.EmailMessage:
    """The inline text/calendar part of an iMIP message."""
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return part  # type: ignore[return-value]


def test_an_imip_request_has_the_method_outside_and_inside_and_the_ics_attached(
    smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp
    store = MeetingStore(tmp_path)
    meeting = _new(store)
    issued = issue(meeting, "created", store=store, now=CREATED, smtp=SmtpServer("127.0.0.1", port))
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "unodc-rop@example.org"
    assert envelope.rcpt_tos == [p.email for p in meeting.attendees]
    (message,) = inbox.messages()
    raw = envelope.original_content or b""
    head = raw.split(b"\r\n\r\n")[0]
    # Outlook's mark of an invite, on the message itself (set_content used to drop it).
    assert b"\r\nContent-Class: urn:content-classes:calendarmessage" in head
    assert message["Subject"].startswith("Invitation: Regional coordination meeting")
    assert message["Message-ID"] == f"<{meeting.uid}.0.request.0@example.org>"
    assert message["Date"] == "Fri, 27 Nov 2026 12:00:00 +0000"
    # As Gmail and Outlook send them: the invite inline, and attached as invite.ics.
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    text, inline = alternative.iter_parts()
    assert text.get_content_type() == "text/plain"
    assert "invites you to this meeting" in text.get_content()
    assert "- PA Mon 15 Mar 09:00-10:30 (America/Panama)" in text.get_content()
    assert inline.get_content_type() == "text/calendar"
    assert inline.get_param("method") == "REQUEST"
    assert inline.get_content_charset() == "utf-8"
    # Upper case and unquoted, as in RFC 6047's examples.
    assert b'Content-Type: text/calendar; charset="utf-8"; method=REQUEST\r\n' in raw
    assert inline.get_payload(decode=True) == issued.ics
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_payload(decode=True) == issued.ics
    ours, theirs = parse_both(issued.ics)
    assert ours["METHOD"] == "REQUEST" == theirs.method.value
    assert issued.meeting.history[-1].delivered == (
        f"smtp:127.0.0.1:{port} to {', '.join(p.email for p in meeting.attendees)}",
    )


def test_one_message_per_attendee_and_a_cancel_says_cancel(
    smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp
    store = MeetingStore(tmp_path)
    server = SmtpServer("127.0.0.1", port, per_attendee=True)
    meeting = _new(store)
    issue(meeting, "created", store=store, now=CREATED, smtp=server)
    assert [e.rcpt_tos for e in inbox.envelopes] == [[p.email] for p in meeting.attendees]
    inbox.envelopes.clear()
    cancelled = cancelled_meeting(store.get(meeting.id), now=CREATED + timedelta(days=1))
    issue(cancelled, "cancelled", store=store, now=CREATED + timedelta(days=1), smtp=server)
    for message in inbox.messages():
        assert message["Subject"].startswith("Cancelled: ")
        part = calendar_part(message)
        assert part.get_param("method") == "CANCEL"
        ours, _ = parse_both(part.get_payload(decode=True))
        event = ours.walk("VEVENT")[0]
        assert (ours["METHOD"], event["STATUS"], event["SEQUENCE"]) == ("CANCEL", "CANCELLED", 1)
        assert len(event["ATTENDEE"]) == len(meeting.attendees)


NAMES = [
    "MIREX, dirección de asuntos consulares",
    'Desk "Caribe", Cancillería',
    "O'Brien, Ministry of Foreign Affairs",
    "Ministère des Affaires étrangères",
    "",
    # Longer than one encoded word can hold (75 characters), and longer than a line.
    "Dirección de Asuntos Jurídicos — Cancillería de la República de Panamá, "
    "Oficina de Coordinación",
    "A desk with a long name, Ministry of Foreign Affairs and Worship of Somewhere",
    "=?utf-8?q?not_encoded?= é",
    "=?utf-8?q?not_encoded?=",
    "Line\nbreak",
]


def _rfc2047_names(header: str) -> list[tuple[str, str]]:
    """The (name, address) pairs of a raw address header, unfolded and decoded as RFC 2047
    says (white space between two adjacent encoded words ignored), as mail clients read it."""
    from email.header import decode_header, make_header
    from email.utils import getaddresses

    unfolded = re.sub(r"\r?\n(?=[ \t])", "", header)
    return [(str(make_header(decode_header(n))), a) for n, a in getaddresses([unfolded])]


@pytest.mark.parametrize("per_attendee", [False, True])
def test_names_with_commas_accents_and_quotes_reach_the_headers_whole(
    smtp: tuple[Inbox, int], tmp_path: Path, per_attendee: bool
) -> None:
    from somnet.meetings.invites import new_meeting
    from somnet.meetings.store import Person

    inbox, port = smtp
    store = MeetingStore(tmp_path)
    attendees = [Person(f"a{i}@example.org", name) for i, name in enumerate(NAMES)]
    organizer = Person("unodc-rop@example.org", "Oficina Regional, UNODC — Panamá")
    meeting = new_meeting(
        attendees,
        start=datetime(2027, 3, 15, 14, 0, tzinfo=UTC),
        duration=60,
        title="T",
        organizer=organizer,
        timezone="America/Panama",
        now=CREATED,
        meeting_id=store.new_id,
    )
    server = SmtpServer("127.0.0.1", port, per_attendee=per_attendee)
    issue(meeting, "created", store=store, now=CREATED, smtp=server)
    expected = [(" ".join(p.name.split()), p.email) for p in attendees]
    messages = inbox.messages()
    assert [(a.display_name, a.addr_spec) for m in messages for a in m["To"].addresses] == expected
    for message in messages:
        assert [(a.display_name, a.addr_spec) for a in message["From"].addresses] == [
            (organizer.name, organizer.email)
        ]
        assert not message["To"].defects and not message["From"].defects
    raw = [email.message_from_bytes(e.original_content or b"") for e in inbox.envelopes]
    assert [pair for m in raw for pair in _rfc2047_names(m["To"])] == expected
    assert {tuple(_rfc2047_names(m["From"])) for m in raw} == {((organizer.name, organizer.email),)}
    for envelope in inbox.envelopes:
        head = (envelope.original_content or b"").split(b"\r\n\r\n")[0]
        assert max(len(line) for line in head.split(b"\r\n")) <= 78
        assert all(len(word) <= 75 for word in re.findall(rb"=\?utf-8\?[qb]\?[^?]*\?=", head))


def test_starttls_and_login_with_the_password_from_the_environment(
    smtp_tls: tuple[Inbox, int, ssl.SSLContext], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port, client_context = smtp_tls
    monkeypatch.setenv("SOMNET_SMTP_PASSWORD", "correct horse")
    server = smtp_server(f"smtp://127.0.0.1:{port}", starttls=True, user="officer", timeout=5)
    assert "correct horse" not in repr(server)
    store = MeetingStore(tmp_path)
    meeting = _new(store)
    issue(meeting, "created", store=store, now=CREATED, smtp=server, ssl_context=client_context)
    assert len(inbox.envelopes) == 1

    monkeypatch.setenv("SOMNET_SMTP_PASSWORD", "wrong")
    wrong = smtp_server(f"smtp://127.0.0.1:{port}", starttls=True, user="officer", timeout=5)
    other = _new(store, uid_factory=uuid.uuid4)
    # The password message names where the password comes from.
    with pytest.raises(
        DeliveryError,
        match=r"refused the login of officer: 535 .*\(the password is read from "
        r"SOMNET_SMTP_PASSWORD\); nothing was delivered",
    ):
        issue(other, "created", store=store, now=CREATED, smtp=wrong, ssl_context=client_context)
    # Recorded before it was sent, and sent to nobody.
    recorded = store.get(other.id)
    assert {(d.to, d.state) for d in recorded.deliveries} == {
        (p.email, "failed") for p in other.attendees
    }
    assert len(inbox.envelopes) == 1

    plain = SmtpServer("127.0.0.1", port, timeout=5)
    with pytest.raises(DeliveryError, match="530"):
        issue(other, "created", store=store, now=CREATED, smtp=plain)


def test_an_unreachable_or_silent_smtp_server_leaves_the_version_recorded_as_not_sent(
    smtp: tuple[Inbox, int], tmp_path: Path, silent_port: int
) -> None:
    from somnet.meetings.invites import resend

    inbox, port = smtp
    store = MeetingStore(tmp_path)
    meeting = _new(store)
    issue(meeting, "created", store=store, now=CREATED, smtp=SmtpServer("127.0.0.1", port))
    moved = changed_meeting(store.get(meeting.id), now=CREATED, duration=60)
    refused = SmtpServer("127.0.0.1", free_port(), timeout=2)
    with pytest.raises(DeliveryError, match=r"refused the connection; nothing was delivered"):
        issue(moved, "updated", store=store, now=CREATED, smtp=refused)
    recorded = store.get(meeting.id)
    assert (recorded.sequence, recorded.duration) == (1, 60)
    assert {d.state for d in recorded.deliveries} == {"failed"}
    assert recorded.undelivered == recorded.deliveries
    silent = SmtpServer("127.0.0.1", silent_port, timeout=0.3)
    with pytest.raises(DeliveryError, match=r"did not answer within 0\.3 s"):
        resend(recorded, store=store, now=CREATED, smtp=silent)
    assert store.get(meeting.id).sequence == 1
    # Once the server answers, the same version goes out, once.
    resend(store.get(meeting.id), store=store, now=CREATED, smtp=SmtpServer("127.0.0.1", port))
    assert len(inbox.envelopes) == 2
    assert {d.state for d in store.get(meeting.id).deliveries} == {"delivered"}
    with pytest.raises(MeetingError, match="nothing to send"):
        resend(store.get(meeting.id), store=store, now=CREATED, smtp=SmtpServer("127.0.0.1", port))


def _folder(path: Path) -> dict[str, bytes]:
    """Every file in a folder (hidden ones too) and its bytes."""
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_a_failed_delivery_writes_the_recorded_version_to_out_and_a_resend_completes_it(
    smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    from somnet.meetings.invites import resend

    inbox, port = smtp
    store, folder = MeetingStore(tmp_path / "store"), tmp_path / "out"
    folder.mkdir()
    out = folder / "m.ics"
    meeting = _new(store)
    issue(meeting, "created", store=store, now=CREATED, out=out, smtp=SmtpServer("127.0.0.1", port))
    refused = SmtpServer("127.0.0.1", free_port(), timeout=2)
    later = CREATED + timedelta(hours=1)

    # A new time, and one attendee fewer: the version is recorded, its files written whole
    # (they are the invite of the recorded version, to hand on), nothing else left there.
    fewer = changed_meeting(meeting, now=later, duration=60, attendees=meeting.attendees[:3])
    removed = meeting.attendees[3:]
    with pytest.raises(DeliveryError, match="refused the connection") as raised:
        issue(fewer, "updated", store=store, now=later, out=out, smtp=refused, removed=removed)
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
        out=out,
        smtp=SmtpServer("127.0.0.1", port),
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
        issue(cancelled, "cancelled", store=store, now=later, out=folder / "c.ics", smtp=refused)
    assert sorted(_folder(folder)) == ["c.ics", "m-uninvite.ics", "m.ics"]
    assert store.get(meeting.id).status == "CANCELLED"


# CalDAV ---------------------------------------------------------------------------------------


def test_caldav_create_update_and_cancel_follow_the_etag(calendar: str, tmp_path: Path) -> None:
    store = MeetingStore(tmp_path)
    server = CaldavServer(calendar, USER, None, 5)
    meeting = _new(store)
    created = issue(meeting, "created", store=store, now=CREATED, caldav=server).meeting
    assert created.publication is not None
    url, etag = created.publication.url, created.publication.etag
    assert url == f"{calendar}{meeting.uid}.ics"
    stored = _get(url)
    assert stored.headers["ETag"] == etag
    ours, _ = parse_both(stored.content.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert "METHOD" not in ours
    assert str(ours.walk("VEVENT")[0]["UID"]) == meeting.uid

    # A creation never overwrites another event where its own would go (If-None-Match: *).
    other = _new(MeetingStore(tmp_path / "other"), uid_factory=lambda: "another-event")
    foreign = calendar_bytes(other, method=None, now=CREATED)
    assert httpx.delete(url, auth=(USER, ""), timeout=5).is_success
    assert httpx.put(url, content=foreign, auth=(USER, ""), timeout=5).is_success
    again = _new(MeetingStore(tmp_path / "other"))
    with pytest.raises(DeliveryError, match="already exists"):
        issue(again, "created", store=MeetingStore(tmp_path / "other"), now=CREATED, caldav=server)
    assert b"UID:another-event" in _get(url).content
    assert httpx.delete(url, auth=(USER, ""), timeout=5).is_success
    assert httpx.put(url, content=stored.content, auth=(USER, ""), timeout=5).is_success
    etag = _get(url).headers["ETag"]
    created = attrs.evolve(created, publication=attrs.evolve(created.publication, etag=etag))

    moved = changed_meeting(created, now=CREATED, start=datetime(2027, 3, 16, 14, tzinfo=UTC))
    updated = issue(moved, "updated", store=store, now=CREATED, caldav=server).meeting
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
        caldav=server,
    ).meeting
    assert cancelled.publication is None
    assert _get(url).status_code == 404
    assert store.get(meeting.id).status == "CANCELLED"


def test_a_publication_that_half_succeeded_is_completed_when_run_again(
    calendar: str, tmp_path: Path
) -> None:
    store = MeetingStore(tmp_path)
    server = CaldavServer(calendar, USER, None, 5)
    meeting = _new(store)
    url = f"{calendar}{meeting.uid}.ics"
    # An earlier run put the event there, then failed before recording it.
    earlier = calendar_bytes(attrs.evolve(meeting, title="As first put"), method=None, now=CREATED)
    assert httpx.put(url, content=earlier, auth=(USER, ""), timeout=5).is_success
    created = issue(meeting, "created", store=store, now=CREATED, caldav=server).meeting
    assert created.publication is not None and created.publication.url == url
    stored = _get(url)
    assert stored.headers["ETag"] == created.publication.etag
    event = icalendar.Calendar.from_ical(stored.content).walk("VEVENT")[0]
    assert (str(event["UID"]), str(event["SUMMARY"])) == (meeting.uid, meeting.title)
    assert store.get(meeting.id).publication == created.publication


def test_an_event_changed_on_the_server_is_not_overwritten_without_force(
    calendar: str, tmp_path: Path
) -> None:
    from somnet.meetings.delivery import IncompleteDeliveryError
    from somnet.meetings.invites import cancel, resend

    store = MeetingStore(tmp_path)
    server = CaldavServer(calendar, USER, None, 5)
    meeting = issue(_new(store), "created", store=store, now=CREATED, caldav=server).meeting
    assert meeting.publication is not None
    url = meeting.publication.url
    # Someone edits the event in their calendar client: its ETag changes.
    edited = _get(url).content.replace(b"TRANSP:OPAQUE", b"TRANSP:TRANSPARENT")
    response = httpx.put(url, content=edited, auth=(USER, ""), timeout=5)
    assert response.is_success
    moved = changed_meeting(meeting, now=CREATED, duration=60)
    with pytest.raises(IncompleteDeliveryError, match=r"changed on the server .*ETag mismatch"):
        issue(moved, "updated", store=store, now=CREATED, caldav=server)
    recorded = store.get(meeting.id)
    assert recorded.sequence == 1 and recorded.publication == meeting.publication
    (failed,) = recorded.undelivered
    assert (failed.channel, failed.to, failed.state) == ("caldav", url, "failed")
    assert b"TRANSP:TRANSPARENT" in _get(url).content

    # Cancelled, it is not removed either, until forced.
    with pytest.raises(IncompleteDeliveryError, match="it was not removed") as raised:
        cancel(recorded, store=store, now=CREATED, caldav=server)
    assert raised.value.conflict
    assert b"TRANSP:TRANSPARENT" in _get(url).content
    recorded = store.get(meeting.id)
    assert recorded.status == "CANCELLED" and recorded.publication is not None
    done = resend(recorded, store=store, now=CREATED, caldav=server, force=True)
    assert any("changed on the server" in w for w in done.warnings)
    assert _get(url).status_code == 404
    assert store.get(meeting.id).publication is None


def test_caldav_failures_are_recorded_and_say_nothing_was_delivered(
    radicale: str, tmp_path: Path, silent_port: int
) -> None:
    store = MeetingStore(tmp_path)
    cases = [
        (CaldavServer(f"{radicale}/{USER}/no-such-calendar/", USER, None, 5), r"answered 409"),
        # Radicale forbids events at its root.
        (
            CaldavServer(f"{radicale}/", USER, None, 5),
            r"answered 403 Forbidden .* --caldav-user and the password in SOMNET_CALDAV_PASSWORD",
        ),
        (CaldavServer(f"http://127.0.0.1:{free_port()}/cal/", USER, None, 2), "cannot be reached"),
        (CaldavServer(f"http://127.0.0.1:{silent_port}/cal/", None, None, 0.3), "within 0.3 s"),
    ]
    for server, message in cases:
        meeting = _new(store, uid_factory=uuid.uuid4)
        with pytest.raises(DeliveryError, match=message + ".*; nothing was delivered; not "):
            issue(meeting, "created", store=store, now=CREATED, caldav=server)
        (failed,) = store.get(meeting.id).deliveries
        assert (failed.channel, failed.state) == ("caldav", "failed")
        assert failed.reply is not None and re.search(message, failed.reply)


class _Scripted(http.server.BaseHTTPRequestHandler):
    """A loopback HTTP server answering PUT and GET as the test says: for the faults and
    quirks Radicale does not show (a 503, a PUT answered without an ETag)."""

    answers: ClassVar[dict[str, tuple[int, dict[str, str]]]] = {}
    seen: ClassVar[list[tuple[str, dict[str, str]]]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.seen.append((self.command, dict(self.headers)))
        status, headers = self.answers[self.command]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PUT = do_GET = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def scripted() -> Iterator[tuple[str, type[_Scripted]]]:
    handler = type("Handler", (_Scripted,), {"answers": {}, "seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/cal/", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_a_server_error_is_a_delivery_error(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path
) -> None:
    url, handler = scripted
    handler.answers["PUT"] = (503, {})
    store = MeetingStore(tmp_path)
    meeting = _new(store)
    with pytest.raises(DeliveryError, match=r"answered 503 Service Unavailable to PUT"):
        issue(meeting, "created", store=store, now=CREATED, caldav=CaldavServer(url, None, None, 5))
    assert [d.state for d in store.get(meeting.id).deliveries] == ["failed"]


def test_an_etag_missing_from_the_put_is_asked_for(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path
) -> None:
    url, handler = scripted
    handler.answers["PUT"] = (201, {})
    handler.answers["GET"] = (200, {"ETag": '"after-the-server-changed-it"'})
    store = MeetingStore(tmp_path)
    issued = issue(
        _new(store), "created", store=store, now=CREATED, caldav=CaldavServer(url, None, None, 5)
    )
    assert issued.meeting.publication is not None
    assert issued.meeting.publication.etag == '"after-the-server-changed-it"'
    (put, put_headers), (get, _) = handler.seen
    assert (put, get) == ("PUT", "GET")
    assert put_headers["If-None-Match"] == "*"
    assert put_headers["Content-Type"] == "text/calendar; charset=utf-8"


# Addresses and credentials --------------------------------------------------------------------


def test_passwords_come_from_the_environment_and_never_cross_the_network_in_clear() -> None:
    env = {"SOMNET_SMTP_PASSWORD": "s3cret", "SOMNET_CALDAV_PASSWORD": "s3cret"}
    server = smtp_server("smtps://officer@mail.example.org", environ=env)
    assert (server.security, server.port, server.user, server.password) == (
        "tls",
        465,
        "officer",
        "s3cret",
    )
    assert smtp_server("smtp://mail.example.org:587", starttls=True, environ={}).security == (
        "starttls"
    )
    with pytest.raises(MeetingError, match="in clear"):
        smtp_server("smtp://mail.example.org:25", user="officer", environ=env)
    with pytest.raises(MeetingError, match="do not put a password"):
        smtp_server("smtp://officer:s3cret@mail.example.org", environ=env)
    with pytest.raises(MeetingError, match="in clear"):
        caldav_server("http://dav.example.org/cal/", user="officer", environ=env)
    dav = caldav_server("https://officer@dav.example.org/cal", environ=env)
    assert (dav.collection, dav.user, dav.password) == (
        "https://dav.example.org/cal/",
        "officer",
        "s3cret",
    )
    assert "s3cret" not in repr(dav)
    local = caldav_server("http://127.0.0.1:5232/u/cal/", environ={"SOMNET_CALDAV_USER": "u"})
    assert (local.user, local.password) == ("u", None)


# The command line, end to end ------------------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], command: str) -> Any:
    return run(capsys, *shlex.split(command))


def test_cli_sends_publishes_updates_and_cancels(
    region: Directory,  # noqa: F811
    smtp: tuple[Inbox, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = smtp
    store = tmp_path / "store"
    send = f"--send smtp://127.0.0.1:{port} --caldav-user {USER} --store {store}"
    result = cli(
        capsys,
        "meeting invite --states BS,HT,PA,DO --from 2026-12-01 --to 2026-12-18 --duration 90m "
        f"--title 'Regional coordination' --organizer unodc@example.org {send} "
        f"--publish {calendar} --format json",
    )
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    meeting_id = answer["meeting"]["id"]
    publication = answer["meeting"]["publication"]
    assert publication["url"].startswith(calendar) and publication["etag"]
    assert len(inbox.envelopes) == 1 and len(inbox.envelopes[0].rcpt_tos) == 4

    result = cli(capsys, f"meeting update {meeting_id} --duration 1h {send} --publish")
    assert result.exit_code == 0, result.stderr
    assert "SEQUENCE 1" in result.stdout and f"CalDAV PUT {publication['url']}" in result.stdout
    event = icalendar.Calendar.from_ical(_get(publication["url"]).content).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1

    result = cli(capsys, f"meeting update {meeting_id} --title Renamed --store {store}")
    assert result.exit_code == 0
    assert "add --publish to change it there too" in result.stderr

    result = cli(
        capsys,
        f"meeting cancel {meeting_id} --store {store} --send smtp://127.0.0.1:{free_port()} "
        f"--publish --caldav-user {USER}",
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("somnet: SMTP server 127.0.0.1:") and "refused" in result.stderr
    assert result.stderr.count("\n") == 1
    assert "; removed from CalDAV; not delivered: e-mail to " in result.stderr
    # CalDAV went first and is recorded: the re-run only e-mails.
    assert _get(publication["url"]).status_code == 404
    result = cli(capsys, f"meeting cancel {meeting_id} {send} --publish")
    assert result.exit_code == 0, result.stderr
    assert len(inbox.envelopes) == 3
    last = inbox.messages()[-1]
    assert calendar_part(last).get_param("method") == "CANCEL"
    shown = json.loads(
        cli(capsys, f"meeting show {meeting_id} --store {store} --format json").stdout
    )
    assert shown["status"] == "CANCELLED" and shown["sequence"] == 3
    assert shown["publication"] is None
    assert [c["action"] for c in shown["history"]] == [
        "created",
        "updated",
        "updated",
        "cancelled",
        "resent",
    ]
    assert {d["state"] for d in shown["deliveries"]} == {"delivered"}


# SMTPS: TLS from the first byte -----------------------------------------------------------------


@pytest.fixture
def smtps(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int, Path]]:
    """An SMTP server speaking TLS from the first byte (smtps://), with a login; and the
    certificate a client must trust to reach it."""
    cert_file, key_file = certificate
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_file, key_file)
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        ssl_context=server_context,
        authenticator=_authenticator,
        auth_required=True,
        # aiosmtpd counts only STARTTLS as TLS (and warns, which the tests below allow); this
        # connection is TLS from its first byte.
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield inbox, port, cert_file
    finally:
        controller.stop()


SMTPS_WARNING = "ignore:Requiring AUTH while not requiring TLS:UserWarning"


@pytest.mark.filterwarnings(SMTPS_WARNING)
def test_smtps_speaks_tls_from_the_first_byte_and_logs_in(
    smtps: tuple[Inbox, int, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port, cert_file = smtps
    monkeypatch.setenv("SOMNET_SMTP_PASSWORD", "correct horse")
    server = smtp_server(f"smtps://officer@127.0.0.1:{port}", timeout=5)
    assert server.security == "tls"
    store = MeetingStore(tmp_path)
    meeting = _new(store)
    trusted = ssl.create_default_context(cafile=str(cert_file))
    issue(meeting, "created", store=store, now=CREATED, smtp=server, ssl_context=trusted)
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == [p.email for p in meeting.attendees]
    (message,) = inbox.messages()
    assert calendar_part(message).get_param("method") == "REQUEST"

    # A certificate nobody vouches for stops it before the login: nothing is sent.
    other = _new(store, uid_factory=uuid.uuid4)
    with pytest.raises(DeliveryError, match=r"TLS failed: CERTIFICATE_VERIFY_FAILED"):
        issue(other, "created", store=store, now=CREATED, smtp=server)
    assert {d.state for d in store.get(other.id).deliveries} == {"failed"}
    assert len(inbox.envelopes) == 1


@pytest.mark.filterwarnings(SMTPS_WARNING)
def test_cli_sends_over_smtps_with_the_password_from_the_environment(
    region: Directory,  # noqa: F811
    smtps: tuple[Inbox, int, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, port, cert_file = smtps
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))  # the system's trust, for the CLI
    monkeypatch.setenv("SOMNET_SMTP_PASSWORD", "correct horse")
    base = (
        "meeting invite --states BS,PA --start 2026-12-03T15:00Z --duration 1h --title T "
        f"--organizer o@example.org --store {tmp_path} --send smtps://127.0.0.1:{port}"
    )
    result = cli(capsys, f"{base} --smtp-user officer")
    assert result.exit_code == 0, result.stderr
    assert f"e-mailed via 127.0.0.1:{port} to" in result.stdout
    assert [e.rcpt_tos for e in inbox.envelopes] == [
        ["bs-focal@example.org", "pa-focal@example.org"]
    ]

    monkeypatch.setenv("SOMNET_SMTP_PASSWORD", "wrong")
    result = cli(capsys, f"{base.replace('--title T', '--title Other')} --smtp-user officer")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"somnet: SMTP server 127.0.0.1:{port} refused the login of officer: "
        "535 5.7.8 Authentication credentials invalid (the password is read from "
        "SOMNET_SMTP_PASSWORD); nothing was delivered; not delivered: e-mail to "
    )
    assert f"--send smtps://127.0.0.1:{port} --smtp-user officer (or the same" in result.stderr
    assert result.stderr.count("\n") == 1
    result = cli(capsys, f"{base} --starttls")
    assert result.exit_code == 2
    assert "smtps:// is TLS from the start" in result.stderr


# A series, sent ---------------------------------------------------------------------------------


@dataclass
class Flaky(Inbox):
    """An inbox that refuses every message after the first ``accept``."""

    accept: int = 1

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        if len(self.envelopes) >= self.accept:
            return "554 5.3.4 Message refused for this test"
        return await super().handle_DATA(server, session, envelope)


SERIES = (
    "meeting series --states BS,HT,PA --duration 90m --from 2027-01-04 --every month --count 3 "
    "--within 10 --invite --title 'Monthly coordination' --organizer unodc@example.org"
)


def test_cli_a_series_is_sent_one_meeting_per_occurrence_and_cancelled_as_one(
    region: Directory,  # noqa: F811
    smtp: tuple[Inbox, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = smtp
    store, out = tmp_path / "store", tmp_path / "invites"
    result = cli(
        capsys,
        f"{SERIES} --store {store} --out {out} --send smtp://127.0.0.1:{port} "
        f"--publish {calendar} --caldav-user {USER} --format json",
    )
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    series_id = answer["series"]
    meetings = [m["meeting"] for m in answer["meetings"]]
    starts = [o["slot"]["start"] for o in answer["occurrences"]]
    assert [m["start"] for m in meetings] == starts and len(starts) == 3
    assert len({m["uid"] for m in meetings}) == 3
    assert {(m["series"], m["sequence"], m["status"]) for m in meetings} == {
        (series_id, 0, "CONFIRMED")
    }
    # One file per occurrence, named by its date, each a complete invite of its own.
    assert sorted(p.name for p in out.iterdir()) == [f"{s[:10]}.ics" for s in starts]
    for m in meetings:
        ours, _ = parse_both((out / f"{m['start'][:10]}.ics").read_bytes())
        (event,) = ours.walk("VEVENT")
        assert (ours["METHOD"], str(event["UID"]), event["SEQUENCE"]) == ("REQUEST", m["uid"], 0)
        assert _get(m["publication"]["url"]).status_code == 200
    assert len(inbox.envelopes) == 3
    assert all(len(e.rcpt_tos) == 3 for e in inbox.envelopes)

    listed = cli(capsys, f"meeting list --store {store} --series {series_id}").stdout
    assert listed.count(f"(series {series_id})") == 3
    cli(
        capsys,
        f"meeting invite --states BS --start 2027-01-05T15:00Z --duration 1h --title X "
        f"--organizer o@example.org --store {store}",
    )
    assert len(cli(capsys, f"meeting list --store {store}").stdout.splitlines()) == 4
    assert (
        len(cli(capsys, f"meeting list --store {store} --series {series_id}").stdout.splitlines())
        == 3
    )

    # One occurrence can be changed on its own: it is a meeting like any other.
    first = meetings[0]["id"]
    result = cli(capsys, f"meeting update {first} --title Moved --store {store} --publish")
    assert result.exit_code == 0, result.stderr

    result = cli(
        capsys,
        f"meeting cancel --series {series_id} --store {store} --out {out} "
        f"--send smtp://127.0.0.1:{port} --publish --caldav-user {USER}",
    )
    assert result.exit_code == 0, result.stderr
    assert f"series {series_id}: 3 meetings cancelled" in result.stdout
    assert len(inbox.envelopes) == 3 + 3
    for m in meetings:
        ours, _ = parse_both((out / f"{m['start'][:10]}-cancel.ics").read_bytes())
        event = ours.walk("VEVENT")[0]
        sequence = 2 if m["id"] == first else 1
        assert (ours["METHOD"], str(event["UID"]), event["SEQUENCE"], event["STATUS"]) == (
            "CANCEL",
            m["uid"],
            sequence,
            "CANCELLED",
        )
        assert _get(m["publication"]["url"]).status_code == 404
    result = cli(capsys, f"meeting cancel --series {series_id} --store {store}")
    assert result.exit_code == 2 and "already cancelled" in result.stderr


def test_cli_a_series_whose_delivery_fails_midway_keeps_what_was_sent_and_says_so(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox = Flaky(accept=1)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        store, out = tmp_path / "store", tmp_path / "invites"
        result = cli(
            capsys,
            f"{SERIES} --store {store} --out {out} --send smtp://127.0.0.1:{port}",
        )
    finally:
        controller.stop()
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    recorded, failed = MeetingStore(store).all()
    day, second = f"{recorded.start:%Y-%m-%d}", f"{failed.start:%Y-%m-%d}"
    assert result.stderr.startswith(
        f"somnet: SMTP server 127.0.0.1:{port} answered 554 5.3.4 Message refused for this test; "
        "nothing was delivered; not delivered: e-mail to bs-focal@example.org, "
    )
    assert (
        f"; meeting {failed.id} is recorded (UID {failed.uid}, SEQUENCE 0) (occurrence 2 of 3; "
        f"sent and recorded: {day} ({recorded.id}); recorded, not sent to all: {second} "
        f"({failed.id}); not sent: 2027-03-"
    ) in result.stderr
    # The occurrence sent has its file and record; the one that failed is recorded with what
    # it did not reach, its file written; the last has neither.
    assert sorted(p.name for p in out.iterdir()) == [f"{day}.ics", f"{second}.ics"]
    assert recorded.series and recorded.history[-1].delivered[-1] == f"file:{out / day}.ics"
    assert {d.state for d in failed.deliveries} == {"failed"}
    assert len(inbox.envelopes) == 1


def test_cli_a_series_whose_delivery_failed_is_resumed_without_duplicates(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox = Flaky(accept=1)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    store, out = tmp_path / "store", tmp_path / "invites"
    command = f"{SERIES} --store {store} --out {out} --send smtp://127.0.0.1:{port}"
    try:
        result = cli(capsys, command)
        assert result.exit_code == 1
        first, failed = MeetingStore(store).all()
        assert result.stderr.endswith(
            f"; to send the rest, run the same command with --resume {first.series})\n"
        )
        assert result.stderr.count("\n") == 1

        # The same command again would send a second series: refused, naming --resume.
        result = cli(capsys, command)
        assert result.exit_code == 2, result.stderr
        assert f"add --resume {first.series}" in result.stderr
        assert len(MeetingStore(store).all()) == 2

        # Not this series: refused before anything is sent.
        result = cli(capsys, f"{command} --resume {first.series} --title Other")
        assert result.exit_code == 2, result.stderr
        assert f"its meeting {first.id} has another title" in result.stderr
        result = cli(
            capsys,
            f"meeting series --states BS --duration 1h --from 2027-01-04 "
            f"--every month --count 3 --resume {first.series}",
        )
        assert result.exit_code == 2 and "--resume: add --invite" in result.stderr

        inbox.accept = 10
        result = cli(capsys, f"{command} --resume {first.series} --format json")
        assert result.exit_code == 0, result.stderr
        answer = json.loads(result.stdout)
    finally:
        controller.stop()
    assert answer["series"] == first.series
    assert [m["id"] for m in answer["sent_before"]] == [first.id, failed.id]
    # The occurrence recorded by the failed run keeps its UID: completed, not sent anew.
    assert answer["meetings"][0]["meeting"]["uid"] == failed.uid
    meetings = MeetingStore(store).series(first.series or "")
    starts = [o["slot"]["start"] for o in answer["occurrences"]]
    assert [f"{m.start:%Y-%m-%dT%H:%M:%SZ}" for m in meetings] == starts
    assert len(MeetingStore(store).all()) == 3
    assert sorted(p.name for p in out.iterdir()) == [f"{s[:10]}.ics" for s in starts]
    # One message per occurrence: the first one was not sent again.
    assert len(inbox.envelopes) == 3
    subjects = [m["Subject"] for m in inbox.messages()]
    assert len(set(subjects)) == 3

    result = cli(capsys, f"{command} --resume {first.series}")
    assert result.exit_code == 2
    assert "every meeting of the series was sent already" in result.stderr
    assert len(inbox.envelopes) == 3


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("--out {tmp}/file.txt", "is a file; a series needs a folder"),
        ("--send smtp://u:secret@127.0.0.1:25", "do not put a password in the address"),
    ],
)
def test_cli_bad_series_delivery_is_refused_before_anything_is_sent(
    region: Directory,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: str,
    message: str,
) -> None:
    (tmp_path / "file.txt").write_text("a file")
    result = cli(capsys, f"{SERIES} --store {tmp_path / 'store'} {extra.format(tmp=tmp_path)}")
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "store").exists()


# Changing who attends -----------------------------------------------------------------------------


def test_cli_update_invites_those_added_and_uninvites_those_removed(
    region: Directory,  # noqa: F811
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = smtp
    common = f"--store {tmp_path / 'store'} --send smtp://127.0.0.1:{port}"
    result = cli(
        capsys,
        "meeting invite --states BS,HT,PA --start 2026-12-03T15:00Z --duration 90m --title T "
        f"--organizer unodc@example.org {common} --format json",
    )
    meeting = json.loads(result.stdout)["meeting"]
    inbox.envelopes.clear()
    out = tmp_path / "update.ics"
    result = cli(capsys, f"meeting update {meeting['id']} --states BS,PA,DO {common} --out {out}")
    assert result.exit_code == 0, result.stderr
    assert "added DO do-focal <do-focal@example.org>" in result.stdout
    assert "removed HT ht-focal <ht-focal@example.org>" in result.stdout
    request, uninvite = inbox.envelopes
    assert request.rcpt_tos == [
        "bs-focal@example.org",
        "pa-focal@example.org",
        "do-focal@example.org",
    ]
    assert uninvite.rcpt_tos == ["ht-focal@example.org"]
    _, uninvite_message = inbox.messages()
    assert uninvite_message["Subject"].startswith("Removed from: T")
    part = calendar_part(uninvite_message)
    assert part.get_param("method") == "CANCEL"
    data = part.get_payload(decode=True)
    assert data == (tmp_path / "update-uninvite.ics").read_bytes()
    ours, theirs = parse_both(data)
    (event,) = ours.walk("VEVENT")
    assert (ours["METHOD"], str(event["UID"]), event["SEQUENCE"]) == ("CANCEL", meeting["uid"], 1)
    assert "STATUS" not in event  # the meeting goes on: only HT is taken off it
    assert str(event["ATTENDEE"]) == "mailto:ht-focal@example.org"  # one: not a list
    assert theirs.method.value == "CANCEL"
    ours, _ = parse_both(out.read_bytes())
    event = ours.walk("VEVENT")[0]
    assert (ours["METHOD"], event["SEQUENCE"], event["STATUS"]) == ("REQUEST", 1, "CONFIRMED")
    assert [str(a) for a in event["ATTENDEE"]] == [
        "mailto:bs-focal@example.org",
        "mailto:pa-focal@example.org",
        "mailto:do-focal@example.org",
    ]
    shown = json.loads(
        cli(
            capsys, f"meeting show {meeting['id']} {common.split(' --send')[0]} --format json"
        ).stdout
    )
    assert [a["contact"] for a in shown["attendees"]] == ["bs-focal", "pa-focal", "do-focal"]
    assert shown["sequence"] == 1

    # The same attendees again change nothing, in any order, and nothing is sent.
    for states in ("BS,PA,DO", "DO,BS,PA"):
        result = cli(capsys, f"meeting update {meeting['id']} --states {states} {common}")
        assert result.exit_code == 2 and "nothing changes" in result.stderr
    assert len(inbox.envelopes) == 2


# Never twice: what was delivered is recorded, a re-run delivers only what is missing --------

SEVEN = "--states BS,DO,HT,PA,MX,US --contact mx-cancun-desk"
SEVEN_ADDRESSES = [
    "bs-focal@example.org",
    "do-focal@example.org",
    "ht-focal@example.org",
    "pa-focal@example.org",
    "mx-focal@example.org",
    "us-focal@example.org",
    "mx-cancun@example.org",
]


@dataclass
class Refusing(Inbox):
    """An inbox whose server answers 550 to the addresses in ``refuse`` (at RCPT TO)."""

    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(
        self,
        server: SMTPServer,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable for this test"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def received(self) -> dict[str, list[tuple[str, int, str]]]:
        """For each address: the (UID, SEQUENCE, METHOD) of every calendar it was sent."""
        got: dict[str, list[tuple[str, int, str]]] = {}
        for envelope, message in zip(self.envelopes, self.messages(), strict=True):
            part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
            calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
            event = calendar.walk("VEVENT")[0]
            seen = (str(event["UID"]), int(event["SEQUENCE"]), str(calendar["METHOD"]))
            for address in envelope.rcpt_tos:
                got.setdefault(address, []).append(seen)
        return got


@pytest.fixture
def refusing() -> Iterator[tuple[Refusing, int]]:
    inbox = Refusing()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.mark.parametrize("per_attendee", [False, True], ids=["one-message", "per-attendee"])
@pytest.mark.parametrize("again", ["same command", "resend"])
def test_cli_a_refused_recipient_then_a_rerun_reaches_everyone_exactly_once(
    region: Directory,  # noqa: F811
    refusing: tuple[Refusing, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    per_attendee: bool,
    again: str,
) -> None:
    inbox, port = refusing
    inbox.refuse = {"pa-focal@example.org"}
    store, out = tmp_path / "store", tmp_path / "meeting.ics"
    send = f"--send smtp://127.0.0.1:{port}" + (" --per-attendee" if per_attendee else "")
    command = (
        f"meeting invite {SEVEN} --start 2026-12-03T16:00Z --duration 90m --title T "
        f"--organizer unodc@example.org --store {store} --out {out} {send}"
    )
    result = cli(capsys, command)
    assert result.exit_code == 1, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    (meeting,) = MeetingStore(store).all()
    others = [a for a in SEVEN_ADDRESSES if a != "pa-focal@example.org"]
    # Who got it and who did not, exactly.
    assert "refused pa-focal@example.org (550 5.1.1 Mailbox unavailable" in result.stderr
    assert f"delivered by e-mail to {', '.join(others)}" in result.stderr
    assert "not delivered: e-mail to pa-focal@example.org" in result.stderr
    assert f"meeting {meeting.id} is recorded (UID {meeting.uid}, SEQUENCE 0)" in result.stderr
    assert f"somnet meeting resend {meeting.id} --store {store} {send}" in result.stderr
    # The version was recorded before it was sent, with what became of each attendee.
    states = {d.to: d.state for d in meeting.deliveries if d.channel == "email"}
    assert states == {
        a: "failed" if a == "pa-focal@example.org" else "delivered" for a in SEVEN_ADDRESSES
    }
    ours, _ = parse_both(out.read_bytes())
    assert str(ours.walk("VEVENT")[0]["UID"]) == meeting.uid
    assert sorted(inbox.received()) == sorted(others)

    inbox.refuse = set()
    rerun = (
        command
        if again == "same command"
        else f"meeting resend {meeting.id} --store {store} {send}"
    )
    result = cli(capsys, rerun)
    assert result.exit_code == 0, result.stderr
    assert "to pa-focal@example.org" in result.stdout
    received = inbox.received()
    assert received == {a: [(meeting.uid, 0, "REQUEST")] for a in SEVEN_ADDRESSES}
    (after,) = MeetingStore(store).all()
    assert (after.uid, after.sequence) == (meeting.uid, 0)
    assert {d.state for d in after.deliveries} == {"delivered"}
    assert [c.action for c in after.history] == ["created", "resent"]
    listed = cli(capsys, f"meeting list --store {store}")
    assert listed.stdout.count("\n") == 1 and "missing" not in listed.stdout

    # Once everyone has it, running it again sends nothing.
    result = cli(capsys, rerun)
    assert len(inbox.envelopes) == (7 if per_attendee else 2)
    assert "nothing" in (result.stdout + result.stderr)


def test_a_partial_refusal_per_attendee_goes_on_to_the_others_and_records_each(
    refusing: tuple[Refusing, int], tmp_path: Path
) -> None:
    from somnet.meetings.delivery import IncompleteDeliveryError

    inbox, port = refusing
    store = MeetingStore(tmp_path)
    meeting = _new(store)
    inbox.refuse = {meeting.attendees[1].email}
    server = SmtpServer("127.0.0.1", port, per_attendee=True)
    with pytest.raises(IncompleteDeliveryError) as raised:
        issue(meeting, "created", store=store, now=CREATED, smtp=server)
    recorded = store.get(meeting.id)
    assert raised.value.meeting == recorded
    assert [(d.to, d.state) for d in recorded.deliveries] == [
        (p.email, "failed" if p is meeting.attendees[1] else "delivered") for p in meeting.attendees
    ]
    (failed,) = [d for d in recorded.deliveries if d.state == "failed"]
    assert failed.reply is not None and failed.reply.startswith("550 5.1.1")
    assert [e.rcpt_tos for e in inbox.envelopes] == [
        [p.email] for p in meeting.attendees if p is not meeting.attendees[1]
    ]


def _events(calendar: str) -> dict[str, int]:
    """The events in a Radicale collection: UID -> SEQUENCE (read from its storage folder)."""
    response = httpx.request(
        "PROPFIND", calendar, headers={"Depth": "1"}, auth=(USER, ""), timeout=5
    )
    assert response.status_code == 207, response.text
    hrefs = re.findall(r"<href>([^<]+\.ics)</href>", response.text)
    events = {}
    base = calendar.split("/", 3)[:3]
    for href in hrefs:
        event = icalendar.Calendar.from_ical(_get("/".join(base) + href).content).walk("VEVENT")[0]
        events[str(event["UID"])] = int(event.get("SEQUENCE", 0))
    return events


def test_cli_a_caldav_500_then_a_rerun_publishes_once_and_e_mails_once(
    region: Directory,  # noqa: F811
    refusing: tuple[Refusing, int],
    radicale_server: tuple[str, Path],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = refusing
    # A file where Radicale keeps its cache folder: it stores the event, then fails to cache
    # it and answers 500 Internal Server Error.
    broken = storage_of(radicale_server, calendar) / ".Radicale.cache"
    broken.write_text("in the way")
    store = tmp_path / "store"
    command = (
        f"meeting invite {SEVEN} --start 2026-12-03T16:00Z --duration 90m --title T "
        f"--organizer unodc@example.org --store {store} --send smtp://127.0.0.1:{port} "
        f"--publish {calendar} --caldav-user {USER}"
    )
    result = cli(capsys, command)
    assert result.exit_code == 1, result.stderr
    assert result.stderr.count("\n") == 1 and "answered 500 Internal Server Error" in result.stderr
    (meeting,) = MeetingStore(store).all()
    # CalDAV goes first: nobody was e-mailed a version the calendar does not hold.
    assert inbox.envelopes == []
    assert (
        "not delivered: CalDAV" in result.stderr
        and "e-mail to bs-focal@example.org" in result.stderr
    )
    assert f"meeting {meeting.id} is recorded (UID {meeting.uid}, SEQUENCE 0)" in result.stderr

    broken.unlink()
    result = cli(capsys, command)
    assert result.exit_code == 0, result.stderr
    assert _events(calendar) == {meeting.uid: 0}
    assert inbox.received() == {a: [(meeting.uid, 0, "REQUEST")] for a in SEVEN_ADDRESSES}
    (after,) = MeetingStore(store).all()
    assert after.publication is not None and after.publication.url == f"{calendar}{meeting.uid}.ics"
    assert after.publication.etag == _get(after.publication.url).headers["ETag"]


def test_cli_an_event_changed_on_the_server_stops_the_update_until_force_takes_it_over(
    region: Directory,  # noqa: F811
    refusing: tuple[Refusing, int],
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = refusing
    store = tmp_path / "store"
    send = f"--store {store} --send smtp://127.0.0.1:{port} --caldav-user {USER}"
    result = cli(
        capsys,
        f"meeting invite --states BS,HT,PA --start 2026-12-03T16:00Z --duration 90m --title T "
        f"--organizer unodc@example.org {send} --publish {calendar} --format json",
    )
    assert result.exit_code == 0, result.stderr
    meeting = json.loads(result.stdout)["meeting"]
    url = meeting["publication"]["url"]
    # Someone edits the event in their calendar client: its ETag changes.
    edited = _get(url).content.replace(b"TRANSP:OPAQUE", b"TRANSP:TRANSPARENT")
    assert httpx.put(url, content=edited, auth=(USER, ""), timeout=5).is_success
    inbox.envelopes.clear()

    update = f"meeting update {meeting['id']} --duration 1h {send} --publish"
    result = cli(capsys, update)
    assert result.exit_code == 1, result.stderr
    assert result.stderr.count("\n") == 1
    assert "changed on the server" in result.stderr and "nothing was overwritten" in result.stderr
    assert f"somnet meeting resend {meeting['id']} --store {store}" in result.stderr
    assert "--force" in result.stderr
    assert inbox.envelopes == []  # nobody has SEQUENCE 1 while the calendar holds the edit
    assert b"TRANSP:TRANSPARENT" in _get(url).content
    # The record says what the update is and that it is not delivered.
    listed = cli(capsys, f"meeting list --store {store}").stdout
    assert "seq 1" in listed and "missing" in listed
    (record,) = MeetingStore(store).all()
    assert record.sequence == 1 and record.duration == 60

    result = cli(capsys, f"{update} --force")
    assert result.exit_code == 0, result.stderr
    assert "replaced the copy changed on the server" in (result.stdout + result.stderr)
    event = icalendar.Calendar.from_ical(_get(url).content).walk("VEVENT")[0]
    assert (event["SEQUENCE"], str(event["TRANSP"])) == (1, "OPAQUE")
    assert inbox.received() == {
        a: [(meeting["uid"], 1, "REQUEST")]
        for a in ["bs-focal@example.org", "ht-focal@example.org", "pa-focal@example.org"]
    }
    (record,) = MeetingStore(store).all()
    assert record.publication is not None
    assert record.publication.etag == _get(url).headers["ETag"]
    assert {d.state for d in record.deliveries} == {"delivered"}


def test_cli_a_cancelled_meeting_can_later_be_removed_from_the_calendar(
    region: Directory,  # noqa: F811
    calendar: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    result = cli(
        capsys,
        f"meeting invite --states BS,PA --start 2026-12-03T16:00Z --duration 1h --title T "
        f"--organizer unodc@example.org --store {store} --publish {calendar} "
        f"--caldav-user {USER} --format json",
    )
    meeting = json.loads(result.stdout)["meeting"]
    url = meeting["publication"]["url"]
    result = cli(capsys, f"meeting cancel {meeting['id']} --store {store}")
    assert result.exit_code == 0, result.stderr
    assert "add --publish" in result.stderr
    assert _get(url).status_code == 200

    result = cli(capsys, f"meeting cancel {meeting['id']} --store {store} --publish")
    assert result.exit_code == 0, result.stderr
    assert f"CalDAV DELETE {url}" in result.stdout
    assert _get(url).status_code == 404
    (record,) = MeetingStore(store).all()
    assert (record.status, record.sequence, record.publication) == ("CANCELLED", 1, None)
    # Nothing left to do: it says so.
    result = cli(capsys, f"meeting cancel {meeting['id']} --store {store} --publish")
    assert result.exit_code == 2 and "already cancelled" in result.stderr


class _NoEtags(http.server.BaseHTTPRequestHandler):
    """A CalDAV-like server that stores what is PUT and never sends an ETag (some do not)."""

    stored: ClassVar[dict[str, bytes]] = {}
    seen: ClassVar[list[tuple[str, str, dict[str, str]]]] = []

    def _reply(self, status: int, body: bytes = b"") -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append(("PUT", self.path, dict(self.headers)))
        exists = self.path in self.stored
        if self.headers.get("If-None-Match") == "*" and exists:
            return self._reply(412)
        if self.headers.get("If-Match"):
            return self._reply(412)  # no ETag was ever given: none can match
        self.stored[self.path] = body
        self._reply(204 if exists else 201)

    def do_GET(self) -> None:
        self.seen.append(("GET", self.path, dict(self.headers)))
        if self.path not in self.stored:
            return self._reply(404)
        self._reply(200, self.stored[self.path])

    def do_DELETE(self) -> None:
        self.seen.append(("DELETE", self.path, dict(self.headers)))
        self._reply(204 if self.stored.pop(self.path, None) is not None else 404)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def no_etags() -> Iterator[tuple[str, type[_NoEtags]]]:
    handler = type("Handler", (_NoEtags,), {"stored": {}, "seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/cal/", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_a_server_that_gives_no_etag_keeps_one_event_adopted_by_its_uid(
    no_etags: tuple[str, type[_NoEtags]], tmp_path: Path
) -> None:
    url, handler = no_etags
    server = CaldavServer(url, None, None, 5)
    store = MeetingStore(tmp_path)
    issued = issue(_new(store), "created", store=store, now=CREATED, caldav=server)
    assert issued.meeting.publication is not None
    assert issued.meeting.publication.url == f"{url}{issued.meeting.uid}.ics"
    assert issued.meeting.publication.etag is None
    assert any("no ETag" in w for w in issued.warnings)
    assert list(handler.stored) == [f"/cal/{issued.meeting.uid}.ics"]

    # Changed and cancelled through the same event: its UID says it is ours.
    moved = changed_meeting(store.get(issued.meeting.id), now=CREATED, duration=60)
    issue(moved, "updated", store=store, now=CREATED, caldav=server)
    assert list(handler.stored) == [f"/cal/{issued.meeting.uid}.ics"]
    event = icalendar.Calendar.from_ical(handler.stored[f"/cal/{issued.meeting.uid}.ics"])
    assert event.walk("VEVENT")[0]["SEQUENCE"] == 1
    cancelled = cancelled_meeting(store.get(issued.meeting.id), now=CREATED)
    issue(cancelled, "cancelled", store=store, now=CREATED, caldav=server)
    assert handler.stored == {}

    # An event with another UID where ours would go is never overwritten.
    other = _new(MeetingStore(tmp_path / "other"), uid_factory=lambda: "theirs")
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
            caldav=server,
        )
    assert b"UID:theirs" in handler.stored[f"/cal/{issued.meeting.uid}.ics"]


def test_a_server_without_starttls_or_login_gets_a_sentence_that_says_what_to_do(
    smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    _, port = smtp  # plain: offers neither STARTTLS nor AUTH
    store = MeetingStore(tmp_path)
    cases = [
        (
            SmtpServer("127.0.0.1", port, "starttls", timeout=5),
            f"SMTP server 127.0.0.1:{port} does not offer STARTTLS: drop --starttls, or use "
            "smtps:// if it speaks TLS from the first byte; nothing was delivered",
        ),
        (
            SmtpServer("127.0.0.1", port, user="officer", password="x", timeout=5),
            f"SMTP server 127.0.0.1:{port} does not offer a login (AUTH) on this connection: "
            "drop --smtp-user, or add --starttls",
        ),
    ]
    for server, message in cases:
        meeting = _new(store, uid_factory=uuid.uuid4)
        with pytest.raises(DeliveryError) as raised:
            issue(meeting, "created", store=store, now=CREATED, smtp=server)
        assert str(raised.value).startswith(message)


def test_a_resend_by_e_mail_alone_does_not_call_the_current_calendar_copy_stale(
    refusing: tuple[Refusing, int], calendar: str, tmp_path: Path
) -> None:
    from somnet.meetings.invites import resend

    inbox, port = refusing
    store = MeetingStore(tmp_path)
    meeting = _new(store)
    inbox.refuse = {meeting.attendees[0].email}
    server = CaldavServer(calendar, USER, None, 5)
    with pytest.raises(DeliveryError, match="published on CalDAV"):
        issue(
            meeting,
            "created",
            store=store,
            now=CREATED,
            caldav=server,
            smtp=SmtpServer("127.0.0.1", port),
        )
    inbox.refuse = set()
    done = resend(
        store.get(meeting.id), store=store, now=CREATED, smtp=SmtpServer("127.0.0.1", port)
    )
    assert not any("--publish" in w for w in done.warnings), done.warnings
    # A version the calendar does not hold yet, or a cancelled meeting still there, is named.
    moved = changed_meeting(done.meeting, now=CREATED, duration=45)
    changed = issue(moved, "updated", store=store, now=CREATED, smtp=SmtpServer("127.0.0.1", port))
    assert any("add --publish to change it there too" in w for w in changed.warnings)
    gone = issue(
        cancelled_meeting(changed.meeting, now=CREATED), "cancelled", store=store, now=CREATED
    )
    assert any("add --publish to remove it from there" in w for w in gone.warnings)
