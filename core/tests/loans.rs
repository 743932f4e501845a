//! Student-loan schedules (loans.rs): the dated LPR table, both sides of every rate change,
//! the rounding rules and the invariants of every schedule.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use eduaid::loans::{LoanPhase, Payer, RateBasis, RepaymentMethod};
use eduaid::{loan_schedule, LoanRequest, Money, Policy};
use proptest::prelude::*;

fn request(stage: &str, date: &str, years: u8, principals: &[&str]) -> LoanRequest {
    let principals: Vec<String> = principals.iter().map(|p| format!("\"{p}\"")).collect();
    LoanRequest::from_json(&format!(
        r#"{{"stage": "{stage}", "contract_date": "{date}", "remaining_study_years": {years},
            "principals": [{}]}}"#,
        principals.join(", ")
    ))
    .unwrap()
}

fn rate_on(date: &str) -> String {
    let s = loan_schedule(
        &request("undergraduate", date, 4, &["1000.00"]),
        &Policy::national(),
    )
    .unwrap();
    let mut p = s.rate.percent.normalize();
    if p.scale() < 2 {
        p.rescale(2);
    }
    p.to_string()
}

/// The 5-year LPR published by the National Interbank Funding Center (the brief's table,
/// checked against news reports; see lpr.json), by publication date.
const LPR: &[(&str, &str, &str)] = &[
    // (first day, the day before, value)
    ("2019-11-20", "2019-11-19", "4.80"),
    ("2020-02-20", "2020-02-19", "4.75"),
    ("2020-04-20", "2020-04-19", "4.65"),
    ("2022-01-20", "2022-01-19", "4.60"),
    ("2022-05-20", "2022-05-19", "4.45"),
    ("2022-08-22", "2022-08-21", "4.30"),
    ("2023-06-20", "2023-06-19", "4.20"),
    ("2024-02-20", "2024-02-19", "3.95"),
    ("2024-07-22", "2024-07-21", "3.85"),
    ("2024-10-21", "2024-10-20", "3.60"),
    ("2025-05-20", "2025-05-19", "3.50"),
];

#[test]
fn the_embedded_lpr_table_is_the_published_one() {
    let policy = Policy::national();
    let at = |d: &str| {
        policy
            .require("lpr.five_year", "", d.parse().unwrap())
            .unwrap()
            .decimal()
            .unwrap()
            .to_string()
    };
    assert_eq!(at("2019-08-20"), "4.85");
    assert_eq!(at("2019-10-21"), "4.85");
    assert!(policy
        .lookup("lpr.five_year", "", "2019-08-19".parse().unwrap())
        .is_none());
    for (from, before, value) in LPR {
        assert_eq!(&at(from), value, "LPR from {from}");
        assert_ne!(&at(before), value, "LPR the day before {from}");
    }
    assert_eq!(
        policy
            .require(
                "benchmark_rate.over_five_years",
                "",
                "2019-12-31".parse().unwrap()
            )
            .unwrap()
            .decimal()
            .unwrap()
            .to_string(),
        "4.90"
    );
}

/// Both sides of every LPR change from 2020: the rate is LPR − the margin in force on the
/// contract date (30 bp, 60 bp from 2023-09-01, 70 bp from 2024-09-01).
#[test]
fn rate_follows_every_lpr_change() {
    // Hand-computed: LPR − margin.
    let expected = [
        ("2020-02-19", "4.50"), // 4.80 − 0.30
        ("2020-02-20", "4.45"), // 4.75 − 0.30
        ("2020-04-19", "4.45"),
        ("2020-04-20", "4.35"), // 4.65 − 0.30
        ("2022-01-19", "4.35"),
        ("2022-01-20", "4.30"), // 4.60 − 0.30
        ("2022-05-19", "4.30"),
        ("2022-05-20", "4.15"), // 4.45 − 0.30
        ("2022-08-21", "4.15"),
        ("2022-08-22", "4.00"), // 4.30 − 0.30
        ("2023-06-19", "4.00"),
        ("2023-06-20", "3.90"), // 4.20 − 0.30
        ("2023-08-31", "3.90"),
        ("2023-09-01", "3.60"), // 4.20 − 0.60
        ("2024-02-19", "3.60"),
        ("2024-02-20", "3.35"), // 3.95 − 0.60
        ("2024-07-21", "3.35"),
        ("2024-07-22", "3.25"), // 3.85 − 0.60
        ("2024-08-31", "3.25"),
        ("2024-09-01", "3.15"), // 3.85 − 0.70
        ("2024-10-20", "3.15"),
        ("2024-10-21", "2.90"), // 3.60 − 0.70
        ("2025-05-19", "2.90"),
        ("2025-05-20", "2.80"), // 3.50 − 0.70
    ];
    for (date, rate) in expected {
        assert_eq!(rate_on(date), rate, "contract of {date}");
    }
    // Before 2020: the benchmark rate, whatever the LPR.
    assert_eq!(rate_on("2016-09-01"), "4.90");
    assert_eq!(rate_on("2019-12-31"), "4.90");
    assert_eq!(rate_on("2020-01-01"), "4.50");
}

