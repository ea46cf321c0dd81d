"""Beta-binomial shrinkage and Wilson bounds against closed forms and statsmodels."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from opsnb.content.shrink import fit_prior, posterior, shrink, wilson


def test_wilson_matches_statsmodels():
    k, n = np.array([0, 2, 7, 50]), np.array([5, 3, 40, 50])
    lo, hi = wilson(k, n, 0.9)
    for i in range(len(k)):
        a, b = proportion_confint(k[i], n[i], alpha=0.1, method="wilson")
        assert lo[i] == pytest.approx(a) and hi[i] == pytest.approx(b)
    assert np.isnan(wilson(np.array([0]), np.array([0]))[0][0])


def test_posterior_closed_form():
    post = posterior(np.array([2.0]), np.array([3.0]), 2.0, 18.0, level=0.9)
    assert post.mean[0] == pytest.approx(4 / 23)
    assert post.low[0] == pytest.approx(stats.beta.ppf(0.05, 4, 19))
    assert post.high[0] == pytest.approx(stats.beta.ppf(0.95, 4, 19))


def test_fit_prior_recovers_a_planted_beta():
    rng = np.random.default_rng(1)
    p = rng.beta(2.0, 18.0, 3000)
    n = rng.integers(20, 200, 3000)
    k = rng.binomial(n, p)
    a, b = fit_prior(k, n)
    assert a / (a + b) == pytest.approx(0.1, rel=0.05)
    assert a + b == pytest.approx(20.0, rel=0.15)


def test_no_spread_pools_every_item():
    rng = np.random.default_rng(2)
    n = np.full(500, 100)
    k = rng.binomial(n, 0.3)
    a, b = fit_prior(k, n)
    assert a + b > 1000 and a / (a + b) == pytest.approx(k.sum() / n.sum(), rel=0.01)


def test_small_groups_take_the_global_prior():
    k, n = np.array([1, 2, 3] * 10 + [5]), np.array([10] * 31)
    groups = ["big"] * 30 + ["tiny"]
    post, priors = shrink(k, n, groups)
    assert list(priors["group"]) == ["(all)", "big"]
    g = priors.set_index("group")
    assert post.a[-1] == pytest.approx(g.loc["(all)", "a"])
    assert post.a[0] == pytest.approx(g.loc["big", "a"])


def test_few_views_do_not_top_the_ranking():
    """3 views and 2 likes against 5,000 views and 600 likes."""
    k, n = np.array([2, 600] + [50] * 50), np.array([3, 5000] + [500] * 50)
    post, _ = shrink(k, n)
    assert k[0] / n[0] > k[1] / n[1]
    assert post.low[1] > post.low[0]
