//! Property tests of the dropout case engine: replaying the stored events gives the same
//! case (serde round trip included); no event sequence skips a stage; a closed case
//! accepts only a reopening. Random event sequences run against the national ladder and a
//! Xinghe-style ladder from an overlay.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::{Days, NaiveDate};
use eduaid::dropout::case::{CourtOutcome, DeferralKind, GuardianMeasure, Placement};
use eduaid::dropout::{Case, Classification, Event, Outcome, Student, Trigger};
use eduaid::Policy;
use proptest::prelude::*;
use std::sync::OnceLock;

const XINGHE: &str = r#"{
  "overlay": { "region": "150924", "name": "兴和县 (property test)" },
  "sections": { "dropout": { "ladders": [ { "from": "2019-09-01", "source": "seed 002", "stages": [
    { "id": "class_teacher", "name_zh": "班主任", "name_en": "Teacher", "responsible": "班主任和科任老师", "deadline_days": 5, "basis": "seed 002", "source": "seed 002" },
    { "id": "school_leaders", "name_zh": "副校长", "name_en": "Leaders", "responsible": "副校长和教导主任", "deadline_days": 5, "basis": "seed 002", "source": "seed 002" },
    { "id": "bureau_and_principal", "name_zh": "局领导", "name_en": "Bureau", "responsible": "局领导和校长", "deadline_days": 10, "basis": "seed 002", "source": "seed 002" },
    { "id": "administrative_penalty", "name_zh": "处罚", "name_en": "Penalty", "responsible": "乡镇", "deadline_days": 10, "enabled": false, "basis": "S08", "source": "S08" },
    { "id": "written_order", "name_zh": "责令", "name_en": "Order", "responsible": "乡镇", "deadline_days": 10, "basis": "S01", "source": "S01" },
    { "id": "litigation", "name_zh": "诉讼", "name_en": "Suit", "responsible": "乡镇", "until": "court_outcome", "comply_days": 10, "basis": "S09", "source": "S09" },
    { "id": "enforcement", "name_zh": "执行", "name_en": "Enforcement", "responsible": "乡镇", "until": "return", "basis": "S08", "source": "S08" }
  ] } ] } }
}"#;

fn policies() -> &'static [Policy; 2] {
    static P: OnceLock<[Policy; 2]> = OnceLock::new();
    P.get_or_init(|| {
        let national = Policy::national();
        let xinghe = national.with_overlay("xinghe.json", XINGHE).unwrap();
        [national, xinghe]
    })
}

const STAGES: &[&str] = &[
    "class_teacher",
    "school_leaders",
    "bureau_and_principal",
    "joint_persuasion",
    "written_order",
    "administrative_penalty",
    "litigation",
    "enforcement",
    "no_such_stage",
];

/// An event without its date: the date comes from a day offset.
#[derive(Debug, Clone)]
enum Step {
    Attempt(bool),
    Escalate(usize),
    EscalateNext,
    Classified,
    Guardian,
    Court(Option<u32>),
    Returned,
    Reopened,
    Assessed(u8),
    Visit,
    Deferral(u32),
    Resumed,
    Exemption,
    Transferred,
    Confirmed,
    Unconfirmed,
    AgedOut,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        16 => any::<bool>().prop_map(Step::Attempt),
        2 => (0..STAGES.len()).prop_map(Step::Escalate),
        16 => Just(Step::EscalateNext),
        1 => Just(Step::Classified),
        1 => Just(Step::Guardian),
        1 => proptest::option::of(0u32..20).prop_map(Step::Court),
        1 => Just(Step::Returned),
        1 => Just(Step::Reopened),
        1 => (0u8..3).prop_map(Step::Assessed),
        1 => Just(Step::Visit),
        1 => (1u32..60).prop_map(Step::Deferral),
        1 => Just(Step::Resumed),
        1 => Just(Step::Exemption),
        1 => Just(Step::Transferred),
        1 => Just(Step::Confirmed),
        1 => Just(Step::Unconfirmed),
        1 => Just(Step::AgedOut),
    ]
}

