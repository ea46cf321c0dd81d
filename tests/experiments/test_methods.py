"""CUPED, SRM, multiplicity, sequential, Bayesian, power and segment heterogeneity."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate
from scipy import stats as st
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower

from opsnb.errors import DataError
from opsnb.experiments import bayes, cuped, multiplicity, power, sequential, srm
from opsnb.experiments.aggregates import Moments
from opsnb.experiments.segments import cochran_q
from opsnb.experiments.stats import mean_effect, proportion_effect


# --------------------------------------------------------------------------- CUPED
def test_cuped_variance_falls_by_rho_squared_and_stays_unbiased():
    rng = np.random.default_rng(5)
    sims, n, rho, effect = 2000, 1000, 0.6, 0.1
    def arm(shift):  # noqa: E306
        x = rng.standard_normal((sims, n))
        y = rho * x + np.sqrt(1 - rho ** 2) * rng.standard_normal((sims, n)) + shift
        return Moments.from_values(y, x)
    c, t = arm(0.0), arm(effect)
    e = cuped.cuped_effect(c, t)
    plain = mean_effect(c, t)
    assert np.mean(e.variance_reduction) == pytest.approx(rho ** 2, abs=0.01)
    # the realised spread of the estimates shrinks by rho^2 too
    assert 1 - np.var(e.abs_effect) / np.var(plain.abs_effect) == pytest.approx(rho ** 2, abs=0.05)
    # unbiased: the mean estimate is within 3 standard errors of the true effect
    assert abs(np.mean(e.abs_effect) - effect) < 3 * np.std(e.abs_effect) / np.sqrt(sims)
    # and its intervals keep their coverage
    assert abs(np.mean((e.abs_lo <= effect) & (effect <= e.abs_hi)) - 0.95) < 0.015


def test_cuped_theta_by_hand_and_balance():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    x = np.array([1.0, 1.0, 2.0, 2.0])
    c = Moments.from_values(y, x)
    t = Moments.from_values(y + 1, x)
    # within-arm cov(x, y) = 2/3, var(x) = 1/3 in both arms -> theta = 2
    assert float(cuped.theta(c, t)) == pytest.approx(2.0)
    e = cuped.cuped_effect(c, t)
    assert e.abs_effect == pytest.approx(1.0)
    b = cuped.balance(c, t)
    assert b.ok and b.p_value == pytest.approx(1.0)


# --------------------------------------------------------------------------- SRM
def test_srm_matches_scipy_chisquare():
    res = srm.srm_test({"control": 1650, "treatment": 1413}, {"control": 0.5, "treatment": 0.5})
    exp = np.array([3063 / 2, 3063 / 2])
    chi2 = ((np.array([1650, 1413]) - exp) ** 2 / exp).sum()
    assert res.chi2 == pytest.approx(chi2, abs=1e-12)
    assert res.p_value == pytest.approx(st.chi2.sf(chi2, 1), abs=1e-12)
    ref = st.chisquare([1650, 1413])
    assert res.p_value == pytest.approx(ref.pvalue, abs=1e-12)
    assert res.flagged
    three = srm.srm_test({"a": 784, "b": 780, "c": 848}, srm.parse_split("", ["a", "b", "c"]))
    assert three.p_value == pytest.approx(st.chisquare([784, 780, 848]).pvalue, abs=1e-12)
    assert not three.flagged
    uneven = srm.parse_split("control:0.2, treatment:0.8", ["control", "treatment"])
    assert uneven == {"control": 0.2, "treatment": 0.8}
    with pytest.raises(DataError, match="traffic_split"):
        srm.parse_split("control:half", ["control"])


# --------------------------------------------------------------------------- multiplicity
@pytest.mark.parametrize("ours,theirs", [("holm", "holm"), ("bh", "fdr_bh")])
def test_adjusted_p_values_equal_statsmodels(ours, theirs):
    p = np.random.default_rng(1).uniform(0, 0.2, 17)
    p[3] = p[5]  # ties
    np.testing.assert_allclose(multiplicity.adjust(p, ours), multipletests(p, method=theirs)[1],
                               rtol=0, atol=1e-15)


# --------------------------------------------------------------------------- sequential
def test_confidence_sequence_holds_the_error_rate_under_daily_peeking():
    """2,000 A/A tests looked at every day for 28 days."""
    rng = np.random.default_rng(11)
    sims, days, per_day, p = 2000, 28, 100, 0.1
    cc = rng.binomial(per_day, p, (sims, days)).cumsum(1).astype(float)
    ct = rng.binomial(per_day, p, (sims, days)).cumsum(1).astype(float)
    n = per_day * np.arange(1, days + 1, dtype=float)
    e = proportion_effect(Moments(n, cc, cc), Moments(n, ct, ct))
    naive_fp = (e.p_value < 0.05).any(axis=1).mean()
    var = e.se ** 2
    lo, hi = sequential.confidence_sequence(e.abs_effect, var, 0.05, var[:, -1:])
    seq_fp = ((lo > 0) | (hi < 0)).any(axis=1).mean()
    assert naive_fp > 0.15          # peeking at the fixed-horizon test inflates the error rate
    assert seq_fp <= 0.05           # the always-valid sequence keeps it
    # the always-valid p-value agrees with the sequence
    p_av = sequential.always_valid_p(e.abs_effect, var, var[:, -1:])
    assert ((p_av < 0.05).any(axis=1) == ((lo > 0) | (hi < 0)).any(axis=1)).mean() > 0.99


def test_confidence_sequence_formula_by_hand():
    lo, hi = sequential.confidence_sequence(np.array([0.1]), np.array([0.01]), 0.05, 0.01)
    half = np.sqrt(0.01 * 0.02 / 0.01 * (2 * np.log(20) + np.log(2)))
    assert hi[0] - 0.1 == pytest.approx(half)
    assert 0.1 - lo[0] == pytest.approx(half)


# --------------------------------------------------------------------------- Bayesian
def test_posterior_chance_to_win_and_expected_loss_by_integration():
    post = bayes.posterior_from_log(0.05, 0.04, prior_sd=0.3)
    prec = 1 / 0.04 ** 2 + 1 / 0.3 ** 2
    m, sd = 0.05 / 0.04 ** 2 / prec, prec ** -0.5
    assert post.mean == pytest.approx(m) and post.sd == pytest.approx(sd)
    assert post.chance_to_win == pytest.approx(st.norm.sf(0, m, sd))
    loss, _ = integrate.quad(lambda d: max(0.0, 1 - np.exp(d)) * st.norm.pdf(d, m, sd), m - 10 * sd,
                             m + 10 * sd, points=[0.0])
    assert post.expected_loss == pytest.approx(loss, abs=1e-10)
    low = bayes.posterior_from_log(0.05, 0.04, prior_sd=0.3, higher_is_better=False)
    loss_low, _ = integrate.quad(lambda d: max(0.0, np.exp(d) - 1) * st.norm.pdf(d, m, sd),
                                 m - 10 * sd, m + 10 * sd, points=[0.0])
    assert low.expected_loss == pytest.approx(loss_low, abs=1e-10)
    assert low.chance_to_win == pytest.approx(1 - post.chance_to_win)


def test_posterior_from_effect_uses_the_log_delta_se():
    e = proportion_effect(Moments(1000, 300, 300), Moments(1000, 330, 330))
    post = bayes.posterior(e, prior_sd=1e6)  # a flat prior: posterior = likelihood
    assert post.mean == pytest.approx(np.log(1.1))
    assert post.sd == pytest.approx(e.se_log_ratio)


# --------------------------------------------------------------------------- power
@pytest.mark.parametrize("d,sd,ratio,alt", [(0.02, 0.5, 1.0, "two-sided"), (5.0, 120.0, 1.5, "two-sided"),
                                             (0.01, 0.3, 1.0, "larger")])
def test_sample_size_equals_statsmodels(d, sd, ratio, alt):
    ours = power.sample_size(d, sd, 0.05, 0.8, ratio, "two-sided" if alt == "two-sided" else "greater")
    ref = NormalIndPower().solve_power(effect_size=d / sd, alpha=0.05, power=0.8, ratio=ratio,
                                       alternative=alt)
    assert ours == pytest.approx(ref, rel=1e-5)
    assert np.ceil(ours) == np.ceil(ref)
    # and the MDE of that sample is the effect again
    assert power.mde(ours, ours * ratio, sd, 0.05, 0.8, "two-sided" if alt == "two-sided"
                     else "greater") == pytest.approx(d, rel=1e-12)


def test_plan_takes_cuped_variance_reduction_into_account():
    p = power.plan("m", "t vs c", 0.4, 0.49, 1000, 1000, 14, 0.05, variance_reduction=0.3)
    assert p.needed_per_arm == pytest.approx(0.7 * p.needed_per_arm_plain)
    assert p.achieved_mde == pytest.approx(np.sqrt(0.7) * p.achieved_mde_plain)
    assert not p.powered


# --------------------------------------------------------------------------- segments
def test_cochran_q_equals_statsmodels():
    d = np.array([0.02, 0.05, -0.01, 0.03])
    se = np.array([0.01, 0.02, 0.015, 0.012])
    q, p = cochran_q(d, se)
    ref = combine_effects(d, se ** 2)
    assert q == pytest.approx(ref.q, rel=1e-12)
    assert p == pytest.approx(st.chi2.sf(ref.q, 3), rel=1e-12)
