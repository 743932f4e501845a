//! Dropout control (控辍保学) end to end: the national ladder and a Xinghe-style ladder
//! from an overlay text, the exits, the errors, serde and replay, ledgers and metrics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::NaiveDate;
use eduaid::dropout::case::{CourtOutcome, DeferralKind, Placement};
use eduaid::dropout::detect::{self, AttendanceRecord, AttendanceStatus};
use eduaid::dropout::ledger::{self, Ledger};
use eduaid::dropout::metrics::{self, CohortCounts, CohortKind, RegionLevel};
use eduaid::dropout::{
    reports_due, ActionKind, Case, ChildGroup, Classification, Event, Level, Outcome, Status,
    Student, Trigger,
};
use eduaid::{ErrorKind, HouseholdStatus, Policy, SchoolYear, Stage};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn student(region: &str) -> Student {
    let mut s = Student::new("S-0001", region);
    s.name = Some("张三".into());
    s.birth_date = Some(d("2010-05-20"));
    s.stage = Some(Stage::JuniorMiddle);
    s.grade = Some(2);
    s.school = Some("县第二中学".into());
    s.household_statuses = vec![HouseholdStatus::LiftedOutOfPoverty];
    s.groups = vec![ChildGroup::LeftBehind];
    s
}

fn absence(first: &str, days: u32) -> Trigger {
    Trigger::Absence {
        first_absent: d(first),
        school_days: days,
    }
}

fn attempt(date: &str, actor: &str) -> Event {
    Event::PersuasionAttempt {
        date: d(date),
        actor: actor.into(),
        outcome: Outcome::Refused,
        stage: None,
        document: None,
        note: None,
    }
}

fn escalate(date: &str, to: &str) -> Event {
    Event::Escalated {
        date: d(date),
        to: to.into(),
        note: None,
    }
}

const XINGHE: &str = r#"{
  "overlay": { "region": "150924", "name": "兴和县 Xinghe County (test ladder)", "source": "seed 002" },
  "sections": { "dropout": {
    "ladders": [ { "from": "2019-09-01", "source": "seed 002", "note": "three persuasion stages, then the legal steps",
      "stages": [
        { "id": "class_teacher", "name_zh": "第一阶段:班主任和科任老师劝返", "name_en": "Stage 1: class and subject teachers",
          "responsible": "班主任和科任老师", "deadline_days": 5, "basis": "seed 002", "source": "seed 002" },
        { "id": "school_leaders", "name_zh": "第二阶段:副校长和教导主任劝返", "name_en": "Stage 2: deputy principal and dean",
          "responsible": "学校副校长和教导主任", "deadline_days": 5, "basis": "seed 002", "source": "seed 002" },
        { "id": "bureau_and_principal", "name_zh": "第三阶段:局领导和校长劝返", "name_en": "Stage 3: bureau leaders and principal",
          "responsible": "局相关领导和学校校长", "deadline_days": 10, "basis": "seed 002", "source": "seed 002" },
        { "id": "written_order", "name_zh": "责令限期改正", "name_en": "Written order",
          "responsible": "乡镇人民政府", "deadline_days": 10, "basis": "义务教育法 art. 58", "source": "S01" },
        { "id": "litigation", "name_zh": "提起诉讼", "name_en": "Lawsuit", "responsible": "乡镇人民政府",
          "until": "court_outcome", "comply_days": 10, "basis": "S09", "source": "S09" },
        { "id": "enforcement", "name_zh": "申请强制执行", "name_en": "Enforcement", "responsible": "乡镇人民政府",
          "until": "return", "basis": "S08", "source": "S08" }
      ] } ]
  } }
}"#;

fn xinghe() -> Policy {
    Policy::national()
        .with_overlay("xinghe-test.json", XINGHE)
        .unwrap()
}

