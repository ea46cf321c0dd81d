"""Cron in a schedule's timezone, date windows and the due plan (pure functions, no notebooks)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from opsnb.schedule.config import parse_config
from opsnb.schedule.cron import Cron, CronError
from opsnb.schedule.due import plan
from opsnb.schedule.windows import WindowError, WindowSpec

UTC = dt.UTC


def t(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s).replace(tzinfo=UTC)


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def test_cron_fields_and_errors():
    c = Cron.parse("*/15 6-8 1,15 * mon-fri")
    assert sorted(c.minutes) == [0, 15, 30, 45] and sorted(c.hours) == [6, 7, 8]
    assert sorted(c.weekdays) == [1, 2, 3, 4, 5]
    assert Cron.parse("@weekly").weekdays == {0} and Cron.parse("0 0 * * 7").weekdays == {0}
    # day-of-month and day-of-week both restricted: either matches (Vixie cron, Airflow)
    assert c.matches_day(d("2026-11-01"))        # the 1st, a Sunday
    assert c.matches_day(d("2026-11-03"))        # a Tuesday
    assert not c.matches_day(d("2026-11-07"))    # a Saturday, not the 1st or 15th
    for bad, msg in [("61 * * * *", "minute: 61 is outside 0-59"), ("* * *", "has 3 fields"),
                     ("0 6 * * funday", "day of week"), ("0 6 * 13 *", "month: 13"),
                     ("*/0 * * * *", "step"), ("5-1 * * * *", "backwards"), ("", "empty")]:
        with pytest.raises(CronError, match=msg):
            Cron.parse(bad)


def test_cron_fires_in_its_timezone_across_dst():
    # 06:00 in New York is 10:00 UTC under EDT and 11:00 UTC after DST ends (1 Nov 2026)
    fires = Cron.parse("0 6 * * *").fire_times("America/New_York", t("2026-10-30T00:00"),
                                               t("2026-11-03T00:00"))
    assert [f.isoformat() for f in fires] == [
        "2026-10-30T10:00:00+00:00", "2026-10-31T10:00:00+00:00",
        "2026-11-01T11:00:00+00:00", "2026-11-02T11:00:00+00:00"]
    # Berlin: DST ended 25 Oct 2026 at 03:00 CEST; 01:00-02:59 UTC+2 became UTC+1
    berlin = Cron.parse("0 7 * * *").fire_times("Europe/Berlin", t("2026-10-24T00:00"),
                                                t("2026-10-26T23:00"))
    assert [f.hour for f in berlin] == [5, 6, 6]
    # hourly through the repeated hour (02:00-02:59 happens twice): 24 + 1 hours, 24 fires,
    # all distinct and increasing
    day = Cron.parse("0 * * * *").fire_times("Europe/Berlin", t("2026-10-24T22:00"),
                                             t("2026-10-25T23:00"))
    assert len(day) == 24 and day == sorted(set(day))
    # spring forward (29 Mar 2026, 02:00 -> 03:00): the skipped 02:30 fires right after the gap
    spring = Cron.parse("30 2 * * *").fire_times("Europe/Berlin", t("2026-03-28T00:00"),
                                                 t("2026-03-30T00:00"))
    assert [f.isoformat() for f in spring] == ["2026-03-28T01:30:00+00:00",
                                               "2026-03-29T01:30:00+00:00"]


def test_windows_in_the_schedule_timezone():
    ny, berlin, sh = "America/New_York", "Europe/Berlin", "Asia/Shanghai"
    # 00:30 UTC on 1 Nov is still 31 Oct in New York and already 1 Nov in Berlin/Shanghai
    at = t("2026-11-01T00:30")
    day = WindowSpec.parse("last_complete_day")
    assert (day.resolve(at, ny).start, day.resolve(at, berlin).start) == (d("2026-10-30"),
                                                                          d("2026-10-31"))
    month = WindowSpec.parse("last_complete_month")
    assert month.resolve(at, ny).label == "2026-09-01_2026-09-30"
    assert month.resolve(at, sh).label == "2026-10-01_2026-10-31"
    # ISO week, Monday start: Monday 2 Nov 07:00 Berlin -> 26 Oct .. 1 Nov (across the month)
    week = WindowSpec.parse("last_complete_week")
    w = week.resolve(t("2026-11-02T06:00"), berlin)
    assert (w.start, w.end, w.days) == (d("2026-10-26"), d("2026-11-01"), 7)
    # a Sunday still belongs to the current ISO week: the last complete week ended 25 Oct
    assert week.resolve(t("2026-11-01T12:00"), berlin).end == d("2026-10-25")
    # the week of the Berlin DST change is 7 calendar days (167 hours long, still 7 dates)
    assert week.resolve(t("2026-10-26T06:00"), berlin).label == "2026-10-19_2026-10-25"
    tr = WindowSpec.parse("trailing_28_days").resolve(t("2026-11-02T12:00"), ny)
    assert (tr.start, tr.end, tr.days) == (d("2026-10-05"), d("2026-11-01"), 28)
    fixed = WindowSpec.parse({"start": "2026-10-01", "end": "2026-10-07"})
    assert fixed.resolve(at, sh).parameters() == {"start_date": "2026-10-01",
                                                  "end_date": "2026-10-07"}
    # leap year February
    assert month.resolve(t("2028-03-01T12:00"), "UTC").label == "2028-02-01_2028-02-29"
    for bad in ["last_day", "trailing_0_days", {"start": "2026-10-07", "end": "2026-10-01"},
                {"start": "2026-13-01", "end": "2026-10-01"}]:
        with pytest.raises(WindowError):
            WindowSpec.parse(bad)
    with pytest.raises(WindowError):
        day.resolve(dt.datetime(2026, 11, 1), ny)   # naive instants are refused


def _schedule(tmp_path: Path, **body):
    nb = tmp_path / "nb"
    if not nb.exists():
        from test_schedule_support import write_tiny_notebook
        write_tiny_notebook(nb)
    cfg = parse_config({"notebooks": str(nb), "schedules": {"s": {"notebook": "tiny", **body}}},
                       tmp_path / "reports.yaml")
    return cfg.schedules["s"]


def test_plan_catch_up_pending_and_force(tmp_path):
    s = _schedule(tmp_path, cron="0 6 * * *", timezone="America/New_York",
                  window="last_complete_day")
    # no history: only the latest window
    p = plan(s, t("2026-10-31T12:00"), None, set())
    assert [r.window.label for r in p.due] == ["2026-10-30"]
    assert p.due[0].fire_time == t("2026-10-31T10:00")
    # machine off for three days: the missed windows run in order at the next call
    p = plan(s, t("2026-11-03T12:00"), t("2026-10-31T10:00"), {"2026-10-30"})
    assert [r.window.label for r in p.due] == ["2026-10-31", "2026-11-01", "2026-11-02"]
    assert [r.fire_time.hour for r in p.due] == [11, 11, 11]          # EST now
    # a second call in the same hour: nothing is due
    assert plan(s, t("2026-11-03T12:30"), t("2026-11-03T11:00"), set()).due == []
    # done windows are skipped unless forced
    p = plan(s, t("2026-11-03T12:00"), None, {"2026-11-02"})
    assert p.due == [] and [w.label for w in p.done] == ["2026-11-02"]
    p = plan(s, t("2026-11-03T12:00"), t("2026-11-03T11:00"), {"2026-11-02"}, force=True)
    assert [(r.window.label, r.forced) for r in p.due] == [("2026-11-02", True)]

    # Berlin 00:30 in summer time is 22:30 UTC the day before: "yesterday" in Berlin is not
    # over in UTC yet (the data is UTC-dated), so the window waits until UTC midnight
    b = _schedule(tmp_path, cron="30 0 * * *", timezone="Europe/Berlin",
                  window="last_complete_day")
    p = plan(b, t("2026-10-20T23:00"), t("2026-10-19T22:30"), set())
    assert p.due == [] and [(w.label, w.ready_at) for w in p.pending] == [
        ("2026-10-20", t("2026-10-21T00:00"))]
    p = plan(b, t("2026-10-21T00:00"), t("2026-10-19T22:30"), set())
    assert [r.window.label for r in p.due] == ["2026-10-20"] and not p.pending
    # after the DST change 00:30 Berlin is 23:30 UTC: still waits, for 30 minutes
    p = plan(b, t("2026-10-26T23:40"), t("2026-10-25T23:30"), set())
    assert [w.label for w in p.pending] == ["2026-10-26"]

    # hourly cron over a weekly window: 24 fires a day, one window
    h = _schedule(tmp_path, cron="0 * * * *", timezone="Europe/Berlin",
                  window="last_complete_week")
    p = plan(h, t("2026-11-03T12:00"), t("2026-11-01T00:00"), {"2026-10-19_2026-10-25"})
    assert [r.window.label for r in p.due] == ["2026-10-26_2026-11-01"]
    assert [w.label for w in p.done] == ["2026-10-19_2026-10-25"]
    assert p.due[0].fire_time == t("2026-11-03T12:00")      # the latest fire asking (inclusive)
