"""KPI overview numbers over scaled events: opsnb (Ibis on DuckDB) against a hand-written DuckDB
SQL baseline and a vectorised pandas implementation of the same numbers.

The numbers (everything the KPI overview computes in the engine, window = all the data):
DAU, WAU (7 days) and MAU (30 days) per day; per ISO week active users, paying users,
revenue, ARPU, ARPPU, paying conversion, events and new users, and new users per week and
channel; the window totals (active, paying and new users, revenue, orders); the ordered
funnel session_start -> view_item -> add_to_cart -> purchase.

Methods, each in its own subprocess (ru_maxrss is its own peak memory), timed best of
``--repeat`` in process, in interleaved rounds (sql, opsnb, ..., then again) so that load from
other work on the shared machine hits every method alike:

* ``duckdb_sql``: the hand-written SQL (one query per result, straight from the Parquet files);
* ``opsnb``: the cold path: open the directory, validate (validation cache off), resolve the
  window, compute;
* ``opsnb_cached``: a new DataSource each time with the validation cache warm;
* ``opsnb_prevalidated``: the source opened and validated once, outside the timing;
* ``pandas``: vectorised pandas from the Parquet files.

Every method's numbers are checked equal to the SQL's (counts exactly, money to 1e-9) before
the times are reported; ``vs_sql`` is seconds / the SQL's seconds.

    .venv/bin/python benchmarks/bench_kpi.py [--quick] [--rounds N] [--repeat N]
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

STEPS = ("session_start", "view_item", "add_to_cart", "purchase")
MAU_DAYS = 30
COUNT_KEYS = ("dau", "wau", "mau", "week_active", "week_paying", "week_events", "week_new",
              "new_by_channel", "totals_counts", "funnel")
FLOAT_KEYS = ("week_revenue", "week_arpu", "week_arppu", "week_conversion", "totals_revenue")


# --------------------------------------------------------------------------- opsnb
_SOURCE: dict = {}


def opsnb_kpis(path: Path, prevalidated: bool = False) -> dict:
    from opsnb import kpi
    from opsnb.data.source import DataSource
    from opsnb.data.window import resolve_window

    if prevalidated and path in _SOURCE:
        src, w = _SOURCE[path]
    else:
        src = DataSource.open(path)
        w = resolve_window(src)
        if prevalidated:
            src.require("events", "users")
            _SOURCE[path] = (src, w)
    tot = kpi.window_totals(src, w)
    act = kpi.active_users(src, w, mau_days=MAU_DAYS).daily
    per = kpi.period_kpis(src, w, "week")
    t = per.table
    nbc = per.new_by_channel
    fun = kpi.funnel(src, w, STEPS).table
    return {
        "dau": act["dau"].to_numpy(), "wau": act["wau"].to_numpy(), "mau": act["mau"].to_numpy(),
        "week_active": t["active_users"].to_numpy(), "week_paying": t["paying_users"].to_numpy(),
        "week_events": t["events"].to_numpy(), "week_new": t["new_users"].to_numpy(),
        "week_revenue": t["revenue"].to_numpy(), "week_arpu": t["arpu"].to_numpy(),
        "week_arppu": t["arppu"].to_numpy(), "week_conversion": t["paying_conversion"].to_numpy(),
        "new_by_channel": _by_channel(nbc["period_start"], nbc["channel"], nbc["new_users"]),
        "totals_counts": np.array([tot["active_users"], tot["paying_users"], tot["new_users"],
                                   tot["orders"]]),
        "totals_revenue": np.array([tot["revenue"]]),
        "funnel": fun["users"].to_numpy(),
    }


def _by_channel(period, channel, n) -> np.ndarray:
    """(week, channel, users) rows as one sorted integer array (weeks as epoch days)."""
    f = pd.DataFrame({"p": pd.to_datetime(pd.Series(period)).astype("datetime64[s]")
                      .astype("int64") // 86400, "c": pd.Series(channel).astype(str),
                      "n": pd.Series(n).astype("int64")})
    f = f[f["n"] > 0].sort_values(["p", "c"])
    return np.stack([f["p"].to_numpy(), pd.factorize(f["c"], sort=True)[0], f["n"].to_numpy()])


# --------------------------------------------------------------------------- hand-written SQL
def sql_kpis(path: Path) -> dict:
    """The same numbers as hand-written DuckDB SQL, one query per result, from the Parquet files."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    ev = f"read_parquet('{path / 'events.parquet'}')"
    us = f"read_parquet('{path / 'users.parquet'}')"
    lo, hi = con.sql(f"SELECT CAST(min(event_at) AS DATE), CAST(max(event_at) AS DATE) + 1 "
                     f"FROM {ev}").fetchone()
    win = f"event_at >= TIMESTAMP '{lo}' AND event_at < TIMESTAMP '{hi}'"
    uwin = f"signup_at >= TIMESTAMP '{lo}' AND signup_at < TIMESTAMP '{hi}'"
    out: dict = {}
    # DAU/WAU/MAU: each active user-day covers the days up to the user's next active day (at
    # most N days); the users active in the trailing N days = the intervals covering the day
    act = con.sql(f"""
    WITH d AS (SELECT DISTINCT user_id, CAST(event_at AS DATE) AS day FROM {ev}
               WHERE event_at >= TIMESTAMP '{lo}' - INTERVAL {MAU_DAYS - 1} DAY
                 AND event_at < TIMESTAMP '{hi}'),
    n AS (SELECT day, lead(day) OVER (PARTITION BY user_id ORDER BY day) AS nxt FROM d),
    e AS (SELECT day, least(coalesce(nxt, day + 7), day + 7) AS w_end,
                 least(coalesce(nxt, day + {MAU_DAYS}), day + {MAU_DAYS}) AS m_end FROM n),
    s AS (SELECT day, count(*) AS n FROM e GROUP BY day),
    we AS (SELECT w_end AS day, count(*) AS n FROM e GROUP BY w_end),
    me AS (SELECT m_end AS day, count(*) AS n FROM e GROUP BY m_end),
    cal AS (SELECT CAST(unnest(generate_series(DATE '{lo}' - {MAU_DAYS - 1}, DATE '{hi}' - 1,
                                               INTERVAL 1 DAY)) AS DATE) AS day),
    c AS (SELECT cal.day, coalesce(s.n, 0) AS dau,
                 sum(coalesce(s.n, 0)) OVER (ORDER BY cal.day) AS cs,
                 sum(coalesce(we.n, 0)) OVER (ORDER BY cal.day) AS cw,
                 sum(coalesce(me.n, 0)) OVER (ORDER BY cal.day) AS cm
          FROM cal LEFT JOIN s USING (day) LEFT JOIN we USING (day) LEFT JOIN me USING (day))
    SELECT day, dau, cs - cw AS wau, cs - cm AS mau FROM c WHERE day >= DATE '{lo}' ORDER BY day
    """).df()
    out.update(dau=act["dau"].to_numpy(), wau=act["wau"].to_numpy(), mau=act["mau"].to_numpy())
    wk = con.sql(f"""
    WITH a AS (SELECT date_trunc('week', event_at) AS p, count(DISTINCT user_id) AS active,
                      count(DISTINCT user_id) FILTER (WHERE revenue > 0) AS paying,
                      sum(revenue) AS revenue, count(*) AS events
               FROM {ev} WHERE {win} GROUP BY 1),
    nw AS (SELECT date_trunc('week', signup_at) AS p, count(*) AS new FROM {us} WHERE {uwin}
           GROUP BY 1)
    SELECT p, active, paying, revenue, events, coalesce(new, 0) AS new,
           revenue / nullif(active, 0) AS arpu, revenue / nullif(paying, 0) AS arppu,
           paying / nullif(active, 0) AS conversion
    FROM a LEFT JOIN nw USING (p) ORDER BY p
    """).df()
    out.update(week_active=wk["active"].to_numpy(), week_paying=wk["paying"].to_numpy(),
               week_events=wk["events"].to_numpy(), week_new=wk["new"].to_numpy(),
               week_revenue=wk["revenue"].to_numpy(), week_arpu=wk["arpu"].to_numpy(),
               week_arppu=wk["arppu"].to_numpy(), week_conversion=wk["conversion"].to_numpy())
    nbc = con.sql(f"""SELECT date_trunc('week', signup_at) AS p, channel, count(*) AS n FROM {us}
                      WHERE {uwin} GROUP BY 1, 2""").df()
    out["new_by_channel"] = _by_channel(nbc["p"], nbc["channel"], nbc["n"])
    tot = con.sql(f"""
    SELECT count(DISTINCT user_id) AS active,
           count(DISTINCT user_id) FILTER (WHERE revenue > 0) AS paying,
           (SELECT count(*) FROM {us} WHERE {uwin}) AS new,
           count(*) FILTER (WHERE revenue > 0) AS orders, sum(revenue) AS revenue
    FROM {ev} WHERE {win}""").fetchone()
    out["totals_counts"] = np.array(tot[:4])
    out["totals_revenue"] = np.array([tot[4]])
    s = [f"'{x}'" for x in STEPS]
    first = f"s0 AS (SELECT user_id, min(event_at) AS t FROM f WHERE event = {s[0]} GROUP BY user_id)"
    stages = [first]
    for k in range(1, len(STEPS)):
        stages.append(f"s{k} AS (SELECT p.user_id, min(f.event_at) AS t FROM s{k - 1} p JOIN f "
                      f"ON f.user_id = p.user_id AND f.event = {s[k]} AND f.event_at >= p.t "
                      "GROUP BY p.user_id)")
    counts = ", ".join(f"(SELECT count(*) FROM s{k})" for k in range(len(STEPS)))
    fun = con.sql(f"""
    WITH f AS (SELECT user_id, event, event_at FROM {ev} WHERE {win}
               AND event IN ({', '.join(s)})), {', '.join(stages)}
    SELECT {counts}""").fetchone()
    out["funnel"] = np.array(fun)
    con.close()
    return out


