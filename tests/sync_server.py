"""A real HTTP server on 127.0.0.1 that serves a published site, with faults programmed per path.

The sync tests talk to it through httpx exactly as a client talks to a regional office's web
server; the faults are what such a server (or the network in front of it) can do: answer with
an error status, reset the connection, stall, stop in the middle of a body, or never stop.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal

import attrs

FaultKind = Literal["status", "reset", "slow", "truncate", "endless", "content"]


@attrs.define
class Fault:
    """What the server does instead of serving a file, for the next ``times`` requests (all
    requests when None)."""

    kind: FaultKind
    status: int = 500
    seconds: float = 0.0
    content: bytes = b""
    times: int | None = None


@attrs.define
class Request:
    path: str
    headers: dict[str, str]


class SiteServer:
    """Serves the files of ``root`` over HTTP/1.0 on a free loopback port, with an ETag per
    file (its SHA-256) and 304 for a matching If-None-Match."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.faults: dict[str, Fault] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        handler = _handler_for(self)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        # Join every handler thread on close, so that no thread outlives a test.
        self.httpd.daemon_threads = False
        self.httpd.block_on_close = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
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
def serving(root: Path) -> Iterator[SiteServer]:
    server = SiteServer(root)
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
            with contextlib.suppress(BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                self._answer(path)

        def _answer(self, path: str) -> None:
            fault = server._take_fault(path)
            if fault is not None and fault.kind == "status":
                self._send(fault.status, f"error {fault.status}\n".encode())
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
            if fault is not None and fault.kind == "endless":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()  # no Content-Length: the body ends when the connection does
                chunk = b"x" * 65536
                while not server.stopping.is_set():
                    self.wfile.write(chunk)
                return
            if fault is not None and fault.kind == "content":
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
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            if fault is not None and fault.kind == "truncate":
                self.send_response(200)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content[: len(content) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self._send(200, content, etag=etag)

        def _send(self, status: int, content: bytes, *, etag: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(content)

    return Handler
