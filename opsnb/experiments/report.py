"""The experiment-analysis report: everything ``notebooks/experiment_analysis.ipynb`` shows.

:func:`experiment_analysis` checks the parameters, loads and validates the data, and for every
experiment in the window computes the SRM check, the metrics per arm (Ibis), the effects
(plain and CUPED), the multiple-testing correction, guardrails, the Bayesian view, power,
the sequential monitor and the segment breakdown, and ends with the verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from opsnb.data.source import DataSource
from opsnb.data.window import DAY, Window, resolve_window
from opsnb.errors import DataError, ParameterError
from opsnb.experiments import bayes, cuped, multiplicity, power, sequential, srm, verdict
from opsnb.experiments.aggregates import Moments, variant_moments_many
from opsnb.experiments.marks import INVALID_COLOR, mark_invalid, with_note
from opsnb.experiments.metrics import (DEFAULT_GUARDRAILS, DEFAULT_METRICS, Metric, check_events_exist,
                                       metric_columns, parse_metrics, user_metrics)
from opsnb.experiments.segments import Segments, segment_effects
from opsnb.experiments.stats import RELATIVE_METHOD, Effect, compare, non_inferiority_p, quantile_effect
from opsnb.report import fmt, style
from opsnb.report.fmt import p_value, probability
from opsnb.report.i18n import t as tx


# readable headers of the guardrail table (fmt.header turns '_' into spaces and translates)
GUARDRAIL_HEADERS = {"rel_effect": "relative_change", "rel_lo": "relative_change_low",
                     "rel_hi": "relative_change_high", "p_non_inferiority": "p (non-inferiority)"}


@dataclass
class ExperimentResult:
    """The analysis of one experiment."""

    experiment_id: str
    name: str
    hypothesis: str
    control: str
    variants: tuple[str, ...]
    start: pd.Timestamp
    end: pd.Timestamp           # last analysed day (inclusive)
    running: bool
    primary: str
    metrics: list[Metric]
    guardrail_metrics: list[Metric]
    srm: srm.SRM
    effects: list[Effect]        # plain estimates, p_adjusted within their own family
    cuped_effects: list[Effect]  # CUPED estimates (proportion and mean metrics)
    balance: list[cuped.Balance]
    guardrails: list[verdict.Guardrail]
    posteriors: list[bayes.Posterior]
    plans: list[power.Plan]
    sequential: list[sequential.Sequential]
    segments: Segments | None
    verdict: verdict.Verdict
    alpha: float
    correction: str
    notes: list[str] = field(default_factory=list)
    segment_notes: list[str] = field(default_factory=list)  # shown once, under the segments

    # ------------------------------------------------------------------ views
    @property
    def invalid(self) -> bool:
        """True when the verdict is invalid: no effect of this experiment may be read."""
        return self.verdict.decision == verdict.INVALID

    def invalid_note(self) -> str:
        """The warning every chart of an invalid experiment carries ('' when it is valid)."""
        if not self.invalid:
            return ""
        if self.srm.flagged:
            return tx("INVALID: sample ratio mismatch — do not read the effects")
        return tx("INVALID — do not read the effects")

    @property
    def treatments(self) -> list[str]:
        return [v for v in self.variants if v != self.control]

    def decision_effects(self) -> list[Effect]:
        """The estimate each metric is judged on: CUPED where available, else plain."""
        cu = {(e.metric, e.treatment): e for e in self.cuped_effects}
        return [cu.get((e.metric, e.treatment), e) for e in self.effects]

    def primary_effects(self) -> list[Effect]:
        return [e for e in self.decision_effects() if e.metric == self.primary]

    def metric_table(self) -> pd.DataFrame:
        """Per metric and comparison: plain and CUPED effects, raw and adjusted p-values."""
        cu = {(e.metric, e.treatment): e for e in self.cuped_effects}
        post = {(p.metric, p.treatment): p for p in self.posteriors}
        rows = []
        for e in self.effects:
            c = cu.get((e.metric, e.treatment))
            p = post.get((e.metric, e.treatment))
            rows.append({
                "metric": e.metric, "comparison": e.comparison, "method": e.method,
                "n_control": e.n_control, "n_treatment": e.n_treatment,
                "mean_control": e.mean_control, "mean_treatment": e.mean_treatment,
                "abs_effect": e.abs_effect, "abs_lo": e.abs_lo, "abs_hi": e.abs_hi,
                "rel_effect": e.rel_effect, "rel_lo": e.rel_lo, "rel_hi": e.rel_hi,
                "p_value": e.p_value, "p_adjusted": e.p_adjusted,
                "cuped_abs_effect": c.abs_effect if c else None,
                "cuped_abs_lo": c.abs_lo if c else None, "cuped_abs_hi": c.abs_hi if c else None,
                "cuped_rel_effect": c.rel_effect if c else None,
                "cuped_rel_lo": c.rel_lo if c else None, "cuped_rel_hi": c.rel_hi if c else None,
                "cuped_p_value": c.p_value if c else None,
                "cuped_p_adjusted": c.p_adjusted if c else None,
                "variance_reduction": c.variance_reduction if c else None,
                "chance_to_beat_control": p.chance_to_win if p else None,
                "expected_loss": p.expected_loss if p else None,
                "srm_p_value": self.srm.p_value, "verdict": self.verdict.decision,
            })
        return pd.DataFrame(rows)

    def display_table(self) -> pd.DataFrame:
        """The metric table for the report: the judged estimate, both p-values, CUPED's gain."""
        rows = []
        plain = {(e.metric, e.treatment): e for e in self.effects}
        for e in self.decision_effects():
            p = plain[(e.metric, e.treatment)]
            rows.append({
                "metric": tx("{metric} (primary)", metric=e.metric) if e.metric == self.primary
                else e.metric,
                "comparison": e.comparison, "control": e.mean_control, "treatment": e.mean_treatment,
                "relative_effect": e.rel_effect,
                "interval": tx("{lo} to {hi}", lo=f"{e.rel_lo:+.1%}", hi=f"{e.rel_hi:+.1%}")
                if np.isfinite(e.rel_lo) else "–",
                "p_value": p_value(e.p_value), "adjusted_p": p_value(e.p_adjusted),
                "unadjusted_effect": p.rel_effect if e.cuped else None,
                "variance_reduction": e.variance_reduction,
                "method": tx(e.method),
            })
        return pd.DataFrame(rows)

    def guardrail_table(self) -> pd.DataFrame:
        """The guardrail tests for the report (status in the report language)."""
        g = pd.DataFrame([g.to_dict() for g in self.guardrails])
        if len(g):
            g["status"] = g["status"].map(tx)
            g["p_non_inferiority"] = g["p_non_inferiority"].map(p_value)
        return g.rename(columns=GUARDRAIL_HEADERS)

    def power_table(self) -> pd.DataFrame:
        """Power per comparison of the primary and secondary metrics, with the MDE after more weeks."""
        pw = pd.DataFrame([{**{k: v for k, v in p.to_dict().items() if k != "mde_by_weeks"},
                            **p.mde_by_weeks} for p in self.plans])
        cols = ["metric", "comparison", "target_mde", "n_control", "needed_per_arm", "achieved_mde",
                "achieved_mde_plain", "powered", "2 weeks", "4 weeks", "8 weeks"]
        pw = pw[cols]
        pw["powered"] = pw["powered"].map(fmt.yes_no)
        return pw

    def headline(self) -> dict:
        pe = self.primary_effects()
        post = {(p.metric, p.treatment): p for p in self.posteriors}
        return {
            "experiment_id": self.experiment_id, "verdict": self.verdict.decision,
            "winner": self.verdict.winner, "srm_p_value": self.srm.p_value,
            "srm_flagged": self.srm.flagged, "primary_metric": self.primary,
            "primary": [{"comparison": e.comparison, "rel_effect": e.rel_effect, "rel_lo": e.rel_lo,
                         "rel_hi": e.rel_hi, "p_adjusted": e.p_adjusted,
                         "chance_to_beat_control": post[(e.metric, e.treatment)].chance_to_win
                         if (e.metric, e.treatment) in post else None} for e in pe],
        }

    def to_dict(self) -> dict:
        return {
            "experiment_id": self.experiment_id, "name": self.name, "control": self.control,
            "variants": list(self.variants), "analysed": f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}",
            "running": self.running, "primary_metric": self.primary,
            "metrics": [m.to_dict() for m in self.metrics + self.guardrail_metrics],
            "srm": self.srm.to_dict(), "verdict": self.verdict.to_dict(),
            "results": self.metric_table(),
            "guardrails": [g.to_dict() for g in self.guardrails],
            "balance": [b.to_dict() for b in self.balance],
            "bayesian": [p.to_dict() for p in self.posteriors],
            "power": [p.to_dict() for p in self.plans],
            "segments": self.segments.to_frame() if self.segments is not None else None,
            "heterogeneity": self.segments.heterogeneity if self.segments is not None else None,
            "methods": {"relative_interval": RELATIVE_METHOD, "correction": multiplicity.NAMES[
                self.correction], "sequential": sequential.METHOD, "srm": "chi-square goodness of fit"},
            "notes": self.notes + self.segment_notes,
        }

    # ------------------------------------------------------------------ plots
    def plot_forest(self, ax=None):
        effs = self.decision_effects()
        gr = {(g.metric, g.comparison): g for g in self.guardrails}
        if ax is None:
            _, ax = style.new_figure(height=max(2.6, 0.42 * (len(effs) + len(gr)) + 1.6))
        labels, y = [], 0
        rows = [(e.metric, e.comparison, e.rel_effect, e.rel_lo, e.rel_hi,
                 e.p_adjusted is not None and e.p_adjusted < self.alpha, None) for e in effs]
        rows += [(tx("{metric} (guardrail)", metric=g.metric), g.comparison, g.rel_effect, g.rel_lo, g.rel_hi,
                  g.status != "safe", g.margin) for g in gr.values()]
        note = self.invalid_note()
        for metric, comp, r, lo, hi, flag, margin in reversed(rows):
            color = INVALID_COLOR if note else \
                (style.PALETTE[3] if margin is not None else style.PALETTE[2]) if flag else \
                style.PALETTE[0]
            ax.errorbar([r], [y], xerr=[[r - lo], [hi - r]], fmt="o", color=color, capsize=3)
            if margin is not None:
                ax.plot([-margin, -margin], [y - 0.35, y + 0.35],
                        color=INVALID_COLOR if note else style.PALETTE[3], lw=1.5)
            labels.append(f"{metric}\n{comp}")
            y += 1
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.axvline(0, color="#333333", lw=0.8)
        style.percent_axis(ax, "x")
        style.titled(ax, tx("{experiment}: relative effect per metric", experiment=self.experiment_id),
                     with_note(note, tx(
                         "Treatment / control − 1 with its {level} interval ({method}); CUPED-adjusted "
                         "where available. Green: significant after {correction}; red bar: guardrail "
                         "margin, red point: guardrail not shown safe.", level=f"{1 - self.alpha:.0%}",
                         method=RELATIVE_METHOD, correction=multiplicity.NAMES[self.correction])))
        mark_invalid(ax, note)
        return ax

    def plot_chance_to_win(self, ax=None):
        ps = [p for p in self.posteriors if np.isfinite(p.chance_to_win)]
        if ax is None:
            _, ax = style.new_figure(height=max(2.4, 0.4 * len(ps) + 1.4))
        y = np.arange(len(ps))[::-1]
        vals = [p.chance_to_win for p in ps]
        note = self.invalid_note()
        ax.barh(y, vals, color=[INVALID_COLOR if note else style.PALETTE[2] if v >= 0.95
                                else style.PALETTE[0] for v in vals])
        for yi, v, p in zip(y, vals, ps):
            label = tx("{chance}  (expected loss {loss})", chance=probability(v),
                       loss=probability(p.expected_loss, 2))
            if v >= 0.5:  # inside the bar, ending short of its end: never past the plot edge
                ax.text(v - 0.015, yi, label, va="center", ha="right", fontsize=8, color="white",
                        fontweight="bold")
            else:
                ax.text(v + 0.015, yi, label, va="center", ha="left", fontsize=8)
        ax.set_yticks(y, [f"{p.metric}: {p.treatment}" for p in ps], fontsize=8)
        ax.set_xlim(0, 1)
        ax.axvline(0.95, color="#888888", ls=":", lw=1)
        style.percent_axis(ax, "x")
        prior = ps[0].prior_sd if ps else bayes.DEFAULT_PRIOR_SD
        style.titled(ax, tx("{experiment}: chance to beat control", experiment=self.experiment_id),
                     with_note(note, tx(
                         "Posterior probability that the treatment is better, normal model on log(T/C) "
                         "with prior N(0, {prior}²); expected loss = average relative loss if shipped "
                         "and the treatment is in fact worse.", prior=f"{prior:g}")))
        mark_invalid(ax, note)
        return ax


