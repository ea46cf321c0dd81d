"""Active users: DAU, WAU, MAU and stickiness per day.

* **DAU** on day d: distinct users with at least one event on d (UTC).
* **WAU / MAU** on day d: distinct users with an event in the trailing 7 / ``mau_days`` days
  ending on d. Computed without a 30-fold join: each active user-day covers the days up to the
  user's next active day (at most N days), so the number of covering intervals on d is the
  number of distinct users.
* **Stickiness**: DAU / MAU.

Both trailing windows are day intervals in one query (never a month interval next to them:
DuckDB 1.5 would merge ``INTERVAL '30' DAY`` with ``INTERVAL '1' MONTH``).

>>> from opsnb.data.source import DataSource
>>> from opsnb.data.window import resolve_window
>>> src = DataSource.open()
>>> a = active_users(src, resolve_window(src, "2026-10-01", "2026-10-31"))
>>> a.daily[["date", "dau", "wau", "mau"]].iloc[0].astype(str).tolist()
['2026-10-01 00:00:00', '1131', '2539', '3596']
>>> bool((a.daily["mau"] >= a.daily["wau"]).all() and (a.daily["wau"] >= a.daily["dau"]).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd

from opsnb.data.source import DataSource
from opsnb.data.window import DAY, Window
from opsnb.report import style
from opsnb.report.i18n import Translator


@dataclass
class ActiveUsers:
    """DAU, WAU, MAU and stickiness per day of the window.

    ``wau_complete`` / ``mau_complete`` are False where the trailing window reaches before the
    first day of data; ``complete`` is False for days the data does not fully cover.
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

    def plot(self, ax=None, lang: str = "en"):
        tr = Translator(lang)
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
        _shade_tail(ax, d, lang)
        style.thousands_axis(ax)
        style.date_axis(ax)
        ax.legend(loc="lower right", ncols=3)
        style.titled(ax, tr("Active users per day"),
                     tr("Distinct users with any event on the day (DAU), in the trailing 7 days "
                        "(WAU) and {n} days (MAU); dotted where the trailing window starts before "
                        "the data.", n=self.mau_days))
        return ax

    def plot_stickiness(self, ax=None, lang: str = "en"):
        tr = Translator(lang)
        if ax is None:
            _, ax = style.new_figure(height=3.2)
        d = self.daily[self.daily["mau_complete"]]
        ax.plot(d["date"], d["dau"] / d["mau"], color=style.PALETTE[2], lw=1.6)
        _shade_tail(ax, self.daily, lang)
        style.percent_axis(ax)
        style.date_axis(ax)
        style.titled(ax, tr("Stickiness (DAU / MAU)"),
                     tr("Share of the trailing-{n}-day users who were active on the day.",
                        n=self.mau_days))
        return ax


def _shade_tail(ax, d: pd.DataFrame, lang: str) -> None:
    bad = d[~d["complete"]]
    if len(bad):
        style.shade_incomplete(ax, bad["date"].min(), bad["date"].max() + DAY, lang=lang)


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
    out["stickiness"] = np.where(out["mau"] > 0, out["dau"] / out["mau"].where(out["mau"] > 0),
                                 np.nan)
    out["complete"] = [window.is_complete(d + DAY) for d in out["date"]]
    return ActiveUsers(out, window, mau_days)
