"""One plotting style for every opsnb report.

* seaborn's white grid with a readable size, figures embedded as PNG;
* a Latin font first and a CJK font after it, so Chinese channel names render
  (matplotlib falls back glyph by glyph through ``font.sans-serif``); a warning
  is given once when no CJK font is installed;
* every chart carries a title and, under it, the definition of what it shows;
* incomplete periods are shaded and labelled.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
import warnings
from collections.abc import Iterable, Sequence

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib import font_manager

from opsnb.report.fmt import pp as format_pp

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC",
             "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", "SimHei")
LATIN_FONT = "DejaVu Sans"
PALETTE = ["#2F6DB5", "#E07B39", "#3A9E6F", "#C8414B", "#7F5FB0", "#8C6D46", "#D16BA5",
           "#6E7B8B", "#B5A02F", "#2FA5B5"]
OURS_COLOR = "#C8414B"
INCOMPLETE_COLOR = "#BBBBBB"

_warned = False


def find_cjk_font() -> str | None:
    """The name of an installed CJK font, or None. Rebuilds the font cache once if needed."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in names:
            return name
    # the font may have been installed after matplotlib built its cache
    font_manager.fontManager = font_manager.FontManager()
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


def use_report_style() -> str | None:
    """Apply the opsnb style; return the CJK font in use (None, with a warning, when missing).

    Text is never parsed as mathtext: a name from the data with dollar signs in it is shown as
    written (and cannot make a chart fail to draw).
    """
    global _warned
    sns.set_theme(style="whitegrid", context="notebook", palette=PALETTE)
    cjk = find_cjk_font()
    fonts = [LATIN_FONT] + ([cjk] if cjk else [])
    matplotlib.rcParams.update({
        "font.family": fonts + ["sans-serif"],
        "font.sans-serif": fonts + [f for f in matplotlib.rcParams["font.sans-serif"]
                                    if f not in fonts],
        "axes.unicode_minus": False,
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "figure.figsize": (9.0, 4.2),
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "legend.frameon": False,
        "figure.constrained_layout.use": True,
        "text.parse_math": False,
    })
    if cjk is None and not _warned:
        _warned = True
        warnings.warn("opsnb: no CJK font found; Chinese labels will not render. Install "
                      "fonts-noto-cjk (Debian/Ubuntu) or Noto Sans CJK.", stacklevel=2)
    return cjk


def colors_for(names: Iterable[str], highlight: str | None = None) -> dict[str, str]:
    """A stable colour per name (sorted order), the highlighted one in red."""
    names = sorted({str(n) for n in names})
    out = {}
    i = 0
    for n in names:
        if n == highlight:
            out[n] = OURS_COLOR
            continue
        c = PALETTE[i % len(PALETTE)]
        if c == OURS_COLOR:
            i += 1
            c = PALETTE[i % len(PALETTE)]
        out[n] = c
        i += 1
    return out


_TOKENS = re.compile(r"\s+|[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+")


def _width(token: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in token)


def wrap_text(text: str, width: int) -> list[str]:
    """Wrap to ``width`` columns; Chinese characters count two columns and may break anywhere,
    Latin words stay whole."""
    if all(unicodedata.east_asian_width(ch) not in "WF" for ch in text):
        return textwrap.wrap(text, width)
    lines, cur, n = [], "", 0
    for tok in _TOKENS.findall(text):
        w = _width(tok)
        if tok.isspace():
            if cur:
                cur, n = cur + " ", n + 1
            continue
        if n + w > width and cur.strip():
            lines.append(cur.rstrip())
            cur, n = "", 0
        cur, n = cur + tok, n + w
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def titled(ax, title: str, definition: str | None = None) -> None:
    """Title the chart and state its definition underneath in small grey text.

    Both come translated by the caller, which knows the report language.
    """
    if not definition:
        ax.set_title(title, loc="left", pad=8)
        return
    width_in = ax.figure.get_figwidth() * max(ax.get_position().width, 0.3)
    text = "\n".join(wrap_text(definition, max(int(width_in * 15), 30)))
    n_lines = text.count("\n") + 1
    ax.set_title(title, loc="left", pad=10 + 11 * n_lines)
    ax.annotate(text, xy=(0, 1), xycoords="axes fraction", xytext=(0, 5),
                textcoords="offset points", fontsize=8.5, color="#555555", ha="left", va="bottom")


