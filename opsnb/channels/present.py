"""What the Channel ROI report shows: headline tiles, section blocks and the budget sentences.

Everything here is made from the ``lang`` it is passed (``en`` or ``zh``); the numbers come
from the report (:mod:`opsnb.channels.report`) and its parts, which hold no text a reader reads.
Tables, lists and paragraphs go through :mod:`opsnb.report.html`, so channel and campaign names
from the data are escaped.

>>> import pandas as pd
>>> from opsnb.channels.budget import BudgetPlan
>>> t = pd.DataFrame({"channel": ["a", "b"], "current_spend": [100.0, 100.0],
...                   "proposed_spend": [70.0, 130.0], "change": [-30.0, 30.0],
...                   "change_pct": [-0.3, 0.3], "current_response": [50.0, 60.0],
...                   "proposed_response": [40.0, 80.0], "response_change": [-10.0, 20.0]})
>>> plan = BudgetPlan(t, 200.0, 200.0, 110.0, 120.0, 2.0, 15.0, "D30 revenue")
>>> plan_sentences(plan, "en")[0]  # doctest: +ELLIPSIS
'Shift ¥30 (15% of the budget) from a to b: +9.1% modelled D30 revenue expected (¥10; 95 % ...'
>>> plan_sentences(plan, "zh")[1]
'a：花费削减 30%（-¥30）；模型预估 D30 收入 变化 -¥10（-20%）。'
"""

from __future__ import annotations

import pandas as pd

from opsnb.channels.budget import BudgetPlan, response_text
from opsnb.report import fmt, html
from opsnb.report.i18n import Translator, Verbatim


def plan_sentences(plan: BudgetPlan, lang: str = "en") -> list[str]:
    """The budget plan in words: the overall move first, then one sentence per channel."""
    tr = Translator(lang)
    t = plan.table
    lab = plan.response_label
    resp = response_text(lab, lang)
    out = []
    down = t[t["change"] < -0.005 * t["current_spend"]].sort_values("change")
    up = t[t["change"] > 0.005 * t["current_spend"]].sort_values("change", ascending=False)
    pct = plan.expected_change_pct
    money = "revenue" in lab
    interval = (tr("95 % interval {low} to {high}", low=fmt.money(plan.change_low),
                   high=fmt.money(plan.change_high))
                if money else
                tr("95 % interval {low} to {high}", low=f"{plan.change_low:+,.0f}",
                   high=f"{plan.change_high:+,.0f}"))
    change = fmt.money(plan.expected_change) if money else f"{plan.expected_change:+,.0f}"
    if plan.target_roas is not None:
        out.append(tr("For an overall modelled ROAS of at least {target}: spend {budget} in total "
                      "({budget_change} against the current {current}; modelled ROAS {roas}, "
                      "now {current_roas}): {pct} modelled {response} expected ({change}; "
                      "{interval}).",
                      target=fmt.pct(plan.target_roas), budget=fmt.money(plan.budget),
                      budget_change=fmt.pct(plan.budget / plan.current_total - 1, 0, True),
                      current=fmt.money(plan.current_total), roas=fmt.pct(plan.proposed_roas),
                      current_roas=fmt.pct(plan.current_roas), pct=fmt.pct(pct, 1, True),
                      response=resp, change=change, interval=interval))
    elif len(down) and len(up):
        moved = float(up["change"].sum())
        out.append(tr("Shift {moved} ({share} of the budget) from {down} to {up}: {pct} modelled "
                      "{response} expected ({change}; {interval}).",
                      moved=fmt.money(moved), share=fmt.pct(moved / plan.budget, 0),
                      down=tr.sep().join(map(str, down["channel"])),
                      up=tr.sep().join(map(str, up["channel"])),
                      pct=fmt.pct(pct, 1, True), response=resp, change=change,
                      interval=interval))
    else:
        out.append(tr("Keep the current mix: no reallocation within the bounds raises the modelled "
                      "{response}.", response=resp))
    for _, r in t.iterrows():
        if abs(r["change_pct"]) < 0.005:
            out.append(tr("{channel}: keep spend at {spend}.", channel=r["channel"],
                          spend=fmt.money(r["current_spend"])))
            continue
        rc = r["response_change"]
        eff = fmt.money(rc, 0) if money else f"{rc:+,.0f}"
        if money and rc > 0:
            eff = "+" + eff
        rel = rc / r["current_response"] if r["current_response"] else None
        up_ = r["change"] > 0
        if rel is not None:
            text = ("{channel}: raise spend by {pct} ({change}); its modelled {response} changes "
                    "by {effect} ({rel})." if up_ else
                    "{channel}: cut spend by {pct} ({change}); its modelled {response} changes by "
                    "{effect} ({rel}).")
        else:
            text = ("{channel}: raise spend by {pct} ({change}); its modelled {response} changes "
                    "by {effect}." if up_ else
                    "{channel}: cut spend by {pct} ({change}); its modelled {response} changes by "
                    "{effect}.")
        out.append(tr(text, channel=r["channel"], pct=fmt.pct(abs(r["change_pct"]), 0),
                      change=fmt.money(r["change"]), response=resp, effect=eff,
                      rel=fmt.pct(rel, 0, True) if rel is not None else ""))
    return out


