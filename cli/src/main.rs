//! The `eduaid` command line. Each subcommand lives in its own module; this file only
//! dispatches. Exit status: 0 on success, 2 when the whole call cannot run (bad flags, a bad
//! overlay, a date out of coverage); bad input lines are answered line by line instead.

mod args;
mod catalogue;
mod common;
mod evaluate;

use std::process::ExitCode;

const USAGE: &str = "\
eduaid — China's education poverty-alleviation policy as code

USAGE:
  eduaid evaluate --as-of DATE [--overlay FILE]... [--lang zh|en] [--csv] < profiles
        one assessment (JSON line) per input profile (JSON lines, or CSV with --csv)
  eduaid programs                 the program catalogue (JSON)
  eduaid reasons                  the reason-code catalogue with zh/en templates (JSON)
  eduaid policy [--overlay FILE]  the loaded policy: fingerprint, regions, dated parameters
  eduaid inputs PROGRAM           the profile fields a program reads
  eduaid help                     this text
";

fn main() -> ExitCode {
    let mut args = args::Args::from_env();
    let command = args.positional();
    let result = match command.as_deref() {
        Some("evaluate") => evaluate::run(args),
        Some("programs") => catalogue::programs(args),
        Some("reasons") => catalogue::reasons(args),
        Some("policy") => catalogue::policy(args),
        Some("inputs") => catalogue::inputs(args),
        Some("help") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(common::CliError::Usage(args::UsageError(format!(
            "unknown command '{other}' (see `eduaid help`)"
        )))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eduaid: {e}");
            ExitCode::from(2)
        }
    }
}
