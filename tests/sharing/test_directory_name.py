"""The manifest names the directory it is for, and a sync folder follows one directory: an
office that signs two directories with one key (a staging copy, another region's) cannot have
one served in the other's place, at its URL, to the agencies that follow the other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from somnet import BadInputError, NetworkError, VerificationError, publish_directory
from somnet.sharing.bundle import build_bundle
from somnet.sharing.installed import SIGNED_RECORD_NAME
from somnet.sharing.manifest import SIGNED_MANIFEST_NAME, manifest_bytes, read_manifest
from somnet.sharing.state import read_state
from tests.cli import run
from tests.sharing.helpers import (
    NOW,
    KeyPair,
    assert_unchanged,
    do_sync,
    leftovers,
    manifest_for,
    second_version,
    serve_site_of,
    signed_site,
    site_manifest,
    snapshot,
    synced,
)
from tests.sharing.server import SiteServer


def staging_site(tmp_path: Path, data: Path, keys: KeyPair, *, version: int) -> Path:
    """Another directory signed with the same key: the office's staging copy."""
    other = tmp_path / "staging-site"
    other.mkdir(exist_ok=True)
    publish_directory(
        second_version(data), keys.private, other, name="staging", version=version, now=NOW
    )
    return other


def test_the_manifest_names_the_directory_published(data: Path, keys: KeyPair, site: Path) -> None:
    result = publish_directory(data, keys.private, site, name="caribbean", version=1, now=NOW)
    assert result.directory == "caribbean"
    assert site_manifest(site).directory == "caribbean"
    assert result.to_json()["directory"] == "caribbean"


