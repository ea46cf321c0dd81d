"""Number formatting for reports: percentages, money, counts."""

from __future__ import annotations

import math

import pandas as pd

CURRENCY = "¥"


def missing(x) -> bool:
    """None, NaN, NaT or NA."""
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return isinstance(x, float) and math.isnan(x)
    except TypeError:
        return False



def pct(x, digits: int = 1, signed: bool = False) -> str:
    """0.1234 -> '12.3%'."""
    if missing(x):
        return "–"
    return f"{x * 100:{'+' if signed else ''}.{digits}f}%"


def pp(x, digits: int = 1) -> str:
    """A difference of two rates in percentage points: 0.012 -> '+1.2 pp'."""
    if missing(x):
        return "–"
    return f"{x * 100:+.{digits}f} pp"


def money(x, digits: int = 0, currency: str = CURRENCY) -> str:
    """1234.5 -> '¥1,235'."""
    if missing(x):
        return "–"
    sign = "-" if x < 0 else ""
    return f"{sign}{currency}{abs(x):,.{digits}f}"


def count(x) -> str:
    """1234567 -> '1,234,567'."""
    if missing(x):
        return "–"
    return f"{int(round(x)):,}"


def p_value(p) -> str:
    """A p-value for tables and text: '<0.001', '0.028', '0.27', '1.00'; '–' when missing.

    Three decimals below 0.1, two above; never '0.00' or a bare '1'.
    """
    if missing(p):
        return "–"
    p = float(p)
    if p < 0.001:
        return "<0.001"
    if p < 0.0995:
        return f"{p:.3f}"
    return f"{min(p, 1.0):.2f}"


def probability(x, digits: int = 1) -> str:
    """A probability as a percentage whose rounding never shows 100% or 0% for a non-certain
    value: 0.99996 -> '>99.9%', 0.00004 -> '<0.1%'."""
    if missing(x):
        return "–"
    x = float(x)
    step = 10.0 ** -(digits + 2)          # digits=1: 0.001 (= 0.1 %)
    if 1 - step / 2 <= x < 1:
        return f">{(1 - step) * 100:.{digits}f}%"
    if 0 < x < step / 2:
        return f"<{step * 100:.{digits}f}%"
    return f"{x * 100:.{digits}f}%"


def yes_no(flag, lang: str = "en") -> str:
    """True/False as 'yes'/'no' in ``lang``."""
    from opsnb.report.i18n import translate
    return translate("yes" if flag else "no", lang)


def number(x, digits: int = 2) -> str:
    if missing(x):
        return "–"
    return f"{x:,.{digits}f}"


def money_cents(x) -> str:
    """1.234 -> '¥1.23': unit prices such as CPC, where whole yuan would hide the difference."""
    return money(x, 2)


FORMATTERS = {"pct": pct, "money": money, "money_cents": money_cents, "count": count,
              "number": number, "pp": pp}


ACRONYMS = {"arpu": "ARPU", "arppu": "ARPPU", "dau": "DAU", "wau": "WAU", "mau": "MAU",
            "cac": "CAC", "roas": "ROAS", "ltv": "LTV", "ctr": "CTR", "cpc": "CPC", "srm": "SRM",
            "aov": "AOV", "mde": "MDE", "ci": "CI"}


def header(name: str, lang: str = "en") -> str:
    """'paying_conversion' -> 'paying conversion', 'arpu' -> 'ARPU' (in ``lang``)."""
    from opsnb.report.i18n import translate

    return translate(" ".join(ACRONYMS.get(w.lower(), w) for w in str(name).split("_")), lang)


def table(df: pd.DataFrame, formats: dict[str, str] | None = None, caption: str | None = None,
          humanize: bool = True, lang: str = "en", **kwargs):
    """A report table (escaped HTML): see :func:`opsnb.report.html.table`."""
    from opsnb.report import html

    return html.table(df, formats, caption, lang=lang, humanize=humanize, **kwargs)
