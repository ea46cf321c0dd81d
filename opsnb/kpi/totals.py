"""Window totals: active, new and paying users, orders and revenue over the whole window.

Users are counted once over the window (distinct), so the totals are not sums of the periods.

>>> from opsnb.data.source import DataSource
>>> from opsnb.data.window import resolve_window
>>> src = DataSource.open()
>>> t = window_totals(src, resolve_window(src))
>>> t["active_users"], round(t["arpu"], 2)
(10000, 669.59)
"""

from __future__ import annotations

import pandas as pd

from opsnb.data.source import DataSource
from opsnb.data.window import Window
from opsnb.errors import DataError


def window_totals(source: DataSource, window: Window, revenue_event: str | None = None,
                  allow_empty: bool = False) -> dict:
    """Active, new and paying users and revenue over the whole window (distinct users).

    A window without events is a DataError naming ``events.event_at``; with ``allow_empty`` the
    totals are returned instead (zero users, ARPU and conversion None).
    """
    r = None
    if not revenue_event and (window.data_first is None or (
            window.start <= window.data_first and window.data_last < window.end_exclusive)):
        # from the per-user summary of the events (one row per user) when the window holds
        # every event (checked on the summary itself): the same totals without a scan of the
        # events
        sm = source.user_summary()
        r = sm.aggregate(lo=sm.first_at.min(), hi=sm.last_at.max(), active_users=sm.count(),
                         paying_users=(sm.paying_events > 0).sum(), revenue=sm.revenue.sum(),
                         orders=sm.paying_events.sum()).to_pandas().iloc[0]
        if pd.isna(r["lo"]) or not (window.start <= pd.Timestamp(r["lo"])
                                    and pd.Timestamp(r["hi"]) < window.end_exclusive):
            r = None
    if r is None:
        ev = source.table("events")
        ev = ev.filter(ev.event_at >= window.start, ev.event_at < window.end_exclusive)
        paying = ev.revenue > 0
        if revenue_event:
            paying = paying & (ev.event == revenue_event)
        r = ev.aggregate(active_users=ev.user_id.nunique(),
                         paying_users=ev.user_id.nunique(where=paying),
                         revenue=ev.revenue.sum(), orders=paying.sum()).to_pandas().iloc[0]
    users = source.table("users")
    new = int(users.filter(users.signup_at >= window.start,
                           users.signup_at < window.end_exclusive).count().to_pandas())
    active, payers = int(r["active_users"]), int(r["paying_users"])
    revenue = float(r["revenue"]) if pd.notna(r["revenue"]) else 0.0
    if active == 0 and not allow_empty:
        raise DataError(f"no user events between {window.label()}", table="events",
                        column="event_at", fix="choose a window that holds events")
    return {
        "active_users": active, "new_users": new, "paying_users": payers, "revenue": revenue,
        "orders": int(r["orders"]) if pd.notna(r["orders"]) else 0,
        "arpu": revenue / active if active else None,
        "arppu": revenue / payers if payers else None,
        "paying_conversion": payers / active if active else None,
    }
