"""A wall-clock limit on an HTTP exchange, headers and body included, for httpx clients.

httpx's timeout bounds each wait for a byte: a server that sends its answer a byte at a time,
each within the timeout, never trips it. A :class:`Watchdog` is given every connection the
client opens (through httpx's ``trace`` extension) and, when its limit passes, shuts them
down from a timer thread, so that a read stuck in the headers or the body returns. The sync
bounds a whole sync so; a CalDAV delivery, each request.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any


class Watchdog:
    """Shut down the connections a client opens once ``seconds`` have passed from entering.

    ``expired`` says the limit passed; ``cut`` whether a connection was shut down then (or
    opened after, and shut down at once); ``sent`` whether a request had begun to go on a
    connection not cut: a limit that passed before anything went (a server name that took the
    whole limit to resolve, then a connection refused) leaves the server with nothing.

    A connection a client reuses from its pool is not handed over by ``trace``: only the
    connections opened while the watchdog runs are bounded.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self.cut = False
        self.sent = False
        self._lock = threading.Lock()
        self._sockets: list[Any] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        if self._timer.ident is not None:  # started
            self._timer.join()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpx's ``trace`` extension: keep each connection opened, and note when a request
        begins to go (on a connection not shut down: ``_expire`` shuts them down holding the
        lock, so none goes on one it has cut)."""
        if event.endswith(".send_request_headers.started"):
            with self._lock:
                self.sent = not self.cut
            return
        if not event.endswith((".connect_tcp.complete", ".start_tls.complete")):
            return
        stream = info.get("return_value")
        connection = getattr(stream, "get_extra_info", lambda _name: None)("socket")
        if connection is None:
            return
        with self._lock:
            self._sockets.append(connection)
            expired = self.expired
            self.cut = self.cut or expired
        if expired:
            shut_down(connection)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            self.cut = bool(self._sockets)
            for connection in self._sockets:
                shut_down(connection)


def shut_down(connection: Any) -> None:
    """End a connection's reads and writes at once, from another thread (the socket's own
    method, not ``SSLSocket.shutdown``, which would pull the TLS state from under a reader)."""
    with contextlib.suppress(OSError, TypeError):
        socket.socket.shutdown(connection, socket.SHUT_RDWR)
