"""Data sources: the one loader and validation layer of opsnb.

A source is one of

* a directory holding each contract table as ``<table>.parquet`` or ``<table>.csv``,
* a DuckDB database file holding tables of those names,
* any Ibis connection (DuckDB, Spark, ClickHouse, BigQuery, ...) holding them.

``DataSource.table(name)`` returns an Ibis table expression that has been checked
against the contract (:mod:`opsnb.data.contract`), with columns converted to
their contract types and all timestamps as naive UTC. Every check runs as an
aggregate query in the engine, so validating ten million events costs a few
scans, not a trip through pandas. Bad data raises :class:`opsnb.DataError`;
rows that are set aside (events of unknown users, repeated exposures) are
counted in ``DataSource.set_aside`` and shown by the reports.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import pandas as pd

from opsnb.data.contract import CONTRACT, Column, Table
from opsnb.errors import DataError
from opsnb.data.engine import duckdb_connect

_OFFSET_RE = r"(Z|z|[+-]\d\d(:?\d\d)?)$"
_N_EXAMPLES = 5
# events are validated summed per user (keeping the per-user summary) from this many events per
# user on; below it, over a join with users
_EVENTS_PER_USER_SUMMED = 10
_CONTRACT_DOC = "docs/data-contract.md"


@dataclass(frozen=True)
class SetAside:
    """Rows that were kept out of an analysis, and why."""

    table: str
    n_rows: int
    reason: str

    def __str__(self) -> str:
        return f"{self.n_rows:,} {self.table} rows set aside: {self.reason}"


def default_sample_dir() -> Path:
    """The committed sample data (``data/sample`` of the opsnb checkout)."""
    return Path(__file__).resolve().parents[2] / "data" / "sample"


def own_sample(data_dir, folder: str):
    """``data_dir``, or a report's own sample (``data/sample/<folder>``) when ``data_dir`` is
    empty or the main sample, which lacks that report's tables.

    >>> own_sample("", "campaigns") == default_sample_dir() / "campaigns"
    True
    >>> own_sample("/data/mine", "campaigns")
    '/data/mine'
    """
    if data_dir is None or (isinstance(data_dir, str) and not data_dir.strip()) or (
            isinstance(data_dir, (str, Path)) and Path(data_dir).expanduser().resolve()
            == default_sample_dir().resolve()):
        return default_sample_dir() / folder
    return data_dir


class DataSource:
    """Validated access to the contract's tables on an Ibis backend."""

    def __init__(self, con: Any, raw: dict[str, ibis.Table], description: str,
                 materialize: frozenset[str] = frozenset(),
                 fingerprints: dict[str, str] | None = None) -> None:
        self.con = con
        self._raw = raw
        self.description = description
        self._materialize = materialize
        # per table: a version stamp of its file (path, size, mtime), when the source is files
        self._fingerprints = fingerprints or {}
        self._valid: dict[str, ibis.Table] = {}
        self.set_aside: list[SetAside] = []

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, source: Any = None, engine: str = "duckdb") -> DataSource:
        """Open a directory, a DuckDB file or an Ibis connection (``None``: the sample data).

        With ``engine="spark"`` the source is any path Spark reads (a local folder, ``hdfs://``,
        ``s3a://``, ...) holding ``<table>.parquet`` or ``<table>.csv`` (files or folders of
        parts), or ``spark:<database>`` / ``spark:<catalog>.<database>`` for tables in the Spark
        catalog; the session is :func:`opsnb.data.engine.spark_session`. An Ibis PySpark
        connection works as a source too, whatever ``engine`` says.
        """
        from opsnb.data import engine as engines

        engine = engines.check_engine(engine)
        if isinstance(source, DataSource):
            return source
        if source is None or (isinstance(source, str) and not source.strip()):
            source = default_sample_dir()
        if engines.is_spark(source):
            return cls._from_spark_connection(engines.spark_backend(source._session))
        if engine == "spark" and not (hasattr(source, "list_tables") and hasattr(source, "table")):
            return cls._from_spark(source)
        if isinstance(source, (str, Path)):
            path = Path(source).expanduser()
            if path.is_dir():
                return cls._from_directory(path)
            if path.is_file() and path.suffix in {".duckdb", ".db", ".ddb"}:
                con = engines.duckdb_connect(str(path), read_only=True)
                _set_utc(con)
                src = cls._from_connection(con, f"DuckDB file {path}")
                stamp = _file_stamp(path)
                src._fingerprints = {name: f"{stamp}#{name}" for name in src._raw}
                return src
            raise DataError(
                f"data source {str(path)!r} is neither a directory nor a DuckDB file",
                fix="pass a directory of <table>.csv / <table>.parquet files, a .duckdb file, "
                "or an Ibis connection",
            )
        if hasattr(source, "list_tables") and hasattr(source, "table"):
            return cls._from_connection(source, f"Ibis connection ({source.name})")
        raise DataError(f"cannot use {type(source).__name__} as a data source",
                        fix="pass a directory path, a .duckdb file or an Ibis connection")

    @classmethod
    def _from_directory(cls, path: Path) -> DataSource:
        con = duckdb_connect()
        _set_utc(con)
        raw: dict[str, ibis.Table] = {}
        csv_tables = set()
        stamps = {}
        for name in CONTRACT:
            pq = path / f"{name}.parquet"
            csv = path / f"{name}.csv"
            if pq.exists():
                raw[name] = con.read_parquet(str(pq), table_name=f"raw_{name}")
                stamps[name] = _file_stamp(pq)
            elif csv.exists():
                raw[name] = _read_csv(con, csv, name)
                csv_tables.add(name)
                stamps[name] = _file_stamp(csv)
        return cls(con, raw, f"directory {path}", materialize=frozenset(csv_tables),
                   fingerprints=stamps)

    @classmethod
    def _from_spark(cls, source: Any) -> DataSource:
        """A path Spark reads, or ``spark:<database>``, on the session of the environment."""
        from opsnb.data import engine as engines

        con = engines.spark_backend()
        text = str(source)
        if text.startswith("spark:"):
            database = text[len("spark:"):].strip() or None
            try:
                present = set(con.list_tables(database=database))
            except Exception as exc:  # noqa: BLE001 - any catalog error means: not there
                raise DataError(f"Spark catalog database {database!r} cannot be read: "
                                f"{str(exc).splitlines()[0]}",
                                fix="pass spark:<database> or spark:<catalog>.<database> of "
                                "tables named as in the contract") from None
            raw = {name: con.table(name, database=database) for name in CONTRACT
                   if name in present}
            return cls(con, raw, f"Spark catalog {database or '(current database)'}")
        base = text.rstrip("/")
        if "://" not in base:
            path = Path(base).expanduser().resolve()
            if not path.is_dir():
                raise DataError(f"data source {text!r} is not a directory",
                                fix="pass a folder (local, hdfs://, s3a://, ...) holding "
                                "<table>.parquet or <table>.csv, or spark:<database>")
            base = str(path)
        raw: dict[str, ibis.Table] = {}
        stamps = {}
        csv_tables = set()
        for name in CONTRACT:
            for ext in ("parquet", "csv"):
                where = f"{base}/{name}.{ext}"
                if not engines.spark_path_exists(con._session, where):
                    continue
                if ext == "parquet":
                    raw[name] = con.read_parquet(where, table_name=f"opsnb_raw_{name}_{id(raw):x}")
                else:  # every column as text, like DuckDB's all_varchar: the contract converts
                    raw[name] = con.read_csv(where, table_name=f"opsnb_raw_{name}_{id(raw):x}",
                                             inferSchema=False, header=True, escape='"',
                                             multiLine=True, encoding="UTF-8")
                    csv_tables.add(name)
                if "://" not in where:
                    stamps[name] = "spark|" + _file_stamp(Path(where))
                break
        return cls(con, raw, f"Spark path {text}", materialize=frozenset(csv_tables),
                   fingerprints=stamps)

    @classmethod
    def _from_spark_connection(cls, con: Any) -> DataSource:
        return cls._from_connection(con, "Ibis connection (pyspark)")

    @classmethod
    def _from_connection(cls, con: Any, description: str) -> DataSource:
        present = set(con.list_tables())
        raw = {name: con.table(name) for name in CONTRACT if name in present}
        return cls(con, raw, description)

    # ------------------------------------------------------------------ access
    @property
    def engine(self) -> str:
        """``spark`` or ``duckdb`` (any other Ibis backend counts as ``duckdb``-like SQL)."""
        from opsnb.data.engine import is_spark

        return "spark" if is_spark(self.con) else "duckdb"

    @property
    def available(self) -> list[str]:
        """The contract tables this source holds."""
        return [n for n in CONTRACT if n in self._raw]

    def has(self, name: str) -> bool:
        return name in self._raw

    def require(self, *names: str) -> None:
        """Raise a DataError when one of these tables is missing; validate them all."""
        for name in names:
            self.table(name)

    def table(self, name: str) -> ibis.Table:
        """The validated table, as an Ibis expression."""
        if name not in CONTRACT:
            raise KeyError(f"{name!r} is not a contract table; known: {', '.join(CONTRACT)}")
        if name not in self._valid:
            if name not in self._raw:
                raise DataError(
                    f"table {name!r} is missing from {self.description}",
                    table=name,
                    fix=f"provide {name}.csv or {name}.parquet (see {_CONTRACT_DOC}); "
                    f"this source holds: {', '.join(self.available) or 'no contract tables'}",
                )
            self._valid[name] = self._validate(CONTRACT[name], self._raw[name])
        return self._valid[name]

    def to_pandas(self, name: str) -> pd.DataFrame:
        """A whole validated table as pandas (for the small tables: spend, experiments, ...)."""
        return self.table(name).to_pandas()

    # ------------------------------------------------------------------ validation
    def _validate(self, spec: Table, raw: ibis.Table) -> ibis.Table:
        name = spec.name
        cols = set(raw.columns)
        missing = [c for c in spec.required_columns if c not in cols]
        if missing:
            raise DataError(
                f"required column(s) {', '.join(missing)} missing; found: {', '.join(raw.columns)}",
                table=name,
                column=missing[0],
                fix=f"add or rename the column(s) as in {_CONTRACT_DOC}",
            )
        present = [c for c in spec.columns if c.name in cols]

        conversions = {c.name: _convert(raw[c.name], c) for c in present}
        typed = raw.mutate(**conversions)

        cache_key = self._cache_key(spec)
        record = validation_cache_get(cache_key)
        if record is not None:  # these very files passed every check before: skip the scans
            return self._from_record(spec, typed, record)
        n_aside = len(self.set_aside)

        # one aggregate query for every row-level rule of this table. Rules that cannot fail on
        # the column's type (a typed Parquet column needs no parsing) are left out. For tables
        # that refer to users, the same scan also counts unknown users and events before signup:
        # events are first summed per user (the per-user summary, kept for the reports) and then
        # joined with users; other tables over a left join with users (users' keys are unique,
        # so the join keeps every row once)
        text_times = any(c.dtype == "timestamp" and raw[c.name].type().is_string() for c in present)
        by_user = spec.name == "events" and not text_times and self._many_events_per_user(raw)
        # assignments: unknown users are counted in the per-(experiment, user) query of the keys
        fk_here = spec.user_fk and not by_user and spec.name != "assignments"
        base = raw
        if fk_here:
            users = self.table("users")
            su = users.select(opsnb_uid=users.user_id, opsnb_signup=users.signup_at)
            fk_col = spec.column(spec.user_fk)
            base = raw.left_join(su, _convert(raw[spec.user_fk], fk_col) == su.opsnb_uid)
        rules: dict[str, ibis.Value] = {}  # per row: True where the row breaks the rule
        special: dict[str, ibis.Expr] = {}  # aggregates that are no sum over rows
        for c in present:
            src = base[c.name]
            out = _convert(src, c)
            if _can_fail(src.type(), c):
                rules[f"parse__{c.name}"] = _filled(src) & out.isnull()
            if not c.nullable:
                rules[f"null__{c.name}"] = src.isnull()
            if c.non_negative:
                rules[f"neg__{c.name}"] = out < 0
            if c.dtype == "timestamp" and src.type().is_string():
                aware = src.re_search(_OFFSET_RE)
                rules[f"aware__{c.name}"] = aware
                rules[f"naive__{c.name}"] = src.notnull() & ~aware
                special[f"offsets__{c.name}"] = src.re_extract(_OFFSET_RE, 0).nullif("").nunique()
        key = _single_key(spec)
        if key is not None:  # duplicate keys: a distinct count in the same scan
            special["key__distinct"] = _convert(base[key], spec.column(key)).nunique()
        if by_user:
            counts = self._events_by_user(spec, raw, rules)
        else:
            if fk_here:
                rules["fk__unknown"] = base.opsnb_uid.isnull()
                if spec.name == "events":
                    rules["fk__early"] = (_convert(base.event_at, spec.column("event_at"))
                                          < base.opsnb_signup)
            checks: dict[str, ibis.Expr] = {"__n": base.count()}
            checks.update({k: v.sum() for k, v in rules.items()})
            checks.update(special)
            counts = {k: int(v or 0)
                      for k, v in base.aggregate(**checks).to_pandas().iloc[0].items()}

        for c in present:
            src = raw[c.name]
            if counts.get(f"null__{c.name}", 0):
                self._fail(raw, src.isnull(), counts[f"null__{c.name}"], name, c.name,
                           "empty values in a column that must always be filled",
                           f"fill every {c.name} or drop those rows before loading")
            if counts.get(f"aware__{c.name}", 0) and counts.get(f"naive__{c.name}", 0):
                aware = src.re_search(_OFFSET_RE)
                n = min(counts[f"aware__{c.name}"], counts[f"naive__{c.name}"])
                rows = pd.concat([
                    raw.filter(aware).limit(2).to_pandas(),
                    raw.filter(src.notnull() & ~aware).limit(3).to_pandas(),
                ])
                raise DataError(
                    f"mixed time zones: {counts[f'aware__{c.name}']:,} timestamps carry a UTC offset "
                    f"and {counts[f'naive__{c.name}']:,} do not",
                    table=name, column=c.name, rows=_show(rows, c.name), n_bad=n,
                    fix="export every timestamp in UTC, either all with an offset (+00:00) or all without",
                )
            if counts.get(f"offsets__{c.name}", 0) > 1:
                rows = raw.filter(src.re_search(_OFFSET_RE)).limit(_N_EXAMPLES).to_pandas()
                raise DataError(
                    f"mixed time zones: {counts[f'offsets__{c.name}']} different UTC offsets",
                    table=name, column=c.name, rows=_show(rows, c.name),
                    fix="convert every timestamp to UTC before exporting",
                )
            if counts.get(f"parse__{c.name}", 0):
                expected = {"timestamp": "a timestamp such as 2026-05-01 13:45:00 (UTC)",
                            "date": "a date such as 2026-05-01", "float": "a number",
                            "int": "a whole number", "string": "text"}[c.dtype]
                self._fail(raw, _filled(src) & conversions[c.name].isnull(),
                           counts[f"parse__{c.name}"], name, c.name,
                           f"values that cannot be read as {c.dtype}",
                           f"every {c.name} must be {expected}")
            if counts.get(f"neg__{c.name}", 0):
                self._fail(typed, typed[c.name] < 0, counts[f"neg__{c.name}"], name, c.name,
                           "negative values; this column must be >= 0",
                           f"remove refunds or corrections from {c.name} or book them as separate "
                           "non-negative rows")

        typed = self._check_keys(spec, typed, counts)
        typed = self._check_users(spec, typed, counts)
        if name in ("experiments", "campaigns"):
            bad = typed.end < typed.start
            n = int(bad.sum().to_pandas())
            if n:
                self._fail(typed, bad, n, name, "end", f"{name} that end before they start",
                           "correct start and end (inclusive dates)")
        validation_cache_put(cache_key, {
            "set_aside": [dataclasses.asdict(a) for a in self.set_aside[n_aside:]],
            "repeats": any("repeated exposures" in a.reason for a in self.set_aside[n_aside:]),
            "unknown": any("not found in users" in a.reason for a in self.set_aside[n_aside:]),
        })
        return self._finish(name, typed)

    def _finish(self, name: str, typed: ibis.Table) -> ibis.Table:
        if self.engine == "spark":
            # Spark has no temporary tables; a cached frame keeps CSV parsing to one pass
            return typed.cache() if name in self._materialize else typed
        if name in self._materialize:
            # (ibis 12 + duckdb: overwrite=True emits broken SQL; each source has its own connection)
            typed = self.con.create_table(f"valid_{name}", typed, temp=True)
        return typed

    def _cache_key(self, spec: Table) -> str | None:
        """The validation-cache key: opsnb version, the table's contract and file version(s)."""
        stamp = self._fingerprints.get(spec.name)
        if stamp is None:
            return None
        parts = [opsnb_version(), repr(spec), stamp]
        if spec.user_fk:
            users = self._fingerprints.get("users")
            if users is None:
                return None
            parts.append(users)
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

    def _from_record(self, spec: Table, typed: ibis.Table, record: dict) -> ibis.Table:
        """The validated table from a cached record of an earlier, successful validation."""
        if record.get("repeats"):
            typed = _first_exposures(typed)
        if record.get("unknown"):
            users = self.table("users")
            typed = typed.semi_join(users, typed[spec.user_fk] == users.user_id)
        self.set_aside.extend(SetAside(**a) for a in record.get("set_aside", []))
        return self._finish(spec.name, typed)

    def _many_events_per_user(self, raw: ibis.Table) -> bool:
        """Whether summing the events per user pays: with many events per user the per-user
        sums are small and the reports read them instead of the events; with few, a plain join
        with users is cheaper (two row counts, from the files' metadata for Parquet)."""
        users = self.table("users")
        n_users = int(users.count().to_pandas())
        return n_users > 0 and int(raw.count().to_pandas()) >= _EVENTS_PER_USER_SUMMED * n_users

    def _events_by_user(self, spec: Table, raw: ibis.Table,
                        rules: dict[str, ibis.Value]) -> dict[str, int]:
        """The checks of events in one scan, summed per user: the row-level rules, unknown users
        and events before signup. The per-user sums, joined with users, are kept as the per-user
        summary (:meth:`user_summary`), which the reports read instead of scanning the events
        again. Only when a rule is broken, a second query counts each rule (for the message)."""
        fk = spec.user_fk
        at = _convert(raw.event_at, spec.column("event_at"))
        revenue = _convert(raw.revenue, spec.column("revenue"))
        bad = ibis.literal(False)
        for r in rules.values():
            bad = bad | r.fill_null(False)
        per = raw.group_by(opsnb_fk=_convert(raw[fk], spec.column(fk))).aggregate(
            opsnb_n=raw.count(), opsnb_bad=bad.sum(), opsnb_first=at.min(), opsnb_last=at.max(),
            opsnb_revenue=revenue.sum(), opsnb_paying=(revenue > 0).sum())
        users = self.table("users")
        su = users.select(opsnb_uid=users.user_id, opsnb_signup=users.signup_at)
        j = self.materialize(per.left_join(su, per.opsnb_fk == su.opsnb_uid), "events_by_user")
        unknown = j.opsnb_uid.isnull()
        st = j.aggregate(n=j.opsnb_n.sum(), bad=j.opsnb_bad.sum(),
                         unknown=j.opsnb_n.sum(where=unknown), unknown_users=unknown.sum(),
                         early_users=(j.opsnb_first < j.opsnb_signup).sum()).to_pandas().iloc[0]
        st = {k: int(v) if pd.notna(v) else 0 for k, v in st.items()}
        if st["bad"]:  # an error follows: count every rule, as the messages say
            checks = {"__n": raw.count(), **{k: v.sum() for k, v in rules.items()}}
            return {k: int(v or 0) for k, v in raw.aggregate(**checks).to_pandas().iloc[0].items()}
        counts = {"__n": st["n"], "fk__unknown": st["unknown"],
                  "fk__unknown_users": st["unknown_users"]}
        if st["early_users"]:  # an error follows: count the events before signup
            e = raw.select(opsnb_fk=raw[fk], opsnb_at=at)
            e = e.join(su, e.opsnb_fk == su.opsnb_uid)
            counts["fk__early"] = int((e.opsnb_at < e.opsnb_signup).sum().to_pandas())
        known = j.filter(j.opsnb_uid.notnull())
        self._summary = known.select(user_id=known.opsnb_fk, first_at=known.opsnb_first,
                                     last_at=known.opsnb_last, events=known.opsnb_n,
                                     revenue=known.opsnb_revenue,
                                     paying_events=known.opsnb_paying)
        return counts

    def user_summary(self) -> ibis.Table:
        """One row per user with events (of the validated events table): user_id, first_at and
        last_at (their first and last event), events, revenue and paying_events (events with
        revenue > 0). Kept from the validation of events, or computed once (materialised) when
        the validation was cached; reports read it instead of scanning the events again."""
        ev = self.table("events")
        if getattr(self, "_summary", None) is None:
            per = ev.group_by("user_id").aggregate(
                first_at=ev.event_at.min(), last_at=ev.event_at.max(), events=ev.count(),
                revenue=ev.revenue.sum(), paying_events=(ev.revenue > 0).sum())
            self._summary = self.materialize(per, "user_summary")
        return self._summary

    def _check_keys(self, spec: Table, typed: ibis.Table,
                    counts: dict[str, int] | None = None) -> ibis.Table:
        name = spec.name
        if name == "assignments":
            # min != max is "more than one variant" (variant is never empty here), and cheaper
            # than a distinct count over millions of (experiment, user) groups. The same query
            # counts unknown users: after repeated exposures are folded away, each (experiment,
            # user) is one row
            per = typed.group_by(["experiment_id", "user_id"]).aggregate(
                two=typed.variant.min() != typed.variant.max(), n_rows=typed.count())
            users = self.table("users")
            us = users.select(opsnb_uid=users.user_id)
            j = per.left_join(us, per.user_id == us.opsnb_uid)
            unknown = j.opsnb_uid.isnull()
            stats = j.aggregate(two=j.two.sum(), repeats=(j.n_rows - 1).sum(),
                                unknown=unknown.sum(),
                                unknown_users=j.user_id.nunique(where=unknown)).to_pandas().iloc[0]
            if counts is not None:
                counts["fk__unknown"] = int(stats["unknown"] or 0)
                counts["fk__unknown_users"] = int(stats["unknown_users"] or 0)
            if int(stats["two"] or 0):
                bad = per.filter(per.two).select("experiment_id", "user_id")
                rows = typed.semi_join(bad, ["experiment_id", "user_id"]).order_by(
                    ["experiment_id", "user_id", "assigned_at"]).limit(6).to_pandas()
                raise DataError(
                    f"{int(stats['two']):,} users were assigned to more than one variant of the same "
                    "experiment",
                    table=name, column="variant", rows=rows, n_bad=int(stats["two"]),
                    fix="fix the assignment log (a user must see one variant per experiment), or "
                    "remove these users from the experiment and report how many",
                )
            if int(stats["repeats"] or 0):
                typed = _first_exposures(typed)
                self.set_aside.append(SetAside(name, int(stats["repeats"]),
                                               "repeated exposures of the same user and variant "
                                               "(the first one is kept)"))
            return typed
        if not spec.key:
            return typed
        counts = counts if counts is not None else {}
        if "key__distinct" in counts and counts["key__distinct"] == counts.get("__n"):
            return typed  # as many distinct keys as rows (counted in the aggregate query)
        key = [k for k in spec.key if k in typed.columns]
        dup = typed.group_by(key).aggregate(opsnb_n=typed.count()).filter(ibis._.opsnb_n > 1)
        n_dup = int(dup.count().to_pandas())
        if n_dup:
            rows = typed.semi_join(dup.select(key), key).order_by(key).limit(6).to_pandas()
            raise DataError(
                f"{n_dup:,} duplicate keys: ({', '.join(key)}) must be unique",
                table=name, column=key[-1], rows=rows, n_bad=n_dup,
                fix=f"keep one row per {', '.join(key)}"
                + (" (sum the rows of one day first)" if name == "spend" else ""),
            )
        return typed

    def _check_users(self, spec: Table, typed: ibis.Table, counts: dict[str, int]) -> ibis.Table:
        """Events before signup (an error) and rows of unknown users (set aside, counted)."""
        if not spec.user_fk:
            return typed
        users = self.table("users")
        fk = spec.user_fk
        if counts.get("fk__early"):
            su = users.select(opsnb_uid=users.user_id, opsnb_signup=users.signup_at)
            j = typed.join(su, typed[fk] == su.opsnb_uid)
            early = j.event_at < j.opsnb_signup
            rows = j.filter(early).select("user_id", "event_at", "event",
                                          signup_at="opsnb_signup").order_by(
                "user_id").limit(_N_EXAMPLES).to_pandas()
            raise DataError(
                f"{counts['fk__early']:,} events happen before the user's signup_at",
                table="events", column="event_at", rows=rows, n_bad=counts["fk__early"],
                fix="check that events and users use the same clock (both UTC); a user's "
                "signup_at must be at or before their first event",
            )
        if counts.get("fk__unknown"):
            unknown = typed.anti_join(users, typed[fk] == users.user_id)
            n_users = counts.get("fk__unknown_users")  # (counted already when summed per user)
            if n_users is None:
                n_users = int(unknown[fk].nunique().to_pandas())
            n_rows = counts["fk__unknown"]  # (assignments: after repeated exposures are folded)
            self.set_aside.append(SetAside(
                spec.name, n_rows, f"{n_users:,} user ids not found in users"))
            typed = typed.semi_join(users, typed[fk] == users.user_id)
        return typed

    def _fail(self, t: ibis.Table, mask: ibis.Expr, n: int, table: str, column: str,
              message: str, fix: str) -> None:
        rows = t.filter(mask).limit(_N_EXAMPLES).to_pandas()
        raise DataError(f"{n:,} rows with {message}", table=table, column=column,
                        rows=_show(rows, column), n_bad=n, fix=fix)

    # ------------------------------------------------------------------ helpers for reports
    def materialize(self, expr: ibis.Table, prefix: str = "tmp") -> ibis.Table:
        """Compute a small intermediate result once, as a temporary table of the engine.

        For results that several later queries read (funnel stages, per-user tables). Temporary
        tables live as long as the connection. Where the backend cannot create one, the
        expression is returned as it is (recomputed by each query).
        """
        self._n_tmp = getattr(self, "_n_tmp", 0) + 1
        name = f"opsnb_{prefix}_{id(self):x}_{self._n_tmp}"
        if self.engine == "spark":  # no temporary tables on Spark: a cached (persisted) frame
            return expr.cache()
        try:
            return self.con.create_table(name, expr, temp=True)
        except Exception:  # noqa: BLE001 - a missing optimisation is not an error
            return expr


    def data_start(self) -> pd.Timestamp:
        """The earliest event time in the source (where the data starts)."""
        return pd.Timestamp(self.table("events").event_at.min().to_pandas())

    def __repr__(self) -> str:
        return f"DataSource({self.description}; tables: {', '.join(self.available)})"


