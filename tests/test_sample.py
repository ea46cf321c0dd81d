"""The sample generator: deterministic, and its planted truth is really in the data."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from opsnb.data.sample import generate, geometric_adstock, hill, survival


def _digest(folder):
    h = hashlib.sha256()
    for p in sorted(folder.iterdir()):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def test_same_seed_same_bytes(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, seed=11, n_users=300)
    generate(b, seed=11, n_users=300)
    generate(c, seed=12, n_users=300)
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)


def test_transforms_closed_form():
    x = np.array([10.0, 0.0, 0.0, 5.0])
    np.testing.assert_allclose(geometric_adstock(x, 0.5), [10.0, 5.0, 2.5, 6.25])
    np.testing.assert_allclose(hill(np.array([0.0, 2.0, 4.0]), 2.0, 2.0), [0.0, 0.5, 0.8])
    # early churn: 3x hazard for the first 7 days
    assert survival(0.01, 10) == pytest.approx(0.97**7 * 0.99**3)


def test_committed_sample_is_the_default_output(truth):
    assert truth["seed"] == 7 and truth["n_users"] == 10_000
    assert truth["personas"]["count"] == 5
    assert 5 <= len(truth["channels"]) <= 8
    assert any(not c.isascii() for c in truth["channels"])  # Chinese channel names


def test_planted_effects_are_in_the_data(sample_source, truth):
    users = sample_source.to_pandas("users")
    assert len(users) == truth["n_users"]
    # channel sizes as planted
    sizes = users["channel"].value_counts().to_dict()
    assert sizes == {c: v["users"] for c, v in truth["channels"].items()}
    # the SRM experiment: fewer treatment users than the 50/50 design allows
    a = sample_source.to_pandas("assignments")
    push = a[a.experiment_id == "exp_push_copy"]["variant"].value_counts()
    assert push["treatment"] / push.sum() < 0.48
    assert push.to_dict() == truth["experiments"]["exp_push_copy"]["assigned_users"]
    # the Kivo price cut: level after / before about 0.85
    cm = sample_source.to_pandas("competitor_metrics")
    kivo = cm[(cm.competitor == "Kivo") & (cm.metric == "price")].set_index("date")["value"]
    kivo.index = pd.to_datetime(kivo.index)
    ratio = kivo[kivo.index >= "2026-06-15"].mean() / kivo[kivo.index < "2026-06-15"].mean()
    assert ratio == pytest.approx(0.85, abs=0.01)
    assert {cp["competitor"] for cp in truth["change_points"]} == {"Kivo", "拼好物", "Mercato"}


def test_expected_retention_matches_simulated_users(truth, sample_source):
    """Realised rolling D7 retention per channel agrees with the planted expectation."""
    ev = sample_source.table("events")
    us = sample_source.table("users")
    j = ev.join(us.select("user_id", "signup_at", "channel"), "user_id")
    day = (j.event_at.epoch_seconds() - j.signup_at.epoch_seconds()) // 86400
    ret = j.filter(day == 7).select("user_id", "channel").distinct().group_by("channel").aggregate(
        n=ibis_count()).to_pandas().set_index("channel")["n"]
    u = sample_source.to_pandas("users")
    eligible = u[u["signup_at"] <= pd.Timestamp("2026-10-31") - pd.Timedelta(days=8)]
    n_el = eligible["channel"].value_counts()
    for ch, v in truth["channels"].items():
        p = v["expected_rolling_retention"]["D7"]
        # users who signed up in the last 8 days cannot have completed day 7
        rate = ret.get(ch, 0) / n_el[ch]
        se = np.sqrt(p * (1 - p) / n_el[ch])
        assert abs(rate - p) < 4 * se, (ch, rate, p)


def ibis_count():
    import ibis
    return ibis._.count()
