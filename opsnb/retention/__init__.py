"""Cohort retention, lifecycle, survival and churn early-warning."""

from opsnb.retention.cohorts import CohortMatrix, cohort_matrix
from opsnb.retention.spec import (
    CohortEntry, Counting, MeanMethod, Period, Reference, RetentionSpec, WindowKind,
)

__all__ = ["CohortEntry", "CohortMatrix", "Counting", "MeanMethod", "Period", "Reference",
           "RetentionSpec", "WindowKind", "cohort_matrix"]
