//! Student loans (国家助学贷款: 生源地信用助学贷款, the home-area credit loan, and
//! 校园地国家助学贷款, the campus loan): the year-by-year schedule of one contract
//! (programs.md, "Beyond per-student entitlements"; policy-parameters.md §7, §14 note 2).
//!
//! From the yearly principals borrowed, the contract date and the remaining years of study,
//! [`loan_schedule`] lays out every loan year: the government pays the interest while the
//! student studies (财政贴息, A05a, A10); then a principal grace period in which the borrower
//! pays interest only; then the principal is repaid over the rest of the term, in equal
//! principal (等额本金, the default) or equal instalments (等额本息).
//!
//! The rules are read from the dated policy store by contract date (`loan_schedule.json`):
//! - term = remaining years of study + 13, at most 20, with a 3-year grace period, for
//!   contracts before 2020-01-01; + 15, at most 22, with a 5-year grace period from
//!   2020-01-01 (A06, A05a, A11);
//! - rate = the 5-year LPR in force on the contract date minus 30 bp (contracts from
//!   2020-01-01, A06), 60 bp (from 2023-09-01, A08), 70 bp (from 2024-09-01, A02). Before
//!   2020-01-01 the rate is the PBoC benchmark rate for loans over five years (4.90% from
//!   2015-10-24), the benchmark of the same term that 教财〔2015〕7号 prescribed: this is
//!   our reading, as programs.md states the LPR rule for contracts from 2020 only;
//! - each yearly principal must not exceed the cap in force on the first day of its school
//!   year (`student_loan.cap.*`, loans.json; A07, A05a, A02, A09).
//!
//! The library ships the 5-year LPR table (`lpr.json`, with sources) and accepts the
//! caller's own table instead.
//!
//! Reading of the time line: loan year k is school year k of the contract (1 September to
//! 31 August); each yearly principal is disbursed at the start of its school year and the
//! interest of a year is the balance after that year's disbursement times the annual rate;
//! principal repaid in a year reduces the balance from the next year. Banks accrue daily
//! interest on actual days and settle on fixed dates (often 20 December), so a bank
//! statement differs by the part-years at both ends; the split of who pays, the principal
//! and the order of magnitude of the interest are the same. The rate is fixed at the
//! contract date for the whole term, as programs.md states it; the yearly repricing of
//! LPR-floating contracts, the renegotiation allowed by A02, the 2023 one-off interest
//! waiver (A08) and local minimums (A12b) are not modelled.
//!
//! Pure: no I/O, no clock.

use crate::assessment::ParameterUsed;
use crate::calendar::SchoolYear;
use crate::money::Money;
use crate::policy::{ParamValue, Policy, Resolved, Unit};
use crate::profile::Stage;
use crate::programs::{ReadParameters, Receipt};
use crate::{Error, Result};
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Largest JSON input accepted by the finance functions (loans, compensation, funds,
/// allowances, care).
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// Parse a finance input from JSON text: unknown fields are rejected, and every error names
/// the path of the offending field (e.g. `principals[2]`).
pub(crate) fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(Error::invalid(
            "",
            "too_large",
            format!(
                "the input is {} bytes; the limit is {MAX_INPUT_BYTES}",
                text.len()
            ),
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| crate::json::path_error(e.path().to_string(), e.inner()))?;
    de.end()
        .map_err(|e| crate::json::path_error(String::new(), &e))?;
    Ok(value)
}

/// Parse a finance input from a JSON value, naming the offending field.
pub(crate) fn parse_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    serde_path_to_error::deserialize(value)
        .map_err(|e| crate::json::path_error(e.path().to_string(), e.inner()))
}

/// Serialize a rate in percent as a string with at least two decimals, e.g. `"4.90"`.
pub(crate) fn ser_percent<S: Serializer>(
    d: &Decimal,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    let mut d = d.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    s.collect_str(&d)
}

