//! The three ledgers (三台账, 教基厅函〔2024〕15号, S06) and the event log, as flat rows a
//! caller can write as CSV or a table: the school-age children ledger (适龄儿童台账), the
//! suspected-dropout ledger (疑似辍学学生台账) and the dropout ledger (辍学学生台账); every
//! event with its date, actor and outcome (每次劝返记录).
//!
//! A case is on the suspected or dropout ledger while it is open on the persuasion ladder;
//! it leaves on the child's return (动态销号), and also while the child is in home teaching
//! (counted as enrolled), on an approved deferral, or in a transfer still within its
//! confirmation window.

use super::case::{Case, Classification, Event, Status};
use super::detect::{child_status, enrolment_index, ChildStatus, Enrolment, RegisteredChild};
use super::student::age_on;
use super::Priority;
use crate::policy::Policy;
use crate::Result;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Which of the three ledgers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ledger {
    /// 适龄儿童台账.
    SchoolAge,
    /// 疑似辍学学生台账 (suspected dropouts and suspected out-of-school children).
    SuspectedDropout,
    /// 辍学学生台账.
    Dropout,
}

/// The open ledger a case is on now, if any.
pub fn ledger_of(case: &Case) -> Option<Ledger> {
    if case.status != Status::Persuasion {
        return None;
    }
    Some(match case.classification {
        Classification::Dropout => Ledger::Dropout,
        Classification::SuspectedDropout | Classification::OutOfSchool => Ledger::SuspectedDropout,
    })
}

/// One case as a ledger row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaseRow {
    /// Student id.
    pub student_id: String,
    /// Name.
    pub name: String,
    /// Region code.
    pub region: String,
    /// School.
    pub school: String,
    /// Stage of education (`junior_middle`), empty when unknown.
    pub education_stage: String,
    /// Grade, empty when unknown.
    pub grade: String,
    /// Opening date.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub opened: NaiveDate,
    /// Trigger kind (`absence`, `registry`, `screening`).
    pub trigger: String,
    /// Classification.
    pub classification: String,
    /// Status.
    pub status: String,
    /// Since when.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub status_since: NaiveDate,
    /// The ledger the case is on (`suspected_dropout`, `dropout`), empty when on none.
    pub ledger: String,
    /// Ladder stage.
    pub stage: String,
    /// Its responsible party.
    pub responsible: String,
    /// Stage entered on.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub stage_since: NaiveDate,
    /// Stage deadline, if any.
    #[serde(default, deserialize_with = "crate::calendar::de::option_date")]
    pub stage_deadline: Option<NaiveDate>,
    /// Attempts at the stage.
    pub stage_attempts: u32,
    /// Attempts over the case.
    pub attempts: u32,
    /// Date of the last event.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub last_event: NaiveDate,
    /// Closing date.
    #[serde(default, deserialize_with = "crate::calendar::de::option_date")]
    pub closed_on: Option<NaiveDate>,
    /// Key group (重点保障对象).
    pub key_group: bool,
    /// Vulnerable groups, comma-separated.
    pub groups: String,
}

impl CaseRow {
    /// The row of `case` on `date` (priority flags read on that date).
    pub fn of(case: &Case, date: NaiveDate, policy: &Policy) -> Result<CaseRow> {
        let p = Priority::of(&case.student, date, policy)?;
        let s = &case.student;
        Ok(CaseRow {
            student_id: s.student_id.clone(),
            name: s.name.clone().unwrap_or_default(),
            region: s.region.clone(),
            school: s.school.clone().unwrap_or_default(),
            education_stage: s.stage.map(|x| x.as_str().to_string()).unwrap_or_default(),
            grade: s.grade.map(|g| g.to_string()).unwrap_or_default(),
            opened: case.opened,
            trigger: trigger_kind(case).into(),
            classification: case.classification.as_str().into(),
            status: case.status.as_str().into(),
            status_since: case.status_since,
            ledger: match ledger_of(case) {
                Some(Ledger::Dropout) => "dropout".into(),
                Some(Ledger::SuspectedDropout) => "suspected_dropout".into(),
                _ => String::new(),
            },
            stage: case.stage.clone(),
            responsible: case
                .current_stage()
                .map(|st| st.responsible.clone())
                .unwrap_or_default(),
            stage_since: case.stage_since,
            stage_deadline: case.stage_deadline,
            stage_attempts: case.stage_attempts,
            attempts: case.attempts,
            last_event: case.last_date(),
            closed_on: case.closed_on,
            key_group: p.key_group,
            groups: p
                .groups
                .iter()
                .map(|g| g.as_str())
                .collect::<Vec<_>>()
                .join(","),
        })
    }
}

