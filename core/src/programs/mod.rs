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
use crate::policy::{Found, ParamValue, Policy, Resolved};
use crate::profile::{DifficultyLevel, HouseholdStatus, Profile, Stage, StatusSet};
use crate::reasons::{self as r, Arg, Lang, Reason, Reasons, Template};
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
    /// Every kind, in declaration order (the order of a dictionary-encoded `kind` column).
    pub const ALL: [Kind; 5] = [
        Kind::Cash,
        Kind::Waiver,
        Kind::InKind,
        Kind::Loan,
        Kind::Award,
    ];

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

/// What becomes of the reasons of an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Explain {
    /// Rendered in the facts' language.
    Render,
    /// Not kept at all: an evaluation without reasons (`Options::explain` false) and the
    /// internal term-payment runs, whose reasons nobody sees.
    Drop,
}

/// The key-group statuses of a household, in the order of programs.md, kept inline (a
/// household holds each status at most once, so they always fit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyStatuses {
    items: [HouseholdStatus; KeyStatuses::CAPACITY],
    len: usize,
}

impl KeyStatuses {
    const CAPACITY: usize = 10;

    fn new() -> KeyStatuses {
        KeyStatuses {
            items: [HouseholdStatus::LiftedOutOfPoverty; KeyStatuses::CAPACITY],
            len: 0,
        }
    }

    fn push(&mut self, status: HouseholdStatus) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = status;
            self.len += 1;
        }
    }
}

impl Default for KeyStatuses {
    fn default() -> Self {
        KeyStatuses::new()
    }
}

impl std::ops::Deref for KeyStatuses {
    type Target = [HouseholdStatus];
    fn deref(&self) -> &[HouseholdStatus] {
        self.items.get(..self.len).unwrap_or_default()
    }
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
    pub key_statuses: KeyStatuses,
    /// In a key group (重点保障对象).
    pub key: bool,
    /// The difficulty level: the higher of the assessed and the derived one.
    pub level: Option<DifficultyLevel>,
    /// Why the level is what it is.
    pub level_reasons: Vec<Reason>,
    /// Notes that decide nothing (monitoring statuses ignored, risk removed).
    pub notes: Vec<Reason>,
    /// The school region (or the policy's default); `""` = none.
    pub school_region: &'a str,
    /// The hukou region (or the school region, or the policy's default); `""` = none.
    pub hukou_region: &'a str,
    /// The language of messages.
    pub lang: Lang,
    /// Whether reasons are built (false for the internal term-payment runs, whose reasons
    /// are never shown).
    pub explain: bool,
    mode: Explain,
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

const MONITORED_RECOGNISED: &str = "key_groups.monitored_recognised";

impl<'a> Facts<'a> {
    /// Derive the facts of `profile` on `date` under `policy`.
    pub fn derive(
        profile: &'a Profile,
        date: NaiveDate,
        policy: &'a Policy,
        lang: Lang,
        used: &mut Receipt,
    ) -> Result<Facts<'a>> {
        let mut reads = Reads::default();
        let facts = Facts::derive_in(profile, date, policy, lang, &mut reads, Explain::Render)?;
        reads.record_into(used);
        Ok(facts)
    }

