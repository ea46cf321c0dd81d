"""Matched participants: bias removed under self-selection, balance and ATT recomputed by hand."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from opsnb.campaigns.matching import (match_participants, propensity_logit,
                                      simulate_self_selection)
from opsnb.errors import ParameterError


@pytest.fixture(scope="module")
def sim():
    # one draw: each interval misses its truth with probability ~5 % (coverage over 100 draws
    # is measured in benchmarks/bench_campaign_matching.py); seed 1 is a draw where none misses
    return simulate_self_selection(n=3000, seed=1)


@pytest.fixture(scope="module")
def matched(sim):
    return match_participants(sim[0], method="propensity")


def test_self_selection_bias_mostly_removed(sim, matched):
    frame, truth = sim
    rows = []
    for o in ("retained", "after_active_days", "after_revenue"):
        naive = matched.effects[o]["naive"]
        att = matched.effects[o]["matched"]
        rows.append((o, truth[o], naive.value, att.value, att.lower, att.upper))
        naive_bias, matched_bias = naive.value - truth[o], att.value - truth[o]
        assert naive_bias > 0 and not naive.contains(truth[o])   # the active join more
        assert abs(matched_bias) <= 0.3 * abs(naive_bias)        # >= 70 % of the bias removed
        assert att.contains(truth[o])
    # the figures (run with -s to see them): truth, naive, matched and its interval
    print("\noutcome, true ATT, naive, matched [95% interval]")
    for o, tv, nv, mv, lo, hi in rows:
        print(f"{o}: {tv:.3f}, {nv:.3f} (bias {nv - tv:+.3f}), {mv:.3f} [{lo:.3f}, {hi:.3f}] "
              f"(bias {mv - tv:+.3f})")
    # e.g. active days: true 0.70, naive 2.7 (+2.0), matched ~0.7
    assert matched.observational and matched.n_participants == int(frame["treated"].sum())
    assert matched.n_matched + matched.n_unmatched == matched.n_participants


def test_cem_removes_the_bias_too(sim):
    frame, truth = sim
    r = match_participants(frame, method="cem")
    att, naive = r.effects["after_active_days"]["matched"], r.effects["after_active_days"]["naive"]
    assert abs(att.value - truth["after_active_days"]) <= 0.3 * abs(
        naive.value - truth["after_active_days"])
    assert att.contains(truth["after_active_days"])
    assert 0.8 <= r.cem_share <= 1 and r.n_matched == round(r.cem_share * r.n_participants)
    # CEM weights: the matched non-participants' weights add up to the matched participants
    w, t = r.weights.to_numpy(), frame["treated"].to_numpy()
    assert w[~t].sum() == pytest.approx(r.n_matched)


def test_balance_smd_by_hand(sim, matched):
    """SMD = (mean_T - mean_C) / sqrt((var_T + var_C) / 2), sample variances (ddof 1) of all
    participants and all non-participants; after: matched participants against their matches
    (a non-participant counted once per pair), over the same denominator."""
    frame, _ = sim
    t = frame["treated"]
    pairs = matched.pairs
    for col in ("pre_active_days", "pre_revenue", "tenure_days", "pre_paying", "channel=a"):
        x = ((frame["channel"] == "a").astype(float) if col == "channel=a"
             else frame[col].astype(float))
        sd = np.sqrt((x[t].var() + x[~t].var()) / 2)
        before = (x[t].mean() - x[~t].mean()) / sd
        after = (x.loc[pairs["participant"]].mean() - x.loc[pairs["match"]].mean()) / sd
        row = matched.balance.set_index("covariate").loc[col]
        assert row["smd_before"] == pytest.approx(before, rel=1e-9)
        assert row["smd_after"] == pytest.approx(after, rel=1e-9, abs=1e-12)
        assert row["mean_others"] == pytest.approx(x[~t].mean())
        assert row["mean_matched"] == pytest.approx(x.loc[pairs["match"]].mean())
    bal = matched.balance.set_index("covariate")
    assert bal.loc["pre_active_days", "smd_before"] > 1     # joining follows activity
    assert bal["smd_after"].abs().max() < 0.1
    assert matched.imbalanced == []
    assert set(bal.index) >= {"channel=a", "channel=b", "channel=c"}


def test_known_propensity_att_equals_the_pairs(sim):
    frame, _ = sim
    x = frame["pre_active_days"].to_numpy(float)
    score = -3.2 + 0.16 * x + 0.4 * (frame["channel"] == "a").to_numpy()   # the true logit
    score = score + np.random.default_rng(0).normal(0, 0.01, len(score))   # no ties
    r = match_participants(frame, score=score, caliper=0.05, bias_correction=False, exact=())
    t = frame["treated"].to_numpy()
    ti, ci = np.flatnonzero(t), np.flatnonzero(~t)
    # brute force: the nearest non-participant of each participant, within 0.05 SD(score)
    dist = np.abs(score[ti][:, None] - score[ci][None, :])
    j = ci[dist.argmin(axis=1)]
    ok = dist.min(axis=1) <= 0.05 * score.std(ddof=1)
    assert r.n_unmatched == int((~ok).sum()) and r.n_matched == int(ok.sum())
    assert list(r.pairs["participant"]) == list(ti[ok])
    assert list(r.pairs["match"]) == list(j[ok])
    y = frame["after_active_days"].to_numpy(float)
    d = y[ti[ok]] - y[j[ok]]
    att = r.effects["after_active_days"]["matched"]
    assert att.value == pytest.approx(d.mean(), rel=1e-12)
    # Abadie–Imbens variance: pair term + K(K-1) s2 of reused non-participants, s2 from the
    # nearest other non-participant on the score
    k = pd.Series(j[ok]).value_counts()
    cs = score[k.index.to_numpy()]
    others = np.abs(score[ci][None, :] - cs[:, None])
    others[others == 0] = np.inf
    nb = ci[others.argmin(axis=1)]
    s2 = (y[k.index.to_numpy()] - y[nb]) ** 2 / 2
    v = (np.sum((d - d.mean()) ** 2) + np.sum(k.to_numpy() * (k.to_numpy() - 1) * s2)) / len(d) ** 2
    assert (att.upper - att.lower) / 2 == pytest.approx(1.959963984540054 * np.sqrt(v), rel=1e-9)
    # the counterfactual mean and the p-value of the ATT
    assert r.matched_control_mean("active_days") == pytest.approx(y[j[ok]].mean())
    assert r.effect("active_days") is att
    from scipy import stats
    assert r.p_value("active_days") == pytest.approx(
        2 * stats.norm.sf(d.mean() / np.sqrt(v)), rel=1e-6)
    # naive: the plain difference of means
    assert r.effects["after_active_days"]["naive"].value == pytest.approx(
        y[t].mean() - y[~t].mean())


def test_exact_matching_on_channel_and_paying(matched, sim):
    frame, _ = sim
    a = frame.loc[matched.pairs["participant"], ["channel", "pre_paying"]].to_numpy()
    b = frame.loc[matched.pairs["match"], ["channel", "pre_paying"]].to_numpy()
    assert (a == b).all()
    bal = matched.balance.set_index("covariate")
    for col in ("channel=a", "channel=b", "channel=c", "pre_paying"):
        assert bal.loc[col, "smd_after"] == pytest.approx(0, abs=1e-12)


def test_cem_att_is_the_stratified_difference():
    frame, _ = simulate_self_selection(n=1500, seed=3)
    small = frame.drop(columns=["pre_events", "pre_revenue", "tenure_days", "pre_active_days"])
    small["persona"] = np.where(frame["pre_active_days"] > 10, "busy", "quiet")
    r = match_participants(small, method="cem", bias_correction=False)
    g = small.groupby(["pre_paying", "channel", "persona"])
    y, t = "after_revenue", "treated"
    diffs, weights = [], []
    for _, s in g:
        if s[t].any() and (~s[t]).any():
            diffs.append(s.loc[s[t], y].mean() - s.loc[~s[t], y].mean())
            weights.append(s[t].sum())
    want = np.average(diffs, weights=weights)
    assert r.effects[y]["matched"].value == pytest.approx(want, rel=1e-12)
    assert r.n_matched == sum(weights)
    # the Poisson-bootstrap SE against the analytic variance given the strata,
    # sum n_T v_T + n_T^2 v_C / n_C over N_T^2, which is valid here: every stratum holds at
    # least two of each group (v: the stratum's sample variances)
    v = 0.0
    for _, s in g:
        yt, yc = s.loc[s[t], y], s.loc[~s[t], y]
        if len(yt) and len(yc):
            assert len(yt) > 1 and len(yc) > 1
            v += len(yt) * yt.var() + len(yt) ** 2 * yc.var() / len(yc)
    v /= sum(weights) ** 2
    e = r.effects[y]["matched"]
    assert (e.upper - e.lower) / 2 == pytest.approx(1.959963984540054 * np.sqrt(v), rel=0.12)


def test_fitted_propensity_agrees_with_statsmodels(sim):
    import statsmodels.api as sm

    frame, _ = sim
    ours = propensity_logit(frame)
    x = pd.DataFrame({c: np.log1p(frame[c]) for c in ("pre_active_days", "pre_events",
                                                      "pre_revenue", "tenure_days")})
    x["pre_paying"] = frame["pre_paying"]
    x = x.join(pd.get_dummies(frame["channel"], drop_first=True, dtype=float))
    fit = sm.Logit(frame["treated"].astype(float), sm.add_constant(x)).fit(disp=0)
    theirs = fit.fittedvalues.to_numpy()
    assert np.corrcoef(ours, theirs)[0, 1] > 0.995    # L2 penalty C=1: nearly unpenalised


def test_interval_coverage_small_simulation():
    """A small version of benchmarks/bench_campaign_matching.py (100 runs there: coverage
    0.94-0.97)."""
    hits = 0
    for seed in range(12):
        frame, truth = simulate_self_selection(n=1500, seed=100 + seed)
        r = match_participants(frame, method="propensity")
        hits += r.effects["after_active_days"]["matched"].contains(truth["after_active_days"])
    assert hits >= 9        # P(hits <= 8 | coverage 0.95) < 0.003


def test_auto_rule(sim):
    frame, _ = sim
    r = match_participants(frame, method="auto")
    assert r.cem_share is not None
    cem = match_participants(frame, method="cem")
    expect = ("cem" if cem.cem_share >= 0.8 and cem.balance["smd_after"].abs().max() <= 0.1
              else "propensity")
    assert r.method == expect
    coarse = match_participants(frame, method="auto", cem_bins=2)   # bins too coarse: imbalance
    assert coarse.method == "propensity"


def test_to_dict_and_plot(matched):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = json.loads(json.dumps(matched.to_dict()))
    assert d["observational"] is True and d["method"] == "propensity"
    assert d["effects"]["retained"]["matched"]["level"] == 0.95
    assert len(d["balance"]) == len(matched.balance)
    for lang in ("en", "zh"):
        ax = matched.plot_balance(lang=lang)
        assert len(ax.collections) == 2 and len(ax.get_yticklabels()) == len(matched.balance)
        plt.close(ax.figure)
    f = matched.effects_frame()
    assert list(f.columns) == ["outcome", "comparison", "value", "lower", "upper"]
    assert len(f) == 6


def test_errors_say_what_to_change(sim):
    frame, _ = sim
    with pytest.raises(ParameterError, match="no participants"):
        match_participants(frame.assign(treated=False))
    with pytest.raises(ParameterError, match="no non-participants"):
        match_participants(frame.assign(treated=True))
    few = pd.concat([frame[frame.treated].head(10), frame[~frame.treated].head(200)])
    with pytest.raises(ParameterError, match="only 10 participants"):
        match_participants(few)
    with pytest.raises(ParameterError, match="method"):
        match_participants(frame, method="nearest")
    with pytest.raises(ParameterError, match="caliper"):
        match_participants(frame, caliper=0)
