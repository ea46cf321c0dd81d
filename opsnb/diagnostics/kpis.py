"""KPI definitions and the event-level queries behind them.

A KPI is a sum of parts over segments, so the same numbers serve the change decomposition, the
root-cause search and the forecast:

==================  =====================================================  ==================
kpi                 value of a window                                      kind
==================  =====================================================  ==================
dau                 user-days / days (average daily active users)          additive, per day
new_users           sign-ups / days                                        additive, per day
revenue             revenue / days                                         additive, per day
arpu                revenue / active users of the window                   ratio
paying_conversion   paying users / active users (paying: revenue > 0)      ratio
ratio:A/B           count of events A / count of events B                  ratio
==================  =====================================================  ==================

Every dimension is a user attribute (a column of ``users``) or ``user_type`` (``new``: signed up
in the window; ``returning``), so each user falls in exactly one segment per window and distinct
user counts add up over segments. That is why one event-level query grouped by the window and
*all* dimensions at once (the finest cells) gives every combination of up to ``max_depth``
dimensions by summing cells in pandas: one query per dimension set, never one per segment. When
the cells would be too many (high-cardinality dimensions), :func:`window_cells` falls back to one
query per combination of dimensions, still never one per segment.

>>> k = parse_kpi("ratio:purchase/session_start")
>>> k.kind, k.numerator_event, k.denominator_event
('ratio', 'purchase', 'session_start')
>>> parse_kpi("dau").label
'DAU'
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import ibis
import numpy as np
import pandas as pd

from opsnb.errors import ParameterError

KPIS = ("dau", "new_users", "revenue", "arpu", "paying_conversion")
USER_DIMENSIONS = ("channel", "region", "device", "age_band", "gender", "campaign")
DIMENSIONS = (*USER_DIMENSIONS, "user_type")
NONE_LABEL = "(none)"
MAX_CELLS = 200_000  # finest cells per window above which each combination is its own query
CELL_COLUMNS = ("active", "user_days", "paying", "revenue", "num", "den", "signups")


@dataclass(frozen=True)
class KPI:
    """What is measured. ``kind``: additive (a per-day sum of segment values) or ratio."""

    name: str
    kind: str
    numerator_event: str = ""
    denominator_event: str = ""

    @property
    def label(self) -> str:
        if self.name == "ratio":
            return f"{self.numerator_event} / {self.denominator_event}"
        return {"dau": "DAU", "new_users": "New users", "revenue": "Revenue", "arpu": "ARPU",
                "paying_conversion": "Paying conversion"}[self.name]

    @property
    def code(self) -> str:
        return (f"ratio:{self.numerator_event}/{self.denominator_event}" if self.name == "ratio"
                else self.name)

    @property
    def factors(self) -> tuple[str, ...]:
        """The factors of the decomposition, the segments' share first."""
        if self.name in ("dau", "revenue"):
            return ("size", "mix", "rate")
        if self.name == "arpu":
            return ("mix", "conversion", "revenue_per_payer")
        if self.kind == "ratio":
            return ("mix", "rate")
        return ()

    @property
    def money(self) -> bool:
        return self.name in ("revenue", "arpu")

    @property
    def target_sums(self) -> bool:
        """Is a target on the period's total (new users, revenue) rather than its daily mean?"""
        return self.name in ("new_users", "revenue")


def parse_kpi(kpi: str) -> KPI:
    """A KPI from its code: one of KPIS, or ``ratio:<event>/<event>``."""
    if not isinstance(kpi, str):
        raise ParameterError(f"parameter kpi must be str, got {kpi!r}")
    code = kpi.strip()
    if code in KPIS:
        return KPI(code, "additive" if code in ("dau", "new_users", "revenue") else "ratio")
    if code.startswith("ratio:") and code.count("/") == 1:
        a, b = (x.strip() for x in code[len("ratio:"):].split("/"))
        if a and b and a != b:
            return KPI("ratio", "ratio", a, b)
    raise ParameterError(f"parameter kpi={kpi!r}; choose one of {', '.join(KPIS)} or "
                         "ratio:<numerator event>/<denominator event>")


@dataclass(frozen=True)
class Span:
    """A window of whole days: ``start`` .. ``end`` inclusive."""

    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def end_exclusive(self) -> pd.Timestamp:
        return self.end + pd.Timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"


def value_of(kpi: KPI, c: pd.DataFrame | pd.Series, days: int):
    """The KPI of summed cells (a frame of cells or one row of sums)."""
    s = c.sum() if isinstance(c, pd.DataFrame) else c
    if kpi.name == "dau":
        return s["user_days"] / days
    if kpi.name == "new_users":
        return s["signups"] / days
    if kpi.name == "revenue":
        return s["revenue"] / days
    num, den = {"arpu": ("revenue", "active"), "paying_conversion": ("paying", "active")}.get(
        kpi.name, ("num", "den"))
    return s[num] / s[den] if s[den] else float("nan")


def _dim_value(col: ibis.Value) -> ibis.Value:
    col = col.cast("string")
    return ibis.cases((col.isnull() | (col.strip() == ""), NONE_LABEL), else_=col)


