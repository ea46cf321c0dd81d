"""The cohort retention report: one call that checks the parameters and computes everything
``notebooks/cohort_retention.ipynb`` shows, on whatever users and events it is given.

Each section runs when the data allow it and is otherwise left out with one line that says why
and what to change: the cohort matrix needs two periods of window, survival a window longer
than ``churn_inactive_days``, the churn model three times ``churn_inactive_days`` of history.

>>> from opsnb.data.shapes import base_sample
>>> r = cohort_retention(base_sample(), period="month")  # 600 users over six months
>>> r.spec.cohort_by.value, r.spec.window.value, sorted(r.skipped)
('month', 'calendar', [])
>>> r.check_lines()[1]
'M1: 0.527 [0.478, 0.575] over 410 users'

"""

from __future__ import annotations

import pandas as pd

from opsnb.data.window import resolve_window
from opsnb.errors import ParameterError
from opsnb.report import fmt, html
from opsnb.report.contract import Report, Section
from opsnb.report.i18n import Translator, check_language
from opsnb.report.params import expect
from opsnb.retention import present
from opsnb.retention.churn import churn_risk, history_span
from opsnb.retention.cohorts import cohort_matrix
from opsnb.retention.lifecycle import lifecycle
from opsnb.retention.notes import (
    CHURN_TOO_SHORT, CHURN_TOO_SHORT_ANY, CSV_NOT_WRITTEN, DEPENDS_ON_MATRIX, EMPTY_BREAKDOWN,
    EMPTY_WINDOW, NO_COMPLETE_PERIOD, NO_EVENTS, NO_RATE_YET, NOT_SPLIT, SURVIVAL_TOO_SHORT,
    SURVIVAL_TOO_SHORT_ANY, THIN_RATES,
)
from opsnb.retention.spec import Counting, Period, RetentionSpec
from opsnb.retention.survival import survival

HEADLINE_PERIODS = {Period.DAY: (1, 7, 30), Period.WEEK: (1, 4), Period.MONTH: (1, 3)}
AT_RISK = 0.5  # the churn risk from which an active user counts as at risk
THIN = 100  # fewer users than this behind a headline rate: read it with care

