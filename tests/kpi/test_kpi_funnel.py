"""opsnb.kpi.funnel: ordered steps, conversion windows, segments, missing steps, display text."""

from __future__ import annotations

import pandas as pd
import pytest

from opsnb import DataError, ParameterError, kpi
from opsnb.data.window import resolve_window

from .conftest import EVENTS, USERS


def test_funnel_is_ordered(fixture):
    src, w = fixture
    f = kpi.funnel(src, w)
    # b purchased before adding to cart, so b stops at add_to_cart
    assert f.table["users"].tolist() == [3, 3, 2, 1]
    assert f.table["step_conversion"].tolist()[1:] == [1.0, 2 / 3, 0.5]
    by = kpi.funnel(src, w, by="channel").table
    assert by[by.channel == "抖音"]["users"].tolist() == [2, 2, 1, 1]
    assert by[by.channel == "organic"]["users"].tolist() == [1, 1, 1, 0]


def test_funnel_by_segment_table(fixture):
    src, w = fixture
    t = kpi.funnel(src, w, by="channel").by_segment()
    assert t["channel"].tolist() == ["抖音", "organic"]
    assert t["users"].tolist() == [2, 1]
    assert t["overall_conversion"].tolist() == [0.5, 0.0]


def test_funnel_within_days(tables):
    src = tables(users=USERS, events=EVENTS + "c,2026-05-09 09:00:00,add_to_cart,0\n"
                 "c,2026-05-09 09:01:00,purchase,10\n")
    w = resolve_window(src, "2026-05-01", "2026-05-10")
    assert kpi.funnel(src, w).table["users"].tolist() == [3, 3, 3, 2]
    # c's cart comes 4 days after c's first session: outside a 2-day conversion window
    assert kpi.funnel(src, w, within_days=2).table["users"].tolist() == [3, 3, 2, 1]


def test_bad_parameters_and_missing_steps(fixture):
    src, w = fixture
    with pytest.raises(DataError) as e:
        kpi.funnel(src, w, ["session_start", "checkout"])
    assert e.value.column == "event" and "checkout" in str(e.value)
    with pytest.raises(ParameterError):
        kpi.funnel(src, w, ["session_start"])
    with pytest.raises(DataError) as e:
        resolve_window(src, "2027-01-01", "2027-01-31")
    assert "2026-05-01" in e.value.fix
    with pytest.raises(ParameterError):
        resolve_window(src, "2026-05-10", "2026-05-01")
    assert kpi.missing_steps(src, w, ["checkout", "session_start", "pay"]) == ["checkout", "pay"]


def test_event_counts_and_suggested_steps(fixture):
    src, w = fixture
    c = kpi.event_counts(src, w)
    # most users first, then most events: purchase (3 events) before add_to_cart (2)
    assert c["event"].tolist() == ["session_start", "view_item", "purchase", "add_to_cart"]
    assert c["users"].tolist() == [3, 3, 2, 2]
    assert c["paying"].tolist() == [0, 0, 3, 0]
    assert kpi.suggest_steps(c) == ["session_start", "view_item", "purchase"]
    free = pd.DataFrame({"event": ["open", "view", "like"], "users": [3, 2, 1], "paying": 0})
    assert kpi.suggest_steps(free) == ["open", "view", "like"]


def test_funnel_shows_readable_steps_and_keeps_event_names(fixture):
    src, w = fixture
    f = kpi.funnel(src, w)
    assert f.table["step"].tolist() == list(kpi.DEFAULT_FUNNEL)  # raw event names stay
    assert f.to_frame()["step"].tolist() == ["session start", "view item", "add to cart",
                                             "purchase"]
    assert f.labels() == f.to_frame()["step"].tolist()
    ax = f.plot()
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == sorted(f.labels())
    assert f.labels("zh") == ["启动会话", "浏览商品", "加入购物车", "购买"]
    assert f.to_frame("zh")["step"].tolist() == f.labels("zh")
    zh = f.plot(lang="zh")
    assert sorted(t.get_text() for t in zh.get_yticklabels()) == sorted(f.labels("zh"))
    assert f.describe("en").startswith("Users who did each step in order")
    assert f.describe("zh").startswith("2026-05-01 – 2026-05-10 期间按顺序完成各步骤")
    assert kpi.step_label("custom_event") == "custom event"  # steps without an entry: readable
