"""The sharing commands (somnet directory keygen, publish, sync, status): their output, and every
error as one line naming the flag, exit 2 for bad input and 1 for the world."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from somnet_cli.sync import DownloadProgress

from somnet import (
    DirectoryError,
    SomnetError,
    load_trusted_keys,
    publish_directory,
    sync_directory,
    sync_folder,
    sync_status,
)
from somnet.sharing.manifest import (
    SIGNED_MANIFEST_NAME,
)
from tests.cli import run
from tests.sharing.helpers import (
    NOW,
    OTHER_UID,
    SHARED_GROUP,
    SIGNED,
    Certificate,
    HangingResolver,
    KeyPair,
    do_sync,
    files_below,
    make_certificate,
    publish_versions,
    simulate_group,
    simulate_owner,
    snapshot,
    user_files,
)
from tests.sharing.server import Fault, SiteServer


def test_keygen_does_not_overwrite_a_key(capsys: pytest.CaptureFixture[str], keys: KeyPair) -> None:
    before = keys.private.read_bytes()
    result = run(capsys, "directory", "keygen", "--out", str(keys.private))
    assert result.exit_code == 2
    assert (
        result.stderr == f"somnet: --out: {keys.private}: already exists; keygen does not "
        "overwrite a key (move it away, or pass --force)\n"
    )
    assert keys.private.read_bytes() == before


def test_keygen_through_the_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    result = run(capsys, "directory", "keygen", "--out", str(tmp_path / "k"), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["public"] == str(tmp_path / "k.pub")
    assert len(load_trusted_keys([tmp_path / "k.pub"])) == 1


def test_keygen_and_publish_refuse_an_out_of_a_dash(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--out -`` made a key file, or a site folder, named '-' in the working folder: '-' is
    standard output to many programs, which these do not write to. Refused, nothing made."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    publish = [
        "directory",
        "publish",
        "--name",
        "caribbean",
        "--data",
        str(data),
        "--key",
        str(keys.private),
    ]
    for words in (["directory", "keygen"], publish):
        result = run(capsys, *words, "--out", "-")
        assert result.exit_code == 2 and result.stdout == "", result.stderr
        assert "argument --out: '-' would be" in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1
    assert list(work.iterdir()) == []


def test_keygen_and_publish_refuse_an_out_in_a_missing_folder(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, tmp_path: Path
) -> None:
    missing = tmp_path / "nonexistent"
    result = run(capsys, "directory", "keygen", "--out", str(missing / "k"))
    assert result.exit_code == 2 and result.stderr.startswith("somnet: --out: ")
    assert str(missing) in result.stderr
    result = run(
        capsys,
        "directory",
        "publish",
        "--name",
        "caribbean",
        "--data",
        str(data),
        "--key",
        str(keys.private),
        "--out",
        str(missing / "site"),
    )
    assert result.exit_code == 2 and str(missing) in result.stderr
    assert not missing.exists()
    # The site folder itself is made, in a folder that exists.
    result = run(
        capsys,
        "directory",
        "publish",
        "--name",
        "caribbean",
        "--data",
        str(data),
        "--key",
        str(keys.private),
        "--out",
        str(tmp_path / "site-new"),
    )
    assert result.exit_code == 0, result.stderr


def test_publish_keep_through_the_cli(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, site: Path
) -> None:
    publish_versions(data, keys, site, range(1, 3))
    args = ["--data", str(data), "--key", str(keys.private), "--out", str(site)]
    result = run(
        capsys,
        "directory",
        "publish",
        "--name",
        "caribbean",
        *args,
        "--keep",
        "2",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["version"] == 3
    assert [name.split("-")[1] for name in report["removed"]] == ["1"]
    result = run(
        capsys,
        "directory",
        "publish",
        "--name",
        "caribbean",
        *args,
        "--version",
        "4",
        "--keep",
        "1",
    )
    assert result.exit_code == 0, result.stderr
    assert "  removed  2 older bundles (keeping the last 1 version)\n" in result.stdout
    result = run(capsys, "directory", "publish", "--name", "caribbean", *args, "--keep", "0")
    assert result.exit_code == 2
    assert result.stderr == "somnet: --keep: keep at least 1 version (the one published)\n"


def test_publish_of_an_invalid_directory_is_bad_input(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, site: Path
) -> None:
    (data / "states" / "BS.toml").write_text('[state]\ncode = "BS"\n')
    result = run(
        capsys,
        "directory",
        "publish",
        "--name",
        "caribbean",
        "--data",
        str(data),
        "--key",
        str(keys.private),
        "--out",
        str(site),
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("somnet: ")
    assert "BS.toml" in result.stderr and "Traceback" not in result.stderr
    assert list(site.iterdir()) == []
    with pytest.raises(DirectoryError):
        publish_directory(data, keys.private, site, now=NOW, name="caribbean")


@pytest.mark.parametrize("key", ["missing", "malformed"])
def test_publish_with_a_missing_or_malformed_key_is_one_line(
    capsys: pytest.CaptureFixture[str], data: Path, site: Path, tmp_path: Path, key: str
) -> None:
    path = tmp_path / "key"
    if key == "malformed":
        path.write_text("not a key\n")
    result = run(
        capsys,
        "directory",
        "publish",
        "--name",
        "caribbean",
        "--data",
        str(data),
        "--key",
        str(path),
        "--out",
        str(site),
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"somnet: --key: {path}: ")


def test_a_private_key_others_can_read_is_refused(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, site: Path
) -> None:
    keys.private.chmod(0o644)
    result = run(
        capsys,
        "directory",
        "publish",
        "--name",
        "caribbean",
        "--data",
        str(data),
        "--key",
        str(keys.private),
        "--out",
        str(site),
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"somnet: --key: {keys.private}: ")
    assert "0644" in result.stderr
    assert list(site.iterdir()) == []
    keys.private.chmod(0o600)
    assert (
        publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean").version
        == 1
    )


def test_publish_sync_and_status_through_the_cli(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    result = run(
        capsys,
        "directory",
        "publish",
        "--name",
        "caribbean",
        "--data",
        str(data),
        "--key",
        str(keys.private),
        "--out",
        str(site),
        "--version",
        "3",
        "--expires",
        "2w",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"published version 3 to {site}\n")
    result = run(capsys, "directory", "status")
    assert result.exit_code == 0
    assert result.stdout.startswith("nothing synced in ")
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("installed version 3, expires ")
    (warning,) = result.stderr.splitlines()  # the one warning: the test server is plain http
    assert "plain http" in warning
    result = run(capsys, "directory", "sync")
    assert result.stdout.startswith("version 3 is current (not modified)")
    result = run(capsys, "directory", "sync", "--format", "json")
    assert json.loads(result.stdout)["outcome"] == "not-modified"
    result = run(capsys, "directory", "status", "--format", "json")
    report = json.loads(result.stdout)
    assert report["version"] == 3 and report["in_use"] is True and report["expired"] is False
    assert report["source"] == server.url + SIGNED_MANIFEST_NAME
    assert report["warnings"] == []
    table = run(capsys, "directory", "status").stdout
    assert "in use    yes: commands read this copy as the base layer" in table
    # Every command now reads the synced copy.
    result = run(capsys, "directory", "validate", "--format", "json")
    assert json.loads(result.stdout)["layers"][0] == report["copy"]


def test_a_copy_kept_elsewhere_is_not_in_use(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
) -> None:
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    elsewhere = tmp_path / "elsewhere"
    result = run(
        capsys,
        "directory",
        "sync",
        server.url,
        "--trust",
        str(keys.public),
        "--cache",
        str(elsewhere),
    )
    assert result.exit_code == 0, result.stderr
    assert f"commands read it only with SOMNET_SYNC_DIR={elsewhere}" in result.stdout
    report = json.loads(
        run(capsys, "directory", "status", "--cache", str(elsewhere), "--format", "json").stdout
    )
    assert report["version"] == 1 and report["in_use"] is False
    assert "set SOMNET_SYNC_DIR=" in report["note"]


def _sync_a_copy_that_expired_5_days_ago(
    data: Path, keys: KeyPair, site: Path, server: SiteServer
) -> None:
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(days=10)
    publish_directory(data, keys.private, site, version=1, expires="5d", now=past, name="caribbean")
    sync_directory(server.url, [keys.public], now=past + timedelta(days=1))


def test_status_warns_of_an_expired_copy(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    _sync_a_copy_that_expired_5_days_ago(data, keys, site, server)
    result = run(capsys, "directory", "status")
    assert result.exit_code == 0
    assert "EXPIRED" in result.stdout
    assert result.stderr.startswith("somnet: warning: the synced directory (version 1 from ")
    assert "(5 days ago): it may be out of date; run: somnet directory sync" in result.stderr


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_status_json_warns_in_english_whatever_the_language(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    lang: str,
) -> None:
    _sync_a_copy_that_expired_5_days_ago(data, keys, site, server)
    result = run(capsys, "--lang", lang, "directory", "status", "--format", "json")
    assert result.exit_code == 0, result.stderr
    status = json.loads(result.stdout)
    assert status["expired"] is True
    # JSON is the same in every language: the warning as the library gives it, and what to run.
    (warning,) = status["warnings"]
    assert warning.startswith("the synced directory (version 1 from ")
    assert warning.endswith("; run: somnet directory sync")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_status_says_why_it_cannot_tell_whether_the_key_is_trusted_for_a_team_member(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
) -> None:
    """A team's account syncs, naming a trust file of its own; a member's status reads the
    state, and its own checks refuse that file as another user's: the key's trust could not
    be told (null), and nothing said why. The version row says why, and so does the JSON, in
    English, beside a null ``key_trusted``."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    trust_file = tmp_path / "team" / "agency.pub"
    trust_file.parent.mkdir()
    trust_file.write_text(keys.public.read_text())
    assert run(capsys, "directory", "sync", server.url, "--trust", str(trust_file)).exit_code == 0
    owner = simulate_owner(monkeypatch, trust_file, "patched")
    why = f"the trust file {trust_file} is another user's (uid {owner}): not read"
    result = run(capsys, "directory", "status")
    assert result.exit_code == 0, result.stderr
    assert "; whether it is still trusted cannot be told: " + why + ")" in " ".join(
        result.stdout.split()
    )
    result = run(capsys, "--lang", "fr", "directory", "status", "--format", "json")
    assert result.exit_code == 0, result.stderr
    status = json.loads(result.stdout)
    assert (status["key_trusted"], status["key_trusted_note"]) == (None, why)
    # The file this user's (a member who syncs for themselves): trusted, and nothing to say.
    simulate_owner(monkeypatch, trust_file, "patched", uid=os.geteuid())
    status = json.loads(run(capsys, "directory", "status", "--format", "json").stdout)
    assert (status["key_trusted"], status["key_trusted_note"]) == (True, None)


