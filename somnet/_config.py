"""The user's configuration: home state, cache and data folders.

Read from the environment first, then from ``config.toml`` in the user config directory
(platformdirs), so that an officer sets the home state once::

    # ~/.config/somnet/config.toml
    home_state = "BS"
    language = "es"      # en, es or fr: text output (after the command line and SOMNET_LANG)
    notice_days = 2      # working days of notice a meeting gives every participant
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from somnet._exceptions import BadInputError, SomnetError
from somnet._given import checked_kinds
from somnet._i18n import SOURCE_LANGUAGE, _, available_languages, normalise, set_language

HOME_STATE_ENV = "SOMNET_HOME_STATE"
#: The environment variable that chooses the language, after the command line.
LANGUAGE_ENV = "SOMNET_LANG"
#: The keys config.toml may hold.
CONFIG_KEYS = frozenset({"home_state", "language", "notice_days"})
CONFIG_ENV = "SOMNET_CONFIG"
CACHE_ENV = "SOMNET_CACHE_DIR"
DATA_HOME_ENV = "SOMNET_DATA_HOME"
SYNC_DIR_ENV = "SOMNET_SYNC_DIR"
#: The user data dir's variable (on Linux and the BSDs), where SOMNET_DATA_HOME is not set.
XDG_DATA_HOME_ENV = "XDG_DATA_HOME"
#: The file in the sync folder that says which synced copy is installed.
SYNC_STATE_NAME = "state.json"


def config_path() -> Path:
    """The configuration file: ``SOMNET_CONFIG``, else ``config.toml`` in the user config dir.

    Raises:
        BadInputError: ``SOMNET_CONFIG`` is a relative path.
    """
    value = os.environ.get(CONFIG_ENV)
    if value:
        return path_from_env(CONFIG_ENV, value, folder=False)
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
        content = _read_bytes(path)
    except IsADirectoryError:
        raise BadInputError(
            _("{path}: a folder, not a configuration file").format(path=path),
            field=CONFIG_ENV if os.environ.get(CONFIG_ENV) else None,
            value=str(path),
        ) from None
    except FileNotFoundError:
        if os.environ.get(CONFIG_ENV):
            # A mistyped name would otherwise silently leave the home state unset.
            raise BadInputError(
                _("{variable} names {path}, which does not exist").format(
                    variable=CONFIG_ENV, path=path
                )
            ) from None
        return {}
    except OSError as exc:
        raise BadInputError(
            _("{path}: cannot read the configuration: {error}").format(
                path=path, error=exc.strerror or exc
            )
        ) from exc
    # The TOML reader only when there is a file to read (most runs have none).
    import tomllib

    try:
        # utf-8-sig: editors on Windows save a byte-order mark (the data files accept it too).
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInputError(
            _("{path}: not UTF-8 text (invalid byte at offset {offset})").format(
                path=path, offset=exc.start
            )
        ) from None
    try:
        config = tomllib.loads(text)
    except RecursionError:
        raise BadInputError(
            _("{path}: cannot read the configuration: values nested too deeply").format(path=path)
        ) from None
    except tomllib.TOMLDecodeError as exc:
        # Where it breaks, in the language in use, as for the data files.
        from somnet.directory.files import toml_problem

        raise BadInputError(toml_problem(str(path), exc)) from exc
    unknown = sorted(set(config) - CONFIG_KEYS)
    if unknown:
        # A mistyped key would silently leave the home state unset.
        raise BadInputError(
            _("{path}: $.{key}: unknown key; the configuration knows {keys}").format(
                path=path, key=unknown[0], keys=", ".join(sorted(CONFIG_KEYS))
            )
        )
    return config


def _key(name: str) -> str:
    """A key of the configuration file, for messages: ``FILE: key``, the colon set as the
    language in use sets it."""
    return _("{where}: {message}").format(where=str(config_path()), message=name)


#: No configuration is this large: a file that is (a device such as /dev/zero) is refused.
MAX_CONFIG_BYTES = 1_000_000


def _read_bytes(path: Path) -> bytes:
    """The configuration file's bytes, read without waiting for a writer (a named pipe) or
    for ever (a device that never ends); /dev/null reads as an empty configuration.

    Raises:
        BadInputError: a named pipe or a socket, or more than ``MAX_CONFIG_BYTES``.
        OSError: it cannot be read (IsADirectoryError, FileNotFoundError...).
    """
    import stat

    if stat.S_ISFIFO(mode := os.stat(path).st_mode) or stat.S_ISSOCK(mode):
        raise BadInputError(
            _("{path}: a named pipe or a socket, not a configuration file").format(path=path),
            field=CONFIG_ENV if os.environ.get(CONFIG_ENV) else None,
            value=str(path),
        )
    with open(path, "rb") as stream:
        content = stream.read(MAX_CONFIG_BYTES + 1)
    if len(content) > MAX_CONFIG_BYTES:
        raise BadInputError(
            _("{path}: more than {size} bytes: not a configuration file").format(
                path=path, size=MAX_CONFIG_BYTES
            ),
            field=CONFIG_ENV if os.environ.get(CONFIG_ENV) else None,
            value=str(path),
        )
    return content


def home_state() -> tuple[str | None, str]:
    """The configured home state and where it was set (for messages), or (None, "")."""
    value = os.environ.get(HOME_STATE_ENV, "").strip()
    if value:
        return value, HOME_STATE_ENV
    configured = read_config().get("home_state")
    if configured is None:
        return None, ""
    if not isinstance(configured, str) or not configured.strip():
        raise BadInputError(
            _("{path}: home_state: expected a state code like 'BS'").format(path=config_path())
        )
    return configured, _key("home_state")


def configured_language() -> tuple[str | None, str]:
    """The language set in config.toml and where it was set (for messages), or (None, "").

    Raises:
        BadInputError: it is not text.
    """
    configured = read_config().get("language")
    if configured is None:
        return None, ""
    where = _key("language")
    if not isinstance(configured, str):
        raise BadInputError(_("expected a language code like 'es'"), field=where)
    return configured, where


def choose_language(given: str | None = None) -> str:
    """The language to speak: ``given`` (the command line's), else ``SOMNET_LANG``, else
    ``language`` in config.toml, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``) when
    somnet speaks it, else English. The choice is made the language in use.

    Args:
        given: the language asked for explicitly, if any.

    Returns:
        The language now in use.

    Raises:
        UnknownLanguageError: ``given``, ``SOMNET_LANG`` or the configured language is one
            somnet does not speak (the field names which). A locale somnet does not speak is
            not an error: it falls back to English.
        BadInputError: the configuration file cannot be read.
    """
    try:
        if given is not None:
            return set_language(given, field="language")
        from_env = os.environ.get(LANGUAGE_ENV, "").strip()
        if from_env:
            return set_language(from_env, field=LANGUAGE_ENV)
        configured, where = configured_language()
        if configured is not None:
            return set_language(configured, field=where)
    except SomnetError:
        # No language could be taken from what was asked (a configuration that cannot be
        # read, a language somnet does not speak): the error is told in the locale's.
        set_language(_locale_language())
        raise
    return set_language(_locale_language())


def _locale_language() -> str:
    """The language the locale asks for (``LC_ALL``, ``LC_MESSAGES``, ``LANG``) when somnet
    speaks it, else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").strip()
        if value:
            wanted = normalise(value)
            return wanted if wanted in available_languages() else SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


