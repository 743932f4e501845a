//! Grassroots-employment tuition compensation and student-loan repayment
//! (基层就业学费补偿国家助学贷款代偿; programs.md, "Beyond per-student entitlements";
//! policy-parameters.md §8).
//!
//! A graduate of a central-ministry university who takes up a post at a grassroots unit in
//! the central or western regions or in a hardship and remote area gets, for each year of
//! study (the standard length of the degree, A29), the lower of what was paid and the cap:
//! the tuition paid (学费补偿), or the student loan used (国家助学贷款代偿). The graduate
//! chooses one of the two for the whole stage. The total is paid one third a year over
//! three years of service (A29).
//!
//! Readings where the spec is silent:
//! - the cap is the one in force on the day service starts (a 2025 graduate is compensated
//!   at the 2025 caps for every year of study, as a 2025 university notice shows);
//! - in loan-repayment mode a year's amount is also bounded by the tuition paid, when the
//!   caller gives it (the same notice: "不得超过实际缴纳学费金额");
//! - the eligibility of the unit, the region and the service contract (≥ 3 years,
//!   UNCONFIRMED nationally) is the caller's: the function computes amounts.
//!
//! The caps before 2024-09-01 are UNCONFIRMED (policy-parameters.md §16 item 12) and carry
//! that mark into the receipt.

use crate::assessment::ParameterUsed;
use crate::loans::{parse_json, parse_value, request_region, to_fen};
use crate::money::Money;
use crate::policy::Policy;
use crate::profile::Stage;
use crate::programs::{ReadParameters, Receipt};
use crate::{Error, Result};
use chrono::{Months, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Which of the two the graduate asks for (one for the whole stage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompensationMode {
    /// 学费补偿: the tuition paid is compensated.
    TuitionCompensation,
    /// 国家助学贷款代偿: the student loan is repaid for the graduate.
    LoanRepayment,
}

/// One year of study as the caller reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyYear {
    /// Tuition paid for the year (住宿费, accommodation, excluded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tuition_paid: Option<Money>,
    /// National student loan principal of the year (loan-repayment mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loan_principal: Option<Money>,
}

/// The input of [`grassroots_compensation`].
///
/// ```json
/// { "stage": "undergraduate", "mode": "tuition_compensation", "service_start": "2025-07-15",
///   "standard_study_years": 4,
///   "years": [ {"tuition_paid": "5000.00"}, {"tuition_paid": "5000.00"},
///              {"tuition_paid": "5000.00"}, {"tuition_paid": "5000.00"} ] }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompensationRequest {
    /// The stage the graduate completed (`higher_vocational`, `undergraduate`, `masters`,
    /// `doctoral`): only the stage of graduation is compensated.
    pub stage: Stage,
    /// Tuition compensation or loan repayment.
    pub mode: CompensationMode,
    /// The first day of grassroots service: it fixes the cap.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub service_start: NaiveDate,
    /// The standard length of the degree (学制), years: no more years are compensated.
    pub standard_study_years: u8,
    /// The years of study, first to last.
    pub years: Vec<StudyYear>,
    /// The region whose overlays apply; default: the policy's default region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

impl CompensationRequest {
    /// Parse from JSON text; errors name the field.
    pub fn from_json(text: &str) -> Result<CompensationRequest> {
        parse_json(text)
    }

    /// Parse from a JSON value; errors name the field.
    pub fn from_value(value: serde_json::Value) -> Result<CompensationRequest> {
        parse_value(value)
    }
}

/// The amount of one year of study.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompensatedYear {
    /// 1-based year of study.
    pub year: u8,
    /// What the mode compensates: the tuition paid or the loan principal.
    pub basis: Money,
    /// The cap per year of study.
    pub cap: Money,
    /// The lower of the basis (and, for a loan, the tuition paid) and the cap.
    pub amount: Money,
}

/// One yearly instalment, paid during a year of service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompensationInstalment {
    /// 1-based year of service.
    pub service_year: u8,
    /// First day of that year of service.
    pub from: NaiveDate,
    /// Last day of that year of service.
    pub to: NaiveDate,
    /// The amount.
    pub amount: Money,
}

/// The compensation of one graduate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Compensation {
    /// The stage compensated.
    pub stage: Stage,
    /// Tuition compensation or loan repayment.
    pub mode: CompensationMode,
    /// The first day of service.
    pub service_start: NaiveDate,
    /// Years of service the graduate commits to (≥ 3; UNCONFIRMED nationally).
    pub required_service_years: u8,
    /// Each year of study.
    pub years: Vec<CompensatedYear>,
    /// The total.
    pub total: Money,
    /// The yearly instalments (a third each).
    pub instalments: Vec<CompensationInstalment>,
    /// The rounding rule applied.
    pub rounding: String,
    /// Every dated figure read (the receipt).
    pub parameters_used: Vec<ParameterUsed>,
}

