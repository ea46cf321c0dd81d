"""``reports.yaml``: named schedules, validated with clear errors.

```yaml
out: reports                 # where runs, history.jsonl and index.html go (relative to this file)
data: /srv/exports/app       # default data source for every schedule (empty: the sample data)
engine: duckdb               # where the event-level work runs: duckdb (default) or spark
defaults:                    # optional, merged into every schedule
  timezone: Asia/Shanghai
  keep: {runs: 30, days: 120}
  on_failure: {command: ["/usr/local/bin/notify-team"], webhook: "https://chat.example/hook"}
schedules:
  kpi_daily:
    notebook: kpi_overview
    cron: "30 7 * * *"
    window: last_complete_day
    parameters: {period: day}
    notify: [ops@example.com]
    alerts:
      - {metric: headline.active_users, drop_more_than: 500, label: "DAU"}
```

Every problem in the file is reported at once, each with its place
(``schedules.kpi_daily.cron: ...``).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from opsnb.errors import ParameterError
from opsnb.schedule.cron import Cron, CronError
from opsnb.schedule.windows import WindowError, WindowSpec

TOP_KEYS = {"out", "data", "engine", "notebooks", "defaults", "schedules"}
SCHEDULE_KEYS = {"notebook", "cron", "timezone", "window", "parameters", "data", "engine", "notify",
                 "on_failure", "alerts", "keep", "catch_up_days", "timeout"}
DEFAULT_KEYS = SCHEDULE_KEYS - {"notebook", "cron", "window", "parameters"}
RESERVED = {"start_date": "set by the schedule's window",
            "end_date": "set by the schedule's window",
            "summary_path": "set by the scheduler",
            "data_dir": "use the schedule's `data:` key"}
ALERT_OPS = ("above", "below", "equals", "not_equals", "drop_more_than", "rise_more_than",
             "not_empty")
_SAFE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")


class ConfigError(ParameterError):
    """``reports.yaml`` cannot be used; ``problems`` lists every problem found."""

    def __init__(self, path, problems: list[str]):
        self.problems = problems
        super().__init__(f"{path}: {len(problems)} problem(s)\n"
                         + "\n".join(f"  - {p}" for p in problems))


def slug(name: str) -> str:
    """A folder name for a schedule: the name itself when safe, else a readable slug + hash."""
    if _SAFE.match(name):
        return name
    base = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.")[:40] or "schedule"
    return f"{base}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"


@dataclass(frozen=True)
class Hook:
    command: tuple[str, ...] | str | None = None   # argv list, or a string split with shlex
    webhook: str | None = None
    timeout: int = 60


@dataclass(frozen=True)
class Threshold:
    metric: str          # dotted path into summary.json; '*' walks every item of a list/dict
    op: str
    value: Any
    label: str

    def describe(self) -> str:
        return f"{self.label}: {self.op.replace('_', ' ')} {self.value}".rstrip()


@dataclass
class Schedule:
    name: str
    notebook: str
    cron: Cron
    timezone: str
    window: WindowSpec
    parameters: dict = field(default_factory=dict)
    data: str | None = None
    notify: list[str] = field(default_factory=list)
    on_failure: Hook | None = None
    alerts: list[Threshold] = field(default_factory=list)
    keep_runs: int | None = None
    keep_days: int | None = None
    catch_up_days: int = 35
    timeout: int | None = None

    @property
    def slug(self) -> str:
        return slug(self.name)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass
class Config:
    path: Path
    out: Path
    data: str | None
    notebooks: Path | None
    schedules: dict[str, Schedule]

    def select(self, only: list[str] | None) -> list[Schedule]:
        if not only:
            return list(self.schedules.values())
        unknown = [n for n in only if n not in self.schedules]
        if unknown:
            raise ParameterError(f"no schedule named {', '.join(map(repr, unknown))}; "
                                 f"{self.path} has: {', '.join(self.schedules)}")
        return [self.schedules[n] for n in only]


def _type_problem(pname: str, declared: str, value: Any) -> tuple[Any, str | None]:
    """(value, problem) for a YAML value against the type the notebook declares."""
    if declared == "str":
        if isinstance(value, _dt.date):  # YAML reads an unquoted 2026-10-01 as a date
            return value.isoformat(), None
        ok = isinstance(value, str)
    elif declared == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif declared == "float":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif declared == "bool":
        ok = isinstance(value, bool)
    elif declared == "list":
        ok = isinstance(value, list)
    elif declared == "dict":
        ok = isinstance(value, dict)
    else:  # unannotated parameter (may be None): any plain value
        return value, None
    if ok:
        return value, None
    return value, (f"parameter {pname!r} is declared {declared} in the notebook, "
                   f"got {type(value).__name__} {value!r}")


def _hook(raw, where: str, problems: list[str]) -> Hook | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw or set(raw) - {"command", "webhook", "timeout"}:
        problems.append(f"{where}: write on_failure as "
                        "{command: [...], webhook: URL, timeout: seconds}")
        return None
    cmd = raw.get("command")
    if cmd is not None and not (isinstance(cmd, str) and cmd.strip()
                                or isinstance(cmd, list) and cmd
                                and all(isinstance(c, str) for c in cmd)):
        problems.append(f"{where}.command: a command line or a list of arguments")
        cmd = None
    url = raw.get("webhook")
    if url is not None and not (isinstance(url, str) and re.match(r"^https?://", url)):
        problems.append(f"{where}.webhook: an http(s) URL, got {url!r}")
        url = None
    timeout = raw.get("timeout", 60)
    if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout < 1:
        problems.append(f"{where}.timeout: a positive number of seconds")
        timeout = 60
    return Hook(tuple(cmd) if isinstance(cmd, list) else cmd, url, timeout)


def _alerts(raw, where: str, problems: list[str]) -> list[Threshold]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(f"{where}: a list of {{metric: PATH, <condition>: VALUE}}")
        return []
    out = []
    for i, rule in enumerate(raw):
        w = f"{where}[{i}]"
        if not isinstance(rule, dict) or not isinstance(rule.get("metric"), str):
            problems.append(f"{w}: needs `metric:` (a dotted path into summary.json)")
            continue
        ops = [k for k in rule if k in ALERT_OPS]
        extra = set(rule) - set(ALERT_OPS) - {"metric", "label"}
        if len(ops) != 1 or extra:
            problems.append(f"{w}: give exactly one condition of {', '.join(ALERT_OPS)}"
                            + (f" (unknown keys: {', '.join(sorted(extra))})" if extra else ""))
            continue
        op, value = ops[0], rule[ops[0]]
        if op in ("above", "below", "drop_more_than", "rise_more_than") and (
                not isinstance(value, (int, float)) or isinstance(value, bool)):
            problems.append(f"{w}.{op}: a number, got {value!r}")
            continue
        out.append(Threshold(rule["metric"], op, value, str(rule.get("label") or rule["metric"])))
    return out


def _positive_int(raw, where: str, problems: list[str]) -> int | None:
    if raw is None:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 1:
        problems.append(f"{where}: a whole number >= 1, got {raw!r}")
        return None
    return raw


def _resolve_path(base: Path, value) -> str | None:
    if value in (None, ""):
        return None
    p = Path(str(value)).expanduser()
    given = p.is_absolute() or "://" in str(value) or str(value).startswith("spark:")
    return str(p if given else (base / p).resolve())


def parse_config(raw: Any, path: Path, notebooks: Path | None = None) -> Config:
    from opsnb.runner.catalog import list_reports, report_parameters

    problems: list[str] = []
    base = path.resolve().parent
    if not isinstance(raw, dict):
        raise ConfigError(path, ["the file must be a mapping with a `schedules:` key"])
    for k in sorted(set(raw) - TOP_KEYS):
        problems.append(f"{k}: unknown key (known: {', '.join(sorted(TOP_KEYS))})")
    nb_dir = Path(_resolve_path(base, raw["notebooks"])) if raw.get("notebooks") else notebooks
    known_reports = list_reports(nb_dir) if nb_dir else list_reports()
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, dict):
        problems.append("defaults: a mapping")
        defaults = {}
    for k in sorted(set(defaults) - DEFAULT_KEYS):
        problems.append(f"defaults.{k}: unknown or not allowed in defaults "
                        f"(allowed: {', '.join(sorted(DEFAULT_KEYS))})")
    scheds = raw.get("schedules")
    if not isinstance(scheds, dict) or not scheds:
        problems.append("schedules: a mapping of schedule names to schedules, and at least one")
        scheds = {}

    out: dict[str, Schedule] = {}
    slugs: dict[str, str] = {}
    for name, body in scheds.items():
        name = str(name)
        w = f"schedules.{name}"
        if not isinstance(body, dict):
            problems.append(f"{w}: a mapping with notebook, cron, window, ...")
            continue
        for k in sorted(set(body) - SCHEDULE_KEYS):
            problems.append(f"{w}.{k}: unknown key (known: {', '.join(sorted(SCHEDULE_KEYS))})")
        merged = {**{k: v for k, v in defaults.items() if k in DEFAULT_KEYS}, **body}
        n_before = len(problems)

        notebook = merged.get("notebook")
        declared = None
        if not isinstance(notebook, str) or not notebook:
            problems.append(f"{w}.notebook: required (one of {', '.join(known_reports)})")
        elif notebook not in known_reports:
            problems.append(f"{w}.notebook: unknown notebook {notebook!r}; known: "
                            f"{', '.join(known_reports) or 'none'}")
        else:
            declared = report_parameters(notebook, nb_dir)

        cron = None
        try:
            cron = Cron.parse(merged.get("cron"))
        except CronError as exc:
            problems.append(f"{w}.cron: {exc}")

        tz = merged.get("timezone", "UTC")
        try:
            if not isinstance(tz, str) or not tz:
                raise ZoneInfoNotFoundError(tz)
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"{w}.timezone: unknown timezone {tz!r}; use an IANA name such as "
                            "Asia/Shanghai, Europe/Berlin or UTC")

        window = None
        if "window" not in merged:
            problems.append(f"{w}.window: required (last_complete_day, last_complete_week, "
                            "last_complete_month, trailing_N_days or {start:, end:})")
        else:
            try:
                window = WindowSpec.parse(merged["window"])
            except WindowError as exc:
                problems.append(f"{w}.window: {exc}")

        params_raw = merged.get("parameters") or {}
        params: dict = {}
        if not isinstance(params_raw, dict):
            problems.append(f"{w}.parameters: a mapping of parameter names to values")
        elif declared is not None:
            for pname, value in params_raw.items():
                pname = str(pname)
                if pname in RESERVED:
                    problems.append(f"{w}.parameters.{pname}: {RESERVED[pname]}")
                elif pname not in declared:
                    takes = [p for p in declared if p not in RESERVED]
                    problems.append(f"{w}.parameters.{pname}: notebook {notebook!r} has no "
                                    f"parameter {pname!r}; it takes: {', '.join(takes)}")
                else:
                    value, problem = _type_problem(pname, declared[pname].type, value)
                    if problem:
                        problems.append(f"{w}.parameters.{pname}: {problem}")
                    params[pname] = value

        engine = merged.get("engine", raw.get("engine"))
        if engine is not None:
            from opsnb.data.engine import ENGINES

            if engine not in ENGINES:
                problems.append(f"{w}.engine: one of {', '.join(ENGINES)}, got {engine!r}")
            elif declared is not None and "engine" in declared:
                params.setdefault("engine", engine)  # a schedule's parameters.engine wins

        notify = merged.get("notify") or []
        if isinstance(notify, str):
            notify = [notify]
        if not isinstance(notify, list) or not all(isinstance(x, str) for x in notify):
            problems.append(f"{w}.notify: a list of names or addresses")
            notify = []
        hook = _hook(merged.get("on_failure"), f"{w}.on_failure", problems)
        alerts = _alerts(merged.get("alerts"), f"{w}.alerts", problems)
        keep = merged.get("keep") or {}
        if not isinstance(keep, dict) or set(keep) - {"runs", "days"}:
            problems.append(f"{w}.keep: write {{runs: K, days: N}}")
            keep = {}
        keep_runs = _positive_int(keep.get("runs"), f"{w}.keep.runs", problems)
        keep_days = _positive_int(keep.get("days"), f"{w}.keep.days", problems)
        catch_up = _positive_int(merged.get("catch_up_days", 35), f"{w}.catch_up_days", problems)
        timeout = _positive_int(merged.get("timeout"), f"{w}.timeout", problems)

        s = slug(name)
        if s in slugs:
            problems.append(f"{w}: its folder name {s!r} collides with schedule {slugs[s]!r}")
        slugs[s] = name
        if len(problems) == n_before:
            out[name] = Schedule(name, notebook, cron, tz, window, params,
                                 _resolve_path(base, merged.get("data")) or
                                 _resolve_path(base, raw.get("data")),
                                 notify, hook, alerts, keep_runs, keep_days, catch_up or 35,
                                 timeout)
    if problems:
        raise ConfigError(path, problems)
    out_dir = Path(_resolve_path(base, raw.get("out") or "reports"))
    return Config(path, out_dir, _resolve_path(base, raw.get("data")), nb_dir, out)


def load_config(path: str | Path, notebooks: Path | None = None) -> Config:
    path = Path(path)
    if not path.exists():
        raise ConfigError(path, ["no such file; start from reports.example.yaml"])
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(path, [f"not valid YAML: {exc}"]) from exc
    return parse_config(raw, path, notebooks)