def dimension_values(source, dims: tuple[str, ...]) -> dict[str, int]:
    """Distinct values of each user dimension (one query); user_type counts 2."""
    users = source.table("users")
    cols = [d for d in dims if d != "user_type"]
    out: dict[str, int] = {}
    if cols:
        row = users.aggregate(**{d: _dim_value(users[d]).nunique() for d in cols}).to_pandas()
        out = {d: int(row[d].iloc[0]) for d in cols}
    if "user_type" in dims:
        out["user_type"] = 2
    return out


def _window_label(ts: ibis.Value, base: Span, current: Span) -> ibis.Value:
    return ibis.cases(((ts >= current.start) & (ts < current.end_exclusive), "current"),
                      else_="base")


def _in_windows(ts: ibis.Value, base: Span, current: Span) -> ibis.Value:
    return (((ts >= base.start) & (ts < base.end_exclusive))
            | ((ts >= current.start) & (ts < current.end_exclusive)))


def _user_dims(users: ibis.Table, dims: tuple[str, ...]) -> dict:
    return {d: _dim_value(users[d]) for d in dims if d != "user_type"}


def _user_type(signup: ibis.Value, w: ibis.Value, base: Span, current: Span) -> ibis.Value:
    start = ibis.cases((w == "current", ibis.literal(current.start)), else_=ibis.literal(base.start))
    return ibis.ifelse(signup >= start, "new", "returning")


def cells_query(source, kpi: KPI, base: Span, current: Span,
                dims: tuple[str, ...]) -> ibis.Table:
    """One query: the KPI's parts per window and segment of ``dims`` (every dimension at once)."""
    users = source.table("users")
    if kpi.name == "new_users":
        u = users.filter(_in_windows(users.signup_at, base, current))
        w = _window_label(u.signup_at, base, current)
        keys = {"w": w, **_user_dims(u, dims)}
        if "user_type" in dims:
            keys["user_type"] = ibis.literal("new")
        return u.group_by(**keys).aggregate(signups=u.count())
    ev = source.table("events")
    e = ev.filter(_in_windows(ev.event_at, base, current))
    w = _window_label(e.event_at, base, current)
    # per user-day, then per user: two plain group-bys cost less than a distinct count of days
    metrics = {"revenue": e.revenue.sum(), "maxrev": e.revenue.max()}
    if kpi.name == "ratio":
        metrics["num"] = e.count(where=e.event == kpi.numerator_event)
        metrics["den"] = e.count(where=e.event == kpi.denominator_event)
    ud = e.group_by(w=w, user_id=e.user_id, day=e.event_at.truncate("D")).aggregate(**metrics)
    per_day = {"days": ud.count(), "revenue": ud.revenue.sum(), "maxrev": ud.maxrev.max()}
    if kpi.name == "ratio":
        per_day.update(num=ud.num.sum(), den=ud.den.sum())
    per_user = ud.group_by("w", "user_id").aggregate(**per_day)
    udims = users.select("user_id", "signup_at", **_user_dims(users, dims))
    j = per_user.join(udims, "user_id")
    keys = {d: j[d] for d in dims if d != "user_type"}
    if "user_type" in dims:
        keys["user_type"] = _user_type(j.signup_at, j.w, base, current)
    aggs = dict(active=j.count(), user_days=j.days.sum(), paying=j.count(where=j.maxrev > 0),
                revenue=j.revenue.sum())
    if kpi.name == "ratio":
        aggs.update(num=j.num.sum(), den=j.den.sum())
    return j.group_by(w=j.w, **keys).aggregate(**aggs)


def dimension_sets(dims: tuple[str, ...], max_depth: int) -> list[tuple[str, ...]]:
    """Every combination of 1 .. max_depth dimensions, in a fixed order."""
    out: list[tuple[str, ...]] = []
    for k in range(1, max_depth + 1):
        out += list(combinations(dims, k))
    return out


def window_cells(source, kpi: KPI, base: Span, current: Span, dims: tuple[str, ...],
                 max_depth: int, cardinality: dict[str, int] | None = None
                 ) -> dict[tuple[str, ...], pd.DataFrame]:
    """Per window, the KPI's parts for every segment of every dimension set (up to depth).

    Returns ``{dimension set: frame}``, each frame with the set's columns, ``w`` (base, current)
    and the part columns (:data:`CELL_COLUMNS`, zeros where the KPI does not use one). The
    empty dimension set ``()`` holds the totals.
    """
    n_cells = 1
    for d in dims:
        n_cells *= max(1, (cardinality or {}).get(d, 1))
    sets = dimension_sets(dims, max_depth)
    queries = [dims] if n_cells <= MAX_CELLS else sets
    frames = {}
    for q in queries:
        got = cells_query(source, kpi, base, current, q).to_pandas()
        for c in CELL_COLUMNS:
            got[c] = pd.to_numeric(got[c], errors="coerce").fillna(0).astype(float) \
                if c in got else 0.0
        frames[q] = got
    out: dict[tuple[str, ...], pd.DataFrame] = {}
    for s in [(), *sets]:
        src = frames[s] if s in frames else frames[next(q for q in queries if set(s) <= set(q))]
        out[s] = _rollup(src, s)
    return out


