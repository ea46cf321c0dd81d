"""Sets of active days per user as bit masks: distinct days without ``COUNT(DISTINCT)``.

A distinct count of days per user makes the engine keep a second hash table of (user, day)
pairs, and a window over those pairs sorts them. Instead, each event sets bit ``day - lo`` of
a 63-bit word with a bitwise-or aggregate (``BIT_OR``, Spark's ``bit_or``), so the per-user
aggregate stays one plain hash aggregate; the words come back with the other per-user
numbers and numpy counts or reads the bits. ``day`` is any integer day index (days since the
window start, or rolling days since a user's start); rows outside ``0 <= day < n_days`` set
no bit. Spans longer than :data:`BITMASK_MAX_DAYS` take too many words: callers fall back to
their distinct-count query there (:func:`n_words` returns 0).
"""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd

DAYS_PER_WORD = 63          # bits 0..62 of a signed 64-bit integer
BITMASK_MAX_DAYS = 8 * DAYS_PER_WORD


def n_words(n_days: int) -> int:
    """Words needed for ``n_days`` days; 0 when the span is too long for masks."""
    return -(-int(n_days) // DAYS_PER_WORD) if 0 < n_days <= BITMASK_MAX_DAYS else 0


def day_mask_aggregates(day: ibis.IntegerValue, n_days: int, prefix: str = "days_w",
                        where: ibis.BooleanValue | None = None) -> dict[str, ibis.Expr]:
    """Aggregates ``{prefix}0 .. {prefix}{n-1}``: the days ``0 <= day < n_days`` of each group
    (of the rows where ``where`` holds) as bits of 63-day words."""
    one, zero = ibis.literal(1, "int64"), ibis.literal(0, "int64")
    aggs = {}
    for w in range(n_words(n_days)):
        lo = w * DAYS_PER_WORD
        hit = (day >= lo) & (day < min(lo + DAYS_PER_WORD, n_days))
        if where is not None:
            hit = hit & where
        aggs[f"{prefix}{w}"] = ibis.cases((hit, one << (day - lo)), else_=zero).bit_or()
    return aggs


def mask_words(df: pd.DataFrame, n_days: int, prefix: str = "days_w") -> list[np.ndarray]:
    """The words of :func:`day_mask_aggregates` as unsigned arrays.

    Words must arrive as integers: a column with nulls comes back as floats, which hold 53
    bits, so fill nulls in the engine (an outer join's missing words) before fetching."""
    cols = [f"{prefix}{w}" for w in range(n_words(n_days))]
    floats = [c for c in cols if df[c].dtype.kind not in "iu"]
    if floats:
        raise TypeError(f"day words {floats} are not integers; fill their nulls in the engine")
    return [df[c].to_numpy(dtype=np.int64).view(np.uint64) for c in cols]


def count_days(words: list[np.ndarray], first: int = 0, last: int | None = None) -> np.ndarray:
    """Days set per row, counting only days ``first <= day < last`` (default: all)."""
    total = np.zeros(len(words[0]) if words else 0, dtype=np.int64)
    for w, word in enumerate(words):
        lo, hi = w * DAYS_PER_WORD, (w + 1) * DAYS_PER_WORD
        a, b = max(first, lo) - lo, (hi if last is None else min(last, hi)) - lo
        if b <= a:
            continue
        keep = np.uint64(((1 << (b - a)) - 1) << a)
        total += np.bitwise_count(word & keep).astype(np.int64)
    return total


def day_set(words: list[np.ndarray], day: int) -> np.ndarray:
    """Whether bit ``day`` is set, per row."""
    w, b = divmod(int(day), DAYS_PER_WORD)
    return ((words[w] >> np.uint64(b)) & np.uint64(1)).astype(bool)
