"""The addresses of SMTP and CalDAV servers: passwords from the environment only, never in
clear over the network, never in the address; errors name their field."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from somnet import CaldavServer, MeetingError, SmtpServer, caldav_server, smtp_server


def test_passwords_come_from_the_environment_and_never_cross_the_network_in_clear() -> None:
    env = {"SOMNET_SMTP_PASSWORD": "s3cret", "SOMNET_CALDAV_PASSWORD": "s3cret"}
    server = smtp_server("smtps://officer@mail.example.org", environ=env)
    assert (server.security, server.port, server.user, server.password) == (
        "tls",
        465,
        "officer",
        "s3cret",
    )
    assert smtp_server("smtp://mail.example.org:587", starttls=True, environ={}).security == (
        "starttls"
    )
    with pytest.raises(MeetingError, match="in clear"):
        smtp_server("smtp://mail.example.org:25", user="officer", environ=env)
    with pytest.raises(MeetingError, match="do not put a password"):
        smtp_server("smtp://officer:s3cret@mail.example.org", environ=env)
    with pytest.raises(MeetingError, match="in clear"):
        caldav_server("http://dav.example.org/cal/", user="officer", environ=env)
    dav = caldav_server("https://officer@dav.example.org/cal", environ=env)
    assert (dav.collection, dav.user, dav.password) == (
        "https://dav.example.org/cal/",
        "officer",
        "s3cret",
    )
    assert "s3cret" not in repr(dav)
    local = caldav_server("http://127.0.0.1:5232/u/cal/", environ={"SOMNET_CALDAV_USER": "u"})
    assert (local.user, local.password) == ("u", None)


ENV = {"SOMNET_SMTP_PASSWORD": "s3cret", "SOMNET_CALDAV_PASSWORD": "s3cret"}


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: smtp_server("ftp://mail.example.org", environ=ENV), "send"),
        (lambda: smtp_server("smtp://u:p@mail.example.org", environ=ENV), "send"),
        (lambda: smtp_server("smtps://mail.example.org", starttls=True, environ=ENV), "starttls"),
        (lambda: smtp_server("smtp://mail.example.org", user="me", environ={}), "smtp_user"),
        (lambda: smtp_server("smtp://mail.example.org", user="me", environ=ENV), "smtp_user"),
        (lambda: smtp_server("smtp://127.0.0.1", timeout=0, environ=ENV), "timeout"),
        (lambda: smtp_server("smtp://127.0.0.1", user="", environ=ENV), "smtp_user"),
        (lambda: smtp_server("smtps://u@127.0.0.1", user=" ", environ=ENV), "smtp_user"),
        (
            lambda: caldav_server("https://dav.example.org/cal/", user="", environ=ENV),
            "caldav_user",
        ),
        (lambda: caldav_server("ftp://dav.example.org/cal/", environ=ENV), "publish"),
        (lambda: caldav_server("http://dav.example.org/cal/", environ=ENV), "publish"),
        (lambda: caldav_server(None, environ=ENV).at("http://dav.example.org/cal/"), "publish"),
        (lambda: caldav_server(None, timeout=-1, environ=ENV), "timeout"),
        # A script's unset variable: no variable has an empty name (the login went without
        # a password, or was refused naming a variable "").
        (
            lambda: smtp_server("smtp://127.0.0.1", user="me", password_env="", environ=ENV),
            "smtp_password_env",
        ),
        (
            lambda: caldav_server("https://dav.example.org/cal/", password_env=" ", environ=ENV),
            "caldav_password_env",
        ),
    ],
)
def test_a_bad_server_names_its_field_never_a_flag(make: Any, field: str) -> None:
    with pytest.raises(MeetingError) as raised:
        make()
    assert raised.value.field == field
    assert "--" not in str(raised.value)


@pytest.mark.parametrize(
    ("make", "field", "host"),
    [
        (lambda: smtp_server("smtps://xn--a.example", environ=ENV), "send", "xn--a.example"),
        (
            lambda: caldav_server("https://XN--A.example/cal/", environ=ENV),
            "publish",
            "XN--A.example",
        ),
        (
            lambda: caldav_server(None, environ=ENV).at("https://dav.xn--a.example/cal/"),
            "publish",
            "dav.xn--a.example",
        ),
    ],
)
def test_a_server_whose_host_idna_cannot_read_is_refused_naming_its_field(
    make: Any, field: str, host: str
) -> None:
    """A host in punycode that is no valid name: the invite was sent, or published, and
    failed there, in idna's English words (CalDAV), or the name looked up in vain (SMTP). It
    is refused as the address is read, in somnet's words, naming the host as written."""
    with pytest.raises(MeetingError) as raised:
        make()
    assert raised.value.field == field
    assert raised.value.reason.endswith(f"{host!r} is not a host name: IDNA cannot read it")


