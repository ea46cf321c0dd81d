"""content_performance on Spark equals content_performance on DuckDB, on the content sample
(every section, every figure)."""

from .compare import assert_same, run_both


def test_content_performance_on_spark_equals_duckdb(spark):
    from opsnb.content import content_sample_dir

    duck, spark_doc = run_both(spark, "content_performance", str(content_sample_dir()),
                               start_date="2026-08-01", end_date="2026-10-31")
    assert not duck["sections_skipped"], "the content sample runs every section"
    assert assert_same(duck, spark_doc, rel=1e-6) > 1000
