"""Competitor tracking at scale: 50 products x 12 metrics x 3 years daily (657k rows).

Times the whole analysis (load + validate through DataSource, panel, STL, change points,
anomalies, position, alerts, SWOT) and, for the ratio, the same detection run naively per
series without the shared preprocessing: per series a pandas filter of the long frame,
its own reindex/interpolation, STL, and ruptures.Pelt with the same cost, penalty, grid
and refinement. The naive run is timed on a subset of series and scaled to all of them.

`python benchmarks/bench_competitors.py [--quick]`
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit, peak_rss_mb, timed  # noqa: E402

DATA = Path(__file__).resolve().parent / ".data"
METRICS = ["price", "rating", "reviews", "downloads", "rank", "share_of_voice", "sentiment",
           "m8", "m9", "m10", "m11", "m12"]
WEEKLY = np.array([1.0, 0.95, 0.95, 1.0, 1.05, 1.2, 1.15])


def make_feed(n_products: int, n_metrics: int, days: int, seed: int = 1) -> Path:
    out = DATA / f"competitors_{n_products}_{n_metrics}_{days}_{seed}"
    if (out / "competitor_metrics.parquet").exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2024-01-01", periods=days)
    w = WEEKLY[dates.day_of_week.to_numpy()]
    frames, events = [], []
    for p in range(n_products):
        name = "Lumo" if p == 0 else f"rival{p:02d}"
        for m in METRICS[:n_metrics]:
            level = rng.uniform(50, 5000)
            v = level * w * np.exp(0.05 * rng.standard_normal(days))
            if rng.random() < 0.1:  # a planted level shift in one series of ten
                k = int(rng.integers(60, days - 60))
                v[k:] *= rng.choice([0.8, 1.25])
                events.append((dates[k].date(), name, "release", f"{name} {m} shift"))
            frames.append(pd.DataFrame({"date": dates.date, "competitor": name, "metric": m,
                                        "value": v}))
    pd.concat(frames, ignore_index=True).to_parquet(out / "competitor_metrics.parquet")
    pd.DataFrame(events, columns=["date", "competitor", "kind", "note"]).to_parquet(
        out / "competitor_events.parquet")
    return out


def naive(long: pd.DataFrame, series: list[tuple[str, str]], penalty: float = 6.0):
    """The same detection per series with no shared preprocessing (ruptures.Pelt)."""
    import ruptures as rpt
    from statsmodels.tsa.seasonal import STL

    from opsnb.competitors.changepoints import (CLIP_SIGMAS, LinearTrendCost, merge_weak,
                                                noise_sigma, refine)
    found = {}
    for comp, metric in series:
        s = long[(long["competitor"] == comp) & (long["metric"] == metric)]
        s = s.set_index(pd.to_datetime(s["date"]))["value"].sort_index()
        s = s.reindex(pd.date_range(s.index.min(), s.index.max())).interpolate()
        y = np.log(s.to_numpy())
        adj = y - STL(y, period=7, seasonal=31, robust=True).fit(outer_iter=2).seasonal
        sigma = noise_sigma(adj)
        med = pd.Series(adj).rolling(7, center=True, min_periods=1).median().to_numpy()
        cost = LinearTrendCost().fit(np.clip(adj, med - CLIP_SIGMAS * sigma, med + CLIP_SIGMAS * sigma))
        pen = penalty * sigma ** 2 * np.log(len(adj))
        b = rpt.Pelt(custom_cost=cost, min_size=14, jump=3).fit(cost.signal).predict(pen=pen)
        found[(comp, metric)] = merge_weak(refine(b, cost, 3, 14), cost, pen, 3, 14)
    return found


def main(quick: bool) -> list[dict]:
    from opsnb.competitors import competitor_tracking
    from opsnb.data.source import DataSource

    n_products, n_metrics, days = (8, 6, 365) if quick else (50, 12, 3 * 365)
    path = make_feed(n_products, n_metrics, days)
    rows = []
    c0 = time.process_time()
    t_full, rep = timed(lambda: competitor_tracking(path, our_product="Lumo"), repeat=1 if not quick else 2)
    cpu_full = (time.process_time() - c0) / (1 if not quick else 2)
    n_series = rep.changes.n_series()
    long = DataSource.open(path).table("competitor_metrics").to_pandas()
    subset = [(c, m) for m, c in list(rep.panel.values.columns)[: (6 if quick else 24)]]
    t0 = time.perf_counter()
    found = naive(long, subset)
    t_naive_sub = time.perf_counter() - t0
    ours = rep.changes.table
    agree = all(
        sorted(ours[(ours["competitor"] == c) & (ours["metric"] == m)]["index"]) == b[:-1]
        for (c, m), b in found.items())
    # the per-series part of the shared pipeline on the same subset, for a like-for-like ratio
    t_naive_all = t_naive_sub * n_series / len(subset)
    rows.append({"benchmark": "competitors", "case": f"{n_products}x{n_metrics}x{days}d",
                 "rows": int(len(long)), "series": n_series, "seconds": round(t_full, 2),
                 "cpu_seconds": round(cpu_full, 2),
                 "naive_seconds_estimated": round(t_naive_all, 1),
                 "naive_subset_series": len(subset), "naive_subset_seconds": round(t_naive_sub, 2),
                 "ratio_naive_over_shared": round(t_naive_all / t_full, 1),
                 "same_breakpoints_on_subset": bool(agree),
                 "changes": int(len(ours)), "anomalies": int(len(rep.anomalies.table)),
                 "peak_rss_mb": round(peak_rss_mb(), 1)})
    return rows


if __name__ == "__main__":
    emit(main("--quick" in sys.argv))
