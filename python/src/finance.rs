//! The finance functions (`loan_schedule`, `grassroots_compensation`, `public_funds`,
//! `teacher_allowances`, `care_schedule`): a request (a dict or its JSON text) in, read by
//! the core's own readers (errors name the field inside it, e.g. `principals[0]`), the
//! answer out as plain Python values with money as `Decimal`.

use crate::errors::{guard, Failure, IntoPyResult};
use crate::policy::PyPolicy;
use crate::services::{decode, to_text, JsonArg};
use eduaid::{
    AllowanceRequest, CareRequest, CompensationRequest, Error, FundsRequest, LoanRequest, Policy,
};
use pyo3::prelude::*;
use serde::Serialize;

/// Read the request, run the core, serialise the answer (with the GIL released).
fn run<'py, R, A: Serialize>(
    py: Python<'py>,
    request: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyPolicy>>,
    read: impl FnOnce(JsonArg) -> Result<R, Error>,
    answer: impl FnOnce(&R, &Policy) -> Result<A, Error> + Send,
) -> PyResult<Bound<'py, PyAny>>
where
    R: Send + Sync,
{
    let policy = PyPolicy::or_national(py, policy)?;
    let arg = JsonArg::read(request, "").py(py)?;
    let request = guard(|| read(arg)).py(py)?;
    let text = py
        .detach(|| -> Result<String, Failure> {
            let a = guard(|| answer(&request, &policy))?;
            to_text(&a)
        })
        .py(py)?;
    decode(py, &text)
}

/// The year-by-year schedule of a student-loan contract (助学贷款).
///
/// >>> import eduaid
/// >>> s = eduaid.loan_schedule({"stage": "undergraduate", "contract_date": "2024-09-20",
/// ...     "remaining_study_years": 4, "principals": ["20000.00"] * 4})
/// >>> type(s)
/// <class 'dict'>
#[pyfunction]
#[pyo3(signature = (request, policy = None))]
pub fn loan_schedule<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyPolicy>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(
        py,
        request,
        policy,
        |a| a.parse(LoanRequest::from_json, LoanRequest::from_value),
        eduaid::loan_schedule,
    )
}

/// The tuition compensation or loan repayment of a graduate serving at the grassroots.
#[pyfunction]
#[pyo3(signature = (request, policy = None))]
pub fn grassroots_compensation<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyPolicy>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(
        py,
        request,
        policy,
        |a| {
            a.parse(
                CompensationRequest::from_json,
                CompensationRequest::from_value,
            )
        },
        eduaid::grassroots_compensation,
    )
}

/// The public funds (公用经费) of a list of schools for a term.
#[pyfunction]
#[pyo3(signature = (request, policy = None))]
pub fn public_funds<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyPolicy>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(
        py,
        request,
        policy,
        |a| a.parse(FundsRequest::from_json, FundsRequest::from_value),
        eduaid::public_funds,
    )
}

/// The allowances of a list of teachers over a span of months.
#[pyfunction]
#[pyo3(signature = (request, policy = None))]
pub fn teacher_allowances<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyPolicy>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(
        py,
        request,
        policy,
        |a| a.parse(AllowanceRequest::from_json, AllowanceRequest::from_value),
        eduaid::teacher_allowances,
    )
}

/// The care schedule of one student for a term, and what is overdue.
#[pyfunction]
#[pyo3(signature = (request, policy = None))]
pub fn care_schedule<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyPolicy>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(
        py,
        request,
        policy,
        |a| a.parse(CareRequest::from_json, CareRequest::from_value),
        eduaid::care_schedule,
    )
}
