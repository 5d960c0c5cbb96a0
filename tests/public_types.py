"""The type hints of somnet's public functions and classes, read as a type checker reads them:
with the names each module imports only for its annotations (``if TYPE_CHECKING:``)."""

from __future__ import annotations

import ast
import inspect
import sys
import typing
from typing import Any


def _annotation_namespace(module_name: str) -> dict[str, Any]:
    module = sys.modules[module_name]
    namespace = dict(vars(module))
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            body = ast.Module(body=node.body, type_ignores=[])
            exec(compile(body, module.__file__ or module_name, "exec"), namespace)
    return namespace


def hints_of(value: Any) -> dict[str, Any]:
    """The resolved annotations of a function or class ``value`` (its attributes, its
    parameters and return)."""
    namespace = _annotation_namespace(value.__module__)
    # The module's names, not the class's: a field named like a type (``date``) is not it.
    return typing.get_type_hints(value, globalns=namespace, localns=namespace)