class RetentionReport(Report):
    """Cohort retention, lifecycle, survival, LTV and churn early-warning (users and events)."""

    name = "cohort_retention"
    title = "Retention"
    required = ("users", "events")
    SECTIONS = (
        Section("matrix", "Retention by cohort",
                shows="the share of each cohort that returns in each period after its start"),
        Section("curves", "Retention curves by segment",
                shows="mean retention per period for each segment, with intervals"),
        Section("lifecycle", "Lifecycle of the active base",
                shows="new, returning, resurrecting and dormant users per period"),
        Section("survival", "How long users stay",
                shows="Kaplan-Meier curves of the time to churn"),
        Section("ltv", "Lifetime value per cohort",
                shows="cumulative revenue per cohort member by period"),
        Section("churn", "Churn early-warning",
                shows="a validated churn-risk score and the valuable users at risk"),
    )

    def __init__(self, source, window, parameters: dict, spec: RetentionSpec,
                 breakdown: str | None = None) -> None:
        super().__init__(source, window, parameters)
        self.spec = spec
        self.breakdown = breakdown
        self.empty_breakdown: str | None = None  # a breakdown column that holds no value
        self.matrix = None
        self.lifecycle = None
        self.survival = None
        self.churn = None
        self.at_risk_path = None

    # ------------------------------------------------------------------ numbers
    def headline_labels(self) -> list[str]:
        labels = self.spec.period_labels()
        if self.spec.counting is Counting.BRACKETS:
            return labels[:3]
        want = [f"{self.spec.letter}{k}" for k in HEADLINE_PERIODS[self.spec.period]]
        return [w for w in want if w in labels] or labels[1:3]

    def headline(self) -> dict:
        rates, users = {}, None
        if self.matrix is not None:
            mr = self.matrix.mean_retention(by_segment=False).set_index("period_label")
            for lab in self.headline_labels():
                r = mr.loc[lab] if lab in mr.index else None
                rates[lab] = {"rate": None if r is None else float(r["rate"]),
                              "ci_low": None if r is None else float(r["ci_low"]),
                              "ci_high": None if r is None else float(r["ci_high"]),
                              "users": 0 if r is None else int(r["users"]),
                              "change_vs_previous_cohorts":
                                  self.matrix.change_vs_previous(lab).get("change")}
            users = int(self.matrix.collapsed().table.groupby("cohort")["size"].first().sum())
        return {"cohort_users": users, "retention": rates,
                "lifecycle_last_complete": self.lifecycle.last_complete() if self.lifecycle
                else {},
                "survival": self.survival.headline() if self.survival else None,
                "churn_model": self.churn.headline() if self.churn else None}

    def sections(self) -> dict:
        m = self.matrix
        out = {"spec": self.spec.to_dict(), "breakdown": self.breakdown,
               "matrix": None, "mean_retention": None, "mean_retention_by_segment": [],
               "ltv": None, "lifecycle": None, "survival": None, "churn_model": None}
        if m is not None:
            out["matrix"] = m.to_frame()[["cohort", "segment", "period", "period_label", "size",
                                          "base", "retained", "rate", "complete"]]
            out["mean_retention"] = m.mean_retention(by_segment=False)
            if self.breakdown:
                out["mean_retention_by_segment"] = m.mean_retention(by_segment=True)
            if self.runs("ltv"):
                out["ltv"] = m.mean_ltv(by_segment=False)
        if self.lifecycle is not None:
            out["lifecycle"] = self.lifecycle.to_frame()
        if self.survival is not None:
            out["survival"] = {"headline": self.survival.headline(), "logrank": self.survival.test,
                               "overall_curve": self.survival.overall.to_frame()}
        if self.churn is not None:
            out["churn_model"] = {**self.churn.headline(), "calibration": self.churn.calibration,
                                  "coefficients": self.churn.model.coef_.to_dict()}
        return out

    def check_lines(self) -> list[str]:
        h = self.headline()
        users = "–" if h["cohort_users"] is None else f"{h['cohort_users']:,}"
        lines = [f"window: {self.window.label()}; users in cohorts: {users}"]
        for lab, r in h["retention"].items():
            if r["rate"] is None:
                lines.append(f"{lab}: no complete cohort yet")
                continue
            lines.append(f"{lab}: {r['rate']:.3f} [{r['ci_low']:.3f}, {r['ci_high']:.3f}] "
                         f"over {r['users']:,} users")
        lc = h["lifecycle_last_complete"]
        if lc:
            lines.append(f"lifecycle {lc['period_start']}: new {lc['new']}, returning "
                         f"{lc['returning']}, resurrecting {lc['resurrecting']}, dormant "
                         f"{lc['dormant']}")
        s = h["survival"]
        if s:
            med = s["median_lifetime_days"]
            lines.append(f"not churned at day 30: {s['survival_day_30']:.3f}; median lifetime "
                         + (f"{med} days" if med is not None else "not reached"))
        if h["churn_model"]:
            lines.append(f"churn model hold-out AUC: {h['churn_model']['holdout_auc']:.2f}")
        return lines

    # ------------------------------------------------------------------ presentation
    def headline_items(self, lang: str = "en") -> list[tuple[str, str, str]]:
        tr = Translator(lang)
        h = self.headline()
        users = "–" if h["cohort_users"] is None else fmt.count(h["cohort_users"])
        items = [(tr("Users in cohorts"), users, self.window.label())]
        for lab, r in h["retention"].items():
            ch = r["change_vs_previous_cohorts"]
            note = (tr("{change} vs the previous 4 cohorts", change=fmt.pp(ch)) if ch is not None
                    else tr("no earlier cohorts to compare"))
            items.append((present.retention_label(lab, lang), fmt.pct(r["rate"]), note))
        lc = h["lifecycle_last_complete"]
        if lc:
            items.append((tr("Quick ratio ({period} of {start})",
                             period=self.lifecycle.period.value, start=lc["period_start"]),
                          fmt.number(lc["quick_ratio"]),
                          tr("(new + resurrecting) / dormant; above 1 the base grows")))
        if h["churn_model"]:
            items.append((tr("Active users at risk"),
                          fmt.count((self.churn.scores["risk"] >= AT_RISK).sum()),
                          tr("churn model hold-out AUC {auc}",
                             auc=f"{h['churn_model']['holdout_auc']:.2f}")))
        return items

    def _not_split(self, lang: str) -> list:
        if not self.empty_breakdown:
            return []
        return [html.note(Translator(lang)(NOT_SPLIT, column=self.empty_breakdown))]

    def show_matrix(self, lang: str = "en") -> list:
        return [present.plot_heatmap(self.matrix, lang),
                present.mean_retention_table(self.matrix, lang)]

    def show_curves(self, lang: str = "en") -> list:
        out = self._not_split(lang) + [present.plot_curves(self.matrix, lang)]
        table = (present.segment_retention_table(self.matrix, self.headline_labels(), lang)
                 if self.breakdown else None)
        return out + ([table] if table is not None else [])

    def show_lifecycle(self, lang: str = "en") -> list:
        return [present.plot_lifecycle(self.lifecycle, lang),
                present.lifecycle_table(self.lifecycle, lang)]

    def show_survival(self, lang: str = "en") -> list:
        return self._not_split(lang) + [present.plot_survival(self.survival, lang),
                                        present.survival_table(self.survival, lang)]

    def show_ltv(self, lang: str = "en") -> list:
        return [present.plot_ltv(self.matrix, lang)]

    def show_churn(self, lang: str = "en") -> list:
        tr = Translator(lang)
        out = [present.plot_calibration(self.churn, lang),
               present.at_risk_table(self.churn, lang, min_risk=AT_RISK, top=20, caption=(
                   "High-value active users at risk (top 20 by revenue at stake = risk x revenue "
                   "of the last 90 days)"))]
        if self.at_risk_path is not None:
            out.append(html.paragraph(tr("full at-risk list written to {path}",
                                         path=str(self.at_risk_path)), small=True))
        return out


