//! Registry reconciliation (精准识别 / 信息比对): the poverty registry (建档立卡 and
//! monitoring-object household members) matched against enrolment records (学籍) by
//! resident ID, as seeds 000 (twice-yearly cross-check, every registered-poor student
//! located and flagged) and 002 (each registered-poor family's student matched against the
//! student registry, stage and grade fixed) describe, with the school-age screening of
//! seed 004 (children of lifted-out and monitored households checked for enrolment).
//!
//! Outputs ([`Reconciliation`]):
//! - matched students, with their stage and grade (and whether they study outside the
//!   region of their registration, seed 004);
//! - registry children of compulsory-school age (6–15 on the as-of date, programs.md) found
//!   in no enrolment: the feed for dropout detection (控辍保学, suspected out of school);
//! - enrolment records claiming a status the registry does not confirm;
//! - invalid resident IDs (length, characters, birth date, GB 11643 check character) and
//!   IDs listed twice.
//!
//! Resident IDs and names are personal data: every output and message shows them masked
//! ([`crate::resident_id::mask`], [`crate::resident_id::mask_name`]); the input types'
//! `Debug` masks them too. Pure: the as-of date is an argument; reading files is the
//! caller's job (this module parses one row's cells or one JSON line at a time).

use crate::profile::{HouseholdStatus, Stage};
use crate::resident_id::{mask, mask_name, ResidentId};
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::fmt;

/// One member of a poverty-registry household (扶贫/防返贫监测系统 户成员).
#[derive(Clone, PartialEq, Eq)]
pub struct RegistryMember {
    /// 1-based record number in the registry input.
    pub row: u64,
    /// Household id (户编号).
    pub household_id: String,
    /// Resident ID as given (validated by [`reconcile`]).
    pub resident_id: String,
    /// Name (姓名); shown masked only.
    pub name: String,
    /// The household's statuses in the registry (脱贫户, 监测对象 kinds, ...).
    pub statuses: Vec<HouseholdStatus>,
    /// The monitoring risk has been removed (已消除风险).
    pub monitoring_risk_removed: bool,
    /// The region of the household (GB/T 2260), if given.
    pub region: String,
}

impl fmt::Debug for RegistryMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistryMember")
            .field("row", &self.row)
            .field("household_id", &self.household_id)
            .field("resident_id", &mask(&self.resident_id))
            .field("name", &mask_name(&self.name))
            .field("statuses", &self.statuses)
            .field("monitoring_risk_removed", &self.monitoring_risk_removed)
            .field("region", &self.region)
            .finish()
    }
}

/// One enrolment record (学籍).
#[derive(Clone, PartialEq, Eq)]
pub struct EnrolmentRecord {
    /// 1-based record number in the enrolment input.
    pub row: u64,
    /// Student id (学籍号 or the school's id).
    pub student_id: String,
    /// Resident ID as given.
    pub resident_id: String,
    /// Name; shown masked only.
    pub name: String,
    /// Stage.
    pub stage: Stage,
    /// Grade.
    pub grade: u8,
    /// School name or code, if given.
    pub school: String,
    /// School region, if given.
    pub school_region: String,
    /// Hukou region, if given.
    pub hukou_region: String,
    /// Household statuses the record claims (e.g. flagged 建档立卡 in the student registry).
    pub statuses: Vec<HouseholdStatus>,
    /// The record itself says the monitoring risk is removed (its monitored statuses are then
    /// not a claim of current monitoring).
    pub monitoring_risk_removed: bool,
}

impl fmt::Debug for EnrolmentRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnrolmentRecord")
            .field("row", &self.row)
            .field("student_id", &self.student_id)
            .field("resident_id", &mask(&self.resident_id))
            .field("name", &mask_name(&self.name))
            .field("stage", &self.stage)
            .field("grade", &self.grade)
            .field("school", &self.school)
            .field("school_region", &self.school_region)
            .field("hukou_region", &self.hukou_region)
            .field("statuses", &self.statuses)
            .field("monitoring_risk_removed", &self.monitoring_risk_removed)
            .finish()
    }
}

