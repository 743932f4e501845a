"""evaluate_table: pyarrow, pandas and polars rosters (plain and dictionary-encoded
columns), the long result, row errors, and agreement with evaluate() row by row."""

from __future__ import annotations

import datetime
import threading
from pathlib import Path
import warnings
from decimal import Decimal
from typing import Any, Dict, List, Tuple

import pytest

import eduaid
from rosters import columns, make_roster, row_to_profile

pa = pytest.importorskip("pyarrow")

AS_OF = "2024-10-01"
MONEY = pa.decimal128(18, 2)
RESULT_COLUMNS = ["student_id", "program", "kind", "annual_amount", "school_year_total"]


def expected_rows(rows: List[Dict[str, Any]], as_of: str = AS_OF) -> List[Tuple[Any, ...]]:
    """The long result computed one profile at a time with evaluate()."""
    out = []
    for row in rows:
        a = eduaid.evaluate(row_to_profile(row), as_of)
        for e in a.entitlements:
            out.append((a.student_id, e.program, e.kind, e.annual_amount, e.school_year_total))
    return out


def arrow_rows(table: Any) -> List[Tuple[Any, ...]]:
    return [tuple(r[c] for c in RESULT_COLUMNS) for r in table.select(RESULT_COLUMNS).to_pylist()]


def test_pyarrow_table_agrees_with_evaluate(roster_rows: List[Dict[str, Any]]) -> None:
    table = pa.Table.from_pylist(roster_rows)
    out = eduaid.evaluate_table(table, AS_OF)
    assert isinstance(out, pa.Table)
    assert out.column_names == RESULT_COLUMNS
    assert out.schema.field("annual_amount").type == MONEY
    assert out.schema.field("school_year_total").type == MONEY
    assert arrow_rows(out) == expected_rows(roster_rows)
    assert out.num_rows > len(roster_rows)  # compulsory students get two waivers each


def test_program_and_kind_are_categorical_unless_asked_plain(roster_rows: List[Dict[str, Any]]) -> None:
    table = pa.Table.from_pylist(roster_rows)
    categorical = eduaid.evaluate_table(table, AS_OF)
    assert categorical.schema.field("program").type == pa.dictionary(pa.int16(), pa.string())
    assert categorical.schema.field("kind").type == pa.dictionary(pa.int8(), pa.string())
    plain = eduaid.evaluate_table(table, AS_OF, categorical=False)
    assert plain.schema.field("program").type == pa.string()
    assert plain.schema.field("kind").type == pa.string()
    assert arrow_rows(plain) == arrow_rows(categorical) == expected_rows(roster_rows)
    # evaluate_table_with_errors takes it too.
    assert eduaid.evaluate_table_with_errors(table, AS_OF, categorical=False).entitlements.equals(plain)
    with pytest.raises(TypeError, match="categorical"):
        eduaid.evaluate_table(table, AS_OF, categorical="no")  # type: ignore[arg-type]


def test_pandas_gets_plain_program_strings(roster_rows: List[Dict[str, Any]]) -> None:
    pd = pytest.importorskip("pandas")
    out = eduaid.evaluate_table(pd.DataFrame(roster_rows), AS_OF)
    # Plain Arrow strings: a group-by sees the programs with rows only, not a whole dictionary.
    assert str(out["program"].dtype) == "string[pyarrow]"
    present = sorted({r[1] for r in expected_rows(roster_rows)})
    assert sorted(out.groupby("program")["annual_amount"].sum().index) == present


def test_spec_value_in_a_table() -> None:
    # programs.md: junior boarder dibao, 2024-10-01: 1500.00 a year (A12).
    table = pa.table(
        {
            "student_id": ["S-1"],
            "stage": ["junior_middle"],
            "grade": [2],
            "hukou": ["rural"],
            "boarding": [True],
            "household_statuses": ["dibao"],
        }
    )
    out = eduaid.evaluate_table(table, datetime.date(2024, 10, 1))
    row = [r for r in out.to_pylist() if r["program"] == "compulsory_living_subsidy"]
    assert row == [
        {
            "student_id": "S-1",
            "program": "compulsory_living_subsidy",
            "kind": "cash",
            "annual_amount": Decimal("1500.00"),
            "school_year_total": Decimal("1500.00"),
        }
    ]