# ------------------------------------------------------------------ the entry point
def resolve_cohort_period(period: str, cohort_period: str) -> str:
    """``cohort_period`` when set; else the same as ``period``, but at least a week (daily
    cohorts over months of data make a matrix too tall to read).

    >>> resolve_cohort_period("month", ""), resolve_cohort_period("day", ""), \
resolve_cohort_period("day", "day")
    ('month', 'week', 'day')
    """
    if cohort_period and str(cohort_period).strip():
        return cohort_period
    return "week" if str(period).strip().lower() == "day" else period


def resolve_window_kind(period: str, window: str) -> str:
    """``window`` when set; else rolling, or calendar for months (a month has no fixed length).

    >>> resolve_window_kind("month", ""), resolve_window_kind("day", ""), \
resolve_window_kind("week", "calendar")
    ('calendar', 'rolling', 'calendar')
    """
    if window and str(window).strip():
        return window
    return "calendar" if str(period).strip().lower() == "month" else "rolling"


def _filled(source, column: str) -> int:
    users = source.table("users")
    v = users[column].cast("string")
    return int(users.filter(v.notnull() & (v.strip() != "")).count().execute())


def cohort_retention(data_dir=None, start_date: str = "", end_date: str = "",
                     period: str = "day", start_event: str = "any", return_event: str = "any",
                     counting: str = "on", brackets=None, window: str = "",
                     breakdown: str = "channel", churn_inactive_days: int = 30,
                     cohort_period: str = "", max_period: int | None = None,
                     cohort_entry: str = "first_time", mean: str = "weighted",
                     seed: int = 0, at_risk_csv: str = "", lang: str = "en",
                     engine: str = "duckdb") -> RetentionReport:
    """Load, validate and compute the whole cohort retention report.

    ``cohort_period`` empty: the same as ``period``, but at least a week; ``window`` empty:
    rolling, or calendar when ``period`` is month. So ``period="month"`` alone works.
    """
    parameters = dict(data_dir=data_dir, start_date=start_date, end_date=end_date,
                      period=period, start_event=start_event, return_event=return_event,
                      counting=counting, brackets=brackets, window=window, breakdown=breakdown,
                      churn_inactive_days=churn_inactive_days, cohort_period=cohort_period,
                      max_period=max_period, cohort_entry=cohort_entry, mean=mean, seed=seed,
                      at_risk_csv=at_risk_csv, lang=lang)
    for name, v in (("period", period), ("start_event", start_event),
                    ("return_event", return_event), ("counting", counting), ("window", window),
                    ("cohort_period", cohort_period), ("cohort_entry", cohort_entry),
                    ("mean", mean), ("at_risk_csv", at_risk_csv), ("lang", lang)):
        expect(name, v, "str")
    check_language(lang)
    expect("breakdown", breakdown, "str", allow_none=True)
    expect("brackets", brackets, "list", allow_none=True)
    churn_inactive_days = expect("churn_inactive_days", churn_inactive_days, "int", minimum=1,
                                 maximum=365)
    max_period = expect("max_period", max_period, "int", minimum=1, allow_none=True)
    seed = expect("seed", seed, "int")
    spec = RetentionSpec.make(
        start_event=start_event, return_event=return_event, cohort_entry=cohort_entry,
        counting=counting, brackets=brackets or None, period=period,
        cohort_period=resolve_cohort_period(period, cohort_period),
        window=resolve_window_kind(period, window), mean=mean,
        max_period=max_period)
    source = RetentionReport.open_source(data_dir, engine=engine)
    win = resolve_window(source, start_date, end_date, allow_empty=True)
    breakdown = breakdown.strip() if breakdown else None
    if breakdown:
        columns = [c for c in source.table("users").columns if c not in ("user_id", "signup_at")]
        if breakdown not in columns:
            raise ParameterError(f"breakdown={breakdown!r} is not a users column; choose from "
                                 f"{', '.join(columns)} (or leave it empty)")
    report = RetentionReport(source, win, parameters, spec, breakdown)
    report.missing_tables()
    if win.empty:
        report.warn(EMPTY_WINDOW, window=win.label(), first=f"{win.data_first:%Y-%m-%d}",
                    last=f"{win.data_last:%Y-%m-%d}")
    if breakdown and _filled(source, breakdown) == 0:
        report.empty_breakdown, report.breakdown = breakdown, None
        report.warn(EMPTY_BREAKDOWN, column=breakdown)
    _compute(report, churn_inactive_days, seed, at_risk_csv)
    return report


