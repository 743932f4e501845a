//! Care schedules (关爱帮扶): the "eight ones" (八个一) of Xinghe County for each poor
//! student (seed 002) and the visits of home-delivered teaching (送教上门) as schedules:
//! from a start date and a term, the due dates of each activity; from a log of activities
//! done, what is overdue (programs.md, "Beyond per-student entitlements").
//!
//! The eight ones (seed 002, "八个一"关爱活动):
//! 1. a family-education activity every month (每月开展1次典型教育活动);
//! 2. a talk every half month (每半个月…开展1次谈话交流);
//! 3. a home visit every month (每月进行1次家访);
//! 4. an analysis of the student's grades every month (每月…成绩变化进行1次分析);
//! 5. a social-practice activity every month (每月组织…1次社会实践活动);
//! 6. a recommended book every month (每月荐读1本课外励志好书);
//! 7. a parent-child activity and a gratitude essay every term (每学期开展1次亲子活动,写1篇感恩作文);
//! 8. at least one aid payment every term (每学期至少进行1次…资助).
//!
//! Home-delivered teaching: at least one visit a week (seed 002, 每周至少安排一次送教活动);
//! Shandong and Henan require two (S18); the national frequency is UNCONFIRMED.
//!
//! The period of each activity (week, half month, month, term) is fixed here; how many are
//! due in a period is a dated parameter (`care.json`) that a region may override.
//!
//! Readings: weeks run Monday to Sunday; half months are the 1st–15th and the 16th–end;
//! months are calendar months; the term is the calendar's (programs.md, "Calendar"). The
//! schedule runs from the start (or the term's first day, if later) to the end (default:
//! the term's last day); a period cut by the start or the end still needs its activities,
//! due on its last day. An activity is overdue when its period ended before `as_of` with
//! fewer activities logged than due. Log entries outside the schedule, after `as_of`, or of
//! another plan's activity are ignored and listed.
//!
//! Pure: no I/O, no clock.

use crate::assessment::ParameterUsed;
use crate::calendar::Term;
use crate::loans::{parse_json, parse_value, request_region};
use crate::policy::Policy;
use crate::programs::{ReadParameters, Receipt};
use crate::{Error, Result};
use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

/// Most log entries in one request.
pub const MAX_LOG: usize = 100_000;

/// A care plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CarePlan {
    /// 八个一: the eight care activities for a poor student (seed 002).
    EightOnes,
    /// 送教上门: home-delivered teaching visits.
    HomeTeaching,
}

/// A care activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CareActivity {
    /// 典型教育活动 (the parents' school brought into the family), monthly.
    FamilyEducation,
    /// 谈话交流, every half month.
    Talk,
    /// 家访, monthly.
    HomeVisit,
    /// 成绩变化分析, monthly.
    GradesAnalysis,
    /// 社会实践活动, monthly.
    SocialPractice,
    /// 荐读课外励志好书, monthly.
    RecommendedBook,
    /// 亲子活动, every term.
    ParentChildActivity,
    /// 感恩作文, every term.
    GratitudeEssay,
    /// 教育资助、社会资助或学校资助, at least once a term.
    AidPayment,
    /// 送教上门, weekly.
    HomeTeachingVisit,
}

/// The period an activity is due in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Monday to Sunday.
    Week,
    /// The 1st–15th or the 16th–end of a month.
    HalfMonth,
    /// A calendar month.
    Month,
    /// The term.
    Term,
}

impl CareActivity {
    /// The activities of a plan, in the seed's order.
    pub fn of_plan(plan: CarePlan) -> &'static [CareActivity] {
        use CareActivity::*;
        match plan {
            CarePlan::EightOnes => &[
                FamilyEducation,
                Talk,
                HomeVisit,
                GradesAnalysis,
                SocialPractice,
                RecommendedBook,
                ParentChildActivity,
                GratitudeEssay,
                AidPayment,
            ],
            CarePlan::HomeTeaching => &[HomeTeachingVisit],
        }
    }

    /// The Chinese name.
    pub fn name_zh(self) -> &'static str {
        use CareActivity::*;
        match self {
            FamilyEducation => "典型教育活动",
            Talk => "谈话交流",
            HomeVisit => "家访",
            GradesAnalysis => "成绩变化分析",
            SocialPractice => "社会实践活动",
            RecommendedBook => "荐读励志好书",
            ParentChildActivity => "亲子活动",
            GratitudeEssay => "感恩作文",
            AidPayment => "资助",
            HomeTeachingVisit => "送教上门",
        }
    }

    /// The period the activity is due in.
    pub fn period(self) -> Period {
        use CareActivity::*;
        match self {
            Talk => Period::HalfMonth,
            ParentChildActivity | GratitudeEssay | AidPayment => Period::Term,
            HomeTeachingVisit => Period::Week,
            _ => Period::Month,
        }
    }

    /// The parameter holding how many are due in a period.
    pub fn parameter(self) -> &'static str {
        use CareActivity::*;
        match self {
            FamilyEducation => "care.eight_ones.family_education.per_month",
            Talk => "care.eight_ones.talk.per_half_month",
            HomeVisit => "care.eight_ones.home_visit.per_month",
            GradesAnalysis => "care.eight_ones.grades_analysis.per_month",
            SocialPractice => "care.eight_ones.social_practice.per_month",
            RecommendedBook => "care.eight_ones.recommended_book.per_month",
            ParentChildActivity => "care.eight_ones.parent_child_activity.per_term",
            GratitudeEssay => "care.eight_ones.gratitude_essay.per_term",
            AidPayment => "care.eight_ones.aid_payment.per_term",
            HomeTeachingVisit => "care.home_teaching.visits_per_week",
        }
    }
}

