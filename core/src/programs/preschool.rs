//! Preschool (学前教育) programs: means-tested preschool aid, whose amounts only provinces
//! set (A27a, A27b; policy-parameters.md §1), and the free final preschool year from the
//! 2025 autumn term (国办发〔2025〕27号, A27e–A27h).

use super::{waiver_amount, Ctx, Facts, Outcome};
use crate::profile::{HouseholdStatus, Stage};
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
        return Ok(Outcome::no(vec![facts.reason("no_difficulty_level", &[])]));
    }
    let mut because = vec![facts.stage_in()];
    let mut level_amount = None;
    if let Some(level) = facts.level {
        because.extend(facts.level_grounds());
        let (amount, reason) = ctx.tier(facts, "preschool_aid", level)?;
        because.push(reason);
        level_amount = amount;
    }
    let mut annual = level_amount;
    if let Some(grade) = disabled {
        // The disability ground needs no level and pays the middle tier; with a level too,
        // the higher of the two amounts (programs.md, "Several grounds, the higher amount").
        because.push(facts.reason("disability", &[("grade", grade.to_string())]));
        let middle = ctx.regional_money("preschool_aid.tiers.middle")?;
        if facts.level.is_none() {
            because.push(facts.reason("tier", &[("tier", "middle".into())]));
        } else if middle > level_amount {
            because.push(facts.reason("higher_of_grounds", &[("ground", "disability".into())]));
        }
        annual = annual.max(middle);
    }
    if annual.is_none() {
        because.push(facts.reason("regional_standard_missing", &[]));
    }
    Ok(Outcome::Yes { annual, because })
}

/// `preschool_final_year_fee_waiver` (免保育教育费): every child of preschool grade 3 from
/// 2025-09-01; the value is the local fee, 0.00 without an overlay.
pub(crate) fn final_year_fee_waiver(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    let p = facts.profile;
    if p.stage != Stage::Preschool {
        return Ok(facts.stage_not_covered(&[Stage::Preschool]));
    }
    if p.grade != 3 {
        return Ok(Outcome::no(vec![facts.reason(
            "grade_not_covered",
            &[("grades", "3".into()), ("grade", p.grade.to_string())],
        )]));
    }
    let from = ctx.from_of("preschool_final_year_fee_waiver.in_force");
    if !ctx.flag("preschool_final_year_fee_waiver.in_force")? {
        return Ok(Outcome::no(vec![
            facts.reason("rule_not_in_force", &[("from", from)])
        ]));
    }
    let mut because = vec![
        facts.stage_in(),
        facts.reason("final_preschool_year", &[("from", from)]),
    ];
    let fee = waiver_amount(
        facts,
        ctx,
        "preschool_final_year_fee_waiver.fee",
        &mut because,
    )?;
    Ok(Outcome::Yes {
        annual: Some(fee),
        because,
    })
}
