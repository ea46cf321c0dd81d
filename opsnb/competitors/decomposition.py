"""Trend and weekly seasonality per series (STL, statsmodels).

Each series is first put on its metric's scale (:mod:`opsnb.competitors.registry`):
the natural log for ``scale="log"`` metrics (so that a weekly pattern and a change
are both proportional), the values themselves otherwise. STL (Cleveland et al.
1990, ``statsmodels.tsa.seasonal.STL``, robust fitting, period 7) then splits it
into trend + seasonal + residual. Robust fitting uses two robustness passes
(``robust_iter``; statsmodels' default of 15 costs seven times more and moves the
weekly pattern very little). The weekly seasonal component is removed before
anything is called a change or an anomaly.

Weekly panels have no weekly pattern to remove: their seasonal component is zero and
their trend is a centred 5-week rolling median.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from statsmodels.tsa.seasonal import STL

from opsnb.competitors.panel import Panel
from opsnb.report.contract import Note


@dataclass
class Decomposition:
    """STL parts per (metric, competitor) column, on each metric's scale.

    ``y = trend + seasonal + resid``; ``adjusted = y - seasonal`` is the seasonally
    adjusted series every later step reads. ``log_scale[col]`` says whether ``y`` is
    the log of the values. ``skipped`` lists series left out (and why), as Notes.
    """

    y: pd.DataFrame
    trend: pd.DataFrame
    seasonal: pd.DataFrame
    resid: pd.DataFrame
    log_scale: dict
    period: int | None
    skipped: list[Note] = field(default_factory=list)

    @property
    def adjusted(self) -> pd.DataFrame:
        return self.y - self.seasonal

    def to_raw(self, col, values):
        """Values on the metric's scale back to the metric's units."""
        return np.exp(values) if self.log_scale[col] else values

    def seasonal_amplitude(self) -> pd.Series:
        """Peak-to-trough of the weekly pattern per series (log points or units)."""
        s = self.seasonal
        return (s.max() - s.min()).rename("seasonal_amplitude")

    def to_frame(self) -> pd.DataFrame:
        parts = {"y": self.y, "trend": self.trend, "seasonal": self.seasonal, "resid": self.resid}
        out = pd.concat({k: v.stack(level=[0, 1], future_stack=True) for k, v in parts.items()},
                        axis=1).reset_index()
        out.columns = ["date", "metric", "competitor", *parts]
        return out.dropna(subset=["y"])


def observed_span(v: np.ndarray) -> tuple[int, int] | None:
    """(first, last + 1) index of the observed values of a series; None when all are missing."""
    ok = np.flatnonzero(~np.isnan(v))
    if len(ok) == 0:
        return None
    return int(ok[0]), int(ok[-1]) + 1


def to_scale(panel: Panel) -> tuple[pd.DataFrame, dict, list[Note]]:
    """The panel's values on each metric's scale, whether logged, and notes."""
    vals = panel.values
    logged = {}
    notes = []
    cols = {}
    for col in vals.columns:
        spec = panel.registry.get(col[0])
        v = vals[col]
        use_log = spec.scale == "log" and bool((v.dropna() > 0).all())
        if spec.scale == "log" and not use_log:
            notes.append(Note("{competitor} / {metric}: values <= 0, read on a linear scale",
                              {"competitor": col[1], "metric": col[0]}))
        logged[col] = use_log
        cols[col] = np.log(v) if use_log else v
    y = pd.DataFrame(cols, index=vals.index)
    y.columns = pd.MultiIndex.from_tuples(y.columns, names=vals.columns.names)
    return y, logged, notes


def decompose(panel: Panel, robust: bool = True, seasonal: int = 31,
              robust_iter: int = 2) -> Decomposition:
    """STL per series of the panel (see module doc)."""
    y, logged, notes = to_scale(panel)
    period = panel.period
    Y = y.to_numpy(dtype=float)
    trend = np.full(Y.shape, np.nan)
    seas = np.where(np.isnan(Y), np.nan, 0.0)
    skipped = list(notes)
    for j, col in enumerate(y.columns):
        v = Y[:, j]
        span = observed_span(v)
        if span is None:
            continue
        lo, hi = span
        seg = v[lo:hi]
        if np.isnan(seg).any():
            skipped.append(Note("{competitor} / {metric}: gaps left empty (fill='none'), no "
                                "trend or change detection", {"competitor": col[1], "metric": col[0]}))
            continue
        if period is None:
            tr = pd.Series(seg).rolling(5, center=True, min_periods=1).median().to_numpy()
            trend[lo:hi, j] = tr
            continue
        if len(seg) < 2 * period + 1:
            skipped.append(Note("{competitor} / {metric}: shorter than two weeks, no seasonal "
                                "adjustment", {"competitor": col[1], "metric": col[0]}))
            trend[lo:hi, j] = seg
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = STL(seg, period=period, seasonal=seasonal, robust=robust).fit(
                outer_iter=robust_iter if robust else None)
        trend[lo:hi, j] = res.trend
        seas[lo:hi, j] = res.seasonal
    trend = pd.DataFrame(trend, index=y.index, columns=y.columns)
    seas = pd.DataFrame(seas, index=y.index, columns=y.columns)
    resid = y - trend - seas
    return Decomposition(y=y, trend=trend, seasonal=seas, resid=resid, log_scale=logged,
                         period=period, skipped=skipped)
