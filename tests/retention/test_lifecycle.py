from __future__ import annotations

import pandas as pd

from opsnb.data.window import resolve_window
from opsnb.retention.lifecycle import lifecycle


def test_lifecycle_hand(hand):
    src, w = hand
    lc = lifecycle(src, w, "day").to_frame().set_index("period_start")
    d = lambda s: lc.loc[pd.Timestamp(s)]  # noqa: E731
    # 01-05: u1, u2 new; 01-06: u1 returning, u3 new, u2 dormant
    assert tuple(d("2026-01-05")[["new", "returning", "resurrecting", "dormant"]]) == (2, 0, 0, 0)
    assert tuple(d("2026-01-06")[["new", "returning", "resurrecting", "dormant"]]) == (1, 1, 0, 1)
    # 01-07: u2 resurrects; u1 and u3 go dormant
    assert tuple(d("2026-01-07")[["new", "returning", "resurrecting", "dormant"]]) == (0, 0, 1, 2)
    # 01-08: u1 resurrects (purchase), u2 dormant
    assert tuple(d("2026-01-08")[["new", "returning", "resurrecting", "dormant"]]) == (0, 0, 1, 1)
    assert tuple(d("2026-01-15")[["new", "returning", "resurrecting", "dormant"]]) == (0, 1, 0, 0)
    assert (lc["active"] == lc["new"] + lc["returning"] + lc["resurrecting"]).all()
    assert d("2026-01-06")["quick_ratio"] == 1.0


def test_lifecycle_sample_adds_up(sample_source):
    w = resolve_window(sample_source)
    t = lifecycle(sample_source, w, "week").to_frame()
    assert (t["active"] == t["new"] + t["returning"] + t["resurrecting"]).all()
    # every user appears as new exactly once, in the week of their first event
    assert t["new"].sum() == 10_000
    # a user can only go dormant after being active: dormant(p) <= active(p-1)
    assert (t["dormant"].iloc[1:].to_numpy() <= t["active"].iloc[:-1].to_numpy()).all()
    assert not t["complete"].iloc[0] and not t["complete"].iloc[-1]


def test_lifecycle_active_equals_a_pandas_count(sample_source):
    """Active users per week counted independently (pandas, distinct users per ISO week) equal
    new + returning + resurrecting of the one-pass lifecycle query; dormant(p) equals the users
    active in p-1 and not in p."""
    w = resolve_window(sample_source)
    t = lifecycle(sample_source, w, "week").to_frame().set_index("period_start")
    ev = sample_source.to_pandas("events")
    ev = ev[ev["event_at"] < w.end_exclusive]
    ev["week"] = ev["event_at"].dt.to_period("W-SUN").dt.start_time
    per = ev.groupby("week")["user_id"].agg(set)
    for week, row in t.iterrows():
        assert row["active"] == len(per.get(week, set()))
        prev = per.get(week - pd.Timedelta(days=7), set())
        assert row["dormant"] == len(prev - per.get(week, set()))
