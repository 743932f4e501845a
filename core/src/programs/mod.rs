//! The program catalogue (programs.md) and what every program shares: the facts derived
//! from a profile on a date (key groups, difficulty level), the context that reads dated
//! parameters and keeps the receipt, and the outcome of one program.
//!
//! A program is one pure function from (facts, context, date) to an [`Outcome`]. Adding a
//! program touches its family file, its data file and [`CATALOGUE`], nothing else.

pub(crate) mod compulsory;
pub(crate) mod high_school;
pub(crate) mod higher;
pub(crate) mod poverty;
pub(crate) mod preschool;
pub(crate) mod vocational;

use crate::money::Money;
use crate::policy::{ParamValue, Policy, Resolved};
use crate::profile::{DifficultyLevel, HouseholdStatus, Profile, Stage, StatusSet};
use crate::reasons::{Lang, Reason};
use crate::Result;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a program gives (interface.md, `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Paid to the student or family.
    Cash,
    /// A fee not charged (tuition, accommodation, textbooks).
    Waiver,
    /// Meals or services.
    InKind,
    /// A cap the student may borrow up to.
    Loan,
    /// A merit scholarship already granted.
    Award,
}

impl Kind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Cash => "cash",
            Kind::Waiver => "waiver",
            Kind::InKind => "in_kind",
            Kind::Loan => "loan",
            Kind::Award => "award",
        }
    }

    /// Whether the kind counts in `annual_cash_total` (cash and awards only).
    pub fn counts_as_cash(self) -> bool {
        matches!(self, Kind::Cash | Kind::Award)
    }
}

/// How a program's yearly standard is paid over the school year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// Half the annual standard each term, at the standard in force on the term's first day.
    PerTerm,
    /// Per school day: each term counts half the school days of a year, at the daily rate in
    /// force on the term's first day.
    PerSchoolDay,
    /// Once a year (scholarships, the yearly loan): in the first term of the school year
    /// whose first day finds the student eligible, the autumn term normally. The payment
    /// cadence of national scholarships is UNCONFIRMED (policy-parameters.md §16 item 21).
    Yearly,
}

/// Which of the student's regions decides the regional standards of a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionBasis {
    /// The school's region (most aid is paid where the student studies; seed 004 checks
    /// that students studying elsewhere receive aid in the place of study).
    School,
    /// The household registration's region (生源地 loans, 雨露计划 paid by the home county's
    /// rural-revitalisation office).
    Hukou,
}

/// One program of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProgramInfo {
    /// Stable id (programs.md).
    pub id: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// What it gives.
    pub kind: Kind,
    /// How it is paid.
    pub schedule: Schedule,
    /// Which region's standards apply.
    pub region_basis: RegionBasis,
    /// The governing document(s).
    pub basis: &'static str,
    /// The profile fields the program reads (for forms that ask only what matters).
    pub inputs: &'static [&'static str],
    /// The stages whose students the program can cover.
    pub stages: &'static [Stage],
}

const LEVEL: [&str; 4] = [
    "household.statuses",
    "household.monitoring_risk_removed",
    "difficulty_level",
    "disability_grade",
];

macro_rules! inputs {
    ($($extra:literal),* ; level) => {
        &["stage", "grade", $($extra,)* LEVEL[0], LEVEL[1], LEVEL[2], LEVEL[3]]
    };
    ($($extra:literal),*) => { &["stage", "grade", $($extra),*] };
}

const STAGES_PRESCHOOL: &[Stage] = &[Stage::Preschool];
const STAGES_COMPULSORY: &[Stage] = &[Stage::Primary, Stage::JuniorMiddle];
const STAGES_HIGH: &[Stage] = &[Stage::GeneralHigh];
const STAGES_SECONDARY_VOCATIONAL: &[Stage] = &[Stage::SecondaryVocational];
const STAGES_SHORT_CYCLE_AND_UNDERGRADUATE: &[Stage] =
    &[Stage::HigherVocational, Stage::Undergraduate];
const STAGES_GRADUATE: &[Stage] = &[Stage::Masters, Stage::Doctoral];
const STAGES_LOAN: &[Stage] = &[
    Stage::HigherVocational,
    Stage::Undergraduate,
    Stage::Masters,
    Stage::Doctoral,
];
const STAGES_VOCATIONAL: &[Stage] = &[Stage::SecondaryVocational, Stage::HigherVocational];

/// Every national program, in the order of programs.md.
pub const CATALOGUE: &[ProgramInfo] = &[
    ProgramInfo {
        id: "preschool_aid",
        name_zh: "学前教育幼儿资助",
        name_en: "Preschool aid",
        kind: Kind::Cash,
        schedule: Schedule::PerTerm,
        region_basis: RegionBasis::School,
        basis: "财教〔2021〕310号; 省级资助标准",
        inputs: inputs!("school_region"; level),
        stages: STAGES_PRESCHOOL,
    },
    ProgramInfo {
        id: "preschool_final_year_fee_waiver",
        name_zh: "学前一年免保育教育费",
        name_en: "Final preschool year fee waiver",
        kind: Kind::Waiver,
        schedule: Schedule::PerTerm,
        region_basis: RegionBasis::School,
        basis: "国办发〔2025〕27号",
        inputs: inputs!("school_region"),
        stages: STAGES_PRESCHOOL,
    },
    ProgramInfo {
        id: "compulsory_fee_waiver",
        name_zh: "义务教育免学杂费",
        name_en: "Compulsory education fee waiver",
        kind: Kind::Waiver,
        schedule: Schedule::PerTerm,
        region_basis: RegionBasis::School,
        basis: "国发〔2015〕67号",
        inputs: inputs!(),
        stages: STAGES_COMPULSORY,
    },
    ProgramInfo {
        id: "free_textbooks",
        name_zh: "免费提供教科书",
        name_en: "Free textbooks",
        kind: Kind::Waiver,
        schedule: Schedule::PerTerm,
        region_basis: RegionBasis::School,
        basis: "国发〔2015〕67号",
        inputs: inputs!(),
        stages: STAGES_COMPULSORY,
    },
    ProgramInfo {
        id: "compulsory_living_subsidy",
        name_zh: "义务教育家庭经济困难学生生活补助",
        name_en: "Living subsidy for compulsory-education students of economic difficulty",
        kind: Kind::Cash,
        schedule: Schedule::PerTerm,
        region_basis: RegionBasis::School,
        basis: "财教〔2021〕310号",
        inputs: inputs!("boarding", "school_region"; level),
        stages: STAGES_COMPULSORY,
    },
    ProgramInfo {
        id: "nutrition_improvement",
        name_zh: "农村义务教育学生营养改善计划膳食补助",
        name_en: "Nutrition improvement meal subsidy",
        kind: Kind::InKind,
        schedule: Schedule::PerSchoolDay,
        region_basis: RegionBasis::School,
        basis: "国办发〔2011〕54号",
        inputs: inputs!(
            "hukou",
            "school_location",
            "nutrition_pilot",
            "school_region"
        ),
        stages: STAGES_COMPULSORY,
    },
    ProgramInfo {
        id: "high_school_fee_waiver",
        name_zh: "普通高中免学杂费",
        name_en: "General high school fee waiver",
        kind: Kind::Waiver,
        schedule: Schedule::PerTerm,
        region_basis: RegionBasis::School,
        basis: "财教〔2016〕292号",
        inputs: inputs!("hukou", "school_region"; level),
        stages: STAGES_HIGH,
    },
    ProgramInfo {
        id: "high_school_national_grant",
        name_zh: "普通高中国家助学金",
        name_en: "General high school national grant",
        kind: Kind::Cash,
        schedule: Schedule::PerTerm,
        region_basis: RegionBasis::School,
        basis: "财教〔2021〕310号",
        inputs: inputs!("school_region"; level),
        stages: STAGES_HIGH,
    },
    ProgramInfo {
        id: "vocational_tuition_waiver",
        name_zh: "中等职业教育免学费",
        name_en: "Secondary vocational tuition waiver",
        kind: Kind::Waiver,
        schedule: Schedule::PerTerm,
        region_basis: RegionBasis::School,
        basis: "财教〔2012〕376号",
        inputs: inputs!("full_time_formal", "hukou", "major.agriculture_related", "major.performing_arts", "school_region"; level),
        stages: STAGES_SECONDARY_VOCATIONAL,
    },
    ProgramInfo {
        id: "vocational_national_grant",
        name_zh: "中等职业教育国家助学金",
        name_en: "Secondary vocational national grant",
        kind: Kind::Cash,
        schedule: Schedule::PerTerm,
        region_basis: RegionBasis::School,
        basis: "财教〔2021〕310号",
        inputs: inputs!("full_time_formal", "major.agriculture_related", "school_region"; level),
        stages: STAGES_SECONDARY_VOCATIONAL,
    },
    ProgramInfo {
        id: "vocational_national_scholarship",
        name_zh: "中等职业教育国家奖学金",
        name_en: "Secondary vocational national scholarship",
        kind: Kind::Award,
        schedule: Schedule::Yearly,
        region_basis: RegionBasis::School,
        basis: "财教〔2021〕310号",
        inputs: inputs!("awards"),
        stages: STAGES_SECONDARY_VOCATIONAL,
    },
    ProgramInfo {
        id: "higher_national_grant",
        name_zh: "本专科生国家助学金",
        name_en: "National grant for higher vocational and undergraduate students",
        kind: Kind::Cash,
        schedule: Schedule::PerTerm,
        region_basis: RegionBasis::School,
        basis: "财教〔2021〕310号",
        inputs: inputs!("full_time_formal", "veteran"; level),
        stages: STAGES_SHORT_CYCLE_AND_UNDERGRADUATE,
    },
    ProgramInfo {
        id: "national_scholarship",
        name_zh: "本专科生国家奖学金",
        name_en: "National scholarship (higher vocational and undergraduate)",
        kind: Kind::Award,
        schedule: Schedule::Yearly,
        region_basis: RegionBasis::School,
        basis: "财教〔2021〕310号",
        inputs: inputs!("awards"),
        stages: STAGES_SHORT_CYCLE_AND_UNDERGRADUATE,
    },
    ProgramInfo {
        id: "national_encouragement_scholarship",
        name_zh: "国家励志奖学金",
        name_en: "National encouragement scholarship",
        kind: Kind::Award,
        schedule: Schedule::Yearly,
        region_basis: RegionBasis::School,
        basis: "财教〔2021〕310号",
        inputs: inputs!("awards"; level),
        stages: STAGES_SHORT_CYCLE_AND_UNDERGRADUATE,
    },
    ProgramInfo {
        id: "graduate_national_grant",
        name_zh: "研究生国家助学金",
        name_en: "Graduate national grant",
        kind: Kind::Cash,
        schedule: Schedule::PerTerm,
        region_basis: RegionBasis::School,
        basis: "财教〔2013〕19号; 财教〔2021〕310号",
        inputs: inputs!("full_time_formal", "has_fixed_salary", "institution"),
        stages: STAGES_GRADUATE,
    },
    ProgramInfo {
        id: "graduate_national_scholarship",
        name_zh: "研究生国家奖学金",
        name_en: "Graduate national scholarship",
        kind: Kind::Award,
        schedule: Schedule::Yearly,
        region_basis: RegionBasis::School,
        basis: "财教〔2021〕310号",
        inputs: inputs!("awards"),
        stages: STAGES_GRADUATE,
    },
    ProgramInfo {
        id: "student_loan",
        name_zh: "国家助学贷款（生源地信用助学贷款、校园地国家助学贷款）",
        name_en: "National student loan",
        kind: Kind::Loan,
        schedule: Schedule::Yearly,
        region_basis: RegionBasis::Hukou,
        basis: "财教〔2024〕188号",
        inputs: inputs!("full_time_formal", "hukou_region"; level),
        stages: STAGES_LOAN,
    },
    ProgramInfo {
        id: "rain_dew_plan",
        name_zh: "雨露计划职业教育补助",
        name_en: "Rain and Dew plan vocational education subsidy",
        kind: Kind::Cash,
        schedule: Schedule::PerTerm,
        region_basis: RegionBasis::Hukou,
        basis: "国开办发〔2015〕19号; 国乡振发〔2022〕6号",
        inputs: &[
            "stage",
            "grade",
            "full_time_formal",
            "household.statuses",
            "household.monitoring_risk_removed",
            "hukou_region",
        ],
        stages: STAGES_VOCATIONAL,
    },
];

/// Look a national program up by id.
pub fn program(id: &str) -> Option<&'static ProgramInfo> {
    CATALOGUE.iter().find(|p| p.id == id)
}

/// The profile fields a program reads (interface.md, `required_inputs`). Overlay programs
/// are looked up in `policy`.
pub fn required_inputs(id: &str, policy: &Policy) -> crate::Result<Vec<String>> {
    if let Some(p) = program(id) {
        return Ok(p.inputs.iter().map(|s| s.to_string()).collect());
    }
    crate::rules::required_inputs(id, policy).ok_or_else(|| {
        crate::Error::invalid(
            "program",
            "unknown_program",
            format!("unknown program '{}'", crate::json::clip(id)),
        )
    })
}

/// Facts derived from a profile on one date: the student's region, key groups and
/// difficulty level (programs.md, "Key groups and difficulty"), with their reasons.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The profile.
    pub profile: &'a Profile,
    /// The date the facts hold on.
    pub date: NaiveDate,
    /// The household statuses.
    pub statuses: StatusSet,
    /// A monitoring object whose risk is not removed, on a date monitoring exists.
    pub monitored: bool,
    /// The key-group statuses that apply (monitored ones only when `monitored`).
    pub key_statuses: Vec<HouseholdStatus>,
    /// In a key group (重点保障对象).
    pub key: bool,
    /// The difficulty level: the higher of the assessed and the derived one.
    pub level: Option<DifficultyLevel>,
    /// Why the level is what it is.
    pub level_reasons: Vec<Reason>,
    /// Notes that decide nothing (monitoring statuses ignored, risk removed).
    pub notes: Vec<Reason>,
    /// The school region (or the policy's default); `""` = none.
    pub school_region: String,
    /// The hukou region (or the school region, or the policy's default); `""` = none.
    pub hukou_region: String,
    /// The language of messages.
    pub lang: Lang,
    /// Whether reasons are built (false for the internal term-payment runs, whose reasons
    /// are never shown).
    pub explain: bool,
}

/// Key-group statuses other than the monitored ones, in the order of programs.md.
const KEY_STATUSES: [HouseholdStatus; 6] = [
    HouseholdStatus::LiftedOutOfPoverty,
    HouseholdStatus::Dibao,
    HouseholdStatus::Tekun,
    HouseholdStatus::Orphan,
    HouseholdStatus::DeFactoUnsupported,
    HouseholdStatus::MartyrChild,
];

impl<'a> Facts<'a> {
    /// Derive the facts of `profile` on `date` under `policy`.
    pub fn derive(
        profile: &'a Profile,
        date: NaiveDate,
        policy: &Policy,
        lang: Lang,
        used: &mut Receipt,
    ) -> Result<Facts<'a>> {
        Facts::derive_with(profile, date, policy, lang, used, true)
    }

    /// Like [`Facts::derive`]; with `explain` false no reason is built.
    pub fn derive_with(
        profile: &'a Profile,
        date: NaiveDate,
        policy: &Policy,
        lang: Lang,
        used: &mut Receipt,
        explain: bool,
    ) -> Result<Facts<'a>> {
        let reason = |code: &str, params: &[(&str, String)]| {
            if explain {
                Reason::new(code, params, lang)
            } else {
                Reason::silent()
            }
        };
        let statuses = profile.status_set();
        let default_region = policy.default_region().unwrap_or("");
        let school_region = first_non_empty(&[
            &profile.school_region,
            &profile.hukou_region,
            default_region,
        ]);
        let hukou_region = first_non_empty(&[
            &profile.hukou_region,
            &profile.school_region,
            default_region,
        ]);
        let mut notes = Vec::new();
        let monitoring: Vec<HouseholdStatus> =
            statuses.iter().filter(|s| s.is_monitoring_kind()).collect();
        let mut monitored = false;
        if !monitoring.is_empty() {
            let recognised = used.flag(
                policy,
                "key_groups.monitored_recognised",
                &school_region,
                date,
            )?;
            if !recognised {
                let from = first_true(policy, "key_groups.monitored_recognised", &school_region)
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                notes.push(reason("monitoring_not_in_force", &[("from", from)]));
            } else if profile.household.monitoring_risk_removed {
                notes.push(reason("monitoring_risk_removed", &[]));
            } else {
                monitored = true;
            }
        }
        let mut key_statuses: Vec<HouseholdStatus> = Vec::new();
        if statuses.contains(HouseholdStatus::LiftedOutOfPoverty) {
            key_statuses.push(HouseholdStatus::LiftedOutOfPoverty);
        }
        if monitored {
            key_statuses.extend(monitoring.iter().copied());
        }
        key_statuses.extend(
            KEY_STATUSES
                .iter()
                .skip(1)
                .copied()
                .filter(|s| statuses.contains(*s)),
        );
        // A student with a disability, or with a disabled parent, counts as key only when a
        // difficulty level was assessed (programs.md).
        let disabled_key = (profile.disability_grade.is_some()
            || statuses.contains(HouseholdStatus::DisabledParent))
            && profile.difficulty_level.is_some();
        let key = !key_statuses.is_empty() || disabled_key;
        let derived = key.then_some(DifficultyLevel::Especially);
        let assessed = profile.difficulty_level;
        let level = match (assessed, derived) {
            (Some(a), Some(d)) => Some(if a.rank() >= d.rank() { a } else { d }),
            (a, d) => a.or(d),
        };
        let mut level_reasons = Vec::new();
        let first_key = key_statuses.first().map(|s| s.as_str().to_string());
        match (assessed, level) {
            (None, Some(l)) => level_reasons.push(reason(
                "level_derived",
                &[
                    ("status", first_key.clone().unwrap_or_default()),
                    ("level", l.as_str().into()),
                ],
            )),
            (Some(a), Some(l)) if a != l => level_reasons.push(reason(
                "level_raised",
                &[
                    ("assessed", a.as_str().into()),
                    ("level", l.as_str().into()),
                    ("status", first_key.clone().unwrap_or_default()),
                ],
            )),
            (_, Some(l)) => {
                level_reasons.push(reason("difficulty_level", &[("level", l.as_str().into())]))
            }
            (_, None) => {}
        }
        Ok(Facts {
            profile,
            date,
            statuses,
            monitored,
            key_statuses,
            key,
            level,
            level_reasons,
            notes,
            school_region,
            hukou_region,
            lang,
            explain,
        })
    }

    /// The region whose standards apply to a program of `basis`.
    pub fn region(&self, basis: RegionBasis) -> &str {
        match basis {
            RegionBasis::School => &self.school_region,
            RegionBasis::Hukou => &self.hukou_region,
        }
    }

    /// A reason in the facts' language.
    pub fn reason(&self, code: &str, params: &[(&str, String)]) -> Reason {
        if self.explain {
            Reason::new(code, params, self.lang)
        } else {
            Reason::silent()
        }
    }

    /// `stage_in` for the student's stage.
    pub fn stage_in(&self) -> Reason {
        self.reason("stage_in", &[("stage", self.profile.stage.as_str().into())])
    }

    /// `stage_not_covered`, listing the stages the program covers.
    pub fn stage_not_covered(&self, stages: &[Stage]) -> Outcome {
        if !self.explain {
            return Outcome::no(Vec::new());
        }
        let list: Vec<&str> = stages.iter().map(|s| s.as_str()).collect();
        Outcome::no(vec![self.reason(
            "stage_not_covered",
            &[
                ("stages", list.join(", ")),
                ("stage", self.profile.stage.as_str().into()),
            ],
        )])
    }

    /// One `key_group` reason per key status.
    pub fn key_group_reasons(&self) -> Vec<Reason> {
        self.key_statuses
            .iter()
            .map(|s| self.reason("key_group", &[("status", s.as_str().into())]))
            .collect()
    }

    /// The reasons that establish the difficulty level (key groups, then the level).
    pub fn level_grounds(&self) -> Vec<Reason> {
        let mut out = self.key_group_reasons();
        out.extend(self.level_reasons.iter().cloned());
        out
    }
}

fn first_non_empty(options: &[&str]) -> String {
    options
        .iter()
        .find(|s| !s.is_empty())
        .map(|s| s.to_string())
        .unwrap_or_default()
}

/// The first date a flag parameter is true (for `rule_not_in_force` reasons).
pub(crate) fn first_true(policy: &Policy, name: &str, region: &str) -> Option<NaiveDate> {
    policy
        .layers()
        .iter()
        .rev()
        .filter(|l| l.region.is_none() || (!region.is_empty() && l.covers(region)))
        .filter_map(|l| l.parameters.get(name))
        .flat_map(|p| p.values.iter())
        .filter(|v| v.value == ParamValue::Flag(true))
        .map(|v| v.from)
        .min()
}

/// The parameters an evaluation read (the audit receipt), without duplicates.
#[derive(Debug, Clone, Default)]
pub struct Receipt {
    /// The values read, in reading order.
    pub used: Vec<Resolved>,
}

impl Receipt {
    /// Find `name` and record it in the receipt (copied on first sight only).
    fn found<'p>(
        &mut self,
        policy: &'p Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Option<crate::policy::Found<'p>> {
        let f = policy.find(name, region, date)?;
        let seen = self.used.iter().any(|u| {
            u.effective_from == f.value.from && u.region.as_deref() == f.region && u.name == name
        });
        if !seen {
            self.used.push(f.resolve(name));
        }
        Some(f)
    }

    fn required<'p>(
        &mut self,
        policy: &'p Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Result<crate::policy::Found<'p>> {
        self.found(policy, name, region, date)
            .ok_or_else(|| crate::policy::missing_parameter(name, date))
    }

    /// A money parameter in force on `date` for `region`; `None` when no layer sets it (a
    /// regional-only standard with no overlay).
    pub fn money(
        &mut self,
        policy: &Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Result<Option<Money>> {
        match self.found(policy, name, region, date) {
            Some(f) => match f.value.value {
                ParamValue::Number(d) => Ok(Some(Money(d))),
                _ => Err(type_error(name, "an amount")),
            },
            None => Ok(None),
        }
    }

    /// A money parameter that must have a value (national figures).
    pub fn require_money(
        &mut self,
        policy: &Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Result<Money> {
        match self.required(policy, name, region, date)?.value.value {
            ParamValue::Number(d) => Ok(Money(d)),
            _ => Err(type_error(name, "an amount")),
        }
    }

    /// A number parameter (days, years, basis points).
    pub fn number(
        &mut self,
        policy: &Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Result<rust_decimal::Decimal> {
        match self.required(policy, name, region, date)?.value.value {
            ParamValue::Number(d) => Ok(d),
            _ => Err(type_error(name, "a number")),
        }
    }

    /// A flag parameter; a flag with no value in force is false (a rule not yet in force).
    pub fn flag(
        &mut self,
        policy: &Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Result<bool> {
        match self.found(policy, name, region, date) {
            Some(f) => match f.value.value {
                ParamValue::Flag(b) => Ok(b),
                _ => Err(type_error(name, "a flag")),
            },
            None => Ok(false),
        }
    }

    /// A region-list parameter.
    pub fn regions(
        &mut self,
        policy: &Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Result<Vec<String>> {
        match self.found(policy, name, region, date) {
            Some(f) => match &f.value.value {
                ParamValue::Regions(v) => Ok(v.clone()),
                _ => Err(type_error(name, "a list of regions")),
            },
            None => Ok(Vec::new()),
        }
    }
}

fn type_error(name: &str, what: &str) -> crate::Error {
    crate::Error::Policy {
        file: "policy".into(),
        line: 0,
        field: name.into(),
        code: "invalid_value".into(),
        message: format!("parameter {name} is not {what}"),
    }
}

/// What one program decides for one student on one date.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Entitled.
    Yes {
        /// The annual standard in force on the date; `None` when only a region sets it and
        /// no overlay does.
        annual: Option<Money>,
        /// Why.
        because: Vec<Reason>,
    },
    /// Not entitled.
    No {
        /// Why not.
        because: Vec<Reason>,
    },
}

impl Outcome {
    /// Not entitled, because of `because`.
    pub fn no(because: Vec<Reason>) -> Outcome {
        Outcome::No { because }
    }
}

/// The evaluation context of one program: policy, region, receipt, date.
pub struct Ctx<'p, 'r> {
    /// The policy.
    pub policy: &'p Policy,
    /// The region whose standards apply.
    pub region: String,
    /// The receipt being kept.
    pub receipt: &'r mut Receipt,
    /// The date.
    pub date: NaiveDate,
}

impl Ctx<'_, '_> {
    /// A national money figure in force on the context's date.
    pub fn money(&mut self, name: &str) -> Result<Money> {
        self.receipt
            .require_money(self.policy, name, &self.region, self.date)
    }

    /// A regional money figure, if any layer sets it.
    pub fn regional_money(&mut self, name: &str) -> Result<Option<Money>> {
        self.receipt
            .money(self.policy, name, &self.region, self.date)
    }

    /// A flag in force on the context's date.
    pub fn flag(&mut self, name: &str) -> Result<bool> {
        self.receipt
            .flag(self.policy, name, &self.region, self.date)
    }

    /// The first date a flag is true, as text (for `rule_not_in_force`).
    pub fn from_of(&self, name: &str) -> String {
        first_true(self.policy, name, &self.region)
            .map(|d| d.to_string())
            .unwrap_or_default()
    }

    /// The tier amount of `prefix.tiers.{top,middle,bottom}` for `level`, with its reason.
    pub fn tier(
        &mut self,
        facts: &Facts,
        prefix: &str,
        level: DifficultyLevel,
    ) -> Result<(Option<Money>, Reason)> {
        let tier = tier_of(level);
        let amount = self.regional_money(&format!("{prefix}.tiers.{tier}"))?;
        Ok((amount, facts.reason("tier", &[("tier", tier.into())])))
    }
}

/// The tier of a level: especially → top, relatively → middle, general → bottom.
pub fn tier_of(level: DifficultyLevel) -> &'static str {
    match level {
        DifficultyLevel::Especially => "top",
        DifficultyLevel::Relatively => "middle",
        DifficultyLevel::General => "bottom",
    }
}

/// Run national program `id` on `facts`.
pub(crate) fn run(id: &str, facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    match id {
        "preschool_aid" => preschool::aid(facts, ctx),
        "preschool_final_year_fee_waiver" => preschool::final_year_fee_waiver(facts, ctx),
        "compulsory_fee_waiver" => compulsory::fee_waiver(facts, ctx),
        "free_textbooks" => compulsory::free_textbooks(facts, ctx),
        "compulsory_living_subsidy" => compulsory::living_subsidy(facts, ctx),
        "nutrition_improvement" => compulsory::nutrition(facts, ctx),
        "high_school_fee_waiver" => high_school::fee_waiver(facts, ctx),
        "high_school_national_grant" => high_school::national_grant(facts, ctx),
        "vocational_tuition_waiver" => vocational::tuition_waiver(facts, ctx),
        "vocational_national_grant" => vocational::national_grant(facts, ctx),
        "vocational_national_scholarship" => vocational::national_scholarship(facts, ctx),
        "higher_national_grant" => higher::national_grant(facts, ctx),
        "national_scholarship" => higher::national_scholarship(facts, ctx),
        "national_encouragement_scholarship" => higher::encouragement_scholarship(facts, ctx),
        "graduate_national_grant" => higher::graduate_grant(facts, ctx),
        "graduate_national_scholarship" => higher::graduate_scholarship(facts, ctx),
        "student_loan" => higher::student_loan(facts, ctx),
        "rain_dew_plan" => poverty::rain_dew_plan(facts, ctx),
        other => Err(crate::Error::invalid(
            "program",
            "unknown_program",
            format!("unknown program '{}'", crate::json::clip(other)),
        )),
    }
}

/// A waiver's amount: the local fee if a region sets it, else 0.00 with a reason.
pub(crate) fn waiver_amount(
    facts: &Facts,
    ctx: &mut Ctx,
    fee_param: &str,
    because: &mut Vec<Reason>,
) -> Result<Money> {
    match ctx.regional_money(fee_param)? {
        Some(fee) => Ok(fee),
        None => {
            because.push(facts.reason("local_fee_not_set", &[]));
            Ok(Money::ZERO)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_the_eighteen_programs_of_programs_md() {
        assert_eq!(CATALOGUE.len(), 18);
        for (i, a) in CATALOGUE.iter().enumerate() {
            assert!(CATALOGUE.iter().skip(i + 1).all(|b| b.id != a.id));
        }
    }
}
