//! `eduaid whatif`: one roster under two policies. The base policy is the national policy
//! with the `--base-overlay` files; the alternative is the base with the `--overlay` files
//! loaded on top (a region overlay against the national policy, or a proposed change
//! against the policy in force). Prints the per-program change in cost and head count and
//! the students whose entitlements change.

use crate::args::{Args, UsageError};
use crate::common::{self, CliError, CmdResult};
use crate::progress::Progress;
use crate::report::{self, Format, RowFile, Rows, Source};
use eduaid::reports::{self, Evaluator, WhatIf, WhatIfBuilder};
use eduaid::{Error, Lang, Policy};
use std::io::Write;

/// `policy` with the overlays of `paths` on top, in order; a six-digit code that is not a
/// file names a shipped overlay (e.g. `130431`).
fn load(policy: Policy, paths: &[String]) -> Result<Policy, CliError> {
    let mut policy = policy;
    for path in paths {
        if eduaid::profile::is_region_code(path) && !std::path::Path::new(path).exists() {
            policy = policy.with_region(path)?;
            continue;
        }
        let text =
            std::fs::read_to_string(path).map_err(|e| CliError::Io(format!("{path}: {e}")))?;
        policy = policy.with_overlay(path, &text)?;
    }
    Ok(policy)
}

/// Run the subcommand.
pub fn run(mut args: Args) -> CmdResult {
    let (source, sample) = report::source(&mut args)?;
    let as_of = report::as_of_or(&mut args, sample.then(eduaid::synth::sample_as_of))?;
    let lang = common::lang(&mut args)?;
    let format = report::format(&mut args)?;
    let changes = args.value("changes")?;
    let limit = match args.value("limit")? {
        Some(l) => l
            .parse::<usize>()
            .map_err(|_| UsageError(format!("--limit {l}: expected a whole number")))?,
        None => 10_000,
    };
    let title = args.value("title")?;
    let threads = report::threads(&mut args)?;
    let forced = args.switch("progress");
    let no_progress = args.switch("no-progress");
    let base_paths = args.values("base-overlay")?;
    let alt_paths = args.values("overlay")?;
    args.finish()?;
    if alt_paths.is_empty() {
        return Err(UsageError(
            "--overlay FILE is required: the alternative is the base policy with it on top".into(),
        )
        .into());
    }
    let base = load(Policy::national(), &base_paths)?;
    let alternative = load(base.clone(), &alt_paths)?;
    let title = title.unwrap_or_else(|| match (&source, lang) {
        (Source::Synth { .. }, Lang::En) => {
            "Jize County 鸡泽县 (130431) — synthetic sample roster".into()
        }
        (Source::Synth { .. }, Lang::Zh) => "鸡泽县（130431）模拟花名册".into(),
        (_, Lang::En) => "What-if".into(),
        (_, Lang::Zh) => "政策测算".into(),
    });
    let (rows, parser) = Rows::open(source)?;
    let mut states: Vec<(Evaluator, Evaluator, WhatIfBuilder)> = (0..threads)
        .map(|_| {
            Ok((
                Evaluator::new(&base, as_of, lang)?,
                Evaluator::new(&alternative, as_of, lang)?,
                WhatIfBuilder::new(as_of).with_limit(limit),
            ))
        })
        .collect::<Result<_, Error>>()?;
    let mut progress = Progress::new("whatif", rows.total(), forced, no_progress);
    report::pipeline(
        rows,
        &mut states,
        |(b, a, w): &mut (Evaluator, Evaluator, WhatIfBuilder), row, raw, _: &mut Vec<()>| {
            w.add_row(b, a, row, parser.profile(raw));
        },
        |states, _, n| {
            report::share(states.iter_mut().map(|(b, _, _)| b));
            report::share(states.iter_mut().map(|(_, a, _)| a));
            progress.advance(n as u64);
            Ok(())
        },
    )?;
    progress.finish();
    let mut builders = states.into_iter().map(|(_, _, w)| w);
    let mut builder = builders
        .next()
        .unwrap_or_else(|| WhatIfBuilder::new(as_of).with_limit(limit));
    for w in builders {
        builder.merge(w);
    }
    let result = builder.finish(&base, &alternative);
    write(&result, &title, lang, format)?;
    if let Some(path) = changes {
        write_changes(&result, &path)?;
    }
    Ok(())
}

fn write(w: &WhatIf, title: &str, lang: Lang, format: Format) -> CmdResult {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Text => out.write_all(reports::text::what_if(w, title, lang).as_bytes())?,
        Format::Json => {
            serde_json::to_writer(&mut out, w).map_err(|e| CliError::Io(e.to_string()))?;
            out.write_all(b"\n")?;
        }
        Format::Csv => {
            let columns = [
                "program",
                "name_zh",
                "kind",
                "base_students",
                "alternative_students",
                "students_change",
                "base_person_times",
                "alternative_person_times",
                "base_total",
                "alternative_total",
                "total_change",
            ];
            let rows: Vec<Vec<String>> = w
                .by_program
                .iter()
                .map(|p| {
                    vec![
                        p.program.clone(),
                        p.name_zh.clone(),
                        p.kind.as_str().into(),
                        p.base_students.to_string(),
                        p.alternative_students.to_string(),
                        p.students_change.to_string(),
                        p.base_person_times.to_string(),
                        p.alternative_person_times.to_string(),
                        p.base_total.to_string(),
                        p.alternative_total.to_string(),
                        p.total_change.to_string(),
                    ]
                })
                .collect();
            report::write_csv(&mut out, &columns, &rows)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn write_changes(w: &WhatIf, path: &str) -> CmdResult {
    let columns = [
        "row",
        "student_id",
        "stage",
        "grade",
        "school_region",
        "gained",
        "lost",
        "changed",
        "base_cash",
        "alternative_cash",
        "cash_change",
    ];
    let mut f = RowFile::create(path, &columns)?;
    for c in &w.changed {
        let changed: Vec<String> = c
            .changed
            .iter()
            .map(|a| {
                let m = |v: Option<eduaid::Money>| v.map(|m| m.to_string()).unwrap_or_default();
                format!("{}:{}->{}", a.program, m(a.base), m(a.alternative))
            })
            .collect();
        let cells = vec![
            c.row.to_string(),
            c.student_id.clone(),
            c.stage.as_str().into(),
            c.grade.to_string(),
            c.school_region.clone(),
            c.gained.join(","),
            c.lost.join(","),
            changed.join(","),
            c.base_cash.to_string(),
            c.alternative_cash.to_string(),
            c.cash_change.to_string(),
        ];
        f.write(&cells, c)?;
    }
    f.finish()
}
