"""Syncing the shared directory: a sync installs only a verified directory and otherwise keeps the
copy it had (signatures, rollback, freeze, expiry, key rotation, revocation and recovery from a
stolen key, publications racing a sync)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest

from somnet import (
    BadInputError,
    KeyFileError,
    NetworkError,
    VerificationError,
    load_directory,
    load_trusted_keys,
    publish_directory,
    sync_directory,
    sync_folder,
)
from somnet.sharing.bundle import build_bundle
from somnet.sharing.installed import installed_base
from somnet.sharing.manifest import (
    SIGNED_MANIFEST_NAME,
    manifest_bytes,
    signed_manifest_bytes,
    split_signed_manifest,
)
from somnet.sharing.state import read_state
from tests.cli import run
from tests.factories import sample_files, write_layer
from tests.sharing.helpers import (
    NOW,
    OTHER_UID,
    SHARED_GROUP,
    SIGNED,
    KeyPair,
    Sleeps,
    assert_unchanged,
    break_copy,
    do_sync,
    leftovers,
    manifest_for,
    publish_v2,
    publish_versions,
    second_version,
    serve_site_of,
    signed_site,
    simulate_group,
    simulate_owner,
    snapshot,
    synced,
)
from tests.sharing.server import Fault, SiteServer, etag_of


def test_sync_installs_the_published_directory_as_the_base_layer(
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    tmp_path: Path,
) -> None:
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version, result.previous_version) == ("installed", 1, None)
    base = installed_base(folder)
    assert base == result.copy
    directory = load_directory(base=base, use_env=False, today=NOW.date())
    assert set(directory.states) == {"BS", "HT", "US"}
    # Overlays still lie on top of the synced copy.
    overlay = write_layer(tmp_path / "overlay", {"extra.toml": {"agencies": []}})
    layered = load_directory([overlay], base=base, use_env=False, today=NOW.date())
    assert layered.layers == (base, overlay)
    state = read_state(folder)
    assert state is not None
    assert state.source == server.url + SIGNED_MANIFEST_NAME
    assert state.etag == etag_of((site / SIGNED_MANIFEST_NAME).read_bytes())
    assert leftovers(folder) == []


def test_an_unchanged_manifest_is_answered_304_and_keeps_the_copy(
    installed_v1: dict[str, bytes], keys: KeyPair, server: SiteServer, folder: Path
) -> None:
    result = do_sync(server, keys, folder, now=NOW + timedelta(hours=1))
    assert result.outcome == "not-modified"
    assert server.paths() == [SIGNED]
    assert server.requests[0].headers["if-none-match"].startswith('"')
    after = snapshot(folder)
    assert {k: v for k, v in after.items() if k != "state.json"} == {
        k: v for k, v in installed_v1.items() if k != "state.json"
    }
    state = read_state(folder)
    assert state is not None and state.checked_at == NOW + timedelta(hours=1)


def test_a_new_version_replaces_the_copy_and_keeps_the_previous_one(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    first = installed_base(folder)
    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version, result.previous_version) == ("installed", 2, 1)
    assert installed_base(folder) == result.copy != first
    assert first is not None and first.is_dir()
    loaded = load_directory(base=result.copy, use_env=False, today=NOW.date())
    assert loaded.states["BS"].notes == ("Second version of the directory.",)
    # A third version: the first copy goes, the second is kept as the previous good one.
    files = sample_files()
    files["states/BS.toml"]["state"]["notes"] = ["Third."]
    publish_directory(
        write_layer(data, files), keys.private, site, version=3, now=NOW, name="caribbean"
    )
    third = do_sync(server, keys, folder)
    assert not first.exists() and result.copy.is_dir() and third.copy.is_dir()
    assert synced(folder).previous_version == 2


def test_a_renewed_manifest_extends_the_expiry_without_downloading(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_directory(data, keys.private, site, version=1, expires="90d", now=NOW, name="caribbean")
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.expires) == ("current", NOW + timedelta(days=90))
    assert all(not p.startswith("/directory-") for p in server.paths())


def test_sync_again_uses_the_recorded_source_and_keys(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    result = sync_directory(cache=folder, now=NOW)
    assert (result.outcome, result.version) == ("installed", 2)


def test_a_tampered_manifest_fails_its_signature(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_v2(data, keys, site)
    manifest, signature = split_signed_manifest((site / SIGNED_MANIFEST_NAME).read_bytes(), "s")
    tampered = manifest.replace(b'"version": 2', b'"version": 9')
    assert tampered != manifest
    server.fault(SIGNED, Fault("content", content=signed_manifest_bytes(tampered, signature)))
    with pytest.raises(VerificationError, match=r"bad signature: it does not match the manifest"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_a_garbled_signature_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_v2(data, keys, site)
    manifest, _ = split_signed_manifest((site / SIGNED_MANIFEST_NAME).read_bytes(), "s")
    garbled = signed_manifest_bytes(manifest, b"not a signature\n")
    server.fault(SIGNED, Fault("content", content=garbled))
    with pytest.raises(VerificationError, match=r"bad signature: the signature is not"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", r"malformed signed manifest: \$: not JSON"),
        (b'{"format": "somnet-signed-manifest/1"}', r"\$\.manifest: required field missing"),
        (
            b'{"format": "somnet-signed-manifest/9", "manifest": "", "signature": ""}',
            r"\$\.format: 'somnet-signed-manifest/9' is not 'somnet-signed-manifest/1'",
        ),
        (
            b'{"format": "somnet-signed-manifest/1", "manifest": {}, "signature": ""}',
            r"\$\.manifest: expected text, got a table",
        ),
    ],
)
def test_a_malformed_signed_manifest_is_refused(
    installed_v1: dict[str, bytes],
    server: SiteServer,
    keys: KeyPair,
    folder: Path,
    content: bytes,
    message: str,
) -> None:
    server.fault(SIGNED, Fault("content", content=content))
    with pytest.raises(VerificationError, match=message):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize(
    "content",
    [
        b'{"format": "somnet-signed-manifest/1", "manifest": "\\ud800", "signature": "AA=="}',
        b'{"format": "somnet-signed-manifest/1", "manifest": "{}", "signature": "\\udfff"}',
        b'{"format": "somnet-signed-manifest/1", "manifest": '
        + b"[" * 20_000
        + b"]" * 20_000
        + b"}",
    ],
    ids=["surrogate-in-manifest", "surrogate-in-signature", "nested-too-deeply"],
)
def test_a_hostile_envelope_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    content: bytes,
) -> None:
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    server.fault(SIGNED, Fault("content", content=content))
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 2
    assert "malformed signed manifest" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_manifest_signed_by_an_untrusted_key_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_directory(
        second_version(data), other_keys.private, site, version=2, now=NOW, name="caribbean"
    )
    intruder = load_trusted_keys([other_keys.public])[0].key_id
    with pytest.raises(
        VerificationError, match=rf"signed by key {intruder}, which is not a trusted"
    ):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_an_older_version_is_refused_as_a_rollback(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    # The server (or an attacker replaying a genuine old manifest) offers version 1 after 2.
    old_signed = (site / SIGNED_MANIFEST_NAME).read_bytes()
    publish_v2(data, keys, site)
    assert do_sync(server, keys, folder).version == 2
    before = snapshot(folder)
    (site / SIGNED_MANIFEST_NAME).write_bytes(old_signed)
    with pytest.raises(
        VerificationError,
        match=r"rollback refused: the server offers version 1, older than the installed "
        r"version 2; the installed directory is unchanged \(version 2\)",
    ):
        do_sync(server, keys, folder)
    assert snapshot(folder) == before and leftovers(folder) == []


def test_the_same_version_with_other_content_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    content, _ = build_bundle(second_version(data))
    manifest = manifest_for(content, keys, version=1)
    signed_site(site, keys, manifest_bytes(manifest), (manifest.bundle.name, content))
    with pytest.raises(VerificationError, match=r"version 1 is already installed with other"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_an_expired_manifest_is_refused_as_a_freeze(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    # Version 2 was genuine, but expired before the client sees it (a replayed old manifest).
    publish_directory(
        second_version(data), keys.private, site, version=2, expires="1d", now=NOW, name="caribbean"
    )
    with pytest.raises(
        VerificationError,
        match=r"the manifest \(version 2\) expired on 2026-11-28T12:00:00Z: a server replaying",
    ):
        do_sync(server, keys, folder, now=NOW + timedelta(days=2))
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (b"not json", r"malformed manifest: \$: not JSON"),
        (b"[1, 2]", r"malformed manifest: \$: expected a JSON object"),
        (b'{"format": "somnet-directory-manifest/1"}', r"\$\.version: required field missing"),
    ],
)
def test_a_malformed_manifest_is_refused_even_when_signed(
    installed_v1: dict[str, bytes],
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    manifest: bytes,
    message: str,
) -> None:
    signed_site(site, keys, manifest, None)
    with pytest.raises(VerificationError, match=message):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_a_version_of_301_digits_is_refused_as_malformed(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    content, _ = build_bundle(data)
    manifest = manifest_for(content, keys, version=10**300)
    manifest = attrs.evolve(manifest, bundle=attrs.evolve(manifest.bundle, name="huge.json"))
    signed_site(site, keys, manifest_bytes(manifest), (manifest.bundle.name, content))
    with pytest.raises(VerificationError, match=r"\$\.version: expected a whole number from 1 to"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)
    with pytest.raises(BadInputError, match="versions are whole numbers from 1 to") as caught:
        publish_directory(
            data,
            keys.private,
            site.parent / "another-site",
            version=2**63,
            now=NOW,
            name="caribbean",
        )
    assert caught.value.field == "version"


def test_a_replayed_older_manifest_of_the_same_version_cannot_move_its_expiry_back(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    older = (site / SIGNED_MANIFEST_NAME).read_bytes()
    # The office renews version 1 for 90 days; the agency syncs it.
    later = NOW + timedelta(days=1)
    publish_directory(
        data, keys.private, site, version=1, expires="90d", now=later, name="caribbean"
    )
    assert do_sync(server, keys, folder, now=later).expires == NOW + timedelta(days=91)
    before = snapshot(folder)
    # An attacker replays the first manifest of version 1, which expires 60 days earlier.
    server.fault(SIGNED, Fault("content", content=older))
    with pytest.raises(VerificationError, match="older manifest of version 1"):
        do_sync(server, keys, folder, now=later)
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    ("ahead", "accepted"),
    [(timedelta(days=365), False), (timedelta(hours=2), False), (timedelta(minutes=30), True)],
    ids=["a-year", "two-hours", "half-an-hour"],
)
def test_a_manifest_dated_ahead_of_the_clock_is_refused_beyond_the_skew(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    ahead: timedelta,
    accepted: bool,
) -> None:
    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW + ahead, name="caribbean"
    )
    if accepted:
        assert do_sync(server, keys, folder).version == 2
        return
    with pytest.raises(VerificationError, match="ahead of this machine's clock"):
        do_sync(server, keys, folder)
    assert_unchanged(folder, installed_v1)


def test_a_bundle_larger_than_the_cap_is_not_downloaded(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    bundle = publish_v2(data, keys, site)
    with pytest.raises(
        VerificationError, match=r"announces a bundle of \d+ bytes, more than the 100"
    ):
        do_sync(server, keys, folder, max_bundle_bytes=100)
    assert bundle not in server.paths()
    assert_unchanged(folder, installed_v1)


def test_a_304_after_expiry_reports_the_copy_expired_and_is_not_a_check(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(days=10)
    publish_directory(data, keys.private, site, version=1, expires="5d", now=past, name="caribbean")
    sync_directory(server.url, [keys.public], now=past + timedelta(days=1))
    checked = read_state(sync_folder())
    assert checked is not None
    # An attacker (or a stale cache) answers 304 to everything, forever.
    server.fault(SIGNED, Fault("not-modified"))
    result = run(capsys, "directory", "sync")
    assert result.exit_code == 2
    assert "expired" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    after = read_state(sync_folder())
    assert after is not None and after.checked_at == checked.checked_at
    # Once expired, the client asks unconditionally: a renewed manifest would be served whole.
    assert all("if-none-match" not in r.headers for r in server.requests)


def test_a_sync_that_read_the_previous_manifest_still_finds_its_bundle(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, folder: Path
) -> None:
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    previous = (site / SIGNED_MANIFEST_NAME).read_bytes()
    publish_v2(data, keys, site)
    server.fault(SIGNED, Fault("content", content=previous, times=1))
    assert do_sync(server, keys, folder).version == 1  # consistent, if one version behind
    assert do_sync(server, keys, folder).version == 2


def test_a_bundle_pruned_during_a_sync_says_the_site_was_being_updated(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    publish_v2(data, keys, site)
    read_by_the_client = (site / SIGNED_MANIFEST_NAME).read_bytes()
    publish_versions(data, keys, site, range(3, 6), now=NOW)  # keeps 3, 4 and 5 only
    server.fault(SIGNED, Fault("content", content=read_by_the_client))
    with pytest.raises(NetworkError) as caught:
        do_sync(server, keys, folder)
    message = str(caught.value)
    assert "the site was being updated" in message and "bad signature" not in message
    assert message.endswith("; sync again; the installed directory is unchanged (version 1)")
    assert_unchanged(folder, installed_v1)


def test_syncs_during_real_publications_never_see_a_bad_signature(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    import threading

    last = 12
    publisher = threading.Thread(
        target=publish_versions, args=(data, keys, site, range(2, last + 1)), kwargs={"now": NOW}
    )
    outcomes: list[str] = []
    publisher.start()
    try:
        while publisher.is_alive():
            try:
                outcomes.append(str(do_sync(server, keys, folder).version))
            except NetworkError as exc:  # the bundle read was pruned meanwhile
                assert "the site was being updated" in str(exc)
                assert read_state(folder) is not None
                outcomes.append("retry")
    finally:
        publisher.join()
    assert outcomes  # at least one sync ran during the publications
    assert do_sync(server, keys, folder).version == last
    assert leftovers(folder) == []


def test_a_trust_file_lists_several_keys_for_rotation(
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    tmp_path: Path,
) -> None:
    trust = tmp_path / "trust"
    trust.write_text(keys.public.read_text() + "\n" + other_keys.public.read_text())
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    assert sync_directory(server.url, [trust], cache=folder, now=NOW).version == 1
    # The office rotates to the new key: clients that trust both follow.
    publish_directory(
        second_version(data), other_keys.private, site, version=2, now=NOW, name="caribbean"
    )
    result = sync_directory(server.url, [trust], cache=folder, now=NOW)
    assert (result.outcome, result.version) == ("installed", 2)
    new_key = load_trusted_keys([other_keys.public])[0].key_id
    assert synced(folder).key_id == new_key


def test_one_trust_file_may_be_given_alone(
    data: Path, keys: KeyPair, site: Path, server: SiteServer, folder: Path
) -> None:
    # sync_directory(url, "office.key.pub") read each letter of the path as a trust file and
    # said "/: is a folder, not a trust file"; one file given alone is that file, as
    # load_directory takes one folder alone.
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    for alone in (str(keys.public), keys.public):
        result = sync_directory(server.url, alone, cache=folder, now=NOW)
        assert result.version == 1
    assert load_trusted_keys(str(keys.public)) == load_trusted_keys([keys.public])


def test_the_trust_file_is_read_again_at_each_sync_so_a_new_key_is_followed(
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
) -> None:
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    assert sync_directory(server.url, [trust_file], cache=folder, now=NOW).version == 1
    state_text = (folder / "state.json").read_text()
    assert keys.public.read_text().split()[-1] not in state_text  # no copy of the keys
    # The office announces its new key: the agency adds it to its trust file, nothing else.
    trust_file.write_text(keys.public.read_text() + other_keys.public.read_text())
    publish_directory(
        second_version(data), other_keys.private, site, version=2, now=NOW, name="caribbean"
    )
    result = sync_directory(cache=folder, now=NOW)
    assert (result.outcome, result.version) == ("installed", 2)


def test_a_key_removed_from_the_trust_file_is_revoked_for_the_scheduled_sync(
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
) -> None:
    trust_file.write_text(keys.public.read_text() + other_keys.public.read_text())
    publish_directory(data, other_keys.private, site, version=1, now=NOW, name="caribbean")
    assert sync_directory(server.url, [trust_file], cache=folder, now=NOW).version == 1
    # The old key is retired (or stolen): removed from the trust file.
    trust_file.write_text(other_keys.public.read_text())
    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    before = snapshot(folder)
    old_key = load_trusted_keys([keys.public])[0].key_id
    with pytest.raises(
        VerificationError, match=rf"signed by key {old_key}, which is not a trusted"
    ):
        sync_directory(cache=folder, now=NOW)
    assert snapshot(folder) == before


@pytest.mark.parametrize("answer", ["not-modified", "current"])
def test_a_previous_copy_signed_by_a_key_since_revoked_is_no_fallback(
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
    answer: str,
) -> None:
    """Rotation with an overlap: version 1 signed by the old key, version 2 by the new one,
    both trusted meanwhile. Then the old key is revoked (it was stolen, say): the copy it
    signed, kept as the previous good one, must no longer be what the commands fall back
    to, although the server still serves version 2 unchanged (304, or the manifest again)."""
    from somnet.sharing.installed import load_over_installed

    trust_file.write_text(keys.public.read_text() + other_keys.public.read_text())
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    assert sync_directory(server.url, [trust_file], cache=folder, now=NOW).version == 1
    publish_directory(
        second_version(data), other_keys.private, site, version=2, now=NOW, name="caribbean"
    )
    assert sync_directory(cache=folder, now=NOW).version == 2
    state = read_state(folder)
    assert state is not None and state.previous is not None and state.previous.version == 1
    old_copy = folder / state.previous.folder
    trust_file.write_text(other_keys.public.read_text())  # the old key is revoked
    if answer == "current":
        server.fault(SIGNED, Fault("headers"))  # the manifest again, without its ETag
    result = sync_directory(cache=folder, now=NOW)
    assert (result.outcome, result.version) == (answer, 2)
    assert len(result.warnings) == 1  # said, not dropped silently
    state = read_state(folder)
    assert state is not None and state.previous is None
    assert not old_copy.exists()
    # The copy of version 2 stops loading: the commands read the shipped directory, not
    # what the revoked key signed.
    break_copy(folder / state.current.folder)
    read: list[Path | None] = []

    def load(base: Path | None) -> Path | None:
        read.append(base)
        if base is not None:
            load_directory(base=base, use_env=False, today=NOW.date())
        return base

    loaded, _warnings = load_over_installed(load, folder / state.current.folder, folder, now=NOW)
    assert loaded is None and old_copy not in read


def test_recovery_from_a_stolen_key_that_signed_the_highest_version(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    trust_file: Path,
    tmp_path: Path,
) -> None:
    """The thief signs the highest version there is, and agencies install it (the key was
    trusted). The office makes a new key; each agency puts it in its trust file in place of
    the stolen one, and the next plain sync installs the office's directory again."""
    from somnet.sharing.manifest import MAX_VERSION

    publish_directory(data, keys.private, site, version=1, name="caribbean")
    assert run(capsys, "directory", "sync", server.url, "--trust", str(trust_file)).exit_code == 0
    thief = tmp_path / "thief"
    publish_directory(
        second_version(data),
        keys.private,
        thief,
        version=MAX_VERSION,
        expires="52w",
        name="caribbean",
    )
    serve_site_of(server, site, thief)
    assert run(capsys, "directory", "sync").exit_code == 0
    assert read_state(sync_folder()).current.version == MAX_VERSION  # type: ignore[union-attr]
    # The office cleans its server, and its new key publishes version 2 of the directory.
    server.clear()
    publish_directory(data, other_keys.private, site, version=2, name="caribbean")
    refused = run(capsys, "directory", "sync")
    assert refused.exit_code == 2 and "not a trusted key" in refused.stderr
    trust_file.write_text(other_keys.public.read_text())  # revoke the stolen key, trust the new
    status = json.loads(run(capsys, "directory", "status", "--format", "json").stdout)
    assert status["key_trusted"] is False and status["trust"] == [str(trust_file)]
    result = run(capsys, "directory", "sync", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["outcome"], report["version"]) == ("installed", 2)
    assert any("no longer trusted" in w for w in report["warnings"])
    state = read_state(sync_folder())
    assert state is not None and state.previous is None  # nothing the thief signed is kept
    status = json.loads(run(capsys, "directory", "status", "--format", "json").stdout)
    assert status["key_trusted"] is True
    # From then on the floor holds again, for the new key: version 1 is a rollback...
    replay = tmp_path / "replay"
    publish_directory(data, other_keys.private, replay, version=1, name="caribbean")
    serve_site_of(server, site, replay)
    assert "rollback refused" in run(capsys, "directory", "sync").stderr
    # ...and whatever the thief signs is refused.
    publish_directory(
        second_version(data), keys.private, tmp_path / "thief-2", version=3, name="caribbean"
    )
    thief = tmp_path / "thief-2"
    serve_site_of(server, site, thief)
    assert "not a trusted key" in run(capsys, "directory", "sync").stderr


