"""Ways in to Spark: a folder path, an Ibis PySpark connection, the Spark catalog, and the
notebook run by `opsnb run --engine spark`; each gives DuckDB's numbers on the hand-worked KPI
fixture of tests/kpi (three users over ten days)."""

from __future__ import annotations

import json

import ibis
import pandas as pd
import pytest

from conftest import write_tables
from kpi.conftest import EVENTS, USERS
from opsnb.data.source import DataSource
from opsnb.errors import DataError, ParameterError
from opsnb.kpi import kpi_overview

from .compare import assert_same

WINDOW = dict(start_date="2026-05-01", end_date="2026-05-10", period="day", mau_days=7)


@pytest.fixture
def folder(tmp_path):
    return write_tables(tmp_path / "data", users=USERS, events=EVENTS)


def _doc(report) -> dict:
    doc = json.loads(json.dumps(report.summary(), default=str))
    doc["parameters"].pop("engine")
    doc["parameters"].pop("data_dir")
    return doc


def test_folder_on_spark_equals_duckdb_and_the_hand_worked_numbers(spark, folder):
    duck = kpi_overview(str(folder), **WINDOW)
    on_spark = kpi_overview(str(folder), engine="spark", **WINDOW)
    assert on_spark.source.engine == "spark" and on_spark.parameters["engine"] == "spark"
    # worked by hand: a, b, c active; revenue 100 + 50 + 30; a and b paid
    h = on_spark.headline()
    assert (h["active_users"], h["paying_users"], h["revenue"]) == (3, 2, 180.0)
    assert assert_same(_doc(duck), _doc(on_spark)) > 50


def test_ibis_pyspark_connection_is_a_source(spark, folder):
    con = ibis.pyspark.connect(spark)
    for name in ("users", "events"):
        df = spark.read.csv(str(folder / f"{name}.csv"), header=True)
        df.createOrReplaceTempView(name)
    src = DataSource.open(con)
    assert src.engine == "spark" and src.available == ["users", "events"]
    ev = src.table("events").to_pandas()
    # normalised like DuckDB: naive UTC time stamps in microseconds
    assert str(ev["event_at"].dtype) == "datetime64[us]"
    assert ev["revenue"].sum() == pytest.approx(180.0)
    duck = kpi_overview(str(folder), **WINDOW)
    assert assert_same(_doc(duck), _doc(kpi_overview(src, **WINDOW))) > 50


def test_spark_catalog_database(spark, folder):
    spark.sql("CREATE DATABASE IF NOT EXISTS opsnb_catalog_test")
    for name in ("users", "events"):
        df = pd.read_csv(folder / f"{name}.csv", dtype=str)
        spark.createDataFrame(df).write.mode("overwrite").saveAsTable(
            f"opsnb_catalog_test.{name}")
    try:
        report = kpi_overview("spark:opsnb_catalog_test", engine="spark", **WINDOW)
        assert report.source.description == "Spark catalog opsnb_catalog_test"
        assert assert_same(_doc(kpi_overview(str(folder), **WINDOW)), _doc(report)) > 50
        with pytest.raises(DataError, match="cannot be read"):
            DataSource.open("spark:no_such_database_here", engine="spark")
    finally:
        spark.sql("DROP DATABASE IF EXISTS opsnb_catalog_test CASCADE")


def test_unknown_engine_and_missing_folder(spark, tmp_path):
    with pytest.raises(ParameterError, match="use one of: duckdb, spark"):
        kpi_overview(engine="polars")
    with pytest.raises(DataError, match="is not a directory"):
        DataSource.open(tmp_path / "nowhere", engine="spark")
    with pytest.raises(DataError) as e:  # a required table that is missing: same error as DuckDB
        kpi_overview(str(write_tables(tmp_path / "only_users", users=USERS)), engine="spark")
    assert e.value.table == "events"


def test_opsnb_run_with_engine_spark_gives_duckdb_headline(folder, tmp_path, spark):
    """The notebook itself, run by papermill with engine=spark (its kernel starts its own
    local Spark session), writes the same headline as with DuckDB."""
    from opsnb.runner.run import run_report

    res = run_report("kpi_overview", data=str(folder), out=tmp_path / "spark", progress=False,
                     parameters={**WINDOW, "engine": "spark"})
    assert res.ok, res.error
    doc = json.loads(res.summary.read_text(encoding="utf-8"))
    assert doc["parameters"]["engine"] == "spark"
    # as summary.json writes it: a number that cannot be computed (NaN) is null
    duck = json.loads(json.dumps(kpi_overview(str(folder), **WINDOW).headline(),
                                 default=str).replace("NaN", "null"))
    assert assert_same(duck, doc["headline"]) > 10
