"""Persona benchmark: per-user features (Ibis/DuckDB) + clustering with k chosen over 2..10.

Optimised path (what opsnb does): MiniBatchKMeans above 200k users, silhouette on a
3,000-user sample, Calinski-Harabasz and Davies-Bouldin on all users, bootstrap
stability on 20k-user samples. Naive baseline: plain KMeans per k and the full
(O(n^2)) silhouette; it is timed on a subsample (``NAIVE_N`` users) where it can
finish, and the optimised selection is timed on the same subsample for the ratio.

`python benchmarks/bench_personas.py [--quick]`
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, peak_rss_mb, timed  # noqa: E402
from scaled_data import scaled_dataset  # noqa: E402

K_VALUES = range(2, 11)


def naive_select(X, seed=0):
    from sklearn.cluster import KMeans
    from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

    out = []
    for k in K_VALUES:
        lab = KMeans(k, n_init=4, random_state=seed).fit_predict(X)
        out.append((k, silhouette_score(X, lab), calinski_harabasz_score(X, lab),
                    davies_bouldin_score(X, lab)))
    return out


def main(quick: bool = False) -> list[dict]:
    from opsnb.data.source import DataSource
    from opsnb.data.window import resolve_window
    from opsnb.personas.clustering import select_k
    from opsnb.personas.features import FeatureTransformer, build_features, select_features

    n_users = 20_000 if quick else 1_000_000
    naive_n = 5_000 if quick else 30_000
    path = scaled_dataset(n_events=20 * n_users, n_users=n_users)
    source = DataSource.open(path)
    window = resolve_window(source)
    t_feat, feats = timed(lambda: build_features(source, window, min_events=5), repeat=1)
    num, _ = select_features(feats, None)
    fit = feats.frame[~feats.low_activity]
    X = FeatureTransformer().fit_transform(fit, num)
    t_sel, sel = timed(lambda: select_k(X, K_VALUES, "kmeans", rule="stability", seed=0, n_boot=3,
                                        silhouette_sample=3000, n_init=2), repeat=1)
    rng = np.random.default_rng(0)
    sub = X[rng.choice(len(X), min(naive_n, len(X)), replace=False)]
    t_naive, _ = timed(lambda: naive_select(sub), repeat=1)
    t_opt_sub, _ = timed(lambda: select_k(sub, K_VALUES, "kmeans", rule="stability", seed=0,
                                          n_boot=3, silhouette_sample=3000, n_init=2), repeat=1)
    return [{
        "benchmark": "personas", "users": int(feats.n_users), "clustered_users": int(len(X)),
        "events": 20 * n_users, "features": len(num),
        "feature_build_s": round(t_feat, 2), "select_k_2_10_s": round(t_sel, 2),
        "total_s": round(t_feat + t_sel, 2), "chosen_k": sel.chosen_k,
        "naive_users": int(len(sub)), "naive_select_s": round(t_naive, 2),
        "opsnb_select_same_users_s": round(t_opt_sub, 2),
        "naive_over_opsnb": round(t_naive / t_opt_sub, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }]


if __name__ == "__main__":
    emit(main(quick="--quick" in sys.argv))
