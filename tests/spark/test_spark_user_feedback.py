"""user_feedback on Spark equals user_feedback on DuckDB, on the sample data (every section, every figure)."""

from .compare import assert_same, run_both


def test_user_feedback_on_spark_equals_duckdb(spark):
    duck, spark_doc = run_both(spark, "user_feedback")
    assert not duck["sections_skipped"], "the sample data runs every section"
    assert assert_same(duck, spark_doc) > 20
