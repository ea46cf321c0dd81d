"""The campaign-impact sample (issue 17): regions, three campaigns and a confounded mix, with truth.

Drawn from its own random stream (``numpy.random.default_rng([seed, 17])``) and written to its
own folder (``data/sample/campaigns/``) by :func:`opsnb.data.sample.generate` with
``campaigns="folder"``, so no other report's numbers change. The model, per user ``u`` and day
``t`` (``START`` .. ``START + DAYS - 1``):

* a user is alive from sign-up for a geometric number of days (mean ``MEAN_LIFE``; the users
  who signed up before ``START`` are alive on day 0) and active on an alive day when a uniform
  draw ``U[u, t]`` is below ``p[u, t] = min(0.95, base_u x level_r x weekly_r(dow) x trend(t) x
  exp(shock_r,t) x holiday(t) x campaign multipliers + check-in effect)``; the sign-up day is
  always active. ``base_u`` is Beta(2, 4); each of the 24 provinces ``r`` (sizes 3x apart) has
  its own level, weekly pattern and AR(1) daily shocks; the trend is common;
* **C-ZJ-PUSH** (regional, ``region=浙江``, 21 days): ``p`` x ``ZJ_LIFT`` for 浙江's users;
* **C-CHECKIN** (participants, ``users=checkin``, 14 days, no other campaign then): users active
  during the campaign join with probability ``expit(JOIN_A + JOIN_B x pre-period active share)``
  (28 days before the start): self-selection on activity. Joining adds ``CHECKIN_EFFECT`` to
  ``p`` on the ``CHECKIN_EFFECT_DAYS`` days after the campaign's end;
* **C-BRAND-DAY** (``all``, 3 days): ``p`` x ``BRAND_LIFT`` for everyone;
* sign-ups per channel and day are Poisson: organic ``BASE_SIGNUPS x (1 + SEASON_SIGNUPS x
  promo_season)``; each paid channel ``SEASON_PAID_SIGNUPS x promo_season`` (the season brings
  sign-ups to every channel) plus a Hill curve of the normalised geometric adstock of its spend
  (as in :mod:`opsnb.data.sample`); 抖音's spend is ``1 + SEASON_SPEND x promo_season`` times its
  flights: ``promo_season`` confounds it. The season here (:data:`SEASON_WIDTHS`) is longer
  than :func:`promo_season`'s default, and the flights (:func:`flights`, 2-5 weeks, some paused)
  longer than the main sample's, so that the mix model's bias without the control, and its
  correction with it, stand out of the Poisson noise;
* paid sign-ups mostly bounce: a share ``PAID_ENGAGED`` of them stays (geometric life); the
  others are alive on their sign-up day only (many paid sign-ups a day, few events);
* a purchase on an active day with the channel's probability, of the channel's order value.

Every counterfactual uses the same uniform draws (common random numbers), so the realised
effects in ``truth.json`` are exact for this draw; the expected ones are sums of probabilities
given who is alive.

>>> t = campaign_sample(7, n_days=240, scale=0.15)[-1]
>>> sorted(c["campaign_id"] for c in t["campaigns"])
['C-BRAND-DAY', 'C-CHECKIN', 'C-ZJ-PUSH']
>>> t["campaigns"][0]["treated"], round(t["C-ZJ-PUSH"]["planted_multiplier"], 2)
('region=浙江', 1.12)
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from opsnb.data.sample import geometric_adstock, hill

START = pd.Timestamp("2026-01-01")
DAYS = 273  # 2026-01-01 .. 2026-09-30
# provinces and their relative sizes (3x between the largest and the smallest); 浙江 mid-sized
PROVINCES = ("广东", "江苏", "山东", "河南", "四川", "北京", "上海", "湖北", "浙江", "福建",
             "湖南", "安徽", "河北", "陕西", "重庆", "辽宁", "江西", "天津", "云南", "广西",
             "山西", "黑龙江", "吉林", "贵州")
SIZES = tuple(np.round(np.linspace(3.0, 1.0, len(PROVINCES)), 4))
TREATED_REGION = "浙江"
WEEKLY = (0.95, 0.93, 0.95, 0.97, 1.03, 1.10, 1.07)  # Monday .. Sunday, perturbed per region
P_CAP = 0.95
MEAN_LIFE = 300.0
ALIVE_AT_START = 7200     # users alive on day 0 (signed up in 2025)
HOLIDAY_LIFT = 1.06
SHOCK_SD, SHOCK_PHI = 0.02, 0.7

CHANNELS = ("organic", "抖音", "小红书", "微信")
PAID = ("抖音", "小红书", "微信")
BASE_SIGNUPS = {"organic": 10.0}   # organic sign-ups a day, off season
# promotion season: organic sign-ups x (1 + SEASON_SIGNUPS x promo_season); each paid channel
# gains SEASON_PAID_SIGNUPS x promo_season sign-ups a day that its spend did not bring (none off
# season, so the paid sign-ups are spend-driven plus a season term, as the mix model assumes)
MEAN_SPEND = {"抖音": 2500.0, "小红书": 1200.0, "微信": 800.0}
ADSTOCK = {"抖音": 0.4, "小红书": 0.3, "微信": 0.2}
HALF_SAT = {"抖音": 1.5, "小红书": 1.4, "微信": 1.6}  # multiples of mean spend
SLOPE = {"抖音": 1.3, "小红书": 1.2, "微信": 1.4}
MAX_SIGNUPS = {"抖音": 64.0, "小红书": 48.0, "微信": 36.0}  # spend-driven sign-ups a day at saturation
# most paid sign-ups bounce: only this share stays (a geometric life of MEAN_LIFE days); the
# others are active on their sign-up day only (many paid users per day, few events)
PAID_ENGAGED = 0.2
FLIGHTS = (0.0, 0.5, 1.0, 1.5, 2.2)   # spend levels of a flight (x MEAN_SPEND; 0: paused)
FLIGHT_DAYS = (14, 36)               # a flight lasts 14 .. 35 days
SEASON_SIGNUPS = 0.8
SEASON_PAID_SIGNUPS = 35.0
# the campaign sample's season: long run-ups to 618 and 3.8, a quick end after each (over
# before the check-in's pre-period and the 浙江 push start); sd in days before/after
SEASON_WIDTHS = (18.0, 4.0, 9.0, 3.0)
SEASON_SPRING = 0.6
SEASON_SPEND = 3.0     # 抖音 spend x (1 + 3 promo_season): the team spends more in season
PAY = {"organic": 0.04, "抖音": 0.03, "小红书": 0.045, "微信": 0.05}
AOV = {"organic": 90.0, "抖音": 60.0, "小红书": 85.0, "微信": 110.0}
CHANNEL_SHARE_AT_START = (0.45, 0.20, 0.18, 0.17)
DEVICES, DEVICE_P = ("android", "ios", "web"), (0.5, 0.42, 0.08)

ZJ = dict(campaign_id="C-ZJ-PUSH", name="浙江 city push", start="2026-07-06", end="2026-07-26",
          kind="city_push", treated=f"region={TREATED_REGION}", cost=3000.0)
CHECKIN = dict(campaign_id="C-CHECKIN", name="14-day check-in challenge", start="2026-04-13",
               end="2026-04-26", kind="checkin", treated="users=checkin", cost=8000.0)
BRAND = dict(campaign_id="C-BRAND-DAY", name="818 brand day", start="2026-08-18",
             end="2026-08-20", kind="brand_day", treated="all", cost=4000.0)
ZJ_LIFT = 1.12
BRAND_LIFT = 1.15
JOIN_A, JOIN_B = -3.0, 5.0
PRE_DAYS = 28
CHECKIN_EFFECT = 0.10          # added to the activity probability of participants ...
CHECKIN_EFFECT_DAYS = 28       # ... on each of the 28 days after the campaign's end
AFTER_DAYS = 14                # the "after window" of the truth: the 14 days after the end
D30 = 30                      # revenue per user horizon of the mix truth (channel_roi's default)
P_CHECKIN = 0.85               # a participant checks in on an active campaign day (first: always)


def _day(text: str) -> int:
    return (pd.Timestamp(text) - START).days


def promo_season(days: pd.DatetimeIndex,
                 widths: tuple[float, float, float, float] = (9.0, 9.0, 5.0, 5.0),
                 spring: float = 0.5) -> np.ndarray:
    """The promotion season in [0, 1]: a 618 peak (ramping from late May) and a smaller 3.8 one
    (of height ``spring``); ``widths`` are their standard deviations in days before and after
    each peak (618 before, 618 after, 3.8 before, 3.8 after)."""
    t = days.to_numpy()

    def bump(centre: str, before: float, after: float, height: float) -> np.ndarray:
        d = (t - np.datetime64(centre)) / np.timedelta64(1, "D")
        return height * np.exp(-0.5 * (d / np.where(d < 0, before, after)) ** 2)

    return np.round(np.clip(bump("2026-06-15", widths[0], widths[1], 1.0)
                            + bump("2026-03-08", widths[2], widths[3], spring), 0, 1), 4)


def flights(rng: np.random.Generator, n_days: int, levels, days=FLIGHT_DAYS) -> np.ndarray:
    """Spend multipliers in flights of ``days[0]`` .. ``days[1] - 1`` days, each at a level
    drawn from ``levels``, never the same level twice in a row (as
    :func:`opsnb.data.sample.spend_flights`, with longer flights)."""
    level = np.ones(n_days)
    t, last = 0, None
    while t < n_days:
        length = int(rng.integers(days[0], days[1]))
        choices = [v for v in levels if v != last]
        last = choices[int(rng.integers(len(choices)))]
        level[t:t + length] = last
        t += length
    return level


def holidays(days: pd.DatetimeIndex) -> np.ndarray:
    """1 on China's public holidays (chinese_calendar), weekends and make-up days excluded."""
    import chinese_calendar as cc

    out = []
    for d in days:
        on, name = cc.get_holiday_detail(d.date())
        out.append(1.0 if on and name is not None else 0.0)
    return np.array(out)


