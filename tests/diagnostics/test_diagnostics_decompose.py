"""Kitagawa and Das Gupta on hand-worked fixtures; the parts sum to the change (1e-9)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsnb.diagnostics.decompose import das_gupta, decompose, kitagawa
from opsnb.diagnostics.kpis import CELL_COLUMNS, parse_kpi


def _cells(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for c in CELL_COLUMNS:
        df[c] = df.get(c, 0.0)
        df[c] = df[c].astype(float)
    return df


# two segments: shares 0.6/0.4 -> 0.3/0.7, rates 0.10/0.20 -> 0.12/0.20 (V: 0.14 -> 0.176)
TWO = _cells([
    {"w": "base", "s": "p", "active": 600, "paying": 60},
    {"w": "base", "s": "q", "active": 400, "paying": 80},
    {"w": "current", "s": "p", "active": 300, "paying": 36},
    {"w": "current", "s": "q", "active": 700, "paying": 140},
])


def test_kitagawa_by_hand():
    mix, rate = kitagawa([0.6, 0.4], [0.10, 0.20], [0.3, 0.7], [0.12, 0.20])
    # mix: -0.3 * 0.11 and +0.3 * 0.20; rate: 0.02 * 0.45 and 0
    assert mix == pytest.approx([-0.033, 0.06]) and rate == pytest.approx([0.009, 0.0])
    assert mix.sum() + rate.sum() == pytest.approx(0.176 - 0.14, abs=1e-12)


def test_two_factor_split_of_a_conversion_with_centred_mix():
    d = decompose(parse_kpi("paying_conversion"), TWO, ("s",), 7, 7)
    assert (d.base_value, d.current_value) == (pytest.approx(0.14), pytest.approx(0.176))
    assert d.effects["mix"] == pytest.approx(0.027) and d.effects["rate"] == pytest.approx(0.009)
    t = d.table.set_index("s")
    # centred at h = 0.45 * 0.11 + 0.55 * 0.20 = 0.1595: p -0.3 * (0.11 - 0.1595), q 0.3 * 0.0405
    assert t.loc["p", "mix"] == pytest.approx(0.01485) and t.loc["q", "mix"] == pytest.approx(0.01215)
    assert t.loc["p", "rate"] == pytest.approx(0.009)
    assert abs(d.residual()) < 1e-12
    assert list(t["label"]) == ["mix", "mix"]


def test_das_gupta_three_factors_by_hand():
    # a 2->4, b 5->4, c 1->2: V 10 -> 32; effect of a = da [(b0c0 + b1c1)/3 + (b0c1 + b1c0)/6]
    e = das_gupta(np.array([[2.0], [5.0], [1.0]]), np.array([[4.0], [4.0], [2.0]]))[:, 0]
    assert e == pytest.approx([40 / 3, -14 / 3, 40 / 3])
    assert e.sum() == pytest.approx(22.0, abs=1e-12)
    e = das_gupta(np.array([[2.0], [3.0], [4.0]]), np.array([[3.0], [3.0], [5.0]]))[:, 0]
    assert e == pytest.approx([13.5, 0.0, 7.5])


def test_das_gupta_with_two_factors_is_kitagawa():
    rng = np.random.default_rng(5)
    w0, r0, w1, r1 = rng.random((4, 6))
    e = das_gupta(np.vstack([w0, r0]), np.vstack([w1, r1]))
    mix, rate = kitagawa(w0, r0, w1, r1)
    assert np.allclose(e[0], mix, atol=1e-15) and np.allclose(e[1], rate, atol=1e-15)


def test_arpu_three_factors_and_a_segment_that_appears():
    cells = _cells([
        {"w": "base", "s": "p", "active": 10, "paying": 2, "revenue": 100},
        {"w": "base", "s": "q", "active": 30, "paying": 3, "revenue": 60},
        {"w": "current", "s": "p", "active": 20, "paying": 2, "revenue": 120},
        {"w": "current", "s": "q", "active": 10, "paying": 2, "revenue": 50},
        {"w": "current", "s": "r", "active": 10, "paying": 0, "revenue": 0},
    ])
    d = decompose(parse_kpi("arpu"), cells, ("s",), 7, 7)
    assert (d.base_value, d.current_value) == (pytest.approx(4.0), pytest.approx(170 / 40))
    assert set(d.effects) == {"mix", "conversion", "revenue_per_payer"}
    assert abs(d.residual()) < 1e-12
    r = d.table.set_index("s").loc["r"]
    assert r["conversion"] == 0 and r["revenue_per_payer"] == 0 and r["label"] == "mix"


def test_every_split_of_the_sample_sums_to_the_change(sample_report):
    decs = sample_report.decs
    assert len(decs) >= 1 + 6 + 15  # totals, 6 dimensions, their 15 pairs
    worst = max(abs(d.residual()) for d in decs.values())
    assert worst < 1e-9
    for d in decs.values():
        assert d.change == pytest.approx(sample_report.total.change, abs=1e-9)
        assert sum(d.effects.values()) == pytest.approx(d.change, abs=1e-9)
