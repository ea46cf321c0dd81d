"""A hand-sized content data set whose every number is worked out in the tests."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import write_tables

USERS = pd.DataFrame({"user_id": ["u1", "u2", "u3", "u4"],
                      "signup_at": ["2026-01-01 00:00:00"] * 4,
                      "channel": ["organic", "organic", "ads", "ads"]})
CONTENT = pd.DataFrame({
    "content_id": ["A", "B", "C", "D"],
    "title": ["Alpha", "Beta", "", "Delta"],
    "creator_id": ["c1", "c1", "c2", "c3"],
    "category": ["x", "x", "y", "y"],
    "format": ["video", "article", "video", "image"],
    "published_at": ["2026-01-01 00:00:00", "2026-01-02 00:00:00", "2026-01-03 00:00:00",
                     "2026-01-05 00:00:00"],
    "length": [60, 800, 90, None],
})


def _ev(user, at, event, cid, dwell=None):
    return {"user_id": user, "event_at": at, "event": event, "revenue": 0.0,
            "content_id": cid, "dwell_seconds": dwell}


def fixture_events() -> pd.DataFrame:
    rows = [_ev("u1", "2026-01-01 00:00:00", "session_start", None)]
    # A: 4 impressions, 2 views (u1 24 h and u2 12 h before the window's end 2026-01-11 00:00),
    # 1 completion, like + comment + share, 1 follow
    for u in ("u1", "u2", "u3", "u4"):
        rows.append(_ev(u, "2026-01-09 23:00:00", "content_impression", "A"))
    rows += [_ev("u1", "2026-01-10 00:00:00", "content_view", "A", 50.0),
             _ev("u2", "2026-01-10 12:00:00", "content_view", "A", 10.0),
             _ev("u1", "2026-01-10 00:01:00", "content_complete", "A"),
             _ev("u1", "2026-01-10 00:01:00", "content_like", "A"),
             _ev("u2", "2026-01-10 12:01:00", "content_comment", "A"),
             _ev("u2", "2026-01-10 12:01:00", "content_share", "A"),
             _ev("u1", "2026-01-10 00:02:00", "creator_follow", "A")]
    # B: 2 impressions, 1 view
    rows += [_ev("u3", "2026-01-02 10:00:00", "content_impression", "B"),
             _ev("u4", "2026-01-02 10:00:00", "content_impression", "B"),
             _ev("u3", "2026-01-02 10:00:05", "content_view", "B", 100.0)]
    # C: 3 impressions, 3 views by 2 users, 1 like
    rows += [_ev(u, "2026-01-03 10:00:00", "content_impression", "C") for u in ("u1", "u1", "u4")]
    rows += [_ev(u, "2026-01-03 10:00:05", "content_view", "C", 30.0) for u in ("u1", "u1", "u4")]
    rows += [_ev("u4", "2026-01-03 10:00:10", "content_like", "C")]
    # D: nothing. Two events of an item the content table does not hold.
    rows += [_ev("u2", "2026-01-04 10:00:00", "content_impression", "ZZZ"),
             _ev("u2", "2026-01-04 10:00:05", "content_view", "ZZZ")]
    return pd.DataFrame(rows)


@pytest.fixture
def content_dir(tmp_path):
    def make(content=CONTENT, events=None, users=USERS):
        return write_tables(tmp_path / "data", users=users, content=content,
                            events=fixture_events() if events is None else events)
    return make
