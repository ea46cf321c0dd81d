import numpy as np
import pandas as pd
import pytest

from opsnb.channels import transforms as tf
from opsnb.channels.budget import reallocate
from opsnb.channels.present import plan_sentences
from opsnb.channels.mmm import MarketingMixModel, TooFewPeriods
from opsnb.data.sample import spend_flights
from opsnb.errors import DataError, ParameterError

TRUE = [("a", 5000, 0.5, 1.0, 1.5, 900.0), ("b", 3000, 0.2, 1.5, 1.2, 500.0),
        ("c", 2000, 0.3, 0.8, 2.0, 300.0)]


def simulate(n_days=730, seed=1, noise=0.05):
    """Known adstock (normalised geometric), Hill saturation and coefficients; truth = ROAS."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2024-01-01", periods=n_days, freq="D")
    y = 2000 + 300 * np.sin(np.arange(n_days) * 2 * np.pi / 365.25) + 150 * (idx.day_of_week >= 5)
    X, roas = {}, {}
    for name, mean, d, kmult, s, beta in TRUE:
        lev = spend_flights(rng, n_days, [0.0, 0.3, 0.7, 1.0, 1.5, 2.2])
        x = mean * lev * (1 + 0.1 * rng.standard_normal(n_days)).clip(0)
        a = tf.geometric_adstock(x, d, normalize=True)
        contrib = beta * tf.hill(a, kmult * a.mean(), s)
        y = y + contrib
        X[name] = x
        roas[name] = contrib.sum() / x.sum()
    y = y + noise * y.mean() * rng.standard_normal(n_days)
    return pd.DataFrame(X, index=idx), pd.Series(y, index=idx), roas


@pytest.fixture(scope="module")
def fitted():
    X, y, roas = simulate()
    return MarketingMixModel(n_bootstrap=100, seed=3).fit(X, y), roas


def test_mmm_recovers_true_roas_within_20_percent(fitted):
    m, roas = fitted
    s = m.channel_summary().set_index("channel")
    for c, r in roas.items():
        assert s.loc[c, "roas"] == pytest.approx(r, rel=0.20), c
    assert m.r2_ > 0.8 and m.holdout_mape_ < 0.1
    # the pieces add up to the fit
    np.testing.assert_allclose(m.contributions().sum(axis=1), m.fitted_, rtol=1e-9)
    assert (s["roas_low"] <= s["roas"]).all() and (s["roas"] <= s["roas_high"]).all()


def test_baseline_terms_name_what_was_fitted(fitted):
    m, _ = fitted   # two years of daily data: every default term
    assert m.baseline_terms() == "intercept, trend, day of week, yearly seasonality"
    X, y, _ = simulate(n_days=200)
    bare = MarketingMixModel(intercept=False, trend=False, n_bootstrap=1).fit(X, y)
    assert bare.baseline_terms() == "day of week"     # under a year: no yearly terms
    assert m.baseline_terms("zh") == "截距、趋势、星期效应、年度季节性"


def test_marginal_roas_is_the_derivative(fitted):
    m, _ = fitted
    s = m.channel_summary().set_index("channel")
    for c in m.channels_:
        h = 1e-5
        d = (m.response(c, 1 + h)[0] - m.response(c, 1 - h)[0]) / (2 * h)
        assert s.loc[c, "marginal_roas"] == pytest.approx(d / m.spend_[c].sum(), rel=1e-5)


def test_same_seed_same_intervals():
    X, y, _ = simulate(n_days=200, seed=2)
    a = MarketingMixModel(n_bootstrap=30, seed=9, n_sweeps=1).fit(X, y).channel_summary()
    b = MarketingMixModel(n_bootstrap=30, seed=9, n_sweeps=1).fit(X, y).channel_summary()
    pd.testing.assert_frame_equal(a, b)


def test_window_shorter_than_adstock():
    X, y, _ = simulate(n_days=10)
    with pytest.raises(ParameterError, match="shorter than the adstock's carry-over of 13 days"):
        MarketingMixModel().fit(X, y)


def test_too_few_periods_says_how_many():
    """The error carries the numbers the report's line states: periods there and needed."""
    X, y, _ = simulate(n_days=10)
    with pytest.raises(TooFewPeriods) as e:
        MarketingMixModel().fit(X, y)
    assert (e.value.reason, e.value.n, e.value.needed, e.value.unit) == ("carry_over", 10, 13, "days")
    X, y, _ = simulate(n_days=20)   # 3 channels + 6 weekday terms: three periods each
    with pytest.raises(TooFewPeriods, match="20 days to fit 9 coefficients") as e:
        MarketingMixModel(intercept=False, trend=False).fit(X, y)
    assert (e.value.reason, e.value.needed, e.value.coefficients) == ("coefficients", 27, 9)


def test_decomposition_without_holdout_error():
    """A hold-out whose target is all zero has no MAPE: the chart says so instead of failing."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    X, y, _ = simulate(n_days=120)
    y = y.copy()
    y.iloc[-12:] = 0.0
    m = MarketingMixModel(intercept=False, trend=False, n_bootstrap=5).fit(X, y)
    assert m.holdout_mape_ is None
    for lang, words in (("en", "no hold-out MAPE"), ("zh", "无法计算留出验证 MAPE")):
        ax = m.plot_decomposition(lang=lang)
        assert any(words in t.get_text().replace("\n", "") for t in ax.texts)
        plt.close("all")


def test_zero_spend_is_a_data_error():
    X, y, _ = simulate(n_days=120)
    with pytest.raises(DataError, match="total spend over the modelled periods is zero"):
        MarketingMixModel().fit(X * 0, y)


def test_budget_respects_bounds_and_total(fitted):
    m, _ = fitted
    plan = reallocate(m, bounds=0.3)
    t = plan.table
    assert t["proposed_spend"].sum() == pytest.approx(t["current_spend"].sum(), rel=1e-9)
    assert (t["proposed_spend"] >= 0.7 * t["current_spend"] - 1e-6).all()
    assert (t["proposed_spend"] <= 1.3 * t["current_spend"] + 1e-6).all()
    current = sum(m.response(c, 1.0)[0] for c in m.channels_)
    assert plan.baseline_response == pytest.approx(current)
    assert plan.proposed_response >= current
    assert plan_sentences(plan)[0].startswith("Shift") or plan_sentences(plan)[0].startswith("Keep")
    # a larger budget within the bounds, per-channel bounds
    budget = 1.1 * t["current_spend"].sum()
    plan = reallocate(m, budget=budget, bounds={"a": (0.0, 0.1), "*": 0.5})
    t = plan.table.set_index("channel")
    assert t["proposed_spend"].sum() == pytest.approx(budget, rel=1e-9)
    assert t.loc["a", "proposed_spend"] <= 1.1 * t.loc["a", "current_spend"] + 1e-6
    assert t.loc["a", "proposed_spend"] >= t.loc["a", "current_spend"] - 1e-6
    scaled = sum(m.response(c, 1.1)[0] for c in m.channels_)
    assert plan.proposed_response >= min(scaled, plan.baseline_response) - 1e-9
    with pytest.raises(ParameterError, match="cannot be reached within the bounds"):
        reallocate(m, budget=3 * t["current_spend"].sum(), bounds=0.3)
