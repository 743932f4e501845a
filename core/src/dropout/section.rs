//! The `dropout` section of a policy file: the structured, dated parts of dropout control
//! that are not single figures — the escalation ladder (劝返阶梯), the priorities (key
//! months and stages), the holidays that are not school days, and the reporting rhythm.
//! The single figures (absence thresholds, windows, ages, visit frequency, targets) are
//! ordinary dated parameters named `dropout.*`.
//!
//! ```json
//! "sections": { "dropout": {
//!   "ladders": [ { "from": "2016-09-01", "source": "seed 002", "mark": "default",
//!                  "stages": [ { "id": "class_teacher", "name_zh": "班主任劝返",
//!                                "name_en": "Class teacher", "responsible": "…",
//!                                "deadline_days": 7, "basis": "seed 002", "source": "seed 002" }, … ] } ],
//!   "priorities": [ { "from": "2016-09-01", "source": "seed 002", "monitoring_months": [3, 6, 9],
//!                     "campaign_months": [3, 9], "key_stages": ["junior_middle"] } ],
//!   "holidays":   [ { "from": "2016-09-01", "source": "…", "recurring": ["01-01", "10-01..10-03"],
//!                     "ranges": [ { "from": "2025-01-20", "to": "2025-02-16", "name": "寒假" } ] } ],
//!   "reporting":  [ { "from": "2024-04-28", "source": "S06",
//!                     "reports": [ { "id": "school_monthly", "level": "school", "every": "month",
//!                                    "due_day": 28, "name_zh": "…", "name_en": "…", "source": "S06" } ] } ]
//! } }
//! ```
//!
//! Each component is a list of dated versions (a version holds from its `from` until the
//! next one's, or to its own `to`). How layers combine, component by component:
//! - `ladders` and `priorities`: the most specific layer with a version in force on the
//!   date wins whole (an overlay replaces the ladder: it may reorder, drop, add or rename
//!   stages and change deadlines); before an overlay's first version the national one holds.
//! - `holidays`: every covering layer's version in force adds its days (regions add their
//!   vacations and the year's lunar holidays).
//! - `reporting`: reports merge by `id`; a more specific layer's report replaces one with
//!   the same id, `"enabled": false` withdraws it, new ids add reports (Baoding's tally on
//!   the 25th, seed 003).
//!
//! This module validates the section at load (so a bad file is rejected whole, naming the
//! field) and resolves the components for a region on a date. It decides nothing about
//! cases.

