"""Survival of users: Kaplan-Meier curves of time to churn and the log-rank test.

**Churn rule.** A user churns after an active day d (rolling days from their start, the
start day counting as active) when the next ``inactive_days`` days pass without a return
event; their lifetime is d (the rolling day of their last activity before that gap).
Users without such a gap by the end of the data are censored at their last active day.

The estimator runs on counts per (segment, day, churned), the small aggregate the
engine returns, and gives the same numbers as statsmodels' ``SurvfuncRight`` on the
user-level durations (Greenwood standard errors; log-log intervals).
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd
from scipy import stats

from opsnb.data.source import DataSource
from opsnb.data.window import Window
from opsnb.errors import ParameterError
from opsnb.retention.cohorts import ALL, _US, user_starts
from opsnb.retention.spec import ANY_EVENT, Period, RetentionSpec


@dataclass
class KaplanMeier:
    """A Kaplan-Meier estimate. ``table``: time, at_risk, events, censored, survival, se,
    ci_low, ci_high (rows at every observed time)."""

    table: pd.DataFrame
    alpha: float = 0.05
    label: str = ALL

    @property
    def n(self) -> int:
        return int(self.table["events"].sum() + self.table["censored"].sum())

    def survival_at(self, t: float) -> float:
        """S(t): the share surviving beyond time t."""
        tab = self.table[self.table["time"] <= t]
        return float(tab["survival"].iloc[-1]) if len(tab) else 1.0

    def median(self) -> float | None:
        below = self.table[self.table["survival"] <= 0.5]
        return float(below["time"].iloc[0]) if len(below) else None

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def kaplan_meier(time, event, counts=None, alpha: float = 0.05, label: str = ALL) -> KaplanMeier:
    """Kaplan-Meier from durations ``time``, ``event`` (1 churned, 0 censored) and optional
    frequency ``counts`` (rows that stand for ``counts`` identical users)."""
    time = np.asarray(time, dtype=float)
    event = np.asarray(event).astype(bool)
    w = np.ones(len(time)) if counts is None else np.asarray(counts, dtype=float)
    if len(time) == 0 or w.sum() == 0:
        raise ParameterError("no users to estimate a survival curve from")
    ut, inv = np.unique(time, return_inverse=True)
    d = np.bincount(inv, weights=w * event, minlength=len(ut))
    c = np.bincount(inv, weights=w * ~event, minlength=len(ut))
    n = np.cumsum((d + c)[::-1])[::-1]
    s = np.cumprod(1 - d / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(d > 0, d / (n * (n - d)), 0.0)
        v = np.cumsum(term)  # Greenwood: var(log S)
        v = np.where(np.cumsum(n == d) > 0, np.nan, v)
        se = s * np.sqrt(v)
        z = stats.norm.ppf(1 - alpha / 2)
        # log-log interval (Kalbfleisch-Prentice), stays inside [0, 1]
        h = z * np.sqrt(v) / np.log(s)
        lo, hi = s ** np.exp(-h), s ** np.exp(h)
    lo = np.where(v == 0, s, lo)
    hi = np.where(v == 0, s, hi)
    tab = pd.DataFrame({"time": ut, "at_risk": n, "events": d, "censored": c, "survival": s,
                        "se": se, "ci_low": np.minimum(lo, hi), "ci_high": np.maximum(lo, hi)})
    return KaplanMeier(tab, alpha, label)


def logrank(time, event, group, counts=None) -> dict:
    """Log-rank test that the groups share one survival curve: chi2, df, p-value."""
    time = np.asarray(time, dtype=float)
    event = np.asarray(event).astype(bool)
    w = np.ones(len(time)) if counts is None else np.asarray(counts, dtype=float)
    groups, g = np.unique(np.asarray(group).astype(str), return_inverse=True)
    k = len(groups)
    if k < 2:
        raise ParameterError("the log-rank test needs at least two segments")
    ut, ti = np.unique(time, return_inverse=True)
    m = len(ut)
    d = np.zeros((m, k))
    r = np.zeros((m, k))
    np.add.at(d, (ti, g), w * event)
    np.add.at(r, (ti, g), w)
    n = np.cumsum(r[::-1], axis=0)[::-1]  # at risk per group
    nt, dt = n.sum(1), d.sum(1)
    ok = nt > 0
    e = np.where(ok[:, None], n * (dt / np.where(ok, nt, 1))[:, None], 0)
    o_e = (d - e).sum(0)
    f = np.where(nt > 1, dt * (nt - dt) / np.where(nt > 1, nt * nt * (nt - 1), 1), 0)
    # covariance of O - E
    cov = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            cov[i, j] = np.sum(f * (n[:, i] * ((i == j) * nt - n[:, j])))
    oe, cv = o_e[:-1], cov[:-1, :-1]
    chi2 = float(oe @ np.linalg.solve(cv, oe))
    df = k - 1
    return {"chi2": chi2, "df": df, "p_value": float(stats.chi2.sf(chi2, df)),
            "groups": list(groups), "observed": d.sum(0).tolist(),
            "expected": e.sum(0).tolist()}


# --------------------------------------------------------------------------- from the data
def churn_durations(source: DataSource, window: Window, spec: RetentionSpec | None = None,
                    inactive_days: int = 30, breakdown: str | None = None) -> pd.DataFrame:
    """Counts of users per (segment, time, event) under the inactivity rule (Ibis)."""
    spec = (spec or RetentionSpec()).validate()
    if int(inactive_days) < 1:
        raise ParameterError(f"churn_inactive_days={inactive_days} must be at least 1")
    D = int(inactive_days)
    spec1 = spec.with_(period=Period.DAY, window=spec.window.__class__("rolling"),
                       cohort_entry=spec.cohort_entry.__class__("first_time"),
                       counting=spec.counting.__class__("on"), brackets=(), cohort_period=None,
                       reference=spec.reference.__class__("cohort_size"))
    starts = user_starts(source, spec1, window, breakdown)
    cu = ibis.literal(window.complete_until.to_pydatetime(), type="timestamp")
    ev = source.table("events")
    ev = ev.filter(ev.event_at >= window.start, ev.event_at < window.complete_until)
    if spec.return_event != ANY_EVENT:
        ev = ev.filter(ev.event == spec.return_event)
    ev = ev.select(r_user=ev.user_id, at=ev.event_at)
    j = starts.join(ev, starts.user_id == ev.r_user)
    j = j.filter(j.at >= j.start_at)
    days = j.select("user_id", "seg", "start_at", k=j.at.delta(j.start_at, unit="microsecond")
                    // _US[Period.DAY])
    day0 = starts.select("user_id", "seg", "start_at", k=ibis.literal(0, type="int64"))
    days = days.union(day0, distinct=True)
    wdw = ibis.window(group_by="user_id", order_by="k")
    days = days.mutate(nxt=days.k.lead().over(wdw),
                       obs=cu.delta(days.start_at, unit="microsecond") // _US[Period.DAY] - 1)
    gap_end = ibis.coalesce(days.nxt, days.obs + 1)
    churn = (gap_end - days.k - 1) >= D
    per = days.group_by(["user_id", "seg"]).aggregate(
        churn_day=days.k.min(where=churn), last_day=days.k.max())
    per = per.mutate(time=ibis.coalesce(per.churn_day, per.last_day),
                     event=per.churn_day.notnull().cast("int8"))
    out = per.group_by(["seg", "time", "event"]).aggregate(users=per.count()).to_pandas()
    return out.rename(columns={"seg": "segment"}).sort_values(["segment", "time", "event"]) \
        .reset_index(drop=True)


@dataclass
class SurvivalResult:
    """Kaplan-Meier curves overall and per segment, and the log-rank test between segments."""

    counts: pd.DataFrame
    overall: KaplanMeier
    by_segment: dict[str, KaplanMeier]
    test: dict | None
    inactive_days: int
    breakdown: str | None

    def to_frame(self) -> pd.DataFrame:
        parts = [self.overall.table.assign(segment=ALL)]
        parts += [km.table.assign(segment=s) for s, km in self.by_segment.items()]
        return pd.concat(parts, ignore_index=True)

    def headline(self, day: int = 30) -> dict:
        return {"inactive_days": self.inactive_days, "users": self.overall.n,
                f"survival_day_{day}": self.overall.survival_at(day),
                "median_lifetime_days": self.overall.median(),
                "logrank_p_value": self.test["p_value"] if self.test else None}

    def segment_table(self, day: int = 30) -> pd.DataFrame:
        """Users, share not churned at ``day`` and median lifetime (days) per segment (or ``all``)."""
        curves = sorted(self.by_segment.items()) or [(ALL, self.overall)]
        return pd.DataFrame([(name, km.n, km.survival_at(day), km.median())
                             for name, km in curves],
                            columns=["segment", "users", f"not_churned_day_{day}",
                                     "median_lifetime_days"])


def survival(source: DataSource, window: Window, spec: RetentionSpec | None = None,
             inactive_days: int = 30, breakdown: str | None = None,
             alpha: float = 0.05) -> SurvivalResult:
    counts = churn_durations(source, window, spec, inactive_days, breakdown)
    if counts.empty:
        raise ParameterError("no users start inside the window; there is no survival curve")
    overall = kaplan_meier(counts["time"], counts["event"], counts["users"], alpha)
    by, test = {}, None
    if breakdown:
        for seg, g in counts.groupby("segment"):
            by[seg] = kaplan_meier(g["time"], g["event"], g["users"], alpha, label=seg)
        if len(by) > 1:
            test = logrank(counts["time"], counts["event"], counts["segment"], counts["users"])
    return SurvivalResult(counts, overall, by, test, int(inactive_days), breakdown)
