"""The ``__repr__`` of the directory's record classes: the one attrs would generate for each,
``Source(title='...', url=None, ...)``, made here without compiling it.

attrs compiles the methods it generates for a class when the class is made, on every command
that imports it: for the records' twenty classes, their ``__repr__`` alone was 2 ms of each
``somnet contact``, though no command shows one (a test's failure does).
"""

from __future__ import annotations

import threading
from typing import Any, TypeVar

import attrs

_Record = TypeVar("_Record", bound=type)

#: The records being shown in this thread: one that holds itself is shown as ``...``.
_showing = threading.local()


def with_record_repr(cls: _Record) -> _Record:
    """Give ``cls``, an attrs class made with ``repr=False``, the ``__repr__`` attrs makes:
    the class's name, then each field as ``name=repr(value)``, in order.

    Raises:
        TypeError: a field that attrs would show otherwise (``repr=False`` or a function of
            its own) or set otherwise (``init=False``): this function does not make those.
    """
    fields = attrs.fields(cls)
    odd = [f.name for f in fields if f.repr is not True or not f.init]
    if odd:
        raise TypeError(f"{cls.__name__}: fields {odd} are shown or set otherwise")
    names = tuple(f.name for f in fields)

    def __repr__(self: Any) -> str:
        try:
            showing: set[int] = _showing.records
        except AttributeError:
            showing = _showing.records = set()
        if id(self) in showing:
            return "..."
        showing.add(id(self))
        try:
            values = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
            return f"{self.__class__.__qualname__.rsplit('>.', 1)[-1]}({values})"
        finally:
            showing.discard(id(self))

    cls.__repr__ = __repr__  # type: ignore[assignment]
    return cls
