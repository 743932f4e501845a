//! Rosters as Arrow tables (interface.md, "Rosters as tables"): record batches in the
//! flattened columns in, a long table of entitlements (one row per student and program
//! granted) and a table of the rows that could not be evaluated out.
//!
//! This module converts types only. Rows in canonical form go straight from the Arrow
//! columns to the core's packed shape keys (`crate::typed`); any other row becomes the
//! text cells that `eduaid::roster::Header` reads (the same conversion, defaults and
//! column-named errors as the CLI's CSV input). Keys go to the core's batch path
//! (`eduaid::batch::BatchEvaluator`), which evaluates each distinct profile shape once with
//! the single-profile evaluation, so a table cannot disagree with `evaluate`.
//!
//! Each record batch is cut into one contiguous part per core, on scoped threads without
//! the GIL, sharing one evaluator; the output keeps the input's row order.

use crate::errors::{guard, Failure};
use crate::typed::{Cell, Fields, Packed};
use arrow_array::builder::{Int64Builder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int16Type, Int64Type, Int8Type};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Decimal128Array, DictionaryArray, Float64Array,
    Int16Array, Int64Array, Int8Array, LargeStringArray, RecordBatch, RecordBatchReader,
    StringArray, StringViewArray,
};
use arrow_buffer::{BooleanBufferBuilder, NullBuffer};
use arrow_cast::cast::{cast_with_options, CastOptions};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use arrow_select::take::take;
use chrono::NaiveDate;
use eduaid::batch::{BatchEvaluator, CompactEntitlement, KeyHasher, Shape, ShapeResult};
use eduaid::programs::Kind;
use eduaid::roster::Header;
use eduaid::{Error, Policy, Profile};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::hash::BuildHasherDefault;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

/// Fewest rows worth a thread of their own.
pub const MIN_ROWS_PER_THREAD: usize = 4096;

/// Precision and scale of money columns: `decimal128(18, 2)` (yuan with fen).
const MONEY_PRECISION: u8 = 18;
const MONEY_SCALE: i8 = 2;

/// The schema of the long result. With `categorical`, `program` and `kind` are
/// dictionary-encoded strings (`dictionary<int16, string>` and `dictionary<int8, string>`:
/// pandas and polars read them as categoricals), which is 2–3 bytes per row instead of about
/// 35 and at national scale the difference between gigabytes and megabytes; without it they
/// are plain strings, for engines that take nothing else (Spark's `mapInArrow`).
pub fn entitlements_schema(categorical: bool) -> SchemaRef {
    static PLAIN: OnceLock<SchemaRef> = OnceLock::new();
    static CATEGORICAL: OnceLock<SchemaRef> = OnceLock::new();
    let build = |program: DataType, kind: DataType| {
        let money = DataType::Decimal128(MONEY_PRECISION, MONEY_SCALE);
        Arc::new(Schema::new(vec![
            Field::new("student_id", DataType::Utf8, false),
            Field::new("program", program, false),
            Field::new("kind", kind, false),
            Field::new("annual_amount", money.clone(), true),
            Field::new("school_year_total", money, true),
        ]))
    };
    let dictionary = |key: DataType| DataType::Dictionary(Box::new(key), Box::new(DataType::Utf8));
    if categorical {
        CATEGORICAL
            .get_or_init(|| build(dictionary(DataType::Int16), dictionary(DataType::Int8)))
            .clone()
    } else {
        PLAIN
            .get_or_init(|| build(DataType::Utf8, DataType::Utf8))
            .clone()
    }
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
    /// `program` and `kind` as dictionary-encoded strings ([`entitlements_schema`]).
    pub categorical: bool,
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
///
/// Each batch goes through three parallel phases over one contiguous part of rows per
/// core, sharing one evaluator for the whole call: (1) pack each row's shape key (the
/// typed columns; the text path for rows not in canonical form) and collect the keys not
/// seen yet; (2) evaluate each new key once, the keys split between the cores; (3) write
/// the result rows. The output keeps the input's row order.
pub fn evaluate_reader(
    reader: Box<dyn RecordBatchReader + Send>,
    run: &Run,
) -> Result<Output, Failure> {
    let schema = reader.schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let header = Header::new(&names)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut evaluator = kept_evaluator(&run.policy, run.as_of)?;
    let labels = Labels::new(&evaluator)?;
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
        let fields = Fields::new(columns.iter().map(|c| (c.name, &c.cells)));
        let parts = threads.min(rows.div_ceil(MIN_ROWS_PER_THREAD)).max(1);
        let size = rows.div_ceil(parts);
        let ranges: Vec<Range<usize>> = (0..parts)
            .map(|i| (i * size).min(rows)..((i + 1) * size).min(rows))
            .collect();
        let batch_rows = BatchRows {
            header: &header,
            columns: &columns,
            fields: &fields,
            offset,
        };

        let shared = &evaluator;
        let prepared = in_parallel(&ranges, |range| {
            Ok(batch_rows.prepare(range, shared, run.typed))
        })?;

        let mut seen = HashSet::with_hasher(BuildHasherDefault::<KeyHasher>::default());
        let new_keys: Vec<u128> = prepared
            .iter()
            .flat_map(|p| p.new_keys.iter().copied())
            .filter(|k| seen.insert(*k))
            .collect();
        if !new_keys.is_empty() {
            let chunks: Vec<&[u128]> = new_keys
                .chunks(new_keys.len().div_ceil(threads).max(1))
                .collect();
            let evaluated = in_parallel(&chunks, |keys| {
                keys.iter()
                    .map(|k| guard(|| Ok(shared.evaluate_key(*k))))
                    .collect::<Result<Vec<_>, Failure>>()
            })?;
            for (key, result) in new_keys.iter().zip(evaluated.into_iter().flatten()) {
                evaluator.insert(*key, result);
            }
        }

        let shared = &evaluator;
        let written = in_parallel(&prepared, |p| {
            batch_rows.write(p, shared, &labels, run.categorical)
        })?;
        for (ent, err) in written {
            if ent.num_rows() > 0 {
                out.entitlements.push(ent);
            }
            if err.num_rows() > 0 {
                out.errors.push(err);
            }
        }
        offset += rows;
    }
    keep_evaluator(evaluator);
    Ok(out)
}

