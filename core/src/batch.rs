//! The batch (columnar) path: evaluating millions of rows as of one date without JSON,
//! without per-student allocation and without re-reading the policy per row.
//!
//! The rules read only a handful of categorical fields of a profile (stage, grade, flags,
//! statuses, level, awards, regions; never the student id, name or birth date). A roster of
//! millions of students therefore holds some tens of thousands of distinct [`Shape`]s. A
//! [`BatchEvaluator`] packs each row's shape into a 128-bit key, and evaluates each distinct
//! shape once with the very same [`crate::evaluate_with`] (so the batch path cannot disagree
//! with the single-profile path), keeping a compact [`ShapeResult`] with integer-fen amounts.
//! Per row, the work is packing a key and one hash-table probe.
//!
//! Core stays single-threaded; callers bring the threads. Either one evaluator per thread
//! (the national-scale example), or one evaluator shared by all: lookups and evaluations
//! take `&self`, so threads look their rows up, evaluate the distinct new keys between
//! them and [`BatchEvaluator::insert`] the results (the Python binding). A columnar caller
//! packs keys a column at a time with [`ShapeField`] instead of building a `Shape` per row.

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

    /// The shape packed into 128 bits (injective over valid shapes), by the layout of
    /// [`ShapeField`]. Fieldless enums are packed by discriminant (declaration order),
    /// options as 0 = none, else 1 + value.
    #[inline]
    pub fn key(&self) -> u128 {
        use ShapeField as F;
        let opt = |v: Option<u8>| v.map_or(0u128, |x| u128::from(x) + 1);
        F::Stage.pack(self.stage as u128)
            | F::Grade.pack(u128::from(self.grade))
            | F::FullTimeFormal.pack(u128::from(self.full_time_formal))
            | F::Boarding.pack(u128::from(self.boarding))
            | F::Hukou.pack(self.hukou as u128)
            | F::SchoolLocation.pack(opt(self.school_location.map(|l| l as u8)))
            | F::NutritionPilot.pack(opt(self.nutrition_pilot.map(|l| l as u8)))
            | F::AgricultureRelated.pack(u128::from(self.agriculture_related))
            | F::PerformingArts.pack(u128::from(self.performing_arts))
            | F::DisabilityGrade.pack(opt(self.disability_grade))
            | F::Statuses.pack(u128::from(self.statuses.0))
            | F::MonitoringRiskRemoved.pack(u128::from(self.monitoring_risk_removed))
            | F::DifficultyLevel.pack(opt(self.difficulty_level.map(|l| l as u8)))
            | F::Awards.pack(u128::from(self.awards))
            | F::Veteran.pack(u128::from(self.veteran))
            | F::HasFixedSalary.pack(u128::from(self.has_fixed_salary))
            | F::Institution.pack(self.institution as u128)
            | F::HukouRegion.pack(u128::from(self.hukou_region))
            | F::SchoolRegion.pack(u128::from(self.school_region))
    }

    /// The shape of a key made by [`Shape::key`] or packed field by field with
    /// [`ShapeField::pack`]; `None` when a field holds no value of its vocabulary.
    pub fn from_key(key: u128) -> Option<Shape> {
        use ShapeField as F;
        fn pick<T: Copy>(all: &[T], code: u128) -> Option<T> {
            all.get(usize::try_from(code).ok()?).copied()
        }
        fn option<T: Copy>(all: &[T], code: u128) -> Option<Option<T>> {
            match code {
                0 => Some(None),
                c => pick(all, c - 1).map(Some),
            }
        }
        let small = |f: ShapeField| u8::try_from(f.unpack(key)).ok();
        let flag = |f: ShapeField| f.unpack(key) == 1;
        Some(Shape {
            stage: pick(Stage::ALL, F::Stage.unpack(key))?,
            grade: small(F::Grade)?,
            full_time_formal: flag(F::FullTimeFormal),
            boarding: flag(F::Boarding),
            hukou: pick(Hukou::ALL, F::Hukou.unpack(key))?,
            school_location: option(SchoolLocation::ALL, F::SchoolLocation.unpack(key))?,
            nutrition_pilot: option(NutritionPilot::ALL, F::NutritionPilot.unpack(key))?,
            agriculture_related: flag(F::AgricultureRelated),
            performing_arts: flag(F::PerformingArts),
            disability_grade: match small(F::DisabilityGrade)? {
                0 => None,
                g => Some(g - 1),
            },
            statuses: StatusSet(u16::try_from(F::Statuses.unpack(key)).ok()?),
            monitoring_risk_removed: flag(F::MonitoringRiskRemoved),
            difficulty_level: option(DifficultyLevel::ALL, F::DifficultyLevel.unpack(key))?,
            awards: small(F::Awards)?,
            veteran: flag(F::Veteran),
            has_fixed_salary: flag(F::HasFixedSalary),
            institution: pick(Institution::ALL, F::Institution.unpack(key))?,
            hukou_region: u32::try_from(F::HukouRegion.unpack(key)).ok()?,
            school_region: u32::try_from(F::SchoolRegion.unpack(key)).ok()?,
        })
    }
}

