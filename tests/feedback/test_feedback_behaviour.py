"""Feedback by segment and retention after negative feedback, on a hand-worked fixture."""

from __future__ import annotations

import pandas as pd
import pytest

from opsnb.data.source import DataSource
from opsnb.feedback.behaviour import retention_after_negative, segments

from conftest import write_tables

D = pd.Timestamp("2026-02-01")


def _ev(user, days):
    return [{"user_id": user, "event_at": f"{D + pd.Timedelta(days=d, hours=9):%Y-%m-%d %H:%M:%S}",
             "event": "session_start", "revenue": 0.0} for d in days]


@pytest.fixture
def source(tmp_path):
    users = pd.DataFrame({"user_id": [f"u{i}" for i in range(1, 7)],
                          "signup_at": ["2026-01-01 00:00:00"] * 6,
                          "channel": ["a", "a", "a", "b", "b", "b"],
                          "device": ["ios", "ios", "web", "web", "web", "ios"]})
    events = pd.DataFrame(
        _ev("u1", [0, 10])            # negative feedback on day 0 (channel a), back on day 10
        + _ev("u2", [0, 8])           # comparable, a: retained
        + _ev("u3", [0, 7])           # comparable, a: day 7 is the first day that counts
        + _ev("u4", [0, 3])           # negative feedback (channel b), not back on days 7-27
        + _ev("u5", [0, 20])          # comparable, b: retained
        + _ev("u6", [0, 28]))         # comparable, b: day 28 is past the follow-up
    return DataSource.open(write_tables(tmp_path / "d", users=users, events=events))


PER_USER = pd.DataFrame({"user_id": ["u1", "u4"], "feedback": [2, 1], "negative": [1, 1],
                         "first_negative_at": [D + pd.Timedelta(hours=10),
                                               D + pd.Timedelta(hours=11)]})


def test_retention_standardised_by_day_and_channel(source):
    r = retention_after_negative(source, PER_USER, pd.Series(["u1", "u4"]),
                                 D + pd.Timedelta(days=28, hours=9))
    # channel a: treated 1/1, comparable 2/2; channel b: treated 0/1, comparable 1/2.
    # Weighted by the treated (1 and 1): comparable 0.5 * 1 + 0.5 * 0.5 = 0.75; treated 1/2
    t = r.table.set_index("group")
    assert t.loc["users with negative feedback", "rate"] == 0.5
    assert t.loc["comparable users without feedback", "rate"] == pytest.approx(0.75)
    assert t["users"].tolist() == [2, 4]
    assert r.difference == pytest.approx(-0.25) and r.strata == 2 and r.n_left_out == 0


def test_follow_up_past_the_data_end_is_left_out(source):
    from opsnb.errors import DataError

    with pytest.raises(DataError, match="28 days before the data end"):
        retention_after_negative(source, PER_USER, pd.Series(["u1", "u4"]),
                                 D + pd.Timedelta(days=20))


def test_segments_per_1000_users(source):
    t = segments(source.table("users"), PER_USER, "device").set_index("value")
    # web: u3, u4, u5 -> 1 feedback (u4, negative); ios: u1, u2, u6 -> 2 feedback (u1)
    assert t.loc["web", "users"] == 3 and t.loc["web", "feedback"] == 1
    assert t.loc["ios", "per_1000_users"] == pytest.approx(2000 / 3)
    assert t.loc["ios", "negative_share"] == 0.5 and t.loc["web", "negative_share"] == 1.0
    assert t.loc["ios", "with_feedback"] == 1
