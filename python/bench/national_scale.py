#!/usr/bin/env python3
"""National-scale run of the Python package (issue 10; a benchmark, never a test: not in CI).

    target/venv/bin/python python/bench/national_scale.py [--rows 10000000] [--chunk 250000]
                                                          [--as-of 2024-10-01] [--spark]

1. Roster: ``--rows`` students (default 10 M, seed 42) generated with
   ``/work/shared/bench-peers/gen_roster.py`` as a subprocess of this interpreter, cached in
   ``target/bench/roster-ROWS-SEED.parquet`` (the cache ``bench_table.py`` uses too).
2. Python package: the parquet file is streamed in record batches of ``--chunk`` rows
   (``ParquetFile.iter_batches``); each batch goes to ``eduaid.evaluate_table`` and its long
   result is reduced at once to per-program totals (entitled rows, sum of ``annual_amount``
   as integer fen), so memory holds one chunk, never the roster or the result. Reading,
   evaluation and reduction are timed apart; prints rows/s of the evaluation, the
   extrapolated time for 290 M students and the peak RSS (``ru_maxrss``) of this process.
3. With ``--spark``, PySpark in local mode (``--spark-master``, default ``local[2]``):
   ``spark.read.parquet`` of the same file, ``mapInArrow`` calling ``evaluate_table`` on
   each Arrow batch (``maxRecordsPerBatch`` = ``--chunk``) and yielding per-batch,
   per-program partial totals, then ``groupBy("program")``, sum, collect. The job's wall
   time is measured with the session already started (startup printed apart); also printed:
   ``evaluate_table`` time summed over the tasks, the peak RSS of the Python workers and of
   the JVM. The per-program totals must equal those of step 2 exactly, or the script exits 1.

Ends with a Markdown table to paste into BENCHMARKS.md. Needs pyarrow; ``--spark`` needs
pyspark and Java 17 or later on PATH.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PEERS = Path(os.environ.get("EDUAID_BENCH_PEERS", "/work/shared/bench-peers"))
NATION = 290_000_000

#: Per program: (entitled rows, sum of annual_amount in fen).
Totals = Dict[str, Tuple[int, int]]

#: Rows ``mapInArrow`` yields: per batch, one row per program with its partial totals, and
#: one row with a null program carrying the batch's own figures (students, evaluation
#: time, the worker's peak RSS so far).
PARTIALS_DDL = "program string, entitled long, fen long, students long, eval_ns long, peak_rss_kib long"


def roster(rows: int, seed: int) -> Path:
    """The cached parquet roster of ``rows`` students, generated on first use."""
    out = REPO / "target" / "bench" / f"roster-{rows}-{seed}.parquet"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f"{out.stem}.partial.parquet")
        print(f"== generating {rows:,} rows -> {out}", flush=True)
        start = time.perf_counter()
        subprocess.run([sys.executable, str(PEERS / "gen_roster.py"), str(rows), str(seed), str(partial)], check=True)
        partial.rename(out)
        print(f"   generated in {time.perf_counter() - start:.1f} s", flush=True)
    return out


def program_totals(entitlements: Any) -> Totals:
    """Per-program (entitled rows, fen) of one long result table (pyarrow)."""
    grouped = entitlements.group_by("program").aggregate([([], "count_all"), ("annual_amount", "sum")])
    totals: Totals = {}
    for row in grouped.to_pylist():
        amount: Optional[Decimal] = row["annual_amount_sum"]  # exact decimal; None when all null
        totals[row["program"]] = (row["count_all"], int(amount.scaleb(2)) if amount is not None else 0)
    return totals


def add_totals(into: Totals, part: Totals) -> None:
    for program, (entitled, fen) in part.items():
        before = into.get(program, (0, 0))
        into[program] = (before[0] + entitled, before[1] + fen)


def peak_rss_mib() -> float:
    """Peak RSS of this process (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


def spaced(n: int) -> str:
    """An integer grouped with spaces, as BENCHMARKS.md writes it (``10 000 000``)."""
    return f"{n:,}".replace(",", " ")


@dataclass
class PythonRun:
    rows: int = 0
    chunks: int = 0
    read_s: float = 0.0
    eval_s: float = 0.0
    reduce_s: float = 0.0
    wall_s: float = 0.0
    peak_rss_mib: float = 0.0
    totals: Totals = field(default_factory=dict)


def run_python(path: Path, chunk: int, as_of: str) -> PythonRun:
    """Stream ``path`` in batches of ``chunk`` rows through ``evaluate_table``."""
    import pyarrow.parquet as pq

    import eduaid

    run = PythonRun()
    batches = pq.ParquetFile(path).iter_batches(batch_size=chunk)
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        batch = next(batches, None)
        t1 = time.perf_counter()
        run.read_s += t1 - t0
        if batch is None:
            break
        entitlements = eduaid.evaluate_table(batch, as_of, errors="raise")
        t2 = time.perf_counter()
        add_totals(run.totals, program_totals(entitlements))
        run.reduce_s += time.perf_counter() - t2
        run.eval_s += t2 - t1
        run.rows += batch.num_rows
        run.chunks += 1
        del batch, entitlements  # hold one chunk at a time
        if run.chunks % 10 == 0:
            print(f"   {run.rows:>12,} rows, evaluation {run.eval_s:.1f} s", flush=True)
    run.wall_s = time.perf_counter() - start
    run.peak_rss_mib = peak_rss_mib()
    return run


@dataclass
class SparkRun:
    master: str
    startup_s: float = 0.0
    job_s: float = 0.0
    rows: int = 0
    eval_task_s: float = 0.0
    worker_peak_rss_mib: float = 0.0
    jvm_peak_rss_mib: Optional[float] = None
    totals: Totals = field(default_factory=dict)


def check_spark() -> str:
    """The Java version line, or exit with why PySpark cannot run here."""
    if importlib.util.find_spec("pyspark") is None:
        raise SystemExit(f"--spark: pyspark is not installed in {sys.executable} (pip install 'pyspark>=3.5')")
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=60)
    except (FileNotFoundError, subprocess.TimeoutExpired) as e:
        raise SystemExit(f"--spark: PySpark needs Java 17 or later on PATH; `java -version` failed: {e}")
    if java.returncode != 0:
        raise SystemExit(f"--spark: `java -version` exited {java.returncode}: {java.stderr.strip()}")
    lines = (java.stderr or java.stdout).strip().splitlines()
    return lines[0] if lines else "java (version unknown)"


