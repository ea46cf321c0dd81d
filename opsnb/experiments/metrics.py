"""Metric definitions and the per-user aggregation of events after assignment.

A metric is computed per assigned user from the events between the user's
``assigned_at`` and the end of the analysis (exclusive). Users assigned but never
active count as zeros, not as missing. Kinds:

* ``proportion`` — share of users with at least one ``event``;
* ``mean`` — mean per user of the events' ``value`` (``"count"`` of events or ``"revenue"``);
* ``ratio`` — sum of the numerator over sum of the denominator (orders per session,
  revenue per order); its variance comes from the delta method;
* ``quantile`` — quantile ``q`` of the per-user value among users with a value above zero
  (median revenue among payers), by bootstrap.

The CUPED covariate of a proportion or mean metric is the same metric over the
``cuped_days`` before the user's assignment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ibis
import pandas as pd

from opsnb.errors import DataError, ParameterError

KINDS = ("proportion", "mean", "ratio", "quantile")
VALUES = ("count", "revenue")


@dataclass(frozen=True)
class Metric:
    """One metric of an experiment.

    ``margin`` (relative, e.g. 0.02) makes the metric a guardrail: it must not get worse
    by more than the margin (a one-sided non-inferiority test).
    """

    name: str
    kind: str
    event: str = ""
    value: str = "count"
    numerator: str = ""
    numerator_value: str = "count"
    denominator: str = ""
    denominator_value: str = "count"
    q: float = 0.5
    higher_is_better: bool = True
    margin: float | None = None

    @property
    def is_guardrail(self) -> bool:
        return self.margin is not None

    @property
    def events(self) -> tuple[str, ...]:
        if self.kind == "ratio":
            return tuple(dict.fromkeys((self.numerator, self.denominator)))
        return (self.event,)

    @property
    def cuped_able(self) -> bool:
        return self.kind in ("proportion", "mean")

    def describe(self) -> str:
        if self.kind == "proportion":
            return f"share of assigned users with at least one {self.event}"
        if self.kind == "mean":
            what = "events" if self.value == "count" else "revenue"
            return f"{self.event} {what} per assigned user (0 for users without one)"
        if self.kind == "ratio":
            n = f"{self.numerator} {'revenue' if self.numerator_value == 'revenue' else 'events'}"
            d = f"{self.denominator} {'revenue' if self.denominator_value == 'revenue' else 'events'}"
            return f"{n} / {d}, summed over assigned users"
        what = "events" if self.value == "count" else "revenue"
        return f"{self.q:.0%} quantile of {self.event} {what} per user, among users with one"

    def to_dict(self) -> dict:
        d = {"name": self.name, "kind": self.kind}
        if self.kind == "ratio":
            d.update(numerator=self.numerator, numerator_value=self.numerator_value,
                     denominator=self.denominator, denominator_value=self.denominator_value)
        else:
            d.update(event=self.event, value=self.value)
        if self.kind == "quantile":
            d["q"] = self.q
        d["higher_is_better"] = self.higher_is_better
        if self.margin is not None:
            d["margin"] = self.margin
        return d


DEFAULT_METRICS = (
    Metric("purchase_conversion", "proportion", event="purchase"),
    Metric("revenue_per_user", "mean", event="purchase", value="revenue"),
    Metric("orders_per_session", "ratio", numerator="purchase", denominator="session_start"),
    Metric("median_revenue_per_payer", "quantile", event="purchase", value="revenue", q=0.5),
)
DEFAULT_GUARDRAILS = (Metric("sessions_per_user", "mean", event="session_start", margin=0.03),)


def parse_metrics(specs: Iterable, guardrail: bool = False) -> list[Metric]:
    """Metrics from dicts (notebook parameters) or :class:`Metric` objects, checked."""
    if isinstance(specs, (str, dict)) or not isinstance(specs, Iterable):
        raise ParameterError(f"metrics must be a list of metric definitions, got {specs!r}")
    out: list[Metric] = []
    for spec in specs:
        m = spec if isinstance(spec, Metric) else _from_dict(spec, guardrail)
        _check(m)
        out.append(m)
    names = [m.name for m in out]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ParameterError(f"metric names must be unique; repeated: {', '.join(dup)}")
    return out


def _from_dict(spec, guardrail: bool) -> Metric:
    if not isinstance(spec, dict):
        raise ParameterError(f"a metric is a dict such as {{'name': 'conversion', 'kind': "
                             f"'proportion', 'event': 'purchase'}}; got {spec!r}")
    known = set(Metric.__dataclass_fields__)
    extra = set(spec) - known
    if extra:
        raise ParameterError(f"metric {spec.get('name', spec)!r}: unknown key(s) "
                             f"{', '.join(sorted(extra))}; known: {', '.join(sorted(known))}")
    if "name" not in spec or "kind" not in spec:
        raise ParameterError(f"metric {spec!r} needs a 'name' and a 'kind' ({', '.join(KINDS)})")
    kw = dict(spec)
    if guardrail and kw.get("margin") is None:
        kw["margin"] = 0.0
    return Metric(**kw)


def _check(m: Metric) -> None:
    if m.kind not in KINDS:
        raise ParameterError(f"metric {m.name!r}: kind={m.kind!r}; use one of {', '.join(KINDS)}")
    if m.kind == "ratio":
        if not m.numerator or not m.denominator:
            raise ParameterError(f"ratio metric {m.name!r} needs a numerator and a denominator event")
        vals = (m.numerator_value, m.denominator_value)
    else:
        if not m.event:
            raise ParameterError(f"metric {m.name!r} needs an 'event'")
        vals = (m.value,)
    for v in vals:
        if v not in VALUES:
            raise ParameterError(f"metric {m.name!r}: value {v!r}; use one of {', '.join(VALUES)}")
    if m.kind == "quantile" and not 0 < m.q < 1:
        raise ParameterError(f"metric {m.name!r}: q must lie between 0 and 1")
    if m.margin is not None and not 0 <= m.margin < 1:
        raise ParameterError(f"guardrail {m.name!r}: margin={m.margin} must be a share in [0, 1)")


# --------------------------------------------------------------------------- per-user table
def _col(event: str, value: str, period: str) -> str:
    return f"{period}__{event}__{value}"


def raw_columns(metrics: Sequence[Metric]) -> list[tuple[str, str]]:
    """The distinct (event, value) sums the metrics need."""
    out: dict[tuple[str, str], None] = {}
    for m in metrics:
        if m.kind == "ratio":
            out[(m.numerator, m.numerator_value)] = None
            out[(m.denominator, m.denominator_value)] = None
        else:
            out[(m.event, m.value)] = None
    return list(out)


def missing_events(source, metrics: Sequence[Metric], start: pd.Timestamp,
                   end_exclusive: pd.Timestamp) -> list[str]:
    """The events the metrics need that never occur in ``[start, end_exclusive)``."""
    needed = sorted({e for m in metrics for e in m.events})
    if not needed:
        return []
    ev = source.table("events")
    ev = ev.filter(ev.event_at >= start, ev.event_at < end_exclusive)
    # one row of each event at most: the scan stops at the first hit instead of counting all
    parts = [ev.filter(ev.event == e).select("event").limit(1) for e in needed]
    present = set(ibis.union(*parts).to_pandas()["event"]) if len(parts) > 1 else \
        set(parts[0].to_pandas()["event"])
    return [e for e in needed if e not in present]


def known_events(source, limit: int = 20) -> list[str]:
    """The first ``limit`` event names of the data, sorted (for a message that names them)."""
    ev = source.table("events")
    return sorted(ev.select("event").distinct().to_pandas()["event"].astype(str).tolist())[:limit]


def check_events_exist(source, metrics: Sequence[Metric], start: pd.Timestamp,
                       end_exclusive: pd.Timestamp, experiment_id: str) -> None:
    """A DataError when a metric's event never occurs during the experiment."""
    missing = missing_events(source, metrics, start, end_exclusive)
    if missing:
        known = known_events(source)
        users = [m.name for m in metrics if set(m.events) & set(missing)]
        raise DataError(
            f"experiment {experiment_id}: event(s) {', '.join(missing)} never occur between "
            f"{start:%Y-%m-%d} and {end_exclusive - pd.Timedelta(days=1):%Y-%m-%d} "
            f"(used by metric(s) {', '.join(users)})",
            table="events", column="event",
            fix=f"check the metric definitions against the event names in the data: "
                f"{', '.join(known)}",
        )