/// Walk a case up every enabled stage of its ladder to a mediated return, checking what is
/// due at each step; returns the closed case.
fn walk_to_mediated_return(policy: &Policy, region: &str) -> Case {
    let mut case = Case::open(
        student(region),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        policy,
    )
    .unwrap();
    let stages: Vec<String> = case.ladder.enabled().map(|s| s.id.clone()).collect();
    assert_eq!(case.stage, stages[0]);
    let mut day = d("2024-09-11");
    for (i, id) in stages.iter().enumerate() {
        let stage = case.ladder.stage(id).unwrap().clone();
        // Nothing recorded yet: persuade, due at the deadline, not yet overdue.
        let due = case.due(day, policy);
        assert_eq!(due.len(), 1, "{id}: {due:?}");
        assert_eq!(due[0].kind, ActionKind::Persuade);
        assert_eq!(due[0].responsible, stage.responsible);
        assert!(!due[0].overdue);
        day = day.succ_opt().unwrap();
        case = case
            .apply(attempt(&day.to_string(), &stage.responsible), policy)
            .unwrap();
        if stage.until == eduaid::dropout::Until::CourtOutcome {
            assert_eq!(case.due(day, policy)[0].kind, ActionKind::AwaitCourtOutcome);
            day = day + chrono::Days::new(30);
            case = case
                .apply(
                    Event::CourtOutcome {
                        date: day,
                        outcome: CourtOutcome::Mediated,
                        return_by: None,
                        note: Some("调解: 10日内返校".into()),
                    },
                    policy,
                )
                .unwrap();
            // Ten days to comply (S09), then the child returns.
            assert_eq!(case.stage_deadline, Some(day + chrono::Days::new(10)));
            day = day + chrono::Days::new(4);
            case = case
                .apply(
                    Event::Returned {
                        date: day,
                        school: None,
                        note: Some("mediated return".into()),
                    },
                    policy,
                )
                .unwrap();
            assert_eq!(i + 1, stages.len() - 1, "litigation is the last but one");
            return case;
        }
        let deadline = case.stage_deadline.unwrap();
        // Past the deadline with an attempt: escalate to the next stage.
        let after = deadline.succ_opt().unwrap();
        let due = case.due(after, policy);
        assert_eq!(due[0].kind, ActionKind::Escalate);
        let next = stages[i + 1].clone();
        assert_eq!(due[0].stage.as_deref(), Some(next.as_str()));
        case = case
            .apply(escalate(&after.to_string(), &next), policy)
            .unwrap();
        day = after;
    }
    unreachable!("the ladder has a litigation stage")
}

#[test]
fn national_ladder_runs_from_data_to_a_mediated_return() {
    let policy = Policy::national();
    let case = walk_to_mediated_return(&policy, "130431");
    assert_eq!(case.status, Status::Returned);
    assert_eq!(case.stage, "litigation");
    assert_eq!(case.ladder.region, None);
    let visited: Vec<String> = ledger::event_rows(&case)
        .into_iter()
        .map(|r| r.stage)
        .collect::<Vec<_>>();
    let mut distinct = visited.clone();
    distinct.dedup();
    assert_eq!(
        distinct,
        [
            "class_teacher",
            "school_leaders",
            "bureau_and_principal",
            "joint_persuasion",
            "written_order",
            "litigation"
        ]
    );
    assert!(case.due(d("2025-01-01"), &policy).is_empty());
    // Replay and serde give the same case.
    let replayed = Case::replay(case.student.clone(), &case.events, &policy).unwrap();
    assert_eq!(replayed, case);
    let text = serde_json::to_string(&case).unwrap();
    assert_eq!(Case::restore(&text, &policy).unwrap(), case);
}

#[test]
fn xinghe_three_stage_ladder_runs_from_an_overlay_text() {
    let policy = xinghe();
    let case = walk_to_mediated_return(&policy, "150924");
    assert_eq!(case.ladder.region.as_deref(), Some("150924"));
    let ids: Vec<&str> = case.ladder.stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "class_teacher",
            "school_leaders",
            "bureau_and_principal",
            "written_order",
            "litigation",
            "enforcement"
        ]
    );
    // The first stage's deadline is Xinghe's 5 days, not the national 7.
    let c = Case::open(
        student("150924"),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        &policy,
    )
    .unwrap();
    assert_eq!(c.stage_deadline, Some(d("2024-09-16")));
    // A student of another county keeps the national ladder.
    let other = Case::open(
        student("130431"),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        &policy,
    )
    .unwrap();
    assert_eq!(other.ladder.region, None);
    assert_eq!(other.stage_deadline, Some(d("2024-09-18")));
    // Before the overlay's first version, the national ladder holds in Xinghe too.
    let early = Case::open(
        student("150924"),
        absence("2019-03-01", 8),
        d("2019-03-12"),
        &policy,
    )
    .unwrap();
    assert_eq!(early.ladder.region, None);
    // joint_persuasion is not a Xinghe stage.
    let c = c
        .apply(attempt("2024-09-12", "班主任"), &policy)
        .unwrap()
        .apply(escalate("2024-09-17", "school_leaders"), &policy)
        .unwrap()
        .apply(attempt("2024-09-18", "教导主任"), &policy)
        .unwrap()
        .apply(escalate("2024-09-23", "bureau_and_principal"), &policy)
        .unwrap()
        .apply(attempt("2024-09-24", "校长"), &policy)
        .unwrap();
    let e = c
        .apply(escalate("2024-10-05", "joint_persuasion"), &policy)
        .unwrap_err();
    assert_eq!((e.code(), e.field()), ("unknown_stage", "to"));
    assert!(c
        .apply(escalate("2024-10-05", "written_order"), &policy)
        .is_ok());
}

