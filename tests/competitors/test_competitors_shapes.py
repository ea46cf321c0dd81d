"""The competitor report on data shaped unlike the sample: each shape completes, renders in en
and zh, and says in one line what it left out and why (opsnb/competitors/{report,present}.py).

The shapes are cut from the sample's competitor tables: one competitor, no competitor_events,
14 days, one day, a window with no rows, a metric entirely missing for one competitor, one
metric, and names and notes carrying markup, CJK and emoji.
"""

from __future__ import annotations

import json
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from opsnb.competitors import CompetitorReport, competitor_tracking  # noqa: E402
from opsnb.data.source import DataSource, default_sample_dir  # noqa: E402
from opsnb.errors import ParameterError  # noqa: E402
from opsnb.report import display as blocks  # noqa: E402

from conftest import chinese, write_tables  # noqa: E402

MARKUP = ' <img src=x onerror="alert(1)"><script>alert(2)</script> 🚀 抖音'
LAST = pd.Timestamp("2026-10-31")


@pytest.fixture(scope="module")
def sample_tables() -> dict[str, pd.DataFrame]:
    src = DataSource.open(default_sample_dir())
    return {t: src.to_pandas(t) for t in ("competitor_metrics", "competitor_events")}


@pytest.fixture(scope="module")
def full():
    return competitor_tracking()


def _folder(tmp_path_factory, name, **tables) -> str:
    return str(write_tables(tmp_path_factory.mktemp(name), **tables))


def _dates(df: pd.DataFrame, first, last) -> pd.DataFrame:
    d = pd.to_datetime(df["date"])
    return df[(d >= pd.Timestamp(first)) & (d <= pd.Timestamp(last))]


def rendered(report: CompetitorReport) -> dict[str, str]:
    """Render the report as the notebook does, in en and zh; the HTML of every block by lang."""
    out = {}
    for lang in ("en", "zh"):
        parts = [b.data for b in blocks.headline(report, lang)]
        for s in report.SECTIONS:
            for item in report.show(s.key, lang):
                if hasattr(item, "data"):
                    parts.append(item.data)
        plt.close("all")
        out[lang] = "\n".join(parts)
    doc = report.summary()
    json.dumps(doc, allow_nan=False)  # summary.json stays valid JSON
    text = report.check_text()
    assert not re.search(r"\b(None|nan)\b", text)
    for lang, page in out.items():
        assert not re.search(r"\b(None|nan|NaN|True|False)\b|Traceback", page), lang
        assert "<script" not in page and "<img" not in page, lang
    return out


def test_registry_declares_tables():
    from opsnb import registry
    cls = registry.report_class("competitor_tracking")
    assert cls is CompetitorReport and cls.required == ("competitor_metrics",)
    assert set(cls.optional()) == {"competitor_events"}
    assert registry.entry_point("competitor_tracking") is competitor_tracking


def test_one_competitor(tmp_path_factory, sample_tables, full):
    m, e = sample_tables["competitor_metrics"], sample_tables["competitor_events"]
    keep = ["Lumo", "Kivo"]
    r = competitor_tracking(_folder(tmp_path_factory, "one", competitor_metrics=m[m.competitor.isin(keep)],
                                    competitor_events=e[e.competitor.isin(keep)]))
    assert r.skipped == {} and r.panel.competitors == keep
    html = rendered(r)
    assert "against 1 competitors" in r.headline_title("en") and "对比 1 个竞品" in html["zh"]
    # Kivo's price cut is found as on the full data
    full_ch = full.changes.in_window().query("competitor == 'Kivo'")
    ch = r.changes.in_window()
    assert list(ch["date"]) == list(full_ch["date"])
    np.testing.assert_allclose(ch["change"], full_ch["change"])


