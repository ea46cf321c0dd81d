"""The sentence that says how k was chosen (personas.present.k_reason)."""

import numpy as np
import pandas as pd

from opsnb.personas.clustering import KSelection
from opsnb.personas.present import k_reason


def selection(stability, chosen_k):
    scores = pd.DataFrame({"k": [2, 3, 4], "silhouette": [0.30, 0.36, 0.35],
                           "calinski_harabasz": [900.0, 800.0, 700.0],
                           "davies_bouldin": [1.2, 1.1, 1.3], "bic": [np.nan] * 3,
                           "stability": stability})
    return KSelection(scores, chosen_k, "stability", "kmeans", 1000, 0.95, 1000, 1000)


def test_stable_k_and_the_criteria_that_differ():
    text = k_reason(selection([1.0, 0.99, 0.90], 3))
    assert text == ("k = 3: the largest k whose bootstrap refits reproduce the partition (mean "
                    "ARI 0.990, threshold 0.95); silhouette, davies-bouldin alone would choose the "
                    "same k; on their own, the other criteria would choose k = 2 "
                    "(calinski-harabasz).")
    zh = k_reason(selection([1.0, 0.99, 0.90], 3), "zh")
    assert "也会选择同一个 k" in zh and "若只看其他单个指标" in zh


def test_no_k_reaches_the_threshold_is_said_so():
    """The most stable k was chosen although none is reproduced: the text must not claim it is."""
    text = k_reason(selection([0.90, 0.94, 0.80], 3))
    assert text.startswith("k = 3: no k is reproduced by its bootstrap refits (mean ARI at least "
                           "0.95), so the most stable k is chosen (mean ARI 0.940)")
    assert "the largest k whose" not in text
    assert k_reason(selection([0.90, 0.94, 0.80], 3), "zh").startswith(
        "k = 3：没有任何 k 能被 bootstrap 重拟合稳定复现")
