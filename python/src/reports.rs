//! Roster reports, what-if comparisons and registry reconciliation (`eduaid::reports`,
//! `eduaid::reconcile`): rows in, the core's report out as plain Python values with money
//! as `Decimal`. A bad row is counted and listed in the report, as in the core.

use crate::convert;
use crate::errors::{guard, Failure, IntoPyResult};
use crate::policy::PyPolicy;
use crate::services::{decode, to_text, within, JsonArg};
use eduaid::reconcile::{self as core_reconcile, EnrolmentRecord, RegistryMember};
use eduaid::roster::Header;
use eduaid::{Error, Profile};
use pyo3::prelude::*;

/// The rows of a roster: profiles (dicts or JSON text), or, with ``header``, records of
/// text cells read as CSV records are (`eduaid::roster::Header`). A row that cannot be
/// read is an error of that row, reported in the answer.
fn rows(
    py: Python<'_>,
    rows: &Bound<'_, PyAny>,
    header: Option<Vec<String>>,
) -> PyResult<Vec<eduaid::Result<Profile>>> {
    let header = match header {
        Some(names) => Some(Header::new(&names).py(py)?),
        None => None,
    };
    let mut out = Vec::new();
    for item in rows.try_iter()? {
        let item = item?;
        out.push(match &header {
            Some(h) => match item.extract::<Vec<String>>() {
                Ok(cells) => h.profile(&cells),
                Err(_) => Err(Error::invalid(
                    "",
                    "invalid_type",
                    "with a header, a row is a list of text cells",
                )),
            },
            None => convert::profile(&item),
        });
    }
    Ok(out)
}

/// The report of a whole roster (rows numbered from 1): totals, by program, stage and
/// region, coverage gaps, students studying elsewhere and row errors.
///
/// >>> import eduaid
/// >>> r = eduaid.roster_report([{"stage": "primary", "grade": 1, "hukou": "rural",
/// ...                            "household": {"statuses": []}}], "2024-10-01")
/// >>> r["totals"]["students"]
/// 1
#[pyfunction]
#[pyo3(signature = (rows, as_of, policy = None, lang = "en", header = None))]
pub fn roster_report<'py>(
    py: Python<'py>,
    rows: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyPolicy>>,
    lang: &str,
    header: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyAny>> {
    let policy = PyPolicy::or_national(py, policy)?;
    let as_of = convert::as_of(as_of).py(py)?;
    let lang = convert::lang(lang).py(py)?;
    let rows = self::rows(py, rows, header)?;
    let text = py
        .detach(|| -> Result<String, Failure> {
            let r = guard(|| eduaid::reports::roster_report(rows, as_of, &policy, lang))?;
            to_text(&r)
        })
        .py(py)?;
    decode(py, &text)
}

/// One roster under two policies: per-program change and the students whose aid changes.
#[pyfunction]
#[pyo3(signature = (rows, as_of, base, alternative, lang = "en", header = None))]
pub fn what_if<'py>(
    py: Python<'py>,
    rows: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    base: &Bound<'py, PyPolicy>,
    alternative: &Bound<'py, PyPolicy>,
    lang: &str,
    header: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyAny>> {
    let base = base.get().policy.clone();
    let alternative = alternative.get().policy.clone();
    let as_of = convert::as_of(as_of).py(py)?;
    let lang = convert::lang(lang).py(py)?;
    let rows = self::rows(py, rows, header)?;
    let text = py
        .detach(|| -> Result<String, Failure> {
            let w = guard(|| eduaid::reports::what_if(rows, as_of, &base, &alternative, lang))?;
            to_text(&w)
        })
        .py(py)?;
    decode(py, &text)
}

/// Read a list of records with `read` (record numbers from 1); errors name `field[i]`.
fn records<T>(
    obj: &Bound<'_, PyAny>,
    field: &str,
    read: impl Fn(u64, &str) -> eduaid::Result<T>,
) -> PyResult<Vec<T>> {
    let py = obj.py();
    let mut out = Vec::new();
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        let name = format!("{field}[{i}]");
        let text = JsonArg::read(&item, &name).py(py)?.into_text();
        out.push(guard(|| read(i as u64 + 1, &text).map_err(|e| within(e, &name))).py(py)?);
    }
    Ok(out)
}

/// Reconcile the poverty registry with school enrolment (精准识别) as of ``as_of``:
/// matches by resident ID, school-age children in no school, unconfirmed claims and
/// invalid IDs, with IDs and names masked everywhere. ``registry`` and ``enrolment`` are
/// lists of records (dicts or JSON text), numbered from 1.
#[pyfunction]
#[pyo3(name = "reconcile", signature = (registry, enrolment, as_of, lang = "en"))]
pub fn reconcile_records<'py>(
    py: Python<'py>,
    registry: &Bound<'py, PyAny>,
    enrolment: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    lang: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let as_of = convert::as_of(as_of).py(py)?;
    let lang = convert::lang(lang).py(py)?;
    let registry: Vec<RegistryMember> =
        records(registry, "registry", core_reconcile::member_from_json)?;
    let enrolment: Vec<EnrolmentRecord> =
        records(enrolment, "enrolment", core_reconcile::record_from_json)?;
    let text = py
        .detach(|| -> Result<String, Failure> {
            let r = guard(|| {
                Ok(core_reconcile::reconcile(
                    &registry, &enrolment, as_of, lang,
                ))
            })?;
            to_text(&r)
        })
        .py(py)?;
    decode(py, &text)
}

/// Register the report functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(roster_report, m)?)?;
    m.add_function(wrap_pyfunction!(what_if, m)?)?;
    m.add_function(wrap_pyfunction!(reconcile_records, m)?)?;
    Ok(())
}