/// Evaluators of recent calls, for the next call with the same policy and date: a shape
/// evaluated once in a process is not evaluated again (its result depends on nothing else).
/// Bounded: the last [`KEPT_EVALUATORS`] (policy, date) pairs, each of at most
/// [`KEPT_SHAPES`] shapes (about 150 bytes each).
static EVALUATORS: Mutex<Vec<BatchEvaluator>> = Mutex::new(Vec::new());
/// How many (policy, date) pairs [`EVALUATORS`] keeps.
const KEPT_EVALUATORS: usize = 4;
/// The most shapes a kept evaluator may hold.
const KEPT_SHAPES: usize = 500_000;

/// The kept evaluator of `policy` (by fingerprint) and `as_of`, taken out of the cache
/// (so that concurrent calls never share one), or a new one.
fn kept_evaluator(policy: &Policy, as_of: NaiveDate) -> Result<BatchEvaluator, Failure> {
    if let Ok(mut kept) = EVALUATORS.lock() {
        if let Some(i) = kept
            .iter()
            .position(|e| e.as_of() == as_of && e.policy().fingerprint() == policy.fingerprint())
        {
            return Ok(kept.remove(i));
        }
    }
    Ok(BatchEvaluator::new(policy, as_of)?)
}

/// Put an evaluator back into the cache (dropped when it has grown too large).
fn keep_evaluator(evaluator: BatchEvaluator) {
    if evaluator.shapes() > KEPT_SHAPES {
        return;
    }
    if let Ok(mut kept) = EVALUATORS.lock() {
        kept.insert(0, evaluator);
        kept.truncate(KEPT_EVALUATORS);
    }
}

/// `f` on each item, one scoped thread per item (on this thread when there is one item);
/// the results in item order. A panic is an error, not an abort.
fn in_parallel<I: Sync, T: Send>(
    items: &[I],
    f: impl Fn(&I) -> Result<T, Failure> + Sync,
) -> Result<Vec<T>, Failure> {
    if let [only] = items {
        return Ok(vec![f(only)?]);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .iter()
            .map(|item| {
                let f = &f;
                scope.spawn(move || f(item))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Failure::Panic("a roster thread panicked".into())))
            })
            .collect()
    })
}

fn arrow_error(e: ArrowError) -> Failure {
    Failure::Core(Error::invalid(
        "",
        "invalid_table",
        format!("the table could not be read: {e}"),
    ))
}

