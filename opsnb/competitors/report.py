"""The competitor tracking report: the one call the notebook makes.

:func:`competitor_tracking` opens the source, resolves the window on
``competitor_metrics.date``, builds the panel (window plus ``history_days`` of
history for the trend and change detection) and runs :func:`analyse`: STL, change
points, anomalies, position, alerts and SWOT.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from opsnb.competitors import charts
from opsnb.competitors.alerts import Alerts, build_alerts
from opsnb.competitors.anomalies import Anomalies, find_anomalies
from opsnb.competitors.changepoints import ChangePoints, detect_changes
from opsnb.competitors.decomposition import Decomposition, decompose
from opsnb.competitors.panel import FILLS, FREQS, Panel, load_panel
from opsnb.competitors.position import Position, position
from opsnb.competitors.registry import MetricRegistry, default_registry
from opsnb.competitors.swot import Swot, build_swot
from opsnb.data.source import DataSource
from opsnb.data.window import Window, resolve_window
from opsnb.report import fmt
from opsnb.report.i18n import t as tr
from opsnb.report.params import expect


@dataclass
class Analysis:
    """Everything computed from one panel."""

    panel: Panel
    window: Window
    decomposition: Decomposition
    changes: ChangePoints
    anomalies: Anomalies
    position: Position
    alerts: Alerts
    swot: Swot
    source: DataSource | None = None
    parameters: dict = field(default_factory=dict)

    # ------------------------------------------------------------------ numbers
    def headline(self) -> dict:
        ch = self.changes.in_window()
        sc = self.position.scorecard
        return {
            "our_product": self.panel.our_product,
            "products": len(self.panel.competitors),
            "metrics": len(self.panel.metrics),
            "metrics_we_lead": self.position.leads(),
            "metrics_we_trail": self.position.trails(),
            "changes": int(len(ch)),
            "changes_matched_to_events": int(ch["event_note"].notna().sum()),
            "changes_against_us": int(self.alerts.table.query("type == 'change'")["against_us"].sum()),
            "anomalies": int(len(self.anomalies.in_window())),
            "alerts": int(len(self.alerts.table)),
            "top_alert": self.alerts.table["sentence"].iloc[0] if len(self.alerts.table) else None,
            "latest_week": f"{self.position.current[0]:%Y-%m-%d} – {self.position.current[1]:%Y-%m-%d}",
            "series": self.changes.n_series(),
            "gaps_filled": int(self.panel.gaps["n_missing"].sum()) if self.panel.fill != "none" else 0,
            "best_rank": int(sc["our_rank"].min()) if len(sc) else None,
        }

    def headline_items(self) -> list[tuple[str, str, str]]:
        h = self.headline()
        n = len(self.position.scorecard)
        ch = self.changes.in_window()
        def names(ms):  # readable metric labels ('share of voice'), not the raw keys
            return ", ".join(self.panel.registry.get(m).title for m in ms) or tr("none")
        return [
            (tr("Metrics we lead"), tr("{k} of {n}", k=len(h["metrics_we_lead"]), n=n),
             names(h["metrics_we_lead"])),
            (tr("Metrics we trail"), tr("{k} of {n}", k=len(h["metrics_we_trail"]), n=n),
             names(h["metrics_we_trail"])),
            (tr("Changes detected"), fmt.count(h["changes"]),
             tr("{matched} matched to events, {against} against us",
                matched=h["changes_matched_to_events"], against=h["changes_against_us"])),
            (tr("Anomalies"), fmt.count(h["anomalies"]),
             tr("beyond {k} MADs", k=f"{self.anomalies.k:g}")),
            (tr("Products tracked"), fmt.count(h["products"]),
             tr("{series} series, {moved} moved", series=h["series"],
                moved=len(ch["competitor"].unique()) if len(ch) else 0)),
        ]

    def sections(self) -> dict:
        sc = self.position.scorecard
        return {
            "scorecard": sc,
            "position": self.position.to_frame(),
            "change_points": self.changes.to_frame()[
                ["competitor", "metric", "date", "direction", "kind", "change", "relative_change",
                 "absolute_change", "before", "after", "z", "event_date", "event_kind", "event_note",
                 "in_window"]],
            "anomalies": self.anomalies.in_window(),
            "alerts": self.alerts.to_frame(),
            "swot": self.swot.to_frame(),
            "gaps": self.panel.gaps,
            "notes": self.notes(),
            "method": {"penalty": self.changes.penalty, "min_size": self.changes.min_size,
                       "match_days": self.changes.match_days, "anomaly_mads": self.anomalies.k,
                       "freq": self.panel.freq, "fill": self.panel.fill},
        }

    def notes(self) -> list[str]:
        out = ([tr("Gaps: {summary}.", summary=self.panel.gap_summary())] + self.panel.notes
               + self.changes.skipped)
        if not self.has_previous_period():
            n_days = (self.window.end.normalize() - self.window.start.normalize()).days + 1
            out.append(tr("The scorecard has no 'window vs previous' column: the data starts on "
                          "{first}, so it does not cover the {n} days before the window.",
                          first=f"{self.panel.values.index[0]:%Y-%m-%d}", n=n_days))
        return out

    def has_previous_period(self) -> bool:
        """Whether the scorecard has a window-vs-previous change (the data reaches back over
        the same number of days before the window)."""
        sc = self.position.scorecard
        return bool(len(sc)) and bool(sc["our_pop_change"].notna().any())

    def check_lines(self) -> list[str]:
        h = self.headline()
        out = [f"our product: {h['our_product']}; products {h['products']}; metrics {h['metrics']}",
               f"lead: {', '.join(h['metrics_we_lead']) or '-'}",
               f"trail: {', '.join(h['metrics_we_trail']) or '-'}",
               f"changes {h['changes']} (matched {h['changes_matched_to_events']}); "
               f"anomalies {h['anomalies']}; alerts {h['alerts']}"]
        for _, r in self.changes.in_window().iterrows():
            out.append(f"change {r['competitor']} {r['metric']} {r['date']:%Y-%m-%d} {r['direction']} "
                       f"{r['change']:+.2f}")
        for _, r in self.position.scorecard.iterrows():
            out.append(f"rank {r['metric']}: {r['our_rank']} of {r['n_ranked']}")
        return out

    # ------------------------------------------------------------------ tables for the report
    def scorecard_display(self) -> pd.DataFrame:
        """The scorecard with every number formatted by its metric; without the 'window vs
        previous' column when there is no previous period in the data (see :meth:`notes`)."""
        rows = []
        for _, s in self.position.scorecard.iterrows():
            spec = self.panel.registry.get(s["metric"])
            rows.append({
                "metric": spec.title, "better": tr(spec.better), "ours": spec.format_value(s["ours"]),
                "our rank": tr("{rank} of {n}", rank=s["our_rank"], n=s["n_ranked"]),
                "best rival": s["best_rival"] or "–",
                "rival value": spec.format_value(s["best_rival_value"]),
                "gap to rival": spec.format_change(s["gap_to_best_rival"], s["gap_to_best_rival"]),
                "week over week": spec.format_change(s["our_wow_change"], s["our_wow_change"]),
                "window vs previous": spec.format_change(s["our_pop_change"], s["our_pop_change"]),
                "our share": fmt.pct(s["our_share"]),
            })
        out = pd.DataFrame(rows)
        if len(out) and not self.has_previous_period():
            out = out.drop(columns="window vs previous")
        return _translated(out)

    def changes_display(self) -> pd.DataFrame:
        rows = []
        for _, r in self.changes.in_window().iterrows():
            spec = self.panel.registry.get(r["metric"])
            rows.append({
                "date": f"{r['date']:%Y-%m-%d}", "competitor": r["competitor"], "metric": spec.title,
                "change": spec.format_change(r["absolute_change"], r["relative_change"]),
                "from": spec.format_value(r["before"]), "to": spec.format_value(r["after"]),
                "kind": _kind(r["kind"]), "size (× noise)": f"{r['z']:.1f}",
                "matched event": (tr("{date} {kind}: {note}", date=f"{r['event_date']:%Y-%m-%d}",
                                     kind=tr(r["event_kind"]), note=r["event_note"])
                                  if isinstance(r["event_note"], str) else "–"),
            })
        return _translated(pd.DataFrame(rows))

    def anomalies_display(self) -> pd.DataFrame:
        rows = []
        for _, r in self.anomalies.in_window().iterrows():
            spec = self.panel.registry.get(r["metric"])
            rows.append({
                "date": f"{r['date']:%Y-%m-%d}", "competitor": r["competitor"], "metric": spec.title,
                "value": spec.format_value(r["value"]), "expected": spec.format_value(r["expected"]),
                "deviation": spec.format_change(r["deviation"], r["deviation"]),
                "severity (MADs)": f"{r['severity']:.1f}", "level": tr(r["level"]),
            })
        return _translated(pd.DataFrame(rows))

    # ------------------------------------------------------------------ charts
    def plot_metric(self, metric: str, ax=None):
        return charts.plot_metric(self.panel, self.changes, self.window, metric, ax=ax)

    def plot_small_multiples(self, metrics=None):
        return charts.small_multiples(self.panel, self.changes, self.window, metrics)

    def plot_share_of_voice(self, ax=None):
        return charts.plot_share_of_voice(self.panel, self.window, ax=ax)

    def plot_quality(self):
        return charts.plot_quality(self.panel, self.changes, self.window)