use crate::policy::{Mark, Policy};
use crate::profile::Stage;
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How a ladder stage ends (the `until` of a stage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Until {
    /// A deadline of `deadline_days` calendar days from entering the stage.
    #[default]
    Deadline,
    /// Open until a court outcome; then `comply_days` (or the outcome's `return_by`).
    CourtOutcome,
    /// Open until the child returns (the last resort: enforcement).
    Return,
}

impl Until {
    fn is_deadline(&self) -> bool {
        *self == Until::Deadline
    }
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// One stage (rung) of the persuasion ladder (劝返阶梯): who is responsible and how long
/// the stage may take before the case escalates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LadderStage {
    /// Stable id (`class_teacher`, `written_order`, ...): what events name.
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// The responsible party (责任人), in English with the Chinese term.
    pub responsible: String,
    /// Calendar days from entering the stage to its deadline (`until` = `deadline`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_days: Option<u32>,
    /// How the stage ends.
    #[serde(default, skip_serializing_if = "Until::is_deadline")]
    pub until: Until,
    /// For `until` = `court_outcome`: days after the outcome for the child to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comply_days: Option<u32>,
    /// Whether the stage is in use (the penalty step is off by default).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    /// The legal or documentary basis of the stage.
    pub basis: String,
    /// Source tag(s) (policy-parameters.md §15) or seed.
    pub source: String,
    /// `default` when a local example serves as the national default; `unconfirmed` when
    /// no source was seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
    /// Why, when that needs saying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The ladder in force for a region on a date: the stages in order, with where it came
/// from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ladder {
    /// First day of the version.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub from: NaiveDate,
    /// The region of the overlay that supplied it; `None` for the national ladder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Source of the version.
    pub source: String,
    /// Mark of the version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
    /// The stages, in order (disabled ones included, so that a disabled id is recognised).
    pub stages: Vec<LadderStage>,
}

impl Ladder {
    /// The stage with `id`.
    pub fn stage(&self, id: &str) -> Option<&LadderStage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// The position of stage `id`.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.id == id)
    }

    /// The first enabled stage.
    pub fn first(&self) -> Option<&LadderStage> {
        self.stages.iter().find(|s| s.enabled)
    }

    /// The enabled stage after `id`, if any.
    pub fn next_after(&self, id: &str) -> Option<&LadderStage> {
        let i = self.position(id)?;
        self.stages.iter().skip(i + 1).find(|s| s.enabled)
    }

    /// The enabled stages, in order.
    pub fn enabled(&self) -> impl Iterator<Item = &LadderStage> {
        self.stages.iter().filter(|s| s.enabled)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LadderVersion {
    #[serde(deserialize_with = "crate::calendar::de::date")]
    from: NaiveDate,
    #[serde(default)]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    to: Option<NaiveDate>,
    source: String,
    #[serde(default)]
    mark: Option<Mark>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
    stages: Vec<LadderStage>,
}

/// The priorities in force: key months and key stages (重点时段、重点学段; seed 002).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Priorities {
    /// First day of the version.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub from: NaiveDate,
    /// Last day, if the version ends without a successor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    pub to: Option<NaiveDate>,
    /// Source of the version.
    pub source: String,
    /// Mark of the version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
    /// Why, when that needs saying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Key monitoring months (重点监测时段), 1–12.
    #[serde(default)]
    pub monitoring_months: Vec<u32>,
    /// Dropout-control campaign months (控辍保学活动月), 1–12.
    #[serde(default)]
    pub campaign_months: Vec<u32>,
    /// Key monitored stages (重点监测学段).
    #[serde(default)]
    pub key_stages: Vec<Stage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayRange {
    #[serde(deserialize_with = "crate::calendar::de::date")]
    from: NaiveDate,
    #[serde(deserialize_with = "crate::calendar::de::date")]
    to: NaiveDate,
    #[serde(default)]
    #[allow(dead_code)]
    name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayVersion {
    #[serde(deserialize_with = "crate::calendar::de::date")]
    from: NaiveDate,
    #[serde(default)]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    to: Option<NaiveDate>,
    #[allow(dead_code)]
    source: String,
    #[serde(default)]
    #[allow(dead_code)]
    mark: Option<Mark>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
    /// `MM-DD` or `MM-DD..MM-DD` (within one year), every year.
    #[serde(default)]
    recurring: Vec<String>,
    #[serde(default)]
    ranges: Vec<HolidayRange>,
}

/// The administrative level a report is due at (四个一, 教基厅函〔2024〕15号, S06).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 学校.
    School,
    /// 县级 (county education bureau).
    County,
    /// 地市级 (prefecture).
    Prefecture,
    /// 省级 (province).
    Province,
}

impl Level {
    /// Parse the snake_case name; the error names `field`.
    pub fn parse(field: &str, text: &str) -> Result<Level> {
        match text {
            "school" => Ok(Level::School),
            "county" => Ok(Level::County),
            "prefecture" => Ok(Level::Prefecture),
            "province" => Ok(Level::Province),
            other => Err(Error::invalid(
                field,
                "unknown_variant",
                format!(
                    "unknown level '{}'; expected one of school, county, prefecture, province",
                    crate::json::clip(other)
                ),
            )),
        }
    }
}

/// How often a report falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Every {
    /// Every calendar month.
    Month,
    /// Every calendar quarter.
    Quarter,
    /// Every term (calendar.rs: autumn 09-01..01-31, spring 02-01..08-31).
    Term,
    /// Every school year (09-01..08-31).
    SchoolYear,
    /// A window of `window_days` from the first day of each term (开学初).
    TermStart,
}

/// One report of the reporting rhythm (报告机制).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRule {
    /// Stable id; an overlay's own reports use `REGIONCODE.name`.
    pub id: String,
    /// Who reports.
    pub level: Level,
    /// How often.
    pub every: Every,
    /// Day of the period's last month the report is due (clamped to the month's end);
    /// absent = the period's last day. Not used with `term_start`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_day: Option<u32>,
    /// For `term_start`: the length of the window, in calendar days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_days: Option<u32>,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// `false` withdraws a report of a less specific layer with the same id.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    /// Source tag(s).
    pub source: String,
    /// Mark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportingVersion {
    #[serde(deserialize_with = "crate::calendar::de::date")]
    from: NaiveDate,
    #[serde(default)]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    to: Option<NaiveDate>,
    #[allow(dead_code)]
    source: String,
    #[serde(default)]
    #[allow(dead_code)]
    mark: Option<Mark>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
    reports: Vec<ReportRule>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DropoutSection {
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    #[serde(default)]
    ladders: Vec<LadderVersion>,
    #[serde(default)]
    priorities: Vec<Priorities>,
    #[serde(default)]
    holidays: Vec<HolidayVersion>,
    #[serde(default)]
    reporting: Vec<ReportingVersion>,
}

type SectionError = (String, String);

fn err(path: String, message: impl Into<String>) -> SectionError {
    (path, message.into())
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
}

/// Check that dated versions ascend and do not overlap.
fn check_dates<'a>(
    what: &str,
    versions: impl Iterator<Item = (NaiveDate, Option<NaiveDate>)> + 'a,
) -> std::result::Result<(), SectionError> {
    let mut prev: Option<(NaiveDate, Option<NaiveDate>)> = None;
    for (i, (from, to)) in versions.enumerate() {
        if to.is_some_and(|t| t < from) {
            return Err(err(format!(".{what}[{i}].to"), "'to' is before 'from'"));
        }
        if let Some((pf, pt)) = prev {
            if from <= pf {
                return Err(err(
                    format!(".{what}[{i}].from"),
                    format!("{from} is not after the previous version's start {pf}"),
                ));
            }
            if pt.is_some_and(|t| t >= from) {
                return Err(err(
                    format!(".{what}[{i}].from"),
                    format!("{from} overlaps the previous version, which runs to {pt:?}"),
                ));
            }
        }
        prev = Some((from, to));
    }
    Ok(())
}

