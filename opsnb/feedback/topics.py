"""Topics discovered in the text: TF-IDF + NMF, the number of topics chosen by stability.

Each text's tokens (:mod:`opsnb.feedback.text`) are weighted by TF-IDF (sublinear term
frequency, l2 rows) and factorised as W H by non-negative matrix factorisation. Each text
belongs to its topic of largest weight (none when all its weights are 0); each topic is named
by its top terms.

**k by stability** (Greene, O'Callaghan and Cunningham 2014, "How many topics? Stability
analysis for topic models"). For each k in ``k_range`` a reference NMF is fitted on (at most
``max_fit_docs``) texts, and ``restarts`` more on random 80 % subsamples of them. Each refit is
compared with the reference by matching their topics one to one (Hungarian matching on the
Jaccard overlap of their top 10 terms); the stability of k is the mean matched overlap. The
most stable k is chosen (the larger k among ties within 0.01). The final model is fitted once
on every text from the deterministic NNDSVDA start.

>>> docs = [["支付", "失败"], ["支付", "扣款"], ["登录", "验证码"], ["登录", "密码"]] * 5
>>> m = discover(docs, n_topics=2, seed=1)
>>> sorted(m.names)
['支付 / 失败 / 扣款', '登录 / 密码 / 验证码']
>>> bool(m.labels[0] == m.labels[1] != m.labels[2] == m.labels[3])
True
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from opsnb.errors import DataError

MIN_DOCS = 20


@dataclass
class TopicModel:
    """The fitted topics: per text its topic (-1: none) and weight; per topic its terms."""

    k: int
    labels: np.ndarray               # per text: topic index, -1 when no topic term occurs
    weight: np.ndarray               # per text: the share of its NMF weight in its topic
    terms: list[list[str]]           # per topic: top terms, most weighty first
    stability: pd.DataFrame          # k, stability (mean matched cosine), chosen
    chosen_by: str                   # "stability" or "parameter"
    n_docs: int = 0
    n_features: int = 0
    names: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.names:
            self.names = [" / ".join(t[:3]) for t in self.terms]


def _vectorise(docs: list[list[str]], min_df: int):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=lambda d: d, min_df=min_df, max_df=0.5, sublinear_tf=True,
                          max_features=5_000)
    try:
        x = vec.fit_transform(docs)
    except ValueError:  # no term is left (every text empty, or all too rare)
        raise DataError("no term occurs in enough texts to find topics", table="feedback",
                        column="text", fix="give more feedback texts or a longer window")
    return vec, x


def _nmf(x, k: int, seed: int, init: str):
    from sklearn.decomposition import NMF

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning at max_iter: the fit is still usable
        model = NMF(n_components=k, init=init, random_state=seed, max_iter=200, tol=1e-3)
        w = model.fit_transform(x)
    return w, model.components_


def matched_similarity(h1: np.ndarray, h2: np.ndarray, top: int = 10) -> float:
    """Mean Jaccard overlap of the top terms of two sets of topics, matched one to one.

    >>> h = np.array([[3.0, 2.0, 0.0, 0.0], [0.0, 0.0, 1.0, 2.0]])
    >>> matched_similarity(h, h[::-1], top=2)
    1.0
    """
    from scipy.optimize import linear_sum_assignment

    a = [set(np.argsort(-r, kind="stable")[:top]) for r in h1]
    b = [set(np.argsort(-r, kind="stable")[:top]) for r in h2]
    sim = np.array([[len(x & y) / len(x | y) for y in b] for x in a])
    rows, cols = linear_sum_assignment(-sim)
    return float(sim[rows, cols].mean())


def stability(x, k_range: range, restarts: int, seed: int) -> pd.DataFrame:
    """Per k, the mean matched top-term overlap of ``restarts`` fits on 80 % subsamples with the
    fit on all of ``x``."""
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    subs = [np.sort(rng.choice(n, int(0.8 * n), replace=False)) for _ in range(restarts)]
    out = []
    for k in k_range:
        ref = _nmf(x, k, seed, "nndsvda")[1]
        sims = [matched_similarity(ref, _nmf(x[idx], k, seed + r, "nndsvda")[1])
                for r, idx in enumerate(subs)]
        out.append((k, float(np.mean(sims))))
    return pd.DataFrame(out, columns=["k", "stability"])


def discover(docs: list[list[str]], n_topics: int | None = None,
             k_range: tuple[int, int] = (7, 12), restarts: int = 3, max_fit_docs: int = 2_000,
             seed: int = 0, top_terms: int = 8) -> TopicModel:
    """Topics of token lists ``docs`` (see the module docstring)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # small matrices: threads only contend (4x slower on 2 cores)
        return _discover(docs, n_topics, k_range, restarts, max_fit_docs, seed, top_terms)


