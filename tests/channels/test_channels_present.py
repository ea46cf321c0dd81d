"""The budget table of the Channel ROI report reads as money and signed changes."""

from types import SimpleNamespace

import pandas as pd

from opsnb.channels.budget import BudgetPlan
from opsnb.channels.present import ChannelROIPresentation


def plan():
    t = pd.DataFrame({"channel": ["a", "b"], "current_spend": [100.0, 100.0],
                      "proposed_spend": [70.0, 130.0], "change": [-30.0, 30.0],
                      "change_pct": [-0.3, 0.3], "current_response": [50.0, 60.0],
                      "proposed_response": [40.0, 80.0], "response_change": [-10.0, 20.0]})
    return BudgetPlan(t, 200.0, 200.0, 110.0, 120.0, 2.0, 15.0, "D30 revenue")


def test_budget_table_headers_say_what_the_response_is_and_changes_carry_a_sign():
    me = SimpleNamespace(plan=plan(), roas_horizon_days=30)
    en = ChannelROIPresentation.show_budget(me, "en")[-1].data
    assert ">modelled D30 revenue, now<" in en and ">modelled D30 revenue, proposed<" in en
    assert ">spend change<" in en and "response" not in en
    assert ">+30.0%<" in en and ">-30.0%<" in en
    zh = ChannelROIPresentation.show_budget(me, "zh")[-1].data
    assert ">当前模型预估 D30 收入<" in zh and ">建议方案模型预估 D30 收入<" in zh
    assert ">花费变化<" in zh and ">+30.0%<" in zh
