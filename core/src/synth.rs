//! Synthetic rosters (模拟花名册): realistic, deterministic students for examples,
//! benchmarks and the embedded sample county.
//!
//! Pure: a seed and a row index in, a [`Profile`] out. Each row has its own pseudo-random
//! stream (splitmix64 seeded from the seed and the row index), so row `i` is the same in
//! every roster of the same configuration, a roster of N rows is the prefix of any longer
//! one, and any slice of rows can be generated on its own (in parallel, in chunks). Every
//! draw is an integer compared with a rate in parts per million, so the roster is the same
//! on every platform. No `rand` crate, no clock.
//!
//! # The distribution
//!
//! It follows the documented mix of `shared/bench-peers/gen_roster.py` (the peers' roster
//! generator; the streams differ, so the rows are not the same as the Python ones, but the
//! shares are):
//!
//! | draw | distribution |
//! | --- | --- |
//! | stage | preschool 15%, primary 38%, junior_middle 17%, general_high 9%, secondary_vocational 5%, higher_vocational 6%, undergraduate 8%, masters 1.5%, doctoral 0.5% |
//! | grade | uniform within the stage, except undergraduate 24/24/24/24/4, masters 40/38/22, doctoral 25/23/21/17/9/5 |
//! | hukou | 60% rural |
//! | school location | rural hukou: rural 55%, town 35%, city 10%; urban hukou: city 80%, town 17%, rural 3% |
//! | nutrition pilot (compulsory only) | rural hukou: national 30%, local 12%, none 58%; urban: 3% / 4% / 93% |
//! | boarding (rural, urban hukou) | preschool 2/1%, primary 22/5%, junior 60/25%, high 70/55%, secondary vocational 60/45%, higher vocational 92/90%, undergraduate 95/92%, masters 80/75%, doctoral 70/65% |
//! | full-time formal | secondary vocational 96%, higher vocational 94%, undergraduate 98%, masters 80%, doctoral 90%, other stages 100% |
//! | agriculture-related major | secondary vocational 12%, higher vocational 9%, undergraduate 6%, graduate 5% |
//! | performing-arts major (not agriculture) | secondary vocational 4%, higher vocational 3%, undergraduate 3% |
//! | veteran | higher vocational 2.5%, undergraduate 0.8%, masters 0.3% |
//! | fixed salary | masters 6%, doctoral 15% |
//! | central institution | undergraduate 8%, masters 20%, doctoral 40% |
//! | household with a key status | rural 15%, urban 5.5%; first status: lifted_out_of_poverty 48%, dibao 20%, monitored_unstable 7%, monitored_marginal 7%, monitored_sudden_hardship 4%, tekun 4%, orphan 3%, de_facto_unsupported 3%, martyr_child 4% |
//! | second status (20% of those) | dibao 35%, lifted_out_of_poverty 25%, disabled_parent 20%, tekun 10%, monitored_unstable 10% |
//! | disabled parent | 2% of all students |
//! | monitoring risk removed | 30% of households with a monitored status |
//! | own disability | 1.2%; grade 1/2/3/4: 10/20/30/40% |
//! | assessed difficulty level | key households 40% (especially 60, relatively 30, general 10%); disabled student or parent 50% (30/40/30%); others 2.7% (15/40/45%) |
//! | awards | higher vocational and undergraduate: national scholarship 0.2%, encouragement 3% of assessed students from grade 2; graduate: national scholarship 1%; secondary vocational scholarship 0.2% |
//! | birth date | entry age (preschool 3, primary 6, junior 12, high and vocational 15, higher vocational and undergraduate 18, masters 22, doctoral 25) + grade − 1, higher education +0/1/2 years (80/15/5%), veterans +2 to 4, minus 0–364 days, counted back from the reference date |
//! | resident ID | GB 11643: the hukou region code (or, with no region configured, one of 370215, 130431, 150924, 231000, 130600, 110101), the birth date, a sequence 0–999, the check character |
//!
//! Together this gives about 12% of students in a key group and about 8% with an assessed
//! level, as the peers document. With a region configured ([`SynthConfig::county`]),
//! `school_region` and `hukou_region` are that region, except for a share of students who
//! study outside their hukou region (外地就读, seed 004): by default 2% of local-hukou
//! students study elsewhere and 2% of the students come from another region.

