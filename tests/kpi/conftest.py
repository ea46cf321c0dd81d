"""A hand-worked fixture for the KPI tests: three users over ten days."""

from __future__ import annotations

import pytest

from opsnb.data.window import resolve_window

USERS = """
user_id,signup_at,channel
a,2026-05-01 09:00:00,抖音
b,2026-05-02 12:00:00,organic
c,2026-05-05 08:00:00,抖音
"""
EVENTS = """
user_id,event_at,event,revenue
a,2026-05-01 09:00:00,session_start,0
a,2026-05-01 09:01:00,view_item,0
a,2026-05-01 09:02:00,add_to_cart,0
a,2026-05-01 09:03:00,purchase,100
a,2026-05-03 10:00:00,session_start,0
a,2026-05-10 10:00:00,session_start,0
a,2026-05-10 10:01:00,purchase,50
b,2026-05-02 12:00:00,session_start,0
b,2026-05-02 12:05:00,purchase,30
b,2026-05-02 12:10:00,view_item,0
b,2026-05-02 12:11:00,add_to_cart,0
c,2026-05-05 08:00:00,session_start,0
c,2026-05-05 08:01:00,view_item,0
"""


@pytest.fixture
def fixture(tables):
    src = tables(users=USERS, events=EVENTS)
    return src, resolve_window(src, "2026-05-01", "2026-05-10")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")
