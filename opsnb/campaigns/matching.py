"""Participants against matched non-participants: balance and the effect on the participants.

Users chose to join, and the more active join more, so all participants against all others (the
**naive** difference) mixes the campaign's effect with who joined. Matching compares each
participant with non-participants who looked alike before the campaign (pre-period activity,
revenue, paying, tenure, channel, and persona / region / device when given). The result is the
effect on the participants (ATT) under the assumption that nothing unmeasured drove both joining
and the outcome: it is **observational**, never as sure as an experiment.

Methods
-------
``propensity``
    A logistic regression of joining on the covariates (``log1p`` of the counts and revenue,
    the 0/1 paying flag, one-hot categoricals; columns standardised, a light L2 penalty,
    ``C=1``), and 1:1 nearest-neighbour matching **with replacement** on its logit, within
    ``caliper`` x SD(logit) (SD over all users, ddof 1), exactly on ``exact`` (by default
    channel and the paying flag: a 1-D score balances them only on average, and they drive
    revenue). A participant with no non-participant that close is set aside (``n_unmatched``).
    A non-participant used ``K`` times has weight K.
``cem``
    Coarsened exact matching: every numeric covariate is cut into a bin of its own for 0 and
    ``cem_bins`` quantile bins of the positive values (pooled over all users); binary and
    categorical covariates are matched exactly. Strata holding participants but no
    non-participant are set aside. CEM weights: participant 1, non-participant
    ``n_T(s) / n_C(s)`` in its stratum ``s`` (so the weights of the controls sum to the matched
    participants).
``auto``
    CEM when it keeps at least ``AUTO_CEM_SHARE`` (80 %) of the participants **and** balances
    every covariate (|SMD after| <= 0.1; coarse bins can leave imbalance inside a bin), as exact
    matching on bins is then the more transparent; else propensity.

Balance
-------
Per covariate (numbers on their own scale; each category level as a 0/1 indicator): the means
of participants and of all non-participants, the standardised mean difference before,
``SMD = (mean_T - mean_C) / sqrt((var_T + var_C) / 2)`` with the sample variances (ddof 1) of
*all* participants and *all* non-participants, and after matching the means of the matched
participants and of the matched non-participants (weighted) over the **same** denominator, so
that a change of SMD is a change of means only. ``|SMD after| > 0.1`` is flagged.

Effects and intervals
---------------------
Per outcome (retained share, active days and revenue per user in the after window): the naive
difference of means with Welch's normal interval, and the matched ATT. All intervals are
``ATT ± z(1 - alpha/2) SE``; their coverage is checked by simulation in
``benchmarks/bench_campaign_matching.py``.

``propensity``: ``ATT = mean over matched participants i of (Y_i - Y_j(i))``, with the
Abadie–Imbens (2006) variance for matching with replacement::

    V = [ sum_i (Y_i - Y_j(i) - ATT)^2 + sum_j K_j (K_j - 1) s2_j ] / N_T^2

``K_j`` the times non-participant ``j`` is used and ``s2_j = (Y_j - Y_l(j))^2 / 2`` from its
nearest other non-participant ``l(j)`` on the logit (of the same exact group). It ignores that
the propensity is estimated (for the ATT this can err either way).

``cem``: the strata's differences of means weighted by their participants; a weighting
estimator, so its SE is the standard deviation of ``n_boot`` Poisson-bootstrap replicates (each
user drawn ``Poisson(1)`` times, strata fixed, seeded by ``seed``). The analytic stratified
variance underestimates it where strata hold one user of a group and the outcome is skewed.

Bias correction (default, Abadie & Imbens 2011): the estimators run on ``Y - mu0(X)``, ``mu0``
a least-squares fit of the outcome on the covariates (raw and log1p counts, flags, one-hot
categoricals) over the matched non-participants (weighted); it removes what is left of the
covariate differences inside pairs or coarse CEM bins (a fit within strata was tried: much
noisier where strata hold few non-participants). ``bias_correction=False`` gives the plain
matched differences.

>>> frame, truth = simulate_self_selection(n=2000, seed=1)
>>> r = match_participants(frame, method="propensity")
>>> r.n_participants == r.n_matched + r.n_unmatched
True
>>> naive = r.effects["retained"]["naive"].value - truth["retained"]
>>> matched = r.effects["retained"]["matched"].value - truth["retained"]
>>> abs(matched) < abs(naive) / 2
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from opsnb.campaigns.estimate import Estimate
from opsnb.campaigns.participants import (BINARY_COVARIATES, CATEGORICAL_COVARIATES,
                                          NUMERIC_COVARIATES, OUTCOMES, ParticipantFrame)
from opsnb.errors import ParameterError

METHODS = ("propensity", "cem", "auto")
AUTO_CEM_SHARE = 0.8
MIN_PARTICIPANTS = 20
SMD_FLAG = 0.1
OUTCOME_ALIASES = {"active_days": "after_active_days", "revenue": "after_revenue"}
EXACT = ("channel", "pre_paying")   # propensity matches are exact on these (when present)


@dataclass(frozen=True, eq=False)
class MatchResult:
    """Matched participants against non-participants (observational).

    ``balance``: one row per covariate or category level: ``covariate`` (``channel=抖音`` for a
    level), ``mean_participants``, ``mean_others`` (all non-participants), ``smd_before``,
    ``mean_participants_matched``, ``mean_matched`` (matched non-participants, weighted),
    ``smd_after``, ``flag`` (|smd_after| > 0.1).
    ``effects``: outcome -> {"naive": Estimate, "matched": Estimate}; outcomes are the frame's
    columns (retained, after_active_days, after_revenue); :meth:`effect` also takes the short
    names retained, active_days, revenue.
    ``outcome_means``: outcome -> mean of the matched participants (``participants``) and of
    the matched non-participants, weighted (``matched``).
    ``weights``: per row of the input frame, its weight in the matched comparison (matched
    participant 1, unmatched 0, non-participant K or its CEM weight). ``pairs`` (propensity):
    the participant's row label, its match's row label and their logit distance.
    """

    method: str
    n_participants: int
    n_matched: int
    n_unmatched: int
    n_pool: int
    n_controls_used: int
    balance: pd.DataFrame
    effects: dict[str, dict[str, Estimate]]
    alpha: float = 0.05
    caliper: float = 0.2
    weights: pd.Series | None = None
    pairs: pd.DataFrame | None = None
    logit: pd.Series | None = None
    cem_share: float | None = None           # share of participants CEM keeps (when computed)
    covariates: tuple[str, ...] = field(default=())
    bias_corrected: bool = False
    outcome_means: dict[str, dict[str, float]] = field(default_factory=dict)
    observational: bool = True

    @property
    def imbalanced(self) -> list[str]:
        """The covariates (levels) whose |SMD| after matching exceeds 0.1."""
        return list(self.balance.loc[self.balance["flag"], "covariate"])

    @property
    def max_abs_smd_after(self) -> float:
        return float(self.balance["smd_after"].abs().max())

    def effect(self, outcome: str, kind: str = "matched") -> Estimate:
        """The ``naive`` or ``matched`` estimate of an outcome (short names accepted)."""
        return self.effects[OUTCOME_ALIASES.get(outcome, outcome)][kind]

    def matched_control_mean(self, outcome: str) -> float:
        """The matched participants' mean had they not joined: their mean minus the matched
        ATT (with bias correction off, the weighted mean of the matched non-participants)."""
        key = OUTCOME_ALIASES.get(outcome, outcome)
        return float(self.outcome_means[key]["participants"] - self.effects[key]["matched"].value)

    def p_value(self, outcome: str) -> float:
        """Two-sided p-value of the matched ATT against 0 (normal, from its interval)."""
        e = self.effect(outcome, "matched")
        se = (e.upper - e.lower) / (2 * stats.norm.ppf(1 - e.alpha / 2))
        if not (se > 0) or not math.isfinite(e.value):
            return math.nan
        return float(2 * stats.norm.sf(abs(e.value) / se))

    def effects_frame(self) -> pd.DataFrame:
        """One row per outcome and comparison: value, lower, upper."""
        rows = [{"outcome": o, "comparison": k, "value": e.value, "lower": e.lower,
                 "upper": e.upper}
                for o, d in self.effects.items() for k, e in d.items()]
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        bal = self.balance
        return {
            "method": self.method, "observational": self.observational,
            "n_participants": self.n_participants, "n_matched": self.n_matched,
            "n_unmatched": self.n_unmatched, "n_pool": self.n_pool,
            "n_controls_used": self.n_controls_used, "alpha": self.alpha,
            "caliper": self.caliper, "bias_corrected": self.bias_corrected,
            "cem_share": None if self.cem_share is None else float(self.cem_share),
            "effects": {o: {k: e.to_dict() for k, e in d.items()}
                        for o, d in self.effects.items()},
            "balance": [{k: (bool(v) if k == "flag" else v if isinstance(v, str)
                             else None if not math.isfinite(float(v)) else float(v))
                         for k, v in row.items()} for row in bal.to_dict("records")],
            "imbalanced": self.imbalanced,
            "p_values": {o: self.p_value(o) for o in self.effects},
            "outcome_means": self.outcome_means,
            "max_abs_smd_after": self.max_abs_smd_after,
        }

    def plot_balance(self, ax=None, lang: str = "en", max_rows: int = 16):
        """A love plot: |SMD| before (hollow) and after (filled) per covariate, the 0.1 line.

        At most ``max_rows`` rows: the numeric covariates, then the category levels that were
        least balanced before or after matching (the balance table lists them all)."""
        import matplotlib.pyplot as plt

        from opsnb.report.i18n import Translator
        from opsnb.report.style import titled

        tr = Translator(lang)
        bal = self.balance
        if len(bal) > max_rows:
            level = bal["covariate"].astype(str).str.contains("=")
            worst = bal[level].assign(_w=np.maximum(bal["smd_before"].abs(),
                                                    bal["smd_after"].abs()))
            keep = bal[~level].index.tolist() + worst.nlargest(
                max(max_rows - int((~level).sum()), 0), "_w").index.tolist()
            bal = bal.loc[sorted(keep)]
        b = bal.iloc[::-1].set_index("covariate")
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 0.3 * len(b) + 1.6))
        y = np.arange(len(b))
        ax.scatter(b["smd_before"].abs(), y, facecolors="none", edgecolors="#888888",
                   label=tr("before matching"), zorder=3)
        ax.scatter(b["smd_after"].abs(), y, color="#1f77b4", label=tr("after matching"),
                   zorder=3)
        ax.axvline(SMD_FLAG, color="#d62728", lw=1, ls="--")
        ax.set_yticks(y)
        ax.set_yticklabels(list(b.index))
        ax.set_xlabel(tr("absolute standardised mean difference"))
        ax.set_xlim(left=0)
        ax.legend(loc="lower right", fontsize=8)
        titled(ax, tr("Covariate balance before and after matching"),
               tr("Difference of the means of participants and non-participants in pooled "
                  "standard deviations; right of the dashed line (0.1) a covariate is not "
                  "balanced"))
        return ax


# --------------------------------------------------------------------------- design
def _columns(df: pd.DataFrame) -> tuple[list[str], list[str], list[str]]:
    num = [c for c in NUMERIC_COVARIATES if c in df.columns]
    binary = [c for c in BINARY_COVARIATES if c in df.columns]
    cats = [c for c in CATEGORICAL_COVARIATES if c in df.columns]
    return num, binary, cats


def _balance_matrix(df: pd.DataFrame, num, binary, cats) -> pd.DataFrame:
    """The covariates as analysts read them: numbers raw, each category level a 0/1 column."""
    parts = [df[num + binary].astype(float)]
    for c in cats:
        d = pd.get_dummies(df[c].astype(str), prefix=c, prefix_sep="=", dtype=float)
        parts.append(d[sorted(d.columns)])
    return pd.concat(parts, axis=1)


def _model_matrix(df: pd.DataFrame, num, binary, cats) -> np.ndarray:
    """log1p of the counts, the flags, one-hot categoricals; standardised, constants dropped."""
    parts = [np.log1p(df[num].astype(float).clip(lower=0)), df[binary].astype(float)]
    for c in cats:
        parts.append(pd.get_dummies(df[c].astype(str), prefix=c, dtype=float))
    x = pd.concat(parts, axis=1).to_numpy(float)
    sd = x.std(axis=0)
    keep = sd > 0
    return (x[:, keep] - x[:, keep].mean(axis=0)) / sd[keep]


def _outcome_matrix(df: pd.DataFrame, num, binary, cats) -> np.ndarray:
    """The regression design of the bias correction: the counts raw and as log1p, the flags,
    one-hot categoricals (standardised, constants dropped), and an intercept."""
    raw = df[num].astype(float)
    raw = (raw - raw.mean()) / raw.std(ddof=0).replace(0, 1.0)
    x = np.column_stack([raw.to_numpy(float), _model_matrix(df, num, binary, cats)])
    return np.column_stack([np.ones(len(df)), x])


def _residuals(y: np.ndarray, x: np.ndarray, t: np.ndarray, w: np.ndarray) -> np.ndarray | None:
    """``y - x @ beta``, beta the weighted least-squares fit on the matched non-participants;
    None when they are too few to fit it."""
    c = ~t & (w > 0)
    if c.sum() <= 2 * x.shape[1]:
        return None
    sw = np.sqrt(w[c])
    beta = np.linalg.lstsq(x[c] * sw[:, None], y[c] * sw, rcond=None)[0]
    return y - x @ beta


def propensity_logit(df: pd.DataFrame) -> np.ndarray:
    """The logit of the fitted probability of joining, per row (see the module doc)."""
    from sklearn.linear_model import LogisticRegression

    num, binary, cats = _columns(df)
    x = _model_matrix(df, num, binary, cats)
    t = df["treated"].astype(bool).to_numpy()
    if x.shape[1] == 0:
        return np.zeros(len(df))
    model = LogisticRegression(C=1.0, max_iter=2000).fit(x, t)
    return model.decision_function(x)


# --------------------------------------------------------------------------- matching
def _nearest(sorted_vals: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Position in ``sorted_vals`` of the nearest value to each ``q`` (the lower on a tie)."""
    pos = np.searchsorted(sorted_vals, q)
    left = np.clip(pos - 1, 0, len(sorted_vals) - 1)
    right = np.clip(pos, 0, len(sorted_vals) - 1)
    take_right = np.abs(sorted_vals[right] - q) < np.abs(q - sorted_vals[left])
    return np.where(take_right, right, left)


