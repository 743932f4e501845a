//! Evaluating one profile as of a date: every program of the catalogue (and of the
//! overlays covering the student's region), with amounts, payments by term, reasons and the
//! receipt of every dated figure read (interface.md, "Assessment").

use crate::calendar::{SchoolYear, Term};
use crate::money::Money;
use crate::policy::{Found, Mark, ParamValue, Policy, PolicyRef, Resolved};
use crate::profile::{DifficultyLevel, Profile};
use crate::programs::{self, Ctx, Explain, Facts, Kind, Outcome, Reads, Schedule};
use crate::reasons::{Lang, Reason, Reasons};
use crate::Result;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// One instalment of a school year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// The term, e.g. `2024-autumn`.
    pub term: Term,
    /// The amount, at the standard in force on the term's first day.
    pub amount: Money,
}

/// A program the student is entitled to.
///
/// The texts that come from the catalogue (`program`, `name_zh`, `basis`) are borrowed from
/// it, so that an evaluation copies none of them (issue 10: single evaluation ≤ 2 µs); an
/// overlay's program and a deserialized entitlement own theirs. Equality, `Debug` and
/// serialization see the text only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entitlement {
    /// Program id.
    pub program: Cow<'static, str>,
    /// Chinese name.
    pub name_zh: Cow<'static, str>,
    /// What it gives.
    pub kind: Kind,
    /// The annual standard in force on `as_of`; null when only a region sets it and no
    /// overlay does (reason `regional_standard_missing`).
    pub annual_amount: Option<Money>,
    /// The instalments of the school year containing `as_of`.
    pub payments: Vec<Payment>,
    /// The sum of `payments`; null with `annual_amount`.
    pub school_year_total: Option<Money>,
    /// The governing document.
    pub basis: Cow<'static, str>,
    /// Why.
    pub because: Reasons,
}

/// A program the student is not entitled to, with why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotEligible {
    /// Program id (borrowed from the catalogue, as [`Entitlement::program`]).
    pub program: Cow<'static, str>,
    /// Why not.
    pub because: Reasons,
}

/// One line of the receipt: a dated figure the decision read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParameterUsed {
    /// Parameter name.
    pub name: String,
    /// The value: money as a two-decimal string, other numbers as decimal strings, flags as
    /// booleans, region lists as lists.
    pub value: serde_json::Value,
    /// First day of the value.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub effective_from: NaiveDate,
    /// Source tag.
    pub source: String,
    /// UNCONFIRMED or default mark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
    /// The overlay region that supplied it (absent for national figures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

impl From<&Resolved> for ParameterUsed {
    fn from(r: &Resolved) -> Self {
        let value = match &r.value {
            ParamValue::Number(d) if r.unit.is_money() => {
                serde_json::Value::String(Money(*d).to_string())
            }
            ParamValue::Number(d) => serde_json::Value::String(d.normalize().to_string()),
            ParamValue::Flag(b) => serde_json::Value::Bool(*b),
            ParamValue::Regions(v) => serde_json::Value::from(v.clone()),
        };
        ParameterUsed {
            name: r.name.clone(),
            value,
            effective_from: r.effective_from,
            source: r.source.clone(),
            mark: r.mark,
            region: r.region.clone(),
        }
    }
}

impl ParameterUsed {
    /// The receipt line of `found`, read under `name` (as [`From<&Resolved>`], without the
    /// intermediate copy).
    fn of(name: &str, found: &Found<'_>) -> ParameterUsed {
        let value = match &found.value.value {
            ParamValue::Number(d) if found.parameter.unit.is_money() => {
                serde_json::Value::String(Money(*d).to_string())
            }
            ParamValue::Number(d) => serde_json::Value::String(d.normalize().to_string()),
            ParamValue::Flag(b) => serde_json::Value::Bool(*b),
            ParamValue::Regions(v) => serde_json::Value::from(v.clone()),
        };
        ParameterUsed {
            name: name.to_string(),
            value,
            effective_from: found.value.from,
            source: found.value.source.clone(),
            mark: found.value.mark,
            region: found.region.map(str::to_string),
        }
    }
}

