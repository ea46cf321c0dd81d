"""What the competitor report says: sentences, tiles, tables and charts in the report language.

Computation (:mod:`~opsnb.competitors.panel`, :mod:`~opsnb.competitors.position`,
:mod:`~opsnb.competitors.changepoints`, :mod:`~opsnb.competitors.alerts`, ...) holds numbers and
codes. Everything a reader reads is made here from the ``lang`` passed in, and every string that
comes from the data (competitor names, metric names, event kinds and notes) reaches the page
only through :mod:`opsnb.report.html`, which escapes it.

>>> import pandas as pd
>>> from types import SimpleNamespace
>>> from opsnb.competitors.registry import default_registry
>>> panel = SimpleNamespace(registry=default_registry(), our_product="Lumo", events_given=True)
>>> row = {"competitor": "Kivo", "metric": "price", "kind": "level", "direction": "down",
...        "absolute_change": -20.0, "relative_change": -0.15, "before": 139.0, "after": 118.0,
...        "date": pd.Timestamp("2026-06-15"), "event_note": None}
>>> change_sentence(row, panel)
'Kivo price improved on 2026-06-15: from ¥139.00 to ¥118.00, down 15.0% (lower is better); no matching event on record.'
>>> change_sentence(row, panel, "zh").split("，")[0]
'Kivo 的价格于 2026-06-15 改善：从 ¥139.00 降至 ¥118.00'
"""

from __future__ import annotations

import pandas as pd

from opsnb.report import fmt, html
from opsnb.report.i18n import Translator

_LEVEL = {"up": "{who} {what} rose {size} on {date} (from {before} to {after})",
          "down": "{who} {what} fell {size} on {date} (from {before} to {after})"}
_TREND = {"up": "{who} {what} turned up on {date} (trend change)",
          "down": "{who} {what} turned down on {date} (trend change)"}
# Lower-is-better metrics (rank, price): a fall in the number is an improvement, so the
# sentence says which way the product moved, not only which way the number went.
_LEVEL_LOWER = {"down": "{who} {what} improved on {date}: from {before} to {after}, down {size} "
                        "(lower is better)",
                "up": "{who} {what} worsened on {date}: from {before} to {after}, up {size} "
                      "(lower is better)"}
_TREND_LOWER = {"down": "{who} {what} began to improve on {date} (trend change; lower is better)",
                "up": "{who} {what} began to worsen on {date} (trend change; lower is better)"}

NO_EVENTS = ("Competitor events were not given ({source} has no competitor_events table): "
             "changes are shown without matching events.")


# --------------------------------------------------------------------------- sentences
def who(comp: str, ours: str, lang: str = "en") -> str:
    """A product's name; ours marked '(us)'."""
    return Translator(lang)("{name} (us)", name=comp) if comp == ours else comp


def kind_of_change(kind: str, lang: str = "en") -> str:
    """'level' or 'trend' (kind of change) in ``lang``; 'level' alone is a column name."""
    key = f"{kind} (kind of change)"
    out = Translator(lang)(key)
    return kind if out == key else out


def change_sentence(r, panel, lang: str = "en") -> str:
    """One change point as a sentence (``r``: a row of ``ChangePoints.table``)."""
    tr = Translator(lang)
    spec = panel.registry.get(r["metric"])
    what = spec.title(lang)
    name = who(r["competitor"], panel.our_product, lang)
    date = f"{r['date']:%Y-%m-%d}"
    lower = spec.better == "lower"
    if r["kind"] == "level":
        s = tr((_LEVEL_LOWER if lower else _LEVEL)[r["direction"]], who=name, what=what,
               size=spec.format_change(r["absolute_change"], r["relative_change"]).lstrip("+-"),
               date=date, before=spec.format_value(r["before"]),
               after=spec.format_value(r["after"]))
    else:
        s = tr((_TREND_LOWER if lower else _TREND)[r["direction"]], who=name, what=what, date=date)
    note = r.get("event_note")
    if isinstance(note, str) and note:
        s += tr("; matches '{note}' ({kind}, {date}).", note=note, kind=tr(r["event_kind"]),
                date=f"{r['event_date']:%Y-%m-%d}")
    elif getattr(panel, "events_given", True):
        s += tr("; no matching event on record.")
    else:
        s += "." if lang == "en" else "。"
    return s


