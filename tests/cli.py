"""Running the somnet command line in-process, the way a user would from a shell."""

from __future__ import annotations

import json
import os
from pathlib import Path

import attrs
import pytest
from somnet_cli.main import main


@attrs.frozen
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    """Run ``somnet ARGS`` and capture what it printed; argparse's own exits are caught too."""
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    return Result(code, out, err)


def check_golden_json(name: str, text: str) -> None:
    """``text`` is the JSON of the golden file ``name``, compared as data (the whole contract at
    once, reviewed as a diff; ``SOMNET_UPDATE_GOLDEN=1`` rewrites it)."""
    path = Path(__file__).parent / "golden" / name
    if os.environ.get("SOMNET_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert json.loads(text) == json.loads(path.read_text(encoding="utf-8"))
