//! Teacher allowances (教师补贴: 乡村教师生活补助 and local allowances): a generic, dated model
//! with no national amounts (programs.md, "Beyond per-student entitlements";
//! policy-parameters.md §13; seeds 000, 001, 002).
//!
//! An allowance is a rule of the `allowances` section of a policy layer: who gets it and a
//! dated amount parameter. The national layer declares the rural teacher living allowance
//! (乡村教师生活补助) with a regional-only amount; a region adds its own rules under its
//! region code, e.g. Jimo's transport allowance (seed 000):
//!
//! ```json
//! "parameters": {
//!   "370215.teacher_allowance.transport": { "unit": "yuan_per_month",
//!     "description": "偏远乡镇教师交通补贴",
//!     "values": [ { "from": "2019-01-01", "value": "60.00", "source": "seed 000" } ] }
//! },
//! "sections": { "allowances": [ {
//!   "id": "370215.transport",                 // "<region>.<name>" in an overlay
//!   "name_zh": "偏远乡镇教师交通补贴", "name": "Transport allowance, remote townships",
//!   "kind": "cash",                           // cash | in_kind
//!   "basis": "seed 000",
//!   "when": { "remoteness": ["remote"] },     // school_locations, remoteness,
//!                                             // recruited_from, recruited_to (years)
//!   "amount": { "parameter": "370215.teacher_allowance.transport" }
//!   // or { "by_remoteness": { "remote": NAME, "very_remote": NAME } }
//! } ] }
//! ```
//!
//! The cadence follows the amount parameter's unit: `yuan_per_month` is paid per month,
//! `yuan_per_year` per year, prorated by month (a twelfth a month). Remoteness classes
//! (偏远, 一类/二类 ...) are labels the region chooses; a teacher carries the label of the
//! school. A rule of an overlay may `replace` a rule of a layer below (e.g. the national
//! rural-teacher rule, when the region differentiates it by remoteness).
//!
//! [`teacher_allowances`] gives, for each teacher and a span of months, every allowance
//! granted with its monthly segments (one per dated value) and every allowance not granted
//! with why not. Pure: no I/O, no clock.

use crate::assessment::ParameterUsed;
use crate::loans::{parse_json, parse_value, request_region, to_fen};
use crate::money::Money;
use crate::policy::{Policy, Resolved, Unit};
use crate::profile::SchoolLocation;
use crate::programs::Receipt;
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Most teachers in one request.
pub const MAX_TEACHERS: usize = 200_000;
/// Longest span of months in one request (50 years).
pub const MAX_MONTHS: u32 = 600;

/// A calendar month, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YearMonth {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
}

impl YearMonth {
    /// Parse `2019-01`.
    pub fn parse(text: &str) -> Option<YearMonth> {
        let (y, m) = text.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let ym = YearMonth {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        ym.first_day().map(|_| ym)
    }

    /// The first day of the month.
    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    /// The month after.
    pub fn next(self) -> YearMonth {
        if self.month >= 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month of `date`.
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<YearMonth, D::Error> {
        let s = String::deserialize(d)?;
        YearMonth::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "'{}' is not a month such as 2019-01",
                crate::json::clip(&s)
            ))
        })
    }
}

/// What an allowance gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllowanceKind {
    /// Paid to the teacher.
    Cash,
    /// A service of that value (e.g. a free health check).
    InKind,
}

/// How an allowance is paid, from its amount parameter's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// `yuan_per_month`: the amount for every month.
    Monthly,
    /// `yuan_per_year`: a twelfth of the amount for every month.
    Yearly,
}

/// Who an allowance is for; every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowanceConditions {
    /// The school's location class is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_locations: Option<Vec<SchoolLocation>>,
    /// The school's remoteness class (a label of the region) is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remoteness: Option<Vec<String>>,
    /// Recruited in this year or later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recruited_from: Option<i32>,
    /// Recruited in this year or earlier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recruited_to: Option<i32>,
}

/// The amount of an allowance: dated parameters of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AllowanceAmount {
    /// One parameter for every teacher the rule covers.
    Parameter(String),
    /// One parameter per remoteness class.
    ByRemoteness(BTreeMap<String, String>),
}

/// One allowance rule of the `allowances` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowanceRule {
    /// Stable id: `<region>.<name>` in an overlay, `<name>` in the national layer.
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    #[serde(default)]
    pub name: String,
    /// Cash or in kind.
    pub kind: AllowanceKind,
    /// The document it comes from (a source tag or a seed).
    pub basis: String,
    /// The id of a rule of a layer below that this one replaces (overlays only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    /// Who it is for.
    #[serde(default)]
    pub when: AllowanceConditions,
    /// The amount.
    pub amount: AllowanceAmount,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Validate the `allowances` section of a layer for `region` (`None` = national);
