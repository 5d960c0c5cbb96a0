"""Every test runs with its own configuration, cache and data home, so that nothing a test does
touches the user's files, and no user setting changes a test's answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# The meeting tests' directory, clock and servers, for every test module that asks for them.
pytest_plugins = ["tests.meeting_fixtures", "tests.meeting_servers"]

# Shared, noisy machines: a property test must fail for a wrong answer, never for a slow one.
settings.register_profile(
    "somnet",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("somnet")


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("somnet-home")
    # An empty configuration: SOMNET_CONFIG naming a missing file is an error.
    (home / "config.toml").write_text("")
    monkeypatch.setenv("SOMNET_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("SOMNET_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("SOMNET_DATA_HOME", str(home / "data-home"))
    for name in (
        "SOMNET_DATA",
        "SOMNET_HOME_STATE",
        "SOMNET_NO_CACHE",
        "SOMNET_SYNC_DIR",
        "SOMNET_LANG",
        "NO_COLOR",
        # The machine's locale would choose the language of the text output (a maintainer in
        # Mexico runs the suite in Spanish): tests that want a locale set it themselves.
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
    ):
        monkeypatch.delenv(name, raising=False)
    # The language is the process's: a test that runs a command in Spanish must not leave the
    # next test speaking it.
    from somnet import _i18n

    _i18n.set_language("en")
    # The system's groups are asked once per process: each test simulates its own.
    from somnet import _groups

    _groups.group_of.cache_clear()
    yield home
    _i18n.set_language("en")