/// The Chinese name of a household status (家庭类别), as registries write it.
pub fn status_zh(status: HouseholdStatus) -> &'static str {
    match status {
        HouseholdStatus::LiftedOutOfPoverty => "脱贫家庭",
        HouseholdStatus::MonitoredUnstable => "脱贫不稳定户",
        HouseholdStatus::MonitoredMarginal => "边缘易致贫户",
        HouseholdStatus::MonitoredSuddenHardship => "突发严重困难户",
        HouseholdStatus::Dibao => "低保",
        HouseholdStatus::Tekun => "特困供养",
        HouseholdStatus::Orphan => "孤儿",
        HouseholdStatus::DeFactoUnsupported => "事实无人抚养儿童",
        HouseholdStatus::MartyrChild => "烈士子女",
        HouseholdStatus::DisabledParent => "残疾人子女",
    }
}

/// The columns of a registry table (CSV header or JSON keys). Required: `household_id`,
/// `resident_id`, `status`.
pub const REGISTRY_COLUMNS: &[&str] = &[
    "household_id",
    "resident_id",
    "name",
    "status",
    "monitoring_risk_removed",
    "region",
];

/// The columns of an enrolment table. Required: `resident_id`, `stage`, `grade`. The other
/// columns of a flattened roster ([`crate::roster::COLUMNS`]) are accepted and ignored, so a
/// roster file serves as enrolment.
pub const ENROLMENT_COLUMNS: &[&str] = &[
    "student_id",
    "resident_id",
    "name",
    "stage",
    "grade",
    "school",
    "school_region",
    "hukou_region",
    "household_statuses",
    "monitoring_risk_removed",
];

/// Parse a registry status: the interface.md name, or the Chinese term a registry export
/// uses (脱贫户, 脱贫不稳定户, 边缘易致贫户, 突发严重困难户, 低保户, 特困供养, 孤儿, ...).
pub fn parse_status(field: &str, text: &str) -> Result<HouseholdStatus> {
    let status = match text.trim() {
        "脱贫户" | "脱贫家庭" | "脱贫人口" | "建档立卡" | "建档立卡户" | "建档立卡贫困户" => {
            HouseholdStatus::LiftedOutOfPoverty
        }
        "脱贫不稳定户" => HouseholdStatus::MonitoredUnstable,
        "边缘易致贫户" => HouseholdStatus::MonitoredMarginal,
        "突发严重困难户" => HouseholdStatus::MonitoredSuddenHardship,
        "低保" | "低保户" | "最低生活保障" => HouseholdStatus::Dibao,
        "特困" | "特困供养" | "特困人员" => HouseholdStatus::Tekun,
        "孤儿" => HouseholdStatus::Orphan,
        "事实无人抚养儿童" => HouseholdStatus::DeFactoUnsupported,
        "烈士子女" => HouseholdStatus::MartyrChild,
        "残疾人子女" => HouseholdStatus::DisabledParent,
        other => return HouseholdStatus::parse(field, other),
    };
    Ok(status)
}

/// Parse a boolean cell: true/false, 1/0, yes/no, 是/否.
fn parse_bool(column: &str, v: &str) -> Result<bool> {
    match v.trim() {
        "是" => Ok(true),
        "否" => Ok(false),
        other => Ok(crate::roster::opt_bool(column, Some(other))?.unwrap_or(false)),
    }
}

