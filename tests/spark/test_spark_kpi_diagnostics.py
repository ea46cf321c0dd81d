"""kpi_diagnostics on Spark equals kpi_diagnostics on DuckDB, on the diagnostics sample (every section, every figure)."""

from .compare import assert_same, run_both


def test_kpi_diagnostics_on_spark_equals_duckdb(spark):
    duck, spark_doc = run_both(spark, "kpi_diagnostics")
    assert not duck["sections_skipped"], "the sample data runs every section"
    assert assert_same(duck, spark_doc) > 20
