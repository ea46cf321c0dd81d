"""The KPI diagnostics sample (issue 16): users and events with three planted effects.

Drawn from its own random stream (``numpy.random.default_rng([seed, 16])``), written to its own
folder (``data/sample/diagnostics/``) by :func:`opsnb.data.sample.generate` with
``diagnostics="folder"``, so no other report's numbers change. What is planted is in its
``truth.json``:

* **a steady trend with weekly seasonality**: sign-ups grow linearly; each user is alive for a
  geometric number of days and active on an alive day with a probability that depends on the
  day of the week only (weekends busier), the same in every channel;
* **a rate effect in one two-dimension segment**: from ``drop_date`` on, android users in 华东
  are active on a day with ``drop_factor`` times their usual probability (every other segment
  unchanged);
* **a pure mix shift**: from ``mix_date`` on, 抖音's share of sign-ups grows from ``mix_share_before``
  to ``mix_share_after`` (the other channels shrink in proportion); every channel keeps its own
  paying rate and order value, and 抖音's are the lowest, so ARPU falls by mix alone.

>>> users, events, truth = diagnostics_sample(7, n_days=30, base_signups=10)
>>> truth["drop_segment"], len(users) > 200, set(events["event"]) >= {"session_start"}
({'device': 'android', 'region': '华东'}, True, True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

START = pd.Timestamp("2026-06-01")
DAYS = 143  # 2026-06-01 .. 2026-10-21: October is in progress when the data end
CHANNELS = ("organic", "抖音", "小红书", "微信", "search_ads")
SHARE_BEFORE = (0.30, 0.15, 0.20, 0.20, 0.15)
PAY = {"organic": 0.20, "抖音": 0.05, "小红书": 0.16, "微信": 0.22, "search_ads": 0.25}
AOV = {"organic": 90.0, "抖音": 45.0, "小红书": 80.0, "微信": 110.0, "search_ads": 120.0}
REGIONS, REGION_P = ("华东", "华北", "华南", "西部"), (0.35, 0.25, 0.25, 0.15)
DEVICES, DEVICE_P = ("android", "ios", "web"), (0.45, 0.40, 0.15)
AGE_BANDS, AGE_P = ("18-24", "25-34", "35-44", "45+"), (0.25, 0.40, 0.22, 0.13)
GENDERS, GENDER_P = ("female", "male"), (0.55, 0.45)
P_ACTIVE = 0.32
WEEKLY = (0.92, 0.90, 0.92, 0.95, 1.02, 1.18, 1.16)  # Monday .. Sunday
MEAN_LIFE = 60.0
DROP_DATE = "2026-10-08"
DROP_FACTOR = 0.35
MIX_DATE = "2026-09-01"
MIX_SHARE_AFTER = 0.50


def diagnostics_sample(seed: int = 7, n_days: int = DAYS, base_signups: float = 18.0,
                       growth: float = 0.06) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Users, events and the planted truth (see the module docstring).

    Sign-ups per day are Poisson with mean ``base_signups + growth * day``.
    """
    rng = np.random.default_rng([seed, 16])
    days = pd.date_range(START, periods=n_days, freq="D")
    drop_day = (pd.Timestamp(DROP_DATE) - START).days
    mix_day = (pd.Timestamp(MIX_DATE) - START).days
    n_per_day = rng.poisson(base_signups + growth * np.arange(n_days))
    signup_day = np.repeat(np.arange(n_days), n_per_day)
    n = len(signup_day)
    before = np.array(SHARE_BEFORE)
    after = before * (1 - MIX_SHARE_AFTER) / (1 - before[1])
    after[1] = MIX_SHARE_AFTER
    share = np.where((signup_day >= mix_day)[:, None], after[None, :], before[None, :])
    u = rng.random(n)
    ch_idx = (u[:, None] > np.cumsum(share, axis=1)).sum(axis=1).clip(0, len(CHANNELS) - 1)
    channel = np.array(CHANNELS, dtype=object)[ch_idx]
    region = rng.choice(np.array(REGIONS, dtype=object), n, p=REGION_P)
    device = rng.choice(np.array(DEVICES, dtype=object), n, p=DEVICE_P)
    age = rng.choice(np.array(AGE_BANDS, dtype=object), n, p=AGE_P)
    gender = rng.choice(np.array(GENDERS, dtype=object), n, p=GENDER_P)
    life = rng.geometric(1.0 / MEAN_LIFE, n)
    signup_sec = rng.integers(0, 86400 - 1800, n)
    user_ids = np.array([f"d{i:05d}" for i in range(1, n + 1)], dtype=object)
    users = pd.DataFrame({
        "user_id": user_ids,
        "signup_at": (START + pd.to_timedelta(signup_day * 86400 + signup_sec, unit="s")
                      ).astype("datetime64[us]"),
        "channel": channel, "campaign": "", "region": region, "device": device,
        "age_band": age, "gender": gender})

    # user-days: alive from the sign-up day for `life` days; active with P_ACTIVE * weekly
    dd = np.arange(n_days)
    alive = (dd[None, :] >= signup_day[:, None]) & (dd[None, :] < (signup_day + life)[:, None])
    p = P_ACTIVE * np.array(WEEKLY)[days.day_of_week.to_numpy()][None, :] * np.ones((n, 1))
    hit = ((device == "android") & (region == "华东"))[:, None] & (dd >= drop_day)[None, :]
    p = np.where(hit, p * DROP_FACTOR, p)
    active = alive & (rng.random((n, n_days)) < p)
    active[np.arange(n), signup_day] = True  # the sign-up day is always active
    uu, dday = np.nonzero(active)
    m = len(uu)
    start_sec = np.where(dday == signup_day[uu], signup_sec[uu]
                         + rng.integers(0, 600, m), rng.integers(0, 86400 - 1800, m))
    n_sess = 1 + rng.poisson(0.4, m)
    n_view = rng.poisson(1.6, m)
    pay_p = np.array([PAY[c] for c in CHANNELS])[ch_idx[uu]]
    buys = rng.random(m) < pay_p
    aov = np.array([AOV[c] for c in CHANNELS])[ch_idx[uu]]
    rev = np.round(aov * rng.gamma(16.0, 1 / 16, m), 2)
    rows_user, rows_sec, rows_event, rows_rev = [], [], [], []

    def add(mask_counts, name, offset, revenue=None):
        idx = np.repeat(np.arange(m), mask_counts)
        k = np.concatenate([np.arange(c) for c in mask_counts]) if len(idx) else idx
        rows_user.append(uu[idx])
        rows_sec.append(dday[idx] * 86400 + start_sec[idx] + offset + 37 * k)
        rows_event.append(np.full(len(idx), name, dtype=object))
        rows_rev.append(np.zeros(len(idx)) if revenue is None else revenue[idx])

    add(n_sess, "session_start", 0)
    add(n_view, "view_item", 20)
    add(buys.astype(int), "purchase", 600, rev)
    sec = np.concatenate(rows_sec)
    events = pd.DataFrame({
        "user_id": user_ids[np.concatenate(rows_user)],
        "event_at": (START + pd.to_timedelta(sec, unit="s")).astype("datetime64[us]"),
        "event": np.concatenate(rows_event),
        "revenue": np.concatenate(rows_rev).astype(float)})
    events = events.sort_values(["user_id", "event_at"], kind="stable").reset_index(drop=True)
    truth = {
        "seed": seed, "n_users": int(n), "start": str(START.date()),
        "end": str(days[-1].date()),
        "kpi": "dau",
        "drop_segment": {"device": "android", "region": "华东"},
        "drop_date": DROP_DATE, "drop_factor": DROP_FACTOR, "drop_effect": "rate",
        "mix_dimension": "channel", "mix_value": "抖音", "mix_date": MIX_DATE,
        "mix_share_before": SHARE_BEFORE[1], "mix_share_after": MIX_SHARE_AFTER,
        "mix_kpi": "arpu", "mix_effect": "mix",
        "paying_rate": PAY, "order_value": AOV,
        "p_active": P_ACTIVE, "weekly": list(WEEKLY), "mean_life_days": MEAN_LIFE,
        "signups_per_day": {"base": base_signups, "growth_per_day": growth},
        "mix_windows": {"current": ["2026-09-17", "2026-09-30"],
                        "base": ["2026-08-18", "2026-08-31"]},
        "windows": {"current": [DROP_DATE, str(days[-1].date())],
                    "base": [str((pd.Timestamp(DROP_DATE) - pd.Timedelta(days=14)).date()),
                             str((pd.Timestamp(DROP_DATE) - pd.Timedelta(days=1)).date())]},
    }
    return users, events, truth


def write_diagnostics_sample(folder, seed: int = 7) -> dict:
    """Write users.csv, events.parquet and truth.json of :func:`diagnostics_sample` to
    ``folder``; return the truth."""
    import json
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    users, events, truth = diagnostics_sample(seed)
    users.to_csv(folder / "users.csv", index=False)
    events.to_parquet(folder / "events.parquet", index=False, compression="zstd",
                      compression_level=19)
    (folder / "truth.json").write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    return truth
