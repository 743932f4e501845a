//! The batch (columnar) path: evaluating millions of rows as of one date without JSON,
//! without per-student allocation and without re-reading the policy per row.
//!
//! The rules read only a handful of categorical fields of a profile (stage, grade, flags,
//! statuses, level, awards, regions; never the student id, name or birth date). A roster of
//! millions of students therefore holds a few thousand distinct [`Shape`]s at most. A
//! [`BatchEvaluator`] packs each row's shape into a 128-bit key, and evaluates each distinct
//! shape once with the very same [`crate::evaluate_with`] (so the batch path cannot disagree
//! with the single-profile path), keeping a compact [`ShapeResult`] with integer-fen amounts.
//! Per row, the work is packing a key and one hash-table probe.
//!
//! Core stays single-threaded: callers split a roster into chunks and run one evaluator per
//! thread (the CLI with `std::thread::scope`, the Python binding with the GIL released).

use crate::profile::{
    Award, DifficultyLevel, Household, HouseholdStatus, Hukou, Institution, Major, NutritionPilot,
    Profile, SchoolLocation, Stage, StatusSet,
};
use crate::programs::Kind;
use crate::reasons::Lang;
use crate::{Error, Policy, Result};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Every field of a profile that any rule reads, packed small. Two profiles with the same
/// shape get the same entitlements and amounts on the same date under the same policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shape {
    /// Education stage.
    pub stage: Stage,
    /// Grade within the stage.
    pub grade: u8,
    /// Full-time formal enrolment.
    pub full_time_formal: bool,
    /// Boarder.
    pub boarding: bool,
    /// Household registration.
    pub hukou: Hukou,
    /// School location (None = the default by hukou).
    pub school_location: Option<SchoolLocation>,
    /// Nutrition pilot kind (None = look the region up).
    pub nutrition_pilot: Option<NutritionPilot>,
    /// Agriculture-related major.
    pub agriculture_related: bool,
    /// Performing-arts major.
    pub performing_arts: bool,
    /// Disability grade 1–4.
    pub disability_grade: Option<u8>,
    /// Household statuses.
    pub statuses: StatusSet,
    /// Monitoring risk removed.
    pub monitoring_risk_removed: bool,
    /// Assessed difficulty level.
    pub difficulty_level: Option<DifficultyLevel>,
    /// Awards, as bits in the order of [`Award::ALL`].
    pub awards: u8,
    /// Veteran student.
    pub veteran: bool,
    /// Graduate student with a fixed salary.
    pub has_fixed_salary: bool,
    /// Institution kind.
    pub institution: Institution,
    /// Hukou region code as a number (0 = none).
    pub hukou_region: u32,
    /// School region code as a number (0 = none).
    pub school_region: u32,
}

fn index_of<T: PartialEq>(all: &[T], v: &T) -> u128 {
    all.iter().position(|x| x == v).unwrap_or(0) as u128
}

/// A region code as a number: the code (six digits, validated by the profile) plus one, so
/// that 0 means none and `000000` stays distinct from no region.
pub fn region_number(code: &str) -> u32 {
    code.parse::<u32>().map_or(0, |n| n + 1)
}

fn region_text(n: u32) -> String {
    match n.checked_sub(1) {
        None => String::new(),
        Some(code) => format!("{code:06}"),
    }
}

impl Shape {
    /// The shape of a (validated) profile.
    pub fn of(p: &Profile) -> Shape {
        Shape {
            stage: p.stage,
            grade: p.grade,
            full_time_formal: p.full_time_formal,
            boarding: p.boarding,
            hukou: p.hukou,
            school_location: p.school_location,
            nutrition_pilot: p.nutrition_pilot,
            agriculture_related: p.major.agriculture_related,
            performing_arts: p.major.performing_arts,
            disability_grade: p.disability_grade,
            statuses: p.status_set(),
            monitoring_risk_removed: p.household.monitoring_risk_removed,
            difficulty_level: p.difficulty_level,
            awards: p
                .awards
                .iter()
                .fold(0u8, |bits, a| bits | (1 << index_of(Award::ALL, a))),
            veteran: p.veteran,
            has_fixed_salary: p.has_fixed_salary,
            institution: p.institution,
            hukou_region: region_number(&p.hukou_region),
            school_region: region_number(&p.school_region),
        }
    }

