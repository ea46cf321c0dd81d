"""Helpers for the scheduler tests (no tests here): a tiny, fast report notebook."""

from __future__ import annotations

from pathlib import Path

import nbformat
import yaml

TINY_PARAMETERS = '''data_dir: str = ""  # data source (ignored by this test notebook)
start_date: str = ""  # first day of the window
end_date: str = ""  # last day of the window
summary_path: str = ""  # where to write summary.json
channel: str = "all"  # a channel name, shown in the index
fail: bool = False  # raise on purpose
sleep: float = 0.0  # seconds to sleep before finishing
metric: float = 1.0  # the headline number'''

TINY_BODY = '''import json, pathlib, time
time.sleep(sleep)
if fail:
    raise RuntimeError(f"planted failure for {start_date}..{end_date}")
pathlib.Path(summary_path).write_text(json.dumps({
    "report": "tiny", "data_source": "tiny:" + data_dir,
    "parameters": {"channel": channel, "start_date": start_date, "end_date": end_date},
    "window": {"start": start_date, "end": end_date},
    "headline": {"metric": metric, "channel": channel}}), encoding="utf-8")
print(f"tiny report {start_date}..{end_date}")'''


def write_tiny_notebook(folder: Path, name: str = "tiny") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell(TINY_PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny test report"), params,
                nbformat.v4.new_code_cell(TINY_BODY)]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def write_config(path: Path, doc: dict) -> Path:
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