def test_no_competitor_events(tmp_path_factory, sample_tables, full):
    r = competitor_tracking(_folder(tmp_path_factory, "noev",
                                    competitor_metrics=sample_tables["competitor_metrics"]))
    assert r.skipped == {} and not r.panel.events_given
    html = rendered(r)
    # the same changes, unmatched, and one line says that events were not given
    cols = ["competitor", "metric", "date", "direction", "change", "z"]
    pd.testing.assert_frame_equal(r.changes.in_window()[cols], full.changes.in_window()[cols])
    assert r.changes.in_window()["event_note"].isna().all()
    assert r.headline()["changes_matched_to_events"] == 0
    assert html["en"].count("Competitor events were not given") == 2  # read first, changes
    assert "matched event" not in html["en"] and "no matching event on record" not in html["en"]
    assert "未提供竞品事件" in html["zh"]
    pd.testing.assert_frame_equal(r.position.scorecard, full.position.scorecard)


def test_fourteen_days(tmp_path_factory, sample_tables, full):
    m, e = sample_tables["competitor_metrics"], sample_tables["competitor_events"]
    first = LAST - pd.Timedelta(days=13)
    r = competitor_tracking(_folder(tmp_path_factory, "d14", competitor_metrics=_dates(m, first, LAST),
                                    competitor_events=_dates(e, first, LAST)))
    assert set(r.skipped) == {"changes", "anomalies", "alerts"}
    line = r.skipped["changes"].render("en")
    assert line.startswith("Left out: change detection needs at least 28 days of history")
    assert "the data hold 14 (window and history together)" in line and "history_days" in line
    assert "see 'What changed, and why'" in r.skipped["anomalies"].render("en")
    assert "变化检测" in r.skipped["changes"].render("zh")
    html = rendered(r)
    assert "No alerts: change and anomaly detection were left out" in html["en"]
    # the scorecard of the last week is the full data's (the same seven days)
    cols = ["metric", "ours", "our_rank", "n_ranked", "best_rival", "best_rival_value",
            "our_wow_change", "our_share"]
    pd.testing.assert_frame_equal(r.position.scorecard[cols], full.position.scorecard[cols])
    assert [v for _, v, _ in r.headline_items("en")][2:4] == ["–", "–"]
    assert set(r.swot.table["source"]) == {"scorecard"}


def test_one_day(tmp_path_factory, sample_tables):
    m = sample_tables["competitor_metrics"]
    r = competitor_tracking(_folder(tmp_path_factory, "d1", competitor_metrics=_dates(m, LAST, LAST)))
    assert set(r.skipped) == {"changes", "anomalies", "alerts"}
    assert "the data hold 1 (window" in r.skipped["changes"].render("en")
    rendered(r)
    last = _dates(m, LAST, LAST).query("competitor == 'Lumo'").set_index("metric")["value"]
    ours = r.position.scorecard.set_index("metric")["ours"]
    np.testing.assert_allclose(ours, last[ours.index])


@pytest.mark.parametrize("dates", [("2025-05-01", "2025-05-28"), ("2027-01-01", "2027-01-31")])
def test_window_with_no_rows(dates):
    r = competitor_tracking(start_date=dates[0], end_date=dates[1])
    assert set(r.skipped) == {s.key for s in r.SECTIONS}
    line = r.skipped["scorecard"].render("en")
    assert line == (f"Left out: competitor_metrics has no rows between {dates[0]} – {dates[1]}; the "
                    "data run from 2026-05-01 to 2026-10-31. Fix: choose start_date and end_date "
                    "inside those dates.")
    html = rendered(r)
    assert r.window.empty
    assert ("the data hold nothing in it: they run from 2026-05-01 to 2026-10-31." in html["en"])
    assert [v for _, v, _ in r.headline_items("en")] == ["–"] * 5
    assert "Competitor tracking, " + dates[0] in html["en"] and "竞品分析，" in html["zh"]
    assert r.summary()["headline"]["changes"] is None


