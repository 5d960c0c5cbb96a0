"""How meeting plans, series and invites are written as JSON: through the one converter, with
the few keys that are not Python names (``from``, ``to``) renamed here."""

from __future__ import annotations

from typing import Any

import attrs

from somnet._convert import converter
from somnet.meetings.slots import DateSpan


@attrs.frozen
class WindowView:
    """Where a plan looked: ``{"from", "to", "duration_minutes", "step_minutes"}``."""

    first: str
    last: str
    duration_minutes: int
    step_minutes: int


def _register() -> None:
    from cattrs.gen import make_dict_unstructure_fn, override

    shared = converter()
    for view in (DateSpan, WindowView):
        shared.register_unstructure_hook(
            view,
            make_dict_unstructure_fn(
                view, shared, first=override(rename="from"), last=override(rename="to")
            ),
        )


# Before any view holding these is unstructured: cattrs makes a class's hook from the hooks of
# its fields' types as they are then.
_register()


def unstructure(view: Any) -> Any:
    """``view`` (an attrs view, or a list of them) as JSON data."""
    return converter().unstructure(view)
