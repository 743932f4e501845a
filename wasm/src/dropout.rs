//! The JSON-text layer of the dropout-control exports (控辍保学: `Case`, `detectAbsence`,
//! `compareRegistry`, `reportsDue`, `consolidation`): JSON text in, core types or JSON text
//! out, so it runs (and is tested) natively like [`crate::text`].
//!
//! Nothing here decides anything: it reads the arguments with the core's own parsers, names
//! the argument in the field of an error (`student.region`, `events[3].date`,
//! `records[2].date`, the way the core names them), calls `eduaid::dropout` and serialises
//! the answer.

use crate::text::{to_json, BindingError};
use eduaid::dropout::detect::{self, AttendanceRecord, Enrolment, RegisteredChild};
use eduaid::dropout::metrics::{self, CohortCounts, CohortKind};
use eduaid::dropout::{reports_due as core_reports_due, Case, Event, Level, Student, Trigger};
use eduaid::{Error, Policy};
use serde::de::DeserializeOwned;

/// Prefix the field of an input error with the argument it came from (`events[3]` + `to`
/// → `events[3].to`; `records` + `[2].date` → `records[2].date`). Other errors (a case
/// rule, a date out of coverage) already name their field.
pub fn within(e: Error, prefix: &str) -> Error {
    match e {
        Error::InvalidInput {
            field,
            code,
            message,
        } => {
            let field = if field.is_empty() {
                prefix.to_string()
            } else if field.starts_with('[') {
                format!("{prefix}{field}")
            } else {
                format!("{prefix}.{field}")
            };
            Error::InvalidInput {
                field,
                code,
                message,
            }
        }
        other => other,
    }
}

/// Parse the JSON text of argument `field` into `T`, naming the offending field inside it.
fn parse_as<T: DeserializeOwned>(field: &str, text: &str) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        within(
            eduaid::json::path_error(e.path().to_string(), e.inner()),
            field,
        )
    })?;
    de.end()
        .map_err(|e| within(eduaid::json::path_error(String::new(), &e), field))?;
    Ok(value)
}

/// A date argument (`YYYY-MM-DD`); the error names `field`.
pub fn date(field: &str, text: &str) -> Result<chrono::NaiveDate, Error> {
    eduaid::calendar::parse_date(field, text)
}

/// The student of a case (`Student::from_json`); errors name `student.…`, as the core's
/// own checks of the student do.
pub fn student(text: &str) -> Result<Student, Error> {
    Student::from_json(text).map_err(|e| within(e, "student"))
}

/// How a case was found; errors name `trigger.…`.
///
/// The core reads a trigger as part of an `opened` event (it has no parser of its own), so
/// the trigger is read as one: the text is first checked to be one JSON value, then
/// placed in an `opened` event and read by `Event::from_json`, which names the field of a
/// bad trigger `trigger.first_absent`.
pub fn trigger(text: &str) -> Result<Trigger, Error> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| within(eduaid::json::path_error(String::new(), &e), "trigger"))?;
    let event = serde_json::json!({ "type": "opened", "date": "2000-01-01", "trigger": value });
    match Event::from_json(&event.to_string())? {
        Event::Opened { trigger, .. } => Ok(trigger),
        other => Err(Error::invalid(
            "trigger",
            "invalid_type",
            format!("expected a trigger, read a '{}' event", other.kind()),
        )),
    }
}

/// One event (`Event::from_json`); errors name the field inside the event.
pub fn event(text: &str) -> Result<Event, Error> {
    Event::from_json(text)
}

/// The events of a case, each given as its JSON text (or the error of turning it into
/// text); errors name `events[i].…`.
pub fn events<I>(items: I) -> Result<Vec<Event>, Error>
where
    I: IntoIterator<Item = Result<String, Error>>,
{
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            item.and_then(|text| Event::from_json(&text))
                .map_err(|e| within(e, &format!("events[{i}]")))
        })
        .collect()
}

/// `Case::open`: a new case for `student`, found by `trigger`, on `date`.
pub fn open(
    student_text: &str,
    trigger_text: &str,
    on: &str,
    policy: &Policy,
) -> Result<Case, Error> {
    let student = student(student_text)?;
    let trigger = trigger(trigger_text)?;
    let on = date("date", on)?;
    Case::open(student, trigger, on, policy)
}

