"""Emerging issues and the crisis watch: daily volume against each series' own baseline.

For each series (a topic's daily feedback, or the daily negative feedback) and each day, the
baseline is the mean ``m`` and variance ``v`` of the previous ``baseline_days`` days of that
series, leaving out days already flagged (so a spike does not raise its own baseline). The
surprise of the day's count ``x`` is its upper tail probability::

    p = P(X >= x),  X ~ Poisson(m)                          when v <= m
                    X ~ NegBinomial(r = m^2 / (v - m), m)   when v > m (overdispersed)

A day is flagged when ``p < alert_threshold``, ``x >= min_count`` and ``x >= min_ratio * m``
(with ``m`` at least ``floor``, so a series that is usually 0 needs a real rise). Consecutive
flagged days form one alert, dated by its first day, ranked by the smallest ``p``.

**Crisis flag.** Negative feedback across all sources is flagged the same way, with the
additional rule that the rise is seen in at least ``min_sources`` sources (each at least
``min_ratio`` times the mean of its own previous ``baseline_days`` days): a spike in one channel
only is an alert, not a crisis.

>>> days = pd.date_range("2026-01-01", periods=40, freq="D")
>>> counts = pd.Series([3, 4, 2, 3, 5, 3, 4, 2, 3, 4] * 4, index=days)
>>> counts.iloc[35] = 30
>>> s = surprise(counts, baseline_days=28)
>>> bool(s.loc[days[35], "flag"]), round(float(s.loc[days[35], "ratio"]), 1)
(True, 9.1)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

BASELINE_DAYS = 28
MIN_BASELINE_DAYS = 7
MIN_COUNT = 5
MIN_RATIO = 2.0
FLOOR = 0.5
MIN_SOURCES = 2


def tail_probability(x: float, mean: float, var: float) -> float:
    """P(X >= x) under Poisson(mean), or the negative binomial of that mean and variance.

    >>> round(tail_probability(10, 3.0, 3.0), 6) == round(float(stats.poisson.sf(9, 3.0)), 6)
    True
    """
    mean = max(mean, FLOOR)
    if x <= 0:
        return 1.0
    if var > mean:
        r = mean * mean / (var - mean)
        return float(stats.nbinom.sf(x - 1, r, r / (r + mean)))
    return float(stats.poisson.sf(x - 1, mean))


def surprise(counts: pd.Series, baseline_days: int = BASELINE_DAYS,
             alert_threshold: float = 1e-3, min_count: int = MIN_COUNT,
             min_ratio: float = MIN_RATIO) -> pd.DataFrame:
    """Per day of a daily series (a complete date index): count, baseline, ratio, p, flag.

    ``p`` is computed only for days that pass ``min_count`` and ``min_ratio`` (NaN otherwise:
    such a day cannot be flagged whatever its tail probability)."""
    x = counts.to_numpy(float)
    n = len(x)
    base = np.full(n, np.nan)
    var = np.full(n, np.nan)
    p = np.full(n, np.nan)
    flag = np.zeros(n, bool)
    for i in range(n):
        lo = max(0, i - baseline_days)
        past = x[lo:i][~flag[lo:i]]
        if len(past) < MIN_BASELINE_DAYS:
            continue
        m, v = float(past.mean()), float(past.var(ddof=1)) if len(past) > 1 else 0.0
        base[i], var[i] = m, v
        if x[i] >= min_count and x[i] >= min_ratio * max(m, FLOOR):  # else it cannot flag
            p[i] = tail_probability(x[i], m, v)
            flag[i] = p[i] < alert_threshold
    ratio = x / np.maximum(base, FLOOR)
    return pd.DataFrame({"count": x.astype(int), "baseline": base, "ratio": ratio, "p": p,
                         "flag": flag}, index=counts.index)


@dataclass(frozen=True)
class Alert:
    series: str      # the topic (or "negative")
    kind: str        # "taxonomy", "discovered" or "negative"
    start: pd.Timestamp
    end: pd.Timestamp
    days: int
    peak_count: int
    baseline: float
    ratio: float     # the first day's count / its baseline
    p: float         # the smallest tail probability of the run

    def to_dict(self) -> dict:
        return {"series": self.series, "kind": self.kind, "start": f"{self.start:%Y-%m-%d}",
                "end": f"{self.end:%Y-%m-%d}", "days": self.days, "peak_count": self.peak_count,
                "baseline": self.baseline, "ratio": self.ratio, "p": self.p}


def runs(series: str, kind: str, s: pd.DataFrame) -> list[Alert]:
    """Consecutive flagged days of one series as alerts."""
    out = []
    f = s["flag"].to_numpy()
    i = 0
    while i < len(f):
        if not f[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(f) and f[j + 1]:
            j += 1
        part = s.iloc[i:j + 1]
        out.append(Alert(series, kind, s.index[i], s.index[j], j - i + 1,
                         int(part["count"].max()), float(part["baseline"].iloc[0]),
                         float(part["ratio"].iloc[0]), float(part["p"].min())))
        i = j + 1
    return out


def daily(frame: pd.DataFrame, by: str, days: pd.DatetimeIndex) -> pd.DataFrame:
    """Daily counts per value of ``by`` (columns), on every day of ``days``."""
    t = frame.assign(day=frame["created_at"].dt.normalize())
    wide = t.groupby(["day", by]).size().unstack(by, fill_value=0)
    return wide.reindex(days, fill_value=0)


def topic_alerts(frame: pd.DataFrame, by: str, kind: str, days: pd.DatetimeIndex,
                 alert_threshold: float, report_from: pd.Timestamp) -> list[Alert]:
    """Alerts of every value of column ``by`` that start on or after ``report_from``."""
    wide = daily(frame, by, days)
    out = []
    for col in wide.columns[(wide.max() >= MIN_COUNT).to_numpy()]:  # others cannot alert
        s = surprise(wide[col], alert_threshold=alert_threshold)
        out += [a for a in runs(str(col), kind, s) if a.start >= report_from]
    return sorted(out, key=lambda a: (a.p, a.start, a.series))


@dataclass
class Crisis:
    """Negative volume across sources: its daily surprise and the crisis days."""

    table: pd.DataFrame          # per day: count, baseline, ratio, p, flag, sources_up, crisis
    alerts: list[Alert]
    by_source: pd.DataFrame      # per day and source: negative count

    @property
    def days(self) -> list[pd.Timestamp]:
        return list(self.table.index[self.table["crisis"]])


def crisis_watch(negative: pd.DataFrame, days: pd.DatetimeIndex, alert_threshold: float,
                 report_from: pd.Timestamp, min_sources: int = MIN_SOURCES) -> Crisis:
    """The crisis flag on negative feedback (rows of ``negative``: created_at, source)."""
    total = daily(negative.assign(all="negative"), "all", days)["negative"] \
        if len(negative) else pd.Series(0, index=days)
    s = surprise(total, alert_threshold=alert_threshold)
    per = daily(negative, "source", days) if len(negative) else pd.DataFrame(index=days)
    # a source is up on a day when its count is at least MIN_RATIO times the mean of its
    # previous BASELINE_DAYS days (a plain trailing mean: this only says where the rise is seen)
    base = per.rolling(BASELINE_DAYS, min_periods=MIN_BASELINE_DAYS).mean().shift(1)
    up = ((per >= MIN_RATIO * np.maximum(base, FLOOR)) & base.notna() & (per > 0)).sum(
        axis=1).to_numpy() if len(per.columns) else np.zeros(len(days), int)
    s["sources_up"] = up
    s["crisis"] = s["flag"] & (s["sources_up"] >= min_sources)
    flagged = s.assign(flag=s["crisis"])
    alerts = [a for a in runs("negative", "negative", flagged) if a.start >= report_from]
    return Crisis(s[s.index >= report_from], alerts, per[per.index >= report_from])
