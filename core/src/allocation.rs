//! Allocation checks of assistance funds (帮扶资金分配): a region may require that a share of
//! a fund go to target groups, and tally its fund ledger (台账) on a fixed day of the month.
//!
//! Seed 003 (Beijing–Baoding education cooperation, 京保教育扶贫协作): "将帮扶资金的80%以上用于
//! 贫困村、贫困户、贫困学生和深度贫困地区" — more than 80% of the cooperation funds to poor
//! villages, poor households, poor students and deeply poor areas; "每月25日统计一次" — the
//! ledgers are tallied on the 25th of every month. A region states such a rule in its overlay
//! (`sections.allocation`); nothing here is specific to Baoding.
//!
//! ```json
//! "sections": { "allocation": { "rules": [ {
//!   "fund": "beijing_baoding_cooperation", "name_zh": "京保教育扶贫协作帮扶资金",
//!   "target_categories": ["poor_village", "poor_household", "poor_student", "deeply_poor_area"],
//!   "min_share_percent": "80", "strict": true, "tally_day": 25, "source": "seed 003" } ] } }
//! ```

use crate::money::Money;
use crate::{Error, Policy, Result};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What a fund ledger entry was spent on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 贫困村.
    PoorVillage,
    /// 贫困户.
    PoorHousehold,
    /// 贫困学生.
    PoorStudent,
    /// 深度贫困地区.
    DeeplyPoorArea,
    /// Anything else (training of teachers in general, administration, ...).
    Other,
}

/// One allocation rule of a region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationRule {
    /// The fund the rule governs.
    pub fund: String,
    /// Its Chinese name.
    #[serde(default)]
    pub name_zh: String,
    /// The categories that count towards the share.
    pub target_categories: Vec<Category>,
    /// The share required, in percent.
    pub min_share_percent: Decimal,
    /// True when the share must exceed the minimum ("80%以上" read as at least 80%: false;
    /// strictly more: true).
    #[serde(default)]
    pub strict: bool,
    /// Day of the month the ledger is tallied (1–28), if any.
    #[serde(default)]
    pub tally_day: Option<u32>,
    /// The document the rule comes from.
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Section {
    rules: Vec<AllocationRule>,
}

/// Validate a layer's `allocation` section (path inside the section, message).
pub(crate) fn validate_section(
    value: &serde_json::Value,
) -> std::result::Result<(), (String, String)> {
    let section: Section = serde_path_to_error::deserialize(value.clone()).map_err(|e| {
        let err = crate::json::path_error(e.path().to_string(), e.inner());
        (format!(".{}", err.field()), err.message())
    })?;
    for (i, r) in section.rules.iter().enumerate() {
        if r.target_categories.is_empty() {
            return Err((
                format!(".rules[{i}].target_categories"),
                "no target category".into(),
            ));
        }
        if r.min_share_percent < Decimal::ZERO || r.min_share_percent > Decimal::ONE_HUNDRED {
            return Err((
                format!(".rules[{i}].min_share_percent"),
                "a share runs from 0 to 100".into(),
            ));
        }
        if r.tally_day.is_some_and(|d| !(1..=28).contains(&d)) {
            return Err((
                format!(".rules[{i}].tally_day"),
                "a tally day runs from 1 to 28 (every month has it)".into(),
            ));
        }
        if r.source.trim().is_empty() {
            return Err((
                format!(".rules[{i}].source"),
                "a rule needs its source".into(),
            ));
        }
    }
    Ok(())
}

/// The allocation rules of the layers covering `region`.
pub fn rules(policy: &Policy, region: &str) -> Vec<AllocationRule> {
    policy
        .sections("allocation", region)
        .into_iter()
        .filter_map(|(_, v)| serde_json::from_value::<Section>(v.clone()).ok())
        .flat_map(|s| s.rules)
        .collect()
}

/// One entry of a fund ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerEntry {
    /// The fund.
    pub fund: String,
    /// Date of the payment.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub date: NaiveDate,
    /// Amount, yuan.
    pub amount: Money,
    /// What it went to.
    pub category: Category,
    /// Free text.
    #[serde(default)]
    pub note: String,
}

/// The outcome of checking a ledger against a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllocationCheck {
    /// The fund.
    pub fund: String,
    /// Total spent.
    pub total: Money,
    /// Spent on the target categories.
    pub targeted: Money,
    /// `targeted / total × 100`, rounded down to two decimals (so a share never looks
    /// better than it is); 0 when nothing was spent.
    pub share_percent: Decimal,
    /// The share required.
    pub required_percent: Decimal,
    /// Whether the rule holds.
    pub passes: bool,
    /// Yuan still to move to the target categories for the rule to hold (0 when it holds).
    pub shortfall: Money,
    /// The source of the rule.
    pub source: String,
}