@pytest.mark.parametrize("url", ["https://dav.example.org/cal/", None])
def test_a_calendar_through_a_proxy_its_client_cannot_use_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, url: str | None
) -> None:
    """The CalDAV client takes up the proxy of the environment: one it cannot use was found
    only as the request went out, after the meeting was recorded."""
    monkeypatch.setenv("HTTPS_PROXY", "http://officer:s3cret@xn--a.example:3128")
    with pytest.raises(MeetingError) as raised:
        caldav_server(url, environ=ENV)
    assert raised.value.field == "HTTPS_PROXY"
    assert raised.value.value == "http://xn--a.example:3128"
    assert "'xn--a.example' is not a host name: IDNA cannot read it" in raised.value.reason
    assert "s3cret" not in raised.value.reason


def test_a_calendar_left_out_is_found_later_with_the_same_login() -> None:
    unknown = caldav_server(None, user="officer", environ={"SOMNET_CALDAV_PASSWORD": "pw"})
    assert unknown.collection is None
    with pytest.raises(MeetingError) as raised:
        unknown.calendar  # noqa: B018
    assert raised.value.field == "publish"
    found = unknown.at("https://dav.example.org/officer/cal")
    assert (found.collection, found.user, found.password) == (
        "https://dav.example.org/officer/cal/",
        "officer",
        "pw",
    )


@pytest.mark.parametrize("timeout", [True, float("nan"), float("inf"), 601, "5", -1])
def test_a_timeout_the_command_line_refuses_is_refused_by_the_library_naming_it(
    timeout: Any,
) -> None:
    # --timeout takes more than 0 and at most 600 seconds; caldav_server and smtp_server took
    # True (one second), nan and inf (no timeout at all), 601, and stopped on "5" with a
    # TypeError.
    for make in (
        lambda: caldav_server("http://127.0.0.1:1/cal/", timeout=timeout, environ={}),
        lambda: smtp_server("smtp://127.0.0.1:1", timeout=timeout, environ={}),
    ):
        with pytest.raises(MeetingError) as raised:
            make()
        assert raised.value.field == "timeout" and raised.value.value is timeout
        assert "--" not in raised.value.reason


# The records, built directly ------------------------------------------------------------------


@pytest.mark.parametrize("timeout", [True, float("nan"), float("inf"), 601, "5", -1, 0])
def test_a_server_built_directly_refuses_the_timeout_its_factory_refuses(timeout: Any) -> None:
    # CaldavServer and SmtpServer are exported: built directly, they took any timeout, and a
    # CalDAV request with a timeout of -1 or "5" failed deep inside httpx.
    for make in (
        lambda: CaldavServer("http://127.0.0.1:1/cal/", timeout=timeout),
        lambda: SmtpServer("127.0.0.1", 1, timeout=timeout),
        lambda: attrs.evolve(SmtpServer("127.0.0.1", 1), timeout=timeout),
    ):
        with pytest.raises(MeetingError) as raised:
            make()
        assert raised.value.field == "timeout" and raised.value.value is timeout


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: CaldavServer("https://dav.example.org/cal/", user=""), "caldav_user"),
        (lambda: CaldavServer(None, user="  "), "caldav_user"),
        (lambda: SmtpServer("127.0.0.1", 25, user=" "), "smtp_user"),
        (
            lambda: CaldavServer("https://dav.example.org/cal/", password_env=""),
            "caldav_password_env",
        ),
        (lambda: SmtpServer("127.0.0.1", 25, password_env=" "), "smtp_password_env"),
    ],
)
def test_a_server_built_directly_refuses_the_login_its_factory_refuses(
    make: Any, field: str
) -> None:
    with pytest.raises(MeetingError) as raised:
        make()
    assert raised.value.field == field
    assert "--" not in str(raised.value)