def test_a_recorded_trust_file_that_is_gone_is_named(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    trust_file: Path,
) -> None:
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    assert run(capsys, "directory", "sync", server.url, "--trust", str(trust_file)).exit_code == 0
    trust_file.unlink()
    result = run(capsys, "directory", "sync")
    assert result.exit_code == 2
    assert str(trust_file) in result.stderr and result.stderr.count("\n") == 1


def test_plain_http_is_warned_about_once(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, site: Path, server: SiteServer
) -> None:
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 0
    (warning,) = result.stderr.splitlines()
    assert warning.startswith("somnet: warning: ") and "plain http" in warning
    # The scheduled syncs that follow do not repeat it.
    assert run(capsys, "directory", "sync").stderr == ""


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("opened", ["file", "folder"])
def test_a_trust_file_every_user_may_change_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
    opened: str,
) -> None:
    """Whoever may add a line to the trust file may sign the directory the agency installs: a
    trust file (or a folder holding it) open to every user is refused, as ssh refuses such an
    authorized_keys."""
    publish_v2(data, keys, site)
    target, mode = (trust_file, 0o666) if opened == "file" else (trust_file.parent, 0o777)
    target.chmod(mode)
    with pytest.raises(KeyFileError) as caught:
        sync_directory(server.url, [trust_file], cache=folder, now=NOW, sleep=Sleeps())
    assert caught.value.field == "trust"
    assert_unchanged(folder, installed_v1)
    target.chmod(mode & 0o755)
    result = sync_directory(server.url, [trust_file], cache=folder, now=NOW, sleep=Sleeps())
    assert result.version == 2


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("group", ["shared", "none"])
@pytest.mark.parametrize("opened", ["file", "folder"])
def test_a_trust_file_the_members_of_its_group_may_change_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
    opened: str,
    group: str,
) -> None:
    """A trust file (or its folder) that its group may write in, where the group holds another
    user than its owner (or is one the system has no entry for): each member may add a key
    and sign the directory the agency installs. Refused as a group-writable authorized_keys
    is by ssh, naming the file, the mode, the group and chmod g-w, before anything is fetched."""
    simulate_group(monkeypatch, group)
    publish_v2(data, keys, site)
    server.clear()
    target, mode = (trust_file, 0o664) if opened == "file" else (trust_file.parent, 0o775)
    target.chmod(mode)
    named = SHARED_GROUP if group == "shared" else str(target.stat().st_gid)
    with pytest.raises(KeyFileError) as caught:
        sync_directory(server.url, [trust_file], cache=folder, now=NOW, sleep=Sleeps())
    assert caught.value.field == "trust"
    if opened == "file":
        assert caught.value.reason == (
            f"{trust_file}: mode 0664 lets the members of group {named} add a key that signs "
            f"the directory; make it its owner's to change (chmod g-w {trust_file})"
        )
    else:
        assert caught.value.reason == (
            f"{trust_file}: its folder {target} (mode 0775) lets the members of group {named} "
            f"replace it with a trust file of their own keys (chmod g-w {target})"
        )
    assert_unchanged(folder, installed_v1)
    assert server.paths() == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("opened", ["file", "folder"])
