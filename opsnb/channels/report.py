"""The Channel ROI report: unit economics, attribution, mix model and budget, side by side.

:func:`channel_roi` checks the parameters, loads and validates the data once and computes
every section; the notebook only displays what it returns.

The **mix model** is fitted on the daily (or weekly) number of new users from the paid
channels (sign-ups are what the spend drives, and they are far less noisy than revenue). Each
channel's modelled users are valued at that channel's observed revenue per new user over the
first ``roas_horizon_days`` days (from the unit economics), which gives the model's revenue
ROAS, marginal ROAS and the budget plan in money.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from opsnb.channels import attribution as attr
from opsnb.channels.budget import BudgetPlan, reallocate
from opsnb.channels.economics import UnitEconomics, unit_economics
from opsnb.channels.mmm import MarketingMixModel
from opsnb.channels.transforms import adstock_memory
from opsnb.data.source import DataSource
from opsnb.data.window import Window, resolve_window
from opsnb.errors import DataError, ParameterError
from opsnb.report import fmt
from opsnb.report.i18n import t as tr
from opsnb.report.params import expect

WEEKLY_DECAYS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)


@dataclass
class ChannelROI:
    """Everything the Channel ROI report shows."""

    source: DataSource
    window: Window
    economics: UnitEconomics
    attribution: attr.Attribution
    mmm: MarketingMixModel
    mmm_table: pd.DataFrame
    plan: BudgetPlan
    roas_horizon_days: int

    # ------------------------------------------------------------------ headline
    def headline(self) -> dict:
        h = self.economics.headline(self.roas_horizon_days)
        best_m = self.mmm_table.sort_values("marginal_roas", ascending=False).iloc[0]
        return {**h,
                "mmm_r2": self.mmm.r2_, "mmm_holdout_mape": self.mmm.holdout_mape_,
                "mmm_best_marginal_channel": best_m["channel"],
                "mmm_best_marginal_roas": float(best_m["marginal_roas"]),
                "reallocation_change_pct": self.plan.expected_change_pct,
                "reallocation_change": self.plan.expected_change,
                "reallocation_interval": [self.plan.change_low, self.plan.change_high],
                "conversions_attributed": self.attribution.journeys.n_conversions}

    def headline_items(self) -> list[tuple[str, str, str]]:
        h = self.headline()
        k = self.roas_horizon_days
        return [
            (tr("Total spend"), fmt.money(h["total_spend"]),
             tr("{n} new users", n=fmt.count(h["new_users"]))),
            (tr("Blended CAC"), fmt.money(h["blended_cac"]),
             tr("paid channels only: {x}", x=fmt.money(h["paid_cac"]))),
            (tr("Paid ROAS D{k}", k=k), fmt.pct(h[f"paid_roas_d{k}"]),
             tr("revenue of paid users in their first {k} days / spend", k=k)),
            (tr("Best channel"), str(h["best_channel"]),
             tr("ROAS D{k} {x}", k=k, x=fmt.pct(h["best_roas"]))),
            (tr("Worst channel"), str(h["worst_channel"]),
             tr("ROAS D{k} {x}", k=k, x=fmt.pct(h["worst_roas"]))),
            (tr("Reallocation"), fmt.pct(h["reallocation_change_pct"], 1, True),
             tr("modelled revenue D{k}, same budget", k=k) if self.plan.target_roas is None
             else tr("modelled revenue D{k}, target ROAS {x}", k=k,
                     x=fmt.pct(self.plan.target_roas))),
        ]

    def warning(self) -> str | None:
        notes = list(self.economics.notes)
        if self.mmm.r2_ < 0.3:
            notes.append(tr("The mix model explains only {share} of the day-to-day variation in new "
                            "users: read its channel split with its intervals.",
                            share=f"{self.mmm.r2_:.0%}"))
        return " ".join(notes) or None

    # ------------------------------------------------------------------ comparison
    def comparison(self) -> pd.DataFrame:
        """Each paid channel's share of credit (among the paid channels) under every method."""
        k = self.roas_horizon_days
        paid = list(self.economics.paid["channel"])
        ue = self.economics.paid.set_index("channel")
        rev = ue[f"revenue_per_user_d{k}"] * ue["new_users"]
        out = pd.DataFrame(index=paid)
        out[f"acquisition channel (D{k} revenue)"] = rev / rev.sum()
        w = self.attribution.wide("revenue_share").reindex(paid)
        for m in w.columns:
            out[attr.MODEL_LABELS[m]] = w[m] / w[m].sum()
        mm = self.mmm_table.set_index("channel").reindex(paid)["revenue_contribution"]
        out["mix model"] = mm / mm.sum()
        out["spread"] = out.max(axis=1) - out.min(axis=1)
        out.index.name = "channel"
        return out.reset_index()

    def comparison_table(self):
        c = self.comparison()
        k = self.roas_horizon_days
        names = {x: tr(x) for x in c.columns}
        names[f"acquisition channel (D{k} revenue)"] = tr("acquisition channel (D{k} revenue)", k=k)
        c = c.rename(columns=names)
        cols = [x for x in c.columns if x != names["channel"]]
        sty = fmt.table(c, {x: "pct" for x in cols}, humanize=False,
                        caption="Share of credit among the paid channels, by method (spread = highest "
                                "minus lowest share)")
        return sty.background_gradient(subset=[names["spread"]], cmap="Reds", vmin=0)

    def mmm_display(self) -> pd.DataFrame:
        t = self.mmm_table.copy()
        lab = lambda a, b: [f"{fmt.pct(x)} – {fmt.pct(y)}" for x, y in zip(t[a], t[b])]  # noqa: E731
        t["roas_interval"] = lab("roas_low", "roas_high")
        t["marginal_roas_interval"] = lab("marginal_roas_low", "marginal_roas_high")
        return t[["channel", "spend", "contribution", "revenue_contribution", "roas", "roas_interval",
                  "marginal_roas", "marginal_roas_interval", "decay"]]

    # ------------------------------------------------------------------ outputs
    def sections(self) -> dict:
        return {
            "unit_economics": self.economics.to_frame(),
            "unit_economics_notes": self.economics.notes,
            "attribution": self.attribution.to_frame(),
            "attribution_set_aside": [s.__dict__ for s in self.attribution.journeys.set_aside],
            "markov_removal_effects": self.attribution.markov.removal_effects
            if self.attribution.markov else None,
            "mmm": {"target": "new users from paid channels per period, valued at each channel's "
                              f"D{self.roas_horizon_days} revenue per new user",
                    "frequency": self.mmm.frequency, "r2": self.mmm.r2_,
                    "holdout_mape": self.mmm.holdout_mape_,
                    "holdout_periods": self.mmm.holdout_periods_,
                    "channels": self.mmm_table},
            "reallocation": self.plan.to_dict(),
            "method_comparison": self.comparison(),
        }

    def check_lines(self) -> list[str]:
        h = self.headline()
        k = self.roas_horizon_days
        ue = self.economics.paid
        lines = [f"window: {self.window.label()}",
                 f"total spend: {h['total_spend']:,.2f}; new users: {h['new_users']:,}; "
                 f"blended CAC: {h['blended_cac']:.2f}",
                 f"paid ROAS D{k}: {h[f'paid_roas_d{k}']:.3f}; best: {h['best_channel']}; "
                 f"worst: {h['worst_channel']}",
                 "ROAS D%d by channel: " % k + ", ".join(
                     f"{r['channel']} {r[f'roas_d{k}']:.3f}" for _, r in ue.iterrows()),
                 f"conversions attributed: {h['conversions_attributed']:,}",
                 f"MMM R2: {h['mmm_r2']:.2f}; best marginal ROAS: {h['mmm_best_marginal_channel']}",
                 f"reallocation: {h['reallocation_change_pct']:+.1%} modelled revenue"]
        return lines


