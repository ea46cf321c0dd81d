"""Per-variant moments: the small aggregates every statistic in this package runs on.

For a metric with per-user value ``y`` (and a second per-user column ``x``: the ratio's
denominator or the CUPED covariate) a variant is summarised by
``n, Σy, Σy², Σx, Σx², Σxy``. Any backend can compute these, so the statistics also run on
pre-aggregated input (:meth:`Moments.from_frame`). Fields may be numpy arrays, so that
thousands of simulated experiments are analysed in one vectorised call.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd

from opsnb.errors import DataError

SUM_COLUMNS = ("n", "sum_y", "sum_y2", "sum_x", "sum_x2", "sum_xy")


@dataclass(frozen=True)
class Moments:
    """n, Σy, Σy², Σx, Σx², Σxy of one variant (scalars or equal-shaped arrays)."""

    n: float
    sum_y: float
    sum_y2: float
    sum_x: float = 0.0
    sum_x2: float = 0.0
    sum_xy: float = 0.0

    def __post_init__(self) -> None:
        for c in SUM_COLUMNS:  # numpy floats: a zero divisor gives nan/inf, not ZeroDivisionError
            v = getattr(self, c)
            object.__setattr__(self, c, np.float64(v) if np.ndim(v) == 0 else np.asarray(v, float))

    @classmethod
    def from_values(cls, y, x=None) -> Moments:
        """Moments of per-user values (along the last axis)."""
        y = np.asarray(y, dtype=float)
        n = y.shape[-1]
        if x is None:
            return cls(n, y.sum(-1), (y * y).sum(-1))
        x = np.asarray(x, dtype=float)
        return cls(n, y.sum(-1), (y * y).sum(-1), x.sum(-1), (x * x).sum(-1), (x * y).sum(-1))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, by: str = "variant") -> dict[str, Moments]:
        """Pre-aggregated input: one row per variant with columns n, sum_y, sum_y2 (and the x sums)."""
        missing = [c for c in SUM_COLUMNS[:3] + (by,) if c not in frame.columns]
        if missing:
            raise DataError(f"pre-aggregated input lacks column(s) {', '.join(missing)}",
                            column=missing[0],
                            fix=f"give one row per {by} with {', '.join(SUM_COLUMNS)} "
                                "(the x sums may be left out)")
        out = {}
        for _, r in frame.iterrows():
            out[str(r[by])] = cls(**{c: float(r[c]) if c in frame.columns and pd.notna(r[c]) else 0.0
                                     for c in SUM_COLUMNS})
        return out

    # ---------------------------------------------------------------- derived
    @property
    def mean_y(self):
        return self.sum_y / self.n

    @property
    def mean_x(self):
        return self.sum_x / self.n

    @property
    def var_y(self):
        """Sample variance of y (ddof=1)."""
        return (self.sum_y2 - self.sum_y ** 2 / self.n) / (self.n - 1)

    @property
    def var_x(self):
        return (self.sum_x2 - self.sum_x ** 2 / self.n) / (self.n - 1)

    @property
    def cov_xy(self):
        return (self.sum_xy - self.sum_x * self.sum_y / self.n) / (self.n - 1)

    def __add__(self, other: Moments) -> Moments:
        return Moments(*(getattr(self, c) + getattr(other, c) for c in SUM_COLUMNS))

    def to_dict(self) -> dict:
        return {c: getattr(self, c) for c in SUM_COLUMNS}


def _sums(columns: dict[str, ibis.Value]) -> dict[str, ibis.Value]:
    y = columns["y"]
    x = columns.get("x")
    aggs = {"sum_y": y.sum(), "sum_y2": (y * y).sum()}
    if x is not None:
        aggs.update(sum_x=x.sum(), sum_x2=(x * x).sum(), sum_xy=(x * y).sum())
    return aggs


def _tidy(df: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    df = df.copy()
    for c in SUM_COLUMNS:
        if c not in df.columns:
            df[c] = 0.0
        df[c] = df[c].astype(float).fillna(0.0)
    return df.sort_values(list(by)).reset_index(drop=True)


def variant_moments(table: ibis.Table, columns: dict[str, ibis.Value],
                    by: tuple[str, ...] = ("variant",)) -> pd.DataFrame:
    """Σ over users of y, y², x, x², xy per group, computed in the backend (a small frame)."""
    aggs = {"n": table.count(), **_sums(columns)}
    return _tidy(table.group_by(list(by)).aggregate(**aggs).to_pandas(), by)


def variant_moments_many(table: ibis.Table, columns: dict, by: tuple[str, ...] = ("variant",)
                         ) -> dict:
    """:func:`variant_moments` of several metrics at once: one scan of ``table``, one query.

    ``columns`` maps a key (e.g. the metric name) to its ``{"y": ..., "x": ...}`` columns; the
    result maps the same keys to the frames :func:`variant_moments` would return.
    """
    aggs: dict[str, ibis.Value] = {"n": table.count()}
    names: dict = {}
    for i, (key, cols) in enumerate(columns.items()):
        sums = _sums(cols)
        names[key] = {f"m{i}__{c}": c for c in sums}
        aggs.update({f"m{i}__{c}": v for c, v in sums.items()})
    df = table.group_by(list(by)).aggregate(**aggs).to_pandas()
    return {key: _tidy(df[list(by) + ["n"] + list(ren)].rename(columns=ren), by)
            for key, ren in names.items()}