/// The index of a key not evaluated yet (phase 1).
const NEW: u32 = u32::MAX;

/// What a row became in phase 1.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RowState {
    /// Packed from the typed columns.
    Typed,
    /// Read on the text path; its student id is in `Prepared::text_ids`.
    Text,
    /// Failed on the text path; its error is in `Prepared::failures`.
    Failed,
}

/// Phase 1's result for one part of a batch.
struct Prepared {
    rows: Range<usize>,
    /// The evaluator's index of each row's key, [`NEW`] for a key not evaluated yet.
    indices: Vec<u32>,
    states: Vec<RowState>,
    /// The keys of the rows whose index is [`NEW`], in row order.
    pending: Vec<u128>,
    /// Student ids of the rows read on the text path, in row order.
    text_ids: Vec<String>,
    /// Rows that failed on the text path: (student id cell, error), in row order.
    failures: Vec<(Option<String>, Failure)>,
    /// Keys the evaluator has not seen, each once.
    new_keys: Vec<u128>,
}

/// Rows packed at a time in phase 1: the keys of a block (1 MiB) stay in the core's cache
/// while each column is or-ed into them, instead of the whole part's keys being streamed
/// through memory once per column.
const PACK_BLOCK: usize = 65_536;

/// The rows of one record batch.
struct BatchRows<'a> {
    header: &'a Header,
    columns: &'a [Column<'a>],
    fields: &'a Fields<'a>,
    /// Row number of the batch's first row in the whole table.
    offset: usize,
}

impl BatchRows<'_> {
    /// Phase 1: each row's key, packed a block of rows at a time (the text path where
    /// needed), looked up in the evaluator; the keys not seen yet, each once.
    fn prepare(&self, rows: &Range<usize>, evaluator: &BatchEvaluator, typed: bool) -> Prepared {
        let n = rows.len();
        let mut p = Prepared {
            rows: rows.clone(),
            indices: Vec::with_capacity(n),
            states: Vec::with_capacity(n),
            pending: Vec::new(),
            text_ids: Vec::new(),
            failures: Vec::new(),
            new_keys: Vec::new(),
        };
        let mut packed = Packed::default();
        let mut cells: Vec<String> = Vec::new();
        let mut seen = HashSet::with_hasher(BuildHasherDefault::<KeyHasher>::default());
        let mut start = rows.start;
        while start < rows.end {
            let block = start..(start + PACK_BLOCK).min(rows.end);
            start = block.end;
            if typed {
                self.fields.pack(block.clone(), &mut packed);
            } else {
                packed.all_text(block.len());
            }
            for ((row, key), text) in block.zip(&packed.keys).zip(&packed.text) {
                let (key, state) = if !*text {
                    (*key, RowState::Typed)
                } else {
                    if cells.is_empty() {
                        cells = vec![String::new(); self.columns.len()];
                    }
                    match self.text_profile(row, &mut cells) {
                        Ok(profile) => {
                            p.text_ids.push(profile.student_id.clone());
                            (Shape::of(&profile).key(), RowState::Text)
                        }
                        Err(failure) => {
                            p.failures.push((self.text_student_id(&cells), failure));
                            (0, RowState::Failed)
                        }
                    }
                };
                p.states.push(state);
                if state == RowState::Failed {
                    p.indices.push(NEW);
                    continue;
                }
                match evaluator.lookup(key) {
                    Some(index) => p.indices.push(index),
                    None => {
                        p.indices.push(NEW);
                        p.pending.push(key);
                        if seen.insert(key) {
                            p.new_keys.push(key);
                        }
                    }
                }
            }
        }
        p
    }

    /// The profile of `row` read as text cells (a CSV line's conversion and errors).
    fn text_profile(&self, row: usize, cells: &mut [String]) -> Result<Profile, Failure> {
        for (cell, column) in cells.iter_mut().zip(self.columns) {
            cell.clear();
            column.write(row, cell);
        }
        guard(|| self.header.profile(cells))
    }

    fn text_student_id(&self, cells: &[String]) -> Option<String> {
        self.columns
            .iter()
            .position(|c| c.name == "student_id")
            .and_then(|i| cells.get(i))
            .map(|s| s.trim().to_string())
    }

    /// Phase 3: the result rows of a part, every key evaluated.
    fn write(
        &self,
        p: &Prepared,
        evaluator: &BatchEvaluator,
        labels: &Labels,
        categorical: bool,
    ) -> Result<(RecordBatch, RecordBatch), Failure> {
        // About 1.5 entitlements per student and ids of about 10 bytes; a builder grows
        // past its capacity when a roster has more.
        let rows = p.rows.len() * 3 / 2;
        let mut ent = EntitlementRows::with_capacity(rows, rows * 10);
        let mut err = ErrorRows::default();
        let mut text_ids = p.text_ids.iter();
        let mut failures = p.failures.iter();
        let mut cells: Vec<String> = Vec::new();
        let mut pending = p.pending.iter();
        for ((row, index), state) in p.rows.clone().zip(&p.indices).zip(&p.states) {
            let row_number = (self.offset + row) as i64;
            let student_id = match state {
                RowState::Failed => {
                    if let Some((id, failure)) = failures.next() {
                        err.push(id.as_deref(), row_number, failure);
                    }
                    continue;
                }
                RowState::Text => text_ids.next().map_or("", String::as_str),
                RowState::Typed => self.fields.student_id(row),
            };
            let index = match *index {
                NEW => pending.next().and_then(|key| evaluator.lookup(*key)),
                i => Some(i),
            };
            let Some(index) = index else {
                err.push(
                    Some(student_id),
                    row_number,
                    &Failure::Panic("the batch evaluator lost a result".into()),
                );
                continue;
            };
            if let Some(entitlements) = evaluator.entitlements(index) {
                ent.push_student(student_id, entitlements);
                continue;
            }
            match evaluator.result(index) {
                Some(ShapeResult::Ok { .. }) => {}
                Some(ShapeResult::Err(e)) => {
                    // A typed row with an invalid shape (a grade out of range) is re-read as
                    // text, so that its error is the one a CSV line would get.
                    if *state == RowState::Typed {
                        if cells.is_empty() {
                            cells = vec![String::new(); self.columns.len()];
                        }
                        if let Err(failure) = self.text_profile(row, &mut cells) {
                            err.push(Some(student_id), row_number, &failure);
                            continue;
                        }
                    }
                    err.push(Some(student_id), row_number, &Failure::Core(e.clone()));
                }
                None => err.push(
                    Some(student_id),
                    row_number,
                    &Failure::Panic("the batch evaluator lost a result".into()),
                ),
            }
        }
        Ok((ent.finish(labels, categorical)?, err.finish()?))
    }
}

