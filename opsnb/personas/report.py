"""The persona report: what the notebook shows of personas and RFM segments, in ``lang``.

:class:`PersonaReport` holds the numbers that :func:`opsnb.personas.persona_clustering`
(:mod:`opsnb.personas.pipeline`) computed, as codes (feature names, persona ids, RFM segment
keys, action keys); its ``headline_items(lang)`` and ``show_<section>(lang)`` methods make the
text, tables and charts. Strings from the data (persona names given by users, channel, region,
device and age band values, event names) reach the page only through :mod:`opsnb.report.html`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from opsnb.personas.features import FeatureTransformer, UserFeatures
from opsnb.personas.clustering import PersonaClusterer
from opsnb.personas.present import k_reason
from opsnb.personas.rfm import NO_ORDER, rule_display, rule_table
from opsnb.report import fmt, html, style
from opsnb.report.contract import Note, Report, Section
from opsnb.report.i18n import Translator, translate

MAKEUP_CHARTS = ("channel", "device", "age_band")
SCORE_FORMATS = {"silhouette": "number", "calinski_harabasz": "number", "davies_bouldin": "number",
                 "stability": "number", "bic": "number"}

# (feature, direction) -> what operations can do; the first two matching a persona's most
# distinctive features fill the action table (the texts are catalogue keys)
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
NO_LEVER = "No distinctive lever: treat as the base audience"

# sections that need the fitted personas
PERSONA_SECTIONS = ("k", "stability", "personas", "makeup", "actions")

UNSTABLE = ("Not every persona is stable: {personas}. Treat those as provisional; do not build "
            "campaigns on them alone.")


class _UnstableNote(Note):
    """The unstable-personas warning: each persona's verdict is translated too."""

    def render(self, lang: str = "en") -> str:
        sep = Translator(lang).sep()
        personas = sep.join(f"{p} ({translate(v, lang)})" for p, v in self.values["verdicts"])
        return translate(self.text, lang, personas=personas)

    def to_dict(self) -> dict:
        return {"message": self.render("en"), "template": self.text,
                "values": {"verdicts": [list(x) for x in self.values["verdicts"]]}}


