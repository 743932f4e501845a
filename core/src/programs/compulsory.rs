//! Compulsory education (义务教育, primary 1–6 and junior middle 1–3): 两免一补 (fee waiver,
//! free textbooks, living subsidy; A18, A13a, A12) and the nutrition improvement plan
//! (营养改善计划, A16a–A16e).

use super::{with_name, Ctx, Facts, Outcome, ReadParameters};
use crate::money::Money;
use crate::profile::{NutritionPilot, SchoolLocation, Stage};
use crate::reasons::{self as r, Arg};
use crate::Result;
use rust_decimal::Decimal;

const COMPULSORY: [Stage; 2] = [Stage::Primary, Stage::JuniorMiddle];

fn universal(facts: &Facts) -> Outcome {
    if !facts.profile.stage.is_compulsory() {
        return facts.stage_not_covered(&COMPULSORY);
    }
    let mut because = facts.because(2);
    because.stage_in(facts);
    because.add(&r::EVERY_STUDENT, []);
    Outcome::Yes {
        annual: Some(Money::ZERO),
        because: because.done(),
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
    let grounds = facts.key_statuses.len() + facts.level_reasons.len();
    if p.boarding {
        let Some(_) = facts.level else {
            return Ok(facts.no(&r::NO_DIFFICULTY_LEVEL, []));
        };
        let amount = with_name(&["compulsory_living_subsidy.boarder.", stage], |name| {
            ctx.money(name)
        })?;
        let mut because = facts.because(2 + grounds);
        because.stage_in(facts);
        because.add(&r::BOARDING, []);
        because.level_grounds(facts);
        return Ok(Outcome::Yes {
            annual: Some(amount),
            because: because.done(),
        });
    }
    if !facts.key {
        return Ok(facts.no2((&r::NOT_BOARDING, []), (&r::NOT_KEY_GROUP, [])));
    }
    const IN_FORCE: &str = "compulsory_living_subsidy.non_boarder.in_force";
    let from = ctx.from_of(IN_FORCE);
    if !ctx.flag(IN_FORCE)? {
        return Ok(facts.no2(
            (&r::NOT_BOARDING, []),
            (&r::RULE_NOT_IN_FORCE, [("from", Arg::Date(from))]),
        ));
    }
    let amount = with_name(&["compulsory_living_subsidy.non_boarder.", stage], |name| {
        ctx.money(name)
    })?;
    let mut because = facts.because(2 + grounds);
    because.stage_in(facts);
    because.add(&r::NON_BOARDER_KEY_GROUP, [("from", Arg::Date(from))]);
    because.level_grounds(facts);
    Ok(Outcome::Yes {
        annual: Some(amount),
        because: because.done(),
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
            let region = ctx.region;
            let national = ctx.receipt.regions(
                ctx.policy,
                "nutrition_improvement.pilot_regions.national",
                region,
                ctx.date,
            )?;
            let local = ctx.receipt.regions(
                ctx.policy,
                "nutrition_improvement.pilot_regions.local",
                region,
                ctx.date,
            )?;
            let inside = |list: &[String]| {
                !region.is_empty() && list.iter().any(|r| crate::policy::region_covers(r, region))
            };
            if inside(national) {
                Some(NutritionPilot::National)
            } else if inside(local) {
                Some(NutritionPilot::Local)
            } else {
                None
            }
        }
    };
    let Some(pilot) = pilot else {
        // No region given and no default region: say so rather than leave a gap.
        let region = if facts.school_region.is_empty() {
            Arg::Str("none")
        } else {
            Arg::Text(facts.school_region)
        };
        return Ok(facts.no(&r::NOT_PILOT_AREA, [("region", region)]));
    };
    let location = p.effective_school_location();
    if location == SchoolLocation::City {
        return Ok(facts.no(&r::CITY_SCHOOL, []));
    }
    let annual = nutrition_annual(ctx)?;
    let mut because = facts.because(3);
    because.stage_in(facts);
    because.add(&r::PILOT_AREA, [("pilot", Arg::Str(pilot.as_str()))]);
    because.add(
        &r::SCHOOL_NOT_CITY,
        [("location", Arg::Str(location.as_str()))],
    );
    Ok(Outcome::Yes {
        annual: Some(annual),
        because: because.done(),
    })
}

/// Daily rate × school days of a year, in force on the context's date.
pub(crate) fn nutrition_annual(ctx: &mut Ctx) -> Result<Money> {
    let rate = ctx.money("nutrition_improvement.daily_rate")?;
    let days = ctx.number("nutrition_improvement.school_days_per_year")?;
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
    let days = ctx.number("nutrition_improvement.school_days_per_year")?;
    Ok(fen(rate * (days / Decimal::TWO)))
}
