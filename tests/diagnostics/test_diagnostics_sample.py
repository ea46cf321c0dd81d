"""The diagnostics sample: reproducible from its generator, and planted as truth.json says."""

from __future__ import annotations

import pandas as pd

from opsnb.data.diagnostics_sample import diagnostics_sample, write_diagnostics_sample
from opsnb.diagnostics import diagnostics_sample_dir


def test_committed_sample_is_the_generator_output(tmp_path, sample_truth):
    truth = write_diagnostics_sample(tmp_path, seed=sample_truth["seed"])
    for name in ("users.csv", "events.parquet", "truth.json"):
        assert (tmp_path / name).read_bytes() == (diagnostics_sample_dir() / name).read_bytes()
    assert truth == sample_truth


def test_the_drop_is_a_rate_effect_in_one_segment_only():
    """Active days per alive user fall by about drop_factor in android x 华东 only (checked on a
    short run of the generator, with pandas)."""
    users, events, truth = diagnostics_sample(3, base_signups=30, growth=0.0)
    ev = events.merge(users, on="user_id")
    ev["day"] = ev["event_at"].dt.normalize()
    ud = ev.drop_duplicates(["user_id", "day"])
    after = ud["day"] >= pd.Timestamp(truth["drop_date"])
    hit = (ud["device"] == "android") & (ud["region"] == "华东")
    # per day, the segment's share of active users falls by about the drop factor
    share_before = hit[~after & (ud["day"] >= "2026-09-01")].mean()
    share_after = hit[after].mean()
    odds = (share_after / (1 - share_after)) / (share_before / (1 - share_before))
    assert abs(odds - truth["drop_factor"]) < 0.1
    other = (ud["device"] == "ios") & (ud["region"] == "华东")
    ratio = other[after].mean() / other[~after & (ud["day"] >= "2026-09-01")].mean()
    assert 0.95 < ratio / (1 + (1 - truth["drop_factor"]) * share_before) < 1.1


def test_generate_writes_its_own_folder_and_changes_nothing_else(tmp_path, monkeypatch):
    """``generate(..., diagnostics="folder")``: the other files are the same bytes."""
    import opsnb.data.diagnostics_sample as ds
    from opsnb.data.sample import generate

    calls = []
    monkeypatch.setattr(ds, "write_diagnostics_sample",
                        lambda folder, seed: calls.append((folder, seed)))
    plain, with_diag = tmp_path / "plain", tmp_path / "diag"
    generate(plain, seed=11, n_users=150)
    generate(with_diag, seed=11, n_users=150, diagnostics="folder")
    assert calls == [(with_diag / "diagnostics", 11)]
    files = {p.name: p.read_bytes() for p in plain.iterdir() if p.is_file()}
    assert files == {p.name: p.read_bytes() for p in with_diag.iterdir() if p.is_file()}
