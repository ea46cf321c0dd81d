"""Headless Chromium for the tests: open an HTML file, let its scripts run, read what shows.

``page_title_and_text(path)`` runs ``chromium --headless --dump-dom`` on a file and returns the
document's ``<title>`` and the visible text of its body, both taken *after* scripts ran. An
injected script or ``onerror`` handler that changed ``document.title`` therefore shows in the
title, and markup that was escaped shows in the text as the literal characters.

The browser runs offline (every host name fails to resolve), with a fresh profile per call,
and with a virtual time budget, so that timers and failed image loads fire before the dump.
``chromium_path()`` finds the browser, installing it once with ``.ci/ensure-chromium`` when
it is missing; tests skip when it returns None.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENSURE = ROOT / ".ci" / "ensure-chromium"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
    # offline: a report must be judged as an offline reader sees it, and a CDN that cannot be
    # reached must fail at once instead of holding the virtual clock
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
    "--virtual-time-budget=3000",
)
TIMEOUT_S = 120
# elements whose text is not shown on the page
_HIDDEN = {"script", "style", "template", "noscript", "head", "title"}
# elements that do not break the text flow; every other tag separates words, as on screen
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i",
           "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
           "var"}
# elements without an end tag
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


def _which() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


@functools.cache
def chromium_path() -> str | None:
    """The Chromium binary, after one ``.ci/ensure-chromium`` run if it was missing; or None."""
    path = _which()
    if path is None and ENSURE.exists():
        subprocess.run(["bash", str(ENSURE)], check=False, timeout=900,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        path = _which()
    return path


def dump_dom(html_path: Path, chromium: str | None = None, timeout: float = TIMEOUT_S) -> str:
    """The document of ``html_path`` as serialised by Chromium after its scripts ran."""
    browser = chromium or chromium_path()
    if browser is None:
        raise RuntimeError("chromium is not installed (run .ci/ensure-chromium)")
    url = Path(html_path).resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="opsnb-chromium-") as profile:
        # a session of its own, so that a hung browser is ended with all its child processes
        proc = subprocess.Popen(
            [browser, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
            errors="replace", start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RuntimeError(f"chromium did not finish {html_path} in {timeout:g} s") from None
    if proc.returncode != 0 or "<html" not in out.lower():
        tail = "\n".join(err.strip().splitlines()[-15:])
        raise RuntimeError(f"chromium failed on {html_path} (exit {proc.returncode}):\n{tail}")
    return out


class _TextParser(HTMLParser):
    """Collects the <title> text and the visible text of <body> of a serialised DOM."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.text: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._separate(tag)
        if tag not in _VOID:
            self._stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._separate(tag)  # <x/> opens nothing

    def handle_endtag(self, tag: str) -> None:
        self._separate(tag)
        if tag in self._stack:  # close the innermost open element of that name
            while self._stack and self._stack.pop() != tag:
                pass

    def _separate(self, tag: str) -> None:
        if tag not in _INLINE:
            self.text.append(" ")

    def handle_data(self, data: str) -> None:
        if "title" in self._stack and "svg" not in self._stack:
            self.title.append(data)
        elif "body" in self._stack and not _HIDDEN.intersection(self._stack):
            self.text.append(data)



def _squash(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def parse_dom(dom: str) -> tuple[str, str]:
    """``(title, visible body text)`` of serialised HTML, whitespace runs squashed to one space."""
    parser = _TextParser()
    parser.feed(dom)
    parser.close()
    return _squash(parser.title), _squash(parser.text)


def page_title_and_text(html_path: Path, chromium: str | None = None) -> tuple[str, str]:
    """Open ``html_path`` in headless Chromium: its title and visible text after scripts ran."""
    return parse_dom(dump_dom(html_path, chromium))
