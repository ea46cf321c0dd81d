"""Power and planning: sample size for a minimum detectable effect, and the MDE of a sample.

Normal approximation for a difference of means (proportions: σ² = p(1−p)):

    n_control = (z_{1−α/2} + z_{power})² · σ² · (1 + 1/k) / δ²,   n_treatment = k · n_control

with δ = MDE (relative) × control mean and k the treatment/control size ratio. It equals
``statsmodels.stats.power.NormalIndPower().solve_power(effect_size=δ/σ, ratio=k)`` up to the
negligible far tail. CUPED shrinks σ² by the variance reduction it achieved, (1 − r)·σ².
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as st

from opsnb.errors import ParameterError


def _z(alpha: float, power: float, alternative: str) -> float:
    if not 0 < power < 1:
        raise ParameterError(f"power={power} must lie between 0 and 1")
    za = st.norm.ppf(1 - alpha / 2) if alternative == "two-sided" else st.norm.ppf(1 - alpha)
    return za + st.norm.ppf(power)


def sample_size(mde_abs: float, sd: float, alpha: float = 0.05, power: float = 0.8,
                ratio: float = 1.0, alternative: str = "two-sided") -> float:
    """Users needed in control (unrounded) to detect an absolute difference ``mde_abs``."""
    if not mde_abs or not np.isfinite(mde_abs) or not sd > 0:
        raise ParameterError(f"sample size needs a non-zero effect and a positive sd "
                             f"(mde={mde_abs}, sd={sd})")
    return float((_z(alpha, power, alternative) * sd / mde_abs) ** 2 * (1 + 1 / ratio))


def mde(n_control: float, n_treatment: float, sd: float, alpha: float = 0.05, power: float = 0.8,
        alternative: str = "two-sided") -> float:
    """The absolute difference detectable with the given sample (power ``power``)."""
    return float(_z(alpha, power, alternative) * sd * np.sqrt(1 / n_control + 1 / n_treatment))


@dataclass(frozen=True)
class Plan:
    """Was the comparison powered for the effect it looked for?"""

    metric: str
    comparison: str
    target_mde: float          # relative
    n_control: float
    n_treatment: float
    needed_per_arm: float      # control users for the target, with CUPED's reduction if any
    needed_per_arm_plain: float
    achieved_mde: float        # relative MDE of the sample, with CUPED
    achieved_mde_plain: float
    days: int
    users_per_day: float
    days_needed: float
    mde_by_weeks: dict

    @property
    def powered(self) -> bool:
        return self.n_control >= self.needed_per_arm

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["powered"] = self.powered
        return d


def plan(metric: str, comparison: str, mean_control: float, sd: float, n_control: float,
         n_treatment: float, days: int, target_mde: float, alpha: float = 0.05,
         power: float = 0.8, variance_reduction: float = 0.0,
         alternative: str = "two-sided", weeks=(1, 2, 3, 4, 6, 8)) -> Plan:
    """Sample size for ``target_mde`` (relative) and the MDE reached, plain and with CUPED."""
    if not target_mde > 0:
        raise ParameterError(f"mde={target_mde} must be a positive relative effect, e.g. 0.05")
    ratio = n_treatment / n_control
    r = float(np.clip(variance_reduction or 0.0, 0.0, 0.99))
    sd_c = sd * np.sqrt(1 - r)
    delta = target_mde * mean_control
    need_plain = sample_size(delta, sd, alpha, power, ratio, alternative)
    need = sample_size(delta, sd_c, alpha, power, ratio, alternative)
    per_day = (n_control + n_treatment) / max(days, 1)
    share_c = n_control / (n_control + n_treatment)
    by_weeks = {}
    for w in weeks:
        n = per_day * 7 * w
        by_weeks[f"{w} weeks"] = mde(n * share_c, n * (1 - share_c), sd_c, alpha, power,
                                     alternative) / mean_control
    return Plan(metric, comparison, target_mde, n_control, n_treatment, need, need_plain,
                mde(n_control, n_treatment, sd_c, alpha, power, alternative) / mean_control,
                mde(n_control, n_treatment, sd, alpha, power, alternative) / mean_control,
                days, per_day, need / (per_day * share_c) if per_day else np.inf, by_weeks)
