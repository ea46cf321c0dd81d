"""The KPI overview report: the contract, the sample numbers, and every data shape it must take."""

from __future__ import annotations

import json
import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from IPython.display import HTML

from opsnb import ParameterError, kpi
from opsnb.data import shapes
from opsnb.kpi import KPIOverview, kpi_overview
from opsnb.report import display
from opsnb.report.i18n import translate


KEYS = [s.key for s in KPIOverview.SECTIONS]
CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese(text: str) -> bool:
    return bool(CJK.search(text))


def render(report, lang: str) -> str:
    """Every block the notebook would show, in ``lang``: the HTML, figures closed."""
    out = []
    for item in display.headline(report, lang) + [b for k in KEYS for b in report.show(k, lang)]:
        if isinstance(item, HTML):
            out.append(item.data)
        else:
            assert hasattr(item, "figure"), item
    json.dumps(report.summary(), allow_nan=False)
    assert report.check_text()
    plt.close("all")
    return "\n".join(out)


# --------------------------------------------------------------------- the sample data
@pytest.fixture(scope="module")
def sample_report(sample_source):
    return kpi_overview(sample_source, period="week")


def test_kpi_overview_headline(sample_report):
    r = sample_report
    h = r.headline()
    assert h["funnel_conversion"] == pytest.approx(h["paying_users"] / h["active_users"])
    assert h["mau"] >= h["wau"] >= 0
    assert r.check_lines()[0] == "window: 2026-05-01 – 2026-10-31"
    assert r.skipped == {} and r.warnings == []
    assert r.check_text() == "\n".join(r.check_lines())


def test_kpi_overview_display_text(sample_report):
    r = sample_report
    items = {lab: (val, note) for lab, val, note in r.headline_items()}
    val, note = items["ARPU"]
    assert val == "¥669.59"
    assert note.startswith("revenue per active user over the window (2026-05-01 – 2026-10-31)")
    assert "ARPPU ¥" in note
    assert items["Paying conversion"][1].startswith("funnel to purchase: ")
    # summary sections and the checked lines keep the event names
    sec = r.sections()
    assert sec["funnel"]["step"].tolist() == list(kpi.DEFAULT_FUNNEL)
    assert set(sec["funnel_by_channel"]["step"]) == set(kpi.DEFAULT_FUNNEL)
    assert r.check_lines()[-1].startswith("funnel: session_start ")
    zh = r.headline_items("zh")
    assert zh[4][2].startswith("窗口期（2026-05-01 – 2026-10-31）内每活跃用户收入")
    assert zh[5][2].startswith("漏斗至 购买")
    assert r.headline_title("zh") == "核心指标概览，2026-05-01 – 2026-10-31"


def test_sample_report_renders_in_both_languages(sample_report):
    en, zh = render(sample_report, "en"), render(sample_report, "zh")
    assert "New users in the window by channel" in en and "KPIs per week" in en
    assert "窗口内各渠道新增用户" in zh and "每周核心指标" in zh and chinese(zh)
    assert "Funnel conversion to purchase by channel" in en
    for word in ("Traceback", "nan", "None", "True", "False"):
        assert word not in en and word not in zh


def test_parameters_are_recorded_and_checked(sample_source):
    r = kpi_overview(sample_source, "2026-10-01", "2026-10-31", period="month", lang="zh")
    assert r.parameters == {"data_dir": sample_source, "start_date": "2026-10-01",
                            "end_date": "2026-10-31", "period": "month", "mau_days": 30,
                            "funnel_steps": kpi.DEFAULT_FUNNEL, "lang": "zh", "engine": "duckdb"}
    for bad in ({"period": "fortnight"}, {"mau_days": 1}, {"funnel_steps": ["purchase"]},
                {"lang": "fr"}, {"funnel_within_days": -1}):
        with pytest.raises(ParameterError) as e:
            kpi_overview(sample_source, **bad)
        assert next(iter(bad)) in str(e.value)


# --------------------------------------------------------------------- data shapes
@pytest.fixture(scope="module")
def shape_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("kpi_shapes")

    def make(name: str):
        out = root / name
        if not out.exists():
            shapes.make_shape(name, out)
        return out
    return make


@pytest.fixture(scope="module")
def base_report():
    return kpi_overview(shapes.base_sample())


SHAPES = ["foreign_event_names", "users_events_only", "one_day", "fourteen_days",
          "nothing_in_window", "single_channel", "empty_strings"]


@pytest.mark.parametrize("name", SHAPES)
def test_each_shape_completes_and_renders(shape_dir, name):
    r = kpi_overview(shape_dir(name), **shapes.SHAPE_PARAMS[name])
    en, zh = render(r, "en"), render(r, "zh")
    assert chinese(zh)
    assert "Traceback" not in en + zh
    for note in r.skipped.values():  # every skipped line is translated
        assert chinese(note.render("zh")), note.text


