"""The retention specification: every semantic choice of a retention query in one object.

Like PostHog's retention query, each choice is an explicit enum, and
:meth:`RetentionSpec.validate` rejects the combinations that make no sense:

* **start_event** / **return_event**: an event name, ``"any"`` (any event) or, for the
  start only, ``"signup"`` (``users.signup_at``);
* **cohort_entry**: ``first_time`` (a user joins the cohort of the first period in which
  they did the start event, once) or ``recurring`` (a user belongs to every period's
  cohort in which they did the start event; calendar windows only);
* **counting**: ``on`` (returned in period k), ``on_or_after`` (returned in period k or
  any later one, as far as the data reaches) or ``brackets`` (returned in any period of
  a bracket such as days 2-3);
* **period**: ``day``, ``week`` (ISO, Monday start) or ``month``; **cohort_period**
  groups the users into cohorts (by default the same as ``period``);
* **window**: ``rolling`` (period k = [start + k·L, start + (k+1)·L) from each user's
  own start time, L = 24 h or 7 days) or ``calendar`` (period k = the k-th calendar
  period after the start's period, UTC);
* **reference**: ``cohort_size`` (rate = retained / cohort size) or ``previous_period``
  (rate = retained in k / retained in k-1);
* **mean**: ``weighted`` (pooled: sum retained / sum base, over complete cells) or
  ``simple`` (unweighted mean of the cohorts' rates, over complete, non-empty cells).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

import pandas as pd

from opsnb.data import periods
from opsnb.data.periods import Period
from opsnb.errors import ParameterError

ANY_EVENT = "any"
SIGNUP = "signup"


class CohortEntry(str, Enum):
    FIRST_TIME = "first_time"
    RECURRING = "recurring"


class Counting(str, Enum):
    ON = "on"
    ON_OR_AFTER = "on_or_after"
    BRACKETS = "brackets"


class WindowKind(str, Enum):
    ROLLING = "rolling"
    CALENDAR = "calendar"


class Reference(str, Enum):
    COHORT_SIZE = "cohort_size"
    PREVIOUS_PERIOD = "previous_period"


class MeanMethod(str, Enum):
    WEIGHTED = "weighted"
    SIMPLE = "simple"


PERIOD_LETTER = periods.UNIT  # D, W, M (one definition: opsnb.data.periods)
DEFAULT_MAX_PERIOD = {Period.DAY: 30, Period.WEEK: 12, Period.MONTH: 6}
# the shortest length of each period, in days (for "is the window long enough")
PERIOD_DAYS = periods.SHORTEST_DAYS


def _enum(cls, value, name: str):
    if isinstance(value, cls):
        return value
    try:
        return cls(str(value).strip().lower())
    except ValueError:
        raise ParameterError(f"{name}={value!r}; choose one of "
                             f"{', '.join(m.value for m in cls)}") from None


def parse_brackets(brackets) -> tuple[tuple[int, int], ...]:
    """``[1, "2-3", [4, 7]]`` -> ((1, 1), (2, 3), (4, 7)); ascending and non-overlapping."""
    if brackets is None or (isinstance(brackets, str) and not brackets.strip()):
        return ()
    if isinstance(brackets, str):
        brackets = [b for b in brackets.replace(";", ",").split(",") if b.strip()]
    out = []
    for b in brackets:
        try:
            if isinstance(b, (int, float)) and not isinstance(b, bool):
                lo = hi = int(b)
            elif isinstance(b, str):
                parts = b.strip().split("-")
                lo, hi = int(parts[0]), int(parts[-1])
                if len(parts) > 2:
                    raise ValueError(b)
            else:
                lo, hi = (int(b[0]), int(b[-1]))
                if len(b) not in (1, 2):
                    raise ValueError(b)
        except (ValueError, TypeError, IndexError):
            raise ParameterError(f"bracket {b!r} is not a period or a range like '2-3'") from None
        out.append((lo, hi))
    for (lo, hi) in out:
        if lo < 0 or hi < lo:
            raise ParameterError(f"bracket {lo}-{hi}: periods must be >= 0 and ascending")
    for (a, b) in zip(out, out[1:]):
        if b[0] <= a[1]:
            raise ParameterError(f"brackets {a[0]}-{a[1]} and {b[0]}-{b[1]} overlap or are "
                                 "out of order; list them ascending without overlap")
    return tuple(out)


@dataclass(frozen=True)
class RetentionSpec:
    """What counts as a cohort, a return and a retention rate. See the module docstring."""

    start_event: str = ANY_EVENT
    return_event: str = ANY_EVENT
    cohort_entry: CohortEntry = CohortEntry.FIRST_TIME
    counting: Counting = Counting.ON
    brackets: tuple[tuple[int, int], ...] = field(default=())
    period: Period = Period.DAY
    cohort_period: Period | None = None
    window: WindowKind = WindowKind.ROLLING
    reference: Reference = Reference.COHORT_SIZE
    mean: MeanMethod = MeanMethod.WEIGHTED
    max_period: int | None = None

    @classmethod
    def make(cls, start_event: str = ANY_EVENT, return_event: str = ANY_EVENT,
             cohort_entry: str = "first_time", counting: str = "on",
             brackets: Sequence | str | None = None, period: str = "day",
             cohort_period: str | None = None, window: str = "rolling",
             reference: str = "cohort_size", mean: str = "weighted",
             max_period: int | None = None) -> RetentionSpec:
        """Build from plain strings (report parameters), converting and validating."""
        br = parse_brackets(brackets)
        counting_e = _enum(Counting, counting, "counting")
        if br and counting_e is Counting.ON:
            counting_e = Counting.BRACKETS  # brackets given: count by bracket
        spec = cls(
            start_event=_event(start_event, "start_event"),
            return_event=_event(return_event, "return_event"),
            cohort_entry=_enum(CohortEntry, cohort_entry, "cohort_entry"),
            counting=counting_e, brackets=br, period=_enum(Period, period, "period"),
            cohort_period=(None if cohort_period in (None, "")
                           else _enum(Period, cohort_period, "cohort_period")),
            window=_enum(WindowKind, window, "window"),
            reference=_enum(Reference, reference, "reference"),
            mean=_enum(MeanMethod, mean, "mean"),
            max_period=None if max_period in (None, "") else int(max_period),
        )
        return spec.validate()

    def validate(self) -> RetentionSpec:
        """Return self if the combination makes sense, else raise ParameterError."""
        for name, cls in (("cohort_entry", CohortEntry), ("counting", Counting), ("period", Period),
                          ("window", WindowKind), ("reference", Reference), ("mean", MeanMethod)):
            if not isinstance(getattr(self, name), cls):
                raise ParameterError(f"{name} must be a {cls.__name__}; use RetentionSpec.make() "
                                     "to build a spec from strings")
        if self.return_event == SIGNUP:
            raise ParameterError("return_event='signup' is not an event; use an event name or 'any'")
        if self.counting is Counting.BRACKETS and not self.brackets:
            raise ParameterError("counting='brackets' needs brackets, e.g. [1, '2-3', '4-7']")
        if self.brackets and self.counting is not Counting.BRACKETS:
            raise ParameterError(f"brackets were given with counting={self.counting.value!r}; "
                                 "use counting='brackets' (or drop the brackets)")
        if self.window is WindowKind.ROLLING and self.period is Period.MONTH:
            raise ParameterError("rolling windows need a fixed length and a month has none; use "
                                 "window='calendar' for months, or period='day' with brackets "
                                 "such as '1-30'")
        if self.cohort_entry is CohortEntry.RECURRING and self.window is WindowKind.ROLLING:
            raise ParameterError("recurring cohorts are calendar periods (a user joins each period "
                                 "in which they did the start event); use window='calendar'")
        if self.cohort_entry is CohortEntry.RECURRING and self.start_event == SIGNUP:
            raise ParameterError("a user signs up once: cohort_entry='recurring' needs a start event")
        if self.reference is Reference.PREVIOUS_PERIOD and self.counting is not Counting.ON:
            raise ParameterError("reference='previous_period' compares period k with period k-1 "
                                 "and needs counting='on'")
        if self.cohort_period is not None and self.window is WindowKind.CALENDAR and (
                list(Period).index(self.cohort_period) < list(Period).index(self.period)):
            raise ParameterError(f"calendar {self.period.value}s counted from "
                                 f"{self.cohort_period.value} cohorts mix users whose first "
                                 f"{self.period.value} differs; use cohort_period >= period")
        if self.max_period is not None and self.max_period < 1:
            raise ParameterError(f"max_period={self.max_period} must be at least 1")
        if self.brackets and self.max_period is not None and self.brackets[-1][1] > self.max_period:
            raise ParameterError("the last bracket ends after max_period")
        return self

    # ------------------------------------------------------------------ derived
    @property
    def cohort_by(self) -> Period:
        return self.cohort_period or self.period

    @property
    def last_period(self) -> int:
        """The highest period index the query needs."""
        if self.brackets:
            return self.brackets[-1][1]
        return self.max_period or DEFAULT_MAX_PERIOD[self.period]

    @property
    def letter(self) -> str:
        return PERIOD_LETTER[self.period]

    def period_labels(self) -> list[str]:
        if self.counting is Counting.BRACKETS:
            return [periods.offset_label(lo, self.period, hi) for lo, hi in self.brackets]
        return [periods.offset_label(k, self.period) for k in range(self.last_period + 1)]

    def with_(self, **kw) -> RetentionSpec:
        return replace(self, **kw).validate()

    def to_dict(self) -> dict:
        return {"start_event": self.start_event, "return_event": self.return_event,
                "cohort_entry": self.cohort_entry.value, "counting": self.counting.value,
                "brackets": [list(b) for b in self.brackets], "period": self.period.value,
                "cohort_period": self.cohort_by.value, "window": self.window.value,
                "reference": self.reference.value, "mean": self.mean.value,
                "max_period": self.last_period}


def _event(value, name: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ANY_EVENT
    if not isinstance(value, str):
        raise ParameterError(f"{name}={value!r} must be an event name, 'any' or 'signup'")
    v = value.strip()
    return v.lower() if v.lower() in (ANY_EVENT, SIGNUP) else v


def period_length(period: Period) -> pd.Timedelta:
    """The length of a rolling period: a day or a week (:func:`opsnb.data.periods.period_length`)."""
    return periods.period_length(period)
