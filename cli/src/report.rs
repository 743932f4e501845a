//! `eduaid report`: the roster report of a county or city bureau (entitlements, person-times,
//! totals by program, stage and region, coverage gaps), for a roster on standard input or
//! for the embedded sample county (`--sample`). Also `eduaid synth`, which writes a
//! synthetic roster.
//!
//! Rows are read in batches and evaluated on every core (`std::thread::scope`), each thread
//! with its own evaluator and report builder; the builders are merged at the end. The
//! result does not depend on the number of threads (the core's builders are exact and
//! sort their lists by row). A bad row is reported in the report and never stops the rest.

use crate::args::{Args, UsageError};
use crate::common::{self, CliError, CmdResult};
use crate::progress::Progress;
use eduaid::reports::{self, EntitlementRow, Evaluator, ReportBuilder, RosterReport};
use eduaid::roster::Header;
use eduaid::synth::{self, SynthConfig};
use eduaid::{Error, Lang, Profile};
use std::io::{BufRead, Write};

/// Rows read and evaluated per batch.
const BATCH: usize = 32_768;

/// One raw input row, parsed into a profile on a worker thread.
pub enum Raw {
    /// Row `i` (0-based) of a synthetic roster.
    Synth(u64),
    /// A CSV record.
    Csv(csv::StringRecord),
    /// A JSON line (an interface.md profile).
    Json(Vec<u8>),
    /// A row that could not even be read.
    Bad(Error),
}

/// Where rows come from.
pub enum Source {
    /// A synthetic roster of `rows` students.
    Synth {
        /// The generator's configuration.
        config: SynthConfig,
        /// How many students.
        rows: u64,
    },
    /// CSV on standard input (flattened roster columns).
    Csv,
    /// JSON lines on standard input.
    Jsonl,
}

/// Turns raw rows into profiles (shared by the worker threads).
pub struct Parser {
    header: Option<Header>,
    config: Option<SynthConfig>,
}

impl Parser {
    /// The profile of a raw row.
    pub fn profile(&self, raw: &Raw) -> Result<Profile, Error> {
        match raw {
            Raw::Synth(i) => match &self.config {
                Some(c) => Ok(synth::profile(c, *i)),
                None => Err(Error::invalid("", "internal", "no synthetic configuration")),
            },
            Raw::Csv(record) => match &self.header {
                Some(h) => {
                    let cells: Vec<&str> = record.iter().collect();
                    h.profile(&cells)
                }
                None => Err(Error::invalid("", "internal", "no CSV header")),
            },
            Raw::Json(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => Profile::from_json(text),
                Err(_) => Err(Error::invalid(
                    "",
                    "invalid_utf8",
                    "the line is not valid UTF-8",
                )),
            },
            Raw::Bad(e) => Err(e.clone()),
        }
    }
}

/// Batches of rows from a [`Source`].
pub struct Rows {
    source: Source,
    csv: Option<csv::Reader<std::io::Stdin>>,
    lines: Option<std::io::Split<std::io::BufReader<std::io::Stdin>>>,
    next: u64,
}

impl Rows {
    /// Open `source` (reads the CSV header); returns the rows and their parser.
    pub fn open(source: Source) -> Result<(Rows, Parser), CliError> {
        let mut parser = Parser {
            header: None,
            config: None,
        };
        let mut rows = Rows {
            source,
            csv: None,
            lines: None,
            next: 0,
        };
        match &rows.source {
            Source::Synth { config, .. } => parser.config = Some(config.clone()),
            Source::Csv => {
                let mut reader = csv::ReaderBuilder::new()
                    .flexible(true)
                    .from_reader(std::io::stdin());
                let names: Vec<String> = reader
                    .headers()
                    .map_err(|e| CliError::Io(format!("CSV header: {e}")))?
                    .iter()
                    .map(str::to_string)
                    .collect();
                parser.header = Some(Header::new(&names)?);
                rows.csv = Some(reader);
            }
            Source::Jsonl => {
                rows.lines =
                    Some(std::io::BufReader::with_capacity(1 << 16, std::io::stdin()).split(b'\n'))
            }
        }
        Ok((rows, parser))
    }

    /// The number of rows, when known in advance.
    pub fn total(&self) -> Option<u64> {
        match &self.source {
            Source::Synth { rows, .. } => Some(*rows),
            _ => None,
        }
    }

