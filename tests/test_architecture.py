"""The shape of the code: the command line builds only the command it runs, and somnet's
modules import each other without cycles."""

from __future__ import annotations

import argparse
import ast
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from somnet_cli.main import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parent.parent


def test_the_help_of_every_command_is_the_commands_own() -> None:
    parser = build_parser()  # every command, built
    [commands] = [a for a in parser._actions if a.dest == "command"]
    listed = {a.dest: a.help for a in commands._choices_actions}
    assert listed == {name: text for name, (_, text) in COMMANDS.items()}


def _parsers(
    parser: argparse.ArgumentParser, path: str
) -> list[tuple[str, argparse.ArgumentParser]]:
    """``parser`` and every subcommand's parser below it, with the command line that names it."""
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _parsers(sub, f"{path} {name}")
    return found


def test_every_option_of_every_command_says_what_it_is() -> None:
    # `meeting update --duration` and `--timezone` were listed in --help with nothing beside
    # them: an officer moving a meeting had to guess whether the zone moves the meeting.
    silent = [
        f"{path} {action.option_strings[-1]}"
        for path, parser in _parsers(build_parser(), "somnet")
        for action in parser._actions
        if action.option_strings and not action.help and action.help != argparse.SUPPRESS
    ]
    assert silent == []


def test_every_option_of_every_command_is_named_in_the_readme_or_docs() -> None:
    # A user reading README and docs/ finds every flag --help lists: `meeting invite
    # --location`, `--description`, `--timezone` and `--step` were in --help alone.
    documents = " ".join(
        path.read_text(encoding="utf-8") for path in [ROOT / "README.md", *ROOT.glob("docs/*.md")]
    )
    unnamed = sorted(
        {
            f"{path} {option}"
            for path, parser in _parsers(build_parser(), "somnet")
            for action in parser._actions
            for option in action.option_strings
            if option.startswith("--")
            and option != "--help"
            and not re.search(re.escape(option) + r"(?![\w-])", documents)
        }
    )
    assert unnamed == []


def _help_texts() -> list[tuple[str, str]]:
    """Every text --help shows (descriptions, epilogs, the help of each option), by command."""
    return [
        (path, text)
        for path, parser in _parsers(build_parser(), "somnet")
        for text in [
            parser.description or "",
            parser.epilog or "",
            *(str(a.help) for a in parser._actions if a.help and a.help != argparse.SUPPRESS),
        ]
        if text
    ]


def test_the_help_points_to_the_repositorys_own_documents() -> None:
    """A help text that speaks of the rules points to docs/routing.md; each document it names
    exists; a web address it shows is an example's (example.org), never a page elsewhere."""
    problems = []
    for path, text in _help_texts():
        if re.search(r"\bR\d+\b|\brules\b", text) and "docs/routing.md" not in text:
            problems.append(f"{path}: the rules without docs/routing.md: {text!r}")
        for named in re.findall(r"\b(?:docs|data)/[\w./-]*\w", text):
            if not (ROOT / named).exists():
                problems.append(f"{path}: names {named}, which does not exist")
        for url in re.findall(r"https?://([^/\s:]+)", text):
            if not (url == "host" or url.endswith(("example.org", "example.com"))):
                problems.append(f"{path}: shows {url}")
    assert problems == []


