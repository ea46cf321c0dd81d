"""``<out>/index.html``: every schedule, its latest report, status and window, and every
earlier run; failed runs marked, with their error page.

Self-contained (inline CSS, no scripts, no external files), readable on a phone (one
column under 640px), every shown string HTML-escaped and every link URL-quoted. A
Content-Security-Policy forbids scripts outright, as a second line of defence.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from urllib.parse import quote

from opsnb.schedule.config import Config

CSS = """
body{font-family:-apple-system,"Segoe UI",Roboto,"Noto Sans CJK SC","PingFang SC",sans-serif;
margin:0;padding:1em;color:#1d1d1f;background:#fafafa;line-height:1.4}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.1em;margin:1.4em 0 .4em;word-break:break-word}
.meta{color:#666;font-size:.9em}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.95em}
th,td{text-align:left;padding:.45em .6em;border-bottom:1px solid #e3e3e3;vertical-align:top;
word-break:break-word}
th{background:#f0f0f3;font-weight:600;word-break:normal}
.ok{color:#0a6b2d;font-weight:600}.failed{color:#a4262c;font-weight:700}
.none{color:#888}
tr.failed-row{background:#fdecea}
.err{color:#a4262c;font-size:.85em;white-space:pre-wrap}
.alert{color:#8a5300;font-size:.85em}
code{font-size:.9em}
.runs a{white-space:nowrap}
@media (max-width:640px){
 table.summary thead{display:none}
 table.summary tr{display:block;border-bottom:2px solid #ccc;padding:.3em 0}
 table.summary td{display:block;border:0;padding:.15em .4em}
 table.summary td::before{content:attr(data-label) ": ";font-weight:600;color:#555}
 table.runs{font-size:.82em} table.runs th,table.runs td{padding:.35em .3em}
}
"""


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _link(out: Path, rel: str | None, text: str) -> str:
    """A link when the file exists, plain text otherwise (retention may have removed it)."""
    if rel and (out / rel).is_file():
        return f'<a href="{_e(quote(rel))}">{_e(text)}</a>'
    return f'<span class="none">{_e(text)} (removed)</span>' if rel else _e(text)


def _page(record: dict) -> str | None:
    path = record.get("path")
    if not path:
        return None
    return f"{path}/{'report.html' if record.get('status') == 'ok' else 'failed.html'}"


def render(config: Config | None, records: list[dict], out: Path, updated: str) -> str:
    out = Path(out)
    names = list(config.schedules) if config else []
    for r in records:
        if r.get("schedule") not in names:
            names.append(r.get("schedule"))
    by_name: dict[str, list[dict]] = {n: [] for n in names}
    for r in records:
        by_name[r.get("schedule")].append(r)

    rows, sections = [], []
    for i, name in enumerate(names):
        sched = config.schedules.get(name) if config else None
        runs = by_name[name]
        last = runs[-1] if runs else None
        good = [r for r in runs if r.get("status") == "ok"]
        latest_good = max(good, key=lambda r: (r["window"]["end"], r["window"]["start"]),
                          default=None)
        how = (f"{sched.window.describe()}, cron <code>{_e(sched.cron.expr)}</code> "
               f"{_e(sched.timezone)}" if sched else "no longer in the schedules file")
        notebook = sched.notebook if sched else (last or {}).get("notebook", "")
        if last is None:
            status = '<span class="none">not run yet</span>'
        elif last["status"] == "ok":
            status = '<span class="ok">OK</span>'
        else:
            status = (f'<span class="failed">FAILED</span> '
                      f'{_link(out, _page(last), "error page")}')
        latest_cell = (_link(out, _page(latest_good), latest_good["window"]["label"])
                       if latest_good else '<span class="none">none yet</span>')
        anchor = f"s{i}"
        rows.append(
            f'<tr class="{"failed-row" if last and last["status"] != "ok" else ""}">'
            f'<td data-label="Schedule"><a href="#{anchor}">{_e(name)}</a></td>'
            f'<td data-label="Report">{_e(notebook)}</td>'
            f'<td data-label="Status">{status}</td>'
            f'<td data-label="Last window">{_e(last["window"]["label"]) if last else ""}</td>'
            f'<td data-label="Latest good report">{latest_cell}</td>'
            f'<td data-label="Runs">{len(runs)}</td></tr>')

        run_rows = []
        for r in reversed(runs):
            ok = r.get("status") == "ok"
            err = f'<div class="err">{_e(r.get("error"))}</div>' if r.get("error") else ""
            alerts = "".join(f'<div class="alert">alert: {_e(a)}</div>'
                             for a in r.get("alerts") or [])
            params = ", ".join(f"{_e(k)}={_e(v)}" for k, v in (r.get("parameters") or {}).items()
                               if k not in ("data_dir", "start_date", "end_date"))
            run_rows.append(
                f'<tr class="{"" if ok else "failed-row"}"><td>{_e(r["window"]["label"])}</td>'
                f'<td><span class="{"ok" if ok else "failed"}">{"OK" if ok else "FAILED"}</span>'
                f'{" (forced)" if r.get("forced") else ""}</td>'
                f'<td>{_link(out, _page(r), "report" if ok else "error page")}{err}{alerts}</td>'
                f'<td>{_e(r.get("started", "")[:16].replace("T", " "))} UTC, '
                f'{float(r.get("duration_s") or 0):.1f}s</td><td>{params}</td></tr>')
        tell = (f"; tell {_e(', '.join(sched.notify))} on failure"
                if sched and sched.notify else "")
        sections.append(
            f'<h2 id="{anchor}">{_e(name)}</h2><p class="meta">{_e(notebook)}: {how}{tell}</p>'
            '<table class="runs"><thead><tr><th>Window</th><th>Status</th><th>Page</th>'
            f'<th>Ran</th><th>Parameters</th></tr></thead><tbody>{"".join(run_rows)}</tbody>'
            '</table>')

    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>opsnb scheduled reports</title><style>{CSS}</style></head><body>
<h1>Scheduled reports</h1>
<p class="meta">Updated {_e(updated)}. Windows are calendar dates in each schedule's timezone;
the data is UTC-dated. Run history: {_link(out, "history.jsonl", "history.jsonl")}.</p>
<table class="summary"><thead><tr><th>Schedule</th><th>Report</th><th>Status</th>
<th>Last window</th><th>Latest good report</th><th>Runs</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
{"".join(sections)}
</body></html>
"""


def write_index(config: Config | None, records: list[dict], out: Path, updated: str) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "index.html"
    tmp = out / f".index-{os.getpid()}.html"
    tmp.write_text(render(config, records, out, updated), encoding="utf-8")
    os.replace(tmp, path)
    return path
