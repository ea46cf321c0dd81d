"""Run a report notebook with papermill and publish it.

Each run writes ``<out>/<report>/<run-id>/`` holding the executed notebook
(``report.ipynb``, the audit record), the HTML report with the code hidden and
figures embedded (``report.html``) and ``summary.json``. The run is executed in
a temporary folder and moved into place only when it succeeded; ``<out>/<report>/latest``
then points at it. A failed run goes to ``<run-id>-failed/`` with a failed-run
page (``failed.html``) showing the error and the failing cell; the last good
report is left untouched.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
from nbconvert import HTMLExporter

from opsnb.data.source import default_sample_dir
from opsnb.runner.catalog import notebook_path, resolve_parameters
from opsnb.runner.kernel import execute
from opsnb.runner.notebook_outputs import is_checked, without_stderr

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

@dataclass
class RunResult:
    report: str
    run_id: str
    status: str  # "ok" | "failed"
    path: Path
    duration_s: float
    parameters: dict = field(default_factory=dict)
    error: str | None = None
    failing_cell: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def html(self) -> Path:
        return self.path / ("report.html" if self.ok else "failed.html")

    @property
    def summary(self) -> Path:
        return self.path / "summary.json"


def new_run_id() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")[:-4] + "Z"


def export_html(nb: nbformat.NotebookNode, path: Path, title: str | None = None,
                lang: str = "en") -> None:
    """Self-contained HTML with the code hidden (figures are embedded PNG).

    With ``lang="zh"``, markdown cells that carry ``metadata["i18n"]["zh"]`` are shown in Chinese.
    """
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.cells = _without_ci_cells(nb.cells)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and lang != "en":
            translated = cell.get("metadata", {}).get("i18n", {}).get(lang)
            if translated:
                cell.source = translated
        if cell.cell_type == "code":
            cell.outputs = without_stderr(cell.get("outputs", []))
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title or path.stem}})
    path.write_text(body, encoding="utf-8")


def _without_ci_cells(cells: list) -> list:
    """The cells a reader sees: without the cell nbval checks and cells tagged ``ci-only``.

    The checked cell prints the headline as plain, stable text for CI; the report already
    shows the headline at the top, formatted. A markdown cell that introduces the checked cell
    carries the ``ci-only`` tag.
    """
    return [c for c in cells
            if "ci-only" not in c.get("metadata", {}).get("tags", [])
            and not is_checked(c)]


def _title(nb: nbformat.NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def failed_page(report: str, run_id: str, params: dict, error: str, cell_source: str | None,
                traceback: str | None) -> str:
    """The failed-run page. Server paths can appear in the traceback: fine inside a team."""
    esc = html.escape
    rows = "".join(f"<tr><td>{esc(str(k))}</td><td>{esc(json.dumps(v, ensure_ascii=False))}</td></tr>"
                   for k, v in params.items())
    cell = f"<h2>Failing cell</h2><pre>{esc(cell_source)}</pre>" if cell_source else ""
    tb = f"<h2>Traceback</h2><pre>{esc(traceback)}</pre>" if traceback else ""
    return f"""<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>FAILED: {esc(report)} {esc(run_id)}</title>
<style>body{{font-family:sans-serif;margin:1.5em;max-width:60em}}
.err{{background:#fdecea;border-left:5px solid #a4262c;padding:.6em 1em;white-space:pre-wrap}}
pre{{background:#f6f6f6;padding:.6em;overflow-x:auto}} td{{padding:2px 8px;border-bottom:1px solid #eee}}</style>
</head><body><h1>Report failed: {esc(report)}</h1><p>Run {esc(run_id)}. The previous good report
was left in place. The executed notebook is <a href="report.ipynb">report.ipynb</a>.</p>
<div class="err">{esc(error)}</div>{cell}{tb}<h2>Parameters</h2><table>{rows}</table></body></html>"""


def _declared_default(name: str, param: str, notebooks: Path | None) -> str | None:
    from opsnb.runner.catalog import report_parameters
    p = report_parameters(name, notebooks).get(param)
    return p.default.strip("'\"") if p else None


def _point_latest(report_dir: Path, run_dir: Path) -> None:
    link = report_dir / "latest"
    tmp = report_dir / f".latest-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(run_dir.name, target_is_directory=True)
    os.replace(tmp, link)


def run_report(name: str, data: str | os.PathLike | None = None, out: str | os.PathLike = "reports",
               parameters: dict[str, Any] | None = None, run_id: str | None = None,
               progress: bool = True, timeout: int | None = None,
               notebooks: Path | None = None, echo=None,
               report_dir: str | os.PathLike | None = None) -> RunResult:
    """Execute one report; never raises for a failing notebook (see ``RunResult.status``).

    ``report_dir`` replaces the default ``<out>/<name>`` folder the run goes into (the
    scheduler keeps one folder per schedule, several schedules may share a notebook).
    """
    echo = echo or (lambda msg: print(msg, file=sys.stderr))
    src = notebook_path(name, notebooks)
    run_id = run_id or new_run_id()
    report_dir = Path(report_dir).resolve() if report_dir else Path(out).resolve() / name
    report_dir.mkdir(parents=True, exist_ok=True)
    tmp = report_dir / f".tmp-{run_id}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    params = resolve_parameters(name, dict(parameters or {}), notebooks)
    data_dir = data if data is not None else params.pop("data_dir", None)
    params["data_dir"] = str(Path(data_dir).resolve()) if data_dir else str(default_sample_dir())
    params["summary_path"] = str(tmp / "summary.json")
    out_nb = tmp / "report.ipynb"
    t0 = time.perf_counter()
    error = cell_source = traceback = None
    try:
        execute(src, out_nb, params, cwd=tmp, progress=progress, timeout=timeout)
        if not (tmp / "summary.json").exists():
            error = "the notebook finished but did not write summary.json (its summary_path)"
    except pm.PapermillExecutionError as exc:
        error = f"{exc.ename}: {exc.evalue}"
        traceback = _ANSI.sub("", "\n".join(exc.traceback or []))
        try:
            nb = nbformat.read(out_nb, as_version=4)
            cell_source = nb.cells[exc.cell_index].source
        except Exception:  # the output notebook may be unreadable; the error is still shown
            cell_source = None
    except Exception as exc:  # kernel died, timeout, bad notebook: a failed run all the same
        error = f"{type(exc).__name__}: {exc}"
    duration = time.perf_counter() - t0
    public_params = {k: v for k, v in params.items() if k != "summary_path"}

    if error is None:
        nb = nbformat.read(out_nb, as_version=4)
        lang = params.get("lang") or _declared_default(name, "lang", notebooks) or "en"
        export_html(nb, tmp / "report.html", title=_title(nb, name), lang=lang)
        final = report_dir / run_id
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
        _point_latest(report_dir, final)
        return RunResult(name, run_id, "ok", final, duration, public_params)

    page = failed_page(name, run_id, public_params, error, cell_source, traceback)
    (tmp / "failed.html").write_text(page, encoding="utf-8")
    final = report_dir / f"{run_id}-failed"
    if final.exists():
        shutil.rmtree(final)
    os.replace(tmp, final)
    echo(f"opsnb: report {name} FAILED: {error}")
    if cell_source:
        echo("failing cell:\n" + "\n".join("    " + line for line in cell_source.splitlines()))
    echo(f"failed-run page: {final / 'failed.html'}")
    return RunResult(name, run_id, "failed", final, duration, public_params, error, cell_source)
