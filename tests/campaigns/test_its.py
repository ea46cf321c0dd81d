"""Interrupted time series: planted truth, statsmodels' own forecast, a closed form, coverage."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq
from scipy.stats import norm
from statsmodels.tsa.statespace.structural import UnobservedComponents

from opsnb.campaigns import its
from opsnb.campaigns.its import interrupted_time_series
from opsnb.errors import ParameterError
from opsnb.campaigns.simulate import ar1

WEEKLY = np.array([0.0, 20, 30, 25, 10, -40, -45])
H = 14




def simulated(seed, pre=56, lift=0.0, confounder=0.0):
    """Level 1000 + weekly pattern + AR(1) noise + 30 x a control; lift on the last H days."""
    rng = np.random.default_rng(seed)
    n = pre + H
    days = pd.date_range("2026-01-05", periods=n, freq="D")
    c = ar1(rng, n, 0.7, 1.0)
    c[pre:] += confounder                      # the control moves during the campaign
    y = 1000 + WEEKLY[days.day_of_week] + 30 * c + ar1(rng, n, 0.5, 15)
    y[pre:] *= 1 + lift
    planted = float(y[pre:].sum() - y[pre:].sum() / (1 + lift))
    return pd.Series(y, index=days), pd.DataFrame({"control": c}, index=days), planted


@pytest.fixture(scope="module")
def lifted():
    y, c, planted = simulated(11, lift=0.08)
    return interrupted_time_series(y, y.index[56], y.index[-1], controls=c, n_sims=1000), planted


def test_planted_lift_is_recovered(lifted):
    r, planted = lifted
    assert r.model == "local_level+weekly+controls" and r.controls_used == ("control",)
    assert r.pre_days == 56 and r.campaign_days == H and r.converged
    assert r.cumulative.contains(planted)
    assert r.cumulative.value == pytest.approx(planted, rel=0.3)
    assert r.p_value < 0.01 and r.probability > 0.99
    camp = r.days[r.days["period"] == "campaign"]
    # the reported effects are the days frame's sums
    assert r.cumulative.value == pytest.approx(camp["effect"].sum())
    assert r.relative.value == pytest.approx(camp["effect"].sum() / camp["expected"].sum())
    assert r.relative.contains(0.08 / 1.08)            # lift as a share of the counterfactual
    assert r.daily_effect.value == pytest.approx(r.cumulative.value / H)
    assert r.daily_effect.upper == pytest.approx(r.cumulative.upper / H)
    assert camp["cumulative_effect"].iloc[-1] == pytest.approx(r.cumulative.value)
    assert camp["cumulative_upper"].iloc[-1] == pytest.approx(r.cumulative.upper)
    assert (camp["lower"] < camp["expected"]).all() and (camp["expected"] < camp["upper"]).all()
    out = r.to_dict()
    json.dumps(out, allow_nan=False)
    assert out["cumulative"]["value"] == pytest.approx(r.cumulative.value)
    assert list(r.to_frame().index) == ["daily", "cumulative", "relative"]


def test_no_lift_is_not_significant():
    y, c, _ = simulated(11)
    r = interrupted_time_series(y, y.index[56], y.index[-1], controls=c, n_sims=1000)
    assert r.p_value > 0.1 and r.cumulative.contains(0.0)
    assert r.probability == pytest.approx(1 - r.p_value / 2)


def test_local_level_forecast_equals_statsmodels():
    rng = np.random.default_rng(3)
    n_pre, h = 20, 10                          # under 3 weeks: no weekly seasonality
    days = pd.date_range("2026-01-01", periods=n_pre + h + 5, freq="D")
    y = pd.Series(500 + np.cumsum(rng.normal(0, 5, len(days))) + rng.normal(0, 10, len(days)),
                  index=days)
    r = interrupted_time_series(y, days[n_pre], days[n_pre + h - 1], n_sims=4000, seed=5,
                                level_uncertainty=False)
    assert r.model == "local_level" and len(r.days) == n_pre + h       # rows after end ignored
    ref = UnobservedComponents(y.iloc[:n_pre].to_numpy(), level="llevel").fit(disp=False)
    fc = ref.get_forecast(h)
    camp = r.days.iloc[n_pre:]
    np.testing.assert_allclose(camp["expected"], fc.predicted_mean, rtol=1e-4)
    np.testing.assert_allclose(camp[["lower", "upper"]], fc.conf_int(alpha=0.05), rtol=1e-3)
    # the pre-period's one-step-ahead fit, after the burn-in
    burn = ref.loglikelihood_burn
    pred = np.asarray(ref.get_prediction().predicted_mean)
    fit = r.days.iloc[:n_pre]
    assert fit["expected"].iloc[:burn].isna().all()
    np.testing.assert_allclose(fit["expected"].iloc[burn:], pred[burn:], rtol=1e-3)
    obs = y.iloc[burn:n_pre].to_numpy()
    assert r.pre_mape == pytest.approx(np.mean(np.abs(obs - pred[burn:]) / obs), rel=1e-3)
    # the cumulative interval from simulated paths against the closed form of a local level:
    # sum y_{T+j} = h a_{T+1} + sum_i (h - i) eta_i + sum_j e_j, so
    # Var = h^2 P + s_eta^2 (h-1) h (2h-1) / 6 + h s_e^2, with P = Var(y_{T+1}) - s_e^2
    s_e, s_eta = ref.params
    p = float(np.asarray(fc.var_pred_mean)[0]) - s_e
    var = h ** 2 * p + s_eta * (h - 1) * h * (2 * h - 1) / 6 + h * s_e
    half = (r.cumulative.upper - r.cumulative.lower) / 2
    assert half == pytest.approx(norm.ppf(0.975) * np.sqrt(var), rel=0.06)


def test_level_uncertainty_is_a_mixture_of_closed_forms():
    """With the level's sd integrated over a grid, the cumulative effect's distribution is the
    likelihood-weighted mixture of the local level's closed-form normals (one per grid point)."""
    rng = np.random.default_rng(4)
    n_pre, h = 18, 14
    days = pd.date_range("2026-01-01", periods=n_pre + h, freq="D")
    y = pd.Series(200 + np.cumsum(rng.normal(0, 2, len(days))) + rng.normal(0, 8, len(days)),
                  index=days)
    r = interrupted_time_series(y, days[n_pre], days[-1], n_sims=6000, seed=2)
    plug = interrupted_time_series(y, days[n_pre], days[-1], n_sims=6000, seed=2,
                                   level_uncertainty=False)
    pre = y.iloc[:n_pre].to_numpy()
    mu, sd = pre.mean(), pre.std()
    mod = UnobservedComponents((pre - mu) / sd, level="llevel")
    res = mod.fit(disp=False)
    # the grid and its weights, by the same rule, with a large number of paths
    grid = its._level_grid(mod, res, 10 ** 7, np.random.default_rng(0))
    assert len(grid) >= 5
    means, sds, weights = [], [], []
    for params, count in grid:
        f = mod.filter(params)
        s_e, s_eta = params
        p = float(f.predicted_state_cov[0, 0, n_pre])
        var = h ** 2 * p + s_eta * (h - 1) * h * (2 * h - 1) / 6 + h * s_e
        means.append(h * float(f.predicted_state[0, n_pre]))
        sds.append(np.sqrt(var))
        weights.append(count)
    means, sds = sd * np.array(means) + h * mu, sd * np.array(sds)
    weights = np.array(weights) / np.sum(weights)
    observed = y.iloc[n_pre:].sum()

    def cdf(effect):               # P(observed - sum of the path <= effect)
        return float(np.sum(weights * norm.sf((observed - effect - means) / sds)))

    lo = brentq(lambda e: cdf(e) - 0.025, -1e5, 1e5)
    hi = brentq(lambda e: cdf(e) - 0.975, -1e5, 1e5)
    assert r.cumulative.lower == pytest.approx(lo, abs=0.05 * (hi - lo))
    assert r.cumulative.upper == pytest.approx(hi, abs=0.05 * (hi - lo))
    # integrating over the level's sd widens the plug-in interval
    assert r.cumulative.upper - r.cumulative.lower > plug.cumulative.upper - plug.cumulative.lower


