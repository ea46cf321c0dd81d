"""Synthetic control and DiD calibration:
`python benchmarks/bench_synth_calibration.py [--quick] [--did-interval]` (the last: only the
study of the DiD interval with few treated units).

Simulated panels: units of log-normal sizes sharing weekly seasonality and three AR(1) factors
(phi 0.9) with unit loadings in [0.5, 1.5], plus AR(1) noise (phi 0.3, sd 5 % of the level).
Campaigns of 14 days at the end of the panel.

Measured:
* speed: synthetic control (fit, conformal interval, in-space placebos, 200 placebos in time)
  and DiD with the event study, on 30 units x 730 days (the issue's goal: ITS + SC with 200
  placebos under 30 s);
* synthetic control with no effect (>= 200 campaigns): share of intervals excluding 0 and of
  p-values <= 0.05 (space, time), against 0.05 and its binomial 95 % band;
* synthetic control with a planted +10 % lift: coverage of the cumulative interval, power;
  also with the treated unit outside the donors' hull (the largest factor loadings);
* DiD with no effect: size of the pre-trend test and of the ATT interval (cluster-robust, and
  the randomisation p-values), on panels with
  parallel trends (equal loadings) with 10 treated of 30 units and with 2 treated (few treated
  clusters), and on the factor panels (unit loadings differ: trends are not parallel);
* DiD interval with 1 and 2 treated units of 30 (and 1 of 24), no effect and +10 %: the
  interval the report shows (``interval="auto"``: inversion of the randomisation test) against
  the cluster-robust one on the same panels: share excluding 0, coverage of the true effect
  (the planted lift times the treated units' counterfactual campaign days, over their
  pre-period level x days: what ``relative`` estimates), median width.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit, timed  # noqa: E402

from opsnb.campaigns.did import difference_in_differences  # noqa: E402
from opsnb.campaigns.synth import synthetic_control  # noqa: E402
from opsnb.campaigns.simulate import factor_panel  # noqa: E402

CAMPAIGN_DAYS = 14


def band(n: int, p: float = 0.05) -> str:
    h = 1.96 * math.sqrt(p * (1 - p) / n)
    return f"{max(p - h, 0):.3f}-{p + h:.3f}"


def synth_study(n: int, lift: float, extreme: bool = False, n_units: int = 20,
                n_days: int = 200) -> dict:
    excl = p_space = p_time = covered = 0
    widths = []
    for s in range(n):
        panel, load = factor_panel(n_units, n_days, seed=10_000 + s)
        unit = panel.columns[int(np.argmax(load))] if extreme else panel.columns[s % n_units]
        start = panel.index[-CAMPAIGN_DAYS]
        truth = lift * panel.loc[start:, unit].sum()
        panel.loc[start:, unit] *= 1 + lift
        r = synthetic_control(panel, [unit], start, panel.index[-1], placebo_runs=20, seed=s)
        excl += r.cumulative.excludes_zero
        p_space += r.p_value <= 0.05
        p_time += r.p_value_time <= 0.05
        covered += r.cumulative.contains(truth)
        widths.append(r.relative.upper - r.relative.lower)
    return {"benchmark": "synth_calibration", "study": "synthetic control", "lift": lift,
            "treated": "outside hull" if extreme else "random unit", "runs": n,
            "interval_excludes_0": round(excl / n, 3), "p_space_le_05": round(p_space / n, 3),
            "p_time_le_05": round(p_time / n, 3), "coverage": round(covered / n, 3),
            "band_for_0.05": band(n), "median_width_relative": round(float(np.median(widths)), 4)}


def did_study(n: int, n_treated: int, parallel: bool = True, n_units: int = 30,
              n_days: int = 200) -> dict:
    pre_rej = excl = perm = pre_perm = 0
    for s in range(n):
        panel, _ = factor_panel(n_units, n_days, seed=20_000 + s, parallel=parallel)
        start = panel.index[-CAMPAIGN_DAYS]
        r = difference_in_differences(panel, list(panel.columns[:n_treated]), start,
                                      panel.index[-1], interval="cluster")
        pre_rej += r.pretrend_p <= 0.05
        excl += r.relative.excludes_zero
        perm += r.p_value_placebo <= 0.05
        pre_perm += r.pretrend_p_placebo <= 0.05
    return {"benchmark": "synth_calibration", "study": "DiD, no effect",
            "trends": "parallel" if parallel else "unit factor loadings", "n_units": n_units,
            "n_treated": n_treated, "runs": n, "pretrend_p_le_05": round(pre_rej / n, 3),
            "att_interval_excludes_0": round(excl / n, 3),
            "p_placebo_le_05": round(perm / n, 3), "pretrend_p_placebo_le_05": round(pre_perm / n, 3),
            "band_for_0.05": band(n)}


def did_interval_study(n: int, n_treated: int, lift: float, n_units: int = 30,
                       n_days: int = 200) -> dict:
    excl = excl_cl = cov = cov_cl = 0
    codes: dict[str, int] = {}
    widths, widths_cl = [], []
    for s in range(n):
        panel, _ = factor_panel(n_units, n_days, seed=30_000 + s)
        start = panel.index[-CAMPAIGN_DAYS]
        treated = list(panel.columns[:n_treated])
        pre = panel.loc[:start - pd.Timedelta(days=1), treated].mean().sum()
        truth = lift * panel.loc[start:, treated].to_numpy().sum() / (pre * CAMPAIGN_DAYS)
        panel.loc[start:, treated] *= 1 + lift
        r = difference_in_differences(panel, treated, start, panel.index[-1], seed=s)
        q = stats.t.ppf(0.975, n_units - 1)
        lo, hi = r.coef - q * r.se, r.coef + q * r.se
        codes[r.interval_code] = codes.get(r.interval_code, 0) + 1
        excl += r.relative.excludes_zero
        excl_cl += lo > 0 or hi < 0
        cov += r.relative.contains(truth)
        cov_cl += lo <= truth <= hi
        widths.append(r.relative.upper - r.relative.lower)
        widths_cl.append(hi - lo)
    return {"benchmark": "synth_calibration", "study": "DiD interval, few treated",
            "n_units": n_units, "n_treated": n_treated, "lift": lift, "runs": n,
            "method": r.interval_method, "placebos": r.n_placebos, "codes": codes,
            "excludes_0": round(excl / n, 3), "coverage": round(cov / n, 3),
            "cluster_excludes_0": round(excl_cl / n, 3), "cluster_coverage": round(cov_cl / n, 3),
            "band_for_0.05": band(n), "median_width": round(float(np.nanmedian(widths)), 4),
            "cluster_median_width": round(float(np.median(widths_cl)), 4)}


def did_intervals(n: int) -> list[dict]:
    rows = [did_interval_study(n, k, lift) for k in (1, 2) for lift in (0.0, 0.10)]
    # the report's regional case: one province of about 24
    return rows + [did_interval_study(n, 1, lift, n_units=24) for lift in (0.0, 0.10)]


def speed() -> list[dict]:
    panel, _ = factor_panel(30, 730, seed=1)
    start, end = panel.index[-CAMPAIGN_DAYS], panel.index[-1]
    t_sc, r = timed(lambda: synthetic_control(panel, ["u00"], start, end, placebo_runs=200))
    t_did, _ = timed(lambda: difference_in_differences(panel, ["u00", "u01", "u02"], start, end))
    return [{"benchmark": "synth_calibration", "study": "speed", "units": 30, "days": 730,
             "sc_200_time_placebos_s": round(t_sc, 3), "time_placebos": len(r.placebos_time),
             "space_placebos": len(r.placebos_space) - 1, "did_event_study_s": round(t_did, 4)}]


def main(quick: bool = False) -> list[dict]:
    n = 40 if quick else 300
    rows = speed()
    rows.append(synth_study(n, 0.0))
    rows.append(synth_study(n, 0.10))
    rows.append(synth_study(n // 2, 0.0, extreme=True))
    rows.append(synth_study(n // 2, 0.10, extreme=True))
    rows.append(did_study(n, n_treated=10))
    rows.append(did_study(n, n_treated=2))
    rows.append(did_study(n, n_treated=10, parallel=False))
    rows.extend(did_intervals(n))
    return rows


if __name__ == "__main__":
    if "--did-interval" in sys.argv:
        out = did_intervals(40 if "--quick" in sys.argv else 300)
    else:
        out = main(quick="--quick" in sys.argv)
    for row in out:
        print(", ".join(f"{k}={v}" for k, v in row.items()), file=sys.stderr)
    emit(out)
