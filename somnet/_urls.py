"""The host and port of a URL, read as somnet reads them before handing the URL to a parser:
urllib's and httpx's reasons are Python's English words ("Invalid IPv6 URL", "Invalid port:
':1'" for an IPv6 address missing its ']'), and not always the right ones."""

from __future__ import annotations

import os
import re
import unicodedata

from somnet._exceptions import BadInputError
from somnet._i18n import _


def without_credentials(url: str) -> str:
    """``url`` as it may be shown: without the user name and password before its host, read
    as text, so that a URL that cannot be parsed never shows them either.

    They are taken out however they were typed: after ``scheme://`` or ``//``, or with no
    scheme at all (``user:password@host:port``, as a proxy's variable may hold it); with a
    password holding a raw ``@`` (up to the host's, the last one before the path); or one
    holding a raw ``/``, ``?`` or ``#``, which parsers read as the end of the host (``user:p/w@
    host``: the host's ``:`` followed by what is no port, and an ``@`` after it). A host and
    port followed by a path holding ``@`` (``host:8443/calendars/user@example.org/``, as
    CalDAV servers name collections) is kept as it is.
    """
    start, end, _past_host = _credentials(url)
    return url[:start] + url[end:]


def _credentials(url: str) -> tuple[int, int, bool]:
    """Where the user name and password of ``url`` begin and end (the same index when it has
    none), read as :func:`without_credentials` tells, and whether they go on past what the
    parsers read as the end of the host (a password holding a raw ``/``, ``?`` or ``#``)."""
    found = re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:/+|/+", url)
    start = found.end() if found else 0
    rest = url[start:]
    host_ends = next((i for i, c in enumerate(rest) if c in "/?#"), len(rest))
    authority = rest[:host_ends]
    at = authority.rfind("@")
    if at >= 0:
        return start, start + at + 1, False
    user, colon, after = authority.partition(":")
    if not colon or user.startswith("[") or after.isdigit():
        return start, start, False  # a host, an address, a host and its port: no password
    # "user:p/w@host": the password went on past what parsers read as the host's end.
    past = rest.find("@", host_ends)
    if past < 0:
        return start, start, False
    host = re.split(r"[/?#]", rest[past + 1 :], maxsplit=1)[0]
    return start, start + past + 1 + host.rfind("@") + 1, True


def unseen_problem(url: str) -> str | None:
    """Why ``url`` is not the URL it reads as, in the language in use, or None: it holds a
    control character (a tab, a line break, DEL, one of C1), which the parsers drop where
    they find them (urllib, as browsers do, takes a tab or a line break out of a host, so
    that another server is reached than the one the text names) or refuse in their English
    words (httpx), or a blank other than the space (a no-break space, a line separator),
    which looks like a space, or like nothing, where the URL is shown."""
    for char in url:
        if unicodedata.category(char) == "Cc" or (char.isspace() and char != " "):
            return _("it holds {char}, a control or blank character, which no URL may hold").format(
                char=repr(char)
            )
    return None


def authority_problem(url: str) -> str | None:
    """Why ``url`` cannot be read as it is written (:func:`unseen_problem`), or its host or
    its port cannot be read, in the language in use.

    Args:
        url: the URL as given.

    Returns:
        The reason, or None when they can be read, or when ``url`` has no ``scheme://`` (the
        caller's own checks refuse it).
    """
    import ipaddress

    problem = unseen_problem(url)
    if problem is not None:
        return problem
    _scheme, slashes, rest = url.partition("://")
    if slashes and _credentials(url)[2]:
        # Read as the parsers read it, the password's first part is a port, or a host.
        return _(
            "the user name or password before the host holds '/', '?' or '#', which end the "
            "host where they stand: write each percent-encoded"
        )
    if not slashes:
        return None
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0].rpartition("@")[2]
    if authority.startswith("["):
        host, closed, after = authority[1:].partition("]")
        if not closed:
            return _brackets()
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return _("{host} is not an IPv6 address").format(host=repr(host))
        if "%" in host:
            return _zone(host)
        port = after.removeprefix(":") if after.startswith(":") or not after else after
    elif "[" in authority or "]" in authority:
        return _brackets()
    else:
        port = authority.partition(":")[2]
    if port and not (port.isascii() and port.isdigit()):
        return _("port {port} is not a number").format(port=repr(port))
    return None


