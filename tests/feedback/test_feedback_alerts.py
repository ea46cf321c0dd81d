"""Surprise per day against the series' own baseline, alerts and the crisis flag."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from opsnb.feedback.alerts import crisis_watch, runs, surprise, tail_probability

DAYS = pd.date_range("2026-01-01", periods=40, freq="D")


def test_tail_probability_poisson_and_negative_binomial():
    assert tail_probability(7, 2.0, 1.5) == pytest.approx(stats.poisson.sf(6, 2.0))
    # mean 4, variance 12: r = 16 / 8 = 2, p = r / (r + m) = 1/3
    assert tail_probability(15, 4.0, 12.0) == pytest.approx(stats.nbinom.sf(14, 2.0, 1 / 3))
    assert tail_probability(0, 4.0, 4.0) == 1.0


def test_baseline_is_the_previous_days_and_skips_flagged_ones():
    x = pd.Series([3.0] * 30 + [20, 22] + [3] * 8, index=DAYS)
    s = surprise(x, baseline_days=28)
    assert s["baseline"].iloc[:7].isna().all()           # fewer than 7 days of history
    assert s.loc[DAYS[30], "baseline"] == 3.0 and s.loc[DAYS[30], "flag"]
    # day 31: its baseline leaves the flagged day 30 out, so it is still 3
    assert s.loc[DAYS[31], "baseline"] == 3.0 and s.loc[DAYS[31], "flag"]
    assert s.loc[DAYS[30], "p"] == pytest.approx(stats.poisson.sf(19, 3.0))
    a = runs("支付失败", "taxonomy", s)
    assert len(a) == 1 and a[0].start == DAYS[30] and a[0].days == 2
    assert a[0].ratio == pytest.approx(20 / 3) and a[0].peak_count == 22


def test_small_counts_do_not_alert():
    x = pd.Series([0.0] * 35 + [4, 0, 0, 0, 0], index=DAYS)
    s = surprise(x)
    assert not s["flag"].any()           # 4 < min_count, however unlikely under a mean of 0.5


def _neg(counts_by_source: dict[str, list[int]]) -> pd.DataFrame:
    rows = []
    for src, counts in counts_by_source.items():
        for d, n in zip(DAYS, counts):
            rows += [{"created_at": d + pd.Timedelta(hours=1), "source": src}] * n
    return pd.DataFrame(rows)


def test_crisis_needs_two_sources():
    quiet = [4, 5, 3, 4, 6, 4, 5] * 5 + [4, 5, 3, 4, 5]
    spike = list(quiet)
    spike[35] = 40
    one = crisis_watch(_neg({"app_review": spike, "support": quiet}), DAYS, 1e-3, DAYS[0])
    assert one.table.loc[DAYS[35], "flag"] and not one.days       # an alert, not a crisis
    two = crisis_watch(_neg({"app_review": spike, "support": spike}), DAYS, 1e-3, DAYS[0])
    assert two.days == [DAYS[35]] and two.table.loc[DAYS[35], "sources_up"] == 2
    assert two.alerts[0].ratio == pytest.approx(80 / np.mean(
        (np.array(quiet) * 2)[7:35]))
