//! Rosters as Arrow tables (interface.md, "Rosters as tables"): record batches in the
//! flattened columns in, a long table of entitlements (one row per student and program
//! granted) and a table of the rows that could not be evaluated out.
//!
//! This module converts types only. Each Arrow cell becomes the text cell that
//! `eduaid::roster::Header` reads (the same conversion, defaults and column-named errors
//! as the CLI's CSV input); the profile goes to the core's batch path
//! (`eduaid::batch::BatchEvaluator`), which evaluates each distinct profile shape once with
//! the single-profile evaluation, so a table cannot disagree with `evaluate`.
//!
//! Each record batch is cut into one contiguous part per core, evaluated on its own thread
//! with its own evaluator (kept across batches, so shapes are evaluated once per thread),
//! without the GIL; the output keeps the input's row order.

use crate::errors::{guard, Failure};
use crate::typed::Fields;
use arrow_array::builder::{Decimal128Builder, Int64Builder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int64Type};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, LargeStringArray,
    RecordBatch, RecordBatchReader, StringArray, StringViewArray,
};
use arrow_cast::cast::{cast_with_options, CastOptions};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use chrono::NaiveDate;
use eduaid::batch::{BatchEvaluator, CompactEntitlement, Shape, ShapeResult};
use eduaid::roster::Header;
use eduaid::{Error, Policy};
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

/// Fewest rows worth a thread of their own.
pub const MIN_ROWS_PER_THREAD: usize = 4096;

/// Precision and scale of money columns: `decimal128(18, 2)` (yuan with fen).
const MONEY_PRECISION: u8 = 18;
const MONEY_SCALE: i8 = 2;

/// The schema of the long result.
pub fn entitlements_schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let money = DataType::Decimal128(MONEY_PRECISION, MONEY_SCALE);
            Arc::new(Schema::new(vec![
                Field::new("student_id", DataType::Utf8, false),
                Field::new("program", DataType::Utf8, false),
                Field::new("kind", DataType::Utf8, false),
                Field::new("annual_amount", money.clone(), true),
                Field::new("school_year_total", money, true),
            ]))
        })
        .clone()
}

/// The schema of the errors table.
pub fn errors_schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            Arc::new(Schema::new(vec![
                Field::new("student_id", DataType::Utf8, true),
                Field::new("row", DataType::Int64, false),
                Field::new("error_kind", DataType::Utf8, false),
                Field::new("error_field", DataType::Utf8, false),
                Field::new("error_code", DataType::Utf8, false),
                Field::new("error_message", DataType::Utf8, false),
            ]))
        })
        .clone()
}

/// What every row of a call shares.
pub struct Run {
    /// The evaluation date (already checked to be in force).
    pub as_of: NaiveDate,
    /// The policy.
    pub policy: Policy,
    /// Whether rows in canonical form take the typed fast path (`false`: every row goes
    /// through text cells, as a CSV line does; for tests).
    pub typed: bool,
}

/// The two result tables, as record batches in input order.
#[derive(Default)]
pub struct Output {
    /// Entitlements, one row per (student, program).
    pub entitlements: Vec<RecordBatch>,
    /// Rows that could not be evaluated.
    pub errors: Vec<RecordBatch>,
}

