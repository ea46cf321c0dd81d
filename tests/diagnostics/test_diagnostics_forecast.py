"""The forecast: interval coverage on simulated series, the backtest against seasonal naive on
the sample, the target arithmetic, holidays."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsnb.diagnostics.forecast import forecast, holiday_regressors, period_bounds

N_SERIES, LENGTH, HORIZON = 12, 140, 14


def series(rng, n) -> pd.Series:
    """A KPI-like day series: a drifting random-walk level, a weekly pattern, noise."""
    idx = pd.date_range("2026-01-05", periods=n, freq="D")
    week = np.array([0, -3, -2, 0, 4, 9, 7], dtype=float)
    level = 200 + np.cumsum(rng.normal(0.3, 1.5, n))
    return pd.Series(level + week[idx.day_of_week] + rng.normal(0, 5, n), index=idx)


def test_80_percent_intervals_cover_70_to_90_percent_on_simulated_series():
    from opsnb.diagnostics.forecast import fit_forecast

    rng = np.random.default_rng(11)
    inside = []
    for _ in range(N_SERIES):
        y = series(rng, LENGTH + HORIZON)
        _, f = fit_forecast(y.iloc[:LENGTH], HORIZON)
        test = y.iloc[LENGTH:].to_numpy()
        inside += list((test >= f["lower"].to_numpy()) & (test <= f["upper"].to_numpy()))
    coverage = float(np.mean(inside))
    print(f"80 % interval coverage over {len(inside)} days of {N_SERIES} series: {coverage:.3f}")
    assert 0.70 <= coverage <= 0.90


def test_backtest_beats_seasonal_naive_on_the_sample(sample_report):
    b = sample_report.fc.backtest
    assert len(b) == 4 and (b["days"] == 7).all()
    print(f"backtest MAE: model {b['model_mae'].mean():.2f}, "
          f"seasonal naive {b['naive_mae'].mean():.2f}")
    assert b["model_mae"].mean() < b["naive_mae"].mean()


def test_target_probability_and_run_rate(sample_report):
    fc = sample_report.fc
    assert fc.period == (pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-31"))
    assert fc.observed_days == 21 and not fc.sums       # DAU: the target is a daily mean
    hist = fc.history
    observed = hist[hist.index >= "2026-10-01"].sum()
    assert fc.run_rate_needed == pytest.approx((400.0 * 31 - observed) / 10)
    assert fc.low <= fc.expected <= fc.high
    # a target at the forecast's own median is reached about half the time
    again = forecast(hist, "month", target=fc.expected, seed=1, origins=0)
    assert 0.4 <= again.p_target <= 0.6


def test_revenue_target_is_on_the_total():
    rng = np.random.default_rng(3)
    y = series(rng, 60)  # ends 2026-03-05: 5 days of March observed
    fc = forecast(y, "month", target=6000.0, sums=True, origins=0)
    assert fc.sums and fc.observed_days == 5 and fc.period[1] == pd.Timestamp("2026-03-31")
    assert fc.run_rate_needed == pytest.approx((6000 - y.iloc[-5:].sum()) / 26)
    assert fc.expected == pytest.approx(y.iloc[-5:].sum() + fc.table["mean"].sum(), rel=0.02)


def test_holiday_regressors_national_day_and_makeup_workday():
    days = pd.date_range("2026-09-28", "2026-10-11", freq="D")
    reg = holiday_regressors(days)
    assert reg.loc["2026-10-01", "holiday"] == 1 and reg.loc["2026-09-28", "holiday"] == 0
    assert reg["makeup_workday"].sum() >= 1  # a weekend worked to make up for the holiday
    assert period_bounds(pd.Timestamp("2026-10-21"), "week")[0] == pd.Timestamp("2026-10-19")


def test_holiday_model_runs_and_says_so(sample_report):
    fc = forecast(sample_report.fc.history, "month", holidays=True, origins=0)
    assert "holiday" in fc.method and len(fc.table) == 10