def test_cumulative_interval_coverage_small():
    """30 series without an effect: the 95% cumulative interval should hold 0 in about 28.5."""
    hits = fp = 0
    for seed in range(30):
        y, c, _ = simulated(100 + seed)
        r = interrupted_time_series(y, y.index[56], y.index[-1], controls=c, n_sims=300,
                                    seed=seed)
        hits += r.cumulative.contains(0.0)
        fp += r.p_value < 0.05
    assert hits >= 24 and fp <= 6


def test_confounding_control_is_absorbed():
    y, c, _ = simulated(21, confounder=8.0)    # the control jumps: y by 240 a day (about 25 %)
    start, end = y.index[56], y.index[-1]
    naive = interrupted_time_series(y, start, end, n_sims=500)
    assert naive.p_value < 0.01 and naive.cumulative.lower > 0
    adjusted = interrupted_time_series(y, start, end, controls=c, n_sims=500)
    assert adjusted.cumulative.contains(0.0) and adjusted.p_value > 0.05
    assert abs(adjusted.cumulative.value) < 0.25 * naive.cumulative.value


def test_constant_controls_are_dropped_and_named():
    y, c, _ = simulated(11)
    c = c.assign(holiday=0.0, price=3.5)
    r = interrupted_time_series(y, y.index[56], y.index[-1], controls=c, n_sims=100)
    assert r.controls_used == ("control",) and r.controls_dropped == ("holiday", "price")