#[test]
fn an_overlay_may_reorder_rename_add_and_enable_steps() {
    let text = r#"{
      "overlay": { "region": "530000", "name": "a province enabling the penalty" },
      "parameters": {
        "care.home_teaching.visits_per_week": { "values": [ { "from": "2018-01-01", "value": "2", "source": "S18" } ] }
      },
      "sections": { "dropout": { "ladders": [ { "from": "2018-01-01", "source": "S08",
        "stages": [
          { "id": "village_cadre", "name_zh": "村干部劝返", "name_en": "Village cadre", "responsible": "村委会",
            "deadline_days": 3, "basis": "S16", "source": "S16" },
          { "id": "teacher", "name_zh": "教师劝返", "name_en": "Teacher", "responsible": "班主任",
            "deadline_days": 3, "basis": "S14", "source": "S14" },
          { "id": "written_order", "name_zh": "责令限期改正", "name_en": "Written order", "responsible": "乡镇人民政府",
            "deadline_days": 6, "basis": "义务教育法 art. 58", "source": "S15" },
          { "id": "administrative_penalty", "name_zh": "行政处罚", "name_en": "Penalty", "responsible": "乡镇人民政府",
            "deadline_days": 15, "basis": "S08", "source": "S08" },
          { "id": "litigation", "name_zh": "提起诉讼", "name_en": "Lawsuit", "responsible": "乡镇人民政府",
            "until": "court_outcome", "basis": "S09", "source": "S09" }
        ] } ] } }
    }"#;
    let policy = Policy::national()
        .with_overlay("yunnan.json", text)
        .unwrap();
    let c = Case::open(
        student("530724"),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        &policy,
    )
    .unwrap();
    assert_eq!(c.stage, "village_cadre");
    assert_eq!(c.stage_deadline, Some(d("2024-09-14")));
    let c = c
        .apply(attempt("2024-09-12", "村主任"), &policy)
        .unwrap()
        .apply(escalate("2024-09-15", "teacher"), &policy)
        .unwrap()
        .apply(attempt("2024-09-15", "班主任"), &policy)
        .unwrap()
        .apply(escalate("2024-09-19", "written_order"), &policy)
        .unwrap()
        .apply(attempt("2024-09-19", "乡镇"), &policy)
        .unwrap();
    // The penalty step is enabled here: litigation would skip it.
    let e = c
        .apply(escalate("2024-09-26", "litigation"), &policy)
        .unwrap_err();
    assert_eq!(e.code(), "stage_skipped");
    assert!(
        e.message().contains("administrative_penalty"),
        "{}",
        e.message()
    );
    let c = c
        .apply(escalate("2024-09-26", "administrative_penalty"), &policy)
        .unwrap();
    assert_eq!(c.stage, "administrative_penalty");
    // Home teaching there needs two visits a week (overlay parameter, S18).
    let h = Case::open(
        student("530724"),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        &policy,
    )
    .unwrap()
    .apply(
        Event::Assessed {
            date: d("2024-09-12"),
            by: "县残疾人教育专家委员会".into(),
            placement: Placement::HomeTeaching,
            teacher: None,
            note: None,
        },
        &policy,
    )
    .unwrap();
    assert_eq!(h.home_teaching.as_ref().unwrap().visits_per_week, 2);
}

#[test]
fn the_penalty_step_is_off_nationally_and_cannot_be_entered() {
    let policy = Policy::national();
    let mut c = Case::open(
        student("130431"),
        absence("2024-09-02", 25),
        d("2024-10-08"),
        &policy,
    )
    .unwrap();
    assert_eq!(c.classification, Classification::Dropout);
    for (date, to) in [
        ("2024-10-16", "school_leaders"),
        ("2024-10-24", "bureau_and_principal"),
        ("2024-11-08", "joint_persuasion"),
        ("2024-11-23", "written_order"),
    ] {
        c = c.apply(attempt(date, "x"), &policy).unwrap();
        c = c.apply(escalate(date, to), &policy).unwrap();
    }
    c = c
        .apply(attempt("2024-11-24", "乡镇人民政府"), &policy)
        .unwrap();
    let e = c
        .apply(escalate("2024-12-04", "administrative_penalty"), &policy)
        .unwrap_err();
    assert_eq!(e.code(), "stage_disabled");
    assert_eq!(e.kind(), ErrorKind::CaseError);
    let c = c
        .apply(escalate("2024-12-04", "litigation"), &policy)
        .unwrap();
    // Litigation waits for the court: no escalation before an outcome.
    let c = c
        .apply(attempt("2024-12-10", "乡镇人民政府 (起诉)"), &policy)
        .unwrap();
    let e = c
        .apply(escalate("2024-12-20", "enforcement"), &policy)
        .unwrap_err();
    assert_eq!(e.code(), "awaiting_court_outcome");
    assert_eq!(c.due(d("2025-03-01"), &policy)[0].due, None);
}

