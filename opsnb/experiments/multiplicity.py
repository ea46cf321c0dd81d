"""Multiple comparisons: Holm (family-wise error) and Benjamini–Hochberg (false discovery rate).

The family is every metric × comparison of an experiment (guardrails have their own
one-sided test and are left out). Both give adjusted p-values to compare with alpha;
they equal ``statsmodels.stats.multitest.multipletests(method="holm" / "fdr_bh")``.
"""

from __future__ import annotations

import numpy as np

from opsnb.errors import ParameterError

CORRECTIONS = ("holm", "bh", "none")
NAMES = {"holm": "Holm (family-wise error rate)", "bh": "Benjamini-Hochberg (false discovery rate)",
         "none": "no correction"}


def holm(p) -> np.ndarray:
    """Holm step-down adjusted p-values."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p)
    adj = np.maximum.accumulate((m - np.arange(m)) * p[order]).clip(max=1.0)
    out = np.empty(m)
    out[order] = adj
    return out


def bh(p) -> np.ndarray:
    """Benjamini–Hochberg step-up adjusted p-values."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p)[::-1]
    adj = np.minimum.accumulate(p[order] * m / np.arange(m, 0, -1)).clip(max=1.0)
    out = np.empty(m)
    out[order] = adj
    return out


def adjust(p, method: str = "holm") -> np.ndarray:
    if method not in CORRECTIONS:
        raise ParameterError(f"correction={method!r}; use one of {', '.join(CORRECTIONS)}")
    p = np.asarray(p, dtype=float)
    if len(p) == 0:
        return p
    return {"holm": holm, "bh": bh, "none": lambda x: x.copy()}[method](p)
