//! The student of a dropout case (控辍保学对象): who the child is, where the case is
//! handled, and the facts that make the case a priority (key groups and vulnerable
//! groups). Plain data; the only logic is validation and age arithmetic.

use crate::profile::{is_region_code, HouseholdStatus, Stage};
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A vulnerable group of children monitored in dropout control (重点关注群体), beyond the
/// household statuses of the aid rules (教基厅函〔2024〕15号, S06; dropout-control.md,
/// "Priorities").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildGroup {
    /// 孤儿.
    Orphan,
    /// 事实无人抚养儿童.
    DeFactoUnsupported,
    /// 残疾儿童.
    Disabled,
    /// 留守儿童.
    LeftBehind,
    /// 困境儿童.
    InDifficulty,
    /// 随迁子女 (migrant children).
    Migrant,
    /// 涉案未成年人 (minors involved in cases; S12).
    InvolvedInCase,
}

impl ChildGroup {
    /// Every group, in a stable order.
    pub const ALL: &'static [ChildGroup] = &[
        ChildGroup::Orphan,
        ChildGroup::DeFactoUnsupported,
        ChildGroup::Disabled,
        ChildGroup::LeftBehind,
        ChildGroup::InDifficulty,
        ChildGroup::Migrant,
        ChildGroup::InvolvedInCase,
    ];

    /// The snake_case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ChildGroup::Orphan => "orphan",
            ChildGroup::DeFactoUnsupported => "de_facto_unsupported",
            ChildGroup::Disabled => "disabled",
            ChildGroup::LeftBehind => "left_behind",
            ChildGroup::InDifficulty => "in_difficulty",
            ChildGroup::Migrant => "migrant",
            ChildGroup::InvolvedInCase => "involved_in_case",
        }
    }
}

/// The student of a dropout case (控辍保学对象). Only `student_id` is required; `region`
/// selects the region overlays (the county that handles the case: usually the household
/// registration's, 户籍地), `birth_date` lets the case age out at the school-age limit.
///
/// `Debug` masks the resident ID and the name (a case, and so its student, ends up in logs);
/// the ledgers show both on purpose, since officials work from them by name.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Student {
    /// The caller's id of the student.
    pub student_id: String,
    /// Resident identity number (居民身份证号), used by registry comparison.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_id: Option<String>,
    /// Name, for the ledgers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Date of birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    pub birth_date: Option<NaiveDate>,
    /// Region code (GB/T 2260) whose policy governs the case; empty = national only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub region: String,
    /// The school the student is enrolled in (or was last enrolled in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school: Option<String>,
    /// Education stage (primary or junior middle for compulsory education).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// Grade within the stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<u8>,
    /// The household's statuses (脱贫家庭, 低保, ...): key-group flags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub household_statuses: Vec<HouseholdStatus>,
    /// Whether a monitored household's risk has been removed (已消除风险).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub monitoring_risk_removed: bool,
    /// Vulnerable groups the child belongs to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<ChildGroup>,
}

impl std::fmt::Debug for Student {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Student")
            .field("student_id", &self.student_id)
            .field(
                "resident_id",
                &self.resident_id.as_deref().map(crate::resident_id::mask),
            )
            .field(
                "name",
                &self.name.as_deref().map(crate::resident_id::mask_name),
            )
            .field("birth_date", &self.birth_date)
            .field("region", &self.region)
            .field("school", &self.school)
            .field("stage", &self.stage)
            .field("grade", &self.grade)
            .field("household_statuses", &self.household_statuses)
            .field("monitoring_risk_removed", &self.monitoring_risk_removed)
            .field("groups", &self.groups)
            .finish()
    }
}

impl Student {
    /// A student with only an id and a region.
    pub fn new(student_id: &str, region: &str) -> Student {
        Student {
            student_id: student_id.to_string(),
            resident_id: None,
            name: None,
            birth_date: None,
            region: region.to_string(),
            school: None,
            stage: None,
            grade: None,
            household_statuses: Vec::new(),
            monitoring_risk_removed: false,
            groups: Vec::new(),
        }
    }

    /// Parse a student from JSON text; errors name the field.
    pub fn from_json(text: &str) -> Result<Student> {
        let student: Student = crate::dropout::parse_json(text)?;
        student.validate()?;
        Ok(student)
    }

    /// Structural checks serde cannot express (fields named from the student's root).
    pub fn validate(&self) -> Result<()> {
        if self.student_id.trim().is_empty() {
            return Err(Error::invalid(
                "student_id",
                "empty",
                "student_id is empty: a case needs the student's id",
            ));
        }
        if self.student_id.len() > 128 {
            return Err(Error::invalid(
                "student_id",
                "too_long",
                "student_id is longer than 128 bytes",
            ));
        }
        if !self.region.is_empty() && !is_region_code(&self.region) {
            return Err(Error::invalid(
                "region",
                "invalid_region",
                format!(
                    "'{}' is not a region code: expected six digits (GB/T 2260), or empty",
                    crate::json::clip(&self.region)
                ),
            ));
        }
        if let (Some(stage), Some(grade)) = (self.stage, self.grade) {
            if grade < 1 || grade > stage.max_grade() {
                return Err(Error::invalid(
                    "grade",
                    "out_of_range",
                    format!(
                        "grade {grade} is impossible for stage {stage}: expected 1 to {}",
                        stage.max_grade()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The child's age in full years on `date` (None without a birth date).
    pub fn age_on(&self, date: NaiveDate) -> Option<i32> {
        self.birth_date.map(|b| age_on(b, date))
    }

    /// The date the child turns `years` old (a 29 February birthday falls on 1 March in
    /// common years).
    pub fn birthday(&self, years: u32) -> Option<NaiveDate> {
        self.birth_date.map(|b| birthday(b, years))
    }
}

/// Age in full years on `date` of a child born on `birth`.
pub fn age_on(birth: NaiveDate, date: NaiveDate) -> i32 {
    let mut age = date.year() - birth.year();
    if (date.month(), date.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// The date a child born on `birth` turns `years` old; 29 February maps to 1 March.
pub fn birthday(birth: NaiveDate, years: u32) -> NaiveDate {
    let year = birth
        .year()
        .saturating_add(i32::try_from(years).unwrap_or(i32::MAX));
    NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn ages_and_birthdays() {
        assert_eq!(age_on(d("2008-03-15"), d("2024-03-14")), 15);
        assert_eq!(age_on(d("2008-03-15"), d("2024-03-15")), 16);
        assert_eq!(birthday(d("2008-02-29"), 16), d("2024-02-29"));
        assert_eq!(birthday(d("2008-02-29"), 15), d("2023-03-01"));
    }

    #[test]
    fn student_json_rejects_unknown_fields() {
        let e = Student::from_json(r#"{"student_id":"S1","regoin":"150924"}"#).unwrap_err();
        assert_eq!(e.code(), "unknown_field");
        assert_eq!(e.field(), "regoin");
        let e = Student::from_json(r#"{"student_id":"S1","region":"15092"}"#).unwrap_err();
        assert_eq!(e.field(), "region");
        let s = Student::from_json(
            r#"{"student_id":"S1","groups":["left_behind"],"household_statuses":["dibao"]}"#,
        )
        .unwrap();
        assert_eq!(s.groups, vec![ChildGroup::LeftBehind]);
    }
}
