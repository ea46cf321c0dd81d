"""Experiment analysis at scale: `python benchmarks/bench_experiments.py [--quick]`.

Full size: 10M assigned users, ~50M events (made with DuckDB straight to Parquet, cached under
benchmarks/.data/), 3 metrics (proportion and mean with CUPED, one ratio) plus a guardrail,
SRM, sequential monitor and one segment attribute.

Timed:
* the whole analysis from the validated event log (`experiment_analysis`);
* the statistics alone from pre-aggregated per-variant sums (milliseconds);
* tea-tasting (benchmark-only dependency; put it on PYTHONPATH) against opsnb on the same
  per-user pandas table, with the same metrics.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit, peak_rss_mb, timed  # noqa: E402

DATA = Path(__file__).resolve().parent / ".data"
METRICS = [
    {"name": "purchase_conversion", "kind": "proportion", "event": "purchase"},
    {"name": "revenue_per_user", "kind": "mean", "event": "purchase", "value": "revenue"},
    {"name": "orders_per_session", "kind": "ratio", "numerator": "purchase",
     "denominator": "session_start"},
]
GUARDRAILS = [{"name": "sessions_per_user", "kind": "mean", "event": "session_start", "margin": 0.03}]


def make_data(n_users: int, n_events: int, seed: int = 1) -> Path:
    """users, assignments, experiments and events as Parquet/CSV, generated inside DuckDB."""
    import duckdb

    out = DATA / f"experiments_{n_users}_{n_events}_{seed}"
    if (out / "events.parquet").exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"SELECT setseed({seed / 100})")
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"""COPY (SELECT 'u' || i AS user_id, TIMESTAMP '2026-01-01' AS signup_at,
        (['organic','referral','抖音','微信'])[1 + (i % 4)] AS channel, '' AS campaign,
        (['华东','华北','华南','西部'])[1 + (i % 7) % 4] AS region,
        (['ios','android','web'])[1 + (i % 3)] AS device, '25-34' AS age_band, '' AS gender
        FROM range({n_users}) t(i)) TO '{out}/users.parquet' (FORMAT parquet)""")
    # assignments: 50/50, assigned at a random time in the first 14 days of March
    con.execute(f"""COPY (SELECT 'exp_bench' AS experiment_id, 'u' || i AS user_id,
        CASE WHEN random() < 0.5 THEN 'control' ELSE 'treatment' END AS variant,
        TIMESTAMP '2026-03-01' + to_seconds(CAST(floor(random() * 14 * 86400) AS BIGINT)) AS assigned_at
        FROM range({n_users}) t(i)) TO '{out}/assignments.parquet' (FORMAT parquet)""")
    pd.DataFrame([{"experiment_id": "exp_bench", "name": "Benchmark", "control": "control",
                   "start": "2026-03-01", "end": "2026-03-28", "primary_metric": "purchase_conversion",
                   "hypothesis": "", "traffic_split": "control:0.5,treatment:0.5"}]).to_csv(
        out / "experiments.csv", index=False)
    # events: random users, Feb 15 - Mar 28 (so some fall in the CUPED pre-period)
    con.execute(f"""COPY (SELECT 'u' || CAST(floor(random() * {n_users}) AS BIGINT) AS user_id,
        TIMESTAMP '2026-02-15' + to_seconds(CAST(floor(random() * 42 * 86400) AS BIGINT)) AS event_at,
        CASE WHEN r < 0.55 THEN 'session_start' WHEN r < 0.63 THEN 'purchase' ELSE 'view_item' END AS event,
        CASE WHEN r >= 0.55 AND r < 0.63 THEN round(exp(4.5 + 0.7 * (random() + random() + random() - 1.5)), 2)
             ELSE 0.0 END AS revenue
        FROM (SELECT random() AS r FROM range({n_events}))) TO '{out}/events.parquet' (FORMAT parquet)""")
    con.close()
    return out


HAND_SQL = """CREATE OR REPLACE TEMP TABLE per_user AS
SELECT a.user_id, any_value(a.variant) AS variant,
  count(*) FILTER (WHERE e.event = 'purchase' AND e.event_at >= a.assigned_at)::DOUBLE AS post_purchase,
  count(*) FILTER (WHERE e.event = 'purchase' AND e.event_at < a.assigned_at
                   AND e.event_at >= a.assigned_at - INTERVAL 14 DAY)::DOUBLE AS pre_purchase,
  coalesce(sum(e.revenue) FILTER (WHERE e.event = 'purchase' AND e.event_at >= a.assigned_at), 0)
    AS post_revenue,
  coalesce(sum(e.revenue) FILTER (WHERE e.event = 'purchase' AND e.event_at < a.assigned_at
                   AND e.event_at >= a.assigned_at - INTERVAL 14 DAY), 0) AS pre_revenue,
  count(*) FILTER (WHERE e.event = 'session_start' AND e.event_at >= a.assigned_at)::DOUBLE
    AS post_sessions,
  count(*) FILTER (WHERE e.event = 'session_start' AND e.event_at < a.assigned_at
                   AND e.event_at >= a.assigned_at - INTERVAL 14 DAY)::DOUBLE AS pre_sessions,
  min(e.event_at) FILTER (WHERE e.event = 'purchase' AND e.event_at >= a.assigned_at) AS first_purchase
