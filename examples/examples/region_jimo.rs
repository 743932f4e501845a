//! Jimo District (即墨区, 370215), seed 000: the national policy with the shipped overlay.
//! Prints the sample roster's entitlements, with the district's admission grant for poor
//! students entering a bachelor programme (3000 yuan, implied by 200.4万 / 668) and its aid
//! to children in difficulty (1000 yuan a person-time, implied by 360万 / 3600), and the
//! allowances of remote rural teachers (60 yuan a month transport from 2019, a 300 yuan
//! health check).
//!
//! Run: `cargo run -p eduaid-examples --example region_jimo`

use eduaid::{AllowanceRequest, Policy};
use eduaid_examples::{county_report, date, heading, print_report};

fn main() -> Result<(), eduaid::Error> {
    let policy = Policy::national().with_region("370215")?;
    heading("Jimo District sample roster, 2020-10-01 (seed 000)");
    let report = county_report("370215", 5000, date("2020-10-01"), &policy)?;
    print_report(&report, "即墨区 Jimo District");
    for program in [
        "370215.bachelor_admission_grant",
        "370215.children_in_difficulty_aid",
    ] {
        if let Some(p) = report.by_program.iter().find(|p| p.program == program) {
            println!(
                "{program}: {} students, {} person-times, {} yuan",
                p.students, p.person_times, p.school_year_total
            );
        }
    }
    heading("Teacher allowances 2020 (seed 000)");
    let request = AllowanceRequest::from_json(
        r#"{"from_month":"2020-01","to_month":"2020-12","region":"370215","teachers":[
            {"teacher_id":"JM-remote","school_location":"rural","remoteness":"remote"},
            {"teacher_id":"JM-town","school_location":"town"}]}"#,
    )?;
    let allowances = eduaid::teacher_allowances(&request, &policy)?;
    println!(
        "(hand check: a remote teacher gets 12 × 60 = 720.00 in cash and a 300.00 health check)"
    );
    for t in &allowances.teachers {
        println!(
            "{}: cash {}, in kind {}",
            t.teacher_id, t.cash_total, t.in_kind_total
        );
    }
    Ok(())
}
