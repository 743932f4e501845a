//! Generators shared by the property tests (`properties.rs`) and the cross-surface
//! identity corpus (`identity.rs`): valid profiles (any stage with a valid grade, any subset
//! of statuses, any level, flags, awards without the contradictory pair, regions empty or
//! six digits), dates inside the coverage, and the policies (national, and national with
//! each shipped region overlay).
#![allow(dead_code)]

use chrono::NaiveDate;
use eduaid::{
    Award, DifficultyLevel, Household, HouseholdStatus, Hukou, Institution, Major, NutritionPilot,
    Policy, Profile, SchoolLocation, Stage,
};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use std::sync::OnceLock;

/// The national policy, then the national policy with each shipped region overlay.
pub fn policies() -> &'static [Policy] {
    static ALL: OnceLock<Vec<Policy>> = OnceLock::new();
    ALL.get_or_init(|| {
        let national = Policy::national();
        let mut out = vec![national.clone()];
        for region in Policy::shipped_regions() {
            out.push(
                national
                    .with_region(region)
                    .expect("a shipped overlay loads"),
            );
        }
        out
    })
}

pub fn coverage() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(2016, 9, 1).unwrap(),
        NaiveDate::from_ymd_opt(2027, 8, 31).unwrap(),
    )
}

pub fn date_strategy() -> impl Strategy<Value = NaiveDate> {
    let (start, end) = coverage();
    let days = (end - start).num_days() as u64;
    (0..=days).prop_map(move |d| start + chrono::Days::new(d))
}

pub fn region_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => Just("130431".to_string()),
        1 => Just("150924".to_string()),
        1 => Just("370215".to_string()),
        1 => "[0-6][0-9]{5}",
        1 => Just("000000".to_string()),
    ]
}

pub fn level_strategy() -> impl Strategy<Value = Option<DifficultyLevel>> {
    proptest::option::of(select(DifficultyLevel::ALL))
}

pub fn stage_and_grade() -> impl Strategy<Value = (Stage, u8)> {
    select(Stage::ALL).prop_flat_map(|s| (Just(s), 1..=s.max_grade()))
}

pub fn awards_strategy() -> impl Strategy<Value = Vec<Award>> {
    subsequence(Award::ALL, 0..=Award::ALL.len())
        .prop_map(|mut a| {
            // Never the contradictory pair (A03a).
            if a.contains(&Award::NationalScholarship) {
                a.retain(|x| *x != Award::NationalEncouragementScholarship);
            }
            a
        })
        .prop_shuffle()
}

/// Any valid profile (interface.md): any stage with a valid grade, any subset of statuses,
/// any level, flags, awards without the contradictory pair, regions empty or six digits.
pub fn profile_strategy() -> impl Strategy<Value = Profile> {
    let identity = (
        "[A-Za-z0-9-]{0,12}",
        proptest::option::of("[0-9]{17}[0-9X]"),
        proptest::option::of((1990i32..2024, 1u32..=12, 1u32..=28)),
    );
    let school = (
        stage_and_grade(),
        any::<bool>(), // full_time_formal
        any::<bool>(), // boarding
        select(Hukou::ALL),
        region_strategy(),
        region_strategy(),
        proptest::option::of(select(SchoolLocation::ALL)),
        proptest::option::of(select(NutritionPilot::ALL)),
        select(Institution::ALL),
    );
    let family = (
        subsequence(HouseholdStatus::ALL, 0..=4).prop_shuffle(),
        any::<bool>(), // monitoring_risk_removed
        level_strategy(),
        proptest::option::of(1u8..=4),
        (any::<bool>(), any::<bool>()), // major
        awards_strategy(),
        any::<bool>(), // veteran
        any::<bool>(), // has_fixed_salary
    );
    (identity, school, family).prop_map(
        |(
            (student_id, resident_id, birth),
            ((stage, grade), ftf, boarding, hukou, hr, sr, loc, pilot, inst),
            (statuses, removed, level, disability, (agri, arts), awards, veteran, salary),
        )| {
            let mut p = Profile::new(stage, grade, hukou);
            p.student_id = student_id;
            p.resident_id = resident_id;
            p.birth_date = birth.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
            p.full_time_formal = ftf;
            p.boarding = boarding;
            p.hukou_region = hr;
            p.school_region = sr;
            p.school_location = loc;
            p.nutrition_pilot = pilot;
            p.institution = inst;
            p.household = Household {
                statuses,
                monitoring_risk_removed: removed,
            };
            p.difficulty_level = level;
            p.disability_grade = disability;
            p.major = Major {
                agriculture_related: agri,
                performing_arts: arts,
            };
            p.awards = awards;
            p.veteran = veteran;
            p.has_fixed_salary = salary;
            p
        },
    )
}

pub fn policy_strategy() -> impl Strategy<Value = usize> {
    0..policies().len()
}
