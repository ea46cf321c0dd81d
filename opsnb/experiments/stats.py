"""Effects with intervals and p-values, computed from per-variant moments.

Methods (stated on every report):

* **mean per user** — Welch's t test (unequal variances, Welch–Satterthwaite degrees of
  freedom); equals ``scipy.stats.ttest_ind(equal_var=False)``.
* **proportion** — Wald z test with the unpooled variance p(1-p)/n per arm, for the p-value
  and the interval alike (``statsmodels`` ``test_proportions_2indep`` /
  ``confint_proportions_2indep`` with ``method="wald"``).
* **ratio of sums** — delta method: Var(Ȳ/X̄) ≈ (s²_y − 2R·s_xy + R²·s²_x) / (n·X̄²), z test.
* **quantile** — percentile bootstrap of the difference and the ratio; p-value from a z test
  with the bootstrap standard error.
* **relative effect** (T/C − 1) — delta method on log(T/C):
  se = √(Var(T̂)/T̂² + Var(Ĉ)/Ĉ²), interval exp(log(T̂/Ĉ) ± z·se) − 1.

All functions accept numpy arrays in the moments (vectorised simulation).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as st

from opsnb.errors import DataError, ParameterError
from opsnb.experiments.aggregates import Moments

ALTERNATIVES = ("two-sided", "greater", "less")
METHODS = {
    "mean": "Welch t test",
    "proportion": "Wald z test (unpooled variance)",
    "ratio": "delta method z test",
    "quantile": "percentile bootstrap",
}
RELATIVE_METHOD = "delta method on log(T/C)"


@dataclass(frozen=True)
class Effect:
    """One comparison (treatment against control) of one metric."""

    metric: str
    control: str
    treatment: str
    method: str
    n_control: float
    n_treatment: float
    mean_control: float
    mean_treatment: float
    abs_effect: float
    abs_lo: float
    abs_hi: float
    rel_effect: float
    rel_lo: float
    rel_hi: float
    p_value: float
    se: float
    alpha: float
    alternative: str = "two-sided"
    p_adjusted: float | None = None
    cuped: bool = False
    variance_reduction: float | None = None
    se_log_ratio: float = float("nan")  # delta-method se of log(T/C), for relative tests

    @property
    def comparison(self) -> str:
        return f"{self.treatment} vs {self.control}"

    @property
    def significant(self) -> bool:
        p = self.p_adjusted if self.p_adjusted is not None else self.p_value
        return bool(p < self.alpha)

    def with_(self, **kw) -> Effect:
        return dataclasses.replace(self, **kw)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def check_alternative(alternative: str) -> str:
    if alternative not in ALTERNATIVES:
        raise ParameterError(f"alternative={alternative!r}; use one of {', '.join(ALTERNATIVES)}")
    return alternative


def _check_alpha(alpha: float) -> float:
    if not 0 < alpha < 0.5:
        raise ParameterError(f"alpha={alpha} must lie between 0 and 0.5")
    return alpha


def _p_and_bounds(est, se, alpha, alternative, dist=None):
    """p-value of est/se and the (1-alpha) interval under a t (dist) or normal distribution."""
    d = dist if dist is not None else st.norm
    with np.errstate(divide="ignore", invalid="ignore"):
        z = est / se
    if alternative == "two-sided":
        p = 2 * d.sf(np.abs(z))
        q = d.ppf(1 - alpha / 2)
        return p, est - q * se, est + q * se
    q = d.ppf(1 - alpha)
    if alternative == "greater":
        return d.sf(z), est - q * se, np.full_like(np.asarray(est, float), np.inf)
    return d.cdf(z), np.full_like(np.asarray(est, float), -np.inf), est + q * se


def relative_interval(mean_c, var_mean_c, mean_t, var_mean_t, alpha: float,
                      alternative: str = "two-sided"):
    """T/C − 1 and its interval by the delta method on log(T/C) (nan when a mean is <= 0)."""
    mean_c, mean_t = np.asarray(mean_c, float), np.asarray(mean_t, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (mean_c > 0) & (mean_t > 0)
        log_ratio = np.where(ok, np.log(np.where(ok, mean_t / mean_c, 1.0)), np.nan)
        se = np.sqrt(var_mean_t / mean_t ** 2 + var_mean_c / mean_c ** 2)
    _, lo, hi = _p_and_bounds(log_ratio, se, alpha, alternative)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.expm1(log_ratio), np.expm1(lo), np.expm1(hi)


def _zero_variance(se, metric: str, control: str, treatment: str) -> None:
    if np.ndim(se) == 0 and not (float(se) > 0):
        raise DataError(
            f"metric {metric!r}: {treatment} vs {control} has zero variance (every user has the "
            "same value in both arms), so no test is possible",
            table="events", column="event",
            fix="check that the metric's event occurs in this experiment and that the analysis "
                "window covers the time after assignment",
        )


def _effect(metric, control, treatment, method, c_n, t_n, mc, mt, vmc, vmt, alpha, alternative,
            dist=None) -> Effect:
    est = mt - mc
    se = np.sqrt(vmc + vmt)
    _zero_variance(se, metric, control, treatment)
    p, lo, hi = _p_and_bounds(est, se, alpha, alternative, dist)
    rel, rlo, rhi = relative_interval(mc, vmc, mt, vmt, alpha, alternative)
    with np.errstate(divide="ignore", invalid="ignore"):
        se_log = np.sqrt(vmt / mt ** 2 + vmc / mc ** 2)
    return Effect(metric, control, treatment, method, _f(c_n), _f(t_n), _f(mc), _f(mt), _f(est),
                  _f(lo), _f(hi), _f(rel), _f(rlo), _f(rhi), _f(p), _f(se), alpha, alternative,
                  se_log_ratio=_f(se_log))


def _f(x):
    return float(x) if np.ndim(x) == 0 else np.asarray(x, float)


def welch_from_summary(n_c, mean_c, var_c, n_t, mean_t, var_t, alpha: float = 0.05,
                       alternative: str = "two-sided", metric: str = "metric",
                       control: str = "control", treatment: str = "treatment",
                       method: str = METHODS["mean"]) -> Effect:
    """Welch's t test from n, mean and sample variance (ddof=1) per arm."""
    _check_alpha(alpha), check_alternative(alternative)
    vmc, vmt = var_c / n_c, var_t / n_t
    with np.errstate(divide="ignore", invalid="ignore"):
        df = (vmc + vmt) ** 2 / (vmc ** 2 / (n_c - 1) + vmt ** 2 / (n_t - 1))
    dist = st.t(np.where(np.isfinite(df), df, 1.0))
    return _effect(metric, control, treatment, method, n_c, n_t, mean_c, mean_t,
                   vmc, vmt, alpha, alternative, dist)


