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

from opsnb.data.daymask import day_mask_aggregates, day_set, mask_words, n_words
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
    k = j.at.delta(j.start_at, unit="microsecond") // _US[Period.DAY]
    # rolling days from a start inside the window to an event before complete_until
    n_days = int((window.complete_until - window.start) / pd.Timedelta(days=1))
    if n_words(n_days):
        per = _durations_from_masks(starts, j.mutate(k=k), window, n_days, D)
    else:
        per = _durations_from_window(starts, j.mutate(k=k), cu, D)
    out = per.group_by(["seg", "time", "event"]).aggregate(users=per.count()).to_pandas() \
        if isinstance(per, ibis.Table) else per
    return out.rename(columns={"seg": "segment"}).sort_values(["segment", "time", "event"]) \
        .reset_index(drop=True)


def _durations_from_window(starts: ibis.Table, j: ibis.Table, cu: ibis.Expr, D: int) -> ibis.Table:
    """Per user: time and event, from the distinct active days and the next one (a window)."""
    days = j.select("user_id", "seg", "start_at", "k")
    day0 = starts.select("user_id", "seg", "start_at", k=ibis.literal(0, type="int64"))
    days = days.union(day0, distinct=True)
    wdw = ibis.window(group_by="user_id", order_by="k")
    days = days.mutate(nxt=days.k.lead().over(wdw),
                       obs=cu.delta(days.start_at, unit="microsecond") // _US[Period.DAY] - 1)
    gap_end = ibis.coalesce(days.nxt, days.obs + 1)
    churn = (gap_end - days.k - 1) >= D
    per = days.group_by(["user_id", "seg"]).aggregate(
        churn_day=days.k.min(where=churn), last_day=days.k.max())
    return per.mutate(time=ibis.coalesce(per.churn_day, per.last_day),
                      event=per.churn_day.notnull().cast("int8"))


def _durations_from_masks(starts: ibis.Table, j: ibis.Table, window: Window, n_days: int,
                          D: int) -> pd.DataFrame:
    """Counts per (seg, time, event), with each user's active days as a bit mask.

    The engine returns one row per user (its day words, :mod:`opsnb.data.daymask`) instead
    of sorting every (user, day) pair for a window; numpy walks the days from the last to the
    first, keeping the next active day, which gives the same time and event as
    :func:`_durations_from_window` (a test compares the two).
    """
    agg = j.group_by(a_user=j.user_id).aggregate(**day_mask_aggregates(j.k, n_days))
    per = starts.left_join(agg, starts.user_id == agg.a_user)
    # users without a return event have no words: 0 in the engine (a float column would lose bits)
    words = {c: per[c].fill_null(0) for c in agg.columns if c != "a_user"}
    df = per.select("seg", "start_at", **words).to_pandas()
    words = mask_words(df, n_days)
    day = pd.Timedelta(days=1)
    obs = ((window.complete_until - df["start_at"]) // day).to_numpy(np.int64) - 1
    n = len(df)
    nxt = obs + 1                      # the next active day after d (none yet: past the end)
    churn_day = np.full(n, -1, np.int64)
    last_day = np.full(n, -1, np.int64)
    for d in range(n_days - 1, -1, -1):
        active = day_set(words, d) | (d == 0)  # the start day counts as active
        churned = active & (nxt - d - 1 >= D)
        churn_day[churned] = d
        last_day[active & (last_day < 0)] = d
        nxt[active] = d
    event = churn_day >= 0
    out = pd.DataFrame({"seg": df["seg"].to_numpy(),
                        "time": np.where(event, churn_day, last_day),
                        "event": event.astype("int8")})
    return out.groupby(["seg", "time", "event"], as_index=False).size().rename(
        columns={"size": "users"})


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
