"""KPIs on a hand-worked fixture and on the sample data against brute-force pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsnb import DataError, ParameterError, kpi
from opsnb.data.window import resolve_window

USERS = """
user_id,signup_at,channel
a,2026-05-01 09:00:00,抖音
b,2026-05-02 12:00:00,organic
c,2026-05-05 08:00:00,抖音
"""
EVENTS = """
user_id,event_at,event,revenue
a,2026-05-01 09:00:00,session_start,0
a,2026-05-01 09:01:00,view_item,0
a,2026-05-01 09:02:00,add_to_cart,0
a,2026-05-01 09:03:00,purchase,100
a,2026-05-03 10:00:00,session_start,0
a,2026-05-10 10:00:00,session_start,0
a,2026-05-10 10:01:00,purchase,50
b,2026-05-02 12:00:00,session_start,0
b,2026-05-02 12:05:00,purchase,30
b,2026-05-02 12:10:00,view_item,0
b,2026-05-02 12:11:00,add_to_cart,0
c,2026-05-05 08:00:00,session_start,0
c,2026-05-05 08:01:00,view_item,0
"""


@pytest.fixture
def fixture(tables):
    src = tables(users=USERS, events=EVENTS)
    return src, resolve_window(src, "2026-05-01", "2026-05-10")


def test_active_users_by_hand(fixture):
    src, w = fixture
    a = kpi.active_users(src, w, mau_days=30).daily
    assert a["dau"].tolist() == [1, 1, 1, 0, 1, 0, 0, 0, 0, 1]
    assert a["wau"].tolist() == [1, 2, 2, 2, 3, 3, 3, 3, 2, 2]
    assert a["mau"].tolist() == [1, 2, 2, 2, 3, 3, 3, 3, 3, 3]
    assert a["wau_complete"].tolist() == [False] * 6 + [True] * 4
    assert not a["mau_complete"].any()
    # the data stops at 10:01 on the last day: that day is incomplete
    assert a["complete"].tolist() == [True] * 9 + [False]


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


def test_funnel_is_ordered(fixture):
    src, w = fixture
    f = kpi.funnel(src, w)
    # b purchased before adding to cart, so b stops at add_to_cart
    assert f.table["users"].tolist() == [3, 3, 2, 1]
    assert f.table["step_conversion"].tolist()[1:] == [1.0, 2 / 3, 0.5]
    by = kpi.funnel(src, w, by="channel").table
    assert by[by.channel == "抖音"]["users"].tolist() == [2, 2, 1, 1]
    assert by[by.channel == "organic"]["users"].tolist() == [1, 1, 1, 0]


def test_funnel_within_days(tables):
    src = tables(users=USERS, events=EVENTS + "c,2026-05-09 09:00:00,add_to_cart,0\n"
                 "c,2026-05-09 09:01:00,purchase,10\n")
    w = resolve_window(src, "2026-05-01", "2026-05-10")
    assert kpi.funnel(src, w).table["users"].tolist() == [3, 3, 3, 2]
    # c's cart comes 4 days after c's first session: outside a 2-day conversion window
    assert kpi.funnel(src, w, within_days=2).table["users"].tolist() == [3, 3, 2, 1]


def test_bad_parameters_and_missing_steps(fixture):
    src, w = fixture
    with pytest.raises(ParameterError):
        kpi.period_kpis(src, w, period="fortnight")
    with pytest.raises(DataError) as e:
        kpi.funnel(src, w, ["session_start", "checkout"])
    assert e.value.column == "event" and "checkout" in str(e.value)
    with pytest.raises(DataError) as e:
        resolve_window(src, "2027-01-01", "2027-01-31")
    assert "2026-05-01" in e.value.fix
    with pytest.raises(ParameterError):
        resolve_window(src, "2026-05-10", "2026-05-01")


# --------------------------------------------------------------------- sample data
@pytest.fixture(scope="module")
def sample_events(sample_source):
    return sample_source.table("events").select("user_id", "event_at", "event",
                                                "revenue").to_pandas()


def test_active_users_match_brute_force(sample_source, sample_events):
    w = resolve_window(sample_source, "2026-06-01", "2026-07-15")
    got = kpi.active_users(sample_source, w, mau_days=30).daily.set_index("date")
    ev = sample_events.assign(day=sample_events["event_at"].dt.normalize())
    days = ev.groupby("day")["user_id"].agg(set)
    for d in pd.date_range("2026-06-01", "2026-07-15", freq="D"):
        def n_in(k):
            s = set()
            for x in pd.date_range(d - pd.Timedelta(days=k - 1), d):
                s |= days.get(x, set())
            return len(s)
        assert got.loc[d, "dau"] == len(days.get(d, set()))
        assert got.loc[d, "wau"] == n_in(7)
        assert got.loc[d, "mau"] == n_in(30)


def test_period_kpis_match_pandas(sample_source, sample_events):
    w = resolve_window(sample_source, "", "")
    got = kpi.period_kpis(sample_source, w, period="month").table.set_index("period_start")
    ev = sample_events
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


def test_kpi_overview_headline(sample_source):
    r = kpi.kpi_overview(sample_source, period="week")
    h = r.headline()
    assert h["funnel_conversion"] == pytest.approx(h["paying_users"] / h["active_users"])
    assert h["mau"] >= h["wau"] >= 0
    lines = r.check_lines()
    assert lines[0] == "window: 2026-05-01 – 2026-10-31"


def test_window_on_a_date_column_covers_the_last_day(sample_source):
    w = resolve_window(sample_source, table="competitor_metrics", column="date")
    assert (w.start, w.end) == (pd.Timestamp("2026-05-01"), pd.Timestamp("2026-10-31"))
    assert w.complete_until == pd.Timestamp("2026-11-01")
    assert w.is_complete(pd.Timestamp("2026-11-01"))


# --------------------------------------------------------------------- display text
def test_funnel_shows_readable_steps_and_keeps_event_names(fixture):
    from opsnb.report.i18n import set_language

    src, w = fixture
    f = kpi.funnel(src, w)
    assert f.table["step"].tolist() == list(kpi.DEFAULT_FUNNEL)  # raw event names stay
    assert f.to_frame()["step"].tolist() == ["session start", "view item", "add to cart",
                                             "purchase"]
    assert f.labels() == f.to_frame()["step"].tolist()
    ax = f.plot()
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == sorted(f.labels())
    ax.figure.clf()
    import matplotlib.pyplot as plt
    plt.close("all")
    set_language("zh")
    try:
        assert f.labels() == ["启动会话", "浏览商品", "加入购物车", "购买"]
        assert f.to_frame()["step"].tolist() == f.labels()
    finally:
        set_language("en")
    assert kpi.step_label("custom_event") == "custom event"  # steps without an entry: readable


def test_kpi_overview_display_text(sample_source):
    from opsnb.report.i18n import set_language

    r = kpi.kpi_overview(sample_source, period="week")
    items = {lab: (val, note) for lab, val, note in r.headline_items()}
    val, note = items["ARPU"]
    assert val == "¥669.59"
    assert note.startswith("revenue per active user over the window (2026-05-01 – 2026-10-31)")
    assert "ARPPU ¥" in note
    assert items["Paying conversion"][1].startswith("funnel to purchase: ")
    # summary sections and the checked lines keep the event names
    sec = r.sections()
    assert sec["funnel"]["step"].tolist() == list(kpi.DEFAULT_FUNNEL)
    assert set(sec["funnel_by_channel"]["step"]) == set(kpi.DEFAULT_FUNNEL)
    assert r.check_lines()[-1].startswith("funnel: session_start ")
    set_language("zh")
    try:
        zh = r.headline_items()
    finally:
        set_language("en")
    assert zh[4][2].startswith("窗口期（2026-05-01 – 2026-10-31）内每活跃用户收入")
    assert zh[5][2].startswith("漏斗至 购买")
