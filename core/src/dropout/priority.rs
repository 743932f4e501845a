//! Priorities (重点): key months (重点监测时段, 控辍保学活动月), the key stage (重点监测学段,
//! junior middle school), key groups (重点保障对象, programs.md) and vulnerable groups
//! (重点关注群体, S06). Key months and stages are dated policy data (seed 002 as the
//! national default); the groups come from the student's data.

use super::section;
use super::{ChildGroup, Student};
use crate::policy::{ParamValue, Policy};
use crate::profile::HouseholdStatus;
use crate::Result;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The priority flags of a student on a date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Priority {
    /// The date is in a key monitoring month (March, June, September by default).
    pub monitoring_month: bool,
    /// The date is in a dropout-control campaign month (March, September by default).
    pub campaign_month: bool,
    /// The student is in a key monitored stage (junior middle school by default).
    pub key_stage: bool,
    /// The student's household is in a key group (programs.md: lifted out of poverty,
    /// monitored with the risk not removed, dibao, tekun, orphan, de-facto unsupported,
    /// martyr's child).
    pub key_group: bool,
    /// The vulnerable groups of the child (orphan and de-facto unsupported are also read
    /// from the household statuses).
    pub groups: Vec<ChildGroup>,
    /// Source of the key months and stage in force.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

impl Priority {
    /// The flags of `student` on `date` under `policy` (the student's region's priorities).
    pub fn of(student: &Student, date: NaiveDate, policy: &Policy) -> Result<Priority> {
        let region = student.region.as_str();
        let p = section::priorities(policy, region, date)?;
        let month = date.month();
        let monitored_recognised = matches!(
            policy
                .lookup("key_groups.monitored_recognised", region, date)
                .map(|r| r.value),
            Some(ParamValue::Flag(true))
        );
        let key_group = student.household_statuses.iter().any(|s| match s {
            HouseholdStatus::LiftedOutOfPoverty
            | HouseholdStatus::Dibao
            | HouseholdStatus::Tekun
            | HouseholdStatus::Orphan
            | HouseholdStatus::DeFactoUnsupported
            | HouseholdStatus::MartyrChild => true,
            HouseholdStatus::MonitoredUnstable
            | HouseholdStatus::MonitoredMarginal
            | HouseholdStatus::MonitoredSuddenHardship => {
                monitored_recognised && !student.monitoring_risk_removed
            }
            HouseholdStatus::DisabledParent => false,
        });
        let mut groups = student.groups.clone();
        for (status, group) in [
            (HouseholdStatus::Orphan, ChildGroup::Orphan),
            (
                HouseholdStatus::DeFactoUnsupported,
                ChildGroup::DeFactoUnsupported,
            ),
        ] {
            if student.household_statuses.contains(&status) {
                groups.push(group);
            }
        }
        groups.sort();
        groups.dedup();
        Ok(Priority {
            monitoring_month: p
                .as_ref()
                .is_some_and(|p| p.monitoring_months.contains(&month)),
            campaign_month: p
                .as_ref()
                .is_some_and(|p| p.campaign_months.contains(&month)),
            key_stage: match (student.stage, &p) {
                (Some(stage), Some(p)) => p.key_stages.contains(&stage),
                _ => false,
            },
            key_group,
            groups,
            source: p.map(|p| p.source).unwrap_or_default(),
        })
    }

    /// Whether the case is a priority case: a key group, a vulnerable group or a key stage
    /// (key months raise the monitoring of every case, not the priority of one).
    pub fn is_priority(&self) -> bool {
        self.key_group || !self.groups.is_empty() || self.key_stage
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Stage;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn flags() {
        let p = Policy::national();
        let mut s = Student::new("S1", "150924");
        s.stage = Some(Stage::JuniorMiddle);
        s.household_statuses = vec![HouseholdStatus::MonitoredMarginal, HouseholdStatus::Orphan];
        let f = Priority::of(&s, d("2024-03-10"), &p).unwrap();
        assert!(f.monitoring_month && f.campaign_month && f.key_stage && f.key_group);
        assert_eq!(f.groups, vec![ChildGroup::Orphan]);
        let f = Priority::of(&s, d("2024-06-10"), &p).unwrap();
        assert!(f.monitoring_month && !f.campaign_month);
        s.household_statuses = vec![HouseholdStatus::MonitoredMarginal];
        s.stage = Some(Stage::Primary);
        // Monitoring objects are recognised only from 2021 (programs.md).
        assert!(!Priority::of(&s, d("2020-03-10"), &p).unwrap().key_group);
        assert!(Priority::of(&s, d("2021-03-10"), &p).unwrap().key_group);
        s.monitoring_risk_removed = true;
        let f = Priority::of(&s, d("2021-04-10"), &p).unwrap();
        assert!(!f.is_priority());
    }
}