fn check_source(path: String, source: &str) -> std::result::Result<(), SectionError> {
    if source.trim().is_empty() {
        return Err(err(
            path,
            "every figure needs its source (a tag of policy-parameters.md or a document)",
        ));
    }
    Ok(())
}

/// Parse `MM-DD`.
fn month_day(text: &str) -> Option<(u32, u32)> {
    let (m, d) = text.split_once('-')?;
    if m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    // 2024 is a leap year: 02-29 is a valid recurring day.
    NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
}

/// Parse `MM-DD` or `MM-DD..MM-DD` (a range within one calendar year).
fn recurring_range(text: &str) -> Option<((u32, u32), (u32, u32))> {
    match text.split_once("..") {
        Some((a, b)) => {
            let (a, b) = (month_day(a)?, month_day(b)?);
            (a <= b).then_some((a, b))
        }
        None => month_day(text).map(|a| (a, a)),
    }
}

/// Validate a `dropout` section (called by `sections.rs` at load). The error is the path
/// inside the section and a message.
pub(crate) fn validate(
    value: &serde_json::Value,
    region: Option<&str>,
) -> std::result::Result<(), SectionError> {
    let section: DropoutSection = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." {
            String::new()
        } else {
            format!(".{path}")
        };
        let (message, child) = clean(e.inner());
        match child {
            Some(c) => (format!("{path}.{c}"), message),
            None => (path, message),
        }
    })?;
    if region.is_none() && section.ladders.is_empty() {
        return Err(err(
            ".ladders".into(),
            "the national dropout section needs a ladder",
        ));
    }
    check_dates("ladders", section.ladders.iter().map(|v| (v.from, v.to)))?;
    for (i, v) in section.ladders.iter().enumerate() {
        let at = format!(".ladders[{i}]");
        check_source(format!("{at}.source"), &v.source)?;
        if !v.stages.iter().any(|s| s.enabled) {
            return Err(err(
                format!("{at}.stages"),
                "a ladder needs at least one enabled stage",
            ));
        }
        for (j, s) in v.stages.iter().enumerate() {
            let sat = format!("{at}.stages[{j}]");
            if !is_id(&s.id) {
                return Err(err(
                    format!("{sat}.id"),
                    format!(
                        "stage id '{}' may hold only a-z, 0-9, '_' and '.' (at most 64)",
                        crate::json::clip(&s.id)
                    ),
                ));
            }
            if v.stages.iter().take(j).any(|t| t.id == s.id) {
                return Err(err(
                    format!("{sat}.id"),
                    format!("stage '{}' appears twice in the ladder", s.id),
                ));
            }
            if s.responsible.trim().is_empty() {
                return Err(err(
                    format!("{sat}.responsible"),
                    "every stage needs a responsible party",
                ));
            }
            check_source(format!("{sat}.source"), &s.source)?;
            match (s.until, s.deadline_days) {
                (Until::Deadline, None) => {
                    return Err(err(
                        format!("{sat}.deadline_days"),
                        "a stage that ends at a deadline needs deadline_days",
                    ))
                }
                (Until::Deadline, Some(n)) if n == 0 || n > 3650 => {
                    return Err(err(
                        format!("{sat}.deadline_days"),
                        format!("{n} days is outside 1..=3650"),
                    ))
                }
                (Until::CourtOutcome | Until::Return, Some(_)) => {
                    return Err(err(
                        format!("{sat}.deadline_days"),
                        "a stage open until a court outcome or a return has no deadline_days",
                    ))
                }
                _ => {}
            }
            match (s.until, s.comply_days) {
                (Until::CourtOutcome, Some(n)) if n == 0 || n > 3650 => {
                    return Err(err(
                        format!("{sat}.comply_days"),
                        format!("{n} days is outside 1..=3650"),
                    ))
                }
                (Until::Deadline | Until::Return, Some(_)) => {
                    return Err(err(
                        format!("{sat}.comply_days"),
                        "comply_days belongs to a stage open until a court outcome",
                    ))
                }
                _ => {}
            }
        }
    }
    check_dates(
        "priorities",
        section.priorities.iter().map(|v| (v.from, v.to)),
    )?;
    for (i, v) in section.priorities.iter().enumerate() {
        let at = format!(".priorities[{i}]");
        check_source(format!("{at}.source"), &v.source)?;
        for (name, months) in [
            ("monitoring_months", &v.monitoring_months),
            ("campaign_months", &v.campaign_months),
        ] {
            for (j, m) in months.iter().enumerate() {
                if !(1..=12).contains(m) {
                    return Err(err(
                        format!("{at}.{name}[{j}]"),
                        format!("{m} is not a month (1–12)"),
                    ));
                }
            }
        }
    }
    check_dates("holidays", section.holidays.iter().map(|v| (v.from, v.to)))?;
    for (i, v) in section.holidays.iter().enumerate() {
        let at = format!(".holidays[{i}]");
        check_source(format!("{at}.source"), &v.source)?;
        for (j, r) in v.recurring.iter().enumerate() {
            if recurring_range(r).is_none() {
                return Err(err(
                    format!("{at}.recurring[{j}]"),
                    format!(
                        "'{}' is not MM-DD or MM-DD..MM-DD within one year",
                        crate::json::clip(r)
                    ),
                ));
            }
        }
        for (j, r) in v.ranges.iter().enumerate() {
            if r.to < r.from {
                return Err(err(format!("{at}.ranges[{j}].to"), "'to' is before 'from'"));
            }
            if (r.to - r.from).num_days() > 366 {
                return Err(err(
                    format!("{at}.ranges[{j}].to"),
                    "a holiday range longer than a year is not plausible",
                ));
            }
        }
    }
    check_dates(
        "reporting",
        section.reporting.iter().map(|v| (v.from, v.to)),
    )?;
    for (i, v) in section.reporting.iter().enumerate() {
        let at = format!(".reporting[{i}]");
        check_source(format!("{at}.source"), &v.source)?;
        for (j, r) in v.reports.iter().enumerate() {
            let rat = format!("{at}.reports[{j}]");
            if !is_id(&r.id) {
                return Err(err(
                    format!("{rat}.id"),
                    format!(
                        "report id '{}' may hold only a-z, 0-9, '_' and '.'",
                        crate::json::clip(&r.id)
                    ),
                ));
            }
            if v.reports.iter().take(j).any(|t| t.id == r.id) {
                return Err(err(
                    format!("{rat}.id"),
                    format!("report '{}' appears twice", r.id),
                ));
            }
            check_source(format!("{rat}.source"), &r.source)?;
            if let Some(d) = r.due_day {
                if r.every == Every::TermStart {
                    return Err(err(
                        format!("{rat}.due_day"),
                        "a term_start report is due at the end of its window_days, not on a day",
                    ));
                }
                if !(1..=31).contains(&d) {
                    return Err(err(
                        format!("{rat}.due_day"),
                        format!("{d} is not a day of a month (1–31)"),
                    ));
                }
            }
            match (r.every, r.window_days) {
                (Every::TermStart, None) => {
                    return Err(err(
                        format!("{rat}.window_days"),
                        "a term_start report needs window_days",
                    ))
                }
                (Every::TermStart, Some(n)) if n == 0 || n > 180 => {
                    return Err(err(
                        format!("{rat}.window_days"),
                        format!("{n} days is outside 1..=180"),
                    ))
                }
                (Every::TermStart, Some(_)) => {}
                (_, Some(_)) => {
                    return Err(err(
                        format!("{rat}.window_days"),
                        "window_days belongs to a term_start report",
                    ))
                }
                (_, None) => {}
            }
        }
    }
    Ok(())
}

