"""`opsnb schedule run --as-of` end to end: a simulated week of hourly calls, catch-up,
reruns, --force, failures with hook and webhook, thresholds, retention, the lock, and a
real report."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from opsnb.cli import main
from opsnb.schedule import history
from opsnb.schedule.lock import schedule_lock
from test_schedule_support import write_config, write_tiny_notebook

UTC = dt.UTC
BIN = Path(sys.executable).parent
SCRIPT_NAME = "<script>document.title='pwned'</script>"
WEEK_START = dt.datetime(2026, 10, 28, tzinfo=UTC)
# the machine is off from 29 Oct 05:00 to 30 Oct 11:00 UTC (no calls at all)
OFF = (dt.datetime(2026, 10, 29, 5, tzinfo=UTC), dt.datetime(2026, 10, 30, 11, tzinfo=UTC))


def run(config: Path, *args: str) -> int:
    return main(["schedule", "run", "--config", str(config), "-q", *args])


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    """Hourly `opsnb schedule run --as-of` calls over a week, recording what each call ran."""
    root = tmp_path_factory.mktemp("week")
    write_tiny_notebook(root / "nb")
    config = write_config(root / "reports.yaml", {
        "out": "out", "notebooks": "nb",
        "schedules": {
            "daily_ny": {"notebook": "tiny", "cron": "0 6 * * *", "timezone": "America/New_York",
                         "window": "last_complete_day",
                         "parameters": {"channel": "抖音 <b>bold</b>"}},
            "weekly_berlin": {"notebook": "tiny", "cron": "0 7 * * mon",
                              "timezone": "Europe/Berlin", "window": "last_complete_week"},
            "monthly_shanghai": {"notebook": "tiny", "cron": "0 9 1 * *",
                                 "timezone": "Asia/Shanghai", "window": "last_complete_month"},
            SCRIPT_NAME: {"notebook": "tiny", "cron": "0 12 * * *", "timezone": "UTC",
                          "window": {"start": "2026-10-01", "end": "2026-10-07"},
                          "parameters": {"channel": "<img src=x onerror=alert(1)>"}},
        }})
    out = root / "out"
    ran: list[tuple[str, str, str]] = []     # (call time, schedule, window label)
    codes = []
    for hour in range(7 * 24):
        now = WEEK_START + dt.timedelta(hours=hour)
        if OFF[0] <= now <= OFF[1]:
            continue
        before = len(history.read(out))
        codes.append(run(config, "--as-of", now.isoformat()))
        for r in history.read(out)[before:]:
            ran.append((now.strftime("%m-%d %H"), r["schedule"], r["window"]["label"]))
    return {"root": root, "config": config, "out": out, "ran": ran, "codes": codes}


def test_a_simulated_week_runs_exactly_the_due_windows(week):
    assert set(week["codes"]) == {0} and len(week["codes"]) == 168 - 31
    assert week["ran"] == [
        # first call: each schedule runs the window of its latest fire time
        ("10-28 00", "daily_ny", "2026-10-26"),
        ("10-28 00", "weekly_berlin", "2026-10-19_2026-10-25"),     # the Berlin DST week
        ("10-28 00", "monthly_shanghai", "2026-09-01_2026-09-30"),
        ("10-28 00", SCRIPT_NAME, "2026-10-01_2026-10-07"),         # fixed: once, then done
        # 06:00 New York is 10:00 UTC under EDT ...
        ("10-28 10", "daily_ny", "2026-10-27"),
        # the machine was off on 29 Oct 10:00 and 30 Oct 10:00: caught up at the next call
        ("10-30 12", "daily_ny", "2026-10-28"),
        ("10-30 12", "daily_ny", "2026-10-29"),
        ("10-31 10", "daily_ny", "2026-10-30"),
        # 09:00 Shanghai on 1 Nov is 01:00 UTC: October, across the month boundary
        ("11-01 01", "monthly_shanghai", "2026-10-01_2026-10-31"),
        # ... and 11:00 UTC once New York left DST on 1 Nov
        ("11-01 11", "daily_ny", "2026-10-31"),
        # Monday 07:00 Berlin (CET) is 06:00 UTC: the ISO week 26 Oct - 1 Nov
        ("11-02 06", "weekly_berlin", "2026-10-26_2026-11-01"),
        ("11-02 11", "daily_ny", "2026-11-01"),
        ("11-03 11", "daily_ny", "2026-11-02"),
    ]
    out = week["out"]
    records = history.read(out)
    assert len(records) == 13 and {r["status"] for r in records} == {"ok"}
    for r in records:
        # the notebook got the window as start_date/end_date (it never reads the clock)
        summary = json.loads((out / r["path"] / "summary.json").read_text(encoding="utf-8"))
        assert (summary["window"]["start"], summary["window"]["end"]) == (
            r["window"]["start"], r["window"]["end"])
        assert (out / r["executed_notebook"]).is_file()      # the audit record
        assert r["path"] == f"{r['slug']}/{r['window']['label']}"  # a pure function of both
        assert r["opsnb_version"] and r["data_source"].startswith("tiny:")
        assert r["duration_s"] > 0 and r["error"] is None
    ny = [r for r in records if r["schedule"] == "daily_ny"]
    assert [r["fire_time"][11:16] for r in ny] == ["10:00"] * 5 + ["11:00"] * 3
    assert ny[0]["parameters"]["channel"] == "抖音 <b>bold</b>"
    assert os.readlink(out / "daily_ny" / "latest") == "2026-11-02"
    assert os.readlink(out / "weekly_berlin" / "latest") == "2026-10-26_2026-11-01"


def test_reruns_are_skipped_and_force_reruns(week):
    config, out = week["config"], week["out"]
    n = len(history.read(out))
    page = out / "daily_ny" / "2026-11-02" / "report.html"
    mtime = page.stat().st_mtime_ns
    # the same instant again, and an earlier one: nothing runs
    assert run(config, "--as-of", "2026-11-03T11:00") == 0
    assert run(config, "--as-of", "2026-10-30T12:00") == 0
    assert len(history.read(out)) == n and page.stat().st_mtime_ns == mtime
    # --force reruns the current window of the chosen schedule only
    assert run(config, "--as-of", "2026-11-03T11:30", "--only", "daily_ny", "--force") == 0
    new = history.read(out)[n:]
    assert [(r["schedule"], r["window"]["label"], r["forced"], r["status"]) for r in new] == [
        ("daily_ny", "2026-11-02", True, "ok")]
    assert page.stat().st_mtime_ns != mtime
    assert main(["schedule", "run", "--config", str(config), "--only", "nope", "-q"]) == 2


@pytest.fixture
def webhook():
    bodies = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *a):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", bodies
    server.shutdown()


def test_failure_threshold_hook_and_retention(tmp_path, webhook):
    url, posted = webhook
    write_tiny_notebook(tmp_path / "nb")
    hook_file = tmp_path / "hook.jsonl"
    hook_cmd = [sys.executable, "-c",
                "import os, sys; open(sys.argv[1], 'a').write(sys.stdin.read() + '\\n'); "
                "open(sys.argv[1] + '.env', 'a').write(os.environ['OPSNB_WINDOW_START'] + '\\n')",
                str(hook_file)]

    def config(**params):
        return write_config(tmp_path / "reports.yaml", {
            "out": "out", "notebooks": "nb",
            "schedules": {"flaky": {
                "notebook": "tiny", "cron": "0 6 * * *", "window": "last_complete_day",
                "parameters": params, "notify": ["ops@example.com"], "keep": {"runs": 2},
                "on_failure": {"command": hook_cmd, "webhook": url},
                "alerts": [{"metric": "headline.metric", "drop_more_than": 0.5,
                            "label": "the metric"},
                           {"metric": "headline.channel", "equals": "paused"}]}}})

    out = tmp_path / "out"
    assert run(config(metric=3.0), "--as-of", "2026-11-02T07:00") == 0
    assert not hook_file.exists() and posted == []
    # a drop of 1.0 > 0.5 against the previous window's summary.json: an alert, exit 0
    assert run(config(metric=2.0, channel="paused"), "--as-of", "2026-11-03T07:00") == 0
    rec = history.read(out)[-1]
    assert rec["alerts"] == ["the metric dropped by 1 (from 3 to 2; limit 0.5)",
                             'headline.channel is "paused"']
    event = json.loads(hook_file.read_text(encoding="utf-8").splitlines()[0])
    assert (event["event"], event["schedule"], event["alerts"]) == (
        "threshold", "flaky", rec["alerts"])
    good = (out / "flaky" / "latest").resolve()
    assert good.name == "2026-11-02"

    # a failing notebook: exit 1, failed-run page, manifest line, hook + webhook calls
    assert run(config(fail=True), "--as-of", "2026-11-04T07:00") == 1
    rec = history.read(out)[-1]
    assert (rec["status"], rec["window"]["label"]) == ("failed", "2026-11-03")
    assert rec["error"] == "RuntimeError: planted failure for 2026-11-03..2026-11-03"
    assert rec["path"] == "flaky/2026-11-03-failed" and rec["hook_problems"] == []
    page = (out / rec["path"] / "failed.html").read_text(encoding="utf-8")
    assert "planted failure for 2026-11-03..2026-11-03" in page and "Failing cell" in page
    events = [json.loads(line) for line in hook_file.read_text(encoding="utf-8").splitlines()]
    failed = events[-1]
    assert (failed["event"], failed["schedule"], failed["window"]["start"], failed["error"],
            failed["notify"]) == ("failed", "flaky", "2026-11-03", rec["error"],
                                  ["ops@example.com"])
    assert failed["page"] == str(out / rec["path"] / "failed.html")
    assert (tmp_path / "hook.jsonl.env").read_text().split() == ["2026-11-02", "2026-11-03"]
    assert [b["event"] for b in posted] == ["threshold", "failed"]
    assert posted[-1]["error"] == rec["error"]
    # the last good report stays in place
    assert (out / "flaky" / "latest").resolve() == good
    assert (good / "report.html").is_file()
    # retention keep.runs 2: the oldest window (2 Nov's run of 1 Nov) is gone
    assert sorted(p.name for p in (out / "flaky").iterdir() if not p.name.startswith(".")) == [
        "2026-11-02", "2026-11-03-failed", "latest"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "FAILED" in index and 'href="flaky/2026-11-03-failed/failed.html"' in index
    assert "2026-11-01 (removed)" not in index and "report (removed)" in index

    # a broken hook never stops the scheduler; its problem is recorded
    write_config(tmp_path / "reports.yaml", {
        "out": "out", "notebooks": "nb",
        "schedules": {"flaky": {"notebook": "tiny", "cron": "0 6 * * *",
                                "window": "last_complete_day", "parameters": {"fail": True},
                                "on_failure": {"command": [str(tmp_path / "missing-hook")]}}}})
    assert run(tmp_path / "reports.yaml", "--as-of", "2026-11-05T07:00") == 1
    assert "hook command failed" in history.read(out)[-1]["hook_problems"][0]


def test_the_lock(tmp_path):
    with schedule_lock(tmp_path, "s") as first:
        results = []
        t = threading.Thread(target=lambda: results.append(
            schedule_lock(tmp_path, "s").__enter__()))
        t.start()
        t.join()
        assert first is True and results == [False]
    with schedule_lock(tmp_path, "s") as again:
        assert again is True


def test_two_concurrent_invocations_run_a_schedule_once(tmp_path):
    write_tiny_notebook(tmp_path / "nb")
    config = write_config(tmp_path / "reports.yaml", {
        "out": "out", "notebooks": "nb",
        "schedules": {"slow": {"notebook": "tiny", "cron": "0 6 * * *",
                               "window": "last_complete_day", "parameters": {"sleep": 4.0}}}})
    cmd = [str(BIN / "opsnb"), "schedule", "run", "--config", str(config),
           "--as-of", "2026-11-02T07:00"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert [rc for rc, _ in results] == [0, 0]
    records = history.read(tmp_path / "out")
    assert [(r["schedule"], r["window"]["label"]) for r in records] == [("slow", "2026-11-01")]
    logs = [err for _, err in results]
    assert sum("running slow (tiny) window 2026-11-01" in e for e in logs) == 1
    assert sum("another invocation is running it; skipped" in e for e in logs) == 1


def test_a_real_report_on_the_sample_data(tmp_path):
    config = write_config(tmp_path / "reports.yaml", {
        "out": "out",
        "schedules": {"kpi_weekly": {"notebook": "kpi_overview", "cron": "0 8 * * mon",
                                     "timezone": "Asia/Shanghai", "window": "last_complete_week",
                                     "parameters": {"period": "day"}}}})
    # Monday 26 Oct 08:00 Shanghai is 00:00 UTC: the ISO week 19-25 Oct
    assert run(config, "--as-of", "2026-10-26T00:30") == 0
    rec = history.read(tmp_path / "out")[-1]
    run_dir = tmp_path / "out" / rec["path"]
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert (summary["window"]["start"], summary["window"]["end"]) == ("2026-10-19", "2026-10-25")
    assert summary["parameters"]["period"] == "day"
    assert rec["data_source"] == summary["data_source"] and "sample" in rec["data_source"]
    assert "data:image/png;base64," in (run_dir / "report.html").read_text(encoding="utf-8")


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def chromium():
    """Debian's chromium; installed here when missing and we are root (a fresh CI machine)."""
    import shutil
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], env=env,
                       capture_output=True, timeout=1200)
        exe = shutil.which("chromium")
    if exe is None:
        pytest.skip("chromium is not installed and cannot be installed here "
                    "(needs root and apt-get: apt-get install -y chromium)")
    return exe