/// Evaluate every batch of `reader`. A table-level problem (an unknown or missing column,
/// a column of a type that cannot hold the field) is an error; a bad row is a row of the
/// errors table.
pub fn evaluate_reader(
    reader: Box<dyn RecordBatchReader + Send>,
    run: &Run,
) -> Result<Output, Failure> {
    let schema = reader.schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let header = Header::new(&names)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut evaluators: Vec<BatchEvaluator> = Vec::new();
    let mut out = Output::default();
    let mut offset = 0usize;
    for batch in reader {
        let batch = batch.map_err(arrow_error)?;
        let rows = batch.num_rows();
        let columns = batch
            .columns()
            .iter()
            .zip(names.iter())
            .map(|(array, name)| Column::new(name, array))
            .collect::<Result<Vec<_>, Error>>()?;
        let parts = threads.min(rows.div_ceil(MIN_ROWS_PER_THREAD)).max(1);
        while evaluators.len() < parts {
            evaluators.push(BatchEvaluator::new(&run.policy, run.as_of)?);
        }
        let size = rows.div_ceil(parts);
        let slice = |i: usize| {
            let start = (i * size).min(rows);
            (start, size.min(rows - start))
        };
        let results: Vec<Result<(RecordBatch, RecordBatch), Failure>> = if parts == 1 {
            evaluators
                .iter_mut()
                .take(1)
                .map(|ev| evaluate_slice(&header, &columns, 0, rows, offset, ev, run.typed))
                .collect()
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = evaluators
                    .iter_mut()
                    .take(parts)
                    .enumerate()
                    .map(|(i, ev)| {
                        let (start, len) = slice(i);
                        let (header, columns) = (&header, &columns);
                        let typed = run.typed;
                        scope.spawn(move || {
                            evaluate_slice(header, columns, start, len, offset, ev, typed)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(Failure::Panic("a roster thread panicked".into()))
                        })
                    })
                    .collect()
            })
        };
        for result in results {
            let (ent, err) = result?;
            if ent.num_rows() > 0 {
                out.entitlements.push(ent);
            }
            if err.num_rows() > 0 {
                out.errors.push(err);
            }
        }
        offset += rows;
    }
    Ok(out)
}

fn arrow_error(e: ArrowError) -> Failure {
    Failure::Core(Error::invalid(
        "",
        "invalid_table",
        format!("the table could not be read: {e}"),
    ))
}

/// Evaluate rows `start..start + len` of the columns with `evaluator`; `offset` is the row
/// number of the batch's first row in the whole table.
///
/// The one place that turns rows into result rows: a typed columnar conversion (Arrow
/// arrays straight to `Shape`s) would replace the text cells here.
fn evaluate_slice(
    header: &Header,
    columns: &[Column<'_>],
    start: usize,
    len: usize,
    offset: usize,
    evaluator: &mut BatchEvaluator,
    typed: bool,
) -> Result<(RecordBatch, RecordBatch), Failure> {
    let mut ent = EntitlementRows::with_capacity(len * 3 / 2);
    let mut err = ErrorRows::default();
    let mut cells: Vec<String> = vec![String::new(); columns.len()];
    let fields = typed.then(|| Fields::new(columns.iter().map(|c| (c.name, &c.cells))));
    for row in start..start + len {
        let row_number = (offset + row) as i64;
        if let Some((shape, student_id)) = fields.as_ref().and_then(|f| f.shape(row)) {
            let index = guard(|| Ok(evaluator.index_of(&shape)));
            emit(evaluator, index, student_id, row_number, &mut ent, &mut err);
            continue;
        }
        for (cell, column) in cells.iter_mut().zip(columns) {
            cell.clear();
            column.write(row, cell);
        }
        match guard(|| header.profile(&cells)) {
            Ok(profile) => {
                let index = guard(|| Ok(evaluator.index_of(&Shape::of(&profile))));
                emit(
                    evaluator,
                    index,
                    &profile.student_id,
                    row_number,
                    &mut ent,
                    &mut err,
                );
            }
            Err(failure) => {
                let student_id = header_position(columns, "student_id")
                    .and_then(|i| cells.get(i))
                    .map(|s| s.trim());
                err.push(student_id, row_number, &failure);
            }
        }
    }
    Ok((ent.finish()?, err.finish()?))
}

/// The result rows of one evaluated row.
fn emit(
    evaluator: &BatchEvaluator,
    index: Result<u32, Failure>,
    student_id: &str,
    row: i64,
    ent: &mut EntitlementRows,
    err: &mut ErrorRows,
) {
    let index = match index {
        Ok(i) => i,
        Err(failure) => return err.push(Some(student_id), row, &failure),
    };
    match evaluator.result(index) {
        Some(ShapeResult::Ok { entitlements, .. }) => {
            for e in entitlements {
                let program = evaluator
                    .programs()
                    .get(usize::from(e.program))
                    .map_or("", String::as_str);
                ent.push(student_id, program, e);
            }
        }
        Some(ShapeResult::Err(e)) => err.push(Some(student_id), row, &Failure::Core(e.clone())),
        None => err.push(
            Some(student_id),
            row,
            &Failure::Panic("the batch evaluator lost a result".into()),
        ),
    }
}

fn header_position(columns: &[Column<'_>], name: &str) -> Option<usize> {
    columns.iter().position(|c| c.name == name)
}

/// Builders of the long result.
struct EntitlementRows {
    student_id: StringBuilder,
    program: StringBuilder,
    kind: StringBuilder,
    annual_amount: Decimal128Builder,
    school_year_total: Decimal128Builder,
}

impl EntitlementRows {
    fn with_capacity(rows: usize) -> Self {
        EntitlementRows {
            student_id: StringBuilder::with_capacity(rows, rows * 10),
            program: StringBuilder::with_capacity(rows, rows * 24),
            kind: StringBuilder::with_capacity(rows, rows * 6),
            annual_amount: Decimal128Builder::with_capacity(rows),
            school_year_total: Decimal128Builder::with_capacity(rows),
        }
    }

    fn push(&mut self, student_id: &str, program: &str, e: &CompactEntitlement) {
        self.student_id.append_value(student_id);
        self.program.append_value(program);
        self.kind.append_value(e.kind.as_str());
        self.annual_amount
            .append_option(e.annual_fen.map(i128::from));
        self.school_year_total
            .append_option(e.school_year_total_fen.map(i128::from));
    }

    fn finish(mut self) -> Result<RecordBatch, Failure> {
        let money = |b: &mut Decimal128Builder| -> Result<ArrayRef, Failure> {
            Ok(Arc::new(
                b.finish()
                    .with_precision_and_scale(MONEY_PRECISION, MONEY_SCALE)
                    .map_err(internal)?,
            ))
        };
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.student_id.finish()),
            Arc::new(self.program.finish()),
            Arc::new(self.kind.finish()),
            money(&mut self.annual_amount)?,
            money(&mut self.school_year_total)?,
        ];
        RecordBatch::try_new(entitlements_schema(), columns).map_err(internal)
    }
}

