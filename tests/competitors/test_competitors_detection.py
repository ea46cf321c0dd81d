"""Change points, STL and anomalies (opsnb/competitors/{decomposition,changepoints,anomalies}.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import ruptures as rpt
from statsmodels.tsa.seasonal import STL

from opsnb.competitors import competitor_tracking
from opsnb.competitors.anomalies import find_anomalies
from opsnb.competitors.changepoints import LinearTrendCost, detect_changes, noise_sigma, pelt
from opsnb.competitors.decomposition import decompose
from opsnb.competitors.panel import build_panel

WEEKLY = np.array([1.0, 0.95, 0.95, 1.0, 1.05, 1.2, 1.15])


@pytest.fixture(scope="module")
def sample_report():
    return competitor_tracking()


def test_planted_change_points_found_with_direction(sample_report, truth):
    ch = sample_report.changes.to_frame()
    for t in truth["change_points"]:
        hit = ch[(ch["competitor"] == t["competitor"]) & (ch["metric"] == t["metric"])]
        days = (hit["date"] - pd.Timestamp(t["date"])).abs().dt.days
        assert (days <= 3).any(), t
        best = hit.loc[days.idxmin()]
        assert best["direction"] == t["direction"], t
        if t["relative_change"] is not None:
            assert best["relative_change"] == pytest.approx(t["relative_change"], abs=0.05)
        else:
            assert best["absolute_change"] == pytest.approx(t["absolute_change"], abs=0.05)
        if t["event_note"]:
            assert best["event_note"] == t["event_note"]


def test_false_changes_at_most_one_per_ten_series_years(sample_report, truth):
    ch = sample_report.changes.to_frame()
    planted = {(t["competitor"], t["metric"], t["date"]) for t in truth["change_points"]}
    false = [r for _, r in ch.iterrows()
             if not any(c == r["competitor"] and m == r["metric"]
                        and abs((pd.Timestamp(d) - r["date"]).days) <= 3 for c, m, d in planted)]
    panel = sample_report.panel
    series_years = panel.values.notna().sum().sum() / 365.25
    assert series_years > 10
    assert len(false) <= series_years / 10


def _seasonal_only(n_series=30, days=365, seed=11):
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2025-01-06", periods=days)
    w = WEEKLY[dates.day_of_week.to_numpy()]
    rows = []
    for i in range(n_series):
        rows.append(pd.DataFrame({"date": dates, "competitor": f"c{i}", "metric": "downloads",
                                  "value": 4000 * w * np.exp(0.06 * rng.standard_normal(days))}))
        rows.append(pd.DataFrame({"date": dates, "competitor": f"c{i}", "metric": "sentiment",
                                  "value": 0.3 + 0.1 * (w - 1) + 0.04 * rng.standard_normal(days)}))
    return pd.concat(rows, ignore_index=True)


def test_weekly_seasonality_alone_gives_no_change_points():
    panel = build_panel(_seasonal_only(), None, "c0")
    dec = decompose(panel)
    # the weekly pattern is what STL removes: on average by weekday it is the planted one
    s = dec.seasonal.xs("downloads", axis=1, level=0).mean(axis=1)
    by_day = s.groupby(s.index.day_of_week).mean().to_numpy()
    np.testing.assert_allclose(by_day, np.log(WEEKLY) - np.log(WEEKLY).mean(), atol=0.01)
    ch = detect_changes(panel, dec)
    assert len(ch.table) == 0
    # without removing the weekly pattern the same search does see "changes": the STL step matters
    dec.seasonal.loc[:, :] = 0.0
    dec_raw = detect_changes(panel, dec, penalty=6.0)
    assert dec_raw.sigma.xs("downloads", level=0).median() > 1.5 * ch.sigma.xs("downloads", level=0).median()


def test_stl_matches_statsmodels_on_log_scale():
    df = _seasonal_only(n_series=1)
    panel = build_panel(df, None, "c0")
    dec = decompose(panel)
    y = np.log(panel.series("downloads", "c0").to_numpy())
    ref = STL(y, period=7, seasonal=31, robust=True).fit(outer_iter=2)
    np.testing.assert_allclose(dec.seasonal[("downloads", "c0")].to_numpy(), ref.seasonal)
    np.testing.assert_allclose(dec.trend[("downloads", "c0")].to_numpy(), ref.trend)


def test_linear_trend_cost_is_least_squares_residual():
    rng = np.random.default_rng(0)
    y = np.cumsum(rng.standard_normal(60))
    c = LinearTrendCost().fit(y)
    for s, e in [(0, 60), (5, 17), (20, 23)]:
        t = np.arange(s, e)
        resid = y[s:e] - np.polyval(np.polyfit(t, y[s:e], 1), t)
        assert c.error(s, e) == pytest.approx(float(resid @ resid), rel=1e-8, abs=1e-9)
    level, slope = c.line(5, 17)
    b, a = np.polyfit(np.arange(12), y[5:17], 1)
    assert (level, slope) == pytest.approx((a, b))


@pytest.mark.parametrize("jump", [1, 3])
def test_pelt_equals_ruptures(jump):
    rng = np.random.default_rng(4)
    y = np.concatenate([rng.normal(0, 1, 70), rng.normal(3, 1, 50), 3 + 0.2 * np.arange(60)
                        + rng.normal(0, 1, 60)])
    pen = 4 * np.log(len(y))
    ours = pelt(y, pen, min_size=10, jump=jump)
    ref = rpt.Pelt(custom_cost=LinearTrendCost(), min_size=10, jump=jump).fit(y).predict(pen=pen)
    assert ours == ref
    assert len(ours) >= 3


def test_noise_sigma_ignores_a_level_shift():
    rng = np.random.default_rng(1)
    y = np.concatenate([rng.normal(0, 2, 300), rng.normal(50, 2, 300)])
    assert noise_sigma(y) == pytest.approx(2.0, rel=0.1)


def _flat_panel(values, metric="sentiment"):
    dates = pd.date_range("2026-01-05", periods=len(values))
    df = pd.concat([pd.DataFrame({"date": dates, "competitor": c, "metric": metric, "value": v})
                    for c, v in values.items()] if isinstance(values, dict) else
                   [pd.DataFrame({"date": dates, "competitor": "A", "metric": metric,
                                  "value": values})])
    return build_panel(df, None, "A")


def test_anomaly_spike_flagged_with_robust_severity():
    rng = np.random.default_rng(3)
    v = 0.3 + 0.01 * rng.standard_normal(120)
    v[60] += 0.2
    panel = _flat_panel(v)
    dec = decompose(panel)
    ch = detect_changes(panel, dec)
    an = find_anomalies(panel, dec, ch, k=4.0).to_frame()
    assert list(an["date"]) == [pd.Timestamp("2026-01-05") + pd.Timedelta(days=60)]
    r = an.iloc[0]
    assert r["direction"] == "up" and r["level"] == "extreme"
    resid = (dec.adjusted - ch.fitted)[("sentiment", "A")].to_numpy()
    med = np.median(resid)
    mad = 1.4826 * np.median(np.abs(resid - med))
    assert r["severity"] == pytest.approx(abs(resid[60] - med) / mad)
    assert r["severity"] > 15


def test_level_shift_is_a_change_not_a_run_of_anomalies():
    rng = np.random.default_rng(5)
    v = np.r_[np.full(60, 100.0), np.full(60, 80.0)] * np.exp(0.01 * rng.standard_normal(120))
    panel = _flat_panel(v, metric="price")
    dec = decompose(panel)
    ch = detect_changes(panel, dec)
    assert len(ch.table) == 1
    r = ch.table.iloc[0]
    assert r["date"] == pd.Timestamp("2026-01-05") + pd.Timedelta(days=60)
    assert r["relative_change"] == pytest.approx(-0.2, abs=0.01)
    assert r["better"]  # a lower price is better for that product
    assert len(find_anomalies(panel, dec, ch, k=4.0).table) <= 1
