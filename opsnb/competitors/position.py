"""Where we stand: index, rank, share and deltas per metric, and the scorecard.

Definitions (for a metric m and product p; values are the panel's, gaps filled by
its stated rule):

* **current** value: the mean over the last 7 days of the window (the last week for
  weekly panels); **previous week**: the mean over the 7 days before that.
* **period** value: the mean over the whole window; **previous period**: the mean over
  the same number of days just before the window (empty when the data does not reach back
  over all of it, so the period-over-period change is then empty too).
* **week-over-week / period-over-period change**: current / previous - 1 for log-scale
  metrics (price, downloads, ...), current - previous for linear ones (rating, ...).
* **index**: current(p) / current(our product) (1.10: 10 % above ours); left empty when
  our value is zero or negative.
* **rank**: 1 = best among the products with a current value, by the registry's
  direction (the lowest price, the best category rank, the highest rating); ties share
  the better rank.
* **share**: for volume metrics (downloads, reviews) current(p) / sum over products;
  for share metrics (share of voice) the value itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from opsnb.competitors.panel import Panel


@dataclass
class Position:
    """``table``: one row per (metric, competitor); ``scorecard``: one row per metric for us."""

    table: pd.DataFrame
    scorecard: pd.DataFrame
    our_product: str
    current: tuple[pd.Timestamp, pd.Timestamp]
    previous: tuple[pd.Timestamp, pd.Timestamp]

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def leads(self) -> list[str]:
        return list(self.scorecard.loc[self.scorecard["our_rank"] == 1, "metric"])

    def trails(self) -> list[str]:
        s = self.scorecard
        return list(s.loc[s["our_rank"] > (s["n_ranked"] + 1) / 2, "metric"])


def _change(cur, prev, log_scale: bool):
    if log_scale:
        return cur / prev - 1 if prev and prev > 0 else np.nan
    return cur - prev


def position(panel: Panel, window) -> Position:
    """Index, rank, share and deltas of every product per metric (see module doc)."""
    v = panel.values
    step_days = 1 if panel.freq == "day" else 7
    n_cur = max(7 // step_days, 1)
    in_win = v[(v.index >= window.start) & (v.index <= window.end)]
    if in_win.empty:
        from opsnb.errors import DataError
        raise DataError(f"no competitor metrics between {window.label()}",
                        table="competitor_metrics", column="date",
                        fix="choose dates inside the data")
    cur_rows = in_win.iloc[-n_cur:]
    prev_rows = v[v.index < cur_rows.index[0]].iloc[-n_cur:]
    n_days = (window.end - window.start).days + 1
    prev_start = window.start - pd.Timedelta(days=n_days)
    # the previous period counts only when the data reaches back over all of it (within one
    # grid step); a partial previous period would compare unlike spans
    covered = len(v) > 0 and v.index[0] <= prev_start + panel.step - pd.Timedelta(days=1)
    prev_period = v[(v.index >= prev_start) & (v.index < window.start)] if covered else v.iloc[0:0]
    cur, prev = cur_rows.mean(), prev_rows.mean()
    per, pper = in_win.mean(), prev_period.mean()
    ours = panel.our_product
    rows = []
    for metric in panel.metrics:
        spec = panel.registry.get(metric)
        log_scale = spec.scale == "log"
        comps = [c for c in panel.competitors if (metric, c) in v.columns]
        c_vals = pd.Series({c: cur[(metric, c)] for c in comps}, dtype=float)
        ranks = (c_vals * spec.sign).rank(ascending=False, method="min")
        n_ranked = int(c_vals.notna().sum())
        total = c_vals.sum(min_count=1)
        our_val = c_vals.get(ours, np.nan)
        for c in comps:
            x = c_vals[c]
            share = (x / total if spec.kind == "volume" and total else
                     x if spec.kind == "share" else np.nan)
            rows.append({
                "metric": metric, "competitor": c, "is_ours": c == ours, "current": x,
                "previous_week": prev[(metric, c)], "wow_change": _change(x, prev[(metric, c)], log_scale),
                "period": per[(metric, c)], "previous_period": pper.get((metric, c), np.nan),
                "pop_change": _change(per[(metric, c)], pper.get((metric, c), np.nan), log_scale),
                "index": x / our_val if our_val is not None and our_val > 0 else np.nan,
                "rank": ranks[c] if pd.notna(x) else np.nan, "n_ranked": n_ranked,
                "share": share,
            })
    table = pd.DataFrame(rows)
    score = []
    for metric, g in table.groupby("metric", sort=False):
        spec = panel.registry.get(metric)
        o = g[g["is_ours"]]
        if o.empty or pd.isna(o["current"].iloc[0]):
            continue
        o = o.iloc[0]
        others = g[~g["is_ours"] & g["current"].notna()]
        best = others.sort_values("rank").iloc[0] if len(others) else None
        log_scale = spec.scale == "log"
        if best is None:
            gap = np.nan
        else:
            gap = _change(o["current"], best["current"], log_scale)
        r = int(o["rank"])
        status = "lead" if r == 1 else "trail" if r > (o["n_ranked"] + 1) / 2 else "middle"
        score.append({
            "metric": metric, "better": spec.better, "ours": o["current"],
            "our_rank": r, "n_ranked": int(o["n_ranked"]),
            "best_rival": best["competitor"] if best is not None else None,
            "best_rival_value": best["current"] if best is not None else np.nan,
            "gap_to_best_rival": gap, "our_wow_change": o["wow_change"],
            "our_pop_change": o["pop_change"], "our_share": o["share"], "status": status,
        })
    return Position(table=table, scorecard=pd.DataFrame(score), our_product=ours,
                    current=(cur_rows.index[0], cur_rows.index[-1]),
                    previous=(prev_rows.index[0], prev_rows.index[-1]) if len(prev_rows)
                    else (pd.NaT, pd.NaT))
