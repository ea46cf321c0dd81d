"""The per-item table: reach, impressions, views, rates raw and shrunk, the rank, trending.

One Ibis query over the window's content events gives every count per item (and the
time-decayed score, views in the item's first day and after its first week, recent views);
rates, shrinkage (:mod:`opsnb.content.shrink`) and ranks are computed in pandas on that table,
one row per item.

Rates (successes / trials, each shrunk towards its group's prior):

=================  =====================================  ==============
rate               successes                              trials
=================  =====================================  ==============
view_rate          views                                  impressions
completion_rate    completions                            views
engagement_rate    likes + comments + shares              views
share_rate         shares                                 views
follow_rate        follows                                views
=================  =====================================  ==============

The rank orders items by the lower end of the engagement rate's posterior interval, so an item
with few views (a wide posterior) cannot top the table on luck.

The decay score of an item at time T is ``sum over its views of 0.5 ** ((T - t) / h)`` with
``h = half_life_hours``: a view now counts 1, a view one half-life ago 0.5.

>>> float(decay_weight(np.array([0.0, 24.0, 48.0]), 24.0).sum())
1.75
"""

from __future__ import annotations

import math

import ibis
import numpy as np
import pandas as pd

from opsnb.content.events import ContentData
from opsnb.content.shrink import shrink, wilson

RATES = {
    "view_rate": ("views", "impressions"),
    "completion_rate": ("completes", "views"),
    "engagement_rate": ("engagements", "views"),
    "share_rate": ("shares", "views"),
    "follow_rate": ("follows", "views"),
}
RANK_RATE = "engagement_rate"
LEVEL = 0.9  # posterior and Wilson intervals
PRIORS = ("category", "format", "global")
COUNTS = ("impressions", "views", "reach", "completes", "engagements", "shares", "favourites",
          "follows", "views_first_day", "views_after_week", "recent_views")


def decay_weight(age_hours, half_life_hours: float):
    """0.5 ** (age / half-life): the weight of a view ``age_hours`` before the scoring time."""
    return np.power(0.5, np.asarray(age_hours, float) / float(half_life_hours))


def in_window(cd: ContentData, window) -> ibis.Table:
    ev = cd.events
    return ev.filter(ev.event_at >= window.start, ev.event_at < window.end_exclusive)


def item_counts(cd: ContentData, window, half_life_hours: float,
                recent_hours: float) -> pd.DataFrame:
    """One query: every count of every item with events in the window."""
    n = cd.names
    ev = in_window(cd, window)
    c = cd.content.select("content_id", opsnb_pub=cd.content.published_at)
    j = ev.join(c, "content_id")
    t_end = int(pd.Timestamp(window.end_exclusive).timestamp())
    secs = j.event_at.epoch_seconds()
    age = secs - j.opsnb_pub.epoch_seconds()
    is_view = j.event == n.view
    k = math.log(2) / (float(half_life_hours) * 3600.0)
    aggs = dict(
        impressions=j.count(where=j.event == n.impression),
        views=j.count(where=is_view),
        reach=j.user_id.nunique(where=is_view),
        completes=j.count(where=j.event == n.complete),
        engagements=j.count(where=j.event.isin(list(n.engagement))),
        shares=j.count(where=j.event == n.share),
        favourites=j.count(where=j.event == n.favourite),
        follows=j.count(where=j.event == n.follow),
        views_first_day=j.count(where=is_view & (age < 86400)),
        views_after_week=j.count(where=is_view & (age >= 7 * 86400)),
        recent_views=j.count(where=is_view & (secs >= t_end - int(recent_hours * 3600))),
        decay_score=((secs - t_end).cast("float64") * k).exp().sum(where=is_view),
    )
    if cd.has_dwell:
        aggs["dwell_total"] = j.dwell_seconds.sum(where=is_view)
        aggs["dwell_n"] = j.dwell_seconds.count(where=is_view)
    return j.group_by("content_id").aggregate(**aggs).to_pandas()


def item_table(content: pd.DataFrame, counts: pd.DataFrame, prior: str = "category",
               min_impressions: int = 20) -> tuple[pd.DataFrame, dict]:
    """Every item published before the window's end, with counts, rates and its rank.

    ``content`` is the content table (pandas); items without events get zero counts and no
    rates. Returns the table and the fitted priors per rate.
    """
    t = content.merge(counts, on="content_id", how="left")
    for c in COUNTS:
        t[c] = t[c].fillna(0).astype("int64") if c in t else 0
    t["decay_score"] = t["decay_score"].fillna(0.0) if "decay_score" in t else 0.0
    if "dwell_total" in t:
        t["dwell_per_view"] = t["dwell_total"] / t["dwell_n"].where(t["dwell_n"] > 0)
    groups = None if prior == "global" else t[prior].to_numpy()
    priors = {}
    for rate, (num, den) in RATES.items():
        k = t[num].to_numpy(float)
        nn = t[den].to_numpy(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            t[rate] = np.where(nn > 0, k / nn, np.nan)
        post, pri = shrink(k, nn, groups, LEVEL)
        t[f"{rate}_shrunk"] = post.mean
        t[f"{rate}_low"] = post.low
        t[f"{rate}_high"] = post.high
        t[f"{rate}_wilson_low"], t[f"{rate}_wilson_high"] = wilson(k, nn, LEVEL)
        priors[rate] = pri
    eligible = (t["impressions"] >= min_impressions) & (t["views"] > 0)
    order = t[eligible].sort_values([f"{RANK_RATE}_low", f"{RANK_RATE}_shrunk", "content_id"],
                                    ascending=[False, False, True], kind="stable")
    t["rank"] = pd.Series(np.arange(1, len(order) + 1), index=order.index).reindex(t.index)
    t["rank"] = t["rank"].astype("Int64")
    return t, priors


def momentum(items: pd.DataFrame, half_lives: dict, window, recent_hours: float,
             default_half_life: float) -> pd.DataFrame:
    """Recent views against what the item's format curve expects for its age.

    For an item of age ``A`` at the window's end whose views decay as ``exp(-lambda a)`` (its
    format's fitted half-life), the views of the last ``recent_hours`` are expected to be
    ``views before x (F(A) - F(A - r)) / (F(A - r) - F(a0))``, ``F(a) = 1 - exp(-lambda a)``,
    ``a0`` the item's age at the window's start. ``momentum = recent / expected``: above 1 the
    item grows faster than its curve (rising), below it falls off faster.
    """
    t = items
    end = pd.Timestamp(window.end_exclusive)
    start = pd.Timestamp(window.start)
    pub = pd.to_datetime(t["published_at"])
    a_end = (end - pub).dt.total_seconds().to_numpy() / 3600.0
    a0 = np.maximum((start - pub).dt.total_seconds().to_numpy() / 3600.0, 0.0)
    a_mid = np.maximum(a_end - recent_hours, a0)
    h = t["format"].map(lambda f: half_lives.get(f) or default_half_life).astype(float).to_numpy()
    lam = np.log(2) / h

    def cdf(a):
        return 1 - np.exp(-lam * a)

    before = (t["views"] - t["recent_views"]).to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        denom = cdf(a_mid) - cdf(a0)
        expected = np.where((denom > 1e-9) & (before > 0),
                            before * (cdf(a_end) - cdf(a_mid)) / denom, np.nan)
        ratio = t["recent_views"].to_numpy(float) / expected
    return pd.DataFrame({"content_id": t["content_id"], "expected_recent": expected,
                         "momentum": ratio}, index=t.index)
