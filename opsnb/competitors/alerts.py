"""Alerts: the changes and anomalies of the window an analyst should read, as sentences.

Each alert is a change point or an anomaly dated inside the report window. It is
**against us** when it favours a competitor (a competitor improves, by the metric's
direction) or hurts us (our own product gets worse); it is **on a losing metric** when
we do not lead that metric in the scorecard. Alerts are ranked by, in order:
against us, on a losing metric, then size in noise units (``z`` for changes, the
MAD severity for anomalies; changes before anomalies at equal size). ``score`` (the
size) is what scheduled-report alert thresholds compare against.

The alerts hold codes and numbers; their sentences are made in the report language by
:func:`opsnb.competitors.present.alert_sentence`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from opsnb.competitors.anomalies import Anomalies
from opsnb.competitors.changepoints import ChangePoints
from opsnb.competitors.panel import Panel
from opsnb.competitors.position import Position


@dataclass
class Alerts:
    """Ranked alerts: rank, date, competitor, metric, type (change / anomaly), against_us,
    losing_metric, score and ``ref``, the row of ``changes.in_window()`` or
    ``anomalies.in_window()`` the alert is about. Sentences are made by
    :mod:`opsnb.competitors.present` in the report language."""

    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def top(self, n: int | None = None) -> pd.DataFrame:
        return self.table if n is None else self.table.head(n)


def build_alerts(panel: Panel, changes: ChangePoints, anomalies: Anomalies | None,
                 pos: Position | None) -> Alerts:
    """Ranked alerts from the window's changes and anomalies (see module doc)."""
    ours = panel.our_product
    leading = set(pos.leads()) if pos is not None else set()
    rows = []
    for i, r in changes.in_window().iterrows():
        against = (not r["better"]) if r["competitor"] == ours else bool(r["better"])
        rows.append({"date": r["date"], "competitor": r["competitor"], "metric": r["metric"],
                     "type": "change", "against_us": against,
                     "losing_metric": r["metric"] not in leading, "score": float(r["z"]),
                     "ref": i})
    an = anomalies.in_window() if anomalies is not None else pd.DataFrame(columns=["competitor"])
    for i, r in an.iterrows():
        against = (not r["better"]) if r["competitor"] == ours else bool(r["better"])
        rows.append({"date": r["date"], "competitor": r["competitor"], "metric": r["metric"],
                     "type": "anomaly", "against_us": against,
                     "losing_metric": r["metric"] not in leading, "score": float(r["severity"]),
                     "ref": i})
    cols = ["rank", "date", "competitor", "metric", "type", "against_us", "losing_metric", "score",
            "ref"]
    if not rows:
        return Alerts(pd.DataFrame(columns=cols))
    t = pd.DataFrame(rows)
    t["_change_first"] = t["type"] == "change"
    t = t.sort_values(["against_us", "losing_metric", "score", "_change_first"],
                      ascending=False, kind="stable").drop(columns="_change_first")
    t.insert(0, "rank", range(1, len(t) + 1))
    return Alerts(t.reset_index(drop=True)[cols])
