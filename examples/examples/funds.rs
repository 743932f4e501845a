//! School public funds (生均公用经费) of the Mudanjiang example (seed 004; seed-systems.md):
//! a rural school of 60 pupils, 30 of them boarders, funded as 100 pupils plus the boarding
//! add-on, in a 2022 term and a 2024 term.
//!
//! Run: `cargo run -p eduaid-examples --example funds`
//!
//! Hand check (a term is half a year; primary school):
//! - 2022-autumn (standards before 2023-02-01): 100 × 650 = 65000 plus 30 × 200 = 6000,
//!   71000 a year, 35500.00 for the term;
//! - 2024-autumn (from 2023-02-01, A17d): 100 × 720 = 72000 plus 30 × 300 = 9000, 81000 a
//!   year, 40500.00 for the term. The seed (2023) still writes 200 per boarder, the national
//!   figure before 2023-02-01; a Mudanjiang overlay could keep 200 if the city did.

use eduaid::{public_funds, FundsRequest, Money, Policy};

fn main() -> Result<(), eduaid::Error> {
    let policy = Policy::national();
    for (term, expected) in [("2022-autumn", 35_500), ("2024-autumn", 40_500)] {
        let request = FundsRequest::from_json(&format!(
            r#"{{ "term": "{term}", "region": "231000",
                  "schools": [ {{ "school_id": "MDJ-rural-60", "location": "rural",
                                  "primary_pupils": 60, "boarders": 30 }} ] }}"#
        ))?;
        let report = public_funds(&request, &policy)?;
        println!("== {term}");
        for school in &report.schools {
            println!(
                "{}: {} pupils funded as {} (floor applied: {})",
                school.school_id,
                school.pupils,
                school.funded_pupils,
                school.small_school_floor_applied
            );
            for line in &school.lines {
                println!(
                    "  {:<20} {:>4} × {:>8} = {:>9} a year, {:>9} this term",
                    format!("{:?}", line.item),
                    line.pupils,
                    line.rate.to_string(),
                    line.annual.to_string(),
                    line.term_amount.to_string()
                );
            }
            println!("  term total {}", school.term_total);
        }
        assert_eq!(report.total, Money::yuan(expected));
    }
    Ok(())
}
