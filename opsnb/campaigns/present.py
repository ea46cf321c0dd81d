"""What the campaign impact report shows: the verdict first, the methods side by side, each
method's chart and table, and the money.

Everything a reader reads is made here from the ``lang`` it is passed; the numbers come from
:mod:`opsnb.campaigns.report`. Names from the data (campaigns, units, controls) reach HTML only
through :mod:`opsnb.report.html` and are drawn as plain text in charts.

>>> interval(Estimate(0.12, 0.05, 0.19), fmt.pct)
'12.0% (5.0% – 19.0%)'
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from opsnb.campaigns.estimate import Estimate
from opsnb.report import fmt, html, style
from opsnb.report.i18n import Translator, Verbatim

METHOD_NAMES = {"its": "Time series (counterfactual forecast)",
                "synthetic_control": "Synthetic control", "did": "Difference-in-differences",
                "matching": "Matched participants"}
KPI_NAMES = {"dau": "daily active users", "new_users": "new users", "revenue": "revenue"}
UNIT_NAMES = {"user_days": "active user-days", "new_users": "new users",
              "revenue": "revenue", "retained_users": "retained users"}
VERDICTS = {"worked": "It worked", "harmful": "It hurt", "unclear": "No clear effect",
            "no_estimate": "No estimate"}


def interval(e: Estimate, f) -> str:
    """'12.0% (5.0% – 19.0%)': a value and its interval, formatted by ``f``."""
    if e is None or fmt.missing(e.value):
        return "–"
    if not (math.isfinite(e.lower) and math.isfinite(e.upper)):
        return f(e.value)
    return f"{f(e.value)} ({f(e.lower)} – {f(e.upper)})"


def _signed_pct(x) -> str:
    return fmt.pct(x, 1, signed=True)


def kpi_value(r, x) -> str:
    """A number of the report's KPI (money for revenue)."""
    if fmt.missing(x):
        return "–"
    return fmt.money(x) if r.kpi == "revenue" else fmt.number(x, 0)


def outcome_of(r) -> str:
    """The participants' outcome that stands for the report's KPI."""
    return "revenue" if r.kpi == "revenue" else "active_days"


def method_numbers(r, method: str) -> tuple[Estimate, Estimate, float | None]:
    """The cumulative effect (in KPI units; retained users or revenue for participants), the
    relative effect and the p-value of one method that ran."""
    if method == "matching":
        m = r.match
        out = outcome_of(r)
        e = m.effect(out, "matched")
        base = m.matched_control_mean(out)
        rel = (Estimate(e.value / base, e.lower / base, e.upper / base, e.alpha)
               if base else Estimate(math.nan, alpha=e.alpha))
        return e.scaled(m.n_matched), rel, m.p_value(out)
    res = r.result_of(method)
    return res.cumulative, res.relative, getattr(res, "p_value", None)


# ---------------------------------------------------------------------- headline
def headline_title(r, lang: str = "en") -> str:
    tr = Translator(lang)
    c = r.campaign
    return tr("Campaign impact: {name}, {dates}", name=Verbatim(c.name), dates=c.label())


def headline_items(r, lang: str = "en") -> list[tuple[str, str, str]]:
    tr = Translator(lang)
    items = []
    c = r.campaign
    e = r.primary_estimate()
    if e is None:
        items.append((tr("Did it work?"), tr("No estimate"), tr("no method could run on this data")))
        return items
    cum, rel, p = method_numbers(r, r.primary)
    v = r.headline()["verdict"]
    items.append((tr("Did it work?"), tr(VERDICTS[v]), tr("by {method}, at {level} confidence",
                                                      method=tr(METHOD_NAMES[r.primary]),
                                                      level=fmt.pct(1 - r.alpha, 0))))
    items.append((tr("Lift"), _signed_pct(rel.value),
                  tr("range {low} to {high}", low=_signed_pct(rel.lower),
                     high=_signed_pct(rel.upper))))
    kpi = r.kpi if r.primary != "matching" else (
        "revenue" if outcome_of(r) == "revenue" else "dau")
    label = tr({"dau": "Incremental active user-days", "new_users": "Incremental new users",
                "revenue": "Incremental revenue"}[kpi])
    money_like = r.kpi == "revenue"
    f = fmt.money if money_like else (lambda x: fmt.number(x, 0))
    items.append((label, f(cum.value), tr("range {low} to {high}", low=f(cum.lower),
                                          high=f(cum.upper))))
    if p is not None and not fmt.missing(p):
        items.append((tr("p-value"), fmt.p_value(p), tr("chance of a lift this large with no "
                                                          "effect")))
    mo = r.money
    if mo is not None and mo.roi is not None and not fmt.missing(mo.roi.value):
        items.append((tr("ROI"), fmt.pct(mo.roi.value, 0),
                      tr("range {low} to {high}; cost {cost}", low=fmt.pct(mo.roi.lower, 0),
                         high=fmt.pct(mo.roi.upper, 0), cost=fmt.money(c.cost))))
    return items


