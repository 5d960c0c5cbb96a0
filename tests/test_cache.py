"""The loader's cache: a repeated load is served from it, and anything that could change the
directory it holds invalidates it (a data file's content, time, a file added or removed, the
layers and their order, somnet's own code); a damaged cache file is rebuilt, never trusted.

Everything goes through ``load_directory`` on a small valid directory written in a temporary
folder. Whether a load was served from the cache is told by counting the data files it read.
"""

from __future__ import annotations

import os
import pickle
import stat
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from somnet import Directory, load_directory
from somnet._config import cache_key_path
from somnet.directory.files import read_toml
from tests.factories import SAMPLE_COUNTS, TODAY, make_directory, write_layer

BS = "states/BS.toml"


def cache_file_of(cache: Path, *layers: Path) -> Path:
    """The cache file of a set of layers, as the loader names it."""
    from somnet.directory.cache import cache_file

    return cache_file(cache, layers)


class Reads:
    """Counts the data files the loader reads."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0

        def counting(*args: Any) -> Any:
            self.count += 1
            return read_toml(*args)

        monkeypatch.setattr("somnet.directory.files.read_toml", counting)

    def during(self, load: Any) -> tuple[Directory, int]:
        before = self.count
        directory = load()
        return directory, self.count - before


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return make_directory(tmp_path / "data")


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    return Reads(monkeypatch)


def load(
    base: Path, *overlays: Path, cache: Path | None = None, use_env: bool = False
) -> Directory:
    return load_directory(overlays, base=base, use_env=use_env, today=TODAY, cache_dir=cache)


def answers(directory: Directory) -> tuple[Any, ...]:
    """What the directory holds and the questions routing asks of it."""
    return (
        sorted(directory.states.items()),
        directory.all_agencies(),
        directory.all_agreements(),
        directory.consular,
        directory.sar_regions,
        [a.id for a in directory.agencies(role="maritime-law-enforcement")],
        [a.id for a in directory.agencies(state="HT", role="consular")],
        [a.id for a in directory.agencies(role="consular", serving="BS")],
        [a.id for a in directory.agreements_between("US", "HT")],
        [c.type for c in directory.consular_channels(nationality="ER", receiving="HT")],
        [a.id for a in directory.rccs_for("BS")],
        directory.contact("bs-rbdf-ops"),
    )


def same_size_edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` (of the same length) in a file, keeping its time."""
    assert len(old.encode()) == len(new.encode())
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size


# Served from the cache ---------------------------------------------------------------------


def test_a_repeated_load_is_served_from_the_cache_and_answers_the_same(base, cache, reads):
    first, read = reads.during(lambda: load(base, cache=cache))
    assert read == len(list(base.rglob("*.toml")))
    assert (cache_file_of(cache, base)).is_file()
    second, read = reads.during(lambda: load(base, cache=cache))
    assert read == 0
    assert answers(second) == answers(first)
    assert len(second.all_agencies()) == SAMPLE_COUNTS["agencies"]
    # The indexes are served with the records, as references to the same objects.
    for agency in second.agencies(role="consular", serving="BS"):
        assert agency is second.agency(agency.id)


def test_the_same_layers_with_an_overlay_are_served_from_the_cache(tmp_path, base, cache, reads):
    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": [extra_agency()]}})
    first = load(base, overlay, cache=cache)
    second, read = reads.during(lambda: load(base, overlay, cache=cache))
    assert read == 0
    assert second.agency("bs-extra-unit") is not None
    assert answers(second) == answers(first)


def test_records_equal_in_the_files_are_served_equal_and_built_once(tmp_path, base, cache):
    """The same source cited by two records (as the shipped files cite one treaty record
    dozens of times) is read back once from the cache: equal, and one object."""
    second_agency = {**extra_agency("Second unit"), "id": "bs-second-unit"}
    overlay = write_layer(
        tmp_path / "overlay", {"extra.toml": {"agencies": [extra_agency(), second_agency]}}
    )
    first = load(base, overlay, cache=cache)
    served = load(base, overlay, cache=cache)
    assert answers(served) == answers(first)
    one, two = served.agency("bs-extra-unit"), served.agency("bs-second-unit")
    assert one is not None and two is not None
    assert one.sources == two.sources == first.agency("bs-second-unit").sources
    assert one.sources[0] is two.sources[0]
    # A record told apart by one field stays itself.
    assert served.agency("bs-extra-unit").name != served.agency("bs-second-unit").name


