//! Overlay programs: programs a region adds in its overlay (`sections.programs`), written in
//! a generic rule vocabulary rather than in Rust, so that no region needs code of its own.
//!
//! ```json
//! "sections": { "programs": [ {
//!   "id": "150924.university_grant",          // "<region>.<name>", the overlay's region
//!   "name_zh": "泛海助学", "name_en": "Fanhai grant for university students",
//!   "kind": "cash",                           // cash | waiver | in_kind | loan | award
//!   "schedule": "yearly",                     // per_term | yearly (once, autumn term)
//!   "basis": "seed 002",                      // the document it comes from
//!   "from": "2019-09-01", "to": "2020-08-31", // optional dates in force
//!   "region_basis": "school",                 // optional: school (default) | hukou
//!   "when": { "stages": ["undergraduate", "higher_vocational"],
//!             "statuses_any": ["lifted_out_of_poverty"] },
//!   "amount": { "parameter": "150924.university_grant.amount" }
//! } ] }
//! ```
//!
//! Conditions (`when`, all must hold; `any_of` holds when one of its condition sets does):
//! `stages`, `grades`, `statuses_any` (key statuses in force: monitored only while
//! monitoring exists and the risk is not removed), `key_group`, `has_difficulty_level`,
//! `min_difficulty_level`, `boarding`, `hukou`, `school_locations`, `regions` (the school's
//! region lies in one of them), `full_time_formal`, `disabled`, `agriculture_major`,
//! `awards_any`, `veteran`, `institution`.
//!
//! Amounts are always dated parameters of the policy (so every figure carries its date and
//! source): `{"parameter": NAME}`, `{"by_stage": {STAGE: NAME}}`, or `{"tiered": PREFIX}`
//! (PREFIX.tiers.top / .middle / .bottom by difficulty level). A waiver may leave `amount`
//! out: its value is then 0.00 with the reason `local_fee_not_set`.

use crate::assessment::{Entitlement, NotEligible, Payment};
use crate::calendar::Term;
use crate::money::Money;
use crate::policy::Policy;
use crate::profile::{
    Award, DifficultyLevel, HouseholdStatus, Hukou, Institution, SchoolLocation, Stage,
};
use crate::programs::{tier_of, with_name, Facts, Kind, ReadParameters, Reads, RegionBasis};
use crate::reasons::{self as r, Arg, Reasons, Template};
use crate::Result;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How an overlay program's standard is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleSchedule {
    /// Half the annual standard each term.
    PerTerm,
    /// Once a year, in the first term of the school year the student is eligible in.
    Yearly,
}

/// Conditions of an overlay program; every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// The student's stage is one of these.
    #[serde(default)]
    pub stages: Option<Vec<Stage>>,
    /// The student's grade is one of these.
    #[serde(default)]
    pub grades: Option<Vec<u8>>,
    /// The household has one of these statuses (monitored ones only while in force).
    #[serde(default)]
    pub statuses_any: Option<Vec<HouseholdStatus>>,
    /// In a key group (重点保障对象), or not.
    #[serde(default)]
    pub key_group: Option<bool>,
    /// A difficulty level is present (assessed or derived), or not.
    #[serde(default)]
    pub has_difficulty_level: Option<bool>,
    /// The difficulty level is at least this one.
    #[serde(default)]
    pub min_difficulty_level: Option<DifficultyLevel>,
    /// Boards at school, or not.
    #[serde(default)]
    pub boarding: Option<bool>,
    /// Household registration.
    #[serde(default)]
    pub hukou: Option<Hukou>,
    /// The school location is one of these.
    #[serde(default)]
    pub school_locations: Option<Vec<SchoolLocation>>,
    /// The student's region (per the program's region basis) lies in one of these.
    #[serde(default)]
    pub regions: Option<Vec<String>>,
    /// Full-time formal enrolment, or not.
    #[serde(default)]
    pub full_time_formal: Option<bool>,
    /// The student has a disability grade, or not.
    #[serde(default)]
    pub disabled: Option<bool>,
    /// An agriculture-related major, or not.
    #[serde(default)]
    pub agriculture_major: Option<bool>,
    /// Holds one of these awards.
    #[serde(default)]
    pub awards_any: Option<Vec<Award>>,
    /// A veteran student, or not.
    #[serde(default)]
    pub veteran: Option<bool>,
    /// The institution kind.
    #[serde(default)]
    pub institution: Option<Institution>,
    /// At least one of these condition sets holds.
    #[serde(default)]
    pub any_of: Option<Vec<Conditions>>,
}

