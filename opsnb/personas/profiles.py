"""What each persona is: size, feature means and medians, lift, categorical make-up, a name.

* **lift** of a feature for a persona: persona mean / population mean - 1;
* **standardised mean** (the snake plot): the persona's mean of the standardised
  model feature (log1p for skewed counts, then z-score), i.e. how many standard
  deviations the persona sits from the average user;
* **categorical make-up**: share of each region / device / age band / gender /
  channel in the persona, and its ratio to the population share;
* **names**: generated from the most distinctive features (largest absolute
  standardised means): up to two modifiers (time of day, activity, recency) and a
  noun (what they do most), e.g. "Night-owl heavy content viewers"; the one-line
  description quotes the top three features. Pass ``names={"P1": "...", ...}`` (or
  ``{"P1": ("name", "description")}``) to replace them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from opsnb.report import fmt, style
from opsnb.report.i18n import language
from opsnb.report.i18n import t as tr

# feature -> (word when high, word when low); modifiers go before the noun
MODIFIERS = {
    "hour_22_02": ("Night-owl", None), "hour_02_06": ("Small-hours", None),
    "hour_06_10": ("Morning", None), "hour_10_14": ("Midday", None),
    "hour_14_18": ("Afternoon", None), "hour_18_22": ("Evening", None),
    "active_days": ("Loyal", "Occasional"), "events_per_active_day": ("Heavy", "Light"),
    "sessions_per_active_day": ("Frequent", None), "days_since_last": ("Lapsed", "Recent"),
    "tenure_days": ("Long-standing", "New"), "events": ("Heavy", "Light"),
    "sessions": ("Regular", "Rare"),
}
NOUNS = {
    "mix_view_item": "item browsers", "mix_search": "searchers",
    "mix_claim_coupon": "coupon hunters", "mix_view_content": "content viewers",
    "mix_like": "content fans", "mix_share": "sharers", "mix_add_to_cart": "cart fillers",
    "mix_purchase": "buyers", "orders": "repeat buyers", "avg_order_value": "big-basket buyers",
    "revenue": "top spenders", "content_items": "content explorers",
    "content_breadth": "content explorers",
}
LABELS = {
    "active_days": "active days", "sessions": "sessions", "events": "events",
    "events_per_active_day": "events per active day",
    "sessions_per_active_day": "sessions per active day",
    "days_since_last": "days since last visit", "content_items": "distinct content items",
    "content_breadth": "distinct items per content event", "orders": "orders",
    "revenue": "revenue", "avg_order_value": "average order value", "tenure_days": "tenure (days)",
}


def _event(name: str) -> str:
    """An event name as the report shows it (``view_item`` -> 浏览商品 in Chinese)."""
    from opsnb.personas.zh import EVENTS
    return EVENTS.get(name, name) if language() == "zh" else name


def feature_label(name: str) -> str:
    """A feature's name in the report language."""
    if name.startswith("mix_"):
        return tr("share of {event} events", event=_event(name[4:]))
    if name.startswith("hour_"):
        a, b = name[5:].split("_")
        return tr("share of events {a}:00-{b}:00 local", a=a, b=b)
    return tr(LABELS.get(name, name.replace("_", " ")))


def attribute_label(column: str) -> str:
    """A profile attribute (a users column) as the report shows it: ``age_band`` -> "age band"."""
    return tr(column.replace("_", " "))


# ordinal labels: "18-24", "45+", "<18", "3", "1.5-2"
_ORDINAL = re.compile(r"^\s*(<|>)?\s*(\d+(?:\.\d+)?)\s*(?:[-\u2013]\s*\d+(?:\.\d+)?|\+)?\s*$")


def category_order(shares: pd.Series) -> list:
    """Display order of a column's values (``shares`` indexed by value).

    Ordinal labels (all of the form "18-24", "45+", "<18") in their natural order, empty
    last; any other categories by share, largest first.
    """
    vals = list(shares.sort_values(ascending=False, kind="stable").index)
    named = [v for v in vals if v != "(empty)"]
    keys = {v: _ORDINAL.match(str(v)) for v in named}
    if not named or not all(keys.values()):
        return vals

    def key(v):
        m = keys[v]
        return float(m.group(2)) + {"<": -0.5, ">": 0.5}.get(m.group(1), 0.0)

    return sorted(named, key=key) + [v for v in vals if v == "(empty)"]


def format_value(name: str, v: float) -> str:
    if name.startswith(("mix_", "hour_")) or name == "content_breadth":
        return fmt.pct(v)
    if name in ("revenue", "avg_order_value"):
        return fmt.money(v)
    return fmt.number(v, 1)


