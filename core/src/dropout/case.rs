//! One student's dropout case (一人一案): a pure value holding the student, how the case was
//! found, where it stands on the persuasion ladder (劝返), its status, and the full history
//! of events (每次劝返记录, 教基厅函〔2024〕15号, S06). The state is exactly what replaying the
//! events gives ([`Case::replay`]); [`Case::apply`] returns a new case or an error naming
//! why the event is not allowed; [`Case::due`] lists what must happen, by whom, by when.
//!
//! Dated figures are read on the date of the event they govern: the ladder in force on the
//! opening date (kept in the case, so a later change of policy never reshuffles a running
//! case), the transfer window on the transfer date, the visit frequency on the assessment
//! date, the reopening window on the return date, the school-age limit on the opening
//! date. [`Case::due`] therefore needs no policy figure but the priorities.
//!
//! Home-delivered teaching reads `care.home_teaching.visits_per_week` (care.json), the one
//! parameter of the seed-002 visit frequency, with the care module's reading of a week:
//! Monday to Sunday, a week cut by the assessment still needing its visits.
//!
//! This module must not read the clock or do I/O.

use super::section::{self, Ladder, LadderStage, Until};
use super::tagged::internally_tagged;
use super::{add_days, whole, within, Priority, Student};
use crate::calendar::Term;
use crate::policy::Policy;
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How a case was found (发现途径; dropout-control.md, "Triggers").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
pub enum Trigger {
    /// Consecutive school days absent without leave (无故缺勤; S13, S14).
    Absence {
        /// First school day of the run.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        first_absent: NaiveDate,
        /// Consecutive unexplained school days counted on the opening date.
        school_days: u32,
    },
    /// Registry comparison (四查三比对, S06): a school-age child of a registered household
    /// found in no enrolment.
    Registry {
        /// Whether the child was ever enrolled: yes → suspected dropout (辍学), no → out of
        /// school (失学).
        ever_enrolled: bool,
    },
    /// Term-start "carpet" screening (开学初地毯式排查, seed 002): not back at school.
    Screening {
        /// The term screened (`2024-autumn`).
        term: Term,
    },
}

// JSON: `{"kind": "absence", "first_absent": ..., "school_days": ...}`.
internally_tagged!(Trigger, "kind");

/// What the child is taken to be (认定).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// 疑似辍学: absent without leave beyond the suspected threshold, or found by
    /// comparison or screening.
    SuspectedDropout,
    /// 辍学: absent beyond the dropout threshold, or confirmed.
    Dropout,
    /// 失学: a school-age child never enrolled.
    OutOfSchool,
}

impl Classification {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Classification::SuspectedDropout => "suspected_dropout",
            Classification::Dropout => "dropout",
            Classification::OutOfSchool => "out_of_school",
        }
    }
}

/// Where a case stands (状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Open, on the persuasion ladder (劝返中).
    Persuasion,
    /// Home-delivered teaching (送教上门): counts as enrolled; weekly visits due.
    HomeTeaching,
    /// Deferred enrolment or suspension approved (延缓入学 / 休学) until a date.
    Deferred,
    /// Transferred out; waiting for the receiving school's confirmation.
    TransferPending,
    /// Closed: the child is back in school (复学, 动态销号).
    Returned,
    /// Closed: exempted from enrolment (免予入学).
    Exempt,
    /// Closed: the transfer was confirmed by the receiving school.
    Transferred,
    /// Closed: the child left compulsory-school age while out of school.
    AgedOut,
}

impl Status {
    /// Whether the case is closed.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Status::Returned | Status::Exempt | Status::Transferred | Status::AgedOut
        )
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Persuasion => "persuasion",
            Status::HomeTeaching => "home_teaching",
            Status::Deferred => "deferred",
            Status::TransferPending => "transfer_pending",
            Status::Returned => "returned",
            Status::Exempt => "exempt",
            Status::Transferred => "transferred",
            Status::AgedOut => "aged_out",
        }
    }
}

/// The outcome of one persuasion attempt (劝返结果).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The family promised the child's return (答应复学).
    PromisedReturn,
    /// The family refused (拒绝).
    Refused,
    /// No decision yet (未明确).
    Undecided,
    /// Nobody was reached (未见到监护人).
    NotReached,
}

impl Outcome {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::PromisedReturn => "promised_return",
            Outcome::Refused => "refused",
            Outcome::Undecided => "undecided",
            Outcome::NotReached => "not_reached",
        }
    }
}

/// A measure against a guardian who neglects the duty to send the child to school, on the
/// parallel track of 未成年人保护法 art. 118 (S17); any stage may record one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuardianMeasure {
    /// 劝诫、制止 by the village or residents' committee.
    Admonishment,
    /// 训诫 by the police, the procuratorate or the court.
    Reprimand,
    /// 责令接受家庭教育指导 (family-education guidance order).
    FamilyEducationGuidanceOrder,
}

/// The outcome of the lawsuit (诉讼结果).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourtOutcome {
    /// 调解: usually a promise to return within days (S09).
    Mediated,
    /// 判决.
    Judgment,
    /// 撤诉.
    Withdrawn,
    /// 驳回.
    Dismissed,
}

/// The placement decided by the county disability-education expert committee
/// (残疾人教育专家委员会评估; S19).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// 送教上门: counts as enrolled, weekly visits.
    HomeTeaching,
    /// 特殊教育学校.
    SpecialSchool,
    /// 随班就读 (a regular class).
    RegularClass,
}

/// Deferred enrolment or suspension (义务教育法 art. 11, S03, S20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeferralKind {
    /// 延缓入学.
    Deferral,
    /// 休学.
    Suspension,
}

