//! Secondary vocational education (中等职业教育, grades 1–3, full-time formal enrolment):
//! tuition waiver (财教〔2012〕376号, A22a), national grant (A20, A22d–f, A01a, A01e, A01f),
//! national scholarship from 2019 (A04).

use super::{waiver_amount, Ctx, Facts, Outcome};
use crate::profile::{Award, Hukou, Stage};
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
        return Ok(Outcome::no(vec![facts.reason("not_full_time", &[])]));
    }
    if p.major.performing_arts {
        return Ok(Outcome::no(
            vec![facts.reason("performing_arts_major", &[])],
        ));
    }
    let mut because = vec![facts.stage_in(), facts.reason("full_time_formal", &[])];
    let before = because.len();
    if p.hukou == Hukou::Rural {
        because.push(facts.reason("rural_hukou", &[]));
    }
    if p.major.agriculture_related {
        because.push(facts.reason("agriculture_major", &[]));
    }
    if facts.level.is_some() {
        because.extend(facts.level_grounds());
    }
    if because.len() == before {
        return Ok(Outcome::no(vec![facts.reason(
            "no_qualifying_ground",
            &[(
                "grounds",
                "rural hukou, agriculture-related major, difficulty level".into(),
            )],
        )]));
    }
    let fee = waiver_amount(facts, ctx, "vocational_tuition_waiver.fee", &mut because)?;
    Ok(Outcome::Yes {
        annual: Some(fee),
        because,
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
        return Ok(Outcome::no(vec![facts.reason("not_full_time", &[])]));
    }
    let first_two = p.grade <= 2;
    let agriculture = first_two && p.major.agriculture_related;
    let grade3_from = ctx.from_of("vocational_national_grant.grade3_in_force");
    let level_ok = first_two || ctx.flag("vocational_national_grant.grade3_in_force")?;
    let level = facts.level.filter(|_| level_ok);
    if !agriculture && level.is_none() {
        let because = if !first_two && facts.level.is_some() {
            vec![
                facts.reason(
                    "grade_not_covered",
                    &[("grades", "1-2".into()), ("grade", p.grade.to_string())],
                ),
                facts.reason("rule_not_in_force", &[("from", grade3_from)]),
            ]
        } else if !first_two {
            vec![facts.reason("no_difficulty_level", &[])]
        } else {
            vec![facts.reason(
                "no_qualifying_ground",
                &[(
                    "grounds",
                    "agriculture-related major, difficulty level".into(),
                )],
            )]
        };
        return Ok(Outcome::no(because));
    }
    let mut because = vec![
        facts.stage_in(),
        facts.reason("grade_in", &[("grade", p.grade.to_string())]),
        facts.reason("full_time_formal", &[]),
    ];
    let mut annual = None;
    if let Some(level) = level {
        because.extend(facts.level_grounds());
        let (amount, tier) = ctx.tier(facts, "vocational_national_grant", level)?;
        because.push(tier);
        annual = amount;
    }
    if agriculture {
        because.push(facts.reason("agriculture_major", &[]));
        let middle = ctx.money("vocational_national_grant.tiers.middle")?;
        if level.is_none() {
            because.push(facts.reason("tier", &[("tier", "middle".into())]));
        } else if Some(middle) > annual {
            because.push(facts.reason(
                "higher_of_grounds",
                &[("ground", "agriculture_major".into())],
            ));
        }
        annual = annual.max(Some(middle));
    }
    Ok(Outcome::Yes { annual, because })
}

/// `vocational_national_scholarship` (中职国家奖学金): from 2019-09-01, a secondary-vocational
/// student whose `awards` hold it; 6000 (A04).
pub(crate) fn national_scholarship(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    if let Some(no) = not_secondary_vocational(facts) {
        return Ok(no);
    }
    let from = ctx.from_of("vocational_national_scholarship.in_force");
    if !ctx.flag("vocational_national_scholarship.in_force")? {
        return Ok(Outcome::no(vec![
            facts.reason("rule_not_in_force", &[("from", from)])
        ]));
    }
    let award = Award::SecondaryVocationalNationalScholarship;
    if !facts.profile.awards.contains(&award) {
        return Ok(Outcome::no(vec![facts.reason(
            "award_not_granted",
            &[("award", award.as_str().into())],
        )]));
    }
    let amount = ctx.money("vocational_national_scholarship.amount")?;
    Ok(Outcome::Yes {
        annual: Some(amount),
        because: vec![
            facts.stage_in(),
            facts.reason("award_granted", &[("award", award.as_str().into())]),
        ],
    })
}
