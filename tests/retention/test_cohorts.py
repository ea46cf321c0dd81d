from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from opsnb.errors import DataError, ParameterError
from opsnb.retention import RetentionSpec, cohort_matrix


def daily(**kw):
    return RetentionSpec.make(period="day", max_period=3, **kw)


def test_window_is_complete_until_midnight(hand):
    _, w = hand
    assert w.complete_until == pd.Timestamp("2026-01-21")


def test_rolling_on(hand, cell):
    src, w = hand
    m = cohort_matrix(src, w, daily())
    # cohort 01-05 = {u1, u2}: day 0 both; u1's 00:10 return is rolling day 0; day 2: u1 and u2
    assert [cell(m, "2026-01-05", k) for k in range(4)] == [2, 0, 2, 0]
    assert [cell(m, "2026-01-06", k) for k in range(4)] == [1, 0, 0, 0]
    assert [cell(m, "2026-01-14", k) for k in range(4)] == [1, 1, 0, 0]
    assert cell(m, "2026-01-05", 2, col="rate") == 1.0
    assert cell(m, "2026-01-05", 0, col="size") == 2


def test_calendar_on_counts_2345_to_0010_as_day_1(hand, cell):
    src, w = hand
    m = cohort_matrix(src, w, daily(window="calendar"))
    assert [cell(m, "2026-01-05", k) for k in range(4)] == [2, 1, 1, 1]
    assert [cell(m, "2026-01-14", k) for k in range(4)] == [1, 1, 0, 0]


def test_incomplete_cells_are_nan_not_zero(hand, cell):
    src, w = hand
    m = cohort_matrix(src, w, daily())
    # cohort 01-17 (empty): day 3 ends 01-18 + 4 days = 01-22, after the data (01-21)
    assert not cell(m, "2026-01-17", 3, col="complete")
    assert cell(m, "2026-01-17", 2, col="complete")
    assert not cell(m, "2026-01-20", 0, col="complete")
    assert cell(m, "2026-01-14", 3, col="complete")  # ends 01-15 + 4 days = 01-19
    t = m.table
    assert t.loc[~t["complete"], "rate"].isna().all()
    # an empty cohort is blank (NaN), never 0 %
    assert math.isnan(cell(m, "2026-01-10", 1, col="rate"))
    assert cell(m, "2026-01-10", 1, col="size") == 0


def test_weighted_vs_simple_mean_skip_empty_cohorts(hand):
    src, w = hand
    m = cohort_matrix(src, w, daily())
    wm = m.mean_retention("weighted", by_segment=False).set_index("period")
    sm = m.mean_retention("simple", by_segment=False).set_index("period")
    # day 1: cohorts 01-05 (0/2), 01-06 (0/1), 01-14 (1/1); 13 empty cohorts left out
    assert wm.loc[1, "rate"] == pytest.approx(1 / 4)
    assert wm.loc[1, "cohorts"] == 3 and wm.loc[1, "users"] == 4
    assert sm.loc[1, "rate"] == pytest.approx(1 / 3)
    # day 2: 2/2, 0/1, 0/1
    assert wm.loc[2, "rate"] == pytest.approx(2 / 4)
    assert sm.loc[2, "rate"] == pytest.approx(1 / 3)
    # Wilson interval of 1 of 4
    from statsmodels.stats.proportion import proportion_confint
    lo, hi = proportion_confint(1, 4, method="wilson")
    assert (wm.loc[1, "ci_low"], wm.loc[1, "ci_high"]) == pytest.approx((lo, hi))


def test_on_or_after(hand, cell):
    src, w = hand
    m = cohort_matrix(src, w, daily(counting="on_or_after"))
    # u1's last return is day 2, u2's day 15 (beyond the last period, so in all of them)
    assert [cell(m, "2026-01-05", k) for k in range(4)] == [2, 2, 2, 1]
    assert [cell(m, "2026-01-06", k) for k in range(4)] == [1, 0, 0, 0]
    assert [cell(m, "2026-01-14", k) for k in range(4)] == [1, 1, 0, 0]


