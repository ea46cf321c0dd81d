"""cohort_retention on Spark equals cohort_retention on DuckDB, on the sample data (every section, every figure)."""

from .compare import assert_same, run_both


def test_cohort_retention_on_spark_equals_duckdb(spark):
    duck, spark_doc = run_both(spark, "cohort_retention")
    assert not duck["sections_skipped"], "the sample data runs every section"
    assert assert_same(duck, spark_doc) > 20
