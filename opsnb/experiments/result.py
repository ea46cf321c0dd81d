"""The analysis of one experiment: numbers and codes, and its two charts.

:class:`ExperimentResult` holds what :func:`opsnb.experiments.analysis.analyse_experiment`
computed: the SRM check, the effects (plain and CUPED), guardrails, posteriors, power plans,
the daily looks, the segments and the verdict. Messages are :class:`~opsnb.report.contract.Note`
objects; the sentences and tables a reader sees are made by :mod:`opsnb.experiments.present`
from the language they are given, and the chart methods take ``lang`` too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from opsnb.experiments import bayes, cuped, multiplicity, power, sequential, srm, verdict
from opsnb.experiments.marks import INVALID_COLOR, invalid_text, mark_invalid, with_note
from opsnb.experiments.metrics import Metric
from opsnb.experiments.segments import Segments
from opsnb.experiments.stats import RELATIVE_METHOD, Effect
from opsnb.report import style
from opsnb.report.contract import Note
from opsnb.report.fmt import probability
from opsnb.report.i18n import Translator


@dataclass
class ExperimentResult:
    """The analysis of one experiment (one row of the experiments table)."""

    experiment_id: str
    name: str
    hypothesis: str
    control: str
    variants: tuple[str, ...]
    start: pd.Timestamp
    end: pd.Timestamp           # last analysed day (inclusive)
    running: bool
    alpha: float
    correction: str
    primary: str = ""
    metrics: list[Metric] = field(default_factory=list)
    guardrail_metrics: list[Metric] = field(default_factory=list)
    srm: srm.SRM | None = None   # None when the experiment could not be analysed at all
    effects: list[Effect] = field(default_factory=list)        # plain, p_adjusted in their family
    cuped_effects: list[Effect] = field(default_factory=list)  # CUPED (proportion and mean metrics)
    balance: list[cuped.Balance] = field(default_factory=list)
    guardrails: list[verdict.Guardrail] = field(default_factory=list)
    posteriors: list[bayes.Posterior] = field(default_factory=list)
    plans: list[power.Plan] = field(default_factory=list)
    sequential: list[sequential.Sequential] = field(default_factory=list)
    segments: Segments | None = None
    verdict: verdict.Verdict = field(
        default_factory=lambda: verdict.Verdict(verdict.NO_DATA, (verdict.Reason("no_metrics"),)))
    notes: list[Note] = field(default_factory=list)          # metrics left out, CUPED not applied
    segment_notes: list[Note] = field(default_factory=list)  # shown once, under the segments
    left_out: Note | None = None  # why the experiment could not be analysed at all

    # ------------------------------------------------------------------ views
    @property
    def analysed(self) -> bool:
        """True when at least one metric was computed (effects, Bayes, power can be shown)."""
        return self.left_out is None and bool(self.effects)

    @property
    def invalid(self) -> bool:
        """True when the verdict is invalid: no effect of this experiment may be read."""
        return self.verdict.decision == verdict.INVALID

    @property
    def invalid_code(self) -> str:
        """'srm' / 'invalid' when the verdict is invalid, else ''."""
        if not self.invalid:
            return ""
        return "srm" if self.srm is not None and self.srm.flagged else "invalid"

    def invalid_note(self, lang: str = "en") -> str:
        """The warning every chart of an invalid experiment carries ('' when it is valid)."""
        return invalid_text(self.invalid_code, lang)

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

    def headline(self) -> dict:
        pe = self.primary_effects()
        post = {(p.metric, p.treatment): p for p in self.posteriors}
        return {
            "experiment_id": self.experiment_id, "verdict": self.verdict.decision,
            "winner": self.verdict.winner,
            "srm_p_value": self.srm.p_value if self.srm is not None else None,
            "srm_flagged": self.srm.flagged if self.srm is not None else None,
            "primary_metric": self.primary,
            "primary": [{"comparison": e.comparison, "rel_effect": e.rel_effect, "rel_lo": e.rel_lo,
                         "rel_hi": e.rel_hi, "p_adjusted": e.p_adjusted,
                         "chance_to_beat_control": post[(e.metric, e.treatment)].chance_to_win
                         if (e.metric, e.treatment) in post else None} for e in pe],
        }

    def to_dict(self) -> dict:
        out = {
            "experiment_id": self.experiment_id, "name": self.name, "control": self.control,
            "variants": list(self.variants), "analysed": f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}",
            "running": self.running, "primary_metric": self.primary,
            "metrics": [m.to_dict() for m in self.metrics + self.guardrail_metrics],
            "srm": self.srm.to_dict() if self.srm is not None else None,
            "verdict": self.verdict.to_dict(),
            "results": self.metric_table() if self.srm is not None else None,
            "guardrails": [g.to_dict() for g in self.guardrails],
            "balance": [b.to_dict() for b in self.balance],
            "bayesian": [p.to_dict() for p in self.posteriors],
            "power": [p.to_dict() for p in self.plans],
            "segments": self.segments.to_frame() if self.segments is not None else None,
            "heterogeneity": self.segments.heterogeneity if self.segments is not None else None,
            "methods": {"relative_interval": RELATIVE_METHOD, "correction": multiplicity.NAMES[
                self.correction], "sequential": sequential.METHOD, "srm": "chi-square goodness of fit"},
            "notes": [n.render("en") for n in self.notes + self.segment_notes],
        }
        if self.left_out is not None:
            out["left_out"] = self.left_out.to_dict()
        return out

    # ------------------------------------------------------------------ plots
    def plot_forest(self, ax=None, lang: str = "en"):
        tx = Translator(lang)
        effs = self.decision_effects()
        gr = {(g.metric, g.comparison): g for g in self.guardrails}
        if ax is None:
            _, ax = style.new_figure(height=max(2.6, 0.42 * (len(effs) + len(gr)) + 1.6))
        labels, y = [], 0
        rows = [(e.metric, e.comparison, e.rel_effect, e.rel_lo, e.rel_hi,
                 e.p_adjusted is not None and e.p_adjusted < self.alpha, None) for e in effs]
        rows += [(tx("{metric} (guardrail)", metric=g.metric), g.comparison, g.rel_effect, g.rel_lo,
                  g.rel_hi, g.status != "safe", g.margin) for g in gr.values()]
        note = self.invalid_note(lang)
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
                         method=RELATIVE_METHOD, correction=multiplicity.NAMES[self.correction]),
                         lang))
        mark_invalid(ax, note)
        return ax

    def plot_chance_to_win(self, ax=None, lang: str = "en"):
        tx = Translator(lang)
        ps = [p for p in self.posteriors if np.isfinite(p.chance_to_win)]
        if ax is None:
            _, ax = style.new_figure(height=max(2.4, 0.4 * len(ps) + 1.4))
        y = np.arange(len(ps))[::-1]
        vals = [p.chance_to_win for p in ps]
        note = self.invalid_note(lang)
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
                         "and the treatment is in fact worse.", prior=f"{prior:g}"), lang))
        mark_invalid(ax, note)
        return ax
