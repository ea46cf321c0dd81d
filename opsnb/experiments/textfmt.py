"""How the experiment report writes p-values and probabilities.

* :func:`p_value` — ``<0.001`` below 0.001, three decimals below 0.1, two decimals above
  (0.00004 -> ``<0.001``, 0.028 -> ``0.028``, 1.0 -> ``1.00``); never ``0.00`` or a bare ``1``.
* :func:`probability` — a percentage that does not overstate certainty by rounding:
  0.99996 -> ``>99.9%`` rather than ``100.0%``, 0.00004 -> ``<0.1%``.
"""

from __future__ import annotations

import math


def _missing(x) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def p_value(p) -> str:
    """A p-value for tables and text: '<0.001', '0.028', '0.27', '1.00'; '–' when missing."""
    if _missing(p):
        return "–"
    p = float(p)
    if p < 0.001:
        return "<0.001"
    if p < 0.0995:
        return f"{p:.3f}"
    return f"{min(p, 1.0):.2f}"


def probability(x, digits: int = 1) -> str:
    """A probability as a percentage whose rounding never shows 100% or 0% for a non-certain value."""
    if _missing(x):
        return "–"
    x = float(x)
    step = 10.0 ** -(digits + 2)          # digits=1: 0.001 (= 0.1 %)
    if 1 - step / 2 <= x < 1:
        return f">{(1 - step) * 100:.{digits}f}%"
    if 0 < x < step / 2:
        return f"<{step * 100:.{digits}f}%"
    return f"{x * 100:.{digits}f}%"


def p_column(values) -> list[str]:
    """:func:`p_value` over a column."""
    return [p_value(v) for v in values]
