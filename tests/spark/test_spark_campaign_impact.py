"""campaign_impact on Spark equals campaign_impact on DuckDB, on the campaign sample (every
section, every figure): the regional campaign and the participant campaign."""

from .compare import assert_same, run_both


def test_campaign_impact_on_spark_equals_duckdb(spark):
    duck, spark_doc = run_both(spark, "campaign_impact", campaign_id="C-ZJ-PUSH", placebo_runs=5)
    assert not duck["sections_skipped"].keys() - {"participants"}
    assert assert_same(duck, spark_doc) > 50


def test_participant_campaign_on_spark_equals_duckdb(spark):
    duck, spark_doc = run_both(spark, "campaign_impact", campaign_id="C-CHECKIN")
    assert "participants" not in duck["sections_skipped"]
    assert assert_same(duck, spark_doc) > 20