def _rollup(cells: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """Sum the cells' parts by window and ``keys`` (sorted), with numpy: a group-by per
    dimension set in pandas costs more than the query."""
    cols = list(CELL_COLUMNS)
    by = ["w", *keys]
    codes, labels = [], []
    for k in by:
        c, u = pd.factorize(cells[k].astype(str), sort=True)
        codes.append(c)
        labels.append(np.asarray(u, dtype=object))
    shape = tuple(max(len(u), 1) for u in labels)
    flat = np.ravel_multi_index(tuple(codes), shape) if len(cells) else np.zeros(0, int)
    n = int(np.prod(shape))
    present = np.flatnonzero(np.bincount(flat, minlength=n))
    values = cells[cols].to_numpy(float)
    sums = {c: np.bincount(flat, values[:, i], n)[present] for i, c in enumerate(cols)}
    idx = np.unravel_index(present, shape)
    return pd.DataFrame({**{k: labels[j][idx[j]] for j, k in enumerate(by)}, **sums})


def daily_series(source, kpi: KPI, start: pd.Timestamp, end_exclusive: pd.Timestamp,
                 by: str | None = None) -> pd.Series | pd.DataFrame:
    """The KPI per day from ``start`` to the day before ``end_exclusive`` (one query).

    dau: daily active users; new_users: sign-ups; revenue: revenue; arpu: revenue per daily
    active user; paying_conversion: paying / active users of the day; ratio: the day's counts.

    With ``by`` (a column of ``users``; additive KPIs only), a frame: one row per day, one column
    per value of the user's ``by`` found in the window's rows (empty values: ``(none)``); its
    rows sum to the series without ``by``. Still one query.
    """
    idx = pd.date_range(start, end_exclusive - pd.Timedelta(days=1), freq="D")
    if by is not None and kpi.kind != "additive":
        raise ParameterError(f"kpi={kpi.code!r} is a ratio; a daily series by {by} takes "
                             "dau, new_users or revenue")
    if kpi.name == "new_users":
        u = source.table("users")
        u = u.filter(u.signup_at >= start, u.signup_at < end_exclusive)
        keys = {"day": u.signup_at.truncate("D")}
        if by is not None:
            keys["unit"] = _dim_value(u[by])
        got = u.group_by(**keys).aggregate(v=u.count()).to_pandas()
        got["day"] = pd.to_datetime(got["day"])
        if by is not None:
            return _by_unit(got, "v", idx, by)
        return got.set_index("day")["v"].astype(float).reindex(idx, fill_value=0.0)
    ev = source.table("events")
    e = ev.filter(ev.event_at >= start, ev.event_at < end_exclusive)
    if kpi.name == "ratio":  # counts only
        got = e.group_by(day=e.event_at.truncate("D")).aggregate(
            num=e.count(where=e.event == kpi.numerator_event),
            den=e.count(where=e.event == kpi.denominator_event)).to_pandas()
    else:  # per user-day, then per day: active and paying users without distinct counts
        ud = e.group_by(day=e.event_at.truncate("D"), user_id=e.user_id).aggregate(
            revenue=e.revenue.sum())
        group: tuple[str, ...] = ("day",)
        if by is not None:
            users = source.table("users")
            ud = ud.join(users.select("user_id", unit=_dim_value(users[by])), "user_id")
            group = ("day", "unit")
        aggs = {"active": ud.count()}
        if kpi.name != "dau":
            aggs.update(revenue=ud.revenue.sum(), paying=ud.count(where=ud.revenue > 0))
        got = ud.group_by(*group).aggregate(**aggs).to_pandas()
    got["day"] = pd.to_datetime(got["day"])
    if by is not None:
        return _by_unit(got, "active" if kpi.name == "dau" else "revenue", idx, by)
    got = got.set_index("day").reindex(idx).fillna(0.0).astype(float)
    if kpi.name == "dau":
        s = got["active"]
    elif kpi.name == "revenue":
        s = got["revenue"]
    else:
        num, den = {"arpu": ("revenue", "active"), "paying_conversion": ("paying", "active")}.get(
            kpi.name, ("num", "den"))
        s = got[num] / got[den].where(got[den] > 0)
    s.name = kpi.code
    return s


def _by_unit(got: pd.DataFrame, value: str, idx: pd.DatetimeIndex, by: str) -> pd.DataFrame:
    """Days x units of a (day, unit, value) frame; missing days and units are 0."""
    if got.empty:
        return pd.DataFrame(index=idx, columns=pd.Index([], dtype=object, name=by), dtype=float)
    wide = got.pivot_table(index="day", columns="unit", values=value, aggfunc="sum")
    wide = wide.reindex(idx).fillna(0.0).astype(float)
    wide.columns = pd.Index([str(c) for c in wide.columns], name=by)
    return wide.sort_index(axis=1)
