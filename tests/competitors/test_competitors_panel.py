"""Panel building, gaps, bad input and the report (opsnb/competitors/{panel,report}.py)."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from opsnb import DataError, ParameterError
from opsnb.competitors import competitor_tracking
from opsnb.competitors.panel import build_panel
from opsnb.competitors.present import gap_summary
from opsnb.report.summary import write_document


def _feed(products=("Lumo", "Kivo"), days=40, metrics=("price", "rating"), seed=0):
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2026-05-01", periods=days)
    rows = []
    for p in products:
        for m in metrics:
            base = 100.0 if m == "price" else 4.0
            v = base * (1 + 0.01 * rng.standard_normal(days))
            rows.append(pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "competitor": p,
                                      "metric": m, "value": v}))
    return pd.concat(rows, ignore_index=True)


def test_gaps_counted_and_interpolated():
    df = _feed(days=40)
    drop = (df["competitor"] == "Kivo") & (df["metric"] == "price") & df["date"].isin(
        ["2026-05-10", "2026-05-11", "2026-05-12"])
    df.loc[(df["competitor"] == "Lumo") & (df["metric"] == "rating") & (df["date"] == "2026-05-20"),
           "value"] = np.nan
    before, after = df.loc[(df["competitor"] == "Kivo") & (df["metric"] == "price")
                           & df["date"].isin(["2026-05-09", "2026-05-13"]), "value"]
    panel = build_panel(df[~drop], None, "Lumo")
    g = panel.gaps.set_index(["competitor", "metric"])
    assert g.loc[("Kivo", "price"), "n_missing"] == 3
    assert g.loc[("Lumo", "rating"), "n_missing"] == 1
    assert gap_summary(panel).startswith("4 missing days in 2 gaps")
    assert gap_summary(panel, "zh").startswith("2 个缺口共缺失 4 天")
    filled = panel.series("price", "Kivo").loc["2026-05-10":"2026-05-12"].to_numpy()
    np.testing.assert_allclose(filled, before + (after - before) * np.array([1, 2, 3]) / 4)
    assert not panel.observed[("price", "Kivo")].loc["2026-05-11"]
    none = build_panel(df[~drop], None, "Lumo", fill="none")
    assert np.isnan(none.series("price", "Kivo").loc["2026-05-11"])


def test_weekly_frequency_is_the_weekly_mean():
    df = _feed(days=35 * 7 // 7 * 8)
    panel = build_panel(df, None, "Lumo", freq="week", min_points=4)
    assert panel.freq == "week" and panel.period is None
    d = df[(df["competitor"] == "Lumo") & (df["metric"] == "price")]
    d = d.assign(date=pd.to_datetime(d["date"]))
    wk = d[(d["date"] >= "2026-05-04") & (d["date"] <= "2026-05-10")]["value"].mean()
    assert panel.series("price", "Lumo").loc["2026-05-04"] == pytest.approx(wk)


def test_competitor_with_one_data_point(tables):
    df = pd.concat([_feed(), pd.DataFrame({"date": ["2026-05-03"], "competitor": ["Solo"],
                                           "metric": ["price"], "value": [88.0]})])
    src = tables(competitor_metrics=df)
    r = competitor_tracking(src)
    assert "Solo" not in r.panel.competitors
    reasons = [s.reason for s in r.source.set_aside]
    assert any("competitor 'Solo' has only 1 data point" in x for x in reasons)
    with pytest.raises(DataError, match="'Solo' has only 1 data point") as e:
        competitor_tracking(tables(competitor_metrics=df), competitors=["Solo"])
    assert e.value.table == "competitor_metrics" and "competitors parameter" in e.value.fix


def test_metric_with_all_values_missing(tables):
    df = _feed()
    nps = df[df["metric"] == "price"].assign(metric="nps", value=np.nan)
    df = pd.concat([df, nps])
    r = competitor_tracking(tables(competitor_metrics=df))
    assert "nps" not in r.panel.metrics
    assert any("metric 'nps': every value is empty" in s.reason for s in r.source.set_aside)
    with pytest.raises(DataError, match="every value is empty") as e:
        competitor_tracking(tables(competitor_metrics=df), metrics=["nps", "price"])
    assert e.value.column == "value" and e.value.n_bad == 80


def test_duplicate_rows_are_a_data_error(tables):
    df = _feed()
    with pytest.raises(DataError, match="duplicate keys") as e:
        competitor_tracking(tables(competitor_metrics=pd.concat([df, df.head(2)])))
    assert e.value.table == "competitor_metrics" and e.value.n_bad == 2


def test_our_product_missing(tables):
    # a name the data do not hold is a parameter error that names the parameter and lists the
    # names present
    with pytest.raises(ParameterError, match="our_product='Nova' is not in the data") as e:
        competitor_tracking(tables(competitor_metrics=_feed()), our_product="Nova")
    assert "names present: Kivo, Lumo" in str(e.value)


def test_bad_parameters(tables):
    src = tables(competitor_metrics=_feed())
    with pytest.raises(ParameterError, match="competitors: 'Zed' not in the data; names "
                                             "present: Kivo, Lumo"):
        competitor_tracking(src, competitors=["Zed"])
    with pytest.raises(ParameterError, match="metrics: 'nps' not in the data; names present: "
                                             "price, rating"):
        competitor_tracking(src, metrics=["nps"])
    with pytest.raises(ParameterError, match=r"metric_directions: 'nps' not in the data "
                                             r"\(competitor_metrics.metric\); names present: "
                                             "price, rating"):
        competitor_tracking(src, metric_directions={"nps": "higher"})
    with pytest.raises(ParameterError, match="metric_directions"):
        competitor_tracking(src, metric_directions={"price": "cheaper"})
    with pytest.raises(ParameterError, match="lang"):
        competitor_tracking(src, lang="fr")
    with pytest.raises(ParameterError, match="penalty"):
        competitor_tracking(src, penalty=-1)
    with pytest.raises(ParameterError, match="fill"):
        competitor_tracking(src, fill="zero")


def test_sample_report_summary(tmp_path, truth):
    r = competitor_tracking()
    assert r.window.to_dict()["complete_until"] == "2026-11-01 00:00:00"
    doc = write_document(tmp_path / "s.json", r.summary())
    assert doc["parameters"]["lang"] == "en" and doc["sections_skipped"] == {}
    on_disk = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert on_disk == doc
    cps = {(c["competitor"], c["metric"], c["date"][:10]) for c in doc["change_points"]}
    assert {(t["competitor"], t["metric"], t["date"]) for t in truth["change_points"]} <= cps
    assert {row["metric"] for row in doc["scorecard"]} == set(r.panel.metrics)
    assert doc["alerts"][0]["against_us"] is True
    # the top alert is a competitor gain on a metric we do not lead: Kivo's price cut
    # price is lower-is-better: the cut reads as an improvement, with the fall in the number
    m = re.match(r"Kivo price improved on 2026-06-15: from ¥[0-9.,]+ to ¥[0-9.,]+, down ([0-9.]+)% "
                 r"\(lower is better\)", doc["alerts"][0]["sentence"])
    planted = [t for t in truth["change_points"] if (t["competitor"], t["metric"]) == ("Kivo", "price")]
    assert m and float(m.group(1)) / 100 == pytest.approx(-planted[0]["relative_change"], abs=0.01)
    assert {q["quadrant"] for q in doc["swot"]} == {"Strengths", "Weaknesses", "Opportunities",
                                                    "Threats"}
    assert doc["headline"]["changes_matched_to_events"] == 5
