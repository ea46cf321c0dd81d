"""opsnb.experiments.stats / aggregates: checked against scipy, statsmodels and hand computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st
from statsmodels.stats import proportion as smp

from opsnb.errors import DataError, ParameterError
from opsnb.experiments.aggregates import Moments
from opsnb.experiments.stats import (mean_effect, non_inferiority_p, proportion_effect,
                                     quantile_effect, ratio_effect, ratio_variance)


@pytest.fixture
def two_samples():
    rng = np.random.default_rng(7)
    return rng.lognormal(1.0, 0.8, 400), rng.lognormal(1.1, 0.9, 350)


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_welch_matches_scipy(two_samples, alternative):
    c, t = two_samples
    e = mean_effect(Moments.from_values(c), Moments.from_values(t), alpha=0.05,
                    alternative=alternative)
    ref = st.ttest_ind(t, c, equal_var=False, alternative=alternative)
    ci = ref.confidence_interval(0.95)
    assert e.abs_effect == pytest.approx(t.mean() - c.mean(), abs=1e-9)
    assert e.p_value == pytest.approx(ref.pvalue, abs=1e-9)
    assert e.abs_lo == pytest.approx(ci.low, abs=1e-9)
    assert e.abs_hi == pytest.approx(ci.high, abs=1e-9)


def test_pre_aggregated_input_gives_the_same_result(two_samples):
    c, t = two_samples
    frame = pd.DataFrame([{"variant": "control", **Moments.from_values(c).to_dict()},
                          {"variant": "treatment", **Moments.from_values(t).to_dict()}])
    by = Moments.from_frame(frame)
    e1 = mean_effect(by["control"], by["treatment"])
    e2 = mean_effect(Moments.from_values(c), Moments.from_values(t))
    assert e1.p_value == pytest.approx(e2.p_value, abs=1e-12)
    with pytest.raises(DataError, match="sum_y2"):
        Moments.from_frame(frame.drop(columns="sum_y2"))


@pytest.mark.parametrize("alternative", ["two-sided", "larger", "smaller"])
def test_proportion_wald_matches_statsmodels(alternative):
    ct, nt, cc, nc = 532, 1700, 715, 1591
    ours = {"larger": "greater", "smaller": "less"}.get(alternative, alternative)
    e = proportion_effect(Moments(nc, cc, cc), Moments(nt, ct, ct), alternative=ours)
    ref = smp.test_proportions_2indep(ct, nt, cc, nc, method="wald", compare="diff",
                                  alternative=alternative)
    assert e.p_value == pytest.approx(ref.pvalue, abs=1e-9)
    assert e.abs_effect == pytest.approx(ct / nt - cc / nc, abs=1e-12)
    if alternative == "two-sided":
        lo, hi = smp.confint_proportions_2indep(ct, nt, cc, nc, method="wald", compare="diff")
        assert (e.abs_lo, e.abs_hi) == pytest.approx((lo, hi), abs=1e-9)


def test_delta_method_ratio_variance_by_hand():
    # orders (y) and sessions (x) of 4 users; R = 4/8 = 0.5
    y = np.array([1.0, 0.0, 2.0, 1.0])
    x = np.array([2.0, 1.0, 3.0, 2.0])
    m = Moments.from_values(y, x)
    # by hand: the linearised values (y - R x) / mean(x) = (0, -0.25, 0.25, 0) with mean(x) = 2
    # have sample variance 0.125/3, so Var(R) = (0.125/3) / 4
    assert ratio_variance(m) == pytest.approx(0.125 / 3 / 4, rel=1e-12)
    lin = (y - 0.5 * x) / x.mean()
    assert ratio_variance(m) == pytest.approx(lin.var(ddof=1) / len(y), rel=1e-12)


def test_delta_method_ratio_aa_coverage_and_false_positives():
    """2,000 simulated A/A tests: 95 % intervals cover, 5 % false positives (±1.5 points)."""
    rng = np.random.default_rng(2024)
    sims, n = 2000, 400
    def arm():  # noqa: E306
        x = rng.poisson(3.0, (sims, n)) + 1.0                 # sessions per user
        p = rng.beta(2, 10, (sims, n))                        # heterogeneous order propensity
        return Moments.from_values(rng.binomial(x.astype(int), p).astype(float), x)
    c, t = arm(), arm()
    e = ratio_effect(c, t, alpha=0.05)
    covered = (e.abs_lo <= 0) & (e.abs_hi >= 0)
    assert abs(covered.mean() - 0.95) < 0.015
    assert abs((e.p_value < 0.05).mean() - 0.05) < 0.015
    # the per-arm ratio interval covers the true ratio E[p] = 2/12
    r = c.sum_y / c.sum_x
    half = 1.959964 * np.sqrt(ratio_variance(c))
    assert abs(((r - half <= 2 / 12) & (2 / 12 <= r + half)).mean() - 0.95) < 0.015
    # relative interval (delta method on log ratio) covers 0 as often
    assert abs(((e.rel_lo <= 0) & (e.rel_hi >= 0)).mean() - 0.95) < 0.015


def test_relative_interval_matches_log_delta_by_hand():
    c, t = Moments(1000, 300, 300), Moments(1000, 360, 360)
    e = proportion_effect(c, t)
    se = np.sqrt(0.36 * 0.64 / 1000 / 0.36 ** 2 + 0.3 * 0.7 / 1000 / 0.3 ** 2)
    assert e.rel_effect == pytest.approx(0.2, abs=1e-12)
    assert e.rel_lo == pytest.approx(1.2 * np.exp(-st.norm.ppf(0.975) * se) - 1, abs=1e-12)
    assert e.rel_hi == pytest.approx(1.2 * np.exp(st.norm.ppf(0.975) * se) - 1, abs=1e-12)
    # non-inferiority with a 10 % margin: z = (log 1.2 - log 0.9) / se
    assert non_inferiority_p(e, 0.10) == pytest.approx(st.norm.sf((np.log(1.2) - np.log(0.9)) / se))


def test_quantile_bootstrap_is_seeded_and_sensible():
    rng = np.random.default_rng(3)
    c, t = rng.lognormal(4, 0.5, 600), rng.lognormal(4, 0.5, 600) * 1.3
    e1 = quantile_effect(c, t, 0.5, seed=11)
    e2 = quantile_effect(c, t, 0.5, seed=11)
    assert e1 == e2
    assert e1.abs_effect == pytest.approx(np.median(t) - np.median(c))
    assert e1.rel_lo < 0.3 < e1.rel_hi and e1.rel_lo > 0   # the planted +30 % is found
    assert e1.p_value < 0.001


def test_zero_variance_and_bad_parameters_raise_clear_errors():
    same = Moments(100, 100, 100)
    with pytest.raises(DataError, match="zero variance"):
        proportion_effect(same, same)
    with pytest.raises(DataError, match="zero variance"):
        mean_effect(Moments(50, 0, 0), Moments(60, 0, 0))
    with pytest.raises(DataError, match="denominator is zero"):
        ratio_effect(Moments(10, 1, 1, 0, 0, 0), Moments(10, 1, 1, 5, 5, 1))
    with pytest.raises(ParameterError, match="alternative"):
        mean_effect(Moments(5, 1, 3), Moments(5, 2, 4), alternative="bigger")
