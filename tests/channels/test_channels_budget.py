"""Budget reallocation, target-ROAS mode: the largest-response mix whose ROAS meets the target.

A small model with known Hill responses (closed form per channel) checks the Lagrange-multiplier
solution against SLSQP on the same problem.
"""

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize

from opsnb import ParameterError
from opsnb.channels import channel_roi
from opsnb.channels.budget import reallocate
from opsnb.channels.present import plan_sentences


class HillModel:
    """Response of channel c at multiplier m: beta * x^s / (x^s + k^s) with x = m * spend."""

    def __init__(self, params):
        self.params = params  # channel -> (spend, beta, k, s)
        self.channels_ = list(params)
        self.spend_ = pd.DataFrame({c: [p[0]] for c, p in params.items()})
        rng = np.random.default_rng(0)
        betas = np.array([p[1] for p in params.values()])
        self.bootstrap_coef_ = pd.DataFrame(betas * (1 + 0.05 * rng.standard_normal((50, len(betas)))),
                                            columns=self.channels_)

    def response(self, c, multiplier=1.0, coef=None):
        spend, beta, k, s = self.params[c]
        x = np.atleast_1d(np.asarray(multiplier, dtype=float)) * spend
        return (beta if coef is None else coef) * x**s / (x**s + k**s)

    def response_gradient(self, c, multiplier=1.0):
        spend, beta, k, s = self.params[c]
        x = np.atleast_1d(np.asarray(multiplier, dtype=float)) * spend
        return beta * s * x ** (s - 1) * k**s / (x**s + k**s) ** 2 * spend


CONCAVE = HillModel({"a": (1000.0, 3000.0, 800.0, 1.0), "b": (2000.0, 2500.0, 1500.0, 0.8),
                     "c": (1500.0, 1200.0, 3000.0, 1.0), "d": (500.0, 900.0, 200.0, 0.7)})
S_SHAPED = HillModel({"a": (1000.0, 3000.0, 800.0, 1.6), "b": (2000.0, 2500.0, 1500.0, 2.0),
                      "c": (1500.0, 1200.0, 1000.0, 1.3)})
VALUE = {"a": 1.0, "b": 1.2, "c": 0.9, "d": 1.5}


def revenue_roas(model, plan, value):
    t = plan.table.set_index("channel")
    rev = sum(value.get(c, 1.0) * model.response(c, t.loc[c, "proposed_spend"] / t.loc[c, "current_spend"])[0]
              for c in t.index)
    return rev, rev / t["proposed_spend"].sum()


def slsqp(model, target, bounds, value):
    """SLSQP on the same problem, started from the current mix."""
    ch = model.channels_
    sp = np.array([model.params[c][0] for c in ch])
    v = np.array([value.get(c, 1.0) for c in ch])
    rev = lambda m: float(sum(v[i] * model.response(c, m[i])[0] for i, c in enumerate(ch)))  # noqa: E731
    grad = lambda m: np.array([v[i] * model.response_gradient(c, m[i])[0] for i, c in enumerate(ch)])  # noqa: E731
    res = minimize(lambda m: -rev(m) / 1e3, np.ones(len(ch)), jac=lambda m: -grad(m) / 1e3,
                   method="SLSQP", bounds=[(1 - bounds, 1 + bounds)] * len(ch),
                   constraints=[{"type": "ineq", "fun": lambda m: (rev(m) - target * (m @ sp)) / 1e3,
                                 "jac": lambda m: (grad(m) - target * sp) / 1e3}],
                   options={"maxiter": 500, "ftol": 1e-14})
    m = np.clip(res.x, 1 - bounds, 1 + bounds)
    assert rev(m) >= target * (m @ sp) * (1 - 1e-6)
    return rev(m)


@pytest.mark.parametrize("model", [CONCAVE, S_SHAPED], ids=["concave", "s-shaped"])
def test_target_roas_plan_meets_target_within_bounds_and_beats_slsqp(model):
    spend = np.array([model.params[c][0] for c in model.channels_])
    current = sum(VALUE[c] * model.response(c, 1.0)[0] for c in model.channels_) / spend.sum()
    for target in (0.9 * current, current, 1.05 * current):
        plan = reallocate(model, bounds=0.3, value=VALUE, target_roas=target,
                          response_label="D30 revenue")
        t = plan.table
        rev, roas = revenue_roas(model, plan, VALUE)
        assert roas >= target - 1e-6 * target
        assert plan.proposed_roas == pytest.approx(roas, rel=1e-12)
        assert (t["proposed_spend"] >= 0.7 * t["current_spend"] - 1e-9).all()
        assert (t["proposed_spend"] <= 1.3 * t["current_spend"] + 1e-9).all()
        assert plan.budget == pytest.approx(t["proposed_spend"].sum(), rel=1e-12)
        assert rev >= slsqp(model, target, 0.3, VALUE) * (1 - 1e-6)
        assert plan.proposed_response == pytest.approx(rev, rel=1e-12)
        assert plan_sentences(plan)[0].startswith("For an overall modelled ROAS of at least")
        assert plan.change_low <= plan.change_high
    # a lower target allows a larger budget; the current mix meeting the target may spend more
    plan = reallocate(model, bounds=0.3, value=VALUE, target_roas=0.9 * current)
    assert plan.budget > spend.sum()
    assert plan.proposed_response > plan.baseline_response