def first_column(m: Metric) -> str:
    """The per-user column holding when a proportion metric first became 1 (see ``user_metrics``)."""
    return _col(m.event, m.value, "first")


def user_metrics(source, experiment_id: str, start: pd.Timestamp, end_exclusive: pd.Timestamp,
                 metrics: Sequence[Metric], cuped_days: int = 0,
                 first: Sequence[Metric] = ()) -> ibis.Table:
    """One row per assigned user: variant, assigned_at and the event sums the metrics need.

    Columns ``post__<event>__<value>`` sum the events from ``assigned_at`` up to
    ``end_exclusive``; ``pre__<event>__<value>`` the ``cuped_days`` before ``assigned_at``.
    Users without events get zeros. Assignments before ``start`` or from ``end_exclusive``
    on are outside the analysis.

    For each proportion metric in ``first``, ``first__<event>__<value>`` is the time of the
    user's first qualifying event after assignment (NULL if none): the day the user's value
    turns from 0 to 1, which is all the daily sequential view of a proportion needs. The
    whole table comes from one pass over the events.
    """
    a = source.table("assignments")
    a = a.filter(a.experiment_id == experiment_id, a.assigned_at >= start,
                 a.assigned_at < end_exclusive).select("user_id", "variant", "assigned_at")
    cols = raw_columns(metrics)
    events = sorted({e for e, _ in cols} | {m.event for m in first})
    ev = source.table("events")
    ev = ev.filter(ev.event.isin(events), ev.event_at < end_exclusive,
                   ev.event_at >= pd.Timestamp(start) - pd.Timedelta(days=int(cuped_days)))
    ev = ev.select(uid=ev.user_id, at=ev.event_at, ev_name=ev.event, rev=ev.revenue)
    j = a.left_join(ev, a.user_id == ev.uid)
    post = j.at >= j.assigned_at
    pre = (j.at < j.assigned_at) & (j.at >= j.assigned_at - ibis.interval(days=int(cuped_days)))
    aggs = {}
    for e, v in cols:
        periods = [("post", post)] + ([("pre", pre)] if cuped_days else [])
        for period, cond in periods:
            c = cond & (j.ev_name == e)
            expr = j.uid.count(where=c).cast("float64") if v == "count" else j.rev.sum(where=c)
            aggs[_col(e, v, period)] = expr
    firsts = {}
    for m in first:
        if m.kind != "proportion":
            raise ParameterError(f"metric {m.name!r}: first-event times are kept for proportion "
                                 f"metrics only, not {m.kind}")
        c = post & (j.ev_name == m.event)
        if m.value == "revenue":  # the user counts once their revenue is above zero
            c = c & (j.rev > 0)
        firsts[first_column(m)] = j.at.min(where=c)
    t = j.group_by(["user_id", "variant", "assigned_at"]).aggregate(**aggs, **firsts)
    return t.mutate(**{k: t[k].fill_null(0.0).cast("float64") for k in aggs})


def metric_columns(t: ibis.Table, m: Metric, pre: bool = False) -> dict[str, ibis.Value]:
    """Per-user ``y`` (and ``x``: ratio denominator or CUPED covariate) of metric ``m``."""
    def val(e, v, period="post"):
        return t[_col(e, v, period)]
    if m.kind == "ratio":
        return {"y": val(m.numerator, m.numerator_value), "x": val(m.denominator, m.denominator_value)}
    y = val(m.event, m.value)
    out = {"y": (y > 0).cast("float64") if m.kind == "proportion" else y}
    if pre:
        x = val(m.event, m.value, "pre")
        out["x"] = (x > 0).cast("float64") if m.kind == "proportion" else x
    return out
