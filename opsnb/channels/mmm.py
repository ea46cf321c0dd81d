"""A fast marketing mix model: NNLS inside a search over adstock and saturation parameters.

The model, for period t (a day or a week)::

    y_t = baseline_t + sum_c beta_c * sat_c(adstock_c(spend_c)_t) + noise

* ``adstock_c``: normalised geometric carry-over with decay ``d_c`` (a constant spend keeps
  its level), computed from the spend before the first fitted period when it is given (rows of
  ``spend`` whose ``y`` is missing warm the carry-over up and are not fitted);
* ``sat_c``: Hill ``x^s / (x^s + K^s)`` (or logistic with half-saturation ``K``), with ``K`` a
  multiple of the channel's mean adstocked spend;
* ``baseline_t``: intercept, linear trend, day-of-week effects (daily data), yearly Fourier
  terms (two orders, when the data spans at least a year) and optional control variables
  (``controls``: periods x controls, same index; each in units of its standard deviation over
  the fitted periods, from its mean with an intercept, else from its lowest value;
  ``control_coef_`` holds their coefficients per standard deviation). A control that moves both spend and the target
  (a season, a price cut) is what keeps the channels from being credited with its effect;
* ``beta_c >= 0`` (non-negative least squares, optionally with a ridge penalty ``alpha``).

**Fitting.** For fixed ``(d_c, K_c, s_c)`` the model is linear: the baseline is projected out
and ``beta`` solved by NNLS, in milliseconds. The transform parameters are chosen by
coordinate search over a grid (each channel in turn, ``n_sweeps`` times), scored by the
out-of-time RMSE of expanding-window folds (fit on the past, predict the next block; six
folds by default: with three, the choice of transforms follows the noise of single weeks;
``benchmarks/bench_mmm_recovery.py`` compares the two on the sample generator's design). The
last ``holdout_frac`` of the periods is never used in the search: the **hold-out MAPE** is
the error of the model refitted on the earlier periods. The reported coefficients are refitted
on all periods (R² in-sample).

**Intervals.** Moving-block bootstrap of the residuals (blocks of one week or four weeks),
refitting ``beta`` and the baseline with the chosen transforms held fixed; intervals are
the 2.5 and 97.5 percentiles. They do not include the uncertainty of the transform search.

**Outputs per channel.** Contribution (sum of ``beta_c sat_c(...)`` over the fitted periods),
ROAS = contribution / spend of the fitted periods, **marginal ROAS** = the extra response of
one more yuan when the channel's whole spend pattern is scaled up (the derivative at the
current spend), the response curve (response against total spend, scaling the current
pattern) and the chosen decay.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import nnls

from opsnb.channels import transforms as tf
from opsnb.errors import DataError, ParameterError
from opsnb.report import style
from opsnb.report.i18n import Translator

DECAYS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
HALF_SATURATIONS = (0.3, 0.6, 1.0, 1.6, 2.5, 4.0)   # multiples of the mean adstocked spend
SLOPES = (1.0, 1.5, 2.0)


class TooFewPeriods(ParameterError):
    """The data hold too few periods for the mix model; the numbers say how many it needs.

    ``reason`` is ``"carry_over"`` (fewer periods than a unit of spend keeps working),
    ``"coefficients"`` (fewer than three periods per coefficient) or ``"validation"`` (too few
    to hold some out); ``n`` periods of ``unit`` (``"days"`` or ``"weeks"``) were there and
    ``needed`` are needed. The message is the English sentence.
    """

    def __init__(self, message: str, *, reason: str, n: int, needed: int, unit: str,
                 coefficients: int | None = None) -> None:
        super().__init__(message)
        self.reason, self.n, self.needed, self.unit = reason, n, needed, unit
        self.coefficients = coefficients


@dataclass(frozen=True)
class ChannelTransform:
    decay: float
    half_saturation: float   # absolute (spend units per period)
    slope: float


class MarketingMixModel:
    """Marketing mix model with scikit-learn conventions (``fit`` returns self; ``*_`` learned)."""

    def __init__(self, adstock: str = "geometric", saturation: str = "hill",
                 decays=DECAYS, half_saturations=HALF_SATURATIONS, slopes=SLOPES,
                 frequency: str = "D", intercept: bool = True, trend: bool = True,
                 seasonality: bool = True,
                 alpha: float = 0.0, n_folds: int = 6, fold_frac: float = 0.1,
                 holdout_frac: float = 0.1, n_sweeps: int = 2, n_bootstrap: int = 200,
                 seed: int = 0):
        self.adstock = adstock
        self.saturation = saturation
        self.decays = decays
        self.half_saturations = half_saturations
        self.slopes = slopes
        self.frequency = frequency
        self.intercept = intercept
        self.trend = trend
        self.seasonality = seasonality
        self.alpha = alpha
        self.n_folds = n_folds
        self.fold_frac = fold_frac
        self.holdout_frac = holdout_frac
        self.n_sweeps = n_sweeps
        self.n_bootstrap = n_bootstrap
        self.seed = seed

    # ------------------------------------------------------------------ design
    def _check_params(self):
        tf.adstock(self.adstock)
        tf.saturation(self.saturation)
        if self.frequency not in ("D", "W"):
            raise ParameterError(f"mmm_frequency={self.frequency!r}; use D (daily) or W (weekly)")
        if not self.decays or any(not 0 <= d < 1 for d in self.decays):
            raise ParameterError("decays must lie in [0, 1)")
        if self.alpha < 0:
            raise ParameterError("alpha must be >= 0")
        if not 0 < self.holdout_frac < 0.5:
            raise ParameterError("holdout_frac must be between 0 and 0.5")

    def _baseline(self, index: pd.DatetimeIndex, controls: pd.DataFrame | None) -> tuple:
        n = len(index)
        cols, names = ([np.ones(n)], ["intercept"]) if self.intercept else ([], [])
        if self.trend:
            cols.append(np.arange(n) / max(n - 1, 1))
            names.append("trend")
        if self.seasonality:
            if self.frequency == "D":
                dow = index.day_of_week.to_numpy()
                for k in range(1, 7):
                    cols.append((dow == k).astype(float))
                    names.append(f"weekday_{k}")
            span_days = (index[-1] - index[0]).days
            if span_days >= 364:
                doy = index.day_of_year.to_numpy() / 365.25
                for k in (1, 2):
                    cols += [np.sin(2 * np.pi * k * doy), np.cos(2 * np.pi * k * doy)]
                    names += [f"year_sin{k}", f"year_cos{k}"]
        if controls is not None and len(controls.columns):
            for c in controls.columns:
                v = controls[c].to_numpy(dtype=float)
                if np.isnan(v).any():
                    raise DataError(f"control variable {c!r} has missing values",
                                    table="controls", column=c,
                                    fix="give the control a value for every period, or leave it "
                                        "out")
                cols.append(_standardised(v, centre=self.intercept))
                names.append(f"control_{c}")
        return (np.column_stack(cols) if cols else np.zeros((n, 0))), names

    def _features(self, adstocked: np.ndarray, c: int, tr: ChannelTransform) -> np.ndarray:
        sat = tf.saturation(self.saturation)
        if self.saturation == "hill":
            return sat(adstocked, tr.half_saturation, tr.slope)
        return sat(adstocked, np.log(3.0) / tr.half_saturation)

    def _adstocked(self, x: np.ndarray, decay: float) -> np.ndarray:
        return tf.adstock(self.adstock)(x, decay, normalize=True)

    def _grid(self, x: np.ndarray, fit_rows: np.ndarray) -> list[tuple]:
        """Every candidate transform of one channel, with its feature column on all rows."""
        out = []
        slopes = self.slopes if self.saturation == "hill" else (1.0,)
        for d in self.decays:
            a = self._adstocked(x, d)
            level = a[fit_rows].mean()
            if level <= 0:
                level = max(x.mean(), 1e-9)
            for k in self.half_saturations:
                for s in slopes:
                    tr = ChannelTransform(float(d), float(k * level), float(s))
                    out.append((tr, self._features(a, 0, tr), (d, k, s)))
        return out

    # ------------------------------------------------------------------ linear solve
    def _solve(self, F: np.ndarray, Z: np.ndarray, y: np.ndarray, Zpinv: np.ndarray):
        """min ||y - Z g - F b||^2 + alpha ||b||^2 with b >= 0; returns (b, g)."""
        Ft = F - Z @ (Zpinv @ F)
        yt = y - Z @ (Zpinv @ y)
        scale = np.sqrt((Ft ** 2).sum(axis=0))
        scale = np.where(scale > 0, scale, 1.0)
        A = Ft / scale
        if self.alpha > 0:
            A = np.vstack([A, np.sqrt(self.alpha) * np.eye(F.shape[1])])
            yt = np.concatenate([yt, np.zeros(F.shape[1])])
        b, _ = nnls(A, yt, maxiter=50 * F.shape[1])
        b = b / scale
        g = Zpinv @ (y - F @ b)
        return b, g

    def _score(self, F: np.ndarray, Z: np.ndarray, y: np.ndarray, folds) -> float:
        err = 0.0
        n = 0
        for tr_rows, va_rows, Zp in folds:
            b, g = self._solve(F[tr_rows], Z[tr_rows], y[tr_rows], Zp)
            pred = Z[va_rows] @ g + F[va_rows] @ b
            err += float(((y[va_rows] - pred) ** 2).sum())
            n += len(va_rows)
        return np.sqrt(err / n)

    # ------------------------------------------------------------------ fit
    def fit(self, spend: pd.DataFrame, y: pd.Series, controls: pd.DataFrame | None = None):
        """Fit on ``spend`` (periods x channels) and the target ``y`` (same index).

        Leading periods where ``y`` is missing only warm up the adstock; trailing ones are
        ignored (e.g. cohorts too young for the target's horizon).
        """
        self._check_params()
        spend = spend.sort_index()
        y = y.reindex(spend.index)
        if spend.shape[1] == 0:
            raise DataError("no paid channel to model", table="spend",
                            fix="the mix model needs daily spend of at least one channel")
        if (spend.to_numpy() < 0).any() or spend.isna().any().any():
            raise DataError("spend has negative or missing values", table="spend", column="spend",
                            fix="fill days without spend with 0")
        fit_rows = np.flatnonzero(y.notna().to_numpy())
        if len(fit_rows) == 0:
            raise DataError("the target has no values to fit", fix="widen the window")
        fit_rows = np.arange(fit_rows[0], fit_rows[-1] + 1)
        if y.iloc[fit_rows].isna().any():
            raise DataError("the target has gaps inside the fitted periods",
                            fix="fill the target for every period")
        unit = "days" if self.frequency == "D" else "weeks"
        memory = tf.adstock_memory(max(self.decays))
        n = len(fit_rows)
        totals = spend.iloc[fit_rows].sum()
        if (totals <= 0).all():
            raise DataError("total spend over the modelled periods is zero", table="spend",
                            column="spend", fix="the mix model needs periods with spend")
        if n < memory:
            raise TooFewPeriods(
                f"the window has {n} {unit} with a target, shorter than the adstock's carry-over "
                f"of {memory} {unit} (decay up to {max(self.decays)}); the mix model cannot "
                f"separate carry-over from the baseline. Widen the window or lower the decays.",
                reason="carry_over", n=n, needed=memory, unit=unit)
        idx = spend.index
        Zall, self.baseline_names_ = self._baseline(idx[fit_rows], controls.reindex(idx[fit_rows])
                                                    if controls is not None else None)
        n_cols = Zall.shape[1] + spend.shape[1]
        min_rows = max(3 * n_cols, 2 * memory)
        if n < min_rows:
            raise TooFewPeriods(
                f"the mix model has {n} {unit} to fit {n_cols} coefficients; it needs at least "
                f"{min_rows}. Widen the window, use daily data, or model fewer channels.",
                reason="coefficients", n=n, needed=min_rows, unit=unit, coefficients=n_cols)
        X = spend.to_numpy(dtype=float)
        yv = y.to_numpy(dtype=float)[fit_rows]
        self.channels_ = list(spend.columns)
        active = [c for c in range(X.shape[1]) if totals.iloc[c] > 0]

        # ---- folds for the search, and the hold-out tail
        n_hold = max(int(round(n * self.holdout_frac)), 1)
        n_search = n - n_hold
        fold_len = max(int(round(n * self.fold_frac)), 2)
        folds = []
        for f in range(self.n_folds, 0, -1):
            end = n_search - (f - 1) * fold_len
            start = end - fold_len
            if start < max(2 * Zall.shape[1], memory):
                continue
            tr_rows, va_rows = np.arange(start), np.arange(start, end)
            folds.append((tr_rows, va_rows, np.linalg.pinv(Zall[tr_rows])))
        if not folds:
            raise TooFewPeriods(f"{n} {unit} are too few for out-of-time validation; widen the "
                                "window", reason="validation", n=n, needed=n + 1, unit=unit)

        # ---- candidate features per channel (on the fitted rows)
        grids, chosen = {}, {}
        for c in active:
            cand = self._grid(X[:, c], fit_rows)
            grids[c] = [(t, col[fit_rows]) for t, col, _ in cand]
            # start from the middle of the grid: decay 0.3, K = 1 x mean level, slope 1.5
            chosen[c] = min(range(len(cand)), key=lambda i: abs(cand[i][2][0] - 0.3)
                            + abs(np.log(cand[i][2][1])) + abs(cand[i][2][2] - 1.5))
        F = np.zeros((n, X.shape[1]))
        for c in active:
            F[:, c] = grids[c][chosen[c]][1]
        best = self._score(F, Zall, yv, folds)
        order = sorted(active, key=lambda c: -totals.iloc[c])
        self.search_path_ = [best]
        for _ in range(self.n_sweeps):
            changed = False
            for c in order:
                for i, (_t, col) in enumerate(grids[c]):
                    if i == chosen[c]:
                        continue
                    old = F[:, c].copy()
                    F[:, c] = col
                    s = self._score(F, Zall, yv, folds)
                    if s < best - 1e-12:
                        best, chosen[c], changed = s, i, True
                    else:
                        F[:, c] = old
                F[:, c] = grids[c][chosen[c]][1]
            self.search_path_.append(best)
            if not changed:
                break
        self.validation_rmse_ = best
        self.transforms_ = {self.channels_[c]: grids[c][chosen[c]][0] for c in active}
        self._active = active

        # ---- hold-out error of the model refitted on the earlier periods
        tr = np.arange(n_search)
        ho = np.arange(n_search, n)
        b, g = self._solve(F[tr], Zall[tr], yv[tr], np.linalg.pinv(Zall[tr]))
        pred = Zall[ho] @ g + F[ho] @ b
        nz = yv[ho] != 0
        self.holdout_mape_ = float(np.mean(np.abs((yv[ho][nz] - pred[nz]) / yv[ho][nz]))) if nz.any() else None
        self.holdout_periods_ = int(len(ho))
        self.holdout_start_ = idx[fit_rows][n_search]

        # ---- final fit on everything
        Zp = np.linalg.pinv(Zall)
        b, g = self._solve(F, Zall, yv, Zp)
        self.coef_ = pd.Series(b, index=self.channels_)
        self.baseline_coef_ = pd.Series(g, index=self.baseline_names_)
        ctl = [n for n in self.baseline_names_ if n.startswith("control_")]
        self.control_coef_ = pd.Series(self.baseline_coef_[ctl].to_numpy(),
                                       index=[n[len("control_"):] for n in ctl], dtype=float)
        fitted = Zall @ g + F @ b
        resid = yv - fitted
        self.r2_ = float(1 - (resid ** 2).sum() / ((yv - yv.mean()) ** 2).sum())
        self.index_ = idx[fit_rows]
        self.y_ = pd.Series(yv, index=self.index_)
        self.fitted_ = pd.Series(fitted, index=self.index_)
        self.features_ = pd.DataFrame(F, index=self.index_, columns=self.channels_)
        self.baseline_ = pd.Series(Zall @ g, index=self.index_)
        self.spend_ = spend.iloc[fit_rows]
        self._X = X
        self._fit_rows = fit_rows
        self._adstocked_cache = {self.channels_[c]: self._adstocked(X[:, c], self.transforms_[
            self.channels_[c]].decay)[fit_rows] for c in active}

        # ---- bootstrap (moving blocks of residuals), transforms fixed
        rng = np.random.default_rng(self.seed)
        block = 7 if self.frequency == "D" else 4
        block = min(block, max(n // 4, 1))
        n_blocks = int(np.ceil(n / block))
        coefs = np.zeros((self.n_bootstrap, len(self.channels_)))
        for i in range(self.n_bootstrap):
            starts = rng.integers(0, n - block + 1, n_blocks)
            rb = np.concatenate([resid[s:s + block] for s in starts])[:n]
            rb = rb - rb.mean()
            coefs[i], _ = self._solve(F, Zall, fitted + rb, Zp)
        self.bootstrap_coef_ = pd.DataFrame(coefs, columns=self.channels_)
        return self

    # ------------------------------------------------------------------ outputs
    def _check_fitted(self):
        if not hasattr(self, "coef_"):
            raise ParameterError("fit the model first")

    def response(self, channel: str, multiplier=1.0, coef: float | None = None) -> np.ndarray:
        """Total modelled response over the fitted periods when the channel's spend is scaled."""
        self._check_fitted()
        m = np.atleast_1d(np.asarray(multiplier, dtype=float))
        if channel not in self.transforms_:
            return np.zeros_like(m)
        t = self.transforms_[channel]
        a = self._adstocked_cache[channel]
        beta = self.coef_[channel] if coef is None else coef
        vals = np.array([self._features(mm * a, 0, t).sum() for mm in m])
        return beta * vals

    def response_gradient(self, channel: str, multiplier=1.0) -> np.ndarray:
        """d response / d multiplier (closed-form derivative of the saturation)."""
        m = np.atleast_1d(np.asarray(multiplier, dtype=float))
        if channel not in self.transforms_:
            return np.zeros_like(m)
        t = self.transforms_[channel]
        a = self._adstocked_cache[channel]
        deriv = tf.SATURATION_DERIVATIVES[self.saturation]
        out = []
        for mm in m:
            if self.saturation == "hill":
                d = deriv(mm * a, t.half_saturation, t.slope)
            else:
                d = deriv(mm * a, np.log(3.0) / t.half_saturation)
            out.append(np.nansum(np.where(a > 0, d * a, 0.0)))
        return self.coef_[channel] * np.array(out)

    def baseline_terms(self, lang: str = "en") -> str:
        """The fitted baseline's parts in words (in ``lang``), e.g. ``"intercept, trend, day of
        week"``."""
        self._check_fitted()
        groups = {"intercept": "intercept", "trend": "trend", "weekday": "day of week",
                  "year": "yearly seasonality", "control": "control variables"}
        words = []
        for name in self.baseline_names_:
            w = groups[name.split("_")[0]]
            if w not in words:
                words.append(w)
        tr = Translator(lang)
        return tr.sep().join(tr(w) for w in words) if words else tr("none")

    def contributions(self) -> pd.DataFrame:
        """Per period: baseline and each channel's contribution (they add up to the fit)."""
        self._check_fitted()
        out = pd.DataFrame({"baseline": self.baseline_})
        for c in self.channels_:
            out[c] = self.features_[c] * self.coef_[c]
        return out

    def channel_summary(self, level: float = 0.95) -> pd.DataFrame:
        """Per channel: spend, contribution, ROAS and marginal ROAS with bootstrap intervals."""
        self._check_fitted()
        lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
        rows = []
        total = float(self.fitted_.sum())
        for c in self.channels_:
            spend = float(self.spend_[c].sum())
            feat = float(self.features_[c].sum())
            grad = _unit_gradient(self, c) if c in self.transforms_ else 0.0
            boot = self.bootstrap_coef_[c].to_numpy()
            contrib = self.coef_[c] * feat
            t = self.transforms_.get(c)
            row = {"channel": c, "spend": spend, "contribution": contrib,
                   "contribution_low": float(np.quantile(boot * feat, lo_q)),
                   "contribution_high": float(np.quantile(boot * feat, hi_q)),
                   "contribution_share": contrib / total if total else None,
                   "decay": t.decay if t else None,
                   "half_saturation": t.half_saturation if t else None,
                   "slope": t.slope if t else None}
            if spend > 0:
                row["roas"] = contrib / spend
                row["roas_low"] = row["contribution_low"] / spend
                row["roas_high"] = row["contribution_high"] / spend
                row["marginal_roas"] = self.coef_[c] * grad / spend
                row["marginal_roas_low"] = float(np.quantile(boot * grad, lo_q)) / spend
                row["marginal_roas_high"] = float(np.quantile(boot * grad, hi_q)) / spend
            rows.append(row)
        return pd.DataFrame(rows)

    def response_curves(self, multipliers=np.linspace(0, 2, 41)) -> pd.DataFrame:
        """Total response against total spend per channel, scaling the current spend pattern."""
        rows = []
        for c in self.channels_:
            spend = float(self.spend_[c].sum())
            resp = self.response(c, multipliers)
            for m, r in zip(multipliers, resp):
                rows.append((c, float(m), m * spend, float(r)))
        return pd.DataFrame(rows, columns=["channel", "multiplier", "spend", "response"])

    # ------------------------------------------------------------------ charts
    def plot_decomposition(self, ax=None, target_label: str = "target", lang: str = "en"):
        """Stacked baseline and channel contributions against the actual target (in ``lang``).

        Without a hold-out error (every hold-out period has a zero target) the subtitle says so.
        """
        tr = Translator(lang)
        contrib = self.contributions()
        if ax is None:
            _, ax = style.new_figure(height=4.4)
        order = ["baseline"] + list(self.coef_.sort_values(ascending=False).index)
        colors = style.colors_for(self.channels_)
        colors["baseline"] = "#CCCCCC"
        base = tr("baseline")
        if base != "baseline":  # the legend shows the column names
            contrib = contrib.rename(columns={"baseline": base})
            colors[base] = colors.pop("baseline")
            order = [base] + order[1:]
        style.stacked_area(ax, contrib[order], colors=colors, order=order)
        ax.plot(self.y_.index, self.y_.to_numpy(), color="black", lw=0.9, label=tr("actual"))
        ax.axvline(self.holdout_start_, color="#444444", lw=1, ls="--")
        ax.text(self.holdout_start_, 1.0, " " + tr("hold-out"), transform=ax.get_xaxis_transform(),
                fontsize=8, va="top")
        style.thousands_axis(ax)
        style.date_axis(ax)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
        if self.holdout_mape_ is None:
            sub = tr("Stacked: the modelled baseline ({terms}) and each channel's contribution; "
                     "black: actual. R² {r2}; no hold-out MAPE: the target is zero in all of the "
                     "last {n} periods.", terms=self.baseline_terms(lang), r2=f"{self.r2_:.2f}",
                     n=self.holdout_periods_)
        else:
            sub = tr("Stacked: the modelled baseline ({terms}) and each "
                     "channel's contribution; black: actual. R² {r2}; hold-out MAPE {mape} on "
                     "the last {n} periods.", terms=self.baseline_terms(lang), r2=f"{self.r2_:.2f}",
                     mape=f"{self.holdout_mape_:.1%}", n=self.holdout_periods_)
        style.titled(ax, tr("Marketing mix model: {target} decomposed", target=tr(target_label)),
                     sub)
        return ax

    def plot_response_curves(self, ax=None, target_label: str = "response", lang: str = "en"):
        tr = Translator(lang)
        curves = self.response_curves()
        if ax is None:
            _, ax = style.new_figure(height=4.4)
        colors = style.colors_for(self.channels_)
        for c in self.channels_:
            cc = curves[curves["channel"] == c]
            ax.plot(cc["spend"], cc["response"], color=colors[c], label=c, lw=1.6)
            cur = cc[np.isclose(cc["multiplier"], 1.0)]
            ax.scatter(cur["spend"], cur["response"], color=colors[c], s=36, zorder=3,
                       edgecolor="black")
        style.money_axis(ax, "x", lang=lang)
        style.thousands_axis(ax)
        ax.set_xlabel(tr("total spend over the modelled period (current pattern scaled)"))
        ax.legend(loc="upper left", fontsize=8)
        style.titled(ax, tr("Response curves: modelled {target} against spend",
                            target=tr(target_label)),
                     tr("Each channel's modelled contribution if its whole spend pattern were "
                        "scaled from 0 to 2x; the dot marks the current spend. Where a curve "
                        "flattens, the next yuan earns less (marginal ROAS)."))
        return ax


def _standardised(v: np.ndarray, centre: bool) -> np.ndarray:
    """A control in units of its standard deviation over the fitted periods, measured from its
    mean when the baseline has an intercept, else from its lowest value.

    Without an intercept (the paid sign-up model: no sign-ups without spend) a control must not
    bring one in: a price index near 100 would, and a mean-centred season would make the
    baseline negative out of season. Measured from its lowest value, a 0/1 season adds only in
    season and an index only its rise above its low. A constant control is divided by its
    level (or left at 0).

    >>> _standardised(np.array([1.0, 3.0]), centre=True).tolist()
    [-1.0, 1.0]
    >>> _standardised(np.array([100.0, 102.0]), centre=False).tolist()
    [0.0, 2.0]
    """
    sd = float(v.std())
    if sd > 0:
        return (v - (v.mean() if centre else v.min())) / sd
    level = float(np.abs(v).max())
    return v / level if level > 0 else v


def _unit_gradient(model: MarketingMixModel, channel: str) -> float:
    t = model.transforms_[channel]
    a = model._adstocked_cache[channel]
    deriv = tf.SATURATION_DERIVATIVES[model.saturation]
    d = (deriv(a, t.half_saturation, t.slope) if model.saturation == "hill"
         else deriv(a, np.log(3.0) / t.half_saturation))
    return float(np.nansum(np.where(a > 0, d * a, 0.0)))
