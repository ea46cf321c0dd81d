"""The competitor tracking report: the one call the notebook makes.

:func:`competitor_tracking` checks the parameters, opens the source (``competitor_metrics``
required; ``competitor_events`` optional: without it the changes are shown unmatched),
resolves the window on ``competitor_metrics.date``, builds the panel (window plus
``history_days`` of history for the trend and change detection) and computes each section
that the data allow: position and scorecard, STL and change points, anomalies, alerts and SWOT.
A section the data cannot carry (too short a history for change detection, no share-of-voice
metric, no rows in the window) is left out with one line that says why.

>>> from opsnb.competitors import competitor_tracking
>>> r = competitor_tracking(end_date="2026-10-31")
>>> r.headline()["metrics_we_lead"]
['rating', 'share_of_voice', 'sentiment']
>>> r.skipped
{}
"""

from __future__ import annotations


import pandas as pd

from opsnb.competitors import charts, present
from opsnb.competitors.alerts import Alerts, build_alerts
from opsnb.competitors.anomalies import Anomalies, find_anomalies
from opsnb.competitors.changepoints import ChangePoints, detect_changes
from opsnb.competitors.decomposition import Decomposition, decompose
from opsnb.competitors.panel import FILLS, FREQS, TABLE, Panel, check_subset, load_panel
from opsnb.competitors.position import Position, position
from opsnb.competitors.registry import MetricRegistry, default_registry
from opsnb.competitors.swot import Swot, build_swot
from opsnb.data.window import Window, resolve_window
from opsnb.errors import ParameterError
from opsnb.report.contract import Report, Section
from opsnb.report.i18n import check_language
from opsnb.report.params import expect

NO_ROWS = ("Left out: competitor_metrics has no rows between {window}; the data run from "
           "{first} to {last}. Fix: choose start_date and end_date inside those dates.")
SHORT = ("Left out: change detection needs at least {need} {unit} of history per series (two "
         "segments of at least {min_size}); the data hold {have} (window and history "
         "together). Fix: load a longer competitor_metrics history (or raise history_days).")
AFTER_CHANGES = {
    "anomalies": "Left out: anomalies are measured against the trend the change detection fits, "
                 "which was left out for this data (see 'What changed, and why').",
    "alerts": "Left out: the alerts rank the window's changes and anomalies, which were left out "
              "for this data (see 'What changed, and why').",
}
AFTER_SCORECARD = "Left out: the SWOT draft is built from the scorecard, which was left out."
NO_METRIC = ("Left out: the data hold no {metric} metric (competitor_metrics.metric). With it, "
             "this section would show {shows}.")
NOT_ASKED = ("Left out: {metric} is not among the metrics asked for. Fix: add {metric} to the "
             "metrics parameter (or leave it empty for all).")
NO_QUALITY = ("Left out: the data hold neither a rating nor a sentiment metric "
              "(competitor_metrics.metric). With one, this section would show {shows}.")
QUALITY_NOT_ASKED = ("Left out: neither rating nor sentiment is among the metrics asked for. "
                     "Fix: add them to the metrics parameter (or leave it empty for all).")


