"""The engine layer without a Spark session: names, result normalisation, forbidden constructs."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from opsnb.data.engine import check_engine, normalise_frame, normalise_result
from opsnb.errors import ParameterError
from opsnb.runner.run import _data_location

PACKAGE = Path(__file__).resolve().parents[1] / "opsnb"
# constructs that fail or differ on Spark (issue 13's trial): never in the event-level code
FORBIDDEN = {
    r"\.approx_nunique\(": "approximate distinct counts differ between engines: count exactly",
    r"\.approx_median\(": "approximate quantiles differ between engines",
    r"nunique\(\)\.over\(": "DISTINCT_WINDOW_FUNCTION_UNSUPPORTED on Spark",
    r"\.bucket\(": "TimestampBucket does not compile on PySpark",
    r"create_table\([^)]*temp=True": "Spark has no temporary tables: use source.materialize",
}


def test_engine_names():
    assert check_engine(None) == "duckdb" and check_engine(" SPARK ") == "spark"
    with pytest.raises(ParameterError, match="engine='bigquery'.*duckdb, spark"):
        check_engine("bigquery")


def test_results_are_normalised_to_naive_utc_microseconds():
    aware = pd.Series(pd.to_datetime(["2026-05-01 08:00", None]).tz_localize("Asia/Shanghai"))
    ns = pd.Series(pd.to_datetime(["2026-05-01 00:00:00.000001"])).astype("datetime64[ns]")
    df = normalise_frame(pd.DataFrame({"a": aware, "b": [ns[0], ns[0]], "n": [1, 2]}))
    assert str(df["a"].dtype) == str(df["b"].dtype) == "datetime64[us]"
    assert df["a"].iloc[0] == pd.Timestamp("2026-05-01 00:00") and pd.isna(df["a"].iloc[1])
    assert df["b"].iloc[0] == pd.Timestamp("2026-05-01 00:00:00.000001")
    assert df["n"].tolist() == [1, 2]
    ts = normalise_result(pd.Timestamp("2026-05-01 08:00", tz="Asia/Shanghai"))
    assert ts == pd.Timestamp("2026-05-01 00:00") and ts.tzinfo is None and ts.unit == "us"
    assert normalise_result(3) == 3


def test_no_construct_that_breaks_on_spark():
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "engine.py":
            continue
        text = path.read_text(encoding="utf-8")
        for pattern, why in FORBIDDEN.items():
            if "temp=True" in pattern and path.name == "source.py":
                continue  # the loader's DuckDB path; on Spark it caches (DataSource._finish)
            for m in re.finditer(pattern, text):
                line = text[: m.start()].count("\n") + 1
                found.append(f"{path.relative_to(PACKAGE)}:{line}: {why}")
    assert found == []


def test_data_locations_kept_as_given_or_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _data_location("hdfs://nn/exports/app") == "hdfs://nn/exports/app"
    assert _data_location("spark:main.analytics") == "spark:main.analytics"
    assert _data_location("data") == str(tmp_path / "data")
    assert _data_location("").endswith("data/sample")


def test_every_report_is_compared_on_spark_and_takes_engine():
    import inspect

    from opsnb import registry

    spark_tests = Path(__file__).resolve().parent / "spark"
    for name in registry.names():
        assert (spark_tests / f"test_spark_{name}.py").exists(), (
            f"add tests/spark/test_spark_{name}.py: {name} on Spark must equal DuckDB")
        params = inspect.signature(registry.entry_point(name)).parameters
        assert params["engine"].default == "duckdb", name


def test_duckdb_results_through_arrow_equal_ibis_conversion():
    """opsnb's DuckDB connection converts nullable columns with Arrow instead of ibis's
    Python objects; the frames are equal for every type a report reads back."""
    import ibis

    from opsnb.data.engine import duckdb_connect

    sql = """select * from (values
        (1::bigint, 1.5::double, timestamp '2026-01-01 10:00:00', true, 'a', date '2026-01-01',
         3::int, 2.5::decimal(10,2), timestamptz '2026-01-01 10:00:00+08', [1, 2], 7::tinyint),
        (null, null, null, null, null, null, null, null, null, null, null),
        (9007199254740993::bigint, 'nan'::double, timestamp '1970-01-01', false, '中文', null,
         -1::int, null, null, [], null))
        v(i, f, ts, b, s, d, i32, dec, tz, arr, i8)"""
    ours = duckdb_connect()
    stock = ibis.duckdb.connect()
    for con in (ours, stock):
        con.raw_sql("SET TimeZone = 'UTC'")
    got, want = ours.sql(sql).to_pandas(), stock.sql(sql).to_pandas()
    pd.testing.assert_frame_equal(got, want)
    assert got["i"].isna().sum() == 1 and got["s"].tolist()[2] == "中文"
    # without a nested or dictionary column the whole table converts in one call
    flat = f"select * exclude (arr) from ({sql})"
    pd.testing.assert_frame_equal(ours.sql(flat).to_pandas(), stock.sql(flat).to_pandas())
