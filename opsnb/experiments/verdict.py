"""The verdict: ship / don't ship / keep running / invalid, with the reasons as codes.

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

An experiment none of whose metrics could be computed (no events after assignment) gets
**no data**. The verdict holds the decision and its reasons as codes with their numbers
(:class:`Reason`); the sentences are made by :mod:`opsnb.experiments.present` in the language
it is given.

>>> from opsnb.experiments.srm import srm_test
>>> v = decide(srm_test({"control": 500, "treatment": 400}, {"control": .5, "treatment": .5}), [],
...            [], {})
>>> v.decision, [r.code for r in v.reasons]
('invalid', ['srm', 'fix_assignment'])
"""

from __future__ import annotations

from dataclasses import dataclass, field

SHIP, DONT_SHIP, KEEP_RUNNING, INVALID = "ship", "don't ship", "keep running", "invalid"
NO_DATA = "no data"
DECISIONS = (SHIP, DONT_SHIP, KEEP_RUNNING, INVALID, NO_DATA)


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
class Reason:
    """One reason of a verdict: a code and the numbers it names.

    Codes: ``srm`` (the SRM result), ``fix_assignment``, ``imbalance`` (metric, treatment,
    control, p), ``primary`` (metric, comparison, outcome = wins / loses / none, effect, lo, hi,
    p), ``guardrail`` (metric, treatment, status, effect, margin, p), ``guardrails_unclear``,
    ``underpowered`` (arms, running), ``powered_no_effect``, ``no_metrics``.
    """

    code: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    decision: str
    reasons: tuple[Reason, ...]
    winner: str | None = None
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"decision": self.decision, "reason_codes": [r.code for r in self.reasons],
                "winner": self.winner}


def decide(srm, primary_effects, guardrails, powered: dict[str, bool], higher_is_better: bool = True,
           balance_issues=(), running: bool = False) -> Verdict:
    """The verdict from the SRM check, primary-metric effects, guardrails and power per arm."""
    reasons: list[Reason] = []
    if srm.flagged:
        return Verdict(INVALID, (Reason("srm", {"srm": srm}), Reason("fix_assignment")))
    if not primary_effects:
        return Verdict(NO_DATA, (Reason("no_metrics"),))
    reasons += [Reason("imbalance", {"metric": b.metric, "treatment": b.treatment,
                                     "control": b.control, "p": b.p_value})
                for b in balance_issues]
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
        outcome = "wins" if e in winners else "loses" if e in losers else "none"
        reasons.append(Reason("primary", {"metric": e.metric, "comparison": e.comparison,
                                          "outcome": outcome, "effect": e.rel_effect,
                                          "lo": e.rel_lo, "hi": e.rel_hi, "p": p}))
    if winners:
        best = max(winners, key=lambda e: sign * e.rel_effect)
        mine = [g for g in guardrails if g.comparison == best.comparison]
        breached = [g for g in mine if g.status == "breached"]
        unclear = [g for g in mine if g.status == "inconclusive"]
        reasons += [Reason("guardrail", {"metric": g.metric, "treatment": best.treatment,
                                         "status": g.status, "effect": g.rel_effect,
                                         "margin": g.margin, "p": g.p_non_inferiority})
                    for g in mine]
        if breached:
            return Verdict(DONT_SHIP, tuple(reasons), None)
        if unclear:
            reasons.append(Reason("guardrails_unclear"))
            return Verdict(KEEP_RUNNING, tuple(reasons), best.treatment)
        return Verdict(SHIP, tuple(reasons), best.treatment)
    if losers and len(losers) == len(primary_effects):
        return Verdict(DONT_SHIP, tuple(reasons))
    under = [e.treatment for e in primary_effects if not powered.get(e.comparison, True)]
    if under:
        reasons.append(Reason("underpowered", {"arms": tuple(under), "running": running}))
        return Verdict(KEEP_RUNNING, tuple(reasons))
    reasons.append(Reason("powered_no_effect"))
    return Verdict(DONT_SHIP, tuple(reasons))
