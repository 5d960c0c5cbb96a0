"""Fetching for a sync against a real server on 127.0.0.1 that misbehaves: retries with backoff,
errors and resets, sizes and hashes, one deadline for everything fetched, redirects and TLS.
After each fault the installed copy is byte for byte what it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from somnet import (
    BadInputError,
    NetworkError,
    VerificationError,
    publish_directory,
    sync_directory,
)
from somnet._i18n import Message
from somnet.sharing.fetch import signed_manifest_url
from somnet.sharing.manifest import (
    SIGNED_MANIFEST_NAME,
)
from tests.sharing.helpers import (
    NOW,
    SIGNED,
    Certificate,
    HangingResolver,
    KeyPair,
    Sleeps,
    assert_unchanged,
    do_sync,
    english_left,
    publish_v2,
    second_version,
    server_get_v1,
    site_manifest,
)
from tests.sharing.server import Fault, SiteServer


@pytest.mark.parametrize(
    ("url", "manifest"),
    [
        ("https://office.example.org/somnet/", "https://office.example.org/somnet/"),
        ("https://office.example.org/somnet", "https://office.example.org/somnet/"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("https://office.example.org/somnet/?x=1#top", "https://office.example.org/somnet/"),
    ],
)
def test_a_site_s_url_names_its_signed_manifest(url: str, manifest: str) -> None:
    assert signed_manifest_url(url) == manifest + SIGNED_MANIFEST_NAME


def test_a_json_url_is_taken_as_the_signed_manifest_s_own() -> None:
    url = "https://office.example.org/somnet/2026/current.json"
    assert signed_manifest_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/site/",
        "not a url at all",
        "https://",
        "",
        # A host in punycode that is no valid name (U+1F4A9), and a port past 65535.
        "http://xn--ls8h.la/somnet/",
        "http://127.0.0.1:99999/somnet/",
    ],
)
def test_a_url_that_is_not_http_is_refused_naming_the_url(url: str) -> None:
    with pytest.raises(BadInputError, match="not a") as caught:
        signed_manifest_url(url)
    assert (caught.value.field, caught.value.value) == ("url", url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:1:1/somnet/", "port '1:1' is not a number"),
        ("http://127.0.0.1:abc/somnet/", "port 'abc' is not a number"),
        (
            "http://[::1/somnet/",
            "'[' and ']' go in pairs, around an IPv6 address (as in [2001:db8::1])",
        ),
        ("http://[zz]/somnet/", "'zz' is not an IPv6 address"),
        # Refused as the request went out, as if the server had redirected to what is not a URL.
        (
            f"http://{'a' * 64}.example.org/somnet/",
            f"'{'a' * 64}.example.org' is not a host name: a part between dots is empty, longer "
            "than 63 characters, or holds what no host name may",
        ),
        # A punycode name that is no valid name: refused in idna's English words ("Codepoint
        # U+0080 at position 1 of '\\x80' not allowed"), now as a redirect to it is; named as
        # typed (httpx reads it in lower case).
        (
            "http://xn--a.example/somnet/",
            "'xn--a.example' is not a host name: IDNA cannot read it",
        ),
        (
            "http://xn--ls8h.la/somnet/",
            "'xn--ls8h.la' is not a host name: IDNA cannot read it",
        ),
        # After another part: httpx reads only a name that begins with one, and the name was
        # looked up in vain, as the request went out.
        (
            "http://somnet.XN--A.example/somnet/",
            "'somnet.XN--A.example' is not a host name: IDNA cannot read it",
        ),
        # RFC 6874 writes the zone after "%25": it was kept as "25eth0", an interface no
        # machine has, and failed when connecting as a name that cannot be resolved.
        (
            "http://[fe80::1%25eth0]/somnet/",
            "'fe80::1%25eth0' is an address with a zone ('eth0'), which holds on this "
            "machine's own link only: give the server's name or another of its addresses",
        ),
    ],
)
def test_a_url_whose_host_or_port_cannot_be_read_is_refused_in_words_of_the_language_in_use(
    url: str, reason: str
) -> None:
    """httpx's reasons ("Invalid port: ':1'" for an IPv6 address missing its ']') are English
    words, and not always the right ones: somnet says what is wrong itself."""
    with pytest.raises(BadInputError) as caught:
        signed_manifest_url(url)
    assert caught.value.reason == f"{url!r}: not a URL ({reason})"
    assert (caught.value.field, caught.value.value) == ("url", url)


@pytest.mark.parametrize(
    ("url", "shown", "reason"),
    [
        (
            "https://user@XN--A.Example:8443/somnet/",
            "https://XN--A.Example:8443/somnet/",
            "'XN--A.Example' is not a host name: IDNA cannot read it",
        ),
        (
            "https://officer:s3cret@xn--a.example/somnet/",
            "https://xn--a.example/somnet/",
            "'xn--a.example' is not a host name: IDNA cannot read it",
        ),
        (
            "https://officer:s3cret@example.org:99999/somnet/",
            "https://example.org:99999/somnet/",
            "port 99999 is not one from 1 to 65535",
        ),
        (
            "https://officer:s3c@s3cret@example.org:99999/somnet/",
            "https://example.org:99999/somnet/",
            "port 99999 is not one from 1 to 65535",
        ),
        ("https://officer:s3cret@[zz]/somnet/", "https://[zz]/somnet/", None),
    ],
)
def test_a_url_refused_as_unreadable_never_shows_its_user_or_password(
    url: str, shown: str, reason: str | None
) -> None:
    """A URL with a user and password whose host or port cannot be read was refused showing
    them ("'https://officer:s3cret@[zz]/somnet/': not a URL (...)"), and kept them as the
    error's value, where one that is read has them taken out: a password is never shown."""
    with pytest.raises(BadInputError) as caught:
        signed_manifest_url(url)
    assert caught.value.reason.startswith(f"{shown!r}: not a URL (")
    if reason is not None:
        assert caught.value.reason == f"{shown!r}: not a URL ({reason})"
    assert (caught.value.field, caught.value.value) == ("url", shown)
    assert "s3c" not in str(caught.value) and "officer" not in str(caught.value)


def test_a_url_with_a_byte_that_is_not_utf8_is_refused_in_words_of_the_language_in_use() -> None:
    """A URL typed in a Latin-1 shell reaches Python with a lone surrogate: it was refused
    with the codec's English words ("'utf-8' codec can't encode character '\\udce9' ...")."""
    import os

    url = os.fsdecode(b"https://r\xe9gion.example.org/somnet/")
    with pytest.raises(BadInputError) as caught:
        signed_manifest_url(url)
    assert caught.value.reason == (f"{url!r}: not a URL (it holds a byte that is not UTF-8 text)")
    assert (caught.value.field, caught.value.value) == ("url", url)


