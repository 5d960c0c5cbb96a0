"""The user's configuration file: named by SOMNET_CONFIG or found in the config directory."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.cli import run


def test_somnet_config_naming_a_missing_file_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mistyped SOMNET_CONFIG would otherwise silently leave the home state unset."""
    missing = tmp_path / "somnet.toml"
    monkeypatch.setenv("SOMNET_CONFIG", str(missing))
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "SOMNET_CONFIG" in result.stderr and str(missing) in result.stderr


def test_somnet_config_naming_a_folder_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOMNET_CONFIG", str(tmp_path))
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez")
    assert result.exit_code == 2 and str(tmp_path) in result.stderr


def test_a_configuration_nested_too_deeply_is_one_line(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path
) -> None:
    config = isolated_environment / "config.toml"
    config.write_text("home_state = " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"somnet: {config}: ") and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_without_somnet_config_a_missing_default_file_is_no_configuration(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOMNET_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "nowhere"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez", "--format", "json")
    assert result.exit_code == 0, result.stderr


def test_a_configuration_saved_with_a_byte_order_mark_is_read(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path
) -> None:
    """Editors on Windows save one; the data files accept it, so does the configuration."""
    config = isolated_environment / "config.toml"
    config.write_bytes(b'\xef\xbb\xbfhome_state = "BS"\n')
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["interception"]["acting"] == "BS"


def test_somnet_config_naming_a_folder_says_so_once_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOMNET_CONFIG", str(tmp_path))
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.count(str(tmp_path)) == 1, result.stderr  # not Python's repr again
    assert "Errno" not in result.stderr, result.stderr


@pytest.mark.parametrize("lang", ["--lang=", "--lang"])
def test_an_empty_language_is_refused_naming_the_flag(
    capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    words = [lang] if lang.endswith("=") else [lang, ""]
    result = run(capsys, *words, "contact", "--flag", "HT", "--zone", "eez")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("somnet: --lang: "), result.stderr
    assert result.stderr.count("\n") == 1


def test_an_empty_language_in_the_configuration_is_named(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path
) -> None:
    config = isolated_environment / "config.toml"
    config.write_text('language = ""\n')
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez")
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{config}: language" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "content",
    [
        b'home_stat = "BS"\n',  # a mistyped key
        b'home_state = "BS\n',  # not TOML
        b'home_state = "\xe9"\n',  # not UTF-8
        b'language = "de"\n',  # a language somnet does not speak
    ],
    ids=["unknown key", "not TOML", "not UTF-8", "unknown language"],
)
def test_a_configuration_that_cannot_be_used_is_told_in_the_locales_language(
    capsys: pytest.CaptureFixture[str],
    isolated_environment: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: bytes,
) -> None:
    """The configuration is read to choose the language: when it cannot be used, the error
    is told in the language the locale asks for, as every other error is."""
    import somnet

    config = isolated_environment / "config.toml"
    config.write_bytes(content)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    english = run(capsys, "contact", "--flag", "HT", "--zone", "eez")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    french = run(capsys, "contact", "--flag", "HT", "--zone", "eez")
    assert english.exit_code == french.exit_code == 2 and french.stdout == ""
    assert french.stderr.count("\n") == 1 and "Traceback" not in french.stderr
    assert str(config) in french.stderr
    assert somnet.language() == "fr"
    # French sets a space before the colon: "somnet : ...".
    assert french.stderr.startswith("somnet : ") and french.stderr != english.stderr


def test_a_configuration_that_is_not_toml_says_where_in_the_language_in_use(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path
) -> None:
    """Where the TOML breaks (line, column) is told in the language in use, as it is for the
    data files: tomllib's own "(at line 1, column 18)" stayed in English inside French."""
    config = isolated_environment / "config.toml"
    config.write_bytes(b'home_state = "BS\n')
    french = run(capsys, "--lang", "fr", "contact", "--flag", "HT", "--zone", "eez")
    assert french.exit_code == 2 and french.stderr.count("\n") == 1
    assert "at line" not in french.stderr and "ligne 1" in french.stderr, french.stderr


@pytest.mark.parametrize(
    "content",
    ['home_state = "HX"\n', 'home_state = "HTX"\n', "language = 1\n", 'language = "de"\n'],
)
def test_a_french_error_on_a_configuration_key_sets_its_colons_as_french_does(
    capsys: pytest.CaptureFixture[str],
    isolated_environment: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: str,
) -> None:
    """In French the file and the key are set apart as every other French error line sets them
    ("somnet : FILE : home_state : ..."), not "somnet : FILE: home_state : ..."."""
    import re

    config = isolated_environment / "config.toml"
    config.write_text(content, encoding="utf-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and str(config) in result.stderr
    assert re.findall(r"\S: ", result.stderr) == [], result.stderr


@pytest.mark.parametrize("command", ["plan", "series"])
def test_a_configured_notice_no_year_can_give_names_the_configuration_not_the_flag(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path, command: str
) -> None:
    """notice_days = 400 in config.toml was refused as "--notice: ... no 400 working days
    within a year", naming a flag the user never gave."""
    config = isolated_environment / "config.toml"
    config.write_text("notice_days = 400\n")
    words = ["meeting", command, "--states", "BS,DO", "--duration", "60m"]
    if command == "plan":
        words += ["--from", "2026-12-01", "--to", "2026-12-10"]
    else:
        words += ["--from", "2027-01-04", "--every", "quarter", "--count", "2"]
    result = run(capsys, *words)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"somnet: {config}: notice_days: "), result.stderr
    assert "--notice:" not in result.stderr
    # Given on the command line, the flag is named.
    flagged = run(capsys, *words, "--notice", "400")
    assert flagged.exit_code == 2 and flagged.stderr.startswith("somnet: --notice: ")


def test_a_french_refusal_of_the_configured_notice_sets_its_colons_as_french_does(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path
) -> None:
    import re

    (isolated_environment / "config.toml").write_text("notice_days = 400\n")
    result = run(
        capsys, "--lang", "fr", "meeting", "plan", "--states", "BS,DO", "--duration", "60m",
        "--from", "2026-12-01", "--to", "2026-12-10",
    )  # fmt: skip
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert re.findall(r"\S: ", result.stderr) == [], result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_somnet_config_naming_a_named_pipe_is_refused_without_waiting(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading a named pipe waits for a writer: every command hung. It is refused."""
    pipe = tmp_path / "config.toml"
    os.mkfifo(pipe)
    monkeypatch.setenv("SOMNET_CONFIG", str(pipe))
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and str(pipe) in result.stderr


def test_somnet_config_naming_an_endless_device_is_refused_and_dev_null_is_no_configuration(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """/dev/zero never ends: it was read until memory ran out. /dev/null, the usual way to
    say "no configuration", is read as an empty one."""
    if not (os.path.exists("/dev/zero") and os.path.exists("/dev/null")):
        pytest.skip("no /dev/zero or /dev/null")
    monkeypatch.setenv("SOMNET_CONFIG", "/dev/null")
    assert run(capsys, "contact", "--flag", "HT", "--zone", "eez", "--brief").exit_code == 0
    monkeypatch.setenv("SOMNET_CONFIG", "/dev/zero")
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "/dev/zero" in result.stderr


@pytest.mark.parametrize(
    "words",
    [
        ["--lang", "es", "contact", "--flag", "HT", "--zone", "eez", "--lang", "fr"],
        ["contact", "--lang=es", "--flag", "HT", "--zone", "eez", "--lang", "fr"],
    ],
)
def test_a_language_given_twice_with_two_values_is_refused(
    capsys: pytest.CaptureFixture[str], words: list[str]
) -> None:
    """Like every other option, --lang given two values is refused (the first one quietly
    won, where the other options refuse)."""
    result = run(capsys, *words)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("somnet: --lang: "), result.stderr
    assert result.stderr.count("\n") == 1


def test_a_language_given_twice_with_the_same_value_is_taken_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import somnet

    result = run(capsys, "--lang", "fr", "contact", "--flag", "HT", "--zone", "eez", "--lang=FR")
    assert result.exit_code == 0, result.stderr
    assert somnet.language() == "fr"


@pytest.mark.parametrize("variable", ["SOMNET_DATA_HOME", "SOMNET_CACHE_DIR", "SOMNET_SYNC_DIR"])
@pytest.mark.parametrize("value", [" ", "somnet-data"])
def test_a_relative_folder_in_the_environment_is_refused_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
) -> None:
    """SOMNET_DATA_HOME=" " (a misquoted line in a profile) or a relative folder made a folder
    in whatever working folder the command ran in, and kept the meeting records, the cache
    and its key there: each folder its own store. Such a value is refused, naming it."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv(variable, value)
    contact = ["contact", "--flag", "HT", "--zone", "eez"]
    commands = {
        "SOMNET_DATA_HOME": [contact, ["meeting", "list"]],
        "SOMNET_CACHE_DIR": [contact],
        "SOMNET_SYNC_DIR": [contact, ["directory", "status"]],
    }
    for words in commands[variable]:
        result = run(capsys, *words)
        assert result.exit_code == 2 and result.stdout == "", (words, result.stdout)
        assert result.stderr.startswith(f"somnet: {variable}: "), (words, result.stderr)
        assert result.stderr.count("\n") == 1
    assert list(work.iterdir()) == []


@pytest.mark.parametrize("variable", ["SOMNET_DATA_HOME", "SOMNET_CACHE_DIR", "SOMNET_SYNC_DIR"])
@pytest.mark.parametrize("below", [False, True], ids=["the-file", "inside-the-file"])
def test_a_file_in_the_environment_where_a_folder_goes_is_refused_naming_the_variable(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    below: bool,
) -> None:
    """SOMNET_DATA_HOME naming a file (or a folder inside one) was taken for a store with no
    meetings by ``meeting list`` and failed to lock it, exit 1, in ``meeting invite``;
    SOMNET_SYNC_DIR so was a folder with nothing synced, SOMNET_CACHE_DIR a cache that could
    not be used. Each is refused as a relative one is, naming the variable, and the file
    stays as it was."""
    taken = tmp_path / "notes.txt"
    taken.write_text("mine\n")
    monkeypatch.setenv(variable, str(taken / "somnet" if below else taken))
    contact = ["contact", "--flag", "HT", "--zone", "eez"]
    commands = {
        "SOMNET_DATA_HOME": [contact, ["meeting", "list"]],
        "SOMNET_CACHE_DIR": [contact],
        "SOMNET_SYNC_DIR": [contact, ["directory", "status"]],
    }
    for words in commands[variable]:
        result = run(capsys, *words)
        assert result.exit_code == 2 and result.stdout == "", (words, result.stdout)
        assert result.stderr == f"somnet: {variable}: {taken}: a file, not a folder\n", words
    assert taken.read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("below", [False, True], ids=["the-file", "inside-the-file"])
def test_a_file_in_xdg_data_home_is_refused_naming_it_where_the_data_home_is_needed(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    below: bool,
) -> None:
    """XDG_DATA_HOME naming a file (with no SOMNET_DATA_HOME) made ``meeting invite`` and
    ``meeting list`` refuse a ``--store`` the user never gave, and ``directory status`` tell of
    a folder with nothing synced in it. The commands that need the data home refuse it naming
    the variable, as they do SOMNET_DATA_HOME; ``contact``, for which it holds only the cache
    key, still answers (the variable is other programs' too), without the cache."""
    taken = tmp_path / "notes.txt"
    taken.write_text("mine\n")
    monkeypatch.delenv("SOMNET_DATA_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(taken / "share" if below else taken))
    invite = [
        *("meeting", "invite", "--states", "BS,PA", "--start", "2030-01-08T15:00Z"),
        *("--duration", "90m", "--title", "T", "--organizer", "o@example.org"),
        *("--out", str(tmp_path / "meeting.ics")),
    ]
    for words in (invite, ["meeting", "list"], ["directory", "status"]):
        result = run(capsys, *words)
        assert result.exit_code == 2 and result.stdout == "", (words, result.stdout)
        assert result.stderr == f"somnet: XDG_DATA_HOME: {taken}: a file, not a folder\n", words
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez")
    assert result.exit_code == 0, result.stderr
    assert taken.read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_folder_in_the_environment_may_start_with_a_tilde(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SOMNET_DATA_HOME", "~/somnet")
    result = run(capsys, "meeting", "list")
    assert result.exit_code == 0, result.stderr
    assert str(tmp_path / "somnet" / "meetings") in result.stdout


#: An overlay of one agency.
EXTRA_AGENCY = """\
[[agencies]]
id = "bs-extra-unit"
state = "BS"
name = "Extra unit"
name_en = "Extra unit"
roles = ["migration"]
last_verified = 2026-01-05
sources = [{ title = "Official page", url = "https://example.gov/source" }]
"""


@pytest.mark.parametrize("variable", ["SOMNET_CONFIG", "SOMNET_DATA"])
def test_a_relative_path_in_the_environment_is_refused_as_for_every_folder_setting(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    """SOMNET_CONFIG=config.toml and SOMNET_DATA=overlay were read from whatever working
    folder the command ran in (another configuration, another overlay, or none, in each),
    where SOMNET_CACHE_DIR, SOMNET_DATA_HOME and SOMNET_SYNC_DIR refuse a relative path. They
    follow the same rule: refused naming the variable, even when the working folder holds
    what they name."""
    work = tmp_path / "work"
    (work / "overlay").mkdir(parents=True)
    (work / "overlay" / "extra.toml").write_text(EXTRA_AGENCY)
    (work / "config.toml").write_text('home_state = "BS"\n')
    monkeypatch.chdir(work)
    value = {"SOMNET_CONFIG": "config.toml", "SOMNET_DATA": f"overlay{os.pathsep}"}[variable]
    monkeypatch.setenv(variable, value)
    for words in (["contact", "--flag", "HT", "--zone", "eez"], ["directory", "show", "HT"]):
        result = run(capsys, *words)
        assert result.exit_code == 2 and result.stdout == "", (words, result.stdout)
        assert result.stderr.startswith(f"somnet: {variable}: "), (words, result.stderr)
        assert "relative path" in result.stderr
        assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in work.iterdir()) == ["config.toml", "overlay"]


def test_the_overlays_and_the_configuration_in_the_environment_may_start_with_a_tilde(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "overlay").mkdir()
    (tmp_path / "overlay" / "extra.toml").write_text(EXTRA_AGENCY)
    (tmp_path / "config.toml").write_text('home_state = "BS"\n')
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SOMNET_CONFIG", "~/config.toml")
    monkeypatch.setenv("SOMNET_DATA", f"{os.pathsep}~/overlay")
    result = run(capsys, "contact", "--flag", "HT", "--zone", "eez", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["interception"]["acting"] == "BS"
    shown = run(capsys, "directory", "show", "BS")
    assert "bs-extra-unit" in shown.stdout, shown.stderr


@pytest.mark.parametrize(
    ("variable", "words"),
    [
        ("SOMNET_CACHE_DIR", ("contact", "--flag", "HT", "--zone", "eez")),
        ("SOMNET_SYNC_DIR", ("directory", "status")),
    ],
)
def test_a_folder_in_the_environment_inside_one_the_user_cannot_enter_is_no_traceback(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    words: tuple[str, ...],
) -> None:
    """SOMNET_CACHE_DIR or SOMNET_SYNC_DIR set for every user (in /etc/profile) to a folder
    inside one this user may not enter (a service account's): whether a file stands where
    the folder goes cannot be told, and is not the user's mistake. The commands run as they
    did before that check (without the cache; a status that says what it cannot read),
    never with a traceback.
    The folder is made one this user may not enter by refusing to look into it, as the
    system does (the suite runs as root, who may enter any)."""
    import pathlib

    locked = tmp_path / "service"
    (locked / "somnet").mkdir(parents=True)

    def refused(path: object) -> bool:
        return str(path).startswith(f"{locked}{os.sep}")

    def guarded(stat: Any) -> Any:
        def looked(path: Any, *args: Any, **kwargs: Any) -> Any:
            if refused(path):
                raise PermissionError(13, "Permission denied", str(path))
            return stat(path, *args, **kwargs)

        return looked

    monkeypatch.setattr(os, "stat", guarded(os.stat))
    monkeypatch.setattr(os, "lstat", guarded(os.lstat))
    monkeypatch.setattr(pathlib.Path, "stat", guarded(pathlib.Path.stat))
    monkeypatch.setenv(variable, str(locked / "somnet"))
    result = run(capsys, *words)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("written", "said"),
    [("notice_days = true", "got true"), ("notice_days = 2.5", "got 2.5")],
    ids=["true", "fraction"],
)
def test_a_configured_notice_of_another_kind_is_told_as_the_file_writes_it(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path, written: str, said: str
) -> None:
    """notice_days = true was refused as "got True", Python's word, not the file's."""
    config = isolated_environment / "config.toml"
    config.write_text(written + "\n")
    result = run(
        capsys, "meeting", "plan", "--states", "BS,DO", "--duration", "60m",
        "--from", "2026-12-01", "--to", "2026-12-10",
    )  # fmt: skip
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"somnet: {config}: notice_days: expected a whole number of working days, 0 or more, "
        f"{said}\n"
    ), result.stderr