fn statuses(column: &str, cell: &str) -> Result<Vec<HouseholdStatus>> {
    let mut out: Vec<HouseholdStatus> = Vec::new();
    for (i, s) in cell
        .split([',', '，', ';', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .enumerate()
    {
        let status = parse_status(&format!("{column}[{i}]"), s)?;
        if !out.contains(&status) {
            out.push(status);
        }
    }
    Ok(out)
}

/// Maps a table's header to the columns of a registry or enrolment table.
#[derive(Debug, Clone)]
pub struct TableHeader {
    columns: &'static [&'static str],
    index: Vec<Option<usize>>,
}

impl TableHeader {
    fn new<S: AsRef<str>>(
        names: &[S],
        columns: &'static [&'static str],
        ignored: &[&str],
        required: &[&str],
    ) -> Result<TableHeader> {
        let mut index = vec![None; columns.len()];
        for (i, name) in names.iter().enumerate() {
            let name = name.as_ref().trim().trim_start_matches('\u{feff}');
            match columns.iter().position(|c| *c == name) {
                Some(col) => {
                    if let Some(slot) = index.get_mut(col) {
                        if slot.is_some() {
                            return Err(Error::invalid(
                                name,
                                "duplicate",
                                format!("column '{name}' appears twice"),
                            ));
                        }
                        *slot = Some(i);
                    }
                }
                None if ignored.contains(&name) => {}
                None => {
                    // A misplaced header may hold a name or an ID: echo it masked.
                    let shown = crate::json::echo(name);
                    return Err(Error::invalid(
                        shown.clone(),
                        "unknown_column",
                        format!(
                            "unknown column '{shown}'; expected any of {}",
                            columns.join(", ")
                        ),
                    ));
                }
            }
        }
        for r in required {
            let col = columns.iter().position(|c| c == r);
            if col.and_then(|c| index.get(c).copied().flatten()).is_none() {
                return Err(Error::invalid(
                    *r,
                    "missing_column",
                    format!("the table has no '{r}' column"),
                ));
            }
        }
        Ok(TableHeader { columns, index })
    }

    /// The header of a registry table.
    pub fn registry<S: AsRef<str>>(names: &[S]) -> Result<TableHeader> {
        TableHeader::new(
            names,
            REGISTRY_COLUMNS,
            &[],
            &["household_id", "resident_id", "status"],
        )
    }

    /// The header of an enrolment table (roster columns accepted).
    pub fn enrolment<S: AsRef<str>>(names: &[S]) -> Result<TableHeader> {
        TableHeader::new(
            names,
            ENROLMENT_COLUMNS,
            crate::roster::COLUMNS,
            &["resident_id", "stage", "grade"],
        )
    }

    fn cell<'a, S: AsRef<str>>(&self, record: &'a [S], column: &str) -> Option<&'a str> {
        let col = self.columns.iter().position(|c| *c == column)?;
        let i = (*self.index.get(col)?)?;
        let v = record.get(i)?.as_ref().trim();
        (!v.is_empty()).then_some(v)
    }

    fn required<'a, S: AsRef<str>>(&self, record: &'a [S], column: &str) -> Result<&'a str> {
        self.cell(record, column).ok_or_else(|| {
            Error::invalid(
                column,
                "missing_field",
                format!("'{column}' is required and empty"),
            )
        })
    }

    /// A registry member from record number `row` (cells in header order).
    pub fn member<S: AsRef<str>>(&self, row: u64, record: &[S]) -> Result<RegistryMember> {
        let household_id = self.required(record, "household_id")?.to_string();
        let resident_id = self.required(record, "resident_id")?.to_string();
        let statuses = statuses("status", self.required(record, "status")?)?;
        Ok(RegistryMember {
            row,
            household_id,
            resident_id,
            name: self.cell(record, "name").unwrap_or_default().to_string(),
            statuses,
            monitoring_risk_removed: self
                .cell(record, "monitoring_risk_removed")
                .map(|v| parse_bool("monitoring_risk_removed", v))
                .transpose()?
                .unwrap_or(false),
            region: self.region(record, "region")?,
        })
    }

    /// An enrolment record from record number `row`.
    pub fn record<S: AsRef<str>>(&self, row: u64, record: &[S]) -> Result<EnrolmentRecord> {
        let resident_id = self.required(record, "resident_id")?.to_string();
        let stage = Stage::parse("stage", self.required(record, "stage")?)?;
        let grade = crate::roster::parse_int("grade", self.required(record, "grade")?)?;
        if grade < 1 || grade > stage.max_grade() {
            return Err(Error::invalid(
                "grade",
                "out_of_range",
                format!(
                    "grade {grade} is impossible for stage {stage}: expected 1 to {}",
                    stage.max_grade()
                ),
            ));
        }
        Ok(EnrolmentRecord {
            row,
            student_id: self
                .cell(record, "student_id")
                .unwrap_or_default()
                .to_string(),
            resident_id,
            name: self.cell(record, "name").unwrap_or_default().to_string(),
            stage,
            grade,
            school: self.cell(record, "school").unwrap_or_default().to_string(),
            school_region: self.region(record, "school_region")?,
            hukou_region: self.region(record, "hukou_region")?,
            statuses: self
                .cell(record, "household_statuses")
                .map(|c| statuses("household_statuses", c))
                .transpose()?
                .unwrap_or_default(),
            monitoring_risk_removed: self
                .cell(record, "monitoring_risk_removed")
                .map(|v| parse_bool("monitoring_risk_removed", v))
                .transpose()?
                .unwrap_or(false),
        })
    }

    fn region<S: AsRef<str>>(&self, record: &[S], column: &str) -> Result<String> {
        match self.cell(record, column) {
            None => Ok(String::new()),
            Some(code) if crate::profile::is_region_code(code) => Ok(code.to_string()),
            Some(code) => Err(Error::invalid(
                column,
                "invalid_region",
                format!(
                    "'{}' is not a region code: expected six digits (GB/T 2260)",
                    crate::json::clip(code)
                ),
            )),
        }
    }
}

