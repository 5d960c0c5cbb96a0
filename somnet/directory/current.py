"""The directory as every command reads it: the synced copy of a shared directory when one is
installed (else the shipped data), the user's overlays, and the user's cache. A script that
calls ``somnet.load_directory()`` sees what ``somnet contact`` sees."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

from somnet._exceptions import BadInputError
from somnet._given import checked_kinds
from somnet._i18n import _

if TYPE_CHECKING:
    from somnet.directory.files import Replacement
    from somnet.directory.lookup import Directory

#: ``cache_dir`` default: the user's cache folder (``SOMNET_CACHE_DIR``), unless
#: ``SOMNET_NO_CACHE`` is set.
USER_CACHE: Final = "user cache"
NO_CACHE_ENV = "SOMNET_NO_CACHE"

_Loaded = TypeVar("_Loaded")


@checked_kinds()
def load_directory(
    overlays: Iterable[str | Path] = (),
    *,
    base: str | Path | None = None,
    use_env: bool = True,
    today: date | None = None,
    cache_dir: str | Path | None = USER_CACHE,
    synced: bool = True,
) -> Directory:
    """Load, merge and validate the directory, as the commands do.

    Args:
        overlays: folders laid over the base, in order; later ones win (one folder may be
            given alone).
        base: the first layer; by default the installed synced copy of a shared directory
            (falling back to the previous good copy, then the shipped data, with a warning,
            when it no longer loads), else the shipped directory.
        use_env: also lay the folders named in ``SOMNET_DATA`` over the base, before
            ``overlays``.
        today: the date ``last_verified`` may not be after (default: the one clock's latest
            date anywhere on Earth now).
        cache_dir: where to keep the validated directory between runs: the user's cache folder
            by default, a folder, or None for no cache.
        synced: whether a synced copy may be the base (ignored when ``base`` is given).

    Returns:
        The merged, validated Directory; its ``warnings`` say what the user must know (a
        synced copy that fell back), and ``synced_copy_warnings`` what concerns the synced copy
        itself (expired, missing).

    Raises:
        BadInputError: an overlay that is not a folder (its ``field`` is ``overlays``), an
            empty ``base`` or ``cache_dir`` (never read as the working folder), a ``cache_dir``
            that is a file or inside one, a ``today`` that is not a date.
        DirectoryError: with every problem found, each naming its file and field; a ``base``
            that is not a folder is one, whose ``field`` is ``base``.
    """
    from somnet.directory import loading

    _check_today(today)
    folders = _overlays(overlays, use_env)
    cache = _cache(cache_dir)

    def over(layer: Path | None) -> Directory:
        # SOMNET_DATA's folders are among ``folders`` already (each laid once).
        return loading.load_directory(
            _besides(folders, layer), base=layer, use_env=False, today=today, cache_dir=cache
        )

    return _with_synced_copy(over, base, synced, lambda d: d)


@checked_kinds()
def check_directory(
    overlays: Iterable[str | Path] = (),
    *,
    base: str | Path | None = None,
    use_env: bool = True,
    today: date | None = None,
    synced: bool = True,
) -> tuple[Directory, list[Replacement]]:
    """The directory as :func:`load_directory` reads it, every file read afresh, and the
    records a later layer replaced in an earlier one (what ``directory validate`` lists).

    Overlays that the installed synced copy refuses, though it loads by itself, are refused
    here too (not checked over an older copy, as the commands fall back to).

    Raises:
        BadInputError: an overlay that is not a folder, an empty ``base``, a ``today`` that
            is not a date.
        DirectoryError: with every problem found; a ``base`` that is not a folder is one,
            whose ``field`` is ``base``.
    """
    from somnet._exceptions import DirectoryError
    from somnet.directory import loading

    _check_today(today)
    folders = _overlays(overlays, use_env)
    # Only the synced copy, when it is the base, gives way to older ones.
    layered = base is None and synced and bool(folders)
    tried: list[Path | None] = []

    def over(layer: Path | None) -> tuple[Directory, list[Replacement]]:
        tried.append(layer)
        try:
            return loading.check_directory(
                _besides(folders, layer), base=layer, use_env=False, today=today
            )
        except DirectoryError as exc:
            # The installed synced copy refuses the overlays, though it loads by itself: the
            # overlays are at fault, and validating them over an older copy would call them
            # valid. Only a copy broken by itself gives way, as for every command.
            if layer is None or len(tried) > 1 or not layered:
                raise
            try:
                loading.check_directory([], base=layer, use_env=False, today=today)
            except DirectoryError:
                raise exc from None
            raise _OverlaysRefused(exc) from None

    try:
        return _with_synced_copy(over, base, synced, lambda found: found[0])
    except _OverlaysRefused as refused:
        raise refused.error from None


class _OverlaysRefused(Exception):
    """The installed synced copy loads by itself but not with the overlays (their problems in
    ``error``): raised past the fall-back to older copies."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def _overlays(overlays: Iterable[str | Path], use_env: bool) -> list[Path]:
    """The overlay folders to lay, in order: when ``use_env``, those named in ``SOMNET_DATA``,
    then those given; each checked to be a folder that holds data files (named as coming from
    ``SOMNET_DATA`` when it does), and each laid once, where it comes last.

    A folder laid twice (in ``SOMNET_DATA`` and given again) would replace each of its own
    records by itself; laid where it comes last, every record reads as it did.
    """
    from somnet._files import one_or_many
    from somnet.directory.loading import DATA_ENV, overlay_dirs_from_env

    given = one_or_many(overlays, "overlays")
    for text in given:
        # Path("") is the working folder: an unset variable would lay it over the directory.
        if not str(text).strip():
            raise BadInputError(
                _("an empty folder name; give the overlay's folder"),
                field="overlays",
                value=str(text),
            )
    folders = [Path(p) for p in given]
    named = [(DATA_ENV, f) for f in overlay_dirs_from_env()] if use_env else []
    from somnet.directory.layers import layer_refusal, not_a_folder

    laid = [*named, *(("overlays", f) for f in folders)]
    for field, folder in laid:
        # A folder that is no layer (the root folder given as one) is the argument's fault, as a
        # file is.
        refusal = not_a_folder(folder) or layer_refusal(folder)
        if refusal is not None:
            raise BadInputError(refusal, field=field, value=str(folder))
    once: list[Path] = []
    seen: set[str] = set()
    for _field, folder in reversed(laid):
        where = os.path.realpath(folder)
        if where not in seen:
            seen.add(where)
            once.append(folder)
    return once[::-1]


