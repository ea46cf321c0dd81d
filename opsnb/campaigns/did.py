"""Difference-in-differences on a unit x day panel, with an event study and a pre-trend test.

**Model.** Two-way fixed effects on unit-days: ``y_ut = a_u + b_t + tau * D_ut + e_ut`` with
``D_ut = 1`` for a treated unit on a campaign day. The panel is balanced, so the fixed effects are
removed exactly by double demeaning (within transform) and ``tau`` is one regression on the
transformed data (numerically the OLS with unit and day dummies, by Frisch-Waugh-Lovell).
Days after ``end`` are not used (``n_days_after``).

**Scale** (``scale``): ``"relative"`` (the default, the one the report should use) divides each
unit's values by its own pre-period mean, so units of any size count alike and ``tau`` is a
relative lift; the ATT in KPI units is ``tau x`` the treated units' mean pre-period level, and the
cumulative effect ``tau x days x`` the sum of their pre-period levels. ``"levels"`` fits the raw
KPI (``tau`` in KPI units per treated unit-day; relative = tau / treated mean pre-period level).

**Intervals of the ATT** (``att``, ``relative``, ``cumulative``; ``interval_method``).

* ``"cluster"`` (many treated units): cluster-robust by unit (CR1: ``G/(G-1) x (N-1)/(N-K)``
  with ``K`` the number of parameters of the dummy-variable model, as ``statsmodels``
  ``cov_type="cluster"``), t on ``G - 1`` degrees of freedom; ``p_value_cluster`` is its t-test.
  With few treated units (below about 5) these intervals are far too narrow whatever the
  correction (Conley & Taber 2011; 2 treated of 30: a 95 % interval misses a zero effect a
  quarter of the time, see ``benchmarks/bench_synth_calibration.py``): ``few_treated`` flags it.
* ``"permutation"`` (the default when ``few_treated``, ``interval="auto"``): the inversion of the
  randomisation test. The test gives the treatment to other sets of as many units (all of them
  when there are at most ``placebo_runs``, else ``placebo_runs`` sets drawn with ``seed``) and
  its p-value ``p_value_placebo`` is the share, real assignment included, of ``|tau|`` >= the
  real one; its smallest value is ``1 / (n_placebos + 1)``. The interval holds every effect
  ``delta`` (constant, on the fitted scale: a relative lift with ``scale="relative"``) that this
  test does not reject (p > alpha) once ``delta`` is taken off the treated units' campaign days.
  Every estimate is linear in the data, so each placebo's estimate moves with ``delta`` as
  ``tau_s - m_s delta`` (``m_s = <D~_real, D~_s> / <D~_s, D~_s>`` of the within-transformed
  assignment vectors; ``-1/(G-1)`` for one treated unit) while the real one moves as
  ``tau - delta``; the set where ``|tau_s - m_s delta| >= |tau - delta|`` is an interval
  ``[l_s, u_s]`` containing ``tau`` (roots of a quadratic), so the accepted set is an interval:
  ``lower`` = the ``r``-th smallest ``l_s``, ``upper`` = the ``r``-th largest ``u_s``, with
  ``r = floor(alpha (n_placebos + 1))``. It holds its level when the units are exchangeable
  (as the permutation test), whatever the number of treated units, and it excludes 0 exactly
  when ``p_value_placebo <= alpha``. When ``r = 0`` (fewer than ``1/alpha - 1`` placebo
  assignments: one treated unit needs 20 units in all at alpha 0.05) no effect can be rejected:
  the bounds are nan and ``interval_code = "too_few_placebos"``; with ``placebo_runs=0``,
  ``"no_placebos"``; a placebo set whose estimate moves with ``delta`` as fast as the real one
  (the complement of the treated set when they are half the units) makes a bound infinite:
  nan, ``"unbounded"``. Exchangeability is plausible on the relative scale; with
  ``scale="levels"`` and units of different sizes it is not (the big units dominate).
* ``p_value`` is the p-value that matches the interval: ``p_value_placebo`` with
  ``"permutation"``, ``p_value_cluster`` with ``"cluster"``. The event-study intervals and
  ``pretrend_p`` stay cluster-robust; with few treated units judge pre-trends by
  ``pretrend_p_placebo`` (the same randomisation, statistic the sum of squared leads).

**Event study**: one coefficient per period relative to the start (``period="W"``: weeks, day
``start`` opens week 0; ``"D"``: days), reference period -1. Leads before ``-leads`` are pooled in
one end-point bin (reported as ``rel_period = -(leads + 1)``, ``binned=True``). The pre-trend
test is the joint cluster-robust Wald test that every lead (bin included) is 0; the covariance
comes from G clusters, so the Wald statistic ``W`` is referred to Hotelling's T^2:
``F = W / q x (G - q) / (G - 1)`` on ``(q, G - q)`` degrees of freedom (``pretrend_df``,
``pretrend_df_denom``). With 9 leads and 30 units (10 treated) it still rejects a true null 10 %
of the time at 0.05 (23 % without the correction), and with 2 treated units nearly always;
the randomisation p-value ``pretrend_p_placebo`` holds its level in both (6.7 %, 5 %): the report
should judge pre-trends by it. Keep ``leads`` well below the number of units.

>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(1)
>>> days = pd.date_range("2026-03-01", periods=56, freq="D")
>>> panel = pd.DataFrame(rng.normal(100, 2, (56, 8)), index=days, columns=list("abcdefgh"))
>>> panel.loc["2026-04-12":, ["a", "b", "c"]] *= 1.2
>>> res = difference_in_differences(panel, ["a", "b", "c"], "2026-04-12", "2026-04-25")
>>> round(res.relative.value, 1), res.relative.excludes_zero, res.n_treated, res.n_control
(0.2, True, 3, 5)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from opsnb.campaigns.estimate import Estimate
from opsnb.campaigns.panel import check_panel
from opsnb.errors import ParameterError

PERIOD_DAYS = {"W": 7, "D": 1}
SCALES = ("relative", "levels")
FEW_TREATED = 5
INTERVALS = ("auto", "cluster", "permutation")


@dataclass(frozen=True)
class DiDResult:
    """ATT with its interval (cluster-robust or by test inversion), the event study and the
    pre-trend test."""

    att: Estimate                 # per treated unit-day, KPI units
    relative: Estimate            # att / treated mean pre-period level
    cumulative: Estimate          # over all treated units and campaign days, KPI units
    event_study: pd.DataFrame     # rel_period, coef, lower, upper, n_days, binned
    pretrend_p: float
    pretrend_stat: float          # F statistic
    pretrend_df: int              # number of leads tested (numerator df)
    pretrend_df_denom: int        # G - q
    p_value_placebo: float        # randomisation p-value of the ATT (|tau|)
    pretrend_p_placebo: float     # randomisation p-value of the leads (sum of squares)
    n_placebos: int               # placebo assignments used
    n_treated: int
    n_control: int
    n_days: int                   # campaign days
    n_pre: int
    n_days_after: int             # panel days after end, not used
    scale: str = "relative"
    period: str = "W"
    coef: float = math.nan        # tau on the fitted scale
    se: float = math.nan          # its cluster-robust standard error
    alpha: float = 0.05
    p_value_cluster: float = math.nan   # cluster-robust t-test of tau = 0 (G - 1 df)
    interval_method: str = "cluster"    # "cluster" | "permutation": how att/relative/cumulative
    interval_code: str = "ok"           # "ok" | "too_few_placebos" | "no_placebos" | "unbounded"

    @property
    def few_treated(self) -> bool:
        return self.n_treated < FEW_TREATED

    @property
    def p_value(self) -> float:
        """The p-value matching the interval: randomisation with ``"permutation"``, else the
        cluster-robust t-test."""
        return (self.p_value_placebo if self.interval_method == "permutation"
                else self.p_value_cluster)

    def to_dict(self) -> dict:
        return {"att": self.att.to_dict(), "relative": self.relative.to_dict(),
                "cumulative": self.cumulative.to_dict(), "pretrend_p": self.pretrend_p,
                "pretrend_stat": self.pretrend_stat, "pretrend_df": self.pretrend_df,
                "n_treated": self.n_treated, "n_control": self.n_control,
                "p_value_placebo": self.p_value_placebo,
                "pretrend_p_placebo": self.pretrend_p_placebo, "n_placebos": self.n_placebos,
                "n_days": self.n_days, "scale": self.scale, "few_treated": self.few_treated,
                "p_value": self.p_value, "p_value_cluster": self.p_value_cluster,
                "interval_method": self.interval_method, "interval_code": self.interval_code}

    @property
    def pretrend_p_shown(self) -> float:
        """The pre-trend p-value to show: the randomisation one with few treated units."""
        return self.pretrend_p_placebo if self.interval_method == "permutation" \
            else self.pretrend_p

    def plot_event_study(self, ax=None, lang: str = "en"):
        """Coefficients per relative period with their intervals; reference period -1 at 0."""
        from opsnb.report import style
        from opsnb.report.i18n import Translator
        tr = Translator(lang)
        if ax is None:
            _, ax = style.new_figure(height=3.6)
        es = self.event_study
        color = [style.OURS_COLOR if k >= 0 else style.PALETTE[0] for k in es["rel_period"]]
        err = np.vstack([es["coef"] - es["lower"], es["upper"] - es["coef"]])
        ax.errorbar(es["rel_period"], es["coef"], yerr=np.nan_to_num(err), fmt="none",
                    ecolor="#888888", lw=1)
        ax.scatter(es["rel_period"], es["coef"], c=color, zorder=3, s=18)
        ax.axhline(0, color="#555555", lw=0.6)
        ax.axvline(-0.5, color="#555555", lw=0.8, ls=":")
        if self.scale == "relative":
            style.percent_axis(ax)
        unit = tr("weeks") if self.period == "W" else tr("days")
        ax.set_xlabel(tr("{unit} relative to the campaign start", unit=unit))
        style.titled(ax, tr("Event study"),
                     tr("Difference between treated and control units per period, relative to "
                        "the period just before the campaign (-1), with {level} intervals; "
                        "the leftmost point pools all earlier periods. Pre-trend test p = {p}.",
                        level=f"{1 - self.alpha:.0%}", p=f"{self.pretrend_p_shown:.2f}"))
        return ax


def _within(A: np.ndarray) -> np.ndarray:
    """Remove unit and day effects from a days x units array (balanced panel)."""
    return A - A.mean(axis=0, keepdims=True) - A.mean(axis=1, keepdims=True) + A.mean()


def _cluster_fit(y: np.ndarray, X: np.ndarray, k_total: int):
    """OLS of within-transformed y (days x units) on X (days x units x p); CR1 by unit."""
    T, G, p = X.shape
    Xf = X.reshape(T * G, p)
    xtx = Xf.T @ Xf
    beta = np.linalg.solve(xtx, Xf.T @ y.reshape(-1))
    u = y - X @ beta                                  # days x units
    scores = np.einsum("tgp,tg->gp", X, u)            # one score per cluster (unit)
    inv = np.linalg.inv(xtx)
    n = T * G
    c = G / (G - 1) * (n - 1) / (n - k_total)
    V = c * inv @ (scores.T @ scores) @ inv
    return beta, V


def _placebo_sets(G: int, is_t: np.ndarray, runs: int, seed: int) -> np.ndarray:
    """0/1 rows (assignments x units) of ``k`` treated units, never the real set: all of them
    when there are at most ``runs``, else ``runs`` distinct ones drawn with ``seed``."""
    k = int(is_t.sum())
    real = frozenset(np.flatnonzero(is_t).tolist())
    if math.comb(G, k) - 1 <= runs:
        sets = [c for c in itertools.combinations(range(G), k) if frozenset(c) != real]
    else:
        rng = np.random.default_rng(seed)
        seen, sets = {real}, []
        while len(sets) < runs:
            c = frozenset(rng.choice(G, size=k, replace=False).tolist())
            if c not in seen:
                seen.add(c)
                sets.append(tuple(c))
    out = np.zeros((len(sets), G))
    for i, c in enumerate(sets):
        out[i, list(c)] = 1.0
    return out


def _placebo_pvalues(yw, is_t, n_pre, rel, periods, lead_ix, coef, b, runs, seed):
    """Randomisation p-values of |tau| and of the sum of squared leads, the placebo taus and
    their slopes ``m_s`` (how each moves when a constant is taken off the treated campaign days).

    A treated-unit x period dummy is the outer product of a day indicator ``a`` and the
    treated-unit indicator ``d``; its within transform is ``(a - mean a)(d - mean d)'``, so each
    assignment costs a few matrix-vector products.
    """
    if runs <= 0:
        return math.nan, math.nan, 0, np.empty(0), np.empty(0), None
    T, G = yw.shape
    sets = _placebo_sets(G, is_t, runs, seed)
    Dt = (sets - sets.mean(axis=1, keepdims=True)).T              # units x assignments
    yd = yw @ Dt                                                   # days x assignments
    dd = (Dt * Dt).sum(axis=0)
    post = (np.arange(T) >= n_pre).astype(float)
    a0 = post - post.mean()
    taus = (a0 @ yd) / (a0 @ a0) / dd
    real_t = is_t.astype(float) - is_t.mean()
    slopes = (real_t @ Dt) / dd
    p_att = float((1 + np.sum(np.abs(taus) >= abs(coef) * (1 - 1e-12))) / (len(sets) + 1))
    A = np.column_stack([(rel == k).astype(float) for k in periods])
    A = A - A.mean(axis=0)
    B = np.linalg.solve(A.T @ A, A.T @ yd) / dd                    # periods x assignments
    if not lead_ix:
        return p_att, math.nan, len(sets), taus, slopes, B
    ss = (B[lead_ix] ** 2).sum(axis=0)
    real = float((b[lead_ix] ** 2).sum())
    p_pre = float((1 + np.sum(ss >= real * (1 - 1e-12))) / (len(sets) + 1))
    return p_att, p_pre, len(sets), taus, slopes, B


def _placebo_event_bands(es: pd.DataFrame, periods: list[int], b: np.ndarray, B, alpha: float,
                         ok: bool) -> pd.DataFrame:
    """Event-study intervals for few treated units: each period's coefficient minus the
    (1 - alpha/2, alpha/2) quantiles of the placebo assignments' coefficients of that period (the
    placebos stand for the estimation error, as in Conley & Taber 2011); nan when the placebos
    are too few for the level (``ok`` False). Cluster-robust bands would be far too narrow."""
    es = es.copy()
    for i, k in enumerate(periods):
        row = es.index[es["rel_period"] == k]
        if ok and B is not None and B.shape[1]:
            q_lo, q_hi = np.quantile(B[i], [alpha / 2, 1 - alpha / 2])
            es.loc[row, ["lower", "upper"]] = [float(b[i] - q_hi), float(b[i] - q_lo)]
        else:
            es.loc[row, ["lower", "upper"]] = [math.nan, math.nan]
    return es


def _inverted_interval(coef: float, taus: np.ndarray, slopes: np.ndarray,
                       alpha: float) -> tuple[float, float, str]:
    """(lower, upper, code): the effects ``delta`` the randomisation test does not reject.

    Placebo ``s`` counts against ``delta`` when ``|taus_s - slopes_s delta| >= |coef - delta|``,
    i.e. ``A delta^2 + B delta + C >= 0`` with ``A = m^2 - 1 <= 0``: an interval ``[l_s, u_s]``
    around ``coef``. ``delta`` is kept while at least ``r = floor(alpha (n + 1))`` placebos count
    (p > alpha), so the bounds are the r-th smallest ``l_s`` and the r-th largest ``u_s``.
    """
    n = len(taus)
    r = int(math.floor(alpha * (n + 1) + 1e-9))
    if n == 0:
        return math.nan, math.nan, "no_placebos"
    if r == 0:
        return math.nan, math.nan, "too_few_placebos"
    A = slopes ** 2 - 1.0
    B = 2.0 * (coef - taus * slopes)
    C = taus ** 2 - coef ** 2
    lo = np.full(n, -np.inf)
    hi = np.full(n, np.inf)
    quad = A < -1e-12
    disc = np.maximum(B[quad] ** 2 - 4 * A[quad] * C[quad], 0.0)   # >= 0: coef satisfies it
    r1 = (-B[quad] + np.sqrt(disc)) / (2 * A[quad])
    r2 = (-B[quad] - np.sqrt(disc)) / (2 * A[quad])
    lo[quad], hi[quad] = np.minimum(r1, r2), np.maximum(r1, r2)
    lin = ~quad                                       # |m_s| = 1: B delta + C >= 0, a half-line
    scale = max(abs(coef), 1e-300)
    up = lin & (B > 1e-12 * scale)
    down = lin & (B < -1e-12 * scale)
    lo[up] = -C[up] / B[up]
    hi[down] = -C[down] / B[down]
    never = lin & ~up & ~down & (C < 0)               # B = 0: always or never counts
    lo[never], hi[never] = np.inf, -np.inf
    lower = float(np.sort(lo)[r - 1])
    upper = float(np.sort(hi)[::-1][r - 1])
    if not (math.isfinite(lower) and math.isfinite(upper)):
        return (lower if math.isfinite(lower) else math.nan,
                upper if math.isfinite(upper) else math.nan, "unbounded")
    return lower, upper, "ok"


def _check(panel, treated, start, end, alpha, period, scale):
    if period not in PERIOD_DAYS:
        raise ParameterError(f"period={period!r} is not supported; use 'W' or 'D'")
    if scale not in SCALES:
        raise ParameterError(f"scale={scale!r} is not supported; use 'relative' or 'levels'")
    treated, start, end, n_pre = check_panel(panel, treated, start, end, alpha,
                                             "difference-in-differences")
    if len(panel.columns) - len(set(treated)) < 1:
        raise ParameterError("treated: every unit is treated, difference-in-differences needs "
                             "at least one untreated unit; use the time-series method")
    return treated, start, end, n_pre


def difference_in_differences(panel: pd.DataFrame, treated: Sequence[str], start, end,
                              alpha: float = 0.05, period: str = "W", leads: int = 8,
                              scale: str = "relative", placebo_runs: int = 199,
                              seed: int = 0, interval: str = "auto") -> DiDResult:
    """Two-way fixed-effects DiD of ``treated`` against the other columns of ``panel``.

    ``interval``: ``"auto"`` (test inversion when fewer than 5 units are treated, else
    cluster-robust), ``"cluster"`` or ``"permutation"``. See the module docstring for the model,
    scale, intervals and event study.
    """
    treated, start, end, n_pre = _check(panel, treated, start, end, alpha, period, scale)
    if interval not in INTERVALS:
        raise ParameterError(f"interval={interval!r} is not supported; use 'auto', 'cluster' "
                             "or 'permutation'")
    if leads < 1:
        raise ParameterError(f"leads={leads} must be 1 or more, e.g. 8")
    if placebo_runs < 0:
        raise ParameterError(f"placebo_runs={placebo_runs} must be 0 or more, e.g. 199")
    used = panel.loc[:end]
    n_after = len(panel) - len(used)
    units = [str(c) for c in used.columns]
    Y = used.to_numpy(float)
    T, G = Y.shape
    L = T - n_pre
    pre_means = Y[:n_pre].mean(axis=0)
    is_t = np.array([u in treated for u in units])
    if scale == "relative":
        if np.any(pre_means <= 0):
            bad = [u for u, m in zip(units, pre_means) if m <= 0]
            raise ParameterError(f"units {', '.join(bad)} have no positive pre-period mean, so "
                                 "their values cannot be made relative; use scale='levels' or "
                                 "leave them out")
        Y = Y / pre_means
    level = float(pre_means[is_t].mean())
    yw = _within(Y)

    # ATT
    D = np.zeros((T, G))
    D[n_pre:, is_t] = 1.0
    beta, V = _cluster_fit(yw, _within(D)[:, :, None], k_total=G + T)
    coef, se = float(beta[0]), float(math.sqrt(V[0, 0]))
    q = stats.t.ppf(1 - alpha / 2, G - 1)
    p_cluster = float(2 * stats.t.sf(abs(coef) / se, G - 1)) if se > 0 else math.nan

    # event study
    P = PERIOD_DAYS[period]
    rel = np.floor((used.index - start).days.to_numpy() / P).astype(int)
    rel = np.maximum(rel, -(leads + 1))
    periods = [k for k in sorted(set(rel.tolist())) if k != -1]
    X = np.zeros((T, G, len(periods)))
    for i, k in enumerate(periods):
        X[rel == k, :, i] = is_t.astype(float)
        X[:, :, i] = _within(X[:, :, i])
    b, Ve = _cluster_fit(yw, X, k_total=G + T - 1 + len(periods))
    ses = np.sqrt(np.diag(Ve))
    rows = [(k, float(b[i]), float(b[i] - q * ses[i]), float(b[i] + q * ses[i]),
             int((rel == k).sum()), k == -(leads + 1)) for i, k in enumerate(periods)]
    rows.append((-1, 0.0, math.nan, math.nan, int((rel == -1).sum()), False))
    es = pd.DataFrame(rows, columns=["rel_period", "coef", "lower", "upper", "n_days", "binned"])
    es = es.sort_values("rel_period").reset_index(drop=True)

    lead_ix = [i for i, k in enumerate(periods) if k < -1]
    if lead_ix and G - len(lead_ix) >= 1:
        bl, Vl = b[lead_ix], Ve[np.ix_(lead_ix, lead_ix)]
        n_leads = len(lead_ix)
        wald = float(bl @ np.linalg.pinv(Vl) @ bl)
        f_stat = wald / n_leads * (G - n_leads) / (G - 1)          # Hotelling T^2 -> F
        p_pre = float(stats.f.sf(f_stat, n_leads, G - n_leads))
    else:
        n_leads, f_stat, p_pre = len(lead_ix), math.nan, math.nan

    # randomisation inference: the same estimates with the treatment given to other unit sets
    p_perm, p_pre_perm, n_perm, taus, slopes, B = _placebo_pvalues(
        yw, is_t, n_pre, rel, periods, lead_ix, coef, b, placebo_runs, seed)

    # the ATT's interval: cluster-robust with many treated units, else the inverted test
    method = interval if interval != "auto" else (
        "permutation" if is_t.sum() < FEW_TREATED else "cluster")
    if method == "permutation":
        lo, hi, code = _inverted_interval(coef, taus, slopes, alpha)
        es = _placebo_event_bands(es, periods, b, B, alpha, ok=code == "ok")
    else:
        lo, hi, code = coef - q * se, coef + q * se, "ok"
    tau = Estimate(coef, lo, hi, alpha)
    if scale == "relative":
        relative, att = tau, tau.scaled(level)
        cumulative = tau.scaled(L * float(pre_means[is_t].sum()))
    else:
        att, relative = tau, tau.scaled(1.0 / level)
        cumulative = tau.scaled(L * int(is_t.sum()))

    return DiDResult(att=att, relative=relative, cumulative=cumulative, event_study=es,
                     pretrend_p=p_pre, pretrend_stat=f_stat, pretrend_df=n_leads,
                     pretrend_df_denom=G - n_leads, p_value_placebo=p_perm,
                     pretrend_p_placebo=p_pre_perm, n_placebos=n_perm, n_treated=int(is_t.sum()),
                     n_control=int(G - is_t.sum()), n_days=L, n_pre=n_pre, n_days_after=n_after,
                     scale=scale, period=period, coef=coef, se=se, alpha=alpha,
                     p_value_cluster=p_cluster, interval_method=method, interval_code=code)
