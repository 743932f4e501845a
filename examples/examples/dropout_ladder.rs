//! One student through the whole persuasion ladder (劝返) to a mediated return: found by
//! attendance, persuaded by the class teacher, the school leaders, the bureau and the
//! principal, jointly by the school and the village, ordered in writing by the township
//! (义务教育法 art. 58), sued with the procuratorate's support, and back at school after a
//! mediation (S09). Every step prints what is due next, by whom, by when. The ladder, the
//! thresholds and the deadlines all come from the embedded national policy data
//! (`core/policy/national/dropout.json`); nothing is hard-coded here but the story.
//!
//! Run: `cargo run -p eduaid-examples --example dropout_ladder`

use eduaid::calendar::parse_date;
use eduaid::dropout::case::CourtOutcome;
use eduaid::dropout::detect::{self, AttendanceRecord, AttendanceStatus};
use eduaid::dropout::{ledger, Case, Event, Outcome, Student};
use eduaid::{Error, HouseholdStatus, Policy, Stage};

fn date(text: &str) -> Result<chrono::NaiveDate, Error> {
    parse_date("date", text)
}

fn show_due(case: &Case, today: &str, policy: &Policy) -> Result<(), Error> {
    let today = date(today)?;
    let actions = case.due(today, policy);
    if actions.is_empty() {
        println!(
            "    due on {today}: nothing (case {})",
            case.status.as_str()
        );
    }
    for a in actions {
        let due = a.due.map_or("open-ended".to_string(), |d| d.to_string());
        let late = if a.overdue {
            format!(" — OVERDUE by {} day(s)", a.days_overdue)
        } else {
            String::new()
        };
        println!(
            "    due on {today}: {:?} [{}] by {} — {}{late}\n      {}",
            a.kind,
            a.stage.as_deref().unwrap_or("-"),
            due,
            a.responsible,
            a.detail
        );
    }
    Ok(())
}

fn step(case: Case, event: Event, policy: &Policy) -> Result<Case, Error> {
    let next = case.apply(event.clone(), policy)?;
    let stage = next.current_stage().map_or("", |s| s.name_zh.as_str());
    println!(
        "{} {:<19} → {} at {} ({}){}",
        event.date(),
        event.kind(),
        next.status.as_str(),
        next.stage,
        stage,
        next.stage_deadline
            .map(|d| format!(", deadline {d}"))
            .unwrap_or_default()
    );
    Ok(next)
}

fn attempt(
    on: &str,
    actor: &str,
    outcome: Outcome,
    document: Option<&str>,
) -> Result<Event, Error> {
    Ok(Event::PersuasionAttempt {
        date: date(on)?,
        actor: actor.into(),
        outcome,
        stage: None,
        document: document.map(str::to_string),
        note: None,
    })
}

fn escalate(on: &str, to: &str) -> Result<Event, Error> {
    Ok(Event::Escalated {
        date: date(on)?,
        to: to.into(),
        note: None,
    })
}

