//! `eduaid case`: dropout cases (控辍保学) from the shell. Open a case, apply events from
//! JSON lines, replay stored events, list what is due on a date, export the ledgers, and
//! list the reports a level owes. Cases are the JSON of `eduaid::dropout::Case`; a stored
//! case is checked against the replay of its events (same overlays needed).

use crate::args::{Args, UsageError};
use crate::common::{self, CliError, CmdResult};
use eduaid::dropout::{ledger, reports_due, Case, Event, Level, Student, Trigger};
use eduaid::{Error, Policy};
use std::io::{BufRead, BufWriter, Write};

/// Usage of the subcommands (also printed by `eduaid case` alone).
pub const USAGE: &str = "\
eduaid case — dropout cases (控辍保学)

  eduaid case open --student FILE --trigger JSON --date DATE [--overlay FILE]...
        open a case; prints the case (JSON). TRIGGER e.g.
        '{\"kind\":\"absence\",\"first_absent\":\"2024-09-02\",\"school_days\":8}'
  eduaid case apply --case FILE [--advance DATE] [--overlay FILE]... < events.jsonl
        apply events (JSON lines) in order; prints the new case. A rejected line is
        reported on stderr as {\"line\":N,\"error\":{...}} and skipped (exit status 1)
  eduaid case replay --student FILE [--overlay FILE]... < events.jsonl
        rebuild a case from its events (the first one 'opened'); prints the case
  eduaid case due --case FILE --date DATE [--advance] [--overlay FILE]...
        what is due on DATE: one action per JSON line (--advance first applies the
        escalations, lapses and ageing-out the date calls for)
  eduaid case ledger --as-of DATE [--ledger all|suspected|dropout|events] [--overlay FILE]... < cases.jsonl
        the ledgers as CSV rows (cases as JSON lines on stdin)
  eduaid case reports --level school|county|prefecture|province --date DATE [--region CODE] [--overlay FILE]...
        the reports the level owes next (JSON lines)
";

/// Run `eduaid case ...`.
pub fn run(mut args: Args) -> CmdResult {
    match args.positional().as_deref() {
        Some("open") => open(args),
        Some("apply") => apply(args),
        Some("replay") => replay(args),
        Some("due") => due(args),
        Some("ledger") => ledger_cmd(args),
        Some("reports") => reports(args),
        Some("help") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(UsageError(format!(
            "unknown case command '{other}' (see `eduaid case help`)"
        ))
        .into()),
    }
}

fn date(args: &mut Args, flag: &str) -> Result<chrono::NaiveDate, CliError> {
    let Some(text) = args.value(flag)? else {
        return Err(UsageError(format!("--{flag} YYYY-MM-DD is required")).into());
    };
    Ok(eduaid::calendar::parse_date(flag, &text)?)
}

fn read(path: &str) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError::Io(format!("{path}: {e}")))
}

fn required(args: &mut Args, flag: &str) -> Result<String, CliError> {
    args.value(flag)?
        .ok_or_else(|| UsageError(format!("--{flag} is required")).into())
}

fn print_json<T: serde::Serialize>(value: &T) -> CmdResult {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Io(e.to_string()))?;
    println!("{text}");
    Ok(())
}

fn load_case(path: &str, policy: &Policy) -> Result<Case, CliError> {
    let text = read(path)?;
    Ok(Case::restore(&text, policy)?)
}

fn open(mut args: Args) -> CmdResult {
    let student_path = required(&mut args, "student")?;
    let trigger_text = required(&mut args, "trigger")?;
    let on = date(&mut args, "date")?;
    let policy = common::policy(&mut args)?;
    args.finish()?;
    let student = Student::from_json(&read(&student_path)?)?;
    let trigger: Trigger = serde_json::from_str(&trigger_text).map_err(|e| {
        Error::invalid(
            "trigger",
            "invalid_json",
            format!("--trigger is not a trigger: {e}"),
        )
    })?;
    print_json(&Case::open(student, trigger, on, &policy)?)
}

/// An event line: its 1-based number and the event or why it could not be read.
type EventLine = (usize, Result<Event, Error>);

/// Events from stdin, one per line, with their line numbers; blank lines skipped.
fn events_from_stdin() -> Result<Vec<EventLine>, CliError> {
    let mut out = Vec::new();
    for (i, line) in std::io::stdin().lock().split(b'\n').enumerate() {
        let bytes = line?;
        let event = match std::str::from_utf8(&bytes) {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => Event::from_json(text),
            Err(_) => Err(Error::invalid(
                "",
                "invalid_utf8",
                "the line is not valid UTF-8",
            )),
        };
        out.push((i + 1, event));
    }
    Ok(out)
}

