"""Competitor tracking (竞品分析): panel, position, STL, change points, anomalies, alerts, SWOT.

The notebook calls :func:`competitor_tracking`, which returns a :class:`CompetitorReport`;
every number it shows comes from one of the modules below, and every text from
:mod:`opsnb.competitors.present`.
"""

from opsnb.competitors.registry import MetricRegistry, MetricSpec, default_registry
from opsnb.competitors.report import CompetitorReport, competitor_tracking
from opsnb.competitors.zh import ZH as _ZH
from opsnb.report.i18n import register as _register

_register(_ZH)

__all__ = ["CompetitorReport", "MetricRegistry", "MetricSpec", "competitor_tracking",
           "default_registry"]
