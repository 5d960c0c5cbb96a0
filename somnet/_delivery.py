"""Delivering invites: iMIP e-mail over SMTP (RFC 6047) and CalDAV (RFC 4791) with httpx.

Passwords never come from the command line (where shell history and ``ps`` would keep them):
only from an environment variable, and they are sent only over TLS or to this machine.
Every failure of the world (refused, unreachable, timed out, an error status) becomes a
DeliveryError with one clear line; the caller then leaves the meeting's record as it was.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, urlsplit

import attrs

from somnet._exceptions import DeliveryError, MeetingError
from somnet._meeting_store import Meeting, Person, Publication

if TYPE_CHECKING:
    import httpx

SMTP_PASSWORD_ENV = "SOMNET_SMTP_PASSWORD"
CALDAV_USER_ENV = "SOMNET_CALDAV_USER"
CALDAV_PASSWORD_ENV = "SOMNET_CALDAV_PASSWORD"
DEFAULT_TIMEOUT = 10.0

Security = Literal["none", "starttls", "tls"]


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _split(
    url: str, flag: str, schemes: Mapping[str, int]
) -> tuple[str, str, int, str | None, str]:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise MeetingError(f"{flag}: {url!r} is not a valid address: {exc}") from None
    if parts.scheme not in schemes or not parts.hostname:
        raise MeetingError(
            f"{flag}: {url!r} must look like {next(iter(schemes))}://host:port"
            + ("/path/" if "http" in schemes else "")
        )
    if parts.password is not None:
        raise MeetingError(
            f"{flag}: do not put a password in the address (it stays in your shell history); "
            "set it in the environment variable named by the password option"
        )
    return parts.scheme, parts.hostname, port or schemes[parts.scheme], parts.username, parts.path


# SMTP ----------------------------------------------------------------------------------------


@attrs.frozen
class SmtpServer:
    """Where and how to send iMIP messages.

    Attributes:
        security: ``starttls`` (upgrade a plain connection), ``tls`` (smtps://) or ``none``.
        per_attendee: one message to each attendee instead of one to all.
    """

    host: str
    port: int
    security: Security = "none"
    user: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    per_attendee: bool = False


def smtp_server(
    url: str,
    *,
    starttls: bool = False,
    user: str | None = None,
    password_env: str = SMTP_PASSWORD_ENV,
    timeout: float = DEFAULT_TIMEOUT,
    per_attendee: bool = False,
    environ: Mapping[str, str] | None = None,
) -> SmtpServer:
    """Read ``--send smtp://host:port`` (or ``smtps://``) and the login options.

    Args:
        url: ``smtp://[user@]host[:port]`` (port 25 by default) or ``smtps://...`` (465).
        starttls: upgrade the connection with STARTTLS before anything else.
        user: log in as this user (also read from the address).
        password_env: the environment variable holding the password.
        timeout: seconds to wait for the server.
        per_attendee: one message per attendee.
        environ: the environment (``os.environ`` when None).

    Raises:
        MeetingError: a bad address, a password in it, a user without a password, a login
            that would cross the network in clear.
    """
    scheme, host, port, url_user, _ = _split(url, "--send", {"smtp": 25, "smtps": 465})
    if scheme == "smtps" and starttls:
        raise MeetingError("--starttls: smtps:// is TLS from the start; use one or the other")
    security: Security = "tls" if scheme == "smtps" else "starttls" if starttls else "none"
    login = user or url_user
    password = None
    if login:
        password = (os.environ if environ is None else environ).get(password_env)
        if not password:
            raise MeetingError(
                f"--smtp-user {login}: set the password in the environment variable "
                f"{password_env} (never on the command line)"
            )
        if security == "none" and not _is_loopback(host):
            raise MeetingError(
                f"--smtp-user: logging in to {host} without --starttls or smtps:// would send "
                "the password in clear"
            )
    if timeout <= 0:
        raise MeetingError(f"--timeout: {timeout} must be more than 0 seconds")
    return SmtpServer(host, port, security, login, password, timeout, per_attendee)


def imip_messages(
    meeting: Meeting,
    ics: bytes,
    method: str,
    *,
    now: datetime,
    text: str,
    subject: str,
    per_attendee: bool = False,
) -> list[tuple[EmailMessage, list[str]]]:
    """The iMIP messages for a version of a meeting, with their envelope recipients.

    Each message is ``multipart/alternative``: a ``text/plain`` part for people, then the
    iCalendar object as ``text/calendar; method=...`` with the method in upper case, equal to
    the METHOD inside (RFC 6047 section 2.4).
    """
    import email.policy
    from email.utils import format_datetime

    method = method.upper()
    organizer = meeting.organizer
    domain = organizer.email.rpartition("@")[2] or "somnet.invalid"
    groups: Sequence[Sequence[Person]] = (
        [[p] for p in meeting.attendees] if per_attendee else [meeting.attendees]
    )
    messages = []
    for index, recipients in enumerate(groups):
        # refold_source="none": the address headers below go out as written here.
        message = EmailMessage(policy=email.policy.SMTP.clone(refold_source="none"))
        message.set_raw("From", address_header("From", [organizer]))
        message.set_raw("To", address_header("To", recipients))
        message["Subject"] = subject
        message["Date"] = format_datetime(now.astimezone(UTC))
        # Derived from the UID and SEQUENCE, so that a retry is recognisably the same message.
        message["Message-ID"] = (
            f"<{_local_part(meeting.uid)}.{meeting.sequence}.{method.lower()}.{index}@{domain}>"
        )
        message["Content-Class"] = "urn:content-classes:calendarmessage"
        message.set_content(text)
        calendar = ics.decode("utf-8")
        message.add_alternative(
            calendar, subtype="calendar", cte="7bit" if calendar.isascii() else "base64"
        )
        part = list(message.iter_parts())[1]
        # Written as in RFC 6047's examples, unquoted: some clients compare it literally.
        del part["Content-Type"]
        part.set_raw("Content-Type", f'text/calendar; charset="utf-8"; method={method}')
        message.set_boundary(f"=_somnet_{_local_part(meeting.uid)}_{meeting.sequence}_{index}")
        messages.append((message, [p.email for p in recipients]))
    return messages


def address_header(field: str, people: Sequence[Person]) -> str:
    """The value of an address header (From, To), written here rather than by the ``email``
    package, folded at 78 columns with one mailbox a line.

    Text assigned to an ``EmailMessage`` header is parsed again, and a display name with a
    comma is then split into two addresses; ``Address`` objects avoid that, but Python
    3.11's folder then encodes the comma between two mailboxes when it follows a non-ASCII
    name, and the next address is lost. Lines are folded only at spaces, which unfolding
    gives back, or between two encoded words, where RFC 2047 (section 6.2) ignores them.
    """
    from email.utils import formataddr

    width = 78
    lines = [f"{field}:"]
    for index, person in enumerate(people):
        # A name is one line in a header: line breaks and runs of spaces become one space.
        name = " ".join(person.name.split())
        if name.isascii() and "=?" not in name:
            words = formataddr((name, person.email)).split(" ")
        else:
            words = [*_encoded_phrase(name), f"<{person.email}>"]
        if index + 1 < len(people):
            words[-1] += ","
        if index:
            lines.append("")
        for word in words:
            if len(lines[-1]) + 1 + len(word) > width and lines[-1] not in ("", f"{field}:"):
                lines.append(word)
            else:
                lines[-1] = f"{lines[-1]} {word}" if lines[-1] else word
    return "\r\n ".join(lines).removeprefix(f"{field}: ")


#: The characters of an RFC 5322 atom: a word made only of them is written as it is.
_ATEXT = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~"
)


def _encoded_phrase(name: str) -> list[str]:
    """A display name with non-ASCII letters as RFC 2047 words: each run of words that are not
    plain atoms becomes one encoded word (its spaces inside it), the atoms between stay as
    they are. Two encoded words are then next to each other only when a run is longer than
    one encoded word can hold (75 characters), which keeps the name whole for readers that
    wrongly put a space between adjacent encoded words (Python 3.11's parser, gh-128110)."""
    from email.header import Header

    tokens: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            encoded = Header(" ".join(run), "utf-8", maxlinelen=75).encode(linesep="\n")
            tokens.extend(encoded.split())
            run.clear()

    for word in name.split(" "):
        # A plain word that looks like an encoded word would be read as one: encode it.
        if word and set(word) <= _ATEXT and not word.startswith("=?"):
            flush()
            tokens.append(word)
        else:
            run.append(word)
    flush()
    return tokens


def _local_part(uid: str) -> str:
    return "".join(c if c.isalnum() or c in "-." else "-" for c in uid)


def send_imip(
    meeting: Meeting,
    ics: bytes,
    method: str,
    server: SmtpServer,
    *,
    now: datetime,
    text: str,
    subject: str,
    ssl_context: Any = None,
) -> list[str]:
    """Send a version of a meeting to its attendees.

    Returns:
        The addresses it was sent to.

    Raises:
        DeliveryError: the server refused, could not be reached, timed out, rejected the login
            or a recipient.
    """
    import smtplib
    import ssl

    messages = imip_messages(
        meeting, ics, method, now=now, text=text, subject=subject, per_attendee=server.per_attendee
    )
    where = f"SMTP server {server.host}:{server.port}"
    context = ssl_context or ssl.create_default_context()
    sent: list[str] = []
    try:
        connection: smtplib.SMTP
        if server.security == "tls":
            connection = smtplib.SMTP_SSL(
                server.host, server.port, timeout=server.timeout, context=context
            )
        else:
            connection = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
        with connection:
            if server.security == "starttls":
                connection.starttls(context=context)
            if server.user:
                connection.login(server.user, server.password or "")
            for message, recipients in messages:
                refused = connection.send_message(
                    message, from_addr=meeting.organizer.email, to_addrs=recipients
                )
                if refused:
                    raise DeliveryError(
                        f"{where} refused {', '.join(sorted(refused))}"
                        + (f" (already sent to {', '.join(sent)})" if sent else "")
                    )
                sent += recipients
    except DeliveryError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(
            f"{where} refused the login of {server.user}: {_smtp_reply(exc)}"
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryError(f"{where} does not offer {exc}") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(
            f"{where} refused every recipient: {', '.join(sorted(exc.recipients))}"
        ) from exc
    except smtplib.SMTPServerDisconnected as exc:
        # smtplib reports a read that timed out as a disconnection.
        if isinstance(exc.__context__, TimeoutError) or "timed out" in str(exc):
            raise DeliveryError(f"{where} did not answer within {server.timeout:g} s") from exc
        raise DeliveryError(f"{where} closed the connection: {exc}") from exc
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"{where} answered {_smtp_reply(exc)}") from exc
    except smtplib.SMTPException as exc:
        raise DeliveryError(f"{where}: {exc or type(exc).__name__}") from exc
    except TimeoutError as exc:
        raise DeliveryError(f"{where} did not answer within {server.timeout:g} s") from exc
    except ConnectionRefusedError as exc:
        raise DeliveryError(f"{where} refused the connection") from exc
    except ssl.SSLError as exc:
        raise DeliveryError(f"{where}: TLS failed: {exc.reason or exc}") from exc
    except OSError as exc:
        raise DeliveryError(f"{where} cannot be reached: {exc.strerror or exc}") from exc
    return sent


def _smtp_reply(exc: Any) -> str:
    message = exc.smtp_error
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return f"{exc.smtp_code} {message}".strip()


# CalDAV --------------------------------------------------------------------------------------


@attrs.frozen
class CaldavServer:
    """A CalDAV calendar collection to publish to.

    Attributes:
        collection: its URL, ending in ``/``.
    """

    collection: str
    user: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT


def caldav_server(
    url: str,
    *,
    user: str | None = None,
    password_env: str = CALDAV_PASSWORD_ENV,
    timeout: float = DEFAULT_TIMEOUT,
    environ: Mapping[str, str] | None = None,
) -> CaldavServer:
    """Read ``--publish http(s)://host:port/path/`` and the credentials options.

    Args:
        url: the calendar collection.
        user: the Basic-auth user (also read from the address, or ``SOMNET_CALDAV_USER``).
        password_env: the environment variable holding the password (may be unset for
            servers that accept any password).
        timeout: seconds to wait for the server.
        environ: the environment (``os.environ`` when None).

    Raises:
        MeetingError: a bad address, a password in it, a password that would cross the
            network in clear.
    """
    environ = os.environ if environ is None else environ
    scheme, host, _, url_user, path = _split(url, "--publish", {"https": 443, "http": 80})
    login = user or url_user or environ.get(CALDAV_USER_ENV) or None
    password = environ.get(password_env) or None
    if password and scheme == "http" and not _is_loopback(host):
        raise MeetingError(
            f"--publish: sending a password to {host} over http:// would send it in clear; "
            "use https://"
        )
    if timeout <= 0:
        raise MeetingError(f"--timeout: {timeout} must be more than 0 seconds")
    collection = url.strip()
    if url_user:
        collection = collection.replace(f"{url_user}@", "", 1)
    if not path.endswith("/"):
        collection += "/"
    return CaldavServer(collection, login, password, timeout)


def _client(server: CaldavServer, client: httpx.Client | None) -> httpx.Client:
    import httpx

    return client or httpx.Client(timeout=server.timeout, follow_redirects=False)


def _send(
    server: CaldavServer,
    client: httpx.Client | None,
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    content: bytes | None = None,
) -> httpx.Response:
    import httpx

    auth = (server.user, server.password or "") if server.user else None
    owned = client is None
    http = _client(server, client)
    try:
        return http.request(
            method, url, headers=headers, content=content, auth=auth, timeout=server.timeout
        )
    except httpx.ConnectError as exc:
        raise DeliveryError(f"CalDAV server at {_origin(url)} cannot be reached: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise DeliveryError(
            f"CalDAV server at {_origin(url)} did not answer {method} within {server.timeout:g} s"
        ) from exc
    except httpx.HTTPError as exc:
        raise DeliveryError(f"CalDAV {method} {url} failed: {exc}") from exc
    finally:
        if owned:
            http.close()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _refusal(response: httpx.Response, method: str, url: str) -> DeliveryError:
    status = f"{response.status_code} {response.reason_phrase}".strip()
    if response.status_code in (401, 403):
        hint = "; check --caldav-user and the password variable"
    elif response.status_code in (404, 409) and method == "PUT":
        hint = "; is there a calendar collection at that address?"
    else:
        hint = ""
    return DeliveryError(f"CalDAV server answered {status} to {method} {url}{hint}")


def caldav_put(
    server: CaldavServer,
    uid: str,
    ics: bytes,
    *,
    previous: Publication | None,
    client: httpx.Client | None = None,
) -> Publication:
    """Create the event (``If-None-Match: *``) or replace the copy we put there before
    (``If-Match`` with its ETag).

    A creation refused because the resource exists (412) is a retry when the resource holds
    an event with the same UID: an earlier run put it there and failed after (the e-mail, the
    record). Its ETag is then adopted and it is replaced (``If-Match``), so that the same
    command can be run again. An event with another UID is never overwritten.

    Args:
        server: the calendar collection.
        uid: names the resource (``<uid>.ics``) on creation.
        ics: the event, without METHOD.
        previous: where and with which ETag it was published, or None to create it.
        client: an httpx client (one is made when None).

    Returns:
        Where it is now, with its new ETag.

    Raises:
        DeliveryError: the server failed, refused, holds a different copy (412), or holds
            another event (another UID) where this one would go.
    """
    url = previous.url if previous else server.collection + quote(uid, safe="") + ".ics"
    headers = {"Content-Type": "text/calendar; charset=utf-8"}
    if previous:
        headers["If-Match"] = previous.etag
    else:
        headers["If-None-Match"] = "*"
    response = _send(server, client, "PUT", url, headers=headers, content=ics)
    if response.status_code == 412 and not previous:
        etag = _etag_of_same_uid(server, client, url, uid)
        if etag is None:
            raise DeliveryError(
                f"CalDAV: an event already exists at {url}; nothing was overwritten"
            )
        del headers["If-None-Match"]
        headers["If-Match"] = etag
        response = _send(server, client, "PUT", url, headers=headers, content=ics)
    if response.status_code == 412:
        raise DeliveryError(
            f"CalDAV: {url} was changed on the server since somnet published it "
            "(ETag mismatch); nothing was overwritten"
        )
    if not response.is_success:
        raise _refusal(response, "PUT", url)
    etag = response.headers.get("ETag")
    if not etag:
        # A server that altered the event sends no ETag (RFC 4791 5.3.4): ask for it.
        fetched = _send(server, client, "GET", url, headers={"Accept": "text/calendar"})
        etag = fetched.headers.get("ETag") if fetched.is_success else None
    if not etag:
        raise DeliveryError(f"CalDAV: {url} was stored but the server gave no ETag for it")
    return Publication(url=url, etag=etag)


def _etag_of_same_uid(
    server: CaldavServer, client: httpx.Client | None, url: str, uid: str
) -> str | None:
    """The ETag of the event at ``url`` when it has the UID ``uid`` (None otherwise)."""
    from icalendar import Calendar

    fetched = _send(server, client, "GET", url, headers={"Accept": "text/calendar"})
    etag = fetched.headers.get("ETag")
    if not fetched.is_success or not etag:
        return None
    try:
        events = Calendar.from_ical(fetched.content).walk("VEVENT")
    except ValueError:
        return None  # not iCalendar: not ours
    if not events or any(str(event.get("UID", "")) != uid for event in events):
        return None
    return str(etag)


def caldav_delete(
    server: CaldavServer, publication: Publication, *, client: httpx.Client | None = None
) -> bool:
    """Remove the published event (``If-Match`` with its ETag).

    Returns:
        True when it was removed, False when it was already gone.

    Raises:
        DeliveryError: the server failed, refused, or holds a different copy (412).
    """
    response = _send(
        server, client, "DELETE", publication.url, headers={"If-Match": publication.etag}
    )
    if response.status_code == 404:
        return False
    if response.status_code == 412:
        raise DeliveryError(
            f"CalDAV: {publication.url} was changed on the server since somnet published it "
            "(ETag mismatch); it was not removed"
        )
    if not response.is_success:
        raise _refusal(response, "DELETE", publication.url)
    return True
