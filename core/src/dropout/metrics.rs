//! Metrics of dropout control: the consolidation rate (巩固率), the dropout rate (辍学率)
//! and dynamic-zero status (动态清零), compared with the targets in force.
//!
//! Rates are exact decimal ratios reported as percentages rounded to two decimals, half
//! away from zero (190 / 197 = 96.4467…% → `96.45`). A target is met when the exact
//! ratio reaches it: rounding never lifts a rate over its target.

use super::case::{Case, Classification, Event};
use super::ledger::{ledger_of, Ledger};
use super::Priority;
use crate::calendar::SchoolYear;
use crate::policy::Policy;
use crate::profile::HouseholdStatus;
use crate::{Error, Result};
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A ratio as a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rate {
    /// Numerator.
    pub numerator: u64,
    /// Denominator.
    pub denominator: u64,
    /// numerator ÷ denominator × 100, rounded to two decimals half away from zero.
    #[serde(with = "rust_decimal::serde::str")]
    pub percent: Decimal,
}

impl Rate {
    /// The rate `numerator / denominator`; the denominator must be positive (`field` names
    /// it in the error).
    pub fn new(numerator: u64, denominator: u64, field: &str) -> Result<Rate> {
        if denominator == 0 {
            return Err(Error::invalid(
                field,
                "out_of_range",
                "the base of the rate is zero: there is nothing to divide by",
            ));
        }
        let exact = Decimal::from(numerator) * Decimal::ONE_HUNDRED / Decimal::from(denominator);
        Ok(Rate {
            numerator,
            denominator,
            percent: exact.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        })
    }

    /// Whether the exact ratio reaches `target` percent.
    pub fn reaches(&self, target: Decimal) -> bool {
        Decimal::from(self.numerator) * Decimal::ONE_HUNDRED
            >= target * Decimal::from(self.denominator)
    }
}

/// Which consolidation rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CohortKind {
    /// 小学巩固率: grade-6 graduates vs the grade-1 entrants five years earlier.
    Primary,
    /// 初中巩固率: junior grade-3 graduates vs the junior grade-1 entrants two years
    /// earlier.
    JuniorMiddle,
    /// 九年义务教育巩固率: junior grade-3 graduates vs the primary grade-1 entrants eight
    /// years earlier.
    NineYear,
}

impl CohortKind {
    /// Years from entry to the graduating year.
    pub fn span_years(self) -> i32 {
        match self {
            CohortKind::Primary => 5,
            CohortKind::JuniorMiddle => 2,
            CohortKind::NineYear => 8,
        }
    }

    /// The parameter holding the target.
    pub fn target_parameter(self) -> &'static str {
        match self {
            CohortKind::Primary => "dropout.target.consolidation.primary",
            CohortKind::JuniorMiddle => "dropout.target.consolidation.junior_middle",
            CohortKind::NineYear => "dropout.target.consolidation.nine_year",
        }
    }
}

/// The counts of one cohort (S21: 毕业人数 ÷ 入学人数 net of normal transfers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortCounts {
    /// Grade-1 entrants.
    pub entrants: u64,
    /// Normal transfers out over the cohort's years.
    #[serde(default)]
    pub transferred_out: u64,
    /// Normal transfers in.
    #[serde(default)]
    pub transferred_in: u64,
    /// Deaths.
    #[serde(default)]
    pub deaths: u64,
    /// Graduates of the final grade.
    pub graduates: u64,
}

impl CohortCounts {
    /// The base: entrants − transfers out + transfers in − deaths (an error if not
    /// positive).
    pub fn base(&self) -> Result<u64> {
        (self.entrants + self.transferred_in)
            .checked_sub(self.transferred_out + self.deaths)
            .filter(|b| *b > 0)
            .ok_or_else(|| {
                Error::invalid(
                    "entrants",
                    "out_of_range",
                    "entrants − transfers out + transfers in − deaths is not positive",
                )
            })
    }
}

