"""One lock file per schedule (``fcntl.flock``), so overlapping invocations never run the
same schedule twice. The lock is released by the kernel when the process ends, so a
crashed run leaves no stale lock behind."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def schedule_lock(out: Path, slug: str, blocking: bool = False):
    """Yield True when this process holds the schedule's lock, False when another does."""
    folder = Path(out) / ".locks"
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / f"{slug}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
