"""The cohort retention matrix, its means, breakdowns and revenue per cohort (LTV).

Event-level work (each user's start, the period of each return, revenue per period)
is one Ibis query over the :class:`~opsnb.data.source.DataSource` (:func:`matrix_query`:
the events are read once for the starts and once for the returns, each start's period
is computed once per membership, the period of a return is integer arithmetic on the
joined rows); only the matrix (cohort x segment x period counts) comes back to pandas.

A cell (cohort c, period k) is **complete** when period k has fully elapsed for every
user of the cohort by the end of the data (``window.complete_until``); incomplete cells
keep the returns observed so far in ``retained`` but their ``rate`` is NaN, never 0.
Empty cohorts (size 0) stay in the matrix as blank rows and are left out of every mean.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd

from opsnb.data.periods import (
    index_start, period_end, period_index, period_index_expr, period_start, period_starts,
)
from opsnb.data.source import DataSource
from opsnb.data.window import Window
from opsnb.errors import DataError, ParameterError
from opsnb.retention.spec import (
    ANY_EVENT, PERIOD_DAYS, SIGNUP, CohortEntry, Counting, MeanMethod, Period, Reference,
    RetentionSpec, WindowKind, period_length,
)

ALL = "all"
EMPTY = "(empty)"
_US = {Period.DAY: 86_400_000_000, Period.WEEK: 7 * 86_400_000_000}


# --------------------------------------------------------------------------- event-level (Ibis)
def check_events(source: DataSource, window: Window, *names: str) -> None:
    """Raise a DataError naming the known events when an event never occurs in the window."""
    wanted = [n for n in dict.fromkeys(names) if n not in (ANY_EVENT, SIGNUP)]
    if not wanted:
        return
    ev = source.table("events")
    ev = ev.filter(ev.event_at >= window.start, ev.event_at < window.end_exclusive)
    found = ev.filter(ev.event.isin(wanted)).event.value_counts().to_pandas()
    missing = [n for n in wanted if n not in set(found["event"])]
    if missing:
        known = ev.event.value_counts().to_pandas().sort_values("event_count", ascending=False)
        raise DataError(
            f"event {', '.join(map(repr, missing))} never occurs between {window.label()}",
            table="events", column="event",
            fix="use one of the events in the data: "
            + ", ".join(known["event"].astype(str).head(15)) + ", or 'any'",
        )


def _events_before_end(source: DataSource, spec: RetentionSpec, window: Window,
                       event: bool = True, revenue: bool = False) -> ibis.Table:
    """The events before the end of the window: the one definition both the starts and the
    returns read (DuckDB scans the file once for each; no materialised copy).

    Calendar mode adds ``p``, the period index of each event, computed once per event row;
    the period of a return is then ``p - p0`` (``p0``: the start's period, one per
    membership), integer arithmetic on the joined rows.
    """
    ev = source.table("events")
    ev = ev.filter(ev.event_at < window.end_exclusive)
    cols = {"user_id": ev.user_id, "event_at": ev.event_at}
    if event:
        cols["event"] = ev.event
    if revenue:
        cols["revenue"] = ev.revenue
    if spec.window is WindowKind.CALENDAR:
        cols["p"] = period_index_expr(ev.event_at, spec.period)
    return ev.select(**cols)


def user_starts(source: DataSource, spec: RetentionSpec, window: Window,
                breakdown: str | None = None, events: ibis.Table | None = None) -> ibis.Table:
    """One row per cohort membership: user_id, start_at, cohort (timestamp), seg; in calendar
    mode also p0, the period index of start_at.

    ``events``: the :func:`_events_before_end` table to read (the one the returns of the
    same query read).
    """
    users = source.table("users")
    if spec.start_event == SIGNUP:
        s = users.select("user_id", start_at=users.signup_at)
    elif spec.start_event == ANY_EVENT and spec.cohort_entry is CohortEntry.FIRST_TIME:
        # each user's first event, from the per-user summary of the validated events (no scan
        # of the events): a first event before the end of the window is the first event there
        sm = source.user_summary()
        s = sm.filter(sm.first_at < window.end_exclusive).select("user_id", start_at=sm.first_at)
    else:
        ev = events if events is not None else _events_before_end(
            source, spec, window, event=spec.start_event != ANY_EVENT)
        se = ev if spec.start_event == ANY_EVENT else ev.filter(ev.event == spec.start_event)
        if spec.cohort_entry is CohortEntry.FIRST_TIME:
            s = se.group_by("user_id").aggregate(start_at=se.event_at.min())
        else:
            se = se.filter(se.event_at >= window.start)
            p = (se.p if "p" in se.columns and spec.cohort_by is spec.period
                 else period_index_expr(se.event_at, spec.cohort_by))
            s = se.group_by(["user_id", p.name("opsnb_p")]).aggregate(
                start_at=se.event_at.min()).drop("opsnb_p")
    s = s.filter(s.start_at >= window.start, s.start_at < window.end_exclusive)
    s = s.mutate(cohort=s.start_at.truncate(spec.cohort_by.value[0].upper()))
    if spec.window is WindowKind.CALENDAR:
        s = s.mutate(p0=period_index_expr(s.start_at, spec.period))  # once per membership
    if breakdown:
        u = users.select(u_id=users.user_id, seg=users[breakdown].cast("string"))
        s = s.join(u, s.user_id == u.u_id).drop("u_id")
        s = s.mutate(seg=s.seg.fill_null(EMPTY))
    else:
        s = s.mutate(seg=ibis.literal(ALL))
    return s


def _returns(source: DataSource, spec: RetentionSpec, window: Window, starts: ibis.Table,
             event: str | None, events: ibis.Table) -> ibis.Table:
    """The return events of each membership (at >= start_at) with k, the period of the return."""
    ev = events.filter(events.event_at >= window.start)
    if event not in (None, ANY_EVENT):
        ev = ev.filter(ev.event == event)
    cols = {"r_user": ev.user_id, "at": ev.event_at}
    if "revenue" in ev.columns:
        cols["revenue"] = ev.revenue
    if spec.window is WindowKind.CALENDAR:
        cols["p"] = ev.p
    ev = ev.select(**cols)
    j = starts.join(ev, starts.user_id == ev.r_user)
    if not (spec.start_event != SIGNUP and spec.cohort_entry is CohortEntry.FIRST_TIME
            and spec.start_event in (ANY_EVENT, event)):
        # (otherwise implied: the start is the user's first of these very events)
        j = j.filter(j.at >= j.start_at)
    if spec.window is WindowKind.ROLLING:
        k = j.at.delta(j.start_at, unit="microsecond") // _US[spec.period]
    else:
        k = j.p - j.p0
    return j.mutate(k=k)


def matrix_query(source: DataSource, spec: RetentionSpec, window: Window,
                 breakdown: str | None = None, revenue: bool = True) -> ibis.Table:
    """All the aggregates behind the matrix as one query (one round trip, one hash join of
    the returns with the starts, one hash aggregate per part).

    Rows: ``part`` 0 = cohort sizes (n), 1 = retained (n: distinct members by period or
    bracket; for on_or_after: members whose last return is in period k), 2 = revenue.
    """
    keys = ["cohort", "seg"] if breakdown else ["cohort"]
    any_return = spec.return_event == ANY_EVENT
    needs_event = not (spec.start_event in (ANY_EVENT, SIGNUP) and any_return)
    events = _events_before_end(source, spec, window, event=needs_event, revenue=revenue)
    starts = user_starts(source, spec, window, breakdown, events=events)
    last = spec.last_period
    rev_last = spec.brackets[-1][1] if spec.brackets else last

    def shape(t: ibis.Table, part: int, n=None, rev=None) -> ibis.Table:
        return t.select(part=ibis.literal(part, type="int8"), cohort=t.cohort,
                        seg=t.seg if breakdown else ibis.literal(ALL),
                        k=t.k.cast("int64") if "k" in t.columns else ibis.literal(-1, type="int64"),
                        n=(t[n] if n else ibis.null("int64")).cast("int64"),
                        revenue=(t[rev] if rev else ibis.null("float64")).cast("float64"))

    parts = [shape(starts.group_by(keys).aggregate(size=starts.count()), 0, n="size")]
    r = _returns(source, spec, window, starts, spec.return_event, events)
    if spec.counting is Counting.ON and revenue and any_return:
        # the same joined rows give both: one hash aggregate
        r = r.filter(r.k <= last)
        q = r.group_by(keys + ["k"]).aggregate(
            retained=r.r_user.nunique(), revenue=r.revenue.sum(where=r.revenue > 0))
        parts += [shape(q, 1, n="retained"),
                  shape(q.filter(q.revenue.notnull()), 2, rev="revenue")]
        revenue = False
    elif spec.counting is Counting.ON:
        r = r.filter(r.k <= last)
        parts.append(shape(r.group_by(keys + ["k"]).aggregate(retained=r.r_user.nunique()), 1,
                           n="retained"))
    elif spec.counting is Counting.BRACKETS:
        b = ibis.cases(*[((r.k >= lo) & (r.k <= hi), i) for i, (lo, hi) in enumerate(spec.brackets)],
                       else_=ibis.null("int64"))
        rb = r.filter(r.k <= last).mutate(k=b)
        rb = rb.filter(rb.k.notnull())
        parts.append(shape(rb.group_by(keys + ["k"]).aggregate(retained=rb.r_user.nunique()), 1,
                           n="retained"))
    else:  # on or after: each membership counts in every period up to its last return
        per = r.group_by(keys + ["user_id", "start_at"]).aggregate(k=r.k.max())
        per = per.mutate(k=ibis.least(per.k, last))
        parts.append(shape(per.group_by(keys + ["k"]).aggregate(last_n=per.count()), 1,
                           n="last_n"))
    if revenue:
        rv = r if any_return else _returns(source, spec, window, starts, None, events)
        rv = rv.filter(rv.revenue > 0, rv.k <= rev_last)
        parts.append(shape(rv.group_by(keys + ["k"]).aggregate(revenue=rv.revenue.sum()), 2,
                           rev="revenue"))
    return ibis.union(*parts, distinct=False)


def matrix_counts(source: DataSource, spec: RetentionSpec, window: Window,
                  breakdown: str | None = None, revenue: bool = True) -> dict[str, pd.DataFrame]:
    """The small aggregates behind the matrix: sizes, retained (per period or bracket), revenue."""
    got = matrix_query(source, spec, window, breakdown, revenue).to_pandas()
    keys = ["cohort", "seg"]
    part = got["part"]
    out = {"sizes": got.loc[part == 0, keys].assign(size=got.loc[part == 0, "n"].astype("int64"))}
    n = "last_n" if spec.counting is Counting.ON_OR_AFTER else "retained"
    out["retained"] = got.loc[part == 1, keys + ["k"]].assign(
        **{n: got.loc[part == 1, "n"].astype("int64")})
    if revenue:
        out["revenue"] = got.loc[part == 2, keys + ["k", "revenue"]]
    return {name: f.reset_index(drop=True) for name, f in out.items()}


# --------------------------------------------------------------------------- completeness
def cell_complete(cohort: pd.Timestamp, k_last: int, spec: RetentionSpec, window: Window) -> bool:
    """True when period ``k_last`` has elapsed for every possible member of the cohort."""
    c_end = min(period_end(period_start(cohort, spec.cohort_by), spec.cohort_by),
                window.end_exclusive)  # members start before this instant
    if spec.window is WindowKind.ROLLING:
        return c_end + (k_last + 1) * period_length(spec.period) <= window.complete_until
    last_start = c_end - pd.Timedelta(microseconds=1)
    end_idx = period_index(last_start, spec.period) + k_last + 1
    return index_start(end_idx, spec.period) <= window.complete_until


# --------------------------------------------------------------------------- the matrix
@dataclass
class CohortMatrix:
    """Cohort x period retention (per segment when ``breakdown`` is set).

    ``table`` columns: cohort, segment, period (index), period_label, size, base (the
    denominator: the cohort size, or the previous period's retained users), retained
    (returns observed so far), rate (NaN when incomplete or the base is empty), complete.
    ``revenue`` columns: cohort, segment, period, size, revenue, arpu (revenue of the
    period per cohort member), cum_revenue_per_user (LTV so far), complete.
    """

    spec: RetentionSpec
    window: Window
    breakdown: str | None
    table: pd.DataFrame
    revenue: pd.DataFrame | None = None

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    @property
    def segments(self) -> list[str]:
        return sorted(self.table["segment"].unique())

    def collapsed(self) -> CohortMatrix:
        """The matrix with segments added together (one 'all' segment)."""
        if self.breakdown is None:
            return self
        t = self.table.groupby(["cohort", "period", "period_label"], as_index=False, sort=True).agg(
            size=("size", "sum"), base=("base", "sum"), retained=("retained", "sum"),
            complete=("complete", "first"))
        t.insert(1, "segment", ALL)
        t["rate"] = _rate(t)
        rv = None
        if self.revenue is not None:
            rv = self.revenue.groupby(["cohort", "period"], as_index=False, sort=True).agg(
                size=("size", "sum"), revenue=("revenue", "sum"), complete=("complete", "first"))
            rv.insert(1, "segment", ALL)
            rv = _ltv_columns(rv)
        return CohortMatrix(self.spec, self.window, None, t[self.table.columns], rv)

    def mean_retention(self, method: str | MeanMethod | None = None, by_segment: bool | None = None,
                       alpha: float = 0.05) -> pd.DataFrame:
        """Mean rate per period over complete, non-empty cells, with a (1 - alpha) interval.

        weighted: sum retained / sum base (Wilson interval on the pooled counts);
        simple: the mean of the cohorts' rates (t interval over cohorts).
        """
        from scipy import stats  # (imported here: computing a matrix needs neither library)
        from statsmodels.stats.proportion import proportion_confint

        method = MeanMethod(method or self.spec.mean)
        m = self if (by_segment if by_segment is not None else True) else self.collapsed()
        t = m.table[m.table["complete"] & (m.table["base"] > 0)]
        rows = []
        for (seg, k, lab), g in t.groupby(["segment", "period", "period_label"], sort=True):
            n, x = int(g["base"].sum()), int(g["retained"].sum())
            row = {"segment": seg, "period": k, "period_label": lab, "cohorts": len(g),
                   "users": n, "retained": x, "method": method.value}
            if method is MeanMethod.WEIGHTED:
                lo, hi = proportion_confint(x, n, alpha=alpha, method="wilson")
                row.update(rate=x / n, ci_low=lo, ci_high=hi)
            else:
                r = g["rate"].to_numpy(float)
                mean = float(r.mean())
                if len(r) > 1:
                    h = stats.t.ppf(1 - alpha / 2, len(r) - 1) * r.std(ddof=1) / np.sqrt(len(r))
                else:
                    h = np.nan
                row.update(rate=mean, ci_low=mean - h, ci_high=mean + h)
            rows.append(row)
        cols = ["segment", "period", "period_label", "cohorts", "users", "retained", "rate",
                "ci_low", "ci_high", "method"]
        return pd.DataFrame(rows, columns=cols)

    def wide(self, segment: str | None = None) -> pd.DataFrame:
        """Rates as cohort rows x period columns (NaN where incomplete or empty)."""
        m = self.collapsed() if segment is None else self
        t = m.table if segment is None else m.table[m.table["segment"] == segment]
        w = t.pivot(index="cohort", columns="period_label", values="rate")
        return w[self.spec.period_labels()]

    def change_vs_previous(self, period_label: str, n_cohorts: int = 4) -> dict:
        """Pooled rate of the latest ``n_cohorts`` complete cohorts against the ``n`` before."""
        t = self.collapsed().table
        t = t[(t["period_label"] == period_label) & t["complete"] & (t["base"] > 0)]
        t = t.sort_values("cohort")
        if len(t) < 2:
            return {}
        n = min(n_cohorts, len(t) // 2)
        cur, prev = t.iloc[-n:], t.iloc[-2 * n:-n]
        rc = cur["retained"].sum() / cur["base"].sum()
        rp = prev["retained"].sum() / prev["base"].sum()
        return {"period_label": period_label, "recent_rate": float(rc), "previous_rate": float(rp),
                "change": float(rc - rp), "recent_cohorts": [f"{c:%Y-%m-%d}" for c in cur["cohort"]],
                "previous_cohorts": [f"{c:%Y-%m-%d}" for c in prev["cohort"]]}

    def cohort_is_partial(self, cohort: pd.Timestamp) -> bool:
        """Whether the cohort's period (day, week or month) is cut by the report window."""
        end = period_end(period_start(cohort, self.spec.cohort_by), self.spec.cohort_by)
        return cohort < self.window.start or not self.window.is_complete(end)

    def mean_ltv(self, by_segment: bool = True) -> pd.DataFrame:
        """Cumulative revenue per cohort member by period, pooled over complete cells."""
        if self.revenue is None:
            raise ParameterError("this matrix was built without revenue")
        rv = self.revenue if by_segment else self.collapsed().revenue
        rv = rv[rv["complete"] & (rv["size"] > 0)]
        g = rv.groupby(["segment", "period"], as_index=False).agg(
            cohorts=("cohort", "count"), users=("size", "sum"),
            cum_revenue=("cum_revenue", "sum"))
        g["ltv"] = g["cum_revenue"] / g["users"]
        return g


def _rate(t: pd.DataFrame) -> pd.Series:
    ok = t["complete"] & (t["base"] > 0)
    return (t["retained"] / t["base"].where(t["base"] > 0)).where(ok)


def _ltv_columns(rv: pd.DataFrame) -> pd.DataFrame:
    rv = rv.sort_values(["segment", "cohort", "period"]).reset_index(drop=True)
    rv["cum_revenue"] = rv.groupby(["segment", "cohort"])["revenue"].cumsum()
    size = rv["size"].where(rv["size"] > 0)
    rv["arpu"] = rv["revenue"] / size
    rv["cum_revenue_per_user"] = rv["cum_revenue"] / size
    return rv[["cohort", "segment", "period", "size", "revenue", "cum_revenue", "arpu",
               "cum_revenue_per_user", "complete"]]


def check_window(spec: RetentionSpec, window: Window) -> None:
    need = 2 * PERIOD_DAYS[spec.period]
    if window.days < need:
        raise ParameterError(
            f"period={spec.period.value!r} is too long for the window {window.label()} "
            f"({window.days} day{'' if window.days == 1 else 's'}): measuring a return needs a "
            f"window of at least two {spec.period.value}s ({need} days); choose a shorter period "
            "or a longer window")


def cohort_matrix(source: DataSource, window: Window, spec: RetentionSpec | None = None,
                  breakdown: str | None = None, revenue: bool = True) -> CohortMatrix:
    """The retention matrix of ``spec`` over the users who start inside ``window``."""
    spec = (spec or RetentionSpec()).validate()
    check_window(spec, window)
    users = source.table("users")
    if breakdown:
        if breakdown not in users.columns:
            raise ParameterError(f"breakdown={breakdown!r} is not a users column; choose from "
                                 f"{', '.join(c for c in users.columns if c not in ('user_id', 'signup_at'))}")
    check_events(source, window, spec.start_event, spec.return_event)
    got = matrix_counts(source, spec, window, breakdown, revenue)
    sizes = got["sizes"].rename(columns={"seg": "segment"})
    if int(sizes["size"].sum()) == 0:
        what = "sign up" if spec.start_event == SIGNUP else (
            "have their first event" if spec.start_event == ANY_EVENT else
            f"do {spec.start_event!r}")
        raise DataError(f"no users {what} between {window.label()}, so there is no cohort",
                        table="users" if spec.start_event == SIGNUP else "events",
                        column="signup_at" if spec.start_event == SIGNUP else "event_at",
                        fix="choose a window in which users start (new users arrive), or a "
                        "different start event")
    cohorts = period_starts(window.start, window.end, spec.cohort_by)
    segs = sorted(sizes["segment"].unique())
    labels = spec.period_labels()
    grid = pd.MultiIndex.from_product([cohorts, segs, range(len(labels))],
                                      names=["cohort", "segment", "period"]).to_frame(index=False)
    grid["period_label"] = [labels[k] for k in grid["period"]]
    t = grid.merge(sizes, on=["cohort", "segment"], how="left")
    t["size"] = t["size"].fillna(0).astype("int64")
    ret = got["retained"].rename(columns={"seg": "segment", "k": "period"})
    if spec.counting is Counting.ON_OR_AFTER:
        ret = _on_or_after(t, got["retained"].rename(columns={"seg": "segment", "k": "period"}))
    t = t.merge(ret[["cohort", "segment", "period", "retained"]], how="left",
                on=["cohort", "segment", "period"])
    t["retained"] = t["retained"].fillna(0).astype("int64")
    k_last = [hi for _, hi in spec.brackets] if spec.brackets else list(range(len(labels)))
    comp = {(c, k): cell_complete(c, k_last[k], spec, window) for c in cohorts
            for k in range(len(labels))}
    t["complete"] = [comp[(c, k)] for c, k in zip(t["cohort"], t["period"])]
    t = t.sort_values(["segment", "cohort", "period"]).reset_index(drop=True)
    if spec.reference is Reference.PREVIOUS_PERIOD:
        prev = t.groupby(["segment", "cohort"])["retained"].shift(1)
        t["base"] = prev.fillna(t["size"]).astype("int64")
    else:
        t["base"] = t["size"]
    t["rate"] = _rate(t)
    t = t[["cohort", "segment", "period", "period_label", "size", "base", "retained", "rate",
           "complete"]]
    rv = None
    if revenue:
        base_labels = range((spec.brackets[-1][1] if spec.brackets else spec.last_period) + 1)
        g = pd.MultiIndex.from_product([cohorts, segs, base_labels],
                                       names=["cohort", "segment", "period"]).to_frame(index=False)
        g = g.merge(sizes, on=["cohort", "segment"], how="left")
        g["size"] = g["size"].fillna(0).astype("int64")
        r = got["revenue"].rename(columns={"seg": "segment", "k": "period"})
        g = g.merge(r, how="left", on=["cohort", "segment", "period"])
        g["revenue"] = g["revenue"].fillna(0.0).astype(float)
        per_period = spec.with_(counting=Counting.ON, brackets=(), reference=Reference.COHORT_SIZE)
        done = {(c, k): cell_complete(c, k, per_period, window) for c in cohorts for k in base_labels}
        g["complete"] = [done[(c, int(k))] for c, k in zip(g["cohort"], g["period"])]
        rv = _ltv_columns(g)
    return CohortMatrix(spec, window, breakdown, t, rv)


def _on_or_after(t: pd.DataFrame, last: pd.DataFrame) -> pd.DataFrame:
    """retained(k) = members whose last return falls in period k or later."""
    full = t[["cohort", "segment", "period"]].merge(last, how="left",
                                                    on=["cohort", "segment", "period"])
    full["last_n"] = full["last_n"].fillna(0)
    full = full.sort_values(["cohort", "segment", "period"], ascending=[True, True, False])
    full["retained"] = full.groupby(["cohort", "segment"])["last_n"].cumsum()
    return full
