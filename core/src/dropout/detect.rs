//! Detection (发现): turning attendance records, registry comparisons and term-start
//! screenings into findings (dropout-control.md, "Triggers"). A finding at or above the
//! suspected-dropout level carries the [`Trigger`] that opens its case.
//!
//! School days exclude weekends and the policy's holidays ([`SchoolCalendar`]); an
//! attendance record says more than the calendar: `no_school` removes a day (a vacation,
//! a closure), any other record on a weekend makes it a school day (a make-up day, 调休).
//! A school day without a record counts as attended, so a feed of absences alone works.

use super::section::SchoolCalendar;
use super::student::age_on;
use super::{whole, Trigger};
use crate::calendar::Term;
use crate::policy::Policy;
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A day's attendance (考勤).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceStatus {
    /// At school.
    Present,
    /// Absent without leave (无故缺勤).
    Absent,
    /// Absent with leave (请假): breaks a run of unexplained absence.
    Leave,
    /// No school that day (vacation, closure).
    NoSchool,
}

/// One attendance record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttendanceRecord {
    /// The day.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub date: NaiveDate,
    /// What happened.
    pub status: AttendanceStatus,
}

/// A run of consecutive unexplained school days ending on the day asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AbsenceRun {
    /// School days in the run.
    pub school_days: u32,
    /// Its first school day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    pub first_absent: Option<NaiveDate>,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingLevel {
    /// Unexplained absence at the home-visit threshold: a same-day home visit (家访), no
    /// case yet.
    HomeVisit,
    /// 疑似辍学: open a case, enter it in the suspected-dropout ledger.
    SuspectedDropout,
    /// 辍学.
    Dropout,
    /// 失学: a school-age child never enrolled.
    OutOfSchool,
}

/// What detection found about one child.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The student id (for registry comparisons without one, the resident id).
    pub student_id: String,
    /// How serious.
    pub level: FindingLevel,
    /// The trigger to open the case with ([`super::Case::open`]).
    pub trigger: Trigger,
    /// A sentence saying what was found.
    pub detail: String,
    /// The rule's source.
    pub source: String,
}

impl Finding {
    /// Whether the finding opens a case (suspected dropout or worse).
    pub fn opens_case(&self) -> bool {
        self.level != FindingLevel::HomeVisit
    }
}

/// The run of consecutive unexplained school days ending on `as_of` (or on the last school
/// day before it). Duplicate dates are an error naming the record.
pub fn absence_run(
    records: &[AttendanceRecord],
    as_of: NaiveDate,
    calendar: &SchoolCalendar,
) -> Result<AbsenceRun> {
    let mut by_date: BTreeMap<NaiveDate, AttendanceStatus> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        if by_date.insert(r.date, r.status).is_some() {
            return Err(Error::invalid(
                format!("records[{i}].date"),
                "duplicate",
                format!("two attendance records for {}", r.date),
            ));
        }
    }
    let earliest = by_date.keys().next().copied();
    let mut run = AbsenceRun {
        school_days: 0,
        first_absent: None,
    };
    let mut day = as_of;
    loop {
        if earliest.is_none_or(|e| day < e) {
            break;
        }
        match by_date.get(&day) {
            Some(AttendanceStatus::Absent) => {
                run.school_days += 1;
                run.first_absent = Some(day);
            }
            Some(AttendanceStatus::NoSchool) => {}
            Some(AttendanceStatus::Present | AttendanceStatus::Leave) => break,
            None if calendar.is_school_day(day) => break,
            None => {}
        }
        match day.pred_opt() {
            Some(p) => day = p,
            None => break,
        }
    }
    Ok(run)
}

