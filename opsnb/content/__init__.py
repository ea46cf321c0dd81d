"""Content performance: per-item scores that do not reward luck, and what to publish next.

One module per concept:

* :mod:`opsnb.content.events` — which events are content events; unknown ids set aside;
  publishing order checked;
* :mod:`opsnb.content.shrink` — empirical-Bayes beta-binomial shrinkage and Wilson bounds;
* :mod:`opsnb.content.items` — the per-item table, ranks, the decay score and momentum;
* :mod:`opsnb.content.lifecycle` — views by age, the half-life of attention, flash/evergreen;
* :mod:`opsnb.content.creators` — leaderboard, new creators, retention, concentration (Gini);
* :mod:`opsnb.content.supply` — supply against demand per category and format;
* :mod:`opsnb.content.model` — what works (statsmodels, creators as a random effect);
* :mod:`opsnb.content.audience` — who views what, new and returning viewers, week-4 retention;
* :mod:`opsnb.content.report` — the :class:`ContentPerformance` report and
  :func:`content_performance`; :mod:`opsnb.content.present` its presentation;
  :mod:`opsnb.content.zh` its Chinese text.

>>> from opsnb.content import content_performance
>>> r = content_performance(start_date="2026-10-01", end_date="2026-10-31")
>>> r.headline()["views"] > 0
True
"""

from opsnb.content import zh  # noqa: F401 - registers the Chinese catalogue
from opsnb.content.events import EventNames
from opsnb.content.report import ContentPerformance, content_performance, content_sample_dir

__all__ = ["ContentPerformance", "EventNames", "content_performance", "content_sample_dir"]
