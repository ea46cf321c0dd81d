"""The cohort retention report on data shaped unlike the sample (opsnb.data.shapes).

Each shape either completes, with every section shown or left out with one line that says why
and what to change, or stops with a ParameterError naming the parameter. Every run is rendered
in English and Chinese; the sections that still run give the numbers computed directly.
"""

from __future__ import annotations

import json

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from opsnb.data.shapes import SHAPE_PARAMS, base_sample, inject_markup  # noqa: E402
from opsnb.data.source import DataSource  # noqa: E402
from opsnb.errors import ParameterError  # noqa: E402
from opsnb.report import display  # noqa: E402
from opsnb.report.html import esc  # noqa: E402
from opsnb.retention import RetentionSpec, cohort_matrix, cohort_retention  # noqa: E402
from opsnb.retention.report import resolve_cohort_period, resolve_window_kind  # noqa: E402

from conftest import chinese  # noqa: E402

SECTIONS = ["matrix", "curves", "lifecycle", "survival", "ltv", "churn"]


def rendered(r) -> dict[str, str]:
    """Render the headline and every section in en and zh; return the HTML shown, by lang."""
    out = {}
    for lang in ("en", "zh"):
        blocks = list(display.headline(r, lang))
        for key in SECTIONS:
            blocks += r.show(key, lang)
        plt.close("all")
        out[lang] = "\n".join(b.data for b in blocks if hasattr(b, "data"))
    json.dumps(r.summary(), default=str)
    assert r.check_text()
    return out


def line(r, key: str, lang: str = "en") -> str:
    return r.skipped[key].render(lang)


def events_span(folder, window) -> int:
    """Whole days between the first event and the end of the complete data (computed apart)."""
    ev = DataSource.open(folder).to_pandas("events")
    return (window.complete_until.normalize() - ev["event_at"].min().normalize()).days


# ------------------------------------------------------------------ four weeks (issue 12)
@pytest.fixture(scope="module")
def four_weeks(shape_dir):
    d = shape_dir("four_weeks")
    return d, cohort_retention(d, at_risk_csv=str(d / "at_risk.csv"),
                               **SHAPE_PARAMS["four_weeks"])


def test_four_weeks_leaves_churn_out_with_the_reason(four_weeks):
    d, r = four_weeks
    have = events_span(d, r.window)
    assert 20 <= have < 90
    assert sorted(r.skipped) == ["churn", "survival"]
    assert line(r, "churn") == (
        f"Left out: the churn model needs 90 days of data before "
        f"{r.window.complete_until.normalize():%Y-%m-%d} (30 of history, 30 to train and 30 to "
        f"validate, with churn_inactive_days=30); the data hold {have} days. Set "
        f"churn_inactive_days to {have // 3} or less, or use data that reach back 90 days.")
    assert "churn_inactive_days=30" in line(r, "survival")
    assert "no one can have churned yet" in line(r, "survival")
    zh = line(r, "churn", "zh")
    assert chinese(zh) and "churn_inactive_days" in zh and f"{have // 3}" in zh
    html = rendered(r)
    assert esc(line(r, "churn")) in html["en"] and esc(zh) in html["zh"]
    assert r.check_text().endswith("left out: survival\nleft out: churn")
    assert not (d / "at_risk.csv").exists()
    assert [w.text for w in r.warnings][0].startswith("at_risk_csv was not written")


def test_four_weeks_matrix_equals_the_one_computed_directly(four_weeks):
    d, r = four_weeks
    direct = cohort_matrix(DataSource.open(d), r.window,
                           RetentionSpec.make(cohort_period="week"), breakdown="channel")
    pd.testing.assert_frame_equal(r.matrix.table, direct.table)
    pd.testing.assert_frame_equal(r.matrix.revenue, direct.revenue)
    for key in ("matrix", "curves", "lifecycle", "ltv"):
        assert r.runs(key), key
    assert r.headline()["cohort_users"] == int(direct.table.groupby(
        ["cohort", "segment"])["size"].first().sum())


def test_four_weeks_runs_churn_with_the_suggested_parameter(four_weeks):
    d, r = four_weeks
    days = events_span(d, r.window) // 3
    r2 = cohort_retention(d, churn_inactive_days=days)
    assert r2.runs("survival")
    # the history is long enough now; if the model still cannot be fitted, it says so itself
    assert r2.runs("churn") or "needs" not in line(r2, "churn")
    pd.testing.assert_frame_equal(r2.matrix.table, r.matrix.table)
    rendered(r2)


# ------------------------------------------------------------------ the other shapes
EXPECT_SKIPPED = {
    "fourteen_days": {"survival", "churn"},
    "one_day": {"matrix", "curves", "ltv", "survival", "churn"},
    "users_events_only": set(),
    "nothing_in_window": {"matrix", "curves", "ltv", "lifecycle", "survival", "churn"},
    "single_channel": set(),
    "foreign_event_names": set(),
}