#[test]
fn events_that_are_not_allowed_name_why() {
    let policy = Policy::national();
    let c = Case::open(
        student("130431"),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        &policy,
    )
    .unwrap();
    let code = |r: eduaid::Result<Case>| {
        let e = r.unwrap_err();
        (e.code().to_string(), e.field().to_string())
    };
    assert_eq!(
        code(c.apply(attempt("2024-09-10", "x"), &policy)),
        ("event_before_last".into(), "date".into())
    );
    assert_eq!(
        code(c.apply(escalate("2024-09-20", "school_leaders"), &policy)),
        ("no_attempt_recorded".into(), "to".into())
    );
    let c1 = c.apply(attempt("2024-09-12", "班主任"), &policy).unwrap();
    assert_eq!(
        code(c1.apply(escalate("2024-09-20", "bureau_and_principal"), &policy)),
        ("stage_skipped".into(), "to".into())
    );
    assert_eq!(
        code(c1.apply(escalate("2024-09-20", "class_teacher"), &policy)),
        ("not_forward".into(), "to".into())
    );
    let wrong = Event::PersuasionAttempt {
        date: d("2024-09-13"),
        actor: "x".into(),
        outcome: Outcome::Undecided,
        stage: Some("written_order".into()),
        document: None,
        note: None,
    };
    assert_eq!(
        code(c1.apply(wrong, &policy)),
        ("wrong_stage".into(), "stage".into())
    );
    assert_eq!(
        code(c1.apply(
            Event::Opened {
                date: d("2024-09-13"),
                trigger: absence("2024-09-02", 9)
            },
            &policy
        )),
        ("already_opened".into(), "type".into())
    );
    assert_eq!(
        code(c1.apply(
            Event::AgedOut {
                date: d("2024-09-13")
            },
            &policy
        )),
        ("not_of_age".into(), "date".into())
    );
    let e = c1.apply(attempt("2024-09-13", " "), &policy).unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, "actor"));
    // A closed case accepts only a reopening.
    let closed = c1
        .apply(
            Event::Returned {
                date: d("2024-09-14"),
                school: None,
                note: None,
            },
            &policy,
        )
        .unwrap();
    assert_eq!(
        code(closed.apply(attempt("2024-09-15", "x"), &policy)),
        ("case_closed".into(), "type".into())
    );
    // Below the threshold no case opens; before the coverage neither.
    let e = Case::open(
        student("130431"),
        absence("2024-09-02", 5),
        d("2024-09-09"),
        &policy,
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("below_threshold", "trigger.school_days")
    );
    let e = Case::open(
        student("130431"),
        absence("2015-09-02", 8),
        d("2015-09-11"),
        &policy,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PolicyNotInForce);
    // Replay names the event.
    let mut events = c1.events.clone();
    events.push(escalate("2024-09-20", "joint_persuasion"));
    let e = Case::replay(c1.student.clone(), &events, &policy).unwrap_err();
    assert_eq!((e.code(), e.field()), ("stage_skipped", "events[2].to"));
}

#[test]
fn reopening_within_the_window_resumes_the_same_stage() {
    let policy = Policy::national();
    let returned = Case::open(
        student("130431"),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        &policy,
    )
    .unwrap()
    .apply(attempt("2024-09-12", "班主任"), &policy)
    .unwrap()
    .apply(escalate("2024-09-19", "school_leaders"), &policy)
    .unwrap()
    .apply(attempt("2024-09-20", "教导主任"), &policy)
    .unwrap()
    .apply(
        Event::Returned {
            date: d("2024-09-23"),
            school: None,
            note: None,
        },
        &policy,
    )
    .unwrap();
    assert_eq!(returned.reopen_by, Some(d("2024-10-23")));
    let reopened = returned
        .apply(
            Event::Reopened {
                trigger: None,
                date: d("2024-10-23"),
                reason: Some("absent again".into()),
            },
            &policy,
        )
        .unwrap();
    assert_eq!(reopened.status, Status::Persuasion);
    assert_eq!(reopened.stage, "school_leaders");
    assert_eq!(reopened.stage_attempts, 0);
    assert_eq!(reopened.stage_deadline, Some(d("2024-10-30")));
    assert_eq!(reopened.reopened, 1);
    let e = returned
        .apply(
            Event::Reopened {
                trigger: None,
                date: d("2024-10-24"),
                reason: None,
            },
            &policy,
        )
        .unwrap_err();
    assert_eq!(e.code(), "reopen_window_passed");
}

#[test]
fn a_new_absence_within_the_window_reopens_the_same_case() {
    let policy = Policy::national();
    let returned = Case::open(
        student("130431"),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        &policy,
    )
    .unwrap()
    .apply(
        Event::Returned {
            date: d("2024-09-20"),
            school: None,
            note: None,
        },
        &policy,
    )
    .unwrap();
    let again = Case::open_or_reopen(
        Some(&returned),
        student("130431"),
        absence("2024-10-08", 7),
        d("2024-10-16"),
        &policy,
    )
    .unwrap();
    assert_eq!((again.opened, again.reopened), (d("2024-09-11"), 1));
    let rows = ledger::event_rows(&again);
    assert!(
        rows[2].detail.contains("\"school_days\":7"),
        "{}",
        rows[2].detail
    );
    let fresh = Case::open_or_reopen(
        Some(&returned),
        student("130431"),
        absence("2024-10-14", 7),
        d("2024-10-22"),
        &policy,
    )
    .unwrap();
    assert_eq!((fresh.opened, fresh.reopened), (d("2024-10-22"), 0));
}

