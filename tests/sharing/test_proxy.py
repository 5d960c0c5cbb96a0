"""Syncing through a forward proxy (``HTTP_PROXY``, ``HTTPS_PROXY``, ``NO_PROXY``), as agencies
on ships and in ministries reach the internet: the proxy on 127.0.0.1 of tests/sharing/proxy.py
relays plain http and tunnels https, or misbehaves; the site's certificate is still checked
against its own name, the deadline still holds, and a failure keeps the installed copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from somnet import NetworkError, publish_directory, sync_folder
from tests.cli import Result, run
from tests.sharing.helpers import (
    NOW,
    SIGNED,
    Certificate,
    HangingResolver,
    KeyPair,
    Sleeps,
    assert_unchanged,
    do_sync,
    make_certificate,
    publish_v2,
    publish_versions,
    site_manifest,
    snapshot,
)
from tests.sharing.proxy import Proxy
from tests.sharing.server import SiteServer, serving


def _site_host(server: SiteServer) -> str:
    return f"127.0.0.1:{server.port}"


def test_a_sync_over_http_through_http_proxy_installs_and_the_proxy_relays_it(
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    proxy: Proxy,
) -> None:
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version) == ("installed", 1)
    bundle = "/" + site_manifest(site).bundle.name
    assert proxy.methods() == [
        f"GET http://{_site_host(server)}{SIGNED}",
        f"GET http://{_site_host(server)}{bundle}",
    ]
    assert server.paths() == [SIGNED, bundle]


def test_a_sync_over_https_through_https_proxy_tunnels_with_connect(
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    https_server: SiteServer,
    certificate: Certificate,
    folder: Path,
    proxy: Proxy,
) -> None:
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    result = do_sync(https_server, keys, folder)
    assert (result.outcome, result.version) == ("installed", 1)
    assert proxy.methods() and set(proxy.methods()) == {f"CONNECT {_site_host(https_server)}"}
    assert https_server.paths() == [SIGNED, "/" + site_manifest(site).bundle.name]


def test_a_certificate_that_does_not_verify_is_refused_through_the_proxy_too(
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    https_server: SiteServer,
    folder: Path,
    proxy: Proxy,
) -> None:
    """The tunnel changes nothing of TLS: the site's certificate (here one no authority the
    machine trusts signed) is checked against the site's own name, and refused, not tried
    again."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    sleeps = Sleeps()
    with pytest.raises(NetworkError, match="the server's certificate cannot be verified"):
        do_sync(https_server, keys, folder, sleep=sleeps)
    assert proxy.methods() == [f"CONNECT {_site_host(https_server)}"]
    assert https_server.connections == 1 and https_server.paths() == [] and sleeps == []
    assert not folder.exists() or not (folder / "state.json").exists()


