"""The cohort retention report: one call that checks the parameters and computes everything
``notebooks/cohort_retention.ipynb`` shows."""

from __future__ import annotations

from dataclasses import dataclass

from opsnb.data.source import DataSource
from opsnb.data.window import Window, resolve_window
from opsnb.report import fmt
from opsnb.report.i18n import t as tr
from opsnb.report.params import expect
from opsnb.retention.churn import ChurnRisk, churn_risk
from opsnb.retention.cohorts import CohortMatrix, cohort_matrix
from opsnb.retention.lifecycle import Lifecycle, lifecycle
from opsnb.retention.spec import Counting, Period, RetentionSpec
from opsnb.retention.survival import SurvivalResult, survival

HEADLINE_PERIODS = {Period.DAY: (1, 7, 30), Period.WEEK: (1, 4), Period.MONTH: (1, 3)}


def retention_label(label: str) -> str:
    """'D7 retention' (7日留存率 in Chinese) for a period label such as D7, W1 or D2-3."""
    text = f"{label} retention"
    out = tr(text)  # the catalogue names the usual ones: 次日留存率, 7日留存率, 次周留存率 ...
    return tr("{label} retention", label=label) if out == text else out


@dataclass
class RetentionReport:
    source: DataSource
    window: Window
    spec: RetentionSpec
    breakdown: str | None
    matrix: CohortMatrix
    lifecycle: Lifecycle
    survival: SurvivalResult
    churn: ChurnRisk

    def headline_labels(self) -> list[str]:
        labels = self.spec.period_labels()
        if self.spec.counting is Counting.BRACKETS:
            return labels[:3]
        want = [f"{self.spec.letter}{k}" for k in HEADLINE_PERIODS[self.spec.period]]
        return [w for w in want if w in labels] or labels[1:3]

    def headline(self) -> dict:
        mr = self.matrix.mean_retention(by_segment=False).set_index("period_label")
        rates = {}
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
                "lifecycle_last_complete": self.lifecycle.last_complete(),
                "survival": self.survival.headline(), "churn_model": self.churn.headline()}

    def headline_items(self) -> list[tuple[str, str, str]]:
        h = self.headline()
        items = [(tr("Users in cohorts"), fmt.count(h["cohort_users"]), self.window.label())]
        for lab, r in h["retention"].items():
            ch = r["change_vs_previous_cohorts"]
            note = (tr("{change} vs the previous 4 cohorts", change=fmt.pp(ch)) if ch is not None
                    else tr("no earlier cohorts to compare"))
            items.append((retention_label(lab), fmt.pct(r["rate"]), note))
        lc = h["lifecycle_last_complete"]
        if lc:
            items.append((tr("Quick ratio ({period} of {start})",
                             period=self.lifecycle.period.value, start=lc["period_start"]),
                          fmt.number(lc["quick_ratio"]),
                          tr("(new + resurrecting) / dormant; above 1 the base grows")))
        c = h["churn_model"]
        items.append((tr("Active users at risk"),
                      fmt.count((self.churn.scores["risk"] >= 0.5).sum()),
                      tr("churn model hold-out AUC {auc}", auc=f"{c['holdout_auc']:.2f}")))
        return items

    def warning(self) -> str | None:
        h = self.headline()["retention"]
        thin = [lab for lab, r in h.items() if r["users"] < 100]
        if thin:
            return tr("{labels}: fewer than 100 users have reached that period; read these rates "
                      "with care.", labels=", ".join(thin))
        return None

    def sections(self) -> dict:
        m = self.matrix
        mat = m.to_frame()[["cohort", "segment", "period", "period_label", "size", "base",
                            "retained", "rate", "complete"]]
        return {
            "spec": self.spec.to_dict(),
            "breakdown": self.breakdown,
            "matrix": mat,
            "mean_retention": m.mean_retention(by_segment=False),
            "mean_retention_by_segment": m.mean_retention(by_segment=True) if self.breakdown else [],
            "ltv": m.mean_ltv(by_segment=False),
            "lifecycle": self.lifecycle.to_frame(),
            "survival": {"headline": self.survival.headline(),
                         "logrank": self.survival.test,
                         "overall_curve": self.survival.overall.to_frame()},
            "churn_model": {**self.churn.headline(),
                            "calibration": self.churn.calibration,
                            "coefficients": self.churn.model.coef_.to_dict()},
        }

    def check_lines(self) -> list[str]:
        h = self.headline()
        lines = [f"window: {self.window.label()}; users in cohorts: {h['cohort_users']:,}"]
        for lab, r in h["retention"].items():
            lines.append(f"{lab}: {r['rate']:.3f} [{r['ci_low']:.3f}, {r['ci_high']:.3f}] "
                         f"over {r['users']:,} users")
        lc = h["lifecycle_last_complete"]
        if lc:
            lines.append(f"lifecycle {lc['period_start']}: new {lc['new']}, returning "
                         f"{lc['returning']}, resurrecting {lc['resurrecting']}, dormant "
                         f"{lc['dormant']}")
        s = h["survival"]
        lines.append(f"not churned at day 30: {s['survival_day_30']:.3f}; median lifetime "
                     f"{s['median_lifetime_days']} days")
        lines.append(f"churn model hold-out AUC: {h['churn_model']['holdout_auc']:.2f}")
        return lines


def cohort_retention(data_dir=None, start_date: str = "", end_date: str = "",
                     period: str = "day", start_event: str = "any", return_event: str = "any",
                     counting: str = "on", brackets=None, window: str = "rolling",
                     breakdown: str = "channel", churn_inactive_days: int = 30,
                     cohort_period: str = "week", max_period: int | None = None,
                     cohort_entry: str = "first_time", mean: str = "weighted",
                     seed: int = 0) -> RetentionReport:
    """Load, validate and compute the whole cohort retention report."""
    for name, v in (("period", period), ("start_event", start_event),
                    ("return_event", return_event), ("counting", counting), ("window", window),
                    ("cohort_period", cohort_period), ("cohort_entry", cohort_entry),
                    ("mean", mean)):
        expect(name, v, "str")
    expect("breakdown", breakdown, "str", allow_none=True)
    expect("brackets", brackets, "list", allow_none=True)
    churn_inactive_days = expect("churn_inactive_days", churn_inactive_days, "int", minimum=1,
                                 maximum=365)
    max_period = expect("max_period", max_period, "int", minimum=1, allow_none=True)
    seed = expect("seed", seed, "int")
    spec = RetentionSpec.make(start_event=start_event, return_event=return_event,
                              cohort_entry=cohort_entry, counting=counting, brackets=brackets,
                              period=period, cohort_period=cohort_period or None, window=window,
                              mean=mean, max_period=max_period)
    source = DataSource.open(data_dir)
    source.require("users", "events")
    win = resolve_window(source, start_date, end_date)
    breakdown = breakdown or None
    matrix = cohort_matrix(source, win, spec, breakdown=breakdown)
    life_period = Period.WEEK if spec.period is Period.DAY else spec.period
    return RetentionReport(
        source=source, window=win, spec=spec, breakdown=breakdown, matrix=matrix,
        lifecycle=lifecycle(source, win, life_period, spec.return_event),
        survival=survival(source, win, spec, churn_inactive_days, breakdown),
        churn=churn_risk(source, win, churn_inactive_days, spec.return_event, seed=seed),
    )