use crate::profile::{
    Award, DifficultyLevel, Household, HouseholdStatus, Hukou, Institution, Major, NutritionPilot,
    Profile, SchoolLocation, Stage, StatusSet,
};
use chrono::{Days, NaiveDate};

/// The region code of the embedded sample county: 鸡泽县 Jize County, Handan, Hebei (seed 001).
pub const SAMPLE_COUNTY: &str = "130431";
/// The number of students of the embedded sample county.
pub const SAMPLE_ROWS: usize = 5000;
/// The seed of the embedded sample county.
pub const SAMPLE_SEED: u64 = 130_431;

/// The documented as-of date of the sample report: 2025-10-01, early in the 2025 autumn
/// term (after the 2025 spring raise of the high-school and vocational grants).
pub fn sample_as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 1).unwrap_or(NaiveDate::MIN)
}

/// How to generate a roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthConfig {
    /// The seed: the same seed gives the same students.
    pub seed: u64,
    /// The region (GB/T 2260) of the roster's schools and of most students' hukou; empty =
    /// leave `school_region` and `hukou_region` empty (the policy's default region), as
    /// `gen_roster.py` does.
    pub region: String,
    /// Parts per million of students with a local hukou who study elsewhere (外地就读).
    pub elsewhere_ppm: u32,
    /// Parts per million of students whose hukou is in another region.
    pub incoming_ppm: u32,
    /// The other regions those students come from or go to (drawn uniformly).
    pub other_regions: Vec<String>,
    /// Birth dates are consistent with stage and grade on this date (the first day of the
    /// school year of the evaluation).
    pub reference_date: NaiveDate,
    /// Prefix of the student ids (`S-` gives `S-0000001`, ...).
    pub id_prefix: String,
}

/// Regions of resident IDs when no region is configured (those of `gen_roster.py`: the
/// five seed systems and Beijing Dongcheng).
const DEFAULT_ID_REGIONS: [&str; 6] = ["370215", "130431", "150924", "231000", "130600", "110101"];

impl SynthConfig {
    /// The peers' configuration: no region columns, birth dates as of 2024-09-01.
    pub fn new(seed: u64) -> SynthConfig {
        SynthConfig {
            seed,
            region: String::new(),
            elsewhere_ppm: 0,
            incoming_ppm: 0,
            other_regions: Vec::new(),
            reference_date: NaiveDate::from_ymd_opt(2024, 9, 1).unwrap_or(NaiveDate::MIN),
            id_prefix: "S-".into(),
        }
    }

    /// A county's roster: schools and hukou in `region`, 2% studying elsewhere and 2% from
    /// elsewhere, birth dates as of `reference_date`.
    pub fn county(region: &str, seed: u64, reference_date: NaiveDate) -> SynthConfig {
        SynthConfig {
            seed,
            region: region.to_string(),
            elsewhere_ppm: 20_000,
            incoming_ppm: 20_000,
            // Handan's Congtai district, Shijiazhuang's Xinhua district, Beijing's Haidian,
            // Baoding's Jingxiu district.
            other_regions: vec![
                "130402".into(),
                "130104".into(),
                "110108".into(),
                "130602".into(),
            ],
            reference_date,
            id_prefix: "S-".into(),
        }
    }

    /// The embedded sample county: Jize (130431), seed [`SAMPLE_SEED`], birth dates as of
    /// 2025-09-01 (the school year of [`sample_as_of`]).
    pub fn sample_county() -> SynthConfig {
        SynthConfig::county(
            SAMPLE_COUNTY,
            SAMPLE_SEED,
            NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or(NaiveDate::MIN),
        )
    }
}

