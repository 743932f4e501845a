//! Overlay programs: programs a region adds in its overlay (`sections.programs`), written
//! in a generic rule vocabulary rather than in Rust.

use crate::assessment::{Entitlement, NotEligible};
use crate::calendar::Term;
use crate::policy::Policy;
use crate::programs::{Facts, Receipt};
use crate::Result;

/// The profile fields an overlay program reads, or `None` when no overlay defines `id`.
pub fn required_inputs(_id: &str, _policy: &Policy) -> Option<Vec<String>> {
    None
}

/// Evaluate the overlay programs of the layers covering the student's region.
pub(crate) fn evaluate_overlay_programs(
    _facts: &Facts,
    _terms: &[(Term, Facts)],
    _policy: &Policy,
    _receipt: &mut Receipt,
    _entitlements: &mut Vec<Entitlement>,
    _not_eligible: &mut Vec<NotEligible>,
) -> Result<()> {
    Ok(())
}