def _first_exposures(typed: ibis.Table) -> ibis.Table:
    """The same user and variant logged again: keep the first exposure."""
    first = typed.group_by(["experiment_id", "user_id", "variant"]).aggregate(
        assigned_at=typed.assigned_at.min())
    extra = [c for c in typed.columns if c not in first.columns]
    if extra:
        w = ibis.window(group_by=["experiment_id", "user_id"], order_by="assigned_at")
        return typed.mutate(opsnb_rn=ibis.row_number().over(w)).filter(
            ibis._.opsnb_rn == 0).drop("opsnb_rn")
    return first.select(typed.columns)


# --------------------------------------------------------------------------- validation cache
# Validating ten million events costs a few scans and a join with users. Scheduled reports read
# the same files again and again, so a successful validation is remembered per file version
# (path, size, modification time) and opsnb version; a changed file is validated again.
# OPSNB_VALIDATION_CACHE=0 turns this off; OPSNB_CACHE_DIR moves it (default ~/.cache/opsnb).


def opsnb_version() -> str:
    from opsnb import __version__
    return __version__


def _file_stamp(path: Path) -> str:
    st = path.stat()
    return f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"


def _cache_dir() -> Path | None:
    if os.environ.get("OPSNB_VALIDATION_CACHE", "1").strip().lower() in {"0", "false", "no", "off"}:
        return None
    base = os.environ.get("OPSNB_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "opsnb")
    return Path(base) / "validation"


def validation_cache_get(key: str | None) -> dict | None:
    folder = _cache_dir()
    if key is None or folder is None:
        return None
    try:
        return json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def validation_cache_put(key: str | None, record: dict) -> None:
    folder = _cache_dir()
    if key is None or folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, folder / f"{key}.json")
    except OSError:  # a read-only home is no reason to fail a report
        pass