#[test]
fn overdue_against_the_responsible_party_without_an_attempt() {
    let policy = Policy::national();
    let c = Case::open(
        student("130431"),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        &policy,
    )
    .unwrap();
    let due = c.due(d("2024-09-21"), &policy);
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].kind, ActionKind::Persuade);
    assert!(due[0].overdue);
    assert_eq!(due[0].days_overdue, 3);
    assert_eq!(
        due[0].responsible,
        "class teacher and subject teachers (班主任、科任教师)"
    );
    assert!(due[0].priority, "key group, left-behind, junior middle");
    // No attempt: advancing the clock does not escalate.
    assert_eq!(c.advance(d("2024-09-30"), &policy).unwrap(), c);
    // With an attempt it does, the day after the deadline.
    let c = c.apply(attempt("2024-09-12", "班主任"), &policy).unwrap();
    let a = c.advance(d("2024-09-30"), &policy).unwrap();
    assert_eq!(a.stage, "school_leaders");
    assert_eq!(a.stage_since, d("2024-09-19"));
    let due = a.due(d("2024-09-30"), &policy);
    assert_eq!((due[0].kind, due[0].overdue), (ActionKind::Persuade, true));
}

#[test]
fn home_teaching_visits_week_by_week() {
    let policy = Policy::national();
    let c = Case::open(
        student("130431"),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        &policy,
    )
    .unwrap()
    .apply(
        Event::Assessed {
            date: d("2024-09-13"),
            by: "县残疾人教育专家委员会".into(),
            placement: Placement::HomeTeaching,
            teacher: Some("李老师".into()),
            note: None,
        },
        &policy,
    )
    .unwrap()
    .apply(
        Event::HomeVisit {
            date: d("2024-09-14"),
            teacher: "李老师".into(),
            hours: Some(3),
            note: None,
        },
        &policy,
    )
    .unwrap()
    .apply(
        Event::HomeVisit {
            date: d("2024-09-28"),
            teacher: "李老师".into(),
            hours: Some(3),
            note: None,
        },
        &policy,
    )
    .unwrap();
    assert_eq!(c.status, Status::HomeTeaching);
    // Weeks Monday to Sunday from the assessment (Fri 09-13): [09-13..09-15] visited,
    // [09-16..09-22] missed, [09-23..09-29] visited, [09-30..10-06] current, not visited.
    let due = c.due(d("2024-10-05"), &policy);
    let got: Vec<(ActionKind, Option<NaiveDate>, bool)> =
        due.iter().map(|a| (a.kind, a.due, a.overdue)).collect();
    assert_eq!(
        got,
        vec![
            (ActionKind::HomeVisit, Some(d("2024-09-22")), true),
            (ActionKind::HomeVisit, Some(d("2024-10-06")), false),
        ]
    );
    assert_eq!(
        due[0].responsible,
        "home-teaching teacher (送教教师) 李老师"
    );
    // Home teaching counts as enrolled: off the ledgers.
    assert_eq!(ledger::ledger_of(&c), None);
    let e = c.apply(attempt("2024-10-06", "x"), &policy).unwrap_err();
    assert_eq!(e.code(), "not_in_persuasion");
}

#[test]
fn deferral_is_due_for_review_at_its_end() {
    let policy = Policy::national();
    let c = Case::open(
        student("130431"),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        &policy,
    )
    .unwrap()
    .apply(
        Event::ApprovedDeferral {
            date: d("2024-09-20"),
            kind: DeferralKind::Suspension,
            until: d("2025-01-31"),
            by: "县教育局".into(),
            note: None,
        },
        &policy,
    )
    .unwrap();
    let due = c.due(d("2024-10-01"), &policy);
    assert_eq!(
        (due[0].kind, due[0].due, due[0].overdue),
        (ActionKind::ReviewDeferral, Some(d("2025-01-31")), false)
    );
    assert!(c.due(d("2025-02-03"), &policy)[0].overdue);
    let resumed = c
        .apply(
            Event::Resumed {
                date: d("2025-02-03"),
                note: None,
            },
            &policy,
        )
        .unwrap();
    assert_eq!(
        (resumed.status, resumed.stage.as_str()),
        (Status::Persuasion, "class_teacher")
    );
    assert_eq!(resumed.stage_deadline, Some(d("2025-02-10")));
}

