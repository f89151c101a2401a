"""`make bench`: every benchmark in turn, each printing its own figures.

    .venv/bin/python bench/run.py            # the sizes the goals are stated at
    .venv/bin/python bench/run.py --quick    # small sizes, a minute or two in all
    .venv/bin/python bench/run.py lists money   # only some

Datasets of orders are built once and cached in .bench-cache/ (delete it to rebuild).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name: (full arguments, quick arguments)
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "lists": (
        ["--sizes", "10000,100000,1000000", "--requests", "30"],
        ["--sizes", "2000,10000", "--requests", "10"],
    ),
    "quick_order": (
        ["--orders", "100000", "--saves", "300"],
        ["--orders", "5000", "--saves", "40"],
    ),
    "products_list": (
        ["--products", "10000", "--requests", "50"],
        ["--products", "1000", "--requests", "10"],
    ),
    "money": (
        ["--sizes", "10000,1000000", "--runs", "40"],
        ["--sizes", "10000,100000", "--runs", "10"],
    ),
    "insights": (
        ["--sizes", "10000,100000,1000000", "--requests", "30"],
        ["--sizes", "2000,10000", "--requests", "10"],
    ),
    "storefront": (
        ["--products", "500", "--requests", "200"],
        ["--products", "500", "--requests", "30"],
    ),
    "parse_message": (["40"], ["5"]),
    "load": (["--seconds", "120", "--clients", "12"], ["--seconds", "20", "--clients", "6"]),
    "lighthouse": (["--runs", "3"], ["--runs", "1"]),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"any of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="small sizes")
    args = parser.parse_args()
    unknown = set(args.names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    failed = []
    for name in args.names or BENCHMARKS:
        full, quick = BENCHMARKS[name]
        script = HERE / f"{name}.py"
        print(f"\n=== {name} {' '.join(quick if args.quick else full)}", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(script), *(quick if args.quick else full)])  # noqa: S603
        print(f"=== {name}: {time.perf_counter() - started:.0f} s", flush=True)
        if done.returncode:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
