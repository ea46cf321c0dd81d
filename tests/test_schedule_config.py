"""reports.yaml validation: every problem reported, with its place and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from opsnb.cli import main
from opsnb.schedule.config import ConfigError, load_config, parse_config, slug

ROOT = Path(__file__).resolve().parents[1]


def test_example_file_is_valid(capsys):
    cfg = load_config(ROOT / "reports.example.yaml")
    assert list(cfg.schedules) == ["kpi_daily", "kpi_weekly", "kpi_monthly", "kpi_trailing_28",
                                   "kpi_october_2026"]
    daily = cfg.schedules["kpi_daily"]
    assert (daily.timezone, daily.keep_runs, daily.keep_days) == ("Asia/Shanghai", 60, 400)
    # the file's `engine: duckdb` reaches every schedule as the notebooks' engine parameter
    assert daily.parameters == {"period": "day", "mau_days": 30, "engine": "duckdb"}
    assert cfg.schedules["kpi_trailing_28"].timezone == "Europe/Berlin"
    assert cfg.schedules["kpi_trailing_28"].window.days == 28
    assert cfg.out == ROOT / "reports" / "scheduled"
    assert main(["schedule", "validate", "--config", str(ROOT / "reports.example.yaml")]) == 0
    assert "5 schedule(s), all valid" in capsys.readouterr().out


def test_every_problem_is_reported_with_its_place(tmp_path, capsys):
    raw = {
        "schedules": {
            "a": {"notebook": "kpi_overveiw", "cron": "0 6 * * *", "window": "last_complete_day"},
            "b": {"notebook": "kpi_overview", "cron": "0 25 * * *", "timezone": "Europe/Berln",
                  "window": "last_complete_fortnight",
                  "parameters": {"perod": "day", "mau_days": "thirty", "period": 7,
                                 "funnel_steps": "purchase", "start_date": "2026-10-01"}},
            "c": {"notebook": "kpi_overview", "cron": "0 6 * *", "window": "trailing_7_days",
                  "keep": {"runs": 0}, "alerts": [{"metric": "headline.x", "under": 3}],
                  "on_failure": {"webhook": "ftp://x"}, "colour": "red"},
        }}
    with pytest.raises(ConfigError) as e:
        parse_config(raw, tmp_path / "reports.yaml")
    problems = e.value.problems
    text = str(e.value)
    expected = [
        "schedules.a.notebook: unknown notebook 'kpi_overveiw'; known: ",
        "schedules.b.cron: hour: 25 is outside 0-23",
        "schedules.b.timezone: unknown timezone 'Europe/Berln'",
        "schedules.b.window: unknown window 'last_complete_fortnight'",
        "schedules.b.parameters.perod: notebook 'kpi_overview' has no parameter 'perod'; "
        "it takes: period, mau_days, funnel_steps",
        "schedules.b.parameters.mau_days: parameter 'mau_days' is declared int in the notebook, "
        "got str 'thirty'",
        "schedules.b.parameters.period: parameter 'period' is declared str in the notebook, "
        "got int 7",
        "schedules.b.parameters.funnel_steps: parameter 'funnel_steps' is declared list",
        "schedules.b.parameters.start_date: set by the schedule's window",
        "schedules.c.cron: '0 6 * *' has 4 fields",
        "schedules.c.keep.runs: a whole number >= 1, got 0",
        "schedules.c.alerts[0]: give exactly one condition",
        "schedules.c.on_failure.webhook: an http(s) URL, got 'ftp://x'",
        "schedules.c.colour: unknown key",
    ]
    for msg in expected:
        assert any(p.startswith(msg) for p in problems), (msg, problems)
    assert len(problems) == len(expected)
    assert "kpi_overview" in problems[0]
    assert text.count("\n  - ") == len(expected)

    # the CLI prints them and exits 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("schedules:\n  x: {notebook: kpi_overview, cron: '* * * * *', "
                   "window: last_complete_day, timezone: Mars/Olympus}\n", encoding="utf-8")
    assert main(["schedule", "validate", "--config", str(bad)]) == 2
    assert "schedules.x.timezone: unknown timezone 'Mars/Olympus'" in capsys.readouterr().err
    (tmp_path / "broken.yaml").write_text("schedules: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(tmp_path / "broken.yaml")


def test_yaml_dates_and_slugs(tmp_path):
    import yaml
    raw = yaml.safe_load("""
schedules:
  "月报 <script>alert(1)</script>":
    notebook: kpi_overview
    cron: "@monthly"
    window: {start: 2026-10-01, end: 2026-10-31}
  plain-name_1:
    notebook: kpi_overview
    cron: "0 6 * * *"
    window: last_complete_day
    parameters: {mau_days: 28}
""")
    cfg = parse_config(raw, tmp_path / "r.yaml")
    odd = cfg.schedules["月报 <script>alert(1)</script>"]
    # YAML reads the unquoted dates as dates; the window takes them as they are
    assert (odd.window.kind, str(odd.window.start), str(odd.window.end)) == (
        "fixed", "2026-10-01", "2026-10-31")
    assert odd.slug.startswith("script-alert-1-script-") and "/" not in odd.slug
    assert slug("plain-name_1") == "plain-name_1"
    assert slug("../etc") != "../etc" and "/" not in slug("../etc")


def test_engine_key_at_top_in_defaults_and_per_schedule(tmp_path):
    from opsnb.errors import ParameterError

    base = {"engine": "spark", "schedules": {
        "a": {"notebook": "kpi_overview", "cron": "0 7 * * *", "window": "last_complete_day"},
        "b": {"notebook": "kpi_overview", "cron": "0 7 * * *", "window": "last_complete_day",
              "engine": "duckdb"},
        "c": {"notebook": "kpi_overview", "cron": "0 7 * * *", "window": "last_complete_day",
              "engine": "spark", "parameters": {"engine": "duckdb"}}}}
    path = tmp_path / "reports.yaml"
    path.write_text(yaml.safe_dump(base), encoding="utf-8")
    cfg = load_config(path)
    assert [cfg.schedules[n].parameters["engine"] for n in "abc"] == ["spark", "duckdb", "duckdb"]
    base["schedules"]["a"]["engine"] = "polars"
    path.write_text(yaml.safe_dump(base), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"schedules\.a\.engine: one of duckdb, spark"):
        load_config(path)