def test_a_server_error_is_retried_with_backoff(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    bundle = "/" + site_manifest(site).bundle.name
    server.fault(SIGNED, Fault("status", status=503, times=1))
    server.fault(bundle, Fault("reset", times=1))
    sleeps = Sleeps()
    result = do_sync(server, keys, folder, sleep=sleeps, backoff=0.5)
    assert result.version == 2
    assert sleeps == [0.5, 0.5]
    assert server.paths().count(SIGNED) == 2
    assert server.paths().count(bundle) == 2


@pytest.mark.parametrize(
    ("where", "fault", "error", "message", "attempts"),
    [
        (
            "manifest",
            Fault("status", status=500),
            NetworkError,
            r"signed-manifest.json: fetching the signed manifest: the server answered HTTP 500 "
            r"Internal Server Error \(after 3 attempts\); the installed directory is unchanged "
            r"\(version 1\)",
            3,
        ),
        (
            "manifest",
            Fault("status", status=404),
            NetworkError,
            r"signed-manifest.json: fetching the signed manifest: HTTP 404 Not Found; the "
            r"installed directory is unchanged \(version 1\)",
            1,
        ),
        (
            "bundle",
            Fault("status", status=404),
            NetworkError,
            r"downloading the bundle: HTTP 404 Not Found: the site was being updated \(the bundle "
            r"this manifest names is gone, pruned after newer versions\); sync again; the "
            r"installed directory is unchanged \(version 1\)",
            1,
        ),
        (
            "manifest",
            Fault("reset"),
            NetworkError,
            r"fetching the signed manifest: the connection was reset or closed by the server",
            3,
        ),
        (
            "bundle",
            Fault("reset"),
            NetworkError,
            r"downloading the bundle: the connection was reset or closed by the server",
            3,
        ),
        (
            "manifest",
            Fault("slow", seconds=5),
            NetworkError,
            r"fetching the signed manifest: timed out waiting for data: no byte came for 0\.3 s "
            r"\(the server is too slow",
            3,
        ),
        (
            "bundle",
            Fault("truncate"),
            NetworkError,
            r"downloading the bundle: the connection closed before the whole file arrived",
            3,
        ),
        (
            # No Content-Length: only the manifest's size tells that the body stopped short.
            "bundle",
            Fault("truncate", sized=False),
            NetworkError,
            r"downloading the bundle: the connection closed before the whole file arrived",
            3,
        ),
        (
            # No Content-Length either: the manifest stops in the middle of its JSON.
            "manifest",
            Fault("truncate", sized=False),
            NetworkError,
            r"fetching the signed manifest: the connection closed after \d+ bytes, in the "
            r"middle of the file, and the server announced no length: the answer was cut short "
            r"on the way \(after 3 attempts\)",
            3,
        ),
        (
            "bundle",
            Fault("endless"),
            VerificationError,
            r"the bundle is larger than the \d+ bytes its manifest announces; download stopped",
            1,
        ),
        (
            "manifest",
            Fault("endless"),
            VerificationError,
            r"the signed manifest is larger than 65536 bytes; not read further",
            1,
        ),
    ],
    ids=[
        "500",
        "404-manifest",
        "404-bundle",
        "reset-manifest",
        "reset-bundle",
        "timeout",
        "truncated-body",
        "truncated-unsized-body",
        "truncated-unsized-manifest",
        "endless-bundle",
        "endless-manifest",
    ],
)
def test_a_network_fault_keeps_the_installed_copy(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    where: str,
    fault: Fault,
    error: type[Exception],
    message: str,
    attempts: int,
) -> None:
    bundle = publish_v2(data, keys, site)
    path = {"manifest": SIGNED, "bundle": bundle}
    server.fault(path[where], fault)
    sleeps = Sleeps()
    with pytest.raises(error, match=message) as caught:
        do_sync(server, keys, folder, sleep=sleeps, timeout=0.3)
    assert caught.value.field == ("timeout" if "timed out" in message else None)
    assert server.paths().count(path[where]) == attempts
    assert sleeps == [1.0, 2.0][: attempts - 1]
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize(
    ("header", "why"),
    [
        (b"Content-Length: 5", r"conflicting Content-Length headers"),
        (b"no colon " + b"x" * 2000, r"illegal header line: 'no colon xxx[x.]*\)"),
        (b'ETag: "a\x00b"', r"illegal header line: 'ETag: \"a\\x00b\"'\)"),
    ],
    ids=["two-content-lengths", "long-illegal-line", "nul-in-header"],
)
def test_an_answer_that_is_not_valid_http_is_said_so_not_a_closed_connection(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    header: bytes,
    why: str,
) -> None:
    """A server (or whoever answers in its name) that repeats Content-Length with another value,
    or sends a line that is no header: the answer was said to be a connection "reset or closed
    by the server", which it was not. It is said to be no valid HTTP, the server's bytes cut
    short in the message, quoted as text (h11 wrote them as Python's ``bytearray(b'...')``)."""
    bundle = publish_v2(data, keys, site)
    server.fault(bundle, Fault("headers", headers=(header,)))
    with pytest.raises(NetworkError) as caught:
        do_sync(server, keys, folder)
    message = str(caught.value)
    assert re.search(
        r"downloading the bundle: the server's answer is not valid HTTP \(" + why, message
    )
    assert "reset or closed" not in message and len(message) < 400, message
    assert "bytearray" not in message and "\x00" not in message
    assert_unchanged(folder, installed_v1)


def _gzip_bomb() -> bytes:
    import gzip

    return gzip.compress(b"0" * 20_000_000)  # 20 MB once decoded, some 20 kB as sent


_BOMB = _gzip_bomb()


@pytest.mark.parametrize(
    ("where", "fault", "error", "message"),
    [
        (
            # Decoded, a few kilobytes would be 20 MB: somnet asks for the bytes as they are
            # (Accept-Encoding: identity), never decodes them, and counts what was sent.
            "bundle",
            Fault("headers", content=_BOMB, headers=(b"Content-Encoding: gzip",)),
            VerificationError,
            r"the bundle is larger than the \d+ bytes its manifest announces; download stopped",
        ),
        (
            # More announced than the manifest's size: read no further than that size.
            "bundle",
            Fault(
                "headers",
                content=b"x" * 1_000_000,
                headers=(b"Content-Length: 1000000",),
                sized=False,
            ),
            VerificationError,
            r"the bundle is larger than the \d+ bytes its manifest announces; download stopped",
        ),
        (
            "bundle",
            Fault("headers", content=b"{}", headers=(b"Content-Length: 2",), sized=False),
            VerificationError,
            r"the bundle has 2 bytes, all the server announced \(Content-Length\), its manifest "
            r"announces \d+: the answer was cut short, or is another file",
        ),
        ("bundle", Fault("status", status=206), NetworkError, r"HTTP 206 Partial Content"),
        ("bundle", Fault("not-modified"), NetworkError, r"HTTP 304 Not Modified"),
        (
            "manifest",
            Fault("redirect", status=302, location=SIGNED),
            NetworkError,
            r"fetching the signed manifest: more than 5 redirects",
        ),
        (
            "manifest",
            Fault("redirect", status=301, location="file:///etc/passwd"),
            VerificationError,
            r"the server redirects to file:/+etc/passwd: not http\(s\) \(file\)",
        ),
    ],
    ids=["gzip-bomb", "announced-larger", "announced-smaller", "206", "304", "loop", "file"],
)
def test_answers_the_client_did_not_ask_for_are_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    where: str,
    fault: Fault,
    error: type[Exception],
    message: str,
) -> None:
    """What an attacker on the path can answer instead of the file: an encoded body, a length
    other than the manifest's, a range or a 304 never asked for, a redirect loop or to
    another scheme. Each is refused, without reading past the manifest's size, and the copy
    stays as it was."""
    bundle = publish_v2(data, keys, site)
    server.fault({"manifest": SIGNED, "bundle": bundle}[where], fault)
    with pytest.raises(error, match=message):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_a_bundle_with_the_wrong_hash_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    bundle = publish_v2(data, keys, site)
    original = (site / bundle.lstrip("/")).read_bytes()
    # Same size, one byte changed: only the hash can tell.
    altered = original.replace(b"Second version", b"Second versiox")
    assert len(altered) == len(original) and altered != original
    server.fault(bundle, Fault("content", content=altered))
    with pytest.raises(VerificationError, match=r"the bundle's SHA-256 \w+\.\.\. does not match"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_a_bundle_of_another_size_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    bundle = publish_v2(data, keys, site)
    server.fault(bundle, Fault("content", content=b"{}"))
    with pytest.raises(
        VerificationError,
        match=r"the bundle has 2 bytes, all the server announced \(Content-Length\), its "
        r"manifest announces \d+: the answer was cut short, or is another file",
    ):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


_ENCODED_ON_THE_WAY = (
    r"; the answer came with Content-Encoding: {encoding} although somnet asks for the file "
    r"as it is \(identity\): its bytes were encoded on the way \(a proxy may be compressing"
)


@pytest.mark.parametrize(
    ("encoding", "change", "refusal"),
    [
        ("gzip", "compress", r"the bundle has \d+ bytes, its manifest announces \d+"),
        (
            "br",
            "alter",
            r"the bundle's SHA-256 \w+\.\.\. does not match the manifest's \w+\.\.\. "
            r"\(altered or corrupted\)",
        ),
        (
            "gzip",
            "bomb",
            r"the bundle is larger than the \d+ bytes its manifest announces; download stopped",
        ),
    ],
    ids=["size", "hash", "larger"],
)
def test_a_bundle_encoded_on_the_way_is_refused_saying_so(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    encoding: str,
    change: str,
    refusal: str,
) -> None:
    """A proxy that compresses although somnet asks for ``identity`` made the bundle's size or
    hash wrong, and the refusal gave no hint why: it now says the bytes were encoded on the
    way."""
    import gzip

    bundle = publish_v2(data, keys, site)
    original = (site / bundle.lstrip("/")).read_bytes()
    content = {
        "compress": gzip.compress(original),
        "alter": original.replace(b"Second version", b"Second versiox"),
        "bomb": _BOMB,
    }[change]
    header = f"Content-Encoding: {encoding}".encode()
    server.fault(bundle, Fault("headers", content=content, headers=(header,)))
    with pytest.raises(VerificationError) as caught:
        do_sync(server, keys, folder)
    hint = _ENCODED_ON_THE_WAY.format(encoding=repr(encoding))
    assert re.search(refusal + hint, str(caught.value)), str(caught.value)
    assert_unchanged(folder, installed_v1)


def test_a_signed_manifest_encoded_on_the_way_is_refused_saying_so(
    installed_v1: dict[str, bytes],
    site: Path,
    server: SiteServer,
    keys: KeyPair,
    folder: Path,
) -> None:
    """A proxy that compresses the signed manifest although somnet asks for ``identity`` made
    it "not JSON", with no hint why (the bundle's refusal gives one): it now says the bytes
    were encoded on the way, and nothing is decoded, so a bomb is no more than its bytes."""
    import gzip

    original = (site / SIGNED.lstrip("/")).read_bytes()
    server.fault(
        SIGNED,
        Fault("headers", content=gzip.compress(original), headers=(b"Content-Encoding: gzip",)),
    )
    with pytest.raises(VerificationError) as caught:
        do_sync(server, keys, folder)
    # gzip's second byte is not UTF-8: said as such, not in the codec's English words.
    refusal = (
        r"signed-manifest\.json: malformed signed manifest: \$: not UTF-8 text \(invalid byte "
        r"at offset 1\)"
    )
    hint = _ENCODED_ON_THE_WAY.format(encoding=repr("gzip"))
    assert re.search(refusal + hint, str(caught.value)), str(caught.value)
    assert server.paths() == [SIGNED]
    assert_unchanged(folder, installed_v1)


def test_a_bundle_said_to_be_sent_as_it_is_gets_no_hint_of_encoding(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    bundle = publish_v2(data, keys, site)
    server.fault(bundle, Fault("headers", content=b"{}", headers=(b"Content-Encoding: identity",)))
    with pytest.raises(VerificationError, match=r"the bundle has 2 bytes") as caught:
        do_sync(server, keys, folder)
    assert "Content-Encoding" not in str(caught.value)


@pytest.mark.parametrize(
    ("where", "fault"),
    [
        ("manifest", Fault("drip", seconds=0.02, part="body")),
        ("manifest", Fault("drip", seconds=0.02, part="headers")),
        ("manifest", Fault("endless-headers", seconds=0.005)),
        ("bundle", Fault("drip", seconds=0.002, part="body")),
        ("bundle", Fault("drip", seconds=0.002, part="headers")),
    ],
    ids=["manifest-body", "manifest-headers", "endless-headers", "bundle-body", "bundle-headers"],
)
def test_a_server_that_drips_is_stopped_by_the_deadline(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    where: str,
    fault: Fault,
) -> None:
    """A byte at a time never trips the timeout between bytes; the deadline bounds the whole
    sync, headers included, and a sync past it is not tried again."""
    bundle = publish_v2(data, keys, site)
    path = {"manifest": SIGNED, "bundle": bundle}[where]
    server.fault(path, fault)
    with pytest.raises(NetworkError, match=r"took longer than the deadline of 1\.5 s") as caught:
        do_sync(server, keys, folder, timeout=5.0, deadline=1.5)
    assert str(caught.value).endswith("; the installed directory is unchanged (version 1)")
    assert (caught.value.field, caught.value.value) == ("deadline", 1.5)
    assert server.paths().count(path) == 1
    assert_unchanged(folder, installed_v1)
    # Nothing is left holding the folder: the next sync, to an honest server, goes through.
    server.clear()
    assert do_sync(server, keys, folder).version == 2


def test_a_name_lookup_that_hangs_is_stopped_by_the_deadline(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    hanging_resolver: HangingResolver,
) -> None:
    """The lookup of the server's name runs before any connection exists, so closing the
    connections cannot end it: a resolver that does not answer (a satellite link's) kept the
    sync waiting for its own timeouts, past the deadline. The sync ends by the deadline while
    the lookup still hangs, and is not tried again."""
    publish_v2(data, keys, site)
    asked_before = len(server.paths())
    hanging_resolver.hang()
    with pytest.raises(NetworkError, match=r"took longer than the deadline of 1 s") as caught:
        do_sync(server, keys, folder, timeout=5.0, deadline=1.0)
    assert hanging_resolver.waiting == 1, "the sync waited for the resolver"
    assert hanging_resolver.asked == ["127.0.0.1"]
    assert "looking up the server's name or connecting to it" in str(caught.value)
    assert (caught.value.field, caught.value.value) == ("deadline", 1.0)
    assert len(server.paths()) == asked_before
    assert_unchanged(folder, installed_v1)
    # The abandoned lookup holds nothing: once the resolver answers, the next sync goes through.
    hanging_resolver.answer()
    assert do_sync(server, keys, folder).version == 2


def test_endless_headers_sent_quickly_are_a_network_error(
    installed_v1: dict[str, bytes], keys: KeyPair, server: SiteServer, folder: Path
) -> None:
    server.fault(SIGNED, Fault("endless-headers"))
    with pytest.raises(NetworkError, match="fetching the signed manifest"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_the_deadline_leaves_no_time_for_another_attempt(
    installed_v1: dict[str, bytes], keys: KeyPair, server: SiteServer, folder: Path
) -> None:
    server.fault(SIGNED, Fault("status", status=503))
    sleeps = Sleeps()
    with pytest.raises(NetworkError, match=r"HTTP 503 .*no time is left for another attempt"):
        do_sync(server, keys, folder, sleep=sleeps, backoff=10.0, deadline=5.0)
    assert server.paths().count(SIGNED) == 1 and sleeps == []


@pytest.mark.parametrize("status", [503, 429])
def test_the_next_attempt_waits_as_long_as_the_server_asks(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    status: int,
) -> None:
    """A 503 or a 429 with Retry-After: 4 is asked again after 4 s, not after somnet's own
    backoff of 0.5 s, which would only meet the same answer (RFC 9110, Retry-After)."""
    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    server.fault(SIGNED, Fault("status", status=status, times=1, headers=(b"Retry-After: 4",)))
    sleeps = Sleeps()
    result = do_sync(server, keys, folder, sleep=sleeps, backoff=0.5)
    assert result.version == 2
    assert sleeps == [4.0]
    assert server.paths().count(SIGNED) == 2


def test_a_retry_after_date_already_past_leaves_somnets_own_backoff(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    asks = b"Retry-After: Thu, 01 Jan 2015 00:00:00 GMT"
    server.fault(SIGNED, Fault("status", status=503, times=1, headers=(asks,)))
    sleeps = Sleeps()
    assert do_sync(server, keys, folder, sleep=sleeps, backoff=0.5).version == 2
    assert sleeps == [0.5]


@pytest.mark.parametrize("status", [503, 429])
def test_a_retry_after_past_the_deadline_is_not_waited_for_nor_asked_again_sooner(
    installed_v1: dict[str, bytes], keys: KeyPair, server: SiteServer, folder: Path, status: int
) -> None:
    """Retry-After: 3600 within a deadline of 60 s: asking again in 1 s would only meet the
    same answer, and waiting an hour would hold a scheduled sync past its deadline. One
    request, and the error says both."""
    server.fault(SIGNED, Fault("status", status=status, headers=(b"Retry-After: 3600",)))
    sleeps = Sleeps()
    with pytest.raises(NetworkError) as caught:
        do_sync(server, keys, folder, sleep=sleeps, deadline=60.0)
    assert caught.value.reason.endswith(
        "(the server asks to be asked again after 3600 s); no time is left for another "
        "attempt before the deadline of 60 s; the installed directory is unchanged (version 1)"
    ), caught.value.reason
    assert server.paths().count(SIGNED) == 1 and sleeps == []
    assert_unchanged(folder, installed_v1)


def test_a_certificate_that_does_not_verify_is_not_tried_again(
    data: Path, keys: KeyPair, site: Path, https_server: SiteServer, folder: Path
) -> None:
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    sleeps = Sleeps()
    with pytest.raises(NetworkError, match="certificate") as caught:
        do_sync(https_server, keys, folder, sleep=sleeps)
    assert "attempts" not in str(caught.value)
    assert https_server.connections == 1 and sleeps == []


def test_a_redirect_from_https_to_plain_http_is_refused(
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    https_server: SiteServer,
    certificate: Certificate,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    assert do_sync(https_server, keys, folder).version == 1  # the certificate is trusted
    publish_v2(data, keys, site)
    https_server.fault(SIGNED, Fault("redirect", status=302, location=server.url + SIGNED[1:]))
    with pytest.raises(VerificationError, match=r"redirects .* plain http"):
        do_sync(https_server, keys, folder)
    assert server.paths() == []


def test_a_redirect_to_another_host_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_v2(data, keys, site)
    elsewhere = f"http://localhost:{server.port}{SIGNED}"
    server.fault(SIGNED, Fault("redirect", status=301, location=elsewhere))
    with pytest.raises(VerificationError, match="another host"):
        do_sync(server, keys, folder)
    assert server.paths() == [SIGNED]
    assert_unchanged(folder, installed_v1)


def test_a_redirect_to_another_port_of_the_site_s_host_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    """Another port of the same host is another server (another user's, on a shared host):
    the redirect is refused, not tried again, and that server is asked nothing."""
    from tests.sharing.server import serving

    publish_v2(data, keys, site)
    with serving(site) as other:
        server.fault(SIGNED, Fault("redirect", status=302, location=other.url + SIGNED[1:]))
        sleeps = Sleeps()
        with pytest.raises(VerificationError, match="another port of the host") as caught:
            do_sync(server, keys, folder, sleep=sleeps)
        assert other.paths() == [] and other.connections == 0
    assert str(caught.value).endswith("the installed directory is unchanged (version 1)")
    assert server.paths() == [SIGNED] and sleeps == []
    assert_unchanged(folder, installed_v1)


def test_a_redirect_from_http_to_https_on_another_port_of_the_host_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    https_server: SiteServer,
    certificate: Certificate,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A move to https is no leave to go to another port: a server there is another server
    (another user's, on a shared host), as it is for a redirect that keeps the scheme. It was
    followed, and the server on the other port asked for the manifest."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    publish_v2(data, keys, site)
    target = https_server.url + SIGNED[1:]
    server.fault(SIGNED, Fault("redirect", status=301, location=target))
    sleeps = Sleeps()
    with pytest.raises(VerificationError, match="another port of the host") as caught:
        do_sync(server, keys, folder, sleep=sleeps)
    assert https_server.paths() == [] and https_server.connections == 0
    assert str(caught.value).endswith("the installed directory is unchanged (version 1)")
    assert server.paths() == [SIGNED] and sleeps == []
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize(
    ("source", "target", "followed"),
    [
        ("http://office.example/s/", "https://office.example/s/", True),  # 80 to 443
        ("http://office.example:80/s/", "https://office.example:443/s/", True),
        ("http://office.example:8443/s/", "https://office.example:8443/s/", True),  # same port
        ("http://office.example:443/s/", "https://office.example/s/", True),
        ("http://office.example/s/", "https://office.example:8443/s/", False),
        ("http://office.example:8080/s/", "https://office.example/s/", False),
        ("http://office.example:8080/s/", "https://office.example:8443/s/", False),
        ("https://office.example/s/", "https://office.example:444/s/", False),
    ],
)
def test_a_redirect_keeps_the_port_or_moves_from_http_to_https_between_their_own(
    source: str, target: str, followed: bool
) -> None:
    import httpx

    from somnet.sharing.fetch import _redirect_problem

    problem = _redirect_problem(httpx.URL(source), httpx.URL(target))
    assert (problem is None) is followed, problem


@pytest.mark.parametrize("before", ["nothing-synced", "copy-edited"])
def test_a_304_to_a_request_that_was_not_conditional_is_refused(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    before: str,
) -> None:
    """A server (or whoever answers in its name) that says 304 Not Modified to a request
    without ``If-None-Match``: the first sync, or one that asks for the manifest whole because
    the copy was edited by hand. Nothing it could be "not modified" from was named: the sync
    fails (exit 1), installs nothing, and never takes the edited copy as the signed one."""
    from somnet.sharing.installed import synced_copy_warnings
    from somnet.sharing.state import read_state
    from tests.cli import run

    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    if before == "copy-edited":
        assert do_sync(server, keys, folder).version == 1
        state = read_state(folder)
        assert state is not None
        bs = folder / state.current.folder / "states" / "BS.toml"
        bs.write_bytes(bs.read_bytes() + b"\n# edited by hand\n")
    server.clear()
    server.fault(SIGNED, Fault("not-modified"))
    sleeps = Sleeps()
    with pytest.raises(NetworkError) as caught:
        do_sync(server, keys, folder, sleep=sleeps)
    message = str(caught.value)
    assert "answered 304 Not Modified to a request that was not conditional" in message, message
    assert "if-none-match" not in server.requests[0].headers
    assert server.paths() == [SIGNED] and sleeps == []
    if before == "nothing-synced":
        assert message.endswith("; nothing was installed")
        assert read_state(folder) is None and list((folder / "copies").iterdir()) == []
    else:
        assert message.endswith("; the installed directory is unchanged (version 1)")
        assert read_state(folder) == state  # not recorded as a check of the copy
        (warning,) = synced_copy_warnings(folder, now=NOW)
        assert "states/BS.toml" in warning.reason
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(keys.public), "--cache", str(folder)
    )
    assert result.exit_code == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "not conditional" in line


def test_a_redirect_within_the_site_s_host_is_followed(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, folder: Path
) -> None:
    """A site that moved on its own host: the manifest is found, and its bundle beside it."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    server.fault("/old/" + SIGNED_MANIFEST_NAME, Fault("redirect", status=301, location=SIGNED))
    result = sync_directory(
        server.url + "old/", [keys.public], cache=folder, now=NOW, sleep=Sleeps()
    )
    assert result.version == 1
    assert not any(p.startswith("/old/directory-") for p in server.paths())


@pytest.mark.parametrize("location", ["http://[::1", "http://xn--ls8h.la/somnet/"])
def test_a_redirect_to_what_is_not_a_url_is_not_tried_again(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    location: str,
) -> None:
    """The server's answer, not the network: another attempt gets the same Location. (A host
    in punycode that is no valid name is not a URL either.)"""
    publish_v2(data, keys, site)
    server.fault(SIGNED, Fault("redirect", status=302, location=location))
    sleeps = Sleeps()
    with pytest.raises(NetworkError):
        do_sync(server, keys, folder, sleep=sleeps)
    assert server.paths() == [SIGNED] and sleeps == []
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize(
    ("location", "host"),
    [
        ("http://xn--a.example/somnet/", "xn--a.example"),
        # As given (httpx reads the host in lower case), a port and a path relative to the
        # scheme left out of it.
        ("//XN--LS8H.la:8080/somnet/", "XN--LS8H.la"),
    ],
)
def test_a_redirect_to_a_host_idna_cannot_read_is_said_in_somnets_words(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    location: str,
    host: str,
) -> None:
    """httpx reads the Location's host (IDNA) before it returns the answer, and a host in
    punycode that is no valid name was refused in idna's own English ("Codepoint U+0080 at
    position 1 of '\\x80' not allowed"): somnet names the host itself, in the language in
    use."""
    publish_v2(data, keys, site)
    server.fault(SIGNED, Fault("redirect", status=302, location=location))
    with pytest.raises(NetworkError) as caught:
        do_sync(server, keys, folder)
    assert str(caught.value) == (
        f"{server.url}{SIGNED.lstrip('/')}: fetching the signed manifest: the server redirects "
        f"to {location!r}: {host!r} is not a host name: IDNA cannot read it; the installed "
        "directory is unchanged (version 1)"
    )
    assert isinstance(caught.value.reason, Message)
    assert server.paths() == [SIGNED]
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize(
    "location",
    [
        "http://example.org/somnet/",
        "http://[::1]:8080/",
        "/elsewhere",
        "http://b\u00fccher.example/",
    ],
)
def test_a_redirect_whose_host_idna_reads_is_never_blamed_for_another_unicode_error(
    location: str,
) -> None:
    """The host is named as unreadable only when IDNA cannot read it: a UnicodeError about
    something else, with a Location to a good host (an address, a name, a path, a name in
    Unicode), is said as it came."""
    from somnet.sharing.fetch import _unreadable_host

    assert _unreadable_host("http://127.0.0.1/", "fetching", location) is None


@pytest.mark.parametrize(
    ("where", "fault"),
    [
        ("manifest", Fault("status", status=403)),
        ("manifest", Fault("status", status=503)),
        ("manifest", Fault("reset")),
        ("manifest", Fault("slow", seconds=5)),
        ("manifest", Fault("redirect", status=302, location="http://example.org/elsewhere")),
        ("manifest", Fault("endless")),
        ("bundle", Fault("status", status=404)),
        ("bundle", Fault("truncate")),
        ("bundle", Fault("truncate", sized=False)),
        ("bundle", Fault("content", content=b"{}")),
        ("bundle", Fault("headers", content=b"{}", headers=(b"Content-Encoding: gzip",))),
        ("server", None),
        ("rollback", None),
        ("invalid-directory", None),
        ("malformed-manifest", None),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_a_failed_sync_is_told_in_the_language_in_use(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    pseudo_language: str,
    where: str,
    fault: Fault | None,
) -> None:
    """Why a sync failed, and that the installed copy is unchanged, are messages the catalogs
    translate, down to how the connection failed (not English built in f-strings)."""
    from somnet import SomnetError, localized

    bundle = publish_v2(data, keys, site)
    if where == "rollback":
        assert do_sync(server, keys, folder).version == 2
        server.fault(SIGNED, Fault("content", content=server_get_v1(site, keys, data)))
    elif where == "server":
        server.stop()
    elif where == "malformed-manifest":
        import attrs

        from somnet.sharing.manifest import manifest_bytes
        from tests.sharing.helpers import manifest_for, signed_site

        bundle_file = site / bundle.lstrip("/")
        manifest = manifest_for(bundle_file.read_bytes(), keys, version=3)
        manifest = attrs.evolve(manifest, bundle=attrs.evolve(manifest.bundle, name="../x.json"))
        signed_site(site, keys, manifest_bytes(manifest), None)
    elif where == "invalid-directory":
        from somnet.sharing.bundle import build_bundle
        from somnet.sharing.manifest import manifest_bytes
        from tests.factories import sample_files, write_layer
        from tests.sharing.helpers import manifest_for, signed_site

        files = sample_files()
        files["states/BS.toml"]["agencies"][0]["roles"] = ["wizardry"]
        content, _count = build_bundle(write_layer(site.parent / "bad", files))
        manifest = manifest_for(content, keys, version=3)
        signed_site(site, keys, manifest_bytes(manifest), (manifest.bundle.name, content))
    elif fault is not None:
        server.fault({"manifest": SIGNED, "bundle": bundle}[where], fault)
    with pytest.raises(SomnetError) as caught:
        do_sync(server, keys, folder, timeout=0.3)
    said = localized(caught.value.reason, pseudo_language)
    assert english_left(said) == [], said


def _manifest_answer(site: Path, change: str) -> Fault:
    """The signed manifest answered as an attacker on the path may answer it."""
    original = (site / SIGNED.lstrip("/")).read_bytes()
    return {
        # Decoded, some 20 kB would be 20 MB, 300 times the manifest's cap.
        "gzip-bomb": Fault("headers", content=_BOMB, headers=(b"Content-Encoding: gzip",)),
        "length-smaller": Fault(
            "headers", content=original, headers=(b"Content-Length: 10",), sized=False
        ),
        "length-larger": Fault(
            "headers",
            content=original,
            headers=(f"Content-Length: {len(original) + 100}".encode(),),
            sized=False,
        ),
        "two-lengths": Fault("headers", content=original, headers=(b"Content-Length: 10",)),
        "ftp": Fault("redirect", status=302, location="ftp://officer:s3cret@127.0.0.1/somnet/"),
        "file": Fault("redirect", status=301, location="file:///etc/passwd"),
        "idna": Fault("redirect", status=302, location="http://xn--a.example/somnet/"),
        "idna-password": Fault(
            "redirect", status=302, location="http://officer:s3cret@xn--a.example/somnet/"
        ),
        "not-a-url-password": Fault(
            "redirect", status=302, location="http://officer:s3/cret@[::1/somnet/"
        ),
        "not-modified": Fault("not-modified"),
    }[change]


@pytest.mark.parametrize(
    ("change", "exit_code", "refusal"),
    [
        (
            "gzip-bomb",
            2,
            r"signed-manifest\.json: malformed signed manifest: \$: not UTF-8 text \(invalid "
            r"byte at offset 1\); the answer came with Content-Encoding: 'gzip'",
        ),
        (
            "length-smaller",
            2,
            r"signed-manifest\.json: the signed manifest ends after the 10 bytes the server "
            r"announced \(Content-Length\), in the middle of its JSON: the answer was cut short",
        ),
        (
            "length-larger",
            1,
            r"fetching the signed manifest: the connection closed before the whole file arrived "
            r"\(\d+ of \d+ bytes\) \(after 3 attempts\)",
        ),
        (
            "two-lengths",
            1,
            r"fetching the signed manifest: the server's answer is not valid HTTP \(conflicting "
            r"Content-Length headers",
        ),
        (
            "ftp",
            2,
            r"fetching the signed manifest: the server redirects to ftp://127\.0\.0\.1/somnet/: "
            r"not http\(s\) \(ftp\)",
        ),
        (
            "file",
            2,
            r"fetching the signed manifest: the server redirects to file:/+etc/passwd: not "
            r"http\(s\) \(file\)",
        ),
        (
            "idna",
            1,
            r"fetching the signed manifest: the server redirects to "
            r"'http://xn--a\.example/somnet/': 'xn--a\.example' is not a host name: IDNA cannot "
            r"read it",
        ),
        (
            "idna-password",
            1,
            r"fetching the signed manifest: the server redirects to "
            r"'http://xn--a\.example/somnet/': 'xn--a\.example' is not a host name",
        ),
        (
            "not-a-url-password",
            1,
            r"fetching the signed manifest: the server redirects to a Location that is not a URL",
        ),
        (
            "not-modified",
            1,
            r"fetching the signed manifest: .*answered 304 Not Modified to a request that was "
            r"not conditional",
        ),
    ],
)
def test_a_first_sync_answered_as_an_adversary_would_installs_nothing_and_says_so_in_one_line(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    change: str,
    exit_code: int,
    refusal: str,
) -> None:
    """The signed manifest of a first sync (no copy installed) answered as an attacker on the
    path may answer it: a gzip bomb (never decoded: httpx is asked for the bytes as sent, and
    the cap holds on those), a Content-Length smaller or larger than the body, two that
    differ, a redirect to ``ftp:`` (with a password in it, never shown) or ``file:`` or to a
    host IDNA cannot read, a 304 to a request that was not conditional. Each is one line
    naming the URL, exit 2 (the server's answer refused) or 1 (the network, retried), and
    nothing is installed."""
    from somnet.sharing.state import read_state
    from tests.cli import run

    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    server.fault(SIGNED, _manifest_answer(site, change))
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(keys.public), "--cache", str(folder)
    )
    assert (result.exit_code, result.stdout) == (exit_code, ""), result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"somnet: {server.url}{SIGNED.lstrip('/')}: "), line
    assert re.search(refusal, line), line
    assert line.endswith("; nothing was installed"), line
    assert "s3cret" not in line and "officer" not in line
    assert read_state(folder) is None
    assert not (folder / "copies").exists() or list((folder / "copies").iterdir()) == []
    assert all(not p.startswith("/directory-") for p in server.paths())


def test_a_304_when_the_installed_copy_was_removed_is_refused_and_installs_nothing(
    capsys: pytest.CaptureFixture[str],
    installed_v1: dict[str, bytes],
    keys: KeyPair,
    server: SiteServer,
    folder: Path,
) -> None:
    """The sync state names a copy whose folder was removed by hand: the manifest is asked
    for whole (no If-None-Match), and a 304 to it proves nothing: one line naming the URL,
    exit 1, no copy taken as installed."""
    import shutil

    from somnet.sharing.state import read_state
    from tests.cli import run

    state = read_state(folder)
    assert state is not None
    shutil.rmtree(folder / state.current.folder)
    server.fault(SIGNED, Fault("not-modified"))
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(keys.public), "--cache", str(folder)
    )
    assert result.exit_code == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        f"somnet: {server.url}{SIGNED.lstrip('/')}: fetching the signed manifest: the server "
        "answered 304 Not Modified to a request that was not conditional"
    ), line
    assert "if-none-match" not in server.requests[0].headers
    assert server.paths() == [SIGNED]
    assert read_state(folder) == state and not (folder / state.current.folder).exists()


@pytest.mark.parametrize(
    "userinfo",
    ["officer:s3cret@", "officer@", ":s3cret@"],
    ids=["user-password", "user", "password"],
)
def test_a_redirect_within_the_site_whose_location_carries_credentials_is_refused(
    capsys: pytest.CaptureFixture[str],
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    userinfo: str,
) -> None:
    """A redirect to the site's own host and port whose Location carries ``user:password@``
    was followed, and the credentials sent back to the server (``Authorization: Basic``):
    a server, or whoever answers in its name, that learns them from a redirect may harvest
    them (and somnet keeps the site's URL free of them). Refused as a first URL that carries
    them is, whatever the host: one line naming the Location without them, exit 2, nothing
    sent, nothing installed."""
    import shutil

    from tests.cli import run

    publish_v2(data, keys, site)
    shutil.copytree(site, site / "moved")  # what a server that follows it would find there
    location = server.url.replace("http://", f"http://{userinfo}", 1) + "moved/" + SIGNED[1:]
    server.fault(SIGNED, Fault("redirect", status=302, location=location))
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(keys.public), "--cache", str(folder)
    )
    assert (result.exit_code, result.stdout) == (2, ""), result.stderr
    (line,) = result.stderr.splitlines()
    assert line == (
        f"somnet: {server.url}{SIGNED[1:]}: fetching the signed manifest: the server redirects "
        f"to {server.url}moved/{SIGNED[1:]}: it carries a user name or password, which somnet "
        "never sends (the directory is signed: the site needs none); the installed directory "
        "is unchanged (version 1)"
    ), line
    assert "s3cret" not in line and "officer" not in line
    assert server.paths() == [SIGNED]
    assert all("authorization" not in r.headers for r in server.requests)
    assert_unchanged(folder, installed_v1)


def _cut_short(site: Path, where: str, how: str) -> Fault:
    """The file at ``where`` (the signed manifest, the bundle) answered cut short: ``smaller``
    with a Content-Length of 100 bytes, less than the file, which is sent whole after it (the
    client reads the 100 announced); ``unsized`` with no Content-Length, the connection closed
    half-way; ``closed`` with the whole file's Content-Length, the connection closed half-way;
    ``chunked`` its first half in chunks ended by the last one, beside a Content-Length of the
    chunks' bytes, which the chunks override (RFC 9112, 6.3)."""
    path = SIGNED if where == "manifest" else "/" + site_manifest(site).bundle.name
    content = (site / path.lstrip("/")).read_bytes()
    if how == "smaller":
        return Fault("headers", content=content, headers=(b"Content-Length: 100",), sized=False)
    if how == "chunked":
        half = content[: len(content) // 2]
        chunks = b"%x\r\n%s\r\n0\r\n\r\n" % (len(half), half)
        return Fault("status", status=200, headers=(b"Transfer-Encoding: chunked",), content=chunks)
    return Fault("truncate", sized=how == "closed")


@pytest.mark.parametrize(
    ("where", "how", "exit_code", "said"),
    [
        (
            "manifest",
            "smaller",
            2,
            r"{manifest}: the signed manifest ends after the 100 bytes the server announced "
            r"\(Content-Length\), in the middle of its JSON: the answer was cut short \(a server "
            r"that announces less than the whole file, or a file on the site cut short\)",
        ),
        (
            "manifest",
            "unsized",
            1,
            r"{manifest}: fetching the signed manifest: the connection closed after \d+ bytes, "
            r"in the middle of the file, and the server announced no length: the answer was cut "
            r"short on the way",
        ),
        (
            "manifest",
            "closed",
            1,
            r"{manifest}: fetching the signed manifest: the connection closed before the whole "
            r"file arrived \((\d+) of (\d+) bytes\)",
        ),
        (
            "manifest",
            "chunked",
            2,
            r"{manifest}: the signed manifest ends after \d+ bytes, in the middle of its JSON: "
            r"the answer was cut short \(a file on the site cut short\)",
        ),
        (
            "bundle",
            "chunked",
            2,
            r"{bundle}: the bundle has \d+ bytes, its manifest announces \d+",
        ),
        (
            "bundle",
            "smaller",
            2,
            r"{bundle}: the bundle has 100 bytes, all the server announced \(Content-Length\), "
            r"its manifest announces \d+: the answer was cut short, or is another file",
        ),
        (
            "bundle",
            "unsized",
            1,
            r"{bundle}: downloading the bundle: the connection closed before the whole file "
            r"arrived \((\d+) of (\d+) bytes\)",
        ),
        (
            "bundle",
            "closed",
            1,
            r"{bundle}: downloading the bundle: the connection closed before the whole file "
            r"arrived \((\d+) of (\d+) bytes\)",
        ),
    ],
)
def test_a_file_cut_short_is_said_to_be_cut_naming_its_url_and_installs_nothing(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    where: str,
    how: str,
    exit_code: int,
    said: str,
) -> None:
    """A signed manifest whose answer stops before its end, whether the server announced a
    Content-Length smaller than the file or sent none and closed the connection half-way, was
    refused as "malformed signed manifest: $: not JSON", which says nothing of a cut. Each cut
    of the manifest or of the bundle is said: how many bytes came, what the server announced
    (or that the connection closed), naming the URL; one line, nothing installed."""
    from somnet.sharing.state import read_state
    from tests.cli import run

    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    bundle = "/" + site_manifest(site).bundle.name
    server.fault(SIGNED if where == "manifest" else bundle, _cut_short(site, where, how))
    result = run(
        capsys,
        *("directory", "sync", server.url, "--trust", str(keys.public), "--cache", str(folder)),
        *("--attempts", "1"),
    )
    assert (result.exit_code, result.stdout) == (exit_code, ""), result.stderr
    (line,) = result.stderr.splitlines()
    pattern = said.format(
        manifest=re.escape(server.url + SIGNED[1:]), bundle=re.escape(server.url + bundle[1:])
    )
    found = re.fullmatch(r"somnet: " + pattern + r"; nothing was installed", line)
    assert found is not None, line
    if found.groups():  # the bytes received, fewer than announced
        assert int(found.group(1)) < int(found.group(2))
    assert "not JSON" not in line
    assert read_state(folder) is None
    assert not (folder / "copies").exists() or list((folder / "copies").iterdir()) == []


# A sync answered as an adversary or an accident would: one plain test per answer, each through
# the command line as a scheduled sync meets it: one line naming the URL, nothing installed.


def _first_sync(
    capsys: pytest.CaptureFixture[str], server: SiteServer, keys: KeyPair, folder: Path, *args: str
) -> tuple[int, str]:
    """A first sync from the command line: its exit code and its one line on stderr, having
    printed nothing on stdout and installed nothing."""
    from somnet.sharing.state import read_state
    from tests.cli import run

    result = run(
        capsys,
        *("directory", "sync", server.url, "--trust", str(keys.public), "--cache", str(folder)),
        *args,
    )
    assert result.stdout == "", result.stdout
    (line,) = result.stderr.splitlines()
    assert line.endswith("; nothing was installed"), line
    assert "Traceback" not in result.stderr
    assert read_state(folder) is None
    assert not (folder / "copies").exists() or list((folder / "copies").iterdir()) == []
    return result.exit_code, line


@pytest.mark.parametrize("where", ["manifest", "bundle"])
def test_a_server_that_sends_its_headers_then_stalls_times_out_naming_the_url_and_timeout(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    where: str,
) -> None:
    """Headers, a Content-Length, then not a byte more, ever: the sync does not hang; it
    stops after ``--timeout`` without a byte, tried again as any network fault, and says so
    naming the URL, the flag and the seconds waited (exit 1)."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    bundle = "/" + site_manifest(site).bundle.name
    path = SIGNED if where == "manifest" else bundle
    server.fault(path, Fault("stall"))
    code, line = _first_sync(capsys, server, keys, folder, "--timeout", "0.3", "--attempts", "2")
    doing = "fetching the signed manifest" if where == "manifest" else "downloading the bundle"
    assert code == 1
    assert line == (
        f"somnet: --timeout: {server.url}{path[1:]}: {doing}: timed out waiting for data: no byte "
        "came for 0.3 s (the server is too slow or unreachable) (after 2 attempts); nothing was "
        "installed"
    ), line
    assert server.paths().count(path) == 2


_ERROR_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head>\n"
    b"<body><h1>Sorry, the site is down for maintenance</h1></body></html>\n"
)


@pytest.mark.parametrize("start", [b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n "])
def test_a_200_with_an_html_error_page_for_the_manifest_is_said_to_be_a_web_page(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    start: bytes,
) -> None:
    """A web server (or a captive portal on a ship's link) that answers 200 with an HTML page
    of its own was refused as "malformed signed manifest: $: not JSON (at line 1, column 1)".
    It is said to be a web page, not the manifest (exit 2), and nothing is installed; so is a
    page that begins with a UTF-8 byte-order mark, as editors on Windows write them."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    server.fault(SIGNED, Fault("content", content=start + _ERROR_PAGE))
    code, line = _first_sync(capsys, server, keys, folder)
    assert code == 2
    assert line == (
        f"somnet: {server.url}{SIGNED[1:]}: the server answered a web page (HTML) where the "
        "signed manifest belongs: an error or login page, or not the site's URL; nothing was "
        "installed"
    ), line


def test_a_200_with_an_html_error_page_for_the_bundle_is_refused_by_its_size(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    bundle = "/" + site_manifest(site).bundle.name
    server.fault(bundle, Fault("content", content=_ERROR_PAGE))
    code, line = _first_sync(capsys, server, keys, folder)
    assert code == 2
    assert line.startswith(
        f"somnet: {server.url}{bundle[1:]}: the bundle has {len(_ERROR_PAGE)} bytes, all the "
        "server announced (Content-Length), its manifest announces "
    ), line


@pytest.mark.parametrize("where", ["manifest", "bundle"])
def test_a_301_loop_stops_after_the_redirects_allowed_naming_the_url(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    where: str,
) -> None:
    """A file that redirects to itself for ever: followed 5 times, then one line (exit 1),
    not tried again."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    bundle = "/" + site_manifest(site).bundle.name
    path = SIGNED if where == "manifest" else bundle
    server.fault(path, Fault("redirect", status=301, location=path))
    code, line = _first_sync(capsys, server, keys, folder)
    doing = "fetching the signed manifest" if where == "manifest" else "downloading the bundle"
    assert code == 1
    assert (
        line
        == f"somnet: {server.url}{path[1:]}: {doing}: more than 5 redirects; nothing was installed"
    )
    assert server.paths().count(path) == 6


@pytest.mark.parametrize("where", ["manifest", "bundle"])
def test_a_206_partial_content_never_asked_for_is_refused(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    where: str,
) -> None:
    """somnet never sends a Range: a 206 with a part of the file (and its Content-Range) is
    not the file; said so in one line (exit 1), not tried again, nothing installed."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    bundle = "/" + site_manifest(site).bundle.name
    path = SIGNED if where == "manifest" else bundle
    content = (site / path[1:]).read_bytes()
    server.fault(
        path,
        Fault(
            "status",
            status=206,
            content=content[:100],
            headers=(f"Content-Range: bytes 0-99/{len(content)}".encode(),),
        ),
    )
    code, line = _first_sync(capsys, server, keys, folder)
    doing = "fetching the signed manifest" if where == "manifest" else "downloading the bundle"
    assert code == 1
    assert line == (
        f"somnet: {server.url}{path[1:]}: {doing}: HTTP 206 Partial Content: a part of the "
        "file, where somnet asks for it whole; nothing was installed"
    ), line
    assert "range" not in server.requests[0].headers
    assert server.paths().count(path) == 1


@pytest.mark.parametrize(
    ("retry_after", "said"),
    [("120", "120 s"), ("Tue, 01 Dec 2099 08:00:00 GMT", "2099-12-01 08:00 UTC")],
    ids=["seconds", "date"],
)
def test_a_429_asking_past_the_deadline_is_not_tried_again_and_says_when_the_server_asks_to(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    retry_after: str,
    said: str,
) -> None:
    """Too Many Requests, to be asked again after the deadline: asking again sooner would
    only add to them. One line (exit 1) that says when the server asks to be asked again, so
    that whoever schedules the sync knows; one request."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    server.fault(
        SIGNED, Fault("status", status=429, headers=(f"Retry-After: {retry_after}".encode(),))
    )
    code, line = _first_sync(capsys, server, keys, folder, "--deadline", "60")
    assert code == 1
    assert line == (
        f"somnet: --deadline: {server.url}{SIGNED[1:]}: fetching the signed manifest: "
        "the server answered "
        f"HTTP 429 Too Many Requests (the server asks to be asked again after {said}); no time "
        "is left for another attempt before the deadline of 60 s; nothing was installed"
    ), line
    assert server.paths() == [SIGNED]


@pytest.mark.parametrize(
    "retry_after", ["Fri, 31 Dec 9999 23:59:59 -0100", "soon", "99999999999", "-5"]
)
def test_a_retry_after_that_names_no_time_somnet_can_tell_is_left_out(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    retry_after: str,
) -> None:
    """A Retry-After past the last year Python can tell in UTC (9999-12-31 at -01:00) raised
    OverflowError out of the sync, a traceback; one that is no time is left out too."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    server.fault(
        SIGNED, Fault("status", status=429, headers=(f"Retry-After: {retry_after}".encode(),))
    )
    code, line = _first_sync(capsys, server, keys, folder)
    assert code == 1
    assert line == (
        f"somnet: {server.url}{SIGNED[1:]}: fetching the signed manifest: HTTP 429 Too Many "
        "Requests; nothing was installed"
    ), line


def test_a_503_asking_past_the_deadline_is_not_tried_again_and_says_when(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    """Service Unavailable, as any 5xx, is tried again (``--attempts``), no sooner than the
    server asks: a Retry-After of an hour past the deadline (300 s) is neither waited for,
    which would hold a scheduled sync for an hour, nor met by asking again in a second. The
    line says when the server asked to be asked again."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    server.fault(SIGNED, Fault("status", status=503, headers=(b"Retry-After: 3600",)))
    code, line = _first_sync(capsys, server, keys, folder, "--attempts", "2")
    assert code == 1
    assert line == (
        f"somnet: --deadline: {server.url}{SIGNED[1:]}: fetching the signed manifest: "
        "the server answered "
        "HTTP 503 Service Unavailable (the server asks to be asked again after 3600 s); no time "
        "is left for another attempt before the deadline of 300 s; nothing was installed"
    ), line
    assert server.paths() == [SIGNED]


@pytest.mark.parametrize("where", ["manifest", "bundle"])
def test_an_empty_200_is_said_to_be_empty_and_installs_nothing(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    where: str,
) -> None:
    """200 OK with Content-Length: 0: the manifest was "not JSON (at line 1, column 1)"; it
    is said to be empty. The bundle is refused by its size. Exit 2, nothing installed."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    bundle = "/" + site_manifest(site).bundle.name
    path = SIGNED if where == "manifest" else bundle
    server.fault(path, Fault("empty"))
    code, line = _first_sync(capsys, server, keys, folder)
    assert code == 2
    if where == "manifest":
        assert line == (
            f"somnet: {server.url}{SIGNED[1:]}: the server answered with an empty body (0 bytes) "
            "where the signed manifest belongs; nothing was installed"
        ), line
    else:
        assert line.startswith(
            f"somnet: {server.url}{bundle[1:]}: the bundle has 0 bytes, all the server announced "
            "(Content-Length), its manifest announces "
        ), line
