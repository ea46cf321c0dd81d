"""A simulated platform with planted truth: ``opsnb sample``.

Everything is drawn from one ``numpy.random.Generator`` seeded by ``seed``, so a
seed gives the same files byte for byte. What is planted is written to
``truth.json`` (and the per-user persona labels to ``truth_users.csv``), so
tests and analyses can be checked against it:

* five latent personas with distinct behaviour (activity, event mix, purchases,
  hours of the day), mixed differently per acquisition channel;
* daily spend per paid channel, and sign-ups driven by it through geometric
  adstock and Hill saturation (the parameters are in ``truth["channels"]``);
* retention that differs by channel and persona: a daily churn hazard and a
  daily activity probability per user, so expected rolling day-k retention is
  ``(1 - hazard) ** k * p_active`` and is reported per channel;
* a purchase funnel session_start -> view_item -> add_to_cart -> purchase;
* three experiments: one with a planted effect on conversion and revenue
  (potential outcomes are simulated for every user, so the sample average
  treatment effect is known exactly), one with a planted sample-ratio
  mismatch, and one three-arm test with no effect;
* competitor metrics for our product and three competitors, with planted
  change points (a price cut, a rating drop, a launch) and events beside them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

START = pd.Timestamp("2026-05-01")
DAYS = 184  # 2026-05-01 .. 2026-10-31
OUR_PRODUCT = "Lumo"

EVENT_KINDS = ("view_item", "search", "claim_coupon", "view_content", "like", "share")


@dataclass(frozen=True)
class Persona:
    name: str
    hazard: float        # daily churn hazard
    p_active: float      # chance of being active on a day while alive (day 0: always)
    sessions: float      # mean sessions per active day (>= 1)
    rates: dict          # mean events per session, per kind in EVENT_KINDS
    p_cart: float        # chance of add_to_cart in a session with item views
    p_buy: float         # chance of purchase after add_to_cart
    aov: float           # mean order value (CNY)
    hours: tuple         # preferred hours of the day (UTC+8 local, shifted to UTC below)


PERSONAS = (
    Persona("power_shopper", 0.006, 0.55, 1.6,
            dict(view_item=3.0, search=1.0, claim_coupon=0.05, view_content=0.3, like=0.1, share=0.05),
            0.45, 0.55, 220.0, (11, 12, 13, 19, 20, 21)),
    Persona("bargain_hunter", 0.015, 0.35, 1.3,
            dict(view_item=2.0, search=1.5, claim_coupon=1.2, view_content=0.2, like=0.05, share=0.3),
            0.40, 0.35, 70.0, (8, 12, 13, 18, 19)),
    Persona("casual_browser", 0.035, 0.18, 1.0,
            dict(view_item=1.6, search=0.2, claim_coupon=0.02, view_content=0.8, like=0.05, share=0.02),
            0.06, 0.25, 90.0, tuple(range(9, 23))),
    Persona("night_owl_viewer", 0.010, 0.45, 1.4,
            dict(view_item=0.3, search=0.1, claim_coupon=0.02, view_content=4.0, like=1.5, share=0.4),
            0.10, 0.30, 60.0, (22, 23, 0, 1, 2)),
    Persona("one_time_buyer", 0.120, 0.08, 1.0,
            dict(view_item=1.2, search=0.6, claim_coupon=0.1, view_content=0.1, like=0.0, share=0.0),
            0.80, 0.70, 150.0, (10, 14, 16, 20)),
)
PERSONA_NAMES = tuple(p.name for p in PERSONAS)


@dataclass(frozen=True)
class Channel:
    name: str
    paid: bool
    mean_spend: float        # CNY per day
    adstock: float           # geometric adstock decay per day
    half_sat: float          # Hill half-saturation, as a multiple of mean spend
    slope: float             # Hill slope
    weight: float            # relative sign-ups at saturation (organic: relative baseline)
    mix: tuple               # persona probabilities, in PERSONAS order
    hazard_mult: float       # multiplies each persona's churn hazard
    campaigns: tuple


CHANNELS = (
    Channel("organic", False, 0.0, 0.0, 1.0, 1.0, 0.9, (0.30, 0.15, 0.25, 0.20, 0.10), 0.70, ()),
    Channel("referral", False, 0.0, 0.0, 1.0, 1.0, 0.35, (0.35, 0.25, 0.15, 0.15, 0.10), 0.60, ()),
    Channel("抖音", True, 10000.0, 0.50, 1.8, 1.4, 2.61, (0.08, 0.17, 0.35, 0.30, 0.10), 1.35,
            ("抖音_brand", "抖音_live")),
    Channel("小红书", True, 5000.0, 0.40, 1.6, 1.3, 2.50, (0.15, 0.40, 0.15, 0.20, 0.10), 1.00,
            ("小红书_kol",)),
    Channel("微信", True, 2500.0, 0.30, 2.0, 1.5, 3.41, (0.30, 0.20, 0.15, 0.20, 0.15), 0.85,
            ("微信_moments", "微信_miniapp")),
    Channel("search_ads", True, 3500.0, 0.10, 1.4, 1.2, 2.08, (0.25, 0.20, 0.10, 0.05, 0.40), 1.10,
            ("search_brand", "search_generic")),
    Channel("app_store_ads", True, 6000.0, 0.20, 2.2, 1.6, 3.27, (0.12, 0.15, 0.38, 0.15, 0.20), 1.50,
            ("asa_main",)),
)
CHANNEL_NAMES = tuple(c.name for c in CHANNELS)

# Spend flights: 1-3 week bursts at one of these multiples of a channel's mean spend, dark
# weeks included. At mean spend channels run at 22-40 % of saturation (Hill of the normalised
# adstock, half-saturation 1.4-2.2x mean spend), and the weights give planted ROAS D30 about a
# factor 2 apart (微信 > search_ads > 小红书 > app_store_ads > 抖音). With ~47 paid sign-ups a day, that is the design under which a mix model
# on daily sign-ups can tell the channels apart: benchmarks/bench_mmm_recovery.py measures how
# often the default MarketingMixModel recovers the full ROAS order over 40 generator seeds.
FLIGHT_LEVELS = (0.0, 0.4, 1.0, 1.6, 2.4)

REGIONS = ("华东", "华北", "华南", "西部")
AGE_BANDS = ("18-24", "25-34", "35-44", "45+")
DEVICES = ("ios", "android", "web")


def spend_flights(rng: np.random.Generator, n_days: int, levels) -> np.ndarray:
    """Spend multipliers in flights: 1-3 week bursts, each at a level drawn from ``levels``."""
    level = np.ones(n_days)
    t = 0
    while t < n_days:
        length = int(rng.integers(7, 22))
        level[t:t + length] = rng.choice(levels)
        t += length
    return level


def organic_day_rates(ch: Channel, dow: np.ndarray) -> np.ndarray:
    """An organic channel's relative sign-up rate per day: weekend +15 %, a slow 10 % wave."""
    weekly = 1.0 + 0.15 * np.isin(dow, [5, 6])
    return ch.weight * weekly * (1 + 0.1 * np.sin(np.arange(len(dow)) / 30.0))