fn trigger_kind(case: &Case) -> &'static str {
    match case.trigger {
        super::Trigger::Absence { .. } => "absence",
        super::Trigger::Registry { .. } => "registry",
        super::Trigger::Screening { .. } => "screening",
    }
}

/// The suspected-dropout and dropout ledgers as of a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledgers {
    /// 疑似辍学学生台账.
    pub suspected: Vec<CaseRow>,
    /// 辍学学生台账.
    pub dropouts: Vec<CaseRow>,
}

/// Every case as it stood at the end of `as_of` (cases opened later left out), as rows.
pub fn case_rows(cases: &[Case], as_of: NaiveDate, policy: &Policy) -> Result<Vec<CaseRow>> {
    let mut rows = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let then = case
            .as_of(as_of, policy)
            .map_err(|e| super::within(e, &format!("cases[{i}]")))?;
        if let Some(then) = then {
            rows.push(CaseRow::of(&then, as_of, policy)?);
        }
    }
    Ok(rows)
}

/// The suspected-dropout and dropout ledgers on `as_of`.
pub fn ledgers(cases: &[Case], as_of: NaiveDate, policy: &Policy) -> Result<Ledgers> {
    let rows = case_rows(cases, as_of, policy)?;
    let (dropouts, rest): (Vec<CaseRow>, Vec<CaseRow>) =
        rows.into_iter().partition(|r| r.ledger == "dropout");
    Ok(Ledgers {
        suspected: rest
            .into_iter()
            .filter(|r| r.ledger == "suspected_dropout")
            .collect(),
        dropouts,
    })
}

/// One row of the school-age children ledger (适龄儿童台账).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SchoolAgeRow {
    /// Resident identity number.
    pub resident_id: String,
    /// Student id.
    pub student_id: String,
    /// Name.
    pub name: String,
    /// Date of birth.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub birth_date: NaiveDate,
    /// Age in full years on the ledger's date.
    pub age: i32,
    /// Region code.
    pub region: String,
    /// Status from the comparison with the enrolments.
    pub status: ChildStatus,
}

/// The school-age children ledger on `as_of`: every registered child of school age with
/// the status the enrolment comparison gives.
pub fn school_age_ledger(
    children: &[RegisteredChild],
    enrolments: &[Enrolment],
    as_of: NaiveDate,
    policy: &Policy,
) -> Result<Vec<SchoolAgeRow>> {
    let index = enrolment_index(enrolments);
    let mut rows = Vec::new();
    for child in children {
        if let Some(status) = child_status(child, &index, as_of, policy)? {
            rows.push(SchoolAgeRow {
                resident_id: child.resident_id.clone(),
                student_id: child.student_id.clone().unwrap_or_default(),
                name: child.name.clone().unwrap_or_default(),
                birth_date: child.birth_date,
                age: age_on(child.birth_date, as_of),
                region: child.region.clone(),
                status,
            });
        }
    }
    Ok(rows)
}

/// One event of a case as a row (每次劝返记录).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventRow {
    /// Student id.
    pub student_id: String,
    /// The case's opening date (with the student id, the case's key).
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub case_opened: NaiveDate,
    /// 1-based position in the case's history.
    pub seq: usize,
    /// Date.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub date: NaiveDate,
    /// Event type.
    pub event: String,
    /// The ladder stage the case stood at after the event.
    pub stage: String,
    /// Who acted.
    pub actor: String,
    /// The outcome (of an attempt, a court, an assessment).
    pub outcome: String,
    /// Other details (document, target stage, dates).
    pub detail: String,
}

