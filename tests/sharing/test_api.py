"""The sharing use cases as a Python user calls them, through ``somnet`` alone: make a key pair,
publish, sync against a real server on 127.0.0.1, read the status and the warnings every
command shows; with the same results as the command line, and errors that name the parameter
at fault."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import somnet
from tests.cli import run
from tests.factories import make_directory
from tests.sharing.helpers import Sleeps
from tests.sharing.server import serving


def test_a_key_pair_a_publication_and_a_sync_through_the_public_api(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pair = somnet.generate_key_pair(tmp_path / "office.key")
    site = tmp_path / "site"
    published = somnet.publish_directory(
        make_directory(tmp_path / "data"), pair.private, site, expires="2w", name="caribbean"
    )
    assert isinstance(published, somnet.PublishResult) and published.version == 1
    assert published.key_id == pair.key_id
    with serving(site) as server:
        synced = somnet.sync_directory(server.url, [pair.public])
        assert isinstance(synced, somnet.SyncResult)
        assert (synced.outcome, synced.version, synced.previous_version) == ("installed", 1, None)
        assert synced.copy.parent.parent == somnet.sync_folder()
        again = somnet.sync_directory()  # the recorded source and trust files
        assert (again.outcome, again.version) == ("not-modified", 1)
    status = somnet.sync_status()
    assert isinstance(status, somnet.SyncStatus) and status.synced is not None
    assert (status.installed, status.in_use, status.synced.version) == (True, True, 1)
    assert status.synced.key_trusted is True and status.synced.copy == synced.copy
    assert somnet.synced_copy_warnings() == []
    # The commands read what the library installed, and report it as the library does.
    result = run(capsys, "directory", "validate", "--format", "json")
    assert json.loads(result.stdout)["layers"] == [str(synced.copy)]
    report = json.loads(run(capsys, "directory", "status", "--format", "json").stdout)
    assert report == json.loads(json.dumps(status.to_json()))


def test_the_library_warns_of_an_expired_copy_as_every_command_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(days=40)
    pair = somnet.generate_key_pair(tmp_path / "office.key")
    site = tmp_path / "site"
    somnet.publish_directory(
        make_directory(tmp_path / "data"), pair.private, site, now=past, name="caribbean"
    )
    with serving(site) as server:
        somnet.sync_directory(server.url, [pair.public], now=past, sleep=Sleeps())
    (warning,) = somnet.synced_copy_warnings()
    assert isinstance(warning, somnet.SyncedCopyWarning)
    assert "(10 days ago): it may be out of date" in warning.reason
    assert warning.sync_again and "somnet directory" not in warning.reason
    status = somnet.sync_status()
    assert status.synced is not None and status.synced.expired
    assert status.warnings == (warning,)
    # The command line adds what to run; the rest of the line is the library's.
    result = run(capsys, "directory", "status")
    (printed,) = result.stderr.splitlines()
    reason = printed.removeprefix("somnet: warning: ").removesuffix("; run: somnet directory sync")
    assert reason.startswith("the synced directory (version 1 from http://127.0.0.1:")
    assert printed.endswith("; run: somnet directory sync")


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda tmp: somnet.sync_directory("ftp://example.org/", [tmp / "k.pub"]), "url"),
        (lambda tmp: somnet.sync_directory(None, [tmp / "k.pub"]), "trust"),
        (lambda tmp: somnet.sync_directory(), "url"),
        (lambda tmp: somnet.sync_directory("https://example.org/", [], timeout=-1), "timeout"),
        (lambda tmp: somnet.sync_directory("https://example.org/", [], attempts=99), "attempts"),
        (lambda tmp: somnet.sync_directory("https://example.org/", [], deadline=0), "deadline"),
        (lambda tmp: somnet.generate_key_pair(tmp / "none" / "k"), "out"),
        (
            lambda tmp: somnet.publish_directory(tmp, tmp / "none", tmp / "site", name="caribbean"),
            "key",
        ),
        (lambda tmp: somnet.load_trusted_keys([tmp / "none.pub"]), "trust"),
    ],
    ids=["url", "trust-file", "no-url", "timeout", "attempts", "deadline", "out", "key", "trust"],
)
def test_a_library_error_names_the_parameter_at_fault_never_a_flag(
    tmp_path: Path, call: object, field: str
) -> None:
    with pytest.raises(somnet.BadInputError) as caught:
        call(tmp_path)  # type: ignore[operator]
    assert caught.value.field == field
    assert str(caught.value) == f"{field}: {caught.value.reason}"
    assert "--" not in caught.value.reason
    assert not somnet.sync_folder().exists()  # bad input: nothing written


def test_the_readme_s_sharing_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme[readme.index("### Sharing from Python") :]
    code = section[section.index("```python\n") + 10 : section.index("\n```\n")]
    make_directory(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    printed: list[str] = []
    with serving(tmp_path / "site") as server:
        example = code.replace("https://office.example.org/somnet/", server.url)
        exec(compile(example, "README.md", "exec"), {"print": lambda *a: printed.append(a)})
    assert printed[0][:2] == ("published version", 1)
    assert printed[1][:3] == ("installed", "version", 1)
    assert printed[2] == ("commands read it:", True)
    assert len(printed) == 3  # no warning


@pytest.mark.parametrize("field", ["timeout", "deadline"])
@pytest.mark.parametrize("typed", ["0", "-1", "3600.50", "99999999999999999999", "9" * 400])
def test_parse_sync_seconds_refuses_out_of_range_with_the_text_given_as_value(
    field: str, typed: str
) -> None:
    """An error's ``value`` is what was given, as when the text is no number and as
    ``parse_timeout``'s: a setting out of range gave the number it reads as (``inf`` for 400
    digits, ``1e+20`` for 20), not the text the refusal repeats."""
    with pytest.raises(somnet.BadInputError) as refused:
        somnet.parse_sync_seconds(typed, field=field)
    assert (refused.value.field, refused.value.value) == (field, typed)
    assert "give more than 0 and at most 3600 seconds" in refused.value.reason
