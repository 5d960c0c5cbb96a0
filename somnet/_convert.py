"""The one converter between somnet's records and the TOML and JSON it reads and writes: the
directory's data files, meeting records, the shared directory's manifests and state, command
output. Strict types (a number is not text, ``true`` is not a number), no unknown keys, and a
message for every value that is wrong, located by ``cattrs.transform_error``."""

from __future__ import annotations

import base64
import contextlib
import functools
import sys
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import PurePath
from types import UnionType
from typing import TYPE_CHECKING, Any, Literal, Union, get_origin

import attrs

from somnet._i18n import N_, _
from somnet._time import parse_utc, utc_text
from somnet.directory.hours import WeeklyHours, read_hours

if TYPE_CHECKING:
    import cattrs


class FieldError(ValueError):
    """A value that is of the right type but wrong; its message is shown as it is."""


class NotARecordError(FieldError):
    """A value where a record (a TOML table, a JSON object) goes that is not one."""


# Equal values are made one object as they are read (texts, dates, hours): a directory repeats
# them thousands of times (a kind, a language, a date of verification, "24/7"), and one object
# each keeps memory down and the cache small and quick to read.


def _strict(kind: type, expected: str) -> Callable[[Any, Any], Any]:
    """A hook that takes only values of ``kind``; ``expected`` is the message that says so
    (with ``{describe}`` for what was found)."""

    def structure(value: Any, _type: Any) -> Any:
        # bool is an int in Python, but `true` is not a number in a data file.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise FieldError(_(expected).format(describe=describe(value)))
        return sys.intern(value) if type(value) is str else value

    return structure


_DATES: dict[date, date] = {}


def _structure_date(value: Any, _type: Any) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise FieldError(
            _("expected a date like 2026-01-31, got {describe}").format(describe=describe(value))
        )
    return _DATES.setdefault(value, value)


_parse_hours = functools.lru_cache(maxsize=4096)(read_hours)


def _structure_hours(value: Any, _type: Any) -> WeeklyHours:
    if not isinstance(value, str):
        raise FieldError(
            _("expected hours like 'Mo-Fr 08:00-16:00' or '24/7', got {repr}").format(
                repr=describe(value)
            )
        )
    try:
        return _parse_hours(value)
    except ValueError as exc:
        raise FieldError(*exc.args) from exc  # the message as it was made (translatable)


#: What a value found in a file is, in words ("a number 5").
_KINDS = {
    str: N_("text {value}"),
    bool: N_("true/false {value}"),
    int: N_("a number {value}"),
    float: N_("a number {value}"),
    list: N_("a list {value}"),
    dict: N_("a table {value}"),
    date: N_("a date {value}"),
    datetime: N_("a date and time {value}"),
    time: N_("a time {value}"),
}


def describe(value: Any) -> str:
    """What ``value`` is, for a message: its kind in words and its value, cut short."""
    shown = as_written(value)
    shown = shown if len(shown) <= 70 else shown[:67] + "..."
    kind = _KINDS.get(type(value))
    if kind is None:
        return f"{type(value).__name__} {shown}"
    return _(kind).format(value=shown)


def as_written(value: Any) -> str:
    """``value`` as a file writes it, not as Python's repr: ``true`` and ``false``, dates and
    times as ``2026-01-31``, also inside a list or a table; a text quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(as_written, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{as_written(k)}: {as_written(v)}" for k, v in value.items()) + "}"
    return repr(value)


def not_a_date(value: object) -> str | None:
    """Why ``value`` is not a day, or None when it is one: a ``datetime`` is a ``date`` in
    Python, but a time, not a day (``datetime.now()`` where ``date.today()`` was meant)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        return _("expected a date like 2026-01-31, got {describe}").format(describe=describe(value))
    return None


def _structure_instant(value: Any, _type: Any) -> datetime:
    try:
        return parse_utc(value)
    except ValueError as exc:
        raise FieldError(*exc.args) from exc


def _each(hook: Callable[[Any, Any], Any], item: Any, value: list[Any], type_: Any) -> Any:
    """Structure a list item by item, collecting every failure the way cattrs does (each with
    its index), so that messages name every bad item."""
    from cattrs.errors import IterableValidationError, IterableValidationNote

    errors: list[Exception] = []
    done = []
    for index, raw in enumerate(value):
        try:
            done.append(hook(raw, item))
        except Exception as exc:
            exc.__notes__ = [
                *getattr(exc, "__notes__", []),
                IterableValidationNote(f"Structuring {type_} @ index {index}", index, item),
            ]
            errors.append(exc)
    if errors:
        raise IterableValidationError(
            _("While structuring {repr}").format(repr=repr(type_)), errors, type_
        )
    return tuple(done)


