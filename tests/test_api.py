"""The public API: every name in ``somnet.__all__`` resolves, and importing the package stays
light (meetings, sharing and their libraries load only when used)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import somnet


@pytest.mark.parametrize("name", somnet.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(somnet, name) is not None


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        somnet.no_such_thing  # noqa: B018


def test_importing_somnet_loads_no_heavy_library() -> None:
    code = (
        "import sys, somnet; "
        "heavy = {'httpx', 'icalendar', 'holidays', 'cryptography', 'somnet.meetings.planning', "
        "'somnet.sharing.sync', 'phonenumbers', 'pycountry', 'cattrs'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# The README's "Using somnet from Python" ------------------------------------------------------


def test_the_readmes_python_example_gives_the_plan_the_command_line_gives(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json
    from pathlib import Path

    from tests.cli import run

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using somnet from Python", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    printed = capsys.readouterr().out
    cli = run(
        capsys,
        "contact",
        "--flag",
        "HT",
        "--zone",
        "contiguous",
        "--coastal",
        "BS",
        "--as",
        "US",
        "--nationality",
        "HT",
        "--distress",
        "--asylum",
        "--at",
        "2026-12-01T03:00-05:00",
        "--format",
        "json",
    )
    assert cli.exit_code == 0, cli.stderr
    assert namespace["data"] == json.loads(cli.stdout)
    assert len(printed.splitlines()) == len(json.loads(cli.stdout)["steps"])
