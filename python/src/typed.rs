//! The typed fast path of a roster: Arrow columns straight to the core's packed shape
//! keys ([`eduaid::batch::ShapeField`]), one column at a time, without building text cells,
//! a `Profile` or a `Shape` per row. A dictionary-encoded (categorical) column is decoded
//! once per dictionary value, not once per row.
//!
//! Conversion only, and only for cells in canonical form: every string exactly a word of
//! the vocabulary (the core's own `recognize`, which `parse` is built on), booleans as
//! Arrow booleans or `true`/`false`, whole numbers in range, region codes of six digits, no
//! duplicate or contradictory list entries. Any other cell, valid or not, sends its row to
//! the text path (`eduaid::roster::Header`, as a CSV line), which gives it the CSV defaults
//! and the column-named error. So this path decides nothing: a row it accepts gets the same
//! key as through the text path (checked by
//! `tests/test_tables.py::test_typed_path_equals_text_path`), and every error comes from the
//! core.

use crate::table::Cells;
use arrow_array::Array;
use eduaid::batch::{region_number, ShapeField};
use eduaid::profile::{
    is_region_code, Award, DifficultyLevel, HouseholdStatus, Hukou, Institution, NutritionPilot,
    SchoolLocation, Stage, StatusSet,
};
use std::ops::Range;

/// One cell, as the column's Arrow type holds it.
#[derive(Clone, Copy)]
pub enum Cell<'a> {
    /// Null, or no such column.
    Null,
    /// A string.
    Str(&'a str),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float (pandas writes missing numbers as NaN).
    Float(f64),
    /// A date (any value of a date column is a valid date).
    Date,
}

/// The columns of a batch by field (absent columns are `None`: the field's default).
#[derive(Default)]
pub struct Fields<'c> {
    student_id: Option<&'c Cells>,
    resident_id: Option<&'c Cells>,
    birth_date: Option<&'c Cells>,
    stage: Option<&'c Cells>,
    grade: Option<&'c Cells>,
    full_time_formal: Option<&'c Cells>,
    boarding: Option<&'c Cells>,
    hukou: Option<&'c Cells>,
    hukou_region: Option<&'c Cells>,
    school_region: Option<&'c Cells>,
    school_location: Option<&'c Cells>,
    nutrition_pilot: Option<&'c Cells>,
    major_agriculture_related: Option<&'c Cells>,
    major_performing_arts: Option<&'c Cells>,
    disability_grade: Option<&'c Cells>,
    household_statuses: Option<&'c Cells>,
    monitoring_risk_removed: Option<&'c Cells>,
    difficulty_level: Option<&'c Cells>,
    awards: Option<&'c Cells>,
    veteran: Option<&'c Cells>,
    has_fixed_salary: Option<&'c Cells>,
    institution: Option<&'c Cells>,
}

/// The packed keys of a run of rows, and which rows must take the text path: buffers
/// reused from one block of rows to the next.
#[derive(Default)]
pub struct Packed {
    /// One key per row (meaningless where `text` is set).
    pub keys: Vec<u128>,
    /// Rows whose cells are not all in canonical form.
    pub text: Vec<bool>,
}

impl Packed {
    /// Empty keys for `n` rows.
    fn reset(&mut self, n: usize) {
        self.keys.clear();
        self.keys.resize(n, 0);
        self.text.clear();
        self.text.resize(n, false);
    }

    /// `n` rows, every one sent to the text path.
    pub fn all_text(&mut self, n: usize) {
        self.reset(n);
        self.text.fill(true);
    }
}

impl<'c> Fields<'c> {
    /// Map `(column name, cells)` pairs to fields.
    pub fn new<'n>(columns: impl Iterator<Item = (&'n str, &'c Cells)>) -> Fields<'c> {
        let mut f = Fields::default();
        for (name, cells) in columns {
            let slot = match name {
                "student_id" => &mut f.student_id,
                "resident_id" => &mut f.resident_id,
                "birth_date" => &mut f.birth_date,
                "stage" => &mut f.stage,
                "grade" => &mut f.grade,
                "full_time_formal" => &mut f.full_time_formal,
                "boarding" => &mut f.boarding,
                "hukou" => &mut f.hukou,
                "hukou_region" => &mut f.hukou_region,
                "school_region" => &mut f.school_region,
                "school_location" => &mut f.school_location,
                "nutrition_pilot" => &mut f.nutrition_pilot,
                "major_agriculture_related" => &mut f.major_agriculture_related,
                "major_performing_arts" => &mut f.major_performing_arts,
                "disability_grade" => &mut f.disability_grade,
                "household_statuses" => &mut f.household_statuses,
                "monitoring_risk_removed" => &mut f.monitoring_risk_removed,
                "difficulty_level" => &mut f.difficulty_level,
                "awards" => &mut f.awards,
                "veteran" => &mut f.veteran,
                "has_fixed_salary" => &mut f.has_fixed_salary,
                "institution" => &mut f.institution,
                _ => continue,
            };
            *slot = Some(cells);
        }
        f
    }

