"""Response service: time to first response and to resolution, with open tickets censored.

A source *tracks responses* when at least one of its rows has a ``first_response_at``; rows of
other sources (app-store reviews nobody answers in the tool, say) are not tickets and are left
out of this section. For a ticket, the time to first response is ``first_response_at -
created_at`` in hours; while it is unanswered it is *censored* at the data's end (``as_of``): it
has waited that long so far, and will wait longer. Resolution likewise, from ``resolved_at``.

Dropping open tickets would make service look faster than it is (the slowest are the ones still
open), so the median, the P90 and the share within the SLA come from the Kaplan-Meier estimate
of the survival curve S(t) = P(still waiting at t)::

    S(t) = prod over event times t_i <= t of (1 - d_i / n_i)

with d_i tickets answered at t_i and n_i tickets still waiting just before t_i (censored
tickets leave the risk set after their censoring time; ties: answers before censorings). The
median is the first t with S(t) <= 0.5, the P90 the first with S(t) <= 0.1 (None when the
curve never gets there: too many tickets still open), and the share answered within the SLA is
1 - S(sla_hours).

>>> km = kaplan_meier(np.array([1.0, 2.0, 2.0, 3.0, 4.0]), np.array([1, 1, 0, 1, 0]))
>>> km["survival"].round(4).tolist()
[0.8, 0.6, 0.3]
>>> quantile_time(km, 0.5), round(share_within(km, 2.5), 10)
(3.0, 0.4)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from opsnb.data.source import SetAside


def kaplan_meier(t: np.ndarray, event: np.ndarray) -> pd.DataFrame:
    """The Kaplan-Meier curve at each distinct event time: time, at_risk, events, survival."""
    t = np.asarray(t, float)
    event = np.asarray(event, bool)
    order = np.lexsort((~event, t))  # at tied times, events before censorings
    t, event = t[order], event[order]
    times = np.unique(t[event])
    if len(times) == 0:
        return pd.DataFrame({"time": [], "at_risk": [], "events": [], "survival": []})
    at_risk = len(t) - np.searchsorted(t, times, side="left")
    d = np.array([int(((t == x) & event).sum()) for x in times]) if len(times) < 2_000 else \
        np.bincount(np.searchsorted(times, t[event]), minlength=len(times))
    surv = np.cumprod(1.0 - d / at_risk)
    return pd.DataFrame({"time": times, "at_risk": at_risk, "events": d, "survival": surv})


def quantile_time(km: pd.DataFrame, q: float) -> float | None:
    """The first time the share still waiting is <= 1 - q (q=0.5: the median)."""
    hit = km[km["survival"] <= 1.0 - q + 1e-12]
    return None if hit.empty else float(hit["time"].iloc[0])


def share_within(km: pd.DataFrame, hours: float) -> float:
    """1 - S(hours): the share answered within ``hours``."""
    before = km[km["time"] <= hours]
    return 0.0 if before.empty else float(1.0 - before["survival"].iloc[-1])


@dataclass
class ServiceTimes:
    """Per group (source or topic) and measure (first_response, resolution): the figures."""

    table: pd.DataFrame       # group_by, group, measure, tickets, open, median, p90, within_sla
    curves: dict              # (measure, group) -> Kaplan-Meier frame, for the sources
    backlog: pd.DataFrame     # per day: open tickets at the end of the day
    sla_hours: float
    sources: list[str]        # the sources that track responses
    n_tickets: int


def durations(frame: pd.DataFrame, start: str, end: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """Hours from ``start`` to ``end``; open rows censored at ``as_of`` (event False)."""
    done = frame[end].notna() & (frame[end] <= as_of)
    stop = frame[end].where(done, as_of)
    hours = (stop - frame[start]).dt.total_seconds() / 3600.0
    return pd.DataFrame({"hours": hours.clip(lower=0.0), "event": done}, index=frame.index)


def _figures(d: pd.DataFrame, sla: float) -> dict:
    km = kaplan_meier(d["hours"].to_numpy(), d["event"].to_numpy())
    return {"tickets": int(len(d)), "open": int((~d["event"]).sum()),
            "median": quantile_time(km, 0.5), "p90": quantile_time(km, 0.9),
            "within_sla": share_within(km, sla), "km": km}


def service_times(frame: pd.DataFrame, as_of: pd.Timestamp, sla_hours: float,
                  topic_col: str | None, window_start: pd.Timestamp,
                  set_aside: list | None = None) -> ServiceTimes | None:
    """The service figures of the window's tickets (rows created in it); None: no tracking.

    ``frame``: created_at, source, first_response_at (and resolved_at when the table has it).
    Rows whose response or resolution comes before their creation are set aside (counted in
    ``set_aside``).
    """
    has_res = "resolved_at" in frame.columns
    tracked = frame.groupby("source")["first_response_at"].apply(lambda s: s.notna().any())
    sources = sorted(str(s) for s in tracked[tracked].index)
    t = frame[frame["source"].isin(sources)]
    bad = (t["first_response_at"] < t["created_at"]).fillna(False)
    if has_res:
        bad |= (t["resolved_at"] < t["created_at"]).fillna(False)
    if bad.any() and set_aside is not None:
        set_aside.append(SetAside("feedback", int(bad.sum()), "answered or resolved before "
                                  "created_at: left out of the service times"))
    t = t[~bad]
    if t.empty:
        return None
    inside = t[t["created_at"] >= window_start]
    measures = {"first_response": durations(inside, "created_at", "first_response_at", as_of)}
    if has_res:
        measures["resolution"] = durations(inside, "created_at", "resolved_at", as_of)
    rows, curves = [], {}
    groups = [("all", pd.Series("all", index=inside.index)), ("source", inside["source"])]
    if topic_col:
        groups.append(("topic", inside[topic_col]))
    for measure, d in measures.items():
        for group_by, keys in groups:
            for g, part in d.groupby(keys.astype(str), sort=True):
                f = _figures(part, sla_hours)
                if group_by in ("all", "source"):
                    curves[(measure, g)] = f["km"]
                rows.append({"group_by": group_by, "group": g, "measure": measure,
                             **{k: v for k, v in f.items() if k != "km"}})
    table = pd.DataFrame(rows)
    return ServiceTimes(table, curves, backlog(t, as_of, window_start), sla_hours, sources,
                        int(len(inside)))


def backlog(t: pd.DataFrame, as_of: pd.Timestamp, window_start: pd.Timestamp) -> pd.DataFrame:
    """Open tickets at the end of each day of the window (created, not yet resolved; without
    ``resolved_at``: not yet answered)."""
    end_col = "resolved_at" if "resolved_at" in t.columns else "first_response_at"
    days = pd.date_range(window_start.normalize(), as_of.normalize(), freq="D")
    ends = days + pd.Timedelta(days=1)
    created = np.sort(t["created_at"].to_numpy("datetime64[us]"))
    closed = np.sort(t[end_col].dropna().to_numpy("datetime64[us]"))
    e = ends.to_numpy("datetime64[us]")
    opened = np.searchsorted(created, e, side="left")
    shut = np.searchsorted(closed, e, side="left")
    return pd.DataFrame({"day": days, "open": opened - shut, "created": np.diff(
        np.r_[np.searchsorted(created, days[:1].to_numpy("datetime64[us]"))[0], opened])})