def test_sets_of_layers_used_in_turn_are_each_served_from_the_cache(tmp_path, base, cache, reads):
    """An officer who reads the shipped directory, then the same with a unit's overlay, then
    again without it, waits for the validation once per set, not at every switch."""
    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": [extra_agency()]}})
    alone, with_overlay = load(base, cache=cache), load(base, overlay, cache=cache)
    for _ in range(2):
        served, read = reads.during(lambda: load(base, cache=cache))
        assert read == 0 and answers(served) == answers(alone)
        served, read = reads.during(lambda: load(base, overlay, cache=cache))
        assert read == 0 and answers(served) == answers(with_overlay)
        assert served.agency("bs-extra-unit") is not None


def test_the_names_of_the_files_are_checked_when_they_are_read_not_when_served(
    tmp_path, base, cache, reads, monkeypatch
):
    """The names a layer may not hold (``états/``, two differing only by case) are checked
    where the files are read and validated: a directory served from the cache costs no check,
    and a file added or renamed since changes the key, so its name is checked then."""
    from somnet import DirectoryError
    from somnet.directory import files

    checked: list[Path] = []

    def name_problems(layer: Path, paths: Any) -> list[str]:
        checked.append(layer)
        return real(layer, paths)

    real = files.name_problems
    monkeypatch.setattr(files, "name_problems", name_problems)
    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": [extra_agency()]}})
    load(base, overlay, cache=cache)
    assert checked == [base, overlay]
    served, read = reads.during(lambda: load(base, overlay, cache=cache))
    assert read == 0 and checked == [base, overlay]
    assert served.agency("bs-extra-unit") is not None
    (overlay / "EXTRA.toml").write_bytes((overlay / "extra.toml").read_bytes())
    if (overlay / "Extra.toml").exists():
        pytest.skip("a case-insensitive file system holds one of the two files only")
    with pytest.raises(DirectoryError) as caught:
        load(base, overlay, cache=cache)
    assert checked == [base, overlay] * 2
    assert any(
        p.startswith(f"{overlay / 'EXTRA.toml'} and {overlay / 'extra.toml'}: ")
        for p in caught.value.problems
    )


def test_the_cache_keeps_the_sets_of_layers_used_last(tmp_path, base, cache, reads):
    from somnet.directory.cache import KEEP

    overlays = [
        write_layer(tmp_path / f"overlay{n}", {"extra.toml": {"agencies": [extra_agency()]}})
        for n in range(KEEP)
    ]
    load(base, cache=cache)
    for overlay in overlays[:2]:
        load(base, overlay, cache=cache)
    # Written two hours ago, in this order; then the shipped directory alone is used again.
    hours_ago = time.time_ns() - 2 * 3600 * 10**9
    for n, layers in enumerate([(base,), (base, overlays[0]), (base, overlays[1])]):
        os.utime(cache_file_of(cache, *layers), ns=(hours_ago + n, hours_ago + n))
    _, read = reads.during(lambda: load(base, cache=cache))
    assert read == 0
    for overlay in overlays[2:]:
        load(base, overlay, cache=cache)
    assert len(list(cache.glob("directory-*.pickle"))) == KEEP
    for layers in [(), (overlays[1],), (overlays[-1],)]:
        _, read = reads.during(lambda layers=layers: load(base, *layers, cache=cache))
        assert read == 0, layers
    _, read = reads.during(lambda: load(base, overlays[0], cache=cache))
    assert read > 0  # used longest ago: its file went first


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root"
)
def test_the_cache_never_removes_another_users_files(tmp_path, base, cache):
    """A cache folder shared by mistake (SOMNET_CACHE_DIR on a team share): this user's loads
    make room among their own files only."""
    from somnet.directory.cache import KEEP

    cache.mkdir()
    theirs = cache / "directory-0123456789abcdef.pickle"
    theirs.write_bytes(b"another user's cache")
    os.chown(theirs, 4242, 4242)
    os.utime(theirs, ns=(0, 0))  # used longest ago of all
    for n in range(KEEP + 1):
        overlay = write_layer(tmp_path / f"o{n}", {"extra.toml": {"agencies": [extra_agency()]}})
        load(base, overlay, cache=cache)
    assert theirs.read_bytes() == b"another user's cache"
    assert len([p for p in cache.glob("directory-*.pickle") if p != theirs]) == KEEP