@dataclass
class ExperimentReport:
    source: DataSource
    window: Window
    experiments: list[ExperimentResult]
    parameters: dict

    def __getitem__(self, experiment_id: str) -> ExperimentResult:
        for e in self.experiments:
            if e.experiment_id == experiment_id:
                return e
        raise KeyError(experiment_id)

    def headline(self) -> dict:
        return {"experiments": [e.headline() for e in self.experiments],
                "verdicts": {e.experiment_id: e.verdict.decision for e in self.experiments}}

    def headline_items(self, e: ExperimentResult) -> list[tuple[str, str, str]]:
        post = {(p.metric, p.treatment): p for p in e.posteriors}
        items = [(tx("Verdict"), tx(e.verdict.decision.upper()),
                  tx("winner: {winner}", winner=e.verdict.winner) if e.verdict.winner else e.name)]
        for pe in e.primary_effects():
            p = post.get((pe.metric, pe.treatment))
            items.append((tx("{metric}: {comparison}", metric=e.primary, comparison=pe.comparison),
                          fmt.pct(pe.rel_effect, signed=True),
                          tx("{lo} to {hi}; adj. p {p}", lo=fmt.pct(pe.rel_lo, signed=True),
                             hi=fmt.pct(pe.rel_hi, signed=True), p=p_value(pe.p_adjusted))))
            if p is not None:
                items.append((tx("Chance to beat control ({treatment})", treatment=pe.treatment),
                              probability(p.chance_to_win),
                              tx("expected loss {x}", x=probability(p.expected_loss, 2))))
        items.append((tx("Sample ratio"), tx("MISMATCH" if e.srm.flagged else "ok"),
                      tx("chi-square p {p}; {counts}", p=p_value(e.srm.p_value), counts=", ".join(
                          f"{v} {fmt.count(n)}" for v, n in zip(e.srm.variants, e.srm.observed)))))
        return items

    def title(self, e: ExperimentResult) -> str:
        """The headline box title of one experiment."""
        text = tx("{name} ({experiment}), {start} – {end}", name=e.name, experiment=e.experiment_id,
                  start=f"{e.start:%Y-%m-%d}", end=f"{e.end:%Y-%m-%d}")
        return tx("{title} (still running)", title=text) if e.running else text

    def srm_table(self) -> pd.DataFrame:
        """Users per arm against the designed split, every experiment."""
        return pd.DataFrame([
            {"experiment": e.experiment_id, "variant": v, "users": n, "share": s, "designed": d,
             "chi_square_p": p_value(e.srm.p_value), "flagged": tx("MISMATCH" if e.srm.flagged else "ok")}
            for e in self.experiments
            for v, n, s, d in zip(e.srm.variants, e.srm.observed, e.srm.observed_share,
                                  e.srm.expected_share)])

    def balance_table(self) -> pd.DataFrame:
        """The pre-period balance checks of every experiment."""
        bal = pd.DataFrame([{"experiment": e.experiment_id, **b.to_dict()} for e in self.experiments
                            for b in e.balance])
        if len(bal):
            bal["balanced"] = bal["balanced"].map(fmt.yes_no)
            bal["p_value"] = bal["p_value"].map(p_value)
        return bal

    def balance_caption(self) -> str:
        """The balance table's caption: the pre-period length and the flagging threshold."""
        return tx("Pre-period balance ({days} days before assignment; flagged when p < {threshold})",
                  days=self.parameters.get("cuped_days", ""), threshold=f"{cuped.BALANCE_P:g}")

    def segment_notes(self) -> list[str]:
        """Notes about the segment breakdown, each once for the whole report."""
        return list(dict.fromkeys(n for e in self.experiments for n in e.segment_notes))

    def sections(self) -> dict:
        return {"experiments": {e.experiment_id: e.to_dict() for e in self.experiments}}

    def check_lines(self) -> list[str]:
        out = [f"window: {self.window.label()}"]
        for e in self.experiments:
            out.append(f"{e.experiment_id}: verdict {e.verdict.decision}; SRM p {e.srm.p_value:.4f}; "
                       f"users " + ", ".join(f"{v} {n}" for v, n in zip(e.srm.variants, e.srm.observed)))
            for x in e.primary_effects():
                out.append(f"  {x.metric} {x.comparison}: {x.mean_control:.4f} -> {x.mean_treatment:.4f}, "
                           f"rel {x.rel_effect:+.3f} [{x.rel_lo:+.3f}, {x.rel_hi:+.3f}], "
                           f"p_adj {x.p_adjusted:.3f}")
        return out


