//! Teacher allowances of two seed regions, expressed in the generic allowance model:
//! Jimo (seed 000): 60 yuan a month transport allowance for teachers of remote townships
//! from 2019 and a free health check worth 300 yuan a year; Xinghe (seed 002): 2000 yuan a
//! month for teachers recruited to rural schools in 2016–2017.
//!
//! Run: `cargo run -p eduaid-examples --example allowances`
//!
//! Hand check for 2019: a remote Jimo teacher gets 12 × 60 = 720.00 in cash and a 300.00
//! health check; a Xinghe teacher recruited in 2016 gets 12 × 2000 = 24000.00; one recruited
//! in 2018 gets nothing from that rule. The national rural-teacher living allowance has no
//! national amount: without a regional figure it is listed as `regional_standard_missing`.

use eduaid::{teacher_allowances, AllowanceRequest, Money, Policy};

fn main() -> Result<(), eduaid::Error> {
    // The shipped seed overlays (core/policy/regions/) carry the allowances.
    let policy = Policy::national()
        .with_region("370215")?
        .with_region("150924")?;
    for (region, teachers) in [
        (
            "370215",
            r#"[ {"teacher_id": "JM-remote", "school_location": "rural", "remoteness": "remote"},
                 {"teacher_id": "JM-town", "school_location": "town"} ]"#,
        ),
        (
            "150924",
            r#"[ {"teacher_id": "XH-2016", "school_location": "rural", "recruited_year": 2016},
                 {"teacher_id": "XH-2018", "school_location": "rural", "recruited_year": 2018} ]"#,
        ),
    ] {
        let request = AllowanceRequest::from_json(&format!(
            r#"{{ "from_month": "2019-01", "to_month": "2019-12", "region": "{region}",
                  "teachers": {teachers} }}"#
        ))?;
        let report = teacher_allowances(&request, &policy)?;
        println!("== region {region}, 2019-01 to 2019-12");
        for t in &report.teachers {
            println!(
                "{}: cash {}, in kind {}",
                t.teacher_id, t.cash_total, t.in_kind_total
            );
            for l in &t.lines {
                println!(
                    "  + {} {} ({:?}, {} months): {}",
                    l.allowance, l.name_zh, l.cadence, l.months, l.amount
                );
            }
            for n in &t.not_granted {
                println!("  - {}: {} ({})", n.allowance, n.code, n.message);
            }
        }
        let expected = if region == "370215" { 720 } else { 24_000 };
        assert_eq!(report.cash_total, Money::yuan(expected));
    }
    Ok(())
}
