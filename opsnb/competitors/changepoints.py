"""Dated changes in level or trend: PELT on the seasonally adjusted series.

Method (per series, after :mod:`opsnb.competitors.decomposition` removed the weekly
pattern):

* **Segment model**: a straight line (level and slope) per segment; the cost of a
  segment is the sum of squared residuals of its least-squares line, computed in O(1)
  from cumulative sums (:class:`LinearTrendCost`, a ``ruptures`` cost). A gentle
  trend is therefore not a change; a jump in level or a turn in the trend is.
* **Search**: PELT (Killick, Fearnhead & Eckley 2012), the exact penalised
  segmentation. :func:`pelt` runs it with each step vectorised over the candidate
  starts and the same pruning rule as ``ruptures.Pelt``; the tests check that both
  give the same breakpoints.
* **Penalty from the noise**: ``pen = penalty * sigma**2 * log(n)``, where ``sigma``
  is the series' noise, estimated robustly from day-to-day differences
  (``1.4826 * MAD(diff) / sqrt(2)``, which a level shift hardly moves). ``penalty``
  is the sensitivity: lower finds more changes.
* **Outliers**: a squared-error cost lets one wild day open a new segment. Before the
  search each value is clipped to within ``4 sigma`` of the series' centred 7-day
  rolling median (which follows a level shift within days); the anomaly step still
  sees the original values.
* **Candidate grid**: PELT considers every ``jump``-th date (3 for daily data, as
  ``ruptures``' ``jump``), then :func:`refine` dates each change exactly within
  ``jump - 1`` days and :func:`merge_weak` drops a change that no longer pays its
  penalty (a sharp change between grid dates drawn as a short ramp); this makes the
  search several times faster.
* **Minimum segment**: ``min_size`` grid steps (14 days by default) on each side, so a
  short blip is an anomaly, not a change.
* **Size**: the jump between the two fitted lines at the change date, read on the
  metric's scale (a percentage for log-scale metrics such as price or downloads, points
  for rating or sentiment), and in units of the noise (``z``).
* **Events**: the ``competitor_events`` entry of the same competitor nearest to the
  change, within ``match_days``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from ruptures.base import BaseCost

from opsnb.competitors.decomposition import Decomposition, observed_span
from opsnb.competitors.panel import Panel
from opsnb.errors import ParameterError

MAD_TO_SD = 1.4826
CLIP_WINDOW = 7
CLIP_SIGMAS = 4.0


class LinearTrendCost(BaseCost):
    """Sum of squared residuals of a straight line fitted to ``signal[start:end]``."""

    model = "linear_trend"
    min_size = 3

    def fit(self, signal) -> LinearTrendCost:
        y = np.asarray(signal, dtype=float).reshape(-1)
        self.signal = y.reshape(-1, 1)
        y = y - np.median(y)
        t = np.arange(len(y), dtype=float)
        z = np.zeros(1)
        self._t = np.concatenate([z, np.cumsum(t)])
        self._tt = np.concatenate([z, np.cumsum(t * t)])
        self._y = np.concatenate([z, np.cumsum(y)])
        self._ty = np.concatenate([z, np.cumsum(t * y)])
        self._yy = np.concatenate([z, np.cumsum(y * y)])
        return self

    def errors(self, starts, end: int) -> np.ndarray:
        """Costs of the segments ``[s, end)`` for every s in ``starts`` (vectorised)."""
        s = np.asarray(starts)
        n = end - s
        st = self._t[end] - self._t[s]
        sy = self._y[end] - self._y[s]
        vt = self._tt[end] - self._tt[s] - st * st / n
        vy = self._yy[end] - self._yy[s] - sy * sy / n
        cv = self._ty[end] - self._ty[s] - st * sy / n
        with np.errstate(divide="ignore", invalid="ignore"):
            sse = np.where(vt > 0, vy - cv * cv / vt, vy)
        return np.maximum(sse, 0.0)

    def error(self, start: int, end: int) -> float:
        return float(self.errors(np.array([start]), end)[0])

    def line(self, start: int, end: int) -> tuple[float, float]:
        """(value at ``start``, slope per step) of the fitted line, on the signal's scale."""
        n = end - start
        st = self._t[end] - self._t[start]
        sy = self._y[end] - self._y[start]
        vt = self._tt[end] - self._tt[start] - st * st / n
        cv = self._ty[end] - self._ty[start] - st * sy / n
        slope = cv / vt if vt > 0 else 0.0
        mean_t, mean_y = st / n, sy / n
        level0 = mean_y + slope * (start - mean_t) + np.median(self.signal[:, 0])
        return float(level0), float(slope)


