"""The Channel ROI report: unit economics, attribution, mix model and budget, side by side.

:func:`channel_roi` checks the parameters, opens the data and computes every section the data
allow; each other section is left out with one line that says why and what to change. It needs
only users and events: CAC, ROAS, the mix model and the budget plan need ``spend``,
attribution needs ``touchpoints``, the method comparison compares whichever methods ran. The
notebook only displays what it returns (presentation: :mod:`opsnb.channels.present`).

The **mix model** is fitted on the daily (or weekly) number of new users from the paid
channels (sign-ups are what the spend drives, and they are far less noisy than revenue). Each
channel's modelled users are valued at that channel's observed revenue per new user over the
first ``roas_horizon_days`` days (from the unit economics), which gives the model's revenue
ROAS, marginal ROAS and the budget plan in money. With ``mmm_target="revenue"`` the target is
all revenue per period instead (the sum of ``events.revenue`` per day, as Robyn, PyMC-Marketing
and Meridian model it) and ROAS is modelled revenue / spend, with no valuation: the mix model
and the budget plan then need only ``spend`` and the revenue events, so a team whose sales are
known only as daily totals can load each total as one event of one pseudo-user
(``docs/data-contract.md``).

**Controls.** When the optional ``controls`` table is present, its variables (all of them, or
the names in ``controls``) enter the mix model's baseline: something that drives both spend
and sales (a season, a price cut) is otherwise credited to the channels. The model is then
fitted twice, with and without the controls, and the report shows each channel's ROAS both
ways (:meth:`ChannelROI.control_effect`). A control without a value for every fitted day is
left out with a warning naming it.

>>> import tempfile
>>> from opsnb.data.sample import generate
>>> d = tempfile.mkdtemp()
>>> _ = generate(d, seed=3, n_users=300)
>>> r = channel_roi(d, n_bootstrap=5, attribution_models=["last", "markov"])
>>> sorted(r.skipped), r.check_lines()[-1]
([], 'reallocation: +14.7% modelled revenue')
>>> r = channel_roi(d, start_date="2026-10-18", n_bootstrap=5,
...                 attribution_models=["last", "markov"])
>>> sorted(r.skipped)
['budget', 'mmm']
>>> print(r.skipped["mmm"].render("en"))  # doctest: +NORMALIZE_WHITESPACE
Left out: the mix model has 13 days of spend and sign-ups to fit 8 coefficients (2 paid channels
and the baseline terms); it needs at least 26 days. Widen the window (start_date, end_date) to
at least 26 days of spend.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from opsnb.channels import attribution as attr
from opsnb.channels.budget import BudgetPlan, reallocate
from opsnb.channels.economics import UnitEconomics, unit_economics
from opsnb.channels.mmm import MarketingMixModel, TooFewPeriods
from opsnb.channels.present import ChannelROIPresentation, plan_sentences
from opsnb.channels.transforms import adstock_memory
from opsnb.data.source import DataSource
from opsnb.data.window import Window, resolve_window
from opsnb.errors import ParameterError
from opsnb.report.contract import Report, Section
from opsnb.report.i18n import Verbatim, check_language
from opsnb.report.params import expect

WEEKLY_DECAYS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
MMM_TARGETS = ("signups", "revenue")

# ------------------------------------------------------------------ lines (catalogue keys)
NO_USERS = ("Left out: no users signed up between {window}, so no channel acquired anyone to "
            "follow. Choose start_date and end_date in which users signed up.")
NO_SPEND_IN_WINDOW = ("Left out: the spend table holds no spend between {window}, and CAC, ROAS "
                      "and payback divide by it. Load the spend of the report window, or choose "
                      "start_date and end_date inside the spend history.")
SPEND_PART_OF_WINDOW = ("Spend rows cover only {first} to {last} of the window {window}: CAC and "
                        "ROAS divide the revenue of every user acquired in the window by that "
                        "spend. Choose start_date and end_date inside the spend history.")
ROAS_TOO_YOUNG = ("The paid ROAS D{k} is not known yet: some paid channel has no users who signed "
                  "up at least {k} days before the data end. Lower roas_horizon_days or widen "
                  "the window.")
NO_CONVERSION_EVENT = ("Left out: no {event} events in the data, so there are no conversions to "
                       "attribute. Set conversion_event to an event name that occurs in the data.")
NO_CONVERSIONS = ("Left out: none of the users who signed up between {window} had a {event} "
                  "event by the end of the window, so there is nothing to attribute. Widen the "
                  "window or set conversion_event.")
NO_SHAPLEY = ("Shapley attribution left out: the touchpoints hold {k} channels, and exact Shapley "
              "values are computed for at most {max} (2^{k} channel sets). Group channels, or "
              "leave shapley out of attribution_models.")
DEPENDS_ON_UE = ("Left out: the mix model values each paid channel's sign-ups at its revenue per "
                 "user from the unit economics, which were left out (see there).")
NO_PAID_USERS = ("Left out: no paid channel (a channel with spend) acquired users between "
                 "{window}. Check that users.channel and spend.channel use the same channel "
                 "names.")
MMM_COEFFICIENTS = ("Left out: the mix model has {n} {unit} of spend and sign-ups to fit {k} "
                    "coefficients ({channels} paid channels and the baseline terms); it needs at "
                    "least {needed} {unit}. Widen the window (start_date, end_date) to at least "
                    "{needed} {unit} of spend.")
MMM_CARRY_OVER = ("Left out: the mix model has {n} {unit} of spend and sign-ups, fewer than the "
                  "{needed} {unit} that spend keeps working (adstock carry-over), so it cannot "
                  "tell carry-over from the baseline. Widen the window (start_date, end_date) or "
                  "load a longer spend history.")
MMM_VALIDATION = ("Left out: the mix model has {n} {unit} of spend and sign-ups, too few to hold "
                  "some back for validation. Widen the window (start_date, end_date) or load a "
                  "longer spend history.")
MMM_TOO_SHORT_REVENUE = {t: t.replace("spend and sign-ups", "spend and revenue")
                         for t in (MMM_COEFFICIENTS, MMM_CARRY_OVER, MMM_VALIDATION)}
MMM_DAILY_HELPS = " With mmm_frequency=D (daily) it needs {days} days."
MMM_LOW_R2 = ("The mix model explains only {share} of the day-to-day variation in new users: read "
              "its channel split with its intervals.")
DEPENDS_ON_MMM = ("Left out: the budget plan moves spend along the mix model's response curves, "
                  "and the mix model was left out (see there).")
ONE_CHANNEL = ("Left out: {channel} is the only paid channel, so with the total budget fixed "
               "there is nothing to reallocate. The response curve above shows what more or "
               "less spend would bring; set target_roas or budget to size the budget.")
VALUE_UNKNOWN = ("Left out: the plan values each channel's modelled sign-ups at its D{k} revenue "
                 "per user, which is not known yet for {names} (no users {k} days old). Lower "
                 "roas_horizon_days or widen the window.")
NO_REVENUE = ("Left out: the users of the paid channels brought no revenue in their first {k} "
              "days, so there is no revenue for the plan to gain. Check events.revenue (and "
              "conversion_event={event}).")
MMM_LOW_R2_REVENUE = ("The mix model explains only {share} of the day-to-day variation in revenue: "
                      "read its channel split with its intervals.")
NO_SPEND_CHANNELS = ("Left out: the spend table holds no spend between {window}, so there is no "
                     "channel to model. Load the spend of the report window.")
NO_REVENUE_EVENTS = ("Left out: the events hold no revenue between {window}, and with "
                     "mmm_target=revenue the mix model explains revenue. Load revenue events "
                     "(daily totals will do) or set mmm_target=signups.")
NO_PAID_SIGNUPS = ("Left out: no user who signed up between {window} came from a channel with "
                   "spend, so there is no CAC or ROAS per user. With mmm_target=revenue the mix "
                   "model and the budget plan below need only spend and revenue.")
NO_CONTROLS_TABLE = ("controls={names} asks for control variables, but {source} holds no controls "
                     "table: the mix model ran without controls.")
CONTROL_GAPS = ("Control {name} has no value on {n} of the {total} {unit} the mix model fits, so "
                "it was left out. Load a value for every day to use it.")
CONTROL_CONSTANT = ("Control {name} does not change over the {total} {unit} the mix model fits, so "
                    "it was left out (it cannot explain any change).")
TOO_FEW_METHODS = ("Left out: fewer than two methods ran on this data (each section above says "
                   "why), so there is nothing to compare.")


class ChannelROI(ChannelROIPresentation, Report):
    """Everything the Channel ROI report shows (numbers; presentation in the mixin)."""

    name = "channel_roi"
    title = "Channel ROI"
    required = ("users", "events")
    SECTIONS = (
        Section("economics", "Unit economics", needs=("spend",),
                shows="CAC, ROAS by horizon and payback per channel"),
        Section("attribution", "Attribution", needs=("touchpoints",),
                shows="which touchpoints before the first purchase get the credit, under seven "
                      "attribution models"),
        Section("mmm", "Marketing mix model", needs=("spend",), uses=("controls",),
                shows="how many sign-ups each channel's spend drives, its ROAS and marginal ROAS"),
        Section("comparison", "Where the methods agree and disagree",
                shows="each method's share of credit per channel, side by side"),
        Section("budget", "Budget reallocation", needs=("spend",),
                shows="the spend per channel that the mix model expects to earn the most"),
    )

    def __init__(self, source: DataSource, window: Window, parameters: dict,
                 roas_horizon_days: int = 30, mmm_target: str = "signups") -> None:
        super().__init__(source, window, parameters)
        self.roas_horizon_days = roas_horizon_days
        self.mmm_target = mmm_target
        self.controls_used: list[str] = []        # controls in the mix model
        self.controls_left_out: dict[str, str] = {}   # name -> why (gaps, constant)
        self.mmm_plain: MarketingMixModel | None = None   # the same model without controls
        self.mmm_table_plain: pd.DataFrame | None = None
        self.economics: UnitEconomics | None = None   # also when only its LTV part can run
        self.attribution: attr.Attribution | None = None
        self.mmm: MarketingMixModel | None = None
        self.mmm_table: pd.DataFrame | None = None
        self.plan: BudgetPlan | None = None

    # ------------------------------------------------------------------ numbers
    def headline(self) -> dict:
        k = self.roas_horizon_days
        h: dict = {key: None for key in (
            "total_spend", "new_users", "paid_new_users", "blended_cac", "paid_cac",
            f"paid_roas_d{k}", "best_channel", "best_roas", "worst_channel", "worst_roas")}
        h["horizon_days"] = k
        if self.economics is not None:
            if self.runs("economics"):
                h.update(self.economics.headline(k))
            else:
                h["new_users"] = int(self.economics.table["new_users"].sum())
        best = None
        if self.runs("mmm") and self.mmm_table is not None:
            ranked = self.mmm_table.dropna(subset=["marginal_roas"])
            best = ranked.sort_values("marginal_roas", ascending=False).iloc[0] if len(ranked) \
                else None
        ran_mmm = self.runs("mmm") and self.mmm is not None
        ran_plan = self.runs("budget") and self.plan is not None
        ran_attr = self.runs("attribution") and self.attribution is not None
        return {**h,
                "mmm_r2": self.mmm.r2_ if ran_mmm else None,
                "mmm_holdout_mape": self.mmm.holdout_mape_ if ran_mmm else None,
                "mmm_best_marginal_channel": best["channel"] if best is not None else None,
                "mmm_best_marginal_roas": float(best["marginal_roas"]) if best is not None
                else None,
                "reallocation_change_pct": self.plan.expected_change_pct if ran_plan else None,
                "reallocation_change": self.plan.expected_change if ran_plan else None,
                "reallocation_interval": [self.plan.change_low, self.plan.change_high]
                if ran_plan else None,
                "conversions_attributed": self.attribution.journeys.n_conversions
                if ran_attr else None}

    def comparison(self) -> pd.DataFrame | None:
        """Each channel's share of credit under every method that ran (None: fewer than two).

        The channels are the paid channels when the unit economics ran, else every acquisition
        channel; each column sums to 1 over them.
        """
        econ, k = self.economics, self.roas_horizon_days
        if econ is None:
            return None
        ue = (econ.paid if self.runs("economics") else econ.table).set_index("channel")
        channels = list(ue.index)
        if not channels:
            return None
        out = pd.DataFrame(index=channels)
        rev = ue[f"revenue_per_user_d{k}"].astype(float) * ue["new_users"]
        if rev.notna().any() and rev.sum() > 0:
            out[f"acquisition channel (D{k} revenue)"] = rev / rev.sum()
        if self.runs("attribution") and self.attribution is not None:
            w = self.attribution.wide("revenue_share").reindex(channels)
            for m in w.columns:
                if w[m].sum() > 0:
                    out[attr.MODEL_LABELS[m]] = w[m] / w[m].sum()
        if self.runs("mmm") and self.mmm_table is not None:
            mm = self.mmm_table.set_index("channel").reindex(channels)["revenue_contribution"]
            if mm.notna().all() and mm.sum() > 0:
                out["mix model"] = mm / mm.sum()
        if out.shape[1] < 2:
            return None
        out["spread"] = out.max(axis=1) - out.min(axis=1)
        out.index.name = "channel"
        return out.reset_index()

    def control_effect(self) -> pd.DataFrame | None:
        """Each channel's mix-model ROAS without and with the controls, and the change.

        ``change`` is with minus without; ``change_rel`` is the change over the ROAS without
        (None where that is 0). None when the model was not fitted both ways.
        """
        if self.mmm_plain is None or self.mmm_table is None:
            return None
        w = self.mmm_table.set_index("channel")["roas"]
        wo = self.mmm_table_plain.set_index("channel")["roas"].reindex(w.index)
        out = pd.DataFrame({"channel": w.index, "roas_without": wo.to_numpy(float),
                            "roas_with": w.to_numpy(float)})
        out["change"] = out["roas_with"] - out["roas_without"]
        base = out["roas_without"].where(out["roas_without"] != 0)
        out["change_rel"] = out["change"] / base
        return out

    def sections(self) -> dict:
        econ, a, k = self.economics, self.attribution, self.roas_horizon_days
        ran_attr = self.runs("attribution") and a is not None
        plan = None
        if self.runs("budget") and self.plan is not None:
            plan = {}
            for key, v in self.plan.to_dict().items():
                plan[key] = v
                if key == "channels":
                    plan["sentences"] = plan_sentences(self.plan, "en")
        mmm = None
        if self.runs("mmm") and self.mmm is not None:
            target = ("new users from paid channels per period, valued at each channel's "
                      f"D{k} revenue per new user" if self.mmm_target == "signups" else
                      "revenue per period (all revenue events), ROAS = modelled revenue / spend")
            mmm = {"target": target,
                   "frequency": self.mmm.frequency, "r2": self.mmm.r2_,
                   "holdout_mape": self.mmm.holdout_mape_,
                   "holdout_periods": self.mmm.holdout_periods_, "channels": self.mmm_table}
            if self.mmm_target != "signups":
                mmm["target_kind"] = self.mmm_target
            if self.controls_used or self.controls_left_out:
                mmm["controls"] = {
                    "used": list(self.controls_used), "left_out": dict(self.controls_left_out),
                    "coefficients_per_sd": {str(c): float(v) for c, v in
                                            self.mmm.control_coef_.items()}}
            if self.mmm_plain is not None:
                mmm["channels_without_controls"] = self.mmm_table_plain
                mmm["r2_without_controls"] = self.mmm_plain.r2_
                mmm["control_effect"] = self.control_effect()
                mmm["control_effect_sentence"] = self.control_sentence("en")
        return {
            "unit_economics": econ.to_frame() if econ is not None else None,
            "unit_economics_notes": [n.render("en") for n in econ.notes] if econ else [],
            "attribution": a.to_frame() if ran_attr else None,
            "attribution_set_aside": [s.__dict__ for s in a.journeys.set_aside]
            if ran_attr else [],
            "markov_removal_effects": a.markov.removal_effects if ran_attr and a.markov
            else None,
            "mmm": mmm,
            "reallocation": plan,
            "method_comparison": self.comparison() if self.runs("comparison") else None,
        }

    def check_lines(self) -> list[str]:
        h = self.headline()
        k = self.roas_horizon_days
        lines = [f"window: {self.window.label()}"]
        if self.runs("economics"):
            ue = self.economics.paid
            num = lambda x, f: "–" if x is None else format(x, f)  # noqa: E731
            lines += [f"total spend: {h['total_spend']:,.2f}; new users: {h['new_users']:,}; "
                      f"blended CAC: {num(h['blended_cac'], '.2f')}",
                      f"paid ROAS D{k}: {num(h[f'paid_roas_d{k}'], '.3f')}; "
                      f"best: {h['best_channel'] or '–'}; worst: {h['worst_channel'] or '–'}",
                      "ROAS D%d by channel: " % k + ", ".join(
                          f"{r['channel']} " + ("–" if pd.isna(r[f"roas_d{k}"])
                                                else f"{r[f'roas_d{k}']:.3f}")
                          for _, r in ue.iterrows())]
        elif h["new_users"] is not None:
            lines.append(f"new users: {h['new_users']:,}")
        if h["conversions_attributed"] is not None:
            lines.append(f"conversions attributed: {h['conversions_attributed']:,}")
        if h["mmm_r2"] is not None:
            lines.append(f"MMM R2: {h['mmm_r2']:.2f}; best marginal ROAS: "
                         f"{h['mmm_best_marginal_channel'] or '–'}")
            if self.mmm_target != "signups":
                lines.append(f"MMM target: {self.mmm_target}")
            if self.mmm_plain is not None:
                e = self.control_effect()
                lines.append("MMM ROAS without / with controls: " + ", ".join(
                    f"{r.channel} {r.roas_without:.3f} / {r.roas_with:.3f}"
                    for r in e.itertuples()))
        if self.runs("budget") and self.plan is not None:
            pct = h["reallocation_change_pct"]
            lines.append("reallocation: " + ("–" if pct is None else f"{pct:+.1%}")
                         + " modelled revenue")
        return lines


# ------------------------------------------------------------------ computation
def _mmm_inputs(source: DataSource, window: Window, paid: Sequence[str], frequency: str,
                max_decay: float, target: str = "signups"):
    """Daily spend per paid channel (with warm-up days before the window) and the target per
    period: paid new users (``signups``) or all revenue (``revenue``, the sum of
    ``events.revenue`` per day)."""
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
    if target == "revenue":
        n = _daily_revenue(source, window)
    else:
        u = source.table("users")
        u = u.filter(u.signup_at >= window.start, u.signup_at < window.end_exclusive,
                     u.channel.isin(list(paid)))
        n = u.group_by(day=u.signup_at.truncate("D")).aggregate(n=u.count()).to_pandas()
    y = pd.Series(n["n"].to_numpy(float), index=pd.to_datetime(n["day"])).reindex(days)
    inside = (days >= window.start) & (days + pd.Timedelta(days=1) <= window.complete_until)
    y = y.where(inside)
    y[inside] = y[inside].fillna(0.0)
    if frequency == "W":
        X, y = _weekly(X, "sum"), _weekly(y, "sum")
    return X, y


def _weekly(frame, how: str):
    """Daily rows to full weeks (Monday to Sunday): ``sum`` (spend, target; a week with a missing
    day stays missing) or ``mean`` (controls); partial weeks at either end are dropped."""
    days = frame.index
    week = days - pd.to_timedelta(days.day_of_week, unit="D")
    full = pd.Series(1, index=days).groupby(week).sum() == 7
    g = frame.groupby(week)
    out = (g.sum(min_count=7) if how == "sum" else g.mean())[full]
    if how == "mean":  # a week with a missing day stays missing
        out = out.where(g.count()[full] == 7)
    out.index.name = None
    return out


def _daily_revenue(source: DataSource, window: Window) -> pd.DataFrame:
    """All revenue per day in the window (columns ``day``, ``n``): one aggregate query."""
    ev = source.table("events")
    ev = ev.filter(ev.event_at >= window.start, ev.event_at < window.end_exclusive,
                   ev.revenue > 0)
    return ev.group_by(day=ev.event_at.truncate("D")).aggregate(n=ev.revenue.sum()).to_pandas()


def _spend_channels(source: DataSource, window: Window) -> list[str]:
    """The channels with spend in the window, largest first."""
    sp = source.table("spend")
    sp = sp.filter(sp.date >= window.start.date(), sp.date <= window.end.date())
    t = sp.group_by("channel").aggregate(spend=sp.spend.sum()).to_pandas()
    t = t[t["spend"] > 0].sort_values(["spend", "channel"], ascending=[False, True])
    return [str(c) for c in t["channel"]]


def control_names(source: DataSource) -> list[str]:
    """The names in the controls table (sorted)."""
    ct = source.table("controls")
    return sorted(str(x) for x in ct.select("name").distinct().to_pandas()["name"])


def _controls(report: ChannelROI, names: Sequence[str], X: pd.DataFrame, y: pd.Series,
              frequency: str) -> pd.DataFrame | None:
    """The controls on the model's periods (daily, or weekly means), only those with a value
    for every fitted period and some variation; the others are left out with a warning."""
    source = report.source
    ct = source.table("controls")
    lo, hi = X.index[0].date(), (X.index[-1] + pd.Timedelta(days=6 if frequency == "W" else 0))
    ct = ct.filter(ct.date >= lo, ct.date <= hi.date(), ct.name.isin(list(names)))
    c = ct.select("date", "name", "value").to_pandas()
    c["date"] = pd.to_datetime(c["date"])
    days = pd.date_range(lo, hi, freq="D")
    wide = c.pivot_table(index="date", columns="name", values="value", aggfunc="mean",
                         dropna=False).reindex(index=days, columns=list(names))
    if frequency == "W":
        wide = _weekly(wide, "mean")
    wide = wide.reindex(X.index)
    rows = y.notna().to_numpy().nonzero()[0]
    fitted = wide.iloc[rows[0]:rows[-1] + 1] if len(rows) else wide.iloc[:0]
    unit = "days" if frequency == "D" else "weeks"
    keep = []
    for name in names:
        v = fitted[name]
        if v.isna().any():
            report.controls_left_out[name] = "gaps"
            report.warn(CONTROL_GAPS, name=Verbatim(name), n=int(v.isna().sum()), total=len(v),
                        unit=unit)
        elif len(v) and v.max() == v.min():
            report.controls_left_out[name] = "constant"
            report.warn(CONTROL_CONSTANT, name=Verbatim(name), total=len(v), unit=unit)
        else:
            keep.append(name)
    report.controls_used = keep
    return wide[keep] if keep else None


def _new_users(source: DataSource, window: Window) -> int:
    u = source.table("users")
    return int(u.filter(u.signup_at >= window.start, u.signup_at < window.end_exclusive)
               .count().to_pandas())


def _spend_span(source: DataSource, window: Window) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    sp = source.table("spend")
    sp = sp.filter(sp.date >= window.start.date(), sp.date <= window.end.date(), sp.spend > 0)
    b = sp.aggregate(lo=sp.date.min(), hi=sp.date.max()).to_pandas().iloc[0]
    return None if pd.isna(b["lo"]) else (pd.Timestamp(b["lo"]), pd.Timestamp(b["hi"]))


def _economics(report: ChannelROI, conversion_event: str, ltv_horizon_days: int) -> None:
    source, window, k = report.source, report.window, report.roas_horizon_days
    horizons = tuple(sorted({7, k, 90}))
    with report.attempt("economics"):
        report.economics = unit_economics(source, window, conversion_event, ltv_horizon_days,
                                          horizons, require_spend=False)
    econ = report.economics
    if econ is None:
        return
    report.warnings.extend(econ.notes)
    if source.has("spend") and not econ.has_spend:
        report.skip("economics", NO_SPEND_IN_WINDOW, window=window.label())
    if not report.runs("economics"):
        return
    span = _spend_span(source, window)
    data_end = min(window.end, (window.complete_until - pd.Timedelta(days=1)).normalize())
    if span and (span[0] > window.start or span[1] < data_end):
        report.warn(SPEND_PART_OF_WINDOW, first=f"{span[0]:%Y-%m-%d}", last=f"{span[1]:%Y-%m-%d}",
                    window=window.label())
    if econ.headline(k)[f"paid_roas_d{k}"] is None and len(econ.paid):
        report.warn(ROAS_TOO_YOUNG, k=k)


def _attribution(report: ChannelROI, conversion_event: str, lookback_days: int,
                 models: Sequence[str], half_life_days: float, collapse_repeats: bool) -> None:
    if not report.runs("attribution"):
        return
    source, window = report.source, report.window
    ev = source.table("events")
    if int(ev.filter(ev.event == conversion_event).count().to_pandas()) == 0:
        report.skip("attribution", NO_CONVERSION_EVENT, event=conversion_event)
        return
    journeys = report.compute("attribution", lambda: attr.journeys_from_source(
        source, window, conversion_event, lookback_days))
    if journeys is None:
        return
    if journeys.n_conversions == 0:
        report.skip("attribution", NO_CONVERSIONS, window=window.label(), event=conversion_event)
        return
    models = list(models)
    if "shapley" in models and len(journeys.channels) > attr.MAX_SHAPLEY_CHANNELS:
        models.remove("shapley")
        report.warn(NO_SHAPLEY, k=len(journeys.channels), max=attr.MAX_SHAPLEY_CHANNELS)
    if models:
        report.attribution = report.compute("attribution", lambda: attr.attribute(
            journeys, models, half_life_days, collapse_repeats))


def _mix_model(report: ChannelROI, frequency: str, n_bootstrap: int, seed: int,
               controls: Sequence[str] = ()) -> None:
    if not report.runs("mmm"):
        return
    econ, window, k = report.economics, report.window, report.roas_horizon_days
    revenue = report.mmm_target == "revenue"
    if revenue:
        channels = _spend_channels(report.source, window)
        if not channels:
            report.skip("mmm", NO_SPEND_CHANNELS, window=window.label())
            return
        value = dict.fromkeys(channels, 1.0)   # the target is money already
    else:
        if econ is None or not report.runs("economics"):
            report.skip("mmm", DEPENDS_ON_UE)
            return
        paid = econ.paid[econ.paid["new_users"] > 0]
        if paid.empty:
            report.skip("mmm", NO_PAID_USERS, window=window.label())
            return
        channels = list(paid["channel"])
        value = dict(zip(paid["channel"], paid[f"revenue_per_user_d{k}"].astype(float)))
    decays = WEEKLY_DECAYS if frequency == "W" else None

    def new_model():   # revenue has an organic level and trend; paid sign-ups have none
        return MarketingMixModel(frequency=frequency, intercept=revenue, trend=revenue,
                                 n_bootstrap=n_bootstrap, seed=seed,
                                 **({"decays": decays} if decays else {}))
    model = new_model()
    with report.attempt("mmm"):
        try:
            X, y = _mmm_inputs(report.source, window, channels, frequency, max(model.decays),
                               report.mmm_target)
            if revenue and not (y.fillna(0) > 0).any():
                report.skip("mmm", NO_REVENUE_EVENTS, window=window.label())
                return
            if not y.notna().any():  # no complete period with sign-ups in the window
                raise TooFewPeriods("no complete period in the window", reason="carry_over",
                                    n=0, needed=adstock_memory(max(model.decays)),
                                    unit="days" if frequency == "D" else "weeks")
            ctl = None
            if report.source.has("controls"):
                ctl = _controls(report, controls or control_names(report.source), X, y,
                                frequency)
            report.mmm = model.fit(X, y, ctl)
            if ctl is not None:
                report.mmm_plain = new_model().fit(X, y)
        except TooFewPeriods as e:
            report.mmm = report.mmm_plain = None
            _too_few_periods(report, e, frequency, len(channels))
    if report.mmm is None:
        return
    report.mmm_table = _valued(model, value)
    if report.mmm_plain is not None:
        report.mmm_table_plain = _valued(report.mmm_plain, value)
    if model.r2_ < 0.3:
        report.warn(MMM_LOW_R2_REVENUE if revenue else MMM_LOW_R2, share=f"{model.r2_:.0%}")


def _valued(model: MarketingMixModel, value: dict) -> pd.DataFrame:
    """The model's channel table with its ROAS in money: each unit of the target valued at
    ``value`` (a channel's revenue per new user; 1 when the target is revenue)."""
    mt = model.channel_summary()
    v = mt["channel"].map(value).astype(float)
    mt["value_per_user"] = v
    mt["revenue_contribution"] = mt["contribution"] * v
    for col in ("roas", "roas_low", "roas_high", "marginal_roas", "marginal_roas_low",
                "marginal_roas_high"):
        mt[col] = mt[col] * v
    return mt


def _too_few_periods(report: ChannelROI, e: TooFewPeriods, frequency: str, n_channels: int):
    """The mix model's line: how many periods the data hold and need, and what helps."""
    values = dict(n=e.n, needed=e.needed, unit=e.unit)
    revenue = report.mmm_target == "revenue"
    if e.reason == "coefficients":
        text = MMM_COEFFICIENTS
        values.update(k=e.coefficients, channels=n_channels)
    else:
        text = MMM_CARRY_OVER if e.reason == "carry_over" else MMM_VALIDATION
    if revenue:
        text = MMM_TOO_SHORT_REVENUE[text]
    if frequency == "W":
        daily = MarketingMixModel(frequency="D", intercept=revenue, trend=revenue)
        base = daily._baseline(pd.date_range(report.window.start, periods=7), None)[0].shape[1]
        base += len(report.controls_used)
        memory = adstock_memory(max(daily.decays))
        text += MMM_DAILY_HELPS
        values["days"] = max(3 * (base + n_channels), 2 * memory)
    report.skip("mmm", text, **values)


def _budget(report: ChannelROI, budget, bounds, target_roas) -> None:
    if not report.runs("budget"):
        return
    if report.mmm is None or not report.runs("mmm"):
        report.skip("budget", DEPENDS_ON_MMM)
        return
    k, mt = report.roas_horizon_days, report.mmm_table
    spent = [c for c in report.mmm.channels_ if float(report.mmm.spend_[c].sum()) > 0]
    if len(spent) == 1 and target_roas is None and not budget:
        report.skip("budget", ONE_CHANNEL, channel=spent[0])
        return
    unknown = mt.loc[mt["value_per_user"].isna(), "channel"].tolist()
    if unknown:
        report.skip("budget", VALUE_UNKNOWN, k=k, names=", ".join(map(str, unknown)))
        return
    if not (mt["value_per_user"] > 0).any():
        report.skip("budget", NO_REVENUE, k=k, event=report.parameters["conversion_event"])
        return
    value = dict(zip(mt["channel"], mt["value_per_user"]))
    label = "revenue" if report.mmm_target == "revenue" else f"D{k} revenue"
    report.plan = report.compute("budget", lambda: reallocate(
        report.mmm, budget, bounds, value=value, response_label=label,
        target_roas=target_roas))


def _check_controls(report: ChannelROI, controls: Sequence[str]) -> None:
    """Names in ``controls`` must be in the controls table; without the table, one warning."""
    if not controls:
        return
    source = report.source
    if not source.has("controls"):
        report.warn(NO_CONTROLS_TABLE, names=Verbatim(", ".join(controls)),
                    source=Verbatim(source.description))
        return
    present = control_names(source)
    unknown = [c for c in controls if c not in present]
    if unknown:
        raise ParameterError(f"controls names {', '.join(map(repr, unknown))}, which the controls "
                             f"table does not hold; it holds: {', '.join(present) or 'no rows'}")


def channel_roi(data_dir=None, start_date: str = "", end_date: str = "",
                conversion_event: str = "purchase", ltv_horizon_days: int = 180,
                lookback_days: int = 30, half_life_days: float = 7.0,
                attribution_models: Sequence[str] = attr.MODELS, mmm_frequency: str = "D",
                budget=None, bounds=0.3, seed: int = 0, roas_horizon_days: int = 30,
                collapse_repeats: bool = True, n_bootstrap: int = 200,
                target_roas=None, controls: Sequence[str] = (), mmm_target: str = "signups",
                lang: str = "en", engine: str = "duckdb") -> ChannelROI:
    """Check the parameters, open the data and compute the Channel ROI report.

    ``budget`` fixes the total of the budget proposal; ``target_roas`` instead asks for the
    largest modelled D``roas_horizon_days`` revenue whose overall modelled ROAS (a ratio such as
    1.2) meets the target, with the total free within the bounds. Give at most one of them.
    ``controls`` names the control variables of the ``controls`` table the mix model uses
    (empty: all of them); ``mmm_target`` is what it explains: ``signups`` (paid sign-ups,
    valued at each channel's revenue per user) or ``revenue`` (all revenue per period).
    ``lang`` (``en`` or ``zh``) is the language the notebook shows the report in.
    """
    parameters = dict(data_dir=data_dir, start_date=start_date, end_date=end_date,
                      conversion_event=conversion_event, ltv_horizon_days=ltv_horizon_days,
                      lookback_days=lookback_days, half_life_days=half_life_days,
                      attribution_models=list(attribution_models)
                      if isinstance(attribution_models, (list, tuple)) else attribution_models,
                      mmm_frequency=mmm_frequency, budget=budget, bounds=bounds,
                      target_roas=target_roas, seed=seed, roas_horizon_days=roas_horizon_days,
                      collapse_repeats=collapse_repeats, n_bootstrap=n_bootstrap,
                      controls=list(controls) if isinstance(controls, (list, tuple)) else controls,
                      mmm_target=mmm_target, lang=lang)
    expect("lang", lang, "str")
    check_language(lang)
    expect("conversion_event", conversion_event, "str")
    ltv_horizon_days = expect("ltv_horizon_days", ltv_horizon_days, "int", minimum=7, maximum=3650)
    lookback_days = expect("lookback_days", lookback_days, "int", minimum=1, maximum=365)
    half_life_days = expect("half_life_days", half_life_days, "float", minimum=0.01)
    expect("attribution_models", attribution_models, "list")
    for m in attribution_models:
        expect("attribution_models item", m, "str", choices=attr.MODELS)
    if not attribution_models:
        raise ParameterError("attribution_models is empty; choose at least one of "
                             f"{', '.join(attr.MODELS)}")
    expect("mmm_frequency", mmm_frequency, "str", choices=("D", "W"))
    expect("mmm_target", mmm_target, "str", choices=MMM_TARGETS)
    if isinstance(controls, tuple):
        controls = list(controls)
    expect("controls", controls, "list")
    for c in controls:
        expect("controls item", c, "str")
    controls = list(dict.fromkeys(controls))   # each name once
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
    n_bootstrap = expect("n_bootstrap", n_bootstrap, "int", minimum=1)
    roas_horizon_days = expect("roas_horizon_days", roas_horizon_days, "int", minimum=1,
                               maximum=ltv_horizon_days)
    source = ChannelROI.open_source(data_dir, engine=engine)
    window = resolve_window(source, start_date, end_date, allow_empty=True)
    report = ChannelROI(source, window, parameters, roas_horizon_days, mmm_target)
    _check_controls(report, controls)
    report.missing_tables()  # (an empty window is said in the data notes)
    revenue = mmm_target == "revenue"
    if _new_users(source, window) == 0:   # the revenue mix model needs no users
        for key in ("economics", "attribution") if revenue else (
                "economics", "attribution", "mmm", "budget"):
            report.skip(key, NO_USERS, window=window.label())
    else:
        _economics(report, conversion_event, ltv_horizon_days)
        econ = report.economics
        if revenue and report.runs("economics") and econ is not None and \
                not (econ.paid["new_users"] > 0).any():
            report.skip("economics", NO_PAID_SIGNUPS, window=window.label())
            # its notes (users without spend, spend without users) are about that section
            report.warnings = [w for w in report.warnings if w not in econ.notes]
    _attribution(report, conversion_event, lookback_days, attribution_models, half_life_days,
                 collapse_repeats)
    _mix_model(report, mmm_frequency, n_bootstrap, seed, controls)
    _budget(report, budget, bounds, target_roas)
    if report.comparison() is None:
        report.skip("comparison", TOO_FEW_METHODS)
    return report
