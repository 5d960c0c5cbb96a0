"""Fixtures of the sharing tests: keys, a directory to publish, a site served on 127.0.0.1,
a sync folder, and version 1 installed in it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from somnet import generate_key_pair, publish_directory
from tests.factories import make_directory
from tests.sharing.helpers import (
    NOW,
    Certificate,
    HangingResolver,
    KeyPair,
    do_sync,
    make_certificate,
    snapshot,
)
from tests.sharing.proxy import Proxy, proxying
from tests.sharing.server import SiteServer, serving


@pytest.fixture(autouse=True)
def no_proxy_no_sync_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    """Traffic stays on loopback (no proxy from the environment, and no exception from it that
    would let a test's own proxy be bypassed), and the synced copy lives below the per-test
    data home."""
    for name in ("SOMNET_SYNC_DIR", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def hanging_resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[HangingResolver]:
    """A resolver that hangs once told to; its lookups end (and the patch goes) with the test."""
    resolver = HangingResolver(monkeypatch)
    yield resolver
    resolver.answer()


@pytest.fixture
def keys(tmp_path: Path) -> KeyPair:
    private = tmp_path / "keys" / "office"
    private.parent.mkdir(exist_ok=True)
    generate_key_pair(private, now=NOW)
    return KeyPair(private, private.with_name("office.pub"))


@pytest.fixture
def other_keys(tmp_path: Path) -> KeyPair:
    private = tmp_path / "keys" / "intruder"
    private.parent.mkdir(exist_ok=True)
    generate_key_pair(private, now=NOW)
    return KeyPair(private, private.with_name("intruder.pub"))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return make_directory(tmp_path / "data")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    return folder


@pytest.fixture
def server(site: Path) -> Iterator[SiteServer]:
    with serving(site) as running:
        yield running


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    """A forward proxy on 127.0.0.1, used only by a test that names it in the environment."""
    with proxying() as running:
        yield running


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "synced"


@pytest.fixture
def installed_v1(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, folder: Path
) -> dict[str, bytes]:
    """Version 1 published and synced: the copy every fault test must find unchanged."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    result = do_sync(server, keys, folder)
    assert result.outcome == "installed"
    server.clear()
    return snapshot(folder)


@pytest.fixture
def trust_file(tmp_path: Path, keys: KeyPair) -> Path:
    """The agency's trust file, named once to sync and edited as keys rotate."""
    path = tmp_path / "agency" / "trust"
    path.parent.mkdir()
    path.write_text(keys.public.read_text())
    return path


@pytest.fixture
def certificate(tmp_path: Path) -> Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost."""
    return make_certificate(tmp_path / "cert.pem", tmp_path / "key.pem", ["127.0.0.1", "localhost"])


@pytest.fixture
def https_server(site: Path, certificate: Certificate) -> Iterator[SiteServer]:
    with serving(site, tls=certificate.server_context()) as running:
        yield running


@pytest.fixture
def local_date_behind_utc() -> Iterator[None]:
    """The machine's local date is the day before the UTC date, as in Mexico City from 18:00
    (the whole region is UTC-4 to UTC-6): a zone 24 hours behind UTC, whatever the hour."""
    import time

    before = os.environ.get("TZ")
    os.environ["TZ"] = "XXX+24"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.fixture
def pseudo_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A language whose catalog changes every letter of every marked message."""
    from somnet import _i18n
    from tests.i18n_helpers import pseudo_catalog

    pseudo_catalog("xx", tmp_path / "locale")
    monkeypatch.setattr(_i18n, "LOCALE_DIR", str(tmp_path / "locale"))
    monkeypatch.setattr(_i18n, "_catalogs", {})
    return "xx"
