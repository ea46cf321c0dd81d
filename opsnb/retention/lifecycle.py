"""Lifecycle per period (growth accounting), as PostHog and Amplitude define it.

For each calendar period p, every user active in p is exactly one of

* **new**: p is the first period in which the user was ever active;
* **returning**: also active in period p-1;
* **resurrecting**: active before, but not in p-1;

and **dormant** counts the users active in p-1 but not in p (shown below zero). So
active(p) = new + returning + resurrecting, which :func:`lifecycle` checks against a
separate count of distinct active users. The growth-accounting quick ratio is
(new + resurrecting) / dormant: above 1 the active base grows.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import pandas as pd

from opsnb.data.periods import index_start, period_index, period_index_expr
from opsnb.data.source import DataSource
from opsnb.data.window import Window
from opsnb.errors import DataError
from opsnb.retention.spec import ANY_EVENT, Period

@dataclass
class Lifecycle:
    """``table``: period_start, new, returning, resurrecting, dormant, active, quick_ratio,
    complete."""

    table: pd.DataFrame
    period: Period
    event: str

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def last_complete(self) -> dict:
        c = self.table[self.table["complete"]]
        return {} if c.empty else {k: (v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp)
                                       else v) for k, v in c.iloc[-1].to_dict().items()}


def lifecycle(source: DataSource, window: Window, period: str | Period = "week",
              event: str = ANY_EVENT) -> Lifecycle:
    """Lifecycle counts per calendar period of the window (history before it is read too)."""
    period = Period(period)
    ev = source.table("events")
    ev = ev.filter(ev.event_at < window.end_exclusive)
    if event != ANY_EVENT:
        ev = ev.filter(ev.event == event)
    a = ev.select("user_id", p=period_index_expr(ev.event_at, period)).distinct()
    w = ibis.window(group_by="user_id", order_by="p")
    a = a.mutate(prev=a.p.lag().over(w), nxt=a.p.lead().over(w))
    lo, hi = period_index(window.start, period), period_index(window.end, period)
    # one pass: each (user, period) row counts in its own period by kind and, when the user
    # is not active in the next period, as dormant in that next period
    a = a.mutate(gone=(a.nxt.isnull() | (a.nxt > a.p + 1)).cast("int64"))
    a = a.filter(a.p >= lo - 1, a.p <= hi)
    inw = (a.p >= lo).cast("int64")
    counts = a.group_by("p").aggregate(
        new=(inw * (a.prev.isnull()).cast("int64")).sum(),
        returning=(inw * (a.prev == a.p - 1).cast("int64")).sum(),
        resurrecting=(inw * (a.prev < a.p - 1).cast("int64")).sum(),
        dormant_next=a.gone.sum()).to_pandas().set_index("p")
    idx = pd.Index(range(lo, hi + 1), name="p")
    t = pd.DataFrame({"p": idx})
    for col in ("new", "returning", "resurrecting"):
        t[col] = counts[col].reindex(idx).fillna(0).astype("int64").to_numpy()
    t["dormant"] = counts["dormant_next"].reindex(idx - 1).fillna(0).astype("int64").to_numpy()
    # active users are new, returning or resurrecting: each (user, period) row is one of them
    t["active"] = t["new"] + t["returning"] + t["resurrecting"]
    if int(t["active"].sum()) == 0:
        raise DataError(f"no active users between {window.label()}", table="events",
                        column="event_at", fix="choose a window that holds events")
    t["quick_ratio"] = (t["new"] + t["resurrecting"]) / t["dormant"].where(t["dormant"] > 0)
    t["period_start"] = [index_start(p, period) for p in t["p"]]
    # a period is complete when the window covers all of it and the data reaches its end
    t["complete"] = [index_start(p, period) >= window.start
                     and window.is_complete(index_start(p + 1, period)) for p in t["p"]]
    cols = ["period_start", "new", "returning", "resurrecting", "dormant", "active",
            "quick_ratio", "complete"]
    return Lifecycle(t[cols], period, event)
