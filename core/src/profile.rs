//! The student profile (学生信息): the input of an evaluation, in exactly the JSON shape
//! of interface.md ("Student profile"). Unknown fields are rejected with their path.
//!
//! This module owns the vocabulary (stages, statuses, levels, ...) and the structural
//! validation of one profile (grade ranges, contradictory awards). It decides nothing
//! about aid: that is the programs' job.

use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in the order of interface.md.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The snake_case name, as in JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The snake_case names, in the order of [`Self::ALL`].
            const WORDS: &'static [&'static str] = &[$($text),+];

            /// The perfect hash of [`Self::WORDS`], found at compile time.
            const INDEX: crate::words::WordIndex = crate::words::WordIndex::new(Self::WORDS);

            /// The value whose snake_case name is exactly `text` (no error built: for
            /// callers that only ask whether a cell is a word of the vocabulary).
            #[inline]
            pub fn recognize(text: &str) -> Option<$name> {
                Self::INDEX
                    .find(text)
                    .and_then(|i| Self::ALL.get(i).copied())
            }

            /// Parse the snake_case name; the error names `field` and lists the values.
            pub fn parse(field: &str, text: &str) -> Result<$name> {
                Self::recognize(text).ok_or_else(|| {
                    Error::invalid(
                        field,
                        "unknown_variant",
                        format!(
                            concat!("unknown ", $what, " '{}'; expected one of {}"),
                            crate::json::echo(text),
                            Self::WORDS.join(", ")
                        ),
                    )
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// Education stage (学段).
    Stage, "stage" {
        /// 学前教育 (kindergarten), grades 1–3.
        Preschool => "preschool",
        /// 小学, grades 1–6.
        Primary => "primary",
        /// 初中, grades 1–3.
        JuniorMiddle => "junior_middle",
        /// 普通高中, grades 1–3.
        GeneralHigh => "general_high",
        /// 中等职业教育 (中职), grades 1–3.
        SecondaryVocational => "secondary_vocational",
        /// 高职专科, grades 1–3.
        HigherVocational => "higher_vocational",
        /// 本科, grades 1–5.
        Undergraduate => "undergraduate",
        /// 硕士研究生, grades 1–3.
        Masters => "masters",
        /// 博士研究生, grades 1–6.
        Doctoral => "doctoral",
    }
);

impl Stage {
    /// The highest grade of the stage (interface.md, `grade`).
    pub fn max_grade(self) -> u8 {
        match self {
            Stage::Primary | Stage::Doctoral => 6,
            Stage::Undergraduate => 5,
            _ => 3,
        }
    }

    /// Compulsory education (义务教育): primary and junior middle school.
    pub fn is_compulsory(self) -> bool {
        matches!(self, Stage::Primary | Stage::JuniorMiddle)
    }

    /// 本专科: higher vocational (高职专科) or undergraduate.
    pub fn is_short_cycle_or_undergraduate(self) -> bool {
        matches!(self, Stage::HigherVocational | Stage::Undergraduate)
    }

    /// 研究生: masters or doctoral.
    pub fn is_graduate(self) -> bool {
        matches!(self, Stage::Masters | Stage::Doctoral)
    }
}

vocabulary!(
    /// Household registration (户籍). County towns (县镇) count as rural where a rule says
    /// "rural (including county towns)".
    Hukou, "hukou" {
        /// 农村户籍.
        Rural => "rural",
        /// 城镇户籍.
        Urban => "urban",
    }
);

vocabulary!(
    /// A household status (家庭类别) recognised by the aid rules.
    HouseholdStatus, "status" {
        /// 脱贫家庭 (formerly 建档立卡, registered poor).
        LiftedOutOfPoverty => "lifted_out_of_poverty",
        /// 脱贫不稳定户, a monitoring object (防止返贫监测对象).
        MonitoredUnstable => "monitored_unstable",
        /// 边缘易致贫户, a monitoring object.
        MonitoredMarginal => "monitored_marginal",
        /// 突发严重困难户, a monitoring object.
        MonitoredSuddenHardship => "monitored_sudden_hardship",
        /// 最低生活保障 (低保).
        Dibao => "dibao",
        /// 特困供养 (extreme-poverty support).
        Tekun => "tekun",
        /// 孤儿.
        Orphan => "orphan",
        /// 事实无人抚养儿童.
        DeFactoUnsupported => "de_facto_unsupported",
        /// 烈士子女.
        MartyrChild => "martyr_child",
        /// 残疾人子女.
        DisabledParent => "disabled_parent",
    }
);

impl HouseholdStatus {
    /// One of the three kinds of poverty-return monitoring objects.
    pub fn is_monitoring_kind(self) -> bool {
        matches!(
            self,
            HouseholdStatus::MonitoredUnstable
                | HouseholdStatus::MonitoredMarginal
                | HouseholdStatus::MonitoredSuddenHardship
        )
    }

    /// The bit of the status in a [`StatusSet`].
    pub fn bit(self) -> u16 {
        1u16 << (self as u16)
    }
}

/// A set of household statuses as bits (cheap to copy and test).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StatusSet(pub u16);

impl StatusSet {
    /// Whether the set holds `status`.
    pub fn contains(self, status: HouseholdStatus) -> bool {
        self.0 & status.bit() != 0
    }

    /// Add `status`.
    pub fn insert(&mut self, status: HouseholdStatus) {
        self.0 |= status.bit();
    }

    /// The statuses, in the order of interface.md.
    pub fn iter(self) -> impl Iterator<Item = HouseholdStatus> {
        HouseholdStatus::ALL
            .iter()
            .copied()
            .filter(move |s| self.contains(*s))
    }
}

impl FromIterator<HouseholdStatus> for StatusSet {
    fn from_iter<I: IntoIterator<Item = HouseholdStatus>>(iter: I) -> Self {
        let mut set = StatusSet::default();
        for s in iter {
            set.insert(s);
        }
        set
    }
}

vocabulary!(
    /// Assessed level of family economic difficulty (家庭经济困难认定, 教财〔2018〕16号).
    DifficultyLevel, "difficulty level" {
        /// 特别困难.
        Especially => "especially",
        /// 比较困难.
        Relatively => "relatively",
        /// 一般困难.
        General => "general",
    }
);

impl DifficultyLevel {
    /// Rank for comparison: especially 3, relatively 2, general 1.
    pub fn rank(self) -> u8 {
        match self {
            DifficultyLevel::Especially => 3,
            DifficultyLevel::Relatively => 2,
            DifficultyLevel::General => 1,
        }
    }
}

vocabulary!(
    /// Location class of the school (城区 / 镇区 / 乡村).
    SchoolLocation, "school location" {
        /// 城区.
        City => "city",
        /// 镇区.
        Town => "town",
        /// 乡村.
        Rural => "rural",
    }
);

vocabulary!(
    /// Nutrition-improvement pilot kind of the school's area (营养改善计划试点).
    NutritionPilot, "nutrition pilot" {
        /// 国家试点 (paid by the central government).
        National => "national",
        /// 地方试点 (paid by the locality, with a central award).
        Local => "local",
    }
);

vocabulary!(
    /// Kind of higher-education institution.
    Institution, "institution" {
        /// 中央部属高校.
        Central => "central",
        /// Any other (local) institution.
        Local => "local",
    }
);

vocabulary!(
    /// A merit award already granted by selection (the library cannot decide these itself).
    Award, "award" {
        /// 国家奖学金 (本专科 or 研究生).
        NationalScholarship => "national_scholarship",
        /// 国家励志奖学金.
        NationalEncouragementScholarship => "national_encouragement_scholarship",
        /// 中等职业教育国家奖学金.
        SecondaryVocationalNationalScholarship => "secondary_vocational_national_scholarship",
    }
);

/// The student's major (专业).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Major {
    /// 涉农专业 (agriculture-related).
    pub agriculture_related: bool,
    /// 艺术类相关表演专业 (performing arts).
    pub performing_arts: bool,
}

/// The household (家庭) of the student.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Household {
    /// The household's statuses; may be empty.
    pub statuses: Vec<HouseholdStatus>,
    /// True when a monitored household's risk has been removed (已消除风险).
    #[serde(default)]
    pub monitoring_risk_removed: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_local(i: &Institution) -> bool {
    *i == Institution::Local
}

/// One student, as of an evaluation (interface.md, "Student profile").
///
/// `Debug` shows the resident ID masked (`1304************34`): profiles end up in logs.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The caller's id of the student (echoed in the assessment).
    #[serde(default)]
    pub student_id: String,
    /// Resident identity number (居民身份证号); never shown unmasked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_id: Option<String>,
    /// Date of birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    pub birth_date: Option<NaiveDate>,
    /// Education stage.
    pub stage: Stage,
    /// 1-based year within the stage.
    pub grade: u8,
    /// Full-time formal enrolment (全日制正式学籍); default true.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub full_time_formal: bool,
    /// Boarder (寄宿生); default false.
    #[serde(default, skip_serializing_if = "is_false")]
    pub boarding: bool,
    /// Household registration.
    pub hukou: Hukou,
    /// Region code (GB/T 2260) of the household registration; empty = the policy's default.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hukou_region: String,
    /// Region code of the school; empty = the policy's default.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub school_region: String,
    /// The major.
    #[serde(
        default,
        skip_serializing_if = "major_is_default",
        deserialize_with = "crate::json::object"
    )]
    pub major: Major,
    /// The student's own disability grade, 1 (most severe) to 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disability_grade: Option<u8>,
    /// The household.
    #[serde(deserialize_with = "crate::json::object")]
    pub household: Household,
    /// Assessed difficulty level; null = derive it from the statuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty_level: Option<DifficultyLevel>,
    /// Merit awards granted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<Award>,
    /// School location; default rural for a rural hukou, else city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_location: Option<SchoolLocation>,
    /// Nutrition pilot kind; null = look the school region up in the policy's pilot list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nutrition_pilot: Option<NutritionPilot>,
    /// A retired-soldier student (退役士兵学生).
    #[serde(default, skip_serializing_if = "is_false")]
    pub veteran: bool,
    /// A graduate student with a fixed salary (no graduate grant).
    #[serde(default, skip_serializing_if = "is_false")]
    pub has_fixed_salary: bool,
    /// Central-ministry (中央部属) or local institution; default local.
    #[serde(default = "local_institution", skip_serializing_if = "is_local")]
    pub institution: Institution,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("student_id", &self.student_id)
            .field(
                "resident_id",
                &self.resident_id.as_deref().map(crate::resident_id::mask),
            )
            .field("birth_date", &self.birth_date)
            .field("stage", &self.stage)
            .field("grade", &self.grade)
            .field("full_time_formal", &self.full_time_formal)
            .field("boarding", &self.boarding)
            .field("hukou", &self.hukou)
            .field("hukou_region", &self.hukou_region)
            .field("school_region", &self.school_region)
            .field("major", &self.major)
            .field("disability_grade", &self.disability_grade)
            .field("household", &self.household)
            .field("difficulty_level", &self.difficulty_level)
            .field("awards", &self.awards)
            .field("school_location", &self.school_location)
            .field("nutrition_pilot", &self.nutrition_pilot)
            .field("veteran", &self.veteran)
            .field("has_fixed_salary", &self.has_fixed_salary)
            .field("institution", &self.institution)
            .finish()
    }
}

