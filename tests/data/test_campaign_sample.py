"""The campaign-impact sample (data/sample/campaigns/): its planted truth, seen in its tables."""

from __future__ import annotations

import filecmp
import json

import numpy as np
import pandas as pd
import pytest

from opsnb.data import campaign_sample as cs
from opsnb.data.sample import generate
from opsnb.data.source import default_sample_dir

FOLDER = default_sample_dir() / "campaigns"
DAY = pd.Timedelta(days=1)


@pytest.fixture(scope="module")
def data():
    truth = json.loads((FOLDER / "truth.json").read_text(encoding="utf-8"))
    users = pd.read_csv(FOLDER / "users.csv")
    ev = pd.read_parquet(FOLDER / "events.parquet")
    sessions = ev[ev["event"] == "session_start"]
    sessions = sessions.assign(day=sessions["event_at"].dt.normalize()).merge(
        users[["user_id", "region"]], on="user_id")
    dau = sessions.groupby(["day", "region"]).size().unstack(fill_value=0)
    return truth, users, ev, sessions, dau


def test_regions_sizes_and_dau(data):
    truth, users, _, sessions, dau = data
    assert len(dau.columns) == 24 and set(dau.columns) == set(cs.PROVINCES)
    assert sessions.groupby(["user_id", "day"]).size().max() == 1  # one session_start a day
    mean = dau.mean()
    assert 40 < mean.min() and mean.max() < 400 and mean.max() / mean.min() > 2
    assert len(dau) == cs.DAYS and truth["n_users"] == len(users)


def test_regional_push_lift_is_seen_within_noise(data):
    truth, _, _, _, dau = data
    z = truth["C-ZJ-PUSH"]
    start, end = pd.Timestamp(z["start"]), pd.Timestamp(z["end"])
    during, pre = dau.loc[start:end], dau.loc[start - 28 * DAY:start - DAY]
    zj = cs.TREATED_REGION
    assert during[zj].sum() == z["realised_treated_user_days"]
    other = dau.columns != zj
    did = (during[zj].sum() / pre[zj].sum()) / (
        during.loc[:, other].to_numpy().sum() / pre.loc[:, other].to_numpy().sum()) - 1
    # planted x1.12; the cap at 0.95 and the always-active sign-up days make it a bit less
    assert 0.09 < z["expected_relative_lift"] < 0.12
    # a difference in differences against the other 23 provinces: their placebo spread is ~0.035
    assert abs(did - z["expected_relative_lift"]) < 0.06
    # realised (common random numbers) against expected: within 4 sd of a sum of Bernoullis
    gap = z["realised_extra_user_days"] - z["expected_extra_user_days"]
    assert abs(gap) < 4 * np.sqrt(z["expected_extra_user_days"])
    assert z["realised_extra_user_days"] == sum(z["realised_extra_user_days_per_day"])


def test_brand_day_lift_against_the_same_weekdays(data):
    truth, _, _, _, dau = data
    b = truth["C-BRAND-DAY"]
    total = dau.sum(axis=1)
    s, e = pd.Timestamp(b["start"]), pd.Timestamp(b["end"])
    ref = np.mean([total.loc[s + k * DAY:e + k * DAY].sum() for k in (-14, -7, 7, 14)])
    assert abs(total.loc[s:e].sum() / ref - 1 - b["expected_relative_lift"]) < 0.05
    assert b["treated"] == "all" and 2 <= b["days"] <= 3


def test_checkin_participants_self_select(data):
    truth, _, ev, sessions, _ = data
    c = truth["C-CHECKIN"]
    start, end = pd.Timestamp(c["start"]), pd.Timestamp(c["end"])
    checks = ev[ev["event"] == "checkin"]
    assert checks["event_at"].between(start, end + DAY).all()
    part = set(checks["user_id"])
    assert len(part) == c["participants"]
    pre = sessions[(sessions["day"] >= start - 28 * DAY) & (sessions["day"] < start)]
    share = pre.groupby("user_id").size() / 28
    during = set(sessions[(sessions["day"] >= start) & (sessions["day"] <= end)]["user_id"])
    p = share.reindex(sorted(part)).fillna(0).mean()
    o = share.reindex(sorted(during - part)).fillna(0).mean()
    assert p == pytest.approx(c["pre_active_share_participants"], abs=1e-6)
    assert p - o > 0.1  # participants were more active before: self-selection
    a = c["after"]
    assert a["naive_difference_active_days_expected"] > 2 * a["att_active_days"] > 0
    assert abs(a["realised_att_active_days"] - a["att_active_days"]) < 0.15
    assert a["window"] == [str((end + DAY).date()), str((end + 14 * DAY).date())]
    # no other campaign during the check-in or its after window
    for other in ("C-ZJ-PUSH", "C-BRAND-DAY"):
        o_start = pd.Timestamp(truth[other]["start"])
        o_end = pd.Timestamp(truth[other]["end"])
        assert o_end < start or o_start > end + 28 * DAY


