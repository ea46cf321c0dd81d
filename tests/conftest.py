from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from opsnb.data.source import DataSource, default_sample_dir

ROOT = Path(__file__).resolve().parents[1]

# the tests (and the notebook kernels nbval starts) keep their validation cache to themselves
os.environ.setdefault("OPSNB_CACHE_DIR", tempfile.mkdtemp(prefix="opsnb-test-cache-"))


# How pytest-xdist shares the tests between its two workers (a scheduler of our own, below):
# - a test file stays on one worker (its module fixtures are computed once, a notebook's cells
#   run in order in one kernel), as with ``--dist loadfile``;
# - every Spark test runs on one worker, so one JVM starts and warms up (a second session on
#   the other worker cost ~20 s to start and ran its first report ~2x slower);
# - the report x data-shape matrix is split per report, so no worker carries all of it;
# - the longest groups (the real-Airflow run, which installs Airflow, then Spark, then the
#   matrix) start first and the short files fill in behind them.
_FIRST = ("tests/test_schedule_airflow_real.py", "tests/spark/", "tests/test_report_shapes.py")


def _scope(nodeid: str) -> str:
    path = nodeid.split("::")[0]
    if path.startswith("tests/spark/"):
        return "spark"
    if path == "tests/test_report_shapes.py" and "[" in nodeid:
        return "shapes-" + nodeid.split("[", 1)[1].split("-", 1)[0]
    return path


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class Grouped(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _scope(nodeid)

    config.option.loadscopereorder = False  # keep the order of pytest_collection_modifyitems
    return Grouped(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    def rank(item):
        path = item.nodeid.split("::")[0]
        return next((i for i, p in enumerate(_FIRST) if path.startswith(p)), len(_FIRST))
    items.sort(key=rank)  # stable: files keep their order inside each rank


def write_tables(folder: Path, **tables: pd.DataFrame | str) -> Path:
    """Write contract tables as CSV (a DataFrame) or raw CSV text (a str) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, t in tables.items():
        path = folder / f"{name}.csv"
        if isinstance(t, str):
            path.write_text(t.strip() + "\n", encoding="utf-8")
        else:
            t.to_csv(path, index=False)
    return folder


@pytest.fixture
def tables(tmp_path):
    """``tables(users=..., events=...)`` -> an opened DataSource over those CSV tables."""
    def make(**t):
        return DataSource.open(write_tables(tmp_path / "data", **t))
    return make


@pytest.fixture(scope="session")
def sample_source() -> DataSource:
    return DataSource.open(default_sample_dir())


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads((default_sample_dir() / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory) -> Path:
    """A second, small generated data set (another directory in the contract)."""
    from opsnb.data.sample import generate
    out = tmp_path_factory.mktemp("small_sample")
    generate(out, seed=3, n_users=600)
    return out


CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese(text: str) -> bool:
    """Does the text hold Chinese characters (for the lang=zh tests)?"""
    return bool(CJK.search(text))


@pytest.fixture(scope="session")
def shape_dir(tmp_path_factory):
    """``shape_dir("four_weeks")`` -> a folder with that data shape (opsnb.data.shapes), made
    once per test session."""
    from opsnb.data.shapes import make_shape

    root = tmp_path_factory.mktemp("shapes")
    made: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in made:
            made[name] = make_shape(name, root / name)
        return made[name]
    return get

