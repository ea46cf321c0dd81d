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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from opsnb.errors import ParameterError
from opsnb.personas.present import (attribute_label, describe, feature_label, format_value,
                                    generate_name)
from opsnb.report import style
from opsnb.report.i18n import Translator

__all__ = ["Profiles", "attribute_label", "category_order", "feature_label", "format_value",
           "generate_name", "profile"]


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


@dataclass
class Profiles:
    """Per-persona summary, feature statistics, lift and make-up.

    The summary holds codes and numbers (persona ids, top feature names); names and
    descriptions are made in the report language by :meth:`names`, :meth:`descriptions`
    and :meth:`table`, unless the user gave them (``custom``).
    """

    summary: pd.DataFrame      # persona, users, share, top_features, top_z
    means: pd.DataFrame        # persona x feature (raw scale)
    medians: pd.DataFrame
    lift: pd.DataFrame         # persona x feature
    zmeans: pd.DataFrame       # persona x model feature (standardised)
    makeup: pd.DataFrame       # column, value, persona, share, population_share, ratio
    population_mean: pd.Series
    custom: dict = field(default_factory=dict)  # persona -> (name, description or None)

    def to_frame(self) -> pd.DataFrame:
        return self.summary.copy()

    def names(self, lang: str = "en") -> dict:
        """Persona id -> name in ``lang``: the user's, or generated (made unique with the id)."""
        names = {p: self.custom[p][0] if p in self.custom
                 else generate_name(self.zmeans.loc[p], lang) for p in self.summary["persona"]}
        seen = pd.Series(list(names.values()))
        dup = set(seen[seen.duplicated(keep=False)])
        return {p: f"{n} ({p})" if n in dup else n for p, n in names.items()}

    def descriptions(self, lang: str = "en") -> dict:
        """Persona id -> one line quoting its three most distinctive features (or the user's)."""
        out = {}
        for _, r in self.summary.iterrows():
            p = r["persona"]
            given = self.custom.get(p, (None, None))[1]
            out[p] = given if given is not None else describe(
                list(r["top_features"]), self.means.loc[p], self.population_mean, lang)
        return out

    def table(self, lang: str = "en") -> pd.DataFrame:
        """The summary with each persona's name and description in ``lang``."""
        s = self.summary.copy()
        s.insert(1, "name", s["persona"].map(self.names(lang)))
        s.insert(2, "description", s["persona"].map(self.descriptions(lang)))
        return s

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

    def over_represented_table(self, min_ratio: float = 1.2, top: int = 3,
                               lang: str = "en") -> pd.DataFrame:
        """:meth:`over_represented` for display: the attribute in words, in ``lang``."""
        m = self.over_represented(min_ratio, top)
        return pd.DataFrame({"persona": m["persona"],
                             "attribute": m["column"].map(lambda c: attribute_label(c, lang)),
                             "value": m["value"], "share": m["share"],
                             "population_share": m["population_share"], "ratio": m["ratio"]})

    # ------------------------------------------------------------------ plots
    def _ylabels(self, lang: str):
        n = self.names(lang)
        return [f"{p} {n[p]}" for p in self.zmeans.index]

    def plot_lift(self, ax=None, features=None, lang: str = "en"):
        import matplotlib.pyplot as plt
        import seaborn as sns

        tr = Translator(lang)
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
        ax.set_yticklabels(self._ylabels(lang), rotation=0)
        ax.set_xticklabels([feature_label(f, lang) for f in features], rotation=60, ha="right",
                           fontsize=8)
        ax.set_xlabel("")
        ax.set_ylabel("")
        style.titled(ax, tr("Lift of each feature by persona"),
                     tr("Lift in %: persona mean / mean of all users - 1 (colours clipped at -100% / "
                        "+300%); red above the average user, blue below."))
        return ax

    def plot_snake(self, ax=None, lang: str = "en"):
        tr = Translator(lang)
        if ax is None:
            _, ax = style.new_figure(height=4.6)
        z = self.zmeans
        x = np.arange(z.shape[1])
        colors = style.PALETTE
        for i, (p, lab) in enumerate(zip(z.index, self._ylabels(lang))):
            ax.plot(x, z.loc[p].to_numpy(), marker="o", ms=4, lw=1.6, label=lab,
                    color=colors[i % len(colors)])
        ax.axhline(0, color="#888", lw=0.8)
        ax.set_xticks(x, [feature_label(f, lang) for f in z.columns], rotation=60, ha="right",
                      fontsize=8)
        ax.set_ylabel(tr("standard deviations from the average user"))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
        style.titled(ax, tr("Snake plot: standardised feature means"),
                     tr("Each persona's mean of the model features after log1p (skewed counts) and "
                        "standardisation; 0 is the average user."))
        return ax

    def plot_makeup(self, column: str, ax=None, lang: str = "en"):
        tr = Translator(lang)
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
        n = self.names(lang)
        ax.set_yticks(np.arange(len(wide)), [f"{p} {n.get(p, '')}".strip() for p in wide.index],
                      fontsize=8.5)
        style.percent_axis(ax, "x")
        ax.set_xlim(0, 1)
        ax.grid(axis="y", visible=False)
        label = column.replace("_", " ")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title=attribute_label(column, lang),
                  fontsize=8)
        style.titled(ax, tr("{column} make-up by persona", column=label.capitalize()),
                     tr("Share of each persona's users by {column}; the bottom bar is all users.",
                        column=label))
        return ax


