"""Supply against demand: the share of items published against the share of attention.

Per category (and per format): ``supply`` is the share of the items published in the window,
``demand`` the share of the window's views (of every item, old ones too) and, with a
``dwell_seconds`` column, the share of engaged time. The gap ``demand - supply`` (in points) is
positive where users want more than is published; ``ratio = demand / supply``. A category is
*under-served* when its gap is at least ``MIN_GAP`` and its ratio at least ``MIN_RATIO``.

>>> items = pd.DataFrame({"category": ["a", "a", "a", "b"], "views": [10, 10, 10, 70],
...                       "published": [True, True, True, True]})
>>> t = supply_demand(items, "category")
>>> t.loc[t.category == "b", ["supply", "demand", "gap"]].round(2).values.tolist()
[[0.25, 0.7, 0.45]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_GAP, MIN_RATIO = 0.02, 1.5


def supply_demand(items: pd.DataFrame, by: str) -> pd.DataFrame:
    """``items``: one row per item with ``by``, ``views``, ``published`` (in the window) and,
    optionally, ``dwell_total``."""
    g = items.groupby(by, dropna=False)
    t = pd.DataFrame({"items": g["published"].sum(), "views": g["views"].sum()})
    if "dwell_total" in items:
        t["dwell_hours"] = g["dwell_total"].sum() / 3600.0
    t = t.reset_index()
    t["supply"] = t["items"] / t["items"].sum() if t["items"].sum() else np.nan
    t["demand"] = t["views"] / t["views"].sum() if t["views"].sum() else np.nan
    if "dwell_hours" in t:
        tot = t["dwell_hours"].sum()
        t["time_share"] = t["dwell_hours"] / tot if tot > 0 else np.nan
    t["gap"] = t["demand"] - t["supply"]
    with np.errstate(invalid="ignore", divide="ignore"):
        t["ratio"] = t["demand"] / t["supply"].where(t["supply"] > 0)
    t["under_served"] = (t["gap"] >= MIN_GAP) & ((t["ratio"] >= MIN_RATIO) | t["supply"].eq(0))
    return t.sort_values(["gap", by], ascending=[False, True], kind="stable").reset_index(drop=True)
