"""Per-user features and bad input, on hand-built contract tables."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opsnb.data.source import DataSource
from opsnb.data.window import resolve_window
from opsnb.errors import DataError, ParameterError
from opsnb.personas.features import FeatureTransformer, build_features
from opsnb.personas import persona_clustering

USERS = """user_id,signup_at,channel,campaign,region,device,age_band,gender
a,2026-05-01 00:00:00,organic,,华东,ios,25-34,
b,2026-05-01 00:00:00,抖音,抖音_live,华北,android,18-24,
c,2026-05-02 00:00:00,organic,,华东,web,35-44,
"""
EVENTS = """user_id,event_at,event,revenue,session_id,content_id
a,2026-05-01 00:30:00,session_start,0,s1,
a,2026-05-01 00:40:00,view_item,0,s1,
a,2026-05-02 15:00:00,purchase,100,s2,
b,2026-05-01 10:00:00,session_start,0,s3,
b,2026-05-01 10:05:00,view_content,0,s3,c1
b,2026-05-01 10:06:00,view_content,0,s3,c1
b,2026-05-01 10:07:00,view_content,0,s3,c2
b,2026-05-03 10:00:00,session_start,0,s4,
c,2026-05-02 23:59:00,view_item,0,s5,
"""


def open_source(tmp: Path, users: str = USERS, events: str = EVENTS) -> DataSource:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "users.csv").write_text(users, encoding="utf-8")
    (tmp / "events.csv").write_text(events, encoding="utf-8")
    return DataSource.open(tmp)


def test_features_worked_by_hand(tmp_path):
    s = open_source(tmp_path)
    w = resolve_window(s)  # 2026-05-01 .. 2026-05-03, end exclusive 05-04 00:00
    f = build_features(s, w, tz_offset_hours=8, min_events=3)
    fr = f.frame
    a = fr.loc["a"]
    assert a["events"] == 3 and a["active_days"] == 2 and a["sessions"] == 2
    assert a["mix_view_item"] == pytest.approx(1 / 3) and a["mix_purchase"] == pytest.approx(1 / 3)
    # 00:30 and 00:40 UTC are 08:30/08:40 local (06-10); 15:00 UTC is 23:00 local (22-02)
    assert a["hour_06_10"] == pytest.approx(2 / 3) and a["hour_22_02"] == pytest.approx(1 / 3)
    assert a["orders"] == 1 and a["revenue"] == 100 and a["avg_order_value"] == 100
    # last event 05-02 15:00 -> 1 day 9 hours before 05-04 00:00
    assert a["days_since_last"] == pytest.approx(1 + 9 / 24)
    assert a["days_since_last_order"] == pytest.approx(1 + 9 / 24)
    assert a["tenure_days"] == pytest.approx(3.0)
    b = fr.loc["b"]
    # 5 events (2 session_start); content: 2 distinct items over 3 content events
    assert b["events"] == 5 and b["mix_view_content"] == pytest.approx(3 / 5)
    assert b["content_items"] == 2 and b["content_breadth"] == pytest.approx(2 / 3)
    assert b["events_per_active_day"] == pytest.approx(5 / 2)
    assert b["orders"] == 0 and b["avg_order_value"] == 0 and np.isnan(b["days_since_last_order"])
    assert b["region"] == "华北" and b["channel"] == "抖音"
    # c has 1 event (< 3): flagged, and counted as set aside
    assert f.low_activity.to_dict() == {"a": False, "b": False, "c": True}
    assert any("fewer than 3 events" in x.reason and x.n_rows == 1 for x in s.set_aside)


def test_transformer_records_log_and_standardisation(tmp_path):
    fr = pd.DataFrame({"events": [0.0, 1.0, 3.0], "mix_like": [0.1, 0.2, 0.3]})
    t = FeatureTransformer().fit(fr, ["events", "mix_like"])
    rec = t.record_.set_index("feature")
    assert bool(rec.loc["events", "log1p"]) and not bool(rec.loc["mix_like", "log1p"])
    x = np.log1p([0.0, 1.0, 3.0])
    assert rec.loc["events", "mean"] == pytest.approx(x.mean())
    Z = t.transform(fr)
    assert Z[:, 0] == pytest.approx((x - x.mean()) / x.std())
    assert Z[:, 1] == pytest.approx([-1.224744871, 0.0, 1.224744871])


def test_all_missing_feature_is_a_clear_error():
    fr = pd.DataFrame({"events": [1.0, 2.0], "aov": [np.nan, np.nan]})
    with pytest.raises(DataError, match="missing for every user"):
        FeatureTransformer().fit(fr, ["events", "aov"])


def test_constant_feature_leaves_the_personas_out(tmp_path):
    s = open_source(tmp_path)
    # every user has exactly one session per active day
    r = persona_clustering(s, features=["events", "mix_view_item", "sessions_per_active_day"],
                           k=2, min_events=1, n_boot=1)
    line = r.skipped["k"].render("en")
    assert "same value" in line and "sessions_per_active_day" in line and "features" in line
    assert all(key in r.skipped for key in ("k", "stability", "personas", "makeup", "actions"))
    assert r.runs("who") and r.runs("rfm")


def test_fewer_users_than_k(tmp_path):
    s = open_source(tmp_path)
    r = persona_clustering(s, k=5, min_events=1, n_boot=1)
    assert r.skipped["k"].render("en") == (
        "Left out: only 3 users have 1 or more events in the window, too few for up to 5 "
        "personas; lower k (e.g. -p k=2) or min_events.")
    assert r.profiles is None and r.runs("rfm")


def test_window_without_activity(tmp_path):
    ev = EVENTS + "c,2026-05-20 10:00:00,view_item,0,s6,\n"
    s = open_source(tmp_path, events=ev)
    for start, end in (("2026-05-10", "2026-05-12"), ("2027-01-01", "2027-01-31")):
        r = persona_clustering(s, start_date=start, end_date=end, k=2, n_boot=1)
        assert set(r.skipped) == {sec.key for sec in r.SECTIONS}
        line = r.skipped["who"].render("en")
        assert f"no event between {start} – {end}" in line, line
        assert "start_date and end_date" in line and "2026-05-01 to 2026-05-20" in line
        assert r.check_text().startswith(f"window: {start} – {end}")


def test_without_session_columns_the_session_features_are_dropped(tmp_path):
    """Other event names, no session_id: nothing assumes the sample's session_start."""
    users = USERS
    events = "\n".join(",".join(row.split(",")[:4]) for row in EVENTS.strip().splitlines())
    events = events.replace("session_start", "app_open") + "\n"
    s = open_source(tmp_path, users=users, events=events)
    f = build_features(s, resolve_window(s), min_events=1)
    assert "sessions" not in f.numeric and "sessions_per_active_day" not in f.numeric
    assert ("sessions", "no session_id column and no session_start events") in f.dropped
    # the platform's own event names make the engagement mix
    assert f.frame.loc["a", "mix_app_open"] == pytest.approx(1 / 3)


