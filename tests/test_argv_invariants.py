"""What every command line, configuration and environment a user can type must give: exit 0
(or the documented status), or exit 2 with one message naming the flag, the file and key or
the variable at fault; never a traceback, never Python's own words (``None``, ``<object at
...>``), and nothing written where the command was refused.

Each command is run in-process (tests/cli.py) with its flags given values drawn from valid
ones and near misses (codes in lower case, with spaces, look-alike letters, dates that do not
exist, offsets past +14:00, huge and negative numbers, control characters), flags repeated or
given twice with two values, and flags that exclude each other given together.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from somnet_cli.main import main

pytestmark = pytest.mark.usefixtures("meeting_clock")

#: Near misses of every kind, tried on every flag that takes a value.
NEAR_MISSES = (
    "",
    " ",
    "ht",
    " HT ",
    "H T",
    "HT,",
    ",HT",
    "HT,,CU",
    "\u041d\u0422",  # Cyrillic "НТ"
    "\uff28\uff34",  # full-width "ＨＴ"
    "\u200fHT",  # a right-to-left mark
    "HT\x00",
    "H\x07T",
    "\x1b[31mHT",
    "H\udcffT",  # a byte that is not UTF-8, as Python hands it on
    "HT\nCU",
    "\u202eTH",  # a right-to-left override
    "2026-02-30",
    "2026-13-01",
    "0001-01-01",
    "9999-12-31",
    "2026-12-01T24:00",
    "2026-12-01T15:00",
    "2026-12-01T15:00Z",
    "2026-12-01T15:00+14:01",
    "2026-12-01T15:00-14:00",
    "2026-12-01T15:00+05:45",
    "\uff12\uff10\uff12\uff16-12-01",  # full-width digits
    "0",
    "-1",
    "-5",
    "1e3",
    "99999999999999999999999999",
    "nan",
    "NaN",
    "inf",
    "\u0665",  # Arabic-Indic five
    "90",
    "90m",
    "0m",
    "-90m",
    "1h30m",
    "25h",
    "999999999h",
    "x" * 5000,
    "null",
    "-",
    "--",
    "-HT",
)

#: Per command: the words that make a good command line, and for each flag the valid values
#: it is also tried with.
CODE = ["HT", "BS", "CU", "US", "DO"]
DATES = ["2026-12-01", "2026-12-18"]
#: Servers on loopback where nothing listens (refused at once: exit 1, a failure of the world),
#: and addresses that are no server's.
SMTP = [
    "smtp://127.0.0.1:1",
    "smtp://",
    "ftp://127.0.0.1:1",
    "127.0.0.1:25",
    "smtp://127.0.0.1:99999",
]
CALDAV = ["http://127.0.0.1:1/cal/", "https://", "caldav://127.0.0.1:1/", "http://[::1/"]
#: The flags that reach a server: with them, exit 1 is the documented "the world failed".
NETWORK = {"--send", "--publish", "directory sync"}
COMMANDS: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    "contact": (
        ["contact", "--flag", "HT", "--zone", "contiguous", "--as", "BS"],
        {
            "--flag": CODE,
            "--stateless": [],
            "--zone": ["contiguous", "high-seas", "territorial", "eez"],
            "--coastal": CODE,
            "--as": CODE,
            "--disembark": CODE,
            "--nationality": ["HT,CU", "CU"],
            "--distress": [],
            "--minors": [],
            "--unaccompanied": [],
            "--at": ["2026-12-01T15:00Z", "2026-12-01T10:00-05:00"],
            "--stale-days": ["30", "0"],
            "--brief": [],
            "--explain": [],
            "--no-cache": [],
            "--format": ["json", "table", "JSON"],
        },
    ),
    "agreements": (
        ["agreements"],
        {
            "--between": ["US HT"],
            "--state": CODE,
            "--kind": ["repatriation", "shiprider", "sar"],
            "--format": ["json"],
        },
    ),
    "consular": (
        ["consular", "--nationality", "HT", "--in", "BS"],
        {"--nationality": CODE, "--in": CODE, "--format": ["json"]},
    ),
    "directory show": (["directory", "show", "HT"], {"--format": ["json"]}),
    "directory search": (["directory", "search", "coast"], {"--format": ["json"]}),
    "directory stale": (
        ["directory", "stale"],
        {"--days": ["30", "0"], "--evidence-years": ["2"], "--format": ["json"]},
    ),
    "directory coverage": (["directory", "coverage"], {"--format": ["json", "markdown"]}),
    "directory export": (
        ["directory", "export"],
        {"--format": ["json", "vcard"], "--state": CODE, "--include-restricted": []},
    ),
    "directory status": (["directory", "status"], {"--format": ["json"], "--cache": ["EMPTY"]}),
    "directory validate": (["directory", "validate"], {"--data": ["EMPTY"], "--format": ["json"]}),
    "directory keygen": (
        ["directory", "keygen", "--out", "OUT/key"],
        {"--out": ["OUT/key", "OUT/other"], "--force": [], "--format": ["json"]},
    ),
    "directory publish": (
        [
            "directory",
            "publish",
            "--name",
            "c",
            "--data",
            "EMPTY",
            "--key",
            "OUT/key",
            "--out",
            "OUT/site",
        ],
        {
            "--data": ["EMPTY"],
            "--key": ["OUT/key", "FILE"],
            "--out": ["OUT/site"],
            "--version": ["1", "2"],
            "--expires": ["2027-01-01", "2027-01-01T00:00Z"],
            "--keep": ["3"],
            "--format": ["json"],
        },
    ),
    "directory sync": (
        ["directory", "sync", "http://127.0.0.1:1/directory/"],
        {
            "--trust": ["FILE", "OUT/trust.pub"],
            "--cache": ["EMPTY"],
            "--timeout": ["1", "0.5"],
            "--attempts": ["1"],
            "--deadline": ["2"],
            "--format": ["json"],
        },
    ),
    "meeting plan": (
        [
            "meeting",
            "plan",
            "--states",
            "BS,DO,HT",
            "--duration",
            "90m",
            "--from",
            DATES[0],
            "--to",
            DATES[1],
        ],
        {
            "--states": ["BS,DO,HT", "HT"],
            "--role": ["foreign-affairs"],
            "--duration": ["90m", "1h30m", "2h"],
            "--from": DATES,
            "--to": DATES,
            "--step": ["15m", "30m", "1h"],
            "--notice": ["2", "0"],
            "--count": ["3", "1"],
            "--per-day": [],
            "--format": ["json"],
        },
    ),
    "meeting series": (
        [
            "meeting",
            "series",
            "--states",
            "BS,DO,HT",
            "--duration",
            "90m",
            "--from",
            "2027-01-04",
            "--every",
            "month",
            "--count",
            "3",
        ],
        {
            "--states": ["BS,DO,HT"],
            "--duration": ["90m"],
            "--from": ["2027-01-04"],
            "--every": ["week", "month", "quarter"],
            "--count": ["3", "1"],
            "--within": ["10"],
            "--step": ["30m"],
            "--notice": ["2"],
            "--no-ledger-from-store": [],
            "--timezone": ["America/Nassau"],
            "--format": ["json"],
        },
    ),
    "meeting invite": (
        [
            "meeting",
            "invite",
            "--states",
            "BS,DO,HT",
            "--start",
            "2026-12-03T15:00Z",
            "--duration",
            "90m",
            "--title",
            "Coordination",
            "--organizer",
            "focal@example.org",
        ],
        {
            "--start": ["2026-12-03T15:00Z"],
            "--from": DATES,
            "--to": DATES,
            "--pick": ["1", "2"],
            "--duration": ["90m"],
            "--notice": ["2"],
            "--allow-past": [],
            "--title": ["Coordination"],
            "--organizer": ["focal@example.org"],
            "--organizer-name": ["Focal Point"],
            "--timezone": ["America/Nassau", "UTC"],
            "--location": ["Nassau"],
            "--description": ["Agenda"],
            "--out": ["OUT/meeting.ics"],
            "--store": ["EMPTY", "OUT/store"],
            "--send": SMTP,
            "--starttls": [],
            "--smtp-user": ["me"],
            "--smtp-password-env": ["SOMNET_TEST_PASSWORD", "HOME"],
            "--publish": CALDAV,
            "--caldav-user": ["me"],
            "--timeout": ["1", "0.5"],
            "--per-attendee": [],
            "--force": [],
            "--format": ["json"],
        },
    ),
    "meeting update": (
        ["meeting", "update", "3f2a9c1e"],
        {
            "--start": ["2026-12-04T15:00Z"],
            "--duration": ["60m"],
            "--out": ["OUT/u.ics"],
            "--store": ["EMPTY"],
            "--send": SMTP,
            "--publish": CALDAV,
        },
    ),
    "meeting cancel": (
        ["meeting", "cancel", "3f2a9c1e"],
        {"--series": ["3f2a9c1e"], "--out": ["OUT/c.ics"], "--store": ["EMPTY"], "--send": SMTP},
    ),
    "meeting resend": (["meeting", "resend", "3f2a9c1e"], {"--out": ["OUT/r.ics"]}),
    "meeting list": (
        ["meeting", "list"],
        {"--series": ["3f2a9c1e"], "--store": ["EMPTY", "FILE", "MISSING"], "--format": ["json"]},
    ),
    "meeting show": (["meeting", "show", "3f2a9c1e"], {"--ics": [], "--format": ["json"]}),
}

#: The words that name commands.
COMMAND_WORDS = frozenset(
    ["contact", "agreements", "consular", "directory", "meeting"]
    + [name.split()[-1] for name in COMMANDS]
)

#: Flags every command takes, and how --lang may be written (argparse takes an abbreviation).
COMMON_VALUES = {"--lang": ["en", "es", "fr", "ES"]}
LANGUAGE_SPELLINGS = ("--lang", "--lan", "--la")

#: Python's own words, which a message for a user never holds.
PYTHON_WORDS = re.compile(
    r"Traceback|<[\w.]+ object|<class |\bNone\b|\bNoneType\b|\b(Posix|Windows)?Path\("
)
#: What a terminal acts on or shows reversed, which no output carries (the colours somnet adds
#: on a terminal aside; the tests' streams are none): control characters but the line break
#: and the tab, and the marks that reorder text.
TERMINAL_COMMANDS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)

#: How many examples each property tries (``ARGV_EXAMPLES=300`` for a longer hunt).
EXAMPLES = int(os.environ.get("ARGV_EXAMPLES", "12"))


@attrs.frozen
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run_words(words: list[str]) -> Result:
    """``somnet WORDS`` in-process, as tests/cli.py runs it, without pytest's capture (a
    property runs many examples in one test)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(words)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return Result(code, out.getvalue(), err.getvalue())


