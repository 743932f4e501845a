//! What-if (政策测算): one roster under two policies — the national policy against a region
//! overlay, or the policy in force against a proposed change — with the per-program change
//! in cost and head count and the students whose entitlements change.

use super::{catalogue_rank, Evaluation, Evaluator, PolicySummary, RowError};
use crate::calendar::SchoolYear;
use crate::money::Money;
use crate::policy::Policy;
use crate::profile::{Profile, Stage};
use crate::programs::Kind;
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Default number of changed students a what-if lists (all are counted).
const DEFAULT_LIMIT: usize = 10_000;

/// One program under the two policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramDiff {
    /// Program id.
    pub program: String,
    /// Chinese name.
    pub name_zh: String,
    /// What it gives.
    pub kind: Kind,
    /// Students entitled under the base policy.
    pub base_students: u64,
    /// Students entitled under the alternative.
    pub alternative_students: u64,
    /// Alternative minus base.
    pub students_change: i64,
    /// Person-times under the base policy.
    pub base_person_times: u64,
    /// Person-times under the alternative.
    pub alternative_person_times: u64,
    /// School-year total under the base policy.
    pub base_total: Money,
    /// School-year total under the alternative.
    pub alternative_total: Money,
    /// Alternative minus base (negative: a saving).
    pub total_change: Money,
}

/// A program whose school-year amount differs for one student.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmountChange {
    /// Program id.
    pub program: String,
    /// Under the base policy (null: entitled without a known amount).
    pub base: Option<Money>,
    /// Under the alternative.
    pub alternative: Option<Money>,
}

/// A student whose entitlements change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudentChange {
    /// Input row.
    pub row: u64,
    /// Student id.
    pub student_id: String,
    /// Stage.
    pub stage: Stage,
    /// Grade.
    pub grade: u8,
    /// School region (defaults of the base policy applied).
    pub school_region: String,
    /// Programs entitled only under the alternative.
    pub gained: Vec<String>,
    /// Programs entitled only under the base policy.
    pub lost: Vec<String>,
    /// Programs entitled under both, with different amounts.
    pub changed: Vec<AmountChange>,
    /// Cash and awards over the school year, base policy.
    pub base_cash: Money,
    /// Cash and awards over the school year, alternative.
    pub alternative_cash: Money,
    /// Alternative minus base.
    pub cash_change: Money,
}

/// One roster under two policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIf {
    /// The as-of date.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub as_of: NaiveDate,
    /// The school year containing it.
    pub school_year: SchoolYear,
    /// The base policy.
    pub base: PolicySummary,
    /// The alternative policy.
    pub alternative: PolicySummary,
    /// Input rows.
    pub rows: u64,
    /// Rows that could not be evaluated (under either policy).
    pub errors: u64,
    /// Students evaluated under both.
    pub students: u64,
    /// Per program, catalogue order, every program entitled under either policy.
    pub by_program: Vec<ProgramDiff>,
    /// Students receiving cash, base policy.
    pub base_with_cash: u64,
    /// Students receiving cash, alternative.
    pub alternative_with_cash: u64,
    /// Cash and awards over the school year, base policy.
    pub base_school_year_cash: Money,
    /// Cash and awards over the school year, alternative.
    pub alternative_school_year_cash: Money,
    /// Alternative minus base.
    pub cash_change: Money,
    /// Students whose entitlements change (all of them).
    pub changed_students: u64,
    /// The first of them, by input row (up to the builder's limit).
    pub changed: Vec<StudentChange>,
    /// The first rows in error.
    pub row_errors: Vec<RowError>,
}

#[derive(Debug, Clone, Default)]
struct DiffAcc {
    name_zh: String,
    kind: Option<Kind>,
    students: [u64; 2],
    person_times: [u64; 2],
    fen: [i64; 2],
}

/// Accumulates a [`WhatIf`]; chunk builders merge exactly, like the report's.
#[derive(Debug, Clone)]
pub struct WhatIfBuilder {
    as_of: NaiveDate,
    limit: usize,
    rows: u64,
    errors: u64,
    students: u64,
    row_errors: Vec<RowError>,
    programs: BTreeMap<String, DiffAcc>,
    with_cash: [u64; 2],
    cash_fen: [i64; 2],
    changed_students: u64,
    changed: Vec<StudentChange>,
}

