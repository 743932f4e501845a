//! Property tests (issue 8) of the invariants a county's batch relies on, over generated
//! valid profiles and dates inside the coverage (2016-09-01 .. 2027-08-31), under the
//! national policy and each shipped region overlay:
//!
//! - amounts are never negative, never below the fen, and add up (`school_year_total` is
//!   the sum of `payments`, `annual_cash_total` the sum of cash and award amounts), on the
//!   values and on their JSON form;
//! - raising the assessed difficulty level (none → general → relatively → especially) never
//!   removes an entitlement nor lowers an annual amount;
//! - adding a key-group status never removes a cash entitlement nor lowers its amount;
//! - a national program's `annual_amount` is the parameter in force on `as_of`, listed in
//!   `parameters_used` with its effective date;
//! - Profile → JSON → Profile and Assessment → JSON → Assessment are the identity;
//! - `evaluate` is deterministic; the batch path gives the same amounts.
//!
//! Case counts are moderate (the file runs in seconds in debug); raise them with
//! `PROPTEST_CASES=5000 cargo test -p eduaid --test properties --release`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use chrono::NaiveDate;
use common::{date_strategy, policies, policy_strategy, profile_strategy};
use eduaid::batch::{BatchEvaluator, Shape, ShapeResult};
use eduaid::profile::{is_region_code, StatusSet};
use eduaid::{
    evaluate, evaluate_in, Assessment, DifficultyLevel, HouseholdStatus, Institution, Kind, Lang,
    Money, Profile, Stage,
};
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;

