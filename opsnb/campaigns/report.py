"""The campaign impact report: did a campaign that was not randomised work, by how much, and
how sure are we.

It requires users, events and campaigns; controls (holidays, a price index, competitor
activity...) are used when present. One campaign per run (``campaign_id``; empty: the latest
campaign that started inside the data). Which methods run depends on what the campaign treated
(the ``treated`` column, :mod:`opsnb.campaigns.spec`):

===================  ======================================================================
treated              methods
===================  ======================================================================
``all``              interrupted time series on the platform's KPI
``region=华东``       synthetic control and difference-in-differences against the untreated
                     values of the dimension, and the time series of the treated units
``users=checkin``    participants against matched non-participants (observational), and
                     the time series of the platform's KPI
===================  ======================================================================

``method`` picks the method the headline leads with (``auto``: synthetic control for units,
matching for participants, the time series otherwise); every method that fits the campaign
runs, and the report sets their results side by side.

>>> r = campaign_impact(campaign_id="C-ZJ-PUSH", placebo_runs=5)
>>> r.primary
'synthetic_control'
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from opsnb.campaigns import present
from opsnb.campaigns.estimate import Estimate
from opsnb.campaigns.panel import MIN_PRE_DAYS
from opsnb.campaigns.spec import Campaign
from opsnb.diagnostics.kpis import NONE_LABEL
from opsnb.errors import DataError, ParameterError
from opsnb.report.contract import Report, Section
from opsnb.report.i18n import Verbatim, check_language

KPIS = ("dau", "new_users", "revenue")
METHODS = ("auto", "its", "synthetic_control", "did", "matching")
DAY = pd.Timedelta(days=1)
# what each method needs the campaign to have treated
APPLIES = {"its": ("all", "units", "users"), "synthetic_control": ("units",),
           "did": ("units",), "matching": ("users",)}
# the section of each method
SECTION_OF = {"its": "its", "synthetic_control": "synthetic_control", "did": "did",
              "matching": "participants"}


def campaigns_sample_dir() -> Path:
    """The bundled campaign sample (``data/sample/campaigns``)."""
    from opsnb.data.source import default_sample_dir

    return default_sample_dir() / "campaigns"


def verdict_of(e: Estimate | None) -> str:
    """``worked`` (interval above 0), ``harmful`` (below 0), ``unclear`` or ``no_estimate``.

    >>> verdict_of(Estimate(5.0, 1.0, 9.0)), verdict_of(Estimate(5.0, -1.0, 9.0))
    ('worked', 'unclear')
    """
    if e is None or not np.isfinite(e.value):
        return "no_estimate"
    if e.lower > 0:
        return "worked"
    if e.upper < 0:
        return "harmful"
    return "unclear"


class CampaignImpact(Report):
    """Interrupted time series, synthetic control, difference-in-differences, matched
    participants and the money of one campaign."""

    name = "campaign_impact"
    title = "Campaign impact"
    required = ("users", "events", "campaigns")
    SECTIONS = (
        Section("methods", "Every method side by side",
                shows="each method's estimate of the lift beside the others"),
        Section("its", "The campaign against its own forecast", uses=("controls",),
                shows="the KPI against a forecast from the days before the campaign"),
        Section("synthetic_control", "Synthetic control: against a weighted mix of untreated "
                "units", shows="the treated units against a weighted mix of untreated units, "
                "with placebo tests"),
        Section("did", "Difference-in-differences and event study",
                shows="the change of the treated units beyond the change of the others, week "
                "by week"),
        Section("participants", "Participants against matched non-participants",
                shows="participants against similar users who did not join"),
        Section("money", "Money: incremental users, revenue, cost and ROI",
                shows="incremental users and revenue, cost per incremental user and ROI"),
    )

    def __init__(self, source, window, parameters: dict | None = None) -> None:
        super().__init__(source, window, parameters)
        self.campaign: Campaign | None = None
        self.kpi = "dau"
        self.primary: str | None = None
        self.others: list = []
        self.pre_start = self.analysis_end = None
        self.in_progress = False
        self.controls: pd.DataFrame | None = None
        self.panel: pd.DataFrame | None = None
        self.series: pd.Series | None = None
        self.its = self.sc = self.did = self.match = self.money = None
        self.participants = None
        self.revenue_estimate: Estimate | None = None

    # ------------------------------------------------------------------ computation
    def run(self, campaign: Campaign, campaigns: list[Campaign], kpi: str, pre_start, end,
            method: str, controls, placebo_runs: int, alpha: float, after_days: int,
            seed: int) -> CampaignImpact:
        from opsnb.campaigns.spec import overlapping

        self.campaign, self.kpi, self.alpha, self.seed = campaign, kpi, alpha, seed
        self.placebo_runs, self.after_days = placebo_runs, after_days
        self.pre_start, self.analysis_end = pre_start, end
        self.in_progress = end < campaign.end
        fits = [m for m, scopes in APPLIES.items() if campaign.scope in scopes]
        if method != "auto" and method not in fits:
            raise ParameterError(
                f"method={method!r} does not fit campaign {campaign.campaign_id!r}, which "
                f"treated {campaign.treated!r}; methods that fit it: auto, {', '.join(fits)}")
        self.primary = method if method != "auto" else (
            "synthetic_control" if campaign.scope == "units" else
            "matching" if campaign.scope == "users" else "its")
        for m, key in SECTION_OF.items():
            if m not in fits:
                self.skip(key, NOT_FOR[m], treated=Verbatim(campaign.treated))
        self.others = overlapping(campaign, campaigns)
        for o in self.others:
            self.warn("Campaign {other} ({dates}) overlaps this one: the estimates include its "
                      "effect{where}.", other=Verbatim(o.campaign_id), dates=o.label(),
                      where=Verbatim("") if o.scope != "units" else Verbatim(
                          f" ({o.treated})"))
        if self.in_progress:
            self.warn("The campaign runs until {end}; this report reads its first {days} of "
                      "{total} days.", end=f"{campaign.end:%Y-%m-%d}",
                      days=(end - campaign.start).days + 1, total=campaign.days)
        pre_days = (campaign.start - pre_start).days
        if pre_days < MIN_PRE_DAYS:
            self.skip_all("Left out: the campaign starts on {start} and the data hold {days} "
                          "days before it; every method needs at least {need}. Fix: load "
                          "earlier data or set start_date earlier.",
                          start=f"{campaign.start:%Y-%m-%d}", days=max(pre_days, 0),
                          need=MIN_PRE_DAYS)
            return self
        if self.source.has("controls"):
            self._controls(controls)
        elif controls:
            self.warn("controls names {names}, but the data hold no controls table; the "
                      "time series runs without control variables.",
                      names=Verbatim(", ".join(controls)))
        if campaign.scope == "units":
            self._units()
        else:
            self.series = self._total(self.kpi)
        self.its = self.compute("its", lambda: self._its(self.treated_series(), self.controls))
        if campaign.scope == "units" and self.panel is not None:
            self.sc = self.compute("synthetic_control", self._synth)
            self.did = self.compute("did", self._did)
        if campaign.scope == "users":
            self.match = self.compute("participants", self._participants)
        self.money = self.compute("money", self._money)
        return self

    def _total(self, kpi: str) -> pd.Series:
        from opsnb.diagnostics.kpis import daily_series, parse_kpi

        return daily_series(self.source, parse_kpi(kpi), self.pre_start,
                            self.analysis_end + DAY)

    def _panel(self, kpi: str) -> pd.DataFrame:
        from opsnb.campaigns.panel import unit_panel

        return unit_panel(self.source, kpi, self.campaign.dimension, self.pre_start,
                          self.analysis_end + DAY)

    def _units(self) -> None:
        c = self.campaign
        if c.dimension not in self.source.table("users").columns:
            for key in ("its", "synthetic_control", "did", "money"):
                self.skip(key, "Left out: the campaign treated {treated}, but {dim} is not a "
                          "column of the users table. Fix: the campaigns table's treated "
                          "column.", treated=Verbatim(c.treated), dim=Verbatim(c.dimension))
            return
        panel = self._panel(self.kpi)
        missing = [u for u in c.units if u not in panel.columns]
        if missing:
            present_units = [u for u in panel.columns if u not in c.units]
            text = ("Left out: the campaign treated {units}, which no user's {dim} holds in the "
                    "data; {dim} holds {present}. Fix: the campaigns table's treated column.")
            values = dict(units=Verbatim(", ".join(missing)), dim=Verbatim(c.dimension),
                          present=Verbatim(", ".join(present_units[:12])
                                           + (" …" if len(present_units) > 12 else "")))
            if len(missing) == len(c.units):
                for key in ("its", "synthetic_control", "did", "money"):
                    self.skip(key, text, **values)
                return
            self.warn(text.replace("Left out: ", "").replace(" Fix:", " The others are "
                      "analysed. Fix:"), **values)
        self.treated_units = [u for u in c.units if u in panel.columns]
        # donors: not treated, not treated by an overlapping campaign on the same dimension
        touched = {u for o in self.others if o.scope == "units" and o.dimension == c.dimension
                   for u in o.units}
        self.excluded_donors = sorted(touched.intersection(panel.columns) - set(c.units))
        if self.excluded_donors:
            self.warn("{units} also had campaign {others} at the same time and are left out of "
                      "the comparison units.", units=Verbatim(", ".join(self.excluded_donors)),
                      others=Verbatim(", ".join(o.campaign_id for o in self.others)))
        self.donors = [u for u in panel.columns
                       if u not in c.units and u not in self.excluded_donors and u != NONE_LABEL]
        if NONE_LABEL in panel.columns and NONE_LABEL not in c.units:
            self.warn("Users without a {dim} are not a comparison unit and are left out of the "
                      "synthetic control and difference-in-differences.",
                      dim=Verbatim(c.dimension))
        self.panel = panel

    def treated_series(self) -> pd.Series:
        if self.panel is not None:
            return self.panel[self.treated_units].sum(axis=1)
        if self.series is None:
            raise ParameterError("the campaign's units are not in the data (see above)")
        return self.series

    def _controls(self, names) -> None:
        from opsnb.campaigns.panel import controls_frame

        frame, gaps = controls_frame(self.source, list(names or []), self.pre_start,
                                     self.analysis_end + DAY)
        for name, n in gaps.items():
            if n:
                self.warn("Control {name} has no value on {n} days between {start} and {end} "
                          "and is left out. Fix: give it a value for every day (0 on days "
                          "without the event).", name=Verbatim(name), n=n,
                          start=f"{self.pre_start:%Y-%m-%d}", end=f"{self.analysis_end:%Y-%m-%d}")
        keep = [c for c in frame.columns if not gaps.get(c)]
        self.controls = frame[keep] if keep else None

    def _its(self, y: pd.Series, controls):
        from opsnb.campaigns.its import interrupted_time_series

        return interrupted_time_series(y, self.campaign.start, self.analysis_end,
                                       controls=controls, alpha=self.alpha, seed=self.seed)

    def _synth(self, panel: pd.DataFrame | None = None, placebo_runs: int | None = None):
        from opsnb.campaigns.synth import synthetic_control

        panel = self.panel if panel is None else panel
        return synthetic_control(panel[self.treated_units + self.donors], self.treated_units,
                                 self.campaign.start, self.analysis_end, alpha=self.alpha,
                                 placebo_runs=self.placebo_runs if placebo_runs is None
                                 else placebo_runs, seed=self.seed)

    def _did(self, panel: pd.DataFrame | None = None):
        from opsnb.campaigns.did import difference_in_differences

        panel = self.panel if panel is None else panel
        return difference_in_differences(panel[self.treated_units + self.donors],
                                         self.treated_units, self.campaign.start,
                                         self.analysis_end, alpha=self.alpha)

    def _participants(self):
        from opsnb.campaigns.matching import match_participants
        from opsnb.campaigns.participants import participant_frame

        self.participants = participant_frame(self.source, self.campaign,
                                              (self.campaign.start - self.pre_start).days,
                                              self.after_days)
        return match_participants(self.participants, method="auto", alpha=self.alpha,
                                  seed=self.seed)

    # ------------------------------------------------------------------ the estimates
    def result_of(self, method: str):
        return {"its": self.its, "synthetic_control": self.sc, "did": self.did,
                "matching": self.match}[method]

    def estimates(self) -> pd.DataFrame:
        """One row per method that ran: its cumulative and relative effect with intervals."""
        rows = []
        for m in APPLIES:
            res = self.result_of(m)
            if res is None:
                continue
            cum, rel, p = present.method_numbers(self, m)
            rows.append({"method": m, "primary": m == self.primary,
                         "cumulative": cum.value, "cumulative_lower": cum.lower,
                         "cumulative_upper": cum.upper, "relative": rel.value,
                         "relative_lower": rel.lower, "relative_upper": rel.upper,
                         "p_value": p})
        return pd.DataFrame(rows)

    def primary_estimate(self) -> Estimate | None:
        res = self.result_of(self.primary) if self.primary else None
        if res is None:
            return None
        return present.method_numbers(self, self.primary)[0]

    def disagreements(self) -> list[str]:
        """The methods whose interval of the relative lift does not overlap the primary's."""
        est = self.estimates()
        if self.campaign is not None and self.campaign.scope == "users":
            return []  # the platform during the campaign against participants after it
        if len(est) < 2 or not est["primary"].any():
            return []
        p = est[est["primary"]].iloc[0]
        out = []
        for _, r in est[~est["primary"]].iterrows():
            if r["relative_upper"] < p["relative_lower"] or r["relative_lower"] > p["relative_upper"]:
                out.append(r["method"])
        return out

    def _money(self):
        from opsnb.campaigns.money import money

        c = self.campaign
        if self.primary == "matching":
            m = self.match
            if m is None:
                raise ParameterError("the matched comparison could not run (see above)")
            n = m.n_matched
            units = m.effect("active_days", "matched").scaled(n)
            revenue = m.effect("revenue", "matched").scaled(n)
            return money(units, revenue, c.cost, "user_days")
        units = present.method_numbers(self, self.primary)[0] if self.result_of(
            self.primary) is not None else None
        if units is None:
            raise ParameterError("the lead method could not run (see above)")
        unit = {"dau": "user_days", "new_users": "new_users", "revenue": "revenue"}[self.kpi]
        if self.kpi == "revenue":
            revenue = units
        else:
            try:
                revenue = self._revenue_estimate()
            except (DataError, ParameterError):  # no revenue before the campaign, say
                revenue = None
        return money(units, revenue, c.cost, unit)

    def _revenue_estimate(self) -> Estimate | None:
        """The lead method's cumulative effect on revenue (the same method, the revenue KPI)."""
        if self.primary == "its":
            y = (self._panel("revenue")[self.treated_units].sum(axis=1)
                 if self.panel is not None else self._total("revenue"))
            return self._its(y, self.controls).cumulative
        panel = self._panel("revenue")
        if self.primary == "synthetic_control":
            return self._synth(panel, placebo_runs=self.placebo_runs).cumulative
        return self._did(panel).cumulative

    # ------------------------------------------------------------------ numbers
    def headline(self) -> dict:
        c = self.campaign
        e = self.primary_estimate()
        cum, rel, p = (present.method_numbers(self, self.primary)
                       if e is not None else (None, None, None))
        mo = self.money
        return {
            "campaign_id": c.campaign_id if c else None,
            "campaign": c.name if c else None,
            "kind": c.kind if c else None,
            "treated": c.treated if c else None,
            "start": f"{c.start:%Y-%m-%d}" if c else None,
            "end": f"{c.end:%Y-%m-%d}" if c else None,
            "analysed_until": f"{self.analysis_end:%Y-%m-%d}" if self.analysis_end is not None
            else None,
            "in_progress": self.in_progress,
            "kpi": self.kpi,
            "method": self.primary,
            "verdict": verdict_of(e),
            "cumulative_effect": None if cum is None else cum.to_dict(),
            "relative_effect": None if rel is None else rel.to_dict(),
            "p_value": p,
            "disagree": self.disagreements(),
            "cost": c.cost if c else None,
            "incremental_revenue": None if mo is None or mo.incremental_revenue is None
            else mo.incremental_revenue.to_dict(),
            "roi": None if mo is None or mo.roi is None else mo.roi.to_dict(),
        }

    def sections(self) -> dict:
        out: dict = {"estimates": self.estimates()}
        if self.its is not None:
            out["its"] = present.its_summary(self.its)
        if self.sc is not None:
            out["synthetic_control"] = present.synth_summary(self.sc)
        if self.did is not None:
            out["did"] = present.did_summary(self.did)
        if self.match is not None:
            out["participants"] = present.match_summary(self.match, self.participants)
        if self.money is not None:
            out["money"] = self.money.to_dict()
        return out

    def check_lines(self) -> list[str]:
        c = self.campaign
        lines = [f"campaign {c.campaign_id} ({c.treated}) {c.label()}, kpi {self.kpi}, "
                 f"method {self.primary}"]
        h = self.headline()
        lines.append(f"verdict: {h['verdict']}")
        for _, r in self.estimates().iterrows():
            lines.append(f"{r['method']}: {r['relative']:+.1%} "
                         f"[{r['relative_lower']:+.1%}, {r['relative_upper']:+.1%}]")
        if self.money is not None and self.money.roi is not None:
            roi = self.money.roi
            lines.append(f"ROI {roi.value:+.2f} [{roi.lower:+.2f}, {roi.upper:+.2f}]")
        return lines

    # ------------------------------------------------------------------ presentation
    def headline_items(self, lang: str = "en") -> list[tuple[str, str, str]]:
        return present.headline_items(self, lang)

    def headline_blocks(self, lang: str = "en") -> list:
        return present.headline_blocks(self, lang)

    def headline_title(self, lang: str = "en") -> str:
        return present.headline_title(self, lang)

    def show_methods(self, lang: str = "en") -> list:
        return present.show_methods(self, lang)

    def show_its(self, lang: str = "en") -> list:
        return present.show_its(self, lang)

    def show_synthetic_control(self, lang: str = "en") -> list:
        return present.show_synthetic_control(self, lang)

    def show_did(self, lang: str = "en") -> list:
        return present.show_did(self, lang)

    def show_participants(self, lang: str = "en") -> list:
        return present.show_participants(self, lang)

    def show_money(self, lang: str = "en") -> list:
        return present.show_money(self, lang)


