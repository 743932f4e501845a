//! Higher education: 本专科 (higher vocational and undergraduate) grant and scholarships
//! (A04, A25, A01a–c), graduate (研究生) grant and scholarship (A23a, A23b), and the
//! yearly cap of the national student loan (A07, A05a, A02, A09).

use super::{tier_of, Ctx, Facts, Outcome};
use crate::profile::{Award, Institution, Stage};
use crate::reasons::{self as r, Arg};
use crate::Result;

const SHORT_CYCLE_AND_UNDERGRADUATE: [Stage; 2] = [Stage::HigherVocational, Stage::Undergraduate];
const GRADUATE: [Stage; 2] = [Stage::Masters, Stage::Doctoral];
const LOAN_STAGES: [Stage; 4] = [
    Stage::HigherVocational,
    Stage::Undergraduate,
    Stage::Masters,
    Stage::Doctoral,
];

/// `higher_national_grant` (本专科国家助学金): higher vocational or undergraduate, full-time,
/// with a difficulty level or a veteran (退役士兵). The level pays its tier; a veteran gets at
/// least the national average: the higher of the average and the level's tier (A01c).
pub(crate) fn national_grant(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    let p = facts.profile;
    if !p.stage.is_short_cycle_or_undergraduate() {
        return Ok(facts.stage_not_covered(&SHORT_CYCLE_AND_UNDERGRADUATE));
    }
    if !p.full_time_formal {
        return Ok(facts.no(&r::NOT_FULL_TIME, []));
    }
    if facts.level.is_none() && !p.veteran {
        return Ok(facts.no(&r::NO_DIFFICULTY_LEVEL, []));
    }
    let mut because = facts.because(5 + facts.key_statuses.len() + facts.level_reasons.len());
    because.stage_in(facts);
    because.add(&r::FULL_TIME_FORMAL, []);
    let mut annual = None;
    if let Some(level) = facts.level {
        because.level_grounds(facts);
        let amount = ctx.tier("higher_national_grant", level)?;
        because.add(&r::TIER, [("tier", Arg::Str(tier_of(level)))]);
        annual = amount;
    }
    if p.veteran {
        because.add(&r::VETERAN, []);
        let average = ctx.money("higher_national_grant.average")?;
        if facts.level.is_some() && Some(average) > annual {
            because.add(&r::HIGHER_OF_GROUNDS, [("ground", Arg::Str("veteran"))]);
        }
        annual = annual.max(Some(average));
    }
    Ok(Outcome::Yes {
        annual,
        because: because.done(),
    })
}

fn award(
    facts: &Facts,
    ctx: &mut Ctx,
    stages: &[Stage],
    award: Award,
    amount_param: &str,
    extra: usize,
) -> Result<Outcome> {
    if !stages.contains(&facts.profile.stage) {
        return Ok(facts.stage_not_covered(stages));
    }
    if !facts.profile.awards.contains(&award) {
        return Ok(facts.no(&r::AWARD_NOT_GRANTED, [("award", Arg::Str(award.as_str()))]));
    }
    let amount = ctx.money(amount_param)?;
    let mut because = facts.because(2 + extra);
    because.stage_in(facts);
    because.add(&r::AWARD_GRANTED, [("award", Arg::Str(award.as_str()))]);
    Ok(Outcome::Yes {
        annual: Some(amount),
        because: because.done(),
    })
}

/// `national_scholarship` (本专科国家奖学金): 8000; 10000 from 2024-09-01 (A01a).
pub(crate) fn national_scholarship(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    award(
        facts,
        ctx,
        &SHORT_CYCLE_AND_UNDERGRADUATE,
        Award::NationalScholarship,
        "national_scholarship.amount",
        0,
    )
}

