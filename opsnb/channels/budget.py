"""Budget reallocation: the spend mix that maximises the modelled response under bounds.

Each channel's spend pattern over the modelled period is scaled by a multiplier ``m_c``
(so flighting and weekday patterns are kept). The plan maximises
``sum_c value_c * response_c(m_c)`` subject to ``sum_c m_c * spend_c = budget`` and
``1 - lower_c <= m_c <= 1 + upper_c`` (SLSQP with the closed-form gradient, started from
the current mix scaled to the budget). The plan is never worse than that starting mix: if
the optimiser does not improve on it, the starting mix is returned. The interval of the
expected change comes from the mix model's bootstrap coefficients (transforms fixed).

**Target-ROAS mode** (``target_roas``): the total budget is free within the bounds and the plan
is the largest-response mix whose overall modelled ROAS (modelled revenue / spend, with the same
per-channel ``value``) still meets the target. It is solved on the Lagrange multiplier: for a
multiplier ``lam`` each channel spends where its marginal ROAS equals ``lam`` (exactly: the
spend maximising ``response_c - lam * spend_c`` within its bounds), and ``lam`` is bisected
until the ROAS constraint binds (the ROAS slack grows monotonically with ``lam``). If the upper
bounds already meet the target they are the answer; if even the best ROAS within the bounds
(found by Dinkelbach's iteration on the same per-channel problem) is below the target, a
ParameterError states that best ROAS. The result is polished with SLSQP and kept only where the
polish is feasible and better (this matters only for S-shaped responses, where the
multiplier's plan can jump).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize

from opsnb.errors import ParameterError
from opsnb.report import fmt, style
from opsnb.report.i18n import Translator


@dataclass
class BudgetPlan:
    """The proposed spend per channel and its modelled effect (numbers only: the sentences that
    describe it are made in :mod:`opsnb.channels.present`)."""

    table: pd.DataFrame
    budget: float
    current_total: float
    baseline_response: float      # the current mix scaled to the budget
    proposed_response: float
    change_low: float
    change_high: float
    response_label: str
    target_roas: float | None = None   # the target-ROAS mode's target (None: total-budget mode)
    current_roas: float | None = None  # modelled revenue / spend of the current mix
    proposed_roas: float | None = None

    @property
    def expected_change(self) -> float:
        return self.proposed_response - self.baseline_response

    @property
    def expected_change_pct(self) -> float | None:
        return self.expected_change / self.baseline_response if self.baseline_response else None

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict:
        return {"budget": self.budget, "current_total": self.current_total,
                "baseline_response": self.baseline_response,
                "proposed_response": self.proposed_response,
                "expected_change": self.expected_change,
                "expected_change_pct": self.expected_change_pct,
                "expected_change_interval": [self.change_low, self.change_high],
                "response": self.response_label, "channels": self.table,
                **({"target_roas": self.target_roas, "current_roas": self.current_roas,
                    "proposed_roas": self.proposed_roas} if self.target_roas is not None else {})}

    def plot(self, ax=None, lang: str = "en"):
        tr = Translator(lang)
        t = self.table
        if ax is None:
            _, ax = style.new_figure(height=3.8)
        y = np.arange(len(t))[::-1]
        ax.barh(y + 0.2, t["current_spend"], height=0.4, color="#BBBBBB", label=tr("current"))
        ax.barh(y - 0.2, t["proposed_spend"], height=0.4, color=style.PALETTE[0], label=tr("proposed"))
        for yi, (_, r) in zip(y, t.iterrows()):
            ax.text(r["proposed_spend"], yi - 0.2, " " + fmt.pct(r["change_pct"], 0, True),
                    va="center", fontsize=9)   # beside the proposed bar it describes
        ax.set_xlim(0, 1.1 * max(t["current_spend"].max(), t["proposed_spend"].max()))
        ax.set_yticks(y, t["channel"])
        style.money_axis(ax, "x", lang=lang)
        ax.legend(loc="lower right")
        if self.target_roas is None:
            sub = tr("Spend over the modelled period; the proposal keeps the total at {budget} "
                     "and each channel within its bounds, and maximises the modelled {response}.",
                     budget=fmt.money(self.budget), response=response_text(self.response_label, lang))
        else:
            sub = tr("Spend over the modelled period; the proposal keeps the overall modelled ROAS "
                     "at or above {target} and each channel within its bounds, and maximises the "
                     "modelled {response} (total {budget}).", target=fmt.pct(self.target_roas),
                     budget=fmt.money(self.budget), response=response_text(self.response_label, lang))
        style.titled(ax, tr("Proposed budget by channel"), sub)
        return ax


def _bounds(channels, bounds) -> list[tuple[float, float]]:
    out = []
    for c in channels:
        b = bounds.get(c, bounds.get("*", 0.3)) if isinstance(bounds, dict) else bounds
        lo, hi = (b, b) if isinstance(b, (int, float)) else tuple(b)
        if not (0 <= lo <= 1 and hi >= 0):
            raise ParameterError(f"bounds for {c}: {b!r}; give a fraction such as 0.3 (plus or minus "
                                 "30 %) or a pair (down, up)")
        out.append((1.0 - lo, 1.0 + hi))
    return out


def reallocate(model, budget: float | None = None, bounds=0.3, value: dict | None = None,
               response_label: str = "response", level: float = 0.95,
               target_roas: float | None = None) -> BudgetPlan:
    """The spend mix maximising the model's response for ``budget`` (default: current total).

    With ``target_roas`` instead of ``budget``: the largest-response mix within the bounds whose
    overall modelled ROAS (sum of ``value`` x response / total spend) is at least the target.
    """
    if target_roas is not None and budget not in (None, 0, 0.0):
        raise ParameterError("give either budget or target_roas, not both: the target ROAS sets "
                             "the total budget")
    channels = [c for c in model.channels_ if float(model.spend_[c].sum()) > 0]
    spend = np.array([float(model.spend_[c].sum()) for c in channels])
    current_total = float(spend.sum())
    if target_roas is not None:
        return _reallocate_to_target(model, channels, spend, float(target_roas), bounds, value,
                                     response_label, level)
    budget = current_total if budget in (None, 0, 0.0) else float(budget)
    if budget <= 0:
        raise ParameterError(f"budget={budget!r} must be positive")
    bnds = _bounds(channels, bounds)
    lo_total = sum(b[0] * s for b, s in zip(bnds, spend))
    hi_total = sum(b[1] * s for b, s in zip(bnds, spend))
    if not lo_total - 1e-6 <= budget <= hi_total + 1e-6:
        raise ParameterError(f"budget {fmt.money(budget)} cannot be reached within the bounds "
                             f"(possible: {fmt.money(lo_total)} to {fmt.money(hi_total)}); widen "
                             "the bounds or change the budget")
    val = np.array([(value or {}).get(c, 1.0) for c in channels], dtype=float)

    def total(m):
        return float(sum(v * model.response(c, mm)[0] for c, v, mm in zip(channels, val, m)))

    def grad(m):
        return np.array([v * model.response_gradient(c, mm)[0] for c, v, mm in zip(channels, val, m)])

    # start: the current mix scaled to the budget, pushed into the bounds
    m0 = np.full(len(channels), budget / current_total)
    m0 = np.clip(m0, [b[0] for b in bnds], [b[1] for b in bnds])
    for _ in range(50):
        gap = budget - float(m0 @ spend)
        if abs(gap) < 1e-6 * budget:
            break
        free = np.array([(b[1] - mm > 1e-12) if gap > 0 else (mm - b[0] > 1e-12) for b, mm in zip(bnds, m0)])
        if not free.any():
            break
        m0 = np.clip(m0 + free * gap / float(spend[free].sum()), [b[0] for b in bnds], [b[1] for b in bnds])
    base = total(m0)
    scale = max(abs(base), 1e-9)
    res = minimize(lambda m: -total(m) / scale, m0, jac=lambda m: -grad(m) / scale, method="SLSQP",
                   bounds=bnds, constraints=[{"type": "eq", "fun": lambda m: (m @ spend - budget) / budget,
                                              "jac": lambda m: spend / budget}],
                   options={"maxiter": 200, "ftol": 1e-12})
    m = np.clip(res.x, [b[0] for b in bnds], [b[1] for b in bnds])
    ok = abs(float(m @ spend) - budget) <= 1e-6 * budget
    if not ok or total(m) < base:
        m = m0
    return _plan(model, channels, spend, bnds, val, m0, m, budget, response_label, level)


def _plan(model, channels, spend, bnds, val, m0, m, budget, response_label, level,
          target_roas=None) -> BudgetPlan:
    """The plan for multipliers ``m`` against the starting mix ``m0``, with its interval."""
    current_total = float(spend.sum())

    def total(mult):
        return float(sum(v * model.response(c, mm)[0] for c, v, mm in zip(channels, val, mult)))

    base = total(m0)
    rows = []
    unit_new = np.array([model.response(c, mm, coef=1.0)[0] for c, mm in zip(channels, m)])
    unit_old = np.array([model.response(c, mm, coef=1.0)[0] for c, mm in zip(channels, m0)])
    for i, c in enumerate(channels):
        r_old = val[i] * model.response(c, m0[i])[0]
        r_new = val[i] * model.response(c, m[i])[0]
        rows.append({"channel": c, "current_spend": spend[i], "proposed_spend": m[i] * spend[i],
                     "change": m[i] * spend[i] - spend[i], "change_pct": m[i] - 1.0,
                     "bound_low": bnds[i][0] * spend[i], "bound_high": bnds[i][1] * spend[i],
                     "current_response": r_old, "proposed_response": r_new,
                     "response_change": r_new - r_old})
    table = pd.DataFrame(rows)
    boot = model.bootstrap_coef_[channels].to_numpy()
    deltas = boot @ (val * (unit_new - unit_old))
    q = (1 - level) / 2
    plan = BudgetPlan(table, budget, current_total, base, total(m),
                      float(np.quantile(deltas, q)), float(np.quantile(deltas, 1 - q)),
                      response_label)
    if target_roas is not None:
        plan.target_roas = target_roas
        plan.current_roas = base / float(m0 @ spend)
        plan.proposed_roas = plan.proposed_response / float(m @ spend)
    return plan


def _reallocate_to_target(model, channels, spend, target, bounds, value, response_label,
                          level) -> BudgetPlan:
    """Target-ROAS mode: the largest-response mix within the bounds with ROAS >= ``target``."""
    if not np.isfinite(target) or target <= 0:
        raise ParameterError(f"target_roas={target!r} must be a positive ratio such as 1.2 "
                             "(modelled revenue per yuan of spend)")
    bnds = _bounds(channels, bounds)
    lo = np.array([b[0] for b in bnds])
    hi = np.array([b[1] for b in bnds])
    val = np.array([(value or {}).get(c, 1.0) for c in channels], dtype=float)
    n = len(channels)

    def resp(i, mm):
        return val[i] * float(model.response(channels[i], mm)[0])

    def dresp(i, mm):
        return val[i] * float(model.response_gradient(channels[i], mm)[0])

    # each channel's response on a grid over its bounds: the global start of the 1-D problems
    grids = [np.linspace(lo[i], hi[i], 121) for i in range(n)]
    grid_r = [val[i] * model.response(channels[i], grids[i]) for i in range(n)]

    def best_m(i, lam):
        """The multiplier maximising response_i - lam * spend_i within the bounds."""
        g, r = grids[i], grid_r[i]
        obj = r - lam * spend[i] * g
        k = int(np.argmax(obj))
        m_best, v_best = float(g[k]), float(obj[k])
        for a, b in ((k - 1, k), (k, k + 1)):
            if a < 0 or b >= len(g):
                continue
            fa = dresp(i, g[a]) - lam * spend[i]
            fb = dresp(i, g[b]) - lam * spend[i]
            if fa > 0 > fb:  # marginal ROAS crosses lam inside the interval
                x = brentq(lambda mm: dresp(i, mm) - lam * spend[i], g[a], g[b], xtol=1e-15,
                           rtol=4 * np.finfo(float).eps)
                v = resp(i, x) - lam * spend[i] * x
                if v > v_best:
                    m_best, v_best = x, v
        return m_best

    def mix(lam):
        return np.array([best_m(i, lam) for i in range(n)])

    def revenue(m):
        return float(sum(resp(i, m[i]) for i in range(n)))

    def roas(m):
        return revenue(m) / float(m @ spend)

    m_cur = np.ones(n)
    if roas(hi) >= target:  # the most response the bounds allow already meets the target
        m = hi
    else:
        # the best ROAS within the bounds (Dinkelbach: r <- ROAS of argmax response - r * spend)
        r = roas(lo) if float(lo @ spend) > 0 else 0.0
        for _ in range(100):
            mm = mix(r)
            if float(mm @ spend) <= 0:
                break
            r_new = roas(mm)
            if r_new <= r * (1 + 1e-13):
                r = max(r, r_new)
                break
            r = r_new
        if target > r * (1 + 1e-12):
            raise ParameterError(
                f"target_roas {target:.4g} cannot be reached within the bounds: the best modelled "
                f"ROAS achievable within them is {r:.4g} (current mix: {roas(m_cur):.4g}); lower "
                "the target or widen the bounds")

        def slack(m):
            return revenue(m) - target * float(m @ spend)

        lam_lo, lam_hi = 0.0, target  # slack(mix(lam)) rises with lam; >= 0 at lam = target
        m = mix(lam_hi)
        if slack(mix(lam_lo)) >= 0:
            m = mix(lam_lo)
        else:
            for _ in range(200):
                mid = 0.5 * (lam_lo + lam_hi)
                if mid <= lam_lo or mid >= lam_hi or lam_hi - lam_lo < 1e-14 * target:
                    break
                mm = mix(mid)
                if slack(mm) >= 0:
                    lam_hi, m = mid, mm
                else:
                    lam_lo = mid
        # polish: SLSQP from the multiplier's plan, kept only if feasible and better
        scale = max(abs(revenue(m)), 1e-9)
        res = minimize(lambda x: -revenue(x) / scale, m,
                       jac=lambda x: -np.array([dresp(i, x[i]) for i in range(n)]) / scale,
                       method="SLSQP", bounds=list(zip(lo, hi)),
                       constraints=[{"type": "ineq", "fun": lambda x: slack(x) / scale,
                                     "jac": lambda x: (np.array([dresp(i, x[i]) for i in range(n)])
                                                       - target * spend) / scale}],
                       options={"maxiter": 200, "ftol": 1e-14})
        x = np.clip(res.x, lo, hi)
        if roas(x) >= target and revenue(x) > revenue(m):
            m = x
    return _plan(model, channels, spend, bnds, val, m_cur, np.asarray(m, dtype=float),
                 float(np.asarray(m) @ spend), response_label, level, target_roas=target)


def response_text(label: str, lang: str = "en") -> str:
    """The response label in ``lang`` ('D30 revenue' -> 'D30 收入')."""
    tr = Translator(lang)
    m = re.fullmatch(r"D(\d+) revenue", label)
    return tr("D{k} revenue", k=int(m.group(1))) if m else tr(label)
