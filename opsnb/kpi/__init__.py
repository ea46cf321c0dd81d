"""The operating KPIs: active users and stickiness, new users, revenue per user, the funnel.

One module per concept:

* :mod:`opsnb.kpi.active` — DAU, WAU, MAU and stickiness per day;
* :mod:`opsnb.kpi.per_period` — active, new and paying users, revenue, ARPU, ARPPU and paying
  conversion per day, week or month (periods from :mod:`opsnb.data.periods`);
* :mod:`opsnb.kpi.totals` — the same totals over the whole window (distinct users);
* :mod:`opsnb.kpi.funnel` — the ordered purchase funnel, overall and per users column;
* :mod:`opsnb.kpi.report` — the :class:`KPIOverview` report and its entry point
  :func:`kpi_overview`;
* :mod:`opsnb.kpi.zh` — the Chinese text of the report (registered on import).

Event-level work is written once as Ibis expressions over a
:class:`~opsnb.data.source.DataSource` (DuckDB by default, any Ibis backend otherwise); only
small per-day or per-period frames come back to pandas.

>>> from opsnb import kpi
>>> report = kpi.kpi_overview(start_date="2026-10-01", end_date="2026-10-31")
>>> report.headline()["active_users"] > report.headline()["paying_users"] > 0
True
"""

from opsnb.data.periods import PERIODS
from opsnb.kpi import zh  # noqa: F401 - registers the Chinese catalogue
from opsnb.kpi.active import ActiveUsers, active_users
from opsnb.kpi.funnel import (
    DEFAULT_FUNNEL, Funnel, event_counts, funnel, missing_steps, step_label, suggest_steps,
)
from opsnb.kpi.per_period import PeriodKPIs, period_kpis
from opsnb.kpi.report import KPIOverview, kpi_overview
from opsnb.kpi.totals import window_totals

__all__ = [
    "DEFAULT_FUNNEL", "PERIODS", "ActiveUsers", "Funnel", "KPIOverview", "PeriodKPIs",
    "active_users", "event_counts", "funnel", "kpi_overview", "missing_steps", "period_kpis",
    "step_label", "suggest_steps", "window_totals",
]
