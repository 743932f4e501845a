//! Preschool (学前教育) programs: means-tested preschool aid, whose amounts only provinces
//! set (A27a, A27b; policy-parameters.md §1), and the free final preschool year from the
//! 2025 autumn term (国办发〔2025〕27号, A27e–A27h).

use super::{tier_of, waiver_amount, Ctx, Facts, Outcome};
use crate::profile::{HouseholdStatus, Stage};
use crate::reasons::{self as r, Arg};
use crate::Result;

/// `preschool_aid` (学前教育幼儿资助): a preschool child with a difficulty level, an orphan, or
/// a disabled child. The tier follows the level; a disabled child without a level is paid
/// the middle tier (programs.md: eligible without a level → middle tier; several grounds →
/// the higher amount). No national amount: without an overlay the amount is null with
/// `regional_standard_missing`.
pub(crate) fn aid(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    let p = facts.profile;
    if p.stage != Stage::Preschool {
        return Ok(facts.stage_not_covered(&[Stage::Preschool]));
    }
    let orphan = facts.statuses.contains(HouseholdStatus::Orphan);
    let disabled = p.disability_grade;
    if facts.level.is_none() && !orphan && disabled.is_none() {
        return Ok(facts.no(&r::NO_DIFFICULTY_LEVEL, []));
    }
    let mut because = facts.because(4 + facts.key_statuses.len() + facts.level_reasons.len());
    because.stage_in(facts);
    let mut level_amount = None;
    if let Some(level) = facts.level {
        because.level_grounds(facts);
        let amount = ctx.tier("preschool_aid", level)?;
        because.add(&r::TIER, [("tier", Arg::Str(tier_of(level)))]);
        level_amount = amount;
    }
    let mut annual = level_amount;
    if let Some(grade) = disabled {
        // The disability ground needs no level and pays the middle tier; with a level too,
        // the higher of the two amounts (programs.md, "Several grounds, the higher amount").
        because.add(&r::DISABILITY, [("grade", Arg::Num(u64::from(grade)))]);
        let middle = ctx.regional_money("preschool_aid.tiers.middle")?;
        if facts.level.is_none() {
            because.add(&r::TIER, [("tier", Arg::Str("middle"))]);
        } else if middle > level_amount {
            because.add(&r::HIGHER_OF_GROUNDS, [("ground", Arg::Str("disability"))]);
        }
        annual = annual.max(middle);
    }
    if annual.is_none() {
        because.add(&r::REGIONAL_STANDARD_MISSING, []);
    }
    Ok(Outcome::Yes {
        annual,
        because: because.done(),
    })
}

/// `preschool_final_year_fee_waiver` (免保育教育费): every child of preschool grade 3 from
/// 2025-09-01; the value is the local fee, 0.00 without an overlay.
pub(crate) fn final_year_fee_waiver(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    let p = facts.profile;
    if p.stage != Stage::Preschool {
        return Ok(facts.stage_not_covered(&[Stage::Preschool]));
    }
    if p.grade != 3 {
        return Ok(facts.no(
            &r::GRADE_NOT_COVERED,
            [
                ("grades", Arg::Str("3")),
                ("grade", Arg::Num(u64::from(p.grade))),
            ],
        ));
    }
    const IN_FORCE: &str = "preschool_final_year_fee_waiver.in_force";
    let from = ctx.from_of(IN_FORCE);
    if !ctx.flag(IN_FORCE)? {
        return Ok(facts.no(&r::RULE_NOT_IN_FORCE, [("from", Arg::Date(from))]));
    }
    let mut because = facts.because(3);
    because.stage_in(facts);
    because.add(&r::FINAL_PRESCHOOL_YEAR, [("from", Arg::Date(from))]);
    let fee = waiver_amount(ctx, "preschool_final_year_fee_waiver.fee", &mut because)?;
    Ok(Outcome::Yes {
        annual: Some(fee),
        because: because.done(),
    })
}
