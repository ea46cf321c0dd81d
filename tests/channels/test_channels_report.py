import pytest

from opsnb.channels.report import channel_roi
from opsnb.errors import ParameterError


@pytest.fixture(scope="module")
def report():
    return channel_roi(seed=0, n_bootstrap=100)


def test_mmm_on_sample_ranks_weixin_first(report, truth):
    """The mix model recovers the one planted gap that is large against its noise.

    微信 has the highest planted ROAS D30 (0.63; next: search_ads 0.50). On the sample the model
    explains ~25 % of daily sign-ups (every planted channel runs at 50-96 % of saturation, so
    the flights move sign-ups by a few per day against Poisson noise of ~7), and its split
    between the other four channels is not reliable; only 微信 ahead of each other channel is
    tested.
    """
    t = report.mmm_table.set_index("channel")
    best = max(truth["channels"], key=lambda c: truth["channels"][c]["expected_roas_d30"] or 0)
    assert best == "微信"
    for c in t.index:
        if c != best:
            assert t.loc[best, "roas"] > t.loc[c, "roas"], c


def test_report_sums_and_plan(report):
    j = report.attribution.journeys
    for m, c in report.attribution.credit.groupby("model"):
        assert c["conversions"].sum() == pytest.approx(j.n_conversions)
        assert c["revenue"].sum() == pytest.approx(j.total_value)
    comp = report.comparison()
    assert comp.drop(columns=["channel", "spread"]).sum().round(9).eq(1).all()
    plan = report.plan.table
    assert plan["proposed_spend"].sum() == pytest.approx(plan["current_spend"].sum())
    assert report.plan.proposed_response >= report.plan.baseline_response
    assert len(report.check_lines()) == 7


def test_bad_parameters():
    with pytest.raises(ParameterError, match="mmm_frequency"):
        channel_roi(mmm_frequency="M")
    with pytest.raises(ParameterError, match="attribution_models"):
        channel_roi(attribution_models=["last", "u_shaped"])