/// The keys and cells of one flat JSON object (a JSON-lines row of a registry or
/// enrolment table): strings as they are, numbers and booleans as text, null as empty, a
/// list of strings joined with commas. Errors name the key.
pub fn json_cells(text: &str) -> Result<(Vec<String>, Vec<String>)> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| crate::json::path_error(String::new(), &e))?;
    let serde_json::Value::Object(map) = value else {
        return Err(Error::invalid(
            "",
            "invalid_type",
            "a row must be a JSON object",
        ));
    };
    let mut names = Vec::with_capacity(map.len());
    let mut cells = Vec::with_capacity(map.len());
    for (k, v) in map {
        let cell = match v {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s,
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Array(items) => {
                let mut parts = Vec::new();
                for (i, item) in items.into_iter().enumerate() {
                    match item {
                        serde_json::Value::String(s) => parts.push(s),
                        _ => {
                            return Err(Error::invalid(
                                format!("{k}[{i}]"),
                                "invalid_type",
                                "expected a string",
                            ))
                        }
                    }
                }
                parts.join(",")
            }
            serde_json::Value::Object(_) => {
                return Err(Error::invalid(
                    k.as_str(),
                    "invalid_type",
                    "expected a string, a number, a boolean, null or a list of strings",
                ))
            }
        };
        names.push(k);
        cells.push(cell);
    }
    Ok((names, cells))
}

/// A registry member from one JSON line (record number `row`).
pub fn member_from_json(row: u64, text: &str) -> Result<RegistryMember> {
    let (names, cells) = json_cells(text)?;
    TableHeader::registry(&names)?.member(row, &cells)
}

/// An enrolment record from one JSON line (record number `row`).
pub fn record_from_json(row: u64, text: &str) -> Result<EnrolmentRecord> {
    let (names, cells) = json_cells(text)?;
    TableHeader::enrolment(&names)?.record(row, &cells)
}

/// A registry member matched with an enrolment record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchedStudent {
    /// Registry row.
    pub registry_row: u64,
    /// Enrolment row.
    pub enrolment_row: u64,
    /// Household id.
    pub household_id: String,
    /// Resident ID, masked.
    pub resident_id: String,
    /// Name, masked (the registry's).
    pub name: String,
    /// The registry's statuses.
    pub statuses: Vec<HouseholdStatus>,
    /// The registry says the monitoring risk is removed.
    pub monitoring_risk_removed: bool,
    /// Student id.
    pub student_id: String,
    /// Stage (from enrolment).
    pub stage: Stage,
    /// Grade (from enrolment).
    pub grade: u8,
    /// School, if given.
    pub school: String,
    /// School region, if given.
    pub school_region: String,
    /// Age on the as-of date (from the resident ID).
    pub age: u32,
    /// The school region differs from the household's (registry region, else the
    /// enrolment's hukou region): check aid at the place of study (外地就读, seed 004).
    pub studying_elsewhere: bool,
}

/// A registry child of compulsory-school age found in no enrolment (疑似失学辍学).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotEnrolled {
    /// Registry row.
    pub registry_row: u64,
    /// Household id.
    pub household_id: String,
    /// Resident ID, masked.
    pub resident_id: String,
    /// Name, masked.
    pub name: String,
    /// The registry's statuses.
    pub statuses: Vec<HouseholdStatus>,
    /// Household region, if given.
    pub region: String,
    /// Age on the as-of date.
    pub age: u32,
    /// The stage a child of that age would normally attend (primary 6–11, junior 12–15).
    pub expected_stage: Stage,
    /// Why it is listed.
    pub message: String,
}

/// An enrolment record claiming a status the registry does not confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnconfirmedClaim {
    /// Enrolment row.
    pub enrolment_row: u64,
    /// Student id.
    pub student_id: String,
    /// Resident ID, masked.
    pub resident_id: String,
    /// Name, masked.
    pub name: String,
    /// The status claimed.
    pub claimed: HouseholdStatus,
    /// The statuses the registry holds for the ID (empty: not in the registry).
    pub registry_statuses: Vec<HouseholdStatus>,
    /// `not_in_registry`, `status_differs` or `risk_removed`.
    pub code: String,
    /// Why.
    pub message: String,
}

/// Which input a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The poverty registry.
    Registry,
    /// The enrolment records.
    Enrolment,
}