    /// The next batch of up to [`BATCH`] rows, each with its 1-based row number (the
    /// record number for CSV, the line number for JSON lines); empty at the end.
    pub fn next_batch(&mut self) -> Result<Vec<(u64, Raw)>, CliError> {
        let mut batch = Vec::with_capacity(BATCH);
        match &self.source {
            Source::Synth { rows, .. } => {
                let end = (self.next + BATCH as u64).min(*rows);
                batch.extend((self.next..end).map(|i| (i + 1, Raw::Synth(i))));
                self.next = end;
            }
            Source::Csv => {
                if let Some(reader) = self.csv.as_mut() {
                    let mut record = csv::StringRecord::new();
                    while batch.len() < BATCH {
                        self.next += 1;
                        match reader.read_record(&mut record) {
                            Ok(true) => batch.push((self.next, Raw::Csv(record.clone()))),
                            Ok(false) => break,
                            Err(e) => batch.push((
                                self.next,
                                Raw::Bad(Error::invalid(
                                    "",
                                    "invalid_csv",
                                    format!("unreadable CSV row: {e}"),
                                )),
                            )),
                        }
                    }
                }
            }
            Source::Jsonl => {
                if let Some(lines) = self.lines.as_mut() {
                    while batch.len() < BATCH {
                        let Some(line) = lines.next() else { break };
                        self.next += 1;
                        let bytes = line?;
                        if bytes.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        batch.push((self.next, Raw::Json(bytes)));
                    }
                }
            }
        }
        Ok(batch)
    }
}

/// Run `work` over `batch` split into one contiguous slice per state, one thread per
/// state; the outputs come back in row order.
pub fn parallel<S, O, F>(batch: &[(u64, Raw)], states: &mut [S], work: F) -> Vec<O>
where
    S: Send,
    O: Send,
    F: Fn(&mut S, u64, &Raw, &mut Vec<O>) + Sync,
{
    let n = states.len().max(1);
    let size = batch.len().div_ceil(n).max(1);
    let mut outputs: Vec<Vec<O>> = Vec::new();
    if states.len() <= 1 || batch.len() < 1024 {
        let mut out = Vec::new();
        if let Some(state) = states.first_mut() {
            for (row, raw) in batch {
                work(state, *row, raw, &mut out);
            }
        }
        return out;
    }
    std::thread::scope(|scope| {
        let work = &work;
        let handles: Vec<_> = batch
            .chunks(size)
            .zip(states.iter_mut())
            .map(|(chunk, state)| {
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for (row, raw) in chunk {
                        work(state, *row, raw, &mut out);
                    }
                    out
                })
            })
            .collect();
        for h in handles {
            match h.join() {
                Ok(out) => outputs.push(out),
                Err(e) => std::panic::resume_unwind(e),
            }
        }
    });
    outputs.into_iter().flatten().collect()
}

/// Read `rows` batch by batch on a thread of its own while the previous batch is being
/// evaluated: `work` runs on every row (split over `states`, one thread each), then `after`
/// gets the states, the batch's outputs in row order and the batch's length (to write
/// per-row output, share caches between states and advance a progress bar).
pub fn pipeline<S, O, F, G>(mut rows: Rows, states: &mut [S], work: F, mut after: G) -> CmdResult
where
    S: Send,
    O: Send,
    F: Fn(&mut S, u64, &Raw, &mut Vec<O>) + Sync,
    G: FnMut(&mut [S], Vec<O>, usize) -> CmdResult,
{
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<(u64, Raw)>, CliError>>(2);
        scope.spawn(move || loop {
            let batch = rows.next_batch();
            let last = batch.as_ref().map_or(true, Vec::is_empty);
            if tx.send(batch).is_err() || last {
                break;
            }
        });
        for batch in rx {
            let batch = batch?;
            if batch.is_empty() {
                break;
            }
            let out = parallel(&batch, states, &work);
            after(states, out, batch.len())?;
        }
        Ok(())
    })
}

/// Hand the shapes each evaluator met to the others (so a shape is evaluated about once per
/// roster, not once per thread).
pub fn share<'a>(evaluators: impl Iterator<Item = &'a mut Evaluator>) {
    let mut evaluators: Vec<&mut Evaluator> = evaluators.collect();
    if evaluators.len() < 2 {
        return;
    }
    let fresh: Vec<_> = evaluators.iter_mut().map(|e| e.take_new()).collect();
    for (i, e) in evaluators.iter_mut().enumerate() {
        for (j, shapes) in fresh.iter().enumerate() {
            if i != j {
                e.absorb(shapes);
            }
        }
    }
}

/// `--threads N` (default: the cores available).
pub fn threads(args: &mut Args) -> Result<usize, CliError> {
    match args.value("threads")? {
        Some(t) => match t.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(UsageError(format!("--threads {t}: expected a whole number ≥ 1")).into()),
        },
        None => Ok(std::thread::available_parallelism().map_or(1, usize::from)),
    }
}

