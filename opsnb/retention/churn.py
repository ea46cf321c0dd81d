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

from opsnb.data.source import DataSource
from opsnb.data.window import Window
from opsnb.errors import DataError, ParameterError
from opsnb.retention.spec import ANY_EVENT

FEATURES = ("recency_days", "tenure_days", "active_days_7", "active_days_28", "events_28",
            "revenue_28", "revenue_90", "revenue_total")
DAY = pd.Timedelta(days=1)


def user_features(source: DataSource, cutoff: pd.Timestamp, active_days: int,
                  return_event: str = ANY_EVENT, horizon_days: int | None = None) -> pd.DataFrame:
    """Per-user behaviour before ``cutoff`` for users active in the ``active_days`` before it;
    with ``horizon_days``, also the label ``churned`` (no return event in the next horizon)."""
    ev = source.table("events")
    users = source.table("users")
    cut = ibis.literal(pd.Timestamp(cutoff).to_pydatetime(), type="timestamp")
    past = ev.filter(ev.event_at < cut)
    d7, d28, d90 = (cut - ibis.interval(days=n) for n in (7, 28, 90))
    day = past.event_at.truncate("D")
    f = past.group_by("user_id").aggregate(
        last_at=past.event_at.max(),
        active_days_7=day.nunique(where=past.event_at >= d7),
        active_days_28=day.nunique(where=past.event_at >= d28),
        events_28=(past.event_at >= d28).sum(),
        revenue_28=past.revenue.sum(where=past.event_at >= d28),
        revenue_90=past.revenue.sum(where=past.event_at >= d90),
        revenue_total=past.revenue.sum(),
    )
    f = f.filter(f.last_at >= cut - ibis.interval(days=int(active_days)))
    u = users.select(u_id=users.user_id, signup_at=users.signup_at, channel=users.channel)
    f = f.join(u, f.user_id == u.u_id).drop("u_id")
    if horizon_days is not None:
        fut = ev.filter(ev.event_at >= cut, ev.event_at < cut + ibis.interval(days=int(horizon_days)))
        if return_event != ANY_EVENT:
            fut = fut.filter(fut.event == return_event)
        back = fut.select(b_user=fut.user_id).distinct()
        f = f.left_join(back, f.user_id == back.b_user)
        f = f.mutate(churned=f.b_user.isnull().cast("int8")).drop("b_user")
    df = f.to_pandas()
    cutoff = pd.Timestamp(cutoff)
    df["recency_days"] = (cutoff - df["last_at"]) / DAY
    df["tenure_days"] = (cutoff - df["signup_at"]) / DAY
    for c in FEATURES:
        df[c] = df[c].fillna(0).astype(float)
    return df.sort_values("user_id").reset_index(drop=True)


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
    train = user_features(source, t_train, H, return_event, H)
    valid = user_features(source, t_valid, H, return_event, H)
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
    now = user_features(source, end, H)
    now["risk"] = final.predict_proba(now) if len(now) else []
    cutoffs = {"train": f"{t_train:%Y-%m-%d}", "valid": f"{t_valid:%Y-%m-%d}",
               "score": f"{end:%Y-%m-%d}"}
    return ChurnRisk(final, H, cutoffs, auc, brier, float(valid["churned"].mean()), cal,
                     len(valid), now)
