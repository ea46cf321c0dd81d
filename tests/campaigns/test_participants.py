"""participant_frame on a hand-built folder: every column worked out by hand.

Campaign C1: 2026-03-10 .. 2026-03-12, treated users=checkin; pre_days 7 (03-03 .. 03-09),
after_days 5 (03-13 .. 03-17), but the data's last event is 03-16 10:00, so 03-16 is not
complete and the after window is 03-13 .. 03-15 (3 days). With eligible="all" every user who
signed up before 03-10 is in the population; with eligible="active" (the default) only those
with an event during the campaign (u1, u2).

user  signup            participant  pre: days events revenue  tenure  after: days revenue
u1    02-01 10:00       yes (checkin 03-10, 03-11)  2  3  10.0   36     2  6.5
u2    03-01 00:00       no (session in campaign)    1  1   0.0    9     0  0.0 (03-16 cut)
u3    01-15 00:00       no (checkin 03-09: pre)     1  1   0.0   54     1  0.0
u6    02-20 00:00       no (no events)              0  0   0.0   18     0  0.0
u4    03-11 08:00       new during the campaign: set aside (a participant)
u5    03-14 00:00       signed up after the campaign: not in the population
"""

from __future__ import annotations

import pandas as pd
import pytest

from opsnb.campaigns.participants import participant_frame
from opsnb.campaigns.spec import choose_campaign, load_campaigns
from opsnb.data.source import DataSource
from opsnb.errors import ParameterError

from conftest import write_tables

USERS = """
user_id,signup_at,channel,region,persona
u1,2026-02-01 10:00:00,抖音,华东,p_a
u2,2026-03-01 00:00:00,organic,,p_b
u3,2026-01-15 00:00:00,抖音,华北,
u4,2026-03-11 08:00:00,organic,华东,p_a
u5,2026-03-14 00:00:00,organic,华东,p_b
u6,2026-02-20 00:00:00,微信,华南,p_b
"""
EVENTS = """
user_id,event_at,event,revenue
u1,2026-03-01 09:00:00,session_start,0
u1,2026-03-03 09:00:00,session_start,0
u1,2026-03-03 12:00:00,purchase,10
u1,2026-03-05 08:00:00,session_start,0
u1,2026-03-10 08:00:00,checkin,0
u1,2026-03-11 08:00:00,checkin,0
u1,2026-03-13 08:00:00,session_start,0
u1,2026-03-14 20:00:00,purchase,6.5
u2,2026-03-09 23:59:00,session_start,0
u2,2026-03-12 10:00:00,session_start,0
u2,2026-03-16 10:00:00,purchase,3
u3,2026-03-09 10:00:00,checkin,0
u3,2026-03-13 10:00:00,checkin,0
u4,2026-03-11 09:00:00,checkin,0
u5,2026-03-14 09:00:00,session_start,0
"""
CAMPAIGNS = """
campaign_id,name,start,end,kind,treated,cost
C1,签到,2026-03-10,2026-03-12,checkin,users=checkin,1000
C2,wrong event,2026-03-10,2026-03-12,checkin,users=check_in,
C3,too late,2026-03-14,2026-03-16,checkin,users=checkin,
C4,region,2026-03-10,2026-03-12,city_push,region=华东,
"""


@pytest.fixture(scope="module")
def src(tmp_path_factory) -> DataSource:
    folder = write_tables(tmp_path_factory.mktemp("participants"), users=USERS, events=EVENTS,
                          campaigns=CAMPAIGNS)
    return DataSource.open(folder)


def campaign(src, cid):
    return choose_campaign(load_campaigns(src), cid)