/// Every event of `case` as a row, with the stage it stood at (followed from the
/// escalations alone: no policy needed).
pub fn event_rows(case: &Case) -> Vec<EventRow> {
    let mut stage = case
        .ladder
        .first()
        .map(|s| s.id.clone())
        .unwrap_or_default();
    let responsible = |id: &str| {
        case.ladder
            .stage(id)
            .map(|s| s.responsible.clone())
            .unwrap_or_default()
    };
    let mut rows = Vec::with_capacity(case.events.len());
    for (i, e) in case.events.iter().enumerate() {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let (actor, outcome, detail) = match e {
            Event::Opened { trigger, .. } => (
                String::new(),
                String::new(),
                serde_json::to_string(trigger).unwrap_or_default(),
            ),
            Event::Classified {
                classification,
                note,
                ..
            } => (
                String::new(),
                classification.as_str().to_string(),
                opt(note),
            ),
            Event::PersuasionAttempt {
                actor,
                outcome,
                document,
                note,
                ..
            } => (
                actor.clone(),
                outcome.as_str().to_string(),
                [opt(document), opt(note)]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Event::Escalated { to, note, .. } => {
                stage = to.clone();
                (responsible(to), String::new(), opt(note))
            }
            Event::GuardianMeasure {
                measure, by, note, ..
            } => (
                by.clone(),
                serde_json::to_value(measure)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                opt(note),
            ),
            Event::CourtOutcome {
                outcome,
                return_by,
                note,
                ..
            } => (
                String::new(),
                serde_json::to_value(outcome)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                [
                    return_by
                        .map(|d| format!("return by {d}"))
                        .unwrap_or_default(),
                    opt(note),
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("; "),
            ),
            Event::Returned { school, note, .. } => (opt(school), String::new(), opt(note)),
            Event::Reopened {
                trigger, reason, ..
            } => (
                String::new(),
                String::new(),
                [
                    trigger
                        .as_ref()
                        .and_then(|t| serde_json::to_string(t).ok())
                        .unwrap_or_default(),
                    opt(reason),
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("; "),
            ),
            Event::Assessed {
                by,
                placement,
                teacher,
                note,
                ..
            } => (
                by.clone(),
                serde_json::to_value(placement)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                [
                    teacher
                        .as_ref()
                        .map(|t| format!("teacher {t}"))
                        .unwrap_or_default(),
                    opt(note),
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("; "),
            ),
            Event::HomeVisit {
                teacher,
                hours,
                note,
                ..
            } => (
                teacher.clone(),
                String::new(),
                [
                    hours
                        .map(|h| format!("{h} class hours"))
                        .unwrap_or_default(),
                    opt(note),
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("; "),
            ),
            Event::ApprovedDeferral {
                kind, until, by, ..
            } => (
                by.clone(),
                serde_json::to_value(kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                format!("until {until}"),
            ),
            Event::Resumed { note, .. } => (String::new(), String::new(), opt(note)),
            Event::ApprovedExemption { by, note, .. } => (by.clone(), String::new(), opt(note)),
            Event::Transferred {
                to_school,
                to_region,
                ..
            } => (
                String::new(),
                String::new(),
                match to_region {
                    Some(r) => format!("to {to_school} ({r})"),
                    None => format!("to {to_school}"),
                },
            ),
            Event::ReceiptConfirmed { by, .. } => (by.clone(), String::new(), String::new()),
            Event::TransferUnconfirmed { .. } | Event::AgedOut { .. } => {
                (String::new(), String::new(), String::new())
            }
        };
        rows.push(EventRow {
            student_id: case.student.student_id.clone(),
            case_opened: case.opened,
            seq: i + 1,
            date: e.date(),
            event: e.kind().to_string(),
            stage: stage.clone(),
            actor,
            outcome,
            detail,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dropout::{Outcome, Student, Trigger};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn rows_follow_the_stage_and_name_the_actor() {
        let p = Policy::national();
        let c = Case::open(
            Student::new("L-1", "130431"),
            Trigger::Absence {
                first_absent: d("2024-11-04"),
                school_days: 21,
            },
            d("2024-12-02"),
            &p,
        )
        .unwrap()
        .apply(
            Event::PersuasionAttempt {
                date: d("2024-12-03"),
                actor: "班主任".into(),
                outcome: Outcome::PromisedReturn,
                stage: None,
                document: Some("家访记录".into()),
                note: Some("promised Monday".into()),
            },
            &p,
        )
        .unwrap()
        .apply(
            Event::Escalated {
                date: d("2024-12-10"),
                to: "school_leaders".into(),
                note: None,
            },
            &p,
        )
        .unwrap();
        let rows = event_rows(&c);
        let got: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| (r.event.as_str(), r.stage.as_str(), r.outcome.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("opened", "class_teacher", ""),
                ("persuasion_attempt", "class_teacher", "promised_return"),
                ("escalated", "school_leaders", ""),
            ]
        );
        assert_eq!(rows[1].detail, "家访记录; promised Monday");
        assert_eq!(ledger_of(&c), Some(Ledger::Dropout));
        let row = CaseRow::of(&c, d("2024-12-10"), &p).unwrap();
        assert_eq!(row.ledger, "dropout");
        assert_eq!(row.attempts, 1);
        assert_eq!(row.stage_attempts, 0);
        assert_eq!(row.stage_deadline, Some(d("2024-12-17")));
    }

    #[test]
    fn school_age_ledger_lists_children_of_school_age() {
        let p = Policy::national();
        let children = vec![
            RegisteredChild {
                resident_id: "A".into(),
                student_id: None,
                name: Some("甲".into()),
                birth_date: d("2012-05-01"),
                region: "130431".into(),
            },
            RegisteredChild {
                resident_id: "B".into(),
                student_id: None,
                name: None,
                birth_date: d("2020-05-01"),
                region: "130431".into(),
            },
        ];
        let rows = school_age_ledger(&children, &[], d("2024-09-01"), &p).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].age, rows[0].status),
            (12, ChildStatus::OutOfSchool)
        );
    }
}
