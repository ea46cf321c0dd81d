"""The ``opsnb`` command: sample data, running reports, listing them."""

from __future__ import annotations

import argparse
import sys

from opsnb.errors import DataError, ParameterError


def _cmd_sample(args) -> int:
    from opsnb.data.sample import generate

    truth = generate(args.out, seed=args.seed, n_users=args.users, content="folder",
                     feedback="folder", diagnostics="folder", campaigns="folder")
    print(f"wrote {truth['n_users']:,} users, {truth['start']} .. {truth['end']}, seed {args.seed} "
          f"to {args.out} (planted truth in truth.json)")
    return 0


def _cmd_list(args) -> int:
    from opsnb.runner.catalog import list_reports, report_parameters

    from opsnb import registry

    for name in list_reports():
        print(name)
        if name in registry.REPORTS:
            cls = registry.report_class(name)
            print(f"    {cls.title}")
            print(f"    requires: {', '.join(cls.required)}")
            for table, sections in cls.optional().items():
                print(f"    optional: {table} (for {', '.join(sections)})")
        for p in report_parameters(name).values():
            print(f"    {p.name:<22} {p.type:<6} default {p.default:<28} {p.help}")
    return 0


def _cmd_run(args) -> int:
    from opsnb.runner.catalog import list_reports, parse_assignments
    from opsnb.runner.run import run_report

    names = list_reports() if args.report == "all" else [args.report]
    given = parse_assignments(args.param)
    if args.engine:
        given["engine"] = args.engine
    failed = 0
    for name in names:
        params = dict(given)
        if args.report == "all":  # shared parameters only go to reports that declare them
            from opsnb.runner.catalog import report_parameters
            declared = report_parameters(name)
            params = {k: v for k, v in given.items() if k in declared}
        print(f"opsnb: running {name}", file=sys.stderr)
        res = run_report(name, data=args.data, out=args.out, parameters=params,
                         progress=not args.quiet, timeout=args.timeout)
        if res.ok:
            print(f"{name}: ok in {res.duration_s:.1f}s -> {res.html}")
        else:
            failed += 1
            print(f"{name}: FAILED -> {res.html}")
    return 1 if failed else 0


def _cmd_refresh(args) -> int:
    from opsnb.runner.catalog import list_reports, notebook_path
    from opsnb.runner.notebook_outputs import refresh_checked_outputs

    for name in list_reports() if args.report == "all" else [args.report]:
        refresh_checked_outputs(notebook_path(name))
        print(f"{name}: stored the outputs of its checked cells")
    return 0


def _load_schedule_config(args):
    from opsnb.schedule.config import load_config

    return load_config(args.config)


def _cmd_schedule_run(args) -> int:
    from opsnb.schedule.runner import parse_as_of, run_schedules

    config = _load_schedule_config(args)
    outcome = run_schedules(config, as_of=parse_as_of(args.as_of), only=args.only or None,
                            force=args.force, quiet=args.quiet, out=args.out)
    if not args.quiet:
        print(f"opsnb schedule: {len(outcome.ran)} run(s), {len(outcome.failed)} failed; "
              f"index: {outcome.index}", file=sys.stderr)
    return outcome.exit_code


def _cmd_schedule_validate(args) -> int:
    config = _load_schedule_config(args)
    for s in config.schedules.values():
        print(f"{s.name}: {s.notebook}, {s.window.describe()}, cron '{s.cron.expr}' {s.timezone}")
    print(f"{args.config}: {len(config.schedules)} schedule(s), all valid")
    return 0


def _cmd_schedule_install(args) -> int:
    from pathlib import Path

    from opsnb.schedule.install import crontab_line, systemd_units

    config = _load_schedule_config(args)
    out = Path(args.out) if args.out else config.out
    if not args.systemd:
        print(crontab_line(config.path, out, every=args.every))
        return 0
    units = systemd_units(config.path, out, every=args.every)
    if args.write:
        folder = Path(args.write).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in units.items():
            (folder / name).write_text(text, encoding="utf-8")
            print(f"wrote {folder / name}")
        print("then: systemctl --user daemon-reload && systemctl --user enable --now "
              "opsnb-reports.timer")
    else:
        for name, text in units.items():
            print(f"# {name}\n{text}")
    return 0