def verdict_sentence(r, lang: str = "en") -> str:
    """The one sentence a manager reads first."""
    tr = Translator(lang)
    c = r.campaign
    e = r.primary_estimate()
    if e is None:
        return tr("{name}: no method could measure this campaign on this data (see below).",
                  name=Verbatim(c.name))
    cum, rel, p = method_numbers(r, r.primary)
    v = r.headline()["verdict"]
    values = dict(name=Verbatim(c.name), kpi=tr(KPI_NAMES[r.kpi]), rel=_signed_pct(rel.value),
                  low=_signed_pct(rel.lower), high=_signed_pct(rel.upper),
                  level=fmt.pct(1 - r.alpha, 0), method=tr(METHOD_NAMES[r.primary]))
    if r.primary == "matching":
        values["kpi"] = tr("active days after the campaign" if outcome_of(r) == "active_days"
                           else "revenue after the campaign")
    if v == "worked":
        text = ("{name} worked: {kpi} {rel} against what would have happened without it "
                "({level} range {low} to {high}, {method}).")
    elif v == "harmful":
        text = ("{name} lowered {kpi}: {rel} against what would have happened without it "
                "({level} range {low} to {high}, {method}).")
    else:
        text = ("{name} shows no clear effect on {kpi}: {rel}, but the {level} range runs from "
                "{low} to {high} ({method}).")
    out = tr(text, **values)
    if r.primary == "matching":
        out += " " + tr("Participants chose to join: this is an observational comparison with "
                        "similar users, not an experiment; what matching cannot see (motivation, "
                        "say) may still differ.")
    return out


def agreement_sentence(r, lang: str = "en") -> str | None:
    tr = Translator(lang)
    est = r.estimates()
    if len(est) < 2:
        return None
    bad = r.disagreements()
    if r.campaign.scope == "users":
        return tr("The time series measures the whole platform during the campaign; the matched "
                  "comparison measures participants after it. They answer different questions, "
                  "so their numbers differ.")
    if not bad:
        return tr("The {n} methods agree: every interval overlaps the lead estimate's.",
                  n=len(est))
    p = est[est["primary"]].iloc[0]
    parts = []
    for m in bad:
        row = est[est["method"] == m].iloc[0]
        parts.append(tr("{method} finds {rel} ({low} to {high})", method=tr(METHOD_NAMES[m]),
                        rel=_signed_pct(row["relative"]), low=_signed_pct(row["relative_lower"]),
                        high=_signed_pct(row["relative_upper"])))
    why = {"its": "the time series cannot tell the campaign from anything else that changed "
                  "at the same time, which the comparison units absorb",
           "did": "difference-in-differences weights every comparison unit equally and assumes "
                  "parallel trends",
           "synthetic_control": "the synthetic control relies on a good fit before the campaign",
           "matching": "matching compares users, not the platform"}
    reasons = "; ".join(tr(why[m]) for m in bad)
    return tr("The methods disagree: {lead} finds {rel}, while {others}. Where they differ: "
              "{reasons}.", lead=tr(METHOD_NAMES[r.primary]), rel=_signed_pct(p["relative"]),
              others=Verbatim("; ".join(parts)), reasons=Verbatim(reasons))


def headline_blocks(r, lang: str = "en") -> list:
    out = [html.paragraph(verdict_sentence(r, lang))]
    s = agreement_sentence(r, lang)
    if s:
        out.append(html.paragraph(s, small=True))
    return out


