"""Scheduled reports: ``reports.yaml``, date windows, due runs, history, index, alerts.

``opsnb schedule run`` is the one entry point cron (or a systemd timer) calls; see
``docs/scheduling.md``.
"""
