//! The reporting rhythm (常态化报告机制, 教基厅函〔2024〕15号, S06): which report each level
//! — school, county, prefecture, province — owes next, for which period, by which day.
//! The rules are dated policy data (the `reporting` component of the dropout section);
//! regions add their own (Baoding tallies its ledgers on the 25th, seed 003).

use super::section::{self, Every, Level};
use crate::calendar::{SchoolYear, Term};
use crate::policy::{Mark, Policy};
use crate::Result;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A report a level owes: the next occurrence of a reporting rule whose due date is on or
/// after the date asked about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportDue {
    /// The rule's id.
    pub report: String,
    /// Who reports.
    pub level: Level,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// First day of the period reported on.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub period_from: NaiveDate,
    /// Last day of the period.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub period_to: NaiveDate,
    /// The due date.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub due: NaiveDate,
    /// Whether the report is due on the date asked about.
    pub due_today: bool,
    /// Whether the date asked about falls in the period reported on.
    pub in_period: bool,
    /// Source.
    pub source: String,
    /// Mark of the rule (the due days are defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
}

fn last_of_month(year: i32, month: u32) -> NaiveDate {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// Day `day` of the month of `end` (clamped to the month's end), or `end` itself.
fn due_in_last_month(end: NaiveDate, day: Option<u32>) -> NaiveDate {
    match day {
        Some(day) => {
            NaiveDate::from_ymd_opt(end.year(), end.month(), day.min(end.day())).unwrap_or(end)
        }
        None => end,
    }
}

/// The period (from, to) of `every` containing `date`, and the start of the next one.
fn period(every: Every, date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let (y, m) = (date.year(), date.month());
    match every {
        Every::Month => (
            NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(date),
            last_of_month(y, m),
        ),
        Every::Quarter => {
            let first = (m - 1) / 3 * 3 + 1;
            (
                NaiveDate::from_ymd_opt(y, first, 1).unwrap_or(date),
                last_of_month(y, first + 2),
            )
        }
        Every::Term | Every::TermStart => {
            let t = Term::containing(date);
            (t.first_day(), t.last_day())
        }
        Every::SchoolYear => {
            let s = SchoolYear::containing(date);
            (
                s.first_day(),
                SchoolYear(s.0 + 1)
                    .first_day()
                    .pred_opt()
                    .unwrap_or(NaiveDate::MAX),
            )
        }
    }
}

/// The occurrence (period from, period to, due) of a rule for the period containing
/// `date`.
fn occurrence(rule: &section::ReportRule, date: NaiveDate) -> (NaiveDate, NaiveDate, NaiveDate) {
    let (from, to) = period(rule.every, date);
    match rule.every {
        Every::TermStart => {
            let end = super::add_days(from, rule.window_days.unwrap_or(1).saturating_sub(1));
            (from, end, end)
        }
        _ => (from, to, due_in_last_month(to, rule.due_day)),
    }
}

/// The reports `level` owes as of `date` in `region` (`""` = national only): for each rule
/// in force, its next occurrence due on or after `date`, sorted by due date then id.
pub fn reports_due(
    level: Level,
    date: NaiveDate,
    region: &str,
    policy: &Policy,
) -> Result<Vec<ReportDue>> {
    policy.check_in_force("date", date)?;
    let mut out = Vec::new();
    for rule in section::report_rules(policy, region, date)?
        .into_iter()
        .filter(|r| r.level == level)
    {
        let (mut from, mut to, mut due) = occurrence(&rule, date);
        if due < date {
            // The next period: the day after this one ends (for a term-start window, the
            // next term).
            let next = match rule.every {
                Every::TermStart => Term::containing(date).next().first_day(),
                _ => period(rule.every, date)
                    .1
                    .succ_opt()
                    .unwrap_or(NaiveDate::MAX),
            };
            (from, to, due) = occurrence(&rule, next);
        }
        out.push(ReportDue {
            report: rule.id.clone(),
            level: rule.level,
            name_zh: rule.name_zh.clone(),
            name_en: rule.name_en.clone(),
            period_from: from,
            period_to: to,
            due,
            due_today: due == date,
            in_period: from <= date && date <= to,
            source: rule.source.clone(),
            mark: rule.mark,
        });
    }
    out.sort_by(|a, b| (a.due, &a.report).cmp(&(b.due, &b.report)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn due(level: Level, date: &str) -> Vec<(String, NaiveDate, bool)> {
        reports_due(level, d(date), "", &Policy::national())
            .unwrap()
            .into_iter()
            .map(|r| (r.report, r.due, r.due_today))
            .collect()
    }

    #[test]
    fn national_rhythm() {
        assert_eq!(
            due(Level::School, "2024-10-28"),
            vec![("school_monthly".into(), d("2024-10-28"), true)]
        );
        assert_eq!(
            due(Level::School, "2024-10-29"),
            vec![("school_monthly".into(), d("2024-11-28"), false)]
        );
        // February 2025 has 28 days; due day 28 stays.
        assert_eq!(due(Level::School, "2025-02-10")[0].1, d("2025-02-28"));
        assert_eq!(
            due(Level::County, "2024-09-15"),
            vec![
                ("county_quarterly".into(), d("2024-09-30"), false),
                ("county_term_start_check".into(), d("2024-09-30"), false),
            ]
        );
        assert_eq!(
            due(Level::County, "2024-10-15"),
            vec![
                ("county_quarterly".into(), d("2024-12-31"), false),
                ("county_term_start_check".into(), d("2025-03-02"), false),
            ]
        );
        assert_eq!(
            due(Level::Prefecture, "2024-10-15"),
            vec![("prefecture_term".into(), d("2025-01-31"), false)]
        );
        assert_eq!(
            due(Level::Province, "2025-08-31"),
            vec![("province_school_year".into(), d("2025-08-31"), true)]
        );
        // Before the 2024 notice there is no national rhythm.
        assert!(due(Level::School, "2023-10-28").is_empty());
    }
}
