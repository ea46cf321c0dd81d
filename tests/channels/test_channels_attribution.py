import numpy as np
import pandas as pd
import pytest

from opsnb.channels import attribution as A
from opsnb.data.window import resolve_window


def credit(res, model, what="conversions"):
    c = res.credit[res.credit["model"] == model]
    return dict(zip(c["channel"], c[what]))


@pytest.fixture
def hand():
    # J1 A (conv 100) | J2 A>B (conv 50) | J3 B>A>A>C (conv 200) | J4 C (no conversion) | J5 no touch (conv 10)
    paths = [["A"], ["A", "B"], ["B", "A", "A", "C"], ["C"], []]
    conv = [True, True, True, False, True]
    values = [100.0, 50.0, 200.0, 0.0, 10.0]
    days = [[0.0], [1.0, 0.0], [3.0, 2.0, 1.0, 0.0], [0.0], []]
    return A.Journeys.from_paths(paths, conv, values, days)


def test_rule_based_models_by_hand(hand):
    res = A.attribute(hand, ["first", "last", "linear", "position", "time_decay"], half_life_days=1.0)
    D = A.DIRECT
    assert credit(res, "first") == pytest.approx({"A": 2, "B": 1, "C": 0, D: 1})
    assert credit(res, "first", "revenue") == pytest.approx({"A": 150, "B": 200, "C": 0, D: 10})
    assert credit(res, "last") == pytest.approx({"A": 1, "B": 1, "C": 1, D: 1})
    assert credit(res, "last", "revenue") == pytest.approx({"A": 100, "B": 50, "C": 200, D: 10})
    # linear: J2 halves, J3 quarters (A touched twice gets two quarters)
    assert credit(res, "linear") == pytest.approx({"A": 2.0, "B": 0.75, "C": 0.25, D: 1})
    assert credit(res, "linear", "revenue") == pytest.approx({"A": 225, "B": 75, "C": 50, D: 10})
    # position 40/20/40: one touch gets all, two split 50/50, J3: .4 / .1 / .1 / .4
    assert credit(res, "position") == pytest.approx({"A": 1.7, "B": 0.9, "C": 0.4, D: 1})
    assert credit(res, "position", "revenue") == pytest.approx({"A": 165, "B": 105, "C": 80, D: 10})
    # time decay, half-life 1 day: J2 weights 1/2, 1 -> 1/3, 2/3; J3 1/8, 1/4, 1/2, 1 over 15/8
    td = credit(res, "time_decay")
    assert td == pytest.approx({"A": 1 + 1 / 3 + 0.75 / 1.875, "B": 2 / 3 + 0.125 / 1.875,
                                "C": 1 / 1.875, D: 1})
    for m in res.models:  # every model sums to the totals
        c = res.credit[res.credit["model"] == m]
        assert c["conversions"].sum() == pytest.approx(4)
        assert c["revenue"].sum() == pytest.approx(360)


def test_shapley_by_hand():
    # sets: {A} 2 journeys 1 conversion; {B} 2 journeys 0; {A,B} 1 journey 1 conversion
    j = A.Journeys.from_paths([["A"], ["A"], ["B"], ["B"], ["A", "B"]], [True, False, False, False, True])
    conv, _ = A.shapley_credit(j, min_journeys=1)
    # v(A)=.5, v(B)=0, v(AB)=1: phi_A = .5*.5 + .5*(1-0) = .75, phi_B = .5*0 + .5*(1-.5) = .25
    assert conv == pytest.approx([2 * 0.75, 2 * 0.25])
    # a worse pair is raised to its best subset: v(AB) = max(0, .5, 0) -> B adds nothing
    j = A.Journeys.from_paths([["A"], ["A"], ["B"], ["B"], ["A", "B"], ["A", "B"], ["A", "B"]],
                              [True, False, False, False, False, False, False])
    conv, _ = A.shapley_credit(j, min_journeys=1)
    assert conv == pytest.approx([1.0, 0.0])


