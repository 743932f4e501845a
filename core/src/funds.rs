//! School public funds (义务教育生均公用经费): what a compulsory-education school receives
//! for a term, and the total of a list of schools (programs.md, "Beyond per-student
//! entitlements"; policy-parameters.md §12; seed 004).
//!
//! Per pupil and year, read from the dated policy store on the term's first day
//! (`funds.json`):
//! - the base standard (基准定额) by stage: primary / junior 650 / 850, 720 / 940 from
//!   2023-02-01 (A17a, A17d);
//! - special-education pupils (pupils of special-education schools, disabled pupils in
//!   regular classes 随班就读, pupils taught at home 送教上门): 6000 (A17b, S18, S19);
//! - a boarding add-on per boarder: 200, 300 from 2023-02-01 (A17h, A34, A17d);
//! - rural schools with fewer than 100 pupils are funded as if they had 100 (不足100人的
//!   村小学和教学点按100人核定: Mudanjiang, seed 004; national status UNCONFIRMED, a
//!   default on).
//!
//! A term gets half of the yearly amount of each line.
//!
//! Readings where the spec is silent:
//! - the floor counts every pupil of the school, special-education pupils included; the
//!   missing pupils are funded at the base rate of the school's larger stage (primary on a
//!   tie), so a school of 60 pupils gets 40 pupils' worth of base funds on top;
//! - the floor applies to regular schools located `rural` (乡村); special-education schools
//!   are funded per pupil at the special rate without a floor;
//! - the boarding add-on is paid on the actual boarders, never on the floor.
//!
//! Pure: no I/O, no clock.

use crate::assessment::ParameterUsed;
use crate::calendar::Term;
use crate::loans::{parse_json, parse_value, request_region};
use crate::money::Money;
use crate::policy::Policy;
use crate::profile::SchoolLocation;
use crate::programs::{ReadParameters, Receipt};
use crate::{Error, Result};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Most schools in one request.
pub const MAX_SCHOOLS: usize = 200_000;

/// The kind of school, for funding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchoolKind {
    /// A regular primary, junior-middle or nine-year school, or a teaching point (教学点).
    #[default]
    Regular,
    /// A special-education school (特殊教育学校): every pupil at the special rate.
    SpecialEducation,
}

/// One school as the caller reports it for a term.
///
/// ```json
/// { "school_id": "MDJ-R01", "location": "rural", "primary_pupils": 60, "boarders": 30 }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct School {
    /// The caller's id of the school.
    pub school_id: String,
    /// Regular (default) or special-education school.
    #[serde(default)]
    pub kind: SchoolKind,
    /// Location class (城区 / 镇区 / 乡村): the small-school floor is for rural schools.
    pub location: SchoolLocation,
    /// Primary pupils taught in regular classes (not counting the two special-education
    /// counts below).
    #[serde(default)]
    pub primary_pupils: u32,
    /// Junior-middle pupils taught in regular classes (same).
    #[serde(default)]
    pub junior_middle_pupils: u32,
    /// Disabled pupils in regular classes (随班就读).
    #[serde(default)]
    pub inclusion_pupils: u32,
    /// Pupils on the school's roll taught at home (送教上门).
    #[serde(default)]
    pub home_teaching_pupils: u32,
    /// Pupils boarding at the school (寄宿生).
    #[serde(default)]
    pub boarders: u32,
    /// The school's region (GB/T 2260), if it differs from the request's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// The input of [`public_funds`]: one term, a list of schools.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundsRequest {
    /// The term, e.g. `2024-autumn`: the standards in force on its first day apply.
    pub term: Term,
    /// The region whose overlays apply; default: the policy's default region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The schools.
    pub schools: Vec<School>,
}

impl FundsRequest {
    /// Parse from JSON text; errors name the field.
    pub fn from_json(text: &str) -> Result<FundsRequest> {
        parse_json(text)
    }