/// The assessment of one profile as of a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// The profile's student id.
    pub student_id: String,
    /// The date of the evaluation.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub as_of: NaiveDate,
    /// The policy, its version on `as_of`, the overlay regions applied, the fingerprint.
    pub policy: PolicyRef,
    /// The difficulty level used (assessed or derived).
    pub difficulty_level: Option<DifficultyLevel>,
    /// Programs granted, in catalogue order.
    pub entitlements: Vec<Entitlement>,
    /// Programs not granted, in catalogue order, with why not.
    pub not_eligible: Vec<NotEligible>,
    /// The sum of `annual_amount` over cash and award entitlements.
    pub annual_cash_total: Money,
    /// Notes that decided nothing (monitoring statuses ignored before 2021, risk removed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Reason>,
    /// Every dated figure the decision read (the receipt).
    pub parameters_used: Vec<ParameterUsed>,
}

impl Assessment {
    /// The entitlement to `program`, if granted.
    pub fn entitlement(&self, program: &str) -> Option<&Entitlement> {
        self.entitlements.iter().find(|e| e.program == program)
    }
}

/// Evaluate `profile` as of `as_of` under `policy`, with messages in English.
pub fn evaluate(profile: &Profile, as_of: NaiveDate, policy: &Policy) -> Result<Assessment> {
    evaluate_in(profile, as_of, policy, Lang::En)
}

/// How to evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The language of messages.
    pub lang: Lang,
    /// Whether to build reasons (`because`, notes). Without them an assessment still carries
    /// every entitlement, amount, payment and receipt line, with every `because` and the
    /// notes empty; the batch path and quick checks use this.
    pub explain: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lang: Lang::En,
            explain: true,
        }
    }
}

/// Evaluate `profile` as of `as_of` under `policy`, with messages in `lang`.
pub fn evaluate_in(
    profile: &Profile,
    as_of: NaiveDate,
    policy: &Policy,
    lang: Lang,
) -> Result<Assessment> {
    evaluate_with(
        profile,
        as_of,
        policy,
        Options {
            lang,
            explain: true,
        },
    )
}

