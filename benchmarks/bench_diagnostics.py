"""KPI diagnostics at scale: 10M events, 6 dimensions, root-cause depth 2 (target: under 30 s).

Data (cached under benchmarks/.data/): ``n_events // 20`` users with six attributes (channel 7,
region 4, device 3, age_band 4, gender 2, campaign 8 values: 5,376 combinations) and
``n_events`` events over 56 days; in the last 14 days android users in 华东 lose half their
active days (the planted cause). Full size: 10M events; ``--quick``: 500k.

Timed (``--repeat`` runs, best; each in this process, validation cache off):

* ``opsnb_cold``: ``kpi_diagnostics`` end to end as a notebook calls it: open the directory,
  validate users and events, the windows, the one cells query per dimension set (grouped by the
  window and all six dimensions at once), every split of 1 + 6 + 15 dimension sets, the search,
  the daily series and the forecast with its 4-origin backtest;
* ``opsnb_cells``: the one cells query alone (finest cells), on a source opened once;
* ``pandas_cells``: the same cells with pandas (read Parquet, per user and window, join the
  attributes, group by window and dimensions), as the baseline; the counts are checked equal.

Printed: seconds (wall), cpu_seconds (every thread of the process), the planted cause's rank.

    .venv/bin/python benchmarks/bench_diagnostics.py [--quick] [--repeat N] [--size EVENTS]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import cpu_timed, emit, peak_rss_mb

DATA = HERE / ".data"
START = np.datetime64("2026-03-02T00:00:00", "s")
DAYS, DROP_DAY = 56, 42
DIMS = {"channel": ["organic", "抖音", "小红书", "微信", "search_ads", "referral", "asa"],
        "region": ["华东", "华北", "华南", "西部"], "device": ["android", "ios", "web"],
        "age_band": ["18-24", "25-34", "35-44", "45+"], "gender": ["female", "male"],
        "campaign": [f"c{i}" for i in range(8)]}


def dataset(n_events: int, seed: int = 1) -> Path:
    out = DATA / f"diagnostics_{n_events}_{seed}"
    if (out / "events.parquet").exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n_users = max(n_events // 20, 1000)
    uid = pa.array(np.char.add("u", np.arange(n_users).astype(str)))
    attrs = {d: rng.integers(0, len(v), n_users) for d, v in DIMS.items()}
    pq.write_table(pa.table({
        "user_id": uid,
        "signup_at": pa.array(np.full(n_users, START - 86400).astype("datetime64[us]")),
        **{d: np.array(v)[attrs[d]] for d, v in DIMS.items()}}), out / "users.parquet")
    hit = (attrs["device"] == 0) & (attrs["region"] == 0)
    kinds = pa.array(["session_start", "view_item", "purchase"])
    writer = None
    for lo in range(0, n_events, 5_000_000):
        m = min(5_000_000, n_events - lo)
        u = rng.integers(0, n_users, m)
        day = rng.integers(0, DAYS, m)
        weekly = np.array([0.9, 0.9, 0.95, 1.0, 1.05, 1.15, 1.1])
        keep = rng.random(m) < weekly[day % 7] / 1.15
        # the planted cause: half of the active days of android users in 华东 vanish
        lose = hit[u] & (day >= DROP_DAY) & (((u * 7919 + day * 104729) % 2) == 0)
        keep &= ~lose
        u, day = u[keep], day[keep]
        k = len(u)
        kind = rng.choice(3, size=k, p=[0.45, 0.5, 0.05]).astype(np.int32)
        at = START + day * 86400 + rng.integers(0, 86400, k)
        tbl = pa.table({
            "user_id": pa.DictionaryArray.from_arrays(pa.array(u), uid),
            "event_at": pa.array(at.astype("datetime64[us]")),
            "event": pa.DictionaryArray.from_arrays(pa.array(kind), kinds),
            "revenue": np.where(kind == 2, np.round(rng.gamma(4, 20, k), 2), 0.0)})
        if writer is None:
            writer = pq.ParquetWriter(out / "events.parquet", tbl.schema)
        writer.write_table(tbl)
    writer.close()
    return out


def opsnb_cold(path: Path):
    from opsnb.diagnostics import kpi_diagnostics

    return kpi_diagnostics(str(path), dimensions=list(DIMS), max_depth=2)


def opsnb_cells(report):
    """The one event-level query: parts per window and segment of all six dimensions."""
    from opsnb.diagnostics.kpis import cells_query

    return cells_query(report.source, report.kpi, report.base, report.current,
                       tuple(DIMS)).to_pandas()


def pandas_cells(path: Path, report) -> pd.DataFrame:
    ev = pd.read_parquet(path / "events.parquet", columns=["user_id", "event_at", "revenue"])
    users = pd.read_parquet(path / "users.parquet")
    b, c = report.base, report.current
    t = ev["event_at"]
    cur = (t >= c.start) & (t < c.end_exclusive)
    ev = ev[cur | ((t >= b.start) & (t < b.end_exclusive))].copy()
    ev["w"] = np.where(cur[ev.index], "current", "base")
    ev["day"] = ev["event_at"].dt.floor("D")
    ev["user_id"] = ev["user_id"].astype(str)
    per = ev.groupby(["w", "user_id"], sort=False).agg(days=("day", "nunique"),
                                                        revenue=("revenue", "sum"),
                                                        maxrev=("revenue", "max")).reset_index()
    per = per.merge(users, on="user_id")
    per["paying"] = per["maxrev"] > 0
    g = per.groupby(["w", *DIMS], sort=True).agg(active=("user_id", "size"),
                                                  user_days=("days", "sum"),
                                                  paying=("paying", "sum"),
                                                  revenue=("revenue", "sum"))
    return g.reset_index()


def main(quick: bool = False, repeat: int = 1, size: str = "") -> list[dict]:
    n_events = 500_000 if quick else 10_000_000
    if size:
        n_events = int(size)
    path = dataset(n_events)
    t_cold, c_cold, report = cpu_timed(lambda: opsnb_cold(path), repeat)
    rss = peak_rss_mb()
    t_cells, c_cells, a = cpu_timed(lambda: opsnb_cells(report), repeat)
    t_pd, c_pd, b = cpu_timed(lambda: pandas_cells(path, report), repeat)
    keys = ["w", *DIMS]
    a = a.sort_values(keys).reset_index(drop=True)
    b = b.sort_values(keys).reset_index(drop=True)
    for col in ("active", "user_days", "paying"):
        assert (a[col].to_numpy() == b[col].to_numpy()).all(), col
    assert np.allclose(a["revenue"], b["revenue"], rtol=1e-9)
    planted = (("region", "华东"), ("device", "android"))
    segs = [tuple(sorted(c["segment"])) for c in report.causes]
    rank = segs.index(tuple(sorted(planted))) + 1 if tuple(sorted(planted)) in segs else None
    label = (f"{n_events:,} events, {len(DIMS)} dimensions, depth 2, "
             f"{len(a) // 2:,} cells per window")
    common = {"benchmark": "diagnostics", "size": label}
    return [
        {**common, "method": "opsnb_cold", "seconds": round(t_cold, 2),
         "cpu_seconds": round(c_cold, 1), "under_30s": t_cold < 30,
         "planted_cause_rank": rank, "peak_rss_mb": round(rss)},
        {**common, "method": "opsnb_cells", "seconds": round(t_cells, 2),
         "cpu_seconds": round(c_cells, 1), "vs_pandas": round(t_cells / t_pd, 3)},
        {**common, "method": "pandas_cells", "seconds": round(t_pd, 2),
         "cpu_seconds": round(c_pd, 1), "vs_pandas": 1.0, "peak_rss_mb": round(peak_rss_mb())},
    ]


if __name__ == "__main__":
    rep = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    size = sys.argv[sys.argv.index("--size") + 1] if "--size" in sys.argv else ""
    emit(main(quick="--quick" in sys.argv, repeat=rep, size=size))
