"""Which windows of a schedule are due at an instant, with catch-up of missed ones.

The state is the run history: ``last_fire`` is the latest fire instant of the schedule
that a recorded run handled. At an invocation at ``as_of``:

- every fire instant of the cron in ``(last_fire, as_of]`` (at most ``catch_up_days``
  back) maps to a window; windows already run successfully are skipped unless forced;
  so a window missed while the machine was off runs at the next invocation;
- a schedule with no history runs only the window of its latest fire instant;
- a window whose last day has not yet ended in UTC waits (``pending``); later windows
  of the same schedule wait behind it, so they run in order.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from opsnb.schedule.config import Schedule
from opsnb.schedule.windows import Window

UTC = _dt.UTC


@dataclass(frozen=True)
class DueRun:
    schedule: Schedule
    window: Window
    fire_time: _dt.datetime    # the latest fire instant (UTC) that asked for this window
    forced: bool = False


@dataclass
class Plan:
    due: list[DueRun] = field(default_factory=list)
    done: list[Window] = field(default_factory=list)      # skipped: already run
    pending: list[Window] = field(default_factory=list)   # not complete in UTC yet


def plan(schedule: Schedule, as_of: _dt.datetime, last_fire: _dt.datetime | None,
         done_labels: set[str], force: bool = False) -> Plan:
    """The windows ``schedule`` should run at ``as_of`` (aware)."""
    as_of = as_of.astimezone(UTC)
    lookback = _dt.timedelta(days=schedule.catch_up_days)
    if last_fire is None or force:
        latest = schedule.cron.latest_fire(schedule.zone, as_of, lookback)
        fires = [latest] if latest else []
        if force and last_fire is not None:  # forced: also any catch-up windows
            fires = schedule.cron.fire_times(schedule.zone, max(last_fire, as_of - lookback),
                                             as_of) or fires
    else:
        fires = schedule.cron.fire_times(schedule.zone, max(last_fire, as_of - lookback), as_of)
    by_label: dict[str, DueRun] = {}
    out = Plan()
    for fire in fires:
        w = schedule.window.resolve(fire, schedule.zone)
        if w.ready_at > as_of:
            if w not in out.pending:
                out.pending.append(w)
            continue
        if out.pending:  # keep windows in order behind one that waits
            continue
        if w.label in done_labels and not force:
            if w not in out.done:
                out.done.append(w)
            continue
        by_label[w.label] = DueRun(schedule, w, fire, forced=force)  # latest fire wins
    out.due = sorted(by_label.values(), key=lambda d: (d.window.start, d.window.end))
    return out
