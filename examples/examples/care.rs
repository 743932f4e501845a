//! Care schedules: the "eight ones" (八个一) of Xinghe County (seed 002) for a poor student
//! in the 2024 autumn term, and weekly home-delivered teaching visits (送教上门), with what
//! is overdue in a log.
//!
//! Run: `cargo run -p eduaid-examples --example care`

use eduaid::{care_schedule, CareRequest, Policy};

fn show(title: &str, request: &str, policy: &Policy) -> Result<usize, eduaid::Error> {
    let schedule = care_schedule(&CareRequest::from_json(request)?, policy)?;
    println!(
        "== {title}: {} to {}, as of {}",
        schedule.start, schedule.end, schedule.as_of
    );
    for a in &schedule.activities {
        let next = a
            .slots
            .iter()
            .find(|s| s.due >= schedule.as_of)
            .map(|s| s.due.to_string())
            .unwrap_or_default();
        println!(
            "  {:<22} {:<6} every {:<10} done {}/{} due; next due {}",
            format!("{:?}", a.activity),
            a.name_zh,
            format!("{:?}", a.period),
            a.done_total,
            a.required_total,
            next
        );
    }
    for o in &schedule.overdue {
        println!(
            "  OVERDUE {:?}: {} missing for {} to {}",
            o.activity, o.missing, o.from, o.due
        );
    }
    Ok(schedule.overdue.len())
}

fn main() -> Result<(), eduaid::Error> {
    let policy = Policy::national();
    let overdue = show(
        "eight ones, 2024 autumn",
        r#"{ "plan": "eight_ones", "student_id": "XH-S-017", "term": "2024-autumn",
             "start": "2024-09-02", "end": "2025-01-15", "as_of": "2024-11-05",
             "log": [
               {"activity": "family_education", "date": "2024-09-14"},
               {"activity": "talk", "date": "2024-09-06"},
               {"activity": "talk", "date": "2024-09-20"},
               {"activity": "talk", "date": "2024-10-09"},
               {"activity": "home_visit", "date": "2024-09-12"},
               {"activity": "home_visit", "date": "2024-10-17"},
               {"activity": "grades_analysis", "date": "2024-09-30"},
               {"activity": "grades_analysis", "date": "2024-10-31"},
               {"activity": "social_practice", "date": "2024-09-21"},
               {"activity": "recommended_book", "date": "2024-09-03"},
               {"activity": "recommended_book", "date": "2024-10-08"},
               {"activity": "aid_payment", "date": "2024-10-25"}
             ] }"#,
        &policy,
    )?;
    // September is complete; October misses a family-education activity, a social-practice
    // activity and the second-half talk.
    assert_eq!(overdue, 3);

    let overdue = show(
        "home-delivered teaching, 2025 spring (March)",
        r#"{ "plan": "home_teaching", "student_id": "XH-S-203", "term": "2025-spring",
             "start": "2025-03-03", "end": "2025-06-30", "as_of": "2025-03-26",
             "log": [
               {"activity": "home_teaching_visit", "date": "2025-03-04"},
               {"activity": "home_teaching_visit", "date": "2025-03-18"}
             ] }"#,
        &policy,
    )?;
    // The week of 10–16 March has no visit.
    assert_eq!(overdue, 1);
    Ok(())
}
