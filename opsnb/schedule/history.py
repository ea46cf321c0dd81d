"""The run history: an append-only JSON-lines manifest, ``<out>/history.jsonl``.

One line per run: schedule, notebook, window, fire time, parameters, status, duration,
error, the opsnb version, the data-source description, and the run's folder (holding
the executed notebook, the audit record). Lines are only ever appended, under an
exclusive lock, in one write each.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import json
import os
import sys
from pathlib import Path

MANIFEST = "history.jsonl"


def manifest_path(out: Path) -> Path:
    return Path(out) / MANIFEST


def append(out: Path, record: dict) -> None:
    path = manifest_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(record, ensure_ascii=False, sort_keys=True, default=str) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
        os.fsync(fd)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def read(out: Path) -> list[dict]:
    path = manifest_path(out)
    if not path.exists():
        return []
    records = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            print(f"opsnb: {path}:{i}: unreadable history line skipped", file=sys.stderr)
    return records


def parse_time(value: str) -> _dt.datetime:
    t = _dt.datetime.fromisoformat(value)
    return t if t.tzinfo else t.replace(tzinfo=_dt.UTC)


def last_fire(records: list[dict], schedule: str) -> _dt.datetime | None:
    times = [parse_time(r["fire_time"]) for r in records
             if r.get("schedule") == schedule and r.get("fire_time")]
    return max(times) if times else None


def done_labels(records: list[dict], schedule: str) -> set[str]:
    """Windows whose latest run succeeded."""
    latest: dict[str, str] = {}
    for r in records:
        if r.get("schedule") == schedule:
            latest[r["window"]["label"]] = r["status"]
    return {label for label, status in latest.items() if status == "ok"}
