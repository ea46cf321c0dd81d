"""Position, scorecard, registry, alerts and SWOT on hand-built panels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsnb.competitors.present import change_sentence
from opsnb.competitors.position import position
from opsnb.competitors.panel import build_panel
from opsnb.competitors.registry import MetricRegistry, default_registry
from opsnb.data.window import Window
from opsnb.errors import ParameterError

START = pd.Timestamp("2026-06-01")  # a Monday


def _rows(metric, values_by_product):
    """values_by_product: product -> (week-1 value, week-2 value)."""
    dates = pd.date_range(START, periods=14)
    out = []
    for p, (w1, w2) in values_by_product.items():
        out.append(pd.DataFrame({"date": dates, "competitor": p, "metric": metric,
                                 "value": [w1] * 7 + [w2] * 7}))
    return out


@pytest.fixture
def pos():
    df = pd.concat(
        _rows("price", {"Lumo": (100.0, 110.0), "B": (120.0, 120.0), "C": (90.0, 90.0)})
        + _rows("downloads", {"Lumo": (1000.0, 1200.0), "B": (2000.0, 2000.0), "C": (800.0, 800.0)})
        + _rows("rating", {"Lumo": (4.5, 4.6), "B": (4.0, 4.0), "C": (4.8, 4.8)}))
    panel = build_panel(df, None, "Lumo", min_points=7)
    window = Window(START + pd.Timedelta(days=7), START + pd.Timedelta(days=13),
                    START + pd.Timedelta(days=14) - pd.Timedelta(microseconds=1))
    return position(panel, window)


def _row(p, metric, comp):
    t = p.table
    return t[(t["metric"] == metric) & (t["competitor"] == comp)].iloc[0]


def test_index_rank_share_and_deltas_by_hand(pos):
    # price: lower is better -> C (90) first, us (110) second, B (120) third
    assert [_row(pos, "price", c)["rank"] for c in ("C", "Lumo", "B")] == [1, 2, 3]
    assert _row(pos, "price", "B")["index"] == pytest.approx(120 / 110)
    assert _row(pos, "price", "C")["index"] == pytest.approx(90 / 110)
    assert _row(pos, "price", "Lumo")["wow_change"] == pytest.approx(0.10)
    assert _row(pos, "price", "Lumo")["pop_change"] == pytest.approx(0.10)
    assert np.isnan(_row(pos, "price", "Lumo")["share"])  # a price is not a volume
    # downloads: a volume -> shares of the 4,000 total
    assert [_row(pos, "downloads", c)["share"] for c in ("Lumo", "B", "C")] == pytest.approx(
        [0.3, 0.5, 0.2])
    assert [_row(pos, "downloads", c)["rank"] for c in ("B", "Lumo", "C")] == [1, 2, 3]
    assert _row(pos, "downloads", "Lumo")["wow_change"] == pytest.approx(0.2)
    # rating: linear scale -> deltas in points, not percent
    assert _row(pos, "rating", "Lumo")["wow_change"] == pytest.approx(0.1)
    assert _row(pos, "rating", "C")["rank"] == 1


def test_scorecard(pos):
    s = pos.scorecard.set_index("metric")
    assert s.loc["price", "our_rank"] == 2 and s.loc["price", "n_ranked"] == 3
    assert s.loc["price", "best_rival"] == "C"
    assert s.loc["price", "gap_to_best_rival"] == pytest.approx(110 / 90 - 1)
    assert s.loc["downloads", "best_rival"] == "B"
    assert s.loc["downloads", "gap_to_best_rival"] == pytest.approx(1200 / 2000 - 1)
    assert s.loc["downloads", "our_share"] == pytest.approx(0.3)
    assert s.loc["rating", "gap_to_best_rival"] == pytest.approx(4.6 - 4.8)
    assert set(s["status"]) == {"middle"}
    assert pos.leads() == [] and pos.trails() == []


def test_lower_is_better_comes_from_the_registry():
    reg = default_registry()
    assert reg.get("price").better == "lower" and reg.get("rank").better == "lower"
    assert reg.get("downloads").better == "higher"
    flipped = reg.with_directions({"downloads": "lower", "nps": "higher"})
    assert flipped.get("downloads").better == "lower"
    assert reg.get("downloads").better == "higher"  # the original is untouched
    assert "nps" in flipped and flipped.get("nps").known
    assert not reg.get("nps").known
    with pytest.raises(ParameterError, match="higher' or 'lower"):
        reg.with_directions({"price": "cheaper"})
    r = MetricRegistry([])
    r.register("churn_rate", better="lower", fmt="pct")
    assert r.get("churn_rate").sign == -1


def test_rank_flips_when_a_metric_is_lower_is_better():
    df = pd.concat(_rows("nps", {"Lumo": (10.0, 10.0), "B": (20.0, 20.0)}))
    w = Window(START, START + pd.Timedelta(days=13), START + pd.Timedelta(days=14))
    up = position(build_panel(df, None, "Lumo", min_points=7), w)
    reg = default_registry().with_directions({"nps": "lower"})
    down = position(build_panel(df, None, "Lumo", min_points=7, registry=reg), w)
    assert up.scorecard["our_rank"].iloc[0] == 2
    assert down.scorecard["our_rank"].iloc[0] == 1


def test_no_previous_period_when_the_data_does_not_reach_back():
    df = pd.concat(_rows("price", {"Lumo": (100.0, 110.0), "B": (120.0, 120.0)}))
    panel = build_panel(df, None, "Lumo", min_points=7)
    # the window starts 3 days in: only 3 of the 11 days before it are in the data
    w = Window(START + pd.Timedelta(days=3), START + pd.Timedelta(days=13),
               START + pd.Timedelta(days=14) - pd.Timedelta(microseconds=1))
    p = position(panel, w)
    assert np.isnan(_row(p, "price", "Lumo")["pop_change"])
    assert p.scorecard["our_pop_change"].isna().all()
    assert not np.isnan(_row(p, "price", "Lumo")["wow_change"])


def test_changes_that_round_to_zero_show_unsigned():
    reg = default_registry()
    assert reg.get("price").format_change(-0.01, -0.00001) == "0.0%"
    assert reg.get("price").format_change(-15, -0.149) == "-14.9%"
    assert reg.get("share_of_voice").format_change(-0.0001, -0.0001) == "0.0 pp"
    assert reg.get("rating").format_change(-0.001, -0.001) == "0.00"
    assert reg.get("rating").format_change(0.17, 0.04) == "+0.17"
    assert reg.get("rank").format_value(31.71) == "31.7"


def _change_row(metric, direction, kind="level", before=31.71, after=19.99):
    return {"competitor": "B", "metric": metric, "kind": kind, "direction": direction,
            "absolute_change": after - before, "relative_change": after / before - 1,
            "before": before, "after": after, "date": pd.Timestamp("2026-07-20"),
            "event_note": None}


def test_change_sentences_follow_the_metric_direction():
    from types import SimpleNamespace
    panel = SimpleNamespace(registry=default_registry(), our_product="Lumo")
    s = change_sentence(_change_row("rank", "down"), panel)
    assert s.startswith("B category rank improved on 2026-07-20: from 31.7 to 20.0, down 37.0% "
                        "(lower is better)"), s
    s = change_sentence(_change_row("rank", "up", before=20.0, after=31.7), panel)
    assert s.startswith("B category rank worsened on 2026-07-20: from 20.0 to 31.7, up 58.5%"), s
    assert "began to improve" in change_sentence(_change_row("rank", "down", "trend"), panel)
    # higher-is-better metrics keep rose/fell; metric_directions flips the reading
    s = change_sentence(_change_row("downloads", "down", before=3000.0, after=2000.0), panel)
    assert s.startswith("B downloads per day fell 33.3% on 2026-07-20"), s
    panel.registry = default_registry().with_directions({"downloads": "lower"})
    s = change_sentence(_change_row("downloads", "down", before=3000.0, after=2000.0), panel)
    assert s.startswith("B downloads per day improved on 2026-07-20"), s
