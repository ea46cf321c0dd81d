"""Churn early-warning: a churn-risk score for currently active users.

Behaviour at a cutoff time tau (recency, frequency, monetary value, tenure) is computed
per user in the engine (Ibis). The label is "churned": no return event in the
``horizon_days`` after tau. A logistic regression on log features is

* trained at tau_train = end - 2 x horizon (labels from the following horizon),
* validated out of time at tau_valid = end - horizon (AUC, Brier score and a
  calibration table on that held-out window: users and weeks the fit never saw),
* refitted at tau_valid and used to score the users active at the end of the data.

The at-risk list ranks the scored users by expected revenue at stake
(risk x revenue of the last 90 days) and exports as CSV for the outreach team.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from opsnb.data.daymask import count_days, day_mask_aggregates, mask_words
from opsnb.data.source import DataSource
from opsnb.data.window import Window
from opsnb.errors import DataError, ParameterError
from opsnb.retention.spec import ANY_EVENT

FEATURES = ("recency_days", "tenure_days", "active_days_7", "active_days_28", "events_28",
            "revenue_28", "revenue_90", "revenue_total")
DAY = pd.Timedelta(days=1)
MASK_DAYS = 28  # the longest active-days feature: one word of day bits


def user_features(source: DataSource, cutoff: pd.Timestamp, active_days: int,
                  return_event: str = ANY_EVENT, horizon_days: int | None = None) -> pd.DataFrame:
    """Per-user behaviour before ``cutoff`` for users active in the ``active_days`` before it;
    with ``horizon_days``, also the label ``churned`` (no return event in the next horizon)."""
    labelled = horizon_days is not None
    return features_at(source, [(cutoff, labelled)], active_days, return_event,
                       int(horizon_days or 0))[0]


def features_at(source: DataSource, cutoffs: list[tuple[pd.Timestamp, bool]], active_days: int,
                return_event: str = ANY_EVENT, horizon_days: int = 0) -> list[pd.DataFrame]:
    """:func:`user_features` at several midnight cutoffs ``(cutoff, labelled)`` in one query.

    One aggregate per user over the events, with plain conditional aggregates per cutoff, so
    the events are read once whatever the number of cutoffs. The active days of the 28 days
    before a cutoff are a mask of days (:mod:`opsnb.data.daymask`), counted in numpy: this
    replaces a distinct count of days per user and cutoff, and gives the same numbers because
    the cutoffs fall on midnight (UTC).
    """
    cuts = [pd.Timestamp(c) for c, _ in cutoffs]
    if any(c != c.normalize() for c in cuts):
        raise ParameterError(f"churn cutoffs must fall on midnight: {cuts}")
    H = int(horizon_days)
    lit = lambda t: ibis.literal(pd.Timestamp(t).to_pydatetime(), type="timestamp")  # noqa: E731
    last = max(c + (H * DAY if lab else pd.Timedelta(0)) for c, (_, lab) in zip(cuts, cutoffs))
    base = min(cuts) - MASK_DAYS * DAY
    ev = source.table("events")
    ev = ev.filter(ev.event_at < lit(last))
    ev = ev.mutate(opsnb_day=((ev.event_at.epoch_seconds() - int(base.timestamp())) // 86400)
                   .cast("int64"))
    aggs, money = {}, {}
    paid = ev.filter(ev.revenue != 0)  # the revenue sums read only the rows with revenue
    for i, ((_, lab), c) in enumerate(zip(cutoffs, cuts)):
        before = ev.event_at < lit(c)
        since = {n: before & (ev.event_at >= lit(c - n * DAY)) for n in (28, 90)}
        lo = int((c - base) / DAY) - MASK_DAYS
        aggs.update(day_mask_aggregates(ev.opsnb_day - lo, MASK_DAYS, f"days_{i}_", since[28]))
        aggs[f"last_at_{i}"] = ev.event_at.max(where=before) if c < last else ev.event_at.max()
        aggs[f"events_28_{i}"] = ev.count(where=since[28])
        for name, lo_day in (("revenue_28", 28), ("revenue_90", 90), ("revenue_total", None)):
            keep = paid.event_at < lit(c)
            if lo_day:
                keep = keep & (paid.event_at >= lit(c - lo_day * DAY))
            money[f"{name}_{i}"] = paid.revenue.sum(where=keep)
        # with any event as the return and the next cutoff one horizon later, the label is
        # read from that cutoff's last event (an event in [c, c + H) is one before c + H)
        if lab and not (return_event == ANY_EVENT and c + H * DAY in cuts):
            back = (ev.event_at >= lit(c)) & (ev.event_at < lit(c + H * DAY))
            if return_event != ANY_EVENT:
                back = back & (ev.event == return_event)
            aggs[f"back_{i}"] = ev.count(where=back)
    f = ev.group_by("user_id").aggregate(**aggs)
    act = [f[f"last_at_{i}"] >= lit(c - int(active_days) * DAY) for i, c in enumerate(cuts)]
    f = f.filter(ibis.or_(*act))
    m = paid.group_by(m_user=paid.user_id).aggregate(**money)
    f = f.left_join(m, f.user_id == m.m_user).drop("m_user")
    users = source.table("users")
    u = users.select(u_id=users.user_id, signup_at=users.signup_at, channel=users.channel)
    f = f.join(u, f.user_id == u.u_id).drop("u_id")
    df = f.order_by("user_id").to_pandas()  # sorted by the engine: each cutoff's rows in order
    out = []
    for i, ((_, lab), c) in enumerate(zip(cutoffs, cuts)):
        rows = np.flatnonzero((df[f"last_at_{i}"] >= c - int(active_days) * DAY).to_numpy())
        col = lambda name: df[name].take(rows).reset_index(drop=True)  # noqa: B023,E731
        days = [w[rows] for w in mask_words(df, MASK_DAYS, f"days_{i}_")]
        frame = pd.DataFrame({
            "user_id": col("user_id"), "last_at": col(f"last_at_{i}"),
            "active_days_7": count_days(days, MASK_DAYS - 7),
            "active_days_28": count_days(days),
            **{k: col(f"{k}_{i}") for k in ("events_28", "revenue_28", "revenue_90",
                                            "revenue_total")},
            "signup_at": col("signup_at"), "channel": col("channel")})
        if lab and f"back_{i}" in df:
            frame["churned"] = (col(f"back_{i}").fillna(0) == 0).astype("int8")
        elif lab:
            nxt = col(f"last_at_{cuts.index(c + H * DAY)}")
            frame["churned"] = (~(nxt >= c).to_numpy()).astype("int8")
        frame["recency_days"] = (c - frame["last_at"]) / DAY
        frame["tenure_days"] = (c - frame["signup_at"]) / DAY
        for k in FEATURES:
            frame[k] = frame[k].fillna(0).astype(float)
        out.append(frame)
    return out


def _design(df: pd.DataFrame) -> np.ndarray:
    return np.log1p(df[list(FEATURES)].to_numpy(float).clip(min=0))


class ChurnRiskModel:
    """Logistic regression of churn on log behaviour features (scikit-learn conventions)."""

    def __init__(self, C: float = 1.0, max_iter: int = 2000, random_state: int = 0):
        self.C = C
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, features: pd.DataFrame, churned) -> ChurnRiskModel:
        y = np.asarray(churned).astype(int)
        if len(np.unique(y)) < 2:
            raise DataError("every user in the training window has the same churn outcome; a "
                            "model cannot be fitted", table="events",
                            fix="use a longer window or a different churn_inactive_days")
        self.pipeline_ = make_pipeline(
            StandardScaler(), LogisticRegression(C=self.C, max_iter=self.max_iter,
                                                 random_state=self.random_state))
        self.pipeline_.fit(_design(features), y)
        lr = self.pipeline_[-1]
        self.coef_ = pd.Series(lr.coef_[0], index=list(FEATURES))
        self.intercept_ = float(lr.intercept_[0])
        self.n_train_ = len(y)
        self.churn_rate_train_ = float(y.mean())
        return self

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        return self.pipeline_.predict_proba(_design(features))[:, 1]


def calibration_table(y, p, bins: int = 10) -> pd.DataFrame:
    """Users grouped by predicted-risk decile: mean predicted risk against observed churn."""
    d = pd.DataFrame({"y": np.asarray(y, float), "p": np.asarray(p, float)})
    q = min(bins, max(1, d["p"].nunique()))
    d["bin"] = pd.qcut(d["p"].rank(method="first"), q, labels=False)
    t = d.groupby("bin").agg(users=("y", "size"), predicted=("p", "mean"), observed=("y", "mean"))
    return t.reset_index(drop=True)


@dataclass
class ChurnRisk:
    """The validated model, its hold-out metrics and the scored active users."""

    model: ChurnRiskModel
    horizon_days: int
    cutoffs: dict
    auc: float
    brier: float
    base_rate: float
    calibration: pd.DataFrame
    n_valid: int
    scores: pd.DataFrame  # user_id, channel, risk, recency_days, ..., last_at

    def to_frame(self) -> pd.DataFrame:
        return self.scores.copy()

    def at_risk(self, min_risk: float = 0.5, top: int | None = 50) -> pd.DataFrame:
        """High-value active users whose risk is at least ``min_risk``, by revenue at stake."""
        s = self.scores[(self.scores["risk"] >= min_risk) & (self.scores["revenue_90"] > 0)]
        s = s.assign(revenue_at_stake=s["risk"] * s["revenue_90"])
        s = s.sort_values(["revenue_at_stake", "user_id"], ascending=[False, True])
        cols = ["user_id", "channel", "risk", "revenue_at_stake", "revenue_90", "revenue_total",
                "recency_days", "active_days_28", "last_at"]
        s = s[cols].reset_index(drop=True)
        return s.head(top) if top else s

    def export_at_risk(self, path, min_risk: float = 0.5) -> Path:
        """Write the whole at-risk list as CSV (UTF-8 with BOM, so Excel shows Chinese)."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        self.at_risk(min_risk, top=None).to_csv(p, index=False, encoding="utf-8-sig")
        return p

    def headline(self) -> dict:
        return {"holdout_auc": self.auc, "holdout_brier": self.brier,
                "holdout_churn_rate": self.base_rate, "holdout_users": self.n_valid,
                "horizon_days": self.horizon_days, "active_users_scored": len(self.scores),
                "mean_risk": float(self.scores["risk"].mean()) if len(self.scores) else None,
                "cutoffs": self.cutoffs}


