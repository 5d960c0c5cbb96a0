"""Delivering invites: iMIP e-mail over SMTP (RFC 6047) and CalDAV (RFC 4791) with httpx.

Passwords never come from the command line (where shell history and ``ps`` would keep them):
only from an environment variable, and they are sent only over TLS or to this machine.
Every failure of the world (refused, unreachable, timed out, an error status) becomes a
DeliveryError with one clear line. Sending e-mail reports each message as it goes (who has it,
who was refused), so that the caller records it before the next: a run that fails halfway
knows exactly who got the invite.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, urlsplit

import attrs

from somnet._exceptions import DeliveryError, MeetingError
from somnet.meetings.planning import shown
from somnet.meetings.store import Meeting, Person, Publication

if TYPE_CHECKING:
    import httpx

SMTP_PASSWORD_ENV = "SOMNET_SMTP_PASSWORD"
CALDAV_USER_ENV = "SOMNET_CALDAV_USER"
CALDAV_PASSWORD_ENV = "SOMNET_CALDAV_PASSWORD"
DEFAULT_TIMEOUT = 10.0

Security = Literal["none", "starttls", "tls"]


class IncompleteDeliveryError(DeliveryError):
    """A version of a meeting was recorded, and some of its deliveries failed.

    Attributes:
        meeting: the record as it stands: who has the version, who has not (``deliveries``).
        conflict: the CalDAV server holds a copy changed there (``force`` takes it over).
    """

    def __init__(self, message: str, meeting: Meeting, *, conflict: bool = False) -> None:
        super().__init__(message)
        self.meeting = meeting
        self.conflict = conflict


class CaldavConflictError(DeliveryError):
    """The event on the CalDAV server is no longer the copy somnet put there: it was changed
    or removed there. Nothing was overwritten."""


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
        raise MeetingError(f"{flag}: {shown(url)} is not a valid address: {exc}") from None
    if parts.scheme not in schemes or not parts.hostname:
        raise MeetingError(
            f"{flag}: {shown(url)} must look like {next(iter(schemes))}://host:port"
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
        password_env: the environment variable the password came from (for messages).
    """

    host: str
    port: int
    security: Security = "none"
    user: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    per_attendee: bool = False
    password_env: str = SMTP_PASSWORD_ENV

    @property
    def address(self) -> str:
        """``host:port``, as the record and the messages name the server."""
        return f"{self.host}:{self.port}"


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
                f"--smtp-user {shown(login, quoted=False)}: the password is read from the "
                f"environment variable {password_env}, which is not set; set it there (never on "
                "the command line)"
            )
        if security == "none" and not _is_loopback(host):
            raise MeetingError(
                f"--smtp-user: logging in to {host} without --starttls or smtps:// would send "
                "the password in clear"
            )
    if timeout <= 0:
        raise MeetingError(f"--timeout: {timeout} must be more than 0 seconds")
    return SmtpServer(
        host, port, security, login, password, timeout, per_attendee, password_env=password_env
    )


