"""What the KPI diagnostics report shows: the headline, the waterfall, the causes as sentences,
the forecast fan chart with the target, and the alerts.

Everything is made from the ``lang`` it is passed; the numbers come from
:mod:`opsnb.diagnostics.report`. Segment values come from the data: they reach HTML only
through :mod:`opsnb.report.html` and are drawn as plain text in charts.

>>> segment_code((("device", "android"), ("region", "华东")))
'device=android & region=华东'
>>> describe_segment((("device", "android"), ("region", "华东")), "en")
'android users in 华东'
>>> describe_segment((("device", "android"), ("region", "华东")), "zh")
'华东的android用户'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from opsnb.report import fmt, html, style
from opsnb.report.i18n import Translator, Verbatim

EFFECT_COLORS = {"size": "#8C8C8C", "mix": "#DD8452", "rate": "#4C72B0", "conversion": "#4C72B0",
                 "revenue_per_payer": "#55A868", "volume": "#4C72B0"}


def segment_code(segment) -> str:
    return " & ".join(f"{k}={v}" for k, v in segment)


def describe_segment(segment, lang: str = "en") -> str:
    """A segment as words: 'android users in 华东', 'new users from 抖音', '华东的android用户'."""
    d = dict(segment)
    zh = lang == "zh"
    adj = []
    if "user_type" in d:
        adj.append({"new": "新" if zh else "new", "returning": "老" if zh else "returning"}.get(
            d["user_type"], d["user_type"]))
    if "gender" in d:
        adj.append({"female": "女性" if zh else "female", "male": "男性" if zh else "male"}.get(
            d["gender"], d["gender"]))
    if "device" in d:
        adj.append(d["device"])
    tail = []
    if "age_band" in d:
        tail.append(f"{d['age_band']}岁" if zh else f"aged {d['age_band']}")
    if "channel" in d:
        tail.append(f"来自{d['channel']}" if zh else f"from {d['channel']}")
    if "campaign" in d:
        tail.append(f"活动 {d['campaign']}" if zh else f"of campaign {d['campaign']}")
    others = [f"{k} {v}" for k, v in segment if k not in (
        "user_type", "gender", "device", "age_band", "channel", "campaign", "region")]
    if zh:
        lead = f"{d['region']}的" if "region" in d else ""
        mid = "、".join(tail + others)
        return lead + (mid + "的" if mid else "") + "".join(adj) + "用户"
    words = " ".join([*adj, "users", *tail])
    if "region" in d:
        words += f" in {d['region']}"
    if others:
        words += " (" + ", ".join(others) + ")"
    return words


def _value(r, x) -> str:
    k = r.kpi
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "–"
    if k.money:
        return fmt.money(x, 2 if k.name == "arpu" else 0)
    if k.name == "paying_conversion":
        return fmt.pct(x)
    if k.kind == "ratio":
        return fmt.number(x, 4)
    return fmt.number(x, 1)


def _delta(r, x) -> str:
    k = r.kpi
    if k.name == "paying_conversion":
        return fmt.pp(x)
    s = _value(r, abs(x))
    return ("+" if x >= 0 else "−") + s


def cause_sentence(r, c: dict, lang: str = "en") -> str:
    """'DAU −8.0 %: 92 % of the drop is android users in 华东 (rate effect)'."""
    tr = Translator(lang)
    drop = r.total.change < 0
    text = ("{kpi} {change}: {share} of the drop is {segment} ({effect} effect)" if drop else
            "{kpi} {change}: {share} of the rise is {segment} ({effect} effect)")
    return tr(text, kpi=tr(r.kpi.label), change=fmt.pct(r.relative_change, signed=True),
              share=fmt.pct(c["ep"], 0), segment=Verbatim(describe_segment(c["segment"], lang)),
              effect=effect_name(c["label"], lang))


def effect_name(label: str, lang: str) -> Verbatim:
    """The name of an effect code (rate, mix, volume) in ``lang``. Explicit here: the shared
    catalogue's "rate" is a retention rate (留存率) in the other reports' tables."""
    return Verbatim(EFFECT_NAMES.get(label, {}).get(lang, label))


EFFECT_NAMES = {"rate": {"zh": "比率"}, "mix": {"zh": "结构"}, "volume": {"zh": "规模"}}


# ---------------------------------------------------------------------- headline
def headline_items(r, lang: str = "en") -> list[tuple[str, str, str]]:
    tr = Translator(lang)
    items = []
    if r.total is not None:
        items.append((tr(r.kpi.label), _value(r, r.total.current_value),
                      tr("{change} against {base} in {window}",
                         change=fmt.pct(r.relative_change, signed=True),
                         base=_value(r, r.total.base_value), window=r.base.label())))
    if r.causes:
        c = r.causes[0]
        items.append((tr("Main cause"), describe_segment(c["segment"], lang),
                      tr("{share} of the change ({effect} effect)", share=fmt.pct(c["ep"], 0),
                         effect=effect_name(c["label"], lang))))
    fc = r.fc
    if fc is not None:
        period = f"{fc.period[0]:%Y-%m-%d} – {fc.period[1]:%Y-%m-%d}"
        items.append((tr("Forecast, total" if fc.sums else "Forecast, daily mean"),
                      _value(r, fc.expected),
                      tr("{period}; 80 % range {low} – {high}", period=period,
                         low=_value(r, fc.low), high=_value(r, fc.high))))
        if fc.target is not None:
            items.append((tr("Target reached"), fmt.pct(fc.p_target, 0),
                          tr("target {target}; needs {rate} a day from here",
                             target=_value(r, fc.target), rate=_value(r, fc.run_rate_needed))))
        else:
            items.append((tr("Target reached"), "–",
                          tr("no target set: set the target parameter to see the chance")))
    if r.alerts is not None:
        items.append((tr("Alerts"), fmt.count(len(r.alerts)),
                      tr("days far from the model") if len(r.alerts) else tr("no day far from "
                                                                              "the model")))
    return items


def headline_blocks(r, lang: str = "en") -> list:
    tr = Translator(lang)
    out = []
    if r.causes:
        out.append(html.paragraph(cause_sentence(r, r.causes[0], lang), strong=tr("Read first:")))
    if r.fc is not None and r.fc.target is not None:
        fc = r.fc
        out.append(html.paragraph(tr(
            "Target {target} for {period}: reached on {p} of simulated paths; each remaining day "
            "needs {need} on average against {expect} forecast.",
            target=_value(r, fc.target), period=f"{fc.period[0]:%Y-%m-%d} – {fc.period[1]:%Y-%m-%d}",
            p=fmt.pct(fc.p_target, 0), need=_value(r, fc.run_rate_needed),
            expect=_value(r, fc.run_rate_forecast))))
    return out


# ---------------------------------------------------------------------- change
def _waterfall_steps(r) -> tuple[str, list[tuple[str, float, str]]]:
    """The dimension shown in the waterfall (the top cause's first, else the first) and its
    steps: (label, value, colour key)."""
    dims = r.causes[0]["segment"][0][0] if r.causes else r.dims[0]
    d = r.decs[(dims,)]
    t = d.table.copy()
    t["abs"] = t["contribution"].abs()
    top = t.sort_values("abs", ascending=False, kind="stable").head(6)
    steps = [(str(v), float(c), lab) for v, c, lab in zip(top[dims], top["contribution"],
                                                          top["label"])]
    rest = float(t["contribution"].sum() - top["contribution"].sum())
    if len(t) > len(top):
        steps.append(("…", rest, "other"))
    return dims, steps


def show_change(r, lang: str = "en") -> list:
    tr = Translator(lang)
    dim, steps = _waterfall_steps(r)
    fig, ax = style.new_figure(height=4.4)
    labels = [tr("comparison")] + [s[0] for s in steps] + [tr("current")]
    level = r.total.base_value
    ax.bar(0, level, color="#BBBBBB")
    for i, (_, v, kind) in enumerate(steps, 1):
        ax.bar(i, v, bottom=level, color=EFFECT_COLORS.get(kind, "#999999") if v < 0 else
               "#55A868" if kind != "mix" else EFFECT_COLORS["mix"], alpha=0.9)
        level += v
    ax.bar(len(steps) + 1, r.total.current_value, color="#555555")
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=20, ha="right")
    lo = min(r.total.base_value, r.total.current_value)
    hi = max(r.total.base_value, r.total.current_value)
    pad = max(abs(hi - lo), 1e-9) * 1.5
    ax.set_ylim(max(0.0, lo - pad), hi + pad)
    style.titled(ax, tr("{kpi}: from the comparison window to the current one, by {dim}",
                        kpi=tr(r.kpi.label), dim=Verbatim(dim)),
                 tr("Each bar is a segment's contribution to the change (its mix and rate "
                    "effects, Kitagawa / Das Gupta); the parts sum exactly to the change. "
                    "Orange: mostly mix, blue: mostly rate."))
    eff = r.dimension_effects()
    parts = [*(r.kpi.factors or ("volume",))]
    eff = eff[["dimension", *parts, "change"]].rename(
        columns={f: f"{f.replace('_', ' ')} effect" for f in parts})
    fmts = {c: (lambda x, r=r: _delta(r, x)) for c in eff.columns[1:]}
    return [fig, html.table(eff, fmts, tr("The change split per dimension (the parts sum "
                                                 "to the change)"), lang=lang)]


# ---------------------------------------------------------------------- causes
def show_causes(r, lang: str = "en") -> list:
    tr = Translator(lang)
    if not r.causes:
        return [html.note(tr("No set of segments explains {share} of the change: it is spread "
                             "thinly over many segments.", share=fmt.pct(r.explain_share, 0)))]
    sentences = [cause_sentence(r, c, lang) for c in r.causes]
    t = pd.DataFrame({
        "segment": [segment_code(c["segment"]) for c in r.causes],
        "share of change": [c["ep"] for c in r.causes],
        "change": [c["change"] for c in r.causes],
        "relative to the segment": [c["deviation"] for c in r.causes],
        "surprise": [c["surprise"] for c in r.causes],
        "effect": [effect_name(c["label"], lang) for c in r.causes]})
    fmts = {"share of change": "pct", "change": lambda x, r=r: _delta(r, x),
            "relative to the segment": lambda x: fmt.pct(x, signed=True),
            "surprise": lambda x: f"{x:.4f}"}
    return [html.bullets(sentences, numbered=True),
            html.table(t, fmts, tr("Causes: explanatory power, surprise (Jensen-Shannon) and "
                                   "effect, searched over {n} dimensions up to {depth} at a time",
                                   n=len(r.dims), depth=r.max_depth), lang=lang)]


# ---------------------------------------------------------------------- forecast
def show_forecast(r, lang: str = "en") -> list:
    tr = Translator(lang)
    fc = r.fc
    fig, ax = style.new_figure(height=4.4)
    hist = fc.history.iloc[-56:]
    ax.plot(hist.index, hist.to_numpy(), color="#333333", lw=1.4, label=tr("actual"))
    t = fc.table
    ax.fill_between(t["date"], t["lower95"], t["upper95"], color="#4C72B0", alpha=0.15,
                    lw=0, label=tr("95 % interval"))
    ax.fill_between(t["date"], t["lower80"], t["upper80"], color="#4C72B0", alpha=0.3, lw=0,
                    label=tr("80 % interval"))
    ax.plot(t["date"], t["mean"], color="#4C72B0", lw=1.6, label=tr("forecast"))
    if fc.target is not None:
        level = fc.run_rate_needed if fc.sums else fc.target
        ax.hlines(level, t["date"].iloc[0], t["date"].iloc[-1], color="#C44E52", ls="--",
                  label=tr("run-rate needed" if fc.sums else "target (daily mean)"))
    style.date_axis(ax)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    style.titled(ax, tr("{kpi} per day: the last 8 weeks and the forecast to {end}",
                        kpi=tr(r.kpi.label), end=f"{fc.period[1]:%Y-%m-%d}"),
                 tr("Model: {method}. Bands: 80 % and 95 % prediction intervals.",
                    method=fc.method))
    b = fc.backtest.copy()
    out = [fig]
    if len(b):
        b["origin"] = [f"{d:%Y-%m-%d}" for d in b["origin"]]
        out.append(html.table(b, {"model_mae": "number", "naive_mae": "number",
                                  "covered80": "pct", "days": "count"},
                              tr("Backtest on rolling origins: mean absolute error of the model "
                                 "and of seasonal naive (the same weekday a week before)"),
                              lang=lang))
        out.append(html.paragraph(tr(
            "Over the backtest the model's error is {skill} lower than seasonal naive's.",
            skill=fmt.pct(fc.skill)) if (fc.skill or 0) >= 0 else tr(
            "Over the backtest the model's error is {skill} higher than seasonal naive's: read "
            "the forecast with care.", skill=fmt.pct(-fc.skill))))
    return out


# ---------------------------------------------------------------------- anomalies
def show_anomalies(r, lang: str = "en") -> list:
    tr = Translator(lang)
    a = r.alerts
    if a is None or a.empty:
        return [html.paragraph(tr("No day is far from the model (robust z of the residuals "
                                  "below 3.5)."))]
    t = a.assign(date=[f"{d:%Y-%m-%d}" for d in a["date"]],
                 direction=[tr(x) for x in a["direction"]])
    return [html.table(t, {"value": lambda x, r=r: _value(r, x),
                           "expected": lambda x, r=r: _value(r, x), "z": "number"},
                       tr("Days far from the model: robust z of the one-step residual at "
                          "least 3.5"), lang=lang)]
