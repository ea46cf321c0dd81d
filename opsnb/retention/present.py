"""Presentation of the cohort retention report: every text a reader reads, in the language given.

The computation modules (:mod:`~opsnb.retention.cohorts`, :mod:`~opsnb.retention.lifecycle`,
:mod:`~opsnb.retention.survival`, :mod:`~opsnb.retention.churn`) return numbers and codes; the
charts, tables, definitions and labels are made here from them, in the ``lang`` passed (no
global language setting is read). Tables go through :mod:`opsnb.report.html`, so names from
the data (channels, regions) are escaped.

>>> from opsnb.retention.spec import RetentionSpec
>>> describe(RetentionSpec.make(cohort_period="week"))[:66]
'Cohort: users by the week of their first event; returned = any eve'
>>> describe(RetentionSpec.make(start_event="purchase"), "zh")[:12]
'同期群：按首次 purc'
>>> format_days(4.0), format_days(4.5), format_days(None)
('4', '4.5', '–')
>>> feature_label("revenue_90", "en"), feature_label("active_days_28", "zh")
('revenue, last 90 days', '近 28 天活跃天数')
"""

from __future__ import annotations

import re

import numpy as np

from opsnb.data.periods import period_end
from opsnb.report import fmt, html, style
from opsnb.report.i18n import Translator, Verbatim
from opsnb.retention.cohorts import ALL, CohortMatrix
from opsnb.retention.spec import (
    ANY_EVENT, SIGNUP, CohortEntry, Counting, MeanMethod, Period, Reference, RetentionSpec,
    WindowKind,
)

LIFECYCLE_COLORS = {"new": "#3A9E6F", "returning": "#2F6DB5", "resurrecting": "#7F5FB0",
                    "dormant": "#C8414B"}
MEAN_FORMATS = {"users": "count", "retained": "count", "rate": "pct", "ci_low": "pct",
                "ci_high": "pct"}
LIFECYCLE_FORMATS = {**{c: "count" for c in ("active", "new", "returning", "resurrecting",
                                              "dormant")}, "quick_ratio": "number"}
AT_RISK_FORMATS = {"risk": "pct", "revenue_at_stake": "money", "revenue_90": "money",
                   "revenue_total": "money", "active_days_28": "count",
                   "recency_days": lambda x: format_days(x)}  # 23.86 -> '23.9', not '23.86'


# --------------------------------------------------------------------------- words
def format_days(x: float | None) -> str:
    """A number of days: whole days as '4', fractional ones with one decimal ('4.5')."""
    if fmt.missing(x) or not np.isfinite(x):
        return "–"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def event_phrase(event: str, lang: str = "en") -> str:
    """'any event' or 'a purchase event'."""
    tr = Translator(lang)
    return tr("any event") if event == ANY_EVENT else tr("a {event} event", event=Verbatim(event))


def describe(spec: RetentionSpec, lang: str = "en") -> str:
    """The definition of ``spec`` in one sentence, for chart subtitles."""
    tr = Translator(lang)
    start = {ANY_EVENT: tr("their first event"), SIGNUP: tr("sign-up")}.get(
        spec.start_event) or tr("their first {event}", event=Verbatim(spec.start_event))
    sentence = ("Cohort: users by the {cohort_by} of {start}; returned = {count}; {per}; "
                "rate = {ref}.")
    if spec.cohort_entry is CohortEntry.RECURRING:
        start = Verbatim(spec.start_event)
        sentence = ("Cohort: users by the {cohort_by} of each {cohort_by} with a {start}; "
                    "returned = {count}; {per}; rate = {ref}.")
    ret = event_phrase(spec.return_event, lang)
    p = spec.period.value
    if spec.window is WindowKind.ROLLING:
        unit = {Period.DAY: "24 h", Period.WEEK: "7 days"}[spec.period]
        per = tr("rolling {period}s ({unit} each) measured from each user's start", period=p,
                 unit=unit)
    else:
        per = tr("calendar {period}s (UTC) after the start's {period}", period=p)
    count = {Counting.ON: "{ret} in {period} k",
             Counting.ON_OR_AFTER: "{ret} in {period} k or later",
             Counting.BRACKETS: "{ret} in any {period} of the bracket"}[spec.counting]
    count = tr(count, ret=ret, period=p)
    ref = (tr("share of the cohort") if spec.reference is Reference.COHORT_SIZE
           else tr("share of those retained in the previous {period}", period=p))
    return tr(sentence, cohort_by=spec.cohort_by.value, start=start, count=count, per=per,
              ref=ref)


