"""The validation's fast path for E.164 numbers answers exactly as phonenumbers' full check."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from somnet._validation import _plainly_valid_e164, phone_problem


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