def test_the_single_cache_file_of_older_versions_is_removed(base, cache):
    """Before each set of layers had its own file, the cache was one ``directory.pickle``: no
    version reads it any more, and it stayed in the folder for ever (75 MB at global scale).
    It goes when the cache is next written, as the files beyond the last sets used do."""
    cache.mkdir()
    older = cache / "directory.pickle"
    older.write_bytes(b"somnet-cache 1\n...")
    load(base, cache=cache)
    assert not older.exists()
    assert [p.name for p in cache.glob("*.pickle")] == [cache_file_of(cache, base).name]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root"
)
def test_the_single_cache_file_of_another_user_is_kept(base, cache):
    cache.mkdir()
    theirs = cache / "directory.pickle"
    theirs.write_bytes(b"another user's cache")
    os.chown(theirs, 4242, 4242)
    load(base, cache=cache)
    assert theirs.read_bytes() == b"another user's cache"


def test_what_a_command_adds_to_a_served_directory_does_not_reach_the_next_load(base, cache):
    load(base, cache=cache)
    served = load(base, cache=cache)
    served.warnings += ("the synced copy expired",)
    assert load(base, cache=cache).warnings == ()


def test_without_a_cache_folder_nothing_is_written_and_every_load_reads(tmp_path, base, reads):
    load(base)
    _, read = reads.during(lambda: load(base))
    assert read > 0
    assert not list(tmp_path.rglob("directory-*.pickle"))


# Anything that could change the directory invalidates the cache -----------------------------


def edit_content_keeping_size_and_time(base: Path, overlay: Path) -> None:
    same_size_edit(base / BS, "Ministry of Foreign Affairs", "Ministry of Foreign Affairz")


def touch(base: Path, overlay: Path) -> None:
    path = base / BS
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def add_a_file(base: Path, overlay: Path) -> None:
    write_layer(base, {"more/extra.toml": {"agencies": [extra_agency()]}})


def remove_a_file(base: Path, overlay: Path) -> None:
    (base / "sar.toml").unlink()


def rename_a_file(base: Path, overlay: Path) -> None:
    (base / "sar.toml").rename(base / "sar-regions.toml")


def edit_the_overlay(base: Path, overlay: Path) -> None:
    same_size_edit(overlay / "extra.toml", "Extra unit", "Extra Unit")


@pytest.mark.parametrize(
    "change",
    [
        edit_content_keeping_size_and_time,
        touch,
        add_a_file,
        remove_a_file,
        rename_a_file,
        edit_the_overlay,
    ],
)
def test_any_change_to_a_data_file_invalidates_the_cache(tmp_path, base, cache, reads, change):
    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": [extra_agency()]}})
    load(base, overlay, cache=cache)
    change(base, overlay)
    changed, read = reads.during(lambda: load(base, overlay, cache=cache))
    assert read > 0
    fresh = load_directory([overlay], base=base, use_env=False, today=TODAY)
    assert answers(changed) == answers(fresh)
    # And the cache now holds the changed directory.
    served, read = reads.during(lambda: load(base, overlay, cache=cache))
    assert read == 0
    assert answers(served) == answers(fresh)


def test_a_changed_name_is_seen_although_size_and_time_are_the_same(base, cache):
    assert load(base, cache=cache).agency("bs-mofa").name == "Ministry of Foreign Affairs"
    same_size_edit(base / BS, "Ministry of Foreign Affairs", "Ministerio de Foreign Affrs")
    assert load(base, cache=cache).agency("bs-mofa").name == "Ministerio de Foreign Affrs"


def test_each_set_and_order_of_layers_has_its_own_directory(tmp_path, base, cache, reads):
    first = write_layer(tmp_path / "first", {"a.toml": {"agencies": [extra_agency("First")]}})
    second = write_layer(tmp_path / "second", {"a.toml": {"agencies": [extra_agency("Second")]}})
    for overlays, name in [
        ((), None),
        ((first,), "First"),
        ((first, second), "Second"),
        ((second, first), "First"),
        ((second,), "Second"),
        ((), None),
    ]:
        directory, read = reads.during(lambda o=overlays: load(base, *o, cache=cache))
        assert read > 0
        agency = directory.agency("bs-extra-unit")
        assert (agency.name if agency else None) == name


