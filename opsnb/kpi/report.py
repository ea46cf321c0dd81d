"""The KPI overview report: its sections, its headline and the entry point ``kpi_overview``.

It needs only the users and events tables. Each section runs on what the data holds:

* a window without events still completes: the headline says so and names the data's range;
* funnel events that never occur leave the funnel out with one line that names them, lists the
  events the data does hold and shows how to set ``funnel_steps``; DAU, revenue, ARPU and the
  other sections run as usual.

>>> r = kpi_overview(start_date="2026-10-01", end_date="2026-10-31", period="week")
>>> r.check_lines()[0]
'window: 2026-10-01 – 2026-10-31'
>>> r.runs("funnel"), r.headline()["active_users"] > 0
(True, True)
>>> kpi_overview(funnel_steps=["app_open", "purchase"]).skipped["funnel"].values["missing"]
'app_open'
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from opsnb.data import periods
from opsnb.data.window import Window, resolve_window
from opsnb.errors import ParameterError
from opsnb.kpi.active import ActiveUsers, active_users
from opsnb.kpi.funnel import (
    DEFAULT_FUNNEL, Funnel, event_counts, funnel, missing_steps, suggest_steps,
)
from opsnb.kpi.per_period import PeriodKPIs, period_kpis
from opsnb.kpi.totals import window_totals
from opsnb.report import fmt, html
from opsnb.report.contract import Report, Section
from opsnb.report.i18n import Translator, check_language

# display formats of the report's tables
NEW_USERS_FORMATS = {"new_users": "count", "share": "pct"}
PERIOD_COLUMNS = ["period", "active_users", "new_users", "paying_users", "revenue", "arpu",
                  "arppu", "paying_conversion"]
PERIOD_FORMATS = {"active_users": "count", "new_users": "count", "paying_users": "count",
                  "revenue": "money", "arpu": "money", "arppu": "money",
                  "paying_conversion": "pct"}
FUNNEL_FORMATS = {"users": "count", "step_conversion": "pct", "overall_conversion": "pct"}
FUNNEL_BY_FORMATS = {"users": "count", "overall_conversion": "pct"}

NO_EVENTS_WARNING = ("No events between {window}. The events table runs from {first} to {last}; "
                     "set start_date and end_date inside it.")
NO_EVENTS = ("Left out: no events between {window}. Fix: set start_date and end_date inside the "
             "data ({first} to {last}).")
NO_SIGNUPS = "Left out: no user signed up between {window} (users.signup_at)."
MISSING_STEPS = ("Left out: the funnel events {missing} never occur between {window}. The events "
                 "most users did are {present}. Fix: set funnel_steps to event names of your "
                 "data, e.g. -p funnel_steps='{example}'.")
EVENT_SECTIONS = ("active", "monetisation", "funnel")
NO_STICKINESS = ("Stickiness (DAU / MAU) is left out: no day of the window has {n} days of data "
                 "behind it for MAU. Lower mau_days or choose a later end_date.")


class KPIOverview(Report):
    """Active users, new users by channel, revenue per user and the purchase funnel."""

    name = "kpi_overview"
    title = "KPI overview"
    required = ("users", "events")
    SECTIONS = (
        Section("active", "Active users",
                shows="DAU, WAU and MAU per day and stickiness (DAU / MAU)"),
        Section("new_users", "New users by acquisition channel",
                shows="new users per period by users.channel"),
        Section("monetisation", "Revenue per user and paying conversion",
                shows="ARPU, ARPPU and paying conversion per period"),
        Section("funnel", "Purchase funnel",
                shows="the users reaching each funnel step, overall and by channel"),
    )

    def __init__(self, source, window: Window, parameters: dict | None = None) -> None:
        super().__init__(source, window, parameters)
        self.totals: dict = {}
        self.active: ActiveUsers | None = None
        self.periods: PeriodKPIs | None = None
        self.funnel: Funnel | None = None
        self.funnel_by_channel: Funnel | None = None
        self.missing_steps: list[str] = []

    # ------------------------------------------------------------------ computation
    def run(self, period: str = "week", mau_days: int = 30,
            funnel_steps: Sequence[str] = DEFAULT_FUNNEL,
            funnel_within_days: int | None = None) -> KPIOverview:
        """Compute every section that the data allows; returns self."""
        src, w = self.source, self.window
        self.totals = window_totals(src, w, allow_empty=True)
        no_events = self.totals["active_users"] == 0
        if no_events:  # outside the data (window.empty) or in a gap inside it
            bounds = {"window": w.label(), "first": f"{w.data_first:%Y-%m-%d}",
                      "last": f"{w.data_last:%Y-%m-%d}"}
            self.warn(NO_EVENTS_WARNING, **bounds)
        for key in (s.key for s in self.SECTIONS):  # in reading order
            if no_events and key in EVENT_SECTIONS:
                self.skip(key, NO_EVENTS, **bounds)
            elif key == "new_users" and self.totals["new_users"] == 0:
                self.skip(key, NO_SIGNUPS, window=w.label())
        self.active = self.compute("active", lambda: active_users(src, w, mau_days=mau_days))
        if self.runs("new_users") or self.runs("monetisation"):
            self.periods = period_kpis(src, w, period=period)
        if self.runs("funnel"):
            self.missing_steps = missing_steps(src, w, funnel_steps)
        if self.missing_steps:
            counts = event_counts(src, w)
            self.skip("funnel", MISSING_STEPS, missing=", ".join(self.missing_steps),
                      window=w.label(),
                      present=", ".join(f"{e} ({n:,})" for e, n in
                                        zip(counts["event"][:6], counts["users"][:6])),
                      example=json.dumps(suggest_steps(counts), ensure_ascii=False))
        self.funnel = self.compute("funnel", lambda: funnel(
            src, w, funnel_steps, within_days=funnel_within_days))
        self.funnel_by_channel = self.compute("funnel", lambda: funnel(
            src, w, funnel_steps, within_days=funnel_within_days, by="channel"))
        return self

    # ------------------------------------------------------------------ numbers
    def headline(self) -> dict:
        a = self.active.headline() if self.active is not None else {}
        change = self.periods.last_change() if self.periods is not None else {}
        return {
            **{k: self.totals.get(k) for k in ("active_users", "new_users", "paying_users",
                                               "revenue", "arpu", "arppu", "paying_conversion")},
            "avg_dau": a.get("avg_dau"), "wau": a.get("wau"), "mau": a.get("mau"),
            "mau_as_of": a.get("as_of_day"), "avg_stickiness": a.get("avg_stickiness"),
            "funnel_conversion": self.funnel.overall() if self.funnel is not None else None,
            "last_complete_period": change,
        }

    def sections(self) -> dict:
        out: dict = {}
        if self.active is not None:
            out["active_users"] = self.active.to_frame()[["date", "dau", "wau", "mau",
                                                          "stickiness", "complete",
                                                          "mau_complete"]]
        if self.periods is not None:
            out["periods"] = self.periods.to_frame()
            out["new_users_by_channel"] = self.periods.new_by_channel
        if self.funnel is not None:
            # event names, not the display labels of to_frame()
            out["funnel"] = self.funnel.table.copy()
            out["funnel_by_channel"] = self.funnel_by_channel.table.copy()
        return out

    def check_lines(self) -> list[str]:
        """Stable headline numbers for the notebook's checked cell."""
        h = self.headline()

        def num(x, spec: str) -> str:
            return "–" if fmt.missing(x) else format(x, spec)

        lines = [
            f"window: {self.window.label()}",
            f"active users: {h['active_users']:,}; new users: {h['new_users']:,}; "
            f"paying users: {h['paying_users']:,}",
            f"revenue: {h['revenue']:,.2f}; ARPU: {num(h['arpu'], '.2f')}; "
            f"ARPPU: {num(h['arppu'], '.2f')}",
        ]
        if self.active is not None:
            lines.append(f"MAU on {h['mau_as_of'] or '–'}: {num(h['mau'], ',')}; "
                         f"WAU: {num(h['wau'], ',')}; "
                         f"average DAU: {num(h['avg_dau'], '.1f')}")
        if self.funnel is not None:
            t = self.funnel.table
            lines.append("funnel: " + " -> ".join(f"{s} {u:,}" for s, u in zip(t["step"],
                                                                                t["users"])))
        return lines

    # ------------------------------------------------------------------ presentation
    def headline_items(self, lang: str = "en") -> list[tuple[str, str, str]]:
        tr = Translator(lang)
        h = self.headline()
        ch = h["last_complete_period"]
        v = ch.get("revenue_change") if ch else None
        rev_note = (tr("last {period}: {change} vs previous {period}",
                       period=self.periods.period, change=fmt.pct(v, signed=True))
                    if v is not None else "")
        if self.funnel is not None:
            funnel_note = tr("funnel to {step}: {x}", step=self.funnel.labels(lang)[-1],
                             x=fmt.pct(h["funnel_conversion"]))
        elif self.missing_steps:
            funnel_note = tr("funnel left out: no {missing} events; set funnel_steps",
                             missing=", ".join(self.missing_steps))
        else:
            funnel_note = ""
        return [
            (tr("Active users (window)"), fmt.count(h["active_users"]),
             tr("new: {n}", n=fmt.count(h["new_users"]))),
            (tr("Average DAU"), fmt.count(h["avg_dau"]),
             tr("stickiness {x}", x=fmt.pct(h["avg_stickiness"]))),
            (tr("MAU on {day}", day=h["mau_as_of"] or "–"), fmt.count(h["mau"]),
             tr("WAU {n}", n=fmt.count(h["wau"]))),
            (tr("Revenue"), fmt.money(h["revenue"]), rev_note),
            (tr("ARPU"), fmt.money(h["arpu"], 2),
             tr("revenue per active user over the window ({window}); ARPPU {x}",
                window=self.window.label(), x=fmt.money(h["arppu"], 2))),
            (tr("Paying conversion"), fmt.pct(h["paying_conversion"]), funnel_note),
        ]

    def show_active(self, lang: str = "en") -> list:
        out = [self.active.plot(lang=lang)]
        if self.active.daily["mau_complete"].any():
            out.append(self.active.plot_stickiness(lang=lang))
        else:  # no day has a full MAU window behind it: an empty chart would say nothing
            out.append(html.note(Translator(lang)(NO_STICKINESS, n=self.active.mau_days)))
        return out

    def show_new_users(self, lang: str = "en") -> list:
        return [self.periods.plot_new_users(lang=lang),
                html.table(self.periods.new_users_by_channel(), NEW_USERS_FORMATS,
                           caption="New users in the window by channel", lang=lang)]

    def show_monetisation(self, lang: str = "en") -> list:
        tr = Translator(lang)
        t = self.periods.to_frame()
        t["period"] = [periods.period_label(s, c, partial=tr("partial"))
                       for s, c in zip(t["period_start"], t["complete"])]
        return [self.periods.plot_monetisation(lang=lang),
                html.table(t[PERIOD_COLUMNS], PERIOD_FORMATS, lang=lang,
                           caption=tr("KPIs per {period}", period=self.periods.period))]

    def show_funnel(self, lang: str = "en") -> list:
        tr = Translator(lang)
        return [self.funnel.plot(lang=lang),
                html.table(self.funnel.to_frame(lang).drop(columns="step_index"), FUNNEL_FORMATS,
                           caption="Funnel", lang=lang),
                html.table(self.funnel_by_channel.by_segment(), FUNNEL_BY_FORMATS, lang=lang,
                           caption=tr("Funnel conversion to {step} by channel",
                                      step=self.funnel.steps[-1]))]


