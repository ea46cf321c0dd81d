"""`opsnb schedule install` (crontab, systemd) and `opsnb schedule airflow` (the DAG file).

The DAG file runs in real Airflow 3 in tests/test_schedule_airflow_real.py (marker `airflow`).
Here, without Airflow: it parses, the PapermillOperator gets only arguments the provider's
operator takes, it builds one DAG per schedule with stand-in `airflow`/`pendulum` modules, and
its `prepare` task gives the windows and folders `opsnb schedule run` uses.
"""

from __future__ import annotations

import ast
import datetime as dt
import runpy
import sys
import types
from pathlib import Path
from zoneinfo import ZoneInfo


from opsnb.cli import main
from opsnb.runner.catalog import report_parameters
from opsnb.schedule.config import load_config
from opsnb.schedule.install import crontab_line, systemd_units
from test_schedule_support import write_config

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "reports.example.yaml"
# apache-airflow-providers-papermill's PapermillOperator.__init__ keywords, plus the
# BaseOperator ones the DAG uses
PAPERMILL_ARGS = {"input_nb", "output_nb", "parameters", "kernel_name", "language_name",
                  "kernel_conn_id", "log_output", "nbconvert", "nbconvert_args"}
BASE_ARGS = {"task_id", "retries", "retry_delay", "do_xcom_push"}


def test_crontab_and_systemd(tmp_path, capsys):
    cfg = load_config(EXAMPLE)
    line = crontab_line(cfg.path, tmp_path / "out")
    exe = Path(sys.executable).parent / "opsnb"
    assert line == (f"*/5 * * * * {exe} schedule run --config {EXAMPLE} --quiet "
                    f"--out {tmp_path / 'out'} >> {tmp_path / 'out' / 'schedule.log'} 2>&1")
    assert main(["schedule", "install", "--config", str(EXAMPLE), "--out",
                 str(tmp_path / "out")]) == 0
    assert capsys.readouterr().out.strip() == line

    units = systemd_units(cfg.path, tmp_path / "out", every=15)
    timer = units["opsnb-reports.timer"]
    assert "OnCalendar=*:0/15" in timer and "Persistent=true" in timer
    assert "WantedBy=timers.target" in timer and "Unit=opsnb-reports.service" in timer
    service = units["opsnb-reports.service"]
    assert "Type=oneshot" in service
    assert f"ExecStart={exe} schedule run --config {EXAMPLE} --quiet" in service
    assert main(["schedule", "install", "--systemd", "--every", "15", "--config", str(EXAMPLE),
                 "--out", str(tmp_path / "out"), "--write", str(tmp_path / "units")]) == 0
    assert (tmp_path / "units" / "opsnb-reports.timer").read_text() == timer
    assert (tmp_path / "units" / "opsnb-reports.service").read_text() == service


class _Op:
    created: list = []

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.downstream = []
        _Op.created.append(self)

    def __rshift__(self, other):
        self.downstream.append(other)
        return other


class _DAG:
    current = None
    created: list = []

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.dag_id = kwargs["dag_id"]
        _DAG.created.append(self)

    def __enter__(self):
        _DAG.current = self
        return self

    def __exit__(self, *exc):
        _DAG.current = None


def _stub_airflow(monkeypatch):
    class Papermill(_Op):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dag = _DAG.current

    class Python(_Op):
        pass

    mods = {
        "airflow": types.ModuleType("airflow"),
        "airflow.sdk": types.ModuleType("airflow.sdk"),
        "airflow.providers": types.ModuleType("airflow.providers"),
        "airflow.providers.papermill": types.ModuleType("airflow.providers.papermill"),
        "airflow.providers.papermill.operators":
            types.ModuleType("airflow.providers.papermill.operators"),
        "airflow.providers.papermill.operators.papermill":
            types.ModuleType("airflow.providers.papermill.operators.papermill"),
        "airflow.providers.standard": types.ModuleType("airflow.providers.standard"),
        "airflow.providers.standard.operators":
            types.ModuleType("airflow.providers.standard.operators"),
        "airflow.providers.standard.operators.python":
            types.ModuleType("airflow.providers.standard.operators.python"),
        "pendulum": types.ModuleType("pendulum"),
    }
    mods["airflow.sdk"].DAG = _DAG
    mods["airflow.providers.papermill.operators.papermill"].PapermillOperator = Papermill
    mods["airflow.providers.standard.operators.python"].PythonOperator = Python
    mods["pendulum"].datetime = lambda y, m, d, tz="UTC": dt.datetime(y, m, d,
                                                                      tzinfo=ZoneInfo(tz))
    for name, mod in mods.items():
        monkeypatch.setitem(sys.modules, name, mod)
    return Papermill, Python