def _discover(docs, n_topics, k_range, restarts, max_fit_docs, seed, top_terms) -> TopicModel:
    n = len(docs)
    if n < MIN_DOCS:
        raise DataError(f"only {n} texts with words; topics need at least {MIN_DOCS}",
                        table="feedback", column="text", fix="choose a longer window")
    min_df = 2 if n < 2_000 else 3
    vec, x = _vectorise(docs, min_df)
    n_terms = x.shape[1]
    hi_k = max(2, min(k_range[1], n_terms - 1, n // 30))  # a topic needs some 30 texts
    lo_k = max(2, min(k_range[0], hi_k))
    if n_topics:
        k, chosen_by = int(min(n_topics, max(2, n_terms - 1))), "parameter"
        table = pd.DataFrame({"k": [k], "stability": [np.nan]})
    else:
        rng = np.random.default_rng(seed)
        sub = x if n <= max_fit_docs else x[np.sort(rng.choice(n, max_fit_docs, replace=False))]
        table = stability(sub, range(lo_k, hi_k + 1), max(1, restarts), seed)
        best = table["stability"].max()
        k = int(table.loc[table["stability"] >= best - 0.01, "k"].max())
        chosen_by = "stability"
    table["chosen"] = table["k"] == k
    w, h = _nmf(x, k, seed, "nndsvda")
    vocab = np.array(vec.get_feature_names_out(), dtype=object)
    terms = [list(vocab[np.argsort(-row)[:top_terms]]) for row in h]
    total = w.sum(axis=1)
    labels = np.where(total > 0, w.argmax(axis=1), -1)
    weight = np.where(total > 0, w.max(axis=1) / np.where(total > 0, total, 1), 0.0)
    # topics in order of size, so topic 0 is the largest
    sizes = np.bincount(labels[labels >= 0], minlength=k)
    order = np.argsort(-sizes, kind="stable")
    rank = np.empty(k, dtype=int)
    rank[order] = np.arange(k)
    labels = np.where(labels >= 0, rank[np.maximum(labels, 0)], -1)
    return TopicModel(k=k, labels=labels, weight=weight, terms=[terms[i] for i in order],
                      stability=table, chosen_by=chosen_by, n_docs=n, n_features=n_terms)


def agreement(found: np.ndarray, planted: np.ndarray) -> dict:
    """Adjusted Rand index and purity of found topics against planted (or analysts') labels.

    Purity: the share of texts whose found topic's most common planted label is their own.

    >>> agreement(np.array([0, 0, 1, 1]), np.array(["a", "a", "b", "b"]))
    {'ari': 1.0, 'purity': 1.0, 'n': 4}
    """
    from sklearn.metrics import adjusted_rand_score

    found = np.asarray(found)
    planted = np.asarray(planted, dtype=object)
    t = pd.crosstab(found, planted)
    purity = float(t.max(axis=1).sum() / t.to_numpy().sum()) if len(t) else float("nan")
    return {"ari": float(adjusted_rand_score(planted, found)), "purity": purity,
            "n": int(len(found))}