def anomaly_sentence(r, panel, lang: str = "en") -> str:
    """One anomaly as a sentence (``r``: a row of ``Anomalies.table``)."""
    tr = Translator(lang)
    spec = panel.registry.get(r["metric"])
    return tr("{who} {what} on {date} was {value}, {dev} against the expected {expected} "
              "({severity} MADs, {level}).", who=who(r["competitor"], panel.our_product, lang),
              what=spec.title(lang), date=f"{r['date']:%Y-%m-%d}",
              value=spec.format_value(r["value"]),
              dev=spec.format_change(r["deviation"], r["deviation"]),
              expected=spec.format_value(r["expected"]), severity=f"{r['severity']:.1f}",
              level=tr(r["level"]))


def alert_sentences(report, lang: str = "en", n: int | None = None) -> list[str]:
    """The ranked alerts as sentences (the first ``n``)."""
    if report.alerts is None:
        return []
    ch = report.changes.in_window()
    an = report.anomalies.in_window() if report.anomalies is not None else None
    out = []
    for _, a in report.alerts.top(n).iterrows():
        if a["type"] == "change":
            out.append(change_sentence(ch.loc[a["ref"]], report.panel, lang))
        else:
            out.append(anomaly_sentence(an.loc[a["ref"]], report.panel, lang))
    return out


def swot_items(report, lang: str = "en") -> list[str]:
    """The SWOT rows as sentences."""
    tr = Translator(lang)
    sc = report.position.scorecard
    ch = report.changes.in_window() if report.changes is not None else None
    out = []
    for _, row in report.swot.table.iterrows():
        if row["source"] == "change":
            out.append(change_sentence(ch.loc[row["ref"]], report.panel, lang))
            continue
        s = sc.loc[row["ref"]]
        spec = report.panel.registry.get(s["metric"])
        what, mine = spec.title(lang), spec.format_value(s["ours"])
        rival, value = s["best_rival"], spec.format_value(s["best_rival_value"])
        if row["quadrant"] == "Strengths":
            out.append(tr("We lead on {what}: {mine}, ahead of {rival} at {value}.", what=what,
                          mine=mine, rival=rival, value=value) if rival else
                       tr("We lead on {what}: {mine}.", what=what, mine=mine))
        else:
            out.append(tr("We rank {rank} of {n} on {what}: {mine} against {rival} at {value}.",
                          rank=s["our_rank"], n=s["n_ranked"], what=what, mine=mine,
                          rival=rival, value=value))
    return out


def gap_summary(panel, lang: str = "en") -> str:
    """The gaps of the panel in one phrase."""
    tr = Translator(lang)
    if panel.gaps.empty:
        return tr("no gaps")
    how = {"interpolate": "filled on a straight line between neighbours",
           "ffill": "filled with the last observed value",
           "none": "left empty"}[panel.fill]
    return tr("{n} missing {unit} in {gaps} gaps (longest {longest}), {how}",
              n=f"{int(panel.gaps['n_missing'].sum()):,}", unit=f"{panel.freq}s",
              gaps=f"{len(panel.gaps):,}", longest=int(panel.gaps["n_missing"].max()),
              how=tr(how))


def notes(report, lang: str = "en") -> list[str]:
    """The notes on the data under the 'Read first' list (gaps, metrics, series left out)."""
    tr = Translator(lang)
    if report.panel is None:
        return []
    out = [tr("Gaps: {summary}.", summary=gap_summary(report.panel, lang))]
    out += [n.render(lang) for n in report.panel.notes]
    if report.changes is not None:
        out += [n.render(lang) for n in report.changes.skipped]
    if report.position is not None and not report.has_previous_period():
        w = report.window
        out.append(tr("The scorecard has no 'window vs previous' column: the data starts on "
                      "{first}, so it does not cover the {n} days before the window.",
                      first=f"{report.panel.values.index[0]:%Y-%m-%d}",
                      n=(w.end.normalize() - w.start.normalize()).days + 1))
    if not report.panel.events_given:
        out.append(tr(NO_EVENTS, source=report.source.description))
    return out


# --------------------------------------------------------------------------- headline
def headline_title(report, lang: str = "en") -> str:
    tr = Translator(lang)
    if report.panel is None:
        return tr("Competitor tracking, {window}", window=report.window.label())
    return tr("Competitor tracking: {ours} against {n} competitors, {window}",
              ours=report.panel.our_product, n=len(report.panel.competitors) - 1,
              window=report.window.label())