def test_an_overlay_named_in_the_environment_is_a_layer_of_the_key(
    tmp_path, base, cache, reads, monkeypatch
):
    overlay = write_layer(tmp_path / "overlay", {"a.toml": {"agencies": [extra_agency()]}})
    assert load(base, cache=cache, use_env=True).agency("bs-extra-unit") is None
    monkeypatch.setenv("SOMNET_DATA", str(overlay))
    directory, read = reads.during(lambda: load(base, cache=cache, use_env=True))
    assert read > 0
    assert directory.agency("bs-extra-unit") is not None


def test_another_base_with_the_same_files_is_not_served_the_first_ones_directory(
    tmp_path, base, cache, reads
):
    load(base, cache=cache)
    other = make_directory(tmp_path / "other")
    directory, read = reads.during(lambda: load(other, cache=cache))
    assert read > 0
    assert directory.layers == (other,)


def test_a_cache_written_by_other_somnet_code_is_not_served(base, cache, reads, monkeypatch):
    load(base, cache=cache)
    monkeypatch.setattr("somnet.directory.cache._code_fingerprint", lambda: ["_model.py 1 2"])
    _, read = reads.during(lambda: load(base, cache=cache))
    assert read > 0


def test_the_key_knows_every_module_of_somnet_by_its_size_and_time() -> None:
    # An edit to any module, in any subpackage, must reach the key.
    import somnet
    from somnet.directory.cache import _code_fingerprint

    package = Path(somnet.__file__).resolve().parent
    modules = sorted(package.rglob("*.py"))
    parts = _code_fingerprint()[: len(modules)]
    expected = []
    for module in modules:
        status = module.stat()
        expected.append(
            f"{module.relative_to(package).as_posix()} {status.st_size} {status.st_mtime_ns}"
        )
    assert sorted(parts) == expected


def test_an_invalid_directory_is_never_cached_and_a_fixed_one_is(base, cache):
    path = base / BS
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace('"+12425550100"', '"+1242555010"'), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(Exception, match="not a valid telephone number"):
            load(base, cache=cache)
    assert not (cache_file_of(cache, base)).exists()
    path.write_text(good, encoding="utf-8")
    assert load(base, cache=cache).contact("bs-rbdf-ops") is not None
    assert (cache_file_of(cache, base)).is_file()


# A damaged cache is rebuilt ------------------------------------------------------------------


def garbage(cache_file: Path) -> None:
    cache_file.write_bytes(b"not a pickle at all")


def empty(cache_file: Path) -> None:
    cache_file.write_bytes(b"")


