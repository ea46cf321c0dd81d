"""Timing and memory helpers shared by the benchmarks."""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Callable

# benchmarks measure the cold path: every DataSource validates its tables again. A benchmark
# that measures the validation cache (repeated runs over unchanged files) turns it on itself.
os.environ.setdefault("OPSNB_VALIDATION_CACHE", "0")


def timed(fn: Callable, repeat: int = 3):
    """(best seconds, last result) over `repeat` runs."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def cpu_timed(fn: Callable, repeat: int = 1):
    """(best wall seconds, CPU seconds of that run: every thread of this process, result)."""
    best, cpu, out = float("inf"), 0.0, None
    for _ in range(repeat):
        c0 = time.process_time()
        t, out = timed(fn, repeat=1)
        if t < best:
            best, cpu = t, time.process_time() - c0
    return best, cpu, out


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(rows: list[dict]) -> None:
    """The last stdout line of a benchmark: its rows as JSON (read by benchmarks/run.py)."""
    print(json.dumps(rows, ensure_ascii=False))