/// One activity done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CareLogEntry {
    /// The activity.
    pub activity: CareActivity,
    /// The day it was done.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub date: NaiveDate,
}

/// The input of [`care_schedule`].
///
/// ```json
/// { "plan": "eight_ones", "student_id": "S-1", "term": "2024-autumn",
///   "start": "2024-09-01", "as_of": "2024-11-05",
///   "log": [ { "activity": "home_visit", "date": "2024-09-12" } ] }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CareRequest {
    /// The plan.
    pub plan: CarePlan,
    /// The caller's student id.
    #[serde(default)]
    pub student_id: String,
    /// The term.
    pub term: Term,
    /// The day the plan starts; default the term's first day (a start before the term
    /// starts the schedule on the term's first day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    pub start: Option<NaiveDate>,
    /// The last day of the schedule (e.g. the last teaching day); default the term's last
    /// day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    pub end: Option<NaiveDate>,
    /// The day the log is looked at: periods ended before it are checked.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub as_of: NaiveDate,
    /// The activities done.
    #[serde(default)]
    pub log: Vec<CareLogEntry>,
    /// The region whose overlays apply; default: the policy's default region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

impl CareRequest {
    /// Parse from JSON text; errors name the field.
    pub fn from_json(text: &str) -> Result<CareRequest> {
        parse_json(text)
    }

    /// Parse from a JSON value; errors name the field.
    pub fn from_value(value: serde_json::Value) -> Result<CareRequest> {
        parse_value(value)
    }
}

/// The state of a slot on `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotStatus {
    /// As many activities logged as due.
    Done,
    /// The period ended before `as_of` with fewer logged than due.
    Overdue,
    /// The period is running on `as_of` (it ends on or after `as_of`).
    Open,
    /// The period starts after `as_of`.
    Upcoming,
}

/// One period of an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CareSlot {
    /// First day of the period (cut by the schedule's start).
    pub from: NaiveDate,
    /// Last day of the period (cut by the schedule's end): the due date.
    pub due: NaiveDate,
    /// How many are due.
    pub required: u32,
    /// How many were logged in the period (up to `as_of`).
    pub done: u32,
    /// The state on `as_of`.
    pub status: SlotStatus,
}

/// The schedule of one activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivitySchedule {
    /// The activity.
    pub activity: CareActivity,
    /// Chinese name.
    pub name_zh: String,
    /// Its period.
    pub period: Period,
    /// The periods, in order.
    pub slots: Vec<CareSlot>,
    /// Activities due over the whole schedule.
    pub required_total: u32,
    /// Activities logged that count (at most the number due in each period).
    pub done_total: u32,
}

/// An overdue period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overdue {
    /// The activity.
    pub activity: CareActivity,
    /// First day of the period.
    pub from: NaiveDate,
    /// The due date (last day of the period).
    pub due: NaiveDate,
    /// How many are missing.
    pub missing: u32,
}

/// A log entry that did not count, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IgnoredEntry {
    /// Its index in the log.
    pub index: usize,
    /// `outside_schedule`, `after_as_of` or `not_in_plan`.
    pub code: String,
}

/// The care schedule of one student for a term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CareSchedule {
    /// The caller's student id.
    pub student_id: String,
    /// The plan.
    pub plan: CarePlan,
    /// The term.
    pub term: Term,
    /// First day of the schedule.
    pub start: NaiveDate,
    /// Last day of the schedule.
    pub end: NaiveDate,
    /// The day the log was looked at.
    pub as_of: NaiveDate,
    /// Each activity of the plan.
    pub activities: Vec<ActivitySchedule>,
    /// Every overdue period, by due date.
    pub overdue: Vec<Overdue>,
    /// Log entries that did not count.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<IgnoredEntry>,
    /// Every dated figure read (the receipt).
    pub parameters_used: Vec<ParameterUsed>,
}

