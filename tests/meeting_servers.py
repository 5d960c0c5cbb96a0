"""Real servers on 127.0.0.1 for the invite tests: aiosmtpd SMTP servers (plain, refusing some
recipients or messages, STARTTLS with a login, TLS from the first byte), Radicale for CalDAV,
and scripted HTTP servers for the faults and quirks Radicale does not show."""

from __future__ import annotations

import contextlib
import email
import email.policy
import http.server
import re
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

import httpx
import icalendar
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session, syntax

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


@dataclass
class Silent:
    """A server on 127.0.0.1 that accepts connections, reads what comes and never answers;
    ``connections`` counts those it accepted (each request a client gave up on)."""

    port: int
    connections: int = 0


@pytest.fixture
def silent_server() -> Iterator[Silent]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        server.settimeout(0.1)
        silent = Silent(server.getsockname()[1])
        held: list[socket.socket] = []
        stop = threading.Event()

        def accept() -> None:
            while not stop.is_set():
                try:
                    conn, _ = server.accept()
                except TimeoutError:
                    continue
                held.append(conn)
                silent.connections += 1

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        try:
            yield silent
        finally:
            stop.set()
            thread.join(5)
            for conn in held:
                conn.close()


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


@contextlib.contextmanager
def serving(handler: Any) -> Iterator[int]:
    """An aiosmtpd server with ``handler`` on a free loopback port (the port), stopped at the
    end."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with serving(inbox) as port:
        yield inbox, port


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


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    """A server's TLS context for the test certificate (its certificate and key files)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def smtp_tls(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int, ssl.SSLContext]]:
    """An SMTP server that requires STARTTLS and a login; and a client context trusting it."""
    cert_file, server_context = certificate[0], _server_context(certificate)
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


class _NoStarttls(SMTPServer):
    """An SMTP server that offers STARTTLS, then refuses it (454, RFC 3207 section 4)."""

    @syntax("STARTTLS", when="tls_context")
    async def smtp_STARTTLS(self, arg: str) -> None:
        await self.push("454 4.7.0 TLS not available due to temporary reason")


class _NoStarttlsController(Controller):
    def factory(self) -> SMTPServer:
        return _NoStarttls(self.handler, **self.SMTP_kwargs)


@pytest.fixture
def smtp_refusing_starttls(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int]]:
    """An SMTP server that offers STARTTLS and answers 454 to it."""
    inbox = Inbox()
    port = free_port()
    controller = _NoStarttlsController(
        inbox, hostname="127.0.0.1", port=port, tls_context=_server_context(certificate)
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


class _ClosingAtStarttls(SMTPServer):
    """An SMTP server that offers STARTTLS, then answers 421 to it and closes the connection
    (RFC 5321 section 3.8: a server shutting down, or over its load, may answer any command
    so)."""

    @syntax("STARTTLS", when="tls_context")
    async def smtp_STARTTLS(self, arg: str) -> None:
        await self.push("421 4.3.2 Service shutting down, closing transmission channel")
        self.transport.close()


class _ClosingAtStarttlsController(Controller):
    def factory(self) -> SMTPServer:
        return _ClosingAtStarttls(self.handler, **self.SMTP_kwargs)


@pytest.fixture
def smtp_closing_at_starttls(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int]]:
    """An SMTP server that offers STARTTLS and answers 421 to it (closing the connection)."""
    inbox = Inbox()
    port = free_port()
    controller = _ClosingAtStarttlsController(
        inbox, hostname="127.0.0.1", port=port, tls_context=_server_context(certificate)
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


class _ClosingAtAuth(SMTPServer):
    """An SMTP server that offers a login (AUTH), then answers 421 to it and closes the
    connection (RFC 5321 section 3.8: any command may be answered so)."""

    @syntax("AUTH <mechanism>")
    async def smtp_AUTH(self, arg: str) -> None:
        await self.push("421 4.3.2 Service shutting down, closing transmission channel")
        self.transport.close()


class _ClosingAtAuthController(Controller):
    def factory(self) -> SMTPServer:
        return _ClosingAtAuth(self.handler, **self.SMTP_kwargs)


@pytest.fixture
def smtp_closing_at_auth() -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on 127.0.0.1 that offers AUTH in clear and answers 421 to it (closing
    the connection)."""
    inbox = Inbox()
    port = free_port()
    controller = _ClosingAtAuthController(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def smtps(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int, Path]]:
    """An SMTP server speaking TLS from the first byte (smtps://), with a login; and the
    certificate a client must trust to reach it."""
    cert_file, server_context = certificate[0], _server_context(certificate)
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


@dataclass
class Flaky(Inbox):
    """An inbox that refuses every message after the first ``accept``."""

    accept: int = 1

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        if len(self.envelopes) >= self.accept:
            return "554 5.3.4 Message refused for this test"
        return await super().handle_DATA(server, session, envelope)


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
    with serving(inbox) as port:
        yield inbox, port


@pytest.fixture
def flaky() -> Iterator[tuple[Flaky, int]]:
    """A server that takes the first message and refuses the rest (raise ``accept`` for
    more)."""
    inbox = Flaky(accept=1)
    with serving(inbox) as port:
        yield inbox, port


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


def calendar_part(message: email.message.EmailMessage) -> email.message.EmailMessage:
    """The inline text/calendar part of an iMIP message."""
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return part  # type: ignore[return-value]


class _Scripted(http.server.BaseHTTPRequestHandler):
    """A loopback HTTP server answering PUT and GET as the test says: for the faults and
    quirks Radicale does not show (a 503, a PUT answered without an ETag)."""

    answers: ClassVar[dict[str, tuple[int, dict[str, str]]]] = {}
    bodies: ClassVar[dict[str, bytes]] = {}  # the body of each answer (none unless given)
    seen: ClassVar[list[tuple[str, dict[str, str]]]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.seen.append((self.command, dict(self.headers)))
        status, headers = self.answers[self.command]
        body = self.bodies.get(self.command, b"")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_GET = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def scripted() -> Iterator[tuple[str, type[_Scripted]]]:
    handler = type("Handler", (_Scripted,), {"answers": {}, "bodies": {}, "seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/cal/", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


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
