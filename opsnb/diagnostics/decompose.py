"""Exact change decomposition: Kitagawa (two factors) and Das Gupta (any number of factors).

A KPI over segments is a sum of products: ``V = sum_s prod_i f_i[s]``. For a ratio KPI (ARPU,
conversion, a ratio of counts) with two factors, ``f = (w, r)``: ``w`` is the segment's share
of the denominator and ``r`` its rate, and Kitagawa's split of ``V1 - V0`` is

    mix_s  = (w1 - w0) (r0 + r1) / 2,     rate_s = (r1 - r0) (w0 + w1) / 2.

Das Gupta's symmetric formula gives the effect of factor ``i`` for any number of factors as
the average, over the orders in which the factors can change, of the change it makes; for
three factors ``a b c`` the effect of ``a`` is

    (a1 - a0) [ (b0 c0 + b1 c1) / 3 + (b0 c1 + b1 c0) / 6 ].

Both are exact: the effects sum to ``V1 - V0`` (tested to 1e-9). With two factors Das Gupta
is Kitagawa.

Per-segment mix effects are *centred*: ``(w1 - w0)(h_s - h)`` instead of ``(w1 - w0) h_s``,
where ``h_s`` is the segment's coefficient and ``h`` their share-weighted mean. The shares sum
to 1 in both windows, so the changes of shares sum to 0 and the centring leaves every total
unchanged; it makes a growing segment whose rate is below average read as pulling the KPI down
(a cheaper channel's share grows: ARPU falls by mix), which is how an analyst reads mix.

Which factors each KPI has (:mod:`opsnb.diagnostics.kpis`): dau and revenue per day are
``size x mix x rate`` (active users of the window, their share per segment, user-days or revenue
per active user and day); arpu is ``mix x conversion x revenue_per_payer`` (share of active users, paying
users per active user, revenue per paying user); paying_conversion and ratios are
``mix x rate``; new users have no factors (each segment's change is its contribution).

>>> import numpy as np
>>> mix, rate = kitagawa(np.array([.5, .5]), np.array([.1, .3]), np.array([.8, .2]), np.array([.1, .3]))
>>> round(float(mix.sum()), 6), round(float(rate.sum()), 6)
(-0.06, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from math import factorial

import numpy as np
import pandas as pd

from opsnb.diagnostics.kpis import KPI
from opsnb.errors import DataError

RATE_FACTORS = ("rate", "conversion", "revenue_per_payer")


def kitagawa(w0, r0, w1, r1) -> tuple[np.ndarray, np.ndarray]:
    """Kitagawa's mix and rate effects per segment (arrays); they sum to ``V1 - V0``."""
    w0, r0, w1, r1 = (np.asarray(x, dtype=float) for x in (w0, r0, w1, r1))
    return (w1 - w0) * (r0 + r1) / 2, (r1 - r0) * (w0 + w1) / 2


def das_gupta_coefficients(f0: np.ndarray, f1: np.ndarray) -> np.ndarray:
    """Das Gupta's coefficient of each factor per segment: effect = coefficient x change.

    ``f0``, ``f1``: arrays of shape (factors, segments).
    """
    f0, f1 = np.asarray(f0, dtype=float), np.asarray(f1, dtype=float)
    p = f0.shape[0]
    coef = np.zeros_like(f0)
    for i in range(p):
        others = [j for j in range(p) if j != i]
        for k in range(len(others) + 1):
            weight = factorial(k) * factorial(p - 1 - k) / factorial(p)
            for changed in combinations(others, k):
                term = np.ones(f0.shape[1])
                for j in others:
                    term = term * (f1[j] if j in changed else f0[j])
                coef[i] += weight * term
    return coef


def das_gupta(f0: np.ndarray, f1: np.ndarray) -> np.ndarray:
    """Das Gupta's effect of each factor per segment (shape (factors, segments)).

    >>> e = das_gupta(np.array([[2.0], [3.0], [4.0]]), np.array([[3.0], [3.0], [5.0]]))
    >>> float(e.sum()), 3 * 3 * 5 - 2 * 3 * 4
    (21.0, 21)
    """
    f0, f1 = np.asarray(f0, dtype=float), np.asarray(f1, dtype=float)
    return das_gupta_coefficients(f0, f1) * (f1 - f0)


@dataclass
class Decomposition:
    """The change of the KPI between two windows split over the segments of one dimension set.

    ``table``: one row per segment: the dimension columns, ``base`` and ``current`` (the
    segment's part of the KPI), each factor's effect (mix centred), ``contribution`` (their sum)
    and ``label`` (rate, mix or volume). ``effects``: each factor's total.
    """

    dims: tuple[str, ...]
    base_value: float
    current_value: float
    table: pd.DataFrame
    effects: dict = field(default_factory=dict)

    @property
    def change(self) -> float:
        return self.current_value - self.base_value

    def residual(self) -> float:
        """Parts minus total change (0 up to rounding): the exactness check."""
        return float(self.table["contribution"].sum() - self.change)


