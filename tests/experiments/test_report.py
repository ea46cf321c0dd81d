"""opsnb.experiments.report: planted truth on the sample data, bad input on small fixtures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsnb.errors import DataError, ParameterError
from opsnb.experiments import present
from opsnb.experiments.report import experiment_analysis

from conftest import write_tables

ONE = [{"name": "conv", "kind": "proportion", "event": "purchase"}]


@pytest.fixture(scope="module")
def sample_report():
    return experiment_analysis(None, segments=["channel", "device"])


def test_planted_checkout_effect_is_found_inside_the_interval(sample_report, truth):
    ate = truth["experiments"]["exp_checkout_v2"]["sample_ate"]
    e = sample_report["exp_checkout_v2"]
    for eff in e.effects + e.cuped_effects:
        key = {"purchase_conversion": "conversion", "revenue_per_user": "revenue_per_user"}.get(eff.metric)
        if key is None:
            continue
        assert eff.abs_effect > 0, eff
        assert eff.abs_lo <= ate[f"{key}_abs_effect"] <= eff.abs_hi, eff
        assert eff.rel_lo <= ate[f"{key}_rel_effect"] <= eff.rel_hi, eff
    revenue = [x for x in e.decision_effects() if x.metric == "revenue_per_user"][0]
    assert revenue.significant
    # the planted 1.3 x purchase probability shows in orders per session
    ops = [x for x in e.effects if x.metric == "orders_per_session"][0]
    assert ops.rel_effect > 0 and ops.significant
    assert not e.srm.flagged
    assert e.variants == ("control", "treatment")
    planted = truth["experiments"]["exp_checkout_v2"]["assigned_users"]
    assert e.srm.observed == (planted["control"], planted["treatment"])


def test_planted_srm_is_flagged_and_the_verdict_is_invalid(sample_report, truth):
    e = sample_report["exp_push_copy"]
    t = truth["experiments"]["exp_push_copy"]
    assert e.srm.flagged and e.srm.p_value < 1e-4
    assert dict(zip(e.srm.variants, e.srm.observed)) == t["assigned_users"]
    assert e.verdict.decision == "invalid"
    assert [r.code for r in e.verdict.reasons] == ["srm", "fix_assignment"]
    assert "mismatch" in present.reasons(e, "en")[0].lower()


def test_three_arm_test_without_effect(sample_report, truth):
    e = sample_report["exp_onboarding_tips"]
    assert e.treatments == ["tips_a", "tips_b"]
    assert not e.srm.flagged
    assert dict(zip(e.srm.variants, e.srm.observed)) == truth["experiments"]["exp_onboarding_tips"][
        "assigned_users"]
    assert e.verdict.decision != "ship"
    prim = e.primary_effects()
    assert len(prim) == 2 and all(not x.significant for x in prim)
    # adjusted p-values: Holm over every metric x comparison of the experiment
    from statsmodels.stats.multitest import multipletests
    judged = e.decision_effects()
    np.testing.assert_allclose([x.p_adjusted for x in judged],
                               multipletests([x.p_value for x in judged], method="holm")[1], atol=1e-12)
    assert set(e.segments.table["attribute"]) == {"channel", "device"}
    assert len(e.sequential) == 2


def test_summary_sections_are_json_ready(sample_report):
    import json

    from opsnb.report.summary import to_jsonable
    doc = to_jsonable(sample_report.sections())
    json.dumps(doc, allow_nan=False)
    row = doc["experiments"]["exp_checkout_v2"]["results"][0]
    for k in ("n_control", "mean_control", "abs_effect", "rel_lo", "rel_hi", "p_value", "p_adjusted",
              "variance_reduction", "srm_p_value", "chance_to_beat_control", "verdict"):
        assert k in row


# --------------------------------------------------------------------------- fixtures with bad input
def _fixture(tmp_path, *, control="control", split="control:0.5,treatment:0.5", variants=None,
             event="purchase", all_buy=False, seed=0):
    rng = np.random.default_rng(seed)
    n = 200
    uid = [f"u{i:03d}" for i in range(n)]
    users = pd.DataFrame({"user_id": uid, "signup_at": "2026-01-01 00:00:00", "channel": "organic",
                          "campaign": "", "region": "east", "device": "ios", "age_band": "25-34",
                          "gender": ""})
    arms = variants if variants is not None else np.where(np.arange(n) % 2 == 0, "control", "treatment")
    asg = pd.DataFrame({"experiment_id": "exp1", "user_id": uid, "variant": arms,
                        "assigned_at": "2026-02-01 10:00:00"})
    ev = [(u, "2026-02-01 10:00:00", "session_start", 0.0) for u in uid]
    buyers = uid if all_buy else [u for u in uid if rng.random() < 0.4]
    ev += [(u, "2026-02-02 12:00:00", event, 10.0) for u in buyers]
    events = pd.DataFrame(ev, columns=["user_id", "event_at", "event", "revenue"])
    exps = pd.DataFrame([{"experiment_id": "exp1", "name": "Test", "control": control,
                          "start": "2026-02-01", "end": "2026-02-10", "primary_metric": "conv",
                          "hypothesis": "", "traffic_split": split}])
    return write_tables(tmp_path / "d", users=users, events=events, assignments=asg, experiments=exps)


def _run(path, **kw):
    kw.setdefault("metrics", ONE)
    return experiment_analysis(str(path), guardrails=[], segments=[], **kw)


def test_small_fixture_matches_a_direct_count(tmp_path):
    r = _run(_fixture(tmp_path))
    e = r["exp1"].effects[0]
    assert (e.n_control, e.n_treatment) == (100, 100)
    # the fixture draws buyers with the same generator; count them directly
    rng = np.random.default_rng(0)
    buys = np.array([rng.random() < 0.4 for _ in range(200)])
    assert e.mean_control == pytest.approx(buys[0::2].mean())
    assert e.mean_treatment == pytest.approx(buys[1::2].mean())


def test_user_in_two_variants_is_a_data_error(tmp_path):
    path = _fixture(tmp_path)
    asg = pd.read_csv(path / "assignments.csv")
    extra = asg.iloc[[0]].assign(variant="treatment")
    pd.concat([asg, extra]).to_csv(path / "assignments.csv", index=False)
    with pytest.raises(DataError, match="more than one variant"):
        _run(path)


def _left_out(r) -> str:
    """The one experiment of a fixture run could not be analysed: the line that says why."""
    e = r["exp1"]
    assert e.srm is None and e.left_out is not None and r.check_lines()[1] == "exp1: left out"
    for key in ("balance", "effects", "power"):  # every section says so in one line
        assert any("exp1 could not be analysed" in b.data for b in r.show(key, "en"))
    return e.left_out.render("en")


def test_unknown_control_name(tmp_path):
    line = _left_out(_run(_fixture(tmp_path, control="ctrl", split="")))
    assert "control variant 'ctrl' is not among its assigned variants" in line
    assert "Fix: set experiments.control to the name used in assignments.variant." in line


def test_variant_with_zero_users(tmp_path):
    path = _fixture(tmp_path, variants=["control"] * 200)
    assert "treatment have zero assigned users" in _left_out(_run(path))


def test_metric_event_that_never_occurs(tmp_path):
    r = _run(_fixture(tmp_path), metrics=[{"name": "conv", "kind": "proportion", "event": "checkout"}])
    e = r["exp1"]
    assert e.verdict.decision == "no data" and not e.effects
    (note,) = [n.render("en") for n in e.notes]
    assert note.startswith("conv left out: its event(s) checkout never occur between 2026-02-01 and ")
    assert "check the metrics parameter against the event names in the data (purchase, " \
           "session_start)" in note
    assert any("exp1: no metric could be computed" in b.data for b in r.show("power", "en"))


def test_all_zero_variance(tmp_path):
    r = _run(_fixture(tmp_path, all_buy=True), cuped_days=0)
    e = r["exp1"]
    assert e.verdict.decision == "no data"
    notes = [n.render("en") for n in e.notes]
    assert any(n.startswith("conv left out: ") and "zero variance" in n for n in notes), notes
    assert "CUPED not applied: cuped_days is 0, so the effects are unadjusted." in notes


def test_bad_parameters(tmp_path):
    path = _fixture(tmp_path)
    with pytest.raises(ParameterError, match="correction"):
        _run(path, correction="bonferroni")
    with pytest.raises(ParameterError, match="kind"):
        _run(path, metrics=[{"name": "x", "kind": "median", "event": "purchase"}])
    with pytest.raises(ParameterError, match="experiment_id"):
        _run(path, experiment_id="nope")


# --------------------------------------------------------------------------- display
def test_p_value_and_probability_formatting():
    from opsnb.report.fmt import p_value, probability
    assert p_value(0.00004) == "<0.001"
    assert p_value(0.028) == "0.028"
    assert p_value(1.0) == "1.00"
    assert p_value(0.27) == "0.27"
    assert p_value(0.0049) == "0.005"
    assert p_value(float("nan")) == "–" and p_value(None) == "–"
    assert probability(0.99996) == ">99.9%" and probability(0.965) == "96.5%"
    assert probability(0.00004) == "<0.1%" and probability(0.0) == "0.0%"
    assert probability(0.00003, 2) == "<0.01%"


def _chart_texts(ax) -> list[str]:
    """The title and every text on the axes (the definition under the title, labels, stamps)."""
    return [ax.get_title(loc="left")] + [t.get_text() for t in ax.texts]


def _all_charts(e):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    axes = [e.plot_forest(), e.plot_chance_to_win(), *(s.plot() for s in e.sequential)]
    if e.segments is not None:
        axes += [e.segments.plot(c) for c in e.segments.table["comparison"].unique()]
    out = [(ax, _chart_texts(ax)) for ax in axes]
    plt.close("all")
    return out


def test_invalid_experiment_charts_say_so(sample_report):
    from matplotlib.colors import to_hex

    from opsnb.experiments.marks import INVALID_COLOR
    push = sample_report["exp_push_copy"]
    assert push.invalid and push.invalid_note().startswith("INVALID: sample ratio mismatch")
    assert push.invalid_code == "srm" and push.invalid_note("zh").startswith("无效：样本比例失衡")
    charts = _all_charts(push)
    assert len(charts) >= 4
    for _, texts in charts:
        assert any(t.startswith("INVALID: sample ratio mismatch — do not read the effects")
                   for t in texts), texts
    # chance to beat control: every bar grey, no green "winner"
    bars = charts[1][0].patches
    assert bars and {to_hex(b.get_facecolor()) for b in bars} == {INVALID_COLOR}
    ok = sample_report["exp_checkout_v2"]
    assert not ok.invalid and ok.invalid_note() == ""
    for _, texts in _all_charts(ok):
        assert not any("INVALID" in t for t in texts), texts


def test_every_chart_title_names_its_experiment(sample_report):
    titles = []
    for e in sample_report.experiments:
        for _, texts in _all_charts(e):
            assert texts[0].startswith(f"{e.experiment_id}: "), texts[0]
            titles.append(texts[0])
    assert len(titles) == len(set(titles))
    assert "exp_checkout_v2: purchase_conversion, treatment vs control, cumulative by day" in titles
    assert "exp_checkout_v2: purchase_conversion by segment, treatment vs control" in titles


def test_chance_labels_stay_inside_the_plot(sample_report):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    for e in sample_report.experiments:
        ax = e.plot_chance_to_win()
        fig = ax.figure
        fig.canvas.draw()
        box = ax.get_window_extent()
        labels = [t for t in ax.texts if "expected loss" in t.get_text()]
        assert labels
        for t in labels:
            bb = t.get_window_extent()
            assert box.x0 - 1 <= bb.x0 and bb.x1 <= box.x1 + 1, t.get_text()
            assert "100.0%" not in t.get_text() and "(expected loss 0.00%)" not in t.get_text()
        plt.close(fig)


def test_tables_are_readable_in_english(sample_report):
    bal = present.balance_table(sample_report.experiments, "en")
    assert set(bal["balanced"]) <= {"yes", "no"}
    assert all(isinstance(p, str) and p != "0.00" for p in bal["p_value"])
    assert "p < 0.001" in present.balance_caption(14, "en")
    srm_p = present.srm_table(sample_report.experiments, "en").set_index(
        ["experiment", "variant"])["chi_square_p"]
    assert srm_p[("exp_push_copy", "control")] == "<0.001"
    e = sample_report["exp_onboarding_tips"]
    assert set(present.power_table(e, "en")["powered"]) <= {"yes", "no"}
    d = present.display_table(e, "en")
    assert "1" not in set(d["adjusted_p"]) and "1.00" in set(d["adjusted_p"])
    g = present.guardrail_table(e, "en")
    for col in ("relative_change", "relative_change_low", "relative_change_high", "p (non-inferiority)"):
        assert col in g.columns
    assert not {"rel_lo", "rel_hi", "p_non_inferiority"} & set(g.columns)
    items = present.experiment_items(e, "en")
    assert items[1][2].endswith("adj. p 1.00"), items[1][2]
    assert "chi-square p <0.001" in present.experiment_items(sample_report["exp_push_copy"],
                                                             "en")[-1][2]


def test_persona_note_once_under_segments():
    r = experiment_analysis(None, segments=["device", "persona"])
    note = "the users table has no persona column; no persona breakdown."
    shown = [b.data for b in r.show("segments", "en") if hasattr(b, "data")]
    assert sum(note in x for x in shown) == 1
    assert all(note not in n.render("en") for e in r.experiments for n in e.notes)
    assert note in r.experiments[0].to_dict()["notes"]  # summary.json keeps it


def test_daily_charts_label_the_effect_in_its_unit(sample_report):
    """The primary metric's daily chart: a conversion difference in percentage points."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    e = sample_report["exp_checkout_v2"]
    seen = set()
    for s in e.sequential:
        ax = s.plot()
        ax.figure.canvas.draw()
        lo, hi = ax.get_ylim()
        labels = [t.get_text() for y, t in zip(ax.get_yticks(), ax.get_yticklabels()) if lo <= y <= hi]
        plt.close("all")
        if s.metric == "purchase_conversion":
            assert all(lab == "0 pp" or lab.endswith(" pp") for lab in labels), labels
            assert any(lab.startswith("+") for lab in labels)
            seen.add("pp")
    assert seen == {"pp"}
