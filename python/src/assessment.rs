//! The assessment of one profile and its parts, as frozen Python objects with attribute
//! access and `to_dict()`. Each wraps the core value unchanged; getters only convert types:
//! money to `decimal.Decimal`, dates to `datetime.date`.
//!
//! `to_dict()` is the JSON of interface.md ("Assessment"), with the same keys in the same
//! order and the same omissions, except that money is a `Decimal` and dates are
//! `datetime.date`.

use crate::convert::{decimal, decimal_text, opt_decimal};
use chrono::NaiveDate;
use eduaid::reasons::ReasonParams;
use eduaid::{Entitlement, NotEligible, ParameterUsed, Payment, PolicyRef, Reason};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

fn list<'py, T, W, F>(py: Python<'py>, items: &[T], wrap: F) -> PyResult<Bound<'py, PyList>>
where
    F: Fn(&T) -> W,
    W: for<'a> IntoPyObject<'a>,
{
    PyList::new(py, items.iter().map(wrap))
}

fn dicts<'py, T>(
    py: Python<'py>,
    items: &[T],
    to_dict: impl Fn(Python<'py>, &T) -> PyResult<Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for item in items {
        out.append(to_dict(py, item)?)?;
    }
    Ok(out)
}

fn json_repr<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

// --- Reason ---------------------------------------------------------------------------

/// One reason of a decision: a stable ``code`` from ``eduaid.reasons()``, its ``params``
/// and the ``message`` rendered in the language asked for.
#[pyclass(frozen, eq, name = "Reason", module = "eduaid")]
#[derive(Clone, PartialEq)]
pub struct PyReason(pub Reason);

fn reason_dict<'py>(py: Python<'py>, r: &Reason) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("code", r.code.as_ref())?;
    d.set_item("params", params_dict(py, &r.params)?)?;
    d.set_item("message", r.message.as_ref())?;
    Ok(d)
}

/// A reason's parameters as a dict, its keys in name order (as the JSON object).
fn params_dict<'py>(py: Python<'py>, params: &ReasonParams) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in params {
        d.set_item(k, v)?;
    }
    Ok(d)
}

#[pymethods]
impl PyReason {
    /// The stable code (see ``eduaid.reasons()``).
    #[getter]
    fn code(&self) -> &str {
        &self.0.code
    }

    /// The named parameters of the template.
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        params_dict(py, &self.0.params)
    }

    /// The rendered message.
    #[getter]
    fn message(&self) -> &str {
        &self.0.message
    }

    /// The reason as a dict (``code``, ``params``, ``message``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        reason_dict(py, &self.0)
    }

    fn __repr__(&self) -> String {
        format!("<Reason {}: {}>", self.0.code, self.0.message)
    }
}

// --- Payment --------------------------------------------------------------------------

/// One instalment of the school year: the ``term`` (``2024-autumn``) and the ``amount``.
#[pyclass(frozen, eq, name = "Payment", module = "eduaid")]
#[derive(Clone, PartialEq)]
pub struct PyPayment(pub Payment);

fn payment_dict<'py>(py: Python<'py>, p: &Payment) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("term", p.term.to_string())?;
    d.set_item("amount", decimal(py, p.amount)?)?;
    Ok(d)
}

#[pymethods]
impl PyPayment {
    /// The term, e.g. ``2024-autumn``.
    #[getter]
    fn term(&self) -> String {
        self.0.term.to_string()
    }

    /// The amount (``Decimal``), at the standard in force on the term's first day.
    #[getter]
    fn amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.0.amount)
    }

    /// The payment as a dict (``term``, ``amount``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        payment_dict(py, &self.0)
    }

    fn __repr__(&self) -> String {
        format!("<Payment {} {}>", self.0.term, self.0.amount)
    }
}

// --- Entitlement ----------------------------------------------------------------------

/// A program the student is entitled to.
#[pyclass(frozen, eq, name = "Entitlement", module = "eduaid")]
#[derive(Clone, PartialEq)]
pub struct PyEntitlement(pub Entitlement);