/// The amount of an overlay program: always dated parameters of the policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AmountRule {
    /// One parameter.
    Parameter(String),
    /// One parameter per stage.
    ByStage(BTreeMap<Stage, String>),
    /// `PREFIX.tiers.top|middle|bottom` by difficulty level (middle without a level).
    Tiered(String),
}

/// One overlay program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleProgram {
    /// `<region>.<name>`.
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    #[serde(default)]
    pub name_en: String,
    /// What it gives.
    pub kind: Kind,
    /// How it is paid.
    pub schedule: RuleSchedule,
    /// The document it comes from.
    pub basis: String,
    /// First day in force.
    #[serde(default)]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    pub from: Option<NaiveDate>,
    /// Last day in force.
    #[serde(default)]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    pub to: Option<NaiveDate>,
    /// Which region decides (school by default).
    #[serde(default)]
    pub region_basis: Option<RegionBasis>,
    /// The conditions.
    #[serde(default)]
    pub when: Conditions,
    /// The amount (optional for waivers only).
    #[serde(default)]
    pub amount: Option<AmountRule>,
}

/// Parse and validate the `programs` section of an overlay for `region`. Errors are (path
/// inside the section, message).
pub(crate) fn validate_section(
    value: &serde_json::Value,
    region: Option<&str>,
    parameters: &dyn Fn(&str) -> bool,
) -> std::result::Result<Vec<RuleProgram>, (String, String)> {
    let Some(region) = region else {
        return Err((
            String::new(),
            "only region overlays define programs; national programs are code".into(),
        ));
    };
    let programs: Vec<RuleProgram> =
        serde_path_to_error::deserialize(value.clone()).map_err(|e| {
            let err = crate::json::path_error(e.path().to_string(), e.inner());
            (prefix(err.field()), err.message())
        })?;
    for (i, p) in programs.iter().enumerate() {
        let at = format!("[{i}]");
        let Some(name) = p.id.strip_prefix(&format!("{region}.")) else {
            return Err((
                format!("{at}.id"),
                format!(
                    "program id '{}' must start with the overlay's region '{region}.'",
                    crate::json::clip(&p.id)
                ),
            ));
        };
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err((
                format!("{at}.id"),
                "after the region, a program id holds only a-z, 0-9 and '_'".into(),
            ));
        }
        if programs.iter().take(i).any(|q| q.id == p.id) {
            return Err((
                format!("{at}.id"),
                format!("program {} is defined twice", p.id),
            ));
        }
        if p.name_zh.trim().is_empty() {
            return Err((
                format!("{at}.name_zh"),
                "a program needs its Chinese name".into(),
            ));
        }
        if p.basis.trim().is_empty() {
            return Err((
                format!("{at}.basis"),
                "a program needs its basis (the document it comes from)".into(),
            ));
        }
        if let (Some(f), Some(t)) = (p.from, p.to) {
            if t < f {
                return Err((format!("{at}.to"), "'to' is before 'from'".into()));
            }
        }
        match (&p.amount, p.kind) {
            (None, Kind::Waiver) => {}
            (None, _) => {
                return Err((
                    format!("{at}.amount"),
                    "only a waiver may leave out its amount".into(),
                ))
            }
            (Some(rule), _) => {
                for (path, name) in amount_parameters(rule) {
                    if !parameters(&name) {
                        return Err((format!("{at}.amount{path}"), format!("no parameter '{}' is defined (define it under parameters, with its dated values and source)", crate::json::clip(&name))));
                    }
                }
            }
        }
        check_conditions(&p.when, &format!("{at}.when"))?;
    }
    Ok(programs)
}

