"""Forecast of a KPI's daily series to the end of the target period, and the target.

The model is statsmodels' ETS (additive error, damped additive trend, additive weekly
seasonality, ``ETSModel``; initial states by the heuristic of Hyndman et al., which keeps a
fit to a fraction of a second). With ``holidays``, two regressors from the ``chinese_calendar``
package (offline data, 2004-2026) are added in two stages: public holiday on a weekday, and
make-up workday on a weekend; their effects are estimated by least squares on the ETS
residuals, the ETS model is refitted on the series with those effects taken out, and they are
added back to the forecast and to every simulated path. (A SARIMAX with the regressors took
10-25 s per fit here, too slow for a rolling backtest.) Where the package has no data for a
year, the regressors are left out and the report says so.

* intervals: the model's 80 % and 95 % prediction intervals;
* target: ``paths`` simulated futures (seeded) give the period's total (new users, revenue) or
  daily mean (DAU, ratios) on each path; P(target reached) is the share of paths reaching it, and
  the run-rate needed is what each remaining day must bring on average;
* backtest: rolling origins ``horizon`` days apart, each fitted on the data before it, against
  the seasonal-naive forecast (the same weekday a week earlier); mean absolute errors compared.

>>> import numpy as np, pandas as pd
>>> idx = pd.date_range("2026-01-01", periods=56, freq="D")
>>> y = pd.Series(100 + np.arange(56) + 10 * (idx.day_of_week >= 5), index=idx, dtype=float)
>>> [float(x) for x in seasonal_naive(y, 3)]  # the last Thursday, Friday and Saturday
[149.0, 150.0, 161.0]
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from opsnb.errors import DataError, ParameterError

PERIODS = ("week", "month", "quarter")
MIN_DAYS = 28           # daily values the model needs
BACKTEST_ORIGINS = 4
BACKTEST_HORIZON = 7
PATHS = 1000


def period_bounds(day: pd.Timestamp, period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the calendar ``period`` holding ``day``.

    >>> [str(d.date()) for d in period_bounds(pd.Timestamp("2026-10-21"), "month")]
    ['2026-10-01', '2026-10-31']
    """
    if period not in PERIODS:
        raise ParameterError(f"parameter target_period={period!r}; choose one of "
                             f"{', '.join(PERIODS)}")
    p = pd.Period(day, freq={"week": "W-SUN", "month": "M", "quarter": "Q"}[period])
    return p.start_time.normalize(), p.end_time.normalize()