@pytest.mark.parametrize("userinfo", ["officer:s3cret@", "officer@", ":s3cret@"])
def test_a_url_with_a_user_or_password_is_refused_and_the_password_never_shown(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    userinfo: str,
) -> None:
    """somnet keeps the site's URL in the sync state (readable by the other accounts that read
    the copy) and prints it in status and errors: a password in it would be given away. The
    directory is signed; the site needs no password."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    url = server.url.replace("http://", f"http://{userinfo}", 1)
    result = run(capsys, "directory", "sync", url, "--trust", str(keys.public))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("somnet: URL: ")
    assert "s3cret" not in result.stderr
    assert not sync_folder().exists()


@pytest.mark.parametrize(
    ("args", "exit_code", "message"),
    [
        (["ftp://127.0.0.1/site/"], 2, "URL: 'ftp://127.0.0.1/site/': not an http(s) URL"),
        (["not a url at all"], 2, "URL: 'not a url at all': not an http(s) URL"),
        ([], 2, "URL: give the site's URL (nothing was synced before)"),
        (["{server}", "--trust", "{missing}"], 2, "--trust: {missing}: no such trust file"),
        (["{server}"], 2, "--trust: give the publisher's public key (KEY.pub) or a trust file"),
        (["{server}missing/", "--trust", "{pub}"], 1, "HTTP 404 Not Found; nothing was installed"),
        (
            ["{server}", "--trust", "{pub}", "--cache", "{file}/sub"],
            2,
            "--cache: {file}: a file, not a folder",
        ),
        (
            ["{server}", "--trust", "{pub}", "--timeout", "0"],
            2,
            "--timeout: 0: give more than 0 and at most 3600 seconds",
        ),
        (
            ["{server}", "--trust", "{pub}", "--timeout", "3601"],
            2,
            "--timeout: 3601: give more than 0 and at most 3600 seconds",
        ),
        (
            ["{server}", "--trust", "{pub}", "--timeout", "soon"],
            2,
            "--timeout: 'soon' is not a number of seconds",
        ),
        (
            ["{server}", "--trust", "{pub}", "--deadline", "0"],
            2,
            "--deadline: 0: give more than 0 and at most 3600 seconds",
        ),
        (["{server}", "--trust", "{pub}", "--attempts", "0"], 2, "--attempts: 0: give 1 to 10"),
        (["{server}", "--trust", "{pub}", "--attempts", "11"], 2, "--attempts: 11: give 1 to 10"),
    ],
    ids=[
        "ftp",
        "not-a-url",
        "no-url",
        "missing-trust",
        "no-trust",
        "404",
        "unwritable-cache",
        "zero-timeout",
        "long-timeout",
        "no-number",
        "zero-deadline",
        "no-attempt",
        "eleven-attempts",
    ],
)
def test_bad_sync_input_is_one_line_without_traceback(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
    args: list[str],
    exit_code: int,
    message: str,
) -> None:
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    (tmp_path / "file").write_text("a file, not a folder\n")
    values = {
        "server": server.url,
        "pub": str(keys.public),
        "missing": str(tmp_path / "nope.pub"),
        "file": str(tmp_path / "file"),
    }
    result = run(capsys, "directory", "sync", *[a.format(**values) for a in args])
    assert result.exit_code == exit_code
    assert message.format(**values) in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""
    if exit_code == 2:  # bad input is refused before anything is written
        assert not sync_folder().exists()


@pytest.mark.parametrize("flag", ["--timeout", "--deadline"])
@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("9" * 400, f"{'9' * 80}... (400 characters)"),
        ("99999999999999999999", "99999999999999999999"),
        ("3600.50", "3600.50"),
    ],
    ids=["400-digits", "20-digits", "decimals"],
)
def test_a_sync_setting_out_of_range_is_shown_as_typed(
    capsys: pytest.CaptureFixture[str], flag: str, typed: str, shown: str
) -> None:
    """``--timeout`` (or ``--deadline``) of 400 digits was shown as ``inf``, one of 20 digits as
    ``1e+20``: the refusal repeats what was typed, as ``meeting invite --timeout`` does."""
    result = run(capsys, "directory", "sync", "http://127.0.0.1:9/", flag, typed)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"somnet: {flag}: {shown}: give more than 0 and at most 3600 seconds\n"
    assert not sync_folder().exists()


@pytest.mark.parametrize("below", ["", "/sub"], ids=["the-file", "inside-the-file"])
def test_status_of_a_file_given_as_the_sync_folder_is_refused_as_sync_refuses_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, below: str
) -> None:
    """``status --cache FILE`` said the file was a folder with nothing synced, exit 0, where
    ``sync --cache FILE`` refuses it: a file where the folder goes is bad input, named."""
    taken = tmp_path / "file"
    taken.write_text("a file, not a folder\n")
    result = run(capsys, "directory", "status", "--cache", f"{taken}{below}")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"somnet: --cache: {taken}: a file, not a folder\n"
    assert taken.read_text() == "a file, not a folder\n"


def test_a_refused_sync_exits_2_naming_the_check(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    publish_directory(data, other_keys.private, site, version=1, name="caribbean")
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 2
    assert "which is not a trusted key" in result.stderr
    assert result.stderr.endswith("; nothing was installed\n")


def test_sync_deadline_through_the_cli_is_one_line_exit_1(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    server.fault(SIGNED, Fault("drip", seconds=0.05, part="headers"))
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(keys.public), "--deadline", "0.5"
    )
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "deadline of 0.5 s" in result.stderr
    assert result.stderr.startswith("somnet: --deadline: ")
    assert not (sync_folder() / "state.json").exists()


def test_sync_of_a_bundle_compressed_on_the_way_says_so_exit_2(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    """A proxy that compresses although somnet asks for the bytes as they are: the size
    refusal (exit 2) says the answer was encoded on the way."""
    import gzip

    publish_versions(data, keys, site, range(1, 2))
    bundle = next(site.glob("directory-*.json"))
    server.fault(
        "/" + bundle.name,
        Fault(
            "headers",
            content=gzip.compress(bundle.read_bytes()),
            headers=(b"Content-Encoding: gzip",),
        ),
    )
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "its manifest announces" in result.stderr
    assert "Content-Encoding: 'gzip'" in result.stderr and "a proxy may be compressing" in (
        result.stderr
    )


def test_sync_whose_name_lookup_hangs_ends_by_the_deadline_exit_1(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    hanging_resolver: HangingResolver,
) -> None:
    """A resolver that does not answer (a satellite link's) held the sync past ``--deadline``:
    the sync now ends by it, the lookup still hanging, and the installed copy stays."""
    publish_versions(data, keys, site, range(1, 2))
    assert run(capsys, "directory", "sync", server.url, "--trust", str(keys.public)).exit_code == 0
    publish_versions(data, keys, site, range(2, 3))
    before = snapshot(sync_folder())
    hanging_resolver.hang()
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(keys.public), "--deadline", "0.5"
    )
    assert hanging_resolver.waiting == 1, "the sync waited for the resolver"
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "deadline of 0.5 s" in result.stderr
    assert result.stderr.startswith("somnet: --deadline: ")
    assert "looking up the server's name or connecting to it" in result.stderr
    assert snapshot(sync_folder()) == before


@pytest.mark.parametrize("trusted", [True, False], ids=["good-key", "untrusted-key"])
def test_sync_refuses_a_cache_folder_it_did_not_create_and_deletes_nothing(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    other_keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
    trusted: bool,
) -> None:
    project = tmp_path / "project"
    before = user_files(project)
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    pub = keys.public if trusted else other_keys.public
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(pub), "--cache", str(project)
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"somnet: --cache: {project}: not a sync folder")
    assert result.stderr.count("\n") == 1
    assert files_below(project) == before
    assert sorted(p.name for p in project.iterdir()) == ["copies", "notes.txt"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_sync_refuses_a_cache_folder_its_group_can_write_in_naming_mode_group_and_fix(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
) -> None:
    """A folder made beforehand under umask 002 (mode 0775) whose group holds other users: a
    member of it could name their own key in the state it will hold. Refused naming --cache,
    the folder, its mode, its group and chmod g-w, exit 2, nothing written."""
    simulate_group(monkeypatch, "shared")
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o775)
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(keys.public), "--cache", str(shared)
    )
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        f"somnet: --cache: {shared}: mode 0775 lets the members of group {SHARED_GROUP} replace "
        f"the synced directory; somnet keeps it only in a folder no other user can write in "
        f"(chmod g-w {shared}; to share it, let one account sync and the group read)\n"
    )
    assert list(shared.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_sync_takes_a_cache_folder_only_its_owners_private_group_can_write_in(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
) -> None:
    """The same folder whose group is its owner's alone (Debian and Ubuntu give each user one):
    no other user may write in it, so the sync installs there, exit 0."""
    simulate_group(monkeypatch, "private")
    mine = tmp_path / "mine"
    mine.mkdir()
    mine.chmod(0o775)
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(keys.public), "--cache", str(mine)
    )
    assert result.exit_code == 0, result.stderr
    assert (mine / "state.json").is_file()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize(
    "command",
    [
        ["contact", "--flag", "HT", "--zone", "contiguous"],
        ["directory", "show", "BS"],
        ["directory", "validate"],
    ],
)
def test_the_commands_read_no_synced_copy_a_teams_group_may_change_saying_so(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    command: list[str],
) -> None:
    """The copy made writable by a group that holds other users after the sync (which refuses
    to write there): every command reads the shipped directory, saying which path, its mode,
    its group and chmod g-w; a user's private group is no one else, and the copy is read."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 0, result.stderr
    (copy,) = sync_folder().glob("copies/*")
    copy.chmod(0o775)
    simulate_group(monkeypatch, "shared")
    result = run(capsys, *command)
    assert result.exit_code == 0, result.stderr
    assert (
        f"somnet: warning: {copy}: mode 0775 lets the members of group {SHARED_GROUP} change "
        f"the synced directory: it is not read, using the shipped directory (chmod g-w {copy}, "
        "then sync again)\n"
    ) in result.stderr
    simulate_group(monkeypatch, "private")
    result = run(capsys, *command)
    assert result.exit_code == 0 and result.stderr == ""


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize(
    "command",
    [
        ["contact", "--flag", "HT", "--zone", "contiguous"],
        ["directory", "show", "BS"],
        ["directory", "validate"],
        ["directory", "status"],
    ],
)
def test_the_commands_read_no_synced_copy_another_user_owns_saying_so(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    command: list[str],
) -> None:
    """The copy owned by another user than this one, root or the sync folder's owner, who may
    change it whatever its mode: every command reads the shipped directory, naming the path and
    its owner's uid, and status says the copy is not in use."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 0, result.stderr
    (copy,) = sync_folder().glob("copies/*")
    simulate_owner(monkeypatch, copy, "patched")
    result = run(capsys, *command)
    assert result.exit_code == 0, result.stderr
    said = (
        f"{copy}: owned by another user (uid {OTHER_UID}) than the sync folder's owner, who may "
        "change the synced directory whatever its mode: it is not read, using the shipped "
        "directory (chown it to the sync folder's owner, then sync again)"
    )
    assert f"somnet: warning: {said}\n" in result.stderr
    if command == ["directory", "status"]:
        assert "in use    no: other users may change the copy\n" in result.stdout


@pytest.mark.skipif(os.name != "posix", reason="POSIX users")
@pytest.mark.parametrize("synced", [False, True], ids=["nothing-synced", "synced"])
def test_a_contact_plan_looks_no_user_or_group_up(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    synced: bool,
) -> None:
    """Listing the users may be slow (LDAP, NIS): the officer's command, with a synced copy its
    group may not write in (as sync leaves it) or none, imports neither pwd nor grp, and so
    asks the system of no user or group."""
    import subprocess
    import sys

    if synced:
        publish_directory(data, keys.private, site, version=1, name="caribbean")
        result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
        assert result.exit_code == 0, result.stderr
    code = (
        "import sys\n"
        "from somnet_cli.main import main\n"
        "code = main(['contact', '--flag', 'HT', '--zone', 'contiguous'])\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    for _ in range(2):  # built, then served from the cache
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        modules = set(done.stderr.splitlines()[-1].split())
        assert ("somnet.sharing.installed" in modules) == synced  # the copy was looked at
        assert {"pwd", "grp"} & modules == set()


class FakeTerminal:
    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.text = ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("tty", [True, False])
def test_progress_is_shown_on_a_terminal_only(tty: bool) -> None:
    stream = FakeTerminal(tty)
    progress = DownloadProgress(stream, after=0.0)  # type: ignore[arg-type]
    progress(500_000, 2_000_000)
    progress(2_000_000, 2_000_000)
    progress.finish()
    if tty:
        assert "\rdownloading the directory:  25% (0.5 of 2.0 MB)" in stream.text
        assert stream.text.endswith("100% (2.0 of 2.0 MB)\n")
    else:
        assert stream.text == ""


def test_progress_through_the_guarded_standard_error_still_returns_to_the_line_start() -> None:
    """Standard error escapes what a terminal acts on, as a command's messages may quote a
    name that holds an escape sequence; the carriage return that redraws the progress line
    is somnet's own and goes through."""
    from somnet_cli._common import QuietErrors

    stream = FakeTerminal(True)
    progress = DownloadProgress(QuietErrors(stream), after=0.0)  # type: ignore[arg-type]
    progress(500_000, 2_000_000)
    progress.finish()
    assert stream.text == "\rdownloading the directory:  25% (0.5 of 2.0 MB)\n"


def test_a_quick_download_shows_no_progress() -> None:
    stream = FakeTerminal(True)
    progress = DownloadProgress(stream, after=60.0)  # type: ignore[arg-type]
    progress(2_000_000, 2_000_000)
    progress.finish()
    assert stream.text == ""


# Library errors, as the command line says them ------------------------------------------------


@pytest.mark.parametrize(
    ("options", "args", "flag"),
    [
        ({"timeout": 0.0}, ["--timeout", "0"], "--timeout"),
        ({"deadline": 4000.0}, ["--deadline", "4000"], "--deadline"),
        ({"attempts": 0}, ["--attempts", "0"], "--attempts"),
        ({"trust": ["{missing}"]}, ["--trust", "{missing}"], "--trust"),
        ({"cache": "{file}"}, ["--cache", "{file}"], "--cache"),
    ],
    ids=["timeout", "deadline", "attempts", "trust", "cache"],
)
def test_a_library_error_names_a_field_the_command_line_shows_as_its_flag(
    capsys: pytest.CaptureFixture[str],
    keys: KeyPair,
    server: SiteServer,
    tmp_path: Path,
    options: dict[str, Any],
    args: list[str],
    flag: str,
) -> None:
    (tmp_path / "file").write_text("a file, not a folder\n")
    values = {"missing": str(tmp_path / "nope.pub"), "file": str(tmp_path / "file")}
    given = {
        "trust": [keys.public],
        **{
            name: [Path(v.format(**values)) for v in value]
            if isinstance(value, list)
            else Path(value.format(**values))
            if isinstance(value, str)
            else value
            for name, value in options.items()
        },
    }
    with pytest.raises(SomnetError) as caught:
        sync_directory(server.url, **given)
    assert caught.value.field == flag.removeprefix("--")
    trust = [] if "--trust" in args else ["--trust", str(keys.public)]
    command = [a.format(**values) for a in [server.url, *trust, *args]]
    result = run(capsys, "directory", "sync", *command)
    assert result.exit_code == caught.value.exit_code
    assert result.stderr == f"somnet: {flag}: {caught.value.reason}\n"


def test_publishing_below_another_key_s_manifest_says_how_to_recover(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, other_keys: KeyPair, site: Path
) -> None:
    """The hint is the command line's, made of what the library's error carries."""
    publish_directory(data, keys.private, site, version=50, now=NOW, name="caribbean")
    old_key, new_key = (load_trusted_keys([k.public])[0].key_id for k in (keys, other_keys))
    args = ["--data", str(data), "--out", str(site), "--version", "2"]
    result = run(
        capsys,
        "directory",
        "publish",
        "--name",
        "caribbean",
        "--key",
        str(other_keys.private),
        *args,
    )
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"somnet: --version: {site} already publishes version 50;")
    assert result.stderr.endswith(
        f"; if key {old_key}, which signed it, was stolen, remove {site / SIGNED_MANIFEST_NAME} "
        f"and publish again: agencies that trust key {new_key} instead accept its versions "
        "from 1\n"
    )
    # With the key that signed the site's manifest, nothing was stolen: no such hint.
    result = run(
        capsys, "directory", "publish", "--name", "caribbean", "--key", str(keys.private), *args
    )
    assert result.exit_code == 2 and "stolen" not in result.stderr
    # New content as the version published: raise the version.
    (data / "extra.toml").write_text("agencies = []\n")
    args[-1] = "50"
    result = run(
        capsys, "directory", "publish", "--name", "caribbean", "--key", str(keys.private), *args
    )
    assert result.exit_code == 2
    assert result.stderr.endswith("; publish it as --version 51\n")