class CompetitorReport(Report):
    """Everything computed for one competitor tracking run (None where a section was left out)."""

    name = "competitor_tracking"
    title = "Competitor tracking"
    required = ("competitor_metrics",)
    SECTIONS = (
        # competitor_events enriches sections without gating them: without it the changes are
        # shown unmatched (and the report says so); nothing is left out
        Section("read_first", "Read first",
                shows="the top alerts of the window and notes on the data",
                uses=("competitor_events",)),
        Section("scorecard", "Scorecard",
                shows="our rank, our gap to the best rival and our changes on every metric"),
        Section("trends", "Every metric, every product",
                shows="every metric per product, with the detected changes and events marked"),
        Section("share_of_voice", "Share of voice",
                shows="each product's weekly share of social-media mentions"),
        Section("quality", "Rating and sentiment",
                shows="the app-store rating and sentiment of every product"),
        Section("changes", "What changed, and why",
                shows="dated changes in level or trend, matched to competitor events",
                uses=("competitor_events",)),
        Section("anomalies", "Anomalies", shows="single days far outside the normal range"),
        Section("alerts", "Alerts", shows="the window's changes and anomalies, ranked",
                uses=("competitor_events",)),
        Section("swot", "SWOT (draft for the analyst)",
                shows="a SWOT draft from the scorecard and the window's changes"),
    )
    def __init__(self, source, window, parameters: dict | None = None) -> None:
        super().__init__(source, window, parameters)
        self.panel: Panel | None = None
        self.decomposition: Decomposition | None = None
        self.changes: ChangePoints | None = None
        self.anomalies: Anomalies | None = None
        self.position: Position | None = None
        self.alerts: Alerts | None = None
        self.swot: Swot | None = None
        self.method: dict = {}

    # ------------------------------------------------------------------ computation
    def compute_all(self, our_product: str, competitors=None, metrics=None,
                    registry: MetricRegistry | None = None, freq: str = "auto",
                    fill: str = "interpolate", history_days: int = 365, penalty: float = 6.0,
                    anomaly_mads: float = 4.0, match_days: int = 7, min_size: int | None = None,
                    jump: int | None = None) -> CompetitorReport:
        """Build the panel and every section the data allow (see the module doc)."""
        self.method = {"penalty": float(penalty), "min_size": min_size, "match_days": match_days,
                       "anomaly_mads": float(anomaly_mads), "freq": freq, "fill": fill}
        w = self.window
        if _rows_inside(self.source, w) == 0:
            self.skip_all(NO_ROWS, window=w.label(), first=f"{w.data_first:%Y-%m-%d}",
                          last=f"{w.data_last:%Y-%m-%d}")
            return self
        self.panel = panel = load_panel(self.source, self.window, our_product,
                                        competitors=competitors, metrics=metrics,
                                        registry=registry, freq=freq, fill=fill,
                                        history_days=history_days)
        self.method.update(freq=panel.freq)
        self.position = self.compute("scorecard", lambda: position(panel, self.window))
        if min_size is None:
            min_size = 14 if panel.freq == "day" else 4
        self.method.update(min_size=int(min_size))
        if panel.n_dates < 2 * min_size:
            unit = "days" if panel.freq == "day" else "weeks"
            self.skip("changes", SHORT, need=2 * min_size, unit=unit, min_size=min_size,
                      have=panel.n_dates)
        self.decomposition = self.compute("changes", lambda: decompose(panel))
        self.changes = self.compute("changes", lambda: detect_changes(
            panel, self.decomposition, penalty=penalty, min_size=min_size, jump=jump,
            match_days=match_days, window=self.window))
        if self.changes is None:
            for key, text in AFTER_CHANGES.items():
                self.skip(key, text)
        self.anomalies = self.compute("anomalies", lambda: find_anomalies(
            panel, self.decomposition, self.changes, k=anomaly_mads, window=self.window))
        self.alerts = self.compute("alerts", lambda: build_alerts(
            panel, self.changes, self.anomalies, self.position))
        if self.position is None:
            self.skip("swot", AFTER_SCORECARD)
        self.swot = self.compute("swot", lambda: build_swot(panel, self.position, self.changes))
        asked = list(self.parameters.get("metrics") or [])
        if "share_of_voice" not in panel.metrics:
            self.skip("share_of_voice", NOT_ASKED if asked else NO_METRIC,
                      metric="share_of_voice", shows=self.section_spec("share_of_voice").shows)
        if not {"rating", "sentiment"} & set(panel.metrics):
            self.skip("quality", QUALITY_NOT_ASKED if asked else NO_QUALITY,
                      shows=self.section_spec("quality").shows)
        return self

    # ------------------------------------------------------------------ numbers
    def headline(self) -> dict:
        p, pos, ch, an, al = self.panel, self.position, self.changes, self.anomalies, self.alerts
        cw = ch.in_window() if ch is not None else None
        sc = pos.scorecard if pos is not None else None
        top = present.alert_sentences(self, "en", 1)
        return {
            "our_product": p.our_product if p is not None else self.parameters.get("our_product"),
            "products": len(p.competitors) if p is not None else 0,
            "metrics": len(p.metrics) if p is not None else 0,
            "metrics_we_lead": pos.leads() if pos is not None else [],
            "metrics_we_trail": pos.trails() if pos is not None else [],
            "changes": int(len(cw)) if cw is not None else None,
            "changes_matched_to_events": (int(cw["event_note"].notna().sum())
                                          if cw is not None else None),
            "changes_against_us": (int(al.table.query("type == 'change'")["against_us"].sum())
                                   if al is not None else None),
            "anomalies": int(len(an.in_window())) if an is not None else None,
            "alerts": int(len(al.table)) if al is not None else None,
            "top_alert": top[0] if top else None,
            "latest_week": (f"{pos.current[0]:%Y-%m-%d} – {pos.current[1]:%Y-%m-%d}"
                            if pos is not None else None),
            "series": ch.n_series() if ch is not None else None,
            "gaps_filled": (int(p.gaps["n_missing"].sum())
                            if p is not None and p.fill != "none" else 0),
            "best_rank": int(sc["our_rank"].min()) if sc is not None and len(sc) else None,
        }

    def sections(self) -> dict:
        pos, ch, an = self.position, self.changes, self.anomalies
        alerts = []
        if self.alerts is not None:
            alerts = self.alerts.to_frame().drop(columns="ref").assign(
                sentence=present.alert_sentences(self, "en"))
        swot = []
        if self.swot is not None:
            swot = self.swot.table[["quadrant", "metric"]].assign(
                item=present.swot_items(self, "en"))
        return {
            "scorecard": pos.scorecard if pos is not None else [],
            "position": pos.to_frame() if pos is not None else [],
            "change_points": ch.to_frame()[
                ["competitor", "metric", "date", "direction", "kind", "change", "relative_change",
                 "absolute_change", "before", "after", "z", "event_date", "event_kind", "event_note",
                 "in_window"]] if ch is not None else [],
            "anomalies": an.in_window() if an is not None else [],
            "alerts": alerts,
            "swot": swot,
            "gaps": self.panel.gaps if self.panel is not None else [],
            "notes": self.notes("en"),
            "method": self.method,
        }

    def notes(self, lang: str = "en") -> list[str]:
        """Notes on the data (gaps, metrics, series left out), in ``lang``."""
        return present.notes(self, lang)

    def has_previous_period(self) -> bool:
        """Whether the scorecard has a window-vs-previous change (the data reaches back over
        the same number of days before the window)."""
        sc = self.position.scorecard if self.position is not None else pd.DataFrame()
        return bool(len(sc)) and bool(sc["our_pop_change"].notna().any())

    def check_lines(self) -> list[str]:
        h = self.headline()

        def n(x):
            return "-" if x is None else x

        out = [f"our product: {h['our_product']}; products {h['products']}; metrics {h['metrics']}",
               f"lead: {', '.join(h['metrics_we_lead']) or '-'}",
               f"trail: {', '.join(h['metrics_we_trail']) or '-'}",
               f"changes {n(h['changes'])} (matched {n(h['changes_matched_to_events'])}); "
               f"anomalies {n(h['anomalies'])}; alerts {n(h['alerts'])}"]
        if self.changes is not None:
            for _, r in self.changes.in_window().iterrows():
                out.append(f"change {r['competitor']} {r['metric']} {r['date']:%Y-%m-%d} "
                           f"{r['direction']} {r['change']:+.2f}")
        if self.position is not None:
            for _, r in self.position.scorecard.iterrows():
                out.append(f"rank {r['metric']}: {r['our_rank']} of {r['n_ranked']}")
        return out

    # ------------------------------------------------------------------ presentation
    def headline_title(self, lang: str = "en") -> str:
        return present.headline_title(self, lang)

    def headline_items(self, lang: str = "en") -> list[tuple[str, str, str]]:
        return present.headline_items(self, lang)

    def show_read_first(self, lang: str = "en") -> list:
        return present.show_read_first(self, lang)

    def show_scorecard(self, lang: str = "en") -> list:
        return present.show_scorecard(self, lang)

    def show_trends(self, lang: str = "en") -> list:
        return present.show_trends(self, lang)

    def show_share_of_voice(self, lang: str = "en") -> list:
        return present.show_share_of_voice(self, lang)

    def show_quality(self, lang: str = "en") -> list:
        return present.show_quality(self, lang)

    def show_changes(self, lang: str = "en") -> list:
        return present.show_changes(self, lang)

    def show_anomalies(self, lang: str = "en") -> list:
        return present.show_anomalies(self, lang)

    def show_alerts(self, lang: str = "en") -> list:
        return present.show_alerts(self, lang)

    def show_swot(self, lang: str = "en") -> list:
        return present.show_swot(self, lang)

    # ------------------------------------------------------------------ charts
    def plot_metric(self, metric: str, ax=None, lang: str = "en"):
        return charts.plot_metric(self.panel, self.changes, self.window, metric, ax=ax, lang=lang)

    def plot_small_multiples(self, metrics=None, lang: str = "en"):
        return charts.small_multiples(self.panel, self.changes, self.window, metrics, lang=lang)

    def plot_share_of_voice(self, ax=None, lang: str = "en"):
        return charts.plot_share_of_voice(self.panel, self.window, ax=ax, lang=lang)

    def plot_quality(self, lang: str = "en"):
        return charts.plot_quality(self.panel, self.changes, self.window, lang=lang)