/// The embedded sample county's roster ([`SAMPLE_ROWS`] students).
pub fn sample_county() -> Vec<Profile> {
    roster(&SynthConfig::sample_county(), SAMPLE_ROWS)
}

/// The first `rows` students of `config`.
pub fn roster(config: &SynthConfig, rows: usize) -> Vec<Profile> {
    (0..rows as u64).map(|i| profile(config, i)).collect()
}

/// Students `range` of `config` (a slice of the roster, e.g. one chunk of a parallel run).
pub fn profiles(
    config: &SynthConfig,
    range: std::ops::Range<u64>,
) -> impl Iterator<Item = Profile> + '_ {
    range.map(move |i| profile(config, i))
}

/// splitmix64 (Steele, Lea, Flood 2014): a tiny generator with good mixing, enough for
/// synthetic data.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (multiply-shift on the high 32 bits; `n` below 2^32).
    fn below(&mut self, n: u32) -> u32 {
        (((self.next() >> 32) * u64::from(n)) >> 32) as u32
    }

    /// True with probability `ppm` per million.
    fn chance(&mut self, ppm: u32) -> bool {
        self.below(1_000_000) < ppm
    }

    /// An index drawn with the given relative weights.
    fn pick(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut r = self.below(total.max(1));
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        weights.len().saturating_sub(1)
    }
}

/// Stages in the order of interface.md, with their shares (per 1000, ×10: per 10 000).
const STAGES: [(Stage, u32); 9] = [
    (Stage::Preschool, 1500),
    (Stage::Primary, 3800),
    (Stage::JuniorMiddle, 1700),
    (Stage::GeneralHigh, 900),
    (Stage::SecondaryVocational, 500),
    (Stage::HigherVocational, 600),
    (Stage::Undergraduate, 800),
    (Stage::Masters, 150),
    (Stage::Doctoral, 50),
];

fn grade_weights(stage: Stage) -> &'static [u32] {
    match stage {
        Stage::Primary => &[1, 1, 1, 1, 1, 1],
        Stage::Undergraduate => &[24, 24, 24, 24, 4],
        Stage::Masters => &[40, 38, 22],
        Stage::Doctoral => &[25, 23, 21, 17, 9, 5],
        _ => &[1, 1, 1],
    }
}

fn entry_age(stage: Stage) -> u32 {
    match stage {
        Stage::Preschool => 3,
        Stage::Primary => 6,
        Stage::JuniorMiddle => 12,
        Stage::GeneralHigh | Stage::SecondaryVocational => 15,
        Stage::HigherVocational | Stage::Undergraduate => 18,
        Stage::Masters => 22,
        Stage::Doctoral => 25,
    }
}

/// Boarding rate in ppm: (rural hukou, urban hukou).
fn boarding_ppm(stage: Stage) -> (u32, u32) {
    match stage {
        Stage::Preschool => (20_000, 10_000),
        Stage::Primary => (220_000, 50_000),
        Stage::JuniorMiddle => (600_000, 250_000),
        Stage::GeneralHigh => (700_000, 550_000),
        Stage::SecondaryVocational => (600_000, 450_000),
        Stage::HigherVocational => (920_000, 900_000),
        Stage::Undergraduate => (950_000, 920_000),
        Stage::Masters => (800_000, 750_000),
        Stage::Doctoral => (700_000, 650_000),
    }
}

fn full_time_ppm(stage: Stage) -> u32 {
    match stage {
        Stage::SecondaryVocational => 960_000,
        Stage::HigherVocational => 940_000,
        Stage::Undergraduate => 980_000,
        Stage::Masters => 800_000,
        Stage::Doctoral => 900_000,
        _ => 1_000_000,
    }
}

fn agriculture_ppm(stage: Stage) -> u32 {
    match stage {
        Stage::SecondaryVocational => 120_000,
        Stage::HigherVocational => 90_000,
        Stage::Undergraduate => 60_000,
        Stage::Masters | Stage::Doctoral => 50_000,
        _ => 0,
    }
}