def test_brackets(hand, cell):
    src, w = hand
    spec = RetentionSpec.make(period="day", brackets=[1, "2-3", "4-7"])
    assert spec.period_labels() == ["D1", "D2-3", "D4-7"]
    m = cohort_matrix(src, w, spec)
    assert [cell(m, "2026-01-05", k) for k in range(3)] == [0, 2, 1]
    assert [cell(m, "2026-01-14", k) for k in range(3)] == [1, 0, 0]
    # 4-7 for the 01-14 cohort ends 01-15 + 8 days = 01-23: not elapsed
    assert not cell(m, "2026-01-14", 2, col="complete")
    assert math.isnan(cell(m, "2026-01-14", 2, col="rate"))
    assert cell(m, "2026-01-05", 2, col="complete")


def test_first_time_vs_recurring(hand, cell):
    src, w = hand
    kw = dict(period="week", window="calendar", start_event="session_start",
              return_event="session_start", max_period=2)
    first = cohort_matrix(src, w, RetentionSpec.make(**kw))
    rec = cohort_matrix(src, w, RetentionSpec.make(cohort_entry="recurring", **kw))
    # first time: week of 01-05 = {u1, u2, u3}, week of 01-12 = {u4}, week of 01-19 = {}
    assert [cell(first, c, 0, col="size") for c in ("2026-01-05", "2026-01-12", "2026-01-19")] == [3, 1, 0]
    assert [cell(first, "2026-01-05", k) for k in range(3)] == [3, 1, 1]
    assert cell(first, "2026-01-12", 1) == 0
    # recurring: week of 01-12 = {u2, u4}, week of 01-19 = {u2}
    assert [cell(rec, c, 0, col="size") for c in ("2026-01-05", "2026-01-12", "2026-01-19")] == [3, 2, 1]
    assert cell(rec, "2026-01-12", 1) == 1
    assert cell(rec, "2026-01-05", 1, col="complete")
    assert not cell(rec, "2026-01-12", 1, col="complete")


def test_previous_period_reference(hand, cell):
    src, w = hand
    m = cohort_matrix(src, w, daily(reference="previous_period"))
    assert [cell(m, "2026-01-05", k, col="base") for k in range(4)] == [2, 2, 0, 2]
    r = [cell(m, "2026-01-05", k, col="rate") for k in range(4)]
    assert r[0] == 1 and r[1] == 0 and math.isnan(r[2]) and r[3] == 0


def test_breakdown_splits_cohorts(hand, cell):
    src, w = hand
    m = cohort_matrix(src, w, daily(), breakdown="channel")
    assert cell(m, "2026-01-05", 0, "organic", "size") == 1
    assert cell(m, "2026-01-05", 0, "ads", "size") == 1
    assert cell(m, "2026-01-05", 2, "ads") == 1
    assert cell(m, "2026-01-14", 1, "organic") == 1
    # collapsing the segments gives back the overall matrix
    a = m.collapsed().table.drop(columns="segment")
    b = cohort_matrix(src, w, daily()).table.drop(columns="segment")
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True),
                                  check_dtype=False)


def test_revenue_ltv(hand):
    src, w = hand
    m = cohort_matrix(src, w, daily())
    rv = m.revenue.set_index(["cohort", "period"])
    c = pd.Timestamp("2026-01-05")
    assert rv.loc[(c, 2), "revenue"] == 10 and rv.loc[(c, 2), "arpu"] == 5
    assert rv.loc[(c, 3), "cum_revenue_per_user"] == 5
    assert rv.loc[(c, 1), "cum_revenue_per_user"] == 0
    ltv = m.mean_ltv(by_segment=False).set_index("period")
    # pooled over the complete non-empty cohorts 01-05 (2), 01-06 (1), 01-14 (1)
    assert ltv.loc[3, "ltv"] == pytest.approx(10 / 4)


