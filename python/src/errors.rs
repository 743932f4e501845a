//! Errors: core errors (and panics) to the Python exceptions of `eduaid._errors`.
//!
//! Every failure reaches Python as a subclass of `eduaid.EduaidError` carrying `kind`,
//! `field`, `code` and `message` (and `file`/`line` for a policy file); this module only
//! maps, it never invents a kind of user error. A panic inside the core is a defect of the
//! library: it is caught at the boundary and raised as the base `EduaidError` with the
//! core's kind `internal_error`, never as a bare `RuntimeError` or `PanicException`.

use eduaid::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Why a call into the core failed: the core said no, or the core panicked (a defect).
#[derive(Debug, Clone)]
pub enum Failure {
    /// An error of the core (bad input, bad policy, date out of coverage, case error).
    Core(Error),
    /// A panic caught at the boundary, with its message.
    Panic(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

impl Failure {
    /// The stable kind (`internal_error` for a panic).
    pub fn kind(&self) -> &str {
        match self {
            Failure::Core(e) => e.kind().as_str(),
            Failure::Panic(_) => ErrorKind::InternalError.as_str(),
        }
    }

    /// The field path (empty for a panic).
    pub fn field(&self) -> &str {
        match self {
            Failure::Core(e) => e.field(),
            Failure::Panic(_) => "",
        }
    }

    /// The stable code (`panic` for a panic).
    pub fn code(&self) -> &str {
        match self {
            Failure::Core(e) => e.code(),
            Failure::Panic(_) => "panic",
        }
    }

    /// The sentence a person can act on.
    pub fn message(&self) -> String {
        match self {
            Failure::Core(e) => e.message(),
            Failure::Panic(m) => {
                format!("internal error in eduaid (a defect, please report it): {m}")
            }
        }
    }

    /// The full text of the exception: `field: message` as the core displays it, without
    /// an empty field (`file:line: field: message` for a policy file).
    fn text(&self) -> String {
        let prefixed = |field: &str, message: &str| {
            if field.is_empty() {
                message.to_string()
            } else {
                format!("{field}: {message}")
            }
        };
        match self {
            Failure::Core(Error::Policy {
                file,
                line,
                field,
                message,
                ..
            }) => format!("{file}:{line}: {}", prefixed(field, message)),
            Failure::Core(e) => prefixed(e.field(), &e.message()),
            Failure::Panic(_) => self.message(),
        }
    }

    /// The name of the exception class in `eduaid._errors`.
    fn class_name(&self) -> &'static str {
        match self {
            Failure::Core(e) => match e.kind() {
                ErrorKind::InvalidInput => "InvalidInput",
                ErrorKind::PolicyError => "PolicyError",
                ErrorKind::PolicyNotInForce => "NotInForce",
                ErrorKind::CaseError => "CaseError",
                ErrorKind::InternalError => "EduaidError",
            },
            Failure::Panic(_) => "EduaidError",
        }
    }

    /// The exception object (not raised), with its attributes set; `row` is the roster
    /// row of a table error.
    pub fn to_exception<'py>(
        &self,
        py: Python<'py>,
        row: Option<u64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let class = py
            .import(pyo3::intern!(py, "eduaid._errors"))?
            .getattr(self.class_name())?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("kind", self.kind())?;
        kwargs.set_item("field", self.field())?;
        kwargs.set_item("code", self.code())?;
        kwargs.set_item("message", self.message())?;
        if let Some(row) = row {
            kwargs.set_item("row", row)?;
        }
        if let Failure::Core(Error::Policy { file, line, .. }) = self {
            kwargs.set_item("file", file)?;
            kwargs.set_item("line", *line)?;
        }
        class.call((self.text(),), Some(&kwargs))
    }

    /// The exception to raise.
    pub fn into_pyerr(self, py: Python<'_>) -> PyErr {
        match self.to_exception(py, None) {
            Ok(exc) => PyErr::from_value(exc),
            Err(e) => e,
        }
    }
}

/// Run `f`, turning a panic into [`Failure::Panic`].
pub fn guard<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Failure> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(Failure::Core(e)),
        Err(payload) => Err(Failure::Panic(panic_message(payload.as_ref()))),
    }
}

/// The text of a panic payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Raise a core error in Python.
pub fn raise(py: Python<'_>, e: Error) -> PyErr {
    Failure::Core(e).into_pyerr(py)
}

/// Extension to turn `Result<T, Failure>` into `PyResult<T>`.
pub trait IntoPyResult<T> {
    /// Map the failure to its Python exception.
    fn py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, Failure> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|f| f.into_pyerr(py))
    }
}

impl<T> IntoPyResult<T> for Result<T, Error> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| raise(py, e))
    }
}
