"""Numbers a person types (a count, days, seconds): plain ASCII digits only.

Python's ``int()`` and ``float()`` also read ``1_0``, `` 10 ``, ``+10``, ``1e1`` and the digits
of every script (Arabic-Indic ``١٠``, fullwidth ``１０``) as ten. A value like that on a command
line is a paste or a keyboard in another script more often than a number meant, so every
number somnet reads from text is read here, and anything but digits (after a minus sign, so
that a negative one is told as out of range, not as no number) is no number.
"""

from __future__ import annotations

import re

from somnet._exceptions import BadInputError
from somnet._i18n import _, shown

_WHOLE = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def read_whole_number(text: str) -> int | None:
    """The whole number ``text`` writes in ASCII digits, after an optional minus sign.

    Args:
        text: what was typed.

    Returns:
        The number, or None when ``text`` is anything else (spaces, ``_``, ``+``, digits of
        another script, a fraction, more digits than Python reads as a number).
    """
    if not isinstance(text, str) or not _WHOLE.fullmatch(text):
        return None
    try:
        return int(text)
    except ValueError:  # more than 4300 digits
        return None


def read_decimal_number(text: str) -> float | None:
    """The number ``text`` writes in ASCII digits with an optional decimal point (``2.5``),
    after an optional minus sign.

    Args:
        text: what was typed.

    Returns:
        The number, or None when ``text`` is anything else (as :func:`read_whole_number`, and
        an exponent, ``nan``, ``inf``).
    """
    return float(text) if isinstance(text, str) and _DECIMAL.fullmatch(text) else None


def read_seconds(text: str, *, field: str, error: type[BadInputError] = BadInputError) -> float:
    """The number of seconds ``text`` writes (as :func:`read_decimal_number` reads one), or a
    refusal that repeats the text. The range is the caller's to check (a meeting's timeouts
    and a sync's each have their own).

    Args:
        text: what was typed.
        field: the name of the input, for the error.
        error: the class of the error (``MeetingError`` for a meeting's timeouts).

    Returns:
        The seconds.

    Raises:
        BadInputError: of class ``error``, naming ``field``.
    """
    check_text(text, field=field, error=error)
    value = read_decimal_number(text)
    if value is None:
        raise error(
            _("{value} is not a number of seconds").format(value=shown(text)),
            field=field,
            value=text,
        )
    return value


def check_whole(value: object, *, field: str, error: type[BadInputError] = BadInputError) -> int:
    """Refuse a number given to the library as something other than a whole number: a bool
    (True is not one), a float, a text read from a file. The range is the caller's to check.

    Args:
        value: what was given.
        field: the name of the input, for the error.
        error: the class of the error (``MeetingError`` for a meeting's numbers).

    Returns:
        ``value``, known to be an ``int``.

    Raises:
        BadInputError: of class ``error``, naming ``field``.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        written = repr(value)
        raise error(
            _("{value} is not a whole number").format(
                value=written if len(written) <= 40 else written[:40] + "..."
            ),
            field=field,
            value=value,
        )
    return value


def check_text(value: object, *, field: str, error: type[BadInputError] = BadInputError) -> str:
    """Refuse text given to the library as something else: None, a number, bytes, a list of
    texts, a date. Each reader of typed text calls it first, so that a script's mistake is
    told naming its parameter, not as a ``TypeError`` from the reading.

    Args:
        value: what was given.
        field: the name of the input, for the error.
        error: the class of the error (``MeetingError`` for a meeting's inputs).

    Returns:
        ``value``, known to be a ``str``.

    Raises:
        BadInputError: of class ``error``, naming ``field``.
    """
    if not isinstance(value, str):
        raise error(
            _("{value} is not text").format(value=repr(value)[:40]), field=field, value=value
        )
    return value
