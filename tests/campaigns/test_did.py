"""DiD against statsmodels OLS with unit and day dummies and cluster-robust errors; the
interval by inversion of the randomisation test against a closed form and a bisection."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from opsnb.campaigns.did import difference_in_differences
from opsnb.errors import ParameterError

START, END = "2026-02-01", "2026-02-09"   # days 31..39 of a 40-day panel


def small_panel(seed: int = 0, trend: float = 0.0, lift: float = 0.1, n: int = 8,
                n_treated: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.date_range("2026-01-01", periods=40, freq="D")
    size = rng.uniform(50, 500, n)
    day = rng.normal(0, 0.05, 40)
    vals = size * (1 + day[:, None] + rng.normal(0, 0.05, (40, n)))
    panel = pd.DataFrame(vals, index=days, columns=[f"u{i}" for i in range(n)])
    t = np.arange(40) - 31
    for u in panel.columns[:n_treated]:
        panel[u] *= 1 + trend * np.minimum(t, 0) + lift * (t >= 0)
    return panel


def long_frame(panel: pd.DataFrame, scale: str) -> pd.DataFrame:
    y = panel / panel.loc[:"2026-01-31"].mean() if scale == "relative" else panel
    df = y.stack().rename("y").reset_index()
    df.columns = ["day", "unit", "y"]
    return df


def dummies_ols(df: pd.DataFrame, extra: pd.DataFrame):
    X = pd.concat([extra, pd.get_dummies(df["unit"], prefix="u", drop_first=True, dtype=float),
                   pd.get_dummies(df["day"], prefix="d", drop_first=True, dtype=float)], axis=1)
    X = sm.add_constant(X)
    groups = pd.factorize(df["unit"])[0]
    return sm.OLS(df["y"], X).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)


@pytest.mark.parametrize("scale", ["relative", "levels"])
def test_att_and_cluster_se_equal_statsmodels(scale):
    panel = small_panel()
    res = difference_in_differences(panel, ["u0", "u1", "u2"], START, END, scale=scale,
                                    interval="cluster")
    assert res.interval_method == "cluster" and res.few_treated
    df = long_frame(panel, scale)
    treat = (df["unit"].isin(["u0", "u1", "u2"]) & (df["day"] >= START)).astype(float)
    ols = dummies_ols(df, pd.DataFrame({"D": treat}))
    assert res.coef == pytest.approx(ols.params["D"], abs=1e-8)
    assert res.se == pytest.approx(ols.bse["D"], abs=1e-8)
    lo, hi = ols.conf_int(alpha=0.05).loc["D"]
    fitted = res.relative if scale == "relative" else res.att
    assert (fitted.lower, fitted.upper) == pytest.approx((lo, hi), abs=1e-8)
    assert res.p_value == res.p_value_cluster == pytest.approx(ols.pvalues["D"], rel=1e-8)
    # t with G - 1 = 7 df
    assert hi - ols.params["D"] == pytest.approx(stats.t.ppf(0.975, 7) * ols.bse["D"], rel=1e-9)
    level = panel.loc[:"2026-01-31", ["u0", "u1", "u2"]].mean()
    if scale == "relative":
        assert res.att.value == pytest.approx(res.coef * level.mean(), rel=1e-12)
        assert res.cumulative.value == pytest.approx(res.coef * 9 * level.sum(), rel=1e-12)
        assert res.relative.contains(0.1)
    else:
        assert res.relative.value == pytest.approx(res.coef / level.mean(), rel=1e-12)
        assert res.cumulative.value == pytest.approx(res.coef * 9 * 3, rel=1e-12)


def test_event_study_equals_ols_with_lead_lag_dummies():
    panel = small_panel(seed=3)
    res = difference_in_differences(panel, ["u0", "u1", "u2"], START, END, leads=3,
                                    interval="cluster")
    df = long_frame(panel, "relative")
    rel = np.floor((df["day"] - pd.Timestamp(START)).dt.days / 7).astype(int).clip(lower=-4)
    tr = df["unit"].isin(["u0", "u1", "u2"])
    ks = sorted(k for k in rel.unique() if k != -1)
    extra = pd.DataFrame({f"k{k}": ((rel == k) & tr).astype(float) for k in ks})
    ols = dummies_ols(df, extra)
    es = res.event_study.set_index("rel_period")
    for k in ks:
        assert es.loc[k, "coef"] == pytest.approx(ols.params[f"k{k}"], abs=1e-8)
        assert es.loc[k, "lower"] == pytest.approx(ols.conf_int().loc[f"k{k}", 0], abs=1e-8)
    assert es.loc[-1, "coef"] == 0.0
    assert es.loc[-4, "binned"] and es.loc[-4, "n_days"] == 31 - 21
    assert es.loc[1, "n_days"] == 2                         # days 38, 39
    # pre-trend: statsmodels' Wald F on the leads -4, -3, -2, Hotelling-corrected by hand
    names = ["k-4", "k-3", "k-2"]
    wald = ols.wald_test(np.eye(len(ols.params))[[ols.params.index.get_loc(n) for n in names]],
                         use_f=True, scalar=True)
    f = float(wald.statistic) * (8 - 3) / (8 - 1)
    assert res.pretrend_stat == pytest.approx(f, rel=1e-8)
    assert res.pretrend_p == pytest.approx(stats.f.sf(f, 3, 8 - 3), rel=1e-8)
    assert res.pretrend_df == 3 and res.pretrend_df_denom == 5


def test_pretrend_test_detects_a_planted_trend():
    # 24 units, 12 treated: cluster-robust tests are over-sized with few treated units (see
    # the module docstring), so the calibration check uses enough of them.
    treated = [f"u{i}" for i in range(12)]

    def p(seed, trend):
        return difference_in_differences(small_panel(seed, trend, n=24, n_treated=12), treated,
                                         START, END, leads=3).pretrend_p
    sloped = [p(s, 0.005) for s in range(10)]
    flat = [p(s, 0.0) for s in range(40)]
    assert np.median(sloped) < 0.01
    assert np.median(flat) > 0.2
    assert sum(x < 0.05 for x in flat) <= 7    # 2-3 expected (7 % size at G = 24)


def test_placebo_pvalues_equal_refits_on_every_assignment():
    panel = small_panel(seed=5, trend=0.004, lift=0.03)
    treated = ["u0", "u1", "u2"]
    res = difference_in_differences(panel, treated, START, END, leads=3)
    assert res.n_placebos == 55                              # C(8, 3) - 1: all of them
    taus, leads = [], []
    for c in itertools.combinations(panel.columns, 3):
        if set(c) != set(treated):
            r = difference_in_differences(panel, list(c), START, END, leads=3, placebo_runs=0)
            es = r.event_study.set_index("rel_period")["coef"]
            taus.append(r.coef)
            leads.append((es.loc[[-4, -3, -2]] ** 2).sum())
    real = (res.event_study.set_index("rel_period")["coef"].loc[[-4, -3, -2]] ** 2).sum()
    assert res.p_value_placebo == pytest.approx(
        (1 + sum(abs(t) >= abs(res.coef) for t in taus)) / 56)
    assert res.pretrend_p_placebo == pytest.approx((1 + sum(x >= real for x in leads)) / 56)
    drawn = difference_in_differences(panel, treated, START, END, leads=3, placebo_runs=20)
    assert drawn.n_placebos == 20


def test_errors_name_the_parameter():
    panel = small_panel()
    with pytest.raises(ParameterError, match="'zz'.*u0, u1"):
        difference_in_differences(panel, ["zz"], START, END)
    with pytest.raises(ParameterError, match="untreated"):
        difference_in_differences(panel, list(panel.columns), START, END)
    with pytest.raises(ParameterError, match="period"):
        difference_in_differences(panel, ["u0"], START, END, period="M")
    with pytest.raises(ParameterError, match="interval"):
        difference_in_differences(panel, ["u0"], START, END, interval="wild")
    with pytest.raises(ParameterError, match="scale"):
        difference_in_differences(panel, ["u0"], START, END, scale="log")
    with pytest.raises(ParameterError, match="pre-period has 10 days"):
        difference_in_differences(panel, ["u0"], "2026-01-11", END)
    bad = panel.copy()
    bad.iloc[3, 5] = np.nan
    with pytest.raises(ParameterError, match="NaN.*u5"):
        difference_in_differences(bad, ["u0"], START, END)
    with pytest.raises(ParameterError, match="consecutive"):
        difference_in_differences(panel.drop(panel.index[5]), ["u0"], START, END)


def test_event_study_plot_draws_every_period():
    import matplotlib
    matplotlib.use("Agg")
    res = difference_in_differences(small_panel(), ["u0", "u1", "u2"], START, END, leads=3,
                                    placebo_runs=0)
    ax = res.plot_event_study(lang="zh")
    assert len(ax.collections[-1].get_offsets()) == len(res.event_study) == 6   # -4..1


# ------------------------------------------------------------ few treated: the inverted test
def did_by_hand(panel: pd.DataFrame, unit: str) -> float:
    """2 x 2 DiD of one unit against the mean of the others, on the relative scale (with one
    post dummy, the two-way fixed-effects estimate of a balanced panel is this)."""
    y = panel / panel.loc[:"2026-01-31"].mean()
    change = y.loc[START:END].mean() - y.loc[:"2026-01-31"].mean()
    return float(change[unit] - change.drop(unit).mean())


def test_inverted_interval_equals_closed_form_and_bisection():
    panel = small_panel(seed=7, n=8, n_treated=1, lift=0.05)
    alpha, G = 0.25, 8                        # 7 placebos, r = floor(0.25 x 8) = 2
    res = difference_in_differences(panel, ["u0"], START, END, alpha=alpha, leads=3)
    assert res.interval_method == "permutation" and res.interval_code == "ok"
    tau = did_by_hand(panel, "u0")
    assert res.coef == pytest.approx(tau, abs=1e-12)
    # placebo j: tau_j + delta / (G - 1) (u0, shifted by -delta, is among its controls);
    # |tau_j + delta/(G-1)| >= |tau - delta| between the two roots below
    lo, hi = [], []
    for j in panel.columns[1:]:
        a = did_by_hand(panel, j)
        roots = sorted(((tau - a) * (G - 1) / G, (tau + a) * (G - 1) / (G - 2)))
        lo.append(roots[0])
        hi.append(roots[1])
    assert res.relative.lower == pytest.approx(sorted(lo)[1], abs=1e-10)
    assert res.relative.upper == pytest.approx(sorted(hi)[-2], abs=1e-10)
    level = panel.loc[:"2026-01-31", "u0"].mean()
    assert res.att.lower == pytest.approx(res.relative.lower * level, rel=1e-12)
    assert res.cumulative.upper == pytest.approx(res.relative.upper * level * 9, rel=1e-12)

    # the definition: the bounds are where the permutation p-value of the panel with delta
    # taken off u0's campaign days crosses alpha
    def p_at(delta):
        shifted = panel.copy()
        shifted.loc[START:END, "u0"] -= delta * level
        return difference_in_differences(shifted, ["u0"], START, END, alpha=alpha, leads=3,
                                         interval="cluster").p_value_placebo

    for bound, inside in ((res.relative.lower, 1), (res.relative.upper, -1)):
        assert p_at(bound + inside * 1e-6) > alpha >= p_at(bound - inside * 1e-6)
    assert p_at(res.coef) == 1.0


def test_one_treated_of_twenty_holds_a_planted_lift():
    panel = small_panel(seed=11, n=20, n_treated=1, lift=0.10)
    res = difference_in_differences(panel, ["u0"], START, END)
    assert res.few_treated and res.interval_method == "permutation"
    assert res.n_placebos == 19 and res.interval_code == "ok"
    assert res.relative.contains(0.10) and res.relative.excludes_zero
    assert res.p_value == res.p_value_placebo == pytest.approx(1 / 20)
    # 19 units are too few at alpha 0.01 (r = 0): no bound rather than a false one
    tight = difference_in_differences(panel, ["u0"], START, END, alpha=0.01)
    assert tight.interval_code == "too_few_placebos" and np.isnan(tight.relative.lower)
    assert not tight.relative.excludes_zero
    none = difference_in_differences(panel, ["u0"], START, END, placebo_runs=0)
    assert none.interval_code == "no_placebos" and np.isnan(none.p_value)


def test_few_treated_interval_holds_its_level_without_effect():
    excl = {1: 0, 2: 0}
    excl_cluster = 0
    for s in range(40):
        panel = small_panel(seed=100 + s, n=20, n_treated=2, lift=0.0)
        for k in (1, 2):
            res = difference_in_differences(panel, list(panel.columns[:k]), START, END,
                                            leads=3, placebo_runs=99, seed=s)
            assert res.relative.excludes_zero == (res.p_value_placebo <= 0.05)
            excl[k] += res.relative.excludes_zero
            excl_cluster += abs(res.coef) / res.se > stats.t.ppf(0.975, 19)
    assert excl[1] <= 6 and excl[2] <= 6   # 2 expected; P(>= 7 | 5 %) = 0.003
    assert excl_cluster > 20               # 2 x 40 panels: the cluster-robust interval, ~40 %


def test_event_study_bands_with_one_treated_unit_come_from_the_placebo_units():
    """One treated unit: each period's band is its coefficient minus the quantiles of the same
    coefficient with every other unit treated instead (refitted one by one here)."""
    from opsnb.campaigns.simulate import factor_panel

    panel = factor_panel(20, 120, seed=5)[0]
    start, end = panel.index[100], panel.index[113]
    res = difference_in_differences(panel, ["u00"], start, end, leads=4)
    assert res.interval_method == "permutation"
    es = res.event_study.set_index("rel_period")
    others = [difference_in_differences(panel, [u], start, end, leads=4, interval="cluster",
                                        placebo_runs=0).event_study.set_index("rel_period")
              for u in panel.columns[1:]]
    for k in es.index:
        if k == -1:
            continue
        placebo = np.array([o.loc[k, "coef"] for o in others])
        lo, hi = np.quantile(placebo, [0.025, 0.975])
        assert es.loc[k, "lower"] == pytest.approx(es.loc[k, "coef"] - hi, abs=1e-9)
        assert es.loc[k, "upper"] == pytest.approx(es.loc[k, "coef"] - lo, abs=1e-9)
