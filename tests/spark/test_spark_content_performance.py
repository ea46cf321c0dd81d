"""content_performance on Spark equals content_performance on DuckDB, on the sample data (every section, every figure)."""

from .compare import assert_same, run_both


def test_content_performance_on_spark_equals_duckdb(spark):
    duck, spark_doc = run_both(spark, "content_performance")
    assert not duck["sections_skipped"], "the sample data runs every section"
    assert assert_same(duck, spark_doc) > 20
