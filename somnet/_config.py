"""The user's configuration: home state, cache and data folders.

Read from the environment first, then from ``config.toml`` in the user config directory
(platformdirs), so that an officer sets the home state once::

    # ~/.config/somnet/config.toml
    home_state = "BS"
    notice_days = 2      # working days of notice a meeting gives every participant
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from somnet._exceptions import BadInputError

HOME_STATE_ENV = "SOMNET_HOME_STATE"
#: The keys config.toml may hold.
CONFIG_KEYS = frozenset({"home_state", "notice_days"})
CONFIG_ENV = "SOMNET_CONFIG"
CACHE_ENV = "SOMNET_CACHE_DIR"
DATA_HOME_ENV = "SOMNET_DATA_HOME"
SYNC_DIR_ENV = "SOMNET_SYNC_DIR"
#: The file in the sync folder that says which synced copy is installed.
SYNC_STATE_NAME = "state.json"


def config_path() -> Path:
    """The configuration file: ``SOMNET_CONFIG``, else ``config.toml`` in the user config dir."""
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    import platformdirs

    return Path(platformdirs.user_config_dir("somnet")) / "config.toml"


def read_config() -> dict[str, Any]:
    """The configuration file's contents (empty when there is none).

    Raises:
        BadInputError: the file exists but is not valid TOML, or ``SOMNET_CONFIG`` names a file
            that does not exist.
    """
    path = config_path()
    try:
        with path.open("rb") as handle:
            config = tomllib.load(handle)
    except FileNotFoundError:
        if os.environ.get(CONFIG_ENV):
            # A mistyped name would otherwise silently leave the home state unset.
            raise BadInputError(f"{CONFIG_ENV} names {path}, which does not exist") from None
        return {}
    except RecursionError:
        raise BadInputError(
            f"{path}: cannot read the configuration: values nested too deeply"
        ) from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: cannot read the configuration: {exc}") from exc
    unknown = sorted(set(config) - CONFIG_KEYS)
    if unknown:
        # A mistyped key would silently leave the home state unset.
        raise BadInputError(
            f"{path}: $.{unknown[0]}: unknown key; the configuration knows "
            f"{', '.join(sorted(CONFIG_KEYS))}"
        )
    return config


def home_state() -> tuple[str | None, str]:
    """The configured home state and where it was set (for messages), or (None, "")."""
    value = os.environ.get(HOME_STATE_ENV, "").strip()
    if value:
        return value, HOME_STATE_ENV
    configured = read_config().get("home_state")
    if configured is None:
        return None, ""
    if not isinstance(configured, str):
        raise BadInputError(f"{config_path()}: home_state: expected a state code like 'BS'")
    return configured, f"{config_path()}: home_state"


def notice_days() -> int | None:
    """The working days of notice meetings give by default (``notice_days`` in config.toml),
    or None when it is not set.

    Raises:
        BadInputError: it is not a whole number of days, 0 or more.
    """
    configured = read_config().get("notice_days")
    if configured is None:
        return None
    if type(configured) is not int or configured < 0:
        raise BadInputError(
            f"{config_path()}: notice_days: expected a whole number of working days, 0 or more, "
            f"got {configured!r}"[:200]
        )
    return configured


def cache_dir() -> Path:
    """Where the loaded directory is cached: ``SOMNET_CACHE_DIR``, else the user cache dir."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    import platformdirs

    return Path(platformdirs.user_cache_dir("somnet"))


def data_home() -> Path:
    """Where somnet keeps its own records (meetings, synced directory): ``SOMNET_DATA_HOME``,
    else the user data dir."""
    if os.environ.get(DATA_HOME_ENV):
        return Path(os.environ[DATA_HOME_ENV])
    import platformdirs

    return Path(platformdirs.user_data_dir("somnet"))


def cache_key_path() -> Path:
    """The user's secret that signs the directory cache (``cache.key`` in the data home):
    a cache file is read only if it was written with it."""
    return data_home() / "cache.key"


def sync_dir() -> Path:
    """Where the synced copy lives: ``SOMNET_SYNC_DIR``, else ``synced`` in the data home."""
    if os.environ.get(SYNC_DIR_ENV):
        return Path(os.environ[SYNC_DIR_ENV])
    return data_home() / "synced"


def sync_installed() -> bool:
    """Whether a synced copy has ever been installed (cheap: one stat, no import of the sync
    code), so that commands skip the sync module entirely on the common path."""
    return (sync_dir() / SYNC_STATE_NAME).exists()