# --------------------------------------------------------------------------- pandas
def pandas_kpis(path: Path) -> dict:
    """The same numbers in vectorised pandas (no per-row Python)."""
    users = pd.read_parquet(path / "users.parquet")
    ev = pd.read_parquet(path / "events.parquet")
    start = ev["event_at"].min().normalize()
    end = ev["event_at"].max().normalize()
    end_x = end + pd.Timedelta(days=1)
    days_idx = pd.date_range(start, end, freq="D")
    ud = pd.DataFrame({"user_id": ev["user_id"], "day": ev["event_at"].dt.normalize()}).drop_duplicates()
    ud = ud.sort_values(["user_id", "day"])
    nxt = ud.groupby("user_id")["day"].shift(-1)
    dau = ud.groupby("day").size().reindex(days_idx, fill_value=0)
    out = {"dau": dau.to_numpy()}
    for name, n in (("wau", 7), ("mau", MAU_DAYS)):
        cap = ud["day"] + pd.Timedelta(days=n)
        endd = nxt.where(nxt < cap, cap)
        ends = endd.value_counts().reindex(days_idx, fill_value=0).cumsum()
        out[name] = (dau.cumsum() - ends).to_numpy()
    wk = ev["event_at"].dt.to_period("W-SUN").dt.start_time
    g = ev.groupby(wk)
    pay = ev["revenue"] > 0
    active = g["user_id"].nunique()
    paying = ev[pay].groupby(wk[pay])["user_id"].nunique().reindex(active.index, fill_value=0)
    revenue = g["revenue"].sum()
    u = users[(users["signup_at"] >= start) & (users["signup_at"] < end_x)]
    uwk = u["signup_at"].dt.to_period("W-SUN").dt.start_time
    new = u.groupby(uwk).size().reindex(active.index, fill_value=0)
    out.update(week_active=active.to_numpy(), week_paying=paying.to_numpy(),
               week_events=g.size().to_numpy(), week_new=new.to_numpy(),
               week_revenue=revenue.to_numpy(), week_arpu=(revenue / active).to_numpy(),
               week_arppu=(revenue / paying.where(paying > 0)).to_numpy(),
               week_conversion=(paying / active).to_numpy())
    nbc = u.groupby([uwk.rename("p"), u["channel"]]).size().rename("n").reset_index()
    out["new_by_channel"] = _by_channel(nbc["p"], nbc["channel"], nbc["n"])
    out["totals_counts"] = np.array([ev["user_id"].nunique(), ev.loc[pay, "user_id"].nunique(),
                                     len(u), int(pay.sum())])
    out["totals_revenue"] = np.array([ev["revenue"].sum()])
    f = ev[ev["event"].isin(STEPS)]
    t = f[f["event"] == STEPS[0]].groupby("user_id")["event_at"].min().rename("t")
    counts = [len(t)]
    for step in STEPS[1:]:
        e = f.loc[f["event"] == step, ["user_id", "event_at"]]
        j = e.merge(t, left_on="user_id", right_index=True)
        t = j[j["event_at"] >= j["t"]].groupby("user_id")["event_at"].min().rename("t")
        counts.append(len(t))
    out["funnel"] = np.array(counts)
    return out


