//! Mudanjiang (牡丹江市, 231000), seed 004: the national policy with the shipped overlay.
//! Prints the public funds of sample schools (a rural school of fewer than 100 pupils is
//! funded as 100; the boarding add-on per boarder), in a 2022 and a 2024 term, and the
//! students of a sample county who study outside their hukou region (外地就读), to be checked
//! with the place of study.
//!
//! Run: `cargo run -p eduaid-examples --example region_mudanjiang`

use eduaid::{FundsRequest, Policy};
use eduaid_examples::{county_report, date, heading, print_report};

fn main() -> Result<(), eduaid::Error> {
    let policy = Policy::national().with_region("231000")?;
    heading("Public funds (生均公用经费), seed 004: fewer than 100 pupils funded as 100");
    for term in ["2022-autumn", "2024-autumn"] {
        let request = FundsRequest::from_json(&format!(
            r#"{{"term":"{term}","region":"231000","schools":[
                {{"school_id":"rural-60","location":"rural","primary_pupils":60,"boarders":30}},
                {{"school_id":"town-480","location":"town","primary_pupils":300,"junior_middle_pupils":180,"inclusion_pupils":4,"boarders":120}}]}}"#
        ))?;
        let funds = eduaid::public_funds(&request, &policy)?;
        for s in &funds.schools {
            println!(
                "  {term} {:<10} pupils {:>4} funded as {:>4}: {} for the term",
                s.school_id, s.pupils, s.funded_pupils, s.term_total
            );
        }
        println!("  {term} total {}", funds.total);
    }
    heading("Sample county of Mudanjiang (231025), 2023-10-01");
    let report = county_report("231025", 2000, date("2023-10-01"), &policy)?;
    print_report(&report, "牡丹江市 Mudanjiang county sample");
    Ok(())
}
