"""Every rate, the decay score, the Gini coefficient and creator retention, worked by hand on a
four-item data set (tests/content/conftest.py), and bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from opsnb import DataError, ParameterError
from opsnb.content import content_performance
from opsnb.content.creators import gini, pooled_retention, retention, top_share
from opsnb.content.items import RATES
from opsnb.content.shrink import posterior

from .conftest import CONTENT, fixture_events


@pytest.fixture
def report(content_dir):
    return content_performance(str(content_dir()), "2026-01-01", "2026-01-10",
                               min_impressions=1, half_life_hours=24.0)


def test_every_rate_by_hand(report):
    t = report.items.set_index("content_id")
    a, b, c, d = (t.loc[k] for k in "ABCD")
    assert (a.impressions, a.views, a.reach, a.completes, a.engagements, a.shares, a.follows) == \
        (4, 2, 2, 1, 3, 1, 1)
    assert a.view_rate == 0.5 and a.completion_rate == 0.5 and a.engagement_rate == 1.5
    assert a.share_rate == 0.5 and a.follow_rate == 0.5
    assert a.dwell_per_view == 30.0          # (50 + 10) / 2
    assert (b.impressions, b.views, b.view_rate, b.completion_rate, b.engagement_rate) == \
        (2, 1, 0.5, 0.0, 0.0)
    assert (c.impressions, c.views, c.reach) == (3, 3, 2)
    assert c.engagement_rate == pytest.approx(1 / 3) and c.view_rate == 1.0
    # an item without impressions: no rates, no rank, still in the table and the export
    assert d.impressions == 0 and np.isnan(d.view_rate) and pd.isna(d["rank"])
    assert set(report.export_frame()["content_id"]) == set("ABCD")


def test_shrunk_rates_are_the_posterior_under_the_fitted_prior(report):
    t = report.items.set_index("content_id")
    for rate, (num, den) in RATES.items():
        pri = report.priors[rate]
        # fewer than 10 items per format: every item takes the global prior
        assert list(pri["group"]) == ["(all)"]
        a0, b0 = float(pri["a"].iloc[0]), float(pri["b"].iloc[0])
        for cid in "ABC":
            k, n = min(t.loc[cid, num], t.loc[cid, den]), t.loc[cid, den]
            if n == 0:
                continue
            assert t.loc[cid, f"{rate}_shrunk"] == pytest.approx((a0 + k) / (a0 + b0 + n))
            post = posterior(np.array([k]), np.array([n]), a0, b0)
            assert t.loc[cid, f"{rate}_low"] == pytest.approx(post.low[0])


def test_decay_score_by_hand(report):
    # window end 2026-01-11 00:00; A's views are 24 h and 12 h old, half-life 24 h
    t = report.items.set_index("content_id")
    assert t.loc["A", "decay_score"] == pytest.approx(0.5 + 0.5 ** 0.5)
    # C's three views are 7 days 14 hours old
    age = (pd.Timestamp("2026-01-11") - pd.Timestamp("2026-01-03 10:00:05")).total_seconds() / 3600
    assert t.loc["C", "decay_score"] == pytest.approx(3 * 0.5 ** (age / 24))
    assert t.loc["A", "recent_views"] == 2 and t.loc["B", "recent_views"] == 0


def test_rank_is_by_lower_posterior_quantile(report):
    t = report.items[report.items["rank"].notna()].sort_values("rank")
    assert list(t["rank"]) == [1, 2, 3]
    assert t["engagement_rate_low"].is_monotonic_decreasing
    assert report.export_frame()["rank"].iloc[0] == 1


def test_unknown_content_ids_are_set_aside_and_counted(report):
    aside = [s for s in report.source.set_aside if "content ids" in s.reason]
    assert len(aside) == 1 and aside[0].n_rows == 2 and aside[0].reason.startswith("1 content")
    assert "ZZZ" not in set(report.items["content_id"])


def test_creators_gini_and_concentration_by_hand(report):
    c = report.creator
    views = c.board.set_index("creator_id")["views"]
    assert views.to_dict() == {"c1": 3, "c2": 3, "c3": 0}
    assert c.gini == pytest.approx(1 / 3)    # sorted (0, 3, 3): (-2*0 + 0*3 + 2*3) / (3*6)
    assert c.top10_share == pytest.approx(0.5)
    assert c.board.set_index("creator_id").loc["c1", "reach"] == 3  # u1, u2 on A; u3 on B


def test_gini_and_top_share_closed_forms():
    assert gini(np.ones(5)) == 0.0
    assert gini(np.array([0, 0, 0, 0, 1.0])) == pytest.approx(0.8)  # (n - 1) / n
    assert top_share(np.arange(1, 21, dtype=float), 0.1) == pytest.approx((20 + 19) / 210)
    assert math.isnan(gini(np.zeros(3)))


def test_creator_retention_by_hand():
    d = pd.Timestamp("2026-03-02")  # a Monday
    week = pd.Timedelta(days=7)
    content = pd.DataFrame({
        "creator_id": ["p", "p", "p", "q", "r", "r"],
        "published_at": [d, d + week + pd.Timedelta(days=1), d + 4 * week, d + pd.Timedelta(days=2),
                         d + pd.Timedelta(days=3), d + 5 * week],
    })
    end = d + 20 * week
    ret = retention(content, end, weeks=(1, 4))
    assert list(ret["creators"]) == [3]
    # week 1 after the first item: only p; week 4: p (day 28 = week 4); r's item is 32 days
    # after its first, also week 4
    assert ret["week_1"].iloc[0] == pytest.approx(1 / 3)
    assert ret["week_4"].iloc[0] == pytest.approx(2 / 3)
    assert pooled_retention(content, end, 4) == (pytest.approx(2 / 3), 3)
    # data ending 5 weeks after d: only p's week 4 (days 28-34) is inside it
    assert pooled_retention(content, d + 5 * week, 4) == (1.0, 1)


def test_sections_that_need_more_data_say_so(report):
    assert "what_works" in report.skipped           # 3 items < 30
    assert "min_impressions" in report.skipped["what_works"].render("en")
    assert report.retention is None and report.retention_note is not None
    report.headline_items("zh")
    for s in report.SECTIONS:
        report.show(s.key, "en")


def test_published_after_first_event_is_a_data_error(content_dir):
    late = CONTENT.copy()
    late.loc[late.content_id == "B", "published_at"] = "2026-01-05 00:00:00"
    with pytest.raises(DataError) as err:
        content_performance(str(content_dir(content=late)))
    assert err.value.table == "content" and err.value.column == "published_at"
    assert "1 content items" in err.value.message


def test_empty_content_table(content_dir):
    empty = CONTENT.iloc[:0]
    r = content_performance(str(content_dir(content=empty)))
    assert set(r.skipped) == {s.key for s in r.SECTIONS}
    assert "content_view" in r.skipped["items"].render("en")
    assert sum(s.n_rows for s in r.source.set_aside) == len(fixture_events()) - 1  # all content
    r.headline_items("en")
    r.summary()


def test_one_category_only(content_dir):
    one = CONTENT.assign(category="x")
    r = content_performance(str(content_dir(content=one)), min_impressions=1)
    assert list(r.supply["category"]) == ["x"] and r.supply["gap"].iloc[0] == pytest.approx(0)
    assert not r.supply["under_served"].any()
    for lang in ("en", "zh"):
        for s in r.SECTIONS:
            r.show(s.key, lang)


def test_foreign_event_names_leave_everything_out_with_the_fix(content_dir):
    r = content_performance(str(content_dir()), view_event="read")
    assert "view_event" in r.skipped["items"].render("en")


@pytest.mark.parametrize("kw", [dict(prior="creator"), dict(half_life_hours=0),
                                dict(engagement_events=[]), dict(top_n="ten"),
                                dict(export_path="/tmp/x.xlsx")])
def test_bad_parameters(content_dir, kw):
    with pytest.raises(ParameterError):
        content_performance(str(content_dir()), **kw)


def test_export_has_rank_and_each_rate_raw_and_shrunk(content_dir, tmp_path):
    out = tmp_path / "scores.csv"
    content_performance(str(content_dir()), min_impressions=1, export_path=str(out))
    df = pd.read_csv(out)
    assert {"content_id", "rank"} <= set(df.columns)
    for rate in RATES:
        assert {rate, f"{rate}_shrunk", f"{rate}_low", f"{rate}_high",
                f"{rate}_wilson_low"} <= set(df.columns)
    assert df["rank"].iloc[0] == 1


def test_audience_by_persona_from_an_export(content_dir, tmp_path):
    personas = tmp_path / "personas.csv"
    pd.DataFrame({"user_id": ["u1", "u2", "u3", "u4"],
                  "persona": ["P1 fans", "P1 fans", "P2 <b>x</b>", "P2 <b>x</b>"]}).to_csv(
        personas, index=False)
    r = content_performance(str(content_dir()), min_impressions=1, persona_csv=str(personas))
    t = r.audience["persona"].set_index(["category", "value"])["viewers"]
    # category x: A viewed by u1, u2 (P1), B by u3 (P2); y: C by u1 (P1), u4 (P2)
    assert t.to_dict() == {("x", "P1 fans"): 2, ("x", "P2 <b>x</b>"): 1,
                           ("y", "P1 fans"): 1, ("y", "P2 <b>x</b>"): 1}
    ch = r.audience["channel"].set_index(["category", "value"])["share"]
    assert ch[("x", "organic")] == pytest.approx(2 / 3)
    text = " ".join(b.data for b in r.show("audience", "en") if hasattr(b, "data"))
    assert "&lt;b&gt;x" in text and "<b>x" not in text


def test_new_and_returning_viewers_by_hand(report):
    nv = report.new_viewers.set_index("week")
    # week 0 (Jan 1-7): B by u3, C by u1, u4 (all first views); week 1 (Jan 8-14): A by u1
    # (returning) and u2 (new)
    assert nv.loc[0, "viewers"] == 3 and nv.loc[0, "new_viewers"] == 3
    assert nv.loc[1, "viewers"] == 2 and nv.loc[1, "new_viewers"] == 1
    assert nv.loc[1, "returning_viewers"] == 1