/// `parameters` tells whether a parameter is defined in the layer or below. Errors are
/// (path inside the section, message).
pub(crate) fn validate_section(
    value: &serde_json::Value,
    region: Option<&str>,
    parameters: &dyn Fn(&str) -> bool,
) -> std::result::Result<Vec<AllowanceRule>, (String, String)> {
    let rules: Vec<AllowanceRule> =
        serde_path_to_error::deserialize(value.clone()).map_err(|e| {
            let err = crate::json::path_error(e.path().to_string(), e.inner());
            let field = err.field();
            let path = if field.is_empty() || field.starts_with('[') {
                field.to_string()
            } else {
                format!(".{field}")
            };
            (path, err.message())
        })?;
    for (i, rule) in rules.iter().enumerate() {
        let at = format!("[{i}]");
        let name = match region {
            Some(r) => rule.id.strip_prefix(&format!("{r}.")).ok_or_else(|| {
                (
                    format!("{at}.id"),
                    format!(
                        "allowance id '{}' must start with the overlay's region '{r}.'",
                        crate::json::clip(&rule.id)
                    ),
                )
            })?,
            None => rule.id.as_str(),
        };
        if !valid_name(name) {
            return Err((
                format!("{at}.id"),
                "an allowance id holds only a-z, 0-9 and '_' (after the region code in an overlay)"
                    .into(),
            ));
        }
        if rules.iter().take(i).any(|r| r.id == rule.id) {
            return Err((
                format!("{at}.id"),
                format!("allowance {} is defined twice", rule.id),
            ));
        }
        if rule.name_zh.trim().is_empty() {
            return Err((
                format!("{at}.name_zh"),
                "an allowance needs its Chinese name".into(),
            ));
        }
        if rule.basis.trim().is_empty() {
            return Err((
                format!("{at}.basis"),
                "an allowance needs its basis (the document it comes from)".into(),
            ));
        }
        if rule.replaces.is_some() && region.is_none() {
            return Err((
                format!("{at}.replaces"),
                "only an overlay's rule may replace a rule of the policy below it".into(),
            ));
        }
        let w = &rule.when;
        if let (Some(f), Some(t)) = (w.recruited_from, w.recruited_to) {
            if t < f {
                return Err((
                    format!("{at}.when.recruited_to"),
                    format!("recruited_to {t} is before recruited_from {f}"),
                ));
            }
        }
        for (field, empty) in [
            (
                "school_locations",
                w.school_locations.as_ref().is_some_and(Vec::is_empty),
            ),
            (
                "remoteness",
                w.remoteness.as_ref().is_some_and(Vec::is_empty),
            ),
        ] {
            if empty {
                return Err((
                    format!("{at}.when.{field}"),
                    format!("'{field}' is empty: it could never hold; leave it out instead"),
                ));
            }
        }
        let named: Vec<(String, &String)> = match &rule.amount {
            AllowanceAmount::Parameter(p) => vec![(".parameter".into(), p)],
            AllowanceAmount::ByRemoteness(map) => {
                if map.is_empty() {
                    return Err((
                        format!("{at}.amount.by_remoteness"),
                        "give at least one remoteness class and its parameter".into(),
                    ));
                }
                map.iter()
                    .map(|(class, p)| (format!(".by_remoteness.{class}"), p))
                    .collect()
            }
        };
        for (path, param) in named {
            if !parameters(param) {
                return Err((
                    format!("{at}.amount{path}"),
                    format!(
                        "no parameter '{}' is defined (define it under parameters, with its unit, dated values and source)",
                        crate::json::clip(param)
                    ),
                ));
            }
        }
    }
    Ok(rules)
}

/// The rules of the layers covering `region`, national first, replaced rules removed.
pub fn rules_for(policy: &Policy, region: &str) -> Vec<AllowanceRule> {
    let mut out: Vec<AllowanceRule> = Vec::new();
    for layer in policy.layers() {
        if layer.region.is_some() && (region.is_empty() || !layer.covers(region)) {
            continue;
        }
        let Some(value) = layer.sections.get("allowances") else {
            continue;
        };
        // Validated at load, so this parses.
        let Ok(rules) = serde_json::from_value::<Vec<AllowanceRule>>(value.clone()) else {
            continue;
        };
        for rule in rules {
            if let Some(old) = &rule.replaces {
                out.retain(|r| &r.id != old);
            }
            out.retain(|r| r.id != rule.id);
            out.push(rule);
        }
    }
    out
}