def make_converter(
    *, forbid_extra_keys: bool = True, dates_as_text: bool = False
) -> cattrs.Converter:
    """The one converter for every TOML and JSON somnet reads and writes: strict types, no
    unknown keys, dates as dates, instants as UTC text, hours as their text.

    ``forbid_extra_keys=False`` gives its twin that ignores unknown keys, used only to keep
    checking a record whose one fault is an unknown key (the fault is reported already).
    ``dates_as_text=True`` gives the twin that writes JSON, which has no dates: ``2026-11-27``
    (nor bytes: base64 text).
    """
    # Imported here: a directory served from the cache needs no converter, and importing
    # cattrs is a tenth of the start-up of a command.
    import cattrs

    converter = cattrs.Converter(forbid_extra_keys=forbid_extra_keys)
    converter.register_structure_hook(str, _strict(str, N_("expected text, got {describe}")))
    converter.register_structure_hook(
        int, _strict(int, N_("expected a whole number, got {describe}"))
    )
    converter.register_structure_hook(
        bool, _strict(bool, N_("expected true or false, got {describe}"))
    )
    converter.register_structure_hook(date, _structure_date)
    converter.register_unstructure_hook(
        date, (lambda d: d.isoformat()) if dates_as_text else (lambda d: d)
    )
    converter.register_structure_hook(datetime, _structure_instant)
    converter.register_unstructure_hook(datetime, utc_text)
    converter.register_structure_hook(WeeklyHours, _structure_hours)
    converter.register_unstructure_hook(WeeklyHours, str)
    # Paths (of files written, of folders) are written as their text.
    converter.register_unstructure_hook(PurePath, str)
    if dates_as_text:
        # JSON has no bytes: a public key as a trust file writes it, in base64.
        converter.register_unstructure_hook(bytes, lambda b: base64.b64encode(b).decode("ascii"))

    def list_hook(type_: Any) -> Callable[[Any, Any], Any]:
        args: tuple[Any, ...] = getattr(type_, "__args__", ())
        item = args[0] if len(args) == 2 and args[1] is Ellipsis else None
        item_hook = converter.get_structure_hook(item) if item is not None else None

        def structure_list(value: Any, type_: Any) -> Any:
            # A text where a list belongs would otherwise become a tuple of letters.
            if not isinstance(value, list):
                raise FieldError(
                    _("expected a list, got {describe}").format(describe=describe(value))
                )
            if item is str and all(type(v) is str for v in value):
                return tuple(map(sys.intern, value))
            hook = item_hook or converter.get_structure_hook(item)
            # Records are almost always right: structure them without collecting errors, and
            # only when one fails, again item by item for the messages.
            with contextlib.suppress(Exception):
                return tuple([hook(v, item) for v in value])
            return _each(hook, item, value, type_)

        return structure_list

    converter.register_structure_hook_factory(
        lambda t: getattr(t, "__origin__", None) is tuple, list_hook
    )

    def optional_hook(type_: Any) -> Callable[[Any, Any], Any]:
        # cattrs' own hook for ``X | None`` looks up the hook of X on every value.
        inner = next(t for t in type_.__args__ if t is not type(None))
        inner_hook = converter.get_structure_hook(inner)

        def structure_optional(value: Any, _type: Any) -> Any:
            return None if value is None else inner_hook(value, inner)

        return structure_optional

    converter.register_structure_hook_factory(_is_optional, optional_hook)

    def vocabulary_hook(type_: Any) -> Callable[[Any, Any], Any]:
        choices = frozenset(type_.__args__)

        def structure_word(value: Any, type_: Any) -> Any:
            # Any other value would be told as a text the file does not hold ("'True' is not
            # one of confirmed, uncertain" for ``status = true``).
            if not isinstance(value, str):
                raise FieldError(
                    _("expected text, got {describe}").format(describe=describe(value))
                )
            if value not in choices:
                # In cattrs' words, which :func:`refusal` reads for the choices.
                raise ValueError(f"{value} not in literal {type_}")
            return value

        return structure_word

    converter.register_structure_hook_factory(_is_vocabulary, vocabulary_hook)

    def record_hook(type_: Any) -> Callable[[Any, Any], Any]:
        # A record written as a number, a text or a list (its id where the record goes) would
        # otherwise be told in the converter's words or Python's ("'list' object has no
        # attribute 'keys'").
        inner = converter.gen_structure_attrs_fromdict(type_)

        def structure_record(value: Any, type_: Any) -> Any:
            if not isinstance(value, dict):
                raise NotARecordError(
                    _("expected a table, got {describe}").format(describe=describe(value))
                )
            return inner(value, type_)

        return structure_record

    converter.register_structure_hook_factory(attrs.has, record_hook)
    return converter


