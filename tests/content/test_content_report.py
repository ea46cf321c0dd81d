"""The content report on the sample: headline, summary.json, the export, both languages."""

from __future__ import annotations

import json
import re

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from opsnb.content import content_performance  # noqa: E402
from opsnb.report import style  # noqa: E402

from conftest import chinese  # noqa: E402


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "scores.csv"
    return content_performance(start_date="2026-06-01", end_date="2026-10-31",
                               export_path=str(out))


def shown(report, lang):
    """Every chart title and every HTML text block of every section."""
    style.use_report_style()
    plt.close("all")
    titles, texts = [], []
    for s in report.SECTIONS:
        for b in report.show(s.key, lang):
            if hasattr(b, "axes"):
                titles += [ax.get_title(loc="left") for ax in b.axes if ax.get_visible()]
            elif hasattr(b, "data"):
                texts.append(re.sub(r"<[^>]+>", " ", b.data))
    plt.close("all")
    return titles, texts


def test_headline_and_summary(report):
    h = report.headline()
    assert h["views"] > 10_000 and 0 < h["view_rate"] < 1 and h["top_gap_category"] == "fitness"
    doc = json.loads(json.dumps(report.summary(), default=str, allow_nan=False))
    assert doc["headline"]["top_item"] == report.top_item()["content_id"]
    for key in ("items_top", "half_lives", "creators", "supply_category", "what_works",
                "week4_retention_observational", "read_first"):
        assert key in doc, key
    assert report.parameters["engine"] == "duckdb" and report.parameters["prior"] == "format"


def test_export_is_every_item_ranked(report):
    df = pd.read_csv(report.parameters["export_path"])
    assert len(df) == len(report.items)
    ranked = df[df["rank"].notna()]
    assert list(ranked["rank"]) == list(range(1, len(ranked) + 1))
    top = report.items.sort_values("rank").iloc[0]
    assert df["content_id"].iloc[0] == top["content_id"]


def test_chinese_titles_and_text(report):
    titles_en, _ = shown(report, "en")
    titles_zh, texts_zh = shown(report, "zh")
    assert len(titles_zh) == len(titles_en) >= 7
    assert all(chinese(t) for t in titles_zh), titles_zh
    assert not any(chinese(t) for t in titles_en)
    labels = [lab for lab, _, _ in report.headline_items("zh")]
    assert all(chinese(lab) for lab in labels), labels
    assert [v for _, v, _ in report.headline_items("zh")] == [
        v for _, v, _ in report.headline_items("en")]
    # no English sentence left in the Chinese text (data values are single words)
    for t in texts_zh:
        assert not re.search(r"[A-Za-z]+( [A-Za-z,;:()'-]+){5,}", t), t[:200]


def test_observational_label_and_caveat_in_both_languages(report):
    for lang, words in (("en", ("Observational, not causal", "feed shows items unequally")),
                        ("zh", ("观察性结果，并非因果", "信息流对内容的曝光并不均等"))):
        _, texts = shown(report, lang)
        joined = " ".join(texts)
        assert all(w in joined for w in words), lang
