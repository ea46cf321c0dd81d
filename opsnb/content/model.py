"""What works: a model of engagement per impression on what an editor controls.

The outcome is each item's engagement per *impression*, as an empirical logit
``log((k + 0.5) / (n - k + 0.5))`` (``k`` likes, comments and shares, ``n`` impressions): feeds
show items unequally, so counts would mostly measure exposure. Predictors: format, category,
the log of the length (when the column is there), the publishing hour (four 6-hour UTC blocks)
and weekday; creators enter as a random intercept (statsmodels ``MixedLM``), which separates
the creator from the content. With fewer than ``MIN_CREATORS`` creators, or when the mixed model
does not converge, an ordinary least-squares fit without the creator term is used and says so.
Coefficients are shown as odds multipliers ``exp(b)`` with 95 % intervals. This is
observational: an effect here is an association among items that were published, not what a
change would do.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from opsnb.errors import DataError

MIN_ITEMS, MIN_CREATORS = 30, 5
HOUR_BLOCKS = ("00-06", "06-12", "12-18", "18-24")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass
class WhatWorks:
    effects: pd.DataFrame     # term, level, odds multiplier, interval, p value
    method: str               # "mixed" or "ols"
    creator_sd: float | None  # random-intercept SD on the log-odds scale
    creator_share: float | None  # share of the residual variance that is the creator's
    n_items: int
    n_creators: int
    creator_effects: pd.Series | None = None  # each creator's estimated intercept (log-odds)
    outcome: str = "engagement per impression"


def design(items: pd.DataFrame, min_impressions: int) -> pd.DataFrame:
    t = items[items["impressions"] >= max(min_impressions, 1)].copy()
    k = np.minimum(t["engagements"], t["impressions"]).astype(float)
    n = t["impressions"].astype(float)
    t["y"] = np.log((k + 0.5) / (n - k + 0.5))
    pub = pd.to_datetime(t["published_at"])
    t["hour"] = pd.Categorical(np.array(HOUR_BLOCKS)[pub.dt.hour.to_numpy() // 6],
                               categories=HOUR_BLOCKS)
    t["weekday"] = pd.Categorical(np.array(WEEKDAYS)[pub.dt.day_of_week.to_numpy()],
                                  categories=WEEKDAYS)
    if "length" in t and t["length"].notna().any():
        ln = np.log1p(t["length"].astype(float))
        # a format without lengths (images) gets its format's term only
        t["log_length"] = (ln - ln.mean()).fillna(0.0)
    for c in ("format", "category", "creator_id"):
        t[c] = t[c].astype(str)
    return t


def what_works(items: pd.DataFrame, min_impressions: int = 20) -> WhatWorks:
    t = design(items, min_impressions)
    if len(t) < MIN_ITEMS:
        raise DataError(f"only {len(t)} items have {min_impressions} or more impressions; the "
                        f"model needs {MIN_ITEMS}", table="events", column="event",
                        fix="lower min_impressions or choose a longer window")
    terms = [f"C({c})" for c in ("format", "category") if t[c].nunique() > 1]
    terms += [f"C({c})" for c in ("hour", "weekday") if t[c].nunique() > 1]
    if "log_length" in t and t["log_length"].std() > 0:
        terms.append("log_length")
    formula = "y ~ " + (" + ".join(terms) if terms else "1")
    n_creators = int(t["creator_id"].nunique())
    method, sd, share, effects = "ols", None, None, None
    res = None
    if n_creators >= MIN_CREATORS:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fit = smf.mixedlm(formula, t, groups=t["creator_id"]).fit(reml=True)
            if fit.converged and np.isfinite(fit.cov_re.iloc[0, 0]):
                res, method = fit, "mixed"
                var_c = float(fit.cov_re.iloc[0, 0])
                sd = float(np.sqrt(max(var_c, 0.0)))
                share = var_c / (var_c + float(fit.scale))
                effects = pd.Series({g: float(v.iloc[0]) for g, v in fit.random_effects.items()})
        except (np.linalg.LinAlgError, ValueError):
            res = None
    if res is None:
        res = smf.ols(formula, t).fit()
    params, ci, pv = res.params, res.conf_int(), res.pvalues
    rows = []
    for term in params.index:
        if term in ("Intercept", "Group Var") or term.endswith(" Var"):
            continue
        name, level = _split(term)
        rows.append({"term": name, "level": level, "odds_multiplier": float(np.exp(params[term])),
                     "low": float(np.exp(ci.loc[term, 0])), "high": float(np.exp(ci.loc[term, 1])),
                     "p_value": float(pv[term])})
    return WhatWorks(pd.DataFrame(rows, columns=["term", "level", "odds_multiplier", "low",
                                                 "high", "p_value"]),
                     method, sd, share, len(t), n_creators, effects)


def _split(term: str) -> tuple[str, str]:
    if term.startswith("C(") and "[T." in term:
        name = term[2:term.index(")")]
        return name, term[term.index("[T.") + 3:-1]
    return term, ""
