"""The one list of opsnb's reports: the runner, ``opsnb list``, the scheduler and the CLI read it.

Each report is a notebook ``notebooks/<name>.ipynb``, an entry point of the same name exported
by its package (``from opsnb.channels import channel_roi``) and a :class:`~opsnb.report.contract.Report`
subclass that declares its required tables and its sections. Packages are imported only when a
report is asked for, so listing the reports stays cheap.

>>> names()[:2]
['kpi_overview', 'cohort_retention']
>>> report_class("channel_roi").required
('users', 'events')
>>> sorted(report_class("channel_roi").optional())
['controls', 'spend', 'touchpoints']
"""

from __future__ import annotations

from importlib import import_module

from opsnb.errors import ParameterError

# name -> (package, report class); the package exports a function called ``name``
REPORTS: dict[str, tuple[str, str]] = {
    "kpi_overview": ("opsnb.kpi", "KPIOverview"),
    "cohort_retention": ("opsnb.retention", "RetentionReport"),
    "experiment_analysis": ("opsnb.experiments", "ExperimentReport"),
    "channel_roi": ("opsnb.channels", "ChannelROI"),
    "persona_clustering": ("opsnb.personas", "PersonaReport"),
    "competitor_tracking": ("opsnb.competitors", "CompetitorReport"),
    "content_performance": ("opsnb.content", "ContentPerformance"),
    "user_feedback": ("opsnb.feedback", "FeedbackReport"),
    "kpi_diagnostics": ("opsnb.diagnostics", "KPIDiagnostics"),
    "campaign_impact": ("opsnb.campaigns", "CampaignImpact"),
}


def names() -> list[str]:
    """The report names, in the order of the README."""
    return list(REPORTS)


def _check(name: str) -> tuple[str, str]:
    if name not in REPORTS:
        raise ParameterError(f"unknown report {name!r}; known reports: {', '.join(REPORTS)}")
    return REPORTS[name]


def report_class(name: str):
    """The Report subclass of ``name``: its title, required tables and sections."""
    package, cls = _check(name)
    return getattr(import_module(package), cls)


def entry_point(name: str):
    """The function that computes report ``name`` (``opsnb.channels.channel_roi``, ...)."""
    package, _ = _check(name)
    return getattr(import_module(package), name)


def tables_table() -> str:
    """The Markdown table of which report reads which tables (kept in docs/data-contract.md)."""
    rows = ["| report | requires | optional: the sections that need or use it |",
            "| --- | --- | --- |"]
    for name in names():
        cls = report_class(name)
        optional = "; ".join(f"`{t}` ({', '.join(s)})" for t, s in cls.optional().items())
        rows.append(f"| `{name}` | {', '.join(f'`{t}`' for t in cls.required)} | "
                    f"{optional or '–'} |")
    return "\n".join(rows)
