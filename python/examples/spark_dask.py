#!/usr/bin/env python3
"""Evaluate a roster with eduaid at scale: inside PySpark (``mapInArrow``) and inside Dask
(``map_partitions``), and check that both give exactly the single-process result.

    python examples/spark_dask.py [--rows 5000] [--as-of 2024-10-01] [--partitions 4]
                                  [--overlay core/policy/regions/150924.json] [--only spark|dask]

``eduaid.evaluate_table`` is a plain function of one table, so it runs per partition
as it is: Spark hands it Arrow record batches, Dask hands it pandas partitions. The rules
are in the compiled core; each worker process only needs ``eduaid`` installed. A
``Policy`` (with its overlays) pickles, so it travels to remote workers with the task.

Rows that cannot be evaluated: ``*_entitlements`` skip them (``errors="ignore"``) and
``*_errors`` return them (their ``row`` counts from the start of each partition or
batch, so identify them by ``student_id``).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from typing import Any, Dict, Iterator, List, Optional, Union

import eduaid

#: The long result's columns, as a Spark DDL schema (interface.md: money is decimal).
ENTITLEMENTS_DDL = (
    "student_id string, program string, kind string, "
    "annual_amount decimal(18,2), school_year_total decimal(18,2)"
)
ERRORS_DDL = (
    "student_id string, row long, error_kind string, error_field string, "
    "error_code string, error_message string"
)

AsOf = Union[datetime.date, str]


# --- PySpark ----------------------------------------------------------------------------


def spark_entitlements(sdf: Any, as_of: AsOf, policy: Optional[eduaid.Policy] = None) -> Any:
    """The long table of entitlements of a Spark DataFrame in the roster columns, as a
    (lazy) Spark DataFrame with the schema ``ENTITLEMENTS_DDL``."""

    def evaluate(batches: Iterator[Any]) -> Iterator[Any]:
        import eduaid

        for batch in batches:
            # Spark's Arrow reader takes no dictionary-encoded strings: plain program/kind.
            yield from eduaid.evaluate_table(batch, as_of, policy, errors="ignore", categorical=False).to_batches()

    return sdf.mapInArrow(evaluate, ENTITLEMENTS_DDL)


def spark_errors(sdf: Any, as_of: AsOf, policy: Optional[eduaid.Policy] = None) -> Any:
    """The rows of a Spark DataFrame that could not be evaluated (``ERRORS_DDL``)."""

    def evaluate(batches: Iterator[Any]) -> Iterator[Any]:
        import eduaid

        for batch in batches:
            yield from eduaid.evaluate_table_with_errors(batch, as_of, policy).errors.to_batches()

    return sdf.mapInArrow(evaluate, ERRORS_DDL)


def spark_session(partitions: int = 4) -> Any:
    """A local Spark session whose Python workers run this interpreter (so they import
    the same eduaid)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return (
        SparkSession.builder.master(f"local[{partitions}]")
        .appName("eduaid")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


def spark_dataframe(spark: Any, table: Any, partitions: int) -> Any:
    """A Spark DataFrame of a pyarrow roster, in ``partitions`` partitions."""
    try:
        sdf = spark.createDataFrame(table)  # Spark >= 4 takes a pyarrow Table
    except (TypeError, ValueError):
        sdf = spark.createDataFrame(table.to_pandas())
    return sdf.repartition(partitions)


# --- Dask -------------------------------------------------------------------------------


def _dask_meta(as_of: AsOf, policy: Optional[eduaid.Policy], errors: bool) -> Any:
    import pyarrow as pa

    empty = pa.table(
        {"stage": pa.array([], pa.string()), "grade": pa.array([], pa.int64()), "hukou": pa.array([], pa.string())}
    ).to_pandas()
    result = eduaid.evaluate_table_with_errors(empty, as_of, policy)
    return result.errors if errors else result.entitlements


def _entitlements_of(partition: Any, as_of: AsOf, policy: Optional[eduaid.Policy]) -> Any:
    return eduaid.evaluate_table(partition, as_of, policy, errors="ignore")


def _errors_of(partition: Any, as_of: AsOf, policy: Optional[eduaid.Policy]) -> Any:
    return eduaid.evaluate_table_with_errors(partition, as_of, policy).errors


def dask_entitlements(ddf: Any, as_of: AsOf, policy: Optional[eduaid.Policy] = None) -> Any:
    """The long table of entitlements of a Dask DataFrame in the roster columns (lazy)."""
    return ddf.map_partitions(_entitlements_of, as_of, policy, meta=_dask_meta(as_of, policy, False))


def dask_errors(ddf: Any, as_of: AsOf, policy: Optional[eduaid.Policy] = None) -> Any:
    """The rows of a Dask DataFrame that could not be evaluated (lazy)."""
    return ddf.map_partitions(_errors_of, as_of, policy, meta=_dask_meta(as_of, policy, True))


# --- comparing --------------------------------------------------------------------------

KEY = ["student_id", "program"]


def canonical(table: Any) -> Any:
    """A result as a pyarrow Table of plain types sorted by (student_id, program), whatever
    its flavour (Spark may return large strings, pandas has its index)."""
    import pyarrow as pa

    if not isinstance(table, pa.Table):
        table = pa.Table.from_pandas(table, preserve_index=False)
    money = pa.decimal128(18, 2)
    schema = pa.schema(
        [
            ("student_id", pa.string()),
            ("program", pa.string()),
            ("kind", pa.string()),
            ("annual_amount", money),
            ("school_year_total", money),
        ]
    )
    table = table.select(schema.names).cast(schema)
    return table.sort_by([(k, "ascending") for k in KEY]).combine_chunks()


def synthetic_roster(rows: int, seed: int = 1) -> Any:
    """A deterministic synthetic roster (pyarrow Table) in the flattened columns."""
    import pyarrow as pa

    rnd = random.Random(seed)
    grades = {"preschool": 3, "primary": 6, "junior_middle": 3, "general_high": 3, "secondary_vocational": 3,
              "higher_vocational": 3, "undergraduate": 5, "masters": 3, "doctoral": 6}
    statuses = ["lifted_out_of_poverty", "monitored_unstable", "dibao", "tekun", "orphan", "disabled_parent"]
    data: Dict[str, List[Any]] = {k: [] for k in ("student_id", "stage", "grade", "hukou", "boarding", "school_location",
                                  "nutrition_pilot", "household_statuses", "difficulty_level")}
    for i in range(rows):
        stage = rnd.choice(list(grades))
        data["student_id"].append(f"S-{i:07d}")
        data["stage"].append(stage)
        data["grade"].append(rnd.randint(1, grades[stage]))
        data["hukou"].append(rnd.choice(["rural", "rural", "urban"]))
        data["boarding"].append(rnd.random() < 0.4)
        data["school_location"].append(rnd.choice([None, "city", "town", "rural"]))
        data["nutrition_pilot"].append(rnd.choice([None, None, "national", "local"]))
        data["household_statuses"].append(",".join(rnd.sample(statuses, 1)) if rnd.random() < 0.3 else "")
        data["difficulty_level"].append(rnd.choice([None] * 5 + ["especially", "relatively", "general"]))
    return pa.table(data)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--as-of", default="2024-10-01")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--overlay", action="append", default=[], help="a region overlay file (repeatable)")
    parser.add_argument("--only", choices=["spark", "dask"])
    args = parser.parse_args(argv)

    policy = eduaid.Policy.national()
    for path in args.overlay:
        policy = policy.with_overlay(path)
    table = synthetic_roster(args.rows)
    t0 = time.perf_counter()
    reference = canonical(eduaid.evaluate_table(table, args.as_of, policy))
    print(f"single process: {reference.num_rows} entitlements of {table.num_rows} students "
          f"in {time.perf_counter() - t0:.2f} s")
    failures = 0
    if args.only in (None, "spark"):
        spark = spark_session(args.partitions)
        t0 = time.perf_counter()
        sdf = spark_dataframe(spark, table, args.partitions)
        got = canonical(spark_entitlements(sdf, args.as_of, policy).toArrow())
        same = got.equals(reference)
        failures += not same
        print(f"pyspark mapInArrow ({args.partitions} partitions): {got.num_rows} rows in "
              f"{time.perf_counter() - t0:.2f} s, {'identical' if same else 'DIFFERENT'}")
        spark.stop()
    if args.only in (None, "dask"):
        import dask.dataframe as dd

        t0 = time.perf_counter()
        ddf = dd.from_pandas(table.to_pandas(), npartitions=args.partitions)  # type: ignore[no-untyped-call]
        got = canonical(dask_entitlements(ddf, args.as_of, policy).compute())
        same = got.equals(reference)
        failures += not same
        print(f"dask map_partitions ({args.partitions} partitions): {got.num_rows} rows in "
              f"{time.perf_counter() - t0:.2f} s, {'identical' if same else 'DIFFERENT'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