fn entitlement_dict<'py>(py: Python<'py>, e: &Entitlement) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("program", &e.program)?;
    d.set_item("name_zh", &e.name_zh)?;
    d.set_item("kind", e.kind.as_str())?;
    d.set_item("annual_amount", opt_decimal(py, e.annual_amount)?)?;
    d.set_item("payments", dicts(py, &e.payments, payment_dict)?)?;
    d.set_item("school_year_total", opt_decimal(py, e.school_year_total)?)?;
    d.set_item("basis", &e.basis)?;
    d.set_item("because", dicts(py, &e.because, reason_dict)?)?;
    Ok(d)
}

#[pymethods]
impl PyEntitlement {
    /// The program id (see ``eduaid.programs()``).
    #[getter]
    fn program(&self) -> &str {
        &self.0.program
    }

    /// The program's Chinese name.
    #[getter]
    fn name_zh(&self) -> &str {
        &self.0.name_zh
    }

    /// ``cash``, ``waiver``, ``in_kind``, ``loan`` or ``award``.
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind.as_str()
    }

    /// The annual standard in force on ``as_of`` (``Decimal``); ``None`` when only a
    /// region sets it and no overlay does.
    #[getter]
    fn annual_amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_decimal(py, self.0.annual_amount)
    }

    /// The instalments of the school year containing ``as_of``.
    #[getter]
    fn payments<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list(py, &self.0.payments, |p| PyPayment(p.clone()))
    }

    /// The sum of ``payments`` (``Decimal``); ``None`` with ``annual_amount``.
    #[getter]
    fn school_year_total<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_decimal(py, self.0.school_year_total)
    }

    /// The governing document.
    #[getter]
    fn basis(&self) -> &str {
        &self.0.basis
    }

    /// Why the student is entitled.
    #[getter]
    fn because<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list(py, &self.0.because, |r| PyReason(r.clone()))
    }

    /// The entitlement as a dict (interface.md keys; money as ``Decimal``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        entitlement_dict(py, &self.0)
    }

    fn __repr__(&self) -> String {
        let amount = self
            .0
            .annual_amount
            .map(|m| m.to_string())
            .unwrap_or_else(|| "None".into());
        format!(
            "<Entitlement {} ({}) {amount}>",
            self.0.program,
            self.0.kind.as_str()
        )
    }
}

// --- NotEligible ----------------------------------------------------------------------

/// A program the student is not entitled to, with why not.
#[pyclass(frozen, eq, name = "NotEligible", module = "eduaid")]
#[derive(Clone, PartialEq)]
pub struct PyNotEligible(pub NotEligible);

fn not_eligible_dict<'py>(py: Python<'py>, n: &NotEligible) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("program", &n.program)?;
    d.set_item("because", dicts(py, &n.because, reason_dict)?)?;
    Ok(d)
}

#[pymethods]
impl PyNotEligible {
    /// The program id.
    #[getter]
    fn program(&self) -> &str {
        &self.0.program
    }

    /// Why not.
    #[getter]
    fn because<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list(py, &self.0.because, |r| PyReason(r.clone()))
    }

    /// As a dict (``program``, ``because``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        not_eligible_dict(py, &self.0)
    }

    fn __repr__(&self) -> String {
        let codes: Vec<&str> = self.0.because.iter().map(|r| r.code.as_ref()).collect();
        format!("<NotEligible {}: {}>", self.0.program, codes.join(", "))
    }
}

// --- ParameterUsed --------------------------------------------------------------------

/// One line of the receipt: a dated figure the decision read.
#[pyclass(frozen, eq, name = "ParameterUsed", module = "eduaid")]
#[derive(Clone, PartialEq)]
pub struct PyParameterUsed(pub ParameterUsed);

/// A receipt value: numbers (money or not) as `Decimal`, flags as `bool`, region lists as
/// `list[str]`.
fn parameter_value<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    match v {
        Value::String(s) if s.parse::<rust_decimal::Decimal>().is_ok() => decimal_text(py, s),
        Value::String(s) => Ok(s.into_pyobject(py)?.into_any()),
        Value::Bool(b) => Ok(b.into_pyobject(py)?.to_owned().into_any()),
        Value::Array(items) => {
            let out = PyList::empty(py);
            for item in items {
                out.append(parameter_value(py, item)?)?;
            }
            Ok(out.into_any())
        }
        Value::Number(n) => decimal_text(py, &n.to_string()),
        Value::Null => Ok(py.None().into_bound(py)),
        Value::Object(_) => Ok(json_repr(v).into_pyobject(py)?.into_any()),
    }
}

