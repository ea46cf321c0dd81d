"""summary.json: the machine-readable headline results of a report run."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import opsnb

SCHEMA_VERSION = 1


def to_jsonable(obj: Any) -> Any:
    """Plain JSON types from numpy, pandas, dataclasses and dates (NaN -> null)."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(obj, np.bool_):
        return bool(obj)
    if obj is pd.NaT or obj is pd.NA:
        return None
    if isinstance(obj, pd.Timestamp):
        return obj.isoformat()
    if isinstance(obj, (_dt.datetime, _dt.date)):
        return obj.isoformat()
    if isinstance(obj, pd.DataFrame):
        return [to_jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return [to_jsonable(v) for v in obj.tolist()]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        if hasattr(obj, "to_dict"):
            return to_jsonable(obj.to_dict())
        return to_jsonable(dataclasses.asdict(obj))
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [to_jsonable(v) for v in obj]
    if hasattr(obj, "to_dict"):
        return to_jsonable(obj.to_dict())
    return str(obj)


def build_summary(report: str, *, parameters: dict, window=None, source=None,
                  headline: dict, **sections: Any) -> dict:
    """The summary document: report, versions, window, data notes, headline, sections."""
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "report": report,
        "opsnb_version": opsnb.__version__,
        "parameters": parameters,
    }
    if window is not None:
        doc["window"] = window.to_dict()
    if source is not None:
        doc["data_source"] = source.description
        doc["rows_set_aside"] = [dataclasses.asdict(s) for s in source.set_aside]
    doc["headline"] = headline
    doc.update(sections)
    return to_jsonable(doc)


def write_summary(path, report: str, **kwargs: Any) -> dict:
    """Build the summary and write it to ``path`` (nothing is written when path is empty)."""
    return write_document(path, build_summary(report, **kwargs))


def write_document(path, doc: dict) -> dict:
    """Write a built summary document to ``path`` (nothing is written when path is empty)."""
    if path:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_suffix(p.suffix + ".tmp")
        tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                       encoding="utf-8")
        tmp.replace(p)
    return doc