def test_no_warning_reaches_the_user():
    rng = np.random.default_rng(0)
    days = pd.date_range("2026-01-01", periods=30, freq="D")
    y = pd.Series(rng.poisson(0.7, 30).astype(float), index=days)     # sparse counts
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = interrupted_time_series(y, days[16], days[-1], n_sims=100)
    assert isinstance(r.converged, bool)


def test_bad_input_raises_parameter_error_naming_it():
    y, c, _ = simulated(11)
    with pytest.raises(ParameterError, match=r"pre_days.*13 days.*at least 14"):
        interrupted_time_series(y, y.index[13], y.index[-1])
    flat = y.copy()
    flat.iloc[:56] = 7.0
    with pytest.raises(ParameterError, match=r"constant \(7\)"):
        interrupted_time_series(flat, y.index[56], y.index[-1])
    flat.iloc[:56] = 0.0
    with pytest.raises(ParameterError, match="all zero"):
        interrupted_time_series(flat, y.index[56], y.index[-1])
    holes = y.copy()
    holes.iloc[[3, 60]] = np.nan
    with pytest.raises(ParameterError, match=r"y: 2 days .*2026-01-08, 2026-03-06"):
        interrupted_time_series(holes, y.index[56], y.index[-1])
    with pytest.raises(ParameterError, match=r"y: the days must be consecutive.*2026-01-10"):
        interrupted_time_series(y.drop(y.index[4]), y.index[56], y.index[-1])
    with pytest.raises(ParameterError, match="end"):
        interrupted_time_series(y, y.index[56], y.index[50])
    with pytest.raises(ParameterError, match="not inside the data"):
        interrupted_time_series(y, y.index[56], y.index[-1] + pd.Timedelta(days=3))
    with pytest.raises(ParameterError, match="controls: 1 days"):
        interrupted_time_series(y, y.index[56], y.index[-1], controls=c.iloc[1:])
    gaps = c.copy()
    gaps.iloc[5, 0] = np.nan
    with pytest.raises(ParameterError, match="controls: 1 days have no value in control"):
        interrupted_time_series(y, y.index[56], y.index[-1], controls=gaps)
    with pytest.raises(ParameterError, match="controls: pass a DataFrame"):
        interrupted_time_series(y, y.index[56], y.index[-1], controls=c["control"])
    with pytest.raises(ParameterError, match="alpha"):
        interrupted_time_series(y, y.index[56], y.index[-1], alpha=1.5)
    with pytest.raises(ParameterError, match="y: pass"):
        interrupted_time_series(y.to_numpy(), y.index[56], y.index[-1])


def test_plot_draws_observed_and_expected(lifted):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    r, _ = lifted
    for lang in ("en", "zh"):
        ax = r.plot(lang=lang)
        lines = {ln.get_label(): ln for ln in ax.get_lines()}
        assert len(lines) == 2
        np.testing.assert_allclose(np.asarray(ax.get_lines()[0].get_ydata(), float),
                                   r.days["expected"].to_numpy())
        assert ax.get_title(loc="left")
        plt.close(ax.figure)
