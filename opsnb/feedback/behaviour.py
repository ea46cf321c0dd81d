"""Feedback and what the same users do: segments, and retention after negative feedback.

Needs ``user_id`` in feedback and the users table; the retention comparison needs events too.
The event-level work is Ibis (one query per dimension, plus one for retention), so it runs on
DuckDB and Spark; only the per-user feedback summary (small) goes the other way, as a memtable.

**Segments.** For each user attribute (channel, device, region; persona with a personas export)
and value: users, users who gave feedback in the window, feedback per 1,000 users and the share
of their feedback that is negative.

**Retention after negative feedback (observational).** A user's *day* is the day of their first
negative feedback in the window. Comparable users are those active (any event) on the same day
who gave no feedback at all, of the same acquisition channel. The outcome is activity (any
event) on days 7-27 after the day. Both groups are compared within each (day, channel) stratum
and the comparable users' rates are weighted by the negative-feedback users in each stratum
(direct standardisation), so the two rates describe users of the same days and channels. Days
whose 28-day follow-up passes the data's end are left out (counted). This is an association:
users who complain differ in other ways too.

>>> round(standardised(pd.DataFrame({"group": [1, 0, 1, 0], "day": [1, 1, 2, 2],
...     "channel": ["a", "a", "a", "a"], "n": [10, 100, 10, 100],
...     "retained": [5, 80, 5, 40]}))["comparable_rate"], 3)
0.6
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd

from opsnb.errors import DataError
from opsnb.feedback.scores import Z, wilson

SEGMENT_COLUMNS = ("channel", "device", "region")
DAY_SECONDS = 86_400
FOLLOW_FROM, FOLLOW_TO = 7, 28  # the outcome: active on days [7, 28) after the feedback day


def segments(users: ibis.Table, per_user: pd.DataFrame, column: str,
             extra: ibis.Table | None = None) -> pd.DataFrame:
    """One query: per value of ``column`` (of users, or of ``extra``: user_id, persona)."""
    fb = ibis.memtable(per_user[["user_id", "feedback", "negative"]])
    base = (extra if extra is not None else users).select(
        "user_id", value=(extra if extra is not None else users)[column].cast("string"))
    j = base.left_join(fb, base.user_id == fb.user_id)
    t = j.group_by("value").aggregate(
        users=j.count(), with_feedback=j.feedback.notnull().sum(),
        feedback=j.feedback.fill_null(0).sum(), negative=j.negative.fill_null(0).sum(),
    ).to_pandas()
    t["value"] = t["value"].fillna("(missing)").replace("", "(missing)")
    t = t.groupby("value", as_index=False).sum(numeric_only=True)
    for c in ("users", "with_feedback", "feedback", "negative"):
        t[c] = t[c].fillna(0).astype(int)
    t["per_1000_users"] = 1000.0 * t["feedback"] / t["users"].where(t["users"] > 0)
    t["negative_share"] = t["negative"] / t["feedback"].where(t["feedback"] > 0)
    return t.sort_values(["per_1000_users", "value"], ascending=[False, True]).reset_index(
        drop=True)


@dataclass
class Retention:
    table: pd.DataFrame          # group (negative feedback / comparable), users, rate, low, high
    difference: float
    difference_low: float
    difference_high: float
    n_treated: int
    n_left_out: int              # negative-feedback users whose follow-up passes the data end
    strata: int


def standardised(t: pd.DataFrame) -> dict:
    """Treated rate and the comparable rate weighted by treated users per stratum."""
    key = ["day", "channel"]
    tr = t[t["group"] == 1][key + ["n", "retained"]]
    co = t[t["group"] == 0][key + ["n", "retained"]]
    j = tr.merge(co, on=key, suffixes=("_t", "_c"), how="inner")
    j = j[(j["n_t"] > 0) & (j["n_c"] > 0)]
    nt = float(j["n_t"].sum())
    if nt == 0:
        return {"treated_n": 0}
    pc = j["retained_c"] / j["n_c"]
    w = j["n_t"] / nt
    p_t = float(j["retained_t"].sum() / nt)
    p_c = float((w * pc).sum())
    var_c = float((w ** 2 * pc * (1 - pc) / j["n_c"]).sum())
    return {"treated_n": int(nt), "treated_retained": int(j["retained_t"].sum()),
            "treated_rate": p_t, "comparable_rate": p_c, "comparable_var": var_c,
            "comparable_n": int(j["n_c"].sum()), "strata": int(len(j))}


def retention_after_negative(source, per_user: pd.DataFrame, all_ids: pd.Series,
                             data_end: pd.Timestamp) -> Retention:
    """See the module docstring. ``per_user`` holds first_negative_at per user with negative
    feedback in the window; ``all_ids`` every user id with feedback at all."""
    ev = source.table("events")
    users = source.table("users")
    last_day = int(pd.Timestamp(data_end).normalize().timestamp()) // DAY_SECONDS
    neg = per_user[per_user["first_negative_at"].notna()].copy()
    neg["day"] = (neg["first_negative_at"].astype("datetime64[us]").astype("int64")
                  // (DAY_SECONDS * 1_000_000)).astype("int64")
    ok = neg["day"] + FOLLOW_TO - 1 <= last_day
    n_left = int((~ok).sum())
    neg = neg[ok]
    if neg.empty:
        raise DataError("no user gave negative feedback at least 28 days before the data end",
                        table="feedback", column="created_at",
                        fix="choose a window that ends 28 days or more before the data end")
    days = sorted(int(d) for d in neg["day"].unique())
    act = ev.select(user_id=ev.user_id,
                    day=(ev.event_at.epoch_seconds() // DAY_SECONDS).cast("int64")).distinct()
    base = act.filter(act.day.isin(days))
    fb_ids = ibis.memtable(pd.DataFrame({"user_id": pd.Series(all_ids.dropna().unique(),
                                                              dtype="str")}))
    controls = base.anti_join(fb_ids, "user_id").mutate(grp=ibis.literal(0, "int64"))
    treated = ibis.memtable(pd.DataFrame({"user_id": neg["user_id"].astype(str).to_numpy(),
                                          "day": neg["day"].to_numpy("int64")}))
    treated = treated.mutate(grp=ibis.literal(1, "int64"))
    both = controls.select("user_id", "day", "grp").union(treated.select("user_id", "day", "grp"))
    later = act.select(uid=act.user_id, d2=act.day)
    j = both.join(later, [both.user_id == later.uid, later.d2 >= both.day + FOLLOW_FROM,
                          later.d2 < both.day + FOLLOW_TO])
    ret = j.group_by(["user_id", "day", "grp"]).aggregate(hits=j.count())
    ret = ret.select(r_uid="user_id", r_day="day", r_grp="grp", hits="hits")
    b = both.left_join(ret, [both.user_id == ret.r_uid, both.day == ret.r_day,
                             both.grp == ret.r_grp])
    u = users.select(u_uid=users.user_id, channel=users.channel.cast("string"))
    b = b.join(u, b.user_id == u.u_uid)
    t = b.group_by(["grp", "day", "channel"]).aggregate(
        n=b.count(), retained=b.hits.notnull().sum()).to_pandas()
    t = t.rename(columns={"grp": "group"})
    t["channel"] = t["channel"].fillna("(missing)")
    s = standardised(t)
    if not s.get("treated_n"):
        raise DataError("no comparable users (active on the same day and channel, without "
                        "feedback) for the users with negative feedback", table="events",
                        fix="use events that cover the days feedback was given")
    lo, hi = wilson(s["treated_retained"], s["treated_n"])
    se_c = float(np.sqrt(s["comparable_var"]))
    p_t, p_c = s["treated_rate"], s["comparable_rate"]
    se_d = float(np.sqrt(p_t * (1 - p_t) / s["treated_n"] + s["comparable_var"]))
    table = pd.DataFrame({
        "group": ["users with negative feedback", "comparable users without feedback"],
        "users": [s["treated_n"], s["comparable_n"]], "rate": [p_t, p_c],
        "low": [lo, p_c - Z * se_c], "high": [hi, p_c + Z * se_c]})
    d = p_t - p_c
    return Retention(table, d, d - Z * se_d, d + Z * se_d, s["treated_n"], n_left, s["strata"])
