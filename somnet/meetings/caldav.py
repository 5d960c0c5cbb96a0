"""Publishing invites to a CalDAV calendar (RFC 4791) with httpx: the event created with
``If-None-Match: *``, replaced with ``If-Match`` and the ETag of the copy somnet put there,
removed when the meeting is cancelled; never overwriting an event changed on the server or one
with another UID. The password comes from the environment only, and is sent only over TLS or
to this machine.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import attrs

from somnet._exceptions import DeliveryError, MeetingError
from somnet._given import checked_kinds
from somnet._i18n import _, shown
from somnet.meetings.errors import CaldavConflictError
from somnet.meetings.records import Publication
from somnet.meetings.servers import (
    DEFAULT_TIMEOUT,
    NOT_UTF8_PASSWORD,
    check_collection,
    check_password_env,
    check_user,
    is_utf8,
    split_url,
    valid_password_env,
    valid_timeout,
    valid_user,
)

if TYPE_CHECKING:
    import httpx

#: The environment variables the CalDAV user and password are read from, by default.
CALDAV_USER_ENV = "SOMNET_CALDAV_USER"
CALDAV_PASSWORD_ENV = "SOMNET_CALDAV_PASSWORD"


@attrs.frozen
class CaldavServer:
    """A CalDAV calendar collection to publish to, as :func:`caldav_server` builds it from an
    address and the environment.

    Built directly, it refuses what the factory refuses of its own fields, in the same words
    and naming the same fields: a collection that is no http(s) address (``publish``: another
    scheme, no host, one that is no host name, a port not from 1 to 65535, a password in it)
    or that a password would reach in clear, a blank user or password variable, a timeout
    that is not more than 0 and at most 600 seconds. A user in the collection's address is
    taken out of it, and is the login when no ``user`` is given, as the factory does; another
    ``user`` beside it is refused (``caldav_user``): which login is meant cannot be told.

    Attributes:
        collection: its URL, ending in ``/``; None for the calendar a recorded meeting is
            published in (updates, cancellations and resends find it in the record).
        user: the Basic-auth user, or None.
        password: the password (never shown), or None.
        timeout: seconds to wait for the server.
        password_env: the environment variable the password came from (for messages).
    """

    collection: str | None
    user: str | None = attrs.field(
        default=None,
        validator=[
            valid_user("caldav_user"),
            lambda _i, _a, user: _basic_user(user, "caldav_user"),
        ],
    )
    password: str | None = attrs.field(default=None, repr=False)
    timeout: float = attrs.field(default=DEFAULT_TIMEOUT, validator=valid_timeout)
    password_env: str = attrs.field(
        default=CALDAV_PASSWORD_ENV, validator=valid_password_env("caldav_password_env")
    )

    def __attrs_post_init__(self) -> None:
        if self.collection is not None:
            # As the factory builds it: a user in the address is taken out of the URL that is
            # published to, recorded and shown, and is the login unless one is given.
            collection, url_user = _collection(self.collection, self.password)
            _one_login(url_user, self.user)
            object.__setattr__(self, "collection", collection)
            if url_user and not self.user:
                object.__setattr__(self, "user", url_user)

    def at(self, url: str) -> CaldavServer:
        """This server's login, for the calendar collection at ``url``.

        Args:
            url: the collection's URL.

        Returns:
            The server.

        Raises:
            MeetingError: naming the field ``publish``: a bad address, a password in it, a
                password that would cross the network in clear; ``caldav_user``: the address
                names another user than this server's.
        """
        # Read as one built with it: the user taken out of the address, refused beside another.
        return attrs.evolve(self, collection=url)

    @property
    def calendar(self) -> str:
        """The collection's URL (``collection``, once known).

        Raises:
            MeetingError: it is not known (field ``publish``).
        """
        if self.collection is None:
            raise MeetingError(_("give the calendar's URL"), field="publish")
        return self.collection


@checked_kinds(MeetingError)
def caldav_server(
    url: str | None,
    *,
    user: str | None = None,
    password_env: str = CALDAV_PASSWORD_ENV,
    timeout: float = DEFAULT_TIMEOUT,
    environ: Mapping[str, str] | None = None,
) -> CaldavServer:
    """The CalDAV calendar collection at ``http(s)://host:port/path/``, with its login.

    Args:
        url: the calendar collection; None (or empty) for the calendar a recorded meeting is
            published in, found when it is updated, cancelled or resent.
        user: the Basic-auth user (also read from the address, or ``SOMNET_CALDAV_USER``).
        password_env: the environment variable holding the password (may be unset for
            servers that accept any password).
        timeout: seconds to wait for the server.
        environ: the environment (``os.environ`` when None).

    Returns:
        The server.

    Raises:
        MeetingError: naming the field: a bad address, a password in it, a password that
            would cross the network in clear (``publish``), an empty user, or another than
            the one the address names (``caldav_user``),
            an empty variable name (``caldav_password_env``), a bad ``timeout``, a proxy
            of the environment the client cannot use (the variable, ``HTTPS_PROXY`` say).
    """
    from somnet._urls import check_environment_proxies

    check_user(user, "caldav_user")
    check_password_env(password_env, "caldav_password_env")
    # The client takes up the proxy of the environment, as a sync does: one it cannot use
    # failed only as the meeting, recorded, was published (a traceback, or the calendar's
    # server said unreachable when the proxy's name was).
    check_environment_proxies(MeetingError)
    environ = os.environ if environ is None else environ
    password = environ.get(password_env) or None
    if password is not None and not is_utf8(password):
        raise MeetingError(_(NOT_UTF8_PASSWORD), field=password_env)
    collection, url_user = _collection(url, password) if url else (None, None)
    _one_login(url_user, user)
    login = user or url_user
    if not login:
        login = environ.get(CALDAV_USER_ENV) or None
        # Named as the variable it came from, not as the caldav_user field, which was not given.
        check_user(login, CALDAV_USER_ENV)
        _basic_user(login, CALDAV_USER_ENV)
    return CaldavServer(collection, login, password, timeout, password_env=password_env)


def _collection(url: str, password: str | None) -> tuple[str, str | None]:
    """The collection's URL without its user and ending in ``/``, and the user it named."""
    _scheme, _host, _port, url_user, path = split_url(url, "publish", {"https": 443, "http": 80})
    check_collection(url, password)
    collection = url.strip()
    _basic_user(url_user, "publish")
    if url_user:
        # As written in the address (%-escaped), not as decoded.
        written = urlsplit(collection).netloc.rpartition("@")[0]
        collection = collection.replace(f"{written}@", "", 1)
    if not path.endswith("/"):
        collection += "/"
    return collection, url_user