@pytest.mark.parametrize("name", list(EXPECT_SKIPPED))
def test_shape_completes_and_renders(shape_dir, name):
    r = cohort_retention(shape_dir(name), **SHAPE_PARAMS[name])
    assert set(r.skipped) == EXPECT_SKIPPED[name]
    html = rendered(r)
    for key in r.skipped:
        assert esc(line(r, key)) in html["en"] and esc(line(r, key, "zh")) in html["zh"]
        assert chinese(line(r, key, "zh")) or "Left out" not in line(r, key)
    for bad in ("Traceback", "None", "nan", "NaN", "True", "False"):
        assert bad not in html["en"], bad
    if name == "one_day":
        assert "period='day'" in line(r, "matrix")
        assert "cohort matrix, which was left out" in line(r, "curves")
        assert "Use a window longer than 30 days" in line(r, "survival")
    if name == "nothing_in_window":
        assert "No events fall between" in r.warnings[0].render("en")
        assert r.headline_items("en")[0][1] == "–"
        assert r.window.empty
        first, last = f"{r.window.data_first:%Y-%m-%d}", f"{r.window.data_last:%Y-%m-%d}"
        assert f"run from {first} to {last}." in r.warnings[0].render("en")
        assert f"the data hold nothing in it: they run from {first} to {last}." in html["en"]
    if name == "fourteen_days":
        assert "D30: no complete cohort yet" in r.check_text()
    if name == "single_channel":
        assert r.survival.test is None and len(r.matrix.segments) == 1


def test_users_and_events_only_give_the_numbers_of_the_full_data(shape_dir):
    full = cohort_retention(base_sample())
    only = cohort_retention(shape_dir("users_events_only"))
    assert only.check_text() == full.check_text()


def test_empty_breakdown_column_is_left_out_with_a_line(shape_dir):
    d = shape_dir("empty_strings")
    r = cohort_retention(d, breakdown="region")
    assert r.breakdown is None and r.empty_breakdown == "region"
    assert [w.text for w in r.warnings][:1] == [
        "The breakdown column {column} is empty for every user, so nothing is split by it: the "
        "segment views show all users together. Set breakdown to a users column that holds "
        "values (e.g. channel)."]
    html = rendered(r)
    assert html["en"].count("Not split by region") == 2  # curves and survival
    direct = cohort_matrix(DataSource.open(d), r.window, RetentionSpec.make(cohort_period="week"))
    pd.testing.assert_frame_equal(r.matrix.table, direct.table)


def test_missing_breakdown_column_is_a_parameter_error(tmp_path):
    from conftest import write_tables

    users = "user_id,signup_at,channel\nu1,2026-01-05 08:00:00,ads\nu2,2026-01-06 09:00:00,organic"
    events = ("user_id,event_at,event,revenue\nu1,2026-01-05 08:00:00,open,0\n"
              "u1,2026-01-07 08:00:00,open,0\nu2,2026-01-06 09:00:00,open,0\n"
              "u2,2026-01-20 09:00:00,open,0")
    d = write_tables(tmp_path / "d", users=users, events=events)
    with pytest.raises(ParameterError, match=r"breakdown='region' is not a users column; choose "
                                             r"from channel"):
        cohort_retention(d, breakdown="region")


def test_period_month_alone(tmp_path):
    csv = tmp_path / "risk" / "at_risk.csv"
    r = cohort_retention(base_sample(), period="month", at_risk_csv=str(csv))
    assert (r.spec.period.value, r.spec.cohort_by.value, r.spec.window.value) == (
        "month", "month", "calendar")
    assert r.parameters["cohort_period"] == "" and r.parameters["window"] == ""
    assert not r.skipped
    html = rendered(r)
    assert csv.exists() and len(pd.read_csv(csv)) == len(r.churn.at_risk(0.5, top=None))
    assert f"full at-risk list written to {csv}" in html["en"]


def test_cohort_period_and_window_follow_period():
    assert resolve_cohort_period("month", "") == "month"
    assert resolve_cohort_period("week", "") == "week"
    assert resolve_cohort_period("day", "") == "week"  # daily cohorts only when asked for
    assert resolve_cohort_period("month", "month") == "month"
    assert resolve_cohort_period("day", "day") == "day"
    assert resolve_window_kind("month", "") == "calendar"
    assert resolve_window_kind("week", "") == "rolling"
    assert resolve_window_kind("week", "calendar") == "calendar"
    with pytest.raises(ParameterError, match="rolling windows need a fixed length"):
        cohort_retention(base_sample(), period="month", window="rolling")


def test_markup_in_the_data_is_shown_as_text(tmp_path):
    d = inject_markup(base_sample(), tmp_path / "markup")
    r = cohort_retention(d)
    assert any("<script>" in s for s in r.matrix.segments)
    for lang, html in rendered(r).items():
        assert "<script>" not in html and "<img" not in html, lang
        assert "&lt;script&gt;" in html
    blocks = {k: "\n".join(b.data for b in r.show(k, "en") if hasattr(b, "data"))
              for k in ("curves", "survival", "churn")}
    plt.close("all")
    for key, html in blocks.items():  # the segment table, the survival table, the at-risk list
        assert "&lt;script&gt;" in html and "<script>" not in html, key
