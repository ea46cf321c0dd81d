"""Adstock and saturation transforms: pure numpy functions, registered by short name.

Every function works on a 1-D series or column-wise on a 2-D array (time on axis 0),
so the mix model can transform a whole block of candidate columns in one call.

* ``geometric`` adstock: ``a_t = x_t + decay * a_{t-1}``; with ``normalize=True`` the
  weights sum to one (``a_t * (1 - decay)``), so a constant spend ``s`` keeps its level ``s``.
* ``hill`` saturation: ``x^s / (x^s + K^s)`` (0 at 0, 1/2 at the half-saturation ``K``).
* ``logistic`` saturation: ``(1 - exp(-lam x)) / (1 + exp(-lam x))`` (0 at 0, towards 1).

Look a transform up with :func:`adstock` / :func:`saturation` by name
(``adstock("geometric")``), so a configuration can say which one to use.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.signal import lfilter

from opsnb.errors import ParameterError


def geometric_adstock(x, decay: float, normalize: bool = False) -> np.ndarray:
    """Geometric carry-over ``a_t = x_t + decay * a_{t-1}`` along axis 0."""
    if not 0.0 <= decay < 1.0:
        raise ParameterError(f"adstock decay={decay!r} must be in [0, 1)")
    x = np.asarray(x, dtype=float)
    out = lfilter([1.0], [1.0, -decay], x, axis=0)
    return out * (1.0 - decay) if normalize else out


def adstock_memory(decay: float, tol: float = 0.01) -> int:
    """Days (periods) until a unit of spend has less than ``tol`` of its effect left."""
    if decay <= 0:
        return 1
    return int(np.ceil(np.log(tol) / np.log(decay)))


def hill(x, half_saturation: float, slope: float = 1.0) -> np.ndarray:
    """Hill saturation ``x^s / (x^s + K^s)``; negative inputs count as 0."""
    if half_saturation <= 0 or slope <= 0:
        raise ParameterError("hill saturation needs half_saturation > 0 and slope > 0")
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    r = np.power(x / half_saturation, slope)
    return r / (1.0 + r)


def hill_derivative(x, half_saturation: float, slope: float = 1.0) -> np.ndarray:
    """d hill / dx, in closed form: ``s r / (x (1 + r)^2)`` with ``r = (x/K)^s``."""
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.power(x / half_saturation, slope)
        d = slope * r / (x * (1.0 + r) ** 2)
    if slope == 1.0:
        d = np.where(x == 0, 1.0 / half_saturation, d)
    else:
        d = np.where(x == 0, np.inf if slope < 1 else 0.0, d)
    return d


def logistic_saturation(x, lam: float) -> np.ndarray:
    """Logistic saturation ``(1 - e^{-lam x}) / (1 + e^{-lam x})`` = ``tanh(lam x / 2)``."""
    if lam <= 0:
        raise ParameterError("logistic saturation needs lam > 0")
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    return np.tanh(lam * x / 2.0)


def logistic_derivative(x, lam: float) -> np.ndarray:
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    return lam / 2.0 / np.cosh(lam * x / 2.0) ** 2


ADSTOCKS: dict[str, Callable] = {"geometric": geometric_adstock}
SATURATIONS: dict[str, Callable] = {"hill": hill, "logistic": logistic_saturation}
SATURATION_DERIVATIVES: dict[str, Callable] = {"hill": hill_derivative,
                                                "logistic": logistic_derivative}


def adstock(name: str) -> Callable:
    """The adstock function registered as ``name``."""
    if name not in ADSTOCKS:
        raise ParameterError(f"adstock={name!r}; choose one of {', '.join(ADSTOCKS)}")
    return ADSTOCKS[name]


def saturation(name: str) -> Callable:
    """The saturation function registered as ``name``."""
    if name not in SATURATIONS:
        raise ParameterError(f"saturation={name!r}; choose one of {', '.join(SATURATIONS)}")
    return SATURATIONS[name]
