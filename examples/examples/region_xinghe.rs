//! Xinghe County (兴和县, 150924), seed 002: the national policy with the shipped overlay.
//! Prints the sample roster's entitlements (with the county's social-fund grants and the
//! nutrition plan as a national pilot), a dropout case walked through the county's three
//! persuasion stages, the 2016–2017 recruits' allowance, and a month of the "eight ones".
//!
//! Run: `cargo run -p eduaid-examples --example region_xinghe`

use eduaid::dropout::{Case, Event};
use eduaid::{AllowanceRequest, CareRequest, Policy};
use eduaid_examples::{county_report, date, heading, print_report};

fn main() -> Result<(), eduaid::Error> {
    let policy = Policy::national().with_region("150924")?;
    let as_of = date("2019-10-01");
    heading("Xinghe County sample roster, 2019-10-01 (seed 002)");
    let report = county_report("150924", 2000, as_of, &policy)?;
    print_report(&report, "兴和县 Xinghe County");

    heading("Dropout control: three persuasion stages, then the legal steps (seed 002)");
    let student: eduaid::dropout::Student = serde_json::from_str(
        r#"{"student_id": "XH-0042", "region": "150924", "birth_date": "2008-05-20", "stage": "junior_middle", "grade": 2}"#,
    )
    .map_err(|e| eduaid::Error::invalid("student", "invalid_json", e.to_string()))?;
    let events = [
        r#"{"type":"opened","date":"2020-03-04","trigger":{"kind":"screening","term":"2020-spring"}}"#,
        r#"{"type":"persuasion_attempt","date":"2020-03-05","actor":"班主任","outcome":"refused"}"#,
        r#"{"type":"escalated","date":"2020-03-12","to":"school_leaders"}"#,
        r#"{"type":"persuasion_attempt","date":"2020-03-13","actor":"教导主任","outcome":"refused"}"#,
        r#"{"type":"escalated","date":"2020-03-20","to":"bureau_and_principal"}"#,
        r#"{"type":"persuasion_attempt","date":"2020-03-21","actor":"校长","outcome":"promised_return"}"#,
        r#"{"type":"returned","date":"2020-03-23"}"#,
    ];
    let mut case: Option<Case> = None;
    for text in events {
        let event = Event::from_json(text)?;
        case = Some(match case {
            None => match &event {
                Event::Opened { trigger, date, .. } => {
                    Case::open(student.clone(), trigger.clone(), *date, &policy)?
                }
                _ => {
                    return Err(eduaid::Error::invalid(
                        "events[0]",
                        "not_opened",
                        "the first event opens the case",
                    ))
                }
            },
            Some(c) => c.apply(event, &policy)?,
        });
        if let Some(c) = &case {
            let due: Vec<String> = c
                .due(c.last_date(), &policy)
                .iter()
                .map(|a| {
                    format!(
                        "{:?} {} by {}",
                        a.kind,
                        a.stage.clone().unwrap_or_default(),
                        a.due.map(|d| d.to_string()).unwrap_or_default()
                    )
                })
                .collect();
            println!(
                "{:<11} status {:<12} stage {:<22} due: {}",
                c.last_date(),
                format!("{:?}", c.status),
                c.stage,
                due.join("; ")
            );
        }
    }

    heading("Teacher allowance: recruits of 2016–2017, 2000 yuan a month (seed 002)");
    let request = AllowanceRequest::from_json(
        r#"{"from_month":"2019-01","to_month":"2019-12","region":"150924","teachers":[
            {"teacher_id":"XH-T1","school_location":"rural","recruited_year":2016},
            {"teacher_id":"XH-T2","school_location":"rural","recruited_year":2018}]}"#,
    )?;
    let allowances = eduaid::teacher_allowances(&request, &policy)?;
    for t in &allowances.teachers {
        println!("{}: cash {}", t.teacher_id, t.cash_total);
    }

    heading("The eight ones (八个一) for one poor student, March 2020 (seed 002)");
    let care = CareRequest::from_json(
        r#"{"plan":"eight_ones","student_id":"XH-0042","term":"2020-spring","start":"2020-03-01","end":"2020-03-31",
            "as_of":"2020-04-01","region":"150924","log":[
            {"activity":"home_visit","date":"2020-03-10"},{"activity":"talk","date":"2020-03-05"}]}"#,
    )?;
    let schedule = eduaid::care_schedule(&care, &policy)?;
    println!(
        "{} activities scheduled, {} overdue on 2020-04-01:",
        schedule.activities.len(),
        schedule.overdue.len()
    );
    for o in &schedule.overdue {
        println!("  overdue: {o:?}");
    }
    Ok(())
}
