"""Unit economics per acquisition channel (or channel and campaign) over the report window.

Definitions (stated in the report):

* **New users**: users whose ``signup_at`` falls in the window, by ``users.channel``.
* **Spend, impressions, clicks**: ``spend`` rows dated in the window. CTR = clicks /
  impressions, CPC = spend / clicks, **CAC** = spend / new users. Channels without spend
  rows are unpaid (organic, referral): shown without CAC and ROAS, never with an
  infinite ROAS.
* **First-purchase conversion**: share of new users with at least one ``conversion_event``
  before the data ends.
* **Revenue per user by day since signup**: day ``d`` covers ``[signup + d days, signup +
  d + 1 days)``. Revenue on day d is divided by the users whose day d has fully elapsed
  (so young cohorts count only for the days they have lived); its running sum is the
  **observed cumulative revenue per user** ``R(k)`` (days 0..k-1).
* **ROAS Dk** = ``R(k)`` x new users / spend; its interval (+/- 1.96 SE) comes from the
  per-user revenue in the first k days of the users whose k days have elapsed.
* **LTV (observed)** = ``R(ltv_horizon_days)`` while some users are that old, else R at the
  oldest observed day (flagged). **LTV (projected)** extends ``R`` beyond the observed days
  with the retention curve: the share of users active on day d is fitted as ``a q^d`` on
  days >= 7 and multiplied by the revenue per active user-day; it is a projection and
  labelled so.
* **Payback** = the first day on which ``R(k) >= CAC``; "not yet" when it has not happened in
  the observed days.

Without spend (no ``spend`` table, or ``require_spend=False`` and no spend in the window) every
channel is unpaid: new users, conversion, revenue per user and LTV are still computed, CAC,
ROAS and payback are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import ibis
import numpy as np
import pandas as pd

from opsnb.data.source import DataSource
from opsnb.data.window import Window
from opsnb.errors import DataError, ParameterError
from opsnb.report import fmt, style
from opsnb.report.contract import Note
from opsnb.report.i18n import Translator

HORIZONS = (7, 30, 90)
MIN_COHORT_USERS = 20
BY = {"channel": ("channel",), "campaign": ("channel", "campaign")}


@dataclass
class UnitEconomics:
    """The unit-economics table, the revenue curves behind it and notes on the data."""

    table: pd.DataFrame       # one row per channel (or channel + campaign)
    curves: pd.DataFrame      # keys..., day, exposed_users, revenue_per_user, cum_revenue_per_user,
    #                           active_rate, projected (bool), cum_projected
    window: Window
    keys: tuple[str, ...]
    conversion_event: str
    ltv_horizon_days: int
    horizons: tuple[int, ...] = HORIZONS
    notes: list[Note] = field(default_factory=list)  # English templates and their values
    has_spend: bool = True     # False: no spend in the window, every channel unpaid

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    @property
    def paid(self) -> pd.DataFrame:
        return self.table[self.table["paid"]]

    def headline(self, horizon: int = 30) -> dict:
        t = self.table
        p = self.paid
        spend = float(p["spend"].sum())
        rev = float((p[f"roas_d{horizon}"] * p["spend"]).sum())
        # a paid channel whose users are too young for the horizon: the paid ROAS is unknown
        unknown = (p[f"roas_d{horizon}"].isna() & (p["new_users"] > 0)).any()
        ranked = p.dropna(subset=[f"roas_d{horizon}"]).sort_values(f"roas_d{horizon}",
                                                                   ascending=False)
        label = (lambda r: " / ".join(str(r[k]) for k in self.keys))
        return {
            "total_spend": spend,
            "new_users": int(t["new_users"].sum()),
            "paid_new_users": int(p["new_users"].sum()),
            "blended_cac": spend / t["new_users"].sum() if t["new_users"].sum() else None,
            "paid_cac": spend / p["new_users"].sum() if p["new_users"].sum() else None,
            f"paid_roas_d{horizon}": rev / spend if spend and not unknown else None,
            "best_channel": label(ranked.iloc[0]) if len(ranked) else None,
            "best_roas": float(ranked.iloc[0][f"roas_d{horizon}"]) if len(ranked) else None,
            "worst_channel": label(ranked.iloc[-1]) if len(ranked) else None,
            "worst_roas": float(ranked.iloc[-1][f"roas_d{horizon}"]) if len(ranked) else None,
            "horizon_days": horizon,
        }

    def display_frame(self, lang: str = "en") -> pd.DataFrame:
        """The table with the columns a manager reads, payback as text (in ``lang``)."""
        cols = list(self.keys) + ["spend", "new_users", "cac", "ctr", "cpc", "first_purchase_conversion"]
        cols += [f"roas_d{k}" for k in self.horizons]
        cols += ["ltv_observed", "ltv_projected", "ltv_to_cac", "payback"]
        out = self.table[cols]
        text = [_payback_text(r, lang) for _, r in self.table.iterrows()]
        if text != list(out["payback"]):
            out = out.assign(payback=text)
        return out

    def display_formats(self) -> dict[str, str]:
        f = {"spend": "money", "new_users": "count", "cac": "money", "ctr": "pct", "cpc": "money_cents",
             "first_purchase_conversion": "pct", "ltv_observed": "money",
             "ltv_projected": "money", "ltv_to_cac": "number"}
        f.update({f"roas_d{k}": "pct" for k in self.horizons})
        return f

    def ltv_frame(self) -> pd.DataFrame:
        """New users, conversion, revenue per user and LTV per channel: what needs no spend."""
        cols = list(self.keys) + ["new_users", "first_purchase_conversion"]
        cols += [f"revenue_per_user_d{k}" for k in self.horizons]
        return self.table[cols + ["ltv_observed", "ltv_projected"]]

    def ltv_formats(self) -> dict[str, str]:
        f = {"new_users": "count", "first_purchase_conversion": "pct", "ltv_observed": "money",
             "ltv_projected": "money"}
        f.update({f"revenue_per_user_d{k}": "money" for k in self.horizons})
        return f

    # ------------------------------------------------------------------ charts
    def plot_roas(self, ax=None, lang: str = "en"):
        tr = Translator(lang)
        p = self.paid.sort_values(f"roas_d{self.horizons[1] if len(self.horizons) > 1 else self.horizons[0]}",
                                  ascending=False)
        if ax is None:
            _, ax = style.new_figure(height=4.2)
        labels = [" / ".join(str(r[k]) for k in self.keys) for _, r in p.iterrows()]
        x = np.arange(len(p))
        n = len(self.horizons)
        width = 0.8 / n
        for i, k in enumerate(self.horizons):
            v = p[f"roas_d{k}"].to_numpy(dtype=float)
            err = 1.96 * p[f"roas_d{k}_se"].to_numpy(dtype=float)
            ax.bar(x + (i - (n - 1) / 2) * width, v, width=width, label=f"D{k}",
                   color=style.PALETTE[i], yerr=np.nan_to_num(err), capsize=2,
                   error_kw={"elinewidth": 0.8})
        ax.axhline(1.0, color="#444444", lw=1, ls="--")
        ax.text(len(p) - 0.5, 1.0, " " + tr("break-even"), va="bottom", ha="right", fontsize=8)
        ax.set_xticks(x, labels)
        style.percent_axis(ax)
        ax.legend(title=tr("horizon"), loc="upper right")
        style.titled(ax, tr("Return on ad spend (ROAS) by channel and horizon"),
                     tr("Revenue of the users acquired in the window during their first k days "
                        "(per-user curve x new users) / spend in the window; bars show ±1.96 SE. "
                        "Unpaid channels are not shown."))
        return ax

    def plot_payback(self, ax=None, lang: str = "en"):
        tr = Translator(lang)
        c = self.curves
        p = self.paid
        if ax is None:
            _, ax = style.new_figure(height=4.2)
        names = [" / ".join(str(r[k]) for k in self.keys) for _, r in p.iterrows()]
        colors = style.colors_for(names)
        projected, observed_to = False, []
        for name, (_, r) in zip(names, p.iterrows()):
            sel = np.ones(len(c), dtype=bool)
            for k in self.keys:
                sel &= (c[k] == r[k]).to_numpy()
            cc = c[sel]
            obs = cc[~cc["projected"]]
            observed_to.append(int(obs["day"].max()) + 1 if len(obs) else 0)
            ax.plot(obs["day"] + 1, obs["cum_revenue_per_user"] / r["cac"], color=colors[name],
                    label=name, lw=1.6)
            proj = cc[cc["projected"]]
            if len(proj):
                projected = True
                ax.plot(proj["day"] + 1, proj["cum_projected"] / r["cac"], color=colors[name],
                        lw=1.0, ls=":")
        ax.axhline(1.0, color="#444444", lw=1, ls="--")
        ax.text(1, 1.0, tr("payback (revenue per user = CAC)"), va="bottom", fontsize=8)
        style.percent_axis(ax)
        ax.set_xlabel(tr("days since signup"))
        ax.legend(loc="upper left", fontsize=8)
        if projected:
            note = tr("Observed cumulative revenue per acquired user / CAC by day since signup "
                      "(solid); dotted: projected from the retention curve up to day {days}. A "
                      "channel pays back where its line crosses 100%.", days=self.ltv_horizon_days)
        elif observed_to and min(observed_to) >= self.ltv_horizon_days:
            note = tr("Observed cumulative revenue per acquired user / CAC by day since signup, "
                      "up to day {days} (observed throughout: no projection needed). A channel "
                      "pays back where its line crosses 100%.", days=self.ltv_horizon_days)
        else:
            note = tr("Observed cumulative revenue per acquired user / CAC by day since signup, "
                      "up to day {observed}: too few days observed to project to day {days}. A "
                      "channel pays back where its line crosses 100%.",
                      observed=max(observed_to, default=0), days=self.ltv_horizon_days)
        style.titled(ax, tr("Payback: cumulative revenue per user as a share of CAC"), note)
        return ax


def _check(horizons, ltv_horizon_days, by):
    if by not in BY:
        raise ParameterError(f"by={by!r}; choose one of {', '.join(BY)}")
    if not horizons or any((not isinstance(h, (int, np.integer))) or h < 1 for h in horizons):
        raise ParameterError(f"horizons={horizons!r} must be whole days >= 1")
    if not isinstance(ltv_horizon_days, (int, np.integer)) or ltv_horizon_days < 1:
        raise ParameterError(f"ltv_horizon_days={ltv_horizon_days!r} must be a whole number >= 1")


def unit_economics(source: DataSource, window: Window, conversion_event: str = "purchase",
                   ltv_horizon_days: int = 180, horizons: Sequence[int] = HORIZONS,
                   by: str = "channel", min_cohort_users: int = MIN_COHORT_USERS,
                   require_spend: bool = True) -> UnitEconomics:
    """Spend, CAC, conversion, ROAS at each horizon, LTV and payback per channel (or campaign).

    With ``require_spend=False`` a source without a spend table, or without spend in the window,
    gives the part that needs no spend (every channel unpaid) instead of a DataError.
    """
    horizons = tuple(int(h) for h in horizons)
    _check(horizons, ltv_horizon_days, by)
    keys = BY[by]
    users = source.table("users")
    events = source.table("events")
    notes: list[Note] = []

    # ---- spend (small aggregate)
    if require_spend or source.has("spend"):
        spend_t = source.table("spend")
        if by == "campaign" and "campaign" not in spend_t.columns:
            raise ParameterError("by='campaign' needs a campaign column in spend")
        sp = spend_t.filter(spend_t.date >= window.start.date(), spend_t.date <= window.end.date())
        aggs = {"spend": sp.spend.sum()}
        for col in ("impressions", "clicks"):
            if col in sp.columns:
                aggs[col] = sp[col].sum()
        spend = sp.group_by([sp[k].fill_null("(none)") if k == "campaign" else sp[k]
                             for k in keys]).aggregate(**aggs).to_pandas()
        spend.columns = list(keys) + list(aggs)
    else:
        spend = pd.DataFrame({**{k: pd.Series(dtype="str") for k in keys},
                              "spend": pd.Series(dtype="float64")})
    total_spend = float(spend["spend"].sum()) if len(spend) else 0.0
    has_spend = total_spend > 0
    if not has_spend and require_spend:
        raise DataError(f"total spend between {window.label()} is zero",
                        table="spend", column="spend",
                        fix="load the spend table for the report window (daily spend per channel); "
                        "CAC, ROAS and the mix model need spend")
    if not has_spend:
        spend = spend.iloc[0:0]

    # ---- users and their day-by-day revenue (Ibis; only per-day aggregates come back)
    cutoff = window.complete_until
    max_day = int(max(max(horizons), ltv_horizon_days))
    u = users.filter(users.signup_at >= window.start, users.signup_at < window.end_exclusive)
    u = u.select("user_id", "signup_at",
                 *[u[k].fill_null("(none)").name(k) if k == "campaign" else u[k] for k in keys])
    cut = ibis.literal(cutoff.to_pydatetime()).cast("timestamp")
    u = u.mutate(obs=((cut.epoch_seconds() - u.signup_at.epoch_seconds()) / 86400).floor().cast("int64"))
    e = events.filter(events.event_at < cut).select(uid=events.user_id, at=events.event_at,
                                                    ev=events.event, rev=events.revenue)
    j = u.join(e, u.user_id == e.uid)
    j = j.mutate(d=((j.at.epoch_seconds() - j.signup_at.epoch_seconds()) / 86400).floor().cast("int64"))
    j = j.filter(j.d < j.obs, j.d < max_day)
    daily = j.group_by([*keys, "d"]).aggregate(revenue=j.rev.sum(),
                                               active=j.user_id.nunique()).to_pandas()
    expo = u.group_by([*keys, "obs"]).aggregate(n=u.count()).to_pandas()
    per_user = j.group_by("user_id").aggregate(
        **{f"r{k}": j.rev.sum(where=j.d < k) for k in horizons})
    pu = u.left_join(per_user, u.user_id == per_user.user_id)
    sums = {}
    for k in horizons:
        rk = pu[f"r{k}"].fill_null(0.0)
        ok = pu.obs >= k
        sums[f"n{k}"] = ok.sum()
        sums[f"s{k}"] = rk.sum(where=ok)
        sums[f"ss{k}"] = (rk * rk).sum(where=ok)
    conv_users = events.filter(events.event == conversion_event, events.event_at < cut).select(
        "user_id").distinct()
    uc = u.left_join(conv_users.mutate(c=ibis.literal(1)), u.user_id == conv_users.user_id)
    stats = uc.group_by(list(keys)).aggregate(new_users=uc.count(),
                                               converters=uc.c.fill_null(0).sum()).to_pandas()
    se_parts = pu.group_by(list(keys)).aggregate(**sums).to_pandas()

    # ---- assemble per group
    t = stats.merge(se_parts, on=list(keys), how="outer").merge(spend, on=list(keys), how="outer")
    t["new_users"] = t["new_users"].fillna(0).astype("int64")
    t["converters"] = t["converters"].fillna(0).astype("int64")
    no_spend = t["spend"].isna()
    t["paid"] = ~no_spend & (t["spend"].fillna(0) > 0)
    unpaid_names = sorted(" / ".join(map(str, r)) for r in t.loc[no_spend, list(keys)].itertuples(index=False))
    if unpaid_names and has_spend:
        notes.append(Note("{names}: users but no spend rows in the window, so shown as unpaid (no "
                          "CAC or ROAS). If one of them is a paid channel, check that spend and "
                          "users spell the channel the same way.", {"names": ", ".join(unpaid_names)}))
    lost = t[t["paid"] & (t["new_users"] == 0)]
    if len(lost):
        names = ", ".join(f"{' / '.join(map(str, r[list(keys)]))} ({fmt.money(r['spend'])})"
                          for _, r in lost.iterrows())
        notes.append(Note("{names}: spend but no users acquired in the window, so CAC and ROAS "
                          "cannot be computed. Check that users.channel uses the same names as "
                          "spend.channel.", {"names": names}))
    zero_spend = t[~no_spend & (t["spend"].fillna(0) == 0)]
    if len(zero_spend):
        notes.append(Note("{names}: spend rows that add up to zero; shown as unpaid.",
                          {"names": ", ".join(" / ".join(map(str, r)) for r in
                                              zero_spend[list(keys)].itertuples(index=False))}))

    curves = _curves(daily, expo, keys, max_day, min_cohort_users)
    rows = []
    for _, r in t.iterrows():
        key = tuple(r[k] for k in keys)
        c = curves[np.logical_and.reduce([curves[k] == v for k, v in zip(keys, key)])] if len(curves) else curves
        n = r["new_users"]
        paid = bool(r["paid"]) and n > 0
        spend_v = float(r["spend"]) if not pd.isna(r["spend"]) else 0.0
        out = {k: v for k, v in zip(keys, key)}
        out.update(paid=bool(r["paid"]), spend=spend_v, new_users=int(n))
        imp = r.get("impressions", np.nan)
        clk = r.get("clicks", np.nan)
        out["impressions"] = float(imp) if not pd.isna(imp) else None
        out["clicks"] = float(clk) if not pd.isna(clk) else None
        out["ctr"] = clk / imp if not pd.isna(imp) and imp else None
        out["cpc"] = spend_v / clk if not pd.isna(clk) and clk else None
        out["cac"] = spend_v / n if paid else None
        out["first_purchase_conversion"] = r["converters"] / n if n else None
        obs = c[~c["projected"]] if len(c) else c
        for k in horizons:
            cum = _cum_at(obs, k)
            out[f"revenue_per_user_d{k}"] = cum
            nk, sk, ssk = r.get(f"n{k}", 0), r.get(f"s{k}", 0.0), r.get(f"ss{k}", 0.0)
            nk = 0 if pd.isna(nk) else int(nk)
            se_user = None
            if nk >= 2:
                mean = sk / nk
                var = max((ssk - nk * mean * mean) / (nk - 1), 0.0)
                se_user = float(np.sqrt(var / nk))
            out[f"roas_d{k}"] = cum * n / spend_v if paid and cum is not None else None
            out[f"roas_d{k}_se"] = se_user * n / spend_v if paid and se_user is not None else None
            out[f"mature_users_d{k}"] = nk
        oldest = int(obs["day"].max()) + 1 if len(obs) else 0
        out["observed_days"] = oldest
        out["ltv_observed"] = _cum_at(obs, min(ltv_horizon_days, oldest)) if oldest else None
        out["ltv_observed_days"] = min(ltv_horizon_days, oldest)
        proj = _cum_at(c, ltv_horizon_days, column="cum_projected") if len(c) else None
        out["ltv_projected"] = proj
        out["ltv_to_cac"] = proj / out["cac"] if paid and proj is not None and out["cac"] else None
        pb = None
        if paid and len(obs):
            hit = obs[obs["cum_revenue_per_user"] >= out["cac"]]
            pb = int(hit["day"].iloc[0]) + 1 if len(hit) else None
        out["payback_days"] = pb
        out["payback"] = (f"{pb} days" if pb is not None else "not yet") if paid else "–"
        rows.append(out)
    table = pd.DataFrame(rows)
    table = table.sort_values(["paid", "spend", "new_users"], ascending=[False, False, False])
    return UnitEconomics(table.reset_index(drop=True), curves, window, keys, conversion_event,
                         int(ltv_horizon_days), horizons, notes, has_spend)


def _payback_text(r, lang: str = "en") -> str:
    """The payback column in ``lang``: 'N days', 'not yet' or '–' (unpaid)."""
    tr = Translator(lang)
    if r["payback"] == "–":
        return "–"
    pb = r["payback_days"]
    return tr("not yet") if pb is None or pd.isna(pb) else tr("{n} days", n=int(pb))


def _cum_at(c: pd.DataFrame, k: int, column: str = "cum_revenue_per_user") -> float | None:
    """The cumulative value over days 0..k-1 (None when day k-1 is not in the curve)."""
    hit = c[c["day"] == k - 1]
    return float(hit[column].iloc[0]) if len(hit) else None


def _curves(daily: pd.DataFrame, expo: pd.DataFrame, keys, max_day: int,
            min_users: int) -> pd.DataFrame:
    """Per group: revenue per exposed user by day, its running sum and the projection."""
    out = []
    groups = expo.groupby(list(keys), dropna=False)
    for key, ex in groups:
        key = key if isinstance(key, tuple) else (key,)
        n_obs = ex.groupby("obs")["n"].sum()
        days = np.arange(max_day)
        # users whose day d has elapsed: obs > d
        counts = n_obs.reindex(np.arange(max_day + 1), fill_value=0)
        tail = n_obs[n_obs.index > max_day].sum()
        exposed = (counts[::-1].cumsum()[::-1].to_numpy()[1:] + tail)[:max_day]
        sel = np.logical_and.reduce([daily[k] == v for k, v in zip(keys, key)]) if len(daily) else []
        d = daily[sel].set_index("d") if len(daily) else daily
        rev = d["revenue"].reindex(days, fill_value=0.0).to_numpy(dtype=float) if len(d) else np.zeros(max_day)
        act = d["active"].reindex(days, fill_value=0).to_numpy(dtype=float) if len(d) else np.zeros(max_day)
        ok = exposed >= max(min_users, 1)
        last = int(np.flatnonzero(ok).max()) + 1 if ok.any() else 0
        rpu = np.where(ok, rev / np.maximum(exposed, 1), np.nan)[:last]
        rate = np.where(ok, act / np.maximum(exposed, 1), np.nan)[:last]
        cum = np.cumsum(rpu)
        f = pd.DataFrame({"day": np.arange(last), "exposed_users": exposed[:last],
                          "revenue_per_user": rpu, "cum_revenue_per_user": cum,
                          "active_rate": rate, "projected": False})
        f["cum_projected"] = f["cum_revenue_per_user"]
        proj = _project(rev[:last], act[:last], rate, last, max_day)
        if proj is not None and len(f):
            pdays = np.arange(last, max_day)
            pf = pd.DataFrame({"day": pdays, "exposed_users": 0, "revenue_per_user": proj,
                               "cum_revenue_per_user": np.nan, "active_rate": np.nan,
                               "projected": True})
            pf["cum_projected"] = cum[-1] + np.cumsum(proj)
            f = pd.concat([f, pf], ignore_index=True)
        for k, v in zip(keys, key):
            f[k] = v
        out.append(f)
    cols = list(keys) + ["day", "exposed_users", "revenue_per_user", "cum_revenue_per_user",
                         "active_rate", "projected", "cum_projected"]
    return pd.concat(out, ignore_index=True)[cols] if out else pd.DataFrame(columns=cols)


def _project(rev: np.ndarray, act: np.ndarray, rate: np.ndarray, last: int,
             max_day: int) -> np.ndarray | None:
    """Revenue per user on days last..max_day-1 from a geometric fit of the active rate."""
    if last >= max_day:
        return np.zeros(0)
    d = np.arange(last)
    fit = (d >= 7) & (rate > 0)
    if fit.sum() < 5 or act[d >= 1].sum() == 0:
        return None
    b, a = np.polyfit(d[fit], np.log(rate[fit]), 1)
    b = min(b, 0.0)
    per_active = rev[d >= 1].sum() / act[d >= 1].sum()
    future = np.arange(last, max_day)
    return per_active * np.exp(a + b * future)