/// Serialize an optional exact decimal (basis points) as a plain string or null.
pub(crate) fn ser_opt_decimal<S: Serializer>(
    d: &Option<Decimal>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(&d.normalize()),
        None => s.serialize_none(),
    }
}

/// Deserialize an exact decimal from a string (`"3.85"`) or an integer; a JSON float is
/// refused because it is not exact.
pub(crate) fn de_decimal<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Decimal, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = Decimal;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a decimal number as a string such as \"3.85\"")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Decimal, E> {
            v.trim().parse().map_err(|_| {
                E::custom(format!(
                    "'{}' is not a decimal number",
                    crate::json::clip(v)
                ))
            })
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Decimal, E> {
            Err(E::custom(format!(
                "{v} is a JSON float; write the rate as a string such as \"{v}\" to keep it exact"
            )))
        }
    }
    d.deserialize_any(V)
}

/// Round half up (away from zero) to the fen.
pub(crate) fn to_fen(d: Decimal) -> Money {
    Money(d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
}

/// Add `r` to the receipt unless the same dated value is there already.
pub(crate) fn record(receipt: &mut Receipt, r: &Resolved) {
    if !receipt
        .used
        .iter()
        .any(|u| u.name == r.name && u.effective_from == r.effective_from && u.region == r.region)
    {
        receipt.used.push(r.clone());
    }
}

/// A [`Resolved`] value supplied by the caller rather than by the policy (for receipts).
pub(crate) fn caller_value(name: &str, value: Decimal, unit: Unit, from: NaiveDate) -> Resolved {
    Resolved {
        name: name.to_string(),
        value: ParamValue::Number(value),
        unit,
        effective_from: from,
        source: "caller".into(),
        mark: None,
        region: None,
    }
}

/// The kind of national student loan (国家助学贷款). Both follow the same caps, rates and
/// terms (policy-parameters.md §7); a student may not hold both in one school year (A03b).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoanKind {
    /// 生源地信用助学贷款: contracted in the student's home county (the default).
    #[default]
    HomeArea,
    /// 校园地国家助学贷款: contracted through the university.
    Campus,
}

/// How the principal is repaid after the grace period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepaymentMethod {
    /// 等额本金: the same principal every year, interest on the falling balance (default).
    #[default]
    EqualPrincipal,
    /// 等额本息: the same total payment (principal and interest) every year.
    EqualInstalments,
}

/// One point of a caller's 5-year LPR table: the rate in force from `from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LprPoint {
    /// The publication date from which the rate holds.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub from: NaiveDate,
    /// The rate, percent a year, as a decimal string (`"3.85"`).
    #[serde(deserialize_with = "de_decimal", serialize_with = "ser_percent")]
    pub percent: Decimal,
}

/// The input of [`loan_schedule`].
///
/// ```json
/// { "kind": "home_area", "stage": "undergraduate", "contract_date": "2024-09-20",
///   "remaining_study_years": 4,
///   "principals": ["20000.00", "20000.00", "20000.00", "20000.00"],
///   "method": "equal_principal" }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoanRequest {
    /// Home-area (default) or campus loan.
    #[serde(default)]
    pub kind: LoanKind,
    /// The borrower's stage: `higher_vocational` or `undergraduate` (本专科 cap) or
    /// `masters` or `doctoral` (研究生 cap).
    pub stage: Stage,
    /// The date the contract was signed: it fixes the rate, the term and the grace period.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub contract_date: NaiveDate,
    /// The school year of the first principal, named by the year it starts in. Default:
    /// the year of the contract date when signed from June to December (summer signing for
    /// the coming autumn, or during the autumn term), the year before when signed from
    /// January to May (during the spring term).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_school_year: Option<i32>,
    /// Years of study remaining at the contract (学制剩余年限): the program's length for a
    /// first-year borrower.
    pub remaining_study_years: u8,
    /// The principal borrowed in each school year, first school year first; at most one per
    /// year of study. `"0.00"` for a year without a loan.
    pub principals: Vec<Money>,
    /// Equal principal (default) or equal instalments.
    #[serde(default)]
    pub method: RepaymentMethod,
    /// The caller's 5-year LPR table (ascending `from`); default: the policy's `lpr.five_year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lpr: Option<Vec<LprPoint>>,
    /// The region whose overlays apply (GB/T 2260); default: the policy's default region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