/// `Case::replay`: the case the events give (the first one `opened`).
pub fn replay<I>(student_text: &str, items: I, policy: &Policy) -> Result<Case, Error>
where
    I: IntoIterator<Item = Result<String, Error>>,
{
    let student = student(student_text)?;
    let events = events(items)?;
    Case::replay(student, &events, policy)
}

/// `Case::restore`: a stored case, checked against the replay of its events.
pub fn restore(text: &str, policy: &Policy) -> Result<Case, Error> {
    Case::restore(text, policy)
}

/// `case.apply(event)`: the case with the event applied.
pub fn apply(case: &Case, event_text: &str, policy: &Policy) -> Result<Case, Error> {
    case.apply(event(event_text)?, policy)
}

/// `case.advance(today)`: the escalations, lapses and ageing-out the date calls for.
pub fn advance(case: &Case, today: &str, policy: &Policy) -> Result<Case, Error> {
    case.advance(date("today", today)?, policy)
}

/// `case.due(today)`: the actions due, as JSON text.
pub fn due(case: &Case, today: &str, policy: &Policy) -> Result<String, BindingError> {
    let today = date("today", today)?;
    to_json(&case.due(today, policy))
}

/// The case as JSON text (what `Case::restore` reads).
pub fn case_json(case: &Case) -> Result<String, BindingError> {
    to_json(case)
}

/// `detect::detect_absence`: the finding (or `null`) of the run of unexplained absence
/// ending on `as_of`; errors name `records[i].…`.
pub fn detect_absence(
    student_id: &str,
    records: &str,
    as_of: &str,
    region: &str,
    policy: &Policy,
) -> Result<String, BindingError> {
    let records: Vec<AttendanceRecord> = parse_as("records", records)?;
    let as_of = date("as_of", as_of)?;
    to_json(&detect::detect_absence(
        student_id, &records, as_of, region, policy,
    )?)
}

/// `detect::compare_registry`: the findings of comparing registered children with
/// enrolments; errors name `children[i].…` and `enrolments[i].…`.
pub fn compare_registry(
    children: &str,
    enrolments: &str,
    as_of: &str,
    policy: &Policy,
) -> Result<String, BindingError> {
    let children: Vec<RegisteredChild> = parse_as("children", children)?;
    let enrolments: Vec<Enrolment> = parse_as("enrolments", enrolments)?;
    let as_of = date("as_of", as_of)?;
    to_json(&detect::compare_registry(
        &children,
        &enrolments,
        as_of,
        policy,
    )?)
}

/// `reports_due`: the reports `level` owes as of `on` in `region`.
pub fn reports_due(
    level: &str,
    on: &str,
    region: &str,
    policy: &Policy,
) -> Result<String, BindingError> {
    let level = Level::parse("level", level)?;
    let on = date("date", on)?;
    to_json(&core_reports_due(level, on, region, policy)?)
}

