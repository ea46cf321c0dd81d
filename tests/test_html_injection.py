"""Markup in the data shows as text in every report, checked in headless Chromium.

Every label in every table of a small generated data set gets a payload appended
(``<b>bold</b>``, an ``<img onerror>`` and a ``<script>``, both of which would set
``document.title``). Each report runs through the real runner (papermill, then the HTML export)
and the page is opened in headless Chromium: the title must be unchanged, and the payload must
be on the page as visible text.
"""

from __future__ import annotations

import ast
import os

import pytest
from browser import chromium_path, page_title_and_text

from opsnb import registry
from opsnb.data.shapes import PWNED, base_sample, inject_markup, read_renames, rename_params
from opsnb.runner.catalog import report_parameters
from opsnb.runner.run import run_report

RUNS = [(name, "en") for name in registry.names()] + [("kpi_overview", "zh"),
                                                      ("competitor_tracking", "zh")]


@pytest.fixture(scope="module")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium could not be installed: the markup-injection test must run in CI")
        pytest.skip("chromium is not installed (run .ci/ensure-chromium)")
    return path


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    return inject_markup(base_sample(), tmp_path_factory.mktemp("marked"))


def renamed_defaults(name: str, folder) -> dict:
    """The report's default parameters that name data values, renamed like the data."""
    defaults = {}
    for key, p in report_parameters(name).items():
        try:
            defaults[key] = ast.literal_eval(p.default)
        except (ValueError, SyntaxError):
            continue
    renamed = rename_params(defaults, read_renames(folder))
    return {k: v for k, v in renamed.items() if v != defaults.get(k)}


@pytest.mark.parametrize(("name", "lang"), RUNS, ids=[f"{n}-{lang}" for n, lang in RUNS])
def test_markup_in_the_data_shows_as_text(name, lang, marked, chromium, tmp_path):
    params = {**renamed_defaults(name, marked), "lang": lang}
    res = run_report(name, data=marked, out=tmp_path, parameters=params, progress=False)
    assert res.ok, f"{name} failed on marked data: {res.error}"
    page = res.html.read_text(encoding="utf-8")
    assert "<script>document.title" not in page and "<img src=x onerror" not in page
    title, text = page_title_and_text(res.html, chromium)
    assert PWNED not in title
    assert "<b>bold</b>" in text, "the payload should be on the page, as text"