def test_dictionary_and_other_string_encodings(roster_rows: List[Dict[str, Any]]) -> None:
    rows = roster_rows[:200]
    plain = pa.Table.from_pylist(rows)
    reference = arrow_rows(eduaid.evaluate_table(plain, AS_OF))
    string_columns = [f.name for f in plain.schema if pa.types.is_string(f.type)]
    for encode in (
        lambda c: c.dictionary_encode(),
        lambda c: c.cast(pa.large_string()),
        lambda c: c.cast(pa.string_view()),
        lambda c: c.cast(pa.dictionary(pa.int16(), pa.large_string())),
    ):
        table = plain
        for name in string_columns:
            i = table.schema.get_field_index(name)
            table = table.set_column(i, name, encode(table[name]))  # type: ignore[no-untyped-call]
        assert arrow_rows(eduaid.evaluate_table(table, AS_OF)) == reference


def test_typed_columns() -> None:
    table = pa.table(
        {
            "student_id": pa.array(["A", "B", "C"]),
            "stage": pa.array(["junior_middle", "junior_middle", "primary"]).dictionary_encode(),
            "grade": pa.array([2, 1, 3], pa.int8()),
            "hukou": pa.array(["rural", "rural", "urban"]),
            "boarding": pa.array([True, None, False]),
            "birth_date": pa.array([datetime.date(2010, 1, 1), None, datetime.date(2015, 5, 5)], pa.date32()),
            "disability_grade": pa.array([None, None, None], pa.float64()),
            "difficulty_level": pa.array([None, None, None], pa.null()),
            "household_statuses": pa.array(["dibao", None, ""]),
        }
    )
    result = eduaid.evaluate_table_with_errors(table, AS_OF)
    assert result.errors.num_rows == 0
    got = {(r["student_id"], r["program"]): r["annual_amount"] for r in result.entitlements.to_pylist()}
    assert got[("A", "compulsory_living_subsidy")] == Decimal("1500.00")
    assert ("B", "compulsory_living_subsidy") not in got  # no boarding, no status


def test_record_batch_and_reader_inputs(roster_rows: List[Dict[str, Any]]) -> None:
    table = pa.Table.from_pylist(roster_rows[:100])
    reference = arrow_rows(eduaid.evaluate_table(table, AS_OF))
    batches = table.to_batches(max_chunksize=17)
    assert arrow_rows(eduaid.evaluate_table(pa.Table.from_batches(batches), AS_OF)) == reference
    assert arrow_rows(eduaid.evaluate_table(batches[0], AS_OF)) == arrow_rows(
        eduaid.evaluate_table(pa.Table.from_batches(batches[:1]), AS_OF)
    )
    reader = pa.RecordBatchReader.from_batches(table.schema, iter(batches))
    assert arrow_rows(eduaid.evaluate_table(reader, AS_OF)) == reference


def test_big_roster_in_slices_keeps_order() -> None:
    # More rows than one slice of parallel work: the result keeps the input order.
    rows = make_roster(20_000, seed=11)
    out = eduaid.evaluate_table(pa.Table.from_pylist(rows), AS_OF)
    assert arrow_rows(out) == expected_rows(rows)


def test_empty_roster() -> None:
    table = pa.table({"stage": pa.array([], pa.string()), "grade": pa.array([], pa.int64()), "hukou": pa.array([], pa.string())})
    result = eduaid.evaluate_table_with_errors(table, AS_OF)
    assert result.entitlements.num_rows == 0 and result.entitlements.column_names == RESULT_COLUMNS
    assert result.errors.num_rows == 0
    assert result.errors.column_names == ["student_id", "row", "error_kind", "error_field", "error_code", "error_message"]


# --- the typed fast path equals the text (CSV) path -------------------------------------

