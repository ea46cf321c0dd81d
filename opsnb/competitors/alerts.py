"""Alerts: the changes and anomalies of the window an analyst should read, as sentences.

Each alert is a change point or an anomaly dated inside the report window. It is
**against us** when it favours a competitor (a competitor improves, by the metric's
direction) or hurts us (our own product gets worse); it is **on a losing metric** when
we do not lead that metric in the scorecard. Alerts are ranked by, in order:
against us, on a losing metric, then size in noise units (``z`` for changes, the
MAD severity for anomalies; changes before anomalies at equal size). ``score`` (the
size) is what scheduled-report alert thresholds compare against.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from opsnb.competitors.anomalies import Anomalies
from opsnb.competitors.changepoints import ChangePoints
from opsnb.competitors.panel import Panel
from opsnb.competitors.position import Position
from opsnb.report import fmt
from opsnb.report.i18n import language
from opsnb.report.i18n import t as tr

_LEVEL = {"up": "{who} {what} rose {size} on {date} (from {before} to {after})",
          "down": "{who} {what} fell {size} on {date} (from {before} to {after})"}
_TREND = {"up": "{who} {what} turned up on {date} (trend change)",
          "down": "{who} {what} turned down on {date} (trend change)"}
# Lower-is-better metrics (rank, price): a fall in the number is an improvement, so the
# sentence says which way the product moved, not only which way the number went.
_LEVEL_LOWER = {"down": "{who} {what} improved on {date}: from {before} to {after}, down {size} "
                        "(lower is better)",
                "up": "{who} {what} worsened on {date}: from {before} to {after}, up {size} "
                      "(lower is better)"}
_TREND_LOWER = {"down": "{who} {what} began to improve on {date} (trend change; lower is better)",
                "up": "{who} {what} began to worsen on {date} (trend change; lower is better)"}


@dataclass
class Alerts:
    """Ranked alerts: rank, date, competitor, metric, type, against_us, losing_metric, score,
    sentence."""

    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def sentences(self, n: int | None = None) -> list[str]:
        t = self.table if n is None else self.table.head(n)
        return list(t["sentence"])

    def display_frame(self) -> pd.DataFrame:
        """The table as the report shows it: dates and scores as text (one decimal), type and
        the yes/no flags in the report language."""
        al = self.table.copy()
        if al.empty:
            return al
        al = al.assign(date=al["date"].dt.strftime("%Y-%m-%d"),
                       score=al["score"].map(lambda x: f"{x:.1f}"),
                       against_us=al["against_us"].map(fmt.yes_no),
                       losing_metric=al["losing_metric"].map(fmt.yes_no))
        if language() != "en":
            al["type"] = al["type"].map(tr)
        return al


def _who(comp: str, ours: str) -> str:
    return tr("{name} (us)", name=comp) if comp == ours else comp


def change_sentence(r, panel: Panel) -> str:
    spec = panel.registry.get(r["metric"])
    what = spec.title
    who = _who(r["competitor"], panel.our_product)
    lower = spec.better == "lower"
    if r["kind"] == "level":
        s = tr((_LEVEL_LOWER if lower else _LEVEL)[r["direction"]], who=who, what=what,
               size=spec.format_change(r["absolute_change"], r["relative_change"]).lstrip("+-"),
               date=f"{r['date']:%Y-%m-%d}", before=spec.format_value(r["before"]),
               after=spec.format_value(r["after"]))
    else:
        s = tr((_TREND_LOWER if lower else _TREND)[r["direction"]], who=who, what=what, date=f"{r['date']:%Y-%m-%d}")
    if isinstance(r.get("event_note"), str) and r["event_note"]:
        s += tr("; matches '{note}' ({kind}, {date}).", note=r["event_note"],
                kind=tr(r["event_kind"]), date=f"{r['event_date']:%Y-%m-%d}")
    else:
        s += tr("; no matching event on record.")
    return s


def anomaly_sentence(r, panel: Panel) -> str:
    spec = panel.registry.get(r["metric"])
    dev = spec.format_change(r["deviation"], r["deviation"])
    return tr("{who} {what} on {date} was {value}, {dev} against the expected {expected} "
              "({severity} MADs, {level}).", who=_who(r["competitor"], panel.our_product),
              what=spec.title, date=f"{r['date']:%Y-%m-%d}", value=spec.format_value(r["value"]),
              dev=dev, expected=spec.format_value(r["expected"]), severity=f"{r['severity']:.1f}",
              level=tr(r["level"]))


def build_alerts(panel: Panel, changes: ChangePoints, anomalies: Anomalies,
                 pos: Position) -> Alerts:
    """Ranked alerts from the window's changes and anomalies (see module doc)."""
    ours = panel.our_product
    leading = set(pos.leads())
    rows = []
    for _, r in changes.in_window().iterrows():
        against = (not r["better"]) if r["competitor"] == ours else bool(r["better"])
        rows.append({"date": r["date"], "competitor": r["competitor"], "metric": r["metric"],
                     "type": "change", "against_us": against,
                     "losing_metric": r["metric"] not in leading, "score": float(r["z"]),
                     "sentence": change_sentence(r, panel)})
    for _, r in anomalies.in_window().iterrows():
        against = (not r["better"]) if r["competitor"] == ours else bool(r["better"])
        rows.append({"date": r["date"], "competitor": r["competitor"], "metric": r["metric"],
                     "type": "anomaly", "against_us": against,
                     "losing_metric": r["metric"] not in leading, "score": float(r["severity"]),
                     "sentence": anomaly_sentence(r, panel)})
    cols = ["rank", "date", "competitor", "metric", "type", "against_us", "losing_metric", "score",
            "sentence"]
    if not rows:
        return Alerts(pd.DataFrame(columns=cols))
    t = pd.DataFrame(rows)
    t["_change_first"] = t["type"] == "change"
    t = t.sort_values(["against_us", "losing_metric", "score", "_change_first"],
                      ascending=False, kind="stable").drop(columns="_change_first")
    t.insert(0, "rank", range(1, len(t) + 1))
    return Alerts(t.reset_index(drop=True)[cols])