NOT_FOR = {  # why a method that does not fit the campaign is left out (the time series fits all)
    "synthetic_control": "Left out: the campaign treated {treated}; a synthetic control needs a "
    "campaign on some units of a dimension (treated region=华东, say) and others left untreated.",
    "did": "Left out: the campaign treated {treated}; difference-in-differences needs treated "
    "and untreated units (treated region=华东, say).",
    "matching": "Left out: the campaign treated {treated}; the matched comparison is for "
    "campaigns users join (treated users=<event>).",
}


def campaign_impact(data_dir=None, start_date: str = "", end_date: str = "",
                    campaign_id: str = "", kpi: str = "dau", pre_days: int = 56,
                    after_days: int = 14, method: str = "auto", controls=None,
                    placebo_runs: int = 20, alpha: float = 0.05, seed: int = 0,
                    lang: str = "en", engine: str = "duckdb") -> CampaignImpact:
    """Load and validate the data, then measure the impact of one campaign.

    ``campaign_id`` (empty: the latest campaign that started inside the data); ``kpi`` the
    outcome (dau, new_users, revenue); ``pre_days`` the days before the campaign the methods
    learn from (``start_date``, when set, is the first of them); ``end_date`` (empty: the
    campaign's last day) the last day read; ``after_days`` the days after the campaign over
    which participants' retention and revenue are measured; ``method`` the method the headline
    leads with (auto, its, synthetic_control, did, matching); ``controls`` the control
    variables to use (empty: every one in the controls table); ``placebo_runs`` the
    placebo-in-time runs; ``alpha`` 1 - the intervals' level; ``seed`` the simulations.
    Empty ``data_dir``: the bundled campaign sample.
    """
    from opsnb.campaigns.spec import choose_campaign, load_campaigns
    from opsnb.data.engine import check_engine
    from opsnb.data.source import own_sample
    from opsnb.data.window import parse_date, resolve_window
    from opsnb.report.params import expect

    check_language(lang)
    expect("campaign_id", campaign_id, "str")
    expect("kpi", kpi, "str", choices=KPIS)
    pre_days = expect("pre_days", pre_days, "int", minimum=MIN_PRE_DAYS, maximum=3650)
    after_days = expect("after_days", after_days, "int", minimum=1, maximum=365)
    expect("method", method, "str", choices=METHODS)
    controls = [] if controls is None else controls
    expect("controls", controls, "list")
    if not all(isinstance(c, str) for c in controls):
        raise ParameterError(f"parameter controls={controls!r} must list control names")
    placebo_runs = expect("placebo_runs", placebo_runs, "int", minimum=0, maximum=10_000)
    alpha = float(expect("alpha", alpha, "float", minimum=0.001, maximum=0.5))
    seed = expect("seed", seed, "int", minimum=0)
    expect("start_date", start_date, "str")
    expect("end_date", end_date, "str")
    engine = check_engine(engine)
    parameters = dict(data_dir=data_dir, start_date=start_date, end_date=end_date,
                      campaign_id=campaign_id, kpi=kpi, pre_days=pre_days,
                      after_days=after_days, method=method, controls=list(controls),
                      placebo_runs=placebo_runs, alpha=alpha, seed=seed, lang=lang,
                      engine=engine)
    data_dir = own_sample(data_dir, "campaigns")
    source = CampaignImpact.open_source(data_dir, engine=engine)
    campaigns = load_campaigns(source)
    data = resolve_window(source, allow_empty=True)
    first = data.data_first.normalize()
    last_complete = data.complete_until - DAY
    campaign = choose_campaign(campaigns, campaign_id, last_complete + DAY)
    end = parse_date(end_date, "end_date") or min(campaign.end, last_complete)
    end = min(end, campaign.end)
    start = parse_date(start_date, "start_date") or campaign.start - pre_days * DAY
    start = max(start, first)
    if campaign.start > last_complete:
        raise ParameterError(
            f"campaign_id={campaign.campaign_id!r} starts on {campaign.start:%Y-%m-%d}, after "
            f"the last complete day of the data ({last_complete:%Y-%m-%d}); choose a campaign "
            "inside the data or load newer data")
    if end < campaign.start:
        raise ParameterError(f"end_date {end:%Y-%m-%d} is before the campaign's first day "
                             f"{campaign.start:%Y-%m-%d}")
    if start >= campaign.start:
        start = min(start, campaign.start)
    window = resolve_window(source, f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}", allow_empty=True)
    report = CampaignImpact(source, window, parameters)
    report.missing_tables()
    return report.run(campaign, campaigns, kpi, start, end, method, controls, placebo_runs,
                      alpha, after_days, seed)


__all__ = ["CampaignImpact", "campaign_impact", "campaigns_sample_dir"]
