"""Report helpers: number formats, summary.json, CJK rendering, dependency files in step."""

from __future__ import annotations

import json
import math
import re
import subprocess
import tomllib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from opsnb.report import fmt, style
from opsnb.report.summary import to_jsonable, write_summary

ROOT = Path(__file__).resolve().parents[1]


def test_formats():
    assert fmt.pct(0.1234) == "12.3%"
    assert fmt.pct(0.05, signed=True) == "+5.0%"
    assert fmt.pp(-0.012) == "-1.2 pp"
    assert fmt.money(1234.5) == "¥1,234"  # banker's rounding of .5 is avoided by the data
    assert fmt.money(-2500) == "-¥2,500"
    assert fmt.money_cents(2.834) == "¥2.83" and fmt.FORMATTERS["money_cents"](None) == "–"
    assert fmt.count(1234567) == "1,234,567"
    assert fmt.pct(float("nan")) == "–"
    assert fmt.header("paying_conversion") == "paying conversion"
    assert fmt.header("arppu") == "ARPPU"


def test_summary_is_plain_json(tmp_path):
    doc = write_summary(tmp_path / "s.json", "x", parameters={"k": np.int64(3)},
                        headline={"rate": np.float64(0.5), "missing": float("nan"),
                                  "day": pd.Timestamp("2026-05-01")},
                        table=pd.DataFrame({"a": [1, 2], "b": [np.nan, 1.5]}))
    again = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert again == doc
    assert again["headline"] == {"rate": 0.5, "missing": None, "day": "2026-05-01T00:00:00"}
    assert again["table"] == [{"a": 1, "b": None}, {"a": 2, "b": 1.5}]
    assert to_jsonable(np.bool_(True)) is True
    assert write_summary("", "x", parameters={}, headline={})["report"] == "x"  # nothing written


@pytest.fixture(scope="module")
def cjk_font():
    """Install a CJK font when missing (Debian's fonts-noto-cjk), as the Makefile does."""
    if style.find_cjk_font() is None:
        subprocess.run(["bash", str(ROOT / ".ci" / "ensure-cjk-font")], check=False)
    font = style.find_cjk_font()
    if font is None:
        pytest.fail("no CJK font could be installed: run `apt-get install fonts-noto-cjk`")
    return font


def test_chinese_labels_render_without_missing_glyphs(cjk_font, tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert style.use_report_style() == cjk_font
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.bar(["抖音", "小红书", "微信", "organic"], [3, 2, 1, 4])
        style.titled(ax, "新用户 by channel", "定义: users whose signup_at falls in the window")
        fig.savefig(tmp_path / "cjk.png")
        plt.close(fig)
    glyph = [str(w.message) for w in caught if "Glyph" in str(w.message)]
    assert glyph == []


def _name(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(.*)$", req)
    return m.group(1).lower().replace("_", "-"), m.group(3).replace(" ", "")


def test_environment_yml_matches_pyproject():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = py["dependencies"] + py["optional-dependencies"]["dev"]
    want = dict(_name(r) for r in reqs)
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    got = dict(_name(d) for d in env["dependencies"] if isinstance(d, str)
               and not d.startswith(("python", "pip")))
    assert got == want
    assert any(isinstance(d, str) and d.startswith("python>=3.11") for d in env["dependencies"])


def test_style_colours_are_stable():
    c1 = style.colors_for(["b", "a", "Lumo"], highlight="Lumo")
    c2 = style.colors_for(["Lumo", "a", "b"], highlight="Lumo")
    assert c1 == c2 and c1["Lumo"] == style.OURS_COLOR
    assert math.isfinite(len(set(c1.values())))
    assert len(set(c1.values())) == 3


def test_money_ticks_switch_to_millions_or_wan_per_axis():
    assert [style.money_tick(v, 900_000, 300_000) for v in (0, 300_000, 900_000)] == [
        "¥0", "¥300,000", "¥900,000"]
    assert [style.money_tick(v, 2e6, 2.5e5) for v in (0, 2.5e5, 1e6, 1.75e6, -5e5)] == [
        "¥0", "¥0.25M", "¥1.00M", "¥1.75M", "-¥0.50M"]
    assert style.money_tick(1.5e6, 4e6, 5e5) == "¥1.5M"
    assert style.money_tick(1e-9, 4e6, 5e5) == "¥0" and style.money_tick(-0.4, 900, 100) == "¥0"
    assert style.money_tick(1_001_250, 1.01e6, 1250) == "¥1,001,250"   # too fine for millions
    assert [style.money_tick(v, 2e6, 2.5e5, lang="zh") for v in (2.5e5, 1.5e6)] == ["¥25万",
                                                                                   "¥150万"]
    fig, ax = style.new_figure()

    def labels(lo, hi):
        ax.set_xlim(lo, hi)
        fig.canvas.draw()
        return [t.get_text() for x, t in zip(ax.get_xticks(), ax.get_xticklabels())
                if lo <= x <= hi]
    ax.plot([0, 4e6], [0, 1])
    style.money_axis(ax, "x")
    assert labels(0, 4e6) == ["¥0", "¥0.5M", "¥1.0M", "¥1.5M", "¥2.0M", "¥2.5M", "¥3.0M",
                              "¥3.5M", "¥4.0M"]
    assert labels(0, 9.5e5)[-1] == "¥800,000"          # below a million: whole yuan
    got = labels(1.0e6, 1.01e6)
    assert len(set(got)) == len(got) and got[:2] == ["¥1.000M", "¥1.002M"]   # all distinct
    plt_close(fig)


def plt_close(fig):
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_report_language_switch():
    from opsnb import ParameterError
    from opsnb.report import i18n

    import opsnb.kpi  # noqa: F401  (registers the KPI catalogue)

    zh = i18n.Translator("zh")
    assert zh("New users per {period} by acquisition channel", period="week") == \
        "各获客渠道每周新增用户"
    assert fmt.header("paying_conversion", "zh") == "付费转化率"
    assert zh("text without an entry") == "text without an entry"
    assert i18n.translate("New users per {period} by acquisition channel", "en",
                          period="week") == "New users per week by acquisition channel"
    with pytest.raises(ParameterError):
        i18n.Translator("fr")
    # the language is always passed: there is no global setting to forget to reset
    assert not any(hasattr(i18n, name) for name in ("set_language", "language", "t"))


def test_markdown_is_translated_in_the_html(tmp_path):
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    from opsnb.runner.run import export_html

    nb = new_notebook(cells=[new_markdown_cell("# KPI overview", metadata={"i18n": {"zh": "# 核心指标概览"}})])
    export_html(nb, tmp_path / "zh.html", lang="zh")
    export_html(nb, tmp_path / "en.html", lang="en")
    assert "核心指标概览" in (tmp_path / "zh.html").read_text(encoding="utf-8")
    assert "核心指标概览" not in (tmp_path / "en.html").read_text(encoding="utf-8")
    assert nbformat.validate(nb) is None


def test_wrap_counts_chinese_as_two_columns():
    lines = style.wrap_text("留存率" * 20 + " and English words stay whole", 30)
    assert all(sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in line) <= 30 for line in lines)
    assert "".join(lines).replace(" ", "").startswith("留存率" * 20)
    assert any("English" in line for line in lines)
    assert style.wrap_text("a b c", 30) == ["a b c"]