impl LoanRequest {
    /// Parse from JSON text; errors name the field.
    pub fn from_json(text: &str) -> Result<LoanRequest> {
        parse_json(text)
    }

    /// Parse from a JSON value; errors name the field.
    pub fn from_value(value: serde_json::Value) -> Result<LoanRequest> {
        parse_value(value)
    }
}

/// The phase of a loan year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoanPhase {
    /// 在读期间: the student studies; the government pays the interest.
    Study,
    /// 还本宽限期: after study; the borrower pays interest only.
    Grace,
    /// 还本期: the borrower repays principal and pays interest.
    Repayment,
}

/// Who pays a year's interest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    /// 财政贴息: the government, while the student studies.
    Government,
    /// The borrower (the student, after graduation).
    Student,
}

/// How the rate was fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateBasis {
    /// 5-year LPR at the contract date minus the margin (contracts from 2020-01-01).
    LprMinusMargin,
    /// PBoC benchmark rate for loans over five years (contracts before 2020-01-01).
    Benchmark,
}

/// The rate of the contract and how it was derived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoanRate {
    /// The annual rate, percent (e.g. `"3.15"`).
    #[serde(serialize_with = "ser_percent")]
    pub percent: Decimal,
    /// LPR minus margin, or the benchmark rate.
    pub basis: RateBasis,
    /// The reference rate read (the LPR or the benchmark), percent.
    #[serde(serialize_with = "ser_percent")]
    pub reference_percent: Decimal,
    /// The first day of the reference rate read.
    pub reference_from: NaiveDate,
    /// Where the reference rate came from: a source of the policy data, or `caller`.
    pub reference_source: String,
    /// The margin below the LPR, basis points (LPR basis only).
    #[serde(serialize_with = "ser_opt_decimal")]
    pub margin_basis_points: Option<Decimal>,
}

/// One loan year of the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoanYear {
    /// 1-based loan year.
    pub year: u8,
    /// The school year, named by the year it starts in.
    pub school_year: i32,
    /// First day of the loan year (1 September).
    pub from: NaiveDate,
    /// Last day of the loan year (31 August).
    pub to: NaiveDate,
    /// Study, grace or repayment.
    pub phase: LoanPhase,
    /// Principal disbursed at the start of the year.
    pub disbursed: Money,
    /// The yearly cap in force for the year (study years with a disbursement).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<Money>,
    /// The balance the year's interest is charged on (after the disbursement).
    pub balance: Money,
    /// The year's interest: balance × rate, rounded half up to the fen.
    pub interest: Money,
    /// Who pays the interest.
    pub interest_paid_by: Payer,
    /// Principal repaid at the end of the year.
    pub principal_repaid: Money,
    /// What the borrower pays in the year: principal repaid plus interest the borrower pays.
    pub borrower_payment: Money,
    /// The balance at the end of the year.
    pub closing_balance: Money,
}

/// Totals of a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoanTotals {
    /// Principal borrowed.
    pub principal: Money,
    /// Interest paid by the government while the student studies.
    pub government_interest: Money,
    /// Interest paid by the borrower (grace and repayment years).
    pub borrower_interest: Money,
    /// Everything the borrower pays: principal plus the borrower's interest.
    pub borrower_total: Money,
}

