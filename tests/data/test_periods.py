"""opsnb.data.periods: one definition of day, week and month, used by KPI and retention."""

from __future__ import annotations

import pandas as pd
import pytest

from opsnb import ParameterError
from opsnb.data import periods
from opsnb.data.periods import Period


@pytest.mark.parametrize("ts, period, start, end", [
    ("2026-05-03 23:59", "day", "2026-05-03", "2026-05-04"),
    ("2026-05-03 23:59", "week", "2026-04-27", "2026-05-04"),   # Sunday: ISO week from Monday
    ("2026-05-04 00:00", "week", "2026-05-04", "2026-05-11"),
    ("2026-01-31 12:00", "month", "2026-01-01", "2026-02-01"),
    ("2024-02-29 12:00", "month", "2024-02-01", "2024-03-01"),   # leap year
    ("2026-12-31 23:00", "month", "2026-12-01", "2027-01-01"),
])
def test_start_and_end(ts, period, start, end):
    s = periods.period_start(pd.Timestamp(ts), period)
    assert s == pd.Timestamp(start)
    assert periods.period_end(s, period) == pd.Timestamp(end)
    assert periods.index_start(periods.period_index(pd.Timestamp(ts), period), period) == s


@pytest.mark.parametrize("ts", ["2026-01-05 23:45", "2026-03-01", "2025-12-31 10:00"])
def test_period_index_round_trip(ts):
    t = pd.Timestamp(ts)
    for p in Period:
        i = periods.period_index(t, p)
        s = periods.index_start(i, p)
        assert s <= t < periods.index_start(i + 1, p)
        assert periods.index_start(i + 1, p) == periods.period_end(s, p)


def test_starts_cover_the_window():
    assert periods.period_starts("2026-01-31", "2026-03-01", "month") == [
        pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01"), pd.Timestamp("2026-03-01")]
    assert len(periods.period_starts("2026-05-01", "2026-05-01", "day")) == 1
    assert periods.period_starts("2026-05-01", "2026-05-03", "week") == [pd.Timestamp("2026-04-27")]


def test_names_units_and_labels():
    assert periods.PERIODS == ("day", "week", "month")
    assert [periods.truncation_unit(p) for p in Period] == ["D", "W", "M"]
    assert periods.parse_period(" WEEK ") is Period.WEEK
    with pytest.raises(ParameterError, match="cohort_period='year'"):
        periods.parse_period("year", "cohort_period")
    assert periods.offset_label(0, "month") == "M0"
    assert periods.offset_label(2, "day", 3) == "D2-3" and periods.offset_label(4, "day", 4) == "D4"
    assert periods.period_label(pd.Timestamp("2026-05-04")) == "2026-05-04"
    assert periods.period_label(pd.Timestamp("2026-05-04"), False, "未完整") == "2026-05-04 (未完整)"
    assert periods.period_length("week") == pd.Timedelta(days=7)
    with pytest.raises(ParameterError):
        periods.period_length("month")


def test_ibis_truncation_matches_pandas(sample_source):
    ev = sample_source.table("events")
    ev = ev.filter(ev.event_at < pd.Timestamp("2026-06-15")).limit(500)
    for p in Period:
        got = ev.select("event_at", s=periods.truncate(ev.event_at, p)).to_pandas()
        exp = [periods.period_start(t, p) for t in got["event_at"]]
        assert got["s"].tolist() == exp, p


def test_ibis_period_index_matches_pandas(sample_source):
    """The index retention computes in queries is the one it computes in pandas."""
    ev = sample_source.table("events")
    ev = ev.filter(ev.event_at < pd.Timestamp("2026-06-15")).limit(500)
    for p in Period:
        got = ev.select("event_at", i=periods.period_index_expr(ev.event_at, p)).to_pandas()
        assert got["i"].tolist() == [periods.period_index(t, p) for t in got["event_at"]], p


def test_retention_spec_delegates_its_period_helpers():
    from opsnb.retention import spec

    assert spec.Period is Period
    assert spec.PERIOD_LETTER[Period.WEEK] == "W" and spec.PERIOD_DAYS[Period.MONTH] == 28
    assert spec.period_length(Period.DAY) == pd.Timedelta(days=1)
    s = spec.RetentionSpec.make(period="week", counting="brackets", brackets=[1, "2-3"])
    assert s.period_labels() == ["W1", "W2-3"]
    assert spec.RetentionSpec.make(period="day", max_period=2).period_labels() == ["D0", "D1", "D2"]