def retention_label(label: str, lang: str = "en") -> str:
    """'D7 retention' (7日留存率 in Chinese) for a period label such as D7, W1 or D2-3."""
    tr = Translator(lang)
    text = f"{label} retention"
    out = tr(text)  # the catalogue names the usual ones: 次日留存率, 7日留存率, 次周留存率 ...
    return tr("{label} retention", label=label) if out == text else out


def feature_label(column: str, lang: str = "en") -> str:
    """A readable header, with its unit, for a windowed feature column, from the window in its
    name: 'revenue_90' -> 'revenue, last 90 days'. Other columns: the usual header."""
    m = re.fullmatch(r"(revenue|active_days|events)_(\d+)", str(column))
    if not m:
        return fmt.header(column, lang)
    tr = Translator(lang)
    return tr("{what}, last {n} days", what=tr(m.group(1).replace("_", " ")), n=int(m.group(2)))


def segment_name(segment: str, lang: str = "en") -> str:
    """A segment's label: the name from the data, or 'all' in the report language."""
    return Translator(lang)("all") if segment == ALL else segment


# --------------------------------------------------------------------------- cohort matrix
def plot_heatmap(m: CohortMatrix, lang: str = "en", ax=None, segment: str | None = None,
                 annotate: bool | None = None):
    """The cohort x period retention heatmap (one segment, or all users)."""
    import seaborn as sns

    tr = Translator(lang)
    w = m.wide(segment)
    mm = m.collapsed() if segment is None else m
    sizes = (mm.table if segment is None else mm.table[mm.table["segment"] == segment]
             ).groupby("cohort")["size"].first()
    if ax is None:
        _, ax = style.new_figure(height=max(3.5, 0.28 * len(w) + 1.8))
    annotate = len(w.columns) <= 16 if annotate is None else annotate
    later = w.to_numpy(float)[:, 1:]
    top = float(np.nanmax(later)) if w.shape[1] > 1 and np.isfinite(later).any() else 1.0
    sns.heatmap(w.astype(float), ax=ax, cmap="Blues", vmin=0, vmax=top if top > 0 else 1.0,
                annot=annotate, fmt=".0%", annot_kws={"fontsize": 7}, linewidths=0.3,
                linecolor="white", cbar_kws={"shrink": 0.6})
    cbar = ax.collections[0].colorbar
    style.percent_axis(cbar.ax)
    ax.set_facecolor("white")
    partial = {c for c in w.index if m.cohort_is_partial(c)}
    ax.set_yticks(np.arange(len(w)) + 0.5,
                  [f"{c:%Y-%m-%d}  (n={sizes.get(c, 0):,})" + (tr(" (partial)") if c in partial
                                                               else "") for c in w.index],
                  rotation=0, fontsize=8)
    ax.set_ylabel(tr("cohort ({period} of start)", period=m.spec.cohort_by.value))
    ax.set_xlabel(tr("{period} after start", period=m.spec.period.value))
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(False)
    title = (tr("Retention by cohort — {breakdown} {segment}", breakdown=m.breakdown,
                segment=segment) if segment is not None else tr("Retention by cohort"))
    note = tr("{definition} Blank cells have not fully elapsed yet (or the cohort is empty); "
              "they are not zero. The colour scale is fitted to the periods after the first.",
              definition=describe(m.spec, lang))
    if partial:
        note += " " + tr("Cohorts marked (partial) are cut by the report window: they hold "
                         "only the users whose start falls inside it.")
    style.titled(ax, title, note)
    return ax


def mean_retention_table(m: CohortMatrix, lang: str = "en"):
    """Mean retention per period over complete cohorts, with its interval."""
    mr = m.mean_retention(by_segment=False)
    caption = ("Mean retention per period (weighted by cohort size, complete cohorts only, 95% "
               "interval)" if m.spec.mean is MeanMethod.WEIGHTED else
               "Mean retention per period (simple mean of the cohorts' rates, complete cohorts "
               "only, 95% interval)")
    cols = ["period_label", "cohorts", "users", "retained", "rate", "ci_low", "ci_high"]
    return html.table(mr[cols], MEAN_FORMATS, caption=caption, lang=lang)