# --------------------------------------------------------------------------- harness
def _cpu() -> float:
    import resource
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _child(method: str, path: Path, out: Path, repeat: int) -> None:
    from common import peak_rss_mb

    if method == "opsnb_prevalidated":
        opsnb_kpis(path, True)  # validation and the window once, outside the timing
        fn = lambda: opsnb_kpis(path, True)
    elif method == "opsnb_cached":
        os.environ["OPSNB_VALIDATION_CACHE"] = "1"
        os.environ["OPSNB_CACHE_DIR"] = tempfile.mkdtemp(prefix="opsnb-bench-cache-")
        opsnb_kpis(path)  # the first (cold) run fills the cache, outside the timing
        fn = lambda: opsnb_kpis(path)
    elif method == "opsnb":
        fn = lambda: opsnb_kpis(path)
    else:
        fn = {"pandas": lambda: pandas_kpis(path), "duckdb_sql": lambda: sql_kpis(path)}[method]
    best, cpu, res = float("inf"), float("inf"), None
    for _ in range(repeat):
        c0, t0 = _cpu(), time.perf_counter()
        res = fn()
        best, cpu = min(best, time.perf_counter() - t0), min(cpu, _cpu() - c0)
    (out / f"{method}.pkl").write_bytes(pickle.dumps(res))
    print(json.dumps({"seconds": best, "cpu_seconds": cpu, "peak_mb": peak_rss_mb()}))