impl Source {
    /// `registry` or `enrolment`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Registry => "registry",
            Source::Enrolment => "enrolment",
        }
    }

    /// The input's name in `lang` (扶贫系统 / 学籍).
    pub fn name(self, lang: crate::Lang) -> &'static str {
        match (self, lang) {
            (_, crate::Lang::En) => self.as_str(),
            (Source::Registry, crate::Lang::Zh) => "扶贫系统",
            (Source::Enrolment, crate::Lang::Zh) => "学籍",
        }
    }
}

/// A resident ID that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidId {
    /// The input.
    pub source: Source,
    /// Its row.
    pub row: u64,
    /// The id as given, masked.
    pub resident_id: String,
    /// Problem code (see [`crate::resident_id::IdProblem`]).
    pub code: String,
    /// Why (the number masked).
    pub message: String,
}

/// A resident ID listed more than once in one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateId {
    /// The input.
    pub source: Source,
    /// The rows that hold it.
    pub rows: Vec<u64>,
    /// The id, masked.
    pub resident_id: String,
}

/// A row of an input that could not be read (filled by the caller that parses the files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputError {
    /// The input.
    pub source: Source,
    /// Its row.
    pub row: u64,
    /// The offending column.
    pub field: String,
    /// Stable code.
    pub code: String,
    /// Why (identity numbers masked).
    pub message: String,
}

impl InputError {
    /// An input error from a library error (its message scrubbed of identity numbers).
    pub fn new(source: Source, row: u64, error: &Error) -> InputError {
        InputError {
            source,
            row,
            field: error.field().to_string(),
            code: error.code().to_string(),
            message: crate::resident_id::scrub(&error.message()),
        }
    }
}

/// The counts of a reconciliation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReconcileSummary {
    /// Registry members read.
    pub registry_members: u64,
    /// Of them, with a valid resident ID.
    pub registry_valid_ids: u64,
    /// Enrolment records read.
    pub enrolment_records: u64,
    /// Of them, with a valid resident ID.
    pub enrolment_valid_ids: u64,
    /// Registry members matched with an enrolment record.
    pub matched: u64,
    /// Of them, studying outside the household's region.
    pub studying_elsewhere: u64,
    /// Registry members of compulsory-school age (6–15): screened (排查).
    pub school_age_members: u64,
    /// Of them, in no enrolment: suspected out of school.
    pub school_age_not_enrolled: u64,
    /// Registry members of other ages in no enrolment (not listed: preschool children,
    /// adults, graduates; enrolment beyond compulsory school is not required).
    pub other_not_enrolled: u64,
    /// Claimed statuses not confirmed.
    pub unconfirmed_claims: u64,
    /// Invalid resident IDs (both inputs).
    pub invalid_ids: u64,
    /// Resident IDs listed twice in one input.
    pub duplicate_ids: u64,
    /// Input rows that could not be read.
    pub input_errors: u64,
}

/// The reconciliation of a poverty registry with enrolment (精准识别比对结果).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reconciliation {
    /// The as-of date (ages are counted on it).
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub as_of: NaiveDate,
    /// The counts.
    pub summary: ReconcileSummary,
    /// Matched students, by registry row.
    pub matched: Vec<MatchedStudent>,
    /// School-age registry children in no enrolment, by registry row.
    pub not_enrolled: Vec<NotEnrolled>,
    /// Unconfirmed status claims, by enrolment row.
    pub unconfirmed: Vec<UnconfirmedClaim>,
    /// Invalid resident IDs, registry first, by row.
    pub invalid_ids: Vec<InvalidId>,
    /// Duplicate resident IDs.
    pub duplicates: Vec<DuplicateId>,
    /// Unreadable input rows (set by the caller with [`Reconciliation::with_input_errors`]).
    pub input_errors: Vec<InputError>,
}

/// Statuses the poverty registry is the authority for (脱贫 and the three monitoring kinds);
/// a claim of another status is checked only when the registry holds that status for
/// anyone (a registry export that includes 低保 confirms 低保 claims; one that does not,
/// cannot refute them).
const REGISTRY_STATUSES: [HouseholdStatus; 4] = [
    HouseholdStatus::LiftedOutOfPoverty,
    HouseholdStatus::MonitoredUnstable,
    HouseholdStatus::MonitoredMarginal,
    HouseholdStatus::MonitoredSuddenHardship,
];

