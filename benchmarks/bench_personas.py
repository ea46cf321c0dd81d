"""Persona benchmark: per-user features (Ibis/DuckDB) + clustering with k chosen over 2..10.

What opsnb does (timed end to end, as the report does it):

1. feature build: one aggregate query over the window's events (Ibis/DuckDB);
2. k selection over 2..10 on a seeded random sample of 100,000 of the clustered users
   (``select_k(sample_size=...)``): k-means per k, silhouette on 3,000 of them,
   Calinski-Harabasz and Davies-Bouldin on the sample, 3 bootstrap refits per k;
3. final fit of the chosen k on every clustered user (MiniBatchKMeans above 200k),
   then every user (low-activity ones included) assigned to a persona with a distance.

Naive baseline (issue 6): plain KMeans per k on all users and the full (O(n^2))
silhouette. At full size the silhouette alone would take hours, so the naive selection
is timed on a subsample (``NAIVE_N`` users), its two parts separately, and scaled to
the full size (k-means linearly in n, the full silhouette quadratically): an estimate,
labelled as such. The measured like-for-like ratio (naive against opsnb's selection on
the same subsample) is reported too. Both run with the same thread limit as opsnb
(``opsnb.personas.clustering.N_THREADS``), so the ratios are the algorithms' alone.

`python benchmarks/bench_personas.py [--quick]`
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, peak_rss_mb, timed  # noqa: E402
from scaled_data import scaled_dataset  # noqa: E402

K_VALUES = range(2, 11)


def naive_select(X, seed=0) -> dict:
    """Plain KMeans per k with the full silhouette; seconds spent in each part."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

    t_fit = t_sil = 0.0
    for k in K_VALUES:
        t0 = time.perf_counter()
        lab = KMeans(k, n_init=4, random_state=seed).fit_predict(X)
        t1 = time.perf_counter()
        silhouette_score(X, lab)
        t_sil += time.perf_counter() - t1
        calinski_harabasz_score(X, lab), davies_bouldin_score(X, lab)
        t_fit += t1 - t0
    return {"kmeans_s": t_fit, "silhouette_s": t_sil}


def main(quick: bool = False) -> list[dict]:
    from opsnb.data.source import DataSource
    from opsnb.data.window import resolve_window
    from opsnb.personas.clustering import PersonaClusterer, limit_threads, select_k
    from opsnb.personas.features import FeatureTransformer, build_features, select_features

    n_users = 20_000 if quick else 1_000_000
    naive_n = 5_000 if quick else 30_000
    sample = 5_000 if quick else 100_000
    path = scaled_dataset(n_events=20 * n_users, n_users=n_users)
    source = DataSource.open(path)
    window = resolve_window(source)
    t_feat, feats = timed(lambda: build_features(source, window, min_events=5), repeat=1)

    def prepare():
        num, _ = select_features(feats, None)
        mask = ~feats.low_activity.to_numpy()
        tr = FeatureTransformer().fit(feats.frame[mask], num)
        return num, mask, tr, tr.transform(feats.frame[mask])

    t_prep, (num, mask, tr, X) = timed(prepare, repeat=1)
    t_sel, sel = timed(lambda: select_k(X, K_VALUES, "kmeans", rule="stability", seed=0, n_boot=3,
                                        silhouette_sample=3000, n_init=2, sample_size=sample),
                       repeat=1)

    def final_fit():
        model = PersonaClusterer("kmeans", sel.chosen_k, random_state=0, n_init=2).fit(X)
        labels = np.empty(len(feats.frame), dtype=int)
        labels[mask] = model.labels_
        X_low = tr.transform(feats.frame[~mask])
        labels[~mask] = model.predict(X_low)
        dist = np.empty(len(labels))
        dist[mask] = model.distance(X, model.labels_)
        dist[~mask] = model.distance(X_low, labels[~mask])
        return model, labels, dist

    t_final, (model, labels, _) = timed(final_fit, repeat=1)
    total = t_feat + t_prep + t_sel + t_final
    peak_pipeline = peak_rss_mb()

    rng = np.random.default_rng(0)
    sub = X[rng.choice(len(X), min(naive_n, len(X)), replace=False)]
    with limit_threads():
        naive = naive_select(sub)
    t_naive = naive["kmeans_s"] + naive["silhouette_s"]
    t_opt_sub, _ = timed(lambda: select_k(sub, K_VALUES, "kmeans", rule="stability", seed=0,
                                          n_boot=3, silhouette_sample=3000, n_init=2,
                                          sample_size=sample), repeat=1)
    scale = len(X) / len(sub)
    naive_full = naive["kmeans_s"] * scale + naive["silhouette_s"] * scale ** 2
    return [{
        "benchmark": "personas", "users": int(feats.n_users), "clustered_users": int(len(X)),
        "events": 20 * n_users, "features": len(num), "selection_sample": int(sel.sample_size),
        "feature_build_s": round(t_feat, 2), "prepare_s": round(t_prep, 2),
        "select_k_2_10_s": round(t_sel, 2), "final_fit_assign_s": round(t_final, 2),
        "total_s": round(total, 2), "chosen_k": sel.chosen_k,
        "final_sizes": np.bincount(labels, minlength=sel.chosen_k).tolist(),
        "peak_rss_pipeline_mb": round(peak_pipeline, 1),
        "naive_users": int(len(sub)), "naive_select_s": round(t_naive, 2),
        "naive_kmeans_s": round(naive["kmeans_s"], 2),
        "naive_silhouette_s": round(naive["silhouette_s"], 2),
        "opsnb_select_same_users_s": round(t_opt_sub, 2),
        "naive_over_opsnb_same_users": round(t_naive / t_opt_sub, 2),
        "naive_full_size_estimate_s": round(naive_full, 0),
        "naive_full_over_opsnb_clustering": round(naive_full / (t_sel + t_final), 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
    }]


if __name__ == "__main__":
    emit(main(quick="--quick" in sys.argv))