fn major_is_default(m: &Major) -> bool {
    *m == Major::default()
}

fn local_institution() -> Institution {
    Institution::Local
}

/// A profile read only from a JSON object (see [`crate::json::object`]).
struct ObjectProfile(Profile);

impl<'de> Deserialize<'de> for ObjectProfile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        crate::json::object(d).map(ObjectProfile)
    }
}

/// Upper bound on the length of a profile's JSON text (input size limit).
pub const MAX_PROFILE_BYTES: usize = 64 * 1024;

impl Profile {
    /// A minimal valid profile (for tests and builders): the given stage and grade, rural
    /// hukou, no statuses, every other field at its default.
    pub fn new(stage: Stage, grade: u8, hukou: Hukou) -> Profile {
        Profile {
            student_id: String::new(),
            resident_id: None,
            birth_date: None,
            stage,
            grade,
            full_time_formal: true,
            boarding: false,
            hukou,
            hukou_region: String::new(),
            school_region: String::new(),
            major: Major::default(),
            disability_grade: None,
            household: Household::default(),
            difficulty_level: None,
            awards: Vec::new(),
            school_location: None,
            nutrition_pilot: None,
            veteran: false,
            has_fixed_salary: false,
            institution: Institution::Local,
        }
    }

    /// Parse one profile from JSON text and validate it. Errors name the field path.
    pub fn from_json(text: &str) -> Result<Profile> {
        if text.len() > MAX_PROFILE_BYTES {
            return Err(Error::invalid(
                "",
                "too_large",
                format!(
                    "the profile is {} bytes; the limit is {MAX_PROFILE_BYTES}",
                    text.len()
                ),
            ));
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let profile: Profile = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| crate::json::path_error(e.path().to_string(), e.inner()))
            .map(|p: ObjectProfile| p.0)?;
        de.end()
            .map_err(|e| crate::json::path_error(String::new(), &e))?;
        profile.validate()?;
        Ok(profile)
    }