def _kind(kind: str) -> str:
    """'level' or 'trend' (kind of change) in the report language; 'level' alone is a column."""
    key = f"{kind} (kind of change)"
    out = tr(key)
    return kind if out == key else out


def _translated(frame: pd.DataFrame) -> pd.DataFrame:
    """The display frame with its column names in the report language."""
    return frame.rename(columns={c: tr(c) for c in frame.columns})


def analyse(panel: Panel, window: Window, penalty: float = 6.0, anomaly_mads: float = 4.0,
            match_days: int = 7, min_size: int | None = None, jump: int | None = None,
            source: DataSource | None = None, parameters: dict | None = None) -> Analysis:
    """STL, change points, anomalies, position, alerts and SWOT of a panel."""
    dec = decompose(panel)
    changes = detect_changes(panel, dec, penalty=penalty, min_size=min_size, jump=jump,
                             match_days=match_days, window=window)
    anomalies = find_anomalies(panel, dec, changes, k=anomaly_mads, window=window)
    pos = position(panel, window)
    alerts = build_alerts(panel, changes, anomalies, pos)
    swot = build_swot(panel, pos, changes)
    return Analysis(panel=panel, window=window, decomposition=dec, changes=changes,
                    anomalies=anomalies, position=pos, alerts=alerts, swot=swot, source=source,
                    parameters=parameters or {})