def _factors(kpi: KPI, c: dict, days: int) -> np.ndarray:
    """The factors per segment of one window's cells (shape (factors, segments))."""
    def div(a, b):
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return np.divide(a, b, out=np.full(a.shape, np.nan), where=b != 0)

    if kpi.name in ("dau", "revenue"):
        active = np.asarray(c["active"], dtype=float)
        total = active.sum()
        work = c["user_days"] if kpi.name == "dau" else c["revenue"]
        return np.vstack([np.full(len(active), total), div(active, total),
                          div(work, active * days)])
    if kpi.name == "arpu":
        active = np.asarray(c["active"], dtype=float)
        return np.vstack([div(active, active.sum()), div(c["paying"], active),
                          div(c["revenue"], c["paying"])])
    num, den = ("paying", "active") if kpi.name == "paying_conversion" else ("num", "den")
    d = np.asarray(c[den], dtype=float)
    return np.vstack([div(d, d.sum()), div(c[num], d)])


def _fill(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Undefined factors (a segment absent in a window) take the other window's value (or 0):
    the product is 0 there either way, so the split stays exact."""
    a2 = np.where(np.isnan(a), np.where(np.isnan(b), 0.0, b), a)
    b2 = np.where(np.isnan(b), np.where(np.isnan(a), 0.0, a), b)
    return a2, b2


def decompose(kpi: KPI, cells: pd.DataFrame, dims: tuple[str, ...], base_days: int,
              current_days: int) -> Decomposition:
    """Split the KPI's change over the segments of ``dims`` (cells from
    :func:`opsnb.diagnostics.kpis.window_cells`)."""
    from opsnb.diagnostics.kpis import CELL_COLUMNS, value_of

    keys = list(dims)
    cols = list(CELL_COLUMNS)
    is_base = (cells["w"] == "base").to_numpy()
    values = cells[cols].to_numpy(float)
    if keys:  # align the two windows' segments with numpy (pandas' index machinery is slow)
        parts = [cells[k].astype(str).to_numpy(dtype=object) for k in keys]
        joined = parts[0] if len(parts) == 1 else np.array(
            ["\x1f".join(x) for x in zip(*parts)], dtype=object)
        uniq, inv = np.unique(joined, return_inverse=True)
        s0, s1 = np.zeros((len(uniq), len(cols))), np.zeros((len(uniq), len(cols)))
        np.add.at(s0, inv[is_base], values[is_base])
        np.add.at(s1, inv[~is_base], values[~is_base])
        first = np.zeros(len(uniq), dtype=int)
        first[inv[::-1]] = np.arange(len(inv))[::-1]  # a row of each segment, for its labels
        out = pd.DataFrame({k: p_[first] for k, p_ in zip(keys, parts)})
    else:
        s0 = values[is_base].sum(axis=0, keepdims=True)
        s1 = values[~is_base].sum(axis=0, keepdims=True)
        out = pd.DataFrame(index=[0])
    c0 = {c: s0[:, i] for i, c in enumerate(cols)}
    c1 = {c: s1[:, i] for i, c in enumerate(cols)}
    v0 = float(value_of(kpi, {c: v.sum() for c, v in c0.items()}, base_days))
    v1 = float(value_of(kpi, {c: v.sum() for c, v in c1.items()}, current_days))
    if not np.isfinite(v0) or v0 == 0:
        raise DataError(f"{kpi.label} is {'undefined' if not np.isfinite(v0) else 0} in the "
                        "comparison window, so its change cannot be split",
                        table="events", fix="choose compare_start and compare_end where the KPI "
                        "is above zero, or another kpi")
    if not np.isfinite(v1):
        raise DataError(f"{kpi.label} is undefined in the current window (nothing to divide by)",
                        table="events", fix="choose start_date and end_date where the KPI's "
                        "denominator is above zero")
    factors = kpi.factors
    if not factors:  # new users: contributions only
        p0 = c0["signups"] / base_days
        p1 = c1["signups"] / current_days
        out["base"], out["current"] = p0, p1
        out["contribution"] = p1 - p0
        out["label"] = "volume"
        return Decomposition(dims, v0, v1, out.reset_index(drop=True),
                             {"volume": float((p1 - p0).sum())})
    f0, f1 = _factors(kpi, c0, base_days), _factors(kpi, c1, current_days)
    for i in range(len(factors)):
        f0[i], f1[i] = _fill(f0[i], f1[i])
    coef = das_gupta_coefficients(f0, f1)
    eff = coef * (f1 - f0)
    k = factors.index("mix")
    wbar = (f0[k] + f1[k]) / 2
    hbar = float((wbar * coef[k]).sum() / wbar.sum()) if wbar.sum() else 0.0
    eff[k] = (f1[k] - f0[k]) * (coef[k] - hbar)  # centred: same total, since sum(dw) = 0
    rate = sum(eff[i] for i, f in enumerate(factors) if f in RATE_FACTORS)
    out = pd.concat([out, pd.DataFrame({
        "base": f0.prod(axis=0), "current": f1.prod(axis=0),
        **{name: eff[i] for i, name in enumerate(factors)},
        "contribution": eff.sum(axis=0),
        "label": np.where(np.abs(rate) >= np.abs(eff[k]), "rate", "mix")}, index=out.index)],
        axis=1)
    effects = {name: float(eff[i].sum()) for i, name in enumerate(factors)}
    return Decomposition(dims, v0, v1, out.reset_index(drop=True), effects)