def test_another_directory_signed_with_the_same_key_is_refused_at_the_urls_of_one(
    installed_v1: dict[str, bytes],
    tmp_path: Path,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    # Whoever answers for the site serves the staging directory's signed files at its URL,
    # with a higher version: signed by a trusted key, it would otherwise be installed.
    serve_site_of(server, site, staging_site(tmp_path, data, keys, version=2))
    with pytest.raises(VerificationError) as caught:
        do_sync(server, keys, folder)
    message = str(caught.value)
    assert server.url + SIGNED_MANIFEST_NAME in message
    assert "'staging'" in message and "'caribbean'" in message
    assert caught.value.field is None
    assert_unchanged(folder, installed_v1)


def test_the_first_sync_installs_the_directory_given_and_pins_it(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, folder: Path
) -> None:
    publish_directory(data, keys.private, site, name="caribbean", version=1, now=NOW)
    result = do_sync(server, keys, folder, name="caribbean")
    assert result.outcome == "installed" and result.directory == "caribbean"
    assert result.to_json()["directory"] == "caribbean"
    state = read_state(folder)
    assert state is not None and state.current.directory == "caribbean"


def test_a_first_sync_refuses_a_directory_other_than_the_one_given(
    tmp_path: Path, data: Path, keys: KeyPair, site: Path, server: SiteServer, folder: Path
) -> None:
    publish_directory(data, keys.private, site, name="staging", version=1, now=NOW)
    with pytest.raises(VerificationError) as caught:
        do_sync(server, keys, folder, name="caribbean")
    assert caught.value.field == "name"
    assert "'staging'" in str(caught.value) and "'caribbean'" in str(caught.value)
    assert server.url + SIGNED_MANIFEST_NAME in str(caught.value)
    assert read_state(folder) is None
    assert list((folder / "copies").glob("*")) == []
    assert leftovers(folder) == []


def test_the_command_refuses_a_first_sync_of_another_directory_naming_the_flag(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
) -> None:
    publish_directory(data, keys.private, site, name="staging", version=1, now=NOW)
    cache = tmp_path / "agency-sync"
    words = ["--trust", str(keys.public), "--cache", str(cache), "--name", "caribbean"]
    result = run(capsys, "directory", "sync", server.url, *words)
    assert result.exit_code == 2
    assert result.stderr.startswith("somnet: --name: ")
    assert "'staging'" in result.stderr and "'caribbean'" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert read_state(cache) is None


def test_the_pinned_directory_survives_new_versions_renewals_and_scheduled_syncs(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    # A sync without the name pins the one the first manifest names (trust on first use).
    assert synced(folder).directory == "caribbean"
    publish_directory(
        second_version(data), keys.private, site, name="caribbean", version=2, now=NOW
    )
    assert do_sync(server, keys, folder).outcome == "installed"
    publish_directory(
        second_version(data),
        keys.private,
        site,
        name="caribbean",
        version=2,
        expires="60d",
        now=NOW,
    )
    assert do_sync(server, keys, folder).outcome == "current"
    state = read_state(folder)
    assert state is not None
    assert state.current.directory == "caribbean"
    assert state.previous is not None and state.previous.directory == "caribbean"
    # Given again, the same name is no conflict.
    assert do_sync(server, keys, folder, name="caribbean").version == 2


def test_a_later_sync_refuses_a_name_other_than_the_pinned_one_before_fetching(
    installed_v1: dict[str, bytes],
    tmp_path: Path,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    # Even when the site now serves that directory: the folder follows the one it pinned.
    serve_site_of(server, site, staging_site(tmp_path, data, keys, version=2))
    with pytest.raises(BadInputError) as caught:
        do_sync(server, keys, folder, name="staging")
    assert caught.value.field == "name"
    assert "'staging'" in str(caught.value) and "'caribbean'" in str(caught.value)
    assert server.requests == []
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize(
    "name", ["", "Caribbean", "caribbean coast", "-caribbean", "carib/bean", "é", "a" * 65]
)
def test_a_bad_directory_name_is_refused_at_sync_before_anything_is_written(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, folder: Path, name: str
) -> None:
    publish_directory(data, keys.private, site, name="caribbean", version=1, now=NOW)
    with pytest.raises(BadInputError) as caught:
        do_sync(server, keys, folder, name=name)
    assert caught.value.field == "name"
    assert server.requests == []
    assert not folder.exists()


def test_status_shows_the_directory_name(
    capsys: pytest.CaptureFixture[str],
    installed_v1: dict[str, bytes],
    folder: Path,
) -> None:
    text = run(capsys, "directory", "status", "--cache", str(folder))
    assert text.exit_code == 0, text.stderr
    assert "name caribbean" in " ".join(text.stdout.split())
    value = run(capsys, "directory", "status", "--cache", str(folder), "--format", "json")
    assert json.loads(value.stdout)["directory"] == "caribbean"


def test_publishing_another_directory_to_a_site_is_refused(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, site: Path
) -> None:
    publish_directory(data, keys.private, site, name="caribbean", version=1, now=NOW)
    before = {p.name: p.read_bytes() for p in site.iterdir()}
    with pytest.raises(BadInputError) as caught:
        publish_directory(second_version(data), keys.private, site, name="staging", now=NOW)
    assert caught.value.field == "name"
    assert "'caribbean'" in str(caught.value) and "'staging'" in str(caught.value)
    common = ["directory", "publish", "--data", str(data), "--key", str(keys.private)]
    result = run(capsys, *common, "--out", str(site), "--name", "staging")
    assert result.exit_code == 2
    assert result.stderr.startswith("somnet: --name: ")
    assert len(result.stderr.splitlines()) == 1
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before
    # Its manifest removed, as after a stolen key, the site publishes the other directory.
    (site / SIGNED_MANIFEST_NAME).unlink()
    result = run(capsys, *common, "--out", str(site), "--name", "staging", "--version", "2")
    assert result.exit_code == 0, result.stderr
    assert site_manifest(site).directory == "staging"


@pytest.mark.parametrize(
    "name", ["", "Caribbean", "caribbean coast", ".caribbean", "carib/bean", "é", "a" * 65]
)
def test_a_bad_directory_name_is_refused_at_publish_naming_the_flag(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, site: Path, name: str
) -> None:
    with pytest.raises(BadInputError) as caught:
        publish_directory(data, keys.private, site, name=name, now=NOW)
    assert caught.value.field == "name"
    common = ["directory", "publish", "--data", str(data), "--key", str(keys.private)]
    result = run(capsys, *common, "--out", str(site), "--name", name)
    assert result.exit_code == 2
    assert result.stderr.startswith("somnet: --name: "), result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert list(site.iterdir()) == []


def test_publish_needs_the_directory_name(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, site: Path
) -> None:
    common = ["directory", "publish", "--data", str(data), "--key", str(keys.private)]
    result = run(capsys, *common, "--out", str(site))
    assert result.exit_code == 2
    assert "--name" in result.stderr
    assert list(site.iterdir()) == []


def test_a_name_that_is_not_text_is_refused_at_publish(
    data: Path, keys: KeyPair, site: Path
) -> None:
    with pytest.raises(BadInputError) as caught:
        publish_directory(data, keys.private, site, name=7, now=NOW)  # type: ignore[arg-type]
    assert caught.value.field == "name"


@pytest.mark.parametrize(
    ("directory", "message"),
    [
        (None, r"\$\.directory: required field missing"),
        ("Caribbean Coast", r"\$\.directory: 'Caribbean Coast' is not a directory name"),
        (7, r"\$\.directory: expected text"),
    ],
)
def test_a_signed_manifest_without_a_valid_directory_name_is_refused_naming_the_field(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    directory: object,
    message: str,
) -> None:
    content, _ = build_bundle(second_version(data))
    manifest = manifest_for(content, keys, version=2)
    value = json.loads(manifest_bytes(manifest))
    if directory is None:
        del value["directory"]
    else:
        value["directory"] = directory
    signed = json.dumps(value, sort_keys=True).encode()
    signed_site(site, keys, signed, (manifest.bundle.name, content))
    with pytest.raises(VerificationError, match="malformed manifest: " + message):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_a_state_written_before_copies_named_their_directory_is_damaged_and_synced_afresh(
    installed_v1: dict[str, bytes],
    tmp_path: Path,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    state = json.loads((folder / "state.json").read_bytes())
    del state["current"]["directory"]
    (folder / "state.json").write_text(json.dumps(state))
    # Nor does the copy record a signed manifest that names it (as an earlier somnet's).
    (folder / state["current"]["folder"] / SIGNED_RECORD_NAME).unlink()
    # As any state whose installed copy cannot be read: a sync with the URL and the trust
    # files starts afresh, and the name given is what it holds the site to.
    serve_site_of(server, site, staging_site(tmp_path, data, keys, version=2))
    with pytest.raises(VerificationError, match="'staging'") as caught:
        do_sync(server, keys, folder, name="caribbean")
    assert caught.value.field == "name"
    server.clear()
    result = do_sync(server, keys, folder, name="caribbean")
    assert any("$.current.directory: required field missing" in w for w in result.warnings)
    assert result.directory == "caribbean"
    assert synced(folder).directory == "caribbean"


def test_a_directory_name_may_hold_dots_and_underscores(
    data: Path, keys: KeyPair, site: Path
) -> None:
    publish_directory(data, keys.private, site, name="caribbean.staging_2", version=1, now=NOW)
    manifest = site_manifest(site)
    assert manifest.directory == "caribbean.staging_2"
    assert read_manifest(manifest_bytes(manifest), "m") == manifest


def test_a_damaged_state_still_follows_the_directory_its_copies_name(
    installed_v1: dict[str, bytes],
    tmp_path: Path,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    # The state cannot be read; a sync with the URL and the trust files starts afresh, and
    # the copy kept there, by the signed manifest it records, still says which directory
    # the folder follows (as it still bounds the version).
    (folder / "state.json").write_text("{")
    serve_site_of(server, site, staging_site(tmp_path, data, keys, version=2))
    with pytest.raises(VerificationError) as caught:
        do_sync(server, keys, folder)
    assert "'staging'" in str(caught.value) and "'caribbean'" in str(caught.value)
    assert caught.value.field is None
    with pytest.raises(BadInputError) as refused:
        do_sync(server, keys, folder, name="staging")
    assert refused.value.field == "name"
    assert (folder / "state.json").read_text() == "{"
    assert not any(p.name.startswith("2-") for p in (folder / "copies").iterdir())
    # The site serves the directory the folder follows again: installed afresh.
    server.clear()
    assert do_sync(server, keys, folder).directory == "caribbean"


def test_a_name_refused_before_fetching_says_the_installed_directory_is_unchanged(
    installed_v1: dict[str, bytes],
    tmp_path: Path,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Every other refusal of a sync says what became of the copy in use; this one, made
    # before anything is fetched, said nothing of it.
    serve_site_of(server, site, staging_site(tmp_path, data, keys, version=2))
    words = [server.url, "--trust", str(keys.public), "--cache", str(folder)]
    result = run(capsys, "directory", "sync", *words, "--name", "staging")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"somnet: --name: {folder} follows the directory 'caribbean', not 'staging': its first "
        "sync installed 'caribbean', and it installs no other; the installed directory is "
        "unchanged (version 1)"
    ]
    assert server.requests == []
    assert_unchanged(folder, installed_v1)


def test_a_refusal_with_the_state_damaged_says_the_copies_kept_are_unchanged(
    installed_v1: dict[str, bytes],
    tmp_path: Path,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    # The state cannot be read; the copy of version 1 is still there, and still bounds the
    # version and the directory. A refusal said "nothing was installed", as if there were no
    # copy: the installed directory is unchanged.
    (folder / "state.json").write_text("{")
    before = {k: v for k, v in installed_v1.items() if k != "state.json"}
    serve_site_of(server, site, staging_site(tmp_path, data, keys, version=2))
    with pytest.raises(VerificationError) as caught:
        do_sync(server, keys, folder)
    assert str(caught.value).endswith("; the installed directory is unchanged"), caught.value
    with pytest.raises(BadInputError) as refused:
        do_sync(server, keys, folder, name="staging")
    assert str(refused.value).endswith("; the installed directory is unchanged"), refused.value
    after = {k: v for k, v in snapshot(folder).items() if k != "state.json"}
    assert after == before


def test_a_refusal_with_no_state_says_nothing_was_installed_whatever_copies_are_left(
    installed_v1: dict[str, bytes],
    site: Path,
    keys: KeyPair,
    server: SiteServer,
    folder: Path,
) -> None:
    # A first sync killed after its copy was moved into place, before the state was written:
    # the copy left there still bounds the version, but no sync was completed and the
    # commands read the shipped directory: nothing was installed.
    (folder / "state.json").unlink()
    (site / "signed-manifest.json").unlink()
    with pytest.raises(NetworkError) as caught:
        do_sync(server, keys, folder, attempts=1)
    assert str(caught.value).endswith("HTTP 404 Not Found; nothing was installed"), caught.value
