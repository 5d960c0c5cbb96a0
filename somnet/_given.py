"""What a script passes to the library where one of somnet's own values, or a list of them,
goes: checked where it enters, so that a mistake is told naming the parameter, not as a
``TypeError`` or ``AttributeError`` from deep inside."""

from __future__ import annotations

import collections.abc
import functools
import os
import sys
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, Literal, ParamSpec, TypeVar

from somnet._exceptions import BadInputError
from somnet._i18n import N_, _, shown_given

_Kind = TypeVar("_Kind")


def one_of_kind(
    value: object, kind: type[_Kind], *, field: str, error: type[BadInputError] = BadInputError
) -> _Kind:
    """``value``, refused unless it is a ``kind`` (a ``Window``, an ``Agency``).

    Raises:
        BadInputError: of class ``error``, naming ``field``.
    """
    if not isinstance(value, kind):
        raise _refusal(error, N_("{value} is not a {kind}"), value, field=field, kind=kind.__name__)
    return value


def items_of_kind(
    given: object, kind: type[_Kind], *, field: str, error: type[BadInputError] = BadInputError
) -> tuple[_Kind, ...]:
    """The items of a list given where a list of ``kind`` goes, read once (a generator is read
    here, not by one check and found empty by the next).

    Raises:
        BadInputError: of class ``error``, naming ``field``: not a collection (one item
            alone, a text, None), or an item that is not a ``kind``.
    """
    if isinstance(given, kind | str | bytes | Mapping) or not isinstance(given, Iterable):
        refusal = N_("{value} is not a list of {kind}")
        raise _refusal(error, refusal, given, field=field, kind=kind.__name__)
    return tuple(one_of_kind(item, kind, field=field, error=error) for item in given)


def a_directory(directory: object, field: str = "directory") -> None:
    """Refuse what is not a ``Directory`` where a look-up needs one (arguments given in the
    wrong order: ``plan_contacts(interception, directory)``), naming ``field``.

    Raises:
        BadInputError: naming ``field``.
    """
    from somnet.directory.lookup import Directory

    one_of_kind(directory, Directory, field=field)


_P = ParamSpec("_P")
_R = TypeVar("_R")

#: What each simple annotation allows, and the refusal of what it does not.
_SIMPLE: dict[str, tuple[Callable[[object], bool], str]] = {
    "str": (lambda v: isinstance(v, str), N_("{value} is not text")),
    "bool": (lambda v: isinstance(v, bool), N_("{value} is not True or False")),
    "int": (
        lambda v: isinstance(v, int) and not isinstance(v, bool),
        N_("{value} is not a whole number"),
    ),
    "float": (
        lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        N_("{value} is not a number"),
    ),
    "datetime": (
        lambda v: isinstance(v, datetime),
        N_("expected a time like 2026-12-03T15:00:00Z, got {found}"),
    ),
    # A datetime is a date in Python, but a time where a day goes (datetime.now() for today).
    "date": (
        lambda v: isinstance(v, date) and not isinstance(v, datetime),
        N_("expected a date like 2026-01-31, got {describe}"),
    ),
    # A path written as text is one too (the function reads it, and refuses an empty one).
    "Path": (lambda v: isinstance(v, str | os.PathLike), N_("{value} is not a path")),
}


#: What an annotation allows, its refusal, the somnet class it names ("" if none) and, for a
#: list, what each item must be and its refusal (a list or tuple is looked into; a generator
#: is not read here: the function would find it empty).
_Check = tuple[Callable[[object], bool], str, str, tuple[Callable[[object], bool], str] | None]


def _pieces(annotation: str) -> list[str]:
    """The members of a union written ``A | B[C | D] | None``, split at the top level."""
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(annotation):
        depth += char == "["
        depth -= char == "]"
        if char == "|" and depth == 0:
            pieces.append(annotation[start:index].strip())
            start = index + 1
    return [*pieces, annotation[start:].strip()]


