"""Publishing: the bundle and the signed manifest written into a site folder, versions that only
go up, expiry, and the pruning of older bundles once the new manifest is in place. Every
refusal names the parameter at fault and leaves the site as it was."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from somnet import (
    BadInputError,
    DirectoryError,
    PublishedVersionError,
    load_trusted_keys,
    publish_directory,
)
from somnet.sharing.bundle import parse_bundle
from somnet.sharing.manifest import SIGNED_MANIFEST_NAME
from somnet.sharing.publish import PUBLISH_LOCK_NAME
from somnet.sharing.signing import verify
from tests.factories import fan_of_links, sample_files
from tests.sharing.helpers import (
    NOW,
    KeyPair,
    bundles,
    do_sync,
    leftovers,
    publish_versions,
    second_version,
    site_manifest,
)
from tests.sharing.server import SiteServer


def test_publish_writes_a_signed_manifest_of_the_bundle(
    data: Path, keys: KeyPair, site: Path
) -> None:
    from somnet.sharing.manifest import split_signed_manifest

    result = publish_directory(
        data, keys.private, site, version=4, expires="30d", now=NOW, name="caribbean"
    )
    manifest = site_manifest(site)
    assert (manifest.version, manifest.created, manifest.expires) == (
        4,
        NOW,
        NOW + timedelta(days=30),
    )
    assert (result.version, result.bundle, result.size, result.sha256, result.key_id) == (
        manifest.version,
        manifest.bundle.name,
        manifest.bundle.size,
        manifest.bundle.sha256,
        manifest.key_id,
    )
    bundle = (site / manifest.bundle.name).read_bytes()
    assert len(bundle) == manifest.bundle.size
    assert sorted(parse_bundle(bundle, "bundle")) == sorted(sample_files())
    assert result.files == len(sample_files())
    signed, signature = split_signed_manifest((site / SIGNED_MANIFEST_NAME).read_bytes(), "s")
    signer = verify(
        signed,
        signature,
        load_trusted_keys([keys.public]),
        claimed_key_id=manifest.key_id,
        label="site",
    )
    assert signer.key_id == manifest.key_id
    assert leftovers(site) == []


def test_publish_writes_only_the_bundle_and_the_signed_manifest(
    data: Path, keys: KeyPair, site: Path
) -> None:
    result = publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    assert sorted(p.name for p in site.iterdir()) == sorted([result.bundle, SIGNED_MANIFEST_NAME])


def test_the_result_reads_as_the_json_of_the_publish_command(
    data: Path, keys: KeyPair, site: Path
) -> None:
    result = publish_directory(
        data, keys.private, site, version=2, expires="2w", now=NOW, name="caribbean"
    )
    assert result.to_json() == {
        "site": str(site),
        "version": 2,
        "files": result.files,
        "bundle": result.bundle,
        "size": result.size,
        "sha256": result.sha256,
        "created": "2026-11-27T12:00:00Z",
        "expires": "2026-12-11T12:00:00Z",
        "key_id": result.key_id,
        "directory": "caribbean",
        "removed": [],
        "warnings": [],
    }


def test_publish_keeps_the_bundles_of_the_last_three_versions(
    data: Path, keys: KeyPair, site: Path
) -> None:
    publish_versions(data, keys, site, range(1, 4), now=NOW)
    assert [name.split("-")[1] for name in bundles(site)] == ["1", "2", "3"]
    result = publish_versions(data, keys, site, range(4, 6), now=NOW)
    assert [name.split("-")[1] for name in bundles(site)] == ["3", "4", "5"]
    assert [name.split("-")[1] for name in result.removed] == ["2"]
    # Files publish did not write, and renewing the same version, remove nothing.
    (site / "index.html").write_text("hello\n")
    (site / "directory-notes.json").write_text("{}\n")
    renewed = publish_directory(
        data, keys.private, site, version=5, expires="60d", now=NOW, name="caribbean"
    )
    assert renewed.removed == ()
    assert (site / "index.html").exists() and (site / "directory-notes.json").exists()


def test_publish_keep_1_leaves_only_the_new_bundle(data: Path, keys: KeyPair, site: Path) -> None:
    publish_versions(data, keys, site, range(1, 4), now=NOW)
    result = publish_versions(data, keys, site, range(4, 5), keep=1, now=NOW)
    assert bundles(site) == [result.bundle]
    assert len(result.removed) == 3
    with pytest.raises(BadInputError, match="keep at least 1 version") as caught:
        publish_directory(data, keys.private, site, keep=0, now=NOW, name="caribbean")
    assert (caught.value.field, caught.value.value) == ("keep", 0)


@pytest.mark.parametrize(
    ("field", "value"),
    [("keep", True), ("keep", 1.5), ("version", "3"), ("version", True), ("expires", 30)],
)
def test_publish_refuses_a_number_or_duration_of_the_wrong_type_naming_it(
    data: Path, keys: KeyPair, site: Path, field: str, value: Any
) -> None:
    # keep=1.5 and version="3" ended in TypeError, expires=30 in AttributeError; True was
    # taken as 1 (a script's flag passed in the wrong place). Nothing is written.
    with pytest.raises(BadInputError) as caught:
        publish_directory(data, keys.private, site, now=NOW, **{field: value}, name="caribbean")
    assert (caught.value.field, caught.value.value) == (field, value)
    assert not site.exists() or list(site.iterdir()) == []


def test_publish_prunes_only_once_the_new_manifest_is_in_place(
    data: Path, keys: KeyPair, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_versions(data, keys, site, range(1, 2), now=NOW)
    events: list[str] = []
    real_replace, real_unlink = os.replace, Path.unlink

    def replace(source: Any, target: Any) -> None:
        if Path(target).parent == site:
            events.append("write " + Path(target).name)
        real_replace(source, target)

    def unlink(path: Path, missing_ok: bool = False) -> None:
        if path.parent == site and path.name != PUBLISH_LOCK_NAME:  # the lock's own file aside
            events.append("remove " + "-".join(path.name.split("-")[:2]))
        real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(Path, "unlink", unlink)
    result = publish_versions(data, keys, site, range(2, 3), keep=1, now=NOW)
    monkeypatch.undo()
    assert events == [
        f"write {result.bundle}",
        f"write {SIGNED_MANIFEST_NAME}",
        "remove directory-1",
    ]


def test_publish_counts_versions_up_and_refuses_to_go_back(
    data: Path, keys: KeyPair, site: Path
) -> None:
    assert publish_directory(data, keys.private, site, now=NOW, name="caribbean").version == 1
    # Same content again: the same version, renewed.
    renewed = publish_directory(
        data, keys.private, site, version=1, expires="60d", now=NOW, name="caribbean"
    )
    assert renewed.expires == NOW + timedelta(days=60)
    with pytest.raises(PublishedVersionError, match="already publishes version 1 with other"):
        publish_directory(
            second_version(data), keys.private, site, version=1, now=NOW, name="caribbean"
        )
    assert publish_directory(data, keys.private, site, now=NOW, name="caribbean").version == 2
    with pytest.raises(PublishedVersionError, match="already publishes version 2; versions only"):
        publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    assert site_manifest(site).version == 2


@pytest.mark.parametrize("version", [0, -1, 2**63])
def test_publish_refuses_a_version_out_of_range(
    data: Path, keys: KeyPair, site: Path, version: int
) -> None:
    with pytest.raises(BadInputError, match="whole numbers from 1 to") as caught:
        publish_directory(data, keys.private, site, version=version, now=NOW, name="caribbean")
    assert (caught.value.field, caught.value.value) == ("version", version)
    assert list(site.iterdir()) == []


@pytest.mark.parametrize(
    ("expires", "message"),
    [
        ("yesterday", "expected a duration like 30d"),
        ("2020-01-01", "is not in the future"),
        ("2027-01-31T12:00", "expected a duration like 30d"),
        ("999999999999w", "more than ten years"),
        # The same lifetime as a date or a time: a manifest that never expires in practice
        # would leave agencies open to a replay of it (freeze) for ever.
        ("9999-12-31", "more than ten years"),
        ("2040-01-01T00:00:00+00:00", "more than ten years"),
        # Within the second of publication: the manifest keeps whole seconds, so it would
        # expire as it is created (clients refuse it, and so would the next publication).
        ("2026-11-27T12:00:00.5Z", "is not in the future"),
        ("2026-11-27T07:00:00.999999-05:00", "is not in the future"),
    ],
)
def test_publish_refuses_a_bad_expiry(
    data: Path, keys: KeyPair, site: Path, expires: str, message: str
) -> None:
    with pytest.raises(BadInputError, match=message) as caught:
        publish_directory(data, keys.private, site, expires=expires, now=NOW, name="caribbean")
    assert (caught.value.field, caught.value.value) == ("expires", expires)
    assert list(site.iterdir()) == []


@pytest.mark.parametrize(
    ("expires", "when"),
    [
        ("12h", "2026-11-28T00:00:00Z"),
        ("2W", "2026-12-11T12:00:00Z"),
        ("2027-01-31", "2027-01-31T00:00:00Z"),
        ("2027-01-31T12:00:00-05:00", "2027-01-31T17:00:00Z"),
    ],
)
def test_an_expiry_is_a_duration_a_date_or_a_time(
    data: Path, keys: KeyPair, site: Path, expires: str, when: str
) -> None:
    result = publish_directory(data, keys.private, site, expires=expires, now=NOW, name="caribbean")
    assert result.to_json()["expires"] == when


def test_publish_of_an_invalid_directory_leaves_the_site_as_it_was(
    data: Path, keys: KeyPair, site: Path
) -> None:
    (data / "states" / "BS.toml").write_text('[state]\ncode = "BS"\n')
    with pytest.raises(DirectoryError, match=r"BS\.toml"):
        publish_directory(data, keys.private, site, now=NOW, name="caribbean")
    assert list(site.iterdir()) == []


@pytest.mark.parametrize(
    ("where", "field"),
    [
        ("data-file", "data"),
        ("data-empty", "data"),
        ("data-no-directory", "data"),
        ("site-file", "out"),
        ("no-parent", "out"),
    ],
)
def test_publish_names_the_folder_at_fault(
    data: Path, keys: KeyPair, tmp_path: Path, where: str, field: str
) -> None:
    """A folder of no data files, or one no directory resembles (``--data /``, here links that
    fan out to 2**40 folders), was refused in a DirectoryError that named no field (or walked
    for ever): the argument is at fault, as a file is."""
    (tmp_path / "a-file").write_text("not a folder\n")
    (tmp_path / "empty").mkdir()
    fan = tmp_path / "fan"
    fan.mkdir()
    fan_of_links(fan)
    folders = {
        "data-file": (tmp_path / "a-file", tmp_path / "site"),
        "data-empty": (tmp_path / "empty", tmp_path / "site"),
        "data-no-directory": (fan, tmp_path / "site"),
        "site-file": (data, tmp_path / "a-file"),
        "no-parent": (data, tmp_path / "missing" / "site"),
    }
    source, out = folders[where]
    with pytest.raises(BadInputError) as caught:
        publish_directory(source, keys.private, out, now=NOW, name="caribbean")
    assert caught.value.field == field
    assert not (tmp_path / "missing").exists() and not (tmp_path / "site").exists()


def test_publishing_below_a_manifest_of_another_key_carries_what_recovery_needs(
    data: Path, keys: KeyPair, other_keys: KeyPair, site: Path
) -> None:
    publish_directory(data, keys.private, site, version=50, now=NOW, name="caribbean")
    with pytest.raises(PublishedVersionError, match="already publishes version 50") as caught:
        publish_directory(data, other_keys.private, site, version=2, now=NOW, name="caribbean")
    error = caught.value
    old_key, new_key = (load_trusted_keys([k.public])[0].key_id for k in (keys, other_keys))
    assert (error.field, error.version, error.published_version) == ("version", 2, 50)
    assert (error.published_key_id, error.signing_key_id) == (old_key, new_key)
    assert error.site_manifest == site / SIGNED_MANIFEST_NAME
    with pytest.raises(PublishedVersionError) as same_key:
        publish_directory(data, keys.private, site, version=2, now=NOW, name="caribbean")
    assert same_key.value.published_key_id == same_key.value.signing_key_id


def test_two_publications_into_one_site_at_once_never_share_a_version(
    data: Path, keys: KeyPair, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cron job and a person publishing at the same moment: the second, started while the
    first has read the site's version but not yet written its own, must not publish the same
    version with other content (clients that took one would refuse the other), nor write its
    manifest under the first's. It is refused, as a failure of the moment (exit 1), and the
    site holds the first publication whole."""
    import shutil
    import threading

    from somnet import StorageError
    from somnet.sharing import publish

    publish_directory(data, keys.private, site, now=NOW, name="caribbean")
    other = second_version(Path(shutil.copytree(data, tmp_path / "other")))
    original = publish.read_site_manifest
    second: list[object] = []

    def read_then_let_another_publish(folder: Path) -> Any:
        found = original(folder)
        if not second:  # once, in the first publication only

            def run() -> None:
                try:
                    second.append(
                        publish_directory(other, keys.private, site, now=NOW, name="caribbean")
                    )
                except StorageError as exc:
                    second.append(exc)

            second.append("started")
            thread = threading.Thread(target=run)
            thread.start()
            thread.join()
        return found

    monkeypatch.setattr(publish, "read_site_manifest", read_then_let_another_publish)
    first = publish_directory(data, keys.private, site, expires="40d", now=NOW, name="caribbean")
    assert isinstance(second[-1], StorageError)
    assert second[-1].exit_code == 1
    manifest = site_manifest(site)
    assert (manifest.version, manifest.bundle.sha256) == (first.version, first.sha256)
    assert (site / manifest.bundle.name).is_file()
    assert sorted(p.name for p in site.iterdir()) == sorted([*bundles(site), SIGNED_MANIFEST_NAME])


