//! Shared helpers of the runnable examples (`examples/examples/*.rs`): a sample county
//! roster for a region and a compact printout of its report. No rules live here.

use chrono::NaiveDate;
use eduaid::reports::RosterReport;
use eduaid::synth::{self, SynthConfig};
use eduaid::{Lang, Policy};

/// Parse an ISO date written in an example (examples only use literal, valid dates).
pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

/// The report of a synthetic roster of `rows` students of `region` as of `as_of` (birth
/// dates consistent with the school year of `as_of`).
pub fn county_report(
    region: &str,
    rows: usize,
    as_of: NaiveDate,
    policy: &Policy,
) -> eduaid::Result<RosterReport> {
    let reference = eduaid::SchoolYear::containing(as_of).first_day();
    let seed = region.parse::<u64>().unwrap_or(1);
    let profiles = synth::roster(&SynthConfig::county(region, seed, reference), rows);
    RosterReport::of(&profiles, as_of, policy, Lang::En)
}

/// Print the report as the text tables the CLI prints.
pub fn print_report(report: &RosterReport, title: &str) {
    println!("{}", eduaid::reports::text::roster(report, title, Lang::En));
}

/// Print a heading.
pub fn heading(text: &str) {
    println!("\n== {text} ==");
}
