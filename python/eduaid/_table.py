"""Rosters as tables: pyarrow, pandas and polars in, the same flavour out.

Type conversion only. The table is handed to the native module as Arrow (zero-copy for
pyarrow and polars); the native module converts each row to a profile with the core's
roster reader and evaluates it with the core. This module only moves tables between
flavours and decides how rows that could not be evaluated are reported.
"""

from __future__ import annotations

import datetime
import warnings
from typing import TYPE_CHECKING, Any, NamedTuple, Optional, Tuple, Union

from . import _eduaid
from ._errors import RowErrorWarning, error_from_row

if TYPE_CHECKING:
    from ._eduaid import Policy


class TableResult(NamedTuple):
    """What ``evaluate_table_with_errors`` returns: two tables of the caller's flavour."""

    entitlements: Any
    """One row per (student, program) entitled: ``student_id``, ``program``, ``kind``
    (dictionary-encoded in pyarrow and polars unless ``categorical=False``), ``annual_amount`` and
    ``school_year_total`` (``decimal128(18, 2)``; null where the amount is null)."""
    errors: Any
    """One row per roster row that could not be evaluated: ``student_id``, ``row``
    (0-based), ``error_kind``, ``error_field`` (the column), ``error_code``,
    ``error_message``."""


def _flavour(table: Any) -> Tuple[str, Any]:
    """(flavour, Arrow-exporting object) for a supported table."""
    module = type(table).__module__.split(".")[0]
    name = type(table).__name__
    if module == "pandas" and name == "DataFrame":
        import pyarrow as pa

        return "pandas", pa.Table.from_pandas(table, preserve_index=False)
    if module == "polars":
        if name == "LazyFrame":
            table = table.collect()
        if hasattr(table, "to_arrow"):
            return "polars", table.to_arrow()
    if module == "pyarrow" or hasattr(table, "__arrow_c_stream__") or hasattr(table, "__arrow_c_array__"):
        return "pyarrow", table
    raise TypeError(
        f"evaluate_table takes a pyarrow Table (or RecordBatch, RecordBatchReader, any Arrow "
        f"stream), a pandas DataFrame or a polars DataFrame; got {type(table).__module__}.{name}"
    )


def _as_flavour(flavour: str, table: Any) -> Any:
    if flavour == "pandas":
        import pandas as pd
        import pyarrow as pa

        # pandas groups an Arrow dictionary column by its whole dictionary (every program,
        # with or without rows), so pandas gets the plain Arrow strings.
        for i, field in enumerate(table.schema):
            if pa.types.is_dictionary(field.type):
                table = table.set_column(i, field.name, table.column(i).cast(field.type.value_type))
        return table.to_pandas(types_mapper=pd.ArrowDtype)
    if flavour == "polars":
        import polars as pl

        return pl.from_arrow(table)
    return table


def _run(
    table: Any, as_of: Union[datetime.date, str], policy: Optional[Policy], lang: str, categorical: bool
) -> Tuple[str, Any, Any]:
    if not isinstance(categorical, bool):
        raise TypeError(f"categorical must be True or False, not {categorical!r}")
    flavour, arrow = _flavour(table)
    entitlements, errors = _eduaid._evaluate_arrow(arrow, as_of, policy, lang, categorical=categorical)
    return flavour, entitlements, errors


