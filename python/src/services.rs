//! Shared plumbing of the dropout, finance and report bindings: a JSON argument (a Python
//! value or its JSON text) in, the core's JSON answer out as plain Python values with
//! money as `Decimal` and dates as `datetime.date` (`eduaid._json.decode`). Nothing here
//! decides anything: the core reads the arguments and answers.

use crate::convert;
use crate::errors::Failure;
use eduaid::Error;
use pyo3::prelude::*;
use pyo3::types::PyString;
use serde::Serialize;
use serde_json::Value;

/// A JSON argument: the text as given, or a Python value converted to JSON.
pub enum JsonArg {
    /// JSON text (a `str`).
    Text(String),
    /// A Python value (dict, list, dataclass, ...) as JSON.
    Value(Value),
}

impl JsonArg {
    /// Read argument `field`: a `str` is JSON text, anything else a Python value.
    pub fn read(obj: &Bound<'_, PyAny>, field: &str) -> Result<JsonArg, Error> {
        if let Ok(s) = obj.cast::<PyString>() {
            return s
                .to_cow()
                .map(|t| JsonArg::Text(t.into_owned()))
                .map_err(|_| Error::invalid(field, "invalid_text", "the text is not valid UTF-8"));
        }
        let mut path = field.to_string();
        convert::to_json(obj, &mut path, 0).map(JsonArg::Value)
    }

    /// The JSON text.
    pub fn into_text(self) -> String {
        match self {
            JsonArg::Text(t) => t,
            JsonArg::Value(v) => v.to_string(),
        }
    }

    /// Read with the core's own readers: `from_json` for text, `from_value` for a value.
    pub fn parse<T>(
        self,
        from_json: impl FnOnce(&str) -> Result<T, Error>,
        from_value: impl FnOnce(Value) -> Result<T, Error>,
    ) -> Result<T, Error> {
        match self {
            JsonArg::Text(t) => from_json(&t),
            JsonArg::Value(v) => from_value(v),
        }
    }
}

/// Prefix the field of an input error with the argument it came from (`events[3]` + `to`
/// → `events[3].to`; `records` + `[2].date` → `records[2].date`), as the wasm binding does.
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

/// Parse the JSON text of argument `field` into `T` with serde, naming the offending field
/// inside it (`records[2].date`).
pub fn parse_as<T: serde::de::DeserializeOwned>(field: &str, arg: JsonArg) -> Result<T, Error> {
    let text = arg.into_text();
    let mut de = serde_json::Deserializer::from_str(&text);
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

/// Serialise a core answer to JSON text (an `internal_error` if it cannot be: a defect).
pub fn to_text<T: Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string(value)
        .map_err(|e| Failure::Panic(format!("serialising the answer failed: {e}")))
}

/// JSON text as Python values: money as `Decimal`, dates as `datetime.date`
/// (`eduaid._json.decode`).
pub fn decode<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import(pyo3::intern!(py, "eduaid._json"))?
        .getattr(pyo3::intern!(py, "decode"))?
        .call1((text,))
}
