"""The feedback report on the sample against its planted truth, and on awkward hand-made data."""

from __future__ import annotations

import json
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from opsnb.errors import ParameterError  # noqa: E402
from opsnb.feedback import feedback_sample_dir, user_feedback  # noqa: E402
from opsnb.feedback.topics import agreement  # noqa: E402
from opsnb.report import style  # noqa: E402

from conftest import chinese  # noqa: E402


@pytest.fixture(scope="module")
def truth():
    return json.loads((feedback_sample_dir() / "truth.json").read_text(encoding="utf-8"))[
        "feedback"]


def shown(report, lang):
    style.use_report_style()
    plt.close("all")
    titles, texts = [], []
    for s in report.SECTIONS:
        for b in report.show(s.key, lang):
            if hasattr(b, "axes"):
                titles += [ax.get_title(loc="left") for ax in b.axes if ax.get_visible()]
            elif hasattr(b, "data"):
                texts.append(b.data)
    plt.close("all")
    return titles, texts


# --------------------------------------------------------------------------- planted truth
def test_topics_recover_the_planted_topics(sample_report, sample_feedback):
    r = sample_report
    rows = r.rows.merge(sample_feedback[["feedback_id", "topic"]].rename(
        columns={"topic": "planted"}), on="feedback_id")
    rows = rows[~rows["empty"]]
    a = agreement(rows["topic_id"].to_numpy(), rows["planted"].to_numpy())
    assert a["ari"] >= 0.7 and a["purity"] >= 0.7, a          # measured: ARI 0.86, purity 0.97
    assert r.model.chosen_by == "stability" and 7 <= r.model.k <= 12
    # the analysts' topic_label (a third of the rows) gives the same verdict inside the report
    assert r.topic_agreement["ari"] >= 0.7


def test_crisis_found_on_the_planted_day(sample_report, truth):
    r = sample_report
    day = truth["crisis"]["date"]
    assert r.crisis_days()[0] == day
    top = r.alerts[0]
    assert (top.series, f"{top.start:%Y-%m-%d}", top.kind) == ("支付失败", day, "taxonomy")
    assert top.ratio > 4
    h = r.headline()
    assert h["crisis_flag"] is True and h["crisis_first_day"] == day
    # before the release nothing of the kind
    assert all(a.start >= pd.Timestamp(truth["crisis"]["release"]) for a in r.alerts
               if a.series == "支付失败")


def test_sentiment_cross_validated(sample_report, truth):
    s = sample_report.sent
    assert s.method == "classifier" and s.folds == 5
    assert s.accuracy >= 0.85 and s.f1_macro >= 0.85           # measured: 0.998 on generated text
    assert s.n_labelled == pytest.approx(truth["rows"] * truth["labelled_share"], rel=0.1)


def test_service_matches_the_planted_breach(sample_report, truth):
    r = sample_report
    planted = truth["service"]["sources"]
    assert r.worst_source()["group"] == truth["service"]["breach_source"] == "social"
    t = r.service.table
    first = t[(t["group_by"] == "source") & (t["measure"] == "first_response")].set_index("group")
    assert first.loc["social", "within_sla"] == pytest.approx(
        planted["social"]["share_first_response_within_sla"], abs=0.06)
    assert first.loc["support", "within_sla"] > 0.97
    assert first.loc["support", "median"] == pytest.approx(
        planted["support"]["first_response_median_hours"], rel=0.2)
    assert first.loc["social", "median"] == pytest.approx(
        planted["social"]["first_response_median_hours"], rel=0.15)
    assert set(r.service.sources) == {"social", "support"}
    assert first["open"].sum() > 0          # tickets open at the data end are kept, censored


