"""The report runner: HTML with embedded figures and hidden code, summary.json, failures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from opsnb.cli import main
from opsnb.errors import ParameterError
from opsnb.runner.catalog import Parameter, coerce, report_parameters, resolve_parameters
from opsnb.runner.run import run_report

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_every_notebook_declares_the_common_parameters():
    from opsnb.runner.catalog import REQUIRED_PARAMETERS, list_reports
    for name in list_reports():
        params = report_parameters(name)
        missing = [p for p in REQUIRED_PARAMETERS if p not in params]
        assert not missing, f"{name} lacks {missing}"
        for p in params.values():
            assert p.type != "None" or p.default == "None", f"{name}.{p.name} has no plain type"
            assert p.help, f"{name}.{p.name} has no help comment"


def test_parameter_coercion():
    assert coerce(Parameter("k", "int", "3", ""), "7") == 7
    assert coerce(Parameter("f", "float", "0.5", ""), "0.25") == 0.25
    assert coerce(Parameter("b", "bool", "True", ""), "no") is False
    assert coerce(Parameter("l", "list", "[]", ""), '["a", "b"]') == ["a", "b"]
    assert coerce(Parameter("l", "list", "[]", ""), "a, b") == ["a", "b"]
    with pytest.raises(ParameterError):
        coerce(Parameter("k", "int", "3", ""), "three")
    with pytest.raises(ParameterError) as e:
        resolve_parameters("kpi_overview", {"nonsense": 1})
    assert "mau_days" in str(e.value)


def test_run_kpi_overview_and_a_failing_run(tmp_path, small_sample):
    out = tmp_path / "reports"
    rc = main(["run", "kpi_overview", "--data", str(small_sample), "--out", str(out), "-q",
               "-p", "period=month"])
    assert rc == 0
    latest = out / "kpi_overview" / "latest"
    html = (latest / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html            # figures embedded
    assert "kpi.kpi_overview(" not in html              # code hidden
    assert "KPI overview" in html
    # the CI-checked cell and its ci-only heading stay in the notebook, not in the HTML
    import nbformat
    nb = nbformat.read(latest / "report.ipynb", 4)
    checked = [c for c in nb.cells if c.cell_type == "code"
               and c.source.startswith("# NBVAL_CHECK_OUTPUT")][0]
    check_text = "".join(o.get("text", "") for o in checked.outputs).strip()
    assert len(check_text.splitlines()) >= 3 and check_text.splitlines()[1] not in html
    assert "Headline numbers (checked in CI)" not in html
    summary = json.loads((latest / "summary.json").read_text(encoding="utf-8"))
    assert summary["report"] == "kpi_overview"
    assert summary["parameters"]["period"] == "month"
    assert summary["headline"]["active_users"] == 600
    assert summary["data_source"].endswith(str(small_sample))
    good = latest.resolve()

    # a failing run: bad data -> exit 1, failed page, previous report untouched
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "users.csv").write_text((small_sample / "users.csv").read_text(encoding="utf-8"),
                                   encoding="utf-8")
    (bad / "events.csv").write_text("user_id,event_at,event,revenue\nu000001,yesterday,x,0\n",
                                    encoding="utf-8")
    res = run_report("kpi_overview", data=bad, out=out, progress=False, echo=lambda m: None)
    assert res.status == "failed"
    assert "DataError" in res.error and "event_at" in res.error
    page = (res.path / "failed.html").read_text(encoding="utf-8")
    assert "Failing cell" in page and "kpi_overview(" in page
    assert (out / "kpi_overview" / "latest").resolve() == good
    assert (good / "report.html").exists()
    rc = main(["run", "kpi_overview", "--data", str(bad), "--out", str(out), "-q"])
    assert rc == 1


def test_papermill_cli_and_nbconvert(tmp_path, small_sample):
    out_nb, summary = tmp_path / "out.ipynb", tmp_path / "s.json"
    subprocess.run([str(BIN / "papermill"), str(ROOT / "notebooks" / "kpi_overview.ipynb"),
                    str(out_nb), "-p", "data_dir", str(small_sample), "-p", "summary_path",
                    str(summary), "--no-progress-bar"], check=True, cwd=tmp_path,
                   capture_output=True)
    assert json.loads(summary.read_text(encoding="utf-8"))["headline"]["new_users"] == 600
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                    str(out_nb)], check=True, cwd=tmp_path, capture_output=True)
    assert "data:image/png;base64," in (tmp_path / "out.html").read_text(encoding="utf-8")


def test_list_shows_parameters(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "kpi_overview" in out and "mau_days" in out and "trailing days" in out


def test_kernel_noise_is_hidden_and_report_warnings_are_not(caplog):
    import logging
    import warnings

    from opsnb.runner.kernel import quiet_kernel

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with quiet_kernel():
            warnings.warn("Kernel is running over TCP without encryption. Use ...", UserWarning)
            logging.getLogger("traitlets").warning("Kernel is running over TCP without encryption")
            warnings.warn("opsnb: no CJK font found", UserWarning)
    assert [str(w.message) for w in caught] == ["opsnb: no CJK font found"]
    assert "without encryption" not in caplog.text
