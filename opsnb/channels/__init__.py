"""Channel ROI: unit economics, multi-touch attribution, marketing mix model, budget.

One module per concept:

* :mod:`opsnb.channels.economics` — CAC, ROAS by horizon, LTV (observed and projected), payback;
* :mod:`opsnb.channels.attribution` — paths from touchpoints and seven attribution models;
* :mod:`opsnb.channels.transforms` — adstock and saturation as pure functions, by short name;
* :mod:`opsnb.channels.mmm` — the fast marketing mix model (NNLS inside a parameter search);
* :mod:`opsnb.channels.budget` — budget reallocation under bounds, with sentences;
* :mod:`opsnb.channels.report` — the builder the ``channel_roi`` notebook calls.
"""

from opsnb.channels.zh import ZH as _ZH
from opsnb.report.i18n import register as _register

_register(_ZH)