def imip_messages(
    meeting: Meeting,
    ics: bytes,
    method: str,
    *,
    now: datetime,
    text: str,
    subject: str,
    per_attendee: bool = False,
    recipients: Sequence[Person] | None = None,
) -> list[tuple[EmailMessage, list[str]]]:
    """The iMIP messages for a version of a meeting, with their envelope recipients.

    Each message is ``multipart/mixed``, as Gmail and Outlook send invites: a
    ``multipart/alternative`` with a ``text/plain`` part for people and the iCalendar object
    as ``text/calendar; method=...`` (the method in upper case, equal to the METHOD inside,
    RFC 6047 section 2.4), then the same object attached as ``invite.ics``
    (``application/ics``) for clients that only offer attachments. ``Content-Class:
    urn:content-classes:calendarmessage`` marks it as an invite for Outlook.

    Args:
        recipients: who is sent it (the meeting's attendees when None): the others named in
            the version already have it. One message to all is addressed (``To``) to every
            attendee and delivered to ``recipients`` only; per attendee, each message is to
            one of them, with the same Message-ID whatever run sends it.
    """
    import email.policy
    from email.utils import format_datetime

    method = method.upper()
    organizer = meeting.organizer
    domain = organizer.email.rpartition("@")[2] or "somnet.invalid"
    targets = meeting.attendees if recipients is None else tuple(recipients)
    position = {p.email.lower(): i for i, p in enumerate(meeting.attendees)}
    groups: list[tuple[int, Sequence[Person], Sequence[Person]]] = (
        [(position.get(p.email.lower(), 0), [p], [p]) for p in targets]
        if per_attendee
        else [(0, meeting.attendees, targets)]
    )
    calendar = ics.decode("utf-8")
    token = f"{_local_part(meeting.uid)}_{meeting.sequence}"
    messages = []
    for index, addressed, envelope in groups:
        if not envelope:
            continue
        # refold_source="none": the address headers below go out as written here.
        message = EmailMessage(policy=email.policy.SMTP.clone(refold_source="none"))
        message.set_raw("From", address_header("From", [organizer]))
        message.set_raw("To", address_header("To", addressed))
        message["Subject"] = subject
        message["Date"] = format_datetime(now.astimezone(UTC))
        # Derived from the UID and SEQUENCE, so that a retry is recognisably the same message.
        message["Message-ID"] = (
            f"<{_local_part(meeting.uid)}.{meeting.sequence}.{method.lower()}.{index}@{domain}>"
        )
        message.set_content(text)
        message.add_alternative(
            calendar, subtype="calendar", cte="7bit" if calendar.isascii() else "base64"
        )
        part = list(message.iter_parts())[1]
        # Written as in RFC 6047's examples, unquoted: some clients compare it literally.
        del part["Content-Type"]
        part.set_raw("Content-Type", f'text/calendar; charset="utf-8"; method={method}')
        message.set_boundary(f"=_somnet_alt_{token}_{index}")
        message.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
        message.set_boundary(f"=_somnet_{token}_{index}")
        # Last: set_content and add_attachment move every Content-* header into the parts.
        message["Content-Class"] = "urn:content-classes:calendarmessage"
        messages.append((message, [p.email for p in envelope]))
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


@attrs.frozen
class ImipResult:
    """What ``send_imip`` did.

    Attributes:
        sent: the addresses the server accepted the invite for.
        refused: the addresses it refused, each with its answer.
        error: what stopped it before every message was sent (the addresses of the messages
            not sent are ``unsent``), or None.
    """

    sent: tuple[str, ...]
    refused: Mapping[str, str]
    error: DeliveryError | None
    unsent: tuple[str, ...] = ()


def send_imip(
    meeting: Meeting,
    ics: bytes,
    method: str,
    server: SmtpServer,
    *,
    now: datetime,
    text: str,
    subject: str,
    recipients: Sequence[Person] | None = None,
    ssl_context: Any = None,
    progress: Callable[[Sequence[str], Mapping[str, str]], None] | None = None,
) -> ImipResult:
    """Send a version of a meeting to its attendees (or to ``recipients`` of them).

    A recipient the server refuses does not stop the others: with one message to all, the
    server delivers it to those it accepted; per attendee, the next messages are sent. A
    failure of the server or the connection stops it there.

    Args:
        progress: called after each message with the addresses it reached and those refused
            (with the server's answer), so that the caller can record them before the next.

    Returns:
        Who has it, who was refused, and what stopped it (None when every message was sent).
    """
    import smtplib
    import ssl

    messages = imip_messages(
        meeting,
        ics,
        method,
        now=now,
        text=text,
        subject=subject,
        per_attendee=server.per_attendee,
        recipients=recipients,
    )
    context = ssl_context or ssl.create_default_context()
    sent: list[str] = []
    refused: dict[str, str] = {}
    step = "connect"
    done = 0
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
                step = "starttls"
                connection.starttls(context=context)
            if server.user:
                step = "login"
                connection.login(server.user, server.password or "")
            step = "send"
            for message, envelope in messages:
                try:
                    answer = connection.send_message(
                        message, from_addr=meeting.organizer.email, to_addrs=envelope
                    )
                except smtplib.SMTPRecipientsRefused as exc:
                    answer = exc.recipients  # every one of them: this message went nowhere
                now_refused = {
                    str(address): _smtp_reply_of(reply) for address, reply in answer.items()
                }
                now_sent = [a for a in envelope if a not in now_refused]
                sent += now_sent
                refused.update(now_refused)
                done += 1
                if progress is not None:
                    progress(now_sent, now_refused)
    except (smtplib.SMTPException, OSError) as exc:
        unsent = tuple(a for _, envelope in messages[done:] for a in envelope)
        return ImipResult(tuple(sent), refused, _smtp_failure(exc, server, step), unsent)
    return ImipResult(tuple(sent), refused, None)


