"""Money: cost per incremental unit, ROI and ROAS against numbers worked by hand."""

import json
import math

import pytest

from opsnb.campaigns.estimate import Estimate
from opsnb.campaigns.money import money
from opsnb.errors import ParameterError

UNITS = Estimate(500.0, 300.0, 700.0)
REVENUE = Estimate(30_000.0, 20_000.0, 40_000.0)


def test_hand_worked_brief_example():
    m = money(UNITS, REVENUE, 10_000, "new_users")
    # cost per user: 10,000 / 500 = 20; interval [10,000 / 700, 10,000 / 300]
    assert m.cost_per_unit.value == pytest.approx(20.0)
    assert m.cost_per_unit.lower == pytest.approx(14.2857, abs=1e-4)
    assert m.cost_per_unit.upper == pytest.approx(33.3333, abs=1e-4)
    # ROI: (30,000 - 10,000) / 10,000 = 2; [(20,000 - 10,000) / 10,000, (40,000 - 10,000) / 10,000]
    assert (m.roi.value, m.roi.lower, m.roi.upper) == pytest.approx((2.0, 1.0, 3.0))
    # ROAS: 30,000 / 10,000 = 3; [2, 4]
    assert (m.roas.value, m.roas.lower, m.roas.upper) == pytest.approx((3.0, 2.0, 4.0))
    assert m.notes == () and m.unit == "new_users" and m.cost == 10_000.0
    d = m.to_dict()
    assert d["cost_per_unit"]["value"] == pytest.approx(20.0) and d["roi"]["level"] == 0.95
    json.dumps(d, allow_nan=False)


def test_units_interval_reaching_zero_leaves_cost_per_unit_unbounded():
    m = money(Estimate(400.0, -50.0, 800.0), None, 8_000, "user_days")
    assert m.cost_per_unit.value == pytest.approx(20.0)           # 8,000 / 400
    assert m.cost_per_unit.lower == pytest.approx(10.0)           # 8,000 / 800
    assert math.isinf(m.cost_per_unit.upper)
    assert m.notes == ("no_revenue", "cost_per_unit_unbounded")
    assert m.roi is None and m.roas is None
    d = m.to_dict()
    assert d["cost_per_unit"]["upper"] is None
    json.dumps(d, allow_nan=False)


def test_no_incremental_units_and_no_cost():
    m = money(Estimate(-30.0, -100.0, 40.0), REVENUE, 5_000, "retained_users")
    assert m.cost_per_unit is None and "no_incremental_units" in m.notes
    assert m.roi.value == pytest.approx(5.0)                      # (30,000 - 5,000) / 5,000
    m = money(UNITS, REVENUE, None, "new_users")
    assert m.cost_per_unit is None and m.roi is None and m.roas is None
    assert m.notes == ("no_cost",)
    assert json.loads(json.dumps(m.to_dict(), allow_nan=False))["cost"] is None


def test_zero_cost_and_bad_input():
    m = money(UNITS, REVENUE, 0, "new_users")
    assert m.cost_per_unit.value == 0.0 and m.roi is None and m.notes == ("zero_cost",)
    with pytest.raises(ParameterError, match="cost"):
        money(UNITS, REVENUE, -1, "new_users")
    with pytest.raises(ParameterError, match="incremental_units"):
        money(500, REVENUE, 10, "new_users")
    with pytest.raises(ParameterError, match="unit"):
        money(UNITS, REVENUE, 10, "")
