"""RFM scoring, the tie rule and the segment rules, each worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from opsnb.errors import ParameterError
from opsnb.personas.rfm import NO_ORDER, OTHER, assign_segments, quintile_score, rfm


def test_quintiles_of_ten_distinct_values():
    # ranks 1..10 -> 1 + floor(5 * (r - 1) / 10): 1,1,2,2,3,3,4,4,5,5
    assert quintile_score(np.arange(10, 0, -1)).tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]


def test_ties_share_the_lowest_rank_of_their_group():
    # values 1,1,1,1,1,1,2,3,4,5 (n=10): the six 1s have min rank 1 -> score 1;
    # 2 rank 7 -> 1 + floor(30/10) = 4; 3 rank 8 -> 1 + floor(35/10) = 4; 4 -> 5; 5 -> 5
    s = quintile_score([1, 1, 1, 1, 1, 1, 2, 3, 4, 5])
    assert s.tolist() == [1, 1, 1, 1, 1, 1, 4, 4, 5, 5]


def test_recency_lower_is_better():
    # days 1, 2, 2, 10, 30: reversed ranking (30 first): 30 r1 -> 1, 10 r2 -> 1+floor(5/5)=2,
    # the two 2s share r3 -> 1+floor(10/5)=3, 1 r5 -> 1+floor(20/5)=5
    assert quintile_score([1, 2, 2, 10, 30], higher_is_better=False).tolist() == [5, 3, 3, 2, 1]


def test_quintile_rejects_missing():
    with pytest.raises(ParameterError):
        quintile_score([1.0, np.nan])


@pytest.mark.parametrize("r,f,m,segment", [
    (5, 5, 4, "Champions"),        # FM 4.5
    (4, 4, 4, "Champions"),
    (5, 3, 4, "Loyal"),            # FM 3.5, R 5: not Champions (FM < 4)
    (3, 5, 5, "Loyal"),
    (5, 2, 3, "Potential Loyalist"),  # FM 2.5
    (5, 1, 1, "New"),
    (5, 1, 2, "New"),              # FM 1.5
    (4, 1, 2, "Promising"),
    (3, 2, 2, "Need Attention"),
    (3, 1, 2, "About to Sleep"),
    (1, 5, 4, "Can't Lose Them"),  # FM 4.5
    (1, 3, 3, "At Risk"),
    (2, 5, 5, "At Risk"),          # R 2: Can't Lose Them needs R 1
    (2, 2, 3, "Hibernating"),      # FM 2.5
    (1, 2, 2, "Lost"),
])
def test_segment_rules(r, f, m, segment):
    assert assign_segments([r], [f], [m])[0] == segment


def test_every_score_combination_is_covered_by_the_default_table():
    grid = np.array([(r, f, m) for r in range(1, 6) for f in range(1, 6) for m in range(1, 6)])
    seg = assign_segments(grid[:, 0], grid[:, 1], grid[:, 2])
    assert OTHER not in set(seg)


def test_a_custom_table_with_a_gap_puts_users_in_other():
    rules = (("Top", 5, 5, 4, 5),)
    assert assign_segments([5, 4], [5, 5], [5, 5]).tolist()[0] == "Champions"
    assert assign_segments([5, 4], [5, 5], [5, 5], rules).tolist() == ["Top", OTHER]


def test_rfm_on_a_hand_built_frame():
    # five customers and one user without orders
    f = pd.DataFrame({
        "days_since_last_order": [1.0, 5.0, 5.0, 20.0, 60.0, np.nan],
        "orders": [10, 1, 1, 2, 1, 0],
        "revenue": [1000.0, 50.0, 80.0, 200.0, 20.0, 0.0],
    }, index=["a", "b", "c", "d", "e", "x"])
    r = rfm(f).table
    # R (n=5, reversed): 60 r1 -> 1; 20 r2 -> 2; the 5s share r3 -> 3; 1 r5 -> 5
    assert r.loc[["a", "b", "c", "d", "e"], "R"].tolist() == [5, 3, 3, 2, 1]
    # F: the three 1s share r1 -> 1; 2 r4 -> 1+floor(15/5)=4; 10 r5 -> 5
    assert r.loc[["a", "b", "c", "d", "e"], "F"].tolist() == [5, 1, 1, 4, 1]
    # M: 20 r1 -> 1, 50 r2 -> 2, 80 r3 -> 3, 200 r4 -> 4, 1000 r5 -> 5
    assert r.loc[["a", "b", "c", "d", "e"], "M"].tolist() == [5, 2, 3, 4, 1]
    # a: R5 FM5 Champions; b: R3 FM1.5 About to Sleep; c: R3 FM2 Need Attention;
    # d: R2 FM4 At Risk; e: R1 FM1 Lost; x: no order
    assert r["segment"].tolist() == ["Champions", "About to Sleep", "Need Attention", "At Risk",
                                     "Lost", NO_ORDER]
    counts = rfm(f).counts().set_index("segment")["users"]
    assert counts.sum() == 6 and counts[NO_ORDER] == 1
