"""What the user feedback report shows: headline tiles, charts, tables, quotes and alerts.

Everything is made from the ``lang`` it is passed; the numbers come from
:mod:`opsnb.feedback.report` and its parts. Feedback text, sources, topic names and every other
string from the data reach the page only through :mod:`opsnb.report.html` (escaped: markup in a
review shows as text); charts draw them as plain text (mathtext is off in the report style).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from opsnb.report import fmt, html, style
from opsnb.report.i18n import Translator, Verbatim

SENT_COLORS = {"negative": "#C44E52", "neutral": "#8C8C8C", "positive": "#55A868"}
OBSERVATIONAL = ("Observational, not causal: users who complain differ from those who do not in "
                 "other ways too, so the gap is an association, not the effect of the feedback.")


def _date(x) -> str:
    return "–" if x is None or pd.isna(x) else f"{pd.Timestamp(x):%Y-%m-%d}"


def _hours(x) -> str:
    return "–" if x is None or (isinstance(x, float) and np.isnan(x)) else fmt.number(x, 1)


def _label(text, width: int = 30) -> str:
    t = str(text)
    return t if len(t) <= width else t[:width - 1] + "…"


# ---------------------------------------------------------------------- headline
def alert_sentence(a, tr) -> str:
    if a.kind == "negative":
        return tr("Negative feedback across sources {x}× its usual volume since {date}.",
                  x=fmt.number(a.ratio, 1), date=_date(a.start))
    return tr("{topic} feedback {x}× its usual volume since {date}.",
              topic=Verbatim(a.series), x=fmt.number(a.ratio, 1), date=_date(a.start))


def headline_items(r, lang: str = "en") -> list[tuple[str, str, str]]:
    tr = Translator(lang)
    h = r.headline()
    items = [(tr("Feedback"), fmt.count(h.get("feedback")),
              tr("{n} without text; {k} sources", n=fmt.count(h.get("empty_texts")),
                 k=fmt.count(h.get("sources"))))]
    if h.get("negative_share") is not None:
        acc = h.get("sentiment_accuracy")
        how = (tr("classifier, cross-validated accuracy {x}", x=fmt.pct(acc))
               if h["sentiment_method"] == "classifier" else
               tr("lexicon, accuracy {x} on the labelled texts", x=fmt.pct(acc))
               if acc is not None else tr("lexicon (no labelled texts to measure it)"))
        items.append((tr("Negative"), fmt.pct(h["negative_share"]), how))
    if h.get("crisis_flag") is not None:
        items.append((tr("Crisis flag"), tr("yes") if h["crisis_flag"] else tr("no"),
                      tr("negative volume spiked across sources on {n} days, first {date}",
                         n=h["crisis_days"], date=h["crisis_first_day"])
                      if h["crisis_flag"] else tr("no spike of negative feedback across sources")))
    if h.get("top_tag") is not None:
        t = r.tag_table.iloc[0]
        items.append((tr("Top tag"), str(t["name"]),
                      tr("{x} of the texts; {neg} of them negative", x=fmt.pct(t["share"]),
                         neg=fmt.pct(t["negative_share"]))))
    if h.get("first_response_median_hours") is not None:
        items.append((tr("First response"), tr("{h} h median", h=_hours(
            h["first_response_median_hours"])),
                      tr("{x} within the {sla} h SLA; slowest source {s} ({y})",
                         x=fmt.pct(h["first_response_within_sla"]),
                         sla=fmt.number(h["sla_hours"], 0),
                         s=Verbatim(str(h["worst_sla_source"])),
                         y=fmt.pct(h["worst_sla_source_within_sla"]))))
    if h.get("rating_mean") is not None:
        if r.rating_scale == "stars":
            items.append((tr("Rating"), fmt.number(h["rating_mean"]),
                          tr("CSAT (4-5 stars) {x}", x=fmt.pct(h["csat"]))))
        else:
            items.append((tr("NPS"), fmt.number(h["nps"], 1),
                          tr("average rating {x} of 10", x=fmt.number(h["rating_mean"]))))
    return items


def headline_blocks(r, lang: str = "en") -> list:
    if r.rows is None or not r.runs("alerts") or not r.alerts:
        return []
    tr = Translator(lang)
    first = r.crisis.alerts[0] if r.crisis is not None and r.crisis.alerts else None
    lead = alert_sentence(r.alerts[0], tr)
    if first is not None:
        return [html.alert(tr("Crisis: {what} Top alert: {top}",
                              what=alert_sentence(first, tr), top=lead))]
    return [html.paragraph(lead, strong=tr("Read first:"))]


# ---------------------------------------------------------------------- volume
def show_volume(r, lang: str = "en") -> list:
    tr = Translator(lang)
    v = r.volume
    fig, ax = style.new_figure(height=3.8)
    colors = style.colors_for([str(c) for c in v.columns])
    bottom = np.zeros(len(v))
    for c in v.columns:
        ax.bar(v.index, v[c], bottom=bottom, width=5, color=colors[str(c)], label=str(c))
        bottom += v[c].to_numpy()
    style.date_axis(ax)
    style.thousands_axis(ax)
    ax.legend(fontsize=8)
    style.titled(ax, tr("Feedback per week, by source"),
                 tr("Pieces of feedback created each week (Monday to Sunday), empty texts "
                    "included; the first and last weeks may be partial."))
    out = [fig]
    if r.scores is None:
        out.append(html.note(tr("No ratings in the window: the average rating, CSAT and NPS "
                                "need the rating column.")))
        return out
    key = "csat" if r.rating_scale == "stars" else "nps"
    st = r.scores_time
    fig2, ax2 = style.new_figure(height=3.4)
    ax2.plot(st["week"], st[key], color="#4C72B0", lw=2)
    ax2.fill_between(st["week"], st[f"{key}_low"], st[f"{key}_high"], color="#4C72B0",
                     alpha=0.2, lw=0)
    style.date_axis(ax2)
    if key == "csat":
        style.percent_axis(ax2)
        style.titled(ax2, tr("CSAT per week"),
                     tr("Share of ratings of 4 or 5 stars, with its 95 % Wilson interval."))
    else:
        style.titled(ax2, tr("NPS per week"),
                     tr("% promoters (9-10) - % detractors (0-6), in points, with its 95 % "
                        "interval."))
    out.append(fig2)
    fm = {"n": "count", "mean": "number", "mean_low": "number", "mean_high": "number",
          "csat": "pct", "csat_low": "pct", "csat_high": "pct",
          "nps": lambda x: fmt.number(x, 1), "nps_low": lambda x: fmt.number(x, 1),
          "nps_high": lambda x: fmt.number(x, 1)}
    tab = pd.concat([r.scores.assign(source=tr("all")), r.scores_source], ignore_index=True)
    cols = ["source", "n", "mean", "mean_low", "mean_high", key, f"{key}_low", f"{key}_high"]
    out.append(html.table(tab[cols], fm, lang=lang,
                          caption=tr("Ratings by source (95 % intervals)")))
    return out


# ---------------------------------------------------------------------- topics and tags
def _trend_plot(trend: pd.DataFrame, names: list[str], tr, title: str, definition: str):
    fig, ax = style.new_figure(height=3.8)
    colors = style.colors_for([str(n) for n in names])
    for n in names:
        if n in trend.columns:
            ax.plot(trend.index, trend[n], label=_label(n), color=colors[str(n)], lw=1.6)
    style.date_axis(ax)
    style.percent_axis(ax)
    ax.legend(fontsize=7, ncol=2)
    style.titled(ax, title, definition)
    return fig


def _quote_blocks(tab: pd.DataFrame, tr) -> list:
    out = []
    for _, row in tab.iterrows():
        if row["quotes"]:
            out.append(html.bullets(row["quotes"], strong=None))
            out.insert(len(out) - 1, html.paragraph(
                tr("{name}: {n} texts ({x})", name=Verbatim(str(row["name"])),
                   n=fmt.count(row["feedback"]), x=fmt.pct(row["share"])), small=True))
    return out


TOPIC_FORMATS = {"feedback": "count", "share": "pct", "negative_share": "pct"}


def show_topics(r, lang: str = "en") -> list:
    tr = Translator(lang)
    m, tab = r.model, r.topic_table
    names = [n for n in tab["name"] if n != "(no topic)"][:8]
    fig = _trend_plot(r.topic_trend, names, tr, tr("Share of each discovered topic per week"),
                      tr("Each text belongs to its topic of largest NMF weight; a topic is named "
                         "by its top three terms. Share of the week's analysed texts."))
    how = (tr("k = {k} topics chosen by stability (the most stable k from {lo} to {hi}: "
              "refits on 80 % subsamples share the most top terms with the fit on all texts).",
              k=m.k, lo=int(m.stability["k"].min()), hi=int(m.stability["k"].max()))
           if m.chosen_by == "stability" else tr("k = {k} topics, as the n_topics parameter "
                                                 "says.", k=m.k))
    out = [fig, html.paragraph(how)]
    if r.topic_agreement is not None:
        a = r.topic_agreement
        out.append(html.paragraph(tr("Against the analysts' topic_label on {n} texts: adjusted "
                                     "Rand index {ari}, purity {purity}.", n=fmt.count(a["n"]),
                                     ari=fmt.number(a["ari"]), purity=fmt.number(a["purity"]))))
    t = tab[["name", "feedback", "share", "negative_share"]].copy()
    terms = {nm: ", ".join(tt[:6]) for nm, tt in zip(m.names, m.terms)}
    t["top_terms"] = [terms.get(n, "") for n in t["name"]]
    out.append(html.table(t, TOPIC_FORMATS, lang=lang, caption=tr("Discovered topics")))
    if len(m.stability) > 1:
        s = m.stability.copy()
        out.append(html.table(s, {"stability": "number"}, lang=lang,
                              caption=tr("Stability of each number of topics (mean matched "
                                         "overlap of the top 10 terms)")))
    out.append(html.paragraph(tr("Representative quotes (the texts most typical of each "
                                 "topic, as written):"), strong=None))
    return out + _quote_blocks(tab[tab["name"] != "(no topic)"], tr)


def show_taxonomy(r, lang: str = "en") -> list:
    tr = Translator(lang)
    tab = r.tag_table
    names = [n for n in tab["name"] if n != "untagged"][:8]
    fig = _trend_plot(r.tag_trend, names, tr, tr("Share of each taxonomy tag per week"),
                      tr("Each text's primary tag: the matching topic of the lowest precedence "
                         "in the taxonomy file ({path}). Share of the week's analysed texts.",
                         path=Verbatim(r.taxonomy.path or "opsnb/feedback/taxonomy.yaml")))
    out = [fig, html.table(tab[["name", "feedback", "share", "negative_share"]], TOPIC_FORMATS,
                           lang=lang, caption=tr("Taxonomy tags"))]
    out.append(html.paragraph(tr("Latest quotes per tag, as written:")))
    return out + _quote_blocks(tab[tab["name"] != "untagged"], tr)


# ---------------------------------------------------------------------- sentiment
def show_sentiment(r, lang: str = "en") -> list:
    tr = Translator(lang)
    s = r.sent
    rows = r.rows[~r.rows["empty"]]
    week = rows["created_at"].dt.to_period("W-SUN").dt.start_time
    share = pd.crosstab(week, rows["sentiment"], normalize="index")
    fig, ax = style.new_figure(height=3.6)
    cols = [c for c in ("negative", "neutral", "positive") if c in share.columns]
    style.stacked_area(ax, share[cols], colors={c: SENT_COLORS[c] for c in cols})
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=SENT_COLORS[c], label=tr(c)) for c in cols], fontsize=8,
              loc="lower left")
    style.date_axis(ax)
    style.percent_axis(ax)
    style.titled(ax, tr("Sentiment of feedback per week"),
                 tr("Share of the week's analysed texts scored negative, neutral or positive."))
    if s.method == "classifier":
        how = tr("A classifier (character 1-3-gram TF-IDF + logistic regression) trained on "
                 "{n} texts the analysts labelled: cross-validated accuracy {acc}, macro F1 {f1} "
                 "({k} folds). Accuracy on generated or very different text can be lower; "
                 "check it on a fresh labelled sample.", n=fmt.count(s.n_labelled),
                 acc=fmt.pct(s.accuracy), f1=fmt.number(s.f1_macro), k=s.folds)
    elif s.accuracy is not None:
        how = tr("The lexicon shipped with opsnb ({reason}: {n} labelled, min_labelled is "
                 "{m}); its accuracy on the labelled texts is {acc}, macro F1 {f1}.",
                 reason=tr(s.reason), n=fmt.count(s.n_labelled),
                 m=r.parameters.get("min_labelled"), acc=fmt.pct(s.accuracy),
                 f1=fmt.number(s.f1_macro))
    else:
        how = tr("The lexicon shipped with opsnb (no labelled texts, so its accuracy on this "
                 "data cannot be measured; label a sample in sentiment_label to measure it, or "
                 "{m} or more to train a classifier).", m=r.parameters.get("min_labelled"))
    out = [fig, html.paragraph(how, strong=tr("Method:"))]
    if len(s.confusion):
        cm = s.confusion.reset_index()
        cm["analyst_label"] = [tr(x) for x in cm["analyst_label"]]
        cm.columns = [tr(str(c).replace("_", " ")) for c in cm.columns]
        out.append(html.table(cm, lang=lang, humanize=False,
                              caption=tr("Labels (rows) against predictions (columns)")))
    if r.sent_by_source is not None and len(r.sent_by_source):
        t = r.sent_by_source.reset_index()
        out.append(html.table(t, {c: "pct" for c in t.columns if c != "source"}, lang=lang,
                              caption=tr("Sentiment by source")))
    return out


# ---------------------------------------------------------------------- alerts
def show_alerts(r, lang: str = "en") -> list:
    tr = Translator(lang)
    out = []
    c = r.crisis
    if c is not None and len(c.table):
        t = c.table
        fig, ax = style.new_figure(height=3.6)
        ax.plot(t.index, t["count"], color="#C44E52", lw=1.4, label=tr("negative feedback"))
        ax.plot(t.index, t["baseline"], color="#8C8C8C", lw=1.2, ls="--",
                label=tr("baseline (previous 28 days)"))
        days = t.index[t["crisis"]]
        ax.scatter(days, t.loc[days, "count"], color="#000000", zorder=3, s=24,
                   label=tr("crisis day"))
        style.date_axis(ax)
        ax.legend(fontsize=8)
        style.titled(ax, tr("Negative feedback per day and the crisis flag"),
                     tr("A crisis day: negative volume with a tail probability under {p} against "
                        "its 28-day baseline (Poisson or negative binomial), at least twice the "
                        "baseline, in two or more sources.", p=fmt.number(r.alert_threshold, 4)))
        out.append(fig)
        if c.alerts:
            out.append(html.alert(" ".join(alert_sentence(a, tr) for a in c.alerts)))
        else:
            out.append(html.note(tr("No crisis: negative feedback stayed near its baseline.")))
    if r.alerts:
        lines = [alert_sentence(a, tr) for a in r.alerts[:15]]
        out.append(html.bullets(lines))
        t = pd.DataFrame([a.to_dict() for a in r.alerts[:30]])
        t["kind"] = [tr(k) for k in t["kind"]]
        out.append(html.table(t[["series", "kind", "start", "end", "days", "peak_count",
                                 "baseline", "ratio", "p"]],
                              {"baseline": "number", "ratio": "number", "p": fmt.p_value,
                               "peak_count": "count"}, lang=lang,
                              caption=tr("Alerts, most surprising first (tail probability of "
                                         "the first day's count against the topic's own "
                                         "baseline)")))
    else:
        out.append(html.note(tr("No topic rose above its usual daily volume in the window.")))
    return out


# ---------------------------------------------------------------------- service
SERVICE_FORMATS = {"tickets": "count", "open": "count", "median": _hours, "p90": _hours,
                   "within_sla": "pct"}


def show_service(r, lang: str = "en") -> list:
    tr = Translator(lang)
    st = r.service
    fig, ax = style.new_figure(height=3.8)
    colors = style.colors_for(st.sources)
    for g in st.sources:
        km = st.curves.get(("first_response", g))
        if km is None or km.empty:
            continue
        x = np.r_[0.0, km["time"].to_numpy()]
        y = 1.0 - np.r_[1.0, km["survival"].to_numpy()]
        ax.step(x, y, where="post", color=colors[g], lw=1.8, label=str(g))
    ax.axvline(st.sla_hours, color="#999999", ls="--", lw=1)
    style.percent_axis(ax)
    ax.set_xlabel(tr("hours since the feedback was created"))
    ax.legend(fontsize=8)
    top = max([float(k["time"].quantile(0.95)) for k in st.curves.values() if len(k)] +
              [st.sla_hours * 1.5])
    ax.set_xlim(0, top)
    style.titled(ax, tr("Share answered within t hours, by source"),
                 tr("Kaplan-Meier: tickets still unanswered count as waiting up to the data's "
                    "end (censored), not dropped. Dashed: the SLA of {h} h.",
                    h=fmt.number(st.sla_hours, 0)))
    t = st.table.copy()
    t["measure"] = [tr(m.replace("_", " ")) for m in t["measure"]]
    t["group_by"] = [tr(g) for g in t["group_by"]]
    b = st.backlog
    fig2, ax2 = style.new_figure(height=3.2)
    ax2.plot(b["day"], b["open"], color="#DD8452", lw=1.6)
    style.date_axis(ax2)
    style.thousands_axis(ax2)
    style.titled(ax2, tr("Backlog: open tickets at the end of each day"),
                 tr("Tickets created and not yet resolved (sources that track responses: "
                    "{sources}).", sources=Verbatim(", ".join(st.sources))))
    return [fig, html.table(t[["measure", "group_by", "group", "tickets", "open", "median", "p90",
                               "within_sla"]], SERVICE_FORMATS, lang=lang,
                            caption=tr("Response times in hours (Kaplan-Meier; open tickets "
                                       "censored), within the {h} h SLA",
                                       h=fmt.number(st.sla_hours, 0))), fig2]


# ---------------------------------------------------------------------- behaviour
SEGMENT_FORMATS = {"users": "count", "with_feedback": "count", "feedback": "count",
                   "negative": "count", "per_1000_users": "number", "negative_share": "pct"}


def show_behaviour(r, lang: str = "en") -> list:
    tr = Translator(lang)
    out = []
    for col, t in r.segments.items():
        out.append(html.table(t, SEGMENT_FORMATS, lang=lang,
                              caption=tr("Feedback by {column}: per 1,000 users, and the share "
                                         "negative", column=tr(col))))
    if r.retention is not None:
        rt = r.retention
        t = rt.table.copy()
        t["group"] = [tr(g) for g in t["group"]]
        out.append(html.paragraph(tr(
            "Users active on days 7-27 after their first negative feedback: {a}; comparable "
            "users (active the same day, same channel, no feedback): {b}; difference {d} "
            "({lo} to {hi}).", a=fmt.pct(t["rate"].iloc[0]), b=fmt.pct(t["rate"].iloc[1]),
            d=fmt.pp(rt.difference), lo=fmt.pp(rt.difference_low), hi=fmt.pp(rt.difference_high)),
            strong=tr("Retention after negative feedback.")))
        out.append(html.paragraph(tr(OBSERVATIONAL), strong=tr("Caveat:")))
        out.append(html.table(t, {"users": "count", "rate": "pct", "low": "pct", "high": "pct"},
                              lang=lang, caption=tr("Retention on days 7-27 (95 % intervals; "
                                                    "observational)")))
        if rt.n_left_out:
            out.append(html.note(tr("{n} users with negative feedback less than 28 days before "
                                    "the data end are left out (their follow-up is not over).",
                                    n=fmt.count(rt.n_left_out))))
    elif r.retention_note is not None:
        out.append(html.note(r.retention_note.render(lang)))
    return out


# ---------------------------------------------------------------------- export
def export(r, path: str) -> None:
    """Write the tagged feedback as CSV (UTF-8 with a BOM, so Excel reads the Chinese). A text
    that starts with = + - or @ gets a leading ' so that a spreadsheet shows it instead of
    running it as a formula."""
    from pathlib import Path

    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    out = r.export_frame()
    for c in ("text", "source", "user_id", "tag", "topic"):
        if c in out:
            s = out[c]
            risky = s.notna() & s.astype("str").str.match(r"^[=+\-@\t\r]")
            out[c] = s.where(~risky, "'" + s.astype("str"))
    out.to_csv(p, index=False, encoding="utf-8-sig")
