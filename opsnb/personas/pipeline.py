"""Computing the persona report: features -> k selection -> personas -> stability -> RFM.

:func:`persona_clustering` is the one call the notebook makes; it checks the parameters and
returns a :class:`~opsnb.personas.report.PersonaReport`. The report needs only ``users`` and
``events``; what it can show depends on the data:

* no events in the window: every section is left out, with the dates to change;
* too few users with ``min_events`` events for ``k_min``..``k_max`` personas: the persona
  sections are left out with one line naming ``min_events`` (or ``k_max`` / ``k``) and a value
  that works; RFM, which needs only orders, still runs;
* no order in the window: the RFM section is left out (nothing to score).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from opsnb.data.window import resolve_window
from opsnb.errors import DataError, ParameterError
from opsnb.personas.clustering import K_RULES, METHODS, PersonaClusterer, select_k
from opsnb.personas.export import export_assignments
from opsnb.personas.features import (FeatureTransformer, UserFeatures, build_features,
                                     select_features)
from opsnb.personas.profiles import profile
from opsnb.personas.report import PERSONA_SECTIONS, UNSTABLE, PersonaReport, _UnstableNote
from opsnb.personas.rfm import NO_ORDER, rfm
from opsnb.personas.stability import bootstrap_stability
from opsnb.report.contract import Note
from opsnb.report.i18n import check_language

# the default model features: engagement mix, hours of the day, activity depth, purchases
DEFAULT_FEATURE_PREFIXES = ("mix_", "hour_")
DEFAULT_FEATURES = ("active_days", "events_per_active_day", "sessions_per_active_day",
                    "content_breadth", "orders", "avg_order_value")
PROFILE_EXTRA = ("events", "sessions", "days_since_last", "content_items", "revenue", "tenure_days")

NO_EVENTS = ("Left out: the events table has no event between {window}; choose start_date and "
             "end_date inside the data, which runs from {first} to {last}.")
NOBODY = ("Left out: no user has {min} or more events in the window, so no persona can be "
          "fitted; lower min_events (e.g. -p min_events={suggest}).")
TOO_FEW_MIN_EVENTS = ("Left out: only {n} users have {min} or more events in the window, too few "
                      "for up to {k} personas; lower min_events (e.g. -p min_events={suggest}).")
TOO_FEW_K = ("Left out: only {n} users have {min} or more events in the window, too few for up to "
             "{k} personas; lower {param} (e.g. -p {param}={suggest}) or min_events.")
TOO_FEW_USERS = ("Left out: only {n} users have an event in the window; personas need at least 3. "
                 "Widen the window (start_date, end_date).")
NO_FEATURE = ("Left out: no behaviour feature varies between the {n} users to cluster (each has "
              "the same value for all of them); widen the window (start_date, end_date) or name "
              "other features.")
FEATURE_ERROR = "Left out: {reason}. Fix: {fix}."
NO_ORDERS = ("Left out: no user has an order (an event with revenue above 0) in the window, so "
             "there is nothing to score; RFM needs events with revenue.")
NO_PROFILE = ("Left out: the users table's profile columns (region, device, age_band, gender, "
              "channel) are empty for every user, so there is no make-up to show.")


def _too_few(feats: UserFeatures, k: int | None, k_max: int) -> Note | None:
    """Why the personas cannot be fitted for lack of users (naming the parameter), or None."""
    events = feats.frame["events"]
    n_all, min_events = len(events), feats.min_events
    n_fit = int((events >= min_events).sum())
    top = k if k is not None else k_max
    if n_fit > top:
        return None
    param = "k" if k is not None else "k_max"
    if n_all < 3:
        return Note(TOO_FEW_USERS, {"n": f"{n_all:,}"})
    # the largest min_events below the given one that keeps half the users (at least top + 1)
    target = max(top + 1, -(-n_all // 2))
    lower = [m for m in range(min_events - 1, 0, -1) if (events >= m).sum() >= target]
    lower = lower or [m for m in range(min_events - 1, 0, -1) if (events >= m).sum() > top]
    if lower:
        values = {"n": f"{n_fit:,}", "min": min_events, "k": top, "suggest": lower[0]}
        return Note(NOBODY if n_fit == 0 else TOO_FEW_MIN_EVENTS, values)
    return Note(TOO_FEW_K, {"n": f"{n_fit:,}", "min": min_events, "k": top, "param": param,
                            "suggest": max(2, min(n_fit, n_all) - 1)})


def _skip_personas(report: PersonaReport, note: Note) -> None:
    for key in PERSONA_SECTIONS:
        report.skipped.setdefault(key, note)


def _model_features(report: PersonaReport, feats: UserFeatures, features, method: str,
                    fit: pd.DataFrame) -> tuple[list[str], list[str]] | None:
    """The numeric and categorical features to cluster on; None (personas skipped) if none fits."""
    try:
        num, cat = select_features(feats, features)
    except DataError as exc:
        _skip_personas(report, Note(FEATURE_ERROR, {"reason": exc.message.rstrip("."),
                                                    "fix": (exc.fix or "").rstrip(".")}))
        return None
    if not features:
        num = [c for c in num if c.startswith(DEFAULT_FEATURE_PREFIXES) or c in DEFAULT_FEATURES]
        if method != "kprototypes":
            cat = []
        # a default feature that does not vary among the users clustered cannot separate them
        same = [c for c in num if fit[c].nunique(dropna=False) < 2]
        feats.dropped += [(c, "the same value for every clustered user") for c in same]
        num = [c for c in num if c not in same]
        if not num:
            _skip_personas(report, Note(NO_FEATURE, {"n": f"{len(fit):,}"}))
            return None
    if method == "kprototypes" and not cat:
        raise ParameterError("method kprototypes needs categorical features; add region, device, "
                             "age_band, gender or channel to features")
    return num, cat


def _aligned(values: pd.Series, index: pd.Index) -> np.ndarray:
    """``values`` in the order of ``index``; no reindex (a hash table of 5M user ids) when the
    order is already the same."""
    if values.index.equals(index):
        return values.to_numpy()
    return values.reindex(index).to_numpy()


def _fit_rows(frame: pd.DataFrame, fit_mask: np.ndarray) -> pd.DataFrame:
    """The users the personas are fitted on: the frame itself when that is every user (at 5M
    users a copy of the feature frame costs gigabytes)."""
    return frame if fit_mask.all() else frame[fit_mask]


def _fit_personas(report: PersonaReport, feats: UserFeatures, fit: pd.DataFrame, num, cat, *,
                  k, k_min, k_max, method, seed, n_boot, k_rule, min_stability, names,
                  silhouette_sample, n_init) -> None:
    frame = feats.frame
    fit_mask = ~feats.low_activity.to_numpy()
    tr = FeatureTransformer().fit(fit, num)
    # the transform works row by row: every user's matrix once, the fitted users' rows of it
    Xall = tr.transform(frame)
    Call = frame[cat].to_numpy(dtype=object) if cat else None
    everyone = bool(fit_mask.all())
    X = Xall if everyone else Xall[fit_mask]
    C = Call if everyone or Call is None else Call[fit_mask]
    ks = [k] if k is not None else list(range(k_min, k_max + 1))
    sel = select_k(X, ks, method, C, rule=k_rule if k is None else "silhouette", seed=seed,
                   n_boot=n_boot if k is None else 0, silhouette_sample=silhouette_sample,
                   n_init=n_init, min_stability=min_stability)
    if k is not None:
        sel.rule = "fixed"
    model = PersonaClusterer(method, sel.chosen_k, random_state=seed, n_init=n_init).fit(X, C)
    pids = [f"P{i + 1}" for i in range(sel.chosen_k)]
    stab = bootstrap_stability(model, X, C, n_boot=max(n_boot, 1), seed=seed, labels=pids)
    prof_feats = num + [c for c in PROFILE_EXTRA if c in feats.numeric and c not in num]
    prof = profile(fit, model.labels_, num, X, list(feats.categorical), names=names,
                   profile_features=prof_feats)
    # every user gets a persona: the low-activity ones by the nearest centre
    labels_all = np.empty(len(frame), dtype=int)
    labels_all[fit_mask] = model.labels_
    if (~fit_mask).any():
        labels_all[~fit_mask] = model.predict(Xall[~fit_mask],
                                              Call[~fit_mask] if Call is not None else None)
    pid_all = np.array(pids)[labels_all]
    name_of = prof.names(report.lang)
    proba = model.probability(Xall)
    report.assignments = report.assignments.assign(
        persona=pid_all, persona_name=[name_of[p] for p in pid_all],
        distance=model.distance(Xall, labels_all),
        probability=proba if proba is not None else np.nan)
    report.model_features, report.categorical, report.transformer = num, cat, tr
    report.X, report.selection, report.model, report.stability = X, sel, model, stab
    report.profiles = prof
    bad = stab.unstable()
    if bad:
        verdicts = dict(zip(stab.to_frame()["persona"], stab.to_frame()["verdict"]))
        report.warnings.append(_UnstableNote(UNSTABLE, {"verdicts": [(p, verdicts[p])
                                                                     for p in bad]}))


def persona_clustering(data_dir=None, start_date: str = "", end_date: str = "",
                       k_min: int = 2, k_max: int = 8, k: int | None = None,
                       method: str = "kmeans", features: Sequence[str] | None = None,
                       seed: int = 7, n_boot: int = 10, min_events: int = 5,
                       k_rule: str = "stability", min_stability: float = 0.95,
                       tz_offset_hours: int = 8, names: dict | None = None,
                       silhouette_sample: int = 3000, n_init: int = 4, export_path: str = "",
                       lang: str = "en",
                       engine: str = "duckdb") -> PersonaReport:
    """Load, validate and compute the whole persona report (see the module docstring).

    ``export_path`` (``.csv`` or ``.parquet``; empty: none) receives every user's persona and
    RFM segment for the CRM team; ``names`` replaces generated persona names
    (``{"P1": "name"}`` or ``{"P1": ("name", "description")}``).

    >>> from opsnb.data.shapes import base_sample
    >>> r = persona_clustering(base_sample(), k=3, n_boot=1)
    >>> r.k, r.skipped, r.profiles.names("en")["P3"]
    (3, {}, 'Night-owl small-hours content fans')
    >>> r = persona_clustering(base_sample(), min_events=5000, n_boot=1)
    >>> print(r.skipped["k"].render("en"))  # doctest: +ELLIPSIS
    Left out: no user has 5000 or more events in the window, ...; lower min_events (e.g. ...).
    >>> r.runs("rfm"), r.headline_items("en")[1]
    (True, ('Personas', '–', ''))
    """
    from opsnb.report.params import expect

    parameters = dict(data_dir=data_dir, start_date=start_date, end_date=end_date, k_min=k_min,
                      k_max=k_max, k=k, method=method, features=features, seed=seed,
                      n_boot=n_boot, min_events=min_events, k_rule=k_rule,
                      min_stability=min_stability, tz_offset_hours=tz_offset_hours, names=names,
                      silhouette_sample=silhouette_sample, n_init=n_init,
                      export_path=export_path, lang=lang)
    check_language(lang)
    expect("method", method, "str", choices=METHODS)
    expect("k_rule", k_rule, "str", choices=K_RULES)
    k_min = expect("k_min", k_min, "int", minimum=2, maximum=30)
    k_max = expect("k_max", k_max, "int", minimum=2, maximum=30)
    k = expect("k", k, "int", minimum=2, maximum=30, allow_none=True)
    if k is None and k_max < k_min:
        raise ParameterError(f"k_max={k_max} is below k_min={k_min}")
    expect("features", features, "list", allow_none=True)
    seed = expect("seed", seed, "int", minimum=0)
    n_boot = expect("n_boot", n_boot, "int", minimum=0, maximum=500)
    min_events = expect("min_events", min_events, "int", minimum=1)
    expect("min_stability", min_stability, "float", minimum=0, maximum=1)
    expect("names", names, "dict", allow_none=True)
    expect("export_path", export_path or "", "str")
    if export_path and not str(export_path).lower().endswith((".csv", ".parquet", ".pq")):
        raise ParameterError(f"export_path={export_path!r} must end in .csv or .parquet")
    if k_rule == "stability" and n_boot == 0 and k is None:
        raise ParameterError("k_rule stability needs n_boot > 0 (or fix k)")
    if k_rule == "bic" and method != "gmm" and k is None:
        raise ParameterError("k_rule bic needs method gmm (BIC is a mixture-model criterion)")

    source = PersonaReport.open_source(data_dir, engine=engine)
    window = resolve_window(source, start_date, end_date, allow_empty=True)
    report = PersonaReport(source, window, parameters)
    report.missing_tables()
    empty = window.empty
    if not empty:
        try:
            feats = build_features(source, window, tz_offset_hours=tz_offset_hours,
                                   min_events=min_events)
        except DataError as exc:  # a window inside a gap of the data: no event in it
            if exc.column != "event_at":
                raise
            empty = True
    if empty:
        report.skip_all(NO_EVENTS, window=window.label(), first=f"{window.data_first:%Y-%m-%d}",
                        last=f"{window.data_last:%Y-%m-%d}")
        return report
    report.features = feats
    frame = feats.frame
    rf = rfm(frame)
    report.rfm = rf
    if not (rf.table["segment"] != NO_ORDER).any():
        report.skip("rfm", NO_ORDERS)
    report.assignments = pd.DataFrame({
        "user_id": frame.index.to_numpy(), "persona": None, "persona_name": None,
        "rfm_segment": _aligned(rf.table["segment"], frame.index),
        "distance": np.nan, "probability": np.nan,
        "low_activity": feats.low_activity.to_numpy()})
    fit = _fit_rows(frame, ~feats.low_activity.to_numpy())
    unknown = [f for f in features or () if f not in feats.numeric + feats.categorical]
    if unknown:
        raise ParameterError(f"features: unknown feature(s) {', '.join(unknown)}; choose from "
                             f"{', '.join(feats.numeric + feats.categorical)}")
    too_few = _too_few(feats, k, k_max)
    if too_few is not None:
        _skip_personas(report, too_few)
    else:
        chosen = _model_features(report, feats, features, method, fit)
        if chosen is not None:
            with report.attempt("k"):
                _fit_personas(report, feats, fit, *chosen, k=k, k_min=k_min, k_max=k_max,
                              method=method, seed=seed, n_boot=n_boot, k_rule=k_rule,
                              min_stability=min_stability, names=names,
                              silhouette_sample=silhouette_sample, n_init=n_init)
            if not report.runs("k"):
                _skip_personas(report, report.skipped["k"])
    if report.has_personas and not report.categorical_shown():
        report.skip("makeup", NO_PROFILE)
    report.exported = export_assignments(report.assignments, export_path)
    return report