fn apply(mut args: Args) -> CmdResult {
    let case_path = required(&mut args, "case")?;
    let advance = match args.value("advance")? {
        Some(text) => Some(eduaid::calendar::parse_date("advance", &text)?),
        None => None,
    };
    let policy = common::policy(&mut args)?;
    args.finish()?;
    let mut case = load_case(&case_path, &policy)?;
    let mut rejected = 0;
    for (line, event) in events_from_stdin()? {
        match event.and_then(|e| case.apply(e, &policy)) {
            Ok(next) => case = next,
            Err(e) => {
                rejected += 1;
                eprintln!(
                    "{}",
                    serde_json::json!({ "line": line, "error": e.to_json() })
                );
            }
        }
    }
    if let Some(on) = advance {
        case = case.advance(on, &policy)?;
    }
    print_json(&case)?;
    if rejected > 0 {
        std::io::stdout().flush()?;
        std::process::exit(1);
    }
    Ok(())
}

fn replay(mut args: Args) -> CmdResult {
    let student_path = required(&mut args, "student")?;
    let policy = common::policy(&mut args)?;
    args.finish()?;
    let student = Student::from_json(&read(&student_path)?)?;
    let mut events = Vec::new();
    for (line, event) in events_from_stdin()? {
        events.push(event.map_err(|e| {
            Error::invalid(format!("line {line}: {}", e.field()), e.code(), e.message())
        })?);
    }
    print_json(&Case::replay(student, &events, &policy)?)
}

fn due(mut args: Args) -> CmdResult {
    let case_path = required(&mut args, "case")?;
    let on = date(&mut args, "date")?;
    let advance = args.switch("advance");
    let policy = common::policy(&mut args)?;
    args.finish()?;
    let mut case = load_case(&case_path, &policy)?;
    if advance {
        case = case.advance(on, &policy)?;
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for action in case.due(on, &policy) {
        let line = serde_json::to_string(&action).map_err(|e| CliError::Io(e.to_string()))?;
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}

fn ledger_cmd(mut args: Args) -> CmdResult {
    let as_of = common::as_of(&mut args)?;
    let which = args.value("ledger")?.unwrap_or_else(|| "all".into());
    let policy = common::policy(&mut args)?;
    args.finish()?;
    let mut cases = Vec::new();
    for (i, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let case = Case::restore(&line, &policy).map_err(|e| {
            Error::invalid(
                format!("line {}: {}", i + 1, e.field()),
                e.code(),
                e.message(),
            )
        })?;
        cases.push(case);
    }
    let mut w = csv::Writer::from_writer(std::io::stdout().lock());
    let csv_err = |e: csv::Error| CliError::Io(e.to_string());
    match which.as_str() {
        "events" => {
            for case in &cases {
                for row in ledger::event_rows(case) {
                    w.serialize(row).map_err(csv_err)?;
                }
            }
        }
        "all" | "suspected" | "dropout" => {
            let rows = ledger::case_rows(&cases, as_of, &policy)?;
            for row in rows.into_iter().filter(|r| match which.as_str() {
                "suspected" => r.ledger == "suspected_dropout",
                "dropout" => r.ledger == "dropout",
                _ => true,
            }) {
                w.serialize(row).map_err(csv_err)?;
            }
        }
        other => {
            return Err(UsageError(format!(
                "--ledger '{other}': expected all, suspected, dropout or events"
            ))
            .into())
        }
    }
    w.flush()?;
    Ok(())
}

fn reports(mut args: Args) -> CmdResult {
    let level_text = required(&mut args, "level")?;
    let level = Level::parse("level", &level_text)?;
    let on = date(&mut args, "date")?;
    let region = args.value("region")?.unwrap_or_default();
    let policy = common::policy(&mut args)?;
    args.finish()?;
    for report in reports_due(level, on, &region, &policy)? {
        println!(
            "{}",
            serde_json::to_string(&report).map_err(|e| CliError::Io(e.to_string()))?
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_subcommand_is_a_usage_error() {
        let e = run(Args::from(&["bogus"])).unwrap_err();
        assert!(matches!(e, CliError::Usage(_)));
    }
}