def test_the_sync_command_prints_the_library_s_json(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, site: Path, server: SiteServer
) -> None:
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(keys.public), "--format", "json"
    )
    report = json.loads(result.stdout)
    status = sync_status()
    assert status.synced is not None
    assert report == {
        "outcome": "installed",
        "version": 1,
        "previous_version": None,
        "expires": status.to_json()["expires"],
        "source": server.url + SIGNED_MANIFEST_NAME,
        "copy": str(status.synced.copy),
        "directory": "caribbean",
        "warnings": [w for w in report["warnings"] if "plain http" in w],
    }
    assert len(report["warnings"]) == 1
    assert json.loads(run(capsys, "directory", "status", "--format", "json").stdout) == {
        **status.to_json(),
        "trust": [str(keys.public)],
    }


@pytest.mark.parametrize("which", ["k", "k.pub"])
def test_keygen_never_replaces_a_named_pipe_or_a_device_even_with_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, which: str
) -> None:
    """``keygen --out /dev/null --force`` (as root) replaced the device with a private key
    file, as it replaces a named pipe: ``--force`` overwrites a key, never what is not a
    regular file."""
    import os
    import stat

    pipe = tmp_path / which
    os.mkfifo(pipe)
    for force in ([], ["--force"]):
        result = run(capsys, "directory", "keygen", "--out", str(tmp_path / "k"), *force)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.startswith(f"somnet: --out: {pipe}: "), result.stderr
        assert result.stderr.count("\n") == 1
        assert "--force" not in result.stderr  # forcing would not help
        assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == [which]


