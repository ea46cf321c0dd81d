"""Sequential monitoring: always-valid confidence sequences for a team that peeks daily.

Method: the normal-mixture sequential probability ratio test (mSPRT; Johari, Koomen,
Pekelis & Walsh, "Always valid inference", 2017/2022). With the effect estimate Δ̂ₖ and its
variance vₖ at look k, and a normal mixing distribution N(0, τ²) on the effect, the
likelihood ratio is

    Λₖ = √(vₖ / (vₖ + τ²)) · exp(τ² Δ̂ₖ² / (2 vₖ (vₖ + τ²))),

the always-valid p-value is min(1, min over j ≤ k of 1/Λⱼ), and the confidence sequence
(covering the true effect at every look at once with probability ≥ 1 − α) is

    Δ̂ₖ ± √( vₖ (vₖ + τ²) / τ² · (2·log(1/α) + log((vₖ + τ²) / vₖ)) ).

τ² is set to the effect variance at the last look (the tightest sequence for that sample).
The daily cumulative moments come from the events by Ibis (one small frame per metric).
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd

from opsnb.experiments.aggregates import Moments
from opsnb.experiments.marks import INVALID_COLOR, invalid_text, mark_invalid, with_note
from opsnb.experiments.metrics import Metric
from opsnb.experiments.stats import compare
from opsnb.report import style
from opsnb.report.i18n import Translator

METHOD = "mixture SPRT confidence sequence (normal mixture, tau^2 = last-look variance)"


def confidence_sequence(est, var, alpha: float = 0.05, tau2=None):
    """(lo, hi) of the always-valid interval for each look (arrays)."""
    est, var = np.asarray(est, float), np.asarray(var, float)
    if tau2 is None:
        tau2 = var[..., -1:] if var.ndim else var
    with np.errstate(divide="ignore", invalid="ignore"):
        half = np.sqrt(var * (var + tau2) / tau2 * (2 * np.log(1 / alpha) + np.log((var + tau2) / var)))
    return est - half, est + half


def always_valid_p(est, var, tau2=None):
    """min(1, running min of 1/Λ) along the last axis."""
    est, var = np.asarray(est, float), np.asarray(var, float)
    if tau2 is None:
        tau2 = var[..., -1:]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_lam = 0.5 * np.log(var / (var + tau2)) + tau2 * est ** 2 / (2 * var * (var + tau2))
        p = np.minimum(1.0, np.exp(-np.nan_to_num(log_lam, nan=-np.inf)))
    return np.minimum.accumulate(p, axis=-1)


def cumulative_moments(source, experiment_id: str, start: pd.Timestamp, end_exclusive: pd.Timestamp,
                       metric: Metric) -> pd.DataFrame:
    """Moments per variant at the end of each day (cumulative), from the events by Ibis.

    A user's value on day d is the metric over their events from assigned_at to the end of d;
    the frame is built from per-user-day increments (Δy, Δy², Δx, Δx², Δxy), so it stays small.
    """
    a = source.table("assignments")
    a = a.filter(a.experiment_id == experiment_id, a.assigned_at >= start,
                 a.assigned_at < end_exclusive).select("user_id", "variant", "assigned_at")
    ev = source.table("events")
    ev = ev.filter(ev.event.isin(list(metric.events)), ev.event_at >= start,
                   ev.event_at < end_exclusive)
    ev = ev.select(uid=ev.user_id, at=ev.event_at, ev_name=ev.event, rev=ev.revenue)
    j = a.join(ev, a.user_id == ev.uid).filter(ibis._.at >= ibis._.assigned_at)

    def raw(e, v):
        hit = j.ev_name == e
        return ibis.cases((hit, 1.0 if v == "count" else j.rev), else_=0.0)
    if metric.kind == "ratio":
        cols = {"ry": raw(metric.numerator, metric.numerator_value),
                "rx": raw(metric.denominator, metric.denominator_value)}
    else:
        cols = {"ry": raw(metric.event, metric.value)}
    j = j.mutate(day=j.at.truncate("D"), **cols)
    ud = j.group_by(["user_id", "variant", "day"]).aggregate(**{k: j[k].sum() for k in cols})
    w = ibis.window(group_by="user_id", order_by="day", preceding=None, following=0)
    ud = ud.mutate(**{f"c{k}": ud[k].sum().over(w) for k in cols})
    ud = ud.mutate(**{f"p{k}": ud[f"c{k}"] - ud[k] for k in cols})

    def g(c):
        return (c > 0).cast("float64") if metric.kind == "proportion" else c
    gy, py = g(ud.cry), g(ud.pry)
    incr = {"sum_y": gy - py, "sum_y2": gy * gy - py * py}
    if metric.kind == "ratio":
        gx, px = ud.crx, ud.prx
        incr.update(sum_x=gx - px, sum_x2=gx * gx - px * px, sum_xy=gx * gy - px * py)
    d = ud.group_by(["variant", "day"]).aggregate(**{k: v.sum() for k, v in incr.items()}).to_pandas()
    na = a.group_by(["variant", a.assigned_at.truncate("D").name("day")]).aggregate(
        n=a.count()).to_pandas()
    return _daily_frame(d, na, start, end_exclusive)


def cumulative_moments_from_users(user_table: ibis.Table, metric: Metric, start: pd.Timestamp,
                                  end_exclusive: pd.Timestamp) -> pd.DataFrame:
    """:func:`cumulative_moments` of a proportion metric from the per-user table, without the events.

    ``user_table`` is :func:`opsnb.experiments.metrics.user_metrics` output made with
    ``first=[metric]``: a user's value is 0 until the day of their first qualifying event and 1
    from then on, so the day's increments of Σy and Σy² are the number of users whose first
    event falls on that day. One small aggregate (variant × assignment day × first day).
    """
    from opsnb.experiments.metrics import first_column

    if metric.kind != "proportion":
        raise ValueError(f"{metric.name}: the per-user shortcut holds for proportion metrics only")
    t = user_table
    g = t.group_by(["variant", t.assigned_at.truncate("D").name("aday"),
                    t[first_column(metric)].truncate("D").name("day")]).aggregate(n=t.count())
    g = g.to_pandas()
    na = g.groupby(["variant", "aday"], as_index=False)["n"].sum().rename(columns={"aday": "day"})
    hit = g[g["day"].notna()]
    d = hit.groupby(["variant", "day"], as_index=False)["n"].sum()
    d["sum_y"] = d["n"].astype(float)
    d["sum_y2"] = d["sum_y"]
    return _daily_frame(d.drop(columns="n"), na, start, end_exclusive)


def _daily_frame(d: pd.DataFrame, na: pd.DataFrame, start: pd.Timestamp,
                 end_exclusive: pd.Timestamp) -> pd.DataFrame:
    """Cumulative per-variant moments by day from daily increments ``d`` and new users ``na``."""
    days = pd.date_range(pd.Timestamp(start).normalize(), end_exclusive - pd.Timedelta(days=1), freq="D")
    out = []
    for v, nv in na.groupby("variant"):
        f = pd.DataFrame(index=days)
        f["n"] = nv.set_index("day")["n"].reindex(days, fill_value=0).cumsum()
        dv = d[d["variant"] == v].set_index("day")
        for c in ("sum_y", "sum_y2", "sum_x", "sum_x2", "sum_xy"):
            f[c] = (dv[c].astype(float).reindex(days, fill_value=0.0).fillna(0.0).cumsum()
                    if c in dv.columns else 0.0)
        f["variant"] = v
        out.append(f.rename_axis("day").reset_index())
    return pd.concat(out, ignore_index=True)


@dataclass
class Sequential:
    """Daily looks at one comparison: fixed-horizon interval vs always-valid sequence."""

    metric: str
    comparison: str
    frame: pd.DataFrame  # day, n_control, n_treatment, effect, fixed_lo/hi, cs_lo/hi, p_naive, p_always
    alpha: float
    experiment: str = ""     # the experiment id, named in the chart title
    invalid: str = ""        # "srm" / "invalid" when the experiment's verdict is invalid
    kind: str = ""           # the metric's kind: a proportion's difference is shown in pp

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def first_significant(self, column: str = "p_always_valid"):
        hit = self.frame[self.frame[column] < self.alpha]
        return None if hit.empty else hit["day"].iloc[0]

    def plot(self, ax=None, lang: str = "en"):
        tr = Translator(lang)
        if ax is None:
            _, ax = style.new_figure(height=3.8)
        f = self.frame
        note = invalid_text(self.invalid, lang)
        main, fixed = (INVALID_COLOR, "#bdbdbd") if note else (style.PALETTE[0], style.PALETTE[1])
        ax.fill_between(f["day"], f["cs_lo"], f["cs_hi"], color=main, alpha=0.18,
                        label=tr("always-valid interval (safe to peek daily)"))
        ax.plot(f["day"], f["fixed_lo"], ls="--", color=fixed, lw=1,
                label=tr("fixed-horizon interval (valid only at the planned end)"))
        ax.plot(f["day"], f["fixed_hi"], ls="--", color=fixed, lw=1)
        ax.plot(f["day"], f["effect"], color=main, lw=1.8, label=tr("estimated effect"))
        ax.axhline(0, color="#333333", lw=0.8)
        finite = f[["cs_lo", "cs_hi", "fixed_lo", "fixed_hi"]].replace([np.inf, -np.inf], np.nan)
        lo, hi = np.nanmin(finite.to_numpy()), np.nanmax(finite.to_numpy())
        if np.isfinite(lo) and np.isfinite(hi):
            pad = (hi - lo) * 0.05
            ax.set_ylim(lo - pad, hi + pad)
        style.date_axis(ax)
        if self.kind == "proportion":   # a difference of two rates: percentage points
            style.pp_axis(ax)
        elif "revenue" in self.metric:
            style.money_axis(ax, lang=lang)
        ax.legend(loc="upper right", fontsize=8)
        title = (tr("{experiment}: {metric}, {comparison}, cumulative by day", experiment=self.experiment,
                    metric=self.metric, comparison=self.comparison) if self.experiment else
                 tr("{metric}: {comparison}, cumulative by day", metric=self.metric,
                    comparison=self.comparison))
        definition = tr("Treatment minus control on the data up to each day; shaded: the {level} "
                        "always-valid confidence sequence (mixture SPRT), dashed: the fixed-horizon "
                        "interval, which is too narrow when read every day.",
                        level=f"{1 - self.alpha:.0%}")
        style.titled(ax, title, with_note(note, definition, lang))
        mark_invalid(ax, note)
        return ax


def sequential(daily: pd.DataFrame, metric: Metric, control: str, treatment: str,
               alpha: float = 0.05) -> Sequential:
    """Fixed and always-valid intervals for each day of ``cumulative_moments`` output."""
    def mom(v):
        f = daily[daily["variant"] == v].sort_values("day")
        return f, Moments(*(f[c].to_numpy(float) for c in ("n", "sum_y", "sum_y2", "sum_x",
                                                           "sum_x2", "sum_xy")))
    fc, c = mom(control)
    ft, t = mom(treatment)
    ok = (c.n >= 2) & (t.n >= 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        e = compare("proportion" if metric.kind == "proportion" else metric.kind, c, t,
                    alpha=alpha, metric=metric.name, control=control, treatment=treatment)
    est, se = np.where(ok, e.abs_effect, np.nan), np.where(ok, e.se, np.nan)
    good = np.isfinite(se) & (se > 0)
    var = np.where(good, se ** 2, np.nan)
    tau2 = var[good][-1] if good.any() else np.nan
    lo, hi = confidence_sequence(est, var, alpha, tau2)
    p_av = np.full(len(est), 1.0)
    if good.any():
        p_av[good] = always_valid_p(est[good], var[good], tau2)
    frame = pd.DataFrame({"day": fc["day"].to_numpy(), "n_control": c.n, "n_treatment": t.n,
                          "effect": est, "fixed_lo": np.where(good, e.abs_lo, np.nan),
                          "fixed_hi": np.where(good, e.abs_hi, np.nan), "cs_lo": lo, "cs_hi": hi,
                          "p_naive": np.where(good, e.p_value, np.nan), "p_always_valid": p_av})
    return Sequential(metric.name, f"{treatment} vs {control}", frame, alpha, kind=metric.kind)
