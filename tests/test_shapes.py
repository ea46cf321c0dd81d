"""The data shapes of the report test matrix: each is valid and has the shape it claims.

Every shape is built from one small generated sample and opened with ``DataSource``, which
validates every table against the contract (a table copied unchanged from the sample is
validated once, with the sample). Then the property the shape claims is checked in numbers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from opsnb.data.contract import CONTRACT, TABLES
from opsnb.data.sample import OUR_PRODUCT
from opsnb.data.shapes import (
    DESCRIPTIONS,
    MARKED_COLUMNS,
    PAYLOAD,
    SHAPE_PARAMS,
    SHAPES,
    base_sample,
    inject_markup,
    make_shape,
    mark,
    read_renames,
    read_tables,
    rename_params,
)
from opsnb.data.source import DataSource

REQUIRED = ("foreign_event_names", "four_weeks", "one_day", "fourteen_days", "users_events_only",
            "no_touchpoints", "no_spend", "short_spend", "single_channel", "three_arm_no_pre",
            "one_competitor", "nothing_in_window", "empty_strings", "unicode_names")
SAMPLE_EVENTS = {"session_start", "view_item", "add_to_cart", "purchase", "search",
                 "claim_coupon", "view_content", "like", "share"}

Loaded = dict[str, pd.DataFrame]


class Shapes:
    """Builds, validates and reads each shape once per test session."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.base_dir = base_sample(cache_dir=root / "cache")
        self._folders: dict[str, Path] = {"base": self.base_dir}
        self._sources: dict[str, DataSource] = {}
        self._tables: dict[str, Loaded] = {}

    def folder(self, name: str) -> Path:
        if name not in self._folders:
            self._folders[name] = make_shape(name, self.root / name, base=self.base_dir)
        return self._folders[name]

    def source(self, name: str) -> DataSource:
        """The shape opened by the loader, with every table validated (a DataError fails).

        A table that is a byte-for-byte copy of the base's (and whose users are too, where it
        refers to users) was validated with the base, so it is not validated again.
        """
        if name not in self._sources:
            if name != "base":
                self.source("base")
            src = DataSource.open(self.folder(name))
            changed = TABLES if name == "base" else _changed(self.folder(name), self.base_dir)
            for table in changed:
                if src.has(table):
                    src.table(table)
            self._sources[name] = src
        return self._sources[name]

    def tables(self, name: str) -> Loaded:
        """The shape's tables as pandas, typed by the contract, after validation."""
        if name not in self._tables:
            self.source(name)
            self._tables[name] = read_tables(self.folder(name)).tables
        return self._tables[name]


def _file(folder: Path, table: str) -> bytes | None:
    for suffix in (".parquet", ".csv"):
        if (folder / f"{table}{suffix}").exists():
            return (folder / f"{table}{suffix}").read_bytes()
    return None


def _changed(folder: Path, base: Path) -> set[str]:
    """Tables of ``folder`` that differ from ``base`` or refer to users that differ."""
    changed = {t for t in TABLES if _file(folder, t) != _file(base, t)}
    if "users" in changed:
        changed |= {t for t in TABLES if CONTRACT[t].user_fk}
    return changed


@pytest.fixture(scope="session")
def shapes(tmp_path_factory) -> Shapes:
    return Shapes(tmp_path_factory.mktemp("shapes"))


def _days(ts: pd.Series) -> int:
    """Distinct calendar days in a timestamp or date column."""
    return int(ts.dt.normalize().nunique())


# --------------------------------------------------------------------------- the registry
def test_registry_lists_every_shape_once():
    assert set(REQUIRED) <= set(SHAPES) and len(SHAPES) == len(set(SHAPES)) >= 14
    assert set(DESCRIPTIONS) == set(SHAPES) == set(SHAPE_PARAMS)
    for name in SHAPES:
        assert DESCRIPTIONS[name] and "\n" not in DESCRIPTIONS[name]
        assert set(SHAPE_PARAMS[name]) <= {"start_date", "end_date"}
    assert set(CHECKS) == set(SHAPES), "every shape needs a property check below"