def port_problem(url: str) -> str | None:
    """Why the port written in ``url`` is none a connection can be made to, in the language in
    use, or None (no port, or one from 1 to 65535): not a number (as ``authority_problem``
    says), 0 (read as no port, the scheme's own), or one past 65535 (refused by the parsers in
    Python's English words, or only as the connection is made)."""
    problem = authority_problem(url)
    if problem is not None:
        return problem
    _scheme, slashes, rest = url.partition("://")
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0].rpartition("@")[2]
    written = re.fullmatch(r"(?:\[[^\]]*\]|[^:\[\]]*):(\d+)", authority)
    if slashes and written is not None and not 0 < int(written.group(1)) < 65536:
        return _("port {port} is not one from 1 to 65535").format(port=int(written.group(1)))
    return None


def _brackets() -> str:
    return _("'[' and ']' go in pairs, around an IPv6 address (as in [2001:db8::1])")


def _zone(host: str) -> str:
    """Why an IPv6 address with a zone (``fe80::1%25eth0``) is refused: the zone names an
    interface of this machine (RFC 6874), so the address reaches the server only from its own
    link, and neither TLS nor the Host header can carry it. Told with the zone as RFC 6874
    writes it after ``%25`` (``eth0``); ``%eth0`` (RFC 4007's text form) is read as well."""
    zone = host.partition("%")[2]
    zone = zone[2:] if zone.startswith("25") else zone
    return _(
        "{host} is an address with a zone ({zone}), which holds on this machine's own link "
        "only: give the server's name or another of its addresses"
    ).format(host=repr(host), zone=repr(zone))


def host_problem(host: str, written: str | None = None) -> str | None:
    """Why ``host`` is no name a server can be looked up by, in the language in use, or None:
    a part between dots empty or past 63 characters (refused by the system's resolver, in
    Python's IDNA), a name IDNA 2008 cannot write (refused by httpx), or a part written in
    punycode (``xn--``) that IDNA cannot read (refused by httpx in idna's English words, or
    looked up in vain). Each failed only as the request went out, in the codec's English words
    (and, for a site, as if its server had redirected to what is not a URL).

    Args:
        host: the host as the URL's parser reads it (an IP address, or a name).
        written: the host as it was written (the parsers give it in lower case), to name it
            by; ``host`` when None.

    Returns:
        The reason, or None.
    """
    import ipaddress

    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    name = host.removesuffix(".")  # a fully qualified name's final dot
    try:
        name.encode("idna")  # as the socket module looks it up (smtplib, httpx)
        if not name.isascii():
            import idna

            idna.encode(name)  # as httpx writes it (idna.IDNAError is a UnicodeError)
    except UnicodeError:
        return not_a_host_name(written or host)
    if any(part[:4].lower() == "xn--" and not idna_reads(part) for part in name.split(".")):
        return idna_cannot_read(written or host)
    return None


def not_a_host_name(host: str) -> str:
    """Why ``host`` (as written) is no name a server can be looked up by: a part between dots
    empty, too long, or holding what no host name may."""
    return _(
        "{host} is not a host name: a part between dots is empty, longer than 63 "
        "characters, or holds what no host name may"
    ).format(host=repr(host))


def written_host(url: str) -> str | None:
    """The host of ``url`` as it is written (parsers read it in lower case), an IPv6 address
    in its brackets, or None when it names none (a path), or one that cannot be read apart."""
    from urllib.parse import urlsplit

    try:
        authority = urlsplit(url).netloc.rpartition("@")[2]
    except ValueError:
        return None
    if authority.startswith("["):  # an IPv6 address, its port after the "]"
        host = authority.partition("]")[0] + "]"
    else:
        host = authority.partition(":")[0]
    return host or None


