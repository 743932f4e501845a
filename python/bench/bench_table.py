#!/usr/bin/env python3
"""Batch benchmark of ``eduaid.evaluate_table`` (a benchmark, never a test: not in CI).

    target/venv/bin/python python/bench/bench_table.py [--rows 1000000] [--repeats 7]

1. Generates a roster with ``/work/shared/bench-peers/gen_roster.py`` (run as a subprocess
   with this interpreter; cached under ``target/bench``), or reads ``--roster``.
2. Times ``evaluate_table`` on it: the first call in the process (every distinct profile
   shape evaluated) apart, then the median of ``--repeats`` further calls (shapes kept from
   the first call), and prints rows/s.
3. When the peers' dependencies (openfisca-core, zen-engine) are importable, runs
   ``bench_peers.py --rows N --as-of D --zen-rows 20000 --repeats R --eduaid``, saves its
   output to ``python/bench/results.txt`` and prints it (rows/s of each peer and eduaid's
   ratios against them).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PEERS = Path(os.environ.get("EDUAID_BENCH_PEERS", "/work/shared/bench-peers"))


def roster(rows: int, seed: int, given: str | None) -> Path:
    if given:
        return Path(given)
    out = REPO / "target" / "bench" / f"roster-{rows}-{seed}.parquet"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        print(f"== generating {rows} rows -> {out}", flush=True)
        subprocess.run([sys.executable, str(PEERS / "gen_roster.py"), str(rows), str(seed), str(out)], check=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--as-of", default="2024-10-01")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--zen-rows", type=int, default=20_000)
    ap.add_argument("--roster", help="a parquet roster to read instead of generating one")
    ap.add_argument("--no-peers", action="store_true", help="time eduaid only")
    args = ap.parse_args()

    import pyarrow.parquet as pq

    import eduaid

    path = roster(args.rows, args.seed, args.roster)
    table = pq.read_table(path)
    n = table.num_rows
    # The first call evaluates every distinct profile shape (about 34 000 in 1 M rows); the
    # shapes are kept in the process for later calls with the same policy and date, so the
    # first call is timed apart from the median of the repeats.
    start = time.perf_counter()
    result = eduaid.evaluate_table(table, args.as_of)
    first = time.perf_counter() - start
    print(f"  first call (every shape new): {first:.3f} s ({n / first:,.0f} rows/s)", flush=True)
    times = []
    for i in range(args.repeats):
        start = time.perf_counter()
        result = eduaid.evaluate_table(table, args.as_of)
        times.append(time.perf_counter() - start)
        print(f"  run {i + 1}: {times[-1]:.3f} s ({n / times[-1]:,.0f} rows/s)", flush=True)
    median = statistics.median(times)
    print(f"eduaid.evaluate_table: {n:,} rows ({len(result):,} entitlement rows; {os.cpu_count()} CPUs): "
          f"first call {n / first:,.0f} rows/s; repeated calls, median of {args.repeats}: {median:.3f} s = "
          f"{n / median:,.0f} rows/s")

    if args.no_peers:
        return 0
    missing = [m for m in ("openfisca_core", "zen") if importlib.util.find_spec(m) is None]
    if missing:
        print(f"peers skipped: {', '.join(missing)} not importable in {sys.executable}")
        return 0
    command = [sys.executable, str(PEERS / "bench_peers.py"), "--rows", str(args.rows), "--as-of", args.as_of,
               "--zen-rows", str(args.zen_rows), "--repeats", str(args.repeats), "--eduaid"]
    print("== " + " ".join(command), flush=True)
    run = subprocess.run(command, cwd=PEERS, capture_output=True, text=True)
    output = run.stdout + (run.stderr if run.returncode else "")
    (HERE / "results.txt").write_text(
        f"$ {' '.join(command)}\n(eduaid.evaluate_table alone: first call {n / first:,.0f} rows/s; "
        f"repeated calls {n / median:,.0f} rows/s, median of {args.repeats})\n\n{output}", encoding="utf-8")
    print(output)
    print(f"saved to {HERE / 'results.txt'}")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
