//! The roster evaluation report (资助统计表) and the coverage check (应助尽助).

use super::{
    catalogue_kind, catalogue_rank, say, scrubbed, stage_rank, Evaluation, Evaluator, PolicySummary,
};
use crate::calendar::{SchoolYear, Term};
use crate::money::Money;
use crate::policy::Policy;
use crate::profile::{DifficultyLevel, HouseholdStatus, Profile, Stage};
use crate::programs::Kind;
use crate::reasons::Lang;
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Upper bound on the row errors a report lists (all are counted).
const MAX_LISTED_ERRORS: usize = 1000;

/// A row that could not be evaluated: its number, its student id and the error (kind,
/// field or column, code, message). Messages never show an identity number unmasked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowError {
    /// 1-based number of the record in the input (the header excluded).
    pub row: u64,
    /// The row's student id, if it could be read.
    pub student_id: String,
    /// Error kind (`invalid_input`, ...).
    pub kind: String,
    /// The offending field or column.
    pub field: String,
    /// Stable code of the problem.
    pub code: String,
    /// A sentence a person can act on.
    pub message: String,
}

impl RowError {
    /// A row error from a library error (the message scrubbed of identity numbers).
    pub fn new(row: u64, student_id: &str, error: &Error) -> RowError {
        let (kind, field, code, message) = scrubbed(error);
        RowError {
            row,
            student_id: crate::json::clip(student_id),
            kind,
            field,
            code,
            message,
        }
    }
}

/// Payments of one program in one term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermTotal {
    /// The term (`2025-autumn`).
    pub term: Term,
    /// Person-times paid in the term.
    pub person_times: u64,
    /// The amount paid in the term.
    pub amount: Money,
}

/// One program over the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramTotal {
    /// Program id.
    pub program: String,
    /// Chinese name.
    pub name_zh: String,
    /// What it gives.
    pub kind: Kind,
    /// Students entitled (head count).
    pub students: u64,
    /// Students entitled whose amount is unknown (a regional standard no overlay sets).
    pub students_without_amount: u64,
    /// Person-times (人次): one per student and term paid.
    pub person_times: u64,
    /// Sum of the annual standards in force on the as-of date.
    pub annual_amount: Money,
    /// Sum of the school-year totals (what the school year pays).
    pub school_year_total: Money,
    /// Payments by term.
    pub terms: Vec<TermTotal>,
}

/// The entitlements of one kind (cash, waiver, in-kind, loan, award) over the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindTotal {
    /// The kind.
    pub kind: Kind,
    /// Students with at least one entitlement of the kind.
    pub students: u64,
    /// Person-times of the kind.
    pub person_times: u64,
    /// Sum of the annual amounts (for loans: the caps; for waivers: the fees waived).
    pub annual_amount: Money,
    /// Sum of the school-year totals.
    pub school_year_total: Money,
}

/// Counts and cash totals of a group of students (a stage, a region, the whole roster).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupTotal {
    /// The group: a stage name or a region code (`""` = no region).
    pub group: String,
    /// Students evaluated.
    pub students: u64,
    /// Students in a key group (重点保障对象).
    pub key_group: u64,
    /// Students with a difficulty level (家庭经济困难, assessed or derived).
    pub economically_difficult: u64,
    /// Students receiving cash (a cash or award entitlement above zero).
    pub with_cash: u64,
    /// Person-times of every kind (waivers and in-kind aid included).
    pub person_times: u64,
    /// Person-times of cash and awards (资助人次 of money paid).
    pub cash_person_times: u64,
    /// Sum of annual cash and award standards.
    pub annual_cash: Money,
    /// Cash and awards paid over the school year.
    pub school_year_cash: Money,
}

/// The whole roster's totals.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    /// Input rows (evaluated and in error).
    pub rows: u64,
    /// Rows that could not be evaluated.
    pub errors: u64,
    /// Counts and cash totals over the students evaluated (`group` is empty).
    #[serde(flatten)]
    pub students: GroupTotal,
}

