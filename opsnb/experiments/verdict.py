"""The verdict: ship / don't ship / keep running / invalid, with the reasons.

Rules, in order (each treatment arm against control, on the primary metric after the
multiple-testing correction; guardrails by their non-inferiority test):

1. **invalid** — the sample ratio mismatch check failed: assignment is broken, nothing can be
   concluded (whatever the metrics say).
2. **ship** — an arm beats control significantly on the primary metric and every guardrail
   is shown non-inferior (its one-sided test rejects "worse by the margin or more").
3. **don't ship** — an arm wins but a guardrail is clearly breached (its whole interval lies
   beyond the margin); or no arm wins and the test had the power for the effect it looked
   for (or the primary metric got significantly worse).
4. **keep running** — a winner whose guardrails are not yet shown safe, or no winner while the
   sample is still too small for the planned minimum detectable effect.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opsnb.report.fmt import p_value
from opsnb.report.i18n import t as tr

SHIP, DONT_SHIP, KEEP_RUNNING, INVALID = "ship", "don't ship", "keep running", "invalid"


@dataclass(frozen=True)
class Guardrail:
    metric: str
    comparison: str
    margin: float
    rel_effect: float
    rel_lo: float
    rel_hi: float
    p_non_inferiority: float
    status: str  # "safe", "breached", "inconclusive"

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def guardrail_status(p_ni: float, rel_lo: float, rel_hi: float, margin: float, alpha: float,
                     higher_is_better: bool = True) -> str:
    if p_ni < alpha:
        return "safe"
    beyond = rel_hi < -margin if higher_is_better else rel_lo > margin
    return "breached" if beyond else "inconclusive"


@dataclass(frozen=True)
class Verdict:
    decision: str
    reasons: tuple[str, ...]
    winner: str | None = None
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"decision": self.decision, "reasons": list(self.reasons), "winner": self.winner}


def decide(srm, primary_effects, guardrails, powered: dict[str, bool], higher_is_better: bool = True,
           balance_issues=(), running: bool = False) -> Verdict:
    """The verdict from the SRM check, primary-metric effects, guardrails and power per arm."""
    reasons: list[str] = []
    if srm.flagged:
        reasons.append(srm.message())
        reasons.append(tr("Fix the assignment or logging and rerun the experiment; do not ship on "
                          "these numbers."))
        return Verdict(INVALID, tuple(reasons))
    reasons += [tr("Pre-period imbalance in {metric} ({comparison}, p = {p}); the CUPED estimate "
                   "corrects for it.", metric=b.metric, comparison=f"{b.treatment} vs {b.control}",
                   p=p_value(b.p_value)) for b in balance_issues]
    sign = 1 if higher_is_better else -1
    winners, losers = [], []
    for e in primary_effects:
        p = e.p_adjusted if e.p_adjusted is not None else e.p_value
        if p < e.alpha and sign * e.abs_effect > 0:
            winners.append(e)
        elif p < e.alpha:
            losers.append(e)
    for e in primary_effects:
        p = e.p_adjusted if e.p_adjusted is not None else e.p_value
        tag = "wins" if e in winners else "loses" if e in losers else "shows no significant effect"
        reasons.append(tr("{metric}: {comparison} " + tag + " ({effect}, interval {lo} to {hi}, "
                          "adjusted p = {p}).", metric=e.metric, comparison=e.comparison,
                          effect=f"{e.rel_effect:+.1%}", lo=f"{e.rel_lo:+.1%}", hi=f"{e.rel_hi:+.1%}",
                          p=p_value(p)))
    if winners:
        best = max(winners, key=lambda e: sign * e.rel_effect)
        mine = [g for g in guardrails if g.comparison == best.comparison]
        breached = [g for g in mine if g.status == "breached"]
        unclear = [g for g in mine if g.status == "inconclusive"]
        for g in mine:
            reasons.append(tr("Guardrail {metric} ({treatment}): {status} ({effect}, margin -{margin}, "
                              "non-inferiority p = {p}).", metric=g.metric, treatment=best.treatment,
                              status=g.status, effect=f"{g.rel_effect:+.1%}", margin=f"{g.margin:.0%}",
                              p=p_value(g.p_non_inferiority)))
        if breached:
            return Verdict(DONT_SHIP, tuple(reasons), None)
        if unclear:
            reasons.append(tr("The winner's guardrails are not yet shown safe: collect more data."))
            return Verdict(KEEP_RUNNING, tuple(reasons), best.treatment)
        return Verdict(SHIP, tuple(reasons), best.treatment)
    if losers and len(losers) == len(primary_effects):
        return Verdict(DONT_SHIP, tuple(reasons))
    under = [e.treatment for e in primary_effects if not powered.get(e.comparison, True)]
    if under:
        reasons.append(tr("Not yet powered for the planned minimum detectable effect ({arms}): keep "
                          "running (the experiment has not ended)." if running else
                          "Not yet powered for the planned minimum detectable effect ({arms}): keep "
                          "running.", arms=", ".join(under)))
        return Verdict(KEEP_RUNNING, tuple(reasons))
    reasons.append(tr("The test was powered for the planned effect and found none: do not ship."))
    return Verdict(DONT_SHIP, tuple(reasons))
