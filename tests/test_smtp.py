"""Invites by e-mail (iMIP, RFC 6047) through real SMTP servers on 127.0.0.1: the message's
parts and headers, one message per attendee, names with commas and accents, STARTTLS and
smtps:// with a login, refused recipients, servers that lack STARTTLS or AUTH."""

from __future__ import annotations

import email
import re
import ssl
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from somnet import (
    Channels,
    DeliveryError,
    IncompleteDeliveryError,
    MeetingStore,
    Person,
    SmtpServer,
    issue,
    new_meeting,
    smtp_server,
)
from somnet.meetings.issuing import cancel
from somnet.meetings.lifecycle import cancelled_meeting
from tests.meeting_fixtures import (
    CREATED,
    parse_both,
    recorded_sample,
)
from tests.meeting_servers import (
    SMTPS_WARNING,
    Inbox,
    Refusing,
    calendar_part,
    free_port,
)


def test_an_imip_request_has_the_method_outside_and_inside_and_the_ics_attached(
    smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    issued = issue(
        meeting,
        "created",
        store=store,
        now=CREATED,
        channels=Channels(smtp=SmtpServer("127.0.0.1", port)),
    )
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
    meeting = recorded_sample(store)
    issue(meeting, "created", store=store, now=CREATED, channels=Channels(smtp=server))
    assert [e.rcpt_tos for e in inbox.envelopes] == [[p.email] for p in meeting.attendees]
    inbox.envelopes.clear()
    cancelled = cancelled_meeting(store.get(meeting.id), now=CREATED + timedelta(days=1))
    issue(
        cancelled,
        "cancelled",
        store=store,
        now=CREATED + timedelta(days=1),
        channels=Channels(smtp=server),
    )
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
    issue(meeting, "created", store=store, now=CREATED, channels=Channels(smtp=server))
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
    meeting = recorded_sample(store)
    issue(
        meeting,
        "created",
        store=store,
        now=CREATED,
        channels=Channels(smtp=server, ssl_context=client_context),
    )
    assert len(inbox.envelopes) == 1

    monkeypatch.setenv("SOMNET_SMTP_PASSWORD", "wrong")
    wrong = smtp_server(f"smtp://127.0.0.1:{port}", starttls=True, user="officer", timeout=5)
    other = recorded_sample(store, uid_factory=uuid.uuid4)
    # The password message names where the password comes from.
    with pytest.raises(
        DeliveryError,
        match=r"refused the login of officer: 535 .*\(the password is read from "
        r"SOMNET_SMTP_PASSWORD\); nothing was delivered",
    ):
        issue(
            other,
            "created",
            store=store,
            now=CREATED,
            channels=Channels(smtp=wrong, ssl_context=client_context),
        )
    # Recorded before it was sent, and sent to nobody.
    recorded = store.get(other.id)
    assert {(d.to, d.state) for d in recorded.deliveries} == {
        (p.email, "failed") for p in other.attendees
    }
    assert len(inbox.envelopes) == 1

    plain = SmtpServer("127.0.0.1", port, timeout=5)
    with pytest.raises(DeliveryError, match="530"):
        issue(other, "created", store=store, now=CREATED, channels=Channels(smtp=plain))


@pytest.mark.filterwarnings(SMTPS_WARNING)
def test_smtps_speaks_tls_from_the_first_byte_and_logs_in(
    smtps: tuple[Inbox, int, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port, cert_file = smtps
    monkeypatch.setenv("SOMNET_SMTP_PASSWORD", "correct horse")
    server = smtp_server(f"smtps://officer@127.0.0.1:{port}", timeout=5)
    assert server.security == "tls"
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    trusted = ssl.create_default_context(cafile=str(cert_file))
    issue(
        meeting,
        "created",
        store=store,
        now=CREATED,
        channels=Channels(smtp=server, ssl_context=trusted),
    )
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == [p.email for p in meeting.attendees]
    (message,) = inbox.messages()
    assert calendar_part(message).get_param("method") == "REQUEST"

    # A certificate nobody vouches for stops it before the login: nothing is sent.
    other = recorded_sample(store, uid_factory=uuid.uuid4)
    with pytest.raises(DeliveryError, match=r"TLS failed: CERTIFICATE_VERIFY_FAILED"):
        issue(other, "created", store=store, now=CREATED, channels=Channels(smtp=server))
    assert {d.state for d in store.get(other.id).deliveries} == {"failed"}
    assert len(inbox.envelopes) == 1


def test_a_partial_refusal_per_attendee_goes_on_to_the_others_and_records_each(
    refusing: tuple[Refusing, int], tmp_path: Path
) -> None:
    inbox, port = refusing
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    inbox.refuse = {meeting.attendees[1].email}
    server = SmtpServer("127.0.0.1", port, per_attendee=True)
    with pytest.raises(IncompleteDeliveryError) as raised:
        issue(meeting, "created", store=store, now=CREATED, channels=Channels(smtp=server))
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


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_a_password_that_is_not_ascii_logs_in_in_utf8(
    certificate: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mechanism: str,
) -> None:
    """A password that is not ASCII ("contraseña"): Python's SMTP client encodes the login as
    ASCII, and failed with a traceback, the meeting recorded and nothing sent. It goes in
    UTF-8, as RFC 4954 and its mechanisms have it."""
    from aiosmtpd.smtp import AuthResult, LoginPassword

    from tests.meeting_servers import _server_context

    def utf8_login(server: Any, session: Any, envelope: Any, used: str, data: Any) -> AuthResult:
        ok = used == mechanism and isinstance(data, LoginPassword)
        ok = ok and (data.login, data.password) == (b"oficial", "contraseña".encode())
        return AuthResult(success=ok, handled=False)

    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=_server_context(certificate),
        require_starttls=True,
        authenticator=utf8_login,
        auth_required=True,
        auth_require_tls=True,
        auth_exclude_mechanism=[m for m in ("PLAIN", "LOGIN") if m != mechanism],
    )
    controller.start()
    try:
        monkeypatch.setenv("SOMNET_SMTP_PASSWORD", "contraseña")
        server = smtp_server(f"smtp://127.0.0.1:{port}", starttls=True, user="oficial", timeout=5)
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        context = ssl.create_default_context(cafile=str(certificate[0]))
        issue(
            meeting,
            "created",
            store=store,
            now=CREATED,
            channels=Channels(smtp=server, ssl_context=context),
        )
    finally:
        controller.stop()
    assert len(inbox.envelopes) == 1
    assert {d.state for d in store.get(meeting.id).deliveries} == {"delivered"}


def test_a_server_without_starttls_or_login_gets_a_sentence_that_says_what_to_do(
    smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    _, port = smtp  # plain: offers neither STARTTLS nor AUTH
    store = MeetingStore(tmp_path)
    cases = [
        (
            SmtpServer("127.0.0.1", port, "starttls", timeout=5),
            f"SMTP server 127.0.0.1:{port} does not offer STARTTLS: send without STARTTLS, or "
            "use smtps:// if it speaks TLS from the first byte; nothing was delivered",
        ),
        (
            SmtpServer("127.0.0.1", port, user="officer", password="x", timeout=5),
            f"SMTP server 127.0.0.1:{port} does not offer a login (AUTH) on this connection: "
            "send without a login, or with STARTTLS",
        ),
    ]
    for server, message in cases:
        meeting = recorded_sample(store, uid_factory=uuid.uuid4)
        with pytest.raises(DeliveryError) as raised:
            issue(meeting, "created", store=store, now=CREATED, channels=Channels(smtp=server))
        assert str(raised.value).startswith(message)


def test_a_starttls_the_server_refuses_is_said_to_be_refused_at_starttls(
    smtp_refusing_starttls: tuple[Inbox, int], tmp_path: Path
) -> None:
    # Not "answered 454": the officer is told the server would not encrypt (not a login or a
    # recipient problem), and nothing went unencrypted.
    inbox, port = smtp_refusing_starttls
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    server = SmtpServer("127.0.0.1", port, security="starttls", timeout=5)
    with pytest.raises(DeliveryError) as raised:
        issue(meeting, "created", store=store, now=CREATED, channels=Channels(smtp=server))
    assert str(raised.value).startswith(
        f"SMTP server 127.0.0.1:{port} refused STARTTLS, so it would not encrypt the "
        "connection: 454 4.7.0 TLS not available due to temporary reason; nothing was "
        "delivered"
    )
    assert inbox.envelopes == []


def test_a_server_closing_at_starttls_is_said_to_be_closing_and_to_be_tried_again_later(
    smtp_closing_at_starttls: tuple[Inbox, int], tmp_path: Path
) -> None:
    # 421 is no refusal to encrypt: the server is closing the connection (shutting down, or
    # over its load), which passes; the remedy is the same run later, not another setting.
    inbox, port = smtp_closing_at_starttls
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    server = SmtpServer("127.0.0.1", port, security="starttls", timeout=5)
    with pytest.raises(IncompleteDeliveryError) as raised:
        issue(meeting, "created", store=store, now=CREATED, channels=Channels(smtp=server))
    assert str(raised.value).startswith(
        f"SMTP server 127.0.0.1:{port} is closing the connection: 421 4.3.2 Service shutting "
        "down, closing transmission channel (the service is not available now, which usually "
        "passes: try again later); nothing was delivered"
    )
    assert "refused STARTTLS" not in str(raised.value)
    assert inbox.envelopes == []
    # Recorded as failed, not as maybe delivered: a later run sends it to everyone.
    recorded = store.get(meeting.id)
    assert {d.state for d in recorded.deliveries} == {"failed"}


def test_a_server_closing_at_the_login_is_said_to_be_closing_not_to_refuse_the_login(
    smtp_closing_at_auth: tuple[Inbox, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A 421 answered to AUTH is no refusal of the login (nor of its password): the server is
    # closing the connection, and the same run later is the remedy.
    inbox, port = smtp_closing_at_auth
    monkeypatch.setenv("SOMNET_SMTP_PASSWORD", "correct horse")
    server = smtp_server(f"smtp://127.0.0.1:{port}", user="officer", timeout=5)
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    with pytest.raises(IncompleteDeliveryError) as raised:
        issue(meeting, "created", store=store, now=CREATED, channels=Channels(smtp=server))
    assert str(raised.value).startswith(
        f"SMTP server 127.0.0.1:{port} is closing the connection: 421 4.3.2 Service shutting "
        "down, closing transmission channel (the service is not available now, which usually "
        "passes: try again later); nothing was delivered"
    ), raised.value
    assert "refused the login" not in str(raised.value)
    assert "SOMNET_SMTP_PASSWORD" not in str(raised.value)
    assert inbox.envelopes == []
    # Recorded as failed, not as maybe delivered: a later run sends it to everyone.
    assert {d.state for d in store.get(meeting.id).deliveries} == {"failed"}


@dataclass
class _ClosingAtMail(Inbox):
    """An inbox whose server answers 421 (closing) to MAIL FROM."""

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        return "421 4.7.0 Too many connections, try again later"


def test_a_server_closing_at_mail_from_is_not_said_to_refuse_the_organizer(
    tmp_path: Path,
) -> None:
    # A 421 at any step is the server closing, not a refusal of what that step gave it.
    inbox = _ClosingAtMail()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        server = SmtpServer("127.0.0.1", port, timeout=5)
        with pytest.raises(DeliveryError) as raised:
            issue(meeting, "created", store=store, now=CREATED, channels=Channels(smtp=server))
    finally:
        controller.stop()
    assert str(raised.value).startswith(
        f"SMTP server 127.0.0.1:{port} is closing the connection: 421 4.7.0 Too many "
        "connections, try again later (the service is not available now, which usually "
        "passes: try again later); nothing was delivered"
    )
    assert meeting.organizer.email not in str(raised.value).split("; nothing")[0]


@dataclass
class _BusyAtMail(Inbox):
    """An inbox whose server answers 451 (a temporary failure: greylisting, a local error)
    to MAIL FROM, then takes the message on the next connection."""

    busy: bool = True

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        if self.busy:
            self.busy = False
            return "451 4.7.1 Greylisted, please try again later"
        envelope.mail_from = address
        return "250 OK"


def test_a_temporary_failure_at_mail_from_is_said_to_pass_not_to_refuse_the_organizer(
    tmp_path: Path,
) -> None:
    """A 4xx answer to MAIL FROM is the server's passing trouble, not a refusal of the
    organizer's address (which a 5xx is): the sentence says to try again, and the run
    again sends it, once."""
    from somnet.meetings.issuing import resend

    inbox = _BusyAtMail()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        channels = Channels(smtp=SmtpServer("127.0.0.1", port, timeout=5))
        with pytest.raises(DeliveryError) as raised:
            issue(meeting, "created", store=store, now=CREATED, channels=channels)
        said = str(raised.value).split("; nothing")[0]
        assert "refused the organizer" not in said, said
        assert "451 4.7.1 Greylisted" in said and "try again later" in said.split("Greylisted")[1]
        resend(store.get(meeting.id), store=store, now=CREATED, channels=channels)
    finally:
        controller.stop()
    assert len(inbox.envelopes) == 1


def test_a_server_that_wants_starttls_or_a_login_first_is_not_said_to_refuse_the_organizer(
    smtp_tls: tuple[Inbox, int, ssl.SSLContext], tmp_path: Path
) -> None:
    # The server answers 530 to MAIL FROM: without STARTTLS, then without a login.
    inbox, port, client_context = smtp_tls
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    plain = SmtpServer("127.0.0.1", port, timeout=5)
    for server in (plain, SmtpServer("127.0.0.1", port, security="starttls", timeout=5)):
        with pytest.raises(DeliveryError) as raised:
            issue(
                meeting,
                "created",
                store=store,
                now=CREATED,
                channels=Channels(smtp=server, ssl_context=client_context),
            )
        # What to do (the login's password variable), not the organizer's address, is named.
        assert meeting.organizer.email not in str(raised.value)
        assert "SOMNET_SMTP_PASSWORD" in str(raised.value)
        meeting = store.get(meeting.id)
    assert inbox.envelopes == []


def test_the_subject_is_told_in_the_languages_of_the_text(
    smtp: tuple[Inbox, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An attendee who reads another language somnet speaks finds the subject in it too, as
    the text; an invite in English alone keeps its English subject."""
    from somnet import _i18n
    from tests.i18n_helpers import ascii_words, pseudo_catalog

    pseudo_catalog("xx", tmp_path / "locale")
    monkeypatch.setattr(_i18n, "LOCALE_DIR", str(tmp_path / "locale"))
    monkeypatch.setattr(_i18n, "_catalogs", {})
    inbox, port = smtp
    store = MeetingStore(tmp_path / "store")
    reader = Person("lector@example.org", "Lector", languages=("xx",))
    english = Person("reader@example.org", "Reader", languages=("en",))
    subjects = []
    for people in [(reader, english), (english,)]:
        sample = recorded_sample(store)
        meeting = new_meeting(
            people,
            start=sample.start,
            duration=sample.duration,
            title="Title",
            organizer=sample.organizer,
            timezone="UTC",
            now=CREATED,
            meeting_id=store.new_id,
        )
        channels = Channels(smtp=SmtpServer("127.0.0.1", port))
        issue(meeting, "created", store=store, now=CREATED, channels=channels)
        cancel = cancelled_meeting(store.get(meeting.id), now=CREATED)
        issue(cancel, "cancelled", store=store, now=CREATED, channels=channels)
    subjects = [str(m["Subject"]) for m in inbox.messages()]
    assert len(subjects) == 4
    for told, alone in zip(subjects[:2], subjects[2:], strict=True):
        # The English words, then the same in the attendee's language (no ASCII word in it).
        english_part, _, rest = told.partition(" / ")
        words, _, title = rest.partition(": ")
        assert list(ascii_words(words)) == [] and words
        assert title.startswith("Title (")
        assert alone.startswith(english_part + ": Title (")
    # Each kind of message its own words, in every language.
    assert subjects[0].partition(":")[0] != subjects[1].partition(":")[0]
    assert all(" / " not in told for told in subjects[2:])


def test_a_title_with_line_breaks_is_one_line_in_the_subject(
    smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    """A title pasted with its line breaks (legal in SUMMARY) went to the Subject as it was:
    the e-mail package refused the header, and the invite stopped with a traceback once it was
    recorded."""
    inbox, port = smtp
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store, title="Regional coordination\r\nmigrant smuggling\n by sea")
    channels = Channels(smtp=SmtpServer("127.0.0.1", port))
    issued = issue(meeting, "created", store=store, now=CREATED, channels=channels)
    assert not issued.meeting.undelivered
    (message,) = inbox.messages()
    subject = str(message["Subject"])
    assert "Regional coordination migrant smuggling by sea (" in subject
    part = calendar_part(message)
    ours, _ = parse_both(part.get_payload(decode=True))
    # The invite keeps the title as it was given.
    assert "\n" in str(ours.walk("VEVENT")[0]["SUMMARY"])


def test_one_message_each_has_a_message_id_of_its_own_for_someone_no_longer_attending(
    tmp_path: Path,
) -> None:
    """A cancelled meeting's CANCEL also goes to an attendee an update took off whose own
    CANCEL never reached them; one message each, theirs had the Message-ID of the first
    attendee's message."""
    import attrs
    from aiosmtpd.controller import Controller

    from somnet.meetings.lifecycle import changed_meeting
    from tests.meeting_servers import free_port

    inbox = Refusing()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        store = MeetingStore(tmp_path)
        server = attrs.evolve(SmtpServer("127.0.0.1", port), per_attendee=True)
        meeting = recorded_sample(store)
        channels = Channels(smtp=server)
        issue(meeting, "created", store=store, now=CREATED, channels=channels)
        gone = meeting.attendees[-1]
        inbox.refuse = {gone.email}
        smaller = changed_meeting(
            store.get(meeting.id), now=CREATED, attendees=meeting.attendees[:-1]
        )
        with pytest.raises(IncompleteDeliveryError):
            issue(smaller, "updated", store=store, now=CREATED, channels=channels, removed=[gone])
        inbox.refuse = set()
        inbox.envelopes.clear()
        cancelled = cancelled_meeting(store.get(meeting.id), now=CREATED)
        issue(cancelled, "cancelled", store=store, now=CREATED, channels=channels)
    finally:
        controller.stop()
    sent = [
        (str(m["Message-ID"]), envelope.rcpt_tos)
        for envelope, m in zip(inbox.envelopes, inbox.messages(), strict=True)
    ]
    # One message each, the one taken off included, and no two with one Message-ID.
    assert sorted(to for _, tos in sent for to in tos) == sorted(p.email for p in meeting.attendees)
    assert len({message_id for message_id, _ in sent}) == len(sent)


@pytest.mark.parametrize("per_attendee", [False, True])
def test_an_address_a_server_cannot_take_is_refused_and_the_others_are_sent_it(
    tmp_path: Path, per_attendee: bool
) -> None:
    """An attendee whose address is not ASCII (josé@...) needs a server that takes such
    addresses (SMTPUTF8); one that does not refuses that attendee, as a mailbox refused at
    RCPT is, and the others are sent the invite."""
    import attrs
    from aiosmtpd.controller import Controller

    from tests.meeting_servers import free_port

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, enable_SMTPUTF8=False)
    controller.start()
    store = MeetingStore(tmp_path)
    people = [
        Person("a@example.org", "A"),
        Person("josé@example.org", "José"),
        Person("c@example.org", "C"),
    ]
    meeting = new_meeting(
        people,
        start=datetime(2027, 3, 3, 15, tzinfo=UTC),
        duration=60,
        title="T",
        organizer=Person("o@example.org", "O"),
        timezone="UTC",
        now=CREATED,
        meeting_id=store.new_id,
    )
    server = attrs.evolve(SmtpServer("127.0.0.1", port), per_attendee=per_attendee)
    try:
        with pytest.raises(IncompleteDeliveryError, match=r"josé@example\.org"):
            issue(meeting, "created", store=store, now=CREATED, channels=Channels(smtp=server))
    finally:
        controller.stop()
    reached = sorted(to for envelope in inbox.envelopes for to in envelope.rcpt_tos)
    assert reached == ["a@example.org", "c@example.org"]
    states = {d.to: d.state for d in store.get(meeting.id).deliveries}
    assert states == {
        "a@example.org": "delivered",
        "josé@example.org": "failed",
        "c@example.org": "delivered",
    }


@dataclass
class _DripsItsAnswer(Inbox):
    """An inbox whose server takes the message whole, then answers a line at a time (a
    reply of many lines, RFC 5321 section 4.2.1), each well within the client's timeout,
    for longer than the test waits."""

    lines: int = 60

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import asyncio

        self.envelopes.append(envelope)
        for _line in range(self.lines):
            await server.push("250-still working")
            await asyncio.sleep(0.25)
        return "250 Message accepted for delivery"


def test_a_server_that_drips_its_answer_is_given_up_on_at_the_timeout(tmp_path: Path) -> None:
    """The timeout bounds each answer of the server, not each wait for a line of it: a
    server that answers the end of a message a line at a time is given up on at the timeout,
    and the message, which went whole, is unconfirmed (it may have been delivered)."""
    inbox = _DripsItsAnswer()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    try:
        with pytest.raises(IncompleteDeliveryError) as raised:
            issue(
                meeting,
                "created",
                store=store,
                now=CREATED,
                channels=Channels(smtp=SmtpServer("127.0.0.1", port, timeout=1)),
            )
    finally:
        controller.stop()
    assert raised.value.reason.startswith(
        f"SMTP server 127.0.0.1:{port} did not answer within 1 s; not confirmed: "
    ), raised.value.reason
    assert len(inbox.envelopes) == 1
    recorded = store.get(meeting.id)
    assert {d.state for d in recorded.deliveries} == {"unconfirmed"}


@dataclass
class _Busy(Refusing):
    """An inbox whose server answers 450 (a temporary refusal) to the addresses in
    ``refuse`` at RCPT, and 451 to the data while ``busy``."""

    busy: bool = False

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.busy:
            return "451 4.3.0 Local error, try again later"
        return await super().handle_DATA(server, session, envelope)


def test_temporary_refusals_of_a_recipient_then_of_the_data_send_each_invitation_once(
    tmp_path: Path,
) -> None:
    """A 450 to one recipient among several: the others have it, that one is recorded as
    refused with the server's answer. A 451 to the data of the resend: nobody has it, nobody
    is recorded as having it. Once the server takes it, that one has it: everyone once."""
    from somnet.meetings.issuing import resend

    inbox = _Busy()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    busy = meeting.attendees[1].email
    inbox.refuse = {busy}
    channels = Channels(smtp=SmtpServer("127.0.0.1", port, timeout=5))
    try:
        with pytest.raises(IncompleteDeliveryError, match=f"refused {busy} \\(450 4.2.1"):
            issue(meeting, "created", store=store, now=CREATED, channels=channels)
        recorded = store.get(meeting.id)
        (failed,) = recorded.undelivered
        assert (failed.to, failed.state) == (busy, "failed")
        assert failed.reply is not None and failed.reply.startswith("450 4.2.1")
        inbox.refuse, inbox.busy = set(), True
        with pytest.raises(IncompleteDeliveryError, match=r"answered 451 4\.3\.0"):
            resend(recorded, store=store, now=CREATED, channels=channels)
        recorded = store.get(meeting.id)
        (failed,) = recorded.undelivered
        assert failed.reply is not None and failed.reply.startswith("SMTP server")
        inbox.busy = False
        resend(recorded, store=store, now=CREATED, channels=channels)
    finally:
        controller.stop()
    assert sorted(inbox.received()) == sorted(p.email for p in meeting.attendees)
    assert all(len(got) == 1 for got in inbox.received().values())
    assert not store.get(meeting.id).undelivered


@pytest.mark.parametrize("after", ["junk", "close"])
def test_a_starttls_that_fails_after_the_server_agreed_sends_nothing_in_clear(
    tmp_path: Path, after: str
) -> None:
    """A server that offers STARTTLS and agrees to it (220), then answers what is not TLS or
    closes: the run stops there, says TLS failed, records the invitations as not delivered,
    and never sends the login or a message over the connection left in clear."""
    import socket
    import threading

    heard: list[bytes] = []

    def serve(listener: socket.socket) -> None:
        connection, _address = listener.accept()
        with connection, connection.makefile("rb") as lines:
            connection.sendall(b"220 test ESMTP\r\n")
            for line in lines:
                heard.append(line)
                command = line.strip().upper()
                if command.startswith(b"EHLO"):
                    connection.sendall(b"250-test\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n")
                elif command == b"STARTTLS":
                    connection.sendall(b"220 2.0.0 Ready to start TLS\r\n")
                    if after == "junk":
                        connection.recv(4096)  # the client's hello
                        connection.sendall(b"this is not TLS\r\n" * 4)
                    break
                else:
                    connection.sendall(b"250 OK\r\n")

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        thread = threading.Thread(target=serve, args=(listener,), daemon=True)
        thread.start()
        port = listener.getsockname()[1]
        store = MeetingStore(tmp_path)
        meeting = recorded_sample(store)
        server = SmtpServer("127.0.0.1", port, "starttls", "officer", "secret", timeout=5)
        with pytest.raises(IncompleteDeliveryError) as raised:
            issue(meeting, "created", store=store, now=CREATED, channels=Channels(smtp=server))
        thread.join(5)
    # STARTTLS named: "TLS failed: WRONG_VERSION_NUMBER" alone did not say which TLS.
    assert raised.value.reason.startswith(
        f"SMTP server 127.0.0.1:{port}: TLS failed after STARTTLS: "
    ), raised.value.reason
    assert "nothing was delivered" in raised.value.reason
    assert [line.split()[0].upper() for line in heard] == [b"EHLO", b"STARTTLS"]
    assert {d.state for d in store.get(meeting.id).deliveries} == {"failed"}


class _OnTheAnswer(threading.Timer):
    """A timer whose limit passes just as the answer it watches arrives: it fires when it is
    cancelled, the answer read."""

    def cancel(self) -> None:
        if not self.finished.is_set():
            self.function(*self.args, **self.kwargs)
        super().cancel()


def test_an_answer_that_arrives_as_the_timeout_passes_is_taken_and_the_connection_kept(
    smtp: tuple[Inbox, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit on a whole answer passes just as the answer arrives: the answer is the
    server's, and the connection is not shut down under the next command (which would fail
    as if the server had closed it, and the next messages with it)."""
    inbox, port = smtp
    monkeypatch.setattr(threading, "Timer", _OnTheAnswer)
    store = MeetingStore(tmp_path)
    server = SmtpServer("127.0.0.1", port, per_attendee=True)
    meeting = recorded_sample(store)
    issue(meeting, "created", store=store, now=CREATED, channels=Channels(smtp=server))
    assert [e.rcpt_tos for e in inbox.envelopes] == [[p.email] for p in meeting.attendees]
    assert {d.state for d in store.get(meeting.id).deliveries} == {"delivered"}


@dataclass
class _RefusesTheDataOf(Inbox):
    """An inbox whose server accepts every recipient at RCPT, then answers ``reply`` to the
    data of a message to ``refuse`` (a mailbox's own policy, its quota, checked on the
    content: RFC 5321 section 3.3 lets a server refuse there what it accepted at RCPT)."""

    refuse: str = ""
    reply: str = "550 5.7.1 Message refused by the recipient's policy"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse in envelope.rcpt_tos:
            return self.reply
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.parametrize(
    "reply",
    ["550 5.7.1 Message refused by the recipient's policy", "452 4.2.2 Mailbox full"],
)
def test_the_data_of_one_attendees_message_refused_does_not_keep_the_others_from_theirs(
    tmp_path: Path, reply: str
) -> None:
    """One message per attendee, and the server refuses the data of one of them (after
    RCPT took the address): that attendee is refused, as at RCPT, and the messages to the
    others go; run again, the others are not sent it twice, and that one is tried again. It
    stopped at that attendee's message, every run: those after it never had the invite."""
    from somnet.meetings.issuing import resend

    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    first, refused, *after = [p.email for p in meeting.attendees]
    assert after
    inbox = _RefusesTheDataOf(refuse=refused, reply=reply)
    server = SmtpServer("127.0.0.1", free_port(), per_attendee=True, timeout=5)
    controller = Controller(inbox, hostname="127.0.0.1", port=server.port)
    controller.start()
    channels = Channels(smtp=server)
    try:
        with pytest.raises(IncompleteDeliveryError) as raised:
            issue(meeting, "created", store=store, now=CREATED, channels=channels)
        assert raised.value.refused_only
        assert f"refused {refused} ({reply})" in raised.value.reason
        recorded = store.get(meeting.id)
        states = {d.to: d.state for d in recorded.deliveries}
        assert states == {a: "failed" if a == refused else "delivered" for a in states}
        assert [e.rcpt_tos for e in inbox.envelopes] == [[first], *[[a] for a in after]]
        with pytest.raises(IncompleteDeliveryError):
            resend(recorded, store=store, now=CREATED, channels=channels)
        inbox.refuse = ""
        resend(store.get(meeting.id), store=store, now=CREATED, channels=channels)
    finally:
        controller.stop()
    got = [e.rcpt_tos for e in inbox.envelopes]
    assert sorted(got) == sorted([p.email] for p in meeting.attendees)
    assert not store.get(meeting.id).undelivered


@dataclass
class _RefusesOneThenFallsSilent(Refusing):
    """An inbox whose server refuses the addresses in ``refuse`` at RCPT, takes the message
    whole for the others, and then gives no answer for longer than the client waits."""

    silent: bool = True

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import asyncio

        self.envelopes.append(envelope)
        if self.silent:
            await asyncio.sleep(3)
        return "250 Message accepted for delivery"


def test_a_recipient_refused_at_rcpt_stays_refused_when_the_message_goes_unanswered(
    tmp_path: Path,
) -> None:
    """One message to all: the server refuses one address at RCPT and takes the others,
    then does not answer the message's end in time. The others may have it (unconfirmed);
    the one refused was not sent it, and is recorded refused with the server's answer, not
    as one the message may have reached: it was counted among those an invitation reached,
    and sent the meeting's CANCEL, refused again, at every cancellation."""
    store = MeetingStore(tmp_path)
    meeting = recorded_sample(store)
    unknown = meeting.attendees[1].email
    inbox = _RefusesOneThenFallsSilent(refuse={unknown})
    server = SmtpServer("127.0.0.1", free_port(), timeout=1)
    controller = Controller(inbox, hostname="127.0.0.1", port=server.port)
    controller.start()
    try:
        with pytest.raises(IncompleteDeliveryError) as raised:
            issue(meeting, "created", store=store, now=CREATED, channels=Channels(smtp=server))
        recorded = store.get(meeting.id)
        states = {d.to: d.state for d in recorded.deliveries}
        assert states == {a: "failed" if a == unknown else "unconfirmed" for a in states}
        (failed,) = [d for d in recorded.deliveries if d.to == unknown]
        assert failed.reply is not None and failed.reply.startswith("550 5.1.1")
        assert f"refused {unknown} (550 5.1.1" in raised.value.reason
        assert unknown not in raised.value.reason.partition("not confirmed:")[2].split(";")[0]
        assert unknown not in recorded.reached
        inbox.silent = False
        inbox.envelopes.clear()
        cancel(
            recorded, store=store, now=CREATED + timedelta(days=1), channels=Channels(smtp=server)
        )
    finally:
        controller.stop()
    assert [e.rcpt_tos for e in inbox.envelopes] == [
        [p.email for p in meeting.attendees if p.email != unknown]
    ]


def test_a_message_in_words_that_are_not_ascii_goes_in_seven_bits(
    smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    """A short invitation in Spanish (every line of its text short) goes quoted-printable or
    base64, every byte of the message ASCII: 8-bit data may go only to a server that offers
    8BITMIME, declared with BODY=8BITMIME (RFC 6152 section 3), and somnet did neither; a
    server that takes 7 bits only may strip the eighth and garble the invitation's words."""
    from somnet.meetings.lifecycle import new_meeting

    inbox, port = smtp
    store = MeetingStore(tmp_path)
    person = Person("dgm@example.org", "DGM", languages=("es",))
    meeting = new_meeting(
        [person],
        start=datetime(2027, 3, 15, 14, 0, tzinfo=UTC),
        duration=60,
        title="Reunión",
        organizer=Person("rop@example.org", "ROP"),
        timezone="America/Panama",
        now=CREATED,
        meeting_id=store.new_id,
    )
    issue(
        meeting,
        "created",
        store=store,
        now=CREATED,
        channels=Channels(smtp=SmtpServer("127.0.0.1", port)),
    )
    (envelope,) = inbox.envelopes
    raw = envelope.original_content or b""
    assert raw.isascii(), sorted({b for b in raw if b > 127})
    (message,) = inbox.messages()
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    assert "Reunión" in text.get_content()
    assert "Reunión" in message["Subject"]
