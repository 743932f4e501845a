//! General high school (普通高中, grades 1–3): the fee waiver from the 2016 autumn term
//! (财教〔2016〕292号, A19) and the tiered national grant (A20, A21, A01a, A01b, A01e).

use super::{tier_of, waiver_amount, Ctx, Facts, Outcome};
use crate::profile::{HouseholdStatus, Hukou, Stage};
use crate::reasons::{self as r, Arg};
use crate::Result;

/// `high_school_fee_waiver` (普通高中免学杂费): from 2016-09-01 a student of a household lifted
/// out of poverty (建档立卡); a dibao or tekun student with rural hukou (农村低保、农村特困);
/// a disabled student with a difficulty level; from 2021-01-01 also monitored households
/// (monitoring exists only from then, see [`Facts`]). The value is the local fee.
pub(crate) fn fee_waiver(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    let p = facts.profile;
    if p.stage != Stage::GeneralHigh {
        return Ok(facts.stage_not_covered(&[Stage::GeneralHigh]));
    }
    let lifted = facts.statuses.contains(HouseholdStatus::LiftedOutOfPoverty);
    let mut monitored = facts
        .key_statuses
        .iter()
        .filter(|s| s.is_monitoring_kind())
        .peekable();
    let any_monitored = monitored.peek().is_some();
    let poor_rural = [HouseholdStatus::Dibao, HouseholdStatus::Tekun]
        .into_iter()
        .filter(|s| facts.statuses.contains(*s));
    let any_poor = poor_rural.clone().next().is_some();
    let rural_poor = any_poor && p.hukou == Hukou::Rural;
    let disabled = p.disability_grade.is_some() && facts.level.is_some();
    if !lifted && !any_monitored && !rural_poor && !disabled {
        let mut because = facts.because(2);
        because.add(
            &r::NO_QUALIFYING_GROUND,
            [(
                "grounds",
                Arg::Str("lifted_out_of_poverty, monitored, rural dibao or tekun, disabled with a difficulty level"),
            )],
        );
        if any_poor {
            because.add(&r::URBAN_HUKOU_NOT_COVERED, []);
        }
        return Ok(Outcome::no(because.done()));
    }
    let mut because = facts.because(8);
    because.stage_in(facts);
    if lifted {
        because.add(
            &r::HOUSEHOLD_STATUS,
            [("status", Arg::Str("lifted_out_of_poverty"))],
        );
    }
    for s in monitored {
        because.add(&r::HOUSEHOLD_STATUS, [("status", Arg::Str(s.as_str()))]);
    }
    if rural_poor {
        for s in poor_rural {
            because.add(&r::HOUSEHOLD_STATUS, [("status", Arg::Str(s.as_str()))]);
        }
        because.add(&r::RURAL_HUKOU, []);
    }
    if disabled {
        because.add(&r::DISABLED_WITH_LEVEL, []);
    }
    let fee = waiver_amount(ctx, "high_school_fee_waiver.fee", &mut because)?;
    Ok(Outcome::Yes {
        annual: Some(fee),
        because: because.done(),
    })
}

/// `high_school_national_grant` (普通高中国家助学金): a student with a difficulty level, at the
/// tier of the level (average 2000, tiers 3000/2000/1000 until 2025-01-31; average 2300,
/// tiers 3500/2300/1200 from 2025-02-01).
pub(crate) fn national_grant(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    let p = facts.profile;
    if p.stage != Stage::GeneralHigh {
        return Ok(facts.stage_not_covered(&[Stage::GeneralHigh]));
    }
    let Some(level) = facts.level else {
        return Ok(facts.no(&r::NO_DIFFICULTY_LEVEL, []));
    };
    let mut because = facts.because(2 + facts.key_statuses.len() + facts.level_reasons.len());
    because.stage_in(facts);
    because.level_grounds(facts);
    let annual = ctx.tier("high_school_national_grant", level)?;
    because.add(&r::TIER, [("tier", Arg::Str(tier_of(level)))]);
    Ok(Outcome::Yes {
        annual,
        because: because.done(),
    })
}