def _rows_inside(source, window: Window) -> int:
    """The competitor_metrics rows inside the window (none when it lies outside the data)."""
    if window.empty:
        return 0
    t = source.table(TABLE)
    return int(t.filter(t.date >= window.start.date(), t.date <= window.end.date()).count()
               .to_pandas())


def _names_present(source) -> tuple[list[str], list[str]]:
    """The competitor and metric names of the whole competitor_metrics table."""
    t = source.table(TABLE)
    comps = sorted(t.select("competitor").distinct().to_pandas()["competitor"].dropna())
    metrics = sorted(t.select("metric").distinct().to_pandas()["metric"].dropna())
    return comps, metrics


def check_names(source, our_product: str, competitors, metrics, metric_directions) -> None:
    """ParameterError for a product or metric name that competitor_metrics does not hold."""
    comps, names = _names_present(source)
    if our_product not in comps:
        raise ParameterError(f"parameter our_product={our_product!r} is not in the data "
                             f"(competitor_metrics.competitor); names present: {', '.join(comps)}")
    check_subset("competitors", competitors, comps)
    check_subset("metrics", metrics, names)
    unknown = [m for m in (metric_directions or {}) if m not in names]
    if unknown:
        raise ParameterError(f"parameter metric_directions: {', '.join(map(repr, unknown))} not in "
                             f"the data (competitor_metrics.metric); names present: "
                             f"{', '.join(names)}")