/// `--as-of DATE` or `--as-of today` (the local date: the only place a clock is read);
/// `default` when absent, else required.
pub fn as_of_or(
    args: &mut Args,
    default: Option<chrono::NaiveDate>,
) -> Result<chrono::NaiveDate, CliError> {
    match args.value("as-of")? {
        Some(t) if t == "today" => Ok(chrono::Local::now().date_naive()),
        Some(t) => Ok(eduaid::calendar::parse_date("as_of", &t)?),
        None => default.ok_or_else(|| {
            UsageError("--as-of YYYY-MM-DD (or --as-of today) is required".into()).into()
        }),
    }
}

/// The input source from `--sample [--rows N] [--seed S]`, `--csv` or `--jsonl`.
pub fn source(args: &mut Args) -> Result<(Source, bool), CliError> {
    let sample = args.switch("sample");
    let rows = args.value("rows")?;
    let seed = args.value("seed")?;
    let csv = args.switch("csv");
    let jsonl = args.switch("jsonl");
    if sample {
        if csv || jsonl {
            return Err(UsageError("--sample reads no input: drop --csv/--jsonl".into()).into());
        }
        let mut config = SynthConfig::sample_county();
        if let Some(s) = seed {
            config.seed = s
                .parse()
                .map_err(|_| UsageError(format!("--seed {s}: expected a whole number")))?;
        }
        let rows = match rows {
            Some(r) => r
                .replace('_', "")
                .parse()
                .map_err(|_| UsageError(format!("--rows {r}: expected a whole number")))?,
            None => synth::SAMPLE_ROWS as u64,
        };
        return Ok((Source::Synth { config, rows }, true));
    }
    if rows.is_some() || seed.is_some() {
        return Err(UsageError("--rows and --seed go with --sample".into()).into());
    }
    if csv && jsonl {
        return Err(UsageError("choose one of --csv and --jsonl".into()).into());
    }
    Ok((if csv { Source::Csv } else { Source::Jsonl }, false))
}

/// Output format of the summary on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An aligned text table.
    Text,
    /// One JSON document (on one line).
    Json,
    /// The summary as one CSV table.
    Csv,
}

/// `--format text|json|csv` (default text).
pub fn format(args: &mut Args) -> Result<Format, CliError> {
    match args.value("format")?.as_deref() {
        None | Some("text") => Ok(Format::Text),
        Some("json") => Ok(Format::Json),
        Some("csv") => Ok(Format::Csv),
        Some(other) => {
            Err(UsageError(format!("--format {other}: expected text, json or csv")).into())
        }
    }
}

/// Write `rows` as CSV to `out`.
pub fn write_csv<W: Write>(out: W, columns: &[&str], rows: &[Vec<String>]) -> CmdResult {
    let mut w = csv::Writer::from_writer(out);
    let io = |e: csv::Error| CliError::Io(e.to_string());
    w.write_record(columns).map_err(io)?;
    for r in rows {
        w.write_record(r).map_err(io)?;
    }
    w.flush()?;
    Ok(())
}

fn create(path: &str) -> Result<std::io::BufWriter<std::fs::File>, CliError> {
    std::fs::File::create(path)
        .map(std::io::BufWriter::new)
        .map_err(|e| CliError::Io(format!("{path}: {e}")))
}

/// A per-row output file: CSV when the name ends in `.csv`, else JSON lines.
pub struct RowFile {
    csv: Option<csv::Writer<std::io::BufWriter<std::fs::File>>>,
    jsonl: Option<std::io::BufWriter<std::fs::File>>,
}

impl RowFile {
    /// Create `path` with the CSV `columns` (written as the header when CSV).
    pub fn create(path: &str, columns: &[&str]) -> Result<RowFile, CliError> {
        if path.ends_with(".csv") {
            let mut w = csv::Writer::from_writer(create(path)?);
            w.write_record(columns)
                .map_err(|e| CliError::Io(e.to_string()))?;
            Ok(RowFile {
                csv: Some(w),
                jsonl: None,
            })
        } else {
            Ok(RowFile {
                csv: None,
                jsonl: Some(create(path)?),
            })
        }
    }

    /// Write one row: its CSV cells, or its JSON form.
    pub fn write<T: serde::Serialize>(&mut self, cells: &[String], value: &T) -> CmdResult {
        if let Some(w) = self.csv.as_mut() {
            w.write_record(cells)
                .map_err(|e| CliError::Io(e.to_string()))?;
        }
        if let Some(w) = self.jsonl.as_mut() {
            serde_json::to_writer(&mut *w, value).map_err(|e| CliError::Io(e.to_string()))?;
            w.write_all(b"\n")?;
        }
        Ok(())
    }

