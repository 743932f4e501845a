//! `eduaid reconcile`: the poverty registry against enrolment by resident ID (精准识别,
//! seeds 000 and 002; school-age screening, seed 004). Inputs are CSV when the file name
//! ends in `.csv`, else JSON lines (one flat object per line, keys = the column names).
//! A bad row is listed and the rest processed. Resident IDs and names appear masked in
//! every output and message.

use crate::args::{Args, UsageError};
use crate::common::{self, CliError, CmdResult};
use crate::report::{self, Format};
use eduaid::reconcile::{self, EnrolmentRecord, InputError, RegistryMember, Source, TableHeader};
use eduaid::{Error, Lang};
use std::io::{BufRead, Write};

/// Read a table file: CSV (by extension) or JSON lines; each row through `row_of`.
fn read<T>(
    path: &str,
    source: Source,
    header_of: fn(&[String]) -> Result<TableHeader, Error>,
    from_cells: fn(&TableHeader, u64, &[String]) -> Result<T, Error>,
    from_json: fn(u64, &str) -> Result<T, Error>,
    errors: &mut Vec<InputError>,
) -> Result<Vec<T>, CliError> {
    let file = std::fs::File::open(path).map_err(|e| CliError::Io(format!("{path}: {e}")))?;
    let mut out = Vec::new();
    if path.ends_with(".csv") {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
        let names: Vec<String> = reader
            .headers()
            .map_err(|e| CliError::Io(format!("{path}: CSV header: {e}")))?
            .iter()
            .map(str::to_string)
            .collect();
        let header = header_of(&names)
            .map_err(|e| CliError::Io(format!("{path}: {}: {}", e.field(), e.message())))?;
        for (i, record) in reader.records().enumerate() {
            let row = i as u64 + 1;
            too_many(path, row)?;
            let parsed = match record {
                Ok(r) => {
                    let cells: Vec<String> = r.iter().map(str::to_string).collect();
                    from_cells(&header, row, &cells)
                }
                Err(e) => Err(Error::invalid(
                    "",
                    "invalid_csv",
                    format!("unreadable CSV row: {e}"),
                )),
            };
            match parsed {
                Ok(t) => out.push(t),
                Err(e) => errors.push(InputError::new(source, row, &e)),
            }
        }
    } else {
        for (i, line) in std::io::BufReader::new(file).split(b'\n').enumerate() {
            let row = i as u64 + 1;
            too_many(path, row)?;
            let bytes = line?;
            let parsed = match std::str::from_utf8(&bytes) {
                Ok(t) if t.trim().is_empty() => continue,
                Ok(t) => from_json(row, t),
                Err(_) => Err(Error::invalid(
                    "",
                    "invalid_utf8",
                    "the line is not valid UTF-8",
                )),
            };
            match parsed {
                Ok(t) => out.push(t),
                Err(e) => errors.push(InputError::new(source, row, &e)),
            }
        }
    }
    Ok(out)
}

/// Stop reading a file past [`eduaid::roster::MAX_ROWS`] records: reconciliation holds
/// both files in memory, so an oversized one is refused rather than exhausting it.
fn too_many(path: &str, row: u64) -> Result<(), CliError> {
    eduaid::roster::check_rows(row).map_err(|e| CliError::Io(format!("{path}: {}", e.message())))
}

fn registry_header(names: &[String]) -> Result<TableHeader, Error> {
    TableHeader::registry(names)
}

fn enrolment_header(names: &[String]) -> Result<TableHeader, Error> {
    TableHeader::enrolment(names)
}

fn member(h: &TableHeader, row: u64, cells: &[String]) -> Result<RegistryMember, Error> {
    h.member(row, cells)
}

fn record(h: &TableHeader, row: u64, cells: &[String]) -> Result<EnrolmentRecord, Error> {
    h.record(row, cells)
}

/// Run the subcommand.
pub fn run(mut args: Args) -> CmdResult {
    let sample = args.switch("sample");
    let registry_path = args.value("registry")?;
    let enrolment_path = args.value("enrolment")?;
    let rows = args.value("rows")?;
    let as_of = report::as_of_or(&mut args, sample.then(eduaid::synth::sample_as_of))?;
    let lang = common::lang(&mut args)?;
    let format = report::format(&mut args)?;
    let title = args.value("title")?;
    args.finish()?;
    let mut errors = Vec::new();
    let (registry, enrolment) = match (sample, registry_path, enrolment_path) {
        (true, None, None) => {
            let rows = match rows {
                Some(r) => r
                    .parse()
                    .map_err(|_| UsageError(format!("--rows {r}: expected a whole number")))?,
                None => eduaid::synth::SAMPLE_ROWS,
            };
            eduaid::synth::sample_registry(&eduaid::synth::SynthConfig::sample_county(), rows)
        }
        (false, Some(r), Some(e)) if rows.is_none() => (
            read(
                &r,
                Source::Registry,
                registry_header,
                member,
                reconcile::member_from_json,
                &mut errors,
            )?,
            read(
                &e,
                Source::Enrolment,
                enrolment_header,
                record,
                reconcile::record_from_json,
                &mut errors,
            )?,
        ),
        _ => {
            return Err(UsageError(
                "give --registry FILE and --enrolment FILE, or --sample [--rows N]".into(),
            )
            .into())
        }
    };
    let result = reconcile::reconcile(&registry, &enrolment, as_of, lang).with_input_errors(errors);
    let title = title.unwrap_or_else(|| match (sample, lang) {
        (true, Lang::En) => "Jize County 鸡泽县 (130431) — synthetic registry and enrolment".into(),
        (true, Lang::Zh) => "鸡泽县（130431）模拟扶贫系统与学籍".into(),
        (false, Lang::En) => "Registry reconciliation".into(),
        (false, Lang::Zh) => "扶贫系统与学籍比对结果".into(),
    });
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Text => {
            out.write_all(eduaid::reports::text::reconciliation(&result, &title, lang).as_bytes())?
        }
        Format::Json => {
            serde_json::to_writer(&mut out, &result).map_err(|e| CliError::Io(e.to_string()))?;
            out.write_all(b"\n")?;
        }
        Format::Csv => {
            let (columns, rows) = result.table();
            report::write_csv(&mut out, &columns, &rows)?;
        }
    }
    out.flush()?;
    Ok(())
}