def truncated(cache_file: Path) -> None:
    content = cache_file.read_bytes()
    cache_file.write_bytes(content[: len(content) // 2])


def flipped_bytes(cache_file: Path) -> None:
    content = bytearray(cache_file.read_bytes())
    middle = len(content) // 2
    content[middle : middle + 16] = bytes(16)
    cache_file.write_bytes(bytes(content))


def header(cache_file: Path) -> bytes:
    """The cache file's first lines: its format, its key and its HMAC."""
    content = cache_file.read_bytes()
    lines = content.split(b"\n", 3)
    assert len(lines) == 4 and lines[0].startswith(b"somnet-cache")
    return b"\n".join(lines[:3]) + b"\n"


def key_then_something_else(cache_file: Path) -> None:
    cache_file.write_bytes(header(cache_file) + pickle.dumps(["not", "a", "directory"]))


def key_then_nothing(cache_file: Path) -> None:
    cache_file.write_bytes(header(cache_file))


def an_earlier_format(cache_file: Path) -> None:
    # Two pickles, the key then the directory, as somnet 0.1.0 wrote it.
    key = header(cache_file).split(b"\n")[1].decode()
    cache_file.write_bytes(pickle.dumps(key) + pickle.dumps(["a", "directory"]))


def a_folder(cache_file: Path) -> None:
    cache_file.unlink()
    cache_file.mkdir()


@pytest.mark.parametrize(
    "damage",
    [
        garbage,
        empty,
        truncated,
        flipped_bytes,
        key_then_something_else,
        key_then_nothing,
        an_earlier_format,
    ],
)
def test_a_damaged_cache_file_is_rebuilt(base, cache, reads, damage):
    first = load(base, cache=cache)
    damage(cache_file_of(cache, base))
    rebuilt, read = reads.during(lambda: load(base, cache=cache))
    assert read > 0
    assert answers(rebuilt) == answers(first)
    served, read = reads.during(lambda: load(base, cache=cache))
    assert read == 0
    assert answers(served) == answers(first)


def test_a_cache_that_cannot_be_written_only_costs_time(base, cache, reads):
    load(base, cache=cache)
    a_folder(cache_file_of(cache, base))
    for _ in range(2):
        directory, read = reads.during(lambda: load(base, cache=cache))
        assert read > 0
        assert len(directory.all_agencies()) == SAMPLE_COUNTS["agencies"]


# The cache runs no code: it is read only if this user wrote it ---------------------------------


class Planted:
    """What an attacker plants in a shared cache folder: a pickle that, loaded, makes a
    folder (a command as root, in the attack this stands for)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(self.marker),))


def test_a_pickle_planted_in_the_cache_folder_is_never_loaded(tmp_path, base, cache, reads):
    marker = tmp_path / "planted-code-ran"
    cache.mkdir()
    (cache_file_of(cache, base)).write_bytes(pickle.dumps(Planted(marker)))
    directory, read = reads.during(lambda: load(base, cache=cache))
    assert not marker.exists()
    assert read > 0 and len(directory.all_agencies()) == SAMPLE_COUNTS["agencies"]


def test_a_planted_payload_behind_a_genuine_header_is_never_loaded(tmp_path, base, cache, reads):
    marker = tmp_path / "planted-code-ran"
    load(base, cache=cache)
    cache_file = cache_file_of(cache, base)
    cache_file.write_bytes(header(cache_file) + pickle.dumps(Planted(marker)))
    _, read = reads.during(lambda: load(base, cache=cache))
    assert not marker.exists() and read > 0


def test_even_a_correctly_signed_cache_holds_only_directory_records(tmp_path, base, cache, reads):
    """Defence in depth: were the user's cache key stolen, the cache still builds nothing but
    the directory's own records."""
    import hashlib
    import hmac

    marker = tmp_path / "planted-code-ran"
    load(base, cache=cache)
    cache_file = cache_file_of(cache, base)
    magic, key, _ = header(cache_file).split(b"\n")[:3]
    payload = pickle.dumps(Planted(marker))
    secret = cache_key_path().read_bytes()
    mac = hmac.new(secret, magic + b"\n" + key + b"\n" + payload, hashlib.sha256).hexdigest()
    cache_file.write_bytes(magic + b"\n" + key + b"\n" + mac.encode() + b"\n" + payload)
    _, read = reads.during(lambda: load(base, cache=cache))
    assert not marker.exists() and read > 0


def test_a_cache_written_under_another_key_is_not_served(base, cache, reads):
    load(base, cache=cache)
    key = cache_key_path()
    assert key.is_file() and stat.S_IMODE(key.stat().st_mode) == 0o600
    key.unlink()  # another user's cache, or this user's made with a key since replaced
    _, read = reads.during(lambda: load(base, cache=cache))
    assert read > 0
    _, read = reads.during(lambda: load(base, cache=cache))
    assert read == 0


def chown_to_another_user(path: Path) -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    os.chown(path, 4242, 4242)


def make_writable_by_all(path: Path) -> None:
    path.chmod(0o666)


@pytest.mark.parametrize("change", [chown_to_another_user, make_writable_by_all])
def test_a_cache_file_of_another_owner_or_writable_by_others_is_not_served(
    base, cache, reads, change
):
    load(base, cache=cache)
    change(cache_file_of(cache, base))
    directory, read = reads.during(lambda: load(base, cache=cache))
    assert read > 0
    assert answers(directory) == answers(load(base))


@pytest.mark.parametrize(
    "change", [chown_to_another_user, lambda path: path.chmod(0o644)], ids=["owner", "mode"]
)
def test_a_cache_key_that_is_not_private_turns_the_cache_off_with_a_warning(
    base, cache, reads, change
):
    load(base, cache=cache)
    key = cache_key_path()
    change(key)
    for _ in range(2):
        directory, read = reads.during(lambda: load(base, cache=cache))
        assert read > 0
        (warning,) = directory.warnings
        assert str(key) in warning and "cache" in warning


# The sample records ----------------------------------------------------------------------------


def extra_agency(name: str = "Extra unit") -> dict[str, Any]:
    return {
        "id": "bs-extra-unit",
        "state": "BS",
        "name": name,
        "name_en": name,
        "roles": ["migration"],
        "last_verified": TODAY,
        "sources": [{"title": "Official page", "url": "https://example.gov/source"}],
    }


def test_a_directory_validated_on_an_earlier_day_is_served_the_next_days(base, cache, reads):
    """What validation refuses on a day (a date in the future) it refuses on every day before
    it, never after: the first command of the morning is served what yesterday validated."""
    from datetime import timedelta

    from somnet import load_directory

    def on(day: date) -> tuple[Directory, int]:
        return reads.during(
            lambda: load_directory(base=base, use_env=False, cache_dir=cache, today=day)
        )

    first, read = on(TODAY)
    assert read > 0
    for later in (TODAY + timedelta(days=1), TODAY + timedelta(days=3)):
        served, read = on(later)
        assert read == 0 and answers(served) == answers(first)
    # The public holidays kept with it cover the days a plan looks ahead: a day whose month
    # ahead reaches another year is validated again, and keeps that year's holidays.
    _, read = on(date(TODAY.year, 12, 15))
    assert read > 0
    _, read = on(date(TODAY.year, 12, 16))
    assert read == 0


def test_a_directory_validated_on_another_day_is_validated_again(tmp_path: Path) -> None:
    from datetime import date

    from somnet import DirectoryError, load_directory

    folder = make_directory(tmp_path / "base")
    cache = tmp_path / "cache"
    load_directory(base=folder, use_env=False, cache_dir=cache, today=date(2026, 11, 27))
    # The sample's records were verified in 2026: on an earlier day they lie in the future,
    # and a cache filled on the later day must not hide that.
    with pytest.raises(DirectoryError, match="is in the future"):
        load_directory(base=folder, use_env=False, cache_dir=cache, today=date(2020, 1, 1))


def agency_sharing_a_number() -> dict[str, Any]:
    """An agency that gives the number of an unrelated one: a warning, not a refusal."""
    from tests.factories import bahamas

    shared = bahamas()["agencies"][0]["contacts"][0]
    return {**extra_agency(), "contacts": [{**shared, "id": "bs-extra-desk"}]}


def test_a_directory_with_warnings_is_served_from_the_cache_with_its_warnings(
    tmp_path, base, cache, reads
):
    from somnet._i18n import localized

    overlay = write_layer(
        tmp_path / "overlay", {"x.toml": {"agencies": [agency_sharing_a_number()]}}
    )
    fresh = load(base, overlay)
    assert fresh.warnings
    load(base, overlay, cache=cache)
    served, read = reads.during(lambda: load(base, overlay, cache=cache))
    assert read == 0
    assert answers(served) == answers(fresh)
    assert served.warnings == fresh.warnings
    # Told in the language in use, as the fresh load's are, whichever language filled the cache.
    for code in ("en", "es", "fr"):
        assert [localized(w, code) for w in served.warnings] == [
            localized(w, code) for w in fresh.warnings
        ]


def fifo_at(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
@pytest.mark.parametrize("where", ["cache file", "cache key"])
def test_a_named_pipe_at_the_cache_or_its_key_does_not_hang_the_load(base, cache, where):
    """A pipe planted in a shared cache folder (or left by mistake) opens only when someone
    writes to it: reading it would wait for ever. It is not this user's cache: it is skipped."""
    import subprocess
    import sys

    fifo_at(cache_file_of(cache, base) if where == "cache file" else cache_key_path())
    script = (
        "import sys\nfrom datetime import date\nfrom somnet import load_directory\n"
        "directory = load_directory(base=sys.argv[1], use_env=False, cache_dir=sys.argv[2],"
        f" today=date({TODAY.year}, {TODAY.month}, {TODAY.day}))\n"
        "print(len(directory.all_agencies()))\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, str(base), str(cache)],
            capture_output=True,
            text=True,
            timeout=120,  # not a speed limit: the load takes well under a second, or for ever
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the load waited on the pipe at the {where}")
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == SAMPLE_COUNTS["agencies"]


def a_folder_at(path: Path) -> None:
    path.mkdir(parents=True)


def a_key_too_short(path: Path) -> None:
    path.write_bytes(b"short")


@pytest.mark.parametrize(
    "change",
    [
        make_writable_by_all,
        a_key_too_short,
        lambda path: (path.unlink(), a_folder_at(path)),
        lambda path: path.chmod(0o644),
        chown_to_another_user,
    ],
    ids=["writable", "short", "folder", "readable", "owner"],
)
def test_a_warning_about_the_cache_key_is_in_the_language_in_use(
    tmp_path, base, cache, monkeypatch, change
):
    """Every word of it translated: nothing but the key's path is left in English."""
    from somnet import _i18n
    from tests.i18n_helpers import ascii_words, pseudo_catalog

    pseudo_catalog("xx", tmp_path / "locale")
    monkeypatch.setattr(_i18n, "LOCALE_DIR", str(tmp_path / "locale"))
    monkeypatch.setattr(_i18n, "_catalogs", {})
    load(base, cache=cache)
    key = cache_key_path()
    change(key)
    (warning,) = load(base, cache=cache).warnings
    told = _i18n.localized(warning, "xx")
    assert str(key) in told
    assert list(ascii_words(told.replace(str(key), " "))) == []


def test_two_same_size_edits_within_one_tick_of_a_coarse_file_system_clock_are_both_seen(
    tmp_path, base, cache, monkeypatch
):
    """A FAT stick, a network share: times kept to a second or two, so a phone number corrected
    twice in one tick (in place: same inode, same size) leaves every time as it was. The file
    system here keeps nanoseconds, so one whose clock stands still is simulated."""
    import time

    still = time.time_ns()
    real_stat = Path.stat

    def coarse_stat(self: Path, *, follow_symlinks: bool = True) -> os.stat_result:
        status = real_stat(self, follow_symlinks=follow_symlinks)
        if not str(self).startswith(str(base)):
            return status
        fields, extra = status.__reduce__()[1]
        seconds = still // 1_000_000_000
        times = {f"st_{t}time": still / 1e9 for t in ("a", "m", "c")}
        times |= {f"st_{t}time_ns": still for t in ("a", "m", "c")}
        return os.stat_result((*fields[:7], seconds, seconds, seconds), {**extra, **times})

    monkeypatch.setattr(Path, "stat", coarse_stat)
    path = base / BS
    same_size_edit(path, "Ministry of Foreign Affairs", "Ministry of Foreign Affairz")
    assert load(base, cache=cache).agency("bs-mofa").name == "Ministry of Foreign Affairz"
    same_size_edit(path, "Ministry of Foreign Affairz", "Ministry of Foreign Affairs")
    assert load(base, cache=cache).agency("bs-mofa").name == "Ministry of Foreign Affairs"


def test_a_cached_directory_keeps_the_holidays_of_the_subdivision_an_agency_keeps(
    tmp_path: Path, cache: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A contact plan served from the cache reads its offices' holidays without
    python-holidays: those of an agency that keeps a subdivision of its seat's (Haiti's
    consulate in Miami, here said to keep Puerto Rico's) are kept with the others."""
    import sys

    from somnet.directory.loading import holiday_years
    from tests.factories import sample_files

    files = sample_files()
    [consulate] = [a for a in files["states/HT.toml"]["agencies"] if a["id"] == "ht-cons-miami"]
    consulate["holiday_subdivision"] = "PR"
    folder = write_layer(tmp_path / "base", files)
    load(folder, cache=cache)
    served, read = reads.during(lambda: load(folder, cache=cache))
    assert read == 0
    monkeypatch.setitem(sys.modules, "holidays", None)  # importing it now fails
    agency = served.agency("ht-cons-miami")
    assert agency is not None
    for year in holiday_years(TODAY):
        # Three Kings Day: Puerto Rico's, not a federal holiday.
        assert date(year, 1, 6) in (served.agency_holidays(agency, year) or {})
        assert date(year, 1, 6) not in (served.public_holidays("US", year) or {})
