"""What the experiment-analysis report shows, in the language it is given.

Computation (:mod:`~opsnb.experiments.analysis`, :mod:`~opsnb.experiments.verdict`) keeps
numbers and codes; this module turns them into the sentences, headline tiles and tables a
reader reads, with the display formats of each table. Every function takes ``lang``
explicitly; no module of the package reads a global language setting.

>>> from opsnb.experiments.verdict import Reason
>>> reason_text(Reason("powered_no_effect"), "en")
'The test was powered for the planned effect and found none: do not ship.'
>>> verdict_label("keep running", "zh")
'继续观察'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from opsnb.experiments import cuped
from opsnb.experiments.result import ExperimentResult
from opsnb.experiments.verdict import Reason
from opsnb.report import fmt
from opsnb.report.fmt import p_value, probability
from opsnb.report.i18n import Translator, translate

# readable headers of the guardrail table (fmt.header turns '_' into spaces and translates)
GUARDRAIL_HEADERS = {"rel_effect": "relative_change", "rel_lo": "relative_change_low",
                     "rel_hi": "relative_change_high", "p_non_inferiority": "p (non-inferiority)"}

# display formats of the report's tables
SRM_FORMATS = {"users": "count", "share": "pct", "designed": "pct"}
BALANCE_FORMATS = {"pre_mean_control": "number", "pre_mean_treatment": "number"}
# effects and changes carry their sign (+7.6%), as in the verdict cards and the interval column
EFFECT_FORMATS = {"control": "number", "treatment": "number",
                  "relative_effect": lambda x: fmt.pct(x, 1, True),
                  "unadjusted_effect": lambda x: fmt.pct(x, 1, True), "variance_reduction": "pct"}
GUARDRAIL_FORMATS = {"margin": "pct", "relative_change": lambda x: fmt.pct(x, 1, True),
                     "relative_change_low": lambda x: fmt.pct(x, 1, True),
                     "relative_change_high": lambda x: fmt.pct(x, 1, True)}
POWER_FORMATS = {"target_mde": "pct", "n_control": "count", "needed_per_arm": "count",
                 "achieved_mde": "pct", "achieved_mde_plain": "pct", "2 weeks": "pct",
                 "4 weeks": "pct", "8 weeks": "pct"}
HETEROGENEITY_FORMATS = {"q": "number"}

_PRIMARY = {"wins": "{metric}: {comparison} wins ({effect}, interval {lo} to {hi}, adjusted p = {p}).",
            "loses": "{metric}: {comparison} loses ({effect}, interval {lo} to {hi}, adjusted p = {p}).",
            "none": "{metric}: {comparison} shows no significant effect ({effect}, interval {lo} to "
                    "{hi}, adjusted p = {p})."}
_PLAIN = {
    "fix_assignment": "Fix the assignment or logging and rerun the experiment; do not ship on "
                      "these numbers.",
    "guardrails_unclear": "The winner's guardrails are not yet shown safe: collect more data.",
    "powered_no_effect": "The test was powered for the planned effect and found none: do not ship.",
    "no_metrics": "No metric could be computed for this experiment: no verdict (the effects "
                  "section says why).",
}


def signed(x) -> str:
    """A relative effect as text: +7.6%."""
    return f"{x:+.1%}"


def srm_message(srm, lang: str = "en") -> str:
    """The sample ratio check in one sentence (a mismatch says what it means)."""
    tr = Translator(lang)
    parts = tr.sep().join(tr("{variant} {n} ({share}, designed {designed})", variant=v, n=f"{o:,}",
                             share=f"{s:.1%}", designed=f"{e:.1%}") for v, o, s, e in
                          zip(srm.variants, srm.observed, srm.observed_share, srm.expected_share))
    if srm.flagged:
        return tr("Sample ratio mismatch (chi-square p = {p} < {threshold}): {parts}. Assignment "
                  "or logging is broken; the results cannot be trusted.", p=f"{srm.p_value:.2g}",
                  threshold=f"{srm.threshold}", parts=parts)
    return tr("Sample ratio as designed (chi-square p = {p}): {parts}.", p=f"{srm.p_value:.2g}",
              parts=parts)


def reason_text(r: Reason, lang: str = "en") -> str:
    """One reason of a verdict as a sentence."""
    tr, v = Translator(lang), r.values
    if r.code == "srm":
        return srm_message(v["srm"], lang)
    if r.code == "imbalance":
        return tr("Pre-period imbalance in {metric} ({comparison}, p = {p}); the CUPED estimate "
                  "corrects for it.", metric=v["metric"],
                  comparison=f"{v['treatment']} vs {v['control']}", p=p_value(v["p"]))
    if r.code == "primary":
        return tr(_PRIMARY[v["outcome"]], metric=v["metric"], comparison=v["comparison"],
                  effect=signed(v["effect"]), lo=signed(v["lo"]), hi=signed(v["hi"]),
                  p=p_value(v["p"]))
    if r.code == "guardrail":
        return tr("Guardrail {metric} ({treatment}): {status} ({effect}, margin -{margin}, "
                  "non-inferiority p = {p}).", metric=v["metric"], treatment=v["treatment"],
                  status=v["status"], effect=signed(v["effect"]), margin=f"{v['margin']:.0%}",
                  p=p_value(v["p"]))
    if r.code == "underpowered":
        return tr("Not yet powered for the planned minimum detectable effect ({arms}): keep "
                  "running (the experiment has not ended)." if v["running"] else
                  "Not yet powered for the planned minimum detectable effect ({arms}): keep "
                  "running.", arms=", ".join(v["arms"]))
    return tr(_PLAIN[r.code])


def reasons(e: ExperimentResult, lang: str = "en") -> list[str]:
    """The verdict's reasons as sentences ([the reason it was left out] when it was)."""
    if e.left_out is not None:
        return [left_out(e, lang)]
    return [reason_text(r, lang) for r in e.verdict.reasons]


