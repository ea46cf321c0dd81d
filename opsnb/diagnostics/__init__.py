"""KPI diagnostics: why a KPI moved, where it is heading, whether the target will be met.

One module per concept:

* :mod:`opsnb.diagnostics.kpis` — the KPIs and the event-level queries (one per dimension set);
* :mod:`opsnb.diagnostics.decompose` — exact Kitagawa / Das Gupta mix and rate split;
* :mod:`opsnb.diagnostics.rootcause` — Adtributor scores extended to two-dimension segments;
* :mod:`opsnb.diagnostics.forecast` — ETS / SARIMAX forecast, backtest, the target;
* :mod:`opsnb.diagnostics.anomalies` — robust z of the residuals as dated alerts;
* :mod:`opsnb.diagnostics.report` — the :class:`KPIDiagnostics` report and
  :func:`kpi_diagnostics`; :mod:`opsnb.diagnostics.present` its presentation;
  :mod:`opsnb.diagnostics.zh` its Chinese text.
"""

from opsnb.diagnostics import zh  # noqa: F401 - registers the Chinese catalogue
from opsnb.diagnostics.report import KPIDiagnostics, diagnostics_sample_dir, kpi_diagnostics

__all__ = ["KPIDiagnostics", "diagnostics_sample_dir", "kpi_diagnostics"]
