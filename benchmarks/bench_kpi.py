"""KPI aggregation (DAU/WAU/MAU, weekly KPIs, totals, funnel): opsnb (Ibis on DuckDB) vs plain pandas.

`python benchmarks/bench_kpi.py [--quick]` — 1M and 10M events (Parquet). Both paths start from
the Parquet files and compute the same numbers; the opsnb path includes opening and validating
the data source. The numbers are checked equal before the times are reported.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit, peak_rss_mb, timed  # noqa: E402
from scaled_data import scaled_dataset  # noqa: E402

STEPS = ("session_start", "view_item", "add_to_cart", "purchase")


def opsnb_kpis(path: Path) -> dict:
    from opsnb import kpi
    from opsnb.data.source import DataSource
    from opsnb.data.window import resolve_window

    src = DataSource.open(path)
    w = resolve_window(src)
    act = kpi.active_users(src, w, mau_days=30).daily
    per = kpi.period_kpis(src, w, "week").table
    tot = kpi.window_totals(src, w)
    fun = kpi.funnel(src, w, STEPS).table
    return {"dau": act["dau"].to_numpy(), "wau": act["wau"].to_numpy(), "mau": act["mau"].to_numpy(),
            "week_revenue": per["revenue"].to_numpy(), "week_active": per["active_users"].to_numpy(),
            "active": tot["active_users"], "funnel": fun["users"].to_numpy()}


def pandas_kpis(path: Path) -> dict:
    """The same numbers in vectorised pandas (no per-row Python)."""
    users = pd.read_parquet(path / "users.parquet")
    ev = pd.read_parquet(path / "events.parquet")
    start = ev["event_at"].min().normalize()
    end = ev["event_at"].max().normalize()
    days_idx = pd.date_range(start, end, freq="D")
    ud = pd.DataFrame({"user_id": ev["user_id"], "day": ev["event_at"].dt.normalize()}).drop_duplicates()
    ud = ud.sort_values(["user_id", "day"])
    nxt = ud.groupby("user_id")["day"].shift(-1)
    dau = ud.groupby("day").size().reindex(days_idx, fill_value=0)
    out = {"dau": dau.to_numpy()}
    for name, n in (("wau", 7), ("mau", 30)):
        cap = ud["day"] + pd.Timedelta(days=n)
        endd = nxt.where(nxt < cap, cap)
        ends = endd.value_counts().reindex(days_idx, fill_value=0).cumsum()
        out[name] = (dau.cumsum() - ends).to_numpy()
    wk = ev["event_at"].dt.to_period("W-SUN").dt.start_time
    g = ev.groupby(wk)
    out["week_revenue"] = g["revenue"].sum().to_numpy()
    out["week_active"] = g["user_id"].nunique().to_numpy()
    out["active"] = ev["user_id"].nunique()
    f = ev[ev["event"].isin(STEPS)]
    t = f[f["event"] == STEPS[0]].groupby("user_id")["event_at"].min().rename("t")
    counts = [len(t)]
    for step in STEPS[1:]:
        e = f.loc[f["event"] == step, ["user_id", "event_at"]]
        j = e.merge(t, left_on="user_id", right_index=True)
        t = j[j["event_at"] >= j["t"]].groupby("user_id")["event_at"].min().rename("t")
        counts.append(len(t))
    out["funnel"] = np.array(counts)
    del users
    return out


def _child(kind: str, path: str) -> None:
    fn = opsnb_kpis if kind == "opsnb" else pandas_kpis
    secs, res = timed(lambda: fn(Path(path)), repeat=2)
    import pickle
    sys.stdout.buffer.write(pickle.dumps((secs, peak_rss_mb(), res)))


def run_child(kind: str, path: Path):
    import pickle
    proc = subprocess.run([sys.executable, __file__, "--child", kind, str(path)],
                          capture_output=True, check=True)
    return pickle.loads(proc.stdout)


def main(quick: bool = False) -> list[dict]:
    sizes = [(200_000, 10_000)] if quick else [(1_000_000, 50_000), (10_000_000, 500_000)]
    rows = []
    for n_events, n_users in sizes:
        path = scaled_dataset(n_events, n_users)
        t_ops, mem_ops, r_ops = run_child("opsnb", path)
        t_pd, mem_pd, r_pd = run_child("pandas", path)
        for k in r_pd:
            np.testing.assert_allclose(np.asarray(r_ops[k]), np.asarray(r_pd[k]), rtol=1e-9, err_msg=k)
        rows.append({"benchmark": "kpi_aggregation", "events": n_events, "users": n_users,
                     "opsnb_s": round(t_ops, 2), "pandas_s": round(t_pd, 2),
                     "speedup_vs_pandas": round(t_pd / t_ops, 2),
                     "opsnb_peak_mb": round(mem_ops), "pandas_peak_mb": round(mem_pd)})
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    else:
        emit(main(quick="--quick" in sys.argv))