/// The dictionaries of the long result's `program` and `kind` columns, shared by every
/// batch of a call (one allocation per call, whatever the number of rows).
struct Labels {
    /// The evaluator's programs, by index.
    programs: ArrayRef,
    /// Every [`Kind`], by its index in [`Kind::ALL`].
    kinds: ArrayRef,
}

impl Labels {
    fn new(evaluator: &BatchEvaluator) -> Result<Labels, Failure> {
        if evaluator.programs().len() > i16::MAX as usize {
            return Err(Failure::Panic(format!(
                "{} programs do not fit a dictionary of int16 keys",
                evaluator.programs().len()
            )));
        }
        Ok(Labels {
            programs: Arc::new(StringArray::from_iter_values(evaluator.programs())),
            kinds: Arc::new(StringArray::from_iter_values(
                Kind::ALL.iter().map(|k| k.as_str()),
            )),
        })
    }
}

/// Builders of the long result: plain vectors, made into Arrow arrays at the end. Programs
/// and kinds are kept as indices into [`Labels`] until then.
struct EntitlementRows {
    student_id: StringBuilder,
    program: Vec<i16>,
    kind: Vec<i8>,
    annual_amount: Vec<i128>,
    school_year_total: Vec<i128>,
    /// Validity bitmaps of the two amounts (a regional standard not loaded is null),
    /// kept only once a null is met.
    annual_valid: Option<BooleanBufferBuilder>,
    total_valid: Option<BooleanBufferBuilder>,
}

/// Append the amounts of one student's entitlements in fen; the validity bitmap appears
/// with the first null (most rosters have none: a null is a regional standard not loaded).
#[inline]
fn extend_amounts(
    values: &mut Vec<i128>,
    valid: &mut Option<BooleanBufferBuilder>,
    entitlements: &[CompactEntitlement],
    fen: impl Fn(&CompactEntitlement) -> Option<i64>,
) {
    if valid.is_none() && entitlements.iter().any(|e| fen(e).is_none()) {
        let mut bits = BooleanBufferBuilder::new(values.capacity());
        bits.append_n(values.len(), true);
        *valid = Some(bits);
    }
    values.extend(entitlements.iter().map(|e| fen(e).map_or(0, i128::from)));
    if let Some(bits) = valid {
        for e in entitlements {
            bits.append(fen(e).is_some());
        }
    }
}

