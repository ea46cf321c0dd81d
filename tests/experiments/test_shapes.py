"""experiment_analysis on data shaped unlike the sample: each shape completes and renders.

Every run shows every section in English and Chinese, writes its summary and its checked
lines; the degraded parts say why in one line, and what still runs gives the numbers it gives
on the full data.
"""

from __future__ import annotations

import json

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402

from opsnb.data import shapes  # noqa: E402
from opsnb.errors import DataError  # noqa: E402
from opsnb.experiments import ExperimentReport, experiment_analysis  # noqa: E402
from opsnb.experiments.metrics import DEFAULT_METRICS  # noqa: E402
from opsnb.report import display as blocks  # noqa: E402
from opsnb.report.summary import to_jsonable  # noqa: E402

from conftest import chinese  # noqa: E402

FAST = dict(segments=["channel", "device"])


def render(report, charts: dict | None = None) -> dict[str, str]:
    """Every section (and the headline) in en and zh: the HTML of each, by language (chart
    titles, which reach the page as PNG, go to ``charts``)."""
    out = {}
    for lang in ("en", "zh"):
        texts, titles = [], []
        for item in blocks.headline(report, lang):
            texts.append(item.data)
        for s in ExperimentReport.SECTIONS:
            for item in report.show(s.key, lang):
                if hasattr(item, "data"):
                    texts.append(item.data)
                else:  # a chart (Axes)
                    titles.append(item.get_title(loc="left"))
        plt.close("all")
        out[lang] = "\n".join(texts)
        if charts is not None:
            charts[lang] = titles
    json.dumps(to_jsonable(report.summary()), allow_nan=False)
    report.check_text()
    return out


def without(lines: list[str], experiment_id: str) -> list[str]:
    """Checked lines without those of one experiment (its line and its indented ones)."""
    out, skip = [], False
    for x in lines:
        if not x.startswith("  "):
            skip = x.startswith(f"{experiment_id}: ")
        if not skip:
            out.append(x)
    return out


@pytest.fixture(scope="module")
def base():
    return shapes.base_sample()


@pytest.fixture(scope="module")
def base_report(base):
    return experiment_analysis(str(base), **FAST)


def _shape(name, tmp_path_factory):
    return shapes.make_shape(name, tmp_path_factory.mktemp(name))


# --------------------------------------------------------------------------- three arms, no pre-period
@pytest.fixture(scope="module")
def three_arm(tmp_path_factory):
    return experiment_analysis(str(_shape("three_arm_no_pre", tmp_path_factory)), **FAST)


def test_three_arm_without_pre_period_shows_unadjusted_effects(three_arm):
    assert three_arm.experiments and not three_arm.skipped
    for e in three_arm.experiments:
        assert len(e.treatments) == 2 and not e.cuped_effects
        # one line per experiment says why CUPED was not applied
        cuped = [n.render("en") for n in e.notes if "CUPED" in n.render("en")]
        assert cuped == ["purchase_conversion, revenue_per_user: no pre-period activity in the 14 "
                         "days before assignment, so CUPED could not be applied."]
        # Holm over every metric x comparison, both treatment arms included
        judged = e.decision_effects()
        assert {x.treatment for x in judged} == set(e.treatments)
        np.testing.assert_allclose([x.p_adjusted for x in judged],
                                   multipletests([x.p_value for x in judged], method="holm")[1],
                                   atol=1e-12)
        assert len(e.primary_effects()) == 2
    html = render(three_arm)
    assert html["en"].count("so CUPED could not be applied") == len(three_arm.experiments)
    assert "无法使用 CUPED" in html["zh"]


def test_three_arm_with_bh(tmp_path_factory):
    r = experiment_analysis(str(_shape("three_arm_no_pre", tmp_path_factory)),
                            correction="bh", segments=[])
    for e in r.experiments:
        judged = e.decision_effects()
        np.testing.assert_allclose([x.p_adjusted for x in judged],
                                   multipletests([x.p_value for x in judged], method="fdr_bh")[1],
                                   atol=1e-12)
    assert r.skipped["segments"].render("en").startswith("No segment attributes were given.")
    render(r)


