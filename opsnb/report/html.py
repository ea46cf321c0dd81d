"""The one path from report content to HTML: tables, paragraphs, lists, notes and headline cards.

Every string that can come from the data (channel, campaign, experiment and competitor names,
event notes, persona names, ...) reaches the page through :func:`esc`, so markup in the data is
shown as text and never runs. Nothing else in opsnb writes HTML for a report: the notebooks
display what these functions return, and pandas Styler (which does not escape cell text unless
told to) is not used.

>>> esc('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
>>> import pandas as pd
>>> html = table(pd.DataFrame({"channel": ["<b>x</b>"], "users": [1234]}), {"users": "count"})
>>> "&lt;b&gt;x&lt;/b&gt;" in html.data and "1,234" in html.data and "<b>x" not in html.data
True
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from IPython.display import HTML

from opsnb.report.i18n import translate

_WRAP = "overflow-x:auto;max-width:100%;margin:6px 0"
_CELL = "padding:2px 8px;border-bottom:1px solid #eee"


def esc(value) -> str:
    """Any value as HTML text: markup is escaped, quotes included."""
    return _html.escape("" if value is None else str(value), quote=True)


def _formatter(kind):
    from opsnb.report import fmt

    if callable(kind):
        return kind
    return fmt.FORMATTERS[kind]


def _shade(values: pd.Series, cmap: str) -> list[str]:
    """Background colours for a numeric column (0 .. column maximum), as CSS."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    v = pd.to_numeric(values, errors="coerce").astype(float)
    top = float(np.nanmax(v)) if v.notna().any() else 0.0
    cm = colormaps[cmap]
    out = []
    for x in v:
        if np.isnan(x) or top <= 0:
            out.append("")
            continue
        level = min(max(x / top, 0.0), 1.0) * 0.75  # keep the darkest shade readable
        out.append(f"background:{to_hex(cm(level))};" + ("color:#fff;" if level > 0.55 else ""))
    return out


def table(df: pd.DataFrame, formats: Mapping[str, object] | None = None,
          caption: str | None = None, lang: str = "en", humanize: bool = True,
          shade: Mapping[str, str] | None = None, max_rows: int | None = None) -> HTML:
    """A report table: formatted numbers, readable translated headers, escaped text, a caption.

    ``formats`` maps a column to a :data:`opsnb.report.fmt.FORMATTERS` name (``"pct"``,
    ``"money"``, ``"count"``, ...) or to a function of one value. ``shade`` maps a column to a
    matplotlib colour map name for a background scale from 0 to the column's largest value.
    Text columns are left-aligned, numbers right-aligned; missing values show as '–'. The
    table scrolls sideways on a narrow screen instead of squeezing.
    """
    from opsnb.report import fmt

    formats = dict(formats or {})
    shade = dict(shade or {})
    shown = df if max_rows is None else df.head(max_rows)
    cols = list(shown.columns)
    heads = [fmt.header(c, lang) if humanize else translate(str(c), lang) for c in cols]
    numeric = {c: c in formats or pd.api.types.is_numeric_dtype(shown[c]) for c in cols}
    shades = {c: _shade(shown[c], cmap) for c, cmap in shade.items() if c in cols}
    rows = []
    for i in range(len(shown)):
        cells = []
        for c in cols:
            value = shown[c].iloc[i]
            if c in formats:
                text = _formatter(formats[c])(value)
            elif fmt.missing(value):
                text = "–"
            elif isinstance(value, (bool, np.bool_)):
                text = fmt.yes_no(value, lang)
            elif isinstance(value, (float, np.floating)):
                text = fmt.number(value)
            elif isinstance(value, pd.Timestamp):
                text = f"{value:%Y-%m-%d}" if value == value.normalize() else f"{value:%Y-%m-%d %H:%M}"
            else:
                text = str(value)
            align = "right;white-space:nowrap" if numeric[c] else "left"
            style = f"{_CELL};text-align:{align};" + (shades[c][i] if c in shades else "")
            cells.append(f'<td style="{style}">{esc(text)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f'<th style="{_CELL};text-align:{"right" if numeric[c] else "left"}">'
                   f"{esc(h)}</th>" for c, h in zip(cols, heads))
    # the caption stays outside the part that scrolls sideways, so a phone shows all of it
    cap = (f'<div style="font-weight:bold;margin:8px 0 2px">{esc(translate(caption, lang))}</div>'
           if caption else "")
    more = ""
    if max_rows is not None and len(df) > max_rows:
        more = paragraph(translate("First {n} of {total} rows.", lang, n=f"{max_rows:,}",
                                   total=f"{len(df):,}"), small=True).data
    return HTML(f'{cap}<div style="{_WRAP}"><table style="border-collapse:collapse;font-size:13px">'
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
                f"</div>{more}")


