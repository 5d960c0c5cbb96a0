"""Loading the directory from its layers: the shipped data (or a synced copy), then overlays.

A layer is a folder with the layout of ``data/``: any ``*.toml`` files below it. The shipped
directory is the first layer; overlays (``SOMNET_DATA``, then those given) come after it, and a
later layer replaces records by id and adds new ones. Every problem found is reported, not only
the first, as ``FILE: $.path.to.field: what``.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from somnet._exceptions import DirectoryError
from somnet._i18n import problems_text
from somnet.directory.lookup import Directory

if TYPE_CHECKING:
    from somnet.directory.files import Layer, Merged, Replacement
    from somnet.directory.records import ConsularChannel, FilledGap

from somnet.directory.cache import cache_file as cache_file_of
from somnet.directory.cache import cache_key, cache_secret, read_cache, write_cache

#: Environment variable naming overlay folders, separated by ``os.pathsep``.
DATA_ENV = "SOMNET_DATA"


def shipped_data_dir() -> Path:
    """The directory shipped with somnet: inside the installed package, else the source tree."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "data"
    if (packaged / "states").is_dir():
        return packaged
    # A checkout (an editable install): the folder beside the package, found without
    # importlib.resources, which imports tempfile, zipfile and more on every command.
    source = package.parent / "data"
    if (package.parent / "pyproject.toml").is_file() and (source / "states").is_dir():
        return source
    try:
        from importlib.resources import files

        resource = Path(str(files("somnet.data")))
        if (resource / "states").is_dir():
            return resource
    except (ModuleNotFoundError, TypeError):
        pass
    return package.parent / "data"


def overlay_dirs_from_env(environ: dict[str, str] | None = None) -> list[Path]:
    """The overlay folders named in ``SOMNET_DATA`` (empty parts ignored; ``~`` is the home
    folder).

    Raises:
        BadInputError: (field ``SOMNET_DATA``) a relative folder, as for every path read from
            the environment (``somnet._config.path_from_env``).
    """
    from somnet._config import path_from_env

    value = (os.environ if environ is None else environ).get(DATA_ENV, "")
    return [path_from_env(DATA_ENV, part) for part in value.split(os.pathsep) if part.strip()]


def load_directory(
    overlays: Iterable[str | Path] = (),
    *,
    base: str | Path | None = None,
    use_env: bool = True,
    today: date | None = None,
    cache_dir: str | Path | None = None,
) -> Directory:
    """Load, merge and validate the directory.

    Args:
        overlays: folders laid over the base, in order; later ones win.
        base: the first layer; the shipped directory when None.
        use_env: also lay the folders named in ``SOMNET_DATA`` over the base, before
            ``overlays``.
        today: the date ``last_verified`` may not be after (default: the latest date anywhere
            on Earth now, by the one clock of ``somnet._clock``, as ``sync`` validates).
        cache_dir: where to keep the validated directory between runs, keyed on the path,
            size, modification time and content of every file of every layer (and on
            somnet's own code); no cache when None.

    Returns:
        The merged, validated Directory.

    Raises:
        DirectoryError: with every problem found, each naming its file and field.
    """
    folders = _folders(overlays, base, use_env)
    with _collector_paused():
        return _load(folders, today, cache_dir)


def _folders(overlays: Iterable[str | Path], base: str | Path | None, use_env: bool) -> list[Path]:
    folders = [Path(base) if base is not None else shipped_data_dir()]
    if use_env:
        folders += overlay_dirs_from_env()
    return folders + [Path(o) for o in overlays]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading allocates hundreds of thousands of objects at global scale and leaves no garbage
    cycles: the cyclic garbage collector would only scan the growing heap again and again (a
    tenth of a first load, two thirds of reading the cache). Reference counting still frees
    everything dropped; collections resume, if they were on, when the load is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(folders: list[Path], today: date | None, cache_dir: str | Path | None) -> Directory:
    if today is None:
        from somnet._clock import latest_date

        today = latest_date()
    cache_file = key = secret = None
    warnings: list[str] = []
    if cache_dir is not None:
        cache_file = cache_file_of(Path(cache_dir), folders)
        secret, problem = cache_secret()
        if problem is not None:
            warnings.append(problem)
        if secret is not None:
            years = holiday_years(today)
            key = cache_key(folders, years)
            cached = read_cache(cache_file, key, secret)
            # Validation refuses dates after the day it runs on, so what it accepted on a day
            # it accepts on every later one: a directory validated yesterday is served today.
            # One validated on a later day (a test's, a clock set back) is validated again.
            if cached is not None and cached.validated_on <= today:
                return cached
    directory, _ = _build(folders, today)
    if cache_file is not None and key is not None and secret is not None:
        # The calendars a plan made around today needs (the day's next openings included),
        # kept in the cache with the records; their years are part of the key.
        directory.look_up_holidays(years)
        write_cache(cache_file, key, directory, secret)
    directory.warnings += tuple(warnings)  # after the cache is written: never served from it
    return directory