/// `metrics::consolidation`: the consolidation rate of `cohort` against its target;
/// errors name `cohort`, `counts.…`, `graduation`.
pub fn consolidation(
    cohort: &str,
    counts: &str,
    graduation: &str,
    region: &str,
    policy: &Policy,
) -> Result<String, BindingError> {
    let cohort: CohortKind = serde_json::from_value(serde_json::Value::from(cohort))
        .map_err(|e| eduaid::json::path_error("cohort".into(), &e))?;
    let counts: CohortCounts = parse_as("counts", counts)?;
    let graduation = date("graduation", graduation)?;
    to_json(&metrics::consolidation(
        cohort, &counts, graduation, region, policy,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::national;

    const STUDENT: &str = r#"{"student_id":"S-A","region":"130431","birth_date":"2010-05-20"}"#;
    const ABSENCE: &str = r#"{"kind":"absence","first_absent":"2024-09-02","school_days":8}"#;

    #[test]
    fn a_case_opens_applies_and_replays_like_the_core() {
        let policy = national().unwrap();
        let case = open(STUDENT, ABSENCE, "2024-09-11", &policy).unwrap();
        let attempt = r#"{"type":"persuasion_attempt","date":"2024-09-12","actor":"班主任","outcome":"refused"}"#;
        let next = apply(&case, attempt, &policy).unwrap();
        assert_eq!(next.events.len(), 2);
        assert_eq!(case.events.len(), 1, "apply leaves the case alone");
        let items = next
            .events
            .iter()
            .map(|e| Ok(serde_json::to_string(e).unwrap()));
        let replayed = replay(STUDENT, items, &policy).unwrap();
        assert_eq!(replayed, next);
        let text = case_json(&next).unwrap();
        assert_eq!(restore(&text, &policy).unwrap(), next);
        let actions: serde_json::Value =
            serde_json::from_str(&due(&next, "2024-09-30", &policy).unwrap()).unwrap();
        assert_eq!(actions[0]["kind"], "escalate");
        let advanced = advance(&next, "2024-09-30", &policy).unwrap();
        assert_ne!(advanced.stage, next.stage);
    }

    #[test]
    fn errors_name_the_argument() {
        let policy = national().unwrap();
        let e = open(
            r#"{"student_id":"S","region":"1304"}"#,
            ABSENCE,
            "2024-09-11",
            &policy,
        )
        .unwrap_err();
        assert_eq!((e.field(), e.code()), ("student.region", "invalid_region"));
        let e = open(
            STUDENT,
            r#"{"kind":"absence","first_absent":"2024-13-02","school_days":8}"#,
            "2024-09-11",
            &policy,
        )
        .unwrap_err();
        assert_eq!(e.field(), "trigger.first_absent");
        let e = open(STUDENT, r#"{"kind":"absense"}"#, "2024-09-11", &policy).unwrap_err();
        assert_eq!(
            (e.field(), e.code()),
            ("trigger", "unknown_variant"),
            "{e:?}"
        );
        let e = open(STUDENT, "{", "2024-09-11", &policy).unwrap_err();
        assert_eq!((e.field(), e.code()), ("trigger", "invalid_json"));
        let e = open(STUDENT, "5", "2024-09-11", &policy).unwrap_err();
        assert_eq!(e.field(), "trigger");
        let e = open(STUDENT, ABSENCE, "2024-09-31", &policy).unwrap_err();
        assert_eq!((e.field(), e.code()), ("date", "invalid_date"));
        let items = vec![
            Ok(r#"{"type":"opened","date":"2024-09-11","trigger":{"kind":"registry","ever_enrolled":true}}"#.to_string()),
            Ok(r#"{"type":"escalated","date":"2024-09-31","to":"school_leaders"}"#.to_string()),
        ];
        let e = replay(STUDENT, items, &policy).unwrap_err();
        assert_eq!(e.field(), "events[1].date", "{e:?}");
        let e = detect_absence(
            "S",
            r#"[{"date":"2024-09-02","status":"away"}]"#,
            "2024-09-10",
            "",
            &policy,
        )
        .unwrap_err();
        assert_eq!(
            (e.field(), e.code()),
            ("records[0].status", "unknown_variant")
        );
        let e = consolidation(
            "primry",
            r#"{"entrants":1,"graduates":1}"#,
            "2024-06-30",
            "",
            &policy,
        )
        .unwrap_err();
        assert_eq!((e.field(), e.code()), ("cohort", "unknown_variant"));
        let e =
            consolidation("primary", r#"{"entrants":1}"#, "2024-06-30", "", &policy).unwrap_err();
        assert_eq!((e.field(), e.code()), ("counts.graduates", "missing_field"));
        let e = reports_due("town", "2024-09-30", "", &policy).unwrap_err();
        assert_eq!(e.field(), "level");
        let e = compare_registry("[]", "{}", "2024-09-30", &policy).unwrap_err();
        assert_eq!(e.field(), "enrolments");
    }

    #[test]
    fn detection_and_metrics_answer_in_json() {
        let policy = national().unwrap();
        let records = r#"[{"date":"2024-09-02","status":"absent"},{"date":"2024-09-03","status":"absent"},
            {"date":"2024-09-04","status":"absent"}]"#;
        let found: serde_json::Value =
            serde_json::from_str(&detect_absence("S", records, "2024-09-04", "", &policy).unwrap())
                .unwrap();
        assert_eq!(found["trigger"]["school_days"], 3);
        let none = detect_absence("S", "[]", "2024-09-04", "", &policy).unwrap();
        assert_eq!(none, "null");
        let rate: serde_json::Value = serde_json::from_str(
            &consolidation(
                "nine_year",
                r#"{"entrants":200,"graduates":190}"#,
                "2024-06-30",
                "",
                &policy,
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(rate["rate"]["percent"], "95");
        let reports: serde_json::Value =
            serde_json::from_str(&reports_due("county", "2024-09-30", "", &policy).unwrap())
                .unwrap();
        assert!(reports.as_array().is_some_and(|r| !r.is_empty()));
    }
}
