"""The persona report: features -> k selection -> personas -> stability -> profiles -> RFM.

:func:`persona_clustering` is the one call the notebook makes; it checks the
parameters and returns a :class:`PersonaReport` holding every number and chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from opsnb.data.source import DataSource
from opsnb.data.window import Window
from opsnb.errors import ParameterError
from opsnb.personas.clustering import METHODS, K_RULES, KSelection, PersonaClusterer, select_k
from opsnb.personas.features import (FeatureTransformer, UserFeatures, build_features,
                                     select_features)
from opsnb.personas.profiles import Profiles, feature_label, profile
from opsnb.personas.rfm import RFMResult, rfm, rule_table
from opsnb.personas.stability import Stability, bootstrap_stability
from opsnb.report import fmt, style
from opsnb.report.i18n import t as tx

# the default model features: engagement mix, hours of the day, activity depth, purchases
DEFAULT_FEATURE_PREFIXES = ("mix_", "hour_")
DEFAULT_FEATURES = ("active_days", "events_per_active_day", "sessions_per_active_day",
                    "content_breadth", "orders", "avg_order_value")
PROFILE_EXTRA = ("events", "sessions", "days_since_last", "content_items", "revenue", "tenure_days")

# (feature, direction) -> what operations can do; the first two matching a persona's most
# distinctive features fill the action table
ACTIONS = (
    ("days_since_last", +1, "Win-back: a reminder push and a comeback coupon within a week"),
    ("mix_claim_coupon", +1, "Coupon-led campaigns; watch margin and cap coupons per user"),
    ("hour_22_02", +1, "Schedule pushes, live streams and new content for 22:00-02:00"),
    ("mix_view_content", +1, "Content and creator campaigns; feed recommendations"),
    ("mix_like", +1, "Creator follow-ups and community features"),
    ("mix_share", +1, "Referral rewards: they already share"),
    ("avg_order_value", +1, "VIP perks, early access and premium bundles"),
    ("orders", +1, "Loyalty programme; protect from churn with service, not discounts"),
    ("mix_purchase", +1, "Second-purchase nudge within 7 days of the first order"),
    ("active_days", -1, "Onboarding series and a first-week habit goal"),
    ("mix_search", +1, "Better search and saved-search alerts"),
    ("mix_view_item", +1, "Browse-to-cart nudges: price drop and back-in-stock alerts"),
    ("events_per_active_day", +1, "Upsell in-session: bundles and recommendations"),
    ("hour_18_22", +1, "Evening push window (18:00-22:00)"),
    ("hour_10_14", +1, "Lunchtime push window (10:00-14:00)"),
)


@dataclass
class PersonaReport:
    source: DataSource
    window: Window
    features: UserFeatures
    model_features: list[str]
    categorical: list[str]
    transformer: FeatureTransformer
    selection: KSelection
    model: PersonaClusterer
    stability: Stability
    profiles: Profiles
    rfm: RFMResult
    assignments: pd.DataFrame  # one row per user (all users, low-activity ones flagged)
    X: np.ndarray              # standardised model features of the clustered users
    method: str
    seed: int

    # ------------------------------------------------------------------ numbers
    @property
    def k(self) -> int:
        return self.selection.chosen_k

    def clustered_users(self) -> int:
        return int((~self.assignments["low_activity"]).sum())

    def headline(self) -> dict:
        s = self.profiles.summary
        biggest = s.iloc[0]
        st = self.stability.headline()
        return {
            "users": int(len(self.assignments)),
            "clustered_users": self.clustered_users(),
            "low_activity_users": int(self.assignments["low_activity"].sum()),
            "k": self.k, "method": self.method, "k_rule": self.selection.rule,
            "k_reason": self.selection.reason,
            "stability_mean_ari": st["mean_ari"], "unstable_personas": st["unstable"],
            "largest_persona": f"{biggest['persona']} {biggest['name']}",
            "largest_share": float(biggest["share"]),
            "customers": int((self.rfm.table["segment"] != "No order in window").sum()),
        }

    def headline_items(self) -> list[tuple[str, str, str]]:
        h = self.headline()
        st = self.stability
        n_stable = sum(v == "stable" for v in st.to_frame()["verdict"])
        return [
            (tx("Users profiled"), fmt.count(h["users"]),
             tx("{clustered} clustered; {low} with too few events assigned to the nearest persona",
                clustered=fmt.count(h["clustered_users"]), low=fmt.count(h["low_activity_users"]))),
            (tx("Personas"), str(self.k),
             tx("{method}; chosen by {rule}", method=self.method, rule=self.selection.rule)),
            (tx("Stable personas"), tx("{n} of {k}", n=n_stable, k=self.k),
             tx("bootstrap ARI {ari} over {n} refits", ari=f"{st.mean_ari:.2f}", n=st.n_boot)),
            (tx("Largest persona"), fmt.pct(h["largest_share"]),
             tx("{persona}; share of the {n} clustered users", persona=h["largest_persona"],
                n=fmt.count(h["clustered_users"]))),
            (tx("Customers (RFM)"), fmt.count(h["customers"]), tx("users with an order in the window")),
        ]

    def warning(self) -> str | None:
        bad = self.stability.unstable()
        if not bad:
            return None
        v = dict(zip(self.stability.to_frame()["persona"], self.stability.to_frame()["verdict"]))
        return tx("Not every persona is stable: {personas}. Treat those as provisional; do not build "
                  "campaigns on them alone.",
                  personas=", ".join(f"{p} ({tx(v[p])})" for p in bad))

    def who_is_in_the_data(self) -> pd.DataFrame:
        a = self.assignments
        f = self.features.frame
        n = self.features.min_events
        return pd.DataFrame([
            (tx("users with an event in the window"), len(a)),
            (tx("clustered (at least {n} events)", n=n), int((~a["low_activity"]).sum())),
            (tx("fewer than {n} events (assigned, flagged)", n=n), int(a["low_activity"].sum())),
            (tx("users with an order"), int((f["orders"] > 0).sum())),
            (tx("median active days"), float(f["active_days"].median())),
            (tx("median events"), float(f["events"].median())),
        ], columns=["measure", "value"]).assign(value=lambda d: d["value"].map(fmt.count))

    def persona_table(self) -> pd.DataFrame:
        s = self.profiles.summary.merge(self.stability.to_frame(), on="persona")
        s["top_features"] = s["top_features"].map(lambda fs: ", ".join(feature_label(f) for f in fs))
        s["verdict"] = s["verdict"].map(tx)
        return s[["persona", "name", "users", "share", "mean_jaccard", "verdict", "description"]]

    def action_table(self) -> pd.DataFrame:
        rows = []
        seg = self.rfm.crosstab(self.assignments.set_index("user_id")["persona"])
        seg = seg.drop(index="No order in window", errors="ignore")
        for _, r in self.profiles.summary.iterrows():
            z = self.profiles.zmeans.loc[r["persona"]]
            ordered = z.abs().sort_values(ascending=False).index
            acts = []
            for f in ordered:
                for feat, sign, text in ACTIONS:
                    if feat == f and np.sign(z[f]) == sign and abs(z[f]) >= 0.4 and tx(text) not in acts:
                        acts.append(tx(text))
                if len(acts) == 2:
                    break
            col = seg[r["persona"]] if r["persona"] in seg else pd.Series(dtype=float)
            top_seg = (tx("{segment} ({n} of {buyers} buyers)", segment=tx(col.idxmax()),
                          n=fmt.count(col.max()), buyers=fmt.count(col.sum()))
                       if col.sum() else "–")
            rows.append((r["persona"], r["name"], int(r["users"]), top_seg,
                         tx("{first}; {second}", first=acts[0], second=acts[1]) if len(acts) == 2
                         else acts[0] if acts else tx("No distinctive lever: treat as the base audience")))
        return pd.DataFrame(rows, columns=["persona", "name", "users", "main RFM segment",
                                           "what to do"])

    def summary_personas(self) -> list[dict]:
        st = self.stability.to_frame().set_index("persona")
        out = []
        for _, r in self.profiles.summary.iterrows():
            out.append({"persona": r["persona"], "name": r["name"], "description": r["description"],
                        "users": int(r["users"]), "share": float(r["share"]),
                        "top_features": list(r["top_features"]),
                        "top_standardised_means": list(r["top_z"]),
                        "mean_jaccard": float(st.loc[r["persona"], "mean_jaccard"]),
                        "verdict": st.loc[r["persona"], "verdict"]})
        return out

    def sections(self) -> dict:
        return {
            "chosen_k": self.k,
            "k_reason": self.selection.reason,
            "selection_scores": self.selection.to_frame(),
            "stability": self.stability.headline(),
            "personas": self.summary_personas(),
            "rfm_segments": self.rfm.counts()[["segment", "users", "share"]],
            "rfm_rules": rule_table(self.rfm.rules),
            "features": {"model": self.model_features, "categorical": self.categorical,
                         "transformation": self.transformer.record_,
                         "dropped": [list(d) for d in self.features.dropped]},
        }

    def check_lines(self) -> list[str]:
        h = self.headline()
        lines = [f"window: {self.window.label()}",
                 f"users: {h['users']:,}; clustered: {h['clustered_users']:,}; "
                 f"low activity: {h['low_activity_users']:,}",
                 f"method: {self.method}; k: {self.k} (rule {self.selection.rule}); "
                 f"stability ARI: {self.stability.mean_ari:.2f}"]
        st = self.stability.to_frame().set_index("persona")
        for _, r in self.profiles.summary.iterrows():
            lines.append(f"{r['persona']} {r['name']}: {r['users']:,} users, "
                         f"Jaccard {st.loc[r['persona'], 'mean_jaccard']:.2f} "
                         f"({st.loc[r['persona'], 'verdict']})")
        c = self.rfm.counts()
        lines.append("RFM: " + ", ".join(f"{s} {u:,}" for s, u in zip(c["segment"], c["users"])))
        return lines

    # ------------------------------------------------------------------ charts
    def plot_map(self, ax=None, max_points: int = 4000):
        """2-D map of the users on the first two principal components."""
        from sklearn.decomposition import PCA

        if ax is None:
            _, ax = style.new_figure(height=5.0)
        pca = PCA(2, random_state=self.seed).fit(self.X)
        rng = np.random.default_rng(self.seed)
        idx = np.arange(len(self.X))
        if len(idx) > max_points:
            idx = np.sort(rng.choice(idx, max_points, replace=False))
        P = pca.transform(self.X[idx])
        lab = self.model.labels_[idx]
        names = self.profiles.names()
        for j in range(self.k):
            sel = lab == j
            pid = f"P{j + 1}"
            ax.scatter(P[sel, 0], P[sel, 1], s=6, alpha=0.45, color=style.PALETTE[j % 10],
                       label=f"{pid} {names[pid]}", lw=0)
        C = pca.transform(self.model.cluster_centers_)
        for j, (x, y) in enumerate(C):
            ax.text(x, y, f"P{j + 1}", fontsize=10, fontweight="bold", ha="center", va="center",
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="#555", alpha=0.85))
        ev = pca.explained_variance_ratio_
        ax.set_xlabel(tx("PC{i} ({share} of variance)", i=1, share=f"{ev[0]:.0%}"))
        ax.set_ylabel(tx("PC{i} ({share} of variance)", i=2, share=f"{ev[1]:.0%}"))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, markerscale=3)
        style.titled(ax, tx("Map of users by persona"),
                     tx("Principal components of the standardised model features; {n} clustered users "
                        "shown; labels mark persona centres.", n=f"{len(idx):,}"))
        return ax


def persona_clustering(data_dir=None, start_date: str = "", end_date: str = "",
                       k_min: int = 2, k_max: int = 8, k: int | None = None,
                       method: str = "kmeans", features: Sequence[str] | None = None,
                       seed: int = 7, n_boot: int = 10, min_events: int = 5,
                       k_rule: str = "stability", min_stability: float = 0.95,
                       tz_offset_hours: int = 8, names: dict | None = None,
                       silhouette_sample: int = 3000, n_init: int = 4) -> PersonaReport:
    """Load, validate and compute the whole persona report."""
    from opsnb.data.window import resolve_window
    from opsnb.report.params import expect

    expect("method", method, "str", choices=METHODS)
    expect("k_rule", k_rule, "str", choices=K_RULES)
    k_min = expect("k_min", k_min, "int", minimum=2, maximum=30)
    k_max = expect("k_max", k_max, "int", minimum=2, maximum=30)
    k = expect("k", k, "int", minimum=2, maximum=30, allow_none=True)
    if k is None and k_max < k_min:
        raise ParameterError(f"k_max={k_max} is below k_min={k_min}")
    expect("features", features, "list", allow_none=True)
    seed = expect("seed", seed, "int", minimum=0)
    n_boot = expect("n_boot", n_boot, "int", minimum=0, maximum=500)
    min_events = expect("min_events", min_events, "int", minimum=1)
    expect("min_stability", min_stability, "float", minimum=0, maximum=1)
    expect("names", names, "dict", allow_none=True)
    if k_rule == "stability" and n_boot == 0 and k is None:
        raise ParameterError("k_rule stability needs n_boot > 0 (or fix k)")
    source = DataSource.open(data_dir)
    source.require("users", "events")
    window = resolve_window(source, start_date, end_date)
    feats = build_features(source, window, tz_offset_hours=tz_offset_hours, min_events=min_events)
    num, cat = select_features(feats, features)
    if not features:
        num = [c for c in num if c.startswith(DEFAULT_FEATURE_PREFIXES) or c in DEFAULT_FEATURES]
        if method != "kprototypes":
            cat = []
    if method == "kprototypes" and not cat:
        raise ParameterError("method kprototypes needs categorical features; add region, device, "
                             "age_band, gender or channel to features")
    frame = feats.frame
    fit_mask = ~feats.low_activity.to_numpy()
    fit = frame[fit_mask]
    if len(fit) == 0:
        from opsnb.errors import DataError
        raise DataError(f"no user has {min_events} or more events between {window.label()}",
                        table="events", fix="widen the window or lower min_events")
    tr = FeatureTransformer().fit(fit, num)
    X = tr.transform(fit)
    C = fit[cat].to_numpy(dtype=object) if cat else None
    ks = [k] if k is not None else list(range(k_min, k_max + 1))
    sel = select_k(X, ks, method, C, rule=k_rule if k is None else "silhouette", seed=seed,
                   n_boot=n_boot if k is None else 0, silhouette_sample=silhouette_sample,
                   n_init=n_init, min_stability=min_stability)
    if k is not None:
        sel.rule, sel.reason = "fixed", tx("k = {k}: fixed by the parameter k.", k=k)
    model = PersonaClusterer(method, sel.chosen_k, random_state=seed, n_init=n_init).fit(X, C)
    pids = [f"P{i + 1}" for i in range(sel.chosen_k)]
    stab = bootstrap_stability(model, X, C, n_boot=max(n_boot, 1), seed=seed, labels=pids)
    prof_feats = num + [c for c in PROFILE_EXTRA if c in feats.numeric and c not in num]
    prof = profile(fit, model.labels_, num, X, [c for c in feats.categorical], names=names,
                   profile_features=prof_feats)
    # every user gets a persona: the low-activity ones by the nearest centre
    Xall = tr.transform(frame)
    Call = frame[cat].to_numpy(dtype=object) if cat else None
    labels_all = np.empty(len(frame), dtype=int)
    labels_all[fit_mask] = model.labels_
    if (~fit_mask).any():
        labels_all[~fit_mask] = model.predict(Xall[~fit_mask],
                                              Call[~fit_mask] if Call is not None else None)
    rf = rfm(frame)
    pid_all = np.array(pids)[labels_all]
    name_of = prof.names()
    proba = model.probability(Xall)
    assignments = pd.DataFrame({
        "user_id": frame.index.to_numpy(),
        "persona": pid_all,
        "persona_name": [name_of[p] for p in pid_all],
        "rfm_segment": rf.table["segment"].reindex(frame.index).to_numpy(),
        "distance": model.distance(Xall, labels_all),
        "probability": proba if proba is not None else np.nan,
        "low_activity": ~fit_mask,
    })
    return PersonaReport(source, window, feats, num, cat, tr, sel, model, stab, prof, rf,
                         assignments, X, method, seed)
