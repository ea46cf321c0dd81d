"""Campaign impact: did a campaign that was not randomised work, by how much, how sure.

One module per concept:

* :mod:`opsnb.campaigns.spec` — a campaign and what it treated; loading the campaigns table;
* :mod:`opsnb.campaigns.panel` — the KPI per day and unit, and the control variables (Ibis);
* :mod:`opsnb.campaigns.its` — interrupted time series (a structural time-series model);
* :mod:`opsnb.campaigns.synth` — synthetic control with placebo tests in space and time;
* :mod:`opsnb.campaigns.did` — difference-in-differences with an event study;
* :mod:`opsnb.campaigns.participants` and :mod:`opsnb.campaigns.matching` — participants
  against matched non-participants;
* :mod:`opsnb.campaigns.money` — incremental users and revenue, cost per incremental user, ROI;
* :mod:`opsnb.campaigns.estimate` — an estimate with its interval;
* :mod:`opsnb.campaigns.report` — the :class:`CampaignImpact` report and
  :func:`campaign_impact`; :mod:`opsnb.campaigns.present` its presentation;
  :mod:`opsnb.campaigns.zh` its Chinese text.
"""

from opsnb.campaigns import zh  # noqa: F401 - registers the Chinese catalogue
from opsnb.campaigns.report import CampaignImpact, campaign_impact, campaigns_sample_dir

__all__ = ["CampaignImpact", "campaign_impact", "campaigns_sample_dir"]
