"""The data contract: every kind of bad input gives a DataError naming table, column and fix."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from opsnb import DataError
from opsnb.data.source import DataSource

USERS = """
user_id,signup_at,channel,campaign,region,device,age_band,gender
u1,2026-05-01 10:00:00,抖音,抖音_live,华东,ios,25-34,f
u2,2026-05-02 23:45:00,organic,,华北,android,18-24,
u3,2026-05-03 08:00:00,微信,,华南,web,35-44,m
"""
EVENTS = """
user_id,event_at,event,revenue
u1,2026-05-01 10:00:00,session_start,0
u1,2026-05-01 10:05:00,purchase,99.5
u2,2026-05-03 00:10:00,session_start,0
u3,2026-05-03 08:00:00,session_start,0
"""


def test_valid_tables_load_with_contract_types(tables):
    src = tables(users=USERS, events=EVENTS)
    ev = src.table("events").to_pandas()
    assert len(ev) == 4
    assert ev["revenue"].sum() == pytest.approx(99.5)
    assert str(ev["event_at"].dtype).startswith("datetime64")
    users = src.table("users").to_pandas()
    # empty optional strings become missing, not ""
    assert users.set_index("user_id").loc["u2", "campaign"] is None or pd.isna(
        users.set_index("user_id").loc["u2", "campaign"])
    assert src.set_aside == []


def test_missing_table_names_table_and_fix(tables):
    src = tables(users=USERS)
    with pytest.raises(DataError) as e:
        src.table("events")
    assert e.value.table == "events"
    assert "events.csv" in e.value.fix


def test_missing_column(tables):
    src = tables(users=USERS.replace("channel,", "chan,", 1), events=EVENTS)
    with pytest.raises(DataError) as e:
        src.table("users")
    assert (e.value.table, e.value.column) == ("users", "channel")
    assert "rename" in e.value.fix


def test_wrong_type_shows_offending_rows(tables):
    bad = EVENTS.replace("99.5", "ninety")
    src = tables(users=USERS, events=bad)
    with pytest.raises(DataError) as e:
        src.table("events")
    err = e.value
    assert (err.table, err.column, err.n_bad) == ("events", "revenue", 1)
    assert "ninety" in str(err)
    assert "number" in err.fix


def test_unparsable_timestamp(tables):
    bad = USERS.replace("2026-05-03 08:00:00", "3rd of May")
    src = tables(users=bad, events=EVENTS.replace("u3,2026-05-03 08:00:00,session_start,0\n", ""))
    with pytest.raises(DataError) as e:
        src.table("users")
    assert e.value.column == "signup_at"
    assert "3rd of May" in str(e.value)


def test_mixed_timezones(tables):
    bad = USERS.replace("2026-05-01 10:00:00", "2026-05-01T18:00:00+08:00")
    src = tables(users=bad, events=EVENTS)
    with pytest.raises(DataError) as e:
        src.table("users")
    assert e.value.column == "signup_at"
    assert "mixed time zones" in str(e.value)
    assert "UTC" in e.value.fix


def test_offsets_are_converted_to_utc(tables):
    aware = USERS.replace("2026-05-01 10:00:00", "2026-05-01T18:00:00+08:00").replace(
        "2026-05-02 23:45:00", "2026-05-02T23:45:00Z").replace(
        "2026-05-03 08:00:00", "2026-05-03T08:00:00+00:00")
    src = tables(users=aware, events=EVENTS)
    with pytest.raises(DataError):  # +08:00 and Z/+00:00 mixed: different offsets
        src.table("users")
    same = USERS.replace("2026-05-01 10:00:00", "2026-05-01T18:00:00+08:00").replace(
        "2026-05-02 23:45:00", "2026-05-03T07:45:00+08:00").replace(
        "2026-05-03 08:00:00", "2026-05-03T16:00:00+08:00")
    src = tables(users=same, events=EVENTS)
    u = src.table("users").to_pandas().set_index("user_id")["signup_at"]
    assert u["u1"] == pd.Timestamp("2026-05-01 10:00:00")
    assert u["u2"] == pd.Timestamp("2026-05-02 23:45:00")


def test_duplicate_user_ids(tables):
    src = tables(users=USERS + "u1,2026-05-04 10:00:00,organic,,华东,ios,25-34,f\n", events=EVENTS)
    with pytest.raises(DataError) as e:
        src.table("users")
    assert e.value.table == "users" and e.value.n_bad == 1
    assert "u1" in str(e.value)


def test_negative_revenue(tables):
    src = tables(users=USERS, events=EVENTS.replace("99.5", "-20"))
    with pytest.raises(DataError) as e:
        src.table("events")
    assert (e.value.column, e.value.n_bad) == ("revenue", 1)
    assert "refund" in e.value.fix


def test_negative_spend(tables):
    spend = "date,channel,campaign,spend\n2026-05-01,抖音,a,100\n2026-05-02,抖音,a,-5\n"
    src = tables(spend=spend)
    with pytest.raises(DataError) as e:
        src.table("spend")
    assert (e.value.table, e.value.column, e.value.n_bad) == ("spend", "spend", 1)


def test_events_before_signup(tables):
    bad = EVENTS + "u3,2026-05-02 08:00:00,view_item,0\n"
    src = tables(users=USERS, events=bad)
    with pytest.raises(DataError) as e:
        src.table("events")
    assert (e.value.table, e.value.column, e.value.n_bad) == ("events", "event_at", 1)
    assert "signup_at" in e.value.fix


def test_user_in_two_variants(tables):
    asg = ("experiment_id,user_id,variant,assigned_at\n"
           "e1,u1,control,2026-05-02 00:00:00\ne1,u1,treatment,2026-05-03 00:00:00\n"
           "e1,u2,control,2026-05-03 00:00:00\n")
    src = tables(users=USERS, events=EVENTS, assignments=asg)
    with pytest.raises(DataError) as e:
        src.table("assignments")
    assert (e.value.table, e.value.column, e.value.n_bad) == ("assignments", "variant", 1)
    assert "more than one variant" in str(e.value)


def test_unknown_users_are_set_aside_and_counted(tables):
    extra = EVENTS + "ghost,2026-05-04 00:00:00,session_start,0\nghost,2026-05-04 00:01:00,view_item,0\n"
    src = tables(users=USERS, events=extra)
    ev = src.table("events").to_pandas()
    assert len(ev) == 4  # nothing else lost: 6 rows = 4 kept + 2 set aside
    assert [(s.table, s.n_rows) for s in src.set_aside] == [("events", 2)]
    assert "1 user ids" in src.set_aside[0].reason


def test_repeated_exposure_keeps_first_and_counts(tables):
    asg = ("experiment_id,user_id,variant,assigned_at\n"
           "e1,u1,control,2026-05-03 00:00:00\ne1,u1,control,2026-05-02 00:00:00\n"
           "e1,u2,treatment,2026-05-03 00:00:00\n")
    src = tables(users=USERS, events=EVENTS, assignments=asg)
    a = src.table("assignments").to_pandas().set_index("user_id")
    assert len(a) == 2
    assert a.loc["u1", "assigned_at"] == pd.Timestamp("2026-05-02")
    assert src.set_aside[0].n_rows == 1


def test_duplicate_competitor_rows(tables):
    cm = ("date,competitor,metric,value\n2026-05-01,Kivo,price,10\n2026-05-01,Kivo,price,11\n"
          "2026-05-01,Lumo,price,12\n")
    src = tables(competitor_metrics=cm)
    with pytest.raises(DataError) as e:
        src.table("competitor_metrics")
    assert e.value.n_bad == 1 and "Kivo" in str(e.value)


def test_parquet_and_duckdb_sources(tmp_path):
    users = pd.DataFrame({"user_id": ["a", "b"], "signup_at": pd.to_datetime(
        ["2026-05-01 08:00+08:00", "2026-05-01 01:00+00:00"], utc=True), "channel": ["x", "y"]})
    events = pd.DataFrame({"user_id": ["a", "b"], "event_at": pd.to_datetime(
        ["2026-05-01 00:30", "2026-05-01 02:00"]), "event": ["s", "s"], "revenue": [0, 1]})
    d = tmp_path / "pq"
    d.mkdir()
    users.to_parquet(d / "users.parquet")
    events.to_parquet(d / "events.parquet")
    src = DataSource.open(d)
    u = src.table("users").to_pandas().set_index("user_id")["signup_at"]
    assert u["a"] == pd.Timestamp("2026-05-01 00:00")  # tz-aware parquet converted to naive UTC
    assert src.table("events").revenue.sum().to_pandas() == 1.0

    db = tmp_path / "ops.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE users AS SELECT * FROM read_parquet(?)", [str(d / "users.parquet")])
    con.execute("CREATE TABLE events AS SELECT * FROM read_parquet(?)", [str(d / "events.parquet")])
    con.close()
    src2 = DataSource.open(db)
    assert src2.available == ["users", "events"]
    assert int(src2.table("events").count().to_pandas()) == 2


def test_not_a_source(tmp_path):
    with pytest.raises(DataError) as e:
        DataSource.open(tmp_path / "nope")
    assert "neither a directory" in str(e.value)


def test_blank_optional_text_in_parquet_is_missing_not_an_error(tmp_path):
    d = tmp_path / "pq"
    d.mkdir()
    pd.DataFrame({"user_id": ["a"], "signup_at": [pd.Timestamp("2026-05-01")], "channel": ["x"],
                  "campaign": [""]}).to_parquet(d / "users.parquet")
    u = DataSource.open(d).table("users").to_pandas()
    assert pd.isna(u.loc[0, "campaign"])


def test_validation_is_cached_per_file_version(tmp_path, monkeypatch):
    from opsnb.data import source as src_mod
    from conftest import write_tables

    monkeypatch.setenv("OPSNB_CACHE_DIR", str(tmp_path / "cache"))
    d = write_tables(tmp_path / "data", users=USERS,
                     events=EVENTS + "ghost,2026-05-04 00:00:00,session_start,0\n")
    first = DataSource.open(d)
    assert len(first.table("events").to_pandas()) == 4
    assert [(s.table, s.n_rows) for s in first.set_aside] == [("events", 1)]

    # a second source over the same files reads the cached result: no check query runs
    calls = []
    real = src_mod.DataSource._check_users
    monkeypatch.setattr(src_mod.DataSource, "_check_users",
                        lambda self, *a: calls.append(1) or real(self, *a))
    again = DataSource.open(d)
    assert len(again.table("events").to_pandas()) == 4       # unknown user still set aside
    assert [(s.table, s.n_rows) for s in again.set_aside] == [("events", 1)]
    assert calls == []

    # a changed file is validated again (and its error is not hidden by the cache)
    (d / "events.csv").write_text(EVENTS.replace("99.5", "-1") + "\n", encoding="utf-8")
    with pytest.raises(DataError):
        DataSource.open(d).table("events")

    # and the cache can be switched off
    monkeypatch.setenv("OPSNB_VALIDATION_CACHE", "0")
    (d / "events.csv").write_text(EVENTS, encoding="utf-8")
    DataSource.open(d).table("events")
    assert calls == [1, 1]  # users and events both checked again


def test_unknown_users_in_assignments_counted_once_per_experiment(tables):
    # ghost: two experiments, and a repeated exposure in e1; nobody: one row. Set aside are the
    # (experiment, user) pairs of unknown users after the repeat is folded: 3 pairs of 2 users
    asg = ("experiment_id,user_id,variant,assigned_at\n"
           "e1,u1,control,2026-05-02 00:00:00\n"
           "e1,ghost,control,2026-05-02 00:00:00\ne1,ghost,control,2026-05-03 00:00:00\n"
           "e2,ghost,treatment,2026-05-03 00:00:00\ne1,nobody,treatment,2026-05-03 00:00:00\n")
    src = tables(users=USERS, events=EVENTS, assignments=asg)
    a = src.table("assignments").to_pandas()
    assert list(a["user_id"]) == ["u1"]
    by_reason = {s.reason: s.n_rows for s in src.set_aside if s.table == "assignments"}
    assert by_reason == {"repeated exposures of the same user and variant (the first one is kept)": 1,
                         "2 user ids not found in users": 3}