/// The index of each kind in [`Kind::ALL`] (the `kind` dictionary's key; five kinds).
#[inline]
fn kind_key(kind: Kind) -> i8 {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as i8
}

impl EntitlementRows {
    /// Builders sized for `rows` result rows whose student ids take `id_bytes` bytes.
    fn with_capacity(rows: usize, id_bytes: usize) -> Self {
        EntitlementRows {
            student_id: StringBuilder::with_capacity(rows, id_bytes),
            program: Vec::with_capacity(rows),
            kind: Vec::with_capacity(rows),
            annual_amount: Vec::with_capacity(rows),
            school_year_total: Vec::with_capacity(rows),
            annual_valid: None,
            total_valid: None,
        }
    }

    /// The rows of one student: a row per entitlement, a column at a time.
    #[inline]
    fn push_student(&mut self, student_id: &str, entitlements: &[CompactEntitlement]) {
        for _ in entitlements {
            self.student_id.append_value(student_id);
        }
        // Checked by `Labels::new`: every program index fits an i16.
        self.program
            .extend(entitlements.iter().map(|e| e.program as i16));
        self.kind
            .extend(entitlements.iter().map(|e| kind_key(e.kind)));
        extend_amounts(
            &mut self.annual_amount,
            &mut self.annual_valid,
            entitlements,
            |e| e.annual_fen,
        );
        extend_amounts(
            &mut self.school_year_total,
            &mut self.total_valid,
            entitlements,
            |e| e.school_year_total_fen,
        );
    }

    fn finish(mut self, labels: &Labels, categorical: bool) -> Result<RecordBatch, Failure> {
        let money =
            |values: Vec<i128>, valid: Option<BooleanBufferBuilder>| -> Result<ArrayRef, Failure> {
                Ok(Arc::new(
                    Decimal128Array::new(
                        values.into(),
                        valid.map(|mut v| NullBuffer::new(v.finish())),
                    )
                    .with_precision_and_scale(MONEY_PRECISION, MONEY_SCALE)
                    .map_err(internal)?,
                ))
            };
        let program = Int16Array::from(self.program);
        let kind = Int8Array::from(self.kind);
        let (program, kind): (ArrayRef, ArrayRef) = if categorical {
            (
                Arc::new(
                    DictionaryArray::<Int16Type>::try_new(program, labels.programs.clone())
                        .map_err(internal)?,
                ),
                Arc::new(
                    DictionaryArray::<Int8Type>::try_new(kind, labels.kinds.clone())
                        .map_err(internal)?,
                ),
            )
        } else {
            (
                take(labels.programs.as_ref(), &program, None).map_err(internal)?,
                take(labels.kinds.as_ref(), &kind, None).map_err(internal)?,
            )
        };
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.student_id.finish()),
            program,
            kind,
            money(self.annual_amount, self.annual_valid)?,
            money(self.school_year_total, self.total_valid)?,
        ];
        RecordBatch::try_new(entitlements_schema(categorical), columns).map_err(internal)
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

    /// The cell of `row` as its Arrow type holds it (through a dictionary).
    #[inline]
    pub fn cell(&self, row: usize) -> Cell<'_> {
        let Some((leaf, i)) = self.resolve(row) else {
            return Cell::Null;
        };
        match leaf {
            Cells::Utf8(a) => Cell::Str(a.value(i)),
            Cells::LargeUtf8(a) => Cell::Str(a.value(i)),
            Cells::View(a) => Cell::Str(a.value(i)),
            Cells::Bool(a) => Cell::Bool(a.value(i)),
            Cells::Int(a) => Cell::Int(a.value(i)),
            Cells::Float(a) => Cell::Float(a.value(i)),
            Cells::Date(_) => Cell::Date,
            Cells::Null | Cells::Dict { .. } => Cell::Null,
        }
    }

    /// The number of cells (of the dictionary values, for a dictionary's values).
    pub fn len(&self) -> usize {
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
