"""Volume and scores: feedback per source over time; average rating, CSAT and NPS with intervals.

``rating_scale`` says what ``rating`` holds:

* ``stars`` (1-5): the average rating (t interval) and **CSAT**, the share of 4 and 5 stars
  (Wilson interval);
* ``nps`` (0-10): the average and **NPS** = % promoters (9-10) - % detractors (0-6), in points,
  with the normal interval of a difference of multinomial shares:
  Var(NPS) = (p + d - (p - d)^2) / n.

Ratings outside the scale are set aside from the scores (counted), since they usually mean the
wrong ``rating_scale``.

>>> nps(np.array([10, 9, 8, 7, 6, 0]))["nps"]
0.0
>>> round(csat(np.array([5, 4, 3, 1]))["csat"], 2)
0.5
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

SCALES = {"stars": (1.0, 5.0), "nps": (0.0, 10.0)}
Z = 1.959963984540054


def wilson(k: float, n: float) -> tuple[float, float]:
    if n <= 0:
        return (np.nan, np.nan)
    p = k / n
    den = 1 + Z * Z / n
    mid = (p + Z * Z / (2 * n)) / den
    half = Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / den
    return (float(mid - half), float(mid + half))


def mean_ci(x: np.ndarray) -> dict:
    n = len(x)
    m = float(np.mean(x)) if n else np.nan
    if n < 2:
        return {"n": n, "mean": m, "mean_low": np.nan, "mean_high": np.nan}
    half = float(stats.t.ppf(0.975, n - 1) * np.std(x, ddof=1) / np.sqrt(n))
    return {"n": n, "mean": m, "mean_low": m - half, "mean_high": m + half}


def csat(x: np.ndarray) -> dict:
    """Share of 4-5 stars, Wilson interval."""
    k, n = float((x >= 4).sum()), len(x)
    lo, hi = wilson(k, n)
    return {"csat": k / n if n else np.nan, "csat_low": lo, "csat_high": hi}


def nps(x: np.ndarray) -> dict:
    """Net promoter score in points (-100..100) with a 95 % normal interval."""
    n = len(x)
    if not n:
        return {"nps": np.nan, "nps_low": np.nan, "nps_high": np.nan}
    p, d = float((x >= 9).mean()), float((x <= 6).mean())
    se = np.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    v = 100 * (p - d)
    return {"nps": v, "nps_low": v - 100 * Z * se, "nps_high": v + 100 * Z * se}


def score_table(frame: pd.DataFrame, scale: str, by: list[str]) -> pd.DataFrame:
    """Per group: rated rows, average with interval, and CSAT (stars) or NPS (nps)."""
    rows = []
    groups = frame.groupby(by, sort=True) if by else [((), frame)]
    for key, part in groups:
        x = part["rating"].to_numpy(float)
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(by, key))
        row.update(mean_ci(x))
        row.update(csat(x) if scale == "stars" else nps(x))
        rows.append(row)
    return pd.DataFrame(rows)


def volume(frame: pd.DataFrame, period: str = "W-SUN") -> pd.DataFrame:
    """Feedback per period (weeks starting Monday) and source, wide."""
    t = frame.assign(period=frame["created_at"].dt.to_period(period).dt.start_time)
    return t.groupby(["period", "source"]).size().unstack("source", fill_value=0)
