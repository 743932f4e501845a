//! `eduaid evaluate`: profiles in (JSON lines, or CSV with `--csv`) on standard input, one
//! assessment (or one error envelope) per input line out. One bad line never stops the
//! rest; the exit status is non-zero only when the whole call cannot run.

use crate::args::Args;
use crate::common::{self, error_line, CliError, CmdResult};
use eduaid::roster::Header;
use eduaid::{evaluate_in, Error, Profile};
use std::io::{BufRead, BufWriter, Write};

/// Run the subcommand.
pub fn run(mut args: Args) -> CmdResult {
    let as_of = common::as_of(&mut args)?;
    let lang = common::lang(&mut args)?;
    let csv = args.switch("csv");
    let policy = common::policy(&mut args)?;
    args.finish()?;
    // A date outside the coverage stops the whole call, before any line is read.
    policy.check_in_force("as_of", as_of)?;
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let answer = |profile: Result<Profile, Error>, out: &mut BufWriter<_>| -> CmdResult {
        let line = match profile.and_then(|p| evaluate_in(&p, as_of, &policy, lang)) {
            Ok(a) => serde_json::to_string(&a).map_err(|e| CliError::Io(e.to_string()))?,
            Err(e) => error_line(&e),
        };
        writeln!(out, "{line}")?;
        Ok(())
    };
    if csv {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(stdin.lock());
        let names: Vec<String> = reader
            .headers()
            .map_err(|e| CliError::Io(format!("CSV header: {e}")))?
            .iter()
            .map(str::to_string)
            .collect();
        let header = Header::new(&names)?;
        for record in reader.records() {
            let profile = match record {
                Ok(r) => {
                    let cells: Vec<&str> = r.iter().collect();
                    header.profile(&cells)
                }
                Err(e) => Err(Error::invalid(
                    "",
                    "invalid_csv",
                    format!("unreadable CSV row: {e}"),
                )),
            };
            answer(profile, &mut out)?;
        }
    } else {
        for line in stdin.lock().split(b'\n') {
            let bytes = line?;
            let profile = match std::str::from_utf8(&bytes) {
                Ok(text) if text.trim().is_empty() => continue,
                Ok(text) => Profile::from_json(text),
                Err(_) => Err(Error::invalid(
                    "",
                    "invalid_utf8",
                    "the line is not valid UTF-8",
                )),
            };
            answer(profile, &mut out)?;
        }
    }
    out.flush()?;
    Ok(())
}
