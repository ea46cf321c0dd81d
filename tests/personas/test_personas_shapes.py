"""The persona report on data shaped unlike the sample: it completes, says what it left out and
why (naming the parameter to change), renders in English and Chinese, and escapes the data."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from opsnb.data.shapes import (PAYLOAD, SHAPE_PARAMS, base_sample, inject_markup,  # noqa: E402
                                make_shape)
from opsnb.personas import PersonaReport, persona_clustering  # noqa: E402
from opsnb.report import display  # noqa: E402

from conftest import chinese  # noqa: E402

PERSONA_SECTIONS = ("k", "stability", "personas", "makeup", "actions")
FAST = dict(n_boot=2, k_max=5, n_init=2)


def render(report, lang: str) -> str:
    """Every block the notebook would show, in ``lang``, as one HTML string (figures drawn)."""
    from matplotlib.figure import Figure

    from opsnb.report import style

    style.use_report_style()
    out = []
    try:
        blocks = display.headline(report, lang)
        for s in report.SECTIONS:
            blocks += report.show(s.key, lang)
        for b in blocks:
            fig = b if isinstance(b, Figure) else getattr(b, "figure", None)
            if isinstance(fig, Figure):
                fig.canvas.draw()
            else:
                out.append(b.data)
    finally:
        plt.close("all")
    report.summary()
    report.check_text()
    return "\n".join(out)


def run(folder: Path, **kw):
    r = persona_clustering(folder, **{**FAST, **kw})
    texts = {lang: render(r, lang) for lang in ("en", "zh")}
    for lang, text in texts.items():
        assert "Traceback" not in text and ">nan<" not in text and ">None<" not in text, lang
    return r, texts


@pytest.fixture(scope="module")
def base() -> Path:
    return base_sample()


@pytest.fixture(scope="module")
def full(base):
    return persona_clustering(base, **FAST)


def shape(name: str, tmp_path_factory, base) -> Path:
    return make_shape(name, tmp_path_factory.mktemp(name) / "data", base)


def test_full_base_sample_runs_every_section(full):
    assert full.skipped == {} and full.k >= 2


@pytest.mark.parametrize("name", ["one_day", "fourteen_days", "single_channel", "few_users",
                                  "empty_strings", "foreign_event_names"])
def test_shape_completes_and_renders(name, tmp_path_factory, base):
    r, texts = run(shape(name, tmp_path_factory, base), **SHAPE_PARAMS[name])
    assert r.features is not None and r.runs("who")
    for key, note in r.skipped.items():  # every line says what to change
        line = note.render("en")
        assert re.search(r"min_events|k_max|start_date|features|revenue|profile", line), line
    assert chinese(texts["zh"])


def test_users_and_events_only_without_profile_columns(tmp_path_factory, base):
    folder = make_shape("users_events_only", tmp_path_factory.mktemp("ue") / "data", base)
    users = pd.read_parquet(folder / "users.parquet") if (folder / "users.parquet").exists() \
        else pd.read_csv(folder / "users.csv")
    for f in folder.glob("users.*"):
        f.unlink()
    users.drop(columns=["region", "device", "age_band", "gender", "campaign"],
               errors="ignore").to_csv(folder / "users.csv", index=False)
    r, texts = run(folder)
    assert r.features.categorical == ["channel"]
    assert r.skipped == {}
    assert "channel" in set(r.profiles.makeup["column"])


def test_one_day_keeps_the_rfm_numbers_of_its_own_window(tmp_path_factory, base):
    folder = shape("one_day", tmp_path_factory, base)
    r = persona_clustering(folder, **FAST)
    assert r.window.days == 1
    # a one-day window: every user has one active day, so active_days cannot separate personas
    assert ("active_days", "the same value (1) for every user") in r.features.dropped


def test_nobody_with_min_events(base, full):
    r, texts = run(base, min_events=5000)
    line = r.skipped["k"].render("en")
    assert line.startswith("Left out: no user has 5000 or more events in the window")
    m = re.search(r"lower min_events \(e\.g\. -p min_events=(\d+)\)", line)
    assert m, line
    assert all(r.skipped[k] == r.skipped["k"] for k in PERSONA_SECTIONS)
    assert r.runs("who") and r.runs("rfm")
    # RFM needs only orders: the same segments as with the personas
    pd.testing.assert_frame_equal(r.rfm.counts(), full.rfm.counts())
    assert r.sections()["rfm_segments"].equals(full.sections()["rfm_segments"])
    # the suggested value works
    again = persona_clustering(base, **{**FAST, "min_events": int(m.group(1))})
    assert again.runs("k")
    assert "min_events" in texts["en"] and "min_events" in texts["zh"]
    # headline: the tiles that need personas show a dash, the others their numbers
    values = [v for _, v, _ in r.headline_items("en")]
    assert values[1:4] == ["–", "–", "–"] and values[4] == f"{r.customers():,}"
    assert r.assignments["persona"].isna().all() and r.assignments["rfm_segment"].notna().all()


def test_too_few_users_for_k_max(base):
    """Some users have min_events events, but fewer than k_max + 1: min_events is named."""
    events = persona_clustering(base, **FAST).features.frame["events"].sort_values()
    min_events = int(events.iloc[-3])  # only a handful of users reach it
    r = persona_clustering(base, **{**FAST, "min_events": min_events})
    line = r.skipped["k"].render("en")
    n = int((events >= min_events).sum())
    assert 1 <= n <= 5
    assert line.startswith(f"Left out: only {n} users have {min_events} or more events in the "
                           f"window, too few for up to 5 personas; lower min_events"), line
    zh = r.skipped["k"].render("zh")
    assert chinese(zh) and "min_events" in zh


def test_window_with_no_events(tmp_path_factory, base):
    name = "nothing_in_window"
    r, texts = run(shape(name, tmp_path_factory, base), **SHAPE_PARAMS[name])
    assert set(r.skipped) == {s.key for s in PersonaReport.SECTIONS}
    line = r.skipped["who"].render("en")
    assert "no event between" in line and "start_date and end_date" in line
    assert [v for _, v, _ in r.headline_items("en")] == ["–"] * 5
    assert r.summary()["headline"]["users"] is None


def test_no_purchases_leaves_rfm_out(tmp_path_factory, base):
    r, texts = run(shape("no_purchases", tmp_path_factory, base))
    assert r.skipped["rfm"].render("en").startswith("Left out: no user has an order")
    assert r.runs("k") and r.runs("actions")
    assert set(r.action_table("en")["main RFM segment"]) == {"–"}
    assert "rfm_segments" not in r.summary()
    assert not any(line.startswith("RFM:") for line in r.check_lines())


def test_markup_in_the_data_is_escaped(tmp_path_factory, base):
    out = inject_markup(base, tmp_path_factory.mktemp("markup") / "data")
    names = {"P1": "<script>document.title='PWNED'</script>Deal seekers"}
    r, texts = run(out, names=names)
    for lang, text in texts.items():
        assert "<script" not in text and "<img" not in text and "<b>bold" not in text, lang
        assert "&lt;script&gt;" in text, lang
    assert "Deal seekers" in texts["en"]
    # channel values with markup reach the make-up table, escaped
    assert "&lt;img src=x onerror=" in texts["en"]
    assert PAYLOAD not in "\n".join(texts.values())


def test_export_keeps_working(base, tmp_path):
    path = tmp_path / "crm" / "personas.csv"
    r = persona_clustering(base, **FAST, export_path=str(path), lang="zh")
    back = pd.read_csv(path)
    assert len(back) == len(r.assignments) == r.features.n_users
    assert all(chinese(n) for n in back["persona_name"])  # named in the report's language
    html = "\n".join(b.data for b in r.show("actions", "zh") if hasattr(b, "data"))
    assert str(path) in html
    assert r.summary()["parameters"]["export_path"] == str(path)
    nobody = persona_clustering(base, **FAST, min_events=5000, export_path=str(path))
    back = pd.read_csv(path)
    assert back["persona"].isna().all() and back["rfm_segment"].notna().all()
    assert nobody.exported == path
