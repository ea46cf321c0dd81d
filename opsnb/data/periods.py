"""Calendar periods (UTC): one definition of day, week and month for every report.

A period is ``day``, ``week`` (ISO: Monday to Sunday) or ``month``. Each has a truncation unit
for Ibis (``"D"``, ``"W"``, ``"M"``), a start for any timestamp, an exclusive end, and a label.
The KPI report and the retention report both read their periods from here.

Month arithmetic is done in pandas (calendar months), never with a month interval inside a
query: DuckDB 1.5 merges ``+ INTERVAL '30' DAY`` and ``+ INTERVAL '1' MONTH`` when one SELECT
holds both, and both come back as +30 days. Queries only *truncate* to a period.

>>> parse_period("Month")
<Period.MONTH: 'month'>
>>> period_start(pd.Timestamp("2026-01-31 17:45"), "month")
Timestamp('2026-01-01 00:00:00')
>>> period_end(pd.Timestamp("2026-01-01"), "month")   # exclusive: Jan 31 + 1 month is not Mar 2
Timestamp('2026-02-01 00:00:00')
>>> period_start(pd.Timestamp("2026-05-03"), "week")  # a Sunday: its ISO week starts on Monday
Timestamp('2026-04-27 00:00:00')
>>> [f"{s:%m-%d}" for s in period_starts("2026-05-01", "2026-05-20", "week")]
['04-27', '05-04', '05-11', '05-18']
>>> truncation_unit("week"), letter("week"), offset_label(2, "week"), offset_label(2, "day", 3)
('W', 'W', 'W2', 'D2-3')
>>> period_label(pd.Timestamp("2026-05-04"), complete=False)
'2026-05-04 (partial)'
"""

from __future__ import annotations

from enum import Enum

import pandas as pd

from opsnb.errors import ParameterError

DAY = pd.Timedelta(days=1)
_EPOCH_MONDAY = pd.Timestamp("1970-01-05")


