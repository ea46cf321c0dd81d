"""Executing a notebook with papermill, without the kernel machinery's noise.

The runner and ``opsnb refresh-outputs`` both execute notebooks through :func:`execute`. The
kernel's own start-up warnings (jupyter_client 8.10's "Kernel is running over TCP without
encryption", on every run) and similar log lines say nothing about the user's report, so they are
kept off the terminal; errors in the notebook still surface as papermill's exception.
"""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from pathlib import Path

import papermill as pm

# messages from the Jupyter machinery that say nothing about the user's report
NOISE = (r".*Kernel is running over TCP without encryption.*",
         r".*Jupyter is migrating its paths to use standard platformdirs.*",
         r".*kernel_spec_manager.*", r".*Passing unrecognized arguments to super.*")


# the kernel logs its own start-up warnings (the TCP-transport one) to our stderr: none
# (and its "KeyboardInterrupt caught in kernel" when papermill shuts it down): none of them
# is about the report, whose errors reach the runner as cell errors
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


@contextlib.contextmanager
def quiet_kernel():
    """Hide warnings and log lines of the kernel machinery (papermill, nbclient,
    jupyter_client) that are not about the report: the kernel-transport warning and the like."""
    with warnings.catch_warnings():
        for pattern in NOISE:
            warnings.filterwarnings("ignore", message=pattern)
        filt = _NoiseFilter()
        loggers = [logging.getLogger(n) for n in ("traitlets", "papermill", "nbclient",
                                                   "jupyter_client", "")]
        for lg in loggers:
            lg.addFilter(filt)
        try:
            yield
        finally:
            for lg in loggers:
                lg.removeFilter(filt)


class _NoiseFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        return not any(re.fullmatch(p, msg, re.S) for p in NOISE)




def execute(src: str | Path, out: str | Path, parameters: dict | None = None, *,
            cwd: str | Path, progress: bool = False, timeout: int | None = None) -> None:
    """Run notebook ``src`` into ``out`` with the ``python3`` kernel (raises on a failing cell)."""
    with quiet_kernel():
        pm.execute_notebook(str(src), str(out), parameters=parameters or {},
                            kernel_name="python3", progress_bar=progress, cwd=str(cwd),
                            execution_timeout=timeout, request_save_on_cell_execute=False,
                            extra_arguments=KERNEL_ARGUMENTS)