/// The serde message without its position, and the missing field it names.
fn clean(e: &serde_json::Error) -> (String, Option<String>) {
    let mut text = e.to_string();
    if let Some(pos) = text.rfind(" at line ") {
        text.truncate(pos);
    }
    let child = text
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(f, _)| f.to_string());
    (text.replace('`', "'"), child)
}

/// The section of each covering layer, parsed, most specific first, with the layer's
/// region.
fn layers(policy: &Policy, region: &str) -> Result<Vec<(Option<String>, DropoutSection)>> {
    policy
        .sections("dropout", region)
        .into_iter()
        .map(|(layer, value)| {
            serde_json::from_value::<DropoutSection>(value.clone())
                .map(|s| (layer.region.clone(), s))
                .map_err(|e| Error::Policy {
                    file: layer.files.join(", "),
                    line: 0,
                    field: "sections.dropout".into(),
                    code: "invalid_section".into(),
                    message: e.to_string(),
                })
        })
        .collect()
}

fn in_force(from: NaiveDate, to: Option<NaiveDate>, date: NaiveDate) -> bool {
    from <= date && to.is_none_or(|t| date <= t)
}

/// The version in force on `date` of a list sorted by `from`.
fn version_on<T>(
    list: &[T],
    date: NaiveDate,
    dates: impl Fn(&T) -> (NaiveDate, Option<NaiveDate>),
) -> Option<&T> {
    let v = list.iter().rev().find(|v| dates(v).0 <= date)?;
    let (from, to) = dates(v);
    in_force(from, to, date).then_some(v)
}

