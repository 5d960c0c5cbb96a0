"""ISO 3166-1 alpha-2 state codes and BCP 47 language tags, through pycountry.

pycountry is imported only when a code has to be checked against the standard, so that
commands which only read a validated directory start fast.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from somnet._exceptions import UnknownCodeError
from somnet._i18n import SOURCE_LANGUAGE, Message, _, joined_messages, language

if TYPE_CHECKING:
    from gettext import NullTranslations

_LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:-([A-Z]{2}|[0-9]{3}|[A-Z][a-z]{3}))?$")


@functools.cache
def _countries() -> dict[str, str]:
    import pycountry

    return {c.alpha_2: c.name for c in pycountry.countries}


def is_state_code(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 code (upper case)."""
    return code in _countries()


class StateName(Message):
    """A state's ISO 3166-1 short name: English as a string, in the language in use through
    pycountry's own catalogs of ISO 3166 names."""

    def localized(self, code: str | None = None) -> str:
        code = code or language()
        name = str.__str__(self)
        if code == SOURCE_LANGUAGE:
            return name
        missing = _MISSING_NAMES.get(code, {}).get(name)
        return missing or str(_names_catalog(code).gettext(name))

    def __reduce__(self) -> tuple[object, ...]:
        return (state_name_text, (str.__str__(self),))


def state_name_text(name: str) -> StateName:
    """``name`` as a :class:`StateName`."""
    return StateName.make(name, literal=True)  # type: ignore[return-value]


#: Short names pycountry's ISO 3166 catalogs leave untranslated though the language has its
#: own (the UN terminology's short names).
_MISSING_NAMES = {"es": {"Algeria": "Argelia"}}


@functools.cache
def _names_catalog(code: str) -> NullTranslations:
    import gettext

    import pycountry

    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[code], fallback=True)


def state_name(code: str) -> str:
    """The ISO 3166-1 short name of the state ``code`` names (in any case, spaces around it
    ignored), whether or not the directory holds it: English as a string, told in the
    language in use by ``somnet.localized``.

    Args:
        code: an ISO 3166-1 alpha-2 code.

    Returns:
        The name.

    Raises:
        UnknownCodeError: ``code`` names no state (``USA``, ``ZZ``, ``""``, not text), as the
            directory's look-ups refuse it (field ``code``, with the nearest codes); it was
            answered with itself, as if it were the name.
    """
    return state_name_text(_countries()[state_code(code)])


@functools.lru_cache(maxsize=1024)
def is_language_tag(tag: str) -> bool:
    """Whether ``tag`` is a BCP 47 tag of a known ISO 639 language, optionally with a region."""
    match = _LANGUAGE_TAG.match(tag)
    if not match:
        return False
    import pycountry

    primary = match.group(1)
    if len(primary) == 2:
        return pycountry.languages.get(alpha_2=primary) is not None
    return pycountry.languages.get(alpha_3=primary) is not None


#: Codes people type that are not ISO 3166-1 alpha-2, with the code they mean.
COMMON_MISTAKES = {"UK": "GB", "EL": "GR", "EN": "GB"}


def _codes_to_prefer(preferred: object) -> tuple[str, ...]:
    """The codes ``state_code`` suggests first, None read as none.

    Raises:
        UnknownCodeError: not a list of codes (one code alone, a number), naming ``preferred``.
    """
    if preferred is None:
        return ()
    if not isinstance(preferred, str | bytes) and isinstance(preferred, Iterable):
        codes = tuple(preferred)
        if all(isinstance(code, str) for code in codes):
            return codes
    raise UnknownCodeError(
        _("{value} is not a list of texts").format(value=repr(preferred)[:40]),
        field="preferred",
        value=preferred,
    )


