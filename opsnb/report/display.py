"""Report blocks for notebooks: the headline box and notes on set-aside rows."""

from __future__ import annotations

import html
from collections.abc import Sequence

from IPython.display import HTML


def headline_box(title: str, items: Sequence[tuple[str, str, str]], warning: str | None = None):
    """A row of KPI tiles: (label, value, note). Shown first in every report."""
    from opsnb.report.i18n import t

    title = t(title)
    tiles = "".join(
        f'<div style="flex:1 1 160px;border:1px solid #ddd;border-radius:6px;padding:8px 12px;'
        f'margin:4px;background:#fafafa"><div style="font-size:12px;color:#666">{html.escape(lab)}'
        f'</div><div style="font-size:22px;font-weight:600">{html.escape(val)}</div>'
        f'<div style="font-size:11px;color:#888">{html.escape(note)}</div></div>'
        for lab, val, note in items
    )
    warn = (f'<div style="background:#fdecea;color:#a4262c;border-left:4px solid #a4262c;'
            f'padding:6px 10px;margin:6px 4px">{html.escape(warning)}</div>') if warning else ""
    return HTML(f'<div><div style="font-size:16px;font-weight:600;margin:4px">{html.escape(title)}'
                f'</div>{warn}<div style="display:flex;flex-wrap:wrap">{tiles}</div></div>')


def data_notes(source, window=None):
    """What the report read, and every row that was set aside (nothing is dropped silently)."""
    from opsnb.report.i18n import t

    lines = [html.escape(t("Data: {source}.", source=source.description))]
    if window is not None:
        lines.append(html.escape(t("Window: {window} (UTC); data until {until}.",
                                   window=window.label(), until=f"{window.as_of:%Y-%m-%d %H:%M}")))
        if window.complete_until < window.end_exclusive:
            lines.append(html.escape(t("Periods ending after {until} are incomplete and marked as "
                                       "such.", until=f"{window.complete_until:%Y-%m-%d %H:%M}")))
    if source.set_aside:
        lines += ["⚠ " + html.escape(t("{n} {table} rows set aside: {reason}", n=f"{s.n_rows:,}",
                                       table=s.table, reason=s.reason)) + "."
                  for s in source.set_aside]
    else:
        lines.append(html.escape(t("No rows were set aside.")))
    return HTML("<div style='font-size:12px;color:#444'>" + "<br>".join(lines) + "</div>")