    /// A profile with this shape (no id; statuses and awards in canonical order).
    pub fn to_profile(&self) -> Profile {
        let mut p = Profile::new(self.stage, self.grade, self.hukou);
        p.full_time_formal = self.full_time_formal;
        p.boarding = self.boarding;
        p.school_location = self.school_location;
        p.nutrition_pilot = self.nutrition_pilot;
        p.major = Major {
            agriculture_related: self.agriculture_related,
            performing_arts: self.performing_arts,
        };
        p.disability_grade = self.disability_grade;
        p.household = Household {
            statuses: self.statuses.iter().collect(),
            monitoring_risk_removed: self.monitoring_risk_removed,
        };
        p.difficulty_level = self.difficulty_level;
        p.awards = Award::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| self.awards & (1 << i) != 0)
            .map(|(_, a)| *a)
            .collect();
        p.veteran = self.veteran;
        p.has_fixed_salary = self.has_fixed_salary;
        p.institution = self.institution;
        p.hukou_region = region_text(self.hukou_region);
        p.school_region = region_text(self.school_region);
        p
    }

    /// The shape packed into 128 bits (injective over valid shapes). Fieldless enums are
    /// packed by discriminant (declaration order), options as 0 = none, else 1 + value.
    #[inline]
    pub fn key(&self) -> u128 {
        let opt = |v: Option<u8>| v.map_or(0u128, |x| u128::from(x) + 1);
        let mut k: u128 = self.stage as u128; // 4 bits
        k = (k << 8) | u128::from(self.grade);
        k = (k << 1) | u128::from(self.full_time_formal);
        k = (k << 1) | u128::from(self.boarding);
        k = (k << 1) | self.hukou as u128;
        k = (k << 2) | opt(self.school_location.map(|l| l as u8));
        k = (k << 2) | opt(self.nutrition_pilot.map(|l| l as u8));
        k = (k << 1) | u128::from(self.agriculture_related);
        k = (k << 1) | u128::from(self.performing_arts);
        k = (k << 8) | opt(self.disability_grade);
        k = (k << 16) | u128::from(self.statuses.0);
        k = (k << 1) | u128::from(self.monitoring_risk_removed);
        k = (k << 2) | opt(self.difficulty_level.map(|l| l as u8));
        k = (k << 3) | u128::from(self.awards & 0b111);
        k = (k << 1) | u128::from(self.veteran);
        k = (k << 1) | u128::from(self.has_fixed_salary);
        k = (k << 1) | self.institution as u128;
        k = (k << 20) | u128::from(self.hukou_region & 0xF_FFFF);
        k = (k << 20) | u128::from(self.school_region & 0xF_FFFF);
        k
    }
}

/// One entitlement of a shape, with amounts in integer fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompactEntitlement {
    /// Index of the program in [`BatchEvaluator::programs`].
    pub program: u16,
    /// What it gives.
    pub kind: Kind,
    /// Annual standard in fen (None = no regional standard loaded).
    pub annual_fen: Option<i64>,
    /// School-year total in fen (None with the annual amount).
    pub school_year_total_fen: Option<i64>,
    /// Number of instalments in the school year (person-times, 人次).
    pub payments: u8,
}

/// The result for one shape: its entitlements, or the error every row of it gets.
#[derive(Debug, Clone, PartialEq)]
pub enum ShapeResult {
    /// Evaluated.
    Ok {
        /// The entitlements, in catalogue order.
        entitlements: Vec<CompactEntitlement>,
        /// `annual_cash_total` in fen.
        annual_cash_total_fen: i64,
    },
    /// The shape is invalid (e.g. an impossible grade); every row with it gets this error.
    Err(Error),
}

/// The per-shape figures a roster total needs, kept in one flat array so that a pass over
/// millions of rows touches contiguous memory only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShapeSummary {
    /// False when the shape is invalid (its rows are errors).
    pub ok: bool,
    /// Number of entitlements.
    pub entitlements: u16,
    /// Instalments in the school year, over all entitlements (person-times, 人次).
    pub person_times: u16,
    /// `annual_cash_total` in fen.
    pub annual_cash_total_fen: i64,
}

/// A fast hasher for the 128-bit keys (FxHash-style multiply-rotate; keys are not
/// attacker-chosen secrets, and the map only memoizes).
#[derive(Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    #[inline]
    fn write_u128(&mut self, n: u128) {
        // One multiply-fold of both halves (the keys are dense bit fields).
        let x = (n as u64) ^ ((n >> 64) as u64).rotate_left(29);
        let m = u128::from(x) * 0x9E37_79B9_7F4A_7C15;
        self.0 = (m as u64) ^ ((m >> 64) as u64);
    }
}

