"""``opsnb schedule install``: the crontab line or the systemd service + timer.

Both call ``opsnb schedule run`` every few minutes; opsnb works out which schedules are
due (in their own timezones), so cron's own timezone does not matter, and windows missed
while the machine was off run at the next call (the timer also has ``Persistent=true``).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path


def opsnb_command() -> str:
    """The opsnb executable of this environment (absolute: cron has a minimal PATH)."""
    exe = Path(sys.executable).parent / "opsnb"
    return str(exe) if exe.exists() else f"{sys.executable} -m opsnb.cli"


def run_command(config: Path, out: Path | None = None) -> str:
    parts = [opsnb_command(), "schedule", "run", "--config", str(Path(config).resolve()),
             "--quiet"]
    if out is not None:
        parts += ["--out", str(Path(out).resolve())]
    # the first element may be "python -m opsnb.cli": keep it as written
    return " ".join([parts[0]] + [shlex.quote(p) for p in parts[1:]])


def crontab_line(config: Path, out: Path, every: int = 5) -> str:
    log = Path(out).resolve() / "schedule.log"
    minute = "*" if every == 1 else f"*/{every}"
    return (f"{minute} * * * * {run_command(config, out)} >> {shlex.quote(str(log))} 2>&1")


def systemd_units(config: Path, out: Path, every: int = 5,
                  name: str = "opsnb-reports") -> dict[str, str]:
    workdir = Path(config).resolve().parent
    service = f"""[Unit]
Description=opsnb scheduled reports (runs the schedules in {Path(config).resolve()} that are due)
After=network-online.target

[Service]
Type=oneshot
WorkingDirectory={workdir}
ExecStart={run_command(config, out)}
Nice=10
"""
    timer = f"""[Unit]
Description=Run opsnb scheduled reports every {every} minutes

[Timer]
OnCalendar=*:0/{every}
Persistent=true
Unit={name}.service

[Install]
WantedBy=timers.target
"""
    return {f"{name}.service": service, f"{name}.timer": timer}
