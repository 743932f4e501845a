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
//! The struct-of-arrays entry point is [`evaluate_columns`]: typed [`Columns`] in (one slice
//! per field), one integer-fen column per program out ([`ProgramColumns`]), keys packed per
//! block of rows; [`evaluate_columns_into`] reuses the output buffers of the previous chunk.
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

/// A roster as struct-of-arrays, already typed: one slice per field the rules read, each
/// with one entry per row. A field left `None` is absent, and every row takes the profile's
/// default (`full_time_formal` true, `institution` local, every other field false, none or
/// empty); `stage`, `grade` and `hukou` are required. Codes as in [`Shape`]: awards as bits
/// in the order of [`Award::ALL`], regions as [`region_number`] (0 = none).
#[derive(Debug, Clone, Copy, Default)]
pub struct Columns<'a> {
    /// Education stage.
    pub stage: &'a [Stage],
    /// Grade within the stage.
    pub grade: &'a [u8],
    /// Household registration.
    pub hukou: &'a [Hukou],
    /// Full-time formal enrolment.
    pub full_time_formal: Option<&'a [bool]>,
    /// Boarder.
    pub boarding: Option<&'a [bool]>,
    /// School location (`None` in a row: the default by hukou).
    pub school_location: Option<&'a [Option<SchoolLocation>]>,
    /// Nutrition pilot kind (`None` in a row: look the region up).
    pub nutrition_pilot: Option<&'a [Option<NutritionPilot>]>,
    /// Agriculture-related major.
    pub agriculture_related: Option<&'a [bool]>,
    /// Performing-arts major.
    pub performing_arts: Option<&'a [bool]>,
    /// Disability grade 1–4.
    pub disability_grade: Option<&'a [Option<u8>]>,
    /// Household statuses.
    pub statuses: Option<&'a [StatusSet]>,
    /// Monitoring risk removed.
    pub monitoring_risk_removed: Option<&'a [bool]>,
    /// Assessed difficulty level.
    pub difficulty_level: Option<&'a [Option<DifficultyLevel>]>,
    /// Awards, as bits.
    pub awards: Option<&'a [u8]>,
    /// Veteran student.
    pub veteran: Option<&'a [bool]>,
    /// Graduate student with a fixed salary.
    pub has_fixed_salary: Option<&'a [bool]>,
    /// Institution kind.
    pub institution: Option<&'a [Institution]>,
    /// Hukou region as [`region_number`].
    pub hukou_region: Option<&'a [u32]>,
    /// School region as [`region_number`].
    pub school_region: Option<&'a [u32]>,
}

/// Or `code(value)` of rows `rows` into their keys (`keys[0]` is row `rows.start`), or the
/// field's default into every key when the column is absent.
fn pack_column<T: Copy>(
    keys: &mut [u128],
    rows: std::ops::Range<usize>,
    field: ShapeField,
    column: Option<&[T]>,
    code: impl Fn(T) -> u128,
) {
    match column.and_then(|c| c.get(rows)) {
        Some(values) => {
            for (k, v) in keys.iter_mut().zip(values) {
                *k |= field.pack(code(*v));
            }
        }
        None => {
            let bits = field.default_bits();
            keys.iter_mut().for_each(|k| *k |= bits);
        }
    }
}

