"""The report language ``lang=zh`` in the Channel ROI and competitor tracking reports.

Each builder runs on the sample data in Chinese and in English: the Chinese run's headline
labels, chart titles and generated sentences are Chinese, the English run is unchanged. One
report is run end to end with ``lang=zh`` and its HTML carries the Chinese markdown.
"""

from __future__ import annotations

import re

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from opsnb.channels import channel_roi  # noqa: E402
from opsnb.channels.present import plan_sentences  # noqa: E402
from opsnb.competitors import competitor_tracking, present  # noqa: E402
from opsnb.report import style  # noqa: E402
from opsnb.runner.run import run_report  # noqa: E402

from conftest import chinese  # noqa: E402


def titles(draw) -> list[str]:
    """Left titles of every axes ``draw()`` creates (in the current language)."""
    style.use_report_style()
    plt.close("all")
    draw()
    out = [ax.get_title(loc="left") for n in plt.get_fignums()
           for ax in plt.figure(n).axes if ax.get_visible()]
    plt.close("all")
    return out


# --------------------------------------------------------------------------- channel ROI
@pytest.fixture(scope="module")
def roi():
    return channel_roi(n_bootstrap=40)  # one report; the language is given when it is shown


def _roi_charts(r, lang):
    def draw():
        for key in ("economics", "attribution", "mmm", "budget"):
            r.show(key, lang)
    return draw


def test_channel_roi_english_unchanged(roi):
    r = roi
    labels = [lab for lab, _, _ in r.headline_items("en")]
    assert labels == ["Total spend", "Blended CAC", "Paid ROAS D30", "Best channel", "Worst channel",
                      "Reallocation"]
    notes = [note for _, _, note in r.headline_items("en")]
    assert notes[0] == "10,000 new users" and notes[2] == ("revenue of paid users in their first 30 "
                                                          "days / spend")
    assert plan_sentences(r.plan, "en")[0].startswith("Shift ¥")
    assert set(r.economics.display_frame("en")["payback"]) <= {"not yet", "–"} | {
        f"{n} days" for n in range(1, 400)}
    got = titles(_roi_charts(r, "en"))
    assert "Return on ad spend (ROAS) by channel and horizon" in got
    assert "Proposed budget by channel" in got
    assert not any(chinese(t) for t in got)


def test_channel_roi_chinese(roi):
    en_values = [v for _, v, _ in roi.headline_items("en")]
    r = roi
    items = r.headline_items("zh")
    assert all(chinese(lab) for lab, _, _ in items), items
    notes = [note for _, _, note in items]
    assert all(chinese(n) for n in notes[:3] + notes[5:]), notes  # 3, 4: 'D30 ROAS 66.3%'
    assert notes[3].startswith("D30 ROAS ")
    # the numbers are the same as in English
    assert [v for _, v, _ in items] == en_values
    sentences = plan_sentences(r.plan, "zh")
    assert all(chinese(s) for s in sentences), sentences
    assert r.warnings and all(chinese(w.render("zh")) for w in r.warnings)
    got = titles(_roi_charts(r, "zh"))
    assert len(got) >= 6
    assert all(chinese(t) for t in got), got
    table = r.comparison_table("zh").data
    assert "各方法下付费渠道的功劳占比" in table and "差异" in table and "background:" in table


# --------------------------------------------------------------------------- competitors
@pytest.fixture(scope="module")
def comp():
    return {lang: competitor_tracking(lang=lang) for lang in ("en", "zh")}


def _comp_charts(r, lang):
    def draw():
        r.plot_small_multiples(lang=lang)
        r.plot_share_of_voice(lang=lang)
        r.plot_quality(lang=lang)
    return draw


