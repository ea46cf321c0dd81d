"""The experiment-analysis report: everything ``notebooks/experiment_analysis.ipynb`` shows.

:func:`experiment_analysis` checks the parameters, opens the data and analyses every experiment
in the window (:func:`opsnb.experiments.analysis.analyse_experiment`); :class:`ExperimentReport`
holds the results and shows each section in the language it is given, one block per
experiment. An experiment that could not be analysed, or none of whose metrics could be
computed, shows one line saying why in each section; the other experiments run. A window with
no experiment in it completes with that line in every section.
"""

from __future__ import annotations

from collections.abc import Sequence

from opsnb.data.window import resolve_window
from opsnb.errors import ParameterError
from opsnb.experiments import bayes, multiplicity, present
from opsnb.experiments.analysis import analyse_experiment, experiment_rows
from opsnb.experiments.metrics import DEFAULT_GUARDRAILS, DEFAULT_METRICS, parse_metrics
from opsnb.experiments.result import ExperimentResult
from opsnb.report import fmt, html
from opsnb.report.contract import Report, Section
from opsnb.report.i18n import Translator, check_language, translate

NO_EXPERIMENT = ("No experiment ran between {window}, so there is nothing to show. Fix: choose "
                 "start_date and end_date that overlap an experiment, or name one with "
                 "experiment_id (known: {known}).")
NO_SEGMENTS = ("No segment attributes were given. Fix: set segments to user attributes such as "
               "channel, device, region.")
SRM_WARNING = "{experiment}: sample ratio mismatch; no number of this experiment may be used."


