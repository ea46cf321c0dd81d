"""Hand the persona assignments to the CRM or campaign team as CSV or Parquet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from opsnb.errors import ParameterError

EXPORT_COLUMNS = ["user_id", "persona", "persona_name", "rfm_segment", "distance", "probability",
                  "low_activity"]


def export_assignments(assignments: pd.DataFrame, path) -> Path | None:
    """Write ``user_id, persona, persona_name, rfm_segment, distance, probability, low_activity``.

    The format follows the suffix (``.csv`` or ``.parquet``); an empty path writes nothing.
    ``distance`` is to the persona centre in standardised features; ``probability`` is the
    mixture's posterior (empty unless the method is ``gmm``).
    """
    if not path:
        return None
    p = Path(path)
    missing = [c for c in EXPORT_COLUMNS if c not in assignments.columns]
    if missing:
        raise ParameterError(f"assignments lack column(s) {', '.join(missing)}")
    out = assignments[EXPORT_COLUMNS]
    p.parent.mkdir(parents=True, exist_ok=True)
    if p.suffix.lower() == ".csv":
        out.to_csv(p, index=False, encoding="utf-8")
    elif p.suffix.lower() in (".parquet", ".pq"):
        out.to_parquet(p, index=False)
    else:
        raise ParameterError(f"export_path={str(p)!r} must end in .csv or .parquet")
    return p
