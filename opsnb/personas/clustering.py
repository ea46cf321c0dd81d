"""Clustering users into personas, and choosing the number of personas.

:class:`PersonaClusterer` wraps three methods behind scikit-learn conventions
(parameters in ``__init__``, ``fit`` returns self, learned attributes end in ``_``):

* ``"kmeans"``: k-means on the standardised numeric features (``MiniBatchKMeans``
  above ``minibatch_above`` users);
* ``"gmm"``: a Gaussian mixture (diagonal covariances), with posterior probabilities;
* ``"kprototypes"``: k-prototypes (the ``kmodes`` package) for numeric plus
  categorical profile features.

Cluster ids are ordered by a stable rule, so that a different seed gives the
same ids for the same personas: largest persona first (ties: by the first
coordinate of the centre).

:func:`select_k` fits each k of a range and puts silhouette (on a sample for large
n), Calinski-Harabasz, Davies-Bouldin, BIC (mixtures) and bootstrap stability side
by side, then picks k by the stated rule. For large n the choice of k is made on a
fixed-size seeded random sample of the users (``sample_size``, 100,000 by default):
scores and bootstrap refits on that sample say which k the data supports, and the
caller then fits only the chosen k on everyone (MiniBatchKMeans) and assigns.

Threads: every fit, prediction and score runs with ``N_THREADS`` (default 1) OpenMP
and BLAS threads. On a small shared machine (2 cores, load 4-6) scikit-learn's default
of one thread per core spends most of its time in spin-waits: k-means on 100,000 users
for k = 2..10 took 21 s with 2 threads against 5 s with 1, and MiniBatchKMeans on
671,000 users 17 s against 2.5 s. Set ``opsnb.personas.clustering.N_THREADS = None``
to use scikit-learn's default on a dedicated machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

from opsnb.errors import DataError, ParameterError
from opsnb.personas.stability import bootstrap_stability
from opsnb.report import style
from opsnb.report.i18n import Translator

DISTANCE_BLOCK = 262_144  # rows per block of the distance computation
METHODS = ("kmeans", "gmm", "kprototypes")
K_RULES = ("stability", "silhouette", "calinski_harabasz", "davies_bouldin", "bic")

N_THREADS: int | None = 1   # OpenMP/BLAS threads for fitting and scoring (None: library default)
SELECTION_SAMPLE = 100_000  # above this many users, k is chosen on a random sample of this size


def limit_threads():
    """Context manager: run scikit-learn with ``N_THREADS`` threads (see the module notes)."""
    return threadpool_limits(limits=N_THREADS)


class PersonaClusterer:
    """One clustering method with a fixed number of clusters.

    Args:
        method: ``"kmeans"``, ``"gmm"`` or ``"kprototypes"``.
        n_clusters: number of personas.
        random_state: seed (an int); every random draw comes from it.
        n_init: restarts (the best fit is kept).
        minibatch_above: k-means switches to MiniBatchKMeans above this many users.
        gamma: k-prototypes weight of the categorical part (None: the kmodes default,
            half the mean standard deviation of the numeric features).
    """

    def __init__(self, method: str = "kmeans", n_clusters: int = 5, random_state: int = 0,
                 n_init: int = 4, minibatch_above: int = 200_000, gamma: float | None = None):
        self.method = method
        self.n_clusters = n_clusters
        self.random_state = random_state
        self.n_init = n_init
        self.minibatch_above = minibatch_above
        self.gamma = gamma

    def clone(self, random_state: int, n_init: int | None = None) -> PersonaClusterer:
        """An unfitted clusterer with the same settings (the bootstrap refits use it)."""
        return type(self)(self.method, self.n_clusters, random_state=random_state,
                          n_init=self.n_init if n_init is None else n_init,
                          minibatch_above=self.minibatch_above, gamma=self.gamma)

    # ------------------------------------------------------------------ fitting
    def fit(self, X: np.ndarray, categorical: np.ndarray | None = None) -> PersonaClusterer:
        if self.method not in METHODS:
            raise ParameterError(f"method={self.method!r}; use one of {', '.join(METHODS)}")
        X = np.asarray(X, dtype=float)
        k = int(self.n_clusters)
        if k < 2:
            raise ParameterError(f"n_clusters={k} must be at least 2")
        if len(X) < k:
            raise DataError(f"{len(X):,} users to cluster but {k} personas asked for",
                            table="events", fix="widen the window, lower min_events or ask for "
                            "fewer personas (k)")
        if not np.isfinite(X).all():
            raise DataError("the feature matrix holds missing or infinite values", table="events",
                            fix="leave the features with missing values out")
        if self.method == "kprototypes" and (categorical is None or categorical.shape[1] == 0):
            raise ParameterError("method kprototypes needs categorical features (region, device, ...)")
        with limit_threads():
            return self._fit(X, categorical, k)

    def _fit(self, X: np.ndarray, categorical: np.ndarray | None, k: int) -> PersonaClusterer:
        seed = int(self.random_state)
        if self.method == "kmeans":
            if len(X) > self.minibatch_above:
                m = MiniBatchKMeans(k, random_state=seed, n_init=self.n_init, batch_size=4096)
            else:
                m = KMeans(k, random_state=seed, n_init=self.n_init)
            m.fit(X)
            centers = m.cluster_centers_
        elif self.method == "gmm":
            m = GaussianMixture(k, covariance_type="diag", random_state=seed,
                                n_init=max(1, self.n_init // 2), reg_covar=1e-4)
            m.fit(X)
            centers = m.means_
        else:
            from kmodes.kprototypes import KPrototypes
            m = KPrototypes(k, init="Cao", n_init=max(1, self.n_init // 2), gamma=self.gamma,
                            random_state=seed)
            m.fit(self._mixed(X, categorical), categorical=list(range(X.shape[1], X.shape[1]
                                                                       + categorical.shape[1])))
            centers = np.asarray(m.cluster_centroids_[:, :X.shape[1]], dtype=float)
        self.model_ = m
        raw = self._raw_predict(X, categorical)
        sizes = np.bincount(raw, minlength=k)
        order = sorted(range(k), key=lambda j: (-sizes[j], float(centers[j, 0])))
        self.order_ = np.array(order)             # new id i is old id order[i]
        self.relabel_ = np.empty(k, dtype=int)
        self.relabel_[self.order_] = np.arange(k)  # old id -> new id
        self.cluster_centers_ = np.asarray(centers, dtype=float)[self.order_]
        if self.method == "kprototypes":
            self.cluster_modes_ = np.asarray(m.cluster_centroids_[:, X.shape[1]:])[self.order_]
        self.labels_ = self.relabel_[raw]
        self.n_features_in_ = X.shape[1]
        return self

    @staticmethod
    def _mixed(X, categorical):
        cat = np.asarray(categorical, dtype=object)
        cat = np.where(pd.isna(cat), "(empty)", cat)
        return np.concatenate([X.astype(object), cat], axis=1)

    def _raw_predict(self, X, categorical=None) -> np.ndarray:
        if self.method == "kprototypes":
            cat_idx = list(range(X.shape[1], X.shape[1] + categorical.shape[1]))
            return np.asarray(self.model_.predict(self._mixed(X, categorical), categorical=cat_idx),
                              dtype=int)
        with limit_threads():
            return np.asarray(self.model_.predict(X), dtype=int)

    def predict(self, X: np.ndarray, categorical: np.ndarray | None = None) -> np.ndarray:
        """Persona ids (stable order) for new users."""
        return self.relabel_[self._raw_predict(np.asarray(X, dtype=float), categorical)]

    def distance(self, X: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        """Euclidean distance (standardised numeric features) to the user's persona centre."""
        X = np.asarray(X, dtype=float)
        labels = self.predict(X) if labels is None and self.method != "kprototypes" else labels
        out = np.empty(len(X))
        for i in range(0, len(X), DISTANCE_BLOCK):  # in blocks: 5M users x 18 features is 0.7 GB
            b = slice(i, i + DISTANCE_BLOCK)
            out[b] = np.sqrt(((X[b] - self.cluster_centers_[labels[b]]) ** 2).sum(axis=1))
        return out

    def probability(self, X: np.ndarray) -> np.ndarray | None:
        """Posterior probability of the assigned persona (Gaussian mixtures only)."""
        if self.method != "gmm":
            return None
        with limit_threads():
            return self.model_.predict_proba(np.asarray(X, dtype=float)).max(axis=1)

    def bic(self, X: np.ndarray) -> float:
        if self.method != "gmm":
            return np.nan
        with limit_threads():
            return float(self.model_.bic(np.asarray(X, dtype=float)))


