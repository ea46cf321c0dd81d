"""KPIs per calendar period: active, new and paying users, revenue, ARPU, ARPPU, conversion.

* **ARPU**: revenue / active users of the period; **ARPPU**: revenue / paying users;
  **paying conversion**: paying users / active users.
* Periods (day, ISO week, calendar month, UTC) come from :mod:`opsnb.data.periods`; queries only
  truncate event times to them, and period ends are calendar arithmetic in pandas. The first and
  last periods are clipped to the window and flagged ``complete=False``.

>>> from opsnb.data.source import DataSource
>>> from opsnb.data.window import resolve_window
>>> src = DataSource.open()
>>> p = period_kpis(src, resolve_window(src, "2026-06-01", "2026-08-31"), period="month")
>>> p.table[["period_start", "period_end"]].astype(str).values.tolist()[0]
['2026-06-01', '2026-07-01']
>>> p.table["complete"].tolist()
[True, True, True]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from opsnb.data import periods
from opsnb.data.source import DataSource
from opsnb.data.window import Window
from opsnb.report import style
from opsnb.report.i18n import Translator

_BAR_WIDTH = {"day": 0.8, "week": 5.5, "month": 24}  # days: a bar per period, with a gap


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

    def new_users_by_channel(self) -> pd.DataFrame:
        """New users in the window per channel (most first), with each channel's share."""
        n = self.new_by_channel.groupby("channel")["new_users"].sum().sort_values(ascending=False)
        out = n.rename("new_users").reset_index()
        out["share"] = out["new_users"] / out["new_users"].sum()
        return out

    def plot_new_users(self, ax=None, lang: str = "en"):
        tr = Translator(lang)
        if ax is None:
            _, ax = style.new_figure()
        w = self.new_by_channel.pivot_table(index="period_start", columns="channel",
                                            values="new_users", aggfunc="sum", fill_value=0)
        order = list(w.sum().sort_values(ascending=False).index)
        colors = style.colors_for(w.columns)
        bottom = np.zeros(len(w))
        for ch in order:
            ax.bar(w.index, w[ch].to_numpy(), bottom=bottom, width=_BAR_WIDTH[self.period],
                   label=ch, color=colors[ch], align="edge")
            bottom += w[ch].to_numpy()
        self._shade_partial(ax, lang)
        style.thousands_axis(ax)
        style.date_axis(ax)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title=tr("channel"))
        style.titled(ax, tr("New users per {period} by acquisition channel", period=self.period),
                     tr("Users whose signup_at falls in the {period}, by users.channel; shaded "
                        "periods are partial.", period=self.period))
        return ax

    def plot_monetisation(self, ax=None, lang: str = "en"):
        tr = Translator(lang)
        if ax is None:
            _, ax = style.new_figure()
        t = self.table
        ax.plot(t["period_start"], t["arpu"], marker="o", label="ARPU")
        ax.plot(t["period_start"], t["arppu"], marker="o", label="ARPPU")
        style.money_axis(ax, lang=lang)
        ax2 = ax.twinx()
        ax2.plot(t["period_start"], t["paying_conversion"], marker="s", ls="--",
                 color=style.PALETTE[2], label=tr("paying conversion (right)"))
        style.percent_axis(ax2)
        ax2.grid(False)
        self._shade_partial(ax, lang)
        style.date_axis(ax)
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax.legend(h1 + h2, l1 + l2, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=3)
        style.titled(ax, tr("Revenue per user, per {period}", period=self.period),
                     tr("ARPU = revenue / active users; ARPPU = revenue / paying users; paying "
                        "conversion = paying users / active users (right axis)."))
        return ax

    def _shade_partial(self, ax, lang: str) -> None:
        for _, r in self.table[~self.table["complete"]].iterrows():
            style.shade_incomplete(ax, r["period_start"], r["period_end"], "partial", lang=lang)


def period_kpis(source: DataSource, window: Window, period: str = "week",
                revenue_event: str | None = None) -> PeriodKPIs:
    """Per-period KPIs over the window (periods clipped to the window, partial ones flagged)."""
    period = periods.parse_period(period).value
    ev = source.table("events")
    users = source.table("users")
    ev = ev.filter(ev.event_at >= window.start, ev.event_at < window.end_exclusive)
    ev = ev.mutate(p=periods.truncate(ev.event_at, period))
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
    new = u.group_by(p=periods.truncate(u.signup_at, period), channel=u.channel).aggregate(
        new_users=u.count()).to_pandas()
    t = pd.DataFrame({"period_start": periods.period_starts(window.start, window.end, period)})
    t = t.merge(agg.rename(columns={"p": "period_start"}), on="period_start", how="left")
    nn = new.groupby("p", as_index=False)["new_users"].sum().rename(columns={"p": "period_start"})
    t = t.merge(nn, on="period_start", how="left")
    for c in ("active_users", "paying_users", "events", "new_users"):
        t[c] = t[c].fillna(0).astype("int64")
    t["revenue"] = t["revenue"].fillna(0.0).astype(float)
    t["period_end"] = [periods.period_end(s, period) for s in t["period_start"]]
    t["arpu"] = t["revenue"] / t["active_users"].where(t["active_users"] > 0)
    t["arppu"] = t["revenue"] / t["paying_users"].where(t["paying_users"] > 0)
    t["paying_conversion"] = t["paying_users"] / t["active_users"].where(t["active_users"] > 0)
    t["complete"] = [(s >= window.start) and window.is_complete(e)
                     for s, e in zip(t["period_start"], t["period_end"])]
    new = new.rename(columns={"p": "period_start"}).sort_values(["period_start", "channel"])
    cols = ["period_start", "period_end", "complete", "active_users", "new_users", "paying_users",
            "revenue", "arpu", "arppu", "paying_conversion", "events"]
    return PeriodKPIs(t[cols], new.reset_index(drop=True), period, window)