/// A consolidation rate compared with its target.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Consolidation {
    /// Which rate.
    pub kind: CohortKind,
    /// The graduating school year, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graduation_year: Option<SchoolYear>,
    /// The entry school year (graduation year − span), if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_year: Option<SchoolYear>,
    /// The rate: graduates ÷ net base.
    pub rate: Rate,
    /// The target in force, percent.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_decimal")]
    pub target: Option<Decimal>,
    /// The target's source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_source: Option<String>,
    /// Whether the exact rate reaches the target (None without a target).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meets_target: Option<bool>,
}

mod opt_decimal {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|t| t.parse().map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// The consolidation rate of a cohort (巩固率, S21): graduates ÷ (entrants − transfers out +
/// transfers in − deaths) × 100.
pub fn consolidation_rate(counts: &CohortCounts) -> Result<Rate> {
    Rate::new(counts.graduates, counts.base()?, "entrants")
}

/// The consolidation rate of `kind` for a cohort graduating on `graduation` (a date in the
/// graduating school year), compared with the target in force then for `region`
/// (national nine-year 95%, S04; primary and junior targets are regional: Jize 99% / 95%,
/// seed 001).
pub fn consolidation(
    kind: CohortKind,
    counts: &CohortCounts,
    graduation: NaiveDate,
    region: &str,
    policy: &Policy,
) -> Result<Consolidation> {
    let rate = consolidation_rate(counts)?;
    let target = policy.lookup(kind.target_parameter(), region, graduation);
    let year = SchoolYear::containing(graduation);
    let value = target.as_ref().and_then(|t| t.decimal());
    Ok(Consolidation {
        kind,
        graduation_year: Some(year),
        entry_year: Some(SchoolYear(year.0 - kind.span_years())),
        rate,
        target: value,
        target_source: target.map(|t| t.source),
        meets_target: value.map(|t| rate.reaches(t)),
    })
}

/// The dropout rate of a school year (辍学率): dropouts in the year ÷ enrolment at its
/// start × 100.
pub fn dropout_rate(dropouts: u64, enrolment_at_start: u64) -> Result<Rate> {
    Rate::new(dropouts, enrolment_at_start, "enrolment_at_start")
}

/// The students who became dropouts in `year`: a case classified as dropout on a date in
/// the year, or closed as aged out in the year without having been a dropout before (an
/// aged-out case counts in the dropout statistics, dropout-control.md). Each student once.
pub fn dropouts_in_year(cases: &[Case], year: SchoolYear) -> BTreeSet<String> {
    let first = year.first_day();
    let next = SchoolYear(year.0 + 1).first_day();
    let within = |d: NaiveDate| first <= d && d < next;
    let mut out = BTreeSet::new();
    for case in cases {
        let became_dropout =
            (case.classification == Classification::Dropout).then_some(case.classified_on);
        let aged_out = case.events.iter().find_map(|e| match e {
            Event::AgedOut { date } => Some(*date),
            _ => None,
        });
        let counted = match (became_dropout, aged_out) {
            (Some(d), _) => within(d),
            (None, Some(d)) => within(d),
            (None, None) => false,
        };
        if counted {
            out.insert(case.student.student_id.clone());
        }
    }
    out
}

/// The level at which regions are rolled up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// As recorded (usually counties).
    County,
    /// Prefectures (`XXXX00`).
    Prefecture,
    /// Provinces (`XX0000`).
    Province,
}

/// The code of `region` at `level` (`130431` → `130400` → `130000`).
pub fn roll_up(region: &str, level: RegionLevel) -> String {
    let keep = match level {
        RegionLevel::County => return region.to_string(),
        RegionLevel::Prefecture => 4,
        RegionLevel::Province => 2,
    };
    match region.get(..keep) {
        Some(head) if region.len() == 6 => format!("{head:0<6}"),
        _ => region.to_string(),
    }
}

/// Dynamic-zero status (动态清零) of one region and group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ZeroStatus {
    /// Region code at the requested level (empty = no region).
    pub region: String,
    /// `all`, `key_group`, a household status or a vulnerable group.
    pub group: String,
    /// Open cases on the suspected-dropout ledger.
    pub open_suspected: u64,
    /// Open cases on the dropout ledger.
    pub open_dropouts: u64,
    /// Whether the dropout count is zero (the target of 动态清零).
    pub clear: bool,
}

