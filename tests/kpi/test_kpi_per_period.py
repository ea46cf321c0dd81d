"""opsnb.kpi.per_period and opsnb.kpi.totals: by hand, against pandas and the generator's truth."""

from __future__ import annotations

import numpy as np
import pytest

from opsnb import ParameterError, kpi
from opsnb.data.window import resolve_window


def test_period_kpis_by_hand(fixture):
    src, w = fixture
    p = kpi.period_kpis(src, w, period="week").table
    assert p["period_start"].dt.strftime("%Y-%m-%d").tolist() == ["2026-04-27", "2026-05-04"]
    assert p["active_users"].tolist() == [2, 2]
    assert p["new_users"].tolist() == [2, 1]
    assert p["paying_users"].tolist() == [2, 1]
    assert p["revenue"].tolist() == [130.0, 50.0]
    assert p["arpu"].tolist() == [65.0, 25.0]
    assert p["arppu"].tolist() == [65.0, 50.0]
    assert p["paying_conversion"].tolist() == [1.0, 0.5]
    assert p["complete"].tolist() == [False, False]  # starts before the window / data ends mid-day


def test_window_totals_by_hand(fixture):
    src, w = fixture
    t = kpi.window_totals(src, w)
    assert t == {"active_users": 3, "new_users": 3, "paying_users": 2, "revenue": 180.0,
                 "orders": 3, "arpu": 60.0, "arppu": 90.0, "paying_conversion": 2 / 3}


def test_bad_period(fixture):
    src, w = fixture
    with pytest.raises(ParameterError) as e:
        kpi.period_kpis(src, w, period="fortnight")
    assert "period" in str(e.value) and "month" in str(e.value)


def test_period_kpis_match_pandas(sample_source):
    ev = sample_source.table("events").select("user_id", "event_at", "revenue").to_pandas()
    w = resolve_window(sample_source, "", "")
    got = kpi.period_kpis(sample_source, w, period="month").table.set_index("period_start")
    m = ev.assign(p=ev["event_at"].dt.to_period("M").dt.start_time)
    exp = m.groupby("p").agg(active=("user_id", "nunique"), revenue=("revenue", "sum"))
    exp["paying"] = m[m["revenue"] > 0].groupby("p")["user_id"].nunique()
    assert got["active_users"].tolist() == exp["active"].tolist()
    np.testing.assert_allclose(got["revenue"], exp["revenue"], rtol=1e-12)
    np.testing.assert_allclose(got["arpu"], exp["revenue"] / exp["active"], rtol=1e-12)
    np.testing.assert_allclose(got["paying_conversion"], exp["paying"] / exp["active"], rtol=1e-12)


def test_sample_totals_match_generator_truth(sample_source, truth):
    w = resolve_window(sample_source)
    t = kpi.window_totals(sample_source, w)
    assert t["new_users"] == truth["n_users"]
    assert t["revenue"] == pytest.approx(truth["kpi"]["total_revenue"], abs=0.01)
    assert t["orders"] == truth["kpi"]["purchases"]


def test_window_on_a_date_column_covers_the_last_day(sample_source):
    import pandas as pd

    w = resolve_window(sample_source, table="competitor_metrics", column="date")
    assert (w.start, w.end) == (pd.Timestamp("2026-05-01"), pd.Timestamp("2026-10-31"))
    assert w.complete_until == pd.Timestamp("2026-11-01")
    assert w.is_complete(pd.Timestamp("2026-11-01"))


def test_new_users_by_channel(fixture):
    src, w = fixture
    t = kpi.period_kpis(src, w).new_users_by_channel()
    assert t["channel"].tolist() == ["抖音", "organic"]
    assert t["new_users"].tolist() == [2, 1]
    assert t["share"].tolist() == [2 / 3, 1 / 3]
