"""Segment breakdown: the effect by user attribute, corrected, with a heterogeneity test.

For each attribute (channel, device, region, persona when the users table has it) the
metric's effect is estimated within each level. The p-values of all segment cells get the
report's multiple-testing correction, and Cochran's Q test asks whether the effect differs
between the levels at all: Q = Σ wᵢ (dᵢ − d̄)², wᵢ = 1/seᵢ², d̄ = Σ wᵢdᵢ / Σ wᵢ, compared
with a chi-square on k − 1 degrees of freedom. A subgroup "win" without a significant Q is
not a finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd
from scipy import stats as st

from opsnb.errors import ParameterError
from opsnb.experiments.aggregates import Moments, _sums, _tidy
from opsnb.experiments.marks import INVALID_COLOR, invalid_text, mark_invalid, with_note
from opsnb.experiments.metrics import Metric, metric_columns
from opsnb.experiments.multiplicity import adjust
from opsnb.experiments.stats import compare
from opsnb.report.fmt import p_value
from opsnb.report import style
from opsnb.report.i18n import Translator

MIN_USERS = 30  # per arm and level; smaller cells are listed but not tested


def cochran_q(effects, ses) -> tuple[float, float]:
    """(Q, p-value) of the heterogeneity of independent estimates."""
    d, s = np.asarray(effects, float), np.asarray(ses, float)
    ok = np.isfinite(d) & np.isfinite(s) & (s > 0)
    d, w = d[ok], 1 / s[ok] ** 2
    if len(d) < 2:
        return float("nan"), float("nan")
    mean = (w * d).sum() / w.sum()
    q = float((w * (d - mean) ** 2).sum())
    return q, float(st.chi2.sf(q, len(d) - 1))


@dataclass
class Segments:
    metric: str
    table: pd.DataFrame         # attribute, level, comparison, n, means, effects, p, p_adjusted
    heterogeneity: pd.DataFrame  # attribute, comparison, q, df, p_value
    correction: str
    alpha: float
    experiment: str = ""     # the experiment id, named in the chart title
    invalid: str = ""        # "srm" / "invalid" when the experiment's verdict is invalid

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def heterogeneity_frame(self, lang: str = "en") -> pd.DataFrame:
        """The heterogeneity tests for the report, the attribute in the report language."""
        tx = Translator(lang)
        return self.heterogeneity.assign(attribute=self.heterogeneity["attribute"].map(tx),
                                         p_value=self.heterogeneity["p_value"].map(p_value))

    def plot(self, comparison: str, ax=None, lang: str = "en"):
        tx = Translator(lang)
        t = self.table[(self.table["comparison"] == comparison) & self.table["tested"]]
        if ax is None:
            _, ax = style.new_figure(height=max(2.5, 0.28 * len(t) + 1.6))
        y = np.arange(len(t))[::-1]
        note = invalid_text(self.invalid, lang)
        colors = [INVALID_COLOR if note else style.PALETTE[3] if s else style.PALETTE[0]
                  for s in t["significant"]]
        ax.errorbar(t["rel_effect"], y, xerr=[t["rel_effect"] - t["rel_lo"], t["rel_hi"] - t["rel_effect"]],
                    fmt="none", ecolor="#888888", lw=1.2)
        ax.scatter(t["rel_effect"], y, color=colors, zorder=3)
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_yticks(y, [f"{tx(a)}: {lv}" for a, lv in zip(t["attribute"], t["level"])])
        style.percent_axis(ax, "x")
        het = self.heterogeneity[self.heterogeneity["comparison"] == comparison]
        het_note = "; ".join(f"{tx(r.attribute)} Q p {p_value(r.p_value)}" for r in het.itertuples())
        title = (tx("{experiment}: {metric} by segment, {comparison}", experiment=self.experiment,
                    metric=self.metric, comparison=comparison) if self.experiment else
                 tx("{metric} by segment: {comparison}", metric=self.metric, comparison=comparison))
        definition = tx("Relative effect with its unadjusted {level} interval per segment; red: "
                        "significant after {correction} correction. Heterogeneity: {note}.",
                        level=f"{1 - self.alpha:.0%}", correction=self.correction, note=het_note)
        style.titled(ax, title, with_note(note, definition, lang))
        mark_invalid(ax, note)
        return ax


def _segment_moments(user_table: ibis.Table, users: ibis.Table, metric: Metric,
                     attributes: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Per attribute: the moments by (level, variant), as ``variant_moments`` gives them.

    One join of the per-user table with the users table and one query for every attribute
    (a UNION ALL of the per-attribute aggregates over the shared join).
    """
    if not attributes:
        return {}
    lv = {f"opsnb_lvl{i}": users[a].cast("string").fill_null("(empty)") for i, a in enumerate(attributes)}
    u = users.select(seg_uid=users.user_id, **lv)
    j = user_table.join(u, user_table.user_id == u.seg_uid)
    cols = metric_columns(j, metric)
    parts = []
    for i, attr in enumerate(attributes):
        aggs = {"n": j.count(), **_sums(cols)}
        parts.append(j.group_by(["variant", j[f"opsnb_lvl{i}"].name("level")]).aggregate(**aggs)
                     .mutate(opsnb_attr=ibis.literal(i, type="int64")))
    df = (ibis.union(*parts) if len(parts) > 1 else parts[0]).to_pandas()
    return {attr: _tidy(df[df["opsnb_attr"] == i].drop(columns="opsnb_attr")[
        ["level", "variant", *[c for c in df.columns if c not in ("level", "variant", "opsnb_attr")]]],
        ("level", "variant")) for i, attr in enumerate(attributes)}