def test_a_copy_kept_in_a_relative_folder_is_named_as_somnet_sync_dir_takes_it(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
) -> None:
    """``sync --cache mycopy`` (a folder of the working folder) and ``status --cache mycopy``
    say to set ``SOMNET_SYNC_DIR`` for the commands to read the copy: the value they give must
    be one SOMNET_SYNC_DIR takes (an absolute path; a relative one is refused) and name that
    folder."""
    import re

    publish_directory(data, keys.private, site, version=1, name="caribbean")
    monkeypatch.chdir(tmp_path)
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(keys.public), "--cache", "mycopy"
    )
    assert result.exit_code == 0, result.stderr
    status = run(capsys, "directory", "status", "--cache", "mycopy", "--format", "json")
    note = json.loads(status.stdout)["note"]
    for said in (result.stdout, note):
        found = re.search(r"SOMNET_SYNC_DIR=(\S+)", said)
        assert found is not None, said
        monkeypatch.setenv("SOMNET_SYNC_DIR", found.group(1))
        followed = run(capsys, "directory", "status", "--format", "json")
        assert followed.exit_code == 0, followed.stderr
        assert json.loads(followed.stdout)["in_use"] is True


@pytest.mark.parametrize("name", ["office.pub", "office.key.pub", "OFFICE.PUB"])
@pytest.mark.parametrize("force", [False, True])
def test_keygen_never_writes_a_private_key_under_a_public_key_s_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, force: bool
) -> None:
    """``keygen --out office.pub`` wrote the private key as ``office.pub``, the name of the
    file handed to every agency (and the public one as ``office.pub.pub``): whoever followed
    the convention would mail the key that signs the directory. It is refused, naming --out,
    and nothing is written."""
    result = run(
        capsys, "directory", "keygen", "--out", str(tmp_path / name), *(["--force"] * force)
    )
    assert result.exit_code == 2 and result.stderr.startswith("somnet: --out: ")
    assert len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_sync_that_installs_a_copy_readies_it_for_the_next_command(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The next command after a sync (perhaps at 3 a.m., on a patrol boat) is served from the
    cache, not kept waiting while every file of the new copy is validated again."""
    import os

    from somnet.directory.cache import cache_file

    publish_directory(data, keys.private, site, version=1, name="caribbean")
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 0, result.stderr
    (copy,) = sync_folder().glob("copies/*")  # what status says, without loading it
    assert cache_file(Path(os.environ["SOMNET_CACHE_DIR"]), [copy]).is_file()

    def no_reading(*args: Any) -> Any:
        raise AssertionError("a data file was read: the cache did not serve")

    monkeypatch.setattr("somnet.directory.files.read_toml", no_reading)
    result = run(capsys, "directory", "show", "BS", "--format", "json")
    assert result.exit_code == 0, result.stderr


def test_a_sync_says_at_once_when_the_commands_will_refuse_the_new_copy(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An overlay of the user's (SOMNET_DATA) that does not validate over the new copy: the
    copy is installed (it is valid), and the sync says now that commands will refuse the
    directory, rather than leave it to the next command."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    overlay = tmp_path / "unit-overlay"
    overlay.mkdir()
    (overlay / "unit.toml").write_text("agencies = [", encoding="utf-8")
    monkeypatch.setenv("SOMNET_DATA", str(overlay))
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("installed version 1")
    refusal = [line for line in result.stderr.splitlines() if "unit.toml" in line]
    assert len(refusal) == 1, result.stderr


def test_a_sharing_option_given_twice_with_two_values_is_refused(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, tmp_path: Path
) -> None:
    """``keygen --out A ... --out B`` wrote the key to B, ``publish --keep 3 ... --keep 1``
    removed all but one version: the last value quietly won, where ``contact`` and the other
    ``directory`` commands refuse two values. Nothing is written."""
    site = tmp_path / "site"
    publish = [
        "publish",
        "--name",
        "caribbean",
        "--data",
        str(data),
        "--key",
        str(keys.private),
        "--out",
        str(site),
    ]
    for args, flag in [
        (["keygen", "--out", str(tmp_path / "a"), "--out", str(tmp_path / "b")], "--out"),
        ([*publish, "--keep", "3", "--keep", "1"], "--keep"),
    ]:
        result = run(capsys, "directory", *args)
        assert result.exit_code == 2, result.stderr
        assert result.stderr.count("\n") == 1 and flag in result.stderr, result.stderr
        assert not [*tmp_path.glob("a*"), *tmp_path.glob("b*")] and not site.exists()


@pytest.mark.parametrize("flag", ["--key", "--trust"])
def test_a_named_pipe_given_as_a_key_or_trust_file_is_refused_without_waiting(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, flag: str
) -> None:
    """``publish --key PIPE`` and ``sync --trust PIPE`` (a mistyped path, a process
    substitution) waited for ever for a writer to open the pipe: it is refused as not a key
    file, exit 2 naming the flag, and nothing is published or synced."""
    import os

    work = tmp_path / "work"
    work.mkdir()
    pipe = work / "pipe"
    os.mkfifo(pipe)
    site = work / "site"
    if flag == "--key":
        args = [
            "publish",
            "--name",
            "caribbean",
            "--data",
            str(data),
            "--key",
            str(pipe),
            "--out",
            str(site),
        ]
    else:
        # Nothing listens there: the trust file is read before the site is asked for.
        args = ["sync", "http://127.0.0.1:9/", "--trust", str(pipe), "--attempts", "1"]
    result = run(capsys, "directory", *args)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"somnet: {flag}: {pipe}: "), result.stderr
    assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in work.iterdir()) == ["pipe"]


def test_a_path_longer_than_the_system_allows_is_refused_naming_the_flag(
    capsys: pytest.CaptureFixture[str], data: Path, keys: KeyPair, tmp_path: Path
) -> None:
    """A name of thousands of characters (a pasted key instead of its file, a runaway script
    variable) ended ``keygen --out``, ``publish --out`` and ``--data`` and ``sync --cache`` with
    the traceback of the system's "File name too long": it is exit 2 naming the flag."""
    long = str(tmp_path / ("A" * 5000))
    key = ["--key", str(keys.private)]
    for args, flag in [
        (["keygen", "--out", long], "--out"),
        (["publish", "--name", "caribbean", "--data", str(data), *key, "--out", long], "--out"),
        (
            ["publish", "--name", "caribbean", "--data", long, *key, "--out", str(tmp_path / "s")],
            "--data",
        ),
        (["sync", "http://127.0.0.1:9/", "--trust", str(keys.public), "--cache", long], "--cache"),
    ]:
        result = run(capsys, "directory", *args)
        assert result.exit_code == 2, result.stderr
        assert flag in result.stderr and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "s").exists()