def vm_hwm_mib(pid: int) -> Optional[float]:
    """Peak RSS (VmHWM) of a local process, when /proc has it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def evaluate_partials(as_of: str) -> Any:
    """The ``mapInArrow`` function: Arrow batches in, ``PARTIALS_DDL`` batches out."""

    def partials(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        import eduaid

        for batch in batches:
            start = time.perf_counter_ns()
            entitlements = eduaid.evaluate_table(batch, as_of, errors="raise")
            eval_ns = time.perf_counter_ns() - start
            totals = program_totals(entitlements)
            programs: List[Optional[str]] = [*totals, None]
            yield pa.RecordBatch.from_pydict(
                {
                    "program": programs,
                    "entitled": [entitled for entitled, _ in totals.values()] + [0],
                    "fen": [fen for _, fen in totals.values()] + [0],
                    "students": [0] * len(totals) + [batch.num_rows],
                    "eval_ns": [0] * len(totals) + [eval_ns],
                    "peak_rss_kib": [0] * len(totals) + [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss],
                },
                schema=pa.schema(
                    [
                        ("program", pa.string()),
                        ("entitled", pa.int64()),
                        ("fen", pa.int64()),
                        ("students", pa.int64()),
                        ("eval_ns", pa.int64()),
                        ("peak_rss_kib", pa.int64()),
                    ]
                ),
            )

    return partials


def run_spark(path: Path, chunk: int, as_of: str, master: str) -> SparkRun:
    """The same roster through PySpark ``mapInArrow`` and a ``groupBy`` sum."""
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    run = SparkRun(master=master)
    start = time.perf_counter()
    spark = (
        SparkSession.builder.master(master)
        .appName("eduaid-national-scale")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(chunk))
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    run.startup_s = time.perf_counter() - start
    try:
        start = time.perf_counter()
        rows = (
            spark.read.parquet(str(path))
            .mapInArrow(evaluate_partials(as_of), PARTIALS_DDL)
            .groupBy("program")
            .agg(
                F.sum("entitled").alias("entitled"),
                F.sum("fen").alias("fen"),
                F.sum("students").alias("students"),
                F.sum("eval_ns").alias("eval_ns"),
                F.max("peak_rss_kib").alias("peak_rss_kib"),
            )
            .collect()
        )
        run.job_s = time.perf_counter() - start
        for row in rows:
            if row["program"] is None:
                run.rows = row["students"]
                run.eval_task_s = row["eval_ns"] / 1e9
                run.worker_peak_rss_mib = row["peak_rss_kib"] / 1024
            else:
                run.totals[row["program"]] = (row["entitled"], row["fen"])
        jvm: Any = spark.sparkContext._jvm  # local mode: the JVM runs on this machine
        run.jvm_peak_rss_mib = vm_hwm_mib(jvm.java.lang.ProcessHandle.current().pid())
    finally:
        spark.stop()
    return run


def print_totals(totals: Totals) -> None:
    print(f"\n{'program':<36} {'entitled':>12} {'annual amounts (yuan)':>24}")
    for program in sorted(totals):
        entitled, fen = totals[program]
        print(f"{program:<36} {entitled:>12,} {yuan(fen):>24}")
    entitled = sum(e for e, _ in totals.values())
    fen = sum(f for _, f in totals.values())
    print(f"{'all programs':<36} {entitled:>12,} {yuan(fen):>24}")


def print_summary(py: PythonRun, chunk: int, spark: Optional[SparkRun]) -> None:
    eval_rate = py.rows / py.eval_s
    wall_rate = py.rows / py.wall_s
    cores = os.cpu_count() or 1
    print("\n## National scale via Python (`python/bench/national_scale.py`)\n")
    print(f"{spaced(py.rows)} students, chunks of {spaced(chunk)}, {cores} cores, "
          f"load average {os.getloadavg()[0]:.2f} at the end\n")
    head = "| measure | Python package (`evaluate_table` per chunk) |"
    rule = "| --- | --- |"
    if spark is not None:
        head += f" PySpark {spark.master} (`mapInArrow`) |"
        rule += " --- |"
    print(head)
    print(rule)

    def line(measure: str, python: str, pyspark: str) -> None:
        print(f"| {measure} | {python} |" + (f" {pyspark} |" if spark is not None else ""))

    line("students", spaced(py.rows), spaced(spark.rows) if spark else "")
    line("Arrow batch", f"{spaced(chunk)} rows", f"{spaced(chunk)} rows (maxRecordsPerBatch)")
    line("reading parquet", f"{py.read_s:.1f} s", "inside the job")
    line("evaluation (`evaluate_table`)", f"{py.eval_s:.1f} s = {eval_rate / 1e6:.2f} M students/s",
         f"{spark.eval_task_s:.1f} s summed over tasks" if spark else "")
    line("reduction to per-program totals", f"{py.reduce_s:.1f} s", "inside the job")
    line("wall", f"{py.wall_s:.1f} s = {wall_rate / 1e6:.2f} M students/s",
         f"{spark.job_s:.1f} s = {spark.rows / spark.job_s / 1e6:.2f} M students/s "
         f"(startup {spark.startup_s:.1f} s excluded)" if spark else "")
    line("extrapolated 290 M", f"{NATION / eval_rate:.0f} s evaluation only, {NATION / wall_rate:.0f} s wall",
         f"{NATION * spark.job_s / spark.rows:.0f} s wall" if spark else "")
    jvm = f", JVM {spark.jvm_peak_rss_mib:.0f} MiB" if spark and spark.jvm_peak_rss_mib is not None else ""
    line("peak RSS", f"{py.peak_rss_mib:.0f} MiB",
         f"Python worker {spark.worker_peak_rss_mib:.0f} MiB{jvm}" if spark else "")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000, help="students (default 10 000 000)")
    ap.add_argument("--chunk", type=int, default=250_000, help="rows per Arrow batch (default 250 000)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--as-of", default="2024-10-01")
    ap.add_argument("--spark", action="store_true", help="also run PySpark local mode and compare totals")
    ap.add_argument("--spark-master", default="local[2]")
    args = ap.parse_args()
    if args.rows <= 0 or args.chunk <= 0:
        ap.error("--rows and --chunk must be positive")
    java = check_spark() if args.spark else None

    import eduaid

    path = roster(args.rows, args.seed)
    print(f"== Python package: eduaid {eduaid.__version__}, {path.name}, chunks of {args.chunk:,}", flush=True)
    py = run_python(path, args.chunk, args.as_of)
    print(f"   {py.rows:,} rows in {py.chunks} chunks: read {py.read_s:.2f} s, evaluate {py.eval_s:.2f} s "
          f"({py.rows / py.eval_s:,.0f} rows/s), reduce {py.reduce_s:.2f} s, wall {py.wall_s:.2f} s; "
          f"extrapolated 290 M: {NATION * py.eval_s / py.rows:.0f} s; peak RSS {py.peak_rss_mib:.0f} MiB")
    print_totals(py.totals)

    spark: Optional[SparkRun] = None
    failed = False
    if args.spark:
        print(f"\n== PySpark {args.spark_master} ({java})", flush=True)
        spark = run_spark(path, args.chunk, args.as_of, args.spark_master)
        print(f"   startup {spark.startup_s:.1f} s (excluded); job {spark.job_s:.2f} s for {spark.rows:,} rows "
              f"({spark.rows / spark.job_s:,.0f} rows/s); evaluate_table {spark.eval_task_s:.2f} s summed over "
              f"tasks; extrapolated 290 M: {NATION * spark.job_s / spark.rows:.0f} s")
        if spark.rows != py.rows or spark.totals != py.totals:
            failed = True
            print(f"\nMISMATCH: PySpark saw {spark.rows:,} rows (Python {py.rows:,}); per-program totals:")
            for program in sorted(set(py.totals) | set(spark.totals)):
                a, b = py.totals.get(program), spark.totals.get(program)
                if a != b:
                    print(f"   {program}: Python {a}, PySpark {b}")
        else:
            print("   per-program totals identical to the Python package run")

    print_summary(py, args.chunk, spark)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