# ---------------------------------------------------------------------- methods side by side
def show_methods(r, lang: str = "en") -> list:
    tr = Translator(lang)
    est = r.estimates()
    if not len(est):
        return [html.note(tr("No method could run on this data (each section says why)."))]
    f = (lambda x: fmt.money(x)) if r.kpi == "revenue" else (lambda x: fmt.number(x, 0))
    rows = []
    for _, e in est.iterrows():
        cum = Estimate(e["cumulative"], e["cumulative_lower"], e["cumulative_upper"], r.alpha)
        rel = Estimate(e["relative"], e["relative_lower"], e["relative_upper"], r.alpha)
        rows.append({tr("method"): tr(METHOD_NAMES[e["method"]]) + (
            " ★" if e["primary"] else ""),
            tr("relative lift"): interval(rel, _signed_pct),
            tr("incremental"): interval(cum, f),
            tr("p-value"): fmt.p_value(e["p_value"])})
    out = [html.table(pd.DataFrame(rows), caption=tr(
        "Every method's estimate with its {level} interval (★: the lead method)",
        level=fmt.pct(1 - r.alpha, 0)), lang=lang, humanize=False)]
    s = agreement_sentence(r, lang)
    if s:
        out.append(html.paragraph(s))
    ax = _forest(r, est, lang)
    out.insert(0, ax)
    return out


def _forest(r, est: pd.DataFrame, lang: str):
    tr = Translator(lang)
    fig, ax = style.new_figure(height=1.2 + 0.5 * len(est))
    y = np.arange(len(est))[::-1]
    for yi, (_, e) in zip(y, est.iterrows()):
        color = "#C44E52" if e["primary"] else "#4C72B0"
        ax.plot([e["relative_lower"], e["relative_upper"]], [yi, yi], color=color, lw=2)
        ax.plot([e["relative"]], [yi], "o", color=color)
    ax.axvline(0, color="#888", lw=1)
    ax.set_yticks(y, [tr(METHOD_NAMES[m]) for m in est["method"]])
    style.percent_axis(ax, "x")
    style.titled(ax, tr("Lift by method"), tr("relative lift of {kpi} over the campaign against "
                                              "each method's counterfactual, {level} interval",
                                              kpi=tr(KPI_NAMES[r.kpi]),
                                              level=fmt.pct(1 - r.alpha, 0)))
    return fig


# ---------------------------------------------------------------------- each method
def _estimate_table(r, rows: list[tuple[str, Estimate, object]], caption: str, lang: str):
    tr = Translator(lang)
    df = pd.DataFrame([{tr("figure"): tr(name), tr("estimate"): interval(e, f)}
                       for name, e, f in rows])
    return html.table(df, caption=caption, lang=lang, humanize=False)


def _kpi_f(r):
    return fmt.money if r.kpi == "revenue" else (lambda x: fmt.number(x, 1))


def _effects_table(r, per_day: str, daily: Estimate, res, caption: str, lang: str):
    """The per-day, cumulative and relative effect of one method, with their intervals."""
    f = _kpi_f(r)
    rows = [(per_day, daily, f), ("cumulative effect", res.cumulative, f),
            ("relative effect", res.relative, _signed_pct)]
    return _estimate_table(r, rows, caption, lang)


def show_its(r, lang: str = "en") -> list:
    tr = Translator(lang)
    its = r.its
    fig, ax = style.new_figure()
    its.plot(ax=ax, lang=lang)
    out = [fig, _effects_table(r, "effect per day", its.daily_effect, its, tr(
        "Against the forecast from the {n} days before ({level} intervals)", n=its.pre_days,
        level=fmt.pct(1 - r.alpha, 0)), lang)]
    facts = [tr("Model: {model}; error of the one-day-ahead fit before the campaign {mape}.",
                model=Verbatim(its.model), mape=fmt.pct(its.pre_mape)),
             tr("p-value {p}; probability of an effect {prob}.", p=fmt.p_value(its.p_value),
                prob=fmt.pct(its.probability, 1))]
    if its.controls_used:
        facts.append(tr("Control variables: {names}.", names=Verbatim(", ".join(
            its.controls_used))))
    if r.campaign.scope == "users":
        facts.append(tr("The series is the whole platform's: participants are only part of it."))
    out.append(html.bullets(facts))
    return out


def show_synthetic_control(r, lang: str = "en") -> list:
    tr = Translator(lang)
    sc = r.sc
    fig, axes = style.new_figure(nrows=2, height=7.0)
    sc.plot(ax=axes[0], lang=lang)
    sc.plot_placebos(ax=axes[1], lang=lang)
    out = [fig, _effects_table(r, "effect per day", sc.daily_effect, sc, tr(
        "Against the synthetic control ({level} intervals)", level=fmt.pct(1 - r.alpha, 0)),
        lang)]
    w = sc.weights[sc.weights > 0.005]
    wt = pd.DataFrame({tr("unit"): [str(u) for u in w.index], tr("weight"): w.to_numpy()})
    out.append(html.table(wt, formats={tr("weight"): "pct"}, caption=tr(
        "The synthetic control: untreated units and their weights"), lang=lang, humanize=False))
    facts = [tr("Placebo in space: {p} of the {n} units moved as much against their own "
                "synthetic control (permutation p-value).", p=fmt.p_value(sc.p_value),
                n=sc.n_donors + 1),
             tr("Placebo in time: p-value {p} over {n} fake start dates before the campaign.",
                p=fmt.p_value(sc.p_value_time), n=len(sc.placebos_time))]
    if sc.min_p_value > r.alpha:
        facts.append(tr("With {n} units the placebo test cannot go below {p}: it cannot reach "
                        "the {alpha} level however large the effect. More comparison units "
                        "would let it.", n=sc.n_donors + 1, p=fmt.p_value(sc.min_p_value),
                        alpha=fmt.p_value(r.alpha)))
    out.append(html.bullets(facts))
    return out