impl Columns<'_> {
    /// The number of rows (of the `stage` column).
    pub fn rows(&self) -> usize {
        self.stage.len()
    }

    /// Check that every column present has as many rows as `stage`; the error names the
    /// first that does not.
    pub fn check(&self) -> Result<()> {
        let lengths = [
            ("grade", Some(self.grade.len())),
            ("hukou", Some(self.hukou.len())),
            ("full_time_formal", self.full_time_formal.map(<[_]>::len)),
            ("boarding", self.boarding.map(<[_]>::len)),
            ("school_location", self.school_location.map(<[_]>::len)),
            ("nutrition_pilot", self.nutrition_pilot.map(<[_]>::len)),
            (
                "major_agriculture_related",
                self.agriculture_related.map(<[_]>::len),
            ),
            (
                "major_performing_arts",
                self.performing_arts.map(<[_]>::len),
            ),
            ("disability_grade", self.disability_grade.map(<[_]>::len)),
            ("household_statuses", self.statuses.map(<[_]>::len)),
            (
                "monitoring_risk_removed",
                self.monitoring_risk_removed.map(<[_]>::len),
            ),
            ("difficulty_level", self.difficulty_level.map(<[_]>::len)),
            ("awards", self.awards.map(<[_]>::len)),
            ("veteran", self.veteran.map(<[_]>::len)),
            ("has_fixed_salary", self.has_fixed_salary.map(<[_]>::len)),
            ("institution", self.institution.map(<[_]>::len)),
            ("hukou_region", self.hukou_region.map(<[_]>::len)),
            ("school_region", self.school_region.map(<[_]>::len)),
        ];
        match lengths
            .iter()
            .find(|(_, len)| len.is_some_and(|l| l != self.rows()))
        {
            Some((name, Some(len))) => Err(Error::invalid(
                *name,
                "length_mismatch",
                format!(
                    "column '{name}' has {len} rows; 'stage' has {}",
                    self.rows()
                ),
            )),
            _ => Ok(()),
        }
    }

    /// The shape key of every row (the same keys as [`Shape::key`] of each row's shape),
    /// after [`Columns::check`].
    pub fn keys(&self) -> Result<Vec<u128>> {
        self.check()?;
        let mut keys = Vec::new();
        self.keys_of(0..self.rows(), &mut keys);
        Ok(keys)
    }

    /// The keys of rows `rows` into `keys` (replaced), packed a column at a time; the
    /// columns must have passed [`Columns::check`] (a row beyond a column takes the
    /// field's default).
    pub fn keys_of(&self, rows: std::ops::Range<usize>, keys: &mut Vec<u128>) {
        use ShapeField as F;
        fn opt<T: Copy>(code: impl Fn(T) -> u128) -> impl Fn(Option<T>) -> u128 {
            move |v| v.map_or(0, |x| code(x) + 1)
        }
        let flag = |b: bool| u128::from(b);
        keys.clear();
        keys.resize(rows.len(), 0);
        let (k, r) = (keys.as_mut_slice(), || rows.clone());
        pack_column(k, r(), F::Stage, Some(self.stage), |v| v as u128);
        pack_column(k, r(), F::Grade, Some(self.grade), u128::from);
        pack_column(k, r(), F::Hukou, Some(self.hukou), |v| v as u128);
        pack_column(k, r(), F::FullTimeFormal, self.full_time_formal, flag);
        pack_column(k, r(), F::Boarding, self.boarding, flag);
        pack_column(
            k,
            r(),
            F::SchoolLocation,
            self.school_location,
            opt(|v: SchoolLocation| v as u128),
        );
        pack_column(
            k,
            r(),
            F::NutritionPilot,
            self.nutrition_pilot,
            opt(|v: NutritionPilot| v as u128),
        );
        pack_column(
            k,
            r(),
            F::AgricultureRelated,
            self.agriculture_related,
            flag,
        );
        pack_column(k, r(), F::PerformingArts, self.performing_arts, flag);
        pack_column(
            k,
            r(),
            F::DisabilityGrade,
            self.disability_grade,
            opt(u128::from),
        );
        pack_column(k, r(), F::Statuses, self.statuses, |s: StatusSet| {
            u128::from(s.0)
        });
        pack_column(
            k,
            r(),
            F::MonitoringRiskRemoved,
            self.monitoring_risk_removed,
            flag,
        );
        pack_column(
            k,
            r(),
            F::DifficultyLevel,
            self.difficulty_level,
            opt(|v: DifficultyLevel| v as u128),
        );
        pack_column(k, r(), F::Awards, self.awards, u128::from);
        pack_column(k, r(), F::Veteran, self.veteran, flag);
        pack_column(k, r(), F::HasFixedSalary, self.has_fixed_salary, flag);
        pack_column(k, r(), F::Institution, self.institution, |v| v as u128);
        pack_column(k, r(), F::HukouRegion, self.hukou_region, u128::from);
        pack_column(k, r(), F::SchoolRegion, self.school_region, u128::from);
    }
}

/// Owned struct-of-arrays columns of a roster (what a reader fills, one vector per field),
/// borrowed as [`Columns`] for [`evaluate_columns`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnBuffers {
    /// See [`Columns`].
    pub stage: Vec<Stage>,
    /// See [`Columns`].
    pub grade: Vec<u8>,
    /// See [`Columns`].
    pub hukou: Vec<Hukou>,
    /// See [`Columns`].
    pub full_time_formal: Vec<bool>,
    /// See [`Columns`].
    pub boarding: Vec<bool>,
    /// See [`Columns`].
    pub school_location: Vec<Option<SchoolLocation>>,
    /// See [`Columns`].
    pub nutrition_pilot: Vec<Option<NutritionPilot>>,
    /// See [`Columns`].
    pub agriculture_related: Vec<bool>,
    /// See [`Columns`].
    pub performing_arts: Vec<bool>,
    /// See [`Columns`].
    pub disability_grade: Vec<Option<u8>>,
    /// See [`Columns`].
    pub statuses: Vec<StatusSet>,
    /// See [`Columns`].
    pub monitoring_risk_removed: Vec<bool>,
    /// See [`Columns`].
    pub difficulty_level: Vec<Option<DifficultyLevel>>,
    /// See [`Columns`].
    pub awards: Vec<u8>,
    /// See [`Columns`].
    pub veteran: Vec<bool>,
    /// See [`Columns`].
    pub has_fixed_salary: Vec<bool>,
    /// See [`Columns`].
    pub institution: Vec<Institution>,
    /// See [`Columns`].
    pub hukou_region: Vec<u32>,
    /// See [`Columns`].
    pub school_region: Vec<u32>,
}

