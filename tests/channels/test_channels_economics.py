import pandas as pd
import pytest

from opsnb.channels.economics import unit_economics
from opsnb.data.window import resolve_window
from opsnb.errors import DataError

USERS = """user_id,signup_at,channel,campaign,region,device,age_band,gender
a1,2026-01-01 00:00:00,A,,华东,ios,25-34,f
a2,2026-01-01 12:00:00,A,,华东,ios,25-34,m
o1,2026-01-02 00:00:00,organic,,华东,ios,25-34,m
"""
EVENTS = """user_id,event_at,event,revenue
a1,2026-01-01 00:00:00,session_start,0
a1,2026-01-03 10:00:00,purchase,30
a1,2026-01-20 10:00:00,purchase,20
a2,2026-01-01 12:00:00,session_start,0
o1,2026-01-02 00:00:00,session_start,0
o1,2026-03-15 23:30:00,session_start,0
"""
SPEND = """date,channel,spend,impressions,clicks
2026-01-01,A,25,1000,10
2026-01-02,A,15,1000,10
"""


def test_unit_economics_by_hand(tables):
    src = tables(users=USERS, events=EVENTS, spend=SPEND)
    w = resolve_window(src)
    ue = unit_economics(src, w, ltv_horizon_days=60, min_cohort_users=1)
    a = ue.table.set_index("channel").loc["A"]
    assert a["cac"] == pytest.approx(20)                 # 40 / 2 users
    assert a["ctr"] == pytest.approx(0.01) and a["cpc"] == pytest.approx(2)
    assert a["first_purchase_conversion"] == pytest.approx(0.5)
    assert a["roas_d7"] == pytest.approx(30 / 40)        # day 2 purchase only
    assert a["roas_d30"] == pytest.approx(50 / 40)       # + the day-19 purchase
    assert pd.isna(a["roas_d90"])                    # 90 days not observed
    assert a["payback_days"] == 20                       # 15 per user by day 3, 25 >= 20 on day 20
    assert a["ltv_observed"] == pytest.approx(25)
    o = ue.table.set_index("channel").loc["organic"]
    assert not o["paid"] and pd.isna(o["cac"]) and pd.isna(o["roas_d30"]) and o["payback"] == "–"
    assert any("organic" in n.render() and "no spend rows" in n.render() for n in ue.notes)
    h = ue.headline()
    assert h["blended_cac"] == pytest.approx(40 / 3) and h["best_channel"] == "A"


def test_spend_but_no_users_is_reported(tables):
    spend = SPEND + "2026-01-01,douyin,100,10,1\n"
    src = tables(users=USERS, events=EVENTS, spend=spend)
    ue = unit_economics(src, resolve_window(src), min_cohort_users=1)
    d = ue.table.set_index("channel").loc["douyin"]
    assert d["new_users"] == 0 and pd.isna(d["cac"])
    assert any(n.render("en").startswith("douyin (¥100): spend but no users") for n in ue.notes)


def test_zero_total_spend_is_a_data_error(tables):
    src = tables(users=USERS, events=EVENTS, spend="date,channel,spend\n2026-01-01,A,0\n")
    with pytest.raises(DataError, match="total spend .* is zero") as e:
        unit_economics(src, resolve_window(src))
    assert e.value.table == "spend"


def test_sample_roas_ordering_matches_planted_truth(sample_source, truth):
    """The planted ROAS D30 order is recovered in full, every pair well outside sampling error.

    Planted (seed 7): 微信 1.60 > search_ads 0.79 > 小红书 0.39 > app_store_ads 0.21 > 抖音 0.10.
    Each pair's gap exceeds 3 standard errors of the estimated difference, so all 10 are tested.
    """
    w = resolve_window(sample_source)
    ue = unit_economics(sample_source, w).table.set_index("channel")
    ch = truth["channels"]
    paid = [c for c in ch if ch[c]["paid"]]
    tested = []
    for a in paid:
        for b in paid:
            gap = ch[a]["expected_roas_d30"] - ch[b]["expected_roas_d30"]
            se = (ue.loc[a, "roas_d30_se"] ** 2 + ue.loc[b, "roas_d30_se"] ** 2) ** 0.5
            if gap > 3 * se:
                tested.append((a, b))
                assert ue.loc[a, "roas_d30"] > ue.loc[b, "roas_d30"], (a, b)
    assert len(tested) == 10
    order = ue.loc[paid, "roas_d30"].sort_values(ascending=False).index.tolist()
    assert order == truth["roas_d30_order"] == ["微信", "search_ads", "小红书", "app_store_ads", "抖音"]
    for c in paid:   # and each estimate within 4 SE of the planted value
        assert abs(ue.loc[c, "roas_d30"] - ch[c]["expected_roas_d30"]) < 4 * ue.loc[c, "roas_d30_se"]


def _subtitle(ax) -> str:
    return " ".join(t.get_text().replace("\n", " ") for t in ax.texts if "CAC by day" in t.get_text()
                    .replace("\n", " "))


@pytest.mark.parametrize("start, end", [("2026-10-22", "2026-10-31"), ("", "")])
def test_payback_subtitle_says_how_far_the_lines_go(sample_source, start, end):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    w = resolve_window(sample_source, start, end)
    ue = unit_economics(sample_source, w)
    ax = ue.plot_payback()
    text = _subtitle(ax)
    plt.close("all")
    paid = set(ue.paid["channel"])
    c = ue.curves[ue.curves["channel"].isin(paid)]
    obs_to = c[~c["projected"]].groupby("channel")["day"].max() + 1
    if c["projected"].any():
        assert "dotted: projected" in text
    elif obs_to.min() >= ue.ltv_horizon_days:
        assert "observed throughout" in text
    else:
        assert f"up to day {obs_to.max()}: too few days observed to project to day 180" in text
    if start:   # ten days of sign-ups cannot show 180 days of revenue
        assert obs_to.max() <= 10 and "observed throughout" not in text
