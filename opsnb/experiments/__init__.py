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
* :mod:`~opsnb.experiments.report` — the builder the notebook calls.
"""

from opsnb.experiments.aggregates import Moments
from opsnb.experiments.metrics import Metric, parse_metrics
from opsnb.experiments.stats import Effect
from opsnb.experiments.zh import ZH as _ZH
from opsnb.report.i18n import register as _register

_register(_ZH)

__all__ = ["Effect", "Metric", "Moments", "parse_metrics"]
