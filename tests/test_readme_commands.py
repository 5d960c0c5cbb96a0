"""The README's first two commands hold on a fresh machine: the suite it runs (command two)
passes whatever the locale of the machine it runs on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_suite_passes_on_a_machine_whose_locale_somnet_speaks() -> None:
    # A maintainer in Mexico or Haiti runs the README's second command with a Spanish or French
    # locale: the tests that read the English text output must still read English.
    environ = dict(os.environ, LC_ALL="es_MX.UTF-8", LC_MESSAGES="fr_FR.UTF-8", LANG="es_ES.UTF-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_contact_cli.py::test_first_readme_command_gives_a_useful_plan",
        ],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:]