/// Evaluates many rows as of one date under one policy, one evaluation per distinct shape.
pub struct BatchEvaluator {
    policy: Policy,
    as_of: NaiveDate,
    lang: Lang,
    index: HashMap<u128, u32, BuildHasherDefault<KeyHasher>>,
    results: Vec<ShapeResult>,
    summaries: Vec<ShapeSummary>,
    programs: Vec<String>,
}

impl BatchEvaluator {
    /// An evaluator for `as_of` under `policy`; errors when `as_of` is out of coverage.
    pub fn new(policy: &Policy, as_of: NaiveDate) -> Result<BatchEvaluator> {
        policy.check_in_force("as_of", as_of)?;
        Ok(BatchEvaluator {
            policy: policy.clone(),
            as_of,
            lang: Lang::En,
            index: HashMap::default(),
            results: Vec::new(),
            summaries: Vec::new(),
            programs: crate::programs::CATALOGUE
                .iter()
                .map(|p| p.id.to_string())
                .collect(),
        })
    }

    /// The program ids, indexed by [`CompactEntitlement::program`] (the national catalogue,
    /// then overlay programs as they are met).
    pub fn programs(&self) -> &[String] {
        &self.programs
    }

    /// The number of distinct shapes evaluated so far.
    pub fn shapes(&self) -> usize {
        self.results.len()
    }

    /// The result index of `shape`, evaluating it on first sight.
    #[inline]
    pub fn index_of(&mut self, shape: &Shape) -> u32 {
        let key = shape.key();
        if let Some(i) = self.index.get(&key) {
            return *i;
        }
        let result = self.evaluate_shape(shape);
        let i = self.results.len() as u32;
        self.summaries.push(match &result {
            ShapeResult::Ok {
                entitlements,
                annual_cash_total_fen,
            } => ShapeSummary {
                ok: true,
                entitlements: entitlements.len() as u16,
                person_times: entitlements.iter().map(|e| u16::from(e.payments)).sum(),
                annual_cash_total_fen: *annual_cash_total_fen,
            },
            ShapeResult::Err(_) => ShapeSummary::default(),
        });
        self.results.push(result);
        self.index.insert(key, i);
        i
    }

    /// The summary of a shape index returned by [`BatchEvaluator::index_of`] (flat and
    /// cheap: for totals over millions of rows).
    #[inline]
    pub fn summary(&self, index: u32) -> ShapeSummary {
        self.summaries
            .get(index as usize)
            .copied()
            .unwrap_or_default()
    }

    /// The result of a shape index returned by [`BatchEvaluator::index_of`].
    pub fn result(&self, index: u32) -> Option<&ShapeResult> {
        self.results.get(index as usize)
    }

    /// Evaluate a shape and keep the result (convenience over `index_of` + `result`);
    /// always `Some`.
    pub fn evaluate(&mut self, shape: &Shape) -> Option<&ShapeResult> {
        let i = self.index_of(shape);
        self.results.get(i as usize)
    }

    fn program_index(&mut self, id: &str) -> u16 {
        match self.programs.iter().position(|p| p == id) {
            Some(i) => i as u16,
            None => {
                self.programs.push(id.to_string());
                (self.programs.len() - 1) as u16
            }
        }
    }

    fn evaluate_shape(&mut self, shape: &Shape) -> ShapeResult {
        let profile = shape.to_profile();
        // Amounts only: the batch path never shows reasons.
        let options = crate::Options {
            lang: self.lang,
            explain: false,
        };
        match crate::evaluate_with(&profile, self.as_of, &self.policy, options) {
            Err(e) => ShapeResult::Err(e),
            Ok(a) => {
                let entitlements = a
                    .entitlements
                    .iter()
                    .map(|e| CompactEntitlement {
                        program: self.program_index(&e.program),
                        kind: e.kind,
                        annual_fen: e.annual_amount.map(|m| m.to_fen()),
                        school_year_total_fen: e.school_year_total.map(|m| m.to_fen()),
                        payments: e.payments.len() as u8,
                    })
                    .collect();
                ShapeResult::Ok {
                    entitlements,
                    annual_cash_total_fen: a.annual_cash_total.to_fen(),
                }
            }
        }
    }
}

/// A roster as struct-of-arrays, already typed (the Arrow path of the Python binding fills
/// it from columns). Every slice has one entry per row.
#[derive(Debug, Clone, Copy)]
pub struct Columns<'a> {
    /// One shape per row.
    pub shapes: &'a [Shape],
}

