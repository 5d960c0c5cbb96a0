"""The synced copy as every command reads it: offline, with a warning once expired, judged by the
same clock as the sync, and falling back to the previous good copy, then the shipped directory,
when it stops validating."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from somnet import (
    NetworkError,
    load_directory,
    publish_directory,
    sync_directory,
    sync_folder,
    synced_copy_warnings,
)
from somnet.directory.loading import shipped_data_dir
from somnet.sharing.installed import installed_base, load_over_installed
from somnet.sharing.state import read_state
from tests.cli import run
from tests.sharing.helpers import (
    NOW,
    KeyPair,
    Sleeps,
    assert_unchanged,
    break_copy,
    english_left,
    second_version,
    verified_on,
)
from tests.sharing.server import SiteServer


def test_the_copy_loads_offline_and_warns_once_expired(
    installed_v1: dict[str, bytes], server: SiteServer, folder: Path
) -> None:
    server.stop()
    base = installed_base(folder)
    assert base is not None
    assert set(load_directory(base=base, use_env=False, today=NOW.date()).states) == {
        "BS",
        "HT",
        "US",
    }
    assert synced_copy_warnings(folder, now=NOW + timedelta(days=29)) == []
    (warning,) = synced_copy_warnings(folder, now=NOW + timedelta(days=33))
    assert warning.reason == (
        f"the synced directory (version 1 from {server.url}signed-manifest.json) expired on "
        "2026-12-27T12:00:00Z (3 days ago): it may be out of date"
    )
    assert warning.sync_again
    # Still the base layer: an expired copy is better than none at sea.
    assert installed_base(folder) == base
    with pytest.raises(NetworkError, match="cannot connect"):
        sync_directory(cache=folder, now=NOW, sleep=Sleeps())
    assert_unchanged(folder, installed_v1)


def test_a_copy_synced_in_the_evening_west_of_utc_serves_every_command(
    capsys: pytest.CaptureFixture[str],
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
    local_date_behind_utc: None,
) -> None:
    """Verified "today" by the UTC date, synced when the local date is still yesterday: the
    commands judge dates by the same clock as the sync, so they accept what it installed."""
    from datetime import date

    utc_today = datetime.now(UTC).date()
    assert date.today() < utc_today  # the evening in Mexico City
    publish_directory(
        verified_on(utc_today, tmp_path / "data"), keys.private, site, version=1, name="caribbean"
    )
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 0, result.stderr
    result = run(capsys, "directory", "show", "BS", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr and "in the future" not in result.stderr


def test_a_synced_copy_that_stops_validating_falls_back_to_the_previous_then_the_shipped(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    publish_directory(second_version(data), keys.private, site, version=2, name="caribbean")
    assert run(capsys, "directory", "sync").exit_code == 0
    state = read_state(sync_folder())
    assert state is not None and state.previous is not None
    break_copy(sync_folder() / state.current.folder)
    result = run(capsys, "directory", "validate", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["layers"] == [str(sync_folder() / state.previous.folder)]
    # The fall-back, and the copy's file changed since it was installed (a file damaged).
    warning, changed = result.stderr.splitlines()
    assert warning.startswith("somnet: warning: the synced directory (version 2")
    assert "wizardry" in warning and "version 1" in warning
    assert "states/BS.toml" in changed
    # Both synced copies broken: the shipped directory, still with a warning.
    break_copy(sync_folder() / state.previous.folder)
    result = run(capsys, "directory", "show", "BS", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "shipped directory" in result.stderr
    layers = json.loads(run(capsys, "directory", "validate", "--format", "json").stdout)["layers"]
    assert layers == [str(shipped_data_dir())]


def test_a_fallback_to_a_previous_copy_that_expired_says_so(
    installed_v1: dict[str, bytes], data: Path, keys: KeyPair, site: Path, folder: Path
) -> None:
    """Version 2 (valid for 90 days) stops loading; the commands read version 1, which expired
    on day 30: the officer must be told that the copy read is out of date, not only that it is
    the previous one."""
    publish_directory(
        second_version(data),
        keys.private,
        site,
        version=2,
        expires="90d",
        now=NOW,
        name="caribbean",
    )
    assert sync_directory(cache=folder, now=NOW, sleep=Sleeps()).outcome == "installed"
    state = read_state(folder)
    assert state is not None and state.previous is not None
    break_copy(folder / state.current.folder)
    base = installed_base(folder)
    assert base is not None

    def load(at: datetime) -> list[str]:
        _, warnings = load_over_installed(
            lambda b: load_directory(base=b, use_env=False, today=at.date(), cache_dir=None),
            base,
            folder,
            now=at,
        )
        return warnings

    (fresh,) = load(NOW + timedelta(days=2))
    assert "version 1" in fresh and "expired" not in fresh
    (expired,) = load(NOW + timedelta(days=40))
    assert "version 1" in expired
    assert "expired on 2026-12-27T12:00:00Z" in expired


def test_the_days_since_expiry_are_counted_on_the_utc_dates_the_warning_shows(
    installed_v1: dict[str, bytes], folder: Path
) -> None:
    """The warning gives the expiry in UTC (2026-12-27T12:00:00Z): on 2026-12-28 UTC, 23 hours
    later, it did not expire "today"."""
    (warning,) = synced_copy_warnings(folder, now=NOW + timedelta(days=31, hours=-1))
    assert "expired on 2026-12-27T12:00:00Z (1 day ago)" in warning.reason
    (warning,) = synced_copy_warnings(folder, now=NOW + timedelta(days=30, hours=11))
    assert "expired on 2026-12-27T12:00:00Z (today)" in warning.reason


def test_a_time_without_zone_is_read_as_every_sharing_function_reads_it(
    installed_v1: dict[str, bytes], folder: Path
) -> None:
    """sync_directory, publish_directory and sync_status read a naive ``now`` as the machine's
    local time (datetime.astimezone); synced_copy_warnings, which they call, must too, not fail
    comparing it with the copy's expiry."""
    from somnet import sync_status

    naive = (NOW + timedelta(days=33)).astimezone().replace(tzinfo=None)
    assert synced_copy_warnings(folder, now=naive) == synced_copy_warnings(
        folder, now=NOW + timedelta(days=33)
    )
    assert (
        sync_status(folder, now=naive).warnings
        == sync_status(folder, now=NOW + timedelta(days=33)).warnings
    )


