"""The same work on Spark (pyspark ``local[2]``) and on DuckDB, with the Spark jobs counted.

Two workloads on the benchmarks' scaled data (10M events from 500k users by default):

* the cohort matrix of bench_retention (weekly cohorts, 13 periods), opened cold each time;
* the whole KPI overview (``kpi_overview``, every section), opened cold each time;
* on Spark, every registered report on the sample data, with its queries and Spark jobs.

For each: seconds (best of ``--repeat``), and on Spark the number of queries opsnb sent and of
Spark jobs they launched (``SparkContext.statusTracker`` over a job group), so that a report
that sent one query per period or per segment would show. The Spark session is started once,
outside the timings (its start-up is reported on its own), with the UI off and
``spark.sql.shuffle.partitions`` = ``--partitions``. Each engine runs in its own process, so the
peak memory is its own (for Spark: the Python driver only; the JVM's heap is capped by
``--driver-memory``).

    .venv/bin/python benchmarks/bench_spark.py [--quick] [--events N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _count_queries():
    """Wrap the Spark backend's execute to count the queries opsnb sends."""
    from opsnb.data import engine

    cls = engine._BACKEND or engine._backend_class()
    engine._BACKEND = cls
    counter = {"n": 0}
    orig = cls.execute

    def execute(self, expr, /, **kw):
        counter["n"] += 1
        return orig(self, expr, **kw)

    cls.execute = execute
    return counter


def cohort_matrix(path: Path, engine: str):
    from opsnb.data.source import DataSource
    from opsnb.data.window import resolve_window
    from opsnb.retention import RetentionSpec, cohort_matrix as matrix

    src = DataSource.open(path, engine=engine)
    win = resolve_window(src)
    spec = RetentionSpec.make(period="week", window="calendar", max_period=12)
    m = matrix(src, win, spec, revenue=False).table
    return m[m["size"] > 0][["cohort", "period", "retained", "size"]].reset_index(drop=True)


def kpi(path: Path, engine: str):
    from opsnb.kpi import kpi_overview

    r = kpi_overview(str(path), engine=engine)
    return r.headline()


WORKLOADS = {"cohort_matrix": cohort_matrix, "kpi_overview": kpi}


def _child(engine: str, path: Path, repeat: int, partitions: int, driver_memory: str) -> None:
    from common import emit, peak_rss_mb

    rows = []
    session = counter = None
    if engine == "spark":
        t0 = time.perf_counter()
        from pyspark.sql import SparkSession

        session = (SparkSession.builder.master("local[2]").appName("opsnb-bench")
                   .config("spark.sql.shuffle.partitions", str(partitions))
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.driver.memory", driver_memory)
                   .getOrCreate())
        session.sparkContext.setLogLevel("ERROR")
        session.range(1).count()  # the JVM is up and has run a job
        rows.append({"engine": "spark", "workload": "session start",
                     "seconds": round(time.perf_counter() - t0, 2)})
        counter = _count_queries()
    for name, fn in WORKLOADS.items():
        best, result, queries, jobs = float("inf"), None, None, None
        for i in range(repeat):
            group = f"opsnb-{name}-{i}"
            if session is not None:
                session.sparkContext.setJobGroup(group, name)
                counter["n"] = 0
            t0 = time.perf_counter()
            result = fn(path, engine)
            best = min(best, time.perf_counter() - t0)
            if session is not None:
                queries = counter["n"]
                jobs = len(session.sparkContext.statusTracker().getJobIdsForGroup(group))
        row = {"engine": engine, "workload": name, "seconds": round(best, 2)}
        print(json.dumps({**row, "queries": queries, "spark_jobs": jobs}), file=sys.stderr,
              flush=True)
        if session is not None:
            row.update(queries=queries, spark_jobs=jobs)
        row["result"] = (result.to_json(orient="split", date_format="iso")
                         if hasattr(result, "to_json") else json.dumps(result, default=str))
        rows.append(row)
    if session is not None:  # every report on the sample data: how many queries and jobs
        from opsnb import registry

        for name in registry.names():
            group = f"opsnb-report-{name}"
            session.sparkContext.setJobGroup(group, name)
            counter["n"] = 0
            t0 = time.perf_counter()
            row = {"engine": "spark", "workload": f"{name} (sample data)"}
            try:
                registry.entry_point(name)(None, engine="spark")
            except Exception as exc:  # noqa: BLE001 - a report that fails is a result too
                row["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
            row.update(seconds=round(time.perf_counter() - t0, 2), queries=counter["n"],
                       spark_jobs=len(session.sparkContext.statusTracker()
                                      .getJobIdsForGroup(group)))
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    rows.append({"engine": engine, "workload": "peak memory",
                 "peak_mb": round(peak_rss_mb())})
    emit(rows)


def _same(a, b, rel: float = 1e-9) -> bool:
    """Equal as the Spark tests define it: counts and text exactly, floats to ``rel``."""
    import math

    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(
            _same(a[k], b[k], rel) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(
            _same(x, y, rel) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return (isinstance(a, (int, float)) and isinstance(b, (int, float))
                and math.isclose(a, b, rel_tol=rel, abs_tol=1e-12))
    return a == b


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="200k events, to check the harness")
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--driver-memory", default="8g")
    ap.add_argument("--child", nargs=2, metavar=("ENGINE", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]), args.repeat, args.partitions,
               args.driver_memory)
        return 0
    from scaled_data import scaled_dataset

    n = 200_000 if args.quick else args.events
    path = scaled_dataset(n)
    out = {}
    for engine in ("duckdb", "spark"):
        cmd = [sys.executable, __file__, "--child", engine, str(path), "--repeat",
               str(1 if args.quick else args.repeat), "--partitions", str(args.partitions),
               "--driver-memory", args.driver_memory]
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              env={**os.environ, "OPSNB_VALIDATION_CACHE": "0"})
        if proc.returncode:
            sys.stderr.write(proc.stderr[-4000:])
            raise SystemExit(f"{engine} failed")
        out[engine] = json.loads(proc.stdout.strip().splitlines()[-1])
    rows = []
    duck = {r["workload"]: r for r in out["duckdb"]}
    for r in out["spark"]:
        d = duck.get(r["workload"])
        if d is not None and "result" in r:
            same = _same(json.loads(d.pop("result")), json.loads(r.pop("result")))
            r["same_result_as_duckdb"] = same
            r["vs_duckdb"] = round(r["seconds"] / d["seconds"], 2)
    for r in out["duckdb"] + out["spark"]:
        r.pop("result", None)
        r["events"] = n
        rows.append(r)
    uptime = os.getloadavg()
    for r in rows:
        r["load_avg_1m"] = round(uptime[0], 1)
    from common import emit

    emit(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