def target_period_for(last_day: pd.Timestamp, period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The period in progress on the day after the data end (the next one when it just ended)."""
    return period_bounds(last_day + pd.Timedelta(days=1), period)


def seasonal_naive(y: pd.Series, h: int, season: int = 7) -> np.ndarray:
    """The same weekday one week before, for each of the next ``h`` days."""
    v = y.to_numpy(float)
    return np.array([v[len(v) - season + (j % season)] for j in range(h)])


def holiday_regressors(days: pd.DatetimeIndex) -> pd.DataFrame:
    """Public holiday and make-up workday flags from ``chinese_calendar``.

    Raises ParameterError when the package is missing or has no data for a year.
    """
    try:
        import chinese_calendar as cc
    except ImportError as exc:  # pragma: no cover - a dependency, but kept optional
        raise ParameterError("holidays=True needs the chinese-calendar package") from exc
    hol, work = [], []
    for d in days:
        try:
            h = cc.is_holiday(d.date())
        except NotImplementedError as exc:
            raise ParameterError(f"holidays=True: chinese-calendar has no holiday data for "
                                 f"{d.year}; set holidays to False") from exc
        hol.append(float(h and d.day_of_week < 5))
        work.append(float(cc.is_workday(d.date()) and d.day_of_week >= 5))
    return pd.DataFrame({"holiday": hol, "makeup_workday": work}, index=days)


def _ets(y: pd.Series, start_params=None):
    # imported before the filter: statsmodels adds an "always" filter for its
    # ConvergenceWarning when first imported, which would otherwise win over ours
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ETSModel(y, error="add", trend="add", damped_trend=True, seasonal="add",
                         seasonal_periods=7, initialization_method="heuristic")
        return model.fit(start_params=start_params, disp=False, maxiter=200)


class _Fit:
    """An ETS fit, with holiday effects (``beta`` per regressor) taken out of the series."""

    def __init__(self, y: pd.Series, exog: pd.DataFrame | None, start_params=None):
        self.beta = None
        if exog is not None:
            first = _ets(y, start_params)
            x = exog.to_numpy(float)
            resid = y.to_numpy(float) - np.asarray(first.fittedvalues, dtype=float)
            self.beta = np.linalg.lstsq(x, resid, rcond=None)[0]
            y = y - x @ self.beta
            start_params = np.asarray(first.params)
        self.ets = _ets(y, start_params)
        self.exog = exog

    @property
    def params(self):
        return self.ets.params

    @property
    def fittedvalues(self) -> np.ndarray:
        f = np.asarray(self.ets.fittedvalues, dtype=float)
        return f if self.beta is None else f + self.exog.to_numpy(float) @ self.beta

    def shift(self, exog_future) -> np.ndarray | float:
        return 0.0 if self.beta is None else exog_future.to_numpy(float) @ self.beta


def _fit(y: pd.Series, exog: pd.DataFrame | None, start_params=None) -> _Fit:
    """Fit the model; ``start_params`` (an earlier fit's, on less data) warm-starts the
    optimiser, which is what keeps the rolling backtest cheap."""
    return _Fit(y, exog, start_params)


def _predict(fit: _Fit, n: int, h: int, exog_future, alpha: float) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = fit.ets.get_prediction(start=n, end=n + h - 1).summary_frame(alpha=alpha)
    s = fit.shift(exog_future)
    return pd.DataFrame({"mean": f["mean"].to_numpy() + s, "lower": f["pi_lower"].to_numpy() + s,
                         "upper": f["pi_upper"].to_numpy() + s})


def _simulate(fit: _Fit, h: int, paths: int, seed: int, exog_future) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sims = fit.ets.simulate(nsimulations=h, repetitions=paths, anchor="end",
                                rng=np.random.default_rng(seed))
    s = fit.shift(exog_future)
    return np.asarray(sims, dtype=float).reshape(h, -1) + np.reshape(s, (-1, 1))


def fit_forecast(y: pd.Series, h: int, exog: pd.DataFrame | None = None,
                 exog_future: pd.DataFrame | None = None, alpha: float = 0.2,
                 start_params=None):
    """Fit on ``y`` (daily, no gaps) and predict ``h`` days: (fit, frame of mean/lower/upper)."""
    fit = _fit(y, exog, start_params)
    return fit, _predict(fit, len(y), h, exog_future, alpha)


@dataclass
class Forecast:
    """The forecast of a daily KPI series, its backtest and the target."""

    history: pd.Series
    table: pd.DataFrame            # date, mean, lower80, upper80, lower95, upper95
    method: str
    period: tuple[pd.Timestamp, pd.Timestamp]
    sums: bool                     # the target is on the period's total (else its daily mean)
    observed: float                # sum of the period's days already in the data
    observed_days: int
    expected: float                # the period's total or mean, median of the paths
    low: float                     # 10 % quantile of the paths
    high: float                    # 90 % quantile
    target: float | None = None
    p_target: float | None = None
    run_rate_needed: float | None = None
    run_rate_forecast: float | None = None
    backtest: pd.DataFrame | None = None
    notes: list = field(default_factory=list)
    fitted: pd.Series | None = None

    @property
    def period_days(self) -> int:
        return (self.period[1] - self.period[0]).days + 1

    @property
    def skill(self) -> float | None:
        """1 - MAE(model) / MAE(seasonal naive) over the backtest (above 0: the model wins)."""
        b = self.backtest
        if b is None or b.empty or b["naive_mae"].mean() == 0:
            return None
        return float(1 - b["model_mae"].mean() / b["naive_mae"].mean())


def backtest(y: pd.Series, origins: int = BACKTEST_ORIGINS, horizon: int = BACKTEST_HORIZON,
             exog: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rolling-origin backtest against seasonal naive: one row per origin with both MAEs and
    the share of days inside the 80 % interval.

    Origins run oldest first; each fit uses only the data before its origin and starts the
    optimiser from the previous origin's estimates (nothing from after the origin is used).
    The last fit's parameters are in ``attrs["params"]``.
    """
    rows = []
    n = len(y)
    params = None
    for k in range(origins, 0, -1):
        cut = n - k * horizon
        if cut < MIN_DAYS:
            continue
        train, test = y.iloc[:cut], y.iloc[cut:cut + horizon].to_numpy(float)
        ex, exf = (None, None) if exog is None else (exog.iloc[:cut], exog.iloc[cut:cut + horizon])
        fit, f = fit_forecast(train, len(test), ex, exf, start_params=params)
        params = np.asarray(fit.params)
        naive = seasonal_naive(train, len(test))
        rows.append({"origin": y.index[cut], "days": len(test),
                     "model_mae": float(np.abs(f["mean"].to_numpy() - test).mean()),
                     "naive_mae": float(np.abs(naive - test).mean()),
                     "covered80": float(((test >= f["lower"]) & (test <= f["upper"])).mean())})
    out = pd.DataFrame(rows, columns=["origin", "days", "model_mae", "naive_mae", "covered80"])
    out.attrs["params"] = params
    return out


def forecast(y: pd.Series, period: str = "month", target: float | None = None,
             sums: bool = False, holidays: bool = False, seed: int = 0,
             paths: int = PATHS, origins: int = BACKTEST_ORIGINS) -> Forecast:
    """Forecast ``y`` (daily, ending on the last data day) to the end of the target period."""
    y = y.astype(float)
    if y.isna().any():
        y = y.interpolate(limit_direction="both")
    if len(y) < MIN_DAYS or y.isna().all():
        raise DataError(f"the daily series has {len(y)} days; the forecast needs {MIN_DAYS}",
                        table="events", fix="choose an earlier start_date or load more history")
    y = y.asfreq("D")
    last = y.index[-1]
    p0, p1 = target_period_for(last, period)
    h = (p1 - last).days
    future = pd.date_range(last + pd.Timedelta(days=1), periods=h, freq="D")
    notes: list = []
    exog = exog_future = None
    method = "ETS(A,Ad,A) with weekly seasonality"
    if holidays:
        try:
            reg = holiday_regressors(y.index.append(future))
            exog, exog_future = reg.iloc[:len(y)], reg.iloc[len(y):]
            if exog.sum().min() == 0:  # a regressor never on in the history cannot be fitted
                exog = exog.loc[:, exog.sum() > 0]
                exog_future = exog_future[exog.columns]
            if exog.shape[1] == 0:
                exog = exog_future = None
                notes.append(("No public holiday or make-up workday falls in the history; the "
                              "holiday regressors are left out.", {}))
            else:
                method = "ETS(A,Ad,A) with weekly seasonality and Chinese holiday regressors"
        except ParameterError as exc:
            notes.append(("Holiday regressors left out: {reason}.", {"reason": str(exc)}))
    bt = backtest(y, origins, BACKTEST_HORIZON, exog) if origins else None
    fit = _fit(y, exog, None if bt is None else bt.attrs.get("params"))
    f80 = _predict(fit, len(y), h, exog_future, 0.2)
    f95 = _predict(fit, len(y), h, exog_future, 0.05)
    table = pd.DataFrame({"date": future, "mean": f80["mean"], "lower80": f80["lower"],
                          "upper80": f80["upper"], "lower95": f95["lower"],
                          "upper95": f95["upper"]})
    sims = _simulate(fit, h, paths, seed, exog_future)
    in_period = y[y.index >= p0]
    observed, observed_days = float(in_period.sum()), len(in_period)
    n_days = (p1 - p0).days + 1
    agg = observed + sims.sum(axis=0)
    if not sums:
        agg = agg / n_days
    fc = Forecast(history=y, table=table, method=method, period=(p0, p1), sums=sums,
                  observed=observed, observed_days=observed_days,
                  expected=float(np.median(agg)), low=float(np.quantile(agg, 0.1)),
                  high=float(np.quantile(agg, 0.9)), notes=notes,
                  fitted=pd.Series(fit.fittedvalues, index=y.index))
    fc.run_rate_forecast = float(np.median(sims.sum(axis=0)) / h)
    if target:
        fc.target = float(target)
        fc.p_target = float((agg >= target).mean())
        needed_total = target if sums else target * n_days
        fc.run_rate_needed = float((needed_total - observed) / h)
    fc.backtest = bt
    return fc