#[test]
fn benchmark_before_2020_ignores_a_callers_table_with_a_note() {
    let mut r = request("undergraduate", "2019-09-10", 4, &["8000.00"]);
    r.lpr = Some(vec![eduaid::loans::LprPoint {
        from: "2019-01-01".parse().unwrap(),
        percent: "4.00".parse().unwrap(),
    }]);
    let s = loan_schedule(&r, &Policy::national()).unwrap();
    assert_eq!(s.rate.basis, RateBasis::Benchmark);
    assert_eq!(s.rate.percent.to_string(), "4.90");
    assert!(s
        .notes
        .iter()
        .any(|n| n.contains("caller's LPR table is not used")));
}

#[test]
fn equal_principal_remainder_goes_to_the_last_instalment() {
    // 1000.01 over 10 years: 100.00 a year (100.001 rounded down), the last 100.01.
    let s = loan_schedule(
        &request("undergraduate", "2024-09-20", 4, &["1000.01"]),
        &Policy::national(),
    )
    .unwrap();
    let repay: Vec<_> = s
        .years
        .iter()
        .filter(|y| y.phase == LoanPhase::Repayment)
        .collect();
    assert_eq!(repay.len(), 10);
    assert!(repay[..9]
        .iter()
        .all(|y| y.principal_repaid == Money::from_fen(10_000)));
    assert_eq!(repay[9].principal_repaid, Money::from_fen(10_001));
    // Interest on 1000.01 at 3.15% = 31.500315 → 31.50.
    assert_eq!(s.years[0].interest, Money::from_fen(3_150));
}

#[test]
fn interest_rounds_half_up_to_the_fen() {
    // 8000.50 at 3.15% = 252.01575 → 252.02; 1.00 at 4.50% = 0.045 → 0.05 (half up).
    let s = loan_schedule(
        &request("undergraduate", "2024-09-20", 4, &["8000.50"]),
        &Policy::national(),
    )
    .unwrap();
    assert_eq!(s.years[0].interest, Money::from_fen(25_202));
    let s = loan_schedule(
        &request("undergraduate", "2020-01-01", 4, &["1.00"]),
        &Policy::national(),
    )
    .unwrap();
    assert_eq!(s.years[0].interest, Money::from_fen(5));
}

#[test]
fn the_schedule_serializes_with_two_decimal_money_and_percent_strings() {
    let s = loan_schedule(
        &request("undergraduate", "2019-09-10", 4, &["8000.00"]),
        &Policy::national(),
    )
    .unwrap();
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(v["rate"]["percent"], "4.90");
    assert_eq!(v["years"][0]["interest"], "392.00");
    assert_eq!(v["years"][0]["interest_paid_by"], "government");
    assert_eq!(
        v["parameters_used"][0]["name"],
        "student_loan.cap.short_cycle_and_undergraduate"
    );
    assert!(v["rounding"].as_array().unwrap().len() == 2);
}

