"""The language somnet speaks to people: English, Spanish or French, from gettext catalogs.

The library writes its messages in English and marks them with ``_`` (or ``_n`` for a
count): each is a :class:`Message`, a ``str`` whose value is the English text, so JSON,
``str(error)`` and every comparison stay English and language-neutral; it also remembers its
template and values, so that :meth:`Message.localized` (or :func:`localized`) tells it in the
language in use. Interpolate with ``_("... {name}").format(name=...)``, never with an f-string
inside ``_()``: the template is what translators see.

The command line's own words are translated at once with :func:`gettext`. Only the catalog of
the language in use is read, on first use; English reads none.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from somnet._exceptions import BadInputError, SomnetError, UnknownLanguageError

if TYPE_CHECKING:
    from gettext import GNUTranslations

#: The language messages are written in.
SOURCE_LANGUAGE = "en"
#: The gettext domain of somnet's catalogs.
DOMAIN = "somnet"
#: Where the catalogs are: ``locale/<language>/LC_MESSAGES/somnet.mo`` beside this module.
LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")

#: Each language's name in itself, for headings of text written in several languages.
LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français"}

_language = SOURCE_LANGUAGE
_catalogs: dict[str, GNUTranslations] = {}


def _unknown(code: object, field: str) -> UnknownLanguageError:
    available = available_languages()
    return UnknownLanguageError(
        _("{code} is not a language somnet speaks; it speaks {languages}").format(
            code=repr(code[:20] if isinstance(code, str) else code)[:40],
            languages=", ".join(available),
        ),
        available=available,
        field=field,
        value=code,
    )


def available_languages() -> tuple[str, ...]:
    """The languages somnet speaks: English and every language with a compiled catalog.

    Returns:
        Their codes (ISO 639-1), English first, the others sorted.
    """
    try:
        names = os.listdir(LOCALE_DIR)
    except OSError:
        names = []
    found = sorted(
        name
        for name in names
        if name != SOURCE_LANGUAGE
        and os.path.isfile(os.path.join(LOCALE_DIR, name, "LC_MESSAGES", f"{DOMAIN}.mo"))
    )
    return (SOURCE_LANGUAGE, *found)


def normalise(code: str) -> str:
    """``es-MX``, ``fr_CA.UTF-8``, ``ES`` -> the language alone, in lower case."""
    return code.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()


def set_language(code: str, *, field: str = "language") -> str:
    """Speak ``code`` from now on (``en``, ``es``, ``fr``; ``es-MX`` is read as ``es``).

    Args:
        code: the language.
        field: the name of the input that gave it, for the error.

    Returns:
        The language now in use.

    Raises:
        UnknownLanguageError: somnet has no catalog for it.
    """
    global _language
    if not isinstance(code, str):
        # os.environ.get() of an unset variable: None would fail inside, naming nothing.
        raise _unknown(code, field)
    wanted = normalise(code)
    if wanted != SOURCE_LANGUAGE and wanted not in available_languages():
        raise _unknown(code, field)
    _language = wanted
    return wanted


def _spoken(code: str | None) -> str:
    """The language to tell a message in: the one in use, or ``code`` read as
    :func:`set_language` reads it (``ES``, ``es-MX``), refused when somnet does not speak it."""
    if code is not None and not isinstance(code, str):  # 1, b"es": as set_language refuses it
        raise _unknown(code, "code")
    if not code or code in _catalogs or code == SOURCE_LANGUAGE:
        return code or _language
    wanted = normalise(code)
    if wanted != SOURCE_LANGUAGE and wanted not in available_languages():
        raise _unknown(code, "code")
    return wanted


def told_in(code: str | None = None) -> str:
    """The language a message is told in when :meth:`Message.localized` is given ``code``: the
    one in use when None, else ``code`` read as :func:`set_language` reads it (``es-MX`` is
    ``es``).

    Raises:
        UnknownLanguageError: somnet does not speak ``code``.
    """
    return _spoken(code)


def language() -> str:
    """The language in use (``en`` until :func:`set_language` says otherwise)."""
    return _language


def _catalog(code: str) -> GNUTranslations:
    """The compiled catalog of ``code``, read once."""
    catalog = _catalogs.get(code)
    if catalog is None:
        from gettext import GNUTranslations

        path = os.path.join(LOCALE_DIR, code, "LC_MESSAGES", f"{DOMAIN}.mo")
        with open(path, "rb") as handle:
            catalog = _catalogs[code] = GNUTranslations(handle)
    return catalog


def gettext(msgid: str) -> str:
    """``msgid`` in the language in use, at once (for the command line's own words).

    Args:
        msgid: the English text.

    Returns:
        Its translation, or the text itself in English or when the catalog lacks it.
    """
    _text(msgid, "msgid")
    if _language == SOURCE_LANGUAGE:
        return msgid
    return _catalog(_language).gettext(msgid)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the language in use, at once.

    Args:
        singular: the English singular.
        plural: the English plural.
        n: the count.

    Returns:
        The form for ``n``.
    """
    _text(singular, "singular")
    _text(plural, "plural")
    if isinstance(n, bool) or not isinstance(n, int):  # "2" or 2.0 would pick a form silently
        raise BadInputError(
            _("{value} is not a whole number").format(value=shown_given(n)),
            field="n",
            value=n,
        )
    if _language == SOURCE_LANGUAGE:
        return singular if n == 1 else plural
    return _catalog(_language).ngettext(singular, plural, n)


def N_(msgid: str) -> str:
    """Mark ``msgid`` for translation without translating it (a table built at import time,
    translated where it is shown)."""
    _text(msgid, "msgid")
    return msgid


def _text(value: object, field: str) -> None:
    """Refuse a message to translate that is not text, naming ``field``.

    Raises:
        BadInputError: naming ``field``.
    """
    if not isinstance(value, str):
        raise BadInputError(
            _("{value} is not text").format(value=shown_given(value)),
            field=field,
            value=value,
        )


class Message(str):
    """A message for people: its value is the English text; :meth:`localized` tells it in
    another language.

    Made by ``_("template")`` or ``_n("singular", "plural", n)``, then ``.format(name=...)``.
    Values that are themselves messages are told in the same language; dates and times
    formatted with ``%a``, ``%A``, ``%b`` or ``%B`` get the language's day and month names.
    """

    _template: str
    _plural: str | None
    _count: int
    _values: dict[str, Any]
    #: A template that is not itself translated (a list joined by :func:`joined_messages`).
    _literal: bool

    @classmethod
    def make(
        cls,
        template: str,
        plural: str | None = None,
        count: int = 1,
        values: dict[str, Any] | None = None,
        literal: bool = False,
    ) -> Message:
        values = values or {}
        chosen = template if plural is None or count == 1 else plural
        # Values may come in several .format calls: those not given yet stay as placeholders.
        message = cls(chosen.format_map(_Pending(values)) if values else chosen)
        message._template, message._plural, message._count = template, plural, count
        message._values, message._literal = values, literal
        return message

    def format(self, *args: object, **values: Any) -> Message:
        """The message with its placeholders filled (by name only: translators may reorder
        them)."""
        if args:
            raise TypeError("Message.format takes values by name only")
        return Message.make(
            self._template, self._plural, self._count, {**self._values, **values}, self._literal
        )

    def localized(self, code: str | None = None) -> str:
        """The message in ``code`` (default: the language in use; ``es-MX`` is read as ``es``).

        Raises:
            UnknownLanguageError: somnet does not speak ``code``.
        """
        code = _spoken(code)
        if code == SOURCE_LANGUAGE:
            return str.__str__(self)
        if self._literal:
            template = self._template
        elif self._plural is None:
            template = _catalog(code).gettext(self._template)
        else:
            template = _catalog(code).ngettext(self._template, self._plural, self._count)
        values = {k: _localized_value(v, code) for k, v in self._values.items()}
        return template.format_map(_Pending(values))

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            Message.make,
            (self._template, self._plural, self._count, self._values, self._literal),
        )