/// The escalation ladder in force for `region` on `date` (the most specific layer with a
/// version in force).
pub fn ladder(policy: &Policy, region: &str, date: NaiveDate) -> Result<Ladder> {
    for (layer_region, section) in layers(policy, region)? {
        if let Some(v) = version_on(&section.ladders, date, |v| (v.from, v.to)) {
            return Ok(Ladder {
                from: v.from,
                region: layer_region,
                source: v.source.clone(),
                mark: v.mark,
                stages: v.stages.clone(),
            });
        }
    }
    Err(missing("ladders", date))
}

/// The priorities in force for `region` on `date`, if any layer defines them.
pub fn priorities(policy: &Policy, region: &str, date: NaiveDate) -> Result<Option<Priorities>> {
    for (_, section) in layers(policy, region)? {
        if let Some(v) = version_on(&section.priorities, date, |v| (v.from, v.to)) {
            return Ok(Some(v.clone()));
        }
    }
    Ok(None)
}

/// The reports in force for `region` on `date`, merged by id across the layers (most
/// specific wins; disabled ones withdrawn), sorted by level then id.
pub fn report_rules(policy: &Policy, region: &str, date: NaiveDate) -> Result<Vec<ReportRule>> {
    let mut merged: Vec<ReportRule> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (_, section) in layers(policy, region)? {
        if let Some(v) = version_on(&section.reporting, date, |v| (v.from, v.to)) {
            for r in &v.reports {
                if seen.contains(&r.id) {
                    continue;
                }
                seen.push(r.id.clone());
                if r.enabled {
                    merged.push(r.clone());
                }
            }
        }
    }
    merged.sort_by(|a, b| (a.level, &a.id).cmp(&(b.level, &b.id)));
    Ok(merged)
}

