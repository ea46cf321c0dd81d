"""Content lifecycle: views by age since publishing, the half-life of attention, evergreen items.

One Ibis query counts the window's views per format, category and hour of age (0 to
``MAX_AGE_HOURS``). Items are observed at different ages (one published before the window is
seen only late in life, one published last night only young), so the views of each hour of age
are divided by the *exposure*: the number of items of that format that were that old at some
time inside the window. On that curve a Poisson regression with the log of the exposure as
offset fits ``views per item-hour = exp(alpha + beta * age)``; the half-life of attention is
``ln 2 / -beta`` (with its 95 % interval), per format and per category.

Per item, ``flash`` items earn at least 80 % of their views in their first day and
``evergreen`` items at least 30 % after their first week (items at least 14 days old at the
window's end, with at least 20 views).

>>> exposure_hours(np.array([0.0]), np.array([3.0]), 5)   # one item, seen at ages 0-3 hours
array([1., 1., 1., 0., 0.])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

from opsnb.content.events import ContentData
from opsnb.content.items import in_window
from opsnb.errors import DataError

MAX_AGE_HOURS = 30 * 24
FLASH_SHARE, EVERGREEN_SHARE = 0.8, 0.3
MIN_AGE_DAYS, MIN_VIEWS = 14, 20


def views_by_age(cd: ContentData, window) -> pd.DataFrame:
    """One query: views per format, category and hour of age."""
    ev = in_window(cd, window)
    ev = ev.filter(ev.event == cd.names.view)
    c = cd.content.select("content_id", "format", "category", opsnb_pub=cd.content.published_at)
    j = ev.join(c, "content_id")
    age = ((j.event_at.epoch_seconds() - j.opsnb_pub.epoch_seconds()) // 3600).cast("int64")
    j = j.mutate(age_hour=age)
    j = j.filter(j.age_hour < MAX_AGE_HOURS)
    return j.group_by(["format", "category", "age_hour"]).aggregate(views=j.count()).to_pandas()



def exposure_hours(lo: np.ndarray, hi: np.ndarray, n_bins: int = MAX_AGE_HOURS) -> np.ndarray:
    """How many items were observable at each whole hour of age ``[h, h + 1)``.

    Item ``i`` is observed from age ``lo[i]`` to ``hi[i]`` hours (its ages inside the window);
    an hour counts when it lies wholly inside that range.
    """
    first = np.clip(np.ceil(lo), 0, n_bins).astype(int)
    last = np.clip(np.floor(hi), 0, n_bins).astype(int)  # exclusive
    diff = np.zeros(n_bins + 1)
    ok = last > first
    np.add.at(diff, first[ok], 1.0)
    np.add.at(diff, last[ok], -1.0)
    return np.cumsum(diff)[:n_bins]


@dataclass
class HalfLife:
    group: str
    half_life_hours: float | None
    low: float | None
    high: float | None
    items: int
    views: int


def fit_half_life(views: np.ndarray, exposure: np.ndarray, group: str = "",
                  items: int = 0) -> HalfLife:
    """Poisson regression of views per item-hour on age: half-life ln 2 / -slope."""
    views = np.asarray(views, float)
    exposure = np.asarray(exposure, float)
    age = np.arange(len(views)) + 0.5
    keep = exposure > 0
    if keep.sum() < 3 or views[keep].sum() < 10:
        return HalfLife(group, None, None, None, items, int(views.sum()))
    x = sm.add_constant(age[keep])
    res = sm.GLM(views[keep], x, family=sm.families.Poisson(),
                 offset=np.log(exposure[keep])).fit()
    b = float(res.params[1])
    lo_b, hi_b = (float(v) for v in res.conf_int()[1])
    if b >= 0:
        return HalfLife(group, None, None, None, items, int(views.sum()))
    return HalfLife(group, float(np.log(2) / -b),
                    float(np.log(2) / -lo_b),
                    float(np.log(2) / -hi_b) if hi_b < 0 else None, items, int(views.sum()))


@dataclass
class Lifecycle:
    curve: pd.DataFrame          # format, day of age, views per item-day (exposure-adjusted)
    half_lives: pd.DataFrame     # by (dimension, group): half-life and interval
    kinds: pd.DataFrame          # per format: flash, evergreen, other items

    def format_half_lives(self) -> dict:
        h = self.half_lives[self.half_lives["dimension"] == "format"]
        return {g: v for g, v in zip(h["group"], h["half_life_hours"]) if v == v and v}


def lifecycle(cd: ContentData, window, content: pd.DataFrame, items: pd.DataFrame) -> Lifecycle:
    counts = views_by_age(cd, window)
    if counts.empty:
        raise DataError(f"no {cd.names.view} events of known items between {window.label()}",
                        table="events", column="event",
                        fix="set view_event to the event name of a content view")
    pub = pd.to_datetime(content["published_at"])
    lo = ((pd.Timestamp(window.start) - pub).dt.total_seconds() / 3600).clip(lower=0).to_numpy()
    hi = ((pd.Timestamp(window.end_exclusive) - pub).dt.total_seconds() / 3600).to_numpy()
    rows, curves = [], []
    for dim in ("format", "category"):
        for g, part in counts.groupby(dim):
            sel = (content[dim] == g).to_numpy()
            exp_ = exposure_hours(lo[sel], hi[sel])
            v = np.bincount(part["age_hour"].to_numpy(int), weights=part["views"].to_numpy(float),
                            minlength=MAX_AGE_HOURS)[:MAX_AGE_HOURS]
            hl = fit_half_life(v, exp_, str(g), int(sel.sum()))
            rows.append({"dimension": dim, **hl.__dict__})
            if dim == "format":
                day = np.arange(MAX_AGE_HOURS) // 24
                per = pd.DataFrame({"day": day, "views": v, "exposure": exp_}).groupby("day").sum()
                per["views_per_item_day"] = 24 * per["views"] / per["exposure"].where(
                    per["exposure"] > 0)
                curves.append(per.reset_index().assign(format=g))
    half = pd.DataFrame(rows)
    curve = pd.concat(curves, ignore_index=True)
    old = (pd.Timestamp(window.end_exclusive) - pd.to_datetime(items["published_at"])
           ) >= pd.Timedelta(days=MIN_AGE_DAYS)
    rated = items[old & (items["views"] >= MIN_VIEWS)].copy()
    share1 = rated["views_first_day"] / rated["views"]
    share7 = rated["views_after_week"] / rated["views"]
    rated["kind"] = np.select([share1 >= FLASH_SHARE, share7 >= EVERGREEN_SHARE],
                              ["flash", "evergreen"], "between")
    kinds = (rated.groupby(["format", "kind"]).size().unstack(fill_value=0)
             .reindex(columns=["flash", "between", "evergreen"], fill_value=0).reset_index())
    return Lifecycle(curve, half, kinds)
