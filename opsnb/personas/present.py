"""Words of the persona report: feature labels, persona names and descriptions, how k was chosen.

The computation modules keep codes (feature names such as ``mix_view_item``, persona ids
``P1``..``Pk``, the k rule ``stability``); everything here turns them into text in the
``lang`` it is passed (``en`` or ``zh``). Nothing here reads a global language setting.

>>> feature_label("mix_view_item", "en"), feature_label("mix_view_item", "zh")
('share of view_item events', '浏览商品事件占比')
>>> feature_label("hour_22_02", "en"), feature_label("events", "zh")
('share of events 22:00-02:00 local', '事件数')
>>> import pandas as pd
>>> z = pd.Series({"hour_22_02": 1.5, "events_per_active_day": 0.9, "mix_like": 1.2})
>>> generate_name(z, "en"), generate_name(z, "zh")
('Night-owl heavy content fans', '深夜重度内容粉丝')
"""

from __future__ import annotations

import pandas as pd

from opsnb.report import fmt
from opsnb.report.i18n import Translator, translate

# feature -> (word when high, word when low); modifiers go before the noun
MODIFIERS = {
    "hour_22_02": ("Night-owl", None), "hour_02_06": ("Small-hours", None),
    "hour_06_10": ("Morning", None), "hour_10_14": ("Midday", None),
    "hour_14_18": ("Afternoon", None), "hour_18_22": ("Evening", None),
    "active_days": ("Loyal", "Occasional"), "events_per_active_day": ("Heavy", "Light"),
    "sessions_per_active_day": ("Frequent", None), "days_since_last": ("Lapsed", "Recent"),
    "tenure_days": ("Long-standing", "New"), "events": ("Heavy", "Light"),
    "sessions": ("Regular", "Rare"),
}
# nouns for the sample's event names; other event names fall back to "users"
NOUNS = {
    "mix_view_item": "item browsers", "mix_search": "searchers",
    "mix_claim_coupon": "coupon hunters", "mix_view_content": "content viewers",
    "mix_like": "content fans", "mix_share": "sharers", "mix_add_to_cart": "cart fillers",
    "mix_purchase": "buyers", "orders": "repeat buyers", "avg_order_value": "big-basket buyers",
    "revenue": "top spenders", "content_items": "content explorers",
    "content_breadth": "content explorers",
}
LABELS = {
    "active_days": "active days", "sessions": "sessions", "events": "events",
    "events_per_active_day": "events per active day",
    "sessions_per_active_day": "sessions per active day",
    "days_since_last": "days since last visit", "content_items": "distinct content items",
    "content_breadth": "distinct items per content event", "orders": "orders",
    "revenue": "revenue", "avg_order_value": "average order value", "tenure_days": "tenure (days)",
}
RULE_TEXT = {
    "stability": "the largest k whose partition is reproduced by refits on bootstrap samples "
                 "(mean adjusted Rand index against the full-data fit of at least {threshold}, "
                 "the minimum stability; the most stable k when none reaches it)",
    "silhouette": "the highest silhouette",
    "calinski_harabasz": "the highest Calinski-Harabasz index",
    "davies_bouldin": "the lowest Davies-Bouldin index",
    "bic": "the lowest BIC of the Gaussian mixture",
}


def event_label(name: str, lang: str = "en") -> str:
    """An event name as the report shows it (``view_item`` -> 浏览商品 in Chinese)."""
    from opsnb.personas.zh import EVENTS
    return EVENTS.get(name, name) if lang == "zh" else name


def feature_label(name: str, lang: str = "en") -> str:
    """A feature's name in ``lang``."""
    if name.startswith("mix_"):
        return translate("share of {event} events", lang, event=event_label(name[4:], lang))
    if name.startswith("hour_"):
        a, b = name[5:].split("_")
        return translate("share of events {a}:00-{b}:00 local", lang, a=a, b=b)
    label = LABELS.get(name, name.replace("_", " "))
    if lang == "zh":
        from opsnb.personas.zh import FEATURE_WORDS
        label = FEATURE_WORDS.get(label, label)
    return translate(label, lang)


def attribute_label(column: str, lang: str = "en") -> str:
    """A profile attribute (a users column) as the report shows it: ``age_band`` -> "age band"."""
    return translate(column.replace("_", " "), lang)


