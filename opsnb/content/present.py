"""What the content performance report shows: headline tiles, charts, tables and the lists.

Everything is made from the ``lang`` it is passed; the numbers come from
:mod:`opsnb.content.report` and its parts. Tables, lists and paragraphs go through
:mod:`opsnb.report.html`, so titles, creators, categories and every other string from the data
are escaped; charts draw them as plain text (mathtext is off in the report style).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from opsnb.content.items import LEVEL, RANK_RATE
from opsnb.content.lifecycle import EVERGREEN_SHARE, FLASH_SHARE, MIN_AGE_DAYS, MIN_VIEWS
from opsnb.report import fmt, html, style
from opsnb.report.i18n import Translator, Verbatim

RATE_LABELS = {"view_rate": "view rate", "completion_rate": "completion rate",
               "engagement_rate": "engagement rate", "share_rate": "share rate",
               "follow_rate": "follow rate"}
CAVEAT = ("Rates are per impression or per view, never raw counts: the feed shows items "
          "unequally, so an item shown more often collects more likes without being better. "
          "The model is observational: it describes which items engaged, not what changing an "
          "item would do.")


def _date(x) -> str:
    return "–" if x is None or pd.isna(x) else f"{pd.Timestamp(x):%Y-%m-%d}"


def _label(title, cid) -> str:
    t = "" if title is None or (isinstance(title, float) and np.isnan(title)) else str(title)
    t = t.strip() or str(cid)
    return t if len(t) <= 28 else t[:27] + "…"


def _log_axis(ax, axis: str = "y") -> None:
    """Plain tick labels on a log axis (mathtext is off in the report style)."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    a = ax.yaxis if axis == "y" else ax.xaxis
    a.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    a.set_minor_formatter(NullFormatter())


TERM_LABELS = {"log_length": "length (log)", "hour": "publishing hour (UTC)",
               "weekday": "weekday", "format": "format", "category": "category"}


def _interval(lo, hi) -> str:
    return f"{fmt.pct(lo)} – {fmt.pct(hi)}"


# ---------------------------------------------------------------------- headline
def headline_items(r, lang: str = "en") -> list[tuple[str, str, str]]:
    tr = Translator(lang)
    h = r.headline()
    items = [
        (tr("Items live"), fmt.count(h.get("items_live")),
         tr("{n} published in the window", n=fmt.count(h.get("items_published")))),
        (tr("Views"), fmt.count(h.get("views")),
         tr("view rate {x} of {n} impressions", x=fmt.pct(h.get("view_rate")),
            n=fmt.count(h.get("impressions")))),
        (tr("Engagement per view"), fmt.pct(h.get("engagement_rate")),
         tr("likes, comments and shares per view; shares {x}", x=fmt.pct(h.get("share_rate")))),
    ]
    top = r.top_item()
    if top is not None:
        items.append((tr("Top item"), _label(top["title"], top["content_id"]),
                      tr("engagement {x} ({low} – {high}), {views} views",
                         x=fmt.pct(top[f"{RANK_RATE}_shrunk"]),
                         low=fmt.pct(top[f"{RANK_RATE}_low"]),
                         high=fmt.pct(top[f"{RANK_RATE}_high"]),
                         views=fmt.count(top["views"]))))
    if h.get("top_gap_category") is not None:
        g = r.supply.iloc[0]
        items.append((tr("Most under-served"), str(g["category"]),
                      tr("{demand} of views from {supply} of items",
                         demand=fmt.pct(g["demand"]), supply=fmt.pct(g["supply"]))))
    if r.creator is not None:
        items.append((tr("Creators"), fmt.count(r.creator.n_creators),
                      tr("top 10 % earn {x} of views; Gini {g}",
                         x=fmt.pct(r.creator.top10_share), g=fmt.number(r.creator.gini))))
    if r.retention is not None:
        t = r.retention.table
        items.append((tr("Week-4 retention"), f"{fmt.pct(t['rate'].iloc[0])} / "
                      f"{fmt.pct(t['rate'].iloc[1])}",
                      tr("first-week content viewers / others (observational)")))
    return items


def headline_blocks(r, lang: str = "en") -> list:
    if r.items is None or not r.read:
        return []
    tr = Translator(lang)
    under = r.read["under_served"]
    if len(under):
        g = under.iloc[0]
        return [html.paragraph(tr("{category} earns {demand} of the views with {supply} of the "
                                  "items published: publish more of it.",
                                  category=Verbatim(str(g["category"])),
                                  demand=fmt.pct(g["demand"]), supply=fmt.pct(g["supply"])),
                               strong=tr("Read first:"))]
    return []