impl ColumnBuffers {
    /// The columns of `shapes`.
    pub fn of(shapes: &[Shape]) -> ColumnBuffers {
        ColumnBuffers {
            stage: shapes.iter().map(|s| s.stage).collect(),
            grade: shapes.iter().map(|s| s.grade).collect(),
            hukou: shapes.iter().map(|s| s.hukou).collect(),
            full_time_formal: shapes.iter().map(|s| s.full_time_formal).collect(),
            boarding: shapes.iter().map(|s| s.boarding).collect(),
            school_location: shapes.iter().map(|s| s.school_location).collect(),
            nutrition_pilot: shapes.iter().map(|s| s.nutrition_pilot).collect(),
            agriculture_related: shapes.iter().map(|s| s.agriculture_related).collect(),
            performing_arts: shapes.iter().map(|s| s.performing_arts).collect(),
            disability_grade: shapes.iter().map(|s| s.disability_grade).collect(),
            statuses: shapes.iter().map(|s| s.statuses).collect(),
            monitoring_risk_removed: shapes.iter().map(|s| s.monitoring_risk_removed).collect(),
            difficulty_level: shapes.iter().map(|s| s.difficulty_level).collect(),
            awards: shapes.iter().map(|s| s.awards).collect(),
            veteran: shapes.iter().map(|s| s.veteran).collect(),
            has_fixed_salary: shapes.iter().map(|s| s.has_fixed_salary).collect(),
            institution: shapes.iter().map(|s| s.institution).collect(),
            hukou_region: shapes.iter().map(|s| s.hukou_region).collect(),
            school_region: shapes.iter().map(|s| s.school_region).collect(),
        }
    }

    /// Every column, borrowed.
    pub fn columns(&self) -> Columns<'_> {
        Columns {
            stage: &self.stage,
            grade: &self.grade,
            hukou: &self.hukou,
            full_time_formal: Some(&self.full_time_formal),
            boarding: Some(&self.boarding),
            school_location: Some(&self.school_location),
            nutrition_pilot: Some(&self.nutrition_pilot),
            agriculture_related: Some(&self.agriculture_related),
            performing_arts: Some(&self.performing_arts),
            disability_grade: Some(&self.disability_grade),
            statuses: Some(&self.statuses),
            monitoring_risk_removed: Some(&self.monitoring_risk_removed),
            difficulty_level: Some(&self.difficulty_level),
            awards: Some(&self.awards),
            veteran: Some(&self.veteran),
            has_fixed_salary: Some(&self.has_fixed_salary),
            institution: Some(&self.institution),
            hukou_region: Some(&self.hukou_region),
            school_region: Some(&self.school_region),
        }
    }
}

/// Per-program amount columns of a batch, the shape of a hand-written vectorised
/// computation (one integer column per program).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProgramColumns {
    /// Program ids, in column order ([`BatchEvaluator::programs`]).
    pub programs: Vec<String>,
    /// `annual_fen[program][row]`: the annual amount in fen; 0 where the row is not
    /// entitled, errored, or is entitled without a regional standard loaded (see
    /// `entitled`).
    pub annual_fen: Vec<Vec<i64>>,
    /// `entitled[program][row]`.
    pub entitled: Vec<Vec<bool>>,
    /// Rows that could not be evaluated, with their error.
    pub errors: Vec<(usize, Error)>,
}

/// Rows packed per block by [`evaluate_columns`] (64 KiB of keys).
const BLOCK_ROWS: usize = 4096;

/// Evaluate a whole column batch: per-program annual amounts in fen. Each distinct shape is
/// evaluated once (and kept in `evaluator` for later batches); per row, one key packed
/// column by column and one probe.
pub fn evaluate_columns(
    evaluator: &mut BatchEvaluator,
    columns: &Columns,
) -> Result<ProgramColumns> {
    let mut out = ProgramColumns::default();
    evaluate_columns_into(evaluator, columns, &mut out)?;
    Ok(out)
}

