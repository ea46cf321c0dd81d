"""RFM segmentation: recency, frequency and monetary scores in quintiles, and named segments.

Basis: users with at least one order in the window (an order is an event with
revenue > 0). **R** = days from the last order to the end of the window (fewer is
better), **F** = orders, **M** = revenue. Users without an order are not scored;
they are counted as ``No order in window``.

**Tie rule.** A score is ``1 + floor(5 * (r - 1) / n)``, where ``r`` is the value's
rank among the ``n`` customers with ties given the *lowest* rank of their group
(``rank(method="min")``; for R the ranking runs from the oldest to the most recent
order). Equal values therefore always get the same score, and a large tie (many
customers with one order) stays in one quintile, so the five groups can be uneven.

**Segments.** ``FM`` is the mean of the F and M scores. The rule table
:data:`RFM_RULES` is read from top to bottom, the first matching rule wins, and
customers no rule matches are put in ``Other`` (never left unassigned).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from opsnb.errors import ParameterError
from opsnb.report import style
from opsnb.report.i18n import Translator, translate

NO_ORDER = "No order in window"
OTHER = "Other"

# (segment, R low, R high, FM low, FM high), inclusive; first match wins
RFM_RULES: tuple[tuple[str, float, float, float, float], ...] = (
    ("Champions", 4, 5, 4, 5),
    ("Loyal", 3, 5, 3, 5),
    ("Potential Loyalist", 4, 5, 2, 3),
    ("New", 5, 5, 1, 2),
    ("Promising", 4, 4, 1, 2),
    ("Need Attention", 3, 3, 2, 3),
    ("About to Sleep", 3, 3, 1, 2),
    ("Can't Lose Them", 1, 1, 4, 5),
    ("At Risk", 1, 2, 3, 5),
    ("Hibernating", 2, 2, 1, 3),
    ("Lost", 1, 1, 1, 3),
)
SEGMENT_ORDER = [r[0] for r in RFM_RULES] + [OTHER, NO_ORDER]


def quintile_score(values, higher_is_better: bool = True) -> np.ndarray:
    """Scores 1..5 with the tie rule above (ties share the lowest rank of their group)."""
    x = pd.Series(np.asarray(values, dtype=float))
    if x.isna().any():
        raise ParameterError("quintile_score got missing values; score only scored customers")
    n = len(x)
    if n == 0:
        return np.array([], dtype=int)
    r = (x if higher_is_better else -x).rank(method="min").to_numpy()
    return (1 + np.floor(5 * (r - 1) / n)).astype(int)


def rule_table(rules: Sequence = RFM_RULES) -> pd.DataFrame:
    """The rule table as shown in the report."""
    return pd.DataFrame(
        [(i + 1, s, f"{r0:g}-{r1:g}" if r0 != r1 else f"{r0:g}", f"{f0:g}-{f1:g}")
         for i, (s, r0, r1, f0, f1) in enumerate(rules)],
        columns=["order", "segment", "R score", "FM score (mean of F and M)"])


def rule_display(rules: Sequence = RFM_RULES, lang: str = "en") -> pd.DataFrame:
    """The rule table with the segment names in ``lang``."""
    out = rule_table(rules)
    out["segment"] = out["segment"].map(lambda s: translate(s, lang))
    return out


def assign_segments(r, f, m, rules: Sequence = RFM_RULES) -> np.ndarray:
    """Segment names for score arrays (first matching rule; unmatched -> Other)."""
    r = np.asarray(r, dtype=float)
    fm = (np.asarray(f, dtype=float) + np.asarray(m, dtype=float)) / 2
    out = np.full(len(r), OTHER, dtype=object)
    done = np.zeros(len(r), dtype=bool)
    for name, r0, r1, f0, f1 in rules:
        hit = ~done & (r >= r0) & (r <= r1) & (fm >= f0) & (fm <= f1)
        out[hit] = name
        done |= hit
    return out


@dataclass
class RFMResult:
    """Per-user scores and segments (index user_id)."""

    table: pd.DataFrame  # recency_days, frequency, monetary, R, F, M, FM, segment
    rules: tuple

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def counts(self) -> pd.DataFrame:
        c = self.table["segment"].value_counts()
        c = c.reindex([s for s in SEGMENT_ORDER if s in c.index] +
                      [s for s in c.index if s not in SEGMENT_ORDER])
        out = c.rename("users").rename_axis("segment").reset_index()
        out["share"] = out["users"] / out["users"].sum()
        scored = self.table[self.table["segment"] != NO_ORDER]
        means = scored.groupby("segment")[["recency_days", "frequency", "monetary"]].mean()
        return out.merge(means.reset_index(), on="segment", how="left")

    def crosstab(self, personas: pd.Series) -> pd.DataFrame:
        """Users per RFM segment (rows) and persona (columns)."""
        j = self.table[["segment"]].join(personas.rename("persona"), how="left")
        ct = pd.crosstab(j["segment"], j["persona"])
        order = [s for s in SEGMENT_ORDER if s in ct.index] + [s for s in ct.index
                                                               if s not in SEGMENT_ORDER]
        return ct.reindex(order)

    def crosstab_display(self, personas: pd.Series, lang: str = "en") -> pd.DataFrame:
        """:meth:`crosstab` with the segment as a column, named in ``lang``."""
        ct = self.crosstab(personas).reset_index()
        ct["segment"] = ct["segment"].map(lambda s: translate(s, lang))
        return ct

    def plot(self, ax=None, lang: str = "en"):
        tr = Translator(lang)
        if ax is None:
            _, ax = style.new_figure(height=4.0)
        c = self.counts()
        y = np.arange(len(c))[::-1]
        colors = [style.INCOMPLETE_COLOR if s in (NO_ORDER, OTHER) else style.PALETTE[0]
                  for s in c["segment"]]
        ax.barh(y, c["users"], color=colors)
        for yi, (_, row) in zip(y, c.iterrows()):
            ax.text(row["users"], yi, f"  {row['users']:,} ({row['share']:.1%})", va="center",
                    fontsize=9)
        ax.set_yticks(y, [tr(s) for s in c["segment"]])
        ax.set_xlim(0, c["users"].max() * 1.3)
        style.thousands_axis(ax, "x")
        ax.grid(axis="y", visible=False)
        style.titled(ax, tr("RFM segments"), tr(
            "Customers with an order in the window, scored 1-5 in quintiles on recency of the last "
            "order, number of orders and revenue (ties share a score), segmented by the rule table; "
            "grey: no order / no rule."))
        return ax


def rfm(frame: pd.DataFrame, rules: Sequence = RFM_RULES) -> RFMResult:
    """RFM from a per-user frame with ``days_since_last_order``, ``orders``, ``revenue``."""
    need = ("days_since_last_order", "orders", "revenue")
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise ParameterError(f"rfm needs the columns {', '.join(missing)}")
    t = pd.DataFrame({"recency_days": frame["days_since_last_order"].astype(float),
                      "frequency": frame["orders"].astype(float),
                      "monetary": frame["revenue"].astype(float)}, index=frame.index)
    cust = (t["frequency"] > 0) & t["recency_days"].notna()
    for c in ("R", "F", "M"):
        t[c] = pd.array([pd.NA] * len(t), dtype="Int64")
    t["FM"] = np.nan
    t["segment"] = NO_ORDER
    if cust.any():
        c = t[cust]
        R = quintile_score(c["recency_days"], higher_is_better=False)
        F = quintile_score(c["frequency"])
        M = quintile_score(c["monetary"])
        t.loc[cust, "R"], t.loc[cust, "F"], t.loc[cust, "M"] = R, F, M
        t.loc[cust, "FM"] = (F + M) / 2
        t.loc[cust, "segment"] = assign_segments(R, F, M, rules)
    return RFMResult(t, tuple(rules))