/// One teacher as the caller reports it.
///
/// ```json
/// { "teacher_id": "T-001", "school_location": "rural", "remoteness": "remote",
///   "recruited_year": 2016 }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Teacher {
    /// The caller's id.
    pub teacher_id: String,
    /// The location class of the teacher's school.
    pub school_location: SchoolLocation,
    /// The remoteness class of the school, as the region labels it (e.g. `remote`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remoteness: Option<String>,
    /// The year the teacher was recruited (to this post).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recruited_year: Option<i32>,
    /// The school's region, if it differs from the request's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// The input of [`teacher_allowances`]: a span of months and the teachers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowanceRequest {
    /// First month, `YYYY-MM`.
    pub from_month: YearMonth,
    /// Last month, inclusive.
    pub to_month: YearMonth,
    /// The region whose overlays apply; default: the policy's default region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The teachers.
    pub teachers: Vec<Teacher>,
}

impl AllowanceRequest {
    /// Parse from JSON text; errors name the field.
    pub fn from_json(text: &str) -> Result<AllowanceRequest> {
        parse_json(text)
    }

    /// Parse from a JSON value; errors name the field.
    pub fn from_value(value: serde_json::Value) -> Result<AllowanceRequest> {
        parse_value(value)
    }
}

/// Months paid at one dated value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowanceSegment {
    /// First month.
    pub from_month: YearMonth,
    /// Last month.
    pub to_month: YearMonth,
    /// Number of months.
    pub months: u32,
    /// The value in force (per month or per year, as the cadence says).
    pub rate: Money,
    /// The first day of the value.
    pub effective_from: NaiveDate,
    /// The segment's amount.
    pub amount: Money,
}

/// An allowance granted to a teacher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowanceLine {
    /// The rule's id.
    pub allowance: String,
    /// Chinese name.
    pub name_zh: String,
    /// Cash or in kind.
    pub kind: AllowanceKind,
    /// Monthly or yearly.
    pub cadence: Cadence,
    /// The amount parameter.
    pub parameter: String,
    /// The document.
    pub basis: String,
    /// Months paid.
    pub months: u32,
    /// The months, by dated value.
    pub segments: Vec<AllowanceSegment>,
    /// The total over the span.
    pub amount: Money,
}

/// An allowance not granted, with why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowanceNotGranted {
    /// The rule's id.
    pub allowance: String,
    /// A stable code: `school_location_not_covered`, `remoteness_not_covered`,
    /// `recruited_year_not_covered`, `recruited_year_missing`, `not_in_force`,
    /// `regional_standard_missing`.
    pub code: String,
    /// A sentence.
    pub message: String,
}

/// The allowances of one teacher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeacherAllowances {
    /// The caller's id.
    pub teacher_id: String,
    /// Allowances granted.
    pub lines: Vec<AllowanceLine>,
    /// Allowances not granted.
    pub not_granted: Vec<AllowanceNotGranted>,
    /// Cash total over the span.
    pub cash_total: Money,
    /// In-kind total over the span.
    pub in_kind_total: Money,
}

/// The allowances of a list of teachers over a span of months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowanceReport {
    /// First month.
    pub from_month: YearMonth,
    /// Last month.
    pub to_month: YearMonth,
    /// Each teacher, in input order.
    pub teachers: Vec<TeacherAllowances>,
    /// Cash total of all teachers.
    pub cash_total: Money,
    /// In-kind total of all teachers.
    pub in_kind_total: Money,
    /// The rounding rule applied.
    pub rounding: String,
    /// Every dated figure read (the receipt).
    pub parameters_used: Vec<ParameterUsed>,
}

fn not_granted(rule: &AllowanceRule, code: &str, message: String) -> AllowanceNotGranted {
    AllowanceNotGranted {
        allowance: rule.id.clone(),
        code: code.into(),
        message,
    }
}

