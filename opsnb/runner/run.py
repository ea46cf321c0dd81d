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


def _data_location(data_dir) -> str:
    """A local folder or file made absolute (the kernel runs elsewhere); a URI (hdfs://, s3a://)
    or a Spark catalog database (spark:db) as given; the sample data when empty."""
    if not data_dir:
        return str(default_sample_dir())
    text = str(data_dir)
    if "://" in text or text.startswith("spark:"):
        return text
    return str(Path(text).expanduser().resolve())


@dataclass
class StagedRun:
    """A run ready to execute: notebook ``notebook`` runs into ``tmp/report.ipynb`` with
    ``params`` (``summary_path`` inside ``tmp``); :func:`finish_run` then publishes it.

    ``opsnb run`` and ``opsnb schedule run`` execute it with :func:`run_report`; the Airflow DAG
    of ``opsnb schedule airflow`` with the papermill provider's operator
    (``opsnb.schedule.airflow``).
    """
    name: str
    run_id: str
    notebook: Path
    report_dir: Path
    tmp: Path
    params: dict
    notebooks: Path | None = None

    @property
    def output_nb(self) -> Path:
        return self.tmp / "report.ipynb"


def stage_run(name: str, data: str | os.PathLike | None = None,
              out: str | os.PathLike = "reports", parameters: dict[str, Any] | None = None,
              run_id: str | None = None, notebooks: Path | None = None,
              report_dir: str | os.PathLike | None = None) -> StagedRun:
    """Check the parameters and make an empty ``<report_dir>/.tmp-<run_id>/`` to run in."""
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
    params["data_dir"] = _data_location(data_dir)
    params["summary_path"] = str(tmp / "summary.json")
    return StagedRun(name, run_id, src, report_dir, tmp, params, notebooks)


def execution_failure(exc: BaseException, out_nb: Path) -> tuple[str, str | None, str | None]:
    """(error, failing cell source, traceback) of an exception raised while executing."""
    if not isinstance(exc, pm.PapermillExecutionError):
        # kernel died, timeout, bad notebook: a failed run all the same
        return f"{type(exc).__name__}: {exc}", None, None
    traceback = _ANSI.sub("", "\n".join(exc.traceback or []))
    try:
        nb = nbformat.read(out_nb, as_version=4)
        # the cell with the error output: papermill inserts its marker cells before it in the
        # saved notebook, so exc.cell_index points at the cell before
        failing = [c for c in nb.cells
                   if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
        cell_source = failing[-1].source if failing else nb.cells[exc.cell_index].source
    except Exception:  # the output notebook may be unreadable; the error is still shown
        cell_source = None
    return f"{exc.ename}: {exc.evalue}", cell_source, traceback


def finish_run(staged: StagedRun, duration: float, error: str | None = None,
               cell_source: str | None = None, traceback: str | None = None,
               echo=None) -> RunResult:
    """Publish an executed run: ``report.html`` and the move to ``<run_id>/`` (``latest`` points
    at it), or, with ``error``, the failed-run page in ``<run_id>-failed/``."""
    echo = echo or (lambda msg: print(msg, file=sys.stderr))
    name, run_id, report_dir, tmp = staged.name, staged.run_id, staged.report_dir, staged.tmp
    params, notebooks = staged.params, staged.notebooks
    if error is None and not (tmp / "summary.json").exists():
        error = "the notebook finished but did not write summary.json (its summary_path)"
    public_params = {k: v for k, v in params.items() if k != "summary_path"}

    if error is None:
        nb = nbformat.read(staged.output_nb, as_version=4)
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


def run_report(name: str, data: str | os.PathLike | None = None, out: str | os.PathLike = "reports",
               parameters: dict[str, Any] | None = None, run_id: str | None = None,
               progress: bool = True, timeout: int | None = None,
               notebooks: Path | None = None, echo=None,
               report_dir: str | os.PathLike | None = None) -> RunResult:
    """Execute one report; never raises for a failing notebook (see ``RunResult.status``).

    ``report_dir`` replaces the default ``<out>/<name>`` folder the run goes into (the
    scheduler keeps one folder per schedule, several schedules may share a notebook).
    """
    staged = stage_run(name, data, out, parameters, run_id, notebooks, report_dir)
    t0 = time.perf_counter()
    error = cell_source = traceback = None
    try:
        execute(staged.notebook, staged.output_nb, staged.params, cwd=staged.tmp,
                progress=progress, timeout=timeout)
    except Exception as exc:
        error, cell_source, traceback = execution_failure(exc, staged.output_nb)
    return finish_run(staged, time.perf_counter() - t0, error, cell_source, traceback, echo)
