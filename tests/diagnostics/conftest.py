"""A hand-sized data set whose KPI parts are worked out in the tests, and the report on the
diagnostics sample (run once per module that asks for it)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import write_tables

USERS = pd.DataFrame({
    "user_id": ["u1", "u2", "u3", "u4"],
    "signup_at": ["2026-01-01 00:00:00", "2026-01-01 00:00:00", "2026-01-02 00:00:00",
                  "2026-01-07 00:00:00"],
    "channel": ["a", "a", "b", "b"],
    "region": ["x", "y", "x", "x"],
    "campaign": ["", "", "", ""],
})


def _e(user, at, event="session_start", revenue=0.0):
    return {"user_id": user, "event_at": at, "event": event, "revenue": revenue}


# base window 2026-01-01 .. 01-05, current 01-06 .. 01-10
EVENTS = pd.DataFrame([
    # u1 (a, x): base days 1, 2, 3 (a purchase of 30 on day 2); current day 6
    _e("u1", "2026-01-01 08:00:00"), _e("u1", "2026-01-01 09:00:00"),
    _e("u1", "2026-01-02 08:00:00"), _e("u1", "2026-01-02 08:10:00", "purchase", 30.0),
    _e("u1", "2026-01-03 08:00:00"),
    _e("u1", "2026-01-06 08:00:00"),
    # u2 (a, y): base day 1; current days 6, 7 (a purchase of 10 on day 7)
    _e("u2", "2026-01-01 10:00:00"),
    _e("u2", "2026-01-06 10:00:00"), _e("u2", "2026-01-07 10:00:00"),
    _e("u2", "2026-01-07 10:05:00", "purchase", 10.0),
    # u3 (b, x): base days 2, 4; current days 8, 9, 10 (a purchase of 50 on day 10)
    _e("u3", "2026-01-02 12:00:00"), _e("u3", "2026-01-04 12:00:00"),
    _e("u3", "2026-01-08 12:00:00"), _e("u3", "2026-01-09 12:00:00"),
    _e("u3", "2026-01-10 12:00:00"), _e("u3", "2026-01-10 12:30:00", "purchase", 50.0),
    # u4 (b, x): signs up on day 7 (new in the current window), active days 7, 8
    _e("u4", "2026-01-07 00:10:00"), _e("u4", "2026-01-08 00:10:00"),
])


@pytest.fixture
def tiny_dir(tmp_path):
    def make(users=USERS, events=EVENTS):
        return write_tables(tmp_path / "tiny", users=users, events=events)
    return make


@pytest.fixture(scope="session")
def sample_report():
    """The report on the diagnostics sample, with a target (run once, shared)."""
    from opsnb.diagnostics import kpi_diagnostics

    return kpi_diagnostics(target=400.0, seed=1)


@pytest.fixture(scope="session")
def sample_truth() -> dict:
    import json

    from opsnb.diagnostics import diagnostics_sample_dir

    return json.loads((diagnostics_sample_dir() / "truth.json").read_text(encoding="utf-8"))
