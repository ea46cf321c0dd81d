"""Campaign impact: the issue's speed goal, and the whole report on the sample.

Goal (issue 17): interrupted time series plus synthetic control, 30 units over two years of
daily data, with 200 placebos, in under 30 s. The panel is simulated (unit levels 3x apart, a
common trend and weekly pattern, unit noise, one treated unit with a +10 % lift over 21 days,
three control variables). Timed: the ITS on the treated unit (1,000 simulated paths, the
level-uncertainty average), the synthetic control with its conformal interval, the 29
in-space placebos and 200 in-time placebos, and difference-in-differences with its
randomisation interval. Also timed: the whole report on ``data/sample/campaigns`` (cold,
validation included) for each of its three campaigns.

    .venv/bin/python benchmarks/bench_campaigns.py [--quick]
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd
from common import cpu_timed, emit, peak_rss_mb

GOAL_S = 30.0


def simulated_panel(n_units: int = 30, n_days: int = 730, seed: int = 0):
    rng = np.random.default_rng(seed)
    days = pd.date_range("2024-01-01", periods=n_days, freq="D")
    t = np.arange(n_days)
    common = 1 + 0.0003 * t + 0.08 * np.sin(2 * np.pi * t / 365.25)
    weekly = 1 + 0.1 * np.isin(days.dayofweek, [5, 6])
    levels = rng.uniform(100, 300, n_units)
    noise = rng.normal(0, 0.03, (n_days, n_units))
    y = levels[None, :] * (common * weekly)[:, None] * (1 + noise)
    start, end = days[-60], days[-40]
    camp = (days >= start) & (days <= end)
    y[camp, 0] *= 1.10
    panel = pd.DataFrame(y, index=days, columns=[f"u{i:02d}" for i in range(n_units)])
    controls = pd.DataFrame({"holiday": (rng.random(n_days) < 0.03).astype(float),
                             "price_index": 100 + np.cumsum(rng.normal(0, 0.1, n_days)),
                             "competitor": rng.normal(0, 1, n_days)}, index=days)
    return panel, controls, start, end


def methods(panel, controls, start, end, placebo_runs: int):
    from opsnb.campaigns.did import difference_in_differences
    from opsnb.campaigns.its import interrupted_time_series
    from opsnb.campaigns.synth import synthetic_control

    its = interrupted_time_series(panel["u00"], start, end, controls=controls)
    sc = synthetic_control(panel, ["u00"], start, end, placebo_runs=placebo_runs)
    did = difference_in_differences(panel, ["u00"], start, end)
    return its, sc, did


def main(quick: bool = False) -> list[dict]:
    warnings.simplefilter("ignore")
    n_units, n_days, runs = (10, 200, 20) if quick else (30, 730, 200)
    panel, controls, start, end = simulated_panel(n_units, n_days)
    methods(panel.iloc[-120:], controls.iloc[-120:], start, end, 2)  # imports, first calls
    wall, cpu, (its, sc, did) = cpu_timed(lambda: methods(panel, controls, start, end, runs))
    truth = 0.10
    rows = [{"benchmark": "campaigns", "case": f"ITS + synthetic control + DiD, {n_units} units x "
             f"{n_days} days, {runs} in-time placebos", "seconds": round(wall, 2),
             "cpu_seconds": round(cpu, 2), "goal_s": GOAL_S,
             "within_goal": bool(wall < GOAL_S),
             "sc_relative": round(sc.relative.value, 4),
             "sc_interval": [round(sc.relative.lower, 4), round(sc.relative.upper, 4)],
             "its_relative": round(its.relative.value, 4),
             "did_relative": round(did.relative.value, 4),
             "planted_relative": truth,
             "placebos_time": len(sc.placebos_time), "placebos_space": len(sc.placebos_space),
             "peak_mb": round(peak_rss_mb())}]
    if not quick:
        from opsnb.campaigns import campaign_impact

        for cid in ("C-ZJ-PUSH", "C-CHECKIN", "C-BRAND-DAY"):
            wall, cpu, r = cpu_timed(lambda cid=cid: campaign_impact(campaign_id=cid))
            rows.append({"benchmark": "campaigns", "case": f"report on the sample, {cid}",
                         "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
                         "method": r.primary, "verdict": r.headline()["verdict"],
                         "peak_mb": round(peak_rss_mb())})
    return rows


if __name__ == "__main__":
    emit(main(quick="--quick" in sys.argv))