fn prefix(field: &str) -> String {
    if field.is_empty() || field.starts_with('[') {
        field.to_string()
    } else {
        format!(".{field}")
    }
}

fn amount_parameters(rule: &AmountRule) -> Vec<(String, String)> {
    match rule {
        AmountRule::Parameter(p) => vec![(".parameter".into(), p.clone())],
        AmountRule::ByStage(m) => m
            .iter()
            .map(|(s, p)| (format!(".by_stage.{s}"), p.clone()))
            .collect(),
        AmountRule::Tiered(prefix) => ["top", "middle", "bottom"]
            .iter()
            .map(|t| (".tiered".to_string(), format!("{prefix}.tiers.{t}")))
            .collect(),
    }
}

fn check_conditions(c: &Conditions, at: &str) -> std::result::Result<(), (String, String)> {
    if let Some(grades) = &c.grades {
        if grades.iter().any(|g| *g == 0 || *g > 6) {
            return Err((format!("{at}.grades"), "grades run from 1 to 6".into()));
        }
    }
    if let Some(regions) = &c.regions {
        for (i, r) in regions.iter().enumerate() {
            if !crate::profile::is_region_code(r) {
                return Err((
                    format!("{at}.regions[{i}]"),
                    format!("'{}' is not a six-digit region code", crate::json::clip(r)),
                ));
            }
        }
    }
    for (name, empty) in [
        ("stages", c.stages.as_ref().is_some_and(Vec::is_empty)),
        ("grades", c.grades.as_ref().is_some_and(Vec::is_empty)),
        (
            "statuses_any",
            c.statuses_any.as_ref().is_some_and(Vec::is_empty),
        ),
        ("regions", c.regions.as_ref().is_some_and(Vec::is_empty)),
        ("any_of", c.any_of.as_ref().is_some_and(Vec::is_empty)),
    ] {
        if empty {
            return Err((
                format!("{at}.{name}"),
                format!("'{name}' is empty: it could never hold; leave it out instead"),
            ));
        }
    }
    for (i, inner) in c.any_of.iter().flatten().enumerate() {
        check_conditions(inner, &format!("{at}.any_of[{i}]"))?;
    }
    Ok(())
}

/// The overlay programs of the layers covering `region`, in load order (parsed once, when
/// the policy was built).
fn programs_for<'p>(
    policy: &'p Policy,
    region: &'p str,
) -> impl Iterator<Item = (&'p str, &'p RuleProgram)> {
    policy
        .layers_with_programs()
        .filter_map(move |(layer, programs)| {
            let layer_region = layer.region.as_deref()?;
            (!region.is_empty() && layer.covers(region)).then_some((layer_region, programs))
        })
        .flat_map(|(layer_region, programs)| programs.iter().map(move |p| (layer_region, p)))
}

/// Items shown joined with `", "`.
struct Joined<'a, T>(&'a [T]);

impl<T: std::fmt::Display> std::fmt::Display for Joined<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

/// A refusal for the one reason of template `t`.
// Both sides are reasons, one of them kept inline ([`Reasons`]): boxing the refusal would
// bring back the allocation the inline reason saves.
#[allow(clippy::result_large_err)]
fn refuse<const N: usize>(
    facts: &Facts,
    t: &'static Template,
    args: [(&'static str, Arg<'_>); N],
) -> std::result::Result<Reasons, Reasons> {
    let mut because = facts.because(1);
    because.add(t, args);
    Err(because.done())
}

