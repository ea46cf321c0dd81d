"""Money: what the campaign's incremental units cost, and what it returned.

From the incremental units (an ``Estimate`` from any method: user-days, new users, retained
users...), the incremental revenue (an ``Estimate`` or None) and the campaign's cost:

* ``cost_per_unit = cost / incremental units``; its interval is ``[cost / upper, cost / lower]``
  (decreasing in the units); when the units' interval reaches 0 the upper end is unbounded
  (``inf``, None in JSON) and the note ``"cost_per_unit_unbounded"`` says so. When the units'
  point estimate is <= 0 there is no cost per unit (note ``"no_incremental_units"``).
* ``roas = incremental revenue / cost`` and ``roi = (incremental revenue - cost) / cost``; their
  intervals are the revenue's interval mapped through the same increasing functions.

The cost is taken as known (what was spent). Notes are codes for the presentation layer:
``no_cost``, ``zero_cost``, ``no_revenue``, ``no_incremental_units``, ``cost_per_unit_unbounded``.

>>> m = money(Estimate(500, 300, 700), Estimate(30_000, 20_000, 40_000), 10_000, "new_users")
>>> cpu = m.cost_per_unit
>>> round(cpu.value, 2), round(cpu.lower, 2), round(cpu.upper, 2)
(20.0, 14.29, 33.33)
>>> m.roi.value, m.roi.lower, m.roi.upper, m.roas.value
(2.0, 1.0, 3.0, 3.0)
>>> money(Estimate(-20, -90, 50), None, 10_000, "new_users").notes
('no_revenue', 'no_incremental_units')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from opsnb.campaigns.estimate import Estimate
from opsnb.errors import ParameterError

NOTES = ("no_cost", "zero_cost", "no_revenue", "no_incremental_units", "cost_per_unit_unbounded")


@dataclass(frozen=True)
class Money:
    """The money side of a campaign; every field None when it cannot be had (``notes`` say why)."""

    unit: str                       # code of what incremental_units counts
    incremental_units: Estimate
    incremental_revenue: Estimate | None
    cost: float | None
    cost_per_unit: Estimate | None  # cost / incremental units
    roi: Estimate | None            # (incremental revenue - cost) / cost
    roas: Estimate | None           # incremental revenue / cost
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """For summary.json: no NaN or inf (None)."""
        def est(e: Estimate | None):
            return None if e is None else e.to_dict()
        return {"unit": self.unit, "incremental_units": est(self.incremental_units),
                "incremental_revenue": est(self.incremental_revenue),
                "cost": None if self.cost is None or not math.isfinite(self.cost)
                else float(self.cost),
                "cost_per_unit": est(self.cost_per_unit), "roi": est(self.roi),
                "roas": est(self.roas), "notes": list(self.notes)}


def _per_cost(revenue: Estimate, cost: float, shift: float) -> Estimate:
    return Estimate((revenue.value - shift) / cost, (revenue.lower - shift) / cost,
                    (revenue.upper - shift) / cost, revenue.alpha)


def money(incremental_units: Estimate, incremental_revenue: Estimate | None, cost: float | None,
          unit: str) -> Money:
    """Cost per incremental unit, ROI and ROAS, with intervals (see the module doc)."""
    if not isinstance(incremental_units, Estimate):
        raise ParameterError("incremental_units: pass an Estimate (value, lower, upper).")
    if incremental_revenue is not None and not isinstance(incremental_revenue, Estimate):
        raise ParameterError("incremental_revenue: pass an Estimate or None.")
    if not unit or not isinstance(unit, str):
        raise ParameterError("unit: name what the incremental units count (e.g. 'new_users').")
    if cost is not None:
        cost = float(cost)
        if not math.isfinite(cost) or cost < 0:
            raise ParameterError(f"cost: {cost} is not a cost; pass the amount spent (>= 0) or "
                                 "None when unknown.")
    notes: list[str] = []
    if cost is None:
        notes.append("no_cost")
    elif cost == 0:
        notes.append("zero_cost")
    if incremental_revenue is None:
        notes.append("no_revenue")
    units = incremental_units
    if not units.value > 0:
        notes.append("no_incremental_units")
    cpu = roi = roas = None
    if cost is not None and units.value > 0:
        if math.isnan(units.lower) or math.isnan(units.upper):
            lower = upper = math.nan                   # no interval given: none to map
        else:
            lower, upper = _cost_interval(cost, units)
            if math.isinf(upper):
                notes.append("cost_per_unit_unbounded")
        cpu = Estimate(cost / units.value, lower, upper, units.alpha)
    if cost and incremental_revenue is not None:
        roas = _per_cost(incremental_revenue, cost, 0.0)
        roi = _per_cost(incremental_revenue, cost, cost)
    return Money(unit=unit, incremental_units=units, incremental_revenue=incremental_revenue,
                 cost=cost, cost_per_unit=cpu, roi=roi, roas=roas, notes=tuple(notes))


def _cost_interval(cost: float, units: Estimate) -> tuple[float, float]:
    lower = cost / units.upper if units.upper > 0 and math.isfinite(units.upper) else 0.0
    upper = cost / units.lower if units.lower > 0 else (math.inf if cost > 0 else 0.0)
    return lower, upper