/// The fields of a [`Shape`] as bit ranges of its 128-bit key, so that a columnar caller
/// (the Arrow path of the Python binding) can pack a key column by column, without
/// building a `Shape` per row. The layout is private to one process: keys are never
/// stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeField {
    /// [`Stage`] discriminant (4 bits).
    Stage,
    /// Grade (8 bits).
    Grade,
    /// Full-time formal enrolment (1 bit; default 1).
    FullTimeFormal,
    /// Boarder (1 bit).
    Boarding,
    /// [`Hukou`] discriminant (1 bit).
    Hukou,
    /// [`SchoolLocation`]: 0 = default by hukou, else 1 + discriminant (2 bits).
    SchoolLocation,
    /// [`NutritionPilot`]: 0 = look the region up, else 1 + discriminant (2 bits).
    NutritionPilot,
    /// Agriculture-related major (1 bit).
    AgricultureRelated,
    /// Performing-arts major (1 bit).
    PerformingArts,
    /// Disability grade: 0 = none, else 1 + grade (8 bits).
    DisabilityGrade,
    /// [`StatusSet`] bits (16 bits).
    Statuses,
    /// Monitoring risk removed (1 bit).
    MonitoringRiskRemoved,
    /// [`DifficultyLevel`]: 0 = not assessed, else 1 + discriminant (2 bits).
    DifficultyLevel,
    /// Award bits in the order of [`Award::ALL`] (3 bits).
    Awards,
    /// Veteran (1 bit).
    Veteran,
    /// Fixed salary (1 bit).
    HasFixedSalary,
    /// [`Institution`] discriminant (1 bit; default `local`).
    Institution,
    /// Hukou region as [`region_number`] (20 bits).
    HukouRegion,
    /// School region as [`region_number`] (20 bits).
    SchoolRegion,
}

impl ShapeField {
    /// (lowest bit, width) of the field in the key.
    const fn range(self) -> (u32, u32) {
        match self {
            ShapeField::SchoolRegion => (0, 20),
            ShapeField::HukouRegion => (20, 20),
            ShapeField::Institution => (40, 1),
            ShapeField::HasFixedSalary => (41, 1),
            ShapeField::Veteran => (42, 1),
            ShapeField::Awards => (43, 3),
            ShapeField::DifficultyLevel => (46, 2),
            ShapeField::MonitoringRiskRemoved => (48, 1),
            ShapeField::Statuses => (49, 16),
            ShapeField::DisabilityGrade => (65, 8),
            ShapeField::PerformingArts => (73, 1),
            ShapeField::AgricultureRelated => (74, 1),
            ShapeField::NutritionPilot => (75, 2),
            ShapeField::SchoolLocation => (77, 2),
            ShapeField::Hukou => (79, 1),
            ShapeField::Boarding => (80, 1),
            ShapeField::FullTimeFormal => (81, 1),
            ShapeField::Grade => (82, 8),
            ShapeField::Stage => (90, 4),
        }
    }

