//! `eduaid._eduaid`: the native module of the Python package `eduaid`.
//!
//! A thin binding over the core crate `eduaid`: it converts Python values to the core's
//! types and back (money to `decimal.Decimal`, dates to `datetime.date`, Arrow tables to
//! profiles) and core errors to Python exceptions. It holds no rule: every decision is the
//! core's, so Python answers exactly as Rust, the CLI and JavaScript do. The public Python
//! API is the package `eduaid` (`python/eduaid/__init__.py`), which re-exports this module.

mod assessment;
mod convert;
mod dropout;
mod errors;
mod finance;
mod policy;
mod reports;
mod services;
mod table;
mod typed;

use crate::assessment::PyAssessment;
use crate::errors::{guard, Failure, IntoPyResult};
use crate::policy::PyPolicy;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyTable;

/// Evaluate one profile as of a date.
///
/// ``profile`` is a dict (or any mapping, a dataclass, an object with attributes, or the
/// profile's JSON text) in the shape of interface.md; ``as_of`` a ``datetime.date`` or an
/// ISO ``YYYY-MM-DD`` string; ``policy`` defaults to ``Policy.national()``; ``lang``
/// (``en`` or ``zh``) is the language of the reasons' messages.
///
/// >>> import eduaid
/// >>> a = eduaid.evaluate({"stage": "junior_middle", "grade": 2, "boarding": True,
/// ...                      "hukou": "rural", "household": {"statuses": ["dibao"]}},
/// ...                     "2024-10-01")
/// >>> a.entitlement("compulsory_living_subsidy").annual_amount
/// Decimal('1500.00')
#[pyfunction]
#[pyo3(signature = (profile, as_of, policy = None, lang = "en"))]
fn evaluate(
    py: Python<'_>,
    profile: &Bound<'_, PyAny>,
    as_of: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyPolicy>>,
    lang: &str,
) -> PyResult<PyAssessment> {
    let policy = PyPolicy::or_national(py, policy)?;
    let as_of = convert::as_of(as_of).py(py)?;
    let lang = convert::lang(lang).py(py)?;
    let profile = convert::profile(profile).py(py)?;
    let result = py.detach(|| guard(|| eduaid::evaluate_in(&profile, as_of, &policy, lang)));
    result.py(py).map(PyAssessment)
}

/// Evaluate many profiles as of one date.
///
/// Returns one item per profile, in order: its ``Assessment``, or the ``EduaidError``
/// that profile raised (returned, not raised), so one bad profile never stops the
/// others. A bad ``as_of`` (or one outside the policy's coverage) or ``lang`` is raised.
///
/// >>> import eduaid
/// >>> good = {"stage": "primary", "grade": 1, "hukou": "rural", "household": {"statuses": []}}
/// >>> bad = {"stage": "primary", "grade": 9, "hukou": "rural", "household": {"statuses": []}}
/// >>> [type(r).__name__ for r in eduaid.evaluate_many([good, bad], "2024-10-01")]
/// ['Assessment', 'InvalidInput']
#[pyfunction]
#[pyo3(signature = (profiles, as_of, policy = None, lang = "en"))]
fn evaluate_many<'py>(
    py: Python<'py>,
    profiles: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyPolicy>>,
    lang: &str,
) -> PyResult<Bound<'py, PyList>> {
    let policy = PyPolicy::or_national(py, policy)?;
    let as_of = convert::as_of(as_of).py(py)?;
    let lang = convert::lang(lang).py(py)?;
    // A date out of coverage is wrong for every profile: raised once.
    policy.check_in_force("as_of", as_of).py(py)?;
    let parsed: Vec<Result<eduaid::Profile, Failure>> = profiles
        .try_iter()?
        .map(|item| item.map(|obj| guard(|| convert::profile(&obj))))
        .collect::<PyResult<_>>()?;
    let results: Vec<Result<eduaid::Assessment, Failure>> = py.detach(|| {
        parsed
            .into_iter()
            .map(|p| p.and_then(|p| guard(|| eduaid::evaluate_in(&p, as_of, &policy, lang))))
            .collect()
    });
    let out = PyList::empty(py);
    for result in results {
        match result {
            Ok(a) => out.append(PyAssessment(a))?,
            Err(f) => out.append(f.to_exception(py, None)?)?,
        }
    }
    Ok(out)
}

/// The profile fields a program reads (for forms that ask only what matters).
///
/// >>> import eduaid
/// >>> eduaid.required_inputs("compulsory_fee_waiver")
/// ['stage', 'grade']
#[pyfunction]
#[pyo3(signature = (program, policy = None))]
fn required_inputs(
    py: Python<'_>,
    program: &str,
    policy: Option<&Bound<'_, PyPolicy>>,
) -> PyResult<Vec<String>> {
    let policy = PyPolicy::or_national(py, policy)?;
    guard(|| eduaid::required_inputs(program, &policy)).py(py)
}

/// The catalogue of national programs (programs.md), in order: ``id``, ``name_zh``,
/// ``name_en``, ``kind``, ``schedule``, ``region_basis``, ``basis``, ``inputs``.
///
/// >>> import eduaid
/// >>> [p["id"] for p in eduaid.programs()][:3]
/// ['preschool_aid', 'preschool_final_year_fee_waiver', 'compulsory_fee_waiver']
#[pyfunction]
fn programs(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let out = PyList::empty(py);
    for info in eduaid::CATALOGUE {
        let value = serde_json::to_value(info).unwrap_or_default();
        out.append(json_to_py(py, &value)?)?;
    }
    Ok(out)
}

