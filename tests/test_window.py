"""Report windows against the data, including windows that hold nothing."""

from __future__ import annotations

import pandas as pd
import pytest

from opsnb import DataError
from opsnb.data.window import resolve_window
from opsnb.report.display import data_notes

USERS = "user_id,signup_at,channel\nu1,2026-03-01T08:00:00Z,抖音\n"
EVENTS = ("user_id,event_at,event,revenue\nu1,2026-03-01T09:00:00Z,open,0\n"
          "u1,2026-03-05T23:30:00Z,purchase,12.5\n")


def test_window_with_no_rows_is_an_error_unless_allowed(tables):
    src = tables(users=USERS, events=EVENTS)
    with pytest.raises(DataError) as err:
        resolve_window(src, "2025-01-01", "2025-01-31")
    assert err.value.table == "events" and "2026-03-01 to 2026-03-05" in err.value.fix
    w = resolve_window(src, "2025-01-01", "2025-01-31", allow_empty=True)
    assert w.empty and w.days == 31
    assert (w.data_first, w.data_last) == (pd.Timestamp("2026-03-01 09:00"),
                                           pd.Timestamp("2026-03-05 23:30"))
    notes = data_notes(src, w, "en").data
    assert "the data hold nothing in it: they run from 2026-03-01 to 2026-03-05" in notes
    assert "窗口内没有数据" in data_notes(src, w, "zh").data
    full = resolve_window(src)
    assert not full.empty and full.days == 5 and full.complete_until == pd.Timestamp("2026-03-06")