def test_status_of_a_folder_the_commands_do_not_look_in_says_where_they_look(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Nothing synced in ``--cache OTHER`` says nothing of what the commands read (they never
    look in OTHER): it names the folder they look in."""
    elsewhere = tmp_path / "elsewhere"
    result = run(capsys, "directory", "status", "--cache", str(elsewhere))
    assert result.exit_code == 0 and result.stderr == ""
    assert str(elsewhere) in result.stdout and str(sync_folder()) in result.stdout
    assert "shipped directory" not in result.stdout
    report = json.loads(
        run(capsys, "directory", "status", "--cache", str(elsewhere), "--format", "json").stdout
    )
    assert report["installed"] is False and str(sync_folder()) in report["note"]


@pytest.mark.parametrize(
    ("command", "out", "said"),
    [
        ("publish", "file/site", "{file}: a file, not a folder"),
        ("publish", "link", "{link}: a symbolic link to {nowhere}, which does not exist"),
        ("keygen", "file/office", "{file}: a file, not a folder"),
    ],
    ids=["publish-under-a-file", "publish-into-a-dangling-link", "keygen-under-a-file"],
)
def test_an_out_path_that_a_file_or_a_dangling_link_stands_in_is_named_as_such(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    tmp_path: Path,
    command: str,
    out: str,
    said: str,
) -> None:
    """``--out file/site`` was refused as "the folder file does not exist" (it does: a file),
    and ``--out link`` to nowhere failed with "cannot write: File exists" (exit 1): bad input,
    exit 2, naming what stands there."""
    (tmp_path / "file").write_text("a file, not a folder\n")
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    values = {
        "file": str(tmp_path / "file"),
        "link": str(tmp_path / "link"),
        "nowhere": str(tmp_path / "nowhere"),
    }
    args = ["--out", str(tmp_path / out)]
    if command == "publish":
        args += ["--data", str(data), "--key", str(keys.private), "--name", "caribbean"]
    result = run(capsys, "directory", command, *args)
    assert result.exit_code == 2, result.stderr
    assert result.stderr == f"somnet: --out: {said.format(**values)}\n"
    assert not (tmp_path / "nowhere").exists()


def test_a_sync_folder_that_is_a_link_to_nowhere_is_bad_input(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
) -> None:
    """``--cache LINK``, a link to nowhere, failed with "cannot write the synced directory
    there: File exists" (exit 1, as for a full disk): it is bad input, named as a link."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "nowhere")
    result = run(
        capsys, "directory", "sync", server.url, "--trust", str(keys.public), "--cache", str(link)
    )
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"somnet: --cache: {link}: ")
    assert str(tmp_path / "nowhere") in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("SSL_CERT_FILE", "{tmp}/missing.pem", "no such file"),
        ("SSL_CERT_FILE", "{tmp}", "a folder, not a file"),
        ("SSL_CERT_FILE", "{tmp}/empty.pem", "no certificate in it"),
        ("SSL_CERT_DIR", "{tmp}/missing", "not a folder"),
    ],
    ids=["file-missing", "file-a-folder", "file-no-certificate", "dir-missing"],
)
def test_certificates_the_environment_names_that_cannot_be_used_are_bad_input(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    variable: str,
    value: str,
    reason: str,
) -> None:
    """The certificate authorities an agency's machine names for TLS (``SSL_CERT_FILE``, as
    a ministry's own bundle; else ``SSL_CERT_DIR``), read by the HTTP client as it is made: a
    file that is not there, a folder, a file with no certificate ended a sync in a traceback.
    One line naming the variable and why, exit 2, nothing written, nothing asked of the
    network."""
    (tmp_path / "empty.pem").write_text("not a certificate\n")
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    shown = value.format(tmp=tmp_path)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)  # a file named is read, not the folder
    monkeypatch.setenv(variable, shown)
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 2 and result.stdout == "", result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"somnet: {variable}: {shown!r}: {reason}"), result.stderr
    assert "Traceback" not in result.stderr
    assert server.paths() == []
    assert not sync_folder().exists()


