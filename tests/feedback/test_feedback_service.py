"""Service times: Kaplan-Meier against a hand-worked fixture, SLA shares, censoring, backlog.

lifelines is not installed in this environment, so the estimator is checked against figures
worked out by hand (below, step by step) instead of against lifelines.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsnb.feedback.service import (
    durations, kaplan_meier, quantile_time, service_times, share_within,
)

T0 = pd.Timestamp("2026-03-01 00:00:00")


def test_kaplan_meier_hand_worked():
    # times (h): 1, 2, 2(open), 3, 5, 5, 8(open), 10
    # t=1: 8 at risk, 1 answered -> S = 7/8 = 0.875
    # t=2: 7 at risk, 1 answered (the open one at 2 leaves after) -> 0.875 * 6/7 = 0.75
    # t=3: 5 at risk, 1 -> 0.75 * 4/5 = 0.6
    # t=5: 4 at risk, 2 -> 0.6 * 2/4 = 0.3
    # t=10: 1 at risk (8 was censored), 1 -> 0
    t = np.array([1, 2, 2, 3, 5, 5, 8, 10], float)
    e = np.array([1, 1, 0, 1, 1, 1, 0, 1], bool)
    km = kaplan_meier(t, e)
    assert km["time"].tolist() == [1, 2, 3, 5, 10]
    assert km["at_risk"].tolist() == [8, 7, 5, 4, 1]
    assert km["survival"].tolist() == pytest.approx([0.875, 0.75, 0.6, 0.3, 0.0])
    assert quantile_time(km, 0.5) == 5.0          # first S <= 0.5
    assert quantile_time(km, 0.9) == 10.0         # first S <= 0.1
    assert share_within(km, 4.0) == pytest.approx(0.4)    # 1 - S(4) = 1 - 0.6
    assert share_within(km, 0.5) == 0.0


def test_censoring_is_not_dropping():
    # four answered at 1 h, four still open after 6 h: half never answered yet
    t = np.array([1, 1, 1, 1, 6, 6, 6, 6], float)
    e = np.array([1, 1, 1, 1, 0, 0, 0, 0], bool)
    km = kaplan_meier(t, e)
    assert quantile_time(km, 0.5) == 1.0
    assert quantile_time(km, 0.9) is None         # the curve never reaches 0.1
    # dropping the open tickets would claim every ticket is answered within 1 h
    assert share_within(kaplan_meier(t[e], e[e]), 2.0) == 1.0
    assert share_within(km, 2.0) == pytest.approx(0.5)


def test_durations_censor_at_as_of():
    f = pd.DataFrame({"created_at": [T0, T0, T0],
                      "first_response_at": [T0 + pd.Timedelta(hours=3), pd.NaT,
                                            T0 + pd.Timedelta(hours=50)]})
    d = durations(f, "created_at", "first_response_at", T0 + pd.Timedelta(hours=24))
    # answered after as_of counts as still open at as_of
    assert d["hours"].tolist() == [3.0, 24.0, 24.0]
    assert d["event"].tolist() == [True, False, False]


def test_service_times_by_source_and_sla():
    h = pd.Timedelta(hours=1)
    f = pd.DataFrame({
        "feedback_id": [f"f{i}" for i in range(7)],
        "created_at": [T0] * 7,
        "source": ["support"] * 4 + ["social"] * 2 + ["app_review"],
        "first_response_at": [T0 + 1 * h, T0 + 2 * h, T0 + 30 * h, pd.NaT,
                              T0 + 40 * h, T0 + 10 * h, pd.NaT],
        "resolved_at": [T0 + 5 * h, pd.NaT, pd.NaT, pd.NaT, T0 + 60 * h, T0 + 20 * h, pd.NaT],
        "tag": ["a", "a", "b", "b", "a", "b", None],
    })
    aside = []
    st = service_times(f, T0 + 100 * h, 24.0, "tag", T0, aside)
    assert st.sources == ["social", "support"]      # app_review never answers: not tickets
    assert st.n_tickets == 6 and aside == []
    t = st.table.set_index(["group_by", "group", "measure"])
    sup = t.loc[("source", "support", "first_response")]
    # support: 1, 2, 30 answered, one open (100 h): S = 3/4, 2/4, 1/4 -> median 2 h, P90 none
    assert sup["median"] == 2.0 and pd.isna(sup["p90"])
    assert sup["within_sla"] == pytest.approx(0.5) and sup["open"] == 1
    soc = t.loc[("source", "social", "first_response")]
    assert soc["median"] == 10.0 and soc["within_sla"] == pytest.approx(0.5)
    # backlog: 6 tickets of the tracking sources; resolved at 5 h, 20 h and 60 h. Day 1 ends at
    # 24 h: 6 - 2 = 4 open; day 3 ends at 72 h: 6 - 3 = 3 open
    assert st.backlog["open"].tolist()[:3] == [4, 4, 3]
    assert st.backlog["created"].tolist()[:2] == [6, 0]


def test_answers_before_creation_are_set_aside():
    h = pd.Timedelta(hours=1)
    f = pd.DataFrame({"feedback_id": ["a", "b"], "created_at": [T0, T0], "source": ["s", "s"],
                      "first_response_at": [T0 - h, T0 + h]})
    aside = []
    st = service_times(f, T0 + 10 * h, 24.0, None, T0, aside)
    assert st.n_tickets == 1 and aside[0].n_rows == 1 and "before created_at" in aside[0].reason