class Setting(int):
    """A whole number read from config.toml that knows where it was set (``where``, the file
    and key), so that an error it causes later names the file and key, not a flag."""

    where: str

    def __new__(cls, value: int, where: str) -> Setting:
        setting = super().__new__(cls, value)
        setting.where = where
        return setting


def notice_days() -> int | None:
    """The working days of notice meetings give by default (``notice_days`` in config.toml),
    or None when it is not set; a :class:`Setting` whose ``where`` names the file and key.

    Raises:
        BadInputError: it is not a whole number of days, 0 or more.
    """
    configured = read_config().get("notice_days")
    if configured is None:
        return None
    if type(configured) is not int or configured < 0:
        from somnet._convert import as_written

        raise BadInputError(
            _(
                "{path}: notice_days: expected a whole number of working days, 0 or more, "
                "got {value}"
            ).format(path=config_path(), value=as_written(configured)[:80])
        )
    return Setting(configured, _key("notice_days"))


def path_from_env(variable: str, value: str, *, folder: bool = True) -> Path:
    """The file or folder ``value``, set in the environment variable ``variable``, names
    (``~`` is the home folder). Every path somnet reads from the environment is absolute: set
    once in a profile, a relative one would name another file or folder in each working
    folder (and keep records there). A flag may be relative: it is read where it is typed.

    Args:
        variable: the environment variable, for the error.
        value: its value (or one of the folders it lists).
        folder: whether it names a folder (else a file), for the error.

    Raises:
        BadInputError: (field ``variable``) a relative path (a space alone, a misquoted line
            in a profile).
    """
    path = Path(value).expanduser()
    if not path.is_absolute():
        if folder:
            reason = _(
                "{value}: a relative path, which would name another folder in each working "
                "folder; give an absolute one"
            )
        else:
            reason = _(
                "{value}: a relative path, which would name another file in each working "
                "folder; give an absolute one"
            )
        raise BadInputError(reason.format(value=repr(value[:80])), field=variable, value=value)
    return path