def shade_incomplete(ax, start, end, label: str = "incomplete", lang: str = "en") -> None:
    """Shade an x range (dates) whose period has not fully elapsed; ``label`` is translated."""
    from opsnb.report.i18n import translate

    label = translate(label, lang)
    ax.axvspan(start, end, color=INCOMPLETE_COLOR, alpha=0.35, lw=0, zorder=0)
    ax.text(start, 1.0, " " + label, transform=ax.get_xaxis_transform(), fontsize=8,
            color="#666666", va="top", ha="left")


def percent_axis(ax, axis: str = "y", digits: int = 0) -> None:
    from matplotlib.ticker import PercentFormatter
    fmt = PercentFormatter(1.0, decimals=digits)
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def pp_axis(ax, axis: str = "y") -> None:
    """Differences of two rates in percentage points: 0.05 -> '+5 pp' (one decimal when needed)."""
    from matplotlib.ticker import FuncFormatter
    target = ax.yaxis if axis == "y" else ax.xaxis

    def label(v, _pos):
        locs = target.get_majorticklocs()
        step = min((b - a for a, b in zip(locs, locs[1:]) if b > a), default=0.01)
        digits = 0 if round(step * 100, 6) == round(step * 100) else 1
        return "0 pp" if abs(v) < step / 2 else format_pp(v, digits)
    target.set_major_formatter(FuncFormatter(label))


def money_tick(v: float, top: float, step: float | None = None, currency: str = "¥",
               lang: str = "en") -> str:
    """A money tick label; when the axis reaches a million, in millions (zh: 万, ten thousands).

    ``top`` is the largest absolute tick shown and ``step`` the distance between ticks, so every
    tick of one axis uses one unit and as many decimals as the step needs:
    ``money_tick(250_000, 2e6, 250_000) == "¥0.25M"``, in Chinese ``"¥25万"``. Ticks closer than
    a thousandth of the unit fall back to whole yuan.
    """
    a = abs(v)
    if step is not None and step > 0 and a < step / 2:
        return f"{currency}0"
    sign = "-" if v < 0 and round(a) > 0 else ""
    unit = 1e4 if lang == "zh" else 1e6
    suffix = "万" if lang == "zh" else "M"
    if top < 1e6 or a == 0:
        return f"{sign}{currency}{a:,.0f}"
    if step is None or step <= 0:
        digits = 2
    else:
        digits = next((d for d in range(4) if abs(round(step / unit, d) - step / unit)
                       <= 1e-9 * max(step / unit, 1)), None)
        if digits is None:
            return f"{sign}{currency}{a:,.0f}"
    return f"{sign}{currency}{a / unit:,.{digits}f}{suffix}"


def money_axis(ax, axis: str = "y", currency: str = "¥", lang: str = "en") -> None:
    from matplotlib.ticker import FuncFormatter
    target = ax.yaxis if axis == "y" else ax.xaxis

    def label(v, _pos):
        lo, hi = sorted(target.get_view_interval())
        pad = (hi - lo) * 1e-9
        locs = sorted(x for x in target.get_majorticklocs() if lo - pad <= x <= hi + pad)
        top = max((abs(x) for x in locs), default=abs(v))
        steps = [b - a for a, b in zip(locs, locs[1:]) if b > a]
        return money_tick(v, top, min(steps) if steps else None, currency, lang)
    target.set_major_formatter(FuncFormatter(label))


def thousands_axis(ax, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter
    fmt = FuncFormatter(lambda v, _: f"{v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def new_figure(nrows: int = 1, ncols: int = 1, height: float | None = None,
               width: float = 9.0, **kw):
    h = height if height is not None else 4.2 * nrows
    return plt.subplots(nrows, ncols, figsize=(width, h), **kw)


def date_axis(ax) -> None:
    import matplotlib.dates as mdates
    loc = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))


def stacked_area(ax, frame: pd.DataFrame, colors: dict[str, str] | None = None,
                 order: Sequence[str] | None = None) -> None:
    """Stacked area of a wide frame (index = dates, columns = series)."""
    cols = list(order or frame.columns)
    ax.stackplot(frame.index, *[frame[c].to_numpy() for c in cols], labels=cols,
                 colors=[(colors or {}).get(c) for c in cols] if colors else None, alpha=0.9)
