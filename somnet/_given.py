"""What a script passes to the library where one of somnet's own values, or a list of them,
goes: checked where it enters, so that a mistake is told naming the parameter, not as a
``TypeError`` or ``AttributeError`` from deep inside."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from somnet._exceptions import BadInputError
from somnet._i18n import SHOWN_LENGTH, _

_Kind = TypeVar("_Kind")


def one_of_kind(
    value: object, kind: type[_Kind], *, field: str, error: type[BadInputError] = BadInputError
) -> _Kind:
    """``value``, refused unless it is a ``kind`` (a ``Window``, an ``Agency``).

    Raises:
        BadInputError: of class ``error``, naming ``field``.
    """
    if not isinstance(value, kind):
        raise error(
            _("{value} is not a {kind}").format(
                value=repr(value)[:SHOWN_LENGTH], kind=f"somnet.{kind.__name__}"
            ),
            field=field,
            value=value,
        )
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
        raise error(
            _("{value} is not a list of {kind}").format(
                value=repr(given)[:SHOWN_LENGTH], kind=f"somnet.{kind.__name__}"
            ),
            field=field,
            value=given,
        )
    return tuple(one_of_kind(item, kind, field=field, error=error) for item in given)


def a_directory(directory: object, field: str = "directory") -> None:
    """Refuse what is not a ``Directory`` where a look-up needs one (arguments given in the
    wrong order: ``plan_contacts(interception, directory)``), naming ``field``.

    Raises:
        BadInputError: naming ``field``.
    """
    from somnet.directory.lookup import Directory

    one_of_kind(directory, Directory, field=field)