/// The message of an ID problem in `lang` (the number masked).
fn id_message(problem: crate::resident_id::IdProblem, given: &str, lang: crate::Lang) -> String {
    if lang == crate::Lang::En {
        return problem.message;
    }
    let m = mask(given);
    match problem.code {
        "wrong_length" => format!(
            "身份证号{m}共{}位，应为18位（GB 11643）",
            given.trim().chars().count()
        ),
        "invalid_character" => format!("身份证号{m}应为17位数字加1位数字或X（GB 11643）"),
        "invalid_birth_date" => format!("身份证号{m}第7至14位不是有效的出生日期"),
        "birth_after_date" => format!("身份证号{m}的出生日期晚于比对日期"),
        "check_digit_mismatch" => format!("身份证号{m}校验码不符（GB 11643），可能录入有误"),
        _ => problem.message,
    }
}

/// Compulsory-school ages on the as-of date (programs.md: 6–15).
const SCHOOL_AGE: std::ops::RangeInclusive<u32> = 6..=15;

/// Reconcile `registry` with `enrolment` as of `as_of`, with messages in `lang`.
pub fn reconcile(
    registry: &[RegistryMember],
    enrolment: &[EnrolmentRecord],
    as_of: NaiveDate,
    lang: crate::Lang,
) -> Reconciliation {
    let say = |en: String, zh: String| match lang {
        crate::Lang::En => en,
        crate::Lang::Zh => zh,
    };
    let mut summary = ReconcileSummary {
        registry_members: registry.len() as u64,
        enrolment_records: enrolment.len() as u64,
        ..ReconcileSummary::default()
    };
    let mut invalid_ids = Vec::new();
    let mut duplicates = Vec::new();

    // Validate every ID once; index the valid ones.
    let mut registry_ids: Vec<Option<ResidentId>> = Vec::with_capacity(registry.len());
    for m in registry {
        match ResidentId::parse_on(&m.resident_id, as_of) {
            Ok(id) => registry_ids.push(Some(id)),
            Err(p) => {
                invalid_ids.push(InvalidId {
                    source: Source::Registry,
                    row: m.row,
                    resident_id: mask(&m.resident_id),
                    code: p.code.into(),
                    message: id_message(p, &m.resident_id, lang),
                });
                registry_ids.push(None);
            }
        }
    }
    let mut enrolment_ids: Vec<Option<ResidentId>> = Vec::with_capacity(enrolment.len());
    for r in enrolment {
        match ResidentId::parse_on(&r.resident_id, as_of) {
            Ok(id) => enrolment_ids.push(Some(id)),
            Err(p) => {
                invalid_ids.push(InvalidId {
                    source: Source::Enrolment,
                    row: r.row,
                    resident_id: mask(&r.resident_id),
                    code: p.code.into(),
                    message: id_message(p, &r.resident_id, lang),
                });
                enrolment_ids.push(None);
            }
        }
    }
    let mut enrolment_index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, id) in enrolment_ids.iter().enumerate() {
        if let Some(id) = id {
            enrolment_index.entry(id.as_str()).or_default().push(i);
        }
    }
    let find = |id: &ResidentId| enrolment_index.get(id.as_str());
    summary.enrolment_valid_ids = enrolment_index.values().map(|v| v.len() as u64).sum();
    summary.registry_valid_ids = registry_ids.iter().filter(|i| i.is_some()).count() as u64;

    let mut enrolment_dups: Vec<(&str, &Vec<usize>)> = enrolment_index
        .iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(k, v)| (*k, v))
        .collect();
    enrolment_dups.sort_by_key(|(_, v)| v.first().copied());
    for (k, v) in enrolment_dups {
        duplicates.push(DuplicateId {
            source: Source::Enrolment,
            rows: v
                .iter()
                .filter_map(|i| enrolment.get(*i).map(|r| r.row))
                .collect(),
            resident_id: mask(k),
        });
    }

    // The registry by ID: statuses merged over the rows of one person.
    let mut registry_by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, id) in registry_ids.iter().enumerate() {
        if let Some(id) = id {
            registry_by_id.entry(id.as_str()).or_default().push(i);
        }
    }
    let mut registry_dups: Vec<(&str, &Vec<usize>)> = registry_by_id
        .iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(k, v)| (*k, v))
        .collect();
    registry_dups.sort_by_key(|(_, v)| v.first().copied());
    for (k, v) in registry_dups {
        duplicates.push(DuplicateId {
            source: Source::Registry,
            rows: v
                .iter()
                .filter_map(|i| registry.get(*i).map(|m| m.row))
                .collect(),
            resident_id: mask(k),
        });
    }
    summary.duplicate_ids = duplicates.len() as u64;

    let mut matched = Vec::new();
    let mut not_enrolled = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (m, id) in registry.iter().zip(&registry_ids) {
        let Some(id) = id else { continue };
        // A person listed twice in the registry is reported once, at the first row.
        if !seen.insert(id.as_str()) {
            continue;
        }
        let age = id.age_on(as_of);
        match find(id)
            .and_then(|v| v.first())
            .and_then(|i| enrolment.get(*i))
        {
            Some(r) => {
                let home = if m.region.is_empty() {
                    &r.hukou_region
                } else {
                    &m.region
                };
                let elsewhere =
                    !home.is_empty() && !r.school_region.is_empty() && *home != r.school_region;
                summary.studying_elsewhere += u64::from(elsewhere);
                matched.push(MatchedStudent {
                    registry_row: m.row,
                    enrolment_row: r.row,
                    household_id: m.household_id.clone(),
                    resident_id: id.masked(),
                    name: mask_name(if m.name.is_empty() { &r.name } else { &m.name }),
                    statuses: m.statuses.clone(),
                    monitoring_risk_removed: m.monitoring_risk_removed,
                    student_id: r.student_id.clone(),
                    stage: r.stage,
                    grade: r.grade,
                    school: r.school.clone(),
                    school_region: r.school_region.clone(),
                    age,
                    studying_elsewhere: elsewhere,
                });
                if SCHOOL_AGE.contains(&age) {
                    summary.school_age_members += 1;
                }
            }
            None if SCHOOL_AGE.contains(&age) => {
                summary.school_age_members += 1;
                let expected_stage = if age <= 11 {
                    Stage::Primary
                } else {
                    Stage::JuniorMiddle
                };
                not_enrolled.push(NotEnrolled {
                    registry_row: m.row,
                    household_id: m.household_id.clone(),
                    resident_id: id.masked(),
                    name: mask_name(&m.name),
                    statuses: m.statuses.clone(),
                    region: m.region.clone(),
                    age,
                    expected_stage,
                    message: say(
                        format!(
                            "aged {age} on {as_of}, of compulsory-school age, and in no enrolment \
                             record: suspected out of school (check and open a dropout case)"
                        ),
                        format!(
                            "{as_of}时{age}周岁，属义务教育适龄儿童，学籍中未找到：疑似失学辍学，请核查并建立控辍保学台账"
                        ),
                    ),
                });
            }
            None => summary.other_not_enrolled += 1,
        }
    }
    summary.matched = matched.len() as u64;
    summary.school_age_not_enrolled = not_enrolled.len() as u64;

    // Claims: statuses in enrolment the registry does not confirm.
    let mut confirmable: Vec<HouseholdStatus> = REGISTRY_STATUSES.to_vec();
    for m in registry {
        for s in &m.statuses {
            if !confirmable.contains(s) {
                confirmable.push(*s);
            }
        }
    }
    let mut unconfirmed = Vec::new();
    for (r, id) in enrolment.iter().zip(&enrolment_ids) {
        let Some(id) = id else { continue };
        if r.statuses.is_empty() {
            continue;
        }
        let members: Vec<&RegistryMember> = registry_by_id
            .get(id.as_str())
            .map(|v| v.iter().filter_map(|i| registry.get(*i)).collect())
            .unwrap_or_default();
        let mut held: Vec<HouseholdStatus> = Vec::new();
        for m in &members {
            for s in &m.statuses {
                if !held.contains(s) {
                    held.push(*s);
                }
            }
        }
        let risk_removed = !members.is_empty() && members.iter().all(|m| m.monitoring_risk_removed);
        for claimed in r.statuses.iter().filter(|s| confirmable.contains(s)) {
            let (code, message) = if members.is_empty() {
                (
                    "not_in_registry",
                    say(
                        format!("claims {claimed}, but the resident ID is not in the registry"),
                        format!(
                            "学籍标注为{}，但扶贫（监测）系统中无此身份证号",
                            status_zh(*claimed)
                        ),
                    ),
                )
            } else if !held.contains(claimed) {
                let list: Vec<&str> = held.iter().map(|s| s.as_str()).collect();
                (
                    "status_differs",
                    say(
                        format!("claims {claimed}; the registry records {}", list.join(", ")),
                        format!(
                            "学籍标注为{}，系统中为{}",
                            status_zh(*claimed),
                            held.iter()
                                .map(|s| status_zh(*s))
                                .collect::<Vec<_>>()
                                .join("、")
                        ),
                    ),
                )
            } else if claimed.is_monitoring_kind() && risk_removed && !r.monitoring_risk_removed {
                (
                    "risk_removed",
                    say(
                        format!(
                            "claims {claimed}; the registry records the monitoring risk as removed"
                        ),
                        format!("学籍标注为{}，系统中该户已消除风险", status_zh(*claimed)),
                    ),
                )
            } else {
                continue;
            };
            unconfirmed.push(UnconfirmedClaim {
                enrolment_row: r.row,
                student_id: r.student_id.clone(),
                resident_id: id.masked(),
                name: mask_name(&r.name),
                claimed: *claimed,
                registry_statuses: held.clone(),
                code: code.into(),
                message,
            });
        }
    }
    summary.unconfirmed_claims = unconfirmed.len() as u64;
    summary.invalid_ids = invalid_ids.len() as u64;
    invalid_ids.sort_by_key(|i| (i.source == Source::Enrolment, i.row));
    Reconciliation {
        as_of,
        summary,
        matched,
        not_enrolled,
        unconfirmed,
        invalid_ids,
        duplicates,
        input_errors: Vec::new(),
    }
}