    /// Flush the file.
    pub fn finish(mut self) -> CmdResult {
        if let Some(w) = self.csv.as_mut() {
            w.flush()?;
        }
        if let Some(w) = self.jsonl.as_mut() {
            w.flush()?;
        }
        Ok(())
    }
}

/// The policy of a report: the national policy, the shipped overlays of `--region CODE`
/// (and of the sample county when `sample_region`), then the `--overlay FILE`s, in order.
pub fn policy(args: &mut Args, sample_region: bool) -> Result<eduaid::Policy, CliError> {
    let mut regions = args.values("region")?;
    if sample_region && !regions.iter().any(|r| r == synth::SAMPLE_COUNTY) {
        regions.insert(0, synth::SAMPLE_COUNTY.to_string());
    }
    let mut policy = eduaid::Policy::national();
    for r in &regions {
        policy = policy.with_region(r)?;
    }
    for path in args.values("overlay")? {
        let text =
            std::fs::read_to_string(&path).map_err(|e| CliError::Io(format!("{path}: {e}")))?;
        policy = policy.with_overlay(&path, &text)?;
    }
    Ok(policy)
}

/// The title of the embedded sample county's report.
fn sample_title(rows: u64, seed: u64, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "Jize County 鸡泽县 ({}), Handan, Hebei — synthetic sample roster of {} students (seed {seed})",
            synth::SAMPLE_COUNTY,
            reports::text::count(rows)
        ),
        Lang::Zh => format!(
            "河北省邯郸市鸡泽县（{}）— 模拟花名册 {} 名学生（种子 {seed}）",
            synth::SAMPLE_COUNTY,
            reports::text::count(rows)
        ),
    }
}

/// Run `eduaid report`.
pub fn run(mut args: Args) -> CmdResult {
    let (source, sample) = source(&mut args)?;
    let as_of = as_of_or(&mut args, sample.then(synth::sample_as_of))?;
    let lang = common::lang(&mut args)?;
    let format = format(&mut args)?;
    let html = args.value("html")?;
    let details = args.value("details")?;
    let gaps = args.value("gaps")?;
    let title = args.value("title")?;
    let threads = threads(&mut args)?;
    let forced = args.switch("progress");
    let no_progress = args.switch("no-progress");
    let national_only = args.switch("national");
    let policy = policy(&mut args, sample && !national_only)?;
    args.finish()?;
    let title = title.unwrap_or_else(|| match &source {
        Source::Synth { config, rows } => sample_title(*rows, config.seed, lang),
        _ => match lang {
            Lang::En => "Student aid roster report".into(),
            Lang::Zh => "学生资助统计".into(),
        },
    });

    let (rows, parser) = Rows::open(source)?;
    let mut states: Vec<(Evaluator, ReportBuilder)> = (0..threads)
        .map(|_| {
            let ev = Evaluator::new(&policy, as_of, lang)?;
            let b = ReportBuilder::for_evaluator(&ev);
            Ok((ev, b))
        })
        .collect::<Result<_, Error>>()?;
    let mut details_file = details
        .as_deref()
        .map(|p| RowFile::create(p, &EntitlementRow::COLUMNS))
        .transpose()?;
    let want_details = details_file.is_some();
    let mut progress = Progress::new("report", rows.total(), forced, no_progress);
    pipeline(
        rows,
        &mut states,
        |(ev, b): &mut (Evaluator, ReportBuilder), row, raw, out: &mut Vec<EntitlementRow>| {
            let profile = parser.profile(raw);
            let id = profile.as_ref().map(|p| p.student_id.clone()).ok();
            if let Some(e) = b.add_row(ev, row, profile) {
                if want_details {
                    out.extend(EntitlementRow::of(row, id.as_deref().unwrap_or(""), &e));
                }
            }
        },
        |states, out, n| {
            if let Some(f) = details_file.as_mut() {
                for r in &out {
                    f.write(&r.cells(), r)?;
                }
            }
            share(states.iter_mut().map(|(ev, _)| ev));
            progress.advance(n as u64);
            Ok(())
        },
    )?;
    progress.finish();
    if let Some(f) = details_file {
        f.finish()?;
    }
    let mut builders = states.into_iter().map(|(_, b)| b);
    let mut builder = builders
        .next()
        .unwrap_or_else(|| ReportBuilder::new(as_of, lang));
    for b in builders {
        builder.merge(b);
    }
    let report = builder.finish(&policy);
    write_report(&report, &title, lang, format)?;
    if let Some(path) = html {
        let mut f = create(&path)?;
        f.write_all(reports::html::roster_page(&report, &title, lang).as_bytes())?;
        f.flush()?;
    }
    if let Some(path) = gaps {
        write_gaps(&report, &path)?;
    }
    Ok(())
}