    /// Parse one profile from a JSON value and validate it.
    pub fn from_value(value: serde_json::Value) -> Result<Profile> {
        let profile: ObjectProfile = serde_path_to_error::deserialize(value)
            .map_err(|e| crate::json::path_error(e.path().to_string(), e.inner()))?;
        profile.0.validate()?;
        Ok(profile.0)
    }

    /// Structural checks serde cannot express: grade ranges, disability grade, duplicate or
    /// contradictory entries, region codes.
    pub fn validate(&self) -> Result<()> {
        let max = self.stage.max_grade();
        if self.grade < 1 || self.grade > max {
            return Err(Error::invalid(
                "grade",
                "out_of_range",
                format!(
                    "grade {} is impossible for stage {}: expected 1 to {max}",
                    self.grade, self.stage
                ),
            ));
        }
        if let Some(g) = self.disability_grade {
            if !(1..=4).contains(&g) {
                return Err(Error::invalid(
                    "disability_grade",
                    "out_of_range",
                    format!("disability grade {g} is impossible: expected 1 (most severe) to 4, or null"),
                ));
            }
        }
        for (i, s) in self.household.statuses.iter().enumerate() {
            if self.household.statuses.iter().take(i).any(|t| t == s) {
                return Err(Error::invalid(
                    format!("household.statuses[{i}]"),
                    "duplicate",
                    format!("status '{s}' is listed twice"),
                ));
            }
        }
        for (i, a) in self.awards.iter().enumerate() {
            if self.awards.iter().take(i).any(|t| t == a) {
                return Err(Error::invalid(
                    format!("awards[{i}]"),
                    "duplicate",
                    format!("award '{a}' is listed twice"),
                ));
            }
        }
        // A03a: the national scholarship and the encouragement scholarship are not held in
        // the same year.
        if self.awards.contains(&Award::NationalScholarship)
            && self
                .awards
                .contains(&Award::NationalEncouragementScholarship)
        {
            return Err(Error::invalid(
                "awards",
                "contradictory",
                "national_scholarship and national_encouragement_scholarship cannot be held in the same school year (A03a)",
            ));
        }
        for (field, code) in [
            ("hukou_region", &self.hukou_region),
            ("school_region", &self.school_region),
        ] {
            if !code.is_empty() && !is_region_code(code) {
                return Err(Error::invalid(
                    field,
                    "invalid_region",
                    format!(
                        "'{}' is not a region code: expected six digits (GB/T 2260), or empty",
                        crate::json::echo(code)
                    ),
                ));
            }
        }
        if self.student_id.len() > 128 {
            return Err(Error::invalid(
                "student_id",
                "too_long",
                "student_id is longer than 128 bytes",
            ));
        }
        if let Some(id) = &self.resident_id {
            if id.chars().count() > 32 {
                return Err(Error::invalid(
                    "resident_id",
                    "too_long",
                    "resident_id is longer than 32 characters",
                ));
            }
        }
        Ok(())
    }