def test_what_is_said_of_the_synced_copy_is_told_in_the_language_in_use(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    pseudo_language: str,
) -> None:
    """Every warning and note about the synced copy (expired, missing, damaged, not loading,
    the fall-back to the previous copy and to the shipped directory) is a message the catalogs
    translate, not English built in an f-string."""
    from somnet import localized, sync_status
    from somnet.directory.loading import load_directory as load_layers

    publish_directory(second_version(data), keys.private, site, now=NOW, name="caribbean")
    sync_directory(server.url, [keys.public], cache=folder, now=NOW, sleep=Sleeps())
    state = read_state(folder)
    assert state is not None and state.previous is not None
    said: list[str] = []

    def tell(texts: Iterable[object]) -> None:
        for text in texts:
            said.append(localized(getattr(text, "reason", text), pseudo_language))

    later = NOW + timedelta(days=40)
    tell(synced_copy_warnings(folder, now=later))  # expired
    status = sync_status(folder, now=later)
    tell([status.note, *status.warnings])
    break_copy(folder / state.current.folder)

    def load(base: Path | None) -> object:
        return load_layers(base=base, use_env=False, today=later.date())

    tell(load_over_installed(load, folder / state.current.folder, folder, now=later)[1])
    status = sync_status(folder, now=NOW)
    tell([status.note, *status.warnings])
    break_copy(folder / state.previous.folder)
    tell(load_over_installed(load, folder / state.current.folder, folder, now=NOW)[1])
    status = sync_status(folder, now=NOW)
    tell([status.note, *status.warnings])
    import shutil

    shutil.rmtree(folder / state.current.folder)
    tell(synced_copy_warnings(folder, now=NOW))  # missing
    status = sync_status(folder, now=NOW)
    tell([status.note, *status.warnings])
    (folder / "state.json").write_text("{")
    tell(synced_copy_warnings(folder, now=NOW))  # damaged
    assert len(said) >= 10
    assert [(text, english_left(text)) for text in said if english_left(text)] == []