class ExperimentReport(Report):
    """Every experiment in the window, each ended with a verdict and the evidence for it."""

    name = "experiment_analysis"
    title = "Experiment analysis"
    required = ("users", "events", "assignments", "experiments")
    SECTIONS = (
        Section("verdicts", "Verdicts", shows="one verdict box per experiment with its reasons"),
        Section("balance", "Sample ratio and pre-period balance",
                shows="users per arm against the design and the pre-period balance"),
        Section("effects", "Effects per metric",
                shows="the effect on each metric with its interval, guardrails and a forest chart"),
        Section("sequential", "Daily looks: the sequential view",
                shows="the always-valid interval of the primary metric by day"),
        Section("bayes", "Chance to beat control",
                shows="the probability that each treatment is better and its expected loss"),
        Section("segments", "Segments", shows="the primary metric by user attribute"),
        Section("power", "Power and minimum detectable effect",
                shows="whether each test was large enough for the effect it looked for"),
    )

    def __init__(self, source, window, parameters: dict | None = None,
                 experiments: list[ExperimentResult] | None = None) -> None:
        super().__init__(source, window, parameters)
        self.experiments: list[ExperimentResult] = list(experiments or [])

    def __getitem__(self, experiment_id: str) -> ExperimentResult:
        for e in self.experiments:
            if e.experiment_id == experiment_id:
                return e
        raise KeyError(experiment_id)

    @property
    def analysed(self) -> list[ExperimentResult]:
        return [e for e in self.experiments if e.analysed]

    # ------------------------------------------------------------------ numbers
    def headline(self) -> dict:
        return {"experiments": [e.headline() for e in self.experiments],
                "verdicts": {e.experiment_id: e.verdict.decision for e in self.experiments}}

    def sections(self) -> dict:
        out = {}
        for e in self.experiments:
            d = e.to_dict()
            d["verdict"]["reasons"] = present.reasons(e, "en")
            out[e.experiment_id] = d
        return {"experiments": out}

    def check_lines(self) -> list[str]:
        out = [f"window: {self.window.label()}"]
        for e in self.experiments:
            if e.srm is None:
                out.append(f"{e.experiment_id}: left out")
                continue
            out.append(f"{e.experiment_id}: verdict {e.verdict.decision}; SRM p {e.srm.p_value:.4f}; "
                       f"users " + ", ".join(f"{v} {n}" for v, n in zip(e.srm.variants, e.srm.observed)))
            for x in e.primary_effects():
                out.append(f"  {x.metric} {x.comparison}: {x.mean_control:.4f} -> {x.mean_treatment:.4f}, "
                           f"rel {x.rel_effect:+.3f} [{x.rel_lo:+.3f}, {x.rel_hi:+.3f}], "
                           f"p_adj {x.p_adjusted:.3f}")
        return out

    # ------------------------------------------------------------------ presentation
    def headline_items(self, lang: str = "en") -> list[tuple[str, str, str]]:
        """One tile per experiment: its name, its verdict, the winner or its id."""
        tr = Translator(lang)
        if not self.experiments:
            return [(tr("Experiments"), "0", tr("none ran in the window"))]
        return [(e.name, present.verdict_label(e.verdict.decision, lang),
                 tr("winner: {winner}", winner=e.verdict.winner) if e.verdict.winner
                 else e.experiment_id) for e in self.experiments]

    def _each(self, lang: str, draw) -> list:
        """``draw(e)`` for every experiment, or the line saying why it has nothing to show."""
        out = []
        for e in self.experiments:
            if not e.analysed:
                out.append(html.note(present.not_analysed(e, lang)))
            else:
                out += draw(e)
        return out

    def show_verdicts(self, lang: str = "en") -> list:
        tr = Translator(lang)
        out = []
        for e in self.experiments:
            warn = [present.srm_message(e.srm, lang)] if e.srm is not None and e.srm.flagged else []
            out.append(html.cards(present.title(e, lang), present.experiment_items(e, lang), warn))
            if e.hypothesis.strip():
                out.append(html.paragraph(e.hypothesis, strong=tr("Hypothesis:")))
            out.append(html.bullets(present.reasons(e, lang)))
        return out

    def show_balance(self, lang: str = "en") -> list:
        out = [html.note(present.left_out(e, lang)) for e in self.experiments if e.srm is None]
        srm = present.srm_table(self.experiments, lang)
        if len(srm):
            out.insert(0, fmt.table(srm, present.SRM_FORMATS, caption="Sample ratio per arm",
                                    lang=lang))
        bal = present.balance_table(self.experiments, lang)
        if len(bal):
            out.append(fmt.table(bal, present.BALANCE_FORMATS, lang=lang, caption=present.
                                 balance_caption(self.parameters.get("cuped_days", ""), lang)))
        return out

    def show_effects(self, lang: str = "en") -> list:
        def draw(e):
            out = [fmt.table(present.display_table(e, lang), present.EFFECT_FORMATS, lang=lang,
                             caption=present.effects_caption(e, lang))]
            if e.guardrails:
                out.append(fmt.table(present.guardrail_table(e, lang), present.GUARDRAIL_FORMATS,
                                     lang=lang, caption=translate("{experiment}: guardrails", lang,
                                                                  experiment=e.experiment_id)))
            out += [html.paragraph(n, small=True) for n in present.notes(e, lang)]
            return out + [e.plot_forest(lang=lang)]
        out = []
        for e in self.experiments:  # an experiment without metrics still says which were left out
            if e.analysed:
                out += draw(e)
            else:
                out.append(html.note(present.not_analysed(e, lang)))
                out += [html.paragraph(n, small=True) for n in present.notes(e, lang)]
        return out

    def show_sequential(self, lang: str = "en") -> list:
        return self._each(lang, lambda e: [s.plot(lang=lang) for s in e.sequential])

    def show_bayes(self, lang: str = "en") -> list:
        return self._each(lang, lambda e: [e.plot_chance_to_win(lang=lang)])

    def show_segments(self, lang: str = "en") -> list:
        def draw(e):
            if e.segments is None:
                return []
            out = [e.segments.plot(c, lang=lang) for c in e.segments.table["comparison"].unique()]
            return out + [fmt.table(e.segments.heterogeneity_frame(lang),
                                    present.HETEROGENEITY_FORMATS, lang=lang, caption=translate(
                                        "{experiment}: heterogeneity of {metric} across segments",
                                        lang, experiment=e.experiment_id, metric=e.primary))]
        out = self._each(lang, draw)
        seen = dict.fromkeys(n.render(lang) for e in self.experiments for n in e.segment_notes)
        return out + [html.paragraph(translate("Note: {note}", lang, note=n), small=True)
                      for n in seen]

    def show_power(self, lang: str = "en") -> list:
        mde = self.parameters.get("mde", 0.05)
        return self._each(lang, lambda e: [fmt.table(
            present.power_table(e, lang), present.POWER_FORMATS, lang=lang,
            caption=present.power_caption(e, mde, lang))])