/// The year-by-year schedule of one loan contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoanSchedule {
    /// Home-area or campus loan.
    pub kind: LoanKind,
    /// The borrower's stage.
    pub stage: Stage,
    /// The contract date.
    pub contract_date: NaiveDate,
    /// The rate and its derivation.
    pub rate: LoanRate,
    /// Loan term, years (remaining study + the years beyond study, at most the maximum).
    pub term_years: u8,
    /// Years of study (government pays the interest).
    pub study_years: u8,
    /// Principal grace years (interest only, paid by the borrower).
    pub grace_years: u8,
    /// Years over which the principal is repaid.
    pub repayment_years: u8,
    /// Equal principal or equal instalments.
    pub method: RepaymentMethod,
    /// Every loan year, first to last.
    pub years: Vec<LoanYear>,
    /// Totals.
    pub totals: LoanTotals,
    /// The rounding rules applied.
    pub rounding: Vec<String>,
    /// Readings and choices that shaped the schedule.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Every dated figure read (the receipt).
    pub parameters_used: Vec<ParameterUsed>,
}

/// Loan stages and the cap parameter of each.
fn cap_parameter(stage: Stage) -> Option<&'static str> {
    if stage.is_short_cycle_or_undergraduate() {
        Some("student_loan.cap.short_cycle_and_undergraduate")
    } else if stage.is_graduate() {
        Some("student_loan.cap.graduate")
    } else {
        None
    }
}

/// The region a request applies to: its own, else the policy's default region.
pub(crate) fn request_region(
    policy: &Policy,
    region: &Option<String>,
    field: &str,
) -> Result<String> {
    match region {
        Some(r) if !crate::profile::is_region_code(r) => Err(Error::invalid(
            field,
            "invalid_region",
            format!(
                "'{}' is not a six-digit region code (GB/T 2260)",
                crate::json::clip(r)
            ),
        )),
        Some(r) => Ok(r.clone()),
        None => Ok(policy.default_region().unwrap_or("").to_string()),
    }
}

/// A whole number of years from a `years` parameter.
fn whole_years(
    receipt: &mut Receipt,
    policy: &Policy,
    name: &str,
    region: &str,
    date: NaiveDate,
) -> Result<u8> {
    let d = receipt.number(policy, name, region, date)?;
    use rust_decimal::prelude::ToPrimitive;
    d.to_u8()
        .filter(|_| d.fract().is_zero())
        .ok_or_else(|| Error::Policy {
            file: "policy".into(),
            line: 0,
            field: name.into(),
            code: "invalid_value".into(),
            message: format!("parameter {name} is {d}, not a whole number of years below 256"),
        })
}

/// The 5-year LPR in force on `date`: from the caller's table if given, else the policy.
fn lpr_on(
    request: &LoanRequest,
    policy: &Policy,
    region: &str,
    date: NaiveDate,
    receipt: &mut Receipt,
) -> Result<Resolved> {
    match &request.lpr {
        Some(table) => {
            for (i, pair) in table.windows(2).enumerate() {
                if let [a, b] = pair {
                    if b.from <= a.from {
                        return Err(Error::invalid(
                            format!("lpr[{}].from", i + 1),
                            "not_ascending",
                            format!("{} is not after the previous point's {}", b.from, a.from),
                        ));
                    }
                }
            }
            for (i, p) in table.iter().enumerate() {
                if p.percent.is_sign_negative() || p.percent > Decimal::ONE_HUNDRED {
                    return Err(Error::invalid(
                        format!("lpr[{i}].percent"),
                        "out_of_range",
                        format!("{} is not a rate between 0 and 100 percent", p.percent),
                    ));
                }
            }
            let point = table.iter().rev().find(|p| p.from <= date).ok_or_else(|| {
                Error::invalid(
                    "lpr",
                    "no_rate",
                    format!("the LPR table has no rate in force on the contract date {date}"),
                )
            })?;
            let r = caller_value("lpr.five_year", point.percent, Unit::Percent, point.from);
            record(receipt, &r);
            Ok(r)
        }
        None => {
            let r = policy.require("lpr.five_year", region, date)?;
            record(receipt, &r);
            Ok(r)
        }
    }
}