METHODS = ("duckdb_sql", "opsnb", "opsnb_cached", "opsnb_prevalidated", "pandas")


def check_equal(got: dict, ref: dict, method: str) -> None:
    """Counts exactly, money and ratios to a relative 1e-9 (NaN where the SQL has NULL)."""
    for k in COUNT_KEYS:
        a, b = np.asarray(got[k]), np.asarray(ref[k])
        if a.shape != b.shape or not np.array_equal(a.astype("int64"), b.astype("int64")):
            raise AssertionError(f"{method}: {k} differs from the SQL baseline")
    for k in FLOAT_KEYS:
        np.testing.assert_allclose(np.asarray(got[k], dtype=float), np.asarray(ref[k], dtype=float),
                                   rtol=1e-9, err_msg=f"{method}: {k} differs from the SQL baseline")


def main(quick: bool = False, rounds: int = 2, repeat: int = 2,
         methods: tuple[str, ...] = METHODS) -> list[dict]:
    from scaled_data import scaled_dataset

    n_events, n_users = (200_000, 10_000) if quick else (10_000_000, 500_000)
    path = scaled_dataset(n_events, n_users)
    best: dict[str, dict] = {}
    results, loads = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(rounds):
            for method in methods:
                loads.append(os.getloadavg()[0])
                t0 = time.perf_counter()
                proc = subprocess.run([sys.executable, __file__, "--child", method, str(path), tmp,
                                       str(repeat)], capture_output=True, text=True,
                                      check=False)
                wall = time.perf_counter() - t0
                if proc.returncode:
                    sys.stderr.write(proc.stderr[-3000:])
                    raise SystemExit(f"{method} failed")
                r = json.loads(proc.stdout.strip().splitlines()[-1])
                results[method] = pickle.loads((Path(tmp) / f"{method}.pkl").read_bytes())
                b = best.setdefault(method, {"seconds": [], "cpu_seconds": [],
                                             "process_seconds": [], "peak_mb": []})
                for key, v in (("seconds", r["seconds"]), ("cpu_seconds", r["cpu_seconds"]),
                               ("process_seconds", wall), ("peak_mb", r["peak_mb"])):
                    b[key].append(v)
        loads.append(os.getloadavg()[0])
    ref = results["duckdb_sql"]
    for m, res in results.items():
        check_equal(res, ref, m)
    rows = [{"benchmark": "kpi_overview_numbers", "method": m, "events": n_events,
             "users": n_users, "rounds": rounds, "repeat": repeat,
             "seconds": round(min(best[m]["seconds"]), 3),
             "cpu_seconds": round(min(best[m]["cpu_seconds"]), 3),
             "process_seconds": round(min(best[m]["process_seconds"]), 3),
             "peak_mb": round(max(best[m]["peak_mb"]), 1),
             "load_1min": f"{min(loads):.1f}-{max(loads):.1f}"} for m in methods]
    base = {r["method"]: r for r in rows}
    for r in rows:
        r["vs_sql"] = round(r["seconds"] / base["duckdb_sql"]["seconds"], 2)
        r["cpu_vs_sql"] = round(r["cpu_seconds"] / base["duckdb_sql"]["cpu_seconds"], 2)
        r["process_vs_sql"] = round(r["process_seconds"] / base["duckdb_sql"]["process_seconds"], 2)
        if "pandas" in base:
            r["vs_pandas"] = round(r["seconds"] / base["pandas"]["seconds"], 2)
    return rows


def _arg(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5]))
    else:
        from common import emit
        ms = tuple(sys.argv[sys.argv.index("--methods") + 1].split(",")) if "--methods" in sys.argv \
            else METHODS
        out = main("--quick" in sys.argv, _arg("--rounds", 2), _arg("--repeat", 2), ms)
        for r in out:
            print(", ".join(f"{k}={v}" for k, v in r.items()))
        emit(out)