def _neighbour_var(score: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``(y - y_l)^2 / 2`` with ``l`` the nearest other unit on the score (0 when alone)."""
    n = len(score)
    if n < 2:
        return np.zeros(n)
    order = np.argsort(score, kind="stable")
    s, ys = score[order], y[order]
    d_left = np.r_[np.inf, np.diff(s)]
    d_right = np.r_[np.diff(s), np.inf]
    nb = np.where(d_right < d_left, np.arange(n) + 1, np.arange(n) - 1)
    out = np.empty(n)
    out[order] = (ys - ys[nb]) ** 2 / 2
    return out


def _propensity_match(logit: np.ndarray, t: np.ndarray, group: np.ndarray, caliper: float,
                      seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """1:1 nearest neighbour on the logit, with replacement, inside each exact-match group.

    Returns the weights (participant 1, non-participant K), the matched participants' rows
    (ascending) and their matches' rows.
    """
    rng = np.random.default_rng(seed)
    sd = float(np.std(logit, ddof=1)) if len(logit) > 1 else 0.0
    tis, js = [], []
    for g in np.unique(group):
        ci = np.flatnonzero(~t & (group == g))
        ti = np.flatnonzero(t & (group == g))
        if not len(ci) or not len(ti):
            continue
        ci = ci[rng.permutation(len(ci))]      # ties between equal logits go to a random one
        ci = ci[np.argsort(logit[ci], kind="stable")]
        j = ci[_nearest(logit[ci], logit[ti])]
        ok = np.abs(logit[ti] - logit[j]) <= caliper * sd + 1e-12
        tis.append(ti[ok])
        js.append(j[ok])
    ti = np.concatenate(tis) if tis else np.zeros(0, dtype=np.int64)
    j = np.concatenate(js) if js else np.zeros(0, dtype=np.int64)
    order = np.argsort(ti, kind="stable")
    ti, j = ti[order], j[order]
    w = np.zeros(len(t))
    w[ti] = 1.0
    np.add.at(w, j, 1.0)
    return w, ti, j


def _exact_groups(df: pd.DataFrame, exact: tuple[str, ...]) -> np.ndarray:
    cols = [c for c in exact if c in df.columns]
    if not cols:
        return np.zeros(len(df), dtype=np.int64)
    if len(cols) == 1:
        return pd.factorize(df[cols[0]].astype(str))[0]
    return pd.MultiIndex.from_arrays([df[c].astype(str) for c in cols]).factorize()[0]


def _cem_strata(df: pd.DataFrame, bins: int) -> np.ndarray:
    num, binary, cats = _columns(df)
    keys = []
    for c in num:
        x = df[c].astype(float).to_numpy()
        code = np.zeros(len(x), dtype=np.int64)
        pos = x > 0
        if pos.any():
            edges = np.unique(np.quantile(x[pos], np.linspace(0, 1, bins + 1)[1:-1]))
            code[pos] = 1 + np.searchsorted(edges, x[pos], side="right")
        keys.append(code)
    for c in binary:
        keys.append(df[c].astype(np.int64).to_numpy())
    for c in cats:
        keys.append(pd.factorize(df[c].astype(str))[0])
    if not keys:
        return np.zeros(len(df), dtype=np.int64)
    return pd.MultiIndex.from_arrays(keys).factorize()[0] if len(keys) > 1 else \
        pd.factorize(keys[0])[0]


def _cem_weights(t: np.ndarray, strata: np.ndarray) -> np.ndarray:
    nt = np.bincount(strata, weights=t.astype(float))
    nc = np.bincount(strata, weights=(~t).astype(float))
    both = (nt > 0) & (nc > 0)
    w = np.zeros(len(t))
    keep = both[strata]
    w[t & keep] = 1.0
    c = ~t & keep
    w[c] = nt[strata[c]] / nc[strata[c]]
    return w


# --------------------------------------------------------------------------- estimates
def _naive(y: np.ndarray, t: np.ndarray, alpha: float) -> Estimate:
    a, b = y[t], y[~t]
    diff = float(a.mean() - b.mean())
    se = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b)) if min(len(a), len(b)) > 1 \
        else math.nan
    z = stats.norm.ppf(1 - alpha / 2)
    return Estimate(diff, float(diff - z * se), float(diff + z * se), alpha)


def _att_pairs(y, ti, j, k, s2, alpha) -> Estimate:
    """ATT of 1:1 matching with replacement and its Abadie–Imbens interval."""
    d = y[ti] - y[j]
    att = float(d.mean())
    n1 = len(d)
    v = (np.sum((d - att) ** 2) + np.sum(k * (k - 1) * s2)) / n1 ** 2
    z = stats.norm.ppf(1 - alpha / 2)
    se = math.sqrt(v)
    return Estimate(att, float(att - z * se), float(att + z * se), alpha)


def _cem_att_value(y: np.ndarray, t: np.ndarray, strata: np.ndarray, n_strata: int,
                   f: np.ndarray | None = None) -> float:
    """The CEM ATT, with frequency weights ``f`` (a bootstrap draw) when given."""
    f = np.ones(len(y)) if f is None else f
    tf, cf = f * t, f * ~t
    nt = np.bincount(strata, weights=tf, minlength=n_strata)
    nc = np.bincount(strata, weights=cf, minlength=n_strata)
    st = np.bincount(strata, weights=tf * y, minlength=n_strata)
    sc = np.bincount(strata, weights=cf * y, minlength=n_strata)
    both = (nt > 0) & (nc > 0)
    n1 = nt[both].sum()
    if n1 == 0:
        return math.nan
    return float((st[both] - nt[both] * sc[both] / nc[both]).sum() / n1)


def _att_cem(y, t, strata, alpha, n_boot: int, seed: int) -> Estimate:
    """ATT over the strata holding both groups, its SE from a Poisson bootstrap of users
    (strata fixed; a weighting estimator, so the bootstrap is valid, unlike for 1:1 matching)."""
    n_strata = int(strata.max()) + 1
    att = _cem_att_value(y, t, strata, n_strata)
    rng = np.random.default_rng(seed)
    draws = np.array([_cem_att_value(y, t, strata, n_strata, rng.poisson(1.0, len(y)))
                      for _ in range(int(n_boot))])
    draws = draws[np.isfinite(draws)]
    se = float(np.std(draws, ddof=1)) if len(draws) > 1 else math.nan
    z = stats.norm.ppf(1 - alpha / 2)
    return Estimate(att, float(att - z * se), float(att + z * se), alpha)


def _balance(xb: pd.DataFrame, t: np.ndarray, w: np.ndarray) -> pd.DataFrame:
    x = xb.to_numpy(float)
    xt, xc = x[t], x[~t]
    mt, mc = xt.mean(axis=0), xc.mean(axis=0)
    sd = np.sqrt((xt.var(axis=0, ddof=1) + xc.var(axis=0, ddof=1)) / 2)
    wt, wc = w[t], w[~t]
    mt_after = (wt @ xt) / wt.sum()
    mc_after = (wc @ xc) / wc.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        before = np.where(sd > 0, (mt - mc) / sd, 0.0)
        after = np.where(sd > 0, (mt_after - mc_after) / sd, 0.0)
    out = pd.DataFrame({"covariate": list(xb.columns), "mean_participants": mt,
                        "mean_others": mc, "smd_before": before,
                        "mean_participants_matched": mt_after, "mean_matched": mc_after,
                        "smd_after": after})
    out["flag"] = out["smd_after"].abs() > SMD_FLAG
    return out


# --------------------------------------------------------------------------- entry point
def _check(df: pd.DataFrame, method: str, caliper: float, alpha: float) -> None:
    if method not in METHODS:
        raise ParameterError(f"method={method!r}; choose one of {', '.join(METHODS)}")
    if not (isinstance(caliper, (int, float)) and caliper > 0):
        raise ParameterError(f"caliper={caliper!r} must be a number > 0 (SDs of the logit), "
                             "e.g. 0.2")
    if not (0 < alpha < 1):
        raise ParameterError(f"alpha={alpha!r} must be between 0 and 1, e.g. 0.05")
    missing = [c for c in ("treated", *OUTCOMES) if c not in df.columns]
    if missing:
        raise ParameterError(f"the participant frame lacks columns {', '.join(missing)}; "
                             "build it with participant_frame()")
    n_t = int(df["treated"].astype(bool).sum())
    n_c = len(df) - n_t
    if n_t == 0:
        raise ParameterError("no participants: nobody had the participation event in the "
                             "campaign; check the event name in treated (users=<event>)")
    if n_c == 0:
        raise ParameterError("no non-participants: every user joined, so there is nobody to "
                             "compare with; use the time-series methods instead")
    if n_t < MIN_PARTICIPANTS:
        raise ParameterError(f"only {n_t} participants (at least {MIN_PARTICIPANTS} are needed "
                             "to match); choose a campaign with more participants or a longer "
                             "campaign window")


def match_participants(pf: ParticipantFrame | pd.DataFrame, method: str = "propensity",
                       caliper: float = 0.2, alpha: float = 0.05, seed: int = 0,
                       cem_bins: int = 6, score: np.ndarray | pd.Series | None = None,
                       bias_correction: bool = True,
                       exact: tuple[str, ...] = EXACT, n_boot: int = 200) -> MatchResult:
    """Match participants with non-participants and estimate the effect on participants.

    ``pf``: a :class:`ParticipantFrame` or its frame (columns ``treated``, the covariates and
    the outcomes of :mod:`opsnb.campaigns.participants`). ``method``: propensity, cem or auto
    (see the module doc). ``caliper``: in SDs of the logit. ``cem_bins``: quantile bins of the
    positive values of each numeric covariate. ``score``: a known logit per row to match on
    instead of the fitted propensity model. ``exact``: columns the propensity matches must
    share. ``bias_correction``: regression-adjust the matched differences. ``n_boot``:
    bootstrap replicates of the CEM interval. ``seed``: breaks ties between equally close
    non-participants and draws the CEM bootstrap.

    Raises ParameterError when there are no participants, no non-participants, fewer than
    ``MIN_PARTICIPANTS`` participants, or no participant with a close enough match.
    """
    if isinstance(n_boot, bool) or not isinstance(n_boot, int) or n_boot < 20:
        raise ParameterError(f"n_boot={n_boot!r} must be a whole number >= 20, e.g. 200")
    df = pf.frame if isinstance(pf, ParticipantFrame) else pf
    _check(df, method, caliper, alpha)
    df = df.reset_index(drop=True) if not df.index.is_unique else df
    t = df["treated"].astype(bool).to_numpy()
    num, binary, cats = _columns(df)
    covs = (*num, *binary, *cats)

    cem_w = cem_share = strata = None
    if method in ("cem", "auto"):
        strata = _cem_strata(df, int(cem_bins))
        cem_w = _cem_weights(t, strata)
        cem_share = float((cem_w[t] > 0).mean())
        if method == "auto":
            cem_ok = cem_share >= AUTO_CEM_SHARE and bool(
                (_balance(_balance_matrix(df, num, binary, cats), t, cem_w)["smd_after"].abs()
                 <= SMD_FLAG).all()) if cem_share > 0 else False
            method = "cem" if cem_ok else "propensity"

    logit = pairs = None
    ys = {o: df[o].astype(float).to_numpy() for o in OUTCOMES}
    effects: dict[str, dict[str, Estimate]] = {}
    if method == "propensity":
        logit = (np.asarray(score, dtype=float) if score is not None else propensity_logit(df))
        if len(logit) != len(df):
            raise ParameterError(f"score has {len(logit)} values for {len(df)} users")
        group = _exact_groups(df, tuple(exact))
        w, ti, j = _propensity_match(logit, t, group, float(caliper), seed)
    else:
        w = cem_w
    corrected = False
    if bias_correction and (w[t] > 0).any():
        xo = _outcome_matrix(df, num, binary, cats)
        res = {o: _residuals(y, xo, t, w) for o, y in ys.items()}
        if all(r is not None for r in res.values()):
            corrected = True
    if method == "propensity":
        pairs = pd.DataFrame({"participant": df.index[ti], "match": df.index[j],
                              "distance": np.abs(logit[ti] - logit[j])})
        ci = np.flatnonzero(~t)
        k = w[ci]
        for o, y in ys.items():
            ym = res[o] if corrected else y
            s2 = np.empty(len(ci))
            for g in np.unique(group[ci]):
                m = group[ci] == g
                s2[m] = _neighbour_var(logit[ci][m], ym[ci][m])
            effects[o] = {"naive": _naive(y, t, alpha),
                          "matched": _att_pairs(ym, ti, j, k, s2, alpha)
                          if len(ti) else Estimate(math.nan, alpha=alpha)}
    else:
        for o, y in ys.items():
            ym = res[o] if corrected else y
            effects[o] = {"naive": _naive(y, t, alpha),
                          "matched": _att_cem(ym, t, strata, alpha, n_boot, seed)
                          if (w[t] > 0).any()
                          else Estimate(math.nan, alpha=alpha)}
    n_t = int(t.sum())
    n_matched = int((w[t] > 0).sum())
    if n_matched == 0:
        fix = ("raise caliper (e.g. 0.5)" if method == "propensity"
               else "lower cem_bins or use method propensity")
        raise ParameterError(f"no participant has a close enough non-participant with method "
                             f"{method}; {fix}")
    bal = _balance(_balance_matrix(df, num, binary, cats), t, w)
    return MatchResult(
        method=method, n_participants=n_t, n_matched=n_matched, n_unmatched=n_t - n_matched,
        n_pool=int((~t).sum()), n_controls_used=int((w[~t] > 0).sum()), balance=bal,
        effects=effects, alpha=alpha, caliper=float(caliper),
        weights=pd.Series(w, index=df.index, name="weight"), pairs=pairs,
        logit=None if logit is None else pd.Series(logit, index=df.index, name="logit"),
        cem_share=cem_share, covariates=covs, bias_corrected=corrected,
        outcome_means={o: {"participants": float(y[t & (w > 0)].mean()),
                           "matched": float(np.average(y[~t], weights=w[~t]))}
                       for o, y in ys.items()})


# --------------------------------------------------------------------------- simulation
def simulate_self_selection(n: int = 4000, effect: float = 0.05, after_days: int = 14,
                            seed: int = 0) -> tuple[pd.DataFrame, dict]:
    """Users whose pre-period activity drives both joining and later activity; a known effect.

    Each user has ``pre_active_days ~ Binomial(28, p)`` (``p`` from a Beta, higher in channel
    ``a``), joins with probability ``expit(-3.2 + 0.16 pre_active_days + 0.4 [channel a])``, and
    is active on each after day with probability ``q = 0.02 + 0.022 pre_active_days +
    0.08 [channel b] + effect * treated``. Revenue per active day has mean ``1 + 3 pre_paying``.
    The returned truth is the ATT on the simulated participants computed from the
    probabilities: retained ``mean_T[(1 - q0)^D - (1 - q1)^D]``, active days ``D * effect``,
    revenue ``mean_T[D * effect * (1 + 3 pre_paying)]``.
    """
    rng = np.random.default_rng(seed)
    channel = rng.choice(np.array(["a", "b", "c"]), size=n, p=[0.3, 0.3, 0.4])
    p = rng.beta(1.2, 3.0, size=n) * np.where(channel == "a", 1.3, 1.0)
    pre_active = rng.binomial(28, np.clip(p, 0, 0.97))
    pre_events = pre_active * 2 + rng.poisson(pre_active * 1.5)
    paying = rng.random(n) < 0.05 + 0.01 * pre_active
    pre_revenue = np.where(paying & (pre_active > 0), rng.gamma(2.0, 15.0, size=n), 0.0)
    tenure = 28 + rng.exponential(200, size=n).astype(int)
    join = rng.random(n) < 1 / (1 + np.exp(-(-3.2 + 0.16 * pre_active + 0.4 * (channel == "a"))))
    q0 = 0.02 + 0.022 * pre_active + 0.08 * (channel == "b")
    q1 = q0 + effect
    q = np.where(join, q1, q0)
    after_active = rng.binomial(after_days, q)
    pay = (pre_revenue > 0).astype(int)
    rev = after_active * rng.gamma(2.0, 0.5, size=n) * (1 + 3 * pay)
    frame = pd.DataFrame({
        "user_id": [f"u{i:05d}" for i in range(n)], "treated": join,
        "pre_active_days": pre_active, "pre_events": pre_events, "pre_revenue": pre_revenue,
        "pre_paying": pay, "tenure_days": tenure, "channel": channel,
        "retained": (after_active > 0).astype(int), "after_active_days": after_active,
        "after_revenue": rev})
    truth = {"retained": float(np.mean((1 - q0[join]) ** after_days
                                       - (1 - q1[join]) ** after_days)),
             "after_active_days": float(after_days * effect),
             "after_revenue": float(np.mean(after_days * effect * (1 + 3 * pay[join])))}
    return frame, truth
