"""Matched participants: bias removed and interval coverage under self-selection.

`python benchmarks/bench_campaign_matching.py [--quick] [--n N]`. For N simulated populations
(200 by default, 20 with --quick) of ``opsnb.campaigns.matching.simulate_self_selection``
(3,000 users, about 20 % join, the more active more often; joining raises the daily activity
probability of the 14 after days by 0.05, and by 0 in the ``null`` scenario) it runs
``match_participants`` with each method (alpha 0.05) and reports per outcome:

* ``naive_bias``: mean of (naive difference - true ATT), the self-selection bias;
* ``matched_bias``: mean of (matched ATT - true ATT);
* ``bias_removed``: 1 - |matched_bias| / |naive_bias|;
* ``coverage``: the share of matched intervals that contain the true ATT (about 0.95 wanted);
* ``naive_coverage``: the same for the naive interval (near 0: the bias);
* ``seconds_per_fit``.
The true ATT is computed from the simulation's probabilities for its participants.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit  # noqa: E402

from opsnb.campaigns.matching import match_participants, simulate_self_selection  # noqa: E402
from opsnb.campaigns.participants import OUTCOMES  # noqa: E402


def study(method: str, effect: float, n: int, users: int = 3000) -> list[dict]:
    rec = {o: {"naive": [], "matched": [], "cover": [], "ncover": []} for o in OUTCOMES}
    seconds = 0.0
    for seed in range(n):
        frame, truth = simulate_self_selection(users, effect=effect, seed=1000 + seed)
        t0 = time.perf_counter()
        r = match_participants(frame, method=method, seed=seed)
        seconds += time.perf_counter() - t0
        for o in OUTCOMES:
            e = r.effects[o]
            rec[o]["naive"].append(e["naive"].value - truth[o])
            rec[o]["matched"].append(e["matched"].value - truth[o])
            rec[o]["cover"].append(e["matched"].contains(truth[o]))
            rec[o]["ncover"].append(e["naive"].contains(truth[o]))
    rows = []
    for o in OUTCOMES:
        nb, mb = float(np.mean(rec[o]["naive"])), float(np.mean(rec[o]["matched"]))
        rows.append({"benchmark": "campaign_matching", "method": method, "effect": effect,
                     "outcome": o, "runs": n, "users": users,
                     "naive_bias": round(nb, 4), "matched_bias": round(mb, 4),
                     "bias_removed": round(1 - abs(mb) / abs(nb), 3),
                     "coverage": round(float(np.mean(rec[o]["cover"])), 3),
                     "naive_coverage": round(float(np.mean(rec[o]["ncover"])), 3),
                     "seconds_per_fit": round(seconds / n, 4)})
    return rows


def main(quick: bool = False, n: int | None = None) -> list[dict]:
    n = n or (20 if quick else 200)
    rows = []
    for method in ("propensity", "cem"):
        for effect in (0.05, 0.0):
            out = study(method, effect, n)
            for r in out:
                print(r, file=sys.stderr, flush=True)
            rows.extend(out)
    return rows


if __name__ == "__main__":
    warnings.simplefilter("error")          # a warning reaching the user would be a bug
    argv = sys.argv[1:]
    count = int(argv[argv.index("--n") + 1]) if "--n" in argv else None
    emit(main(quick="--quick" in argv, n=count))