def segment_effects(user_table: ibis.Table, users: ibis.Table, metric: Metric,
                    attributes: Sequence[str], control: str, treatments: Sequence[str],
                    alpha: float = 0.05, correction: str = "holm") -> Segments:
    """Effects of ``metric`` within each level of each attribute (moments computed by Ibis)."""
    if metric.kind not in ("proportion", "mean", "ratio"):
        raise ParameterError(f"segments need a proportion, mean or ratio metric; "
                             f"{metric.name!r} is a {metric.kind}")
    bad = [a for a in attributes if a not in users.columns or a == "user_id"]
    if bad:
        raise ParameterError(f"segment attribute(s) {', '.join(bad)} are not users columns; "
                             f"choose from {', '.join(c for c in users.columns if c != 'user_id')}")
    rows, het = [], []
    moments = _segment_moments(user_table, users, metric, attributes)
    for attr in attributes:
        mom = moments[attr]
        for tr in treatments:
            cells = []
            for level, g in mom.groupby("level"):
                by = {r["variant"]: Moments(*(r[c] for c in ("n", "sum_y", "sum_y2", "sum_x",
                                                             "sum_x2", "sum_xy")))
                      for _, r in g.iterrows()}
                c, t = by.get(control), by.get(tr)
                row = {"attribute": attr, "level": level, "comparison": f"{tr} vs {control}",
                       "n_control": c.n if c else 0, "n_treatment": t.n if t else 0}
                tested = bool(c and t and c.n >= MIN_USERS and t.n >= MIN_USERS)
                if tested:
                    with np.errstate(divide="ignore", invalid="ignore"):
                        try:
                            e = compare(metric.kind, c, t, alpha=alpha, metric=metric.name,
                                        control=control, treatment=tr)
                        except Exception as exc:  # zero variance in a small cell: not testable
                            if type(exc).__name__ != "DataError":
                                raise
                            tested = False
                if tested:
                    row.update(mean_control=e.mean_control, mean_treatment=e.mean_treatment,
                               abs_effect=e.abs_effect, se=e.se, rel_effect=e.rel_effect,
                               rel_lo=e.rel_lo, rel_hi=e.rel_hi, p_value=e.p_value)
                row["tested"] = tested
                cells.append(row)
            rows += cells
            ok = [r for r in cells if r["tested"]]
            q, p = cochran_q([r["abs_effect"] for r in ok], [r["se"] for r in ok])
            het.append({"attribute": attr, "comparison": f"{tr} vs {control}", "q": q,
                        "df": max(len(ok) - 1, 0), "p_value": p})
    table = pd.DataFrame(rows)
    for c in ("mean_control", "mean_treatment", "abs_effect", "se", "rel_effect", "rel_lo", "rel_hi",
              "p_value"):
        if c not in table.columns:
            table[c] = np.nan
    tested = table["tested"].to_numpy(bool)
    table["p_adjusted"] = np.nan
    table.loc[tested, "p_adjusted"] = adjust(table.loc[tested, "p_value"].to_numpy(), correction)
    table["significant"] = table["p_adjusted"] < alpha
    return Segments(metric.name, table, pd.DataFrame(het), correction, alpha)