    /// `code` in the field's bits (codes wider than the field are cut to it).
    #[inline]
    pub const fn pack(self, code: u128) -> u128 {
        let (shift, width) = self.range();
        (code & ((1u128 << width) - 1)) << shift
    }

    /// The field's code in `key`.
    #[inline]
    pub const fn unpack(self, key: u128) -> u128 {
        let (shift, width) = self.range();
        (key >> shift) & ((1u128 << width) - 1)
    }

    /// The packed code of the field's profile default, for a missing column or a null
    /// cell (`full_time_formal` true, `institution` local, every other field 0).
    /// `stage`, `grade` and `hukou` have no default.
    pub const fn default_bits(self) -> u128 {
        match self {
            ShapeField::FullTimeFormal => self.pack(1),
            ShapeField::Institution => self.pack(Institution::Local as u128),
            _ => 0,
        }
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
///
/// Lookups ([`BatchEvaluator::lookup`]) and evaluations ([`BatchEvaluator::evaluate_key`])
/// take `&self`, so that a caller with several threads can share one evaluator: look the
/// rows up in parallel, evaluate the distinct new keys in parallel, then
/// [`BatchEvaluator::insert`] the results (the Python binding does so). Single-threaded
/// callers use [`BatchEvaluator::index_of`], which does all three.
pub struct BatchEvaluator {
    policy: Policy,
    as_of: NaiveDate,
    lang: Lang,
    index: HashMap<u128, u32, BuildHasherDefault<KeyHasher>>,
    results: Vec<ShapeResult>,
    summaries: Vec<ShapeSummary>,
    /// Where each shape's entitlements sit in `flat`: a row's result rows are then read
    /// from one contiguous array instead of one heap block per shape (a cache miss less
    /// per row on rosters of tens of thousands of shapes).
    spans: Vec<(u32, u32)>,
    flat: Vec<CompactEntitlement>,
    programs: Vec<String>,
}

impl BatchEvaluator {
    /// An evaluator for `as_of` under `policy`; errors when `as_of` is out of coverage.
    pub fn new(policy: &Policy, as_of: NaiveDate) -> Result<BatchEvaluator> {
        policy.check_in_force("as_of", as_of)?;
        // Every program an assessment can name, known up front so that evaluating a shape
        // never changes the evaluator: the national catalogue, then the overlay programs.
        let programs = crate::programs::CATALOGUE
            .iter()
            .map(|p| p.id.to_string())
            .chain(
                crate::rules::overlay_programs(policy)
                    .into_iter()
                    .map(|(_, p)| p.id),
            )
            .collect();
        Ok(BatchEvaluator {
            policy: policy.clone(),
            as_of,
            lang: Lang::En,
            index: HashMap::default(),
            results: Vec::new(),
            summaries: Vec::new(),
            spans: Vec::new(),
            flat: Vec::new(),
            programs,
        })
    }

    /// The policy the evaluator applies.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The evaluation date.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// The program ids, indexed by [`CompactEntitlement::program`] (the national catalogue,
    /// then the overlay programs in load order).
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
        self.index_of_key(shape.key())
    }

    /// The result index of a key (see [`ShapeField`]), evaluating it on first sight.
    #[inline]
    pub fn index_of_key(&mut self, key: u128) -> u32 {
        match self.lookup(key) {
            Some(i) => i,
            None => {
                let result = self.evaluate_key(key);
                self.insert(key, result)
            }
        }
    }

    /// The result index of a key already evaluated, if any.
    #[inline]
    pub fn lookup(&self, key: u128) -> Option<u32> {
        self.index.get(&key).copied()
    }

    /// Evaluate the shape of a key, without keeping the result (see
    /// [`BatchEvaluator::insert`]). A key that decodes to no shape gets an internal error.
    pub fn evaluate_key(&self, key: u128) -> ShapeResult {
        match Shape::from_key(key) {
            Some(shape) => self.evaluate_shape(&shape),
            None => ShapeResult::Err(Error::invalid(
                "",
                "invalid_shape_key",
                "a packed profile shape holds a value outside its vocabulary",
            )),
        }
    }

    /// Keep the result of `key` (from [`BatchEvaluator::evaluate_key`]) and return its
    /// index; a key already kept keeps its first result.
    pub fn insert(&mut self, key: u128, result: ShapeResult) -> u32 {
        if let Some(i) = self.lookup(key) {
            return i;
        }
        let i = self.results.len() as u32;
        let start = self.flat.len() as u32;
        self.spans.push(match &result {
            ShapeResult::Ok { entitlements, .. } => {
                self.flat.extend_from_slice(entitlements);
                (start, self.flat.len() as u32)
            }
            ShapeResult::Err(_) => (u32::MAX, 0),
        });
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

    /// The entitlements of a shape index returned by [`BatchEvaluator::index_of`], from
    /// one flat array; `None` for an invalid shape (its error is in
    /// [`BatchEvaluator::result`]) or an unknown index.
    #[inline]
    pub fn entitlements(&self, index: u32) -> Option<&[CompactEntitlement]> {
        let (start, end) = self.spans.get(index as usize)?;
        self.flat.get(*start as usize..*end as usize)
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

    fn evaluate_shape(&self, shape: &Shape) -> ShapeResult {
        let profile = shape.to_profile();
        // Amounts only: the batch path never shows reasons.
        let options = crate::Options {
            lang: self.lang,
            explain: false,
        };
        let assessment = match crate::evaluate_with(&profile, self.as_of, &self.policy, options) {
            Err(e) => return ShapeResult::Err(e),
            Ok(a) => a,
        };
        let mut entitlements = Vec::with_capacity(assessment.entitlements.len());
        for e in &assessment.entitlements {
            let Some(program) = self.programs.iter().position(|p| *p == e.program) else {
                // Cannot happen: the list holds every program of the policy.
                return ShapeResult::Err(Error::invalid(
                    "",
                    "unknown_program",
                    format!("program '{}' is not in the policy's catalogue", e.program),
                ));
            };
            entitlements.push(CompactEntitlement {
                program: program as u16,
                kind: e.kind,
                annual_fen: e.annual_amount.map(|m| m.to_fen()),
                school_year_total_fen: e.school_year_total.map(|m| m.to_fen()),
                payments: e.payments.len() as u8,
            });
        }
        ShapeResult::Ok {
            entitlements,
            annual_cash_total_fen: assessment.annual_cash_total.to_fen(),
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
            let index = ev.index_of(&Shape::of(&p));
            assert_eq!(ev.entitlements(index), Some(&entitlements[..]));
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
    fn keys_decode_to_their_shape() {
        let config = crate::synth::SynthConfig::new(7);
        for p in crate::synth::profiles(&config, 0..5000) {
            let shape = Shape::of(&p);
            assert_eq!(Shape::from_key(shape.key()), Some(shape));
        }
        // Field by field: the defaults of a profile give the key of its shape.
        let p = Profile::new(Stage::Primary, 3, Hukou::Rural);
        let packed = ShapeField::Stage.pack(Stage::Primary as u128)
            | ShapeField::Grade.pack(3)
            | ShapeField::Hukou.pack(Hukou::Rural as u128)
            | [
                ShapeField::FullTimeFormal,
                ShapeField::Boarding,
                ShapeField::Institution,
                ShapeField::Statuses,
            ]
            .iter()
            .fold(0, |k, f| k | f.default_bits());
        assert_eq!(packed, Shape::of(&p).key());
        // A code outside its vocabulary decodes to nothing, and evaluates to an error.
        let bad = packed | ShapeField::Stage.pack(15);
        assert_eq!(Shape::from_key(bad), None);
        let ev = BatchEvaluator::new(
            &Policy::national(),
            NaiveDate::from_ymd_opt(2024, 10, 1).unwrap(),
        )
        .unwrap();
        assert!(
            matches!(ev.evaluate_key(bad), ShapeResult::Err(e) if e.code() == "invalid_shape_key")
        );
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
        let index = ev.index_of(&Shape::of(&p));
        assert_eq!(ev.entitlements(index), None);
        assert_eq!(cols.errors.len(), 1);
        assert_eq!(cols.errors[0].1.field(), "grade");
    }
}