def _can_fail(t: dt.DataType, spec: Column) -> bool:
    """Whether converting a column of type ``t`` to the contract type can turn a filled value
    into NULL (a parse error). A typed Parquet column of the right kind never can."""
    if spec.dtype == "string":
        return False
    if spec.dtype in ("float", "int"):
        return not t.is_numeric()
    if spec.dtype in ("timestamp", "date"):
        return not (t.is_timestamp() or t.is_date())
    return True


def _single_key(spec: Table) -> str | None:
    """The key column, when the key is one column that is never empty (its duplicates are then
    found by a distinct count in the aggregate query)."""
    if spec.name == "assignments" or len(spec.key) != 1:
        return None
    col = spec.column(spec.key[0])
    return None if col.nullable or not col.required else col.name


def _filled(col: ibis.Value) -> ibis.Value:
    """Not missing: not NULL and, for text, not blank."""
    if col.type().is_string():
        return col.notnull() & (col.strip() != "")
    return col.notnull()


def _set_utc(con: Any) -> None:
    con.raw_sql("SET TimeZone = 'UTC'")
    # DuckDB's progress bar would print into notebook outputs and the HTML reports; inside
    # Jupyter DuckDB refuses to change the setting without ipywidgets, so try both switches
    for setting in ("enable_progress_bar_print", "enable_progress_bar"):
        try:
            con.raw_sql(f"SET {setting} = false")
        except Exception:  # noqa: BLE001 - an optional nicety, never a reason to fail a report
            pass