def _expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def campaign_sample(seed: int = 7, n_days: int = DAYS, scale: float = 1.0
                    ) -> tuple[dict[str, pd.DataFrame], dict]:
    """The tables (users, events, spend, campaigns, controls) and the planted truth.

    ``scale`` multiplies the number of users (and sign-ups); ``n_days`` must cover the
    campaigns (at least 232 days).
    """
    if n_days < _day(BRAND["end"]) + 1:
        raise ValueError(f"n_days={n_days} ends before the last campaign")
    rng = np.random.default_rng([seed, 17])
    days = pd.date_range(START, periods=n_days, freq="D")
    dow = days.day_of_week.to_numpy()
    tt = np.arange(n_days)
    n_reg = len(PROVINCES)
    season = promo_season(days, SEASON_WIDTHS, SEASON_SPRING)
    holiday = holidays(days)
    price_index = np.round(100 * np.exp(np.cumsum(0.002 * rng.standard_normal(n_days))), 2)

    # ------------------------------------------------------------------ spend and sign-ups
    lam_base = np.zeros((n_days, len(CHANNELS)))
    lam_paid = np.zeros((n_days, len(CHANNELS)))
    spend = {}
    for j, c in enumerate(CHANNELS):
        weekly = 1.0 + 0.12 * np.isin(dow, [5, 6])
        lam_base[:, j] = scale * weekly * (
            SEASON_PAID_SIGNUPS * season if c in PAID
            else BASE_SIGNUPS[c] * (1 + SEASON_SIGNUPS * season))
        if c not in PAID:
            continue
        level = flights(rng, n_days, FLIGHTS)
        if c == "抖音":
            level = level * (1 + SEASON_SPEND * season)
        s = MEAN_SPEND[c] * level * (1 + 0.08 * rng.standard_normal(n_days))
        s = np.round(np.maximum(s, 0.0) * scale, 2)
        spend[c] = s
        ad = geometric_adstock(s, ADSTOCK[c]) * (1 - ADSTOCK[c])
        lam_paid[:, j] = scale * MAX_SIGNUPS[c] * hill(ad, HALF_SAT[c] * MEAN_SPEND[c] * scale,
                                                        SLOPE[c])
    counts = rng.poisson(lam_base + lam_paid)

    # ------------------------------------------------------------------ users
    n0 = int(round(ALIVE_AT_START * scale))
    sizes = np.array(SIZES) / np.sum(SIZES)
    new_day = np.repeat(np.repeat(tt, len(CHANNELS)), counts.ravel())
    new_ch = np.repeat(np.tile(np.arange(len(CHANNELS)), n_days), counts.ravel())
    n = n0 + len(new_day)
    ch = np.concatenate([rng.choice(len(CHANNELS), n0, p=CHANNEL_SHARE_AT_START), new_ch])
    region = rng.choice(n_reg, n, p=sizes)
    device = rng.choice(len(DEVICES), n, p=DEVICE_P)
    old_day = -rng.integers(1, 365, n0)                         # signed up in 2025
    signup_day = np.concatenate([old_day, new_day])
    signup_sec = rng.integers(0, 80_000, n)
    life = rng.geometric(1.0 / MEAN_LIFE, n)
    paid_new = (signup_day >= 0) & np.isin(ch, [CHANNELS.index(c) for c in PAID])
    life = np.where(paid_new & (rng.random(n) >= PAID_ENGAGED), 1, life)   # bounced
    first = np.maximum(signup_day, 0)
    last = np.where(signup_day < 0, life - 1, signup_day + life - 1)  # alive days first .. last
    base = rng.beta(2.0, 4.0, n)
    order = np.lexsort((signup_sec, signup_day))
    ch, region, device, signup_day, signup_sec = (a[order] for a in (ch, region, device,
                                                                     signup_day, signup_sec))
    first, last, base = first[order], last[order], base[order]
    user_ids = np.array([f"c{i:06d}" for i in range(1, n + 1)], dtype=object)

    # ------------------------------------------------------------------ activity probabilities
    level_r = rng.uniform(0.85, 1.15, n_reg)
    weekly_r = np.array(WEEKLY)[None, :] * (1 + 0.03 * rng.standard_normal((n_reg, 7)))
    trend = 1.0 + 0.08 * tt / n_days + 0.03 * np.sin(2 * np.pi * tt / 150.0)
    shock = np.zeros((n_reg, n_days))
    e = rng.standard_normal((n_reg, n_days)) * SHOCK_SD * np.sqrt(1 - SHOCK_PHI**2)
    shock[:, 0] = rng.standard_normal(n_reg) * SHOCK_SD
    for k in range(1, n_days):
        shock[:, k] = SHOCK_PHI * shock[:, k - 1] + e[:, k]
    region_day = (level_r[:, None] * weekly_r[:, dow] * trend[None, :] * np.exp(shock)
                  * np.where(holiday > 0, HOLIDAY_LIFT, 1.0)[None, :])
    raw = base[:, None] * region_day[region]                  # users x days, before campaigns
    alive = (tt[None, :] >= first[:, None]) & (tt[None, :] <= last[:, None])
    sday = (tt[None, :] == signup_day[:, None])               # the sign-up day: always active
    U = rng.random((n, n_days))
    V = rng.random((n, n_days))                               # purchase draws
    G = np.round(rng.gamma(16.0, 1 / 16, (n, n_days)), 4)     # order value multipliers

    zj_days = np.zeros(n_days, bool)
    zj_days[_day(ZJ["start"]):_day(ZJ["end"]) + 1] = True
    br_days = np.zeros(n_days, bool)
    br_days[_day(BRAND["start"]):_day(BRAND["end"]) + 1] = True
    zj_hit = (region == PROVINCES.index(TREATED_REGION))[:, None] & zj_days[None, :]
    mult = np.where(zj_hit, ZJ_LIFT, 1.0) * np.where(br_days, BRAND_LIFT, 1.0)[None, :]

    def active_of(p: np.ndarray) -> np.ndarray:
        return alive & ((U < p) | sday)

    p_nocamp = np.minimum(raw, P_CAP)
    p_camp = np.minimum(raw * mult, P_CAP)
    act_camp = active_of(p_camp)

    # check-in: join on pre-period activity, effect after the end
    c0, c1 = _day(CHECKIN["start"]), _day(CHECKIN["end"]) + 1
    pre = act_camp[:, c0 - PRE_DAYS:c0].sum(axis=1) / PRE_DAYS
    eligible = act_camp[:, c0:c1].any(axis=1)
    join = eligible & (rng.random(n) < _expit(JOIN_A + JOIN_B * pre))
    eff_days = np.zeros(n_days, bool)
    eff_days[c1:c1 + CHECKIN_EFFECT_DAYS] = True
    add = np.where(join[:, None] & eff_days[None, :], CHECKIN_EFFECT, 0.0)
    p = np.minimum(raw * mult + add, P_CAP)
    active = active_of(p)
    act_free = active_of(np.minimum(raw * mult, P_CAP))       # without the check-in effect
    act_nozj = active_of(np.minimum(raw * mult / np.where(zj_hit, ZJ_LIFT, 1.0) + add, P_CAP))
    act_nobr = active_of(np.minimum(raw * mult / np.where(br_days, BRAND_LIFT, 1.0)[None, :]
                                    + add, P_CAP))
    pay = np.array([PAY[c] for c in CHANNELS])[ch]
    aov = np.array([AOV[c] for c in CHANNELS])[ch]
    rev_draw = np.where(V < pay[:, None], np.round(aov[:, None] * G, 2), 0.0)
    rev = np.where(active, rev_draw, 0.0)

    # ------------------------------------------------------------------ events
    uu, dd = np.nonzero(active)
    first_day = dd == signup_day[uu]
    lo = np.where(first_day, signup_sec[uu] + 1, 0)
    sec = lo + (rng.random(len(uu)) * (84_000 - lo)).astype(np.int64)
    abs_sec = dd.astype(np.int64) * 86400 + sec
    bought = rev[uu, dd] > 0
    camp_day = (dd >= c0) & (dd < c1) & join[uu]
    first_in = np.zeros(len(uu), bool)
    if camp_day.any():
        idx = np.flatnonzero(camp_day)
        _, pos = np.unique(uu[idx], return_index=True)
        first_in[idx[pos]] = True
    checks = camp_day & (first_in | (rng.random(len(uu)) < P_CHECKIN))
    parts = [(np.ones(len(uu), bool), "session_start", 0, 0.0),
             (checks, "checkin", 90, 0.0), (bought, "purchase", 600, None)]
    ev_user, ev_sec, ev_name, ev_rev = [], [], [], []
    for mask, name, offset, r in parts:
        ev_user.append(uu[mask])
        ev_sec.append(abs_sec[mask] + offset)
        ev_name.append(np.full(int(mask.sum()), name, dtype=object))
        ev_rev.append(rev[uu[mask], dd[mask]] if r is None else np.zeros(int(mask.sum())))
    e_user = np.concatenate(ev_user)
    events = pd.DataFrame({
        "user_id": user_ids[e_user],
        "event_at": (START + pd.to_timedelta(np.concatenate(ev_sec), unit="s")).astype(
            "datetime64[us]"),
        "event": np.concatenate(ev_name),
        "revenue": np.concatenate(ev_rev).astype(float)})
    events = events.sort_values(["user_id", "event_at"], kind="stable").reset_index(drop=True)
    users = pd.DataFrame({
        "user_id": user_ids,
        "signup_at": (START + pd.to_timedelta(signup_day.astype(np.int64) * 86400 + signup_sec,
                                              unit="s")).strftime("%Y-%m-%d %H:%M:%S"),
        "channel": np.array(CHANNELS, dtype=object)[ch],
        "region": np.array(PROVINCES, dtype=object)[region],
        "device": np.array(DEVICES, dtype=object)[device]})
    spend_df = pd.DataFrame([(days[d].date(), c, f"{c}_always_on", float(spend[c][d]))
                             for d in range(n_days) for c in PAID],
                            columns=["date", "channel", "campaign", "spend"])
    campaigns = pd.DataFrame([ZJ, CHECKIN, BRAND])[["campaign_id", "name", "start", "end",
                                                     "kind", "treated", "cost"]]
    controls = pd.concat([pd.DataFrame({"date": days.date, "name": nm, "value": v})
                          for nm, v in (("holiday", holiday), ("price_index", price_index),
                                        ("promo_season", season))], ignore_index=True)
    controls = controls.sort_values(["date", "name"], kind="stable").reset_index(drop=True)

    # ------------------------------------------------------------------ truth
    pay_aov = pay * aov  # expected revenue of an active day

    def lift_truth(spec: dict, hit: np.ndarray, act_cf: np.ndarray, mult_: float) -> dict:
        d0, d1 = _day(spec["start"]), _day(spec["end"]) + 1
        sl = slice(d0, d1)
        a, s_ = alive[:, sl], ~sday[:, sl]
        p_f = np.where(s_, np.minimum(raw[:, sl] * mult[:, sl] + add[:, sl], P_CAP), 1.0) * a
        p_cf = np.where(s_, np.minimum(raw[:, sl] * mult[:, sl] / np.where(
            hit[:, sl], mult_, 1.0) + add[:, sl], P_CAP), 1.0) * a
        h = hit[:, sl]
        extra = ((p_f - p_cf) * h).sum(axis=0)
        base_ud = (p_cf * h).sum(axis=0)
        real = (active[:, sl] & ~act_cf[:, sl]).sum(axis=0)
        real_rev = (np.where(active[:, sl] & ~act_cf[:, sl], rev_draw[:, sl], 0.0)).sum()
        units = sorted({PROVINCES[r] for r in region[h.any(axis=1)]}) if "region=" in \
            spec["treated"] else None
        cost = spec["cost"]
        exp_rev = float(((p_f - p_cf) * h * pay_aov[:, None]).sum())
        return {
            **{k: spec[k] for k in ("campaign_id", "kind", "treated", "start", "end")},
            "treated_units": units, "planted_multiplier": mult_, "days": d1 - d0,
            "expected_extra_user_days_per_day": [round(float(x), 4) for x in extra],
            "expected_extra_user_days": round(float(extra.sum()), 4),
            "expected_counterfactual_user_days": round(float(base_ud.sum()), 4),
            "expected_relative_lift": round(float(extra.sum() / base_ud.sum()), 6),
            "expected_extra_revenue": round(exp_rev, 2),
            "realised_extra_user_days": int(real.sum()),
            "realised_extra_user_days_per_day": [int(x) for x in real],
            "realised_extra_revenue": round(float(real_rev), 2),
            "realised_treated_user_days": int(active[:, sl][h].sum()),
            "cost": cost,
            "expected_cost_per_extra_user_day": round(cost / float(extra.sum()), 4),
            "expected_roi": round((exp_rev - cost) / cost, 6),
        }

    zj_truth = lift_truth(ZJ, zj_hit, act_nozj, ZJ_LIFT)
    br_hit = np.broadcast_to(br_days[None, :], (n, n_days))
    br_truth = lift_truth(BRAND, br_hit, act_nobr, BRAND_LIFT)

    # check-in: ATT on the after window given who is alive
    a0 = c1
    truth_ci = {**{k: CHECKIN[k] for k in ("campaign_id", "kind", "treated", "start", "end")},
                "participation_event": "checkin", "cost": CHECKIN["cost"],
                "eligible": "users active on at least one campaign day",
                "join_model": f"expit({JOIN_A} + {JOIN_B} x share of the {PRE_DAYS} days before "
                              "the start with activity)",
                "effect": f"+{CHECKIN_EFFECT} activity probability on each of the "
                          f"{CHECKIN_EFFECT_DAYS} days after the end (capped at {P_CAP})",
                "planted_activity_probability_added": CHECKIN_EFFECT,
                "effect_days": CHECKIN_EFFECT_DAYS,
                "participants": int(join.sum()), "eligible_users": int(eligible.sum()),
                "pre_period": [str(days[c0 - PRE_DAYS].date()), str(days[c0 - 1].date())],
                "pre_active_share_participants": round(float(pre[join].mean()), 6),
                "pre_active_share_other_eligible": round(float(pre[eligible & ~join].mean()), 6)}
    for win in (AFTER_DAYS, CHECKIN_EFFECT_DAYS):
        sl = slice(a0, min(a0 + win, n_days))
        a = alive[:, sl]
        p1 = np.minimum(raw[:, sl] * mult[:, sl] + add[:, sl], P_CAP) * a
        p0 = np.minimum(raw[:, sl] * mult[:, sl], P_CAP) * a
        ret1 = 1 - np.prod(1 - p1, axis=1)
        ret0 = 1 - np.prod(1 - p0, axis=1)
        key = "after" if win == AFTER_DAYS else f"after_{win}d"
        J, N = join, eligible & ~join
        act_f, act_0 = active[:, sl], act_free[:, sl]
        truth_ci[key] = {
            "window": [str(days[sl.start].date()), str(days[sl.stop - 1].date())],
            "att_retained_share": round(float((ret1 - ret0)[J].mean()), 6),
            "att_active_days": round(float((p1 - p0)[J].sum(axis=1).mean()), 6),
            "att_revenue_per_participant": round(float(
                ((p1 - p0).sum(axis=1) * pay_aov)[J].mean()), 4),
            "expected_retained_share_participants": round(float(ret1[J].mean()), 6),
            "expected_retained_share_participants_untreated": round(float(ret0[J].mean()), 6),
            "expected_retained_share_other_eligible": round(float(ret1[N].mean()), 6),
            "naive_difference_retained_share_expected": round(float(ret1[J].mean()
                                                                    - ret1[N].mean()), 6),
            "naive_difference_active_days_expected": round(float(p1[J].sum(axis=1).mean()
                                                                 - p1[N].sum(axis=1).mean()), 6),
            "realised_att_retained_share": round(float(act_f[J].any(axis=1).mean()
                                                       - act_0[J].any(axis=1).mean()), 6),
            "realised_att_active_days": round(float(act_f[J].sum(axis=1).mean()
                                                    - act_0[J].sum(axis=1).mean()), 6),
            "realised_att_revenue_per_participant": round(float(
                (np.where(act_f & ~act_0, rev_draw[:, sl], 0.0)
                 - np.where(act_0 & ~act_f, rev_draw[:, sl], 0.0))[J].sum(axis=1).mean()), 4),
            "realised_naive_difference_retained_share": round(float(
                act_f[J].any(axis=1).mean() - act_f[N].any(axis=1).mean()), 6),
        }
        extra_rev = float(((p1 - p0).sum(axis=1) * pay_aov)[J].sum())
        truth_ci[key].update({
            "expected_extra_active_days": round(float((p1 - p0)[J].sum()), 4),
            "expected_extra_revenue": round(extra_rev, 2),
            "expected_roi": round((extra_rev - CHECKIN["cost"]) / CHECKIN["cost"], 6)})
    # short names of the headline truths (the after window of AFTER_DAYS days)
    truth_ci[f"true_att_active_days_{AFTER_DAYS}"] = truth_ci["after"]["att_active_days"]
    truth_ci[f"true_att_revenue_{AFTER_DAYS}"] = truth_ci["after"]["att_revenue_per_participant"]

    # mix: spend-driven sign-ups and their revenue, per paid channel
    # expected revenue of each user in the data: alive days only, the sign-up day active
    exp_day = np.where(sday, 1.0, p) * alive * pay_aov[:, None]
    exp_rev_user = exp_day.sum(axis=1)
    # ... and in its first D30 days (days 0 .. 29 from sign-up), for users that old in the data
    since = tt[None, :] - signup_day[:, None]
    exp_rev_d30 = (exp_day * ((since >= 0) & (since < D30))).sum(axis=1)
    mature = signup_day + D30 <= n_days
    new = signup_day >= 0
    mix = {}
    for j, c in enumerate(CHANNELS):
        sel = new & (ch == j)
        per_day_rev = np.bincount(signup_day[sel], exp_rev_user[sel], minlength=n_days)
        per_day_n = np.bincount(signup_day[sel], minlength=n_days)
        rev_user = float(exp_rev_user[sel].mean()) if sel.any() else float("nan")
        rev_d30 = float(exp_rev_d30[sel & mature].mean()) if (sel & mature).any() else float("nan")
        entry = {"paid": c in PAID, "signups": int(sel.sum()),
                 "expected_baseline_signups": round(float(lam_base[:, j].sum()), 4),
                 "expected_revenue_per_user_in_data": round(rev_user, 4),
                 f"expected_revenue_per_user_d{D30}": round(rev_d30, 4),
                 "pay_probability_per_active_day": PAY[c], "order_value": AOV[c]}
        if c in PAID:
            lam = lam_base[:, j] + lam_paid[:, j]
            share = np.divide(lam_paid[:, j], lam, out=np.zeros(n_days), where=lam > 0)
            contrib = float(lam_paid[:, j].sum())
            rev_contrib = float((share * per_day_rev).sum())
            total = float(spend[c].sum())
            entry.update({
                "total_spend": round(total, 2),
                "expected_spend_signups": round(contrib, 4),
                "signups_per_1000_yuan": round(1000 * contrib / total, 6),
                "expected_spend_revenue_in_data": round(rev_contrib, 2),
                "revenue_roas_in_data": round(rev_contrib / total, 6),
                f"revenue_roas_d{D30}": round(contrib / total * rev_d30, 6),
                "realised_users_from_spend_expected": round(float((share * per_day_n).sum()), 4),
                "adstock_decay": ADSTOCK[c], "hill_half_saturation": HALF_SAT[c] * MEAN_SPEND[c]
                * scale, "hill_slope": SLOPE[c],
                "signups_per_day_at_saturation": MAX_SIGNUPS[c] * scale,
                "spend_season_multiplier": (f"1 + {SEASON_SPEND} x promo_season" if c == "抖音"
                                            else None)})
        mix[c] = entry
    dau = active.sum(axis=0)
    truth = {
        "seed": seed, "n_users": int(n), "start": str(days[0].date()),
        "end": str(days[-1].date()),
        "campaigns": [{k: v for k, v in s.items()} for s in (ZJ, CHECKIN, BRAND)],
        "regions": {"dimension": "region", "names": list(PROVINCES),
                    "relative_size": dict(zip(PROVINCES, map(float, SIZES))),
                    "level": {r: round(float(x), 6) for r, x in zip(PROVINCES, level_r)},
                    "mean_dau": {r: round(float(active[region == k].sum() / n_days), 3)
                                 for k, r in enumerate(PROVINCES)}},
        "activity_model": "p = min(0.95, base (Beta(2,4)) x region level x region weekly x trend "
                          "x exp(region AR(1) shock) x holiday lift x campaign multipliers + "
                          "check-in effect); sign-up day always active",
        "holiday_lift": HOLIDAY_LIFT, "price_index_effect": None,
        "mean_dau": round(float(dau.mean()), 3),
        "C-ZJ-PUSH": zj_truth, "C-CHECKIN": truth_ci, "C-BRAND-DAY": br_truth,
        "mix": {"kpi": "new_users", "confounder": "promo_season",
                "organic_signups": f"{BASE_SIGNUPS['organic']} x (1 + {SEASON_SIGNUPS} x "
                                   "promo_season) a day (x1.12 on weekends)",
                "paid_season_signups": f"{SEASON_PAID_SIGNUPS} x promo_season a day per paid "
                                       "channel (x1.12 on weekends), not driven by spend",
                "paid_engaged_share": PAID_ENGAGED,
                "paid_bounce": "a paid sign-up stays with probability paid_engaged_share "
                               f"(geometric life, mean {MEAN_LIFE:g} days); else it is alive on "
                               "its sign-up day only",
                "promo_season_widths_days": list(SEASON_WIDTHS),
                "channels": mix,
                "roas_note": "signups_per_1000_yuan = expected spend-driven sign-ups / spend x "
                             f"1000; revenue_roas_d{D30} = that per yuan x expected revenue per "
                             f"user in the days 0..{D30 - 1} from sign-up (users {D30} days old "
                             "in the data; channel_roi's mix-model ROAS at the default "
                             f"roas_horizon_days={D30}); revenue_roas_in_data = expected revenue "
                             "in the data of the "
                             "spend-driven sign-ups / spend"},
        "controls": ["holiday", "price_index", "promo_season"],
    }
    tables = {"users": users, "events": events, "spend": spend_df, "campaigns": campaigns,
              "controls": controls}
    return tables, truth