/// Detection from attendance (S13, S14): the level the run of unexplained absence ending
/// on `as_of` reaches under the thresholds in force for `region`, or `None` below the
/// home-visit threshold.
pub fn detect_absence(
    student_id: &str,
    records: &[AttendanceRecord],
    as_of: NaiveDate,
    region: &str,
    policy: &Policy,
) -> Result<Option<Finding>> {
    policy.check_in_force("as_of", as_of)?;
    let calendar = SchoolCalendar::new(policy, region)?;
    let run = absence_run(records, as_of, &calendar)?;
    let visit = whole(policy, "dropout.absence.home_visit_days", region, as_of)?;
    let suspected = whole(policy, "dropout.absence.suspected_over_days", region, as_of)?;
    let dropout = whole(policy, "dropout.absence.dropout_over_days", region, as_of)?;
    let Some(first_absent) = run.first_absent.filter(|_| run.school_days >= visit) else {
        return Ok(None);
    };
    let n = run.school_days;
    let (level, detail) = if n > dropout {
        (
            FindingLevel::Dropout,
            format!("{n} consecutive school days absent without leave, more than {dropout}: dropout (辍学)"),
        )
    } else if n > suspected {
        (
            FindingLevel::SuspectedDropout,
            format!("{n} consecutive school days absent without leave, more than {suspected}: suspected dropout (疑似辍学), enter it in the ledger"),
        )
    } else {
        (
            FindingLevel::HomeVisit,
            format!("{n} consecutive school days absent without leave (at least {visit}): home visit the same day"),
        )
    };
    Ok(Some(Finding {
        student_id: student_id.to_string(),
        level,
        trigger: Trigger::Absence {
            first_absent,
            school_days: n,
        },
        detail,
        source: "S13, S14; dropout.absence.*".into(),
    }))
}

/// A child of a registered household (户籍 / the poverty registry) to compare with the
/// enrolment records.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisteredChild {
    /// Resident identity number: the key of the comparison.
    pub resident_id: String,
    /// Student id, if the child has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub student_id: Option<String>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Date of birth.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub birth_date: NaiveDate,
    /// Region code of the household registration.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub region: String,
}

/// A child's enrolment status in the student registry (学籍).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentStatus {
    /// Enrolled (在籍).
    Enrolled,
    /// Enrolled in home-delivered teaching (送教上门).
    HomeTeaching,
    /// Deferred or suspended with approval.
    Deferred,
    /// Exempted with approval.
    Exempt,
    /// Formerly enrolled, no longer (a past record).
    Left,
}

/// One enrolment record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enrolment {
    /// Resident identity number.
    pub resident_id: String,
    /// Status.
    pub status: EnrolmentStatus,
}

/// What a child of school age is, per the registry comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildStatus {
    /// Enrolled (home teaching included: it counts as enrolled).
    Enrolled,
    /// Deferred or suspended with approval.
    Deferred,
    /// Exempted.
    Exempt,
    /// Formerly enrolled, in no current enrolment: suspected dropout (辍学).
    SuspectedDropout,
    /// Never enrolled: out of school (失学).
    OutOfSchool,
}

/// The best enrolment status per resident id (a current enrolment beats a past one).
pub(crate) fn enrolment_index(enrolments: &[Enrolment]) -> BTreeMap<&str, EnrolmentStatus> {
    let mut index: BTreeMap<&str, EnrolmentStatus> = BTreeMap::new();
    for e in enrolments {
        let entry = index.entry(e.resident_id.as_str()).or_insert(e.status);
        if e.status < *entry {
            *entry = e.status;
        }
    }
    index
}

/// The status of `child` on `as_of`, or `None` when the child is not of school age then.
pub(crate) fn child_status(
    child: &RegisteredChild,
    index: &BTreeMap<&str, EnrolmentStatus>,
    as_of: NaiveDate,
    policy: &Policy,
) -> Result<Option<ChildStatus>> {
    let from = whole(
        policy,
        "dropout.school_age.from_years",
        &child.region,
        as_of,
    )?;
    let until = whole(
        policy,
        "dropout.school_age.until_years",
        &child.region,
        as_of,
    )?;
    let age = i64::from(age_on(child.birth_date, as_of));
    if age < i64::from(from) || age >= i64::from(until) {
        return Ok(None);
    }
    Ok(Some(match index.get(child.resident_id.as_str()) {
        Some(EnrolmentStatus::Enrolled | EnrolmentStatus::HomeTeaching) => ChildStatus::Enrolled,
        Some(EnrolmentStatus::Deferred) => ChildStatus::Deferred,
        Some(EnrolmentStatus::Exempt) => ChildStatus::Exempt,
        Some(EnrolmentStatus::Left) => ChildStatus::SuspectedDropout,
        None => ChildStatus::OutOfSchool,
    }))
}

