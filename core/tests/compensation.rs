//! Grassroots-employment compensation (compensation.rs): thirds add up, caps by date.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use eduaid::{grassroots_compensation, CompensationRequest, Money, Policy};
use proptest::prelude::*;

fn request(stage: &str, start: &str, tuition: &[i64]) -> CompensationRequest {
    let years: Vec<String> = tuition
        .iter()
        .map(|f| format!(r#"{{"tuition_paid": "{}"}}"#, Money::from_fen(*f)))
        .collect();
    CompensationRequest::from_json(&format!(
        r#"{{"stage": "{stage}", "mode": "tuition_compensation", "service_start": "{start}",
            "standard_study_years": 5, "years": [{}]}}"#,
        years.join(", ")
    ))
    .unwrap()
}

#[test]
fn a_hundred_yuan_splits_into_33_33_33_33_33_34() {
    let c = grassroots_compensation(
        &request("undergraduate", "2025-07-01", &[10_000]),
        &Policy::national(),
    )
    .unwrap();
    let parts: Vec<String> = c.instalments.iter().map(|i| i.amount.to_string()).collect();
    assert_eq!(parts, ["33.33", "33.33", "33.34"]);
}

#[test]
fn receipts_carry_the_unconfirmed_mark_before_2024() {
    let c = grassroots_compensation(
        &request("masters", "2022-07-01", &[3_000_000]),
        &Policy::national(),
    )
    .unwrap();
    assert_eq!(c.years[0].amount, Money::yuan(16_000));
    let cap = c
        .parameters_used
        .iter()
        .find(|p| p.name == "grassroots_compensation.cap.graduate")
        .unwrap();
    assert_eq!(cap.mark, Some(eduaid::policy::Mark::Unconfirmed));
    let c = grassroots_compensation(
        &request("masters", "2024-09-01", &[3_000_000]),
        &Policy::national(),
    )
    .unwrap();
    assert_eq!(c.parameters_used[0].mark, None);
}

proptest! {
    #[test]
    fn instalments_add_up_to_the_total(
        fen in proptest::collection::vec(0i64..=3_000_000, 1..=5),
        day in 0u64..4000,
    ) {
        let start = chrono::NaiveDate::from_ymd_opt(2016, 9, 1).unwrap() + chrono::Days::new(day);
        let c = grassroots_compensation(&request("undergraduate", &start.to_string(), &fen), &Policy::national()).unwrap();
        let sum: Money = c.instalments.iter().map(|i| i.amount).sum();
        prop_assert_eq!(sum, c.total);
        prop_assert_eq!(c.instalments.len(), 3);
        for y in &c.years {
            prop_assert!(y.amount <= y.cap && y.amount <= y.basis);
        }
        // Each instalment is within a fen of a third.
        for i in &c.instalments {
            let diff = (i.amount.0 * rust_decimal::Decimal::from(3) - c.total.0).abs();
            prop_assert!(diff <= rust_decimal::Decimal::new(6, 2));
        }
    }
}
