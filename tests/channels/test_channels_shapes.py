"""Channel ROI on data shaped unlike the sample: each run completes, says what it left out and
why, and renders in English and Chinese; what still runs gives the numbers of the full data.

The shapes come from :mod:`opsnb.data.shapes` (derived from one small generated sample); the
"full data" is that sample itself.
"""

from __future__ import annotations

import json

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from opsnb.channels import ChannelROI, channel_roi  # noqa: E402
from opsnb.data.shapes import (  # noqa: E402
    SHAPE_PARAMS,
    base_sample,
    inject_markup,
    make_shape,
    read_renames,
    rename_params,
)
from opsnb.report import display, style  # noqa: E402
from opsnb.registry import report_class  # noqa: E402

from conftest import chinese  # noqa: E402

N_BOOT = 10
KEYS = [s.key for s in ChannelROI.SECTIONS]


@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    root = tmp_path_factory.mktemp("channel_shapes")

    def folder(name: str):
        out = root / name
        return out if out.exists() else make_shape(name, out)
    return folder


def run(folder, name: str = "", **kw) -> ChannelROI:
    params = {"conversion_event": "purchase", **(SHAPE_PARAMS[name] if name else {}), **kw}
    return channel_roi(folder, n_bootstrap=N_BOOT, **rename_params(params, read_renames(folder)))


@pytest.fixture(scope="module", autouse=True)
def report_style():
    style.use_report_style()  # as the notebook does: Chinese text renders with a CJK font


@pytest.fixture(scope="module")
def full() -> ChannelROI:
    return run(base_sample())


def render(r: ChannelROI) -> dict[str, str]:
    """Every block of the report in en and zh (headline, each section), its summary and checked
    lines; returns the HTML text of each language, figure titles included."""
    out = {}
    for lang in ("en", "zh"):
        parts = []
        items = display.headline(r, lang)
        for key in KEYS:
            items += r.show(key, lang)
        for it in items:
            fig = it if isinstance(it, Figure) else getattr(it, "figure", None)
            if isinstance(fig, Figure):
                parts += [ax.get_title(loc="left") for ax in fig.axes]
                plt.close(fig)
            else:
                parts.append(it.data)
        out[lang] = "\n".join(parts)
    json.dumps(r.summary(), allow_nan=False)
    text = r.check_text()
    assert text.startswith("window: ")
    assert all(f"left out: {k}" in text for k in r.skipped)
    return out


def line(r: ChannelROI, key: str, lang: str = "en") -> str:
    return r.skipped[key].render(lang)


def by_channel(df: pd.DataFrame, cols) -> pd.DataFrame:
    return df.set_index("channel")[list(cols)].sort_index()


def test_declared_tables():
    cls = report_class("channel_roi")
    assert cls.required == ("users", "events")
    assert cls.optional() == {"spend": ("economics", "mmm", "budget"),
                              "touchpoints": ("attribution",), "controls": ("mmm",)}


def test_full_sample_runs_everything(full):
    assert full.skipped == {}
    render(full)


def test_no_touchpoints(shapes, full):
    r = run(shapes("no_touchpoints"), "no_touchpoints")
    assert set(r.skipped) == {"attribution"}
    assert "needs the touchpoints table" in line(r, "attribution")
    assert "seven attribution models" in line(r, "attribution")
    # unit economics, the mix model and the budget are those of the full data
    pd.testing.assert_frame_equal(r.economics.table, full.economics.table)
    pd.testing.assert_frame_equal(r.mmm_table, full.mmm_table)
    pd.testing.assert_frame_equal(r.plan.table, full.plan.table)
    # the comparison compares what ran: acquisition channel and mix model
    assert list(r.comparison().columns) == ["channel", "acquisition channel (D30 revenue)",
                                            "mix model", "spread"]
    assert r.headline()["conversions_attributed"] is None
    html = render(r)
    assert "touchpoints" in html["zh"] and "本节未显示" in html["zh"]


def test_no_spend(shapes, full):
    r = run(shapes("no_spend"), "no_spend")
    assert set(r.skipped) == {"economics", "mmm", "budget"}
    for key in ("economics", "mmm", "budget"):
        assert "needs the spend table" in line(r, key)
    pd.testing.assert_frame_equal(r.attribution.credit, full.attribution.credit)
    # LTV by channel needs no spend: the same numbers as with spend
    cols = r.economics.ltv_frame().columns.drop("channel")
    pd.testing.assert_frame_equal(by_channel(r.economics.table, cols),
                                  by_channel(full.economics.table, cols))
    assert [lab for lab, _, _ in r.headline_items("en")] == ["New users", "Conversions attributed"]
    assert r.headline()["total_spend"] is None and r.headline()["new_users"] == 600
    html = render(r)
    assert "Revenue per user and LTV by channel" in html["en"]
    assert "among the acquisition channels" in html["en"]
    assert "各渠道人均收入与 LTV" in html["zh"]


