"""Checks of report parameters, run at the top of every notebook.

papermill neither checks nor converts parameter types, so each notebook
checks what it was given and stops with a clear ``ParameterError``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from opsnb.errors import ParameterError

_TYPES = {"str": str, "int": int, "float": (int, float), "bool": bool, "list": (list, tuple),
          "dict": dict}


def expect(name: str, value: Any, kind: str, *, choices: Iterable | None = None,
           minimum: float | None = None, maximum: float | None = None,
           allow_none: bool = False) -> Any:
    """Return ``value`` if it fits, else raise ParameterError naming the parameter."""
    if value is None and allow_none:
        return value
    if kind == "int" and isinstance(value, float) and value.is_integer():
        value = int(value)
    if kind == "float" and isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            pass
    if kind == "int" and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    ok = isinstance(value, _TYPES[kind]) and not (kind in {"int", "float"} and isinstance(value, bool))
    if not ok:
        raise ParameterError(f"parameter {name} must be {kind}, got {value!r} "
                             f"({type(value).__name__})")
    if choices is not None:
        choices = list(choices)
        if value not in choices:
            raise ParameterError(f"parameter {name}={value!r}; choose one of "
                                 f"{', '.join(map(str, choices))}")
    if minimum is not None and value < minimum:
        raise ParameterError(f"parameter {name}={value!r} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise ParameterError(f"parameter {name}={value!r} must be at most {maximum}")
    return value