def test_a_site_on_a_filesystem_without_locks_is_still_published(
    data: Path, keys: KeyPair, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site folder on a network share whose filesystem has no flock (ENOLCK, EOPNOTSUPP):
    the lock cannot be taken, which is not another publication holding it. The publication
    goes on, with a warning that two at once are not kept apart there."""
    import errno
    import fcntl

    def no_locks(handle: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    result = publish_directory(data, keys.private, site, now=NOW, name="caribbean")
    assert result.version == 1 and len(result.warnings) == 1
    assert sorted(p.name for p in site.iterdir()) == sorted([result.bundle, SIGNED_MANIFEST_NAME])


def test_a_data_file_saved_while_the_directory_is_validated_is_not_published_unchecked(
    data: Path, keys: KeyPair, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person saves a data file (here one that does not validate) while a scheduled
    publication is validating the folder: what is bundled must be what was validated, or
    agencies would be sent a directory they refuse as invalid while the publisher is told
    it was published. The publication is refused as a failure of the moment (exit 1), and
    the site is left as it was."""
    from somnet import StorageError
    from somnet.directory import loading

    validate = loading.load_directory

    def validate_then_save(*args: Any, **kwargs: Any) -> Any:
        checked = validate(*args, **kwargs)
        bs = data / "states" / "BS.toml"
        bs.write_text(bs.read_text().replace('roles = ["', 'roles = ["wizardry", "', 1))
        return checked

    monkeypatch.setattr(loading, "load_directory", validate_then_save)
    with pytest.raises(StorageError) as caught:
        publish_directory(data, keys.private, site, now=NOW, name="caribbean")
    assert caught.value.exit_code == 1
    assert list(site.iterdir()) == []


def test_publishing_past_the_highest_version_names_the_site_not_an_unasked_version(
    data: Path, keys: KeyPair, site: Path
) -> None:
    """The site already publishes the highest version there is (a typo of the office, or its
    key's thief): the next publication without a version cannot count up. The error names the
    site, not a --version the publisher never gave with a number they never typed, and the
    site is left as it was."""
    from somnet.sharing.manifest import MAX_VERSION

    publish_directory(data, keys.private, site, version=MAX_VERSION, now=NOW, name="caribbean")
    before = {p.name: p.read_bytes() for p in site.iterdir()}
    with pytest.raises(BadInputError) as caught:
        publish_directory(second_version(data), keys.private, site, now=NOW, name="caribbean")
    assert (caught.value.field, caught.value.exit_code) == ("out", 2)
    assert str(MAX_VERSION + 1) not in caught.value.reason
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before


@pytest.mark.parametrize("restricted", [0, 1, 2])
def test_publishing_restricted_contacts_says_how_many_the_bundle_holds(
    tmp_path: Path, keys: KeyPair, site: Path, restricted: int
) -> None:
    """A site is served to every agency that syncs it: a bundle holding contacts marked
    restricted is published (a regional office may mean to share them), and the publisher is
    told how many it holds, as `directory export` tells what it writes."""
    from tests.factories import write_layer

    files = sample_files()
    contacts = [c for a in files["states/BS.toml"]["agencies"] for c in a.get("contacts", [])]
    for contact in contacts[:restricted]:
        contact["sensitivity"] = "restricted"
    data = write_layer(tmp_path / "data", files)
    result = publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    said = [w for w in result.warnings if str(restricted) in w]
    assert len(said) == (1 if restricted else 0)
    assert len(result.warnings) == (1 if restricted else 0)


@pytest.mark.parametrize(
    "name", ["national overlay/extra.toml", "états/extra.toml", "states/Curaçao.toml"]
)
def test_a_data_file_whose_path_no_agency_can_install_is_not_published(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, tmp_path: Path, name: str
) -> None:
    """A file of the data folder in a folder named with a space or an accent (``états/``,
    ``national overlay/``) was bundled and published, and every agency's sync then refused
    the bundle (exit 2, "not a relative path to a .toml file"): the office was told it had
    published. Publish refuses it, naming the file (field ``data``), and writes nothing."""
    from tests.factories import write_layer

    write_layer(data, {name: {"agencies": []}})
    with pytest.raises(BadInputError) as caught:
        publish_directory(data, keys.private, site, now=NOW, name="caribbean")
    assert caught.value.field == "data" and name.split("/")[0] in str(caught.value)
    assert list(site.iterdir()) == []
    # What publish accepts, sync installs.
    (data / name).unlink()
    publish_directory(data, keys.private, site, now=NOW, name="caribbean")
    assert do_sync(server, keys, tmp_path / "synced").outcome == "installed"


@pytest.mark.parametrize(
    "name",
    ["CON.toml", "extra/aux.toml", "extra/Nul.backup.toml", "COM1/extra.toml", "extra./a.toml"],
)
def test_a_data_file_named_as_a_windows_device_is_not_published(
    data: Path, keys: KeyPair, site: Path, tmp_path: Path, name: str
) -> None:
    """A file or folder named as a device on Windows (CON, AUX, NUL, COM1..., in any case,
    with any extension) or ending in a dot was published, and an agency syncing on Windows
    could not write it. Publish refuses it, naming the file (field ``data``), and writes
    nothing."""
    from tests.factories import write_layer

    write_layer(data, {name: {"agencies": []}})
    with pytest.raises(BadInputError) as caught:
        publish_directory(data, keys.private, site, now=NOW, name="caribbean")
    assert (caught.value.field, caught.value.value) == ("data", data / name)
    assert f"{data / name}: " in str(caught.value) and "a name Windows keeps" in str(caught.value)
    assert list(site.iterdir()) == []


def test_a_renewal_dated_before_the_manifest_it_renews_is_not_published(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    """The same version published again renews its expiry. Published from a machine whose
    clock is behind the one that published it (a second publisher, a clock set back), the
    renewal is dated before the manifest it renews: every agency that synced that one refuses
    it as a replayed older manifest, and their copies freeze at the old expiry, while publish
    said it had published. It is refused, the site left as it was, with the way out (a new
    version, which no agency takes for a replay)."""
    from tests.cli import run

    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    assert do_sync(server, keys, folder).version == 1
    before = (site / SIGNED_MANIFEST_NAME).read_bytes()
    behind = NOW - timedelta(minutes=5)
    with pytest.raises(PublishedVersionError) as caught:
        publish_directory(
            data, keys.private, site, version=1, expires="90d", now=behind, name="caribbean"
        )
    assert caught.value.field == "version"
    assert (caught.value.version, caught.value.published_version) == (1, 1)
    assert (site / SIGNED_MANIFEST_NAME).read_bytes() == before
    # The renewal at the same time or later stands; a new version dated earlier too.
    assert (
        publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean").version
        == 1
    )
    assert (
        publish_directory(data, keys.private, site, version=2, now=behind, name="caribbean").version
        == 2
    )
    assert do_sync(server, keys, folder).version == 2
    # The command: exit 2, naming --version and the version to publish instead.
    from datetime import UTC, datetime

    ahead = datetime.now(UTC) + timedelta(minutes=30)
    publish_directory(data, keys.private, site, version=3, now=ahead, name="caribbean")
    before = (site / SIGNED_MANIFEST_NAME).read_bytes()
    flags = ["--data", str(data), "--key", str(keys.private), "--out", str(site)]
    result = run(capsys, "directory", "publish", "--name", "caribbean", *flags, "--version", "3")
    assert result.exit_code == 2, result.stderr
    assert "--version 4" in result.stderr and "Traceback" not in result.stderr
    assert (site / SIGNED_MANIFEST_NAME).read_bytes() == before


@pytest.mark.parametrize(
    ("first", "second"),
    [("extra/more.toml", "extra/MORE.toml"), ("extra/more.toml", "Extra/more.toml")],
    ids=["file", "folder"],
)
def test_two_data_files_whose_names_differ_only_by_case_are_not_published(
    data: Path, keys: KeyPair, site: Path, first: str, second: str
) -> None:
    """``extra/more.toml`` and ``extra/MORE.toml`` both in the folder (a case-sensitive file
    system): no agency on a case-insensitive one (macOS, Windows) can install the two side by
    side. Publish refuses it, naming both files (field ``data``), and writes nothing."""
    from tests.factories import write_layer

    write_layer(data, {first: {"agencies": []}, second: {"agencies": []}})
    with pytest.raises(BadInputError) as caught:
        publish_directory(data, keys.private, site, now=NOW, name="caribbean")
    assert caught.value.field == "data"
    assert first in str(caught.value) and second in str(caught.value)
    assert list(site.iterdir()) == []


def test_a_bundle_of_more_files_than_any_client_unpacks_is_not_published(
    data: Path, keys: KeyPair, site: Path
) -> None:
    """Every client refuses a bundle of more than MAX_BUNDLE_FILES files ("$.files: 10007
    files, more than 10000"): publish wrote one, signed, which no agency could install. It is
    refused before anything is written, naming the data folder."""
    from somnet.sharing.bundle import MAX_BUNDLE_FILES

    (data / "notes").mkdir()
    for n in range(MAX_BUNDLE_FILES + 1):
        (data / "notes" / f"n{n}.toml").write_text("# a note\n")
    with pytest.raises(BadInputError) as caught:
        publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    assert caught.value.field == "data"
    assert list(site.iterdir()) == []