# --------------------------------------------------------------------------- one experiment
def _experiment_rows(source: DataSource, window: Window, experiment_id: str) -> pd.DataFrame:
    ex = source.table("experiments").to_pandas()
    if experiment_id:
        if experiment_id not in set(ex["experiment_id"]):
            raise ParameterError(f"experiment_id={experiment_id!r} is not in the experiments table; "
                                 f"known: {', '.join(ex['experiment_id'])}")
        return ex[ex["experiment_id"] == experiment_id]
    s = pd.to_datetime(ex["start"])
    e = pd.to_datetime(ex["end"])
    sel = ex[(s <= window.end) & (e >= window.start)].sort_values("start")
    if sel.empty:
        raise DataError(f"no experiment runs between {window.label()}", table="experiments",
                        column="start", fix="choose dates that overlap an experiment, or name one "
                        f"with experiment_id (known: {', '.join(ex['experiment_id'])})")
    return sel


def analyse_experiment(source: DataSource, window: Window, row: pd.Series, metrics: list[Metric],
                       guardrails: list[Metric], alpha: float = 0.05, cuped_days: int = 14,
                       correction: str = "holm", segments: Sequence[str] = (), seed: int = 0,
                       mde: float = 0.05, power_target: float = 0.8,
                       prior_sd: float = bayes.DEFAULT_PRIOR_SD) -> ExperimentResult:
    """Analyse one experiment (one row of the experiments table)."""
    exp_id = str(row["experiment_id"])
    start = pd.Timestamp(row["start"])
    end = min(pd.Timestamp(row["end"]), window.end, window.as_of.normalize())
    end_excl = end + DAY
    running = pd.Timestamp(row["end"]) > window.as_of.normalize()
    control = str(row["control"])
    notes: list[str] = []

    a = source.table("assignments")
    a = a.filter(a.experiment_id == exp_id, a.assigned_at >= start, a.assigned_at < end_excl)
    counts = a.group_by("variant").aggregate(n=a.count()).to_pandas()
    observed = dict(zip(counts["variant"].astype(str), counts["n"].astype(int)))
    split_text = row.get("traffic_split")
    split_text = "" if split_text is None or pd.isna(split_text) else str(split_text).strip()
    variants = tuple([control] + sorted(v for v in observed if v != control))
    split = srm.parse_split(split_text, variants)
    if split_text:
        variants = tuple([control] + [v for v in split if v != control])
    if control not in observed and (not split_text or control not in split):
        raise DataError(
            f"experiment {exp_id}: control variant {control!r} is not among its assigned variants "
            f"({', '.join(sorted(observed)) or 'none'})",
            table="experiments", column="control", rows=pd.DataFrame([row]),
            fix="set experiments.control to the name used in assignments.variant")
    unknown = sorted(set(observed) - set(variants))
    if unknown:
        raise DataError(f"experiment {exp_id}: variant(s) {', '.join(unknown)} are assigned but not in "
                        f"traffic_split {split_text!r}", table="experiments",
                        column="traffic_split", fix="list every variant in traffic_split")
    empty = [v for v in variants if observed.get(v, 0) == 0]
    if empty:
        raise DataError(
            f"experiment {exp_id}: variant(s) {', '.join(empty)} have zero assigned users between "
            f"{start:%Y-%m-%d} and {end:%Y-%m-%d}", table="assignments", column="variant",
            fix="check the variant names in assignments against experiments.traffic_split / control, "
                "and that assignment logging reached the data")
    srm_res = srm.srm_test(observed, split)
    treatments = [v for v in variants if v != control]

    all_metrics = metrics + guardrails
    names = [m.name for m in metrics]
    primary = str(row.get("primary_metric") or "")
    pm = metrics[names.index(primary)] if primary in names else metrics[0]
    check_events_exist(source, all_metrics, start, end_excl, exp_id)
    # the one pass over the events: every later step reads this per-user table
    ut_expr = user_metrics(source, exp_id, start, end_excl, all_metrics, cuped_days,
                           first=[pm] if pm.kind == "proportion" else [])
    ut = source.materialize(ut_expr, "exp_users")

    effects, cuped_effects, balance_res = [], [], []
    raw_for_guard: dict[tuple[str, str], Effect] = {}
    use_cuped_of = {m.name: bool(cuped_days) and m.cuped_able for m in all_metrics}
    moments = variant_moments_many(ut, {m.name: metric_columns(ut, m, pre=use_cuped_of[m.name])
                                        for m in all_metrics if m.kind != "quantile"})
    for m in all_metrics:
        if m.kind == "quantile":
            y = metric_columns(ut, m)["y"]
            vals = ut.filter(y > 0).select("variant", y=y).to_pandas()
            for tr in treatments:
                e = quantile_effect(vals.loc[vals["variant"] == control, "y"],
                                    vals.loc[vals["variant"] == tr, "y"], m.q, alpha, seed=seed,
                                    metric=m.name, control=control, treatment=tr)
                (raw_for_guard.__setitem__((m.name, tr), e) if m.is_guardrail else effects.append(e))
            continue
        use_cuped = use_cuped_of[m.name]
        mom = moments[m.name]
        by = {r["variant"]: Moments(*(float(r[c]) for c in ("n", "sum_y", "sum_y2", "sum_x", "sum_x2",
                                                            "sum_xy"))) for _, r in mom.iterrows()}
        for tr in treatments:
            kw = dict(alpha=alpha, metric=m.name, control=control, treatment=tr)
            e = compare(m.kind, by[control], by[tr], **kw)
            ce = None
            if use_cuped:
                b = cuped.balance(by[control], by[tr], m.name, control, tr)
                if not m.is_guardrail:
                    balance_res.append(b)
                if by[control].var_x > 0 or by[tr].var_x > 0:
                    ce = cuped.cuped_effect(by[control], by[tr], **kw)
            if m.is_guardrail:
                raw_for_guard[(m.name, tr)] = ce or e
            else:
                effects.append(e)
                if ce is not None:
                    cuped_effects.append(ce)
        if use_cuped and not any(e.metric == m.name for e in cuped_effects) and not m.is_guardrail:
            notes.append(tx("{metric}: no pre-period activity in the {days} days before "
                            "assignment, so CUPED could not be applied.", metric=m.name, days=cuped_days))

    # multiple testing: the judged estimates form one family, the plain ones another
    judged = {(e.metric, e.treatment): e for e in effects}
    judged.update({(e.metric, e.treatment): e for e in cuped_effects})
    keys = list(judged)
    adj = multiplicity.adjust([judged[k].p_value for k in keys], correction)
    adj_map = dict(zip(keys, adj))
    cuped_effects = [e.with_(p_adjusted=float(adj_map[(e.metric, e.treatment)])) for e in cuped_effects]
    has_cuped = {(e.metric, e.treatment) for e in cuped_effects}
    plain_adj = multiplicity.adjust([e.p_value for e in effects], correction)
    effects = [e.with_(p_adjusted=float(adj_map[(e.metric, e.treatment)]
                                        if (e.metric, e.treatment) not in has_cuped else pa))
               for e, pa in zip(effects, plain_adj)]

    guard_res = []
    for g in guardrails:
        for tr in treatments:
            e = raw_for_guard[(g.name, tr)]
            p_ni = non_inferiority_p(e, g.margin, g.higher_is_better)
            status = verdict.guardrail_status(p_ni, e.rel_lo, e.rel_hi, g.margin, alpha,
                                              g.higher_is_better)
            guard_res.append(verdict.Guardrail(g.name, e.comparison, g.margin, e.rel_effect, e.rel_lo,
                                               e.rel_hi, p_ni, status))

    res = ExperimentResult(
        exp_id, str(row.get("name") or exp_id), str(row.get("hypothesis") or ""), control, variants,
        start, end, running, "", metrics, guardrails, srm_res, effects, cuped_effects, balance_res,
        guard_res, [], [], [], None, verdict.Verdict("", ()), alpha, correction, notes)
    if primary not in names:
        notes.append(tx("primary metric {primary} of the experiments table is not among the metrics; "
                        "{first} is used as the primary metric.", primary=repr(primary),
                        first=repr(names[0])))
        primary = names[0]
    res.primary = primary
    hib = {m.name: m.higher_is_better for m in metrics}

    plain = {(e.metric, e.treatment): e for e in effects}
    for e in res.decision_effects():
        res.posteriors.append(bayes.posterior(e, prior_sd, hib[e.metric]))
        if e.method == "percentile bootstrap":
            continue
        p = plain[(e.metric, e.treatment)]
        sd = p.se / np.sqrt(1 / p.n_control + 1 / p.n_treatment)
        res.plans.append(power.plan(e.metric, e.comparison, p.mean_control, sd, p.n_control,
                                    p.n_treatment, (end - start).days + 1, mde, alpha, power_target,
                                    e.variance_reduction or 0.0))
    if pm.kind != "quantile":
        if pm.kind == "proportion":  # from the per-user table's first-event times
            daily = sequential.cumulative_moments_from_users(ut, pm, start, end_excl)
        else:  # per-user running sums need the events by day
            daily = sequential.cumulative_moments(source, exp_id, start, end_excl, pm)
        res.sequential = [sequential.sequential(daily, pm, control, tr, alpha) for tr in treatments]
        seg_attrs = [s for s in segments if s != "persona" or "persona" in source.table("users").columns]
        if "persona" in segments and "persona" not in seg_attrs:
            res.segment_notes.append(tx("the users table has no persona column; no persona breakdown."))
        if seg_attrs:
            res.segments = segment_effects(ut, source.table("users"), pm, seg_attrs, control, treatments,
                                           alpha, correction)
    powered = {p.comparison: p.powered for p in res.plans if p.metric == primary}
    res.verdict = verdict.decide(srm_res, res.primary_effects(), guard_res, powered, pm.higher_is_better,
                                 [b for b in balance_res if not b.ok], running)
    # the daily-look and segment charts name their experiment and carry its validity
    for s in res.sequential:
        s.experiment, s.invalid_note = exp_id, res.invalid_note()
    if res.segments is not None:
        res.segments.experiment, res.segments.invalid_note = exp_id, res.invalid_note()
    return res


