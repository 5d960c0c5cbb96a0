"""A real HTTP server on 127.0.0.1 that serves a published site, with faults programmed per path.

The sync tests talk to it through httpx exactly as a client talks to a regional office's web
server; the faults are what such a server (or the network in front of it, or an attacker who
controls either) can do: answer with an error status, reset the connection, stall, stop in the
middle of a body, never stop, send its headers or body a byte at a time, send headers without
end, answer 304 whatever was asked, send odd headers, or redirect elsewhere. With ``tls`` it
serves HTTPS.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import ssl
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal

import attrs

FaultKind = Literal[
    "status",
    "reset",
    "slow",
    "truncate",
    "endless",
    "content",
    "drip",
    "endless-headers",
    "not-modified",
    "headers",
    "redirect",
    "hold",
    "stall",
    "empty",
]


@attrs.define
class Fault:
    """What the server does instead of serving a file, for the next ``times`` requests (all
    requests when None).

    ``drip`` sends the response a byte every ``seconds``: from the status line on when
    ``part`` is "headers", else the headers at once and then the body. ``endless-headers``
    sends header lines until the client hangs up (a byte every ``seconds`` if not 0).
    ``not-modified`` answers 304 to every request. ``headers`` serves the file (or ``content``)
    with the raw header lines ``headers`` instead of its ETag, after its Content-Length unless
    ``sized`` is False. ``redirect`` answers ``status`` with
    ``Location: location``. ``hold`` serves the file once ``SiteServer.release`` is set.
    ``truncate`` sends half the file and closes the connection, after a Content-Length of the
    whole file, or with ``sized`` False none (the body then ends when the connection does).
    ``stall`` sends the headers of the whole file, then nothing until the server stops.
    ``empty`` answers 200 OK with an empty body (Content-Length: 0).
    ``status`` answers ``status`` with the raw header lines ``headers`` and ``content``, if
    any, as its body.
    """

    kind: FaultKind
    status: int = 500
    seconds: float = 0.0
    content: bytes = b""
    times: int | None = None
    part: Literal["headers", "body"] = "body"
    headers: tuple[bytes, ...] = ()
    location: str = ""
    sized: bool = True


@attrs.define
class Request:
    path: str
    headers: dict[str, str]


class _CountingServer(ThreadingHTTPServer):
    """Counts the connections accepted (a TLS handshake that fails is one, without a request)."""

    connections = 0

    def get_request(self) -> tuple[socket.socket, Any]:
        self.connections += 1
        return super().get_request()


class SiteServer:
    """Serves the files of ``root`` over HTTP/1.0 on a free loopback port, with an ETag per
    file (its SHA-256) and 304 for a matching If-None-Match; over HTTPS with ``tls``."""

    def __init__(self, root: Path, *, tls: ssl.SSLContext | None = None) -> None:
        self.root = root
        self.faults: dict[str, Fault] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        #: Set to let the requests held by a ``hold`` fault go on.
        self.release = threading.Event()
        self._lock = threading.Lock()
        handler = _handler_for(self)
        self.httpd = _CountingServer(("127.0.0.1", 0), handler)
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        # Join every handler thread on close, so that no thread outlives a test.
        self.httpd.daemon_threads = False
        self.httpd.block_on_close = True
        self.port = self.httpd.server_address[1]
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and join every thread (a second call does nothing)."""
        if self.stopping.is_set():
            return
        self.stopping.set()
        self.httpd.shutdown()
        self._thread.join()
        self.httpd.server_close()

    def fault(self, path: str, fault: Fault) -> None:
        """Apply ``fault`` to requests for ``path`` (e.g. ``/manifest.json``)."""
        with self._lock:
            self.faults[path] = fault

    def clear(self) -> None:
        with self._lock:
            self.faults.clear()
            self.requests.clear()

    @property
    def connections(self) -> int:
        """Connections accepted so far."""
        return self.httpd.connections

    def paths(self) -> list[str]:
        """The paths requested so far, in order."""
        with self._lock:
            return [r.path for r in self.requests]

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            fault = self.faults.get(path)
            if fault is None:
                return None
            if fault.times is not None:
                if fault.times <= 0:
                    return None
                fault.times -= 1
            return fault

    def _record(self, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append(Request(path, headers))


@contextmanager
def serving(root: Path, *, tls: ssl.SSLContext | None = None) -> Iterator[SiteServer]:
    server = SiteServer(root, tls=tls)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _handler_for(server: SiteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: pytest shows stderr of failing tests

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            server._record(path, {k.lower(): v for k, v in self.headers.items()})
            # The client may hang up, as it should on an endless body.
            with contextlib.suppress(
                BrokenPipeError, ConnectionResetError, ConnectionAbortedError, ssl.SSLError
            ):
                self._answer(path)

        def _answer(self, path: str) -> None:
            fault = server._take_fault(path)
            if fault is not None and fault.kind == "empty":
                self._send(200, b"")
                return
            if fault is not None and fault.kind == "status":
                body = fault.content or f"error {fault.status}\n".encode()
                if fault.headers:
                    lines = b"".join(line + b"\r\n" for line in fault.headers)
                    self._raw(
                        f"HTTP/1.0 {fault.status} {self.responses[fault.status][0]}\r\n".encode()
                        + f"Content-Length: {len(body)}\r\n".encode()
                        + lines
                        + b"\r\n"
                        + body
                    )
                    return
                self._send(fault.status, body)
                return
            if fault is not None and fault.kind == "reset":
                # SO_LINGER 0: close() sends a TCP RST instead of a FIN.
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
                self.close_connection = True
                return
            if fault is not None and fault.kind == "slow":
                server.stopping.wait(fault.seconds)
            if fault is not None and fault.kind == "hold":
                while not server.release.wait(0.02) and not server.stopping.is_set():
                    pass
            if fault is not None and fault.kind == "redirect":
                self.send_response(fault.status)
                self.send_header("Location", fault.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if fault is not None and fault.kind == "endless-headers":
                self._raw(b"HTTP/1.0 200 OK\r\n")
                while not server.stopping.is_set():
                    line = b"X-Filler: " + b"a" * 60 + b"\r\n"
                    if fault.seconds:
                        self._drip(line, fault.seconds)
                    else:
                        self._raw(line)
                return
            if fault is not None and fault.kind == "endless":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()  # no Content-Length: the body ends when the connection does
                chunk = b"x" * 65536
                while not server.stopping.is_set():
                    self.wfile.write(chunk)
                return
            if fault is not None and (
                fault.kind == "content" or (fault.kind == "headers" and fault.content)
            ):
                content = fault.content
            else:
                file = server.root / path.lstrip("/")
                try:
                    if not path.startswith("/") or ".." in path:
                        raise FileNotFoundError(path)
                    content = file.read_bytes()
                except (FileNotFoundError, IsADirectoryError):  # a publisher may prune it now
                    self._send(404, b"not found\n")
                    return
            etag = etag_of(content)
            if fault is not None and fault.kind == "not-modified":
                self._raw(f"HTTP/1.0 304 Not Modified\r\nETag: {etag}\r\n\r\n".encode())
                return
            if fault is not None and fault.kind == "headers":
                lines = b"".join(line + b"\r\n" for line in fault.headers)
                length = f"Content-Length: {len(content)}\r\n".encode() if fault.sized else b""
                self._raw(b"HTTP/1.0 200 OK\r\n" + length + lines + b"\r\n" + content)
                return
            if fault is not None and fault.kind == "drip":
                head = (
                    f"HTTP/1.0 200 OK\r\nContent-Length: {len(content)}\r\nETag: {etag}\r\n\r\n"
                ).encode()
                if fault.part == "headers":
                    self._drip(head + content, fault.seconds)
                else:
                    self._raw(head)
                    self._drip(content, fault.seconds)
                return
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            if fault is not None and fault.kind == "stall":
                self._raw(f"HTTP/1.0 200 OK\r\nContent-Length: {len(content)}\r\n\r\n".encode())
                server.stopping.wait()
                return
            if fault is not None and fault.kind == "truncate":
                self.send_response(200)
                if fault.sized:
                    self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content[: len(content) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self._send(200, content, etag=etag)

        def _raw(self, data: bytes) -> None:
            self.wfile.write(data)
            self.wfile.flush()

        def _drip(self, data: bytes, seconds: float) -> None:
            """Send ``data`` a byte at a time, until the client hangs up or the server stops."""
            for i in range(len(data)):
                self._raw(data[i : i + 1])
                if server.stopping.wait(seconds):
                    return

        def _send(self, status: int, content: bytes, *, etag: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(content)

    return Handler