class _Placeholder:
    """A value not given yet: formats as its own placeholder."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __format__(self, spec: str) -> str:
        return "{" + self.name + (":" + spec if spec else "") + "}"


class _Pending(dict[str, Any]):
    """The values of a message, the missing ones kept as placeholders."""

    def __missing__(self, name: str) -> _Placeholder:
        return _Placeholder(name)


def _(template: str) -> Message:
    """A message for people, in English, that :func:`localized` tells in the language in use."""
    return Message.make(template)


def _n(singular: str, plural: str, count: int) -> Message:
    """A message whose form depends on ``count`` (fill ``{n}`` or another name with
    ``.format``)."""
    return Message.make(singular, plural, count)


def quoted(words: str) -> Message:
    """Words of the directory (a note, a SAR region's name), left in the language they were
    written in, set inside a sentence of the reader's language: quoted as that language quotes
    (« » in Spanish and French), as they are in English.

    Raises:
        BadInputError: ``words`` is not text (field ``words``).
    """
    _text(words, "words")
    # Translators: a note from the directory, left in the language it was written in; quote it
    # as your language quotes (« » in Spanish and French).
    return _("{note}").format(note=words)


#: How much of a value a user typed a message repeats (a 100 KB argument is not echoed whole).
SHOWN_LENGTH = 80


def shown(value: str, limit: int = SHOWN_LENGTH, *, quoted: bool = True) -> str:
    """``value`` as a message repeats it: quoted like ``repr`` (unless not ``quoted``), and
    when it is longer than ``limit`` characters, its beginning and how long it is.

    Args:
        value: what was typed.
        limit: the most characters repeated.
        quoted: quote it like ``repr``.

    Returns:
        The text to put in a message.
    """
    head = value if len(value) <= limit else value[:limit]
    text = repr(head) if quoted else head
    return text if len(value) <= limit else f"{text}... ({len(value)} characters)"


def shown_given(value: object) -> str:
    """Whatever a script passed, as a message repeats it: text as :func:`shown` repeats it,
    anything else as Python writes it, cut short with "..." after ``SHOWN_LENGTH``
    characters."""
    if isinstance(value, str):
        return shown(value)
    text = repr(value)
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + "..."


def joined_messages(items: Sequence[object], separator: str = ", ") -> Message:
    """``items`` (messages or data) joined by ``separator``, each told in the language in use.

    Args:
        items: what to join.
        separator: what goes between them.

    Returns:
        One message.
    """
    values: dict[str, object] = {f"item{n}": item for n, item in enumerate(items)}
    between = separator.replace("{", "{{").replace("}", "}}")
    if isinstance(separator, Message):  # a word (" and "): told in the language in use
        between, values["between"] = "{between}", separator
    template = between.join(f"{{item{n}}}" for n in range(len(items)))
    return Message.make(template, values=values, literal=True)


def summarised(summary: str, reasons: Sequence[object]) -> Message:
    """``summary: reason; reason...``, as an error's reason told in the language in use (the
    colon and the separator set as the language sets them)."""
    return _("{where}: {message}").format(where=summary, message=joined_messages(reasons, _("; ")))


def problems_text(problems: Sequence[object]) -> Message:
    """Problems under a heading that counts them, one a line, told in the language in use."""
    heading = _n(
        "{n} problem in the directory:", "{n} problems in the directory:", len(problems)
    ).format(n=len(problems))
    return Message.make(
        "{heading}\n{problems}",
        values={"heading": heading, "problems": joined_messages(problems, "\n")},
        literal=True,
    )


def localized(text: object, code: str | None = None) -> str:
    """``text`` in the language in use (or ``code``): a :class:`Message` translated, weekly
    hours with their days named in it, an error as ``str`` gives it (``field: reason``) with
    its reason translated, anything else (data: names, notes, codes) as it is.

    Args:
        text: a message or any text.
        code: the language, if not the one in use.

    Returns:
        The text to show.

    Raises:
        UnknownLanguageError: somnet does not speak ``code``, or it is not text.
    """
    _spoken(code)  # a code refused whatever the text (somnet's words or data)
    if isinstance(text, Message):
        return text.localized(code)
    if isinstance(text, SomnetError):  # str() of it is English: its field, then its reason
        reason = localized(text.reason, code)
        if not text.field:
            return reason
        return _("{where}: {message}").format(where=text.field, message=reason).localized(code)
    told = getattr(type(text), "localized", None)
    if told is not None:  # a value with words of its own: weekly hours
        return str(told(text, code))
    return str(text)


#: The day and month names (strftime's ``%a %A %b %B``), for the catalogs.
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)
MONTH_NAMES = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def format_time(moment: date, pattern: str, code: str | None = None) -> str:
    """``moment`` formatted by ``pattern`` (strftime's), with the day and month names of the
    language in use (or ``code``).

    Args:
        moment: a date or datetime.
        pattern: e.g. ``%a %d %b %Y %H:%M``.
        code: the language, if not the one in use.

    Returns:
        The text.

    Raises:
        UnknownLanguageError: somnet does not speak ``code``.
        BadInputError: ``moment`` is not a date or datetime, or ``pattern`` not text (naming
            each).
    """
    from somnet._exceptions import BadInputError

    if not isinstance(moment, date):
        raise BadInputError(
            _("expected a date like 2026-01-31, got {describe}").format(describe=repr(moment)[:40]),
            field="moment",
            value=moment,
        )
    if not isinstance(pattern, str):  # as _numbers.check_text, which imports this module
        raise BadInputError(
            _("{value} is not text").format(value=repr(pattern)[:40]),
            field="pattern",
            value=pattern,
        )
    code = _spoken(code)
    if code != SOURCE_LANGUAGE:
        catalog = _catalog(code)
        names = {
            "%a": WEEKDAYS[moment.weekday()],
            "%A": WEEKDAY_NAMES[moment.weekday()],
            "%b": MONTHS[moment.month - 1],
            "%B": MONTH_NAMES[moment.month - 1],
        }
        for token, name in names.items():
            # Percent signs in a name would be read as directives: none has one.
            pattern = pattern.replace(token, catalog.gettext(name))
    return moment.strftime(pattern)


def weekday_abbreviations(code: str | None = None) -> tuple[str, ...] | None:
    """Monday to Sunday abbreviated in the language in use (or ``code``), as dates name them
    (``lun.`` in French); None in English, whose text keeps the two-letter days of the data
    files (``Mo-Fr``).

    Raises:
        UnknownLanguageError: somnet does not speak ``code``.
    """
    code = _spoken(code)
    if code == SOURCE_LANGUAGE:
        return None
    catalog = _catalog(code)
    return tuple(catalog.gettext(day) for day in WEEKDAYS)


class _LocalizedTime:
    """A date or time inside a message, formatted with its language's names."""

    def __init__(self, moment: date, code: str) -> None:
        self.moment, self.code = moment, code

    def __format__(self, spec: str) -> str:
        return format_time(self.moment, spec, self.code) if spec else str(self.moment)


def _localized_value(value: Any, code: str) -> Any:
    if isinstance(value, Message):
        return value.localized(code)
    if isinstance(value, date):
        return _LocalizedTime(value, code)
    told = getattr(type(value), "localized", None)
    if told is not None:  # weekly hours: their days named in the language
        return told(value, code)
    return value
