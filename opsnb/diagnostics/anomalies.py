"""Days far from the model: robust z-scores of the one-step-ahead residuals, as dated alerts.

``z = (r - median(r)) / (1.4826 MAD(r))``: the median and the median absolute deviation are not
pulled by the anomalies themselves, so one bad day cannot hide another. A day is an alert when
``|z| >= threshold`` (3.5 by default, Iglewicz and Hoaglin's cut-off). The first two weeks are
left out while the model's weekly pattern settles.

>>> import pandas as pd
>>> idx = pd.date_range("2026-01-01", periods=30, freq="D")
>>> y = pd.Series([100.0 + (i % 3) for i in range(30)], index=idx)
>>> y.iloc[25] = 160
>>> a = alerts(y, y * 0 + 101, warmup=7)
>>> [str(d.date()) for d in a["date"]], list(a["direction"])
(['2026-01-26'], ['up'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

THRESHOLD = 3.5
WARMUP = 14


def robust_z(r) -> np.ndarray:
    """Robust z-scores (median and MAD); 0 where the MAD is 0."""
    r = np.asarray(r, dtype=float)
    med = np.nanmedian(r)
    mad = 1.4826 * np.nanmedian(np.abs(r - med))
    if not mad:
        return np.zeros_like(r)
    return (r - med) / mad


def alerts(y: pd.Series, fitted: pd.Series, threshold: float = THRESHOLD,
           warmup: int = WARMUP) -> pd.DataFrame:
    """Dated alerts: date, value, expected, z and direction (up/down), newest first."""
    y, fitted = y.iloc[warmup:], fitted.reindex(y.index).iloc[warmup:]
    z = robust_z(y.to_numpy(float) - fitted.to_numpy(float))
    out = pd.DataFrame({"date": y.index, "value": y.to_numpy(float),
                        "expected": fitted.to_numpy(float), "z": z})
    out = out[np.abs(out["z"]) >= threshold].copy()
    out["direction"] = np.where(out["z"] > 0, "up", "down")
    return out.sort_values("date", ascending=False).reset_index(drop=True)