def test_a_tunnel_to_a_server_certified_for_another_name_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    data: Path,
    keys: KeyPair,
    site: Path,
    https_server: SiteServer,
    certificate: Certificate,
    folder: Path,
    proxy: Proxy,
) -> None:
    """A proxy that sends the tunnel to another server (one intercepting https), whose
    certificate the machine trusts but for another name: refused, as TLS is checked against
    the site's own name (127.0.0.1), end to end through the tunnel."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    other = make_certificate(tmp_path / "other.pem", tmp_path / "other.key", ["other.example"])
    trusted = tmp_path / "trusted.pem"
    trusted.write_bytes(certificate.cert.read_bytes() + other.cert.read_bytes())
    monkeypatch.setenv("SSL_CERT_FILE", str(trusted))
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    with serving(site, tls=other.server_context()) as interceptor:
        proxy.divert = ("127.0.0.1", interceptor.port)
        with pytest.raises(NetworkError, match="the server's certificate cannot be verified"):
            do_sync(https_server, keys, folder)
        assert interceptor.connections == 1 and interceptor.paths() == []
    assert proxy.methods() == [f"CONNECT {_site_host(https_server)}"]
    assert https_server.connections == 0
    # The same proxy, tunnelling where asked, reaches the site itself.
    proxy.divert = None
    assert do_sync(https_server, keys, folder).outcome == "installed"


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "localhost,127.0.0.1", "*"])
def test_no_proxy_naming_the_host_bypasses_the_proxy(
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    proxy: Proxy,
    no_proxy: str,
) -> None:
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    assert do_sync(server, keys, folder).outcome == "installed"
    assert proxy.relayed == []
    assert len(server.paths()) == 2


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_proxy_that_never_answers_is_stopped_by_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    https_server: SiteServer,
    certificate: Certificate,
    folder: Path,
    proxy: Proxy,
    scheme: str,
) -> None:
    """A proxy that takes the request and never answers: the sync ends by its deadline, not
    tried again, and the installed copy stays."""
    publish_v2(data, keys, site)
    target = server if scheme == "http" else https_server
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    monkeypatch.setenv("HTTP_PROXY" if scheme == "http" else "HTTPS_PROXY", proxy.url)
    proxy.mode = "silent"
    with pytest.raises(NetworkError, match=r"took longer than the deadline of 1 s") as caught:
        do_sync(target, keys, folder, timeout=5.0, deadline=1.0)
    assert (caught.value.field, caught.value.value) == ("deadline", 1.0)
    assert len(proxy.relayed) == 1
    assert f"the proxy 127.0.0.1:{proxy.port}" in str(caught.value)
    assert target.paths() == []
    assert_unchanged(folder, installed_v1)


def _installed_then_v2(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, site: Path, server: SiteServer
) -> dict[str, bytes]:
    """Version 1 synced through the command line without a proxy, version 2 published: what
    a failed sync must leave as it is."""
    publish_versions(data, keys, site, range(1, 2))
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    publish_versions(data, keys, site, range(2, 3))
    return snapshot(sync_folder())


def _sync_through(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    proxy: Proxy,
    server: SiteServer,
    keys: KeyPair,
    *options: str,
) -> Result:
    variable = "HTTPS_PROXY" if server.url.startswith("https:") else "HTTP_PROXY"
    monkeypatch.setenv(variable, proxy.url)
    return run(capsys, "directory", "sync", server.url, "--trust", str(keys.public), *options)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_proxy_that_asks_for_credentials_says_so_once_exit_1(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    https_server: SiteServer,
    certificate: Certificate,
    proxy: Proxy,
    scheme: str,
) -> None:
    """A proxy that wants a user name and password (407) answers the same at every attempt:
    the sync says the proxy asks for credentials and how to give them, not tried again (an
    https tunnel refused was an unexplained "ProxyError", tried three times)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    target = server if scheme == "http" else https_server
    before = _installed_then_v2(capsys, data, keys, site, target)
    proxy.mode, proxy.status = "status", 407
    result = _sync_through(capsys, monkeypatch, proxy, target, keys, "--deadline", "5")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f"the proxy 127.0.0.1:{proxy.port} asks for credentials" in result.stderr
    assert "http://user:password@" in result.stderr
    assert "ProxyError" not in result.stderr and "attempts" not in result.stderr
    assert result.stderr.endswith("; the installed directory is unchanged (version 1)\n")
    assert len(proxy.relayed) == 1
    assert snapshot(sync_folder()) == before


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_proxy_that_cannot_reach_the_site_is_named_exit_1(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    https_server: SiteServer,
    certificate: Certificate,
    proxy: Proxy,
    scheme: str,
) -> None:
    """A 502 from the proxy (the site out of its reach) names the proxy, in one line, and is
    tried again like any 5xx."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    target = server if scheme == "http" else https_server
    before = _installed_then_v2(capsys, data, keys, site, target)
    proxy.mode, proxy.status = "status", 502
    result = _sync_through(
        capsys, monkeypatch, proxy, target, keys, "--attempts", "2", "--deadline", "5"
    )
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f"the proxy 127.0.0.1:{proxy.port}" in result.stderr
    assert "502 Bad Gateway (after 2 attempts)" in result.stderr
    assert "ProxyError" not in result.stderr
    assert result.stderr.endswith("; the installed directory is unchanged (version 1)\n")
    assert len(proxy.relayed) == 2
    assert snapshot(sync_folder()) == before


def test_a_silent_proxy_ends_the_sync_by_its_deadline_exit_1(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    proxy: Proxy,
) -> None:
    before = _installed_then_v2(capsys, data, keys, site, server)
    proxy.mode = "silent"
    result = _sync_through(
        capsys, monkeypatch, proxy, server, keys, "--timeout", "5", "--deadline", "0.5"
    )
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("somnet: --deadline: ") and "deadline of 0.5 s" in result.stderr
    assert f"the proxy 127.0.0.1:{proxy.port}, or the server behind it," in result.stderr
    assert len(proxy.relayed) == 1
    assert snapshot(sync_folder()) == before


def test_a_proxy_that_is_not_there_is_named(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    """Nothing listens where ``HTTP_PROXY`` points: the error names the proxy, not the site."""
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    publish_v2(data, keys, site)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    with pytest.raises(NetworkError, match=f"cannot connect to the proxy 127.0.0.1:{port} "):
        do_sync(server, keys, folder, attempts=1)
    assert server.paths() == []
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_credentials_in_the_proxy_s_url_are_given_to_it_and_never_shown(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    https_server: SiteServer,
    certificate: Certificate,
    proxy: Proxy,
    scheme: str,
) -> None:
    """The way to answer a 407: a user name and password in the proxy's URL reach the proxy
    (``Proxy-Authorization``), never the site, and no message or file shows them."""
    import base64

    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    target = server if scheme == "http" else https_server
    publish_versions(data, keys, site, range(1, 2))
    variable = "HTTPS_PROXY" if scheme == "https" else "HTTP_PROXY"
    monkeypatch.setenv(variable, proxy.url.replace("://", "://officer:s3cret@"))
    result = run(capsys, "directory", "sync", target.url, "--trust", str(keys.public))
    assert result.exit_code == 0, result.stderr
    token = "Basic " + base64.b64encode(b"officer:s3cret").decode()
    assert proxy.relayed and {r.credentials for r in proxy.relayed} == {token}
    assert all("proxy-authorization" not in r.headers for r in target.requests)
    proxy.mode, proxy.status = "status", 502
    publish_versions(data, keys, site, range(2, 3))
    failed = run(capsys, "directory", "sync", "--attempts", "1")
    assert failed.exit_code == 1 and f"the proxy 127.0.0.1:{proxy.port}" in failed.stderr
    status = run(capsys, "directory", "status")
    for text in (result.stdout, result.stderr, failed.stderr, status.stdout, status.stderr):
        assert "s3cret" not in text and "officer:" not in text
    assert not any(b"s3cret" in content for content in snapshot(sync_folder()).values())


def test_the_client_somnet_makes_reads_the_proxy_from_the_environment() -> None:
    """Whether ``HTTP_PROXY`` and the others count at all is httpx's ``trust_env``."""
    from somnet.sharing.fetch import Fetcher

    fetcher = Fetcher(None, sleep=Sleeps(), attempts=1, backoff=1.0, timeout=1.0, deadline=1.0)
    with fetcher:
        assert fetcher.client.trust_env is True


