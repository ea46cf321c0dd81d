"""Wording and formats of the retention report's presentation (review of issue 12)."""

from opsnb.report.i18n import translate
from opsnb.retention import notes
from opsnb.retention.present import AT_RISK_FORMATS


def test_recency_days_shown_with_one_decimal():
    f = AT_RISK_FORMATS["recency_days"]
    assert f(23.86) == "23.9" and f(4.0) == "4" and f(None) == "–"


def test_no_events_line_says_what_to_change():
    en = translate(notes.NO_EVENTS, "en", window="2025-05-01 – 2025-05-28")
    assert en.startswith("Left out: no events fall in the window 2025-05-01 – 2025-05-28")
    assert "Fix: choose start_date and end_date inside the data" in en
    zh = translate(notes.NO_EVENTS, "zh", window="2025-05-01 – 2025-05-28")
    assert "start_date" in zh and "end_date" in zh and "Left out" not in zh
