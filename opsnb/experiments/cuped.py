"""CUPED: variance reduction with a pre-period covariate, and the pre-period balance check.

The covariate ``x`` of a metric is the same metric over the ``cuped_days`` before each
user's assignment (see :mod:`~opsnb.experiments.metrics`). For the two arms being compared,

* θ = Σ_arms (n−1)·cov(x, y) / Σ_arms (n−1)·var(x)  (pooled within-arm, so θ does not
  depend on the treatment);
* the adjusted mean of an arm is ȳ − θ·(x̄_arm − x̄_both), and its per-user variance
  var(y) − 2θ·cov(x, y) + θ²·var(x);
* the effect is Welch's t test on the adjusted arms. The variance reduction reported is
  1 − Var(adjusted effect) / Var(unadjusted effect); with one common correlation ρ it is ≈ ρ².

Randomisation makes the covariate balanced; the balance check is Welch's t test of x
between the arms, and a small p-value means the arms differed before the experiment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from opsnb.experiments.aggregates import Moments
from opsnb.experiments.stats import Effect, mean_effect, welch_from_summary

METHOD = "CUPED (pre-period covariate), Welch t test"
BALANCE_P = 0.001  # balance is flagged below this p-value


def theta(c: Moments, t: Moments):
    """The pooled within-arm regression coefficient of y on x."""
    num = (c.n - 1) * c.cov_xy + (t.n - 1) * t.cov_xy
    den = (c.n - 1) * c.var_x + (t.n - 1) * t.var_x
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)


def cuped_effect(c: Moments, t: Moments, alpha: float = 0.05, alternative: str = "two-sided",
                 metric: str = "metric", control: str = "control",
                 treatment: str = "treatment") -> Effect:
    """The CUPED-adjusted effect (with ``variance_reduction`` against the plain Welch test)."""
    th = theta(c, t)
    x_both = (c.sum_x + t.sum_x) / (c.n + t.n)
    mc = c.mean_y - th * (c.mean_x - x_both)
    mt = t.mean_y - th * (t.mean_x - x_both)
    vc = c.var_y - 2 * th * c.cov_xy + th * th * c.var_x
    vt = t.var_y - 2 * th * t.cov_xy + th * th * t.var_x
    eff = welch_from_summary(c.n, mc, vc, t.n, mt, vt, alpha, alternative, metric, control,
                             treatment, METHOD)
    plain = c.var_y / c.n + t.var_y / t.n
    reduction = 1 - (vc / c.n + vt / t.n) / plain
    return eff.with_(cuped=True, variance_reduction=float(reduction) if np.ndim(reduction) == 0
                     else reduction)


@dataclass(frozen=True)
class Balance:
    """Pre-period covariate by arm and the test that the arms did not differ before."""

    metric: str
    control: str
    treatment: str
    mean_control: float
    mean_treatment: float
    p_value: float
    threshold: float = BALANCE_P

    @property
    def ok(self) -> bool:
        return not self.p_value < self.threshold

    def to_dict(self) -> dict:
        return {"metric": self.metric, "comparison": f"{self.treatment} vs {self.control}",
                "pre_mean_control": self.mean_control, "pre_mean_treatment": self.mean_treatment,
                "p_value": self.p_value, "balanced": self.ok}


def balance(c: Moments, t: Moments, metric: str = "metric", control: str = "control",
            treatment: str = "treatment") -> Balance:
    """Welch's t test of the pre-period covariate between two arms."""
    xc = Moments(c.n, c.sum_x, c.sum_x2)
    xt = Moments(t.n, t.sum_x, t.sum_x2)
    if not (xc.var_y > 0 or xt.var_y > 0):
        return Balance(metric, control, treatment, float(xc.mean_y), float(xt.mean_y), 1.0)
    e = mean_effect(xc, xt, metric=metric, control=control, treatment=treatment)
    return Balance(metric, control, treatment, e.mean_control, e.mean_treatment, e.p_value)