# --------------------------------------------------------------------------- an experiment without events
def test_experiment_without_events_says_so_and_the_others_run(base, base_report, tmp_path):
    data = shapes.read_tables(base)
    t = data.tables
    new = pd.DataFrame({"user_id": [f"ghost{i:04d}" for i in range(200)]})
    users = t["users"].iloc[np.arange(200) % len(t["users"])].reset_index(drop=True)
    users["user_id"] = new["user_id"]
    t["users"] = pd.concat([t["users"], users], ignore_index=True)
    first = t["experiments"].sort_values("start").iloc[0]
    t["experiments"] = pd.concat([t["experiments"], pd.DataFrame([{
        **first.to_dict(), "experiment_id": "exp_silent", "name": "Silent test",
        "traffic_split": "control:0.5,treatment:0.5"}])], ignore_index=True)
    t["assignments"] = pd.concat([t["assignments"], pd.DataFrame({
        "experiment_id": "exp_silent", "user_id": new["user_id"],
        "variant": np.where(np.arange(200) % 2 == 0, "control", "treatment"),
        "assigned_at": first["start"] + pd.Timedelta(hours=10)})], ignore_index=True)
    r = experiment_analysis(str(shapes.write_tables(data, tmp_path / "d")), **FAST)
    silent = r["exp_silent"]
    assert silent.verdict.decision == "no data" and not silent.analysed
    assert silent.srm is not None and silent.srm.observed == (100, 100)
    lines = [n.render("en") for n in silent.notes]
    assert any(x.startswith("purchase_conversion left out: metric 'purchase_conversion': "
                            "treatment vs control has zero variance") for x in lines), lines
    html = render(r)
    for key in ("sequential", "bayes", "segments", "power"):
        shown = r.show(key, "en")
        assert any("exp_silent: no metric could be computed" in b.data for b in shown
                   if hasattr(b, "data")), key
    assert "No metric could be computed for this experiment" in html["en"]
    assert "NO DATA" in html["en"] and "无数据" in html["zh"]
    # the other experiments give the numbers they give without the silent one
    assert without(r.check_lines(), "exp_silent") == base_report.check_lines()


# --------------------------------------------------------------------------- window without experiments
def test_window_without_experiments_completes_with_one_line(tmp_path_factory):
    folder = _shape("nothing_in_window", tmp_path_factory)
    r = experiment_analysis(str(folder), **shapes.SHAPE_PARAMS["nothing_in_window"])
    assert r.experiments == []
    assert set(r.skipped) == {s.key for s in ExperimentReport.SECTIONS}
    line = r.skipped["verdicts"].render("en")
    start = shapes.SHAPE_PARAMS["nothing_in_window"]["start_date"]
    assert line.startswith(f"No experiment ran between {start} – ") and "experiment_id" in line
    assert r.headline_items("en") == [("Experiments", "0", "none ran in the window")]
    html = render(r)
    assert "没有进行中的实验" in html["zh"]
    assert r.window.empty and "the data hold nothing in it: they run from " in html["en"]
    assert r.check_text().splitlines()[1:] == [f"left out: {s.key}" for s in ExperimentReport.SECTIONS]


# --------------------------------------------------------------------------- 14 days
def test_fourteen_days_window(base, base_report):
    e0 = base_report.experiments[0]
    start = e0.start + pd.Timedelta(days=3)
    end = start + pd.Timedelta(days=13)
    r = experiment_analysis(str(base), start_date=f"{start:%Y-%m-%d}", end_date=f"{end:%Y-%m-%d}",
                            **FAST)
    assert r.window.days == 14 and r.experiments
    e = r[e0.experiment_id]
    assert e.end == min(end, e0.end) and e.analysed
    render(r)


def test_fourteen_days_shape_without_experiment_tables(tmp_path_factory):
    """The shape's last 14 days hold no experiment, so its assignments table is dropped."""
    folder = _shape("fourteen_days", tmp_path_factory)
    if (folder / "assignments.parquet").exists() or (folder / "assignments.csv").exists():
        render(experiment_analysis(str(folder), **FAST))
    else:
        with pytest.raises(DataError, match="assignments"):
            experiment_analysis(str(folder), **FAST)


# --------------------------------------------------------------------------- a metric without its event
def test_metric_whose_event_never_occurs_is_left_out(base, base_report):
    mets = [m.to_dict() for m in DEFAULT_METRICS] + [
        {"name": "refund_rate", "kind": "proportion", "event": "refund"}]
    r = experiment_analysis(str(base), metrics=mets, **FAST)
    for e in r.experiments:
        lines = [n.render("en") for n in e.notes]
        assert any(x.startswith("refund_rate left out: its event(s) refund never occur between ")
                   and "check the metrics parameter" in x for x in lines), lines
        assert "refund_rate" not in {x.metric for x in e.effects}
    assert r.check_lines() == base_report.check_lines()
    html = render(r)
    assert "refund_rate 未计算" in html["zh"]