impl WhatIfBuilder {
    /// An empty comparison as of `as_of`, listing up to 10 000 changed students.
    pub fn new(as_of: NaiveDate) -> WhatIfBuilder {
        WhatIfBuilder {
            as_of,
            limit: DEFAULT_LIMIT,
            rows: 0,
            errors: 0,
            students: 0,
            row_errors: Vec::new(),
            programs: BTreeMap::new(),
            with_cash: [0; 2],
            cash_fen: [0; 2],
            changed_students: 0,
            changed: Vec::new(),
        }
    }

    /// List up to `limit` changed students (all are counted).
    pub fn with_limit(mut self, limit: usize) -> WhatIfBuilder {
        self.limit = limit;
        self
    }

    /// Evaluate input row `row` under both policies and add it.
    pub fn add_row(
        &mut self,
        base: &mut Evaluator,
        alternative: &mut Evaluator,
        row: u64,
        profile: Result<Profile>,
    ) {
        let p = match profile {
            Ok(p) => p,
            Err(e) => return self.add_error(row, "", &e),
        };
        match (base.evaluate(&p), alternative.evaluate(&p)) {
            (Ok(b), Ok(a)) => self.add(row, &p, &b, &a),
            (Err(e), _) | (_, Err(e)) => self.add_error(row, &p.student_id, &e),
        }
    }

    /// Count row `row` as an error.
    pub fn add_error(&mut self, row: u64, student_id: &str, error: &Error) {
        self.rows += 1;
        self.errors += 1;
        if self.row_errors.len() < 1000 {
            self.row_errors.push(RowError::new(row, student_id, error));
        }
    }

    /// Add one student evaluated under the base and the alternative policy.
    pub fn add(
        &mut self,
        row: u64,
        profile: &Profile,
        base: &Evaluation,
        alternative: &Evaluation,
    ) {
        self.rows += 1;
        self.students += 1;
        for (side, ev) in [base, alternative].into_iter().enumerate() {
            for (e, f) in ev.with_figures() {
                if !self.programs.contains_key(e.program.as_ref()) {
                    self.programs
                        .insert(e.program.to_string(), DiffAcc::default());
                }
                let Some(acc) = self.programs.get_mut(e.program.as_ref()) else {
                    continue;
                };
                if acc.kind.is_none() {
                    acc.kind = Some(e.kind);
                    acc.name_zh = e.name_zh.to_string();
                }
                if let Some(n) = acc.students.get_mut(side) {
                    *n += 1;
                }
                if let Some(n) = acc.person_times.get_mut(side) {
                    *n += e.payments.len() as u64;
                }
                if let Some(n) = acc.fen.get_mut(side) {
                    *n += f.year_fen;
                }
            }
            if let Some(n) = self.with_cash.get_mut(side) {
                *n += u64::from(ev.has_cash());
            }
            if let Some(n) = self.cash_fen.get_mut(side) {
                *n += ev.school_year_cash_fen;
            }
        }
        let same = base.entitlements.len() == alternative.entitlements.len()
            && base
                .entitlements
                .iter()
                .zip(&alternative.entitlements)
                .all(|(b, a)| {
                    b.program == a.program
                        && b.annual_amount == a.annual_amount
                        && b.school_year_total == a.school_year_total
                });
        if same {
            return;
        }
        self.changed_students += 1;
        if self.changed.len() >= self.limit {
            return;
        }
        let find =
            |ev: &Evaluation, id: &str| ev.entitlements.iter().find(|e| e.program == id).cloned();
        let gained = alternative
            .entitlements
            .iter()
            .filter(|e| find(base, &e.program).is_none())
            .map(|e| e.program.to_string())
            .collect();
        let lost = base
            .entitlements
            .iter()
            .filter(|e| find(alternative, &e.program).is_none())
            .map(|e| e.program.to_string())
            .collect();
        let changed = base
            .entitlements
            .iter()
            .filter_map(|b| {
                let a = find(alternative, &b.program)?;
                (a.school_year_total != b.school_year_total || a.annual_amount != b.annual_amount)
                    .then(|| AmountChange {
                        program: b.program.to_string(),
                        base: b.school_year_total,
                        alternative: a.school_year_total,
                    })
            })
            .collect();
        let base_cash = base.school_year_cash_total();
        let alternative_cash = alternative.school_year_cash_total();
        self.changed.push(StudentChange {
            row,
            student_id: profile.student_id.clone(),
            stage: profile.stage,
            grade: profile.grade,
            school_region: base.school_region.clone(),
            gained,
            lost,
            changed,
            base_cash,
            alternative_cash,
            cash_change: alternative_cash - base_cash,
        });
    }