def test_concave_target_binds_with_equal_marginal_roas():
    """Where the constraint binds, every channel inside its bounds has the same marginal ROAS."""
    m = CONCAVE
    spend = {c: m.params[c][0] for c in m.channels_}
    cur = sum(VALUE[c] * m.response(c, 1.0)[0] for c in m.channels_) / sum(spend.values())
    plan = reallocate(m, bounds=0.3, value=VALUE, target_roas=1.02 * cur)
    _, roas = revenue_roas(m, plan, VALUE)
    assert roas == pytest.approx(1.02 * cur, rel=1e-9)
    t = plan.table.set_index("channel")
    mult = t["proposed_spend"] / t["current_spend"]
    inside = [c for c in m.channels_ if 0.7 + 1e-6 < mult[c] < 1.3 - 1e-6]
    assert inside
    mroas = [VALUE[c] * m.response_gradient(c, mult[c])[0] / spend[c] for c in inside]
    assert max(mroas) == pytest.approx(min(mroas), rel=1e-6)


def test_loose_target_spends_the_upper_bounds():
    plan = reallocate(CONCAVE, bounds=0.3, value=VALUE, target_roas=0.01)
    t = plan.table
    np.testing.assert_allclose(t["proposed_spend"], 1.3 * t["current_spend"], rtol=1e-12)


def test_unreachable_target_names_the_best_roas():
    m = CONCAVE
    # the best ROAS within the bounds, by brute force over a grid of multipliers
    grid = np.linspace(0.7, 1.3, 61)
    g = np.meshgrid(*[grid] * 4, indexing="ij")
    rev = sum(VALUE[c] * m.response(c, g[i].ravel()) for i, c in enumerate(m.channels_))
    sp = sum(m.params[c][0] * g[i].ravel() for i, c in enumerate(m.channels_))
    best = float((rev / sp).max())
    with pytest.raises(ParameterError, match="best modelled ROAS achievable within them is") as e:
        reallocate(m, bounds=0.3, value=VALUE, target_roas=1.5 * best)
    shown = float(str(e.value).split("within them is ")[1].split(" ")[0])
    assert shown == pytest.approx(best, rel=1e-3)
    assert shown >= best * (1 - 1e-9)  # the grid cannot beat the exact optimum
    # just below the best ROAS is still reachable
    plan = reallocate(m, bounds=0.3, value=VALUE, target_roas=0.999 * best)
    assert revenue_roas(m, plan, VALUE)[1] >= 0.999 * best * (1 - 1e-9)


def test_budget_and_target_roas_are_exclusive():
    with pytest.raises(ParameterError, match="either budget or target_roas"):
        reallocate(CONCAVE, budget=5000.0, target_roas=1.0)
    with pytest.raises(ParameterError, match="either budget or target_roas"):
        channel_roi(budget=100000.0, target_roas=0.5)
    with pytest.raises(ParameterError, match="target_roas"):
        channel_roi(target_roas=-1.0)


def test_channel_roi_target_roas_on_the_sample():
    """Wired through the report: the plan meets the target and states it, in English and Chinese."""
    r = channel_roi(seed=0, n_bootstrap=30, target_roas=0.42)
    p = r.plan
    assert p.target_roas == 0.42 and p.proposed_roas >= 0.42 * (1 - 1e-9)
    t = p.table
    assert (t["proposed_spend"] >= 0.7 * t["current_spend"] - 1e-6).all()
    assert (t["proposed_spend"] <= 1.3 * t["current_spend"] + 1e-6).all()
    assert p.to_dict()["target_roas"] == 0.42
    assert plan_sentences(p, "en")[0].startswith("For an overall modelled ROAS of at least 42.0%")
    assert "target ROAS 42.0%" in r.headline_items("en")[-1][2]
    # the language is a presentation argument: the same report, shown in Chinese
    assert plan_sentences(p, "zh")[0].startswith("要使整体模型预估 ROAS 不低于 42.0%")
    assert "目标 ROAS" in r.headline_items("zh")[-1][2]
    assert "sentences" not in p.to_dict()  # the plan holds numbers; the summary adds English
    assert r.summary()["reallocation"]["sentences"] == plan_sentences(p, "en")