def history_span(source: DataSource, window: Window, horizon_days: int = 30) -> dict:
    """Whether the data reaches back far enough for the churn model (numbers, no sentence).

    The model needs ``3 x horizon_days`` whole days before the end of the complete data: a
    horizon of history before the training cutoff, one to train and one to validate.
    ``max_horizon_days`` is the largest ``churn_inactive_days`` the data allows (0: none).
    """
    H = int(horizon_days)
    end = window.complete_until.normalize()
    first = source.data_start().normalize()
    have = max(0, int((end - first).days))
    return {"need_days": 3 * H, "have_days": have, "enough": have >= 3 * H,
            "max_horizon_days": have // 3, "end": f"{end:%Y-%m-%d}",
            "data_start": f"{first:%Y-%m-%d}"}


def churn_risk(source: DataSource, window: Window, horizon_days: int = 30,
               return_event: str = ANY_EVENT, C: float = 1.0, seed: int = 0) -> ChurnRisk:
    """Fit, validate out of time and score the churn-risk model (see the module docstring)."""
    H = int(horizon_days)
    if H < 1:
        raise ParameterError(f"churn_inactive_days={horizon_days} must be at least 1")
    span = history_span(source, window, H)
    if not span["enough"]:
        raise ParameterError(
            f"the churn model needs {span['need_days']} days of data ({H} of history, {H} to "
            f"train and {H} to validate) before {span['end']}; the data holds "
            f"{span['have_days']}: use a smaller churn_inactive_days or more data")
    end = window.complete_until.normalize()
    t_valid, t_train = end - H * DAY, end - 2 * H * DAY
    train, valid, now = features_at(source, [(t_train, True), (t_valid, True), (end, False)], H,
                                    return_event, H)
    if len(valid) < 20 or valid["churned"].nunique() < 2:
        raise DataError(f"too few active users ({len(valid)}) at {t_valid:%Y-%m-%d} to validate "
                        "the churn model", table="events",
                        fix="use a longer window or a smaller churn_inactive_days")
    m = ChurnRiskModel(C=C, random_state=seed).fit(train, train["churned"])
    p = m.predict_proba(valid)
    auc = float(roc_auc_score(valid["churned"], p))
    brier = float(brier_score_loss(valid["churned"], p))
    cal = calibration_table(valid["churned"], p)
    final = ChurnRiskModel(C=C, random_state=seed).fit(valid, valid["churned"])
    now["risk"] = final.predict_proba(now) if len(now) else []
    cutoffs = {"train": f"{t_train:%Y-%m-%d}", "valid": f"{t_valid:%Y-%m-%d}",
               "score": f"{end:%Y-%m-%d}"}
    return ChurnRisk(final, H, cutoffs, auc, brier, float(valid["churned"].mean()), cal,
                     len(valid), now)