    /// Parse from a JSON value; errors name the field.
    pub fn from_value(value: serde_json::Value) -> Result<FundsRequest> {
        parse_value(value)
    }
}

/// What a line of public funds pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundsItem {
    /// Base standard, primary pupils.
    BasePrimary,
    /// Base standard, junior-middle pupils.
    BaseJuniorMiddle,
    /// The pupils a small rural school lacks to the floor, at the base rate.
    SmallSchoolTopUp,
    /// Special-education pupils.
    SpecialEducation,
    /// The boarding add-on.
    Boarding,
}

/// One line of a school's funds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundsLine {
    /// What it pays for.
    pub item: FundsItem,
    /// The parameter of the rate.
    pub parameter: String,
    /// Pupils (or boarders) funded.
    pub pupils: u32,
    /// Yearly rate per pupil.
    pub rate: Money,
    /// Yearly amount: pupils × rate.
    pub annual: Money,
    /// The term's amount: half the yearly amount, rounded half up to the fen.
    pub term_amount: Money,
}

/// The funds of one school for the term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchoolFunds {
    /// The caller's id.
    pub school_id: String,
    /// Pupils on the roll (regular, inclusion and home-teaching pupils).
    pub pupils: u32,
    /// Pupils funded (the floor applied).
    pub funded_pupils: u32,
    /// Whether the small-school floor raised the count.
    pub small_school_floor_applied: bool,
    /// The lines.
    pub lines: Vec<FundsLine>,
    /// The yearly equivalent (sum of the lines' yearly amounts).
    pub annual: Money,
    /// The term's total (sum of the lines' term amounts).
    pub term_total: Money,
}

/// The public funds of a list of schools for one term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundsReport {
    /// The term.
    pub term: Term,
    /// Each school, in input order.
    pub schools: Vec<SchoolFunds>,
    /// The total for the term.
    pub total: Money,
    /// The rounding rule applied.
    pub rounding: String,
    /// Every dated figure read (the receipt).
    pub parameters_used: Vec<ParameterUsed>,
}

fn line(item: FundsItem, parameter: &str, pupils: u32, rate: Money) -> FundsLine {
    let annual = Money(rate.0 * Decimal::from(pupils));
    FundsLine {
        item,
        parameter: parameter.to_string(),
        pupils,
        rate,
        annual,
        term_amount: annual.half(),
    }
}

/// The public funds of every school in `request` for its term under `policy`.
///
/// Errors: a term before the coverage (`term`); a bad region (`region`,
/// `schools[i].region`); more boarders than pupils who can board (`schools[i].boarders`);
/// a school without pupils (`schools[i]`); too many schools (`schools`).
///
/// Rounding: each line's term amount is half its yearly amount, rounded half up to the
/// fen (exact for whole-yuan standards); a school's term total is the sum of its lines.
pub fn public_funds(request: &FundsRequest, policy: &Policy) -> Result<FundsReport> {
    let day = request.term.first_day();
    policy.check_in_force("term", day)?;
    let region = request_region(policy, &request.region, "region")?;
    if request.schools.len() > MAX_SCHOOLS {
        return Err(Error::invalid(
            "schools",
            "too_large",
            format!(
                "{} schools; the limit is {MAX_SCHOOLS} a call",
                request.schools.len()
            ),
        ));
    }
    let mut receipt = Receipt::default();
    let mut schools = Vec::with_capacity(request.schools.len());
    for (i, s) in request.schools.iter().enumerate() {
        let at = format!("schools[{i}]");
        let region = match &s.region {
            Some(_) => request_region(policy, &s.region, &format!("{at}.region"))?,
            None => region.clone(),
        };
        schools.push(school_funds(s, &at, &region, day, policy, &mut receipt)?);
    }
    let total = schools.iter().map(|s| s.term_total).sum();
    Ok(FundsReport {
        term: request.term,
        schools,
        total,
        rounding: "each line's term amount is half its yearly amount, rounded half up to the fen; totals are sums of lines".into(),
        parameters_used: receipt.used.iter().map(ParameterUsed::from).collect(),
    })
}