FROM read_parquet('{d}/assignments.parquet') a
LEFT JOIN read_parquet('{d}/events.parquet') e
  ON a.user_id = e.user_id AND e.event IN ('purchase', 'session_start')
  AND e.event_at < TIMESTAMP '2026-03-29' AND e.event_at >= TIMESTAMP '2026-02-15'
WHERE a.experiment_id = 'exp_bench' AND a.assigned_at >= TIMESTAMP '2026-03-01'
  AND a.assigned_at < TIMESTAMP '2026-03-29'
GROUP BY a.user_id"""


def hand_sql_per_user(path: Path) -> tuple[float, float, dict]:
    """The analysis' one pass over the events (the per-user table of every metric, CUPED's
    pre-period and the first purchase) as an analyst would write it in DuckDB SQL, from the raw
    Parquet files: the floor of the experiment analysis' event-level work. Returns seconds, CPU
    seconds and the column sums (to check against opsnb's per-user table)."""
    import duckdb

    con = duckdb.connect()
    c0, t0 = time.process_time(), time.perf_counter()
    con.execute(HAND_SQL.format(d=path))
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    sums = con.sql("SELECT count(*) AS n, sum(post_purchase) AS post_purchase, "
                   "sum(pre_revenue) AS pre_revenue, sum(post_sessions) AS post_sessions "
                   "FROM per_user").df().iloc[0].to_dict()
    con.close()
    return secs, cpu, sums


def per_user_frame(source, metrics, cuped_days=14) -> pd.DataFrame:
    """The per-user table (one row per assigned user) as pandas, for the tea-tasting comparison."""
    from opsnb.experiments.metrics import parse_metrics, user_metrics

    t = user_metrics(source, "exp_bench", pd.Timestamp("2026-03-01"), pd.Timestamp("2026-03-29"),
                     parse_metrics(metrics), cuped_days)
    df = t.to_pandas()
    return pd.DataFrame({
        "variant": df["variant"].to_numpy(),
        "conv": (df["post__purchase__count"] > 0).astype(float),
        "conv_pre": (df["pre__purchase__count"] > 0).astype(float),
        "revenue": df["post__purchase__revenue"], "revenue_pre": df["pre__purchase__revenue"],
        "orders": df["post__purchase__count"], "sessions": df["post__session_start__count"],
    })


def opsnb_on_frame(df: pd.DataFrame) -> dict:
    """opsnb statistics on the same per-user table (moments by numpy, then the tests)."""
    from opsnb.experiments.aggregates import Moments
    from opsnb.experiments.cuped import cuped_effect
    from opsnb.experiments.stats import ratio_effect

    out = {}
    arms = {v: g for v, g in df.groupby("variant")}
    def m(col, x=None):  # noqa: E306
        return {v: Moments.from_values(g[col].to_numpy(), None if x is None else g[x].to_numpy())
                for v, g in arms.items()}
    for col in ("conv", "revenue"):
        mm = m(col, col + "_pre")
        out[col] = cuped_effect(mm["control"], mm["treatment"])
    mm = m("orders", "sessions")
    out["orders_per_session"] = ratio_effect(mm["control"], mm["treatment"])
    return out


def tea_tasting_on_frame(df: pd.DataFrame):
    import tea_tasting as tt

    exp = tt.Experiment(
        conv=tt.Mean("conv", covariate="conv_pre"),
        revenue=tt.Mean("revenue", covariate="revenue_pre"),
        orders_per_session=tt.RatioOfMeans("orders", "sessions"),
        variant="variant",
    )
    return exp.analyze(df, control="control")


class QueryLog:
    """Wall and CPU seconds of every backend query, by the opsnb function that ran it."""

    def __init__(self):
        self.steps: dict[str, list[float]] = {}

    def __enter__(self):
        import inspect
        import os
        import time

        from opsnb.data.engine import duckdb_backend_class

        Backend = duckdb_backend_class()  # opsnb's DuckDB connections (execute overridden)
        self._orig = {n: getattr(Backend, n) for n in ("execute", "create_table")}
        log = self.steps

        def wrap(orig):
            def f(*a, **k):
                w0, c0 = time.perf_counter(), time.process_time()
                try:
                    return orig(*a, **k)
                finally:
                    frames = [fr for fr in inspect.stack(0)[1:] if "/opsnb/" in fr.filename]
                    checks = [fr for fr in frames if fr.function in ("_validate", "_check_keys",
                                                                     "_check_users")]
                    fr = checks[0] if checks else next(
                        (x for x in frames if "/opsnb/data/" not in x.filename), None)
                    where = ("?" if fr is None else f"{os.path.basename(fr.filename)}:{fr.function}")
                    if checks:
                        where = "loader validation (" + where + ")"
                    s = log.setdefault(where, [0.0, 0.0, 0])
                    s[0] += time.perf_counter() - w0
                    s[1] += time.process_time() - c0
                    s[2] += 1
            return f
        for n, orig in self._orig.items():
            setattr(Backend, n, wrap(orig))
        return self

    def __exit__(self, *exc):
        from opsnb.data.engine import duckdb_backend_class
        Backend = duckdb_backend_class()
        for n, orig in self._orig.items():
            setattr(Backend, n, orig)

    def rows(self) -> list[dict]:
        return [{"benchmark": "experiments", "case": f"step: {k}", "queries": n, "seconds": round(w, 2),
                 "cpu_seconds": round(c, 2)} for k, (w, c, n) in self.steps.items()]


def main(quick: bool = False) -> list[dict]:
    from opsnb.data.source import DataSource
    from opsnb.experiments.aggregates import Moments
    from opsnb.experiments.cuped import cuped_effect
    from opsnb.experiments.report import experiment_analysis
    from opsnb.experiments.stats import proportion_effect, ratio_effect

    n_users, n_events = (200_000, 1_000_000) if quick else (10_000_000, 50_000_000)
    path = make_data(n_users, n_events)
    rows = []

    def run():
        return experiment_analysis(str(path), metrics=METRICS, guardrails=GUARDRAILS, cuped_days=14,
                                   segments=["device"])
    load0 = os.getloadavg()[0]
    c0 = time.process_time()
    with QueryLog() as qlog:  # per-step breakdown (the last run's queries when repeated)
        t_all, rep = timed(run, repeat=1 if not quick else 2)
    cpu_all = (time.process_time() - c0) / (1 if not quick else 2)
    e = rep["exp_bench"]
    rows.append({"benchmark": "experiments", "case": "whole analysis from events", "users": n_users,
                 "events": n_events, "seconds": round(t_all, 2), "cpu_seconds": round(cpu_all, 2),
                 "target_s": 20, "verdict": e.verdict.decision, "peak_rss_mb": round(peak_rss_mb()),
                 "load_avg_1min": [round(load0, 2), round(os.getloadavg()[0], 2)]})
    if not quick:
        rows += qlog.rows()
    # the floor: the same event-level pass in hand-written SQL (its numbers checked below)
    t_sql, cpu_sql, sql_sums = hand_sql_per_user(path)
    rows.append({"benchmark": "experiments", "case": "hand-written SQL: the per-user table",
                 "seconds": round(t_sql, 2), "cpu_seconds": round(cpu_sql, 2),
                 "whole_cold_vs_sql_seconds": round(t_all / t_sql, 2),
                 "whole_cold_vs_sql_cpu": round(cpu_all / cpu_sql, 2)})

    # the same analysis repeated over unchanged files, with the validation cache warm
    import tempfile
    os.environ["OPSNB_VALIDATION_CACHE"] = "1"
    os.environ["OPSNB_CACHE_DIR"] = tempfile.mkdtemp(prefix="opsnb-bench-cache-")
    run()  # fills the cache (a cold run), outside the timing
    t_warm, _ = timed(run, repeat=1 if not quick else 2)
    os.environ["OPSNB_VALIDATION_CACHE"] = "0"
    rows.append({"benchmark": "experiments", "case": "whole analysis, validation cached",
                 "users": n_users, "events": n_events, "seconds": round(t_warm, 2),
                 "target_s": 20})

    # statistics from pre-aggregated sums only
    rng = np.random.default_rng(0)
    n = n_users / 2
    c = Moments(n, 0.3 * n, 0.3 * n, 0.1 * n, 0.1 * n, 0.05 * n)
    t = Moments(n, 0.302 * n, 0.302 * n, 0.1 * n, 0.1 * n, 0.05 * n)
    r1 = Moments(n, 0.5 * n, 0.9 * n, 3 * n, 12 * n, 1.8 * n)
    r2 = Moments(n, 0.51 * n, 0.92 * n, 3 * n, 12 * n, 1.85 * n)
    def stats_only():  # noqa: E306
        return (proportion_effect(c, t), cuped_effect(c, t), ratio_effect(r1, r2), rng)
    t_stats, _ = timed(stats_only, repeat=20)
    rows.append({"benchmark": "experiments", "case": "statistics from pre-aggregates (3 tests)",
                 "seconds": round(t_stats, 5), "ms": round(t_stats * 1000, 2)})

    # the same per-user table for opsnb and tea-tasting
    src = DataSource.open(path)
    df = per_user_frame(src, METRICS + GUARDRAILS)
    ours_sums = {"n": len(df), "post_purchase": df["orders"].sum(),
                 "pre_revenue": df["revenue_pre"].sum(), "post_sessions": df["sessions"].sum()}
    for k, v in sql_sums.items():  # the SQL floor computes the same numbers
        assert abs(float(v) - float(ours_sums[k])) <= 1e-9 * max(1.0, abs(float(v))), (k, v, ours_sums[k])
    t_ours, ours = timed(lambda: opsnb_on_frame(df), repeat=3)
    row = {"benchmark": "experiments", "case": "per-user table -> 3 metrics (opsnb)", "users": len(df),
           "seconds": round(t_ours, 3)}
    try:
        import tea_tasting  # noqa: F401
    except ImportError:
        row["tea_tasting"] = "not installed (benchmark-only: put it on PYTHONPATH)"
        rows.append(row)
    else:
        t_tt, tt_res = timed(lambda: tea_tasting_on_frame(df), repeat=3)
        row.update(tea_tasting_seconds=round(t_tt, 3), ratio_tea_tasting_over_opsnb=round(t_tt / t_ours, 2))
        ttf = tt_res.to_pandas() if hasattr(tt_res, "to_pandas") else pd.DataFrame(tt_res)
        ours_rel = ours["orders_per_session"].rel_effect
        tt_rel = float(ttf.loc[ttf["metric"] == "orders_per_session", "rel_effect_size"].iloc[0])
        row["same_ratio_rel_effect"] = bool(abs(ours_rel - tt_rel) < 1e-9)
        rows.append(row)
    rows.append({"benchmark": "experiments", "case": "peak memory", "peak_rss_mb": round(peak_rss_mb())})
    return rows


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    emit(main(ap.parse_args().quick))