/// Why `teacher` is not covered by `rule`'s conditions, if not.
fn check(rule: &AllowanceRule, teacher: &Teacher) -> Option<AllowanceNotGranted> {
    let w = &rule.when;
    if let Some(locations) = &w.school_locations {
        if !locations.contains(&teacher.school_location) {
            let list: Vec<&str> = locations.iter().map(|l| l.as_str()).collect();
            return Some(not_granted(
                rule,
                "school_location_not_covered",
                format!(
                    "for schools located {}; the school is {}",
                    list.join(", "),
                    teacher.school_location
                ),
            ));
        }
    }
    if let Some(classes) = &w.remoteness {
        if !teacher
            .remoteness
            .as_ref()
            .is_some_and(|r| classes.contains(r))
        {
            return Some(not_granted(
                rule,
                "remoteness_not_covered",
                format!(
                    "for schools of remoteness {}; the school is {}",
                    classes.join(", "),
                    teacher.remoteness.as_deref().unwrap_or("not classed")
                ),
            ));
        }
    }
    if w.recruited_from.is_some() || w.recruited_to.is_some() {
        let range = format!(
            "{}–{}",
            w.recruited_from.map(|y| y.to_string()).unwrap_or_default(),
            w.recruited_to.map(|y| y.to_string()).unwrap_or_default()
        );
        let Some(year) = teacher.recruited_year else {
            return Some(not_granted(
                rule,
                "recruited_year_missing",
                format!("for teachers recruited in {range}; the recruitment year is not given"),
            ));
        };
        if w.recruited_from.is_some_and(|f| year < f) || w.recruited_to.is_some_and(|t| year > t) {
            return Some(not_granted(
                rule,
                "recruited_year_not_covered",
                format!("for teachers recruited in {range}; recruited in {year}"),
            ));
        }
    }
    None
}

/// The allowance `rule` for `teacher` over `months`.
fn allowance(
    rule: &AllowanceRule,
    teacher: &Teacher,
    region: &str,
    from: YearMonth,
    to: YearMonth,
    policy: &Policy,
    receipt: &mut Receipt,
) -> Result<std::result::Result<AllowanceLine, AllowanceNotGranted>> {
    if let Some(why) = check(rule, teacher) {
        return Ok(Err(why));
    }
    let parameter = match &rule.amount {
        AllowanceAmount::Parameter(p) => p.clone(),
        AllowanceAmount::ByRemoteness(map) => {
            match teacher.remoteness.as_ref().and_then(|r| map.get(r)) {
                Some(p) => p.clone(),
                None => {
                    let classes: Vec<&str> = map.keys().map(String::as_str).collect();
                    return Ok(Err(not_granted(
                        rule,
                        "remoteness_not_covered",
                        format!(
                            "amounts are set for remoteness {}; the school is {}",
                            classes.join(", "),
                            teacher.remoteness.as_deref().unwrap_or("not classed")
                        ),
                    )));
                }
            }
        }
    };
    // The unit decides the cadence; the parameter exists (checked at load).
    let unit = policy
        .layers()
        .iter()
        .rev()
        .find_map(|l| l.parameters.get(&parameter))
        .map(|p| p.unit);
    let cadence = match unit {
        Some(Unit::YuanPerMonth) => Cadence::Monthly,
        Some(Unit::YuanPerYear) => Cadence::Yearly,
        other => {
            return Err(Error::Policy {
                file: "policy".into(),
                line: 0,
                field: parameter.clone(),
                code: "invalid_value".into(),
                message: format!(
                    "allowance {} reads {parameter}, whose unit {other:?} is neither yuan_per_month nor yuan_per_year",
                    rule.id
                ),
            })
        }
    };
    let mut segments: Vec<(YearMonth, YearMonth, u32, Resolved)> = Vec::new();
    let mut month = from;
    while month <= to {
        if let Some(day) = month.first_day() {
            if let Some(r) = policy.lookup(&parameter, region, day) {
                match segments.last_mut() {
                    Some((_, last, n, prev))
                        if prev.effective_from == r.effective_from
                            && prev.region == r.region
                            && last.next() == month =>
                    {
                        *last = month;
                        *n += 1;
                    }
                    _ => segments.push((month, month, 1, r)),
                }
            }
        }
        month = month.next();
    }
    if segments.is_empty() {
        let any_value = policy
            .layers()
            .iter()
            .filter(|l| l.region.is_none() || (!region.is_empty() && l.covers(region)))
            .filter_map(|l| l.parameters.get(&parameter))
            .any(|p| !p.values.is_empty());
        return Ok(Err(if any_value {
            not_granted(
                rule,
                "not_in_force",
                format!("{parameter} has no value in force from {from} to {to}"),
            )
        } else {
            not_granted(
                rule,
                "regional_standard_missing",
                format!(
                    "{} has no national amount and no overlay for region '{region}' sets {parameter}",
                    rule.name_zh
                ),
            )
        }));
    }
    let mut out = Vec::with_capacity(segments.len());
    for (first, last, n, r) in segments {
        let rate = match r.decimal() {
            Some(d) => Money(d),
            None => {
                return Err(Error::Policy {
                    file: "policy".into(),
                    line: 0,
                    field: parameter.clone(),
                    code: "invalid_value".into(),
                    message: format!("parameter {parameter} is not an amount"),
                })
            }
        };
        crate::loans::record(receipt, &r);
        let amount = match cadence {
            Cadence::Monthly => Money(rate.0 * Decimal::from(n)),
            Cadence::Yearly => to_fen(rate.0 * Decimal::from(n) / Decimal::from(12)),
        };
        out.push(AllowanceSegment {
            from_month: first,
            to_month: last,
            months: n,
            rate,
            effective_from: r.effective_from,
            amount,
        });
    }
    Ok(Ok(AllowanceLine {
        allowance: rule.id.clone(),
        name_zh: rule.name_zh.clone(),
        kind: rule.kind,
        cadence,
        parameter,
        basis: rule.basis.clone(),
        months: out.iter().map(|s| s.months).sum(),
        amount: out.iter().map(|s| s.amount).sum(),
        segments: out,
    }))
}