@dataclass
class Profiles:
    """Per-persona summary, feature statistics, lift and make-up."""

    summary: pd.DataFrame      # persona, name, description, users, share, top_features
    means: pd.DataFrame        # persona x feature (raw scale)
    medians: pd.DataFrame
    lift: pd.DataFrame         # persona x feature
    zmeans: pd.DataFrame       # persona x model feature (standardised)
    makeup: pd.DataFrame       # column, value, persona, share, population_share, ratio
    population_mean: pd.Series

    def to_frame(self) -> pd.DataFrame:
        return self.summary.copy()

    def names(self) -> dict:
        return dict(zip(self.summary["persona"], self.summary["name"]))

    def feature_table(self, features=None) -> pd.DataFrame:
        """Mean, median and lift per persona for the chosen features (long form)."""
        features = list(features or self.means.columns)
        rows = []
        for p in self.means.index:
            for f in features:
                rows.append((p, f, self.means.loc[p, f], self.medians.loc[p, f],
                             self.population_mean[f], self.lift.loc[p, f]))
        return pd.DataFrame(rows, columns=["persona", "feature", "mean", "median",
                                           "population_mean", "lift"])

    def over_represented(self, min_ratio: float = 1.2, top: int = 3) -> pd.DataFrame:
        m = self.makeup[(self.makeup["ratio"] >= min_ratio) & (self.makeup["users"] >= 5)]
        return (m.sort_values(["persona", "ratio"], ascending=[True, False])
                .groupby("persona").head(top).reset_index(drop=True))

    def over_represented_table(self, min_ratio: float = 1.2, top: int = 3) -> pd.DataFrame:
        """:meth:`over_represented` for display: the attribute in words, in the report language."""
        m = self.over_represented(min_ratio, top)
        return pd.DataFrame({"persona": m["persona"], "attribute": m["column"].map(attribute_label),
                             "value": m["value"], "share": m["share"],
                             "population_share": m["population_share"], "ratio": m["ratio"]})

    # ------------------------------------------------------------------ plots
    def _ylabels(self):
        n = self.names()
        return [f"{p} {n[p]}" for p in self.zmeans.index]

    def plot_lift(self, ax=None, features=None):
        import matplotlib.pyplot as plt
        import seaborn as sns

        features = list(features or self.zmeans.columns)
        lift = self.lift[features].clip(-1, 3)
        if ax is None:
            _, ax = plt.subplots(figsize=(max(9, 0.55 * len(features) + 3), 0.5 * len(lift) + 2.6))
        from matplotlib.ticker import PercentFormatter

        # the cells and the colour bar both in percent (lift 0.5 = +50%)
        annot = self.lift[features].map(lambda v: f"{v:+.0%}" if np.isfinite(v) else "")
        sns.heatmap(lift, ax=ax, cmap="RdBu_r", center=0, vmin=-1, vmax=3, annot=annot, fmt="",
                    annot_kws={"fontsize": 7}, cbar_kws={"label": tr("lift (clipped at -100% / +300%)")})
        cbar = ax.collections[0].colorbar
        cbar.ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_yticklabels(self._ylabels(), rotation=0)
        ax.set_xticklabels([feature_label(f) for f in features], rotation=60, ha="right",
                           fontsize=8)
        ax.set_xlabel("")
        ax.set_ylabel("")
        style.titled(ax, tr("Lift of each feature by persona"),
                     tr("Lift in %: persona mean / mean of all users - 1 (colours clipped at -100% / "
                        "+300%); red above the average user, blue below."))
        return ax

    def plot_snake(self, ax=None):
        if ax is None:
            _, ax = style.new_figure(height=4.6)
        z = self.zmeans
        x = np.arange(z.shape[1])
        colors = style.PALETTE
        for i, (p, lab) in enumerate(zip(z.index, self._ylabels())):
            ax.plot(x, z.loc[p].to_numpy(), marker="o", ms=4, lw=1.6, label=lab,
                    color=colors[i % len(colors)])
        ax.axhline(0, color="#888", lw=0.8)
        ax.set_xticks(x, [feature_label(f) for f in z.columns], rotation=60, ha="right",
                      fontsize=8)
        ax.set_ylabel(tr("standard deviations from the average user"))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
        style.titled(ax, tr("Snake plot: standardised feature means"),
                     tr("Each persona's mean of the model features after log1p (skewed counts) and "
                        "standardisation; 0 is the average user."))
        return ax

    def plot_makeup(self, column: str, ax=None):
        if ax is None:
            _, ax = style.new_figure(height=3.4)
        m = self.makeup[self.makeup["column"] == column]
        wide = m.pivot_table(index="persona", columns="value", values="share", fill_value=0)
        pop = m.drop_duplicates("value").set_index("value")["population_share"]
        wide.loc[tr("All users")] = pop.reindex(wide.columns).fillna(0)
        order = category_order(pop)
        wide = wide[order].iloc[::-1]
        cmap = style.colors_for(order)
        left = np.zeros(len(wide))
        for v in order:
            ax.barh(np.arange(len(wide)), wide[v].to_numpy(), left=left, label=v, color=cmap[v])
            left += wide[v].to_numpy()
        n = self.names()
        ax.set_yticks(np.arange(len(wide)), [f"{p} {n.get(p, '')}".strip() for p in wide.index],
                      fontsize=8.5)
        style.percent_axis(ax, "x")
        ax.set_xlim(0, 1)
        ax.grid(axis="y", visible=False)
        label = column.replace("_", " ")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title=attribute_label(column),
                  fontsize=8)
        style.titled(ax, tr("{column} make-up by persona", column=label.capitalize()),
                     tr("Share of each persona's users by {column}; the bottom bar is all users.",
                        column=label))
        return ax