MESSY = {
    "stage": ["primary", " primary", "junior_middle ", "Primary", "", None, "doctoral", "undergraduate"],
    "grade": ["1", "2", " 3", "2.0", "+2", "0", "7", "x", "", None, "255", "256", "-1", "06"],
    "hukou": ["rural", "urban", " rural", "RURAL", "", None],
    "boarding": ["true", "false", "True", "yes", "1", "0", "no", " true", "maybe", "", None],
    "full_time_formal": ["true", "false", "F", "", None],
    "household_statuses": [
        "",
        None,
        "dibao",
        "dibao,orphan",
        "dibao, orphan",
        "dibao,",
        ",dibao",
        "dibao,dibao",
        "dibaoo",
        " tekun",
        "monitored_unstable",
        "lifted_out_of_poverty,disabled_parent",
    ],
    "monitoring_risk_removed": ["true", "false", "", None],
    "difficulty_level": ["", None, "especially", "relatively", "general", "Especially", "very"],
    "disability_grade": ["", None, "1", "4", "0", "5", "2.0"],
    "school_region": ["", None, "150924", "130431", "15092", "1509244", " 150924", "abcdef"],
    "hukou_region": ["", None, "150924", "370215"],
    "school_location": ["", None, "city", "town", "rural", "village"],
    "nutrition_pilot": ["", None, "national", "local", "both"],
    "awards": [
        "",
        None,
        "national_scholarship",
        "national_encouragement_scholarship",
        "national_scholarship,national_encouragement_scholarship",
        "national_scholarship,national_scholarship",
        "secondary_vocational_national_scholarship",
        "nope",
    ],
    "institution": ["", None, "local", "central", "federal"],
    "major_agriculture_related": ["true", "false", "", None],
    "veteran": ["false", "true", "", None],
    "has_fixed_salary": ["false", "true", "", None],
    "resident_id": ["", None, "130431201001011234", "x" * 33],
    "birth_date": ["", None, "2010-01-01", "2010-13-01", " 2010-01-01"],
}


def messy_table(n: int, seed: int) -> Any:
    import random

    rnd = random.Random(seed)
    data: Dict[str, List[Any]] = {"student_id": [f"S{i}" if i % 17 else f" S{i} " for i in range(n)]}
    for name, values in MESSY.items():
        # mostly canonical values, so both paths are exercised on many shapes
        data[name] = [rnd.choice(values) if rnd.random() < 0.3 else rnd.choice(values[:4]) for _ in range(n)]
    return pa.table({k: pa.array(v, pa.string()) for k, v in data.items()})


def both_paths(table: Any, policy: Any = None) -> Tuple[Any, Any]:
    from eduaid import _eduaid

    typed = _eduaid._evaluate_arrow(table, AS_OF, policy, "en", True)
    text = _eduaid._evaluate_arrow(table, AS_OF, policy, "en", False)
    return typed, text


def test_typed_path_equals_text_path_on_messy_text() -> None:
    table = messy_table(20_000, seed=5)
    (ent, err), (ent_text, err_text) = both_paths(table)
    assert err.num_rows > 1000 and ent.num_rows > 1000  # both outcomes exercised
    assert ent.equals(ent_text)
    assert err.equals(err_text)
    dictionary = table
    for name in table.column_names:
        i = dictionary.schema.get_field_index(name)
        dictionary = dictionary.set_column(i, name, dictionary[name].dictionary_encode())
    (ent_d, err_d), _ = both_paths(dictionary)
    assert ent_d.equals(ent) and err_d.equals(err)


def test_typed_path_equals_text_path_on_typed_columns(roster_rows: List[Dict[str, Any]]) -> None:
    rows = make_roster(20_000, seed=13)
    table = pa.Table.from_pylist(rows)
    (ent, err), (ent_text, err_text) = both_paths(table)
    assert ent.equals(ent_text) and err.equals(err_text) and err.num_rows == 0
    floats = table.set_column(
        table.schema.get_field_index("grade"), "grade", table["grade"].cast(pa.float64())
    ).set_column(
        table.schema.get_field_index("disability_grade"), "disability_grade", table["disability_grade"].cast(pa.float32())
    )
    (ent_f, err_f), _ = both_paths(floats)
    assert ent_f.equals(ent) and err_f.equals(err)
    policy = eduaid.Policy.national().with_overlay(
        Path(__file__).resolve().parents[2] / "core" / "policy" / "regions" / "150924.json"
    )
    (ent_p, err_p), (ent_pt, err_pt) = both_paths(table, policy)
    assert ent_p.equals(ent_pt) and err_p.equals(err_pt)


# --- errors -----------------------------------------------------------------------------

BAD_ROWS = pa.table(
    {
        "student_id": ["S1", "S2", "S3", None],
        "stage": ["primary", "primary", "junior_middle", "primary"],
        "grade": [1, 9, 2, 1],
        "hukou": ["rural", "rural", "rural", "rurall"],
        "household_statuses": ["", "", "dibao,dibaoo", ""],
    }
)