# ---------------------------------------------------------------------- items
ITEM_COLUMNS = ["rank", "title", "creator_id", "category", "format", "views",
                "engagement_rate", "engagement_rate_shrunk", "interval", "wilson_low",
                "view_rate_shrunk", "completion_rate_shrunk"]
ITEM_FORMATS = {"views": "count", "engagement_rate": "pct", "engagement_rate_shrunk": "pct",
                "wilson_low": "pct", "view_rate_shrunk": "pct", "completion_rate_shrunk": "pct",
                "rank": "count"}


def show_items(r, lang: str = "en") -> list:
    tr = Translator(lang)
    t = r.items
    ranked = t[t["rank"].notna()].sort_values("rank").head(r.top_n).copy()
    ranked["interval"] = [_interval(a, b) for a, b in zip(ranked[f"{RANK_RATE}_low"],
                                                          ranked[f"{RANK_RATE}_high"])]
    ranked["wilson_low"] = ranked[f"{RANK_RATE}_wilson_low"]
    fig, ax = style.new_figure(height=4.6)
    seen = t[t["views"] > 0]
    ax.scatter(seen["engagement_rate"], seen["engagement_rate_shrunk"],
               s=8 + 60 * np.sqrt(seen["views"] / max(seen["views"].max(), 1)),
               alpha=0.45, color="#4C72B0", lw=0)
    top = float(np.nanmax([seen["engagement_rate"].max(), seen["engagement_rate_shrunk"].max(),
                           0.01]))
    ax.plot([0, top], [0, top], color="#999999", lw=1, ls="--")
    style.percent_axis(ax, "x")
    style.percent_axis(ax, "y")
    ax.set_xlabel(tr("raw engagement rate"))
    ax.set_ylabel(tr("shrunk engagement rate"))
    style.titled(ax, tr("Raw against shrunk engagement rate per item"),
                 tr("Each dot is an item (size: views); engagement = (likes + comments + shares) "
                    "/ views. Shrunk: the posterior mean under a beta prior fitted per {prior}; "
                    "items with few views move towards it.", prior=tr(r.prior)))
    rows = [r.min_impressions, int(t["rank"].notna().sum()), int(len(t))]
    out = [fig,
           html.paragraph(tr("Ranked by the lower end of the {level} posterior interval of the "
                             "engagement rate, among items with at least {n} impressions "
                             "({ranked} of {items} items); the Wilson lower bound is the "
                             "alternative without a prior.", level=fmt.pct(LEVEL, 0), n=rows[0],
                             ranked=fmt.count(rows[1]), items=fmt.count(rows[2]))),
           html.paragraph(tr("A view can bring several engagements, so a raw engagement rate "
                             "can pass 100 %; the shrunk rate and its interval count at most one "
                             "per view."), small=True)]
    if len(ranked):
        out.append(html.table(ranked[ITEM_COLUMNS], ITEM_FORMATS, lang=lang,
                              caption=tr("Top {n} items", n=len(ranked))))
    pri = r.priors.get(RANK_RATE)
    if pri is not None and len(pri):
        p = pri.assign(prior_strength=pri["a"] + pri["b"])[["group", "items", "prior_mean",
                                                             "prior_strength"]]
        out.append(html.table(p, {"items": "count", "prior_mean": "pct",
                                  "prior_strength": "number"}, lang=lang,
                              caption=tr("Engagement-rate priors (a + b: the views the prior "
                                         "weighs as)")))
    return out


# ---------------------------------------------------------------------- trending
def show_trending(r, lang: str = "en") -> list:
    tr = Translator(lang)
    t = r.trending().head(r.top_n)
    fig, ax = style.new_figure(height=max(3.0, 0.28 * len(t) + 1.6))
    labels = [_label(a, b) for a, b in zip(t["title"], t["content_id"])]
    ax.barh(range(len(t)), t["decay_score"], color="#DD8452")
    ax.set_yticks(range(len(t)), labels)
    ax.invert_yaxis()
    ax.set_xlabel(tr("decayed views"))
    style.titled(ax, tr("Trending: time-decayed views at the window's end"),
                 tr("Each view counts 0.5 ^ (hours before the window's end / {h}): a view "
                    "{h} hours old counts half.", h=fmt.number(r.half_life_hours, 0)))
    out = [fig]
    rising = r.read["rising"]
    if len(rising):
        show = rising[["title", "creator_id", "format", "published_at", "recent_views",
                       "expected_recent", "momentum"]]
        out.append(html.table(show, {"recent_views": "count", "expected_recent": "number",
                                     "momentum": "number"}, lang=lang,
                              caption=tr("Rising: views in the last {h} hours at least {x} "
                                         "times what the item's format curve expects for its "
                                         "age", h=fmt.number(r.half_life_hours, 0), x="2")))
    else:
        out.append(html.note(tr("No item grew faster than its format's curve in the last {h} "
                                "hours.", h=fmt.number(r.half_life_hours, 0))))
    return out


