"""The campaigns and controls tables: contract checks, loading, choosing, overlaps."""

from __future__ import annotations

import pandas as pd
import pytest

from opsnb import DataError
from opsnb.campaigns.spec import (Campaign, choose_campaign, load_campaigns, overlapping,
                                  shares_units)
from opsnb.errors import ParameterError

USERS = """
user_id,signup_at,channel,region,device
u1,2026-05-01 10:00:00,organic,华东,ios
u2,2026-05-02 11:00:00,抖音,华北,android
"""
EVENTS = """
user_id,event_at,event,revenue
u1,2026-05-01 10:00:00,session_start,0
u2,2026-05-02 11:00:00,checkin,0
"""
HEAD = "campaign_id,name,start,end,kind,treated,cost\n"
GOOD = HEAD + """C1,push,2026-05-01,2026-05-21,city_push,region=华东|华南,60000
C2,check-in,2026-05-10,2026-05-23,checkin,users=checkin,
C3,brand day,2026-06-01,2026-06-02,brand_day,all,1000.5
C4,own event,2026-06-10,2026-06-12,coupon,users,
"""
CONTROLS = """date,name,value
2026-05-01,holiday,1
2026-05-01,price_index,100.5
2026-05-02,holiday,0
"""


def _open(tables, campaigns=GOOD, controls=CONTROLS):
    return tables(users=USERS, events=EVENTS, campaigns=campaigns, controls=controls)


def test_new_tables_load_with_contract_types(tables):
    src = _open(tables)
    cs = load_campaigns(src)
    assert [(c.campaign_id, c.scope, c.dimension, c.units, c.event, c.cost) for c in cs] == [
        ("C1", "units", "region", ("华东", "华南"), None, 60000.0),
        ("C2", "users", None, (), "checkin", None),
        ("C3", "all", None, (), None, 1000.5),
        ("C4", "users", None, (), "C4", None)]
    assert cs[0].start == pd.Timestamp("2026-05-01") and cs[0].days == 21
    assert cs[2].end_exclusive == pd.Timestamp("2026-06-03")
    ctl = src.to_pandas("controls")
    assert list(ctl.columns) == ["date", "name", "value"] and ctl["value"].sum() == 101.5
    assert src.set_aside == []


@pytest.mark.parametrize("bad, column, rule", [
    ("C9,late,2026-05-21,2026-05-01,push,all,1", "end", "end before they start"),
    ("C9,odd,2026-05-01,2026-05-02,push,everyone,1", "treated", "not understood"),
    ("C9,odd,2026-05-01,2026-05-02,push,city=杭州,1", "treated", "column users does not have"),
    ("C1,twice,2026-05-01,2026-05-02,push,all,1", "campaign_id", "duplicate"),
    ("C9,refund,2026-05-01,2026-05-02,push,all,-5", "cost", "negative"),
])
def test_bad_campaign_rows_name_table_column_and_rows(tables, bad, column, rule):
    src = _open(tables, campaigns=GOOD + bad + "\n")
    with pytest.raises(DataError) as err:
        load_campaigns(src)
    e = err.value
    assert e.table == "campaigns" and e.column == column and rule in e.message
    assert e.n_bad == 1 and e.fix  # duplicates: one key twice
    assert e.rows is not None and len(e.rows) >= 1
    shown = e.rows.astype(str).to_numpy().ravel().tolist()
    assert ("C9" in shown) or ("C1" in shown)


def test_duplicate_control_key_is_a_data_error(tables):
    src = _open(tables, controls=CONTROLS + "2026-05-01,holiday,0\n")
    with pytest.raises(DataError) as err:
        src.table("controls")
    assert err.value.table == "controls" and err.value.column == "name" and err.value.n_bad == 1
    assert len(err.value.rows) == 2


def _c(cid, start, end, treated="all", scope="all", dim=None, units=()):
    return Campaign(cid, cid, pd.Timestamp(start), pd.Timestamp(end), "k", treated, scope,
                    dim, units)


