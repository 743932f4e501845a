//! `eduaid loan` (the year-by-year schedule of a student-loan contract) and
//! `eduaid compensation` (grassroots-employment compensation): one JSON document in, on
//! standard input or from `--input FILE`, one JSON document out. Also the small runner the
//! other finance subcommands (`funds`, `allowance`, `care`) share.

use crate::args::Args;
use crate::common::{self, CliError, CmdResult};
use eduaid::{Error, Policy};
use serde::Serialize;
use std::io::{Read, Write};

/// Read the JSON input (`--input FILE`, else standard input), apply `compute` under the
/// policy of the `--overlay` flags, print the answer as JSON. A library error is printed as
/// the JSON error envelope `{"error": {...}}` on standard output, and the exit status is 2.
pub fn run_json<T: Serialize>(
    mut args: Args,
    compute: impl Fn(&str, &Policy) -> Result<T, Error>,
) -> CmdResult {
    let input = args.value("input")?;
    let compact = args.switch("compact");
    let policy = common::policy(&mut args)?;
    args.finish()?;
    let text = match input {
        Some(path) => {
            std::fs::read_to_string(&path).map_err(|e| CliError::Io(format!("{path}: {e}")))?
        }
        None => {
            let mut text = String::new();
            std::io::stdin()
                .take(eduaid::loans::MAX_INPUT_BYTES as u64 + 1)
                .read_to_string(&mut text)?;
            text
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match compute(&text, &policy) {
        Ok(answer) => {
            let json = if compact {
                serde_json::to_string(&answer)
            } else {
                serde_json::to_string_pretty(&answer)
            }
            .map_err(|e| CliError::Io(e.to_string()))?;
            writeln!(out, "{json}")?;
            Ok(())
        }
        Err(e) => {
            writeln!(out, "{}", common::error_line(&e))?;
            Err(CliError::Eduaid(e))
        }
    }
}

/// `eduaid loan`: a [`eduaid::LoanRequest`] in, a [`eduaid::LoanSchedule`] out.
pub fn loan(args: Args) -> CmdResult {
    run_json(args, |text, policy| {
        let request = eduaid::LoanRequest::from_json(text)?;
        eduaid::loan_schedule(&request, policy)
    })
}

/// `eduaid compensation`: a [`eduaid::CompensationRequest`] in, a
/// [`eduaid::Compensation`] out.
pub fn compensation(args: Args) -> CmdResult {
    run_json(args, |text, policy| {
        let request = eduaid::CompensationRequest::from_json(text)?;
        eduaid::grassroots_compensation(&request, policy)
    })
}