def test_a_trust_file_only_its_owners_private_group_may_change_is_accepted(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
    opened: str,
) -> None:
    """Debian and Ubuntu give each user a group of their own, and under their umask 002 a trust
    file made by hand is group-writable: a group with no member but the file's owner lets no
    one else change it, so it is read, as ssh on Debian reads such an authorized_keys."""
    simulate_group(monkeypatch, "private")
    publish_v2(data, keys, site)
    target, mode = (trust_file, 0o664) if opened == "file" else (trust_file.parent, 0o775)
    target.chmod(mode)
    result = sync_directory(server.url, [trust_file], cache=folder, now=NOW, sleep=Sleeps())
    assert (result.outcome, result.version) == ("installed", 2)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_sync_refuses_a_trust_file_its_teams_group_may_change_naming_mode_group_and_fix(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    trust_file: Path,
) -> None:
    """On the command line: --trust named, the file, its mode, its group and chmod g-w, exit 2,
    no sync folder made; the same file accepted once its group is its owner's alone."""
    simulate_group(monkeypatch, "shared")
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    trust_file.chmod(0o664)
    result = run(capsys, "directory", "sync", server.url, "--trust", str(trust_file))
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        f"somnet: --trust: {trust_file}: mode 0664 lets the members of group {SHARED_GROUP} add "
        f"a key that signs the directory; make it its owner's to change (chmod g-w "
        f"{trust_file})\n"
    )
    assert not sync_folder().exists()
    simulate_group(monkeypatch, "private")
    result = run(capsys, "directory", "sync", server.url, "--trust", str(trust_file))
    assert result.exit_code == 0, result.stderr