# ---------------------------------------------------------------------- lifecycle
def show_lifecycle(r, lang: str = "en") -> list:
    tr = Translator(lang)
    lc = r.life
    fig, ax = style.new_figure(height=4.2)
    colors = style.colors_for(sorted(lc.curve["format"].unique()))
    for f, part in lc.curve.groupby("format"):
        part = part[part["views_per_item_day"] > 0]
        ax.plot(part["day"], part["views_per_item_day"], label=str(f), color=colors[f], lw=1.8)
    ax.set_yscale("log")
    _log_axis(ax, "y")
    ax.set_xlabel(tr("days since publishing"))
    ax.set_ylabel(tr("views per item per day"))
    ax.legend(fontsize=8)
    style.titled(ax, tr("Views by age since publishing, per format"),
                 tr("Views at each day of age divided by the items of that format observed at "
                    "that age inside the window (log scale); a straight line is an exponential "
                    "decay."))
    hl = lc.half_lives.copy()
    hl["interval"] = [("–" if pd.isna(a) or pd.isna(b) else
                       f"{fmt.number(a, 1)} – {fmt.number(b, 1)}")
                      for a, b in zip(hl["low"], hl["high"])]
    hl["dimension"] = [tr(d) for d in hl["dimension"]]
    cols = ["dimension", "group", "half_life_hours", "interval", "items", "views"]
    kinds = lc.kinds
    return [fig,
            html.table(hl[cols], {"half_life_hours": lambda v: fmt.number(v, 1),
                                  "items": "count", "views": "count"}, lang=lang,
                       caption=tr("Half-life of attention (hours; 95 % interval), fitted "
                                  "exponential")),
            html.table(kinds, {c: "count" for c in kinds.columns if c != "format"}, lang=lang,
                       caption=tr("Flash items ({flash} or more of their views in their first "
                                  "day) and evergreen items ({ever} or more after their first "
                                  "week), among items {days} or more days old with {n} or more "
                                  "views", flash=fmt.pct(FLASH_SHARE, 0),
                                  ever=fmt.pct(EVERGREEN_SHARE, 0), days=MIN_AGE_DAYS,
                                  n=MIN_VIEWS))]


# ---------------------------------------------------------------------- creators
BOARD_FORMATS = {"items": "count", "reach": "count", "views": "count",
                 "engagement_rate_shrunk": "pct", "consistency": "pct"}


def show_creators(r, lang: str = "en") -> list:
    tr = Translator(lang)
    c = r.creator
    fig, ax = style.new_figure(height=4.0)
    v = np.sort(c.board["views"].to_numpy(float))
    if v.sum() > 0:
        x = np.r_[0, np.arange(1, len(v) + 1) / len(v)]
        y = np.r_[0, np.cumsum(v) / v.sum()]
        ax.plot(x, y, color="#4C72B0", lw=2, label=tr("views"))
    ax.plot([0, 1], [0, 1], color="#999999", ls="--", lw=1, label=tr("equal"))
    style.percent_axis(ax, "x")
    style.percent_axis(ax, "y")
    ax.set_xlabel(tr("creators, fewest views first"))
    ax.set_ylabel(tr("share of views"))
    ax.legend(fontsize=8)
    style.titled(ax, tr("Concentration of views across creators (Lorenz curve)"),
                 tr("Top 10 % of creators earn {x} of views; Gini {g} (0: equal, 1: one "
                    "creator earns all).", x=fmt.pct(c.top10_share), g=fmt.number(c.gini)))
    board = c.board.head(r.top_n)[["creator_id", "items", "reach", "views",
                                   "engagement_rate_shrunk", "consistency"]]
    out = [fig, html.table(board, BOARD_FORMATS, lang=lang,
                           caption=tr("Creator leaderboard by reach (consistency: share of "
                                      "the window's weeks with an item)"))]
    out.append(html.paragraph(tr("{n} new creators published their first item in the window. "
                                 "Of the creators whose fourth week after their first item is "
                                 "in the data, {x} published in it ({m} creators).",
                                 n=fmt.count(len(c.new)), x=fmt.pct(c.retention_4),
                                 m=fmt.count(c.retention_4_n))))
    if len(c.new):
        new = c.new.sort_values(["reach", "creator_id"], ascending=[False, True]).head(r.top_n)
        new = new.assign(first_item=[_date(d) for d in new["first_item"]])
        out.append(html.table(new[["creator_id", "first_item", "items", "reach", "views",
                                   "engagement_rate_shrunk"]], BOARD_FORMATS, lang=lang,
                              caption=tr("New creators (first item in the window), by reach")))
    ret = c.retention.copy()
    if len(ret):
        ret["cohort_week"] = [_date(d) for d in ret["cohort_week"]]
        out.append(html.table(ret, {k: "pct" for k in ret.columns if k.startswith("week_")} |
                              {"creators": "count"}, lang=lang,
                              caption=tr("Creator retention: share of each first-item week's "
                                         "creators publishing N weeks later")))
    return out