fn missing(what: &str, date: NaiveDate) -> Error {
    Error::Policy {
        file: "policy".into(),
        line: 0,
        field: format!("sections.dropout.{what}"),
        code: "missing_section".into(),
        message: format!("no dropout {what} version is in force on {date}"),
    }
}

/// The school calendar of a region: which days are not school days (weekends and the
/// policy's holidays of every covering layer, each on the dates its version is in force).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolCalendar {
    versions: Vec<HolidayVersion>,
}

impl PartialEq for HolidayVersion {
    fn eq(&self, other: &Self) -> bool {
        self.from == other.from
            && self.to == other.to
            && self.recurring == other.recurring
            && self.ranges == other.ranges
    }
}

impl Eq for HolidayVersion {}

impl SchoolCalendar {
    /// The calendar of `region` under `policy`.
    pub fn new(policy: &Policy, region: &str) -> Result<SchoolCalendar> {
        let mut versions = Vec::new();
        for (_, section) in layers(policy, region)? {
            // Keep each layer's versions with their successor's start as an end, so that a
            // version is in force only until the next one of the same layer.
            let list = section.holidays;
            for (i, v) in list.iter().enumerate() {
                let next = list.get(i + 1).map(|n| n.from);
                let mut v = v.clone();
                if let Some(n) = next {
                    let end = n.pred_opt().unwrap_or(n);
                    v.to = Some(v.to.map_or(end, |t| t.min(end)));
                }
                versions.push(v);
            }
        }
        Ok(SchoolCalendar { versions })
    }

