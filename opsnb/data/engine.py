"""Engines: where the event-level work of a report runs.

* ``duckdb`` (the default): embedded DuckDB in the report's own process.
* ``spark``: the Spark session of ``SparkSession.builder.getOrCreate()``, so spark-submit,
  ``SPARK_REMOTE`` (Spark Connect) or the cluster's defaults decide where it runs.

Every report writes its event-level work once, as Ibis expressions; only small aggregates come
back to pandas. What the engines return differs in small ways that the statistics code must never
see, so results from Spark pass through :func:`normalise_frame`:

* time stamps come back naive (UTC) in microseconds, as DuckDB gives them (Spark gives ns);
* time-zone-aware columns are converted to UTC and made naive.

Spark gaps that opsnb works around (found on ibis 12 + pyspark 4.0):

* ``nunique().over(window)`` is not supported (DISTINCT_WINDOW_FUNCTION_UNSUPPORTED): opsnb counts
  distinct users with a group-by and a join instead;
* ``as_timestamp`` takes seconds only and ``ts.bucket()`` does not compile: opsnb truncates with
  ``truncate``/``date`` and builds periods with date arithmetic (:mod:`opsnb.data.periods`);
* ibis sets the session time zone to UTC on connect; opsnb's timestamps are UTC anyway;
* ``approx_nunique`` differs between engines: reports count exactly (``nunique``);
* temporary tables are not supported: intermediate results are cached (``Table.cache``);
* two compile rules are added to ibis 12's PySpark compiler: the bitwise-or aggregate
  (``bit_or``, which Spark has) and a left shift whose left side keeps its 64-bit type.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from opsnb.errors import ParameterError

ENGINES = ("duckdb", "spark")


def check_engine(engine: Any) -> str:
    """The engine name, checked (``duckdb`` or ``spark``).

    >>> check_engine("Spark")
    'spark'
    >>> check_engine("polars")
    Traceback (most recent call last):
    ...
    opsnb.errors.ParameterError: engine='polars' is not an engine opsnb runs on; use one of: duckdb, spark
    """
    name = str(engine or "duckdb").strip().lower()
    if name not in ENGINES:
        raise ParameterError(f"engine={engine!r} is not an engine opsnb runs on; use one of: "
                             + ", ".join(ENGINES))
    return name


# ---------------------------------------------------------------------------------------- Spark
# settings for a session that opsnb itself starts (none is changed on a session that exists)
LOCAL_DEFAULTS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "8",
    "spark.sql.session.timeZone": "UTC",
}


def spark_session():
    """The active Spark session, or a new one from ``SparkSession.builder.getOrCreate()``.

    A session that already exists (spark-submit, a notebook on a cluster, Databricks, a test's
    shared session) is used as it is. ``SPARK_REMOTE`` makes the builder connect to Spark Connect.
    A session that opsnb starts itself gets the progress bar and UI off (they would print into the
    notebook) and few shuffle partitions (``OPSNB_SPARK_SHUFFLE_PARTITIONS``, default 8); the master
    is whatever the environment says (``local[*]`` when nothing does).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - pyspark is a dependency
        raise ParameterError("engine='spark' needs pyspark: pip install "
                             "'ibis-framework[pyspark]'") from exc
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder
    if not os.environ.get("SPARK_REMOTE"):
        log4j = Path(__file__).with_name("spark-log4j2.properties")
        builder = builder.config("spark.driver.extraJavaOptions",
                                 f"-Dlog4j2.configurationFile={log4j.as_uri()}")
        for key, value in LOCAL_DEFAULTS.items():
            if key == "spark.sql.shuffle.partitions":
                value = os.environ.get("OPSNB_SPARK_SHUFFLE_PARTITIONS", value)
            builder = builder.config(key, value)
    session = builder.getOrCreate()
    try:
        session.sparkContext.setLogLevel("ERROR")
    except Exception:  # noqa: BLE001 - Spark Connect has no SparkContext; the level stays
        pass
    return session


def _backend_class():
    import ibis
    from ibis.backends.pyspark import Backend
    from ibis.backends.sql.compilers.pyspark import PySparkCompiler

    ibis.pyspark  # noqa: B018 - loading the backend registers its options (options.pyspark)
    # ibis 12 has no PySpark rule for the bitwise-or aggregate, which Spark SQL has (bit_or);
    # the personas' day bitmasks use it
    if getattr(PySparkCompiler.visit_BitOr, "__name__", "") == "visit_Undefined":
        PySparkCompiler.visit_BitOr = _visit_bit_or
    # ibis 12 compiles `ibis.literal(1, "int64") << n` to SHIFTLEFT(1, n): Spark reads the bare 1
    # as a 32-bit INT and the shift overflows from n = 31; cast the left side to the result type
    PySparkCompiler.visit_BitwiseLeftShift = _visit_shift_left

    class OpsnbSpark(Backend):
        """The Ibis PySpark backend with results normalised to what DuckDB returns."""

        def execute(self, expr, /, *, params=None, limit=None, **kwargs):
            return normalise_result(super().execute(expr, params=params, limit=limit, **kwargs))

    return OpsnbSpark