fn main() -> Result<(), Error> {
    let policy = Policy::national();
    let mut student = Student::new("S-2024-0917", "130431");
    student.name = Some("李小明".into());
    student.birth_date = Some(date("2010-04-02")?);
    student.stage = Some(Stage::JuniorMiddle);
    student.grade = Some(2);
    student.school = Some("鸡泽县第二中学".into());
    student.household_statuses = vec![HouseholdStatus::LiftedOutOfPoverty];

    println!("== Detection: attendance of {}", student.student_id);
    // Absent without leave from Monday 2 September 2024, every school day.
    let absent = [
        "2024-09-02",
        "2024-09-03",
        "2024-09-04",
        "2024-09-05",
        "2024-09-06",
        "2024-09-09",
        "2024-09-10",
        "2024-09-11",
    ];
    let records: Vec<AttendanceRecord> = absent
        .iter()
        .map(|d| {
            date(d).map(|date| AttendanceRecord {
                date,
                status: AttendanceStatus::Absent,
            })
        })
        .collect::<Result<_, _>>()?;
    for (on, upto) in [("2024-09-04", 3), ("2024-09-09", 6), ("2024-09-11", 8)] {
        let finding = detect::detect_absence(
            &student.student_id,
            records.get(..upto).unwrap_or_default(),
            date(on)?,
            &student.region,
            &policy,
        )?;
        if let Some(f) = finding {
            println!("  {on}: {:?} — {}", f.level, f.detail);
        }
    }
    let finding = detect::detect_absence(
        &student.student_id,
        &records,
        date("2024-09-11")?,
        &student.region,
        &policy,
    )?
    .ok_or_else(|| Error::invalid("records", "no_finding", "expected a finding"))?;

    println!("\n== The case (一人一案), on the national ladder");
    let case = Case::open(student, finding.trigger, date("2024-09-11")?, &policy)?;
    let ladder: Vec<String> = case
        .ladder
        .stages
        .iter()
        .map(|s| {
            let days = s.deadline_days.map_or(String::new(), |d| format!(" {d}d"));
            let off = if s.enabled { "" } else { " (off)" };
            format!("{}{days}{off}", s.id)
        })
        .collect();
    println!("  ladder ({}): {}", case.ladder.source, ladder.join(" → "));
    println!(
        "{} opened              → {} at {}, deadline {}",
        case.opened,
        case.classification.as_str(),
        case.stage,
        case.stage_deadline
            .map(|d| d.to_string())
            .unwrap_or_default()
    );
    show_due(&case, "2024-09-11", &policy)?;

    let case = step(
        case,
        attempt("2024-09-12", "班主任王老师 (家访)", Outcome::Refused, None)?,
        &policy,
    )?;
    show_due(&case, "2024-09-19", &policy)?;
    let case = step(case, escalate("2024-09-19", "school_leaders")?, &policy)?;
    let case = step(
        case,
        attempt("2024-09-20", "副校长、教导主任", Outcome::Undecided, None)?,
        &policy,
    )?;
    let case = step(
        case,
        escalate("2024-09-27", "bureau_and_principal")?,
        &policy,
    )?;
    // Nobody from the bureau records an attempt in time: overdue against them.
    show_due(&case, "2024-10-12", &policy)?;
    let case = step(
        case,
        attempt("2024-10-12", "教育局副局长、校长", Outcome::Refused, None)?,
        &policy,
    )?;
    let case = step(
        case,
        Event::Classified {
            date: date("2024-10-14")?,
            classification: eduaid::dropout::Classification::Dropout,
            note: Some("more than 20 school days absent (S13)".into()),
        },
        &policy,
    )?;
    let case = step(case, escalate("2024-10-14", "joint_persuasion")?, &policy)?;
    let case = step(
        case,
        attempt(
            "2024-10-15",
            "学校、村委会、包村干部",
            Outcome::Refused,
            None,
        )?,
        &policy,
    )?;
    let case = step(
        case,
        Event::GuardianMeasure {
            date: date("2024-10-20")?,
            measure: eduaid::dropout::GuardianMeasure::Admonishment,
            by: "村委会 (未成年人保护法 art. 118)".into(),
            note: None,
        },
        &policy,
    )?;
    show_due(&case, "2024-10-29", &policy)?;
    let case = step(case, escalate("2024-10-29", "written_order")?, &policy)?;
    let case = step(
        case,
        attempt(
            "2024-10-30",
            "乡镇人民政府",
            Outcome::Refused,
            Some("《责令限期改正通知书》"),
        )?,
        &policy,
    )?;
    // The penalty step is off by default: trying it says why.
    match case.apply(escalate("2024-11-10", "administrative_penalty")?, &policy) {
        Err(e) => println!("  (refused: {} — {})", e.code(), e.message()),
        Ok(_) => println!("  (the penalty step is enabled here)"),
    }
    show_due(&case, "2024-11-10", &policy)?;
    let case = step(case, escalate("2024-11-10", "litigation")?, &policy)?;
    let case = step(
        case,
        attempt(
            "2024-11-20",
            "乡镇人民政府 (检察院支持起诉)",
            Outcome::Refused,
            Some("民事起诉状"),
        )?,
        &policy,
    )?;
    show_due(&case, "2024-12-01", &policy)?;
    let case = step(
        case,
        Event::CourtOutcome {
            date: date("2024-12-10")?,
            outcome: CourtOutcome::Mediated,
            return_by: None,
            note: Some("巡回审判, 调解: 监护人承诺送子女返校".into()),
        },
        &policy,
    )?;
    show_due(&case, "2024-12-12", &policy)?;
    let case = step(
        case,
        Event::Returned {
            date: date("2024-12-16")?,
            school: None,
            note: Some("mediated return".into()),
        },
        &policy,
    )?;
    show_due(&case, "2024-12-16", &policy)?;
    println!(
        "  closed on {}; a new absence until {} reopens this case (动态销号)",
        case.closed_on.map(|d| d.to_string()).unwrap_or_default(),
        case.reopen_by.map(|d| d.to_string()).unwrap_or_default()
    );

    println!("\n== The case's record (每次劝返记录), as ledger rows");
    for row in ledger::event_rows(&case) {
        println!(
            "  {:>2} {} {:<19} {:<21} {} {}",
            row.seq, row.date, row.event, row.stage, row.actor, row.outcome
        );
    }

    let replayed = Case::replay(case.student.clone(), &case.events, &policy)?;
    println!(
        "\nreplaying the {} stored events gives the same case: {}",
        case.events.len(),
        replayed == case
    );
    Ok(())
}
