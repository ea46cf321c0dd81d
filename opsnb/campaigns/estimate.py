"""An estimate with its interval: the one number type every campaign method returns.

>>> e = Estimate(120.0, 80.0, 160.0, alpha=0.05)
>>> e.excludes_zero, e.level
(True, 0.95)
>>> e.scaled(0.5).to_dict()
{'value': 60.0, 'lower': 40.0, 'upper': 80.0, 'level': 0.95}
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Estimate:
    """A point value and a two-sided (1 - alpha) interval; nan where it cannot be had."""

    value: float
    lower: float = math.nan
    upper: float = math.nan
    alpha: float = 0.05

    @property
    def level(self) -> float:
        return round(1 - self.alpha, 10)

    @property
    def excludes_zero(self) -> bool:
        return bool(self.lower > 0 or self.upper < 0)

    def contains(self, x: float) -> bool:
        return bool(self.lower <= x <= self.upper)

    def scaled(self, k: float) -> Estimate:
        lo, hi = sorted((self.lower * k, self.upper * k))
        return Estimate(self.value * k, lo, hi, self.alpha)

    def to_dict(self) -> dict:
        def clean(x: float):
            return None if x is None or not math.isfinite(x) else float(x)
        return {"value": clean(self.value), "lower": clean(self.lower),
                "upper": clean(self.upper), "level": self.level}
