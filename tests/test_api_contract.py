"""The public API as a script uses it: what it returns may be changed by the script without
changing the next answer, and what it is given that it cannot use is refused with a
``SomnetError`` naming the parameter, never a ``TypeError`` from deep inside."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import somnet

AT = "2026-12-01T03:00-05:00"


@pytest.fixture(scope="module")
def shipped() -> somnet.Directory:
    return somnet.load_directory(use_env=False, synced=False, cache_dir=None)


def _plan_json(directory: somnet.Directory) -> Any:
    interception = somnet.make_interception(
        zone="contiguous",
        flag="HT",
        coastal="BS",
        acting="US",
        nationalities=["HT"],
        conditions=["distress"],
        at=AT,
        directory=directory,
    )
    return somnet.plan_contacts(directory, interception).to_json()


# Results a script changes ----------------------------------------------------------------------


def test_a_script_that_edits_the_states_it_read_leaves_the_directory_whole(
    shipped: somnet.Directory,
) -> None:
    before = _plan_json(shipped)
    states = shipped.states
    with pytest.raises(AttributeError):
        states.pop("BS")  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        states["BS"] = states["CU"]  # type: ignore[index]
    assert shipped.state("BS") is not None
    assert _plan_json(shipped) == before


def test_a_script_that_clears_the_holidays_it_read_leaves_the_next_answer_whole(
    shipped: somnet.Directory,
) -> None:
    holidays = shipped.public_holidays("HT", 2026)
    assert holidays
    expected = dict(holidays)
    with pytest.raises(AttributeError):
        holidays.clear()  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        holidays[date(2026, 3, 3)] = "A holiday of the script's own"  # type: ignore[index]
    assert shipped.public_holidays("HT", 2026) == expected