def test_choose_campaign_latest_ended_inside_the_data():
    cs = [_c("A", "2026-05-01", "2026-05-10"), _c("B", "2026-06-01", "2026-06-20"),
          _c("C", "2026-06-15", "2026-06-20"), _c("D", "2026-07-01", "2026-07-30")]
    # data to 2026-07-15 (exclusive): D has not ended; B and C end the same day, C starts later
    assert choose_campaign(cs, "", pd.Timestamp("2026-07-15")).campaign_id == "C"
    assert choose_campaign(cs, "").campaign_id == "D"
    assert choose_campaign(cs, " A ").campaign_id == "A"
    with pytest.raises(ParameterError, match="A, B, C, D"):
        choose_campaign(cs, "Z")
    with pytest.raises(ParameterError, match="no campaign ended"):
        choose_campaign(cs, "", pd.Timestamp("2026-05-05"))
    with pytest.raises(ParameterError, match="no campaign"):
        choose_campaign([], "")


def test_overlapping_and_shared_units():
    zj = _c("ZJ", "2026-07-06", "2026-07-26", "region=浙江", "units", "region", ("浙江",))
    sh = _c("SH", "2026-07-20", "2026-07-30", "region=上海|浙江", "units", "region",
            ("上海", "浙江"))
    gd = _c("GD", "2026-07-01", "2026-07-06", "region=广东", "units", "region", ("广东",))
    ios = _c("IOS", "2026-07-10", "2026-07-11", "device=ios", "units", "device", ("ios",))
    later = _c("L", "2026-07-27", "2026-07-28")
    ck = _c("CK", "2026-07-26", "2026-08-09", "users=checkin", "users")
    cs = [zj, sh, gd, ios, later, ck]
    assert [c.campaign_id for c in overlapping(zj, cs)] == ["GD", "IOS", "SH", "CK"]
    assert [c.campaign_id for c in overlapping(zj, cs, same_units_only=True)] == [
        "IOS", "SH", "CK"]
    assert not shares_units(zj, gd) and shares_units(zj, sh) and shares_units(zj, ios)


def test_marked_treated_still_parses_and_names_the_marked_unit():
    from opsnb.campaigns.spec import parse_treated
    from opsnb.data.shapes import PAYLOAD, mark, mark_treated

    assert parse_treated(mark_treated("region=华东|华南")) == (
        "units", "region", (mark("华东").strip(), mark("华南").strip()), None)
    assert mark("华东").strip() == mark("华东")  # the payload ends in markup, not a space
    assert parse_treated(mark_treated("users=checkin")) == ("users", None, (), mark("checkin"))
    assert mark_treated("all") == "all" and mark_treated("users") == "users"
    assert PAYLOAD in mark_treated("device=ios")


def test_shapes_cut_campaigns_by_overlap_and_controls_by_date():
    from opsnb.data.shapes import Data, _cut

    day = pd.Timestamp
    data = Data({
        "users": pd.DataFrame({"user_id": ["u1"], "signup_at": [day("2026-05-01")]}),
        "events": pd.DataFrame({"user_id": ["u1"], "event_at": [day("2026-05-10 10:00")]}),
        "campaigns": pd.DataFrame({"campaign_id": ["A", "B", "C"],
                                   "start": [day("2026-05-01"), day("2026-05-09"),
                                             day("2026-05-15")],
                                   "end": [day("2026-05-10"), day("2026-05-20"),
                                           day("2026-05-16")]}),
        "controls": pd.DataFrame({"date": pd.date_range("2026-05-08", "2026-05-16"),
                                  "name": "holiday", "value": 0.0}),
    }, {})
    _cut(data, day("2026-05-10"), day("2026-05-15"))
    assert list(data.tables["campaigns"]["campaign_id"]) == ["A", "B"]
    assert list(data.tables["controls"]["date"].dt.day) == [10, 11, 12, 13, 14]