    /// Like [`Facts::derive`], keeping what was read in `used`; with `explain` false no
    /// reason is built.
    pub fn derive_with(
        profile: &'a Profile,
        date: NaiveDate,
        policy: &'a Policy,
        lang: Lang,
        used: &mut Reads<'a>,
        explain: bool,
    ) -> Result<Facts<'a>> {
        let mode = if explain {
            Explain::Render
        } else {
            Explain::Drop
        };
        Facts::derive_in(profile, date, policy, lang, used, mode)
    }

    pub(crate) fn derive_in(
        profile: &'a Profile,
        date: NaiveDate,
        policy: &'a Policy,
        lang: Lang,
        used: &mut Reads<'a>,
        mode: Explain,
    ) -> Result<Facts<'a>> {
        let statuses = profile.status_set();
        let default_region = policy.default_region().unwrap_or("");
        let school_region = first_non_empty([
            profile.school_region.as_str(),
            profile.hukou_region.as_str(),
            default_region,
        ]);
        let hukou_region = first_non_empty([
            profile.hukou_region.as_str(),
            profile.school_region.as_str(),
            default_region,
        ]);
        let mut facts = Facts {
            profile,
            date,
            statuses,
            monitored: false,
            key_statuses: KeyStatuses::new(),
            key: false,
            level: None,
            level_reasons: Vec::new(),
            notes: Vec::new(),
            school_region,
            hukou_region,
            lang,
            explain: mode == Explain::Render,
            mode,
        };
        let has_monitoring = statuses.iter().any(|s| s.is_monitoring_kind());
        if has_monitoring {
            let recognised = used.flag(policy, MONITORED_RECOGNISED, school_region, date)?;
            if !recognised {
                let from = if mode == Explain::Render {
                    first_true(policy, MONITORED_RECOGNISED, school_region)
                } else {
                    None
                };
                let note = facts.why(&r::MONITORING_NOT_IN_FORCE, [("from", Arg::Date(from))]);
                facts.keep_note(note);
            } else if profile.household.monitoring_risk_removed {
                let note = facts.why(&r::MONITORING_RISK_REMOVED, []);
                facts.keep_note(note);
            } else {
                facts.monitored = true;
            }
        }
        let mut key_statuses = KeyStatuses::new();
        if statuses.contains(HouseholdStatus::LiftedOutOfPoverty) {
            key_statuses.push(HouseholdStatus::LiftedOutOfPoverty);
        }
        if facts.monitored {
            for s in statuses.iter().filter(|s| s.is_monitoring_kind()) {
                key_statuses.push(s);
            }
        }
        for s in KEY_STATUSES.iter().skip(1) {
            if statuses.contains(*s) {
                key_statuses.push(*s);
            }
        }
        facts.key_statuses = key_statuses;
        // A student with a disability, or with a disabled parent, counts as key only when a
        // difficulty level was assessed (programs.md).
        let disabled_key = (profile.disability_grade.is_some()
            || statuses.contains(HouseholdStatus::DisabledParent))
            && profile.difficulty_level.is_some();
        let key = !key_statuses.is_empty() || disabled_key;
        facts.key = key;
        let derived = key.then_some(DifficultyLevel::Especially);
        let assessed = profile.difficulty_level;
        let level = match (assessed, derived) {
            (Some(a), Some(d)) => Some(if a.rank() >= d.rank() { a } else { d }),
            (a, d) => a.or(d),
        };
        facts.level = level;
        let first_key = key_statuses.first().map_or("", |s| s.as_str());
        let level_reason = match (assessed, level) {
            (None, Some(l)) => Some(match key_statuses.first() {
                Some(s) if l == DifficultyLevel::Especially && mode == Explain::Render => {
                    Reason::level_derived(*s, facts.lang)
                }
                _ => facts.why(
                    &r::LEVEL_DERIVED,
                    [
                        ("status", Arg::Str(first_key)),
                        ("level", Arg::Str(l.as_str())),
                    ],
                ),
            }),
            (Some(a), Some(l)) if a != l => Some(facts.why(
                &r::LEVEL_RAISED,
                [
                    ("assessed", Arg::Str(a.as_str())),
                    ("level", Arg::Str(l.as_str())),
                    ("status", Arg::Str(first_key)),
                ],
            )),
            (_, Some(l)) => {
                Some(facts.why(&r::DIFFICULTY_LEVEL, [("level", Arg::Str(l.as_str()))]))
            }
            (_, None) => None,
        };
        if let (Some(reason), true) = (level_reason, mode != Explain::Drop) {
            // The one level reason: a list of exactly one (a push would reserve four).
            facts.level_reasons = vec![reason];
        }
        Ok(facts)
    }

    /// Keep a note, unless reasons are dropped.
    fn keep_note(&mut self, note: Reason) {
        if self.mode != Explain::Drop {
            self.notes.reserve_exact(1);
            self.notes.push(note);
        }
    }

    /// The region whose standards apply to a program of `basis`.
    pub fn region(&self, basis: RegionBasis) -> &'a str {
        match basis {
            RegionBasis::School => self.school_region,
            RegionBasis::Hukou => self.hukou_region,
        }
    }

    /// A reason in the facts' language (an empty placeholder when reasons are not built,
    /// which the callers' lists then drop).
    pub fn reason(&self, code: &str, params: &[(&str, String)]) -> Reason {
        if self.explain {
            Reason::new(code, params, self.lang)
        } else {
            Reason::silent()
        }
    }

    /// A reason of template `t` in the facts' language; its arguments are turned into
    /// text only when reasons are rendered.
    pub(crate) fn why<const N: usize>(
        &self,
        t: &'static Template,
        args: [(&'static str, Arg<'_>); N],
    ) -> Reason {
        if self.mode == Explain::Render {
            Reason::of(t, args, self.lang)
        } else {
            Reason::silent()
        }
    }

    /// An empty list of reasons, sized for `capacity` of them when they are kept.
    pub(crate) fn because(&self, capacity: usize) -> Because {
        Because {
            mode: self.mode,
            lang: self.lang,
            list: if self.mode == Explain::Drop {
                Reasons::new()
            } else {
                Reasons::with_capacity(capacity)
            },
        }
    }

    /// Not entitled, for the one reason of template `t`.
    pub(crate) fn no<const N: usize>(
        &self,
        t: &'static Template,
        args: [(&'static str, Arg<'_>); N],
    ) -> Outcome {
        let mut because = self.because(1);
        because.add(t, args);
        Outcome::no(because.done())
    }

    /// Not entitled, for two reasons.
    pub(crate) fn no2<const N: usize, const M: usize>(
        &self,
        first: (&'static Template, [(&'static str, Arg<'_>); N]),
        second: (&'static Template, [(&'static str, Arg<'_>); M]),
    ) -> Outcome {
        let mut because = self.because(2);
        because.add(first.0, first.1);
        because.add(second.0, second.1);
        Outcome::no(because.done())
    }

    /// `stage_in` for the student's stage.
    pub fn stage_in(&self) -> Reason {
        if self.mode == Explain::Render {
            Reason::stage_in(self.profile.stage, self.lang)
        } else {
            Reason::silent()
        }
    }

    /// `stage_not_covered`, listing the stages the program covers (no reason at all, not
    /// even a placeholder, when reasons are not built).
    pub fn stage_not_covered(&self, stages: &[Stage]) -> Outcome {
        if self.mode != Explain::Render {
            return Outcome::no(Reasons::new());
        }
        Outcome::no(Reasons::one(Reason::stage_not_covered(
            stages,
            self.profile.stage,
            self.lang,
        )))
    }

    /// One `key_group` reason per key status.
    pub fn key_group_reasons(&self) -> Reasons {
        let mut out = self.because(self.key_statuses.len());
        out.key_groups(self);
        out.done()
    }

    /// The reasons that establish the difficulty level (key groups, then the level).
    pub fn level_grounds(&self) -> Reasons {
        let mut out = self.because(self.key_statuses.len() + self.level_reasons.len());
        out.level_grounds(self);
        out.done()
    }
}

/// The reasons of one outcome, being collected: rendered, kept as placeholders or dropped,
/// as the facts say, so that a program states its reasons once for every mode.
pub(crate) struct Because {
    mode: Explain,
    lang: Lang,
    list: Reasons,
}

impl Because {
    /// Add a reason of template `t`.
    pub(crate) fn add<const N: usize>(
        &mut self,
        t: &'static Template,
        args: [(&'static str, Arg<'_>); N],
    ) {
        match self.mode {
            Explain::Render => self.list.push(Reason::of(t, args, self.lang)),
            Explain::Drop => {}
        }
    }

    /// `stage_in` for the student's stage.
    pub(crate) fn stage_in(&mut self, facts: &Facts) {
        if self.mode == Explain::Render {
            self.list
                .push(Reason::stage_in(facts.profile.stage, self.lang));
        }
    }

    /// One `key_group` reason per key status.
    pub(crate) fn key_groups(&mut self, facts: &Facts) {
        if self.mode == Explain::Render {
            for s in facts.key_statuses.iter() {
                self.list.push(Reason::key_group(*s, self.lang));
            }
        }
    }

    /// Copies of `reasons` (already rendered, or placeholders, in the same mode).
    pub(crate) fn extend_from(&mut self, reasons: &[Reason]) {
        if self.mode != Explain::Drop {
            self.list.extend(reasons.iter().cloned());
        }
    }

    /// The reasons that establish the difficulty level (key groups, then the level).
    pub(crate) fn level_grounds(&mut self, facts: &Facts) {
        self.key_groups(facts);
        self.extend_from(&facts.level_reasons);
    }

    /// Add the reasons of `other` after these.
    pub(crate) fn append(&mut self, other: Reasons) {
        self.list.append(other);
    }

    /// The reasons.
    pub(crate) fn done(self) -> Reasons {
        self.list
    }
}

fn first_non_empty<const N: usize>(options: [&str; N]) -> &str {
    options.into_iter().find(|s| !s.is_empty()).unwrap_or("")
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
    /// Record `f`, found under `name`, unless the receipt holds it already.
    fn record(&mut self, name: &str, f: &Found<'_>) {
        let seen = self.used.iter().any(|u| {
            u.effective_from == f.value.from && u.region.as_deref() == f.region && u.name == name
        });
        if !seen {
            self.used.push(f.resolve(name));
        }
    }
}

impl<'p> ReadParameters<'p> for Receipt {
    fn found(
        &mut self,
        policy: &'p Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Option<Found<'p>> {
        let f = policy.find(name, region, date)?;
        self.record(name, &f);
        Some(f)
    }
}

/// Typed reads of dated parameters that keep what they read, shared by the two receipts:
/// [`Receipt`] (loans, funds, allowances: owned lines) and [`Reads`] (an evaluation:
/// borrowed until the assessment is built). A receipt says how to find and keep a value;
/// the typed accessors are the same for both.
pub trait ReadParameters<'p> {
    /// Find `name` in force on `date` for `region` and keep it (on first sight only).
    fn found(
        &mut self,
        policy: &'p Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Option<Found<'p>>;

    /// Like [`ReadParameters::found`]; a parameter no layer sets is an error.
    fn required(
        &mut self,
        policy: &'p Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Result<Found<'p>> {
        self.found(policy, name, region, date)
            .ok_or_else(|| crate::policy::missing_parameter(name, date))
    }

    /// A money parameter in force on `date` for `region`; `None` when no layer sets it (a
    /// regional-only standard with no overlay).
    fn money(
        &mut self,
        policy: &'p Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Result<Option<Money>> {
        self.found(policy, name, region, date)
            .map(|f| money_of(name, &f))
            .transpose()
    }

    /// A money parameter that must have a value (national figures).
    fn require_money(
        &mut self,
        policy: &'p Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Result<Money> {
        money_of(name, &self.required(policy, name, region, date)?)
    }

    /// A number parameter (days, years, basis points).
    fn number(
        &mut self,
        policy: &'p Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Result<rust_decimal::Decimal> {
        number_of(name, &self.required(policy, name, region, date)?)
    }

    /// A flag parameter; a flag with no value in force is false (a rule not yet in force).
    fn flag(
        &mut self,
        policy: &'p Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Result<bool> {
        self.found(policy, name, region, date)
            .map_or(Ok(false), |f| flag_of(name, &f))
    }

    /// A region-list parameter (empty when no layer sets it), borrowed from the policy.
    fn regions(
        &mut self,
        policy: &'p Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Result<&'p [String]> {
        match self.found(policy, name, region, date) {
            Some(f) => regions_of(name, &f),
            None => Ok(&[]),
        }
    }
}

fn money_of(name: &str, f: &Found<'_>) -> Result<Money> {
    match f.value.value {
        ParamValue::Number(d) => Ok(Money(d)),
        _ => Err(type_error(name, "an amount")),
    }
}

fn number_of(name: &str, f: &Found<'_>) -> Result<rust_decimal::Decimal> {
    match f.value.value {
        ParamValue::Number(d) => Ok(d),
        _ => Err(type_error(name, "a number")),
    }
}

fn flag_of(name: &str, f: &Found<'_>) -> Result<bool> {
    match f.value.value {
        ParamValue::Flag(b) => Ok(b),
        _ => Err(type_error(name, "a flag")),
    }
}

fn regions_of<'p>(name: &str, f: &Found<'p>) -> Result<&'p [String]> {
    match &f.value.value {
        ParamValue::Regions(v) => Ok(v),
        _ => Err(type_error(name, "a list of regions")),
    }
}

/// The receipt of an assessment while it is being evaluated: the dated values read, in
/// reading order and without duplicates, borrowed from the policy (names included) and
/// copied out only once, into the assessment's `parameters_used`.
#[derive(Debug, Clone, Default)]
pub struct Reads<'p> {
    used: Vec<(&'p str, Found<'p>)>,
}

impl<'p> Reads<'p> {
    /// An empty receipt with room for `capacity` values.
    pub fn with_capacity(capacity: usize) -> Reads<'p> {
        Reads {
            used: Vec::with_capacity(capacity),
        }
    }

    /// The values read, in reading order, with their names.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&'p str, &Found<'p>)> + '_ {
        self.used.iter().map(|(name, f)| (*name, f))
    }

    /// Copy the values read into `receipt` (those it does not hold yet).
    pub fn record_into(&self, receipt: &mut Receipt) {
        for (name, f) in &self.used {
            receipt.record(name, f);
        }
    }
}

