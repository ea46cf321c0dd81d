"""Channel ROI benchmarks: Markov attribution over 1M journeys, the mix model on 10 channels x 3 years.

`python benchmarks/bench_channels.py [--quick]`. The Markov time is compared with a naive
per-path Python loop (dict counts, the same exact absorbing-chain solve), which is the ratio
the issue asks for.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit, peak_rss_mb, timed  # noqa: E402

from opsnb.channels import attribution as A  # noqa: E402
from opsnb.channels import transforms as tf  # noqa: E402
from opsnb.channels.mmm import MarketingMixModel  # noqa: E402
from opsnb.data.sample import spend_flights  # noqa: E402

CHANNELS = ["抖音", "小红书", "微信", "search_ads", "app_store_ads", "bilibili", "快手", "weibo"]


def journeys(n: int, seed: int = 1) -> A.Journeys:
    rng = np.random.default_rng(seed)
    lengths = 1 + rng.poisson(1.5, n).clip(0, 9)
    jid = np.repeat(np.arange(n), lengths)
    ch = rng.choice(len(CHANNELS), size=len(jid), p=np.linspace(2, 1, len(CHANNELS)) / np.linspace(2, 1, len(CHANNELS)).sum())
    p = 0.15 + 0.05 * np.bincount(jid, ch == 2, minlength=n)
    conv = rng.random(n) < p.clip(0, 0.9)
    return A.Journeys.from_arrays(jid, ch, rng.random(len(jid)) * 10, conv,
                                  np.where(conv, 100.0, 0.0), CHANNELS)


def mmm_data(n_days: int, n_channels: int, seed: int = 2):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2023-01-01", periods=n_days, freq="D")
    y = 5000 + 500 * np.sin(np.arange(n_days) * 2 * np.pi / 365.25)
    X = {}
    for c in range(n_channels):
        lev = spend_flights(rng, n_days, [0.0, 0.3, 0.7, 1.0, 1.5, 2.2])
        x = 3000 * lev * (1 + 0.1 * rng.standard_normal(n_days)).clip(0)
        a = tf.geometric_adstock(x, rng.choice([0.1, 0.3, 0.5]), normalize=True)
        y = y + rng.uniform(200, 800) * tf.hill(a, a.mean(), 1.5)
        X[f"ch{c}"] = x
    y = y + 0.03 * y.mean() * rng.standard_normal(n_days)
    return pd.DataFrame(X, index=idx), pd.Series(y, index=idx)


def main(quick: bool = False) -> list[dict]:
    rows = []
    n = 50_000 if quick else 1_000_000
    j = journeys(n)
    t_fast, chain = timed(lambda: A.markov_chain(j, collapse_repeats=True), repeat=3)
    names = np.array(j.channels, dtype=object)
    paths = [list(names[j.touch_channel[a:b]]) for a, b in zip(j.offsets[:-1], j.offsets[1:])]
    conv = j.converted.tolist()
    t_naive, naive = timed(lambda: A.naive_markov_removal_effects(paths, conv, True), repeat=1)
    for c, e in naive.items():
        assert abs(chain.removal_effects[c] - e) < 1e-9
    rows.append({"benchmark": "channels_markov", "journeys": n, "touches": int(len(j.touch_channel)),
                 "seconds": round(t_fast, 3), "naive_loop_seconds": round(t_naive, 3),
                 "speedup_vs_naive": round(t_naive / t_fast, 1), "peak_rss_mb": round(peak_rss_mb(), 1)})
    t_all, _ = timed(lambda: A.attribute(j), repeat=1)
    rows.append({"benchmark": "channels_all_attribution_models", "journeys": n,
                 "seconds": round(t_all, 3), "peak_rss_mb": round(peak_rss_mb(), 1)})
    days, chans = (365, 4) if quick else (3 * 365, 10)
    X, y = mmm_data(days, chans)
    t_mmm, m = timed(lambda: MarketingMixModel(n_bootstrap=200, seed=0).fit(X, y), repeat=1)
    rows.append({"benchmark": "channels_mmm", "days": days, "channels": chans,
                 "grid_per_channel": len(m.decays) * len(m.half_saturations) * len(m.slopes),
                 "bootstrap": 200, "seconds": round(t_mmm, 3), "r2": round(m.r2_, 3),
                 "holdout_mape": round(m.holdout_mape_, 4), "peak_rss_mb": round(peak_rss_mb(), 1)})
    return rows


if __name__ == "__main__":
    emit(main(quick="--quick" in sys.argv))