/// Builders of the errors table.
#[derive(Default)]
struct ErrorRows {
    student_id: StringBuilder,
    row: Int64Builder,
    kind: StringBuilder,
    field: StringBuilder,
    code: StringBuilder,
    message: StringBuilder,
}

impl ErrorRows {
    fn push(&mut self, student_id: Option<&str>, row: i64, f: &Failure) {
        self.student_id
            .append_option(student_id.filter(|s| !s.is_empty()));
        self.row.append_value(row);
        self.kind.append_value(f.kind());
        self.field.append_value(f.field());
        self.code.append_value(f.code());
        self.message.append_value(f.message());
    }

    fn finish(mut self) -> Result<RecordBatch, Failure> {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.student_id.finish()),
            Arc::new(self.row.finish()),
            Arc::new(self.kind.finish()),
            Arc::new(self.field.finish()),
            Arc::new(self.code.finish()),
            Arc::new(self.message.finish()),
        ];
        RecordBatch::try_new(errors_schema(), columns).map_err(internal)
    }
}

/// An Arrow error while building results: a defect of the binding, not of the input.
fn internal(e: ArrowError) -> Failure {
    Failure::Panic(format!("building the result table: {e}"))
}

/// One input column, in a form whose cells can be written as text.
struct Column<'a> {
    name: &'a str,
    cells: Cells,
}

/// The cells of one column, typed for reading.
pub enum Cells {
    Null,
    Utf8(StringArray),
    LargeUtf8(LargeStringArray),
    View(StringViewArray),
    Bool(BooleanArray),
    Int(Int64Array),
    Float(Float64Array),
    Date(Date32Array),
    /// Dictionary-encoded (categorical): keys into the values.
    Dict {
        keys: Int64Array,
        values: Box<Cells>,
    },
}