def _basic_user(user: str | None, field: str) -> None:
    """Refuse a user name with a colon: HTTP Basic sends ``user:password`` (RFC 7617 section
    2), so the server would split it there and read the rest as the password.

    Raises:
        MeetingError: naming ``field``.
    """
    if user and ":" in user:
        raise MeetingError(
            _(
                "{value}: a user name for an HTTP login cannot hold a colon (RFC 7617): the "
                "server would read what follows it as the password"
            ).format(value=shown(user)),
            field=field,
            value=user,
        )


def _one_login(url_user: str | None, user: str | None) -> None:
    """Refuses an address that names one user and a ``user`` given that is another: which
    login is meant cannot be told.

    Raises:
        MeetingError: naming the field ``caldav_user``.
    """
    if url_user and user and url_user != user:
        raise MeetingError(
            _(
                "the calendar's address names the user {url_user}, and the user {user} is "
                "given too: give one of them"
            ).format(url_user=url_user, user=user),
            field="caldav_user",
            value=user,
        )


class UnansweredError(DeliveryError):
    """A PUT or DELETE sent whole that the server never answered (the connection dropped,
    or the answer did not come in time): it may have made the change."""


class _FailedAfter(UnansweredError):
    """A PUT or DELETE the server answered with a failure of its own (5xx): it may have made
    the change before failing (stored the event, then failed to answer)."""


def _timed_out(exc: DeliveryError) -> bool:
    """Whether the server kept silent past the timeout (rather than dropping the connection
    or failing): asking it what it holds would wait as long again, and tell nothing more."""
    import httpx

    return isinstance(exc.__cause__, httpx.TimeoutException)


def _client(server: CaldavServer, client: httpx.Client | None) -> httpx.Client:
    import httpx

    return client or httpx.Client(timeout=server.timeout, follow_redirects=False)


def _send(
    server: CaldavServer,
    client: httpx.Client | None,
    method: str,
    url: str,
    *,
    headers: dict[str, str | bytes],
    content: bytes | None = None,
) -> httpx.Response:
    import httpx

    from somnet._watchdog import Watchdog

    auth = (server.user, server.password or "") if server.user else None
    # As bytes: an ETag sent back holds the bytes the server gave (``_etag``), not only ASCII.
    raw = [
        (name.encode("ascii"), value if isinstance(value, bytes) else value.encode("ascii"))
        for name, value in headers.items()
    ]
    owned = client is None
    http = _client(server, client)
    watchdog = Watchdog(server.timeout)
    heard: list[tuple[int, list[tuple[bytes, bytes]]]] = []

    def trace(event: str, info: dict[str, Any]) -> None:
        watchdog.trace(event, info)
        _note_answer(event, info, heard)

    try:
        with watchdog:
            return http.request(
                method,
                url,
                headers=raw,
                content=content,
                auth=auth,
                timeout=server.timeout,
                # Whatever the client given does: an event put where a redirect leads would
                # be recorded where no later version or cancellation looks (``_refusal``).
                follow_redirects=False,
                extensions={"trace": trace},
            )
    except (httpx.HTTPError, UnicodeError) as exc:
        # httpx reads a redirect's Location before it returns the answer, even when it
        # follows none, and refuses one that is not a URL in its own English words (a host
        # IDNA cannot read, in idna's): the server answered, and did not do it.
        if isinstance(exc, UnicodeError):
            if not heard:  # not from an answer: not the server's
                raise
            raise _not_a_location(method, url, heard) from None
        if isinstance(exc, httpx.RemoteProtocolError) and str(exc).startswith(_BAD_LOCATION):
            raise _not_a_location(method, url, heard) from None
        cause: httpx.HTTPError = exc
        if watchdog.cut and not isinstance(exc, httpx.TimeoutException):
            # Shut down at the limit (an answer dripped): a timeout, as a silent server's is;
            # one before the request began to go leaves the server with nothing (not a read).
            timeout = httpx.ReadTimeout if watchdog.sent else httpx.WriteTimeout
            cause = timeout(str(exc))
        raise _failure(method, url, server, cause) from cause
    finally:
        if owned:
            http.close()