def competitor_tracking(data_dir=None, start_date: str = "", end_date: str = "",
                        our_product: str = "Lumo", competitors=None, metrics=None,
                        penalty: float = 6.0, anomaly_mads: float = 4.0,
                        metric_directions: dict | None = None, freq: str = "auto",
                        fill: str = "interpolate", history_days: int = 365,
                        match_days: int = 7, registry: MetricRegistry | None = None,
                        lang: str = "en",
                        engine: str = "duckdb") -> CompetitorReport:
    """Load, validate and compute the competitor tracking report.

    Only a missing or broken ``competitor_metrics`` table is a DataError, and a parameter that
    cannot be used (a product or metric name the data do not hold) a ParameterError naming it;
    every other shortfall of the data leaves a section out, with one line saying why.
    """
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
    lang = check_language(lang)
    registry = (registry or default_registry()).with_directions(metric_directions or {})
    source = CompetitorReport.open_source(data_dir, engine=engine)
    check_names(source, our_product, competitors, metrics, metric_directions)
    # a dated row covers its whole day; a window with no rows is a window (sections say so)
    window = resolve_window(source, start_date, end_date, table=TABLE, column="date",
                            allow_empty=True)
    params = dict(data_dir=str(data_dir or ""), start_date=start_date, end_date=end_date,
                  our_product=our_product, competitors=list(competitors or []),
                  metrics=list(metrics or []), penalty=float(penalty),
                  anomaly_mads=float(anomaly_mads), metric_directions=dict(metric_directions or {}),
                  freq=freq, fill=fill, history_days=history_days, match_days=match_days,
                  lang=lang)
    report = CompetitorReport(source, window, params)
    report.missing_tables()
    return report.compute_all(our_product, competitors=competitors, metrics=metrics,
                              registry=registry, freq=freq, fill=fill, history_days=history_days,
                              penalty=float(penalty), anomaly_mads=float(anomaly_mads),
                              match_days=match_days)
