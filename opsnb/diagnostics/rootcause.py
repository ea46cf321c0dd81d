"""Root-cause search over combinations of dimension values.

Adtributor (Bhagwan et al., NSDI 2014) scores a segment ``s`` of one dimension by

* explanatory power ``EP_s = change_s / change``: its share of the KPI's change, and
* surprise: the Jensen-Shannon term of its share of the KPI before (``p``) and after (``q``),
  ``0.5 [p log(2p / (p + q)) + q log(2q / (p + q))]``,

and explains a change with the most surprising segments of the best dimension. Causes that
span two dimensions (android users in 华东) are beyond it. Squeeze (Li et al., ISSRE 2019) and
RiskLoc (Kalander, 2022) handle them with the observation that inside a root-cause segment every
finer cell deviates alike, while outside it the cells do not deviate. This module follows that
spirit on segments of one and two (up to ``max_depth``) dimensions:

1. candidates are the segments that move with the KPI and carry at least ``MIN_SHARE`` of its
   change;
2. *generalise*: a two-dimension segment that deviates (relative to its own size) less than
   ``SHARPER`` times as much as the rest of either parent gives way to the parent: the parent is
   the succinct cause (every region of android moved alike);
3. *refine*: a parent whose change sits in one sharper child (the child carries at least
   ``CONCENTRATION`` of the parent's change) gives way to that child: android as a whole is not
   the cause when only android in 华东 moved;
4. the remaining candidates are taken by surprise, skipping any that overlaps one already taken,
   until their explanatory power reaches ``explain_share``;
5. the causes are ranked by explanatory power, each labelled rate or mix by its decomposition.

>>> import pandas as pd
>>> leaves = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["u", "v", "u", "v"],
...                        "base": [100.0, 100, 100, 100], "current": [40.0, 100, 100, 100]})
>>> causes = search(segments_from_leaves(leaves, ("a", "b"), 2), explain_share=0.8)
>>> [c["segment"] for c in causes]
[(('a', 'x'), ('b', 'u'))]
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from opsnb.diagnostics.decompose import Decomposition

MIN_SHARE = 0.05      # a candidate carries at least this share of the change
CONCENTRATION = 0.75  # a child holding this share of its parent's change ...
SHARPER = 1.3         # ... and deviating this many times as sharply replaces the parent


def js_surprise(p, q) -> np.ndarray:
    """Adtributor's surprise: the Jensen-Shannon term of shares ``p`` (before) and ``q`` (after).

    >>> float(js_surprise(0.5, 0.5))
    0.0
    """
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    m = (p + q) / 2

    def term(x):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(x > 0, x * np.log(np.where(x > 0, x, 1) / np.where(m > 0, m, 1)), 0.0)
    return 0.5 * (term(p) + term(q))


def segments_from_decompositions(decs: dict[tuple[str, ...], Decomposition]) -> pd.DataFrame:
    """One row per segment of every dimension set: its part of the KPI before and after, its
    contribution to the change and its rate/mix label."""
    rows = []
    for dims, d in decs.items():
        if not dims:
            continue
        t = d.table
        for rec in t.to_dict("records"):
            seg = tuple((k, str(rec[k])) for k in dims)
            rows.append({"segment": seg, "depth": len(dims), "base": float(rec["base"]),
                         "current": float(rec["current"]),
                         "change": float(rec["contribution"]), "label": rec["label"]})
    return pd.DataFrame(rows, columns=["segment", "depth", "base", "current", "change", "label"])


def segments_from_leaves(leaves: pd.DataFrame, dims: tuple[str, ...], max_depth: int,
                         base: str = "base", current: str = "current") -> pd.DataFrame:
    """Segments of an additive KPI from its finest cells (for simulated cases and benchmarks)."""
    codes, labels = {}, {}
    for d in dims:
        codes[d], uniq = pd.factorize(leaves[d].astype(str), sort=True)
        labels[d] = list(uniq)
    b, c = leaves[base].to_numpy(float), leaves[current].to_numpy(float)
    segs, depth, bs, cs = [], [], [], []
    for k in range(1, max_depth + 1):
        for ds in combinations(dims, k):
            shape = tuple(len(labels[d]) for d in ds)
            flat = np.ravel_multi_index(tuple(codes[d] for d in ds), shape)
            n = int(np.prod(shape))
            hit = np.bincount(flat, minlength=n) > 0
            sb, sc = np.bincount(flat, b, n), np.bincount(flat, c, n)
            for i in np.flatnonzero(hit):
                idx = np.unravel_index(i, shape)
                segs.append(tuple((d, labels[d][j]) for d, j in zip(ds, idx)))
                depth.append(k)
                bs.append(sb[i])
                cs.append(sc[i])
    out = pd.DataFrame({"segment": segs, "depth": depth, "base": bs, "current": cs})
    out["change"] = out["current"] - out["base"]
    out["label"] = "volume"
    return out


def overlaps(a: tuple, b: tuple) -> bool:
    """Do two segments share users (no dimension on which they differ)?"""
    da, db = dict(a), dict(b)
    return all(da[k] == db[k] for k in set(da) & set(db))


def score(segments: pd.DataFrame) -> pd.DataFrame:
    """Explanatory power, surprise and relative deviation per segment."""
    s = segments.copy()
    if len(s):
        first = s["segment"].iloc[0][0][0]  # the segments of one dimension partition the total
        one = s[[len(x) == 1 and x[0][0] == first for x in s["segment"]]]
        base_total, cur_total = float(one["base"].sum()), float(one["current"].sum())
        change = float(one["change"].sum())
    else:
        base_total = cur_total = change = 0.0
    s["ep"] = s["change"] / change if change else 0.0
    p = s["base"] / base_total if base_total else 0.0
    q = s["current"] / cur_total if cur_total else 0.0
    s["surprise"] = js_surprise(p, q)
    s["deviation"] = np.where(s["base"] > 0, s["change"] / s["base"].where(s["base"] > 0),
                              np.inf * np.sign(s["change"]))
    return s


def search(segments: pd.DataFrame, explain_share: float = 0.8, min_share: float = MIN_SHARE,
           max_causes: int = 5) -> list[dict]:
    """The smallest set of non-overlapping segments explaining ``explain_share`` of the change.

    Returns the causes ranked by explanatory power: dicts with ``segment`` (a tuple of
    (dimension, value) pairs), ``ep``, ``surprise``, ``change``, ``deviation``, ``label``.
    """
    s = score(segments)
    if s.empty or not np.isfinite(s["ep"]).all() or (s["ep"] == 0).all():
        return []
    cand = s[s["ep"] >= min_share].copy()
    every = dict(zip(s["segment"], s.to_dict("records")))
    by_seg = {seg: every[seg] for seg in cand["segment"]}
    drop: set = set()
    for seg, r in by_seg.items():
        if r["depth"] < 2:
            continue
        sub = [tuple(x for x in seg if x != part) for part in seg]  # its parents, one dim less
        parents = [every.get(p_) for p_ in sub]
        sharper = all(abs(r["deviation"]) >= SHARPER * abs(_rest_deviation(p_, r))
                      for p_ in parents if p_ is not None)
        if not sharper:
            drop.add(seg)  # generalise: a parent explains it as well and more succinctly
            continue
        for p_seg, p_ in zip(sub, parents):
            if p_seg in by_seg and r["ep"] >= CONCENTRATION * p_["ep"]:
                drop.add(p_seg)  # refine: the parent's change sits in this child
    kept = cand[[seg not in drop for seg in cand["segment"]]].sort_values(
        ["surprise", "ep"], ascending=False, kind="stable")
    chosen: list[dict] = []
    total = 0.0
    for r in kept.to_dict("records"):
        if any(overlaps(r["segment"], c["segment"]) for c in chosen):
            continue
        chosen.append(r)
        total += r["ep"]
        if total >= explain_share or len(chosen) >= max_causes:
            break
    chosen.sort(key=lambda r: (-r["ep"], -r["surprise"]))
    return [{k: r[k] for k in ("segment", "ep", "surprise", "change", "deviation", "label",
                               "base", "current")} for r in chosen]


def _rest_deviation(parent: dict, child: dict) -> float:
    """The relative change of the parent outside the child (0 when nothing is left)."""
    base = parent["base"] - child["base"]
    return (parent["change"] - child["change"]) / base if base > 1e-12 else 0.0