/// Registry comparison (户籍 vs 学籍, 四查三比对, S06; seeds 000, 004): every child of
/// school age on `as_of` (6–15 by default) found in no current enrolment, as a finding —
/// suspected dropout when formerly enrolled, out of school (失学) when never.
pub fn compare_registry(
    children: &[RegisteredChild],
    enrolments: &[Enrolment],
    as_of: NaiveDate,
    policy: &Policy,
) -> Result<Vec<Finding>> {
    policy.check_in_force("as_of", as_of)?;
    let index = enrolment_index(enrolments);
    let mut out = Vec::new();
    for (i, child) in children.iter().enumerate() {
        if !child.region.is_empty() && !crate::profile::is_region_code(&child.region) {
            return Err(Error::invalid(
                format!("children[{i}].region"),
                "invalid_region",
                format!(
                    "'{}' is not a six-digit region code",
                    crate::json::clip(&child.region)
                ),
            ));
        }
        let status = child_status(child, &index, as_of, policy)?;
        let (level, ever_enrolled, what) = match status {
            Some(ChildStatus::SuspectedDropout) => (
                FindingLevel::SuspectedDropout,
                true,
                "formerly enrolled, in no current enrolment: suspected dropout (辍学)",
            ),
            Some(ChildStatus::OutOfSchool) => (
                FindingLevel::OutOfSchool,
                false,
                "in no enrolment: suspected out of school (失学)",
            ),
            _ => continue,
        };
        out.push(Finding {
            student_id: child
                .student_id
                .clone()
                .unwrap_or_else(|| child.resident_id.clone()),
            level,
            trigger: Trigger::Registry { ever_enrolled },
            detail: format!(
                "school-age child (age {}) of a registered household {what}",
                age_on(child.birth_date, as_of)
            ),
            source: "S06 (四查三比对); seeds 000, 004".into(),
        });
    }
    Ok(out)
}

/// One pupil of a term-start screening (开学初地毯式排查).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningRow {
    /// The pupil.
    pub student_id: String,
    /// Whether the pupil is back at school.
    pub back: bool,
}