/// One event of a case (JSON: `{"type": "persuasion_attempt", "date": ..., ...}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// The case was opened (the first event of every case).
    Opened {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// How the case was found.
        trigger: Trigger,
    },
    /// The classification moved to dropout (认定辍学).
    Classified {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// The new classification (only `dropout`).
        classification: Classification,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// One persuasion attempt at the current stage (劝返记录), or the act of the stage
    /// (the written order served, the suit filed, the enforcement applied for).
    PersuasionAttempt {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// Who made it.
        actor: String,
        /// What came of it.
        outcome: Outcome,
        /// The stage it belongs to; if given, it must be the current stage.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stage: Option<String>,
        /// A document served (《责令限期改正通知书》, ...).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        document: Option<String>,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The case moved up to the next stage of the ladder.
    Escalated {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// The stage entered: the next enabled stage, never one further.
        to: String,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A measure against the guardian (未成年人保护法 art. 118, S17).
    GuardianMeasure {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// Which measure.
        measure: GuardianMeasure,
        /// Who took it.
        by: String,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The court's outcome at a stage open until one (litigation).
    CourtOutcome {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// The outcome.
        outcome: CourtOutcome,
        /// The date the child must be back by, if the outcome sets one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[serde(deserialize_with = "crate::calendar::de::option_date")]
        return_by: Option<NaiveDate>,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The child is back in school (复学): the case closes (动态销号).
    Returned {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// The school returned to, if another.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        school: Option<String>,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A case closed on the child's return reopens within the window.
    Reopened {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// What found the child out of school again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trigger: Option<Trigger>,
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The county expert committee assessed the child (S19).
    Assessed {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// The committee.
        by: String,
        /// The placement decided.
        placement: Placement,
        /// The dedicated home-teaching teacher (送教教师), for home teaching.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        teacher: Option<String>,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// One home-teaching visit (送教上门).
    HomeVisit {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// The teacher.
        teacher: String,
        /// Class hours delivered.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hours: Option<u32>,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Deferred enrolment or suspension approved (义务教育法 art. 11).
    ApprovedDeferral {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// Deferral or suspension.
        kind: DeferralKind,
        /// The last day of the deferral; the case is due for review then.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        until: NaiveDate,
        /// The approving authority (乡镇人民政府 or 县级教育行政部门).
        by: String,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Persuasion resumes after a deferral (the child is not back).
    Resumed {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Exemption from enrolment approved (免予入学): the case closes as exempt.
    ApprovedExemption {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// The approving authority.
        by: String,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The child transferred to another school; closed once the receipt is confirmed.
    Transferred {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// The receiving school.
        to_school: String,
        /// The receiving school's region code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_region: Option<String>,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The receiving school confirmed the transfer: the case closes as transferred.
    ReceiptConfirmed {
        /// Date.
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
        /// Who confirmed.
        by: String,
    },
    /// The receipt was not confirmed in time: the child is a suspected dropout again.
    TransferUnconfirmed {
        /// Date (after the confirmation window).
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
    },
    /// The child reached the end of compulsory-school age out of school: closed.
    AgedOut {
        /// Date (on or after the birthday).
        #[serde(deserialize_with = "crate::calendar::de::date")]
        date: NaiveDate,
    },
}

// JSON: `{"type": "persuasion_attempt", "date": ..., ...}`.
internally_tagged!(Event, "type");

impl Event {
    /// The date of the event.
    pub fn date(&self) -> NaiveDate {
        match self {
            Event::Opened { date, .. }
            | Event::Classified { date, .. }
            | Event::PersuasionAttempt { date, .. }
            | Event::Escalated { date, .. }
            | Event::GuardianMeasure { date, .. }
            | Event::CourtOutcome { date, .. }
            | Event::Returned { date, .. }
            | Event::Reopened { date, .. }
            | Event::Assessed { date, .. }
            | Event::HomeVisit { date, .. }
            | Event::ApprovedDeferral { date, .. }
            | Event::Resumed { date, .. }
            | Event::ApprovedExemption { date, .. }
            | Event::Transferred { date, .. }
            | Event::ReceiptConfirmed { date, .. }
            | Event::TransferUnconfirmed { date }
            | Event::AgedOut { date } => *date,
        }
    }

    /// The event's type, as in JSON (`persuasion_attempt`).
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Opened { .. } => "opened",
            Event::Classified { .. } => "classified",
            Event::PersuasionAttempt { .. } => "persuasion_attempt",
            Event::Escalated { .. } => "escalated",
            Event::GuardianMeasure { .. } => "guardian_measure",
            Event::CourtOutcome { .. } => "court_outcome",
            Event::Returned { .. } => "returned",
            Event::Reopened { .. } => "reopened",
            Event::Assessed { .. } => "assessed",
            Event::HomeVisit { .. } => "home_visit",
            Event::ApprovedDeferral { .. } => "approved_deferral",
            Event::Resumed { .. } => "resumed",
            Event::ApprovedExemption { .. } => "approved_exemption",
            Event::Transferred { .. } => "transferred",
            Event::ReceiptConfirmed { .. } => "receipt_confirmed",
            Event::TransferUnconfirmed { .. } => "transfer_unconfirmed",
            Event::AgedOut { .. } => "aged_out",
        }
    }

    /// Parse one event from JSON text (a line of a JSON-lines file); errors name the field.
    pub fn from_json(text: &str) -> Result<Event> {
        super::parse_json(text)
    }
}

/// The court outcome recorded at the current stage.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourtRecord {
    /// Date of the outcome.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub date: NaiveDate,
    /// The outcome.
    pub outcome: CourtOutcome,
}

/// The home-teaching arrangement (送教上门).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeTeaching {
    /// First day (the assessment); weeks are counted from it.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub since: NaiveDate,
    /// The assessing committee.
    pub by: String,
    /// The dedicated teacher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teacher: Option<String>,
    /// Visits required each week, Monday to Sunday (`care.home_teaching.visits_per_week` on
    /// `since`).
    pub visits_per_week: u32,
    /// Dates of the visits made.
    #[serde(default)]
    #[serde(deserialize_with = "crate::calendar::de::dates")]
    pub visits: Vec<NaiveDate>,
}

/// An approved deferral or suspension.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deferral {
    /// Date of approval.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub since: NaiveDate,
    /// Deferral or suspension.
    pub kind: DeferralKind,
    /// Last day; due for review then.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub until: NaiveDate,
    /// The approving authority.
    pub by: String,
}

/// A transfer waiting for (or having had) its confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// Date of the transfer.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub date: NaiveDate,
    /// The receiving school.
    pub to_school: String,
    /// Its region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_region: Option<String>,
    /// Last day for the receiving school's confirmation.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub confirm_by: NaiveDate,
}

/// One student's dropout case (一人一案). Serialise it to store it; [`Case::restore`]
/// checks a stored case against the replay of its events.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The student.
    pub student: Student,
    /// Opening date.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub opened: NaiveDate,
    /// How the case was found.
    pub trigger: Trigger,
    /// What the child is taken to be.
    pub classification: Classification,
    /// When the classification was last set.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub classified_on: NaiveDate,
    /// Where the case stands.
    pub status: Status,
    /// Since when.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub status_since: NaiveDate,
    /// The ladder in force on the opening date, for the student's region.
    pub ladder: Ladder,
    /// The current stage (for a closed or suspended case: the stage it stood in).
    pub stage: String,
    /// When the current stage was entered (or resumed).
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub stage_since: NaiveDate,
    /// The current stage's deadline, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    pub stage_deadline: Option<NaiveDate>,
    /// Persuasion attempts recorded at the current stage since it was entered.
    pub stage_attempts: u32,
    /// Persuasion attempts recorded over the whole case.
    pub attempts: u32,
    /// The court outcome at the current stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub court_outcome: Option<CourtRecord>,
    /// The day the child leaves compulsory-school age (with a known birth date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    pub ages_out_on: Option<NaiveDate>,
    /// The latest placement decided by the expert committee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    /// The latest home-teaching arrangement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_teaching: Option<HomeTeaching>,
    /// The latest deferral.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deferral: Option<Deferral>,
    /// The latest transfer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<Transfer>,
    /// Closing date, while closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    pub closed_on: Option<NaiveDate>,
    /// Last day a closed-on-return case may reopen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    pub reopen_by: Option<NaiveDate>,
    /// How many times the case reopened.
    pub reopened: u32,
    /// Every event, in order, the opening first.
    pub events: Vec<Event>,
}

/// What must happen next on a case (待办).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Make and record a persuasion attempt (or the stage's act): none yet at this stage.
    Persuade,
    /// Keep at it until the stage's deadline (or, open-ended, until the child returns).
    FollowUp,
    /// The deadline passed without return: escalate to the next stage.
    Escalate,
    /// The suit is filed: record the court's outcome.
    AwaitCourtOutcome,
    /// Make the week's home-teaching visit(s) (送教上门).
    HomeVisit,
    /// Review the deferral at its end.
    ReviewDeferral,
    /// The receiving school must confirm the transfer.
    ConfirmReceipt,
    /// The child reached the end of school age: close the case as aged out.
    CloseAgedOut,
}

/// One thing due on a case: what, at which stage, by whom, by when, and whether it is late.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// What.
    pub kind: ActionKind,
    /// The ladder stage concerned (for `escalate`: the stage to enter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Who is responsible (责任人): overdue actions are reported against them.
    pub responsible: String,
    /// By when; `None` for an open-ended step (awaiting a court, enforcement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    pub due: Option<NaiveDate>,
    /// Whether `today` is past `due`.
    pub overdue: bool,
    /// Days past `due` (0 when not overdue).
    #[serde(default)]
    pub days_overdue: u32,
    /// Whether the case is a priority case on `today` (key group, vulnerable group or key
    /// stage).
    #[serde(default)]
    pub priority: bool,
    /// A sentence saying what to do.
    pub detail: String,
    /// The source of the rule or figure behind the action.
    pub source: String,
}

fn case_err(field: &str, code: &str, message: String) -> Error {
    Error::case(field, code, message)
}

fn not_empty(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(
            field,
            "empty",
            format!("{field} is empty: say who"),
        ));
    }
    Ok(())
}

impl Case {
    /// Open a case for `student`, found by `trigger`, on `date` (立案). The classification
    /// follows from the trigger and the thresholds in force; the case starts at the first
    /// enabled stage of the ladder in force for the student's region.
    pub fn open(
        student: Student,
        trigger: Trigger,
        date: NaiveDate,
        policy: &Policy,
    ) -> Result<Case> {
        student.validate().map_err(|e| within(e, "student"))?;
        policy.check_in_force("date", date)?;
        let region = student.region.clone();
        let until_years = whole(policy, "dropout.school_age.until_years", &region, date)?;
        let ages_out_on = student.birthday(until_years);
        if let Some(limit) = ages_out_on.filter(|b| *b <= date) {
            return Err(case_err(
                "student.birth_date",
                "past_school_age",
                format!(
                    "the student turned {until_years} on {limit}, past compulsory-school age: no dropout case opens (dropout.school_age.until_years)"
                ),
            ));
        }
        let classification = classify(&student, &trigger, date, policy)?;
        let ladder = section::ladder(policy, &region, date)?;
        let Some(first) = ladder.first().cloned() else {
            return Err(Error::Policy {
                file: "policy".into(),
                line: 0,
                field: "sections.dropout.ladders".into(),
                code: "missing_section".into(),
                message: "the ladder in force has no enabled stage".into(),
            });
        };
        let mut case = Case {
            student,
            opened: date,
            trigger: trigger.clone(),
            classification,
            classified_on: date,
            status: Status::Persuasion,
            status_since: date,
            ladder,
            stage: first.id.clone(),
            stage_since: date,
            stage_deadline: None,
            stage_attempts: 0,
            attempts: 0,
            court_outcome: None,
            ages_out_on,
            placement: None,
            home_teaching: None,
            deferral: None,
            transfer: None,
            closed_on: None,
            reopen_by: None,
            reopened: 0,
            events: vec![Event::Opened { date, trigger }],
        };
        case.enter_stage(&first, date);
        Ok(case)
    }

    /// A new case, or — when `previous` (the student's last case) closed on the child's
    /// return and the reopening window has not passed — that case reopened (dropout-control.md:
    /// "a return within 30 days after closing reopens the same case rather than a new one").
    pub fn open_or_reopen(
        previous: Option<&Case>,
        student: Student,
        trigger: Trigger,
        date: NaiveDate,
        policy: &Policy,
    ) -> Result<Case> {
        if let Some(prev) = previous.filter(|c| {
            c.status == Status::Returned
                && c.student.student_id == student.student_id
                && c.reopen_by.is_some_and(|by| date <= by)
                && c.last_date() <= date
        }) {
            return prev.apply(
                Event::Reopened {
                    date,
                    trigger: Some(trigger),
                    reason: None,
                },
                policy,
            );
        }
        Case::open(student, trigger, date, policy)
    }

    /// Rebuild a case from its student and events (the first event must be `opened`).
    /// Replaying a case's own events gives the same case. Errors name the event:
    /// `events[3].to`.
    pub fn replay(student: Student, events: &[Event], policy: &Policy) -> Result<Case> {
        let Some((first, rest)) = events.split_first() else {
            return Err(Error::invalid(
                "events",
                "empty",
                "a case needs at least its opening event",
            ));
        };
        let Event::Opened { date, trigger } = first else {
            return Err(case_err(
                "events[0].type",
                "not_opened_first",
                format!(
                    "the first event of a case must be 'opened', found '{}'",
                    first.kind()
                ),
            ));
        };
        let mut case =
            Case::open(student, trigger.clone(), *date, policy).map_err(|e| event_error(e, 0))?;
        for (i, event) in rest.iter().enumerate() {
            case.step(event.clone(), policy)
                .map_err(|e| event_error(e, i + 1))?;
        }
        Ok(case)
    }

    /// The case with `event` applied, or an error naming why the event is not allowed (a
    /// `case_error`: dated before the last event, a skipped stage, an event of a closed
    /// case, ...) or is malformed (`invalid_input`). `self` is unchanged either way.
    pub fn apply(&self, event: Event, policy: &Policy) -> Result<Case> {
        let mut next = self.clone();
        next.step(event, policy)?;
        Ok(next)
    }

    /// The case as it stood at the end of `date`: the replay of the events dated on or
    /// before it; `None` when the case opened later.
    pub fn as_of(&self, date: NaiveDate, policy: &Policy) -> Result<Option<Case>> {
        if self.opened > date {
            return Ok(None);
        }
        let n = self.events.partition_point(|e| e.date() <= date);
        let events = self.events.get(..n).unwrap_or_default();
        Case::replay(self.student.clone(), events, policy).map(Some)
    }

    /// Parse a stored case (JSON) without checking it; see [`Case::restore`].
    pub fn from_json(text: &str) -> Result<Case> {
        super::parse_json(text)
    }

    /// Parse a stored case and check it: its state must be what replaying its events under
    /// `policy` gives (`state_mismatch` otherwise: the case was edited by hand, or the
    /// policy's ladder for its opening date changed).
    pub fn restore(text: &str, policy: &Policy) -> Result<Case> {
        let stored = Case::from_json(text)?;
        let replayed = Case::replay(stored.student.clone(), &stored.events, policy)?;
        if replayed != stored {
            return Err(Error::invalid(
                "",
                "state_mismatch",
                "the stored state differs from the replay of its events: store events, and rebuild the case with Case::replay",
            ));
        }
        Ok(replayed)
    }

    /// Whether the case is closed.
    pub fn is_closed(&self) -> bool {
        self.status.is_closed()
    }

    /// The date of the last event.
    pub fn last_date(&self) -> NaiveDate {
        self.events.last().map_or(self.opened, Event::date)
    }

    /// The current stage of the ladder.
    pub fn current_stage(&self) -> Option<&LadderStage> {
        self.ladder.stage(&self.stage)
    }

    /// Enter `stage` on `date`: no attempt yet, a fresh deadline, no court outcome.
    fn enter_stage(&mut self, stage: &LadderStage, date: NaiveDate) {
        self.stage = stage.id.clone();
        self.stage_since = date;
        self.stage_attempts = 0;
        self.court_outcome = None;
        self.stage_deadline = match (stage.until, stage.deadline_days) {
            (Until::Deadline, Some(days)) => Some(add_days(date, days)),
            _ => None,
        };
    }

    /// Resume persuasion at the stage the case stood in, with a fresh deadline.
    fn resume(&mut self, date: NaiveDate) -> Result<()> {
        let stage = self.current_stage().cloned().ok_or_else(|| {
            Error::invalid(
                "stage",
                "unknown_stage",
                format!("the case's stage '{}' is not in its ladder", self.stage),
            )
        })?;
        self.status = Status::Persuasion;
        self.status_since = date;
        self.enter_stage(&stage, date);
        Ok(())
    }

    fn close(&mut self, status: Status, date: NaiveDate) {
        self.status = status;
        self.status_since = date;
        self.closed_on = Some(date);
    }

    fn require_status(&self, allowed: &[Status], code: &str, what: &str) -> Result<()> {
        if allowed.contains(&self.status) {
            return Ok(());
        }
        Err(case_err(
            "type",
            code,
            format!("{what}; the case is {}", self.status.as_str()),
        ))
    }

    /// Apply `event` in place (the body of [`Case::apply`]).
    fn step(&mut self, event: Event, policy: &Policy) -> Result<()> {
        let date = event.date();
        policy.check_in_force("date", date)?;
        let last = self.last_date();
        if date < last {
            return Err(case_err(
                "date",
                "event_before_last",
                format!(
                    "{} on {date} is dated before the case's last event ({last}): events are recorded in date order",
                    event.kind()
                ),
            ));
        }
        if self.is_closed() && !matches!(event, Event::Reopened { .. }) {
            return Err(case_err(
                "type",
                "case_closed",
                format!(
                    "the case closed as {} on {}: it accepts only a reopening",
                    self.status.as_str(),
                    self.closed_on.unwrap_or(last)
                ),
            ));
        }
        if !self.is_closed()
            && !matches!(
                event,
                Event::AgedOut { .. }
                    | Event::Returned { .. }
                    | Event::ReceiptConfirmed { .. }
                    | Event::ApprovedExemption { .. }
            )
        {
            if let Some(limit) = self.ages_out_on.filter(|b| *b <= date) {
                return Err(case_err(
                    "date",
                    "past_school_age",
                    format!(
                        "the student left compulsory-school age on {limit}: record aged_out (or a return) instead of {}",
                        event.kind()
                    ),
                ));
            }
        }
        let open = [
            Status::Persuasion,
            Status::HomeTeaching,
            Status::Deferred,
            Status::TransferPending,
        ];
        let region = self.student.region.clone();
        match &event {
            Event::Opened { .. } => {
                return Err(case_err(
                    "type",
                    "already_opened",
                    "the case is already open: 'opened' is only its first event".into(),
                ))
            }
            Event::Classified { classification, .. } => {
                if *classification == self.classification {
                    return Err(case_err(
                        "classification",
                        "no_change",
                        format!("the case is already {}", classification.as_str()),
                    ));
                }
                if *classification != Classification::Dropout {
                    return Err(case_err(
                        "classification",
                        "not_allowed",
                        format!(
                            "a classification only moves on to dropout (辍学), not from {} to {}",
                            self.classification.as_str(),
                            classification.as_str()
                        ),
                    ));
                }
                self.classification = *classification;
                self.classified_on = date;
            }
            Event::PersuasionAttempt { actor, stage, .. } => {
                self.require_status(
                    &[Status::Persuasion],
                    "not_in_persuasion",
                    "a persuasion attempt belongs to a case on the ladder",
                )?;
                not_empty("actor", actor)?;
                if let Some(s) = stage.as_ref().filter(|s| **s != self.stage) {
                    return Err(case_err(
                        "stage",
                        "wrong_stage",
                        format!(
                            "the attempt names stage '{}', but the case is at '{}'",
                            crate::json::clip(s),
                            self.stage
                        ),
                    ));
                }
                self.stage_attempts += 1;
                self.attempts += 1;
            }
            Event::Escalated { to, .. } => {
                self.require_status(
                    &[Status::Persuasion],
                    "not_in_persuasion",
                    "only a case on the ladder escalates",
                )?;
                let target = self.check_escalation(to)?;
                self.enter_stage(&target, date);
            }
            Event::GuardianMeasure { by, .. } => {
                not_empty("by", by)?;
            }
            Event::CourtOutcome { return_by, .. } => {
                let stage = self.current_stage().cloned();
                if self.status != Status::Persuasion
                    || stage.as_ref().map(|s| s.until) != Some(Until::CourtOutcome)
                {
                    return Err(case_err(
                        "type",
                        "no_lawsuit",
                        format!(
                            "a court outcome belongs to a stage open until one (litigation); the case is {} at '{}'",
                            self.status.as_str(),
                            self.stage
                        ),
                    ));
                }
                if let Some(by) = return_by.filter(|by| *by < date) {
                    return Err(Error::invalid(
                        "return_by",
                        "out_of_range",
                        format!("return_by {by} is before the outcome's date {date}"),
                    ));
                }
                if let Event::CourtOutcome { outcome, .. } = &event {
                    self.court_outcome = Some(CourtRecord {
                        date,
                        outcome: *outcome,
                    });
                }
                self.stage_deadline = return_by.or_else(|| {
                    stage
                        .and_then(|s| s.comply_days)
                        .map(|days| add_days(date, days))
                });
            }
            Event::Returned { .. } => {
                self.require_status(&open, "case_closed", "only an open case closes")?;
                let window = whole(policy, "dropout.reopen_window_days", &region, date)?;
                self.close(Status::Returned, date);
                self.reopen_by = Some(add_days(date, window));
            }
            Event::Reopened { .. } => {
                if !self.is_closed() {
                    return Err(case_err(
                        "type",
                        "not_closed",
                        format!(
                            "the case is open ({}): nothing to reopen",
                            self.status.as_str()
                        ),
                    ));
                }
                if self.status != Status::Returned {
                    return Err(case_err(
                        "type",
                        "not_reopenable",
                        format!(
                            "only a case closed on the child's return reopens; this one closed as {}: open a new case",
                            self.status.as_str()
                        ),
                    ));
                }
                let by = self.reopen_by.unwrap_or(last);
                if date > by {
                    return Err(case_err(
                        "date",
                        "reopen_window_passed",
                        format!(
                            "the case closed on {} could reopen until {by} (dropout.reopen_window_days): open a new case",
                            self.closed_on.unwrap_or(last)
                        ),
                    ));
                }
                if let Some(limit) = self.ages_out_on.filter(|b| *b <= date) {
                    return Err(case_err(
                        "date",
                        "past_school_age",
                        format!("the student left compulsory-school age on {limit}"),
                    ));
                }
                self.closed_on = None;
                self.reopen_by = None;
                self.reopened += 1;
                self.resume(date)?;
            }
            Event::Assessed {
                by,
                placement,
                teacher,
                ..
            } => {
                self.require_status(
                    &[Status::Persuasion, Status::HomeTeaching, Status::Deferred],
                    "not_assessable",
                    "an assessment places a child on the ladder, in home teaching or deferred",
                )?;
                not_empty("by", by)?;
                if *placement == Placement::HomeTeaching {
                    if self.status == Status::HomeTeaching {
                        return Err(case_err(
                            "placement",
                            "no_change",
                            "the child is already in home teaching".into(),
                        ));
                    }
                    let visits =
                        whole(policy, "care.home_teaching.visits_per_week", &region, date)?;
                    self.status = Status::HomeTeaching;
                    self.status_since = date;
                    self.home_teaching = Some(HomeTeaching {
                        since: date,
                        by: by.clone(),
                        teacher: teacher.clone(),
                        visits_per_week: visits,
                        visits: Vec::new(),
                    });
                } else if self.status != Status::Persuasion {
                    // A school placement: the child is to enrol there; until a return is
                    // recorded, persuasion goes on at the stage the case stood in.
                    self.resume(date)?;
                }
                self.placement = Some(*placement);
            }
            Event::HomeVisit { teacher, .. } => {
                self.require_status(
                    &[Status::HomeTeaching],
                    "not_in_home_teaching",
                    "a home-teaching visit belongs to a case in home teaching",
                )?;
                not_empty("teacher", teacher)?;
                if let Some(h) = self.home_teaching.as_mut() {
                    h.visits.push(date);
                }
            }
            Event::ApprovedDeferral {
                kind, until, by, ..
            } => {
                self.require_status(
                    &[Status::Persuasion, Status::HomeTeaching, Status::Deferred],
                    "not_deferrable",
                    "a deferral is approved for a case on the ladder, in home teaching or already deferred",
                )?;
                not_empty("by", by)?;
                if *until <= date {
                    return Err(Error::invalid(
                        "until",
                        "out_of_range",
                        format!(
                            "the deferral must end after its approval ({date}), not on {until}"
                        ),
                    ));
                }
                self.status = Status::Deferred;
                self.status_since = date;
                self.deferral = Some(Deferral {
                    since: date,
                    kind: *kind,
                    until: *until,
                    by: by.clone(),
                });
            }
            Event::Resumed { .. } => {
                self.require_status(
                    &[Status::Deferred],
                    "not_deferred",
                    "only a deferred case resumes",
                )?;
                self.resume(date)?;
            }
            Event::ApprovedExemption { by, .. } => {
                not_empty("by", by)?;
                self.close(Status::Exempt, date);
            }
            Event::Transferred {
                to_school,
                to_region,
                ..
            } => {
                self.require_status(
                    &[Status::Persuasion, Status::HomeTeaching, Status::Deferred],
                    "not_transferable",
                    "a transfer is recorded for a case on the ladder, in home teaching or deferred",
                )?;
                not_empty("to_school", to_school)?;
                if let Some(r) = to_region
                    .as_ref()
                    .filter(|r| !crate::profile::is_region_code(r))
                {
                    return Err(Error::invalid(
                        "to_region",
                        "invalid_region",
                        format!(
                            "'{}' is not a six-digit region code (GB/T 2260)",
                            crate::json::clip(r)
                        ),
                    ));
                }
                let days = whole(policy, "dropout.transfer.confirmation_days", &region, date)?;
                self.status = Status::TransferPending;
                self.status_since = date;
                self.transfer = Some(Transfer {
                    date,
                    to_school: to_school.clone(),
                    to_region: to_region.clone(),
                    confirm_by: add_days(date, days),
                });
            }
            Event::ReceiptConfirmed { by, .. } => {
                self.require_status(
                    &[Status::TransferPending],
                    "no_transfer_pending",
                    "a receipt confirms a pending transfer",
                )?;
                not_empty("by", by)?;
                self.close(Status::Transferred, date);
            }
            Event::TransferUnconfirmed { .. } => {
                self.require_status(
                    &[Status::TransferPending],
                    "no_transfer_pending",
                    "only a pending transfer lapses",
                )?;
                let by = self.transfer.as_ref().map_or(last, |t| t.confirm_by);
                if date <= by {
                    return Err(case_err(
                        "date",
                        "too_early",
                        format!(
                            "the receiving school has until {by} to confirm (dropout.transfer.confirmation_days)"
                        ),
                    ));
                }
                self.resume(date)?;
                if self.classification == Classification::OutOfSchool {
                    self.classification = Classification::SuspectedDropout;
                    self.classified_on = date;
                }
            }
            Event::AgedOut { .. } => {
                let Some(limit) = self.ages_out_on else {
                    return Err(case_err(
                        "type",
                        "age_unknown",
                        "the student's birth date is unknown: ageing out cannot be checked".into(),
                    ));
                };
                if date < limit {
                    return Err(case_err(
                        "date",
                        "not_of_age",
                        format!("the student leaves compulsory-school age on {limit}, not before"),
                    ));
                }
                self.close(Status::AgedOut, date);
            }
        }
        self.events.push(event);
        Ok(())
    }

    /// The stage `to` if escalating there is allowed: at least one attempt recorded at the
    /// current stage, its court outcome if it awaits one, and `to` the next enabled stage.
    fn check_escalation(&self, to: &str) -> Result<LadderStage> {
        let current = self.current_stage().cloned();
        if self.stage_attempts == 0 {
            let who = current.as_ref().map_or(String::new(), |s| {
                format!(" (responsible: {})", s.responsible)
            });
            return Err(case_err(
                "to",
                "no_attempt_recorded",
                format!(
                    "no persuasion attempt is recorded at stage '{}'{who}: record one before escalating (每次劝返记录, S06)",
                    self.stage
                ),
            ));
        }
        if current.as_ref().map(|s| s.until) == Some(Until::CourtOutcome)
            && self.court_outcome.is_none()
        {
            return Err(case_err(
                "to",
                "awaiting_court_outcome",
                format!(
                    "stage '{}' is open until the court's outcome: record court_outcome first",
                    self.stage
                ),
            ));
        }
        let enabled: Vec<&str> = self.ladder.enabled().map(|s| s.id.as_str()).collect();
        let Some(target) = self.ladder.stage(to) else {
            return Err(case_err(
                "to",
                "unknown_stage",
                format!(
                    "'{}' is not a stage of the case's ladder: {}",
                    crate::json::clip(to),
                    enabled.join(" → ")
                ),
            ));
        };
        if !target.enabled {
            return Err(case_err(
                "to",
                "stage_disabled",
                format!("stage '{to}' is not in use in this region's ladder"),
            ));
        }
        let Some(next) = self.ladder.next_after(&self.stage) else {
            return Err(case_err(
                "to",
                "no_further_stage",
                format!("'{}' is the last stage of the ladder", self.stage),
            ));
        };
        if next.id == to {
            return Ok(target.clone());
        }
        let here = self.ladder.position(&self.stage).unwrap_or(0);
        let there = self.ladder.position(to).unwrap_or(0);
        if there <= here {
            return Err(case_err(
                "to",
                "not_forward",
                format!(
                    "'{to}' is not after the current stage '{}': a case only moves up",
                    self.stage
                ),
            ));
        }
        let skipped: Vec<&str> = self
            .ladder
            .stages
            .iter()
            .skip(here + 1)
            .take(there - here - 1)
            .filter(|s| s.enabled)
            .map(|s| s.id.as_str())
            .collect();
        Err(case_err(
            "to",
            "stage_skipped",
            format!(
                "escalating from '{}' to '{to}' skips {}: the next stage is '{}'",
                self.stage,
                skipped.join(", "),
                next.id
            ),
        ))
    }

    /// What must happen on the case as of `today`: each action with its responsible party,
    /// due date and overdue flag, sorted by due date (open-ended ones last). A closed case
    /// has none.
    ///
    /// On the ladder: with no attempt recorded at the current stage, `persuade` (overdue
    /// against the stage's responsible party once its deadline passed); with attempts,
    /// `follow_up` until the deadline, then `escalate` to the next stage. In home
    /// teaching, one `home_visit` for each past week (Monday to Sunday) short of visits
    /// (overdue) and for the current week. Deferred: `review_deferral` at its end. Transfer: `confirm_receipt`
    /// by the end of the window. At the school-age limit, only `close_aged_out`.
    pub fn due(&self, today: NaiveDate, policy: &Policy) -> Vec<Action> {
        if self.is_closed() {
            return Vec::new();
        }
        let priority = Priority::of(&self.student, today, policy)
            .map(|p| p.is_priority())
            .unwrap_or(false);
        let action = |kind: ActionKind,
                      stage: Option<&str>,
                      responsible: &str,
                      due: Option<NaiveDate>,
                      detail: String,
                      source: &str| {
            let late = due.map_or(0, |d| (today - d).num_days().max(0));
            Action {
                kind,
                stage: stage.map(str::to_string),
                responsible: responsible.to_string(),
                due,
                overdue: late > 0,
                days_overdue: u32::try_from(late).unwrap_or(u32::MAX),
                priority,
                detail,
                source: source.to_string(),
            }
        };
        if let Some(limit) = self.ages_out_on.filter(|b| *b <= today) {
            return vec![action(
                ActionKind::CloseAgedOut,
                None,
                "county education bureau (县级教育行政部门)",
                Some(limit),
                format!(
                    "the student left compulsory-school age on {limit}: close the case as aged out (it counts in the dropout statistics)"
                ),
                "dropout-control.md; dropout.school_age.until_years",
            )];
        }
        let mut out = Vec::new();
        match self.status {
            Status::Persuasion => {
                let Some(stage) = self.current_stage() else {
                    return out;
                };
                let id = Some(stage.id.as_str());
                let deadline = self.stage_deadline;
                if self.stage_attempts == 0 {
                    let what = match stage.until {
                        Until::Deadline => "make and record a persuasion attempt",
                        Until::CourtOutcome => "file the suit and record it",
                        Until::Return => "apply for enforcement and record it",
                    };
                    let mut detail = format!("{}: {what}", stage.name_en);
                    if deadline.is_some_and(|d| today > d) {
                        detail.push_str(
                            "; the deadline passed with no attempt recorded: overdue against the responsible party",
                        );
                    }
                    out.push(action(
                        ActionKind::Persuade,
                        id,
                        &stage.responsible,
                        deadline,
                        detail,
                        &stage.source,
                    ));
                } else if stage.until == Until::CourtOutcome && self.court_outcome.is_none() {
                    out.push(action(
                        ActionKind::AwaitCourtOutcome,
                        id,
                        &stage.responsible,
                        None,
                        format!("{}: record the court's outcome", stage.name_en),
                        &stage.source,
                    ));
                } else {
                    match deadline {
                        Some(d) if today > d => {
                            let next = self.ladder.next_after(&stage.id);
                            match next {
                                Some(next) => out.push(action(
                                    ActionKind::Escalate,
                                    Some(next.id.as_str()),
                                    &next.responsible,
                                    d.succ_opt(),
                                    format!(
                                        "the deadline of {} passed on {d} without return: escalate to {} ({})",
                                        stage.id, next.id, next.name_zh
                                    ),
                                    &next.source,
                                )),
                                None => out.push(action(
                                    ActionKind::FollowUp,
                                    id,
                                    &stage.responsible,
                                    Some(d),
                                    format!(
                                        "the deadline of {} passed on {d} and no stage is left: keep at it until the child returns",
                                        stage.id
                                    ),
                                    &stage.source,
                                )),
                            }
                        }
                        _ => out.push(action(
                            ActionKind::FollowUp,
                            id,
                            &stage.responsible,
                            deadline,
                            match deadline {
                                Some(d) => format!(
                                    "{}: keep persuading; the stage's deadline is {d}",
                                    stage.name_en
                                ),
                                None => {
                                    format!("{}: pursue until the child returns", stage.name_en)
                                }
                            },
                            &stage.source,
                        )),
                    }
                }
            }
            Status::HomeTeaching => {
                if let Some(h) = &self.home_teaching {
                    let who = h
                        .teacher
                        .as_deref()
                        .map_or("home-teaching teacher (送教教师)".to_string(), |t| {
                            format!("home-teaching teacher (送教教师) {t}")
                        });
                    // Weeks run Monday to Sunday (care.rs); the first is cut by the
                    // assessment and still needs its visits.
                    let mut start = h.since;
                    while start <= today {
                        let to_sunday = 6 - start.weekday().num_days_from_monday();
                        let end = add_days(start, to_sunday);
                        let made = h
                            .visits
                            .iter()
                            .filter(|v| **v >= start && **v <= end)
                            .count();
                        let made = u32::try_from(made).unwrap_or(u32::MAX);
                        if made < h.visits_per_week {
                            out.push(action(
                                ActionKind::HomeVisit,
                                None,
                                &who,
                                Some(end),
                                format!(
                                    "week {start}–{end}: {made} of {} home-teaching visit(s) made",
                                    h.visits_per_week
                                ),
                                "seed 002; S18; care.home_teaching.visits_per_week",
                            ));
                        }
                        start = add_days(end, 1);
                    }
                }
            }
            Status::Deferred => {
                if let Some(def) = &self.deferral {
                    out.push(action(
                        ActionKind::ReviewDeferral,
                        None,
                        &def.by,
                        Some(def.until),
                        format!(
                            "the deferral ends on {}: review it (return, extend, exempt, or resume persuasion)",
                            def.until
                        ),
                        "义务教育法 art. 11 (S03, S20)",
                    ));
                }
            }
            Status::TransferPending => {
                if let Some(t) = &self.transfer {
                    let late = today > t.confirm_by;
                    out.push(action(
                        ActionKind::ConfirmReceipt,
                        None,
                        &format!("receiving school (接收学校) {}", t.to_school),
                        Some(t.confirm_by),
                        if late {
                            format!(
                                "the transfer of {} is unconfirmed after {}: the student is a suspected dropout again (record transfer_unconfirmed)",
                                t.date, t.confirm_by
                            )
                        } else {
                            format!("confirm the receipt of the transfer of {}", t.date)
                        },
                        "dropout-control.md; dropout.transfer.confirmation_days",
                    ));
                }
            }
            Status::Returned | Status::Exempt | Status::Transferred | Status::AgedOut => {}
        }
        out.sort_by_key(|a| (a.due.is_none(), a.due, a.kind));
        out
    }

    /// The events the passing of time calls for by `today`, applied: an escalation when a
    /// stage's deadline passed without return and with an attempt recorded; a lapse when a
    /// transfer went unconfirmed; ageing out at the school-age limit. A stage whose deadline
    /// passed with no attempt does not escalate: it stays overdue against its responsible
    /// party ([`Case::due`]).
    pub fn advance(&self, today: NaiveDate, policy: &Policy) -> Result<Case> {
        let mut case = self.clone();
        // Each round either closes the case or leaves a stage with no attempt, so two
        // rounds suffice; the bound only guards against a defect.
        for _ in 0..4 {
            if case.is_closed() {
                break;
            }
            let last = case.last_date();
            if let Some(limit) = case.ages_out_on.filter(|b| *b <= today) {
                case.step(
                    Event::AgedOut {
                        date: limit.max(last),
                    },
                    policy,
                )?;
                break;
            }
            let event = match case.status {
                Status::Persuasion => {
                    let next = case.ladder.next_after(&case.stage).map(|s| s.id.clone());
                    match (case.stage_deadline, next) {
                        (Some(d), Some(to)) if today > d && case.stage_attempts > 0 => {
                            Some(Event::Escalated {
                                date: d.succ_opt().unwrap_or(d).max(last),
                                to,
                                note: Some(format!("deadline {d} passed without return")),
                            })
                        }
                        _ => None,
                    }
                }
                Status::TransferPending => case
                    .transfer
                    .as_ref()
                    .filter(|t| today > t.confirm_by)
                    .map(|t| Event::TransferUnconfirmed {
                        date: t.confirm_by.succ_opt().unwrap_or(t.confirm_by).max(last),
                    }),
                _ => None,
            };
            match event {
                Some(e) => case.step(e, policy)?,
                None => break,
            }
        }
        Ok(case)
    }

    /// The case's priority flags on `date` (key months, key stage, key and vulnerable
    /// groups).
    pub fn priority(&self, date: NaiveDate, policy: &Policy) -> Result<Priority> {
        Priority::of(&self.student, date, policy)
    }
}

/// Name the event of an error raised while replaying event `i` (`events[i].…`); errors
/// about the student keep their own path.
fn event_error(e: Error, i: usize) -> Error {
    if e.field().starts_with("student") {
        e
    } else {
        within(e, &format!("events[{i}]"))
    }
}

/// The classification a trigger gives on `date`, or why no case opens.
fn classify(
    student: &Student,
    trigger: &Trigger,
    date: NaiveDate,
    policy: &Policy,
) -> Result<Classification> {
    let region = student.region.as_str();
    match trigger {
        Trigger::Absence {
            first_absent,
            school_days,
        } => {
            if *first_absent > date {
                return Err(Error::invalid(
                    "trigger.first_absent",
                    "out_of_range",
                    format!("first_absent {first_absent} is after the opening date {date}"),
                ));
            }
            let suspected = whole(policy, "dropout.absence.suspected_over_days", region, date)?;
            let dropout = whole(policy, "dropout.absence.dropout_over_days", region, date)?;
            if *school_days > dropout {
                Ok(Classification::Dropout)
            } else if *school_days > suspected {
                Ok(Classification::SuspectedDropout)
            } else {
                Err(case_err(
                    "trigger.school_days",
                    "below_threshold",
                    format!(
                        "{school_days} unexplained school days do not make a suspected dropout: more than {suspected} do (dropout.absence.suspected_over_days); fewer call for a home visit"
                    ),
                ))
            }
        }
        Trigger::Registry { ever_enrolled } => {
            let Some(age) = student.age_on(date) else {
                return Err(Error::invalid(
                    "student.birth_date",
                    "missing_field",
                    "a registry comparison needs the child's birth date to check school age",
                ));
            };
            let from = whole(policy, "dropout.school_age.from_years", region, date)?;
            let until = whole(policy, "dropout.school_age.until_years", region, date)?;
            let (from, until) = (i64::from(from), i64::from(until));
            if i64::from(age) < from || i64::from(age) >= until {
                return Err(case_err(
                    "student.birth_date",
                    "not_school_age",
                    format!(
                        "the child is {age} on {date}: school age is {from} to {}",
                        until - 1
                    ),
                ));
            }
            Ok(if *ever_enrolled {
                Classification::SuspectedDropout
            } else {
                Classification::OutOfSchool
            })
        }
        Trigger::Screening { term } => {
            if Term::containing(date) != *term {
                return Err(Error::invalid(
                    "trigger.term",
                    "out_of_range",
                    format!(
                        "the screening of {term} cannot open a case on {date}, outside that term"
                    ),
                ));
            }
            Ok(Classification::SuspectedDropout)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn opened(policy: &Policy) -> Case {
        Case::open(
            Student::new("U-1", "130431"),
            Trigger::Absence {
                first_absent: d("2024-09-02"),
                school_days: 8,
            },
            d("2024-09-11"),
            policy,
        )
        .unwrap()
    }

    #[test]
    fn json_shapes() {
        let e = Event::Escalated {
            date: d("2024-09-19"),
            to: "school_leaders".into(),
            note: None,
        };
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"type":"escalated","date":"2024-09-19","to":"school_leaders"}"#
        );
        let t = Trigger::Screening {
            term: Term::parse("2024-autumn").unwrap(),
        };
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"kind":"screening","term":"2024-autumn"}"#
        );
        let back: Trigger =
            serde_json::from_str(r#"{"term":"2024-autumn","kind":"screening"}"#).unwrap();
        assert_eq!(back, t);
        let missing_tag = super::super::parse_json::<Event>(r#"{"date":"2024-09-19"}"#);
        assert_eq!(missing_tag.unwrap_err().field(), "type");
    }

    #[test]
    fn a_case_starts_at_the_first_enabled_stage_with_its_deadline() {
        let p = Policy::national();
        let c = opened(&p);
        assert_eq!(c.stage, "class_teacher");
        assert_eq!(c.stage_deadline, Some(d("2024-09-18")));
        assert_eq!(c.status, Status::Persuasion);
        assert_eq!(c.events.len(), 1);
        assert!(c.ages_out_on.is_none());
    }

    #[test]
    fn apply_leaves_the_case_unchanged_on_error() {
        let p = Policy::national();
        let c = opened(&p);
        let before = c.clone();
        assert!(c
            .apply(
                Event::Escalated {
                    date: d("2024-09-20"),
                    to: "school_leaders".into(),
                    note: None
                },
                &p
            )
            .is_err());
        assert_eq!(c, before);
    }

    #[test]
    fn only_dropout_is_a_new_classification() {
        let p = Policy::national();
        let c = opened(&p);
        let e = c
            .apply(
                Event::Classified {
                    date: d("2024-09-12"),
                    classification: Classification::OutOfSchool,
                    note: None,
                },
                &p,
            )
            .unwrap_err();
        assert_eq!((e.code(), e.field()), ("not_allowed", "classification"));
        let c = c
            .apply(
                Event::Classified {
                    date: d("2024-10-12"),
                    classification: Classification::Dropout,
                    note: None,
                },
                &p,
            )
            .unwrap();
        assert_eq!(c.classified_on, d("2024-10-12"));
    }

    #[test]
    fn as_of_replays_a_prefix() {
        let p = Policy::national();
        let c = opened(&p)
            .apply(
                Event::Returned {
                    date: d("2024-09-20"),
                    school: None,
                    note: None,
                },
                &p,
            )
            .unwrap();
        assert_eq!(c.as_of(d("2024-09-10"), &p).unwrap(), None);
        let then = c.as_of(d("2024-09-19"), &p).unwrap().unwrap();
        assert_eq!(then.status, Status::Persuasion);
        assert_eq!(c.as_of(d("2024-09-20"), &p).unwrap().unwrap(), c);
    }
}
