"""Sample ratio mismatch: are the arms as large as the design says?

A chi-square goodness-of-fit test of the assigned users per arm against the designed
split, over all arms at once. A p-value below ``threshold`` (0.001 by default, the
usual choice because the test runs on every experiment) flags the experiment: its
assignment or logging is broken and no effect estimate can be trusted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as st

from opsnb.errors import DataError

THRESHOLD = 0.001


@dataclass(frozen=True)
class SRM:
    variants: tuple[str, ...]
    observed: tuple[int, ...]
    expected_share: tuple[float, ...]
    chi2: float
    p_value: float
    threshold: float = THRESHOLD

    @property
    def flagged(self) -> bool:
        return bool(self.p_value < self.threshold)

    @property
    def observed_share(self) -> tuple[float, ...]:
        n = sum(self.observed)
        return tuple(o / n for o in self.observed)

    def to_dict(self) -> dict:
        return {"variants": list(self.variants), "observed": list(self.observed),
                "expected_share": list(self.expected_share), "chi2": self.chi2,
                "p_value": self.p_value, "flagged": self.flagged}


def parse_split(text: str | None, variants: Sequence[str]) -> dict[str, float]:
    """'control:0.5,treatment:0.5' -> shares (normalised); equal shares when empty."""
    if text is None or not str(text).strip():
        return {v: 1 / len(variants) for v in variants}
    out = {}
    for part in str(text).split(","):
        name, _, share = part.partition(":")
        try:
            out[name.strip()] = float(share)
        except ValueError:
            raise DataError(f"traffic_split {text!r} cannot be read", table="experiments",
                            column="traffic_split",
                            fix="write it as 'control:0.5,treatment:0.5'") from None
    total = sum(out.values())
    if total <= 0 or any(s < 0 for s in out.values()):
        raise DataError(f"traffic_split {text!r} has no positive shares", table="experiments",
                        column="traffic_split", fix="give each variant a share above 0")
    return {k: v / total for k, v in out.items()}


def srm_test(observed: Mapping[str, int], split: Mapping[str, float],
             threshold: float = THRESHOLD) -> SRM:
    """Chi-square test of the observed counts against the designed shares."""
    variants = tuple(split)
    obs = np.array([int(observed.get(v, 0)) for v in variants], dtype=float)
    exp_share = np.array([split[v] for v in variants], dtype=float)
    expected = obs.sum() * exp_share
    res = st.chisquare(obs, expected)
    return SRM(variants, tuple(int(o) for o in obs), tuple(float(s) for s in exp_share),
               float(res.statistic), float(res.pvalue), threshold)
