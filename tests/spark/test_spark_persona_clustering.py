"""persona_clustering on Spark equals persona_clustering on DuckDB, on the sample data (every section, every figure)."""

from .compare import assert_same, run_both


def test_persona_clustering_on_spark_equals_duckdb(spark):
    # one bootstrap refit: the refits are statistics on the same features, which the comparison
    # checks anyway; the engine's work (the per-user features) is the same at any n_boot
    duck, spark_doc = run_both(spark, "persona_clustering", n_boot=1)
    assert not duck["sections_skipped"], "the sample data runs every section"
    assert assert_same(duck, spark_doc) > 20