_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
_OWNERS = [
    "patched",
    pytest.param("chowned", marks=pytest.mark.skipif(not _AS_ROOT, reason="chown: root only")),
]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("how", _OWNERS)
def test_a_trust_file_another_user_owns_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
    how: str,
) -> None:
    """Its owner may add a key to it whatever its mode (0644 here), and so sign the directory
    the agency installs: refused as ssh refuses an authorized_keys another user owns, naming
    the file and its owner, before anything is fetched."""
    publish_v2(data, keys, site)
    server.clear()
    trust_file.chmod(0o644)
    owner = simulate_owner(monkeypatch, trust_file, how)
    with pytest.raises(KeyFileError) as caught:
        sync_directory(server.url, [trust_file], cache=folder, now=NOW, sleep=Sleeps())
    assert (caught.value.field, caught.value.value) == ("trust", trust_file)
    assert caught.value.reason == (
        f"{trust_file}: owned by another user (uid {owner}), who may add a key that signs the "
        "directory whatever its mode; somnet trusts only a file of its own user's (or root's): "
        "copy it to a file of yours, or chown it"
    )
    assert_unchanged(folder, installed_v1)
    assert server.paths() == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_trust_file_root_owns_is_read(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
) -> None:
    """Root may change any file whoever owns it: a trust file of root's (an agency's under
    /etc) puts it in no other hands, as ssh takes it."""
    publish_v2(data, keys, site)
    simulate_owner(monkeypatch, trust_file, "patched", uid=0)
    result = sync_directory(server.url, [trust_file], cache=folder, now=NOW, sleep=Sleeps())
    assert (result.outcome, result.version) == ("installed", 2)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("how", _OWNERS)
