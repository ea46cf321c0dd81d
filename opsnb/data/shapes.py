"""Data shaped unlike the sample: contract-table folders for the report test matrix.

The reports are strongest on data shaped like ``data/sample/``. Each *shape* here is a folder
of contract tables (``<table>.parquet`` / ``<table>.csv``, see ``docs/data-contract.md``) that
differs from the sample in one way a new user's data does: other event names, four weeks of
history, no touchpoints, a single channel, a three-arm test without a pre-period, markup in
every label, and so on. Every shape is valid under the data contract, so a report may stop on
it only with a :class:`~opsnb.DataError` or :class:`~opsnb.ParameterError` that names the
table or parameter.

Shapes are derived from one small generated sample (:func:`base_sample`, generated once and
cached) by transforming its tables with pandas::

    from opsnb.data.shapes import SHAPES, SHAPE_PARAMS, make_shape
    for name in SHAPES:
        folder = make_shape(name, tmp / name)
        run_report(data_dir=folder, **SHAPE_PARAMS[name])

Where a shape renames values that report parameters refer to (event names, competitor names,
experiment ids), the folder holds ``renames.json``; :func:`read_renames` loads it and
:func:`rename_params` rewrites a report's parameters to match. :func:`inject_markup` appends
an HTML/JavaScript payload to every label in a folder, for the safe-HTML test.

>>> "four_weeks" in SHAPES and SHAPE_PARAMS["four_weeks"] == {}
True
>>> mark("抖音", payload="<b>x</b>")
'抖音<b>x</b>'
>>> rename_params({"funnel_steps": ["session_start", "purchase"], "period": "week"},
...               {"events.event": {"purchase": "order_paid"}})
{'funnel_steps': ['session_start', 'order_paid'], 'period': 'week'}
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opsnb.data import sample
from opsnb.data.contract import CONTRACT

BASE_SEED = 3
BASE_USERS = 600
DAY = pd.Timedelta(days=1)
# a data day is complete once its latest event is at or after this time (as in opsnb.data.window)
_COMPLETE_DAY_AFTER = pd.Timedelta(hours=23)
RENAMES_FILE = "renames.json"
SHAPE_FILE = "shape.json"

# Event names that share nothing with the sample's (session_start, view_item, add_to_cart,
# purchase, search, claim_coupon, view_content, like, share).
FOREIGN_EVENT_NAMES: dict[str, str] = {
    "session_start": "app_open",
    "view_item": "page_view",
    "add_to_cart": "cart_add",
    "purchase": "order_paid",
}
FOREIGN_PREFIX = "web_"

# Channel names a real agency export holds: CJK, emoji, quotes, ampersands, a comma, dollar
# signs (matplotlib reads $...$ as mathtext), right-to-left text and a 200-character name.
UNICODE_CHANNELS: tuple[str, ...] = (
    "抖音·直播带货（华东区）",
    "🚀 Rocket Ads 🎯",
    "Agency \"Quotes\" & O'Brien",
    "Search & Display, R&D <100%>",
    "Deals $5–$10 \\ promo",
    "قناة الإعلانات",
    ("Extremely long channel name from an agency export that nobody shortened — "
     * 3)[:200],
)


def _unicode_label(i: int) -> str:
    """The i-th awkward channel name (a numbered variant when the list runs out)."""
    base = UNICODE_CHANNELS[i % len(UNICODE_CHANNELS)]
    return base if i < len(UNICODE_CHANNELS) else f"{base} #{i // len(UNICODE_CHANNELS) + 1}"


# The markup payload of the safe-HTML test. Run live, it sets the page title to PWNED twice
# over; escaped, it shows as text, with a literal "<b>". It holds no ',' or ':' so that
# traffic_split ("control:0.5,treatment:0.5") stays readable with marked variant names.
PWNED = "PWNED"
PAYLOAD = (f" <b>bold</b><img src=x onerror=\"document.title='{PWNED}'\">"
           f"<script>document.title='{PWNED}'</script>")

# The columns inject_markup marks: every string column of the contract, except the metric
# codes of competitor_metrics (matched against the metric registry), traffic_split and
# campaigns.treated (their variant names, unit values and events are marked in place
# instead). Each is marked with the same mapping (value -> value + payload), so every key
# still joins.
_NOT_MARKED = {("competitor_metrics", "metric"), ("experiments", "traffic_split"),
               ("campaigns", "treated")}
MARKED_COLUMNS: dict[str, tuple[str, ...]] = {
    t.name: tuple(c.name for c in t.columns
                  if c.dtype == "string" and (t.name, c.name) not in _NOT_MARKED)
    for t in CONTRACT.values()
}
# id columns are marked too but left out of renames.json (no parameter names one of them)
_ID_COLUMNS = {"user_id", "session_id", "content_id"}

Tables = dict[str, pd.DataFrame]


@dataclass
class Data:
    """The tables of one folder (typed by the contract), and the file format of each."""

    tables: Tables
    formats: dict[str, str]  # table -> "csv" | "parquet"
    renames: dict[str, dict[str, str]] = field(default_factory=dict)  # "table.column" -> map
    # the file each table was read from, and a copy of it as read: a table that is still equal
    # to it is written as a copy of that file, byte for byte
    origin: dict[str, tuple[Path, pd.DataFrame]] = field(default_factory=dict, repr=False)

    def has(self, name: str) -> bool:
        return name in self.tables

    def drop(self, *names: str) -> None:
        for name in names:
            self.tables.pop(name, None)


@dataclass(frozen=True)
class _Shape:
    description: str
    build: Callable[[Data], None]
    params: dict[str, Any]


_REGISTRY: dict[str, _Shape] = {}


def _shape(name: str, description: str,
           params: dict[str, Any] | None = None) -> Callable[[Callable[[Data], None]],
                                                             Callable[[Data], None]]:
    """Register a shape: a function that transforms the base tables in place."""
    def register(build: Callable[[Data], None]) -> Callable[[Data], None]:
        _REGISTRY[name] = _Shape(description, build, dict(params or {}))
        return build
    return register


# --------------------------------------------------------------------------- base sample
def base_sample(seed: int = BASE_SEED, n_users: int = BASE_USERS,
                cache_dir: Path | None = None) -> Path:
    """A small generated sample, generated once per generator version and cached.

    It holds the feedback table too (``feedback="merged"``), and campaigns and controls fitted to
    its dates and regions (``campaigns="merged"``). Its events include the content
    events and it holds the content table (``content="merged"``
    of :func:`opsnb.data.sample.generate`), so every report, the content report too, runs on it.

    The folder is ``<cache>/shapes/sample-s<seed>-n<n_users>-<hash of sample.py,
    feedback_sample.py and campaign_sample.py>``; the cache is
    ``OPSNB_CACHE_DIR`` (else ``~/.cache/opsnb``) unless ``cache_dir`` is given. Generation
    writes to a temporary folder that is renamed into place, so concurrent callers are safe.
    """
    if cache_dir is None:
        cache_dir = Path(os.environ.get("OPSNB_CACHE_DIR") or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
            "opsnb")) / "shapes"
    from opsnb.data import campaign_sample, feedback_sample

    version = hashlib.sha256(Path(sample.__file__).read_bytes() + Path(
        feedback_sample.__file__).read_bytes() + Path(
        campaign_sample.__file__).read_bytes()).hexdigest()[:12]
    folder = Path(cache_dir) / f"sample-s{seed}-n{n_users}-{version}"
    if (folder / "users.csv").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        sample.generate(tmp, seed=seed, n_users=n_users, content="merged", feedback="merged",
                        campaigns="merged")
        try:
            tmp.rename(folder)
        except OSError:  # another process was faster; its copy is the same, byte for byte
            if not (folder / "users.csv").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


# --------------------------------------------------------------------------- reading, writing
def read_tables(folder: Path) -> Data:
    """The contract tables of a folder, converted to pandas types by the contract.

    Timestamps become naive UTC ``datetime64``, dates midnight ``datetime64``, numbers numeric;
    string columns keep their text as it is (an empty optional value stays ``""``).
    """
    folder = Path(folder)
    data = Data({}, {})
    for name, spec in CONTRACT.items():
        pq, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
        if pq.exists():
            path, df, data.formats[name] = pq, pd.read_parquet(pq), "parquet"
        elif csv.exists():
            path, df = csv, pd.read_csv(csv, dtype=str, keep_default_na=False)
            data.formats[name] = "csv"
        else:
            continue
        for col in spec.columns:
            if col.name in df.columns:
                df[col.name] = _typed(df[col.name], col.dtype)
        data.tables[name] = df
        data.origin[name] = (path, df.copy())
    return data


def _typed(s: pd.Series, dtype: str) -> pd.Series:
    if dtype == "string":
        return s
    text = s.replace("", None) if s.dtype == object or pd.api.types.is_string_dtype(s) else s
    if dtype == "timestamp":
        return pd.to_datetime(text, utc=True, format="mixed").dt.tz_localize(None)
    if dtype == "date":
        return pd.to_datetime(text, format="mixed").dt.normalize()
    if dtype == "float":
        return pd.to_numeric(text).astype("float64")
    if dtype == "int":
        return pd.to_numeric(text).astype("Int64")
    raise AssertionError(dtype)


def write_tables(data: Data, out: Path, extra: Mapping[str, Any] | None = None) -> Path:
    """Write the tables in their formats (contract layout), plus renames.json and shape.json.

    A table still equal to the file it was read from is copied from that file unchanged.
    Contract table files already in ``out`` are removed first, so a table the shape dropped
    does not linger from an earlier run.
    """
    out = Path(out)
    if any(path.parent.resolve() == out.resolve() for path, _ in data.origin.values()):
        raise ValueError(f"write the tables to another folder than the one read ({out})")
    out.mkdir(parents=True, exist_ok=True)
    for name in CONTRACT:
        for suffix in (".csv", ".parquet"):
            (out / f"{name}{suffix}").unlink(missing_ok=True)
    for stale in (RENAMES_FILE, SHAPE_FILE):
        (out / stale).unlink(missing_ok=True)
    for name in CONTRACT:
        if name not in data.tables:
            continue
        df = data.tables[name]
        fmt = data.formats.get(name, "csv")
        path, original = data.origin.get(name, (None, None))
        if path is not None and path.suffix == f".{fmt}" and df.equals(original):
            shutil.copyfile(path, out / path.name)
            continue
        df = df.copy()
        for col in CONTRACT[name].columns:
            if col.name not in df.columns or not pd.api.types.is_datetime64_any_dtype(df[col.name]):
                continue
            s = df[col.name]
            if fmt == "csv" and s.dt.tz is not None:  # keep the offset: 2026-05-01T09:46:18+08:00
                df[col.name] = s.map(lambda x: x.isoformat(), na_action="ignore")
            elif fmt == "csv":
                df[col.name] = s.dt.strftime("%Y-%m-%d" if col.dtype == "date"
                                             else "%Y-%m-%d %H:%M:%S")
            elif col.dtype == "date":
                df[col.name] = s.dt.date
            else:
                df[col.name] = s.dt.as_unit("us")
        if fmt == "csv":
            df.to_csv(out / f"{name}.csv", index=False)
        else:
            df.to_parquet(out / f"{name}.parquet", index=False)
    if data.renames:
        (out / RENAMES_FILE).write_text(json.dumps(data.renames, ensure_ascii=False, indent=1),
                                        encoding="utf-8")
    if extra:
        (out / SHAPE_FILE).write_text(json.dumps(extra, ensure_ascii=False, indent=1),
                                      encoding="utf-8")
    return out


def read_renames(folder: Path) -> dict[str, dict[str, str]]:
    """The renamed values of a shape or marked folder: ``{"table.column": {old: new}}``.

    Empty when nothing was renamed. Pass it to :func:`rename_params`.
    """
    path = Path(folder) / RENAMES_FILE
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


# Report parameters that name values of the data, and the column whose renames apply.
_EVENT_PARAMS = ("funnel_steps", "conversion_event", "start_event", "return_event",
                 "impression_event", "view_event", "complete_event", "engagement_events",
                 "share_event", "follow_event", "favourite_event")
_METRIC_EVENT_KEYS = ("event", "numerator", "denominator")


def rename_params(params: Mapping[str, Any],
                  renames: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """A copy of a report's parameters with the data values they name renamed.

    Rewritten: event names (``funnel_steps``, ``conversion_event``, ``start_event``,
    ``return_event``, and ``event``/``numerator``/``denominator`` in the experiment
    ``metrics`` and ``guardrails``), competitor names (``our_product``, ``competitors``),
    ``experiment_id``, ``campaign_id``, control names (``controls``), and metric ``name``
    where ``experiments.primary_metric`` was renamed.
    Values not in ``renames`` (``any``, ``signup``) and every other parameter are kept.
    """
    events = renames.get("events.event", {})
    comps = {**renames.get("competitor_events.competitor", {}),
             **renames.get("competitor_metrics.competitor", {})}
    exps = {**renames.get("assignments.experiment_id", {}),
            **renames.get("experiments.experiment_id", {})}
    metric_names = renames.get("experiments.primary_metric", {})
    campaign_ids = renames.get("campaigns.campaign_id", {})
    control_names = renames.get("controls.name", {})

    def one(m: Mapping[str, str], v: Any) -> Any:
        if isinstance(v, str):
            return m.get(v, v)
        if isinstance(v, (list, tuple)):
            return type(v)(one(m, x) for x in v)
        return v

    def metric(d: Any) -> Any:
        if not isinstance(d, Mapping):
            return d
        d = dict(d)
        for k in _METRIC_EVENT_KEYS:
            if k in d:
                d[k] = one(events, d[k])
        if "name" in d:
            d["name"] = one(metric_names, d["name"])
        return d

    out = dict(params)
    for key in _EVENT_PARAMS:
        if key in out:
            out[key] = one(events, out[key])
    for key in ("our_product", "competitors"):
        if key in out:
            out[key] = one(comps, out[key])
    if "experiment_id" in out:
        out["experiment_id"] = one(exps, out["experiment_id"])
    if "campaign_id" in out:
        out["campaign_id"] = one(campaign_ids, out["campaign_id"])
    if "controls" in out:
        out["controls"] = one(control_names, out["controls"])
    for key in ("metrics", "guardrails"):
        if isinstance(out.get(key), (list, tuple)):
            out[key] = [metric(m) for m in out[key]]
    return out


# --------------------------------------------------------------------------- making shapes
def make_shape(name: str, out: Path, base: Path | None = None) -> Path:
    """Write the data shape ``name`` (one of :data:`SHAPES`) as contract tables into ``out``.

    ``base`` is the folder the shape is derived from (default: :func:`base_sample`); it must
    hold every contract table, as the generated sample does. Returns
    ``out``, which also holds ``shape.json`` (name, description, parameters) and, where values
    were renamed, ``renames.json``.
    """
    if name not in _REGISTRY:
        raise KeyError(f"unknown data shape {name!r}; known: {', '.join(_REGISTRY)}")
    shape = _REGISTRY[name]
    data = read_tables(Path(base) if base is not None else base_sample())
    shape.build(data)
    return write_tables(data, out, extra={"shape": name, "description": shape.description,
                                          "params": shape.params})


def _data_end(data: Data) -> pd.Timestamp:
    """The end (exclusive, midnight) of the last full day of events."""
    last = data.tables["events"]["event_at"].max()
    day = last.normalize()
    return day + DAY if last - day >= _COMPLETE_DAY_AFTER else day


def _cut(data: Data, start: pd.Timestamp, end: pd.Timestamp) -> None:
    """Keep the rows of every table inside ``[start, end)``; drop tables left empty.

    Users are kept when they signed up before ``end``; experiments when they overlap the
    window and still have assignments; campaigns when they overlap the window.
    """
    t = data.tables

    def inside(s: pd.Series) -> pd.Series:
        return (s >= start) & (s < end)

    t["events"] = t["events"][inside(t["events"]["event_at"])]
    t["users"] = t["users"][t["users"]["signup_at"] < end]
    known = set(t["users"]["user_id"])
    for name, col in (("touchpoints", "touch_at"), ("assignments", "assigned_at")):
        if name in t:
            df = t[name]
            t[name] = df[inside(df[col]) & df["user_id"].isin(known)]
    for name in ("spend", "competitor_metrics", "competitor_events", "controls"):
        if name in t:
            t[name] = t[name][inside(t[name]["date"])]
    if "campaigns" in t:
        c = t["campaigns"]
        t["campaigns"] = c[(c["start"] < end) & (c["end"] >= start)]
    if "experiments" in t:
        e = t["experiments"]
        live = set(t["assignments"]["experiment_id"]) if "assignments" in t else set()
        t["experiments"] = e[(e["start"] < end) & (e["end"] >= start)
                             & e["experiment_id"].isin(live)]
        if "assignments" in t:
            a = t["assignments"]
            t["assignments"] = a[a["experiment_id"].isin(set(t["experiments"]["experiment_id"]))]
    data.drop(*[n for n, df in t.items() if df.empty and n not in ("users", "events")])


def _last_days(n_days: int) -> Callable[[Data], None]:
    def build(data: Data) -> None:
        end = _data_end(data)
        _cut(data, end - n_days * DAY, end)
    return build


_shape("four_weeks", "the last 28 days of events; the other tables cut to the same days")(
    _last_days(28))
_shape("fourteen_days", "the last 14 days of events; the other tables cut to the same days")(
    _last_days(14))
_shape("one_day", "one day of events (the last full day); the other tables cut to it")(
    _last_days(1))


@_shape("foreign_event_names",
        "every event renamed (session_start->app_open, purchase->order_paid, others web_*); "
        "revenue kept")
def _foreign_event_names(data: Data) -> None:
    ev = data.tables["events"]
    names = sorted(ev["event"].unique())
    mapping = {n: FOREIGN_EVENT_NAMES.get(n, f"{FOREIGN_PREFIX}{n}") for n in names}
    ev["event"] = ev["event"].map(mapping)
    data.renames["events.event"] = mapping
    if "campaigns" in data.tables:  # users=<event>: the participation event is renamed too
        c = data.tables["campaigns"]
        c["treated"] = c["treated"].map(lambda text: _rename_treated_event(text, mapping))


def _rename_treated_event(text: Any, mapping: Mapping[str, str]) -> Any:
    if not isinstance(text, str) or not text.strip().lower().startswith("users="):
        return text
    head, _, event = text.partition("=")
    return f"{head}={mapping.get(event.strip(), event.strip())}"


@_shape("users_events_only", "only the users and events tables")
def _users_events_only(data: Data) -> None:
    data.drop(*[n for n in data.tables if n not in ("users", "events")])


@_shape("no_touchpoints", "every table but touchpoints")
def _no_touchpoints(data: Data) -> None:
    data.drop("touchpoints")


@_shape("no_spend", "every table but spend (touchpoints kept)")
def _no_spend(data: Data) -> None:
    data.drop("spend")


@_shape("short_spend", "spend history of only the last 10 days (events and the rest unchanged)")
def _short_spend(data: Data) -> None:
    s = data.tables["spend"]
    data.tables["spend"] = s[s["date"] > s["date"].max() - 10 * DAY]


def _sum_spend(spend: pd.DataFrame) -> pd.DataFrame:
    """One spend row per (date, channel, campaign): rows that now share a key are summed."""
    key = ["date", "channel", "campaign"]
    sums = [c for c in ("spend", "impressions", "clicks") if c in spend.columns]
    out = spend.groupby(key, sort=False, dropna=False, as_index=False)[sums].sum(min_count=1)
    return out[[c for c in spend.columns if c in out.columns]]


@_shape("single_channel", "every user, spend row and touchpoint on one channel (the one with "
        "the most spend)")
def _single_channel(data: Data) -> None:
    t = data.tables
    channel = str(t["spend"].groupby("channel")["spend"].sum().idxmax())
    t["users"]["channel"] = channel
    t["touchpoints"]["channel"] = channel
    spend = t["spend"].copy()
    spend["channel"] = channel
    t["spend"] = _sum_spend(spend)


def _treatment_b(variant: str, taken: set[str]) -> str:
    name = f"{variant}_b"
    while name in taken:
        name += "_b"
    return name


@_shape("three_arm_no_pre",
        "every two-arm experiment gets a second treatment arm (a third of the treatment users); "
        "no event precedes the first experiment's start or any user's assignments")
def _three_arm_no_pre(data: Data) -> None:
    t = data.tables
    rng = np.random.default_rng(0)
    a, e = t["assignments"].copy(), t["experiments"].copy()
    for i, row in e.iterrows():
        exp = a["experiment_id"] == row["experiment_id"]
        variants = sorted(a.loc[exp, "variant"].unique())
        treated = [v for v in variants if v != row["control"]]
        if len(variants) != 2 or len(treated) != 1:
            continue
        treatment = treated[0]
        new = _treatment_b(treatment, set(variants))
        idx = a.index[exp & (a["variant"] == treatment)]
        moved = rng.choice(idx, size=len(idx) // 3, replace=False)
        a.loc[moved, "variant"] = new
        shares = _parse_split(row.get("traffic_split"), variants)
        shares[new] = shares[treatment] / 3
        shares[treatment] *= 2 / 3
        e.loc[i, "traffic_split"] = ",".join(f"{k}:{v:.6g}" for k, v in shares.items())
    t["assignments"], t["experiments"] = a, e
    ev = t["events"]
    last = a.groupby("user_id")["assigned_at"].max()
    after = ev["user_id"].map(last)
    keep = (ev["event_at"] >= e["start"].min()) & (after.isna() | (ev["event_at"] >= after))
    t["events"] = ev[keep]


def _parse_split(text: Any, variants: list[str]) -> dict[str, float]:
    """'control:0.5,treatment:0.5' as shares; equal shares when empty or missing."""
    if not isinstance(text, str) or not text.strip():
        return {v: 1 / len(variants) for v in variants}
    parts = (p.partition(":") for p in text.split(","))
    return {k.strip(): float(v) for k, _, v in parts}


@_shape("one_competitor", "competitor tables with our product and only one competitor")
def _one_competitor(data: Data) -> None:
    t = data.tables
    names = set(t["competitor_metrics"]["competitor"])
    if sample.OUR_PRODUCT not in names:
        raise ValueError(f"base data holds no competitor rows for {sample.OUR_PRODUCT!r}")
    keep = {sample.OUR_PRODUCT, min(names - {sample.OUR_PRODUCT})}
    for name in ("competitor_metrics", "competitor_events"):
        if name in t:
            t[name] = t[name][t[name]["competitor"].isin(keep)]


_YEAR_BEFORE = sample.START - pd.DateOffset(years=1)


@_shape("nothing_in_window", "every table unchanged; the report window (SHAPE_PARAMS) is four "
        "weeks a year before the data",
        params={"start_date": f"{_YEAR_BEFORE:%Y-%m-%d}",
                "end_date": f"{_YEAR_BEFORE + pd.Timedelta(days=27):%Y-%m-%d}"})
def _nothing_in_window(data: Data) -> None:
    pass


@_shape("empty_strings", "every optional string column (campaign, region, device, age_band, "
        "gender, session_id, content_id, hypothesis, traffic_split, note) empty")
def _empty_strings(data: Data) -> None:
    t = data.tables
    for name, df in t.items():
        for col in CONTRACT[name].columns:
            if col.dtype == "string" and col.nullable and col.name in df.columns:
                df[col.name] = ""
    if "spend" in t:
        t["spend"] = _sum_spend(t["spend"])


@_shape("unicode_names", "channel names with CJK, emoji, quotes, ampersands, dollar signs, "
        "right-to-left text and 200 characters; campaigns and competitors renamed too")
def _unicode_names(data: Data) -> None:
    t = data.tables
    chan_cols = [(n, "channel") for n in ("users", "spend", "touchpoints") if n in t]
    channels = sorted(set().union(*(set(t[n][c]) for n, c in chan_cols)))
    cmap = {c: _unicode_label(i) for i, c in enumerate(channels)}
    camp_cols = [(n, "campaign") for n in ("users", "spend", "touchpoints")
                 if n in t and "campaign" in t[n].columns]
    campaigns = sorted({v for n, c in camp_cols for v in t[n][c]
                        if isinstance(v, str) and v.strip()})
    pmap = {c: f"{c} ✨ “{i}” & co" for i, c in enumerate(campaigns)}
    comp_cols = [(n, "competitor") for n in ("competitor_metrics", "competitor_events") if n in t]
    comps = sorted(set().union(*(set(t[n][c]) for n, c in comp_cols)) - {sample.OUR_PRODUCT})
    kmap = {c: f"{c} & Söhne \"Ltd.\" 🛍️" for c in comps}
    for cols, mapping in ((chan_cols, cmap), (camp_cols, pmap), (comp_cols, kmap)):
        for n, c in cols:
            t[n][c] = t[n][c].map(lambda v, m=mapping: m.get(v, v))
            present = set(t[n][c])
            data.renames[f"{n}.{c}"] = {k: v for k, v in mapping.items() if v in present}


@_shape("no_purchases", "no purchase events and no revenue anywhere (a free app's events)")
def _no_purchases(data: Data) -> None:
    ev = data.tables["events"]
    data.tables["events"] = ev[(ev["event"] != "purchase") & (ev["revenue"] <= 0)]


@_shape("utc_offsets", "timestamps in UTC+08:00: text with an offset in CSV tables "
        "(2026-05-01T09:46:18+08:00), zone-aware (Asia/Shanghai) in parquet tables")
def _utc_offsets(data: Data) -> None:
    for name, df in data.tables.items():
        for col in CONTRACT[name].columns:
            if col.dtype == "timestamp" and col.name in df.columns:
                local = df[col.name].dt.tz_localize("UTC").dt.tz_convert("Asia/Shanghai")
                if data.formats[name] == "csv":
                    local = local.dt.strftime("%Y-%m-%dT%H:%M:%S") + "+08:00"
                df[col.name] = local


@_shape("many_channels_month",
        "30 days; paid channels split by campaign, organic users by region: 12 or more "
        "acquisition channels and a mix model with more coefficients than days allow")
def _many_channels_month(data: Data) -> None:
    t = data.tables

    def split(df: pd.DataFrame) -> pd.Series:
        camp = df["campaign"].where(df["campaign"].str.strip() != "", None)
        return camp.fillna(df["channel"])

    users = t["users"]
    paid = set(t["spend"]["channel"])
    organic = ~users["channel"].isin(paid)
    users["channel"] = split(users)
    users.loc[organic, "channel"] = (users.loc[organic, "channel"] + "·"
                                     + users.loc[organic, "region"].replace("", "unknown"))
    t["spend"]["channel"] = split(t["spend"])
    t["touchpoints"]["channel"] = split(t["touchpoints"])
    end = _data_end(data)
    _cut(data, end - 30 * DAY, end)


@_shape("orphan_rows", "3 % of events, touchpoints and assignments belong to user ids that are "
        "not in users (the loader sets them aside and counts them)")
def _orphan_rows(data: Data) -> None:
    rng = np.random.default_rng(1)
    for name in ("events", "touchpoints", "assignments"):
        if name not in data.tables:
            continue
        df = data.tables[name]
        idx = rng.choice(len(df), size=max(1, len(df) * 3 // 100), replace=False)
        ghosts = pd.Series([f"ghost_{i:06d}" for i in range(len(idx))], dtype="str")
        df.iloc[idx, df.columns.get_loc("user_id")] = ghosts.to_numpy()


@_shape("few_users", "25 users (the first to sign up) and only their rows")
def _few_users(data: Data) -> None:
    t = data.tables
    users = t["users"].sort_values(["signup_at", "user_id"]).head(25)
    t["users"] = users
    keep = set(users["user_id"])
    for name in ("events", "touchpoints", "assignments"):
        if name in t:
            t[name] = t[name][t[name]["user_id"].isin(keep)]
    if "experiments" in t:
        live = set(t["assignments"]["experiment_id"]) if "assignments" in t else set()
        t["experiments"] = t["experiments"][t["experiments"]["experiment_id"].isin(live)]
    data.drop(*[n for n, df in t.items() if df.empty and n not in ("users", "events")])


@_shape("one_content_category", "every content item in one category (content table)")
def _one_content_category(data: Data) -> None:
    if "content" in data.tables:
        data.tables["content"]["category"] = "news"


@_shape("no_dwell", "events without the optional dwell_seconds column")
def _no_dwell(data: Data) -> None:
    data.tables["events"] = data.tables["events"].drop(columns="dwell_seconds", errors="ignore")


SHAPES: tuple[str, ...] = tuple(_REGISTRY)
DESCRIPTIONS: dict[str, str] = {n: s.description for n, s in _REGISTRY.items()}
SHAPE_PARAMS: dict[str, dict[str, Any]] = {n: dict(s.params) for n, s in _REGISTRY.items()}


# --------------------------------------------------------------------------- markup injection
def mark(value: str, payload: str = PAYLOAD) -> str:
    """A marked value: the original (readable, so names stay distinct) plus the payload."""
    return f"{value}{payload}"


def _mark_series(s: pd.Series, payload: str) -> pd.Series:
    filled = s.notna() & (s.astype("str").str.strip() != "")
    return s.where(~filled, s.astype("str") + payload)


def inject_markup(src: Path, out: Path, payload: str = PAYLOAD) -> Path:
    """Copy the contract tables of ``src`` to ``out`` with ``payload`` appended to every label.

    Marked (value -> ``mark(value, payload)``, the same mapping everywhere, so keys still join):
    every string column in :data:`MARKED_COLUMNS` - user attributes, ids (user, session,
    content, experiment), event names, spend and touchpoint channels and campaigns, experiment
    names, hypotheses, control and variant names, primary metrics, competitor names, kinds and
    notes. Variant names inside ``experiments.traffic_split`` are marked in place. Empty
    optional values stay empty (they mean "missing").

    ``out/renames.json`` maps the original to the marked value per ``"table.column"`` (id
    columns left out); :func:`rename_params` uses it to rename a report's parameters.
    """
    if "," in payload or ":" in payload:
        raise ValueError("the payload may not hold ',' or ':' (traffic_split must stay readable)")
    data = read_tables(Path(src))
    for name, df in data.tables.items():
        for col in MARKED_COLUMNS[name]:
            if col not in df.columns:
                continue
            before = df[col]
            df[col] = _mark_series(before, payload)
            if col not in _ID_COLUMNS:
                pairs = pd.DataFrame({"old": before, "new": df[col]}).dropna().drop_duplicates()
                data.renames[f"{name}.{col}"] = {
                    str(o): str(n)
                    for o, n in zip(pairs["old"], pairs["new"], strict=True) if o != n}
        if name == "experiments" and "traffic_split" in df.columns:
            df["traffic_split"] = df["traffic_split"].map(
                lambda text: _mark_split(text, payload))
        if name == "campaigns" and "treated" in df.columns:
            df["treated"] = df["treated"].map(lambda text: mark_treated(text, payload))
    return write_tables(data, out, extra={"markup": payload})


def mark_treated(text: Any, payload: str = PAYLOAD) -> Any:
    """A campaign's ``treated`` with its values marked as the columns they name are: the unit
    values (``region=华东|华南``) and the participation event (``users=checkin``); the keywords
    ``all`` and ``users`` and the column name stay as they are, so the value still parses.

    >>> mark_treated("region=华东|华南", "<b>"), mark_treated("users=checkin", "<b>")
    ('region=华东<b>|华南<b>', 'users=checkin<b>')
    >>> mark_treated("all", "<b>"), mark_treated("users", "<b>")
    ('all', 'users')
    """
    if not isinstance(text, str) or "=" not in text:
        return text
    dim, sep, rest = text.partition("=")
    if "|" in payload:
        raise ValueError("the payload may not hold '|' (campaigns.treated must stay readable)")
    values = [v for v in (x.strip() for x in rest.split("|"))]
    return dim + sep + "|".join(mark(v, payload) if v else v for v in values)


def _mark_split(text: Any, payload: str) -> Any:
    if not isinstance(text, str) or not text.strip():
        return text
    parts = (p.partition(":") for p in text.split(","))
    return ",".join(f"{mark(k.strip(), payload)}{sep}{v}" for k, sep, v in parts)