def _folder_from_env(variable: str) -> Path | None:
    """The folder an environment variable names (``~`` is the home folder), or None when it
    is not set.

    Raises:
        BadInputError: (field ``variable``) a relative path (:func:`path_from_env`), or a
            file where the folder, or one that would hold it, goes.
    """
    value = os.environ.get(variable)
    if not value:
        return None
    from somnet._files import refuse_file_for_folder

    folder = path_from_env(variable, value)
    # A command would find the folder empty, or fail to write in it as if the disk had.
    refuse_file_for_folder(folder, variable, value)
    return folder


def cache_dir() -> Path:
    """Where the loaded directory is cached: ``SOMNET_CACHE_DIR``, else the user cache dir.

    Raises:
        BadInputError: ``SOMNET_CACHE_DIR`` is a relative path.
    """
    folder = _folder_from_env(CACHE_ENV)
    if folder is not None:
        return folder
    import platformdirs

    return Path(platformdirs.user_cache_dir("somnet"))


def data_home(*, checked: bool = True) -> Path:
    """Where somnet keeps its own records (meetings, synced directory): ``SOMNET_DATA_HOME``,
    else the user data dir.

    Args:
        checked: refuse a file where the user data dir (in ``XDG_DATA_HOME``) goes; False
            where the data home is only looked in, so that a command that can do without it
            still runs.

    Raises:
        BadInputError: ``SOMNET_DATA_HOME`` is a relative path or a file (or inside one);
            ``checked`` and ``XDG_DATA_HOME`` is a file (or inside one).
    """
    folder = _folder_from_env(DATA_HOME_ENV)
    if folder is not None:
        return folder
    import platformdirs

    folder = Path(platformdirs.user_data_dir("somnet"))
    value = os.environ.get(XDG_DATA_HOME_ENV, "")
    # Other programs' variable too: named when it is the cause, as somnet's own would be.
    if checked and value.strip() and folder.is_relative_to(value):
        from somnet._files import refuse_file_for_folder

        refuse_file_for_folder(folder, XDG_DATA_HOME_ENV, value)
    return folder


def cache_key_path() -> Path:
    """The user's secret that signs the directory cache (``cache.key`` in the data home):
    a cache file is read only if it was written with it."""
    # Not checked: without its key the cache is not used, and the command says so.
    return data_home(checked=False) / "cache.key"


@checked_kinds()
def sync_dir(*, checked: bool = True) -> Path:
    """Where the synced copy lives: ``SOMNET_SYNC_DIR``, else ``synced`` in the data home.

    Args:
        checked: as for :func:`data_home`.

    Raises:
        BadInputError: ``SOMNET_SYNC_DIR`` (or ``SOMNET_DATA_HOME``) is a relative path or a
            file; ``checked`` and ``XDG_DATA_HOME`` is a file.
    """
    folder = _folder_from_env(SYNC_DIR_ENV)
    return folder if folder is not None else data_home(checked=checked) / "synced"


def sync_installed() -> bool:
    """Whether a synced copy has ever been installed (cheap: one stat, no import of the sync
    code), so that commands skip the sync module entirely on the common path."""
    # Not checked: nothing is installed under a file, and the shipped directory is read. The
    # state itself, not what it links to: a link to nowhere is a state the sync code names as
    # damaged, not a folder where nothing was ever synced.
    try:
        os.lstat(sync_dir(checked=False) / SYNC_STATE_NAME)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        # There, as far as can be told (a folder closed to this user): the sync code reads it,
        # and says why it cannot.
        return True
    return True