def test_sync_refuses_a_trust_file_another_user_owns_naming_trust_and_owner(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    trust_file: Path,
    how: str,
) -> None:
    """On the command line: --trust named, the file and its owner, exit 2, no sync folder."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    simulate_owner(monkeypatch, trust_file, how)
    result = run(capsys, "directory", "sync", server.url, "--trust", str(trust_file))
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        f"somnet: --trust: {trust_file}: owned by another user (uid {OTHER_UID}), who may add a "
        "key that signs the directory whatever its mode; somnet trusts only a file of its own "
        "user's (or root's): copy it to a file of yours, or chown it\n"
    )
    assert not sync_folder().exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("how", _OWNERS)
@pytest.mark.parametrize("sticky", [False, True], ids=["plain", "sticky"])
@pytest.mark.parametrize("level", ["folder", "above"])
def test_a_trust_file_in_a_folder_another_user_owns_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
    how: str,
    sticky: bool,
    level: str,
) -> None:
    """The owner of its folder (or of any folder above it) may rename the file, or the folder
    below theirs, and put their own keys in its place, whatever the modes: refused naming that
    folder and its owner, before anything is fetched, as ssh refuses an authorized_keys below
    a folder another user owns. A sticky bit there is no help: its owner may still remove any
    entry in it, and clear the bit."""
    publish_v2(data, keys, site)
    server.clear()
    target = trust_file.parent if level == "folder" else trust_file.parent.parent
    target.chmod(0o1755 if sticky else 0o755)
    owner = simulate_owner(monkeypatch, target, how)
    with pytest.raises(KeyFileError) as caught:
        sync_directory(server.url, [trust_file], cache=folder, now=NOW, sleep=Sleeps())
    assert (caught.value.field, caught.value.value) == ("trust", trust_file)
    assert caught.value.reason == (
        f"{trust_file}: its folder {target} is owned by another user (uid {owner}), who may "
        "replace it with a trust file of their own keys whatever the folder's mode (keep it in "
        f"a folder of yours, or chown {target})"
    )
    assert_unchanged(folder, installed_v1)
    assert server.paths() == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_sync_refuses_a_trust_file_in_a_folder_another_user_owns_naming_trust_and_folder(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    trust_file: Path,
) -> None:
    """On the command line: --trust named, the folder and its owner, exit 2, no sync folder."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    simulate_owner(monkeypatch, trust_file.parent, "patched")
    result = run(capsys, "directory", "sync", server.url, "--trust", str(trust_file))
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        f"somnet: --trust: {trust_file}: its folder {trust_file.parent} is owned by another user "
        f"(uid {OTHER_UID}), who may replace it with a trust file of their own keys whatever the "
        f"folder's mode (keep it in a folder of yours, or chown {trust_file.parent})\n"
    )
    assert not sync_folder().exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_trust_file_in_a_folder_root_owns_is_read(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
) -> None:
    """An agency's trust file under /etc: root owns the folders, and may change anything."""
    publish_v2(data, keys, site)
    for path in (trust_file.parent, trust_file.parent.parent):
        simulate_owner(monkeypatch, path, "patched", uid=0)
    result = sync_directory(server.url, [trust_file], cache=folder, now=NOW, sleep=Sleeps())
    assert (result.outcome, result.version) == ("installed", 2)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("group", [False, True], ids=["every-user", "group"])