def test_a_proxy_silent_past_the_timeout_is_named(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    proxy: Proxy,
) -> None:
    publish_v2(data, keys, site)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    proxy.mode = "silent"
    with pytest.raises(NetworkError, match="timed out waiting for data") as caught:
        do_sync(server, keys, folder, attempts=1, timeout=0.3, deadline=5.0)
    assert f"(through the proxy 127.0.0.1:{proxy.port})" in str(caught.value)
    assert_unchanged(folder, installed_v1)


def test_a_proxy_s_name_that_does_not_resolve_is_named_at_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    proxy: Proxy,
    hanging_resolver: HangingResolver,
) -> None:
    """With a proxy, the name looked up is the proxy's, not the site's: the message says so."""
    publish_v2(data, keys, site)
    monkeypatch.setenv("HTTP_PROXY", f"http://proxy.invalid:{proxy.port}")
    hanging_resolver.hang()
    with pytest.raises(NetworkError, match=r"deadline of 1 s") as caught:
        do_sync(server, keys, folder, timeout=5.0, deadline=1.0)
    assert hanging_resolver.asked == ["proxy.invalid"]
    assert (
        f"still looking up the name of the proxy proxy.invalid:{proxy.port} or connecting to it"
        in str(caught.value)
    )
    assert proxy.relayed == [] and server.paths() == []
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HTTPS_PROXY", "socks5://officer:s3cret@127.0.0.1:1080"),
        ("HTTPS_PROXY", "ftp://officer:s3cret@127.0.0.1:21"),
        ("http_proxy", "http://officer:s3cret@proxy.example:port"),
        ("ALL_PROXY", "gopher://127.0.0.1:70"),
        # A password typed with a raw '@': the part before it was cut, the rest shown.
        ("HTTPS_PROXY", "http://officer:s3c@s3cret@proxy.example:port"),
    ],
    ids=["socks", "ftp", "not-a-url", "all-proxy", "at-in-password"],
)
def test_a_proxy_somnet_cannot_use_is_bad_input_naming_the_variable(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    variable: str,
    value: str,
) -> None:
    """A proxy httpx cannot use (SOCKS without its package, another scheme, not a URL) was a
    traceback; it is one line naming the variable, exit 2, the password never shown, nothing
    written and nothing asked of the network."""
    import importlib.util

    if value.startswith("socks") and importlib.util.find_spec("socksio") is not None:
        pytest.skip("socksio is installed: httpx can use a SOCKS proxy")
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    monkeypatch.setenv(variable, value)
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"somnet: {variable}: ")
    assert "not a proxy somnet can use" in result.stderr
    assert "s3cret" not in result.stderr and "Traceback" not in result.stderr
    assert server.paths() == []
    assert not sync_folder().exists()


