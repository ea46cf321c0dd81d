"""Participants of a user campaign and their peers: one row per user, before and after.

A participant campaign (a sign-in bonus 签到, a points exchange 积分兑换) is one users *chose*
to join: ``campaign.scope == "users"`` and a participant is a user with at least one event named
``campaign.event`` on a day of ``campaign.start .. campaign.end``. The population is the users
who signed up before ``start`` (a user who signed up during the campaign has no pre-period: they
are counted in ``n_set_aside_new`` and left out) and, with ``eligible="active"`` (the default),
had at least one event during the campaign: only a user who came could join, and a user who
had already left is no peer of a participant, however alike before (such users are counted in
``n_set_aside_absent``). ``eligible="all"`` keeps every user who signed up before ``start``.

==================  =========================================================================
column              meaning (``start``, ``end``: the campaign's first and last day)
==================  =========================================================================
treated             joined: an event ``campaign.event`` in ``start .. end``
tenure_days         whole days from sign-up to ``start``
pre_active_days     days with any event in the ``pre_days`` days before ``start``
pre_events          events in those days
pre_revenue         revenue in those days
pre_paying          1 when pre_revenue > 0, else 0
channel, persona,   the user's attributes (persona, region, device when the users table has
region, device      them; empty values are ``(none)``)
retained            1 when active on any day of the after window, else 0
after_active_days   days with any event in the after window
after_revenue       revenue in the after window
==================  =========================================================================

The after window is ``end + 1 .. end + after_days``, cut at the data's last complete day (a day
counts as complete when the data reach 23:00 of it, as in :mod:`opsnb.data.window`);
``after_days_used`` says how many days it kept. Two queries: the data's bounds (with a count of
the participation event), then one aggregate grouped by user, joined with ``users``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import pandas as pd

from opsnb.campaigns.spec import Campaign
from opsnb.data.window import COMPLETE_DAY_AFTER
from opsnb.errors import DataError, ParameterError

DAY = pd.Timedelta(days=1)
NONE_LABEL = "(none)"
NUMERIC_COVARIATES = ("pre_active_days", "pre_events", "pre_revenue", "tenure_days")
BINARY_COVARIATES = ("pre_paying",)
CATEGORICAL_COVARIATES = ("channel", "persona", "region", "device")
OUTCOMES = ("retained", "after_active_days", "after_revenue")
ELIGIBLE = ("active", "all")


@dataclass(frozen=True, eq=False)
class ParticipantFrame:
    """The per-user frame and its counts.

    ``frame``: one row per user of the population (columns above, ``user_id`` first, sorted by
    user id). ``pre_days``: the pre-period days used (fewer than asked when the data start later).
    ``categoricals``: the categorical covariates present (channel and those of persona, region,
    device the users table holds).
    """

    frame: pd.DataFrame
    n_participants: int
    n_population: int
    n_set_aside_new: int
    after_days_used: int
    pre_days: int
    after_days: int = 0                    # the after window asked for
    categoricals: tuple[str, ...] = ("channel",)
    n_new_participants: int = 0            # participants among the users set aside (new users)
    data_end: pd.Timestamp | None = None   # the last complete day of the data
    covariates: tuple[str, ...] = field(default=())
    eligible: str = "active"                # who could have joined (see the module doc)
    n_set_aside_absent: int = 0             # users with no event during the campaign (active)

    @property
    def n_non_participants(self) -> int:
        return self.n_population - self.n_participants

    def to_dict(self) -> dict:
        return {"n_participants": self.n_participants, "n_population": self.n_population,
                "n_non_participants": self.n_non_participants,
                "n_set_aside_new": self.n_set_aside_new,
                "n_new_participants": self.n_new_participants,
                "eligible": self.eligible, "n_set_aside_absent": self.n_set_aside_absent,
                "pre_days": self.pre_days, "after_days": self.after_days,
                "after_days_used": self.after_days_used,
                "after_window_shortened": self.after_days_used < self.after_days,
                "data_end": None if self.data_end is None else f"{self.data_end:%Y-%m-%d}",
                "categoricals": list(self.categoricals)}


def _ts(x: pd.Timestamp) -> ibis.Value:
    return ibis.literal(pd.Timestamp(x).to_pydatetime(), type="timestamp")


def _check_days(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ParameterError(f"{name}={value!r} must be a whole number of days >= 1")
    return int(value)


def participant_frame(source, campaign: Campaign, pre_days: int = 28, after_days: int = 14,
                      eligible: str = "active") -> ParticipantFrame:
    """The population of a participant campaign, one row per user (see the module doc).

    Raises ParameterError when the campaign is not a participant campaign, when the data hold no
    day after the campaign (``after_days`` / the data end) or no day before it, and when nobody
    had the participation event during the campaign (the event name in ``treated``).
    """
    if eligible not in ELIGIBLE:
        raise ParameterError(f"eligible={eligible!r}; choose one of {', '.join(ELIGIBLE)}")
    pre_days = _check_days("pre_days", pre_days)
    after_days = _check_days("after_days", after_days)
    if campaign.scope != "users" or not campaign.event:
        raise ParameterError(
            f"campaign {campaign.campaign_id!r} has treated={campaign.treated!r}: matching "
            "participants needs a participant campaign; write treated users=<event> in campaigns")
    start, end_excl = pd.Timestamp(campaign.start).normalize(), campaign.end_exclusive
    ev = source.table("events")
    users = source.table("users")

    # query 1: where the data are, and whether the participation event occurs at all
    b = ev.aggregate(lo=ev.event_at.min(), hi=ev.event_at.max(),
                     n_event=(ev.event == campaign.event).sum()).to_pandas().iloc[0]
    if pd.isna(b["lo"]):
        raise DataError("table 'events' has no rows", table="events",
                        fix="load a source whose events table is not empty")
    lo, hi = pd.Timestamp(b["lo"]), pd.Timestamp(b["hi"])
    last_day = hi.normalize()
    complete_until = last_day + DAY if hi - last_day >= COMPLETE_DAY_AFTER else last_day
    after_end = min(end_excl + after_days * DAY, complete_until)
    after_used = (after_end - end_excl).days
    if after_used < 1:
        raise ParameterError(
            f"no complete day after the campaign (it ends {campaign.end:%Y-%m-%d}; the data's "
            f"last complete day is {complete_until - DAY:%Y-%m-%d}): after_days={after_days} "
            "needs data after the campaign; choose an earlier campaign or load later data")
    pre_start = max(start - pre_days * DAY, lo.normalize())
    pre_used = (start - pre_start).days
    if pre_used < 1:
        raise ParameterError(
            f"the data start {lo:%Y-%m-%d}, on or after the campaign's start "
            f"{start:%Y-%m-%d}: pre_days={pre_days} needs days before the campaign")
    if not int(b["n_event"] or 0):
        raise ParameterError(
            f"event {campaign.event!r} never occurs in events: campaign "
            f"{campaign.campaign_id!r} (treated={campaign.treated!r}) cannot have participants; "
            "fix the event name in the treated column of campaigns (users=<event>)")

    # query 2: per user, the pre-period, the campaign and the after window
    t0, t1, t2, t3 = _ts(pre_start), _ts(start), _ts(end_excl), _ts(after_end)
    e = ev.filter(ev.event_at >= t0, ev.event_at < t3)
    day = e.event_at.truncate("D")
    pre = e.event_at < t1
    during = (e.event_at >= t1) & (e.event_at < t2)
    after = e.event_at >= t2
    per = e.group_by(p_user=e.user_id).aggregate(
        pre_active_days=day.nunique(where=pre),
        pre_events=pre.sum(),
        pre_revenue=e.revenue.sum(where=pre),
        n_joined=(during & (e.event == campaign.event)).sum(),
        n_during=during.sum(),
        after_active_days=day.nunique(where=after),
        after_revenue=e.revenue.sum(where=after),
    )
    cats = tuple(c for c in CATEGORICAL_COVARIATES if c in users.columns)
    u = users.filter(users.signup_at < t2).select("user_id", "signup_at", *cats)
    j = u.left_join(per, u.user_id == per.p_user).drop("p_user")
    df = j.to_pandas()

    df["signup_at"] = pd.to_datetime(df["signup_at"])
    df["treated"] = df["n_joined"].fillna(0).astype("int64") > 0
    new = (df["signup_at"] >= start).to_numpy()
    n_new, n_new_part = int(new.sum()), int(df.loc[new, "treated"].sum())
    df = df.loc[~new].copy()
    absent = (df["n_during"].fillna(0) == 0).to_numpy()
    n_absent = int(absent.sum()) if eligible == "active" else 0
    if eligible == "active":
        df = df.loc[~absent].copy()
    for c in ("pre_active_days", "pre_events", "after_active_days"):
        df[c] = df[c].fillna(0).astype("int64")
    for c in ("pre_revenue", "after_revenue"):
        df[c] = df[c].fillna(0.0).astype("float64")
    df["pre_paying"] = (df["pre_revenue"] > 0).astype("int64")
    df["retained"] = (df["after_active_days"] > 0).astype("int64")
    df["tenure_days"] = ((start - df["signup_at"]) // DAY).astype("int64")
    for c in cats:
        s = df[c].astype("object")
        df[c] = s.where(s.notna() & (s.astype("string").str.strip() != ""), NONE_LABEL).astype(str)
    cols = ["user_id", "treated", *NUMERIC_COVARIATES[:3], "pre_paying", "tenure_days", *cats,
            *OUTCOMES]
    df = df[cols].sort_values("user_id").reset_index(drop=True)
    n_part = int(df["treated"].sum())
    if n_part == 0:
        raise ParameterError(
            f"no user signed up before {start:%Y-%m-%d} had event {campaign.event!r} during "
            f"campaign {campaign.campaign_id!r} ({campaign.label()}); check the event name in "
            f"the treated column (treated={campaign.treated!r}) and the campaign's dates")
    return ParticipantFrame(
        frame=df, n_participants=n_part, n_population=len(df), n_set_aside_new=n_new,
        after_days_used=after_used, pre_days=pre_used, after_days=after_days, categoricals=cats,
        n_new_participants=n_new_part, data_end=complete_until - DAY, eligible=eligible,
        n_set_aside_absent=n_absent,
        covariates=(*NUMERIC_COVARIATES, *BINARY_COVARIATES, *cats))