#[test]
fn transfer_closes_on_confirmation_or_lapses_to_suspected() {
    let policy = Policy::national();
    let t = Case::open(
        student("130431"),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        &policy,
    )
    .unwrap()
    .apply(
        Event::Transferred {
            date: d("2024-09-13"),
            to_school: "保定市第一中学".into(),
            to_region: Some("130602".into()),
            note: None,
        },
        &policy,
    )
    .unwrap();
    assert_eq!(t.transfer.as_ref().unwrap().confirm_by, d("2024-09-27"));
    let due = t.due(d("2024-09-28"), &policy);
    assert_eq!(
        (due[0].kind, due[0].overdue),
        (ActionKind::ConfirmReceipt, true)
    );
    let e = t
        .apply(
            Event::TransferUnconfirmed {
                date: d("2024-09-27"),
            },
            &policy,
        )
        .unwrap_err();
    assert_eq!(e.code(), "too_early");
    let lapsed = t.advance(d("2024-10-01"), &policy).unwrap();
    assert_eq!(lapsed.status, Status::Persuasion);
    assert_eq!(lapsed.last_date(), d("2024-09-28"));
    assert_eq!(ledger::ledger_of(&lapsed), Some(Ledger::SuspectedDropout));
    let confirmed = t
        .apply(
            Event::ReceiptConfirmed {
                date: d("2024-09-20"),
                by: "保定市第一中学教务处".into(),
            },
            &policy,
        )
        .unwrap();
    assert_eq!(confirmed.status, Status::Transferred);
    let e = confirmed
        .apply(
            Event::Reopened {
                trigger: None,
                date: d("2024-09-21"),
                reason: None,
            },
            &policy,
        )
        .unwrap_err();
    assert_eq!(e.code(), "not_reopenable");
}

#[test]
fn a_case_ages_out_at_sixteen() {
    let policy = Policy::national();
    let mut s = student("130431");
    s.birth_date = Some(d("2008-10-15"));
    let c = Case::open(
        s.clone(),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        &policy,
    )
    .unwrap();
    assert_eq!(c.ages_out_on, Some(d("2024-10-15")));
    let due = c.due(d("2024-10-16"), &policy);
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].kind, due[0].overdue),
        (ActionKind::CloseAgedOut, true)
    );
    let e = c.apply(attempt("2024-10-15", "x"), &policy).unwrap_err();
    assert_eq!(e.code(), "past_school_age");
    let aged = c.advance(d("2024-10-20"), &policy).unwrap();
    assert_eq!(
        (aged.status, aged.closed_on),
        (Status::AgedOut, Some(d("2024-10-15")))
    );
    // Counted in the dropout statistics of the school year.
    let year = metrics::dropouts_in_year(&[aged], SchoolYear(2024));
    assert!(year.contains("S-0001"));
    let e = Case::open(s, absence("2024-09-02", 8), d("2024-10-15"), &policy).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("past_school_age", "student.birth_date")
    );
}