@st.composite
def command_lines(draw: st.DrawFn, name: str) -> list[str]:
    """A command line of ``name``: its good words, now and then without one of its options
    or with a near miss for its word (a state, an id), and up to five options more, each with
    a good value or a near miss (repeated, or given twice with two values, at times)."""
    base, flags = COMMANDS[name]
    words = list(base)
    options = [n for n, word in enumerate(words) if word.startswith("--")]
    if options and draw(st.booleans()):
        at = draw(st.sampled_from(options))
        del words[at : at + 2]
    positional = [
        n
        for n, word in enumerate(words)
        if n > 0
        and word not in COMMAND_WORDS
        and not word.startswith("-")
        and not words[n - 1].startswith("--")
    ]
    if positional and draw(st.booleans()):
        words[positional[0]] = draw(st.sampled_from(NEAR_MISSES))
    choices = {**flags, **COMMON_VALUES}
    for flag in draw(st.lists(st.sampled_from(sorted(choices)), max_size=5)):
        valid = choices[flag]
        if not valid:
            words.append(flag)
            continue
        value = draw(st.sampled_from(valid) | st.sampled_from(NEAR_MISSES))
        if flag == "--lang":
            flag = draw(st.sampled_from(LANGUAGE_SPELLINGS))
        if flag == "--between":
            words += [flag, *value.split(" ", 1)] if " " in value else [flag, value, "HT"]
        elif draw(st.booleans()):
            words += [flag, value]
        else:
            words.append(f"{flag}={value}")
    if draw(st.integers(0, 5)) == 0:
        # --lang before the command.
        language = draw(st.sampled_from(COMMON_VALUES["--lang"] + list(NEAR_MISSES)))
        words = ["--lang", language, *words]
    return words