def test_unknown_shape_is_a_key_error(tmp_path):
    with pytest.raises(KeyError, match="four_weeks"):
        make_shape("no_such_shape", tmp_path)


def test_base_sample_is_generated_once(shapes):
    stamp = (shapes.base_dir / "events.parquet").stat().st_mtime_ns
    again = base_sample(cache_dir=shapes.root / "cache")
    assert again == shapes.base_dir and (again / "events.parquet").stat().st_mtime_ns == stamp
    assert [p.name for p in again.parent.iterdir()] == [again.name]  # no temporary folder left


@pytest.mark.parametrize("name", SHAPES)
def test_shape_is_valid_under_the_contract(shapes, name):
    folder = shapes.folder(name)
    info = json.loads((folder / "shape.json").read_text(encoding="utf-8"))
    assert info == {"shape": name, "description": DESCRIPTIONS[name],
                    "params": SHAPE_PARAMS[name]}
    loaded = shapes.tables(name)  # validates every table present
    files = {p.stem for p in folder.iterdir() if p.suffix in (".csv", ".parquet")}
    assert files == set(loaded) == set(shapes.source(name).available)
    assert {"users", "events"} <= files
    assert all(len(df) for df in loaded.values()), "a shape's tables all have rows"
    ev, users = loaded["events"], loaded["users"]
    signup = ev["user_id"].map(users.set_index("user_id")["signup_at"])
    known = signup.notna()  # events of unknown users are set aside by the loader
    assert known.mean() > 0.9 and (ev.loc[known, "event_at"] >= signup[known]).all()
    CHECKS[name](shapes, loaded)


# --------------------------------------------------------------------------- each shape's claim
def _window(days: int) -> Callable[[Shapes, Loaded], None]:
    def check(shapes: Shapes, t: Loaded) -> None:
        base = shapes.tables("base")
        ev = t["events"]
        assert _days(ev["event_at"]) == days
        assert ev["event_at"].max() - ev["event_at"].min() < pd.Timedelta(days=days)
        lo, hi = ev["event_at"].min().normalize(), ev["event_at"].max()
        assert hi <= base["events"]["event_at"].max()
        assert t["users"]["signup_at"].max() <= hi.normalize() + pd.Timedelta(days=1)
        for name, col in (("touchpoints", "touch_at"), ("spend", "date"),
                          ("competitor_metrics", "date"), ("assignments", "assigned_at")):
            if name in t:
                assert t[name][col].between(lo, hi).all(), name
        assert _days(t["spend"]["date"]) == days
        assert _days(t["competitor_metrics"]["date"]) == days
    return check


def _foreign(shapes: Shapes, t: Loaded) -> None:
    base = shapes.tables("base")["events"]
    ev = t["events"]
    assert not set(ev["event"]) & SAMPLE_EVENTS
    assert ev["revenue"].sum() == pytest.approx(base["revenue"].sum())
    renames = read_renames(shapes.folder("foreign_event_names"))["events.event"]
    assert renames["purchase"] == "order_paid" and set(renames.values()) == set(ev["event"])
    params = rename_params({"funnel_steps": ["session_start", "view_item", "add_to_cart",
                                             "purchase"]}, {"events.event": renames})
    assert params == {"funnel_steps": ["app_open", "page_view", "cart_add", "order_paid"]}


def _tables(*names: str) -> Callable[[Shapes, Loaded], None]:
    def check(shapes: Shapes, t: Loaded) -> None:
        assert list(t) == [n for n in TABLES if n in names]
    return check


def _short_spend(shapes: Shapes, t: Loaded) -> None:
    base = shapes.tables("base")
    assert _days(t["spend"]["date"]) == 10
    assert t["spend"]["date"].max() == base["spend"]["date"].max()
    assert len(t["events"]) == len(base["events"]) and "touchpoints" in t


