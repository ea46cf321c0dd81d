"""Cohort retention, lifecycle, survival and churn early-warning."""

from opsnb.report.i18n import register as _register
from opsnb.retention.cohorts import CohortMatrix, cohort_matrix
from opsnb.retention.spec import (
    CohortEntry, Counting, MeanMethod, Period, Reference, RetentionSpec, WindowKind,
)
from opsnb.retention.zh import ZH as _ZH

_register(_ZH)

__all__ = ["CohortEntry", "CohortMatrix", "Counting", "MeanMethod", "Period", "Reference",
           "RetentionSpec", "WindowKind", "cohort_matrix"]