def _compute(report: RetentionReport, days: int, seed: int, at_risk_csv: str) -> None:
    source, win, spec, breakdown = report.source, report.window, report.spec, report.breakdown
    report.matrix = m = report.compute(
        "matrix", lambda: cohort_matrix(source, win, spec, breakdown=breakdown))
    for key in ("curves", "ltv"):
        if m is None:
            report.skip(key, DEPENDS_ON_MATRIX, section=report.section_spec("matrix").title)
    until = f"{win.complete_until:%Y-%m-%d %H:%M}"
    if m is not None and m.mean_retention(by_segment=False).empty:
        report.skip("curves", NO_COMPLETE_PERIOD, period=spec.period.value, until=until)
    if m is not None and m.mean_ltv(by_segment=False).empty:
        report.skip("ltv", NO_COMPLETE_PERIOD, period=spec.period.value, until=until)
    life_period = Period.WEEK if spec.period is Period.DAY else spec.period
    report.lifecycle = report.compute(
        "lifecycle", lambda: lifecycle(source, win, life_period, spec.return_event))
    have = max(0, int((win.complete_until - win.start) / pd.Timedelta(days=1)))
    if win.empty:  # nothing to model: the same line as the other sections, not a length
        report.skip("survival", NO_EVENTS, window=win.label())
        report.skip("churn", NO_EVENTS, window=win.label())
    elif have <= days:
        report.skip("survival", SURVIVAL_TOO_SHORT if have > 1 else SURVIVAL_TOO_SHORT_ANY,
                    days=days, have=have)
    report.survival = report.compute(
        "survival", lambda: survival(source, win, spec, days, breakdown))
    span = history_span(source, win, days)
    if not span["enough"]:
        report.skip("churn", CHURN_TOO_SHORT if span["max_horizon_days"] >= 1
                    else CHURN_TOO_SHORT_ANY, need=span["need_days"], end=span["end"], h=days,
                    have=span["have_days"], max_h=span["max_horizon_days"])
    report.churn = report.compute(
        "churn", lambda: churn_risk(source, win, days, spec.return_event, seed=seed))
    if at_risk_csv:
        if report.churn is not None:
            report.at_risk_path = report.churn.export_at_risk(at_risk_csv, min_risk=AT_RISK)
        else:
            report.warn(CSV_NOT_WRITTEN)
    rates = report.headline()["retention"]
    thin = [lab for lab, r in rates.items() if 0 < r["users"] < THIN]
    none = [lab for lab, r in rates.items() if r["users"] == 0]
    if thin:
        report.warn(THIN_RATES, labels=", ".join(thin))
    if none:
        report.warn(NO_RATE_YET, labels=", ".join(none))
