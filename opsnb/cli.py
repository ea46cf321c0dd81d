"""The ``opsnb`` command: sample data, running reports, listing them."""

from __future__ import annotations

import argparse
import sys

from opsnb.errors import DataError, ParameterError


def _cmd_sample(args) -> int:
    from opsnb.data.sample import generate

    truth = generate(args.out, seed=args.seed, n_users=args.users)
    print(f"wrote {truth['n_users']:,} users, {truth['start']} .. {truth['end']}, seed {args.seed} "
          f"to {args.out} (planted truth in truth.json)")
    return 0


def _cmd_list(args) -> int:
    from opsnb.runner.catalog import list_reports, report_parameters

    for name in list_reports():
        print(name)
        for p in report_parameters(name).values():
            print(f"    {p.name:<22} {p.type:<6} default {p.default:<28} {p.help}")
    return 0


def _cmd_run(args) -> int:
    from opsnb.runner.catalog import list_reports, parse_assignments
    from opsnb.runner.run import run_report

    names = list_reports() if args.report == "all" else [args.report]
    given = parse_assignments(args.param)
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
                   help="data source: a directory of tables or a .duckdb file (default: sample data)")
    r.add_argument("--out", default="reports", help="output folder (default: reports)")
    r.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE",
                   help="report parameter, repeatable")
    r.add_argument("--timeout", type=int, default=None, help="per-cell timeout in seconds")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_cmd_run)

    ls = sub.add_parser("list", help="list the reports and their parameters")
    ls.set_defaults(func=_cmd_list)
    f = sub.add_parser("refresh-outputs",
                       help="(developers) store the expected outputs of the nbval-checked cells")
    f.add_argument("report", help="report name or 'all'")
    f.set_defaults(func=_cmd_refresh)
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
