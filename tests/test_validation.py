"""What the types alone cannot check: the fast path for E.164 numbers answers exactly as
phonenumbers' full check, and the data standard's rules (illustrative numbers, evidence,
confidence no higher than the source)."""

from __future__ import annotations

from datetime import date

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from somnet._model import Source
from somnet._validation import _plainly_valid_e164, phone_problem
from tests.factories import TODAY, sample_files, write_layer
from tests.test_loading import BS, broken, load


def full_check(value: str) -> bool:
    """The reference: parse, validate and require the value to be its own E.164 form."""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and (
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == value
    )


def example_numbers() -> list[str]:
    found = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                found.append(
                    phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
                )
    return sorted(set(found))


EXAMPLES = example_numbers()


def test_every_regions_example_number_is_accepted_by_both_paths() -> None:
    assert len(EXAMPLES) > 300
    for value in EXAMPLES:
        assert full_check(value), value
        assert phone_problem(value) is None, value


@settings(max_examples=400, deadline=None)
@given(
    value=st.sampled_from(EXAMPLES),
    position=st.integers(min_value=1, max_value=16),
    digit=st.sampled_from("0123456789"),
    change=st.sampled_from(["replace", "insert", "delete"]),
)
def test_the_fast_path_agrees_with_the_full_check_on_altered_numbers(
    value: str, position: int, digit: str, change: str
) -> None:
    position = min(position, len(value) - 1)
    if change == "replace":
        altered = value[:position] + digit + value[position + 1 :]
    elif change == "insert":
        altered = value[:position] + digit + value[position:]
    else:
        altered = value[:position] + value[position + 1 :]
    expected = full_check(altered)
    assert (phone_problem(altered) is None) == expected, altered
    if _plainly_valid_e164(altered):
        assert expected, altered  # the fast path never accepts what the full check refuses


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("+1 809 555 0100", "E.164 form: +18095550100"),
        ("+18095550100x", "E.164 form: +18095550100"),
        ("+1809555", "not a valid telephone number"),
        ("+12425550100", "not a valid telephone number"),
        ("809-555-0100", "not a telephone number"),
    ],
)
def test_phone_problems_are_worded(value: str, words: str) -> None:
    problem = phone_problem(value)
    assert problem is not None and words in problem


# Evidence dates -------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["published", "as_of", "accessed"])
def test_a_source_dated_after_today_is_refused(tmp_path, field):
    def change(files):
        files[BS]["agencies"][0]["sources"][0][field] = date(2026, 11, 28)

    folder, problems = broken(tmp_path, change)
    assert problems == [
        f"{folder / BS}: $.agencies[0].sources[0].{field}: 2026-11-28 is in the future "
        "(today is 2026-11-27)"
    ]


def test_a_source_may_be_dated_today_by_publication_and_observation(tmp_path):
    files = sample_files()
    source = files[BS]["agencies"][0]["sources"][0]
    source.update(published=TODAY, as_of=TODAY, accessed=TODAY)
    assert load(write_layer(tmp_path / "base", files)).agency("bs-rbdf").sources[0].published == (
        TODAY
    )


@pytest.mark.parametrize(
    ("published", "as_of", "expected"),
    [
        (None, None, None),
        (date(2012, 5, 1), None, date(2012, 5, 1)),
        (None, date(2024, 1, 1), date(2024, 1, 1)),
        (date(2012, 5, 1), date(2024, 1, 1), date(2024, 1, 1)),
    ],
)
def test_a_sources_evidence_is_dated_by_the_newer_of_its_dates(published, as_of, expected):
    assert Source("t", published=published, as_of=as_of).evidence_date == expected


def test_negative_evidence_is_one_of_two_kinds(tmp_path):
    def change(files):
        files["consular.toml"]["consular"][2]["sources"][0]["evidence"] = "rumour"

    folder, problems = broken(tmp_path, change)
    [problem] = problems
    assert problem.startswith(f"{folder / 'consular.toml'}: $.consular[2].sources[0].evidence: ")
    assert "mission-list" in problem and "diplomatic-list" in problem