fn parameter_dict<'py>(py: Python<'py>, p: &ParameterUsed) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("name", &p.name)?;
    d.set_item("value", parameter_value(py, &p.value)?)?;
    d.set_item("effective_from", p.effective_from)?;
    d.set_item("source", &p.source)?;
    if let Some(mark) = &p.mark {
        d.set_item("mark", mark_text(mark))?;
    }
    if let Some(region) = &p.region {
        d.set_item("region", region)?;
    }
    Ok(d)
}

fn mark_text<T: serde::Serialize>(mark: &T) -> String {
    match serde_json::to_value(mark) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

#[pymethods]
impl PyParameterUsed {
    /// The parameter's name, e.g. ``compulsory_living_subsidy.boarder.junior_middle``.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// The value: a ``Decimal`` for amounts and numbers, a ``bool`` for flags, a list of
    /// region codes for region lists.
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        parameter_value(py, &self.0.value)
    }

    /// The first day of the value.
    #[getter]
    fn effective_from(&self) -> NaiveDate {
        self.0.effective_from
    }

    /// The source tag.
    #[getter]
    fn source(&self) -> &str {
        &self.0.source
    }

    /// The UNCONFIRMED or default mark, if any.
    #[getter]
    fn mark(&self) -> Option<String> {
        self.0.mark.as_ref().map(mark_text)
    }

    /// The overlay region that supplied the value (``None`` for national figures).
    #[getter]
    fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }

    /// As a dict (interface.md keys; numbers as ``Decimal``, dates as ``date``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        parameter_dict(py, &self.0)
    }

    fn __repr__(&self) -> String {
        format!(
            "<ParameterUsed {} = {} from {} ({})>",
            self.0.name, self.0.value, self.0.effective_from, self.0.source
        )
    }
}

// --- PolicyRef ------------------------------------------------------------------------

/// The policy an assessment used: its id, its version on the as-of date, the overlay
/// regions applied and the fingerprint.
#[pyclass(frozen, eq, name = "PolicyRef", module = "eduaid")]
#[derive(Clone, PartialEq)]
pub struct PyPolicyRef(pub PolicyRef);

fn policy_ref_dict<'py>(py: Python<'py>, p: &PolicyRef) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", &p.id)?;
    d.set_item("version", p.version)?;
    d.set_item("regions", p.regions.clone())?;
    d.set_item("fingerprint", &p.fingerprint)?;
    Ok(d)
}

#[pymethods]
impl PyPolicyRef {
    /// ``cn-national``.
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }

    /// The date of the latest change of any figure in force on the as-of date.
    #[getter]
    fn version(&self) -> NaiveDate {
        self.0.version
    }

    /// The overlay regions applied.
    #[getter]
    fn regions(&self) -> Vec<String> {
        self.0.regions.clone()
    }

    /// The fingerprint of the policy data.
    #[getter]
    fn fingerprint(&self) -> &str {
        &self.0.fingerprint
    }

    /// As a dict (``id``, ``version``, ``regions``, ``fingerprint``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        policy_ref_dict(py, &self.0)
    }

    fn __repr__(&self) -> String {
        format!("<PolicyRef {} version {}>", self.0.id, self.0.version)
    }
}

// --- Assessment -----------------------------------------------------------------------

/// The assessment of one profile as of a date: what the student is entitled to, how much,
/// paid when, and why (interface.md, "Assessment").
///
/// >>> import eduaid
/// >>> a = eduaid.evaluate({"stage": "junior_middle", "grade": 2, "boarding": True,
/// ...                      "hukou": "rural", "household": {"statuses": ["dibao"]}},
/// ...                     "2024-10-01")
/// >>> a.annual_cash_total
/// Decimal('1500.00')
/// >>> [e.program for e in a.entitlements]
/// ['compulsory_fee_waiver', 'free_textbooks', 'compulsory_living_subsidy']
/// >>> a.to_dict()["entitlements"][2]["payments"]
/// [{'term': '2024-autumn', 'amount': Decimal('750.00')}, {'term': '2025-spring', 'amount': Decimal('750.00')}]
#[pyclass(frozen, eq, name = "Assessment", module = "eduaid")]
#[derive(Clone, PartialEq)]
pub struct PyAssessment(pub eduaid::Assessment);

