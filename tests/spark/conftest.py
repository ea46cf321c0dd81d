"""One Spark session for the Spark tests: pyspark ``local[2]``, small shuffles, no UI.

The tests carry the ``spark`` marker: ``pytest -m "not spark"`` skips them on a developer's
machine. Without Java 17 they are skipped there with a message naming ``make java``; under CI
(``CI`` set) they fail instead, so CI always runs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from opsnb.data.source import DataSource

ON_CI = os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/spark/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.spark)


def _java_problem() -> str | None:
    java = shutil.which("java")
    if java is None:
        return "no java on PATH"
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    try:
        major = int(out.split('"')[1].split(".")[0])
    except (IndexError, ValueError):
        return f"cannot read the Java version from {out[:80]!r}"
    return None if major >= 17 else f"Java {major} found; Spark 4 needs 17 or newer"


@pytest.fixture(scope="session")
def spark():
    problem = _java_problem()
    if problem:
        message = f"Spark tests need Java 17+ ({problem}); run `make java`"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("opsnb-tests")
               .config("spark.sql.shuffle.partitions", "1")
               .config("spark.default.parallelism", "2")
               # small data: adaptive execution adds a job per shuffle stage and saves nothing
               .config("spark.sql.adaptive.enabled", "false")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.memory", "2g")
               .config("spark.sql.session.timeZone", "UTC")
               # kilobytes per query: compiling whole-stage Java code costs more than it saves
               # (the KPI comparison: 59 s with it, 43 s without, on a shared 2-core machine)
               .config("spark.sql.codegen.wholeStage", "false")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture
def spark_tables(spark, tmp_path):
    """``spark_tables(users=..., events=...)`` -> (DuckDB source, Spark source) over the same CSVs."""
    from conftest import write_tables

    def make(**t):
        folder = write_tables(tmp_path / "data", **t)
        return DataSource.open(folder), DataSource.open(folder, engine="spark")
    return make