/// Every amount invariant of one assessment, on the values and on the JSON form.
fn check_amounts(a: &Assessment) -> Result<(), TestCaseError> {
    let mut cash = Money::ZERO;
    for e in &a.entitlements {
        if let Some(amount) = e.annual_amount {
            prop_assert!(!amount.0.is_sign_negative(), "{} negative", e.program);
            prop_assert!(
                amount.0.normalize().scale() <= 2,
                "{} below the fen",
                e.program
            );
            if e.kind.counts_as_cash() {
                cash += amount;
            }
        }
        for p in &e.payments {
            prop_assert!(
                !p.amount.0.is_sign_negative(),
                "{} payment negative",
                e.program
            );
            prop_assert!(
                p.amount.0.normalize().scale() <= 2,
                "{} payment below the fen",
                e.program
            );
        }
        prop_assert!(e.payments.len() <= 2);
        match e.school_year_total {
            Some(total) => {
                let sum: Money = e.payments.iter().map(|p| p.amount).sum();
                prop_assert_eq!(total, sum, "{} school_year_total", &e.program);
            }
            None => prop_assert!(e.annual_amount.is_none()),
        }
    }
    prop_assert_eq!(a.annual_cash_total, cash);
    // The same on the JSON text every surface shows.
    let json = serde_json::to_value(a).unwrap();
    for e in json["entitlements"].as_array().unwrap() {
        let money = |v: &serde_json::Value| -> Option<Decimal> {
            let s = v.as_str()?;
            assert_eq!(s.len() - s.find('.').unwrap() - 1, 2, "two decimals: {s}");
            Some(s.parse().unwrap())
        };
        let sum: Decimal = e["payments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| money(&p["amount"]).unwrap())
            .sum();
        if let Some(total) = money(&e["school_year_total"]) {
            prop_assert_eq!(total, sum, "{} JSON total", e["program"].clone());
        }
    }
    Ok(())
}

/// The levels above `level`, in order.
fn higher_levels(level: Option<DifficultyLevel>) -> Vec<DifficultyLevel> {
    let rank = level.map_or(0, DifficultyLevel::rank);
    let mut out: Vec<DifficultyLevel> = DifficultyLevel::ALL
        .iter()
        .copied()
        .filter(|l| l.rank() > rank)
        .collect();
    out.sort_by_key(|l| l.rank());
    out
}

/// Every entitlement of `before` is in `after` with an amount at least as high.
fn no_loss(
    before: &Assessment,
    after: &Assessment,
    only_cash: bool,
    what: &str,
) -> Result<(), TestCaseError> {
    for e in &before.entitlements {
        if only_cash && e.kind != Kind::Cash {
            continue;
        }
        let Some(f) = after.entitlement(&e.program) else {
            return Err(TestCaseError::fail(format!(
                "{what}: {} lost (was {:?})",
                e.program, e.annual_amount
            )));
        };
        if let (Some(a), Some(b)) = (e.annual_amount, f.annual_amount) {
            prop_assert!(b >= a, "{}: {} lowered {} → {}", what, e.program, a, b);
        }
        if e.annual_amount.is_some() {
            prop_assert!(
                f.annual_amount.is_some(),
                "{what}: {} amount became null",
                e.program
            );
        }
    }
    Ok(())
}

const KEY_STATUSES: [HouseholdStatus; 9] = [
    HouseholdStatus::LiftedOutOfPoverty,
    HouseholdStatus::MonitoredUnstable,
    HouseholdStatus::MonitoredMarginal,
    HouseholdStatus::MonitoredSuddenHardship,
    HouseholdStatus::Dibao,
    HouseholdStatus::Tekun,
    HouseholdStatus::Orphan,
    HouseholdStatus::DeFactoUnsupported,
    HouseholdStatus::MartyrChild,
];

fn first_non_empty(options: &[&str]) -> String {
    options
        .iter()
        .find(|s| !s.is_empty())
        .map(|s| s.to_string())
        .unwrap_or_default()
}

/// The parameters whose value a national program's annual amount is (the higher of them
/// where several grounds apply, programs.md "Several grounds, the higher amount"), or
/// `None` for programs whose amount is not one plain parameter.
fn amount_parameters(program: &str, p: &Profile, a: &Assessment) -> Option<Vec<String>> {
    let tier = |prefix: &str| -> Vec<String> {
        a.difficulty_level
            .map(|l| {
                let t = eduaid::programs::tier_of(l);
                vec![format!("{prefix}.tiers.{t}")]
            })
            .unwrap_or_default()
    };
    let names = match program {
        "compulsory_living_subsidy" => vec![format!(
            "compulsory_living_subsidy.{}.{}",
            if p.boarding { "boarder" } else { "non_boarder" },
            p.stage
        )],
        "high_school_national_grant" => tier("high_school_national_grant"),
        "vocational_national_grant" => {
            // An agriculture-related major (grades 1–2) pays the middle tier (programs.md).
            let mut v = tier("vocational_national_grant");
            if p.major.agriculture_related && p.grade <= 2 {
                v.push("vocational_national_grant.tiers.middle".into());
            }
            v
        }
        "higher_national_grant" => {
            let mut v = tier("higher_national_grant");
            if p.veteran {
                v.push("higher_national_grant.average".into());
            }
            v
        }
        "national_scholarship" => vec!["national_scholarship.amount".into()],
        "national_encouragement_scholarship" => {
            vec!["national_encouragement_scholarship.amount".into()]
        }
        "vocational_national_scholarship" => vec!["vocational_national_scholarship.amount".into()],
        "graduate_national_grant" => vec![match (p.stage, p.institution) {
            (Stage::Masters, _) => "graduate_national_grant.masters".into(),
            (_, Institution::Central) => "graduate_national_grant.doctoral_central".into(),
            _ => "graduate_national_grant.doctoral_local".into(),
        }],
        "graduate_national_scholarship" => vec![format!(
            "graduate_national_scholarship.{}",
            if p.stage == Stage::Masters {
                "masters"
            } else {
                "doctoral"
            }
        )],
        "student_loan" => vec![if p.stage.is_graduate() {
            "student_loan.cap.graduate".into()
        } else {
            "student_loan.cap.short_cycle_and_undergraduate".into()
        }],
        "rain_dew_plan" => vec!["rain_dew_plan.annual".into()],
        _ => return None,
    };
    Some(names)
}

/// 192 cases per property, or `PROPTEST_CASES`.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(192);
    ProptestConfig {
        cases,
        max_shrink_iters: 2048,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn profile_and_case() -> impl Strategy<Value = (Profile, NaiveDate, usize)> {
    (profile_strategy(), date_strategy(), policy_strategy())
}

proptest! {
    #![proptest_config(config())]

    /// Amounts are never negative and add up.
    #[test]
    fn amounts_are_sound((p, as_of, pi) in profile_and_case()) {
        let policy = &policies()[pi];
        let a = evaluate(&p, as_of, policy).unwrap();
        check_amounts(&a)?;
    }

    /// Raising the assessed level never removes an entitlement nor lowers an amount.
    #[test]
    fn raising_the_level_never_lowers_aid((p, as_of, pi) in profile_and_case()) {
        let policy = &policies()[pi];
        let mut before = evaluate(&p, as_of, policy).unwrap();
        let mut q = p.clone();
        for level in higher_levels(p.difficulty_level) {
            q.difficulty_level = Some(level);
            let after = evaluate(&q, as_of, policy).unwrap();
            no_loss(&before, &after, false, &format!("level → {level}"))?;
            before = after;
        }
    }

    /// Adding a key-group status never removes a cash entitlement nor lowers its amount.
    #[test]
    fn a_key_group_status_never_lowers_cash(
        (p, as_of, pi) in profile_and_case(),
        status in select(&KEY_STATUSES[..]),
    ) {
        let policy = &policies()[pi];
        let mut p = p;
        p.household.statuses.retain(|s| *s != status);
        let before = evaluate(&p, as_of, policy).unwrap();
        let mut q = p.clone();
        q.household.statuses.push(status);
        let after = evaluate(&q, as_of, policy).unwrap();
        no_loss(&before, &after, true, &format!("+{status}"))?;
    }

    /// A national program's annual amount is the parameter in force on `as_of` (the higher
    /// one where several grounds apply), and the receipt lists it with its date.
    #[test]
    fn annual_amount_is_the_parameter_in_force((p, as_of, pi) in profile_and_case()) {
        let policy = &policies()[pi];
        let a = evaluate(&p, as_of, policy).unwrap();
        let default = policy.default_region().unwrap_or("");
        let school = first_non_empty(&[&p.school_region, &p.hukou_region, default]);
        let hukou = first_non_empty(&[&p.hukou_region, &p.school_region, default]);
        for e in &a.entitlements {
            let Some(names) = amount_parameters(&e.program, &p, &a) else { continue };
            let region = if matches!(e.program.as_ref(), "student_loan" | "rain_dew_plan") {
                &hukou
            } else {
                &school
            };
            let resolved: Vec<_> = names
                .iter()
                .filter_map(|n| policy.lookup(n, region, as_of))
                .collect();
            prop_assert!(!resolved.is_empty(), "{}: none of {:?} in force", e.program, names);
            let best = resolved
                .iter()
                .max_by_key(|r| r.decimal().unwrap())
                .unwrap();
            prop_assert_eq!(
                e.annual_amount.map(|m| m.0),
                best.decimal(),
                "{}: annual amount vs {} on {}", &e.program, &best.name, as_of
            );
            prop_assert!(
                a.parameters_used.iter().any(|u| u.name == best.name
                    && u.effective_from == best.effective_from),
                "{}: {} ({}) not in parameters_used", &e.program, &best.name, best.effective_from
            );
        }
        if let Some(e) = a.entitlement("nutrition_improvement") {
            let rate = policy.lookup("nutrition_improvement.daily_rate", &school, as_of).unwrap();
            let days = policy
                .lookup("nutrition_improvement.school_days_per_year", &school, as_of)
                .unwrap();
            prop_assert_eq!(
                e.annual_amount.map(|m| m.0),
                Some(rate.decimal().unwrap() * days.decimal().unwrap())
            );
        }
    }

    /// Profile → JSON (text and value) → Profile is the identity.
    #[test]
    fn profile_json_round_trip(p in profile_strategy()) {
        prop_assert!(p.validate().is_ok());
        let text = serde_json::to_string(&p).unwrap();
        prop_assert_eq!(&Profile::from_json(&text).unwrap(), &p);
        let value = serde_json::to_value(&p).unwrap();
        prop_assert_eq!(&Profile::from_value(value).unwrap(), &p);
        let pretty = serde_json::to_string_pretty(&p).unwrap();
        prop_assert_eq!(&Profile::from_json(&pretty).unwrap(), &p);
    }

    /// Assessment → JSON → Assessment is the identity, and evaluate is deterministic
    /// (same input twice, same JSON), in both languages.
    #[test]
    fn assessment_round_trip_and_determinism(
        (p, as_of, pi) in profile_and_case(),
        zh in any::<bool>(),
    ) {
        let policy = &policies()[pi];
        let lang = if zh { Lang::Zh } else { Lang::En };
        let a = evaluate_in(&p, as_of, policy, lang).unwrap();
        let text = serde_json::to_string(&a).unwrap();
        let back: Assessment = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &a);
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), text.clone());
        let again = evaluate_in(&p.clone(), as_of, policy, lang).unwrap();
        prop_assert_eq!(serde_json::to_string(&again).unwrap(), text);
    }

    /// The batch path (one evaluation per distinct shape) gives the same amounts.
    #[test]
    fn batch_path_agrees((p, as_of, pi) in profile_and_case(), q in profile_strategy()) {
        let policy = &policies()[pi];
        let mut batch = BatchEvaluator::new(policy, as_of).unwrap();
        for profile in [&p, &q, &p] {
            let single = evaluate(profile, as_of, policy).unwrap();
            let result = batch.evaluate(&Shape::of(profile)).cloned().unwrap();
            let ShapeResult::Ok { entitlements, annual_cash_total_fen } = result else {
                return Err(TestCaseError::fail("the batch path failed a valid profile"));
            };
            prop_assert_eq!(annual_cash_total_fen, single.annual_cash_total.to_fen());
            prop_assert_eq!(entitlements.len(), single.entitlements.len());
            for (c, e) in entitlements.iter().zip(&single.entitlements) {
                prop_assert_eq!(&batch.programs()[c.program as usize], &e.program);
                prop_assert_eq!(c.annual_fen, e.annual_amount.map(|m| m.to_fen()));
                prop_assert_eq!(
                    c.school_year_total_fen,
                    e.school_year_total.map(|m| m.to_fen())
                );
                prop_assert_eq!(c.kind, e.kind);
            }
            let shape = Shape::of(profile);
            prop_assert_eq!(Shape::of(&shape.to_profile()), shape);
        }
        prop_assert!(batch.shapes() <= 2);
    }
}

/// The generators cover what they claim (a guard against a strategy that silently stopped
/// producing some stage or level).
#[test]
fn strategies_cover_the_vocabulary() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = profile_strategy();
    let (mut stages, mut levels, mut statuses) = (Vec::new(), Vec::new(), StatusSet::default());
    for _ in 0..2000 {
        let p = strategy.new_tree(&mut runner).unwrap().current();
        assert!(p.validate().is_ok(), "{p:?}");
        for r in [&p.hukou_region, &p.school_region] {
            assert!(r.is_empty() || is_region_code(r));
        }
        if !stages.contains(&p.stage) {
            stages.push(p.stage);
        }
        if !levels.contains(&p.difficulty_level) {
            levels.push(p.difficulty_level);
        }
        for s in &p.household.statuses {
            statuses.insert(*s);
        }
    }
    assert_eq!(stages.len(), Stage::ALL.len());
    assert_eq!(levels.len(), DifficultyLevel::ALL.len() + 1);
    assert_eq!(statuses.iter().count(), HouseholdStatus::ALL.len());
}