def experiment_analysis(data_dir=None, experiment_id: str = "", start_date: str = "",
                        end_date: str = "", metrics: Sequence | None = None,
                        guardrails: Sequence | None = None, alpha: float = 0.05,
                        cuped_days: int = 14, correction: str = "holm",
                        segments: Sequence[str] = ("channel", "device", "region", "persona"),
                        seed: int = 0, mde: float = 0.05, power_target: float = 0.8,
                        prior_sd: float = bayes.DEFAULT_PRIOR_SD) -> ExperimentReport:
    """Check the parameters, load the data and analyse every experiment in the window."""
    from opsnb.report.params import expect

    expect("experiment_id", experiment_id, "str")
    expect("alpha", alpha, "float", minimum=0.001, maximum=0.2)
    cuped_days = expect("cuped_days", cuped_days, "int", minimum=0, maximum=365)
    expect("correction", correction, "str", choices=multiplicity.CORRECTIONS)
    expect("segments", segments, "list")
    seed = expect("seed", seed, "int", minimum=0)
    expect("mde", mde, "float", minimum=0.0001, maximum=10)
    expect("power_target", power_target, "float", minimum=0.5, maximum=0.999)
    expect("prior_sd", prior_sd, "float", minimum=0.001, maximum=10)
    mets = parse_metrics(DEFAULT_METRICS if metrics is None else metrics)
    if not mets:
        raise ParameterError("metrics is empty; give at least one metric")
    grs = parse_metrics(DEFAULT_GUARDRAILS if guardrails is None else guardrails, guardrail=True)
    clash = {m.name for m in mets} & {g.name for g in grs}
    if clash:
        raise ParameterError(f"metric(s) {', '.join(sorted(clash))} are both metrics and guardrails")
    source = DataSource.open(data_dir)
    source.require("users", "events", "assignments", "experiments")
    window = resolve_window(source, start_date, end_date)
    rows = _experiment_rows(source, window, experiment_id)
    results = [analyse_experiment(source, window, r, mets, grs, alpha, cuped_days, correction,
                                  list(segments), seed, mde, power_target, prior_sd)
               for _, r in rows.iterrows()]
    params = dict(data_dir=str(data_dir or ""), experiment_id=experiment_id, start_date=start_date,
                  end_date=end_date, metrics=[m.to_dict() for m in mets],
                  guardrails=[g.to_dict() for g in grs], alpha=alpha, cuped_days=cuped_days,
                  correction=correction, segments=list(segments), seed=seed, mde=mde,
                  power_target=power_target, prior_sd=prior_sd)
    return ExperimentReport(source, window, results, params)
