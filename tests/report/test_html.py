"""The one HTML path: everything from the data is escaped; numbers are formatted."""

from __future__ import annotations

import numpy as np
import pandas as pd

from opsnb.report import html
from opsnb.report.contract import Note, Report, Section

PAYLOAD = "<img src=x onerror=\"document.title='PWNED'\"><script>alert(1)</script>"


def test_table_escapes_cells_headers_and_caption():
    df = pd.DataFrame({"channel": [PAYLOAD, "微信"], PAYLOAD: [1, 2], "share": [0.5, np.nan]})
    out = html.table(df, {"share": "pct"}, caption="Caption " + PAYLOAD, humanize=False).data
    assert "<script>" not in out and "<img" not in out
    assert out.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3  # cell, header, caption
    assert "50.0%" in out and "–" in out and "微信" in out


def test_table_formats_and_translates_headers():
    df = pd.DataFrame({"new_users": [1234567], "arpu": [12.345], "paid": [True]})
    en = html.table(df, {"new_users": "count", "arpu": "money"}).data
    assert "1,234,567" in en and "¥12" in en and "new users" in en and "ARPU" in en
    assert ">yes<" in en
    zh = html.table(df, {"new_users": "count"}, lang="zh").data
    assert "新增用户" in zh and ">是<" in zh


def test_table_shading_scales_from_zero_to_the_column_maximum():
    df = pd.DataFrame({"spread": [0.0, 0.5, 1.0]})
    out = html.table(df, shade={"spread": "Reds"}).data
    cells = out.split("<td")[1:]
    assert all("background:" in c for c in cells)
    assert "color:#fff" in cells[-1] and "color:#fff" not in cells[0]  # darkest at the maximum
    assert "max-width:100%" in out and "overflow-x:auto" in out  # scrolls on a phone


def test_blocks_escape_text():
    for block in (html.paragraph(PAYLOAD, strong=PAYLOAD), html.bullets([PAYLOAD], [PAYLOAD]),
                  html.note(PAYLOAD), html.alert(PAYLOAD), html.lines([PAYLOAD], [True]),
                  html.cards(PAYLOAD, [(PAYLOAD, PAYLOAD, PAYLOAD)], [PAYLOAD])):
        assert "<script>" not in block.data and "<img" not in block.data
        assert "&lt;script&gt;" in block.data


class _Source:
    description = "directory <b>x</b>"
    set_aside = []

    def has(self, name):
        return name == "users"


class _Window:
    def label(self):
        return "2026-01-01 – 2026-01-31"


class _Demo(Report):
    name, title, required = "demo", "Demo report", ("users",)
    SECTIONS = (Section("a", "Section A", shows="A"),
                Section("b", "Section B", needs=("touchpoints",), shows="the paths to purchase"))

    def headline_items(self, lang="en"):
        return [("users", "1", PAYLOAD)]

    def headline(self):
        return {"users": 1}

    def check_lines(self):
        return ["users: 1"]

    def sections(self):
        return {"a": {"x": 1}}

    def show_a(self, lang="en"):
        return [html.paragraph("shown")]


def test_missing_optional_table_leaves_one_line_and_the_rest_runs():
    r = _Demo(_Source(), None, {"lang": "en"})
    r.missing_tables()
    assert list(r.skipped) == ["b"]
    line = r.show("b")[0].data
    assert "touchpoints" in line and "the paths to purchase" in line and "&lt;b&gt;" in line
    assert r.show("a")[0].data == "<p>shown</p>"
    assert r.check_text().splitlines() == ["users: 1", "left out: b"]


def test_attempt_turns_a_data_shape_error_into_a_skip():
    from opsnb.errors import DataError, ParameterError

    r = _Demo(_Source(), None)
    with r.attempt("a"):
        raise ParameterError("the window has 28 days; churn needs 90")
    assert r.skipped["a"].render("en") == "Left out: the window has 28 days; churn needs 90."
    r2 = _Demo(_Source(), None)
    assert r2.compute("a", lambda: (_ for _ in ()).throw(
        DataError("no purchase events", table="events", fix="set conversion_event"))) is None
    assert r2.skipped["a"].render("en") == "Left out: no purchase events. Fix: set conversion_event."
    assert r2.compute("b", lambda: 42) == 42
    try:
        with r2.attempt("b"):
            raise KeyError("a bug is not a data shape")
    except KeyError:
        pass
    else:
        raise AssertionError("other exceptions must propagate")


def test_headline_lists_left_out_sections_and_escapes_warnings():
    r = _Demo(_Source(), _Window(), {"lang": "en"})
    r.window.as_of = None
    r.warn("Channel {name} has no spend.", name=PAYLOAD)
    r.skip("b", "Left out: {reason}.", reason="no touchpoints")
    cards = html.cards(r.headline_title("en"), r.headline_items("en"),
                       [w.render("en") for w in r.warnings]).data
    assert "Demo report, 2026-01-01 – 2026-01-31" in cards and "<script>" not in cards
    doc = Note("x {a}", {"a": 1}).to_dict()
    assert doc == {"message": "x 1", "template": "x {a}", "values": {"a": 1}}
    assert cards.count("&lt;img") == 2  # the warning and the tile note, each escaped