def _kind_check(piece: str, names: Mapping[str, object]) -> _Check | None:
    """What the annotation ``piece`` allows and how a value it does not is refused (the
    message and the name of the somnet class it names, if one), or None
    for an annotation this reading does not know (the function checks that one itself)."""
    if piece in _SIMPLE:
        return (*_SIMPLE[piece], "", None)
    head, _bracket, inner = piece.partition("[")
    if head == "Callable":
        return callable, N_("{value} is not a function"), "", None
    if head == "Mapping":
        return (lambda v: isinstance(v, Mapping)), N_("{value} is not a mapping"), "", None
    if head == "Literal":  # somnet's vocabularies are words; which word is the function's to say
        return (*_SIMPLE["str"], "", None)
    kind = names.get(head)
    if not inner and typing.get_origin(kind) is Literal:  # a vocabulary's alias (Period)
        return (*_SIMPLE["str"], "", None)
    if not inner and typing.get_origin(kind) is collections.abc.Callable:  # an alias (Progress)
        return callable, N_("{value} is not a function"), "", None
    if not inner and isinstance(kind, type):
        return (lambda v: isinstance(v, kind)), N_("{value} is not a {kind}"), kind.__name__, None
    if head in ("Sequence", "tuple") and inner:
        written = inner.removesuffix("]").removesuffix(", ...").strip()
        item = str if written == "str" else names.get(written)
        if isinstance(item, type):
            # A text alone where texts go is the function's to read (one warning given alone).
            def a_list(v: object, item: type = item) -> bool:
                lone = isinstance(v, str | bytes) and not (item is str and isinstance(v, str))
                return not lone and not isinstance(v, Mapping) and isinstance(v, Iterable)

            if item is str:
                return a_list, N_("{value} is not a list of texts"), "", _ITEM_TEXT
            return (
                a_list,
                N_("{value} is not a list of {kind}"),
                item.__name__,
                ((lambda i: isinstance(i, item)), N_("{value} is not a {kind}")),
            )
    return None


#: How an item of a list of texts is refused.
_ITEM_TEXT = _SIMPLE["str"]


def checked_kinds(
    error: type[BadInputError] = BadInputError,
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """A public function that refuses an argument its annotation does not allow (a bool or a
    number where text goes, text where a number, a time where a day goes, None where nothing
    may be missing), raising ``error`` naming the parameter before the function runs.

    Annotations this reading does not know are left to the function's own checks.
    """

    def decorate(function: Callable[_P, _R]) -> Callable[_P, _R]:
        checks: dict[str, tuple[bool, list[_Check]]] | None = None
        signature: Any = None

        @functools.wraps(function)
        def refusing(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            nonlocal checks, signature
            if checks is None:  # read once, at the first call: importing stays cheap
                import inspect

                signature = inspect.signature(function)
                checks = {}
                names = vars(sys.modules[function.__module__])
                for name, annotation in function.__annotations__.items():
                    if name == "return" or not isinstance(annotation, str):
                        continue
                    pieces = _pieces(annotation)
                    known = [_kind_check(p, names) for p in pieces if p != "None"]
                    allowed = [check for check in known if check is not None]
                    if len(allowed) == len(known):
                        checks[name] = ("None" in pieces, allowed)
            try:
                given = signature.bind(*args, **kwargs).arguments
            except TypeError:
                return function(*args, **kwargs)  # Python's own word on a missing argument
            for name, value in given.items():
                if name not in checks:
                    continue
                optional, allowed = checks[name]
                if value is None and optional:
                    continue
                passing = [check for check in allowed if check[0](value)]
                if not passing:
                    raise _refusal(error, allowed[0][1], value, field=name, kind=allowed[0][2])
                items = passing[0][3]
                if items is not None and isinstance(value, list | tuple):
                    for item in value:
                        if not items[0](item):
                            raise _refusal(error, items[1], item, field=name, kind=passing[0][2])
            return function(*args, **kwargs)

        return refusing

    return decorate


def _refusal(
    error: type[BadInputError], refusal: str, value: object, *, field: str, kind: str
) -> BadInputError:
    """``error`` naming ``field``, its message ``refusal`` (a message id) told with ``value``
    as messages repeat what was given, and the somnet class ``kind`` names."""
    shown = shown_given(value)
    # The refusals name what was given as the messages they share call it.
    told = _(refusal).format(value=shown, found=shown, describe=shown, kind=f"somnet.{kind}")
    return error(told, field=field, value=value)
