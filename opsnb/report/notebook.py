"""The notebook side of the report contract: one call per block of a report notebook.

A report notebook is a parameters cell, markdown that reads as a report, and these calls::

    report = kpi_overview(data_dir, start_date, end_date, lang=lang, ...)
    nb.headline(report)              # style, headline tiles, warnings, what the data held
    nb.section(report, "active")     # a section's figures and tables, or why it was left out
    ...
    print(nb.finish(report, summary_path))   # summary.json; the stable lines nbval checks

Figures are shown in the order the section made them and closed afterwards, so a notebook cell
never shows a figure twice or out of order.
"""

from __future__ import annotations

from IPython.display import display

from opsnb.report import display as blocks
from opsnb.report import style


def _show(item) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    if isinstance(item, (list, tuple)) or type(item).__name__ == "ndarray":  # an array of Axes
        item = next(iter(getattr(item, "flat", item)), None)
    fig = item if isinstance(item, Figure) else getattr(item, "figure", None)
    if isinstance(fig, Figure):
        display(fig)
        plt.close(fig)
    elif item is not None:
        display(item)


def headline(report) -> None:
    """Set the report style, then show the headline tiles, the warnings and the data notes."""
    lang = report.parameters.get("lang", "en")
    style.use_report_style()
    for item in blocks.headline(report, lang):
        _show(item)


def section(report, key: str) -> None:
    """Show section ``key``: its figures and tables, or one line saying why it was left out."""
    for item in report.show(key, report.parameters.get("lang", "en")):
        _show(item)


def finish(report, summary_path: str = "") -> str:
    """Write summary.json (when ``summary_path`` is set); return the lines nbval checks."""
    from opsnb.report.summary import write_document

    write_document(summary_path, report.summary())
    return report.check_text()