fn performing_arts_ppm(stage: Stage) -> u32 {
    match stage {
        Stage::SecondaryVocational => 40_000,
        Stage::HigherVocational | Stage::Undergraduate => 30_000,
        _ => 0,
    }
}

fn veteran_ppm(stage: Stage) -> u32 {
    match stage {
        Stage::HigherVocational => 25_000,
        Stage::Undergraduate => 8_000,
        Stage::Masters => 3_000,
        _ => 0,
    }
}

fn fixed_salary_ppm(stage: Stage) -> u32 {
    match stage {
        Stage::Masters => 60_000,
        Stage::Doctoral => 150_000,
        _ => 0,
    }
}

fn central_ppm(stage: Stage) -> u32 {
    match stage {
        Stage::Undergraduate => 80_000,
        Stage::Masters => 200_000,
        Stage::Doctoral => 400_000,
        _ => 0,
    }
}

const FIRST_STATUS: [(HouseholdStatus, u32); 9] = [
    (HouseholdStatus::LiftedOutOfPoverty, 48),
    (HouseholdStatus::Dibao, 20),
    (HouseholdStatus::MonitoredUnstable, 7),
    (HouseholdStatus::MonitoredMarginal, 7),
    (HouseholdStatus::MonitoredSuddenHardship, 4),
    (HouseholdStatus::Tekun, 4),
    (HouseholdStatus::Orphan, 3),
    (HouseholdStatus::DeFactoUnsupported, 3),
    (HouseholdStatus::MartyrChild, 4),
];

const SECOND_STATUS: [(HouseholdStatus, u32); 5] = [
    (HouseholdStatus::Dibao, 35),
    (HouseholdStatus::LiftedOutOfPoverty, 25),
    (HouseholdStatus::DisabledParent, 20),
    (HouseholdStatus::Tekun, 10),
    (HouseholdStatus::MonitoredUnstable, 10),
];

const LEVELS: [DifficultyLevel; 3] = [
    DifficultyLevel::Especially,
    DifficultyLevel::Relatively,
    DifficultyLevel::General,
];

fn weights<T: Copy, const N: usize>(table: &[(T, u32); N]) -> [u32; N] {
    table.map(|(_, w)| w)
}

