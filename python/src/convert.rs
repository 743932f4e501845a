//! Type conversions between Python values and the core's types: a profile given as a
//! mapping, a dataclass or any object to the JSON value the core parses; dates; languages;
//! money to `decimal.Decimal`.
//!
//! Conversion only: whether a value is acceptable is decided by the core
//! (`Profile::from_value`), so a profile is judged alike from Python, Rust and JavaScript.
//! The only errors raised here are for Python values that have no JSON form (a set, a
//! NaN, an arbitrary object), named by their path.

use chrono::NaiveDate;
use eduaid::{Error, Lang, Money, Profile};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyMapping, PySequence, PyString,
    PyTuple, PyType,
};
use serde_json::{Map, Number, Value};

/// Nesting deeper than this is refused (a profile is three levels deep; a cycle would
/// otherwise recurse without end).
const MAX_DEPTH: usize = 32;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static ENUM: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Money as a `decimal.Decimal` with exactly two decimals (`Decimal('1500.00')`).
pub fn decimal<'py>(py: Python<'py>, money: Money) -> PyResult<Bound<'py, PyAny>> {
    DECIMAL
        .import(py, "decimal", "Decimal")?
        .call1((money.to_string(),))
}

/// Optional money as a `Decimal` or `None`.
pub fn opt_decimal<'py>(py: Python<'py>, money: Option<Money>) -> PyResult<Bound<'py, PyAny>> {
    match money {
        Some(m) => decimal(py, m),
        None => Ok(py.None().into_bound(py)),
    }
}

/// A decimal string of the receipt (`"0.5"`) as a `Decimal`.
pub fn decimal_text<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    DECIMAL.import(py, "decimal", "Decimal")?.call1((text,))
}

/// A profile from Python: JSON text (parsed exactly as `Profile::from_json`), or a
/// mapping, dataclass or object converted to JSON and parsed by `Profile::from_value`.
pub fn profile(obj: &Bound<'_, PyAny>) -> Result<Profile, Error> {
    if let Ok(text) = obj.cast::<PyString>() {
        let text = text.to_cow().map_err(|_| {
            Error::invalid("", "invalid_text", "the profile text is not valid UTF-8")
        })?;
        return Profile::from_json(&text);
    }
    let mut path = String::new();
    let value = to_json(obj, &mut path, 0)?;
    if !value.is_object() {
        return Err(Error::invalid(
            "",
            "invalid_type",
            format!(
                "a profile is a mapping (dict), a dataclass, an object with attributes or JSON text; got {}",
                type_name(obj)
            ),
        ));
    }
    Profile::from_value(value)
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}

fn bad(path: &str, code: &str, message: String) -> Error {
    Error::invalid(path, code, message)
}

/// Push `.key` (or `key` at the root) onto `path`, returning the old length.
fn push_key(path: &mut String, key: &str) -> usize {
    let len = path.len();
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
    len
}

fn push_index(path: &mut String, index: usize) -> usize {
    let len = path.len();
    path.push_str(&format!("[{index}]"));
    len
}

/// Convert a Python value to JSON; `path` names it in errors.
pub fn to_json(obj: &Bound<'_, PyAny>, path: &mut String, depth: usize) -> Result<Value, Error> {
    if depth > MAX_DEPTH {
        return Err(bad(
            path,
            "too_deep",
            format!("values are nested more than {MAX_DEPTH} levels deep"),
        ));
    }
    let py = obj.py();
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.cast::<PyInt>().is_ok() {
        if let Ok(v) = obj.extract::<i64>() {
            return Ok(Value::from(v));
        }
        if let Ok(v) = obj.extract::<u64>() {
            return Ok(Value::from(v));
        }
        return Err(bad(
            path,
            "out_of_range",
            "the integer is too large".to_string(),
        ));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| {
                bad(
                    path,
                    "invalid_type",
                    format!(
                        "{} is not a number JSON can hold; use None for a missing value",
                        f.value()
                    ),
                )
            });
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return s
            .to_cow()
            .map(|s| Value::String(s.into_owned()))
            .map_err(|_| {
                bad(
                    path,
                    "invalid_text",
                    "the text is not valid UTF-8".to_string(),
                )
            });
    }
    if obj.cast::<PyDateTime>().is_ok() {
        // A datetime is a date in Python; the contract's dates have no time of day.
        return Err(bad(
            path,
            "invalid_type",
            "a datetime is not a date: pass datetime.date or 'YYYY-MM-DD'".to_string(),
        ));
    }
    if obj.cast::<PyDate>().is_ok() {
        let d: NaiveDate = obj
            .extract()
            .map_err(|e: PyErr| bad(path, "invalid_date", e.to_string()))?;
        return Ok(Value::String(d.format("%Y-%m-%d").to_string()));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        return object(dict.iter(), path, depth);
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        return array(obj, path, depth);
    }
    if let Ok(mapping) = obj.cast::<PyMapping>() {
        let items = mapping
            .items()
            .map_err(|e: PyErr| bad(path, "invalid_type", e.to_string()))?;
        let mut pairs = Vec::new();
        for item in items.iter() {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item
                .extract()
                .map_err(|e: PyErr| bad(path, "invalid_type", e.to_string()))?;
            pairs.push((k, v));
        }
        return object(pairs.into_iter(), path, depth);
    }
    if let Ok(enum_type) = ENUM.import(py, "enum", "Enum") {
        if obj.is_instance(enum_type).unwrap_or(false) {
            let value = obj
                .getattr("value")
                .map_err(|e: PyErr| bad(path, "invalid_type", e.to_string()))?;
            return to_json(&value, path, depth + 1);
        }
    }
    if obj
        .get_type()
        .hasattr(pyo3::intern!(py, "__dataclass_fields__"))
        .unwrap_or(false)
    {
        return dataclass(obj, path, depth);
    }
    if obj.cast::<PySequence>().is_ok() && !is_bytes_like(obj) {
        return array(obj, path, depth);
    }
    if let Ok(attrs) = obj.getattr(pyo3::intern!(py, "__dict__")) {
        if let Ok(dict) = attrs.cast::<PyDict>() {
            let public = dict
                .iter()
                .filter(|(k, _)| k.extract::<String>().is_ok_and(|k| !k.starts_with('_')));
            return object(public, path, depth);
        }
    }
    Err(bad(
        path,
        "invalid_type",
        format!("a {} has no JSON form", type_name(obj)),
    ))
}