def _is_optional(type_: Any) -> bool:
    args = getattr(type_, "__args__", ())
    return get_origin(type_) in (Union, UnionType) and len(args) == 2 and type(None) in args


def _is_vocabulary(type_: Any) -> bool:
    """Whether ``type_`` is a closed list of words (``Literal["confirmed", "uncertain"]``)."""
    return get_origin(type_) is Literal and all(type(arg) is str for arg in type_.__args__)


_converter: cattrs.Converter | None = None


def converter() -> cattrs.Converter:
    """The shared converter (built on first use: building it costs milliseconds)."""
    global _converter
    if _converter is None:
        _converter = make_converter()
    return _converter


@functools.cache
def json_converter() -> cattrs.Converter:
    """The converter's twin for JSON: dates as ISO text (see ``make_converter``)."""
    return make_converter(dates_as_text=True)


def refusal(
    exc: BaseException,
    type_: Any,
    *,
    toml: bool = False,
    vocabularies: dict[Any, str] | None = None,
) -> str:
    """What the converter refused in a value, said by somnet (a message, told in the language
    in use) rather than in cattrs' English words: the fault of one field, as
    ``cattrs.transform_error`` asks of its formatter.

    The words are the format's: in JSON, "a JSON object", a value outside its choices cut to
    40 characters (a JSON file may come from a server) and the choices quoted; in a TOML data
    file (``toml``), "a table", the value whole, the choices bare, and a vocabulary named by its
    message in ``vocabularies`` (``{value}``, ``{choices}``: "'navy' is not a role; the roles
    are ...") with its choices sorted.
    """
    import re

    from cattrs.errors import ForbiddenExtraKeysError

    from somnet._i18n import _n

    if isinstance(exc, NotARecordError) and not toml:
        return _("expected a JSON object")  # the converter's words are TOML's ("a table")
    if isinstance(exc, FieldError) and exc.args and isinstance(exc.args[0], str):
        return exc.args[0]  # the converter's own message (translatable)
    if type_ is datetime:
        return _("expected a UTC time like 2027-03-16T14:00:00Z")
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = ", ".join(sorted(exc.extra_fields))
        return _n("unknown key {keys}", "unknown keys {keys}", len(exc.extra_fields)).format(
            keys=keys
        )
    if isinstance(exc, KeyError):
        return _("required field missing")
    # A value may hold a line break (TOML's "\n", JSON's): the whole of it is the value.
    literal = re.fullmatch(r"(.*) not in literal (.*)", str(exc), re.DOTALL)
    if literal:
        value = literal.group(1)
        if toml:
            choices = re.findall(r"'([^']*)'", literal.group(2))
            named = (vocabularies or {}).get(type_)
            if named is not None:
                return _(named).format(value=repr(value), choices=", ".join(sorted(choices)))
            return _("{value} is not one of {choices}").format(
                value=repr(value), choices=", ".join(choices)
            )
        allowed = re.findall(r"'[^']*'|\d+", literal.group(2))
        text = (
            _("{value} is not {choices}")
            if len(allowed) == 1
            else _("{value} is not one of {choices}")
        )
        shown = repr(value) if len(value) <= 40 else repr(value[:37]) + "..."
        return text.format(value=shown, choices=", ".join(allowed))
    if not toml and (attrs.has(type_) or isinstance(exc, AttributeError | TypeError)):
        return _("expected a JSON object")
    return _("invalid value")


def to_json(record: object) -> Any:
    """A record (or a list of them) as JSON-ready data: the same shape as in the data files,
    dates and instants as ISO text. A result that writes its own JSON (a contact plan, a
    meeting's plan or record, a sync's result: their ``to_json()``) is written as it writes
    itself, which is what its command prints."""
    writes_itself = getattr(type(record), "to_json", None)
    if callable(writes_itself):
        return writes_itself(record)
    if isinstance(record, list | tuple) and any(
        callable(getattr(type(item), "to_json", None)) for item in record
    ):
        return [to_json(item) for item in record]
    return json_converter().unstructure(record)
