"""Sending invites by e-mail: iMIP messages (RFC 6047) over SMTP, with STARTTLS or TLS from the
first byte, a login whose password comes from the environment only, and a report of each
message as it goes (who has it, who was refused), so that the caller records it before the
next: a run that fails halfway knows exactly who got the invite.

Every failure of the world (refused, unreachable, timed out, an error status) becomes a
``DeliveryError`` with one clear line.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any, Literal

import attrs

from somnet._exceptions import DeliveryError, MeetingError
from somnet._given import checked_kinds
from somnet._i18n import SOURCE_LANGUAGE, _, shown
from somnet.meetings.ical import described_text, in_languages, meeting_languages
from somnet.meetings.records import Meeting, Method, Person
from somnet.meetings.servers import (
    DEFAULT_TIMEOUT,
    NOT_UTF8_PASSWORD,
    check_password_env,
    check_smtp_address,
    check_user,
    is_loopback,
    is_utf8,
    split_url,
    valid_password_env,
    valid_timeout,
    valid_user,
)

#: The environment variable the SMTP password is read from, by default.
SMTP_PASSWORD_ENV = "SOMNET_SMTP_PASSWORD"

Security = Literal["none", "starttls", "tls"]

if TYPE_CHECKING:
    import ssl


@attrs.frozen
class SmtpServer:
    """Where and how to send iMIP messages, as :func:`smtp_server` builds it from an address
    and the environment.

    Built directly, it refuses what the factory refuses of its own fields, in the same words
    and naming the same fields: a host and port that make no address (``send``: no host, one
    that is no host name, a port not from 1 to 65535), a blank user or password variable, a
    login that would send its password in clear, a timeout that is not more than 0 and at most
    600 seconds (the factory also reads the password from the environment).

    Attributes:
        host: the server's name or address.
        port: its port.
        security: ``starttls`` (upgrade a plain connection), ``tls`` (smtps://) or ``none``.
        user: the login, or None for none.
        password: the password (never shown).
        timeout: seconds to wait for the server.
        per_attendee: one message to each attendee instead of one to all.
        password_env: the environment variable the password came from (for messages).
    """

    host: str
    port: int
    security: Security = "none"
    user: str | None = attrs.field(default=None, validator=valid_user("smtp_user"))
    password: str | None = attrs.field(default=None, repr=False)
    timeout: float = attrs.field(default=DEFAULT_TIMEOUT, validator=valid_timeout)
    per_attendee: bool = False
    password_env: str = attrs.field(
        default=SMTP_PASSWORD_ENV, validator=valid_password_env("smtp_password_env")
    )

    def __attrs_post_init__(self) -> None:
        check_smtp_address(self.host, self.port, self.security)
        if self.user and self.password:
            _refuse_login_in_clear(self.host, self.security, self.user)

    @property
    def address(self) -> str:
        """``host:port``, as the record and the messages name the server."""
        return f"{self.host}:{self.port}"


def _refuse_login_in_clear(host: str, security: Security, login: str) -> None:
    """Refuse a login to ``host`` that would send its password in clear (neither STARTTLS
    nor TLS, to another machine)."""
    if security == "none" and not is_loopback(host):
        raise MeetingError(
            _(
                "logging in to {host} without STARTTLS or smtps:// would send the password in clear"
            ).format(host=host),
            field="smtp_user",
            value=login,
        )


@checked_kinds(MeetingError)
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
    """The SMTP server at ``smtp://host:port`` (or ``smtps://``), with its login.

    Args:
        url: ``smtp://[user@]host[:port]`` (port 25 by default) or ``smtps://...`` (465); its
            errors name the field ``send``.
        starttls: upgrade the connection with STARTTLS before anything else.
        user: log in as this user (also read from the address, %-escaped there as RFC 3986
            writes it: ``smtp://duty%40example.org@host``).
        password_env: the environment variable holding the password.
        timeout: seconds to wait for the server.
        per_attendee: one message per attendee.
        environ: the environment (``os.environ`` when None).

    Returns:
        The server.

    Raises:
        MeetingError: naming the field: a bad address or a password in it (``send``),
            STARTTLS with smtps (``starttls``), an empty user, a user without a password or a
            login that would cross the network in clear (``smtp_user``), an empty variable
            name (``smtp_password_env``), a bad ``timeout``.
    """
    scheme, host, port, url_user, _path = split_url(url, "send", {"smtp": 25, "smtps": 465})
    check_user(user, "smtp_user")
    check_password_env(password_env, "smtp_password_env")
    if scheme == "smtps" and starttls:
        raise MeetingError(
            _("smtps:// is TLS from the start; use one or the other"), field="starttls"
        )
    security: Security = "tls" if scheme == "smtps" else "starttls" if starttls else "none"
    login = user or url_user
    password = None
    if login:
        password = (os.environ if environ is None else environ).get(password_env)
        if not password:
            raise MeetingError(
                _(
                    "{value}: the password is read from the environment variable "
                    "{password_env}, which is not set; set it there (never on the command "
                    "line)"
                ).format(value=shown(login, quoted=False), password_env=password_env),
                field="smtp_user",
                value=login,
            )
        if not is_utf8(password):
            raise MeetingError(_(NOT_UTF8_PASSWORD), field=password_env)
        _refuse_login_in_clear(host, security, login)
    return SmtpServer(
        host,
        port,
        security,
        login or None,
        password,
        timeout,
        per_attendee,
        password_env=password_env,
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
    ascii_only: bool = False,
) -> list[tuple[EmailMessage, list[str]]]:
    """The iMIP messages for a version of a meeting, with their envelope recipients.

    Each message is ``multipart/mixed``, as Gmail and Outlook send invites: a
    ``multipart/alternative`` with a ``text/plain`` part for people and the iCalendar object
    as ``text/calendar; method=...`` (the method in upper case, equal to the METHOD inside,
    RFC 6047 section 2.4), then the same object attached as ``invite.ics``
    (``application/ics``) for clients that only offer attachments. ``Content-Class:
    urn:content-classes:calendarmessage`` marks it as an invite for Outlook.

    Args:
        meeting: the version sent.
        ics: its iCalendar object (with METHOD).
        method: ``REQUEST`` or ``CANCEL``.
        now: the Date.
        text: the text part.
        subject: the Subject.
        per_attendee: one message per recipient instead of one to all.
        recipients: who is sent it (the meeting's attendees when None): the others named in
            the version already have it. One message to all is addressed (``To``) to every
            attendee and delivered to ``recipients`` only; per attendee, each message is to
            one of them, with the same Message-ID whatever run sends it.
        ascii_only: leave out the addresses that are not ASCII, for a server that takes
            none (no SMTPUTF8): from the recipients, and from the ``To`` header.

    Returns:
        Each message with the addresses it is delivered to.
    """
    import email.policy
    from email.utils import format_datetime

    method = method.upper()
    organizer = meeting.organizer
    domain = organizer.email.rpartition("@")[2] or "somnet.invalid"
    targets = meeting.attendees if recipients is None else tuple(recipients)
    # Someone the version does not name (taken off by an earlier one, sent the meeting's
    # CANCEL) is numbered after the attendees, in the record's order (the same whatever run
    # sends it), so that no two messages share a Message-ID.
    position: dict[str, int] = {}
    for person in (*meeting.attendees, *meeting.uninvited, *targets):
        position.setdefault(person.email.lower(), len(position))
    groups: list[tuple[int, Sequence[Person], Sequence[Person]]] = (
        [(position[p.email.lower()], [p], [p]) for p in targets]
        if per_attendee
        else [(0, meeting.attendees, targets)]
    )
    calendar = ics.decode("utf-8")
    token = f"{_local_part(meeting.uid)}_{meeting.sequence}"
    messages = []
    for index, addressed, envelope in groups:
        if ascii_only:
            addressed = [p for p in addressed if p.email.isascii()]
            envelope = [p for p in envelope if p.email.isascii()]
        if not envelope:
            continue
        # refold_source="none": the address headers below go out as written here; 7-bit
        # parts (quoted-printable or base64 for other text): 8-bit data would need a server
        # that offers 8BITMIME and BODY=8BITMIME (RFC 6152), or be garbled by one that does not.
        policy = email.policy.SMTP.clone(refold_source="none", cte_type="7bit")
        message = EmailMessage(policy=policy)
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

    Args:
        field: the header's name.
        people: the mailboxes.

    Returns:
        The header's value, folded.
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
        unsent: the addresses of the messages that never went.
        unconfirmed: the addresses of the message that went whole to the server, which then
            gave no answer (it closed the connection, or timed out): it may have delivered it
            (to those it took at RCPT; one it refused there is ``refused``).
    """

    sent: tuple[str, ...]
    refused: Mapping[str, str]
    error: DeliveryError | None
    unsent: tuple[str, ...] = ()
    unconfirmed: tuple[str, ...] = ()


class _Watched:
    """For an ``smtplib.SMTP`` connection: notes when the whole of a message has gone to the
    server (its data and the line with one dot that ends it), so that a connection lost
    before the answer is known to leave that message's fate open (RFC 5321 section 6.1);
    and gives each answer of the server its timeout as a whole."""

    whole = False
    cut = False  # an answer outlasted the timeout, and the connection was shut down
    #: The server's answer to each RCPT of the message being sent.
    answers: Mapping[str, tuple[int, Any]] = {}

    def rcpt(self, recip: str, options: Sequence[str] = ()) -> Any:
        # Kept: smtplib tells the recipients it refused only once the message is taken, and
        # one refused stays so whatever becomes of the message for the others.
        reply = super().rcpt(recip, options)  # type: ignore[misc]
        self.answers = {**self.answers, recip: reply}
        return reply

    def getreply(self) -> Any:
        """The server's answer, within the timeout as a whole: the socket's timeout bounds
        each wait for a byte, and a server that answers a line at a time (a reply of many
        lines) never trips it. Past the timeout, the connection is shut down, which ends
        the read; once the answer is read, it no longer is (the timeout passing as the answer
        arrives leaves the connection to the next command)."""
        import smtplib
        import socket
        import threading

        lock = threading.Lock()
        answered = False

        def cut() -> None:
            with lock:
                if answered:
                    return
                self.cut = True
                with contextlib.suppress(OSError, TypeError):
                    # The socket's own method, not SSLSocket's, from this other thread.
                    socket.socket.shutdown(self.sock, socket.SHUT_RDWR)  # type: ignore[attr-defined]

        timer = threading.Timer(self.timeout, cut)  # type: ignore[attr-defined]
        timer.daemon = True
        timer.start()
        try:
            reply = super().getreply()  # type: ignore[misc]
            with lock:
                answered = True
            return reply
        except smtplib.SMTPServerDisconnected as exc:
            if not self.cut:
                raise
            # Told as a server silent past the timeout is (``_smtp_failure``).
            raise smtplib.SMTPServerDisconnected("timed out") from exc
        finally:
            timer.cancel()
            timer.join()

    def send(self, s: Any) -> None:
        import smtplib

        if self.cut:
            # Shut down at the limit as the last answer came whole: the next command cannot
            # go, told as a server silent past the timeout is.
            raise smtplib.SMTPServerDisconnected("timed out")
        super().send(s)  # type: ignore[misc]
        # smtplib sends a message's data as bytes, its commands as text.
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.whole = True

    def auth(self, mechanism: str, authobject: Any, *, initial_response_ok: bool = True) -> Any:
        """One login mechanism; a 421 answer ends the login there. ``smtplib`` takes any
        answer but 235 for that mechanism refused and tries the next one: on a connection
        the server has closed (RFC 5321 section 3.8), which then tells of a lost connection
        instead of the server closing."""
        import smtplib

        try:
            return self._auth_utf8(mechanism, authobject, initial_response_ok)
        except smtplib.SMTPAuthenticationError as exc:
            if exc.smtp_code != 421:
                raise
            # Not an SMTPAuthenticationError, which ``login`` would catch to go on.
            raise smtplib.SMTPResponseException(exc.smtp_code, exc.smtp_error) from exc

    def _auth_utf8(self, mechanism: str, authobject: Any, initial_response_ok: bool) -> Any:
        """``smtplib.SMTP.auth`` (Python 3.11), its answers encoded in UTF-8, not ASCII: a
        user name or password that is not ASCII ("contraseña") failed with a traceback
        before anything was sent. RFC 4954 (section 4) and the SASL mechanisms (PLAIN, RFC
        4616) carry UTF-8; an ASCII one is sent byte for byte as before. CPython's issue
        (python/cpython#73936, "smtplib doesn't handle unicode passwords") is open; drop
        this override once the oldest Python somnet supports encodes these in UTF-8. It
        keeps ``_auth_challenge_count`` as ``smtplib.SMTP.auth`` does, since smtplib's own
        ``auth_login`` reads it to answer the user name, then the password."""
        import base64
        import smtplib
        from email.base64mime import body_encode

        connection: Any = self
        mechanism = mechanism.upper()
        initial_response = authobject() if initial_response_ok else None
        if initial_response is not None:
            response = body_encode(initial_response.encode("utf-8"), eol="")
            code, reply = connection.docmd("AUTH", f"{mechanism} {response}")
            connection._auth_challenge_count = 1
        else:
            code, reply = connection.docmd("AUTH", mechanism)
            connection._auth_challenge_count = 0
        # smtplib's LOGIN answers the user or the password by this count.
        while code == 334:
            connection._auth_challenge_count += 1
            challenge = base64.decodebytes(reply)
            code, reply = connection.docmd(
                body_encode(authobject(challenge).encode("utf-8"), eol="")
            )
            if connection._auth_challenge_count > 5:  # as smtplib: a server that keeps asking
                raise smtplib.SMTPException(
                    f"Server AUTH mechanism infinite loop. Last response: {(code, reply)!r}"
                )
        if code in (235, 503):
            return code, reply
        raise smtplib.SMTPAuthenticationError(code, reply)

    def auth_cram_md5(self, challenge: Any = None) -> Any:
        """CRAM-MD5 as ``smtplib`` makes it, keyed with the password's UTF-8 (``smtplib``
        encodes it as ASCII, and fails on any other)."""
        import hmac

        connection: Any = self
        if challenge is None:
            return None
        digest = hmac.HMAC(connection.password.encode("utf-8"), challenge, "md5").hexdigest()
        return f"{connection.user} {digest}"


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
    ssl_context: ssl.SSLContext | None = None,
    progress: Callable[[Sequence[str], Mapping[str, str]], None] | None = None,
) -> ImipResult:
    """Send a version of a meeting to its attendees (or to ``recipients`` of them).

    A recipient the server refuses does not stop the others: with one message to all, the
    server delivers it to those it accepted; per attendee, the next messages are sent (also
    when it is the data of an attendee's message that the server refuses, but 421). Those
    past the server's limit of recipients a message (452) are sent the same message in a
    further transaction. A failure of the server or the connection stops it there; a message
    that went whole and got no answer is ``unconfirmed``.

    Args:
        meeting: the version sent.
        ics: its iCalendar object (with METHOD).
        method: ``REQUEST`` or ``CANCEL``.
        server: the SMTP server.
        now: the Date.
        text: the text part (``message_text``).
        subject: the Subject (``subject``).
        recipients: who is sent it (the attendees when None).
        ssl_context: for STARTTLS or smtps (the system's defaults when None).
        progress: called after each message with the addresses it reached and those refused
            (with the server's answer), so that the caller can record them before the next.

    Returns:
        Who has it, who was refused, and what stopped it (None when every message was sent).
    """
    import smtplib
    import ssl

    def made(*, ascii_only: bool = False) -> list[tuple[EmailMessage, list[str]]]:
        return imip_messages(
            meeting,
            ics,
            method,
            now=now,
            text=text,
            subject=subject,
            per_attendee=server.per_attendee,
            recipients=recipients,
            ascii_only=ascii_only,
        )

    messages = made()

    class _Plain(_Watched, smtplib.SMTP):
        pass

    class _Tls(_Watched, smtplib.SMTP_SSL):
        pass

    context = ssl_context or ssl.create_default_context()
    sent: list[str] = []
    refused: dict[str, str] = {}
    step = "connect"
    done = 0
    connection: _Plain | _Tls | None = None
    batch: list[str] | None = None  # the recipients of the message being sent
    try:
        if server.security == "tls":
            connection = _Tls(server.host, server.port, timeout=server.timeout, context=context)
        else:
            connection = _Plain(server.host, server.port, timeout=server.timeout)
        try:
            if server.security == "starttls":
                step = "starttls"
                connection.starttls(context=context)
            if server.user:
                step = "login"
                connection.login(server.user, server.password or "")
            step = "send"
            connection.ehlo_or_helo_if_needed()
            cannot = _unsendable(messages, meeting, connection.has_extn("smtputf8"))
            if cannot:
                # Not ASCII (josé@...), and the server takes no such address (no SMTPUTF8,
                # RFC 6531): refused, as a mailbox refused at RCPT is, and left out of the
                # messages, which go to the others.
                messages = made(ascii_only=True)
                refused.update(cannot)
                if progress is not None:
                    progress([], cannot)
            for message, envelope in messages:
                batch = list(envelope)
                while batch:
                    connection.whole = False
                    connection.answers = {}
                    answer: Mapping[str, tuple[int, bytes | str]]
                    try:
                        answer = connection.send_message(
                            message, from_addr=meeting.organizer.email, to_addrs=batch
                        )
                    except smtplib.SMTPRecipientsRefused as exc:
                        closing = [r for r in exc.recipients.values() if r[0] == 421]
                        if closing:
                            # The server closed at one RCPT, before the others: the message
                            # went to none of them, those it accepted included.
                            raise smtplib.SMTPResponseException(*closing[-1]) from exc
                        answer = exc.recipients  # every one of them: this message went nowhere
                    except smtplib.SMTPDataError as exc:
                        if not server.per_attendee or exc.smtp_code == 421:
                            raise
                        # One attendee's message refused at its data, its address accepted
                        # at RCPT (a mailbox's policy or quota, checked on the content): that
                        # attendee is refused, as at RCPT, and the next messages go (smtplib
                        # has reset the transaction). Stopping there kept every attendee
                        # after it from the invite, at every run.
                        answer = {a: (exc.smtp_code, exc.smtp_error) for a in batch}
                    now_refused = {
                        str(address): _smtp_reply_of(reply) for address, reply in answer.items()
                    }
                    now_sent = [a for a in batch if a not in now_refused]
                    # Over the server's limit of recipients a message (452, RFC 5321 section
                    # 4.5.3.1.10): the others go in the same message again, as long as each
                    # time some are taken.
                    over = [a for a in batch if a in answer and answer[a][0] == 452]
                    over = over if now_sent else []
                    for address in over:
                        del now_refused[address]
                    sent += now_sent
                    refused.update(now_refused)
                    if progress is not None:
                        progress(now_sent, now_refused)
                    batch = over
                done += 1
        finally:
            # Each message sent has had its answer: a QUIT answered with an error, or not
            # at all, changes nothing of what the server took.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.quit()
            connection.close()
    except (smtplib.SMTPException, OSError) as exc:
        # Those of the message being sent when it stopped, then those of the messages after.
        current: tuple[str, ...] = tuple(batch) if batch is not None else ()
        later = messages[done + 1 :] if batch is not None else messages[done:]
        unconfirmed: tuple[str, ...] = ()
        answers = connection.answers if connection is not None else {}
        # Refused for good at RCPT before the message failed: they were never sent it,
        # whatever became of it (not one it may have reached), and are told with their answer.
        at_rcpt = {
            a: _smtp_reply_of(answers[a]) for a in current if a in answers and answers[a][0] >= 500
        }
        if at_rcpt:
            current = tuple(a for a in current if a not in at_rcpt)
            refused.update(at_rcpt)
            if progress is not None:
                progress([], at_rcpt)
        if (
            connection is not None
            and connection.whole
            and not isinstance(exc, smtplib.SMTPResponseException)
        ):
            # The message went whole and no answer came: the server may have delivered it to
            # those it took at RCPT (not to one it answered otherwise, who never had it).
            unconfirmed = tuple(a for a in current if a in answers and answers[a][0] in (250, 251))
            current = tuple(a for a in current if a not in unconfirmed)
        unsent = current + tuple(a for _, envelope in later for a in envelope)
        error = _smtp_failure(exc, server, step)
        return ImipResult(tuple(sent), refused, error, unsent, unconfirmed)
    return ImipResult(tuple(sent), refused, None)


def _unsendable(
    messages: Sequence[tuple[EmailMessage, list[str]]], meeting: Meeting, utf8: bool
) -> dict[str, str]:
    """The recipients a server without SMTPUTF8 (``utf8`` False) cannot be given: those
    whose address is not ASCII, with why; none when the organizer's is not (the server then
    refuses the sender, and the whole send fails)."""
    if utf8 or not meeting.organizer.email.isascii():
        return {}
    reply = _("the server takes no address that is not ASCII: it does not offer SMTPUTF8")
    return {a: str(reply) for _m, envelope in messages for a in envelope if not a.isascii()}


def _smtp_failure(exc: BaseException, server: SmtpServer, step: str) -> DeliveryError:
    """One line for what stopped the SMTP conversation at ``step``."""
    import smtplib
    import ssl

    where = _("SMTP server {address}").format(address=server.address)
    if isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code == 421:
        # RFC 5321 section 3.8: the server is closing the connection (shutting down, over its
        # load), whatever the command; not a refusal of STARTTLS, a login or an address. A 4xx
        # reply is transient: the remedy is the same run later, not another setting.
        return DeliveryError(
            _(
                "{where} is closing the connection: {smtp_reply} (the service is not "
                "available now, which usually passes: try again later)"
            ).format(where=where, smtp_reply=_smtp_reply(exc))
        )
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return DeliveryError(
            _(
                "{where} refused the login of {value}: {smtp_reply} (the password is "
                "read from {password_env})"
            ).format(
                where=where,
                value=shown(server.user or "", quoted=False),
                smtp_reply=_smtp_reply(exc),
                password_env=server.password_env,
            )
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        if step == "starttls":
            return DeliveryError(
                _(
                    "{where} does not offer STARTTLS: send without STARTTLS, or use smtps:// "
                    "if it speaks TLS from the first byte"
                ).format(where=where)
            )
        if step == "login":
            return DeliveryError(
                _(
                    "{where} does not offer a login (AUTH) on this connection: send without "
                    "a login, or with STARTTLS (many servers offer it only after STARTTLS)"
                ).format(where=where)
            )
        return DeliveryError(
            _("{where} does not support what was asked: {exc}").format(where=where, exc=exc)
        )
    if isinstance(exc, smtplib.SMTPSenderRefused) and exc.smtp_code == 530:
        # RFC 3207 and 4954: no message before STARTTLS, or before a login.
        return DeliveryError(
            _(
                "{where} takes no message before STARTTLS or a login: {smtp_reply} (the "
                "password of a login is read from {password_env})"
            ).format(where=where, smtp_reply=_smtp_reply(exc), password_env=server.password_env)
        )
    if isinstance(exc, smtplib.SMTPSenderRefused) and 400 <= exc.smtp_code < 500:
        # A transient answer (RFC 5321 section 4.2.1: greylisting, a local error, no room
        # now): the address is not refused, and the remedy is the same run later.
        return DeliveryError(
            _(
                "{where} answered {smtp_reply} to the organizer's address {repr} (a "
                "temporary failure, which usually passes: try again later)"
            ).format(where=where, repr=repr(exc.sender), smtp_reply=_smtp_reply(exc))
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return DeliveryError(
            _("{where} refused the organizer's address {repr} as sender: {smtp_reply}").format(
                where=where, repr=repr(exc.sender), smtp_reply=_smtp_reply(exc)
            )
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        # smtplib reports a read that timed out as a disconnection.
        if isinstance(exc.__context__, TimeoutError) or "timed out" in str(exc):
            return DeliveryError(
                _("{where} did not answer within {timeout:g} s").format(
                    where=where, timeout=server.timeout
                )
            )
        return DeliveryError(_("{where} closed the connection: {exc}").format(where=where, exc=exc))
    if (
        isinstance(exc, smtplib.SMTPResponseException)
        and step == "starttls"
        and not isinstance(exc, smtplib.SMTPHeloError)
    ):
        # Its answer to STARTTLS (RFC 3207: 454, 501): not a login or a recipient refused.
        return DeliveryError(
            _(
                "{where} refused STARTTLS, so it would not encrypt the connection: {smtp_reply}"
            ).format(where=where, smtp_reply=_smtp_reply(exc))
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return DeliveryError(
            _("{where} answered {smtp_reply}").format(where=where, smtp_reply=_smtp_reply(exc))
        )
    if isinstance(exc, smtplib.SMTPException):
        return DeliveryError(
            _("{where}: {value}").format(where=where, value=exc or type(exc).__name__)
        )
    if isinstance(exc, TimeoutError):
        return DeliveryError(
            _("{where} did not answer within {timeout:g} s").format(
                where=where, timeout=server.timeout
            )
        )
    if isinstance(exc, ConnectionRefusedError):
        return DeliveryError(_("{where} refused the connection").format(where=where))
    if isinstance(exc, ssl.SSLError) and step == "starttls":
        # Which TLS: the upgrade the server agreed to, not smtps:// from the first byte.
        return DeliveryError(
            _("{where}: TLS failed after STARTTLS: {value}").format(
                where=where, value=exc.reason or exc
            )
        )
    if isinstance(exc, ssl.SSLError):
        return DeliveryError(
            _("{where}: TLS failed: {value}").format(where=where, value=exc.reason or exc)
        )
    assert isinstance(exc, OSError)
    return DeliveryError(
        _("{where} cannot be reached: {value}").format(where=where, value=exc.strerror or exc)
    )


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


# The words of a message ---------------------------------------------------------------------


def message_text(meeting: Meeting, method: Method, *, uninvite: bool = False) -> str:
    """The text/plain part of an iMIP message: what a reader without a calendar sees.

    Args:
        meeting: the version sent.
        method: ``REQUEST`` or ``CANCEL``.
        uninvite: the CANCEL for attendees taken off a meeting that goes on.

    Returns:
        The text.
    """
    organizer = meeting.organizer.name or meeting.organizer.email
    if uninvite:
        head = _("{organizer} has removed you from this meeting.")
    elif method == "CANCEL":
        head = _("{organizer} has cancelled this meeting.")
    elif meeting.sequence:
        head = _("{organizer} has changed this meeting.")
    else:
        head = _("{organizer} invites you to this meeting.")
    where = _("Where: {location}").format(location=meeting.location)
    attendees = _("Attendees: {names}").format(names=", ".join(p.name for p in meeting.attendees))

    def text(code: str) -> str:
        lines = [head.format(organizer=organizer).localized(code), "", meeting.title]
        if meeting.location:
            lines.append(where.localized(code))
        # The organizer's own description once, in the English part.
        own = code == SOURCE_LANGUAGE
        lines += ["", described_text(meeting, uninvite, code, own=own), ""]
        lines.append(attendees.localized(code))
        return "\n".join(lines)

    return in_languages(meeting, text) + "\n"


def subject(meeting: Meeting, method: Method, *, uninvite: bool = False) -> str:
    """The Subject of an iMIP message: what it is (invitation, update, cancellation) and when,
    in the languages of the text (``in_languages``): English, then each language somnet
    speaks that an attendee reads, joined by `` / `` (a word said alike once); with several,
    the date in figures only.

    Args:
        meeting: the version sent.
        method: ``REQUEST`` or ``CANCEL``.
        uninvite: the CANCEL for attendees taken off a meeting that goes on.

    Returns:
        The subject.
    """
    if uninvite:
        what = _("Removed from")
    elif method == "CANCEL":
        what = _("Cancelled")
    elif meeting.sequence:
        what = _("Updated invitation")
    else:
        what = _("Invitation")
    codes = meeting_languages(meeting)
    words = " / ".join(dict.fromkeys(what.localized(code) for code in codes))
    when = f"{meeting.start:%a %d %b %Y %H:%M} UTC"
    if len(codes) > 1:
        when = f"{meeting.start:%Y-%m-%d %H:%M} UTC"
    # A title is one line in a header, as a name is (``address_header``).
    title = " ".join(meeting.title.split())
    return f"{words}: {title} ({when})"
