from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from opsnb.retention import RetentionSpec
from opsnb.report.fmt import p_value as format_p
from opsnb.retention.present import format_days
from opsnb.retention.survival import churn_durations, kaplan_meier, logrank


def _data(seed=3, n=400):
    rng = np.random.default_rng(seed)
    t = rng.integers(0, 40, n).astype(float)
    e = (rng.random(n) < 0.6).astype(int)
    g = rng.choice(["a", "b", "c"], n)
    t[g == "b"] += rng.integers(0, 10, (g == "b").sum())
    return t, e, g


def test_km_matches_statsmodels():
    t, e, _ = _data()
    km = kaplan_meier(t, e).table
    sm = SurvfuncRight(t, e)
    at = km[km["events"] > 0].reset_index(drop=True)
    np.testing.assert_allclose(at["time"], sm.surv_times, atol=1e-9)
    np.testing.assert_allclose(at["survival"], sm.surv_prob, atol=1e-9, rtol=0)
    np.testing.assert_allclose(at["se"], sm.surv_prob_se, atol=1e-9, rtol=0)
    np.testing.assert_allclose(at["at_risk"], sm.n_risk, atol=1e-9)
    np.testing.assert_allclose(at["events"], sm.n_events, atol=1e-9)


def test_km_on_counts_equals_km_on_users():
    t, e, _ = _data(5)
    d = pd.DataFrame({"t": t, "e": e}).value_counts().rename("n").reset_index()
    a = kaplan_meier(d["t"], d["e"], d["n"]).table
    b = kaplan_meier(t, e).table
    np.testing.assert_allclose(a[["survival", "se", "at_risk"]], b[["survival", "se", "at_risk"]],
                               atol=1e-12)


def test_km_hand_worked():
    # times 1, 2+, 3, 3, 4+: S(1)=4/5, S(3)=4/5 * (1 - 2/3) = 4/15
    km = kaplan_meier([1, 2, 3, 3, 4], [1, 0, 1, 1, 0])
    assert km.survival_at(1) == pytest.approx(0.8)
    assert km.survival_at(3) == pytest.approx(4 / 15)
    assert km.survival_at(0) == 1.0
    assert km.median() == 3


def test_logrank_matches_statsmodels():
    t, e, g = _data(7)
    chi2, p = survdiff(t, e, g)
    ours = logrank(t, e, g)
    assert ours["chi2"] == pytest.approx(chi2, rel=1e-9)
    assert ours["p_value"] == pytest.approx(p, rel=1e-7)
    d = pd.DataFrame({"t": t, "e": e, "g": g}).value_counts().rename("n").reset_index()
    assert logrank(d["t"], d["e"], d["g"], d["n"])["chi2"] == pytest.approx(chi2, rel=1e-9)


def test_churn_durations_hand(hand):
    src, w = hand
    # data complete until 01-21: inactivity rule of 3 days
    c = churn_durations(src, w, RetentionSpec(), inactive_days=3)
    got = {(int(r.time), int(r.event)): int(r.users) for r in c.itertuples()}
    # u1 start 01-05 23:45, active days 0 and 2 (rolling), observed through day 14: churns after day 2
    # u2 start 01-05 08:00, days 0, 2, 7, 15: gap 2->7 is 4 idle days -> churns at day 2
    # u3 start 01-06 10:00, day 0 only, observed through day 13 -> churns at day 0
    # u4 start 01-14 10:00, days 0, 1; observed through day 5 (4 idle days) -> churns at day 1
    assert got == {(2, 1): 2, (0, 1): 1, (1, 1): 1}
    c = churn_durations(src, w, RetentionSpec(), inactive_days=5)
    got = {(int(r.time), int(r.event)): int(r.users) for r in c.itertuples()}
    # u2 now survives the 4-day gap but not the 7 idle days between day 7 and day 15;
    # u4 has only 4 idle days (< 5) -> censored at its last active day
    assert got == {(2, 1): 1, (7, 1): 1, (0, 1): 1, (1, 0): 1}


def test_p_values_and_days_for_readers():
    assert format_p(1.3e-157) == "<0.001"
    assert format_p(0.000999) == "<0.001"
    assert format_p(0.001) == "0.001"
    assert format_p(0.04234) == "0.042"
    assert format_p(None) == "–"
    assert format_p(0.5) == "0.50"  # the survival chart now uses fmt.p_value (was "0.500")
    assert format_days(4.0) == "4" and format_days(68.0) == "68"
    assert format_days(4.5) == "4.5" and format_days(1234.0) == "1,234"
    assert format_days(None) == "–" and format_days(float("nan")) == "–"


@pytest.mark.parametrize("days,breakdown,ret", [(30, None, "any"), (7, "channel", "any"),
                                                (14, "channel", "purchase"),
                                                (60, "region", "session_start")])
def test_day_masks_equal_the_window_query(sample_source, monkeypatch, days, breakdown, ret):
    """The per-user day masks (spans up to 504 days) and the distinct-days window query (longer
    spans) give the same counts; purchase returns leave users without any return event."""
    import opsnb.retention.survival as survival_module
    from opsnb.data.window import resolve_window

    w = resolve_window(sample_source)
    spec = RetentionSpec(return_event=ret)
    masks = churn_durations(sample_source, w, spec, days, breakdown)
    monkeypatch.setattr(survival_module, "n_words", lambda n: 0)
    window = churn_durations(sample_source, w, spec, days, breakdown)
    pd.testing.assert_frame_equal(masks, window)
    assert masks["users"].sum() == 10_000


def test_churn_durations_hand_by_window_query(hand, monkeypatch):
    import opsnb.retention.survival as survival_module

    monkeypatch.setattr(survival_module, "n_words", lambda n: 0)
    test_churn_durations_hand(hand)
