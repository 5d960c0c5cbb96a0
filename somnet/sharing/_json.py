"""The JSON of the sharing formats (manifests, bundles, the sync state) in and out through the
one converter: strict types, no unknown keys, the checks that types cannot express, and each
fault located by its path (``$.bundle.sha256: expected 64 lower-case hex digits``)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import attrs

from somnet._convert import converter, refusal
from somnet._i18n import _

_Record = TypeVar("_Record")
#: A check of a value that its type cannot express: None when the value is right, else what is
#: wrong with it.
Check = Callable[[Any], str | None]


class Malformed(ValueError):
    """A JSON document that is not what its format says.

    Attributes:
        where: the path of the value at fault, ``$`` for the whole document.
        what: what is wrong with it.
        message: ``where: what``, a message told in the language in use (``str()`` of the
            error is its English text).
    """

    def __init__(self, where: str, what: str) -> None:
        self.where = where
        self.what = what
        self.message = _("{where}: {what}").format(where=where, what=what)
        super().__init__(self.message)


def checked(check: Check) -> dict[str, Check]:
    """The metadata of an attrs field whose value :func:`structure` also checks with ``check``:
    ``attrs.field(metadata=checked(check))``."""
    return {"check": check}


def parse(content: bytes) -> Any:
    """The JSON value of ``content``.

    Raises:
        Malformed: not UTF-8 JSON, or nested too deeply to read, or a name twice in one object.
    """
    try:
        return loads_once(content.decode("utf-8"))
    # Where the reading stopped, said in the language in use: the codec's and json's reasons
    # are Python's English words.
    except UnicodeDecodeError as exc:
        raise Malformed(
            "$", _("not UTF-8 text (invalid byte at offset {offset})").format(offset=exc.start)
        ) from None
    except json.JSONDecodeError as exc:
        raise Malformed(
            "$",
            _("not JSON (at line {line}, column {column})").format(
                line=exc.lineno, column=exc.colno
            ),
        ) from None
    except Malformed:
        raise
    except ValueError as exc:
        raise Malformed("$", _("not JSON ({exc})").format(exc=exc)) from None
    except RecursionError:
        raise Malformed("$", _("not JSON somnet reads (values nested too deeply)")) from None


def ends_early(content: bytes) -> bool:
    """Whether ``content`` is not JSON because it stops before its value ends (a document
    cut short: in the middle of a string, an object, a UTF-8 character), rather than for a
    fault in what it holds."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A character begun and not finished by the last bytes, and nothing wrong before it.
        return exc.end == len(content) and exc.reason == "unexpected end of data"
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        # json reads a string to its closing quote, which a cut leaves out, and an escape
        # (\u00d1) to its fourth digit; every other fault found at the end is a value that the
        # end came before.
        return (
            exc.msg.startswith("Unterminated string")
            or exc.pos >= len(text.rstrip())
            or (
                exc.msg.startswith("Invalid \\uXXXX escape")
                and re.fullmatch(r"\\?u?[0-9a-fA-F]{0,4}", text[exc.pos :]) is not None
            )
        )
    except (ValueError, RecursionError):
        return False
    return False


def loads_once(text: str) -> Any:
    """The JSON value of ``text``, refusing a name twice in one object.

    JSON lets a name appear twice in one object, and readers differ on which value they keep
    (a bundle would then be two directories under one hash; a record edited by hand, or merged
    keeping both sides, two meetings): the first object found with one is refused, whichever
    value another reader would take.

    Raises:
        Malformed: a name twice in one object, at that object's path.
        ValueError: not JSON (``json.JSONDecodeError``), as ``json.loads`` raises it.
        RecursionError: nested too deeply to read.
    """
    twice: list[tuple[dict[str, Any], str]] = []

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name, item in pairs:
            if name in found and not twice:
                twice.append((found, name))
            found[name] = item
        return found

    value = json.loads(text, object_pairs_hook=unique)
    if twice:
        holder, name = twice[0]
        shown = repr(name) if len(repr(name)) <= 40 else repr(name)[:37] + "..."
        raise Malformed(
            _where(value, holder),
            _("{name} appears twice in one object (readers differ on which one they take)").format(
                name=shown
            ),
        )
    return value


def _where(value: Any, target: object) -> str:
    """The path (``$.files``) of the object ``target`` inside the parsed ``value``, found
    without recursion (``$`` if it is not found)."""
    pending: list[tuple[Any, str]] = [(value, "$")]
    while pending:
        item, where = pending.pop()
        if item is target:
            return where
        if isinstance(item, dict):
            pending.extend(
                (child, f"{where}.{name}" if name.isidentifier() else f"{where}[{name!r}]")
                for name, child in item.items()
            )
        elif isinstance(item, list):
            pending.extend((child, f"{where}[{n}]") for n, child in enumerate(item))
    return "$"


def structure(value: Any, record: type[_Record], where: str = "$") -> _Record:
    """``value`` (parsed JSON) as a ``record``: through the converter, then the checks of its
    fields (:func:`checked`), nested records included.

    Raises:
        Malformed: the first fault, in the order of the record's fields.
    """
    if not isinstance(value, dict):
        raise Malformed(where, _("expected a JSON object"))
    result: _Record = structure_value(value, record, where)
    for at, what in problems(result, where):
        raise Malformed(at, what)
    return result


def structure_value(value: Any, type_: Any, where: str) -> Any:
    """``value`` as a ``type_`` through the converter, without the checks of :func:`checked`.

    Raises:
        Malformed: the first fault the converter found.
    """
    import cattrs

    try:
        return converter().structure(value, type_)
    except cattrs.BaseValidationError as exc:
        first = cattrs.transform_error(exc, where, refusal)[0]
        what, _, at = first.rpartition(" @ ")
        raise Malformed(at, what) from None
    except Exception as exc:  # a hook's own error for a value of the wrong kind
        raise Malformed(where, refusal(exc, type_)) from None


def problems(record: Any, where: str = "$") -> Iterator[tuple[str, str]]:
    """The path and the fault of each checked field of ``record`` that fails its check."""
    for field in attrs.fields(type(record)):
        value = getattr(record, field.name)
        check = field.metadata.get("check")
        fault = check(value) if check is not None else None
        if fault is not None:
            yield f"{where}.{field.name}", fault
        elif attrs.has(type(value)):
            yield from problems(value, f"{where}.{field.name}")


def dumps(record: Any, **options: Any) -> bytes:
    """``record`` as JSON bytes (keys sorted), through the converter."""
    text = json.dumps(converter().unstructure(record), sort_keys=True, **options)
    return text.encode("utf-8")
