"""The KPI diagnostics report: what moved, why, where it is heading, and the target.

It requires users and events. The current window is ``start_date`` .. ``end_date`` (empty
``start_date``: the 14 days ending on ``end_date``; empty ``end_date``: the last day of the
data); the comparison window is ``compare_start`` .. ``compare_end`` (empty: the window of the
same length just before). Every section runs on what the data holds and otherwise says why in
one line.

>>> r = kpi_diagnostics()
>>> r.check_lines()[0]
'current 2026-10-08 – 2026-10-21 against 2026-09-24 – 2026-10-07'
>>> r.causes[0]["segment"]
(('region', '华东'), ('device', 'android'))
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from opsnb.data.window import parse_date, resolve_window
from opsnb.diagnostics import present
from opsnb.diagnostics.anomalies import alerts
from opsnb.diagnostics.decompose import Decomposition, decompose
from opsnb.diagnostics.forecast import PERIODS, forecast
from opsnb.diagnostics.kpis import (
    DIMENSIONS,
    KPI,
    Span,
    daily_series,
    dimension_values,
    parse_kpi,
    window_cells,
)
from opsnb.diagnostics.rootcause import search, segments_from_decompositions
from opsnb.errors import DataError, ParameterError
from opsnb.report.contract import Report, Section
from opsnb.report.i18n import Verbatim, check_language

DEFAULT_DAYS = 14
MIN_CHANGE = 0.01  # a relative change below this is not searched for causes
NOISE_Z = 2.0      # a change whose Welch z on the daily values is below this gets a warning


def noise_z(daily: pd.Series, base: Span, current: Span) -> float | None:
    """Welch's z of the daily values, current window against comparison window (None when
    either holds fewer than 3 days).

    >>> d = pd.Series([10.0, 12, 11, 13, 20, 22, 21, 23], index=pd.date_range("2026-01-01", periods=8))
    >>> round(noise_z(d, Span(d.index[0], d.index[3]), Span(d.index[4], d.index[7])), 2)
    10.95
    """
    a = daily[(daily.index >= base.start) & (daily.index <= base.end)].dropna()
    b = daily[(daily.index >= current.start) & (daily.index <= current.end)].dropna()
    if len(a) < 3 or len(b) < 3:
        return None
    se = (a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b)) ** 0.5
    if not se:
        return None
    return float((b.mean() - a.mean()) / se)


def diagnostics_sample_dir() -> Path:
    """The bundled diagnostics sample (``data/sample/diagnostics``)."""
    from opsnb.data.source import default_sample_dir

    return default_sample_dir() / "diagnostics"


def windows(source, start_date="", end_date="", compare_start="", compare_end=""
            ) -> tuple[Span, Span]:
    """The current and the comparison window; overlapping windows are a ParameterError."""
    end = parse_date(end_date, "end_date") or resolve_window(source, allow_empty=True).end
    start = parse_date(start_date, "start_date") or end - pd.Timedelta(days=DEFAULT_DAYS - 1)
    if end < start:
        raise ParameterError(f"end_date {end:%Y-%m-%d} is before start_date {start:%Y-%m-%d}")
    current = Span(start, end)
    cs, ce = parse_date(compare_start, "compare_start"), parse_date(compare_end, "compare_end")
    if (cs is None) != (ce is None):
        raise ParameterError("set both compare_start and compare_end, or neither (then the "
                             "comparison window is the one of the same length just before)")
    if cs is None:
        base = Span(start - pd.Timedelta(days=current.days),
                    start - pd.Timedelta(days=1))
    else:
        if ce < cs:
            raise ParameterError(f"compare_end {ce:%Y-%m-%d} is before compare_start "
                                 f"{cs:%Y-%m-%d}")
        base = Span(cs, ce)
    if base.start <= current.end and current.start <= base.end:
        raise ParameterError(
            f"the comparison window compare_start/compare_end ({base.label()}) overlaps the "
            f"current window start_date/end_date ({current.label()}); choose windows that do "
            "not share a day")
    return current, base


class KPIDiagnostics(Report):
    """Change decomposition, root causes across dimensions, forecast and target, anomalies."""

    name = "kpi_diagnostics"
    title = "KPI diagnostics"
    required = ("users", "events")
    SECTIONS = (
        Section("change", "What moved: the change and its parts",
                shows="the KPI's change split exactly into mix and rate per dimension"),
        Section("causes", "Why: the causes across dimensions",
                shows="the smallest set of segments that explains the change"),
        Section("forecast", "Where it is heading: forecast and target",
                shows="the forecast to the end of the period, its backtest and the target"),
        Section("anomalies", "Days far from the forecast",
                shows="dated alerts for days far from the model"),
    )

    def __init__(self, source, window, parameters: dict | None = None) -> None:
        super().__init__(source, window, parameters)
        self.kpi: KPI | None = None
        self.current: Span | None = None
        self.base: Span | None = None
        self.dims: tuple[str, ...] = ()
        self.decs: dict[tuple[str, ...], Decomposition] = {}
        self.total: Decomposition | None = None
        self.causes: list[dict] = []
        self.fc = None
        self.alerts: pd.DataFrame | None = None
        self.daily: pd.Series | None = None
        self.noise_z: float | None = None

    # ------------------------------------------------------------------ computation
    def run(self, kpi: KPI, current: Span, base: Span, dimensions, max_depth: int,
            explain_share: float, target: float, target_period: str, holidays: bool,
            seed: int) -> KPIDiagnostics:
        self.kpi, self.current, self.base = kpi, current, base
        self.max_depth, self.explain_share = max_depth, explain_share
        self.dims = self._dimensions(dimensions)
        if not self.dims:
            for key in ("change", "causes"):
                self.skip(key, "Left out: no dimension to split by (dimensions lists none "
                          "that the users table holds with two values or more).")
        if self.runs("change"):
            self.compute("change", self._decompose)
        start = min(self.source.data_start().normalize(), base.start)
        self.daily = daily_series(self.source, kpi, start, current.end_exclusive)
        # additive KPIs only: their window value is the mean of the daily values
        self.noise_z = noise_z(self.daily, base, current) if kpi.kind == "additive" else None
        if self.total is None:
            self.skip("causes", "Left out: the change could not be split (see above).")
        elif abs(self.total.change) <= MIN_CHANGE * abs(self.total.base_value):
            self.skip("causes", "Left out: {kpi} changed by {change} only; there is no change "
                      "to explain.", kpi=kpi.label, change=f"{self.relative_change:+.1%}")
        else:
            self.causes = self.compute("causes", lambda: search(
                segments_from_decompositions(self.decs), explain_share)) or []
            if self.noise_z is not None and abs(self.noise_z) < NOISE_Z:
                self.warn("The change of {kpi} ({change}) is within its day-to-day noise "
                          "(Welch z {z} on the daily values, below {limit}): read its causes "
                          "as a description of the two windows, not as a finding.",
                          kpi=kpi.label, change=f"{self.relative_change:+.1%}",
                          z=f"{self.noise_z:+.1f}", limit=f"{NOISE_Z:g}")
        self.fc = self.compute("forecast", lambda: self._forecast(
            target, target_period, holidays, seed))
        if self.fc is None:
            self.skip("anomalies", "Left out: the anomalies are measured against the forecast "
                      "model, which could not run.")
        else:
            self.alerts = self.compute("anomalies", lambda: alerts(self.fc.history,
                                                                   self.fc.fitted))
            for text, values in self.fc.notes:
                self.warn(text, **values)
        return self

    def _dimensions(self, dimensions) -> tuple[str, ...]:
        cols = set(self.source.table("users").columns) | {"user_type"}
        asked = tuple(dict.fromkeys(dimensions))
        known = tuple(d for d in asked if d in cols)
        for d in asked:
            if d not in cols:
                self.warn("Dimension {dim} is not a column of the users table and is left out.",
                          dim=Verbatim(d))
        self.cardinality = dimension_values(self.source, known) if known else {}
        out = []
        for d in known:
            if self.cardinality.get(d, 0) < 2:
                self.warn("Dimension {dim} has a single value in the users table and is left "
                          "out of the split and the search.", dim=Verbatim(d))
            else:
                out.append(d)
        return tuple(out)

    def _decompose(self) -> None:
        cells = window_cells(self.source, self.kpi, self.base, self.current, self.dims,
                             self.max_depth, self.cardinality)
        self.decs = {s: decompose(self.kpi, c, s, self.base.days, self.current.days)
                     for s, c in cells.items()}
        self.total = self.decs[()]

    def _forecast(self, target, target_period, holidays, seed):
        y = self.daily[self.daily.index >= self.source.data_start().normalize()]
        if y.fillna(0).abs().sum() == 0:
            raise DataError(f"{self.kpi.label} is 0 on every day up to {self.current.end:%Y-%m-%d}",
                            table="events", fix="choose another kpi or a window with activity")
        return forecast(y, target_period, target or None, self.kpi.target_sums, holidays, seed)

    # ------------------------------------------------------------------ numbers
    @property
    def relative_change(self) -> float | None:
        t = self.total
        return None if t is None or not t.base_value else t.change / t.base_value

    def dimension_effects(self) -> pd.DataFrame:
        """Per dimension: the factor totals of the split (they sum to the change)."""
        rows = []
        for dims, d in self.decs.items():
            if len(dims) == 1:
                rows.append({"dimension": dims[0], **d.effects, "change": d.change,
                             "residual": d.residual()})
        return pd.DataFrame(rows)

    def headline(self) -> dict:
        t, fc = self.total, self.fc
        top = self.causes[0] if self.causes else None
        return {
            "kpi": self.kpi.code if self.kpi else None,
            "current_window": None if self.current is None else self.current.label(),
            "comparison_window": None if self.base is None else self.base.label(),
            "base_value": None if t is None else t.base_value,
            "current_value": None if t is None else t.current_value,
            "change": None if t is None else t.change,
            "relative_change": self.relative_change,
            "top_cause": None if top is None else present.segment_code(top["segment"]),
            "top_cause_share": None if top is None else float(top["ep"]),
            "top_cause_effect": None if top is None else top["label"],
            "forecast_period_value": None if fc is None else fc.expected,
            "target": None if fc is None else fc.target,
            "p_target": None if fc is None else fc.p_target,
            "run_rate_needed": None if fc is None else fc.run_rate_needed,
            "alerts": None if self.alerts is None else len(self.alerts),
        }

    def sections(self) -> dict:
        out: dict = {}
        if self.total is not None:
            out["decomposition"] = {
                "total": {"base": self.total.base_value, "current": self.total.current_value,
                          "change": self.total.change},
                "by_dimension": self.dimension_effects(),
                "segments": {dims[0]: d.table for dims, d in self.decs.items()
                             if len(dims) == 1}}
        if self.causes:
            out["causes"] = [{"segment": present.segment_code(c["segment"]),
                              "share": c["ep"], "change": c["change"],
                              "surprise": c["surprise"], "effect": c["label"]}
                             for c in self.causes]
        if self.fc is not None:
            fc = self.fc
            out["forecast"] = {
                "method": fc.method, "period": [f"{fc.period[0]:%Y-%m-%d}",
                                                f"{fc.period[1]:%Y-%m-%d}"],
                "aggregate": "total" if fc.sums else "daily mean",
                "expected": fc.expected, "low80": fc.low, "high80": fc.high,
                "observed_days": fc.observed_days, "target": fc.target,
                "p_target": fc.p_target, "run_rate_needed": fc.run_rate_needed,
                "run_rate_forecast": fc.run_rate_forecast, "daily": fc.table,
                "backtest": fc.backtest, "skill_vs_seasonal_naive": fc.skill}
        if self.alerts is not None:
            out["alerts"] = self.alerts
        return out

    def check_lines(self) -> list[str]:
        lines = [f"current {self.current.label()} against {self.base.label()}"]
        t = self.total
        if t is not None:
            lines.append(f"{self.kpi.code}: {t.base_value:.4f} -> {t.current_value:.4f} "
                         f"({self.relative_change:+.2%})")
            eff = self.dimension_effects()
            if len(eff):
                r = eff.iloc[0]
                lines.append(f"by {r['dimension']}: " + ", ".join(
                    f"{f} {r[f]:+.4f}" for f in self.kpi.factors or ("volume",)))
        for i, c in enumerate(self.causes[:3], 1):
            lines.append(f"cause {i}: {present.segment_code(c['segment'])} "
                         f"{c['ep']:.3f} ({c['label']})")
        if self.fc is not None:
            fc = self.fc
            lines.append(f"forecast {fc.period[0]:%Y-%m} ({'total' if fc.sums else 'mean'}): "
                         f"{fc.expected:.1f}; backtest MAE model "
                         f"{fc.backtest['model_mae'].mean():.1f} vs seasonal naive "
                         f"{fc.backtest['naive_mae'].mean():.1f}")
            if fc.target is not None:
                lines.append(f"target {fc.target:g}: P {fc.p_target:.2f}; run-rate needed "
                             f"{fc.run_rate_needed:.1f}/day")
        if self.alerts is not None:
            lines.append("alerts: " + (", ".join(f"{d:%Y-%m-%d}" for d in self.alerts["date"])
                                       or "none"))
        return lines

    # ------------------------------------------------------------------ presentation
    def headline_items(self, lang: str = "en") -> list[tuple[str, str, str]]:
        return present.headline_items(self, lang)

    def headline_blocks(self, lang: str = "en") -> list:
        return present.headline_blocks(self, lang)

    def show_change(self, lang: str = "en") -> list:
        return present.show_change(self, lang)

    def show_causes(self, lang: str = "en") -> list:
        return present.show_causes(self, lang)

    def show_forecast(self, lang: str = "en") -> list:
        return present.show_forecast(self, lang)

    def show_anomalies(self, lang: str = "en") -> list:
        return present.show_anomalies(self, lang)


def kpi_diagnostics(data_dir=None, start_date: str = "", end_date: str = "", kpi: str = "dau",
                    compare_start: str = "", compare_end: str = "", dimensions=None,
                    max_depth: int = 2, explain_share: float = 0.8, target: float = 0.0,
                    target_period: str = "month", holidays: bool = False, seed: int = 0,
                    lang: str = "en", engine: str = "duckdb") -> KPIDiagnostics:
    """Load and validate the data, then diagnose the KPI.

    ``kpi``: dau, new_users, revenue, arpu, paying_conversion or ``ratio:<event>/<event>``;
    ``dimensions`` (default: channel, region, device, age_band, gender, campaign, user_type)
    the user attributes to split by; ``max_depth`` how many dimensions a cause may combine;
    ``explain_share`` the share of the change the causes must explain; ``target`` (0: none) the
    KPI's goal for the ``target_period`` (week, month, quarter) in progress after the current
    window: its total for new_users and revenue, its daily mean otherwise; ``holidays`` Chinese
    public holidays and make-up workdays as regressors (chinese-calendar); ``seed`` the
    simulated paths. Empty ``data_dir``: the bundled diagnostics sample.
    """
    from opsnb.data.engine import check_engine
    from opsnb.data.source import own_sample
    from opsnb.report.params import expect

    check_language(lang)
    k = parse_kpi(kpi)
    if dimensions is None:
        dimensions = list(DIMENSIONS)
    expect("dimensions", dimensions, "list")
    if not all(isinstance(d, str) for d in dimensions):
        raise ParameterError(f"parameter dimensions={dimensions!r} must list column names")
    max_depth = expect("max_depth", max_depth, "int", minimum=1, maximum=3)
    explain_share = float(expect("explain_share", explain_share, "float", minimum=0.1,
                                 maximum=1.0))
    target = float(expect("target", target, "float", minimum=0.0))
    expect("target_period", target_period, "str", choices=PERIODS)
    expect("holidays", holidays, "bool")
    seed = expect("seed", seed, "int", minimum=0)
    for name, v in (("start_date", start_date), ("end_date", end_date),
                    ("compare_start", compare_start), ("compare_end", compare_end)):
        expect(name, v, "str")
    engine = check_engine(engine)
    parameters = dict(data_dir=data_dir, start_date=start_date, end_date=end_date, kpi=k.code,
                      compare_start=compare_start, compare_end=compare_end,
                      dimensions=list(dimensions), max_depth=max_depth,
                      explain_share=explain_share, target=target, target_period=target_period,
                      holidays=holidays, seed=seed, lang=lang, engine=engine)
    data_dir = own_sample(data_dir, "diagnostics")
    source = KPIDiagnostics.open_source(data_dir, engine=engine)
    current, base = windows(source, start_date, end_date, compare_start, compare_end)
    window = resolve_window(source, f"{current.start:%Y-%m-%d}", f"{current.end:%Y-%m-%d}",
                            allow_empty=True)
    report = KPIDiagnostics(source, window, parameters)
    report.missing_tables()
    return report.run(k, current, base, tuple(dimensions), max_depth, explain_share, target,
                      target_period, holidays, seed)
