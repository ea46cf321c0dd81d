"""The report language ``lang=zh`` in the cohort retention report.

The builder runs on the sample data in Chinese and in English: the Chinese run's headline
labels, chart titles, definitions and axis labels are Chinese, the English run is unchanged,
and the machine-readable parts (summary sections, CI check lines) stay English.
"""

from __future__ import annotations

import re

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from opsnb.report import style  # noqa: E402
from opsnb.retention import present  # noqa: E402
from opsnb.retention.report import cohort_retention  # noqa: E402
from opsnb.retention.spec import RetentionSpec  # noqa: E402

from conftest import chinese  # noqa: E402


@pytest.fixture(scope="module")
def report():
    return cohort_retention()


def charts(r, lang: str) -> list[dict]:
    """Title, definition, axis labels and legend of every chart, drawn in ``lang``."""
    try:
        style.use_report_style()
        plt.close("all")
        present.plot_heatmap(r.matrix, lang)
        present.plot_curves(r.matrix, lang)
        present.plot_ltv(r.matrix, lang)
        present.plot_lifecycle(r.lifecycle, lang)
        present.plot_survival(r.survival, lang)
        present.plot_calibration(r.churn, lang)
        out = []
        for n in plt.get_fignums():
            for ax in plt.figure(n).axes:
                title = ax.get_title(loc="left")
                if not title:
                    continue  # the heatmap's colour bar
                leg = ax.get_legend()
                out.append({"title": title,
                            "definition": " ".join(t.get_text() for t in ax.texts
                                                   if len(t.get_text()) > 20),
                            "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                            "legend_title": leg.get_title().get_text() if leg else "",
                            "legend": [t.get_text() for t in leg.get_texts()] if leg else []})
        return out
    finally:
        plt.close("all")


def test_retention_english_unchanged(report):
    r = report
    items = r.headline_items("en")
    assert [lab for lab, _, _ in items] == [
        "Users in cohorts", "D1 retention", "D7 retention", "D30 retention",
        "Quick ratio (week of 2026-10-19)", "Active users at risk"]
    assert items[1][2].endswith(" vs the previous 4 cohorts")
    assert items[4][2] == "(new + resurrecting) / dormant; above 1 the base grows"
    assert items[5][2].startswith("churn model hold-out AUC 0.")
    assert present.describe(r.spec) == (
        "Cohort: users by the week of their first event; returned = any event in day k; rolling "
        "days (24 h each) measured from each user's start; rate = share of the cohort.")
    got = charts(r, "en")
    titles = [c["title"] for c in got]
    assert titles == ["Retention by cohort", "Retention curve by channel",
                      "Cumulative revenue per user (cohort LTV)",
                      "Lifecycle of active users per week",
                      "Share of users not yet churned (Kaplan-Meier)",
                      titles[-1]]
    assert titles[-1].startswith("Churn model on the held-out window (AUC 0.")
    heat, curve, _, life, surv, _ = got
    assert heat["xlabel"] == "day after start" and heat["ylabel"] == "cohort (week of start)"
    assert ("Blank cells have not fully elapsed yet (or the cohort is empty); they are not zero. "
            "The colour scale is fitted to the periods after the first.") in heat[
        "definition"].replace("\n", " ")
    assert curve["legend_title"] == "channel"
    assert life["legend"] == ["new", "returning", "resurrecting", "dormant (below zero)"]
    assert surv["xlabel"] == "days since start"
    # the sample's segments differ strongly: p is far below 0.001 and shown as such
    assert "Log-rank test between segments: p < 0.001." in surv["definition"].replace("\n", " ")
    assert "e-" not in surv["definition"]
    for c in got:
        assert not any(chinese(c[k]) for k in ("title", "definition", "xlabel", "ylabel",
                                                "legend_title")), c


def test_retention_chinese(report):
    r = report
    en_items = r.headline_items("en")
    en_check = r.check_lines()
    zh_items = r.headline_items("zh")
    assert all(chinese(lab) for lab, _, _ in zh_items), zh_items
    assert [lab for lab, _, _ in zh_items][1:4] == ["次日留存率", "7日留存率", "30日留存率"]
    assert all(chinese(note) for _, _, note in zh_items[1:]), zh_items
    # the numbers are the same as in English
    assert [v for _, v, _ in zh_items] == [v for _, v, _ in en_items]
    got = charts(r, "zh")
    assert len(got) == 6
    for c in got:
        assert chinese(c["title"]) and chinese(c["definition"]), c
    heat, curve, ltv, life, surv, cal = got
    assert heat["title"] == "同期群留存率"
    assert "LTV" in ltv["title"] and "生存曲线" in surv["title"]
    for c in (heat, ltv, surv, cal):
        assert chinese(c["xlabel"]), c
    assert chinese(heat["ylabel"]) and chinese(cal["ylabel"])
    assert curve["legend_title"] == "渠道"
    assert life["legend"] == ["新增", "留存", "回流", "流失（零线以下）"]
    assert all(chinese(lab) for lab in cal["legend"])
    assert "p < 0.001" in surv["definition"] and "分组间" in surv["definition"]
    # the machine-readable parts stay English
    assert r.check_lines() == en_check
    sec = r.sections()
    assert sec["spec"] == r.spec.to_dict()
    assert set(sec["lifecycle"].columns) >= {"new", "returning", "resurrecting", "dormant"}
    assert list(r.headline()["retention"]) == ["D1", "D7", "D30"]


@pytest.mark.parametrize("kw", [
    {"start_event": "signup", "window": "calendar", "brackets": [1, "2-3"]},
    {"start_event": "purchase", "return_event": "purchase", "counting": "on_or_after"},
    {"start_event": "purchase", "cohort_entry": "recurring", "window": "calendar",
     "period": "week"},
    {"period": "month", "window": "calendar", "reference": "previous_period"},
])
def test_definition_built_from_translated_pieces(kw):
    spec = RetentionSpec.make(**kw)
    en = present.describe(spec, "en")
    zh = present.describe(spec, "zh")
    assert en.startswith("Cohort: users by the ") and not chinese(en)
    assert zh.startswith("同期群：") and zh.endswith("。")
    # only event names (data) stay in Latin letters
    assert not re.search(r"[A-Za-z]{3,}", zh.replace("purchase", "").replace("UTC", "")), zh


def test_retention_tables_readable_headers_and_days(report):
    r = report
    html = present.survival_table(r.survival, "en").data
    assert "median lifetime days" in html
    med = r.survival.segment_table()["median_lifetime_days"].dropna()
    assert (med == med.round()).all()  # whole days on the sample: shown without decimals
    assert not re.search(r">\d+\.00<", html)
    en = present.at_risk_table(r.churn, "en", top=5).data
    assert "revenue, last 90 days" in en and "active days, last 28 days" in en
    zh = present.at_risk_table(r.churn, "zh", top=5).data
    assert "近 90 天收入" in zh and "近 28 天活跃天数" in zh
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", zh)
    assert all(chinese(c) or c == "用户 ID" for c in heads), heads
