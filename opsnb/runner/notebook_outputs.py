"""Keep stored outputs only on the cells nbval checks.

nbval (lax mode) compares the outputs of cells marked ``# NBVAL_CHECK_OUTPUT``
with the outputs stored in the notebook; every other cell must merely run. This
module executes a notebook on the sample data and stores the outputs of the
checked cells only, so the committed notebooks stay small and free of figures.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat

from opsnb.runner.kernel import execute

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def is_checked(cell) -> bool:
    """Whether nbval compares this cell's output (a code cell starting with CHECK_MARK)."""
    return cell.cell_type == "code" and cell.source.lstrip().startswith(CHECK_MARK)


def without_stderr(outputs: list) -> list:
    """The outputs a reader (or nbval) should see: warnings on stderr left out."""
    return [o for o in outputs
            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]


def strip_outputs(nb: nbformat.NotebookNode, keep_checked: bool = True) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        checked = keep_checked and is_checked(cell)
        if not checked:
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
    nb.metadata.pop("papermill", None)
    return nb


def refresh_checked_outputs(path: str | Path) -> None:
    """Execute ``path`` with its default parameters and store the checked cells' outputs."""
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / path.name
        execute(path, out, cwd=path.parent)
        executed = nbformat.read(out, as_version=4)
    source = nbformat.read(path, as_version=4)
    by_id = {c.get("id"): c for c in executed.cells}
    for cell in source.cells:
        if cell.cell_type == "code":
            done = by_id.get(cell.get("id"))
            if done is not None and is_checked(cell):
                cell.outputs = without_stderr(done.outputs)
                cell.execution_count = 1
    nbformat.write(strip_outputs(source), path)
