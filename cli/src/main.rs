//! The `eduaid` command line. Each subcommand lives in its own module; this file only
//! dispatches. Exit status: 0 on success, 2 when the whole call cannot run (bad flags, a bad
//! overlay, a date out of coverage); bad input lines are answered line by line instead.

mod allowance;
mod args;
mod care;
mod case;
mod catalogue;
mod common;
mod evaluate;
mod funds;
mod loan;
mod progress;
mod reconcile;
mod report;
mod whatif;

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
  eduaid loan [--input FILE]      a student-loan schedule, year by year (JSON in, JSON out)
  eduaid compensation [--input FILE]  grassroots-employment compensation (JSON in, JSON out)
  eduaid funds [--input FILE] [--overlay FILE]...  public funds of schools for a term
  eduaid allowance [--input FILE] [--overlay FILE]...  teacher allowances over months
  eduaid care [--input FILE]      a care schedule (eight ones, home teaching) and what is overdue
        (the finance commands read one JSON document on stdin unless --input; --compact
        prints it on one line)
  eduaid report --sample [--rows N] [--as-of DATE|today] [--html FILE]
        the roster report of the embedded sample county (Jize 130431, 5000 synthetic
        students, its shipped overlay, as of 2025-10-01 unless --as-of; --national without
        the overlay): entitlements by program with head counts, person-times and totals, by
        stage and region, coverage gaps
  eduaid report --as-of DATE|today [--region CODE]... [--overlay FILE]... [--csv|--jsonl] < roster
        the same report for a roster (JSON lines profiles, or CSV flattened columns);
        common options: [--format text|json|csv] [--html FILE] [--details FILE]
        [--gaps FILE] [--lang zh|en] [--title TEXT] [--threads N] [--progress]
        (--details/--gaps: per-student entitlements / coverage findings, CSV if FILE ends
        in .csv, else JSON lines)
  eduaid whatif --as-of DATE [--base-overlay FILE]... --overlay FILE... [--csv|--jsonl|--sample]
        one roster under two policies (base: national + base overlays; alternative: the base
        + the overlays; a shipped region code may stand for a file, e.g. --overlay 130431):
        per-program change in cost and head count, and the students whose entitlements
        change [--format text|json|csv] [--changes FILE] [--limit N]
  eduaid reconcile --registry FILE --enrolment FILE --as-of DATE [--format text|json|csv]
        poverty registry against enrolment by resident ID (CSV or JSON lines, by extension):
        matched students, school-age children in no school, unconfirmed statuses, invalid
        IDs (IDs and names always masked); --sample for a synthetic county
  eduaid synth [--rows N] [--seed S] [--region CODE|none] [--csv]
        a deterministic synthetic roster (JSON lines, or CSV with --csv)
  eduaid case open|apply|replay|due|ledger|reports ...
        dropout cases (控辍保学): open a case, apply events (JSON lines), what is due on a
        date, the three ledgers as CSV, the reports a level owes (`eduaid case help`)
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
        Some("loan") => loan::loan(args),
        Some("compensation") => loan::compensation(args),
        Some("funds") => funds::run(args),
        Some("allowance") => allowance::run(args),
        Some("care") => care::run(args),
        Some("report") => report::run(args),
        Some("whatif") => whatif::run(args),
        Some("reconcile") => reconcile::run(args),
        Some("synth") => report::synth_cmd(args),
        Some("case") => case::run(args),
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