def _read_csv(con: Any, path: Path, name: str) -> ibis.Table:
    # read every column as text; the contract conversion below reports what cannot be parsed
    return con.read_csv(str(_utf8_csv(path, name)), table_name=f"raw_{name}", all_varchar=True,
                        header=True)


def _utf8_csv(path: Path, name: str) -> Path:
    """The CSV as UTF-8: the file itself, or a UTF-8 copy of a GBK (GB18030) export.

    Excel and many Chinese tools save CSV as GBK, which DuckDB cannot read without an extension
    it would download. The first MiB decides: valid UTF-8 is read as it is; otherwise the file
    is transcoded from GB18030 (a superset of GBK) into a temporary UTF-8 copy. A file that is
    neither is a DataError naming the encoding.
    """
    import atexit
    import codecs
    import shutil
    import tempfile

    with open(path, "rb") as f:
        head = f.read(1 << 20)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return path
    except UnicodeDecodeError:
        pass
    folder = Path(tempfile.mkdtemp(prefix="opsnb-csv-"))
    atexit.register(shutil.rmtree, folder, True)
    out = folder / path.name
    try:
        with (open(path, encoding="gb18030", newline="") as src,
              open(out, "w", encoding="utf-8", newline="") as dst):
            shutil.copyfileobj(src, dst, 1 << 20)
    except UnicodeDecodeError as exc:
        raise DataError(f"{path.name} is neither UTF-8 nor GBK text (byte {exc.start:,} of a "
                        "block cannot be read)", table=name,
                        fix="save the file as UTF-8 (in Excel: Save As > CSV UTF-8)") from None
    return out