# --------------------------------------------------------------------------- one segment value
def test_single_segment_value_says_nothing_to_split(tmp_path_factory):
    r = experiment_analysis(str(_shape("single_channel", tmp_path_factory)), segments=["channel"])
    for e in r.experiments:
        assert e.segments is None
    shown = [b.data for b in r.show("segments", "en") if hasattr(b, "data")]
    assert any("channel: every user has the same value, so there is nothing to split." in x
               for x in shown), shown
    html = render(r)
    assert "无法拆分" in html["zh"]


# --------------------------------------------------------------------------- empty strings, empty hypothesis
def test_empty_hypothesis_and_split(tmp_path_factory):
    r = experiment_analysis(str(_shape("empty_strings", tmp_path_factory)), **FAST)
    assert r.experiments and all(e.hypothesis == "" for e in r.experiments)
    html = render(r)
    assert "Hypothesis:" not in html["en"]


# --------------------------------------------------------------------------- markup in every label
def test_markup_in_names_is_escaped(base, tmp_path):
    folder = shapes.inject_markup(base, tmp_path / "marked")
    params = shapes.rename_params({"metrics": [m.to_dict() for m in DEFAULT_METRICS],
        "guardrails": [{"name": "sessions_per_user", "kind": "mean", "event": "session_start",
                        "margin": 0.03}]}, shapes.read_renames(folder))
    r = experiment_analysis(str(folder), segments=["channel", "device"], **params)
    assert r.experiments and all(e.analysed for e in r.experiments)
    assert all("<script>" in e.name and "<script>" in e.hypothesis for e in r.experiments)
    charts: dict = {}
    html = render(r, charts)
    assert all(t for t in charts["en"]) and len(charts["en"]) == len(charts["zh"]) > 0
    for lang in ("en", "zh"):
        text = html[lang]
        assert "&lt;script&gt;" in text and "&lt;img src=x onerror" in text
        assert "<script" not in text and "<img" not in text and "<b>bold" not in text


# --------------------------------------------------------------------------- broken rows of one experiment
def test_broken_experiment_is_left_out_and_the_others_run(base, base_report, tmp_path):
    data = shapes.read_tables(base)
    ex = data.tables["experiments"]
    first = ex.sort_values("start")["experiment_id"].iloc[0]
    ex.loc[ex["experiment_id"] == first, "control"] = "ctrl"
    ex.loc[ex["experiment_id"] == first, "traffic_split"] = ""
    r = experiment_analysis(str(shapes.write_tables(data, tmp_path / "d")), **FAST)
    e = r[first]
    assert e.srm is None and e.left_out is not None
    assert "control variant 'ctrl' is not among its assigned variants" in e.left_out.render("en")
    assert r.check_lines()[1] == f"{first}: left out"
    assert without(r.check_lines(), first) == without(base_report.check_lines(), first)
    html = render(r)
    assert f"{first} could not be analysed" in html["en"] and chinese(html["zh"])


# --------------------------------------------------------------------------- other event names
def test_foreign_event_names_leave_the_metrics_out_with_one_line_per_event_set(tmp_path_factory):
    folder = _shape("foreign_event_names", tmp_path_factory)
    r = experiment_analysis(str(folder), segments=[])
    for e in r.experiments:
        assert e.verdict.decision == "no data"
        lines = [n.render("en") for n in e.notes]
        assert len(lines) == 3, lines
        assert lines[0].startswith("purchase_conversion, revenue_per_user, median_revenue_per_payer "
                                   "left out: its event(s) purchase never occur between ")
        assert "order_paid" in lines[0] and "check the metrics parameter" in lines[0]
        assert "check the guardrails parameter" in lines[2]
    render(r)
    # with the metrics renamed to the data's event names, every experiment is analysed
    params = shapes.rename_params({"metrics": [m.to_dict() for m in DEFAULT_METRICS]},
                                  shapes.read_renames(folder))
    r = experiment_analysis(str(folder), segments=[], **params)
    assert all(e.analysed for e in r.experiments)