def format_value(name: str, v: float) -> str:
    """A feature value as the descriptions show it (shares in %, money in yuan)."""
    if name.startswith(("mix_", "hour_")) or name == "content_breadth":
        return fmt.pct(v)
    if name in ("revenue", "avg_order_value"):
        return fmt.money(v)
    return fmt.number(v, 1)


def generate_name(z: pd.Series, lang: str = "en", threshold: float = 0.4) -> str:
    """A short name from standardised means: up to two modifiers and a noun."""
    order = z.abs().sort_values(ascending=False).index
    noun = None
    for f in order:
        if f in NOUNS and z[f] > threshold:
            noun = NOUNS[f]
            break
    mods = []
    for f in order:
        if f not in MODIFIERS or abs(z[f]) < threshold:
            continue
        word = MODIFIERS[f][0] if z[f] > 0 else MODIFIERS[f][1]
        if word and word not in mods:
            mods.append(word)
        if len(mods) == 2:
            break
    if lang == "zh":
        from opsnb.personas.zh import NAME_WORDS
        return "".join(NAME_WORDS.get(w, w) for w in mods + [noun or "users"])
    words = mods + [noun or "users"]
    text = " ".join(w if i == 0 else w.lower() for i, w in enumerate(words))
    return text[0].upper() + text[1:]


def describe(features: list[str], means: pd.Series, population: pd.Series, lang: str = "en") -> str:
    """One line quoting ``features``: the persona's mean against all users'."""
    sep = "；" if lang == "zh" else "; "
    desc = sep.join(translate("{feature} {value} (all users {all})", lang,
                              feature=feature_label(f, lang), value=format_value(f, means[f]),
                              all=format_value(f, population[f])) for f in features)
    return desc[0].upper() + desc[1:] if desc else ""


# --------------------------------------------------------------------------- choosing k
def rule_text(sel, lang: str = "en") -> str:
    """How ``sel`` (a KSelection) chose k, in words (the stability threshold filled in)."""
    return translate(RULE_TEXT[sel.rule], lang, threshold=f"{sel.min_stability:g}")


def k_reason(sel, lang: str = "en") -> str:
    """Why ``sel`` chose its k, and which criteria agree (one or two sentences)."""
    tr = Translator(lang)
    if sel.rule == "fixed":
        return tr("k = {k}: fixed by the parameter k.", k=sel.chosen_k)
    s = sel.scores.set_index("k")
    r = s.loc[sel.chosen_k]
    head = tr("k = {k}: {rule}", k=sel.chosen_k, rule=rule_text(sel, lang))
    if sel.rule == "stability" and r["stability"] < sel.min_stability:
        # no k reaches the threshold: the most stable k was chosen, and the text must not say
        # that its refits reproduce the partition
        head = tr("k = {k}: no k is reproduced by its bootstrap refits (mean ARI at least "
                  "{threshold}), so the most stable k is chosen (mean ARI {ari})", k=sel.chosen_k,
                  ari=f"{r['stability']:.3f}", threshold=f"{sel.min_stability:g}")
    elif sel.rule == "stability":
        head = tr("k = {k}: the largest k whose bootstrap refits reproduce the partition "
                  "(mean ARI {ari}, threshold {threshold})", k=sel.chosen_k,
                  ari=f"{r['stability']:.3f}", threshold=f"{sel.min_stability:g}")
    others = {c: k for c, k in sel.best_by().items() if c != sel.rule}
    agree = [c.replace("_", "-") for c, k in others.items() if k == sel.chosen_k]
    differ = [f"k = {k} ({c.replace('_', '-')})" for c, k in others.items() if k != sel.chosen_k]
    extra = ""
    if agree:
        extra += tr("; {names} alone would choose the same k", names=", ".join(agree))
    if differ:
        extra += tr("; on their own, the other criteria would choose {names}",
                    names=", ".join(differ))
    text = tr("{head}{extra}.", head=head, extra=extra)
    if sel.sampled:
        text += tr(" Scores from a random sample of {n} of the {total} users; the chosen k is then "
                   "fitted on all of them.", n=f"{sel.sample_size:,}", total=f"{sel.n_users:,}")
    return text


def rule_label(rule: str, lang: str = "en") -> str:
    """A k rule code as a short label: ``calinski_harabasz`` -> "calinski harabasz"."""
    return translate(rule.replace("_", " "), lang)