impl<'a> Column<'a> {
    fn new(name: &'a str, array: &ArrayRef) -> Result<Column<'a>, Error> {
        Ok(Column {
            name,
            cells: Cells::new(name, array)?,
        })
    }

    fn write(&self, row: usize, out: &mut String) {
        self.cells.write(row, out);
    }
}

fn strict_cast(name: &str, array: &dyn Array, to: &DataType) -> Result<ArrayRef, Error> {
    let options = CastOptions {
        safe: false,
        ..Default::default()
    };
    cast_with_options(array, to, &options).map_err(|e| {
        Error::invalid(
            name,
            "invalid_type",
            format!(
                "column '{name}' of type {} cannot be read: {e}",
                array.data_type()
            ),
        )
    })
}

impl Cells {
    fn new(name: &str, array: &ArrayRef) -> Result<Cells, Error> {
        use DataType as T;
        Ok(match array.data_type() {
            T::Null => Cells::Null,
            T::Utf8 => Cells::Utf8(array.as_string::<i32>().clone()),
            T::LargeUtf8 => Cells::LargeUtf8(array.as_string::<i64>().clone()),
            T::Utf8View => Cells::View(array.as_string_view().clone()),
            T::Boolean => Cells::Bool(array.as_boolean().clone()),
            T::Int8 | T::Int16 | T::Int32 | T::Int64 | T::UInt8 | T::UInt16 | T::UInt32
            | T::UInt64 => Cells::Int(
                strict_cast(name, array, &T::Int64)?
                    .as_primitive::<Int64Type>()
                    .clone(),
            ),
            T::Float16 | T::Float32 | T::Float64 => Cells::Float(
                strict_cast(name, array, &T::Float64)?
                    .as_primitive::<Float64Type>()
                    .clone(),
            ),
            T::Date32 => Cells::Date(array.as_primitive::<Date32Type>().clone()),
            T::Date64 | T::Timestamp(_, _) => Cells::Date(
                strict_cast(name, array, &T::Date32)?
                    .as_primitive::<Date32Type>()
                    .clone(),
            ),
            T::Dictionary(_, _) => {
                let dict = array.as_any_dictionary();
                let keys = strict_cast(name, dict.keys(), &T::Int64)?
                    .as_primitive::<Int64Type>()
                    .clone();
                // Nulls of the dictionary itself (rare: null keys are the usual form).
                let keys = match array.logical_nulls() {
                    Some(nulls) if nulls.null_count() > 0 => {
                        Int64Array::new(keys.values().clone(), Some(nulls))
                    }
                    _ => keys,
                };
                Cells::Dict {
                    keys,
                    values: Box::new(Cells::new(name, dict.values())?),
                }
            }
            other => {
                return Err(Error::invalid(
                    name,
                    "invalid_type",
                    format!(
                        "column '{name}' has type {other}; expected strings (plain or dictionary), booleans, integers, or dates"
                    ),
                ))
            }
        })
    }

    /// The leaf cells and index holding `row` (through a dictionary), or `None` when the
    /// value is null.
    pub fn resolve(&self, row: usize) -> Option<(&Cells, usize)> {
        match self {
            Cells::Null => None,
            Cells::Dict { keys, values } => {
                if !keys.is_valid(row) {
                    return None;
                }
                let k = usize::try_from(keys.value(row)).ok()?;
                if k >= values.len() {
                    return None;
                }
                values.resolve(k)
            }
            leaf => leaf.is_valid(row).then_some((leaf, row)),
        }
    }

    fn is_valid(&self, row: usize) -> bool {
        match self {
            Cells::Null => false,
            Cells::Utf8(a) => a.is_valid(row),
            Cells::LargeUtf8(a) => a.is_valid(row),
            Cells::View(a) => a.is_valid(row),
            Cells::Bool(a) => a.is_valid(row),
            Cells::Int(a) => a.is_valid(row),
            Cells::Float(a) => a.is_valid(row),
            Cells::Date(a) => a.is_valid(row),
            Cells::Dict { keys, .. } => keys.is_valid(row),
        }
    }