def test_bad_rows_come_back_in_the_errors_table() -> None:
    result = eduaid.evaluate_table_with_errors(BAD_ROWS, AS_OF)
    errors = result.errors.to_pylist()
    assert [(e["student_id"], e["row"], e["error_kind"], e["error_field"]) for e in errors] == [
        ("S2", 1, "invalid_input", "grade"),
        ("S3", 2, "invalid_input", "household_statuses[1]"),
        (None, 3, "invalid_input", "hukou"),
    ]
    assert "dibaoo" in errors[1]["error_message"]
    assert set(result.entitlements["student_id"].to_pylist()) == {"S1"}


def test_errors_warn_raise_ignore() -> None:
    with pytest.warns(eduaid.RowErrorWarning, match="3 row"):
        out = eduaid.evaluate_table(BAD_ROWS, AS_OF)
    assert set(out["student_id"].to_pylist()) == {"S1"}
    with pytest.raises(eduaid.InvalidInput) as info:
        eduaid.evaluate_table(BAD_ROWS, AS_OF, errors="raise")
    assert (info.value.field, info.value.row) == ("grade", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        eduaid.evaluate_table(BAD_ROWS, AS_OF, errors="ignore")
    with pytest.raises(ValueError):
        eduaid.evaluate_table(BAD_ROWS, AS_OF, errors="nope")


def test_table_level_errors_raise() -> None:
    with pytest.raises(eduaid.InvalidInput) as info:
        eduaid.evaluate_table(pa.table({"stage": ["primary"], "grade": [1], "hukou": ["rural"], "colour": ["x"]}), AS_OF)
    assert (info.value.field, info.value.code) == ("colour", "unknown_column")
    with pytest.raises(eduaid.InvalidInput) as info:
        eduaid.evaluate_table(pa.table({"stage": ["primary"], "grade": [1]}), AS_OF)
    assert (info.value.field, info.value.code) == ("hukou", "missing_column")
    with pytest.raises(eduaid.InvalidInput) as info:
        eduaid.evaluate_table(pa.table({"stage": ["primary"], "grade": [[1]], "hukou": ["rural"]}), AS_OF)
    assert info.value.field == "grade"
    with pytest.raises(eduaid.NotInForce):
        eduaid.evaluate_table(BAD_ROWS, "2016-01-01")
    with pytest.raises(eduaid.InvalidInput) as info:
        eduaid.evaluate_table(BAD_ROWS, "not a date")
    assert info.value.field == "as_of"
    with pytest.raises(TypeError):
        eduaid.evaluate_table([{"stage": "primary"}], AS_OF)


def test_overlay_policy_in_tables() -> None:
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "core" / "policy" / "regions" / "150924.json"
    policy = eduaid.Policy.national().with_overlay(path)
    rows = [r for r in make_roster(300, seed=3)]
    for r in rows:
        r["school_region"] = "150924"
        r["hukou_region"] = "150924"
    table = pa.Table.from_pylist(rows)
    out = eduaid.evaluate_table(table, AS_OF, policy)
    want = []
    for row in rows:
        a = eduaid.evaluate(row_to_profile(row), AS_OF, policy)
        want += [(a.student_id, e.program, e.kind, e.annual_amount, e.school_year_total) for e in a.entitlements]
    assert arrow_rows(out) == want
    # The overlay's own program (Xinghe's 资惠 grant for high-school students) is granted.
    assert any(p.startswith("150924.") for p in out["program"].to_pylist())


def test_kept_shapes_never_cross_policies_or_dates() -> None:
    # Shapes evaluated by one call are kept for the next call with the same policy and
    # date only: alternating policies and dates gives each call its own answers.
    path = Path(__file__).resolve().parents[2] / "core" / "policy" / "regions" / "150924.json"
    overlay = eduaid.Policy.national().with_overlay(path)
    rows = make_roster(200, seed=5)
    for r in rows:
        r["school_region"] = "150924"
        r["hukou_region"] = "150924"
    table = pa.Table.from_pylist(rows)
    calls = [(None, AS_OF), (overlay, AS_OF), (None, "2019-10-01"), (overlay, AS_OF), (None, AS_OF)]
    for policy, as_of in calls:
        want = []
        for row in rows:
            a = eduaid.evaluate(row_to_profile(row), as_of, policy)
            want += [(a.student_id, e.program, e.kind, e.annual_amount, e.school_year_total) for e in a.entitlements]
        assert arrow_rows(eduaid.evaluate_table(table, as_of, policy)) == want


def test_runs_in_threads(roster_rows: List[Dict[str, Any]]) -> None:
    table = pa.Table.from_pylist(roster_rows)
    reference = arrow_rows(eduaid.evaluate_table(table, AS_OF))
    results: List[Any] = [None] * 4

    def work(i: int) -> None:
        results[i] = arrow_rows(eduaid.evaluate_table(table, AS_OF))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == reference for r in results)