def test_spec_rejects_combinations():
    with pytest.raises(ParameterError, match="rolling windows need a fixed length"):
        RetentionSpec.make(period="month")
    with pytest.raises(ParameterError, match="recurring"):
        RetentionSpec.make(cohort_entry="recurring")
    with pytest.raises(ParameterError, match="previous_period"):
        RetentionSpec.make(counting="on_or_after", reference="previous_period")
    with pytest.raises(ParameterError, match="overlap"):
        RetentionSpec.make(brackets=["1-3", "2-5"])
    with pytest.raises(ParameterError, match="counting"):
        RetentionSpec.make(counting="sometimes")


def test_bad_input_messages(hand):
    src, w = hand
    with pytest.raises(DataError, match="'checkout' never occurs") as e:
        cohort_matrix(src, w, daily(return_event="checkout"))
    assert "session_start" in e.value.fix
    from opsnb.data.window import resolve_window
    w2 = resolve_window(src, "2026-01-16", "2026-01-20")
    with pytest.raises(DataError, match="no users have their first event"):
        cohort_matrix(src, w2, daily())
    with pytest.raises(ParameterError, match="too long for the window"):
        cohort_matrix(src, w2, RetentionSpec.make(period="week", window="calendar"))
    with pytest.raises(ParameterError, match="not a users column"):
        cohort_matrix(src, w, daily(), breakdown="planet")


# --------------------------------------------------------------------------- planted truth
@pytest.fixture(scope="module")
def channel_matrix(sample_source):
    from opsnb.data.window import resolve_window
    w = resolve_window(sample_source)
    spec = RetentionSpec.make(period="day", cohort_period="day", max_period=30)
    return cohort_matrix(sample_source, w, spec, breakdown="channel", revenue=False)


def test_planted_channel_retention_inside_intervals(channel_matrix, truth):
    mr = channel_matrix.mean_retention("weighted", by_segment=True, alpha=0.01)
    for k in (1, 7, 14, 30):
        for _, r in mr[mr["period"] == k].iterrows():
            planted = truth["channels"][r["segment"]]["expected_rolling_retention"][f"D{k}"]
            assert r["ci_low"] <= planted <= r["ci_high"], (k, r["segment"], r["rate"], planted)
            assert r["users"] > 300


def test_planted_d30_order_of_separated_channels(channel_matrix, truth):
    mr = channel_matrix.mean_retention("weighted", by_segment=True)
    est = mr[mr["period"] == 30].set_index("segment")["rate"]
    planted = {c: v["expected_rolling_retention"]["D30"] for c, v in truth["channels"].items()}
    pairs = 0
    for a in planted:
        for b in planted:
            if planted[a] - planted[b] >= 0.04:  # clearly separated
                pairs += 1
                assert est[a] > est[b], (a, b)
    assert pairs >= 10
    # the top and the bottom channel of the planted order are recovered
    order = truth["retention_d30_order"]
    assert est.idxmin() == order[-1]
    assert np.isin(est.idxmax(), order[:2])


def test_heatmap_marks_cohorts_cut_by_the_window(sample_source):
    """Weekly cohorts on the sample (2026-05-01 .. 10-31): the weeks of 04-27 and 10-26 are cut."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from opsnb.data.window import resolve_window
    m = cohort_matrix(sample_source, resolve_window(sample_source),
                      RetentionSpec.make(period="week", cohort_period="week", max_period=8))
    partial = [c for c in m.wide().index if m.cohort_is_partial(c)]
    assert [f"{c:%Y-%m-%d}" for c in partial] == ["2026-04-27", "2026-10-26"]
    from opsnb.retention.present import plot_heatmap
    ax = plot_heatmap(m, "en")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    plt.close("all")
    assert [lab.endswith(" (partial)") for lab in labels].count(True) == 2
    assert labels[0].startswith("2026-04-27") and labels[0].endswith(" (partial)")
    assert not labels[1].endswith(" (partial)")
