"""Cohort retention, lifecycle, survival and churn early-warning.

The report: ``from opsnb.retention import cohort_retention, RetentionReport``.
"""

from opsnb.report.i18n import register as _register
from opsnb.retention.zh import ZH as _ZH

_register(_ZH)

from opsnb.retention.cohorts import CohortMatrix, cohort_matrix  # noqa: E402
from opsnb.retention.report import RetentionReport, cohort_retention  # noqa: E402
from opsnb.retention.spec import (  # noqa: E402
    CohortEntry, Counting, MeanMethod, Period, Reference, RetentionSpec, WindowKind,
)

__all__ = ["CohortEntry", "CohortMatrix", "Counting", "MeanMethod", "Period", "Reference",
           "RetentionReport", "RetentionSpec", "WindowKind", "cohort_matrix", "cohort_retention"]