/// Term-start screening (seed 002): every pupil not back on `date` is a suspected dropout.
pub fn screen_term_start(rows: &[ScreeningRow], date: NaiveDate) -> Vec<Finding> {
    let term = Term::containing(date);
    rows.iter()
        .filter(|r| !r.back)
        .map(|r| Finding {
            student_id: r.student_id.clone(),
            level: FindingLevel::SuspectedDropout,
            trigger: Trigger::Screening { term },
            detail: format!("not back at school at the screening of {term}"),
            source: "seed 002".into(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn absent(dates: &[&str]) -> Vec<AttendanceRecord> {
        dates
            .iter()
            .map(|s| AttendanceRecord {
                date: d(s),
                status: AttendanceStatus::Absent,
            })
            .collect()
    }

    #[test]
    fn runs_skip_weekends_and_holidays() {
        let p = Policy::national();
        // Mon 2024-09-23 .. Mon 2024-10-07, National Day 10-01..03; weekends skipped.
        let recs = absent(&[
            "2024-09-23",
            "2024-09-24",
            "2024-09-25",
            "2024-09-26",
            "2024-09-27",
            "2024-09-30",
            "2024-10-04",
            "2024-10-07",
        ]);
        let f = detect_absence("S1", &recs, d("2024-10-07"), "", &p)
            .unwrap()
            .unwrap();
        assert_eq!(
            f.trigger,
            Trigger::Absence {
                first_absent: d("2024-09-23"),
                school_days: 8
            }
        );
        assert_eq!(f.level, FindingLevel::SuspectedDropout);
        // A missing school day (Wed 09-25 not recorded) counts as attended.
        let mut gap = recs.clone();
        gap.retain(|r| r.date != d("2024-09-25"));
        let f = detect_absence("S1", &gap, d("2024-10-07"), "", &p)
            .unwrap()
            .unwrap();
        assert_eq!(f.level, FindingLevel::HomeVisit);
        // Two days are below the home-visit threshold.
        assert!(detect_absence(
            "S1",
            &absent(&["2024-10-04", "2024-10-07"]),
            d("2024-10-07"),
            "",
            &p
        )
        .unwrap()
        .is_none());
    }

    #[test]
    fn thresholds_are_strictly_more_than() {
        let p = Policy::national();
        // Five school days Mon–Fri: more than 5 is needed for a suspected dropout.
        let five = absent(&[
            "2024-11-04",
            "2024-11-05",
            "2024-11-06",
            "2024-11-07",
            "2024-11-08",
        ]);
        let f = detect_absence("S", &five, d("2024-11-08"), "", &p)
            .unwrap()
            .unwrap();
        assert_eq!(f.level, FindingLevel::HomeVisit);
        let mut six = five.clone();
        six.extend(absent(&["2024-11-11"]));
        let f = detect_absence("S", &six, d("2024-11-11"), "", &p)
            .unwrap()
            .unwrap();
        assert_eq!(f.level, FindingLevel::SuspectedDropout);
    }

    #[test]
    fn make_up_days_and_no_school() {
        let cal = SchoolCalendar::new(&Policy::national(), "").unwrap();
        let recs = vec![
            AttendanceRecord {
                date: d("2024-09-27"),
                status: AttendanceStatus::Absent,
            },
            // Sunday make-up day, absent: counts.
            AttendanceRecord {
                date: d("2024-09-29"),
                status: AttendanceStatus::Absent,
            },
            AttendanceRecord {
                date: d("2024-09-30"),
                status: AttendanceStatus::Absent,
            },
            // The rest of the 2024 National Day week and a closure, both weekdays.
            AttendanceRecord {
                date: d("2024-10-07"),
                status: AttendanceStatus::NoSchool,
            },
            AttendanceRecord {
                date: d("2024-10-08"),
                status: AttendanceStatus::NoSchool,
            },
            AttendanceRecord {
                date: d("2024-10-04"),
                status: AttendanceStatus::Absent,
            },
            AttendanceRecord {
                date: d("2024-10-09"),
                status: AttendanceStatus::Absent,
            },
        ];
        let run = absence_run(&recs, d("2024-10-09"), &cal).unwrap();
        assert_eq!(run.school_days, 5);
        assert_eq!(run.first_absent, Some(d("2024-09-27")));
        let dup = vec![recs[0], recs[0]];
        assert_eq!(
            absence_run(&dup, d("2024-10-09"), &cal)
                .unwrap_err()
                .field(),
            "records[1].date"
        );
    }

    #[test]
    fn registry_and_screening() {
        let p = Policy::national();
        let child = |id: &str, birth: &str| RegisteredChild {
            resident_id: id.into(),
            student_id: None,
            name: None,
            birth_date: d(birth),
            region: "130431".into(),
        };
        let children = vec![
            child("A", "2012-05-01"), // 12, enrolled
            child("B", "2012-05-01"), // 12, left
            child("C", "2012-05-01"), // 12, never
            child("D", "2019-05-01"), // 5, too young
            child("E", "2008-09-01"), // 16 on 2024-09-01
            child("F", "2012-05-01"), // home teaching counts as enrolled
        ];
        let enrol = vec![
            Enrolment {
                resident_id: "A".into(),
                status: EnrolmentStatus::Left,
            },
            Enrolment {
                resident_id: "A".into(),
                status: EnrolmentStatus::Enrolled,
            },
            Enrolment {
                resident_id: "B".into(),
                status: EnrolmentStatus::Left,
            },
            Enrolment {
                resident_id: "F".into(),
                status: EnrolmentStatus::HomeTeaching,
            },
        ];
        let found = compare_registry(&children, &enrol, d("2024-09-01"), &p).unwrap();
        let got: Vec<(&str, FindingLevel)> = found
            .iter()
            .map(|f| (f.student_id.as_str(), f.level))
            .collect();
        assert_eq!(
            got,
            vec![
                ("B", FindingLevel::SuspectedDropout),
                ("C", FindingLevel::OutOfSchool)
            ]
        );
        let rows = vec![
            ScreeningRow {
                student_id: "X".into(),
                back: true,
            },
            ScreeningRow {
                student_id: "Y".into(),
                back: false,
            },
        ];
        let f = screen_term_start(&rows, d("2025-02-20"));
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].trigger,
            Trigger::Screening {
                term: Term::parse("2025-spring").unwrap()
            }
        );
    }
}