def test_certificates_the_environment_names_are_used_when_they_can_be(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    data: Path,
    keys: KeyPair,
    site: Path,
    https_server: SiteServer,
    certificate: Certificate,
) -> None:
    """The check refuses only what the client could not load: a bundle with the site's
    authority syncs; ``SSL_CERT_DIR`` is read only when ``SSL_CERT_FILE`` is not set, as the
    client reads them (a missing folder beside a good file is no problem)."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "missing"))
    result = sync_directory(https_server.url, [keys.public])
    assert result.version == 1


def test_a_certificate_refused_says_which_authorities_the_environment_trusts(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    data: Path,
    keys: KeyPair,
    site: Path,
    https_server: SiteServer,
) -> None:
    """A ministry's bundle named in ``SSL_CERT_FILE`` that lacks the site's authority: the
    refusal said only that the certificate cannot be verified, and the officer looked at the
    server; it says which authorities were trusted."""
    other = make_certificate(tmp_path / "other.pem", tmp_path / "other.key", ["other.example"])
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    monkeypatch.setenv("SSL_CERT_FILE", str(other.cert))
    result = run(capsys, "directory", "sync", https_server.url, "--trust", str(keys.public))
    assert result.exit_code == 1
    assert "the server's certificate cannot be verified" in result.stderr
    assert f"the authorities trusted are only those of SSL_CERT_FILE={other.cert}" in (
        result.stderr
    )
    assert not (sync_folder() / "state.json").exists()  # nothing installed


def test_status_reads_its_age_and_its_expiry_on_the_command_lines_clock(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    """How long ago the manifest was created and whether it has expired are read on one clock,
    the command line's (as every other command's "today"), not one on the machine's clock and
    the other in the library's."""
    created = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    publish_directory(
        data, keys.private, site, version=1, expires="2w", now=created, name="caribbean"
    )
    assert sync_directory(server.url, [keys.public]).outcome == "installed"
    monkeypatch.setattr("somnet_cli._common.now", lambda: created + timedelta(days=30))
    table = run(capsys, "directory", "status").stdout
    assert "(30 days ago)" in table, table
    assert "EXPIRED" in table, table