fn write_report(report: &RosterReport, title: &str, lang: Lang, format: Format) -> CmdResult {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Text => out.write_all(reports::text::roster(report, title, lang).as_bytes())?,
        Format::Json => {
            serde_json::to_writer(&mut out, report).map_err(|e| CliError::Io(e.to_string()))?;
            out.write_all(b"\n")?;
        }
        Format::Csv => {
            let (columns, rows) = report.summary_table();
            write_csv(&mut out, &columns, &rows)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The coverage findings, one per line: gaps, then students studying elsewhere.
fn write_gaps(report: &RosterReport, path: &str) -> CmdResult {
    const COLUMNS: [&str; 11] = [
        "finding",
        "row",
        "student_id",
        "stage",
        "grade",
        "hukou_region",
        "school_region",
        "key_statuses",
        "programs",
        "codes",
        "message",
    ];
    let mut f = RowFile::create(path, &COLUMNS)?;
    let statuses =
        |s: &[eduaid::HouseholdStatus]| s.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(",");
    for g in &report.coverage.gaps {
        let cells = vec![
            "coverage_gap".into(),
            g.row.to_string(),
            g.student_id.clone(),
            g.stage.as_str().into(),
            g.grade.to_string(),
            String::new(),
            g.school_region.clone(),
            statuses(&g.key_statuses),
            g.reasons
                .iter()
                .map(|r| r.program.as_str())
                .collect::<Vec<_>>()
                .join(","),
            g.reasons
                .iter()
                .map(|r| r.code.as_str())
                .collect::<Vec<_>>()
                .join(","),
            g.reasons
                .iter()
                .map(|r| r.message.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        ];
        let value = serde_json::json!({ "finding": "coverage_gap", "gap": g });
        f.write(&cells, &value)?;
    }
    for s in &report.coverage.studying_elsewhere {
        let cells = vec![
            "studying_elsewhere".into(),
            s.row.to_string(),
            s.student_id.clone(),
            s.stage.as_str().into(),
            s.grade.to_string(),
            s.hukou_region.clone(),
            s.school_region.clone(),
            statuses(&s.key_statuses),
            s.cash_programs.join(","),
            "studying_elsewhere".into(),
            s.message.clone(),
        ];
        let value = serde_json::json!({ "finding": "studying_elsewhere", "flag": s });
        f.write(&cells, &value)?;
    }
    f.finish()
}

/// Run `eduaid synth`: write a synthetic roster (CSV with `--csv`, else JSON lines) to
/// standard output.
pub fn synth_cmd(mut args: Args) -> CmdResult {
    let rows = args.value("rows")?;
    let seed = args.value("seed")?;
    let region = args.value("region")?;
    let reference = args.value("reference-date")?;
    let csv = args.switch("csv");
    args.finish()?;
    let rows: u64 = match rows {
        Some(r) => r
            .replace('_', "")
            .parse()
            .map_err(|_| UsageError(format!("--rows {r}: expected a whole number")))?,
        None => synth::SAMPLE_ROWS as u64,
    };
    let seed: u64 = match seed {
        Some(s) => s
            .parse()
            .map_err(|_| UsageError(format!("--seed {s}: expected a whole number")))?,
        None => synth::SAMPLE_SEED,
    };
    let mut config = match region.as_deref() {
        Some("") | Some("none") => SynthConfig::new(seed),
        Some(r) => {
            if !eduaid::profile::is_region_code(r) {
                return Err(UsageError(format!("--region {r}: expected six digits")).into());
            }
            SynthConfig::county(r, seed, SynthConfig::sample_county().reference_date)
        }
        None => SynthConfig {
            seed,
            ..SynthConfig::sample_county()
        },
    };
    if let Some(d) = reference {
        config.reference_date = eduaid::calendar::parse_date("reference_date", &d)?;
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if csv {
        let mut w = csv::Writer::from_writer(&mut out);
        let io = |e: csv::Error| CliError::Io(e.to_string());
        w.write_record(eduaid::roster::COLUMNS).map_err(io)?;
        for p in synth::profiles(&config, 0..rows) {
            w.write_record(synth::to_row(&p)).map_err(io)?;
        }
        w.flush()?;
    } else {
        for p in synth::profiles(&config, 0..rows) {
            serde_json::to_writer(&mut out, &p).map_err(|e| CliError::Io(e.to_string()))?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(())
}
