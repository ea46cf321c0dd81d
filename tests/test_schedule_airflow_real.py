"""The DAG file of `opsnb schedule airflow`, run by real Airflow 3 (`airflow dags test`).

Airflow lives in its own virtualenv (`make airflow`, i.e. `.ci/ensure-airflow`), never in
opsnb's: there it is the Airflow 3.3 a worker would run, with the papermill provider and
opsnb installed. One `reports.yaml` with two schedules on the sample data, `kpi_overview`
for the ISO week 1-7 June 2026, is run twice: by Airflow for the logical date Monday 8 June
08:00 Shanghai, and by `opsnb schedule run --as-of` the same instant. Both must leave the
same files: report.html, summary.json, the history line, the index, and for the schedule whose
notebook raises a ParameterError the failed-run page and the hook call, with no retry.

Skipped when the Airflow environment is missing, except under CI (CI set), where it fails.
Deselect with `-m "not airflow"`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from opsnb.cli import main
from opsnb.schedule import history
from test_schedule_support import write_config

pytestmark = pytest.mark.airflow

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / os.environ.get("OPSNB_AIRFLOW_VENV", ".venv-airflow")
AIRFLOW = VENV / "bin" / "airflow"
LABEL = "2026-06-01_2026-06-07"        # the ISO week before Monday 8 June 2026
HOOK = "import sys; open(sys.argv[1], 'a').write(sys.stdin.read() + '\\n')"
KERNEL_PYTHON = ("from jupyter_client.kernelspec import KernelSpecManager as K; "
                 "print(K().get_kernel_spec('python3').argv[0])")


def _schedules(folder: Path) -> Path:
    hook = {"command": [sys.executable, "-c", HOOK, str(folder / "hook.jsonl")]}
    common = {"notebook": "kpi_overview", "cron": "0 8 * * mon", "timezone": "Asia/Shanghai",
              "window": "last_complete_week", "on_failure": hook}
    return write_config(folder / "reports.yaml", {"out": "out", "schedules": {
        "kpi_weekly": {**common, "parameters": {"period": "day"}},
        # the notebook rejects the period with opsnb's ParameterError
        "kpi_broken": {**common, "parameters": {"period": "fortnight"},
                       "notify": ["ops@example.com"]}}})


def _airflow_env(home: Path, dags: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AIRFLOW", "JUPYTER", "PYTHONPATH", "VIRTUAL_ENV"))}
    env.update(AIRFLOW_HOME=str(home), AIRFLOW__CORE__DAGS_FOLDER=str(dags),
               AIRFLOW__CORE__LOAD_EXAMPLES="False",
               # parsing the DAG file imports opsnb and reads the notebooks' parameters: about
               # 12 s of CPU, which on a loaded 2-core CI machine took 102 s of wall time, over
               # Airflow's default 30 s import timeout (the DAG then "could not be found")
               AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT="900",
               AIRFLOW__DAG_PROCESSOR__DAG_FILE_PROCESSOR_TIMEOUT="900",
               PATH=f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    return env


def _airflow(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(AIRFLOW), *args], env=env, capture_output=True, text=True,
                          timeout=900, check=False)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    # the separate Airflow environment: made (or checked, in half a second) here, so that its
    # install runs beside the other tests instead of before them
    ensure = subprocess.run(["bash", str(ROOT / ".ci" / "ensure-airflow")], cwd=ROOT,
                            capture_output=True, text=True, timeout=1800, check=False)
    if ensure.returncode != 0 or not AIRFLOW.exists():
        msg = (f"Airflow could not be installed in {VENV} (.ci/ensure-airflow, or `make "
               f"airflow`): {ensure.stderr[-1500:]}")
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    root = tmp_path_factory.mktemp("airflow")
    af, cli = root / "airflow", root / "cli"
    af.mkdir()
    cli.mkdir()
    config = _schedules(af)
    dags = af / "dags"
    assert main(["schedule", "airflow", "--config", str(config),
                 "--dag", str(dags / "opsnb_reports.py")]) == 0
    # the same schedules and instant through `opsnb schedule run`, meanwhile
    cli_run = subprocess.Popen(
        [str(Path(sys.executable).parent / "opsnb"), "schedule", "run", "-q",
         "--config", str(_schedules(cli)), "--as-of", "2026-06-08T00:00"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        env = _airflow_env(af / "home", dags)
        migrate = _airflow(env, "db", "migrate")
        assert migrate.returncode == 0, migrate.stdout[-3000:] + migrate.stderr[-3000:]
        # the kernel the papermill task starts is the Airflow environment's own Python
        kernel = subprocess.run([str(VENV / "bin" / "python"), "-c", KERNEL_PYTHON],
                                env=env, capture_output=True, text=True, timeout=120,
                                check=True).stdout.strip()
        # Monday 8 June 2026 08:00 in Shanghai (00:00 UTC), the schedules' fire time
        tests = {name: _airflow(env, "dags", "test", f"opsnb__{name}",
                                "2026-06-08T08:00:00+08:00")
                 for name in ("kpi_weekly", "kpi_broken")}
    except BaseException:
        cli_run.kill()
        raise
    cli_log = cli_run.communicate(timeout=900)[0]
    return {"af": af, "cli": cli, "tests": tests, "cli_rc": cli_run.returncode,
            "cli_log": cli_log, "kernel": kernel}


def _log(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout + proc.stderr


def _record(out: Path, schedule: str) -> dict:
    recs = [r for r in history.read(out) if r["schedule"] == schedule]
    assert len(recs) == 1
    return {k: v for k, v in recs[0].items() if k not in {"started", "duration_s"}}


def _files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if ".locks" not in p.parts)


def _index(out: Path) -> str:
    text = (out / "index.html").read_text(encoding="utf-8")
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC, [0-9.]+s", "<ran>", text)  # when, how long


def test_a_dag_run_writes_what_schedule_run_writes(runs):
    af, cli = runs["af"] / "out", runs["cli"] / "out"
    ok = runs["tests"]["kpi_weekly"]
    assert ok.returncode == 0, _log(ok)[-6000:]
    assert runs["kernel"] == str(VENV / "bin" / "python")

    run_dir = af / "kpi_weekly" / LABEL
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert (summary["window"]["start"], summary["window"]["end"]) == ("2026-06-01", "2026-06-07")
    assert summary["parameters"]["period"] == "day"
    assert "data:image/png;base64," in (run_dir / "report.html").read_text(encoding="utf-8")
    assert os.readlink(af / "kpi_weekly" / "latest") == LABEL
    rec = _record(af, "kpi_weekly")
    assert (rec["status"], rec["path"], rec["fire_time"]) == (
        "ok", f"kpi_weekly/{LABEL}", "2026-06-08T00:00:00+00:00")
    assert rec["data_source"] == summary["data_source"] and "sample" in rec["data_source"]

    # the same files, history line, summary, report and index as `opsnb schedule run`
    assert _files(af) == _files(cli)
    assert {f"kpi_weekly/{LABEL}/report.html", f"kpi_weekly/{LABEL}/summary.json",
            "kpi_weekly/latest", "history.jsonl", "index.html"} <= set(_files(af))
    assert not [p for p in _files(af) if ".tmp-" in p]
    assert rec == _record(cli, "kpi_weekly")
    assert summary == json.loads((cli / "kpi_weekly" / LABEL / "summary.json").read_text())

    def html(out):  # cell ids are random per execution
        text = (out / "kpi_weekly" / LABEL / "report.html").read_text(encoding="utf-8")
        return re.sub(r'id="cell-id=[0-9a-f-]+"', "", text)

    assert html(af) == html(cli)
    assert _index(af) == _index(cli)
    assert f'href="kpi_weekly/{LABEL}/report.html"' in _index(af)


def test_a_failing_notebook_fails_the_task_at_once_with_page_and_hook(runs):
    af, cli = runs["af"] / "out", runs["cli"] / "out"
    assert runs["cli_rc"] == 1, runs["cli_log"]   # `opsnb schedule run`: kpi_broken failed
    bad = runs["tests"]["kpi_broken"]
    log = _log(bad)
    assert bad.returncode != 0 and "DagRun failed" in log
    # at once: the notebook task ran once and failed, no retry; publish never ran
    ran = re.findall(r"\[DAG TEST\] running task <TaskInstance: opsnb__kpi_broken\.(\w+)", log)
    assert ran == ["prepare", "run_notebook"]
    assert "new_state=up_for_retry" not in log and log.count("new_state=failed") == 1

    rec = _record(af, "kpi_broken")
    assert rec["status"] == "failed" and rec["path"] == f"kpi_broken/{LABEL}-failed"
    assert rec["error"] == ("ParameterError: parameter period='fortnight'; "
                            "choose one of day, week, month")
    assert rec == _record(cli, "kpi_broken")
    page = (af / rec["path"] / "failed.html").read_text(encoding="utf-8")
    assert "Report failed: kpi_overview" in page and "fortnight" in page
    assert "Failing cell" in page and "kpi_overview(data_dir" in page
    assert page == (cli / rec["path"] / "failed.html").read_text(encoding="utf-8")
    assert not (af / "kpi_broken" / LABEL).exists()

    # the hook: called once, with what `opsnb schedule run` sends (the page in its own folder)
    events = [json.loads(line) for line in
              (runs["af"] / "hook.jsonl").read_text(encoding="utf-8").splitlines() if line]
    assert [e["event"] for e in events] == ["failed"]
    assert events[0]["page"] == str(af / rec["path"] / "failed.html")
    assert (events[0]["schedule"], events[0]["error"], events[0]["notify"]) == (
        "kpi_broken", rec["error"], ["ops@example.com"])
    cli_events = [json.loads(line) for line in
                  (runs["cli"] / "hook.jsonl").read_text(encoding="utf-8").splitlines() if line]
    assert [{**e, "page": None} for e in events] == [{**e, "page": None} for e in cli_events]
    assert "FAILED" in _index(af) and f'href="kpi_broken/{LABEL}-failed/failed.html"' in _index(af)
