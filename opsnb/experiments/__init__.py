"""A/B-test analysis from the data contract's ``assignments`` and ``events``.

One small module per concept:

* :mod:`~opsnb.experiments.metrics` — metric definitions and the per-user Ibis aggregation;
* :mod:`~opsnb.experiments.aggregates` — per-variant moments (n, sums, squares, cross products);
* :mod:`~opsnb.experiments.stats` — Welch t, two-proportion z, delta-method ratios, bootstrap
  quantiles, relative intervals;
* :mod:`~opsnb.experiments.cuped`, :mod:`~opsnb.experiments.srm`,
  :mod:`~opsnb.experiments.multiplicity`, :mod:`~opsnb.experiments.sequential`,
  :mod:`~opsnb.experiments.bayes`, :mod:`~opsnb.experiments.power`,
  :mod:`~opsnb.experiments.segments`, :mod:`~opsnb.experiments.verdict`;
* :mod:`~opsnb.experiments.analysis` — one experiment from the assignments to the verdict;
  :mod:`~opsnb.experiments.result` — its results (numbers and codes) and charts;
* :mod:`~opsnb.experiments.present` — the sentences, tiles and tables, in a given language;
* :mod:`~opsnb.experiments.report` — :class:`ExperimentReport` and :func:`experiment_analysis`,
  the entry point the notebook calls.
"""

from opsnb.experiments.aggregates import Moments
from opsnb.experiments.metrics import Metric, parse_metrics
from opsnb.experiments.report import ExperimentReport, experiment_analysis
from opsnb.experiments.stats import Effect
from opsnb.experiments.zh import ZH as _ZH
from opsnb.report.i18n import register as _register

_register(_ZH)

__all__ = ["Effect", "ExperimentReport", "Metric", "Moments", "experiment_analysis",
           "parse_metrics"]