    /// Whether `date` is a holiday of the policy.
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        let md = (date.month(), date.day());
        self.versions
            .iter()
            .filter(|v| in_force(v.from, v.to, date))
            .any(|v| {
                v.recurring
                    .iter()
                    .filter_map(|r| recurring_range(r))
                    .any(|(a, b)| a <= md && md <= b)
                    || v.ranges.iter().any(|r| r.from <= date && date <= r.to)
            })
    }

    /// Whether `date` is an ordinary school day: a weekday that is not a holiday. (A
    /// weekend make-up day, 调休, is a school day only when the attendance records say so.)
    pub fn is_school_day(&self, date: NaiveDate) -> bool {
        use chrono::Weekday;
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_holiday(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn stage(id: &str) -> serde_json::Value {
        json!({"id": id, "name_zh": "x", "name_en": "x", "responsible": "x",
               "deadline_days": 7, "basis": "x", "source": "test"})
    }

    #[test]
    fn validates_paths() {
        let ok =
            json!({"ladders": [{"from": "2016-09-01", "source": "t", "stages": [stage("a")]}]});
        assert!(validate(&ok, None).is_ok());
        let dup = json!({"ladders": [{"from": "2016-09-01", "source": "t", "stages": [stage("a"), stage("a")]}]});
        assert_eq!(
            validate(&dup, None).unwrap_err().0,
            ".ladders[0].stages[1].id"
        );
        let mut no_deadline = stage("a");
        no_deadline.as_object_mut().unwrap().remove("deadline_days");
        let v =
            json!({"ladders": [{"from": "2016-09-01", "source": "t", "stages": [no_deadline]}]});
        assert_eq!(
            validate(&v, None).unwrap_err().0,
            ".ladders[0].stages[0].deadline_days"
        );
        let unknown = json!({"ladders": [{"from": "2016-09-01", "source": "t", "stages": [stage("a")], "bogus": 1}]});
        let e = validate(&unknown, None).unwrap_err();
        assert!(e.0.starts_with(".ladders[0]"), "{e:?}");
        assert!(e.1.contains("bogus"));
        let missing = json!({"ladders": [{"from": "2016-09-01", "stages": [stage("a")]}]});
        assert_eq!(
            validate(&missing, None).unwrap_err().0,
            ".ladders[0].source"
        );
        let bad_month = json!({"priorities": [{"from": "2016-09-01", "source": "t", "monitoring_months": [13]}]});
        assert_eq!(
            validate(&bad_month, Some("150924")).unwrap_err().0,
            ".priorities[0].monitoring_months[0]"
        );
        let bad_day =
            json!({"holidays": [{"from": "2016-09-01", "source": "t", "recurring": ["02-30"]}]});
        assert_eq!(
            validate(&bad_day, Some("150924")).unwrap_err().0,
            ".holidays[0].recurring[0]"
        );
        assert!(validate(&json!({}), None).is_err());
        assert!(validate(&json!({}), Some("150924")).is_ok());
    }

    #[test]
    fn national_ladder_has_eight_stages_with_penalty_off() {
        let p = Policy::national();
        let l = ladder(&p, "", d("2024-09-01")).unwrap();
        let ids: Vec<&str> = l.stages.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "class_teacher",
                "school_leaders",
                "bureau_and_principal",
                "joint_persuasion",
                "written_order",
                "administrative_penalty",
                "litigation",
                "enforcement"
            ]
        );
        assert!(!l.stage("administrative_penalty").unwrap().enabled);
        assert_eq!(l.next_after("written_order").unwrap().id, "litigation");
        assert_eq!(l.region, None);
    }

    #[test]
    fn school_calendar() {
        let cal = SchoolCalendar::new(&Policy::national(), "").unwrap();
        assert!(!cal.is_school_day(d("2024-10-01"))); // National Day
        assert!(!cal.is_school_day(d("2024-10-05"))); // Saturday
        assert!(cal.is_school_day(d("2024-10-08")));
        assert!(cal.is_school_day(d("2024-05-02"))); // a school day before 2025
        assert!(!cal.is_school_day(d("2025-05-02"))); // Labour Day's second day from 2025
    }
}