def _mmm_inputs(source: DataSource, window: Window, paid: Sequence[str], frequency: str,
                max_decay: float):
    """Daily spend per paid channel (with warm-up days before the window) and paid new users."""
    sp = source.table("spend")
    memory = adstock_memory(max_decay) * (7 if frequency == "W" else 1)
    lo = (window.start - pd.Timedelta(days=memory)).date()
    s = sp.filter(sp.date >= lo, sp.date <= window.end.date(), sp.channel.isin(list(paid)))
    s = s.group_by(["date", "channel"]).aggregate(spend=s.spend.sum()).to_pandas()
    s["date"] = pd.to_datetime(s["date"])
    first = max(s["date"].min(), pd.Timestamp(lo))
    days = pd.date_range(first, window.end, freq="D")
    X = s.pivot_table(index="date", columns="channel", values="spend", aggfunc="sum").reindex(
        days, fill_value=0.0).fillna(0.0)[list(paid)]
    u = source.table("users")
    u = u.filter(u.signup_at >= window.start, u.signup_at < window.end_exclusive,
                 u.channel.isin(list(paid)))
    n = u.group_by(day=u.signup_at.truncate("D")).aggregate(n=u.count()).to_pandas()
    y = pd.Series(n["n"].to_numpy(float), index=pd.to_datetime(n["day"])).reindex(days)
    inside = (days >= window.start) & (days < window.complete_until.normalize() + pd.Timedelta(
        days=1 if window.complete_until == window.complete_until.normalize() else 0))
    inside = (days >= window.start) & (days + pd.Timedelta(days=1) <= window.complete_until)
    y = y.where(inside)
    y[inside] = y[inside].fillna(0.0)
    if frequency == "W":
        week = days - pd.to_timedelta(days.day_of_week, unit="D")
        full = pd.Series(1, index=days).groupby(week).sum() == 7
        X = X.groupby(week).sum()[full]
        y = y.groupby(week).sum(min_count=7)[full]
        X.index.name = None
    return X, y


