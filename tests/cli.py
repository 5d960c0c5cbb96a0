"""Running the somnet command line in-process, the way a user would from a shell."""

from __future__ import annotations

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
