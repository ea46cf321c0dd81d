"""The operating KPIs: active users and stickiness, new users, revenue per user, the funnel.

Event-level work is written once as Ibis expressions over a :class:`DataSource`
(DuckDB by default, any Ibis backend otherwise); only small per-day or
per-period frames come back to pandas.

Definitions (stated on every chart of the KPI report):

* **DAU** on day d: distinct users with at least one event on d (UTC).
* **WAU / MAU** on day d: distinct users with an event in the trailing 7 / 30
  days ending on d. Computed without a 30-fold join: each active user-day
  covers the days up to the user's next active day (at most N days), so the
  number of covering intervals on d is the number of distinct users.
* **Stickiness**: DAU / MAU.
* **ARPU**: revenue / active users of the period; **ARPPU**: revenue / paying
  users; **paying conversion**: paying users / active users.
* **Funnel**: users reaching each step in order (each step at or after the
  previous one) inside the window, optionally within ``within_days`` of step 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import ibis
import numpy as np
import pandas as pd

from opsnb.data.source import DataSource
from opsnb.data.window import DAY, Window
from opsnb.errors import DataError, ParameterError
from opsnb.report import style
from opsnb.report.i18n import register
from opsnb.report.i18n import t as tr

# Chinese text of the strings this module adds to the report (the older KPI strings live in
# opsnb.report.i18n); registered on import like the analysis packages' zh.py catalogues.
register({
    # funnel steps as shown on charts and tables (the raw event names stay in summary.json)
    "session start": "启动会话", "view item": "浏览商品", "add to cart": "加入购物车",
    "purchase": "购买",
    "revenue per active user over the window ({window}); ARPPU {x}":
        "窗口期（{window}）内每活跃用户收入；ARPPU {x}",
})

PERIODS = {"day": "D", "week": "W", "month": "M"}
DEFAULT_FUNNEL = ("session_start", "view_item", "add_to_cart", "purchase")


def step_label(step: str) -> str:
    """An event name as a readable funnel step: 'add_to_cart' -> 'add to cart' (加入购物车)."""
    return tr(str(step).replace("_", " "))


def _check_period(period: str) -> str:
    if period not in PERIODS:
        raise ParameterError(f"period={period!r}; use one of {', '.join(PERIODS)}")
    return PERIODS[period]


def _period_end(start: pd.Series | pd.Timestamp, period: str):
    if period == "day":
        return start + DAY
    if period == "week":
        return start + pd.Timedelta(days=7)
    return start + pd.offsets.MonthBegin(1)


# --------------------------------------------------------------------------- active users
@dataclass
class ActiveUsers:
    """DAU, WAU, MAU and stickiness per day of the window.

    ``wau_complete`` / ``mau_complete`` are False where the trailing window reaches
    before the first day of data; ``complete`` is False for days the data does not
    fully cover.
    """

    daily: pd.DataFrame
    window: Window
    mau_days: int = 30

    def to_frame(self) -> pd.DataFrame:
        return self.daily.copy()

    def complete_days(self) -> pd.DataFrame:
        return self.daily[self.daily["complete"]]

    def headline(self) -> dict:
        d = self.complete_days()
        full = d[d["mau_complete"]]
        last = full.iloc[-1] if len(full) else (d.iloc[-1] if len(d) else None)
        return {
            "avg_dau": float(d["dau"].mean()) if len(d) else None,
            "wau": int(last["wau"]) if last is not None else None,
            "mau": int(last["mau"]) if last is not None else None,
            "as_of_day": f"{last['date']:%Y-%m-%d}" if last is not None else None,
            "avg_stickiness": float((full["dau"] / full["mau"]).mean()) if len(full) else None,
        }

    def plot(self, ax=None):
        if ax is None:
            _, ax = style.new_figure()
        d = self.daily
        for col, lab in (("dau", tr("DAU")), ("wau", tr("WAU (7 days)")),
                         ("mau", tr("MAU ({n} days)", n=self.mau_days))):
            ok = d[col].where(d[f"{col}_complete"])
            ax.plot(d["date"], ok, label=lab, lw=1.6)
            part = d[col].where(~d[f"{col}_complete"])
            if part.notna().any():
                ax.plot(d["date"], part, lw=1.2, ls=":", color=ax.lines[-1].get_color())
        _shade_tail(ax, d)
        style.thousands_axis(ax)
        style.date_axis(ax)
        ax.legend(loc="lower right", ncols=3)
        style.titled(ax, tr("Active users per day"),
                     tr("Distinct users with any event on the day (DAU), in the trailing 7 days (WAU) "
                        "and {n} days (MAU); dotted where the trailing window starts before the data.",
                        n=self.mau_days))
        return ax

    def plot_stickiness(self, ax=None):
        if ax is None:
            _, ax = style.new_figure(height=3.2)
        d = self.daily[self.daily["mau_complete"]]
        ax.plot(d["date"], d["dau"] / d["mau"], color=style.PALETTE[2], lw=1.6)
        _shade_tail(ax, self.daily)
        style.percent_axis(ax)
        style.date_axis(ax)
        style.titled(ax, tr("Stickiness (DAU / MAU)"),
                     tr("Share of the trailing-{n}-day users who were active on the day.",
                        n=self.mau_days))
        return ax


def _shade_tail(ax, d: pd.DataFrame) -> None:
    bad = d[~d["complete"]]
    if len(bad):
        style.shade_incomplete(ax, bad["date"].min(), bad["date"].max() + DAY)


def active_users(source: DataSource, window: Window, mau_days: int = 30) -> ActiveUsers:
    """DAU, WAU (7 days) and MAU (``mau_days``) per day of the window."""
    ev = source.table("events")
    first_data_day = source.data_start().normalize()
    lo = window.start - pd.Timedelta(days=mau_days - 1)
    days = ev.filter(ev.event_at >= lo, ev.event_at < window.end_exclusive).select(
        "user_id", day=ev.event_at.truncate("D")).distinct()
    w = ibis.window(group_by="user_id", order_by="day")
    nxt = days.day.lead().over(w)
    days = days.mutate(nxt=nxt)
    ends = {}
    for name, n_days in (("wau", 7), ("mau", mau_days)):
        cap = days.day + ibis.interval(days=n_days)
        ends[f"{name}_end"] = ibis.cases((days.nxt.isnull(), cap), (days.nxt < cap, days.nxt),
                                         else_=cap)
    # one query: user-days counted by (day, end of their WAU interval, end of their MAU interval)
    got = days.group_by(day=days.day, **ends).aggregate(n=days.count()).to_pandas()
    idx = pd.date_range(lo, window.end, freq="D")
    starts = got.groupby("day")["n"].sum().reindex(idx, fill_value=0)
    out = pd.DataFrame({"date": idx, "dau": starts.to_numpy()})
    cum_start = starts.cumsum()
    for name, n_days in (("wau", 7), ("mau", mau_days)):
        ended = got.groupby(f"{name}_end")["n"].sum()
        ended = ended.reindex(idx, fill_value=0).cumsum()
        out[name] = (cum_start - ended).to_numpy()
        out[f"{name}_complete"] = (out["date"] - pd.Timedelta(days=n_days - 1)) >= first_data_day
    out["dau_complete"] = True
    out = out[out["date"] >= window.start].reset_index(drop=True)
    out["stickiness"] = np.where(out["mau"] > 0, out["dau"] / out["mau"].where(out["mau"] > 0), np.nan)
    out["complete"] = [window.is_complete(d + DAY) for d in out["date"]]
    return ActiveUsers(out, window, mau_days)


# --------------------------------------------------------------------------- period KPIs
@dataclass
class PeriodKPIs:
    """Active, new and paying users, revenue, ARPU, ARPPU and paying conversion per period."""

    table: pd.DataFrame
    new_by_channel: pd.DataFrame
    period: str
    window: Window

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def complete_periods(self) -> pd.DataFrame:
        return self.table[self.table["complete"]]

    def last_change(self) -> dict:
        """The last complete period against the one before."""
        c = self.complete_periods()
        if len(c) < 2:
            return {}
        cur, prev = c.iloc[-1], c.iloc[-2]
        out = {"period_start": f"{cur['period_start']:%Y-%m-%d}",
               "previous_start": f"{prev['period_start']:%Y-%m-%d}"}
        for col in ("active_users", "revenue", "arpu", "arppu", "paying_conversion", "new_users"):
            out[col] = float(cur[col])
            out[f"{col}_previous"] = float(prev[col])
            out[f"{col}_change"] = (float(cur[col] / prev[col] - 1) if prev[col] else None)
        return out

    def plot_new_users(self, ax=None):
        if ax is None:
            _, ax = style.new_figure()
        w = self.new_by_channel.pivot_table(index="period_start", columns="channel",
                                            values="new_users", aggfunc="sum", fill_value=0)
        order = list(w.sum().sort_values(ascending=False).index)
        colors = style.colors_for(w.columns)
        bottom = np.zeros(len(w))
        width = {"day": 0.8, "week": 5.5, "month": 24}[self.period]
        for ch in order:
            ax.bar(w.index, w[ch].to_numpy(), bottom=bottom, width=width, label=ch,
                   color=colors[ch], align="edge")
            bottom += w[ch].to_numpy()
        inc = self.table[~self.table["complete"]]
        for _, r in inc.iterrows():
            style.shade_incomplete(ax, r["period_start"], r["period_end"], "partial")
        style.thousands_axis(ax)
        style.date_axis(ax)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title=tr("channel"))
        style.titled(ax, tr("New users per {period} by acquisition channel", period=self.period),
                     tr("Users whose signup_at falls in the {period}, by users.channel; shaded "
                        "periods are partial.", period=self.period))
        return ax

    def plot_monetisation(self, ax=None):
        if ax is None:
            _, ax = style.new_figure()
        t = self.table
        ax.plot(t["period_start"], t["arpu"], marker="o", label="ARPU")
        ax.plot(t["period_start"], t["arppu"], marker="o", label="ARPPU")
        style.money_axis(ax)
        ax2 = ax.twinx()
        ax2.plot(t["period_start"], t["paying_conversion"], marker="s", ls="--",
                 color=style.PALETTE[2], label=tr("paying conversion (right)"))
        style.percent_axis(ax2)
        ax2.grid(False)
        for _, r in t[~t["complete"]].iterrows():
            style.shade_incomplete(ax, r["period_start"], r["period_end"], "partial")
        style.date_axis(ax)
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax.legend(h1 + h2, l1 + l2, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=3)
        style.titled(ax, tr("Revenue per user, per {period}", period=self.period),
                     tr("ARPU = revenue / active users; ARPPU = revenue / paying users; paying "
                        "conversion = paying users / active users (right axis)."))
        return ax


def period_kpis(source: DataSource, window: Window, period: str = "week",
                revenue_event: str | None = None) -> PeriodKPIs:
    """Per-period KPIs over the window (periods clipped to the window, partial ones flagged)."""
    unit = _check_period(period)
    ev = source.table("events")
    users = source.table("users")
    ev = ev.filter(ev.event_at >= window.start, ev.event_at < window.end_exclusive)
    ev = ev.mutate(p=ev.event_at.truncate(unit))
    paying = ev.revenue > 0
    if revenue_event:
        paying = paying & (ev.event == revenue_event)
    agg = ev.group_by("p").aggregate(
        active_users=ev.user_id.nunique(),
        paying_users=ev.user_id.nunique(where=paying),
        revenue=ev.revenue.sum(),
        events=ev.count(),
    ).to_pandas()
    u = users.filter(users.signup_at >= window.start, users.signup_at < window.end_exclusive)
    new = u.group_by(p=u.signup_at.truncate(unit), channel=u.channel).aggregate(
        new_users=u.count()).to_pandas()
    starts = _period_starts(window, period)
    t = pd.DataFrame({"period_start": starts})
    t = t.merge(agg.rename(columns={"p": "period_start"}), on="period_start", how="left")
    nn = new.groupby("p", as_index=False)["new_users"].sum().rename(columns={"p": "period_start"})
    t = t.merge(nn, on="period_start", how="left")
    for c in ("active_users", "paying_users", "events", "new_users"):
        t[c] = t[c].fillna(0).astype("int64")
    t["revenue"] = t["revenue"].fillna(0.0).astype(float)
    t["period_end"] = [_period_end(s, period) for s in t["period_start"]]
    t["arpu"] = t["revenue"] / t["active_users"].where(t["active_users"] > 0)
    t["arppu"] = t["revenue"] / t["paying_users"].where(t["paying_users"] > 0)
    t["paying_conversion"] = t["paying_users"] / t["active_users"].where(t["active_users"] > 0)
    t["complete"] = [(s >= window.start) and window.is_complete(e)
                     for s, e in zip(t["period_start"], t["period_end"])]
    new = new.rename(columns={"p": "period_start"}).sort_values(["period_start", "channel"])
    cols = ["period_start", "period_end", "complete", "active_users", "new_users", "paying_users",
            "revenue", "arpu", "arppu", "paying_conversion", "events"]
    return PeriodKPIs(t[cols], new.reset_index(drop=True), period, window)


def _period_starts(window: Window, period: str) -> list[pd.Timestamp]:
    if period == "day":
        return list(pd.date_range(window.start, window.end, freq="D"))
    if period == "week":
        first = window.start - pd.Timedelta(days=window.start.day_of_week)
        return list(pd.date_range(first, window.end, freq="7D"))
    first = window.start.replace(day=1)
    return list(pd.date_range(first, window.end, freq="MS"))


# --------------------------------------------------------------------------- totals
def window_totals(source: DataSource, window: Window, revenue_event: str | None = None) -> dict:
    """Active, new and paying users and revenue over the whole window (distinct users)."""
    ev = source.table("events")
    ev = ev.filter(ev.event_at >= window.start, ev.event_at < window.end_exclusive)
    paying = ev.revenue > 0
    if revenue_event:
        paying = paying & (ev.event == revenue_event)
    r = ev.aggregate(active_users=ev.user_id.nunique(), paying_users=ev.user_id.nunique(where=paying),
                     revenue=ev.revenue.sum(), orders=paying.sum()).to_pandas().iloc[0]
    users = source.table("users")
    new = int(users.filter(users.signup_at >= window.start,
                           users.signup_at < window.end_exclusive).count().to_pandas())
    active, payers, revenue = int(r["active_users"]), int(r["paying_users"]), float(r["revenue"] or 0)
    if active == 0:
        raise DataError(f"no user events between {window.label()}", table="events",
                        column="event_at", fix="choose a window that holds events")
    return {
        "active_users": active, "new_users": new, "paying_users": payers, "revenue": revenue,
        "orders": int(r["orders"] or 0),
        "arpu": revenue / active, "arppu": revenue / payers if payers else None,
        "paying_conversion": payers / active,
    }


# --------------------------------------------------------------------------- funnel
@dataclass
class Funnel:
    """Users reaching each ordered step; optionally per segment."""

    steps: tuple[str, ...]
    table: pd.DataFrame  # [segment,] step, step_index, users, step_conversion, overall_conversion
    within_days: int | None = None
    by: str | None = None
    definition: str = field(default="")

    def labels(self) -> list[str]:
        """The steps as readable names in the report language ('add to cart', 加入购物车)."""
        return [step_label(s) for s in self.steps]

    def to_frame(self) -> pd.DataFrame:
        """The table for display: ``step`` holds readable names; ``table`` keeps the event names."""
        return self.table.assign(step=[step_label(s) for s in self.table["step"]])

    def overall(self) -> float:
        t = self.table if self.by is None else self.table.groupby("step_index", as_index=False)[
            "users"].sum()
        first, last = t["users"].iloc[0], t["users"].iloc[-1]
        return float(last / first) if first else float("nan")

    def plot(self, ax=None):
        if ax is None:
            _, ax = style.new_figure(height=3.6)
        t = self.table if self.by is None else self.table.groupby(
            ["step_index", "step"], as_index=False)["users"].sum()
        y = np.arange(len(t))[::-1]
        ax.barh(y, t["users"], color=style.PALETTE[0])
        first = t["users"].iloc[0]
        prev = None
        for yi, (_, r) in zip(y, t.iterrows()):
            if prev:
                note = tr("{users} ({share} of step 1; {prev} of previous)", users=f"{r['users']:,}",
                          share=f"{r['users'] / first:.1%}", prev=f"{r['users'] / prev:.1%}")
            else:
                note = tr("{users} ({share} of step 1)", users=f"{r['users']:,}",
                          share=f"{r['users'] / first:.1%}")
            ax.text(r["users"], yi, "  " + note, va="center", fontsize=9)
            prev = r["users"]
        ax.set_yticks(y, [step_label(s) for s in t["step"]])
        ax.set_xlim(0, first * 1.6)
        style.thousands_axis(ax, "x")
        ax.grid(axis="y", visible=False)
        style.titled(ax, tr("Purchase funnel"), self.definition)
        return ax


def funnel(source: DataSource, window: Window, steps: Sequence[str] = DEFAULT_FUNNEL,
           within_days: int | None = None, by: str | None = None) -> Funnel:
    """Ordered funnel inside the window: step k counts users with step k at or after step k-1."""
    steps = tuple(steps)
    if len(steps) < 2:
        raise ParameterError("a funnel needs at least two steps")
    ev = source.table("events")
    ev = ev.filter(ev.event_at >= window.start, ev.event_at < window.end_exclusive,
                   ev.event.isin(steps))
    present = set(ev.group_by("event").aggregate(n=ev.count()).to_pandas()["event"])
    missing = [s for s in steps if s not in present]
    if missing:
        raise DataError(
            f"funnel step(s) {', '.join(missing)} never occur between {window.label()}",
            table="events", column="event",
            fix="check the step names against the event names in the data",
        )
    s0 = ev.filter(ev.event == steps[0])
    reached = s0.group_by("user_id").aggregate(t0=s0.event_at.min())
    reached = source.materialize(reached.mutate(t=reached.t0), "funnel")
    stages = [reached]
    for step in steps[1:]:
        e = ev.filter(ev.event == step).select(uid=ev.user_id, at=ev.event_at)
        prev = stages[-1]
        j = prev.join(e, prev.user_id == e.uid)
        cond = j.at >= j.t
        if within_days is not None:
            cond = cond & (j.at <= j.t0 + ibis.interval(days=int(within_days)))
        j = j.filter(cond)
        # cached: every later step and every count reads it, and it has one row per user
        stages.append(source.materialize(j.group_by(["user_id", "t0"]).aggregate(t=j.at.min()),
                                         "funnel"))
    if by:
        users = source.table("users")
        if by not in users.columns:
            raise ParameterError(f"by={by!r} is not a users column; choose from "
                                 f"{', '.join(users.columns)}")
        parts = []
        for k, st in enumerate(stages):
            j = st.join(users.select("user_id", seg=users[by]), "user_id")
            f = j.group_by("seg").aggregate(users=j.count()).to_pandas()
            f["step_index"], f["step"] = k, steps[k]
            parts.append(f)
        t = pd.concat(parts).rename(columns={"seg": by})
        t[by] = t[by].fillna("(empty)")
        grid = pd.MultiIndex.from_product([sorted(t[by].unique()), range(len(steps))],
                                          names=[by, "step_index"])
        t = t.set_index([by, "step_index"])["users"].reindex(grid, fill_value=0).reset_index()
        t["step"] = [steps[k] for k in t["step_index"]]
        t = t.sort_values([by, "step_index"])
        t["step_conversion"] = t.groupby(by)["users"].transform(lambda s: s / s.shift(1))
        t["overall_conversion"] = t.groupby(by)["users"].transform(lambda s: s / s.iloc[0])
        t = t[[by, "step_index", "step", "users", "step_conversion", "overall_conversion"]]
    else:
        counts = [int(st.count().to_pandas()) for st in stages]
        t = pd.DataFrame({"step_index": range(len(steps)), "step": steps, "users": counts})
        t["step_conversion"] = t["users"] / t["users"].shift(1)
        t["overall_conversion"] = t["users"] / t["users"].iloc[0]
    if within_days:
        definition = tr("Users who did each step in order (at or after the previous step) between "
                        "{window}, within {days} days of step 1.", window=window.label(),
                        days=within_days)
    else:
        definition = tr("Users who did each step in order (at or after the previous step) between "
                        "{window}.", window=window.label())
    return Funnel(steps, t.reset_index(drop=True), within_days, by, definition)


# --------------------------------------------------------------------------- the report
@dataclass
class KPIOverview:
    """Everything the KPI overview report shows."""

    source: DataSource
    window: Window
    totals: dict
    active: ActiveUsers
    periods: PeriodKPIs
    funnel: Funnel
    funnel_by_channel: Funnel

    def headline(self) -> dict:
        a = self.active.headline()
        change = self.periods.last_change()
        return {
            **{k: self.totals[k] for k in ("active_users", "new_users", "paying_users", "revenue",
                                           "arpu", "arppu", "paying_conversion")},
            "avg_dau": a["avg_dau"], "wau": a["wau"], "mau": a["mau"], "mau_as_of": a["as_of_day"],
            "avg_stickiness": a["avg_stickiness"],
            "funnel_conversion": self.funnel.overall(),
            "last_complete_period": change,
        }

    def headline_items(self) -> list[tuple[str, str, str]]:
        from opsnb.report import fmt

        h = self.headline()
        ch = h["last_complete_period"]
        v = ch.get("revenue_change") if ch else None
        rev_note = (tr("last {period}: {change} vs previous {period}", period=self.periods.period,
                       change=fmt.pct(v, signed=True)) if v is not None else "")
        return [
            (tr("Active users (window)"), fmt.count(h["active_users"]),
             tr("new: {n}", n=fmt.count(h["new_users"]))),
            (tr("Average DAU"), fmt.count(h["avg_dau"]),
             tr("stickiness {x}", x=fmt.pct(h["avg_stickiness"]))),
            (tr("MAU on {day}", day=h["mau_as_of"]), fmt.count(h["mau"]),
             tr("WAU {n}", n=fmt.count(h["wau"]))),
            (tr("Revenue"), fmt.money(h["revenue"]), rev_note),
            (tr("ARPU"), fmt.money(h["arpu"], 2),
             tr("revenue per active user over the window ({window}); ARPPU {x}",
                window=self.window.label(), x=fmt.money(h["arppu"], 2))),
            (tr("Paying conversion"), fmt.pct(h["paying_conversion"]),
             tr("funnel to {step}: {x}", step=self.funnel.labels()[-1],
                x=fmt.pct(h["funnel_conversion"]))),
        ]

    def sections(self) -> dict:
        return {
            "active_users": self.active.to_frame()[["date", "dau", "wau", "mau", "stickiness",
                                                    "complete", "mau_complete"]],
            "periods": self.periods.to_frame(),
            "new_users_by_channel": self.periods.new_by_channel,
            # event names, not the display labels of to_frame()
            "funnel": self.funnel.table.copy(),
            "funnel_by_channel": self.funnel_by_channel.table.copy(),
        }

    def check_lines(self) -> list[str]:
        """Stable headline numbers for the notebook's checked cell."""
        h = self.headline()
        return [
            f"window: {self.window.label()}",
            f"active users: {h['active_users']:,}; new users: {h['new_users']:,}; "
            f"paying users: {h['paying_users']:,}",
            f"revenue: {h['revenue']:,.2f}; ARPU: {h['arpu']:.2f}; ARPPU: {h['arppu']:.2f}",
            f"MAU on {h['mau_as_of']}: {h['mau']:,}; WAU: {h['wau']:,}; "
            f"average DAU: {h['avg_dau']:.1f}",
            "funnel: " + " -> ".join(f"{s} {u:,}" for s, u in
                                     zip(self.funnel.table["step"], self.funnel.table["users"])),
        ]


def kpi_overview(data_dir=None, start_date: str = "", end_date: str = "", period: str = "week",
                 mau_days: int = 30, funnel_steps: Sequence[str] = DEFAULT_FUNNEL,
                 funnel_within_days: int | None = None) -> KPIOverview:
    """Load, validate and compute the whole KPI overview."""
    from opsnb.data.window import resolve_window
    from opsnb.report.params import expect

    expect("period", period, "str", choices=PERIODS)
    expect("mau_days", mau_days, "int", minimum=2, maximum=90)
    expect("funnel_steps", funnel_steps, "list")
    source = DataSource.open(data_dir)
    source.require("users", "events")
    window = resolve_window(source, start_date, end_date)
    totals = window_totals(source, window)
    return KPIOverview(
        source=source,
        window=window,
        totals=totals,
        active=active_users(source, window, mau_days=mau_days),
        periods=period_kpis(source, window, period=period),
        funnel=funnel(source, window, funnel_steps, within_days=funnel_within_days),
        funnel_by_channel=funnel(source, window, funnel_steps, within_days=funnel_within_days,
                                 by="channel"),
    )
