"""Content performance's per-item table over scaled content events: opsnb (Ibis on DuckDB)
against a vectorised pandas implementation of the same table.

Data (cached under benchmarks/.data/): ``n_items`` items from ``n_items // 50`` creators over
180 days and ``n_events`` content events (impressions, views with dwell, completions, likes,
comments, shares, favourites, follows) of ``n_events // 50`` users, each at an exponential age
after its item's publishing time. Full size: 100k items, 50M events; ``--quick``: 2k items,
500k events.

Timed (best of ``--repeat``, each method in this process):

* ``opsnb_cold``: open the directory, validate users, events and content (validation cache off),
  the content checks (unknown ids, publishing order), the window, the per-item query and the
  per-item table (rates, beta-binomial shrinkage per format, Wilson bounds, ranks);
* ``opsnb_table``: the per-item query and table on a source opened and checked once;
* ``pandas``: read the Parquet files, then the same counts with vectorised pandas (group-bys on
  content_id and event) and the same rates, shrinkage and ranks.

Counts are checked equal between the methods before the times are reported.

    .venv/bin/python benchmarks/bench_content.py [--quick] [--repeat N] [--size EVENTS,ITEMS]

``seconds`` is wall time; ``cpu_seconds`` the CPU time of every thread of the process in that
run (DuckDB uses every core, pandas one), which says more than wall time on a shared machine.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import cpu_timed, emit, peak_rss_mb  # noqa: E402

DATA = HERE / ".data"
START = np.datetime64("2026-01-01T00:00:00", "s")
DAYS = 180
KINDS = np.array(["content_impression", "content_view", "content_complete", "content_like",
                  "content_comment", "content_share", "content_favourite", "creator_follow"])
KIND_P = np.array([0.60, 0.20, 0.09, 0.05, 0.015, 0.02, 0.015, 0.01])
FORMATS = np.array(["article", "video", "image", "live"])
HALF_LIFE_H = np.array([48.0, 120.0, 24.0, 8.0])
CATEGORIES = np.array(["beauty", "fashion", "food", "travel", "tech", "home", "fitness",
                       "parenting"])
HALF_LIFE = 24.0


def content_dataset(n_events: int, n_items: int, seed: int = 1) -> Path:
    out = DATA / f"content_{n_events}_{n_items}_{seed}"
    if (out / "events.parquet").exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n_users = max(n_events // 50, 1000)
    uid = pa.array(np.char.add("u", np.arange(n_users).astype(str)))
    pq.write_table(pa.table({
        "user_id": uid, "signup_at": pa.array(np.full(n_users, START).astype("datetime64[us]")),
        "channel": np.array(["organic", "抖音", "微信"])[rng.integers(0, 3, n_users)]}),
        out / "users.parquet")
    pub = START + rng.integers(0, DAYS * 86400, n_items)
    fmt = rng.integers(0, len(FORMATS), n_items)
    cid = pa.array(np.char.add("k", np.arange(n_items).astype(str)))
    pq.write_table(pa.table({
        "content_id": cid, "title": pa.array(np.char.add("item ", np.arange(n_items).astype(str))),
        "creator_id": np.char.add("cr", rng.integers(0, max(n_items // 50, 2), n_items).astype(str)),
        "category": CATEGORIES[rng.integers(0, len(CATEGORIES), n_items)],
        "format": FORMATS[fmt], "published_at": pa.array(pub.astype("datetime64[us]")),
        "length": rng.lognormal(6.0, 0.8, n_items).round()}), out / "content.parquet")
    popularity = rng.lognormal(0.0, 1.0, n_items)
    p_item = popularity / popularity.sum()
    end = START + DAYS * 86400
    writer = None
    chunk = 5_000_000
    for lo in range(0, n_events, chunk):
        m = min(chunk, n_events - lo)
        it = rng.choice(n_items, size=m, p=p_item)
        age = rng.exponential(HALF_LIFE_H[fmt[it]] / math.log(2) * 3600).astype(np.int64)
        at = np.minimum(pub[it] + age, end - 1)
        kind = rng.choice(len(KINDS), size=m, p=KIND_P)
        dwell = np.where(kind == 1, np.round(rng.lognormal(3.5, 1.0, m), 1), np.nan)
        tbl = pa.table({
            "user_id": pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, n_users, m)), uid),
            "event_at": pa.array(at.astype("datetime64[us]")),
            "event": pa.DictionaryArray.from_arrays(pa.array(kind.astype(np.int32)),
                                                    pa.array(KINDS)),
            "revenue": np.zeros(m),
            "content_id": pa.DictionaryArray.from_arrays(pa.array(it), cid),
            "dwell_seconds": dwell})
        if writer is None:
            writer = pq.ParquetWriter(out / "events.parquet", tbl.schema)
        writer.write_table(tbl)
    writer.close()
    return out


# --------------------------------------------------------------------------- opsnb
def opsnb_cold(path: Path):
    from opsnb.content.events import EventNames, open_content
    from opsnb.data.source import DataSource
    from opsnb.data.window import resolve_window

    src = DataSource.open(path)
    src.require("users", "events", "content")
    cd = open_content(src, EventNames())
    window = resolve_window(src)
    return src, cd, window, opsnb_table(cd, window)


def opsnb_table(cd, window) -> pd.DataFrame:
    from opsnb.content.items import item_counts, item_table

    content = cd.content.to_pandas()
    content = content[content["published_at"] < pd.Timestamp(window.end_exclusive)]
    counts = item_counts(cd, window, HALF_LIFE, HALF_LIFE)
    return item_table(content, counts, "format", 20)[0]


# --------------------------------------------------------------------------- pandas
def pandas_table(path: Path) -> pd.DataFrame:
    from opsnb.content.items import item_table

    ev = pd.read_parquet(path / "events.parquet")
    content = pd.read_parquet(path / "content.parquet")
    for c in ("user_id", "event", "content_id"):
        ev[c] = ev[c].astype("category")
    end = ev["event_at"].max().normalize() + pd.Timedelta(days=1)
    ev = ev[ev["content_id"].isin(content["content_id"])]
    counts = pd.crosstab(ev["content_id"], ev["event"]).reindex(columns=KINDS, fill_value=0)
    t = pd.DataFrame({
        "impressions": counts["content_impression"], "views": counts["content_view"],
        "completes": counts["content_complete"],
        "engagements": counts[["content_like", "content_comment", "content_share"]].sum(axis=1),
        "shares": counts["content_share"], "favourites": counts["content_favourite"],
        "follows": counts["creator_follow"]})
    views = ev[ev["event"] == "content_view"]
    t["reach"] = views.groupby("content_id", observed=True)["user_id"].nunique()
    age = (end - views["event_at"]).dt.total_seconds().to_numpy() / 3600.0
    w = pd.Series(np.power(0.5, age / HALF_LIFE), index=views.index)
    t["decay_score"] = w.groupby(views["content_id"], observed=True).sum()
    t["recent_views"] = pd.Series((age <= HALF_LIFE).astype(int), index=views.index).groupby(
        views["content_id"], observed=True).sum()
    pub = views["content_id"].map(content.set_index("content_id")["published_at"]).astype(
        "datetime64[us]")
    a = (views["event_at"] - pub).dt.total_seconds()
    t["views_first_day"] = (a < 86400).groupby(views["content_id"], observed=True).sum()
    t["views_after_week"] = (a >= 7 * 86400).groupby(views["content_id"], observed=True).sum()
    g = views.groupby("content_id", observed=True)["dwell_seconds"]
    t["dwell_total"], t["dwell_n"] = g.sum(), g.count()
    t = t.fillna(0).reset_index(names="content_id")
    t["content_id"] = t["content_id"].astype(str)
    return item_table(content, t, "format", 20)[0]


COMPARE = ("impressions", "views", "reach", "completes", "engagements", "shares", "follows")


def main(quick: bool = False, repeat: int = 1, size: str = "") -> list[dict]:
    n_events, n_items = (500_000, 2_000) if quick else (50_000_000, 100_000)
    if size:  # --size EVENTS,ITEMS
        n_events, n_items = (int(x) for x in size.split(","))
    path = content_dataset(n_events, n_items)
    t_cold, c_cold, (src, cd, window, a) = cpu_timed(lambda: opsnb_cold(path), repeat)
    t_table, c_table, a2 = cpu_timed(lambda: opsnb_table(cd, window), repeat)
    rss_opsnb = peak_rss_mb()
    t_pandas, c_pandas, b = cpu_timed(lambda: pandas_table(path), repeat)
    a = a.set_index("content_id").sort_index()
    b = b.set_index("content_id").sort_index()
    for c in COMPARE:
        assert (a[c].to_numpy() == b[c].to_numpy()).all(), c
    assert np.allclose(a["decay_score"], b["decay_score"], rtol=1e-9)
    assert np.allclose(a["engagement_rate_shrunk"], b["engagement_rate_shrunk"], equal_nan=True)
    assert (a["rank"].fillna(-1).to_numpy() == b["rank"].fillna(-1).to_numpy()).all()
    label = f"{n_items:,} items, {n_events:,} events"
    return [
        {"benchmark": "content", "method": "opsnb_cold", "size": label, "seconds": round(t_cold, 2),
         "cpu_seconds": round(c_cold, 1), "vs_pandas": round(t_cold / t_pandas, 3),
         "peak_rss_mb": round(rss_opsnb)},
        {"benchmark": "content", "method": "opsnb_table", "size": label,
         "seconds": round(t_table, 2), "cpu_seconds": round(c_table, 1),
         "vs_pandas": round(t_table / t_pandas, 3)},
        {"benchmark": "content", "method": "pandas", "size": label, "seconds": round(t_pandas, 2),
         "cpu_seconds": round(c_pandas, 1), "vs_pandas": 1.0, "peak_rss_mb": round(peak_rss_mb())},
    ]


if __name__ == "__main__":
    rep = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    size = sys.argv[sys.argv.index("--size") + 1] if "--size" in sys.argv else ""
    emit(main(quick="--quick" in sys.argv, repeat=rep, size=size))
