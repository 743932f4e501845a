//! Poverty-alleviation programs open to vocational students: 雨露计划 (Rain and Dew plan,
//! 国开办发〔2015〕19号, 国乡振发〔2022〕6号; A28a–c).

use super::{Ctx, Facts, Outcome};
use crate::profile::{HouseholdStatus, Stage};
use crate::Result;

const STAGES: [Stage; 2] = [Stage::SecondaryVocational, Stage::HigherVocational];

/// `rain_dew_plan` (雨露计划): secondary or higher vocational, full-time, household lifted out
/// of poverty or monitored (risk not removed); 3000 a year, 1500 a term (A28a, A28c).
pub(crate) fn rain_dew_plan(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    let p = facts.profile;
    if !STAGES.contains(&p.stage) {
        return Ok(facts.stage_not_covered(&STAGES));
    }
    if !p.full_time_formal {
        return Ok(Outcome::no(vec![facts.reason("not_full_time", &[])]));
    }
    let qualifying: Vec<HouseholdStatus> = facts
        .key_statuses
        .iter()
        .copied()
        .filter(|s| *s == HouseholdStatus::LiftedOutOfPoverty || s.is_monitoring_kind())
        .collect();
    if qualifying.is_empty() {
        return Ok(Outcome::no(vec![facts.reason(
            "no_qualifying_status",
            &[(
                "statuses",
                "lifted_out_of_poverty, monitored (risk not removed)".into(),
            )],
        )]));
    }
    let mut because = vec![facts.stage_in(), facts.reason("full_time_formal", &[])];
    for s in qualifying {
        because.push(facts.reason("household_status", &[("status", s.as_str().into())]));
    }
    let annual = ctx.money("rain_dew_plan.annual")?;
    Ok(Outcome::Yes {
        annual: Some(annual),
        because,
    })
}