def _single_channel(shapes: Shapes, t: Loaded) -> None:
    channels = set(t["users"]["channel"]) | set(t["spend"]["channel"]) | set(
        t["touchpoints"]["channel"])
    assert len(channels) == 1
    assert t["spend"]["spend"].sum() == pytest.approx(shapes.tables("base")["spend"]["spend"].sum())


def _three_arm_no_pre(shapes: Shapes, t: Loaded) -> None:
    a, e = t["assignments"], t["experiments"]
    arms = a.groupby("experiment_id")["variant"].nunique()
    assert (arms == 3).all() and len(arms) >= 1
    for _, row in e.iterrows():  # the designed split names exactly the assigned variants
        assigned = set(a.loc[a["experiment_id"] == row["experiment_id"], "variant"])
        if isinstance(row["traffic_split"], str) and row["traffic_split"]:
            named = {p.split(":")[0] for p in row["traffic_split"].split(",")}
            assert named == assigned
        assert row["control"] in assigned
    ev = t["events"]
    j = ev.merge(a[["user_id", "assigned_at"]], on="user_id")
    assert len(j) and not (j["event_at"] < j["assigned_at"]).any()
    assert ev["event_at"].min() >= e["start"].min()


def _one_competitor(shapes: Shapes, t: Loaded) -> None:
    products = set(t["competitor_metrics"]["competitor"])
    assert OUR_PRODUCT in products and len(products) == 2
    assert set(t["competitor_events"]["competitor"]) <= products


def _nothing_in_window(shapes: Shapes, t: Loaded) -> None:
    p = SHAPE_PARAMS["nothing_in_window"]
    lo, hi = pd.Timestamp(p["start_date"]), pd.Timestamp(p["end_date"]) + pd.Timedelta(days=1)
    assert lo < hi
    for name, col in (("events", "event_at"), ("users", "signup_at"), ("spend", "date"),
                      ("touchpoints", "touch_at"), ("assignments", "assigned_at"),
                      ("competitor_metrics", "date"), ("competitor_events", "date")):
        assert len(t[name]) and not t[name][col].between(lo, hi, inclusive="left").any(), name


def _empty_strings(shapes: Shapes, t: Loaded) -> None:
    emptied = 0
    for name, df in t.items():
        for col in CONTRACT[name].columns:
            if col.dtype == "string" and col.nullable and col.name in df.columns:
                assert (df[col.name].fillna("") == "").all(), f"{name}.{col.name}"
                emptied += 1
    users = shapes.source("empty_strings").to_pandas("users")  # the loader reads "" as missing
    assert users["campaign"].isna().all() and users["gender"].isna().all()
    assert emptied >= 10
    assert t["spend"]["spend"].sum() == pytest.approx(shapes.tables("base")["spend"]["spend"].sum())


def _unicode_names(shapes: Shapes, t: Loaded) -> None:
    channels = set(t["users"]["channel"])
    assert set(t["spend"]["channel"]) | set(t["touchpoints"]["channel"]) <= channels
    assert max(len(c) for c in channels) == 200
    assert any(re.search(r"[\u4e00-\u9fff]", c) for c in channels)
    assert any(any(ord(ch) > 0xFFFF for ch in c) for c in channels)  # emoji
    for needle in ('"', "'", "&", "$", ","):
        assert any(needle in c for c in channels), needle
    assert not channels & set(shapes.tables("base")["users"]["channel"])
    renames = read_renames(shapes.folder("unicode_names"))
    assert set(renames["users.channel"].values()) == channels
    comps = set(t["competitor_metrics"]["competitor"])
    assert OUR_PRODUCT in comps and len(comps) == 4


def _no_purchases(shapes: Shapes, t: Loaded) -> None:
    assert t["events"]["revenue"].sum() == 0 and "purchase" not in set(t["events"]["event"])


