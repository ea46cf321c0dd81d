"""Topics: agreement measures and k by stability on texts of known topics."""

from __future__ import annotations

import numpy as np
import pytest

from opsnb.errors import DataError
from opsnb.feedback.topics import agreement, discover, matched_similarity


def test_agreement_by_hand():
    # found 0 = {a, a, b}, 1 = {b, b}: purity (2 + 2) / 5
    a = agreement(np.array([0, 0, 0, 1, 1]), np.array(["a", "a", "b", "b", "b"]))
    assert a["purity"] == pytest.approx(0.8)
    from sklearn.metrics import adjusted_rand_score
    assert a["ari"] == pytest.approx(adjusted_rand_score(["a", "a", "b", "b", "b"],
                                                         [0, 0, 0, 1, 1]))


def test_matched_similarity_ignores_order():
    h = np.array([[3.0, 2, 0, 0, 0, 0], [0, 0, 3, 2, 0, 0], [0, 0, 0, 0, 2, 3]])
    assert matched_similarity(h, h[[2, 0, 1]], top=2) == 1.0
    # each topic's top two terms shifted by one: one of three terms shared, Jaccard 1/3
    assert matched_similarity(h, np.roll(h, 1, axis=1), top=2) == pytest.approx(1 / 3)


def test_stability_finds_three_clear_topics():
    rng = np.random.default_rng(0)
    vocab = [["支付", "扣款", "退款", "付款"], ["登录", "密码", "验证码", "账号"],
             ["闪退", "崩溃", "卡死", "白屏"]]
    docs, truth = [], []
    for i in range(300):
        k = i % 3
        docs.append(list(rng.choice(vocab[k], size=3)) + [str(rng.choice(["今天", "昨天",
                                                                         "刚才"]))])
        truth.append(k)
    m = discover(docs, k_range=(2, 5), restarts=3, seed=1)
    assert m.chosen_by == "stability" and m.k == 3
    assert agreement(m.labels, np.array(truth))["ari"] == 1.0
    assert m.stability.loc[m.stability["chosen"], "k"].tolist() == [3]


def test_too_few_texts():
    with pytest.raises(DataError, match="topics need at least"):
        discover([["a"]] * 5)
