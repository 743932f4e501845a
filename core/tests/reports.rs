//! The roster report, what-if and their renderings: exactness against per-student
//! evaluation, independence from chunking, masking, and the shape of the text and HTML.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use eduaid::reports::{
    self, roster_report, what_if, EntitlementRow, Evaluator, ReportBuilder, RosterReport,
    WhatIfBuilder,
};
use eduaid::synth::{self, SynthConfig};
use eduaid::{evaluate_in, Lang, Money, Policy, Profile};

fn as_of() -> chrono::NaiveDate {
    synth::sample_as_of()
}

fn sample(rows: usize) -> Vec<Profile> {
    synth::roster(&SynthConfig::sample_county(), rows)
}

#[test]
fn totals_equal_the_sum_of_single_evaluations() {
    let policy = Policy::national().with_region("130431").unwrap();
    let profiles = sample(3000);
    let report = RosterReport::of(&profiles, as_of(), &policy, Lang::En).unwrap();
    let mut annual_cash = Money::ZERO;
    let mut person_times = 0u64;
    let mut by_program: std::collections::BTreeMap<String, (u64, Money)> = Default::default();
    for p in &profiles {
        let a = evaluate_in(p, as_of(), &policy, Lang::En).unwrap();
        annual_cash += a.annual_cash_total;
        for e in &a.entitlements {
            person_times += e.payments.len() as u64;
            let entry = by_program.entry(e.program.to_string()).or_default();
            entry.0 += 1;
            entry.1 += e.school_year_total.unwrap_or(Money::ZERO);
        }
    }
    let t = &report.totals.students;
    assert_eq!(t.students, 3000);
    assert_eq!(t.annual_cash, annual_cash);
    assert_eq!(t.person_times, person_times);
    assert_eq!(report.by_program.len(), by_program.len());
    for p in &report.by_program {
        let (students, total) = by_program[&p.program];
        assert_eq!(
            (p.students, p.school_year_total),
            (students, total),
            "{}",
            p.program
        );
        let terms: Money = p.terms.iter().map(|t| t.amount).sum();
        assert_eq!(terms, p.school_year_total, "{}", p.program);
    }
    let stages: u64 = report.by_stage.iter().map(|g| g.students).sum();
    let regions: Money = report.by_region.iter().map(|g| g.school_year_cash).sum();
    assert_eq!(stages, 3000);
    assert_eq!(regions, t.school_year_cash);
    assert_eq!(
        report.coverage.key_group_students,
        report.coverage.key_group_with_cash + report.coverage.gaps.len() as u64
    );
}

#[test]
fn the_memoized_evaluation_is_the_single_evaluation() {
    let policy = Policy::national();
    let mut ev = Evaluator::new(&policy, as_of(), Lang::Zh).unwrap();
    for p in sample(800) {
        let memo = ev.evaluate(&p).unwrap();
        let single = evaluate_in(&p, as_of(), &policy, Lang::Zh).unwrap();
        let key = |e: &eduaid::Entitlement| {
            (
                e.program.clone(),
                e.annual_amount,
                e.school_year_total,
                e.payments.clone(),
            )
        };
        assert_eq!(
            memo.entitlements.iter().map(key).collect::<Vec<_>>(),
            single.entitlements.iter().map(key).collect::<Vec<_>>()
        );
        assert_eq!(memo.annual_cash_total, single.annual_cash_total);
        assert_eq!(memo.difficulty_level, single.difficulty_level);
    }
    assert!(
        ev.evaluations() < 800,
        "shapes repeat: {}",
        ev.evaluations()
    );
}

#[test]
fn chunking_does_not_change_the_report() {
    let policy = Policy::national().with_region("130431").unwrap();
    let profiles = sample(2500);
    let whole = RosterReport::of(&profiles, as_of(), &policy, Lang::En).unwrap();
    for chunk in [1, 7, 400, 1024] {
        let mut builders: Vec<ReportBuilder> = Vec::new();
        for (c, part) in profiles.chunks(chunk).enumerate() {
            let mut ev = Evaluator::new(&policy, as_of(), Lang::En).unwrap();
            let mut b = ReportBuilder::for_evaluator(&ev);
            for (i, p) in part.iter().enumerate() {
                b.add_row(&mut ev, (c * chunk + i) as u64 + 1, Ok(p.clone()));
            }
            builders.push(b);
        }
        // Merge in reverse order: the result must not depend on it.
        let mut merged = builders.pop().unwrap();
        while let Some(b) = builders.pop() {
            merged.merge(b);
        }
        assert_eq!(merged.finish(&policy), whole, "chunks of {chunk}");
    }
}