/// Evaluate `profile` as of `as_of` under `policy` with `options`.
pub fn evaluate_with(
    profile: &Profile,
    as_of: NaiveDate,
    policy: &Policy,
    options: Options,
) -> Result<Assessment> {
    profile.validate()?;
    policy.check_in_force("as_of", as_of)?;
    let mut receipt = Reads::with_capacity(8);
    let lang = options.lang;
    let mode = if options.explain {
        Explain::Render
    } else {
        Explain::Drop
    };
    let mut facts = Facts::derive_in(profile, as_of, policy, lang, &mut receipt, mode)?;
    let [first, second] = SchoolYear::containing(as_of).terms();
    let term_facts = [
        term_facts_of(first, profile, policy, lang, &mut receipt)?,
        term_facts_of(second, profile, policy, lang, &mut receipt)?,
    ];
    // A term whose first day sees every figure of the policy as `as_of` does decides as
    // `as_of` does: its payment is taken from the as-of decision instead of deciding again.
    let same = term_facts
        .each_ref()
        .map(|(_, tf)| policy.same_values_on(as_of, tf.date));
    // Small: a block over 1 KiB costs glibc a consolidation of its free lists.
    let mut entitlements = Vec::with_capacity(4);
    let mut not_eligible = Vec::with_capacity(programs::CATALOGUE.len());
    for (index, info) in programs::CATALOGUE.iter().enumerate() {
        let region = facts.region(info.region_basis);
        let mut ctx = Ctx {
            policy,
            region,
            receipt: &mut receipt,
            date: as_of,
        };
        match programs::run_at(index, &facts, &mut ctx)? {
            Outcome::No { because } => not_eligible.push(NotEligible {
                program: Cow::Borrowed(info.id),
                because,
            }),
            Outcome::Yes { annual, because } => {
                let mut payments = Vec::with_capacity(2);
                for ((term, tf), same) in term_facts.iter().zip(same) {
                    // A yearly program pays once: in the first term of the school year whose
                    // first day finds the student eligible (the autumn term, normally).
                    if info.schedule == Schedule::Yearly && !payments.is_empty() {
                        continue;
                    }
                    let mut ctx = Ctx {
                        policy,
                        region,
                        receipt: &mut receipt,
                        date: tf.date,
                    };
                    let term_annual = if same {
                        annual
                    } else {
                        match programs::run_at(index, tf, &mut ctx)? {
                            Outcome::Yes { annual, .. } => annual,
                            Outcome::No { .. } => None,
                        }
                    };
                    let Some(term_annual) = term_annual else {
                        continue;
                    };
                    let amount = match info.schedule {
                        Schedule::PerTerm => term_annual.half(),
                        Schedule::PerSchoolDay => programs::compulsory::nutrition_term(&mut ctx)?,
                        Schedule::Yearly => term_annual,
                    };
                    payments.push(Payment {
                        term: *term,
                        amount,
                    });
                }
                let school_year_total = annual.map(|_| payments.iter().map(|p| p.amount).sum());
                entitlements.push(Entitlement {
                    program: Cow::Borrowed(info.id),
                    name_zh: Cow::Borrowed(info.name_zh),
                    kind: info.kind,
                    annual_amount: annual,
                    payments,
                    school_year_total,
                    basis: Cow::Borrowed(info.basis),
                    because,
                });
            }
        }
    }
    crate::rules::evaluate_overlay_programs(
        &facts,
        &term_facts,
        policy,
        &mut receipt,
        &mut entitlements,
        &mut not_eligible,
    )?;
    let annual_cash_total = entitlements
        .iter()
        .filter(|e| e.kind.counts_as_cash())
        .filter_map(|e| e.annual_amount)
        .sum();
    Ok(Assessment {
        student_id: profile.student_id.clone(),
        as_of,
        policy: policy.reference(facts.school_region, as_of),
        difficulty_level: facts.level,
        entitlements,
        not_eligible,
        annual_cash_total,
        notes: std::mem::take(&mut facts.notes),
        parameters_used: receipt
            .iter()
            .map(|(name, found)| ParameterUsed::of(name, found))
            .collect(),
    })
}

/// The facts of a term, on its first day (or the policy's first, if later); their reasons
/// are never shown.
fn term_facts_of<'a>(
    term: Term,
    profile: &'a Profile,
    policy: &'a Policy,
    lang: Lang,
    receipt: &mut Reads<'a>,
) -> Result<(Term, Facts<'a>)> {
    let day = term.first_day().max(policy.coverage_start());
    let facts = Facts::derive_in(profile, day, policy, lang, receipt, Explain::Drop)?;
    Ok((term, facts))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without reasons an assessment is the one with reasons, minus every reason.
    #[test]
    fn explain_false_drops_the_reasons_only() {
        let as_of = NaiveDate::from_ymd_opt(2024, 10, 1).unwrap();
        let config = crate::synth::SynthConfig::new(11);
        for policy in [
            Policy::national(),
            Policy::national().with_region("130431").unwrap(),
        ] {
            for p in crate::synth::profiles(&config, 0..1500) {
                let quiet = Options {
                    explain: false,
                    ..Options::default()
                };
                let (Ok(full), Ok(bare)) = (
                    evaluate(&p, as_of, &policy),
                    evaluate_with(&p, as_of, &policy, quiet),
                ) else {
                    continue;
                };
                assert!(bare.notes.is_empty());
                assert!(bare.entitlements.iter().all(|e| e.because.is_empty()));
                assert!(bare.not_eligible.iter().all(|n| n.because.is_empty()));
                let mut stripped = full.clone();
                stripped.notes.clear();
                stripped
                    .entitlements
                    .iter_mut()
                    .for_each(|e| e.because.clear());
                stripped
                    .not_eligible
                    .iter_mut()
                    .for_each(|n| n.because.clear());
                assert_eq!(stripped, bare);
            }
        }
    }
}