/// The allowances of every teacher in `request` over its span of months, under `policy`.
///
/// Errors: `to_month` before `from_month` or a span over [`MAX_MONTHS`] (`to_month`); a
/// span starting before the coverage (`from_month`); a bad region (`region`,
/// `teachers[i].region`); too many teachers (`teachers`).
///
/// Rounding: a monthly allowance is exact (months × the monthly amount); a yearly one is
/// prorated per segment of months at one dated value, value × months ÷ 12, rounded half up
/// to the fen.
pub fn teacher_allowances(request: &AllowanceRequest, policy: &Policy) -> Result<AllowanceReport> {
    let (from, to) = (request.from_month, request.to_month);
    if to < from {
        return Err(Error::invalid(
            "to_month",
            "out_of_range",
            format!("{to} is before from_month {from}"),
        ));
    }
    if to.index() - from.index() >= i64::from(MAX_MONTHS) {
        return Err(Error::invalid(
            "to_month",
            "out_of_range",
            format!("the span is longer than {MAX_MONTHS} months"),
        ));
    }
    if let Some(day) = from.first_day() {
        policy.check_in_force("from_month", day)?;
    }
    if request.teachers.len() > MAX_TEACHERS {
        return Err(Error::invalid(
            "teachers",
            "too_large",
            format!(
                "{} teachers; the limit is {MAX_TEACHERS} a call",
                request.teachers.len()
            ),
        ));
    }
    let region = request_region(policy, &request.region, "region")?;
    let mut receipt = Receipt::default();
    let mut teachers = Vec::with_capacity(request.teachers.len());
    let mut cache: BTreeMap<String, Vec<AllowanceRule>> = BTreeMap::new();
    for (i, t) in request.teachers.iter().enumerate() {
        let region = match &t.region {
            Some(_) => request_region(policy, &t.region, &format!("teachers[{i}].region"))?,
            None => region.clone(),
        };
        let rules = cache
            .entry(region.clone())
            .or_insert_with(|| rules_for(policy, &region))
            .clone();
        let mut lines = Vec::new();
        let mut not = Vec::new();
        for rule in &rules {
            match allowance(rule, t, &region, from, to, policy, &mut receipt)? {
                Ok(line) => lines.push(line),
                Err(why) => not.push(why),
            }
        }
        let total = |kind: AllowanceKind, lines: &[AllowanceLine]| -> Money {
            lines
                .iter()
                .filter(|l| l.kind == kind)
                .map(|l| l.amount)
                .sum()
        };
        teachers.push(TeacherAllowances {
            teacher_id: t.teacher_id.clone(),
            cash_total: total(AllowanceKind::Cash, &lines),
            in_kind_total: total(AllowanceKind::InKind, &lines),
            lines,
            not_granted: not,
        });
    }
    Ok(AllowanceReport {
        from_month: from,
        to_month: to,
        cash_total: teachers.iter().map(|t| t.cash_total).sum(),
        in_kind_total: teachers.iter().map(|t| t.in_kind_total).sum(),
        teachers,
        rounding: "monthly allowances: months × monthly amount (exact); yearly allowances: yearly amount × months ÷ 12 per dated segment, rounded half up to the fen".into(),
        parameters_used: receipt.used.iter().map(ParameterUsed::from).collect(),
    })
}