def test_status_says_how_long_ago_the_copy_was_published_so_a_frozen_site_shows(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    """A site (or whoever answers in its name) that serves the same old manifest for months,
    within its expiry: every sync says the version is current and status said it was last
    checked today, never that what the site serves was published months ago. Status says when
    it was published, and how long ago."""
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(days=60)
    publish_directory(
        data, keys.private, site, version=1, expires="52w", now=past, name="caribbean"
    )
    assert sync_directory(server.url, [keys.public]).outcome == "installed"
    assert run(capsys, "directory", "sync").stdout.startswith("version 1 is current")
    table = run(capsys, "directory", "status").stdout
    published = past.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    assert f"\ncreated   {published} (60 days ago)\n" in table, table


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_status_wraps_its_rows_within_80_columns_in_every_language(
    capsys: pytest.CaptureFixture[str],
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    installed_v1: dict[str, bytes],
    language: str,
) -> None:
    """The "in use" row says what the commands read: 74 columns in English, 93 in Spanish and
    116 in French, printed on one line; wrapped, it goes on in the values' column."""
    do_sync(server, keys, sync_folder())
    result = run(capsys, "directory", "status", "--lang", language)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    # A line may run long only for a word that cannot be split: a path, a URL.
    assert [x for x in lines if len(x) > 80 and max(map(len, x.split())) <= 40] == [], lines
    start = len(lines[0]) - len(lines[0].split(None, 1)[1])
    for line in lines:
        if line[:start].isspace():
            assert line[start] != " ", lines  # a wrapped value, in the values' column
        else:
            assert line[start - 1] == " " and line[start] != " ", lines


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("where", ["data-home", "SOMNET_SYNC_DIR"])
def test_an_open_default_sync_folder_is_refused_naming_what_moves_it_not_cache(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
    tmp_path: Path,
    where: str,
) -> None:
    """A sync folder every user may write in, that the user never typed (the default one), was
    refused under ``--cache``: it names the folder, and the variable that moves it."""
    if where == "SOMNET_SYNC_DIR":
        monkeypatch.setenv("SOMNET_SYNC_DIR", str(tmp_path / "shared"))
    folder = sync_folder()
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    publish_directory(data, keys.private, site, version=1, now=NOW, name="caribbean")
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 2 and result.stdout == ""
    refusal = (
        f"{folder}: mode 0777 lets every user of this machine replace the synced directory; "
        f"somnet keeps it only in a folder others cannot write in (chmod o-w {folder})"
    )
    if where == "SOMNET_SYNC_DIR":
        assert result.stderr == f"somnet: SOMNET_SYNC_DIR: {refusal}\n"
    else:
        assert result.stderr == (
            f"somnet: {refusal}; this is the default sync folder (SOMNET_SYNC_DIR names another)\n"
        )
    assert list(folder.iterdir()) == [] and server.paths() == []


@pytest.mark.parametrize("label", ["a" * 64, "a..b"])
def test_a_site_whose_host_is_no_host_name_is_refused_as_such_before_anything_is_written(
    capsys: pytest.CaptureFixture[str], keys: KeyPair, label: str
) -> None:
    """A part of the host longer than 63 characters passed as a URL, and failed as the
    request went out: "the server redirects to a Location that is not a URL", when no server
    was asked. It is refused as the URL is read, as the meeting servers' addresses are."""
    url = f"https://{label}.example.org/somnet/"
    result = run(capsys, "directory", "sync", url, "--trust", str(keys.public))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"somnet: URL: {url!r}: not a URL ('{label}.example.org' is not a host name: a part "
        "between dots is empty, longer than 63 characters, or holds what no host name may)\n"
    )
    assert not sync_folder().exists()


