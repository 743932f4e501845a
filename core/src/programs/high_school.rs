//! General high school (普通高中, grades 1–3): the fee waiver from the 2016 autumn term
//! (财教〔2016〕292号, A19) and the tiered national grant (A20, A21, A01a, A01b, A01e).

use super::{waiver_amount, Ctx, Facts, Outcome};
use crate::profile::{HouseholdStatus, Hukou, Stage};
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
    let mut grounds = Vec::new();
    if facts.statuses.contains(HouseholdStatus::LiftedOutOfPoverty) {
        grounds.push(facts.reason(
            "household_status",
            &[("status", "lifted_out_of_poverty".into())],
        ));
    }
    for s in facts.key_statuses.iter().filter(|s| s.is_monitoring_kind()) {
        grounds.push(facts.reason("household_status", &[("status", s.as_str().into())]));
    }
    let poor_rural: Vec<HouseholdStatus> = [HouseholdStatus::Dibao, HouseholdStatus::Tekun]
        .into_iter()
        .filter(|s| facts.statuses.contains(*s))
        .collect();
    if !poor_rural.is_empty() && p.hukou == Hukou::Rural {
        for s in &poor_rural {
            grounds.push(facts.reason("household_status", &[("status", s.as_str().into())]));
        }
        grounds.push(facts.reason("rural_hukou", &[]));
    }
    if p.disability_grade.is_some() && facts.level.is_some() {
        grounds.push(facts.reason("disabled_with_level", &[]));
    }
    if grounds.is_empty() {
        let mut because = vec![facts.reason(
            "no_qualifying_ground",
            &[(
                "grounds",
                "lifted_out_of_poverty, monitored, rural dibao or tekun, disabled with a difficulty level".into(),
            )],
        )];
        if !poor_rural.is_empty() {
            because.push(facts.reason("urban_hukou_not_covered", &[]));
        }
        return Ok(Outcome::no(because));
    }
    let mut because = vec![facts.stage_in()];
    because.extend(grounds);
    let fee = waiver_amount(facts, ctx, "high_school_fee_waiver.fee", &mut because)?;
    Ok(Outcome::Yes {
        annual: Some(fee),
        because,
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
        return Ok(Outcome::no(vec![facts.reason("no_difficulty_level", &[])]));
    };
    let mut because = vec![facts.stage_in()];
    because.extend(facts.level_grounds());
    let (annual, tier) = ctx.tier(facts, "high_school_national_grant", level)?;
    because.push(tier);
    Ok(Outcome::Yes { annual, because })
}