impl Reconciliation {
    /// The reconciliation with the caller's unreadable input rows added (sorted by input,
    /// then row).
    pub fn with_input_errors(mut self, mut errors: Vec<InputError>) -> Reconciliation {
        errors.sort_by_key(|e| (e.source == Source::Enrolment, e.row));
        self.summary.input_errors = errors.len() as u64;
        self.input_errors = errors;
        self
    }

    /// Every finding as one flat table (for CSV): a `finding` column (`matched`,
    /// `not_enrolled`, `unconfirmed_claim`, `invalid_id`, `duplicate_id`, `input_error`)
    /// and the fields that apply. IDs and names masked.
    pub fn table(&self) -> (Vec<&'static str>, Vec<Vec<String>>) {
        let columns = vec![
            "finding",
            "source",
            "row",
            "household_id",
            "student_id",
            "resident_id",
            "name",
            "statuses",
            "stage",
            "grade",
            "age",
            "school_region",
            "code",
            "message",
        ];
        let st = |s: &[HouseholdStatus]| s.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(",");
        let mut rows = Vec::new();
        for m in &self.matched {
            rows.push(vec![
                "matched".into(),
                "registry".into(),
                m.registry_row.to_string(),
                m.household_id.clone(),
                m.student_id.clone(),
                m.resident_id.clone(),
                m.name.clone(),
                st(&m.statuses),
                m.stage.as_str().into(),
                m.grade.to_string(),
                m.age.to_string(),
                m.school_region.clone(),
                if m.studying_elsewhere {
                    "studying_elsewhere".into()
                } else {
                    String::new()
                },
                String::new(),
            ]);
        }
        for n in &self.not_enrolled {
            rows.push(vec![
                "not_enrolled".into(),
                "registry".into(),
                n.registry_row.to_string(),
                n.household_id.clone(),
                String::new(),
                n.resident_id.clone(),
                n.name.clone(),
                st(&n.statuses),
                n.expected_stage.as_str().into(),
                String::new(),
                n.age.to_string(),
                n.region.clone(),
                "suspected_out_of_school".into(),
                n.message.clone(),
            ]);
        }
        for u in &self.unconfirmed {
            rows.push(vec![
                "unconfirmed_claim".into(),
                "enrolment".into(),
                u.enrolment_row.to_string(),
                String::new(),
                u.student_id.clone(),
                u.resident_id.clone(),
                u.name.clone(),
                u.claimed.as_str().into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                u.code.clone(),
                u.message.clone(),
            ]);
        }
        for i in &self.invalid_ids {
            rows.push(vec![
                "invalid_id".into(),
                i.source.as_str().into(),
                i.row.to_string(),
                String::new(),
                String::new(),
                i.resident_id.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                i.code.clone(),
                i.message.clone(),
            ]);
        }
        for d in &self.duplicates {
            rows.push(vec![
                "duplicate_id".into(),
                d.source.as_str().into(),
                d.rows
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
                String::new(),
                String::new(),
                d.resident_id.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                "duplicate".into(),
                String::new(),
            ]);
        }
        for e in &self.input_errors {
            rows.push(vec![
                "input_error".into(),
                e.source.as_str().into(),
                e.row.to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                e.code.clone(),
                format!("{}: {}", e.field, e.message),
            ]);
        }
        (columns, rows)
    }
}