@pytest.mark.parametrize("given", ["--data", "SOMNET_DATA"])
def test_validate_refuses_an_overlay_that_the_installed_copy_does_not_take(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
    given: str,
) -> None:
    """The agency checks its overlay before it deploys it. Over the synced copy installed now
    (version 2) the overlay is invalid: version 2 holds, in Haiti, an agency under the id the
    overlay gives its own Bahamian one. ``validate`` fell back to version 1, over which the
    overlay is fine, and said "valid" (exit 0): every command would then read version 1, or
    fail. It must report the overlay's problem (exit 2, naming its file). A copy that is broken
    by itself still falls back, as before."""
    import copy

    from tests.factories import sample_files, write_layer

    files = sample_files()
    liaison = copy.deepcopy(files["states/BS.toml"]["agencies"][2])
    liaison["id"], liaison["contacts"][0]["id"] = "bs-liaison", "bs-liaison-desk"
    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": [liaison]}})
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    other = copy.deepcopy(files["states/HT.toml"]["agencies"][0])
    other["id"], other["contacts"] = "bs-liaison", []
    files["states/HT.toml"]["agencies"].append(other)
    publish_directory(write_layer(data, files), keys.private, site, version=2, name="caribbean")
    assert run(capsys, "directory", "sync").exit_code == 0
    assert run(capsys, "directory", "validate").exit_code == 0  # the copy by itself is valid
    if given == "SOMNET_DATA":
        monkeypatch.setenv("SOMNET_DATA", str(overlay))
        flags: list[str] = []
    else:
        flags = ["--data", str(overlay)]
    for output in ([], ["--format", "json"]):
        result = run(capsys, "directory", "validate", *flags, *output)
        assert result.exit_code == 2, result.stdout
        assert str(overlay / "extra.toml") in result.stderr and "bs-liaison" in result.stderr


def test_the_record_of_a_copys_files_goes_through_the_one_converter(tmp_path: Path) -> None:
    # Written and read as the other sharing formats are: a record it cannot read (a digest
    # that is not one, a key it does not know) tells no file's change, rather than half: the
    # record itself, damaged, is the change (it vouches for nothing).
    from somnet.sharing.installed import FILES_RECORD_NAME, changed_files, files_record

    copy = tmp_path / "copy"
    (copy / "states").mkdir(parents=True)
    (copy / "states" / "BS.toml").write_text("x = 1\n", encoding="utf-8")
    (copy / FILES_RECORD_NAME).write_bytes(files_record({"states/BS.toml": "x = 1\n"}))
    assert changed_files(copy) == []
    (copy / "states" / "BS.toml").write_text("x = 2\n", encoding="utf-8")
    assert changed_files(copy) == ["states/BS.toml"]
    for record in (
        b'{"files": {"states/BS.toml": "not a digest"}}',
        b'{"files": {}, "signed": true}',
        b'{"files": ["states/BS.toml"]}',
        b"[]",
    ):
        (copy / FILES_RECORD_NAME).write_bytes(record)
        assert changed_files(copy) == [FILES_RECORD_NAME], record


