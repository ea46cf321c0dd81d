"""The report catalogue: which notebooks exist and which parameters they take."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import papermill as pm
import yaml

from opsnb.errors import ParameterError

REQUIRED_PARAMETERS = ("data_dir", "start_date", "end_date", "summary_path")


def notebooks_dir() -> Path:
    """The notebooks folder (``$OPSNB_NOTEBOOKS`` or the opsnb checkout's ``notebooks/``)."""
    env = os.environ.get("OPSNB_NOTEBOOKS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "notebooks"


def list_reports(folder: Path | None = None) -> list[str]:
    """The reports of the registry (:mod:`opsnb.registry`) whose notebook is in ``folder``.

    A folder of one's own notebooks (``notebooks:`` in reports.yaml) may also hold notebooks
    that are not in the registry: they are listed after the registry's, by name.
    """
    from opsnb import registry

    folder = folder or notebooks_dir()
    present = {p.stem for p in folder.glob("*.ipynb") if not p.name.startswith(".")}
    known = [n for n in registry.names() if n in present]
    return known + sorted(present - set(known))


def notebook_path(name: str, folder: Path | None = None) -> Path:
    folder = folder or notebooks_dir()
    path = folder / f"{name}.ipynb"
    if not path.exists():
        known = ", ".join(list_reports(folder)) or "none"
        raise ParameterError(f"unknown report {name!r}; known reports: {known}")
    return path


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str       # as declared in the parameters cell (papermill's inferred type name)
    default: str    # the default, as source text
    help: str


@lru_cache(maxsize=64)
def _inspect(path: str, mtime: float) -> dict[str, Parameter]:
    raw = pm.inspect_notebook(path)
    return {k: Parameter(k, v.get("inferred_type_name") or "None", v.get("default") or "",
                         v.get("help") or "") for k, v in raw.items()}


def report_parameters(name: str, folder: Path | None = None) -> dict[str, Parameter]:
    """The parameters a report declares in its tagged ``parameters`` cell."""
    path = notebook_path(name, folder)
    return _inspect(str(path), path.stat().st_mtime)


def coerce(param: Parameter, value: Any) -> Any:
    """Convert a command-line string to the parameter's declared type (papermill does not)."""
    if not isinstance(value, str):
        return value
    t = param.type
    try:
        if t == "int":
            return int(value)
        if t == "float":
            return float(value)
        if t == "bool":
            low = value.strip().lower()
            if low in {"true", "1", "yes", "y"}:
                return True
            if low in {"false", "0", "no", "n"}:
                return False
            raise ValueError(value)
        if t in {"list", "dict"}:
            parsed = json.loads(value) if value.strip()[:1] in "[{" else yaml.safe_load(value)
            if t == "list" and isinstance(parsed, str):
                parsed = [s.strip() for s in parsed.split(",") if s.strip()]
            if not isinstance(parsed, list if t == "list" else dict):
                raise ValueError(value)
            return parsed
    except (ValueError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ParameterError(f"parameter {param.name} expects {t}, got {value!r}") from exc
    return value


def resolve_parameters(name: str, given: dict[str, Any], folder: Path | None = None) -> dict:
    """Check names against the notebook's parameters cell and convert the values."""
    declared = report_parameters(name, folder)
    out = {}
    for key, value in given.items():
        if key not in declared:
            raise ParameterError(
                f"report {name!r} has no parameter {key!r}; it takes: {', '.join(declared)}")
        out[key] = coerce(declared[key], value)
    return out


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """``["k=v", ...]`` from the command line."""
    out = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise ParameterError(f"-p {pair!r}: write parameters as key=value")
        k, v = pair.split("=", 1)
        out[k.strip()] = v
    return out