def _snapshot(*folders: Path) -> set[str]:
    """Every file under ``folders`` but the directory's cache (written by design by any
    command that loads the directory) and a meeting store's lock file (left where the store
    is, by design)."""
    found = set()
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            found |= {
                os.path.join(root, file)
                for file in files
                if "cache" not in os.path.join(root, file) and file != ".lock"
            }
    return found


def _message(result: Result, words: list[str], *, network: bool = False) -> str | None:
    """The one line a refused command printed (None when it was done), checked: exit 0 or 2
    (or 1, a failure of the world, when it reached a server), no traceback, and no Python
    words once the user's own are taken out."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exit_code in ({0, 1, 2} if network else {0, 2}), (words, result.stderr)
    # A document's line ends (a vCard's, an iCalendar's) are CR LF by its standard.
    shown = result.stderr + result.stdout.replace("\r\n", "\n")
    assert not TERMINAL_COMMANDS.search(shown), (words, result.stderr)
    if result.exit_code != 2:
        return None
    lines = [
        line
        for line in result.stderr.splitlines()
        # argparse's usage (and the help of a command group without its subcommand) and the
        # directory's warnings come with the message.
        if line.strip() and not line.startswith(("usage:", " ", "somnet: warning:"))
    ]
    assert len(lines) == 1, (words, result.stderr)
    text = lines[0]
    given = {part for word in words for part in (word, word.partition("=")[2]) if part}
    for word in sorted(given, key=len, reverse=True):
        text = text.replace(repr(word), "").replace(word, "")
    assert not PYTHON_WORDS.search(text), (words, lines[0])
    return lines[0]


def _names_a_word(message: str, words: list[str]) -> bool:
    """Whether a message about a word (a state, a meeting id, a word the command does not
    take) names it, or names the place it was given in."""
    given = [word for word in words if word.strip() and word not in COMMAND_WORDS]
    return any(word in message or repr(word)[1:-1] in message for word in given) or bool(
        re.search(r"\b(state|text|id|url|XX|TEXT|ID|URL)\b", message)
    )


@pytest.mark.parametrize("name", sorted(COMMANDS))
@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_command_line_is_done_or_refused_naming_a_flag(
    name: str,
    data: st.DataObject,
    isolated_environment: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    words = data.draw(command_lines(name))
    work = tmp_path_factory.mktemp("work")
    (work / "EMPTY").mkdir()
    (work / "FILE").write_text("")
    (work / "out").mkdir()
    places = {"EMPTY": work / "EMPTY", "FILE": work / "FILE", "MISSING": work / "missing"}
    words = [str(places[w]) if w in places else w.replace("OUT/", f"{work}/out/") for w in words]
    before = _snapshot(isolated_environment, work)
    with pytest.MonkeyPatch.context() as patched:
        # A relative path names a file in the example's own folder, and the meetings an
        # example records are its own.
        patched.chdir(work)
        patched.setenv("SOMNET_DATA_HOME", str(work / "data-home"))
        result = run_words(words)
    network = name in NETWORK or any(w.partition("=")[0] in NETWORK for w in words)
    message = _message(result, words, network=network)
    if message is None:
        return
    assert _snapshot(isolated_environment, work) == before, words
    # The flag at fault, or one missing (a required option left out, one of a pair).
    base, flags = COMMANDS[name]
    known = {*flags, *COMMON_VALUES, *(w for w in base if w.startswith("--"))}
    known |= {w.partition("=")[0] for w in words if w.startswith("--")}
    named = [flag for flag in known if re.search(re.escape(flag) + r"(?![\w-])", message)]
    # A command's own word, refused (an empty text to search for), is named by the command.
    assert named or _names_a_word(message, words) or f"{name}: " in message, (words, message)


#: Every flag that names a file or folder, with a command line it completes (which does not
#: give it), and whether it may be given more than once.
_PUBLISH = {"--data": "EMPTY", "--key": "FILE", "--out": "OUT/site"}
PATH_FLAGS = [
    (["contact", "--flag", "HT", "--zone", "contiguous", "--as", "BS"], "--data", True),
    (["directory", "validate"], "--data", True),
    (["directory", "status"], "--cache", False),
    (["directory", "keygen"], "--out", False),
    *(
        (
            [
                "directory",
                "publish",
                "--name",
                "caribbean",
                *(w for f, v in _PUBLISH.items() if f != flag for w in (f, v)),
            ],
            flag,
            False,
        )
        for flag in _PUBLISH
    ),
    (["directory", "sync", "http://127.0.0.1:1/", "--trust", "FILE"], "--cache", False),
    (["directory", "sync", "http://127.0.0.1:1/"], "--trust", True),
    (["meeting", "list"], "--store", False),
    (["meeting", "show", "3f2a9c1e"], "--store", False),
]


@pytest.mark.parametrize(("words", "flag", "repeated"), PATH_FLAGS)
@pytest.mark.parametrize(
    "name", ["a\x1b[1A\x1b[2Kb", "one\nsomnet: done", "\u202eemag.toml", "bell\x07", "c1\x9b2J"]
)
def test_a_path_holding_a_terminal_command_is_shown_escaped_in_one_line(
    words: list[str],
    flag: str,
    repeated: bool,
    name: str,
    isolated_environment: Path,
    tmp_path: Path,
) -> None:
    """A file or folder name is echoed in the message that refuses it: one holding an escape
    sequence (a name made by a script, a folder handed on by another agency) reached the
    officer's terminal as a command (``ESC[1A ESC[2K`` erases the line above; a line break
    writes a line of its own that seems somnet's), and a right-to-left override showed the
    rest reversed. It is shown escaped, as Python writes it, on one line (or not at all: a
    key file that is none is refused first)."""
    (tmp_path / "EMPTY").mkdir()
    (tmp_path / "FILE").write_text("")
    (tmp_path / "out").mkdir()
    given = str(tmp_path / name)
    line = [
        str(tmp_path / w) if w in ("EMPTY", "FILE") else w.replace("OUT/", f"{tmp_path}/out/")
        for w in words
    ]
    with pytest.MonkeyPatch.context() as patched:
        patched.chdir(tmp_path)
        result = run_words([*line, flag, given])
    shown = result.stdout + result.stderr
    assert result.exit_code in (0, 2) and result.stderr.count("\n") <= 1, result
    # A line break in a path a command shows on standard output is left as it is (a document
    # of lines); in a message it would be a line that seems one of somnet's own.
    assert not TERMINAL_COMMANDS.search(shown) and given not in result.stderr, result
    escaped = given.encode("unicode_escape").decode()
    assert escaped in shown or "\n" in given or result.exit_code == 2, result


@pytest.mark.parametrize(
    ("words", "flag"), [(words, flag) for words, flag, repeated in PATH_FLAGS if not repeated]
)
def test_a_path_flag_given_twice_shows_both_as_typed(
    words: list[str], flag: str, isolated_environment: Path
) -> None:
    """``--data a --data b`` was refused as "given twice, as PosixPath('a') and
    PosixPath('b')": Python's words for the paths, where the user typed a and b."""
    result = run_words([*words, flag, "first-place", flag, "second-place"])
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{flag}: given twice, as 'first-place' and 'second-place'; give it once" in (
        result.stderr
    ), result.stderr