def _visit_bit_or(self, op, *, arg, where):
    return self.agg.bit_or(arg, where=where)


def _visit_shift_left(self, op, *, left, right):
    import sqlglot.expressions as sge

    return sge.BitwiseLeftShift(this=self.cast(left, op.dtype), expression=right)


def duckdb_connect(*args, **kwargs) -> Any:
    """An Ibis DuckDB connection whose results convert to pandas through Arrow.

    ibis 12's DuckDB ``execute`` turns every result column that holds a null into Python
    objects (``to_pylist``) before converting it: 14 of the 36 s of the churn features'
    query at 100M events (4.6M rows with null sums and times). Arrow's own conversion gives
    the same frame (``tests/test_engine.py`` compares the two on every type with nulls);
    nested and dictionary columns keep ibis's path.
    """
    return duckdb_backend_class()().connect(*args, **kwargs)


def duckdb_backend_class() -> type:
    """The class of :func:`duckdb_connect`'s connections (one per process)."""
    global _DUCKDB
    if _DUCKDB is None:
        _DUCKDB = _duckdb_class()
    return _DUCKDB


def _duckdb_class() -> type:
    from ibis.backends.duckdb import Backend

    class OpsnbDuckDB(Backend):
        """The Ibis DuckDB backend, with nullable columns converted by Arrow."""

        def execute(self, expr, /, *, params=None, limit=None, **kwargs):
            import pandas as pd
            import pyarrow.types as pat
            from ibis.backends.duckdb.converter import DuckDBPandasData

            rel = self._to_duckdb_relation(expr, params=params, limit=limit, **kwargs)
            table = rel.to_arrow_table()
            if any(pat.is_nested(t) or pat.is_dictionary(t) for t in table.schema.types):
                df = pd.DataFrame({
                    name: (col.to_pylist() if pat.is_nested(col.type) or pat.is_dictionary(col.type)
                           else col.to_pandas())
                    for name, col in zip(table.column_names, table.columns)})
            else:
                df = table.to_pandas()
            del table
            df = DuckDBPandasData.convert_table(df, expr.as_table().schema())
            return expr.__pandas_result__(df)

    OpsnbDuckDB.name = Backend.name
    return OpsnbDuckDB


_DUCKDB = None
_BACKEND = None


def spark_backend(session: Any = None) -> Any:
    """An Ibis connection to ``session`` (default: :func:`spark_session`) with normalised results."""
    global _BACKEND
    if _BACKEND is None:
        _BACKEND = _backend_class()
    session = session if session is not None else spark_session()
    con = _BACKEND()
    con.do_connect(session)
    return con


def spark_path_exists(session: Any, path: str) -> bool:
    """Whether ``path`` (a file or a folder of parts; local, hdfs://, s3a://, ...) exists."""
    if "://" not in path or path.startswith("file://"):
        return os.path.exists(path.removeprefix("file://"))
    try:  # Hadoop's file system of the path, through the JVM of a classic session
        jvm = session._jvm
        conf = session._jsc.hadoopConfiguration()
        p = jvm.org.apache.hadoop.fs.Path(path)
        return bool(p.getFileSystem(conf).exists(p))
    except Exception:  # noqa: BLE001 - Spark Connect has no JVM here: try to read the schema
        try:
            session.read.format("parquet" if path.endswith(".parquet") else "csv").load(path).schema
            return True
        except Exception:  # noqa: BLE001
            return False


def is_spark(con: Any) -> bool:
    return getattr(con, "name", "") == "pyspark"


def normalise_result(result: Any) -> Any:
    """A Spark result as DuckDB gives it: naive UTC time stamps in microseconds."""
    if isinstance(result, pd.DataFrame):
        return normalise_frame(result)
    if isinstance(result, pd.Series):
        return _normalise_series(result)
    if isinstance(result, pd.Timestamp):
        ts = result.tz_convert("UTC").tz_localize(None) if result.tzinfo else result
        return ts.as_unit("us")
    return result


def normalise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Every time-stamp column naive UTC in microseconds.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"at": pd.to_datetime(["2026-05-01 08:00"]).tz_localize("Asia/Shanghai")})
    >>> out = normalise_frame(df)
    >>> str(out["at"].dtype), str(out["at"].iloc[0])
    ('datetime64[us]', '2026-05-01 00:00:00')
    """
    changed = {c: _normalise_series(df[c]) for c in df.columns
               if isinstance(df[c].dtype, pd.DatetimeTZDtype)
               or pd.api.types.is_datetime64_dtype(df[c].dtype)}
    if not changed:
        return df
    out = df.copy()
    for c, s in changed.items():
        out[c] = s
    return out


def _normalise_series(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(s.dtype):
        return s.astype("datetime64[us]")
    return s