/// Every overlay program of the loaded overlays, in load order, with the region of its
/// overlay (for catalogues and forms; the national programs are [`crate::CATALOGUE`]).
pub fn overlay_programs(policy: &Policy) -> Vec<(String, RuleProgram)> {
    let mut out = Vec::new();
    for layer in policy.layers() {
        let (Some(region), Some(value)) = (layer.region.as_ref(), layer.sections.get("programs"))
        else {
            continue;
        };
        if let Ok(list) = serde_json::from_value::<Vec<RuleProgram>>(value.clone()) {
            out.extend(list.into_iter().map(|p| (region.clone(), p)));
        }
    }
    out
}

/// Every overlay program of any layer, by id.
fn find(policy: &Policy, id: &str) -> Option<RuleProgram> {
    policy
        .layers()
        .iter()
        .filter_map(|l| l.sections.get("programs"))
        .find_map(|v| {
            serde_json::from_value::<Vec<RuleProgram>>(v.clone())
                .ok()?
                .into_iter()
                .find(|p| p.id == id)
        })
}

/// The profile fields an overlay program reads, or `None` when no overlay defines `id`.
pub fn required_inputs(id: &str, policy: &Policy) -> Option<Vec<String>> {
    let p = find(policy, id)?;
    let mut out: Vec<String> = vec!["stage".into(), "grade".into()];
    fn walk(c: &Conditions, out: &mut Vec<String>) {
        let mut add = |f: &str| {
            if !out.iter().any(|o| o == f) {
                out.push(f.to_string());
            }
        };
        if c.statuses_any.is_some()
            || c.key_group.is_some()
            || c.has_difficulty_level.is_some()
            || c.min_difficulty_level.is_some()
        {
            for f in [
                "household.statuses",
                "household.monitoring_risk_removed",
                "difficulty_level",
                "disability_grade",
            ] {
                add(f);
            }
        }
        if c.boarding.is_some() {
            add("boarding");
        }
        if c.hukou.is_some() {
            add("hukou");
        }
        if c.school_locations.is_some() {
            add("school_location");
        }
        if c.regions.is_some() {
            add("school_region");
        }
        if c.full_time_formal.is_some() {
            add("full_time_formal");
        }
        if c.disabled.is_some() {
            add("disability_grade");
        }
        if c.agriculture_major.is_some() {
            add("major.agriculture_related");
        }
        if c.awards_any.is_some() {
            add("awards");
        }
        if c.veteran.is_some() {
            add("veteran");
        }
        if c.institution.is_some() {
            add("institution");
        }
        for inner in c.any_of.iter().flatten() {
            walk(inner, out);
        }
    }
    walk(&p.when, &mut out);
    if matches!(p.amount, Some(AmountRule::Tiered(_))) {
        for f in ["household.statuses", "difficulty_level"] {
            if !out.iter().any(|o| o == f) {
                out.push(f.into());
            }
        }
    }
    if !out.iter().any(|o| o == "school_region") {
        out.push("school_region".into());
    }
    Some(out)
}