def test_foreign_event_names_leave_out_only_the_funnel(shape_dir, base_report):
    r = kpi_overview(shape_dir("foreign_event_names"))
    assert list(r.skipped) == ["funnel"]
    line = r.skipped["funnel"].render("en")
    assert line.startswith("Left out: the funnel events session_start, view_item, add_to_cart, "
                           "purchase never occur between ")
    assert "app_open (600), page_view (" in line
    assert "-p funnel_steps='[\"app_open\", \"page_view\", \"order_paid\"]'" in line
    assert "funnel_steps='[\"app_open\"" in r.skipped["funnel"].render("zh")
    assert r.show("funnel", "en")[0].data.count("funnel_steps") == 2
    tile = r.headline_items("en")[5]
    assert tile[2] == ("funnel left out: no session_start, view_item, add_to_cart, purchase "
                       "events; set funnel_steps")
    # everything else is the same as on the same data with the original names
    h, b = r.headline(), base_report.headline()
    for k in ("active_users", "new_users", "paying_users", "revenue", "arpu", "arppu",
              "paying_conversion", "avg_dau", "wau", "mau", "avg_stickiness",
              "last_complete_period"):
        # sums over threads may differ in the last bits between two runs of the same query
        hk, bk = (h[k], b[k]) if isinstance(h[k], dict) else ({k: h[k]}, {k: b[k]})
        assert hk.keys() == bk.keys(), k
        for key in hk:
            if isinstance(hk[key], str):
                assert hk[key] == bk[key], (k, key)
            else:
                assert hk[key] == pytest.approx(bk[key], rel=1e-12), (k, key)
    assert h["funnel_conversion"] is None
    pd.testing.assert_frame_equal(r.active.daily, base_report.active.daily)
    pd.testing.assert_frame_equal(r.periods.table, base_report.periods.table)
    assert "funnel" not in r.sections() and "periods" in r.sections()
    assert r.check_text().splitlines()[-1] == "left out: funnel"
    assert r.check_lines() == base_report.check_lines()[:-1]
    # with the steps it suggests, the funnel runs
    ok = kpi_overview(shape_dir("foreign_event_names"),
                      funnel_steps=["app_open", "page_view", "order_paid"])
    assert ok.runs("funnel") and ok.funnel.table["users"].iloc[0] == 600


def test_a_window_without_events_completes_and_says_so(shape_dir):
    params = shapes.SHAPE_PARAMS["nothing_in_window"]
    r = kpi_overview(shape_dir("nothing_in_window"), **params)
    assert set(r.skipped) == set(KEYS)
    w = r.warnings[0].render("en")
    assert w.startswith(f"No events between {params['start_date']} – {params['end_date']}.")
    assert "set start_date and end_date" in w
    assert r.skipped["active"].render("en").startswith("Left out: no events between ")
    items = r.headline_items("en")
    assert items[0][1] == "0" and items[4][1] == "–"
    html = render(r, "en")
    assert "No events between" in html and "–" in html
    assert r.headline()["arpu"] is None
    # one window resolution (resolve_window(allow_empty=True)): the data notes say where the data are
    assert r.window.empty and r.window.data_first is not None
    first, last = f"{r.window.data_first:%Y-%m-%d}", f"{r.window.data_last:%Y-%m-%d}"
    assert f"{first} to {last}" in w and f"the data hold nothing in it: they run from {first}" in html


def test_a_window_in_a_gap_of_the_data(tables):
    from .conftest import EVENTS, USERS

    r = kpi_overview(tables(users=USERS, events=EVENTS), "2026-05-06", "2026-05-09")
    assert set(r.skipped) == set(KEYS)
    assert r.totals["active_users"] == 0
    assert "2026-05-01 to 2026-05-10" in r.warnings[0].render("en")
    render(r, "zh")


def test_one_day_of_data(shape_dir):
    r = kpi_overview(shape_dir("one_day"), period="month")
    assert r.window.days == 1 and r.runs("active") and r.runs("funnel")
    assert len(r.periods.table) == 1


def test_channel_markup_is_escaped(tmp_path):
    payload = "<script>document.title='PWNED'</script>"
    out = shapes.inject_markup(shapes.base_sample(), tmp_path / "marked", payload=payload)
    params = shapes.rename_params({"funnel_steps": list(kpi.DEFAULT_FUNNEL)},
                                  shapes.read_renames(out))
    r = kpi_overview(out, **params)
    assert r.runs("funnel") and not r.skipped
    for lang in ("en", "zh"):
        html = render(r, lang)
        assert "<script>" not in html
        assert "&lt;script&gt;document.title=&#x27;PWNED&#x27;&lt;/script&gt;" in html


def test_section_titles_are_translated():
    for s in KPIOverview.SECTIONS:
        assert chinese(translate(s.title, "zh")), s.title


def test_an_empty_events_table_is_a_data_error(tables):
    from opsnb import DataError

    from .conftest import USERS

    with pytest.raises(DataError) as e:
        kpi_overview(tables(users=USERS, events="user_id,event_at,event,revenue\n"),
                     "2026-05-01", "2026-05-10")
    assert e.value.table == "events"


def test_stickiness_needs_a_full_mau_window(shape_dir):
    """On four weeks no day has 30 days behind it: the chart is replaced by one line, and with
    mau_days=7 stickiness is drawn and equals DAU / MAU of the days it covers."""
    from opsnb.kpi import kpi_overview

    r = kpi_overview(str(shape_dir("four_weeks")))
    blocks = r.show("active", "zh")
    assert len(blocks) == 2 and "mau_days" in blocks[1].data and "用户粘性" in blocks[1].data
    r7 = kpi_overview(str(shape_dir("four_weeks")), mau_days=7)
    assert not hasattr(r7.show("active")[1], "data")  # a chart, not a note
    d = r7.active.daily[r7.active.daily["mau_complete"]]
    assert len(d) > 0 and (d["stickiness"] == d["dau"] / d["mau"]).all()
