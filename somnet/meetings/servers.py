"""The address of a server an invite goes through (SMTP, CalDAV), given as a URL: split into
its parts and checked, with no password in it (passwords come from the environment)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NoReturn
from urllib.parse import urlsplit

from somnet._exceptions import MeetingError
from somnet._i18n import N_, Message, _, shown
from somnet.meetings.inputs import MAX_TIMEOUT

#: Seconds to wait for a server, by default.
DEFAULT_TIMEOUT = 10.0


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine (a password may go there in clear)."""
    import ipaddress

    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def split_url(
    url: str, field: str, schemes: Mapping[str, int]
) -> tuple[str, str, int, str | None, str]:
    """The scheme, host, port (the scheme's default when none), user (its %-escapes decoded)
    and path of ``url``.

    Args:
        url: the server's address.
        field: the name of the input, for the error (``send``, ``publish``).
        schemes: the schemes accepted, each with its default port.

    Returns:
        The parts.

    Raises:
        MeetingError: naming ``field``: not a valid address, another scheme, a password in it.
    """
    import re

    from somnet._urls import authority_problem, host_problem, without_credentials, written_host

    # Shown, and kept as the error's value, before a password in it is refused: never with it.
    bare = without_credentials(url)
    try:
        # Recorded with each delivery (UTF-8 JSON) and sent to the server: a byte that is not
        # UTF-8 (typed in a Latin-1 shell) can be neither.
        if not is_utf8(url):
            raise ValueError(_("it holds a byte that is not UTF-8 text"))
        # Read first: urllib's reasons are Python's English words.
        problem = authority_problem(url.strip())
        if problem is not None:
            raise ValueError(problem)
        parts = urlsplit(url.strip())
        # Port 0 would be read as no port (the scheme's), one past 65535 refused in Python's
        # English words: both are refused here, in the language in use.
        written = re.fullmatch(r"(?:\[[^\]]*\]|[^:\[\]]*):(\d+)", parts.netloc.rpartition("@")[2])
        if written is not None and not 0 < int(written.group(1)) < 65536:
            raise ValueError(
                _("port {port} is not one from 1 to 65535").format(port=int(written.group(1)))
            )
        port = parts.port
    except ValueError as exc:
        # The reasons above are messages, told in the language in use (a ValueError's text
        # is their English); Python's own are said as they come.
        said = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else exc
        raise MeetingError(
            _("{value} is not a valid address: {exc}").format(value=shown(bare), exc=said),
            field=field,
            value=bare,
        ) from None
    if parts.scheme not in schemes or not parts.hostname:
        example = f"{next(iter(schemes))}://host:port" + ("/path/" if "http" in schemes else "")
        raise MeetingError(
            _("{value} must look like {example}").format(value=shown(bare), example=example),
            field=field,
            value=bare,
        )
    # A host no resolver takes, or one IDNA cannot read, named as it was written.
    problem = host_problem(parts.hostname, written_host(url.strip()))
    if problem is not None:
        raise MeetingError(
            _("{value} is not a valid address: {exc}").format(value=shown(bare), exc=problem),
            field=field,
            value=bare,
        )
    if parts.password is not None:
        raise MeetingError(
            _(
                "do not put a password in the address (it stays in your shell history); "
                "set it in the environment variable named for the password"
            ),
            field=field,
        )
    user = parts.username
    if user:
        from urllib.parse import unquote

        # Written as RFC 3986 writes it (an e-mail login's "@" as %40): the name the server
        # knows is the decoded one. Bytes that are not UTF-8 are kept as lone surrogates, and
        # refused as a user name given alone with them is.
        user = unquote(user, errors="surrogateescape")
        if not is_utf8(user):
            raise MeetingError(
                _("{value} is not a valid address: {exc}").format(
                    value=shown(url), exc=_("its user name holds a byte that is not UTF-8 text")
                ),
                field=field,
                value=url,
            )
    return parts.scheme, parts.hostname, port or schemes[parts.scheme], user, parts.path


def check_smtp_address(host: str, port: int, security: str) -> None:
    """Refuse what :func:`split_url` refuses of the address ``host`` and ``port`` make, as an
    SMTP server built directly is given them: no host, one that is no host name (a space in
    it, a part IDNA cannot read), a port that is not one from 1 to 65535.

    Args:
        host: the server's name or address (an IPv6 address without its brackets).
        port: its port.
        security: ``tls`` for an smtps:// address, another for smtp://.

    Raises:
        MeetingError: naming the field ``send``, in the words the address would be refused
            in.
    """
    scheme = "smtps" if security == "tls" else "smtp"
    written = f"[{host}]" if ":" in host and not host.startswith("[") else host
    url = f"{scheme}://{written}:{port}"
    if isinstance(port, bool) or not isinstance(port, int):
        raise MeetingError(
            _("{value} is not a valid address: {exc}").format(
                value=shown(url), exc=_("port {port} is not a number").format(port=repr(port))
            ),
            field="send",
            value=url,
        )
    _scheme, found, found_port, user, path = split_url(url, "send", {"smtp": 25, "smtps": 465})
    # Read back as given, or a part of the host was read as something else (a user, a path,
    # a port), or dropped (a tab, which urllib takes out).
    if (found.lower(), found_port, user, path) != (host.strip("[]").lower(), port, None, ""):
        _refuse_host(url, host, "send")
    _refuse_blank_host(url, host, "send")