def profile(frame: pd.DataFrame, labels: np.ndarray, model_features: list[str], Z: np.ndarray,
            categorical: list[str], names: dict | None = None,
            profile_features: list[str] | None = None) -> Profiles:
    """Profiles of the personas ``labels`` (ids 0..k-1 -> "P1".."Pk") of the users in ``frame``."""
    k = int(labels.max()) + 1
    pid = np.array([f"P{i + 1}" for i in range(k)])[labels]
    num = list(profile_features or model_features)
    data = frame[num].astype(float)
    g = data.groupby(pid)
    means, medians = g.mean(), g.median()
    pop = data.mean()
    lift = means / pop.where(pop != 0) - 1
    zm = pd.DataFrame(Z, index=frame.index, columns=model_features).groupby(pid).mean()
    sizes = pd.Series(pid).value_counts().reindex(zm.index)
    rows = []
    for p in zm.index:
        z = zm.loc[p]
        top = list(z.abs().sort_values(ascending=False).index[:3])
        name = generate_name(z)
        desc = ("；" if language() == "zh" else "; ").join(
            tr("{feature} {value} (all users {all})", feature=feature_label(f),
               value=format_value(f, means.loc[p, f]), all=format_value(f, pop[f])) for f in top)
        rows.append((p, name, desc[0].upper() + desc[1:], int(sizes[p]), top,
                     [round(float(z[f]), 2) for f in top]))
    summary = pd.DataFrame(rows, columns=["persona", "name", "description", "users", "top_features",
                                          "top_z"])
    summary["share"] = summary["users"] / summary["users"].sum()
    # make names unique
    dup = summary["name"].duplicated(keep=False)
    summary.loc[dup, "name"] = summary.loc[dup, "name"] + " (" + summary.loc[dup, "persona"] + ")"
    if names:
        for key, val in names.items():
            hit = (summary["persona"] == key) | (summary["name"] == key)
            if not hit.any():
                from opsnb.errors import ParameterError
                raise ParameterError(f"names: {key!r} is neither a persona id (P1..P{k}) nor a "
                                     "generated name")
            if isinstance(val, (tuple, list)):
                summary.loc[hit, "name"], summary.loc[hit, "description"] = val[0], val[1]
            else:
                summary.loc[hit, "name"] = val
    mk = []
    for c in categorical:
        col = frame[c].astype(object).where(frame[c].notna(), "(empty)")
        popshare = col.value_counts(normalize=True)
        ct = pd.crosstab(pid, col)
        share = ct.div(ct.sum(axis=1), axis=0)
        for p in share.index:
            for v in share.columns:
                mk.append((c, v, p, int(ct.loc[p, v]), float(share.loc[p, v]), float(popshare[v]),
                           float(share.loc[p, v] / popshare[v])))
    makeup = pd.DataFrame(mk, columns=["column", "value", "persona", "users", "share",
                                       "population_share", "ratio"])
    summary = summary[["persona", "name", "description", "users", "share", "top_features", "top_z"]]
    return Profiles(summary, means, medians, lift, zm, makeup, pop)


def generate_name(z: pd.Series, threshold: float = 0.4) -> str:
    """A short name from standardised means: up to two modifiers and a noun."""
    order = z.abs().sort_values(ascending=False).index
    noun = None
    for f in order:
        if f in NOUNS and z[f] > threshold:
            noun = NOUNS[f]
            break
    mods = []
    for f in order:
        if f not in MODIFIERS or abs(z[f]) < threshold:
            continue
        word = MODIFIERS[f][0] if z[f] > 0 else MODIFIERS[f][1]
        if word and word not in mods:
            mods.append(word)
        if len(mods) == 2:
            break
    if language() == "zh":
        from opsnb.personas.zh import NAME_WORDS
        return "".join(NAME_WORDS.get(w, w) for w in mods + [noun or "users"])
    words = mods + [noun or "users"]
    text = " ".join(w if i == 0 else w.lower() if w[0].isupper() and "-" not in w else w.lower()
                    for i, w in enumerate(words))
    return text[0].upper() + text[1:]
