"""The headless-Chromium harness detects an attack: live markup runs, escaped markup shows.

These tests prove the harness that the markup-injection test relies on: a page with a live
``<img onerror>`` or ``<script>`` that sets ``document.title`` must come back with the changed
title, and the same payload escaped must leave the title alone and show as text.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from browser import chromium_path, page_title_and_text, parse_dom

from opsnb.data.shapes import PAYLOAD, PWNED

TITLE = "Weekly report"
IMG = f"<img src=x onerror=\"document.title='{PWNED}'\">"
SCRIPT = f"<script>document.title='{PWNED}'</script>"
ATTACKS = pytest.mark.parametrize("payload", [IMG, SCRIPT, PAYLOAD],
                                  ids=["img-onerror", "script", "PAYLOAD"])


def _page(folder: Path, body: str, name: str = "page.html") -> Path:
    path = folder / name
    path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{TITLE}</title>"
                    f"</head><body><h1>抖音 channel</h1><p>{body}</p></body></html>",
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        pytest.skip("chromium is not installed (run .ci/ensure-chromium)")
    return path


def test_parse_dom_reads_title_and_visible_text():
    dom = ("<html><head><title> A  report </title><style>p {}</style></head><body>"
           "<p>one<br>two</p><script>var x = '<b>';</script><svg><title>tip</title></svg>"
           "<p>&lt;b&gt;<b>bold</b>&lt;/b&gt;</p><img src=x><div/>three</body></html>")
    assert parse_dom(dom) == ("A report", "one two <b>bold</b> three")


@ATTACKS
def test_live_payload_changes_the_title(tmp_path, chromium, payload):
    title, text = page_title_and_text(_page(tmp_path, f"campaign {payload}"), chromium)
    assert title == PWNED
    assert "抖音 channel" in text and "onerror" not in text


@ATTACKS
def test_escaped_payload_shows_as_text(tmp_path, chromium, payload):
    title, text = page_title_and_text(_page(tmp_path, f"campaign {html.escape(payload)}"),
                                      chromium)
    assert title == TITLE
    assert f"campaign {payload.strip()}" in text


def test_escaped_payload_shows_the_bold_tag_literally(tmp_path, chromium):
    title, text = page_title_and_text(_page(tmp_path, html.escape(PAYLOAD)), chromium)
    assert title == TITLE
    assert "<b>" in text and "<script>" in text


def test_offline_resources_fail_fast(tmp_path, chromium):
    # a report that loads a script from a CDN (nbconvert's require.js, MathJax) still opens
    page = _page(tmp_path, "<script src='https://cdn.example.invalid/x.js'></script>ok")
    title, text = page_title_and_text(page, chromium)
    assert (title, text) == (TITLE, "抖音 channel ok")
