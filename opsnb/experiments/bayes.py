"""Bayesian view of a relative effect: posterior, chance to beat control, expected loss.

Model (normal approximation, stated on the report): the log of the ratio of the arm
means, log(T/C), is estimated by log(T̂/Ĉ) with the delta-method standard error s.
The prior on the true log-ratio δ is normal with mean 0 and sd ``prior_sd`` (0.3 by default:
lifts beyond about ±60 % are unlikely). The posterior is normal with precision
1/s² + 1/prior_sd² and mean (log(T̂/Ĉ)/s²) / precision.

* chance to beat control: P(δ > 0) (P(δ < 0) when lower is better);
* expected loss of shipping: E[max(0, −(e^δ − 1))], the relative loss if the treatment is in
  fact worse (closed form for a log-normal).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as st

DEFAULT_PRIOR_SD = 0.3


@dataclass(frozen=True)
class Posterior:
    metric: str
    control: str
    treatment: str
    mean: float          # posterior mean of log(T/C)
    sd: float            # posterior sd of log(T/C)
    prior_sd: float
    chance_to_win: float
    expected_loss: float  # relative, in units of the control mean

    def rel_interval(self, level: float = 0.95) -> tuple[float, float]:
        z = st.norm.ppf(0.5 + level / 2)
        return float(np.expm1(self.mean - z * self.sd)), float(np.expm1(self.mean + z * self.sd))

    @property
    def rel_mean(self) -> float:
        """Posterior mean of T/C − 1."""
        return float(np.expm1(self.mean + self.sd ** 2 / 2))

    def to_dict(self) -> dict:
        lo, hi = self.rel_interval()
        return {"metric": self.metric, "comparison": f"{self.treatment} vs {self.control}",
                "posterior_rel_mean": self.rel_mean, "credible_lo": lo, "credible_hi": hi,
                "chance_to_beat_control": self.chance_to_win, "expected_loss": self.expected_loss,
                "prior_sd_log": self.prior_sd}


def posterior(effect, prior_sd: float = DEFAULT_PRIOR_SD, higher_is_better: bool = True) -> Posterior:
    """The posterior of the relative effect from an :class:`~opsnb.experiments.stats.Effect`."""
    mc, mt = effect.mean_control, effect.mean_treatment
    if not (mc > 0 and mt > 0 and effect.rel_hi > effect.rel_lo):
        return Posterior(effect.metric, effect.control, effect.treatment, np.nan, np.nan, prior_sd,
                         np.nan, np.nan)
    est = np.log(mt / mc)
    # back out s from the two-sided delta-method interval on the log scale
    z = st.norm.ppf(1 - effect.alpha / 2) if effect.alternative == "two-sided" else st.norm.ppf(
        1 - effect.alpha)
    if effect.alternative == "less":
        s = (np.log1p(effect.rel_hi) - est) / z
    else:
        s = (est - np.log1p(effect.rel_lo)) / z
    return posterior_from_log(est, s, prior_sd, higher_is_better, effect.metric, effect.control,
                              effect.treatment)


def posterior_from_log(est, s, prior_sd: float = DEFAULT_PRIOR_SD, higher_is_better: bool = True,
                       metric: str = "metric", control: str = "control",
                       treatment: str = "treatment") -> Posterior:
    prec = 1 / s ** 2 + 1 / prior_sd ** 2
    m, sd = (est / s ** 2) / prec, np.sqrt(1 / prec)
    win = st.norm.sf(0, loc=m, scale=sd) if higher_is_better else st.norm.cdf(0, loc=m, scale=sd)
    return Posterior(metric, control, treatment, float(m), float(sd), prior_sd, float(win),
                     float(expected_loss(m, sd, higher_is_better)))


def expected_loss(m, sd, higher_is_better: bool = True):
    """Relative loss of shipping, for δ = log(T/C) ~ N(m, sd²).

    Higher is better: E[max(0, 1 − e^δ)]; lower is better: E[max(0, e^δ − 1)].
    """
    if higher_is_better:
        return st.norm.cdf(-m / sd) - np.exp(m + sd ** 2 / 2) * st.norm.cdf(-m / sd - sd)
    return np.exp(m + sd ** 2 / 2) * st.norm.cdf(m / sd + sd) - st.norm.cdf(m / sd)
