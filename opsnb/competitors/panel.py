"""The competitor panel: a long metric feed on a regular date grid, gaps reported and filled.

``competitor_metrics`` arrives long (``date, competitor, metric, value``). The
panel puts every (metric, competitor) series on one regular grid, daily or weekly:

* **frequency**: ``"day"`` keeps the daily dates; ``"week"`` takes the mean of each
  ISO week (Monday start); ``"auto"`` picks ``"day"`` when the median spacing of the
  observed dates is one day, else ``"week"``.
* **gaps**: a grid date inside a series' observed span with no value (a missing row
  or an empty value) is a gap. ``fill="interpolate"`` (default) fills it on a straight
  line between the neighbouring observations, ``"ffill"`` carries the last value
  forward, ``"none"`` leaves it empty (such series are then left out of trend and
  change detection, and the report says so). Dates before a series' first or after
  its last observation are never filled. Every gap is listed in :attr:`Panel.gaps`.
* **too little data**: a series with fewer than ``min_points`` observations (or, on a
  grid shorter than that, fewer observations than the grid has dates), or a metric whose
  values are all empty, is set aside and counted in :attr:`Panel.set_aside`; asking for it
  explicitly, or for our own product, raises :class:`opsnb.DataError` instead. So a short
  feed (one day, two weeks) still makes a panel; the steps that need a long history
  (change detection) say so themselves.

Notes on the data are :class:`~opsnb.report.contract.Note` objects (an English template and
its values): the panel holds no sentence in any language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from opsnb.competitors.registry import MetricRegistry, default_registry
from opsnb.data.source import SetAside
from opsnb.errors import DataError, ParameterError
from opsnb.report.contract import Note

FREQS = ("auto", "day", "week")
FILLS = ("interpolate", "ffill", "none")
TABLE = "competitor_metrics"


@dataclass
class Panel:
    """Wide, regular panel: ``values`` has a DatetimeIndex and (metric, competitor) columns."""

    values: pd.DataFrame
    observed: pd.DataFrame
    freq: str
    fill: str
    our_product: str
    competitors: list[str]
    metrics: list[str]
    registry: MetricRegistry
    events: pd.DataFrame
    gaps: pd.DataFrame
    set_aside: list[SetAside] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    events_given: bool = True  # False when the source has no competitor_events table

    @property
    def period(self) -> int | None:
        """The seasonal period in grid steps (7 for daily data, none for weekly)."""
        return 7 if self.freq == "day" else None

    @property
    def step(self) -> pd.Timedelta:
        return pd.Timedelta(days=1 if self.freq == "day" else 7)

    def series(self, metric: str, competitor: str) -> pd.Series:
        return self.values[(metric, competitor)]

    def metric_frame(self, metric: str) -> pd.DataFrame:
        """Dates x products for one metric (products that have the metric)."""
        return self.values[metric] if metric in self.values.columns.get_level_values(0) else \
            pd.DataFrame(index=self.values.index)

    def to_frame(self) -> pd.DataFrame:
        """Long frame: date, competitor, metric, value, observed (False where filled)."""
        v = self.values.stack(level=[0, 1], future_stack=True).rename("value")
        o = self.observed.stack(level=[0, 1], future_stack=True).rename("observed")
        out = pd.concat([v, o], axis=1).reset_index()
        out.columns = ["date", "metric", "competitor", "value", "observed"]
        return out.dropna(subset=["value"])[["date", "competitor", "metric", "value", "observed"]]

    @property
    def n_dates(self) -> int:
        """Dates on the grid (window plus history)."""
        return len(self.values.index)


def check_subset(name: str, asked, available: Sequence[str]) -> list[str] | None:
    if asked is None or (isinstance(asked, (list, tuple)) and len(asked) == 0):
        return None
    if isinstance(asked, str):
        asked = [asked]
    if not isinstance(asked, (list, tuple)):
        raise ParameterError(f"parameter {name} must be a list, got {asked!r}")
    unknown = [a for a in asked if a not in available]
    if unknown:
        raise ParameterError(f"parameter {name}: {', '.join(map(repr, unknown))} not in the data; "
                             f"names present: {', '.join(map(str, available))}")
    return list(dict.fromkeys(asked))


def build_panel(metrics_long: pd.DataFrame, events: pd.DataFrame | None, our_product: str,
                competitors: Sequence[str] | None = None, metrics: Sequence[str] | None = None,
                registry: MetricRegistry | None = None, freq: str = "auto",
                fill: str = "interpolate", min_points: int = 28) -> Panel:
    """The regular panel of a long ``date, competitor, metric, value`` frame (see module doc)."""
    registry = registry or default_registry()
    if freq not in FREQS:
        raise ParameterError(f"freq={freq!r}; use one of {', '.join(FREQS)}")
    if fill not in FILLS:
        raise ParameterError(f"fill={fill!r}; use one of {', '.join(FILLS)}")
    if not isinstance(our_product, str) or not our_product.strip():
        raise ParameterError("our_product must name our own product as it appears in "
                             "competitor_metrics.competitor")
    df = metrics_long[["date", "competitor", "metric", "value"]].copy()
    if df.empty:
        raise DataError("no competitor metrics in the chosen dates", table=TABLE,
                        fix="choose dates inside the data or load a non-empty feed")
    df["date"] = pd.to_datetime(df["date"]).dt.normalize()
    df["value"] = pd.to_numeric(df["value"], errors="coerce").astype(float)
    all_products = sorted(df["competitor"].unique())
    all_metrics = sorted(df["metric"].unique())
    if our_product not in all_products:
        raise DataError(
            f"our product {our_product!r} has no rows in competitor_metrics",
            table=TABLE, column="competitor",
            rows=df.drop_duplicates("competitor").head(5),
            fix=f"set our_product to the name used in the feed (one of: {', '.join(all_products)}) "
            "or add our own numbers to competitor_metrics",
        )
    keep_c = check_subset("competitors", competitors, all_products)
    keep_m = check_subset("metrics", metrics, all_metrics)
    if keep_c is not None:
        keep_c = [our_product] + [c for c in keep_c if c != our_product]
        df = df[df["competitor"].isin(keep_c)]
    if keep_m is not None:
        df = df[df["metric"].isin(keep_m)]
    set_aside: list[SetAside] = []
    notes: list[str] = []

    # metrics whose values are all empty
    n_values = df.groupby("metric")["value"].count()
    n_rows = df.groupby("metric").size()
    for m in n_values[n_values == 0].index:
        if keep_m is not None:
            raise DataError(f"metric {m!r} has {n_rows[m]:,} rows but every value is empty",
                            table=TABLE, column="value", rows=df[df["metric"] == m].head(5),
                            n_bad=int(n_rows[m]),
                            fix=f"fill the values of {m!r} or leave it out of the metrics parameter")
        set_aside.append(SetAside(TABLE, int(n_rows[m]), f"metric {m!r}: every value is empty"))
    df = df[~df["metric"].isin(n_values[n_values == 0].index)]
    if df.empty:
        raise DataError("every value of competitor_metrics in the chosen dates is empty",
                        table=TABLE, column="value", fix="load a feed with values")

    # the grid
    obs = df.dropna(subset=["value"])
    if freq == "auto":
        d = np.diff(np.sort(obs["date"].unique()))
        step = pd.Timedelta(np.median(d)) if len(d) else pd.Timedelta(days=1)
        freq = "day" if step <= pd.Timedelta(days=1) else "week"
    if freq == "week":
        obs = obs.assign(date=obs["date"] - pd.to_timedelta(obs["date"].dt.day_of_week, unit="D"))
        obs = obs.groupby(["date", "metric", "competitor"], as_index=False)["value"].mean()
    grid = pd.date_range(obs["date"].min(), obs["date"].max(), freq="D" if freq == "day" else "7D")
    wide = obs.pivot_table(index="date", columns=["metric", "competitor"], values="value",
                           aggfunc="first", sort=True)
    wide = wide.reindex(grid)
    wide.index.name = "date"
    observed = wide.notna()

    # series with too few observations (on a short grid: fewer than the grid has dates)
    min_points = max(min(min_points, len(grid)), 1)
    counts = observed.sum()
    short = counts[counts < min_points]
    dropped_products = []
    for c in sorted(short.index.get_level_values(1).unique()):
        c_short = short[short.index.get_level_values(1) == c]
        c_all = counts[counts.index.get_level_values(1) == c]
        n = int(c_short.sum())
        if c == our_product or (keep_c is not None and c in keep_c and len(c_short) == len(c_all)):
            first = c_short.index[0]
            raise DataError(
                f"{c!r} has only {int(c_short.iloc[0])} data point(s) for {first[0]!r}; at least "
                f"{min_points} are needed to see a trend or a change",
                table=TABLE, column="competitor", rows=df[df["competitor"] == c].head(5), n_bad=n,
                fix=f"load a longer history for {c!r}"
                + ("" if c == our_product else " or leave it out of the competitors parameter"),
            )
        if len(c_short) == len(c_all):
            dropped_products.append(c)
            set_aside.append(SetAside(TABLE, n, f"competitor {c!r} has only {n} data point(s) "
                                                f"(at least {min_points} per metric are needed)"))
        else:
            for (m, _), k in c_short.items():
                set_aside.append(SetAside(TABLE, int(k), f"{c!r} / {m!r}: only {int(k)} data "
                                                         f"point(s) (at least {min_points} needed)"))
    wide = wide.drop(columns=list(short.index))
    observed = observed.drop(columns=list(short.index))
    if wide.shape[1] == 0:
        raise DataError("no series has enough data points", table=TABLE,
                        fix=f"load at least {min_points} dates per competitor and metric")
    ours_metrics = set(wide[[c for c in wide.columns if c[1] == our_product]].columns
                       .get_level_values(0))
    for m in sorted(set(wide.columns.get_level_values(0)) - ours_metrics):
        notes.append(Note("metric {metric} has no numbers for {ours}: it is tracked but not "
                          "compared with ours", {"metric": repr(m), "ours": our_product}))
    for m in sorted(set(wide.columns.get_level_values(0))):
        if m not in registry:
            notes.append(Note("metric {metric} is not in the metric registry: read as "
                              "higher-is-better on a linear scale (extend metric_directions to "
                              "change that)", {"metric": repr(m)}))

    # gaps inside each series' span
    gaps, wide = _fill_gaps(wide, observed, fill, freq)

    products = [our_product] + sorted(c for c in set(wide.columns.get_level_values(1))
                                      if c != our_product)
    metric_names = [m for m in registry.names() if m in set(wide.columns.get_level_values(0))]
    metric_names += sorted(set(wide.columns.get_level_values(0)) - set(metric_names))
    ev = pd.DataFrame(columns=["date", "competitor", "kind", "note"]) if events is None else \
        events[["date", "competitor", "kind", "note"]].copy()
    ev["date"] = pd.to_datetime(ev["date"]).dt.normalize()
    ev = ev[ev["competitor"].isin(products)].sort_values(["date", "competitor"]).reset_index(drop=True)
    return Panel(values=wide, observed=observed, freq=freq, fill=fill, our_product=our_product,
                 competitors=products, metrics=metric_names, registry=registry, events=ev,
                 gaps=gaps, set_aside=set_aside, notes=notes, events_given=events is not None)


def _fill_gaps(wide: pd.DataFrame, observed: pd.DataFrame, fill: str, freq: str):
    """(gap list, filled values): only between a series' first and last observation."""
    v = observed.to_numpy()
    n = len(v)
    idx = np.arange(n)[:, None]
    first = np.where(v.any(0), v.argmax(0), n)
    last = np.where(v.any(0), n - 1 - v[::-1].argmax(0), -1)
    inside = (idx >= first) & (idx <= last)
    missing = inside & ~v
    rows = []
    if missing.any():
        dates = wide.index
        for j in np.flatnonzero(missing.any(0)):
            col = missing[:, j].astype(np.int8)
            edges = np.diff(np.concatenate([[0], col, [0]]))
            for s, e in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
                m, c = wide.columns[j]
                rows.append((c, m, dates[s], dates[e - 1], int(e - s), fill != "none"))
    gaps = pd.DataFrame(rows, columns=["competitor", "metric", "start", "end", "n_missing", "filled"])
    if fill == "none" or not missing.any():
        return gaps, wide
    if fill == "interpolate":
        filled = wide.interpolate(method="index", limit_area="inside")
    else:
        filled = wide.ffill().where(inside)
    return gaps, filled


def load_panel(source, window, our_product: str, competitors=None, metrics=None,
               registry: MetricRegistry | None = None, freq: str = "auto",
               fill: str = "interpolate", history_days: int = 365, min_points: int = 28) -> Panel:
    """The panel from a :class:`DataSource`: the window plus ``history_days`` before it.

    Filtering by date runs in the engine; the (small) panel comes back to pandas. Rows
    set aside are added to ``source.set_aside`` so that the data notes show them.
    """
    t = source.table(TABLE)
    lo = (window.start - pd.Timedelta(days=history_days)).date()
    hi = window.end.date()
    rows = t.filter(t.date >= lo, t.date <= hi).to_pandas()
    ev = None
    if source.has("competitor_events"):
        e = source.table("competitor_events")
        ev = e.filter(e.date >= lo, e.date <= (window.end + pd.Timedelta(days=14)).date()).to_pandas()
    panel = build_panel(rows, ev, our_product, competitors=competitors, metrics=metrics,
                        registry=registry, freq=freq, fill=fill, min_points=min_points)
    source.set_aside.extend(panel.set_aside)
    return panel
