"""A RiskLoc-style generator of simulated root-cause cases, and single-dimension Adtributor.

Each case is a cube of leaves (every combination of the values of ``n_dims`` dimensions) with a
base value per leaf (log-normal); one to three root causes are drawn, each a segment of one or
two dimensions (half of them two); every leaf inside a cause changes by the cause's relative
deviation (-80 % .. -20 % or +20 % .. +80 %, one sign per case), and every leaf gets noise
(normal, ``noise`` relative). A cause must hold at least 2 % of the total, and causes do not
overlap. This follows the semi-synthetic cases of RiskLoc (Kalander 2022) and Squeeze (Li et al.
2019), scaled down to run in seconds.
"""

from __future__ import annotations

from itertools import product

import numpy as np
import pandas as pd

from opsnb.diagnostics.rootcause import js_surprise, overlaps


def simulated_case(rng: np.random.Generator, n_dims: int = 4, n_values=(3, 6),
                   noise: float = 0.05) -> tuple[pd.DataFrame, tuple[str, ...], list[tuple]]:
    dims = tuple(f"d{i}" for i in range(n_dims))
    values = [[f"v{j}" for j in range(int(rng.integers(n_values[0], n_values[1] + 1)))]
              for _ in dims]
    leaves = pd.DataFrame(list(product(*values)), columns=list(dims))
    leaves["base"] = rng.lognormal(3.0, 1.0, len(leaves))
    total = leaves["base"].sum()
    sign = rng.choice([-1.0, 1.0])
    causes: list[tuple] = []
    for _ in range(200):
        if len(causes) >= int(rng.integers(1, 4)):
            break
        depth = int(rng.integers(1, 3))
        ds = sorted(rng.choice(n_dims, depth, replace=False))
        seg = tuple((dims[d], str(rng.choice(values[d]))) for d in ds)
        mask = np.all([leaves[k] == v for k, v in seg], axis=0)
        if leaves.loc[mask, "base"].sum() < 0.02 * total or any(overlaps(seg, c) for c in causes):
            continue
        causes.append(seg)
    leaves["current"] = leaves["base"] * (1 + noise * rng.standard_normal(len(leaves)))
    for seg in causes:
        mask = np.all([leaves[k] == v for k, v in seg], axis=0)
        leaves.loc[mask, "current"] *= 1 + sign * rng.uniform(0.2, 0.8)
    return leaves, dims, causes


def adtributor(leaves: pd.DataFrame, dims, t_eep: float = 0.1, t_ep: float = 0.67) -> list[tuple]:
    """Single-dimension Adtributor (Bhagwan et al. 2014): per dimension, elements by surprise
    with EP above ``t_eep`` until their EP reaches ``t_ep``; the dimension with the highest
    total surprise wins."""
    change = leaves["current"].sum() - leaves["base"].sum()
    best, best_s = [], -1.0
    for d in dims:
        g = leaves.groupby(d)[["base", "current"]].sum()
        ep = (g["current"] - g["base"]) / change
        s = js_surprise(g["base"] / g["base"].sum(), g["current"] / g["current"].sum())
        order = np.argsort(-s, kind="stable")
        chosen, cum, tot = [], 0.0, 0.0
        for i in order:
            if ep.iloc[i] > t_eep:
                chosen.append(((d, str(g.index[i])),))
                cum += ep.iloc[i]
                tot += s[i]
                if cum > t_ep:
                    break
        if cum > t_ep and tot > best_s:
            best, best_s = chosen, tot
    return best


def f1(found: list[tuple], truth: list[tuple]) -> tuple[int, int, int]:
    """True positives, false positives, false negatives (exact segment matches)."""
    f, t = {tuple(sorted(x)) for x in found}, {tuple(sorted(x)) for x in truth}
    return len(f & t), len(f - t), len(t - f)
