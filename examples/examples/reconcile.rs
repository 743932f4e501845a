//! Registry reconciliation (精准识别, seeds 000 and 002; school-age screening, seed 004) on the
//! sample county: a synthetic poverty registry (students of lifted-out and monitored
//! households, their parents, a few children in no school, a few mistyped resident IDs)
//! matched against the sample roster's enrolment by resident ID. Resident IDs and names
//! are masked in everything printed.
//!
//! Run: `cargo run -p eduaid-examples --example reconcile [-- zh]`
//! (the CLI equivalent: `eduaid reconcile --sample`).

use eduaid::reconcile::reconcile;
use eduaid::synth::{self, SynthConfig};
use eduaid::Lang;

fn main() {
    let lang = match std::env::args().nth(1).as_deref() {
        Some("zh") => Lang::Zh,
        _ => Lang::En,
    };
    let (registry, enrolment) =
        synth::sample_registry(&SynthConfig::sample_county(), synth::SAMPLE_ROWS);
    let result = reconcile(&registry, &enrolment, synth::sample_as_of(), lang);
    print!(
        "{}",
        eduaid::reports::text::reconciliation(&result, "鸡泽县 Jize County (130431)", lang)
    );
    // The feed for dropout detection, as JSON lines (masked).
    println!();
    for n in &result.not_enrolled {
        println!(
            "{}",
            serde_json::to_string(n).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        );
    }
}