/// Dynamic-zero status on `as_of` per region (rolled up to `level`) and group: a row for
/// every region with a case, for `all` and `key_group`, and for each household status and
/// vulnerable group present among the region's cases. Sorted by region then group.
pub fn dynamic_zero(
    cases: &[Case],
    as_of: NaiveDate,
    level: RegionLevel,
    policy: &Policy,
) -> Result<Vec<ZeroStatus>> {
    let mut table: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for (i, case) in cases.iter().enumerate() {
        let Some(then) = case
            .as_of(as_of, policy)
            .map_err(|e| super::within(e, &format!("cases[{i}]")))?
        else {
            continue;
        };
        let region = roll_up(&then.student.region, level);
        let p = Priority::of(&then.student, as_of, policy)?;
        let mut groups = vec!["all".to_string(), "key_group".to_string()];
        groups.extend(
            then.student
                .household_statuses
                .iter()
                .map(|s: &HouseholdStatus| s.as_str().to_string()),
        );
        groups.extend(p.groups.iter().map(|g| g.as_str().to_string()));
        groups.sort();
        groups.dedup();
        let (s, d) = match (then.status.is_closed(), ledger_of(&then)) {
            (false, Some(Ledger::Dropout)) => (0, 1),
            (false, Some(Ledger::SuspectedDropout)) => (1, 0),
            _ => (0, 0),
        };
        for g in groups {
            let counts_in_group = g != "key_group" || p.key_group;
            let entry = table.entry((region.clone(), g)).or_insert((0, 0));
            if counts_in_group {
                entry.0 += s;
                entry.1 += d;
            }
        }
    }
    Ok(table
        .into_iter()
        .map(|((region, group), (s, d))| ZeroStatus {
            region,
            group,
            open_suspected: s,
            open_dropouts: d,
            clear: d == 0,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn the_hand_computed_primary_cohort() {
        // 200 entrants, 5 out, 3 in, 1 death, 190 graduates: 190 / 197 = 96.4467…% → 96.45.
        let c = CohortCounts {
            entrants: 200,
            transferred_out: 5,
            transferred_in: 3,
            deaths: 1,
            graduates: 190,
        };
        let r = consolidation_rate(&c).unwrap();
        assert_eq!(r.denominator, 197);
        assert_eq!(r.percent, Decimal::from_str("96.45").unwrap());
        assert!(!r.reaches(Decimal::from(99)));
        assert!(r.reaches(Decimal::from(95)));
    }

    #[test]
    fn rounding_is_half_away_from_zero_and_targets_use_the_exact_ratio() {
        // 1 / 8 = 12.5%; 1 / 16 = 6.25%; 1 / 32 = 3.125% → 3.13.
        assert_eq!(Rate::new(1, 32, "x").unwrap().percent.to_string(), "3.13");
        // 18999 / 20000 = 94.995% rounds to 95.00 but does not reach 95.
        let r = Rate::new(18999, 20000, "x").unwrap();
        assert_eq!(r.percent.to_string(), "95.00");
        assert!(!r.reaches(Decimal::from(95)));
        assert!(Rate::new(1, 0, "x").is_err());
        assert!(CohortCounts {
            entrants: 1,
            deaths: 1,
            ..Default::default()
        }
        .base()
        .is_err());
    }

    #[test]
    fn roll_ups() {
        assert_eq!(roll_up("130431", RegionLevel::Prefecture), "130400");
        assert_eq!(roll_up("130431", RegionLevel::Province), "130000");
        assert_eq!(roll_up("", RegionLevel::Province), "");
    }

    #[test]
    fn national_nine_year_target() {
        let p = Policy::national();
        let c = CohortCounts {
            entrants: 1000,
            graduates: 952,
            ..Default::default()
        };
        let d = NaiveDate::from_ymd_opt(2020, 7, 1).unwrap();
        let r = consolidation(CohortKind::NineYear, &c, d, "", &p).unwrap();
        assert_eq!(r.target, Some(Decimal::from(95)));
        assert_eq!(r.meets_target, Some(true));
        assert_eq!(r.entry_year, Some(SchoolYear(2011)));
        // No national primary target.
        let r = consolidation(CohortKind::Primary, &c, d, "", &p).unwrap();
        assert_eq!(r.meets_target, None);
    }
}