def evaluate_table(
    table: Any,
    as_of: Union[datetime.date, str],
    policy: Optional[Policy] = None,
    lang: str = "en",
    *,
    errors: str = "warn",
    categorical: bool = True,
) -> Any:
    """Evaluate a roster in the flattened columns of interface.md ("Rosters as tables").

    ``table`` is a pyarrow Table (or RecordBatch, RecordBatchReader, or any object
    exporting an Arrow stream), a pandas DataFrame or a polars DataFrame; string columns may
    be plain or dictionary-encoded (categorical). Only ``stage``, ``grade`` and ``hukou``
    are required; a missing column or a null cell takes the profile default. An unknown
    column, a missing required column, a bad ``as_of`` or an ``as_of`` outside the policy's
    coverage raise. ``policy`` defaults to ``Policy.national()``; ``lang`` (``en`` or
    ``zh``) is the language of the reasons, which the long table does not carry yet.

    Returns the long table of entitlements in the caller's flavour (pyarrow in, pyarrow
    Table out; pandas in, an Arrow-backed pandas DataFrame out; polars in, polars out), one
    row per (student, program) entitled, with ``student_id``, ``program``, ``kind``,
    ``annual_amount`` and ``school_year_total`` as ``decimal128(18, 2)``.

    In a pyarrow or polars result, ``program`` and ``kind`` are dictionary-encoded strings
    (polars reads them as categoricals): a few bytes per row instead of the names
    themselves, which at national scale (about 420 million rows) is the difference between
    hundreds of megabytes and tens of gigabytes. ``categorical=False`` returns them as plain
    strings, for engines that take nothing else (Spark's ``mapInArrow`` output). A pandas
    result always has plain ``string[pyarrow]`` columns (pandas would group a dictionary
    column by every program of its dictionary, rows or not).

    Each distinct profile shape (the fields the rules read) is evaluated once; the results
    are kept in the process for the next call with the same policy and date (the last four
    policy/date pairs, up to 500 000 shapes each), so a second roster evaluated on the
    same date skips the shapes already seen.

    Rows that cannot be evaluated never fail the batch. ``errors`` says what to do with
    them: ``"warn"`` (default) emits one ``RowErrorWarning`` naming how many rows were
    skipped and the first one's error; ``"ignore"`` skips them silently; ``"raise"`` raises
    the first one's error (an ``EduaidError`` whose ``row`` is the 0-based row). Use
    ``evaluate_table_with_errors`` to get them as a table.

    >>> import eduaid, pyarrow as pa
    >>> roster = pa.table({"student_id": ["S1", "S2"], "stage": ["junior_middle", "primary"],
    ...                    "grade": [2, 3], "hukou": ["rural", "urban"], "boarding": [True, False],
    ...                    "household_statuses": ["dibao", ""]})
    >>> out = eduaid.evaluate_table(roster, "2024-10-01")
    >>> [r for r in out.to_pylist() if r["program"] == "compulsory_living_subsidy"]
    [{'student_id': 'S1', 'program': 'compulsory_living_subsidy', 'kind': 'cash', 'annual_amount': Decimal('1500.00'), 'school_year_total': Decimal('1500.00')}]
    """
    if errors not in ("warn", "ignore", "raise"):
        raise ValueError(f"errors must be 'warn', 'ignore' or 'raise', not {errors!r}")
    flavour, entitlements, bad = _run(table, as_of, policy, lang, categorical)
    if bad.num_rows:
        if errors == "raise":
            first = bad.slice(0, 1).to_pylist()[0]
            raise error_from_row(
                first["error_kind"], first["error_field"], first["error_code"], first["error_message"], first["row"]
            )
        if errors == "warn":
            first = bad.slice(0, 1).to_pylist()[0]
            warnings.warn(
                f"{bad.num_rows} row(s) could not be evaluated and were skipped; first: row {first['row']} "
                f"({first['student_id']}): {first['error_field']}: {first['error_message']} "
                "(evaluate_table_with_errors returns them as a table)",
                RowErrorWarning,
                stacklevel=2,
            )
    return _as_flavour(flavour, entitlements)


def evaluate_table_with_errors(
    table: Any,
    as_of: Union[datetime.date, str],
    policy: Optional[Policy] = None,
    lang: str = "en",
    *,
    categorical: bool = True,
) -> TableResult:
    """Like ``evaluate_table``, and return the rows that could not be evaluated as a
    second table: ``TableResult(entitlements, errors)``, both of the caller's flavour.

    >>> import eduaid, pyarrow as pa
    >>> roster = pa.table({"student_id": ["S1", "S2"], "stage": ["primary", "primary"],
    ...                    "grade": [1, 9], "hukou": ["rural", "rural"]})
    >>> result = eduaid.evaluate_table_with_errors(roster, "2024-10-01")
    >>> result.errors.select(["student_id", "row", "error_field", "error_code"]).to_pylist()
    [{'student_id': 'S2', 'row': 1, 'error_field': 'grade', 'error_code': 'out_of_range'}]
    """
    flavour, entitlements, bad = _run(table, as_of, policy, lang, categorical)
    return TableResult(_as_flavour(flavour, entitlements), _as_flavour(flavour, bad))
