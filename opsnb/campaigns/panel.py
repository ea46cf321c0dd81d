"""The campaign panel: a KPI per day and unit, and the control series, from a data source.

The statistical methods take a *panel* (see ``docs/DEVELOPING.md``, the panel convention): a
daily ``DatetimeIndex`` without gaps, one column per unit, the KPI per unit and day. Units are
the values of one user column (``region``, ``device``, ...): each user falls in one unit, so
the units' columns add up to the platform's total. The KPIs are the additive ones of
:mod:`opsnb.diagnostics.kpis` (``dau``, ``new_users``, ``revenue``) and the queries are its
:func:`~opsnb.diagnostics.kpis.daily_series` (one event-level query for the whole panel).

>>> from opsnb.data.source import DataSource
>>> src = DataSource.open("data/sample/campaigns")
>>> p = unit_panel(src, "dau", "region", pd.Timestamp("2026-07-01"), pd.Timestamp("2026-07-08"))
>>> p.shape, bool((p.sum(axis=1) == total_series(src, "dau", p.index[0],
...                                                p.index[-1] + pd.Timedelta(days=1))).all())
((7, 24), True)
>>> frame, gaps = controls_frame(src, [], pd.Timestamp("2026-06-01"), pd.Timestamp("2026-06-08"))
>>> list(frame.columns), gaps
(['holiday', 'price_index', 'promo_season'], {'holiday': 0, 'price_index': 0, 'promo_season': 0})
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from opsnb.diagnostics.kpis import NONE_LABEL, _dim_value, daily_series, parse_kpi
from opsnb.errors import ParameterError

MIN_PRE_DAYS = 14  # days before a campaign every method needs at the least
from opsnb.errors import ParameterError

PANEL_KPIS = ("dau", "new_users", "revenue")

__all__ = ["PANEL_KPIS", "NONE_LABEL", "unit_panel", "total_series", "controls_frame"]


def _panel_kpi(kpi: str):
    k = parse_kpi(kpi)
    if k.name not in PANEL_KPIS:
        raise ParameterError(f"parameter kpi={kpi!r}; the campaign panel takes one of "
                             f"{', '.join(PANEL_KPIS)}")
    return k


def _days(start, end_exclusive) -> tuple[pd.Timestamp, pd.Timestamp]:
    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end_exclusive).normalize()
    if e <= s:
        raise ParameterError(f"the panel's range {s:%Y-%m-%d} .. {e:%Y-%m-%d} (end exclusive) "
                             "holds no day; end must be after start")
    return s, e


def unit_values(source, dimension: str) -> list[str]:
    """Every value of ``users.<dimension>`` (empty: ``(none)``), sorted; one query on users."""
    users = source.table("users")
    if dimension not in users.columns:
        raise ParameterError(f"parameter dimension={dimension!r} is not a column of users; "
                             f"choose one of {', '.join(users.columns)}")
    got = users.select(unit=_dim_value(users[dimension])).distinct().to_pandas()
    return sorted(str(u) for u in got["unit"])


def unit_panel(source, kpi: str, dimension: str, start, end_exclusive) -> pd.DataFrame:
    """The KPI per day (rows: every day of ``start`` .. ``end_exclusive``, zeros filled) and unit
    (columns: every value of ``users.<dimension>``, sorted, ``(none)`` for empty values).

    One event-level query (plus one for the dimension's values); the rows sum to
    :func:`total_series` exactly.
    """
    k = _panel_kpi(kpi)
    s, e = _days(start, end_exclusive)
    units = unit_values(source, dimension)
    wide = daily_series(source, k, s, e, by=dimension)
    panel = wide.reindex(columns=units, fill_value=0.0).astype(float)
    panel.columns = pd.Index(units, name=dimension)
    panel.index.name = "date"
    return panel


def total_series(source, kpi: str, start, end_exclusive) -> pd.Series:
    """The KPI per day for the whole platform (:func:`opsnb.diagnostics.kpis.daily_series`)."""
    k = _panel_kpi(kpi)
    s, e = _days(start, end_exclusive)
    out = daily_series(source, k, s, e)
    out.index.name = "date"
    return out


def controls_frame(source, names: Sequence[str], start, end_exclusive
                   ) -> tuple[pd.DataFrame, dict[str, int]]:
    """The named controls (all when ``names`` is empty) as a wide daily frame over
    ``start`` .. ``end_exclusive`` (NaN where a day is missing), and per control the number
    of days missing in the range. Unknown names are a ParameterError listing the names present.
    """
    s, e = _days(start, end_exclusive)
    idx = pd.date_range(s, e - pd.Timedelta(days=1), freq="D", name="date")
    t = source.table("controls")
    present = sorted(str(n) for n in t.select("name").distinct().to_pandas()["name"])
    wanted = list(dict.fromkeys(str(n) for n in (names or ()))) or present
    unknown = [n for n in wanted if n not in present]
    if unknown:
        raise ParameterError(f"controls {', '.join(unknown)} are not in the controls table; "
                             f"choose from {', '.join(present) or '(none: the table is empty)'}")
    rows = t.filter(t.date >= s.date(), t.date < e.date(), t.name.isin(wanted)).select(
        "date", "name", "value").to_pandas()
    rows["date"] = pd.to_datetime(rows["date"])
    wide = rows.pivot_table(index="date", columns="name", values="value", aggfunc="first",
                            dropna=False) if len(rows) else pd.DataFrame()
    frame = wide.reindex(index=idx, columns=wanted).astype(float)
    frame.columns = pd.Index(wanted, name="control")
    gaps = {n: int(frame[n].isna().sum()) for n in wanted}
    return frame, gaps


def check_panel(panel: pd.DataFrame, treated, start, end, alpha: float, method: str,
                columns=None) -> tuple[list[str], pd.Timestamp, pd.Timestamp, int]:
    """The checks every panel method shares (see the panel convention in the package docs):
    the treated units are columns, the index is consecutive days, the campaign lies inside it
    with at least :data:`MIN_PRE_DAYS` before it, no NaN up to its end (in ``columns``, default
    every column). Returns ``(treated, start, end, pre-period days)``; ``method`` names the
    method in the messages.
    """
    if isinstance(treated, str):
        treated = [treated]
    treated = [str(t) for t in treated]
    if not treated:
        raise ParameterError("treated is empty; name at least one column of the panel")
    units = [str(c) for c in panel.columns]
    for t in treated:
        if t not in units:
            raise ParameterError(f"treated unit {t!r} is not in the panel; its units are: "
                                 + ", ".join(units))
    if not 0 < alpha < 1:
        raise ParameterError(f"alpha={alpha} must be between 0 and 1, e.g. 0.05")
    if not isinstance(panel.index, pd.DatetimeIndex):
        raise ParameterError("panel must have a daily DatetimeIndex")
    if len(panel.index) > 1 and not (np.diff(panel.index.values).astype("timedelta64[D]")
                                     == np.timedelta64(1, "D")).all():
        raise ParameterError("panel's index must be consecutive days without gaps; "
                             "reindex with pd.date_range and fill missing days with 0")
    start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if end < start:
        raise ParameterError(f"end {end:%Y-%m-%d} is before start {start:%Y-%m-%d}; swap them")
    if start <= panel.index[0] or end > panel.index[-1]:
        raise ParameterError(f"the campaign {start:%Y-%m-%d} – {end:%Y-%m-%d} must lie inside the "
                             f"panel ({panel.index[0]:%Y-%m-%d} – {panel.index[-1]:%Y-%m-%d}) "
                             "with days before it; widen the window")
    n_pre = int((panel.index < start).sum())
    if n_pre < MIN_PRE_DAYS:
        raise ParameterError(f"start: the pre-period has {n_pre} days, {method} needs at least "
                             f"{MIN_PRE_DAYS}; start the window earlier")
    used = panel.loc[:end] if columns is None else panel.loc[:end, list(columns)]
    bad = used.columns[used.isna().any()].tolist()
    if bad:
        raise ParameterError(f"panel has missing values (NaN) in {', '.join(map(str, bad))}; "
                             "fill days without activity with 0 or drop those units")
    return treated, start, end, n_pre