# --------------------------------------------------------------------------- choosing k
@dataclass
class KSelection:
    """Scores per k side by side, and the chosen k (why, in words: ``present.k_reason``)."""

    scores: pd.DataFrame  # k, silhouette, calinski_harabasz, davies_bouldin, bic, stability
    chosen_k: int
    rule: str             # a K_RULES code, or "fixed" when k was given
    method: str
    silhouette_sample: int
    min_stability: float = 0.95
    n_users: int = 0        # users given to select_k
    sample_size: int = 0    # users the scores were computed on (n_users when not sampled)

    @property
    def sampled(self) -> bool:
        return 0 < self.sample_size < self.n_users

    def to_frame(self) -> pd.DataFrame:
        return self.scores.copy()

    def best_by(self) -> dict:
        """The k each criterion alone would choose."""
        s = self.scores
        out = {}
        for col, best in (("silhouette", "max"), ("calinski_harabasz", "max"),
                          ("davies_bouldin", "min"), ("bic", "min"), ("stability", "max")):
            v = s[col]
            if v.notna().any():
                out[col] = int(s.loc[v.idxmax() if best == "max" else v.idxmin(), "k"])
        return out

    def plot(self, axes=None, lang: str = "en"):
        import matplotlib.pyplot as plt

        from opsnb.personas.present import rule_text

        tr = Translator(lang)
        cols = [("silhouette", "Silhouette (higher is better)"),
                ("calinski_harabasz", "Calinski-Harabasz (higher)"),
                ("davies_bouldin", "Davies-Bouldin (lower)"),
                ("stability", "Bootstrap stability, ARI (higher)")]
        if self.scores["bic"].notna().any():
            cols.append(("bic", "BIC of the mixture (lower)"))
        if axes is None:
            fig, axes = plt.subplots(1, len(cols), figsize=(3.0 * len(cols), 3.4), sharex=True)
        for ax, (col, lab) in zip(np.ravel(axes), cols):
            ax.plot(self.scores["k"], self.scores[col], marker="o", color=style.PALETTE[0])
            row = self.scores[self.scores["k"] == self.chosen_k]
            ax.plot(row["k"], row[col], marker="o", ms=11, mfc="none", color=style.OURS_COLOR)
            ax.set_title(tr(lab), fontsize=9.5)
            ax.set_xlabel(tr("k (personas)"))
            ax.set_xticks(self.scores["k"])
        fig = np.ravel(axes)[0].figure
        fig.suptitle(tr("Choosing the number of personas: k = {k} (red circle)", k=self.chosen_k),
                     x=0.01, ha="left", fontweight="bold", fontsize=12)
        on = (tr(" on a random sample of {n} of {total} users", n=f"{self.sample_size:,}",
                 total=f"{self.n_users:,}") if self.sampled else "")
        note = tr("Each k fitted with {method}{on}; silhouette on a sample of {n} users; "
                  "chosen by {rule}.", method=self.method, on=on,
                  n=f"{self.silhouette_sample:,}", rule=rule_text(self, lang))
        note = "\n".join(style.wrap_text(note, max(int(fig.get_figwidth() * 15), 60)))
        fig.text(0.01, -0.02, note, fontsize=8.5, color="#555555", ha="left", va="top")
        return axes