# The configuration file and the environment -------------------------------------------------

#: Commands that read the configuration: the home state (the acting state, "today"), the
#: language, the working days of notice.
CONFIGURED_COMMANDS = (
    ["contact", "--flag", "HT", "--zone", "contiguous"],
    ["directory", "stale"],
    ["agreements", "--state", "HT"],
    [
        "meeting",
        "plan",
        "--states",
        "BS,DO,HT",
        "--duration",
        "90m",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-18",
    ],
)

#: config.toml's keys with good values and bad ones (wrong types, near misses).
CONFIG_VALUES = {
    "home_state": ['"BS"', '"bs"', '" BS "', '""', '"XX"', '"\u041d\u0422"', "1", '["BS"]', "true",
                   '"B\\u0000S"', "{ code = \"BS\" }", "1979-05-27", "nan"],
    "language": ['"es"', '"fr"', '"ES"', '"es_MX.UTF-8"', '"xx"', '""', "1", '["es"]', "false",
                 "inf"],
    "notice_days": ["2", "0", "-1", "2.5", '"2"', "true", "9223372036854775807",
                    "99999", "nan", "[2]", "1979-05-27T07:32:00Z"],
}  # fmt: skip

#: Whole files that are not a configuration.
BAD_FILES = (
    b"home_state = ",
    b"home_state = 'BS",
    b"= 1",
    b'home_state = "BS"\nhome_state = "US"\n',
    b'[home_state]\ncode = "BS"\n',
    b'home_sate = "BS"\n',
    b'HOME_STATE = "BS"\n',
    b"\x00",
    b"\xff\xfe",
    'home_state = "BS"\n'.encode("utf-16"),
    '\ufeffhome_state = "BS"\n'.encode(),
    b'home_state = "BS"\r\n',
    b"",
    b"\n\n# nothing\n",
    b"a = " + b"[" * 2000 + b"]" * 2000,
    'home_state = "BS"\u2028\n'.encode(),
)