# --- pandas -----------------------------------------------------------------------------


def test_pandas_in_pandas_out(roster_rows: List[Dict[str, Any]]) -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(columns(roster_rows))
    # categorical strings, a float column with NaN for missing integers, a non-default index
    for name in ("stage", "hukou", "household_statuses", "school_location", "institution"):
        df[name] = df[name].astype("category")
    df["disability_grade"] = df["disability_grade"].astype("float64")
    df.index = df.index * 10 + 5
    out = eduaid.evaluate_table(df, AS_OF)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == RESULT_COLUMNS
    assert str(out["annual_amount"].dtype) == "decimal128(18, 2)[pyarrow]"
    got = [tuple(None if v is pd.NA else v for v in row) for row in out.itertuples(index=False)]
    assert got == expected_rows(roster_rows)
    first = out["annual_amount"].iloc[0]
    assert isinstance(first, Decimal)


def test_pandas_errors_table() -> None:
    pd = pytest.importorskip("pandas")
    df = BAD_ROWS.to_pandas()
    result = eduaid.evaluate_table_with_errors(df, AS_OF)
    assert isinstance(result.errors, pd.DataFrame)
    assert list(result.errors["error_field"]) == ["grade", "household_statuses[1]", "hukou"]


# --- polars -----------------------------------------------------------------------------


def test_polars_in_polars_out(roster_rows: List[Dict[str, Any]]) -> None:
    pl = pytest.importorskip("polars")
    df = pl.DataFrame(columns(roster_rows), strict=False)
    df = df.with_columns(
        pl.col("stage").cast(pl.Categorical),
        pl.col("hukou").cast(pl.Enum(["rural", "urban"])),
        pl.col("grade").cast(pl.Int8),
    )
    out = eduaid.evaluate_table(df, AS_OF)
    assert isinstance(out, pl.DataFrame)
    assert out.columns == RESULT_COLUMNS
    assert out.schema["annual_amount"] == pl.Decimal(18, 2)
    assert out.schema["program"] == pl.Categorical
    assert [tuple(r) for r in out.iter_rows()] == expected_rows(roster_rows)
    lazy = eduaid.evaluate_table(df.lazy(), AS_OF)
    assert lazy.equals(out)


def test_polars_errors_table() -> None:
    pl = pytest.importorskip("polars")
    result = eduaid.evaluate_table_with_errors(pl.from_arrow(BAD_ROWS), AS_OF)
    assert isinstance(result.errors, pl.DataFrame)
    assert result.errors["error_field"].to_list() == ["grade", "household_statuses[1]", "hukou"]


def test_a_pyarrow_only_process_does_not_import_pandas(tmp_path: Path) -> None:
    """The result is built without ``pyarrow.table``, which imports pandas to ask whether
    its argument is a DataFrame: 0.28 s of a first call in a process that never used pandas
    (polars users, a roster read with pyarrow alone)."""
    import subprocess
    import sys

    path = tmp_path / "roster.arrow"
    table = pa.table({"student_id": ["S1", "S2"], "stage": ["primary", "general_high"],
                      "grade": [3, 1], "hukou": ["rural", "urban"], "household_statuses": ["dibao", ""]})
    with pa.ipc.new_file(str(path), table.schema) as writer:
        writer.write_table(table)
    script = f"""
import sys
import pyarrow.ipc
import eduaid
roster = pyarrow.ipc.open_file({str(path)!r}).read_all()
if "pandas" in sys.modules:
    print("precondition: pandas imported before the call")
    sys.exit(3)
out = eduaid.evaluate_table(roster, "2024-10-01")
assert out.num_rows > 0 and type(out).__name__ == "Table", out
print("pandas imported by the call" if "pandas" in sys.modules else "ok")
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    if run.returncode == 3:
        pytest.skip(run.stdout.strip())
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"
