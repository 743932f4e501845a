//! Any profile that parses, evaluated on a fuzzed date under the national policy or a
//! shipped overlay: never panics; inside the coverage it always gives an assessment, whose
//! amounts are never negative and add up (see common::check_assessment); before the
//! coverage it is `policy_not_in_force`. The batch path agrees with the single path.
#![no_main]
use eduaid::batch::{BatchEvaluator, Shape, ShapeResult};
use eduaid::{evaluate, ErrorKind, Profile};
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let [d0, d1, which, rest @ ..] = data else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok(profile) = Profile::from_json(text) else {
        return;
    };
    let as_of = common::date_from(*d0, *d1);
    let policies = common::policies();
    let policy = &policies[usize::from(*which) % policies.len()];
    match evaluate(&profile, as_of, policy) {
        Ok(a) => {
            assert!(as_of >= policy.coverage_start());
            common::check_assessment(&profile, &a);
            let again = evaluate(&profile, as_of, policy).expect("deterministic");
            assert_eq!(a, again, "evaluate is deterministic");
            let mut batch = BatchEvaluator::new(policy, as_of).expect("in coverage");
            match batch.evaluate(&Shape::of(&profile)).cloned() {
                Some(ShapeResult::Ok {
                    entitlements,
                    annual_cash_total_fen,
                }) => {
                    assert_eq!(annual_cash_total_fen, a.annual_cash_total.to_fen());
                    assert_eq!(entitlements.len(), a.entitlements.len());
                    for (c, e) in entitlements.iter().zip(&a.entitlements) {
                        assert_eq!(batch.programs()[c.program as usize], e.program);
                        assert_eq!(c.annual_fen, e.annual_amount.map(|m| m.to_fen()));
                    }
                }
                other => panic!("batch path disagrees: {other:?}"),
            }
        }
        Err(e) => {
            assert!(
                as_of < policy.coverage_start() && e.kind() == ErrorKind::PolicyNotInForce,
                "a valid profile inside the coverage failed: {e}"
            );
        }
    }
});