def mean_effect(c: Moments, t: Moments, alpha: float = 0.05, alternative: str = "two-sided",
                metric: str = "metric", control: str = "control",
                treatment: str = "treatment") -> Effect:
    """Welch's t test on the per-user means."""
    return welch_from_summary(c.n, c.mean_y, c.var_y, t.n, t.mean_y, t.var_y, alpha, alternative,
                              metric, control, treatment)


def proportion_effect(c: Moments, t: Moments, alpha: float = 0.05, alternative: str = "two-sided",
                      metric: str = "metric", control: str = "control",
                      treatment: str = "treatment") -> Effect:
    """Wald z test of two proportions, unpooled variance p(1-p)/n (y must be 0/1)."""
    _check_alpha(alpha), check_alternative(alternative)
    pc, pt = c.mean_y, t.mean_y
    return _effect(metric, control, treatment, METHODS["proportion"], c.n, t.n, pc, pt,
                   pc * (1 - pc) / c.n, pt * (1 - pt) / t.n, alpha, alternative)


def ratio_variance(m: Moments):
    """Delta-method variance of Σy/Σx for one variant."""
    r = m.sum_y / m.sum_x
    return (m.var_y - 2 * r * m.cov_xy + r * r * m.var_x) / (m.n * m.mean_x ** 2)


