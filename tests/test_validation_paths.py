"""The two ways events are validated give the same verdicts.

Typed events (Parquet) with many events per user are checked summed per user (one scan, the
per-user summary kept for the reports); otherwise over a join with users. Each case below runs
both ways (the threshold forced) and is checked against numbers counted by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest

from opsnb import DataError
from opsnb.data import source as source_mod
from opsnb.data.source import DataSource
from opsnb.data.window import resolve_window
from opsnb.kpi import window_totals

T0 = pd.Timestamp("2026-05-01")


def _write(d, events: pd.DataFrame, users: pd.DataFrame | None = None):
    d.mkdir(exist_ok=True)
    if users is None:
        users = pd.DataFrame({"user_id": ["a", "b", "c"], "signup_at": [T0] * 3,
                              "channel": ["organic", "抖音", "organic"]})
    users.to_parquet(d / "users.parquet")
    events.to_parquet(d / "events.parquet")
    return d


def _events(rows):
    return pd.DataFrame(rows, columns=["user_id", "event_at", "event", "revenue"])


GOOD = [("a", T0 + pd.Timedelta(hours=1), "session_start", 0.0),
        ("a", T0 + pd.Timedelta(days=1), "purchase", 10.0),
        ("b", T0 + pd.Timedelta(days=2), "purchase", 5.5),
        ("b", T0 + pd.Timedelta(days=2, hours=1), "purchase", 4.5),
        ("c", T0 + pd.Timedelta(days=3), "view_item", 0.0),
        ("zz", T0 + pd.Timedelta(days=3), "view_item", 0.0),   # unknown user
        ("zz", T0 + pd.Timedelta(days=4), "purchase", 7.0),    # unknown user
        ("yy", T0 + pd.Timedelta(days=4), "view_item", 0.0)]   # unknown user


@pytest.fixture(params=["per_user", "join"])
def path_kind(request, monkeypatch):
    monkeypatch.setenv("OPSNB_VALIDATION_CACHE", "0")
    monkeypatch.setattr(source_mod, "_EVENTS_PER_USER_SUMMED",
                        0 if request.param == "per_user" else 10 ** 9)
    return request.param


def test_unknown_users_set_aside_and_summary(tmp_path, path_kind):
    src = DataSource.open(_write(tmp_path / "d", _events(GOOD)))
    ev = src.to_pandas("events")
    assert sorted(ev["user_id"]) == ["a", "a", "b", "b", "c"]
    assert [str(a) for a in src.set_aside] == ["3 events rows set aside: 2 user ids not found in users"]
    assert (getattr(src, "_summary", None) is not None) == (path_kind == "per_user")
    sm = src.user_summary().to_pandas().sort_values("user_id").reset_index(drop=True)
    assert sm["user_id"].tolist() == ["a", "b", "c"]
    assert sm["events"].tolist() == [2, 2, 1]
    assert sm["paying_events"].tolist() == [1, 2, 0]
    assert sm["revenue"].tolist() == [10.0, 10.0, 0.0]
    assert sm["first_at"].tolist() == [T0 + pd.Timedelta(hours=1), T0 + pd.Timedelta(days=2),
                                       T0 + pd.Timedelta(days=3)]
    # totals from the summary (window holds every event) and from a scan (it does not)
    t = window_totals(src, resolve_window(src))
    assert (t["active_users"], t["paying_users"], t["orders"], t["revenue"]) == (3, 2, 3, 20.0)
    t = window_totals(src, resolve_window(src, "2026-05-02", "2026-05-03"))
    assert (t["active_users"], t["paying_users"], t["orders"], t["revenue"]) == (2, 2, 3, 20.0)


@pytest.mark.parametrize("bad, message, n_bad", [
    (("a", T0 - pd.Timedelta(days=1), "view_item", 0.0), "events happen before", 2),
    (("a", T0 + pd.Timedelta(days=1), "purchase", -3.0), "negative values", 1),
    (("b", T0 + pd.Timedelta(days=1), None, 0.0), "empty values", 1),
])
def test_errors_are_the_same_either_way(tmp_path, path_kind, bad, message, n_bad):
    rows = GOOD + [bad] * n_bad
    src = DataSource.open(_write(tmp_path / "d", _events(rows)))
    with pytest.raises(DataError) as e:
        src.table("events")
    assert message in str(e.value)
    assert e.value.n_bad == n_bad
    assert e.value.table == "events"
