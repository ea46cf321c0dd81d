"""The data contract's checks run on Spark: the same DataErrors, set-aside rows and types.

Each test of tests/test_data_source.py that reads hand-built CSV tables runs again here, with
the tables opened on Spark (``engine="spark"``): every validation query is an Ibis expression
that Spark runs, and its outcome must be DuckDB's.
"""

from __future__ import annotations

import pytest

import test_data_source as on_duckdb
from conftest import write_tables
from opsnb.data.source import DataSource

SHARED = [
    "test_valid_tables_load_with_contract_types", "test_missing_table_names_table_and_fix",
    "test_missing_column", "test_wrong_type_shows_offending_rows", "test_unparsable_timestamp",
    "test_mixed_timezones", "test_offsets_are_converted_to_utc", "test_duplicate_user_ids",
    "test_negative_revenue", "test_negative_spend", "test_events_before_signup",
    "test_user_in_two_variants", "test_unknown_users_are_set_aside_and_counted",
    "test_repeated_exposure_keeps_first_and_counts", "test_duplicate_competitor_rows",
]
for _name in SHARED:
    globals()[_name] = getattr(on_duckdb, _name)


@pytest.fixture
def tables(spark, tmp_path):
    """``tables(users=..., events=...)`` -> a DataSource over those CSV tables, on Spark."""
    def make(**t):
        src = DataSource.open(write_tables(tmp_path / "data", **t), engine="spark")
        assert src.engine == "spark"
        return src
    return make


def test_every_shared_test_exists():
    assert all(callable(getattr(on_duckdb, n)) for n in SHARED)