def channel_roi(data_dir=None, start_date: str = "", end_date: str = "",
                conversion_event: str = "purchase", ltv_horizon_days: int = 180,
                lookback_days: int = 30, half_life_days: float = 7.0,
                attribution_models: Sequence[str] = attr.MODELS, mmm_frequency: str = "D",
                budget=None, bounds=0.3, seed: int = 0, roas_horizon_days: int = 30,
                collapse_repeats: bool = True, n_bootstrap: int = 200,
                target_roas=None) -> ChannelROI:
    """Check the parameters, load the data and compute the whole Channel ROI report.

    ``budget`` fixes the total of the budget proposal; ``target_roas`` instead asks for the
    largest modelled D``roas_horizon_days`` revenue whose overall modelled ROAS (a ratio such as
    1.2) meets the target, with the total free within the bounds. Give at most one of them.
    """
    expect("conversion_event", conversion_event, "str")
    ltv_horizon_days = expect("ltv_horizon_days", ltv_horizon_days, "int", minimum=7, maximum=3650)
    lookback_days = expect("lookback_days", lookback_days, "int", minimum=1, maximum=365)
    half_life_days = expect("half_life_days", half_life_days, "float", minimum=0.01)
    expect("attribution_models", attribution_models, "list")
    for m in attribution_models:
        expect("attribution_models item", m, "str", choices=attr.MODELS)
    expect("mmm_frequency", mmm_frequency, "str", choices=("D", "W"))
    budget = expect("budget", budget, "float", minimum=0, allow_none=True)
    if target_roas == "":
        target_roas = None
    target_roas = expect("target_roas", target_roas, "float", allow_none=True)
    if target_roas is not None and not target_roas > 0:
        raise ParameterError(f"parameter target_roas={target_roas!r} must be a positive ratio "
                             "such as 1.2 (modelled revenue per yuan of spend)")
    if target_roas is not None and budget:
        raise ParameterError("give either budget or target_roas, not both: the target ROAS sets "
                             "the total budget")
    if not isinstance(bounds, dict):
        bounds = expect("bounds", bounds, "float", minimum=0, maximum=1)
    seed = expect("seed", seed, "int", minimum=0)
    roas_horizon_days = expect("roas_horizon_days", roas_horizon_days, "int", minimum=1,
                               maximum=ltv_horizon_days)
    source = DataSource.open(data_dir)  # (the loader already turns DuckDB's progress bar off)
    source.require("users", "events", "spend", "touchpoints")
    window = resolve_window(source, start_date, end_date)
    horizons = tuple(sorted({7, roas_horizon_days, 90}))
    econ = unit_economics(source, window, conversion_event, ltv_horizon_days, horizons)
    journeys = attr.journeys_from_source(source, window, conversion_event, lookback_days)
    attribution = attr.attribute(journeys, attribution_models, half_life_days, collapse_repeats)

    paid = econ.paid[econ.paid["new_users"] > 0]
    if paid.empty:
        raise DataError("no paid channel acquired users in the window", table="users",
                        column="channel", fix="check that users.channel and spend.channel use the "
                        "same channel names")
    decays = WEEKLY_DECAYS if mmm_frequency == "W" else None
    model = MarketingMixModel(frequency=mmm_frequency, intercept=False, trend=False,
                              n_bootstrap=n_bootstrap, seed=seed,
                              **({"decays": decays} if decays else {}))
    X, y = _mmm_inputs(source, window, list(paid["channel"]), mmm_frequency, max(model.decays))
    model.fit(X, y)
    value = dict(zip(paid["channel"], paid[f"revenue_per_user_d{roas_horizon_days}"].fillna(0.0)))
    mt = model.channel_summary()
    v = mt["channel"].map(value).astype(float)
    mt["value_per_user"] = v
    mt["revenue_contribution"] = mt["contribution"] * v
    for col in ("roas", "roas_low", "roas_high", "marginal_roas", "marginal_roas_low",
                "marginal_roas_high"):
        mt[col] = mt[col] * v
    plan = reallocate(model, budget, bounds, value=value,
                      response_label=f"D{roas_horizon_days} revenue", target_roas=target_roas)
    return ChannelROI(source, window, econ, attribution, model, mt, plan, roas_horizon_days)