def _show(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    cols = [c for c in rows.columns if not c.startswith("__")]
    front = [c for c in ("user_id", column) if c in cols]
    return rows[front + [c for c in cols if c not in front]].head(_N_EXAMPLES)


def _blank_to_null(col: ibis.Value) -> ibis.Value:
    """Text without surrounding white space, NULL when blank (empty or only white space).

    Most values start and end with a visible character and are kept as they are: DuckDB's TRIM
    with a character set costs about four times a plain scan of the column (16 CPU s on 50M
    content ids), so it runs only on the values that need it.
    """
    visible = (col.substr(0, 1).ascii_str() > 32) & (col.right(1).ascii_str() > 32)
    return ibis.cases((visible, col), else_=col.strip().nullif(""))


def _convert(col: ibis.Value, spec: Column) -> ibis.Value:
    """The column converted to its contract type (NULL where it cannot be read)."""
    t = col.type()
    if spec.dtype == "string":
        if t.is_string():
            return _blank_to_null(col) if spec.nullable else col
        return col.cast("string")
    if spec.dtype == "float":
        return col.cast("float64") if t.is_numeric() else col.try_cast("float64")
    if spec.dtype == "int":
        if t.is_integer():
            return col.cast("int64")
        if t.is_numeric():
            return col.round().cast("int64")
        return col.try_cast("float64").round().try_cast("int64")
    if spec.dtype == "timestamp":
        if t.is_timestamp():
            return col.cast(dt.Timestamp(timezone="UTC")).cast("timestamp") if t.timezone else col
        if t.is_date():
            return col.cast("timestamp")
        s = col.cast("string").strip().nullif("")
        return s.try_cast(dt.Timestamp(timezone="UTC")).cast("timestamp")
    if spec.dtype == "date":
        if t.is_date():
            return col
        if t.is_timestamp():
            return col.date()
        s = col.cast("string").strip().nullif("")
        return ibis.coalesce(s.try_cast("date"), s.try_cast("timestamp").date())
    raise AssertionError(spec.dtype)