def test_an_address_with_an_empty_user_name_is_no_login() -> None:
    """``smtp://@host`` names no user: as before, no login (the record now refuses a user ""
    that its factory passed on)."""
    assert smtp_server("smtp://@127.0.0.1", environ={}).user is None
    assert caldav_server(None, environ={}).at("http://@127.0.0.1/cal/").user is None


def test_a_user_name_in_the_address_is_read_as_rfc_3986_writes_it() -> None:
    """A login that is an e-mail address is written ``u%40example.org@host`` in a URL (RFC
    3986 escapes the ``@``): it was sent to the server as those letters, ``%40`` and all."""
    server = smtp_server("smtps://duty%40example.org@127.0.0.1", environ=ENV)
    assert server.user == "duty@example.org"
    dav = caldav_server("https://duty%40example.org@dav.example.org/cal", environ=ENV)
    assert (dav.collection, dav.user) == ("https://dav.example.org/cal/", "duty@example.org")
    assert caldav_server("https://r%C3%A9gion@dav.example.org/cal/", environ=ENV).user == "région"


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: smtp_server("smtps://r%E9gion@127.0.0.1", environ=ENV), "send"),
        (lambda: caldav_server("https://r%E9gion@dav.example.org/cal/", environ=ENV), "publish"),
        (
            lambda: caldav_server(None, environ=ENV).at("https://r%FF@dav.example.org/cal/"),
            "publish",
        ),
    ],
    ids=["smtp", "caldav", "caldav-at"],
)
def test_a_user_name_in_the_address_that_is_not_utf8_is_refused_naming_the_address(
    make: Any, field: str
) -> None:
    with pytest.raises(MeetingError) as raised:
        make()
    assert raised.value.field == field
    assert raised.value.reason.endswith(
        "is not a valid address: its user name holds a byte that is not UTF-8 text"
    )


