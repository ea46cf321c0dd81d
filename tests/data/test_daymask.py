"""Day masks (opsnb.data.daymask): bits set by the engine, read back by numpy, against sets
of days written by hand and against COUNT(DISTINCT) in DuckDB."""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
import pytest

from opsnb.data.daymask import (BITMASK_MAX_DAYS, count_days, day_mask_aggregates, day_set,
                                mask_words, n_words)


def test_words_per_span():
    assert [n_words(d) for d in (1, 63, 64, 126, 127, BITMASK_MAX_DAYS)] == [1, 1, 2, 2, 3, 8]
    assert n_words(BITMASK_MAX_DAYS + 1) == 0 and n_words(0) == 0


@pytest.fixture(scope="module")
def masks():
    # u1: days 0, 1, 62 (last bit of word 0), 63 (first of word 1), 62 again; u2: 5 and 130;
    # u3: day 140 only, outside the 140-day span (sets nothing); u4: a negative day
    rows = [("u1", 0), ("u1", 1), ("u1", 62), ("u1", 63), ("u1", 62), ("u2", 5), ("u2", 130),
            ("u3", 140), ("u4", -1)]
    t = ibis.memtable(pd.DataFrame(rows, columns=["user_id", "day"]))
    df = t.group_by("user_id").aggregate(**day_mask_aggregates(t.day, 140)).order_by(
        "user_id").to_pandas()
    return df, mask_words(df, 140)


def test_days_read_back(masks):
    df, words = masks
    days = [[d for d in range(140) if day_set(words, d)[i]] for i in range(len(df))]
    assert days == [[0, 1, 62, 63], [5, 130], [], []]


def test_count_days_in_ranges(masks):
    _, words = masks
    assert count_days(words).tolist() == [4, 2, 0, 0]
    assert count_days(words, 1, 63).tolist() == [2, 1, 0, 0]      # days 1..62
    assert count_days(words, 62).tolist() == [2, 1, 0, 0]         # days 62..
    assert count_days(words, 6, 130).tolist() == [2, 0, 0, 0]


def test_where_keeps_only_its_rows():
    t = ibis.memtable(pd.DataFrame({"user_id": ["a", "a", "a"], "day": [1, 2, 3],
                                    "keep": [True, False, True]}))
    df = t.group_by("user_id").aggregate(**day_mask_aggregates(t.day, 10, where=t.keep)).to_pandas()
    assert count_days(mask_words(df, 10)).tolist() == [2]


def test_equals_distinct_count_on_random_days():
    rng = np.random.default_rng(3)
    n = 20_000
    d = pd.DataFrame({"user_id": rng.integers(0, 500, n).astype(str),
                      "day": rng.integers(0, 300, n)})
    t = ibis.memtable(d)
    df = t.group_by("user_id").aggregate(
        distinct=t.day.nunique(), **day_mask_aggregates(t.day, 300)).to_pandas()
    np.testing.assert_array_equal(count_days(mask_words(df, 300)), df["distinct"].to_numpy())


def test_floats_are_refused():
    df = pd.DataFrame({"days_w0": [1.0, np.nan]})
    with pytest.raises(TypeError, match="fill their nulls in the engine"):
        mask_words(df, 10)