def _fundamental_matrix_removal(paths, converted, collapse):
    """Independent: transitions by a plain loop; removal deletes the state (its inflow -> null)."""
    names = sorted({c for p in paths for c in p})
    states = ["start"] + names
    T = len(states)
    cnt = np.zeros((T, T + 2))  # to transient states, then conv, null
    for p, cv in zip(paths, converted):
        seq = [c for i, c in enumerate(p) if not (collapse and i and p[i - 1] == c)]
        prev = 0
        for c in seq:
            cnt[prev, states.index(c)] += 1
            prev = states.index(c)
        cnt[prev, T if cv else T + 1] += 1
    P = cnt / cnt.sum(axis=1, keepdims=True)

    def p_conv(drop=None):
        keep = [i for i in range(T) if i != drop]
        Q = P[np.ix_(keep, keep)]
        R = P[keep][:, [T]]  # inflow to the dropped state is simply lost (goes to null)
        N = np.linalg.inv(np.eye(len(keep)) - Q)
        return (N @ R)[0, 0]

    base = p_conv()
    return base, {c: 1 - p_conv(states.index(c)) / base for c in names}


@pytest.mark.parametrize("collapse", [True, False])
def test_markov_removal_equals_fundamental_matrix(collapse):
    rng = np.random.default_rng(5)
    chans = ["抖音", "微信", "search", "小红书"]
    paths = [list(rng.choice(chans, size=rng.integers(1, 6))) for _ in range(300)]
    conv = list(rng.random(300) < 0.35)
    j = A.Journeys.from_paths(paths, conv)
    chain = A.markov_chain(j, collapse_repeats=collapse)
    base, effects = _fundamental_matrix_removal(paths, conv, collapse)
    assert chain.conversion_probability == pytest.approx(base, abs=1e-9)
    for c, e in effects.items():
        assert chain.removal_effects[c] == pytest.approx(e, abs=1e-9)
    naive = A.naive_markov_removal_effects(paths, conv, collapse)
    for c, e in effects.items():
        assert naive[c] == pytest.approx(e, abs=1e-9)
    res = A.attribute(j, ["markov"], collapse_repeats=collapse)
    assert res.credit["conversions"].sum() == pytest.approx(sum(conv))


def test_markov_by_hand_two_paths():
    # A -> conv, B -> null: P(conv) = 1/2; removing A -> 0 (effect 1); removing B -> 1/2 (effect 0)
    j = A.Journeys.from_paths([["A"], ["B"]], [True, False])
    ch = A.markov_chain(j)
    assert ch.conversion_probability == pytest.approx(0.5)
    assert ch.removal_effects.to_dict() == pytest.approx({"A": 1.0, "B": 0.0})


USERS = """user_id,signup_at,channel,campaign,region,device,age_band,gender
u1,2026-01-01 00:00:00,抖音,,华东,ios,25-34,f
u2,2026-01-01 06:00:00,微信,,华东,ios,25-34,m
u3,2026-01-02 06:00:00,organic,,华东,ios,25-34,m
"""
EVENTS = """user_id,event_at,event,revenue
u1,2026-01-01 00:00:00,session_start,0
u1,2026-01-03 10:00:00,purchase,80
u1,2026-01-05 10:00:00,purchase,20
u2,2026-01-01 06:00:00,session_start,0
u3,2026-01-02 06:00:00,session_start,0
u3,2026-01-10 23:30:00,session_start,0
"""
TOUCH = """user_id,touch_at,channel
u1,2025-12-31 20:00:00,微信
u1,2025-12-31 23:00:00,抖音
u1,2026-01-04 09:00:00,抖音
u2,2025-12-31 22:00:00,微信
u2,2025-10-01 22:00:00,抖音
"""


def test_paths_from_tables_set_aside_after_conversion(tables):
    src = tables(users=USERS, events=EVENTS, touchpoints=TOUCH)
    w = resolve_window(src)
    j = A.journeys_from_source(src, w, "purchase", lookback_days=30)
    assert j.n_journeys == 3 and j.n_conversions == 1 and j.total_value == pytest.approx(80)
    reasons = {s.reason.split(" ")[1]: s.n_rows for s in j.set_aside}
    assert sum(s.n_rows for s in j.set_aside) == 2   # one after conversion, one older than 30 days
    assert any("after the user's conversion" in s.reason for s in src.set_aside)
    assert reasons
    paths = j.paths_frame().set_index("path")
    assert paths.loc["微信 > 抖音", "conversions"] == 1       # u1, converting path in time order
    assert paths.loc["微信", "conversions"] == 0              # u2, non-converting
    assert paths.loc[A.DIRECT, "journeys"] == 1               # u3: no touchpoints
    last = A.attribute(j, ["last"]).credit.set_index("channel")
    assert last.loc["抖音", "revenue"] == pytest.approx(80)
