"""A SWOT-style starting point generated from the scorecard and the window's changes.

* **Strengths**: metrics where we rank first.
* **Weaknesses**: metrics where we rank in the bottom half (named against the best rival).
* **Opportunities**: changes in the window that favour us (a competitor got worse, or
  we improved).
* **Threats**: changes in the window against us (a competitor improved, or we got
  worse).

It is a draft for the analyst to edit, not a conclusion. The rows hold codes (the quadrant,
the metric, and which scorecard row or change they come from); their sentences are made in the
report language by :func:`opsnb.competitors.present.swot_item`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from opsnb.competitors.changepoints import ChangePoints
from opsnb.competitors.panel import Panel
from opsnb.competitors.position import Position

QUADRANTS = ("Strengths", "Weaknesses", "Opportunities", "Threats")


@dataclass
class Swot:
    """Rows of quadrant, metric, source (``"scorecard"`` or ``"change"``) and ref (the row of
    ``position.scorecard`` or of ``changes.in_window()``)."""

    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def build_swot(panel: Panel, pos: Position, changes: ChangePoints | None) -> Swot:
    """Strengths and weaknesses from the scorecard; opportunities and threats from the changes
    of the window (none when change detection did not run)."""
    ours = panel.our_product
    rows = []
    for i, s in pos.scorecard.iterrows():
        if s["status"] == "lead":
            rows.append(("Strengths", s["metric"], "scorecard", i))
        elif s["status"] == "trail":
            rows.append(("Weaknesses", s["metric"], "scorecard", i))
    if changes is not None:
        for i, r in changes.in_window().iterrows():
            favours_us = bool(r["better"]) if r["competitor"] == ours else not bool(r["better"])
            rows.append(("Opportunities" if favours_us else "Threats", r["metric"], "change", i))
    t = pd.DataFrame(rows, columns=["quadrant", "metric", "source", "ref"])
    t["quadrant"] = pd.Categorical(t["quadrant"], categories=QUADRANTS, ordered=True)
    t = t.sort_values("quadrant", kind="stable").reset_index(drop=True)
    t["quadrant"] = t["quadrant"].astype(str)
    return Swot(t)