/// Per-program amount columns of a batch: for each program, the annual amount in fen per
/// row, or `None` where the row is not entitled (or errored).
#[derive(Debug, Clone, PartialEq)]
pub struct ProgramColumns {
    /// Program ids, in column order.
    pub programs: Vec<String>,
    /// `annual_fen[program][row]`.
    pub annual_fen: Vec<Vec<Option<i64>>>,
    /// Rows that could not be evaluated, with their error.
    pub errors: Vec<(usize, Error)>,
}

/// Evaluate a whole column batch: per-program annual amounts in fen.
pub fn evaluate_columns(evaluator: &mut BatchEvaluator, columns: Columns) -> ProgramColumns {
    let n = columns.shapes.len();
    let indices: Vec<u32> = columns
        .shapes
        .iter()
        .map(|s| evaluator.index_of(s))
        .collect();
    let mut annual_fen: Vec<Vec<Option<i64>>> = vec![vec![None; n]; evaluator.programs().len()];
    let mut errors = Vec::new();
    for (row, idx) in indices.iter().enumerate() {
        match evaluator.result(*idx) {
            Some(ShapeResult::Ok { entitlements, .. }) => {
                for e in entitlements {
                    if let Some(cell) = annual_fen
                        .get_mut(e.program as usize)
                        .and_then(|c| c.get_mut(row))
                    {
                        *cell = Some(e.annual_fen.unwrap_or(0));
                    }
                }
            }
            Some(ShapeResult::Err(e)) => errors.push((row, e.clone())),
            None => {}
        }
    }
    ProgramColumns {
        programs: evaluator.programs().to_vec(),
        annual_fen,
        errors,
    }
}

/// Parse a status list quickly (for binding conversions that see comma-separated cells).
pub fn parse_statuses(field: &str, cell: &str) -> Result<StatusSet> {
    let mut set = StatusSet::default();
    for (i, s) in cell
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .enumerate()
    {
        let status = HouseholdStatus::parse(&format!("{field}[{i}]"), s)?;
        if set.contains(status) {
            return Err(Error::invalid(
                format!("{field}[{i}]"),
                "duplicate",
                format!("status '{status}' is listed twice"),
            ));
        }
        set.insert(status);
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate;

    #[test]
    fn batch_equals_single_evaluation() {
        let policy = Policy::national();
        let as_of = NaiveDate::from_ymd_opt(2024, 10, 1).unwrap();
        let mut ev = BatchEvaluator::new(&policy, as_of).unwrap();
        let texts = [
            r#"{"stage":"junior_middle","grade":2,"boarding":true,"hukou":"rural","household":{"statuses":["dibao"]}}"#,
            r#"{"stage":"undergraduate","grade":3,"hukou":"urban","veteran":true,"household":{"statuses":[]}}"#,
            r#"{"stage":"secondary_vocational","grade":1,"hukou":"urban","major":{"agriculture_related":true},"difficulty_level":"general","household":{"statuses":[]}}"#,
        ];
        for t in texts {
            let p = Profile::from_json(t).unwrap();
            let single = evaluate(&p, as_of, &policy).unwrap();
            let ShapeResult::Ok {
                entitlements,
                annual_cash_total_fen,
            } = ev.evaluate(&Shape::of(&p)).unwrap().clone()
            else {
                panic!("error")
            };
            assert_eq!(annual_cash_total_fen, single.annual_cash_total.to_fen());
            assert_eq!(entitlements.len(), single.entitlements.len());
            for (c, e) in entitlements.iter().zip(&single.entitlements) {
                assert_eq!(ev.programs()[c.program as usize], e.program);
                assert_eq!(c.annual_fen, e.annual_amount.map(|m| m.to_fen()));
            }
            assert_eq!(Shape::of(&Shape::of(&p).to_profile()), Shape::of(&p));
        }
        assert_eq!(ev.shapes(), 3);
        let p = Profile::from_json(texts[0]).unwrap();
        ev.index_of(&Shape::of(&p));
        assert_eq!(ev.shapes(), 3, "a seen shape is not evaluated again");
    }

    #[test]
    fn invalid_shape_is_an_error_for_its_rows() {
        let policy = Policy::national();
        let mut ev =
            BatchEvaluator::new(&policy, NaiveDate::from_ymd_opt(2024, 10, 1).unwrap()).unwrap();
        let mut p = Profile::new(Stage::Primary, 1, Hukou::Rural);
        p.grade = 9;
        let cols = evaluate_columns(
            &mut ev,
            Columns {
                shapes: &[Shape::of(&p)],
            },
        );
        assert_eq!(cols.errors.len(), 1);
        assert_eq!(cols.errors[0].1.field(), "grade");
    }
}
