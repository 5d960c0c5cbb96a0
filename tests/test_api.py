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


def test_the_meeting_modules_name_fields_never_command_line_flags() -> None:
    import ast
    import re
    from pathlib import Path

    flag = re.compile(r"(?<![\w-])--[a-z]")
    found = []
    for path in sorted((Path(somnet.__file__).parent / "meetings").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and flag.search(text):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_the_meeting_command_imports_only_the_public_api() -> None:
    import ast
    from pathlib import Path

    import somnet_cli.meeting

    tree = ast.parse(Path(somnet_cli.meeting.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
        if not (isinstance(node, ast.ImportFrom) and node.level)
    }
    assert {name for name in imported if name and name.startswith("somnet")} == {"somnet"}