#[test]
fn events_are_json_with_snake_case_tags_and_unknown_fields_rejected() {
    let e = Event::from_json(
        r#"{"type": "persuasion_attempt", "date": "2024-09-12", "actor": "班主任王老师", "outcome": "promised_return"}"#,
    )
    .unwrap();
    assert_eq!(e.kind(), "persuasion_attempt");
    let back = serde_json::to_value(&e).unwrap();
    assert_eq!(back["type"], "persuasion_attempt");
    assert_eq!(back["outcome"], "promised_return");
    let bad = Event::from_json(
        r#"{"type": "persuasion_attempt", "date": "2024-09-12", "actor": "x", "outcome": "refused", "actr": "y"}"#,
    )
    .unwrap_err();
    assert_eq!((bad.code(), bad.field()), ("unknown_field", "actr"));
    let bad = Event::from_json(r#"{"type": "escalated", "date": "2024-09-12"}"#).unwrap_err();
    assert_eq!((bad.code(), bad.field()), ("missing_field", "to"));
    let bad = Event::from_json(r#"{"type": "escalate", "date": "2024-09-12"}"#).unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::InvalidInput);
    let bad = Event::from_json(
        r#"{"type": "persuasion_attempt", "date": "2024-13-12", "actor": "x", "outcome": "refused"}"#,
    )
    .unwrap_err();
    assert_eq!(bad.field(), "date");
    // Nested: the trigger of an opening event, and events inside a stored case.
    let bad = Event::from_json(
        r#"{"type": "opened", "date": "2024-09-11", "trigger": {"kind": "absence", "first_absent": "x", "school_days": 8}}"#,
    )
    .unwrap_err();
    assert_eq!(bad.field(), "trigger.first_absent");
    let bad = Event::from_json(
        r#"{"type": "opened", "date": "2024-09-11", "trigger": {"kind": "absence", "first_absent": "2024-09-02"}}"#,
    )
    .unwrap_err();
    assert_eq!(
        (bad.code(), bad.field()),
        ("missing_field", "trigger.school_days")
    );
    let bad = Event::from_json(
        r#"{"type": "opened", "date": "2024-09-11", "trigger": {"kind": "absense"}}"#,
    )
    .unwrap_err();
    assert_eq!((bad.code(), bad.field()), ("unknown_variant", "trigger"));
    // A stored case with an extra field is rejected naming it.
    let policy = Policy::national();
    let c = Case::open(
        student("130431"),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        &policy,
    )
    .unwrap();
    let mut v = serde_json::to_value(&c).unwrap();
    v["student"]["nick"] = "x".into();
    let e = Case::from_json(&v.to_string()).unwrap_err();
    assert_eq!(e.field(), "student.nick");
    let mut v = serde_json::to_value(&c).unwrap();
    v["events"][0]["date"] = "2024-02-30".into();
    let e = Case::from_json(&v.to_string()).unwrap_err();
    assert_eq!(e.field(), "events[0].date");
    let mut v = serde_json::to_value(&c).unwrap();
    v["events"][0]["trigger"]["school_dayz"] = 3.into();
    let e = Case::from_json(&v.to_string()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("unknown_field", "events[0].trigger.school_dayz")
    );
    assert_eq!(v["events"][0]["type"], "opened");
    assert_eq!(v["trigger"]["kind"], "absence");
    // A hand-edited state is caught by restore.
    let mut v = serde_json::to_value(&c).unwrap();
    v["stage"] = "written_order".into();
    let e = Case::restore(&v.to_string(), &policy).unwrap_err();
    assert_eq!(e.code(), "state_mismatch");
}

#[test]
fn ledgers_and_metrics() {
    let policy = Policy::national();
    let open_dropout = Case::open(
        student("130431"),
        absence("2024-09-02", 22),
        d("2024-10-08"),
        &policy,
    )
    .unwrap();
    let mut other = Student::new("S-0002", "130432");
    other.birth_date = Some(d("2012-01-01"));
    let suspected = Case::open(
        other,
        Trigger::Registry {
            ever_enrolled: true,
        },
        d("2024-10-08"),
        &policy,
    )
    .unwrap()
    .apply(attempt("2024-10-09", "班主任"), &policy)
    .unwrap();
    let returned = Case::open(
        Student::new("S-0003", "150924"),
        absence("2024-09-02", 8),
        d("2024-09-11"),
        &policy,
    )
    .unwrap()
    .apply(
        Event::Returned {
            date: d("2024-09-20"),
            school: None,
            note: None,
        },
        &policy,
    )
    .unwrap();
    let cases = vec![open_dropout.clone(), suspected.clone(), returned];
    let l = ledger::ledgers(&cases, d("2024-10-10"), &policy).unwrap();
    assert_eq!(l.dropouts.len(), 1);
    assert_eq!(l.dropouts[0].student_id, "S-0001");
    assert_eq!(l.dropouts[0].groups, "left_behind");
    assert!(l.dropouts[0].key_group);
    assert_eq!(l.suspected.len(), 1);
    assert_eq!(l.suspected[0].trigger, "registry");
    // As of an earlier date the dropout case had not opened, the third was still open.
    let before = ledger::ledgers(&cases, d("2024-09-15"), &policy).unwrap();
    assert_eq!(before.dropouts.len(), 0);
    assert_eq!(before.suspected.len(), 1);
    assert_eq!(before.suspected[0].student_id, "S-0003");
    let rows = ledger::event_rows(&suspected);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].actor, "班主任");
    assert_eq!(rows[1].outcome, "refused");
    assert_eq!(rows[1].stage, "class_teacher");

    let zero =
        metrics::dynamic_zero(&cases, d("2024-10-10"), RegionLevel::Province, &policy).unwrap();
    let hebei_all = zero
        .iter()
        .find(|z| z.region == "130000" && z.group == "all")
        .unwrap();
    assert_eq!(
        (
            hebei_all.open_dropouts,
            hebei_all.open_suspected,
            hebei_all.clear
        ),
        (1, 1, false)
    );
    let nm = zero
        .iter()
        .find(|z| z.region == "150000" && z.group == "all")
        .unwrap();
    assert!(nm.clear);
    let key = zero
        .iter()
        .find(|z| z.region == "130000" && z.group == "key_group")
        .unwrap();
    assert_eq!(key.open_dropouts, 1);

    let year = metrics::dropouts_in_year(&cases, SchoolYear(2024));
    assert_eq!(year.len(), 1);
    let rate = metrics::dropout_rate(year.len() as u64, 1200).unwrap();
    assert_eq!(rate.percent.to_string(), "0.08");

    // Jize targets (seed 001) from an overlay: 99% primary, 95% junior middle.
    let jize = r#"{ "overlay": { "region": "130431", "name": "鸡泽县 (test)" }, "parameters": {
        "dropout.target.consolidation.primary": { "values": [ { "from": "2016-09-01", "value": "99", "source": "seed 001" } ] },
        "dropout.target.consolidation.junior_middle": { "values": [ { "from": "2016-09-01", "value": "95", "source": "seed 001" } ] } } }"#;
    let p = Policy::national().with_overlay("jize.json", jize).unwrap();
    let cohort = CohortCounts {
        entrants: 200,
        transferred_out: 5,
        transferred_in: 3,
        deaths: 1,
        graduates: 190,
    };
    let r = metrics::consolidation(CohortKind::Primary, &cohort, d("2021-07-01"), "130431", &p)
        .unwrap();
    assert_eq!(r.rate.percent.to_string(), "96.45");
    assert_eq!(r.meets_target, Some(false));
    assert_eq!(r.entry_year, Some(SchoolYear(2015)));
    let r = metrics::consolidation(
        CohortKind::JuniorMiddle,
        &cohort,
        d("2021-07-01"),
        "130431",
        &p,
    )
    .unwrap();
    assert_eq!(r.meets_target, Some(true));
}