def test_competitor_tracking_english_unchanged(comp):
    r = comp["en"]
    items = r.headline_items("en")
    assert [lab for lab, _, _ in items] == [
        "Metrics we lead", "Metrics we trail", "Changes detected", "Anomalies", "Products tracked"]
    lead = r.headline()["metrics_we_lead"]
    assert items[0][1:] == (
        f"{len(lead)} of 7", ", ".join(r.panel.registry.get(m).title() for m in lead))
    assert "share of voice" in items[0][2]  # a label, not the raw key
    assert not any("_" in note for _, _, note in items[:2])
    sentences = present.alert_sentences(r, "en")
    assert re.match(r"Kivo price improved on 2026-06-15: from ¥139\.\d\d to ¥118\.\d\d, "
                    r"down 1[456]\.\d% \(lower is better\)", sentences[0])
    # category rank: lower is better, so the fall from about 31.7 to 20.0 is an improvement
    rank = [s for s in sentences if s.startswith("拼好物 category rank improved")]
    assert len(rank) == 1 and "from 31.7 to 20.0" in rank[0] and "(lower is better)" in rank[0]
    assert not any("rank fell" in s for s in sentences)
    al = present.alerts_frame(r, "en")
    assert set(al["against_us"]) == {"yes", "no"} and set(al["losing_metric"]) <= {"yes", "no"}
    assert all(re.fullmatch(r"\d+\.\d", s) for s in al["score"]), list(al["score"])
    assert list(al["sentence"]) == sentences
    sc = present.scorecard_frame(r, "en")
    # the sample data starts with the window: no previous period, so no column, and a note says why
    assert "window vs previous" not in sc.columns
    assert any(n.startswith("The scorecard has no 'window vs previous' column: the data starts on "
                            "2026-05-01") for n in r.notes("en"))
    assert not sc.apply(lambda c: c.astype(str).str.fullmatch(r"-0\.0+(%| pp)?")).any().any()
    assert sc.set_index("metric").loc["price", "week over week"] == "0.0%"
    assert set(r.swot.to_frame()["quadrant"]) == {"Strengths", "Weaknesses", "Opportunities",
                                                  "Threats"}
    assert list(sc.columns)[:3] == ["metric", "better", "ours"]
    assert r.notes("en")[0] == "Gaps: no gaps."
    got = titles(_comp_charts(r, "en"))
    assert "Share of voice" in got and "Price" in got
    assert not any(chinese(t) for t in got)
    # our own 2026-05-20 campaign is marked too: the caption must not call the markers
    # competitor events
    style.use_report_style()
    fig = r.plot_small_multiples()
    notes = [a.get_text() for ax in fig.axes for a in ax.texts]
    plt.close("all")
    assert any("▼: dated events (ours and competitors')" in n for n in notes)
    assert not any("competitor events" in n for n in notes)


def test_competitor_tracking_chinese(comp):
    en = comp["en"]
    r = comp["zh"]
    items = r.headline_items("zh")
    assert all(chinese(lab) for lab, _, _ in items), items
    assert all(chinese(val + note) for _, val, note in items[:2]), items
    sentences = present.alert_sentences(r, "zh")
    assert all(chinese(s) for s in sentences), sentences
    assert any("品类排名于" in s and "改善" in s and "越低越好" in s for s in sentences)
    al = present.alerts_frame(r, "zh")
    assert set(al["against_us"]) == {"是", "否"} and set(al["type"]) <= {"变化", "异常"}
    assert all(chinese(n) for n in r.notes("zh"))
    assert "声量份额" in items[0][2]
    sw = present.swot_frame(r, "zh")
    assert all(chinese(s) for s in sw["item"])
    assert set(sw["quadrant"]) == {"优势", "劣势", "机会", "威胁"}
    assert all(chinese(c) for c in present.scorecard_frame(r, "zh").columns)
    assert all(chinese(c) for c in present.changes_frame(r, "zh").columns)
    assert chinese(r.headline_title("zh"))
    # the numbers and structured fields stay the same and machine-readable, whatever the language
    assert set(r.alerts.to_frame()["type"]) <= {"change", "anomaly"}
    assert r.check_text() == en.check_text()
    assert r.parameters["lang"] == "zh"
    doc_zh, doc_en = r.summary(), en.summary()
    doc_zh["parameters"].pop("lang"), doc_en["parameters"].pop("lang")
    assert doc_zh == doc_en
    got = titles(_comp_charts(r, "zh"))
    assert len(got) >= 7
    assert all(chinese(t) for t in got), got


# --------------------------------------------------------------------------- end to end
def test_competitor_report_html_in_chinese(tmp_path):
    res = run_report("competitor_tracking", out=tmp_path, parameters={"lang": "zh"},
                     progress=False, echo=lambda m: None)
    assert res.ok, res.error
    html = res.html.read_text(encoding="utf-8")
    assert "竞品分析" in html            # the title cell's Chinese markdown
    assert "竞争力记分卡" in html        # a section heading
    assert "## Scorecard" not in html and ">Scorecard<" not in html
    assert "优先阅读" in html            # generated text in a code cell's output
    assert res.parameters["lang"] == "zh"