    /// The student id cell of `row` as given (`""` when absent or null).
    #[inline]
    pub fn student_id(&self, row: usize) -> &'c str {
        match self.student_id {
            // The usual column, read directly (read once per student in phase 3).
            Some(Cells::Utf8(a)) if a.is_valid(row) => a.value(row),
            Some(Cells::Utf8(_)) => "",
            other => other
                .and_then(|c| c.resolve(row))
                .and_then(|(leaf, i)| leaf.str_at(i).flatten())
                .unwrap_or(""),
        }
    }

    /// Pack the keys of `rows` into `p` (its buffers reused), a column at a time.
    pub fn pack(&self, rows: Range<usize>, p: &mut Packed) {
        use ShapeField as F;
        p.reset(rows.len());
        let r = || rows.clone();
        // Not read by any rule, only checked (as the text path would check them).
        fold(self.student_id, r(), p, |c| match c {
            Cell::Null => Some(0),
            Cell::Str(s) => (s.len() <= 128 && is_trimmed(s)).then_some(0),
            _ => None,
        });
        fold(self.resident_id, r(), p, |c| match c {
            Cell::Null => Some(0),
            Cell::Str(s) => {
                ((s.len() <= 32 || s.chars().count() <= 32) && is_trimmed(s)).then_some(0)
            }
            _ => None,
        });
        fold(self.birth_date, r(), p, |c| match c {
            Cell::Null | Cell::Date | Cell::Str("") => Some(0),
            Cell::Str(s) => eduaid::calendar::is_iso_date(s).then_some(0),
            _ => None,
        });
        // Required: a null goes to the text path, which names the missing column.
        fold(self.stage, r(), p, |c| {
            word(c, None, |s| {
                Stage::recognize(s).map(|v| F::Stage.pack(v as u128))
            })
        });
        fold(self.hukou, r(), p, |c| {
            word(c, None, |s| {
                Hukou::recognize(s).map(|v| F::Hukou.pack(v as u128))
            })
        });
        // A grade out of range for its stage is packed as given: its shape evaluates to
        // the core's error, and the caller re-reads such a row on the text path.
        fold(self.grade, r(), p, |c| {
            small_int(c).flatten().map(|g| F::Grade.pack(u128::from(g)))
        });
        fold(self.full_time_formal, r(), p, |c| {
            flag(c, F::FullTimeFormal)
        });
        fold(self.boarding, r(), p, |c| flag(c, F::Boarding));
        fold(self.major_agriculture_related, r(), p, |c| {
            flag(c, F::AgricultureRelated)
        });
        fold(self.major_performing_arts, r(), p, |c| {
            flag(c, F::PerformingArts)
        });
        fold(self.monitoring_risk_removed, r(), p, |c| {
            flag(c, F::MonitoringRiskRemoved)
        });
        fold(self.veteran, r(), p, |c| flag(c, F::Veteran));
        fold(self.has_fixed_salary, r(), p, |c| {
            flag(c, F::HasFixedSalary)
        });
        fold(self.school_location, r(), p, |c| {
            option_word(c, F::SchoolLocation, |s| {
                SchoolLocation::recognize(s).map(|v| v as u128)
            })
        });
        fold(self.nutrition_pilot, r(), p, |c| {
            option_word(c, F::NutritionPilot, |s| {
                NutritionPilot::recognize(s).map(|v| v as u128)
            })
        });
        fold(self.difficulty_level, r(), p, |c| {
            option_word(c, F::DifficultyLevel, |s| {
                DifficultyLevel::recognize(s).map(|v| v as u128)
            })
        });
        fold(self.institution, r(), p, |c| {
            word(c, Some(F::Institution.default_bits()), |s| {
                Institution::recognize(s).map(|v| F::Institution.pack(v as u128))
            })
        });
        fold(self.disability_grade, r(), p, |c| match small_int(c)? {
            None => Some(0),
            Some(g @ 1..=4) => Some(F::DisabilityGrade.pack(u128::from(g) + 1)),
            Some(_) => None,
        });
        fold(self.household_statuses, r(), p, |c| {
            word(c, Some(0), |s| {
                statuses(s).map(|set| F::Statuses.pack(u128::from(set.0)))
            })
        });
        fold(self.awards, r(), p, |c| {
            word(c, Some(0), |s| {
                awards(s).map(|bits| F::Awards.pack(u128::from(bits)))
            })
        });
        fold(self.hukou_region, r(), p, |c| {
            word(c, Some(0), |s| region(s).map(|r| F::HukouRegion.pack(r)))
        });
        fold(self.school_region, r(), p, |c| {
            word(c, Some(0), |s| region(s).map(|r| F::SchoolRegion.pack(r)))
        });
    }
}

