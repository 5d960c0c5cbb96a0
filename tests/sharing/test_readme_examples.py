"""README's "Sharing the directory" examples print what it shows: the office makes its key
and publishes the shipped directory, an agency syncs it from a site served on 127.0.0.1,
the office publishes again, the agency syncs again and asks for the status; then the site
serves an older manifest, and an altered one, and the sync refuses each.

What a run makes anew (key ids, hashes, the bundle's size, instants) is compared by its form:
a key id is 16 hexadecimal digits, a hash 12 or 64, an instant `YYYY-MM-DD HH:MM UTC`. The
site's address, the trust file and the user data directory are written as README writes them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path

import pytest

from somnet.directory.loading import shipped_data_dir
from tests.cli import run
from tests.sharing.server import SiteServer
from tests.test_readme_examples import Example, mismatch, readme_examples

SITE = "https://office.example.org/somnet/"
TRUST = "/etc/somnet/trust.pub"
HOME = "/home/officer/.local/share/somnet"

_FORMS = [
    (re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\b"), "<instant>"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "<sha256>"),
    (re.compile(r"\b[0-9a-f]{16}\b"), "<key>"),
    (re.compile(r"\b[0-9a-f]{12}\b"), "<hash>"),
    (re.compile(r"\b\d+ bytes\b"), "<size> bytes"),
]


def _form(line: str) -> str:
    for pattern, name in _FORMS:
        line = pattern.sub(name, line)
    return line


def _example(command: str) -> Example:
    """The first example of ``command`` (README runs `directory sync` again further on)."""
    return next(e for e in readme_examples() if e.command == command)


def test_the_readmes_sharing_examples_print_what_they_show(
    tmp_path: Path,
    site: Path,
    server: SiteServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").symlink_to(shipped_data_dir(), target_is_directory=True)
    (tmp_path / "agency").mkdir()
    trust = tmp_path / "agency" / "trust.pub"
    home = os.environ["SOMNET_DATA_HOME"]

    def check(command: str, example: Example | None = None, exit_code: int = 0) -> None:
        example = example or _example(command)
        words = shlex.split(command.replace(SITE, server.url).replace(TRUST, str(trust)))
        result = run(capsys, *words[1:])
        assert result.exit_code == exit_code, result.stderr
        said = result.stderr if exit_code else result.stdout
        said = "\n".join(line for line in said.splitlines() if "warning: " not in line)
        output = said.replace(server.url, SITE).replace(str(trust), TRUST)
        output = output.replace(str(site), "site").replace(home, HOME)
        printed = [_form(line) for line in output.splitlines()]
        shown = [_form(line) for line in example.shown]
        assert mismatch(shown, printed) is None, (command, mismatch(shown, printed))

    check("somnet directory keygen --out office.key")
    trust.write_text((tmp_path / "office.key.pub").read_text())
    check(
        "somnet directory publish --data data/ --key office.key --out site/ "
        "--name caribbean-coast-guards --version 1 --expires 30d"
    )
    manifest = site / "signed-manifest.json"
    first = manifest.read_bytes()
    check(f"somnet directory sync {SITE} --trust {TRUST} --name caribbean-coast-guards")
    # The office publishes again (README: "The office, at each edit").
    again = shlex.split(
        "directory publish --data data/ --key office.key --out site/ --name caribbean-coast-guards"
    )
    result = run(capsys, *again)
    assert result.exit_code == 0, result.stderr
    second = json.loads(manifest.read_text())
    check("somnet directory sync")
    status = _example("somnet directory status")
    check(status.command)
    # "When something is wrong at a sync": the site serves version 1's manifest again, then
    # version 2's altered after it was signed.
    wrong = [e for e in readme_examples() if e.line > status.line]
    rollback, altered = [e for e in wrong if e.command == "somnet directory sync"][:2]
    manifest.write_bytes(first)
    check("somnet directory sync", rollback, exit_code=2)
    changed = second["manifest"].replace('"version": 2', '"version": 3', 1)
    assert changed != second["manifest"]
    manifest.write_text(json.dumps({**second, "manifest": changed}))
    check("somnet directory sync", altered, exit_code=2)