def test_every_column_by_hand(src):
    pf = participant_frame(src, campaign(src, "C1"), pre_days=7, after_days=5, eligible="all")
    got = pf.frame.set_index("user_id")
    want = pd.DataFrame({
        "user_id": ["u1", "u2", "u3", "u6"],
        "treated": [True, False, False, False],
        "pre_active_days": [2, 1, 1, 0],
        "pre_events": [3, 1, 1, 0],
        "pre_revenue": [10.0, 0.0, 0.0, 0.0],
        "pre_paying": [1, 0, 0, 0],
        "tenure_days": [36, 9, 54, 18],
        "channel": ["抖音", "organic", "抖音", "微信"],
        "region": ["华东", "(none)", "华北", "华南"],
        "retained": [1, 0, 1, 0],
        "after_active_days": [2, 0, 1, 0],
        "after_revenue": [6.5, 0.0, 0.0, 0.0],
    }).set_index("user_id")
    pd.testing.assert_frame_equal(got[want.columns], want, check_dtype=False)
    assert list(got["persona"]) == ["p_a", "p_b", "(none)", "p_b"]
    assert "device" not in got.columns      # the users table has no device column
    assert pf.categoricals == ("channel", "persona", "region")
    assert (pf.n_participants, pf.n_population, pf.n_non_participants) == (1, 4, 3)
    assert (pf.n_set_aside_new, pf.n_new_participants) == (1, 1)
    assert (pf.pre_days, pf.after_days, pf.after_days_used) == (7, 5, 3)
    assert pf.data_end == pd.Timestamp("2026-03-15")
    assert pf.to_dict()["after_window_shortened"] is True
    assert pf.n_set_aside_absent == 0


def test_eligible_active_keeps_users_present_in_the_campaign(src):
    pf = participant_frame(src, campaign(src, "C1"), pre_days=7, after_days=5)
    assert list(pf.frame["user_id"]) == ["u1", "u2"]
    assert (pf.n_population, pf.n_participants, pf.n_set_aside_absent) == (2, 1, 2)
    assert pf.n_set_aside_new == 1 and pf.eligible == "active"
    with pytest.raises(ParameterError, match="eligible"):
        participant_frame(src, campaign(src, "C1"), 7, 5, eligible="everyone")


def test_pre_period_cut_at_the_data_start(src):
    pf = participant_frame(src, campaign(src, "C1"), pre_days=30, after_days=2, eligible="all")
    # the data start 03-01: 9 pre days; u1's 03-01 event now counts
    assert pf.pre_days == 9 and pf.after_days_used == 2
    u1 = pf.frame.set_index("user_id").loc["u1"]
    assert (u1["pre_active_days"], u1["pre_events"]) == (3, 4)


def test_event_never_in_the_campaign_names_event_and_treated(src):
    with pytest.raises(ParameterError) as e:
        participant_frame(src, campaign(src, "C2"), 7, 5)
    assert "check_in" in str(e.value) and "treated" in str(e.value)


def test_no_day_after_the_campaign(src):
    with pytest.raises(ParameterError) as e:
        participant_frame(src, campaign(src, "C3"), 7, 5)
    assert "after_days" in str(e.value) and "2026-03-15" in str(e.value)


def test_not_a_participant_campaign(src):
    with pytest.raises(ParameterError) as e:
        participant_frame(src, campaign(src, "C4"), 7, 5)
    assert "users=<event>" in str(e.value)
    with pytest.raises(ParameterError, match="pre_days"):
        participant_frame(src, campaign(src, "C1"), 0, 5)


def test_sample_checkin_campaign_recovers_the_planted_effect():
    """data/sample/campaigns: C-CHECKIN joins rise with pre-period activity and joining adds
    0.1 to the daily activity probability after the campaign (truth.json: the ATT on the 14
    after days, computed from the probabilities)."""
    import json

    from opsnb.campaigns.matching import match_participants
    from opsnb.data.source import default_sample_dir

    folder = default_sample_dir() / "campaigns"
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))["C-CHECKIN"]
    src = DataSource.open(folder)
    pf = participant_frame(src, campaign(src, "C-CHECKIN"), pre_days=28, after_days=14)
    assert pf.n_participants == pytest.approx(truth["participants"], rel=0.05)
    r = match_participants(pf, method="auto")
    after = truth["after"]
    days = r.effects["after_active_days"]
    assert days["naive"].value == pytest.approx(after["naive_difference_active_days_expected"],
                                                rel=0.15)
    assert not days["naive"].contains(after["att_active_days"])
    assert days["matched"].contains(after["att_active_days"])
    assert r.effects["retained"]["matched"].contains(after["att_retained_share"])
    assert r.effects["after_revenue"]["matched"].contains(after["att_revenue_per_participant"])
    assert r.imbalanced == []