    /// The string at a valid `row` of a string column; `None` for other columns.
    pub fn str_at(&self, row: usize) -> Option<Option<&str>> {
        match self {
            Cells::Utf8(a) => Some(Some(a.value(row))),
            Cells::LargeUtf8(a) => Some(Some(a.value(row))),
            Cells::View(a) => Some(Some(a.value(row))),
            _ => None,
        }
    }

    /// The boolean at a valid `row`: a boolean column, or exactly `true`/`false` text;
    /// `None` (the text path) for anything else.
    pub fn bool_at(&self, row: usize) -> Option<Option<bool>> {
        match self {
            Cells::Bool(a) => Some(Some(a.value(row))),
            _ => match self.str_at(row)?? {
                "" => Some(None),
                "true" => Some(Some(true)),
                "false" => Some(Some(false)),
                _ => None,
            },
        }
    }

    /// A small whole number (0 to 255) at a valid `row`: an integer, a whole float (NaN is
    /// missing, as pandas writes it) or plain digits; `None` (the text path) for anything
    /// else.
    pub fn small_int_at(&self, row: usize) -> Option<Option<u8>> {
        match self {
            Cells::Int(a) => u8::try_from(a.value(row)).ok().map(Some),
            Cells::Float(a) => {
                let v = a.value(row);
                if v.is_nan() {
                    Some(None)
                } else if v.fract() == 0.0 && (0.0..=255.0).contains(&v) {
                    Some(Some(v as u8))
                } else {
                    None
                }
            }
            _ => {
                let s = self.str_at(row)??;
                if s.is_empty() {
                    return Some(None);
                }
                if s.len() > 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                s.parse::<u8>().ok().map(Some)
            }
        }
    }

    /// Whether the column holds dates.
    pub fn is_date(&self) -> bool {
        matches!(self, Cells::Date(_))
    }

    /// The number of cells (of the dictionary values, for a dictionary's values).
    fn len(&self) -> usize {
        match self {
            Cells::Null => usize::MAX,
            Cells::Utf8(a) => a.len(),
            Cells::LargeUtf8(a) => a.len(),
            Cells::View(a) => a.len(),
            Cells::Bool(a) => a.len(),
            Cells::Int(a) => a.len(),
            Cells::Float(a) => a.len(),
            Cells::Date(a) => a.len(),
            Cells::Dict { keys, .. } => keys.len(),
        }
    }

    /// Write the cell of `row` as text (nothing for a null: the field takes its default).
    fn write(&self, row: usize, out: &mut String) {
        match self {
            Cells::Null => {}
            Cells::Utf8(a) => {
                if a.is_valid(row) {
                    out.push_str(a.value(row));
                }
            }
            Cells::LargeUtf8(a) => {
                if a.is_valid(row) {
                    out.push_str(a.value(row));
                }
            }
            Cells::View(a) => {
                if a.is_valid(row) {
                    out.push_str(a.value(row));
                }
            }
            Cells::Bool(a) => {
                if a.is_valid(row) {
                    out.push_str(if a.value(row) { "true" } else { "false" });
                }
            }
            Cells::Int(a) => {
                if a.is_valid(row) {
                    let _ = write!(out, "{}", a.value(row));
                }
            }
            Cells::Float(a) => {
                if a.is_valid(row) {
                    let v = a.value(row);
                    if v.is_nan() {
                        // pandas writes a missing number as NaN.
                    } else if v.fract() == 0.0 && v.abs() < 1e15 {
                        let _ = write!(out, "{}", v as i64);
                    } else {
                        let _ = write!(out, "{v}");
                    }
                }
            }
            Cells::Date(a) => {
                if a.is_valid(row) {
                    if let Some(d) = a.value_as_date(row) {
                        let _ = write!(out, "{}", d.format("%Y-%m-%d"));
                    }
                }
            }
            Cells::Dict { keys, values } => {
                if keys.is_valid(row) {
                    if let Ok(k) = usize::try_from(keys.value(row)) {
                        if k < values.len() {
                            values.write(k, out);
                        }
                    }
                }
            }
        }
    }
}