@pytest.mark.parametrize(
    ("variable", "host", "problem"),
    [
        ("HTTP_PROXY", "xn--a.example", "'xn--a.example' is not a host name: IDNA cannot read it"),
        ("https_proxy", "XN--A.example", "'XN--A.example' is not a host name: IDNA cannot read it"),
        (
            "ALL_PROXY",
            "proxy.xn--a.example",
            "'proxy.xn--a.example' is not a host name: IDNA cannot read it",
        ),
        (
            "HTTP_PROXY",
            "proxy..example",
            "'proxy..example' is not a host name: a part between dots is empty, longer than 63 "
            "characters, or holds what no host name may",
        ),
    ],
    ids=["punycode", "punycode-capitals", "punycode-after-a-part", "empty-part"],
)
def test_a_proxy_whose_host_idna_cannot_read_is_refused_naming_the_variable(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    variable: str,
    host: str,
    problem: str,
) -> None:
    """A proxy whose host is a punycode name IDNA cannot read, or no name a resolver takes,
    passed the check and failed as the request went out (after the tries, the name looked up
    in vain; or in the codec's English words); it is refused as a sync URL with such a host
    is, in somnet's words: the variable named, exit 2, the password never shown, nothing
    written and nothing asked of the network."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    monkeypatch.setenv(variable, f"http://officer:s3cret@{host}:3128")
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"somnet: {variable}: 'http://{host}:3128': not a proxy somnet can use ({problem}); "
        "give an http proxy's URL, e.g. http://proxy.example.org:3128 (with credentials "
        "http://user:password@proxy.example.org:3128)\n"
    )
    assert server.paths() == []
    assert not sync_folder().exists()


@pytest.mark.parametrize(
    ("variable", "value", "shown", "problem"),
    [
        (
            "HTTPS_PROXY",
            "http://officer:s3cret@proxy.example:99999",
            "http://proxy.example:99999",
            "port 99999 is not one from 1 to 65535",
        ),
        (
            "HTTPS_PROXY",
            "http://officer:s3cret@proxy.example:0",
            "http://proxy.example:0",
            "port 0 is not one from 1 to 65535",
        ),
        (
            "HTTPS_PROXY",
            "http://officer:s3cret@proxy.example:abc",
            "http://proxy.example:abc",
            "port 'abc' is not a number",
        ),
        (
            "http_proxy",
            "officer:s3cret@proxy.example:70000",
            "proxy.example:70000",
            "port 70000 is not one from 1 to 65535",
        ),
        (
            "ALL_PROXY",
            "http://officer:s3cret@[::1]:99999",
            "http://[::1]:99999",
            "port 99999 is not one from 1 to 65535",
        ),
    ],
    ids=["past-65535", "zero", "not-a-number", "no-scheme", "ipv6"],
)
def test_a_proxy_with_a_bad_port_is_refused_saying_why_naming_the_variable(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    variable: str,
    value: str,
    shown: str,
    problem: str,
) -> None:
    """A proxy's port past 65535, or 0, passed the check and failed as the request went out (in
    httpx's English words, or as the scheme's port); one that is no number was refused with no
    reason. Each is refused saying why in somnet's words, the variable named, exit 2, the
    password never shown, nothing written and nothing asked of the network."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    monkeypatch.setenv(variable, value)
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"somnet: {variable}: {shown!r}: not a proxy somnet can use ({problem}); give an http "
        "proxy's URL, e.g. http://proxy.example.org:3128 (with credentials "
        "http://user:password@proxy.example.org:3128)\n"
    )
    assert server.paths() == []
    assert not sync_folder().exists()


