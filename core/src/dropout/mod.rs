//! Dropout control (控辍保学): detecting children out of school, one case per child
//! (一人一案) escalating up the persuasion ladder (劝返) until the child is back, the exits
//! (return, home-delivered teaching, deferral, exemption, transfer, ageing out), the three
//! ledgers (三台账), the metrics (consolidation rate, dropout rate, dynamic zero) and the
//! reporting rhythm (dropout-control.md; policy-parameters.md §11).
//!
//! Everything here is a pure function over plain data: no clock, no I/O. The date is an
//! argument, and every figure — thresholds, deadlines, windows, visit frequencies, the
//! ladder itself — is dated policy data (`core/policy/national/dropout.json`, overridable
//! per region), never a constant: the national figures are local examples used as
//! defaults (§16 item 15), and the data marks them so.
//!
//! - [`detect`]: attendance runs, registry comparison, term-start screening → findings.
//! - [`Case`]: open, [`Case::apply`] an [`Event`], [`Case::due`] → [`Action`]s,
//!   [`Case::replay`] the stored events.
//! - [`ledger`]: the three ledgers and the event log as exportable rows.
//! - [`metrics`]: consolidation and dropout rates, dynamic-zero status.
//! - [`rhythm`]: the reports due at each level on a date; [`priority`]: key months,
//!   stages and groups.
//! - [`section`]: the `dropout` section of the policy files (ladder, priorities,
//!   holidays, reporting), validated at load.
//!
//! ## Readings where dropout-control.md is silent
//!
//! - Thresholds: "3 days" is *at least* 3 consecutive unexplained school days; "more than 5"
//!   and "more than 20" are strict. A school day without an attendance record counts as
//!   attended; leave (请假) breaks a run; `no_school` records and weekend records override
//!   the calendar. Below the suspected threshold no case opens (`below_threshold`).
//! - Dated figures are read on the date of the event they govern; the ladder is the one in
//!   force for the student's region on the opening date and stays with the case.
//! - Deadlines count calendar days from entering a stage: entered on the 11th with 7 days,
//!   the deadline is the 18th and escalation is due on the 19th. Escalating before the
//!   deadline is allowed once an attempt is recorded; escalating is never automatic except
//!   through [`Case::advance`], which the caller invokes.
//! - Litigation: escalation needs the court's outcome; the compliance deadline is the
//!   outcome's `return_by`, else its date plus `comply_days`. Enforcement is open-ended.
//! - Reopening resumes the stage the case closed in, with a fresh deadline; only a case
//!   closed on return reopens. Resuming after a deferral, a school placement after home
//!   teaching and a lapsed transfer also resume that stage.
//! - Classification only moves on to dropout; a lapsed transfer turns out-of-school into
//!   suspected dropout. The ledgers hold open cases on the ladder only: home teaching
//!   (enrolled), approved deferrals and transfers within their window are off them.
//! - Past the school-age limit an open case accepts only `aged_out`, a return, a transfer
//!   confirmation or an exemption; no case opens for a child past it.

pub mod case;
pub mod detect;
pub mod ledger;
pub mod metrics;
pub mod priority;
pub mod rhythm;
pub mod section;
pub mod student;
mod tagged;

pub use case::{
    Action, ActionKind, Case, Classification, CourtOutcome, Event, GuardianMeasure, Outcome,
    Placement, Status, Trigger,
};
pub use detect::{AttendanceRecord, AttendanceStatus, Finding, FindingLevel};
pub use priority::Priority;
pub use rhythm::{reports_due, ReportDue};
pub use section::{Ladder, LadderStage, Level, SchoolCalendar, Until};
pub use student::{ChildGroup, Student};

use crate::policy::Policy;
use crate::{Error, Result};
use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;

/// Largest JSON text accepted for a case, an event or a student (input size limit).
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// Validate the `dropout` section of a policy layer (called at load by `sections.rs`):
/// the error is the path inside the section and a message.
pub(crate) fn validate_section(
    value: &serde_json::Value,
    region: Option<&str>,
) -> std::result::Result<(), (String, String)> {
    section::validate(value, region)
}

/// Parse JSON text into `T`, naming the field of any error.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    if text.len() > MAX_JSON_BYTES {
        return Err(Error::invalid(
            "",
            "too_large",
            format!(
                "the text is {} bytes; the limit is {MAX_JSON_BYTES}",
                text.len()
            ),
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| locate(crate::json::path_error(e.path().to_string(), e.inner())))?;
    de.end()
        .map_err(|e| crate::json::path_error(String::new(), &e))?;
    Ok(value)
}

/// Put the field named inside a message back into the path: events and triggers report
/// `in field 'date': …` (see `tagged.rs`), and an unknown field of a buffered map may be
/// missing from the path.
fn locate(e: Error) -> Error {
    let Error::InvalidInput {
        mut field,
        mut code,
        mut message,
    } = e
    else {
        return e;
    };
    let join = |field: &str, sub: &str| {
        if field.is_empty() {
            sub.to_string()
        } else {
            format!("{field}.{sub}")
        }
    };
    let mut moved = false;
    while let Some((sub, rest)) = message
        .strip_prefix("in field '")
        .and_then(|r| r.split_once("': "))
    {
        field = join(&field, sub);
        message = rest.to_string();
        moved = true;
    }
    let quoted = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|r| r.split_once('\''))
            .map(|(name, _)| name.to_string())
    };
    if let Some(child) = quoted("missing field '") {
        if moved {
            field = join(&field, &child);
        }
        code = "missing_field".into();
    } else if let Some(name) = quoted("unknown field '") {
        if !field.ends_with(&name) {
            field = join(&field, &name);
        }
        code = "unknown_field".into();
    } else if moved && message.starts_with("unknown variant") {
        code = "unknown_variant".into();
        message = message.replacen("unknown variant", "unknown value", 1);
    }
    Error::InvalidInput {
        field,
        code,
        message,
    }
}

/// A whole number of days, years or visits from parameter `name` in force on `date`.
pub(crate) fn whole(policy: &Policy, name: &str, region: &str, date: NaiveDate) -> Result<u32> {
    let r = policy.require(name, region, date)?;
    r.decimal()
        .filter(|d| d.fract().is_zero())
        .and_then(|d| d.to_u32())
        .ok_or_else(|| Error::Policy {
            file: "policy".into(),
            line: 0,
            field: name.into(),
            code: "invalid_value".into(),
            message: format!("{name} must be a whole number, found {:?}", r.value),
        })
}

/// `date` plus `days` calendar days (saturating at the calendar's end).
pub(crate) fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// Prefix the field of an error with `prefix` (`events[3]` + `to` → `events[3].to`).
pub(crate) fn within(e: Error, prefix: &str) -> Error {
    let join = |field: String| {
        if field.is_empty() {
            prefix.to_string()
        } else if field.starts_with('[') {
            format!("{prefix}{field}")
        } else {
            format!("{prefix}.{field}")
        }
    };
    match e {
        Error::InvalidInput {
            field,
            code,
            message,
        } => Error::InvalidInput {
            field: join(field),
            code,
            message,
        },
        Error::Case {
            field,
            code,
            message,
        } => Error::Case {
            field: join(field),
            code,
            message,
        },
        Error::NotInForce { field, message } => Error::NotInForce {
            field: join(field),
            message,
        },
        other => other,
    }
}