/// Student number `index` (0-based) of the roster of `config`.
pub fn profile(config: &SynthConfig, index: u64) -> Profile {
    // One stream per row: splitmix64 of the seed, then of the row index.
    let mut seeder = SplitMix64(config.seed);
    let row_seed = seeder.next() ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03);
    let mut rng = SplitMix64(row_seed);
    rng.next();

    let (stage, _) = STAGES
        .get(rng.pick(&weights(&STAGES)))
        .copied()
        .unwrap_or((Stage::Primary, 0));
    let grade = rng.pick(grade_weights(stage)) as u8 + 1;
    let rural = rng.chance(600_000);
    let hukou = if rural { Hukou::Rural } else { Hukou::Urban };
    let school_location = if rural {
        [
            SchoolLocation::Rural,
            SchoolLocation::Town,
            SchoolLocation::City,
        ]
        .get(rng.pick(&[55, 35, 10]))
        .copied()
    } else {
        [
            SchoolLocation::City,
            SchoolLocation::Town,
            SchoolLocation::Rural,
        ]
        .get(rng.pick(&[80, 17, 3]))
        .copied()
    };
    let pilot_draw = if rural {
        rng.pick(&[30, 12, 58])
    } else {
        rng.pick(&[3, 4, 93])
    };
    let nutrition_pilot = if stage.is_compulsory() {
        [NutritionPilot::National, NutritionPilot::Local]
            .get(pilot_draw)
            .copied()
    } else {
        None
    };
    let (board_rural, board_urban) = boarding_ppm(stage);
    let boarding = rng.chance(if rural { board_rural } else { board_urban });
    let full_time_formal = rng.chance(full_time_ppm(stage));
    let agriculture = rng.chance(agriculture_ppm(stage));
    let performing = rng.chance(performing_arts_ppm(stage)) && !agriculture;
    let veteran = rng.chance(veteran_ppm(stage));
    let has_fixed_salary = rng.chance(fixed_salary_ppm(stage));
    let institution = if rng.chance(central_ppm(stage)) {
        Institution::Central
    } else {
        Institution::Local
    };

    // Household statuses.
    let mut statuses = StatusSet::default();
    let key_household = rng.chance(if rural { 150_000 } else { 55_000 });
    let first = FIRST_STATUS
        .get(rng.pick(&weights(&FIRST_STATUS)))
        .map(|(s, _)| *s);
    if let (true, Some(s)) = (key_household, first) {
        statuses.insert(s);
    }
    let second_drawn = rng.chance(200_000);
    let second = SECOND_STATUS
        .get(rng.pick(&weights(&SECOND_STATUS)))
        .map(|(s, _)| *s);
    if let (true, true, Some(s)) = (key_household, second_drawn, second) {
        statuses.insert(s);
    }
    if rng.chance(20_000) {
        statuses.insert(HouseholdStatus::DisabledParent);
    }
    let monitored_kind = statuses.iter().any(HouseholdStatus::is_monitoring_kind);
    let risk_removed = rng.chance(300_000) && monitored_kind;
    let disabled = rng.chance(12_000);
    let disability_grade_draw = rng.pick(&[10, 20, 30, 40]) as u8 + 1;
    let disability_grade = disabled.then_some(disability_grade_draw);

    // Assessed difficulty level (家庭经济困难认定).
    let likely_key = statuses.iter().any(|s| {
        matches!(
            s,
            HouseholdStatus::LiftedOutOfPoverty
                | HouseholdStatus::Dibao
                | HouseholdStatus::Tekun
                | HouseholdStatus::Orphan
                | HouseholdStatus::DeFactoUnsupported
                | HouseholdStatus::MartyrChild
        )
    }) || (monitored_kind && !risk_removed);
    let disabled_mark = disabled || statuses.contains(HouseholdStatus::DisabledParent);
    let (rate, mix): (u32, [u32; 3]) = if likely_key {
        (400_000, [60, 30, 10])
    } else if disabled_mark {
        (500_000, [30, 40, 30])
    } else {
        (27_000, [15, 40, 45])
    };
    let assessed = rng.chance(rate);
    let level = LEVELS.get(rng.pick(&mix)).copied();
    let difficulty_level = if assessed { level } else { None };

    // Awards (selection outcomes).
    let award_draw = rng.below(1_000_000);
    let mut awards = Vec::new();
    match stage {
        Stage::HigherVocational | Stage::Undergraduate => {
            if award_draw < 2_000 {
                awards.push(Award::NationalScholarship);
            } else if grade >= 2 && assessed && award_draw > 970_000 {
                awards.push(Award::NationalEncouragementScholarship);
            }
        }
        Stage::Masters | Stage::Doctoral if award_draw < 10_000 => {
            awards.push(Award::NationalScholarship);
        }
        Stage::SecondaryVocational if award_draw < 2_000 => {
            awards.push(Award::SecondaryVocationalNationalScholarship);
        }
        _ => {}
    }

    // Regions: most students study where their hukou is; some study elsewhere (外地就读).
    let region_draw = rng.below(1_000_000);
    let other = config
        .other_regions
        .get(rng.below(config.other_regions.len().max(1) as u32) as usize)
        .cloned();
    let (hukou_region, school_region) = if config.region.is_empty() {
        (String::new(), String::new())
    } else if region_draw < config.elsewhere_ppm {
        (
            config.region.clone(),
            other.clone().unwrap_or_else(|| config.region.clone()),
        )
    } else if region_draw < config.elsewhere_ppm.saturating_add(config.incoming_ppm) {
        (
            other.clone().unwrap_or_else(|| config.region.clone()),
            config.region.clone(),
        )
    } else {
        (config.region.clone(), config.region.clone())
    };

    // Identity: a birth date consistent with stage and grade, and a GB 11643 number.
    let mut age = entry_age(stage) + u32::from(grade) - 1;
    let extra = rng.pick(&[80, 15, 5]) as u32;
    if matches!(
        stage,
        Stage::HigherVocational | Stage::Undergraduate | Stage::Masters | Stage::Doctoral
    ) {
        age += extra;
    }
    let veteran_extra = 2 + rng.below(3);
    if veteran {
        age += veteran_extra;
    }
    let days_back = u64::from(age * 365 + age / 4 + rng.below(365));
    let birth_date = config
        .reference_date
        .checked_sub_days(Days::new(days_back))
        .unwrap_or(config.reference_date);
    let id_region = if hukou_region.is_empty() {
        DEFAULT_ID_REGIONS
            .get(rng.below(DEFAULT_ID_REGIONS.len() as u32) as usize)
            .copied()
            .unwrap_or("130431")
            .to_string()
    } else {
        rng.next();
        hukou_region.clone()
    };
    let sequence = rng.below(1000) as u16;
    let resident_id = crate::resident_id::build(&id_region, birth_date, sequence);

    Profile {
        student_id: format!("{}{:07}", config.id_prefix, index + 1),
        resident_id,
        birth_date: Some(birth_date),
        stage,
        grade,
        full_time_formal,
        boarding,
        hukou,
        hukou_region,
        school_region,
        major: Major {
            agriculture_related: agriculture,
            performing_arts: performing,
        },
        disability_grade,
        household: Household {
            statuses: statuses.iter().collect(),
            monitoring_risk_removed: risk_removed,
        },
        difficulty_level,
        awards,
        school_location,
        nutrition_pilot,
        veteran,
        has_fixed_salary,
        institution,
    }
}