@pytest.mark.parametrize(
    ("argv", "imported"),
    [
        (["contact", "--flag", "HT", "--zone", "contiguous"], {"contact"}),
        (["consular", "--nationality", "HT", "--in", "BS"], {"contact"}),
        (["--version"], set()),
        (["--help"], set()),
    ],
)
def test_a_command_builds_and_imports_only_its_own_module(
    argv: list[str], imported: set[str]
) -> None:
    code = (
        "import sys\n"
        "from somnet_cli.main import build_parser\n"
        f"build_parser({argv!r})\n"
        "print(' '.join(sorted(m.split('.')[1] for m in sys.modules\n"
        "    if m.startswith('somnet_cli.') and m.split('.')[1] in"
        f" {sorted({m for m, _ in COMMANDS.values()})!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert set(out.stdout.split()) == imported


def _imports(path: Path, package: str) -> set[str]:
    """The somnet modules a module imports, at any depth of its code, except for type
    checking only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.ImportFrom) and child.module:
                base = child.module
                if child.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - child.level + 1])
                    base = f"{base}.{child.module}" if child.module else base
                if base.startswith("somnet"):
                    found.add(base)
                    for alias in child.names:
                        found.add(f"{base}.{alias.name}")
            elif isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name.startswith("somnet"))
            visit(child)

    visit(tree)
    return found


def test_somnets_modules_import_each_other_without_cycles() -> None:
    modules = {}
    for path in sorted((ROOT / "somnet").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    graph = {
        name: {
            m
            for m in _imports(path, name)
            if m in modules and m != name and modules[m].name != "__init__.py"
        }
        for name, path in modules.items()
        if path.name != "__init__.py"
    }
    # Depth-first search for a cycle, naming it.
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)


def test_the_command_line_uses_only_what_somnet_exports() -> None:
    private = []
    for path in sorted((ROOT / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.startswith("somnet.") or node.module.startswith("somnet._"):
                    private.append(f"{path.name}:{node.lineno}: from {node.module}")
            elif isinstance(node, ast.Import):
                private += [
                    f"{path.name}:{node.lineno}: import {a.name}"
                    for a in node.names
                    if a.name.startswith("somnet.")
                ]
    assert not private


FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def test_the_library_never_names_a_command_line_flag() -> None:
    """The library speaks in fields (``coastal``); the command line turns them into flags."""
    found = []
    for path in sorted((ROOT / "somnet").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found += [f"{path.name}:{node.lineno}: {m}" for m in FLAG.findall(node.value)]
        found += [
            f"{path.name}:{n}: {m}"
            for n, line in enumerate(text.splitlines(), start=1)
            if line.lstrip().startswith("#")
            for m in FLAG.findall(line)
        ]
    assert not found


@pytest.mark.parametrize(
    "at",
    [
        [],
        # On Christmas Day, offices closed name the holiday: in English, as the cache keeps it.
        ["--coastal", "BS", "--at", "2026-12-25T10:00-05:00"],
    ],
)
def test_a_contact_plan_served_from_the_cache_imports_only_what_it_prints(
    tmp_path: Path, at: list[str]
) -> None:
    # The officer's command, run twice on the shipped data with a fresh cache folder: the
    # second run is served from the cache and must not pay for the TOML reader, the converter,
    # JSON, the views of other commands, meetings or sharing.
    # No configuration file at all (one that exists is read with the TOML reader).
    env = {**os.environ, "SOMNET_CACHE_DIR": str(tmp_path / "cache")}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "no-config")
    del env["SOMNET_CONFIG"]
    code = (
        "import sys\n"
        "from somnet_cli.main import main\n"
        "try:\n"
        f"    main(['contact', '--flag', 'HT', '--zone', 'contiguous', *{at!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    for _ in range(2):
        run = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
    modules = set(run.stderr.splitlines()[-1].split())
    assert "somnet.routing.plan" in modules  # the plan was made
    if at:
        assert "public holiday in BS (Christmas Day)" in " ".join(run.stdout.split())
    unwanted = {
        "tomllib",
        "cattrs",
        "json",
        "httpx",
        "icalendar",
        "holidays",
        "phonenumbers",
        "somnet.directory.views",
        "somnet.routing.views",
        "somnet.routing.consular",
        "somnet.directory.validation",
        "somnet.meetings",
        "somnet.sharing",
        # The converter's module (and its base64): JSON output only.
        "somnet._convert",
        # What Python's gettext imports to look for a catalog of argparse's words in English.
        "locale",
    }
    assert unwanted & modules == set()


def test_the_installed_program_runs_its_command_without_the_cycle_collector() -> None:
    # The console script is `console`, which turns the collector off for the process; `main`,
    # called from Python, leaves it as it finds it.
    from importlib.metadata import entry_points

    [script] = entry_points(group="console_scripts", name="somnet")
    assert script.value == "somnet_cli.main:console"
    code = (
        "import gc, sys\n"
        "import somnet_cli.main as cli\n"
        "try:\n"
        "    cli.main(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(gc.isenabled())\n"
        "cli.main = lambda argv=None: print(gc.isenabled()) or 0\n"
        "sys.exit(cli.console())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-2:] == ["True", "False"]


def test_the_installed_program_leaves_what_its_command_made_to_the_exit() -> None:
    # Once the command is done, its objects are not scanned for cycles again at exit (a tenth
    # of a warm contact): `console` moves them out of the collector's reach; `main`, called
    # from Python, does not.
    code = (
        "import gc, sys\n"
        "import somnet_cli.main as cli\n"
        "try:\n"
        "    cli.main(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(gc.get_freeze_count())\n"
        "status = cli.console()\n"
        "print(status, gc.get_freeze_count() > 0)\n"
        "sys.exit(status)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, "contact", "--flag", "HT", "--zone", "contiguous"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1] == "0"  # after the version
    assert out.stdout.splitlines()[-1] == "0 True"


def test_every_example_the_help_shows_is_a_command_line_somnet_reads(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The `somnet ...` lines of each --help's examples name flags that exist, with the
    arguments each needs: a user copies them at 3 a.m."""
    examples = [
        line.strip()
        for _path, parser in _parsers(build_parser(), "somnet")
        for line in re.sub(r"\\\n\s*", " ", parser.epilog or "").splitlines()
        if line.strip().startswith("somnet ")
    ]
    assert len(examples) >= 20
    refused = []
    for example in examples:
        words = shlex.split(example.split(" > ", 1)[0])[1:]
        try:
            build_parser(words).parse_args(words)
        except SystemExit as exc:
            if exc.code:
                refused.append(f"{example}: {capsys.readouterr().err.strip()}")
    assert refused == []


def test_the_package_tells_type_checkers_it_is_typed() -> None:
    """A script that imports somnet is type-checked against its annotations (PEP 561): without
    ``py.typed`` in the wheel, ``mypy --strict`` refuses the import as untyped. CI checks the
    README's Python examples against the installed wheel; this checks the marker is shipped."""
    assert (ROOT / "somnet" / "py.typed").is_file()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in project["tool"]["setuptools"]["package-data"]["somnet"]