def check_collection(url: str, password: str | None) -> None:
    """Refuse what :func:`split_url` refuses of a calendar collection's URL, as a CalDAV
    server built directly is given it (another scheme, no host, one that is no host name, a
    port that is not one from 1 to 65535), and a password it would send in clear.

    Args:
        url: the collection's URL.
        password: the password sent to it, or None.

    Raises:
        MeetingError: naming the field ``publish``, in the words the address would be
            refused in.
    """
    from somnet._urls import written_host

    scheme, host, _port, _user, _path = split_url(url, "publish", {"https": 443, "http": 80})
    _refuse_blank_host(url, written_host(url.strip()) or host, "publish")
    if password and scheme == "http" and not is_loopback(host):
        raise MeetingError(
            _(
                "sending a password to {host} over http:// would send it in clear; use https://"
            ).format(host=host),
            field="publish",
            value=url,
        )


def _refuse_blank_host(url: str, host: str, field: str) -> None:
    """Refuse a host with a space or a character that is not printable in it: no name a
    server is looked up by holds one."""
    if any(c.isspace() or not c.isprintable() for c in host):
        _refuse_host(url, host, field)


def _refuse_host(url: str, host: str, field: str) -> NoReturn:
    from somnet._urls import not_a_host_name

    raise MeetingError(
        _("{value} is not a valid address: {exc}").format(
            value=shown(url), exc=not_a_host_name(host)
        ),
        field=field,
        value=url,
    )


def check_user(user: str | None, field: str) -> None:
    """Refuse a user name that is empty or blank (a script's unset variable): no server has a
    user without a name, and taking it as no user would log in as someone else, or not at all.

    Args:
        user: the user name given, or None when none was.
        field: the name of the input, for the error (``smtp_user``, ``caldav_user``).

    Raises:
        MeetingError: naming ``field``.
    """
    if user is not None and not user.strip():
        raise MeetingError(
            _("an empty user name; give the name to log in as"), field=field, value=user
        )
    if user is not None and not is_utf8(user):
        raise MeetingError(
            _("{value}: it holds a byte that is not UTF-8 text").format(value=shown(user)),
            field=field,
            value=user,
        )


#: A password read from the environment that no login can carry (never shown).
NOT_UTF8_PASSWORD = N_("the password holds a byte that is not UTF-8 text, which no login can carry")


def is_utf8(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8: a byte that was not (typed in a Latin-1
    shell) reaches Python as a lone surrogate, which no record or login can be written with."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_password_env(variable: str, field: str) -> None:
    """Refuse an empty or blank name of the environment variable that holds a password (a
    script's unset variable): no variable has that name, so the login would go without a
    password, or be refused, without saying why.

    Args:
        variable: the name given.
        field: the name of the input, for the error (``smtp_password_env``,
            ``caldav_password_env``).

    Raises:
        MeetingError: naming ``field``.
    """
    if not variable.strip():
        raise MeetingError(
            _("an empty variable name; give the environment variable that holds the password"),
            field=field,
            value=variable,
        )


def check_timeout(timeout: float) -> None:
    """Refuse a timeout that is not a number of seconds more than 0 and at most
    ``MAX_TIMEOUT`` (as ``parse_timeout`` reads one): a bool, a text, nan or infinity (no
    timeout at all), or out of that range.

    Args:
        timeout: seconds.

    Raises:
        MeetingError: naming the field ``timeout``.
    """
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise MeetingError(
            _("{value} is not a number of seconds").format(
                value=shown(repr(timeout), quoted=False)
            ),
            field="timeout",
            value=timeout,
        )
    if timeout <= 0:
        raise MeetingError(
            _("{timeout} must be more than 0 seconds").format(timeout=timeout),
            field="timeout",
            value=timeout,
        )
    if not timeout <= MAX_TIMEOUT:  # nan is never in range
        raise MeetingError(
            _("{value}: give more than 0 and at most {max_timeout} seconds").format(
                value=timeout, max_timeout=MAX_TIMEOUT
            ),
            field="timeout",
            value=timeout,
        )


#: An attrs validator: called with the instance, the attribute and the value.
Validator = Callable[[Any, Any, Any], None]


def valid_timeout(_instance: object, _attribute: object, timeout: float) -> None:
    """:func:`check_timeout` as an attrs validator: a server record refuses what its factory
    refuses, however it is built."""
    check_timeout(timeout)


def valid_user(field: str) -> Validator:
    """:func:`check_user` as an attrs validator, naming ``field``."""

    def check(_instance: object, _attribute: object, user: str | None) -> None:
        check_user(user, field)

    return check


def valid_password_env(field: str) -> Validator:
    """:func:`check_password_env` as an attrs validator, naming ``field``."""

    def check(_instance: object, _attribute: object, variable: str) -> None:
        check_password_env(variable, field)

    return check
