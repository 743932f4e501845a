//! Secondary vocational education (中等职业教育, grades 1–3, full-time formal enrolment):
//! tuition waiver (财教〔2012〕376号, A22a), national grant (A20, A22d–f, A01a, A01e, A01f),
//! national scholarship from 2019 (A04).

use super::{tier_of, waiver_amount, Ctx, Facts, Outcome};
use crate::profile::{Award, Hukou, Stage};
use crate::reasons::{self as r, Arg};
use crate::Result;

fn not_secondary_vocational(facts: &Facts) -> Option<Outcome> {
    (facts.profile.stage != Stage::SecondaryVocational)
        .then(|| facts.stage_not_covered(&[Stage::SecondaryVocational]))
}

/// `vocational_tuition_waiver` (中职免学费): grades 1–3, full-time formal, not a
/// performing-arts major, and any of: rural hukou (county towns included), an
/// agriculture-related major, a difficulty level (A22a). The value is the local fee.
pub(crate) fn tuition_waiver(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    if let Some(no) = not_secondary_vocational(facts) {
        return Ok(no);
    }
    let p = facts.profile;
    if !p.full_time_formal {
        return Ok(facts.no(&r::NOT_FULL_TIME, []));
    }
    if p.major.performing_arts {
        return Ok(facts.no(&r::PERFORMING_ARTS_MAJOR, []));
    }
    let rural = p.hukou == Hukou::Rural;
    let agriculture = p.major.agriculture_related;
    if !rural && !agriculture && facts.level.is_none() {
        return Ok(facts.no(
            &r::NO_QUALIFYING_GROUND,
            [(
                "grounds",
                Arg::Str("rural hukou, agriculture-related major, difficulty level"),
            )],
        ));
    }
    let mut because = facts.because(5 + facts.key_statuses.len() + facts.level_reasons.len());
    because.stage_in(facts);
    because.add(&r::FULL_TIME_FORMAL, []);
    if rural {
        because.add(&r::RURAL_HUKOU, []);
    }
    if agriculture {
        because.add(&r::AGRICULTURE_MAJOR, []);
    }
    if facts.level.is_some() {
        because.level_grounds(facts);
    }
    let fee = waiver_amount(ctx, "vocational_tuition_waiver.fee", &mut because)?;
    Ok(Outcome::Yes {
        annual: Some(fee),
        because: because.done(),
    })
}

/// `vocational_national_grant` (中职国家助学金): full-time formal; grade 1–2 with an
/// agriculture-related major or a difficulty level; from 2025-02-01 also grade 3 with a
/// difficulty level. A level pays its tier; the agriculture ground pays the middle tier
/// (the national average); both grounds pay the higher amount (programs.md).
pub(crate) fn national_grant(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    if let Some(no) = not_secondary_vocational(facts) {
        return Ok(no);
    }
    let p = facts.profile;
    if !p.full_time_formal {
        return Ok(facts.no(&r::NOT_FULL_TIME, []));
    }
    let first_two = p.grade <= 2;
    let agriculture = first_two && p.major.agriculture_related;
    const GRADE3_IN_FORCE: &str = "vocational_national_grant.grade3_in_force";
    let grade3_from = ctx.from_of(GRADE3_IN_FORCE);
    let level_ok = first_two || ctx.flag(GRADE3_IN_FORCE)?;
    let level = facts.level.filter(|_| level_ok);
    if !agriculture && level.is_none() {
        return Ok(if !first_two && facts.level.is_some() {
            facts.no2(
                (
                    &r::GRADE_NOT_COVERED,
                    [
                        ("grades", Arg::Str("1-2")),
                        ("grade", Arg::Num(u64::from(p.grade))),
                    ],
                ),
                (&r::RULE_NOT_IN_FORCE, [("from", Arg::Date(grade3_from))]),
            )
        } else if !first_two {
            facts.no(&r::NO_DIFFICULTY_LEVEL, [])
        } else {
            facts.no(
                &r::NO_QUALIFYING_GROUND,
                [(
                    "grounds",
                    Arg::Str("agriculture-related major, difficulty level"),
                )],
            )
        });
    }
    let mut because = facts.because(6 + facts.key_statuses.len() + facts.level_reasons.len());
    because.stage_in(facts);
    because.add(&r::GRADE_IN, [("grade", Arg::Num(u64::from(p.grade)))]);
    because.add(&r::FULL_TIME_FORMAL, []);
    let mut annual = None;
    if let Some(level) = level {
        because.level_grounds(facts);
        let amount = ctx.tier("vocational_national_grant", level)?;
        because.add(&r::TIER, [("tier", Arg::Str(tier_of(level)))]);
        annual = amount;
    }
    if agriculture {
        because.add(&r::AGRICULTURE_MAJOR, []);
        let middle = ctx.money("vocational_national_grant.tiers.middle")?;
        if level.is_none() {
            because.add(&r::TIER, [("tier", Arg::Str("middle"))]);
        } else if Some(middle) > annual {
            because.add(
                &r::HIGHER_OF_GROUNDS,
                [("ground", Arg::Str("agriculture_major"))],
            );
        }
        annual = annual.max(Some(middle));
    }
    Ok(Outcome::Yes {
        annual,
        because: because.done(),
    })
}

/// `vocational_national_scholarship` (中职国家奖学金): from 2019-09-01, a secondary-vocational
/// student whose `awards` hold it; 6000 (A04).
pub(crate) fn national_scholarship(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    if let Some(no) = not_secondary_vocational(facts) {
        return Ok(no);
    }
    const IN_FORCE: &str = "vocational_national_scholarship.in_force";
    let from = ctx.from_of(IN_FORCE);
    if !ctx.flag(IN_FORCE)? {
        return Ok(facts.no(&r::RULE_NOT_IN_FORCE, [("from", Arg::Date(from))]));
    }
    let award = Award::SecondaryVocationalNationalScholarship;
    if !facts.profile.awards.contains(&award) {
        return Ok(facts.no(&r::AWARD_NOT_GRANTED, [("award", Arg::Str(award.as_str()))]));
    }
    let amount = ctx.money("vocational_national_scholarship.amount")?;
    let mut because = facts.because(2);
    because.stage_in(facts);
    because.add(&r::AWARD_GRANTED, [("award", Arg::Str(award.as_str()))]);
    Ok(Outcome::Yes {
        annual: Some(amount),
        because: because.done(),
    })
}
