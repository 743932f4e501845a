//! Dropout control (控辍保学): the case engine (`Case`) and `detect_absence`,
//! `compare_registry`, `reports_due`, `consolidation`.
//!
//! Arguments are Python values (dicts, lists, dates) or their JSON text, read by the
//! core's own parsers; errors name the argument the way the core and the JavaScript
//! binding do (`student.region`, `events[3].date`, `records[2].status`). Answers are the
//! core's JSON as plain Python values (dates as `datetime.date`). Nothing is decided here.

use crate::convert;
use crate::errors::{guard, IntoPyResult};
use crate::policy::PyPolicy;
use crate::services::{decode, parse_as, to_text, within, JsonArg};
use eduaid::dropout::detect::{self, AttendanceRecord, Enrolment, RegisteredChild};
use eduaid::dropout::metrics::{self, CohortCounts, CohortKind};
use eduaid::dropout::{reports_due as core_reports_due, Case, Event, Level, Student, Trigger};
use eduaid::Error;
use pyo3::prelude::*;

/// The student of a case; errors name `student.…`.
fn student(obj: &Bound<'_, PyAny>) -> Result<Student, Error> {
    let text = JsonArg::read(obj, "student")?.into_text();
    Student::from_json(&text).map_err(|e| within(e, "student"))
}

/// How a case was found; errors name `trigger.…`. The core reads a trigger as part of an
/// `opened` event, so it is read as one (as the JavaScript binding does).
fn trigger(obj: &Bound<'_, PyAny>) -> Result<Trigger, Error> {
    let value: serde_json::Value = match JsonArg::read(obj, "trigger")? {
        JsonArg::Text(t) => serde_json::from_str(&t)
            .map_err(|e| within(eduaid::json::path_error(String::new(), &e), "trigger"))?,
        JsonArg::Value(v) => v,
    };
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

/// One event; errors name the field inside it.
fn event(obj: &Bound<'_, PyAny>) -> Result<Event, Error> {
    Event::from_json(&JsonArg::read(obj, "")?.into_text())
}

/// The events of a case (a list, or its JSON text); errors name `events[i].…`.
fn events(obj: &Bound<'_, PyAny>) -> Result<Vec<Event>, Error> {
    match JsonArg::read(obj, "events")? {
        JsonArg::Text(t) => {
            let values: Vec<serde_json::Value> = parse_as("events", JsonArg::Text(t))?;
            values
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    Event::from_json(&v.to_string()).map_err(|e| within(e, &format!("events[{i}]")))
                })
                .collect()
        }
        JsonArg::Value(serde_json::Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                Event::from_json(&v.to_string()).map_err(|e| within(e, &format!("events[{i}]")))
            })
            .collect(),
        JsonArg::Value(_) => Err(Error::invalid(
            "events",
            "invalid_type",
            "expected a list of events",
        )),
    }
}

/// One student's dropout case (一人一案), immutable: ``apply`` and ``advance`` return a
/// new case. Build it with ``Case.open``, ``Case.replay`` or ``Case.restore``.
///
/// >>> import eduaid
/// >>> student = {"student_id": "S-A", "region": "130431", "birth_date": "2010-05-20"}
/// >>> case = eduaid.Case.open(student, {"kind": "absence", "first_absent": "2024-09-02",
/// ...                                   "school_days": 8}, "2024-09-11")
/// >>> case.stage, case.status
/// ('class_teacher', 'persuasion')
/// >>> case = case.apply({"type": "persuasion_attempt", "date": "2024-09-12",
/// ...                    "actor": "班主任", "outcome": "refused"})
/// >>> [a["kind"] for a in case.due("2024-09-30")]
/// ['escalate']
#[pyclass(name = "Case", module = "eduaid._eduaid", frozen)]
pub struct PyCase(pub Case);

#[pymethods]
impl PyCase {
    /// A new case for ``student``, found by ``trigger``, on ``date``.
    #[staticmethod]
    #[pyo3(signature = (student, trigger, date, policy = None))]
    fn open(
        py: Python<'_>,
        student: &Bound<'_, PyAny>,
        trigger: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
        policy: Option<&Bound<'_, PyPolicy>>,
    ) -> PyResult<PyCase> {
        let policy = PyPolicy::or_national(py, policy)?;
        let s = self::student(student).py(py)?;
        let t = self::trigger(trigger).py(py)?;
        let on = convert::date("date", date).py(py)?;
        guard(|| Case::open(s, t, on, &policy)).py(py).map(PyCase)
    }