def show_did(r, lang: str = "en") -> list:
    tr = Translator(lang)
    d = r.did
    fig, ax = style.new_figure()
    d.plot_event_study(ax=ax, lang=lang)
    out = [fig, _effects_table(r, "effect per treated unit and day", d.att, d, tr(
        "Difference-in-differences, {t} treated against {c} untreated units ({level} "
        "intervals)", t=d.n_treated, c=d.n_control, level=fmt.pct(1 - r.alpha, 0)), lang)]
    pre_p = d.pretrend_p_shown
    if pre_p is not None and not fmt.missing(pre_p):
        text = ("Pre-trend test: p-value {p}; the treated and untreated units moved alike before "
                "the campaign." if pre_p >= r.alpha else
                "Pre-trend test: p-value {p}; the treated units already moved differently before "
                "the campaign, so read this estimate with care.")
        out.append(html.paragraph(tr(text, p=fmt.p_value(pre_p))))
    if d.interval_method == "permutation":
        out.append(html.paragraph(tr(
            "With {t} treated units, the interval and the p-values come from reassigning the "
            "campaign to untreated units ({n} placebo assignments), not from standard errors, "
            "which are too narrow with so few treated units.", t=d.n_treated, n=d.n_placebos),
            small=True))
    if d.interval_code == "too_few_placebos":
        out.append(html.note(tr("No interval: with {n} untreated units the placebo test cannot "
                                "reach the {alpha} level. More comparison units would give one.",
                                n=d.n_control, alpha=fmt.p_value(r.alpha))))
    return out


def show_participants(r, lang: str = "en") -> list:
    tr = Translator(lang)
    m, pf = r.match, r.participants
    out = [html.alert(tr("Observational: participants chose to join. Matching makes them "
                         "comparable on what the data show (activity before, channel, tenure, "
                         "persona when given); what the data do not show may still differ."))]
    out.append(m.plot_balance(lang=lang).figure)
    rows = []
    for outcome, f in (("retained", lambda x: fmt.pp(x)), ("active_days",
                                                          lambda x: fmt.number(x, 2)),
                       ("revenue", lambda x: fmt.money(x, 2))):
        rows.append({tr("outcome"): tr(OUTCOME_NAMES[outcome]),
                     tr("naive difference"): interval(m.effect(outcome, "naive"), f),
                     tr("matched difference"): interval(m.effect(outcome, "matched"), f)})
    out.append(html.table(pd.DataFrame(rows), caption=tr(
        "Participants against others over the {n} days after the campaign: all others (naive) "
        "and matched non-participants", n=pf.after_days_used), lang=lang, humanize=False))
    out.append(html.table(present_balance(m, lang), caption=tr(
        "Balance: standardised mean differences before and after matching (|SMD| above 0.1 "
        "flagged)"), lang=lang, humanize=False, max_rows=30))
    facts = [tr("{p} participants; {n} matched; {u} without a close match set aside.",
                p=fmt.count(m.n_participants), n=fmt.count(m.n_matched),
                u=fmt.count(m.n_unmatched))]
    if getattr(pf, "n_set_aside_absent", 0):
        facts.append(tr("{n} users with no event during the campaign are not compared (neither "
                        "participants nor possible matches).", n=fmt.count(pf.n_set_aside_absent)))
    if getattr(pf, "n_set_aside_new", 0):
        facts.append(tr("{n} users who signed up during the campaign have no activity before it "
                        "and are set aside.", n=fmt.count(pf.n_set_aside_new)))
    out.append(html.bullets(facts))
    return out


PER_UNIT = {"user_days": "cost per incremental active user-day",
            "new_users": "cost per incremental new user",
            "revenue": "cost per yuan of incremental revenue"}