#: The environment variables the README documents, with good values and bad ones.
ENVIRONMENT = {
    "SOMNET_HOME_STATE": ["BS", "bs", " ", "XX", "\u041d\u0422", "B\x07S", "BS,US"],
    "SOMNET_LANG": ["es", "fr", "ES", "es_MX.UTF-8", "xx", " ", "C", "\u0435s"],
    "SOMNET_NO_CACHE": ["1", "0", " "],
    "NO_COLOR": ["1", ""],
    "LANG": ["C", "es_MX.UTF-8", "xx_YY", "nonsense", "\u00e9"],
    "LC_ALL": ["POSIX", "fr_FR", "garbage.UTF-9"],
    "TZ": ["Nowhere/Else", ":/nonexistent-zone", "UTC+99", "", "EST5EDT"],
    "SOMNET_DATA": ["relative/folder", "EMPTY", "FILE", "MISSING", ":::"],
    "SOMNET_CACHE_DIR": ["relative", "FILE"],
    "SOMNET_DATA_HOME": ["relative", "FILE"],
    "SOMNET_SYNC_DIR": ["relative", "FILE"],
    "SOMNET_CONFIG": ["relative.toml", "FOLDER", "MISSING"],
}


@st.composite
def configurations(draw: st.DrawFn) -> bytes:
    """config.toml: some keys with good or bad values, or a whole bad file."""
    if draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(BAD_FILES))
    keys = draw(st.lists(st.sampled_from(sorted(CONFIG_VALUES)), unique=True, max_size=3))
    lines = [f"{key} = {draw(st.sampled_from(CONFIG_VALUES[key]))}" for key in keys]
    return ("\n".join(lines) + "\n").encode()