/// [`evaluate_columns`] into the buffers of `out`, reused: a run over many chunks of one
/// size writes into the same memory instead of allocating (and faulting in) new columns for
/// every chunk. `out` is overwritten; on error it is left cleared.
pub fn evaluate_columns_into(
    evaluator: &mut BatchEvaluator,
    columns: &Columns,
    out: &mut ProgramColumns,
) -> Result<()> {
    out.programs.clear();
    out.errors.clear();
    columns.check()?;
    let n = columns.rows();
    let programs = evaluator.programs().len();
    out.annual_fen.resize_with(programs, Vec::new);
    out.entitled.resize_with(programs, Vec::new);
    for column in &mut out.annual_fen {
        column.clear();
        column.resize(n, 0);
    }
    for column in &mut out.entitled {
        column.clear();
        column.resize(n, false);
    }
    // Blocks of rows small enough for their keys to stay in the cache while every column
    // is packed into them.
    let mut keys = Vec::with_capacity(BLOCK_ROWS);
    for start in (0..n).step_by(BLOCK_ROWS) {
        columns.keys_of(start..(start + BLOCK_ROWS).min(n), &mut keys);
        for (row, key) in (start..).zip(&keys) {
            let index = evaluator.index_of_key(*key);
            let Some(list) = evaluator.entitlements(index) else {
                if let Some(ShapeResult::Err(e)) = evaluator.result(index) {
                    out.errors.push((row, e.clone()));
                }
                continue;
            };
            for e in list {
                let p = usize::from(e.program);
                if let Some(cell) = out.annual_fen.get_mut(p).and_then(|c| c.get_mut(row)) {
                    *cell = e.annual_fen.unwrap_or(0);
                }
                if let Some(cell) = out.entitled.get_mut(p).and_then(|c| c.get_mut(row)) {
                    *cell = true;
                }
            }
        }
    }
    out.programs.extend(evaluator.programs().iter().cloned());
    Ok(())
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
    fn columns_give_the_amounts_of_single_evaluation() {
        let as_of = NaiveDate::from_ymd_opt(2024, 10, 1).unwrap();
        let policy = Policy::national().with_region("130431").unwrap();
        let config = crate::synth::SynthConfig::new(3);
        // More rows than one block of `evaluate_columns`, so that block edges are crossed.
        let profiles: Vec<Profile> =
            crate::synth::profiles(&config, 0..(2 * BLOCK_ROWS as u64 + 123)).collect();
        let shapes: Vec<Shape> = profiles.iter().map(Shape::of).collect();
        let owned = ColumnBuffers::of(&shapes);
        let columns = owned.columns();
        let keys = columns.keys().unwrap();
        assert!(keys.iter().zip(&shapes).all(|(k, s)| *k == s.key()));
        let mut ev = BatchEvaluator::new(&policy, as_of).unwrap();
        let out = evaluate_columns(&mut ev, &columns).unwrap();
        assert!(out.errors.is_empty());
        // Reused buffers, first filled by another roster, give the same columns.
        let mut reused =
            evaluate_columns(&mut ev, &ColumnBuffers::of(&shapes[..10]).columns()).unwrap();
        evaluate_columns_into(&mut ev, &columns, &mut reused).unwrap();
        assert_eq!(reused, out);
        for (row, p) in profiles.iter().enumerate() {
            let single = evaluate(p, as_of, &policy).unwrap();
            for (i, program) in out.programs.iter().enumerate() {
                let e = single.entitlement(program);
                assert_eq!(out.entitled[i][row], e.is_some(), "{program} row {row}");
                let fen = e.and_then(|e| e.annual_amount).map_or(0, |m| m.to_fen());
                assert_eq!(out.annual_fen[i][row], fen, "{program} row {row}");
            }
        }
    }

    #[test]
    fn a_column_of_another_length_is_named() {
        let mut ev = BatchEvaluator::new(
            &Policy::national(),
            NaiveDate::from_ymd_opt(2024, 10, 1).unwrap(),
        )
        .unwrap();
        let columns = Columns {
            stage: &[Stage::Primary, Stage::Primary],
            grade: &[1, 2],
            hukou: &[Hukou::Rural, Hukou::Urban],
            boarding: Some(&[true]),
            ..Columns::default()
        };
        let e = evaluate_columns(&mut ev, &columns).unwrap_err();
        assert_eq!((e.field(), e.code()), ("boarding", "length_mismatch"));
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
            &Columns {
                stage: &[p.stage],
                grade: &[p.grade],
                hukou: &[p.hukou],
                ..Columns::default()
            },
        )
        .unwrap();
        let index = ev.index_of(&Shape::of(&p));
        assert_eq!(ev.entitlements(index), None);
        assert_eq!(cols.errors.len(), 1);
        assert_eq!(cols.errors[0].1.field(), "grade");
    }
}
