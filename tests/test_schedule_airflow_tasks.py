"""The DAG's task functions (`opsnb.schedule.airflow`) without Airflow, on the tiny notebook.

`prepare`, then papermill as the provider's PapermillOperator calls it, then `publish` or the
failure callback with a context like Airflow's: the files and history lines are those of
`opsnb schedule run`. Real Airflow runs the same in tests/test_schedule_airflow_real.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import papermill as pm
import pytest

from opsnb.cli import main
from opsnb.schedule import airflow as opsnb_airflow
from opsnb.schedule import history
from test_schedule_support import write_config, write_tiny_notebook

INSTANT = "2026-11-02T06:00:00+00:00"   # 06:00 UTC: the day 1 Nov is complete
HOOK = "import sys; open(sys.argv[1], 'a').write(sys.stdin.read() + '\\n')"


class _TI:
    """What the callback uses of Airflow's task instance."""

    def __init__(self, task_id: str, staged: dict | None):
        self.task_id, self._staged = task_id, staged

    def xcom_pull(self, task_ids: str):
        assert task_ids == "prepare"
        return self._staged


def _config(folder: Path) -> Path:
    write_tiny_notebook(folder / "nb")
    common = {"notebook": "tiny", "cron": "0 6 * * *", "window": "last_complete_day",
              "on_failure": {"command": [sys.executable, "-c", HOOK,
                                         str(folder / "hook.jsonl")]}}
    return write_config(folder / "reports.yaml", {"out": "out", "notebooks": "nb", "schedules": {
        "good": {**common, "parameters": {"metric": 2.5, "channel": "抖音"}},
        "bad": {**common, "parameters": {"fail": True}}}})


def _papermill(staged: dict, folder: Path) -> None:
    """As apache-airflow-providers-papermill's PapermillOperator.execute calls it."""
    pm.execute_notebook(str(folder / "nb" / "tiny.ipynb"), staged["output_nb"],
                        parameters=staged["parameters"], progress_bar=False, report_mode=True,
                        kernel_name="python3", language="python")


def _hook_events(folder: Path) -> list[dict]:
    path = folder / "hook.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line] if path.exists() else []


def _same(rec: dict) -> dict:
    return {k: v for k, v in rec.items() if k not in {"started", "duration_s"}}


def test_tasks_write_what_schedule_run_writes(tmp_path):
    af, cli = tmp_path / "af", tmp_path / "cli"
    config = _config(af)
    for name in ("good", "bad"):
        staged = opsnb_airflow.prepare(str(config), name, INSTANT)
        assert Path(staged["tmp"]).is_dir() and staged["run_id"] == "2026-11-01"
        try:
            _papermill(staged, af)
        except pm.PapermillExecutionError as exc:
            assert name == "bad"
            opsnb_airflow.on_failure(str(config), name, None,
                                     {"ti": _TI("run_notebook", staged), "exception": exc})
        else:
            assert opsnb_airflow.publish(staged)["status"] == "ok"
    assert main(["schedule", "run", "--config", str(_config(cli)), "-q", "--as-of", INSTANT]) == 1

    out, ref = af / "out", cli / "out"
    recs = {r["schedule"]: r for r in history.read(out)}
    assert (recs["good"]["status"], recs["good"]["path"]) == ("ok", "good/2026-11-01")
    assert (recs["bad"]["status"], recs["bad"]["path"]) == ("failed", "bad/2026-11-01-failed")
    assert recs["bad"]["error"] == "RuntimeError: planted failure for 2026-11-01..2026-11-01"
    assert {k: _same(v) for k, v in recs.items()} == {
        r["schedule"]: _same(r) for r in history.read(ref)}
    summary = json.loads((out / "good" / "2026-11-01" / "summary.json").read_text())
    assert summary["headline"] == {"metric": 2.5, "channel": "抖音"}
    assert (out / "good" / "latest").resolve().name == "2026-11-01"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if ".locks" not in
                  p.parts) == sorted(p.relative_to(ref).as_posix() for p in ref.rglob("*")
                                     if ".locks" not in p.parts)
    page = (out / "bad" / "2026-11-01-failed" / "failed.html").read_text(encoding="utf-8")
    assert "Failing cell" in page and "raise RuntimeError" in page
    assert page == (ref / "bad" / "2026-11-01-failed" / "failed.html").read_text(encoding="utf-8")
    events = _hook_events(af)
    assert [(e["event"], e["schedule"], e["error"]) for e in events] == [
        ("failed", "bad", recs["bad"]["error"])]
    assert [{**e, "page": None} for e in events] == [{**e, "page": None}
                                                     for e in _hook_events(cli)]
    assert 'href="bad/2026-11-01-failed/failed.html"' in (out / "index.html").read_text()


def test_a_broken_publish_is_a_failed_run_recorded_once(tmp_path):
    config = _config(tmp_path)
    out = tmp_path / "out"
    # the notebook ran but wrote no summary.json: publish records the failure, then fails
    staged = opsnb_airflow.prepare(str(config), "good", INSTANT)
    with pytest.raises(opsnb_airflow.RunFailed) as failed:
        opsnb_airflow.publish(staged)
    context = {"ti": _TI("publish", staged), "exception": failed.value,
               "data_interval_end": INSTANT}
    opsnb_airflow.on_failure(str(config), "good", None, context)   # nothing more to record
    assert [r["error"] for r in history.read(out)] == [
        "the notebook finished but did not write summary.json (its summary_path)"]
    # publish itself broke (its folder vanished): the page names the error, as when the
    # runner of `opsnb schedule run` breaks
    staged = opsnb_airflow.prepare(str(config), "good", "2026-11-03T06:00:00+00:00")
    Path(staged["tmp"]).rename(tmp_path / "gone")
    with pytest.raises(FileNotFoundError) as broke:
        opsnb_airflow.publish(staged)
    opsnb_airflow.on_failure(str(config), "good", None, {
        "ti": _TI("publish", staged), "exception": broke.value,
        "data_interval_end": "2026-11-03T06:00:00+00:00"})
    rec = history.read(out)[-1]
    assert (rec["status"], rec["path"]) == ("failed", "good/2026-11-02-failed")
    assert rec["error"].startswith("FileNotFoundError")
    page = (out / rec["path"] / "failed.html").read_text(encoding="utf-8")
    assert "FileNotFoundError" in page
    assert [e["event"] for e in _hook_events(tmp_path)] == ["failed", "failed"]