#[pymethods]
impl PyAssessment {
    /// The profile's student id.
    #[getter]
    fn student_id(&self) -> &str {
        &self.0.student_id
    }

    /// The date of the evaluation.
    #[getter]
    fn as_of(&self) -> NaiveDate {
        self.0.as_of
    }

    /// The policy used (id, version, regions, fingerprint).
    #[getter]
    fn policy(&self) -> PyPolicyRef {
        PyPolicyRef(self.0.policy.clone())
    }

    /// The difficulty level used (assessed or derived): ``especially``, ``relatively``,
    /// ``general`` or ``None``.
    #[getter]
    fn difficulty_level(&self) -> Option<&'static str> {
        self.0.difficulty_level.map(|l| l.as_str())
    }

    /// The programs granted, in catalogue order.
    #[getter]
    fn entitlements<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list(py, &self.0.entitlements, |e| PyEntitlement(e.clone()))
    }

    /// The programs not granted, in catalogue order, with why not.
    #[getter]
    fn not_eligible<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list(py, &self.0.not_eligible, |n| PyNotEligible(n.clone()))
    }

    /// The sum of the annual amounts of cash and award entitlements (``Decimal``).
    #[getter]
    fn annual_cash_total<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.0.annual_cash_total)
    }

    /// Notes that decided nothing (e.g. monitoring statuses ignored before 2021).
    #[getter]
    fn notes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list(py, &self.0.notes, |r| PyReason(r.clone()))
    }

    /// Every dated figure the decision read (the receipt).
    #[getter]
    fn parameters_used<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list(py, &self.0.parameters_used, |p| PyParameterUsed(p.clone()))
    }

    /// The entitlement to ``program``, or ``None`` when it is not granted.
    fn entitlement(&self, program: &str) -> Option<PyEntitlement> {
        self.0.entitlement(program).cloned().map(PyEntitlement)
    }

    /// The assessment as the dict of interface.md, with money as ``Decimal`` and dates
    /// as ``datetime.date``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let a = &self.0;
        let d = PyDict::new(py);
        d.set_item("student_id", &a.student_id)?;
        d.set_item("as_of", a.as_of)?;
        d.set_item("policy", policy_ref_dict(py, &a.policy)?)?;
        d.set_item("difficulty_level", a.difficulty_level.map(|l| l.as_str()))?;
        d.set_item(
            "entitlements",
            dicts(py, &a.entitlements, entitlement_dict)?,
        )?;
        d.set_item(
            "not_eligible",
            dicts(py, &a.not_eligible, not_eligible_dict)?,
        )?;
        d.set_item("annual_cash_total", decimal(py, a.annual_cash_total)?)?;
        if !a.notes.is_empty() {
            d.set_item("notes", dicts(py, &a.notes, reason_dict)?)?;
        }
        d.set_item(
            "parameters_used",
            dicts(py, &a.parameters_used, parameter_dict)?,
        )?;
        Ok(d)
    }

    /// The assessment as the JSON text of interface.md (money as two-decimal strings).
    #[pyo3(signature = (*, indent = false))]
    fn to_json(&self, indent: bool) -> String {
        let text = if indent {
            serde_json::to_string_pretty(&self.0)
        } else {
            serde_json::to_string(&self.0)
        };
        text.unwrap_or_default()
    }

    /// An assessment from its JSON text (the inverse of ``to_json``).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<PyAssessment> {
        serde_json::from_str(text)
            .map(PyAssessment)
            .map_err(|e| crate::errors::raise(py, eduaid::json::path_error(String::new(), &e)))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let from_json = slf.get_type().getattr("from_json")?;
        Ok((from_json, (slf.get().to_json(false),)))
    }

    fn __repr__(&self) -> String {
        let a = &self.0;
        format!(
            "<Assessment {} as of {}: {} entitled, annual cash {}>",
            if a.student_id.is_empty() {
                "(no id)"
            } else {
                &a.student_id
            },
            a.as_of,
            a.entitlements.len(),
            a.annual_cash_total
        )
    }
}
