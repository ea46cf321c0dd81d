"""``opsnb schedule run``: run every schedule that is due at an instant.

For each schedule (under its lock): read the history, plan the due windows
(``opsnb.schedule.due``), run each through the report runner into
``<out>/<schedule>/<window-label>/``, append a history line, call the failure hook,
check the summary thresholds, prune old outputs; then regenerate ``<out>/index.html``.
Exit status 1 when any run failed.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import opsnb
from opsnb.schedule import alerts, history, retention
from opsnb.schedule.config import Config, Schedule
from opsnb.schedule.due import DueRun, plan
from opsnb.schedule.index import write_index
from opsnb.schedule.lock import schedule_lock

UTC = _dt.UTC


@dataclass
class Outcome:
    ran: list[dict] = field(default_factory=list)          # the history records written
    skipped_done: list[tuple[str, str]] = field(default_factory=list)
    pending: list[tuple[str, str]] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)        # another invocation held the lock
    index: Path | None = None

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.ran if r["status"] != "ok"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def parse_as_of(value: str | None) -> _dt.datetime:
    """An instant: ISO 8601 with or without offset (no offset means UTC); None means now."""
    if value is None or value == "":
        return _dt.datetime.now(UTC).replace(microsecond=0)
    try:
        t = _dt.datetime.fromisoformat(value.strip().replace(" ", "T", 1).replace("Z", "+00:00"))
    except ValueError as exc:
        raise opsnb.ParameterError(f"--as-of {value!r}: use an ISO time such as "
                                   "2026-11-02T07:00 (UTC) or 2026-11-02T07:00+01:00") from exc
    return (t if t.tzinfo else t.replace(tzinfo=UTC)).astimezone(UTC)


def _point_latest(schedule_dir: Path) -> None:
    """``latest`` -> the successful window with the latest dates (not the latest run)."""
    good = sorted((p for p in schedule_dir.iterdir()
                   if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")
                   and (p / "report.html").is_file()),
                  key=lambda p: (p.name.split("_")[-1], p.name))
    link = schedule_dir / "latest"
    if not good:
        return
    tmp = schedule_dir / f".latest-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(good[-1].name, target_is_directory=True)
    os.replace(tmp, link)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _previous_summary(out: Path, records: list[dict], name: str, due: DueRun) -> dict | None:
    """summary.json of the latest successful window that ended before this one started."""
    before = [r for r in records if r.get("schedule") == name and r.get("status") == "ok"
              and r["window"]["end"] < due.window.start.isoformat()]
    for r in sorted(before, key=lambda r: r["window"]["end"], reverse=True):
        doc = _read_json(out / r["path"] / "summary.json")
        if doc is not None:
            return doc
    return None


def broken_run_page(schedule_dir: Path, label: str, error: str) -> Path:
    """``<label>-failed/failed.html`` for a run whose runner broke (export, disk)."""
    path = schedule_dir / f"{label}-failed"
    path.mkdir(parents=True, exist_ok=True)
    (path / "failed.html").write_text(
        f"<!doctype html><meta charset='utf-8'><h1>Run failed</h1><pre>"
        f"{html.escape(error)}</pre>", encoding="utf-8")
    return path


def _run_one(config: Config, out: Path, s: Schedule, due: DueRun, as_of: _dt.datetime,
             records: list[dict], progress: bool, echo) -> dict:
    from opsnb.runner.run import run_report

    schedule_dir = out / s.slug
    params = {**s.parameters, **due.window.parameters()}
    data = s.data or config.data
    started = _dt.datetime.now(UTC)
    t0 = time.perf_counter()
    try:
        res = run_report(s.notebook, data=data, out=out, parameters=params,
                         run_id=due.window.label, progress=progress, timeout=s.timeout,
                         notebooks=config.notebooks, echo=echo, report_dir=schedule_dir)
        status, error, path = res.status, res.error, res.path
        public = res.parameters
    except Exception as exc:  # the runner itself broke (export, disk): a failed run all the same
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        path = broken_run_page(schedule_dir, due.window.label, error)
        public = {**params, "data_dir": data}
    return record_run(config, out, s, due, as_of, records, status=status, error=error, path=path,
                      parameters=public, started=started,
                      duration=time.perf_counter() - t0, echo=echo)


def record_run(config: Config, out: Path, s: Schedule, due: DueRun, as_of: _dt.datetime,
               records: list[dict], *, status: str, error: str | None, path: Path,
               parameters: dict, started: _dt.datetime, duration: float, echo) -> dict:
    """After a run of one window: ``latest``, the history line, the failure hook or the
    thresholds. Shared by ``opsnb schedule run`` and the Airflow DAG
    (``opsnb.schedule.airflow``)."""
    schedule_dir = out / s.slug
    if status == "ok":
        _point_latest(schedule_dir)
    summary = _read_json(path / "summary.json") if status == "ok" else None
    record = {
        "schedule": s.name, "slug": s.slug, "notebook": s.notebook,
        "window": due.window.to_dict(), "timezone": s.timezone, "cron": s.cron.expr,
        "fire_time": due.fire_time.isoformat(), "as_of": as_of.isoformat(),
        "started": started.isoformat(timespec="seconds"), "duration_s": round(duration, 3),
        "status": status, "error": error, "forced": due.forced,
        "parameters": parameters, "path": path.relative_to(out).as_posix(),
        "executed_notebook": (path.relative_to(out) / "report.ipynb").as_posix(),
        "opsnb_version": opsnb.__version__,
        "data_source": (summary or {}).get("data_source") or str(parameters.get("data_dir") or ""),
        "alerts": [], "hook_problems": [],
    }
    payload = {"schedule": s.name, "notebook": s.notebook, "notify": s.notify,
               "window": due.window.to_dict(), "as_of": as_of.isoformat(),
               "page": str(path / ("report.html" if status == "ok" else "failed.html"))}
    if status != "ok":
        record["hook_problems"] += alerts.call_hook(s.on_failure,
                                                    {"event": "failed", "error": error, **payload})
    elif s.alerts and summary is not None:
        fired = alerts.check_thresholds(s.alerts, summary,
                                        _previous_summary(out, records, s.name, due))
        record["alerts"] = fired
        if fired:
            echo(f"opsnb schedule: {s.name} {due.window.label}: ALERT " + "; ".join(fired))
            record["hook_problems"] += alerts.call_hook(
                s.on_failure, {"event": "threshold", "error": None, "alerts": fired, **payload})
    for problem in record["hook_problems"]:
        echo(f"opsnb schedule: {s.name}: {problem}")
    history.append(out, record)
    return record


def run_schedules(config: Config, as_of: _dt.datetime | None = None,
                  only: list[str] | None = None, force: bool = False, quiet: bool = False,
                  out: Path | None = None, echo=None) -> Outcome:
    as_of = (as_of or parse_as_of(None)).astimezone(UTC)
    out = Path(out or config.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    loud = (lambda m: print(m, file=sys.stderr))
    echo = echo or loud
    say = (lambda m: None) if quiet else echo
    progress = not quiet and sys.stderr.isatty()
    outcome = Outcome()
    for s in config.select(only):
        with schedule_lock(out, s.slug) as held:
            if not held:
                say(f"opsnb schedule: {s.name}: another invocation is running it; skipped")
                outcome.locked.append(s.name)
                continue
            records = history.read(out)
            done = history.done_labels(records, s.name)
            sdir = out / s.slug
            if sdir.is_dir():
                done |= {p.name for p in sdir.iterdir() if (p / "report.html").is_file()}
            p = plan(s, as_of, history.last_fire(records, s.name), done, force=force)
            outcome.skipped_done += [(s.name, w.label) for w in p.done]
            outcome.pending += [(s.name, w.label) for w in p.pending]
            for w in p.pending:
                say(f"opsnb schedule: {s.name} {w.label}: waits until {w.ready_at:%Y-%m-%d %H:%M} "
                    "UTC, when its last day is complete in UTC")
            for due in p.due:
                say(f"opsnb schedule: running {s.name} ({s.notebook}) window {due.window.label}"
                    + (" (forced)" if due.forced else ""))
                rec = _run_one(config, out, s, due, as_of, records, progress, echo)
                records.append(rec)
                outcome.ran.append(rec)
                if rec["status"] == "ok":
                    say(f"opsnb schedule: {s.name} {due.window.label}: ok in "
                        f"{rec['duration_s']:.1f}s -> {out / rec['path'] / 'report.html'}")
                else:
                    echo(f"opsnb schedule: {s.name} {due.window.label}: FAILED: {rec['error']} "
                         f"-> {out / rec['path'] / 'failed.html'}")
            if p.due:
                prune_runs(out, s, as_of, say)
    outcome.index = refresh_index(config, out, as_of)
    return outcome


def prune_runs(out: Path, s: Schedule, as_of: _dt.datetime, say) -> list[str]:
    """Retention (``keep:``) of one schedule's run folders, after it ran."""
    removed = retention.prune(out / s.slug, s.keep_runs, s.keep_days,
                              as_of.astimezone(s.zone).date())
    if removed:
        say(f"opsnb schedule: {s.name}: removed old runs {', '.join(removed)}")
    return removed


def refresh_index(config: Config, out: Path, as_of: _dt.datetime) -> Path:
    """``<out>/index.html`` from the whole history."""
    return write_index(config, history.read(out), out, updated=f"{as_of:%Y-%m-%d %H:%M} UTC")