    /// The case the events give (the first one ``opened``).
    #[staticmethod]
    #[pyo3(signature = (student, events, policy = None))]
    fn replay(
        py: Python<'_>,
        student: &Bound<'_, PyAny>,
        events: &Bound<'_, PyAny>,
        policy: Option<&Bound<'_, PyPolicy>>,
    ) -> PyResult<PyCase> {
        let policy = PyPolicy::or_national(py, policy)?;
        let s = self::student(student).py(py)?;
        let list = self::events(events).py(py)?;
        guard(|| Case::replay(s, &list, &policy)).py(py).map(PyCase)
    }

    /// A stored case (its ``to_json`` text, or ``to_dict``), checked against the replay
    /// of its events.
    #[staticmethod]
    #[pyo3(signature = (stored, policy = None))]
    fn restore(
        py: Python<'_>,
        stored: &Bound<'_, PyAny>,
        policy: Option<&Bound<'_, PyPolicy>>,
    ) -> PyResult<PyCase> {
        let policy = PyPolicy::or_national(py, policy)?;
        let text = JsonArg::read(stored, "").py(py)?.into_text();
        guard(|| Case::restore(&text, &policy)).py(py).map(PyCase)
    }

    /// The case with ``event`` (a dict or its JSON text) applied; this case is unchanged.
    #[pyo3(signature = (event, policy = None))]
    fn apply(
        &self,
        py: Python<'_>,
        event: &Bound<'_, PyAny>,
        policy: Option<&Bound<'_, PyPolicy>>,
    ) -> PyResult<PyCase> {
        let policy = PyPolicy::or_national(py, policy)?;
        let e = self::event(event).py(py)?;
        guard(|| self.0.apply(e, &policy)).py(py).map(PyCase)
    }

    /// The case with the escalations, lapses and ageing-out that ``today`` calls for.
    #[pyo3(signature = (today, policy = None))]
    fn advance(
        &self,
        py: Python<'_>,
        today: &Bound<'_, PyAny>,
        policy: Option<&Bound<'_, PyPolicy>>,
    ) -> PyResult<PyCase> {
        let policy = PyPolicy::or_national(py, policy)?;
        let today = convert::date("today", today).py(py)?;
        guard(|| self.0.advance(today, &policy)).py(py).map(PyCase)
    }

    /// The actions due on ``today`` (a list of dicts, most urgent first).
    #[pyo3(signature = (today, policy = None))]
    fn due<'py>(
        &self,
        py: Python<'py>,
        today: &Bound<'py, PyAny>,
        policy: Option<&Bound<'py, PyPolicy>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let policy = PyPolicy::or_national(py, policy)?;
        let today = convert::date("today", today).py(py)?;
        let text = guard(|| Ok(self.0.due(today, &policy)))
            .and_then(|a| to_text(&a))
            .py(py)?;
        decode(py, &text)
    }

    /// The current stage of the ladder.
    #[getter]
    fn stage(&self) -> &str {
        &self.0.stage
    }

    /// Where the case stands (``open``, ``closed``, ...).
    #[getter]
    fn status(&self) -> &'static str {
        self.0.status.as_str()
    }

    /// The student's id.
    #[getter]
    fn student_id(&self) -> &str {
        &self.0.student.student_id
    }

    /// Whether the case is closed.
    #[getter]
    fn is_closed(&self) -> bool {
        self.0.is_closed()
    }

    /// The case as plain Python values (dates as ``datetime.date``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = to_text(&self.0).py(py)?;
        decode(py, &text)
    }

    /// The case as JSON text (what ``Case.restore`` reads).
    #[pyo3(signature = (*, indent = false))]
    fn to_json(&self, py: Python<'_>, indent: bool) -> PyResult<String> {
        let result = if indent {
            serde_json::to_string_pretty(&self.0)
                .map_err(|e| crate::errors::Failure::Panic(e.to_string()))
        } else {
            to_text(&self.0)
        };
        result.py(py)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyCase>().is_ok_and(|o| o.get().0 == self.0)
    }

    fn __repr__(&self) -> String {
        format!(
            "Case(student_id={:?}, stage={:?}, status={:?}, events={})",
            self.0.student.student_id,
            self.0.stage,
            self.0.status.as_str(),
            self.0.events.len()
        )
    }
}