def plot_curves(m: CohortMatrix, lang: str = "en", ax=None, alpha: float = 0.05,
                segments: list[str] | None = None):
    """Mean retention per period by segment, with (1 - alpha) bands."""
    tr = Translator(lang)
    if ax is None:
        _, ax = style.new_figure()
    mr = m.mean_retention(by_segment=True, alpha=alpha)
    segs = segments or list(mr.groupby("segment")["users"].max().sort_values(
        ascending=False).index)
    colors = style.colors_for(segs)
    labels = m.spec.period_labels()
    for seg in segs:
        d = mr[mr["segment"] == seg]
        if m.spec.counting is not Counting.BRACKETS and m.spec.reference is Reference.COHORT_SIZE:
            d = d[d["period"] > 0]
        x = [labels.index(lab) for lab in d["period_label"]]
        ax.plot(x, d["rate"], marker="o", ms=3, lw=1.6, color=colors[seg],
                label=segment_name(seg, lang))
        ax.fill_between(x, d["ci_low"], d["ci_high"], color=colors[seg], alpha=0.15, lw=0)
    ticks = list(range(len(labels)))
    step = max(1, len(ticks) // 12)
    ax.set_xticks(ticks[::step], labels[::step])
    style.percent_axis(ax)
    ax.set_ylim(bottom=0)
    if m.breakdown and segs:
        ax.legend(title=tr(m.breakdown), loc="upper left", bbox_to_anchor=(1.0, 1.0))
    mean = "weighted by cohort size" if m.spec.mean is MeanMethod.WEIGHTED else "simple"
    style.titled(ax, tr("Retention curve by {breakdown}", breakdown=m.breakdown)
                 if m.breakdown else tr("Retention curve"),
                 tr("{definition} Mean over complete cohorts ({mean}); bands: {level} "
                    "intervals.", definition=describe(m.spec, lang), mean=mean,
                    level=f"{1 - alpha:.0%}"))
    return ax


def segment_retention_table(m: CohortMatrix, labels: list[str], lang: str = "en"):
    """Retention at the headline periods per segment (best at the last of them first), with the
    users who reached the first; None when no segment has a complete cohort."""
    by = m.mean_retention(by_segment=True)
    by = by[by["period_label"].isin(labels)]
    if by.empty:
        return None
    wide = by.pivot(index="segment", columns="period_label", values="rate").reindex(
        columns=labels)
    n = by[by["period_label"] == labels[0]].set_index("segment")["users"].rename("users")
    tab = wide.join(n).sort_values(labels[-1], ascending=False).reset_index()
    tab["users"] = tab["users"].fillna(0)
    return html.table(tab, {**{lab: "pct" for lab in labels}, "users": "count"},
                      caption=Translator(lang)("Retention by {breakdown}", breakdown=m.breakdown),
                      lang=lang, humanize=False)


def plot_ltv(m: CohortMatrix, lang: str = "en", ax=None):
    """Cumulative revenue per cohort member by period, per segment."""
    tr = Translator(lang)
    if ax is None:
        _, ax = style.new_figure()
    ml = m.mean_ltv(by_segment=True)
    segs = list(ml.groupby("segment")["users"].max().sort_values(ascending=False).index)
    colors = style.colors_for(segs)
    for seg in segs:
        d = ml[ml["segment"] == seg]
        ax.plot(d["period"], d["ltv"], marker="o", ms=3, lw=1.6, color=colors[seg],
                label=segment_name(seg, lang))
    style.money_axis(ax, lang=lang)
    ax.set_xlabel(tr("{period} after start", period=m.spec.period.value))
    if m.breakdown and segs:
        ax.legend(title=tr(m.breakdown), loc="upper left", bbox_to_anchor=(1.0, 1.0))
    style.titled(ax, tr("Cumulative revenue per user (cohort LTV)"),
                 tr("Revenue of all events from the user's start to the end of {period} k, "
                    "divided by the cohort size; pooled over cohorts whose period k has fully "
                    "elapsed.", period=m.spec.period.value))
    return ax


# --------------------------------------------------------------------------- lifecycle
def plot_lifecycle(lc, lang: str = "en", ax=None):
    """Stacked bars of new, returning and resurrecting users per period; dormant below zero."""
    tr = Translator(lang)
    if ax is None:
        _, ax = style.new_figure()
    t = lc.table
    width = {Period.DAY: 0.8, Period.WEEK: 5.5, Period.MONTH: 24}[lc.period]
    bottom = np.zeros(len(t))
    for col in ("new", "returning", "resurrecting"):
        ax.bar(t["period_start"], t[col], bottom=bottom, width=width, align="edge",
               color=LIFECYCLE_COLORS[col], label=tr(col))
        bottom += t[col].to_numpy()
    ax.bar(t["period_start"], -t["dormant"], width=width, align="edge",
           color=LIFECYCLE_COLORS["dormant"], label=tr("dormant (below zero)"))
    ax.axhline(0, color="#333333", lw=0.8)
    nxt = [period_end(s, lc.period) for s in t["period_start"]]  # each s starts a period
    for s, e, ok in zip(t["period_start"], nxt, t["complete"]):
        if not ok:
            style.shade_incomplete(ax, s, e, "partial", lang=lang)
    style.thousands_axis(ax)
    style.date_axis(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    p = lc.period.value
    style.titled(ax, tr("Lifecycle of active users per {period}", period=p),
                 tr("Active = {event} in the {period}. New: first active {period} ever; "
                    "returning: also active the {period} before; resurrecting: back after a "
                    "gap; dormant: active the {period} before but not this one.",
                    event=event_phrase(lc.event, lang), period=p))
    return ax


def lifecycle_table(lc, lang: str = "en", last: int = 8):
    """The lifecycle counts of the last ``last`` periods (incomplete ones marked)."""
    tr = Translator(lang)
    t = lc.to_frame().tail(last)
    t = t.assign(period=t["period_start"].dt.strftime("%Y-%m-%d")
                 + t["complete"].map({True: "", False: tr(" (partial)")}))
    cols = ["period", "active", "new", "returning", "resurrecting", "dormant", "quick_ratio"]
    return html.table(t[cols], LIFECYCLE_FORMATS, caption=tr("Lifecycle, last {n} periods", n=last),
                      lang=lang)


# --------------------------------------------------------------------------- survival
def plot_survival(sv, lang: str = "en", ax=None, max_day: int | None = None):
    """Kaplan-Meier curves of the time to churn (per segment when there are several)."""
    tr = Translator(lang)
    if ax is None:
        _, ax = style.new_figure()
    curves = sv.by_segment or {ALL: sv.overall}
    colors = style.colors_for(curves)
    for name, km in sorted(curves.items(), key=lambda kv: -kv[1].n):
        t = km.table
        if max_day is not None:
            t = t[t["time"] <= max_day]
        x = np.r_[0, t["time"].to_numpy()]
        ax.step(x, np.r_[1, t["survival"]], where="post", color=colors[name], lw=1.6,
                label=segment_name(name, lang))
        ax.fill_between(x, np.r_[1, t["ci_low"]], np.r_[1, t["ci_high"]], step="post",
                        color=colors[name], alpha=0.15, lw=0)
    style.percent_axis(ax)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(tr("days since start"))
    if sv.by_segment:
        ax.legend(title=tr(sv.breakdown), loc="upper left", bbox_to_anchor=(1.0, 1.0))
    rule = ("Churned = no return for {days} days after an active day; users still inside that "
            "gap at the end of the data are censored; bands: {level} intervals.")
    p = fmt.p_value(sv.test["p_value"]) if sv.test else None
    if p == "<0.001":
        rule += " Log-rank test between segments: p < 0.001."
    elif sv.test:
        rule += " Log-rank test between segments: p = {p}."
    style.titled(ax, tr("Share of users not yet churned (Kaplan-Meier)"),
                 tr(rule, days=sv.inactive_days, level=f"{1 - sv.overall.alpha:.0%}", p=p))
    return ax


def survival_table(sv, lang: str = "en", day: int = 30):
    """Users, share not churned at ``day`` and median lifetime per segment (or all users)."""
    t = sv.segment_table(day)
    t["segment"] = [segment_name(s, lang) for s in t["segment"]]
    return html.table(t, {"users": "count", f"not_churned_day_{day}": "pct",
                          "median_lifetime_days": format_days},
                      caption="Survival by segment", lang=lang)


# --------------------------------------------------------------------------- churn model
def plot_calibration(cr, lang: str = "en", ax=None):
    """Predicted churn risk against observed churn on the held-out window."""
    tr = Translator(lang)
    if ax is None:
        _, ax = style.new_figure(height=3.8, width=5.5)
    c = cr.calibration
    ax.plot([0, 1], [0, 1], ls="--", color="#999999", lw=1, label=tr("perfect calibration"))
    ax.plot(c["predicted"], c["observed"], marker="o", color=style.PALETTE[0],
            label=tr("users by risk decile"))
    style.percent_axis(ax)
    style.percent_axis(ax, "x")
    ax.set_xlabel(tr("predicted churn risk"))
    ax.set_ylabel(tr("observed churn"))
    ax.legend(loc="upper left")
    style.titled(ax, tr("Churn model on the held-out window (AUC {auc})", auc=f"{cr.auc:.2f}"),
                 tr("Trained at {train}, checked on users active at {valid}: churned = no "
                    "return in the next {days} days.", train=cr.cutoffs["train"],
                    valid=cr.cutoffs["valid"], days=cr.horizon_days))
    return ax


def at_risk_table(cr, lang: str = "en", min_risk: float = 0.5, top: int | None = 20,
                  caption: str | None = None):
    """:meth:`ChurnRisk.at_risk` as a report table: readable headers with units, money and
    percentages formatted, ``last_at`` left out."""
    df = cr.at_risk(min_risk, top).drop(columns="last_at")
    names = {c: feature_label(c, lang) for c in df.columns}
    return html.table(df.rename(columns=names), {names[c]: k for c, k in AT_RISK_FORMATS.items()},
                      caption=caption, lang=lang, humanize=False)

