//! Jize County (鸡泽县, 130431), seed 001 (plan of 2016): the national policy with the
//! shipped overlay. Prints the sample roster as of the 2016 autumn term (with the county's
//! free accommodation for registered-poor students and the tuition waiver for every
//! full-time student of its vocational centre), one registered-poor high-school student's
//! assessment, and the consolidation rates against the county's targets (99% primary, 95%
//! junior middle).
//!
//! Run: `cargo run -p eduaid-examples --example region_jize`

use eduaid::dropout::metrics::{consolidation, CohortCounts, CohortKind};
use eduaid::{evaluate, Policy, Profile};
use eduaid_examples::{county_report, date, heading, print_report};

fn main() -> Result<(), eduaid::Error> {
    let policy = Policy::national().with_region("130431")?;
    let as_of = date("2016-10-01");
    heading("Jize County sample roster, 2016-10-01 (seed 001)");
    let report = county_report("130431", 2000, as_of, &policy)?;
    print_report(&report, "鸡泽县 Jize County");

    heading("A registered-poor student at the county No.1 high school, 2016 autumn");
    let student = Profile::from_json(
        r#"{"student_id":"JZ-1","stage":"general_high","grade":1,"hukou":"rural","school_region":"130431",
            "household":{"statuses":["lifted_out_of_poverty"]}}"#,
    )?;
    let a = evaluate(&student, as_of, &policy)?;
    for e in &a.entitlements {
        let amount = e
            .annual_amount
            .map(|m| m.to_string())
            .unwrap_or_else(|| "—".into());
        println!(
            "  {:<45} {:>10} {:?}  {}",
            e.program, amount, e.kind, e.name_zh
        );
    }

    heading("Consolidation rates against the county's targets (seed 001: 99% / 95%)");
    for (cohort, counts) in [
        (
            CohortKind::Primary,
            CohortCounts {
                entrants: 420,
                transferred_out: 12,
                transferred_in: 6,
                deaths: 1,
                graduates: 409,
            },
        ),
        (
            CohortKind::JuniorMiddle,
            CohortCounts {
                entrants: 380,
                transferred_out: 9,
                transferred_in: 4,
                deaths: 0,
                graduates: 355,
            },
        ),
    ] {
        let r = consolidation(cohort, &counts, date("2021-07-01"), "130431", &policy)?;
        println!(
            "  {cohort:?}: {}% (target {:?}, met: {:?})",
            r.rate.percent, r.target, r.meets_target
        );
    }
    Ok(())
}
