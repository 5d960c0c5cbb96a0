"""A minimal forward proxy on 127.0.0.1, as agencies on ships and in ministries reach the
internet through: it relays GET requests for plain http (the absolute URI rewritten to the
path) and tunnels https with CONNECT, and records what it was asked. Or it misbehaves as a
proxy can: answers every request with one status (502 for a site it cannot reach, 407 when it
wants credentials), or accepts the connection and never answers.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import urlsplit

import attrs

ProxyMode = Literal["relay", "status", "silent"]

#: Headers for the proxy itself, never passed on to the site.
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "upgrade"}
)


@attrs.frozen
class Relayed:
    """A request the proxy was asked: ``GET http://host:port/path`` or ``CONNECT host:port``,
    with the credentials it was given (``Proxy-Authorization``), if any."""

    method: str
    target: str
    credentials: str | None = None


class Proxy:
    """A forward proxy on a free loopback port.

    ``mode`` is "relay" (the default: relay and tunnel), "status" (answer every request with
    ``status``, without reaching the site) or "silent" (read the request, never answer, until
    the proxy stops); with ``divert`` its tunnels go elsewhere than asked.
    """

    def __init__(self) -> None:
        self.mode: ProxyMode = "relay"
        self.status = 502
        #: Where CONNECT tunnels really go (``host``, ``port``), whatever they ask for: a
        #: proxy that intercepts https, or is misconfigured.
        self.divert: tuple[str, int] | None = None
        self.relayed: list[Relayed] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = False
        self.httpd.block_on_close = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self.stopping.is_set():
            return
        self.stopping.set()
        self.httpd.shutdown()
        self._thread.join()
        self.httpd.server_close()

    def methods(self) -> list[str]:
        """``METHOD target`` of every request, in order."""
        with self._lock:
            return [f"{r.method} {r.target}" for r in self.relayed]

    def _record(self, relayed: Relayed) -> None:
        with self._lock:
            self.relayed.append(relayed)


@contextmanager
def proxying() -> Iterator[Proxy]:
    proxy = Proxy()
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()


def _handler_for(proxy: Proxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            with contextlib.suppress(OSError):
                if self._misbehave():
                    return
                parts = urlsplit(self.path)
                if parts.scheme != "http" or not parts.hostname:
                    self._refuse(400, "an absolute http URI is expected")
                    return
                path = parts.path or "/"
                if parts.query:
                    path += "?" + parts.query
                lines = [f"GET {path} HTTP/1.1"]
                lines += [
                    f"{name}: {value}"
                    for name, value in self.headers.items()
                    if name.lower() not in _HOP_BY_HOP
                ]
                lines.append("Connection: close")
                head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
                self._relay(parts.hostname, parts.port or 80, head)

        def do_CONNECT(self) -> None:
            with contextlib.suppress(OSError):
                if self._misbehave():
                    return
                host, _, port = self.path.rpartition(":")
                self._relay(*(proxy.divert or (host, int(port))), None)

        def _misbehave(self) -> bool:
            proxy._record(Relayed(self.command, self.path, self.headers.get("Proxy-Authorization")))
            if proxy.mode == "silent":
                proxy.stopping.wait()
                self.close_connection = True
                return True
            if proxy.mode == "status":
                extra = (
                    (("Proxy-Authenticate", 'Basic realm="ministry"'),)
                    if proxy.status == 407
                    else ()
                )
                self._refuse(proxy.status, f"the proxy answers {proxy.status}", extra)
                return True
            return False

        def _refuse(
            self, status: int, text: str, headers: tuple[tuple[str, str], ...] = ()
        ) -> None:
            body = (text + "\n").encode()
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True

        def _relay(self, host: str, port: int, head: bytes | None) -> None:
            """Connect to the site and pass bytes both ways until either side closes (after
            sending ``head``, or telling the client the tunnel is open)."""
            self.close_connection = True
            try:
                upstream = socket.create_connection((host, port), timeout=5)
            except OSError:
                self._refuse(502, f"cannot reach {host}:{port}")
                return
            with upstream:
                if head is None:
                    self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    self.wfile.flush()
                else:
                    upstream.sendall(head)
                client = self.connection
                ends = [client, upstream]
                while not proxy.stopping.is_set():
                    ready, _, _ = select.select(ends, [], [], 0.05)
                    for end in ready:
                        data = end.recv(65536)
                        if not data:
                            return
                        (upstream if end is client else client).sendall(data)

    return Handler