/// Or each row's verdict into its key, or send the row to the text path (`None`). The
/// loop is specialised per Arrow type; a dictionary is decoded once per value (when it is
/// not larger than the run of rows).
fn fold<F>(cells: Option<&Cells>, rows: Range<usize>, p: &mut Packed, verdict: F)
where
    F: Fn(Cell<'_>) -> Option<u128>,
{
    let null = verdict(Cell::Null);
    match cells {
        None | Some(Cells::Null) => each_row(p, rows.clone(), |_| null),
        Some(Cells::Utf8(a)) => each_row(p, rows.clone(), |row| {
            if a.is_valid(row) {
                verdict(Cell::Str(a.value(row)))
            } else {
                null
            }
        }),
        Some(Cells::Bool(a)) => each_row(p, rows.clone(), |row| {
            if a.is_valid(row) {
                verdict(Cell::Bool(a.value(row)))
            } else {
                null
            }
        }),
        Some(Cells::Int(a)) => each_row(p, rows.clone(), |row| {
            if a.is_valid(row) {
                verdict(Cell::Int(a.value(row)))
            } else {
                null
            }
        }),
        Some(Cells::Dict { keys, values }) if values.len() <= rows.len() => {
            let decoded: Vec<Option<u128>> =
                (0..values.len()).map(|k| verdict(values.cell(k))).collect();
            each_row(p, rows.clone(), |row| {
                if keys.is_valid(row) {
                    usize::try_from(keys.value(row))
                        .ok()
                        .and_then(|k| decoded.get(k).copied())
                        .unwrap_or(None)
                } else {
                    null
                }
            })
        }
        Some(cells) => each_row(p, rows.clone(), |row| verdict(cells.cell(row))),
    }
}

/// Or `cell(row)` into each row's key, or mark the row for the text path.
#[inline]
fn each_row(p: &mut Packed, rows: Range<usize>, cell: impl Fn(usize) -> Option<u128>) {
    for ((key, text), row) in p.keys.iter_mut().zip(p.text.iter_mut()).zip(rows) {
        match cell(row) {
            Some(bits) => *key |= bits,
            None => *text = true,
        }
    }
}

/// No leading or trailing white space (the text path trims cells).
fn is_trimmed(s: &str) -> bool {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        // The common case, decided on two bytes: ASCII ends that are not white space.
        (Some(a), Some(z)) if a.is_ascii() && z.is_ascii() => {
            !a.is_ascii_whitespace() && !z.is_ascii_whitespace() && *a != 0x0b && *z != 0x0b
        }
        _ => s.trim().len() == s.len(),
    }
}

/// A string cell parsed by `parse`; a null or empty cell takes `default` (`None`: the
/// field is required and the row goes to the text path).
fn word(c: Cell<'_>, default: Option<u128>, parse: impl Fn(&str) -> Option<u128>) -> Option<u128> {
    match c {
        Cell::Null | Cell::Str("") => default,
        Cell::Str(s) => parse(s),
        _ => None,
    }
}

/// An optional word: 0 when null or empty, else 1 + its code.
fn option_word(
    c: Cell<'_>,
    field: ShapeField,
    parse: impl Fn(&str) -> Option<u128>,
) -> Option<u128> {
    word(c, Some(0), |s| parse(s).map(|code| field.pack(code + 1)))
}

/// A boolean cell (or exactly `true`/`false` text); null or empty takes the default.
fn flag(c: Cell<'_>, field: ShapeField) -> Option<u128> {
    let value = match c {
        Cell::Null | Cell::Str("") => return Some(field.default_bits()),
        Cell::Bool(b) => b,
        Cell::Str("true") => true,
        Cell::Str("false") => false,
        _ => return None,
    };
    Some(field.pack(u128::from(value)))
}

/// A whole number 0–255: `Some(None)` when null, empty or NaN; `None` (text path) for
/// anything else.
fn small_int(c: Cell<'_>) -> Option<Option<u8>> {
    match c {
        Cell::Null | Cell::Str("") => Some(None),
        Cell::Int(v) => u8::try_from(v).ok().map(Some),
        Cell::Float(v) if v.is_nan() => Some(None),
        Cell::Float(v) => (v.fract() == 0.0 && (0.0..=255.0).contains(&v)).then_some(Some(v as u8)),
        Cell::Str(s) if s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse::<u8>().ok().map(Some)
        }
        _ => None,
    }
}

fn statuses(cell: &str) -> Option<StatusSet> {
    let mut set = StatusSet::default();
    for part in cell.split(',') {
        let status = HouseholdStatus::recognize(part)?;
        if set.contains(status) {
            return None;
        }
        set.insert(status);
    }
    Some(set)
}

fn awards(cell: &str) -> Option<u8> {
    let mut bits = 0u8;
    for part in cell.split(',') {
        let award = Award::recognize(part)?;
        let bit = 1u8 << Award::ALL.iter().position(|a| *a == award)?;
        if bits & bit != 0 {
            return None;
        }
        bits |= bit;
    }
    let both = [
        Award::NationalScholarship,
        Award::NationalEncouragementScholarship,
    ]
    .iter()
    .filter_map(|a| Award::ALL.iter().position(|x| x == a))
    .fold(0u8, |b, i| b | (1 << i));
    (bits & both != both).then_some(bits)
}

fn region(code: &str) -> Option<u128> {
    is_region_code(code).then(|| u128::from(region_number(code)))
}