def ratio_effect(c: Moments, t: Moments, alpha: float = 0.05, alternative: str = "two-sided",
                 metric: str = "metric", control: str = "control",
                 treatment: str = "treatment") -> Effect:
    """Ratio of sums (Σy/Σx) per arm, difference and relative change by the delta method."""
    _check_alpha(alpha), check_alternative(alternative)
    for name, m in ((control, c), (treatment, t)):
        if np.ndim(m.sum_x) == 0 and not m.sum_x > 0:
            raise DataError(f"ratio metric {metric!r}: the denominator is zero in {name}",
                            table="events", column="event",
                            fix="check that the denominator event occurs after assignment")
    return _effect(metric, control, treatment, METHODS["ratio"], c.n, t.n,
                   c.sum_y / c.sum_x, t.sum_y / t.sum_x, ratio_variance(c), ratio_variance(t),
                   alpha, alternative)


def quantile_effect(y_c, y_t, q: float = 0.5, alpha: float = 0.05,
                    alternative: str = "two-sided", seed: int = 0, n_boot: int = 2000,
                    metric: str = "metric", control: str = "control",
                    treatment: str = "treatment") -> Effect:
    """Difference of the q-quantiles of two samples, by percentile bootstrap (seeded)."""
    _check_alpha(alpha), check_alternative(alternative)
    # sorted, so that the seeded bootstrap does not depend on the order the backend returned rows in
    y_c, y_t = np.sort(np.asarray(y_c, float)), np.sort(np.asarray(y_t, float))
    for name, y in ((control, y_c), (treatment, y_t)):
        if len(y) < 2:
            raise DataError(f"quantile metric {metric!r}: {len(y)} users with a value in {name}; "
                            "a bootstrap needs at least 2", table="events", column="event",
                            fix="use a longer window or a more frequent event")
    rng = np.random.default_rng(seed)
    bc = np.quantile(y_c[rng.integers(0, len(y_c), (n_boot, len(y_c)))], q, axis=1)
    bt = np.quantile(y_t[rng.integers(0, len(y_t), (n_boot, len(y_t)))], q, axis=1)
    qc, qt = float(np.quantile(y_c, q)), float(np.quantile(y_t, q))
    diff, rel = bt - bc, bt / bc - 1
    se = float(np.std(diff, ddof=1))
    _zero_variance(se, metric, control, treatment)
    p, _, _ = _p_and_bounds(qt - qc, se, alpha, alternative)
    if alternative == "two-sided":
        lo_q, hi_q = alpha / 2, 1 - alpha / 2
    else:
        lo_q, hi_q = (alpha, 1.0) if alternative == "greater" else (0.0, 1 - alpha)
    def bounds(b):  # noqa: E306
        lo = np.quantile(b, lo_q) if lo_q > 0 else -np.inf
        hi = np.quantile(b, hi_q) if hi_q < 1 else np.inf
        return float(lo), float(hi)
    (alo, ahi), (rlo, rhi) = bounds(diff), bounds(rel)
    with np.errstate(divide="ignore", invalid="ignore"):
        se_log = float(np.std(np.log(bt / bc), ddof=1))
    return Effect(metric, control, treatment, METHODS["quantile"], float(len(y_c)), float(len(y_t)),
                  qc, qt, qt - qc, alo, ahi, qt / qc - 1 if qc > 0 else np.nan, rlo, rhi, float(p),
                  se, alpha, alternative, se_log_ratio=se_log)


def non_inferiority_p(effect: Effect, margin: float, higher_is_better: bool = True) -> float:
    """One-sided p-value of H0 'the treatment is worse by the relative margin or more'.

    On the log scale: z = (log(T/C) − log(1 − margin)) / se when higher is better,
    z = (log(1 + margin) − log(T/C)) / se when lower is better; p = P(Z > z).
    """
    if not (effect.mean_control > 0 and effect.mean_treatment > 0 and effect.se_log_ratio > 0):
        return float("nan")
    lr = np.log(effect.mean_treatment / effect.mean_control)
    z = (lr - np.log1p(-margin)) if higher_is_better else (np.log1p(margin) - lr)
    return float(st.norm.sf(z / effect.se_log_ratio))


def compare(kind: str, c: Moments, t: Moments, **kw) -> Effect:
    """The test for a metric kind (proportion, mean, ratio) on two variants' moments."""
    fn = {"proportion": proportion_effect, "mean": mean_effect, "ratio": ratio_effect}.get(kind)
    if fn is None:
        raise ParameterError(f"no moment-based test for kind {kind!r}")
    return fn(c, t, **kw)


def effects_frame(effects) -> pd.DataFrame:
    return pd.DataFrame([e.to_dict() for e in effects])
