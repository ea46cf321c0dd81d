"""Report windows: which days a report covers and which periods are complete."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from opsnb.errors import DataError, ParameterError

DAY = pd.Timedelta(days=1)
# a data day counts as complete once its latest event is at or after this time of day (UTC)
COMPLETE_DAY_AFTER = pd.Timedelta(hours=23)


def parse_date(value, name: str) -> pd.Timestamp | None:
    """A report date parameter as a midnight Timestamp; '' or None means 'not given'."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ParameterError(f"{name}={value!r} is not a date; use YYYY-MM-DD") from exc
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts.normalize()


@dataclass(frozen=True)
class Window:
    """The report window ``start``..``end`` (inclusive dates) and what the data reaches.

    ``complete_until`` is the first instant not fully covered by the data: the end of
    the window, or earlier when the data stops inside it. A period counts as complete
    when it ends at or before ``complete_until``.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    as_of: pd.Timestamp
    # the first and last instant of the table the window was resolved against (None: not known)
    data_first: pd.Timestamp | None = None
    data_last: pd.Timestamp | None = None

    @property
    def empty(self) -> bool:
        """The window holds no row of the table it was resolved against."""
        if self.data_first is None or self.data_last is None:
            return False
        return self.start > self.data_last or self.end_exclusive <= self.data_first

    @property
    def end_exclusive(self) -> pd.Timestamp:
        return self.end + DAY

    @property
    def complete_until(self) -> pd.Timestamp:
        day = self.as_of.normalize()
        data_complete = day + DAY if self.as_of - day >= COMPLETE_DAY_AFTER else day
        return min(self.end_exclusive, data_complete)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def is_complete(self, period_end_exclusive: pd.Timestamp) -> bool:
        return pd.Timestamp(period_end_exclusive) <= self.complete_until

    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    def to_dict(self) -> dict:
        return {"start": f"{self.start:%Y-%m-%d}", "end": f"{self.end:%Y-%m-%d}",
                "data_until": f"{self.as_of:%Y-%m-%d %H:%M:%S}",
                "complete_until": f"{self.complete_until:%Y-%m-%d %H:%M:%S}"}


def resolve_window(source, start_date="", end_date="", table: str = "events",
                   column: str = "event_at", allow_empty: bool = False) -> Window:
    """Resolve report dates against the data; empty dates mean the data's own range.

    Dates that hold no row of ``table`` are a DataError, unless ``allow_empty``: then the window
    is returned with ``empty`` True, so a report can say in each section that nothing happened
    in it, and where the data are (``data_first``, ``data_last``).
    """
    t = source.table(table)
    bounds = t.aggregate(lo=t[column].min(), hi=t[column].max()).to_pandas().iloc[0]
    if pd.isna(bounds["lo"]):
        raise DataError(f"table {table!r} has no rows", table=table, column=column,
                        fix=f"load a source whose {table} table is not empty")
    lo, hi = pd.Timestamp(bounds["lo"]), pd.Timestamp(bounds["hi"])
    start = parse_date(start_date, "start_date") or lo.normalize()
    end = parse_date(end_date, "end_date") or hi.normalize()
    if end < start:
        raise ParameterError(f"end_date {end:%Y-%m-%d} is before start_date {start:%Y-%m-%d}")
    if (start > hi or end + DAY <= lo) and not allow_empty:
        raise DataError(
            f"no {table} between {start:%Y-%m-%d} and {end:%Y-%m-%d}",
            table=table, column=column,
            fix=f"choose dates inside the data, which runs from {lo:%Y-%m-%d} to {hi:%Y-%m-%d}",
        )
    if t[column].type().is_date():
        hi = hi + DAY - pd.Timedelta(microseconds=1)  # a dated row covers its whole day
    return Window(start=start, end=end, as_of=min(hi, end + DAY - pd.Timedelta(microseconds=1)),
                  data_first=lo, data_last=hi)