# ---------------------------------------------------------------------- supply
SUPPLY_FORMATS = {"items": "count", "views": "count", "supply": "pct", "demand": "pct",
                  "time_share": "pct", "gap": lambda v: fmt.pp(v), "ratio": "number",
                  "dwell_hours": "number"}


def show_supply(r, lang: str = "en") -> list:
    tr = Translator(lang)
    t = r.supply
    fig, ax = style.new_figure(height=4.2)
    x = np.arange(len(t))
    ax.bar(x - 0.2, t["supply"], 0.4, label=tr("share of items published"), color="#8C8C8C")
    ax.bar(x + 0.2, t["demand"], 0.4, label=tr("share of views"), color="#55A868")
    ax.set_xticks(x, [str(c) for c in t["category"]], rotation=30, ha="right")
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    style.percent_axis(ax)
    ax.legend(fontsize=8)
    style.titled(ax, tr("Supply against demand per category"),
                 tr("Supply: share of the items published in the window; demand: share of the "
                    "window's views (of all items). Sorted by the gap, demand - supply."))
    cols = [c for c in ("category", "items", "views", "supply", "demand", "time_share", "gap",
                        "ratio") if c in t]
    fcols = [c if c != "category" else "format" for c in cols]
    under = t[t["under_served"]]
    out = [fig, html.table(t[cols], SUPPLY_FORMATS, lang=lang,
                           caption=tr("Gaps by category (gap in points)")),
           html.table(r.supply_format[fcols], SUPPLY_FORMATS, lang=lang,
                      caption=tr("Gaps by format (gap in points)"))]
    if len(under):
        out.insert(1, html.paragraph(tr("Users want more than is published of: {cats}.",
                                        cats=", ".join(str(c) for c in under["category"]))))
    return out


# ---------------------------------------------------------------------- what works
def show_what_works(r, lang: str = "en") -> list:
    tr = Translator(lang)
    m = r.model
    e = m.effects.copy()
    e["label"] = [f"{tr(TERM_LABELS.get(a, a))}: {b}" if b else tr(TERM_LABELS.get(a, a))
                  for a, b in zip(e["term"], e["level"])]
    fig, ax = style.new_figure(height=max(3.0, 0.24 * len(e) + 1.6))
    y = np.arange(len(e))
    ax.errorbar(e["odds_multiplier"], y, xerr=[e["odds_multiplier"] - e["low"],
                                               e["high"] - e["odds_multiplier"]],
                fmt="o", color="#4C72B0", ms=4, capsize=2)
    ax.axvline(1.0, color="#999999", lw=1, ls="--")
    ax.set_yticks(y, list(e["label"]))
    ax.invert_yaxis()
    ax.set_xscale("log")
    lo, hi = float(e["low"].min()), float(e["high"].max())
    ticks = [t for t in (0.25, 0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0) if lo <= t <= hi]
    ax.set_xticks(sorted(set(ticks) | {1.0}))
    _log_axis(ax, "x")
    ax.set_xlabel(tr("odds multiplier of engagement per impression"))
    style.titled(ax, tr("What goes with engagement per impression"),
                 tr("exp(coefficient) with 95 % intervals, against the first level of each "
                    "term; {method}; {n} items with {k} or more impressions.",
                    method=tr("creators as a random intercept" if m.method == "mixed"
                              else "no creator term (too few creators)"),
                    n=fmt.count(m.n_items), k=r.min_impressions))
    out = [fig, html.paragraph(tr(CAVEAT), strong=tr("Caveat:"))]
    if m.creator_sd is not None:
        out.append(html.paragraph(tr("Creator effect: creators differ by a standard deviation of "
                                     "{sd} in log-odds ({share} of the variation between items "
                                     "is the creator's), across {n} creators.",
                                     sd=fmt.number(m.creator_sd), share=fmt.pct(m.creator_share),
                                     n=fmt.count(m.n_creators))))
    tab = e[["label", "odds_multiplier", "low", "high", "p_value"]]
    out.append(html.table(tab, {"odds_multiplier": "number", "low": "number", "high": "number",
                                "p_value": fmt.p_value},
                          lang=lang, caption=tr("Model terms")))
    return out