    /// The school location, with its default: rural for a rural hukou, else city.
    pub fn effective_school_location(&self) -> SchoolLocation {
        self.school_location.unwrap_or(match self.hukou {
            Hukou::Rural => SchoolLocation::Rural,
            Hukou::Urban => SchoolLocation::City,
        })
    }

    /// The household statuses as a bit set.
    pub fn status_set(&self) -> StatusSet {
        self.household.statuses.iter().copied().collect()
    }
}

/// Whether `code` is a six-digit administrative division code.
pub fn is_region_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_has_a_perfect_hash_and_recognizes_exactly_its_words() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(
            index: crate::words::WordIndex,
            all: &[T],
            as_str: fn(T) -> &'static str,
            recognize: fn(&str) -> Option<T>,
        ) {
            assert!(index.is_perfect(), "{:?}", all.first());
            for v in all {
                let word = as_str(*v);
                assert_eq!(recognize(word), Some(*v));
                assert_eq!(recognize(&word.to_uppercase()), None);
                assert_eq!(recognize(&format!("{word} ")), None);
                assert_eq!(recognize(word.get(1..).unwrap_or("")), None);
            }
            assert_eq!(recognize(""), None);
        }
        check(Stage::INDEX, Stage::ALL, Stage::as_str, Stage::recognize);
        check(Hukou::INDEX, Hukou::ALL, Hukou::as_str, Hukou::recognize);
        check(
            HouseholdStatus::INDEX,
            HouseholdStatus::ALL,
            HouseholdStatus::as_str,
            HouseholdStatus::recognize,
        );
        check(
            DifficultyLevel::INDEX,
            DifficultyLevel::ALL,
            DifficultyLevel::as_str,
            DifficultyLevel::recognize,
        );
        check(
            SchoolLocation::INDEX,
            SchoolLocation::ALL,
            SchoolLocation::as_str,
            SchoolLocation::recognize,
        );
        check(
            NutritionPilot::INDEX,
            NutritionPilot::ALL,
            NutritionPilot::as_str,
            NutritionPilot::recognize,
        );
        check(
            Institution::INDEX,
            Institution::ALL,
            Institution::as_str,
            Institution::recognize,
        );
        check(Award::INDEX, Award::ALL, Award::as_str, Award::recognize);
    }

    #[test]
    fn parses_the_interface_example() {
        let text = r#"{
          "student_id": "S-0001", "resident_id": "130431201001011234", "birth_date": "2010-01-01",
          "stage": "junior_middle", "grade": 2, "full_time_formal": true, "boarding": true,
          "hukou": "rural", "hukou_region": "130431", "school_region": "130431",
          "major": { "agriculture_related": false, "performing_arts": false },
          "disability_grade": null,
          "household": { "statuses": ["lifted_out_of_poverty", "dibao"], "monitoring_risk_removed": false },
          "difficulty_level": null, "awards": [], "school_location": "rural", "nutrition_pilot": null,
          "veteran": false, "has_fixed_salary": false, "institution": "local" }"#;
        let p = Profile::from_json(text).unwrap();
        assert_eq!(p.stage, Stage::JuniorMiddle);
        assert!(p.status_set().contains(HouseholdStatus::Dibao));
    }

    #[test]
    fn names_the_field() {
        let e = Profile::from_json(
            r#"{"stage":"primary","grade":1,"hukou":"rural","household":{"statuses":["dibao","dibaoo"]}}"#,
        )
        .unwrap_err();
        assert_eq!(e.field(), "household.statuses[1]");
        assert!(e.message().contains("dibaoo"), "{}", e.message());
        let e = Profile::from_json(
            r#"{"stage":"primary","grade":7,"hukou":"rural","household":{"statuses":[]}}"#,
        )
        .unwrap_err();
        assert_eq!(e.field(), "grade");
        let e = Profile::from_json(r#"{"stage":"primary","grade":1,"household":{"statuses":[]}}"#)
            .unwrap_err();
        assert_eq!(e.field(), "hukou");
        let e = Profile::from_json(
            r#"{"stage":"primary","grade":1,"hukou":"rural","household":{"statuses":[]},"x":1}"#,
        )
        .unwrap_err();
        assert_eq!(e.field(), "x");
    }
}