def test_an_http_proxy_of_the_environment_is_checked_without_building_a_transport(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whether httpx can use an http(s) proxy its URL tells (``httpx.Proxy``): the check built
    an HTTP transport for each variable, and with it an SSL context that loads every CA
    certificate, only to drop it (the client made next builds its own). Only a proxy of
    another scheme (SOCKS, whose package httpx looks for as it builds one) still needs one."""
    import httpx

    from somnet._urls import check_environment_proxies

    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:3128")
    monkeypatch.setenv("HTTPS_PROXY", "https://officer:s3cret@127.0.0.1:3129")
    monkeypatch.setenv("ALL_PROXY", "127.0.0.1:3128")  # no scheme: an http proxy's host:port
    built: list[object] = []
    real = httpx.HTTPTransport

    def transport(*args: object, **kwargs: object) -> httpx.HTTPTransport:
        built.append(kwargs.get("proxy"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(httpx, "HTTPTransport", transport)
    check_environment_proxies()
    assert built == []


def test_no_proxy_star_lets_a_proxy_somnet_cannot_use_be(
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    """``NO_PROXY=*`` turns every proxy off: one somnet could not use is then no matter."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    monkeypatch.setenv("HTTP_PROXY", "ftp://127.0.0.1:21")
    monkeypatch.setenv("NO_PROXY", "*")
    assert do_sync(server, keys, folder).outcome == "installed"


@pytest.mark.parametrize(
    ("variable", "value", "shown", "char"),
    [
        ("HTTPS_PROXY", "http://pro\txy.example:3128", "http://pro\txy.example:3128", "\t"),
        (
            "http_proxy",
            "http://officer:s3cret@proxy.example:3128\n",
            "http://proxy.example:3128\n",
            "\n",
        ),
        ("ALL_PROXY", "officer:s3cret@pro\rxy.example:3128", "pro\rxy.example:3128", "\r"),
    ],
    ids=["tab", "newline", "no-scheme"],
)
def test_a_proxy_holding_a_control_character_is_refused_saying_why_naming_the_variable(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    variable: str,
    value: str,
    shown: str,
    char: str,
) -> None:
    """A proxy's URL holding a tab or a line break was refused with no reason given (httpx's
    was English: "Invalid non-printable ASCII character in URL"): the reason is said, the
    variable named, exit 2, the password never shown, nothing written or asked."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    monkeypatch.setenv(variable, value)
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"somnet: {variable}: {shown!r}: not a proxy somnet can use (it holds {char!r}, a "
        "control or blank character, which no URL may hold); give an http proxy's URL, e.g. "
        "http://proxy.example.org:3128 (with credentials "
        "http://user:password@proxy.example.org:3128)\n"
    )
    assert server.paths() == []
    assert not sync_folder().exists()