def state_code(text: str, *, field: str = "code", preferred: Iterable[str] = ()) -> str:
    """Turn what a person typed (``ht``, `` HT ``) into an ISO 3166-1 alpha-2 code.

    Args:
        text: what was typed.
        field: the name of the input it came from, named in the error (``flag``, ``coastal``).
        preferred: codes to suggest first (those the directory holds).

    Returns:
        The code, upper case.

    Raises:
        UnknownCodeError: naming the input and the nearest codes and names (or saying that
            what was given is not text).
    """
    if not isinstance(text, str):
        # A script's 509 or b"HT" would fail inside, naming nothing it could act on.
        raise UnknownCodeError(
            _("{value} is not text").format(value=repr(text)[:40]), field=field, value=text
        )
    code = text.strip().upper()
    if not code:
        # Not "no code": an empty value is a mistake (a variable left unset in a script).
        raise UnknownCodeError(
            _("no code given; write an ISO 3166-1 alpha-2 state code such as HT"),
            field=field,
            value=text,
        )
    preferred = _codes_to_prefer(preferred)
    # The directory's own states were checked when it was loaded: answering from them spares
    # the common commands importing pycountry.
    if code in preferred or is_state_code(code):
        return code
    shown = text.strip()
    shown = shown if len(shown) <= 40 else shown[:40] + "..."
    suggestions = suggest_state_codes(text, preferred)
    if not suggestions:
        # Nothing near it ('1', a Chinese character): a list of codes would be noise.
        refusal = _(
            "{code} is not an ISO 3166-1 alpha-2 state code: two letters A-Z, such as HT"
        ).format(code=repr(shown))
    elif code != _latin(code):
        # Letters of another script (or full-width) that look like the code meant: name them,
        # since the code on the screen looks right.
        import unicodedata

        letters = ", ".join(
            f"{letter!r} ({unicodedata.name(letter, '?')})"
            for letter in dict.fromkeys(shown)
            if not ("A" <= letter.upper() <= "Z")
        )
        refusal = _(
            "{code} is not an ISO 3166-1 alpha-2 state code: codes are written with the letters "
            "A-Z, not {letters}; did you mean {suggestions}?"
        ).format(code=repr(shown), letters=letters, suggestions=suggestions)
    else:
        refusal = _(
            "{code} is not an ISO 3166-1 alpha-2 state code; did you mean {suggestions}?"
        ).format(code=repr(shown), suggestions=suggestions)
    raise UnknownCodeError(refusal, field=field, value=text)


#: Capital letters of other scripts that look like Latin ones (a code copied from Cyrillic or
#: Greek text); small letters are made capitals first.
_LOOKALIKES = str.maketrans(
    "\u0410\u0412\u0421\u0415\u041d\u0406\u0408\u041a\u041c\u041e\u0420\u0405\u0422\u0425"
    "\u0423\u04ae\u051a\u051c\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f"
    "\u03a1\u03a4\u03a5\u03a7",
    "ABCEHIJKMOPSTXYYQWABEZHIKMNOPTYX",
)


def _latin(code: str) -> str:
    """``code`` (upper case) with the letters that look like Latin capitals made Latin: full-width
    letters, accented ones, Cyrillic and Greek look-alikes."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", code) if not unicodedata.combining(c))
    return plain.upper().translate(_LOOKALIKES)


def suggest_state_codes(text: str, preferred: Iterable[str] = ()) -> str:
    """The codes nearest to ``text``, with their names: ``HT (Haiti), HN (Honduras)``."""
    countries = _countries()
    typed = text.strip()
    if len(typed) <= 3:
        typed = _latin(typed)
    preferred = [c for c in preferred if c in countries]
    if len(typed) > 3:
        # A name was typed: match it against the names (difflib only on this error path).
        import difflib

        by_name = {name.lower(): code for code, name in countries.items()}
        names = difflib.get_close_matches(typed.lower(), list(by_name), n=4, cutoff=0.5)
        candidates = [by_name[n] for n in names]
        candidates += [c for c, n in countries.items() if typed.lower() in n.lower()]
    else:
        upper = typed.upper()

        def closeness(code: str) -> tuple[int, int, str]:
            shared = sum(1 for a, b in zip(code, upper, strict=False) if a == b)
            return (-shared, 0 if code in preferred else 1, code)

        candidates = sorted(countries, key=closeness)
        # Codes the directory holds and share a letter come first, then the others.
        close = [c for c in candidates if closeness(c)[0] < 0]
        candidates = sorted(close, key=lambda c: (0 if c in preferred else 1, closeness(c)))
    # The code people usually mean comes first (UK is GB in ISO 3166-1).
    meant = COMMON_MISTAKES.get(typed.upper())
    unique = list(dict.fromkeys([meant, *candidates] if meant else candidates))[:5]
    # Each name told in the language in use when the message is (Haïti, México).
    return joined_messages(
        [
            Message.make("{code} ({name})", values={"code": c, "name": state_name(c)}, literal=True)
            for c in unique
        ]
    )