class Period(str, Enum):
    """A calendar period: day, week (ISO, Monday start) or month (UTC)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


#: the period names, in order of length
PERIODS: tuple[str, ...] = tuple(p.value for p in Period)
#: Ibis truncation unit of each period (also the letter of period labels such as W3)
UNIT: dict[Period, str] = {Period.DAY: "D", Period.WEEK: "W", Period.MONTH: "M"}
#: the shortest length of each period, in days (for "is the window long enough")
SHORTEST_DAYS: dict[Period, int] = {Period.DAY: 1, Period.WEEK: 7, Period.MONTH: 28}


def parse_period(value, name: str = "period") -> Period:
    """``value`` as a :class:`Period`; a ParameterError naming parameter ``name`` otherwise.

    >>> parse_period("fortnight")
    Traceback (most recent call last):
    ...
    opsnb.errors.ParameterError: period='fortnight'; use one of day, week, month
    """
    if isinstance(value, Period):
        return value
    try:
        return Period(str(value).strip().lower())
    except ValueError:
        raise ParameterError(f"{name}={value!r}; use one of {', '.join(PERIODS)}") from None


def truncation_unit(period) -> str:
    """The Ibis ``truncate`` unit of a period: ``D``, ``W`` or ``M``."""
    return UNIT[parse_period(period)]


def letter(period) -> str:
    """The letter of period offsets in labels: ``D``, ``W`` or ``M``."""
    return UNIT[parse_period(period)]


def truncate(ts, period):
    """An Ibis timestamp expression truncated to the start of its period (UTC)."""
    return ts.truncate(truncation_unit(period))


def period_start(ts, period) -> pd.Timestamp:
    """The first instant of the calendar period that holds ``ts``."""
    p, ts = parse_period(period), pd.Timestamp(ts)
    day = ts.normalize()
    if p is Period.DAY:
        return day
    if p is Period.WEEK:
        return day - pd.Timedelta(days=day.day_of_week)
    return day.replace(day=1)


def period_end(start, period) -> pd.Timestamp:
    """The first instant after the period that starts at ``start`` (its exclusive end).

    Months are calendar months, worked out in pandas (see the module docstring).
    """
    p, start = parse_period(period), pd.Timestamp(start)
    if p is Period.DAY:
        return start + DAY
    if p is Period.WEEK:
        return start + pd.Timedelta(days=7)
    return start + pd.offsets.MonthBegin(1)


def period_starts(start, end, period) -> list[pd.Timestamp]:
    """The starts of the periods that cover the days ``start`` .. ``end`` (both inclusive).

    The first period may begin before ``start`` (a week starts on Monday, a month on the 1st).
    """
    p = parse_period(period)
    first, last = period_start(start, p), pd.Timestamp(end)
    freq = {Period.DAY: "D", Period.WEEK: "7D", Period.MONTH: "MS"}[p]
    return list(pd.date_range(first, last, freq=freq))


def period_length(period) -> pd.Timedelta:
    """The fixed length of a day or a week (a month has none: a ParameterError)."""
    p = parse_period(period)
    if p is Period.MONTH:
        raise ParameterError("a month has no fixed length; use calendar months")
    return pd.Timedelta(days=SHORTEST_DAYS[p])


def period_index(ts, period) -> int:
    """An integer that grows by one per calendar period (days, ISO weeks, months since 1970).

    >>> jan31, feb1 = pd.Timestamp("2026-01-31"), pd.Timestamp("2026-02-01")
    >>> period_index(feb1, "month") - period_index(jan31, "month")
    1
    """
    p, ts = parse_period(period), pd.Timestamp(ts)
    if p is Period.DAY:
        return int((ts.normalize() - pd.Timestamp(0)).days)
    if p is Period.WEEK:
        return int((ts.normalize() - _EPOCH_MONDAY).days // 7)
    return ts.year * 12 + ts.month - 1


def period_index_expr(ts, period):
    """:func:`period_index` as an Ibis expression (integer arithmetic, no interval).

    >>> import ibis
    >>> at = pd.to_datetime(["1969-12-31 12:00", "2026-01-31 23:59", "2026-02-01 00:00"])
    >>> t = ibis.memtable({"at": at})
    >>> t.select(m=period_index_expr(t.at, "month")).to_pandas()["m"].tolist()
    [23639, 24312, 24313]
    >>> all(t.select(i=period_index_expr(t.at, p)).to_pandas()["i"].tolist()
    ...     == [period_index(v, p) for v in at] for p in PERIODS)
    True
    """
    p = parse_period(period)
    if p is Period.DAY:
        return ts.truncate("D").epoch_seconds() // 86_400
    if p is Period.WEEK:  # ISO weeks start on Monday; 1970-01-05 is the first Monday after 0
        return ts.truncate("W").epoch_seconds() // 604_800
    return ts.year() * 12 + ts.month() - 1


def index_start(index: int, period) -> pd.Timestamp:
    """The first instant of the calendar period with this :func:`period_index`.

    >>> index_start(period_index(pd.Timestamp("2026-05-07"), "week"), "week")
    Timestamp('2026-05-04 00:00:00')
    """
    p = parse_period(period)
    if p is Period.DAY:
        return pd.Timestamp(0) + pd.Timedelta(days=int(index))
    if p is Period.WEEK:
        return _EPOCH_MONDAY + pd.Timedelta(days=7 * int(index))
    return pd.Timestamp(year=int(index) // 12, month=int(index) % 12 + 1, day=1)


def offset_label(lo: int, period, hi: int | None = None) -> str:
    """The label of period offset ``lo`` (or of the bracket ``lo``-``hi``): W0, D2-3."""
    k = letter(period)
    return f"{k}{lo}" if hi is None or hi == lo else f"{k}{lo}-{hi}"


def period_label(start, complete: bool = True, partial: str = "partial") -> str:
    """A period by its first day, ``2026-05-04``; ``(partial)`` when the data does not cover it.

    ``partial`` is the word shown for an incomplete period (pass the translated word).
    """
    text = f"{pd.Timestamp(start):%Y-%m-%d}"
    return text if complete else f"{text} ({partial})"