def test_a_trust_file_below_a_folder_others_may_write_in_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
    group: bool,
) -> None:
    """A folder above its own that every user, or a team's group, may write in: they may
    rename the folder below it and put one of their own, with their keys, in its place.
    Refused naming that folder; with the sticky bit (as /tmp), only the owner of the folder
    below may rename it, and it is read."""
    simulate_group(monkeypatch, "shared")
    publish_v2(data, keys, site)
    above = trust_file.parent.parent
    above.chmod(0o775 if group else 0o777)
    with pytest.raises(KeyFileError) as caught:
        sync_directory(server.url, [trust_file], cache=folder, now=NOW, sleep=Sleeps())
    who = f"the members of group {SHARED_GROUP}" if group else "every user of this machine"
    fix = "g-w" if group else "o-w"
    mode = "0775" if group else "0777"
    assert caught.value.reason == (
        f"{trust_file}: its folder {above} (mode {mode}) lets {who} replace it with a trust "
        f"file of their own keys (chmod {fix} {above})"
    )
    assert_unchanged(folder, installed_v1)
    above.chmod(0o1775 if group else 0o1777)
    result = sync_directory(server.url, [trust_file], cache=folder, now=NOW, sleep=Sleeps())
    assert (result.outcome, result.version) == ("installed", 2)


def link_to(trust_file: Path) -> Path:
    """A link to the trust file in a folder of its own (~/keys/agency.pub), as an officer
    keeps the agency's key where the team's scripts expect it."""
    link = trust_file.parent.parent / "officer-keys" / "agency.pub"
    link.parent.mkdir()
    link.symlink_to(trust_file)
    return link


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("opened", ["owner", "every-user", "group"])
def test_a_trust_file_through_a_link_in_a_folder_others_may_change_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
    opened: str,
) -> None:
    """The file a link points at may be safe, but whoever may write in the folder that holds
    the link (or owns it) may point the link at their own keys: refused naming that folder,
    as for the file's own folders, before anything is fetched."""
    simulate_group(monkeypatch, "shared")
    publish_v2(data, keys, site)
    server.clear()
    link = link_to(trust_file)
    keys_folder = link.parent
    if opened == "owner":
        owner = simulate_owner(monkeypatch, keys_folder, "patched")
        why = (
            f"its folder {keys_folder} is owned by another user (uid {owner}), who may replace "
            "it with a trust file of their own keys whatever the folder's mode (keep it in a "
            f"folder of yours, or chown {keys_folder})"
        )
    else:
        mode, who, fix = (
            ("0777", "every user of this machine", "o-w")
            if opened == "every-user"
            else ("0775", f"the members of group {SHARED_GROUP}", "g-w")
        )
        keys_folder.chmod(int(mode, 8))
        why = (
            f"its folder {keys_folder} (mode {mode}) lets {who} replace it with a trust file "
            f"of their own keys (chmod {fix} {keys_folder})"
        )
    with pytest.raises(KeyFileError) as caught:
        sync_directory(server.url, [link], cache=folder, now=NOW, sleep=Sleeps())
    assert (caught.value.field, caught.value.value) == ("trust", link)
    assert caught.value.reason == f"{link}: {why}"
    assert_unchanged(folder, installed_v1)
    assert server.paths() == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("how", _OWNERS)