def experiment_analysis(data_dir=None, experiment_id: str = "", start_date: str = "",
                        end_date: str = "", metrics: Sequence | None = None,
                        guardrails: Sequence | None = None, alpha: float = 0.05,
                        cuped_days: int = 14, correction: str = "holm",
                        segments: Sequence[str] = ("channel", "device", "region", "persona"),
                        seed: int = 0, mde: float = 0.05, power_target: float = 0.8,
                        prior_sd: float = bayes.DEFAULT_PRIOR_SD,
                        lang: str = "en",
                        engine: str = "duckdb") -> ExperimentReport:
    """Check the parameters, open the data and analyse every experiment in the window.

    >>> r = experiment_analysis(experiment_id="exp_checkout_v2", segments=[])
    >>> r["exp_checkout_v2"].verdict.decision, r.skipped["segments"].render("en")[:30]
    ('ship', 'No segment attributes were giv')
    """
    from opsnb.report.params import expect

    check_language(lang)
    expect("experiment_id", experiment_id, "str")
    expect("alpha", alpha, "float", minimum=0.001, maximum=0.2)
    cuped_days = expect("cuped_days", cuped_days, "int", minimum=0, maximum=365)
    expect("correction", correction, "str", choices=multiplicity.CORRECTIONS)
    expect("segments", segments, "list")
    seed = expect("seed", seed, "int", minimum=0)
    expect("mde", mde, "float", minimum=0.0001, maximum=10)
    expect("power_target", power_target, "float", minimum=0.5, maximum=0.999)
    expect("prior_sd", prior_sd, "float", minimum=0.001, maximum=10)
    mets = parse_metrics(DEFAULT_METRICS if metrics is None else metrics)
    if not mets:
        raise ParameterError("metrics is empty; give at least one metric")
    grs = parse_metrics(DEFAULT_GUARDRAILS if guardrails is None else guardrails, guardrail=True)
    clash = {m.name for m in mets} & {g.name for g in grs}
    if clash:
        raise ParameterError(f"metric(s) {', '.join(sorted(clash))} are both metrics and guardrails")
    source = ExperimentReport.open_source(data_dir, engine=engine)
    users = source.table("users").columns
    bad = [a for a in segments if a not in users and a != "persona" or a == "user_id"]
    if bad:
        raise ParameterError(f"segments: {', '.join(map(str, bad))} are not users columns; choose "
                             f"from {', '.join(c for c in users if c != 'user_id')}")
    window = resolve_window(source, start_date, end_date, allow_empty=True)
    params = dict(data_dir=data_dir if data_dir is None or isinstance(data_dir, str)
                  else str(data_dir), experiment_id=experiment_id, start_date=start_date,
                  end_date=end_date, metrics=[m.to_dict() for m in mets],
                  guardrails=[g.to_dict() for g in grs], alpha=alpha, cuped_days=cuped_days,
                  correction=correction, segments=list(segments), seed=seed, mde=mde,
                  power_target=power_target, prior_sd=prior_sd, lang=lang)
    report = ExperimentReport(source, window, params)
    report.missing_tables()
    rows = experiment_rows(source, window, experiment_id)
    report.experiments = [analyse_experiment(source, window, r, mets, grs, alpha, cuped_days,
                                             correction, list(segments), seed, mde, power_target,
                                             prior_sd) for _, r in rows.iterrows()]
    if not report.experiments:
        known = source.table("experiments").to_pandas()["experiment_id"].astype(str)
        report.skip_all(NO_EXPERIMENT, window=window.label(), known=", ".join(known))
    if not segments:
        report.skip("segments", NO_SEGMENTS)
    for e in report.experiments:
        if e.srm is not None and e.srm.flagged:
            report.warn(SRM_WARNING, experiment=e.name)
    return report
