"""Retention of outputs: keep the last K windows and/or the windows of the last N days.

Applied per schedule after its runs. The window ``latest`` points at is never removed;
failed-run folders go with their window. History lines are never removed (the index
shows pruned runs without a link).
"""

from __future__ import annotations

import datetime as _dt
import shutil
from pathlib import Path


def _label_end(label: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(label.split("_")[-1][:10])
    except ValueError:
        return None


def prune(schedule_dir: Path, keep_runs: int | None, keep_days: int | None,
          today: _dt.date) -> list[str]:
    """Remove old window folders; returns the labels removed."""
    schedule_dir = Path(schedule_dir)
    if not schedule_dir.is_dir() or (keep_runs is None and keep_days is None):
        return []
    labels: dict[str, list[Path]] = {}
    for p in schedule_dir.iterdir():
        if p.name.startswith(".") or p.name == "latest" or not p.is_dir() or p.is_symlink():
            continue
        label = p.name.removesuffix("-failed")
        if _label_end(label) is None:
            continue
        labels.setdefault(label, []).append(p)
    latest = schedule_dir / "latest"
    protect = latest.resolve().name if latest.is_symlink() else None
    order = sorted(labels, key=lambda lb: (_label_end(lb), lb))
    remove = set()
    if keep_runs is not None and len(order) > keep_runs:
        remove.update(order[:-keep_runs])
    if keep_days is not None:
        cutoff = today - _dt.timedelta(days=keep_days)
        remove.update(lb for lb in order if _label_end(lb) < cutoff)
    remove.discard(protect)
    for label in sorted(remove):
        for p in labels[label]:
            shutil.rmtree(p)
    return sorted(remove)
