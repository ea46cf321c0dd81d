"""Channel ROI: unit economics, multi-touch attribution, marketing mix model, budget.

One module per concept:

* :mod:`opsnb.channels.economics` — CAC, ROAS by horizon, LTV (observed and projected), payback;
* :mod:`opsnb.channels.attribution` — paths from touchpoints and seven attribution models;
* :mod:`opsnb.channels.transforms` — adstock and saturation as pure functions, by short name;
* :mod:`opsnb.channels.mmm` — the fast marketing mix model (NNLS inside a parameter search);
* :mod:`opsnb.channels.budget` — budget reallocation under bounds (numbers only);
* :mod:`opsnb.channels.report` — :func:`channel_roi`, the entry point of the ``channel_roi``
  notebook, and :class:`ChannelROI`, the report it returns;
* :mod:`opsnb.channels.present` — what the report shows, in the language it is given.
"""

from opsnb.channels.zh import ZH as _ZH
from opsnb.report.i18n import register as _register

_register(_ZH)

from opsnb.channels.report import ChannelROI, channel_roi  # noqa: E402

__all__ = ["ChannelROI", "channel_roi"]