def test_metric_missing_for_one_competitor(tmp_path_factory, sample_tables, full):
    m = sample_tables["competitor_metrics"].copy()
    m.loc[(m.competitor == "Kivo") & (m.metric == "sentiment"), "value"] = np.nan
    r = competitor_tracking(_folder(tmp_path_factory, "sentiment_gone", competitor_metrics=m,
                                    competitor_events=sample_tables["competitor_events"]))
    assert r.skipped == {}
    rendered(r)
    sc, fsc = (x.position.scorecard.set_index("metric") for x in (r, full))
    assert sc.loc["sentiment", "n_ranked"] == 3 and fsc.loc["sentiment", "n_ranked"] == 4
    pd.testing.assert_frame_equal(sc.drop(index="sentiment"), fsc.drop(index="sentiment"))
    assert ("sentiment", "Kivo") not in r.panel.values.columns


def test_one_metric(tmp_path_factory, sample_tables, full):
    r = competitor_tracking(metrics=["price"])
    assert set(r.skipped) == {"share_of_voice", "quality"}
    assert r.skipped["share_of_voice"].render("en") == (
        "Left out: share_of_voice is not among the metrics asked for. Fix: add share_of_voice to "
        "the metrics parameter (or leave it empty for all).")
    rendered(r)
    pd.testing.assert_frame_equal(r.position.scorecard, full.position.scorecard.iloc[:1])
    m = sample_tables["competitor_metrics"]
    only = competitor_tracking(_folder(tmp_path_factory, "price", competitor_metrics=m[m.metric == "price"]))
    line = only.skipped["share_of_voice"].render("en")
    assert line.startswith("Left out: the data hold no share_of_voice metric")
    assert "each product's weekly share of social-media mentions" in line
    assert "声量份额" in only.skipped["share_of_voice"].render("zh")
    rendered(only)


def test_markup_in_names_and_notes_is_escaped(tmp_path_factory, sample_tables):
    m, e = sample_tables["competitor_metrics"].copy(), sample_tables["competitor_events"].copy()
    rename = {c: c + MARKUP for c in set(m.competitor) - {"Lumo"}}
    m["competitor"] = m["competitor"].replace(rename)
    e["competitor"] = e["competitor"].replace(rename)
    e["note"] = e["note"] + MARKUP
    e["kind"] = e["kind"] + MARKUP
    r = competitor_tracking(_folder(tmp_path_factory, "markup", competitor_metrics=m,
                                    competitor_events=e))
    html = rendered(r)  # asserts no live <script / <img in any block
    for page in html.values():
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
        assert "onerror=&quot;alert(1)&quot;" in page and "🚀 抖音" in page
    assert "Kivo" + MARKUP in r.summary()["headline"]["top_alert"]  # data kept as given
    with pytest.raises(ParameterError) as e_info:
        competitor_tracking(_folder(tmp_path_factory, "markup2", competitor_metrics=m),
                            our_product="<script>")
    assert "our_product" in str(e_info.value) and "Kivo" + MARKUP in str(e_info.value)
    assert chinese(r.headline_items("zh")[0][0])


def test_four_weeks_without_a_change(tmp_path_factory, sample_tables, full):
    # 28 days: enough for change detection, which finds nothing there; the empty tables of
    # changes, anomalies and alerts keep their columns (an empty object-typed mask once selected
    # no columns at all)
    m, e = sample_tables["competitor_metrics"], sample_tables["competitor_events"]
    first = LAST - pd.Timedelta(days=27)
    r = competitor_tracking(_folder(tmp_path_factory, "d28", competitor_metrics=_dates(m, first, LAST),
                                    competitor_events=_dates(e, first, LAST)))
    assert r.skipped == {}
    assert r.headline()["changes"] == 0 and "event_note" in r.changes.in_window().columns
    html = rendered(r)
    assert "No change in level or trend in this window." in html["en"]
    assert "本窗口内水平和趋势均无变化。" in html["zh"]