/// The last day of the period of `kind` that contains `day`.
fn period_end(kind: Period, day: NaiveDate, term_end: NaiveDate) -> NaiveDate {
    let month_end = || {
        let next = if day.month() == 12 {
            NaiveDate::from_ymd_opt(day.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(day.year(), day.month() + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(day)
    };
    match kind {
        Period::Week => {
            let to_sunday = 6 - u64::from(day.weekday().num_days_from_monday());
            day.checked_add_days(Days::new(to_sunday)).unwrap_or(day)
        }
        Period::HalfMonth if day.day() <= 15 => day.with_day(15).unwrap_or(day),
        Period::HalfMonth | Period::Month => month_end(),
        Period::Term => term_end,
    }
}

/// The care schedule of `request` under `policy`.
///
/// Errors: a term before the coverage (`term`); a start after the term (`start`); an end
/// before the start or after the term (`end`); too long a log (`log`).
pub fn care_schedule(request: &CareRequest, policy: &Policy) -> Result<CareSchedule> {
    let term = request.term;
    policy.check_in_force("term", term.first_day())?;
    let region = request_region(policy, &request.region, "region")?;
    let start = request
        .start
        .unwrap_or_else(|| term.first_day())
        .max(term.first_day());
    if start > term.last_day() {
        return Err(Error::invalid(
            "start",
            "out_of_range",
            format!(
                "{start} is after the term {term}, which ends on {}",
                term.last_day()
            ),
        ));
    }
    let end = request.end.unwrap_or_else(|| term.last_day());
    if end < start || end > term.last_day() {
        return Err(Error::invalid(
            "end",
            "out_of_range",
            format!(
                "{end} is not between the schedule's start {start} and the term's last day {}",
                term.last_day()
            ),
        ));
    }
    if request.log.len() > MAX_LOG {
        return Err(Error::invalid(
            "log",
            "too_large",
            format!("{} entries; the limit is {MAX_LOG}", request.log.len()),
        ));
    }
    let activities_of_plan = CareActivity::of_plan(request.plan);
    let mut ignored = Vec::new();
    let mut counted: Vec<&CareLogEntry> = Vec::new();
    for (index, entry) in request.log.iter().enumerate() {
        let code = if !activities_of_plan.contains(&entry.activity) {
            Some("not_in_plan")
        } else if entry.date < start || entry.date > end {
            Some("outside_schedule")
        } else if entry.date > request.as_of {
            Some("after_as_of")
        } else {
            None
        };
        match code {
            Some(code) => ignored.push(IgnoredEntry {
                index,
                code: code.into(),
            }),
            None => counted.push(entry),
        }
    }
    let mut receipt = Receipt::default();
    let mut activities = Vec::with_capacity(activities_of_plan.len());
    let mut overdue = Vec::new();
    for &activity in activities_of_plan {
        let period = activity.period();
        let mut slots = Vec::new();
        let mut day = start;
        loop {
            let due = period_end(period, day, term.last_day()).min(end);
            let per = receipt.number(policy, activity.parameter(), &region, day)?;
            let required = per.to_u32().unwrap_or(0);
            let done = counted
                .iter()
                .filter(|e| e.activity == activity && e.date >= day && e.date <= due)
                .count();
            let done = u32::try_from(done).unwrap_or(u32::MAX);
            let status = if done >= required {
                SlotStatus::Done
            } else if due < request.as_of {
                overdue.push(Overdue {
                    activity,
                    from: day,
                    due,
                    missing: required - done,
                });
                SlotStatus::Overdue
            } else if day <= request.as_of {
                SlotStatus::Open
            } else {
                SlotStatus::Upcoming
            };
            slots.push(CareSlot {
                from: day,
                due,
                required,
                done,
                status,
            });
            match due.succ_opt() {
                Some(next) if next <= end => day = next,
                _ => break,
            }
        }
        activities.push(ActivitySchedule {
            activity,
            name_zh: activity.name_zh().into(),
            period,
            required_total: slots.iter().map(|s| s.required).sum(),
            done_total: slots.iter().map(|s| s.done.min(s.required)).sum(),
            slots,
        });
    }
    overdue.sort_by_key(|o| (o.due, o.activity));
    Ok(CareSchedule {
        student_id: request.student_id.clone(),
        plan: request.plan,
        term,
        start,
        end,
        as_of: request.as_of,
        activities,
        overdue,
        ignored,
        parameters_used: receipt.used.iter().map(ParameterUsed::from).collect(),
    })
}