def test_a_trust_file_through_a_link_another_user_owns_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
    how: str,
) -> None:
    """A link that another user owns (in a sticky folder such as /tmp, its owner may remove
    it and make another): refused naming the link and its owner, the file it points at being
    this user's."""
    publish_v2(data, keys, site)
    server.clear()
    link = link_to(trust_file)
    link.parent.chmod(0o1777)
    owner = simulate_owner(monkeypatch, link, how, link=True)
    with pytest.raises(KeyFileError) as caught:
        sync_directory(server.url, [link], cache=folder, now=NOW, sleep=Sleeps())
    assert (caught.value.field, caught.value.value) == ("trust", link)
    assert caught.value.reason == (
        f"{link}: the symbolic link {link} is owned by another user (uid {owner}), who may "
        "point it at a trust file of their own keys (make a link of your own in its place, or "
        "name the file it points at)"
    )
    assert_unchanged(folder, installed_v1)
    assert server.paths() == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_sync_refuses_a_trust_file_through_a_link_every_user_may_replace_naming_trust(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    trust_file: Path,
) -> None:
    """On the command line: --trust named, the link and its folder, exit 2, no sync folder."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    link = link_to(trust_file)
    link.parent.chmod(0o777)
    result = run(capsys, "directory", "sync", server.url, "--trust", str(link))
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        f"somnet: --trust: {link}: its folder {link.parent} (mode 0777) lets every user of this "
        f"machine replace it with a trust file of their own keys (chmod o-w {link.parent})\n"
    )
    assert not sync_folder().exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("chain", ["link", "link-to-link", "sticky"])
def test_a_trust_file_through_a_link_of_ones_own_is_read(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    trust_file: Path,
    chain: str,
) -> None:
    """A link of this user's, in a folder of theirs (or a sticky one, as /tmp), to a trust file
    of theirs, directly or through another link: read, and the directory synced."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    link = link_to(trust_file)
    if chain == "link-to-link":
        first = link
        link = link.parent / "current.pub"
        link.symlink_to(first.name)
    elif chain == "sticky":
        link.parent.chmod(0o1777)
    result = run(capsys, "directory", "sync", server.url, "--trust", str(link))
    assert result.exit_code == 0, result.stderr
    assert sync_folder().exists()


@pytest.mark.parametrize("answer", ["not-modified", "current"])
def test_a_copy_damaged_on_disk_is_installed_again_by_the_next_sync(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    answer: str,
) -> None:
    """A file of the installed copy damaged on disk (or edited so that it no longer loads):
    the commands fall back to the shipped directory, and the site still serves the version
    installed, unchanged (a 304, or the manifest again). The next sync must install the
    signed copy again, not call the damaged one current until a new version is published."""
    state = read_state(folder)
    assert state is not None
    copy = folder / state.current.folder
    pristine = (copy / "states" / "BS.toml").read_bytes()
    break_copy(copy)
    if answer == "current":
        server.fault(SIGNED, Fault("headers"))  # the manifest again, without its ETag
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version) == ("installed", 1)
    assert any("states/BS.toml" in warning for warning in result.warnings)
    # In a folder of its own; the damaged one, no longer named by the state, removed.
    assert result.copy != copy and not copy.exists()
    assert (result.copy / "states" / "BS.toml").read_bytes() == pristine
    assert load_directory(base=result.copy, use_env=False, today=NOW.date()).states
    assert synced(folder).loads is True
    assert leftovers(folder) == []


def test_a_copy_edited_by_hand_is_said_and_a_sync_installs_the_signed_one_again(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    """An officer edits the synced copy by hand (a phone number, a state added) instead of
    laying an overlay over it: the copy still loads, but it is no longer what the key signed.
    ``status`` must not present it as the signed version without a word, and the next sync
    puts the signed copy back, keeping the previous good copy."""
    from somnet import sync_status

    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    assert do_sync(server, keys, folder).version == 2
    state = read_state(folder)
    assert state is not None and state.previous is not None
    copy = folder / state.current.folder
    bs = copy / "states" / "BS.toml"
    pristine = bs.read_bytes()
    bs.write_bytes(pristine.replace(b"Second version", b"Edited by hand"))
    (copy / "states" / "extra.toml").write_text("agencies = []\n")
    assert load_directory(base=copy, use_env=False, today=NOW.date()).states  # still loads
    status = sync_status(folder, now=NOW)
    (warning,) = status.warnings
    assert warning.sync_again
    assert "states/BS.toml" in warning.reason and "states/extra.toml" in warning.reason
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version, result.previous_version) == ("installed", 2, 2)
    assert result.copy != copy and not copy.exists()
    assert (result.copy / "states" / "BS.toml").read_bytes() == pristine
    assert not (result.copy / "states" / "extra.toml").exists()
    after = read_state(folder)
    assert after is not None and after.previous == state.previous
    assert folder / after.current.folder == result.copy
    assert (folder / state.previous.folder).is_dir()
    assert sync_status(folder, now=NOW).warnings == ()
    assert do_sync(server, keys, folder).outcome == "not-modified"