def _cmd_schedule_airflow(args) -> int:
    from opsnb.schedule.airflow import write_dag

    config = _load_schedule_config(args)
    print(f"wrote {write_dag(config, args.dag)}")
    return 0


def _add_schedule_parser(sub) -> None:
    sc = sub.add_parser("schedule",
                        help="scheduled reports from reports.yaml (cron, systemd, Airflow)")
    ssub = sc.add_subparsers(dest="schedule_command", required=True)

    def common(p):
        p.add_argument("--config", default="reports.yaml",
                       help="the schedules file (default: reports.yaml)")

    r = ssub.add_parser("run", help="run every schedule that is due now (what cron calls)")
    common(r)
    r.add_argument("--as-of", default=None, metavar="DATETIME",
                   help="act as if it were this instant (ISO; no offset means UTC)")
    r.add_argument("--only", action="append", default=[], metavar="NAME",
                   help="only this schedule (repeatable)")
    r.add_argument("--force", action="store_true",
                   help="rerun the current window even when it has already run")
    r.add_argument("--out", default=None, help="output folder (default: `out:` in the file)")
    r.add_argument("-q", "--quiet", action="store_true", help="print only failures and alerts")
    r.set_defaults(func=_cmd_schedule_run)

    v = ssub.add_parser("validate", help="check the schedules file")
    common(v)
    v.set_defaults(func=_cmd_schedule_validate)

    i = ssub.add_parser("install", help="print the crontab line or the systemd units")
    common(i)
    i.add_argument("--systemd", action="store_true", help="systemd service + timer instead of cron")
    i.add_argument("--write", default=None, metavar="DIR",
                   help="write the systemd units into DIR (e.g. ~/.config/systemd/user)")
    i.add_argument("--every", type=int, default=5, choices=[1, 2, 5, 10, 15, 30],
                   help="minutes between calls (default 5)")
    i.add_argument("--out", default=None, help="output folder (default: `out:` in the file)")
    i.set_defaults(func=_cmd_schedule_install)

    a = ssub.add_parser("airflow", help="write an Airflow DAG file for the same schedules")
    common(a)
    a.add_argument("--dag", default="opsnb_reports_dag.py", help="DAG file to write")
    a.set_defaults(func=_cmd_schedule_airflow)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="opsnb", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("sample", help="generate the simulated platform with planted truth")
    s.add_argument("--out", required=True, help="directory to write the tables to")
    s.add_argument("--seed", type=int, default=7)
    s.add_argument("--users", type=int, default=10_000)
    s.set_defaults(func=_cmd_sample)

    r = sub.add_parser("run", help="run a report (or all) with papermill into HTML + summary.json")
    r.add_argument("report", help="report name (see `opsnb list`) or 'all'")
    r.add_argument("--data", default=None,
                   help="data source: a directory of tables or a .duckdb file (default: sample data); "
                   "with --engine spark also hdfs://, s3a://... folders or spark:<database>")
    r.add_argument("--out", default="reports", help="output folder (default: reports)")
    r.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE",
                   help="report parameter, repeatable")
    r.add_argument("--timeout", type=int, default=None, help="per-cell timeout in seconds")
    r.add_argument("--engine", default=None, choices=["duckdb", "spark"],
                   help="where the event-level work runs (default duckdb; spark: the Spark "
                   "session of the environment, with --data any path Spark reads or spark:<db>)")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_cmd_run)

    ls = sub.add_parser("list", help="list the reports and their parameters")
    ls.set_defaults(func=_cmd_list)
    f = sub.add_parser("refresh-outputs",
                       help="(developers) store the expected outputs of the nbval-checked cells")
    f.add_argument("report", help="report name or 'all'")
    f.set_defaults(func=_cmd_refresh)
    _add_schedule_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (DataError, ParameterError) as exc:
        print(f"opsnb: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