/// The finding (a dict) of the run of unexplained absence ending on ``as_of``, or None.
///
/// >>> import eduaid
/// >>> records = [{"date": f"2024-09-0{d}", "status": "absent"} for d in (2, 3, 4)]
/// >>> eduaid.detect_absence("S", records, "2024-09-04")["trigger"]["school_days"]
/// 3
#[pyfunction]
#[pyo3(signature = (student_id, records, as_of, region = "", policy = None))]
pub fn detect_absence<'py>(
    py: Python<'py>,
    student_id: &str,
    records: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    region: &str,
    policy: Option<&Bound<'py, PyPolicy>>,
) -> PyResult<Bound<'py, PyAny>> {
    let policy = PyPolicy::or_national(py, policy)?;
    let records: Vec<AttendanceRecord> = JsonArg::read(records, "records")
        .and_then(|a| parse_as("records", a))
        .py(py)?;
    let as_of = convert::date("as_of", as_of).py(py)?;
    let text = guard(|| detect::detect_absence(student_id, &records, as_of, region, &policy))
        .and_then(|f| to_text(&f))
        .py(py)?;
    decode(py, &text)
}

/// The findings (a list of dicts) of comparing registered children with enrolments.
#[pyfunction]
#[pyo3(signature = (children, enrolments, as_of, policy = None))]
pub fn compare_registry<'py>(
    py: Python<'py>,
    children: &Bound<'py, PyAny>,
    enrolments: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyPolicy>>,
) -> PyResult<Bound<'py, PyAny>> {
    let policy = PyPolicy::or_national(py, policy)?;
    let children: Vec<RegisteredChild> = JsonArg::read(children, "children")
        .and_then(|a| parse_as("children", a))
        .py(py)?;
    let enrolments: Vec<Enrolment> = JsonArg::read(enrolments, "enrolments")
        .and_then(|a| parse_as("enrolments", a))
        .py(py)?;
    let as_of = convert::date("as_of", as_of).py(py)?;
    let text = guard(|| detect::compare_registry(&children, &enrolments, as_of, &policy))
        .and_then(|f| to_text(&f))
        .py(py)?;
    decode(py, &text)
}

/// The reports (a list of dicts) that ``level`` (``school``, ``county``, ...) owes as of
/// ``date`` in ``region``.
///
/// >>> import eduaid
/// >>> len(eduaid.reports_due("county", "2024-09-30")) > 0
/// True
#[pyfunction]
#[pyo3(signature = (level, date, region = "", policy = None))]
pub fn reports_due<'py>(
    py: Python<'py>,
    level: &str,
    date: &Bound<'py, PyAny>,
    region: &str,
    policy: Option<&Bound<'py, PyPolicy>>,
) -> PyResult<Bound<'py, PyAny>> {
    let policy = PyPolicy::or_national(py, policy)?;
    let level = Level::parse("level", level).py(py)?;
    let on = convert::date("date", date).py(py)?;
    let text = guard(|| core_reports_due(level, on, region, &policy))
        .and_then(|r| to_text(&r))
        .py(py)?;
    decode(py, &text)
}

/// The consolidation rate (巩固率) of ``cohort`` (``primary``, ``junior``,
/// ``nine_year``) against its target (a dict; the rate's ``percent`` is a ``Decimal``).
#[pyfunction]
#[pyo3(signature = (cohort, counts, graduation, region = "", policy = None))]
pub fn consolidation<'py>(
    py: Python<'py>,
    cohort: &str,
    counts: &Bound<'py, PyAny>,
    graduation: &Bound<'py, PyAny>,
    region: &str,
    policy: Option<&Bound<'py, PyPolicy>>,
) -> PyResult<Bound<'py, PyAny>> {
    let policy = PyPolicy::or_national(py, policy)?;
    let cohort: CohortKind = serde_json::from_value(serde_json::Value::from(cohort))
        .map_err(|e| eduaid::json::path_error("cohort".into(), &e))
        .py(py)?;
    let counts: CohortCounts = JsonArg::read(counts, "counts")
        .and_then(|a| parse_as("counts", a))
        .py(py)?;
    let graduation = convert::date("graduation", graduation).py(py)?;
    let text = guard(|| metrics::consolidation(cohort, &counts, graduation, region, &policy))
        .and_then(|r| to_text(&r))
        .py(py)?;
    decode(py, &text)
}

/// Register the dropout-control classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCase>()?;
    m.add_function(wrap_pyfunction!(detect_absence, m)?)?;
    m.add_function(wrap_pyfunction!(compare_registry, m)?)?;
    m.add_function(wrap_pyfunction!(reports_due, m)?)?;
    m.add_function(wrap_pyfunction!(consolidation, m)?)?;
    Ok(())
}
