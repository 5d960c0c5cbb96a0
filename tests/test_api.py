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
