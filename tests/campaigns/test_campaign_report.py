"""The campaign impact report: planted truth of the sample recovered, bad input said in words,
markup escaped, both languages.

The sample (``data/sample/campaigns``, :mod:`opsnb.data.campaign_sample`) plants a regional
campaign with a known lift (C-ZJ-PUSH), a participant campaign with a known effect and
self-selection (C-CHECKIN) and a platform-wide brand day (C-BRAND-DAY); ``truth.json`` holds
the planted numbers, computed from the generator's probabilities. The bad-input cases run on a
small hand-made folder.
"""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from opsnb.campaigns import campaign_impact, campaigns_sample_dir
from opsnb.errors import ParameterError


def _run(data_dir=None, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return campaign_impact(data_dir, **kw)


@pytest.fixture(scope="module")
def truth():
    return json.loads((campaigns_sample_dir() / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def regional():
    return _run(campaign_id="C-ZJ-PUSH", placebo_runs=10)


@pytest.fixture(scope="module")
def checkin():
    return _run(campaign_id="C-CHECKIN")


# ------------------------------------------------------------------ planted truth
def test_planted_regional_lift_lies_in_every_methods_interval(regional, truth):
    t = truth["C-ZJ-PUSH"]
    planted = t["expected_extra_user_days"]
    assert regional.primary == "synthetic_control"
    assert not set(regional.skipped) - {"participants"}
    for m in ("its", "synthetic_control", "did"):
        cum = regional.result_of(m).cumulative
        assert cum.lower <= planted <= cum.upper, (m, cum, planted)
    # the lead method's point estimate is close to the plant, its relative lift too
    sc = regional.sc
    assert abs(sc.cumulative.value - planted) < 0.35 * planted, (sc.cumulative, planted)
    assert sc.relative.lower <= t["expected_relative_lift"] <= sc.relative.upper
    assert regional.headline()["verdict"] == "worked"
    # the methods agree on the sample, and the sentence says so
    assert regional.disagreements() == []


def test_regional_money_follows_the_lead_estimate(regional):
    mo, c = regional.money, regional.campaign
    assert mo.incremental_units == regional.sc.cumulative
    rev = mo.incremental_revenue
    assert mo.roi.value == pytest.approx((rev.value - c.cost) / c.cost)
    assert mo.roi.lower == pytest.approx((rev.lower - c.cost) / c.cost)
    assert mo.cost_per_unit.value == pytest.approx(c.cost / mo.incremental_units.value)


def test_participants_naive_comparison_is_biased_and_matching_removes_it(checkin, truth):
    t = truth["C-CHECKIN"]
    true_att = t["true_att_active_days_14"]  # the 14 days after the campaign (after_days)
    m = checkin.match
    naive, matched = m.effect("active_days", "naive"), m.effect("active_days", "matched")
    bias_naive, bias_matched = naive.value - true_att, matched.value - true_att
    assert bias_naive > 1.0, (naive, true_att)          # self-selection: the naive is biased
    assert abs(bias_matched) < 0.3 * bias_naive, (matched, naive, true_att)
    assert matched.lower <= true_att <= matched.upper, (matched, true_att)
    assert not naive.contains(true_att)
    assert checkin.primary == "matching"
    # balance after matching: activity, spend and tenure before the campaign alike
    numeric = m.balance[m.balance["covariate"].isin(
        ["pre_active_days", "pre_events", "pre_revenue", "tenure_days"])]
    assert len(numeric) == 4 and (numeric["smd_after"].abs() <= 0.1).all(), m.balance


def test_brand_day_runs_on_the_time_series_alone(truth):
    t = truth["C-BRAND-DAY"]
    r = _run(campaign_id="C-BRAND-DAY")
    assert r.primary == "its"
    assert {"synthetic_control", "did", "participants"} <= set(r.skipped)
    assert r.its.cumulative.contains(t["expected_extra_user_days"]), r.its.cumulative
    assert r.its.relative.contains(t["expected_relative_lift"]), r.its.relative


# ------------------------------------------------------------------ a small hand-made folder
REGIONS = [f"R{i:02d}" for i in range(20)]
DAYS = pd.date_range("2026-03-01", periods=90, freq="D")


def write_folder(path, campaigns: list[dict], controls: pd.DataFrame | None = None,
                 lift_region: str | None = None, lift: float = 1.0, seed: int = 0):
    """20 regions x 12 users, each active on a day with probability 0.5 (x ``lift`` in
    ``lift_region`` on the days of the first campaign)."""
    rng = np.random.default_rng(seed)
    users = pd.DataFrame({"user_id": [f"u{i:04d}" for i in range(240)],
                          "signup_at": "2026-02-01 08:00:00",
                          "channel": np.where(np.arange(240) % 2, "organic", "抖音"),
                          "region": np.repeat(REGIONS, 12)})
    c0 = campaigns[0]
    in_c = (DAYS >= pd.Timestamp(c0["start"])) & (DAYS <= pd.Timestamp(c0["end"]))
    p = np.full((240, len(DAYS)), 0.5)
    if lift_region:
        p[np.ix_(users["region"].to_numpy() == lift_region, in_c)] *= lift
    act = rng.random(p.shape) < p
    ui, di = np.nonzero(act)
    events = pd.DataFrame({"user_id": users["user_id"].to_numpy()[ui],
                           "event_at": (DAYS[di] + pd.Timedelta(hours=12)).strftime(
                               "%Y-%m-%d %H:%M:%S"),
                           "event": "session_start", "revenue": 0.0})
    path.mkdir(parents=True, exist_ok=True)
    users.to_csv(path / "users.csv", index=False)
    events.to_csv(path / "events.csv", index=False)
    pd.DataFrame(campaigns).to_csv(path / "campaigns.csv", index=False)
    if controls is not None:
        controls.to_csv(path / "controls.csv", index=False)
    return path


def campaign(cid="C1", start="2026-05-01", end="2026-05-14", treated="region=R00", cost=1000.0):
    return dict(campaign_id=cid, name=f"campaign {cid}", start=start, end=end, kind="push",
                treated=treated, cost=cost)


def test_a_campaign_with_no_pre_period_says_so(tmp_path):
    folder = write_folder(tmp_path, [campaign(start="2026-03-01", end="2026-03-10")])
    r = _run(str(folder), campaign_id="C1")
    assert set(r.skipped) == {s.key for s in r.SECTIONS}
    line = r.skipped["its"].render("en")
    assert "starts on 2026-03-01" in line and "0 days before it" in line and "start_date" in line
    assert r.headline()["verdict"] == "no_estimate"
    r.headline_items("en"), r.headline_items("zh")


def test_a_treated_unit_missing_from_the_data_is_named(tmp_path):
    folder = write_folder(tmp_path, [campaign(treated="region=火星")])
    r = _run(str(folder), campaign_id="C1")
    for key in ("its", "synthetic_control", "did", "money"):
        line = r.skipped[key].render("en")
        assert "火星" in line and "R00" in line and "treated column" in line, line


def test_one_missing_unit_of_several_is_a_warning(tmp_path):
    folder = write_folder(tmp_path, [campaign(treated="region=R00|火星")], lift_region="R00",
                          lift=1.3)
    r = _run(str(folder), campaign_id="C1", placebo_runs=5)
    assert any("火星" in w.render("en") for w in r.warnings)
    assert r.sc is not None and r.treated_units == ["R00"]


def test_controls_with_gaps_are_left_out_with_a_warning(tmp_path):
    idx = DAYS.strftime("%Y-%m-%d")
    full = pd.DataFrame({"date": idx, "name": "price_index", "value": 100.0 + np.arange(90) % 7})
    gappy = pd.DataFrame({"date": idx, "name": "weather", "value": np.arange(90) % 5 * 1.0})
    gappy = gappy.drop(index=[40, 41, 42])  # three days missing, all in the pre-period
    folder = write_folder(tmp_path, [campaign(treated="all")], controls=pd.concat([full, gappy]))
    r = _run(str(folder), campaign_id="C1")
    gaps = [w.render("en") for w in r.warnings if "weather" in w.render("en")]
    assert gaps and "3 days" in gaps[0] and "left out" in gaps[0]
    assert r.its.controls_used == ("price_index",)


def test_overlapping_campaigns_are_named_and_their_units_left_out_of_the_donors(tmp_path):
    folder = write_folder(tmp_path, [campaign("C1", treated="region=R00"),
                                     campaign("C2", start="2026-05-10", end="2026-05-20",
                                              treated="region=R01")])
    r = _run(str(folder), campaign_id="C1", placebo_runs=5)
    texts = [w.render("en") for w in r.warnings]
    assert any("C2" in t and "overlaps" in t for t in texts), texts
    assert any(t.startswith("R01 also had campaign C2") for t in texts), texts
    assert "R01" not in r.sc.weights.index and "R01" not in r.donors
    assert len(r.sc.weights) == len(REGIONS) - 2


def test_impossible_parameters_name_themselves(tmp_path):
    folder = write_folder(tmp_path, [campaign(treated="all")])
    with pytest.raises(ParameterError, match="method='matching'"):
        _run(str(folder), campaign_id="C1", method="matching")
    with pytest.raises(ParameterError, match="campaign_id='C9'.*C1"):
        _run(str(folder), campaign_id="C9")
    with pytest.raises(ParameterError, match="kpi"):
        _run(str(folder), kpi="arpu")


def test_a_planted_lift_on_the_hand_made_folder_is_found_by_every_method(tmp_path):
    folder = write_folder(tmp_path, [campaign(treated="region=R00")], lift_region="R00",
                          lift=1.4, seed=3)
    r = _run(str(folder), campaign_id="C1", placebo_runs=5)
    # 12 users x 14 days x 0.5 x 0.4 = 33.6 extra user-days expected
    for m in ("synthetic_control", "did"):
        cum = r.result_of(m).cumulative
        assert cum.lower <= 33.6 <= cum.upper, (m, cum)
        assert cum.value > 15, (m, cum)
    assert r.did.interval_method == "permutation"  # one treated unit: no standard errors


# ------------------------------------------------------------------ presentation
def _texts(report, lang):
    out = []
    for _, value, sub in report.headline_items(lang):
        out += [value, sub]
    for b in report.headline_blocks(lang):
        out.append(b.data)
    for s in report.SECTIONS:
        for item in report.show(s.key, lang):
            if hasattr(item, "data"):
                out.append(item.data)
    import matplotlib.pyplot as plt

    plt.close("all")
    return "\n".join(out)


@pytest.mark.parametrize("which", ["regional", "checkin"])
def test_both_languages(which, request):
    r = request.getfixturevalue(which)
    en, zh = _texts(r, "en"), _texts(r, "zh")
    # every sentence of the report is translated: no English sentence left in the Chinese one
    leftover = re.findall(r"\b(?:the|with|against|without|campaign|interval)\b [a-z]+", zh)
    assert not leftover, leftover[:5]
    assert "方法" in zh and ("合成控制" in zh or "匹配" in zh)
    assert ("Synthetic control" in en) == (which == "regional")


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    from opsnb.data.shapes import base_sample, inject_markup

    return inject_markup(base_sample(), tmp_path_factory.mktemp("marked"))


@pytest.mark.parametrize("cid", ["C-EAST-PUSH", "C-COUPON"])
def test_markup_in_campaign_names_units_and_events_is_escaped(cid, marked):
    """Campaign names, treated units (the donors' weight table), participation events and
    channels carry an HTML payload: every block shows it as text (the Chromium test of
    tests/test_html_injection.py runs the default campaign through the real runner)."""
    from opsnb.data.shapes import read_renames, rename_params

    params = rename_params({"campaign_id": cid}, read_renames(marked))
    assert params["campaign_id"] != cid
    r = _run(str(marked), placebo_runs=3, **params)
    for lang in ("en", "zh"):
        text = _texts(r, lang) + r.headline_title(lang)
        blocks = [b.data for b in r.headline_blocks(lang)] + [
            item.data for s in r.SECTIONS for item in r.show(s.key, lang)
            if hasattr(item, "data")]
        page = "\n".join(blocks)
        assert "<script>document.title" not in page and "<img src=x onerror" not in page
        assert "&lt;b&gt;bold&lt;/b&gt;" in page, "the marked names are on the page, as text"
        assert "<b>bold</b>" in text  # the title and tiles are escaped by html.cards
