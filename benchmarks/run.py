"""Run every benchmark: `python benchmarks/run.py [--only NAME ...] [--quick]`.

Each `benchmarks/bench_<name>.py` has `main(quick: bool) -> list[dict]`; each runs in its own
process so that its peak memory (ru_maxrss) is its own. Results print as a table and are
written to benchmarks/results.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--only", nargs="*", help="benchmark names (bench_<name>.py)")
    ap.add_argument("--quick", action="store_true", help="small sizes, to check the harness")
    args = ap.parse_args()
    names = sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))
    if args.only:
        names = [n for n in names if n in args.only]
    results = []
    for name in names:
        print(f"== {name}", flush=True)
        cmd = [sys.executable, str(HERE / f"bench_{name}.py")] + (["--quick"] if args.quick else [])
        proc = subprocess.run(cmd, capture_output=True, text=True)
        sys.stderr.write(proc.stderr[-4000:])
        if proc.returncode != 0:
            print(f"   FAILED (exit {proc.returncode})")
            results.append({"benchmark": name, "status": "failed"})
            continue
        rows = json.loads(proc.stdout.strip().splitlines()[-1])
        for r in rows:
            print("   " + ", ".join(f"{k}={v}" for k, v in r.items()), flush=True)
        results.extend(rows)
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