/// `national_encouragement_scholarship` (国家励志奖学金): grade 2 and above, with a difficulty
/// level, and granted; 5000, 6000 from 2024-09-01 (A01a, A03a).
pub(crate) fn encouragement_scholarship(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    let p = facts.profile;
    if !p.stage.is_short_cycle_or_undergraduate() {
        return Ok(facts.stage_not_covered(&SHORT_CYCLE_AND_UNDERGRADUATE));
    }
    if p.grade < 2 {
        return Ok(facts.no(
            &r::GRADE_NOT_COVERED,
            [
                (
                    "grades",
                    Arg::Fmt(format_args!("2-{}", p.stage.max_grade())),
                ),
                ("grade", Arg::Num(u64::from(p.grade))),
            ],
        ));
    }
    if facts.level.is_none() {
        return Ok(facts.no(&r::NO_DIFFICULTY_LEVEL, []));
    }
    let grounds = facts.key_statuses.len() + facts.level_reasons.len();
    let out = award(
        facts,
        ctx,
        &SHORT_CYCLE_AND_UNDERGRADUATE,
        Award::NationalEncouragementScholarship,
        "national_encouragement_scholarship.amount",
        grounds,
    )?;
    Ok(match out {
        Outcome::Yes { annual, because } => {
            let mut all = facts.because(0);
            all.append(because);
            all.level_grounds(facts);
            Outcome::Yes {
                annual,
                because: all.done(),
            }
        }
        no => no,
    })
}

/// `graduate_national_grant` (研究生国家助学金): full-time masters or doctoral students without
/// a fixed salary; masters 6000, doctoral 12000 at a central-ministry university, 10000
/// otherwise (A23a).
pub(crate) fn graduate_grant(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    let p = facts.profile;
    if !p.stage.is_graduate() {
        return Ok(facts.stage_not_covered(&GRADUATE));
    }
    if !p.full_time_formal {
        return Ok(facts.no(&r::NOT_FULL_TIME, []));
    }
    if p.has_fixed_salary {
        return Ok(facts.no(&r::HAS_FIXED_SALARY, []));
    }
    let mut because = facts.because(4);
    because.stage_in(facts);
    because.add(&r::FULL_TIME_FORMAL, []);
    because.add(&r::NO_FIXED_SALARY, []);
    let param = match (p.stage, p.institution) {
        (Stage::Doctoral, Institution::Central) => "graduate_national_grant.doctoral_central",
        (Stage::Doctoral, Institution::Local) => "graduate_national_grant.doctoral_local",
        _ => "graduate_national_grant.masters",
    };
    if p.stage == Stage::Doctoral {
        because.add(
            &r::INSTITUTION,
            [("institution", Arg::Str(p.institution.as_str()))],
        );
    }
    let amount = ctx.money(param)?;
    Ok(Outcome::Yes {
        annual: Some(amount),
        because: because.done(),
    })
}

/// `graduate_national_scholarship` (研究生国家奖学金): masters 20000, doctoral 30000 (A23b).
pub(crate) fn graduate_scholarship(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    let param = if facts.profile.stage == Stage::Doctoral {
        "graduate_national_scholarship.doctoral"
    } else {
        "graduate_national_scholarship.masters"
    };
    award(facts, ctx, &GRADUATE, Award::NationalScholarship, param, 0)
}

/// `student_loan` (国家助学贷款): full-time, with a difficulty level, higher vocational to
/// doctoral; the yearly cap of 本专科 or 研究生 in force (A07, A05a, A02, A09).
pub(crate) fn student_loan(facts: &Facts, ctx: &mut Ctx) -> Result<Outcome> {
    let p = facts.profile;
    if !LOAN_STAGES.contains(&p.stage) {
        return Ok(facts.stage_not_covered(&LOAN_STAGES));
    }
    if !p.full_time_formal {
        return Ok(facts.no(&r::NOT_FULL_TIME, []));
    }
    if facts.level.is_none() {
        return Ok(facts.no(&r::NO_DIFFICULTY_LEVEL, []));
    }
    let param = if p.stage.is_graduate() {
        "student_loan.cap.graduate"
    } else {
        "student_loan.cap.short_cycle_and_undergraduate"
    };
    let cap = ctx.money(param)?;
    let mut because = facts.because(2 + facts.key_statuses.len() + facts.level_reasons.len());
    because.stage_in(facts);
    because.add(&r::FULL_TIME_FORMAL, []);
    because.level_grounds(facts);
    Ok(Outcome::Yes {
        annual: Some(cap),
        because: because.done(),
    })
}
