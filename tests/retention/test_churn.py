from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsnb.data.window import resolve_window
from opsnb.errors import ParameterError
from opsnb.retention.churn import calibration_table, churn_risk, user_features


@pytest.fixture(scope="module")
def risk(sample_source):
    return churn_risk(sample_source, resolve_window(sample_source), 30)


def test_holdout_metrics(risk):
    from sklearn.metrics import roc_auc_score
    assert 0.7 < risk.auc <= 1.0
    assert risk.cutoffs == {"train": "2026-09-02", "valid": "2026-10-02", "score": "2026-11-01"}
    # calibration on the held-out window: mean predicted close to observed churn
    c = risk.calibration
    assert c["users"].sum() == risk.n_valid
    assert abs((c["predicted"] * c["users"]).sum() / c["users"].sum() - risk.base_rate) < 0.05
    assert (c["observed"].diff().dropna() > -0.05).all()  # risk deciles are ordered
    assert 0 <= risk.brier < risk.base_rate * (1 - risk.base_rate)  # beats the base rate


def test_planted_hazard_ranks_users(risk, truth):
    """Users of high-hazard personas get higher predicted risk (planted in the generator)."""
    from opsnb.data.source import default_sample_dir
    tu = pd.read_csv(default_sample_dir() / "truth_users.csv")
    s = risk.scores.merge(tu, on="user_id")
    hi = s[s["hazard"] >= s["hazard"].quantile(0.8)]["risk"].mean()
    lo = s[s["hazard"] <= s["hazard"].quantile(0.2)]["risk"].mean()
    assert hi > lo + 0.1


def test_at_risk_list_and_export(risk, tmp_path):
    lst = risk.at_risk(min_risk=0.5, top=20)
    assert len(lst) <= 20 and (lst["risk"] >= 0.5).all()
    assert lst["revenue_at_stake"].is_monotonic_decreasing
    p = risk.export_at_risk(tmp_path / "at_risk.csv")
    back = pd.read_csv(p, encoding="utf-8-sig")
    assert len(back) == len(risk.at_risk(0.5, top=None))
    assert list(back.columns[:3]) == ["user_id", "channel", "risk"]


def test_features_hand(hand):
    src, _ = hand
    f = user_features(src, pd.Timestamp("2026-01-10"), active_days=7, horizon_days=5)
    f = f.set_index("user_id")
    # active in the 7 days before 01-10: u1 (01-08), u2 (01-07), u3 (01-06)
    assert list(f.index) == ["u1", "u2", "u3"]
    assert f.loc["u1", "revenue_total"] == 10
    assert f.loc["u1", "recency_days"] == pytest.approx(1.5)
    # u2 in the 7 days from 01-03: 01-05 and 01-07; u1: 01-05, 01-06, 01-08
    assert f.loc["u2", "active_days_7"] == 2 and f.loc["u1", "active_days_7"] == 3
    # churned: a return in [01-10, 01-15): only u2 (01-12)
    assert dict(f["churned"]) == {"u1": 1, "u2": 0, "u3": 1}


def test_calibration_table_hand():
    t = calibration_table([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], bins=2)
    np.testing.assert_allclose(t["predicted"], [0.15, 0.85])
    np.testing.assert_allclose(t["observed"], [0, 1])


def test_short_window_is_a_parameter_error(hand):
    src, w = hand
    with pytest.raises(ParameterError, match="needs 90 days"):
        churn_risk(src, w, 30)


def test_feature_labels_name_the_window(risk):
    from opsnb.retention.present import at_risk_table, feature_label

    assert feature_label("revenue_90") == "revenue, last 90 days"
    assert feature_label("active_days_28") == "active days, last 28 days"
    assert feature_label("events_7") == "events, last 7 days"  # the number comes from the column
    assert feature_label("revenue_total") == "revenue total"
    html = at_risk_table(risk, "en", min_risk=0.5, top=5).data
    assert "revenue, last 90 days" in html and "last at" not in html and "last_at" not in html
    assert "¥" in html and "revenue 90" not in html


@pytest.mark.parametrize("ret", ["any", "purchase"])
def test_features_at_all_cutoffs_equal_one_cutoff_at_a_time(sample_source, ret):
    """The one-query features of the three cutoffs (labels read from the next cutoff's last
    event when any event is a return) equal the features of each cutoff queried alone, and a
    pandas count of active days and events on the same events."""
    from opsnb.retention.churn import features_at

    day = pd.Timedelta(days=1)
    end = pd.Timestamp("2026-11-01")
    cuts = [(end - 60 * day, True), (end - 30 * day, True), (end, False)]
    together = features_at(sample_source, cuts, 30, ret, 30)
    for (c, lab), got in zip(cuts, together):
        alone = user_features(sample_source, c, 30, ret, 30 if lab else None)
        pd.testing.assert_frame_equal(got, alone, rtol=1e-12)
    ev = sample_source.to_pandas("events")
    c = cuts[1][0]
    recent = ev[(ev["event_at"] < c) & (ev["event_at"] >= c - 28 * day)]
    by_user = recent.groupby("user_id").agg(days=("event_at", lambda s: s.dt.normalize().nunique()),
                                            events=("event_at", "size"))
    f = together[1].set_index("user_id")
    f = f[f["active_days_28"] > 0]
    assert len(f) > 1000
    np.testing.assert_array_equal(f["active_days_28"], by_user.loc[f.index, "days"])
    np.testing.assert_array_equal(f["events_28"], by_user.loc[f.index, "events"])
