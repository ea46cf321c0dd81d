"""Calibration of the interrupted time series: false positives, coverage, power, speed.

`python benchmarks/bench_its_calibration.py [--quick] [--n N] [--plug-in]`. For N simulated
series per scenario (200 by default, 20 with --quick) with no campaign effect it fits
``opsnb.campaigns.its.interrupted_time_series`` (alpha 0.05, 500 paths; the level's sd
integrated over its grid, or with --plug-in the maximum-likelihood variances only) and counts:

* ``false_positive``: the share with p < 0.05 (should be about 0.05);
* ``coverage_cum``: the share whose cumulative-effect interval contains 0, the true effect
  (should be about 0.95). The model is fitted on the pre-period only, so planting a lift on the
  campaign days shifts the cumulative interval by exactly the planted amount: the coverage of a
  planted lift equals this figure;
* ``coverage_day``: the share of campaign days whose observed value lies inside the daily band;
* ``power_8pct``: the share whose interval excludes 0 once a +8 % lift is planted on the
  campaign days (the interval shifted by the planted sum);
* ``seconds_per_fit``.

Scenarios (campaign 14 days, KPI about 1000 a day, weekly pattern of +-45):

* ``level_white``: a random-walk level (sd 3/day) plus white noise (sd 15): the model's own form;
  84 pre-period days.
* ``ar_control``: a fixed level, AR(1) noise (phi 0.5, sd 15) and a control that drives y
  (y += 30 * control, the control an AR(1) around 0), the control passed; 84 days.
* ``ar_control_short``: the same with 28 pre-period days.
* ``ar_control_long``: the same with 365 pre-period days.

Then the speed case of the issue: one fit on 2 years of daily data, weekly seasonality and 3
controls, 1000 paths (best of 3).
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit  # noqa: E402

from opsnb.campaigns.its import interrupted_time_series  # noqa: E402
from opsnb.campaigns.simulate import ar1  # noqa: E402

WEEKLY = np.array([0.0, 20, 30, 25, 10, -40, -45])
H = 14




def series(kind: str, pre: int, seed: int):
    rng = np.random.default_rng(seed)
    n = pre + H
    days = pd.date_range("2025-01-06", periods=n, freq="D")
    season = WEEKLY[days.day_of_week]
    if kind == "level_white":
        y = 1000 + np.cumsum(rng.normal(0, 3, n)) + season + rng.normal(0, 15, n)
        return pd.Series(y, index=days), None
    c = ar1(rng, n, 0.7, 1.0)
    y = 1000 + season + 30 * c + ar1(rng, n, 0.5, 15)
    return pd.Series(y, index=days), pd.DataFrame({"control": c}, index=days)


def study(kind: str, pre: int, n: int, n_sims: int = 500, plug_in: bool = False) -> dict:
    fp = cov = power = 0
    day_in = day_all = 0
    t0 = time.perf_counter()
    for seed in range(n):
        y, ctl = series(kind, pre, seed)
        r = interrupted_time_series(y, y.index[pre], y.index[-1], controls=ctl, n_sims=n_sims,
                                    seed=seed, level_uncertainty=not plug_in)
        fp += r.p_value < 0.05
        cov += r.cumulative.contains(0.0)
        camp = r.days[r.days["period"] == "campaign"]
        day_in += int(((camp["observed"] >= camp["lower"]) & (camp["observed"] <= camp["upper"]))
                      .sum())
        day_all += len(camp)
        lift = 0.08 * float(camp["observed"].sum())
        power += (r.cumulative.lower + lift) > 0
    secs = time.perf_counter() - t0
    return {"benchmark": "its_calibration", "scenario": kind, "pre_days": pre, "series": n,
            "level_uncertainty": not plug_in,
            "false_positive": round(fp / n, 3), "coverage_cum": round(cov / n, 3),
            "coverage_day": round(day_in / day_all, 3), "power_8pct": round(power / n, 3),
            "seconds_per_fit": round(secs / n, 3)}


def speed() -> dict:
    rng = np.random.default_rng(7)
    n = 730
    days = pd.date_range("2024-01-01", periods=n, freq="D")
    ctl = pd.DataFrame({f"c{i}": ar1(rng, n, 0.8, 1.0) for i in range(3)}, index=days)
    y = pd.Series(1000 + WEEKLY[days.day_of_week] + ctl @ np.array([30.0, -10, 5])
                  + ar1(rng, n, 0.5, 15), index=days)
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        r = interrupted_time_series(y, days[-28], days[-1], controls=ctl, n_sims=1000)
        best = min(best, time.perf_counter() - t0)
    return {"benchmark": "its_speed", "days": n, "controls": 3, "n_sims": 1000,
            "model": r.model, "seconds": round(best, 3), "converged": r.converged}


def main(quick: bool = False, n: int | None = None, plug_in: bool = False) -> list[dict]:
    n = n or (20 if quick else 200)
    rows = [speed()]
    for kind, pre in (("level_white", 84), ("ar_control", 84), ("ar_control_short", 28),
                      ("ar_control_long", 365)):
        rows.append(study(kind.replace("_short", "").replace("_long", ""), pre, n,
                          plug_in=plug_in))
        rows[-1]["scenario"] = kind
        print(rows[-1], file=sys.stderr, flush=True)
    return rows


if __name__ == "__main__":
    warnings.simplefilter("error")          # a warning reaching the user would be a bug
    argv = sys.argv[1:]
    count = int(argv[argv.index("--n") + 1]) if "--n" in argv else None
    emit(main(quick="--quick" in argv, n=count, plug_in="--plug-in" in argv))
