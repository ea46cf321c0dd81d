"""Every registered report on every data shape of ``opsnb.data.shapes``.

Each run either completes, and then renders every section, the headline, summary.json and the
checked lines in English and Chinese, or stops with a DataError naming a table or a
ParameterError naming a parameter. No other exception may reach the user. Runs in-process (the
runner's papermill path is exercised by the notebook and injection tests).
"""

from __future__ import annotations

import inspect
import json
import warnings

import matplotlib
import pytest

from opsnb import DataError, ParameterError, registry
from opsnb.data.shapes import SHAPE_PARAMS, SHAPES, read_renames, rename_params

matplotlib.use("Agg")

# sections that must be left out (with their one line) on a shape, and never an error
DEGRADED = {
    ("kpi_overview", "foreign_event_names"): {"funnel"},
    ("cohort_retention", "four_weeks"): {"churn"},
    ("channel_roi", "no_touchpoints"): {"attribution"},
    ("channel_roi", "no_spend"): {"economics", "mmm", "budget"},
    # no content event under the default names, none with a content id, none in the window
    **{("content_performance", shape): {"items", "trending", "lifecycle", "creators", "supply",
                                        "what_works", "audience", "read_first"}
       for shape in ("foreign_event_names", "empty_strings", "nothing_in_window")},
}


def render_everything(report) -> None:
    """Every section in English; the headline and the left-out lines in Chinese too (each
    package's own shape tests render every section in both languages)."""
    import matplotlib.pyplot as plt

    report.headline_items("en")
    for s in report.SECTIONS:
        report.show(s.key, "en")
    plt.close("all")
    report.headline_items("zh")
    for key in report.skipped:
        report.show(key, "zh")
    json.dumps(report.summary(), allow_nan=False)
    report.check_text()


def run(name, folder, params):
    entry = registry.entry_point(name)
    accepted = inspect.signature(entry).parameters
    params = {k: v for k, v in params.items() if k in accepted}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return entry(str(folder), **params)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", registry.names())
def test_report_runs_or_names_what_is_wrong(name, shape, shape_dir):
    folder = shape_dir(shape)
    params = rename_params(SHAPE_PARAMS[shape], read_renames(folder))
    cls = registry.report_class(name)
    try:
        report = run(name, folder, params)
    except DataError as exc:
        assert exc.table, f"{name} on {shape}: a DataError must name its table: {exc}"
        return
    except ParameterError as exc:
        accepted = set(inspect.signature(registry.entry_point(name)).parameters)
        assert any(p in str(exc) for p in accepted), \
            f"{name} on {shape}: a ParameterError must name the parameter: {exc}"
        return
    assert isinstance(report, cls)
    render_everything(report)
    must_skip = DEGRADED.get((name, shape), set())
    assert must_skip <= set(report.skipped), (name, shape, report.skipped)
