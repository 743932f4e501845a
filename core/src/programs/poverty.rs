//! Poverty-alleviation programs open to vocational students: 雨露计划 (Rain and Dew plan,
//! 国开办发〔2015〕19号, 国乡振发〔2022〕6号; A28a–c).

use super::{Ctx, Facts, Outcome};
use crate::profile::{HouseholdStatus, Stage};
use crate::reasons::{self as r, Arg};
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
        return Ok(facts.no(&r::NOT_FULL_TIME, []));
    }
    let qualifying = facts
        .key_statuses
        .iter()
        .copied()
        .filter(|s| *s == HouseholdStatus::LiftedOutOfPoverty || s.is_monitoring_kind());
    let count = qualifying.clone().count();
    if count == 0 {
        return Ok(facts.no(
            &r::NO_QUALIFYING_STATUS,
            [(
                "statuses",
                Arg::Str("lifted_out_of_poverty, monitored (risk not removed)"),
            )],
        ));
    }
    let mut because = facts.because(2 + count);
    because.stage_in(facts);
    because.add(&r::FULL_TIME_FORMAL, []);
    for s in qualifying {
        because.add(&r::HOUSEHOLD_STATUS, [("status", Arg::Str(s.as_str()))]);
    }
    let annual = ctx.money("rain_dew_plan.annual")?;
    Ok(Outcome::Yes {
        annual: Some(annual),
        because: because.done(),
    })
}