def test_bad_parameters(tmp_path):
    s = open_source(tmp_path)
    with pytest.raises(ParameterError, match="method"):
        persona_clustering(s, method="dbscan")
    with pytest.raises(ParameterError, match="unknown feature"):
        persona_clustering(s, features=["nope"], k=2, min_events=1)
    with pytest.raises(ParameterError, match="k_max"):
        persona_clustering(s, k_min=5, k_max=3)


def test_makeup_counts_equal_a_crosstab_of_the_values():
    from opsnb.personas.profiles import makeup_counts

    # worked by hand: persona 0 has a, a, (empty); persona 1 has b, (empty); persona 2 has a.
    # "zz" is a category no user of this frame holds (it is left out, as a crosstab leaves it)
    col = pd.Series(pd.Categorical(["a", "a", None, "b", None, "a"], categories=["a", "b", "zz"]))
    labels = np.array([0, 0, 0, 1, 1, 2])
    ct = makeup_counts(col, labels, 3)
    assert list(ct.columns) == ["(empty)", "a", "b"]
    assert ct.to_numpy().tolist() == [[1, 2, 0], [1, 0, 1], [0, 1, 0]]
    # the same counts as pandas' crosstab of the values as Python strings, on random data
    rng = np.random.default_rng(3)
    vals = rng.choice(np.array(["华东", "华北", "", "west", None], dtype=object), 5000)
    labels = rng.integers(0, 4, 5000)
    ref = pd.crosstab(labels, pd.Series(vals).where(pd.notna(vals), "(empty)"))
    got = makeup_counts(pd.Series(vals, dtype="str"), labels, 4)
    assert list(got.columns) == list(ref.columns)
    assert (got.to_numpy() == ref.to_numpy()).all()


def test_profile_columns_are_categoricals_with_the_users_values(tmp_path):
    from opsnb.data.shapes import base_sample

    src = DataSource.open(base_sample())
    feats = build_features(src, resolve_window(src, "", ""))
    users = src.to_pandas("users").set_index("user_id")
    for c in feats.categorical:
        col = feats.frame[c]
        assert isinstance(col.dtype, pd.CategoricalDtype)
        want = users.loc[feats.frame.index, c]
        assert (col.isna().to_numpy() == want.isna().to_numpy()).all()
        assert (col.astype(object)[col.notna()] == want[want.notna()]).all()
