"""How well control variables remove a confounder's bias from the mix model: a recovery study.

`python benchmarks/bench_mmm_controls.py [--quick]`. For each of 40 seeds (5 with --quick) it
draws the confounded design of ``tests/channels/test_channels_controls.py`` (three channels in
spend flights, two years of daily data; a promotion season on about a third of the days adds
800 to the target and doubles channel a's spend), fits the MarketingMixModel with and without
the season as a control, and compares each channel's ROAS with the planted one.

Printed per setting: the share of seeds in which every channel's ROAS is within 25 % of the
truth, the median of the largest relative error per seed, the median relative error of the
confounded channel a (its bias) and the seconds per fit.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests" / "channels"))
from common import emit  # noqa: E402
from test_channels_controls import confounded  # noqa: E402

from opsnb.channels.mmm import MarketingMixModel  # noqa: E402


def study(seeds, with_controls: bool, **design) -> dict:
    within, worst, bias_a, secs = [], [], [], []
    for seed in seeds:
        X, y, season, roas = confounded(seed=seed, **design)
        t0 = time.perf_counter()
        m = MarketingMixModel(n_bootstrap=1, seed=0).fit(X, y, season if with_controls else None)
        secs.append(time.perf_counter() - t0)
        s = m.channel_summary().set_index("channel")["roas"]
        err = {c: s[c] / r - 1 for c, r in roas.items()}
        within.append(all(abs(e) < 0.25 for e in err.values()))
        worst.append(max(abs(e) for e in err.values()))
        bias_a.append(err["a"])
    return {"seeds": len(within), "all_within_25pct": round(float(np.mean(within)), 3),
            "median_worst_rel_error": round(float(np.median(worst)), 3),
            "median_rel_error_a": round(float(np.median(bias_a)), 3),
            "share_a_overstated_25pct": round(float(np.mean(np.array(bias_a) > 0.25)), 3),
            "s_per_fit": round(float(np.mean(secs)), 3)}


def main(quick: bool = False) -> list[dict]:
    seeds = range(100, 105 if quick else 140)
    rows = []
    for design, kw in [("season +800, a's spend x2", {}),
                       ("no confounder (lift 0, push 0)", {"lift": 0.0, "push": 0.0})]:
        for with_controls in (True, False):
            rows.append({"benchmark": "mmm_controls", "design": design,
                         "controls": with_controls, **study(seeds, with_controls, **kw)})
    return rows


if __name__ == "__main__":
    emit(main(quick="--quick" in sys.argv))
