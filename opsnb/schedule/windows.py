"""Date windows of scheduled runs, resolved in the schedule's timezone.

A window is a pair of calendar dates (inclusive) handed to the notebook as
``start_date``/``end_date``; the notebook never reads the clock in scheduled mode, so
a rerun of the same window reproduces the report. Kinds:

- ``last_complete_day``   yesterday, in the schedule's timezone
- ``last_complete_week``  the last full ISO week (Monday to Sunday) before today
- ``last_complete_month`` the last full calendar month before today
- ``trailing_N_days``     the N days before today (today excluded), e.g. ``trailing_7_days``
- fixed dates             ``{start: 2026-10-01, end: 2026-10-31}``

"Today" is the local date, in the schedule's timezone, of the instant the schedule fired.
Only the local *date* of that instant is used, so DST changes cannot shift a window.

opsnb data is UTC-dated: the notebooks read ``start_date``/``end_date`` as UTC days. A
window is therefore *ready* only once its last day has ended in UTC as well
(``ready_at``); a schedule east of UTC that fires just after local midnight waits for
UTC midnight rather than report a day whose data is still arriving.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UTC = _dt.UTC
KINDS = ("last_complete_day", "last_complete_week", "last_complete_month", "trailing_N_days",
         "fixed")
_TRAILING = re.compile(r"^trailing_(\d+)_days?$")


class WindowError(ValueError):
    """A window spec that cannot be used."""


def _date(value, what: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise WindowError(f"{what} {value!r} is not a date; use YYYY-MM-DD") from exc


@dataclass(frozen=True)
class WindowSpec:
    kind: str
    days: int = 0
    start: _dt.date | None = None
    end: _dt.date | None = None

    @classmethod
    def parse(cls, spec) -> WindowSpec:
        if isinstance(spec, dict):
            unknown = set(spec) - {"start", "end"}
            if unknown or not {"start", "end"} <= set(spec):
                raise WindowError("fixed windows are written {start: YYYY-MM-DD, end: YYYY-MM-DD}")
            start, end = _date(spec["start"], "start"), _date(spec["end"], "end")
            if end < start:
                raise WindowError(f"window end {end} is before its start {start}")
            return cls("fixed", start=start, end=end)
        if not isinstance(spec, str):
            raise WindowError(f"window {spec!r}: expected one of {', '.join(KINDS)}")
        text = spec.strip()
        if text in ("last_complete_day", "last_complete_week", "last_complete_month"):
            return cls(text)
        m = _TRAILING.match(text)
        if m:
            n = int(m.group(1))
            if n < 1:
                raise WindowError("trailing_N_days needs N >= 1")
            return cls("trailing_N_days", days=n)
        raise WindowError(f"unknown window {spec!r}; use last_complete_day, last_complete_week, "
                          "last_complete_month, trailing_N_days (e.g. trailing_28_days) "
                          "or {start: YYYY-MM-DD, end: YYYY-MM-DD}")

    def describe(self) -> str:
        if self.kind == "fixed":
            return f"{self.start} to {self.end}"
        if self.kind == "trailing_N_days":
            return f"trailing_{self.days}_days"
        return self.kind

    def resolve(self, instant: _dt.datetime, tz: str | ZoneInfo) -> Window:
        """The window of a schedule that fired at ``instant`` (aware) in timezone ``tz``."""
        zone = ZoneInfo(tz) if isinstance(tz, str) else tz
        if instant.tzinfo is None:
            raise WindowError("the instant must carry a timezone")
        today = instant.astimezone(zone).date()
        one = _dt.timedelta(days=1)
        if self.kind == "fixed":
            start, end = self.start, self.end
        elif self.kind == "last_complete_day":
            start = end = today - one
        elif self.kind == "last_complete_week":
            monday = today - _dt.timedelta(days=today.weekday())
            start, end = monday - 7 * one, monday - one
        elif self.kind == "last_complete_month":
            first = today.replace(day=1)
            end = first - one
            start = end.replace(day=1)
        elif self.kind == "trailing_N_days":
            start, end = today - self.days * one, today - one
        else:  # pragma: no cover - parse() only builds the kinds above
            raise WindowError(self.kind)
        return Window(self.describe(), start, end)


@dataclass(frozen=True)
class Window:
    kind: str
    start: _dt.date
    end: _dt.date

    @property
    def label(self) -> str:
        """The folder name of the window's run: pure function of the dates."""
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def ready_at(self) -> _dt.datetime:
        """When the last day has ended in UTC, the data's own time (see the module doc)."""
        return _dt.datetime.combine(self.end + _dt.timedelta(days=1), _dt.time(), tzinfo=UTC)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def parameters(self) -> dict[str, str]:
        return {"start_date": self.start.isoformat(), "end_date": self.end.isoformat()}

    def to_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "label": self.label}
