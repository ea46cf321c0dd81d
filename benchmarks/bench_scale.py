"""Every report as a whole run on one machine: 100M events from 5M users (DuckDB).

`python benchmarks/bench_scale.py [--quick] [--only kpi_overview cohort_retention ...]`

The data: the benchmarks' scaled events and users (benchmarks/scaled_data.py; 100M events
from 5M users over 180 days, 200k events with --quick) and, made beside them with DuckDB so
that every report has its tables: one experiment with a fifth of the users assigned
(assignments.parquet, experiments.csv), daily spend of the five paid channels (spend.csv)
and the sample data's competitor tables. Each report runs from its Python entry point with
its default parameters (every section) in its own process: ``seconds`` is the wall time of
the report call (imports excluded), ``process_seconds`` the child's whole life,
``peak_gb`` its peak resident memory (ru_maxrss of the child), ``process_cpu_seconds`` the
child's user + system time (all threads; less sensitive to other work than the wall time;
on 2 cores the wall time of an idle machine is at least half of it). The load average of
the machine before and after each run is recorded with it: other work on a shared machine
slows a run down.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

REPORTS = ("kpi_overview", "cohort_retention", "experiment_analysis", "channel_roi",
           "persona_clustering", "competitor_tracking")
PAID = ("抖音", "小红书", "微信", "search_ads", "app_store_ads")


def scale_dir(n_events: int, n_users: int) -> Path:
    """The scaled events and users, with the other contract tables beside them."""
    import duckdb
    from scaled_data import DATA, scaled_dataset

    src = scaled_dataset(n_events, n_users)
    out = DATA / f"scale_{n_events}_{n_users}"
    if (out / "assignments.parquet").exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    for name in ("events.parquet", "users.parquet"):
        if not (out / name).exists():
            (out / name).symlink_to(src / name)
    sample = HERE.parent / "data" / "sample"
    for name in ("competitor_metrics.csv", "competitor_events.csv"):
        shutil.copy(sample / name, out / name)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SELECT setseed(0.5)")
    # one experiment from day 90 to day 117; every fifth user who signed up before it
    con.execute(f"""COPY (SELECT 'exp_scale' AS experiment_id, user_id,
        CASE WHEN random() < 0.5 THEN 'control' ELSE 'treatment' END AS variant,
        TIMESTAMP '2026-04-01' + to_seconds(CAST(floor(random() * 14 * 86400) AS BIGINT))
          AS assigned_at
        FROM read_parquet('{src / "users.parquet"}')
        WHERE signup_at < TIMESTAMP '2026-04-01' AND hash(user_id) % 5 = 0)
        TO '{out / "assignments.parquet"}' (FORMAT parquet)""")
    (out / "experiments.csv").write_text(
        "experiment_id,name,control,start,end,primary_metric,hypothesis,traffic_split\n"
        "exp_scale,Scale test,control,2026-04-01,2026-04-28,purchase_conversion,,"
        "\"control:0.5,treatment:0.5\"\n", encoding="utf-8")
    paid = ", ".join(f"'{c}'" for c in PAID)
    con.execute(f"""COPY (SELECT CAST(d AS DATE) AS date, c AS channel, c || '_main' AS campaign,
        round(2000 + random() * 8000, 2) AS spend
        FROM generate_series(TIMESTAMP '2026-01-01', TIMESTAMP '2026-06-29', INTERVAL 1 DAY) g(d),
             unnest([{paid}]) u(c) ORDER BY 1, 2) TO '{out / "spend.csv"}' (HEADER)""")
    con.close()
    return out


def _child(report: str, path: str) -> None:
    import importlib

    module = {"kpi_overview": "opsnb.kpi.report", "cohort_retention": "opsnb.retention.report",
              "experiment_analysis": "opsnb.experiments.report",
              "channel_roi": "opsnb.channels.report",
              "persona_clustering": "opsnb.personas.pipeline",
              "competitor_tracking": "opsnb.competitors.report"}[report]
    fn = getattr(importlib.import_module(module), report)
    t0 = time.perf_counter()
    r = fn(path)
    secs = time.perf_counter() - t0
    skipped = sorted(getattr(r, "skipped", {}) or {})
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": secs, "skipped": skipped, "peak_gb": ru.ru_maxrss / 1024 ** 2,
                      "cpu_seconds": ru.ru_utime + ru.ru_stime}))


def main(quick: bool = False, only: list[str] | None = None) -> list[dict]:
    n_events, n_users = (200_000, 10_000) if quick else (100_000_000, 5_000_000)
    path = scale_dir(n_events, n_users)
    rows = []
    for report in (only or REPORTS):
        load0 = os.getloadavg()
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--child", report, str(path)],
                              capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
        load1 = os.getloadavg()
        row = {"benchmark": "scale", "report": report, "events": n_events, "users": n_users,
               "load_1min_before_after": f"{load0[0]:.1f}/{load1[0]:.1f}",
               "load_5min_before_after": f"{load0[1]:.1f}/{load1[1]:.1f}"}
        if proc.returncode:
            sys.stderr.write(proc.stderr[-3000:])
            row.update(status="failed", process_seconds=round(wall, 1),
                       error=(proc.stderr.strip().splitlines() or ["?"])[-1][:300])
        else:
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            row.update(seconds=round(r["seconds"], 1), process_seconds=round(wall, 1),
                       process_cpu_seconds=round(r.get("cpu_seconds", float("nan")), 1),
                       peak_gb=round(r["peak_gb"], 2), sections_left_out=",".join(r["skipped"]))
        print(", ".join(f"{k}={v}" for k, v in row.items()), flush=True)
        rows.append(row)
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    else:
        from common import emit
        only = sys.argv[sys.argv.index("--only") + 1:] if "--only" in sys.argv else None
        emit(main("--quick" in sys.argv, only))