# ---------------------------------------------------------------------- audience
def show_audience(r, lang: str = "en") -> list:
    tr = Translator(lang)
    out = []
    nv = r.new_viewers
    if nv is not None and len(nv):
        fig, ax = style.new_figure(height=3.8)
        ax.bar(nv["week_start"], nv["new_viewers"], width=5, label=tr("new viewers"),
               color="#55A868")
        ax.bar(nv["week_start"], nv["returning_viewers"], width=5, bottom=nv["new_viewers"],
               label=tr("returning viewers"), color="#4C72B0")
        style.date_axis(ax)
        style.thousands_axis(ax)
        ax.legend(fontsize=8)
        style.titled(ax, tr("New and returning content viewers per week"),
                     tr("New: the user's first content view ever falls in that week; the last "
                        "week may be partial."))
        out.append(fig)
    for col, t in r.audience.items():
        wide = t.pivot_table(index="category", columns="value", values="share",
                             fill_value=0.0).reset_index()
        wide.columns = [str(c) for c in wide.columns]
        out.append(html.table(wide, {c: "pct" for c in wide.columns if c != "category"},
                              lang=lang, humanize=False,
                              caption=tr("Viewers of each category by {column} (share of the "
                                         "category's viewers)", column=tr(col))))
    if r.retention is not None:
        rt = r.retention
        t = rt.table.copy()
        t["group"] = [tr(g) for g in t["group"]]
        out.append(html.paragraph(tr(
            "Observational, not causal: of the users who signed up between {lo} and {hi}, those "
            "who viewed content in their first week were active in week 4 (days 21-27) {a} of "
            "the time, the others {b}. Users who view content differ in other ways too, so the "
            "gap of {d} is an association, not the effect of content.",
            lo=_date(rt.cohort_from), hi=_date(rt.cohort_to - pd.Timedelta(days=1)),
            a=fmt.pct(t["rate"].iloc[0]), b=fmt.pct(t["rate"].iloc[1]),
            d=fmt.pp(rt.difference)), strong=tr("Week-4 retention.")))
        out.append(html.table(t, {"users": "count", "retained": "count", "rate": "pct",
                                  "low": "pct", "high": "pct"}, lang=lang,
                              caption=tr("Week-4 retention by first-week content viewing "
                                         "(95 % Wilson intervals; observational)")))
    elif r.retention_note is not None:
        out.append(html.note(r.retention_note.render(lang)))
    return out


# ---------------------------------------------------------------------- read first
def show_read_first(r, lang: str = "en") -> list:
    tr = Translator(lang)
    end = _date(pd.Timestamp(r.window.end_exclusive) - pd.Timedelta(days=1))
    lines = []
    for _, x in r.read["new_top"].iterrows():
        lines.append(tr("{date}: new top item {title} by {creator} (#{rank}, published {pub}; "
                        "engagement {x}).", date=_date(x["published_at"]),
                        title=Verbatim(_label(x["title"], x["content_id"])),
                        creator=Verbatim(str(x["creator_id"])), rank=int(x["rank"]),
                        pub=_date(x["published_at"]), x=fmt.pct(x[f"{RANK_RATE}_shrunk"])))
    for _, x in r.read["falling"].head(10).iterrows():
        lines.append(tr("{date}: {title} is falling off: {recent} views in the last {h} hours "
                        "against {expected} expected for its age.", date=end,
                        title=Verbatim(_label(x["title"], x["content_id"])),
                        recent=fmt.count(x["recent_views"]), h=fmt.number(r.half_life_hours, 0),
                        expected=fmt.number(x["expected_recent"], 0)))
    for _, g in r.read["under_served"].iterrows():
        lines.append(tr("{date}: {category} is under-served: {demand} of views from {supply} of "
                        "the items published.", date=end, category=Verbatim(str(g["category"])),
                        demand=fmt.pct(g["demand"]), supply=fmt.pct(g["supply"])))
    if not lines:
        return [html.note(tr("Nothing to read first: no new top item, no item falling off its "
                             "curve and no under-served category in this window."))]
    return [html.bullets(lines)]


# ---------------------------------------------------------------------- export
def export(r, path: str) -> None:
    """Write the item scores (every item; rank 1 = best) as CSV for the editorial team."""
    from pathlib import Path

    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    r.export_frame().to_csv(p, index=False)
