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

