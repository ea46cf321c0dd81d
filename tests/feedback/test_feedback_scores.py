"""Average rating, CSAT and NPS with their intervals, against statsmodels and by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from opsnb.feedback.scores import csat, mean_ci, nps, score_table, volume


def test_csat_wilson_matches_statsmodels():
    from statsmodels.stats.proportion import proportion_confint

    x = np.array([5, 4, 4, 3, 2, 1, 5, 5, 4, 1])
    c = csat(x)
    lo, hi = proportion_confint(6, 10, method="wilson")
    assert c["csat"] == 0.6 and c["csat_low"] == pytest.approx(lo) and c["csat_high"] == \
        pytest.approx(hi)


def test_mean_interval_is_a_t_interval():
    x = np.array([1.0, 2, 3, 4, 5])
    m = mean_ci(x)
    lo, hi = stats.t.interval(0.95, 4, loc=3.0, scale=stats.sem(x))
    assert (m["mean"], m["mean_low"], m["mean_high"]) == pytest.approx((3.0, lo, hi))


def test_nps_by_hand():
    # 4 promoters, 2 passives, 4 detractors of 10: NPS 0; Var = (0.4 + 0.4 - 0) / 10 = 0.08
    x = np.array([10, 9, 9, 10, 8, 7, 6, 0, 3, 5])
    n = nps(x)
    assert n["nps"] == 0.0
    assert n["nps_high"] == pytest.approx(100 * 1.959963984540054 * np.sqrt(0.08))
    assert nps(np.array([10, 10, 9]))["nps"] == 100.0


def test_tables_and_volume():
    f = pd.DataFrame({"source": ["a", "a", "b"], "rating": [5.0, 1.0, 4.0],
                      "created_at": pd.to_datetime(["2026-03-02", "2026-03-08",
                                                    "2026-03-09"])})
    t = score_table(f, "stars", ["source"])
    assert t["n"].tolist() == [2, 1] and t["csat"].tolist() == [0.5, 1.0]
    v = volume(f)   # weeks start on Monday: 2026-03-02 and 2026-03-09
    assert v.index.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-09"]
    assert v["a"].tolist() == [2, 0] and v["b"].tolist() == [0, 1]
