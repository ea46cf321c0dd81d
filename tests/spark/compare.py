"""Comparing a report's results on Spark with DuckDB's."""

from __future__ import annotations


# ------------------------------------------------------------------------------ comparisons
IGNORED = {"data_source"}  # where the data was read from: a directory, or a Spark path


def assert_same(a, b, where: str = "summary", rel: float = 1e-9) -> int:
    """Spark's result equals DuckDB's: counts and text exactly, floats to ``rel``.

    Returns the number of values compared (so a test can check it compared something).
    """
    import math

    if isinstance(a, dict):
        assert isinstance(b, dict), f"{where}: {type(b).__name__} instead of a mapping"
        keys = set(a) - IGNORED
        assert keys == set(b) - IGNORED, f"{where}: keys differ: {sorted(keys ^ (set(b) - IGNORED))}"
        return sum(assert_same(a[k], b[k], f"{where}.{k}", rel) for k in sorted(keys))
    if isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple)) and len(a) == len(b), \
            f"{where}: {len(a)} items on DuckDB, {len(b) if isinstance(b, (list, tuple)) else b!r} on Spark"
        return sum(assert_same(x, y, f"{where}[{i}]", rel) for i, (x, y) in enumerate(zip(a, b)))
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None or isinstance(a, str):
        assert a == b, f"{where}: {a!r} on DuckDB, {b!r} on Spark"
        return 1
    if isinstance(a, int) and isinstance(b, int):
        assert a == b, f"{where}: count {a} on DuckDB, {b} on Spark"
        return 1
    fa, fb = float(a), float(b)
    if math.isnan(fa) or math.isnan(fb):
        assert math.isnan(fa) and math.isnan(fb), f"{where}: {a!r} on DuckDB, {b!r} on Spark"
        return 1
    assert math.isclose(fa, fb, rel_tol=rel, abs_tol=1e-12), f"{where}: {a!r} on DuckDB, {b!r} on Spark"
    return 1


def run_both(spark, name: str, data_dir=None, **params):
    """The report ``name`` run on DuckDB and on Spark, as their summary documents."""
    import json

    from opsnb import registry

    entry = registry.entry_point(name)
    docs = []
    for engine in ("duckdb", "spark"):
        report = entry(data_dir, engine=engine, **params)
        doc = json.loads(json.dumps(report.summary(), default=str))
        assert doc["parameters"].pop("engine") == engine
        docs.append(doc)
    return docs