@pytest.mark.parametrize(
    ("make", "field", "reason"),
    [
        (lambda: SmtpServer("", 25), "send", "'smtp://:25' must look like smtp://host:port"),
        (
            lambda: SmtpServer("mail example", 25),
            "send",
            "'smtp://mail example:25' is not a valid address: 'mail example' is not a host "
            "name: a part between dots is empty, longer than 63 characters, or holds what no "
            "host name may",
        ),
        (
            lambda: SmtpServer("xn--a.example", 465, "tls"),
            "send",
            "'smtps://xn--a.example:465' is not a valid address: 'xn--a.example' is not a host "
            "name: IDNA cannot read it",
        ),
        (
            lambda: SmtpServer("mail.example.org", 70000),
            "send",
            "'smtp://mail.example.org:70000' is not a valid address: port 70000 is not one "
            "from 1 to 65535",
        ),
        (
            lambda: SmtpServer("mail.example.org", 0),
            "send",
            "'smtp://mail.example.org:0' is not a valid address: port 0 is not one from 1 to 65535",
        ),
        (
            lambda: SmtpServer("mail.example.org", "25"),  # type: ignore[arg-type]
            "send",
            "'smtp://mail.example.org:25' is not a valid address: port '25' is not a number",
        ),
        (
            lambda: attrs.evolve(SmtpServer("127.0.0.1", 25), host="mail/example"),
            "send",
            "'smtp://mail/example:25' is not a valid address: 'mail/example' is not a host "
            "name: a part between dots is empty, longer than 63 characters, or holds what no "
            "host name may",
        ),
        (
            lambda: SmtpServer("mail.example.org", 25, user="officer", password="s3cret"),
            "smtp_user",
            "logging in to mail.example.org without STARTTLS or smtps:// would send the "
            "password in clear",
        ),
        (
            lambda: CaldavServer("ftp://dav.example.org/cal/"),
            "publish",
            "'ftp://dav.example.org/cal/' must look like https://host:port/path/",
        ),
        (
            lambda: CaldavServer("https:///cal/"),
            "publish",
            "'https:///cal/' must look like https://host:port/path/",
        ),
        (
            lambda: CaldavServer("https://dav example/cal/"),
            "publish",
            "'https://dav example/cal/' is not a valid address: 'dav example' is not a host "
            "name: a part between dots is empty, longer than 63 characters, or holds what no "
            "host name may",
        ),
        (
            lambda: CaldavServer("https://dav.xn--a.example/cal/"),
            "publish",
            "'https://dav.xn--a.example/cal/' is not a valid address: 'dav.xn--a.example' is "
            "not a host name: IDNA cannot read it",
        ),
        (
            lambda: CaldavServer("https://dav.example.org:65536/cal/"),
            "publish",
            "'https://dav.example.org:65536/cal/' is not a valid address: port 65536 is not "
            "one from 1 to 65535",
        ),
        (
            lambda: CaldavServer("http://dav.example.org/cal/", "officer", "s3cret"),
            "publish",
            "sending a password to dav.example.org over http:// would send it in clear; use "
            "https://",
        ),
    ],
)
def test_a_server_built_directly_refuses_the_address_its_factory_refuses(
    make: Any, field: str, reason: str
) -> None:
    """CaldavServer and SmtpServer are exported: built directly, they took any host, port or
    collection, and a meeting was recorded before its delivery failed (a traceback in the
    codec's or httpx's words, or the server said unreachable). They refuse what their
    factories refuse, in the same words, naming the same field."""
    with pytest.raises(MeetingError) as raised:
        make()
    assert (raised.value.field, raised.value.reason) == (field, reason)
    assert "s3cret" not in str(raised.value)


def test_a_server_built_directly_takes_what_its_factory_builds() -> None:
    assert SmtpServer("::1", 25).address == "::1:25"
    assert SmtpServer("Mail.Example.org", 587, "starttls", "officer", "s3cret").host == (
        "Mail.Example.org"
    )
    assert CaldavServer("http://127.0.0.1:5232/u/cal/", "u", "s3cret").user == "u"
    assert CaldavServer(None).collection is None
    env = {"SOMNET_CALDAV_PASSWORD": "s3cret"}
    assert caldav_server("https://officer@[2001:db8::1]:8443/cal", environ=env).collection == (
        "https://[2001:db8::1]:8443/cal/"
    )


@pytest.mark.parametrize(
    ("make", "field", "host"),
    [
        (
            lambda: smtp_server("smtp://mail example.org:25", environ=ENV),
            "send",
            "mail example.org",
        ),
        (lambda: caldav_server("https://dav example/cal/", environ={}), "publish", "dav example"),
        (
            lambda: caldav_server(None, environ={}).at("https://dav example/cal/"),
            "publish",
            "dav example",
        ),
    ],
)
def test_an_address_whose_host_holds_a_space_is_refused_naming_its_field(
    make: Any, field: str, host: str
) -> None:
    """No host name holds a space: the factories took one (the meeting was recorded, then
    the name was looked up in vain); the records they build refuse it."""
    with pytest.raises(MeetingError) as raised:
        make()
    assert raised.value.field == field
    assert raised.value.reason.endswith(
        f"{host!r} is not a host name: a part between dots is empty, longer than 63 "
        "characters, or holds what no host name may"
    )


