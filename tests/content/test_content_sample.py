"""The content sample: deterministic, drawn on its own stream, planted as truth.json says."""

from __future__ import annotations

import json

import pandas as pd

from opsnb.data.sample import CONTENT_EVENTS, generate


def _files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_content_leaves_every_other_table_unchanged_and_is_deterministic(tmp_path):
    plain, a, b = tmp_path / "plain", tmp_path / "a", tmp_path / "b"
    generate(plain, seed=11, n_users=300)
    generate(a, seed=11, n_users=300, content="folder")
    generate(b, seed=11, n_users=300, content="folder")
    assert _files(plain) == _files(a)                       # same bytes, truth.json included
    assert _files(a / "content") == _files(b / "content")
    ev = pd.read_parquet(a / "content" / "events.parquet")
    base = pd.read_parquet(a / "events.parquet")
    assert set(ev["event"]) == set(CONTENT_EVENTS.values()) | {"session_start"}
    assert (ev[ev["event"] == "session_start"].reset_index(drop=True)
            .drop(columns="dwell_seconds")
            .equals(base[base["event"] == "session_start"].reset_index(drop=True)))
    # content events only in sessions that exist, on the session's day, with no revenue
    starts = base[base["event"] == "session_start"].set_index("session_id")["event_at"]
    ce = ev[ev["event"] != "session_start"]
    s = ce["session_id"].map(starts)
    assert s.notna().all() and (ce["event_at"] >= s).all()
    assert (ce["event_at"].dt.normalize() == s.dt.normalize()).all()
    assert (ce["revenue"] == 0).all()
    truth = json.loads((a / "content" / "truth.json").read_text(encoding="utf-8"))["content"]
    items = pd.read_parquet(a / "content" / "content.parquet")
    assert len(items) == truth["items"] and items["content_id"].is_unique
    first = ce.groupby("content_id")["event_at"].min()
    assert (first >= items.set_index("content_id")["published_at"].reindex(first.index)).all()


def test_merged_content_for_the_data_shapes(tmp_path):
    generate(tmp_path, seed=11, n_users=300, content="merged")
    ev = pd.read_parquet(tmp_path / "events.parquet")
    assert set(CONTENT_EVENTS.values()) <= set(ev["event"]) and "dwell_seconds" in ev
    assert (tmp_path / "content.parquet").exists()
    assert json.loads((tmp_path / "truth.json").read_text())["content"]["under_served_category"]