#[test]
fn reporting_rhythm_with_a_regional_tally_day() {
    let baoding = r#"{ "overlay": { "region": "130600", "name": "保定市 (test)" },
      "sections": { "dropout": { "reporting": [ { "from": "2019-01-01", "source": "seed 003",
        "reports": [ { "id": "130600.ledger_tally", "level": "county", "every": "month", "due_day": 25,
                       "name_zh": "台账25日清点", "name_en": "Ledger tally on the 25th", "source": "seed 003" },
                     { "id": "county_quarterly", "level": "county", "every": "quarter", "due_day": 20,
                       "name_zh": "县级季度研判", "name_en": "County quarterly review", "source": "seed 003" } ] } ] } } }"#;
    let policy = Policy::national()
        .with_overlay("baoding.json", baoding)
        .unwrap();
    let due = reports_due(Level::County, d("2024-10-25"), "130602", &policy).unwrap();
    let got: Vec<(&str, NaiveDate, bool)> = due
        .iter()
        .map(|r| (r.report.as_str(), r.due, r.due_today))
        .collect();
    assert_eq!(
        got,
        vec![
            ("130600.ledger_tally", d("2024-10-25"), true),
            ("county_quarterly", d("2024-12-20"), false),
            ("county_term_start_check", d("2025-03-02"), false),
        ]
    );
    // Elsewhere only the national rhythm.
    let due = reports_due(Level::County, d("2024-10-25"), "130431", &policy).unwrap();
    assert_eq!(due.len(), 2);
    // The school's monthly report on the 28th.
    let due = reports_due(Level::School, d("2024-10-28"), "130602", &policy).unwrap();
    assert!(due[0].due_today && due[0].in_period);
}

#[test]
fn a_bad_ladder_in_an_overlay_names_file_line_and_field() {
    let bad = XINGHE.replace("\"deadline_days\": 5, \"basis\": \"seed 002\", \"source\": \"seed 002\" },\n        { \"id\": \"school_leaders\"", "\"deadline_days\": 0, \"basis\": \"seed 002\", \"source\": \"seed 002\" },\n        { \"id\": \"school_leaders\"");
    assert_ne!(bad, XINGHE);
    let e = Policy::national()
        .with_overlay("xinghe-bad.json", &bad)
        .unwrap_err();
    match e {
        eduaid::Error::Policy {
            file, line, field, ..
        } => {
            assert_eq!(file, "xinghe-bad.json");
            assert_eq!(field, "sections.dropout.ladders[0].stages[0].deadline_days");
            assert_eq!(line, 7);
        }
        other => panic!("{other:?}"),
    }
    let unknown = XINGHE.replace("\"comply_days\": 10", "\"comply_dayz\": 10");
    let e = Policy::national()
        .with_overlay("x.json", &unknown)
        .unwrap_err();
    assert!(
        e.field()
            .starts_with("sections.dropout.ladders[0].stages[4]"),
        "{}",
        e.field()
    );
    assert!(e.message().contains("comply_dayz"));
}

#[test]
fn detection_opens_a_case_with_the_finding_trigger() {
    let policy = Policy::national();
    let days = [
        "2024-11-04",
        "2024-11-05",
        "2024-11-06",
        "2024-11-07",
        "2024-11-08",
        "2024-11-11",
    ];
    let records: Vec<AttendanceRecord> = days
        .iter()
        .map(|s| AttendanceRecord {
            date: d(s),
            status: AttendanceStatus::Absent,
        })
        .collect();
    let f = detect::detect_absence("S-0001", &records, d("2024-11-11"), "130431", &policy)
        .unwrap()
        .unwrap();
    assert!(f.opens_case());
    let c = Case::open(student("130431"), f.trigger, d("2024-11-11"), &policy).unwrap();
    assert_eq!(c.classification, Classification::SuspectedDropout);
    // An overlay lowering the threshold to three days (a region's own rule).
    let text = r#"{ "overlay": { "region": "130431", "name": "t" }, "parameters": {
      "dropout.absence.suspected_over_days": { "values": [ { "from": "2016-09-01", "value": "3", "source": "S14" } ] } } }"#;
    let p = Policy::national().with_overlay("t.json", text).unwrap();
    let four = &records[..4];
    let f = detect::detect_absence("S", four, d("2024-11-07"), "130431", &p)
        .unwrap()
        .unwrap();
    assert_eq!(f.level, detect::FindingLevel::SuspectedDropout);
}