#[test]
fn bad_rows_are_listed_with_their_column_and_masked() {
    let policy = Policy::national();
    let rows = vec![
        Profile::from_json(
            r#"{"student_id":"A","stage":"primary","grade":2,"hukou":"rural","household":{"statuses":[]}}"#,
        ),
        Profile::from_json(
            r#"{"student_id":"B","resident_id":130431201503100123,"stage":"primary","grade":2,"hukou":"rural","household":{"statuses":[]}}"#,
        ),
        Profile::from_json(
            r#"{"student_id":"C","stage":"primary","grade":2,"hukou":"rural","household":{"statuses":["dibaoo"]}}"#,
        ),
    ];
    let report = roster_report(rows, as_of(), &policy, Lang::En).unwrap();
    assert_eq!((report.totals.rows, report.totals.errors), (3, 2));
    let e = &report.row_errors;
    assert_eq!((e[0].row, e[0].field.as_str()), (2, "resident_id"));
    assert_eq!(
        (e[1].row, e[1].field.as_str()),
        (3, "household.statuses[0]")
    );
    let text = serde_json::to_string(&report).unwrap();
    assert!(!text.contains("130431201503100123"), "{text}");
    // A date outside the coverage stops the whole report.
    let early = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let err = roster_report(Vec::new(), early, &policy, Lang::En).unwrap_err();
    assert_eq!(err.kind(), eduaid::ErrorKind::PolicyNotInForce);
}

#[test]
fn entitlement_rows_follow_the_long_table_of_the_interface() {
    let policy = Policy::national();
    let p = Profile::from_json(
        r#"{"student_id":"S9","stage":"junior_middle","grade":2,"boarding":true,"hukou":"rural","school_location":"city","household":{"statuses":["dibao"]}}"#,
    )
    .unwrap();
    let mut ev = Evaluator::new(&policy, as_of(), Lang::En).unwrap();
    let rows = EntitlementRow::of(4, &p.student_id, &ev.evaluate(&p).unwrap());
    let living = rows
        .iter()
        .find(|r| r.program == "compulsory_living_subsidy")
        .unwrap();
    assert_eq!(
        living.cells(),
        vec![
            "4",
            "S9",
            "compulsory_living_subsidy",
            "cash",
            "1500.00",
            "1500.00",
            "750.00",
            "750.00"
        ]
    );
    assert_eq!(EntitlementRow::COLUMNS.len(), living.cells().len());
}

#[test]
fn what_if_of_a_policy_with_itself_changes_nothing() {
    let policy = Policy::national().with_region("130431").unwrap();
    let profiles = sample(1500);
    let w = what_if(
        profiles.iter().cloned().map(Ok),
        as_of(),
        &policy,
        &policy,
        Lang::En,
    )
    .unwrap();
    assert_eq!(w.changed_students, 0);
    assert_eq!(w.cash_change, Money::ZERO);
    assert!(w.by_program.iter().all(|p| p.students_change == 0));
    // National against the Jize overlay: only the county's own waivers appear, and the
    // limit caps the list but not the count.
    let national = Policy::national();
    let mut b = Evaluator::new(&national, as_of(), Lang::En).unwrap();
    let mut a = Evaluator::new(&policy, as_of(), Lang::En).unwrap();
    let mut builder = WhatIfBuilder::new(as_of()).with_limit(3);
    for (i, p) in profiles.iter().enumerate() {
        builder.add_row(&mut b, &mut a, i as u64 + 1, Ok(p.clone()));
    }
    let w = builder.finish(&national, &policy);
    assert!(w.changed_students > 3);
    assert_eq!(w.changed.len(), 3);
    assert!(w.changed.windows(2).all(|p| p[0].row < p[1].row));
    for c in &w.changed {
        assert!(c.lost.is_empty());
        assert!(
            c.gained.iter().all(|g| g.starts_with("130431.")),
            "{:?}",
            c.gained
        );
    }
}

#[test]
fn text_and_html_render_the_figures() {
    let policy = Policy::national().with_region("130431").unwrap();
    let report = RosterReport::of(&sample(1000), as_of(), &policy, Lang::Zh).unwrap();
    let text = reports::text::roster(&report, "鸡泽县", Lang::Zh);
    assert!(text.contains("分项目"));
    assert!(text.contains(&reports::text::yuan(
        report.totals.students.school_year_cash
    )));
    assert!(text.contains("应助尽助"));
    let en = reports::text::roster(&report, "Jize", Lang::En);
    assert!(en.contains("compulsory_living_subsidy"));
    let html = reports::html::roster_page(&report, "鸡泽县 <Jize>", Lang::Zh);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("鸡泽县 &lt;Jize&gt;"));
    assert_eq!(html.matches("<svg").count(), 4, "four charts");
    assert!(!html.contains("<script"));
    assert!(
        !html.contains("src=") && !html.contains("href="),
        "no external resource"
    );
    for p in report
        .by_program
        .iter()
        .filter(|p| p.kind == eduaid::Kind::Cash)
    {
        assert!(html.contains(&p.name_zh), "{}", p.program);
    }
}

#[test]
fn reports_round_trip_through_json() {
    let policy = Policy::national().with_region("130431").unwrap();
    let profiles = sample(600);
    let report = RosterReport::of(&profiles, as_of(), &policy, Lang::En).unwrap();
    let text = serde_json::to_string(&report).unwrap();
    let back: RosterReport = serde_json::from_str(&text).unwrap();
    assert_eq!(back, report);
    let w = what_if(
        profiles.into_iter().map(Ok),
        as_of(),
        &Policy::national(),
        &policy,
        Lang::En,
    )
    .unwrap();
    let back: reports::WhatIf = serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
    assert_eq!(back, w);
    // Unknown fields are rejected, naming the field.
    let bad = text.replacen("\"as_of\"", "\"bogus\":1,\"as_of\"", 1);
    let err = serde_json::from_str::<RosterReport>(&bad).unwrap_err();
    assert!(err.to_string().contains("bogus"), "{err}");
}