/// Why a key-group student receives no cash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GapReason {
    /// The cash program concerned (`""` when no cash program covers the stage).
    pub program: String,
    /// Reason code (the reason catalogue's, or `no_cash_program`).
    pub code: String,
    /// The reason, rendered.
    pub message: String,
}

/// A key-group student with no cash entitlement (应助尽助 gap).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageGap {
    /// Input row.
    pub row: u64,
    /// Student id.
    pub student_id: String,
    /// Stage.
    pub stage: Stage,
    /// Grade.
    pub grade: u8,
    /// School region (defaults applied).
    pub school_region: String,
    /// The key-group statuses that apply.
    pub key_statuses: Vec<HouseholdStatus>,
    /// Why no cash: the refusals of the cash programs of the student's stage.
    pub reasons: Vec<GapReason>,
}

/// A student studying outside the hukou region (外地就读), flagged for the place-of-study
/// check of seed 004: does the student receive aid there, at the national standard?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElsewhereFlag {
    /// Input row.
    pub row: u64,
    /// Student id.
    pub student_id: String,
    /// Stage.
    pub stage: Stage,
    /// Grade.
    pub grade: u8,
    /// Hukou region.
    pub hukou_region: String,
    /// School region.
    pub school_region: String,
    /// Seen from the report's home region (the policy's default region, its last overlay):
    /// `outgoing` (local hukou, studies elsewhere: ask the place of study whether aid is
    /// received, seed 004), `incoming` (hukou elsewhere, studies here: aid is paid here), or
    /// `""` when the report has no home region or neither region is it.
    pub direction: String,
    /// The difficulty level (assessed or derived).
    pub difficulty_level: Option<DifficultyLevel>,
    /// The key-group statuses that apply.
    pub key_statuses: Vec<HouseholdStatus>,
    /// The cash programs the student is entitled to under the report's policy.
    pub cash_programs: Vec<String>,
    /// What those pay over the school year: the standard to check against.
    pub expected_school_year_cash: Money,
    /// The reason, rendered.
    pub message: String,
}

/// A reason code and how many gaps it explains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonCount {
    /// The code (the first reason of each gap).
    pub code: String,
    /// Gaps with that first reason.
    pub students: u64,
}

/// The coverage check (应助尽助: nobody eligible is missed).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// Students in a key group.
    pub key_group_students: u64,
    /// Of them, students receiving cash.
    pub key_group_with_cash: u64,
    /// Key-group students with no cash entitlement, by input row.
    pub gaps: Vec<CoverageGap>,
    /// Gaps by their first reason, most frequent first.
    pub gaps_by_reason: Vec<ReasonCount>,
    /// Gaps by stage (interface.md order).
    pub gaps_by_stage: Vec<ReasonCount>,
    /// Students whose hukou region differs from the school region (all of them).
    pub studying_elsewhere_students: u64,
    /// Those of them who are economically difficult or in a key group, by input row: the
    /// list for the place-of-study check.
    pub studying_elsewhere: Vec<ElsewhereFlag>,
}

/// The roster evaluation report (资助统计表).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterReport {
    /// The as-of date.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub as_of: NaiveDate,
    /// The school year containing it (its autumn and spring terms are paid).
    pub school_year: SchoolYear,
    /// The policy.
    pub policy: PolicySummary,
    /// The whole roster.
    pub totals: Totals,
    /// By kind, in the order cash, award, in-kind, waiver, loan.
    pub by_kind: Vec<KindTotal>,
    /// By program, in catalogue order (overlay programs after, by id).
    pub by_program: Vec<ProgramTotal>,
    /// By stage, in interface.md order.
    pub by_stage: Vec<GroupTotal>,
    /// By school region, by code.
    pub by_region: Vec<GroupTotal>,
    /// The coverage check.
    pub coverage: Coverage,
    /// The first rows in error (all are counted in `totals.errors`).
    pub row_errors: Vec<RowError>,
}

