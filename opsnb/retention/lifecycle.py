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
    kind = ibis.cases((a.prev.isnull(), "new"), (a.prev == a.p - 1, "returning"),
                      else_="resurrecting")
    a = a.mutate(kind=kind)
    lo, hi = period_index(window.start, period), period_index(window.end, period)
    inw = a.filter(a.p >= lo, a.p <= hi)
    counts = inw.group_by(["p", "kind"]).aggregate(n=inw.count()).to_pandas()
    gone = a.filter(a.nxt.isnull() | (a.nxt > a.p + 1))
    gone = gone.mutate(q=gone.p + 1)
    gone = gone.filter(gone.q >= lo, gone.q <= hi)
    dormant = gone.group_by("q").aggregate(dormant=gone.count()).to_pandas()
    act = ev.filter(ev.event_at >= index_start(lo, period))
    act = act.group_by(p=period_index_expr(act.event_at, period)).aggregate(
        active=act.user_id.nunique()).to_pandas()
    idx = pd.Index(range(lo, hi + 1), name="p")
    wide = counts.pivot_table(index="p", columns="kind", values="n", aggfunc="sum").reindex(idx)
    t = pd.DataFrame({"p": idx})
    for col in ("new", "returning", "resurrecting"):
        t[col] = (wide[col] if col in wide else pd.Series(0, index=idx)).fillna(0).astype(
            "int64").to_numpy()
    t["dormant"] = dormant.set_index("q")["dormant"].reindex(idx).fillna(0).astype("int64").to_numpy()
    t["active"] = act.set_index("p")["active"].reindex(idx).fillna(0).astype("int64").to_numpy()
    if not (t["new"] + t["returning"] + t["resurrecting"] == t["active"]).all():
        raise DataError("lifecycle counts do not add up to the active users",
                        table="events", fix="report this as an opsnb bug")
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