def paid_channel_day_rates(rng: np.random.Generator, ch: Channel, dow: np.ndarray) -> tuple:
    """A paid channel's daily spend (in flights) and its relative sign-up rate per day.

    The rate is ``weight * 2 * hill(adstock(spend))``, with the adstock normalised as in the mix
    model (``(1 - decay) * sum_k decay^k spend_{t-k}``, so a constant spend keeps its level and
    ``truth["channels"][c]["hill_half_saturation"]`` is in yuan per day); the sign-ups of all
    channels are then drawn in proportion to the rates. ``dow`` is the day of the week of each day.
    """
    n_days = len(dow)
    level = spend_flights(rng, n_days, FLIGHT_LEVELS)
    s = ch.mean_spend * level * (1 + 0.08 * rng.standard_normal(n_days)) * (1 - 0.1 * (dow == 6))
    s = np.round(np.maximum(s, 0.0), 2)
    ad = geometric_adstock(s, ch.adstock)
    level_ad = ad * (1 - ch.adstock)   # normalised: a constant spend keeps its level
    return s, ch.weight * hill(level_ad, ch.half_sat * ch.mean_spend, ch.slope) * 2


def geometric_adstock(x: np.ndarray, decay: float) -> np.ndarray:
    """a_t = x_t + decay * a_{t-1}."""
    out = np.empty(len(x), dtype=float)
    carry = 0.0
    for i, v in enumerate(x):
        carry = v + decay * carry
        out[i] = carry
    return out


def hill(x: np.ndarray, half_sat: float, slope: float) -> np.ndarray:
    """x^s / (x^s + K^s), in [0, 1)."""
    xs = np.power(np.maximum(x, 0.0), slope)
    return xs / (xs + half_sat**slope)