def headline_items(report, lang: str = "en") -> list[tuple[str, str, str]]:
    """The headline tiles; '–' for what a left-out section would have given."""
    tr = Translator(lang)
    h = report.headline()
    dash = "–"

    def names(ms):  # readable metric labels ('share of voice'), not the raw keys
        return tr.sep().join(report.panel.registry.get(m).title(lang) for m in ms) or tr("none")

    items = []
    if report.position is not None:
        n = len(report.position.scorecard)
        items += [(tr("Metrics we lead"), tr("{k} of {n}", k=len(h["metrics_we_lead"]), n=n),
                   names(h["metrics_we_lead"])),
                  (tr("Metrics we trail"), tr("{k} of {n}", k=len(h["metrics_we_trail"]), n=n),
                   names(h["metrics_we_trail"]))]
    else:
        items += [(tr("Metrics we lead"), dash, ""), (tr("Metrics we trail"), dash, "")]
    if report.changes is not None:
        note = (tr("{matched} matched to events, {against} against us",
                   matched=h["changes_matched_to_events"], against=h["changes_against_us"])
                if report.panel.events_given else
                tr("{against} against us; no competitor events given",
                   against=h["changes_against_us"]))
        items.append((tr("Changes detected"), fmt.count(h["changes"]), note))
    else:
        items.append((tr("Changes detected"), dash, tr("left out")))
    if report.anomalies is not None:
        items.append((tr("Anomalies"), fmt.count(h["anomalies"]),
                      tr("beyond {k} MADs", k=f"{report.anomalies.k:g}")))
    else:
        items.append((tr("Anomalies"), dash, tr("left out")))
    if report.panel is None:
        items.append((tr("Products tracked"), dash, ""))
    elif report.changes is not None:
        ch = report.changes.in_window()
        items.append((tr("Products tracked"), fmt.count(h["products"]),
                      tr("{series} series, {moved} moved", series=h["series"],
                         moved=len(ch["competitor"].unique()) if len(ch) else 0)))
    else:
        items.append((tr("Products tracked"), fmt.count(h["products"]),
                      tr("{series} series", series=report.panel.values.shape[1])))
    return items


