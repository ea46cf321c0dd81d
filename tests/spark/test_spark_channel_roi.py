"""channel_roi on Spark equals channel_roi on DuckDB, on the sample data (every section, every figure)."""

from .compare import assert_same, run_both


def test_channel_roi_on_spark_equals_duckdb(spark):
    duck, spark_doc = run_both(spark, "channel_roi")
    assert not duck["sections_skipped"], "the sample data runs every section"
    assert assert_same(duck, spark_doc) > 20


def test_mix_model_with_controls_on_revenue_on_spark_equals_duckdb(spark):
    """The controls table and the revenue target (the campaign sample: no touchpoints, so the
    attribution section is left out, with a line naming the source, which differs by engine)."""
    from opsnb.campaigns import campaigns_sample_dir

    duck, spark_doc = run_both(spark, "channel_roi", str(campaigns_sample_dir()),
                               controls=["promo_season"], mmm_target="revenue", n_bootstrap=20)
    for doc in (duck, spark_doc):
        assert doc["sections_skipped"].pop("attribution")["values"]["table"] == "touchpoints"
    assert duck["mmm"]["controls"]["used"] == ["promo_season"]
    assert assert_same(duck, spark_doc) > 20
