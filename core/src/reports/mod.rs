//! Reports (统计报表): what county and city bureaus produce from the rules over a whole
//! roster (programs.md, "Beyond per-student entitlements"; seeds 000–004).
//!
//! - [`RosterReport`]: head counts, person-times (人次: one per student, program and term
//!   paid) and exact totals by program, by kind, by stage and by region, built with a
//!   [`ReportBuilder`]; with the coverage check ([`Coverage`], 应助尽助): key-group students
//!   with no cash entitlement, and students studying outside their hukou region (外地就读,
//!   seed 004), each with the reason.
//! - [`WhatIf`]: one roster under two policies (national against a region overlay, or a
//!   proposed change): per-program change in cost and head count, and the students whose
//!   entitlements change.
//! - [`text`] and [`html`]: the same reports as a text table and as a self-contained HTML
//!   page with bar charts.
//!
//! Everything here is pure and single-threaded: no I/O, no clock. Builders are exact
//! (integer fen) and can be filled chunk by chunk, in parallel by the caller, and merged:
//! the result does not depend on how the roster was split, because counts and sums are
//! added and every list is sorted by input row at the end.
//!
//! Evaluation goes through [`Evaluator`], which evaluates each distinct [`Shape`] (the
//! fields the rules read) once with [`crate::evaluate_in`] and reuses the result for every
//! other row of the same shape, so a report over millions of rows costs a few thousand
//! evaluations plus one hash probe per row.

pub mod html;
mod roster;
pub mod text;
mod whatif;

pub use roster::{
    roster_report, Coverage, CoverageGap, ElsewhereFlag, EntitlementRow, GapReason, GroupTotal,
    KindTotal, ProgramTotal, ReasonCount, ReportBuilder, RosterReport, RowError, TermTotal, Totals,
};
pub use whatif::{what_if, AmountChange, ProgramDiff, StudentChange, WhatIf, WhatIfBuilder};

use crate::assessment::{Entitlement, NotEligible};
use crate::batch::{KeyHasher, Shape};
use crate::money::Money;
use crate::policy::Policy;
use crate::profile::{DifficultyLevel, HouseholdStatus, Profile};
use crate::programs::{Facts, Kind, Receipt};
use crate::reasons::Lang;
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

/// The policy a report was computed under (id, version on the as-of date, overlay regions,
/// fingerprint), so a printed report can be traced to its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySummary {
    /// `cn-national`.
    pub id: String,
    /// The date of the latest change of any figure in force on the as-of date.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub version: NaiveDate,
    /// The overlay regions loaded, in load order.
    pub regions: Vec<String>,
    /// SHA-256 of the policy data (hex).
    pub fingerprint: String,
}

impl PolicySummary {
    /// The summary of `policy` as of `as_of`.
    pub fn of(policy: &Policy, as_of: NaiveDate) -> PolicySummary {
        let r = policy.reference("", as_of);
        PolicySummary {
            id: r.id,
            version: r.version,
            regions: policy.regions(),
            fingerprint: r.fingerprint,
        }
    }
}

/// What the reports need of one student's evaluation: the assessment's entitlements and
/// refusals, and the key-group facts (programs.md, "Key groups and difficulty").
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The difficulty level used (assessed or derived).
    pub difficulty_level: Option<DifficultyLevel>,
    /// In a key group (重点保障对象) on the as-of date.
    pub key_group: bool,
    /// The key-group statuses that apply.
    pub key_statuses: Vec<HouseholdStatus>,
    /// The school region, with the policy's default applied (`""` = none).
    pub school_region: String,
    /// The hukou region, with the defaults applied (`""` = none).
    pub hukou_region: String,
    /// Programs granted, in catalogue order (amounts and payments; of the reasons, only
    /// `regional_standard_missing` is kept).
    pub entitlements: Vec<Entitlement>,
    /// For a key-group student with no cash only (a coverage gap): the cash programs not
    /// granted, with why not; empty otherwise. The full reasons come from
    /// [`crate::evaluate_in`].
    pub not_eligible: Vec<NotEligible>,
    /// Sum of the annual amounts of cash and award entitlements.
    pub annual_cash_total: Money,
    /// The entitlements' figures in integer fen, computed once per shape (the builders add
    /// these for every row).
    figures: Vec<Figures>,
    has_cash: bool,
    school_year_cash_fen: i64,
}