def test_a_replayed_older_manifest_is_refused_when_the_copy_is_installed_again(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    """A copy whose files were changed is installed again from the site: an older manifest of
    the installed version, replayed then, must still not move its expiry back."""
    older = (site / SIGNED_MANIFEST_NAME).read_bytes()
    later = NOW + timedelta(days=1)
    publish_directory(
        data, keys.private, site, version=1, expires="90d", now=later, name="caribbean"
    )
    assert do_sync(server, keys, folder, now=later).expires == NOW + timedelta(days=91)
    state = read_state(folder)
    assert state is not None
    break_copy(folder / state.current.folder)
    server.fault(SIGNED, Fault("content", content=older))
    with pytest.raises(VerificationError, match="older manifest of version 1"):
        do_sync(server, keys, folder, now=later)
    after = read_state(folder)
    assert after is not None and after.current.expires == NOW + timedelta(days=91)


def test_a_copy_gone_from_disk_is_installed_again_and_the_previous_one_kept(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    """The installed copy's folder is removed (a disk clean-up, a sync killed while it put a
    copy back): the next sync installs it again, and must not drop the previous good copy,
    which nothing is wrong with, on the way."""
    import shutil

    publish_directory(
        second_version(data), keys.private, site, version=2, now=NOW, name="caribbean"
    )
    assert do_sync(server, keys, folder).version == 2
    state = read_state(folder)
    assert state is not None and state.previous is not None
    shutil.rmtree(folder / state.current.folder)
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version) == ("installed", 2)
    after = read_state(folder)
    assert after is not None and after.previous == state.previous
    assert (folder / state.previous.folder).is_dir() and synced(folder).previous_version == 1


def test_a_copy_emptied_on_disk_is_installed_again_by_the_next_sync(
    installed_v1: dict[str, bytes], keys: KeyPair, server: SiteServer, folder: Path
) -> None:
    """The installed copy's folder is there but empty, its records gone with its files (a
    clean-up that emptied it): no record can vouch for it, and no bundle is empty, so it is not
    the directory its key signed. The next sync installs it again, as for a copy gone, rather
    than answer "not modified" and leave the commands on the shipped directory."""
    import shutil

    state = read_state(folder)
    assert state is not None
    shutil.rmtree(folder / state.current.folder)
    (folder / state.current.folder).mkdir()
    result = do_sync(server, keys, folder)
    assert (result.outcome, result.version) == ("installed", 1)
    base = installed_base(folder)
    assert base is not None and (base / "states" / "BS.toml").is_file()
    assert synced(folder).loads
    assert leftovers(folder) == []


@pytest.mark.parametrize(
    "names",
    [("extra/more.toml", "extra/MORE.toml"), ("extra/more.toml", "EXTRA/More.toml")],
    ids=["file", "folder"],
)
def test_a_bundle_with_two_files_whose_names_differ_only_by_case_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    names: tuple[str, str],
) -> None:
    """A signed bundle carrying ``extra/more.toml`` and ``extra/MORE.toml``: on a
    case-insensitive file system the two cannot be unpacked side by side (one would replace
    the other, or the install stop half-way with a disk error). Refused before anything is
    written, naming both files (exit 2)."""
    files = json.loads(build_bundle(data)[0])["files"] | {name: "agencies = []\n" for name in names}
    content = json.dumps({"format": "somnet-directory-bundle/1", "files": files}).encode()
    manifest = manifest_for(content, keys, version=2)
    signed_site(site, keys, manifest_bytes(manifest), (manifest.bundle.name, content))
    with pytest.raises(VerificationError) as caught:
        do_sync(server, keys, folder)
    assert all(name in str(caught.value) for name in names)
    assert_unchanged(folder, installed_v1)


def test_a_bundle_with_a_file_and_a_folder_of_one_name_is_refused(
    installed_v1: dict[str, bytes],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
) -> None:
    """A signed bundle carrying ``extra/more.toml`` and ``extra/more.toml/other.toml``, which
    no file system holds side by side (no publication makes it): the install stopped
    half-way as a disk failure (exit 1, "cannot install"). It is the bundle's fault: refused
    before anything is written, naming both paths (exit 2)."""
    names = ("extra/more.toml", "extra/more.toml/other.toml")
    files = json.loads(build_bundle(data)[0])["files"] | {name: "agencies = []\n" for name in names}
    content = json.dumps({"format": "somnet-directory-bundle/1", "files": files}).encode()
    manifest = manifest_for(content, keys, version=2)
    signed_site(site, keys, manifest_bytes(manifest), (manifest.bundle.name, content))
    with pytest.raises(VerificationError) as caught:
        do_sync(server, keys, folder)
    assert all(name in str(caught.value) for name in names)
    assert_unchanged(folder, installed_v1)


@pytest.mark.parametrize("damage", ["{", "unreadable copy"])
def test_a_copy_signed_by_a_revoked_key_does_not_bound_a_sync_after_the_state_is_damaged(
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    folder: Path,
    trust_file: Path,
    tmp_path: Path,
    damage: str,
) -> None:
    """A stolen key signed a high version, which was installed; the office revokes it and
    publishes version 2 with its new key. Then the sync state is damaged: the fresh sync
    must not take the thief's copy, still in ``copies/``, as the lowest version to accept
    (the revoked key's version bounds nothing, as with a readable state)."""
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    assert sync_directory(server.url, [trust_file], cache=folder, now=NOW).version == 1
    thief = tmp_path / "thief"
    publish_directory(
        second_version(data), keys.private, thief, version=50, now=NOW, name="caribbean"
    )
    serve_site_of(server, site, thief)
    assert sync_directory(cache=folder, now=NOW).version == 50
    server.clear()
    publish_directory(data, other_keys.private, site, version=2, now=NOW, name="caribbean")
    trust_file.write_text(other_keys.public.read_text())  # revoke the stolen key
    if damage == "{":
        (folder / "state.json").write_text("{")
    else:
        state = json.loads((folder / "state.json").read_bytes())
        state["current"]["version"] = "fifty"
        (folder / "state.json").write_text(json.dumps(state))
    result = sync_directory(server.url, [trust_file], cache=folder, now=NOW)
    assert (result.outcome, result.version) == ("installed", 2)
    # The floor still holds for what the trusted key signed: version 1 replayed is refused.
    replay = tmp_path / "replay"
    publish_directory(data, other_keys.private, replay, version=1, now=NOW, name="caribbean")
    serve_site_of(server, site, replay)
    (folder / "state.json").write_text("{")
    with pytest.raises(VerificationError, match="rollback refused"):
        sync_directory(server.url, [trust_file], cache=folder, now=NOW)