#: How httpx begins its refusal of a redirect whose Location is not a URL.
_BAD_LOCATION = "Invalid URL in location header"


def _note_answer(
    event: str, info: dict[str, Any], heard: list[tuple[int, list[tuple[bytes, bytes]]]]
) -> None:
    """Keep the status and headers of an answer as they arrive (httpcore's ``trace``: HTTP/1.1
    gives the version, status, phrase and headers; HTTP/2 the status and headers), for when
    httpx refuses the answer before returning it."""
    if not event.endswith(".receive_response_headers.complete"):
        return
    value = info.get("return_value")
    if not isinstance(value, tuple):
        return
    status = next((v for v in value if isinstance(v, int)), None)
    headers = next((v for v in value if isinstance(v, list)), None)
    if status is not None and headers is not None:
        heard.append((status, headers))


def _not_a_location(
    method: str, url: str, heard: list[tuple[int, list[tuple[bytes, bytes]]]]
) -> DeliveryError:
    """The error of a request the server answered with a redirect to what is not a URL: not
    done (a redirect is no success; nothing was stored or removed), so failed, not unconfirmed.
    """
    import httpx

    from somnet._urls import without_credentials

    location = None
    if heard:
        status, headers = heard[-1]
        location = next((v for k, v in headers if k.lower() == b"location"), None)
    if location is None:
        return DeliveryError(
            _(
                "CalDAV server answered {method} {url} with a redirect to what is not a URL; "
                "nothing was stored or removed: check the calendar's address"
            ).format(method=method, url=url)
        )
    return DeliveryError(
        _(
            "CalDAV server answered {status} to {method} {url}: it redirects to {location}, "
            "which is not a URL; nothing was stored or removed: check the calendar's address"
        ).format(
            status=f"{status} {httpx.codes.get_reason_phrase(status)}".strip(),
            method=method,
            url=url,
            location=shown(without_credentials(location.decode("latin-1"))),
        )
    )


def _failure(method: str, url: str, server: CaldavServer, exc: httpx.HTTPError) -> DeliveryError:
    """The ``DeliveryError`` (``UnansweredError`` when the server may have acted) of a
    request that failed with ``exc``."""
    import httpx

    if isinstance(exc, httpx.ConnectError):
        return DeliveryError(
            _("CalDAV server at {origin} cannot be reached: {exc}").format(
                origin=_origin(url), exc=exc
            )
        )
    if isinstance(exc, httpx.TimeoutException):
        unanswered = method in ("PUT", "DELETE") and isinstance(exc, httpx.ReadTimeout)
        return (UnansweredError if unanswered else DeliveryError)(
            _("CalDAV server at {origin} did not answer {method} within {timeout:g} s").format(
                origin=_origin(url), method=method, timeout=server.timeout
            )
        )
    # Sent whole, and the connection dropped before the answer: the server may have acted.
    unanswered = method in ("PUT", "DELETE") and isinstance(
        exc, httpx.RemoteProtocolError | httpx.ReadError
    )
    return (UnansweredError if unanswered else DeliveryError)(
        _("CalDAV {method} {url} failed: {exc}").format(method=method, url=url, exc=exc)
    )