/// One entitlement's figures in fen, with its catalogue position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Figures {
    /// Position in the national catalogue; `None` for an overlay program.
    pub(crate) rank: Option<usize>,
    pub(crate) annual_fen: Option<i64>,
    pub(crate) year_fen: i64,
    pub(crate) terms: Vec<(crate::calendar::Term, i64)>,
}

impl Evaluation {
    /// An evaluation from its parts (the figures are derived).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        difficulty_level: Option<DifficultyLevel>,
        key_group: bool,
        key_statuses: Vec<HouseholdStatus>,
        school_region: String,
        hukou_region: String,
        entitlements: Vec<Entitlement>,
        not_eligible: Vec<NotEligible>,
        annual_cash_total: Money,
    ) -> Evaluation {
        let figures = entitlements
            .iter()
            .map(|e| Figures {
                rank: crate::programs::CATALOGUE
                    .iter()
                    .position(|p| p.id == e.program),
                annual_fen: e.annual_amount.map(Money::to_fen),
                year_fen: e.school_year_total.map_or(0, Money::to_fen),
                terms: e
                    .payments
                    .iter()
                    .map(|p| (p.term, p.amount.to_fen()))
                    .collect(),
            })
            .collect();
        let has_cash = entitlements
            .iter()
            .any(|e| e.kind.counts_as_cash() && e.annual_amount.is_some_and(|a| a > Money::ZERO));
        let school_year_cash_fen = entitlements
            .iter()
            .filter(|e| e.kind.counts_as_cash())
            .filter_map(|e| e.school_year_total)
            .map(Money::to_fen)
            .sum();
        Evaluation {
            difficulty_level,
            key_group,
            key_statuses,
            school_region,
            hukou_region,
            entitlements,
            not_eligible,
            annual_cash_total,
            figures,
            has_cash,
            school_year_cash_fen,
        }
    }

    /// Whether the student receives cash: a cash or award entitlement with an amount above
    /// zero.
    pub fn has_cash(&self) -> bool {
        self.has_cash
    }

    /// The school-year total of cash and award entitlements.
    pub fn school_year_cash_total(&self) -> Money {
        Money::from_fen(self.school_year_cash_fen)
    }

    /// The entitlements with their figures in fen.
    pub(crate) fn with_figures(&self) -> impl Iterator<Item = (&Entitlement, &Figures)> {
        self.entitlements.iter().zip(&self.figures)
    }
}

/// Shapes evaluated by one [`Evaluator`], to hand to the evaluators of other threads of
/// the same roster (same policy, date and language), so that each shape is evaluated about
/// once per roster rather than once per thread.
#[derive(Debug, Clone, Default)]
pub struct SharedShapes {
    identity: (String, Option<NaiveDate>, Option<Lang>),
    entries: Vec<(u128, Arc<Evaluation>)>,
}

impl SharedShapes {
    /// How many shapes it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Upper bound on the shapes an [`Evaluator`] remembers (beyond it, rows are evaluated
/// without memoizing; results are the same).
const MAX_SHAPES: usize = 1 << 20;

/// Evaluates the rows of a roster as of one date under one policy, once per distinct
/// [`Shape`] (评估器). Pure and deterministic: the cache only avoids recomputing the same
/// pure function.
pub struct Evaluator {
    policy: Policy,
    as_of: NaiveDate,
    lang: Lang,
    cache: HashMap<u128, Arc<Evaluation>, BuildHasherDefault<KeyHasher>>,
    evaluations: u64,
    fresh: Vec<(u128, Arc<Evaluation>)>,
}

impl Evaluator {
    /// An evaluator for `as_of` under `policy`, with reason messages in `lang`; an error
    /// when `as_of` is outside the policy's coverage (the whole report cannot run).
    pub fn new(policy: &Policy, as_of: NaiveDate, lang: Lang) -> Result<Evaluator> {
        policy.check_in_force("as_of", as_of)?;
        Ok(Evaluator {
            policy: policy.clone(),
            as_of,
            lang,
            cache: HashMap::default(),
            evaluations: 0,
            fresh: Vec::new(),
        })
    }

