"""Audience: who consumes each category, new against returning viewers, and week-4 retention.

* **Who**: distinct viewers of each category by a users column (channel, device, region) and,
  when a personas export is given, by persona; one Ibis query per column. Shares are of the
  category's viewers.
* **New and returning viewers** per week of the window: viewers whose first view ever (in all
  the data) falls in that week, and the others.
* **Week-4 retention, observational**: users who signed up in the window at least 28 days
  before the data end, split by whether they viewed a content item in their first 7 days; the
  share active (any event) in days 21-27 after signing up, with Wilson intervals. Users who
  view content differ in many ways from those who do not, so the gap is an association, not
  the effect of content.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd

from opsnb.content.events import ContentData
from opsnb.content.items import in_window
from opsnb.content.shrink import wilson
from opsnb.errors import DataError

USER_COLUMNS = ("channel", "device", "region")
DAY = 86400


def viewers_by(cd: ContentData, window, users: ibis.Table, column: str) -> pd.DataFrame:
    """One query: distinct viewers per category and value of ``users.column``."""
    ev = in_window(cd, window)
    ev = ev.filter(ev.event == cd.names.view)
    j = ev.join(cd.content.select("content_id", "category"), "content_id")
    u = users.select("user_id", value=users[column].cast("string"))
    j = j.join(u, "user_id")
    t = j.group_by(["category", "value"]).aggregate(viewers=j.user_id.nunique()).to_pandas()
    t["value"] = t["value"].fillna("(missing)")
    t = t.sort_values(["category", "value"], kind="stable").reset_index(drop=True)
    tot = t.groupby("category")["viewers"].transform("sum")
    t["share"] = t["viewers"] / tot
    return t


def new_returning(cd: ContentData, window) -> pd.DataFrame:
    """Per week of the window: viewers, and those whose first view ever is in that week."""
    views = cd.events.filter(cd.events.event == cd.names.view)
    first = views.group_by("user_id").aggregate(first_at=views.event_at.min())
    ev = in_window(cd, window)
    ev = ev.filter(ev.event == cd.names.view)
    s0 = int(pd.Timestamp(window.start).timestamp())
    j = ev.join(first, "user_id")
    week = ((j.event_at.epoch_seconds() - s0) // (7 * DAY)).cast("int64")
    fweek = ((j.first_at.epoch_seconds() - s0) // (7 * DAY)).cast("int64")
    j = j.mutate(week=week, is_new=fweek == week)
    t = j.group_by("week").aggregate(viewers=j.user_id.nunique(),
                                     new_viewers=j.user_id.nunique(where=j.is_new)).to_pandas()
    t = t.sort_values("week").reset_index(drop=True)
    t["week_start"] = pd.Timestamp(window.start).normalize() + pd.to_timedelta(
        t["week"] * 7, unit="D")
    t["returning_viewers"] = t["viewers"] - t["new_viewers"]
    return t


@dataclass
class RetentionComparison:
    table: pd.DataFrame   # group (viewed / did not), users, retained, rate, low, high
    difference: float
    cohort_from: pd.Timestamp
    cohort_to: pd.Timestamp


def week4_retention(cd: ContentData, window, source) -> RetentionComparison:
    """Users signing up in the window (28+ days before the data end), by first-week viewing."""
    users = source.table("users")
    ev = source.table("events")
    last = pd.Timestamp(ev.event_at.max().to_pandas())
    lo = pd.Timestamp(window.start)
    hi = min(pd.Timestamp(window.end_exclusive), last - pd.Timedelta(days=28))
    if hi <= lo:
        raise DataError("no user signed up at least 28 days before the data end inside the "
                        "window, so week-4 retention cannot be seen", table="users",
                        column="signup_at", fix="choose a window that starts 28 days or more "
                        "before the last event")
    cohort = users.filter(users.signup_at >= lo, users.signup_at < hi).select(
        "user_id", opsnb_signup=users.signup_at)
    n_cohort = int(cohort.count().to_pandas())
    if n_cohort == 0:
        raise DataError(f"no user signed up between {lo:%Y-%m-%d} and {hi:%Y-%m-%d}",
                        table="users", column="signup_at",
                        fix="choose a window with sign-ups 28 days before the data end")
    j = ev.join(cohort, "user_id")
    d = j.event_at.epoch_seconds() - j.opsnb_signup.epoch_seconds()
    per = j.group_by("user_id").aggregate(
        viewed=j.count(where=(j.event == cd.names.view) & (d < 7 * DAY)) > 0,
        retained=j.count(where=(d >= 21 * DAY) & (d < 28 * DAY)) > 0)
    agg = per.group_by("viewed").aggregate(users=per.count(),
                                           retained=per.retained.sum()).to_pandas()
    got = {bool(v): (int(u), int(r or 0)) for v, u, r in zip(agg["viewed"], agg["users"],
                                                            agg["retained"])}
    seen = sum(u for u, _ in got.values())
    no = got.get(False, (0, 0))
    got[False] = (no[0] + n_cohort - seen, no[1])  # users without any event: not retained
    rows = []
    for key, label in ((True, "viewed content in week 1"), (False, "did not")):
        u, r = got.get(key, (0, 0))
        low, high = wilson(np.array([r]), np.array([u]), 0.95)
        rows.append({"group": label, "users": u, "retained": r,
                     "rate": r / u if u else np.nan, "low": float(low[0]),
                     "high": float(high[0])})
    t = pd.DataFrame(rows)
    return RetentionComparison(t, float(t["rate"].iloc[0] - t["rate"].iloc[1]), lo, hi)


def read_personas(path: str) -> pd.DataFrame:
    """A personas export (user_id, persona), as written by persona_clustering's export_path."""
    p = str(path)
    try:
        df = pd.read_parquet(p) if p.endswith(".parquet") else pd.read_csv(p, dtype=str)
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read the personas file {p!r}: {exc}", table="personas",
                        fix="pass persona_csv as the file persona_clustering wrote with "
                        "export_path (.csv or .parquet)") from None
    if not {"user_id", "persona"} <= set(df.columns):
        raise DataError(f"the personas file {p!r} needs the columns user_id and persona; it "
                        f"has {', '.join(map(str, df.columns))}", table="personas",
                        fix="pass the file persona_clustering wrote with export_path")
    out = df[["user_id", "persona"]].astype(str)
    if "persona_name" in df.columns:  # persona_clustering's export: "P1 Night-owl content fans"
        names = df["persona_name"].fillna("").astype(str).str.strip()
        out["persona"] = (out["persona"] + " " + names).str.strip()
    return out