def metric_window(source: DataSource, start_date="", end_date="") -> Window:
    """The report window on ``competitor_metrics.date``; a dated row covers its whole day."""
    w = resolve_window(source, start_date, end_date, table="competitor_metrics", column="date")
    return replace(w, as_of=min(w.as_of.normalize() + pd.Timedelta(days=1, microseconds=-1),
                                w.end_exclusive - pd.Timedelta(microseconds=1)))


def competitor_tracking(data_dir=None, start_date: str = "", end_date: str = "",
                        our_product: str = "Lumo", competitors=None, metrics=None,
                        penalty: float = 6.0, anomaly_mads: float = 4.0,
                        metric_directions: dict | None = None, freq: str = "auto",
                        fill: str = "interpolate", history_days: int = 365,
                        match_days: int = 7, registry: MetricRegistry | None = None) -> Analysis:
    """Load, validate and compute the whole competitor tracking report."""
    expect("our_product", our_product, "str")
    expect("competitors", competitors, "list", allow_none=True)
    expect("metrics", metrics, "list", allow_none=True)
    expect("penalty", penalty, "float", minimum=0.1)
    expect("anomaly_mads", anomaly_mads, "float", minimum=1)
    expect("metric_directions", metric_directions, "dict", allow_none=True)
    expect("freq", freq, "str", choices=FREQS)
    expect("fill", fill, "str", choices=FILLS)
    expect("history_days", history_days, "int", minimum=0)
    expect("match_days", match_days, "int", minimum=0)
    registry = (registry or default_registry()).with_directions(metric_directions or {})
    source = DataSource.open(data_dir)
    source.require("competitor_metrics")
    window = metric_window(source, start_date, end_date)
    panel = load_panel(source, window, our_product, competitors=competitors, metrics=metrics,
                       registry=registry, freq=freq, fill=fill, history_days=history_days)
    params = dict(data_dir=str(data_dir or ""), start_date=start_date, end_date=end_date,
                  our_product=our_product, competitors=list(competitors or []),
                  metrics=list(metrics or []), penalty=float(penalty),
                  anomaly_mads=float(anomaly_mads), metric_directions=dict(metric_directions or {}),
                  freq=freq, fill=fill, history_days=history_days, match_days=match_days)
    return analyse(panel, window, penalty=float(penalty), anomaly_mads=float(anomaly_mads),
                   match_days=match_days, source=source, parameters=params)