def test_a_sync_url_whose_host_idna_cannot_read_is_refused_in_somnets_words(
    capsys: pytest.CaptureFixture[str], keys: KeyPair
) -> None:
    """Typed, the host is refused as a redirect to it is, where idna's English was shown
    ("Codepoint U+0080 at position 1 of '\\x80' not allowed"): URL named, exit 2, nothing
    written."""
    url = "http://xn--a.example/somnet/"
    result = run(capsys, "directory", "sync", url, "--trust", str(keys.public))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"somnet: URL: {url!r}: not a URL ('xn--a.example' is not a host name: IDNA cannot "
        "read it)\n"
    )
    assert not sync_folder().exists()


def test_a_sync_redirected_to_a_host_idna_cannot_read_fails_in_somnets_words(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    keys: KeyPair,
    site: Path,
    server: SiteServer,
) -> None:
    """The server's answer, said in somnet's words (it was idna's: "Codepoint U+0080 at
    position 1 of '\\x80' not allowed"): one line, exit 1, nothing synced."""
    publish_directory(data, keys.private, site, version=1, name="caribbean")
    location = "http://xn--a.example/somnet/"
    server.fault(SIGNED, Fault("redirect", status=302, location=location))
    result = run(capsys, "directory", "sync", server.url, "--trust", str(keys.public))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        f"somnet: {server.url}{SIGNED.lstrip('/')}: fetching the signed manifest: the server "
        f"redirects to {location!r}: 'xn--a.example' is not a host name: IDNA cannot read it; "
        "nothing was installed\n"
    )
    assert not (sync_folder() / "state.json").exists()


@pytest.mark.parametrize(
    ("url", "shown", "char"),
    [
        ("http://127.0.0.1\t.example/somnet/", "http://127.0.0.1\t.example/somnet/", "\t"),
        ("https://office\n.example.org/somnet/", "https://office\n.example.org/somnet/", "\n"),
        (
            "https://office.example.org/som\x00net/",
            "https://office.example.org/som\x00net/",
            "\x00",
        ),
        (
            "https://office.example.org/\u00a0somnet/",
            "https://office.example.org/\u00a0somnet/",
            "\u00a0",
        ),
        (
            "https://officer:s3cret@office.example.org/\x85/",
            "https://office.example.org/\x85/",
            "\x85",
        ),
    ],
    ids=["tab", "newline", "nul", "no-break-space", "password"],
)
def test_a_sync_url_holding_a_control_character_is_refused_in_somnets_words(
    capsys: pytest.CaptureFixture[str], keys: KeyPair, url: str, shown: str, char: str
) -> None:
    """A control character in a sync URL was refused in httpx's English words ("Invalid
    non-printable ASCII character in URL, '\\t' at position 16."); a blank other than the
    space was taken (and the URL written with it %-escaped). Each is refused in somnet's
    words: the URL named without its password, exit 2, nothing written."""
    result = run(capsys, "directory", "sync", url, "--trust", str(keys.public))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"somnet: URL: {shown!r}: not a URL (it holds {char!r}, a control or blank character, "
        "which no URL may hold)\n"
    )
    assert not sync_folder().exists()