def _utc_offsets(shapes: Shapes, t: Loaded) -> None:
    folder = shapes.folder("utc_offsets")
    assert "+08:00" in (folder / "users.csv").read_text(encoding="utf-8").splitlines()[1]
    assert str(pd.read_parquet(folder / "events.parquet")["event_at"].dt.tz) == "Asia/Shanghai"
    src, base = shapes.source("utc_offsets"), shapes.source("base")
    for name, col in (("users", "signup_at"), ("events", "event_at"), ("touchpoints", "touch_at"),
                      ("assignments", "assigned_at")):
        a = src.to_pandas(name)[col].sort_values(ignore_index=True)
        b = base.to_pandas(name)[col].sort_values(ignore_index=True)
        pd.testing.assert_series_equal(a, b, check_dtype=False)


def _many_channels_month(shapes: Shapes, t: Loaded) -> None:
    assert t["users"]["channel"].nunique() >= 12
    assert t["spend"]["channel"].nunique() >= 8
    assert _days(t["events"]["event_at"]) == 30 and _days(t["spend"]["date"]) == 30


def _orphan_rows(shapes: Shapes, t: Loaded) -> None:
    aside = {a.table: a.n_rows for a in shapes.source("orphan_rows").set_aside}
    base = shapes.tables("base")
    assert set(aside) == {"events", "touchpoints", "assignments"}
    for name, n in aside.items():
        ghosts = ~t[name]["user_id"].isin(set(t["users"]["user_id"]))
        assert n == ghosts.sum() == len(base[name]) * 3 // 100 and len(t[name]) == len(base[name])


def _few_users(shapes: Shapes, t: Loaded) -> None:
    assert len(t["users"]) == 25
    for name in ("events", "touchpoints", "assignments"):
        assert set(t[name]["user_id"]) <= set(t["users"]["user_id"])


def _one_content_category(shapes: Shapes, t: Loaded) -> None:
    assert set(t["content"]["category"]) == {"news"}
    assert len(t["content"]) == len(shapes.tables("base")["content"])


def _no_dwell(shapes: Shapes, t: Loaded) -> None:
    assert "dwell_seconds" in shapes.tables("base")["events"].columns
    assert "dwell_seconds" not in t["events"].columns


CHECKS: dict[str, Callable[[Shapes, Loaded], None]] = {
    "four_weeks": _window(28),
    "fourteen_days": _window(14),
    "one_day": _window(1),
    "foreign_event_names": _foreign,
    "users_events_only": _tables("users", "events"),
    "no_touchpoints": _tables(*(n for n in TABLES if n != "touchpoints")),
    "no_spend": _tables(*(n for n in TABLES if n != "spend")),
    "short_spend": _short_spend,
    "single_channel": _single_channel,
    "three_arm_no_pre": _three_arm_no_pre,
    "one_competitor": _one_competitor,
    "nothing_in_window": _nothing_in_window,
    "empty_strings": _empty_strings,
    "unicode_names": _unicode_names,
    "no_purchases": _no_purchases,
    "utc_offsets": _utc_offsets,
    "many_channels_month": _many_channels_month,
    "orphan_rows": _orphan_rows,
    "few_users": _few_users,
    "one_content_category": _one_content_category,
    "no_dwell": _no_dwell,
}


# --------------------------------------------------------------------------- markup injection
def test_payload_holds_the_attacks():
    assert "<img src=x onerror=\"document.title='PWNED'\">" in PAYLOAD
    assert "<script>document.title='PWNED'</script>" in PAYLOAD and "<b>" in PAYLOAD


@pytest.fixture(scope="session")
def marked(shapes) -> tuple[Path, Loaded]:
    folder = inject_markup(shapes.base_dir, shapes.root / "markup")
    src = DataSource.open(folder)
    loaded = {t: src.to_pandas(t) for t in src.available}
    assert not src.set_aside  # every user id still joins
    return folder, loaded


