"""Alerts: the failure hook (a command and/or a webhook) and thresholds on summary.json.

The hook receives one JSON document (on stdin for a command, as the POST body for a
webhook)::

    {"event": "failed" | "threshold", "schedule": ..., "notebook": ..., "notify": [...],
     "window": {"kind", "start", "end", "label"}, "error": "...", "alerts": [...],
     "page": "/abs/path/failed.html or report.html", "as_of": "..."}

A command also gets ``OPSNB_EVENT``, ``OPSNB_SCHEDULE``, ``OPSNB_WINDOW_START``,
``OPSNB_WINDOW_END``, ``OPSNB_ERROR`` and ``OPSNB_PAGE`` in its environment. A command is
run without a shell (a string is split like a shell would, with ``shlex``).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import urllib.error
import urllib.request
from typing import Any

from opsnb.schedule.config import Hook, Threshold

_MISSING = object()


def call_hook(hook: Hook | None, payload: dict) -> list[str]:
    """Run the hook; returns the problems met (a broken hook never stops the scheduler)."""
    if hook is None:
        return []
    problems = []
    body = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
    if hook.command:
        argv = shlex.split(hook.command) if isinstance(hook.command, str) else list(hook.command)
        window = payload.get("window") or {}
        env = {**os.environ, "OPSNB_EVENT": payload.get("event", ""),
               "OPSNB_SCHEDULE": payload.get("schedule", ""),
               "OPSNB_WINDOW_START": window.get("start", ""),
               "OPSNB_WINDOW_END": window.get("end", ""),
               "OPSNB_ERROR": payload.get("error") or "", "OPSNB_PAGE": payload.get("page", "")}
        try:
            res = subprocess.run(argv, input=body, env=env, capture_output=True,
                                 timeout=hook.timeout, check=False)
            if res.returncode != 0:
                problems.append(f"hook command exited {res.returncode}: "
                                f"{res.stderr.decode(errors='replace').strip()[:300]}")
        except (OSError, subprocess.TimeoutExpired) as exc:
            problems.append(f"hook command failed: {exc}")
    if hook.webhook:
        req = urllib.request.Request(hook.webhook, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "User-Agent": "opsnb-schedule"})
        try:
            # the URL comes from reports.yaml, checked to be http(s)
            with urllib.request.urlopen(req, timeout=hook.timeout) as resp:  # noqa: S310
                resp.read()
        except (urllib.error.URLError, OSError, ValueError) as exc:
            problems.append(f"webhook {hook.webhook} failed: {exc}")
    return problems


def lookup(doc: Any, path: str) -> list[Any]:
    """Values at a dotted path; ``*`` walks every item of a list or dict; [] when absent."""
    current = [doc]
    for part in path.split("."):
        nxt = []
        for node in current:
            if part == "*":
                if isinstance(node, list):
                    nxt.extend(node)
                elif isinstance(node, dict):
                    nxt.extend(node.values())
            elif isinstance(node, dict) and part in node:
                nxt.append(node[part])
            elif isinstance(node, list) and part.lstrip("-").isdigit():
                i = int(part)
                if -len(node) <= i < len(node):
                    nxt.append(node[i])
        current = nxt
    return current


def _num(v) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def check_thresholds(rules: list[Threshold], summary: dict,
                     previous: dict | None = None) -> list[str]:
    """Messages for every rule that fires. ``drop_more_than``/``rise_more_than`` compare
    with the previous window's summary of the same schedule (no previous run: no alert)."""
    fired = []
    for rule in rules:
        values = lookup(summary, rule.metric)
        if rule.op == "not_empty":
            hits = [v for v in values if v not in (None, [], {}, "", False)]
            if hits and bool(rule.value):
                shown = json.dumps(hits, ensure_ascii=False, default=str)[:200]
                fired.append(f"{rule.label}: {shown}")
            continue
        if not values:
            continue
        if rule.op in ("drop_more_than", "rise_more_than"):
            before = lookup(previous, rule.metric) if previous else []
            for now, was in zip(values, before):
                a, b = _num(now), _num(was)
                if a is None or b is None:
                    continue
                change = a - b
                if rule.op == "drop_more_than" and -change > rule.value:
                    fired.append(f"{rule.label} dropped by {-change:.4g} (from {b:.4g} to {a:.4g}; "
                                 f"limit {rule.value:g})")
                if rule.op == "rise_more_than" and change > rule.value:
                    fired.append(f"{rule.label} rose by {change:.4g} (from {b:.4g} to {a:.4g}; "
                                 f"limit {rule.value:g})")
            continue
        for v in values:
            x = _num(v)
            if rule.op == "above" and x is not None and x > rule.value:
                fired.append(f"{rule.label} is {x:.4g}, above {rule.value:g}")
            elif rule.op == "below" and x is not None and x < rule.value:
                fired.append(f"{rule.label} is {x:.4g}, below {rule.value:g}")
            elif rule.op == "equals" and v == rule.value:
                fired.append(f"{rule.label} is {json.dumps(v, ensure_ascii=False)}")
            elif rule.op == "not_equals" and v != rule.value:
                fired.append(f"{rule.label} is {json.dumps(v, ensure_ascii=False)}, "
                             f"expected {json.dumps(rule.value, ensure_ascii=False)}")
    return fired
