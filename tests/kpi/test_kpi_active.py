"""opsnb.kpi.active: DAU, WAU, MAU by hand and against brute-force pandas."""

from __future__ import annotations

import pandas as pd
import pytest

from opsnb import kpi
from opsnb.data.window import resolve_window


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


def test_plots_take_the_language(fixture):
    src, w = fixture
    a = kpi.active_users(src, w)
    en = a.plot(lang="en")
    zh = a.plot(lang="zh")
    assert [t.get_text() for t in en.get_legend().get_texts()][0] == "DAU"
    assert [t.get_text() for t in zh.get_legend().get_texts()][0] == "日活"
    assert a.plot_stickiness(lang="zh") is not None
