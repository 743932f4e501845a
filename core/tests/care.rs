//! Care schedules (care.rs): slots tile the schedule without gaps; a region can change how
//! many activities are due.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use eduaid::care::{CareActivity, CarePlan, SlotStatus};
use eduaid::{care_schedule, CareRequest, Policy};
use proptest::prelude::*;

#[test]
fn a_region_can_require_two_home_visits_a_week() {
    // Shandong/Henan practice (S18): 2 visits a week.
    let overlay = r#"{
      "overlay": { "region": "370000", "name": "test" },
      "parameters": { "care.home_teaching.visits_per_week": {
        "values": [ { "from": "2016-09-01", "value": "2", "source": "S18" } ] } }
    }"#;
    let policy = Policy::national().with_overlay("t.json", overlay).unwrap();
    let request = CareRequest::from_json(
        r#"{"plan": "home_teaching", "term": "2025-spring", "start": "2025-03-03",
            "end": "2025-03-09", "as_of": "2025-03-10", "region": "370215",
            "log": [{"activity": "home_teaching_visit", "date": "2025-03-04"}]}"#,
    )
    .unwrap();
    let s = care_schedule(&request, &policy).unwrap();
    assert_eq!(s.activities[0].slots[0].required, 2);
    assert_eq!(s.overdue[0].missing, 1);
}

proptest! {
    /// For any start and end inside a term, each activity's slots follow one another day by
    /// day from the start to the end, and an overdue slot is due before as_of.
    #[test]
    fn slots_tile_the_schedule(start in 0u64..150, len in 0u64..150, as_of in 0u64..200, plan in any::<bool>()) {
        let term = eduaid::Term::parse("2024-autumn").unwrap();
        let first = term.first_day();
        let start_day = first + chrono::Days::new(start);
        let end_day = (start_day + chrono::Days::new(len)).min(term.last_day());
        let plan = if plan { CarePlan::EightOnes } else { CarePlan::HomeTeaching };
        let request = CareRequest {
            plan,
            student_id: String::new(),
            term,
            start: Some(start_day),
            end: Some(end_day),
            as_of: first + chrono::Days::new(as_of),
            log: vec![],
            region: None,
        };
        let s = care_schedule(&request, &Policy::national()).unwrap();
        prop_assert_eq!(s.activities.len(), CareActivity::of_plan(plan).len());
        for a in &s.activities {
            prop_assert_eq!(a.slots.first().unwrap().from, start_day);
            prop_assert_eq!(a.slots.last().unwrap().due, end_day);
            for pair in a.slots.windows(2) {
                prop_assert_eq!(pair[0].due.succ_opt().unwrap(), pair[1].from);
            }
            for slot in &a.slots {
                prop_assert!(slot.from <= slot.due);
                if slot.status == SlotStatus::Overdue {
                    prop_assert!(slot.due < request.as_of);
                }
            }
        }
        prop_assert_eq!(s.overdue.len(), s.activities.iter().flat_map(|a| &a.slots).filter(|x| x.status == SlotStatus::Overdue).count());
    }
}
