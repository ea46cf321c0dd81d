"""Simulated data for the campaign methods' tests and calibration benchmarks.

>>> panel, loadings = factor_panel(4, 30, seed=0)
>>> panel.shape, len(loadings)
((30, 4), 4)
>>> round(float(ar1(np.random.default_rng(0), 5, 0.5, 1.0)[0]), 4)
0.1452
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def ar1(rng: np.random.Generator, n: int, phi: float, sd: float) -> np.ndarray:
    """A stationary AR(1) series of length ``n`` (coefficient ``phi``, innovation sd ``sd``)."""
    e = rng.normal(0, sd, n)
    out = np.empty(n)
    out[0] = e[0] / np.sqrt(1 - phi ** 2)
    for t in range(1, n):
        out[t] = phi * out[t - 1] + e[t]
    return out


def factor_panel(n_units: int = 20, n_days: int = 200, seed: int = 0, noise: float = 0.05,
                 parallel: bool = False, start: str = "2026-01-01"
                 ) -> tuple[pd.DataFrame, np.ndarray]:
    """Units of different sizes (log-normal) sharing a weekly pattern and three AR(1) factors,
    each with its own AR(1) noise; ``parallel``: equal loadings (parallel relative trends).

    Returns the panel (days x units ``u00``, ``u01``, ...) and each unit's sum of loadings.
    """
    rng = np.random.default_rng(seed)
    days = pd.date_range(start, periods=n_days, freq="D")
    f = np.zeros((n_days, 3))
    e = np.zeros((n_days, n_units))
    for t in range(1, n_days):
        f[t] = 0.9 * f[t - 1] + rng.normal(0, 0.03, 3)
        e[t] = 0.3 * e[t - 1] + rng.normal(0, noise, n_units)
    week = 0.1 * np.sin(2 * np.pi * np.arange(n_days) / 7)
    load = np.ones((n_units, 3)) if parallel else rng.uniform(0.5, 1.5, (n_units, 3))
    index = 1 + week[:, None] + f @ load.T + e
    size = rng.lognormal(5, 1, n_units)
    panel = pd.DataFrame(index * size, index=days, columns=[f"u{i:02d}" for i in range(n_units)])
    return panel, load.sum(axis=1)
