"""Synthetic control: weights against independent solvers, planted effects, placebo ranks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize

from opsnb.campaigns.synth import convex_weights, synthetic_control
from opsnb.campaigns import simulate
from opsnb.errors import ParameterError


def factor_panel(n_units: int = 20, n_days: int = 200, seed: int = 0,
                 noise: float = 0.05) -> pd.DataFrame:
    """Units of different sizes sharing weekly seasonality and three AR(1) factors."""
    return simulate.factor_panel(n_units, n_days, seed, noise)[0]


def simplex_projection(v: np.ndarray) -> np.ndarray:
    u = np.sort(v)[::-1]
    css = np.cumsum(u) - 1
    k = np.nonzero(u - css / np.arange(1, len(v) + 1) > 0)[0][-1]
    return np.maximum(v - css[k] / (k + 1), 0)


def projected_gradient(X: np.ndarray, y: np.ndarray, iters: int = 5000) -> np.ndarray:
    """FISTA on the simplex: an independent solver for min ||Xw - y||^2."""
    step = 1 / np.linalg.eigvalsh(X.T @ X).max()
    w = z = np.full(X.shape[1], 1 / X.shape[1])
    t = 1.0
    for _ in range(iters):
        w_new = simplex_projection(z - step * X.T @ (X @ z - y))
        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2
        z = w_new + (t - 1) / t_new * (w_new - w)
        w, t = w_new, t_new
    return w


def index_data(panel, treated, donors, n_pre):
    pre = panel.iloc[:n_pre]
    y = (panel[treated].sum(axis=1) / pre[treated].sum(axis=1).mean()).to_numpy()
    X = (panel[donors] / pre[donors].mean()).to_numpy()
    return y, X


def test_exact_convex_combination_is_recovered():
    panel = factor_panel(12, 120, seed=1)
    donors = list(panel.columns[1:])
    true = np.zeros(11)
    true[[2, 5, 9]] = [0.5, 0.3, 0.2]
    _, X = index_data(panel, ["u00"], donors, 100)
    panel["u00"] = 3000.0 * (X @ true)
    res = synthetic_control(panel, ["u00"], panel.index[100], panel.index[-1], placebo_runs=3)
    assert res.weights.reindex(donors).to_numpy() == pytest.approx(true, abs=1e-6)
    assert res.weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert list(res.weights.index[:3]) == ["u03", "u06", "u10"]
    assert res.pre_rmspe < 1e-6 and abs(res.cumulative.value) < 1e-5


@pytest.mark.parametrize("seed", [2, 3])
def test_weights_equal_independent_solvers_on_noisy_data(seed):
    panel = factor_panel(10, 150, seed=seed)
    donors = list(panel.columns[1:])
    y, X = index_data(panel, ["u00", "u01"], donors[1:], 130)
    ours = convex_weights(X[:130], y[:130])
    pg = projected_gradient(X[:130], y[:130])
    # (trust-constr stops 0.1 away from the optimum on these near-collinear donors; SLSQP and
    # projected gradient agree with each other and with convex_weights)
    sl = minimize(lambda w: np.sum((X[:130] @ w - y[:130]) ** 2), np.full(8, 1 / 8),
                  jac=lambda w: 2 * X[:130].T @ (X[:130] @ w - y[:130]), method="SLSQP",
                  bounds=[(0, 1)] * 8, constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1}],
                  options={"ftol": 1e-15, "maxiter": 1000}).x
    assert ours == pytest.approx(pg, abs=1e-4)
    assert ours == pytest.approx(sl, abs=1e-4)
    # the two treated columns are summed; the result's weights are the same fit
    res = synthetic_control(panel, ["u00", "u01"], panel.index[130], panel.index[-1],
                            placebo_runs=0, donors=donors[1:])
    assert res.weights.reindex(donors[1:]).to_numpy() == pytest.approx(ours, abs=1e-12)


def test_planted_lift_and_placebo_rank_by_hand():
    panel = factor_panel(20, 200, seed=7)
    start = panel.index[186]
    counterfactual = panel.loc[start:, "u04"].sum()
    panel.loc[start:, "u04"] *= 1.10
    res = synthetic_control(panel, ["u04"], start, panel.index[-1], placebo_runs=10, seed=1)
    assert res.cumulative.contains(0.10 * counterfactual)
    assert res.relative.contains(0.10) and res.relative.excludes_zero
    assert res.daily_effect.value == pytest.approx(res.series["gap"].iloc[186:].mean())
    # placebo in space by hand: every unit against the others (never against u04)
    def ratio(unit, donors):
        y, X = index_data(panel, [unit], donors, 186)
        w = projected_gradient(X[:186], y[:186], iters=3000)
        g = y - X @ w
        return np.sqrt(np.mean(g[186:] ** 2)) / np.sqrt(np.mean(g[:186] ** 2))
    others = [u for u in panel.columns if u != "u04"]
    ratios = {"u04": ratio("u04", others)}
    for u in others:
        ratios[u] = ratio(u, [d for d in others if d != u])
    rank = sum(r >= ratios["u04"] for r in ratios.values())
    assert res.p_value == pytest.approx(rank / 20)
    table = res.placebos_space.set_index("unit")["ratio"]
    assert table.to_dict() == pytest.approx(ratios, rel=1e-3)
    assert res.min_p_value == pytest.approx(1 / 20)
    # placebo in time: fake windows of the same length inside the pre-period, drawn by seed
    pt = res.placebos_time
    assert len(pt) == 10 and (pt["end"] < start).all()
    assert ((pt["end"] - pt["start"]).dt.days == 13).all()
    real = abs(res.relative.value)
    assert res.p_value_time == pytest.approx((1 + (pt["relative"].abs() >= real).sum()) / 11)
    again = synthetic_control(panel, ["u04"], start, panel.index[-1], placebo_runs=10, seed=1)
    pd.testing.assert_frame_equal(again.placebos_time, pt)


def test_no_effect_false_positives_small_simulation():
    """40 no-effect campaigns; the benchmark runs 200+ (benchmarks/bench_synth_calibration.py)."""
    excl = space = covered = 0
    for s in range(40):
        panel = factor_panel(12, 120, seed=100 + s)
        res = synthetic_control(panel, [panel.columns[s % 12]], panel.index[106],
                                panel.index[-1], placebo_runs=0)
        excl += res.cumulative.excludes_zero
        space += res.p_value <= 0.1
    assert excl <= 7        # 2 expected at alpha 0.05; P(>= 8) < 0.1 % if calibrated
    assert space <= 10      # 4 expected (p <= 0.1 with 12 units)


def test_errors_name_the_unit_or_parameter():
    panel = factor_panel(5, 60, seed=0)
    end = panel.index[-1]
    with pytest.raises(ParameterError, match="'nope'.*u00, u01, u02, u03, u04"):
        synthetic_control(panel, ["nope"], panel.index[40], end)
    with pytest.raises(ParameterError, match="at least 2 untreated"):
        synthetic_control(panel, ["u00", "u01", "u02", "u03"], panel.index[40], end)
    with pytest.raises(ParameterError, match="pre-period has 10 days"):
        synthetic_control(panel, ["u00"], panel.index[10], end)
    bad = panel.copy()
    bad.iloc[5, 2] = np.nan
    with pytest.raises(ParameterError, match="NaN.*u02.*fill"):
        synthetic_control(bad, ["u00"], panel.index[40], end)
    with pytest.raises(ParameterError, match="donor 'u00' is also treated"):
        synthetic_control(panel, ["u00"], panel.index[40], end, donors=["u00", "u01"])
    with pytest.raises(ParameterError, match="consecutive"):
        synthetic_control(panel.drop(panel.index[3]), ["u00"], panel.index[40], end)


def test_plots_draw_every_series():
    panel = factor_panel(6, 80, seed=4)
    res = synthetic_control(panel, ["u01"], panel.index[66], panel.index[-1], placebo_runs=2)
    ax = res.plot()
    assert len(ax.lines) == 2
    ax = res.plot_placebos(lang="zh")
    assert len(ax.lines) == 6 + 2          # 6 units, the zero line and the start line
