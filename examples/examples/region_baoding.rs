//! Baoding (保定市, 130600), seed 003: Beijing–Baoding education cooperation. The overlay
//! states the allocation rule of the cooperation funds (more than 80% to poor villages,
//! households, students and deeply poor areas) and the ledger tally on the 25th of every
//! month. Prints the check of a sample fund ledger, the tally dates of a quarter, and the
//! sample roster of a Baoding county.
//!
//! Run: `cargo run -p eduaid-examples --example region_baoding`

use eduaid::allocation::{self, LedgerEntry};
use eduaid::Policy;
use eduaid_examples::{county_report, date, heading, print_report};

fn main() -> Result<(), eduaid::Error> {
    let policy = Policy::national().with_region("130600")?;
    let ledger: Vec<LedgerEntry> = serde_json::from_str(
        r#"[
        {"fund":"beijing_baoding_cooperation","date":"2019-03-10","amount":"1200000.00","category":"poor_student","note":"paired-school bursaries"},
        {"fund":"beijing_baoding_cooperation","date":"2019-04-02","amount":"900000.00","category":"deeply_poor_area","note":"Fuping county school buildings"},
        {"fund":"beijing_baoding_cooperation","date":"2019-05-15","amount":"600000.00","category":"poor_village","note":"village kindergartens"},
        {"fund":"beijing_baoding_cooperation","date":"2019-06-20","amount":"700000.00","category":"other","note":"teacher exchange travel"}
    ]"#,
    )
    .map_err(|e| eduaid::Error::invalid("ledger", "invalid_json", e.to_string()))?;
    heading("Allocation of the cooperation funds, 2019 (seed 003: 80% or more to target groups)");
    for rule in allocation::rules(&policy, "130600") {
        let check = allocation::check(&rule, &ledger, date("2019-12-31"))?;
        println!(
            "  {}: {} of {} yuan to target groups = {}% (required {}%): {}; shortfall {}",
            rule.name_zh,
            check.targeted,
            check.total,
            check.share_percent,
            check.required_percent,
            if check.passes { "passes" } else { "FAILS" },
            check.shortfall
        );
        let tallies: Vec<String> =
            allocation::tally_dates(&rule, date("2019-07-01"), date("2019-09-30"))
                .iter()
                .map(|d| d.to_string())
                .collect();
        println!("  ledger tallies in 2019 Q3: {}", tallies.join(", "));
    }
    heading("Sample roster of a Baoding county (130631), 2019-10-01");
    let report = county_report("130631", 2000, date("2019-10-01"), &policy)?;
    print_report(&report, "保定市 Baoding county sample");
    Ok(())
}
