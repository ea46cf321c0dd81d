"""Per-user features for personas, built as Ibis expressions over the contract.

Events of the window are reduced to one row per user in the engine; only that
per-user frame comes back to pandas. Feature groups:

* **activity**: active days, sessions, events, events per active day, sessions per
  active day, days since the last visit (to the end of the window); sessions are the distinct
  ``session_id`` values, or the ``session_start`` events when there is no ``session_id``
  column; with neither, the two session features are not built (listed in ``dropped``);
* **engagement mix**: each event type's share of the user's events (``mix_<event>``, for the
  ``MAX_EVENT_TYPES`` most frequent event names of the window, whatever they are called;
  ``session_start`` is left out when it occurs, it is the session itself);
* **hours**: share of the user's events in six 4-hour blocks of the *local* day
  (``tz_offset_hours`` after UTC; 8 for China), ``hour_22_02`` … ``hour_18_22``;
* **content**: distinct content items, and distinct items per content event;
* **monetary**: orders (events with revenue > 0), revenue, average order value;
* **tenure**: days from sign-up to the end of the window;
* **profile** (categorical): region, device, age band, gender, acquisition channel.

:class:`FeatureTransformer` turns the numeric features into the model's input:
skewed non-negative counts are log-transformed (``log1p``), then every column is
standardised; what was done to each column is kept in ``record_``.

Cost: the features come from one aggregate query over the window's events (plus a
small one listing the event types). Active days are counted without ``COUNT(DISTINCT
day)``, which makes the engine keep a second hash table of (user, day) pairs: each
event sets bit ``day - window start`` of a 63-day word (``BIT_OR``), and the bits are
counted in pandas. On 20M events / 1M users (DuckDB, 2 shared cores) the distinct
count cost 8-10 s of a 24 s query. Windows longer than ``opsnb.data.daymask.BITMASK_MAX_DAYS`` fall back
to ``COUNT(DISTINCT)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import ibis
import numpy as np
import pandas as pd

from opsnb.data.daymask import count_days, day_mask_aggregates, mask_words, n_words
from opsnb.data.source import DataSource, SetAside
from opsnb.data.window import Window
from opsnb.errors import DataError, ParameterError

PROFILE_COLUMNS = ("region", "device", "age_band", "gender", "channel")
HOUR_BLOCKS = ((22, "hour_22_02"), (2, "hour_02_06"), (6, "hour_06_10"), (10, "hour_10_14"),
               (14, "hour_14_18"), (18, "hour_18_22"))
MAX_EVENT_TYPES = 12
# counts that are log-transformed before standardising (heavy right tails)
LOG_FEATURES = ("active_days", "sessions", "events", "events_per_active_day",
                "sessions_per_active_day", "days_since_last", "content_items", "orders", "revenue",
                "avg_order_value", "tenure_days")

GROUP_OF = {
    "active_days": "activity", "sessions": "activity", "events": "activity",
    "events_per_active_day": "activity", "sessions_per_active_day": "activity",
    "days_since_last": "activity", "content_items": "content", "content_breadth": "content",
    "orders": "monetary", "revenue": "monetary", "avg_order_value": "monetary",
    "tenure_days": "tenure",
}


def feature_group(name: str) -> str:
    if name.startswith("mix_"):
        return "engagement mix"
    if name.startswith("hour_"):
        return "hours"
    if name in PROFILE_COLUMNS:
        return "profile"
    return GROUP_OF.get(name, "other")


@dataclass
class UserFeatures:
    """One row per user of the window (index ``user_id``), with the feature catalogue."""

    frame: pd.DataFrame
    numeric: list[str]
    categorical: list[str]
    window: Window
    tz_offset_hours: int = 8
    low_activity: pd.Series = field(default=None)  # True for users below min_events
    min_events: int = 1
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (feature, reason)

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    @property
    def n_users(self) -> int:
        return len(self.frame)

    def catalogue(self) -> pd.DataFrame:
        rows = [(c, feature_group(c), "numeric", c in LOG_FEATURES) for c in self.numeric]
        rows += [("days_since_last_order", "rfm", "numeric (RFM only)", False)]
        rows += [(c, "profile", "categorical", False) for c in self.categorical]
        return pd.DataFrame(rows, columns=["feature", "group", "kind", "log_transformed"])


def _release_unused_memory() -> None:
    """Give back what the conversion of millions of rows to pandas left cached (Arrow's pool,
    glibc's free lists): at 5M users it is about 0.4 GB of the report's peak."""
    import ctypes

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
        pass


def build_features(source: DataSource, window: Window, tz_offset_hours: int = 8,
                   min_events: int = 3) -> UserFeatures:
    """Reduce the window's events to one row of features per active user.

    Users with fewer than ``min_events`` events in the window are kept in the frame
    but flagged in ``low_activity`` (their mix and hour shares rest on too few events
    to say which persona they are); the count is added to ``source.set_aside``.
    """
    if not -12 <= int(tz_offset_hours) <= 14:
        raise ParameterError(f"tz_offset_hours={tz_offset_hours!r} must be between -12 and 14")
    if int(min_events) < 1:
        raise ParameterError(f"min_events={min_events!r} must be at least 1")
    ev = source.table("events")
    users = source.table("users")
    ev = ev.filter(ev.event_at >= window.start, ev.event_at < window.end_exclusive)
    kinds = ev.group_by("event").aggregate(n=ev.count()).order_by(ibis.desc("n")).to_pandas()
    if kinds.empty:
        raise DataError(f"no user events between {window.label()}", table="events",
                        column="event_at", fix="choose a window that holds events")
    kinds_all = set(kinds["event"])
    kinds = [k for k in kinds["event"] if k != "session_start"][:MAX_EVENT_TYPES]
    local = ev.event_at + ibis.interval(hours=int(tz_offset_hours))
    masks = n_words(window.days) > 0
    # per-event helper columns, computed once per event (not once per aggregate)
    helpers = {"opsnb_block": ((local.hour() + 2) % 24) // 4}  # 22-02 -> 0, 02-06 -> 1, ...
    if masks:
        start_s = int(pd.Timestamp(window.start).normalize().timestamp())
        helpers["opsnb_day"] = ((ev.event_at.epoch_seconds() - start_s) // 86400).cast("int64")
    ev = ev.mutate(**helpers)
    block = ev.opsnb_block
    has_session = "session_id" in ev.columns
    has_content = "content_id" in ev.columns
    bought = ev.revenue > 0
    aggs = dict(
        events=ev.count(),
        last_at=ev.event_at.max(),
        last_order_at=ev.event_at.max(where=bought),
        orders=bought.sum(),
        revenue=ev.revenue.sum(),
        n_session_start=ev.count(where=ev.event == "session_start"),
    )
    if masks:
        aggs.update(day_mask_aggregates(ev.opsnb_day, window.days))
    else:
        aggs["active_days"] = ev.event_at.truncate("D").nunique()
    if has_session:
        aggs["n_session_ids"] = ev.session_id.nunique()
    if has_content:
        aggs["content_items"] = ev.content_id.nunique()
        aggs["content_events"] = ev.content_id.notnull().sum()
    for k in kinds:
        aggs[f"n__{k}"] = ev.count(where=ev.event == k)
    for i, (_, name) in enumerate(HOUR_BLOCKS):
        aggs[f"n__{name}"] = ev.count(where=block == i)
    per = ev.group_by("user_id").aggregate(**aggs)
    prof = [c for c in PROFILE_COLUMNS if c in users.columns]
    u = users.select("user_id", "signup_at", *prof)
    per = per.join(u, "user_id")
    df = per.to_pandas().set_index("user_id").sort_index()
    _release_unused_memory()
    if df.empty:
        raise DataError(f"no user events between {window.label()}", table="events",
                        column="event_at", fix="choose a window that holds events")

    out = pd.DataFrame(index=df.index)
    n = df["events"].astype(float)
    if masks:
        out["active_days"] = count_days(mask_words(df, window.days)).astype(float)
    else:
        out["active_days"] = df["active_days"].astype(float)
    dropped: list[tuple[str, str]] = []
    if has_session or "session_start" in kinds_all:
        sessions = df["n_session_ids"] if has_session else df["n_session_start"]
        out["sessions"] = sessions.fillna(0).astype(float).clip(lower=1)
    else:
        dropped += [(c, "no session_id column and no session_start events")
                    for c in ("sessions", "sessions_per_active_day")]
    out["events"] = n
    out["events_per_active_day"] = n / out["active_days"]
    if "sessions" in out:
        out["sessions_per_active_day"] = out["sessions"] / out["active_days"]
    out["days_since_last"] = (window.end_exclusive - pd.to_datetime(df["last_at"])).dt.total_seconds() / 86400
    for k in kinds:
        out[f"mix_{k}"] = df[f"n__{k}"].astype(float) / n
    for _, name in HOUR_BLOCKS:
        out[name] = df[f"n__{name}"].astype(float) / n
    if has_content:
        ce = df["content_events"].astype(float)
        out["content_items"] = df["content_items"].astype(float)
        out["content_breadth"] = np.where(ce > 0, out["content_items"] / ce.where(ce > 0), 0.0)
    out["orders"] = df["orders"].astype(float)
    out["revenue"] = df["revenue"].astype(float)
    out["avg_order_value"] = np.where(out["orders"] > 0, out["revenue"] / out["orders"].where(
        out["orders"] > 0), 0.0)
    out["tenure_days"] = ((window.end_exclusive - pd.to_datetime(df["signup_at"]))
                          .dt.total_seconds() / 86400).clip(lower=0)
    numeric = list(out.columns)
    # for RFM (not a model feature): days since the last order, empty for users without one
    out["days_since_last_order"] = ((window.end_exclusive - pd.to_datetime(df["last_order_at"]))
                                    .dt.total_seconds() / 86400)
    for c in prof:  # categoricals: at 5M users, 5 columns of Python strings took 2.0 GB
        out[c] = df[c].astype("category")
    low = df["events"] < int(min_events)
    n_low = int(low.sum())
    if n_low:
        source.set_aside.append(SetAside(
            "events", int(df.loc[low, "events"].sum()),
            f"{n_low:,} users with fewer than {min_events} events in the window are not used to "
            "fit the personas (too few events to read their mix); they are assigned to the "
            "nearest persona and flagged low_activity"))
    return UserFeatures(out, numeric, list(prof), window, int(tz_offset_hours), low, int(min_events),
                        dropped)


@dataclass
class FeatureTransformer:
    """log1p for skewed counts, then standardisation; ``record_`` keeps what was done.

    Follows scikit-learn conventions: parameters here, ``fit`` returns self, learned
    attributes end in ``_``.
    """

    log_features: Sequence[str] = LOG_FEATURES

    def fit(self, frame: pd.DataFrame, columns: Sequence[str]) -> FeatureTransformer:
        columns = list(columns)
        _check_usable(frame, columns)
        rows = []
        for c in columns:
            x = frame[c].astype(float).to_numpy()
            log = c in self.log_features and np.nanmin(x) >= 0
            if log:
                x = np.log1p(x)
            mu, sd = float(np.mean(x)), float(np.std(x))
            rows.append((c, feature_group(c), bool(log), mu, sd))
        self.columns_ = columns
        self.record_ = pd.DataFrame(rows, columns=["feature", "group", "log1p", "mean", "std"])
        return self

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        # filled column by column: no list of columns beside the matrix (0.7 GB at 5M users)
        out = np.empty((len(frame), len(self.record_)))
        for j, (_, r) in enumerate(self.record_.iterrows()):
            x = frame[r["feature"]].astype(float).to_numpy()
            if r["log1p"]:
                x = np.log1p(np.maximum(x, 0))
            out[:, j] = (x - r["mean"]) / r["std"]
        return out

    def fit_transform(self, frame: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
        return self.fit(frame, columns).transform(frame)


def _check_usable(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    """A clear DataError for a feature that is all missing or constant."""
    for c in columns:
        if c not in frame.columns:
            raise ParameterError(f"feature {c!r} is not built; choose from "
                                 f"{', '.join(frame.columns)}")
        x = pd.to_numeric(frame[c], errors="coerce")
        if x.isna().all():
            raise DataError(f"feature {c!r} is missing for every user", table="events", column=c,
                            fix=f"leave {c} out of features, or load data that fills it")
        if x.isna().any():
            bad = frame[x.isna()].head(5)
            raise DataError(f"feature {c!r} is missing for {int(x.isna().sum()):,} users",
                            table="events", column=c, rows=bad[[c]].reset_index(),
                            n_bad=int(x.isna().sum()), fix=f"leave {c} out of features")
        if float(x.max()) == float(x.min()):
            raise DataError(f"feature {c!r} has the same value ({x.iloc[0]:g}) for every user, so "
                            "it cannot separate personas", table="events", column=c,
                            fix=f"leave {c} out of features")


def select_features(feats: UserFeatures, features: Sequence[str] | None) -> tuple[list[str], list[str]]:
    """(numeric, categorical) features to model: the requested ones, or the defaults.

    Defaults: every numeric feature that varies; constant ones are left out and listed
    in ``feats.dropped``. A requested feature that is constant or missing raises.
    """
    if features:
        unknown = [f for f in features if f not in feats.numeric and f not in feats.categorical]
        if unknown:
            raise ParameterError(f"unknown feature(s) {', '.join(unknown)}; choose from "
                                 f"{', '.join(feats.numeric + feats.categorical)}")
        num = [f for f in features if f in feats.numeric]
        cat = [f for f in features if f in feats.categorical]
        _check_usable(feats.frame, num)
        for c in cat:
            if feats.frame[c].isna().all():
                raise DataError(f"profile column {c!r} is empty for every user", table="users",
                                column=c, fix=f"leave {c} out of features")
        if not num:
            raise ParameterError("features must include at least one numeric feature")
        return num, cat
    num = []
    for c in feats.numeric:
        x = feats.frame[c]
        if x.isna().all():
            feats.dropped.append((c, "missing for every user"))
        elif float(x.max()) == float(x.min()):
            feats.dropped.append((c, f"the same value ({x.iloc[0]:g}) for every user"))
        else:
            num.append(c)
    cat = [c for c in feats.categorical if feats.frame[c].notna().any()]
    for c in feats.categorical:
        if c not in cat:
            feats.dropped.append((c, "empty for every user"))
    return num, cat
