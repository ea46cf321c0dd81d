"""Are the personas real? Bootstrap refits, adjusted Rand index and per-persona Jaccard.

Following Hennig (2007, "Cluster-wise assessment of cluster stability"): refit the
clustering on bootstrap samples of the users; for each original persona take the
best Jaccard similarity with a bootstrap cluster (on the users drawn), and average
over refits. Reading (as in the issue): below 0.5 the persona *dissolves*, 0.5-0.6
*weak*, 0.6-0.75 *doubtful*, 0.75 and above *stable*. The adjusted Rand index
compares each refit's assignment of all users with the full-data one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from opsnb.report import style
from opsnb.report.i18n import Translator

VERDICTS = ((0.5, "dissolved"), (0.6, "weak"), (0.75, "doubtful"), (np.inf, "stable"))


def hennig_verdict(jaccard: float) -> str:
    """Hennig's reading of a mean bootstrap Jaccard similarity."""
    if jaccard is None or not np.isfinite(jaccard):
        return "unknown"
    for bound, word in VERDICTS:
        if jaccard < bound:
            return word
    return "stable"


def best_jaccard(original: np.ndarray, refit: np.ndarray, k: int) -> np.ndarray:
    """For each original cluster 0..k-1: max over refit clusters of |C ∩ D| / |C ∪ D|."""
    original = np.asarray(original)
    refit = np.asarray(refit)
    r_ids = np.unique(refit)
    out = np.full(k, np.nan)
    for j in range(k):
        c = original == j
        nc = c.sum()
        if nc == 0:
            continue
        best = 0.0
        for d_id in r_ids:
            d = refit == d_id
            inter = np.count_nonzero(c & d)
            if inter:
                best = max(best, inter / (nc + d.sum() - inter))
        out[j] = best
    return out


@dataclass
class Stability:
    """Bootstrap stability of one clustering."""

    ari: np.ndarray                 # one per refit
    jaccard: np.ndarray             # refits x personas
    n_boot: int
    sample_size: int
    seed: int
    labels: list = field(default_factory=list)  # persona labels for the table

    @property
    def mean_ari(self) -> float:
        return float(np.mean(self.ari)) if len(self.ari) else float("nan")

    @property
    def mean_jaccard(self) -> np.ndarray:
        return np.nanmean(self.jaccard, axis=0) if len(self.jaccard) else np.array([])

    def to_frame(self) -> pd.DataFrame:
        mj = self.mean_jaccard
        names = self.labels or [f"P{i + 1}" for i in range(len(mj))]
        return pd.DataFrame({
            "persona": names,
            "mean_jaccard": mj,
            "min_jaccard": np.nanmin(self.jaccard, axis=0),
            "verdict": [hennig_verdict(x) for x in mj],
        })

    def unstable(self) -> list[str]:
        f = self.to_frame()
        return list(f.loc[f["verdict"] != "stable", "persona"])

    def headline(self) -> dict:
        f = self.to_frame()
        return {"mean_ari": self.mean_ari, "min_ari": float(np.min(self.ari)),
                "n_boot": self.n_boot, "sample_size": self.sample_size,
                "jaccard": dict(zip(f["persona"], f["mean_jaccard"].round(4))),
                "verdicts": dict(zip(f["persona"], f["verdict"])), "unstable": self.unstable()}

    def plot(self, ax=None, lang: str = "en"):
        tr = Translator(lang)
        if ax is None:
            _, ax = style.new_figure(height=3.4)
        f = self.to_frame()
        y = np.arange(len(f))[::-1]
        colors = [style.PALETTE[2] if v == "stable" else style.OURS_COLOR for v in f["verdict"]]
        ax.barh(y, f["mean_jaccard"], color=colors)
        for x0, x1, lab, c in ((0, 0.5, "dissolved", "#f4d6d6"), (0.5, 0.6, "weak", "#f7e3d0"),
                               (0.6, 0.75, "doubtful", "#f7efd0"), (0.75, 1.0, "stable", "#e1f0e6")):
            ax.axvspan(x0, x1, color=c, zorder=0, lw=0)
            ax.text((x0 + x1) / 2, 1.0, tr(lab), transform=ax.get_xaxis_transform(), ha="center",
                    va="bottom", fontsize=8, color="#666")
        for yi, v, verdict in zip(y, f["mean_jaccard"], f["verdict"]):
            ax.text(min(v, 0.97), yi, f" {v:.2f} {tr(verdict)}", va="center", fontsize=9,
                    ha="right" if v > 0.85 else "left")
        ax.set_yticks(y, f["persona"])
        ax.set_xlim(0, 1)
        ax.grid(axis="y", visible=False)
        style.titled(ax, tr("Persona stability over {n} bootstrap refits", n=self.n_boot),
                     tr("Mean Jaccard similarity between each persona and its best match when the "
                        "model is refitted on a bootstrap sample of users (Hennig: below 0.5 "
                        "dissolved, 0.5-0.6 weak, 0.6-0.75 doubtful, 0.75+ stable). Mean ARI {ari}.",
                        ari=f"{self.mean_ari:.2f}"))
        return ax


def bootstrap_stability(model, X: np.ndarray, categorical: np.ndarray | None = None,
                        n_boot: int = 10, seed: int = 0, max_n: int = 20_000,
                        labels: list | None = None) -> Stability:
    """Refit ``model`` (a fitted PersonaClusterer) on ``n_boot`` bootstrap samples.

    For large data the refits use bootstrap samples of ``max_n`` users, and the ARI
    and Jaccard are computed on a fixed random subset of ``max_n`` users. The refits are
    made by ``model.clone`` (so this module needs nothing from the clustering module) and
    fit and predict with the clusterer's own thread limit.
    """
    X = np.asarray(X, dtype=float)
    n = len(X)
    k = model.cluster_centers_.shape[0]
    rng = np.random.default_rng(seed)
    base = model.labels_
    ev = np.arange(n) if n <= max_n else np.sort(rng.choice(n, max_n, replace=False))
    Xe = X[ev]
    Ce = categorical[ev] if categorical is not None else None
    m = min(n, max_n)
    aris, jac = [], []
    for b in range(int(n_boot)):
        draw = ev[rng.integers(0, len(ev), m)] if n > max_n else rng.integers(0, n, n)
        refit = model.clone(int(rng.integers(0, 2**31 - 1)), n_init=max(1, model.n_init // 2))
        refit.fit(X[draw], categorical[draw] if categorical is not None else None)
        pred_all = refit.predict(Xe, Ce)
        aris.append(adjusted_rand_score(base[ev], pred_all))
        uniq = np.unique(draw)
        pred_s = refit.predict(X[uniq], categorical[uniq] if categorical is not None else None)
        jac.append(best_jaccard(base[uniq], pred_s, k))
    return Stability(np.array(aris), np.array(jac).reshape(len(jac), k), int(n_boot), m, seed,
                     list(labels) if labels is not None else [])