def generate(out: str | Path, seed: int = 7, n_users: int = 10_000,
             content: str | None = None, feedback: str | None = None,
             diagnostics: str | None = None, campaigns: str | None = None) -> dict:
    """Write the sample data set to ``out`` and return the planted truth.

    ``content`` adds the content items and events of :func:`content_sample` (their own random
    stream: the other tables are the same bytes either way): ``"folder"`` writes them to
    ``out/content/``, a data source of its own (users, the sessions' ``session_start`` events plus
    the content events, the content table, its truth), so the events every other report reads are
    unchanged; ``"merged"`` adds them to ``out``'s events and writes ``out/content.parquet``;
    ``None`` (the default) leaves them out. ``feedback`` does the same for the feedback table of
    :mod:`opsnb.data.feedback_sample` (``out/feedback/``: users, session_start events, feedback
    and its truth; or ``out/feedback.csv``). ``diagnostics="folder"`` writes the KPI diagnostics
    sample (:mod:`opsnb.data.diagnostics_sample`: users and events of its own, drawn on its own
    stream) to ``out/diagnostics/``; nothing else changes. ``campaigns="folder"`` writes the
    campaign-impact sample (:mod:`opsnb.data.campaign_sample`: users, events, spend, campaigns,
    controls and truth of its own) to ``out/campaigns/``; ``"merged"`` adds only
    ``campaigns.csv`` and ``controls.csv`` fitted to this sample's dates and regions to ``out``.
    """
    if content not in (None, "folder", "merged"):
        raise ValueError(f"content={content!r}: use None, 'folder' or 'merged'")
    if feedback not in (None, "folder", "merged"):
        raise ValueError(f"feedback={feedback!r}: use None, 'folder' or 'merged'")
    if diagnostics not in (None, "folder"):
        raise ValueError(f"diagnostics={diagnostics!r}: use None or 'folder'")
    if campaigns not in (None, "folder", "merged"):
        raise ValueError(f"campaigns={campaigns!r}: use None, 'folder' or 'merged'")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if diagnostics == "folder":
        from opsnb.data.diagnostics_sample import write_diagnostics_sample

        write_diagnostics_sample(out / "diagnostics", seed)
    if campaigns is not None:
        from opsnb.data import campaign_sample

        if campaigns == "folder":
            campaign_sample.write_campaign_sample(out / "campaigns", seed)
        else:
            campaign_sample.write_merged(out, START, DAYS, seed)
    rng = np.random.default_rng(seed)
    days = pd.date_range(START, periods=DAYS, freq="D")
    dow = days.day_of_week.to_numpy()

    # ---------------------------------------------------------------- spend and sign-ups
    spend_rows = []
    lam = np.zeros((DAYS, len(CHANNELS)))
    spend_mat = np.zeros((DAYS, len(CHANNELS)))
    for j, ch in enumerate(CHANNELS):
        if not ch.paid:
            lam[:, j] = organic_day_rates(ch, dow)
            continue
        s, lam[:, j] = paid_channel_day_rates(rng, ch, dow)
        spend_mat[:, j] = s
        shares = rng.dirichlet(np.full(len(ch.campaigns), 4.0), size=DAYS)
        for k, camp in enumerate(ch.campaigns):
            spend_c = np.round(s * shares[:, k], 2)
            cpm = 35.0 * (1 + 0.1 * rng.standard_normal(DAYS)).clip(0.5)
            imps = np.round(spend_c / cpm * 1000).astype(int)
            ctr = 0.012 * (1 + 0.15 * rng.standard_normal(DAYS)).clip(0.3)
            clicks = rng.binomial(imps, ctr)
            for d in range(DAYS):
                spend_rows.append((days[d].date(), ch.name, camp, spend_c[d], imps[d], clicks[d]))
    scale = n_users / lam.sum()
    counts = rng.multinomial(n_users, (lam / lam.sum()).ravel()).reshape(lam.shape)

    # ---------------------------------------------------------------- users
    day_idx = np.repeat(np.tile(np.arange(DAYS), (len(CHANNELS), 1)).T.ravel(), counts.ravel())
    ch_idx = np.repeat(np.tile(np.arange(len(CHANNELS)), DAYS), counts.ravel())
    order = np.lexsort((ch_idx, day_idx))
    day_idx, ch_idx = day_idx[order], ch_idx[order]
    n = len(day_idx)
    mix = np.array([c.mix for c in CHANNELS])
    u = rng.random(n)
    persona_idx = (u[:, None] > np.cumsum(mix[ch_idx], axis=1)).sum(axis=1).clip(0, len(PERSONAS) - 1)
    signup_sec = rng.integers(0, 86400, n)
    signup_at = START + pd.to_timedelta(day_idx * 86400 + signup_sec, unit="s")
    user_ids = np.array([f"u{i:06d}" for i in range(1, n + 1)])

    # campaign: by the channel's spend share that day
    campaign = np.full(n, "", dtype=object)
    for j, ch in enumerate(CHANNELS):
        if not ch.campaigns:
            continue
        sel = np.flatnonzero(ch_idx == j)
        campaign[sel] = rng.choice(np.array(ch.campaigns, dtype=object), size=len(sel))
    dev_p = np.array([[0.45, 0.45, 0.10], [0.30, 0.60, 0.10], [0.25, 0.55, 0.20],
                      [0.50, 0.45, 0.05], [0.30, 0.40, 0.30]])
    device = _draw_rows(rng, dev_p[persona_idx], DEVICES)
    age_p = np.array([[0.10, 0.45, 0.35, 0.10], [0.20, 0.40, 0.25, 0.15], [0.35, 0.35, 0.20, 0.10],
                      [0.55, 0.35, 0.08, 0.02], [0.15, 0.35, 0.30, 0.20]])
    age_band = _draw_rows(rng, age_p[persona_idx], AGE_BANDS)
    region = rng.choice(np.array(REGIONS, dtype=object), size=n, p=[0.38, 0.27, 0.23, 0.12])
    gender = rng.choice(np.array(["f", "m", ""], dtype=object), size=n, p=[0.48, 0.42, 0.10])
    users = pd.DataFrame({
        "user_id": user_ids, "signup_at": signup_at.strftime("%Y-%m-%d %H:%M:%S"),
        "channel": np.array(CHANNEL_NAMES, dtype=object)[ch_idx], "campaign": campaign,
        "region": region, "device": device, "age_band": age_band, "gender": gender,
    })

    # ---------------------------------------------------------------- behaviour per user-day
    hazard = np.array([p.hazard for p in PERSONAS])[persona_idx] * np.array(
        [c.hazard_mult for c in CHANNELS])[ch_idx]
    p_active = np.array([p.p_active for p in PERSONAS])[persona_idx]
    lifetime = _lifetimes(rng, hazard)  # alive on days 0 .. lifetime-1
    horizon = DAYS - day_idx           # days 0 .. horizon-1 fall inside the data (plus day overlap)
    last_day = np.minimum(lifetime, horizon + 1)
    # active day offsets per user
    ud_user, ud_day = _active_days(rng, last_day, p_active)
    sess_mean = np.array([p.sessions for p in PERSONAS])[persona_idx[ud_user]]
    n_sess = 1 + rng.poisson(sess_mean - 1)
    s_user = np.repeat(ud_user, n_sess)
    s_day = np.repeat(ud_day, n_sess)
    ns = len(s_user)
    # session start: day 0's first session at signup; others at a preferred hour in the rolling day
    hours_tab = [np.array(p.hours) for p in PERSONAS]
    pidx_s = persona_idx[s_user]
    hour = np.empty(ns, dtype=int)
    for k, hrs in enumerate(hours_tab):
        sel = pidx_s == k
        hour[sel] = rng.choice(hrs, size=sel.sum())
    minute_of_day = ((hour - 8) % 24) * 60 + rng.integers(0, 60, ns)  # local UTC+8 -> UTC
    signup_min = signup_sec[s_user] // 60
    offset_min = (minute_of_day - signup_min) % 1440
    first_of_user = np.r_[True, s_user[1:] != s_user[:-1]]
    offset_min = np.where(first_of_user, 0, offset_min)
    s_time_sec = (day_idx[s_user] * 86400 + signup_sec[s_user]) + s_day * 86400 + offset_min * 60
    s_time_sec = np.where(first_of_user, day_idx[s_user] * 86400 + signup_sec[s_user], s_time_sec)
    s_time_sec = s_time_sec + np.where(first_of_user, 0, rng.integers(0, 50, ns))
    inside = s_time_sec < DAYS * 86400
    s_user, s_day, s_time_sec, pidx_s = s_user[inside], s_day[inside], s_time_sec[inside], pidx_s[inside]
    ns = len(s_user)
    order = np.lexsort((s_time_sec, s_user))
    s_user, s_day, s_time_sec, pidx_s = s_user[order], s_day[order], s_time_sec[order], pidx_s[order]
    session_ids = np.array([f"s{i:07d}" for i in range(1, ns + 1)])

    # event counts per session and kind
    rates = np.array([[p.rates[k] for k in EVENT_KINDS] for p in PERSONAS])
    counts_k = rng.poisson(rates[pidx_s])  # (ns, kinds)
    views = counts_k[:, 0]
    p_cart = np.array([p.p_cart for p in PERSONAS])[pidx_s]
    cart = (views > 0) & (rng.random(ns) < p_cart)
    u_buy = rng.random(ns)
    p_buy = np.array([p.p_buy for p in PERSONAS])[pidx_s]
    aov = np.array([p.aov for p in PERSONAS])[pidx_s]
    rev_noise = rng.lognormal(-0.18, 0.6, ns)  # mean 1.0

    # ---------------------------------------------------------------- experiments
    exp_rows, assign_rows, exp_truth = [], [], {}
    treat_buy_mult = np.ones(ns)
    treat_rev_mult = np.ones(ns)
    specs = [
        dict(experiment_id="exp_checkout_v2", name="One-page checkout", control="control",
             start="2026-08-01", end="2026-08-28", primary_metric="purchase_conversion",
             hypothesis="A one-page checkout raises purchase conversion and revenue per user",
             traffic_split="control:0.5,treatment:0.5", variants=("control", "treatment"),
             split=(0.5, 0.5), buy_lift=0.30, rev_lift=0.05, lost=0.0),
        dict(experiment_id="exp_push_copy", name="Push notification copy", control="control",
             start="2026-09-01", end="2026-09-21", primary_metric="purchase_conversion",
             hypothesis="Urgent push copy brings users back", traffic_split="control:0.5,treatment:0.5",
             variants=("control", "treatment"), split=(0.5, 0.5), buy_lift=0.0, rev_lift=0.0,
             lost=0.12),
        dict(experiment_id="exp_onboarding_tips", name="Onboarding tips", control="control",
             start="2026-06-01", end="2026-06-28", primary_metric="purchase_conversion",
             hypothesis="Onboarding tips raise first-week purchases", traffic_split="",
             variants=("control", "tips_a", "tips_b"), split=(1 / 3, 1 / 3, 1 / 3),
             buy_lift=0.0, rev_lift=0.0, lost=0.0),
    ]
    abs_sec = s_time_sec
    for spec in specs:
        lo = (pd.Timestamp(spec["start"]) - START).days * 86400
        hi = ((pd.Timestamp(spec["end"]) - START).days + 1) * 86400
        in_win = (abs_sec >= lo) & (abs_sec < hi)
        # first session of each user in the window (sessions are sorted by user, then time)
        users_in, first_pos = np.unique(s_user[in_win], return_index=True)
        win_idx = np.flatnonzero(in_win)[first_pos]
        arm = rng.choice(len(spec["variants"]), size=len(users_in), p=spec["split"])
        assigned_sec = abs_sec[win_idx]
        keep = np.ones(len(users_in), dtype=bool)
        if spec["lost"]:
            keep = ~((arm == 1) & (rng.random(len(users_in)) < spec["lost"]))
        arm_of_user = np.full(n, -1)
        arm_of_user[users_in] = arm
        asg_of_user = np.full(n, np.iinfo(np.int64).max)
        asg_of_user[users_in] = assigned_sec
        treated_s = in_win & (arm_of_user[s_user] >= 1) & (abs_sec >= asg_of_user[s_user])
        exposed_s = in_win & (arm_of_user[s_user] >= 0) & (abs_sec >= asg_of_user[s_user])
        if spec["buy_lift"] or spec["rev_lift"]:
            treat_buy_mult = np.where(treated_s, 1 + spec["buy_lift"], treat_buy_mult)
            treat_rev_mult = np.where(treated_s, 1 + spec["rev_lift"], treat_rev_mult)
            # potential outcomes for every exposed session: y0 (control) and y1 (treatment)
            buy0 = cart & (u_buy < p_buy)
            buy1 = cart & (u_buy < np.minimum(p_buy * (1 + spec["buy_lift"]), 1.0))
            rev0 = np.where(buy0, aov * rev_noise, 0.0)
            rev1 = np.where(buy1, aov * rev_noise * (1 + spec["rev_lift"]), 0.0)
            conv0 = np.zeros(n, bool)
            conv1 = np.zeros(n, bool)
            np.logical_or.at(conv0, s_user[exposed_s], buy0[exposed_s])
            np.logical_or.at(conv1, s_user[exposed_s], buy1[exposed_s])
            r0 = np.bincount(s_user[exposed_s], rev0[exposed_s], minlength=n)
            r1 = np.bincount(s_user[exposed_s], rev1[exposed_s], minlength=n)
            pop = users_in[keep]
            exp_truth[spec["experiment_id"]] = {
                "planted_purchase_probability_lift": spec["buy_lift"],
                "planted_order_value_lift": spec["rev_lift"],
                "sample_ate": {
                    "population": "all assigned users; events from assigned_at to the end date",
                    "conversion_control": float(conv0[pop].mean()),
                    "conversion_treatment": float(conv1[pop].mean()),
                    "conversion_abs_effect": float(conv1[pop].mean() - conv0[pop].mean()),
                    "conversion_rel_effect": float(conv1[pop].mean() / conv0[pop].mean() - 1),
                    "revenue_per_user_control": float(r0[pop].mean()),
                    "revenue_per_user_treatment": float(r1[pop].mean()),
                    "revenue_per_user_abs_effect": float(r1[pop].mean() - r0[pop].mean()),
                    "revenue_per_user_rel_effect": float(r1[pop].mean() / r0[pop].mean() - 1),
                },
            }
        else:
            exp_truth[spec["experiment_id"]] = {
                "planted_purchase_probability_lift": 0.0, "planted_order_value_lift": 0.0}
        observed = np.bincount(arm[keep], minlength=len(spec["variants"]))
        exp_truth[spec["experiment_id"]].update({
            "variants": list(spec["variants"]),
            "designed_split": list(spec["split"]),
            "planted_srm": bool(spec["lost"] > 0),
            "lost_treatment_assignments_share": spec["lost"],
            "assigned_users": {v: int(c) for v, c in zip(spec["variants"], observed)},
        })
        for uix, a, sec in zip(users_in[keep], arm[keep], assigned_sec[keep]):
            assign_rows.append((spec["experiment_id"], user_ids[uix], spec["variants"][a], int(sec)))
        exp_rows.append({k: spec[k] for k in ("experiment_id", "name", "control", "start", "end",
                                              "primary_metric", "hypothesis", "traffic_split")})

    buy = cart & (u_buy < np.minimum(p_buy * treat_buy_mult, 1.0))
    revenue = np.where(buy, np.round(aov * rev_noise * treat_rev_mult, 2), 0.0)

    # ---------------------------------------------------------------- event rows
    content_pool = 600
    base_content = rng.integers(0, content_pool, n)
    breadth = np.array([40, 25, 60, 200, 15])[persona_idx]
    ev_user, ev_sec, ev_name, ev_rev, ev_sess, ev_content = [], [], [], [], [], []

    def add(mask_counts, name, offset_sec, rev=None, content=False):
        idx = np.repeat(np.arange(ns), mask_counts)
        if not len(idx):
            return
        ev_user.append(s_user[idx])
        ev_sec.append(s_time_sec[idx] + offset_sec(idx))
        ev_name.append(np.full(len(idx), name, dtype=object))
        ev_rev.append(rev[idx] if rev is not None else np.zeros(len(idx)))
        ev_sess.append(idx)
        if content:
            c = (base_content[s_user[idx]] + rng.integers(0, breadth[s_user[idx]])) % content_pool
            ev_content.append(np.array([f"c{x:04d}" for x in c], dtype=object))
        else:
            ev_content.append(np.full(len(idx), None, dtype=object))

    add(np.ones(ns, dtype=int), "session_start", lambda i: np.zeros(len(i), dtype=int))
    for k, kind in enumerate(EVENT_KINDS):
        add(counts_k[:, k], kind, lambda i: rng.integers(5, 900, len(i)),
            content=kind in ("view_content", "like", "share"))
    add(cart.astype(int), "add_to_cart", lambda i: rng.integers(900, 1200, len(i)))
    add(buy.astype(int), "purchase", lambda i: rng.integers(1200, 1500, len(i)), rev=revenue)
    e_user = np.concatenate(ev_user)
    e_sec = np.concatenate(ev_sec)
    keep = e_sec < DAYS * 86400
    events = pd.DataFrame({
        "user_id": user_ids[e_user[keep]],
        "event_at": START + pd.to_timedelta(e_sec[keep], unit="s"),
        "event": np.concatenate(ev_name)[keep],
        "revenue": np.concatenate(ev_rev)[keep],
        "session_id": session_ids[np.concatenate(ev_sess)[keep]],
        "content_id": np.concatenate(ev_content)[keep],
    })
    events = events.sort_values(["user_id", "event_at"], kind="stable").reset_index(drop=True)

    # ---------------------------------------------------------------- touchpoints
    paid = [j for j, c in enumerate(CHANNELS) if c.paid]
    affinity = spend_mat[:, paid].sum(axis=0)
    affinity = affinity / affinity.sum()
    n_touch = np.where(np.isin(ch_idx, paid), 1 + rng.poisson(1.0, n),
                       rng.poisson(0.6, n)).clip(0, 6)
    t_user = np.repeat(np.arange(n), n_touch)
    pos = np.arange(len(t_user)) - np.repeat(np.cumsum(n_touch) - n_touch, n_touch)
    is_last = pos == np.repeat(n_touch, n_touch) - 1
    t_ch = np.array(paid)[rng.choice(len(paid), size=len(t_user), p=affinity)]
    own = ch_idx[t_user]
    t_ch = np.where(is_last & np.isin(own, paid) & (rng.random(len(t_user)) < 0.8), own, t_ch)
    gap = rng.integers(3600, 14 * 86400, len(t_user))
    gap = np.where(is_last, rng.integers(30, 3600, len(t_user)), gap)
    signup_abs = day_idx * 86400 + signup_sec
    t_sec = signup_abs[t_user] - gap
    touch = pd.DataFrame({
        "user_id": user_ids[t_user],
        "touch_at": START + pd.to_timedelta(t_sec, unit="s"),
        "channel": np.array(CHANNEL_NAMES, dtype=object)[t_ch],
    })
    touch["campaign"] = [
        CHANNELS[c].campaigns[int(r * len(CHANNELS[c].campaigns))] if CHANNELS[c].campaigns else ""
        for c, r in zip(t_ch, rng.random(len(t_ch)))
    ]
    touch = touch.sort_values(["user_id", "touch_at"], kind="stable").reset_index(drop=True)

    # ---------------------------------------------------------------- competitors
    comp_metrics, comp_events, cp_truth = _competitors(rng, days)

    # ---------------------------------------------------------------- write
    users.to_csv(out / "users.csv", index=False)
    content_truth = None
    if content is not None:
        items, c_events, truth_items, content_truth = content_sample(
            seed, user_ids, s_user, s_time_sec, session_ids)
        if content == "merged":
            events = _with_content_events(events, c_events)
            _write_content(out, items, truth_items)
        else:
            folder = out / "content"
            folder.mkdir(parents=True, exist_ok=True)
            users.to_csv(folder / "users.csv", index=False)
            _write_events(_with_content_events(events[events["event"] == "session_start"],
                                               c_events), folder / "events.parquet")
            _write_content(folder, items, truth_items)
            (folder / "truth.json").write_text(json.dumps(
                {"seed": seed, "n_users": int(n), "start": str(START.date()),
                 "end": str(days[-1].date()), "content": content_truth},
                indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            content_truth = None
    feedback_truth = None
    if feedback is not None:
        from opsnb.data.feedback_sample import feedback_sample, write_feedback

        fb, fb_rows, feedback_truth = feedback_sample(seed, START, DAYS, user_ids, s_user,
                                                      s_time_sec)
        folder = out if feedback == "merged" else out / "feedback"
        folder.mkdir(parents=True, exist_ok=True)
        write_feedback(folder, fb, fb_rows)
        if feedback == "folder":
            users.to_csv(folder / "users.csv", index=False)
            _write_events(events[events["event"] == "session_start"], folder / "events.parquet")
            (folder / "truth.json").write_text(json.dumps(
                {"seed": seed, "n_users": int(n), "start": str(START.date()),
                 "end": str(days[-1].date()), "feedback": feedback_truth},
                indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            feedback_truth = None
    _write_events(events, out / "events.parquet")
    spend = pd.DataFrame(spend_rows, columns=["date", "channel", "campaign", "spend", "impressions",
                                              "clicks"])
    spend.to_csv(out / "spend.csv", index=False)
    tp = touch.copy()
    tp["touch_at"] = tp["touch_at"].astype("datetime64[us]")
    tp.to_parquet(out / "touchpoints.parquet", index=False, compression="zstd")
    asg = pd.DataFrame(assign_rows, columns=["experiment_id", "user_id", "variant", "assigned_sec"])
    asg["assigned_at"] = (START + pd.to_timedelta(asg.pop("assigned_sec"), unit="s")).astype(
        "datetime64[us]")
    asg.to_parquet(out / "assignments.parquet", index=False, compression="zstd")
    pd.DataFrame(exp_rows).to_csv(out / "experiments.csv", index=False)
    comp_metrics.to_csv(out / "competitor_metrics.csv", index=False)
    comp_events.to_csv(out / "competitor_events.csv", index=False)
    pd.DataFrame({"user_id": user_ids, "persona": np.array(PERSONA_NAMES)[persona_idx],
                  "hazard": np.round(hazard, 6), "p_active": p_active}).to_csv(
        out / "truth_users.csv", index=False)

    # ---------------------------------------------------------------- truth
    rev_per_active_day = np.array([
        p.sessions * (1 - np.exp(-p.rates["view_item"])) * p.p_cart * p.p_buy * p.aov
        for p in PERSONAS])[persona_idx]

    def expected_revenue(k_days: int) -> np.ndarray:
        surv = survival(hazard[:, None], np.arange(k_days)[None, :])
        act = np.where(np.arange(k_days)[None, :] == 0, 1.0, p_active[:, None])
        return rev_per_active_day * (surv * act).sum(axis=1)

    chan_truth = {}
    for j, ch in enumerate(CHANNELS):
        sel = ch_idx == j
        ret = {f"D{k}": float(np.mean(survival(hazard[sel], k) * p_active[sel])) for k in (1, 7, 14, 30)}
        total_spend = float(spend_mat[:, j].sum())
        rev30 = float(expected_revenue(30)[sel].mean())
        chan_truth[ch.name] = {
            "paid": ch.paid,
            "users": int(sel.sum()),
            "persona_mix": {p: float(x) for p, x in zip(PERSONA_NAMES, ch.mix)},
            "hazard_multiplier": ch.hazard_mult,
            "expected_rolling_retention": ret,
            "expected_revenue_per_user_d30": rev30,
            "expected_revenue_per_user_d90": float(expected_revenue(90)[sel].mean()),
            "total_spend": round(total_spend, 2),
            "expected_roas_d30": (rev30 * int(sel.sum()) / total_spend) if ch.paid else None,
            "adstock_decay": ch.adstock if ch.paid else None,
            "hill_half_saturation": ch.half_sat * ch.mean_spend if ch.paid else None,
            "hill_slope": ch.slope if ch.paid else None,
            "signups_per_day_at_saturation": (ch.weight * 2 * scale) if ch.paid else None,
            "baseline_signups_per_day": (ch.weight * scale) if not ch.paid else None,
        }
    truth = {
        "seed": seed,
        "n_users": int(n),
        "start": str(START.date()),
        "end": str(days[-1].date()),
        "our_product": OUR_PRODUCT,
        "personas": {
            "names": list(PERSONA_NAMES),
            "count": len(PERSONAS),
            "shares": {p: float(np.mean(persona_idx == k)) for k, p in enumerate(PERSONA_NAMES)},
            "labels_file": "truth_users.csv",
            "parameters": {p.name: {"hazard": p.hazard, "p_active": p.p_active, "sessions": p.sessions,
                                    "events_per_session": p.rates, "p_cart": p.p_cart,
                                    "p_buy": p.p_buy, "aov": p.aov, "local_hours": list(p.hours)}
                           for p in PERSONAS},
        },
        "retention_model": "alive on rolling day k with probability "
                           "(1 - 3 hazard)^min(k, 7) (1 - hazard)^max(k - 7, 0) (early churn is "
                           "three times the later hazard; day 0 always alive), active on an alive "
                           "day with probability p_active (day 0: always); hazard = persona hazard "
                           "x channel multiplier",
        "channels": chan_truth,
        "roas_d30_order": sorted([c.name for c in CHANNELS if c.paid],
                                 key=lambda c: -chan_truth[c]["expected_roas_d30"]),
        "retention_d30_order": sorted(CHANNEL_NAMES,
                                      key=lambda c: -chan_truth[c]["expected_rolling_retention"]["D30"]),
        "experiments": exp_truth,
        "change_points": cp_truth,
        "funnel": ["session_start", "view_item", "add_to_cart", "purchase"],
        "kpi": {
            "total_revenue": float(round(events["revenue"].sum(), 2)),
            "purchases": int((events["event"] == "purchase").sum()),
        },
    }
    if content_truth is not None:
        truth["content"] = content_truth
    if feedback_truth is not None:
        truth["feedback"] = feedback_truth
    (out / "truth.json").write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    return truth


def _write_events(events: pd.DataFrame, path: Path) -> None:
    ev = events.copy()
    ev["event_at"] = ev["event_at"].astype("datetime64[us]")
    ev.to_parquet(path, index=False, compression="zstd", compression_level=19)


def _with_content_events(events: pd.DataFrame, c_events: pd.DataFrame) -> pd.DataFrame:
    both = pd.concat([events.assign(dwell_seconds=np.nan), c_events], ignore_index=True)
    return both.sort_values(["user_id", "event_at"], kind="stable").reset_index(drop=True)


def _write_content(folder: Path, items: pd.DataFrame, truth_items: pd.DataFrame) -> None:
    items.to_parquet(folder / "content.parquet", index=False, compression="zstd")
    truth_items.to_csv(folder / "truth_content.csv", index=False)


EARLY_CHURN_DAYS = 7
EARLY_CHURN_MULT = 3.0


def survival(hazard: np.ndarray | float, k: np.ndarray | int) -> np.ndarray:
    """P(alive on rolling day k): early churn for the first week, then the base hazard."""
    early = np.minimum(EARLY_CHURN_MULT * np.asarray(hazard), 0.95)
    k = np.asarray(k)
    return (1 - early) ** np.minimum(k, EARLY_CHURN_DAYS) * (1 - np.asarray(hazard)) ** np.maximum(
        k - EARLY_CHURN_DAYS, 0)


def _lifetimes(rng: np.random.Generator, hazard: np.ndarray) -> np.ndarray:
    """Days alive (L): P(L > k) = survival(hazard, k)."""
    early = np.minimum(EARLY_CHURN_MULT * hazard, 0.95)
    first = rng.geometric(early)
    later = EARLY_CHURN_DAYS + rng.geometric(hazard)
    return np.where(first <= EARLY_CHURN_DAYS, first, later)


def _draw_rows(rng: np.random.Generator, probs: np.ndarray, labels: tuple) -> np.ndarray:
    u = rng.random(len(probs))
    idx = (u[:, None] > np.cumsum(probs, axis=1)).sum(axis=1).clip(0, len(labels) - 1)
    return np.array(labels, dtype=object)[idx]


def _active_days(rng: np.random.Generator, last_day: np.ndarray, p_active: np.ndarray):
    """(user, day) pairs: day 0 always, then each alive day with probability p_active."""
    users = np.repeat(np.arange(len(last_day)), last_day)
    starts = np.cumsum(last_day) - last_day
    day = np.arange(len(users)) - np.repeat(starts, last_day)
    keep = (day == 0) | (rng.random(len(users)) < p_active[users])
    return users[keep], day[keep]


def _competitors(rng: np.random.Generator, days: pd.DatetimeIndex):
    products = {
        OUR_PRODUCT: dict(price=129.0, rating=4.4, reviews=120.0, downloads=5200.0, sov=0.30,
                          sentiment=0.35, rank=18.0),
        "Kivo": dict(price=139.0, rating=4.2, reviews=150.0, downloads=6500.0, sov=0.32,
                     sentiment=0.25, rank=14.0),
        "Mercato": dict(price=119.0, rating=4.5, reviews=90.0, downloads=3800.0, sov=0.20,
                        sentiment=0.40, rank=26.0),
        "拼好物": dict(price=99.0, rating=4.0, reviews=200.0, downloads=3000.0, sov=0.18,
                    sentiment=0.15, rank=33.0),
    }
    planted = [
        dict(competitor="Kivo", metric="price", date="2026-06-15", factor=0.85, direction="down",
             kind="price_change", note="Kivo summer promotion: prices cut 15 %"),
        dict(competitor="拼好物", metric="downloads", date="2026-07-20", factor=1.6, direction="up",
             kind="launch", note="拼好物 launches live-shopping (拼好物 Live)"),
        dict(competitor="拼好物", metric="rank", date="2026-07-20", factor=1 / 1.6, direction="down",
             kind=None, note=None),
        dict(competitor="Mercato", metric="rating", date="2026-08-03", delta=-0.4, direction="down",
             kind="release", note="Mercato app 5.0 released; crash reports in reviews"),
        dict(competitor="Mercato", metric="sentiment", date="2026-08-03", delta=-0.3,
             direction="down", kind=None, note=None),
    ]
    nd = len(days)
    t = np.arange(nd)
    weekly = np.array([1.0, 0.95, 0.95, 1.0, 1.05, 1.2, 1.15])[days.day_of_week.to_numpy()]
    rows = []
    buzz = {}
    series = {}
    for prod, b in products.items():
        s = {}
        s["price"] = b["price"] * np.ones(nd) * (1 + 0.01 * rng.standard_normal(nd))
        s["rating"] = b["rating"] + 0.03 * rng.standard_normal(nd)
        s["downloads"] = b["downloads"] * weekly * np.exp(0.06 * rng.standard_normal(nd)) * (
            1 + 0.0005 * t)
        s["reviews"] = rng.poisson(b["reviews"] * weekly).astype(float)
        s["sentiment"] = b["sentiment"] + 0.04 * rng.standard_normal(nd)
        buzz[prod] = b["sov"] * weekly * np.exp(0.08 * rng.standard_normal(nd))
        series[prod] = s
    truth = []
    for p in planted:
        k = (pd.Timestamp(p["date"]) - days[0]).days
        s = series[p["competitor"]]
        if p["metric"] == "rank":
            pass  # derived from downloads below
        elif "factor" in p:
            s[p["metric"]][k:] *= p["factor"]
        else:
            s[p["metric"]][k:] += p["delta"]
        truth.append({"competitor": p["competitor"], "metric": p["metric"], "date": p["date"],
                      "direction": p["direction"],
                      "relative_change": (p["factor"] - 1) if "factor" in p else None,
                      "absolute_change": p.get("delta"), "event_note": p["note"]})
    total_buzz = sum(buzz.values())
    for prod, b in products.items():
        s = series[prod]
        s["share_of_voice"] = buzz[prod] / total_buzz
        # category rank: inversely proportional to downloads (lower is better)
        s["rank"] = np.maximum(1, np.round(b["rank"] * b["downloads"] * weekly / s["downloads"]
                                           * np.exp(0.05 * rng.standard_normal(nd))))
        s["price"] = np.round(s["price"], 2)
        s["rating"] = np.round(np.clip(s["rating"], 1, 5), 2)
        s["downloads"] = np.round(s["downloads"])
        s["sentiment"] = np.round(np.clip(s["sentiment"], -1, 1), 3)
        s["share_of_voice"] = np.round(s["share_of_voice"], 4)
        for metric, vals in s.items():
            for d, v in zip(days, vals):
                rows.append((d.date(), prod, metric, float(v)))
    metrics = pd.DataFrame(rows, columns=["date", "competitor", "metric", "value"])
    metrics = metrics.sort_values(["date", "competitor", "metric"], kind="stable")
    ev = [(p["date"], p["competitor"], p["kind"], p["note"]) for p in planted if p["kind"]]
    ev += [("2026-05-20", OUR_PRODUCT, "campaign", "Lumo 520 gift campaign (newsletter)"),
           ("2026-09-09", "Kivo", "campaign", "Kivo 99 festival teaser")]
    events = pd.DataFrame(sorted(ev), columns=["date", "competitor", "kind", "note"])
    return metrics, events, truth


# --------------------------------------------------------------------------- content (issue 14)
# Content items, creators and content events, drawn from their own random stream
# (``default_rng([seed, 14])``) on top of the sessions above, so every draw of the other tables is
# unchanged. Content events use event names no other report reads and carry no revenue.

CONTENT_CATEGORIES = ("beauty", "fashion", "food", "travel", "tech", "home", "fitness", "parenting")
# share of items published per category (supply) and impressions per item (demand multiplier):
# fitness is the planted under-served category, 4 % of the items but about 4x the attention each
UNDER_SERVED = "fitness"
CATEGORY_SUPPLY = (0.18, 0.16, 0.16, 0.12, 0.12, 0.12, 0.04, 0.10)
CATEGORY_DEMAND = (1.0, 1.0, 1.0, 0.9, 1.0, 0.9, 4.0, 1.0)
CONTENT_FORMATS = ("article", "video", "image", "live")
FORMAT_SHARE = (0.35, 0.30, 0.25, 0.10)
HALF_LIFE_HOURS = {"article": 48.0, "video": 120.0, "image": 24.0, "live": 8.0}
# log-odds shifts per format: (view | impression, complete | view, engagement | view)
FORMAT_EFFECTS = {"article": (0.0, 0.3, 0.0), "video": (0.3, -0.4, 0.3), "image": (0.2, 1.0, -0.2),
                  "live": (-0.2, -1.0, 0.5)}
CREATOR_EFFECT_SD = 0.5      # creator effect on every rate's log-odds
ITEM_EFFECT_SD = 0.6         # item quality around its creator's
CONTENT_EVENTS = {"impression": "content_impression", "view": "content_view",
                  "complete": "content_complete", "like": "content_like",
                  "comment": "content_comment", "share": "content_share",
                  "favourite": "content_favourite", "follow": "creator_follow"}
# base log-odds of each outcome given a view (view: given an impression) and the weight of quality
_RATE_BASE = {"view": (-1.3, 0.5), "complete": (0.0, 0.4), "like": (-2.4, 1.0),
              "comment": (-4.0, 1.0), "share": (-3.6, 1.0), "favourite": (-3.2, 0.8),
              "follow": (-4.6, 0.8)}
_TITLE_WORDS = {
    "beauty": ("护肤", "skin care", "妆容", "lipstick"), "fashion": ("穿搭", "outfits", "秋冬", "sneakers"),
    "food": ("家常菜", "recipes", "探店", "coffee"), "travel": ("周末游", "city walk", "攻略", "islands"),
    "tech": ("开箱", "unboxing", "评测", "phones"), "home": ("收纳", "storage", "改造", "plants"),
    "fitness": ("燃脂", "HIIT", "跑步", "yoga"), "parenting": ("辅食", "toddlers", "早教", "sleep")}


def _expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def content_sample(seed: int, user_ids: np.ndarray, s_user: np.ndarray, s_time_sec: np.ndarray,
                   session_ids: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict]:
    """Items, their content events and the planted truth, on the sessions of the main sample.

    Returns ``(content, events, truth_items, truth)``. Each item gets impressions at ages drawn
    from an exponential decay with its format's half-life (``HALF_LIFE_HOURS``) and a volume set
    by its popularity, its category's demand and its quality; each impression lands in the next
    session of the sample that starts after it (so content events happen only in sessions that
    exist, on their day). A view follows with the item's view rate, then completion, likes,
    comments, shares, favourites and follows with its rates. Every rate's log-odds is a base, a
    format shift, the item's quality (its creator's effect plus its own) and, for views, the
    category's appeal.
    """
    rng = np.random.default_rng([seed, 14])
    n_users = len(user_ids)
    n_creators = max(12, n_users // 50)
    n_items = max(60, n_users // 6)
    # creators: effect, origin, the days they publish on
    c_effect = rng.normal(0.0, CREATOR_EFFECT_SD, n_creators)
    c_pgc = rng.random(n_creators) < 0.2
    c_start = np.where(rng.random(n_creators) < 0.35, 14, rng.integers(14, DAYS - 20, n_creators))
    c_end = np.minimum(c_start + 14 + rng.exponential(70.0, n_creators).astype(int), DAYS)
    c_rate = rng.gamma(2.0, 1.0, n_creators) * np.where(c_pgc, 2.0, 1.0)
    weight = c_rate * (c_end - c_start)
    creator = np.sort(rng.choice(n_creators, size=n_items, p=weight / weight.sum()))
    pub_day = c_start[creator] + (rng.random(n_items) * (c_end - c_start)[creator]).astype(int)
    pub_sec = pub_day * 86400 + rng.integers(6 * 3600, 22 * 3600, n_items) - 8 * 3600  # local day
    pub_sec = np.maximum(pub_sec, 14 * 86400)
    cat = rng.choice(len(CONTENT_CATEGORIES), size=n_items, p=CATEGORY_SUPPLY)
    fmt = rng.choice(len(CONTENT_FORMATS), size=n_items, p=FORMAT_SHARE)
    quality = c_effect[creator] + rng.normal(0.0, ITEM_EFFECT_SD, n_items)
    fx = np.array([FORMAT_EFFECTS[f] for f in CONTENT_FORMATS])[fmt]
    appeal = np.where(np.array(CONTENT_CATEGORIES)[cat] == UNDER_SERVED, 0.3, 0.0)
    p = {}
    for k, (base, w) in _RATE_BASE.items():
        shift = {"view": fx[:, 0] + appeal, "complete": fx[:, 1]}.get(
            k, fx[:, 2] if k in ("like", "comment", "share") else 0.0)
        p[k] = _expit(base + shift + w * quality)
    length = np.select([fmt == 0, fmt == 1, fmt == 3],
                       [np.round(rng.lognormal(6.6, 0.5, n_items)),
                        np.round(rng.lognormal(4.5, 0.7, n_items)),
                        np.round(rng.lognormal(8.0, 0.4, n_items))], np.nan)
    # impressions: popularity x category demand x quality, ages from the format's decay
    popularity = rng.lognormal(0.0, 1.0, n_items) * np.array(CATEGORY_DEMAND)[cat] * np.exp(
        0.3 * quality)
    volume = rng.poisson(popularity / popularity.mean() * 18.0 * n_users / n_items)
    item = np.repeat(np.arange(n_items), volume)
    half = np.array([HALF_LIFE_HOURS[f] for f in CONTENT_FORMATS])[fmt]
    t = pub_sec[item] + rng.exponential(half[item] / np.log(2) * 3600.0)
    order = np.argsort(s_time_sec, kind="stable")
    s_sorted = s_time_sec[order]
    pos = np.searchsorted(s_sorted, t, side="left")
    ok = pos < len(s_sorted)
    item, pos = item[ok], pos[ok]
    sess = order[pos]
    start = s_time_sec[sess]
    day_end = (start // 86400 + 1) * 86400
    at = np.minimum(start + rng.integers(5, 600, len(sess)), day_end - 61)
    at = np.maximum(at, start)
    n_imp = len(item)
    rows = {"item": [item], "sess": [sess], "at": [at],
            "kind": [np.full(n_imp, "impression", dtype=object)], "dwell": [np.full(n_imp, np.nan)]}
    viewed = rng.random(n_imp) < p["view"][item]
    vi, vs, va = item[viewed], sess[viewed], np.minimum(at[viewed] + rng.integers(1, 5, viewed.sum()),
                                                        day_end[viewed] - 1)
    completed = rng.random(len(vi)) < p["complete"][vi]
    full = np.select([fmt[vi] == 0, fmt[vi] == 2], [length[vi] / 4.0, 12.0],
                     np.nan_to_num(length[vi], nan=60.0))
    dwell = np.round(np.where(completed, full * rng.uniform(0.9, 1.0, len(vi)),
                              full * rng.uniform(0.05, 0.6, len(vi))), 1)
    rows["item"].append(vi)
    rows["sess"].append(vs)
    rows["at"].append(va)
    rows["kind"].append(np.full(len(vi), "view", dtype=object))
    rows["dwell"].append(dwell)
    for k in ("complete", "like", "comment", "share", "favourite", "follow"):
        hit = completed if k == "complete" else rng.random(len(vi)) < p[k][vi]
        rows["item"].append(vi[hit])
        rows["sess"].append(vs[hit])
        rows["at"].append(np.minimum(va[hit] + rng.integers(2, 55, hit.sum()),
                                     day_end[viewed][hit] - 1))
        rows["kind"].append(np.full(hit.sum(), k, dtype=object))
        rows["dwell"].append(np.full(hit.sum(), np.nan))
    e_item = np.concatenate(rows["item"])
    e_sess = np.concatenate(rows["sess"])
    content_ids = np.array([f"k{i:05d}" for i in range(1, n_items + 1)], dtype=object)
    creator_ids = np.array([f"cr{i:04d}" for i in range(1, n_creators + 1)], dtype=object)
    events = pd.DataFrame({
        "user_id": user_ids[s_user[e_sess]],
        "event_at": START + pd.to_timedelta(np.concatenate(rows["at"]), unit="s"),
        "event": pd.Series(np.concatenate(rows["kind"])).map(CONTENT_EVENTS).to_numpy(),
        "revenue": 0.0,
        "session_id": session_ids[e_sess],
        "content_id": content_ids[e_item],
        "dwell_seconds": np.concatenate(rows["dwell"]),
    })
    words = [_TITLE_WORDS[CONTENT_CATEGORIES[c]] for c in cat]
    pick = rng.integers(0, 4, n_items)
    titles = [f"{w[k]} #{i + 1}" for i, (w, k) in enumerate(zip(words, pick))]
    content = pd.DataFrame({
        "content_id": content_ids, "title": titles, "creator_id": creator_ids[creator],
        "category": np.array(CONTENT_CATEGORIES, dtype=object)[cat],
        "format": np.array(CONTENT_FORMATS, dtype=object)[fmt],
        "published_at": (START + pd.to_timedelta(pub_sec, unit="s")).astype("datetime64[us]"),
        "origin": np.where(c_pgc[creator], "pgc", "ugc"), "length": length,
    })
    truth_items = pd.DataFrame({
        "content_id": content_ids, "creator_id": creator_ids[creator],
        "creator_effect": np.round(c_effect[creator], 6), "quality": np.round(quality, 6),
        **{f"p_{k}": np.round(v, 6) for k, v in p.items()},
        "engagement_per_view": np.round(p["like"] + p["comment"] + p["share"], 6),
    })
    truth = {
        "items": int(n_items), "creators": int(n_creators),
        "event_names": dict(CONTENT_EVENTS),
        "categories": list(CONTENT_CATEGORIES), "formats": list(CONTENT_FORMATS),
        "category_supply_share": dict(zip(CONTENT_CATEGORIES, CATEGORY_SUPPLY)),
        "category_demand_multiplier": dict(zip(CONTENT_CATEGORIES, CATEGORY_DEMAND)),
        "under_served_category": UNDER_SERVED,
        "half_life_hours": dict(HALF_LIFE_HOURS),
        "format_log_odds_shift": {f: dict(zip(("view", "complete", "engagement"), v))
                                  for f, v in FORMAT_EFFECTS.items()},
        "creator_effect_sd": CREATOR_EFFECT_SD, "item_effect_sd": ITEM_EFFECT_SD,
        "rate_model": "logit p = base + format shift + weight x quality (+0.3 for views of the "
                      "under-served category); quality = creator effect + item effect; "
                      "engagement = like + comment + share per view",
        "items_file": "truth_content.csv",
    }
    return content, events, truth_items, truth
