"""Every report follows the one contract, and its notebook is thin and reads as a report."""

from __future__ import annotations

import inspect
import re

import nbformat
import pytest

from opsnb import registry
from opsnb.data.contract import CONTRACT
from opsnb.report.contract import Report
from opsnb.runner.catalog import list_reports, notebooks_dir

MAX_CODE_LINES = 40
NAMES = registry.names()


def code_lines(nb) -> int:
    """Non-blank, non-comment code lines outside the parameters cell."""
    n = 0
    for c in nb.cells:
        if c.cell_type != "code" or "parameters" in c.metadata.get("tags", []):
            continue
        n += sum(1 for line in c.source.splitlines()
                 if line.strip() and not line.strip().startswith("#"))
    return n


def test_the_registry_lists_exactly_the_notebooks():
    assert sorted(NAMES) == sorted(p.stem for p in notebooks_dir().glob("*.ipynb"))
    assert list_reports() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_report_declares_the_contract(name):
    cls = registry.report_class(name)
    assert issubclass(cls, Report) and cls.name == name and cls.title
    assert set(cls.required) <= set(CONTRACT) and cls.required
    keys = [s.key for s in cls.SECTIONS]
    assert keys and len(keys) == len(set(keys))
    for s in cls.SECTIONS:
        assert set(s.needs) | set(s.uses) <= set(CONTRACT), s
        assert s.shows, f"{name}.{s.key}: say what the section shows"
        assert callable(getattr(cls, f"show_{s.key}", None)), f"{name} has no show_{s.key}"
        assert "lang" in inspect.signature(getattr(cls, f"show_{s.key}")).parameters
    entry = registry.entry_point(name)
    assert entry.__name__ == name and "lang" in inspect.signature(entry).parameters


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_thin_and_shows_every_section(name):
    nb = nbformat.read(notebooks_dir() / f"{name}.ipynb", as_version=4)
    assert code_lines(nb) <= MAX_CODE_LINES
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for p in ("data_dir", "start_date", "end_date", "summary_path", "lang"):
        assert re.search(rf"^{p}\b", params[0].source, re.M), p
    shown = []
    for i, c in enumerate(nb.cells):
        keys = re.findall(r"nb\.section\(report, \"(\w+)\"\)", c.source) if c.cell_type == "code" \
            else []
        if keys:
            assert nb.cells[i - 1].cell_type == "markdown", f"markdown before {keys}"
        shown += keys
    assert shown == [s.key for s in registry.report_class(name).SECTIONS]
    checked = [c for c in nb.cells if c.source.startswith("# NBVAL_CHECK_OUTPUT")]
    assert len(checked) == 1 and "nb.finish(report, summary_path)" in checked[0].source


def test_data_contract_page_lists_each_reports_tables():
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "data-contract.md").read_text(
        encoding="utf-8")
    assert registry.tables_table() in page, "run registry.tables_table() and paste it in the page"


def test_package_catalogues_agree_on_every_english_entry():
    """Each package registers its Chinese catalogue into one shared table when it is imported,
    so two packages giving one English entry two translations would make a report's Chinese
    depend on which package happened to be imported first (a retention table's "rate" read
    比率 after another report was loaded). Every entry must have one translation."""
    from importlib import import_module

    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for name in registry.names():
        package = registry.REPORTS[name][0]
        zh = import_module(f"{package}.zh").ZH
        for english, chinese in zh.items():
            first = seen.setdefault(english, (package, chinese))
            if first[1] != chinese:
                clashes.append(f"{english!r}: {first[0]} {first[1]!r}, {package} {chinese!r}")
    assert not clashes, "\n".join(clashes)