/// One profile as a row of the flattened roster columns ([`crate::roster::COLUMNS`], in
/// that order): the inverse of [`crate::roster::Header::profile`], for writing CSV.
/// Defaults are written out (`full_time_formal` true, ...); missing values are empty.
pub fn to_row(p: &Profile) -> Vec<String> {
    let b = |v: bool| if v { "true" } else { "false" }.to_string();
    let join = |items: Vec<&str>| items.join(",");
    vec![
        p.student_id.clone(),
        p.resident_id.clone().unwrap_or_default(),
        p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        p.stage.as_str().into(),
        p.grade.to_string(),
        b(p.full_time_formal),
        b(p.boarding),
        p.hukou.as_str().into(),
        p.hukou_region.clone(),
        p.school_region.clone(),
        p.school_location
            .map(|l| l.as_str().to_string())
            .unwrap_or_default(),
        p.nutrition_pilot
            .map(|n| n.as_str().to_string())
            .unwrap_or_default(),
        b(p.major.agriculture_related),
        b(p.major.performing_arts),
        p.disability_grade
            .map(|g| g.to_string())
            .unwrap_or_default(),
        join(p.household.statuses.iter().map(|s| s.as_str()).collect()),
        b(p.household.monitoring_risk_removed),
        p.difficulty_level
            .map(|l| l.as_str().to_string())
            .unwrap_or_default(),
        join(p.awards.iter().map(|a| a.as_str()).collect()),
        b(p.veteran),
        b(p.has_fixed_salary),
        p.institution.as_str().into(),
    ]
}

const SURNAMES: [&str; 16] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "郭",
];
const GIVEN: [&str; 24] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "子涵", "浩然",
];

/// A resident ID not in `used` (a random sequence, bumped past numbers already used).
fn unique_id(
    used: &mut std::collections::HashSet<String>,
    region: &str,
    birth: NaiveDate,
    rng: &mut SplitMix64,
) -> Option<String> {
    let start = rng.below(1000) as u16;
    (0..1000u16)
        .filter_map(|k| crate::resident_id::build(region, birth, (start + k) % 1000))
        .find(|id| used.insert(id.clone()))
}