fn school_funds(
    s: &School,
    at: &str,
    region: &str,
    day: chrono::NaiveDate,
    policy: &Policy,
    receipt: &mut Receipt,
) -> Result<SchoolFunds> {
    let too_many = || {
        Error::invalid(
            format!("{at}.primary_pupils"),
            "out_of_range",
            "the pupil counts add up to more than 2^32",
        )
    };
    let regular = s
        .primary_pupils
        .checked_add(s.junior_middle_pupils)
        .ok_or_else(too_many)?;
    let special_in_regular = s
        .inclusion_pupils
        .checked_add(s.home_teaching_pupils)
        .ok_or_else(too_many)?;
    let pupils = regular
        .checked_add(special_in_regular)
        .ok_or_else(too_many)?;
    if pupils == 0 {
        return Err(Error::invalid(
            at,
            "no_pupils",
            "a school needs at least one pupil (primary_pupils, junior_middle_pupils, inclusion_pupils or home_teaching_pupils)",
        ));
    }
    // Pupils taught at home do not board.
    let can_board = pupils - s.home_teaching_pupils;
    if s.boarders > can_board {
        return Err(Error::invalid(
            format!("{at}.boarders"),
            "out_of_range",
            format!(
                "{} boarders but only {can_board} pupils taught at the school",
                s.boarders
            ),
        ));
    }
    let mut money = |name: &str| receipt.require_money(policy, name, region, day);
    let mut lines = Vec::new();
    let mut funded = pupils;
    let mut floor_applied = false;
    match s.kind {
        SchoolKind::SpecialEducation => {
            let p = "public_funds.special_education";
            lines.push(line(FundsItem::SpecialEducation, p, pupils, money(p)?));
        }
        SchoolKind::Regular => {
            let (pp, pj) = (
                "public_funds.base.primary",
                "public_funds.base.junior_middle",
            );
            if s.primary_pupils > 0 {
                lines.push(line(
                    FundsItem::BasePrimary,
                    pp,
                    s.primary_pupils,
                    money(pp)?,
                ));
            }
            if s.junior_middle_pupils > 0 {
                lines.push(line(
                    FundsItem::BaseJuniorMiddle,
                    pj,
                    s.junior_middle_pupils,
                    money(pj)?,
                ));
            }
            if special_in_regular > 0 {
                let p = "public_funds.special_education";
                lines.push(line(
                    FundsItem::SpecialEducation,
                    p,
                    special_in_regular,
                    money(p)?,
                ));
            }
            if s.location == SchoolLocation::Rural
                && receipt.flag(
                    policy,
                    "public_funds.small_school_floor.in_force",
                    region,
                    day,
                )?
            {
                let floor = receipt.number(
                    policy,
                    "public_funds.small_school_floor.pupils",
                    region,
                    day,
                )?;
                let floor = floor.to_u32().unwrap_or(0);
                if pupils < floor {
                    let p = if s.junior_middle_pupils > s.primary_pupils {
                        pj
                    } else {
                        pp
                    };
                    let rate = receipt.require_money(policy, p, region, day)?;
                    lines.push(line(FundsItem::SmallSchoolTopUp, p, floor - pupils, rate));
                    funded = floor;
                    floor_applied = true;
                }
            }
        }
    }
    if s.boarders > 0 {
        let p = "public_funds.boarding_addon";
        let rate = receipt.require_money(policy, p, region, day)?;
        lines.push(line(FundsItem::Boarding, p, s.boarders, rate));
    }
    Ok(SchoolFunds {
        school_id: s.school_id.clone(),
        pupils,
        funded_pupils: funded,
        small_school_floor_applied: floor_applied,
        annual: lines.iter().map(|l| l.annual).sum(),
        term_total: lines.iter().map(|l| l.term_amount).sum(),
        lines,
    })
}
