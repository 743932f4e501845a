//! The embedded sample county (Jize, 鸡泽县 130431, seed 001) as its bureau would report it:
//! the roster report as of 2025-10-01 (entitlements by program with head counts,
//! person-times and totals; by stage and region; coverage gaps and students studying
//! outside their hukou region), then a what-if: the same roster under the national policy
//! alone against the county's overlay.
//!
//! Run: `cargo run -p eduaid-examples --example county_report [-- zh]`
//! (the CLI equivalent: `eduaid report --sample`).

use eduaid::reports::{self, text, RosterReport};
use eduaid::synth;
use eduaid::{Lang, Policy};
use eduaid_examples::heading;

fn main() -> Result<(), eduaid::Error> {
    let lang = match std::env::args().nth(1).as_deref() {
        Some("zh") => Lang::Zh,
        _ => Lang::En,
    };
    let as_of = synth::sample_as_of();
    let roster = synth::sample_county();
    let national = Policy::national();
    let county = national.with_region(synth::SAMPLE_COUNTY)?;

    heading("Jize County sample roster, 2025-10-01 (seed 001)");
    let report = RosterReport::of(&roster, as_of, &county, lang)?;
    print!(
        "{}",
        text::roster(&report, "鸡泽县 Jize County (130431)", lang)
    );

    heading("What-if: national policy alone against national + Jize overlay");
    let w = reports::what_if(
        roster.iter().cloned().map(Ok),
        as_of,
        &national,
        &county,
        lang,
    )?;
    print!("{}", text::what_if(&w, "鸡泽县 Jize County (130431)", lang));
    Ok(())
}