def kpi_overview(data_dir=None, start_date: str = "", end_date: str = "", period: str = "week",
                 mau_days: int = 30, funnel_steps: Sequence[str] = DEFAULT_FUNNEL,
                 funnel_within_days: int | None = None, lang: str = "en",
                 engine: str = "duckdb") -> KPIOverview:
    """Load and validate the data, then compute the KPI overview.

    ``period`` (day, week, month) sets the per-period tables; ``mau_days`` the trailing days of
    MAU; ``funnel_steps`` the ordered event names of the funnel, optionally to be done within
    ``funnel_within_days`` of step 1; ``lang`` (en, zh) the language the notebook shows it in.
    """
    from opsnb.report.params import expect

    check_language(lang)
    expect("period", period, "str", choices=periods.PERIODS)
    mau_days = expect("mau_days", mau_days, "int", minimum=2, maximum=90)
    expect("funnel_steps", funnel_steps, "list")
    if len(funnel_steps) < 2 or not all(isinstance(s, str) and s for s in funnel_steps):
        raise ParameterError(f"funnel_steps={list(funnel_steps)!r}: a funnel needs at least two "
                             "steps, each an event name")
    expect("funnel_within_days", funnel_within_days, "int", minimum=0, allow_none=True)
    parameters = dict(data_dir=data_dir, start_date=start_date, end_date=end_date, period=period,
                      mau_days=mau_days, funnel_steps=funnel_steps, lang=lang)
    if funnel_within_days is not None:
        parameters["funnel_within_days"] = funnel_within_days
    source = KPIOverview.open_source(data_dir, engine=engine)
    window = resolve_window(source, start_date, end_date, allow_empty=True)
    report = KPIOverview(source, window, parameters)
    report.missing_tables()
    return report.run(period, mau_days, funnel_steps, funnel_within_days)
