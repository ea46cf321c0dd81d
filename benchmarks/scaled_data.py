"""Scaled synthetic event data for benchmarks (cached under benchmarks/.data/).

Not the planted-truth sample (that one is small and slow to make); this is the
same contract at 1M-50M events, made with vectorised numpy in seconds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

DATA = Path(__file__).resolve().parent / ".data"
START = np.datetime64("2026-01-01T00:00:00", "s")
EVENTS = np.array(["session_start", "view_item", "add_to_cart", "purchase", "search",
                   "view_content", "like", "share"])
EVENT_P = np.array([0.22, 0.30, 0.08, 0.04, 0.12, 0.14, 0.07, 0.03])
CHANNELS = np.array(["organic", "referral", "抖音", "小红书", "微信", "search_ads", "app_store_ads"])


def scaled_dataset(n_events: int, n_users: int | None = None, days: int = 180, seed: int = 1) -> Path:
    """Directory with users.parquet and events.parquet (events sorted by time)."""
    n_users = n_users or max(n_events // 20, 1000)
    out = DATA / f"events_{n_events}_{n_users}_{days}_{seed}"
    if (out / "events.parquet").exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    signup_off = rng.integers(0, days * 86400, n_users)
    uid = np.char.add("u", np.arange(n_users).astype(str).astype("U12"))
    users = pa.table({
        "user_id": uid,
        "signup_at": pa.array((START + signup_off).astype("datetime64[us]")),
        "channel": CHANNELS[rng.integers(0, len(CHANNELS), n_users)],
        "campaign": np.full(n_users, ""),
        "region": np.array(["华东", "华北", "华南", "西部"])[rng.integers(0, 4, n_users)],
        "device": np.array(["ios", "android", "web"])[rng.integers(0, 3, n_users)],
        "age_band": np.array(["18-24", "25-34", "35-44", "45+"])[rng.integers(0, 4, n_users)],
        "gender": np.array(["f", "m", ""])[rng.integers(0, 3, n_users)],
    })
    pq.write_table(users, out / "users.parquet")
    # heavy-tailed activity: a few users make most events
    weight = rng.pareto(1.5, n_users) + 0.2
    chunk = 5_000_000
    writer = None
    for lo in range(0, n_events, chunk):
        m = min(chunk, n_events - lo)
        u = rng.choice(n_users, size=m, p=weight / weight.sum())
        remaining = days * 86400 - signup_off[u]
        after = (rng.exponential(0.35, m) * remaining).clip(0, remaining - 1).astype(np.int64)
        t = START + signup_off[u] + after
        ev = EVENTS[rng.choice(len(EVENTS), size=m, p=EVENT_P)]
        rev = np.where(ev == "purchase", np.round(rng.lognormal(4.5, 0.7, m), 2), 0.0)
        tbl = pa.table({"user_id": uid[u], "event_at": pa.array(t.astype("datetime64[us]")),
                        "event": ev, "revenue": rev})
        if writer is None:
            writer = pq.ParquetWriter(out / "events.parquet", tbl.schema)
        writer.write_table(tbl)
    writer.close()
    return out


def load_events_pandas(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_parquet(path / "users.parquet"), pd.read_parquet(path / "events.parquet")