/// Check the conditions on `facts`: `Ok(reasons why)` or `Err(reasons why not)`.
#[allow(clippy::result_large_err)] // as `refuse`
fn check(c: &Conditions, facts: &Facts, region: &str) -> std::result::Result<Reasons, Reasons> {
    let p = facts.profile;
    let mut yes = facts.because(4);
    if let Some(stages) = &c.stages {
        if !stages.contains(&p.stage) {
            return refuse(
                facts,
                &r::STAGE_NOT_COVERED,
                [
                    ("stages", Arg::Stages(stages)),
                    ("stage", Arg::Str(p.stage.as_str())),
                ],
            );
        }
        yes.stage_in(facts);
    }
    if let Some(grades) = &c.grades {
        if !grades.contains(&p.grade) {
            return refuse(
                facts,
                &r::GRADE_NOT_COVERED,
                [
                    ("grades", Arg::Fmt(format_args!("{}", Joined(grades)))),
                    ("grade", Arg::Num(u64::from(p.grade))),
                ],
            );
        }
        yes.add(&r::GRADE_IN, [("grade", Arg::Num(u64::from(p.grade)))]);
    }
    if let Some(statuses) = &c.statuses_any {
        let held = |s: &&HouseholdStatus| {
            facts.key_statuses.contains(s)
                || (!s.is_monitoring_kind() && facts.statuses.contains(**s))
        };
        if !statuses.iter().any(|s| held(&s)) {
            return refuse(
                facts,
                &r::NO_QUALIFYING_STATUS,
                [("statuses", Arg::Fmt(format_args!("{}", Joined(statuses))))],
            );
        }
        for s in statuses.iter().filter(held) {
            yes.add(&r::HOUSEHOLD_STATUS, [("status", Arg::Str(s.as_str()))]);
        }
    }
    if let Some(want) = c.key_group {
        if facts.key != want {
            return refuse(facts, &r::NOT_KEY_GROUP, []);
        }
        yes.key_groups(facts);
    }
    if let Some(want) = c.has_difficulty_level {
        if facts.level.is_some() != want {
            return refuse(facts, &r::NO_DIFFICULTY_LEVEL, []);
        }
        yes.extend_from(&facts.level_reasons);
    }
    if let Some(min) = c.min_difficulty_level {
        if facts.level.is_none_or(|l| l.rank() < min.rank()) {
            return refuse(facts, &r::NO_DIFFICULTY_LEVEL, []);
        }
    }
    if let Some(want) = c.boarding {
        if p.boarding != want {
            return refuse(facts, &r::NOT_BOARDING, []);
        }
        if want {
            yes.add(&r::BOARDING, []);
        }
    }
    if let Some(h) = c.hukou {
        if p.hukou != h {
            return refuse(
                facts,
                &r::NO_QUALIFYING_GROUND,
                [("grounds", Arg::Fmt(format_args!("{h} hukou")))],
            );
        }
        if h == Hukou::Rural {
            yes.add(&r::RURAL_HUKOU, []);
        }
    }
    if let Some(locations) = &c.school_locations {
        let loc = p.effective_school_location();
        if !locations.contains(&loc) {
            return refuse(
                facts,
                &r::NO_QUALIFYING_GROUND,
                [("grounds", Arg::Fmt(format_args!("school location {loc}")))],
            );
        }
    }
    if let Some(regions) = &c.regions {
        if !regions
            .iter()
            .any(|r| !region.is_empty() && crate::policy::region_covers(r, region))
        {
            return refuse(
                facts,
                &r::NO_QUALIFYING_GROUND,
                [(
                    "grounds",
                    Arg::Fmt(format_args!("region {}", Joined(regions))),
                )],
            );
        }
    }
    if let Some(want) = c.full_time_formal {
        if p.full_time_formal != want {
            return refuse(facts, &r::NOT_FULL_TIME, []);
        }
        yes.add(&r::FULL_TIME_FORMAL, []);
    }
    if let Some(want) = c.disabled {
        if p.disability_grade.is_some() != want {
            return refuse(
                facts,
                &r::NO_QUALIFYING_GROUND,
                [("grounds", Arg::Str("disability"))],
            );
        }
    }
    if let Some(want) = c.agriculture_major {
        if p.major.agriculture_related != want {
            return refuse(
                facts,
                &r::NO_QUALIFYING_GROUND,
                [("grounds", Arg::Str("agriculture-related major"))],
            );
        }
    }
    if let Some(awards) = &c.awards_any {
        match awards.iter().find(|a| p.awards.contains(a)) {
            Some(a) => yes.add(&r::AWARD_GRANTED, [("award", Arg::Str(a.as_str()))]),
            None => {
                return refuse(
                    facts,
                    &r::AWARD_NOT_GRANTED,
                    [("award", Arg::Fmt(format_args!("{}", Joined(awards))))],
                );
            }
        }
    }
    if let Some(want) = c.veteran {
        if p.veteran != want {
            return refuse(
                facts,
                &r::NO_QUALIFYING_GROUND,
                [("grounds", Arg::Str("veteran"))],
            );
        }
    }
    if let Some(i) = c.institution {
        if p.institution != i {
            return refuse(
                facts,
                &r::NO_QUALIFYING_GROUND,
                [("grounds", Arg::Fmt(format_args!("institution {i}")))],
            );
        }
    }
    if let Some(options) = &c.any_of {
        let mut first_no = None;
        let mut matched = false;
        for option in options {
            match check(option, facts, region) {
                Ok(r) => {
                    yes.append(r);
                    matched = true;
                    break;
                }
                Err(r) if first_no.as_ref().is_none_or(|r: &Reasons| r.is_empty()) => {
                    first_no = Some(r)
                }
                Err(_) => {}
            }
        }
        if !matched {
            return Err(first_no.unwrap_or_default());
        }
    }
    Ok(yes.done())
}