fn is_bytes_like(obj: &Bound<'_, PyAny>) -> bool {
    use pyo3::types::{PyByteArray, PyBytes};
    obj.cast::<PyBytes>().is_ok() || obj.cast::<PyByteArray>().is_ok()
}

fn object<'py>(
    items: impl Iterator<Item = (Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    path: &mut String,
    depth: usize,
) -> Result<Value, Error> {
    let mut map = Map::new();
    for (k, v) in items {
        let Ok(key) = k.extract::<String>() else {
            return Err(bad(
                path,
                "invalid_type",
                format!("keys must be strings; got a {}", type_name(&k)),
            ));
        };
        let len = push_key(path, &key);
        let value = to_json(&v, path, depth + 1)?;
        path.truncate(len);
        map.insert(key, value);
    }
    Ok(Value::Object(map))
}

fn array(obj: &Bound<'_, PyAny>, path: &mut String, depth: usize) -> Result<Value, Error> {
    let iter = obj
        .try_iter()
        .map_err(|e: PyErr| bad(path, "invalid_type", e.to_string()))?;
    let mut out = Vec::new();
    for (i, item) in iter.enumerate() {
        let item = item.map_err(|e: PyErr| bad(path, "invalid_type", e.to_string()))?;
        let len = push_index(path, i);
        out.push(to_json(&item, path, depth + 1)?);
        path.truncate(len);
    }
    Ok(Value::Array(out))
}

fn dataclass(obj: &Bound<'_, PyAny>, path: &mut String, depth: usize) -> Result<Value, Error> {
    let py = obj.py();
    let fields = py
        .import(pyo3::intern!(py, "dataclasses"))
        .and_then(|m| m.getattr("fields"))
        .and_then(|f| f.call1((obj,)))
        .map_err(|e: PyErr| bad(path, "invalid_type", e.to_string()))?;
    let mut pairs = Vec::new();
    for field in fields
        .try_iter()
        .map_err(|e: PyErr| bad(path, "invalid_type", e.to_string()))?
    {
        let name = field
            .and_then(|f| f.getattr("name"))
            .map_err(|e: PyErr| bad(path, "invalid_type", e.to_string()))?;
        let value = name
            .cast::<PyString>()
            .map_err(|e| bad(path, "invalid_type", e.to_string()))
            .and_then(|n| {
                obj.getattr(n)
                    .map_err(|e: PyErr| bad(path, "invalid_type", e.to_string()))
            })?;
        pairs.push((name, value));
    }
    object(pairs.into_iter(), path, depth)
}

/// The as-of date: a `datetime.date` or an ISO `YYYY-MM-DD` string.
pub fn as_of(obj: &Bound<'_, PyAny>) -> Result<NaiveDate, Error> {
    date("as_of", obj)
}

/// A date argument named `field`: a `datetime.date` or an ISO `YYYY-MM-DD` string.
pub fn date(field: &str, obj: &Bound<'_, PyAny>) -> Result<NaiveDate, Error> {
    if let Ok(s) = obj.cast::<PyString>() {
        let text = s.to_cow().unwrap_or_default();
        return eduaid::calendar::parse_date(field, &text);
    }
    if obj.cast::<PyDateTime>().is_ok() {
        return Err(Error::invalid(
            field,
            "invalid_type",
            format!("{field} is a datetime; pass datetime.date or 'YYYY-MM-DD'"),
        ));
    }
    if obj.cast::<PyDate>().is_ok() {
        return obj
            .extract::<NaiveDate>()
            .map_err(|e| Error::invalid(field, "invalid_date", e.to_string()));
    }
    Err(Error::invalid(
        field,
        "invalid_type",
        format!(
            "{field} must be a datetime.date or a 'YYYY-MM-DD' string; got a {}",
            type_name(obj)
        ),
    ))
}

/// The language of messages: `"en"` or `"zh"`.
pub fn lang(text: &str) -> Result<Lang, Error> {
    Lang::parse("lang", text)
}
