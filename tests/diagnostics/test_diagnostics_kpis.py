"""KPI parts per segment and the daily series, worked out by hand on the tiny fixture."""

from __future__ import annotations

import pandas as pd
import pytest

from opsnb.data.source import DataSource
from opsnb.diagnostics.decompose import decompose
from opsnb.diagnostics.kpis import Span, daily_series, parse_kpi, window_cells
from opsnb.errors import ParameterError

BASE = Span(pd.Timestamp("2026-01-01"), pd.Timestamp("2026-01-05"))
CURRENT = Span(pd.Timestamp("2026-01-06"), pd.Timestamp("2026-01-10"))


def cells(tiny_dir, kpi, dims=("channel", "region", "user_type"), depth=2):
    src = DataSource.open(tiny_dir())
    return window_cells(src, parse_kpi(kpi), BASE, CURRENT, dims, depth,
                        {"channel": 2, "region": 2, "user_type": 2})


def test_parts_per_channel_by_hand(tiny_dir):
    c = cells(tiny_dir, "dau")[("channel",)].set_index(["w", "channel"])
    # base: a = u1 (3 days) + u2 (1 day), b = u3 (2 days); current: a = u1 1 + u2 2, b = u3 3 + u4 2
    assert c.loc[("base", "a"), "user_days"] == 4 and c.loc[("base", "b"), "user_days"] == 2
    assert c.loc[("current", "a"), "user_days"] == 3 and c.loc[("current", "b"), "user_days"] == 5
    assert c.loc[("current", "b"), "active"] == 2 and c.loc[("base", "a"), "paying"] == 1
    assert c.loc[("current", "b"), "revenue"] == 50.0


def test_user_type_is_new_in_its_own_window(tiny_dir):
    c = cells(tiny_dir, "dau")[("user_type",)].set_index(["w", "user_type"])
    # base window starts 01-01: u1, u2 (signed up 01-01) and u3 (01-02) are new in it
    assert c.loc[("base", "new"), "active"] == 3
    # current window starts 01-06: only u4 is new
    assert c.loc[("current", "new"), "active"] == 1
    assert c.loc[("current", "returning"), "active"] == 3


def test_kpi_values_and_exact_split(tiny_dir):
    cs = cells(tiny_dir, "arpu")
    d = decompose(parse_kpi("arpu"), cs[("channel",)], ("channel",), 5, 5)
    assert d.base_value == pytest.approx(30 / 3)        # revenue 30 over 3 active users
    assert d.current_value == pytest.approx(60 / 4)     # 10 + 50 over 4 active users
    assert abs(d.residual()) < 1e-12
    dau = decompose(parse_kpi("dau"), cells(tiny_dir, "dau")[("channel",)], ("channel",), 5, 5)
    assert (dau.base_value, dau.current_value) == (pytest.approx(6 / 5), pytest.approx(8 / 5))
    conv = decompose(parse_kpi("ratio:purchase/session_start"),
                     cells(tiny_dir, "ratio:purchase/session_start")[("region",)],
                     ("region",), 5, 5)
    # base: 1 purchase / 7 session starts; current: 2 / 8
    assert (conv.base_value, conv.current_value) == (pytest.approx(1 / 7), pytest.approx(2 / 8))


def test_daily_series_by_hand(tiny_dir):
    src = DataSource.open(tiny_dir())
    dau = daily_series(src, parse_kpi("dau"), pd.Timestamp("2026-01-01"),
                       pd.Timestamp("2026-01-11"))
    assert list(dau) == [2, 2, 1, 1, 0, 2, 2, 2, 1, 1]
    new = daily_series(src, parse_kpi("new_users"), pd.Timestamp("2026-01-01"),
                       pd.Timestamp("2026-01-11"))
    assert new.sum() == 4 and new.iloc[0] == 2
    arpu = daily_series(src, parse_kpi("arpu"), pd.Timestamp("2026-01-01"),
                        pd.Timestamp("2026-01-11"))
    assert arpu.iloc[1] == pytest.approx(30 / 2) and pd.isna(arpu.iloc[4])


@pytest.mark.parametrize("bad", ["mau", "ratio:a", "ratio:a/a", 3])
def test_unknown_kpi_names_the_parameter(bad):
    with pytest.raises(ParameterError, match="kpi"):
        parse_kpi(bad)


def test_one_query_per_combination_when_the_cells_are_too_many(tiny_dir, monkeypatch):
    """Above MAX_CELLS the finest cells are not fetched: each combination of dimensions is its
    own query (never one per segment), and the parts are the same."""
    import opsnb.diagnostics.kpis as k

    one = cells(tiny_dir, "arpu")
    queries = []
    real = k.cells_query
    monkeypatch.setattr(k, "MAX_CELLS", 1)
    monkeypatch.setattr(k, "cells_query", lambda *a: queries.append(a[-1]) or real(*a))
    many = cells(tiny_dir, "arpu")
    assert queries == [("channel",), ("region",), ("user_type",), ("channel", "region"),
                       ("channel", "user_type"), ("region", "user_type")]
    for s, frame in one.items():
        pd.testing.assert_frame_equal(frame, many[s], check_dtype=False)
