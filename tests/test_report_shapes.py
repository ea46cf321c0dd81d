"""Every registered report on every data shape of ``opsnb.data.shapes``.

Each run either completes, and then renders every section, the headline, summary.json and the
checked lines in English and Chinese, or stops with a DataError naming a table or a
ParameterError naming a parameter. No other exception may reach the user. Runs in-process (the
runner's papermill path is exercised by the notebook and injection tests).
"""

from __future__ import annotations

import hashlib
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
    # no comparison window inside the data (it precedes the first day), and too few days to
    # forecast: every section says so in one line
    **{("kpi_diagnostics", shape): {"change", "causes", "forecast", "anomalies"}
       for shape in ("fourteen_days", "one_day", "nothing_in_window")},
    # the shape's only campaign starts 12 days into the data: too short a pre-period for any
    # method, every section says so
    ("campaign_impact", "four_weeks"): {"methods", "its", "synthetic_control", "did",
                                        "participants", "money"},
    # every text empty: the text sections say so; no feedback in the window: every section
    ("user_feedback", "empty_strings"): {"topics", "taxonomy", "sentiment", "alerts"},
    ("user_feedback", "nothing_in_window"): {"volume", "topics", "taxonomy", "sentiment",
                                             "alerts", "service", "behaviour"},
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


_READS: dict = {}


def reads(name, shape, shape_dir) -> str:
    """A fingerprint of what report ``name`` reads of a shape: the bytes of every table it
    requires or may use (or their absence) and the parameters it accepts."""
    folder = shape_dir(shape)
    if (name, folder) in _READS:
        return _READS[name, folder]
    cls = registry.report_class(name)
    accepted = inspect.signature(registry.entry_point(name)).parameters
    params = rename_params(SHAPE_PARAMS[shape], read_renames(folder))
    h = hashlib.sha256(json.dumps({k: v for k, v in params.items() if k in accepted},
                                  sort_keys=True, default=str).encode())
    for table in sorted({*cls.required, *cls.optional()}):
        files = sorted(folder.glob(f"{table}.*"))
        h.update(f"{table}:{len(files)}".encode())
        for f in files:
            h.update(f.name.encode() + hashlib.sha256(f.read_bytes()).digest())
    _READS[name, folder] = h.hexdigest()
    return _READS[name, folder]


def test_shapes_are_written_reproducibly(shape_dir):
    """The fingerprints compare bytes: an unchanged table is written the same in every shape."""
    a, b = shape_dir("no_spend"), shape_dir("one_competitor")
    assert (a / "users.csv").read_bytes() == (b / "users.csv").read_bytes()
    assert reads("kpi_overview", "no_spend", shape_dir) == reads("kpi_overview", "one_competitor",
                                                                  shape_dir)
    assert reads("channel_roi", "no_spend", shape_dir) != reads("channel_roi", "one_competitor",
                                                                 shape_dir)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", registry.names())
def test_report_runs_or_names_what_is_wrong(name, shape, shape_dir):
    # a shape that changes nothing this report reads (another report's table, a column it does
    # not use) is the same run as an earlier shape that did: say so and do not repeat it
    mine = reads(name, shape, shape_dir)
    same = next((s for s in SHAPES[:SHAPES.index(shape)] if reads(name, s, shape_dir) == mine),
                None)
    if same is not None:
        must_skip = DEGRADED.get((name, shape), set())
        assert must_skip <= DEGRADED.get((name, same), set()), (name, shape, same)
        pytest.skip(f"{name} reads the same tables and parameters on {shape} as on {same}")
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
