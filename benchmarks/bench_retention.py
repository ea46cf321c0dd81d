"""Cohort retention matrix over scaled events: opsnb (Ibis) against a hand-written DuckDB
query and a vectorised pandas implementation of the same numbers.

The matrix: cohort = ISO week of each user's first event; period k = calendar weeks after
it (k = 0..12); retained = distinct users with any event in week k; size = users per cohort.
Each implementation runs in its own subprocess (so ru_maxrss is its own peak memory),
timed best of 3 in process; the subprocess wall time (interpreter start-up and imports
included) is reported too. The results of the three are checked to be identical.

    .venv/bin/python benchmarks/bench_retention.py [--quick]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

MAX_K = 12


def run_pandas(path: Path) -> "pd.DataFrame":
    import numpy as np
    import pandas as pd

    ev = pd.read_parquet(path / "events.parquet", columns=["user_id", "event_at"])
    monday = np.datetime64("1970-01-05", "us")
    week = ((ev["event_at"].to_numpy().astype("datetime64[us]") - monday)
            // np.timedelta64(7, "D")).astype(np.int64)
    uid, codes = np.unique(ev["user_id"].to_numpy(), return_inverse=True)
    first = np.full(len(uid), np.iinfo(np.int64).max)
    np.minimum.at(first, codes, week)
    k = week - first[codes]
    keep = k <= MAX_K
    d = pd.DataFrame({"u": codes[keep], "cohort": first[codes[keep]], "k": k[keep]})
    d = d.drop_duplicates()
    ret = d.groupby(["cohort", "k"], as_index=False).size().rename(columns={"size": "retained"})
    size = pd.Series(first).value_counts().rename("size").rename_axis("cohort").reset_index()
    return ret.merge(size, on="cohort")


def run_sql(path: Path) -> "pd.DataFrame":
    import duckdb

    con = duckdb.connect()
    q = f"""
    WITH ev AS (
      SELECT user_id, CAST(floor(epoch(date_trunc('week', event_at)) / 604800) AS BIGINT) AS w
      FROM read_parquet('{path / "events.parquet"}')),
    firsts AS (SELECT user_id, min(w) AS cohort FROM ev GROUP BY user_id),
    sizes AS (SELECT cohort, count(*) AS size FROM firsts GROUP BY cohort)
    SELECT r.cohort, r.k, r.retained, s.size FROM (
      SELECT f.cohort, e.w - f.cohort AS k, count(DISTINCT e.user_id) AS retained
      FROM ev e JOIN firsts f USING (user_id)
      WHERE e.w - f.cohort <= {MAX_K} GROUP BY 1, 2) r JOIN sizes s USING (cohort)
    """
    return con.sql(q).df()


def run_opsnb(path: Path, validate_first: bool) -> "pd.DataFrame":
    from opsnb.data.source import DataSource
    from opsnb.data.window import resolve_window
    from opsnb.retention import RetentionSpec, cohort_matrix
    from opsnb.retention.cohorts import period_index
    from opsnb.retention.spec import Period

    src = _SOURCE.get(path) if validate_first else None
    if src is None:
        src = DataSource.open(path)
        win = resolve_window(src)
        if validate_first:
            _SOURCE[path] = (src, win)
    else:
        src, win = src
    spec = RetentionSpec.make(period="week", window="calendar", max_period=MAX_K)
    m = cohort_matrix(src, win, spec, revenue=False).table
    m = m[m["size"] > 0]
    out = m[m["retained"] > 0][["cohort", "period", "retained", "size"]].rename(
        columns={"period": "k"})
    out["cohort"] = [period_index(c, Period.WEEK) for c in out["cohort"]]
    return out


_SOURCE: dict = {}


def _child(method: str, path: Path, out: Path) -> None:
    from common import peak_rss_mb, timed

    if method == "opsnb_prevalidated":
        run_opsnb(path, True)  # validation and the window once, outside the timing
        fn = lambda: run_opsnb(path, True)  # noqa: E731
    elif method == "opsnb":
        fn = lambda: run_opsnb(path, False)  # noqa: E731
    else:
        fn = {"pandas": lambda: run_pandas(path), "duckdb_sql": lambda: run_sql(path)}[method]
    best, res = timed(fn, repeat=3)
    res = res.sort_values(["cohort", "k"]).reset_index(drop=True).astype("int64")
    res.to_parquet(out / f"{method}.parquet")
    print(json.dumps({"seconds": best, "peak_mb": peak_rss_mb()}))


def main(quick: bool) -> list[dict]:
    import pandas as pd
    from scaled_data import scaled_dataset

    n_events, n_users = (200_000, 10_000) if quick else (10_000_000, 500_000)
    path = scaled_dataset(n_events, n_users)
    rows, frames = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for method in ("duckdb_sql", "opsnb", "opsnb_prevalidated", "pandas"):
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, __file__, "--child", method, str(path), tmp],
                                  capture_output=True, text=True)
            wall = time.perf_counter() - t0
            if proc.returncode:
                sys.stderr.write(proc.stderr[-3000:])
                raise SystemExit(f"{method} failed")
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            frames[method] = pd.read_parquet(Path(tmp) / f"{method}.parquet")
            rows.append({"benchmark": "retention_cohort_matrix", "method": method,
                         "events": n_events, "users": n_users,
                         "seconds": round(r["seconds"], 3), "process_seconds": round(wall, 3),
                         "peak_mb": round(r["peak_mb"], 1)})
    ref = frames["duckdb_sql"]
    for name, f in frames.items():
        pd.testing.assert_frame_equal(f[["cohort", "k", "retained", "size"]],
                                      ref[["cohort", "k", "retained", "size"]], check_dtype=False)
    base = {r["method"]: r for r in rows}
    for r in rows:
        r["vs_sql"] = round(r["seconds"] / base["duckdb_sql"]["seconds"], 2)
        r["vs_pandas"] = round(r["seconds"] / base["pandas"]["seconds"], 2)
        r["process_vs_sql"] = round(r["process_seconds"] / base["duckdb_sql"]["process_seconds"], 2)
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        from common import emit
        out = main("--quick" in sys.argv)
        for r in out:
            print(", ".join(f"{k}={v}" for k, v in r.items()))
        emit(out)