def test_index_in_headless_chromium(week, chromium, tmp_path):
    from html.parser import HTMLParser
    from urllib.parse import unquote

    from PIL import Image

    out = week["out"]
    index = out / "index.html"
    raw = index.read_text(encoding="utf-8")

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs = []

        def handle_starttag(self, tag, attrs):
            for k, v in attrs:
                if k in ("href", "src"):
                    self.hrefs.append(v)

    parser = Links()
    parser.feed(raw)
    files = [h for h in parser.hrefs if not h.startswith("#")]
    # every run's page, the latest good report of each schedule, the history
    assert len(files) >= len(history.read(out)) + 4
    assert all(not h.startswith(("http:", "https:", "//", "/")) for h in files)  # self-contained
    for h in files:
        assert (out / unquote(h)).is_file(), h
    # every string escaped: no tag from a schedule or channel name reaches the markup
    assert "<script" not in raw.lower() and "<img" not in raw.lower() and "<b>" not in raw
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in raw
    assert "抖音 &lt;b&gt;bold&lt;/b&gt;" in raw

    profile = tmp_path / "profile"
    base = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run([*base, "--dump-dom", index.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    # the name is shown as text; no script ran (it would have changed the title)
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom
    assert "<title>opsnb scheduled reports</title>" in dom and "pwned</title>" not in dom
    assert "<script" not in dom.lower()
    assert "2026-10-26_2026-11-01" in dom and "monthly_shanghai" in dom

    import numpy as np

    for size in ((1280, 900), (412, 1400)):          # a desktop and a phone
        png = tmp_path / f"index-{size[0]}.png"
        subprocess.run([*base, f"--screenshot={png}", f"--window-size={size[0]},{size[1]}",
                        "--hide-scrollbars", index.as_uri()], capture_output=True, timeout=120,
                       check=True)
        assert png.stat().st_size > 20_000
        img = np.asarray(Image.open(png).convert("RGB"))
        assert img.shape == (size[1], size[0], 3)
        dark = (img.min(axis=2) < 160).mean()                 # text
        shaded = ((img.min(axis=2) > 225) & (img.min(axis=2) < 250)).mean()  # header, rules
        colours = len(np.unique(img.reshape(-1, 3), axis=0))
        assert dark > 0.01 and shaded > 0.01 and colours > 100, (size, dark, shaded, colours)
        keep = os.environ.get("OPSNB_KEEP_SCREENSHOT")
        if keep:
            import shutil
            shutil.copy(png, f"{keep}-{size[0]}.png")