def test_empty_texts_counted_and_export(sample_report, truth):
    r = sample_report
    h = r.headline()
    assert h["empty_texts"] == truth["awkward"]["empty_texts"]
    assert h["analysed_texts"] + h["empty_texts"] == h["feedback"] == truth["rows"]
    out = pd.read_csv(r.export_file, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(out) == truth["rows"]
    assert (out["empty_text"] == "True").sum() == h["empty_texts"]
    assert out["text"].str.contains("<script>alert('x')</script>", regex=False).sum() == 1
    assert out["text"].str.len().max() == 10_000
    assert set(out["sentiment"]) == {"negative", "neutral", "positive", ""}


def test_summary_and_languages(sample_report):
    r = sample_report
    doc = json.loads(json.dumps(r.summary(), allow_nan=False, default=str))
    assert doc["headline"]["crisis_first_day"] == r.crisis_days()[0]
    assert not doc["sections_skipped"]
    en_titles, en_texts = shown(r, "en")
    zh_titles, zh_texts = shown(r, "zh")
    assert "Negative feedback per day and the crisis flag" in en_titles
    assert all(chinese(t) for t in zh_titles), zh_titles
    assert all(chinese(lab) for lab, _, _ in r.headline_items("zh"))
    assert [v for _, v, _ in r.headline_items("en")][0] == [
        v for _, v, _ in r.headline_items("zh")][0]
    page = " ".join(en_texts)
    assert "<script" not in page and "<img" not in page      # quotes are escaped text
    assert any("Observational" in t for t in en_texts)


def test_behaviour_links_users(sample_report):
    r = sample_report
    assert set(r.segments) == {"channel", "device", "region"}
    seg = r.segments["channel"]
    # every feedback row with a known user counts once (the sample's user ids all exist)
    assert seg["feedback"].sum() == r.rows["user_id"].notna().sum()
    assert seg["users"].sum() == 10_000
    rt = r.retention
    assert rt.n_treated > 100 and rt.strata > 10
    assert rt.table["rate"].between(0, 1).all()


# --------------------------------------------------------------------------- awkward data
AWKWARD = [
    ("f01", "2026-03-01 09:00:00", "app_review", "App 一打开就闪退 crash again 😡😡"),
    ("f02", "2026-03-01 10:00:00", "support", ""),
    ("f03", "2026-03-01 11:00:00", "social", "<b>支付失败</b><script>alert('x')</script>"),
    ("f04", "2026-03-02 09:00:00", "survey", "更新后频繁崩溃，" * 1250),
    ("f05", "2026-03-02 10:00:00", "app_review", "=HYPERLINK(\"http://x\") 很好用 👍"),
    ("f06", "2026-03-02 11:00:00", "support", "   "),
    ("f07", "2026-03-03 09:00:00", "social", "login failed, 登录不上去"),
]


def test_awkward_text_in_a_gbk_csv(tmp_path):
    d = tmp_path / "gbk"
    d.mkdir()
    fb = pd.DataFrame(AWKWARD, columns=["feedback_id", "created_at", "source", "text"])
    raw = fb.to_csv(index=False).replace("😡😡", "").replace(" 👍", "")  # GBK has no emoji
    (d / "feedback.csv").write_bytes(raw.encode("gbk"))
    with pytest.raises(UnicodeDecodeError):
        (d / "feedback.csv").read_bytes().decode("utf-8")
    r = user_feedback(str(d), export_path=str(tmp_path / "out.csv"))
    h = r.headline()
    assert (h["feedback"], h["empty_texts"], h["analysed_texts"]) == (7, 2, 5)
    assert r.sent.method == "lexicon" and r.sent.reason == "no labelled texts"
    assert r.rows.set_index("feedback_id").loc["f04", "text"].startswith("更新后频繁崩溃")
    assert len(r.rows.set_index("feedback_id").loc["f04", "text"]) == 10_000
    assert r.rows.set_index("feedback_id")["tag"].to_dict()["f03"] == "支付失败"
    # too few texts for topics, no response columns, no users: each says why, the rest runs
    assert {"topics", "service", "behaviour"} <= set(r.skipped)
    assert "users" in r.skipped["behaviour"].render("en")
    _, texts = shown(r, "en")
    page = " ".join(texts)
    assert "&lt;b&gt;支付失败&lt;/b&gt;" in page and "<script>" not in page
    out = pd.read_csv(tmp_path / "out.csv", encoding="utf-8-sig", dtype=str)
    assert out.set_index("feedback_id").loc["f05", "text"].startswith("'=HYPERLINK")


def test_emoji_and_mixed_text_in_utf8(tmp_path):
    d = tmp_path / "utf8"
    d.mkdir()
    pd.DataFrame(AWKWARD, columns=["feedback_id", "created_at", "source", "text"]).to_csv(
        d / "feedback.csv", index=False)
    r = user_feedback(str(d))
    rows = r.rows.set_index("feedback_id")
    assert rows.loc["f01", "text"].endswith("😡😡") and rows.loc["f01", "sentiment"] == "negative"
    assert rows.loc["f05", "sentiment"] == "positive"
    assert rows.loc["f01", "tag"] == "闪退/崩溃" and rows.loc["f07", "tag"] == "登录"


def test_bad_parameters():
    with pytest.raises(ParameterError, match="rating_scale"):
        user_feedback(rating_scale="ten")
    with pytest.raises(ParameterError, match="export_path"):
        user_feedback(export_path="x.xlsx")
    with pytest.raises(ParameterError, match="taxonomy_path"):
        user_feedback(taxonomy_path="/nonexistent.yaml")


def test_schedules_can_alert_on_the_crisis_flag(sample_report):
    from opsnb.schedule.alerts import check_thresholds
    from opsnb.schedule.config import Threshold

    doc = json.loads(json.dumps(sample_report.summary(), default=str))
    rules = [Threshold("headline.crisis_flag", "equals", True, "crisis"),
             Threshold("headline.crisis_days", "above", 0, "crisis days"),
             Threshold("headline.worst_sla_source_within_sla", "below", 0.8, "SLA")]
    fired = check_thresholds(rules, doc)
    assert fired == ["crisis is true", "crisis days is 1, above 0", "SLA is 0.3895, below 0.8"]
