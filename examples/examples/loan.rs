//! Student-loan schedules (生源地信用助学贷款) of a 4-year bachelor who borrows the cap in
//! force every year, under the 2019 rules and under the 2024 rules, and the grassroots
//! compensation (基层就业代偿) of a 2025 graduate.
//!
//! Run: `cargo run -p eduaid-examples --example loan`
//!
//! Hand check, 2019 rules (contract 2019-09-10, before 2020-01-01):
//! - caps by school year: 2019 8000, 2020 8000, 2021 12000, 2022 12000 → principal 40000;
//! - rate: benchmark over five years 4.90%; term 4 + 13 = 17 years (≤ 20); grace 3 years;
//!   repayment 17 − 4 − 3 = 10 years, 4000 principal a year;
//! - government interest while studying: 8000, 16000, 28000, 40000 × 4.9% = 392 + 784 +
//!   1372 + 1960 = 4508.00;
//! - borrower interest: grace 3 × 1960 = 5880; repayment 4.9% × 4000 × (10 + 9 + … + 1)
//!   = 4.9% × 220000 = 10780; together 16660.00; borrower total 56660.00.
//!
//! Hand check, 2024 rules (contract 2024-09-20, from 2024-09-01):
//! - cap 20000 every year → principal 80000;
//! - rate: 5-year LPR of 2024-07-22 3.85% − 70 bp = 3.15%; term 4 + 15 = 19 years (≤ 22);
//!   grace 5 years; repayment 19 − 4 − 5 = 10 years, 8000 a year;
//! - government interest: 20000, 40000, 60000, 80000 × 3.15% = 630 + 1260 + 1890 + 2520
//!   = 6300.00;
//! - borrower interest: grace 5 × 2520 = 12600; repayment 3.15% × 8000 × 55 = 13860;
//!   together 26460.00; borrower total 106460.00.

use eduaid::loans::LoanSchedule;
use eduaid::{
    grassroots_compensation, loan_schedule, CompensationRequest, LoanRequest, Money, Policy,
};

fn print(title: &str, s: &LoanSchedule) {
    println!("== {title}");
    println!(
        "rate {}% ({:?}, reference {}% from {}), term {} years: study {}, grace {}, repayment {}",
        s.rate.percent,
        s.rate.basis,
        s.rate.reference_percent,
        s.rate.reference_from,
        s.term_years,
        s.study_years,
        s.grace_years,
        s.repayment_years
    );
    println!(
        "year school_year phase      disbursed   balance  interest paid_by     principal   payment"
    );
    for y in &s.years {
        println!(
            "{:>4} {:>11} {:<10} {:>9} {:>9} {:>9} {:<10} {:>10} {:>9}",
            y.year,
            y.school_year,
            format!("{:?}", y.phase).to_lowercase(),
            y.disbursed.to_string(),
            y.balance.to_string(),
            y.interest.to_string(),
            format!("{:?}", y.interest_paid_by).to_lowercase(),
            y.principal_repaid.to_string(),
            y.borrower_payment.to_string()
        );
    }
    println!(
        "principal {}  government interest {}  borrower interest {}  borrower total {}\n",
        s.totals.principal,
        s.totals.government_interest,
        s.totals.borrower_interest,
        s.totals.borrower_total
    );
}

fn main() -> Result<(), eduaid::Error> {
    let policy = Policy::national();

    let rules_2019 = LoanRequest::from_json(
        r#"{ "kind": "home_area", "stage": "undergraduate", "contract_date": "2019-09-10",
             "remaining_study_years": 4,
             "principals": ["8000.00", "8000.00", "12000.00", "12000.00"] }"#,
    )?;
    let s2019 = loan_schedule(&rules_2019, &policy)?;
    print(
        "2019 rules: contract 2019-09-10, the cap in force each year",
        &s2019,
    );
    assert_eq!(s2019.totals.principal, Money::yuan(40_000));
    assert_eq!(s2019.totals.government_interest, Money::yuan(4_508));
    assert_eq!(s2019.totals.borrower_interest, Money::yuan(16_660));
    assert_eq!(s2019.totals.borrower_total, Money::yuan(56_660));
    assert_eq!((s2019.term_years, s2019.grace_years), (17, 3));

    let rules_2024 = LoanRequest::from_json(
        r#"{ "kind": "home_area", "stage": "undergraduate", "contract_date": "2024-09-20",
             "remaining_study_years": 4,
             "principals": ["20000.00", "20000.00", "20000.00", "20000.00"] }"#,
    )?;
    let s2024 = loan_schedule(&rules_2024, &policy)?;
    print(
        "2024 rules: contract 2024-09-20, cap 20000 each year",
        &s2024,
    );
    assert_eq!(s2024.rate.percent.to_string(), "3.15");
    assert_eq!(s2024.totals.government_interest, Money::yuan(6_300));
    assert_eq!(s2024.totals.borrower_interest, Money::yuan(26_460));
    assert_eq!(s2024.totals.borrower_total, Money::yuan(106_460));
    assert_eq!((s2024.term_years, s2024.grace_years), (19, 5));

    // The same loan repaid in equal instalments (等额本息).
    let mut level = rules_2024.clone();
    level.method = eduaid::loans::RepaymentMethod::EqualInstalments;
    let s_level = loan_schedule(&level, &policy)?;
    println!(
        "2024 rules, equal instalments: yearly payment {} from {}, borrower interest {}\n",
        s_level
            .years
            .iter()
            .find(|y| y.principal_repaid > Money::ZERO)
            .map(|y| y.borrower_payment)
            .unwrap_or_default(),
        s_level
            .years
            .iter()
            .find(|y| y.principal_repaid > Money::ZERO)
            .map(|y| y.school_year)
            .unwrap_or_default(),
        s_level.totals.borrower_interest
    );

    // A graduate of 2025 serving at a grassroots unit: tuition 5000 a year for 4 years,
    // under the 2024 cap of 20000 a year: 20000 in total, a third a year.
    let graduate = CompensationRequest::from_json(
        r#"{ "stage": "undergraduate", "mode": "tuition_compensation",
             "service_start": "2025-07-15", "standard_study_years": 4,
             "years": [ {"tuition_paid": "5000.00"}, {"tuition_paid": "5000.00"},
                        {"tuition_paid": "5000.00"}, {"tuition_paid": "5000.00"} ] }"#,
    )?;
    let c = grassroots_compensation(&graduate, &policy)?;
    println!(
        "== grassroots compensation, service from 2025-07-15: total {}",
        c.total
    );
    for i in &c.instalments {
        println!(
            "  service year {} ({} to {}): {}",
            i.service_year, i.from, i.to, i.amount
        );
    }
    assert_eq!(c.total, Money::yuan(20_000));
    Ok(())
}
