"""Five-field cron expressions, evaluated in a schedule's own timezone (DST-safe).

Fields: minute hour day-of-month month day-of-week, with ``*``, lists ``a,b``, ranges
``a-b``, steps ``*/n`` and ``a-b/n``, month and weekday names (``jan``, ``mon``), 0 or 7
for Sunday, and the aliases ``@hourly @daily @midnight @weekly @monthly @yearly @annually``.
As in Vixie cron and Airflow, when both day-of-month and day-of-week are restricted a day
matches when either does.

DST: a local time that does not exist (the hour skipped in spring) fires at the same
instant as the wall-clock time one hour later would, i.e. right after the change; a local
time that occurs twice (the hour repeated in autumn) fires once, at its first occurrence.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UTC = _dt.UTC

ALIASES = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
           "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *",
           "@annually": "0 0 1 1 *"}
_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_DAYS = {d: i for i, d in enumerate("sun mon tue wed thu fri sat".split())}
_FIELDS = (("minute", 0, 59, {}), ("hour", 0, 23, {}), ("day of month", 1, 31, {}),
           ("month", 1, 12, _MONTHS), ("day of week", 0, 7, _DAYS))


class CronError(ValueError):
    """A cron expression that cannot be parsed."""


def _value(text: str, lo: int, hi: int, names: dict, field: str) -> int:
    t = text.strip().lower()
    if t in names:
        return names[t]
    if not t.isdigit():
        raise CronError(f"{field}: {text!r} is not a number"
                        + (f" or a name ({', '.join(names)})" if names else ""))
    v = int(t)
    if not lo <= v <= hi:
        raise CronError(f"{field}: {v} is outside {lo}-{hi}")
    return v


def _field(text: str, lo: int, hi: int, names: dict, field: str) -> frozenset[int]:
    out: set[int] = set()
    for part in text.split(","):
        if not part:
            raise CronError(f"{field}: empty list item in {text!r}")
        base, _, step_s = part.partition("/")
        step = 1
        if step_s:
            if not step_s.isdigit() or int(step_s) == 0:
                raise CronError(f"{field}: step {step_s!r} must be a positive number")
            step = int(step_s)
        if base == "*":
            a, b = lo, hi
        elif "-" in base:
            a_s, b_s = base.split("-", 1)
            a, b = _value(a_s, lo, hi, names, field), _value(b_s, lo, hi, names, field)
            if b < a:
                raise CronError(f"{field}: range {base!r} runs backwards")
        else:
            a = _value(base, lo, hi, names, field)
            b = hi if step_s else a
        out.update(range(a, b + 1, step))
    return frozenset(out)


@dataclass(frozen=True)
class Cron:
    expr: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]   # 0 = Sunday
    dom_star: bool
    dow_star: bool

    @classmethod
    def parse(cls, expr: str) -> Cron:
        if not isinstance(expr, str) or not expr.strip():
            raise CronError("empty cron expression; write five fields like '30 6 * * *'")
        text = ALIASES.get(expr.strip().lower(), expr.strip())
        parts = text.split()
        if len(parts) != 5:
            raise CronError(f"{expr!r} has {len(parts)} fields; cron needs five: "
                            "minute hour day-of-month month day-of-week (e.g. '30 6 * * *')")
        sets = [_field(p, lo, hi, names, name) for p, (name, lo, hi, names) in zip(parts, _FIELDS)]
        weekdays = frozenset(d % 7 for d in sets[4])
        return cls(expr, sets[0], sets[1], sets[2], sets[3], weekdays,
                   parts[2].startswith("*"), parts[4].startswith("*"))

    def matches_day(self, d: _dt.date) -> bool:
        if d.month not in self.months:
            return False
        dom = d.day in self.days
        dow = (d.isoweekday() % 7) in self.weekdays
        if self.dom_star or self.dow_star:
            return dom and dow
        return dom or dow

    def fire_times(self, tz: str | ZoneInfo, after: _dt.datetime,
                   until: _dt.datetime) -> list[_dt.datetime]:
        """Fire instants (aware, UTC) in ``(after, until]``, in order."""
        zone = ZoneInfo(tz) if isinstance(tz, str) else tz
        after, until = after.astimezone(UTC), until.astimezone(UTC)
        day = after.astimezone(zone).date() - _dt.timedelta(days=1)
        last = until.astimezone(zone).date() + _dt.timedelta(days=1)
        hm = sorted((h, m) for h in self.hours for m in self.minutes)
        out: set[_dt.datetime] = set()
        while day <= last:
            if self.matches_day(day):
                for h, m in hm:
                    # fold=0: the first of a repeated time; a skipped time maps past the gap
                    local = _dt.datetime(day.year, day.month, day.day, h, m, tzinfo=zone)
                    t = local.astimezone(UTC)
                    if after < t <= until:
                        out.add(t)
            day += _dt.timedelta(days=1)
        return sorted(out)

    def latest_fire(self, tz: str | ZoneInfo, at: _dt.datetime,
                    lookback: _dt.timedelta) -> _dt.datetime | None:
        """The last fire instant at or before ``at`` within ``lookback``."""
        times = self.fire_times(tz, at - lookback, at)
        return times[-1] if times else None
