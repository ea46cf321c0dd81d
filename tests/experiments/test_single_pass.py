"""The one-pass per-user table: its shortcuts give what the direct queries give."""

from __future__ import annotations

import pandas as pd
import pytest

from opsnb.data.source import DataSource
from opsnb.experiments import sequential
from opsnb.experiments.aggregates import variant_moments, variant_moments_many
from opsnb.experiments.metrics import DEFAULT_METRICS, Metric, check_events_exist, metric_columns, \
    user_metrics
from opsnb.errors import DataError

EXP, START, END = "exp_checkout_v2", pd.Timestamp("2026-08-01"), pd.Timestamp("2026-08-29")
CONV = Metric("conv", "proportion", event="purchase")
PAYING = Metric("paying", "proportion", event="purchase", value="revenue")
SESSIONS = Metric("any_session", "proportion", event="session_start")


@pytest.fixture(scope="module")
def source():
    return DataSource.open(None)


@pytest.mark.parametrize("metric", [CONV, PAYING, SESSIONS], ids=lambda m: m.name)
def test_sequential_from_the_user_table_equals_the_event_query(source, metric):
    ut = user_metrics(source, EXP, START, END, [metric, *DEFAULT_METRICS], 14, first=[metric])
    ut = source.materialize(ut, "test_users")
    fast = sequential.cumulative_moments_from_users(ut, metric, START, END)
    slow = sequential.cumulative_moments(source, EXP, START, END, metric)
    pd.testing.assert_frame_equal(fast, slow, check_dtype=False)
    assert fast["sum_y"].iloc[-1] > 0


def test_first_event_columns_are_for_proportions_only(source):
    with pytest.raises(Exception, match="proportion"):
        user_metrics(source, EXP, START, END, DEFAULT_METRICS, 14, first=[DEFAULT_METRICS[1]])


def test_moments_of_several_metrics_in_one_query(source):
    ms = [m for m in DEFAULT_METRICS if m.kind != "quantile"]
    ut = source.materialize(user_metrics(source, EXP, START, END, ms, 14), "test_users")
    many = variant_moments_many(ut, {m.name: metric_columns(ut, m, pre=m.cuped_able) for m in ms})
    for m in ms:
        one = variant_moments(ut, metric_columns(ut, m, pre=m.cuped_able))
        pd.testing.assert_frame_equal(many[m.name], one, check_exact=False, rtol=1e-12)


def test_events_check_sees_present_and_missing_events(source):
    check_events_exist(source, [CONV, SESSIONS], START, END, EXP)  # both occur
    with pytest.raises(DataError, match="checkout never occur"):
        check_events_exist(source, [CONV, Metric("x", "proportion", event="checkout")], START, END, EXP)
