"""A SWOT-style starting point generated from the scorecard and the window's changes.

* **Strengths**: metrics where we rank first.
* **Weaknesses**: metrics where we rank in the bottom half (named against the best rival).
* **Opportunities**: changes in the window that favour us (a competitor got worse, or
  we improved).
* **Threats**: changes in the window against us (a competitor improved, or we got
  worse).

It is a draft for the analyst to edit, not a conclusion.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from opsnb.competitors.changepoints import ChangePoints
from opsnb.competitors.panel import Panel
from opsnb.competitors.position import Position
from opsnb.report.i18n import t as tr

QUADRANTS = ("Strengths", "Weaknesses", "Opportunities", "Threats")


@dataclass
class Swot:
    """Rows of quadrant, metric, item."""

    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def display_frame(self) -> pd.DataFrame:
        """Quadrant and item, the quadrant in the report language."""
        return self.table[["quadrant", "item"]].assign(quadrant=self.table["quadrant"].map(tr))

    def items(self, quadrant: str) -> list[str]:
        return list(self.table.loc[self.table["quadrant"] == quadrant, "item"])


def build_swot(panel: Panel, pos: Position, changes: ChangePoints) -> Swot:
    ours = panel.our_product
    rows = []
    for _, s in pos.scorecard.iterrows():
        spec = panel.registry.get(s["metric"])
        mine = spec.format_value(s["ours"])
        if s["status"] == "lead":
            item = (tr("We lead on {what}: {mine}, ahead of {rival} at {value}.", what=spec.title,
                       mine=mine, rival=s["best_rival"],
                       value=spec.format_value(s["best_rival_value"]))
                    if s["best_rival"] else tr("We lead on {what}: {mine}.", what=spec.title, mine=mine))
            rows.append(("Strengths", s["metric"], item))
        elif s["status"] == "trail":
            rows.append(("Weaknesses", s["metric"],
                         tr("We rank {rank} of {n} on {what}: {mine} against {rival} at {value}.",
                            rank=s["our_rank"], n=s["n_ranked"], what=spec.title, mine=mine,
                            rival=s["best_rival"], value=spec.format_value(s["best_rival_value"]))))
    from opsnb.competitors.alerts import change_sentence
    for _, r in changes.in_window().iterrows():
        favours_us = bool(r["better"]) if r["competitor"] == ours else not bool(r["better"])
        rows.append(("Opportunities" if favours_us else "Threats", r["metric"],
                     change_sentence(r, panel)))
    t = pd.DataFrame(rows, columns=["quadrant", "metric", "item"])
    t["quadrant"] = pd.Categorical(t["quadrant"], categories=QUADRANTS, ordered=True)
    t = t.sort_values("quadrant", kind="stable").reset_index(drop=True)
    t["quadrant"] = t["quadrant"].astype(str)
    return Swot(t)