def test_markup_marks_every_label(shapes, marked):
    _, t = marked
    src = shapes.source("base")
    base = {name: src.to_pandas(name) for name in src.available}
    assert list(t) == list(base)
    n_columns = 0
    for name, df in t.items():
        for col in MARKED_COLUMNS[name]:
            if col not in df.columns:
                continue
            before, after = base[name][col], df[col]
            filled = before.notna()
            assert (after[filled] == before[filled] + PAYLOAD).all(), f"{name}.{col}"
            assert after[~filled].isna().all(), f"{name}.{col}"
            n_columns += 1
    assert n_columns >= 25
    assert not t["competitor_metrics"]["metric"].str.contains("<").any()


def test_markup_keeps_every_key_joining(marked):
    _, t = marked
    users = set(t["users"]["user_id"])
    for name in ("events", "touchpoints", "assignments"):
        assert set(t[name]["user_id"]) <= users
    assert set(t["spend"]["channel"]) <= set(t["users"]["channel"])
    assert set(t["touchpoints"]["channel"]) <= set(t["users"]["channel"])
    e, a = t["experiments"], t["assignments"]
    assert set(a["experiment_id"]) == set(e["experiment_id"])
    for _, row in e.iterrows():
        variants = set(a.loc[a["experiment_id"] == row["experiment_id"], "variant"])
        assert row["control"] in variants
        if isinstance(row["traffic_split"], str) and row["traffic_split"]:
            assert {p.rsplit(":", 1)[0] for p in row["traffic_split"].split(",")} == variants
    assert set(t["competitor_events"]["competitor"]) <= set(t["competitor_metrics"]["competitor"])


def test_markup_renames_the_parameters(marked):
    folder, t = marked
    renames = read_renames(folder)
    assert renames["events.event"]["purchase"] == mark("purchase")
    assert "users.user_id" not in renames  # ids are marked but not listed
    params = rename_params({
        "funnel_steps": ["session_start", "purchase"], "conversion_event": "purchase",
        "start_event": "any", "return_event": "purchase", "our_product": OUR_PRODUCT,
        "competitors": ["Kivo"], "experiment_id": "exp_checkout_v2", "period": "week",
        "metrics": [{"name": "purchase_conversion", "kind": "proportion", "event": "purchase"},
                    {"name": "orders_per_session", "kind": "ratio", "numerator": "purchase",
                     "denominator": "session_start"}],
        "guardrails": [{"name": "sessions_per_user", "kind": "mean", "event": "session_start"}],
    }, renames)
    events = set(t["events"]["event"])
    assert set(params["funnel_steps"]) <= events and params["conversion_event"] in events
    assert params["start_event"] == "any" and params["return_event"] == mark("purchase")
    assert params["our_product"] in set(t["competitor_metrics"]["competitor"])
    assert params["competitors"] == [mark("Kivo")]
    assert params["experiment_id"] in set(t["experiments"]["experiment_id"])
    assert params["metrics"][0]["name"] in set(t["experiments"]["primary_metric"])
    assert params["metrics"][1]["denominator"] == mark("session_start")
    assert params["guardrails"][0] == {"name": "sessions_per_user", "kind": "mean",
                                       "event": mark("session_start")}
    assert params["period"] == "week"


def test_markup_works_on_a_shape(shapes):
    folder = inject_markup(shapes.folder("empty_strings"), shapes.root / "markup_empty")
    t = DataSource.open(folder).to_pandas("users")
    assert t["campaign"].isna().all() and t["channel"].str.endswith(PAYLOAD).all()


def test_markup_refuses_a_payload_that_breaks_traffic_split(shapes, tmp_path):
    with pytest.raises(ValueError, match="traffic_split"):
        inject_markup(shapes.base_dir, tmp_path, payload="<a href='javascript:x'>")