#: The days around the load's day whose public holidays the cache keeps.
_DAYS_BACK, _DAYS_AHEAD = timedelta(days=2), timedelta(days=31)


def holiday_years(today: date) -> range:
    """The years whose public holidays the cache keeps for a load on ``today``: those of the
    days a plan made today looks at (its next openings), from two days back to a month ahead."""
    return range((today - _DAYS_BACK).year, (today + _DAYS_AHEAD).year + 1)


def _build(folders: list[Path], today: date) -> tuple[Directory, list[Replacement]]:
    """Read, merge and validate the layers (no cache), and what later layers replaced."""
    # Not needed when the cache serves: reading TOML, the converter, validation.
    from somnet.directory.files import merge_layers, read_layer
    from somnet.directory.validation import validate

    layers: list[Layer] = []
    problems: list[str] = []
    for folder in folders:
        layer, found = read_layer(folder)
        layers.append(layer)
        problems += found
    merged, found = merge_layers(layers)
    problems += found
    problems += _states_missing(layers, merged)
    warnings: list[str] = []
    filled_gaps: list[FilledGap] = []
    problems += validate(merged, today=today, warnings=warnings, filled_gaps=filled_gaps)
    if problems:
        # The merge and the validation can see the same duplicate: report it once.
        once = list(dict.fromkeys(problems))
        raise DirectoryError(once, reason=problems_text(once) if len(once) > 1 else None)
    directory = Directory(
        states=(s for s, _, _ in merged.states.values()),
        agencies=(a for a, _, _ in merged.agencies.values()),
        agreements=(a for a, _, _ in merged.agreements.values()),
        consular=_consular_served(merged),
        sar_regions=(r for r, _, _ in merged.sar_regions.values()),
        layers=folders,
        warnings=warnings,
        filled_gaps=filled_gaps,
        validated_on=today,
    )
    return directory, merged.replacements


def _consular_served(merged: Merged) -> Iterator[ConsularChannel]:
    """The consular records as the directory serves them: a "none" left out of the receiving
    states where a later layer's mission took its place (and out of the directory when that
    leaves it none)."""
    import attrs

    for key, (channel, _label, _path) in merged.consular.items():
        gone = merged.superseded.get(key)
        if gone:
            receiving = tuple(code for code in channel.receiving if code not in gone)
            if not receiving:
                continue
            channel = attrs.evolve(channel, receiving=receiving)
        yield channel


def _states_missing(layers: list[Layer], merged: Merged) -> list[str]:
    """A state file (``states/XX.toml``) without its ``[state]`` table where no layer holds
    XX: named once, at the table. XX then counts as held, as it does when the file's state
    has another code (a typo, named by the validation), so that the records of XX and the
    posts there are not each told that the directory holds no XX. An overlay's state file
    may hold agencies alone: the state is then another layer's."""
    from somnet._codes import is_state_code
    from somnet._i18n import _

    problems: list[str] = []
    for layer in layers:
        for label, record, _positions in layer.files:
            path = Path(label)
            code = path.stem
            if (
                path.parent.name != "states"
                or not is_state_code(code)
                or code in merged.states
                or code in merged.broken
            ):
                continue
            if record.state is not None:
                # Its code is another (a typo: 'Jm'), which the validation names at the code.
                merged.broken.add(code)
            else:
                problems.append(
                    _(
                        "{file}: $.state: required field missing: no layer holds the state of "
                        "this state file, {code}"
                    ).format(file=label, code=code)
                )
                merged.broken.add(code)
    return problems


def check_directory(
    overlays: Iterable[str | Path] = (),
    *,
    base: str | Path | None = None,
    use_env: bool = True,
    today: date | None = None,
) -> tuple[Directory, list[Replacement]]:
    """Load the directory as :func:`load_directory` does, reading every file (no cache), and
    say which records the later layers replaced (``somnet directory validate``).

    Returns:
        The directory, and every replacement, in the order the layers were read.

    Raises:
        DirectoryError: with every problem found, each naming its file and field.
    """
    from somnet._clock import latest_date

    folders = _folders(overlays, base, use_env)
    with _collector_paused():
        return _build(folders, today or latest_date())