def profile(frame: pd.DataFrame, labels: np.ndarray, model_features: list[str], Z: np.ndarray,
            categorical: list[str], names: dict | None = None,
            profile_features: list[str] | None = None) -> Profiles:
    """Profiles of the personas ``labels`` (ids 0..k-1 -> "P1".."Pk") of the users in ``frame``.

    ``names`` maps a persona id (or its generated English name) to a name, or to a
    ``(name, description)`` pair, that replaces the generated ones.
    """
    k = int(labels.max()) + 1
    ids = [f"P{i + 1}" for i in range(k)]
    pid = np.array(ids)[labels]
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
        rows.append((p, int(sizes[p]), top, [round(float(z[f]), 2) for f in top]))
    summary = pd.DataFrame(rows, columns=["persona", "users", "top_features", "top_z"])
    summary["share"] = summary["users"] / summary["users"].sum()
    summary = summary[["persona", "users", "share", "top_features", "top_z"]]
    mk = []
    for c in categorical:
        ct = makeup_counts(frame[c], labels, k).set_axis(ids, axis=0)
        n_of = ct.sum(axis=0)
        popshare = n_of / n_of.sum()
        share = ct.div(ct.sum(axis=1), axis=0)
        for p in zm.index:  # the persona ids sorted as text (P1, P10, P2), as a crosstab had them
            for v in ct.columns:
                mk.append((c, v, p, int(ct.loc[p, v]), float(share.loc[p, v]), float(popshare[v]),
                           float(share.loc[p, v] / popshare[v])))
    makeup = pd.DataFrame(mk, columns=["column", "value", "persona", "users", "share",
                                       "population_share", "ratio"])
    out = Profiles(summary, means, medians, lift, zm, makeup, pop)
    if names:
        generated = out.names("en")
        for key, val in names.items():
            hit = [p for p in summary["persona"] if key in (p, generated[p])]
            if not hit:
                raise ParameterError(f"names: {key!r} is neither a persona id (P1..P{k}) nor a "
                                     "generated name")
            for p in hit:
                out.custom[p] = ((str(val[0]), str(val[1])) if isinstance(val, (tuple, list))
                                 else (str(val), None))
    return out


def makeup_counts(col: pd.Series, labels: np.ndarray, k: int) -> pd.DataFrame:
    """Users per persona (rows 0..k-1) and value of one profile column (columns: the values
    present, sorted, missing ones as "(empty)"), counted from the column's category codes
    with one bincount: at 5M users a crosstab of Python strings took seconds and gigabytes."""
    cats = col.astype("category")  # (a categorical column stays as it is)
    codes = cats.cat.codes.to_numpy().astype(np.int64)
    values = list(cats.cat.categories)
    if (codes < 0).any():
        if "(empty)" not in values:
            values.append("(empty)")
        codes = np.where(codes < 0, values.index("(empty)"), codes)
    m = len(values)
    counts = np.bincount(np.asarray(labels, dtype=np.int64) * m + codes,
                         minlength=k * m).reshape(k, m)
    ct = pd.DataFrame(counts, columns=pd.Index(values, dtype=object))
    ct = ct.loc[:, counts.sum(axis=0) > 0]  # values only users outside this frame hold
    try:
        order = sorted(ct.columns)
    except TypeError:  # mixed types (numbers and "(empty)"): sort as text
        order = sorted(ct.columns, key=str)
    return ct[order]
