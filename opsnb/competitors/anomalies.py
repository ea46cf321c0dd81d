"""Anomalies: single dates far outside the series' normal range.

The residual of a date is what is left of the series (on its metric's scale) after
removing the STL weekly seasonal component and the fitted line of its segment
between change points (:mod:`opsnb.competitors.changepoints`), so that a level
shift is reported once, as a change, and not again as a run of anomalies. A date is
anomalous when its residual lies more than ``k`` robust standard deviations from the
series' median residual, the robust standard deviation being ``1.4826 * MAD``.

Severity is the distance in those units; ``level`` is ``"notable"`` below ``1.5 k``,
``"strong"`` below ``2 k`` and ``"extreme"`` beyond.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from opsnb.competitors.changepoints import MAD_TO_SD, ChangePoints
from opsnb.competitors.decomposition import Decomposition
from opsnb.competitors.panel import Panel
from opsnb.errors import ParameterError


@dataclass
class Anomalies:
    """Anomalous dates: competitor, metric, date, value, expected, deviation, severity, level,
    direction, better, in_window."""

    table: pd.DataFrame
    k: float

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def in_window(self) -> pd.DataFrame:
        return self.table[self.table["in_window"].astype(bool)].reset_index(drop=True)


def robust_z(resid: np.ndarray) -> np.ndarray:
    """(r - median) / (1.4826 * MAD) per column; NaN where the MAD is zero."""
    med = np.nanmedian(resid, axis=0)
    mad = MAD_TO_SD * np.nanmedian(np.abs(resid - med), axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(mad > 0, (resid - med) / mad, np.nan)


def find_anomalies(panel: Panel, decomp: Decomposition, changes: ChangePoints, k: float = 4.0,
                   window=None) -> Anomalies:
    """Dates whose residual is beyond ``k`` robust standard deviations (see module doc)."""
    if not isinstance(k, (int, float)) or isinstance(k, bool) or k <= 0:
        raise ParameterError(f"anomaly_mads={k!r} must be a number > 0 (typical: 3.5 to 5)")
    adj = decomp.adjusted
    expected_scale = changes.fitted + decomp.seasonal
    resid = (adj - changes.fitted).to_numpy(dtype=float)
    z = robust_z(resid)
    observed = panel.observed.reindex(columns=adj.columns).to_numpy()
    hit = np.abs(np.nan_to_num(z)) > k
    hit &= observed  # a filled gap is never an anomaly
    ii, jj = np.nonzero(hit)
    rows = []
    for i, j in zip(ii, jj):
        col = adj.columns[j]
        metric, comp = col
        val = panel.values.iat[i, j]
        exp = float(decomp.to_raw(col, expected_scale.iat[i, j]))
        sev = float(abs(z[i, j]))
        dev = (val / exp - 1) if decomp.log_scale[col] else (val - exp)
        date = adj.index[i]
        spec = panel.registry.get(metric)
        rows.append((comp, metric, date, float(val), exp, float(dev), sev,
                     "extreme" if sev >= 2 * k else "strong" if sev >= 1.5 * k else "notable",
                     "up" if z[i, j] > 0 else "down", (z[i, j] > 0) == (spec.sign > 0),
                     True if window is None else bool(window.start <= date <= window.end)))
    table = pd.DataFrame(rows, columns=["competitor", "metric", "date", "value", "expected",
                                        "deviation", "severity", "level", "direction", "better",
                                        "in_window"])
    table = table.sort_values(["severity"], ascending=False).reset_index(drop=True)
    return Anomalies(table=table, k=float(k))