# --------------------------------------------------------------------------- experiments
def all_titles(draw) -> list[str]:
    """Every non-empty axes title (left and centre) and figure title ``draw()`` creates."""
    style.use_report_style()
    plt.close("all")
    draw()
    out = []
    for n in plt.get_fignums():
        fig = plt.figure(n)
        if fig._suptitle is not None and fig._suptitle.get_text():
            out.append(fig._suptitle.get_text())
        for ax in fig.axes:
            if ax.get_visible():
                out += [t for t in (ax.get_title(loc="left"), ax.get_title()) if t]
    plt.close("all")
    return out


@pytest.fixture(scope="module")
def exp():
    from opsnb.experiments import experiment_analysis
    return {lang: experiment_analysis(lang=lang) for lang in ("en", "zh")}


def _exp_charts(r, lang="en"):
    def draw():
        for e in r.experiments:
            e.plot_forest(lang=lang)
            e.plot_chance_to_win(lang=lang)
            for s in e.sequential:
                s.plot(lang=lang)
            if e.segments is not None:
                for comp in e.segments.table["comparison"].unique():
                    e.segments.plot(comp, lang=lang)
    return draw


def test_experiment_analysis_english_unchanged(exp):
    from opsnb.experiments import present
    r = exp["en"]
    e = r["exp_checkout_v2"]
    items = present.experiment_items(e, "en")
    assert [lab for lab, _, _ in items] == ["Verdict", "purchase_conversion: treatment vs control",
                                            "Chance to beat control (treatment)", "Sample ratio"]
    assert items[0][1] == e.verdict.decision.upper() and items[3][1] == "ok"
    assert items[0][2] == f"winner: {e.verdict.winner}" and e.verdict.winner == "treatment"
    # the planted x1.30 purchase probability: significant after adjustment
    m = re.fullmatch(r"[+-][0-9.]+% to [+-][0-9.]+%; adj\. p (0\.[0-9]+)", items[1][2])
    assert m and float(m.group(1)) < 0.05, items[1][2]
    assert present.title(e, "en") == "One-page checkout (exp_checkout_v2), 2026-08-01 – 2026-08-28"
    assert present.reasons(e, "en")[0].startswith("purchase_conversion: treatment vs control wins (+")
    push = r["exp_push_copy"]
    assert present.srm_message(push.srm, "en").startswith("Sample ratio mismatch (chi-square p = ")
    assert present.experiment_items(push, "en")[3][1] == "MISMATCH"
    assert present.display_table(e, "en")["metric"].iloc[0] == "purchase_conversion (primary)"
    assert list(present.power_table(e, "en")["powered"].unique()) == ["no"]
    assert set(present.guardrail_table(e, "en")["status"]) <= {"safe", "breached", "inconclusive"}
    assert r.headline_title("en") == "Experiment analysis, 2026-05-01 – 2026-10-31"
    got = titles(_exp_charts(r))
    assert "exp_checkout_v2: relative effect per metric" in got
    assert "exp_checkout_v2: chance to beat control" in got
    assert not any(chinese(t) for t in got)


def test_experiment_analysis_chinese(exp):
    from opsnb.experiments import present
    en = exp["en"]
    r = exp["zh"]
    assert r.parameters["lang"] == "zh"
    for e in r.experiments:
        items = present.experiment_items(e, "zh")
        assert all(chinese(lab) for lab, _, _ in items), items
        assert all(chinese(note) for _, _, note in items[1:]), items
        # the numbers are the same as in English
        en_items = present.experiment_items(en[e.experiment_id], "en")
        assert [v for _, v, _ in items][1:-1] == [v for _, v, _ in en_items][1:-1]
        assert items[0][1] in {"上线", "不上线", "继续观察", "无效"}
        assert all(chinese(x) for x in present.reasons(e, "zh")), present.reasons(e, "zh")
        assert chinese(present.title(e, "zh"))
        assert all(chinese(c) for c in present.display_table(e, "zh")["interval"] if c != "–")
    push = r["exp_push_copy"]
    assert present.experiment_items(push, "zh")[0][1] == "无效"
    assert "样本比例失衡" in present.srm_message(push.srm, "zh")
    assert set(present.srm_table(r.experiments, "zh")["flagged"]) == {"正常", "失衡"}
    assert r.headline_title("zh") == "实验分析，2026-05-01 – 2026-10-31"
    assert all(chinese(lab) for lab in (r.headline_items("zh")[0][1],))
    # the machine-readable fields stay English
    assert r.headline()["verdicts"] == en.headline()["verdicts"]
    assert set(r.headline()["verdicts"].values()) <= {"ship", "don't ship", "keep running", "invalid"}
    assert r.check_lines() == en.check_lines()
    assert r.sections()["experiments"]["exp_push_copy"]["verdict"]["reasons"] == \
        en.sections()["experiments"]["exp_push_copy"]["verdict"]["reasons"]
    got = titles(_exp_charts(r, "zh"))
    assert len(got) >= 8
    assert all(chinese(t) for t in got), got