fn event(step: &Step, date: NaiveDate, case: &Case) -> Event {
    match step {
        Step::Attempt(named) => Event::PersuasionAttempt {
            date,
            actor: "responsible".into(),
            outcome: Outcome::Refused,
            stage: named.then(|| case.stage.clone()),
            document: None,
            note: None,
        },
        Step::Escalate(i) => Event::Escalated {
            date,
            to: STAGES[*i].into(),
            note: None,
        },
        Step::EscalateNext => Event::Escalated {
            date,
            to: case
                .ladder
                .next_after(&case.stage)
                .map_or("enforcement".into(), |s| s.id.clone()),
            note: None,
        },
        Step::Classified => Event::Classified {
            date,
            classification: Classification::Dropout,
            note: None,
        },
        Step::Guardian => Event::GuardianMeasure {
            date,
            measure: GuardianMeasure::Admonishment,
            by: "村委会".into(),
            note: None,
        },
        Step::Court(days) => Event::CourtOutcome {
            date,
            outcome: CourtOutcome::Mediated,
            return_by: days.map(|n| date + Days::new(u64::from(n))),
            note: None,
        },
        Step::Returned => Event::Returned {
            date,
            school: None,
            note: None,
        },
        Step::Reopened => Event::Reopened {
            date,
            trigger: None,
            reason: None,
        },
        Step::Assessed(p) => Event::Assessed {
            date,
            by: "专家委员会".into(),
            placement: [
                Placement::HomeTeaching,
                Placement::SpecialSchool,
                Placement::RegularClass,
            ][*p as usize],
            teacher: None,
            note: None,
        },
        Step::Visit => Event::HomeVisit {
            date,
            teacher: "李老师".into(),
            hours: None,
            note: None,
        },
        Step::Deferral(n) => Event::ApprovedDeferral {
            date,
            kind: DeferralKind::Deferral,
            until: date + Days::new(u64::from(*n)),
            by: "县教育局".into(),
            note: None,
        },
        Step::Resumed => Event::Resumed { date, note: None },
        Step::Exemption => Event::ApprovedExemption {
            date,
            by: "县教育局".into(),
            note: None,
        },
        Step::Transferred => Event::Transferred {
            date,
            to_school: "二中".into(),
            to_region: None,
            note: None,
        },
        Step::Confirmed => Event::ReceiptConfirmed {
            date,
            by: "二中".into(),
        },
        Step::Unconfirmed => Event::TransferUnconfirmed { date },
        Step::AgedOut => Event::AgedOut { date },
    }
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// One applied step: the case before, the event, and what applying it gave.
type Applied = (Case, Event, Result<Case, eduaid::Error>);

/// Apply random steps (day offsets from the last event, some negative); return the
/// student, the final case and every (case before, event, result) triple.
fn run(which: usize, birth_offset: u32, steps: &[(i8, Step)]) -> (Case, Vec<Applied>) {
    let policy = &policies()[which];
    let mut student = Student::new("P-1", if which == 1 { "150924" } else { "130431" });
    // Born so that the 16th birthday falls somewhere in the months the steps cover.
    student.birth_date = Some(d("2008-09-20") + Days::new(u64::from(birth_offset)));
    let open = d("2024-09-11");
    let mut case = Case::open(
        student,
        Trigger::Absence {
            first_absent: d("2024-09-02"),
            school_days: 8,
        },
        open,
        policy,
    )
    .unwrap();
    let mut log = Vec::new();
    for (offset, s) in steps {
        let last = case.last_date();
        let date = if *offset >= 0 {
            last + Days::new(*offset as u64)
        } else {
            last - Days::new(offset.unsigned_abs() as u64)
        };
        let e = event(s, date, &case);
        let result = case.apply(e.clone(), policy);
        if let Ok(next) = &result {
            log.push((case.clone(), e, result.clone()));
            case = next.clone();
        } else {
            log.push((case.clone(), e, result));
        }
    }
    (case, log)
}

fn steps() -> impl Strategy<Value = Vec<(i8, Step)>> {
    proptest::collection::vec((-2i8..12, step()), 0..80)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn replay_is_deterministic(which in 0usize..2, birth in 0u32..1500, steps in steps()) {
        let policy = &policies()[which];
        let (case, _) = run(which, birth, &steps);
        let replayed = Case::replay(case.student.clone(), &case.events, policy).unwrap();
        prop_assert_eq!(&replayed, &case);
        let text = serde_json::to_string(&case).unwrap();
        prop_assert_eq!(&Case::from_json(&text).unwrap(), &case);
        prop_assert_eq!(&Case::restore(&text, policy).unwrap(), &case);
        // Each event also survives JSON alone.
        for e in &case.events {
            let t = serde_json::to_string(e).unwrap();
            prop_assert_eq!(&Event::from_json(&t).unwrap(), e);
        }
        // Replaying any prefix gives the case as it stood then.
        let n = case.events.len() / 2 + 1;
        let half = Case::replay(case.student.clone(), &case.events[..n], policy).unwrap();
        prop_assert_eq!(half.events.len(), n);
    }

    #[test]
    fn no_event_sequence_skips_a_stage(which in 0usize..2, birth in 0u32..1500, steps in steps()) {
        let (case, log) = run(which, birth, &steps);
        for (before, e, result) in &log {
            if let (Event::Escalated { to, .. }, Ok(after)) = (e, result) {
                let next = before.ladder.next_after(&before.stage).map(|s| s.id.clone());
                prop_assert_eq!(Some(to.clone()), next, "escalated from {}", before.stage);
                prop_assert_eq!(&after.stage, to);
                prop_assert!(before.stage_attempts > 0, "escalated without an attempt");
                prop_assert!(after.ladder.stage(to).unwrap().enabled);
            }
        }
        // The stages visited, in order, are a prefix of the enabled ladder.
        let enabled: Vec<String> = case.ladder.enabled().map(|s| s.id.clone()).collect();
        let mut visited = vec![enabled[0].clone()];
        visited.extend(case.events.iter().filter_map(|e| match e {
            Event::Escalated { to, .. } => Some(to.clone()),
            _ => None,
        }));
        prop_assert_eq!(&visited[..], &enabled[..visited.len()]);
    }

    #[test]
    fn a_closed_case_accepts_only_a_reopening(which in 0usize..2, birth in 0u32..1500, steps in steps()) {
        let policy = &policies()[which];
        let (_, log) = run(which, birth, &steps);
        for (before, e, result) in &log {
            if before.is_closed() && e.date() >= before.last_date() {
                match e {
                    Event::Reopened { .. } => {}
                    _ => {
                        let err = result.as_ref().unwrap_err();
                        prop_assert_eq!(err.code(), "case_closed");
                    }
                }
            }
            if let Ok(after) = result {
                if after.is_closed() {
                    prop_assert!(after.due(after.last_date(), policy).is_empty());
                    // Every kind of event but a reopening is refused.
                    for s in [Step::Attempt(false), Step::EscalateNext, Step::Returned, Step::Visit,
                              Step::Exemption, Step::Transferred, Step::Confirmed, Step::AgedOut,
                              Step::Classified, Step::Deferral(5), Step::Resumed, Step::Unconfirmed] {
                        let ev = event(&s, after.last_date(), after);
                        let err = after.apply(ev, policy).unwrap_err();
                        prop_assert_eq!(err.code(), "case_closed");
                    }
                }
            }
        }
    }

    #[test]
    fn events_before_the_last_are_refused_and_leave_the_case_unchanged(
        which in 0usize..2, birth in 0u32..1500, steps in steps()
    ) {
        let (_, log) = run(which, birth, &steps);
        for (before, e, result) in &log {
            if e.date() < before.last_date() {
                prop_assert_eq!(result.as_ref().unwrap_err().code(), "event_before_last");
            }
            if let Ok(after) = result {
                prop_assert_eq!(after.events.len(), before.events.len() + 1);
                prop_assert!(after.events[..before.events.len()] == before.events[..]);
            }
        }
    }

    #[test]
    fn due_actions_name_a_responsible_party(which in 0usize..2, birth in 0u32..1500, steps in steps(), later in 0u64..90) {
        let policy = &policies()[which];
        let (case, _) = run(which, birth, &steps);
        let today = case.last_date() + Days::new(later);
        for a in case.due(today, policy) {
            prop_assert!(!a.responsible.trim().is_empty());
            prop_assert_eq!(a.overdue, a.due.is_some_and(|d| today > d));
        }
        // Advancing the clock only adds events the engine allows, and never skips.
        let advanced = case.advance(today, policy).unwrap();
        prop_assert!(advanced.events.len() >= case.events.len());
        let replayed = Case::replay(advanced.student.clone(), &advanced.events, policy).unwrap();
        prop_assert_eq!(replayed, advanced);
    }
}