def pelt(signal, pen: float, min_size: int = 14, jump: int = 1,
         cost: LinearTrendCost | None = None) -> list[int]:
    """Breakpoints (segment ends, the last one ``len(signal)``) minimising cost + pen per change.

    The same recursion, candidate grid and pruning as ``ruptures.Pelt(custom_cost=cost,
    min_size=min_size, jump=jump).fit(signal).predict(pen)``, with each step vectorised
    over the candidates. With ``jump > 1`` only every jump-th date is a candidate; use
    :func:`refine` to date each change exactly afterwards.
    """
    cost = cost if cost is not None else LinearTrendCost().fit(signal)
    n = cost.signal.shape[0]
    min_size = max(min_size, cost.min_size)
    if n < 2 * min_size:
        return [n]
    best = np.full(n + 1, np.inf)
    best[0] = 0.0
    last = np.full(n + 1, -1, dtype=np.int64)
    last[0] = 0
    adm = np.zeros(0, dtype=np.int64)
    ends = [k for k in range(0, n, jump) if k >= min_size] + [n]
    for end in ends:
        new = ((end - min_size) // jump) * jump
        adm = np.append(adm, new)
        live = adm[np.isfinite(best[adm])]
        if len(live) == 0:
            continue
        tot = best[live] + cost.errors(live, end) + pen
        k = int(np.argmin(tot))
        best[end] = tot[k]
        last[end] = live[k]
        keep = np.ones(len(adm), dtype=bool)
        keep[np.isfinite(best[adm])] = tot <= best[end] + pen
        adm = adm[keep]
    bkps = [n]
    t = n
    while last[t] > 0:
        t = int(last[t])
        bkps.append(t)
    return sorted(bkps)


def refine(bkps: list[int], cost: LinearTrendCost, jump: int, min_size: int) -> list[int]:
    """Date each change exactly: the best split within ``jump - 1`` steps of the PELT one,
    keeping the neighbouring changes fixed (and every segment at least ``min_size`` long)."""
    if jump <= 1 or len(bkps) < 2:
        return list(bkps)
    out = list(bkps)
    for i in range(len(out) - 1):
        a = out[i - 1] if i > 0 else 0
        b = out[i + 1]
        lo = max(out[i] - jump + 1, a + min_size)
        hi = min(out[i] + jump - 1, b - min_size)
        if hi <= lo:
            continue
        cand = np.arange(lo, hi + 1)
        tot = np.array([cost.error(a, c) + cost.error(c, b) for c in cand])
        out[i] = int(cand[int(np.argmin(tot))])
    return out


def merge_weak(bkps: list[int], cost: LinearTrendCost, pen: float, jump: int,
               min_size: int) -> list[int]:
    """Drop changes that no longer pay their penalty once their neighbours are dated exactly.

    On a coarse candidate grid a sharp change between two grid dates can be drawn as two
    changes (a short ramp); after :func:`refine`, the change whose removal costs least is
    dropped while that cost is below ``pen``, and the neighbours are dated again.
    """
    out = list(bkps)
    while len(out) > 1:
        edges = [0] + out
        gains = [cost.error(edges[i], edges[i + 2]) - cost.error(edges[i], edges[i + 1])
                 - cost.error(edges[i + 1], edges[i + 2]) for i in range(len(out) - 1)]
        k = int(np.argmin(gains))
        if gains[k] >= pen:
            break
        del out[k]
        out = refine(out, cost, jump, min_size)
    return out


def noise_sigma(values) -> float:
    """Robust noise level of a series: 1.4826 * MAD of its first differences / sqrt(2)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if len(v) < 3:
        return float("nan")
    d = np.diff(v)
    return float(MAD_TO_SD * np.median(np.abs(d - np.median(d))) / np.sqrt(2))


def _sigma_floor(v: np.ndarray, log_scale: bool) -> float:
    # a series that does not move day to day (a list price) has MAD 0: use 0.1 % of its level
    return 1e-3 if log_scale else 1e-3 * max(float(np.nanmedian(np.abs(v))), 1e-9)


@dataclass
class ChangePoints:
    """Every detected change (``table``) and the fitted segments of every series.

    ``table`` columns: competitor, metric, date, index, direction (up / down in the
    metric's own numbers), better (True when the move is an improvement for that
    product, by the registry), kind (level / trend), change (on the metric's scale:
    relative for log metrics, absolute otherwise), relative_change, absolute_change,
    before, after (fitted values in the metric's units), slope_before, slope_after (per
    week, on the metric's scale), z (|jump| / noise), sigma, event_date, event_kind,
    event_note, in_window.
    """

    table: pd.DataFrame
    fitted: pd.DataFrame
    sigma: pd.Series
    penalty: float
    min_size: int
    match_days: int
    skipped: list = field(default_factory=list)  # Notes: series left out, and why

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def in_window(self) -> pd.DataFrame:
        return self.table[self.table["in_window"].astype(bool)].reset_index(drop=True)

    def n_series(self) -> int:
        return int(self.sigma.notna().sum())


_COLUMNS = ["competitor", "metric", "date", "index", "direction", "better", "kind", "change",
            "relative_change", "absolute_change", "before", "after", "slope_before", "slope_after",
            "z", "sigma", "event_date", "event_kind", "event_note", "in_window"]


def detect_changes(panel: Panel, decomp: Decomposition, penalty: float = 6.0,
                   min_size: int | None = None, jump: int | None = None, match_days: int = 7,
                   window=None) -> ChangePoints:
    """Change points of every series of the panel (see module doc)."""
    if not isinstance(penalty, (int, float)) or isinstance(penalty, bool) or penalty <= 0:
        raise ParameterError(f"penalty={penalty!r} must be a number > 0 (higher: fewer changes)")
    if min_size is None:
        min_size = 14 if panel.freq == "day" else 4
    if jump is None:
        jump = 3 if panel.freq == "day" else 1
    adj = decomp.adjusted
    Y = adj.to_numpy(dtype=float)
    # shared preprocessing: a centred rolling median of every series at once, to clip outliers
    med = adj.rolling(CLIP_WINDOW if panel.freq == "day" else 3, center=True,
                      min_periods=1).median().to_numpy(dtype=float)
    fitted = np.full(Y.shape, np.nan)
    sig = {}
    rows = []
    dates = adj.index
    per_week = 7 if panel.freq == "day" else 1
    ev = panel.events
    for j, col in enumerate(adj.columns):
        metric, comp = col
        v = Y[:, j]
        span = observed_span(v)
        if span is None:
            continue
        lo, hi = span
        seg = v[lo:hi]
        if np.isnan(seg).any():
            continue
        logged = decomp.log_scale[col]
        sigma = max(noise_sigma(seg), _sigma_floor(seg, logged))
        sig[col] = sigma
        m = med[lo:hi, j]
        cost = LinearTrendCost().fit(np.clip(seg, m - CLIP_SIGMAS * sigma, m + CLIP_SIGMAS * sigma))
        pen = penalty * sigma ** 2 * np.log(len(seg))
        bkps = pelt(seg, pen, min_size, jump, cost)
        bkps = merge_weak(refine(bkps, cost, jump, min_size), cost, pen, jump, min_size)
        starts = [0] + bkps[:-1]
        lines = [cost.line(s, e) for s, e in zip(starts, bkps)]
        for (s, e), (a, b) in zip(zip(starts, bkps), lines):
            fitted[lo + s:lo + e, j] = a + b * np.arange(e - s)
        spec = panel.registry.get(metric)
        for i in range(1, len(starts)):
            s_prev, t = starts[i - 1], starts[i]
            a0, b0 = lines[i - 1]
            a1, b1 = lines[i]
            before = a0 + b0 * (t - s_prev - 1) + b0  # left line carried to the change date
            after = a1
            step = after - before
            kind = "level" if abs(step) >= 3 * sigma else "trend"
            move = step if kind == "level" else (b1 - b0)
            direction = "up" if move > 0 else "down"
            raw_b, raw_a = decomp.to_raw(col, before), decomp.to_raw(col, after)
            rel = (np.exp(step) - 1) if logged else (step / abs(before) if before else np.nan)
            absolute = raw_a - raw_b
            date = dates[lo + t]
            e_date = e_kind = e_note = None
            if len(ev):
                cand = ev[ev["competitor"] == comp]
                if len(cand):
                    gap = (cand["date"] - date).abs()
                    k = gap.idxmin()
                    if gap[k] <= pd.Timedelta(days=match_days):
                        e_date, e_kind, e_note = cand.at[k, "date"], cand.at[k, "kind"], cand.at[k, "note"]
            in_win = True if window is None else bool(window.start <= date <= window.end)
            rows.append((comp, metric, date, lo + t, direction, (move > 0) == (spec.sign > 0), kind,
                         rel if logged else absolute, rel, absolute, raw_b, raw_a,
                         b0 * per_week, b1 * per_week, abs(step) / sigma, sigma, e_date, e_kind,
                         e_note, in_win))
    table = pd.DataFrame(rows, columns=_COLUMNS)
    table = table.sort_values(["date", "competitor", "metric"]).reset_index(drop=True)
    fit = pd.DataFrame(fitted, index=adj.index, columns=adj.columns)
    sigma = pd.Series(sig, dtype=float)
    return ChangePoints(table=table, fitted=fit, sigma=sigma, penalty=float(penalty),
                        min_size=int(min_size), match_days=int(match_days),
                        skipped=list(decomp.skipped))
