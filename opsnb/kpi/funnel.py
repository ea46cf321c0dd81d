"""The purchase funnel: users reaching each ordered step inside the window.

Step k counts the users who did step k at or after their step k-1 (optionally within
``within_days`` of step 1), between the window's first and last day.

When a step never occurs (every platform names its events differently), :func:`missing_steps`
names it and :func:`event_counts` / :func:`suggest_steps` say which events the data holds, so a
report can say how to set ``funnel_steps`` instead of stopping.

>>> from opsnb.data.source import DataSource
>>> from opsnb.data.window import resolve_window
>>> src = DataSource.open()
>>> w = resolve_window(src, "2026-10-01", "2026-10-31")
>>> f = funnel(src, w, ["session_start", "add_to_cart", "purchase"])
>>> f.table["step"].tolist(), bool(f.table["users"].is_monotonic_decreasing)
(['session_start', 'add_to_cart', 'purchase'], True)
>>> missing_steps(src, w, ["session_start", "app_open"])
['app_open']
>>> step_label("add_to_cart", "zh")
'加入购物车'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd

from opsnb.data.source import DataSource
from opsnb.data.window import Window
from opsnb.errors import DataError, ParameterError
from opsnb.report import style
from opsnb.report.i18n import Translator, translate

DEFAULT_FUNNEL = ("session_start", "view_item", "add_to_cart", "purchase")


def step_label(step: str, lang: str = "en") -> str:
    """An event name as a readable funnel step: 'add_to_cart' -> 'add to cart' (加入购物车)."""
    return translate(str(step).replace("_", " "), lang)


@dataclass
class Funnel:
    """Users reaching each ordered step; optionally per segment (``by``)."""

    steps: tuple[str, ...]
    table: pd.DataFrame  # [segment,] step_index, step, users, step_conversion, overall_conversion
    within_days: int | None = None
    by: str | None = None
    window: Window | None = None

    def labels(self, lang: str = "en") -> list[str]:
        """The steps as readable names in ``lang`` ('add to cart', 加入购物车)."""
        return [step_label(s, lang) for s in self.steps]

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """The table for display: ``step`` holds readable names; ``table`` keeps the event names."""
        return self.table.assign(step=[step_label(s, lang) for s in self.table["step"]])

    def overall(self) -> float:
        t = self.totals()
        first, last = t["users"].iloc[0], t["users"].iloc[-1]
        return float(last / first) if first else float("nan")

    def totals(self) -> pd.DataFrame:
        """Users per step over every segment."""
        if self.by is None:
            return self.table
        return self.table.groupby(["step_index", "step"], as_index=False)["users"].sum()

    def by_segment(self) -> pd.DataFrame:
        """Per segment: users at step 1 and the conversion to the last step (best first)."""
        if self.by is None:
            raise ParameterError("by_segment needs a funnel computed with by=<users column>")
        t = self.table
        last = t[t["step_index"] == t["step_index"].max()][[self.by, "overall_conversion"]]
        first = t[t["step_index"] == 0][[self.by, "users"]]
        return first.merge(last, on=self.by).sort_values("overall_conversion", ascending=False)

    def describe(self, lang: str = "en") -> str:
        """The definition of the counts, in ``lang``."""
        window = self.window.label() if self.window is not None else ""
        if self.within_days:
            return translate("Users who did each step in order (at or after the previous step) "
                             "between {window}, within {days} days of step 1.", lang,
                             window=window, days=self.within_days)
        return translate("Users who did each step in order (at or after the previous step) "
                         "between {window}.", lang, window=window)

    def plot(self, ax=None, lang: str = "en"):
        tr = Translator(lang)
        if ax is None:
            _, ax = style.new_figure(height=3.6)
        t = self.totals()
        y = np.arange(len(t))[::-1]
        ax.barh(y, t["users"], color=style.PALETTE[0])
        first = t["users"].iloc[0]
        prev = None
        for yi, (_, r) in zip(y, t.iterrows()):
            share = f"{r['users'] / first:.1%}" if first else "–"
            if prev is not None:
                note = tr("{users} ({share} of step 1; {prev} of previous)",
                          users=f"{r['users']:,}", share=share,
                          prev=f"{r['users'] / prev:.1%}" if prev else "–")
            else:
                note = tr("{users} ({share} of step 1)", users=f"{r['users']:,}", share=share)
            ax.text(r["users"], yi, "  " + note, va="center", fontsize=9)
            prev = r["users"]
        ax.set_yticks(y, [step_label(s, lang) for s in t["step"]])
        ax.set_xlim(0, max(first, 1) * 1.6)
        style.thousands_axis(ax, "x")
        ax.grid(axis="y", visible=False)
        style.titled(ax, tr("Purchase funnel"), self.describe(lang))
        return ax


def _in_window(source: DataSource, window: Window):
    ev = source.table("events")
    return ev.filter(ev.event_at >= window.start, ev.event_at < window.end_exclusive)


def missing_steps(source: DataSource, window: Window, steps: Sequence[str]) -> list[str]:
    """The steps (event names) that never occur in the window, in funnel order."""
    memo = source.__dict__.setdefault("_opsnb_funnel_present", {})  # one query per source
    key = (window.start, window.end_exclusive, tuple(steps))
    if key not in memo:
        ev = _in_window(source, window)
        ev = ev.filter(ev.event.isin(list(steps)))
        memo[key] = set(ev.select("event").distinct().to_pandas()["event"])
    return [s for s in steps if s not in memo[key]]


def event_counts(source: DataSource, window: Window) -> pd.DataFrame:
    """Per event name in the window: distinct users, events and paying events (most users first)."""
    ev = _in_window(source, window)
    t = ev.group_by("event").aggregate(users=ev.user_id.nunique(), events=ev.count(),
                                       paying=(ev.revenue > 0).sum()).to_pandas()
    t["paying"] = t["paying"].fillna(0).astype("int64")
    return t.sort_values(["users", "events", "event"], ascending=[False, False, True],
                         ignore_index=True)


def suggest_steps(counts: pd.DataFrame, n: int = 3) -> list[str]:
    """A funnel to try on these events: the most common ones, then the one that carries revenue.

    >>> c = pd.DataFrame({"event": ["app_open", "page_view", "search", "order_paid"],
    ...                   "users": [600, 538, 444, 282], "paying": [0, 0, 0, 282]})
    >>> suggest_steps(c)
    ['app_open', 'page_view', 'order_paid']
    """
    paying = counts[counts["paying"] > 0].sort_values("paying", ascending=False, kind="stable")
    last = paying["event"].iloc[0] if len(paying) else None
    head = [e for e in counts["event"] if e != last][: n - 1 if last else n]
    return head + ([last] if last else [])


def funnel(source: DataSource, window: Window, steps: Sequence[str] = DEFAULT_FUNNEL,
           within_days: int | None = None, by: str | None = None) -> Funnel:
    """Ordered funnel inside the window: step k counts users with step k at or after step k-1.

    A step that never occurs in the window is a DataError naming ``events.event``.
    """
    steps = tuple(steps)
    if len(steps) < 2:
        raise ParameterError("a funnel needs at least two steps")
    missing = missing_steps(source, window, steps)
    if missing:
        raise DataError(
            f"funnel step(s) {', '.join(missing)} never occur between {window.label()}",
            table="events", column="event",
            fix="check the step names against the event names in the data",
        )
    stages = _stages(source, window, steps, within_days)
    if by:
        t = _by_segment(source, stages, steps, by)
    else:
        counts = [int(st.count().to_pandas()) for st in stages]
        t = pd.DataFrame({"step_index": range(len(steps)), "step": steps, "users": counts})
        t["step_conversion"] = t["users"] / t["users"].shift(1)
        t["overall_conversion"] = t["users"] / t["users"].iloc[0]
    return Funnel(steps, t.reset_index(drop=True), within_days, by, window)


def _stages(source: DataSource, window: Window, steps: tuple[str, ...],
            within_days: int | None) -> list:
    """The users reaching each step (user_id, t0, t), each stage materialised once per source:
    the funnel overall and by segment read the same stages."""
    memo = source.__dict__.setdefault("_opsnb_funnel_stages", {})
    key = (window.start, window.end_exclusive, steps, within_days)
    if key in memo:
        return memo[key]
    ev = _in_window(source, window)
    ev = ev.filter(ev.event.isin(steps))
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
    memo[key] = stages
    return stages


def _by_segment(source: DataSource, stages: list, steps: tuple[str, ...], by: str) -> pd.DataFrame:
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
    return t[[by, "step_index", "step", "users", "step_conversion", "overall_conversion"]]
