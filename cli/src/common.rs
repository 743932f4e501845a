//! What the subcommands share: loading a policy with overlay files, parsing dates and
//! languages, printing errors.

use crate::args::{Args, UsageError};
use eduaid::{Error, Lang, Policy};

/// The outcome of a subcommand.
pub type CmdResult = Result<(), CliError>;

/// Why a whole command could not run (exit status 2).
#[derive(Debug)]
pub enum CliError {
    /// Bad flags.
    Usage(UsageError),
    /// A library error that stops the whole call (bad overlay, date out of coverage).
    Eduaid(Error),
    /// Reading or writing failed.
    Io(String),
}

impl From<UsageError> for CliError {
    fn from(e: UsageError) -> Self {
        CliError::Usage(e)
    }
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError::Eduaid(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Io(e.to_string())
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Usage(UsageError(m)) => write!(f, "usage: {m}"),
            CliError::Eduaid(e) => {
                write!(f, "{}: {}: {}", e.kind().as_str(), e.field(), e.message())
            }
            CliError::Io(m) => write!(f, "io: {m}"),
        }
    }
}

/// The national policy with the `--overlay FILE` flags applied in order.
pub fn policy(args: &mut Args) -> Result<Policy, CliError> {
    let mut policy = Policy::national();
    for path in args.values("overlay")? {
        let text =
            std::fs::read_to_string(&path).map_err(|e| CliError::Io(format!("{path}: {e}")))?;
        policy = policy.with_overlay(&path, &text)?;
    }
    Ok(policy)
}

/// `--as-of DATE` (required).
pub fn as_of(args: &mut Args) -> Result<chrono::NaiveDate, CliError> {
    let Some(text) = args.value("as-of")? else {
        return Err(UsageError("--as-of YYYY-MM-DD is required".into()).into());
    };
    Ok(eduaid::calendar::parse_date("as_of", &text)?)
}

/// `--lang zh|en` (default en).
pub fn lang(args: &mut Args) -> Result<Lang, CliError> {
    Ok(match args.value("lang")? {
        Some(l) => Lang::parse("lang", &l)?,
        None => Lang::En,
    })
}

/// The one-line JSON error envelope of a bad input line: `{"error": {...}}`.
pub fn error_line(e: &Error) -> String {
    serde_json::json!({ "error": e.to_json() }).to_string()
}