# --------------------------------------------------------------------------- tables
def _translated(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The display frame with its column names in ``lang``."""
    tr = Translator(lang)
    return frame.rename(columns={c: tr(c) for c in frame.columns})


def scorecard_frame(report, lang: str = "en") -> pd.DataFrame:
    """The scorecard with every number formatted by its metric; without the 'window vs
    previous' column when there is no previous period in the data (see :func:`notes`)."""
    tr = Translator(lang)
    rows = []
    for _, s in report.position.scorecard.iterrows():
        spec = report.panel.registry.get(s["metric"])
        rows.append({
            "metric": spec.title(lang), "better": tr(spec.better),
            "ours": spec.format_value(s["ours"]),
            "our rank": tr("{rank} of {n}", rank=s["our_rank"], n=s["n_ranked"]),
            "best rival": s["best_rival"] or "–",
            "rival value": spec.format_value(s["best_rival_value"]),
            "gap to rival": spec.format_change(s["gap_to_best_rival"], s["gap_to_best_rival"]),
            "week over week": spec.format_change(s["our_wow_change"], s["our_wow_change"]),
            "window vs previous": spec.format_change(s["our_pop_change"], s["our_pop_change"]),
            "our share": fmt.pct(s["our_share"]),
        })
    out = pd.DataFrame(rows)
    if len(out) and not report.has_previous_period():
        out = out.drop(columns="window vs previous")
    return _translated(out, lang)


def changes_frame(report, lang: str = "en") -> pd.DataFrame:
    """The window's change points, one row each; no 'matched event' column without events."""
    tr = Translator(lang)
    rows = []
    for _, r in report.changes.in_window().iterrows():
        spec = report.panel.registry.get(r["metric"])
        row = {
            "date": f"{r['date']:%Y-%m-%d}", "competitor": r["competitor"],
            "metric": spec.title(lang),
            "change": spec.format_change(r["absolute_change"], r["relative_change"]),
            "from": spec.format_value(r["before"]), "to": spec.format_value(r["after"]),
            "kind": kind_of_change(r["kind"], lang), "size (× noise)": f"{r['z']:.1f}",
        }
        if report.panel.events_given:
            row["matched event"] = (
                tr("{date} {kind}: {note}", date=f"{r['event_date']:%Y-%m-%d}",
                   kind=tr(r["event_kind"]), note=r["event_note"])
                if isinstance(r["event_note"], str) else "–")
        rows.append(row)
    return _translated(pd.DataFrame(rows), lang)


def anomalies_frame(report, lang: str = "en") -> pd.DataFrame:
    tr = Translator(lang)
    rows = []
    for _, r in report.anomalies.in_window().iterrows():
        spec = report.panel.registry.get(r["metric"])
        rows.append({
            "date": f"{r['date']:%Y-%m-%d}", "competitor": r["competitor"],
            "metric": spec.title(lang), "value": spec.format_value(r["value"]),
            "expected": spec.format_value(r["expected"]),
            "deviation": spec.format_change(r["deviation"], r["deviation"]),
            "severity (MADs)": f"{r['severity']:.1f}", "level": tr(r["level"]),
        })
    return _translated(pd.DataFrame(rows), lang)


def alerts_frame(report, lang: str = "en") -> pd.DataFrame:
    """The alerts as the report shows them: dates and scores as text (one decimal), type and
    the yes/no flags in ``lang``, and the sentence."""
    tr = Translator(lang)
    al = report.alerts.to_frame().drop(columns="ref")
    if al.empty:
        return al.assign(sentence=[])
    return al.assign(date=al["date"].dt.strftime("%Y-%m-%d"),
                     score=al["score"].map(lambda x: f"{x:.1f}"),
                     type=al["type"].map(tr),
                     against_us=al["against_us"].map(lambda f: fmt.yes_no(f, lang)),
                     losing_metric=al["losing_metric"].map(lambda f: fmt.yes_no(f, lang)),
                     sentence=alert_sentences(report, lang))


def swot_frame(report, lang: str = "en") -> pd.DataFrame:
    """Quadrant and item, in ``lang``."""
    tr = Translator(lang)
    t = report.swot.table
    return pd.DataFrame({"quadrant": [tr(q) for q in t["quadrant"]],
                         "item": swot_items(report, lang)})


# --------------------------------------------------------------------------- sections
def show_read_first(report, lang: str) -> list:
    tr = Translator(lang)
    out = []
    if report.alerts is None:
        out.append(html.paragraph(tr("No alerts: change and anomaly detection were left out for "
                                     "this data (each section says why)."), strong=tr("Read first")))
    else:
        top = alert_sentences(report, lang, 5)
        if top:
            out += [html.paragraph("", strong=tr("Read first")),
                    html.bullets(top)]
        else:
            out.append(html.paragraph(
                "", strong=tr("Nothing changed beyond the normal range in this window.")))
    out.append(html.lines(notes(report, lang)))
    return out


def show_scorecard(report, lang: str) -> list:
    tr = Translator(lang)
    cur = report.position.current
    return [html.table(scorecard_frame(report, lang), humanize=False, lang=lang,
                       caption=tr("Scorecard, latest week {week}",
                                  week=f"{cur[0]:%Y-%m-%d} – {cur[1]:%Y-%m-%d}"))]


def show_trends(report, lang: str) -> list:
    return [report.plot_small_multiples(lang=lang)]


def show_share_of_voice(report, lang: str) -> list:
    return [report.plot_share_of_voice(lang=lang)]


def show_quality(report, lang: str) -> list:
    return [report.plot_quality(lang=lang)]


def show_changes(report, lang: str) -> list:
    tr = Translator(lang)
    ch = changes_frame(report, lang)
    out = [html.table(ch, humanize=False, lang=lang, caption=tr("Detected changes in the window"))
           if len(ch) else html.paragraph(tr("No change in level or trend in this window."))]
    if not report.panel.events_given:
        out.append(html.note(tr(NO_EVENTS, source=report.source.description)))
    return out


def show_anomalies(report, lang: str) -> list:
    tr = Translator(lang)
    k = f"{report.anomalies.k:g}"
    an = anomalies_frame(report, lang)
    return [html.table(an, humanize=False, lang=lang, caption=tr("Anomalies beyond {k} MADs", k=k))
            if len(an) else html.paragraph(tr("No day beyond {k} MADs in this window.", k=k))]


def show_alerts(report, lang: str) -> list:
    tr = Translator(lang)
    al = alerts_frame(report, lang)
    if al.empty:
        return [html.paragraph(tr("No alerts in this window."))]
    return [html.table(al[["rank", "date", "type", "against_us", "score", "sentence"]],
                       humanize=True, lang=lang, caption=tr("Alerts"))]


def show_swot(report, lang: str) -> list:
    return [html.table(swot_frame(report, lang), lang=lang,
                       caption=Translator(lang)("SWOT starting point"))]
