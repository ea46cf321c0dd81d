"""The analysis of one experiment, from the assignments and events to the verdict.

:func:`analyse_experiment` computes, for one row of the experiments table, the SRM check, the
metrics per arm (one pass over the events by Ibis), the effects (plain and CUPED), the
multiple-testing correction, guardrails, the Bayesian view, power, the sequential monitor and
the segment breakdown, and ends with the verdict.

It runs on what the data hold: a metric whose event never occurs during the experiment, or
that cannot be tested (every user has the same value), is left out with a note and the other
metrics run; an experiment whose assignments contradict its row of the experiments table (an
unknown control, an arm without users) is left out with the reason, and the other experiments
of the report still run.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from opsnb.data.source import DataSource
from opsnb.data.window import DAY, Window
from opsnb.errors import DataError, ParameterError
from opsnb.experiments import bayes, cuped, multiplicity, power, sequential, srm, verdict
from opsnb.experiments.aggregates import Moments, variant_moments_many
from opsnb.experiments.metrics import (Metric, known_events, metric_columns, missing_events,
                                       user_metrics)
from opsnb.experiments.result import ExperimentResult
from opsnb.experiments.segments import segment_effects
from opsnb.experiments.stats import Effect, compare, non_inferiority_p, quantile_effect
from opsnb.report.contract import Note

# the notes an experiment can carry (English templates, translated in presentation)
NO_EVENT = ("{metric} left out: its event(s) {events} never occur between {start} and {end}. "
            "Fix: check the {parameter} parameter against the event names in the data ({known}).")
NOT_TESTABLE = "{metric} left out: {reason}."
NO_PRE = ("{metric}: no pre-period activity in the {days} days before assignment, so CUPED could "
          "not be applied.")
NO_CUPED = "CUPED not applied: cuped_days is 0, so the effects are unadjusted."
PRIMARY_NOT_LISTED = ("primary metric {primary} of the experiments table is not among the metrics; "
                      "{first} is used as the primary metric.")
PRIMARY_ONE_VALUE = "{attribute}: every user has the same value, so there is nothing to split."
LEFT_OUT = ("primary metric {primary} could not be computed (see above); {first} is used "
                    "as the primary metric.")
NO_PERSONA = "the users table has no persona column; no persona breakdown."
ONE_VALUE = "{attribute}: every user has the same value, so there is nothing to split."
LEFT_OUT = "{reason}. Fix: {fix}."


def experiment_rows(source: DataSource, window: Window, experiment_id: str) -> pd.DataFrame:
    """The experiments to analyse: ``experiment_id``, or every one overlapping the window
    (possibly none)."""
    ex = source.table("experiments").to_pandas()
    if experiment_id:
        if experiment_id not in set(ex["experiment_id"]):
            raise ParameterError(f"experiment_id={experiment_id!r} is not in the experiments table; "
                                 f"known: {', '.join(ex['experiment_id'].astype(str))}")
        return ex[ex["experiment_id"] == experiment_id]
    s = pd.to_datetime(ex["start"])
    e = pd.to_datetime(ex["end"])
    return ex[(s <= window.end) & (e >= window.start)].sort_values("start")


def _arms(source: DataSource, row: pd.Series, exp_id: str, control: str, start, end):
    """(variants, SRM result) from the assignments; a DataError when they contradict the row."""
    end_excl = end + DAY
    a = source.table("assignments")
    a = a.filter(a.experiment_id == exp_id, a.assigned_at >= start, a.assigned_at < end_excl)
    counts = a.group_by("variant").aggregate(n=a.count()).to_pandas()
    observed = dict(zip(counts["variant"].astype(str), counts["n"].astype(int)))
    split_text = row.get("traffic_split")
    split_text = "" if split_text is None or pd.isna(split_text) else str(split_text).strip()
    variants = tuple([control] + sorted(v for v in observed if v != control))
    split = srm.parse_split(split_text, variants)
    if split_text:
        variants = tuple([control] + [v for v in split if v != control])
    if control not in observed and (not split_text or control not in split):
        raise DataError(
            f"experiment {exp_id}: control variant {control!r} is not among its assigned variants "
            f"({', '.join(sorted(observed)) or 'none'})",
            table="experiments", column="control", rows=pd.DataFrame([row]),
            fix="set experiments.control to the name used in assignments.variant")
    unknown = sorted(set(observed) - set(variants))
    if unknown:
        raise DataError(f"experiment {exp_id}: variant(s) {', '.join(unknown)} are assigned but not in "
                        f"traffic_split {split_text!r}", table="experiments",
                        column="traffic_split", fix="list every variant in traffic_split")
    empty = [v for v in variants if observed.get(v, 0) == 0]
    if empty:
        raise DataError(
            f"experiment {exp_id}: variant(s) {', '.join(empty)} have zero assigned users between "
            f"{start:%Y-%m-%d} and {end:%Y-%m-%d}", table="assignments", column="variant",
            fix="check the variant names in assignments against experiments.traffic_split / control, "
                "and that assignment logging reached the data")
    return variants, srm.srm_test(observed, split)


def analyse_experiment(source: DataSource, window: Window, row: pd.Series, metrics: list[Metric],
                       guardrails: list[Metric], alpha: float = 0.05, cuped_days: int = 14,
                       correction: str = "holm", segments: Sequence[str] = (), seed: int = 0,
                       mde: float = 0.05, power_target: float = 0.8,
                       prior_sd: float = bayes.DEFAULT_PRIOR_SD) -> ExperimentResult:
    """Analyse one experiment (one row of the experiments table)."""
    exp_id = str(row["experiment_id"])
    start = pd.Timestamp(row["start"])
    end = min(pd.Timestamp(row["end"]), window.end, window.as_of.normalize())
    hypothesis = row.get("hypothesis")
    res = ExperimentResult(
        exp_id, str(row.get("name") or exp_id),
        "" if hypothesis is None or pd.isna(hypothesis) else str(hypothesis),
        str(row["control"]), (), start, end, pd.Timestamp(row["end"]) > window.as_of.normalize(),
        alpha, correction, metrics=list(metrics), guardrail_metrics=list(guardrails))
    try:
        res.variants, res.srm = _arms(source, row, exp_id, res.control, start, end)
    except DataError as exc:
        res.left_out = Note(LEFT_OUT if exc.fix else "{reason}.", {
            "reason": exc.message.rstrip("."), "fix": (exc.fix or "").rstrip(".")})
        return res
    _effects(res, source, metrics, guardrails, cuped_days, segments, seed, mde, power_target,
             prior_sd, str(row.get("primary_metric") or ""))
    return res


def _split_attributes(res: ExperimentResult, users, attributes: list[str]) -> list[str]:
    """The attributes with more than one value among the users; a note for each other one."""
    cols = [a for a in attributes if a in users.columns]
    if not cols:
        return attributes
    n = users.aggregate(**{f"n{i}": users[a].cast("string").fill_null("(empty)").nunique()
                           for i, a in enumerate(cols)}).to_pandas().iloc[0]
    single = {a for i, a in enumerate(cols) if int(n[f"n{i}"]) < 2}
    for a in attributes:
        if a in single:
            res.segment_notes.append(Note(ONE_VALUE, {"attribute": a}))
    return [a for a in attributes if a not in single]


def _usable(res: ExperimentResult, source, metrics: list[Metric], start, end_excl) -> list[Metric]:
    """The metrics whose events occur during the experiment; a note for each other one."""
    missing = set(missing_events(source, metrics, start, end_excl))
    if not missing:
        return list(metrics)
    known = ", ".join(known_events(source))
    out, gone_by = [], {}  # (missing events, parameter) -> the metrics they leave out
    for m in metrics:
        gone = tuple(e for e in m.events if e in missing)
        if gone:
            key = (gone, "guardrails" if m.is_guardrail else "metrics")
            gone_by.setdefault(key, []).append(m.name)
        else:
            out.append(m)
    for (gone, parameter), names in gone_by.items():  # one line per missing set of events
        res.notes.append(Note(NO_EVENT, {
            "metric": ", ".join(names), "events": ", ".join(gone), "start": f"{start:%Y-%m-%d}",
            "end": f"{end_excl - DAY:%Y-%m-%d}", "known": known, "parameter": parameter}))
    return out


def _effects(res: ExperimentResult, source, metrics, guardrails, cuped_days, segments, seed, mde,
             power_target, prior_sd, primary: str) -> None:
    """Fill ``res`` with the effects, guardrails, posteriors, plans, daily looks, segments, verdict."""
    exp_id, control, alpha, correction = res.experiment_id, res.control, res.alpha, res.correction
    start, end = res.start, res.end
    end_excl = end + DAY
    treatments = res.treatments
    usable = _usable(res, source, metrics + guardrails, start, end_excl)
    metrics = [m for m in usable if not m.is_guardrail]
    guardrails = [m for m in usable if m.is_guardrail]
    if not metrics:
        res.verdict = verdict.decide(res.srm, [], [], {})
        return
    all_metrics = metrics + guardrails
    names = [m.name for m in metrics]
    pm = metrics[names.index(primary)] if primary in names else metrics[0]
    first_pm = pm
    # the one pass over the events: every later step reads this per-user table
    ut_expr = user_metrics(source, exp_id, start, end_excl, all_metrics, cuped_days,
                           first=[pm] if pm.kind == "proportion" else [])
    ut = source.materialize(ut_expr, "exp_users")

    effects, cuped_effects, balance_res = [], [], []
    raw_for_guard: dict[tuple[str, str], Effect] = {}
    use_cuped_of = {m.name: bool(cuped_days) and m.cuped_able for m in all_metrics}
    moments = variant_moments_many(ut, {m.name: metric_columns(ut, m, pre=use_cuped_of[m.name])
                                        for m in all_metrics if m.kind != "quantile"})
    failed: set[str] = set()
    no_pre: list[str] = []
    for m in all_metrics:
        mine, mine_cuped, mine_bal, mine_guard = [], [], [], {}
        try:
            with np.errstate(divide="ignore", invalid="ignore"):  # an arm of one user: no variance
                if m.kind == "quantile":
                    y = metric_columns(ut, m)["y"]
                    vals = ut.filter(y > 0).select("variant", y=y).to_pandas()
                    for tr in treatments:
                        e = quantile_effect(vals.loc[vals["variant"] == control, "y"],
                                            vals.loc[vals["variant"] == tr, "y"], m.q, alpha, seed=seed,
                                            metric=m.name, control=control, treatment=tr)
                        if m.is_guardrail:
                            mine_guard[(m.name, tr)] = e
                        else:
                            mine.append(e)
                else:
                    use_cuped = use_cuped_of[m.name]
                    by = {r["variant"]: Moments(*(float(r[c]) for c in (
                        "n", "sum_y", "sum_y2", "sum_x", "sum_x2", "sum_xy")))
                        for _, r in moments[m.name].iterrows()}
                    for tr in treatments:
                        kw = dict(alpha=alpha, metric=m.name, control=control, treatment=tr)
                        e = compare(m.kind, by[control], by[tr], **kw)
                        ce = None
                        if use_cuped:
                            b = cuped.balance(by[control], by[tr], m.name, control, tr)
                            if not m.is_guardrail:
                                mine_bal.append(b)
                            if by[control].var_x > 0 or by[tr].var_x > 0:
                                ce = cuped.cuped_effect(by[control], by[tr], **kw)
                        if m.is_guardrail:
                            mine_guard[(m.name, tr)] = ce or e
                        else:
                            mine.append(e)
                            if ce is not None:
                                mine_cuped.append(ce)
                    if use_cuped and not mine_cuped and not m.is_guardrail:
                        no_pre.append(m.name)
        except DataError as exc:
            failed.add(m.name)
            res.notes.append(Note(NOT_TESTABLE, {"metric": m.name,
                                                 "reason": exc.message.rstrip(".")}))
            continue
        effects += mine
        cuped_effects += mine_cuped
        balance_res += mine_bal
        raw_for_guard.update(mine_guard)
    if no_pre:
        res.notes.append(Note(NO_PRE, {"metric": ", ".join(no_pre), "days": cuped_days}))
    if not cuped_days:
        res.notes.append(Note(NO_CUPED))
    metrics = [m for m in metrics if m.name not in failed]
    guardrails = [g for g in guardrails if g.name not in failed]
    if not metrics:
        res.verdict = verdict.decide(res.srm, [], [], {})
        return

    # multiple testing: the judged estimates form one family, the plain ones another
    judged = {(e.metric, e.treatment): e for e in effects}
    judged.update({(e.metric, e.treatment): e for e in cuped_effects})
    keys = list(judged)
    adj = multiplicity.adjust([judged[k].p_value for k in keys], correction)
    adj_map = dict(zip(keys, adj))
    cuped_effects = [e.with_(p_adjusted=float(adj_map[(e.metric, e.treatment)])) for e in cuped_effects]
    has_cuped = {(e.metric, e.treatment) for e in cuped_effects}
    plain_adj = multiplicity.adjust([e.p_value for e in effects], correction)
    effects = [e.with_(p_adjusted=float(adj_map[(e.metric, e.treatment)]
                                        if (e.metric, e.treatment) not in has_cuped else pa))
               for e, pa in zip(effects, plain_adj)]

    guard_res = []
    for g in guardrails:
        for tr in treatments:
            e = raw_for_guard[(g.name, tr)]
            p_ni = non_inferiority_p(e, g.margin, g.higher_is_better)
            status = verdict.guardrail_status(p_ni, e.rel_lo, e.rel_hi, g.margin, alpha,
                                              g.higher_is_better)
            guard_res.append(verdict.Guardrail(g.name, e.comparison, g.margin, e.rel_effect, e.rel_lo,
                                               e.rel_hi, p_ni, status))
    res.effects, res.cuped_effects, res.balance, res.guardrails = (effects, cuped_effects,
                                                                   balance_res, guard_res)
    names = [m.name for m in metrics]
    if primary not in names:
        template = PRIMARY_LEFT_OUT if primary in failed or primary in {
            m.name for m in res.metrics} else PRIMARY_NOT_LISTED
        res.notes.append(Note(template, {"primary": repr(primary), "first": repr(names[0])}))
        primary = names[0]
    res.primary = primary
    pm = metrics[names.index(primary)]
    hib = {m.name: m.higher_is_better for m in metrics}

    plain = {(e.metric, e.treatment): e for e in effects}
    for e in res.decision_effects():
        res.posteriors.append(bayes.posterior(e, prior_sd, hib[e.metric]))
        if e.method == "percentile bootstrap":
            continue
        p = plain[(e.metric, e.treatment)]
        sd = p.se / np.sqrt(1 / p.n_control + 1 / p.n_treatment)
        res.plans.append(power.plan(e.metric, e.comparison, p.mean_control, sd, p.n_control,
                                    p.n_treatment, (end - start).days + 1, mde, alpha, power_target,
                                    e.variance_reduction or 0.0))
    if pm.kind != "quantile":
        if pm.kind == "proportion" and pm == first_pm:  # from the per-user table's first events
            daily = sequential.cumulative_moments_from_users(ut, pm, start, end_excl)
        else:  # per-user running sums need the events by day
            daily = sequential.cumulative_moments(source, exp_id, start, end_excl, pm)
        res.sequential = [sequential.sequential(daily, pm, control, tr, alpha) for tr in treatments]
        users = source.table("users")
        seg_attrs = [s for s in segments if s != "persona" or "persona" in users.columns]
        if "persona" in segments and "persona" not in seg_attrs:
            res.segment_notes.append(Note(NO_PERSONA))
        seg_attrs = _split_attributes(res, users, seg_attrs)
        if seg_attrs:
            res.segments = segment_effects(ut, source.table("users"), pm, seg_attrs, control,
                                           treatments, alpha, correction)
    powered = {p.comparison: p.powered for p in res.plans if p.metric == primary}
    res.verdict = verdict.decide(res.srm, res.primary_effects(), guard_res, powered,
                                 pm.higher_is_better, [b for b in balance_res if not b.ok], res.running)
    # the daily-look and segment charts name their experiment and carry its validity
    for s in res.sequential:
        s.experiment, s.invalid = exp_id, res.invalid_code
    if res.segments is not None:
        res.segments.experiment, res.segments.invalid = exp_id, res.invalid_code
