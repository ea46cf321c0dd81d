"""The campaign panel against pandas on the campaign sample, and hand-counted fixtures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsnb.campaigns.panel import controls_frame, total_series, unit_panel
from opsnb.data.source import DataSource, default_sample_dir
from opsnb.diagnostics.kpis import daily_series, parse_kpi
from opsnb.errors import ParameterError

FOLDER = default_sample_dir() / "campaigns"
START, END = pd.Timestamp("2026-06-20"), pd.Timestamp("2026-08-01")  # end exclusive


@pytest.fixture(scope="module")
def src():
    return DataSource.open(FOLDER)


@pytest.fixture(scope="module")
def frames():
    ev = pd.read_parquet(FOLDER / "events.parquet")
    users = pd.read_csv(FOLDER / "users.csv")
    ev = ev[(ev["event_at"] >= START) & (ev["event_at"] < END)]
    ev = ev.assign(day=ev["event_at"].dt.normalize()).merge(users[["user_id", "region"]],
                                                            on="user_id")
    return ev, users


@pytest.mark.parametrize("kpi", ["dau", "revenue"])
def test_unit_panel_equals_pandas_and_sums_to_the_total(src, frames, kpi):
    ev, users = frames
    panel = unit_panel(src, kpi, "region", START, END)
    if kpi == "dau":
        expect = ev.groupby(["day", "region"])["user_id"].nunique()
    else:
        expect = ev.groupby(["day", "region"])["revenue"].sum()
    expect = expect.unstack(fill_value=0.0).astype(float)
    assert panel.shape == ((END - START).days, 24)
    assert list(panel.columns) == sorted(users["region"].unique())
    assert (panel.index == pd.date_range(START, END - pd.Timedelta(days=1))).all()
    np.testing.assert_allclose(panel.to_numpy(), expect.reindex_like(panel).to_numpy(),
                               rtol=0, atol=1e-6)
    total = daily_series(src, parse_kpi(kpi), START, END)
    again = total_series(src, kpi, START, END)
    if kpi == "dau":  # counts: exactly
        assert (panel.sum(axis=1).to_numpy() == total.to_numpy()).all()
        assert again.equals(total.rename_axis("date"))
    else:  # money: the engine sums in its own order
        np.testing.assert_allclose(panel.sum(axis=1).to_numpy(), total.to_numpy(), rtol=1e-12)
        np.testing.assert_allclose(again.to_numpy(), total.to_numpy(), rtol=1e-12)


def test_new_users_panel_counts_signups(src, frames):
    _, users = frames
    panel = unit_panel(src, "new_users", "region", START, END)
    u = users.assign(day=pd.to_datetime(users["signup_at"]).dt.normalize())
    u = u[(u["day"] >= START) & (u["day"] < END)]
    expect = u.groupby(["day", "region"]).size().unstack(fill_value=0).reindex_like(panel)
    np.testing.assert_array_equal(panel.to_numpy(), expect.fillna(0).to_numpy())
    assert panel.to_numpy().sum() == len(u)


USERS = """
user_id,signup_at,channel,region,device
u1,2026-05-01 10:00:00,organic,华东,ios
u2,2026-05-01 11:00:00,抖音,,android
u3,2026-05-02 09:00:00,微信,华北,web
u4,2026-05-02 09:30:00,微信,西部,web
"""
EVENTS = """
user_id,event_at,event,revenue
u1,2026-05-01 10:00:00,session_start,0
u1,2026-05-01 12:00:00,session_start,0
u1,2026-05-03 08:00:00,purchase,50
u2,2026-05-01 11:00:00,session_start,0
u2,2026-05-03 11:00:00,purchase,20.5
u3,2026-05-02 09:00:00,session_start,0
"""
CONTROLS = """date,name,value
2026-05-01,holiday,1
2026-05-02,holiday,0
2026-05-03,holiday,0
2026-05-01,price_index,100
2026-05-03,price_index,101
2026-04-30,weather,20
"""


def test_hand_counted_panel_and_control_gaps(tables):
    src = tables(users=USERS, events=EVENTS, controls=CONTROLS)
    d0, d4 = pd.Timestamp("2026-05-01"), pd.Timestamp("2026-05-05")
    dau = unit_panel(src, "dau", "region", d0, d4)
    # empty region -> (none); 西部 has no events but is a column of zeros; 2026-05-04 all zero
    assert list(dau.columns) == ["(none)", "华东", "华北", "西部"]
    assert dau.to_numpy().tolist() == [[1, 1, 0, 0], [0, 0, 1, 0], [1, 1, 0, 0], [0, 0, 0, 0]]
    rev = unit_panel(src, "revenue", "region", d0, d4)
    assert rev.loc["2026-05-03"].tolist() == [20.5, 50.0, 0.0, 0.0]
    new = unit_panel(src, "new_users", "device", d0, d4)
    assert new.to_dict("list") == {"android": [1, 0, 0, 0], "ios": [1, 0, 0, 0],
                                   "web": [0, 2, 0, 0]}
    frame, gaps = controls_frame(src, [], d0, d4)
    # 4 days: holiday misses 05-04, price_index 05-02 and 05-04, weather every day
    assert gaps == {"holiday": 1, "price_index": 2, "weather": 4}
    assert frame["price_index"].tolist()[0] == 100 and np.isnan(frame["price_index"].iloc[1])
    frame, gaps = controls_frame(src, ["price_index"], d0, d4)
    assert list(frame.columns) == ["price_index"] and gaps == {"price_index": 2}
    with pytest.raises(ParameterError, match="holiday, price_index, weather"):
        controls_frame(src, ["temperature"], d0, d4)
    with pytest.raises(ParameterError, match="dau, new_users, revenue"):
        unit_panel(src, "arpu", "region", d0, d4)
    with pytest.raises(ParameterError, match="not a column of users"):
        unit_panel(src, "dau", "city", d0, d4)