#[derive(Debug, Clone, Default)]
struct ProgramAcc {
    program: String,
    name_zh: String,
    kind: Option<Kind>,
    students: u64,
    without_amount: u64,
    person_times: u64,
    annual_fen: i64,
    school_year_fen: i64,
    /// Payments by term (two terms a school year: a short list beats a map).
    terms: Vec<(Term, (u64, i64))>,
}

impl ProgramAcc {
    fn merge(&mut self, o: ProgramAcc) {
        if self.kind.is_none() {
            self.kind = o.kind;
            self.name_zh = o.name_zh;
            self.program = o.program;
        }
        self.students += o.students;
        self.without_amount += o.without_amount;
        self.person_times += o.person_times;
        self.annual_fen += o.annual_fen;
        self.school_year_fen += o.school_year_fen;
        for (term, (n, fen)) in o.terms {
            match self.terms.iter_mut().find(|(t, _)| *t == term) {
                Some((_, (a, b))) => {
                    *a += n;
                    *b += fen;
                }
                None => self.terms.push((term, (n, fen))),
            }
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct GroupAcc {
    students: u64,
    key_group: u64,
    difficult: u64,
    with_cash: u64,
    person_times: u64,
    cash_person_times: u64,
    annual_cash_fen: i64,
    school_year_cash_fen: i64,
}

impl GroupAcc {
    fn merge(&mut self, o: &GroupAcc) {
        self.students += o.students;
        self.key_group += o.key_group;
        self.difficult += o.difficult;
        self.with_cash += o.with_cash;
        self.person_times += o.person_times;
        self.cash_person_times += o.cash_person_times;
        self.annual_cash_fen += o.annual_cash_fen;
        self.school_year_cash_fen += o.school_year_cash_fen;
    }

    fn total(&self, group: &str) -> GroupTotal {
        GroupTotal {
            group: group.to_string(),
            students: self.students,
            key_group: self.key_group,
            economically_difficult: self.difficult,
            with_cash: self.with_cash,
            person_times: self.person_times,
            cash_person_times: self.cash_person_times,
            annual_cash: Money::from_fen(self.annual_cash_fen),
            school_year_cash: Money::from_fen(self.school_year_cash_fen),
        }
    }
}

/// Add `group` to `map[key]` without allocating a key when it is already there.
fn merge_into(map: &mut BTreeMap<String, GroupAcc>, key: &str, group: &GroupAcc) {
    match map.get_mut(key) {
        Some(acc) => acc.merge(group),
        None => {
            map.insert(key.to_string(), *group);
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct KindAcc {
    students: u64,
    person_times: u64,
    annual_fen: i64,
    school_year_fen: i64,
}

/// The order of kinds in reports: money paid first.
const KIND_ORDER: [Kind; 5] = [
    Kind::Cash,
    Kind::Award,
    Kind::InKind,
    Kind::Waiver,
    Kind::Loan,
];

fn kind_slot(kind: Kind) -> usize {
    KIND_ORDER.iter().position(|k| *k == kind).unwrap_or(0)
}

/// Accumulates a [`RosterReport`] row by row; builders of chunks of one roster merge
/// exactly (see the module documentation).
#[derive(Debug, Clone)]
pub struct ReportBuilder {
    as_of: NaiveDate,
    lang: Lang,
    home_region: String,
    rows: u64,
    errors: u64,
    row_errors: Vec<RowError>,
    totals: GroupAcc,
    /// National programs, by catalogue position.
    catalogue: Vec<ProgramAcc>,
    /// Overlay programs, by id.
    programs: BTreeMap<String, ProgramAcc>,
    kinds: [KindAcc; 5],
    stages: BTreeMap<String, GroupAcc>,
    regions: BTreeMap<String, GroupAcc>,
    gaps: Vec<CoverageGap>,
    elsewhere_students: u64,
    elsewhere: Vec<ElsewhereFlag>,
}

impl ReportBuilder {
    /// An empty report as of `as_of`, with messages in `lang`.
    pub fn new(as_of: NaiveDate, lang: Lang) -> ReportBuilder {
        ReportBuilder {
            as_of,
            lang,
            home_region: String::new(),
            rows: 0,
            errors: 0,
            row_errors: Vec::new(),
            totals: GroupAcc::default(),
            catalogue: Vec::new(),
            programs: BTreeMap::new(),
            kinds: [KindAcc::default(); 5],
            stages: BTreeMap::new(),
            regions: BTreeMap::new(),
            gaps: Vec::new(),
            elsewhere_students: 0,
            elsewhere: Vec::new(),
        }
    }

    /// A builder matching `evaluator`: its as-of date and language, and its policy's
    /// default region (the last overlay loaded) as the home region.
    pub fn for_evaluator(evaluator: &Evaluator) -> ReportBuilder {
        ReportBuilder::new(evaluator.as_of(), evaluator.lang())
            .with_home_region(evaluator.policy().default_region().unwrap_or(""))
    }

    /// The region the report is made for (decides the direction of students studying
    /// outside their hukou region); empty = none.
    pub fn with_home_region(mut self, region: &str) -> ReportBuilder {
        self.home_region = region.to_string();
        self
    }

    /// Evaluate input row `row` (1-based) and add it: a profile, or the error that made the
    /// row unreadable. Returns the evaluation, for callers that also write per-student
    /// output.
    pub fn add_row(
        &mut self,
        evaluator: &mut Evaluator,
        row: u64,
        profile: Result<Profile>,
    ) -> Option<Arc<Evaluation>> {
        match profile {
            Err(e) => {
                self.add_error(row, "", &e);
                None
            }
            Ok(p) => match evaluator.evaluate(&p) {
                Ok(ev) => {
                    self.add(row, &p, &ev);
                    Some(ev)
                }
                Err(e) => {
                    self.add_error(row, &p.student_id, &e);
                    None
                }
            },
        }
    }

    /// Count row `row` as an error.
    pub fn add_error(&mut self, row: u64, student_id: &str, error: &Error) {
        self.rows += 1;
        self.errors += 1;
        if self.row_errors.len() < MAX_LISTED_ERRORS {
            self.row_errors.push(RowError::new(row, student_id, error));
        }
    }

    /// Add the evaluated student of input row `row`.
    pub fn add(&mut self, row: u64, profile: &Profile, ev: &Evaluation) {
        self.rows += 1;
        let mut group = GroupAcc {
            students: 1,
            key_group: u64::from(ev.key_group),
            difficult: u64::from(ev.difficulty_level.is_some()),
            with_cash: u64::from(ev.has_cash()),
            ..GroupAcc::default()
        };
        let mut kinds_seen = [false; 5];
        for (e, f) in ev.with_figures() {
            let acc = match f.rank {
                Some(rank) => {
                    if self.catalogue.len() <= rank {
                        self.catalogue.resize_with(rank + 1, ProgramAcc::default);
                    }
                    self.catalogue.get_mut(rank)
                }
                None => {
                    if !self.programs.contains_key(e.program.as_ref()) {
                        self.programs
                            .insert(e.program.to_string(), ProgramAcc::default());
                    }
                    self.programs.get_mut(e.program.as_ref())
                }
            };
            let Some(acc) = acc else { continue };
            if acc.kind.is_none() {
                acc.kind = Some(e.kind);
                acc.name_zh = e.name_zh.to_string();
                acc.program = e.program.to_string();
            }
            let payments = f.terms.len() as u64;
            let annual = f.annual_fen.unwrap_or(0);
            let year = f.year_fen;
            acc.students += 1;
            acc.without_amount += u64::from(f.annual_fen.is_none());
            acc.person_times += payments;
            acc.annual_fen += annual;
            acc.school_year_fen += year;
            for (term, fen) in &f.terms {
                match acc.terms.iter_mut().find(|(t, _)| t == term) {
                    Some((_, (n, sum))) => {
                        *n += 1;
                        *sum += fen;
                    }
                    None => acc.terms.push((*term, (1, *fen))),
                }
            }
            let slot = kind_slot(e.kind);
            if let Some(k) = self.kinds.get_mut(slot) {
                k.person_times += payments;
                k.annual_fen += annual;
                k.school_year_fen += year;
            }
            if let Some(seen) = kinds_seen.get_mut(slot) {
                *seen = true;
            }
            group.person_times += payments;
            if e.kind.counts_as_cash() {
                group.cash_person_times += payments;
                group.annual_cash_fen += annual;
                group.school_year_cash_fen += year;
            }
        }
        for (k, seen) in self.kinds.iter_mut().zip(kinds_seen) {
            k.students += u64::from(seen);
        }
        self.totals.merge(&group);
        merge_into(&mut self.stages, profile.stage.as_str(), &group);
        merge_into(&mut self.regions, &ev.school_region, &group);
        if ev.key_group && !ev.has_cash() {
            self.gaps.push(self.gap(row, profile, ev));
        }
        if !ev.hukou_region.is_empty()
            && !ev.school_region.is_empty()
            && ev.hukou_region != ev.school_region
        {
            self.elsewhere_students += 1;
            if ev.key_group || ev.difficulty_level.is_some() {
                self.elsewhere.push(self.elsewhere_flag(row, profile, ev));
            }
        }
    }

    fn gap(&self, row: u64, profile: &Profile, ev: &Evaluation) -> CoverageGap {
        let mut reasons = Vec::new();
        // A cash entitlement without an amount: the region sets the standard and no
        // overlay loaded one (preschool aid, programs.md).
        for e in &ev.entitlements {
            if e.kind.counts_as_cash() && e.annual_amount.is_none_or(|a| a <= Money::ZERO) {
                let reason = e
                    .because
                    .iter()
                    .find(|r| r.code == "regional_standard_missing");
                reasons.push(GapReason {
                    program: e.program.to_string(),
                    code: "regional_standard_missing".into(),
                    message: reason.map(|r| r.message.to_string()).unwrap_or_else(|| {
                        say(
                            self.lang,
                            "no amount is set for this program".into(),
                            "该项目未设定资助标准".into(),
                        )
                    }),
                });
            }
        }
        // The refusals of the cash programs that cover the student's stage.
        for n in &ev.not_eligible {
            if catalogue_kind(&n.program) != Some(Kind::Cash)
                || n.because.iter().any(|r| r.code == "stage_not_covered")
            {
                continue;
            }
            for r in &n.because {
                reasons.push(GapReason {
                    program: n.program.to_string(),
                    code: r.code.to_string(),
                    message: r.message.to_string(),
                });
            }
        }
        if reasons.is_empty() {
            reasons.push(GapReason {
                program: String::new(),
                code: "no_cash_program".into(),
                message: say(
                    self.lang,
                    format!("no cash program covers stage {}", profile.stage),
                    format!("{}学段没有现金资助项目", profile.stage),
                ),
            });
        }
        CoverageGap {
            row,
            student_id: profile.student_id.clone(),
            stage: profile.stage,
            grade: profile.grade,
            school_region: ev.school_region.clone(),
            key_statuses: ev.key_statuses.clone(),
            reasons,
        }
    }

    fn elsewhere_flag(&self, row: u64, profile: &Profile, ev: &Evaluation) -> ElsewhereFlag {
        let cash: Vec<String> = ev
            .entitlements
            .iter()
            .filter(|e| e.kind.counts_as_cash())
            .map(|e| e.program.to_string())
            .collect();
        let expected = ev.school_year_cash_total();
        let home = self.home_region.as_str();
        let direction = if home.is_empty() {
            ""
        } else if crate::policy::region_covers(home, &ev.hukou_region)
            && !crate::policy::region_covers(home, &ev.school_region)
        {
            "outgoing"
        } else if crate::policy::region_covers(home, &ev.school_region)
            && !crate::policy::region_covers(home, &ev.hukou_region)
        {
            "incoming"
        } else {
            ""
        };
        let (h, s) = (&ev.hukou_region, &ev.school_region);
        let message = match direction {
            "incoming" => say(
                self.lang,
                format!(
                    "hukou in {h}, studies here in {s}: aid is paid by the place of study; \
                     entitled to {expected} yuan this school year"
                ),
                format!("户籍地{h}、在本地{s}就读：由就读地落实资助，本学年应享受{expected}元"),
            ),
            _ => say(
                self.lang,
                format!(
                    "hukou in {h}, studies in {s}: check with the place of study that aid is \
                     received at the national standard (seed 004); entitled to {expected} yuan \
                     this school year"
                ),
                format!(
                    "户籍地{h}、就读地{s}：请向就读地核实是否按国家标准享受资助（外地就读监督）；本学年应享受{expected}元"
                ),
            ),
        };
        ElsewhereFlag {
            row,
            student_id: profile.student_id.clone(),
            stage: profile.stage,
            grade: profile.grade,
            hukou_region: ev.hukou_region.clone(),
            school_region: ev.school_region.clone(),
            direction: direction.into(),
            difficulty_level: ev.difficulty_level,
            key_statuses: ev.key_statuses.clone(),
            cash_programs: cash,
            expected_school_year_cash: expected,
            message,
        }
    }

    /// Add the rows of another builder of the same roster (another chunk).
    pub fn merge(&mut self, other: ReportBuilder) {
        self.rows += other.rows;
        self.errors += other.errors;
        self.row_errors.extend(other.row_errors);
        self.totals.merge(&other.totals);
        if self.catalogue.len() < other.catalogue.len() {
            self.catalogue
                .resize_with(other.catalogue.len(), ProgramAcc::default);
        }
        for (acc, o) in self.catalogue.iter_mut().zip(other.catalogue) {
            acc.merge(o);
        }
        for (id, o) in other.programs {
            self.programs.entry(id).or_default().merge(o);
        }
        for (k, o) in self.kinds.iter_mut().zip(other.kinds) {
            k.students += o.students;
            k.person_times += o.person_times;
            k.annual_fen += o.annual_fen;
            k.school_year_fen += o.school_year_fen;
        }
        for (s, o) in other.stages {
            self.stages.entry(s).or_default().merge(&o);
        }
        for (r, o) in other.regions {
            self.regions.entry(r).or_default().merge(&o);
        }
        self.gaps.extend(other.gaps);
        self.elsewhere_students += other.elsewhere_students;
        self.elsewhere.extend(other.elsewhere);
    }

    /// The report, under `policy` (named in the report).
    pub fn finish(mut self, policy: &Policy) -> RosterReport {
        self.row_errors.sort_by_key(|e| e.row);
        self.row_errors.truncate(MAX_LISTED_ERRORS);
        self.gaps.sort_by_key(|g| g.row);
        self.elsewhere.sort_by_key(|g| g.row);
        let mut by_program: Vec<ProgramTotal> = self
            .catalogue
            .into_iter()
            .filter(|a| a.students > 0)
            .chain(self.programs.into_values())
            .map(|a| {
                let mut terms = a.terms;
                terms.sort_by_key(|(t, _)| *t);
                ProgramTotal {
                    program: a.program,
                    name_zh: a.name_zh,
                    kind: a.kind.unwrap_or(Kind::Cash),
                    students: a.students,
                    students_without_amount: a.without_amount,
                    person_times: a.person_times,
                    annual_amount: Money::from_fen(a.annual_fen),
                    school_year_total: Money::from_fen(a.school_year_fen),
                    terms: terms
                        .into_iter()
                        .map(|(term, (n, fen))| TermTotal {
                            term,
                            person_times: n,
                            amount: Money::from_fen(fen),
                        })
                        .collect(),
                }
            })
            .collect();
        by_program.sort_by(|a, b| {
            (catalogue_rank(&a.program), &a.program).cmp(&(catalogue_rank(&b.program), &b.program))
        });
        let by_kind = KIND_ORDER
            .iter()
            .zip(self.kinds)
            .filter(|(_, k)| k.students > 0)
            .map(|(kind, k)| KindTotal {
                kind: *kind,
                students: k.students,
                person_times: k.person_times,
                annual_amount: Money::from_fen(k.annual_fen),
                school_year_total: Money::from_fen(k.school_year_fen),
            })
            .collect();
        let mut by_stage: Vec<GroupTotal> = self.stages.iter().map(|(s, a)| a.total(s)).collect();
        by_stage.sort_by_key(|g| stage_rank(&g.group));
        let by_region = self.regions.iter().map(|(r, a)| a.total(r)).collect();
        let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
        let mut stages: BTreeMap<usize, (String, u64)> = BTreeMap::new();
        for g in &self.gaps {
            let code = g
                .reasons
                .first()
                .map(|r| r.code.clone())
                .unwrap_or_default();
            *reasons.entry(code).or_default() += 1;
            let s = stages
                .entry(stage_rank(g.stage.as_str()))
                .or_insert_with(|| (g.stage.as_str().to_string(), 0));
            s.1 += 1;
        }
        let mut gaps_by_reason: Vec<ReasonCount> = reasons
            .into_iter()
            .map(|(code, students)| ReasonCount { code, students })
            .collect();
        gaps_by_reason.sort_by(|a, b| b.students.cmp(&a.students).then(a.code.cmp(&b.code)));
        let gaps_by_stage = stages
            .into_values()
            .map(|(code, students)| ReasonCount { code, students })
            .collect();
        RosterReport {
            as_of: self.as_of,
            school_year: SchoolYear::containing(self.as_of),
            policy: PolicySummary::of(policy, self.as_of),
            totals: Totals {
                rows: self.rows,
                errors: self.errors,
                students: self.totals.total(""),
            },
            by_kind,
            by_program,
            by_stage,
            by_region,
            coverage: Coverage {
                key_group_students: self.totals.key_group,
                key_group_with_cash: self.totals.key_group - self.gaps.len() as u64,
                gaps: self.gaps,
                gaps_by_reason,
                gaps_by_stage,
                studying_elsewhere_students: self.elsewhere_students,
                studying_elsewhere: self.elsewhere,
            },
            row_errors: self.row_errors,
        }
    }
}

/// The report of a whole roster (rows numbered from 1), single-threaded. An error only
/// when the whole report cannot run (`as_of` outside the policy's coverage); bad rows are
/// counted and listed in the report.
pub fn roster_report<I>(
    rows: I,
    as_of: NaiveDate,
    policy: &Policy,
    lang: Lang,
) -> Result<RosterReport>
where
    I: IntoIterator<Item = Result<Profile>>,
{
    let mut evaluator = Evaluator::new(policy, as_of, lang)?;
    let mut builder = ReportBuilder::for_evaluator(&evaluator);
    for (i, row) in rows.into_iter().enumerate() {
        builder.add_row(&mut evaluator, i as u64 + 1, row);
    }
    Ok(builder.finish(policy))
}

impl RosterReport {
    /// The report for `profiles` (convenience over [`roster_report`]).
    pub fn of(
        profiles: &[Profile],
        as_of: NaiveDate,
        policy: &Policy,
        lang: Lang,
    ) -> Result<RosterReport> {
        roster_report(profiles.iter().cloned().map(Ok), as_of, policy, lang)
    }

    /// The report's summary as one flat table (for CSV): a `section` column (`total`,
    /// `kind`, `program`, `stage`, `region`, `gap_reason`), a `key` and the counts and
    /// amounts that apply to the section (empty cells where a column does not apply).
    pub fn summary_table(&self) -> (Vec<&'static str>, Vec<Vec<String>>) {
        let columns = vec![
            "section",
            "key",
            "name_zh",
            "kind",
            "students",
            "key_group",
            "economically_difficult",
            "with_cash",
            "person_times",
            "cash_person_times",
            "annual_amount",
            "school_year_total",
        ];
        let mut rows = Vec::new();
        let group_row = |section: &str, g: &GroupTotal| {
            vec![
                section.to_string(),
                g.group.clone(),
                String::new(),
                String::new(),
                g.students.to_string(),
                g.key_group.to_string(),
                g.economically_difficult.to_string(),
                g.with_cash.to_string(),
                g.person_times.to_string(),
                g.cash_person_times.to_string(),
                g.annual_cash.to_string(),
                g.school_year_cash.to_string(),
            ]
        };
        rows.push(group_row("total", &self.totals.students));
        for k in &self.by_kind {
            rows.push(vec![
                "kind".into(),
                k.kind.as_str().into(),
                String::new(),
                k.kind.as_str().into(),
                k.students.to_string(),
                String::new(),
                String::new(),
                String::new(),
                k.person_times.to_string(),
                String::new(),
                k.annual_amount.to_string(),
                k.school_year_total.to_string(),
            ]);
        }
        for p in &self.by_program {
            rows.push(vec![
                "program".into(),
                p.program.clone(),
                p.name_zh.clone(),
                p.kind.as_str().into(),
                p.students.to_string(),
                String::new(),
                String::new(),
                String::new(),
                p.person_times.to_string(),
                if p.kind.counts_as_cash() {
                    p.person_times.to_string()
                } else {
                    String::new()
                },
                p.annual_amount.to_string(),
                p.school_year_total.to_string(),
            ]);
        }
        for s in &self.by_stage {
            rows.push(group_row("stage", s));
        }
        for r in &self.by_region {
            rows.push(group_row("region", r));
        }
        for g in &self.coverage.gaps_by_reason {
            let mut row = vec![String::new(); columns.len()];
            if let Some(c) = row.get_mut(0) {
                *c = "gap_reason".into();
            }
            if let Some(c) = row.get_mut(1) {
                c.clone_from(&g.code);
            }
            if let Some(c) = row.get_mut(4) {
                *c = g.students.to_string();
            }
            rows.push(row);
        }
        (columns, rows)
    }
}

/// One row of the per-student output (one per student and program entitled): the long
/// result table of interface.md ("Rosters as tables").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntitlementRow {
    /// Input row.
    pub row: u64,
    /// Student id.
    pub student_id: String,
    /// Program id.
    pub program: String,
    /// What it gives.
    pub kind: Kind,
    /// Annual standard (null when a regional standard is missing).
    pub annual_amount: Option<Money>,
    /// The school-year total.
    pub school_year_total: Option<Money>,
    /// The autumn payment of the school year, if any.
    pub autumn: Option<Money>,
    /// The spring payment of the school year, if any.
    pub spring: Option<Money>,
}

impl EntitlementRow {
    /// The columns of the CSV form, in order.
    pub const COLUMNS: [&'static str; 8] = [
        "row",
        "student_id",
        "program",
        "kind",
        "annual_amount",
        "school_year_total",
        "autumn",
        "spring",
    ];

    /// The rows of one evaluated student.
    pub fn of(row: u64, student_id: &str, ev: &Evaluation) -> Vec<EntitlementRow> {
        ev.entitlements
            .iter()
            .map(|e| {
                let term = |season| {
                    e.payments
                        .iter()
                        .find(|p| p.term.season == season)
                        .map(|p| p.amount)
                };
                EntitlementRow {
                    row,
                    student_id: student_id.to_string(),
                    program: e.program.to_string(),
                    kind: e.kind,
                    annual_amount: e.annual_amount,
                    school_year_total: e.school_year_total,
                    autumn: term(crate::calendar::Season::Autumn),
                    spring: term(crate::calendar::Season::Spring),
                }
            })
            .collect()
    }

    /// The CSV cells, in [`EntitlementRow::COLUMNS`] order.
    pub fn cells(&self) -> Vec<String> {
        let m = |v: Option<Money>| v.map(|m| m.to_string()).unwrap_or_default();
        vec![
            self.row.to_string(),
            self.student_id.clone(),
            self.program.clone(),
            self.kind.as_str().into(),
            m(self.annual_amount),
            m(self.school_year_total),
            m(self.autumn),
            m(self.spring),
        ]
    }
}
