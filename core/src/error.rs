//! Errors: one enum for every surface, each carrying a stable kind, the path of the
//! offending field and a sentence a person can act on (interface.md, "Errors").
//!
//! The bindings map [`ErrorKind`] to their host idioms (a Python exception class, a JS
//! `Error` with `kind`/`field`/`code`); they never invent kinds of their own.

use serde::Serialize;

/// The kind of an error: stable, snake_case in JSON, the same on every surface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The caller's data is malformed or contradictory (a profile, a row, an event).
    InvalidInput,
    /// A policy or overlay file is invalid; it was rejected whole.
    PolicyError,
    /// The date asked about is outside the policy's coverage.
    PolicyNotInForce,
    /// A dropout-case event is not allowed in the case's current state.
    CaseError,
    /// A defect caught at a binding's boundary (a panic turned into an error). The core
    /// never produces it on user data; the Python and wasm bindings report it under this
    /// kind rather than crash.
    InternalError,
}

impl ErrorKind {
    /// The stable snake_case name of the kind, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::PolicyError => "policy_error",
            ErrorKind::PolicyNotInForce => "policy_not_in_force",
            ErrorKind::CaseError => "case_error",
            ErrorKind::InternalError => "internal_error",
        }
    }
}

/// Every error of the library.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Bad input: `field` is the path of the offending field, e.g. `household.statuses[1]`.
    #[error("{field}: {message}")]
    InvalidInput {
        /// Path of the offending field (`""` when the whole document is at fault).
        field: String,
        /// Stable code of the problem, e.g. `unknown_variant`, `out_of_range`.
        code: String,
        /// A sentence a person can act on.
        message: String,
    },
    /// A policy file was rejected whole.
    #[error("{file}:{line}: {field}: {message}")]
    Policy {
        /// The file (or the name given for a text) that holds the error.
        file: String,
        /// 1-based line of the offending field (0 when unknown).
        line: usize,
        /// Path of the offending field inside the file.
        field: String,
        /// Stable code of the problem.
        code: String,
        /// A sentence a person can act on.
        message: String,
    },
    /// The date is outside the policy's coverage.
    #[error("{field}: {message}")]
    NotInForce {
        /// The field holding the date (`as_of`, `contract_date`, ...).
        field: String,
        /// A sentence a person can act on.
        message: String,
    },
    /// An event is not allowed in the state of a dropout case.
    #[error("{field}: {message}")]
    Case {
        /// Path of the offending field of the event.
        field: String,
        /// Stable code of the problem, e.g. `event_before_last`, `stage_skipped`.
        code: String,
        /// A sentence a person can act on.
        message: String,
    },
}

/// Longest message an error built from the caller's data keeps (characters).
pub const MAX_MESSAGE_CHARS: usize = 1024;
/// Longest field path an error built from the caller's data keeps (characters).
pub const MAX_FIELD_CHARS: usize = 256;

/// What an error may echo of the caller's data: never an identity number unmasked
/// ([`crate::resident_id::scrub`]: a serde message or a cell may quote one), never a whole
/// document (a 60 KiB unknown key is cut).
pub(crate) fn bounded(text: String, max: usize) -> String {
    let text = crate::resident_id::scrub(&text);
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max).collect();
    cut.push('…');
    cut
}

impl Error {
    /// Build an [`Error::InvalidInput`] (identity numbers in `field` and `message` masked,
    /// their length bounded).
    pub fn invalid(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: bounded(field.into(), MAX_FIELD_CHARS),
            code: code.to_string(),
            message: bounded(message.into(), MAX_MESSAGE_CHARS),
        }
    }

    /// Build an [`Error::Case`] (identity numbers masked, length bounded).
    pub fn case(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Error::Case {
            field: bounded(field.into(), MAX_FIELD_CHARS),
            code: code.to_string(),
            message: bounded(message.into(), MAX_MESSAGE_CHARS),
        }
    }

    /// The kind of the error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::Policy { .. } => ErrorKind::PolicyError,
            Error::NotInForce { .. } => ErrorKind::PolicyNotInForce,
            Error::Case { .. } => ErrorKind::CaseError,
        }
    }

    /// The path of the offending field.
    pub fn field(&self) -> &str {
        match self {
            Error::InvalidInput { field, .. }
            | Error::Policy { field, .. }
            | Error::NotInForce { field, .. }
            | Error::Case { field, .. } => field,
        }
    }

    /// The stable code of the problem.
    pub fn code(&self) -> &str {
        match self {
            Error::InvalidInput { code, .. }
            | Error::Policy { code, .. }
            | Error::Case { code, .. } => code,
            Error::NotInForce { .. } => "policy_not_in_force",
        }
    }

    /// The sentence a person can act on (without the field prefix).
    pub fn message(&self) -> String {
        match self {
            Error::InvalidInput { message, .. }
            | Error::NotInForce { message, .. }
            | Error::Case { message, .. } => message.clone(),
            Error::Policy {
                file,
                line,
                message,
                ..
            } => format!("{file}:{line}: {message}"),
        }
    }

    /// The JSON error envelope body shared by the CLI and the bindings:
    /// `{"kind", "field", "code", "message"}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "kind": self.kind().as_str(),
            "field": self.field(),
            "code": self.code(),
            "message": self.message(),
        })
    }
}

/// Result alias of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