impl<'p> ReadParameters<'p> for Reads<'p> {
    fn found(
        &mut self,
        policy: &'p Policy,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Option<Found<'p>> {
        let (key, f) = policy.find_named(name, region, date)?;
        // The same value of the same layer is the same receipt line; a line is also known by
        // its name, region and first day (as `Receipt` knows it).
        let seen = self.used.iter().any(|(n, u)| {
            std::ptr::eq(u.value, f.value)
                || (u.value.from == f.value.from && u.region == f.region && *n == key)
        });
        if !seen {
            self.used.push((key, f));
        }
        Some(f)
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

/// Call `f` with the parameter name made of `parts`, joined on the stack when it fits (every
/// name of the policy does), so that reading a figure whose name depends on the student
/// allocates nothing.
pub(crate) fn with_name<R>(parts: &[&str], f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 128];
    let mut len = 0;
    for part in parts {
        let end = len + part.len();
        match buf.get_mut(len..end) {
            Some(slot) => slot.copy_from_slice(part.as_bytes()),
            None => return f(&parts.concat()),
        }
        len = end;
    }
    // Whole strs joined are valid UTF-8.
    match buf.get(..len).map(std::str::from_utf8) {
        Some(Ok(name)) => f(name),
        _ => f(&parts.concat()),
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
        because: Reasons,
    },
    /// Not entitled.
    No {
        /// Why not.
        because: Reasons,
    },
}

impl Outcome {
    /// Not entitled, because of `because`.
    pub fn no(because: Reasons) -> Outcome {
        Outcome::No { because }
    }
}

/// The evaluation context of one program: policy, region, receipt, date.
pub struct Ctx<'p, 'r> {
    /// The policy.
    pub policy: &'p Policy,
    /// The region whose standards apply.
    pub region: &'p str,
    /// The receipt being kept.
    pub receipt: &'r mut Reads<'p>,
    /// The date.
    pub date: NaiveDate,
}

impl Ctx<'_, '_> {
    /// A national money figure in force on the context's date.
    pub fn money(&mut self, name: &str) -> Result<Money> {
        self.receipt
            .require_money(self.policy, name, self.region, self.date)
    }

    /// A regional money figure, if any layer sets it.
    pub fn regional_money(&mut self, name: &str) -> Result<Option<Money>> {
        self.receipt
            .money(self.policy, name, self.region, self.date)
    }

    /// A flag in force on the context's date.
    pub fn flag(&mut self, name: &str) -> Result<bool> {
        self.receipt.flag(self.policy, name, self.region, self.date)
    }

    /// A number in force on the context's date.
    pub fn number(&mut self, name: &str) -> Result<rust_decimal::Decimal> {
        self.receipt
            .number(self.policy, name, self.region, self.date)
    }

    /// The first date a flag is true (for `rule_not_in_force`).
    pub fn from_of(&self, name: &str) -> Option<NaiveDate> {
        first_true(self.policy, name, self.region)
    }

    /// The tier amount of `prefix.tiers.{top,middle,bottom}` for `level`.
    pub fn tier(&mut self, prefix: &str, level: DifficultyLevel) -> Result<Option<Money>> {
        with_name(&[prefix, ".tiers.", tier_of(level)], |name| {
            self.regional_money(name)
        })
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

type Program = fn(&Facts, &mut Ctx) -> Result<Outcome>;

/// Every national program's function, in the order of [`CATALOGUE`] (checked by a test).
const RUN: [(&str, Program); 18] = [
    ("preschool_aid", preschool::aid),
    (
        "preschool_final_year_fee_waiver",
        preschool::final_year_fee_waiver,
    ),
    ("compulsory_fee_waiver", compulsory::fee_waiver),
    ("free_textbooks", compulsory::free_textbooks),
    ("compulsory_living_subsidy", compulsory::living_subsidy),
    ("nutrition_improvement", compulsory::nutrition),
    ("high_school_fee_waiver", high_school::fee_waiver),
    ("high_school_national_grant", high_school::national_grant),
    ("vocational_tuition_waiver", vocational::tuition_waiver),
    ("vocational_national_grant", vocational::national_grant),
    (
        "vocational_national_scholarship",
        vocational::national_scholarship,
    ),
    ("higher_national_grant", higher::national_grant),
    ("national_scholarship", higher::national_scholarship),
    (
        "national_encouragement_scholarship",
        higher::encouragement_scholarship,
    ),
    ("graduate_national_grant", higher::graduate_grant),
    (
        "graduate_national_scholarship",
        higher::graduate_scholarship,
    ),
    ("student_loan", higher::student_loan),
    ("rain_dew_plan", poverty::rain_dew_plan),
];

/// Run the national program at `index` of [`CATALOGUE`] on `facts` (no lookup by id).
pub(crate) fn run_at(index: usize, facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    match RUN.get(index) {
        Some((_, program)) => program(facts, ctx),
        None => Err(crate::Error::invalid(
            "program",
            "unknown_program",
            format!("no national program at index {index}"),
        )),
    }
}

/// A waiver's amount: the local fee if a region sets it, else 0.00 with a reason.
pub(crate) fn waiver_amount(
    ctx: &mut Ctx,
    fee_param: &str,
    because: &mut Because,
) -> Result<Money> {
    match ctx.regional_money(fee_param)? {
        Some(fee) => Ok(fee),
        None => {
            because.add(&r::LOCAL_FEE_NOT_SET, []);
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
        let ids: Vec<&str> = RUN.iter().map(|(id, _)| *id).collect();
        let catalogue: Vec<&str> = CATALOGUE.iter().map(|p| p.id).collect();
        assert_eq!(ids, catalogue);
    }
}
