"""Creators: the leaderboard, new creators, creator retention and the concentration of views.

* **Leaderboard**: per creator, items published in the window (output), distinct viewers
  (reach, one Ibis query), views, the engagement rate shrunk towards all creators' prior, and
  consistency: the share of the window's weeks, from the creator's first item in the window,
  in which they published.
* **New creators**: first item ever (in the content table) inside the window.
* **Retention**: creators grouped by the week of their first item; the share of each group that
  publishes again in week ``N`` after it (``N`` = 1, 2, 4, 8), where week ``N`` is inside the
  data.
* **Concentration**: the share of views earned by the top 10 % of creators (at least one), and
  the Gini coefficient of views per creator, ``sum_i (2 i - n - 1) x_i / (n sum x)`` over the
  creators sorted by views (0: equal, near 1: one creator has every view).

>>> round(gini(np.array([0.0, 0.0, 0.0, 10.0])), 4)
0.75
>>> top_share(np.array([1.0] * 9 + [91.0]), 0.1)
0.91
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from opsnb.content.events import ContentData
from opsnb.content.items import in_window
from opsnb.content.shrink import shrink

RETENTION_WEEKS = (1, 2, 4, 8)
WEEK = pd.Timedelta(days=7)


def gini(x: np.ndarray) -> float:
    """Gini coefficient of non-negative values (NaN when they sum to 0)."""
    x = np.sort(np.asarray(x, float))
    n, total = len(x), x.sum()
    if n == 0 or total <= 0:
        return float("nan")
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * x) / (n * total))


def top_share(x: np.ndarray, top: float = 0.1) -> float:
    """Share of the total held by the top ``top`` fraction of rows (at least one row)."""
    x = np.sort(np.asarray(x, float))[::-1]
    if not len(x) or x.sum() <= 0:
        return float("nan")
    k = max(1, int(np.ceil(top * len(x))))
    return float(x[:k].sum() / x.sum())


def creator_reach(cd: ContentData, window) -> pd.DataFrame:
    """One query: distinct viewers per creator in the window."""
    ev = in_window(cd, window)
    ev = ev.filter(ev.event == cd.names.view)
    j = ev.join(cd.content.select("content_id", "creator_id"), "content_id")
    return j.group_by("creator_id").aggregate(reach=j.user_id.nunique()).to_pandas()


def retention(content: pd.DataFrame, data_end: pd.Timestamp,
              weeks=RETENTION_WEEKS) -> pd.DataFrame:
    """Per cohort (week of the first item): creators, and the share publishing in week N.

    Weeks are counted from each creator's first item in whole 7-day steps; week ``N`` is
    ``[first + 7N days, first + 7(N + 1) days)``, shown only for cohorts whose week ``N`` ends
    by ``data_end``.
    """
    c = content[["creator_id", "published_at"]].copy()
    c["published_at"] = pd.to_datetime(c["published_at"])
    first = c.groupby("creator_id")["published_at"].min().rename("first")
    c = c.join(first, on="creator_id")
    c["week"] = ((c["published_at"] - c["first"]) // WEEK).astype(int)
    cohort_of = first.dt.to_period("W-SUN").dt.start_time
    rows = []
    for cohort, members in first.groupby(cohort_of):
        row = {"cohort_week": cohort, "creators": len(members)}
        for n in weeks:
            observable = members[members + (n + 1) * WEEK <= data_end]
            if len(observable) < len(members) or not len(members):
                row[f"week_{n}"] = np.nan
                continue
            active = set(c.loc[c["week"] == n, "creator_id"])
            row[f"week_{n}"] = float(np.mean([m in active for m in members.index]))
        rows.append(row)
    return pd.DataFrame(rows)


def pooled_retention(content: pd.DataFrame, data_end: pd.Timestamp, n: int) -> tuple[float, int]:
    """Share of all creators whose week ``n`` is inside the data who publish in it."""
    c = content[["creator_id", "published_at"]].copy()
    c["published_at"] = pd.to_datetime(c["published_at"])
    first = c.groupby("creator_id")["published_at"].min()
    eligible = first[first + (n + 1) * WEEK <= data_end]
    if not len(eligible):
        return float("nan"), 0
    c = c.join(first.rename("first"), on="creator_id")
    wk = (c["published_at"] - c["first"]) // WEEK
    active = set(c.loc[wk == n, "creator_id"])
    return float(np.mean([m in active for m in eligible.index])), int(len(eligible))


@dataclass
class Creators:
    board: pd.DataFrame
    new: pd.DataFrame
    retention: pd.DataFrame
    retention_4: float
    retention_4_n: int
    top10_share: float
    gini: float
    n_creators: int


def creators(cd: ContentData, window, content: pd.DataFrame, items: pd.DataFrame) -> Creators:
    """``content``: every item published by the window's end; ``items``: the per-item table."""
    start, end = pd.Timestamp(window.start), pd.Timestamp(window.end_exclusive)
    pub = pd.to_datetime(content["published_at"])
    in_win = content[(pub >= start) & (pub < end)]
    live = items.groupby("creator_id")[["views", "engagements", "impressions"]].sum()
    board = live.join(in_win.groupby("creator_id").size().rename("items"), how="left")
    board["items"] = board["items"].fillna(0).astype(int)
    reach = creator_reach(cd, window).set_index("creator_id")["reach"]
    board["reach"] = reach.reindex(board.index).fillna(0).astype(int)
    post, _ = shrink(board["engagements"].to_numpy(float), board["views"].to_numpy(float))
    with np.errstate(invalid="ignore", divide="ignore"):
        board["engagement_rate"] = board["engagements"] / board["views"].where(board["views"] > 0)
    board["engagement_rate_shrunk"] = post.mean
    board["engagement_rate_low"] = post.low
    board["engagement_rate_high"] = post.high
    weeks_in = in_win.assign(week=((pd.to_datetime(in_win["published_at"]) - start) // WEEK))
    n_weeks = max(1, int(np.ceil((end - start) / WEEK)))
    per = weeks_in.groupby("creator_id")["week"].agg(["min", "nunique"])
    board["consistency"] = (per["nunique"] / (n_weeks - per["min"])).reindex(board.index)
    board = board.reset_index().sort_values(["reach", "views", "creator_id"],
                                            ascending=[False, False, True], kind="stable")
    firsts = pd.to_datetime(content.groupby("creator_id")["published_at"].min())
    new_ids = firsts[(firsts >= start) & (firsts < end)]
    new = board[board["creator_id"].isin(new_ids.index)].copy()
    new["first_item"] = new_ids.reindex(new["creator_id"]).to_numpy()
    data_end = pd.Timestamp(window.as_of) if window.as_of is not None else end
    data_end = min(data_end, end)
    ret = retention(content, data_end)
    r4, r4n = pooled_retention(content, data_end, 4)
    views = board["views"].to_numpy(float)
    return Creators(board.reset_index(drop=True), new.reset_index(drop=True), ret, r4, r4n,
                    top_share(views, 0.1), gini(views), len(board))