def cluster_scores(X: np.ndarray, labels: np.ndarray, seed: int, silhouette_sample: int) -> dict:
    """Silhouette (sampled), Calinski-Harabasz and Davies-Bouldin of one partition."""
    n_lab = len(np.unique(labels))
    if n_lab < 2:
        return {"silhouette": np.nan, "calinski_harabasz": np.nan, "davies_bouldin": np.nan}
    ss = min(len(X), int(silhouette_sample))
    return {
        "silhouette": float(silhouette_score(X, labels, sample_size=ss if ss < len(X) else None,
                                             random_state=seed)),
        "calinski_harabasz": float(calinski_harabasz_score(X, labels)),
        "davies_bouldin": float(davies_bouldin_score(X, labels)),
    }


def select_k(X: np.ndarray, k_values: Sequence[int], method: str = "kmeans",
             categorical: np.ndarray | None = None, rule: str = "stability", seed: int = 0,
             n_boot: int = 6, silhouette_sample: int = 5000, max_boot_n: int = 20_000,
             n_init: int = 4, min_stability: float = 0.95,
             sample_size: int | None = SELECTION_SAMPLE) -> KSelection:
    """Fit each k and choose one by ``rule`` (ties: the smaller k).

    Above ``sample_size`` users (None: never) every k is fitted, scored and
    bootstrapped on one seeded random sample of ``sample_size`` users; the caller fits
    the chosen k on all of them. Up to ``sample_size`` users nothing changes.

    ``stability`` (the default) follows Ben-Hur, Elisseeff and Guyon (2002): a k that
    matches real structure gives nearly the same partition on every bootstrap sample,
    while a too-large k splits a group at random. Among the k whose mean ARI reaches
    ``min_stability`` the largest (finest) is chosen.
    """
    if rule not in K_RULES:
        raise ParameterError(f"k_rule={rule!r}; use one of {', '.join(K_RULES)}")
    if rule == "bic" and method != "gmm":
        raise ParameterError("k_rule bic needs method gmm (BIC is a mixture-model criterion)")
    ks = sorted({int(k) for k in k_values})
    if not ks or ks[0] < 2:
        raise ParameterError("k values must be at least 2")
    if len(X) <= ks[-1]:
        raise DataError(f"{len(X):,} users to cluster but up to {ks[-1]} personas asked for",
                        table="events", fix="widen the window, lower min_events or lower k_max")
    n_users = len(X)
    if sample_size is not None and int(sample_size) < ks[-1] + 1:
        raise ParameterError(f"sample_size={sample_size} must be larger than the largest k")
    if sample_size is not None and n_users > int(sample_size):
        take = np.sort(np.random.default_rng(seed).choice(n_users, int(sample_size), replace=False))
        X = X[take]
        categorical = categorical[take] if categorical is not None else None
    rows = []
    with limit_threads():
        for k in ks:
            m = PersonaClusterer(method, k, random_state=seed, n_init=n_init).fit(X, categorical)
            row = {"k": k, **cluster_scores(X, m.labels_, seed, silhouette_sample)}
            row["bic"] = m.bic(X)
            row["stability"] = (bootstrap_stability(m, X, categorical, n_boot=n_boot, seed=seed,
                                                    max_n=max_boot_n).mean_ari
                                if n_boot else np.nan)
            rows.append(row)
    scores = pd.DataFrame(rows)
    col, best = {"stability": ("stability", "max"), "silhouette": ("silhouette", "max"),
                 "calinski_harabasz": ("calinski_harabasz", "max"),
                 "davies_bouldin": ("davies_bouldin", "min"), "bic": ("bic", "min")}[rule]
    if scores[col].isna().all():
        raise ParameterError(f"k_rule {rule} needs n_boot > 0" if rule == "stability"
                             else f"k_rule {rule} cannot be computed here")
    v = scores[col] if best == "max" else -scores[col]
    chosen = int(scores.loc[v.idxmax(), "k"])  # idxmax: first (smallest k) on ties
    if rule == "stability":
        ok = scores[scores["stability"] >= min_stability]
        if len(ok):
            chosen = int(ok["k"].max())
    return KSelection(scores, chosen, rule, method, min(len(X), int(silhouette_sample)),
                      float(min_stability), n_users, len(X))

