"""Nationalities partly known (``--nationality HT,unknown``, ``others_unknown``): Haitians
aboard, and others whose nationality is not known yet. Nothing that holds only if everyone
aboard is Haitian may be planned for them all, on the fixture directory of
tests/routing_fixture.py."""

from __future__ import annotations

import json
from typing import Any

import pytest

from somnet import Directory, InterceptionError, load_directory, make_interception
from tests.cli import run
from tests.routing_fixture import plan, write_routing_directory


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    folder = write_routing_directory(tmp_path_factory.mktemp("routing-others-unknown"))
    return load_directory(base=folder, use_env=False)


def unresolved(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps that wait for the nationalities (no state, ``missing`` names them)."""
    return [s for s in found if s["state"] is None and s["missing"] == ["nationalities"]]


# The input ------------------------------------------------------------------------------------


def test_others_unknown_is_kept_beside_the_nationalities_known(directory: Directory) -> None:
    result = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS",
        nationalities=["HT"], others_unknown=True,
    )  # fmt: skip
    interception = result["interception"]
    assert (interception["nationalities"], interception["others_unknown"]) == (["HT"], True)
    plain = plan(
        directory, flag="HT", zone="territorial", coastal="BS", acting="BS", nationalities=["HT"]
    )
    assert plain["interception"]["others_unknown"] is False


@pytest.mark.parametrize("stateless_persons", [False, True])
def test_others_unknown_beside_nobody_known_is_nobody_known(
    directory: Directory, stateless_persons: bool
) -> None:
    """Alone it says what an empty list says: the plan is the same, field for field. With
    stateless persons it is kept: some are stateless, the others' nationality is not known."""
    facts: dict[str, Any] = {
        "flag": "HT", "zone": "territorial", "coastal": "BS", "acting": "BS",
        "stateless_persons": stateless_persons, "conditions": ["asylum", "unaccompanied"],
        "return_considered": True,
    }  # fmt: skip
    result = plan(directory, **facts, others_unknown=True)
    if stateless_persons:
        assert result["interception"]["others_unknown"] is True
        assert result != plan(directory, **facts)
    else:
        assert result == plan(directory, **facts)


@pytest.mark.parametrize("word", ["unknown", "Unknown", " UNKNOWN "])
def test_make_interception_refuses_unknown_as_a_nationality(word: str) -> None:
    with pytest.raises(InterceptionError) as raised:
        make_interception(zone="eez", flag="HT", nationalities=["HT", word])
    assert raised.value.field == "nationalities"
    assert "others_unknown=True" in str(raised.value)
    assert "--" not in str(raised.value)


def test_make_interception_refuses_others_unknown_that_is_not_a_bool() -> None:
    with pytest.raises(InterceptionError) as raised:
        make_interception(zone="eez", flag="HT", nationalities=["HT"], others_unknown="no")  # type: ignore[arg-type]
    assert (raised.value.field, raised.value.value) == ("others_unknown", "no")


def _contact(capsys: pytest.CaptureFixture[str], *nationality: str, json_: bool = True) -> Any:
    args = ["contact", "--flag", "HT", "--zone", "territorial", "--coastal", "BS", "--as", "BS"]
    for value in nationality:
        args += ["--nationality", value]
    args += ["--no-cache", "--at", "2026-12-01T15:00-05:00"]
    result = run(capsys, *args, *(["--format", "json"] if json_ else []))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout) if json_ else result.stdout


@pytest.fixture
def fixture_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_routing_directory(tmp_path_factory.mktemp("routing-others-unknown-cli"))
    monkeypatch.setattr("somnet.directory.loading.shipped_data_dir", lambda: folder)


@pytest.mark.usefixtures("fixture_data")
def test_the_command_line_reads_unknown_among_the_nationalities_in_any_case(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = _contact(capsys, "HT,Unknown")["interception"]
    assert (data["nationalities"], data["others_unknown"]) == (["HT"], True)
    # Twice is once, as a code given twice is.
    assert _contact(capsys, "unknown,HT", "UNKNOWN") == _contact(capsys, "HT,unknown")
    both = _contact(capsys, "stateless,unknown")["interception"]
    assert (both["nationalities"], both["stateless_persons"], both["others_unknown"]) == (
        [],
        True,
        True,
    )
    text = _contact(capsys, "ht,unknown", json_=False)
    assert "aboard: HT, others unknown" in text.split("\n")[1]
    text = _contact(capsys, "unknown,stateless,HT", json_=False)
    assert "aboard: HT, stateless, others unknown" in text.split("\n")[1]


@pytest.mark.usefixtures("fixture_data")
def test_unknown_alone_on_the_command_line_is_no_nationality(
    capsys: pytest.CaptureFixture[str],
) -> None:
    alone = _contact(capsys, "unknown")
    assert alone == _contact(capsys)
    assert alone["interception"]["others_unknown"] is False
    assert "aboard:" not in _contact(capsys, "Unknown", json_=False)