fn in_force(p: &RuleProgram, date: NaiveDate) -> bool {
    p.from.is_none_or(|f| date >= f) && p.to.is_none_or(|t| date <= t)
}

fn amount<'p>(
    p: &RuleProgram,
    facts: &Facts,
    policy: &'p Policy,
    region: &str,
    receipt: &mut Reads<'p>,
) -> Result<Option<Money>> {
    let name = match &p.amount {
        None => return Ok(None),
        Some(AmountRule::Parameter(name)) => name.as_str(),
        Some(AmountRule::ByStage(map)) => match map.get(&facts.profile.stage) {
            Some(name) => name.as_str(),
            None => return Ok(None),
        },
        Some(AmountRule::Tiered(prefix)) => {
            let tier = facts.level.map(tier_of).unwrap_or("middle");
            return with_name(&[prefix, ".tiers.", tier], |name| {
                receipt.money(policy, name, region, facts.date)
            });
        }
    };
    receipt.money(policy, name, region, facts.date)
}

/// Evaluate the overlay programs of the layers covering the student's region.
pub(crate) fn evaluate_overlay_programs<'a>(
    facts: &Facts<'a>,
    terms: &[(Term, Facts<'a>)],
    policy: &'a Policy,
    receipt: &mut Reads<'a>,
    entitlements: &mut Vec<Entitlement>,
    not_eligible: &mut Vec<NotEligible>,
) -> Result<()> {
    let school = facts.region(RegionBasis::School);
    let hukou = facts.region(RegionBasis::Hukou);
    let mut seen: Vec<&str> = Vec::new();
    for candidate_region in [school, hukou] {
        for (layer_region, p) in programs_for(policy, candidate_region) {
            if seen.contains(&p.id.as_str()) {
                continue;
            }
            let basis = p.region_basis.unwrap_or(RegionBasis::School);
            let region = facts.region(basis);
            // A program applies to the students whose region (per its basis) the layer covers.
            if region.is_empty() || !crate::policy::region_covers(layer_region, region) {
                continue;
            }
            seen.push(&p.id);
            if !in_force(p, facts.date) {
                let mut because = facts.because(1);
                because.add(&r::RULE_NOT_IN_FORCE, [("from", Arg::Date(p.from))]);
                not_eligible.push(NotEligible {
                    program: p.id.clone().into(),
                    because: because.done(),
                });
                continue;
            }
            let because = match check(&p.when, facts, region) {
                Ok(r) => r,
                Err(why_not) => {
                    not_eligible.push(NotEligible {
                        program: p.id.clone().into(),
                        because: why_not,
                    });
                    continue;
                }
            };
            let mut all = facts.because(because.len() + 2);
            all.add(
                &r::REGIONAL_RULE,
                [
                    ("region", Arg::Text(layer_region)),
                    ("rule", Arg::Text(&p.name_zh)),
                ],
            );
            all.append(because);
            let annual = match amount(p, facts, policy, region, receipt)? {
                Some(a) => Some(a),
                None if p.kind == Kind::Waiver => {
                    all.add(&r::LOCAL_FEE_NOT_SET, []);
                    Some(Money::ZERO)
                }
                None => {
                    all.add(&r::REGIONAL_STANDARD_MISSING, []);
                    None
                }
            };
            let mut payments = Vec::new();
            for (term, tf) in terms {
                if p.schedule == RuleSchedule::Yearly && !payments.is_empty() {
                    continue;
                }
                if !in_force(p, tf.date) || check(&p.when, tf, region).is_err() {
                    continue;
                }
                let term_amount = match amount(p, tf, policy, region, receipt)? {
                    Some(a) => a,
                    None if p.kind == Kind::Waiver => Money::ZERO,
                    None => continue,
                };
                let amount = match p.schedule {
                    RuleSchedule::PerTerm => term_amount.half(),
                    RuleSchedule::Yearly => term_amount,
                };
                payments.push(Payment {
                    term: *term,
                    amount,
                });
            }
            let school_year_total = annual.map(|_| payments.iter().map(|p| p.amount).sum());
            entitlements.push(Entitlement {
                program: p.id.clone().into(),
                name_zh: p.name_zh.clone().into(),
                kind: p.kind,
                annual_amount: annual,
                payments,
                school_year_total,
                basis: p.basis.clone().into(),
                because: all.done(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::{evaluate, Policy, Profile};
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn shipped_overlays_load() {
        for region in Policy::shipped_regions() {
            Policy::national().with_region(region).unwrap();
        }
    }

    #[test]
    fn xinghe_university_student_2019() {
        // seed 002: 2019, 5000 yuan to each poor university student; loan cap 8000 (national).
        let policy = Policy::national().with_region("150924").unwrap();
        let p = Profile::from_json(
            r#"{"stage":"undergraduate","grade":2,"hukou":"rural","hukou_region":"150924",
                "school_region":"110108","household":{"statuses":["lifted_out_of_poverty"]}}"#,
        )
        .unwrap();
        let a = evaluate(&p, d("2019-10-01"), &policy).unwrap();
        let fanhai = a.entitlement("150924.fanhai_university_grant").unwrap();
        assert_eq!(fanhai.annual_amount.unwrap().to_string(), "5000.00");
        assert_eq!(
            a.entitlement("student_loan")
                .unwrap()
                .annual_amount
                .unwrap()
                .to_string(),
            "8000.00"
        );
        // The Social Security Fund grant is school-region based and ended 2019-08-31.
        assert!(a.entitlement("150924.social_security_fund_grant").is_none());
        let a = evaluate(&p, d("2020-10-01"), &policy).unwrap();
        assert!(a.entitlement("150924.fanhai_university_grant").is_none());
    }

    #[test]
    fn bad_overlay_program_is_rejected_with_line_and_field() {
        let text = r#"{
  "overlay": { "region": "150924" },
  "sections": { "programs": [
    { "id": "150924.x", "name_zh": "x", "kind": "cash", "schedule": "yearly", "basis": "test",
      "when": { "stages": ["primry"] },
      "amount": { "parameter": "150924.x.amount" } }
  ] }
}"#;
        let e = Policy::national().with_overlay("x.json", text).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::PolicyError);
        assert_eq!(e.field(), "sections.programs[0].when.stages[0]");
        assert!(e.message().contains("x.json:5"), "{}", e.message());
        let missing = text.replace(r#""stages": ["primry"]"#, r#""stages": ["primary"]"#);
        let e = Policy::national()
            .with_overlay("x.json", &missing)
            .unwrap_err();
        assert_eq!(e.field(), "sections.programs[0].amount.parameter");
    }
}