def _refuse_no_folder(folder: Path, field: str) -> None:
    """Refuse a base ``folder`` that is no folder (nothing there, a file, a link that leads
    nowhere) naming ``field``: the argument is wrong, not the directory's files. A
    ``DirectoryError`` still, with its one problem, as the callers that load a copy expect.

    Raises:
        DirectoryError: naming ``field``, with the folder as ``value``.
    """
    from somnet._exceptions import DirectoryError
    from somnet.directory.layers import not_a_folder

    refusal = not_a_folder(folder)
    if refusal is not None:
        raise DirectoryError([refusal], field=field, value=str(folder))


def _besides(folders: list[Path], base: Path | None) -> list[Path]:
    """The overlay folders but the base itself (None: the shipped folder) named again: laid
    once, as the base, rather than each of its records replacing itself."""
    from somnet.directory.loading import shipped_data_dir

    where = os.path.realpath(shipped_data_dir() if base is None else base)
    return [folder for folder in folders if os.path.realpath(folder) != where]


def _check_today(today: date | None) -> None:
    """Refuse a ``today`` that is not a day (a time, a text)."""
    if today is not None:
        from somnet._convert import not_a_date

        refusal = not_a_date(today)
        if refusal is not None:
            raise BadInputError(refusal, field="today", value=today)


def _cache(cache_dir: str | Path | None) -> Path | None:
    if cache_dir != USER_CACHE:
        if cache_dir is None:
            return None
        from somnet._files import refuse_empty, refuse_file_for_folder

        refuse_empty(cache_dir, "cache_dir")
        # Given, it is meant to be used: a file there would leave every load uncached, unsaid,
        # where SOMNET_CACHE_DIR naming one is refused.
        refuse_file_for_folder(Path(cache_dir), "cache_dir", cache_dir)
        return Path(cache_dir)
    if os.environ.get(NO_CACHE_ENV):
        return None
    from somnet._config import cache_dir as user_cache_dir

    return user_cache_dir()


def _with_synced_copy(
    load: Callable[[Path | None], _Loaded],
    base: str | Path | None,
    synced: bool,
    directory_of: Callable[[_Loaded], Directory],
) -> _Loaded:
    """``load`` over the given base, else over the synced copy when one is installed (with its
    fallbacks and warnings), else over the shipped data."""
    if base is not None:
        from somnet._files import refuse_empty

        refuse_empty(base, "base")
        _refuse_no_folder(Path(base), "base")
    if base is not None or not synced:
        return load(None if base is None else Path(base))
    from somnet._config import sync_installed

    # A stat: the sync modules are not even imported unless a copy was ever installed.
    if not sync_installed():
        return load(None)
    from somnet.sharing.installed import installed_base, load_over_installed, synced_copy_warnings

    installed = installed_base()
    if installed is None:
        loaded = load(None)
    else:
        loaded, fallbacks = load_over_installed(load, installed)
        directory_of(loaded).warnings += tuple(fallbacks)
    # Judged after the cache is written, so that an expiry is never served from the cache.
    layers = directory_of(loaded).layers
    directory_of(loaded).synced_copy_warnings = tuple(
        synced_copy_warnings(reading=layers[0] if layers else None)
    )
    return loaded
