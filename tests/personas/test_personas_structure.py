"""The persona package's structure: no import cycle, no global language setting."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "opsnb" / "personas"


def imported_modules(path: Path) -> set[str]:
    """Every opsnb.personas module ``path`` imports, at module level or inside functions."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m.startswith("opsnb.personas.")}


def test_no_import_cycle_between_modules():
    graph = {f"opsnb.personas.{p.stem}": imported_modules(p) for p in PACKAGE.glob("*.py")
             if p.stem != "__init__"}
    assert "opsnb.personas.clustering" not in graph["opsnb.personas.stability"]

    def reach(start):
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    cycles = [m for m in graph if m in reach(m)]
    assert not cycles, cycles


@pytest.mark.parametrize("module", ["stability", "clustering"])
def test_each_module_imports_alone(module):
    done = subprocess.run([sys.executable, "-c", f"import opsnb.personas.{module}"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_no_module_reads_the_global_language():
    for path in PACKAGE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for banned in ("set_language", "language()", "import t as", "import t\n",
                       "import language"):
            assert banned not in text, f"{path.name}: {banned}"