def _smtp_failure(exc: BaseException, server: SmtpServer, step: str) -> DeliveryError:
    """One line for what stopped the SMTP conversation at ``step``."""
    import smtplib
    import ssl

    where = f"SMTP server {server.address}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return DeliveryError(
            f"{where} refused the login of {shown(server.user or '', quoted=False)}: "
            f"{_smtp_reply(exc)} "
            f"(the password is read from {server.password_env})"
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        if step == "starttls":
            return DeliveryError(
                f"{where} does not offer STARTTLS: drop --starttls, or use smtps:// if it "
                "speaks TLS from the first byte"
            )
        if step == "login":
            return DeliveryError(
                f"{where} does not offer a login (AUTH) on this connection: drop "
                "--smtp-user, or add --starttls (many servers offer it only after STARTTLS)"
            )
        return DeliveryError(f"{where} does not support what was asked: {exc}")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return DeliveryError(
            f"{where} refused the organizer's address {exc.sender!r} as sender: {_smtp_reply(exc)}"
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        # smtplib reports a read that timed out as a disconnection.
        if isinstance(exc.__context__, TimeoutError) or "timed out" in str(exc):
            return DeliveryError(f"{where} did not answer within {server.timeout:g} s")
        return DeliveryError(f"{where} closed the connection: {exc}")
    if isinstance(exc, smtplib.SMTPResponseException):
        return DeliveryError(f"{where} answered {_smtp_reply(exc)}")
    if isinstance(exc, smtplib.SMTPException):
        return DeliveryError(f"{where}: {exc or type(exc).__name__}")
    if isinstance(exc, TimeoutError):
        return DeliveryError(f"{where} did not answer within {server.timeout:g} s")
    if isinstance(exc, ConnectionRefusedError):
        return DeliveryError(f"{where} refused the connection")
    if isinstance(exc, ssl.SSLError):
        return DeliveryError(f"{where}: TLS failed: {exc.reason or exc}")
    assert isinstance(exc, OSError)
    return DeliveryError(f"{where} cannot be reached: {exc.strerror or exc}")


def _smtp_reply_of(reply: Any) -> str:
    """A (code, message) pair from smtplib as ``550 5.1.1 ...``."""
    code, message = reply
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return f"{code} {message}".strip()


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
    password_env: str = CALDAV_PASSWORD_ENV


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
    return CaldavServer(collection, login, password, timeout, password_env=password_env)


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


def _refusal(
    response: httpx.Response, method: str, url: str, server: CaldavServer | None = None
) -> DeliveryError:
    status = f"{response.status_code} {response.reason_phrase}".strip()
    if response.status_code in (401, 403):
        variable = server.password_env if server else CALDAV_PASSWORD_ENV
        hint = f"; check --caldav-user and the password in {variable}"
    elif response.status_code in (404, 409) and method == "PUT":
        hint = "; is there a calendar collection at that address?"
    else:
        hint = ""
    return DeliveryError(f"CalDAV server answered {status} to {method} {url}{hint}")


@attrs.frozen
class Published:
    """What ``caldav_put`` did: where the event is now, and what deserves a look."""

    publication: Publication
    notes: tuple[str, ...] = ()


@attrs.frozen
class _Stored:
    """The event a URL holds now: its UIDs (none when it is not iCalendar) and its ETag."""

    uids: frozenset[str]
    etag: str | None

    def holds(self, uid: str) -> bool:
        return self.uids == {uid}


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
    return _Stored(uids, fetched.headers.get("ETag") or None)


def _if_match(etag: str | None) -> dict[str, str]:
    # No ETag: the server gives none, and the event was just seen to be ours.
    return {"If-Match": etag} if etag else {}


def caldav_put(
    server: CaldavServer,
    uid: str,
    ics: bytes,
    *,
    previous: Publication | None,
    client: httpx.Client | None = None,
    force: bool = False,
) -> Published:
    """Create the event (``If-None-Match: *``) or replace the copy we put there before
    (``If-Match`` with its ETag).

    A creation refused because the resource exists (412) is a retry when the resource holds
    an event with the same UID: an earlier run put it there and failed after. It is adopted
    and replaced, so that the same command can be run again. An event with another UID is
    never overwritten, even with ``force``.

    A replacement refused because the copy on the server changed (412: someone edited the
    event in their calendar) or was removed there stops with ``CaldavConflictError``, unless
    ``force``: the server's copy is then replaced (or put back) with this version.

    A server that gives no ETag (neither on PUT nor on GET) is told apart by UID: the event
    is recorded without one, and replaced or removed after a GET shows it still holds this
    UID (a change made there then goes unnoticed; a note says so).

    Args:
        server: the calendar collection.
        uid: names the resource (``<uid>.ics``) on creation.
        ics: the event, without METHOD.
        previous: where and with which ETag it was published, or None to create it.
        client: an httpx client (one is made when None).
        force: take over a copy changed or removed on the server.

    Returns:
        Where it is now, with its new ETag, and notes.

    Raises:
        CaldavConflictError: the copy on the server changed or is gone (without ``force``).
        DeliveryError: the server failed or refused, or holds another event (another UID)
            where this one would go.
    """
    url = previous.url if previous else server.collection + quote(uid, safe="") + ".ics"
    notes: list[str] = []

    def put(condition: dict[str, str]) -> httpx.Response:
        headers = {"Content-Type": "text/calendar; charset=utf-8", **condition}
        return _send(server, client, "PUT", url, headers=headers, content=ics)

    def another_event() -> DeliveryError:
        return DeliveryError(
            f"CalDAV: an event already exists at {url} with another UID; nothing was overwritten"
        )

    if previous is not None and previous.etag:
        response = put({"If-Match": previous.etag})
    else:
        found = _stored(server, client, url) if previous is not None else None
        if found is not None and not found.holds(uid):
            raise another_event()
        if previous is not None and found is None and not force:
            raise CaldavConflictError(
                f"CalDAV: {url} was removed from the server since somnet published it; "
                "nothing was put back"
            )
        response = put(_if_match(found.etag) if found else {"If-None-Match": "*"})
    if response.status_code == 412:
        found = _stored(server, client, url)
        if found is not None and not found.holds(uid):
            raise another_event()
        if previous is not None and not force:
            what = "removed from" if found is None else "changed on"
            raise CaldavConflictError(
                f"CalDAV: {url} was {what} the server since somnet published it (ETag "
                "mismatch); nothing was overwritten"
            )
        if previous is not None:
            notes.append(
                f"CalDAV: {url} had been {'removed from' if found is None else 'changed on'} "
                "the server; replaced the copy changed on the server with this version "
                "(what was changed there is gone)"
            )
        response = put(_if_match(found.etag) if found else {"If-None-Match": "*"})
        if response.status_code == 412:
            raise CaldavConflictError(
                f"CalDAV: {url} changed on the server while somnet was replacing it; "
                "nothing was overwritten"
            )
    if not response.is_success:
        raise _refusal(response, "PUT", url, server)
    etag = response.headers.get("ETag") or None
    if not etag:
        # A server that altered the event sends no ETag (RFC 4791 5.3.4): ask for it.
        found = _stored(server, client, url)
        etag = found.etag if found is not None else None
    if not etag:
        notes.append(
            f"CalDAV: the server gives no ETag for {url}: the event is known by its UID, and "
            "a change made to it there would not be noticed"
        )
    return Published(Publication(url=url, etag=etag), tuple(notes))


def caldav_delete(
    server: CaldavServer,
    publication: Publication,
    *,
    uid: str,
    client: httpx.Client | None = None,
    force: bool = False,
) -> tuple[bool, tuple[str, ...]]:
    """Remove the published event (``If-Match`` with its ETag; without one, after a GET shows
    it still holds the meeting's UID).

    Args:
        uid: the meeting's UID: an event with another one is never removed.
        force: remove it even though it was changed on the server.

    Returns:
        True when it was removed, False when it was already gone; and notes.

    Raises:
        CaldavConflictError: the copy on the server changed (without ``force``).
        DeliveryError: the server failed or refused, or the URL holds another event.
    """
    url = publication.url
    condition: dict[str, str] = {"If-Match": publication.etag} if publication.etag else {}
    if not publication.etag:
        found = _stored(server, client, url)
        if found is None:
            return False, ()
        if not found.holds(uid):
            raise DeliveryError(f"CalDAV: {url} holds another event; it was not removed")
        condition = _if_match(found.etag)
    response = _send(server, client, "DELETE", url, headers=condition)
    notes: list[str] = []
    if response.status_code == 412:
        found = _stored(server, client, url)
        if found is None:
            return False, ()
        if not found.holds(uid):
            raise DeliveryError(f"CalDAV: {url} holds another event; it was not removed")
        if not force:
            raise CaldavConflictError(
                f"CalDAV: {url} was changed on the server since somnet published it "
                "(ETag mismatch); it was not removed"
            )
        notes.append(f"CalDAV: {url} had been changed on the server; removed it all the same")
        response = _send(server, client, "DELETE", url, headers=_if_match(found.etag))
    if response.status_code in (404, 410):
        return False, tuple(notes)
    if not response.is_success:
        raise _refusal(response, "DELETE", url, server)
    return True, tuple(notes)