def write_campaign_sample(folder, seed: int = 7) -> dict:
    """Write the tables and truth.json of :func:`campaign_sample` to ``folder``; return the
    truth."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables, truth = campaign_sample(seed)
    tables["users"].to_csv(folder / "users.csv", index=False)
    tables["events"].to_parquet(folder / "events.parquet", index=False, compression="zstd",
                                compression_level=19)
    for name in ("spend", "campaigns", "controls"):
        tables[name].to_csv(folder / f"{name}.csv", index=False)
    (folder / "truth.json").write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    return truth


# --------------------------------------------------------------------------- merged (shapes)
# Campaigns fitted to the main sample (opsnb.data.sample: 2026-05-01 .. 2026-10-31, regions
# 华东/华北/华南/西部, a claim_coupon event): no planted effect, for the data shapes.
MERGED_CAMPAIGNS = (
    dict(campaign_id="C-EAST-PUSH", name="华东 push", start="2026-08-03", end="2026-08-23",
         kind="city_push", treated="region=华东", cost=40000.0),
    dict(campaign_id="C-COUPON", name="coupon week", start="2026-07-06", end="2026-07-19",
         kind="coupon", treated="users=claim_coupon", cost=15000.0),
    dict(campaign_id="C-OCT-DAY", name="October brand days", start="2026-10-15",
         end="2026-10-16", kind="brand_day", treated="all", cost=None),
)


def merged_tables(start: pd.Timestamp, n_days: int, seed: int = 7
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``campaigns`` and ``controls`` for a sample of ``n_days`` from ``start`` (the main
    sample's dates), drawn on their own stream: the sample's other tables are unchanged.

    >>> c, k = merged_tables(pd.Timestamp("2026-05-01"), 184)
    >>> list(c["campaign_id"]), sorted(set(k["name"])), len(k)
    (['C-EAST-PUSH', 'C-COUPON', 'C-OCT-DAY'], ['holiday', 'price_index', 'promo_season'], 552)
    """
    rng = np.random.default_rng([seed, 17, 1])
    days = pd.date_range(start, periods=n_days, freq="D")
    price_index = np.round(100 * np.exp(np.cumsum(0.002 * rng.standard_normal(n_days))), 2)
    campaigns = pd.DataFrame(list(MERGED_CAMPAIGNS))[["campaign_id", "name", "start", "end",
                                                      "kind", "treated", "cost"]]
    controls = pd.concat([pd.DataFrame({"date": days.date, "name": nm, "value": v})
                          for nm, v in (("holiday", holidays(days)), ("price_index", price_index),
                                        ("promo_season", promo_season(days)))],
                         ignore_index=True)
    controls = controls.sort_values(["date", "name"], kind="stable").reset_index(drop=True)
    return campaigns, controls


def write_merged(folder, start: pd.Timestamp, n_days: int, seed: int = 7) -> None:
    """Write campaigns.csv and controls.csv of :func:`merged_tables` to ``folder``."""
    folder = Path(folder)
    campaigns, controls = merged_tables(start, n_days, seed)
    campaigns.to_csv(folder / "campaigns.csv", index=False)
    controls.to_csv(folder / "controls.csv", index=False)