def test_promo_season_confounds_spend_and_signups(data):
    truth, users, _, _, _ = data
    ctl = pd.read_csv(FOLDER / "controls.csv").pivot(index="date", columns="name",
                                                     values="value")
    assert list(ctl.columns) == ["holiday", "price_index", "promo_season"]
    assert len(ctl) == cs.DAYS and not ctl.isna().any().any()
    assert ctl.loc["2026-02-17", "holiday"] == 1 and ctl.loc["2026-02-28", "holiday"] == 0
    spend = pd.read_csv(FOLDER / "spend.csv")
    douyin = spend[spend["channel"] == "抖音"].set_index("date")["spend"]
    season = ctl["promo_season"]
    assert np.corrcoef(season.loc[douyin.index], douyin)[0, 1] > 0.3
    u = users.assign(day=pd.to_datetime(users["signup_at"]).dt.strftime("%Y-%m-%d"))
    u = u[u["day"] >= cs.START.strftime("%Y-%m-%d")]
    organic = u[u["channel"] == "organic"].groupby("day").size().reindex(season.index,
                                                                         fill_value=0)
    assert np.corrcoef(season, organic)[0, 1] > 0.3
    mix = truth["mix"]["channels"]
    assert {c: mix[c]["signups"] for c in mix} == u["channel"].value_counts().to_dict()
    for c in cs.PAID:
        total = spend.loc[spend["channel"] == c, "spend"].sum()
        assert mix[c]["total_spend"] == pytest.approx(total, abs=0.01)
        assert mix[c]["signups_per_1000_yuan"] == pytest.approx(
            1000 * mix[c]["expected_spend_signups"] / total, rel=1e-5)


def test_committed_truth_is_what_the_generator_draws(data):
    """The committed truth.json is the generator's (seed 7): code and data have not drifted."""
    tables, truth = cs.campaign_sample(7)
    assert json.dumps(truth, indent=2, ensure_ascii=False) + "\n" == (
        FOLDER / "truth.json").read_text(encoding="utf-8")
    assert len(tables["events"]) == len(data[2]) and len(tables["users"]) == len(data[1])


def test_merged_adds_two_tables_and_changes_no_other_byte(tmp_path):
    generate(tmp_path / "a", seed=5, n_users=300)
    generate(tmp_path / "b", seed=5, n_users=300, campaigns="merged")
    a = sorted(p.name for p in (tmp_path / "a").iterdir())
    b = sorted(p.name for p in (tmp_path / "b").iterdir())
    assert sorted(set(b) - set(a)) == ["campaigns.csv", "controls.csv"]
    for name in a:
        assert filecmp.cmp(tmp_path / "a" / name, tmp_path / "b" / name, shallow=False), name
    camp = pd.read_csv(tmp_path / "b" / "campaigns.csv")
    assert list(camp["treated"]) == ["region=华东", "users=claim_coupon", "all"]


def test_mix_model_is_biased_without_promo_season_and_corrected_with_it():
    """The planted confounder, seen by channel_roi's mix model on the sample: 抖音's spend rises
    in the promotion season, which brings sign-ups to every channel. Without the control the
    model credits 抖音 with the season (+56 % on seed 7); with ``promo_season`` (or all the
    controls) every paid channel's sign-ups per 1,000 yuan is within 25 % of the planted truth
    (within 15 % on seed 7), and so is its D30 ROAS in money. The point estimates do not depend
    on the bootstrap."""
    from opsnb.channels import channel_roi

    truth = json.loads((FOLDER / "truth.json").read_text(encoding="utf-8"))["mix"]["channels"]
    planted = pd.Series({c: truth[c]["signups_per_1000_yuan"] for c in cs.PAID})

    def per_1000(table):   # the report's ROAS is in money: sign-ups per yuan x value per user
        t = table.set_index("channel")
        return (1000 * t["roas"] / t["value_per_user"]).reindex(planted.index)

    r = channel_roi(FOLDER, controls=["promo_season"], n_bootstrap=10, seed=0)
    assert r.controls_used == ["promo_season"]
    without = per_1000(r.mmm_table_plain) / planted - 1
    with_season = per_1000(r.mmm_table) / planted - 1
    assert without["抖音"] > 0.25, without
    assert (with_season.abs() < 0.25).all(), with_season
    money = r.mmm_table.set_index("channel")["roas"].reindex(planted.index)
    money_truth = pd.Series({c: truth[c]["revenue_roas_d30"] for c in cs.PAID})
    assert ((money / money_truth - 1).abs() < 0.25).all(), (money, money_truth)
    ce = r.control_effect().set_index("channel")
    assert ce.loc["抖音", "change"] < 0   # the control takes the season away from 抖音
    everything = channel_roi(FOLDER, n_bootstrap=10, seed=0)
    assert sorted(everything.controls_used) == ["holiday", "price_index", "promo_season"]
    assert ((per_1000(everything.mmm_table) / planted - 1).abs() < 0.25).all()