/// The catalogue of reason codes with their English and Chinese templates (``code``,
/// ``en``, ``zh``); placeholders in braces are filled from a reason's ``params``.
///
/// >>> import eduaid
/// >>> [r for r in eduaid.reasons() if r["code"] == "boarding"]
/// [{'code': 'boarding', 'en': 'the student boards at school', 'zh': '学生为寄宿生'}]
#[pyfunction]
fn reasons(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let out = PyList::empty(py);
    for t in eduaid::reasons::CATALOGUE {
        let d = PyDict::new(py);
        d.set_item("code", t.code)?;
        d.set_item("en", t.en)?;
        d.set_item("zh", t.zh)?;
        out.append(d)?;
    }
    Ok(out)
}

/// Evaluate an Arrow roster (anything with ``__arrow_c_stream__`` or
/// ``__arrow_c_array__``): returns ``(entitlements, errors)`` as pyarrow Tables. The
/// public entry point is ``eduaid.evaluate_table``, which also takes pandas and polars.
/// ``typed=False`` sends every row through text cells, as a CSV line (for tests);
/// ``categorical=False`` returns ``program`` and ``kind`` as plain strings.
#[pyfunction]
#[pyo3(signature = (data, as_of, policy = None, lang = "en", typed = true, categorical = true))]
fn _evaluate_arrow<'py>(
    py: Python<'py>,
    data: AnyRecordBatch,
    as_of: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyPolicy>>,
    lang: &str,
    typed: bool,
    categorical: bool,
) -> PyResult<Bound<'py, PyTuple>> {
    let policy = PyPolicy::or_national(py, policy)?;
    let as_of = convert::as_of(as_of).py(py)?;
    // The long table carries amounts, not reasons: the language is only checked.
    convert::lang(lang).py(py)?;
    // A date out of coverage is wrong for every row: raised once, not reported per row.
    policy.check_in_force("as_of", as_of).py(py)?;
    let reader = data.into_reader()?;
    let run = table::Run {
        as_of,
        policy,
        typed,
        categorical,
    };
    let output = py.detach(|| table::evaluate_reader(reader, &run)).py(py)?;
    let entitlements =
        PyTable::try_new(output.entitlements, table::entitlements_schema(categorical))?;
    let errors = PyTable::try_new(output.errors, table::errors_schema())?;
    PyTuple::new(
        py,
        [pyarrow_table(py, entitlements)?, pyarrow_table(py, errors)?],
    )
}

/// `table` as a pyarrow Table, through `pyarrow.RecordBatchReader.from_stream(..).read_all()`
/// (zero-copy). Not `pyarrow.table(..)`: it first asks whether its argument is a pandas
/// DataFrame, which imports pandas in a process that had not (measured: 0.28 s of a first
/// `evaluate_table` call of 0.42 s, on a roster read with pyarrow alone). pyarrow 14 has no
/// `from_stream`, and gets `pyarrow.table`.
fn pyarrow_table(py: Python<'_>, table: PyTable) -> PyResult<Bound<'_, PyAny>> {
    let reader = py
        .import(pyo3::intern!(py, "pyarrow"))?
        .getattr(pyo3::intern!(py, "RecordBatchReader"))?;
    match reader.getattr(pyo3::intern!(py, "from_stream")) {
        Ok(from_stream) => from_stream
            .call1((table.into_pyobject(py)?,))?
            .call_method0(pyo3::intern!(py, "read_all")),
        Err(_) => table.into_pyarrow(py),
    }
}

/// A JSON value as plain Python objects.
fn json_to_py<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into_pyobject(py)?.into_any(),
            None => n.as_f64().unwrap_or_default().into_pyobject(py)?.into_any(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, json_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// The native module.
#[pymodule]
fn _eduaid(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<PyPolicy>()?;
    m.add_class::<PyAssessment>()?;
    m.add_class::<assessment::PyEntitlement>()?;
    m.add_class::<assessment::PyNotEligible>()?;
    m.add_class::<assessment::PyPayment>()?;
    m.add_class::<assessment::PyReason>()?;
    m.add_class::<assessment::PyParameterUsed>()?;
    m.add_class::<assessment::PyPolicyRef>()?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_many, m)?)?;
    m.add_function(wrap_pyfunction!(required_inputs, m)?)?;
    m.add_function(wrap_pyfunction!(programs, m)?)?;
    m.add_function(wrap_pyfunction!(reasons, m)?)?;
    m.add_function(wrap_pyfunction!(_evaluate_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(finance::loan_schedule, m)?)?;
    m.add_function(wrap_pyfunction!(finance::grassroots_compensation, m)?)?;
    m.add_function(wrap_pyfunction!(finance::public_funds, m)?)?;
    m.add_function(wrap_pyfunction!(finance::teacher_allowances, m)?)?;
    m.add_function(wrap_pyfunction!(finance::care_schedule, m)?)?;
    dropout::register(m)?;
    reports::register(m)?;
    Ok(())
}
