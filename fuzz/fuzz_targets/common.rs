//! Checks shared by the fuzz targets: the invariants every assessment must satisfy, on the
//! Rust values and on their JSON form (what the bindings and the CLI show).
#![allow(dead_code)]

use chrono::NaiveDate;
use eduaid::{Assessment, Money, Policy, Profile};
use std::str::FromStr;
use std::sync::OnceLock;

/// A date from two bytes: 2014-01-01 plus up to 65535 days (so before the coverage start,
/// inside it, and far after it).
pub fn date_from(a: u8, b: u8) -> NaiveDate {
    let base = NaiveDate::from_ymd_opt(2014, 1, 1).unwrap();
    base + chrono::Days::new(u64::from(u16::from_le_bytes([a, b])) % 6000)
}

/// The national policy and the policy with each shipped overlay, built once.
pub fn policies() -> &'static [Policy] {
    static ALL: OnceLock<Vec<Policy>> = OnceLock::new();
    ALL.get_or_init(|| {
        let national = Policy::national();
        let mut out = vec![national.clone()];
        for region in Policy::shipped_regions() {
            out.push(national.with_region(region).expect("shipped overlay loads"));
        }
        out
    })
}

/// Parse a money string of the JSON form: exactly two decimals, never negative.
fn money_text(v: &serde_json::Value, what: &str) -> Option<Money> {
    if v.is_null() {
        return None;
    }
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{what}: not a string: {v}"));
    let dot = s
        .find('.')
        .unwrap_or_else(|| panic!("{what}: '{s}' has no decimals"));
    assert_eq!(
        s.len() - dot - 1,
        2,
        "{what}: '{s}' must have exactly two decimals"
    );
    assert!(!s.starts_with('-'), "{what}: '{s}' is negative");
    Some(Money::from_str(s).unwrap_or_else(|e| panic!("{what}: {e}")))
}

/// Every invariant of one assessment: non-negative amounts with at most two decimals,
/// `school_year_total` = the sum of `payments`, `annual_cash_total` = the sum of cash and
/// award amounts (on the values and on the JSON text alike), and JSON → Assessment → JSON
/// is the identity.
pub fn check_assessment(profile: &Profile, a: &Assessment) {
    assert_eq!(a.student_id, profile.student_id);
    let mut cash = Money::ZERO;
    for e in &a.entitlements {
        if let Some(amount) = e.annual_amount {
            assert!(
                !amount.0.is_sign_negative(),
                "{}: negative {amount}",
                e.program
            );
            assert!(
                amount.0.normalize().scale() <= 2,
                "{}: annual amount {} below the fen",
                e.program,
                amount.0
            );
            if e.kind.counts_as_cash() {
                cash += amount;
            }
        }
        assert!(
            e.payments.len() <= 2,
            "{}: {} payments",
            e.program,
            e.payments.len()
        );
        for p in &e.payments {
            assert!(
                !p.amount.0.is_sign_negative(),
                "{}: negative payment",
                e.program
            );
            assert!(
                p.amount.0.normalize().scale() <= 2,
                "{}: payment {} below the fen",
                e.program,
                p.amount.0
            );
        }
        match e.school_year_total {
            Some(total) => {
                let sum: Money = e.payments.iter().map(|p| p.amount).sum();
                assert_eq!(total, sum, "{}: school_year_total", e.program);
            }
            None => assert!(
                e.annual_amount.is_none(),
                "{}: total null, amount not",
                e.program
            ),
        }
    }
    assert_eq!(a.annual_cash_total, cash, "annual_cash_total");

    // The JSON form (what every surface shows).
    let json = serde_json::to_value(a).expect("assessment serializes");
    let mut cash_json = Money::ZERO;
    for e in json["entitlements"].as_array().expect("entitlements") {
        let program = e["program"].as_str().unwrap_or("?").to_string();
        let annual = money_text(&e["annual_amount"], &format!("{program}.annual_amount"));
        let mut sum = Money::ZERO;
        for p in e["payments"].as_array().expect("payments") {
            sum += money_text(&p["amount"], &format!("{program}.payments"))
                .expect("a payment amount is never null");
        }
        if let Some(total) = money_text(&e["school_year_total"], &format!("{program}.total")) {
            assert_eq!(
                total, sum,
                "{program}: JSON school_year_total != sum of JSON payments"
            );
        }
        if matches!(e["kind"].as_str(), Some("cash" | "award")) {
            if let Some(a) = annual {
                cash_json += a;
            }
        }
    }
    let total = money_text(&json["annual_cash_total"], "annual_cash_total").expect("total");
    assert_eq!(
        total, cash_json,
        "JSON annual_cash_total != sum of JSON amounts"
    );

    let text = serde_json::to_string(a).expect("serializes");
    let back: Assessment = serde_json::from_str(&text).expect("assessment JSON parses back");
    let again = serde_json::to_string(&back).expect("serializes");
    assert_eq!(text, again, "Assessment JSON round trip");
}

/// Profile → JSON → Profile is the identity (text and value paths).
pub fn check_profile_round_trip(p: &Profile) {
    let text = serde_json::to_string(p).expect("profile serializes");
    let back = Profile::from_json(&text)
        .unwrap_or_else(|e| panic!("a valid profile's JSON must parse: {e}\n{text}"));
    assert_eq!(&back, p, "Profile JSON text round trip");
    let value = serde_json::to_value(p).expect("profile serializes");
    let back = Profile::from_value(value).expect("a valid profile's JSON value parses");
    assert_eq!(&back, p, "Profile JSON value round trip");
}
