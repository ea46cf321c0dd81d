"""Report blocks shared by every report: the headline and the notes on what the data held.

Everything here is HTML made by :mod:`opsnb.report.html`, so strings from the data are escaped.
"""

from __future__ import annotations


from opsnb.report import html
from opsnb.report.i18n import Translator, Verbatim, translate


def data_notes(source, window=None, lang: str = "en"):
    """What the report read, and every row that was set aside (nothing is dropped silently)."""
    tr = Translator(lang)
    lines, warn = [tr("Data: {source}.", source=source.description)], [False]
    if window is not None and window.empty:
        lines.append(tr("Window: {window} (UTC); the data hold nothing in it: they run from "
                        "{first} to {last}.", window=window.label(),
                        first=f"{window.data_first:%Y-%m-%d}", last=f"{window.data_last:%Y-%m-%d}"))
        warn.append(True)
    elif window is not None:
        lines.append(tr("Window: {window} (UTC); data until {until}.", window=window.label(),
                        until=f"{window.as_of:%Y-%m-%d %H:%M}"))
        warn.append(False)
        if window.complete_until < window.end_exclusive:
            lines.append(tr("Periods ending after {until} are incomplete and marked as such.",
                            until=f"{window.complete_until:%Y-%m-%d %H:%M}"))
            warn.append(False)
    for s in source.set_aside:
        lines.append(tr("{n} {table} rows set aside: {reason}.", n=f"{s.n_rows:,}",
                        table=Verbatim(s.table), reason=s.reason))
        warn.append(True)
    if not source.set_aside:
        lines.append(tr("No rows were set aside."))
        warn.append(False)
    return html.lines(lines, warn)


def headline(report, lang: str = "en") -> list:
    """The top of every report: title, warnings and tiles, then the data notes."""
    warnings = [w.render(lang) for w in report.warnings]
    left_out = [s.title for s in report.SECTIONS if s.key in report.skipped]  # reading order
    notes = []
    if left_out:
        notes.append(translate("Left out for this data (each section says why): {sections}.",
                                  lang, sections=("; " if lang == "en" else "；").join(
                                      translate(s, lang) for s in left_out)))
    return [html.cards(report.headline_title(lang), report.headline_items(lang), warnings, notes),
            *report.headline_blocks(lang), data_notes(report.source, report.window, lang)]