def test_a_missing_copy_gives_way_to_the_previous_good_one_not_the_shipped_directory(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    """Version 2's folder is gone (deleted by a clean-up, lost to a disk fault) while version 1,
    the previous good copy, is still on disk. The commands read the shipped directory, older
    than both: an officer silently lost the agency's newer data. They must read version 1, and
    say that version 2 is missing and that they read version 1; ``status`` must say so too."""
    import shutil

    from somnet import sync_status

    publish_directory(data, keys.private, site, version=1, name="caribbean")
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    publish_directory(second_version(data), keys.private, site, version=2, name="caribbean")
    assert run(capsys, "directory", "sync").exit_code == 0
    state = read_state(sync_folder())
    assert state is not None and state.previous is not None
    previous = sync_folder() / state.previous.folder
    shutil.rmtree(sync_folder() / state.current.folder)
    assert load_directory().layers == (previous,)  # what `contact` reads
    result = run(capsys, "directory", "validate", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["layers"] == [str(previous)]
    # What is read instead, and the missing copy's folder with the remedy.
    using, missing = result.stderr.splitlines()
    assert "version 2" in using and "version 1" in using
    assert str(sync_folder() / state.current.folder) in missing and "sync" in missing
    assert "shipped" not in result.stderr
    status = sync_status()
    assert not status.in_use and str(previous) in status.note
    assert status.synced is not None and status.synced.previous_version == 1
    result = run(capsys, "directory", "status", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert str(previous) in json.loads(result.stdout)["note"]
    # Version 1 broken as well: the shipped directory, and each copy's fault said.
    break_copy(previous)
    assert load_directory().layers == (shipped_data_dir(),)
    result = run(capsys, "directory", "show", "BS", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "shipped directory" in result.stderr and "wizardry" in result.stderr
    assert "shipped directory" in sync_status().note


def test_the_previous_copy_read_in_place_of_a_missing_one_is_checked_for_edits(
    installed_v1: dict[str, bytes], data: Path, keys: KeyPair, site: Path, folder: Path
) -> None:
    """Version 2 gone, version 1 read in its place: a hand edit of version 1 is what the plans
    rest on, and is said as it is of the installed copy."""
    import shutil

    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    assert sync_directory(cache=folder, now=NOW, sleep=Sleeps()).version == 2
    state = read_state(folder)
    assert state is not None and state.previous is not None
    shutil.rmtree(folder / state.current.folder)
    assert [w.sync_again for w in synced_copy_warnings(folder, now=NOW)] == [True]
    bs = folder / state.previous.folder / "states" / "BS.toml"
    bs.write_text(bs.read_text() + "\n# edited by hand\n")
    missing, edited = synced_copy_warnings(folder, now=NOW)
    assert "version 2" in missing.reason
    assert "version 1" in edited.reason and "states/BS.toml" in edited.reason


def test_every_command_warns_of_a_copy_edited_by_hand_without_reading_it_whole(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    """An officer corrects a phone number in the synced copy rather than in an overlay: only
    `status` and `sync` said the copy was no longer what its key signed; `contact`, `show`,
    `validate` read it without a word. Every command now warns (and goes on: the copy loads),
    telling it by the sizes and times of the files recorded at install, not by reading them
    whole; a file touched without a change is no change."""
    import os

    from somnet.sharing import installed

    publish_directory(data, keys.private, site, version=1, name="caribbean")
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    state = read_state(sync_folder())
    assert state is not None
    bs = sync_folder() / state.current.folder / "states" / "BS.toml"

    def hashed(copy: Path) -> list[str] | None:
        raise AssertionError("the files of the copy were read whole")

    with monkeypatch.context() as patched:  # the warm path reads no file whole
        patched.setattr(installed, "changed_files", hashed)
        result = run(capsys, "directory", "show", "BS", "--format", "json")
        assert (result.exit_code, result.stderr) == (0, "")
    stat = bs.stat()
    os.utime(bs, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # touched
    result = run(capsys, "directory", "show", "BS", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    bs.write_text(bs.read_text().replace("Royal Bahamas", "Royal  Bahamas", 1))
    for command in (["directory", "show", "BS"], ["directory", "validate"]):
        result = run(capsys, *command, "--format", "json")
        assert result.exit_code == 0, result.stderr
        (warning,) = result.stderr.splitlines()
        assert "states/BS.toml" in warning and "sync" in warning
    assert run(capsys, "directory", "sync").exit_code == 0  # the signed copy back
    result = run(capsys, "directory", "show", "BS", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    # A copy without the record (installed by an earlier somnet) is told by its digests, read
    # whole, and gets the record at the next sync, once they show it intact.
    copy = installed_base()
    assert copy is not None and copy != bs.parent.parent
    record = copy / installed.STATS_RECORD_NAME
    record.unlink()
    assert installed.changed_since_install(copy) == []
    assert run(capsys, "directory", "sync").exit_code == 0
    assert record.is_file()
    with monkeypatch.context() as patched:  # the warm path again
        patched.setattr(installed, "changed_files", hashed)
        assert installed.changed_since_install(copy) == []


@pytest.mark.parametrize("damage", ["gone", "garbled", "named-pipe"])
def test_a_copy_edited_by_hand_without_its_record_of_sizes_is_said_by_every_command_as_by_status(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    folder: Path,
    damage: str,
) -> None:
    """The record of sizes and times only spares the commands reading the copy whole. Gone or
    damaged, while the record of digests is there, every command took the copy as one that
    cannot be told and said nothing of a file edited by hand, while ``directory status``,
    reading the digests, said it. Both now answer from the digests: the same warning."""
    import os

    from somnet import sync_status
    from somnet.sharing.installed import STATS_RECORD_NAME, changed_files, changed_since_install

    copy = installed_base(folder)
    assert copy is not None
    record = copy / STATS_RECORD_NAME
    record.unlink()
    if damage == "garbled":
        record.write_bytes(b'{"files": ')
    elif damage == "named-pipe":
        os.mkfifo(record)
    # Intact: nothing to say, by either.
    assert (
        synced_copy_warnings(folder, now=NOW) == [] == list(sync_status(folder, now=NOW).warnings)
    )
    bs = copy / "states" / "BS.toml"
    bs.write_text(bs.read_text(encoding="utf-8").replace("Royal Bahamas", "Royal  Bahamas", 1))
    (warning,) = synced_copy_warnings(folder, now=NOW)
    assert "states/BS.toml" in warning.reason and warning.sync_again
    assert [w.reason for w in sync_status(folder, now=NOW).warnings] == [warning.reason]
    # As the commands say it: `show` on stderr, `status` in its report.
    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
    result = run(capsys, "directory", "show", "BS", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (said,) = result.stderr.splitlines()
    assert "states/BS.toml" in said
    result = run(capsys, "directory", "status", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [w for w in json.loads(result.stdout)["warnings"] if "states/BS.toml" in w]
    # One answer, whatever the records: cheaply when the sizes are recorded, else whole.
    assert changed_since_install(copy) == changed_files(copy) == ["states/BS.toml"]
    bs.write_text(bs.read_text(encoding="utf-8").replace("Royal  Bahamas", "Royal Bahamas", 1))
    assert changed_since_install(copy) == changed_files(copy) == []


class DigestReads(list[Path]):
    """Counts the reads of a copy's files whole (its digests), as ``changed_files``."""

    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, then: Callable[[], None] = lambda: None
    ) -> None:
        from somnet.sharing import installed

        super().__init__()
        real = installed.changed_files

        def counted(copy: Path) -> list[str] | None:
            self.append(copy)
            changed = real(copy)
            then()
            return changed

        monkeypatch.setattr(installed, "changed_files", counted)


@pytest.mark.parametrize("damage", ["gone", "garbled", "named-pipe", "touched"])
def test_a_copy_found_intact_by_its_digests_is_told_cheaply_again_by_the_next_command(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    folder: Path,
    damage: str,
) -> None:
    """With the record of sizes and times gone or damaged (or a file touched without a change),
    every command read the whole copy to tell it unchanged, and so did the next, for ever,
    without a word. The first one to find it intact by its digests records its sizes and
    times again: the next command reads no file whole. A file edited is still said."""
    import os

    from somnet.sharing.installed import STATS_RECORD_NAME

    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
    copy = installed_base(folder)
    assert copy is not None
    record = copy / STATS_RECORD_NAME
    bs = copy / "states" / "BS.toml"
    if damage == "touched":
        stat = bs.stat()
        os.utime(bs, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    else:
        record.unlink()
        if damage == "garbled":
            record.write_bytes(b'{"files": ')
        elif damage == "named-pipe":
            os.mkfifo(record)
    reads = DigestReads(monkeypatch)
    assert synced_copy_warnings(folder, now=NOW) == []
    assert reads == [copy] and record.is_file() and not record.is_symlink()
    assert synced_copy_warnings(folder, now=NOW) == []
    result = run(capsys, "directory", "show", "BS", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert reads == [copy]
    # Edited: said by every command, each reading the digests, and never recorded as intact.
    bs.write_text(bs.read_text(encoding="utf-8").replace("Royal Bahamas", "Royal  Bahamas", 1))
    for _ in range(2):
        (warning,) = synced_copy_warnings(folder, now=NOW)
        assert "states/BS.toml" in warning.reason
    assert reads == [copy] * 3


@pytest.mark.parametrize(
    "content",
    [
        {"files": [], "inodes": {}},
        {"files": None, "inodes": {}},
        {"files": "states/BS.toml", "inodes": {}},
        {"files": {"states/BS.toml": [1, 2]}, "inodes": []},
        {"files": {"states/BS.toml": [1, 2]}, "inodes": None},
        ["files", "inodes"],
    ],
)
def test_a_record_of_sizes_with_keys_of_the_wrong_kind_is_read_as_damaged(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    folder: Path,
    content: object,
) -> None:
    """The record of sizes, times and inodes is JSON with the right keys but not what somnet
    wrote there (a list, null or text where it wrote an object): damaged, it only spares the
    read. Every command read it with a traceback. Now the digests tell, and the record is
    written again."""
    from somnet.sharing.installed import STATS_RECORD_NAME, stats_record

    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
    copy = installed_base(folder)
    assert copy is not None
    record = copy / STATS_RECORD_NAME
    record.write_text(json.dumps(content))
    reads = DigestReads(monkeypatch)
    result = run(capsys, "directory", "show", "BS", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert reads == [copy]
    assert record.read_bytes() == stats_record(copy)


@pytest.mark.parametrize("time", ["moved", "restored"])
def test_a_digit_edited_in_a_synced_copy_is_said_with_its_time_restored(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    folder: Path,
    time: str,
) -> None:
    """An officer corrects one digit of a phone number in the synced copy, and the file's
    modification time is put back (``touch -r``, ``rsync -t``, ``cp -p``): its size and time
    were those recorded at install, so every command but status took the copy as intact and
    the plans used the edited number without a word. What an edit cannot put back without
    privilege (the inode's last change) is recorded too: said as when the time moves."""
    import os

    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
    copy = installed_base(folder)
    assert copy is not None
    bs = copy / "states" / "BS.toml"
    before = bs.stat()
    text = bs.read_text(encoding="utf-8")
    assert text.count("+12425550100") == 1
    bs.write_text(text.replace("+12425550100", "+12425550109"), encoding="utf-8")
    if time == "restored":
        os.utime(bs, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert (bs.stat().st_size, bs.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    for command in (
        ["contact", "--flag", "HT", "--zone", "contiguous", "--brief"],
        ["directory", "validate"],
    ):
        for _ in range(2):  # and again: never recorded as intact
            result = run(capsys, *command)
            assert result.exit_code == 0, result.stderr
            (warning,) = result.stderr.splitlines()
            assert "were changed since it was installed (states/BS.toml)" in warning, warning
            assert "somnet directory sync" in warning


@pytest.mark.parametrize("since", ["an earlier somnet's record", "restored from a backup"])
def test_a_copy_whose_inodes_cannot_be_told_costs_one_digest_read_then_none(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    folder: Path,
    since: str,
) -> None:
    """A record of sizes and modification times only (written by an earlier somnet), or a copy
    whose files are new inodes with their times kept (restored from a backup, moved to another
    disk): nothing tells cheaply that the files are those installed. One command reads the
    digests and, finding them intact, records the copy again; the next reads none, and an
    edit with its time restored is then said."""
    import os
    import shutil

    from somnet.sharing.installed import STATS_RECORD_NAME

    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
    copy = installed_base(folder)
    assert copy is not None
    record = copy / STATS_RECORD_NAME
    if since == "an earlier somnet's record":
        earlier = {
            path.relative_to(copy).as_posix(): [path.stat().st_size, path.stat().st_mtime_ns]
            for path in sorted(copy.rglob("*.toml"))
        }
        record.write_text(json.dumps({"files": earlier}, sort_keys=True, indent=1) + "\n")
    else:
        aside = copy.with_name("aside")
        copy.rename(aside)
        shutil.copytree(aside, copy, copy_function=shutil.copy2)  # times kept, new inodes
        shutil.rmtree(aside)
    written = record.read_bytes()
    reads = DigestReads(monkeypatch)
    for _ in range(2):
        result = run(capsys, "contact", "--flag", "HT", "--zone", "contiguous", "--brief")
        assert (result.exit_code, result.stderr) == (0, "")
        assert reads == [copy]
    assert record.read_bytes() != written
    bs = copy / "states" / "BS.toml"
    before = bs.stat()
    bs.write_text(bs.read_text(encoding="utf-8").replace("+12425550100", "+12425550109"))
    os.utime(bs, ns=(before.st_atime_ns, before.st_mtime_ns))
    result = run(capsys, "directory", "validate")
    assert result.exit_code == 0, result.stderr
    assert "were changed since it was installed (states/BS.toml)" in result.stderr
    assert reads == [copy, copy]


def test_neither_a_sync_nor_the_first_command_after_it_reads_the_copy_it_installed_whole(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    """The record of sizes, times and inodes is written before the copy is validated, renamed
    into place and its other records written: nothing after it may change what it holds of the
    data files (the inodes' last change among them), or the sync (which tells what it installed
    as every command does) and every first command after one would read the whole copy. So for
    a first install, a copy installed again (edited by hand) and a new version."""
    from somnet.sharing.installed import changed_since_install

    def synced(*arguments: str) -> None:
        with monkeypatch.context() as patched:
            reads = DigestReads(patched)
            result = run(capsys, "directory", "sync", *arguments)
            assert result.exit_code == 0, result.stderr
            assert "not what key" not in result.stderr  # the new copy is intact
            result = run(capsys, "contact", "--flag", "HT", "--zone", "contiguous", "--brief")
            assert (result.exit_code, result.stderr) == (0, "")
            assert reads == []

    publish_directory(data, keys.private, site, version=1, name="caribbean")
    synced(server.url, "--trust", str(keys.public))
    copy = installed_base()
    assert copy is not None
    bs = copy / "states" / "BS.toml"
    bs.write_text(bs.read_text(encoding="utf-8").replace("+12425550100", "+12425550109"))
    assert changed_since_install(copy) == ["states/BS.toml"]
    synced()
    assert installed_base() not in (None, copy)
    publish_directory(second_version(data), keys.private, site, version=2, name="caribbean")
    synced()
    state = read_state(sync_folder())
    assert state is not None and state.current.version == 2


def test_a_file_edited_while_the_digests_are_read_is_not_recorded_as_intact(
    monkeypatch: pytest.MonkeyPatch, installed_v1: dict[str, bytes], folder: Path
) -> None:
    """The sizes and times recorded after the digests showed the copy intact are those the
    digests were read from: a file edited meanwhile is said by the next command."""
    from somnet.sharing.installed import STATS_RECORD_NAME

    copy = installed_base(folder)
    assert copy is not None
    (copy / STATS_RECORD_NAME).unlink()
    bs = copy / "states" / "BS.toml"

    def edit() -> None:
        bs.write_text(bs.read_text(encoding="utf-8").replace("Royal Bahamas", "Royal  Bahamas"))

    with monkeypatch.context() as patched:
        DigestReads(patched, then=edit)
        assert synced_copy_warnings(folder, now=NOW) == []  # read before the edit
    (warning,) = synced_copy_warnings(folder, now=NOW)
    assert "states/BS.toml" in warning.reason


@pytest.mark.parametrize("error", ["read-only", "permission"])
def test_a_record_of_sizes_that_cannot_be_written_costs_only_the_read(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    folder: Path,
    error: str,
) -> None:
    """A copy the user may not write in (synced by a service account for the officers', on a
    read-only disk): the commands read its digests each time, as before, and say nothing."""
    import errno
    import tempfile

    from somnet.sharing.installed import STATS_RECORD_NAME

    monkeypatch.setenv("SOMNET_SYNC_DIR", str(folder))
    copy = installed_base(folder)
    assert copy is not None
    (copy / STATS_RECORD_NAME).unlink()
    code = errno.EROFS if error == "read-only" else errno.EACCES

    def refused(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(code, os.strerror(code))

    import os

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    reads = DigestReads(monkeypatch)
    assert synced_copy_warnings(folder, now=NOW) == []
    result = run(capsys, "directory", "show", "BS", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert reads == [copy, copy] and not (copy / STATS_RECORD_NAME).exists()
    assert sorted(p.name for p in copy.iterdir() if p.name.startswith(".")) == [
        ".somnet-files.json",
        ".somnet-signed-manifest.json",
    ]


def test_a_named_pipe_in_place_of_the_record_of_sizes_stops_no_command(
    installed_v1: dict[str, bytes], folder: Path
) -> None:
    """The record every command reads: a named pipe there (left in the copy) would make every
    command wait for a writer; it is no record (the digests tell), and nothing waits."""
    import os

    from somnet.sharing.installed import STATS_RECORD_NAME, changed_since_install

    copy = installed_base(folder)
    assert copy is not None
    assert changed_since_install(copy) == []
    (copy / STATS_RECORD_NAME).unlink()
    os.mkfifo(copy / STATS_RECORD_NAME)
    assert changed_since_install(copy) == []
    assert synced_copy_warnings(folder, now=NOW) == []


def test_a_named_pipe_in_place_of_the_record_of_sizes_stops_no_sync(
    installed_v1: dict[str, bytes], keys: KeyPair, server: SiteServer, folder: Path
) -> None:
    """A sync that finds the copy intact by its digests records its sizes again: it read the
    record there first, and a named pipe made it wait for a writer, for ever (cron's syncs
    piling up behind it). It is replaced by the record, and the sync goes on."""
    import os
    import threading

    from somnet.sharing.installed import STATS_RECORD_NAME
    from tests.sharing.helpers import do_sync

    copy = installed_base(folder)
    assert copy is not None
    record = copy / STATS_RECORD_NAME
    record.unlink()
    os.mkfifo(record)
    outcome: list[object] = []
    syncing = threading.Thread(target=lambda: outcome.append(do_sync(server, keys, folder)))
    syncing.start()
    syncing.join(30)
    if syncing.is_alive():  # let it end: a writer that closes at once
        os.close(os.open(record, os.O_WRONLY | os.O_NONBLOCK))
        syncing.join()
        pytest.fail("the sync waited on the named pipe")
    assert [getattr(result, "outcome", result) for result in outcome] == ["not-modified"]
    assert record.is_file()


def test_a_named_pipe_in_place_of_the_record_of_digests_stops_no_command(
    installed_v1: dict[str, bytes], folder: Path
) -> None:
    """Read when a data file's size or time differs from the record of sizes (a file touched):
    a named pipe there would make that command, and every next one, wait for a writer."""
    import os

    from somnet.sharing.installed import FILES_RECORD_NAME, changed_since_install

    copy = installed_base(folder)
    assert copy is not None
    data = next(copy.rglob("*.toml"))
    stat = data.stat()
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert changed_since_install(copy) == []  # touched, not changed: the digests say so
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))  # and again
    (copy / FILES_RECORD_NAME).unlink()
    os.mkfifo(copy / FILES_RECORD_NAME)
    # Not read (nothing waits), and no record: damaged, it vouches for nothing.
    assert changed_since_install(copy) == [FILES_RECORD_NAME]


@pytest.mark.parametrize("damage", ["gone", "garbled", "named-pipe"])
def test_a_copy_whose_record_of_digests_is_damaged_is_not_taken_as_intact(
    installed_v1: dict[str, bytes],
    keys: KeyPair,
    server: SiteServer,
    folder: Path,
    damage: str,
) -> None:
    """The record of a copy's digests is what tells its files from what its key signed. Gone
    (while the records written with it are there) or garbled, it was damaged with the copy:
    the copy was taken as intact, an edited file went unsaid by status and every command, and
    a sync answered 304 kept it. It now counts as a change: said, and replaced by the next sync.
    """
    import os

    from somnet import sync_status
    from somnet.sharing.installed import FILES_RECORD_NAME, changed_files
    from tests.sharing.helpers import do_sync

    copy = installed_base(folder)
    assert copy is not None
    bs = copy / "states" / "BS.toml"
    original = bs.read_bytes()
    bs.write_bytes(original.replace(b"Royal Bahamas", b"Royal  Bahamas", 1))
    record = copy / FILES_RECORD_NAME
    record.unlink()
    if damage == "garbled":
        record.write_bytes(b'{"files": {"states/BS.toml": "0')
    elif damage == "named-pipe":
        os.mkfifo(record)
    assert changed_files(copy) == [FILES_RECORD_NAME]
    (command_warning,) = synced_copy_warnings(folder, now=NOW)
    assert FILES_RECORD_NAME in command_warning.reason and command_warning.sync_again
    status = sync_status(folder, now=NOW)
    assert [w.reason for w in status.warnings] == [command_warning.reason]
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version) == ("installed", 1)
    assert FILES_RECORD_NAME in result.warnings[0]
    assert result.copy == installed_base(folder) and not copy.exists()
    assert (result.copy / "states" / "BS.toml").read_bytes() == original
    assert changed_files(result.copy) == []
    assert synced_copy_warnings(folder, now=NOW) == []


def test_a_copy_installed_before_records_were_kept_is_not_said_to_be_changed(
    installed_v1: dict[str, bytes], folder: Path
) -> None:
    """A copy with none of the records (installed by an earlier somnet): nothing can be told."""
    from somnet.sharing.installed import (
        FILES_RECORD_NAME,
        SIGNED_RECORD_NAME,
        STATS_RECORD_NAME,
        changed_files,
        changed_since_install,
    )

    copy = installed_base(folder)
    assert copy is not None
    for name in (FILES_RECORD_NAME, STATS_RECORD_NAME, SIGNED_RECORD_NAME):
        (copy / name).unlink()
    assert changed_files(copy) is None and changed_since_install(copy) is None
    assert synced_copy_warnings(folder, now=NOW) == []


def test_the_previous_copy_read_in_place_of_one_that_no_longer_loads_is_checked_for_edits(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    """Version 2 no longer loads (a newer somnet checks more), version 1 is read in its place:
    a hand edit of version 1 is what the plans then rest on. It was said when version 2 was
    missing, not when it failed to load: every command and status now say it there too."""
    from somnet import sync_status
    from tests.sharing.helpers import stricter_checks

    publish_directory(data, keys.private, site, version=1, name="caribbean")
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    publish_directory(second_version(data), keys.private, site, version=2, name="caribbean")
    assert run(capsys, "directory", "sync").exit_code == 0
    state = read_state(sync_folder())
    assert state is not None and state.previous is not None
    previous = sync_folder() / state.previous.folder
    stricter_checks(sync_folder() / state.current.folder)
    bs = previous / "states" / "BS.toml"
    bs.write_text(bs.read_text().replace("Royal Bahamas", "Royal  Bahamas", 1))
    result = run(capsys, "directory", "validate", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["layers"] == [str(previous)]
    using, edited = result.stderr.splitlines()
    assert "version 2" in using and "wizardry" in using and "version 1" in using
    assert "version 1" in edited and "states/BS.toml" in edited and "sync" in edited
    status = sync_status()
    assert str(previous) in status.note
    assert any("version 1" in w.reason and "states/BS.toml" in w.reason for w in status.warnings), (
        status.warnings
    )


def test_a_copy_removed_before_its_record_of_sizes_is_written_is_not_made_again(
    tmp_path: Path,
) -> None:
    # A sync may remove the copy a command found intact while that command writes its record
    # of sizes: the record is written in the copy, never into a folder made again for it.
    from somnet.sharing.installed import STATS_RECORD_NAME, record_stats

    copy = tmp_path / "copies" / "3-0123456789ab"
    (copy / "states").mkdir(parents=True)
    (copy / "states" / "BS.toml").write_text("[state]\n", encoding="utf-8")
    record_stats(copy)
    assert (copy / STATS_RECORD_NAME).is_file()
    gone = tmp_path / "copies" / "4-0123456789ab"
    record_stats(gone)  # nothing there to record: no error, nothing made
    assert not gone.exists()