/// The grassroots-employment compensation of one graduate under `policy`.
///
/// Errors: a service start before the coverage (`service_start`); a stage outside higher
/// education (`stage`); more years than the standard length (`years`); a year without the
/// amount its mode needs (`years[i].tuition_paid` or `years[i].loan_principal`).
///
/// Rounding: each instalment but the last is the total ÷ the number of instalments (3),
/// rounded half up to the fen; the last instalment is the remainder, so the instalments
/// add up to the total exactly.
pub fn grassroots_compensation(
    request: &CompensationRequest,
    policy: &Policy,
) -> Result<Compensation> {
    let date = request.service_start;
    policy.check_in_force("service_start", date)?;
    let region = request_region(policy, &request.region, "region")?;
    let cap_param = if request.stage.is_short_cycle_or_undergraduate() {
        "grassroots_compensation.cap.short_cycle_and_undergraduate"
    } else if request.stage.is_graduate() {
        "grassroots_compensation.cap.graduate"
    } else {
        return Err(Error::invalid(
            "stage",
            "stage_not_covered",
            format!(
                "grassroots compensation is for graduates of higher education, not {}",
                request.stage
            ),
        ));
    };
    let standard = request.standard_study_years;
    if !(1..=8).contains(&standard) {
        return Err(Error::invalid(
            "standard_study_years",
            "out_of_range",
            format!("{standard} is not a standard length of study between 1 and 8 years"),
        ));
    }
    if request.years.is_empty() || request.years.len() > usize::from(standard) {
        return Err(Error::invalid(
            "years",
            "out_of_range",
            format!(
                "{} years given; between 1 and the standard length of study ({standard}) are compensated",
                request.years.len()
            ),
        ));
    }
    let mut receipt = Receipt::default();
    let cap = receipt.require_money(policy, cap_param, &region, date)?;
    let mut years = Vec::with_capacity(request.years.len());
    for (i, y) in request.years.iter().enumerate() {
        let at = format!("years[{i}]");
        for (field, amount) in [
            ("tuition_paid", y.tuition_paid),
            ("loan_principal", y.loan_principal),
        ] {
            if amount.is_some_and(|m| m.0.is_sign_negative()) {
                return Err(Error::invalid(
                    format!("{at}.{field}"),
                    "negative",
                    "an amount cannot be negative",
                ));
            }
        }
        let (basis, bound) = match request.mode {
            CompensationMode::TuitionCompensation => (
                y.tuition_paid.ok_or_else(|| {
                    Error::invalid(
                        format!("{at}.tuition_paid"),
                        "missing_field",
                        "tuition compensation needs the tuition paid for every year",
                    )
                })?,
                None,
            ),
            CompensationMode::LoanRepayment => (
                y.loan_principal.ok_or_else(|| {
                    Error::invalid(
                        format!("{at}.loan_principal"),
                        "missing_field",
                        "loan repayment needs the loan principal of every year (\"0.00\" for a year without a loan)",
                    )
                })?,
                y.tuition_paid,
            ),
        };
        let mut amount = basis.min(cap);
        if let Some(tuition) = bound {
            amount = amount.min(tuition);
        }
        years.push(CompensatedYear {
            year: u8::try_from(i + 1).unwrap_or(u8::MAX),
            basis,
            cap,
            amount,
        });
    }
    let total: Money = years.iter().map(|y| y.amount).sum();
    let n_param = receipt.number(policy, "grassroots_compensation.instalments", &region, date)?;
    let n = n_param
        .to_u8()
        .filter(|n| *n > 0 && n_param.fract().is_zero())
        .ok_or_else(|| Error::Policy {
            file: "policy".into(),
            line: 0,
            field: "grassroots_compensation.instalments".into(),
            code: "invalid_value".into(),
            message: format!("{n_param} is not a whole number of instalments"),
        })?;
    let service = receipt.number(
        policy,
        "grassroots_compensation.required_service_years",
        &region,
        date,
    )?;
    let share = to_fen(total.0 / Decimal::from(n));
    let mut instalments = Vec::with_capacity(usize::from(n));
    let mut paid = Money::ZERO;
    for k in 1..=n {
        let from = date
            .checked_add_months(Months::new(12 * u32::from(k - 1)))
            .unwrap_or(date);
        let to = date
            .checked_add_months(Months::new(12 * u32::from(k)))
            .and_then(|d| d.pred_opt())
            .unwrap_or(from);
        let amount = if k == n { total - paid } else { share };
        paid += amount;
        instalments.push(CompensationInstalment {
            service_year: k,
            from,
            to,
            amount,
        });
    }
    Ok(Compensation {
        stage: request.stage,
        mode: request.mode,
        service_start: date,
        required_service_years: service.to_u8().unwrap_or(u8::MAX),
        years,
        total,
        instalments,
        rounding: format!(
            "each instalment but the last is the total ÷ {n} rounded half up to the fen; the last is the remainder"
        ),
        parameters_used: receipt.used.iter().map(ParameterUsed::from).collect(),
    })
}