def test_airflow_dag_file(tmp_path, monkeypatch, capsys):
    from opsnb.schedule import airflow as opsnb_airflow

    config = write_config(tmp_path / "reports.yaml", {
        "out": "out",
        "schedules": {
            "kpi_daily": {"notebook": "kpi_overview", "cron": "0 6 * * *",
                          "timezone": "America/New_York", "window": "last_complete_day",
                          "parameters": {"period": "day", "mau_days": 28}},
            "kpi_weekly": {"notebook": "kpi_overview", "cron": "0 7 * * mon",
                           "timezone": "Europe/Berlin", "window": "last_complete_week"},
            "kpi_oct": {"notebook": "kpi_overview", "cron": "@daily",
                        "window": {"start": "2026-10-01", "end": "2026-10-31"}}}})
    dag_file = tmp_path / "dags" / "opsnb_reports.py"
    assert main(["schedule", "airflow", "--config", str(config), "--dag", str(dag_file)]) == 0
    assert str(dag_file) in capsys.readouterr().out
    source = dag_file.read_text(encoding="utf-8")

    # 1. ast: it parses, and the operator gets only arguments PapermillOperator takes
    tree = ast.parse(source)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
             and getattr(n.func, "id", None) == "PapermillOperator"]
    assert len(calls) == 1
    kw = {k.arg for k in calls[0].keywords}
    assert kw <= PAPERMILL_ARGS | BASE_ARGS
    assert {"input_nb", "output_nb", "parameters", "kernel_name", "task_id"} <= kw
    imports = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "airflow.providers.papermill.operators.papermill" in imports

    # 2. executed with stand-in airflow modules: one DAG per schedule, three tasks, no retries
    _DAG.created.clear()
    _Op.created.clear()
    papermill_cls, python_cls = _stub_airflow(monkeypatch)
    runpy.run_path(str(dag_file))
    dags = {d.dag_id: d for d in _DAG.created}
    assert set(dags) == {"opsnb__kpi_daily", "opsnb__kpi_weekly", "opsnb__kpi_oct"}
    assert dags["opsnb__kpi_daily"].kwargs["schedule"] == "0 6 * * *"
    assert dags["opsnb__kpi_weekly"].kwargs["start_date"].tzinfo == ZoneInfo("Europe/Berlin")
    for name, dag in dags.items():
        args = dag.kwargs["default_args"]
        assert args["retries"] == 0 and dag.kwargs["render_template_as_native_obj"] is True
        callback = args["on_failure_callback"]
        assert callback.func is opsnb_airflow.on_failure and callback.args[1] == name[7:]
    ops = {op.dag.dag_id: op for op in _Op.created if isinstance(op, papermill_cls)}
    prepares = [op for op in _Op.created if op.kwargs.get("task_id") == "prepare"]
    assert [op.downstream for op in prepares] == [[ops[d]] for d in dags]
    assert all(isinstance(op.downstream[0], python_cls)
               and op.downstream[0].kwargs["python_callable"] is opsnb_airflow.publish
               for op in ops.values())
    for op in ops.values():
        assert "xcom_pull(task_ids='prepare')" in op.kwargs["output_nb"]
        assert "xcom_pull(task_ids='prepare')" in op.kwargs["parameters"]
        assert Path(op.kwargs["input_nb"]).is_file() and op.kwargs["kernel_name"] == "python3"
    declared = report_parameters("kpi_overview")

    # 3. the prepare task at a fire instant: the window `opsnb schedule run` would use, the
    # checked parameters and an empty folder to run in
    out = tmp_path / "out"
    cases = [("kpi_daily", dt.datetime(2026, 11, 1, 11, tzinfo=dt.UTC), "2026-10-31",
              "2026-10-31"),
             ("kpi_weekly", dt.datetime(2026, 11, 2, 6, tzinfo=dt.UTC), "2026-10-26",
              "2026-11-01"),
             ("kpi_oct", dt.datetime(2026, 11, 5, tzinfo=dt.UTC), "2026-10-01", "2026-10-31")]
    cfg = load_config(config)
    for name, end, start_date, end_date in cases:
        prepare = next(op for op in prepares if op.kwargs["op_kwargs"]["schedule"] == name)
        staged = opsnb_airflow.prepare(**{**prepare.kwargs["op_kwargs"],
                                          "instant": end.isoformat()})
        params = staged["parameters"]
        assert set(params) <= set(declared)
        assert {"data_dir", "start_date", "end_date", "summary_path"} <= set(params)
        assert (params["start_date"], params["end_date"]) == (start_date, end_date)
        s = cfg.schedules[name]
        w = s.window.resolve(end, s.timezone)
        assert staged["run_id"] == w.label
        tmp = out / name / f".tmp-{w.label}"
        assert staged["output_nb"] == str(tmp / "report.ipynb") and tmp.is_dir()
        assert params["summary_path"] == str(tmp / "summary.json")
        assert {k: params[k] for k in s.parameters} == s.parameters     # typed values kept
    # a manual trigger between fire instants runs the window of the latest fire instant
    staged = opsnb_airflow.prepare(str(config), "kpi_daily", "2026-11-01T09:00:00+00:00")
    assert staged["parameters"]["start_date"] == "2026-10-30"
