"""DuckDB 1.5 merges day and month intervals in one SELECT: no opsnb query may mix them.

``select d + INTERVAL '30' DAY, d + INTERVAL '1' MONTH`` returns +30 days twice, because DuckDB
treats the two (equal-comparing) intervals as one expression. opsnb's queries only truncate to
calendar periods and add day intervals; month arithmetic is done in pandas
(:mod:`opsnb.data.periods`). These tests capture every SQL statement the KPI and retention
reports send to DuckDB with ``period=month`` and check it, then check the month boundaries by
hand on a fixture around January 31.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from opsnb import kpi
from opsnb.data import periods
from opsnb.data.window import resolve_window

_INTERVAL = re.compile(
    r"INTERVAL\s*'?\s*[-+]?\d+(?:\.\d+)?\s*'?\s*'?([A-Za-z]+)|INTERVAL\s*'[^']*?([A-Za-z]+)\s*'",
    re.I)
_DAYLIKE = {"microsecond", "millisecond", "second", "minute", "hour", "day", "week"}
_MONTHLIKE = {"month", "quarter", "year"}


def interval_units(sql: str) -> set[str]:
    """The units of the interval literals in a SQL statement ('day', 'month', ...)."""
    units = set()
    for m in _INTERVAL.finditer(sql):
        unit = (m.group(1) or m.group(2) or "").lower().rstrip("s")
        if unit:
            units.add(unit)
    return units


def mixes_day_and_month(sql: str) -> bool:
    u = interval_units(sql)
    return bool(u & _DAYLIKE) and bool(u & _MONTHLIKE)


def test_the_detector_finds_the_trap():
    trap = "select d + INTERVAL '30' DAY, d + INTERVAL '1' MONTH from (select DATE '2026-01-31' d)"
    assert interval_units(trap) == {"day", "month"} and mixes_day_and_month(trap)
    assert not mixes_day_and_month("select d + INTERVAL 7 DAY, d + INTERVAL '30' DAY from t")
    assert mixes_day_and_month("select d + INTERVAL '1 month', d + INTERVAL '2 days' from t")


@pytest.fixture
def captured(monkeypatch):
    """Every SQL statement Ibis sends to DuckDB while the test runs."""
    from ibis.backends.duckdb import Backend

    sqls: list[str] = []
    compile_, raw_sql = Backend.compile, Backend.raw_sql

    def compile_spy(self, *args, **kwargs):
        sql = compile_(self, *args, **kwargs)
        sqls.append(str(sql))
        return sql

    def raw_sql_spy(self, query, **kwargs):
        sqls.append(query if isinstance(query, str) else query.sql(dialect="duckdb"))
        return raw_sql(self, query, **kwargs)

    monkeypatch.setattr(Backend, "compile", compile_spy)
    monkeypatch.setattr(Backend, "raw_sql", raw_sql_spy)
    return sqls


# users a..d; a starts on Jan 31 and comes back on Feb 1 (next month, one day later), Mar 1
# and Mar 2 (30 days after Jan 31 is Mar 2: a month taken as 30 days would put it in February)
USERS = """
user_id,signup_at,channel
a,2026-01-31 10:00:00,ads
b,2026-01-01 09:00:00,organic
c,2026-02-28 23:30:00,ads
d,2026-03-31 08:00:00,organic
"""
EVENTS = """
user_id,event_at,event,revenue
a,2026-01-31 10:00:00,session_start,0
a,2026-02-01 10:00:00,purchase,10
a,2026-03-01 10:00:00,session_start,0
a,2026-03-02 10:00:00,purchase,20
b,2026-01-01 09:00:00,session_start,0
b,2026-01-31 23:59:00,purchase,5
b,2026-03-31 12:00:00,session_start,0
c,2026-02-28 23:30:00,session_start,0
c,2026-03-01 00:10:00,purchase,7
d,2026-03-31 08:00:00,session_start,0
d,2026-03-31 23:30:00,session_start,0
"""


@pytest.fixture
def month_fixture(tables):
    src = tables(users=USERS, events=EVENTS)
    return src, resolve_window(src, "2026-01-01", "2026-03-31")


def test_kpi_months_by_hand_and_no_mixed_intervals(month_fixture, captured):
    src, w = month_fixture
    r = kpi.kpi_overview(src, "2026-01-01", "2026-03-31", period="month", mau_days=30)
    p = r.periods.table
    assert p["period_start"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-01", "2026-02-01",
                                                                 "2026-03-01"]
    assert p["period_end"].dt.strftime("%Y-%m-%d").tolist() == ["2026-02-01", "2026-03-01",
                                                               "2026-04-01"]
    assert p["active_users"].tolist() == [2, 2, 4]        # Jan: a, b; Feb: a, c; Mar: a, b, c, d
    assert p["revenue"].tolist() == [5.0, 10.0, 27.0]     # b's Jan 31 23:59 purchase is January's
    assert p["new_users"].tolist() == [2, 1, 1]
    assert p["complete"].tolist() == [True, True, True]
    # MAU (30 trailing days, day intervals): Mar 1 reaches back to Jan 31 (a, b, c); Mar 2 to
    # Feb 1 (a, c); Mar 31 to Mar 2 (a, b, d: c's Mar 1 purchase has dropped out)
    mau = r.active.daily.set_index("date")["mau"]
    assert mau[pd.Timestamp("2026-03-01")] == 3 and mau[pd.Timestamp("2026-03-02")] == 2
    assert mau[pd.Timestamp("2026-01-31")] == 2 and mau[pd.Timestamp("2026-03-31")] == 3
    assert any(interval_units(s) == {"day"} for s in captured), "the MAU query was not captured"
    bad = [s for s in captured if mixes_day_and_month(s)]
    assert not bad, bad[0]


def test_retention_months_by_hand_and_no_mixed_intervals(month_fixture, captured):
    from opsnb.retention import RetentionSpec, cohort_matrix

    src, w = month_fixture
    spec = RetentionSpec.make(period="month", window="calendar")
    m = cohort_matrix(src, w, spec).table
    jan = m[m["cohort"] == pd.Timestamp("2026-01-01")].set_index("period")
    # Jan cohort: a (Jan 31) and b (Jan 1). M1: a on Feb 1. M2: a on Mar 1, b on Mar 31.
    assert jan.loc[0, "size"] == 2
    assert jan.loc[1, "retained"] == 1 and jan.loc[2, "retained"] == 2
    feb = m[m["cohort"] == pd.Timestamp("2026-02-01")].set_index("period")
    assert feb.loc[0, "size"] == 1 and feb.loc[1, "retained"] == 1  # c: Feb 28 -> Mar 1
    assert captured
    bad = [s for s in captured if mixes_day_and_month(s)]
    assert not bad, bad[0]


def test_no_month_interval_in_the_package_source():
    """No opsnb module builds a month interval for a query (months are done in pandas)."""
    from pathlib import Path

    import opsnb

    pattern = re.compile(r"interval\([^)]*(months|years|quarters)\s*=|INTERVAL\s*'?\d+'?\s*MONTH",
                         re.I)
    found = [f"{p}:{i}" for p in Path(opsnb.__file__).parent.rglob("*.py")
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line) and "DuckDB 1.5" not in line]
    assert not found, found


def test_period_month_boundaries():
    jan31 = pd.Timestamp("2026-01-31 23:59")
    assert periods.period_start(jan31, "month") == pd.Timestamp("2026-01-01")
    assert periods.period_end(periods.period_start(jan31, "month"), "month") == pd.Timestamp(
        "2026-02-01")
    assert periods.period_end(pd.Timestamp("2024-02-01"), "month") == pd.Timestamp("2024-03-01")