    /// Add the rows of another builder of the same roster.
    pub fn merge(&mut self, other: WhatIfBuilder) {
        self.rows += other.rows;
        self.errors += other.errors;
        self.students += other.students;
        self.row_errors.extend(other.row_errors);
        for (id, o) in other.programs {
            let acc = self.programs.entry(id).or_default();
            if acc.kind.is_none() {
                acc.kind = o.kind;
                acc.name_zh = o.name_zh;
            }
            for i in 0..2 {
                if let (Some(a), Some(b)) = (acc.students.get_mut(i), o.students.get(i)) {
                    *a += b;
                }
                if let (Some(a), Some(b)) = (acc.person_times.get_mut(i), o.person_times.get(i)) {
                    *a += b;
                }
                if let (Some(a), Some(b)) = (acc.fen.get_mut(i), o.fen.get(i)) {
                    *a += b;
                }
            }
        }
        for i in 0..2 {
            if let (Some(a), Some(b)) = (self.with_cash.get_mut(i), other.with_cash.get(i)) {
                *a += b;
            }
            if let (Some(a), Some(b)) = (self.cash_fen.get_mut(i), other.cash_fen.get(i)) {
                *a += b;
            }
        }
        self.changed_students += other.changed_students;
        self.changed.extend(other.changed);
    }

    /// The comparison of `base` and `alternative`.
    pub fn finish(mut self, base: &Policy, alternative: &Policy) -> WhatIf {
        self.changed.sort_by_key(|c| c.row);
        self.changed.truncate(self.limit);
        self.row_errors.sort_by_key(|e| e.row);
        self.row_errors.truncate(1000);
        let mut by_program: Vec<ProgramDiff> = self
            .programs
            .into_iter()
            .map(|(program, a)| {
                let [bs, als] = a.students;
                let [bp, ap] = a.person_times;
                let [bf, af] = a.fen;
                ProgramDiff {
                    name_zh: a.name_zh,
                    kind: a.kind.unwrap_or(Kind::Cash),
                    base_students: bs,
                    alternative_students: als,
                    students_change: als as i64 - bs as i64,
                    base_person_times: bp,
                    alternative_person_times: ap,
                    base_total: Money::from_fen(bf),
                    alternative_total: Money::from_fen(af),
                    total_change: Money::from_fen(af - bf),
                    program,
                }
            })
            .collect();
        by_program.sort_by(|a, b| {
            (catalogue_rank(&a.program), &a.program).cmp(&(catalogue_rank(&b.program), &b.program))
        });
        let [base_with_cash, alternative_with_cash] = self.with_cash;
        let [bc, ac] = self.cash_fen;
        WhatIf {
            as_of: self.as_of,
            school_year: SchoolYear::containing(self.as_of),
            base: PolicySummary::of(base, self.as_of),
            alternative: PolicySummary::of(alternative, self.as_of),
            rows: self.rows,
            errors: self.errors,
            students: self.students,
            by_program,
            base_with_cash,
            alternative_with_cash,
            base_school_year_cash: Money::from_fen(bc),
            alternative_school_year_cash: Money::from_fen(ac),
            cash_change: Money::from_fen(ac - bc),
            changed_students: self.changed_students,
            changed: self.changed,
            row_errors: self.row_errors,
        }
    }
}

/// Compare `profiles` under `base` and `alternative` as of `as_of` (single-threaded
/// convenience; rows numbered from 1). An error only when `as_of` is outside either
/// policy's coverage.
pub fn what_if<I>(
    rows: I,
    as_of: NaiveDate,
    base: &Policy,
    alternative: &Policy,
    lang: crate::Lang,
) -> Result<WhatIf>
where
    I: IntoIterator<Item = Result<Profile>>,
{
    let mut b = Evaluator::new(base, as_of, lang)?;
    let mut a = Evaluator::new(alternative, as_of, lang)?;
    let mut builder = WhatIfBuilder::new(as_of);
    for (i, row) in rows.into_iter().enumerate() {
        builder.add_row(&mut b, &mut a, i as u64 + 1, row);
    }
    Ok(builder.finish(base, alternative))
}
