"""The metric registry: what each competitor metric means and which way is better.

Every metric of ``competitor_metrics`` is read through a :class:`MetricSpec`:

* ``better``: ``"higher"`` or ``"lower"`` (rank 1 beats rank 20, a lower price wins);
* ``scale``: ``"log"`` for positive volumes and prices, whose changes are read as
  percentages (price -15 %); ``"linear"`` for bounded scores (rating, sentiment,
  share of voice), whose changes are read in points;
* ``kind``: ``"volume"`` when values add up across products, so that a share of the
  total means something (downloads, reviews); ``"share"`` when the value already is a
  share (share of voice); ``"level"`` otherwise (price, rating, rank);
* ``fmt``: the :mod:`opsnb.report.fmt` formatter for its values;
* ``digits``: decimals of a ``"number"`` value (2; category rank, a mean of ranks, 1).

The default registry knows the metrics of the sample feed. Users extend it with
:meth:`MetricRegistry.register` (or the notebook's ``metric_directions``
parameter); a metric the registry does not know is treated as higher-is-better on a
linear scale, and the report says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from opsnb.errors import ParameterError

BETTER = ("higher", "lower")
SCALES = ("log", "linear")
KINDS = ("level", "volume", "share")
FORMATS = ("money", "number", "count", "pct")


@dataclass(frozen=True)
class MetricSpec:
    """How to read one metric."""

    name: str
    better: str = "higher"
    scale: str = "linear"
    kind: str = "level"
    fmt: str = "number"
    label: str = ""
    known: bool = True
    digits: int = 2

    def __post_init__(self) -> None:
        for attr, allowed in (("better", BETTER), ("scale", SCALES), ("kind", KINDS),
                              ("fmt", FORMATS)):
            if getattr(self, attr) not in allowed:
                raise ParameterError(f"metric {self.name!r}: {attr}={getattr(self, attr)!r}; "
                                     f"use one of {', '.join(allowed)}")

    @property
    def sign(self) -> int:
        """+1 when higher is better, -1 when lower is better."""
        return 1 if self.better == "higher" else -1

    def title(self, lang: str = "en") -> str:
        """The metric's readable name in ``lang`` ('share of voice', not the key).

        >>> MetricSpec("share_of_voice", label="share of voice").title("zh")
        '声量份额'
        """
        from opsnb.report.i18n import translate
        return translate(self.label or self.name.replace("_", " "), lang)

    def format_value(self, x) -> str:
        from opsnb.report import fmt
        if self.fmt == "money":
            return fmt.money(x, 2)
        if self.fmt == "count":
            return fmt.count(x)
        if self.fmt == "pct":
            return fmt.pct(x)
        return fmt.number(x, self.digits)

    def format_change(self, absolute, relative) -> str:
        """A change as read on this metric's scale: '-15.0%' (log) or '-0.40' / '+2.1 pp' (linear).

        A change that rounds to zero shows unsigned ('0.0%', '0.0 pp', '0.00'), never '-0.0%'."""
        from opsnb.report import fmt
        if self.scale == "log":
            x, scale, digits, out = relative, 100, 1, lambda v: fmt.pct(v, signed=True)
        elif self.fmt == "pct":
            x, scale, digits, out = absolute, 100, 1, fmt.pp
        else:
            x, scale, digits, out = absolute, 1, 2, lambda v: f"{v:+,.2f}"
        if fmt.missing(x):
            return "–"
        if round(x * scale, digits) == 0:
            return out(0.0).lstrip("+")
        return out(x)


DEFAULT_METRICS = (
    MetricSpec("price", better="lower", scale="log", kind="level", fmt="money"),
    MetricSpec("rating", better="higher", scale="linear", kind="level", fmt="number",
               label="app-store rating"),
    MetricSpec("reviews", better="higher", scale="log", kind="volume", fmt="count",
               label="new reviews per day"),
    MetricSpec("downloads", better="higher", scale="log", kind="volume", fmt="count",
               label="downloads per day"),
    MetricSpec("rank", better="lower", scale="log", kind="level", fmt="number",
               label="category rank", digits=1),
    MetricSpec("share_of_voice", better="higher", scale="linear", kind="share", fmt="pct",
               label="share of voice"),
    MetricSpec("sentiment", better="higher", scale="linear", kind="level", fmt="number"),
)


class MetricRegistry:
    """Metric name -> :class:`MetricSpec`; copy it before changing a shared one."""

    def __init__(self, specs: Iterable[MetricSpec] = DEFAULT_METRICS) -> None:
        self._specs: dict[str, MetricSpec] = {s.name: s for s in specs}

    def register(self, name: str, better: str = "higher", scale: str = "linear",
                 kind: str = "level", fmt: str = "number", label: str = "",
                 digits: int = 2) -> MetricSpec:
        """Add or replace a metric; returns its spec."""
        spec = MetricSpec(name, better=better, scale=scale, kind=kind, fmt=fmt, label=label,
                          digits=digits)
        self._specs[name] = spec
        return spec

    def with_directions(self, directions: Mapping[str, str]) -> MetricRegistry:
        """A copy where each named metric is better when ``"higher"`` or ``"lower"``."""
        out = self.copy()
        for name, better in (directions or {}).items():
            if better not in BETTER:
                raise ParameterError(f"metric_directions[{name!r}]={better!r}; use 'higher' or "
                                     "'lower'")
            old = out._specs.get(name)
            out._specs[name] = replace(old, better=better) if old else MetricSpec(name, better=better)
        return out

    def copy(self) -> MetricRegistry:
        return MetricRegistry(self._specs.values())

    def get(self, name: str) -> MetricSpec:
        """The spec; an unknown metric is higher-is-better and linear, marked ``known=False``."""
        return self._specs.get(name) or MetricSpec(name, known=False)

    def __contains__(self, name: str) -> bool:
        return name in self._specs

    def names(self) -> list[str]:
        return list(self._specs)


def default_registry() -> MetricRegistry:
    """A fresh copy of the default registry (safe to extend)."""
    return MetricRegistry(DEFAULT_METRICS)