/// (1 + r)^n, kept to 20 decimals at each step (far below the fen on any loan).
fn compound(rate: Decimal, n: u8) -> Decimal {
    let q = Decimal::ONE + rate;
    let mut acc = Decimal::ONE;
    for _ in 0..n {
        acc = (acc * q).round_dp(20);
    }
    acc
}

/// The year-by-year schedule of one loan contract under `policy`.
///
/// Errors: a contract date before the policy's coverage (`policy_not_in_force`, field
/// `contract_date`); a stage without student loans (`stage`); a yearly principal above the
/// cap in force for its school year (`principals[i]`, code `above_cap`); more principals
/// than years of study (`principals`); a term too short for the grace period
/// (`remaining_study_years`); no LPR in the caller's table on the contract date (`lpr`).
///
/// Rounding: interest of a year = balance × rate, rounded half up to the fen. Equal
/// principal: the yearly principal is the balance ÷ repayment years rounded down to the
/// fen, the fen left over repaid with the last instalment. Equal instalments: the yearly
/// payment is P·r·(1+r)^n / ((1+r)^n − 1) rounded half up to the fen; the last payment is
/// whatever clears the balance.
pub fn loan_schedule(request: &LoanRequest, policy: &Policy) -> Result<LoanSchedule> {
    let date = request.contract_date;
    policy.check_in_force("contract_date", date)?;
    let region = request_region(policy, &request.region, "region")?;
    let cap_param = cap_parameter(request.stage).ok_or_else(|| {
        Error::invalid(
            "stage",
            "stage_not_covered",
            format!(
                "student loans are for higher_vocational, undergraduate, masters or doctoral students, not {}",
                request.stage
            ),
        )
    })?;
    let study = request.remaining_study_years;
    if !(1..=10).contains(&study) {
        return Err(Error::invalid(
            "remaining_study_years",
            "out_of_range",
            format!("{study} is not a number of years of study between 1 and 10"),
        ));
    }
    if request.principals.is_empty() {
        return Err(Error::invalid(
            "principals",
            "empty",
            "give the principal borrowed in each school year (at least one)",
        ));
    }
    if request.principals.len() > usize::from(study) {
        return Err(Error::invalid(
            "principals",
            "too_many",
            format!(
                "{} yearly principals for {study} years of study: a loan is drawn only while studying",
                request.principals.len()
            ),
        ));
    }
    let default_first = {
        use chrono::Datelike;
        if date.month() >= 6 {
            date.year()
        } else {
            date.year() - 1
        }
    };
    let first_year = match request.first_school_year {
        None => default_first,
        Some(y) => {
            let containing = SchoolYear::containing(date).0;
            if y != containing && y != containing + 1 {
                return Err(Error::invalid(
                    "first_school_year",
                    "out_of_range",
                    format!(
                        "the first school year {y} must be the school year of the contract date ({containing}) or the next one"
                    ),
                ));
            }
            y
        }
    };

    let mut receipt = Receipt::default();
    let mut notes = Vec::new();

    // Caps, per school year (A07, A05a, A02, A09).
    let mut caps = Vec::with_capacity(request.principals.len());
    for (i, principal) in request.principals.iter().enumerate() {
        let field = format!("principals[{i}]");
        if principal.0.is_sign_negative() {
            return Err(Error::invalid(
                field,
                "negative",
                "a principal cannot be negative",
            ));
        }
        if principal.0.scale() > 2 {
            return Err(Error::invalid(
                field,
                "invalid_amount",
                "money is kept to the fen",
            ));
        }
        let year = first_year + i32::try_from(i).unwrap_or(i32::MAX);
        let first_day = SchoolYear(year).first_day();
        policy.check_in_force(&field, first_day)?;
        let cap = receipt.require_money(policy, cap_param, &region, first_day)?;
        if *principal > cap {
            return Err(Error::invalid(
                field,
                "above_cap",
                format!(
                    "{principal} is above the cap {cap} in force for school year {year}-{} ({cap_param})",
                    year + 1
                ),
            ));
        }
        caps.push(cap);
    }

    // Term and grace by contract date (A06, A05a, A11).
    let beyond = whole_years(
        &mut receipt,
        policy,
        "student_loan.term.years_beyond_study",
        &region,
        date,
    )?;
    let max_term = whole_years(
        &mut receipt,
        policy,
        "student_loan.term.max_years",
        &region,
        date,
    )?;
    let grace = whole_years(
        &mut receipt,
        policy,
        "student_loan.grace_years",
        &region,
        date,
    )?;
    let term = study.saturating_add(beyond).min(max_term);
    let repayment_years = term.saturating_sub(study).saturating_sub(grace);
    if repayment_years == 0 {
        return Err(Error::invalid(
            "remaining_study_years",
            "out_of_range",
            format!(
                "{study} years of study leave no repayment years in a term of {term} years with {grace} grace years"
            ),
        ));
    }

    // Rate by contract date (A06, A08, A02; benchmark before 2020).
    let lpr_based = receipt.flag(policy, "student_loan.rate.lpr_based", &region, date)?;
    let rate = if lpr_based {
        let lpr = lpr_on(request, policy, &region, date, &mut receipt)?;
        let lpr_percent = lpr.decimal().ok_or_else(|| Error::Policy {
            file: "policy".into(),
            line: 0,
            field: "lpr.five_year".into(),
            code: "invalid_value".into(),
            message: "parameter lpr.five_year is not a number".into(),
        })?;
        let margin = receipt.number(policy, "student_loan.rate.lpr_margin", &region, date)?;
        let percent = (lpr_percent - margin / Decimal::ONE_HUNDRED).max(Decimal::ZERO);
        LoanRate {
            percent,
            basis: RateBasis::LprMinusMargin,
            reference_percent: lpr_percent,
            reference_from: lpr.effective_from,
            reference_source: lpr.source.clone(),
            margin_basis_points: Some(margin),
        }
    } else {
        if request.lpr.is_some() {
            notes.push(format!(
                "the caller's LPR table is not used: a contract of {date} is priced at the benchmark rate for loans over five years"
            ));
        }
        let name = "benchmark_rate.over_five_years";
        let r = policy.require(name, &region, date)?;
        record(&mut receipt, &r);
        let percent = r.decimal().unwrap_or_default();
        notes.push(
            "contracts before 2020-01-01: the rate is the PBoC benchmark rate for loans over five years (our reading; programs.md states the LPR rule for contracts from 2020-01-01)".into(),
        );
        LoanRate {
            percent,
            basis: RateBasis::Benchmark,
            reference_percent: percent,
            reference_from: r.effective_from,
            reference_source: r.source,
            margin_basis_points: None,
        }
    };
    let r = rate.percent / Decimal::ONE_HUNDRED;

    // The years.
    let mut years = Vec::with_capacity(usize::from(term));
    let mut balance = Money::ZERO;
    let mut government_interest = Money::ZERO;
    let mut borrower_interest = Money::ZERO;
    let mut repaid_so_far = 0u8;
    let mut level_principal = Money::ZERO;
    let mut level_payment = Money::ZERO;
    for k in 1..=term {
        let index = usize::from(k - 1);
        let school_year = first_year + i32::from(k - 1);
        let sy = SchoolYear(school_year);
        let from = sy.first_day();
        let to = SchoolYear(school_year + 1)
            .first_day()
            .pred_opt()
            .unwrap_or(from);
        let phase = if k <= study {
            LoanPhase::Study
        } else if k <= study + grace {
            LoanPhase::Grace
        } else {
            LoanPhase::Repayment
        };
        let disbursed = request
            .principals
            .get(index)
            .copied()
            .unwrap_or(Money::ZERO);
        let cap = if disbursed > Money::ZERO {
            caps.get(index).copied()
        } else {
            None
        };
        balance += disbursed;
        if phase == LoanPhase::Repayment && repaid_so_far == 0 {
            // Fix the level amounts on the balance at the start of repayment.
            let n = Decimal::from(repayment_years);
            level_principal =
                Money((balance.0 / n).round_dp_with_strategy(2, RoundingStrategy::ToZero));
            level_payment = if r.is_zero() {
                level_principal
            } else {
                let q = compound(r, repayment_years);
                to_fen(balance.0 * r * q / (q - Decimal::ONE))
            };
        }
        let interest = to_fen(balance.0 * r);
        let (payer, principal_repaid) = match phase {
            LoanPhase::Study => (Payer::Government, Money::ZERO),
            LoanPhase::Grace => (Payer::Student, Money::ZERO),
            LoanPhase::Repayment => {
                repaid_so_far += 1;
                let last = repaid_so_far == repayment_years;
                let principal = if last {
                    balance
                } else {
                    match request.method {
                        RepaymentMethod::EqualPrincipal => level_principal,
                        RepaymentMethod::EqualInstalments => {
                            (level_payment - interest).max(Money::ZERO).min(balance)
                        }
                    }
                };
                (Payer::Student, principal)
            }
        };
        match payer {
            Payer::Government => government_interest += interest,
            Payer::Student => borrower_interest += interest,
        }
        let borrower_payment = match payer {
            Payer::Government => principal_repaid,
            Payer::Student => principal_repaid + interest,
        };
        let charged = balance;
        balance = balance - principal_repaid;
        years.push(LoanYear {
            year: k,
            school_year,
            from,
            to,
            phase,
            disbursed,
            cap,
            balance: charged,
            interest,
            interest_paid_by: payer,
            principal_repaid,
            borrower_payment,
            closing_balance: balance,
        });
    }
    let principal: Money = request.principals.iter().copied().sum();
    let mut rounding =
        vec!["interest of a year = balance × annual rate, rounded half up to the fen".to_string()];
    rounding.push(match request.method {
        RepaymentMethod::EqualPrincipal => "equal principal: balance ÷ repayment years rounded down to the fen each year; the fen left over are repaid with the last instalment".into(),
        RepaymentMethod::EqualInstalments => "equal instalments: yearly payment P·r·(1+r)^n / ((1+r)^n − 1) rounded half up to the fen; the last payment clears the balance".into(),
    });
    Ok(LoanSchedule {
        kind: request.kind,
        stage: request.stage,
        contract_date: date,
        rate,
        term_years: term,
        study_years: study,
        grace_years: grace,
        repayment_years,
        method: request.method,
        years,
        totals: LoanTotals {
            principal,
            government_interest,
            borrower_interest,
            borrower_total: principal + borrower_interest,
        },
        rounding,
        notes,
        parameters_used: receipt.used.iter().map(ParameterUsed::from).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(json: &str) -> LoanRequest {
        LoanRequest::from_json(json).unwrap()
    }

    #[test]
    fn compound_is_exact() {
        assert_eq!(compound(Decimal::new(5, 2), 2), Decimal::new(11025, 4));
        assert_eq!(compound(Decimal::new(5, 2), 0), Decimal::ONE);
    }

    #[test]
    fn equal_instalments_clear_the_balance() {
        let r = req(
            r#"{"stage":"undergraduate","contract_date":"2024-09-20","remaining_study_years":4,
            "principals":["20000.00","20000.00","20000.00","20000.00"],"method":"equal_instalments"}"#,
        );
        let s = loan_schedule(&r, &Policy::national()).unwrap();
        assert_eq!(s.years.last().unwrap().closing_balance, Money::ZERO);
        let repay: Vec<&LoanYear> = s
            .years
            .iter()
            .filter(|y| y.phase == LoanPhase::Repayment)
            .collect();
        assert_eq!(repay.len(), 10);
        // All but the last payment are equal.
        let first = repay[0].borrower_payment;
        assert!(repay[..9].iter().all(|y| y.borrower_payment == first));
    }
}