def test_users_and_events_only(shapes, full):
    r = run(shapes("users_events_only"), "users_events_only")
    assert set(r.skipped) == set(KEYS)
    assert "spend table" in line(r, "economics")
    assert "touchpoints table" in line(r, "attribution")
    assert "fewer than two methods" in line(r, "comparison")
    assert r.economics is not None  # its LTV part still shows
    html = render(r)
    assert "Revenue per user and LTV by channel" in html["en"]
    assert r.check_text().splitlines()[1] == "new users: 600"


def test_short_spend_history(shapes, full):
    r = run(shapes("short_spend"), "short_spend")
    assert set(r.skipped) == {"mmm", "budget"}
    mm = line(r, "mmm")
    assert mm.startswith("Left out: the mix model has 9 days of spend and sign-ups, fewer than "
                         "the 13 days")
    assert "load a longer spend history" in mm
    assert "mix model was left out" in line(r, "budget")
    assert any("Spend rows cover only" in w.render() for w in r.warnings)
    pd.testing.assert_frame_equal(r.attribution.credit, full.attribution.credit)
    html = render(r)
    assert "营销组合模型只有 9 天的花费和注册数据" in html["zh"]


def test_a_month_of_twelve_channels(shapes):
    r = run(shapes("many_channels_month"), "many_channels_month")
    assert len(r.economics.table) >= 12
    assert set(r.skipped) == {"mmm", "budget"}
    # the base sample's controls that vary in the month (two) count among the baseline terms
    assert r.controls_used and len(r.controls_used) == 2, r.controls_used
    assert line(r, "mmm") == (
        "Left out: the mix model has 29 days of spend and sign-ups to fit 15 coefficients (7 paid "
        "channels and the baseline terms); it needs at least 45 days. Widen the window "
        "(start_date, end_date) to at least 45 days of spend.")
    assert r.runs("attribution") and r.runs("economics") and r.runs("comparison")
    render(r)
    # on weekly data the line says that daily data need fewer days
    w = run(shapes("many_channels_month"), "many_channels_month", mmm_frequency="W")
    assert "With mmm_frequency=D (daily) it needs 45 days." in line(w, "mmm")
    assert "周" in line(w, "mmm", "zh") and "改用 mmm_frequency=D" in line(w, "mmm", "zh")


def test_single_channel(shapes):
    r = run(shapes("single_channel"), "single_channel")
    assert set(r.skipped) == {"budget"}
    assert "is the only paid channel, so with the total budget fixed there is nothing to " \
           "reallocate" in line(r, "budget")
    assert r.mmm is not None and len(r.mmm_table) == 1
    # no plan tile; the one paid channel is not shown as both the best and the worst
    labels = [lab for lab, _, _ in r.headline_items("en")]
    assert labels[-1] == "Only paid channel" and "Best channel" not in labels
    assert [v for _, v, _ in r.headline_items("en")][-1] == r.headline()["best_channel"]
    render(r)


def test_fourteen_days(shapes):
    r = run(shapes("fourteen_days"), "fourteen_days")
    assert r.window.days == 14
    assert {"mmm", "budget"} <= set(r.skipped)
    assert r.headline()["paid_roas_d30"] is None  # no user is 30 days old
    notes = {lab: note for lab, _, note in r.headline_items("en")}
    assert notes["Paid ROAS D30"] == "not known yet: see the note above"
    assert any("paid ROAS D30 is not known yet" in w.render() for w in r.warnings)
    html = render(r)
    assert "Paid ROAS D30" in html["en"] and "付费渠道 D30 ROAS" in html["zh"]


def test_window_with_no_events(shapes):
    r = run(shapes("nothing_in_window"), "nothing_in_window")
    assert set(r.skipped) == set(KEYS)
    assert line(r, "attribution").startswith("Left out: no users signed up between 2025-05-01")
    assert r.window.empty and not r.warnings
    html = render(r)
    assert "the data hold nothing in it" in html["en"]
    assert "期间没有用户注册" in html["zh"]


def test_markup_and_unicode_names_are_escaped(shapes, tmp_path):
    folder = inject_markup(shapes("unicode_names"), tmp_path / "marked")
    r = run(folder, "unicode_names")
    assert r.skipped == {}
    html = render(r)
    for lang, text in html.items():
        assert "<script" not in text and "<img" not in text and "<b>bold" not in text, lang
        assert "&lt;script&gt;" in text and "🚀 Rocket Ads 🎯" in text, lang
    assert chinese(html["zh"])