def _accepted(response: httpx.Response, method: str, url: str) -> UnansweredError:
    """The error for a PUT or DELETE answered 202 Accepted: the server took it to act on
    later, and may never (RFC 9110 section 15.3.3); it is not known to be done."""
    status = f"{response.status_code} {response.reason_phrase}".strip()
    return UnansweredError(
        _(
            "CalDAV server answered {status} to {method} {url}: it took it to do later, and "
            "does not say it is done"
        ).format(status=status, method=method, url=url)
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _refusal(
    response: httpx.Response, method: str, url: str, server: CaldavServer | None = None
) -> DeliveryError:
    status = f"{response.status_code} {response.reason_phrase}".strip()
    field = None
    user = server.user if server else None
    variable = server.password_env if server else CALDAV_PASSWORD_ENV
    if response.status_code == 403 and method in ("PUT", "DELETE") and user:
        # A 403 is a login refused, or a calendar read-only for that user: the server's
        # answer may say which (RFC 3744 section 7.1.1).
        if _needs_privileges(response):
            text = _(
                "CalDAV server answered {status} to {method} {url}: the server says user "
                "{user} has no right to write in that calendar (DAV:need-privileges): the "
                "login is not at fault; ask for that right, or publish in a calendar it may "
                "write in"
            )
        else:
            text = _(
                "CalDAV server answered {status} to {method} {url}: either user {user} may "
                "not write in that calendar (read-only for it), or the server refuses the "
                "login: check the CalDAV user name and the password in {variable}"
            )
        text = text.format(user=shown(user, quoted=False), variable=variable)
    elif response.status_code == 401 and _schemes_without_basic(response):
        # Another login than Basic (Negotiate, Digest, a token): no password would help.
        text = _(
            "CalDAV server answered {status} to {method} {url}: it asks for a login by "
            "{schemes}, which somnet cannot give (it logs in by Basic only, with a user name "
            "and the password in {variable})"
        ).format(schemes=", ".join(_schemes_without_basic(response)), variable=variable)
    elif response.status_code == 401 and server is not None and server.user is None:
        # Nothing to check in a user name never given: the user is what is missing.
        text = _(
            "CalDAV server answered {status} to {method} {url}: it asks for a login, and no "
            "CalDAV user was given (nor in the address or {user_variable}; its password would "
            "be read from {variable})"
        ).format(user_variable=CALDAV_USER_ENV, variable=variable)
        field = "caldav_user"
    elif response.status_code == 403 and server is not None and server.user is None:
        # Refused to a client that gave no login (RFC 9110 section 15.5.4): no user name or
        # password was wrong, there were none; a login is what may be let do it.
        text = _(
            "CalDAV server answered {status} to {method} {url}: it refuses that to a client "
            "that gave no login, and no CalDAV user was given (nor in the address or "
            "{user_variable}): give one it lets do that (its password would be read from "
            "{variable})"
        ).format(user_variable=CALDAV_USER_ENV, variable=variable)
        field = "caldav_user"
    elif response.status_code in (401, 403):
        text = _(
            "CalDAV server answered {status} to {method} {url}; check the CalDAV user name and "
            "the password in {variable}"
        ).format(variable=variable)
    elif response.status_code in (404, 409) and method == "PUT":
        text = _(
            "CalDAV server answered {status} to {method} {url}; is there a calendar collection "
            "at that address?"
        )
    elif response.is_redirect:
        from somnet._urls import without_credentials

        # Not followed: the event would be recorded at an address nobody gave, which every
        # later version and the cancellation would miss when the redirect goes. A password the
        # server wrote in it is never shown.
        text = _(
            "CalDAV server answered {status} to {method} {url}: it redirects to {location}, "
            "which somnet does not follow; nothing was sent there: check the calendar's address"
        ).format(location=without_credentials(str(response.url.join(response.headers["Location"]))))
    else:
        text = _("CalDAV server answered {status} to {method} {url}")
    return DeliveryError(text.format(status=status, method=method, url=url), field=field)


def _check_multistatus(response: httpx.Response, method: str, url: str) -> None:
    """Refuse a 207 (Multi-Status, RFC 4918 section 13) that does not say the request
    succeeded: its body holds a status for each resource, and one that is not 2xx (a 423
    Locked, a 403) is what became of the event; a body that cannot be read, or names no
    status, says nothing of it, and is no success either.

    Raises:
        DeliveryError: a status is not 2xx, or none can be read.
    """
    import xml.etree.ElementTree as ElementTree

    if response.status_code != 207:
        return
    try:
        answer = ElementTree.fromstring(response.content)
    except ElementTree.ParseError:
        answer = None
    said = (
        []
        if answer is None
        else [" ".join((s.text or "").split()) for s in answer.iter("{DAV:}status")]
    )
    # "HTTP/1.1 423 Locked": the code is the second word.
    codes = [re.fullmatch(r"\S+ ([0-9]{3}\b.*)", s) for s in said]
    failed = [m[1] if m else s for m, s in zip(codes, said, strict=True) if not m or m[1][0] != "2"]
    if said and not failed:
        return
    if failed and failed[0]:
        raise DeliveryError(
            _(
                "CalDAV server answered 207 Multi-Status to {method} {url}, saying {status} for it"
            ).format(method=method, url=url, status=failed[0])
        )
    raise DeliveryError(
        _(
            "CalDAV server answered 207 Multi-Status to {method} {url} with no status that "
            "can be read, so it is not known to be done"
        ).format(method=method, url=url)
    )


def _schemes_without_basic(response: httpx.Response) -> list[str]:
    """The login schemes a 401's ``WWW-Authenticate`` asks for (RFC 9110 section 11.6.1),
    when Basic is not among them; none when it is, or none is said."""
    schemes: list[str] = []
    for challenges in response.headers.get_list("WWW-Authenticate"):
        for piece in challenges.split(","):
            # A challenge begins with its scheme, a token; its parameters hold a "=".
            word = piece.strip().split(" ", 1)[0]
            if re.fullmatch(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+", word) and word not in schemes:
                schemes.append(word)
    if any(scheme.lower() == "basic" for scheme in schemes):
        return []
    return schemes


def _needs_privileges(response: httpx.Response) -> bool:
    """Whether a refusal's body is a ``DAV:need-privileges`` precondition (RFC 3744 section
    7.1.1): the login was taken, and lacks the right asked for."""
    import xml.etree.ElementTree as ElementTree

    try:
        answer = ElementTree.fromstring(response.content)
    except ElementTree.ParseError:
        return False
    return answer.tag == "{DAV:}error" and answer.find("{DAV:}need-privileges") is not None


@attrs.frozen
class Published:
    """What ``caldav_put`` did: where the event is now, and what deserves a look."""

    publication: Publication
    notes: tuple[str, ...] = ()


@attrs.frozen
class _Stored:
    """The event a URL holds now: its UIDs (none when it is not iCalendar), its ETag, and
    its events as ``_events_of`` gives them."""

    uids: frozenset[str]
    etag: str | None
    events: tuple[tuple[tuple[str, bytes, tuple[tuple[str, str], ...]], ...], ...] = ()

    def holds(self, uid: str) -> bool:
        return self.uids == {uid}

    def is_copy_of(self, ics: bytes) -> bool:
        """Whether it holds the very events of ``ics``: a PUT of them that the server made
        and whose answer was lost."""
        return bool(self.events) and self.events == _events_of(ics)

    def is_one_of(self, digests: Collection[str]) -> bool:
        """Whether it holds events with one of these ``events_digest``: ones a PUT of ours
        left unconfirmed sent."""
        return bool(self.events) and _digest(self.events) in digests


def events_digest(ics: bytes) -> str:
    """The SHA-256 of the VEVENTs of an iCalendar object, the same however a server wrote
    them back (see ``_events_of``): what a PUT left unconfirmed is known by.

    Args:
        ics: the iCalendar object.

    Returns:
        The digest, in hex.
    """
    return _digest(_events_of(ics))


def _digest(events: tuple[object, ...]) -> str:
    import hashlib

    return hashlib.sha256(repr(events).encode("utf-8")).hexdigest()


def _events_of(
    content: bytes,
) -> tuple[tuple[tuple[str, bytes, tuple[tuple[str, str], ...]], ...], ...]:
    """The VEVENTs of an iCalendar object, each as its sorted properties (name, value,
    parameters): the same for the same events, however a server wrote them back (line ends,
    folding, order); empty when it is not iCalendar."""
    from icalendar import Calendar

    try:
        events = Calendar.from_ical(content).walk("VEVENT")
    except ValueError:
        return ()
    found = []
    for event in events:
        lines = []
        for name, value in event.property_items(recursive=False):
            params = getattr(value, "params", {})
            raw = value.to_ical() if hasattr(value, "to_ical") else str(value).encode()
            lines.append((name, raw, tuple(sorted((k, str(v)) for k, v in params.items()))))
        found.append(tuple(sorted(lines)))
    return tuple(sorted(found))


def _stored(server: CaldavServer, client: httpx.Client | None, url: str) -> _Stored | None:
    """What ``url`` holds now (None when nothing: 404 or 410).

    Raises:
        DeliveryError: the server failed or refused.
    """
    from icalendar import Calendar

    fetched = _send(server, client, "GET", url, headers={"Accept": "text/calendar"})
    if fetched.status_code in (404, 410):
        return None
    if not fetched.is_success:
        raise _refusal(fetched, "GET", url, server)
    try:
        events = Calendar.from_ical(fetched.content).walk("VEVENT")
    except ValueError:
        events = []  # not iCalendar: not ours
    uids = frozenset(str(event.get("UID", "")) for event in events)
    return _Stored(uids, _etag(fetched), _events_of(fetched.content))


def _if_match(etag: str | None) -> dict[str, str | bytes]:
    # No ETag: the server gives none, and the event was just seen to be ours.
    return {"If-Match": _etag_bytes(etag)} if etag else {}


def _etag(response: httpx.Response) -> str | None:
    """The ``ETag`` of an answer as the server sent it, each byte one character (Latin-1),
    or None: an ETag may hold bytes beyond ASCII (obs-text, RFC 9110 section 8.8.3), and
    goes back in ``If-Match`` byte for byte (``_etag_bytes``)."""
    for name, value in response.headers.raw:
        if name.lower() == b"etag":
            return value.decode("latin-1") or None
    return None


def _etag_bytes(etag: str) -> bytes:
    """The bytes of an ETag read by ``_etag``; one an earlier somnet recorded as UTF-8 text
    (beyond Latin-1) in its UTF-8."""
    try:
        return etag.encode("latin-1")
    except UnicodeEncodeError:
        return etag.encode("utf-8")


def caldav_put(
    server: CaldavServer,
    uid: str,
    ics: bytes,
    *,
    previous: Publication | None,
    client: httpx.Client | None = None,
    force: bool = False,
    ours: Collection[str] = (),
) -> Published:
    """Create the event (``If-None-Match: *``) or replace the copy we put there before
    (``If-Match`` with its ETag).

    A creation refused because the resource exists (412) is a retry when the resource holds
    this very version (an earlier run put it there and was stopped before recording it): it
    is adopted with its ETag, so that the same command can be run again; so is one an earlier
    PUT of ours left unconfirmed (its ``events_digest`` in ``ours``), then replaced. An event
    with this UID that differs (edited on the server since, or put there by another client)
    stops with ``CaldavConflictError``, unless ``force``: it is then replaced, with a note.
    An event with another UID is never overwritten, even with ``force``.

    A replacement refused because the copy on the server changed (412: someone edited the
    event in their calendar) or was removed there stops with ``CaldavConflictError``, unless
    ``force``: the server's copy is then replaced (or put back) with this version. A copy
    that is this very version (a run put it there and its answer was lost) is no change:
    it is adopted with its ETag; so is a copy that an earlier PUT of ours, left unconfirmed,
    sent (its ``events_digest`` in ``ours``), which is then replaced without a conflict.

    A PUT whose connection drops before the answer is looked for at once: a copy of this
    very version there is the PUT made, adopted with its ETag; otherwise it stays unconfirmed
    (``UnansweredError``). So is a PUT answered with a server error (5xx: the server may have
    stored the event, then failed), except that it failed (``DeliveryError``) when the server
    is seen not to hold this version. A PUT whose answer does not come within the timeout
    stays unconfirmed without asking (the server is silent: asked, it would wait as long
    again).

    A server that gives no ETag (neither on PUT nor on GET, or the GET fails after the PUT
    succeeded) is told apart by UID: the event is recorded without one, and replaced or
    removed after a GET shows it still holds this UID (a change made there then goes
    unnoticed; a note says so).

    Args:
        server: the calendar collection.
        uid: names the resource (``<uid>.ics``) on creation.
        ics: the event, without METHOD.
        previous: where and with which ETag it was published, or None to create it.
        client: an httpx client (one is made when None).
        force: take over a copy changed or removed on the server.
        ours: the ``events_digest`` of the versions sent by PUTs left unconfirmed.

    Returns:
        Where it is now, with its new ETag, and notes.

    Raises:
        CaldavConflictError: the copy on the server changed or is gone, or a creation finds
            an event with this UID that differs from this version (without ``force``).
        UnansweredError: the PUT went, no answer came, and the copy was not found.
        DeliveryError: the server failed or refused, or holds another event (another UID)
            where this one would go.
    """
    url = previous.url if previous else server.calendar + quote(uid, safe="") + ".ics"
    notes: list[str] = []
    try:
        return _put(server, uid, ics, url, previous, client, force, notes, ours)
    except UnansweredError as exc:
        # The PUT went and no answer came (or a 5xx): the server may have made it. A copy of
        # this very version there says it did; anything else leaves it unconfirmed, unless
        # the server answered and is seen not to hold this version: then it failed. A server
        # silent past the timeout is not asked again (one wait, as for a new event).
        if _timed_out(exc):
            raise
        try:
            found = _stored(server, client, url)
        except DeliveryError:
            raise exc from None
        if found is None or not found.holds(uid) or not found.is_copy_of(ics):
            if isinstance(exc, _FailedAfter):
                raise DeliveryError(exc.reason) from exc
            raise
        return Published(
            Publication(url=url, etag=found.etag), (*notes, *_no_etag(url, found.etag))
        )


def _put(
    server: CaldavServer,
    uid: str,
    ics: bytes,
    url: str,
    previous: Publication | None,
    client: httpx.Client | None,
    force: bool,
    notes: list[str],
    ours: Collection[str] = (),
) -> Published:
    """``caldav_put`` at ``url``, its notes added to ``notes`` as they come."""

    def put(condition: dict[str, str | bytes]) -> httpx.Response:
        headers = {"Content-Type": "text/calendar; charset=utf-8", **condition}
        return _send(server, client, "PUT", url, headers=headers, content=ics)

    def another_event() -> DeliveryError:
        return DeliveryError(
            _(
                "CalDAV: an event already exists at {url} with another UID; nothing was overwritten"
            ).format(url=url)
        )

    if previous is None:
        _check_calendar_collection(server, client, url.rsplit("/", 1)[0] + "/")
    if previous is not None and previous.etag:
        response = put(_if_match(previous.etag))
    else:
        found = _stored(server, client, url) if previous is not None else None
        if found is not None and not found.holds(uid):
            raise another_event()
        if previous is not None and found is None and not force:
            raise CaldavConflictError(
                _(
                    "CalDAV: {url} was removed from the server since somnet published it; "
                    "nothing was put back"
                ).format(url=url),
                removed=True,
            )
        response = put(_if_match(found.etag) if found else {"If-None-Match": "*"})
    if response.status_code == 412:
        found = _stored(server, client, url)
        if found is not None and not found.holds(uid):
            raise another_event()
        if found is not None and found.is_copy_of(ics):
            # This very version, put there by a run whose answer was lost (or that was
            # stopped before it could record it): nobody changed it.
            return Published(Publication(url=url, etag=found.etag), _no_etag(url, found.etag))
        # A version an earlier PUT of ours sent, and whose answer was lost: not a change.
        mine = found is not None and found.is_one_of(ours)
        if previous is None and found is not None and not force and not mine:
            # An event with this UID that somnet never recorded putting there, and that is not
            # this version: an earlier run's, edited since in someone's calendar, or a copy
            # made there by a client. Taking it over would lose what was changed in it.
            raise CaldavConflictError(
                _(
                    "CalDAV: {url} already holds an event with this meeting's UID that differs "
                    "from this version (changed on the server, or put there by another "
                    "client); nothing was overwritten"
                ).format(url=url)
            )
        if previous is not None and not force and not mine:
            raise CaldavConflictError(
                (
                    _(
                        "CalDAV: {url} was removed from the server since somnet published it "
                        "(ETag mismatch); nothing was overwritten"
                    )
                    if found is None
                    else _(
                        "CalDAV: {url} was changed on the server since somnet published it "
                        "(ETag mismatch); nothing was overwritten"
                    )
                ).format(url=url),
                removed=found is None,
            )
        if previous is None and found is not None and not mine:
            notes.append(
                _(
                    "CalDAV: {url} held an event with this meeting's UID that differed from "
                    "this version; replaced it with this version (what was different there "
                    "is gone)"
                ).format(url=url)
            )
        if previous is not None and not mine:
            notes.append(
                (
                    _("CalDAV: {url} had been removed from the server; put this version back")
                    if found is None
                    else _(
                        "CalDAV: {url} had been changed on the server; replaced the copy changed "
                        "on the server with this version (what was changed there is gone)"
                    )
                ).format(url=url)
            )
        response = put(_if_match(found.etag) if found else {"If-None-Match": "*"})
        if response.status_code == 412:
            raise CaldavConflictError(
                _(
                    "CalDAV: {url} changed on the server while somnet was replacing it; "
                    "nothing was overwritten"
                ).format(url=url)
            )
    if response.status_code in (403, 409) and b"no-uid-conflict" in response.content:
        raise _uid_elsewhere(server, client, url, uid)
    if response.status_code == 202:
        # Taken to do later, maybe never: looked for (``caldav_put``), else unconfirmed.
        raise _accepted(response, "PUT", url)
    if response.status_code >= 500:
        # The server failed, maybe once it had stored the event: looked for (``caldav_put``).
        raise _FailedAfter(_refusal(response, "PUT", url, server).reason)
    try:
        _check_multistatus(response, "PUT", url)
    except DeliveryError as exc:
        # The server may hold the event all the same: looked for, as after a 5xx.
        raise _FailedAfter(exc.reason) from None
    if not response.is_success:
        raise _refusal(response, "PUT", url, server)
    etag = _etag(response)
    if not etag:
        # A server that altered the event sends no ETag (RFC 4791 5.3.4): ask for it. The
        # PUT succeeded whatever the answer: a GET that fails leaves it known by its UID.
        try:
            found = _stored(server, client, url)
        except DeliveryError:
            found = None
        etag = found.etag if found is not None else None
    return Published(Publication(url=url, etag=etag), (*notes, *_no_etag(url, etag)))


def _check_calendar_collection(
    server: CaldavServer, client: httpx.Client | None, collection: str
) -> None:
    """Refuse a collection the server says is not a calendar (its ``resourcetype`` has no
    CalDAV ``calendar``: the user's own folder, given for its calendar's URL), where a
    lenient server would keep the event out of every calendar. A server that does not say
    (no PROPFIND, no such collection, an answer not understood) is left to the PUT; one that
    cannot be reached or does not answer in time is not sent the PUT.

    Raises:
        DeliveryError: it is not a calendar; or it cannot be reached, or did not answer.
    """
    # The standard library's parser, namespaces and all (a calendar is CalDAV's element, not
    # any element of that name); the answer of the user's own server, Depth 0.
    import xml.etree.ElementTree as ElementTree

    query = (
        b'<?xml version="1.0" encoding="utf-8"?>'
        b'<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>'
    )
    try:
        found = _send(
            server,
            client,
            "PROPFIND",
            collection,
            headers={"Depth": "0", "Content-Type": "application/xml; charset=utf-8"},
            content=query,
        )
    except DeliveryError as exc:
        import httpx

        # Unreachable, or silent: so it is for the PUT that would follow, which is not sent
        # (nothing went: it failed, without a second wait).
        if isinstance(exc.__cause__, httpx.ConnectError | httpx.TimeoutException):
            raise
        return
    if found.status_code != 207:
        return
    try:
        answer = ElementTree.fromstring(found.content)
    except ElementTree.ParseError:
        return
    kinds = answer.find(".//{DAV:}resourcetype")
    if kinds is None or kinds.find("{DAV:}collection") is None:
        return
    if kinds.find("{urn:ietf:params:xml:ns:caldav}calendar") is None:
        raise DeliveryError(
            _(
                "CalDAV: {url} is a collection but not a calendar; nothing was put there: give "
                "the URL of a calendar"
            ).format(url=collection)
        )


def _no_etag(url: str, etag: str | None) -> tuple[str, ...]:
    """The note for an event the server gives no ETag for (none when it gives one)."""
    if etag:
        return ()
    return (
        _(
            "CalDAV: the server gives no ETag for {url}: the event is known by its "
            "UID, and a change made to it there would not be noticed"
        ).format(url=url),
    )


def _uid_elsewhere(
    server: CaldavServer, client: httpx.Client | None, url: str, uid: str
) -> DeliveryError:
    """The error for a PUT refused because the calendar holds an event with this UID under
    another name (RFC 4791 ``no-uid-conflict``: a client imported the e-mailed invite, say),
    naming where when a calendar query finds it."""
    import re
    from xml.sax.saxutils import escape

    collection = url.rsplit("/", 1)[0] + "/"
    query = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        "<D:prop><D:getetag/></D:prop><C:filter>"
        '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">'
        '<C:prop-filter name="UID"><C:text-match collation="i;octet">'
        f"{escape(uid)}</C:text-match></C:prop-filter>"
        "</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"
    )
    where = ""
    try:
        found = _send(
            server,
            client,
            "REPORT",
            collection,
            headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
            content=query.encode("utf-8"),
        )
    except DeliveryError:
        found = None
    if found is not None and found.status_code == 207:
        hrefs = re.findall(r"<(?:[\w.-]+:)?href>\s*([^<\s]+)\s*</", found.text)
        others = [h for h in hrefs if not url.endswith(h) and h.endswith(".ics")]
        if others:
            where = _origin(url) + others[0] if others[0].startswith("/") else others[0]
    if where:
        text = _(
            "CalDAV: the calendar {calendar} already holds an event with UID {uid}, at "
            "{where} (a copy imported from the e-mailed invite, perhaps); nothing was "
            "overwritten: remove that copy, or publish to another calendar"
        )
    else:
        text = _(
            "CalDAV: the calendar {calendar} already holds an event with UID {uid} under "
            "another name (a copy imported from the e-mailed invite, perhaps); nothing was "
            "overwritten: remove that copy, or publish to another calendar"
        )
    return DeliveryError(text.format(calendar=collection, uid=uid, where=where))


def _delete(
    server: CaldavServer,
    client: httpx.Client | None,
    url: str,
    condition: dict[str, str | bytes],
) -> httpx.Response | None:
    """DELETE ``url``; None when the DELETE went, no answer came (the connection dropped, or
    a 5xx), and the event is gone. A DELETE whose answer does not come within the timeout is
    not looked for (the server is silent).

    Raises:
        UnansweredError: no answer came, and the event may still be there.
        DeliveryError: the server failed.
    """
    try:
        response = _send(server, client, "DELETE", url, headers=condition)
        if response.status_code == 202:
            # Taken to do later, maybe never: gone already, or unconfirmed.
            raise _accepted(response, "DELETE", url)
        if response.status_code >= 500:
            # The server failed, maybe once it had removed the event: looked for.
            try:
                gone = _stored(server, client, url) is None
            except DeliveryError:
                gone = False
            return None if gone else response
        return response
    except UnansweredError as exc:
        if _timed_out(exc):
            raise  # silent past the timeout: asked again, it would wait as long again
        try:
            gone = _stored(server, client, url) is None
        except DeliveryError:
            gone = False
        if not gone:
            raise
        return None


def caldav_delete(
    server: CaldavServer,
    publication: Publication,
    *,
    uid: str,
    client: httpx.Client | None = None,
    force: bool = False,
    ours: Collection[str] = (),
) -> tuple[bool, tuple[str, ...]]:
    """Remove the published event (``If-Match`` with its ETag; without one, after a GET shows
    it still holds the meeting's UID).

    Args:
        server: the calendar collection.
        publication: where the event is, with the ETag of the copy put there.
        uid: the meeting's UID: an event with another one is never removed.
        client: an httpx client (one is made when None).
        force: remove it even though it was changed on the server.
        ours: the ``events_digest`` of the versions sent by PUTs left unconfirmed: a copy
            holding one of them is removed as ours, not as a change made on the server.

    Returns:
        True when it was removed, False when it was already gone; and notes.

    Raises:
        CaldavConflictError: the copy on the server changed (without ``force``).
        UnansweredError: the DELETE went, no answer came, and the event is still found there
            (or cannot be asked for).
        DeliveryError: the server failed or refused, or the URL holds another event.
    """
    url = publication.url
    condition = _if_match(publication.etag)
    if not publication.etag:
        found = _stored(server, client, url)
        if found is None:
            return False, ()
        if not found.holds(uid):
            raise DeliveryError(
                _("CalDAV: {url} holds another event; it was not removed").format(url=url)
            )
        condition = _if_match(found.etag)
    response = _delete(server, client, url, condition)
    if response is None:
        return True, ()
    notes: list[str] = []
    if response.status_code == 412:
        found = _stored(server, client, url)
        if found is None:
            return False, ()
        if not found.holds(uid):
            raise DeliveryError(
                _("CalDAV: {url} holds another event; it was not removed").format(url=url)
            )
        mine = found.is_one_of(ours)  # put there by a PUT of ours whose answer was lost
        if not force and not mine:
            raise CaldavConflictError(
                _(
                    "CalDAV: {url} was changed on the server since somnet published it (ETag "
                    "mismatch); it was not removed"
                ).format(url=url)
            )
        if not mine:
            notes.append(
                _("CalDAV: {url} had been changed on the server; removed it all the same").format(
                    url=url
                )
            )
        response = _delete(server, client, url, _if_match(found.etag))
        if response is None:
            return True, tuple(notes)
    if response.status_code in (404, 410):
        return False, tuple(notes)
    _check_multistatus(response, "DELETE", url)
    if not response.is_success:
        raise _refusal(response, "DELETE", url, server)
    return True, tuple(notes)
