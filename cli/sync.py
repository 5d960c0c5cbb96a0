"""``somnet directory keygen|publish|sync|status`` (being written)."""

from __future__ import annotations

from typing import Any


def register(directory_commands: Any) -> None:
    return None
