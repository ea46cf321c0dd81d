from __future__ import annotations

import pandas as pd
import pytest

from opsnb.data.window import resolve_window

# Four users, worked by hand (all times UTC; 2026-01-05 is a Monday):
#   u1 signs up 01-05 23:45; returns 01-06 00:10 (rolling day 0, calendar day 1) and
#      buys on 01-08 12:00 for 10 (rolling day 2, calendar day 3)
#   u2 signs up 01-05 08:00; returns 01-07 09:00 (day 2 both), 01-12 10:00 (day 7),
#      01-20 23:30 (day 15; the last event of the data)
#   u3 signs up 01-06 10:00 and never returns
#   u4 signs up 01-14 10:00; returns 01-15 11:00 (day 1 both)
USERS = """user_id,signup_at,channel,region,device,age_band,gender,campaign
u1,2026-01-05 23:45:00,organic,east,ios,25-34,f,
u2,2026-01-05 08:00:00,ads,east,ios,25-34,m,
u3,2026-01-06 10:00:00,ads,west,web,18-24,f,
u4,2026-01-14 10:00:00,organic,west,android,35-44,m,
"""
EVENTS = """user_id,event_at,event,revenue
u1,2026-01-05 23:45:00,session_start,0
u1,2026-01-06 00:10:00,session_start,0
u1,2026-01-08 12:00:00,purchase,10
u2,2026-01-05 08:00:00,session_start,0
u2,2026-01-07 09:00:00,session_start,0
u2,2026-01-12 10:00:00,session_start,0
u2,2026-01-20 23:30:00,session_start,0
u3,2026-01-06 10:00:00,session_start,0
u4,2026-01-14 10:00:00,session_start,0
u4,2026-01-15 11:00:00,session_start,0
"""


@pytest.fixture
def hand(tables):
    src = tables(users=USERS, events=EVENTS)
    return src, resolve_window(src, "2026-01-05", "2026-01-20")


@pytest.fixture
def cell():
    def get(m, cohort, period, segment="all", col="retained"):
        t = m.table
        r = t[(t["cohort"] == pd.Timestamp(cohort)) & (t["period"] == period)
              & (t["segment"] == segment)]
        assert len(r) == 1
        return r.iloc[0][col]
    return get