def verdict_label(decision: str, lang: str = "en") -> str:
    """SHIP / DON'T SHIP / KEEP RUNNING / INVALID / NO DATA in ``lang``."""
    return translate(decision.upper(), lang)


def left_out(e: ExperimentResult, lang: str = "en") -> str:
    """Why experiment ``e`` could not be analysed."""
    return translate("{experiment} could not be analysed: {reason}", lang,
                     experiment=e.experiment_id, reason=e.left_out.render(lang))


def not_analysed(e: ExperimentResult, lang: str = "en") -> str:
    """The line a metrics section shows for an experiment without computed metrics."""
    if e.left_out is not None:
        return left_out(e, lang)
    return translate("{experiment}: no metric could be computed, so this section has nothing to "
                     "show for it (the effects section says why).", lang,
                     experiment=e.experiment_id)


def notes(e: ExperimentResult, lang: str = "en") -> list[str]:
    """The notes of an experiment (metrics left out, CUPED not applied), as sentences."""
    return [translate("Note: {note}", lang, note=n.render(lang)) for n in e.notes]


def title(e: ExperimentResult, lang: str = "en") -> str:
    """The verdict box title of one experiment."""
    tr = Translator(lang)
    text = tr("{name} ({experiment}), {start} – {end}", name=e.name, experiment=e.experiment_id,
              start=f"{e.start:%Y-%m-%d}", end=f"{e.end:%Y-%m-%d}")
    return tr("{title} (still running)", title=text) if e.running else text


def experiment_items(e: ExperimentResult, lang: str = "en") -> list[tuple[str, str, str]]:
    """The tiles of one experiment's verdict box: verdict, primary effects, chance, SRM."""
    tr = Translator(lang)
    post = {(p.metric, p.treatment): p for p in e.posteriors}
    items = [(tr("Verdict"), verdict_label(e.verdict.decision, lang),
              tr("winner: {winner}", winner=e.verdict.winner) if e.verdict.winner else e.name)]
    for pe in e.primary_effects():
        p = post.get((pe.metric, pe.treatment))
        items.append((tr("{metric}: {comparison}", metric=e.primary, comparison=pe.comparison),
                      fmt.pct(pe.rel_effect, signed=True),
                      tr("{lo} to {hi}; adj. p {p}", lo=fmt.pct(pe.rel_lo, signed=True),
                         hi=fmt.pct(pe.rel_hi, signed=True), p=p_value(pe.p_adjusted))))
        if p is not None:
            items.append((tr("Chance to beat control ({treatment})", treatment=pe.treatment),
                          probability(p.chance_to_win),
                          tr("expected loss {x}", x=probability(p.expected_loss, 2))))
    if e.srm is not None:
        items.append((tr("Sample ratio"), tr("MISMATCH" if e.srm.flagged else "ok"),
                      tr("chi-square p {p}; {counts}", p=p_value(e.srm.p_value), counts=", ".join(
                          f"{v} {fmt.count(n)}" for v, n in zip(e.srm.variants, e.srm.observed)))))
    return items