OUTCOME_NAMES = {"retained": "retained after the campaign", "active_days": "active days after",
                 "revenue": "revenue per user after"}


def present_balance(m, lang: str) -> pd.DataFrame:
    tr = Translator(lang)
    b = m.balance
    return pd.DataFrame({
        tr("covariate"): b["covariate"].astype(str),
        tr("participants"): b["mean_participants"].map(lambda x: fmt.number(x, 2)),
        tr("all others"): b["mean_others"].map(lambda x: fmt.number(x, 2)),
        tr("SMD before"): b["smd_before"].map(lambda x: fmt.number(x, 2)),
        tr("matched others"): b["mean_matched"].map(lambda x: fmt.number(x, 2)),
        tr("SMD after"): b["smd_after"].map(
            lambda x: fmt.number(x, 2) + (" ⚠" if abs(x) > 0.1 else "")),
    })


def show_money(r, lang: str = "en") -> list:
    tr = Translator(lang)
    mo = r.money
    unit = tr(UNIT_NAMES.get(mo.unit, mo.unit))
    f_units = fmt.money if mo.unit == "revenue" else (lambda x: fmt.number(x, 0))
    rows = [(tr("incremental {unit}", unit=unit), interval(mo.incremental_units, f_units))]
    if mo.incremental_revenue is not None:
        rows.append((tr("incremental revenue"), interval(mo.incremental_revenue, fmt.money)))
    rows.append((tr("cost"), fmt.money(mo.cost) if mo.cost is not None else "–"))
    if mo.cost_per_unit is not None:
        rows.append((tr(PER_UNIT.get(mo.unit, "cost per incremental {unit}"), unit=unit),
                     interval(mo.cost_per_unit, lambda x: fmt.money(x, 2)
                              if math.isfinite(x) else "∞")))
    if mo.roas is not None:
        rows.append((tr("ROAS (incremental revenue / cost)"), interval(mo.roas,
                                                                        lambda x: fmt.number(x, 2))))
    if mo.roi is not None:
        rows.append((tr("ROI ((incremental revenue − cost) / cost)"),
                     interval(mo.roi, lambda x: fmt.pct(x, 0))))
    df = pd.DataFrame(rows, columns=[tr("figure"), tr("estimate")])
    out = [html.table(df, caption=tr("What the campaign earned ({level} intervals)",
                                     level=fmt.pct(1 - r.alpha, 0)), lang=lang, humanize=False)]
    notes = {"no_cost": "The campaigns table gives no cost for this campaign: fill its cost "
                        "column to see cost per incremental user and ROI.",
             "no_incremental_units": "No incremental units: cost per incremental unit cannot "
                                     "be given.",
             "no_revenue": "The revenue effect could not be measured."}
    for code in getattr(mo, "notes", ()):
        if code in notes:
            out.append(html.note(tr(notes[code])))
    return out


# ---------------------------------------------------------------------- summary.json
def its_summary(its) -> dict:
    return {"model": its.model, "pre_days": its.pre_days, "pre_mape": its.pre_mape,
            "daily_effect": its.daily_effect.to_dict(), "cumulative": its.cumulative.to_dict(),
            "relative": its.relative.to_dict(), "p_value": its.p_value,
            "probability": its.probability, "controls": list(its.controls_used),
            "daily": its.days}


def synth_summary(sc) -> dict:
    return {"weights": {str(k): float(v) for k, v in sc.weights.items() if v > 0},
            "pre_rmspe": sc.pre_rmspe, "post_rmspe": sc.post_rmspe,
            "daily_effect": sc.daily_effect.to_dict(), "cumulative": sc.cumulative.to_dict(),
            "relative": sc.relative.to_dict(), "p_value_space": sc.p_value,
            "p_value_time": sc.p_value_time, "min_p_value": sc.min_p_value,
            "placebos_space": sc.placebos_space, "placebos_time": sc.placebos_time,
            "daily": sc.series}


def did_summary(d) -> dict:
    return {"att": d.att.to_dict(), "cumulative": d.cumulative.to_dict(),
            "relative": d.relative.to_dict(), "p_value": d.p_value,
            "interval_method": d.interval_method, "interval_code": d.interval_code,
            "pretrend_p": d.pretrend_p_shown,
            "n_treated": d.n_treated, "n_control": d.n_control, "event_study": d.event_study}


def match_summary(m, pf) -> dict:
    return {**m.to_dict(), "after_days": pf.after_days_used,
            "set_aside_new_users": getattr(pf, "n_set_aside_new", 0)}