def idna_cannot_read(host: str | bytes) -> str:
    """Why ``host``, a punycode name that is no valid name, is refused, in somnet's words
    (idna's are English: "Codepoint U+0080 at position 1 of '\\x80' not allowed")."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    return _("{host} is not a host name: IDNA cannot read it").format(host=repr(host))


def idna_reads(host: str) -> bool:
    """Whether IDNA (as httpx reads hosts) reads ``host``: an address, or a name it can
    decode."""
    import idna

    if host.startswith("["):
        return True
    try:
        idna.decode(host)
    except (idna.IDNAError, UnicodeError, ValueError):
        return False
    return True


def check_environment_proxies(error: type[BadInputError] = BadInputError) -> None:
    """Check the proxies the environment names (``HTTP_PROXY``, ``HTTPS_PROXY``,
    ``ALL_PROXY``, in capitals or not), which the HTTP client takes up when it is made: one it
    cannot use (a SOCKS proxy without the package that speaks it, another scheme than http,
    not a URL, a host no resolver takes or IDNA cannot read) is refused before anything is
    written. Both a sync and a calendar's client take them up.

    Args:
        error: the error to raise (a meeting's is a ``MeetingError``).

    Raises:
        BadInputError: ``error``, field the variable's name; its value shown without a
            password.
    """
    import urllib.request

    import httpx

    proxies = urllib.request.getproxies()
    if "*" in (host.strip() for host in proxies.get("no", "").split(",")):
        return  # NO_PROXY=*: httpx reads no proxy at all
    for scheme, value in proxies.items():
        if scheme not in ("http", "https", "all") or not value:
            continue
        # As httpx reads it: a value without a scheme is an http proxy's host:port.
        url = value if "://" in value else f"http://{value}"
        # A port that is no number, 0, or past 65535: httpx refuses the first with no reason
        # to give, and takes the others up, to fail (in its English words) as a request goes
        # out, or to connect to the scheme's port.
        problem = port_problem(url)
        if problem is None:
            try:
                # The URL and its scheme, as httpx reads them, tell of an http(s) proxy;
                # building its transport would make an SSL context (every CA certificate
                # loaded) to drop.
                proxy = httpx.Proxy(url)
                if proxy.url.scheme not in ("http", "https"):
                    # SOCKS: whether the package that speaks it is there, httpx says only as
                    # it builds the transport.
                    httpx.HTTPTransport(proxy=proxy)
            except (ImportError, ValueError, httpx.InvalidURL):
                pass  # refused with no reason of somnet's to give
            else:
                # A host no resolver takes, or one IDNA cannot read, failed only as the
                # request went out (looked up in vain, or in idna's English words): refused
                # as a sync URL's is.
                host = written_host(url)
                problem = host_problem(host) if host and not host.startswith("[") else None
                if problem is None:
                    continue
        name = next(
            (
                n
                for n in (f"{scheme.upper()}_PROXY", f"{scheme}_proxy")
                if os.environ.get(n) == value
            ),
            f"{scheme.upper()}_PROXY",
        )
        # A password is never shown, in a value without a scheme (user:password@host:port)
        # either.
        bare = without_credentials(url)
        if url != value:
            bare = bare.removeprefix("http://")  # as it was given, without the scheme
        if problem is None:
            message = _(
                "{value}: not a proxy somnet can use; give an http proxy's URL, e.g. "
                "http://proxy.example.org:3128 (with credentials "
                "http://user:password@proxy.example.org:3128)"
            ).format(value=repr(bare))
        else:
            message = _(
                "{value}: not a proxy somnet can use ({problem}); give an http proxy's URL, "
                "e.g. http://proxy.example.org:3128 (with credentials "
                "http://user:password@proxy.example.org:3128)"
            ).format(value=repr(bare), problem=problem)
        raise error(message, field=name, value=bare)