fn name(rng: &mut SplitMix64) -> String {
    let s = SURNAMES
        .get(rng.below(SURNAMES.len() as u32) as usize)
        .copied()
        .unwrap_or("王");
    let g = GIVEN
        .get(rng.below(GIVEN.len() as u32) as usize)
        .copied()
        .unwrap_or("伟");
    format!("{s}{g}")
}

/// A synthetic poverty registry and enrolment for the reconciliation example (精准识别):
/// the enrolment is the first `rows` students of `config`; the registry holds, for each
/// enrolled student of a lifted-out or monitored household, the student and one parent;
/// plus children of such households who are in no school (about 1 in 200 households has
/// one, aged 6–15 on the reference date), a few mistyped resident IDs (about 1 in 300),
/// and about 2% of those students missing from the registry (their enrolment claims a
/// status the registry does not confirm). Names are synthetic.
pub fn sample_registry(
    config: &SynthConfig,
    rows: usize,
) -> (
    Vec<crate::reconcile::RegistryMember>,
    Vec<crate::reconcile::EnrolmentRecord>,
) {
    use crate::reconcile::{EnrolmentRecord, RegistryMember};
    let mut rng = SplitMix64(config.seed ^ 0x005E_ED0F_2E61_5751);
    let mut registry = Vec::new();
    let mut enrolment = Vec::with_capacity(rows);
    let mut household = 0u64;
    let mut used = std::collections::HashSet::new();
    let region = if config.region.is_empty() {
        SAMPLE_COUNTY.to_string()
    } else {
        config.region.clone()
    };
    let registry_status = |s: &HouseholdStatus| {
        matches!(
            s,
            HouseholdStatus::LiftedOutOfPoverty
                | HouseholdStatus::MonitoredUnstable
                | HouseholdStatus::MonitoredMarginal
                | HouseholdStatus::MonitoredSuddenHardship
        )
    };
    for (i, p) in roster(config, rows).into_iter().enumerate() {
        let student_name = name(&mut rng);
        let statuses: Vec<HouseholdStatus> = p
            .household
            .statuses
            .iter()
            .copied()
            .filter(registry_status)
            .collect();
        let row = i as u64 + 1;
        let mut resident_id = p.resident_id.clone().unwrap_or_default();
        // Row-independent generation can give two students the same number (same birth
        // date, same sequence); a registry sample must not, so bump the sequence.
        let mut bump = 1u16;
        while !used.insert(resident_id.clone()) {
            let birth = p.birth_date.unwrap_or(config.reference_date);
            let region = resident_id.get(..6).unwrap_or(SAMPLE_COUNTY).to_string();
            let sequence = resident_id
                .get(14..17)
                .and_then(|s| s.parse::<u16>().ok())
                .unwrap_or(0);
            resident_id = crate::resident_id::build(&region, birth, (sequence + bump) % 1000)
                .unwrap_or_default();
            bump += 1;
        }
        enrolment.push(EnrolmentRecord {
            row,
            student_id: p.student_id.clone(),
            resident_id: resident_id.clone(),
            name: student_name.clone(),
            stage: p.stage,
            grade: p.grade,
            school: String::new(),
            school_region: p.school_region.clone(),
            hukou_region: p.hukou_region.clone(),
            statuses: p.household.statuses.clone(),
            monitoring_risk_removed: p.household.monitoring_risk_removed,
        });
        if statuses.is_empty() || rng.chance(20_000) {
            continue;
        }
        household += 1;
        let household_id = format!("{region}-H{household:06}");
        let mut student_id = resident_id;
        if rng.chance(3_300) {
            // A typing slip: two digits swapped, the check character no longer matches.
            let mut chars: Vec<char> = student_id.chars().collect();
            if chars.len() == 18 {
                chars.swap(14, 15);
                if chars.get(14) == chars.get(15) {
                    chars.swap(13, 15);
                }
            }
            student_id = chars.into_iter().collect();
        }
        let member = |resident_id: String, name: String| RegistryMember {
            row: 0,
            household_id: household_id.clone(),
            resident_id,
            name,
            statuses: statuses.clone(),
            monitoring_risk_removed: p.household.monitoring_risk_removed,
            region: p.hukou_region.clone(),
        };
        registry.push(member(student_id, student_name));
        // A parent: born 25–35 years before the student.
        let birth = p.birth_date.unwrap_or(config.reference_date);
        let years = 25 + rng.below(11);
        let parent_birth = birth
            .checked_sub_days(Days::new(
                u64::from(years) * 365 + u64::from(rng.below(300)),
            ))
            .unwrap_or(birth);
        let parent_region = if p.hukou_region.is_empty() {
            region.clone()
        } else {
            p.hukou_region.clone()
        };
        if let Some(id) = unique_id(&mut used, &parent_region, parent_birth, &mut rng) {
            registry.push(member(id, name(&mut rng)));
        }
        // Now and then a sibling of compulsory-school age who is in no school.
        if rng.chance(5_000) {
            let age = 6 + rng.below(10);
            let days = u64::from(age * 365 + age / 4 + rng.below(300));
            let sibling_birth = config
                .reference_date
                .checked_sub_days(Days::new(days))
                .unwrap_or(config.reference_date);
            if let Some(id) = unique_id(&mut used, &parent_region, sibling_birth, &mut rng) {
                registry.push(member(id, name(&mut rng)));
            }
        }
    }
    for (i, m) in registry.iter_mut().enumerate() {
        m.row = i as u64 + 1;
    }
    (registry, enrolment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_prefix_stable() {
        let c = SynthConfig::sample_county();
        let a = roster(&c, 200);
        let b = roster(&c, 300);
        assert_eq!(a[..], b[..200]);
        assert_eq!(profile(&c, 150), a[150]);
        assert_eq!(a[0].student_id, "S-0000001");
        for p in &b {
            p.validate().unwrap();
            let id =
                crate::resident_id::ResidentId::parse(p.resident_id.as_deref().unwrap()).unwrap();
            assert_eq!(Some(id.birth_date()), p.birth_date);
            assert_eq!(id.region(), p.hukou_region);
        }
        let other = SynthConfig {
            seed: 1,
            ..c.clone()
        };
        assert_ne!(profile(&other, 0), a[0]);
    }

    #[test]
    fn shares_follow_the_documented_mix() {
        let c = SynthConfig::new(7);
        let n = 100_000;
        let rows = roster(&c, n);
        let share =
            |f: &dyn Fn(&Profile) -> bool| rows.iter().filter(|p| f(p)).count() as f64 / n as f64;
        let near = |got: f64, want: f64, tol: f64| {
            assert!((got - want).abs() < tol, "got {got}, want {want}")
        };
        near(share(&|p| p.stage == Stage::Primary), 0.38, 0.01);
        near(share(&|p| p.stage == Stage::Preschool), 0.15, 0.01);
        near(share(&|p| p.hukou == Hukou::Rural), 0.60, 0.01);
        near(share(&|p| p.difficulty_level.is_some()), 0.08, 0.02);
        near(
            share(&|p| {
                p.status_set()
                    .iter()
                    .any(|s| s != HouseholdStatus::DisabledParent)
            }),
            0.112,
            0.01,
        );
        near(
            share(&|p| p.stage == Stage::JuniorMiddle && p.boarding)
                / share(&|p| p.stage == Stage::JuniorMiddle),
            0.46,
            0.02,
        );
        assert!(rows.iter().all(|p| p.hukou_region.is_empty()));
    }

    #[test]
    fn county_rows_study_elsewhere() {
        let rows = roster(&SynthConfig::sample_county(), 5000);
        let away = rows
            .iter()
            .filter(|p| p.hukou_region == SAMPLE_COUNTY && p.school_region != SAMPLE_COUNTY)
            .count();
        assert!((50..150).contains(&away), "{away}");
        let header = crate::roster::Header::new(crate::roster::COLUMNS).unwrap();
        for p in rows.iter().take(500) {
            assert_eq!(&header.profile(&to_row(p)).unwrap(), p);
        }
    }
}
