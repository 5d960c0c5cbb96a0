"""URLs as somnet reads them before a parser does: what may be shown of one (never a password,
in whatever form it was typed), and what makes one another URL than it reads as (a control
character, which the parsers drop)."""

from __future__ import annotations

from typing import Any

import pytest

from somnet import BadInputError, CaldavServer, MeetingError, caldav_server, smtp_server
from somnet._urls import check_environment_proxies, without_credentials
from somnet.sharing.fetch import signed_manifest_url

#: Each form a password can be typed in, and the URL as it may be shown.
WITH_A_PASSWORD = [
    ("https://officer:s3cret@office.example.org/somnet/", "https://office.example.org/somnet/"),
    # A password holding what ends a host ("@", "/", "?", "#"), typed raw.
    ("https://officer:s3@cret@office.example.org/somnet/", "https://office.example.org/somnet/"),
    ("https://officer:s3/cret@office.example.org/somnet/", "https://office.example.org/somnet/"),
    ("https://officer:s3?cret@office.example.org/somnet/", "https://office.example.org/somnet/"),
    ("https://officer:s3#cret@office.example.org/somnet/", "https://office.example.org/somnet/"),
    ("https://officer:s3/c@ret@office.example.org/somnet/", "https://office.example.org/somnet/"),
    (
        "HTTPS://officer:s3cret@[2001:db8::1]:8443/somnet/",
        "HTTPS://[2001:db8::1]:8443/somnet/",
    ),
    # Without a scheme, or its slashes.
    ("officer:s3cret@office.example.org/somnet/", "office.example.org/somnet/"),
    ("officer:s3/cret@office.example.org/somnet/", "office.example.org/somnet/"),
    ("officer:s3cret@proxy.example.org:3128", "proxy.example.org:3128"),
    ("//officer:s3cret@office.example.org/somnet/", "//office.example.org/somnet/"),
    ("https:/officer:s3cret@office.example.org/somnet/", "https:/office.example.org/somnet/"),
    ("https:officer:s3cret@office.example.org/somnet/", "office.example.org/somnet/"),
]


@pytest.mark.parametrize(("url", "shown"), WITH_A_PASSWORD)
def test_a_url_is_shown_without_its_password_in_whatever_form_it_was_typed(
    url: str, shown: str
) -> None:
    """Only what followed ``//`` up to the first ``/``, ``?`` or ``#`` was cleaned: a password
    holding one of them, or a URL typed without its scheme, was shown whole."""
    assert without_credentials(url) == shown


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://officer@dav.example.org/cal/", "https://dav.example.org/cal/"),
        # An "@" in the path, where CalDAV servers put the login: the host stays.
        (
            "https://dav.example.org/calendars/officer@example.org/",
            "https://dav.example.org/calendars/officer@example.org/",
        ),
        (
            "https://dav.example.org:8443/calendars/officer@example.org/",
            "https://dav.example.org:8443/calendars/officer@example.org/",
        ),
        (
            "https://[2001:db8::1]:8443/calendars/officer@example.org/",
            "https://[2001:db8::1]:8443/calendars/officer@example.org/",
        ),
        (
            "https://officer@dav.example.org/calendars/officer@example.org/",
            "https://dav.example.org/calendars/officer@example.org/",
        ),
        ("proxy.example.org:3128", "proxy.example.org:3128"),
        ("not a url", "not a url"),
    ],
)
def test_a_url_without_a_password_is_shown_with_its_host_and_path(url: str, shown: str) -> None:
    assert without_credentials(url) == shown


def _refusal(make: Any) -> BadInputError:
    with pytest.raises(BadInputError) as raised:
        make()
    return raised.value


@pytest.mark.parametrize(("url", "shown"), WITH_A_PASSWORD)
def test_a_sync_url_refused_never_shows_its_password(url: str, shown: str) -> None:
    refusal = _refusal(lambda: signed_manifest_url(url))
    assert refusal.field == "url"
    assert "s3" not in str(refusal) and "s3" not in str(refusal.value)


@pytest.mark.parametrize(("url", "shown"), WITH_A_PASSWORD)
@pytest.mark.parametrize(
    "make",
    [
        lambda url: caldav_server(url, environ={}),
        lambda url: caldav_server(None, environ={}).at(url),
        lambda url: CaldavServer(url),
        lambda url: smtp_server(url.replace("https", "smtps"), environ={}),
    ],
    ids=["caldav", "caldav-at", "caldav-built-directly", "smtp"],
)
def test_a_server_address_refused_never_shows_its_password(make: Any, url: str, shown: str) -> None:
    with pytest.raises(MeetingError) as raised:
        make(url)
    assert raised.value.field in ("publish", "send")
    assert "s3" not in str(raised.value) and "s3" not in str(raised.value.value)


@pytest.mark.parametrize(
    "value",
    [
        "http://officer:s3/cret@proxy.example.org:3128",
        "http://officer:s3#cret@proxy.example.org:3128",
        "officer:s3/cret@proxy.example.org:3128",
        "ftp://officer:s3?cret@proxy.example.org:21",
    ],
)
def test_a_proxy_refused_never_shows_its_password(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", value)
    refusal = _refusal(check_environment_proxies)
    assert refusal.field == "HTTPS_PROXY"
    assert "s3" not in str(refusal) and "s3" not in str(refusal.value)


_PAST_THE_HOST = (
    "the user name or password before the host holds '/', '?' or '#', which end the host "
    "where they stand: write each percent-encoded"
)


def test_a_password_read_as_a_port_is_refused_saying_how_to_write_it() -> None:
    """``user:p/w@host``: the parsers read ``user`` as the host and ``p`` as its port, and
    the refusal was "port 'p' is not a number", the password's first part in it."""
    url = "https://officer:s3/cret@office.example.org/somnet/"
    refusal = _refusal(lambda: signed_manifest_url(url))
    assert refusal.reason == f"'https://office.example.org/somnet/': not a URL ({_PAST_THE_HOST})"
    with pytest.raises(MeetingError) as raised:
        caldav_server(url, environ={})
    assert raised.value.reason == (
        f"'https://office.example.org/somnet/' is not a valid address: {_PAST_THE_HOST}"
    )


def test_a_proxy_whose_password_is_read_as_a_port_is_refused_saying_how_to_write_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://officer:s3#cret@proxy.example.org:3128")
    refusal = _refusal(check_environment_proxies)
    assert refusal.reason == (
        f"'http://proxy.example.org:3128': not a proxy somnet can use ({_PAST_THE_HOST}); give "
        "an http proxy's URL, e.g. http://proxy.example.org:3128 (with credentials "
        "http://user:password@proxy.example.org:3128)"
    )
    assert refusal.value == "http://proxy.example.org:3128"