/// Check the entries of `rule.fund` in `entries` (dated up to `as_of`) against the rule.
pub fn check(
    rule: &AllocationRule,
    entries: &[LedgerEntry],
    as_of: NaiveDate,
) -> Result<AllocationCheck> {
    let mut total = Money::ZERO;
    let mut targeted = Money::ZERO;
    for (i, e) in entries.iter().enumerate() {
        if e.amount.decimal().is_sign_negative() {
            return Err(Error::invalid(
                format!("entries[{i}].amount"),
                "out_of_range",
                "a ledger amount cannot be negative",
            ));
        }
        if e.fund != rule.fund || e.date > as_of {
            continue;
        }
        total += e.amount;
        if rule.target_categories.contains(&e.category) {
            targeted += e.amount;
        }
    }
    let share = if total.decimal().is_zero() {
        Decimal::ZERO
    } else {
        (targeted.decimal() * Decimal::ONE_HUNDRED / total.decimal())
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero)
    };
    // Exact test on the unrounded ratio: targeted × 100 against required × total.
    let lhs = targeted.decimal() * Decimal::ONE_HUNDRED;
    let rhs = rule.min_share_percent * total.decimal();
    let passes = !total.decimal().is_zero() && if rule.strict { lhs > rhs } else { lhs >= rhs };
    // Moving x yuan from other categories to targets: (targeted + x) × 100 ≥ required × total.
    let needed = (rhs / Decimal::ONE_HUNDRED - targeted.decimal()).max(Decimal::ZERO);
    let shortfall = if passes {
        Money::ZERO
    } else {
        Money(needed.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::AwayFromZero))
    };
    Ok(AllocationCheck {
        fund: rule.fund.clone(),
        total,
        targeted,
        share_percent: share,
        required_percent: rule.min_share_percent,
        passes,
        shortfall,
        source: rule.source.clone(),
    })
}

/// The tally dates of a rule between `from` and `to` inclusive (the `tally_day` of each
/// month), e.g. Baoding's 25th.
pub fn tally_dates(rule: &AllocationRule, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let Some(day) = rule.tally_day else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while let Some(d) = NaiveDate::from_ymd_opt(y, m, day) {
        if d > to {
            break;
        }
        if d >= from {
            out.push(d);
        }
        if m == 12 {
            y += 1;
            m = 1;
        } else {
            m += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rule() -> AllocationRule {
        AllocationRule {
            fund: "f".into(),
            name_zh: String::new(),
            target_categories: vec![
                Category::PoorVillage,
                Category::PoorHousehold,
                Category::PoorStudent,
                Category::DeeplyPoorArea,
            ],
            min_share_percent: Decimal::from(80),
            strict: false,
            tally_day: Some(25),
            source: "seed 003".into(),
        }
    }

    fn entry(amount: i64, category: Category) -> LedgerEntry {
        LedgerEntry {
            fund: "f".into(),
            date: d("2019-05-01"),
            amount: Money::yuan(amount),
            category,
            note: String::new(),
        }
    }

    #[test]
    fn eighty_percent_rule() {
        // 850 000 of 1 000 000 to targets: 85% ≥ 80%.
        let ok = check(
            &rule(),
            &[
                entry(850_000, Category::PoorStudent),
                entry(150_000, Category::Other),
            ],
            d("2019-12-31"),
        )
        .unwrap();
        assert!(ok.passes);
        assert_eq!(ok.share_percent, Decimal::from(85));
        // 700 000 of 1 000 000: 70%, short by 100 000.
        let bad = check(
            &rule(),
            &[
                entry(700_000, Category::PoorVillage),
                entry(300_000, Category::Other),
            ],
            d("2019-12-31"),
        )
        .unwrap();
        assert!(!bad.passes);
        assert_eq!(bad.shortfall, Money::yuan(100_000));
        // Exactly 80% passes unless the rule is strict.
        let edge = [
            entry(800, Category::PoorHousehold),
            entry(200, Category::Other),
        ];
        assert!(check(&rule(), &edge, d("2019-12-31")).unwrap().passes);
        assert!(
            !check(
                &AllocationRule {
                    strict: true,
                    ..rule()
                },
                &edge,
                d("2019-12-31")
            )
            .unwrap()
            .passes
        );
    }

    #[test]
    fn tallies_on_the_25th() {
        let dates = tally_dates(&rule(), d("2019-11-26"), d("2020-02-25"));
        assert_eq!(
            dates,
            vec![d("2019-12-25"), d("2020-01-25"), d("2020-02-25")]
        );
    }
}