def srm_table(experiments, lang: str = "en") -> pd.DataFrame:
    """Users per arm against the designed split, every experiment that has arms."""
    tr = Translator(lang)
    return pd.DataFrame([
        {"experiment": e.experiment_id, "variant": v, "users": n, "share": s, "designed": d,
         "chi_square_p": p_value(e.srm.p_value), "flagged": tr("MISMATCH" if e.srm.flagged else "ok")}
        for e in experiments if e.srm is not None
        for v, n, s, d in zip(e.srm.variants, e.srm.observed, e.srm.observed_share,
                              e.srm.expected_share)])


def balance_table(experiments, lang: str = "en") -> pd.DataFrame:
    """The pre-period balance checks of every experiment."""
    bal = pd.DataFrame([{"experiment": e.experiment_id, **b.to_dict()} for e in experiments
                        for b in e.balance])
    if len(bal):
        bal["balanced"] = bal["balanced"].map(lambda x: fmt.yes_no(x, lang))
        bal["p_value"] = bal["p_value"].map(p_value)
    return bal


def balance_caption(cuped_days, lang: str = "en") -> str:
    """The balance table's caption: the pre-period length and the flagging threshold."""
    return translate("Pre-period balance ({days} days before assignment; flagged when p < "
                     "{threshold})", lang, days=cuped_days, threshold=f"{cuped.BALANCE_P:g}")


def display_table(e: ExperimentResult, lang: str = "en") -> pd.DataFrame:
    """The metric table: the judged estimate, both p-values, CUPED's gain."""
    tr = Translator(lang)
    rows = []
    plain = {(x.metric, x.treatment): x for x in e.effects}
    for x in e.decision_effects():
        p = plain[(x.metric, x.treatment)]
        rows.append({
            "metric": tr("{metric} (primary)", metric=x.metric) if x.metric == e.primary
            else x.metric,
            "comparison": x.comparison, "control": x.mean_control, "treatment": x.mean_treatment,
            "relative_effect": x.rel_effect,
            "interval": tr("{lo} to {hi}", lo=signed(x.rel_lo), hi=signed(x.rel_hi))
            if np.isfinite(x.rel_lo) else "–",
            "p_value": p_value(x.p_value), "adjusted_p": p_value(x.p_adjusted),
            "unadjusted_effect": p.rel_effect if x.cuped else None,
            "variance_reduction": x.variance_reduction,
            "method": tr(x.method),
        })
    return pd.DataFrame(rows)


# the correction codes as the names a reader knows ("holm" -> "Holm")
CORRECTION_LABELS = {"holm": "Holm", "bh": "Benjamini-Hochberg"}


def effects_caption(e: ExperimentResult, lang: str = "en") -> str:
    """'exp_x: effects (Holm correction)'; says so when no correction was applied."""
    if e.correction not in CORRECTION_LABELS:
        return translate("{experiment}: effects (no multiple-testing correction)", lang,
                         experiment=e.experiment_id)
    return translate("{experiment}: effects ({correction} correction)", lang,
                     experiment=e.experiment_id, correction=CORRECTION_LABELS[e.correction])


def guardrail_table(e: ExperimentResult, lang: str = "en") -> pd.DataFrame:
    """The guardrail tests (status in ``lang``)."""
    g = pd.DataFrame([x.to_dict() for x in e.guardrails])
    if len(g):
        g["status"] = g["status"].map(lambda s: translate(s, lang))
        g["p_non_inferiority"] = g["p_non_inferiority"].map(p_value)
    return g.rename(columns=GUARDRAIL_HEADERS)


def power_table(e: ExperimentResult, lang: str = "en") -> pd.DataFrame:
    """Power per comparison of the primary and secondary metrics, with the MDE after more weeks."""
    pw = pd.DataFrame([{**{k: v for k, v in p.to_dict().items() if k != "mde_by_weeks"},
                        **p.mde_by_weeks} for p in e.plans])
    cols = ["metric", "comparison", "target_mde", "n_control", "needed_per_arm", "achieved_mde",
            "achieved_mde_plain", "powered", "2 weeks", "4 weeks", "8 weeks"]
    if pw.empty:
        return pd.DataFrame(columns=cols)
    pw = pw[cols]
    pw["powered"] = pw["powered"].map(lambda x: fmt.yes_no(x, lang))
    return pw


def power_caption(e: ExperimentResult, mde: float, lang: str = "en") -> str:
    return translate("{experiment}: power for a {mde} relative effect", lang,
                     experiment=e.experiment_id, mde=fmt.pct(mde))
