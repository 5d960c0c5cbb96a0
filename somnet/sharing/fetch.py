"""Fetching over HTTP for a sync: one wall-clock deadline for everything fetched, bounded
retries with backoff (network errors and 5xx answers, never a certificate that does not
verify), conditional GET, size caps, and redirects followed within the site's host only.

Nothing is kept from what a server says but the body asked for, its ETag and the URL it was
found at; the caller checks all three.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from somnet._exceptions import BadInputError, NetworkError, StorageError, VerificationError
from somnet._i18n import Message, _, _n
from somnet._watchdog import Watchdog
from somnet.sharing.manifest import SIGNED_MANIFEST_NAME, shown

if TYPE_CHECKING:
    import httpx

#: Redirects followed (within the site's host) before giving up.
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: Called with (bytes received, bytes expected) while a download goes on.
Progress = Callable[[int, int], None]


def signed_manifest_url(url: str) -> str:
    """The signed manifest's URL for a site's URL (``https://host/somnet/``); a URL ending in
    ``.json`` is taken as the signed manifest's own.

    Raises:
        BadInputError: not an http(s) URL with a host, or its host no host name (a part
            between dots empty or past 63 characters, a punycode name IDNA cannot read;
            field ``url``).
    """
    import httpx

    from somnet._urls import (
        authority_problem,
        host_problem,
        idna_cannot_read,
        without_credentials,
        written_host,
    )

    text = url.strip()
    try:
        # A byte that is not UTF-8 (typed in a Latin-1 shell) reaches here as a lone surrogate,
        # which httpx refuses in Python's English words.
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError(_("it holds a byte that is not UTF-8 text")) from None
        # Read first: httpx's reasons are Python's English words, and not always the right ones.
        problem = authority_problem(text)
        if problem is not None:
            raise ValueError(problem)
        parsed = httpx.URL(text)
        # The host is decoded (IDNA) and the port read only when asked for: a punycode name
        # that is no valid name, or a port past 65535, is refused here, not when connecting.
        try:
            parsed.host  # noqa: B018 - decoded (IDNA) when read: a bad name raises here
        except UnicodeError:  # idna's English words: said as a redirect to it is
            raise ValueError(idna_cannot_read(written_host(text) or parsed.raw_host)) from None
        if parsed.host and parsed.port is not None and not 0 < parsed.port < 65536:
            raise ValueError(_("port {port} is not one from 1 to 65535").format(port=parsed.port))
        # A part of a name past 63 characters, or empty, or one in punycode IDNA cannot read
        # after another (httpx reads only a name that begins with one): refused as the request
        # went out, in the codec's words, as if the server had redirected to what is not a URL.
        problem = host_problem(parsed.host, written_host(text)) if parsed.host else None
        if problem is not None:
            raise ValueError(problem)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        # The reasons above are messages, told in the language in use (a ValueError's text
        # is their English); httpx's own are said as they come.
        said = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else exc
        shown = without_credentials(url)  # a password is never shown, even in what is unread
        raise BadInputError(
            _("{repr}: not a URL ({exc})").format(repr=repr(shown), exc=said),
            field="url",
            value=shown,
        ) from None
    # A password in the URL is never echoed, whatever else is wrong with it (one in a URL
    # without its scheme, which no parser reads as one, too).
    bare = (
        str(parsed.copy_with(username=None, password=None))
        if parsed.userinfo
        else without_credentials(url)
    )
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise BadInputError(
            _("{repr}: not an http(s) URL; give the site, e.g. https://example.org/somnet/").format(
                repr=repr(bare)
            ),
            field="url",
            value=bare,
        )
    if parsed.userinfo:
        # Kept in the sync state, which other accounts of the machine may read, and shown by
        # status and in errors: a password there would be given away.
        raise BadInputError(
            _(
                "{url}: a user name or password in the URL would be stored in the sync state "
                "and shown by status; give the site's URL without them (the directory is "
                "signed: the site needs no password)"
            ).format(url=bare),
            field="url",
            value=bare,
        )
    if parsed.path.endswith(".json"):
        return str(parsed)
    path = parsed.path if parsed.path.endswith("/") else parsed.path + "/"
    return str(parsed.copy_with(path=path + SIGNED_MANIFEST_NAME, query=None, fragment=None))


def _named_authorities() -> tuple[str, str] | None:
    """The variable that names the certificate authorities to trust, and its value, as httpx
    reads them (``SSL_CERT_FILE``, else ``SSL_CERT_DIR``); None when neither is set."""
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        value = os.environ.get(name)
        if value:
            return name, value
    return None


def check_environment_certificates() -> None:
    """Check the certificate authorities the environment names for TLS, which the HTTP client
    loads when it is made (``SSL_CERT_FILE``, else ``SSL_CERT_DIR``, as httpx reads them; a
    ministry's own bundle, say): a file that cannot be read or holds no certificate, or a
    folder that is not one, is refused before anything is written.

    Raises:
        BadInputError: field the variable's name, value its value.
    """
    import ssl

    named = _named_authorities()
    if named is None:
        return
    name, value = named
    if name == "SSL_CERT_FILE":  # the folder is not read when a file is named
        try:
            ssl.create_default_context(cafile=value)
        except (OSError, ssl.SSLError, ValueError) as exc:
            reason: object
            if isinstance(exc, FileNotFoundError):
                reason = _("no such file")
            elif isinstance(exc, IsADirectoryError):
                reason = _("a folder, not a file")
            elif isinstance(exc, ssl.SSLError):
                reason = _("no certificate in it")
            else:
                reason = getattr(exc, "strerror", None) or str(exc)
            raise BadInputError(
                _(
                    "{value}: {reason}; name a file of the certificate authorities to trust "
                    "(PEM), or unset it to trust the usual ones"
                ).format(value=repr(value), reason=reason),
                field=name,
                value=value,
            ) from None
    elif not os.path.isdir(value):
        raise BadInputError(
            _(
                "{value}: not a folder; name the folder of the certificate authorities to trust "
                "(hashed, as openssl rehash leaves it), or unset it to trust the usual ones"
            ).format(value=repr(value)),
            field=name,
            value=value,
        )


def trusted_authorities() -> str | None:
    """Where the certificate authorities trusted come from when the environment names them
    (``SSL_CERT_FILE=...``), for a message about a certificate refused; None otherwise."""
    named = _named_authorities()
    return None if named is None else f"{named[0]}={named[1]}"


@attrs.frozen
class Fetched:
    """A small file fetched whole.

    Attributes:
        content: its bytes.
        etag: the ETag the server gave, as it gave it (None without one).
        url: where it was found, after redirects.
        encoding: the ``Content-Encoding`` it came with (shown), None for none or identity:
            its bytes are as they came, never decoded.
        announced: the length its ``Content-Length`` announced, None without one or when
            the body came in chunks, which override it.
    """

    content: bytes
    etag: str | None
    url: str
    encoding: str | None = None
    announced: int | None = None


@attrs.frozen
class _Asked:
    """When a server asks to be asked again (``Retry-After``): in words, for a message, and
    the seconds from now, 0 for a moment already past."""

    said: Message
    seconds: float


class _ServerError(Exception):
    """A 5xx answer, or a 429 that says when to ask again: worth another attempt, no sooner
    than ``retry_after`` asks (:func:`_retry_after`); ``proxy`` is the proxy it came through,
    if any (``host:port``), which may have given it itself."""

    def __init__(
        self, status: int, phrase: str, proxy: str | None = None, retry_after: _Asked | None = None
    ) -> None:
        super().__init__(f"HTTP {status} {phrase}".strip())
        self.proxy = proxy
        self.retry_after = retry_after


class _ShortBody(Exception):
    """A body without a length of its own (no Content-Length, not chunked: it ends when the
    connection does) that ended before the size its manifest announces, or, for a small file
    whose size is not known (``size`` None), in the middle of what it holds: a connection
    closed early, retried like one that closes before its Content-Length."""

    def __init__(self, received: int, size: int | None) -> None:
        super().__init__(f"received {received} bytes, expected {size or 'more'}")
        self.received = received
        self.size = size


class _Deadline(Watchdog):
    """One wall-clock deadline for everything a sync fetches, headers and bodies included:
    checked between the reads of a body, and, when it passes, every connection the sync opened
    is shut down (:class:`~somnet._watchdog.Watchdog`), so that a read stuck in the middle of
    the headers returns too."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self._ends = time.monotonic() + seconds

    @property
    def passed(self) -> bool:
        return self.expired or time.monotonic() >= self._ends

    def remaining(self) -> float:
        return max(0.0, self._ends - time.monotonic())

    def error(
        self, url: str, what: str, *, connecting: bool = False, proxy: str | None = None
    ) -> NetworkError:
        """The error of a fetch stopped by the deadline (field ``deadline``), ``connecting``
        when it was still looking up the server's name or connecting to it; with ``proxy``
        (``host:port``) the requests went through it, and it is the proxy's name looked up."""
        if connecting and proxy is not None:
            message = _(
                "{url}: {what}: the sync took longer than the deadline of {seconds:g} s, still "
                "looking up the name of the proxy {proxy} or connecting to it (a name server "
                "or a network that does not answer)"
            )
        elif proxy is not None:
            message = _(
                "{url}: {what}: the sync took longer than the deadline of {seconds:g} s (the "
                "proxy {proxy}, or the server behind it, too slow or not answering)"
            )
        elif connecting:
            message = _(
                "{url}: {what}: the sync took longer than the deadline of {seconds:g} s, still "
                "looking up the server's name or connecting to it (a name server or a network "
                "that does not answer)"
            )
        else:
            message = _(
                "{url}: {what}: the sync took longer than the deadline of {seconds:g} s "
                "(a server too slow, or sending a byte at a time)"
            )
        return NetworkError(
            message.format(url=url, what=what, seconds=self.seconds, proxy=proxy),
            field="deadline",
            value=self.seconds,
        )


class Fetcher:
    """HTTP GETs with bounded retries (network errors and 5xx), size caps and one deadline.

    Used as a context manager: the deadline runs from entering to leaving, and a client made
    here is closed on leaving.

    Args:
        client: the HTTP client; by default one made with ``timeout``, which follows no
            redirect itself (they are followed here, within the site's host only) and goes
            through the proxy the environment names (``HTTPS_PROXY``, ``HTTP_PROXY``,
            ``ALL_PROXY``, bypassed for the hosts of ``NO_PROXY``), as curl does.
        sleep: how to wait between attempts.
        attempts: how many times to try a request that fails on the network or with a 5xx.
        backoff: the first wait between attempts in seconds, doubled each time.
        timeout: seconds to connect, and without a byte, before a request fails.
        deadline: seconds everything fetched may take, every attempt and wait included.
    """

    def __init__(
        self,
        client: httpx.Client | None,
        *,
        sleep: Callable[[float], None],
        attempts: int,
        backoff: float,
        timeout: float,
        deadline: float,
    ) -> None:
        self._own_client = client is None
        if client is None:
            import httpx

            from somnet._version import __version__

            client = httpx.Client(
                timeout=httpx.Timeout(timeout),
                follow_redirects=False,
                headers={"User-Agent": f"somnet/{__version__}"},
                trust_env=True,  # the proxy of the environment, as on a ship or in a ministry
            )
        self.client = client
        self.sleep = sleep
        self.attempts = attempts
        self.backoff = backoff
        self.timeout = timeout
        self.deadline = _Deadline(deadline)
        #: The proxy (``host:port``, never its credentials) the requests went through, as
        #: seen when connecting: httpx takes it from the environment (``HTTP_PROXY``...).
        self.proxy: str | None = None

    def __enter__(self) -> Fetcher:
        self.deadline.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.deadline.__exit__()
        if self._own_client:
            self.client.close()

    def _retrying(self, url: str, what: str, action: Callable[[], Any]) -> Any:
        import httpx

        for attempt in range(1, self.attempts + 1):
            if self.deadline.passed:
                raise self._past_deadline(url, what)
            try:
                return action()
            except (httpx.TransportError, _ServerError, _ShortBody) as exc:
                if self.deadline.passed:
                    raise self._past_deadline(url, what) from exc
                if isinstance(exc, httpx.ProxyError) and str(exc).startswith("407"):
                    # Another attempt would meet the same demand.
                    raise self._credentials_asked(url, what) from exc
                refused = _certificate_failure(exc)
                if refused is not None:  # another attempt would meet the same certificate
                    message = _(
                        "{url}: {what}: the server's certificate cannot be verified "
                        "({refused}); not tried again"
                    ).format(url=url, what=what, refused=refused)
                    authorities = trusted_authorities()
                    if authorities is not None:
                        message = _(
                            "{message} (the authorities trusted are only those of {authorities})"
                        ).format(message=message, authorities=authorities)
                    raise NetworkError(message) from exc
                failure = _("{url}: {what}: {describe_failure}").format(
                    url=url,
                    what=what,
                    describe_failure=_describe_failure(exc, self.proxy, self.timeout),
                )
                if self.proxy is not None and not _names_proxy(exc):
                    failure = _("{failure} (through the proxy {proxy})").format(
                        failure=failure, proxy=self.proxy
                    )
                if attempt > 1:
                    failure = _n(
                        "{failure} (after {n} attempt)", "{failure} (after {n} attempts)", attempt
                    ).format(failure=failure, n=attempt)
                field = "timeout" if isinstance(exc, httpx.TimeoutException) else None
                if attempt == self.attempts:
                    raise NetworkError(failure, field=field) from exc
                wait = self.backoff * 2 ** (attempt - 1)
                if isinstance(exc, _ServerError) and exc.retry_after is not None:
                    # Asked again sooner, the server would only give the same answer.
                    wait = max(wait, exc.retry_after.seconds)
                if wait >= self.deadline.remaining():
                    raise NetworkError(
                        _(
                            "{failure}; no time is left for another attempt before the deadline of "
                            "{seconds:g} s"
                        ).format(failure=failure, seconds=self.deadline.seconds),
                        field="deadline",
                        value=self.deadline.seconds,
                    ) from exc
                self.sleep(wait)
            except (httpx.HTTPError, httpx.InvalidURL) as exc:  # redirects, decoding: not retried
                raise NetworkError(
                    _("{url}: {what}: {describe_failure}").format(
                        url=url, what=what, describe_failure=_describe_failure(exc)
                    )
                ) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    @contextlib.contextmanager
    def _open(self, url: str, headers: dict[str, str], what: str) -> Iterator[httpx.Response]:
        """A streamed GET whose every wait ends by the deadline, following redirects only
        within the URL's host and never from https to plain http.

        Raises:
            VerificationError: a redirect elsewhere (not retried).
            NetworkError: too many redirects, or a Location that is not a URL.
        """
        import httpx

        current = httpx.URL(url)
        for _hop in range(MAX_REDIRECTS + 1):
            timeout = httpx.Timeout(min(self.timeout, max(self.deadline.remaining(), 0.001)))
            with (
                _bad_location(url, what),
                self._sent(current, headers, timeout, url, what) as response,
            ):
                if response.status_code not in _REDIRECTS or "Location" not in response.headers:
                    yield response
                    return
                location = response.headers["Location"]
            try:
                target = current.join(location)
                target.host  # noqa: B018 - decoded (IDNA) when read: a bad name raises here
            except (httpx.InvalidURL, ValueError):
                from somnet._urls import without_credentials

                raise NetworkError(
                    _("{url}: {what}: the server redirects to {value}, not a URL").format(
                        url=url, what=what, value=shown(without_credentials(location))
                    )
                ) from None
            problem = _redirect_problem(current, target)
            if problem is not None:
                from somnet._urls import without_credentials

                # A password the server put in the Location is not shown either.
                raise VerificationError(
                    _("{url}: {what}: the server redirects to {target}: {problem}").format(
                        url=url,
                        what=what,
                        target=without_credentials(str(target)),
                        problem=problem,
                    )
                )
            current = target
        raise NetworkError(
            _("{url}: {what}: more than {max_redirects} redirects").format(
                url=url, what=what, max_redirects=MAX_REDIRECTS
            )
        )

    @contextlib.contextmanager
    def _sent(
        self,
        target: httpx.URL,
        headers: dict[str, str],
        timeout: httpx.Timeout,
        url: str,
        what: str,
    ) -> Iterator[httpx.Response]:
        """A streamed GET of ``target``, sent and its answer's headers read in a thread of its
        own, which is waited for no longer than the deadline.

        The server's name (or the proxy's) is looked up before any connection exists, in a
        call nothing can cut short: a resolver that does not answer would hold the sync for its
        own timeouts. Past the deadline the thread is left to end on its own, and closes what
        it gets then. httpx does everything else as always (proxies from the environment, TLS
        checked against the URL's own host name), so nothing of either changes.

        Raises:
            NetworkError: the deadline passed before the answer's headers arrived.
        """
        import threading

        connecting = threading.Event()  # a connection (and its name's lookup) under way
        # The answer's Location as it came: httpx reads it before it returns the answer, and
        # refuses a host IDNA cannot read in idna's own words, the answer unseen.
        location: list[str] = []

        def trace(event: str, info: dict[str, Any]) -> None:
            if event.endswith(".connect_tcp.started"):
                connecting.set()
                self._note_proxy(target, info)
            elif ".connect_tcp." in event:
                connecting.clear()
            elif event.endswith(".receive_response_headers.complete"):
                location[:] = _location(info)
            self.deadline.trace(event, info)

        stream = self.client.stream(
            "GET",
            target,
            headers=headers,
            timeout=timeout,
            follow_redirects=False,
            extensions={"trace": trace},
        )
        lock = threading.Lock()
        done = threading.Event()
        outcome: list[httpx.Response | BaseException] = []
        abandoned = False

        def send() -> None:
            result: httpx.Response | BaseException
            try:
                result = stream.__enter__()
            except BaseException as exc:  # handed to the waiting thread, raised there
                result = exc
            with lock:
                outcome.append(result)
                done.set()
                left = abandoned
            if left and not isinstance(result, BaseException):
                with contextlib.suppress(Exception):
                    stream.__exit__(None, None, None)

        threading.Thread(target=send, name="somnet-fetch", daemon=True).start()
        try:
            done.wait(self.deadline.remaining())
        finally:
            with lock:
                abandoned = not done.is_set()
        if abandoned:
            raise self._past_deadline(url, what, connecting=connecting.is_set())
        result = outcome[0]
        if isinstance(result, UnicodeError) and location:
            refusal = _unreadable_host(url, what, location[0])
            if refusal is not None:
                raise refusal from None
        if isinstance(result, BaseException):
            raise result
        with contextlib.ExitStack() as stack:
            stack.push(stream)
            yield result

    def _past_deadline(self, url: str, what: str, *, connecting: bool = False) -> NetworkError:
        return self.deadline.error(url, what, connecting=connecting, proxy=self.proxy)

    def _note_proxy(self, target: httpx.URL, info: dict[str, Any]) -> None:
        """Keep the proxy a connection goes to: another host or port than the URL's."""
        host, port = info.get("host"), info.get("port")
        default = 443 if target.scheme == "https" else 80
        own = target.raw_host.decode("ascii", "replace")  # as httpx connects: IDNA-encoded
        if host is not None and (str(host), port) != (own, target.port or default):
            shown_host = f"[{host}]" if ":" in str(host) else str(host)
            self.proxy = f"{shown_host}:{port}" if port is not None else shown_host

    def _credentials_asked(self, url: str, what: str) -> NetworkError:
        """The error of a proxy that answers 407: it wants a user name and password."""
        variable = "HTTPS_PROXY" if url.startswith("https:") else "HTTP_PROXY"
        return NetworkError(
            _(
                "{url}: {what}: the proxy {proxy} asks for credentials (HTTP 407 Proxy "
                "Authentication Required); give them in its URL: "
                "{variable}=http://user:password@host:port"
            ).format(
                url=url,
                what=what,
                proxy=self.proxy or _("named in the environment"),
                variable=variable,
            )
        )

    def _check_status(self, response: httpx.Response, url: str, doing: str) -> None:
        if response.status_code == 407:  # only a proxy asks for this
            raise self._credentials_asked(url, doing)
        if response.status_code >= 500:
            raise _ServerError(
                response.status_code, response.reason_phrase, self.proxy, _retry_after(response)
            )
        if response.status_code != 200:
            status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
            if response.status_code == 206:  # somnet sends no Range
                status = _("{status}: a part of the file, where somnet asks for it whole").format(
                    status=status
                )
            if response.status_code == 429:
                asks = _retry_after(response)
                if asks is not None:  # asked again when the server says, within the deadline
                    raise _ServerError(
                        response.status_code, response.reason_phrase, self.proxy, asks
                    )
                # Asked again at once, it would only add to the requests it has too many of.
            raise NetworkError(
                _("{url}: {what}: {describe_failure}").format(
                    url=url, what=doing, describe_failure=status
                )
            )

    def _chunks(self, response: httpx.Response, url: str, what: str) -> Iterator[bytes]:
        """The body as it arrives (each read, not 64 KiB at a time), up to the deadline."""
        for chunk in response.iter_raw():
            if self.deadline.passed:
                raise self._past_deadline(url, what)
            yield chunk

    def small(
        self,
        url: str,
        cap: int,
        what: str,
        *,
        etag: str | None = None,
        unfinished: Callable[[bytes], bool] | None = None,
    ) -> Fetched | None:
        """A small file, whole, refused past ``cap`` bytes; None for 304 Not Modified.

        Args:
            url: where to fetch it.
            cap: the most bytes read.
            what: what it is, for messages ("the signed manifest").
            etag: sent in ``If-None-Match``, to be answered 304 if unchanged.
            unfinished: whether bytes stop in the middle of the file: a body ended by the
                connection's close (no length of its own) that does is tried again, as a
                connection closed early.

        Raises:
            VerificationError: larger than ``cap``, or a redirect elsewhere.
            NetworkError: unreachable, an error status, past the deadline.
        """
        headers = {"Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        doing = _("fetching {what}").format(what=what)

        def action() -> Fetched | None:
            with self._open(url, headers, doing) as response:
                if response.status_code == 304:
                    return None
                self._check_status(response, url, doing)
                content = bytearray()
                for chunk in self._chunks(response, url, doing):
                    content += chunk
                    if len(content) > cap:
                        raise VerificationError(
                            _("{url}: {what} is larger than {cap} bytes; not read further").format(
                                url=url, what=what, cap=cap
                            )
                        )
                length = response.headers.get("Content-Length") if _announced(response) else None
                if (
                    unfinished is not None
                    and not _delimited(response)
                    and _encoded_on_the_way(response) is None
                    and unfinished(bytes(content))
                ):
                    raise _ShortBody(len(content), None)
                return Fetched(
                    bytes(content),
                    response.headers.get("ETag"),
                    str(response.url),
                    _encoded_on_the_way(response),
                    # httpx read the body to this length: a number, or it would have refused it
                    announced=int(length) if length is not None and length.isdigit() else None,
                )

        result: Fetched | None = self._retrying(url, doing, action)
        return result

    def download(
        self, url: str, target: Path, *, size: int, sha256: str, progress: Progress | None
    ) -> None:
        """Stream the bundle into ``target``, checking its size and SHA-256 as it arrives.

        Raises:
            VerificationError: more or fewer bytes than ``size`` (a whole answer of another
                file), another SHA-256.
            NetworkError: unreachable, gone (pruned from the site), past the deadline, or a
                body without a length that ended short of ``size`` (a connection closed
                early) at every attempt.
            StorageError: ``target`` cannot be written (a full disk); not tried again.
        """
        what = _("downloading the bundle")

        def action() -> None:
            try:
                fetch_into()
            except OSError as exc:  # the download's file, not the network (httpx wraps those)
                raise StorageError(
                    _("{target}: cannot write the bundle: {value}").format(
                        target=target, value=exc.strerror or exc
                    )
                ) from exc

        def fetch_into() -> None:
            digest = hashlib.sha256()
            received = 0
            encoding: list[str | None] = [None]  # the answer's, read with its headers
            with (
                self._open(url, {"Accept-Encoding": "identity"}, what) as response,
                target.open("wb") as stream,
            ):
                if response.status_code in (404, 410):
                    raise NetworkError(
                        _(
                            "{url}: {what}: HTTP {status_code} {reason_phrase}: the site was being "
                            "updated (the bundle this manifest names is gone, pruned after newer "
                            "versions); sync again"
                        ).format(
                            url=url,
                            what=what,
                            status_code=response.status_code,
                            reason_phrase=response.reason_phrase,
                        )
                    )
                self._check_status(response, url, what)
                # A body of its own announced length (or chunks ended by the last one) is the
                # whole answer: a file short of the manifest's size is another file. One ended
                # by the connection's close may have been cut on the way.
                delimited = _delimited(response)
                announced = _announced(response)
                encoding[:] = [_encoded_on_the_way(response)]
                for chunk in self._chunks(response, url, what):
                    received += len(chunk)
                    if received > size:
                        raise VerificationError(
                            noting_encoding(
                                _(
                                    "{url}: the bundle is larger than the {size} bytes its "
                                    "manifest announces; download stopped"
                                ).format(url=url, size=size),
                                encoding[0],
                            )
                        )
                    digest.update(chunk)
                    stream.write(chunk)
                    if progress is not None:
                        progress(received, size)
                stream.flush()
                os.fsync(stream.fileno())
            if received < size and not delimited:
                raise _ShortBody(received, size)
            if received < size and announced and encoding[0] is None:
                # (Bytes encoded on the way are another size anyway: said so below.)
                raise VerificationError(
                    _(
                        "{url}: the bundle has {received} bytes, all the server announced "
                        "(Content-Length), its manifest announces {size}: the answer was cut "
                        "short, or is another file"
                    ).format(url=url, received=received, size=size)
                )
            if received != size:
                raise VerificationError(
                    noting_encoding(
                        _(
                            "{url}: the bundle has {received} bytes, its manifest announces {size}"
                        ).format(url=url, received=received, size=size),
                        encoding[0],
                    )
                )
            if digest.hexdigest() != sha256:
                raise VerificationError(
                    noting_encoding(
                        _(
                            "{url}: the bundle's SHA-256 {value}... does not match the manifest's "
                            "{value2}... (altered or corrupted)"
                        ).format(url=url, value=digest.hexdigest()[:12], value2=sha256[:12]),
                        encoding[0],
                    )
                )

        self._retrying(url, what, action)


@contextlib.contextmanager
def _bad_location(url: str, what: str) -> Iterator[None]:
    """A redirect whose Location is not a URL, which httpx refuses as it reads the answer (even
    when it follows no redirect): the server's answer, not a network fault, so not retried.

    Raises:
        NetworkError: the server redirects to what is not a URL.
    """
    import httpx

    try:
        yield
    except httpx.RemoteProtocolError as exc:
        found = re.fullmatch(r"Invalid URL in location header: (.*?)\.?", str(exc), re.DOTALL)
        if found is None:
            raise
        raise NetworkError(
            _("{url}: {what}: the server redirects to a Location that is not a URL ({why})").format(
                url=url, what=what, why=found.group(1)
            )
        ) from None
    except UnicodeError as exc:  # idna's, with no Location heard to name the host by (_sent)
        raise NetworkError(
            _("{url}: {what}: the server redirects to a Location that is not a URL ({why})").format(
                url=url, what=what, why=exc
            )
        ) from None


def _location(info: dict[str, Any]) -> list[str]:
    """The Location of an answer whose headers have arrived, as httpx reads it (several
    joined by ", "), or none (httpcore's ``trace``: HTTP/1.1 gives the version, status,
    phrase and headers; HTTP/2 the status and headers)."""
    value = info.get("return_value")
    if not isinstance(value, tuple):
        return []
    headers = next((v for v in value if isinstance(v, list)), [])
    found = [v.decode("latin-1") for k, v in headers if k.lower() == b"location"]
    return [", ".join(found)] if found else []


def _unreadable_host(url: str, what: str, location: str) -> NetworkError | None:
    """The error of a redirect to a host IDNA cannot read (a punycode name that is no valid
    name), naming the host as the server wrote it (httpx reads it in lower case); None when
    the Location names no host (a path), or one that cannot be read apart."""
    from somnet._urls import idna_cannot_read, idna_reads, without_credentials, written_host

    host = written_host(location)
    if host is None or idna_reads(host):
        return None  # the UnicodeError was about something else: said as it came
    return NetworkError(
        _("{url}: {what}: the server redirects to {target}: {problem}").format(
            url=url,
            what=what,
            target=shown(without_credentials(location)),
            problem=idna_cannot_read(host),
        )
    )


def _delimited(response: httpx.Response) -> bool:
    """Whether an answer's body has an end of its own (a Content-Length, or chunks ended by
    the last one), not the connection's close, which may come early."""
    return "Content-Length" in response.headers or _chunked(response)


def _chunked(response: httpx.Response) -> bool:
    """Whether an answer's body came in chunks (``Transfer-Encoding: chunked``)."""
    return "chunked" in response.headers.get("Transfer-Encoding", "").lower()


def _announced(response: httpx.Response) -> bool:
    """Whether an answer's ``Content-Length`` set the length of its body: not beside
    ``Transfer-Encoding: chunked``, whose chunks override it (RFC 9112, 6.3), and which a
    message then says nothing of."""
    return "Content-Length" in response.headers and not _chunked(response)


def _retry_after(response: httpx.Response) -> _Asked | None:
    """When an answer's ``Retry-After`` asks to be asked again (seconds, or an HTTP date),
    or None without one that can be read. somnet waits that long before its next attempt
    when the deadline leaves the time, and makes none otherwise."""
    from datetime import UTC, datetime
    from email.utils import parsedate_to_datetime

    value = response.headers.get("Retry-After", "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 10:
        seconds = int(value)
        return _Asked(
            _("the server asks to be asked again after {seconds} s").format(seconds=seconds),
            float(seconds),
        )
    try:
        moment = parsedate_to_datetime(value)
        if moment.tzinfo is None:  # "-0000": a time in UTC, as RFC 5322 reads it
            moment = moment.replace(tzinfo=UTC)
        # In UTC, a moment past 9999-12-31 (at -01:00, say) cannot be told.
        moment = moment.astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return _Asked(
        _("the server asks to be asked again after {moment}").format(
            moment=moment.strftime("%Y-%m-%d %H:%M UTC")
        ),
        max(0.0, (moment - datetime.now(UTC)).total_seconds()),
    )


def _encoded_on_the_way(response: httpx.Response) -> str | None:
    """The ``Content-Encoding`` an answer says its bytes were encoded with, shown for a
    message, or None for none or identity."""
    encoding = response.headers.get("Content-Encoding", "").strip()
    return None if encoding.lower() in ("", "identity") else shown(encoding)


def noting_encoding(refusal: str, encoding: str | None) -> str:
    """A refusal of a bundle's size or hash, or of a signed manifest that is not JSON, saying
    the answer's bytes were encoded if they were: somnet asks for the file as it is and never
    decodes it, so a server or a proxy on the way that compresses all the same changes the
    bytes read."""
    if encoding is None:
        return refusal
    return _(
        "{refusal}; the answer came with Content-Encoding: {encoding} although somnet asks for "
        "the file as it is (identity): its bytes were encoded on the way (a proxy may be "
        "compressing; have it pass the file unchanged)"
    ).format(refusal=refusal, encoding=encoding)


def _certificate_failure(exc: BaseException) -> str | None:
    """Why the server's TLS certificate was refused, if that is what ``exc`` comes from."""
    import ssl

    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause.verify_message or str(cause)
        cause = cause.__cause__ or cause.__context__
    return None


def _redirect_problem(source: httpx.URL, target: httpx.URL) -> str | None:
    """Why a redirect from ``source`` to ``target`` is not followed, or None.

    The content is signed, so a redirect cannot alter it; but a site's own host is the one the
    agency chose, a redirect elsewhere is someone else's server (if the site moved, the agency
    syncs with the new URL), and a redirect to plain http would give up the privacy and the
    integrity of the connection the agency asked for. Credentials in the target are never
    sent: a redirect that carries them is refused, whatever its host (another host's is
    refused as such first).
    """
    if target.scheme not in ("http", "https"):
        return _("not http(s) ({scheme})").format(scheme=target.scheme)
    if source.scheme == "https" and target.scheme == "http":
        return _("from https to plain http, which somnet refuses")
    if (target.host or "").lower() != (source.host or "").lower():
        return _(
            "another host; somnet follows redirects within the site's host only (if the site "
            "moved, sync with its new URL)"
        )
    # The same port, or a move from http to https between the schemes' own ports (80 to 443,
    # which httpx reads as none given): from or to another, it is another server's.
    if _port_of(target) != _port_of(source) and (target.port, source.port) != (None, None):
        return _("another port of the host; somnet follows redirects within the site only")
    if target.userinfo:
        # httpx would send them back (Authorization: Basic) to whoever wrote the Location, as
        # it would those of a site's URL, which somnet refuses for the same reason.
        return _(
            "it carries a user name or password, which somnet never sends (the directory is "
            "signed: the site needs none)"
        )
    return None


def _port_of(url: httpx.URL) -> int:
    """The port a URL connects to: the one it gives, else its scheme's own."""
    return url.port or (443 if url.scheme == "https" else 80)


def _names_proxy(exc: Exception) -> bool:
    """Whether :func:`_describe_failure` names the proxy in its description of ``exc``."""
    import httpx

    return isinstance(exc, _ServerError | httpx.ProxyError | httpx.ConnectError)


def _describe_failure(
    exc: Exception, proxy: str | None = None, timeout: float | None = None
) -> str:
    """Why a request failed, naming ``proxy`` (``host:port``) when it went through one, and
    the ``timeout`` (seconds) a request that timed out waited."""
    import httpx

    if isinstance(exc, _ServerError):
        if exc.proxy is not None:
            said = _("the proxy {proxy}, or the server behind it, answered {status}").format(
                proxy=exc.proxy, status=str(exc)
            )
        else:
            said = _("the server answered {status}").format(status=str(exc))
        if exc.retry_after is not None:
            said = _("{status} ({asks})").format(status=said, asks=exc.retry_after.said)
        return said
    if isinstance(exc, httpx.ProxyError):
        # httpcore's words for a tunnel (CONNECT) refused: the proxy's status and phrase.
        return _(
            "the proxy {proxy} refused to open a connection to the site: HTTP {status}"
        ).format(proxy=proxy or _("named in the environment"), status=str(exc) or "?")
    if isinstance(exc, httpx.ConnectTimeout) and timeout is not None:
        return _(
            "timed out connecting: no connection in {seconds:g} s (the server is too slow or "
            "unreachable)"
        ).format(seconds=timeout)
    if isinstance(exc, httpx.ConnectTimeout):
        return _("timed out connecting (the server is too slow or unreachable)")
    if isinstance(exc, httpx.TimeoutException) and timeout is not None:
        return _(
            "timed out waiting for data: no byte came for {seconds:g} s (the server is too slow "
            "or unreachable)"
        ).format(seconds=timeout)
    if isinstance(exc, httpx.TimeoutException):
        return _("timed out waiting for data (the server is too slow or unreachable)")
    if isinstance(exc, httpx.ConnectError) and proxy is not None:
        return _("cannot connect to the proxy {proxy} ({why})").format(
            proxy=proxy, why=str(exc) or _("connection refused")
        )
    if isinstance(exc, httpx.ConnectError):
        return _("cannot connect ({why})").format(why=str(exc) or _("connection refused"))
    counts: tuple[str | int, str | int] | None = None
    if isinstance(exc, _ShortBody):
        size = exc.size
        if size is None:  # a small file, its size not known
            return _(
                "the connection closed after {received} bytes, in the middle of the file, and "
                "the server announced no length: the answer was cut short on the way"
            ).format(received=exc.received)
        counts = (exc.received, size)
    elif isinstance(exc, httpx.RemoteProtocolError) and "complete message body" in str(exc):
        found = re.search(r"received (\d+) bytes, expected (\d+)", str(exc))
        if found is None:
            return _("the connection closed before the whole file arrived")
        counts = (found.group(1), found.group(2))
    if counts is not None:
        return _(
            "the connection closed before the whole file arrived ({received} of {size} bytes)"
        ).format(received=counts[0], size=counts[1])
    why = str(exc) or type(exc).__name__
    # The server's own bytes, as h11 quotes them (``bytearray(b'...')``, Python's words):
    # quoted as text, their escapes kept, so that none reaches a terminal as it is.
    why = re.sub(r"bytearray\(b('.*?'|\".*?\")\)(?!\S)", r"\1", why)
    # The server's own bytes may be in it (an illegal header line): cut short.
    why = why if len(why) <= 80 else why[:77] + "..."
    if isinstance(exc, httpx.RemoteProtocolError) and not re.search(
        r"\b(closed|disconnected)\b", str(exc)
    ):
        # Two Content-Length headers that disagree, a line that is no header: an answer, not
        # a connection closed (tried again all the same: a proxy on the way may garble one).
        return _("the server's answer is not valid HTTP ({why})").format(why=why)
    if isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError):
        return _("the connection was reset or closed by the server ({why})").format(why=why)
    return f"{type(exc).__name__}: {exc}"


# Installing --------------------------------------------------------------------------------