#[test]
fn errors_name_the_field() {
    let e = LoanRequest::from_json(
        r#"{"stage": "undergraduate", "contract_date": "2024-09-20",
        "remaining_study_years": 4, "principals": ["1000.001"]}"#,
    )
    .unwrap_err();
    assert_eq!(e.field(), "principals[0]");
    let e = LoanRequest::from_json(
        r#"{"stage": "undergradate", "contract_date": "2024-09-20",
        "remaining_study_years": 4, "principals": []}"#,
    )
    .unwrap_err();
    assert_eq!((e.field(), e.code()), ("stage", "unknown_variant"));
    let e = loan_schedule(
        &request("undergraduate", "2024-09-20", 4, &[]),
        &Policy::national(),
    )
    .unwrap_err();
    assert_eq!((e.field(), e.code()), ("principals", "empty"));
    let e = loan_schedule(
        &request("undergraduate", "2024-09-20", 0, &["1.00"]),
        &Policy::national(),
    )
    .unwrap_err();
    assert_eq!(e.field(), "remaining_study_years");
    let mut r = request("undergraduate", "2024-09-20", 4, &["1.00"]);
    r.region = Some("12".into());
    assert_eq!(
        loan_schedule(&r, &Policy::national()).unwrap_err().field(),
        "region"
    );
}

#[test]
fn an_overlay_can_change_the_margin_for_its_region() {
    let overlay = r#"{
      "overlay": { "region": "370000", "name": "test" },
      "parameters": {
        "student_loan.rate.lpr_margin": {
          "values": [ { "from": "2024-09-01", "value": "100", "source": "test figure, not a source" } ]
        }
      }
    }"#;
    let policy = Policy::national()
        .with_overlay("test.json", overlay)
        .unwrap();
    let mut r = request("undergraduate", "2024-09-20", 4, &["20000.00"]);
    r.region = Some("370215".into());
    let s = loan_schedule(&r, &policy).unwrap();
    assert_eq!(s.rate.percent.to_string(), "2.85");
    r.region = Some("150924".into());
    assert_eq!(
        loan_schedule(&r, &policy).unwrap().rate.percent.to_string(),
        "3.15"
    );
}

proptest! {
    /// Every schedule repays exactly the principal, ends at zero, has the government pay
    /// interest only while studying, and has no principal repaid before the repayment years.
    #[test]
    fn schedules_balance(
        years in 1u8..=8,
        fen in proptest::collection::vec(0i64..=800_000, 1..=8),
        day in 0u32..3000,
        level in any::<bool>(),
        graduate in any::<bool>(),
    ) {
        let date = chrono::NaiveDate::from_ymd_opt(2016, 9, 1).unwrap()
            + chrono::Days::new(u64::from(day));
        let n = fen.len().min(usize::from(years));
        let principals: Vec<String> = fen[..n].iter().map(|f| Money::from_fen(*f).to_string()).collect();
        let refs: Vec<&str> = principals.iter().map(String::as_str).collect();
        let stage = if graduate { "doctoral" } else { "undergraduate" };
        let mut r = request(stage, &date.to_string(), years, &refs);
        if level {
            r.method = RepaymentMethod::EqualInstalments;
        }
        let s = loan_schedule(&r, &Policy::national()).unwrap();
        let total: Money = r.principals.iter().copied().sum();
        prop_assert_eq!(s.totals.principal, total);
        let repaid: Money = s.years.iter().map(|y| y.principal_repaid).sum();
        prop_assert_eq!(repaid, total);
        prop_assert_eq!(s.years.last().unwrap().closing_balance, Money::ZERO);
        prop_assert_eq!(usize::from(s.term_years), s.years.len());
        prop_assert_eq!(s.study_years + s.grace_years + s.repayment_years, s.term_years);
        for y in &s.years {
            prop_assert_eq!(y.interest_paid_by == Payer::Government, y.phase == LoanPhase::Study);
            if y.phase != LoanPhase::Repayment {
                prop_assert_eq!(y.principal_repaid, Money::ZERO);
            }
            prop_assert!(y.principal_repaid <= y.balance);
        }
        let government: Money = s.years.iter().filter(|y| y.phase == LoanPhase::Study).map(|y| y.interest).sum();
        prop_assert_eq!(government, s.totals.government_interest);
        prop_assert_eq!(s.totals.borrower_total, total + s.totals.borrower_interest);
    }
}
