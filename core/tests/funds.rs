//! School public funds (funds.rs): regional overrides of the national standards and the
//! small-school floor.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use eduaid::funds::FundsItem;
use eduaid::{public_funds, FundsRequest, Money, Policy};

const MUDANJIANG_SCHOOL: &str = r#"{ "school_id": "MDJ-rural-60", "location": "rural",
    "primary_pupils": 60, "boarders": 30 }"#;

fn report(policy: &Policy, term: &str, region: &str) -> eduaid::FundsReport {
    let request = FundsRequest::from_json(&format!(
        r#"{{"term": "{term}", "region": "{region}", "schools": [{MUDANJIANG_SCHOOL}]}}"#
    ))
    .unwrap();
    public_funds(&request, policy).unwrap()
}

#[test]
fn a_region_can_keep_200_per_boarder() {
    // Test figure, not a source: a city that kept 200 per boarder after 2023-02-01 (the seed
    // of 2023 still writes 200). 2024-autumn: 36000 + 30 × 200 / 2 = 39000.
    let overlay = r#"{
      "overlay": { "region": "231000", "name": "test" },
      "parameters": {
        "public_funds.boarding_addon": {
          "values": [ { "from": "2023-02-01", "value": "200.00", "source": "test figure, not a source" } ]
        }
      }
    }"#;
    let policy = Policy::national()
        .with_overlay("test.json", overlay)
        .unwrap();
    assert_eq!(
        report(&policy, "2024-autumn", "231000").total,
        Money::yuan(39_000)
    );
    assert_eq!(
        report(&policy, "2024-autumn", "230100").total,
        Money::yuan(40_500)
    );
}

#[test]
fn a_region_can_turn_the_floor_off() {
    let overlay = r#"{
      "overlay": { "region": "130000", "name": "test" },
      "parameters": {
        "public_funds.small_school_floor.in_force": {
          "values": [ { "from": "2016-09-01", "value": false, "source": "test figure, not a source" } ]
        }
      }
    }"#;
    let policy = Policy::national()
        .with_overlay("test.json", overlay)
        .unwrap();
    let r = report(&policy, "2022-autumn", "130431");
    // 60 × 650 / 2 + 30 × 200 / 2 = 19500 + 3000.
    assert_eq!(r.total, Money::yuan(22_500));
    assert!(!r.schools[0].small_school_floor_applied);
    assert!(r.schools[0]
        .lines
        .iter()
        .all(|l| l.item != FundsItem::SmallSchoolTopUp));
}

#[test]
fn a_school_region_overrides_the_request_region() {
    let request = FundsRequest::from_json(
        r#"{"term": "2024-autumn", "schools": [{"school_id": "x", "location": "rural",
            "primary_pupils": 10, "region": "1509"}]}"#,
    )
    .unwrap();
    let e = public_funds(&request, &Policy::national()).unwrap_err();
    assert_eq!(e.field(), "schools[0].region");
}

#[test]
fn half_a_fen_rounds_up() {
    // Test figure: a regional base of 650.01 a year; 1 pupil → 325.005 → 325.01 a term.
    let overlay = r#"{
      "overlay": { "region": "231000", "name": "test" },
      "parameters": {
        "public_funds.base.primary": {
          "values": [ { "from": "2016-09-01", "value": "650.01", "source": "test figure, not a source" } ]
        }
      }
    }"#;
    let policy = Policy::national()
        .with_overlay("test.json", overlay)
        .unwrap();
    let request = FundsRequest::from_json(
        r#"{"term": "2022-autumn", "region": "231000", "schools": [{"school_id": "x",
            "location": "city", "primary_pupils": 1}]}"#,
    )
    .unwrap();
    assert_eq!(
        public_funds(&request, &policy).unwrap().total,
        Money::from_fen(32_501)
    );
}
