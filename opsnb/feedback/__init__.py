"""User feedback, sentiment and crisis watch: what users say, how they feel, what is spiking.

One module per concept:

* :mod:`opsnb.feedback.text` — empty texts, Chinese segmentation (rjieba, custom dictionary)
  and English tokens;
* :mod:`opsnb.feedback.topics` — topics found by TF-IDF + NMF, k chosen by stability;
* :mod:`opsnb.feedback.taxonomy` — the team's taxonomy (YAML: keywords, patterns, precedence);
* :mod:`opsnb.feedback.lexicon` and :mod:`opsnb.feedback.sentiment` — the shipped lexicon, and
  the classifier trained on analysts' labels (cross-validated);
* :mod:`opsnb.feedback.alerts` — surprise per topic and day against its own baseline, and the
  crisis flag;
* :mod:`opsnb.feedback.scores` — volume, average rating, CSAT and NPS with intervals;
* :mod:`opsnb.feedback.service` — response and resolution times (Kaplan-Meier), the backlog;
* :mod:`opsnb.feedback.behaviour` — feedback by segment, retention after negative feedback;
* :mod:`opsnb.feedback.report` — the :class:`FeedbackReport` and :func:`user_feedback`;
  :mod:`opsnb.feedback.present` its presentation; :mod:`opsnb.feedback.zh` its Chinese text.

>>> from opsnb.feedback import FeedbackReport
>>> FeedbackReport.required, sorted(FeedbackReport.optional())
(('feedback',), ['events', 'users'])
"""

from opsnb.feedback import zh  # noqa: F401 - registers the Chinese catalogue
from opsnb.feedback.report import FeedbackReport, feedback_sample_dir, user_feedback

__all__ = ["FeedbackReport", "feedback_sample_dir", "user_feedback"]
