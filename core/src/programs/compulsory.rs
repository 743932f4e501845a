//! Compulsory education (义务教育, primary 1–6 and junior middle 1–3): 两免一补 (fee waiver,
//! free textbooks, living subsidy; A18, A13a, A12) and the nutrition improvement plan
//! (营养改善计划, A16a–A16e).

use super::{Ctx, Facts, Outcome};
use crate::money::Money;
use crate::profile::{NutritionPilot, SchoolLocation, Stage};
use crate::Result;
use rust_decimal::Decimal;

const COMPULSORY: [Stage; 2] = [Stage::Primary, Stage::JuniorMiddle];

fn universal(facts: &Facts) -> Outcome {
    if !facts.profile.stage.is_compulsory() {
        return facts.stage_not_covered(&COMPULSORY);
    }
    Outcome::Yes {
        annual: Some(Money::ZERO),
        because: vec![facts.stage_in(), facts.reason("every_student", &[])],
    }
}

/// `compulsory_fee_waiver` (免学杂费): every compulsory student; 0.00, since schools are
/// funded through public funds (生均公用经费, A18, A13a).
pub(crate) fn fee_waiver(facts: &Facts, _ctx: &mut Ctx) -> Result<Outcome> {
    Ok(universal(facts))
}

/// `free_textbooks` (免费提供教科书): every compulsory student; 0.00 (A13a, A18).
pub(crate) fn free_textbooks(facts: &Facts, _ctx: &mut Ctx) -> Result<Outcome> {
    Ok(universal(facts))
}

/// `compulsory_living_subsidy` (家庭经济困难学生生活补助, 财教〔2021〕310号): a boarder with a
/// difficulty level gets the boarder standard; from 2019-09-01 a non-boarder in a key group
/// gets half of it (A13a). Standards rose from the 2024 spring term (A12).
pub(crate) fn living_subsidy(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    let p = facts.profile;
    if !p.stage.is_compulsory() {
        return Ok(facts.stage_not_covered(&COMPULSORY));
    }
    let stage = p.stage.as_str();
    if p.boarding {
        let Some(_) = facts.level else {
            return Ok(Outcome::no(vec![facts.reason("no_difficulty_level", &[])]));
        };
        let amount = ctx.money(&format!("compulsory_living_subsidy.boarder.{stage}"))?;
        let mut because = vec![facts.stage_in(), facts.reason("boarding", &[])];
        because.extend(facts.level_grounds());
        return Ok(Outcome::Yes {
            annual: Some(amount),
            because,
        });
    }
    if !facts.key {
        return Ok(Outcome::no(vec![
            facts.reason("not_boarding", &[]),
            facts.reason("not_key_group", &[]),
        ]));
    }
    let from = ctx.from_of("compulsory_living_subsidy.non_boarder.in_force");
    if !ctx.flag("compulsory_living_subsidy.non_boarder.in_force")? {
        return Ok(Outcome::no(vec![
            facts.reason("not_boarding", &[]),
            facts.reason("rule_not_in_force", &[("from", from)]),
        ]));
    }
    let amount = ctx.money(&format!("compulsory_living_subsidy.non_boarder.{stage}"))?;
    let mut because = vec![
        facts.stage_in(),
        facts.reason("non_boarder_key_group", &[("from", from)]),
    ];
    because.extend(facts.level_grounds());
    Ok(Outcome::Yes {
        annual: Some(amount),
        because,
    })
}

/// `nutrition_improvement` (营养膳食补助): a compulsory student whose school is in a pilot
/// area (the profile's `nutrition_pilot`, else the policy's pilot-region lists) and not in a
/// city district. Daily rate × school days (200 a year, A16a); in kind (A16e).
pub(crate) fn nutrition(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    let p = facts.profile;
    if !p.stage.is_compulsory() {
        return Ok(facts.stage_not_covered(&COMPULSORY));
    }
    let pilot = match p.nutrition_pilot {
        Some(k) => Some(k),
        None => {
            let region = ctx.region.clone();
            let national = ctx.receipt.regions(
                ctx.policy,
                "nutrition_improvement.pilot_regions.national",
                &region,
                ctx.date,
            )?;
            let local = ctx.receipt.regions(
                ctx.policy,
                "nutrition_improvement.pilot_regions.local",
                &region,
                ctx.date,
            )?;
            let inside = |list: &[String]| {
                !region.is_empty()
                    && list
                        .iter()
                        .any(|r| crate::policy::region_covers(r, &region))
            };
            if inside(&national) {
                Some(NutritionPilot::National)
            } else if inside(&local) {
                Some(NutritionPilot::Local)
            } else {
                None
            }
        }
    };
    let Some(pilot) = pilot else {
        return Ok(Outcome::no(vec![facts.reason(
            "not_pilot_area",
            // No region given and no default region: say so rather than leave a gap.
            &[(
                "region",
                if facts.school_region.is_empty() {
                    "none".into()
                } else {
                    facts.school_region.clone()
                },
            )],
        )]));
    };
    let location = p.effective_school_location();
    if location == SchoolLocation::City {
        return Ok(Outcome::no(vec![facts.reason("city_school", &[])]));
    }
    let annual = nutrition_annual(ctx)?;
    Ok(Outcome::Yes {
        annual: Some(annual),
        because: vec![
            facts.stage_in(),
            facts.reason("pilot_area", &[("pilot", pilot.as_str().into())]),
            facts.reason("school_not_city", &[("location", location.as_str().into())]),
        ],
    })
}

/// Daily rate × school days of a year, in force on the context's date.
pub(crate) fn nutrition_annual(ctx: &mut Ctx) -> Result<Money> {
    let rate = ctx.money("nutrition_improvement.daily_rate")?;
    let days = ctx.receipt.number(
        ctx.policy,
        "nutrition_improvement.school_days_per_year",
        &ctx.region.clone(),
        ctx.date,
    )?;
    Ok(fen(rate * days))
}

/// Rounded to the fen, half away from zero (as [`Money::half`]): an overlay's school-day
/// count need not be even, nor whole, and a payment is never shown rounded while its total
/// adds the unrounded amounts.
fn fen(m: Money) -> Money {
    Money(m.0.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
}

/// The instalment of one term: daily rate × half the school days of a year.
pub(crate) fn nutrition_term(ctx: &mut Ctx) -> Result<Money> {
    let rate = ctx.money("nutrition_improvement.daily_rate")?;
    let days = ctx.receipt.number(
        ctx.policy,
        "nutrition_improvement.school_days_per_year",
        &ctx.region.clone(),
        ctx.date,
    )?;
    Ok(fen(rate * (days / Decimal::TWO)))
}