def paragraph(text: str, strong: str | None = None, small: bool = False) -> HTML:
    """One paragraph of plain text (escaped), optionally led by a bold phrase."""
    lead = f"<strong>{esc(strong)}</strong> " if strong else ""
    style = ' style="font-size:12px;color:#555"' if small else ""
    return HTML(f"<p{style}>{lead}{esc(text)}</p>")


def bullets(items: Iterable[str], strong: Sequence[str] | None = None,
            numbered: bool = False) -> HTML:
    """A bulleted (or ``numbered``) list of plain-text items (escaped); ``strong`` gives each
    item a bold lead."""
    items = list(items)
    leads = list(strong) if strong is not None else [""] * len(items)
    li = "".join(f"<li>{'<strong>' + esc(s) + '</strong> ' if s else ''}{esc(x)}</li>"
                 for s, x in zip(leads, items))
    tag = "ol" if numbered else "ul"
    return HTML(f'<{tag} style="padding-left:1.3em;margin-right:4px">{li}</{tag}>')


def note(text: str) -> HTML:
    """A one-line note in a grey box: a section that could not run, and why."""
    return HTML(f'<div style="{_NOTE}">{esc(text)}</div>')


_NOTE = "background:#f4f4f4;border-left:4px solid #999;padding:6px 10px;margin:6px 0;color:#333"


def alert(text: str) -> HTML:
    """A red warning box, for what must be read before the numbers."""
    return HTML(f'<div style="{_ALERT}">{esc(text)}</div>')


_ALERT = ("background:#fdecea;color:#a4262c;border-left:4px solid #a4262c;padding:6px 10px;"
          "margin:6px 4px")


def cards(title: str, items: Sequence[tuple[str, str, str]],
          warnings: Sequence[str] = (), notes: Sequence[str] = ()) -> HTML:
    """The headline: a title, warnings (red), notes (grey), then a row of KPI tiles
    ``(label, value, note)``.

    Tiles wrap onto new lines on a narrow screen, two to a row on a phone.
    """
    tiles = "".join(
        f'<div style="flex:1 1 130px;border:1px solid #ddd;border-radius:6px;padding:6px 10px;'
        f'margin:3px;background:#fafafa;min-width:0"><div style="font-size:12px;color:#666">'
        f'{esc(lab)}</div><div style="font-size:20px;font-weight:600;overflow-wrap:anywhere">'
        f'{esc(val)}</div><div style="font-size:11px;color:#888">{esc(sub)}</div></div>'
        for lab, val, sub in items)
    warn = "".join(f'<div style="{_ALERT}">{esc(w)}</div>' for w in warnings if w)
    warn += "".join(f'<div style="{_NOTE};margin:6px 4px">{esc(n)}</div>' for n in notes if n)
    return HTML(f'<div><div style="font-size:16px;font-weight:600;margin:4px">{esc(title)}'
                f'</div>{warn}<div style="display:flex;flex-wrap:wrap">{tiles}</div></div>')


def lines(texts: Sequence[str], warn: Sequence[bool] | None = None) -> HTML:
    """Small grey lines of text (the data notes); a line flagged in ``warn`` gets a ⚠ mark."""
    warn = list(warn) if warn is not None else [False] * len(texts)
    body = "<br>".join(("⚠ " if w else "") + esc(x) for x, w in zip(texts, warn))
    return HTML(f"<div style='font-size:12px;color:#444'>{body}</div>")
