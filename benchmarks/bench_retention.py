"""Cohort retention matrix over scaled events: opsnb (Ibis) against a hand-written DuckDB
query and a vectorised pandas implementation of the same numbers.

The matrix: cohort = ISO week of each user's first event; period k = calendar weeks after
it (k = 0..12); retained = distinct users with any event in week k; size = users per cohort.
Each implementation runs in its own subprocess (so ru_maxrss is its own peak memory),
timed best of 3 in process; the subprocess wall time (interpreter start-up and imports
included) is reported too. The methods run side by side in interleaved rounds (default 3:
sql, opsnb, opsnb pre-validated, pandas, then again), and each figure is the best over the
rounds (peak memory: the highest), so that load from other work on a shared machine hits
every method alike; ``cpu_seconds`` (user + system time of the best in-process run) is
less sensitive to that load than the wall time. The results are checked to be identical.

    .venv/bin/python benchmarks/bench_retention.py [--quick] [--rounds N]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

MAX_K = 12


def run_pandas(path: Path) -> "pd.DataFrame":
    """The same matrix in plain vectorised pandas: integer user codes (pd.factorize), integer
    week numbers, groupby; no per-row Python."""
    import numpy as np
    import pandas as pd

    ev = pd.read_parquet(path / "events.parquet", columns=["user_id", "event_at"])
    codes, _ = pd.factorize(ev["user_id"])
    monday = np.datetime64("1970-01-05", "us")
    week = ((ev["event_at"].to_numpy().astype("datetime64[us]") - monday)
            // np.timedelta64(7, "D")).astype(np.int64)
    d = pd.DataFrame({"u": codes, "w": week})
    first = d.groupby("u", sort=True)["w"].min().to_numpy()  # codes are 0..n-1
    d["cohort"] = first[codes]
    d["k"] = d["w"] - d["cohort"]
    d = d[d["k"] <= MAX_K].drop_duplicates(["u", "k"])  # a user is in one cohort
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


def _cpu() -> float:
    import resource
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _child(method: str, path: Path, out: Path) -> None:
    from common import peak_rss_mb

    if method == "opsnb_prevalidated":
        run_opsnb(path, True)  # validation and the window once, outside the timing
        fn = lambda: run_opsnb(path, True)  # noqa: E731
    elif method == "opsnb_cached":
        # a new DataSource each time, as in a scheduled run, with the validation cache warm
        import tempfile
        os.environ["OPSNB_VALIDATION_CACHE"] = "1"
        os.environ["OPSNB_CACHE_DIR"] = tempfile.mkdtemp(prefix="opsnb-bench-cache-")
        run_opsnb(path, False)  # the first (cold) run fills the cache, outside the timing
        fn = lambda: run_opsnb(path, False)  # noqa: E731
    elif method == "opsnb":
        fn = lambda: run_opsnb(path, False)  # noqa: E731
    else:
        fn = {"pandas": lambda: run_pandas(path), "duckdb_sql": lambda: run_sql(path)}[method]
    best, cpu, res = float("inf"), float("inf"), None
    for _ in range(3):
        c0, t0 = _cpu(), time.perf_counter()
        res = fn()
        best, cpu = min(best, time.perf_counter() - t0), min(cpu, _cpu() - c0)
    res = res.sort_values(["cohort", "k"]).reset_index(drop=True).astype("int64")
    res.to_parquet(out / f"{method}.parquet")
    print(json.dumps({"seconds": best, "cpu_seconds": cpu, "peak_mb": peak_rss_mb()}))


METHODS = ("duckdb_sql", "opsnb", "opsnb_cached", "opsnb_prevalidated", "pandas")


def main(quick: bool, rounds: int = 3) -> list[dict]:
    import os

    import pandas as pd
    from scaled_data import scaled_dataset

    n_events, n_users = (200_000, 10_000) if quick else (10_000_000, 500_000)
    path = scaled_dataset(n_events, n_users)
    best: dict[str, dict] = {}
    frames, loads = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(rounds):
            for method in METHODS:
                loads.append(os.getloadavg()[0])
                t0 = time.perf_counter()
                proc = subprocess.run([sys.executable, __file__, "--child", method, str(path), tmp],
                                      capture_output=True, text=True)
                wall = time.perf_counter() - t0
                if proc.returncode:
                    sys.stderr.write(proc.stderr[-3000:])
                    raise SystemExit(f"{method} failed")
                r = json.loads(proc.stdout.strip().splitlines()[-1])
                frames[method] = pd.read_parquet(Path(tmp) / f"{method}.parquet")
                b = best.setdefault(method, {"seconds": [], "cpu_seconds": [],
                                             "process_seconds": [], "peak_mb": []})
                for key, v in (("seconds", r["seconds"]), ("cpu_seconds", r["cpu_seconds"]),
                               ("process_seconds", wall), ("peak_mb", r["peak_mb"])):
                    b[key].append(v)
        loads.append(os.getloadavg()[0])
    rows = [{"benchmark": "retention_cohort_matrix", "method": m, "events": n_events,
             "users": n_users, "rounds": rounds,
             "seconds": round(min(best[m]["seconds"]), 3),
             "cpu_seconds": round(min(best[m]["cpu_seconds"]), 3),
             "process_seconds": round(min(best[m]["process_seconds"]), 3),
             "peak_mb": round(max(best[m]["peak_mb"]), 1),
             "load_1min": f"{min(loads):.1f}-{max(loads):.1f}"} for m in METHODS]
    ref = frames["duckdb_sql"]
    for name, f in frames.items():
        pd.testing.assert_frame_equal(f[["cohort", "k", "retained", "size"]],
                                      ref[["cohort", "k", "retained", "size"]], check_dtype=False)
    base = {r["method"]: r for r in rows}
    for r in rows:
        r["vs_sql"] = round(r["seconds"] / base["duckdb_sql"]["seconds"], 2)
        r["vs_pandas"] = round(r["seconds"] / base["pandas"]["seconds"], 2)
        r["cpu_vs_sql"] = round(r["cpu_seconds"] / base["duckdb_sql"]["cpu_seconds"], 2)
        r["process_vs_sql"] = round(r["process_seconds"] / base["duckdb_sql"]["process_seconds"], 2)
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        from common import emit
        n = sys.argv.index("--rounds") + 1 if "--rounds" in sys.argv else 0
        out = main("--quick" in sys.argv, int(sys.argv[n]) if n else 3)
        for r in out:
            print(", ".join(f"{k}={v}" for k, v in r.items()))
        emit(out)