MMM_FORMATS = {"spend": "money", "contribution": "count", "revenue_contribution": "money",
               "roas": "pct", "marginal_roas": "pct", "decay": "number"}
PATH_FORMATS = {"journeys": "count", "conversions": "count", "revenue": "money",
                "conversion_rate": "pct"}
PLAN_FORMATS = {"current_spend": "money", "proposed_spend": "money",
                "change_pct": lambda x: fmt.pct(x, 1, True),  # +30.0% / -30.0%
                "current_response": "money", "proposed_response": "money"}
CONTROL_HEADERS = {"roas_without": "ROAS without controls", "roas_with": "ROAS with controls",
                   "change": "change", "change_rel": "relative change"}
CONTROL_FORMATS = {"roas_without": "pct", "roas_with": "pct",
                   "change": lambda x: fmt.pp(x),            # ROAS points: +12.0 pp
                   "change_rel": lambda x: fmt.pct(x, 0, True)}
# the budget table's headers: the response columns say what they hold (modelled D30 revenue)
PLAN_HEADERS = {"change_pct": "spend change", "current_response": "modelled {response}, now",
                "proposed_response": "modelled {response}, proposed"}


class ChannelROIPresentation:
    """The presentation half of :class:`opsnb.channels.report.ChannelROI`."""

    # ------------------------------------------------------------------ headline
    def headline_items(self, lang: str = "en") -> list[tuple[str, str, str]]:
        tr = Translator(lang)
        h = self.headline()
        k = self.roas_horizon_days
        items = []
        if self.runs("economics"):
            roas_known = h[f"paid_roas_d{k}"] is not None
            items += [
                (tr("Total spend"), fmt.money(h["total_spend"]),
                 tr("{n} new users", n=fmt.count(h["new_users"]))),
                (tr("Blended CAC"), fmt.money(h["blended_cac"]),
                 tr("paid channels only: {x}", x=fmt.money(h["paid_cac"]))),
                (tr("Paid ROAS D{k}", k=k), fmt.pct(h[f"paid_roas_d{k}"]),
                 tr("revenue of paid users in their first {k} days / spend", k=k) if roas_known
                 else tr("not known yet: see the note above")),
            ]
            # best and worst only when there is a ranking: no empty tiles, and one paid channel
            # is not both the best and the worst
            if h["best_channel"] is not None and h["best_channel"] == h["worst_channel"]:
                items.append((tr("Only paid channel"), str(h["best_channel"]),
                              tr("ROAS D{k} {x}", k=k, x=fmt.pct(h["best_roas"]))))
            elif h["best_channel"] is not None:
                items += [
                    (tr("Best channel"), str(h["best_channel"]),
                     tr("ROAS D{k} {x}", k=k, x=fmt.pct(h["best_roas"]))),
                    (tr("Worst channel"), str(h["worst_channel"] or "–"),
                     tr("ROAS D{k} {x}", k=k, x=fmt.pct(h["worst_roas"]))),
                ]
        else:
            items.append((tr("New users"), fmt.count(h["new_users"] or 0),
                          tr("CAC and ROAS left out (see Unit economics)")))
            if h["conversions_attributed"] is not None:
                items.append((tr("Conversions attributed"), fmt.count(h["conversions_attributed"]),
                              tr("first {event} of the users who signed up in the window",
                                 event=self.parameters.get("conversion_event", "purchase"))))
        if self.runs("budget") and self.plan is not None:
            target = self.plan.target_roas
            if getattr(self, "mmm_target", "signups") == "revenue":
                sub = (tr("modelled revenue, same budget") if target is None
                       else tr("modelled revenue, target ROAS {x}", x=fmt.pct(target)))
            else:
                sub = (tr("modelled revenue D{k}, same budget", k=k) if target is None
                       else tr("modelled revenue D{k}, target ROAS {x}", k=k, x=fmt.pct(target)))
            items.append((tr("Reallocation"), fmt.pct(h["reallocation_change_pct"], 1, True),
                          sub))
        return items

    def headline_blocks(self, lang: str = "en") -> list:
        """The budget proposal in one sentence, under the headline (nothing when no plan)."""
        if not (self.runs("budget") and self.plan is not None):
            return []
        return [html.paragraph(plan_sentences(self.plan, lang)[0],
                              strong=Translator(lang)("Budget proposal."))]

    # ------------------------------------------------------------------ sections
    def show(self, key: str, lang: str = "en") -> list:
        """As :meth:`Report.show`; unit economics without spend still shows LTV by channel."""
        out = super().show(key, lang)
        if key == "economics" and not self.runs(key) and self.economics is not None:
            ue = self.economics
            out.append(html.table(ue.ltv_frame(), ue.ltv_formats(), lang=lang, caption=Translator(
                lang)("Revenue per user and LTV by channel, {window} (no CAC, ROAS or payback "
                      "without spend)", window=self.window.label())))
        return out

    def show_economics(self, lang: str = "en") -> list:
        ue = self.economics
        tr = Translator(lang)
        return [html.table(ue.display_frame(lang), ue.display_formats(), lang=lang,
                           caption=tr("Unit economics by channel, {window}",
                                      window=self.window.label())),
                ue.plot_roas(lang=lang), ue.plot_payback(lang=lang)]

    def show_attribution(self, lang: str = "en") -> list:
        a = self.attribution
        out = [a.plot(lang=lang)]
        if a.markov is not None:
            out.append(a.markov.plot(lang=lang))
        out.append(html.table(a.journeys.paths_frame(top=10, lang=lang), PATH_FORMATS, lang=lang,
                              caption=Translator(lang)("Most common paths")))
        return out

    def mmm_display(self) -> pd.DataFrame:
        t = self.mmm_table.copy()
        def interval(lo, hi):
            return [f"{fmt.pct(x)} – {fmt.pct(y)}" for x, y in zip(t[lo], t[hi])]
        t["roas_interval"] = interval("roas_low", "roas_high")
        t["marginal_roas_interval"] = interval("marginal_roas_low", "marginal_roas_high")
        cols = ["channel", "spend", "contribution", "revenue_contribution", "roas",
                "roas_interval", "marginal_roas", "marginal_roas_interval", "decay"]
        if getattr(self, "mmm_target", "signups") == "revenue":   # contribution is revenue
            cols.remove("contribution")
        return t[cols]

    def control_sentence(self, lang: str = "en") -> str | None:
        """One sentence: which channel's ROAS the controls changed most, and by how much."""
        e = self.control_effect()
        if e is None or e.empty:
            return None
        tr = Translator(lang)
        names = tr.sep().join(self.controls_used)
        size = e["change_rel"].abs().fillna(e["change"].abs())
        if not size.notna().any():  # no ROAS could be valued (no revenue per user, say)
            return None
        r = e.loc[size.idxmax()]
        if not abs(r["change"]) > 0.005 * max(abs(r["roas_without"]), 1e-12):
            return tr("Controlling for {names} changed no channel's ROAS by more than 0.5 %.",
                      names=names)
        return tr("Controlling for {names} changed {channel}'s ROAS most: {before} without the "
                  "controls, {after} with them ({change}, {rel}).", names=names,
                  channel=Verbatim(r["channel"]), before=fmt.pct(r["roas_without"]),
                  after=fmt.pct(r["roas_with"]), change=CONTROL_FORMATS["change"](r["change"]),
                  rel=CONTROL_FORMATS["change_rel"](r["change_rel"]))

    def control_table(self, lang: str = "en"):
        tr = Translator(lang)
        e = self.control_effect()
        names = {c: tr(CONTROL_HEADERS.get(c, c)) for c in e.columns}
        return html.table(e.rename(columns=names),
                          {names[c]: f for c, f in CONTROL_FORMATS.items()}, lang=lang,
                          humanize=False, caption=tr(
                              "Mix-model ROAS per channel without and with the controls "
                              "({names})", names=tr.sep().join(self.controls_used)))

    def show_mmm(self, lang: str = "en") -> list:
        tr = Translator(lang)
        m = self.mmm
        if getattr(self, "mmm_target", "signups") == "revenue":
            out = [m.plot_decomposition(target_label="revenue per day" if m.frequency == "D"
                                        else "revenue per week", lang=lang),
                   m.plot_response_curves(target_label="revenue", lang=lang),
                   html.table(self.mmm_display(), MMM_FORMATS, lang=lang, caption=tr(
                       "Mix model by channel (contribution in revenue; ROAS = modelled revenue / "
                       "spend)"))]
        else:
            out = [m.plot_decomposition(target_label="new users from paid channels", lang=lang),
                   m.plot_response_curves(target_label="new users", lang=lang),
                   html.table(self.mmm_display(), MMM_FORMATS, lang=lang, caption=tr(
                       "Mix model by channel (contribution in new users; ROAS valued at D{k} "
                       "revenue per user)", k=self.roas_horizon_days))]
        if getattr(self, "mmm_plain", None) is not None:
            sentence = self.control_sentence(lang)
            if sentence:
                out.append(html.paragraph(sentence, strong=tr("Controls.")))
            out.append(self.control_table(lang))
        return out

    def comparison_table(self, lang: str = "en"):
        tr = Translator(lang)
        c = self.comparison()
        k = self.roas_horizon_days
        names = {x: tr(x) for x in c.columns}
        names[f"acquisition channel (D{k} revenue)"] = tr("acquisition channel (D{k} revenue)", k=k)
        c = c.rename(columns=names)
        cols = [x for x in c.columns if x != names["channel"]]
        caption = ("Share of credit among the paid channels, by method (spread = highest minus "
                   "lowest share)" if self.runs("economics") else
                   "Share of credit among the acquisition channels, by method (spread = highest "
                   "minus lowest share)")
        return html.table(c, {x: "pct" for x in cols}, caption=tr(caption), lang=lang,
                          humanize=False, shade={names["spread"]: "Reds"})

    def show_comparison(self, lang: str = "en") -> list:
        return [self.comparison_table(lang)]

    def show_budget(self, lang: str = "en") -> list:
        p = self.plan
        cols = ["channel", "current_spend", "proposed_spend", "change_pct", "current_response",
                "proposed_response"]
        tr = Translator(lang)
        resp = response_text(p.response_label, lang)
        names = {c: (tr(PLAN_HEADERS[c], response=resp) if c in PLAN_HEADERS
                     else fmt.header(c, lang)) for c in cols}
        return [p.plot(lang=lang), html.bullets(plan_sentences(p, lang)),
                html.table(p.to_frame()[cols].rename(columns=names),
                           {names[c]: k for c, k in PLAN_FORMATS.items()}, lang=lang,
                           humanize=False, caption=tr(
                               "Proposed spend and modelled revenue per channel"
                               if getattr(self, "mmm_target", "signups") == "revenue" else
                               "Proposed spend and modelled D{k} revenue per channel",
                               k=self.roas_horizon_days))]