@pytest.mark.parametrize(
    ("url", "user", "collection", "login"),
    [
        ("https://alice@cal.example/c/", None, "https://cal.example/c/", "alice"),
        ("https://alice@cal.example/c", None, "https://cal.example/c/", "alice"),
        (
            "https://duty%40example.org@cal.example/c/",
            None,
            "https://cal.example/c/",
            "duty@example.org",
        ),
        (" https://alice@cal.example/c/ ", "alice", "https://cal.example/c/", "alice"),
    ],
)
def test_a_calendar_built_directly_takes_the_user_out_of_its_collection_as_its_factory_does(
    url: str, user: str | None, collection: str, login: str
) -> None:
    """Built directly, a CaldavServer kept ``alice@`` in the collection it publishes to,
    records and shows, where ``caldav_server`` takes it out and logs in as alice."""
    server = CaldavServer(url, user, "s3cret")
    assert (server.collection, server.user) == (collection, login)
    env = {"SOMNET_CALDAV_PASSWORD": "s3cret"}
    assert server == caldav_server(url, user=user, environ=env)
    assert attrs.evolve(server, collection=url) == server
    assert "@cal" not in repr(server) and "s3cret" not in repr(server)


def test_a_calendar_whose_address_names_another_user_than_the_one_given_is_refused() -> None:
    """``https://alice@cal.example/c/`` with the user bob: which login is meant cannot be told
    (the address's was quietly dropped for the one given). Refused naming the user field, by
    the factory, the class built directly and ``at``; the same user twice is taken."""
    url = "https://alice@cal.example/c/"
    env = {"SOMNET_CALDAV_PASSWORD": "s3cret"}
    for build in (
        lambda: caldav_server(url, user="bob", environ=env),
        lambda: CaldavServer(url, "bob", "s3cret"),
        lambda: CaldavServer(None, "bob", "s3cret").at(url),
    ):
        with pytest.raises(MeetingError) as raised:
            build()
        assert raised.value.field == "caldav_user"
        assert raised.value.reason == (
            "the calendar's address names the user alice, and the user bob is given too: "
            "give one of them"
        )
        assert "s3cret" not in str(raised.value)
    assert caldav_server(url, user="alice", environ=env).user == "alice"
    assert CaldavServer(None, "alice").at(url).user == "alice"


@pytest.mark.parametrize(
    "url",
    [
        "https://alice:s3cret@cal.example/c/",
        "https://alice:s3/cret@cal.example/c/",
        "https://alice:s3@cret@cal.example/c/",
    ],
)
def test_a_calendar_built_directly_with_a_password_in_its_collection_never_shows_it(
    url: str,
) -> None:
    with pytest.raises(MeetingError) as raised:
        CaldavServer(url, "alice")
    assert raised.value.field == "publish"
    assert "s3" not in str(raised.value) and "s3" not in repr(raised.value.value)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (
            lambda: caldav_server("https://cal.example/c/", user="duty:desk", environ={}),
            "caldav_user",
        ),
        (lambda: CaldavServer("https://cal.example/c/", "duty:desk"), "caldav_user"),
        (lambda: caldav_server("https://duty%3Adesk@cal.example/c/", environ={}), "publish"),
        (lambda: CaldavServer(None).at("https://duty%3Adesk@cal.example/c/"), "publish"),
        (
            lambda: caldav_server(
                "https://cal.example/c/", environ={"SOMNET_CALDAV_USER": "duty:desk"}
            ),
            "SOMNET_CALDAV_USER",
        ),
    ],
    ids=["factory", "class", "address", "at", "variable"],
)
def test_a_calendar_user_name_with_a_colon_is_refused_naming_where_it_came_from(
    make: Any, field: str
) -> None:
    """HTTP Basic sends ``user:password`` (RFC 7617 section 2): a user name holding a colon is
    split by the server, which reads what follows it as the password, and the login fails
    without saying why (or logs in as another user). Refused before anything is sent."""
    with pytest.raises(MeetingError) as raised:
        make()
    assert raised.value.field == field
    assert raised.value.reason == (
        "'duty:desk': a user name for an HTTP login cannot hold a colon (RFC 7617): the "
        "server would read what follows it as the password"
    )


def test_a_mail_user_name_with_a_colon_is_taken() -> None:
    """SMTP logs in with AUTH PLAIN or LOGIN, which carry a colon in a user name."""
    server = smtp_server(
        "smtps://127.0.0.1", user="duty:desk", environ={"SOMNET_SMTP_PASSWORD": "pw"}
    )
    assert server.user == "duty:desk"