class PersonaReport(Report):
    """Personas and RFM segments of the users of a window (see the module docstring)."""

    name = "persona_clustering"
    title = "Personas"
    required = ("users", "events")
    SECTIONS = (
        Section("who", "Who is in the data",
                shows="how many users the window holds and how many have enough events to "
                      "shape the personas"),
        Section("k", "How many personas?",
                shows="the scores of each candidate number of personas and the one chosen"),
        Section("stability", "Are the personas real?",
                shows="whether each persona is found again when the model is refitted"),
        Section("personas", "The personas",
                shows="each persona's size, name, stability and distinctive features"),
        Section("makeup", "Profile make-up",
                shows="the regions, devices, age bands and channels each persona over-represents"),
        Section("rfm", "RFM segments",
                shows="customers scored on recency, frequency and money, in named segments"),
        Section("actions", "What to do with each persona",
                shows="suggested levers for each persona"),
    )

    def __init__(self, source, window, parameters: dict | None = None) -> None:
        super().__init__(source, window, parameters)
        p = self.parameters
        self.method: str = p.get("method", "kmeans")
        self.seed: int = p.get("seed", 7)
        self.features: UserFeatures | None = None
        self.model_features: list[str] = []
        self.categorical: list[str] = []
        self.transformer: FeatureTransformer | None = None
        self.selection = None
        self.model: PersonaClusterer | None = None
        self.stability = None
        self.profiles = None
        self.rfm = None
        self.assignments: pd.DataFrame | None = None  # one row per user of the window
        self.X: np.ndarray | None = None               # standardised features, clustered users
        self.exported = None                           # the export file written, if any

    # ------------------------------------------------------------------ numbers
    @property
    def lang(self) -> str:
        return self.parameters.get("lang", "en")

    @property
    def k(self) -> int | None:
        return self.selection.chosen_k if self.selection is not None else None

    @property
    def has_personas(self) -> bool:
        return self.profiles is not None

    def clustered_users(self) -> int:
        return int((~self.features.low_activity).sum()) if self.features is not None else 0

    def customers(self) -> int | None:
        if self.rfm is None:
            return None
        return int((self.rfm.table["segment"] != NO_ORDER).sum())

    def headline(self) -> dict:
        h = {"users": None, "clustered_users": None, "low_activity_users": None, "k": self.k,
             "method": self.method, "k_rule": None, "k_reason": None, "stability_mean_ari": None,
             "unstable_personas": None, "largest_persona": None, "largest_share": None,
             "customers": self.customers()}
        if self.features is not None:
            n_low = int(self.features.low_activity.sum())
            h.update(users=self.features.n_users, clustered_users=self.features.n_users - n_low,
                     low_activity_users=n_low)
        if self.has_personas:
            st = self.stability.headline()
            biggest = self.profiles.summary.iloc[0]
            h.update(k_rule=self.selection.rule, k_reason=k_reason(self.selection, "en"),
                     stability_mean_ari=st["mean_ari"], unstable_personas=st["unstable"],
                     largest_persona=f"{biggest['persona']} "
                                     f"{self.profiles.names('en')[biggest['persona']]}",
                     largest_share=float(biggest["share"]))
        return h

    def headline_items(self, lang: str = "en") -> list[tuple[str, str, str]]:
        tr = Translator(lang)
        h = self.headline()
        items = []
        if h["users"] is not None:
            items.append((tr("Users profiled"), fmt.count(h["users"]),
                          tr("{clustered} clustered; {low} with too few events assigned to the "
                             "nearest persona", clustered=fmt.count(h["clustered_users"]),
                             low=fmt.count(h["low_activity_users"]))
                          if self.has_personas else
                          tr("{n} with {min} or more events", n=fmt.count(h["clustered_users"]),
                             min=self.features.min_events)))
        else:
            items.append((tr("Users profiled"), "–", ""))
        if self.has_personas:
            st = self.stability
            n_stable = sum(v == "stable" for v in st.to_frame()["verdict"])
            largest = self.profiles.summary.iloc[0]["persona"]
            items += [
                (tr("Personas"), str(self.k),
                 tr("{method}; chosen by {rule}", method=self.method, rule=self.selection.rule)),
                (tr("Stable personas"), tr("{n} of {k}", n=n_stable, k=self.k),
                 tr("bootstrap ARI {ari} over {n} refits", ari=f"{st.mean_ari:.2f}", n=st.n_boot)),
                (tr("Largest persona"), fmt.pct(h["largest_share"]),
                 tr("{persona}; share of the {n} clustered users",
                    persona=f"{largest} {self.profiles.names(lang)[largest]}",
                    n=fmt.count(h["clustered_users"]))),
            ]
        else:
            items += [(tr("Personas"), "–", ""), (tr("Stable personas"), "–", ""),
                      (tr("Largest persona"), "–", "")]
        items.append((tr("Customers (RFM)"), fmt.count(h["customers"]) if h["customers"] is not None
                      else "–", tr("users with an order in the window")))
        return items

    def who_is_in_the_data(self, lang: str = "en") -> pd.DataFrame:
        tr = Translator(lang)
        f = self.features.frame
        low = self.features.low_activity
        n = self.features.min_events
        return pd.DataFrame([
            (tr("users with an event in the window"), len(f)),
            (tr("clustered (at least {n} events)", n=n), int((~low).sum())),
            (tr("fewer than {n} events (assigned, flagged)", n=n), int(low.sum())),
            (tr("users with an order"), int((f["orders"] > 0).sum())),
            (tr("median active days"), float(f["active_days"].median())),
            (tr("median events"), float(f["events"].median())),
        ], columns=["measure", "value"]).assign(value=lambda d: d["value"].map(fmt.count))

    def persona_table(self, lang: str = "en") -> pd.DataFrame:
        s = self.profiles.table(lang).merge(self.stability.to_frame(), on="persona")
        s["verdict"] = s["verdict"].map(lambda v: translate(v, lang))
        return s[["persona", "name", "users", "share", "mean_jaccard", "verdict", "description"]]

    def actions(self) -> list[dict]:
        """Per persona: its main RFM segment among buyers (a code and counts) and up to two
        action keys from :data:`ACTIONS` (its most distinctive features first)."""
        out = []
        seg = (self.rfm.crosstab(self.assignments.set_index("user_id")["persona"])
               .drop(index=NO_ORDER, errors="ignore"))
        for _, r in self.profiles.summary.iterrows():
            p = r["persona"]
            z = self.profiles.zmeans.loc[p]
            acts: list[str] = []
            for f in z.abs().sort_values(ascending=False).index:
                for feat, sign, text in ACTIONS:
                    if (feat == f and np.sign(z[f]) == sign and abs(z[f]) >= 0.4
                            and text not in acts):
                        acts.append(text)
                if len(acts) == 2:
                    break
            col = seg[p] if p in seg else pd.Series(dtype=float)
            main = ({"segment": col.idxmax(), "users": int(col.max()), "buyers": int(col.sum())}
                    if col.sum() else None)
            out.append({"persona": p, "users": int(r["users"]), "main_segment": main,
                        "actions": acts})
        return out

    def action_table(self, lang: str = "en") -> pd.DataFrame:
        tr = Translator(lang)
        names = self.profiles.names(lang)
        rows = []
        for a in self.actions():
            m = a["main_segment"]
            top = (tr("{segment} ({n} of {buyers} buyers)", segment=m["segment"],
                      n=fmt.count(m["users"]), buyers=fmt.count(m["buyers"])) if m else "–")
            acts = [tr(x) for x in a["actions"]]
            what = (tr("{first}; {second}", first=acts[0], second=acts[1]) if len(acts) == 2
                    else acts[0] if acts else tr(NO_LEVER))
            rows.append((a["persona"], names[a["persona"]], a["users"], top, what))
        return pd.DataFrame(rows, columns=["persona", "name", "users", "main RFM segment",
                                           "what to do"])

    def summary_personas(self) -> list[dict]:
        st = self.stability.to_frame().set_index("persona")
        names, desc = self.profiles.names("en"), self.profiles.descriptions("en")
        out = []
        for _, r in self.profiles.summary.iterrows():
            p = r["persona"]
            out.append({"persona": p, "name": names[p], "description": desc[p],
                        "users": int(r["users"]), "share": float(r["share"]),
                        "top_features": list(r["top_features"]),
                        "top_standardised_means": list(r["top_z"]),
                        "mean_jaccard": float(st.loc[p, "mean_jaccard"]),
                        "verdict": st.loc[p, "verdict"]})
        return out

    def sections(self) -> dict:
        out: dict = {}
        if self.has_personas:
            out.update(chosen_k=self.k, k_reason=k_reason(self.selection, "en"),
                       selection_scores=self.selection.to_frame(),
                       stability=self.stability.headline(), personas=self.summary_personas())
        if self.runs("rfm") and self.rfm is not None:
            out.update(rfm_segments=self.rfm.counts()[["segment", "users", "share"]],
                       rfm_rules=rule_table(self.rfm.rules))
        if self.features is not None:
            out["features"] = {"model": self.model_features, "categorical": self.categorical,
                               "transformation": (self.transformer.record_
                                                  if self.transformer is not None else None),
                               "dropped": [list(d) for d in self.features.dropped]}
        if self.exported is not None:
            out["export"] = {"path": str(self.exported), "users": len(self.assignments)}
        return out

    def check_lines(self) -> list[str]:
        h = self.headline()
        lines = [f"window: {self.window.label()}"]
        if self.features is not None:
            lines.append(f"users: {h['users']:,}; clustered: {h['clustered_users']:,}; "
                         f"low activity: {h['low_activity_users']:,}")
        if self.has_personas:
            lines.append(f"method: {self.method}; k: {self.k} (rule {self.selection.rule}); "
                         f"stability ARI: {self.stability.mean_ari:.2f}")
            st = self.stability.to_frame().set_index("persona")
            names = self.profiles.names("en")
            for _, r in self.profiles.summary.iterrows():
                p = r["persona"]
                lines.append(f"{p} {names[p]}: {r['users']:,} users, "
                             f"Jaccard {st.loc[p, 'mean_jaccard']:.2f} ({st.loc[p, 'verdict']})")
        if self.runs("rfm") and self.rfm is not None:
            c = self.rfm.counts()
            lines.append("RFM: " + ", ".join(f"{s} {u:,}"
                                             for s, u in zip(c["segment"], c["users"])))
        return lines

    # ------------------------------------------------------------------ sections
    def show(self, key: str, lang: str = "en") -> list:
        blocks = super().show(key, lang)
        if key == "actions" and self.exported is not None:
            blocks.append(html.paragraph(translate(
                "assignments written to {path} ({n} users)", lang, path=str(self.exported),
                n=f"{len(self.assignments):,}"), small=True))
        return blocks

    def show_who(self, lang: str) -> list:
        return [html.table(self.who_is_in_the_data(lang), caption="Users in the window", lang=lang)]

    def show_k(self, lang: str) -> list:
        scores = self.selection.to_frame().dropna(axis=1, how="all")
        fig = np.ravel(self.selection.plot(lang=lang))[0].figure
        return [fig, html.paragraph(k_reason(self.selection, lang)),
                html.table(scores, {c: f for c, f in SCORE_FORMATS.items() if c in scores},
                           caption="Selection scores per k", lang=lang)]

    def show_stability(self, lang: str) -> list:
        return [self.stability.plot(lang=lang)]

    def show_personas(self, lang: str) -> list:
        return [html.table(self.persona_table(lang), {"users": "count", "share": "pct",
                                                      "mean_jaccard": "number"},
                           caption="Personas: size, stability and what sets them apart", lang=lang),
                self.profiles.plot_lift(features=self.model_features, lang=lang),
                self.profiles.plot_snake(lang=lang), self.plot_map(lang=lang)]

    def show_makeup(self, lang: str) -> list:
        out = [self.profiles.plot_makeup(c, lang=lang) for c in MAKEUP_CHARTS
               if c in self.categorical_shown()]
        out.append(html.table(self.profiles.over_represented_table(lang=lang),
                              {"share": "pct", "population_share": "pct", "ratio": "number"},
                              caption="Over-represented profile values (at least 1.2 times the "
                                      "population share)", lang=lang))
        return out

    def show_rfm(self, lang: str) -> list:
        out = [self.rfm.plot(lang=lang),
               html.table(rule_display(self.rfm.rules, lang),
                          caption="RFM rule table (first match wins; no match: Other)", lang=lang)]
        if self.has_personas:
            ct = self.rfm.crosstab_display(self.assignments.set_index("user_id")["persona"], lang)
            out.append(html.table(ct, {c: "count" for c in ct.columns if c != "segment"},
                                  caption="RFM segment by persona (users)", lang=lang))
        return out

    def show_actions(self, lang: str) -> list:
        return [html.table(self.action_table(lang), {"users": "count"},
                           caption="Suggested levers, from each persona's most distinctive "
                                   "features", lang=lang)]

    def categorical_shown(self) -> list[str]:
        """The profile columns with at least one value (those the make-up section shows)."""
        f = self.features.frame
        return [c for c in self.features.categorical if f[c].notna().any()]

    # ------------------------------------------------------------------ charts
    def plot_map(self, ax=None, max_points: int = 4000, lang: str = "en"):
        """2-D map of the users on the first two principal components."""
        from sklearn.decomposition import PCA

        tr = Translator(lang)
        if ax is None:
            _, ax = style.new_figure(height=5.0)
        pca = PCA(min(2, self.X.shape[1]), random_state=self.seed).fit(self.X)
        rng = np.random.default_rng(self.seed)
        idx = np.arange(len(self.X))
        if len(idx) > max_points:
            idx = np.sort(rng.choice(idx, max_points, replace=False))
        P = _two_columns(pca.transform(self.X[idx]))
        lab = self.model.labels_[idx]
        names = self.profiles.names(lang)
        for j in range(self.k):
            sel = lab == j
            pid = f"P{j + 1}"
            ax.scatter(P[sel, 0], P[sel, 1], s=6, alpha=0.45, color=style.PALETTE[j % 10],
                       label=f"{pid} {names[pid]}", lw=0)
        C = _two_columns(pca.transform(self.model.cluster_centers_))
        for j, (x, y) in enumerate(C):
            ax.text(x, y, f"P{j + 1}", fontsize=10, fontweight="bold", ha="center", va="center",
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="#555", alpha=0.85))
        ev = np.append(pca.explained_variance_ratio_, [0.0, 0.0])
        ax.set_xlabel(tr("PC{i} ({share} of variance)", i=1, share=f"{ev[0]:.0%}"))
        ax.set_ylabel(tr("PC{i} ({share} of variance)", i=2, share=f"{ev[1]:.0%}"))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, markerscale=3)
        style.titled(ax, tr("Map of users by persona"),
                     tr("Principal components of the standardised model features; {n} clustered "
                        "users shown; labels mark persona centres.", n=f"{len(idx):,}"))
        return ax


def _two_columns(P: np.ndarray) -> np.ndarray:
    """Principal-component coordinates with a second (zero) column when there is one feature."""
    return P if P.shape[1] >= 2 else np.column_stack([P[:, 0], np.zeros(len(P))])