@settings(
    max_examples=EXAMPLES * 4,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    command=st.sampled_from(CONFIGURED_COMMANDS),
    config=configurations(),
    environment=st.dictionaries(
        st.sampled_from(sorted(ENVIRONMENT)), st.none(), max_size=3
    ).flatmap(
        lambda names: st.fixed_dictionaries(
            {name: st.sampled_from(ENVIRONMENT[name]) for name in names}
        )
    ),
)
def test_every_configuration_and_environment_is_done_or_refused_naming_where(
    command: list[str],
    config: bytes,
    environment: dict[str, str],
    isolated_environment: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work = tmp_path_factory.mktemp("config")
    config_file = work / "config.toml"
    config_file.write_bytes(config)
    (work / "FILE").write_text("")
    (work / "EMPTY").mkdir()
    places = {
        "FILE": str(work / "FILE"),
        "FOLDER": str(work),
        "EMPTY": str(work / "EMPTY"),
        "MISSING": str(work / "missing.toml"),
    }
    with monkeypatch.context() as patched:
        patched.setenv("SOMNET_CONFIG", str(config_file))
        for name, value in environment.items():
            patched.setenv(name, places.get(value, value))
        before = _snapshot(isolated_environment, work)
        result = run_words(list(command))
    message = _message(result, [*command, *environment.values()])
    if message is None:
        return
    assert _snapshot(isolated_environment, work) == before
    # The file (its key, for a value), the variable, or the flag at fault: the command
    # lines are good ones, but a contact plan needs an acting state when none is configured.
    where = [
        *(name for name in environment if name in message),
        *([str(config_file)] if str(config_file) in message else []),
        *(flag for flag in [*command, "--as"] if flag.startswith("--") and flag in message),
    ]
    assert where, (command, config, environment, message)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every file")
def test_a_configuration_the_user_cannot_read_is_refused_naming_it(
    isolated_environment: Path,
) -> None:
    config = isolated_environment / "config.toml"
    config.write_text('home_state = "BS"\n')
    config.chmod(0)
    result = run_words(["contact", "--flag", "HT", "--zone", "contiguous"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"somnet: {config}: cannot read the configuration: ")
    assert len(result.stderr.splitlines()) == 1