    /// The as-of date.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The language of reason messages.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// How many full evaluations ran (distinct shapes met).
    pub fn evaluations(&self) -> u64 {
        self.evaluations
    }

    /// Evaluate one profile. The profile is validated first (so per-row problems, such as
    /// an over-long id, are reported for that row).
    pub fn evaluate(&mut self, profile: &Profile) -> Result<Arc<Evaluation>> {
        profile.validate()?;
        let key = Shape::of(profile).key();
        if let Some(hit) = self.cache.get(&key) {
            return Ok(Arc::clone(hit));
        }
        let evaluation = Arc::new(self.evaluate_uncached(profile)?);
        if self.cache.len() < MAX_SHAPES {
            self.cache.insert(key, Arc::clone(&evaluation));
            self.fresh.push((key, Arc::clone(&evaluation)));
        }
        Ok(evaluation)
    }

    fn identity(&self) -> (String, Option<NaiveDate>, Option<Lang>) {
        (
            self.policy.fingerprint().to_string(),
            Some(self.as_of),
            Some(self.lang),
        )
    }

    /// The shapes this evaluator evaluated since the last call.
    pub fn take_new(&mut self) -> SharedShapes {
        SharedShapes {
            identity: self.identity(),
            entries: std::mem::take(&mut self.fresh),
        }
    }

    /// Remember the shapes another evaluator evaluated; ignored (returns false) unless it
    /// has the same policy, date and language.
    pub fn absorb(&mut self, shapes: &SharedShapes) -> bool {
        if shapes.identity != self.identity() {
            return false;
        }
        for (key, evaluation) in &shapes.entries {
            if self.cache.len() >= MAX_SHAPES {
                break;
            }
            self.cache
                .entry(*key)
                .or_insert_with(|| Arc::clone(evaluation));
        }
        true
    }

    fn evaluate_uncached(&mut self, profile: &Profile) -> Result<Evaluation> {
        self.evaluations += 1;
        let a = crate::evaluate_in(profile, self.as_of, &self.policy, self.lang)?;
        let mut receipt = Receipt::default();
        let facts = Facts::derive(profile, self.as_of, &self.policy, self.lang, &mut receipt)?;
        let key_group = facts.key;
        // Keep only the reasons the reports read (a roster meets thousands of shapes; the
        // full reasons of each would cost hundreds of megabytes).
        let mut entitlements = a.entitlements;
        for e in &mut entitlements {
            e.because.retain(|r| r.code == "regional_standard_missing");
        }
        let mut not_eligible = a.not_eligible;
        not_eligible.retain(|n| catalogue_kind(&n.program) == Some(Kind::Cash));
        let evaluation = Evaluation::new(
            a.difficulty_level,
            key_group,
            facts.key_statuses.to_vec(),
            facts.school_region.to_string(),
            facts.hukou_region.to_string(),
            entitlements,
            not_eligible,
            a.annual_cash_total,
        );
        let evaluation = if evaluation.key_group && !evaluation.has_cash() {
            evaluation
        } else {
            Evaluation {
                not_eligible: Vec::new(),
                ..evaluation
            }
        };
        Ok(evaluation)
    }
}

/// The kind of a program id: the national catalogue's, else `None` (an overlay program).
fn catalogue_kind(program: &str) -> Option<Kind> {
    crate::programs::program(program).map(|p| p.kind)
}

/// The catalogue position of a program (overlay programs after the national ones).
fn catalogue_rank(program: &str) -> usize {
    crate::programs::CATALOGUE
        .iter()
        .position(|p| p.id == program)
        .unwrap_or(usize::MAX)
}

/// The stage's position in interface.md order.
fn stage_rank(stage: &str) -> usize {
    crate::profile::Stage::ALL
        .iter()
        .position(|s| s.as_str() == stage)
        .unwrap_or(usize::MAX)
}

/// Scrub an error for a report row: messages quoting input never show an identity number
/// (see [`crate::resident_id::scrub`]).
fn scrubbed(error: &Error) -> (String, String, String, String) {
    (
        error.kind().as_str().to_string(),
        error.field().to_string(),
        error.code().to_string(),
        crate::resident_id::scrub(&error.message()),
    )
}

/// A message in the report's language.
fn say(lang: Lang, en: String, zh: String) -> String {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}