# --------------------------------------------------------------------------- personas
@pytest.fixture(scope="module")
def personas():
    from opsnb.personas import persona_clustering
    return {lang: persona_clustering(n_boot=3, lang=lang) for lang in ("en", "zh")}


def _persona_charts(r, lang):
    def draw():
        r.selection.plot(lang=lang)
        r.stability.plot(lang=lang)
        r.profiles.plot_lift(features=r.model_features, lang=lang)
        r.profiles.plot_snake(lang=lang)
        r.plot_map(lang=lang)
        r.profiles.plot_makeup("channel", lang=lang)
        r.profiles.plot_makeup("age_band", lang=lang)
        r.rfm.plot(lang=lang)
    return draw


def test_persona_clustering_english_unchanged(personas):
    from opsnb.personas.present import k_reason
    r = personas["en"]
    assert [lab for lab, _, _ in r.headline_items("en")] == [
        "Users profiled", "Personas", "Stable personas", "Largest persona", "Customers (RFM)"]
    assert r.headline_items("en")[4][2] == "users with an order in the window"
    names = list(r.profiles.names("en").values())
    assert "Night-owl heavy content fans" in names
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z \-()0-9]*", n) for n in names), names
    assert k_reason(r.selection, "en").startswith("k = ")
    assert "Champions" in set(r.rfm.table["segment"])
    acts = r.action_table("en")
    assert list(acts.columns) == ["persona", "name", "users", "main RFM segment", "what to do"]
    assert not any(chinese(x) for x in acts["what to do"])
    got = all_titles(_persona_charts(r, "en"))
    assert "Map of users by persona" in got and "RFM segments" in got
    assert not any(chinese(t) for t in got)


def test_persona_clustering_chinese(personas):
    from opsnb.personas.present import k_reason
    from opsnb.personas.rfm import rule_display
    en = personas["en"]
    r = personas["zh"]
    items = r.headline_items("zh")
    assert all(chinese(lab) for lab, _, _ in items), items
    assert all(chinese(note) for _, _, note in items), items
    assert [v for _, v, _ in items] == [v for _, v, _ in en.headline_items("zh")]
    assert all(chinese(n) for n in r.profiles.names("zh").values())
    assert all(chinese(d) for d in r.profiles.descriptions("zh").values())
    assert chinese(k_reason(r.selection, "zh"))
    pt = r.persona_table("zh")
    assert set(pt["verdict"]) <= {"稳定", "存疑", "较弱", "不成立"}
    acts = r.action_table("zh")
    assert all(chinese(x) for x in acts["what to do"])
    assert all(chinese(s) for s in acts["main RFM segment"] if s != "–")
    assert "重要价值客户" in set(rule_display(r.rfm.rules, "zh")["segment"])
    assert all(chinese(m) for m in r.who_is_in_the_data("zh")["measure"])
    # the machine-readable fields stay English: RFM segment keys and persona ids
    assert set(r.rfm.table["segment"]) == set(en.rfm.table["segment"])
    assert list(r.assignments["persona"]) == list(en.assignments["persona"])
    segments = [x.sections()["rfm_segments"]["segment"].tolist() for x in (r, en)]
    assert segments[0] == segments[1]
    # one run, both languages: the computation does not depend on the language
    assert r.check_text() == en.check_text()
    got = all_titles(_persona_charts(r, "zh"))
    assert len(got) >= 10
    assert all(chinese(t) for t in got), got
    over = r.profiles.over_represented_table(lang="zh")
    assert len(over) and all(chinese(a) for a in over["attribute"])
    plt.close("all")
    ax = r.profiles.plot_makeup("age_band", lang="zh")
    assert ax.get_legend().get_title().get_text() == "年龄段"
    plt.close("all")
